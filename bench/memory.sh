#!/bin/bash
# bench/memory.sh: part 4, memory: peak RSS (the kernel's ru_maxrss, bench/maxrss) of apply in
# the real systemd container, of the commands on the host, and (pending) of a wizard walk.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

N=${BENCH_MEMORY_RUNS:-5}
MAXRSS=$BENCH_BUILDDIR/bench/maxrss
bench_start 4-memory "4. Memory: peak RSS (KiB, ru_maxrss)" run n median max "target ≤ 8 MB (8192 KiB)"

# rss_row LABEL CMD...: N runs of CMD under maxrss (CMD may be e2e_run ...).
rss_row() {
	local label=$1 i f=$raw/$RANDOM
	shift
	for i in $(seq 1 "$N"); do
		"$@" >/dev/null 2>&1
		cat "$raw/last" >>"$f"
	done
	read -r n med _ _ max < <(bench_stats "$f")
	bench_row $PART "$label" "$n" "$med" "$max" "$(bench_pass "$max" 8192)"
}

fixture=$top_srcdir/tests/fixtures/base/debian
host() { "$MAXRSS" "$raw/last" "$@"; }
rss_row "\`--version\` (host)" host "$DRS" --version
rss_row "\`preview --iface lo\` on the Debian fixture (host)" host "$DRS" preview --root "$fixture" --iface lo
rss_row "\`interfaces --all\` (host)" host "$DRS" interfaces --all

# apply in the container: plain and TLS (TLS generates the CA, server and client keys).
. "$top_srcdir/tests/e2e/lib.sh"
if (e2e_skip_unless_possible) >/dev/null; then
	e2e_init
	e2e_rootfs
	e2e_boot benchm >&2
	e2e_install_binary "$DRS" || e2e_fail "cannot install $DRS"
	install -m 0755 "$MAXRSS" "/proc/$E2E_LEADER/root/usr/local/bin/drs-maxrss"
	port=2375
	ct() {
		port=$((port == 2375 ? 2380 : 2375))
		e2e_run drs-maxrss /run/drs-maxrss docker-remote-setup apply --iface lo --port "$port" "$@" --yes
		e2e_run cat /run/drs-maxrss >"$raw/last"
	}
	# The reference: what systemd's own client takes to show the same service.
	ct_systemctl() {
		e2e_run drs-maxrss /run/drs-maxrss systemctl status docker --no-pager
		e2e_run cat /run/drs-maxrss >"$raw/last"
	}
	rss_row "\`systemctl status docker\` (container, the reference)" ct_systemctl
	ct_status() {
		e2e_run drs-maxrss /run/drs-maxrss docker-remote-setup status
		e2e_run cat /run/drs-maxrss >"$raw/last"
	}
	rss_row "\`docker-remote-setup status\` (container)" ct_status
	rss_row "\`apply --plain\` (container: restart + journal + /_ping)" ct --plain
	ct_tls() { e2e_run rm -rf /etc/docker/remote-setup; ct; }
	rss_row "\`apply\` TLS, new CA + certificates (container)" ct_tls
	# One more TLS apply with DRS_TRACE=maps: what the resident pages are at its peak, by file.
	e2e_run rm -rf /etc/docker/remote-setup
	port=$((port == 2375 ? 2380 : 2375))
	e2e_run env DRS_TRACE=maps docker-remote-setup apply --iface lo --port "$port" --yes 2>"$raw/maps.trace" >/dev/null
	if python3 "$here/rss-by-file.py" "$raw/maps.trace" 12 >"$raw/maps.txt" 2>&1; then
		bench_note $PART "- one more TLS apply with \`DRS_TRACE=maps\` (bench/rss-by-file.py): resident KiB by file at its highest traced point, and what each step added:"
		bench_note $PART "$(printf '\n```\n%s\n```\n' "$(cat "$raw/maps.txt")")"
	fi
else
	bench_row $PART "apply: skipped (needs root, systemd-nspawn)" - - - -
fi

# A preview-only wizard walk through every screen in tmux (80x24), on the Debian fixture tree
# with the NICs of the test namespace (tests/cli/netns-setup.sh: eth1 is preselected).
# BENCH_WIZARD_KEYS: the tmux send-keys arguments of the walk, one step per line;
# BENCH_WIZARD_DONE: text on the last screen.
wizard_walk() {
	local keys=${BENCH_WIZARD_KEYS-$'Enter\nEnter\nEnter\nEnter\nEnter\nEnter\nEnter\nEnter'}
	local done_text=${BENCH_WIZARD_DONE-9/9 Done}
	if "$DRS" --preview 2>&1 </dev/null | grep -q "not built yet" || [ -z "$keys" ] || [ -z "$done_text" ]; then
		bench_row $PART "wizard walk, preview-only (tmux)" pending - - "hook in bench/memory.sh (BENCH_WIZARD_KEYS, BENCH_WIZARD_DONE)"
		return
	fi
	local sock=drs-bench-$$ step
	rm -f "$raw/wizard.rss"
	tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
		"unshare --net bash $top_srcdir/tests/cli/netns-setup.sh env LANG=C.UTF-8 TERM=xterm $MAXRSS $raw/wizard.rss $DRS --preview --root $top_srcdir/tests/fixtures/base/debian"
	for _ in $(seq 1 50); do tmux -L "$sock" capture-pane -p | grep -qF -- "1/9 Status" && break; sleep 0.1; done
	while IFS= read -r step; do
		# shellcheck disable=SC2086  # send-keys arguments
		tmux -L "$sock" send-keys $step
		sleep 0.3
	done <<<"$keys"
	for _ in $(seq 1 50); do tmux -L "$sock" capture-pane -p | grep -qF -- "$done_text" && break; sleep 0.1; done
	tmux -L "$sock" send-keys q
	for _ in $(seq 1 50); do [ -s "$raw/wizard.rss" ] && break; sleep 0.1; done
	tmux -L "$sock" kill-server 2>/dev/null
	local v
	v=$(cat "$raw/wizard.rss" 2>/dev/null || echo -)
	bench_row $PART "wizard walk, preview-only (tmux)" 1 "$v" "$v" "$(bench_pass "${v/-/999999}" 8192)"
}
wizard_walk
bench_note $PART "- ru_maxrss of the process: the kernel's figure, in which every page touched of the shared libraries (glibc, GnuTLS and its crypto libraries, libsystemd, json-c) and of mapped files counts. For comparison \`/bin/true\`: $("$MAXRSS" "$raw/last" /bin/true; cat "$raw/last") KiB, \`systemctl --version\`: $("$MAXRSS" "$raw/last" systemctl --version >/dev/null; cat "$raw/last") KiB."
