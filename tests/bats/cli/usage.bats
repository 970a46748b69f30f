#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# `elasticache --help`, per-command help and `--version`: on stdout, exit 0,
# and no request (no simulator is running; any network use would fail).

bats_require_minimum_version 1.5.0
load helpers

setup() {
    [[ -x $CLI ]] || skip "elasticache not built in $EC_BIN"
}

@test "--version: elasticache <ver> libelasticache/<libver>" {
    run "$CLI" --version
    [ "$status" -eq 0 ]
    [[ $output =~ ^elasticache\ [0-9]+\.[0-9]+\.[0-9]+\ libelasticache/[0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "--help lists the commands, global options and exit codes" {
    run "$CLI" --help
    [ "$status" -eq 0 ]
    for word in describe-cache-clusters describe-events reboot-cache-cluster \
        'wait cache-cluster-available' --region --profile --endpoint-url \
        --ca-bundle --no-verify-ssl --cli-connect-timeout --cli-read-timeout \
        --debug --output --no-paginate 252 253 254 255; do
        [[ $output == *"$word"* ]] || { echo "missing: $word"; false; }
    done
    run "$CLI" help
    [ "$status" -eq 0 ]
    [[ $output == *reboot-cache-cluster* ]]
}

@test "reboot-cache-cluster --help documents the extensions and the outcome JSON" {
    run "$CLI" reboot-cache-cluster --help
    [ "$status" -eq 0 ]
    for word in --cache-cluster-id --cache-node-ids-to-reboot --wait --wait-timeout \
        --wait-delay --only-if-pending --unless-rebooted-since --dry-run \
        '"Changed"' '"Decision"' '"RebootedNodeIds"' '"CacheCluster"' nothing-pending; do
        [[ $output == *"$word"* ]] || { echo "missing: $word"; false; }
    done
    # `help` as a word works too, as with aws.
    run "$CLI" reboot-cache-cluster help
    [ "$status" -eq 0 ]
    [[ $output == *--only-if-pending* ]]
}

@test "every command answers --help" {
    run "$CLI" describe-cache-clusters --help
    [ "$status" -eq 0 ]
    [[ $output == *--show-cache-node-info* && $output == *--max-items* ]]
    run "$CLI" describe-events --help
    [ "$status" -eq 0 ]
    [[ $output == *--source-identifier* && $output == *--duration* ]]
    run "$CLI" wait cache-cluster-available --help
    [ "$status" -eq 0 ]
    [[ $output == *--delay* && $output == *--max-attempts* ]]
}

@test "--help wins over missing arguments and makes no call" {
    run "$CLI" --endpoint-url http://127.0.0.1:9 reboot-cache-cluster --help
    [ "$status" -eq 0 ]
    [[ $output == usage:* ]]
}

@test "no arguments: usage on stderr, 252" {
    run --separate-stderr "$CLI"
    [ "$status" -eq 252 ]
    [ -z "$output" ]
    [[ $stderr == *"usage: elasticache"* ]]
}
