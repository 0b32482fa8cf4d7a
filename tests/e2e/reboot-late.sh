#!/bin/bash
# reboot-late.sh: the listener survives the next boot when the management address comes late
# (a slow DHCP lease, a slow link): after apply (socket method, plain, then TLS) and confirm, the
# container is rebooted with host0's address added 20 s after boot. docker.service must be active
# through the whole gap with zero restarts, /run/docker.sock must answer during it, and the TCP
# listener must answer within 2 s of the address appearing (TLS: with the client bundle).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"

drs_setup --persistent rlate
IP=$E2E_CT_IP
LATE=20
CT_ROOT() { echo "/proc/$E2E_LEADER/root"; }

unix_ping() { [ "$(e2e_run curl -s --max-time 2 --unix-socket /run/docker.sock http://docker/_ping 2>/dev/null)" = OK ]; }
tls_ping() {
	local b=$E2E_TMP/bundle out
	out=$(curl -sS --noproxy '*' --connect-timeout 1 --max-time 2 --cacert "$b/ca.pem" \
		--cert "$b/cert.pem" --key "$b/key.pem" "https://$IP:2376/_ping" 2>&1)
	[ "$out" = OK ]
}
addr_present() { drs_addr_present "$IP"; }
# gap_up DESC: docker.service active and /run/docker.sock answering.
gap_up() {
	if ! e2e_unit_active docker.service; then
		e2e_log "$1: docker.service is $(e2e_run systemctl is-active docker.service) during the gap"
		return 1
	fi
	unix_ping || { e2e_log "$1: /run/docker.sock does not answer during the gap"; return 1; }
}
plain_ping() { [ "$(curl -s --noproxy '*' --connect-timeout 1 --max-time 2 "http://$IP:2375/_ping" 2>/dev/null)" = OK ]; }

# reboot_late DESC PINGFN: reboot with the address LATE s late and check the gap, then the listener.
reboot_late() {
	local desc=$1 ping=$2 up
	e2e_reboot --late-address "$LATE"
	# Boot first: docker.service comes up without the address (it is "activating" for a second or two).
	e2e_check "$desc: docker.service active after the reboot, before the address" \
		e2e_wait_for -t 15 -i 0.2 e2e_unit_active docker.service
	e2e_check "$desc: ... and host0 still without its address then" drs_not addr_present
	# Watch the gap: as long as host0 has no address, docker.service must be up and answering.
	drs_watch_gap "$IP" "$desc" gap_up
	local seen=$DRS_GAP_SEEN bad=$DRS_GAP_BAD
	e2e_check "$desc: the gap was observed (at least 5 looks without the address)" test "$seen" -ge 5
	e2e_check "$desc: docker.service active and /run/docker.sock answering while the address was missing" test "$bad" = 0
	e2e_wait_address || e2e_fail "$desc: the late address could not be added"
	up=$(e2e_now_us)
	e2e_check "$desc: the TCP listener answers within 2 s of the address appearing" e2e_wait_for -t 2 -i 0.05 "$ping"
	e2e_log "$desc: listener answered $(e2e_since "$up") s after the address appeared"
	e2e_check "$desc: docker.service was never restarted (NRestarts=0)" test "$(e2e_unit_restarts docker.service)" = 0
	e2e_check "$desc: docker.socket active" e2e_unit_active docker.socket
	e2e_check "$desc: no failed unit" test -z "$(e2e_run systemctl --failed --no-legend --no-pager)"
}

# 1. Plain TCP through the socket method, confirmed.
drs apply --iface host0 --plain --port 2375 --yes --confirm-timeout 120
drs_expect 0 "apply plain (socket method)"
drs confirm
drs_expect 0 "confirm"
e2e_check "the listener is a docker.socket drop-in with FreeBind" \
	e2e_sh 'grep -rqs "^FreeBind=yes" /etc/systemd/system/docker.socket.d/'
e2e_check "no ExecStart= override of ours" \
	drs_not e2e_sh 'grep -rqs "tcp://" /etc/systemd/system/docker.service.d/'
e2e_check "plain /_ping before the reboot" plain_ping
reboot_late "plain" plain_ping

# 2. TLS through the socket method, confirmed.
drs apply --iface host0 --port 2376 --yes --confirm-timeout 120
drs_expect 0 "apply TLS (socket method)"
drs confirm
drs_expect 0 "confirm"
rm -rf "$E2E_TMP/bundle" && mkdir -p "$E2E_TMP/bundle" &&
	cp "$(CT_ROOT)"/etc/docker/remote-setup/client/{ca,cert,key}.pem "$E2E_TMP/bundle/"
e2e_check "TLS /_ping with the client bundle before the reboot" tls_ping
reboot_late "TLS" tls_ping
e2e_check "the old plain listener is gone after the reboot" drs_not plain_ping

e2e_finish
