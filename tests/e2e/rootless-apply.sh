#!/bin/bash
# rootless-apply.sh: apply --user NAME (issue 19) on Debian 13: the engine's transaction aimed at a
# user's own manager. With --confirm-timeout the change is left pending and the revert timer, a
# transient timer in the user's manager running `rollback --auto ID --user NAME` as the user,
# puts the user's files back byte for byte; a plain apply is verified (the user journal's
# "API listen on [::]:PORT" of this run, /_ping from the host at the published address) and kept,
# its files the user's, its backups in the user's state directory, root's daemon untouched; a
# second apply does nothing; a publish rootlesskit cannot bind is reverted at once; confirm --user
# keeps a pending change; rollback --to --user goes back to before the first kept change; a kill -9
# after the restart is reverted by recover --user; TLS with material made for the user, /_ping
# with its client bundle; the user's daemon.json with "hosts", "tls" and log-level warn (those keys
# leave it, /_ping alone proves the change), TLS moved to a second address (the kept material is
# not for it: new material, the old bundle refused); after a reboot the user unit
# docker-remote-setup-recover-user.service
# reverts a pending change; the user runs it itself without root; bad input changes nothing. (The
# test build:
# DRS_TEST_FAULT.)
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
e2e_rootless_only
drs_setup --persistent --tun rlapply hooks
e2e_assert "rootless Docker set up for user alice" e2e_rootless_setup alice

U=alice UID_=$E2E_USER_UID IP=$E2E_CT_IP
H=/home/$U
DROPIN=$H/.config/systemd/user/docker.service.d/docker-remote-setup.conf
STATE=$H/.local/state/docker-remote-setup

# Every file under the user's ~/.config: path, owner, mode and content.
user_files_hash() {
	e2e_sh 'cd "$1" && find .config \( -type f -o -type l -o -type d \) -printf "%p %u:%g %m\n" \
		-type f -exec sha256sum {} \; | sort | sha256sum | cut -d" " -f1' "$H"
}
root_state() {
	printf '%s %s %s' "$(e2e_run systemctl show -p InvocationID --value docker.service)" \
		"$(e2e_run systemctl show -p NRestarts --value docker.service)" "$(drs_config_hash)"
}
files_are() { [ "$(user_files_hash)" = "$1" ]; }
user_inv() { e2e_user_run $U systemctl --user show -p InvocationID --value docker.service; }
ping_gone() { ! curl -sS --noproxy '*' --connect-timeout 2 --max-time 3 "http://$1:$2/_ping" >/dev/null 2>&1; }

hash0=$(user_files_hash)
root0=$(root_state)

# Bad input first: nothing changes.
drs apply --user $U --iface host0 --plain --port 80 --yes
drs_expect 4 "apply --user $U --port 80"
drs_out_has "port 80 is below 1024"
drs_out_has "nothing was changed"
drs apply --user carol --iface host0 --plain --yes
drs_expect 4 "apply --user carol (no such user)"
e2e_run useradd -m -s /bin/bash bob
drs apply --user bob --iface host0 --plain --yes
drs_expect 4 "apply --user bob (no rootless setup, no linger)"
drs_out_has "user bob has no rootless Docker"
e2e_check "the refusals wrote nothing" test "$(user_files_hash)" = "$hash0"
e2e_check "the refusals made no state directory for the user" drs_not e2e_run test -e "$STATE"

# 1. Pending, then the revert timer (in the user's manager) puts the files back byte for byte.
t0=$(e2e_now_us)
drs apply --user $U --iface host0 --plain --yes --confirm-timeout 20 --json
drs_expect 0 "apply --user $U --confirm-timeout 20"
e2e_check "outcome pending" test "$(drs_json outcome)" = pending
e2e_log "timing: apply --user (pending) took $(e2e_since "$t0") s, restart -> verified $(drs_json timing restart_to_verified_ms) ms"
ID1=$(drs_json backup_id)
e2e_check "/_ping from the host at $IP:2375 (pending)" e2e_ping_plain "$IP" 2375
e2e_check "the deadline timer runs in the user's manager" \
	e2e_user_unit_active $U "docker-remote-setup-deadline-$ID1.timer"
