#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run every benchmark in one go and print their numbers (see bench/README.md):
#   1. SigV4 signing: ecp_signer_sign vs botocore SigV4Auth.add_auth
#   2. XML parse + AWS JSON render (DescribeCacheClusters and
#      DescribeReplicationGroups): libelasticache vs botocore QueryParser
#   3. the `elasticache` CLI vs /usr/bin/aws against the simulator
#   4. --query evaluation: ec_jmespath_search vs Python's jmespath
#   5. check_elasticache over fleets, and the scaling table (CPU and peak
#      RSS per check for 1, 10, 40 nodes and 1 to 10,000 clusters) vs
#      /usr/bin/aws describing the same clusters
#
#   bash bench/run.sh [--callgrind] [--rounds N] [--cli-runs N]
#                     [--xml-before OLD/bench_xml]
# --xml-before also times an older build's bench_xml in 2 (before/after).
# Builds what it needs in EC_BUILD (default <repo>/build, which should be a
# RelWithDebInfo or Release build without sanitizers).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${EC_BUILD:-$repo/build}
rounds=5
cli_runs=20
callgrind=()
xml_before=()
while [ $# -gt 0 ]; do
    case $1 in
    --callgrind) callgrind=(--callgrind) ;;
    --rounds) rounds=$2; shift ;;
    --cli-runs) cli_runs=$2; shift ;;
    --xml-before) xml_before=(--before "$2"); shift ;;
    *) echo "usage: $0 [--callgrind] [--rounds N] [--cli-runs N] [--xml-before BIN]" >&2; exit 2 ;;
    esac
    shift
done
if [ ${#callgrind[@]} -gt 0 ] && ! command -v valgrind >/dev/null; then
    echo "bench: --callgrind needs valgrind" >&2
    exit 2
fi

[ -f "$build/CMakeCache.txt" ] || cmake -S "$repo" -B "$build" >/dev/null
type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
san=$(sed -n 's/^EC_SANITIZE:BOOL=//p' "$build/CMakeCache.txt")
case $type in
Release | RelWithDebInfo) ;;
*) echo "bench: WARNING: $build is a '$type' build; numbers will be low" >&2 ;;
esac
[ "$san" != ON ] || echo "bench: WARNING: $build has sanitizers on" >&2
echo "bench: building elasticache_cli check_elasticache bench_sigv4 bench_xml bench_jmespath bench_rusage in $build ($type)"
cmake --build "$build" -j2 --target elasticache_cli check_elasticache bench_sigv4 bench_xml \
    bench_jmespath bench_rusage >/dev/null

echo "bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo
echo "== 1. SigV4 signing"
/usr/bin/python3 "$repo/bench/sigv4_vs_botocore.py" "$build/bin/bench_sigv4" \
    --rounds "$rounds" "${callgrind[@]}"
echo
echo "== 2. XML parse + AWS JSON rendering"
/usr/bin/python3 "$repo/bench/xml_vs_botocore.py" "$build/bin/bench_xml" \
    --rounds "$rounds" "${callgrind[@]}" "${xml_before[@]}"
echo
echo "== 3. CLI start-to-finish against the simulator"
EC_BUILD=$build EC_BIN=$build/bin bash "$repo/bench/cli_vs_awscli.sh" "$cli_runs"
echo
echo "== 4. --query evaluation (JMESPath)"
/usr/bin/python3 "$repo/bench/jmespath_vs_python.py" "$build/bin/bench_jmespath" \
    "$build/bin/bench_xml" --rounds "$rounds" "${callgrind[@]}"
echo
echo "== 5. check_elasticache over fleets, and the scaling table"
EC_BUILD=$build EC_BIN=$build/bin bash "$repo/bench/fleet.sh" --rounds "$rounds" "${callgrind[@]}"
