#!/bin/bash
# reboot.sh: the harness's reboot and second-source primitives on a real systemd. A plain listener
# applied on a persistent container is back after a clean reboot and answers a second client source;
# after the stock setup is restored, a reboot whose host0 address comes late keeps docker.service
# active through the gap (its ExecStart binds no address).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
drs_setup --persistent reboot

IP=$E2E_CT_IP
stock=$(drs_config_hash)
drs apply --iface host0 --plain --port 2375 --yes --json
drs_expect 0 "plain apply on host0"
backup=$(drs_json backup_id)
kept=$(drs_config_hash)
e2e_check "the files changed" test "$kept" != "$stock"

e2e_reboot
e2e_check "the files survived the reboot" test "$(drs_config_hash)" = "$kept"
e2e_check "the listener is back after the reboot" e2e_wait_for -t 20 e2e_ping_plain "$IP" 2375
e2e_assert "a second source address" e2e_add_source
src=$E2E_SOURCE
e2e_check "it is 10.213.$E2E_SLOT.5 ($src)" test "$src" = "10.213.$E2E_SLOT.5"
e2e_check "/_ping from $src" test "$(e2e_curl_from "$src" "http://$IP:2375/_ping")" = OK
e2e_check "/_ping from $E2E_HOST_IP" test "$(e2e_curl_from "$E2E_HOST_IP" "http://$IP:2375/_ping")" = OK

# Back to the stock setup, then a reboot with host0's address 8 s late.
drs rollback --to "$backup" --yes
drs_expect 0 "rollback to the stock setup"
e2e_check "stock files" test "$(drs_config_hash)" = "$stock"
e2e_reboot --late-address 8
host0_v4() { nsenter -t "$E2E_LEADER" -n ip -4 -o addr show dev host0; }
e2e_check "during the gap host0 has no IPv4 address" test -z "$(host0_v4)"
e2e_check "during the gap ve-$E2E_NAME has $E2E_HOST_IP" grep -q " $E2E_HOST_IP/30 " <<<"$(ip -4 -o addr show dev "ve-$E2E_NAME")"
e2e_check "during the gap docker.service becomes active" e2e_wait_for -t 5 e2e_unit_active docker.service
e2e_check "during the gap no restart of docker.service ($(e2e_unit_restarts docker.service))" test "$(e2e_unit_restarts docker.service)" = 0
e2e_check "the gap is still open" test -z "$(host0_v4)"
e2e_check "the late address came" e2e_wait_address
e2e_check "host0 has $IP now" grep -q " $IP/30 " <<<"$(host0_v4)"
e2e_check "the second source is routed again" test "$(nsenter -t "$E2E_LEADER" -n ip route show "$src/32")" != ""
e2e_check "ICMP from the second source's route" e2e_icmp_ping container "$src"
e2e_finish
