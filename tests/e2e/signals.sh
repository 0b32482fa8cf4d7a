#!/bin/bash
# signals.sh: a signal during a change on a real systemd (issue 16 item 16). The test build
# stops itself while it waits for the restarted dockerd (during-verify) or right after arming the
# revert timer; SIGHUP (an SSH session dropped) or SIGTERM is sent, then SIGCONT: the change
# runs to its end (kept, verified), the files are the new ones, docker is active, no timer or
# transaction record is left, and stderr says which signal arrived.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
drs_setup sigs hooks
IP=$E2E_CT_IP
port=2375
for case in HUP:during-verify TERM:after-timer INT:after-backup; do
	sig=${case%%:*} step=${case#*:}
	port=$((port + 1))
	e2e_log "=== SIG$sig at $step"
	e2e_run env --default-signal=HUP,INT,TERM DRS_TEST_FAULT="$step:stop" docker-remote-setup apply \
		--iface host0 --plain --port "$port" --yes > "$E2E_TMP/sig.out" 2>&1 &
	bg=$!
	pid=$(drs_stopped docker-remote-s)
	e2e_check "SIG$sig: the tool stopped itself at $step" test -n "$pid"
	e2e_run kill "-$sig" "$pid"
	e2e_run kill -CONT "$pid"
	drs_cont_job "$bg"
	wait "$bg"
	rc=$?
	sed 's/^/    | /' "$E2E_TMP/sig.out"
	e2e_check "SIG$sig at $step: exit $rc, expected 0 (kept)" test "$rc" = 0
	e2e_check "SIG$sig: said on stderr" grep -q "SIG$sig arrived during the change; it was finished first" "$E2E_TMP/sig.out"
	e2e_check "SIG$sig: the socket drop-in has the new listener" \
		e2e_run grep -qx -- "ListenStream=$IP:$port" /etc/systemd/system/docker.socket.d/override.conf
	e2e_check "SIG$sig: docker.service active" e2e_unit_active docker.service
	e2e_check "SIG$sig: the listener answers" e2e_ping_plain "$IP" "$port"
	e2e_check "SIG$sig: no transaction record left" drs_not e2e_run test -e /var/lib/docker-remote-setup/current.json
	e2e_check "SIG$sig: no revert timer left" test -z "$(e2e_run systemctl list-units --all --no-legend 'docker-remote-setup-*')"
	e2e_check "SIG$sig: no temporary files left" drs_no_temp_files
done
e2e_finish
