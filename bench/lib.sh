# shellcheck shell=bash
# bench/lib.sh: helpers shared by the benchmark parts: statistics, result files, callgrind counts.
#
# Sourced by bench/run and by each bench/*.sh part. A part writes its markdown rows with
# bench_row and its raw numbers under $BENCH_OUT (one file per series, one number a line).

BENCH_SRC=${BENCH_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
top_srcdir=${top_srcdir:-$(cd "$BENCH_SRC/.." && pwd)}
BENCH_OUT=${BENCH_OUT:-$PWD/bench-results}
mkdir -p "$BENCH_OUT"

bench_log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

# bench_stats FILE -> "n median p90 min max" of the numbers in FILE (one a line). Median: the
# mean of the two middle values for an even count; p90: nearest rank (ceil(0.9 n)).
bench_stats() {
	sort -g "$1" | awk '
		{ v[NR] = $1 }
		END {
			n = NR
			if (n == 0) { print "0 - - - -"; exit }
			med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			k = int(0.9 * n); if (k < 0.9 * n) k++
			printf "%d %.1f %.1f %.1f %.1f\n", n, med, v[k], v[1], v[n]
		}'
}

# bench_median FILE -> the median alone
bench_median() { bench_stats "$1" | cut -d' ' -f2; }

# bench_row PART CELLS...: one markdown table row "| a | b | ... |" appended to PART's table.
bench_row() {
	local part=$1 line='|'
	shift
	for c in "$@"; do line="$line $c |"; done
	printf '%s\n' "$line" >>"$BENCH_OUT/$part.md"
}

# bench_note PART TEXT: a line of text under PART's table.
bench_note() { printf '%s\n' "$2" >>"$BENCH_OUT/$1.notes"; }

# bench_ratio A B -> A/B with 2 decimals
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }

# bench_pass VALUE LIMIT -> "ok" when VALUE <= LIMIT, else "**miss**"
bench_pass() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "ok" : "**miss**" }'; }

# bench_instr CMD... -> instructions executed by CMD (valgrind callgrind, "Collected"), or "-"
# when valgrind is missing. Output of CMD is discarded. $BENCH_WRAP (words) goes before
# valgrind (e.g. "ip netns exec NS"); $BENCH_CG_ARGS (words) are extra callgrind options
# (e.g. --toggle-collect=FUNCTION to count only inside FUNCTION).
bench_instr() {
	command -v valgrind >/dev/null 2>&1 || { echo -; return; }
	# shellcheck disable=SC2086  # word lists
	${BENCH_WRAP:-} valgrind --tool=callgrind --callgrind-out-file=/dev/null ${BENCH_CG_ARGS:-} "$@" 2>&1 >/dev/null |
		awk '/Collected :/ { print $NF; found = 1 } END { if (!found) print "-" }'
}

# bench_hyperfine OUTJSON CMD...: hyperfine (no shell) with warmup; the JSON has every run.
bench_hyperfine() {
	local json=$1
	shift
	hyperfine -N --style none --warmup 3 --min-runs "${BENCH_MIN_RUNS:-30}" --export-json "$json" "$@" >/dev/null
}

# bench_hf_median JSON INDEX -> median wall time in ms of the INDEX-th command of a hyperfine JSON
bench_hf_median() {
	python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print("%.2f" % (r["median"] * 1000))' "$1" "$2"
}
# bench_hf_cpu JSON INDEX -> mean CPU time (user + system) in ms of the INDEX-th command
bench_hf_cpu() {
	python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print("%.2f" % ((r["user"] + r["system"]) * 1000))' "$1" "$2"
}
# bench_hf_p90 JSON INDEX -> p90 (nearest rank) wall time in ms
bench_hf_p90() {
	python3 -c 'import json, math, sys
t = sorted(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["times"])
print("%.2f" % (t[math.ceil(0.9 * len(t)) - 1] * 1000))' "$1" "$2"
}

# bench_load -> the 1-minute load average
bench_load() { cut -d' ' -f1 /proc/loadavg; }

# bench_start PART TITLE COLUMNS...: a part begins: sets PART and $raw (its raw-number
# directory, emptied) and starts its table.
bench_start() {
	PART=$1
	raw=$BENCH_OUT/${PART#*-}
	mkdir -p "$raw"
	rm -rf "${raw:?}"/*
	bench_table "$@"
}

# bench_table PART TITLE COLUMNS...: starts PART's result file: a heading, the table header.
bench_table() {
	local part=$1 title=$2 head='|' sep='|'
	shift 2
	for c in "$@"; do head="$head $c |"; sep="$sep---|"; done
	printf '### %s\n\n%s\n%s\n' "$title" "$head" "$sep" >"$BENCH_OUT/$part.md"
	rm -f "$BENCH_OUT/$part.notes"
}
