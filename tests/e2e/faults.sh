#!/bin/bash
# faults.sh: kill -9 of the tool at each step of apply (socket method): no file is ever half-written,
# the next run detects the interrupted change and repairs it, and the daemon ends up running and
# verified.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
drs_setup faults hooks

IP=$E2E_CT_IP
DROPIN=/etc/systemd/system/docker.socket.d/override.conf
stock=$(drs_config_hash)
# The exact new drop-in, from the preview.
drs preview --iface host0 --plain --json
new_dropin=$(drs_json files 0 content | sha256sum | cut -d' ' -f1)
points="after-backup mid-write@1 after-file@1 after-timer after-reload after-restart during-verify"
n=0
for point in $points; do
	n=$((n + 1))
	e2e_log "=== kill at $point"
	drs DRS_TEST_FAULT="$point:kill" apply --iface host0 --plain --yes
	drs_expect 137 "$point: the tool died"
	h=$(e2e_sh "cat $DROPIN 2>/dev/null | sha256sum | cut -d' ' -f1")
	absent=$(printf '' | sha256sum | cut -d' ' -f1)
	e2e_check "$point: the drop-in is absent or exactly the new one" bash -c "[ '$h' = '$absent' ] || [ '$h' = '$new_dropin' ]"
	drs status
	drs_out_has "Pending: +backup .*interrupted"
	drs apply --iface host0 --plain --yes
	drs_expect 0 "$point: the next apply repairs and applies"
	drs_out_has "An interrupted change .* was found and reverted first"
	drs_out_has "Verified and kept"
	e2e_check "$point: /_ping answers" e2e_ping_plain "$IP" 2375
	e2e_check "$point: no temporary files" drs_no_temp_files
	e2e_check "$point: no timer left" test -z "$(e2e_run systemctl list-units --all --no-legend 'docker-remote-setup-*')"
	id=$(e2e_sh 'ls /var/lib/docker-remote-setup/backups | tail -n 1')
	drs rollback --to "$id" --yes
	drs_expect 0 "$point: back to the stock configuration"
	e2e_check "$point: stock files again" test "$(drs_config_hash)" = "$stock"
done

# Killed while saving the backup: nothing was changed yet; the next run cleans up and applies.
drs DRS_TEST_FAULT=state-mid-write@1:kill apply --iface host0 --plain --yes
drs_expect 137 "state-mid-write: the tool died while saving the backup"
e2e_check "state-mid-write: configuration untouched" test "$(drs_config_hash)" = "$stock"
drs apply --iface host0 --plain --yes
drs_expect 0 "state-mid-write: the next apply works"
e2e_check "state-mid-write: no temporary files, no incomplete backup set" drs_no_temp_files
e2e_check "state-mid-write: every backup set has its manifest" \
	test -z "$(e2e_sh 'for d in /var/lib/docker-remote-setup/backups/*/; do [ -f "$d/manifest.json" ] || echo "$d"; done')"
id=$(e2e_sh 'ls /var/lib/docker-remote-setup/backups | tail -n 1')
drs rollback --to "$id" --yes
drs_expect 0 "state-mid-write: back to stock"

# Killed while reverting a failed change: the next run finishes the revert.
e2e_run systemd-run --unit=squatter /usr/bin/systemd-socket-activate -l "$IP:2390" /bin/cat >/dev/null 2>&1
drs DRS_TEST_FAULT=during-revert:kill apply --iface host0 --plain --port 2390 --yes --skip-preflight
drs_expect 137 "during-revert: the tool died"
drs rollback --list
drs status
drs_out_has "interrupted while reverting"
drs apply --iface host0 --plain --yes
drs_expect 0 "during-revert: the next apply repairs and applies"
drs_out_has "An interrupted change .* was found and reverted first"
e2e_check "during-revert: /_ping answers" e2e_ping_plain "$IP" 2375
e2e_log "kill points exercised: $((n + 2))"
e2e_finish
