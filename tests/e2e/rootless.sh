#!/bin/bash
# rootless.sh: the testbed of issue 19 (rootless Docker), Debian 13 only: e2e_rootless_setup gives a
# user with linger an active docker.service in its own manager, next to root's untouched daemon;
# the program's sd-bus code reaches that manager as root (tests/e2e/userprobe.c, src/sys/userbus.c);
# preview --user refuses a user without the setup, a port < 1024, an unknown user, and writes
# nothing; the drop-in it shows, installed by hand (the recipe itself; rootless-apply.sh proves
# apply --user), is reached from the host and status --user reads it back (the user's manager,
# the user's journal lines):
# rootlesskit publishes ADDR:PORT, dockerd listens inside its namespace;
# with linger it is back after a reboot; and with host0's address 8 s late, rootlesskit cannot
# bind ADDR:PORT and systemd's start limit (the setup tool's StartLimitBurst=3 in 60 s,
# RestartSec=2) leaves the user's daemon failed unless the drop-in lifts the limit
# (StartLimitIntervalSec=0): then it is back once the address is there. Last, the TLS drop-in of
# preview --user --tls with material made by openssl on the host: /_ping with the client bundle.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
e2e_rootless_only
drs_setup --persistent --tun rless
e2e_assert "rootless Docker set up for user alice" e2e_rootless_setup alice

U=alice UID_=$E2E_USER_UID IP=$E2E_CT_IP PORT=2375
e2e_check "the user's docker.service is its own unit file" \
	test "$(e2e_user_run $U systemctl --user show -p FragmentPath --value docker.service)" = "/home/$U/.config/systemd/user/docker.service"
e2e_check "the user's daemon listens on /run/user/$UID_/docker.sock" e2e_run test -S "/run/user/$UID_/docker.sock"
e2e_check "root's docker.service is active too" e2e_unit_active docker.service
e2e_check "root's daemon still listens on /run/docker.sock" e2e_run test -S /run/docker.sock
e2e_check "the user's daemon logs to the journal as a user unit (_SYSTEMD_USER_UNIT, _UID)" \
	e2e_sh 'journalctl -q -o cat _SYSTEMD_USER_UNIT=docker.service _UID=$1 | grep -q "API listen on /run/user/$1/docker.sock"' "$UID_"

# The program's way to the user's manager (userbus.c): as root, over /run/user/UID/bus as the user;
# state, daemon-reload, restart with its job, a transient timer (the revert timer's primitive).
probe=${top_builddir:-$here/../..}/tests/e2e/userprobe
[ -x "$probe" ] || e2e_fail "tests/e2e/userprobe is not built (make check builds it)"
e2e_assert "userprobe installed in the container" e2e_install_binary "$probe" /usr/local/bin/drs-userprobe
e2e_run drs-userprobe "$UID_" "$(e2e_run id -g $U)" "/home/$U" | sed 's/^/    userprobe: /'
e2e_check "userprobe passed" test "${PIPESTATUS[0]}" = 0
e2e_check "no userprobe timer left in the user's manager" \
	test -z "$(e2e_user_run $U systemctl --user list-units --all --no-legend --plain 'drs-userprobe-fire*')"

# The listener: the drop-in `preview --user` shows, installed as it is by hand (apply --user is
# proven in rootless-apply.sh), as the user; first the bad-input rows, which change nothing.
user_files_hash() {
	e2e_sh 'cd "/home/$1" && find .config -printf "%p %u %m\n" -type f -exec sha256sum {} \; | sort | sha256sum' "$1"
}
hash0=$(user_files_hash $U)
e2e_run useradd -m -s /bin/bash bob
drs preview --user bob --iface host0 --plain
drs_expect 4 "preview --user bob (no rootless setup, no linger, no subuid/subgid)"
drs_out_has "user bob has no rootless Docker: /home/bob/.config/systemd/user/docker.service not found"
drs_out_has "user bob has no linger"
drs preview --user $U --iface host0 --plain --port 80
drs_expect 4 "preview --user $U --port 80"
drs_out_has "port 80 is below 1024 \(net.ipv4.ip_unprivileged_port_start\)"
drs preview --user carol --iface host0 --plain
drs_expect 4 "preview --user carol (no such user)"
drs_out_has 'user "carol" not found in /etc/passwd'
drs preview --user $U --iface host0 --plain --json
drs_expect 0 "preview --user $U --iface host0 --plain"
e2e_check "preview and the refusals wrote nothing" test "$(user_files_hash $U)" = "$hash0"
DROPIN=$(drs_json dropin)
e2e_check "the drop-in goes to the user's docker.service.d" \
	test "$DROPIN" = "/home/$U/.config/systemd/user/docker.service.d/docker-remote-setup.conf"
