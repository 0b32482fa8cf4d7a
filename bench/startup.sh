#!/bin/bash
# bench/startup.sh: part 6, start-up: `docker-remote-setup --version` and `preview` wall time
# (hyperfine) and instructions, with `systemctl --version` as a floor reference.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

bench_start 6-startup "6. Start-up (ms)" command "wall median" "wall p90" "CPU user+sys" "instructions (callgrind)" "× systemctl --version (wall / CPU / instr.)"
fixture=$top_srcdir/tests/fixtures/base/debian
cmds=("systemctl --version" "$DRS --version" "$DRS preview --root $fixture --iface lo")
labels=("\`systemctl --version\` (floor reference)" "\`docker-remote-setup --version\`" "\`docker-remote-setup preview --root tests/fixtures/base/debian --iface lo\`")
if ! command -v hyperfine >/dev/null; then
	bench_row $PART "skipped (hyperfine missing)" - - - - -
	exit 0
fi
bench_hyperfine "$raw/hf.json" "${cmds[@]}"
for k in 0 1 2; do
	# shellcheck disable=SC2086  # the command is words
	instr[k]=$(bench_instr ${cmds[k]})
done
for k in 0 1 2; do
	wall=$(bench_hf_median "$raw/hf.json" "$k")
	cpu=$(bench_hf_cpu "$raw/hf.json" "$k")
	ratio=1
	[ "$k" != 0 ] && ratio="$(bench_ratio "$wall" "$(bench_hf_median "$raw/hf.json" 0)") / $(bench_ratio "$cpu" "$(bench_hf_cpu "$raw/hf.json" 0)") / $(bench_ratio "${instr[k]}" "${instr[0]}")"
	bench_row $PART "${labels[k]}" "$wall" "$(bench_hf_p90 "$raw/hf.json" "$k")" "$cpu" "${instr[k]}" "$ratio"
done
bench_note $PART "- hyperfine -N (no shell), 3 warm-up runs, ≥ ${BENCH_MIN_RUNS:-30} runs; instructions include the dynamic loader (ld.so relocations of every library linked)."
