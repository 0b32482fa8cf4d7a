#!/bin/bash
# shellcheck disable=SC2016,SC1091  # literal $DOCKER_OPTS in patterns; lib.sh found at run time
# tests/e2e/smoke.sh -- boot a real systemd + dockerd container and prove the
# facts docker-remote-setup relies on. Automake test: 0 pass, 1 fail, 77 skip.
#
#  1. docker.service is active; its ExecStart is Debian's
#     /usr/sbin/dockerd -H fd:// --containerd=... $DOCKER_OPTS
#  2. from the host, sd-bus (busctl) on the container's system bus socket reads
#     docker.service's ExecStart property (--address and DBUS_SYSTEM_BUS_ADDRESS)
#  3. the container's journal directory is readable from the host
#     (journalctl -D DIR -u docker.service)
#  4. the veth works both ways (ICMP)
#  5. a host-built binary linked against ncursesw/systemd/gnutls/json-c runs inside
#  6. a hand-written drop-in adding -H tcp://CT_IP:2375 --tls=false, after
#     daemon-reload + restart, gives "API listen on CT_IP:2375" in the journal
#     and GET /_ping from the host answers OK; the time is measured.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

e2e_skip_unless_possible
e2e_init
e2e_rootfs
e2e_boot "${E2E_SMOKE_NAME:-smoke}"

L=$E2E_LEADER
CT=/proc/$L/root
BUS=unix:path=$CT/run/dbus/system_bus_socket
DOCKER_UNIT_PATH=/org/freedesktop/systemd1/unit/docker_2eservice

# ---------------------------------------------------------------- 1. the stock unit
e2e_assert "docker.service is active" e2e_unit_active docker.service

execstart=$(e2e_run systemctl show -p ExecStart --value docker.service)
e2e_log "ExecStart (systemctl show): $execstart"
stock_re='argv\[\]=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd\.sock \$DOCKER_OPTS( |;|$)'
e2e_assert "ExecStart is /usr/sbin/dockerd -H fd:// --containerd=... \$DOCKER_OPTS" \
	grep -Eq -- "$stock_re" <<<"$execstart"
e2e_check "EnvironmentFile=-/etc/default/docker" \
	grep -q '/etc/default/docker (ignore_errors=yes)' <<<"$(e2e_run systemctl show -p EnvironmentFiles --value docker.service)"
e2e_check "docker.socket is active" e2e_unit_active docker.socket
e2e_check "unix socket answers /_ping inside" \
	test "$(e2e_run curl -sS --max-time 5 --unix-socket /run/docker.sock http://d/_ping)" = OK

# ---------------------------------------------------------------- 2. D-Bus from the host
busctl_execstart() {
	busctl "$@" get-property org.freedesktop.systemd1 "$DOCKER_UNIT_PATH" \
		org.freedesktop.systemd1.Service ExecStart 2>&1
}
prop=$(busctl_execstart --address="$BUS")
e2e_log "ExecStart over D-Bus (--address): $prop"
e2e_assert "host busctl --address reads ExecStart" \
	grep -q '"/usr/sbin/dockerd" "-H" "fd://" "--containerd=/run/containerd/containerd.sock" "\$DOCKER_OPTS"' <<<"$prop"
prop2=$(DBUS_SYSTEM_BUS_ADDRESS=$BUS busctl_execstart --system)
e2e_check "host busctl --system with DBUS_SYSTEM_BUS_ADDRESS reads the same" test "$prop2" = "$prop"

# ---------------------------------------------------------------- 3. journal from the host
journal_dir=
for d in var/log/journal run/log/journal; do
	n=$(find "$CT/$d" -name '*.journal' 2>/dev/null | wc -l)
	e2e_log "journal files under /$d: $n"
	if [ -z "$journal_dir" ] && [ "$n" -gt 0 ]; then journal_dir=$CT/$d; fi
done
e2e_assert "the container has journal files" test -n "$journal_dir"
e2e_log "journal directory in use: ${journal_dir#"$CT"} (machine-id $(cat "$CT/etc/machine-id"))"
host_journal() { journalctl -D "$journal_dir" -q --no-pager -o cat -u docker.service 2>&1; }
e2e_check "host journalctl -D DIR -u docker.service shows dockerd's start" \
	grep -q 'API listen on /run/docker.sock' <<<"$(host_journal)"

# ---------------------------------------------------------------- 4. network
e2e_check "ping host -> container ($E2E_CT_IP)" e2e_icmp_ping host "$E2E_CT_IP"
e2e_check "ping container -> host ($E2E_HOST_IP)" e2e_icmp_ping container "$E2E_HOST_IP"

