#!/bin/bash
# bad-input.sh: the cases of the bad-input table (tests/cli/bad-input.sh) that need a real systemd
# and dockerd: the exit code, the message, and the daemon still (or again) running with the old
# listeners. Prints the table at the end.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/drs.sh"
drs_setup badin hooks

IP=$E2E_CT_IP
table=()
stock=$(drs_config_hash)
row() { table+=("$(printf '%-52s %s' "$1" "$2")"); }
# refused NAME CODE REGEX ARGS...: the program exits CODE saying REGEX, nothing changed, docker runs.
refused() {
	local name=$1 code=$2 re=$3 before
	shift 3
	before=$(drs_config_hash)
	${RUN:-drs} "$@"
	drs_expect "$code" "$name"
	drs_out_has "$re"
	e2e_check "$name: nothing changed" test "$(drs_config_hash)" = "$before"
	e2e_check "$name: docker.service active" e2e_unit_active docker.service
	row "$name" "$code"
}

# The listen address vanishes after pre-flight, before the restart: dockerd cannot bind it, the
# change is rolled back and the old state verified. (The tool stops itself after arming the revert
# timer; the address is removed; it goes on.)
e2e_log "=== address removed before the restart"
e2e_run env DRS_TEST_FAULT=after-timer:stop docker-remote-setup apply --iface host0 --plain --yes > "$E2E_TMP/stopped.out" 2>&1 &
bg=$!
pid=$(drs_stopped docker-remote-s)
e2e_check "the tool stopped itself after arming the timer" test -n "$pid"
e2e_run ip addr del "$IP/30" dev host0
e2e_run kill -CONT "$pid"
drs_cont_job "$bg"
wait "$bg"
rc=$?
sed 's/^/    | /' "$E2E_TMP/stopped.out"
e2e_check "address removed before restart: exit $rc, expected 5 (rolled back)" test "$rc" = 5
# The socket method binds with FreeBind=yes: dockerd starts and logs its listener, and /_ping
# over the missing address is what fails (the drop-in method fails in dockerd's bind).
e2e_check "the message says why" grep -qE "Verification failed: .*(cannot assign requested address|did not start|no API listen|GET /_ping over the new endpoint failed)" "$E2E_TMP/stopped.out"
e2e_check "the previous configuration was restored" grep -q "previous configuration was restored and verified" "$E2E_TMP/stopped.out"
e2e_check "stock files again" test "$(drs_config_hash)" = "$stock"
e2e_check "docker.service active again" e2e_unit_active docker.service
e2e_check "no timer left" test -z "$(e2e_run systemctl list-units --all --no-legend 'docker-remote-setup-*')"
row "address removed before the restart" "$rc"

# Gone before the apply (between preview and apply): refused, nothing changed.
refused "address removed between preview and apply" 4 'interface "host0" has no usable address|no address' \
	apply --iface host0 --plain --yes
refused "the removed address given explicitly" 4 "address $IP is not on interface \"host0\"" \
	apply --iface host0 --address "$IP" --plain --yes
e2e_run ip addr add "$IP/30" dev host0

# Something else listens on the port: the test-bind refuses it before anything changes.
e2e_run systemd-run --unit=squatter /usr/bin/systemd-socket-activate -l "$IP:2390" /bin/cat >/dev/null 2>&1
e2e_check "something listens on 2390" e2e_wait_for -t 10 drs_tcp_listening 2390
refused "port taken on the host" 4 "port 2390 on $IP is already in use" apply --iface host0 --plain --port 2390 --yes
e2e_run systemctl stop squatter.service

# drs_nobody ARGS...: drs, as an unprivileged user.
drs_nobody() {
	e2e_run setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all docker-remote-setup "$@" > "$DRS_OUT" 2>&1
	DRS_RC=$?
	sed 's/^/    | /' "$DRS_OUT"
}
RUN=drs_nobody refused "not root (setpriv)" 3 "needs root" apply --iface host0 --plain --yes

# A later drop-in sets ExecStart=: ours would be overridden.
printf '[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd://\n' | e2e_write /etc/systemd/system/docker.service.d/zz-local.conf
e2e_run systemctl daemon-reload
stock_zz=$(drs_config_hash)
refused "a later drop-in overrides ours" 4 'zz-local.conf is applied after .* and sets ExecStart=' apply --iface host0 --plain --yes --method dropin
e2e_run rm /etc/systemd/system/docker.service.d/zz-local.conf
e2e_run rmdir /etc/systemd/system/docker.service.d
e2e_run systemctl daemon-reload

