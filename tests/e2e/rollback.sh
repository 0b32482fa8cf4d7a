#!/bin/bash
# rollback.sh: rollback --to ID restores an older backup set and verifies its listeners; then
# apply --method docker-opts on the Debian unit (which reads /etc/default/docker) end to end.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
drs_setup rollb

IP=$E2E_CT_IP
stock=$(drs_config_hash)
drs apply --iface host0 --plain --yes --json
drs_expect 0 "apply A (2375)"
a=$(drs_json backup_id)
after_a=$(drs_config_hash)
drs apply --iface host0 --plain --port 2380 --yes --json
drs_expect 0 "apply B (2380)"
b=$(drs_json backup_id)
e2e_check "B listens" e2e_ping_plain "$IP" 2380

drs rollback --list
drs_out_has "^$a .*kept"
drs_out_has "^$b .*kept"
drs rollback --to "$b"
drs_expect 2 "rollback --to without --yes"
drs rollback --to 20200101-000000 --yes
drs_expect 4 "rollback --to an unknown ID"
drs_out_has "there is no backup"

drs rollback --to "$b" --yes
drs_expect 0 "rollback to the state before B"
e2e_check "files as after A" test "$(drs_config_hash)" = "$after_a"
e2e_check "journal: API listen on $IP:2375 (this invocation)" e2e_journal_has_current "API listen on $IP:2375"
e2e_check "A's listener answers" e2e_ping_plain "$IP" 2375
e2e_check "B's listener is gone" bash -c "! curl -s -m 2 http://$IP:2380/_ping"
e2e_check "the rollback is in the journal with its MESSAGE_ID" \
	test -n "$(e2e_run journalctl -q MESSAGE_ID=332220b9f7d043a6a0fedeb5a971e518 -o cat)"
drs rollback --to "$a" --yes
drs_expect 0 "rollback to the stock state"
e2e_check "stock files again" test "$(drs_config_hash)" = "$stock"
e2e_check "no TCP listener" bash -c "! curl -s -m 2 http://$IP:2375/_ping"

# A damaged backup is refused, with nothing changed.
e2e_sh "echo tampered >> /var/lib/docker-remote-setup/backups/$b/0"
h=$(drs_config_hash)
drs rollback --to "$b" --yes
drs_expect 4 "a damaged backup set is refused"
drs_out_has "damaged"
e2e_check "nothing changed" test "$(drs_config_hash)" = "$h"

# DOCKER_OPTS in /etc/default/docker instead of a drop-in.
drs apply --iface host0 --plain --port 2385 --method docker-opts --yes
drs_expect 0 "apply --method docker-opts"
e2e_check "DOCKER_OPTS set" e2e_run grep -qx "DOCKER_OPTS=\"-H tcp://$IP:2385 --tls=false\"" /etc/default/docker
e2e_check "the drop-in has the restart lines only (no ExecStart=)" \
	e2e_sh 'f=/etc/systemd/system/docker.service.d/override.conf; grep -qx StartLimitIntervalSec=0 $f && ! grep -q ^ExecStart $f'
e2e_check "journal: API listen on $IP:2385 (this invocation)" e2e_journal_has_current "API listen on $IP:2385"
e2e_check "/_ping on 2385" e2e_ping_plain "$IP" 2385
e2e_check "the local socket still answers" e2e_run curl -sf --unix-socket /run/docker.sock http://d/_ping
e2e_finish
