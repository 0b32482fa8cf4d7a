#!/bin/bash
# bench/verify.sh: part 1, verify overhead: in a real systemd + dockerd container, the time from
# the restart request to "verified" minus dockerd's own restart -> "API listen on" (the line's
# journal timestamp); beside it two polling scripts (bench/ref-poll.sh) measured the same way.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$top_srcdir/tests/e2e/lib.sh"

N=${BENCH_RESTARTS:-20}
# The table, then one run of this script per platform (BENCH_PLATFORMS, default both e2e
# platforms), each in its own process: tests/e2e/lib.sh reads E2E_SUITE when it is sourced.
if [ -z "${BENCH_VERIFY_SUITE:-}" ]; then
	bench_start 1-verify "1. Verify overhead: restart → verified minus dockerd's restart → \"API listen on\" (ms)" \
		series n "restart → API listen (median)" "overhead median" "overhead p90" "min … max" "target ≤ 20"
	(e2e_skip_unless_possible) >/dev/null || { bench_row $PART "skipped (needs root, systemd-nspawn, debootstrap)" - - - - - -; exit 0; }
	rc=0
	for s in ${BENCH_PLATFORMS:-bookworm trixie}; do
		BENCH_VERIFY_SUITE=$s E2E_SUITE=$s bash "$here/verify.sh" || { bench_log "verify on $s failed"; rc=1; }
	done
	exit "$rc"
fi
PART=1-verify
raw=$BENCH_OUT/verify/$E2E_SUITE
mkdir -p "$raw"
e2e_init
e2e_rootfs
e2e_boot bench >&2
e2e_install_binary "$DRS" || e2e_fail "cannot install $DRS"
install -m 0755 "$here/ref-poll.sh" "/proc/$E2E_LEADER/root/usr/local/bin/drs-ref-poll"

# json FILE KEY... -> value
json() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    d = d[k]
print(d)' "$@"
}

# ours NAME ARGS...: N applies alternating between two ports; overhead = verified - listen.
ours() {
	local name=$1 i port out
	shift
	for i in $(seq 1 "$N"); do
		port=$(( $1 + i % 2 ))
		out=$raw/$name.$i
		e2e_run env DRS_TRACE=1 docker-remote-setup apply --iface lo --port "$port" "${@:2}" --yes --json \
			>"$out.json" 2>"$out.trace"
		if [ "$(json "$out.json" outcome 2>/dev/null)" != kept ]; then
			bench_log "$name run $i: apply did not keep the change:"; cat "$out.json" "$out.trace" >&2
			continue
		fi
		local l v
		l=$(json "$out.json" timing restart_to_listen_ms)
		v=$(json "$out.json" timing restart_to_verified_ms)
		echo "$l" >>"$raw/$name.listen"
		awk -v l="$l" -v v="$v" 'BEGIN { printf "%.1f\n", v - l }' >>"$raw/$name.overhead"
		# Stages from the trace: the listen line's journal timestamp -> we saw it -> /_ping answered.
		awk '/entry realtime/ { entry = $NF; seen = $2 } /_ping returned 0|early \/_ping: answered/ { ping = $2 }
			/journald synchronized/ { sync++ }
			END { if (entry) printf "%.1f %.1f %d\n", (seen - entry) / 1000, ping ? (ping - entry) / 1000 : -1, sync }' \
			"$out.trace" >>"$raw/$name.stages"
		bench_log "$name $i: restart -> listen $l ms, -> verified $v ms"
	done
}

# reference NAME MODE INTERVAL PORT: N runs of ref-poll.sh against the listener on PORT.
reference() {
	local name=$1 mode=$2 interval=$3 port=$4 i t0 t1 entry
	for i in $(seq 1 "$N"); do
		read -r t0 t1 entry < <(e2e_run drs-ref-poll "$mode" "$interval" 127.0.0.1 "$port")
		if [ "${entry:-0}" = 0 ]; then bench_log "$name run $i: no API listen line"; continue; fi
		awk -v a="$t0" -v b="$entry" 'BEGIN { printf "%.1f\n", (b - a) / 1000 }' >>"$raw/$name.listen"
		awk -v b="$entry" -v c="$t1" 'BEGIN { printf "%.1f\n", (c - b) / 1000 }' >>"$raw/$name.overhead"
		bench_log "$name $i: restart -> listen $(( (entry - t0) / 1000 )) ms, -> detected $(( (t1 - t0) / 1000 )) ms"
	done
}

load0=$(bench_load)
ours plain 2375 --plain
ours tls 2376
# The references poll for the listener left by the last plain run above... re-apply it first.
e2e_run docker-remote-setup apply --iface lo --port 2375 --plain --yes >/dev/null 2>&1
reference journal-1s journal 1 2375
reference ss-3s ss 3 2375
load1=$(bench_load)

row() {
	local name=$1 what=$2 target=$3 s l
	[ -s "$raw/$name.overhead" ] || { bench_row $PART "$what" 0 - - - - -; return; }
	read -r n med p90 min max < <(bench_stats "$raw/$name.overhead")
	l=$(bench_median "$raw/$name.listen")
	s=-
	[ "$target" != - ] && s=$(bench_pass "$med" "$target")
	bench_row $PART "$what" "$n" "$l" "$med" "$p90" "$min … $max" "$s"
}
on="$E2E_SUITE ($(e2e_run dockerd --version | sed 's/^Docker version //; s/,.*//'))"
row plain "$on: docker-remote-setup apply, plain 127.0.0.1 (\`--tls=false\`)" 20
row tls "$on: docker-remote-setup apply, TLS 127.0.0.1 (/_ping with client cert + anonymous refused)" -
row journal-1s "$on: reference: \`journalctl -u docker\` every 1 s" -
row ss-3s "$on: reference: \`ss -ltn\` every 3 s" -
for name in plain tls; do
	[ -s "$raw/$name.stages" ] || continue
	cut -d' ' -f1 "$raw/$name.stages" >"$raw/$name.seen"
	cut -d' ' -f2 "$raw/$name.stages" >"$raw/$name.ping"
	bench_note $PART "- $E2E_SUITE, $name, from the line's journal timestamp: line read by us after $(bench_median "$raw/$name.seen") ms (p90 $(bench_stats "$raw/$name.seen" | cut -d' ' -f3)), /_ping answered after $(bench_median "$raw/$name.ping") ms (medians, DRS_TRACE=1; negative: before journald stamped the line); journald asked to sync in $(awk '$3 > 0' "$raw/$name.stages" | wc -l) of $(wc -l <"$raw/$name.stages") runs."
done
bench_note $PART "- $E2E_SUITE: load average (1 min) before/after: $load0 / $load1; dockerd $(e2e_run dockerd --version | sed 's/,.*//'), $(e2e_run systemctl --version | head -n 1)."
