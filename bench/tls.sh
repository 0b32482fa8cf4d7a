#!/bin/bash
# bench/tls.sh: part 5, TLS material: tlsgen_create (CA + server + client certificates and keys)
# with ECDSA P-256 (the default) and RSA 3072 (for comparison), wall time and instructions.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

bench_start 5-tls "5. TLS material: CA + server + client (ms per set)" "key type" n median p90 "min … max" "instructions, one set (callgrind)" target
B=$BENCH_BUILDDIR/bench/bench-tlsgen
for kind in ecdsa rsa; do
	n=$([ $kind = ecdsa ] && echo "${BENCH_TLS_RUNS:-30}" || echo "${BENCH_TLS_RSA_RUNS:-10}")
	"$B" $kind "$n" >"$raw/$kind.ms"
	read -r n med p90 min max < <(bench_stats "$raw/$kind.ms")
	# Instructions of generating one set: a run with 2 sets minus a run with 1 (start-up cancels).
	i1=$(bench_instr "$B" $kind 1)
	i2=$(bench_instr "$B" $kind 2)
	instr=$(awk -v a="$i1" -v b="$i2" 'BEGIN { printf "%.0f", b - a }')
	if [ $kind = ecdsa ]; then label="ECDSA P-256 (default)" target="≤ 50 ms: $(bench_pass "$med" 50)"; else
		label="RSA 3072 (comparison)" target=-; fi
	bench_row $PART "$label" "$n" "$med" "$p90" "$min … $max" "$instr" "$target"
done
bench_note $PART "- bench/bench-tlsgen: tlsgen_create() in a loop, the PEM texts as apply writes them; RSA key generation time varies with the primes found. Instructions: RSA prime search is random too, so that column is one sample."