drs_json dropin_new >"$E2E_TMP/dropin"
sed 's/^/    dropin: /' "$E2E_TMP/dropin"
e2e_check "the preview's rootlesskit flags publish $IP:$PORT" \
	grep -qxF "Environment=DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS=\"-p $IP:$PORT:$PORT/tcp\"" "$E2E_TMP/dropin"
e2e_sh 'mkdir -p "$(dirname "$1")" && cat >"$1" && chown -R "$2:" "/home/$2/.config/systemd"' "$DROPIN" "$U" <"$E2E_TMP/dropin"
t0=$(e2e_now_us)
e2e_user_run $U systemctl --user daemon-reload
e2e_check "systemctl --user restart docker.service" e2e_user_run $U systemctl --user restart docker.service
e2e_check "/_ping from the host at $IP:$PORT (rootlesskit's port driver)" e2e_wait_for -t 30 -i 0.2 e2e_ping_plain "$IP" $PORT
e2e_log "timing: restart -> /_ping answered: $(e2e_since "$t0") s"
inv=$(e2e_user_run $U systemctl --user show -p InvocationID --value docker.service)
e2e_check "this invocation logged API listen on [::]:$PORT (inside rootlesskit's namespace)" \
	e2e_sh 'journalctl -q -o cat _SYSTEMD_INVOCATION_ID=$1 | grep -qF "API listen on [::]:$2"' "$inv" $PORT
e2e_check "rootlesskit (the user's process) holds $IP:$PORT" \
	e2e_sh 'ss -Hltnp "( sport = :$2 )" | grep -F "$1:$2" | grep -q rootlesskit' "$IP" $PORT
drs status --user $U --json
drs_expect 0 "status --user $U"
e2e_check "status --user: the user's manager answered (as root, over /run/user/$UID_/bus)" test "$(drs_json live)" = True
e2e_check "status --user: active" test "$(drs_json state)" = active
e2e_check "status --user: the current run's invocation" test "$(drs_json invocation)" = "$inv"
e2e_check "status --user: the drop-in" grep -qF "$DROPIN" "$DRS_OUT"
e2e_check "status --user: the current run listens on [::]:$PORT and the user's socket (the user's journal)" \
	test "$(python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1]))["listeners"])))' "$DRS_OUT")" = "/run/user/$UID_/docker.sock [::]:$PORT"
e2e_check "root's daemon was not restarted" test "$(e2e_run systemctl show -p NRestarts --value docker.service)" = 0

# Linger: the user's manager, its daemon and the listener come back at boot.
e2e_reboot
e2e_check "after a reboot: the user's docker.service active (linger)" e2e_wait_for -t 60 -i 0.2 e2e_user_unit_active $U docker.service
e2e_check "after a reboot: /_ping at $IP:$PORT" e2e_wait_for -t 30 -i 0.2 e2e_ping_plain "$IP" $PORT
e2e_log "timing: boot -> user's /_ping answered: $(e2e_since "$_e2e_t0") s"

