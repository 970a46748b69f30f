#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The CLI's output formatters (plugins/elasticache/output, through the
# eco_dump driver) against the real AWS CLI v2 (/usr/bin/aws) on the same
# response from the simulator: --output text, table, yaml, yaml-stream and
# json, with and without --query, must print the same bytes. (The Python
# formatter classes are compared on thousands of documents by ctest
# output.diff; this checks the whole /usr/bin/aws process once per case.)
load ../../lib/common

setup_file() {
    sim_start
    export AWS_PAGER=""
    # The response as the formatters see it: one page (--no-paginate), no
    # query, as the AWS CLI parsed it.
    /usr/bin/aws --endpoint-url "$SIM_URL" elasticache describe-cache-clusters \
        --show-cache-node-info --no-paginate --output json >"$BATS_FILE_TMPDIR/response.json"
}

teardown_file() { sim_stop; }

# same FORMAT [QUERY [extra aws args...]]: both print the same stdout and
# exit status.
same() {
    local fmt=$1 query=${2:-} aws_args=() ours_args=()
    shift 2 || shift $#
    [ -z "$query" ] || { aws_args+=(--query "$query"); ours_args+=(--query "$query"); }
    for a in "$@"; do
        case $a in
        --color=on) aws_args+=(--color on); ours_args+=(--color --autoreset) ;;
        *) aws_args+=("$a") ;;
        esac
    done
    # Byte for byte: straight to files (`run` would drop final newlines).
    local aws_status=0 ours_status=0
    /usr/bin/aws --endpoint-url "$SIM_URL" elasticache describe-cache-clusters \
        --show-cache-node-info --no-paginate --output "$fmt" "${aws_args[@]}" \
        >"$BATS_TEST_TMPDIR/aws.out" || aws_status=$?
    "$EC_BUILD/bin/eco_dump" --raw "$fmt" "${ours_args[@]}" \
        <"$BATS_FILE_TMPDIR/response.json" >"$BATS_TEST_TMPDIR/ours.out" || ours_status=$?
    cmp "$BATS_TEST_TMPDIR/aws.out" "$BATS_TEST_TMPDIR/ours.out" ||
        diff "$BATS_TEST_TMPDIR/aws.out" "$BATS_TEST_TMPDIR/ours.out"
    [ "$ours_status" -eq "$aws_status" ]
    [ -s "$BATS_TEST_TMPDIR/aws.out" ]
}

@test "text: the whole response" {
    same text ""
}

@test "table: the whole response, 80 columns when stdout is no terminal" {
    same table ""
}

@test "table: --color on writes colorama's styles and resets" {
    same table "CacheClusters[0].CacheNodes[0]" --color=on
}

@test "yaml: the whole response" {
    same yaml ""
}

@test "yaml-stream: the whole response as a one-item list" {
    same yaml-stream ""
}

@test "text: a projection of scalars and lists" {
    same text "CacheClusters[].[CacheClusterId, CacheNodes[].CacheNodeId]"
}

@test "table: a multiselect hash per cluster" {
    same table "CacheClusters[].{Id: CacheClusterId, Engine: Engine, Nodes: NumCacheNodes}"
}

@test "yaml: the same value twice is an anchor and an alias" {
    same yaml "[CacheClusters[0].CacheParameterGroup, CacheClusters[0].CacheParameterGroup]"
}

@test "json: a scalar result" {
    same json "length(CacheClusters)"
}

@test "text: a null result prints None" {
    same text "CacheClusters[0].NoSuchKey"
}
