#!/usr/bin/env bash
# Benchmark: wall time of one `describe-cache-clusters --show-cache-node-info`
# call, as it is and through --query/--output text, through our `elasticache`
# CLI against Debian's AWS CLI v2
# (/usr/bin/aws 2.9.19), both against the same local simulator, measured in
# one run. Why it matters: a Nagios/Icinga check or a CI step pays the whole
# process start-up on every call.
#
#   bash bench/cli_vs_awscli.sh [RUNS]     (default 20; needs a build in ./build)
#
# Prints the median and mean milliseconds per call for each and the ratio.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-20}
export EC_REPO=$repo
EC_TMP=$(mktemp -d /tmp/ec-bench.XXXXXX)
export EC_TMP
# shellcheck source=tests/lib/common.bash
source "$repo/tests/lib/common.bash"
trap 'sim_stop; rm -rf "$EC_TMP"' EXIT
sim_start >/dev/null

# One call as it is, then the same call through --query and --output text,
# the form scripts use most (the query runs on the 40 nodes).
query='CacheClusters[].CacheNodes[?CacheNodeStatus==`available`].[CacheNodeId, Endpoint.Port]'
cases=(
    "describe-cache-clusters, 40-node cluster, json"
    "describe-cache-clusters, 40-node cluster, --query ... --output text"
)
args_0=(describe-cache-clusters --cache-cluster-id big-memcached --show-cache-node-info)
args_1=("${args_0[@]}" --query "$query" --output text)

time_runs() {
    local i t0 t1
    for ((i = 0; i < runs; i++)); do
        t0=$(date +%s%N)
        "$@" >/dev/null
        t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000))
    done
}

stats() { # microsecond samples on stdin -> "median mean" in ms
    sort -n | awk '{a[NR]=$1; s+=$1} END {
        m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2;
        printf "%.2f %.2f\n", m/1000, s/NR/1000 }'
}

for k in 0 1; do
    declare -n args="args_$k"
    ours=("$EC_BIN/elasticache" --endpoint-url "$SIM_URL" "${args[@]}")
    theirs=(/usr/bin/aws --endpoint-url "$SIM_URL" elasticache "${args[@]}")
    # Same output first: a benchmark of two different answers means nothing.
    if ! diff <("${ours[@]}") <("${theirs[@]}") >/dev/null; then
        echo "bench: outputs differ for ${cases[$k]}; not benchmarking" >&2
        exit 1
    fi
    read -r our_med our_mean < <(time_runs "${ours[@]}" | stats)
    read -r aws_med aws_mean < <(time_runs "${theirs[@]}" | stats)
    printf '%s, %d runs each, same simulator\n' "${cases[$k]}" "$runs"
    printf '%-34s median %8.2f ms   mean %8.2f ms\n' "elasticache (this project)" "$our_med" "$our_mean"
    printf '%-34s median %8.2f ms   mean %8.2f ms\n' "aws-cli 2.9.19 (/usr/bin/aws)" "$aws_med" "$aws_mean"
    awk -v a="$aws_med" -v o="$our_med" 'BEGIN { printf "ratio (aws / elasticache, medians): %.1fx\n", a / o }'
    unset -n args
done
