#!/bin/bash
# durability.sh: every directory the tool makes (state directory, backup sets, the drop-in and TLS
# directories) is made durable: after each mkdirat() the parent directory is fsynced, and no
# fsync() fails (an O_PATH descriptor would give EBADF, silently). Seen with strace on --root trees.
. "$top_srcdir/tests/cli/lib.sh"

command -v strace > /dev/null || { echo "SKIP: strace is not installed"; exit 77; }
strace -f -o /dev/null true 2> /dev/null || { echo "SKIP: strace cannot trace here (ptrace refused)"; exit 77; }

# traced NAME ARGS...: the program under strace (mkdirat, fsync, renameat2); the trace in $TMP/trace.
traced() {
        local name=$1
        shift
        # LeakSanitizer cannot run under ptrace (a sanitizer build): leaks are looked for by the other tests.
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
                strace -f -qq -e trace=mkdirat,fsync,renameat,renameat2 -o "$TMP/trace" "$DRS" "$@" > "$TMP/out" 2>&1 ||
                { fail "$name: exit $?"; sed 's/^/    /' "$TMP/out"; }
        # Each successful mkdirat(fd, …) is followed by a successful fsync(fd) of the same process.
        python3 - "$TMP/trace" > "$TMP/check" <<'PY'
import re, sys
pending = {}
bad = []
made = 0
for line in open(sys.argv[1]):
    m = re.match(r'(\d+)\s+(\w+)\((\d+)?(.*)\)\s+=\s+(-?\d+)(.*)', line)
    if not m:
        continue
    pid, call, fd, rest, ret, err = m.groups()
    if call == 'fsync' and ret != '0':
        bad.append('failed: ' + line.strip())
    if call == 'mkdirat' and ret == '0':
        made += 1
        pending[(pid, fd)] = line.strip()
    if call == 'fsync' and ret == '0':
        pending.pop((pid, fd), None)
bad += ['never fsynced: ' + v for v in pending.values()]
print('\n'.join(bad) if bad else 'ok %d' % made)
PY
        if grep -q '^ok [1-9]' "$TMP/check"; then
                echo "ok: $name: $(cut -d' ' -f2 "$TMP/check") directories made, each parent fsynced, no fsync failed"
        else
                fail "$name: $(cat "$TMP/check")"
        fi
}

root="$TMP/root"
make_root debian-plain "$root"
traced "TLS apply (state, backups, TLS and drop-in directories)" apply --root "$root" --iface lo --yes
[ -d "$root/etc/docker/remote-setup/client" ] && [ -d "$root/etc/systemd/system/docker.socket.d" ] ||
        fail "the TLS and drop-in directories were not made"
traced "rollback --to the first set" rollback --root "$root" --to "$(ls "$root/var/lib/docker-remote-setup/backups" | head -n1)" --yes
finish
