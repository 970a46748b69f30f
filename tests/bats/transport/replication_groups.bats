#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The library's replication-group calls against the simulator, through the
# ec_call driver: every page of DescribeReplicationGroups, and
# ModifyReplicationGroup sent once, like RebootCacheCluster (a resend of a
# primary move that already reached the service could start a second
# failover; elasticache.h says why).

load ../../lib/common

setup_file() {
    [[ -x $EC_BIN/ec_call ]] || skip "ec_call not built in $EC_BIN"
    sim_start --fixture "$EC_REPO/tests/sim/fixtures/replication-groups.json" --modify-seconds 60
}

teardown_file() {
    sim_stop
}

setup() {
    sim_reset
}

fault() {
    sim_ctl POST /_sim/fault "$1" >/dev/null
}

call() {
    run "$EC_BIN/ec_call" --endpoint-url "$SIM_URL" "$@"
}

group_status() {
    sim_ctl GET "/_sim/replication-groups/$1" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Status"])'
}

@test "DescribeReplicationGroups: every page with --all, one page with its marker without" {
    call --summary describe-replication-groups --all --max-records 20
    [ "$status" -eq 0 ]
    [ "$(grep -c '^group ' <<<"$output")" -eq 26 ]
    [ "$(grep -c '^marker' <<<"$output")" -eq 0 ]
    [ "$(sim_count DescribeReplicationGroups)" -eq 2 ]
    call --summary describe-replication-groups --max-records 20
    [ "$status" -eq 0 ]
    [ "$(grep -c '^group ' <<<"$output")" -eq 20 ]
    marker=$(sed -n 's/^marker //p' <<<"$output")
    [ -n "$marker" ]
    call --summary describe-replication-groups --marker "$marker"
    [ "$(grep -c '^group ' <<<"$output")" -eq 6 ]
    call --summary describe-replication-groups --replication-group-id RG-Sessions
    [ "$output" = "$(printf 'groups 1\ngroup rg-sessions available')" ]
}

@test "DescribeReplicationGroups is retried after a 503, like the other describes" {
    fault '{"action":"DescribeReplicationGroups","kind":"error","status":503,"count":1}'
    call --no-sleep --summary describe-replication-groups --replication-group-id rg-noaf
    [ "$status" -eq 0 ]
    [ "$(sim_count DescribeReplicationGroups)" -eq 2 ]
}

@test "an unknown group: EC_ERR_SERVICE with ReplicationGroupNotFoundFault" {
    call describe-replication-groups --replication-group-id no-such-group
    [ "$status" -eq 5 ]
    [[ $output == *"An error occurred (ReplicationGroupNotFoundFault) when calling the DescribeReplicationGroups operation: Replication group no-such-group not found."* ]]
    [[ $output == *"http_status=404"* ]]
}

@test "ModifyReplicationGroup: the answer parsed, the group modifying" {
    call modify-replication-group --replication-group-id rg-noaf --primary-cluster-id RG-NOAF-002 --apply-immediately
    [ "$status" -eq 0 ]
    [[ $output == *'"PrimaryClusterId": "rg-noaf-002"'* ]]
    [ "$(group_status rg-noaf)" = modifying ]
    # What was sent: lowercase ids, the flags botocore would send.
    params=$(sim_ctl GET '/_sim/requests?action=ModifyReplicationGroup' | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["params"])')
    [ "$params" = "{'ReplicationGroupId': 'rg-noaf', 'PrimaryClusterId': 'rg-noaf-002', 'ApplyImmediately': 'true'}" ]
}

@test "ModifyReplicationGroup is not sent again after a reset once processed" {
    fault '{"action":"ModifyReplicationGroup","kind":"reset","count":1,"after_processing":true}'
    call --no-sleep modify-replication-group --replication-group-id rg-sessions --automatic-failover-enabled false \
        --multi-az-enabled false --apply-immediately
    [ "$status" -eq 6 ]
    [[ $output == *"maybe_sent=true"* ]]
    [[ $output == *"operation=ModifyReplicationGroup"* ]]
    [ "$(sim_count ModifyReplicationGroup)" -eq 1 ]
    # It took effect: a resend would have been refused as a failure.
    [ "$(group_status rg-sessions)" = modifying ]
}

@test "ModifyReplicationGroup is not sent again after a 503 or a read timeout" {
    fault '{"action":"ModifyReplicationGroup","kind":"error","status":503,"count":5}'
    call --no-sleep modify-replication-group --replication-group-id rg-noaf --primary-cluster-id rg-noaf-002 --apply-immediately
    [ "$status" -eq 5 ]
    [[ $output == *"maybe_sent=true"* ]]
    [ "$(sim_count ModifyReplicationGroup)" -eq 1 ]
    sim_ctl DELETE /_sim/fault >/dev/null
    fault '{"action":"ModifyReplicationGroup","kind":"delay","seconds":4,"count":1,"after_processing":true}'
    call --no-sleep --read-timeout 1 modify-replication-group --replication-group-id rg-af --automatic-failover-enabled false --apply-immediately
    [ "$status" -eq 7 ]
    [[ $output == *"maybe_sent=true"* ]]
    [ "$(sim_count ModifyReplicationGroup)" -eq 2 ]
}

@test "ModifyReplicationGroup is retried when throttled (refused, not processed)" {
    fault '{"action":"ModifyReplicationGroup","kind":"throttle","count":1}'
    call --no-sleep --summary modify-replication-group --replication-group-id rg-noaf --primary-cluster-id rg-noaf-002 --apply-immediately
    [ "$status" -eq 0 ]
    [ "$output" = "group rg-noaf modifying" ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 2 ]
}

@test "ModifyReplicationGroup: bad ids refused before any request" {
    call modify-replication-group --replication-group-id rg--x --apply-immediately
    [ "$status" -eq 2 ]
    [[ $output == *"Invalid replication group id \"rg--x\": it must not contain two consecutive hyphens"* ]]
    call modify-replication-group --replication-group-id rg-noaf --primary-cluster-id 9lives
    [ "$status" -eq 2 ]
    [[ $output == *"Invalid cache cluster id \"9lives\": it must start with a letter"* ]]
    [ "$(sim_count '*')" -eq 0 ]
}