drs status --user $U --json
e2e_check "status --user: the pending change $ID1" test "$(drs_json pending)" = "$ID1"
e2e_check "no revert timer of ours in root's manager" \
	test -z "$(e2e_run systemctl list-units --all --no-legend --plain 'docker-remote-setup-*')"
e2e_check "the drop-in is the user's, 0644" test "$(e2e_run stat -c '%U:%G %a' "$DROPIN")" = "$U:$U 644"
e2e_check "the backups are the user's, 0700, in $STATE" \
	test "$(e2e_run stat -c '%U %a' "$STATE" "$STATE/backups")" = "$U 700
$U 700"
e2e_check "the backup set is the user's" test "$(e2e_run stat -c %U "$STATE/backups/$ID1/manifest.json")" = "$U"
e2e_check "the revert timer put the user's files back byte for byte" \
	e2e_wait_for -t 60 -i 0.5 files_are "$hash0"
# The files are back before the timer's rollback has restarted, verified and cleared its record.
e2e_check "after the revert: the timer's rollback ran to its end (no record left)" \
	e2e_wait_for -t 60 -i 0.2 drs_not e2e_run test -e "$STATE/current.json"
e2e_check "after the revert: the user's daemon active" e2e_wait_for -t 30 -i 0.2 e2e_user_unit_active $U docker.service
e2e_check "after the revert: $IP:2375 no longer answers" ping_gone "$IP" 2375
drs rollback --list --user $U
drs_expect 0 "rollback --list --user $U"
drs_out_has "$ID1 .*reverted: not confirmed before the deadline"
e2e_check "root's daemon untouched so far" test "$(root_state)" = "$root0"

# 2. A plain apply, verified and kept.
drs apply --user $U --iface host0 --plain --yes --json
drs_expect 0 "apply --user $U --iface host0 --plain"
e2e_check "outcome kept" test "$(drs_json outcome)" = kept
ID2=$(drs_json backup_id)
e2e_log "measured: restart -> API listen $(drs_json timing restart_to_listen_ms) ms, -> verified $(drs_json timing restart_to_verified_ms) ms"
e2e_check "the journal lines of this run say API listen on [::]:2375" grep -qF 'API listen on [::]:2375' "$DRS_OUT"
e2e_check "/_ping from the host at $IP:2375" e2e_ping_plain "$IP" 2375
e2e_check "the user's socket is still there" e2e_run test -S "/run/user/$UID_/docker.sock"
e2e_check "no timer of ours left in the user's manager" \
	test -z "$(e2e_user_run $U systemctl --user list-units --all --no-legend --plain 'docker-remote-setup-*')"
e2e_check "root's daemon untouched (invocation, restarts, files)" test "$(root_state)" = "$root0"
e2e_check "root's state directory not used" drs_not e2e_run test -e /var/lib/docker-remote-setup/backups/$ID2
hash2=$(user_files_hash)
drs apply --user $U --iface host0 --plain --yes
drs_expect 6 "apply --user $U again: nothing to do"

# 3. A publish rootlesskit cannot bind (the port taken on the address): reverted at once.
e2e_run systemd-run -q --unit drs-occupy python3 -c 'import socket, sys, time
s = socket.socket(); s.bind((sys.argv[1], 2395)); s.listen(); time.sleep(3600)' "$IP"
e2e_check "$IP:2395 taken" e2e_wait_for -t 10 -i 0.2 drs_tcp_listening 2395
inv2=$(user_inv)
drs apply --user $U --iface host0 --plain --port 2395 --timeout 30 --yes
drs_expect 5 "apply --user $U --port 2395 (taken): rolled back"
drs_out_has "previous configuration was restored"
e2e_check "the user's files are back byte for byte" test "$(user_files_hash)" = "$hash2"
e2e_check "/_ping at $IP:2375 again" e2e_wait_for -t 30 -i 0.2 e2e_ping_plain "$IP" 2375
e2e_check "the user's daemon was restarted (a new run)" test "$(user_inv)" != "$inv2"
e2e_run systemctl stop drs-occupy

