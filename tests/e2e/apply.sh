#!/bin/bash
# apply.sh: plain apply with --method dropin (socket.sh has the default method) on the container's
# veth address verified by the journal and /_ping from the host; the drop-in keeps /usr/sbin/dockerd,
# --containerd and $DOCKER_OPTS; a second identical run does nothing; apply --confirm-timeout + confirm keeps the change across a later restart.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
drs_setup apply

IP=$E2E_CT_IP
drs apply --iface host0 --plain --yes --json --method dropin
drs_expect 0 "plain apply on host0"
e2e_check "outcome kept" test "$(drs_json outcome)" = kept
e2e_check "changed" test "$(drs_json changed)" = True
e2e_log "timing: restart -> API listen on $(drs_json timing restart_to_listen_ms) ms, restart -> verified $(drs_json timing restart_to_verified_ms) ms"
e2e_check "journal: API listen on $IP:2375 (this invocation)" e2e_journal_has_current "API listen on $IP:2375"
e2e_check "/_ping from the host over the veth answers OK" e2e_ping_plain "$IP" 2375
dropin=$(e2e_run cat /etc/systemd/system/docker.service.d/override.conf)
printf '%s\n' "$dropin" | sed 's/^/    override.conf: /'
e2e_check "drop-in resets ExecStart" grep -qx 'ExecStart=' <<<"$dropin"
e2e_check "drop-in keeps /usr/sbin/dockerd, -H fd://, --containerd and \$DOCKER_OPTS, adds the listener" \
	grep -qxF "ExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock \$DOCKER_OPTS -H tcp://$IP:2375 --tls=false" <<<"$dropin"
e2e_check "no --tlsverify=false anywhere" bash -c "! grep -q 'tlsverify=false' <<<\"\$1\"" _ "$dropin"
manager_has() { e2e_run systemctl show -p ExecStart docker.service | grep -q "$1"; }
e2e_check "the manager's ExecStart is the new one" manager_has "tcp://$IP:2375"
e2e_check "apply is in the journal with its MESSAGE_ID" \
	test -n "$(e2e_run journalctl -q MESSAGE_ID=63292f83c5a84cfaa7dca16457aadb40 -o cat)"
e2e_check "no revert timer left" test -z "$(e2e_run systemctl list-units --all --no-legend 'docker-remote-setup-*')"
e2e_check "no temporary files left" drs_no_temp_files

# The same again: nothing to do, nothing written, distinct exit code.
hash=$(drs_config_hash)
drs apply --iface host0 --plain --yes --method dropin
drs_expect 6 "identical second apply"
drs_out_has "Nothing to do"
e2e_check "nothing was written" test "$(drs_config_hash)" = "$hash"

drs confirm
drs_expect 4 "confirm with nothing pending"

# Confirm within the window: kept, timer gone, survives a restart.
drs apply --iface host0 --plain --port 2380 --yes --confirm-timeout 60 --method dropin
drs_expect 0 "apply with --confirm-timeout 60"
drs_out_has "reverted at .* unless you run"
e2e_check "a deadline timer is armed" \
	test -n "$(e2e_run systemctl list-units --no-legend 'docker-remote-setup-deadline-*.timer')"
drs status
drs_out_has "Pending: +backup .* reverted at .* unless confirmed"
drs apply --iface host0 --plain --port 2381 --yes --method dropin
drs_expect 8 "apply while a change awaits confirmation"
drs confirm --json
drs_expect 0 "confirm"
e2e_check "confirm outcome" test "$(drs_json outcome)" = confirmed
e2e_check "no timer left after confirm" test -z "$(e2e_run systemctl list-units --all --no-legend 'docker-remote-setup-*')"
e2e_check "confirm is in the journal with its MESSAGE_ID" \
	test -n "$(e2e_run journalctl -q MESSAGE_ID=039db95200024a59ab008626759e8ccd -o cat)"
e2e_run systemctl restart docker
e2e_check "after systemctl restart docker: API listen on $IP:2380 again (the new invocation)" \
	e2e_wait_for -t 30 e2e_journal_has_current "API listen on $IP:2380"
e2e_check "/_ping on 2380 after the restart" e2e_wait_for -t 10 e2e_ping_plain "$IP" 2380
e2e_check "the old listener 2375 is gone" bash -c "! curl -s -m 2 http://$IP:2375/_ping"

drs status --json
e2e_check "status lists the listener" grep -q "$IP:2380" "$DRS_OUT"
drs rollback --list
drs_out_has "kept \(confirmed\)"
e2e_finish
