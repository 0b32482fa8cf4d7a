#!/bin/bash
# bad-input.sh: the table of bad input and hostile conditions: for each, the documented exit code
# (include/exitcode.h), a clear message naming the problem, and nothing changed on disk. Cases
# that need a real systemd are in tests/e2e/bad-input.sh. Prints the table at the end.
. "$top_srcdir/tests/cli/lib.sh"

STATE=var/lib/docker-remote-setup
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all)
table=()
chmod 755 "$TMP" # the unprivileged cases read the trees in it

# conf_hash DIR: files and symlinks (path, mode, content) of DIR, our state directory aside.
conf_hash() {
        (cd "$1" && find . -path "./$STATE" -prune -o ! -type d -printf '%p %y %m %l\n' | sort &&
                find . -path "./$STATE" -prune -o -type f -print0 | sort -z | xargs -0r sha256sum) |
                sha256sum | cut -d' ' -f1
}

# tree NAME DIR: a fixture case (tests/fixtures/cases/NAME), or one built here (tree_NAME).
tree() {
        if declare -F "tree_$1" >/dev/null; then make_root debian-plain "$2" && "tree_$1" "$2"; else make_root "$1" "$2"; fi
        chmod 755 "$2" # readable by the unprivileged user of the "not root" cases
}
tree_dropin_dir_symlink() { mkdir -p "$1/srv/dropins" "$1/etc/systemd/system"; ln -s /srv/dropins "$1/etc/systemd/system/docker.service.d"; }
tree_nul_bytes() { printf 'A=1\0\n' >> "$1/etc/default/docker"; }
tree_huge() { mkdir -p "$1/etc/docker"; head -c 5000000 /dev/zero | tr '\0' ' ' > "$1/etc/docker/daemon.json"; }
tree_fifo() { mkdir -p "$1/etc/docker"; mkfifo "$1/etc/docker/daemon.json"; }
tree_braced() { sed -i 's/\$DOCKER_OPTS/${DOCKER_OPTS}/' "$1/lib/systemd/system/docker.service"; }
tree_no_systemd() { rm -f "$1"/lib/systemd/system/docker.*; mkdir -p "$1/etc/init.d"; printf '#!/bin/sh\n' > "$1/etc/init.d/docker"; }
tree_applied() { "$DRS" apply --root "$1" --iface lo --plain --yes > /dev/null; }
tree_bad_manifest() { tree_applied "$1"; sed -i 's/"kind": "apply"/"kind": 7/' "$1/$STATE"/backups/*/manifest.json; }
tree_applied_blob() {
        # Two applies: the second one's backup holds the first one's drop-in as its blob "0".
        tree_applied "$1"
        "$DRS" apply --root "$1" --iface lo --plain --port 2380 --yes > /dev/null
        local blob
        blob="$1/$STATE/backups/$(ls "$1/$STATE/backups" | tail -n1)/0"
        [ -f "$blob" ] && echo tampered >> "$blob"
}
# daemon.json a symlink to /etc/shadow: inside a --root it means ROOT/etc/shadow (absent), never
# this machine's file.
tree_escaping_symlink() { mkdir -p "$1/etc/docker"; ln -s /etc/shadow "$1/etc/docker/daemon.json"; }
tree_stale_lock() { mkdir -p "$1/$STATE"; echo 999999 > "$1/$STATE/lock"; }

# Wrappers: run the rest of the line under a condition.
as_nobody() { "${NOBODY[@]}" "$@"; }
# Not root on this machine's own root: also with "/" read-only in a private mount namespace, so
# that even a broken root check could write nothing here.
as_nobody_on_slash() { unshare -m --propagation private sh -c 'mount -o remount,bind,ro / && exec "$@"' sh "${NOBODY[@]}" "$@"; }
ro_etc() { local r=$1; shift; unshare -m --propagation private sh -c 'mount --bind "$1/etc" "$1/etc" && mount -o remount,bind,ro "$1/etc" && shift && exec "$@"' sh "$r" "$@"; }
# /etc on a 64 KiB tmpfs, filled up.
full_etc() {
        local r=$1; shift
        unshare -m --propagation private sh -c 'cp -a "$1/etc" "$1.etc" && mount -t tmpfs -o size=64k tmpfs "$1/etc" &&
                cp -a "$1.etc/." "$1/etc/" && { dd if=/dev/zero of="$1/etc/.filler" bs=1k 2>/dev/null; true; } &&
                shift && exec "$@"' sh "$r" "$@"
}
# Another instance holds the lock (its PID written in the lock file, as ours does).
locked() {
        local r=$1 pid rc; shift
        mkdir -p "$r/$STATE"
        flock "$r/$STATE/lock" sh -c 'echo $$ > "$1"; exec sleep 60' sh "$r/$STATE/lock" &
        pid=$!
        for _ in $(seq 50); do [ -s "$r/$STATE/lock" ] && break; sleep 0.1; done
        "$@"; rc=$?
        kill "$pid"; wait "$pid" 2>/dev/null
        return $rc
}
lang_unknown() { env -u LC_ALL -u LANGUAGE LANG=xx_YY.UTF-8 "$@"; }
lang_unset() { env -u LC_ALL -u LANGUAGE -u LANG "$@"; }
# In a new network namespace (netns-setup.sh), with something listening on 127.0.0.1:2375.
port_taken() {
        in_netns sh -c 'python3 -c "import socket,sys,time; s=socket.socket(); s.bind((\"127.0.0.1\",2375)); s.listen()
print(\"ready\", flush=True); time.sleep(60)" > "$0" & pid=$!
                for _ in $(seq 100); do grep -q ready "$0" && break; sleep 0.1; done
                "$@"; rc=$?; kill $pid; exit $rc' "$TMP/listening" "$@"
}
netns() { in_netns "$@"; }
no_tty() { "$@" < /dev/null > /dev/null; }

# row NAME CODE REGEX TREE CMD...: CMD (the word ROOT in it is the case's fresh tree) exits CODE,
# says REGEX (grep -E), and leaves the tree's files as they were; exit 2 or 3 means nothing was
# touched at all, not even our state directory.
row() {
        local name=$1 code=$2 re=$3 t=$4 root="$TMP/case" before a
        shift 4
        rm -rf "$root"
        tree "$t" "$root"
        before=$(conf_hash "$root")
        local args=()
        for a in "$@"; do args+=("${a//ROOT/$root}"); done
        expect_exit "$name" "$code" "$re" "${args[@]}"
        [ "$(conf_hash "$root")" = "$before" ] || fail "$name: files changed"
        if [ "$code" -eq 2 ] || [ "$code" -eq 3 ]; then [ ! -e "$root/$STATE" ] || fail "$name: the state directory was created"; fi
        table+=("$(printf '%-44s %s' "$name" "$code")")
}
# row_changes NAME CODE REGEX TREE CHECK CMD...: a case where the right answer is to change the
# files; CHECK (a command, ROOT replaced) says whether they are right.
row_changes() {
        local name=$1 code=$2 re=$3 t=$4 check=$5 root="$TMP/case" a
        shift 5
        rm -rf "$root"
        tree "$t" "$root"
        local args=()
        for a in "$@"; do args+=("${a//ROOT/$root}"); done
        expect_exit "$name" "$code" "$re" "${args[@]}"
        eval "${check//ROOT/$root}" || fail "$name: $check"
        table+=("$(printf '%-44s %s' "$name" "$code")")
}

P=("$DRS" preview --root ROOT)
A=("$DRS" apply --root ROOT --yes)

# ---- the command line (2)
row "unknown option"               2 'unknown option "--bogus"'                          debian-plain "${P[@]}" --bogus
row "unknown command"              2 'unknown command "frobnicate"'                      debian-plain "$DRS" frobnicate
row "option for another command"   2 'option --yes does not apply to "preview"'          debian-plain "${P[@]}" --iface lo --yes
row "option without its value"     2 'option "--port" needs a value'                     debian-plain "${P[@]}" --iface lo --port
row "extra argument"               2 'unexpected argument "extra"'                       debian-plain "${P[@]}" --iface lo extra
row "--tls with --plain"           2 '--tls and --plain cannot be used together'         debian-plain "${P[@]}" --iface lo --tls --plain
row "bad --method"                 2 '--method: "foo" is neither'                        debian-plain "${P[@]}" --iface lo --method foo
row "relative --root"              2 '--root: "rel" is not an absolute path'             debian-plain "$DRS" preview --root rel --iface lo
row "--root missing"               2 'cannot open the root directory: No such file'      debian-plain "$DRS" preview --root ROOT/none --iface lo
row "--root is a file"             2 'cannot open the root directory: Not a directory'   debian-plain "$DRS" preview --root ROOT/etc/hostname --iface lo
row "--dropin with a slash"        2 '--dropin: "../x.conf" must be a plain file name'   debian-plain "${P[@]}" --iface lo --dropin ../x.conf
row "relative --tls-dir"           2 '--tls-dir: "etc" must be an absolute path'         debian-plain "${P[@]}" --iface lo --tls-dir etc
row "--key-type dsa"                2 '--key-type: "dsa" is neither "ecdsa" nor "rsa"'    debian-plain "${P[@]}" --iface lo --key-type dsa
row "--cert-days 0"                2 '--cert-days: "0" is not a number of days from 1 to 3650' debian-plain "${P[@]}" --iface lo --cert-days 0
row "--cert-days 3651"             2 '--cert-days: "3651" is not a number of days'       debian-plain "${P[@]}" --iface lo --cert-days 3651
row "--cert-days 9x"               2 '--cert-days: "9x" is not a number of days'         debian-plain "${P[@]}" --iface lo --cert-days 9x
row "--key-type for status"        2 'option --key-type does not apply to "status"'      debian-plain "$DRS" status --root ROOT --key-type rsa
row "--iface for client-cert"      2 'option --iface does not apply to "client-cert"'    debian-plain "$DRS" client-cert alice --root ROOT --iface lo
row "two client names"             2 'unexpected argument "bob"'                         debian-plain "$DRS" client-cert alice bob --root ROOT
row "--confirm-timeout 0"          2 '--confirm-timeout: "0" is not a number of seconds' debian-plain "${A[@]}" --iface lo --confirm-timeout 0
row "--timeout abc"                2 '--timeout: "abc" is not a number of seconds'       debian-plain "${A[@]}" --iface lo --timeout abc
row "apply without --yes"          2 'add --yes to go ahead'                             debian-plain "$DRS" apply --root ROOT --iface lo
row "rollback --to a bad ID"       2 '"\.\./x" is not a backup ID'                       debian-plain "$DRS" rollback --root ROOT --to ../x --yes
row "--list with --to"             2 '--list, --to and --auto cannot be combined'        debian-plain "$DRS" rollback --root ROOT --list --to 20200101-000000
row "nothing chosen"               2 'choose an interface \(--iface\) or an address'     debian-plain "${P[@]}"
# ---- ports and addresses
row "port 0"                       2 '--port: "0" is not a port number from 1 to 65535'  debian-plain "${P[@]}" --iface lo --port 0
row "port 65536"                   2 '--port: "65536" is not a port number'              debian-plain "${P[@]}" --iface lo --port 65536
row "port abc"                     2 '--port: "abc" is not a port number'                debian-plain "${P[@]}" --iface lo --port abc
row "port taken (test-bind, on /)" 4 'BLOCK +port 2375 on 127\.0\.0\.1 is already in use' debian-plain port_taken "$DRS" preview --iface lo --plain
# The test-bind runs on "/" only (preview: this machine has no docker.service, hence the 4).
row "privileged port, not root"    4 'note +port 80 is privileged; dockerd runs as root'  debian-plain netns "${NOBODY[@]}" "$DRS" preview --iface lo --plain --port 80
row "bad interface name"           2 '--iface: "a/b" is not a valid interface name'      debian-plain "${P[@]}" --iface a/b
row "unknown interface"            4 'there is no network interface "nosuch0"'           debian-plain "${P[@]}" --iface nosuch0
row "not an IP"                    2 '"10.0.0" is not an IPv4 or IPv6 address'           debian-plain "${P[@]}" --address 10.0.0
row "IPv6 link-local"              2 'fe80::1 is link-local'                             debian-plain "${P[@]}" --iface lo --address fe80::1
row "IPv6 link-local with zone"    2 'link-local'                                        debian-plain "${P[@]}" --iface lo --address 'fe80::1%lo'
row "IPv6 link-local on a NIC"     2 'fe80::5 is link-local'                             debian-plain netns "${P[@]}" --iface eth1 --address fe80::5
row "address not on the interface" 4 'address 10\.99\.99\.99 is not on interface "lo"'   debian-plain "${P[@]}" --iface lo --address 10.99.99.99
row "address on no interface"      4 'not configured on any interface'                   debian-plain "${P[@]}" --address 10.99.99.99
row "0.0.0.0 in plain mode"        4 'plain TCP is refused on 0\.0\.0\.0'                debian-plain "${P[@]}" --address 0.0.0.0 --plain
row "0.0.0.0 without --allow-public" 4 'add --allow-public'                              debian-plain "${P[@]}" --address 0.0.0.0
row "public address, plain"        4 'plain TCP is refused on 203\.0\.113\.10'           debian-plain netns "${A[@]}" --iface eth0 --plain
row "public address without --allow-public" 4 'add --allow-public'                       debian-plain netns "${A[@]}" --iface eth0
# ---- who runs it
row "apply not as root"            3 'needs root: sudo docker-remote-setup apply'        debian-plain as_nobody_on_slash "$DRS" apply --iface lo --plain --yes
row "apply --root not writable"    1 'cannot take the lock in /var/lib/docker-remote-setup: Permission denied' \
                                                                                         debian-plain as_nobody "${A[@]}" --iface lo --plain
row "second instance (lock held)"  8 'another docker-remote-setup \(PID [1-9][0-9]*\) is running' debian-plain locked ROOT "${A[@]}" --iface lo --plain
row "wizard without a terminal"    2 'the wizard needs a terminal'                        debian-plain no_tty "$DRS" --root ROOT
row "rollback screen without a terminal" 2 'the rollback screen needs a terminal'        debian-plain "$DRS" rollback --root ROOT
row "unknown LANG"                 2 '--port: "0" is not a port number from 1 to 65535'  debian-plain lang_unknown "${P[@]}" --iface lo --port 0
row "LANG unset"                   2 '--port: "0" is not a port number from 1 to 65535'  debian-plain lang_unset "${P[@]}" --iface lo --port 0
row "LANG unset, pre-flight"       4 'BLOCK +dockerd was not found'                      no-dockerd lang_unset "${A[@]}" --iface lo --plain
# ---- what the host has
row "docker.service missing"       4 'docker.service was not found: Docker is not installed' not-installed "${A[@]}" --iface lo --plain
row "docker.service masked"        4 'docker.service is masked'                          masked "${A[@]}" --iface lo --plain
row "dockerd missing"              4 'dockerd was not found'                             no-dockerd "${A[@]}" --iface lo --plain
row "malformed daemon.json"        4 '/etc/docker/daemon.json:4: not valid JSON'         bad-json "${A[@]}" --iface lo --plain
row "malformed unit file"          4 'override.conf:3: invalid section header'           bad-unit "${A[@]}" --iface lo --plain
row "malformed ExecStart="         4 'override.conf:3: ExecStart= cannot be read: an unterminated quote' bad-execstart "${A[@]}" --iface lo --plain
row "malformed /etc/default/docker" 4 '/etc/default/docker:13: unterminated quote'       bad-default "${A[@]}" --iface lo --plain
row "NUL bytes in a file"          4 '/etc/default/docker: contains NUL bytes'           nul_bytes "${A[@]}" --iface lo --plain
row "a file over 4 MiB"            4 '/etc/docker/daemon.json: is larger than 4 MiB'     huge "${A[@]}" --iface lo --plain
row "daemon.json is a FIFO"        4 '/etc/docker/daemon.json: is not a regular file'    fifo "${A[@]}" --iface lo --plain
row_changes "a symlink out of --root is not followed" 0 'Preview: nothing is written' escaping_symlink \
        '! grep -q "not valid JSON" "$TMP/out"' "${P[@]}" --iface lo --plain
row "drop-in directory a symlink"  4 'docker.service.d is a symbolic link'               dropin_dir_symlink "${A[@]}" --iface lo --plain
row "override.conf a symlink"      4 'override.conf is a symbolic link'                  symlinked-dropin "${A[@]}" --iface lo --plain
row "a later drop-in overrides ours" 4 'zz-local.conf is applied after .*override.conf and sets ExecStart=' late-dropin "${A[@]}" --iface lo --plain
row "\${DOCKER_OPTS} with docker-opts" 4 'passes \$\{DOCKER_OPTS\} as one argument'     braced "${A[@]}" --iface lo --plain --method docker-opts
row "docker-ce unit with docker-opts" 4 'does not read DOCKER_OPTS'                      docker-ce-docker-opts "${A[@]}" --iface lo --plain --method docker-opts
row "read-only /etc"               1 'override.conf: cannot be written: Read-only file system' debian-plain ro_etc ROOT "${A[@]}" --iface lo --plain
row "disk full"                    1 'override.conf: cannot be written: No space left on device' debian-plain full_etc ROOT "${A[@]}" --iface lo --plain
# ---- our own state
row "confirm with nothing pending" 4 'no change awaits confirmation'                     debian-plain "$DRS" confirm --root ROOT
row "rollback --to an unknown ID"  4 'there is no backup "20200101-000000"'              debian-plain "$DRS" rollback --root ROOT --to 20200101-000000 --yes
row "backup manifest corrupted"    4 'manifest\.json: "kind" is missing or has the wrong type' bad_manifest \
        sh -c 'exec "$0" rollback --root "$1" --to "$(ls "$1/var/lib/docker-remote-setup/backups" | head -n1)" --yes' "$DRS" ROOT
row "backup blob corrupted"        4 'the saved copy of .*override\.conf is damaged'     applied_blob \
        sh -c 'exec "$0" rollback --root "$1" --to "$(ls "$1/var/lib/docker-remote-setup/backups" | tail -n1)" --yes' "$DRS" ROOT
# ---- where changing the files is the right answer
row_changes "stale lock of a dead process" 0 'Files written'                             stale_lock \
        'grep -q "tcp://127.0.0.1:2375" ROOT/etc/systemd/system/docker.service.d/override.conf' "${A[@]}" --iface lo --plain
row_changes "no systemd (init.d/docker)" 0 'No systemd manages this root'                no_systemd \
        'grep -qx "DOCKER_OPTS=\"-H tcp://127.0.0.1:2375 -H unix:///var/run/docker.sock --tls=false\"" ROOT/etc/default/docker && "$DRS" apply --root ROOT --iface lo --plain --yes | grep -q "Nothing to do"' \
        "${A[@]}" --iface lo --plain
row_changes "daemon.json hosts conflict" 0 'Files written'                             daemon-json-hosts \
        '! grep -q hosts ROOT/etc/docker/daemon.json && grep -q "warn" ROOT/etc/docker/daemon.json && grep -q "tcp://127.0.0.1:2375" ROOT/etc/systemd/system/docker.service.d/override.conf' \
        "$DRS" apply --root ROOT --yes --iface lo --plain
row_changes "ExecStart with quoting and \${VAR}" 0 'Files written'                       quoted \
        'grep -qF -- "--label \"site=west rack 4\" --data-root '"'"'/srv/docker data'"'"' \${EXTRA_OPTS} -H tcp://127.0.0.1:2375" ROOT/etc/systemd/system/docker.service.d/override.conf' \
        "${A[@]}" --iface lo --plain
row_changes "on this machine (PID 1 not systemd): preview only" 4 'docker.service was not found' debian-plain \
        true "$DRS" preview --iface lo --plain
# ---- asking is fine
row "RSA, 90 days (preview)"        0 'generated \(RSA 3072, valid 90 days; the CA 3650 days\)' debian-plain "${P[@]}" --iface lo --key-type rsa --cert-days 90
row "a long validity (preview)"    0 'valid 3000 days; the CA 6000 days'                 debian-plain "${P[@]}" --iface lo --cert-days 3000
row "help"                         0 'Usage: docker-remote-setup'                        debian-plain "$DRS" --help
row "version"                      0 '^docker-remote-setup [0-9]+\.[0-9]+'               debian-plain "$DRS" --version
row "help, short"                  0 'Usage: docker-remote-setup'                        debian-plain "$DRS" -h
row "version, short"               0 '^docker-remote-setup [0-9]+\.[0-9]+'               debian-plain "$DRS" -V
row "unknown short option"         2 'unknown option "-i"'                               debian-plain "${P[@]}" -i lo

echo
echo "Bad-input table: ${#table[@]} cases (case, exit code)"
printf '  %s\n' "${table[@]}"
finish
