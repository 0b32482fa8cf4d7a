#!/bin/bash
# socket.sh: the socket method (the default on Debian's docker.io): plain and TLS applies through a
# docker.socket drop-in (ListenStream=, FreeBind=yes) and daemon.json, no ExecStart= override;
# the unix socket keeps working; a second run exits 6; the revert timer and rollback --to put the
# socket drop-in and daemon.json back byte for byte with both units running the old listeners;
# a vendor ExecStart changed on disk reaches the running dockerd; status warns about an address
# with a lease lifetime.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
drs_setup socket

IP=$E2E_CT_IP
SOCKDROPIN=/etc/systemd/system/docker.socket.d/override.conf
SVCDROPIN=/etc/systemd/system/docker.service.d/override.conf
unix_ping() { test "$(e2e_run curl -sS --max-time 5 --unix-socket /run/docker.sock http://d/_ping)" = OK; }
both_active() { e2e_unit_active docker.service && e2e_unit_active docker.socket; }
config_is() { [ "$(drs_config_hash)" = "$1" ]; }
cmdline_has_ulimit() { grep -q -- "--default-ulimit" <<<"$(dockerd_cmdline)"; }
dockerd_cmdline() { e2e_sh 'tr "\0" " " </proc/$(systemctl show -p MainPID --value docker.service)/cmdline'; }

# ---------------------------------------------------------------- plain
cursor=$(e2e_journal_cursor)
drs preview --iface host0 --plain --json
e2e_check "preview: method socket" test "$(drs_json method)" = socket
e2e_check "preview: survives a late address" test "$(drs_json survives_late_address)" = True
drs apply --iface host0 --plain --yes --json
drs_expect 0 "plain apply (socket method by default)"
e2e_log "timing (plain, socket): restart -> API listen on $(drs_json timing restart_to_listen_ms) ms"
e2e_check "journal: API listen on $IP:2375 (this invocation)" e2e_journal_has_current "API listen on $IP:2375"
# Since the cursor (the whole apply, the old invocation's stop included), not only this invocation.
e2e_check "no 'intentionally being slowed down' stall" drs_not e2e_journal_has "slowed down" "$cursor"
e2e_check "/_ping from the host" e2e_ping_plain "$IP" 2375
e2e_check "/run/docker.sock still answers" unix_ping
e2e_check "both units active" both_active
sock=$(e2e_run cat $SOCKDROPIN)
printf '%s\n' "$sock" | sed 's/^/    socket drop-in: /'
e2e_check "ListenStream=$IP:2375" grep -qxF "ListenStream=$IP:2375" <<<"$sock"
e2e_check "FreeBind=yes" grep -qxF "FreeBind=yes" <<<"$sock"
e2e_check "no docker.service drop-in" drs_not e2e_run test -e $SVCDROPIN
e2e_check "no daemon.json written in plain mode" drs_not e2e_run test -e /etc/docker/daemon.json
e2e_check "the running dockerd has no tcp:// flag" drs_not grep -q tcp:// <<<"$(dockerd_cmdline)"

hash=$(drs_config_hash)
drs apply --iface host0 --plain --yes
drs_expect 6 "identical second apply"
e2e_check "nothing was written" test "$(drs_config_hash)" = "$hash"
drs status --json
e2e_check "status: method socket" test "$(drs_json method)" = socket
e2e_check "status: survives a late address" test "$(drs_json survives_late_address)" = True

