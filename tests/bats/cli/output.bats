#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# --query, --output and the output settings, --cli-input-json/yaml and
# --generate-cli-skeleton: the whole `elasticache` CLI against /usr/bin/aws
# on the simulator. Most comparisons are batched in tests/diff/cli_diff.py
# (one group per test: every case prints the same stdout and exit status as
# the AWS CLI, and the same stderr where the message is the point); the
# tests below it check what a differential test cannot see (requests made,
# colour into a pipe, partial output).

bats_require_minimum_version 1.5.0
load helpers

setup_file() { cli_setup_file; }
teardown_file() { cli_teardown_file; }
setup() { cli_reset; }

# cli_diff GROUP...: the groups' cases; two of each also through the real
# /usr/bin/aws executable, which must print what the in-process AWS CLI did.
cli_diff() {
    run /usr/bin/python3 "$EC_REPO/tests/diff/cli_diff.py" --cli "$CLI" \
        --sim-url "$SIM_URL" --aws-sample 2 --show 3 "$@"
    echo "$output" | tail -60
    [ "$status" -eq 0 ]
    [[ ${lines[-1]} =~ ^[0-9]+\ cases,\ 0\ differ$ ]]
}

@test "--query in every --output, paginated and not, over the default fixture, as aws" {
    cli_diff default
}

@test "--query and --output over the captured responses and random model-made clusters and events, as aws" {
    cli_diff captured random events
}

@test "describe-replication-groups: --query, every --output, paging and an input file, as aws" {
    cli_diff groups
}

@test "bad expressions, search errors, empty results and service errors in every format, as aws" {
    cli_diff errors
}

@test "AWS_DEFAULT_OUTPUT, the profile's output, unknown formats and --color, as aws" {
    cli_diff settings
}

@test "--cli-input-json, --cli-input-yaml, file:// and fileb:// and their validation, as aws" {
    cli_diff input
}

@test "--generate-cli-skeleton input, yaml-input and output for every command, as aws" {
    cli_diff skeleton
}

@test "reboot-cache-cluster and wait in every format, as aws" {
    cli_diff commands
}

@test "list-tags-for-resource: every --output, --query, service errors, input and skeletons, as aws" {
    cli_diff tags
}

@test "--output text: a search error on the second page leaves the first page printed, 255" {
    ec describe-cache-clusters --page-size 20 --output text \
        --query 'length(CacheClusters[15].CacheClusterId)'
    show
    [ "$ec_status" -eq 255 ]
    [ "$(cat "$EC_TMP/ec.out")" = 9 ]
    grep -qx 'In function length(), invalid type for value: None, expected one of: .*' "$EC_TMP/ec.err"
    # both pages were asked for, and nothing more
    [ "$(sim_count DescribeCacheClusters)" -eq 2 ]
    # json prints nothing of it
    ec describe-cache-clusters --page-size 20 --output json \
        --query 'length(CacheClusters[15].CacheClusterId)'
    [ "$ec_status" -eq 0 ]
    [ "$(cat "$EC_TMP/ec.out")" = 9 ]
}

@test "--color on colours a table even into a pipe; off and auto do not" {
    ec describe-cache-clusters --color on --output table \
        --query 'CacheClusters[0].[CacheClusterId]'
    [ "$ec_status" -eq 0 ]
    [ "$(grep -c $'\e\\[1m\e\\[34m' "$EC_TMP/ec.out")" -eq 1 ]
    [ "$(grep -c $'\e\\[0m' "$EC_TMP/ec.out")" -ge 1 ]
    for color in off auto; do
        ec describe-cache-clusters --color "$color" --output table \
            --query 'CacheClusters[0].[CacheClusterId]'
        [ "$ec_status" -eq 0 ]
        [ "$(grep -c $'\e' "$EC_TMP/ec.out")" -eq 0 ]
    done
}

@test "skeletons and refused input send nothing; an output skeleton needs no credentials" {
    ec describe-cache-clusters --generate-cli-skeleton
    [ "$ec_status" -eq 0 ]
    ec reboot-cache-cluster --generate-cli-skeleton yaml-input
    [ "$ec_status" -eq 0 ]
    grep -q "^CacheClusterId: ''  # \[REQUIRED\]" "$EC_TMP/ec.out"
    ec reboot-cache-cluster --cache-cluster-id demo-redis --cache-node-ids-to-reboot 0001 \
        --generate-cli-skeleton output --query CacheCluster.CacheClusterId --output text
    [ "$ec_status" -eq 0 ]
    [ "$(cat "$EC_TMP/ec.out")" = CacheClusterId ]
    ec describe-cache-clusters --cli-input-json '{"Bogus": true}'
    [ "$ec_status" -eq 252 ]
    ec describe-cache-clusters --cli-input-json file:///nonexistent/in.json
    [ "$ec_status" -eq 252 ]
    [ "$(sim_count '*')" -eq 0 ]
    unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
    ec describe-events --generate-cli-skeleton output --query 'Events[0].Date' --output text
    [ "$ec_status" -eq 0 ]
    [ "$(cat "$EC_TMP/ec.out")" = "1970-01-01 00:00:00" ]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "the safe reboot's outcome goes through --query and --output; it has no output skeleton" {
    ec reboot-cache-cluster --cache-cluster-id pending-memcached --only-if-pending \
        --output text --query '[Decision, join(`,`, RebootedNodeIds)]'
    show
    [ "$ec_status" -eq 0 ]
    [ "$(cat "$EC_TMP/ec.out")" = $'reboot\t0002' ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --dry-run \
        --generate-cli-skeleton output
    [ "$ec_status" -eq 252 ]
    grep -q 'elasticache reboot-cache-cluster --help' "$EC_TMP/ec.err"
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "wait prints nothing in any format; its --query is still checked first" {
    for fmt in json text table yaml yaml-stream; do
        ec wait cache-cluster-available --cache-cluster-id demo-redis \
            --output "$fmt" --query 'CacheClusters[0]'
        [ "$ec_status" -eq 0 ]
        [ ! -s "$EC_TMP/ec.out" ]
    done
    sim_ctl DELETE /_sim/requests >/dev/null
    ec wait cache-cluster-available --cache-cluster-id demo-redis --query '{'
    [ "$ec_status" -eq 252 ]
    [ "$(sim_count '*')" -eq 0 ]
}