# ---------------------------------------------------------------- 5. host-built binaries run inside
probe_src=$E2E_TMP/probe.c
cat >"$probe_src" <<'EOF'
#include <stdio.h>
#include <curses.h>
#include <systemd/sd-bus.h>
#include <gnutls/gnutls.h>
#include <json-c/json.h>
int main(void) {
	sd_bus *bus = NULL;
	int r = sd_bus_open_system(&bus);
	printf("ncurses %s, gnutls %s, json-c %s, sd_bus_open_system %d\n",
	       curses_version(), gnutls_check_version(NULL), json_c_version(), r);
	sd_bus_unref(bus);
	return r < 0;
}
EOF
if command -v cc >/dev/null && pkg-config --exists ncursesw libsystemd gnutls json-c 2>/dev/null; then
	# shellcheck disable=SC2046
	if cc -o "$E2E_TMP/probe" "$probe_src" $(pkg-config --cflags --libs ncursesw libsystemd gnutls json-c) 2>"$E2E_TMP/probe.err"; then
		e2e_assert "probe binary (ncursesw, systemd, gnutls, json-c) libraries resolve inside" \
			e2e_install_binary "$E2E_TMP/probe" /usr/local/bin/drs-probe
		e2e_check "probe binary runs inside and reaches the system bus" e2e_run /usr/local/bin/drs-probe
	else
		e2e_log "cannot build the probe binary (not a failure of the harness):"
		sed 's/^/    /' "$E2E_TMP/probe.err"
	fi
else
	e2e_log "no cc or -dev packages: probe binary not built"
fi
if [ -n "${DRS:-}" ] && [ -x "$DRS" ]; then
	e2e_assert "docker-remote-setup ($DRS) libraries resolve inside" e2e_install_binary "$DRS"
	v=$(e2e_run /usr/local/bin/docker-remote-setup --version 2>&1); rc=$?
	e2e_log "docker-remote-setup --version inside: rc=$rc: $(head -n 1 <<<"$v")"
	e2e_check "docker-remote-setup executes inside (rc $rc is not 126/127)" test "$rc" != 126 -a "$rc" != 127
else
	e2e_log "DRS not set or not built: docker-remote-setup not installed"
fi

# ---------------------------------------------------------------- 6. drop-in, restart, API listen, /_ping
PORT=2375
e2e_write /etc/systemd/system/docker.service.d/override.conf <<EOF
[Service]
ExecStart=
ExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock \$DOCKER_OPTS -H tcp://$E2E_CT_IP:$PORT --tls=false
EOF
e2e_assert "daemon-reload" e2e_run systemctl daemon-reload
prop=$(busctl_execstart --address="$BUS")
e2e_check "ExecStart over D-Bus reflects the drop-in after daemon-reload" \
	grep -q "\"-H\" \"tcp://$E2E_CT_IP:$PORT\" \"--tls=false\"" <<<"$prop"

t0=$(e2e_now_us)
e2e_assert "systemctl restart docker.service" e2e_run systemctl restart docker.service
t_job=$(e2e_since "$t0")
listen_re="API listen on $E2E_CT_IP:$PORT"
# The restart job is done: docker.service's current invocation is the new run.
inv=$(e2e_run systemctl show -p InvocationID --value docker.service)
e2e_assert "docker.service has an invocation ID after the restart" test -n "$inv"
e2e_assert "journal shows '$listen_re' (this invocation)" \
	e2e_wait_for -t 40 -i 0.05 e2e_journal_has_current "$listen_re"
t_seen=$(e2e_since "$t0")
# When dockerd logged it (journal timestamp, same clock as the host).
t_listen_us=$(e2e_run journalctl -q --no-pager "_SYSTEMD_INVOCATION_ID=$inv" -o json \
	--output-fields=MESSAGE,__REALTIME_TIMESTAMP |
	grep -F "$listen_re" | sed -n 's/.*"__REALTIME_TIMESTAMP" *: *"\([0-9]*\)".*/\1/p' | head -n 1)
t_listen='?'
[ -n "$t_listen_us" ] && t_listen=$(awk -v a="$t_listen_us" -v b="$t0" 'BEGIN { printf "%.3f", (a - b) / 1e6 }')
e2e_log "TIMING restart job returned after ${t_job} s; 'API listen on' logged at +${t_listen} s, seen at +${t_seen} s"
e2e_check "host journalctl -D also sees the new listen line" grep -qF "$listen_re" <<<"$(host_journal)"
e2e_assert "GET http://$E2E_CT_IP:$PORT/_ping from the host = OK" e2e_ping_plain "$E2E_CT_IP" "$PORT"
e2e_check "unix socket still answers inside" \
	test "$(e2e_run curl -sS --max-time 5 --unix-socket /run/docker.sock http://d/_ping)" = OK
h=$(e2e_file_hash /etc/systemd/system/docker.service.d/override.conf)
e2e_check "e2e_file_hash of the drop-in matches the host's view" \
	test "$h" = "$(sha256sum <"$CT/etc/systemd/system/docker.service.d/override.conf" | cut -d' ' -f1)"
e2e_check "e2e_file_hash of a missing file = absent" test "$(e2e_file_hash /etc/docker/daemon.json)" = absent

e2e_log "TIMING boot to running: $E2E_BOOT_TIME s; docker.service active: $E2E_DOCKER_TIME s; restart to API listen: ${t_listen} s"
e2e_finish
