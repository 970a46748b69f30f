#!/usr/bin/env bats
# elasticache_event_handler against the simulator with real memcached
# processes as nodes: when it acts, what it reboots, and that two handlers
# fired at once reboot once.

bats_require_minimum_version 1.5.0
load helpers

setup() {
    MC1=$(free_port); MC2=$(free_port); MC3=$(free_port)
    start_memcached "$MC1"; MC1_PID=$LAST_PID
    start_memcached "$MC2"; MC2_PID=$LAST_PID
    start_memcached "$MC3"; MC3_PID=$LAST_PID
    FIX=$EC_TMP/fixture.$BATS_TEST_NUMBER.json
    make_fixture "$FIX" "memcached:mc:$MC1,$MC2,$MC3"
    sim_start --fixture "$FIX" --reboot-seconds 3
}

teardown() {
    sim_stop
    stop_servers
}

handler() {
    run "$HANDLER" --endpoint-url "$SIM_URL" --no-syslog --probe-timeout 1 "$@"
}

# Successful RebootCacheCluster calls and the node ids they named, one per line.
reboots() {
    sim_ctl GET /_sim/requests | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["action"] == "RebootCacheCluster" and r["status"] == 200:
        p = r["params"]
        ids = p.get("CacheNodeIdsToReboot")
        if not isinstance(ids, list):
            ids = [v for k, v in sorted(p.items()) if k.startswith("CacheNodeIdsToReboot.")]
        print(p.get("CacheClusterId"), ",".join(ids))'
}

@test "--help exits 0, bad usage exits 2 with the reason" {
    run "$HANDLER" --help
    [ "$status" -eq 0 ]
    [[ $output == *"Usage: elasticache_event_handler"* ]]
    run "$HANDLER" --version
    [ "$status" -eq 0 ]
    local args
    for args in "CRITICAL HARD 3" "-C mc CRITICAL HARD" "-C mc --soft-attempt 0 CRITICAL HARD 1" \
        "-C mc --min-interval soon CRITICAL HARD 1" "-C mc --bogus CRITICAL HARD 1" "-C mc"; do
        run -2 env -u NAGIOS_SERVICESTATE "$HANDLER" $args
        echo "$args -> $output"
        [[ $output == *"Usage: elasticache_event_handler"* ]]
    done
}

@test "acts only on CRITICAL HARD, or SOFT from --soft-attempt; logs one line per decision" {
    kill -STOP "$MC2_PID"
    local st
    while read -r st; do
        handler -C mc $st
        echo "$st -> $status: $output"
        [ "$status" -eq 0 ]
        [ "${#lines[@]}" -eq 1 ]
    done <<'LIST'
OK HARD 1
WARNING HARD 3
UNKNOWN HARD 3
CRITICAL SOFT 1
CRITICAL SOFT 2
LIST
    [ -z "$(reboots)" ]
    handler -C mc --soft-attempt 2 CRITICAL SOFT 2
    kill -CONT "$MC2_PID"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == "elasticache_event_handler: mc: rebooting unresponsive node(s) 0002 (request "* ]]
    [ "$(reboots)" = "mc 0002" ]
}

@test "CRITICAL HARD: reboots exactly the unresponsive nodes" {
    kill -STOP "$MC1_PID" "$MC3_PID"
    handler -C mc CRITICAL HARD 1
    kill -CONT "$MC1_PID" "$MC3_PID"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"rebooting unresponsive node(s) 0001,0003"* ]]
    [ "$(reboots)" = "mc 0001,0003" ]
}

@test "state from the Nagios environment macros when no positional arguments" {
    kill -STOP "$MC3_PID"
    NAGIOS_SERVICESTATE=CRITICAL NAGIOS_SERVICESTATETYPE=HARD NAGIOS_SERVICEATTEMPT=1 handler -C mc
    kill -CONT "$MC3_PID"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(reboots)" = "mc 0003" ]
}

