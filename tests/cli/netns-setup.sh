#!/bin/bash
# netns-setup.sh: inside a fresh network namespace, creates the NICs the tests expect, then runs "$@".
# eth0 public with the default route, eth1 private, eth2 CGNAT, eth3 ULA only, eth4 down,
# eth5 private with two addresses, docker0, br-0123456789ab and a veth pair (container plumbing).
set -e
# No generated link-local addresses: they derive from random MACs and would change every run.
echo 1 > /proc/sys/net/ipv6/conf/default/addr_gen_mode
ip link set lo up
# Each NIC is one end of a veth pair (this kernel may lack the dummy driver); the peer is named
# veth-… so that it counts as container plumbing and stays hidden.
add() { ip link add "$1" type veth peer name "veth-$1"; ip link set "veth-$1" up; ip link set "$1" up; }
add eth0; ip addr add 203.0.113.10/24 dev eth0; ip -6 addr add 2001:db8::10/64 dev eth0 nodad
ip route add default via 203.0.113.1 dev eth0
add eth1; ip addr add 10.0.0.5/24 dev eth1; ip -6 addr add fe80::5/64 dev eth1 nodad
add eth2; ip addr add 100.64.1.5/10 dev eth2
add eth3; ip -6 addr add fd00::5/64 dev eth3 nodad
ip link add eth4 type veth peer name veth-eth4; ip addr add 192.168.50.5/24 dev eth4
add eth5; ip addr add 172.16.1.5/24 dev eth5; ip addr add 172.16.1.6/24 dev eth5
ip link add docker0 type bridge; ip addr add 172.17.0.1/16 dev docker0; ip link set docker0 up
ip link add br-0123456789ab type bridge; ip addr add 172.18.0.1/16 dev br-0123456789ab
ip link add veth1a2b3c4 type veth peer name veth9f8e7d6
exec "$@"
