#!/bin/bash
# recover.sh: a reboot drops transient timers; the boot unit docker-remote-setup-recover.service
# then reverts the unconfirmed change. A change whose timer still runs is left alone.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
unit=${top_builddir:-$here/../..}/data/docker-remote-setup-recover.service
[ -f "$unit" ] || e2e_skip "$unit not built"
drs_setup recov
IP=$E2E_CT_IP
CT=/proc/$E2E_LEADER/root

# The unit as `make install` puts it (bindir /usr/local/bin, where the test binary is).
sed 's|^ExecStart=.*|ExecStart=/usr/local/bin/docker-remote-setup recover|' "$unit" > "$CT/etc/systemd/system/docker-remote-setup-recover.service"
e2e_run systemctl daemon-reload
e2e_check "the unit can be enabled" e2e_run systemctl enable -q docker-remote-setup-recover.service
stock=$(drs_config_hash)

drs recover
drs_expect 6 "nothing to recover"
drs apply --iface host0 --plain --yes --confirm-timeout 600
drs_expect 0 "a change pending for 10 minutes"
drs recover
drs_expect 6 "a pending change with a live timer is left alone"
e2e_check "still listening" e2e_ping_plain "$IP" 2375

# A reboot loses the transient timer (the container's overlay would not survive a real one).
e2e_run sh -c 'systemctl stop "docker-remote-setup-deadline-*.timer"'
e2e_check "the timer is gone" test -z "$(e2e_run systemctl list-units --no-legend 'docker-remote-setup-deadline-*')"
e2e_run systemctl start docker-remote-setup-recover.service
e2e_check "the boot unit reverted the change" test "$(drs_config_hash)" = "$stock"
e2e_check "no TCP listener" drs_not e2e_ping_plain "$IP" 2375
e2e_check "docker.service active" e2e_unit_active docker.service
e2e_check "the revert is in the journal" \
	test -n "$(e2e_run journalctl -q MESSAGE_ID=41a056bcf4804073a11ff1f577ca344e -o cat)"
drs rollback --list
drs_out_has "not confirmed before the deadline|the apply was interrupted"
# With nothing left the unit's condition skips it.
e2e_run systemctl start docker-remote-setup-recover.service
e2e_check "skipped by its condition next time" \
	bash -c "$(printf '%q ' nsenter -t "$E2E_LEADER" -a systemctl show -p ConditionResult docker-remote-setup-recover.service) | grep -q 'ConditionResult=no'"
e2e_finish
