#!/bin/bash
# bench/journal.sh: part 3, journal history: attaching the journal watch and finding a new
# "API listen on" line with a million older docker.service entries, against an empty journal.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

ENTRIES=${BENCH_JOURNAL_ENTRIES:-1000000}
RUNS=${BENCH_JOURNAL_RUNS:-10}
REMOTE=${BENCH_JOURNAL_REMOTE:-/lib/systemd/systemd-journal-remote}
CACHE=${BENCH_CACHE:-/var/tmp/drs-bench}
bench_start 3-journal "3. Journal history: attach + find the new \"API listen on\" line (ms)" \
	journal n "attach median" "find median" "attach + find median" "attach + find p90" "instructions in attach + find (callgrind)" "× empty (wall / instr.)" target

if [ ! -x "$REMOTE" ]; then
	bench_row $PART "skipped ($REMOTE missing: apt-get install systemd-journal-remote)" - - - - - - - -
	exit 0
fi

# gen_export N START_US [PER]: N docker.service entries in journal export format, PER (1000) per
# invocation (each run: systemd's Stopping/Stopped/Starting/Started lines with _PID=1 and
# UNIT=, dockerd's lines with _SYSTEMD_UNIT= and its own invocation ID and PID, one
# "API listen on 127.0.0.1:2375" each), one a minute: N = 10^6 is about two years.
gen_export() {
	awk -v n="$1" -v start="$2" -v per="${3:-1000}" '
	function sys(m) {
		t += 1000; mono += 1000
		printf "__REALTIME_TIMESTAMP=%.0f\n__MONOTONIC_TIMESTAMP=%.0f\n_BOOT_ID=%s\n_PID=1\n_COMM=systemd\nSYSLOG_IDENTIFIER=systemd\nUNIT=docker.service\nPRIORITY=6\nMESSAGE=%s\n\n", t, mono, boot, m
	}
	BEGIN {
		srand(7)
		t = start; mono = 1000000; boot = "0b0a1b2c3d4e5f60718293a4b5c6d7e8"
		for (i = 0; i < n; i++) {
			if (i % per == 0) {
				inv = sprintf("%032x", i + 1); pid = 1000 + int(i / per)
				sys("Stopping Docker Application Container Engine..."); sys("docker.service: Deactivated successfully.")
				sys("Stopped Docker Application Container Engine."); sys("Starting Docker Application Container Engine...")
			}
			t += 60000000; mono += 60000000
			if (i % per == 5) msg = "API listen on 127.0.0.1:2375"
			else if (i % per == 4) { sys("Started Docker Application Container Engine."); msg = "Daemon has completed initialization" }
			else msg = sprintf("ignoring event container=%08x%08x module=libcontainerd namespace=moby topic=/tasks/delete", int(rand() * 2^31), i)
			printf "__REALTIME_TIMESTAMP=%.0f\n__MONOTONIC_TIMESTAMP=%.0f\n_BOOT_ID=%s\n_SYSTEMD_UNIT=docker.service\n_SYSTEMD_INVOCATION_ID=%s\n_PID=%d\n_COMM=dockerd\nSYSLOG_IDENTIFIER=dockerd\nPRIORITY=6\nMESSAGE=time=\"%.0f\" level=info msg=\"%s\"\n\n", t, mono, boot, inv, pid, t, msg
		}
	}'
}

# The history is built once (about 1.5 min and 370 MB for 10^6) and cached. "-v2": timestamps
# printed with %.0f (mawk's %d stops at 2^31-1: in v1 every entry had the same time).
hist=$CACHE/journal-$ENTRIES-v2
if [ ! -f "$hist/.done" ]; then
	bench_log "building a journal of $ENTRIES docker.service entries in $hist (once)"
	rm -rf "$hist"
	mkdir -p "$hist"
	gen_export "$ENTRIES" $((($(date +%s) - 2 * 365 * 86400) * 1000000)) |
		"$REMOTE" -o "$hist/x.journal" - 2>"$raw/remote.log" || { bench_row $PART "skipped (building the journal failed)" - - - - - - - -; exit 0; }
	touch "$hist/.done"
fi

# The new line: a new invocation's "API listen on", now.
new_entry() {
	local t
	t=$(date +%s%6N)
	printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=%s\n_SYSTEMD_UNIT=docker.service\n_SYSTEMD_INVOCATION_ID=%s\n_PID=%s\n_COMM=dockerd\nSYSLOG_IDENTIFIER=dockerd\nPRIORITY=6\nMESSAGE=time="%s" level=info msg="API listen on 127.0.0.1:2375"\n\n' \
		"$t" "$t" 0b0a1b2c3d4e5f60718293a4b5c6d7e8 ffffffffffffffffffffffffffffffff 99999 "$t" >"$1"
	echo "$t"
}