# The address 8 s late: rootlesskit fails to bind until it is there; without the start limit
# systemd keeps restarting it every 2 s (RestartSec=2), and the listener comes back.
e2e_reboot --late-address 8
e2e_check "the address late: rootlesskit says it cannot bind $IP:$PORT" \
	e2e_wait_for -t 20 -i 0.5 e2e_sh 'journalctl -q -b -o cat _SYSTEMD_USER_UNIT=docker.service _UID=$1 | grep -qF "listen tcp $2: bind: cannot assign requested address"' "$UID_" "$IP:$PORT"
e2e_check "host0 got its address" e2e_wait_address
e2e_check "the address late: /_ping at $IP:$PORT once it is there" e2e_wait_for -t 30 -i 0.2 e2e_ping_plain "$IP" $PORT
e2e_log "measured: boot -> user's /_ping answered $(e2e_since "$_e2e_t0") s (address after 8 s), restarts by systemd: $(e2e_user_run $U systemctl --user show -p NRestarts --value docker.service)"

# TLS: the drop-in `preview --user --tls` shows, with a CA, server and client certificates made
# here by openssl (the program does not make the user's material yet) in its tls_dir, keys 0600
# owned by the user: /_ping with the client bundle, refused without a client certificate.
if command -v openssl >/dev/null; then
	drs preview --user $U --iface host0 --tls --json
	drs_expect 0 "preview --user $U --tls"
	TLSD=$(drs_json tls_dir)
	drs_json dropin_new >"$E2E_TMP/dropin-tls"
	K=$E2E_TMP/pki
	mkdir -p "$K"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$K/ca-key.pem" -out "$K/ca.pem" \
		-days 2 -subj /CN=drs-test-ca 2>/dev/null &&
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$K/server-key.pem" -out "$K/s.csr" \
			-subj /CN=server 2>/dev/null &&
		openssl x509 -req -in "$K/s.csr" -CA "$K/ca.pem" -CAkey "$K/ca-key.pem" -CAcreateserial -days 2 \
			-extfile <(printf 'subjectAltName=IP:%s\n' "$IP") -out "$K/server-cert.pem" 2>/dev/null &&
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$K/key.pem" -out "$K/c.csr" \
			-subj /CN=client 2>/dev/null &&
		openssl x509 -req -in "$K/c.csr" -CA "$K/ca.pem" -CAkey "$K/ca-key.pem" -CAcreateserial -days 2 \
			-extfile <(printf 'extendedKeyUsage=clientAuth\n') -out "$K/cert.pem" 2>/dev/null ||
		e2e_fail "openssl could not make the test PKI"
	for f in ca.pem server-cert.pem server-key.pem; do
		mode=0644; [ "$f" = server-key.pem ] && mode=0600
		e2e_write "$TLSD/$f" $mode <"$K/$f"
	done
	e2e_run chown -R $U: "/home/$U/.config/docker-remote-setup"
	e2e_sh 'cat >"$1" && chown "$2:" "$1"' "$DROPIN" "$U" <"$E2E_TMP/dropin-tls"
	e2e_user_run $U systemctl --user daemon-reload
	e2e_check "TLS: systemctl --user restart docker.service" e2e_user_run $U systemctl --user restart docker.service
	tls_ping() {
		[ "$(curl -sS --noproxy '*' --connect-timeout 3 --max-time 5 --cacert "$K/ca.pem" --cert "$K/cert.pem" \
			--key "$K/key.pem" "https://$IP:2376/_ping" 2>&1)" = OK ]
	}
	e2e_check "TLS: /_ping at $IP:2376 with the client bundle" e2e_wait_for -t 30 -i 0.2 tls_ping
	e2e_check "TLS: refused without a client certificate" \
		drs_not curl -sS --noproxy '*' --max-time 5 --cacert "$K/ca.pem" "https://$IP:2376/_ping"
	e2e_check "TLS: the plain listener 2375 is gone" drs_not e2e_ping_plain "$IP" 2375
	e2e_check "TLS: the key is 0600, owned by $U" test "$(e2e_run stat -c '%a %U' "$TLSD/server-key.pem")" = "600 $U"
else
	e2e_log "no openssl on the host: the TLS step is left out"
fi
e2e_finish