# ---------------------------------------------------------------- TLS, with a user's lines kept
e2e_sh "printf '[Socket]\n# mine\nBacklog=200\n' >> $SOCKDROPIN"
e2e_write /etc/docker/daemon.json <<'JSON'
{
  "log-driver": "journald"
}
JSON
plain_hash=$(drs_config_hash)
drs apply --iface host0 --yes --json
drs_expect 0 "TLS apply (socket method)"
e2e_log "timing (TLS, socket): restart -> API listen on $(drs_json timing restart_to_listen_ms) ms"
tls_id=$(drs_json backup_id)
e2e_check "journal: API listen on $IP:2376 (this invocation)" e2e_journal_has_current "API listen on $IP:2376"
sock=$(e2e_run cat $SOCKDROPIN)
printf '%s\n' "$sock" | sed 's/^/    socket drop-in: /'
e2e_check "user's Backlog=200 kept" grep -qxF "Backlog=200" <<<"$sock"
e2e_check "user's comment kept" grep -qxF "# mine" <<<"$sock"
e2e_check "one ListenStream of ours" test "$(grep -c '^ListenStream=' <<<"$sock")" = 1
json=$(e2e_run cat /etc/docker/daemon.json)
printf '%s\n' "$json" | sed 's/^/    daemon.json: /'
e2e_check "daemon.json keeps log-driver" grep -q '"log-driver": "journald"' <<<"$json"
e2e_check "daemon.json tlsverify" grep -q '"tlsverify": true' <<<"$json"
C=$E2E_TMP/client; mkdir -p "$C"
for f in ca cert key; do e2e_run cat /etc/docker/remote-setup/client/$f.pem > "$C/$f.pem"; done
e2e_check "TLS /_ping with the client bundle" test "$(curl -sS -m 5 --cacert "$C/ca.pem" --cert "$C/cert.pem" --key "$C/key.pem" "https://$IP:2376/_ping")" = OK
e2e_check "anonymous TLS client refused" drs_not curl -sS -m 5 --cacert "$C/ca.pem" "https://$IP:2376/_ping"
e2e_check "plain 2375 gone" drs_not e2e_ping_plain "$IP" 2375
e2e_check "/run/docker.sock still answers (plain)" unix_ping
drs apply --iface host0 --yes
drs_expect 6 "identical second TLS apply"

# ---------------------------------------------------------------- rollback --to: back to plain, bytes
drs rollback --to "$tls_id" --yes
drs_expect 0 "rollback --to the TLS change"
e2e_check "socket drop-in and daemon.json byte-identical to before the TLS apply" test "$(drs_config_hash)" = "$plain_hash"
e2e_check "/_ping plain 2375 again" e2e_wait_for -t 10 e2e_ping_plain "$IP" 2375
e2e_check "both units active after rollback" both_active

# ---------------------------------------------------------------- revert by timer
before=$(drs_config_hash)
drs apply --iface host0 --port 2377 --yes --confirm-timeout 3
drs_expect 0 "TLS apply with a 3 s confirm window (socket drop-in and daemon.json change)"
e2e_check "reverted by the timer" e2e_wait_for -t 60 -i 0.5 config_is "$before"
e2e_check "listener 2375 back after the timer's revert" e2e_wait_for -t 30 e2e_ping_plain "$IP" 2375
e2e_check "2377 gone" e2e_wait_for -t 10 drs_not drs_tcp_listening 2377
e2e_check "daemon.json without the TLS keys again" drs_not e2e_run grep -q tlsverify /etc/docker/daemon.json
e2e_check "both units active after the timer's revert" e2e_wait_for -t 10 both_active

# ---------------------------------------------------------------- vendor upgrade reaches dockerd
e2e_sh 'sed -i "s|^ExecStart=.*|& --default-ulimit nofile=65536:65536|" /lib/systemd/system/docker.service && systemctl daemon-reload && systemctl restart docker.service'
e2e_check "after a vendor ExecStart change the running dockerd has the new flag" \
	e2e_wait_for -t 20 cmdline_has_ulimit
e2e_check "and still listens on $IP:2375" e2e_wait_for -t 20 e2e_ping_plain "$IP" 2375

# ---------------------------------------------------------------- a dynamic address: status warns
drs status --json
e2e_check "status: a static address is not reported as dynamic" test "$(drs_json dynamic_addresses)" = "[]"
e2e_run ip addr change "$IP/30" dev host0 valid_lft 3000 preferred_lft 3000
drs status --json
e2e_check "status: the address with a lease lifetime is reported" grep -q "$IP:2375" <<<"$(drs_json dynamic_addresses)"
drs status
drs_out_has "WARNING: $IP:2375 \\([0-9]+ s\\): the address has a limited lifetime"
e2e_finish
