#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build the libFuzzer targets with clang into build-fuzz/ and run each one for
# SECONDS (default 20), seeded from tests/fuzz/corpus/<target>/. Exits
# non-zero when a target crashes, leaks, hits undefined behaviour or an
# oracle abort, and prints the reproducer's path and the command to replay it.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     TARGET: xml ini time sigv4 plan jmespath engine
# Environment: EC_FUZZ_BUILD (build dir, default <repo>/build-fuzz),
# EC_FUZZ_JOBS (build parallelism, default 2).
# New inputs are written under the build dir, never into the source tree; to
# keep a good one, copy it into tests/fuzz/corpus/<target>/ by hand.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(xml ini time sigv4 plan jmespath engine)
build=${EC_FUZZ_BUILD:-$repo/build-fuzz}
jobs=${EC_FUZZ_JOBS:-2}

case $seconds in
'' | *[!0-9]*)
    echo "usage: $0 [SECONDS] [TARGET...]" >&2
    exit 2
    ;;
esac
if ! command -v clang >/dev/null; then
    echo "fuzz: clang not found (Debian: apt-get install clang)" >&2
    exit 2
fi

mkdir -p "$build"
echo "fuzz: configuring $build (clang, -DEC_FUZZ=ON)"
cmake -S "$repo" -B "$build" -DEC_FUZZ=ON -DCMAKE_C_COMPILER=clang \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/fuzz-configure.log" 2>&1 || {
    cat "$build/fuzz-configure.log" >&2
    exit 1
}
bins=()
for t in "${targets[@]}"; do bins+=("fuzz_$t"); done
echo "fuzz: building ${bins[*]}"
cmake --build "$build" -j"$jobs" --target "${bins[@]}" >"$build/fuzz-build.log" 2>&1 || {
    tail -50 "$build/fuzz-build.log" >&2
    exit 1
}

failed=()
for t in "${targets[@]}"; do
    seeds=$repo/tests/fuzz/corpus/$t
    work=$build/fuzz-corpus/$t
    artifacts=$build/fuzz-artifacts/$t/
    log=$build/fuzz-$t.log
    extra=()
    [ "$t" != xml ] || extra+=(-dict="$repo/tests/fuzz/xml.dict")
    [ "$t" != jmespath ] || extra+=(-dict="$repo/tests/fuzz/jmespath.dict")
    rm -rf "$artifacts"
    mkdir -p "$work" "$artifacts"
    echo "fuzz: $t for ${seconds}s (seeds $seeds, corpus $work, log $log)"
    set +e
    "$build/bin/fuzz_$t" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts" "${extra[@]}" "$work" "$seeds" \
        >"$log" 2>&1
    rc=$?
    set -e
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" || true)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    if [ $rc -eq 0 ]; then
        echo "fuzz: $t ok: ${runs:-?} inputs, ${cov:-cov: ?}"
    else
        failed+=("$t")
        echo "fuzz: $t FAILED (exit $rc); the end of $log:" >&2
        grep -E 'ERROR|SUMMARY|oracle|Test unit written| in .*(lib/src|tests/fuzz)/' "$log" | head -30 >&2
        for a in "$artifacts"*; do
            [ -f "$a" ] && echo "fuzz: replay with: $build/bin/fuzz_$t $a" >&2
        done
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s each without a finding"
