#!/bin/bash
# bad-input.sh: the table of bad input and hostile conditions: for each, the documented exit code
# (include/engine/exitcode.h), a clear message naming the problem, and nothing changed on disk. Cases
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
tree_socket_dir_symlink() { mkdir -p "$1/srv/dropins" "$1/etc/systemd/system"; ln -s /srv/dropins "$1/etc/systemd/system/docker.socket.d"; }
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
# override.conf starting with a UTF-8 byte order mark (systemd skips it), with the admin's flags.
tree_bom() {
        mkdir -p "$1/etc/systemd/system/docker.service.d"
        printf '\357\273\277[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// --data-root=/srv/docker-data\n' \
                > "$1/etc/systemd/system/docker.service.d/override.conf"
}
OVERRIDE=etc/systemd/system/docker.service.d/override.conf
# override_has ROOT N LINE: override.conf has N [Service] headers and ExecStart=LINE.
override_has() { [ "$(grep -c '\[Service\]' "$1/$OVERRIDE")" = "$2" ] && grep -qxF -- "ExecStart=$3" "$1/$OVERRIDE"; }
# dockerd's shorthands grouped as pflag allows: -D (no value) and -H (the listener).
tree_dropin_with() {
        mkdir -p "$1/etc/systemd/system/docker.service.d"
        printf '[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// %s\n' "$2" > "$1/etc/systemd/system/docker.service.d/override.conf"
}
tree_grouped_shorthands() { tree_dropin_with "$1" '-DH tcp://0.0.0.0:2375'; }
tree_grouped_in_docker_opts() { echo 'DOCKER_OPTS="-DH tcp://0.0.0.0:2375"' >> "$1/etc/default/docker"; }
tree_double_dash() { tree_dropin_with "$1" '--'; }
tree_dangling_unit() { rm -f "$1/lib/systemd/system/docker.service"; ln -s /lib/systemd/system/docker-gone.service "$1/lib/systemd/system/docker.service"; }
# zz-local.conf sets ExecStart= in /lib, and is masked by a /dev/null of its name in /etc.
tree_masked_dropin() {
        mkdir -p "$1/lib/systemd/system/docker.service.d" "$1/etc/systemd/system/docker.service.d"
        printf '[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd\n' > "$1/lib/systemd/system/docker.service.d/zz-local.conf"
        ln -s /dev/null "$1/etc/systemd/system/docker.service.d/zz-local.conf"
}
tree_json_loop() { mkdir -p "$1/etc/docker"; ln -s a "$1/etc/docker/b"; ln -s b "$1/etc/docker/a"; ln -s a "$1/etc/docker/daemon.json"; }
tree_json_socket() { mkdir -p "$1/etc/docker"; python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$1/etc/docker/daemon.json"; }
tree_json_big_number() { mkdir -p "$1/etc/docker"; printf '{"hosts": ["unix:///var/run/docker.sock"], "x-big": 123456789012345678901234567890, "x-f": 1.50}\n' > "$1/etc/docker/daemon.json"; }
tree_fifo_lock() { mkdir -p "$1/$STATE"; mkfifo "$1/$STATE/lock"; }
tree_stale_lock() { mkdir -p "$1/$STATE"; echo 999999 > "$1/$STATE/lock"; }
# Issue 16: files not ours alone, things in the way, state we cannot read.
DROPIN=etc/systemd/system/docker.service.d
TLSDIR=etc/docker/remote-setup
tree_lock_hardlink() { mkdir -p "$1/$STATE"; echo outside > "$TMP/outside"; chmod 644 "$TMP/outside"; ln -f "$TMP/outside" "$1/$STATE/lock"; }
tree_dropin_hardlink() { mkdir -p "$1/$DROPIN"; printf '[Service]\n' > "$TMP/outside.conf"; ln -f "$TMP/outside.conf" "$1/$DROPIN/override.conf"; }
tree_dropin_foreign() { mkdir -p "$1/$DROPIN"; printf '[Service]\n' > "$1/$DROPIN/override.conf"; chown 1000 "$1/$DROPIN/override.conf"; }
tree_state_foreign() { mkdir -p "$1/$STATE"; chown 1000 "$1/$STATE"; }
tree_tls_applied() { "$DRS" apply --root "$1" --iface lo --yes > /dev/null; }
tree_tls_dir_0777() { mkdir -p "$1/$TLSDIR"; chmod 777 "$1/$TLSDIR"; }
tree_tls_key_0644() { tree_tls_applied "$1"; chmod 644 "$1/$TLSDIR/ca-key.pem"; }
tree_tls_dir_foreign() { tree_tls_applied "$1"; chown 1000 "$1/$TLSDIR"; }
tree_tls_dir_file() { mkdir -p "$1/etc/docker"; touch "$1/$TLSDIR"; }
tree_dropin_dir_file() { mkdir -p "$1/etc/systemd/system"; touch "$1/$DROPIN"; }
tree_garbage_txn() { mkdir -p "$1/$STATE"; echo garbage > "$1/$STATE/current.json"; }
tree_orphan_txn() {
        tree_applied "$1"
        printf '{"id": "20200101-000000", "phase": "writing", "deadline": 0, "timers": [], "dirs_created": [], "pid": 1}\n' > "$1/$STATE/current.json"
}
# An apply killed after its backup, then a drop-in over 4 MiB written by someone else.
tree_interrupted_huge() {
        DRS_TEST_FAULT=after-backup:kill "$DRS_TEST" apply --root "$1" --iface lo --plain --yes > /dev/null 2>&1
        mkdir -p "$1/$DROPIN"
        head -c 5000000 /dev/zero | tr '\0' '#' > "$1/$DROPIN/zz-admin.conf"
}
# An apply killed after its backup: a record and a backup set that can both be read.
tree_interrupted() { DRS_TEST_FAULT=after-backup:kill "$DRS_TEST" apply --root "$1" --iface lo --plain --yes > /dev/null 2>&1; }
tree_json_big_number_only() { mkdir -p "$1/etc/docker"; printf '{"x-big": 123456789012345678901234567890, "x-f": 1.50}\n' > "$1/etc/docker/daemon.json"; }
tree_socket_admin_listener() { mkdir -p "$1/etc/systemd/system/docker.socket.d"; printf '[Socket]\nSocketMode=0660\nListenStream=127.0.0.1:2999\n' > "$1/etc/systemd/system/docker.socket.d/override.conf"; }
tree_dangling_option() { sed -i 's|^ExecStart=.*|ExecStart=/usr/sbin/dockerd -H fd:// --log-level|' "$1/lib/systemd/system/docker.service"; }
tree_lost_manifest() { tree_applied "$1"; rm "$1/$STATE"/backups/*/manifest.json; }
# Sets without manifest named after this second and the next five: the next set takes none of
# their IDs (it gets "-2" or a later second).
tree_lost_manifest_now() {
        local now d
        tree_lost_manifest "$1"
        now=$(date +%s)
        for d in 0 1 2 3 4 5; do mkdir -p "$1/$STATE/backups/$(date -u -d "@$((now + d))" +%Y%m%d-%H%M%S)"; done
}
# A drop-in 94 bytes under 4 MiB: with our ExecStart= lines it would pass the size the tool reads.
tree_big_dropin() {
        mkdir -p "$1/$DROPIN"
        { printf '[Service]\n'; yes '###################################################################################################' | head -n 41942; } > "$1/$DROPIN/override.conf"
}
# tree_tampered FIELD VALUE: the first set of two applies (its manifest has a file that existed),
# with FIELD of its first file set to VALUE.
tampered() {
        tree_applied "$1"
        "$DRS" apply --root "$1" --iface lo --plain --port 2380 --yes > /dev/null
        python3 - "$1/$STATE/backups/$(ls "$1/$STATE/backups" | tail -n1)/manifest.json" "$2" "$3" <<'PY'
import json, sys
p, k, v = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
m = json.load(open(p))
f = [f for f in m["files"] if f["existed"]][0] if k != "dirs_created" else m
f[k] = v
json.dump(m, open(p, "w"))
PY
}
tree_tampered_mode() { tampered "$1" mode 4294967295; }
tree_tampered_uid() { tampered "$1" uid -5; }
tree_tampered_path() { tampered "$1" path '"/etc/systemd/system/docker.service.d/../../../../var/lib/docker-remote-setup/lock"'; }
tree_tampered_sha() { tampered "$1" sha256 '"xyz"'; }
tree_tampered_dirs() { tampered "$1" dirs_created '["/etc//x"]'; }

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
# The lock held, but its file still empty (the holder has not written its PID yet).
locked_empty() {
        local r=$1 pid rc; shift
        mkdir -p "$r/$STATE"
        flock "$r/$STATE/lock" sleep 60 &
        pid=$!
        for _ in $(seq 50); do flock -n "$r/$STATE/lock" true || break; sleep 0.1; done
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
row "bad --method"                 2 '--method: "foo" is not "socket"'                        debian-plain "${P[@]}" --iface lo --method foo
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
# ---- --allow-from (issue 14)
row "--allow-from malformed"       2 '--allow-from: "10\.0\.0" is not a network'           debian-plain "${P[@]}" --iface lo --allow-from 10.0.0
row "--allow-from bad prefix"      2 '--allow-from: "10\.0\.0\.0/33": the prefix length must be a number from 0 to 32' debian-plain "${P[@]}" --iface lo --allow-from 10.0.0.0/33
row "--allow-from IPv6 bad prefix" 2 '"fd00::/129": the prefix length must be a number from 0 to 128' debian-plain "${P[@]}" --iface lo --allow-from fd00::/129
row "--allow-from host bits"       2 '"10\.213\.0\.1/24" has host bits set after the /24 prefix: the network is 10\.213\.0\.0/24' debian-plain "${P[@]}" --iface lo --allow-from 10.213.0.1/24
row "--allow-from IPv6 host bits"  2 '"fd00::1/64" has host bits set.*the network is fd00::/64' debian-plain "${P[@]}" --iface lo --allow-from fd00::1/64
row "--allow-from 0.0.0.0/0"       2 '"0\.0\.0\.0/0" is every address: that is no restriction; use --allow-from any' debian-plain "${P[@]}" --iface lo --allow-from 0.0.0.0/0
row "--allow-from ::/0"            2 '"::/0" is every address: that is no restriction' debian-plain "${P[@]}" --iface lo --allow-from ::/0
row "--allow-from twice"           2 'the network 10\.1\.2\.3/32 is given twice \(as "10\.1\.2\.3/32"\)' debian-plain "${P[@]}" --iface lo --allow-from 10.1.2.3 --allow-from 10.1.2.3/32
row "--allow-from any with a network" 2 '"any" removes the restriction and cannot be given together with networks \(10\.0\.0\.0/8\)' debian-plain "${P[@]}" --iface lo --allow-from 10.0.0.0/8 --allow-from any
row "--allow-from, --method dropin" 2 '--allow-from is enforced by systemd on docker.socket, which only the socket method writes; use --method socket \(not --method dropin\)' debian-plain "${P[@]}" --iface lo --method dropin --allow-from 10.0.0.0/8
row "--allow-from, --method docker-opts" 2 'use --method socket \(not --method docker-opts\)' debian-plain "${P[@]}" --iface lo --method docker-opts --allow-from 10.0.0.0/8
row "--allow-from, no socket activation" 4 'BLOCK +--allow-from is enforced by systemd on docker.socket.*this plan uses --method dropin' no-socket "${P[@]}" --iface lo --allow-from 127.0.0.1
row "--allow-from for status"      2 'option --allow-from does not apply to "status"'    debian-plain "$DRS" status --root ROOT --allow-from 10.0.0.0/8
row "--allow-from written"         0 'IPAddressAllow=10\.9\.0\.0/16 localhost'       debian-plain "${P[@]}" --iface lo --plain --allow-from 10.9.0.0/16
row "--allow-from shuts out the SSH client" 0 'warn +you are connected over SSH from 10\.8\.0\.7, which is not in the allow-list \(10\.9\.0\.0/16\)' debian-plain env SSH_CONNECTION="10.8.0.7 50000 10.213.0.2 22" "${P[@]}" --iface lo --plain --allow-from 10.9.0.0/16
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
row "apply --root not writable"    1 'cannot take the lock in /var/lib/docker-remote-setup/lock: Permission denied' \
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
row "drop-in directory a symlink"  4 'docker.service.d is a symbolic link'               dropin_dir_symlink "${A[@]}" --iface lo --plain --method dropin
row "override.conf a symlink"      4 'override.conf is a symbolic link'                  symlinked-dropin "${A[@]}" --iface lo --plain --method dropin
row "--method socket without docker.socket" 4 'BLOCK +--method socket needs docker.socket' no-socket "${A[@]}" --iface lo --plain --method socket
row "--method socket without -H fd://" 4 'BLOCK +--method socket needs an ExecStart= that takes its listeners' howto-usr-bin "${A[@]}" --iface lo --plain --method socket
row "TLS flag in Environment= and TLS keys" 4 '10-extra.conf:2: Environment= gives dockerd --tlsverify, and the socket method sets the TLS keys in /etc/docker/daemon.json' socket-tls-clash "${A[@]}" --iface lo
row "socket drop-in directory a symlink" 4 'docker.socket.d is a symbolic link'         socket_dir_symlink "${A[@]}" --iface lo --plain
row "a later drop-in overrides ours" 4 'zz-local.conf is applied after .*override.conf and sets ExecStart=' late-dropin "${A[@]}" --iface lo --plain --method dropin
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
# ---- issue 16: files not ours alone, things in the way, records we cannot read
row_changes "lock file hard-linked elsewhere" 4 'lock: it has other hard links' lock_hardlink \
        '[ "$(cat "$TMP/outside")" = outside ] && [ "$(stat -c %a "$TMP/outside")" = 644 ]' "${A[@]}" --iface lo --plain
row "drop-in hard-linked elsewhere" 4 'BLOCK +/etc/systemd/system/docker.service.d/override.conf has 2 hard links' dropin_hardlink "${A[@]}" --iface lo --plain --method dropin
row "drop-in owned by another user" 4 'override.conf belongs to user 1000, not root' dropin_foreign "${A[@]}" --iface lo --plain --method dropin
row "state directory of another user" 4 'docker-remote-setup/lock: it \(or its directory\) belongs to another user' state_foreign "${A[@]}" --iface lo --plain
row "TLS directory mode 0777"       4 'BLOCK +/etc/docker/remote-setup is writable by others \(mode 0777\)' tls_dir_0777 "${A[@]}" --iface lo
row "TLS key mode 0644"            4 'BLOCK +/etc/docker/remote-setup/ca-key.pem is a private key readable by others' tls_key_0644 "${A[@]}" --iface lo
row "TLS directory of another user" 4 'BLOCK +/etc/docker/remote-setup belongs to user 1000' tls_dir_foreign "${A[@]}" --iface lo
row "TLS directory path is a file" 4 'BLOCK +/etc/docker/remote-setup is not a directory' tls_dir_file "${P[@]}" --iface lo
row "docker.service.d is a file, --skip-preflight" 1 'docker.service.d/override.conf: cannot be backed up: Not a directory; nothing was changed' dropin_dir_file "${A[@]}" --iface lo --plain --method dropin --skip-preflight
row_changes "docker.service.d is a file" 4 'BLOCK +/etc/systemd/system/docker.service.d is not a directory' dropin_dir_file \
        '[ -z "$(ls -A ROOT/$STATE/backups 2>/dev/null)" ]' "${A[@]}" --iface lo --plain --method dropin
row "--tls-dir too long"           4 'BLOCK +the paths of the files in /etc/0+ are too long' debian-plain "${P[@]}" --iface lo --tls-dir "/etc/$(printf '%0300d' 0)"
row "a drop-in that would pass 4 MiB" 4 'override.conf would grow to [0-9]+ bytes, over the 4 MiB' big_dropin "${A[@]}" --iface lo --plain --method dropin
row "... also with --skip-preflight" 4 'override.conf: would be larger than 4 MiB, more than the tool reads back' big_dropin "${A[@]}" --iface lo --plain --method dropin --skip-preflight
row "garbage transaction record"   7 'recover --discard' garbage_txn "${A[@]}" --iface lo --plain
row "status: garbage record"       0 'Pending: +the transaction record cannot be read .*recover --discard' garbage_txn "$DRS" status --root ROOT
row_changes "recover --discard"    0 'set aside as /var/lib/docker-remote-setup/current.json.discarded-' garbage_txn \
        '[ ! -e ROOT/$STATE/current.json ] && ls ROOT/$STATE | grep -q discarded && "$DRS" apply --root ROOT --iface lo --plain --yes > /dev/null' \
        "$DRS" recover --root ROOT --discard
row "orphaned transaction record"  7 '"docker-remote-setup recover --discard" sets the record aside' orphan_txn "${A[@]}" --iface lo --plain
row "status: a set without manifest" 0 'Damaged backups: +[0-9-]+ \(no readable manifest' lost_manifest "$DRS" status --root ROOT
row_changes "a set without manifest is kept aside" 0 'Files written' lost_manifest \
        '[ -d ROOT/$STATE/backups/*.unreadable ] && "$DRS" status --root ROOT | grep -Eq "Damaged backups: +[0-9-]+\.unreadable"' \
        "${A[@]}" --iface lo --plain --port 2380
row_changes "the ID of a set without manifest is not used again" 0 'Files written' lost_manifest_now \
        '[ "$(ls -d ROOT/$STATE/backups/*.unreadable | wc -l)" -ge 6 ] && [ "$(ls ROOT/$STATE/backups | grep -cvE "\.unreadable$")" -eq 1 ] && ! ls ROOT/$STATE/backups | grep -vE "\.unreadable$" | sed "s/\$/.unreadable/" | xargs -I{} test -e ROOT/$STATE/backups/{}' \
        "${A[@]}" --iface lo --plain --port 2380
row_changes "recover with a file over 4 MiB elsewhere" 0 'Reverted the change left behind' interrupted_huge \
        '[ ! -e ROOT/$STATE/current.json ]' "$DRS" recover --root ROOT
row "rollback --list with a file over 4 MiB elsewhere" 0 '[0-9]{8}-[0-9]{6}' interrupted_huge "$DRS" rollback --root ROOT --list
row "status not as root: backups"  0 'Backups: +cannot read as this user' applied as_nobody "$DRS" status --root ROOT
row "preview not as root: TLS"     0 'TLS material in /etc/docker/remote-setup cannot be read as this user' tls_applied as_nobody "${P[@]}" --iface lo
for f in mode uid path sha dirs; do
        row "tampered manifest: $f"    4 'manifest\.json: .*(out of range|not valid)' "tampered_$f" \
                sh -c 'exec "$0" rollback --root "$1" --to "$(ls "$1/var/lib/docker-remote-setup/backups" | head -n1)" --yes' "$DRS" ROOT
done
# ---- where changing the files is the right answer
row_changes "stale lock of a dead process" 0 'Files written'                             stale_lock \
        'grep -qx "ListenStream=127.0.0.1:2375" ROOT/etc/systemd/system/docker.socket.d/override.conf' "${A[@]}" --iface lo --plain
row_changes "no systemd (init.d/docker)" 0 'No systemd manages this root'                no_systemd \
        'grep -qx "DOCKER_OPTS=\"-H tcp://127.0.0.1:2375 -H unix:///var/run/docker.sock --tls=false\"" ROOT/etc/default/docker && "$DRS" apply --root ROOT --iface lo --plain --yes | grep -q "Nothing to do"' \
        "${A[@]}" --iface lo --plain
row_changes "daemon.json hosts conflict" 0 'Files written'                             daemon-json-hosts \
        '! grep -q hosts ROOT/etc/docker/daemon.json && grep -q "warn" ROOT/etc/docker/daemon.json && grep -q "tcp://127.0.0.1:2375" ROOT/etc/systemd/system/docker.service.d/override.conf' \
        "$DRS" apply --root ROOT --yes --iface lo --plain --method dropin
row_changes "daemon.json hosts, socket method" 0 'Files written'                       daemon-json-hosts \
        '! grep -q hosts ROOT/etc/docker/daemon.json && grep -q "warn" ROOT/etc/docker/daemon.json && grep -qx "ListenStream=127.0.0.1:2375" ROOT/etc/systemd/system/docker.socket.d/override.conf' \
        "$DRS" apply --root ROOT --yes --iface lo --plain
row_changes "ExecStart with quoting and \${VAR}" 0 'Files written'                       quoted \
        'grep -qF -- "--label \"site=west rack 4\" --data-root '"'"'/srv/docker data'"'"' \${EXTRA_OPTS} -H tcp://127.0.0.1:2375" ROOT/etc/systemd/system/docker.service.d/override.conf' \
        "${A[@]}" --iface lo --plain --method dropin
AP=("${A[@]}" --iface lo --plain --method dropin)
row_changes "override.conf with a UTF-8 BOM" 0 'Files written' bom 'override_has ROOT 1 "/usr/sbin/dockerd -H fd:// --data-root=/srv/docker-data -H tcp://127.0.0.1:2375 --tls=false" && head -c3 ROOT/$OVERRIDE | od -An -tx1 | grep -q "ef bb bf"' "${AP[@]}"
row_changes "-DH tcp://0.0.0.0:2375 in ExecStart" 0 'tcp://0\.0\.0\.0:2375' grouped_shorthands 'override_has ROOT 1 "/usr/sbin/dockerd -H fd:// -D -H tcp://127.0.0.1:2375 --tls=false"' "${AP[@]}"
row_changes "-DH tcp://0.0.0.0:2375 in DOCKER_OPTS" 0 'tcp://0\.0\.0\.0:2375' grouped_in_docker_opts 'grep -qx -- "DOCKER_OPTS=\"-D\"" ROOT/etc/default/docker' "${AP[@]}"
row_changes "ExecStart ending in --" 0 'Files written' double_dash 'override_has ROOT 1 "/usr/sbin/dockerd -H fd:// -H tcp://127.0.0.1:2375 --tls=false --"' "${AP[@]}"
row_changes "--tls-dir with % and \${HOME}" 0 'Files written' debian-plain 'grep -qF -- "--tlscacert=/etc/docker/%%h-\$\${HOME}/ca.pem --tlscert=/etc/docker/%%h-\$\${HOME}/server-cert.pem" ROOT/$OVERRIDE && [ -s "ROOT/etc/docker/%h-\${HOME}/server-key.pem" ]' "${A[@]}" --iface lo --method dropin --tls-dir '/etc/docker/%h-${HOME}'
row_changes "on this machine (PID 1 not systemd): preview only" 4 'docker.service was not found' debian-plain \
        true "$DRS" preview --iface lo --plain
# ---- issue 16 item 15
row "lock held, its PID not written yet" 8 'another docker-remote-setup is running \(it has not written its PID yet\)' debian-plain locked_empty ROOT "${AP[@]}"
row "IPv6 ULA with a zone"          2 'fd00::5%eth1: a zone \("%eth1"\) is for link-local addresses only; give fd00::5' debian-plain "${P[@]}" --address 'fd00::5%eth1'
row "client-cert with a bad name"   2 '"bad/name" cannot name a client'                    debian-plain "$DRS" client-cert bad/name --root ROOT
row "arguments after --"            2 'arguments after "--" are not read \("--plain"\)'   debian-plain "${A[@]}" --iface lo -- --plain
row "docker.service dangling"       4 'docker.service is a dangling symbolic link'         dangling_unit "${AP[@]}"
row_changes "a drop-in masked by /dev/null" 0 'Files written' masked_dropin 'override_has ROOT 1 "/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock \$DOCKER_OPTS -H tcp://127.0.0.1:2375 --tls=false"' "${AP[@]}"
row "daemon.json a symlink loop"    4 'daemon.json: is a loop of symbolic links'           json_loop "${AP[@]}"
row "daemon.json a socket"          4 'daemon.json: is not a regular file'                 json_socket "${AP[@]}"
row_changes "daemon.json numbers kept as written" 0 'Files written' json_big_number 'grep -q "\"x-big\": 123456789012345678901234567890," ROOT/etc/docker/daemon.json && grep -q "\"x-f\": 1.50" ROOT/etc/docker/daemon.json && ! grep -q hosts ROOT/etc/docker/daemon.json' "${AP[@]}"
row_changes "daemon.json numbers kept, TLS keys added (socket method)" 0 'Files written' json_big_number_only 'grep -q "\"x-big\": 123456789012345678901234567890," ROOT/etc/docker/daemon.json && grep -q "\"x-f\": 1.50" ROOT/etc/docker/daemon.json && grep -q "\"tlsverify\": true" ROOT/etc/docker/daemon.json' "${A[@]}" --iface lo
row "recover --discard on a record that can be used" 4 'the record and its backup set can be read: "recover" completes' interrupted "$DRS" recover --root ROOT --discard
row "--method socket without systemd" 4 'BLOCK +--method socket needs systemd' no_systemd "${P[@]}" --iface lo --plain --method socket
row "ExecStart= ending in an option without its value" 4 'ExecStart= ends with "--log-level", which needs a value' dangling_option "${P[@]}" --iface lo --plain
row_changes "an admin's ListenStream= in docker.socket.d/override.conf" 0 'ListenStream=127\.0\.0\.1:2999 was not written by docker-remote-setup; it is replaced' socket_admin_listener \
        'grep -qx "SocketMode=0660" ROOT/etc/systemd/system/docker.socket.d/override.conf && grep -qx "ListenStream=127.0.0.1:2375" ROOT/etc/systemd/system/docker.socket.d/override.conf && ! grep -q 2999 ROOT/etc/systemd/system/docker.socket.d/override.conf' "${A[@]}" --iface lo --plain
row "status: a -DH tcp:// listener"  0 'TCP listeners: +\[::\]:2375'                       grouped_shorthands "$DRS" status --root ROOT
row "status: daemon.json's hosts"   0 'TCP listeners: +\[::\]:2375'                       daemon-json-hosts "$DRS" status --root ROOT
row "the lock a FIFO"               4 'lock is not a regular file; remove it'              fifo_lock "${AP[@]}"
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
