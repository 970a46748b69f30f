#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# elasticache_event_handler when the answer to its RebootCacheCluster is
# lost or unreadable (issue 8, items 9 and 10): the library confirms by
# describing within what is left of -t, never sends the reboot again, and
# the handler logs what really happened before its own deadline fires.
# (Kept apart from handler.bats, whose decisions are another change's.)

bats_require_minimum_version 1.5.0
load helpers

setup() {
    MC1=$(free_port); MC2=$(free_port)
    start_memcached "$MC1"; MC1_PID=$LAST_PID
    start_memcached "$MC2"; MC2_PID=$LAST_PID
    FIX=$EC_TMP/fixture.$BATS_TEST_NUMBER.json
    make_fixture "$FIX" "memcached:mc:$MC1,$MC2"
    sim_start --fixture "$FIX" --reboot-seconds 30
}

teardown() {
    sim_stop
    stop_servers
}

handler() {
    run "$HANDLER" --endpoint-url "$SIM_URL" --no-syslog --probe-timeout 1 "$@"
}

@test "a 200 whose body cannot be read: the reboot is confirmed by describing and not sent again" {
    local kind
    for kind in html empty malformed; do
        sim_reset
        sim_ctl POST /_sim/fault "{\"action\":\"RebootCacheCluster\",\"kind\":\"$kind\",\"count\":5,\"after_processing\":true}" >/dev/null
        kill -STOP "$MC2_PID"
        handler -C mc CRITICAL HARD 1
        kill -CONT "$MC2_PID"
        echo "$kind: $output"
        [ "$status" -eq 0 ]
        [[ $output == *"rebooting unresponsive node(s) 0002"* ]]
        [ "$(sim_count RebootCacheCluster)" -eq 1 ]
        [ "$(sim_node_status mc 0002)" = rebooting ]
        # Fired again while the node is still down: no second reboot.
        kill -STOP "$MC2_PID"
        handler -C mc CRITICAL HARD 1
        kill -CONT "$MC2_PID"
        echo "$kind, again: $output"
        [ "$status" -eq 0 ]
        [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    done
}

@test "a 5xx that was not processed: the service's error within -t, not the deadline, and one call" {
    # Before, confirming took a 15 s delay and a 60 s window, longer than
    # the handler's budget: its deadline said "timed out while rebooting".
    sim_ctl POST /_sim/fault '{"action":"RebootCacheCluster","kind":"error","status":503,"code":"ServiceUnavailable","count":5}' >/dev/null
    kill -STOP "$MC2_PID"
    local t0=$SECONDS
    handler -C mc -t 8 CRITICAL HARD 1
    local took=$((SECONDS - t0))
    kill -CONT "$MC2_PID"
    echo "$output ($took s)"
    [ "$status" -eq 1 ]
    [[ $output == *"reboot of node(s) 0002 failed: An error occurred (ServiceUnavailable) when calling the RebootCacheCluster operation: "*"not sending it again"* ]]
    [[ $output != *"timed out after"* ]]
    ((took <= 8))
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    [ "$(sim_node_status mc 0002)" = available ]
}

@test "a 5xx after the reboot was processed: confirmed within -t, logged as the reboot it was" {
    sim_ctl POST /_sim/fault '{"action":"RebootCacheCluster","kind":"error","status":503,"code":"ServiceUnavailable","count":5,"after_processing":true}' >/dev/null
    kill -STOP "$MC1_PID"
    handler -C mc -t 8 CRITICAL HARD 1
    kill -CONT "$MC1_PID"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"rebooting unresponsive node(s) 0001"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    [ "$(sim_node_status mc 0001)" = rebooting ]
}
