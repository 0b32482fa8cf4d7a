#!/bin/bash
# bench/ifaces.sh: part 2, interfaces at Docker-host scale: 2000 veth pairs (4000 NICs) in a
# network namespace made here; `docker-remote-setup interfaces` against `ip -br addr`, and
# what the Interface screen computes before its first draw.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

PAIRS=${BENCH_VETH_PAIRS:-2000}
bench_start 2-ifaces "2. Interfaces: $PAIRS veth pairs ($((2 * PAIRS + 5)) NICs) in a network namespace" \
	command "wall median (ms)" "wall p90 (ms)" "CPU user+sys (ms)" "instructions (callgrind)" "× ip -br addr (wall / CPU / instr.)" target

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
	bench_row $PART "skipped (needs root and ip)" - - - - - -
	exit 0
fi
NS=drs-bench-ifaces-$$
ip netns add "$NS" || { bench_row $PART "skipped (ip netns add failed)" - - - - - -; exit 0; }
trap 'ip netns del "$NS" 2>/dev/null' EXIT
in_ns() { ip netns exec "$NS" "$@"; }

# The namespace: lo, a public eth0 with the default route, a private eth1 (what a
# management NIC looks like), and PAIRS veth pairs, all up (so each gets an IPv6 link-local
# address, as on a Docker host with IPv6 enabled).
{
	echo "link set lo up"
	echo "link add eth0 type veth peer name eth0-peer"
	echo "link add eth1 type veth peer name veth-eth1"
	echo "addr add 203.0.113.10/24 dev eth0"
	echo "addr add 10.0.0.5/24 dev eth1"
	for i in $(seq 1 "$PAIRS"); do echo "link add veth${i}a type veth peer name veth${i}b"; done
	for d in eth0 eth0-peer eth1 veth-eth1; do echo "link set $d up"; done
	for i in $(seq 1 "$PAIRS"); do echo "link set veth${i}a up"; echo "link set veth${i}b up"; done
	echo "route add default via 203.0.113.1 dev eth0"
} >"$raw/setup.batch"
t0=$(date +%s%N)
ip -n "$NS" -batch "$raw/setup.batch" || { bench_row $PART "skipped (creating the veth pairs failed)" - - - - - -; exit 0; }
# Wait until the link-local addresses are there (they come with the carrier).
for _ in $(seq 1 100); do
	n6=$(in_ns ip -6 -o addr show scope link | wc -l)
	[ "$n6" -ge $((2 * PAIRS)) ] && break
	sleep 0.2
done
nics=$(in_ns ip -o link | wc -l)
bench_log "namespace $NS: $nics NICs, $n6 link-local IPv6 addresses (set up in $((($(date +%s%N) - t0) / 1000000)) ms)"
in_ns "$DRS" interfaces --all >"$raw/interfaces-all.out"
in_ns "$DRS" interfaces >"$raw/interfaces.out"
in_ns ip -br addr >"$raw/ip.out"
bench_log "output lines: ip -br addr $(wc -l <"$raw/ip.out"), interfaces --all $(wc -l <"$raw/interfaces-all.out"), interfaces $(wc -l <"$raw/interfaces.out")"

load0=$(bench_load)
cmds=("ip -br addr" "$DRS interfaces" "$DRS interfaces --all")
labels=("\`ip -br addr\` (reference)" "\`docker-remote-setup interfaces\`" "\`docker-remote-setup interfaces --all\`")
in_ns hyperfine -N --style none --warmup 3 --min-runs "${BENCH_IFACE_RUNS:-10}" --export-json "$raw/hf.json" \
	"${cmds[@]}" >/dev/null
ref_wall=$(bench_hf_median "$raw/hf.json" 0)
for k in 0 1 2; do
	# shellcheck disable=SC2086  # the command is words
	instr[k]=$(BENCH_WRAP="ip netns exec $NS" bench_instr ${cmds[k]})
done
ref_cpu=$(bench_hf_cpu "$raw/hf.json" 0)
for k in 0 1 2; do
	wall=$(bench_hf_median "$raw/hf.json" "$k")
	p90=$(bench_hf_p90 "$raw/hf.json" "$k")
	cpu=$(bench_hf_cpu "$raw/hf.json" "$k")
	if [ "$k" = 0 ]; then ratio=1 target=-; else
		ratio="$(bench_ratio "$wall" "$ref_wall") / $(bench_ratio "$cpu" "$ref_cpu") / $(bench_ratio "${instr[k]}" "${instr[0]}")"
		target="≤ 1.0×: wall $(bench_pass "$(bench_ratio "$wall" "$ref_wall")" 1.0), CPU $(bench_pass "$(bench_ratio "$cpu" "$ref_cpu")" 1.0)"
	fi
	bench_row $PART "${labels[k]}" "$wall" "$p90" "$cpu" "${instr[k]}" "$ratio" "$target"
done