work=$(mktemp -d "${TMPDIR:-/var/tmp}/drs-bench-journal.XXXXXX")
trap 'rm -rf "$work"' EXIT
declare -A instr files size
load0=$(bench_load)
# evict FILE...: drop the files' pages from the page cache (posix_fadvise DONTNEED; only these
# files), as for archived journal files nobody has read for months.
evict() { python3 -c 'import os, sys
for p in sys.argv[1:]:
    fd = os.open(p, os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)' "$@"; }
for kind in empty history cold; do
	: >"$raw/$kind.attach"; : >"$raw/$kind.find"; : >"$raw/$kind.total"
	dir=$work/$kind
	# A copy of the cached history (appending changes it), made once; every run appends one more line.
	rm -rf "$dir"; mkdir -p "$dir"
	[ $kind != empty ] && cp "$hist"/*.journal "$dir"/
	cat "$dir"/*.journal >/dev/null 2>&1 # in the page cache, as a live journal is
	for i in $(seq 1 "$RUNS"); do
		[ $kind = empty ] && { rm -rf "$dir"; mkdir -p "$dir"; }
		[ $kind = cold ] && evict "$dir"/*.journal
		want=$(new_entry "$raw/new.export")
		read -r a f got < <("$BENCH_BUILDDIR/bench/bench-journal" "$dir" "$REMOTE" "$raw/new.export" 127.0.0.1:2375 2>>"$raw/err.log")
		if [ "${got:-}" != "$want" ]; then
			bench_log "$kind run $i: found the entry of $got, not the new one ($want)"
			continue
		fi
		echo "$a" >>"$raw/$kind.attach"; echo "$f" >>"$raw/$kind.find"
		awk -v a="$a" -v f="$f" 'BEGIN { printf "%.3f\n", a + f }' >>"$raw/$kind.total"
	done
	# Instructions: one more run under callgrind (the child journal-remote is not counted).
	[ $kind = empty ] && { rm -rf "$dir"; mkdir -p "$dir"; }
	[ $kind = cold ] && evict "$dir"/*.journal
	new_entry "$raw/new.export" >/dev/null
	instr[$kind]=$(BENCH_CG_ARGS="--toggle-collect=journal_watch_open --toggle-collect=journal_watch_wait_listen" \
		bench_instr "$BENCH_BUILDDIR/bench/bench-journal" "$dir" "$REMOTE" "$raw/new.export" 127.0.0.1:2375)
	files[$kind]=$(ls "$dir" | wc -l)
	size[$kind]=$(du -sh "$dir" | cut -f1)
done
empty_total=$(bench_median "$raw/empty.total")
for kind in empty history cold; do
	read -r n med p90 _ _ < <(bench_stats "$raw/$kind.total")
	ratio="$(bench_ratio "$med" "$empty_total") / $(bench_ratio "${instr[$kind]}" "${instr[empty]}")"
	case $kind in
	empty) label="empty (the new line only)" ratio=1 target=- ;;
	history) label="$ENTRIES older docker.service entries (${files[$kind]} files, ${size[$kind]}), in the page cache"
		target="≤ 1.2×: $(bench_pass "$(bench_ratio "$med" "$empty_total")" 1.2)" ;;
	cold) label="the same, its files dropped from the page cache before each run" target=- ;;
	esac
	bench_row $PART "$label" "$n" "$(bench_median "$raw/$kind.attach")" "$(bench_median "$raw/$kind.find")" "$med" "$p90" "${instr[$kind]}" "$ratio" "$target"
done
bench_note $PART "- attach = journal_watch_open (open the journal files, match docker.service, stand on its last entry); find = from the moment systemd-journal-remote has appended the new entry until journal_watch_wait_listen returns it (bench/bench-journal). Load average before/after: $load0 / $(bench_load)."

# What status and the wizard's Status screen ask: the listeners of docker.service's current run,
# when that run is long (one dockerd start followed by LONG_ENTRIES lines, built once and cached).
LONG_ENTRIES=${BENCH_JOURNAL_RUN_ENTRIES:-300000}
long=$CACHE/journal-run-$LONG_ENTRIES-v2
if [ ! -f "$long/.done" ]; then
	bench_log "building a journal of one dockerd run of $LONG_ENTRIES lines in $long (once)"
	rm -rf "$long"
	mkdir -p "$long"
	gen_export "$LONG_ENTRIES" $((($(date +%s) - 30 * 86400) * 1000000)) "$LONG_ENTRIES" |
		"$REMOTE" -o "$long/x.journal" - 2>>"$raw/remote.log" && touch "$long/.done"
fi
if [ -f "$long/.done" ]; then
	: >"$raw/listeners"
	for i in $(seq 1 "$RUNS"); do
		read -r ms addrs < <("$BENCH_BUILDDIR/bench/bench-journal" --listeners "$long" 2>>"$raw/err.log")
		[ "${addrs:-}" = 127.0.0.1:2375 ] || { bench_log "listeners run $i: found \"${addrs:-}\""; continue; }
		echo "$ms" >>"$raw/listeners"
	done
	read -r n med p90 _ _ < <(bench_stats "$raw/listeners")
	bench_note $PART "- status's question (journal_last_listeners: the listeners of docker.service's current run), that run being one dockerd start followed by $LONG_ENTRIES lines: median $med ms, p90 $p90 ms over $n runs (bench-journal --listeners)."
fi