# A change awaits confirmation: another apply is refused until it is confirmed or rolled back.
drs apply --iface host0 --plain --yes --confirm-timeout 300
drs_expect 0 "apply pending confirmation"
refused "apply while a change awaits confirmation" 8 'awaits confirmation: run "confirm"' apply --iface host0 --plain --port 2380 --yes
drs confirm
drs_expect 0 "confirm"

refused "the same apply again" 6 'Nothing to do' apply --iface host0 --plain --yes

# daemon.json says "log-level": "warn": dockerd never logs "API listen on" then; /_ping, tried
# until the timeout, verifies alone.
stock_id=$(e2e_sh 'ls /var/lib/docker-remote-setup/backups | head -n1')
drs rollback --to "$stock_id" --yes
printf '{\n  "log-level": "warn"\n}\n' | e2e_write /etc/docker/daemon.json
drs apply --iface host0 --plain --port 2383 --yes
drs_expect 0 "log-level warn: verified by /_ping alone"
drs_out_has "skipped +wait for \"API listen on\" \(dockerd's log level hides it\)"
drs_out_has "Verified and kept"
e2e_check "log-level warn: the listener answers" e2e_ping_plain "$IP" 2383
row "daemon.json log-level warn (verified by /_ping)" "$DRS_RC"
drs rollback --to "$(e2e_sh 'ls /var/lib/docker-remote-setup/backups | tail -n1')" --yes
drs_expect 0 "log-level warn: rollback verified too"

# daemon.json "hosts" next to -H: dockerd would refuse to start; the plan moves them and verifies.
printf '{\n  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"],\n  "log-level": "warn"\n}\n' |
	e2e_write /etc/docker/daemon.json
drs apply --iface host0 --plain --port 2381 --yes
drs_expect 0 "daemon.json hosts conflict: fixed and verified"
drs_out_has "Verified and kept"
e2e_check "daemon.json has no hosts any more" drs_not e2e_run grep -q hosts /etc/docker/daemon.json
e2e_check "daemon.json keeps log-level" e2e_run grep -q '"log-level": "warn"' /etc/docker/daemon.json
e2e_check "the listener answers" e2e_ping_plain "$IP" 2381
e2e_check "the local socket answers" e2e_run curl -sf --unix-socket /run/docker.sock http://d/_ping
row "daemon.json hosts conflict (fixed, verified)" "$DRS_RC"

# The binary is replaced while it runs (a package upgrade): the revert timer must run the new
# one, not "PATH (deleted)", or nothing would ever revert the change.
before=$(drs_config_hash)
e2e_run cp /usr/local/bin/docker-remote-setup /usr/local/bin/drs-upgraded
e2e_run env DRS_TEST_FAULT=after-backup:stop drs-upgraded apply --iface host0 --plain --port 2382 --yes \
	--confirm-timeout 300 > "$E2E_TMP/upgraded.out" 2>&1 &
bg=$!
pid=$(drs_stopped drs-upgraded)
e2e_check "the tool stopped itself after the backup" test -n "$pid"
e2e_sh 'cp /usr/local/bin/drs-upgraded /tmp/new && mv /tmp/new /usr/local/bin/drs-upgraded'
e2e_check "its own binary is gone" bash -c "readlink /proc/$E2E_LEADER/root/proc/$pid/exe | grep -q deleted" ||
	e2e_check "its own binary is gone (as seen inside)" e2e_sh "readlink /proc/$pid/exe | grep -q deleted"
e2e_run kill -CONT "$pid"
drs_cont_job "$bg"
wait "$bg"
rc=$?
sed 's/^/    | /' "$E2E_TMP/upgraded.out"
e2e_check "binary replaced during apply: exit $rc, expected 0" test "$rc" = 0
id=$(e2e_sh 'ls /var/lib/docker-remote-setup/backups | tail -n1')
exec_start=$(e2e_run systemctl show -p ExecStart "docker-remote-setup-deadline-$id.service")
e2e_log "the deadline's command: $exec_start"
e2e_check "the revert runs /usr/local/bin/drs-upgraded" grep -q "path=/usr/local/bin/drs-upgraded ;" <<<"$exec_start"
e2e_run systemctl start "docker-remote-setup-deadline-$id.service"
config_is() { [ "$(drs_config_hash)" = "$1" ]; }
e2e_check "the deadline's revert ran and restored the files" e2e_wait_for -t 60 -i 0.5 config_is "$before"
e2e_check "docker.service active" e2e_unit_active docker.service
row "binary replaced during apply (then reverted by the timer)" "$rc"

echo
echo "Bad-input table, real systemd: ${#table[@]} cases (case, exit code)"
printf '  %s\n' "${table[@]}"
e2e_finish
