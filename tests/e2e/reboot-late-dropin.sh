#!/bin/bash
# reboot-late-dropin.sh: --method dropin and --method docker-opts survive a late address at boot
# (issue 13 item 4). dockerd binds the address itself with these methods and fails while it is
# missing; our docker.service drop-in turns systemd's start limit off and restarts it every 2 s.
# After apply and confirm, the container is rebooted with host0's address added 20 s after boot:
# docker.service must never end up failed, and once the address exists the TCP listener answers
# (within 6 s: RestartSec=2s plus dockerd's start), docker.service is active and the local socket
# answers. The restarts during the gap and the seconds from the address to the listener are logged.
# A second apply changes nothing (exit 6); rolling back to the stock state removes our lines.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"

drs_setup --persistent rlated
IP=$E2E_CT_IP
LATE=20
DROPIN=/etc/systemd/system/docker.service.d/override.conf

unix_ping() { [ "$(e2e_run curl -s --max-time 2 --unix-socket /run/docker.sock http://docker/_ping 2>/dev/null)" = OK ]; }
addr_present() { drs_addr_present "$IP"; }
# not_failed DESC: docker.service not "failed" (activating between restarts is fine).
not_failed() {
	[ "$(e2e_run systemctl is-failed docker.service)" != failed ] && return 0
	e2e_log "$1: docker.service failed during the gap"
	return 1
}
plain_ping() { [ "$(curl -s --noproxy '*' --connect-timeout 1 --max-time 2 "http://$IP:$PORT/_ping" 2>/dev/null)" = OK ]; }
has_boot_lines() {
	e2e_sh 'grep -qx "StartLimitIntervalSec=0" "$1" && grep -qx "RestartSec=2s" "$1"' "$DROPIN"
}

# reboot_late DESC: reboot with the address LATE s late; docker.service must keep trying and
# answer once the address exists.
reboot_late() {
	local desc=$1 up restarts
	e2e_reboot --late-address "$LATE"
	e2e_check "$desc: host0 without its address after the reboot" drs_not addr_present
	drs_watch_gap "$IP" "$desc" not_failed
	local seen=$DRS_GAP_SEEN failed=$DRS_GAP_BAD
	e2e_check "$desc: the gap was observed (at least 5 looks without the address)" test "$seen" -ge 5
	e2e_check "$desc: docker.service never failed while the address was missing" test "$failed" = 0
	e2e_wait_address || e2e_fail "$desc: the late address could not be added"
	up=$(e2e_now_us)
	e2e_check "$desc: the TCP listener answers within 6 s of the address appearing" e2e_wait_for -t 6 -i 0.05 plain_ping
	e2e_log "$desc: listener answered $(e2e_since "$up") s after the address appeared"
	restarts=$(e2e_unit_restarts docker.service)
	e2e_log "$desc: docker.service restarted $restarts times (NRestarts) during the ${LATE} s gap"
	e2e_check "$desc: dockerd was restarted during the gap (the address was missing)" test "$restarts" -ge 1
	e2e_check "$desc: docker.service active after the gap" e2e_unit_active docker.service
	e2e_check "$desc: /run/docker.sock answers after the gap" unix_ping
	e2e_check "$desc: no failed unit" test -z "$(e2e_run systemctl --failed --no-legend --no-pager)"
}

# 1. --method dropin, plain, confirmed.
drs apply --iface host0 --plain --port 2375 --method dropin --yes --confirm-timeout 120 --json
drs_expect 0 "apply --method dropin"
first=$(drs_json backup_id)
drs confirm
drs_expect 0 "confirm"
e2e_check "dropin: our drop-in has the listener and the boot lines" \
	e2e_sh 'grep -q "tcp://$1:2375" "$2"' "$IP" "$DROPIN"
e2e_check "dropin: StartLimitIntervalSec=0 and RestartSec=2s" has_boot_lines
drs apply --iface host0 --plain --port 2375 --method dropin --yes
drs_expect 6 "dropin: a second apply changes nothing"
PORT=2375
reboot_late "dropin"

# 2. --method docker-opts, plain, confirmed: DOCKER_OPTS and a drop-in with the boot lines only.
drs apply --iface host0 --plain --port 2385 --method docker-opts --yes --confirm-timeout 120
drs_expect 0 "apply --method docker-opts"
drs confirm
drs_expect 0 "confirm"
e2e_check "docker-opts: the listener is in DOCKER_OPTS" e2e_sh 'grep -q "tcp://$1:2385" /etc/default/docker' "$IP"
e2e_check "docker-opts: no ExecStart= override left in our drop-in" drs_not e2e_sh 'grep -q "^ExecStart" "$1"' "$DROPIN"
e2e_check "docker-opts: StartLimitIntervalSec=0 and RestartSec=2s" has_boot_lines
drs apply --iface host0 --plain --port 2385 --method docker-opts --yes
drs_expect 6 "docker-opts: a second apply changes nothing"
PORT=2385
reboot_late "docker-opts"

# 3. Rollback to the stock state: our lines are gone, Docker is as it was.
drs rollback --to "$first" --yes
drs_expect 0 "rollback to the state before the first apply"
e2e_check "rollback: our drop-in is gone" drs_not e2e_sh 'test -e "$1"' "$DROPIN"
e2e_check "rollback: no StartLimitIntervalSec= of ours anywhere" \
	drs_not e2e_sh 'grep -rqs "^StartLimitIntervalSec=0" /etc/systemd/system/docker.service.d/'
e2e_check "rollback: DOCKER_OPTS has no listener of ours" drs_not e2e_sh 'grep -q "tcp://" /etc/default/docker'
e2e_check "rollback: docker.service active" e2e_unit_active docker.service
e2e_check "rollback: /run/docker.sock answers" unix_ping

e2e_finish
