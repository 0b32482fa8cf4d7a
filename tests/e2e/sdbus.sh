#!/bin/bash
# tests/e2e/sdbus.sh -- sdbus.c and journal.c against a real systemd + dockerd:
# boots a container, then runs tests/e2e/sysprobe from the host on the
# container's system bus and journal directory (state, drop-in, Reload,
# RestartUnit, journal wait, /_ping, transient timer, failing start, StopUnit).
# Automake test: 0 pass, 1 fail, 77 skip.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$here/lib.sh"

probe=${top_builddir:-$here/../..}/tests/e2e/sysprobe
e2e_skip_unless_possible
[ -x "$probe" ] || e2e_skip "$probe not built (make check builds it)"
e2e_init
e2e_rootfs
e2e_boot sdbus

CT=/proc/$E2E_LEADER/root
journal_dir=
for d in var/log/journal run/log/journal; do
	if [ -n "$(find "$CT/$d" -name '*.journal' 2>/dev/null | head -n 1)" ]; then
		journal_dir=$CT/$d
		break
	fi
done
e2e_assert "the container has journal files" test -n "$journal_dir"
e2e_log "journal directory: ${journal_dir#"$CT"}"

# The package's unit file: Debian 12 ships it under /lib, Debian 13 (merged /usr) under /usr/lib.
case $E2E_SUITE in
bookworm) fragment=/lib/systemd/system/docker.service ;;
*) fragment=/usr/lib/systemd/system/docker.service ;;
esac
DBUS_SYSTEM_BUS_ADDRESS=unix:path=$CT/run/dbus/system_bus_socket "$probe" \
	"$journal_dir" "$CT" "/proc/$E2E_LEADER/ns/net" "$fragment" 2>&1 | sed 's/^/    /'
rc=${PIPESTATUS[0]}
e2e_check "sysprobe passed (rc $rc)" test "$rc" = 0

# What the manager and the journal say from the inside, for the log.
e2e_check "no sysprobe unit left behind" \
	test -z "$(e2e_run systemctl list-units --all --no-legend --plain 'drs-sysprobe-fire*' 2>/dev/null)"
e2e_check "/tmp/fired was made by the timer's service" test -e "$CT/tmp/fired"
e2e_run journalctl -q --no-pager -o short-precise -u drs-sysprobe-fire.timer -u drs-sysprobe-fire.service 2>&1 |
	sed 's/^/    timer: /'
e2e_finish
