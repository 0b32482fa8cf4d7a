#!/bin/bash
# faults-more.sh: what faults.sh does for apply, for confirm and rollback --to on a real systemd
# and dockerd: killed at each step, each write failing (state and configuration, also while
# reverting). Each time: every file byte-identical to its old or new version, the next run
# detects the interrupted change and repairs it, and docker.service ends up running with the
# expected listeners. Prints the number of fault points at the end.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
drs_setup faultm hooks

IP=$E2E_CT_IP
DROPIN=/etc/systemd/system/docker.socket.d/override.conf
points=0
stock=$(drs_config_hash)
default_stock=$(e2e_file_hash /etc/default/docker)
absent=$(printf '' | sha256sum | cut -d' ' -f1)
drop_hash() { e2e_sh "cat $DROPIN 2>/dev/null | sha256sum | cut -d' ' -f1"; }
timers() { e2e_run systemctl list-units --all --no-legend 'docker-remote-setup-*'; }
newest() { e2e_sh 'ls /var/lib/docker-remote-setup/backups | tail -n 1'; }
stock_and_running() {
	e2e_check "$1: stock files" test "$(drs_config_hash)" = "$stock"
	e2e_check "$1: docker.service active" e2e_unit_active docker.service
	e2e_check "$1: the local socket answers" e2e_run curl -sf --unix-socket /run/docker.sock http://d/_ping
	e2e_check "$1: no TCP listener on 2375" drs_not drs_tcp_listening 2375
}
applied_and_running() {
	e2e_check "$1: the applied files" test "$(drs_config_hash)" = "$applied"
	e2e_check "$1: docker.service active" e2e_unit_active docker.service
	e2e_check "$1: /_ping on $IP:2375" e2e_ping_plain "$IP" 2375
}

# The reference: the configuration after a kept apply (plain, 2375), and its backup ID.
drs apply --iface host0 --plain --yes
drs_expect 0 "reference apply"
applied=$(drs_config_hash)
new_dropin=$(drop_hash)
ref=$(newest)

# ---------------------------------------------------------------- kills during confirm
for point in during-confirm after-confirm; do
	drs rollback --to "$ref" --yes
	drs apply --iface host0 --plain --yes --confirm-timeout 300
	drs_expect 0 "$point: apply, pending confirmation"
	id=$(newest)
	drs DRS_TEST_FAULT="$point:kill" confirm
	drs_expect 137 "$point: confirm killed"
	points=$((points + 1))
	applied_and_running "$point"
	if [ "$point" = during-confirm ]; then
		# The record is still there, and so are the timers: still pending.
		drs status
		drs_out_has "Pending: +backup $id: reverted at"
		e2e_check "$point: the timers are still armed" test -n "$(timers)"
		drs confirm
		drs_expect 0 "$point: confirm again keeps it"
		drs_out_has "Kept: the change \(backup $id\) is confirmed"
	else
		# The record is gone: the timers left armed find nothing to revert when they fire.
		drs status
		drs_out_has "Pending: +nothing"
		e2e_run systemctl start "docker-remote-setup-deadline-$id.service"
		e2e_check "$point: the deadline timer's revert ran and found nothing" \
			bash -c "nsenter -t $E2E_LEADER -a journalctl -q -o cat -u docker-remote-setup-deadline-$id.service | grep -q 'Nothing to revert'"
	fi
	applied_and_running "$point: in the end"
	e2e_run systemctl stop 'docker-remote-setup-*' 2>/dev/null
	e2e_check "$point: no timer left" test -z "$(timers)"
	drs rollback --list
	drs_out_has "^$id .*kept \(confirmed\)"
done

# The record of confirm failing to be saved (the result noted in the manifest): kept anyway, said so.
drs rollback --to "$ref" --yes
drs apply --iface host0 --plain --yes --confirm-timeout 300
id=$(newest)
drs DRS_TEST_FAULT=state-write@1:eio confirm
drs_expect 0 "confirm, state-write@1:eio: kept"
drs_out_has "manifest.json: the change is done, but its result could not be noted: Input/output error"
points=$((points + 1))
applied_and_running "confirm, state-write@1"
e2e_check "confirm, state-write@1: no timer left" test -z "$(timers)"
drs status
drs_out_has "Pending: +nothing"

