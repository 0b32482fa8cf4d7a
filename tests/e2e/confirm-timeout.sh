#!/bin/bash
# confirm-timeout.sh: apply --confirm-timeout 15 without confirm: after the deadline the files are
# byte-identical to before, dockerd runs and listens on no TCP port; the same when the tool is
# killed (SIGKILL) right after arming the revert timer.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
drs_setup ctime hooks

IP=$E2E_CT_IP
reverted() { [ "$(drs_config_hash)" = "$1" ] && [ -z "$(e2e_run systemctl list-units --all --no-legend 'docker-remote-setup-*')" ]; }
back_to_stock() {
	e2e_check "$1: files byte-identical to before" test "$(drs_config_hash)" = "$2"
	e2e_check "$1: docker.service active" e2e_unit_active docker.service
	e2e_check "$1: no TCP listener on 2375" drs_not drs_tcp_listening 2375
	e2e_check "$1: /_ping on TCP refused" bash -c "! curl -s -m 2 http://$IP:2375/_ping"
	e2e_check "$1: the local socket answers" e2e_run curl -sf --unix-socket /run/docker.sock http://d/_ping
}

before=$(drs_config_hash)
drs apply --iface host0 --plain --yes --confirm-timeout 15
drs_expect 0 "apply --confirm-timeout 15"
e2e_check "listening during the window" e2e_ping_plain "$IP" 2375
t0=$(e2e_now_us)
e2e_check "reverted after the deadline" e2e_wait_for -t 60 -i 0.5 reverted "$before"
e2e_log "reverted $(e2e_since "$t0") s after apply returned"
back_to_stock "deadline" "$before"
e2e_check "the revert is in the journal with its MESSAGE_ID" \
	test -n "$(e2e_run journalctl -q MESSAGE_ID=41a056bcf4804073a11ff1f577ca344e -o cat)"
drs confirm
drs_expect 4 "confirm after the deadline is refused"
drs rollback --list
drs_out_has "reverted: not confirmed before the deadline"

# Killed right after the timer was armed: the files are new, nothing restarted; the guard
# timer (verify timeout 10 + confirm 15 + margin 15 s) reverts anyway.
drs DRS_TEST_FAULT=after-timer:kill apply --iface host0 --plain --yes --confirm-timeout 15 --timeout 10
drs_expect 137 "killed after arming the timer"
e2e_check "the new socket drop-in is on disk" e2e_run test -f /etc/systemd/system/docker.socket.d/override.conf
e2e_check "the guard timer is armed" test -n "$(e2e_run systemctl list-units --no-legend 'docker-remote-setup-revert-*.timer')"
t0=$(e2e_now_us)
e2e_check "reverted by the timer alone" e2e_wait_for -t 90 -i 0.5 reverted "$before"
e2e_log "reverted $(e2e_since "$t0") s after the kill"
back_to_stock "killed" "$before"
e2e_check "no temporary files left" drs_no_temp_files
drs status
drs_out_has "Pending: +nothing"
e2e_finish
