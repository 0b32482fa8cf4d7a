#!/bin/bash
# allow-from.sh: --allow-from (issue 14) on a real systemd: docker.socket's IPAddressDeny=any +
# IPAddressAllow= let one client source on the host side of the veth reach TLS /_ping and give the
# other no connection (a connect timeout), before and after confirm + reboot; changing only the
# list is one transaction and its rollback restores the previous list; --allow-from any opens it
# again; a container whose systemd cannot load BPF programs (nspawn's seccomp filter without bpf,
# the harness's default) makes the apply fail with the message, roll back, and change nothing.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
# nspawn's seccomp filter denies bpf() unless asked (measured: BPF_PROG_LOAD in the container gives
# EPERM, systemd then logs "unit configures an IP firewall, but the local system does not support
# BPF/cgroup firewalling" once at boot, for systemd-journald.service, and filters nothing).
export E2E_NSPAWN_ARGS="--system-call-filter=bpf"
drs_setup --persistent allowfrom

IP=$E2E_CT_IP
A=$E2E_HOST_IP
SOCKDROPIN=/etc/systemd/system/docker.socket.d/override.conf
e2e_assert "a second source address" e2e_add_source
B=$E2E_SOURCE
C=$E2E_TMP/client
backups() { e2e_run ls /var/lib/docker-remote-setup/backups | grep -c '^[0-9]'; }
# tls_ping SRC: TLS /_ping with the client bundle from source SRC (3 s to connect).
tls_ping() { test "$(e2e_curl_from "$1" --cacert "$C/ca.pem" --cert "$C/cert.pem" --key "$C/key.pem" "https://$IP:2376/_ping")" = OK; }
# denied SRC: no connection from SRC: curl's exit 28 (connect timeout: the SYN is dropped), not a
# refusal, a TLS or an HTTP error; prints how long it took.
denied() {
	local t rc
	t=$(e2e_now_us)
	e2e_curl_from "$1" --cacert "$C/ca.pem" --cert "$C/cert.pem" --key "$C/key.pem" "https://$IP:2376/_ping" >/dev/null 2>"$E2E_TMP/curl.err"
	rc=$?
	e2e_log "from $1: curl exit $rc after $(e2e_since "$t") s: $(cat "$E2E_TMP/curl.err")"
	[ "$rc" = 28 ] && grep -q "Failed to connect\|Connection timed out\|Timeout was reached" "$E2E_TMP/curl.err"
}
# only SRC OTHER: SRC gets OK, OTHER gets no connection.
only() {
	e2e_check "TLS /_ping with the client bundle from $1" tls_ping "$1"
	e2e_check "no connection from $2 (connect timeout)" denied "$2"
}
unix_ping() { test "$(e2e_run curl -sS --max-time 5 --unix-socket /run/docker.sock http://d/_ping)" = OK; }

# ---------------------------------------------------------------- apply with a list, confirm
stock=$(drs_config_hash)
drs apply --iface host0 --allow-from "$A" --confirm-timeout 300 --yes --json
drs_expect 0 "TLS apply with --allow-from $A"
mkdir -p "$C"
for f in ca cert key; do e2e_run cat /etc/docker/remote-setup/client/$f.pem > "$C/$f.pem"; done
sock=$(e2e_run cat $SOCKDROPIN)
printf '%s\n' "$sock" | sed 's/^/    socket drop-in: /'
e2e_check "IPAddressDeny=any" grep -qxF "IPAddressDeny=any" <<<"$sock"
e2e_check "IPAddressAllow=$A/32 $IP/32 localhost" grep -qxF "IPAddressAllow=$A/32 $IP/32 localhost" <<<"$sock"
e2e_check "IPAccounting=yes" grep -qxF "IPAccounting=yes" <<<"$sock"
only "$A" "$B"
e2e_check "/run/docker.sock untouched" unix_ping
drs confirm
drs_expect 0 "confirm"
drs status --json
e2e_check "status --json: allow_from" test "$(drs_json allow_from)" = "[\"$A/32\", \"$IP/32\", \"localhost\"]"
e2e_check "status --json: enforced" test "$(drs_json allow_from_enforced)" = True
drs status
drs_out_has "Allowed from: +$A/32, $IP/32, localhost \\(enforced by systemd on docker.socket\\)"

# ---------------------------------------------------------------- reboot
kept=$(drs_config_hash)
e2e_reboot
e2e_check "the files survived the reboot" test "$(drs_config_hash)" = "$kept"
e2e_check "after the reboot: TLS /_ping from $A" e2e_wait_for -t 20 tls_ping "$A"
e2e_check "after the reboot: no connection from $B" denied "$B"

# ---------------------------------------------------------------- only the list changes
n=$(backups)
drs apply --iface host0 --allow-from "$B" --yes --json
drs_expect 0 "apply changing only the allow-list to $B"
changed=$(drs_json backup_id)
e2e_check "one transaction (backups $n -> $(backups))" test "$(backups)" = $((n + 1))
e2e_check "IPAddressAllow=$B/32 $IP/32 localhost" e2e_run grep -qxF "IPAddressAllow=$B/32 $IP/32 localhost" $SOCKDROPIN
only "$B" "$A"
drs rollback --to "$changed" --yes
drs_expect 0 "rollback of the list change"
e2e_check "the files are as before the change" test "$(drs_config_hash)" = "$kept"
only "$A" "$B"

# ---------------------------------------------------------------- the same apply again
drs apply --iface host0 --allow-from "$A" --yes
drs_expect 6 "the same apply again: nothing to do (the list is in force)"

# ---------------------------------------------------------------- the list on disk, a boot without BPF
# A host whose next boot cannot filter (here: nspawn's seccomp without bpf): the same apply again
# does not say "nothing to do" but that the list is not in force, and changes nothing.
E2E_NSPAWN_ARGS=
e2e_reboot
before=$(drs_config_hash)
drs apply --iface host0 --allow-from "$A" --yes
drs_expect 4 "the same apply on a boot without BPF: the list is not in force"
drs_out_has "systemd cannot enforce --allow-from on this host.*nothing was changed"
e2e_check "nothing changed" test "$(drs_config_hash)" = "$before"
drs status --json
e2e_check "status --json: not enforced" test "$(drs_json allow_from_enforced)" = False
export E2E_NSPAWN_ARGS="--system-call-filter=bpf"
e2e_reboot

# ---------------------------------------------------------------- any: open again
drs apply --iface host0 --allow-from any --yes
drs_expect 0 "apply --allow-from any"
e2e_check "no IPAddress lines left" drs_not e2e_run grep -q "^IPAddress\|^IPAccounting" $SOCKDROPIN
e2e_check "TLS /_ping from $A" tls_ping "$A"
e2e_check "TLS /_ping from $B" tls_ping "$B"
drs status --json
e2e_check "status --json: no allow-list" test "$(drs_json allow_from)" = "[]"

# ---------------------------------------------------------------- a systemd that cannot filter
E2E_NSPAWN_ARGS=
e2e_reboot
e2e_check "without BPF: TLS /_ping from $A" e2e_wait_for -t 20 tls_ping "$A"
open=$(drs_config_hash)
cursor=$(e2e_journal_cursor)
drs apply --iface host0 --allow-from "$A" --yes
drs_expect 5 "apply --allow-from on a systemd without BPF: verification failed, rolled back"
drs_out_has "systemd cannot enforce --allow-from on this host"
e2e_check "nothing changed" test "$(drs_config_hash)" = "$open"
e2e_check "without BPF, after the rollback: TLS /_ping from $A" e2e_wait_for -t 20 tls_ping "$A"
e2e_check "without BPF, after the rollback: TLS /_ping from $B" tls_ping "$B"
e2e_log "what systemd logged about BPF in this boot (journald's unit at boot, nothing for docker.socket):"
e2e_run journalctl -b --no-pager -o cat | grep -i "bpf\|firewall" | sed 's/^/    /'
e2e_check "systemd logged nothing about BPF for docker.socket during the apply" \
	drs_not e2e_sh 'journalctl --no-pager -o cat -u docker.socket --after-cursor="$1" | grep -qi bpf' "$cursor"

# ---------------------------------------------------------------- the legacy cgroup hierarchy
# bpf() allowed, but cgroup v1 only: systemd has no cgroup to attach the filter to (measured: the
# second source still connects, IPIngressBytes "no data", no line about it in the journal).
E2E_NSPAWN_ARGS="--system-call-filter=bpf" E2E_UNIFIED_HIERARCHY=0 e2e_reboot
e2e_check "legacy hierarchy: cgroup v1 (no cgroup2 mount at /sys/fs/cgroup)" \
	drs_not e2e_sh 'grep -q " /sys/fs/cgroup .* - cgroup2 " /proc/self/mountinfo'
e2e_check "legacy hierarchy: TLS /_ping from $A" e2e_wait_for -t 20 tls_ping "$A"
drs apply --iface host0 --allow-from "$A" --yes
drs_expect 5 "apply --allow-from with the legacy cgroup hierarchy: rolled back"
drs_out_has "systemd cannot enforce --allow-from on this host"
e2e_check "legacy hierarchy: nothing changed" test "$(drs_config_hash)" = "$open"
e2e_check "legacy hierarchy: TLS /_ping from $B after the rollback" e2e_wait_for -t 20 tls_ping "$B"
e2e_finish