# The Interface screen before its first draw: enumerate, classify, preselect, format the rows
# (bench/bench-iface; the wizard itself is measured by the hook below once it exists).
for mode in default all; do
	arg=; [ $mode = all ] && arg=--all
	in_ns "$BENCH_BUILDDIR/bench/bench-iface" "${BENCH_IFACE_RUNS:-10}" $arg >"$raw/screen-$mode.out"
	grep -v '^#' "$raw/screen-$mode.out" | cut -d' ' -f1 >"$raw/screen-$mode.ms"
	grep -v '^#' "$raw/screen-$mode.out" | cut -d' ' -f2 >"$raw/screen-$mode.cpu"
	read -r _ n rows < <(grep '^#' "$raw/screen-$mode.out")
	read -r _ med p90 _ _ < <(bench_stats "$raw/screen-$mode.ms")
	cpu=$(bench_median "$raw/screen-$mode.cpu")
	bench_row $PART "Interface screen data, $rows rows ($([ $mode = all ] && echo "plumbing shown" || echo "plumbing hidden")): enumerate + classify + rows (bench-iface)" \
		"$med" "$p90" "$cpu" "$(BENCH_WRAP="ip netns exec $NS" bench_instr "$BENCH_BUILDDIR/bench/bench-iface" 1 $arg)" - \
		"first draw ≤ 50 ms: wall $(bench_pass "$med" 50), CPU $(bench_pass "$cpu" 50)"
done

# The wizard's first draw of the Interface screen, in tmux at 80x24: from start to the first
# frame that shows BENCH_TUI_EXPECT after sending BENCH_TUI_KEYS (tmux send-keys syntax). The
# default: Enter on the Status screen, then the Interface screen's title.
tui_first_draw() {
	local keys=${BENCH_TUI_KEYS-Enter} expect=${BENCH_TUI_EXPECT-2/9 Interface}
	if in_ns "$DRS" --preview 2>&1 </dev/null | grep -q "not built yet" || [ -z "$expect" ]; then
		bench_row $PART "wizard: Interface screen first draw (tmux 80×24)" pending - - - - "hook in bench/ifaces.sh (BENCH_TUI_KEYS, BENCH_TUI_EXPECT)"
		return
	fi
	local sock i t0 t1 ms ok
	: >"$raw/tui.ms"
	: >"$raw/tui-inproc.ms"
	for i in $(seq 1 10); do
		# A server of its own each time: a new one on the socket of one just killed can fail.
		sock=drs-bench-$$-$i
		in_ns tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
			"env LANG=C.UTF-8 TERM=xterm DRS_TRACE=1 $DRS --preview 2>$raw/tui-trace.$i"
		ok=
		for _ in $(seq 1 500); do
			tmux -L "$sock" capture-pane -p 2>/dev/null | grep -qF -- "1/9 Status" && { ok=1; break; }
			sleep 0.01
		done
		if [ -z "$ok" ]; then
			bench_log "tui run $i: the wizard did not show its Status screen within 5 s"
			tmux -L "$sock" kill-server 2>/dev/null
			continue
		fi
		# From the key that opens the screen to the frame that shows it.
		t0=$(date +%s%N)
		[ -n "$keys" ] && tmux -L "$sock" send-keys $keys
		until tmux -L "$sock" capture-pane -p 2>/dev/null | grep -qF -- "$expect"; do
			[ $((($(date +%s%N) - t0) / 1000000)) -gt 5000 ] && break
		done
		t1=$(date +%s%N)
		tmux -L "$sock" kill-server 2>/dev/null
		echo $(((t1 - t0) / 1000)) | awk '{ printf "%.1f\n", $1 / 1000 }' >>"$raw/tui.ms"
		# In the wizard itself (DRS_TRACE): the key read to the next frame refreshed.
		awk '/wizard: key/ { k = $3 } /wizard: drawn Interface/ && k { printf "%.1f\n", ($3 - k) / 1000; exit }' \
			"$raw/tui-trace.$i" >>"$raw/tui-inproc.ms"
	done
	read -r _ med p90 _ _ < <(bench_stats "$raw/tui-inproc.ms")
	bench_row $PART "wizard: Enter → Interface screen drawn, in the wizard (key read to frame written)" "$med" "$p90" - - - "≤ 50 ms: $(bench_pass "$med" 50)"
	read -r _ med p90 _ _ < <(bench_stats "$raw/tui.ms")
	bench_row $PART "wizard: Enter on Status → Interface screen drawn (tmux 80×24, incl. tmux polling)" "$med" "$p90" - - - "≤ 50 ms: $(bench_pass "$med" 50)"
}
tui_first_draw

bench_note $PART "- $nics NICs, $n6 IPv6 link-local addresses; \`ip -br addr\` prints $(wc -l <"$raw/ip.out") lines, \`interfaces --all\` $(wc -l <"$raw/interfaces-all.out"), \`interfaces\` $(wc -l <"$raw/interfaces.out") (container plumbing hidden)."
bench_note $PART "- CPU: user + system time (hyperfine's mean; for bench-iface the median of CLOCK_PROCESS_CPUTIME_ID per pass): it includes the kernel's work for the netlink dumps and does not grow when other jobs take the cores, unlike wall time. Instructions: the whole process (callgrind), user space only. Load average before/after: $load0 / $(bench_load)."
