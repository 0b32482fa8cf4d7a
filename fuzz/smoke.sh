#!/bin/bash
# smoke.sh: every libFuzzer target for a few seconds on its seed corpus and on the inputs that once
# failed (fuzz/regress), under ASan and UBSan. Uses the targets of a --enable-fuzzing build, else
# builds them with clang in a temporary directory; skips (77) without clang and libFuzzer.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
seconds=${DRS_FUZZ_SECONDS:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/drs-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1"

targets=$(cd "$top_srcdir/fuzz" && ls fuzz-*.c | sed 's/\.c$//')
bin=$top_builddir/fuzz
if [ ! -x "$bin/fuzz-addr" ]; then
        cc=${FUZZ_CC:-clang}
        if ! command -v "$cc" >/dev/null; then
                echo "SKIP: no clang (set FUZZ_CC, or install clang and libclang-rt-14-dev)"
                exit 77
        fi
        printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return d && n; }\n' > "$tmp/probe.c"
        if ! "$cc" -fsanitize=fuzzer "$tmp/probe.c" -o "$tmp/probe" 2>/dev/null; then
                echo "SKIP: $cc cannot link libFuzzer targets (libclang-rt-14-dev missing?)"
                exit 77
        fi
        # shellcheck disable=SC2206
        flags=(-std=gnu11 -Wall -Wextra -Wmissing-prototypes -Werror $san
               -include "$top_builddir/config.h" -I"$top_srcdir/include" -I"$top_srcdir/include/sys" -I"$top_builddir"
               $(pkg-config --cflags json-c gnutls))
        # shellcheck disable=SC2207
        libs=($(pkg-config --libs json-c gnutls))
        mkdir -p "$tmp/obj" "$tmp/bin"
        echo "building the targets with $cc in $tmp"
        # The core, and trace.c, which probe.c (included by fuzz-http) calls.
        for f in "$top_srcdir"/src/core/*.c "$top_srcdir"/src/sys/trace.c; do
                "$cc" -c -fsanitize=fuzzer-no-link "${flags[@]}" "$f" -o "$tmp/obj/$(basename "$f" .c).o" || exit 1
        done
        for t in $targets; do
                "$cc" -fsanitize=fuzzer "${flags[@]}" "$top_srcdir/fuzz/$t.c" "$tmp"/obj/*.o "${libs[@]}" \
                        -o "$tmp/bin/$t" || exit 1
        done
        bin=$tmp/bin
fi

failures=0
for t in $targets; do
        name=${t#fuzz-}
        dirs=("$tmp/new-$name" "$top_srcdir/fuzz/corpus/$name")
        [ -d "$top_srcdir/fuzz/regress/$name" ] && dirs+=("$top_srcdir/fuzz/regress/$name")
        mkdir -p "$tmp/new-$name"
        # The first directory takes what the run finds; the source tree is only read.
        "$bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
                -artifact_prefix="$tmp/$name-" "${dirs[@]}" > "$tmp/$name.log" 2>&1
        rc=$?
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$name.log")
        if [ "$rc" -ne 0 ]; then
                echo "FAIL: $t (exit $rc)"
                grep -aE 'property failed|ERROR: |runtime error|SUMMARY' "$tmp/$name.log" | head -n 20 | sed 's/^/    /'
                for a in "$tmp/$name"-*; do
                        [ -f "$a" ] || continue
                        echo "    input $(basename "$a") (base64): $(base64 -w0 < "$a")"
                done
                failures=$((failures + 1))
        else
                echo "ok: $t (${runs:-?} runs in ${seconds}s)"
        fi
done
[ "$failures" -eq 0 ] || { echo "$failures target(s) failed"; exit 1; }
exit 0
