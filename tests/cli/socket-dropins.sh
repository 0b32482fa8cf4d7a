#!/bin/bash
# socket-dropins.sh: the TCP listeners of docker.socket's drop-ins are read as systemd reads them
# (review finding of issue 13): an empty ListenStream= resets the list, a drop-in masked by a
# /dev/null one of its name (or hidden by one in a directory that takes precedence) is nothing.
. "$top_srcdir/tests/cli/lib.sh"

root="$TMP/root"
make_root debian-plain "$root"
D=etc/systemd/system/docker.socket.d
listeners() {
        "$DRS" status --root "$root" --json |
                python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["method"], " ".join(d["listeners"]))'
}
check() { # DESC EXPECTED
        local got
        got=$(listeners)
        [ "$got" = "$2" ] && echo "ok: $1" || fail "$1: status says \"$got\", expected \"$2\""
}
expect_exit "socket apply" 0 "Files written" "$DRS" apply --root "$root" --iface lo --plain --yes
check "our listener" "socket 127.0.0.1:2375"

printf '[Socket]\nListenStream=\nListenStream=/run/docker.sock\n' > "$root/$D/zz-reset.conf"
check "a later empty ListenStream= resets the list" "None "
expect_exit "apply after the reset: our listener goes after it" 0 "Files written" \
        "$DRS" apply --root "$root" --iface lo --plain --dropin zzz.conf --yes
check "after the reset, ours in zzz.conf" "socket 127.0.0.1:2375"
grep -qx 'ListenStream=127.0.0.1:2375' "$root/$D/zzz.conf" && echo "ok: zzz.conf has our listener" ||
        fail "zzz.conf: $(cat "$root/$D/zzz.conf")"
rm -f "$root/$D/zz-reset.conf" "$root/$D/zzz.conf"
check "without the reset, ours again" "socket 127.0.0.1:2375"

mkdir -p "$root/run/systemd/system/docker.socket.d"
printf '[Socket]\nListenStream=10.9.9.9:2999\n' > "$root/run/systemd/system/docker.socket.d/50-tcp.conf"
check "a drop-in in /run adds its listener" "socket 10.9.9.9:2999 127.0.0.1:2375"
ln -s /dev/null "$root/$D/50-tcp.conf"
check "masked by a /dev/null one of its name in /etc: nothing" "socket 127.0.0.1:2375"
rm "$root/$D/50-tcp.conf"
printf '[Socket]\n' > "$root/$D/50-tcp.conf"
check "hidden by an /etc one of its name: nothing" "socket 127.0.0.1:2375"

# --allow-from: the header names the allow-list lines as ours (a file of an earlier run gets that
# header with its first allow-list); a second run changes nothing; another method says the list goes.
root="$TMP/allow"
make_root debian-plain "$root"
expect_exit "socket apply, no allow-list" 0 "Files written" "$DRS" apply --root "$root" --iface lo --plain --yes
grep -q "IPAddressAllow" "$root/$D/override.conf" && fail "an allow-list without --allow-from"
expect_exit "the same with --allow-from" 0 "Files written" \
        "$DRS" apply --root "$root" --iface lo --plain --allow-from 127.0.0.0/8 --yes
grep -q '^# and IPAddressAllow= (--allow-from) are yours' "$root/$D/override.conf" &&
        echo "ok: the header names the allow-list as ours" || fail "header: $(cat "$root/$D/override.conf")"
[ "$(grep -c '^# Written by docker-remote-setup' "$root/$D/override.conf")" = 1 ] && echo "ok: one header" ||
        fail "two headers: $(cat "$root/$D/override.conf")"
expect_exit "again: nothing to do" 6 "Nothing to do" \
        "$DRS" apply --root "$root" --iface lo --plain --allow-from 127.0.0.0/8 --yes
expect_exit "status: the allow-list in force" 0 "Allowed from: +127.0.0.0/8, localhost" "$DRS" status --root "$root"
printf '[Socket]\nIPAddressDeny=\n' > "$root/$D/zz-open.conf"
expect_exit "status: a later empty IPAddressDeny= opens it" 0 "Allowed from: +any address that can reach the port" \
        "$DRS" status --root "$root"
rm "$root/$D/zz-open.conf"
expect_exit "another method: the allow-list goes, said" 0 \
        "warn +the allow-list of docker.socket \(127.0.0.0/8, localhost\) goes with its listener" \
        "$DRS" preview --root "$root" --iface lo --plain --method dropin

# A kept allow-list (no --allow-from this time) that leaves out a new listener address: refused.
root="$TMP/allow2"
make_root debian-plain "$root"
expect_exit "apply on fd00::2 with an allow-list" 0 "Files written" \
        "$DRS" apply --root "$root" --iface eth0 --address fd00::2 --allow-from fd00::/64 --yes
expect_exit "then another address without --allow-from: refused" 4 \
        "BLOCK +the allow-list in /etc/systemd/system/docker.socket.d/override.conf \(fd00::/64, localhost\) does not include the new address 192.0.2.2" \
        "$DRS" preview --root "$root" --iface eth0 --address 192.0.2.2 --allow-public
finish
