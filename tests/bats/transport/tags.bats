#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# ec_list_tags_for_resource against the simulator, through the ec_call
# driver: the tags of a cluster and a group as the AWS CLI v2 prints them,
# amazon.aws's dict form, the service's refusals, no request for an empty
# name, and the describes' retry on throttling.

load ../../lib/common

ARN=arn:aws:elasticache:us-east-1:123456789012

setup_file() {
    [[ -x $EC_BIN/ec_call ]] || skip "ec_call not built in $EC_BIN"
    sim_start
}

teardown_file() {
    sim_stop
}

setup() {
    sim_reset
}

call() {
    run "$EC_BIN/ec_call" --endpoint-url "$SIM_URL" "$@"
}

@test "a cluster's and a group's tags: the AWS CLI's JSON, byte for byte" {
    local want
    for name in cluster:pending-memcached replicationgroup:demo-redis-rg cluster:fleet-001; do
        call list-tags-for-resource --resource-name "$ARN:$name"
        [ "$status" -eq 0 ]
        want=$(sim_aws list-tags-for-resource --resource-name "$ARN:$name" --output json)
        [ "$output" = "$want" ]
    done
    [ "$(sim_count ListTagsForResource)" -eq 6 ]
    call --summary list-tags-for-resource --resource-name "$ARN:cluster:pending-memcached"
    [ "$output" = "$(printf 'tags 3\ntag env=staging\ntag Owner=Ops Team\ntag no-value=(none)')" ]
}

@test "amazon.aws's dict: keys as they are, a tag without a value is null" {
    call list-tags-for-resource --dict --resource-name "$ARN:cluster:pending-memcached"
    [ "$status" -eq 0 ]
    [ "$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1]))' "$output")" = "{'env': 'staging', 'Owner': 'Ops Team', 'no-value': None}" ]
}

@test "refusals: the service's codes; an empty name is refused before any request" {
    call list-tags-for-resource --resource-name "$ARN:cluster:no-such-cluster"
    [ "$status" -eq 5 ]
    [[ $output == *"An error occurred (CacheClusterNotFound) when calling the ListTagsForResource operation: CacheCluster not found: no-such-cluster"* ]]
    call list-tags-for-resource --resource-name not-an-arn
    [ "$status" -eq 5 ]
    [[ $output == *"aws_code=InvalidARN"* ]]
    [ "$(sim_count ListTagsForResource)" -eq 2 ]
    call list-tags-for-resource --resource-name ""
    [ "$status" -ne 0 ]
    [[ $output == *"ListTagsForResource needs a resource name (an ARN)"* ]]
    [ "$(sim_count ListTagsForResource)" -eq 2 ]
}

@test "throttled: retried with backoff, as the describes are" {
    sim_ctl POST /_sim/fault '{"action":"ListTagsForResource","kind":"throttle","count":2}' >/dev/null
    call --no-sleep --stats list-tags-for-resource --resource-name "$ARN:cluster:demo-memcached"
    [ "$status" -eq 0 ]
    [[ $output == *'"Key": "team"'* ]]
    [ "$(sim_count ListTagsForResource)" -eq 3 ]
    echo "$output" | tail -2
    [[ $output =~ slept=[0-9.]*[1-9] ]]
}
