#!/bin/bash
# escaping.sh: what we write into ExecStart= reaches dockerd as written (issue 16 item 8), on a
# real systemd: with --tls-dir '/etc/docker/%h-${HOME}' the drop-in says %%h and $${HOME}, the
# manager's ExecStart (after specifier and variable expansion) has the literal path, dockerd
# starts with the files there (its /proc/PID/cmdline) and the tool's own TLS verification passes.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
drs_setup esc
IP=$E2E_CT_IP
DIR='/etc/docker/%h-${HOME}'

drs apply --iface host0 --method dropin --tls-dir "$DIR" --yes
drs_expect 0 "apply with --tls-dir $DIR (verified over TLS)"
e2e_check "the drop-in escapes % and \$" e2e_run grep -qF -- '--tlscacert=/etc/docker/%%h-$${HOME}/ca.pem' \
	/etc/systemd/system/docker.service.d/override.conf
# The manager resolves %% when it loads the unit, $$ when it starts the process.
e2e_check "the manager's ExecStart: %% resolved, \$\$ kept for the start" grep -qF -- '--tlscacert=/etc/docker/%h-$${HOME}/ca.pem' \
	<<<"$(e2e_run systemctl show -p ExecStart docker.service)"
e2e_check "dockerd's own command line has the literal path" grep -qF -- "--tlscacert=$DIR/ca.pem" \
	<<<"$(e2e_sh 'tr "\0" " " < /proc/$(systemctl show -p MainPID --value docker.service)/cmdline')"
e2e_check "the TLS files are at the literal path" e2e_run test -s "$DIR/server-key.pem"
e2e_check "docker.service active" e2e_unit_active docker.service
e2e_check "journal: API listen on $IP:2376 (this invocation)" e2e_journal_has_current "API listen on $IP:2376"
drs apply --iface host0 --method dropin --tls-dir "$DIR" --yes
drs_expect 6 "the same again: nothing to do"
e2e_finish