# ---------------------------------------------------------------- kills during rollback --to
# B (port 2380) applied over A (2375); rollback --to B's backup (the state with A) is killed at
# each step. The next rollback --to first reverts the interrupted one (back to B, restarted and
# verified), then rolls back to A.
drs apply --iface host0 --plain --yes
for point in after-backup mid-write@1 after-file@1 after-timer after-reload after-restart during-verify; do
	e2e_log "=== rollback --to, killed at $point"
	drs apply --iface host0 --plain --port 2380 --yes
	drs_expect 0 "rollback $point: B applied"
	b_dropin=$(drop_hash)
	b_id=$(newest)
	drs DRS_TEST_FAULT="$point:kill" rollback --to "$b_id" --yes
	drs_expect 137 "rollback $point: the tool died"
	points=$((points + 1))
	h=$(drop_hash)
	e2e_check "rollback $point: the drop-in is A's or B's" bash -c "[ '$h' = '$new_dropin' ] || [ '$h' = '$b_dropin' ]"
	drs status
	drs_out_has "Pending: +backup .*interrupted"
	drs rollback --to "$b_id" --yes
	drs_expect 0 "rollback $point: the next rollback repairs, then rolls back"
	drs_out_has "An interrupted change .* was found and reverted first"
	applied_and_running "rollback $point"
	e2e_check "rollback $point: B's listener is gone" drs_not drs_tcp_listening 2380
	e2e_check "rollback $point: no temporary files" drs_no_temp_files
	e2e_check "rollback $point: no timer left" test -z "$(timers)"
done

# ---------------------------------------------------------------- write failures, with restarts
# Our state (backups, the record) failing at each write of apply: exit 1 and nothing changed
# (nothing restarted), or, for the last one (the result noted), kept.
drs rollback --to "$ref" --yes
for n in $(seq 1 12); do
	drs DRS_TEST_FAULT="state-write@$n:eio" apply --iface host0 --plain --yes
	if [ "$DRS_RC" -eq 0 ] && ! grep -q "Input/output error" "$DRS_OUT"; then break; fi
	points=$((points + 1))
	if [ "$DRS_RC" -eq 1 ]; then
		drs_out_has "Input/output error"
		stock_and_running "state-write@$n"
	else
		drs_expect 0 "state-write@$n: only the result could not be noted"
		applied_and_running "state-write@$n"
		drs rollback --to "$(newest)" --yes
	fi
	e2e_check "state-write@$n: no timer left" test -z "$(timers)"
	e2e_check "state-write@$n: no transaction left" drs_not e2e_run test -e /var/lib/docker-remote-setup/current.json
done
e2e_log "state writes of apply with a restart: $((n - 1))"

# The configuration write of rollback --to failing (back from B to A): nothing changed, the daemon
# keeps B's listener.
drs apply --iface host0 --plain --yes
drs apply --iface host0 --plain --port 2380 --yes
b_hash=$(drs_config_hash)
b_id=$(newest)
for action in enospc eio eacces; do
	drs DRS_TEST_FAULT="write@1:$action" rollback --to "$b_id" --yes
	drs_expect 1 "rollback --to, write@1:$action"
	points=$((points + 1))
	e2e_check "rollback --to, write@1:$action: B's files" test "$(drs_config_hash)" = "$b_hash"
	e2e_check "rollback --to, write@1:$action: B's listener answers" e2e_ping_plain "$IP" 2380
done
drs rollback --to "$ref" --yes

# Verification fails (the port is taken) and the revert cannot write the file back: exit 7, the
# record stays, the next run finishes the revert. With --method docker-opts the apply writes the
# docker.service drop-in with the restart lines (write 1) and rewrites /etc/default/docker (write
# 2); the revert writes them back (write 3 is its first).
e2e_run systemd-run --unit=squatter /usr/bin/systemd-socket-activate -l "$IP:2390" /bin/cat >/dev/null 2>&1
e2e_check "something listens on 2390" e2e_wait_for -t 10 drs_tcp_listening 2390
drs DRS_TEST_FAULT=write@3:eio apply --iface host0 --plain --port 2390 --method docker-opts --yes --skip-preflight
drs_expect 7 "the revert could not write the file back"
points=$((points + 1))
drs status
drs_out_has "Pending: +backup .*interrupted while reverting"
drs rollback --list
drs apply --iface host0 --plain --yes
drs_expect 0 "the next apply finishes the revert, then applies"
drs_out_has "An interrupted change .* was found and reverted first"
e2e_check "/etc/default/docker is stock again" test "$(e2e_file_hash /etc/default/docker)" = "$default_stock"
applied_and_running "after the repaired revert"
e2e_run systemctl stop squatter.service

e2e_log "fault points exercised with a real systemd: $points"
e2e_finish
