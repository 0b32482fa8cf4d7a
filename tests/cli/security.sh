#!/bin/bash
# security.sh: the claims of SECURITY.md that a --root tree can show: the source rules (close-on-exec
# on every descriptor, no shell or exec, no symlink followed on the way to a write), the modes of
# the state directory, backups, keys and their backups, whatever the umask.
. "$top_srcdir/tests/cli/lib.sh"
need_test_build

STATE=var/lib/docker-remote-setup
RULES="$top_srcdir/tests/cli/source-rules.py"

# ---- the sources
# shellcheck disable=SC2046
if python3 "$RULES" $(find "$top_srcdir/src" -name '*.[ch]') > "$TMP/rules" 2>&1; then
        echo "ok: every descriptor close-on-exec, no shell or exec, no symlink followed for writes"
else
        fail "source rules:"
        sed 's/^/    /' "$TMP/rules"
fi
# The checker itself must see a violation.
printf 'int f(void) { return open("x", O_RDONLY) + dup(1); }\nvoid g(void) { system("true"); }\nvoid *h(void) { return dlopen("libx.so", 0); }\n' > "$TMP/bad.c"
python3 "$RULES" "$TMP/bad.c" > "$TMP/rules" && fail "source-rules.py finds nothing wrong in a bad file"
[ "$(grep -c . "$TMP/rules")" -eq 4 ] || { fail "source-rules.py: expected 4 findings"; cat "$TMP/rules"; }
# ... and a layer leak: the wizard including a header of sys, core one of the engine.
mkdir -p "$TMP/tree/include/sys" "$TMP/tree/include/engine" "$TMP/tree/src/tui" "$TMP/tree/src/core"
: > "$TMP/tree/include/sys/probe.h"
: > "$TMP/tree/include/engine/engine.h"
printf '#include "probe.h"\n#include "engine.h"\n' > "$TMP/tree/src/tui/leak.c"
printf '#include "engine.h"\n' > "$TMP/tree/src/core/leak.c"
python3 "$RULES" "$TMP/tree/src/tui/leak.c" "$TMP/tree/src/core/leak.c" > "$TMP/rules" &&
        fail "source-rules.py finds no layer leak"
[ "$(grep -c 'header of the' "$TMP/rules")" -eq 2 ] || { fail "source-rules.py: expected 2 layer leaks"; cat "$TMP/rules"; }
# ... and a function over 100 lines in the engine.
mkdir -p "$TMP/tree/src/engine"
{ echo 'int f(void) {'; for _ in $(seq 110); do echo '        g();'; done; echo '}'; } > "$TMP/tree/src/engine/long.c"
python3 "$RULES" "$TMP/tree/src/engine/long.c" > "$TMP/rules" && fail "source-rules.py finds no long function"
grep -q 'a function of 112 lines' "$TMP/rules" || { fail "source-rules.py: expected a long function"; cat "$TMP/rules"; }

# ---- modes
# mode_is NAME MODE PATH...
mode_is() {
        local name=$1 want=$2 p
        shift 2
        for p in "$@"; do
                [ -e "$p" ] || { fail "$name: $p is missing"; continue; }
                [ "$(stat -c %a "$p")" = "$want" ] || fail "$name: $p has mode $(stat -c %a "$p"), expected $want"
                [ "$(stat -c %u "$p")" = 0 ] || fail "$name: $p is not owned by root"
        done
}

check_tree() {
        local name=$1 r=$2 d
        mode_is "$name: state directory" 700 "$r/$STATE" "$r/$STATE/backups" "$r/$STATE"/backups/*/
        mode_is "$name: state files" 600 "$r/$STATE/lock" $(find "$r/$STATE/backups" -type f)
        d=$r/etc/docker/remote-setup
        mode_is "$name: keys" 600 "$d/ca-key.pem" "$d/server-key.pem" "$d/client/key.pem" "$d/client.tar"
        mode_is "$name: certificates" 644 "$d/ca.pem" "$d/server-cert.pem" "$d/client/ca.pem" "$d/client/cert.pem"
        mode_is "$name: drop-in" 644 "$r/etc/systemd/system/docker.socket.d/override.conf" "$r/etc/docker/daemon.json"
        [ -z "$(find "$r" -perm -o+w ! -type l)" ] || fail "$name: world-writable: $(find "$r" -perm -o+w ! -type l)"
}

for mask in 022 000 077; do
        r="$TMP/tls-$mask"
        make_root debian-tls "$r"
        (umask "$mask" && "$DRS" apply --root "$r" --iface lo --yes > "$TMP/out" 2>&1) || { fail "apply, umask $mask"; cat "$TMP/out"; }
        check_tree "umask $mask" "$r"
        # The transaction record, caught while it exists.
        (umask "$mask" && DRS_TEST_FAULT=after-backup:kill exec "$DRS_TEST" apply --root "$r" --iface lo --port 2380 --yes > /dev/null 2>&1)
        mode_is "umask $mask: transaction record" 600 "$r/$STATE/current.json"
done
echo "ok: modes whatever the umask"

# A state directory that already exists with a looser mode is tightened.
r="$TMP/loose"
make_root debian-plain "$r"
mkdir -p "$r/$STATE/backups"
chmod 755 "$r/$STATE" "$r/$STATE/backups"
"$DRS" apply --root "$r" --iface lo --plain --yes > /dev/null 2>&1 || fail "apply over a loose state directory"
mode_is "existing state directory" 700 "$r/$STATE" "$r/$STATE/backups"

# New TLS material for another address: the old keys are backed up, 0600, byte for byte.
need_netns
r="$TMP/renew"
make_root debian-tls "$r"
chmod 755 "$TMP"
in_netns "$DRS" apply --root "$r" --iface eth1 --yes > /dev/null 2>&1 || fail "apply on eth1"
cp "$r/etc/docker/remote-setup/server-key.pem" "$TMP/old-key"
in_netns "$DRS" apply --root "$r" --iface eth5 --address 172.16.1.5 --yes > "$TMP/out" 2>&1 || { fail "apply on eth5"; cat "$TMP/out"; }
cmp -s "$TMP/old-key" "$r/etc/docker/remote-setup/server-key.pem" && fail "the key was not renewed for the new address"
set_dir="$r/$STATE/backups/$(ls "$r/$STATE/backups" | tail -n1)"
found=
for b in "$set_dir"/*; do cmp -s "$b" "$TMP/old-key" && found=$b; done
[ -n "$found" ] || fail "the old server key is not in the last backup set"
[ -z "$found" ] || mode_is "backup of a key" 600 "$found"
check_tree "renewed" "$r"
echo "ok: the old keys are backed up 0600"
finish