# 4. confirm --user keeps a pending change.
drs apply --user $U --iface host0 --plain --port 2385 --yes --confirm-timeout 60 --json
drs_expect 0 "apply --user $U --port 2385 --confirm-timeout 60"
ID4=$(drs_json backup_id)
drs apply --user $U --iface host0 --plain --port 2386 --yes
drs_expect 8 "another apply while one is pending"
drs confirm --user $U
drs_expect 0 "confirm --user $U"
e2e_check "after confirm: the deadline timer is gone" \
	drs_not e2e_user_unit_active $U "docker-remote-setup-deadline-$ID4.timer"
e2e_check "after confirm: /_ping at $IP:2385" e2e_ping_plain "$IP" 2385
e2e_check "after confirm: $IP:2375 gone" ping_gone "$IP" 2375

# 5. rollback --to the first kept change: the user's files as they were before it, byte for byte.
drs rollback --user $U --to "$ID2" --yes
drs_expect 0 "rollback --user $U --to $ID2"
e2e_check "rollback --to: the user's files as before $ID2, byte for byte" test "$(user_files_hash)" = "$hash0"
e2e_check "rollback --to: the user's daemon active" e2e_user_unit_active $U docker.service
e2e_check "rollback --to: $IP:2385 gone" ping_gone "$IP" 2385

# 6. Killed (SIGKILL) after the restart: the record stays; with the guard timer stopped,
# recover --user reverts it.
drs DRS_TEST_FAULT=after-restart:kill apply --user $U --iface host0 --plain --timeout 20 --yes
e2e_check "apply --user killed after the restart (exit $DRS_RC)" test "$DRS_RC" -ge 128
e2e_check "the record was left in the user's state directory" e2e_run test -f "$STATE/current.json"
e2e_user_run $U sh -c 'systemctl --user stop "docker-remote-setup-revert-*.timer"'
e2e_check "the guard timer is stopped" \
	test -z "$(e2e_user_run $U systemctl --user list-units --no-legend --plain 'docker-remote-setup-revert-*')"
drs recover --user $U
drs_expect 0 "recover --user $U"
drs_out_has "Reverted the change left behind"
e2e_check "recover: the user's files back byte for byte" test "$(user_files_hash)" = "$hash0"
e2e_check "recover: $IP:2375 gone" ping_gone "$IP" 2375
e2e_check "recover: the user's daemon active" e2e_user_unit_active $U docker.service
drs recover --user $U
drs_expect 6 "recover --user $U again: nothing"

# 7. TLS: the material made in the user's tls_dir (keys 0600, the user's); /_ping from the host with
# the client bundle, refused without a client certificate; rollback --to removes all of it.
drs apply --user $U --iface host0 --tls --yes --json
drs_expect 0 "apply --user $U --tls"
e2e_check "TLS: outcome kept" test "$(drs_json outcome)" = kept
e2e_check "TLS: dockerd refused a client without a certificate (the program's own check)" \
	test -n "$(drs_json anonymous_refused)"
e2e_log "measured (TLS): restart -> API listen $(drs_json timing restart_to_listen_ms) ms, -> verified $(drs_json timing restart_to_verified_ms) ms"
ID7=$(drs_json backup_id)
TLSD=$H/.config/docker-remote-setup/tls
e2e_check "TLS: the keys are 0600 and the user's" \
	test "$(e2e_run stat -c '%a %U' "$TLSD/server-key.pem" "$TLSD/ca-key.pem" "$TLSD/client/key.pem" | sort -u)" = "600 $U"