@test "every node answers: nothing to do, exit 0" {
    handler -C mc CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"every node answers: nothing to reboot"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "never while rebooting, never twice within --min-interval" {
    kill -STOP "$MC2_PID"
    handler -C mc CRITICAL HARD 1
    [ "$status" -eq 0 ]
    # during the reboot: the node is rebooting, nothing else to do
    handler -C mc CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"node 0002 rebooting"* || $output == *"already rebooting"* ]]
    # after it (the process is still stopped: a reboot did not cure it)
    sim_wait_cluster_status mc available
    handler -C mc CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"not rebooting node(s) 0002: recently rebooted"* ]]
    [ "$(reboots)" = "mc 0002" ]
    # a shorter --min-interval lets it try again, once the restart (seen
    # done above) is more than that old: time itself is what is waited for
    sleep 1.1
    handler -C mc --min-interval 1s CRITICAL HARD 1
    kill -CONT "$MC2_PID"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"rebooting unresponsive node(s) 0002"* ]]
    [ "$(reboots | wc -l)" -eq 2 ]
}

@test "a cluster rebooting another node: no second reboot" {
    sim_ctl POST /_sim/clusters/mc/state '{"status":"rebooting cache cluster nodes","nodes":{"0001":"rebooting"}}' >/dev/null
    kill -STOP "$MC2_PID"
    handler -C mc CRITICAL HARD 1
    kill -CONT "$MC2_PID"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"not rebooting node(s) 0002"* ]]
    [ -z "$(reboots)" ]
}

@test "cannot tell which nodes (--no-probe): nothing, or every node with --all-nodes-if-unknown" {
    handler -C mc --no-probe CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"cannot tell which nodes are unresponsive"* ]]
    [ -z "$(reboots)" ]
    handler -C mc --no-probe --all-nodes-if-unknown --dry-run CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"dry run: would reboot unresponsive node(s) 0001,0002,0003"* ]]
    [ -z "$(reboots)" ]
    handler -C mc --no-probe --all-nodes-if-unknown CRITICAL HARD 1
    [ "$status" -eq 0 ]
    [ "$(reboots)" = "mc 0001,0002,0003" ]
}

@test "two handlers fired at once: exactly one reboot, both exit 0" {
    kill -STOP "$MC2_PID"
    local i
    for i in 1 2 3 4; do
        "$HANDLER" --endpoint-url "$SIM_URL" --no-syslog --probe-timeout 1 -C mc CRITICAL HARD 1 \
            >"$EC_TMP/h$i.out" 2>&1 3>&- &
        eval "H$i=\$!"
    done
    local rc=0
    wait "$H1" || rc=1
    wait "$H2" || rc=1
    wait "$H3" || rc=1
    wait "$H4" || rc=1
    kill -CONT "$MC2_PID"
    cat "$EC_TMP"/h?.out
    [ "$rc" -eq 0 ]
    [ "$(reboots)" = "mc 0002" ]
    [ "$(grep -c 'rebooting unresponsive node(s) 0002' "$EC_TMP"/h?.out | awk -F: '{s+=$2} END {print s}')" -eq 1 ]
}

@test "API failure: exit 1 with the AWS error code in the log line" {
    sim_ctl POST /_sim/fault '{"action":"*","kind":"error","count":50,"status":500,"code":"InternalFailure"}' >/dev/null
    kill -STOP "$MC2_PID"
    AWS_MAX_ATTEMPTS=1 handler -C mc CRITICAL HARD 1
    kill -CONT "$MC2_PID"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"(InternalFailure)"* ]]
}

@test "a hanging API: gives up within -t, says where, exit 1, no reboot" {
    sim_ctl POST /_sim/fault '{"action":"DescribeCacheClusters","kind":"delay","seconds":30,"count":20}' >/dev/null
    local t0 t1
    t0=$(now)
    handler -C mc -t 3 CRITICAL HARD 1
    t1=$(now)
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"mc: "*"timed out"* ]]
    awk -v a="$t0" -v b="$t1" 'BEGIN { d = b - a; print "took " d; exit !(d < 8) }'
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "a cluster that is gone: nothing to reboot, exit 0" {
    handler -C no-such-cluster CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == "elasticache_event_handler: no-such-cluster: cluster not found (CacheClusterNotFound): nothing to reboot" ]]
}
