# lib.sh: helpers for the command-line tests: fixture roots, output comparison, skips.
# Sourced by tests/cli/*.sh; needs $top_srcdir and $DRS (set by the test harness).

set -u
: "${top_srcdir:?}" "${DRS:?}"
# The test build (fault switch, catalogue variable): built by `make check`, never installed.
DRS_TEST=${DRS_TEST:-$(dirname "$DRS")/docker-remote-setup-test}
# need_test_build: stops the test when the test build is missing.
need_test_build() {
        [ -x "$DRS_TEST" ] || { echo "FAIL: $DRS_TEST is missing: make docker-remote-setup-test"; exit 1; }
}
FIXTURES="$top_srcdir/tests/fixtures"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/drs-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
failures=0
export LC_ALL=C.UTF-8 LANG=C.UTF-8 NO_COLOR=1
unset LANGUAGE

# make_root CASE DIR: the case's base tree, files in its root/ copied over it, "*.append"
# files appended to the base file of that name, paths listed in "remove" deleted, and the
# "PATH TARGET" lines of "symlinks" made (symlinks do not survive `make dist`).
make_root() {
        local case="$FIXTURES/cases/$1" dir=$2 base f
        base=$(cat "$case/base")
        mkdir -p "$dir"
        [ "$base" = none ] || cp -a "$FIXTURES/base/$base/." "$dir/"
        if [ -d "$case/root" ]; then
                (cd "$case/root" && find . \( -type f -o -type l \) ! -name '*.append') | while read -r f; do
                        mkdir -p "$dir/$(dirname "$f")"
                        cp -a "$case/root/$f" "$dir/$f"
                done
                (cd "$case/root" && find . -type f -name '*.append') | while read -r f; do
                        cat "$case/root/$f" >> "$dir/${f%.append}"
                done
        fi
        if [ -f "$case/remove" ]; then
                while read -r f; do rm -f "$dir/$f"; done < "$case/remove"
        fi
        if [ -f "$case/symlinks" ]; then
                while read -r f target; do
                        mkdir -p "$dir/$(dirname "$f")"
                        ln -sfn "$target" "$dir/$f"
                done < "$case/symlinks"
        fi
        chmod -R u+w "$dir"
}

# tree_hash DIR: one hash over every path, type, mode and content under DIR.
tree_hash() {
        (cd "$1" && find . -printf '%p %y %m %l\n' | sort && find . -type f -print0 | sort -z | xargs -0r sha256sum) | sha256sum | cut -d' ' -f1
}

# compare NAME EXPECTED_FILE ACTUAL_FILE: diff, or rewrite the expectation when DRS_REGENERATE=1.
compare() {
        if [ "${DRS_REGENERATE:-}" = 1 ]; then
                cp "$3" "$2"
                echo "regenerated $2"
                return 0
        fi
        if ! diff -u "$2" "$3"; then
                echo "FAIL: $1 (output differs from $2)"
                failures=$((failures + 1))
                return 1
        fi
        echo "ok: $1"
}

fail() {
        echo "FAIL: $*"
        failures=$((failures + 1))
}

finish() {
        [ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
        exit 0
}

# in_netns CMD...: runs CMD in a new network namespace with the test NICs (netns-setup.sh).
# Tests using it call need_netns first.
NETNS=(unshare --net bash "$top_srcdir/tests/cli/netns-setup.sh")
in_netns() {
        "${NETNS[@]}" "$@"
}

need_netns() {
        if ! unshare --net true 2>/dev/null || ! command -v ip >/dev/null; then
                echo "SKIP: cannot create a network namespace here (needs root, unshare and ip)"
                exit 77
        fi
}

# expect_exit NAME CODE PATTERN CMD...: runs CMD, checks its exit code and that stdout+stderr
# contain PATTERN (grep -E).
expect_exit() {
        local name=$1 code=$2 pattern=$3 rc
        shift 3
        "$@" > "$TMP/out" 2>&1
        rc=$?
        if [ "$rc" -ne "$code" ]; then
                fail "$name: exit $rc, expected $code"
                sed 's/^/    /' "$TMP/out"
                return 1
        fi
        if ! grep -Eq -- "$pattern" "$TMP/out"; then
                fail "$name: output lacks /$pattern/"
                sed 's/^/    /' "$TMP/out"
                return 1
        fi
        echo "ok: $name"
}

# rootless_tree ROOT: a tree with a rootless Docker user (issue 19): alice (uid 1000) with linger,
# subuid/subgid ranges and the user unit dockerd-rootless-setuptool.sh install writes on Debian 13
# (docker.io 26.1.5); bob (uid 1001) without any of it.
rootless_tree() {
        local r=$1 h=$1/home/alice/.config/systemd/user
        mkdir -p "$r/etc" "$r/var/lib/systemd/linger" "$h" "$r/home/bob"
        printf 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:,,,:/home/alice:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/sh\n' >"$r/etc/passwd"
        printf 'alice:100000:65536\n' >"$r/etc/subuid"
        printf 'alice:100000:65536\n' >"$r/etc/subgid"
        touch "$r/var/lib/systemd/linger/alice"
        printf '%s\n' '[Unit]' 'Description=Docker Application Container Engine (Rootless)' '' '[Service]' \
                'Environment=PATH=/usr/share/docker.io/contrib:/sbin:/usr/sbin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
                'ExecStart=/usr/share/docker.io/contrib/dockerd-rootless.sh  --iptables=false' 'Restart=always' \
                'StartLimitBurst=3' 'Type=notify' >"$h/docker.service"
}