K=/proc/$E2E_LEADER/root$TLSD/client
tls_ping() {
	[ "$(curl -sS --noproxy '*' --connect-timeout 3 --max-time 5 --cacert "$K/ca.pem" --cert "$K/cert.pem" \
		--key "$K/key.pem" "https://$IP:2376/_ping" 2>&1)" = OK ]
}
e2e_check "TLS: /_ping from the host at $IP:2376 with the client bundle" tls_ping
e2e_check "TLS: refused without a client certificate" \
	drs_not curl -sS --noproxy '*' --max-time 5 --cacert "$K/ca.pem" "https://$IP:2376/_ping"
e2e_check "TLS: the plain listener is gone" ping_gone "$IP" 2375
e2e_check "TLS: root's daemon untouched" test "$(root_state)" = "$root0"
drs rollback --user $U --to "$ID7" --yes
drs_expect 0 "rollback --user $U --to $ID7"
e2e_check "TLS rolled back: the user's files as before, byte for byte (material and its directories gone)" \
	test "$(user_files_hash)" = "$hash0"
e2e_check "TLS rolled back: $IP:2376 gone" drs_not tls_ping

# 7b. The user's own daemon.json with "hosts", "tls" and a quiet log level: dockerd would refuse
# the -H and --tlsverify flags next to them, so those keys leave the file (the rest stays), and
# with "API listen on" not logged the check is /_ping alone. TLS on a second address of host0 (no
# material yet: made for it), then moved back to $IP: the kept material's server certificate is not
# for $IP, so new material replaces it and the old client bundle no longer gets in. rollback --to
# puts every file back as it was before, byte for byte.
A2=10.213.$E2E_SLOT.9
JSON=$H/.config/docker/daemon.json
e2e_assert "a second address $A2/32 on host0" nsenter -t "$E2E_LEADER" -n ip addr add "$A2/32" dev host0
e2e_assert "the host's route to $A2 through ve-$E2E_NAME" ip route add "$A2/32" dev "ve-$E2E_NAME"
e2e_user_run $U mkdir -p "$H/.config/docker"
printf '{\n  "hosts": ["unix:///run/user/%s/docker.sock"],\n  "tls": false,\n  "log-level": "warn",\n  "max-concurrent-downloads": 2\n}\n' "$UID_" |
	e2e_user_run $U sh -c "cat > '$JSON'"
hashj=$(user_files_hash)
drs apply --user $U --address "$A2" --tls --yes --json
drs_expect 0 "apply --user $U --address $A2 --tls, with \"hosts\" and \"tls\" in daemon.json"
ID7b=$(drs_json backup_id)
e2e_check "daemon.json: \"hosts\" and \"tls\" left the file, the rest stayed" \
	test "$(python3 -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))))' "/proc/$E2E_LEADER/root$JSON")" = \
	"['log-level', 'max-concurrent-downloads']"
e2e_check "daemon.json is still the user's" test "$(e2e_run stat -c %U "$JSON")" = "$U"
e2e_check "log level warn: no \"API listen on\" waited for (restart -> listen not measured)" \
	test -z "$(drs_json timing restart_to_listen_ms)"
tls_ping_at() {
	[ "$(curl -sS --noproxy '*' --connect-timeout 3 --max-time 5 --cacert "$2/ca.pem" --cert "$2/cert.pem" \
		--key "$2/key.pem" "https://$1:2376/_ping" 2>&1)" = OK ]
}
e2e_check "TLS at $A2: /_ping from the host with the client bundle" tls_ping_at "$A2" "$K"
OLDK=$(mktemp -d) && cp "$K"/*.pem "$OLDK"/
drs preview --user $U --address "$IP" --tls
e2e_check "preview at $IP: the material made for $A2 cannot be kept" \
	grep -qF "TLS material in $TLSD cannot be kept: the server certificate does not name this address" "$DRS_OUT"
drs apply --user $U --address "$IP" --tls --yes --json
drs_expect 0 "apply --user $U --tls at $IP: new material"
e2e_check "TLS at $IP: /_ping with the new client bundle" tls_ping_at "$IP" "$K"
e2e_check "TLS at $IP: the old client bundle is refused (another CA)" drs_not tls_ping_at "$IP" "$OLDK"
rm -r "$OLDK"
drs rollback --user $U --to "$ID7b" --yes
drs_expect 0 "rollback --user $U --to $ID7b"
e2e_check "rolled back: the user's files (daemon.json too) as before $ID7b, byte for byte" \
	test "$(user_files_hash)" = "$hashj"
e2e_check "rolled back: the user's daemon active with its own daemon.json" \
	e2e_wait_for -t 30 -i 0.2 e2e_user_unit_active $U docker.service
e2e_run rm -r "$H/.config/docker"
nsenter -t "$E2E_LEADER" -n ip addr del "$A2/32" dev host0
e2e_user_run $U systemctl --user restart docker.service
e2e_check "the user's files as at the start again" test "$(user_files_hash)" = "$hash0"

# 8. A reboot while a change is pending: the user's revert timer (transient) is gone; the user unit
# docker-remote-setup-recover-user.service, enabled for every user, reverts it in the user's
# manager at boot (linger), byte for byte.
unit=${top_builddir:-$here/../..}/data/docker-remote-setup-recover-user.service
[ -f "$unit" ] || e2e_fail "$unit is not built"
sed 's|^ExecStart=[^ ]*/docker-remote-setup |ExecStart=/usr/local/bin/docker-remote-setup |' "$unit" |
	e2e_write /etc/systemd/user/docker-remote-setup-recover-user.service 0644
e2e_check "the user unit can be enabled for every user" \
	e2e_run systemctl --global enable -q docker-remote-setup-recover-user.service
drs apply --user $U --iface host0 --plain --yes --confirm-timeout 600 --json
drs_expect 0 "apply --user $U --confirm-timeout 600 (then a reboot)"
ID8=$(drs_json backup_id)
e2e_check "pending: /_ping at $IP:2375" e2e_ping_plain "$IP" 2375
e2e_reboot
e2e_check "after the reboot: the user's files back byte for byte" e2e_wait_for -t 60 -i 0.5 files_are "$hash0"
e2e_log "measured: boot -> the user's files reverted by the user unit: $(e2e_since "$_e2e_t0") s"
# The files are back before recover has restarted the daemon, verified and cleared its record:
# wait for the oneshot unit to have run to its end, then check what it left.
recover_ran() {
	[ -n "$(e2e_user_run $U systemctl --user show -p ExecMainExitTimestampMonotonic --value \
		docker-remote-setup-recover-user.service 2>/dev/null | grep -v '^0$')" ] &&
		[ "$(e2e_user_run $U systemctl --user is-active docker-remote-setup-recover-user.service)" != activating ]
}
e2e_check "after the reboot: the user unit ran to its end" e2e_wait_for -t 60 -i 0.2 recover_ran
e2e_check "after the reboot: the user unit succeeded" \
	test "$(e2e_user_run $U systemctl --user show -p Result --value docker-remote-setup-recover-user.service)" = success
e2e_check "after the reboot: the user's daemon active" e2e_wait_for -t 30 -i 0.2 e2e_user_unit_active $U docker.service
e2e_check "after the reboot: $IP:2375 gone" ping_gone "$IP" 2375
e2e_check "after the reboot: no record left" drs_not e2e_run test -e "$STATE/current.json"
drs rollback --list --user $U
drs_out_has "$ID8 .*reverted: not confirmed before the deadline"
e2e_check "root's daemon not reverted or changed (files)" test "$(drs_config_hash)" = "${root0##* }"

# 9. Run by the user itself, without root: apply, /_ping from the host, rollback --to.
as_user() {
	e2e_log "run as $U: docker-remote-setup $*"
	e2e_user_run $U docker-remote-setup "$@" >"$DRS_OUT" 2>&1
	DRS_RC=$?
	sed 's/^/    | /' "$DRS_OUT"
}
as_user apply --user $U --iface host0 --plain --yes --json
drs_expect 0 "as $U: apply --user $U"
ID9=$(drs_json backup_id)
e2e_check "as $U: /_ping from the host at $IP:2375" e2e_ping_plain "$IP" 2375
e2e_check "as $U: the drop-in is the user's" test "$(e2e_run stat -c %U "$DROPIN")" = "$U"
as_user apply --user bob --iface host0 --plain --yes
drs_expect 4 "as $U: apply --user bob (another user without the setup)"
as_user rollback --user $U --to "$ID9" --yes
drs_expect 0 "as $U: rollback --user $U --to $ID9"
e2e_check "as $U: the user's files back byte for byte" test "$(user_files_hash)" = "$hash0"
e2e_run useradd -m -s /bin/bash carol
e2e_run runuser -u carol -- docker-remote-setup rollback --user $U --list >"$DRS_OUT" 2>&1
DRS_RC=$?
drs_expect 3 "as carol: rollback --user $U --list (neither root nor $U)"
drs_out_has "needs root or that user"
e2e_finish
