#!/bin/bash
# interfaces.sh: NICs of every class in a private network namespace: the `interfaces` listing, and
# `preview` choosing addresses by interface and refusing what the safety rules forbid.
. "$top_srcdir/tests/cli/lib.sh"
need_netns

in_netns "$DRS" interfaces > "$TMP/interfaces" 2>&1
compare "interfaces" "$top_srcdir/tests/cli/expected/interfaces.out" "$TMP/interfaces"
in_netns "$DRS" interfaces --all > "$TMP/interfaces-all" 2>&1
compare "interfaces --all" "$top_srcdir/tests/cli/expected/interfaces-all.out" "$TMP/interfaces-all"
in_netns "$DRS" interfaces --json > "$TMP/json" 2>&1
grep -q '"name": "eth0"' "$TMP/json" && grep -q '"default_route": true' "$TMP/json" && echo "ok: json" ||
        fail "interfaces --json lacks eth0 with its default route"

root="$TMP/root"
make_root debian-plain "$root"
before=$(tree_hash "$root")
P=(in_netns "$DRS" preview --root "$root")

expect_exit "private plain"  0 'tcp://10.0.0.5:2375 on eth1, private \(RFC 1918\)' "${P[@]}" --iface eth1 --plain
expect_exit "private tls"    0 'tcp://10.0.0.5:2376 on eth1'                "${P[@]}" --iface eth1
expect_exit "public plain"   4 'plain TCP is refused on 203.0.113.10 \(public\)' "${P[@]}" --iface eth0 --plain
expect_exit "public tls"     4 '203.0.113.10 \(public\): the Docker API would be reachable.*--allow-public' "${P[@]}" --iface eth0
expect_exit "public allowed" 0 'warn +203.0.113.10 \(public\): the Docker API will be reachable'     "${P[@]}" --iface eth0 --allow-public
expect_exit "cgnat plain"    0 'tcp://100.64.1.5:2375 on eth2, CGNAT'       "${P[@]}" --iface eth2 --plain
expect_exit "ula plain"      0 'tcp://\[fd00::5\]:2375 on eth3, ULA'        "${P[@]}" --iface eth3 --plain
expect_exit "ipv6 public"    4 '2001:db8::10 \(public\)'                    "${P[@]}" --iface eth0 --address 2001:db8::10 --plain
expect_exit "two addresses"  4 'interface "eth5" has several addresses \(172.16.1.5, 172.16.1.6\); choose one with --address' \
        "${P[@]}" --iface eth5
expect_exit "one of two"     0 'tcp://172.16.1.6:2376 on eth5'              "${P[@]}" --iface eth5 --address 172.16.1.6
expect_exit "wrong family"   4 'address 10.0.0.5 is not on interface "eth3" \(it has: fd00::5\)' \
        "${P[@]}" --iface eth3 --address 10.0.0.5
expect_exit "address finds iface" 0 'tcp://100.64.1.5:2375 on eth2'         "${P[@]}" --address 100.64.1.5 --plain
expect_exit "down interface" 0 'warn +interface "eth4" is down'             "${P[@]}" --iface eth4 --plain
expect_exit "docker0"        0 'docker0'                                    "${P[@]}" --iface docker0 --plain
expect_exit "no address"     4 'interface "veth1a2b3c4" has no address'     "${P[@]}" --iface veth1a2b3c4
[ "$(tree_hash "$root")" = "$before" ] || fail "preview changed the tree"

# The test-bind on the live host: something already listens on the port.
expect_exit "port in use" 4 'port 2375 on 10.0.0.5 is already in use' \
        in_netns bash -c 'python3 -c "
import socket, sys, os
s = socket.socket(); s.bind((\"10.0.0.5\", 2375)); s.listen()
os.set_inheritable(s.fileno(), True)
os.execvp(sys.argv[1], sys.argv[1:])" "$@"' _ "$DRS" preview --iface eth1 --plain
finish
