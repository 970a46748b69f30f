#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# check_elasticache -G and elasticache_event_handler -G against the
# simulator's replication groups, with real redis-server processes as the
# members and real replication (REPLICAOF): the link states come from the
# replicas' own INFO replication, the reboots from the sim's request log.

bats_require_minimum_version 1.5.0
load helpers

HOOK=$EC_REPO/tests/sim/hooks/redis_node_hook.sh

setup() {
    RDIR=$EC_TMP/redis.$BATS_TEST_NUMBER
    mkdir -p "$RDIR"
    P1=$(free_port); P2=$(free_port); P3=$(free_port)
    local p
    for p in "$P1" "$P2" "$P3"; do bash "$HOOK" "$RDIR" start 127.0.0.1 "$p"; done
    bash "$HOOK" "$RDIR" replicaof g c n 127.0.0.1 "$P2" 127.0.0.1 "$P1"
    bash "$HOOK" "$RDIR" replicaof g c n 127.0.0.1 "$P3" 127.0.0.1 "$P1"
    wait_until 30 "replica $P2 linked" link_is "$P2" up
    wait_until 30 "replica $P3 linked" link_is "$P3" up
    FIX=$EC_TMP/group.$BATS_TEST_NUMBER.json
    /usr/bin/python3 "$EC_REPO/tests/sim/fixtures/make_replication_groups.py" --group rg-redis \
        --ports "$P1,$P2,$P3" >"$FIX"
    sim_start --fixture "$FIX" --reboot-seconds 0.5
    sim_ctl POST /_sim/config "{\"node_hook\": \"bash $HOOK $RDIR\", \"reboot_seconds\": 0.5}" >/dev/null
}

teardown() {
    sim_stop
    stop_servers # start_listeners' process
    local f
    for f in "$RDIR"/redis.*.pid; do
        [[ -s $f ]] && kill -KILL "$(cat "$f")" 2>/dev/null
        rm -f "$f"
    done
    return 0
}

# The replica on PORT says master_link_status STATE.
link_is() {
    [[ $(redis-cli -p "$1" INFO replication | tr -d '\r' | sed -n 's/^master_link_status://p') == "$2" ]]
}

# Nothing answers on PORT any more.
port_closed() { ! port_open "$1"; }

kill_member() { # PORT
    kill -KILL "$(cat "$RDIR/redis.$1.pid")"
    wait_until 30 "redis on $1 gone" port_closed "$1"
}

handler() {
    run "$HANDLER" --endpoint-url "$SIM_URL" --no-syslog --probe-timeout 1 "$@"
}

# Successful RebootCacheCluster calls: "CLUSTER NODES" per line.
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

@test "a healthy group: OK, each replica's link and last I/O as perfdata" {
    check -G rg-redis --link-warning 30 --link-critical 60
    echo "$output"
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "ELASTICACHE OK - rg-redis available, primary rg-redis-001 answers, 2 of 2 replicas linked"* ]]
    assert_guideline_output
    [[ ${lines[0]} == *"'rg-redis-002 link_up'=1;;;0;1"* ]]
    [[ ${lines[0]} == *"'rg-redis-003 link_up'=1;;;0;1"* ]]
    [[ ${lines[0]} =~ \'rg-redis-002\ last_io\'=[0-9]+s\;30\;60\;0 ]]
    [[ ${lines[0]} == *"replicas_linked=2;;;0;2"* ]]
    [[ $output == *"rg-redis-002 replica available 127.0.0.1:$P2: answers (PONG"*", role slave, link up"* ]]
    [[ $output == *"rg-redis-001 primary available 127.0.0.1:$P1: answers (PONG"*"role master, 2 connected replicas"* ]]
    [ "$(sim_count DescribeReplicationGroups)" -eq 1 ]
}

@test "a replica pointed at a dead port: CRITICAL naming it, link_up 0" {
    local dead
    dead=$(free_port)
    [ "$(redis-cli -p "$P3" REPLICAOF 127.0.0.1 "$dead")" = OK ]
    wait_until 30 "replica $P3 link down" link_is "$P3" down
    check -G rg-redis
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - rg-redis: replica rg-redis-003 link to the primary down"* ]]
    [[ ${lines[0]} == *"'rg-redis-003 link_up'=0;;;0;1"* ]]
    [[ ${lines[0]} == *"'rg-redis-002 link_up'=1;;;0;1"* ]]
    [[ ${lines[0]} != *"rg-redis-002 link to the primary down"* ]]
    assert_guideline_output
}

@test "the primary's process stopped: CRITICAL, primary unresponsive, both links down" {
    kill_member "$P1"
    wait_until 30 "replica $P2 link down" link_is "$P2" down
    wait_until 30 "replica $P3 link down" link_is "$P3" down
    check -G rg-redis
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - rg-redis: primary rg-redis-001 unresponsive (automatic failover promotes a replica)"* ]]
    [[ ${lines[0]} == *"replica rg-redis-002 link to the primary down"* ]]
    [[ ${lines[0]} == *"replica rg-redis-003 link to the primary down"* ]]
    [[ ${lines[0]} == *"members_unresponsive=1;;;0;3"* ]]
    assert_guideline_output
}

@test "--link-critical on the last I/O: CRITICAL from the thresholds alone" {
    # @0:100000 alerts inside the range: any last I/O the replicas report
    check -G rg-redis --link-critical @0:100000
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - rg-redis: replica rg-redis-002 last heard from the primary "* ]]
    [[ ${lines[0]} =~ \'rg-redis-003\ last_io\'=[0-9]+s\;\;@0:100000\;0 ]]
}

@test "-G usage: one of -C, -G, --all; --link-* only with -G; a bad id; an unknown group" {
    local args
    for args in "-G rg-redis -C rg-redis-001" "-G rg-redis --all" "-C rg-redis-001 --link-warning 5" \
        "-G rg-redis --link-critical x" "-G"; do
        run --separate-stderr "$CHECK" --endpoint-url "$SIM_URL" $args
        echo "args: $args -> $status: $output"
        [ "$status" -eq 3 ]
        [[ ${lines[0]} == "ELASTICACHE UNKNOWN - "* ]]
        [[ $output == *"Usage: check_elasticache"* ]]
        [ -z "$stderr" ]
    done
    check -G no-such-group
    [ "$status" -eq 2 ]
    [ "${lines[0]}" = "ELASTICACHE CRITICAL - replication group no-such-group not found (ReplicationGroupNotFoundFault)" ]
}

@test "a cluster mode enabled group is judged by shard (nothing listens: no primary, members refuse); the handler refuses" {
    sim_stop
    sim_start --fixture "$EC_REPO/tests/sim/fixtures/replication-groups.json"
    check -G shop-cme --probe-timeout 1
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - shop-cme: 2 shards: 0 OK, 0 WARNING, 2 CRITICAL, 0 UNKNOWN; shard 0001: no member answers as the primary; members shop-cme-0001-001, shop-cme-0001-002 unresponsive (role unknown); shard 0002: "* ]]
    [[ ${lines[0]} == *"shards_critical=2;;;0"* ]]
    [ "$(sim_count DescribeCacheClusters)" -eq 4 ]
    handler -G shop-cme CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"cluster mode enabled: -G handles cluster mode disabled groups only; not rebooting"* ]]
    [ -z "$(reboots)" ]
}

@test "handler -G: reboots only the replica that does not answer, one RebootCacheCluster" {
    handler -G rg-redis CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$output" = "elasticache_event_handler: rg-redis: every member answers; nothing to reboot" ]
    kill_member "$P3"
    handler -G rg-redis CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == "elasticache_event_handler: rg-redis: rebooting unresponsive node(s) 0001 of rg-redis-003 (request "* ]]
    [ "$(reboots)" = "rg-redis-003 0001" ]
    # The node hook brought it back as a replica of the primary.
    sim_wait_cluster_status rg-redis-003 available
    wait_until 30 "replica $P3 linked again" link_is "$P3" up
    check -G rg-redis
    [ "$status" -eq 0 ]
}

@test "handler -G: a dead primary is never rebooted, nor a replica then: zero reboots, says whose job it is" {
    kill_member "$P1"
    kill_member "$P3"
    handler -G rg-redis CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"rg-redis: primary rg-redis-001 of group rg-redis does not answer: replacing it is automatic failover's job (AutomaticFailover enabled)"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "handler -G: the gates hold: downtime, ack, --max-unresponsive, --max-reboots, a cut path" {
    kill_member "$P2"
    kill_member "$P3"
    handler -G rg-redis --downtime-depth 1 CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"downtime"* ]]
    handler -G rg-redis --acknowledged 1 CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"acknowledged"* ]]
    handler -G rg-redis --max-unresponsive 1 CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"2 replicas unresponsive (rg-redis-002, rg-redis-003), more than --max-unresponsive 1: not rebooting"* ]]
    add_events "$FIX" rg-redis-002 "Cache node 0001 restarted:60"
    sim_stop
    sim_start --fixture "$FIX"
    handler -G rg-redis --max-reboots 1 CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"the group's nodes restarted 1 times within 1h (--max-reboots 1)"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "handler -G: no member answers a connection: the path looks cut, no reboot" {
    start_listeners cut:3
    FIX2=$EC_TMP/cut.$BATS_TEST_NUMBER.json
    /usr/bin/python3 "$EC_REPO/tests/sim/fixtures/make_replication_groups.py" --group rg-redis \
        --ports "$(join_ports "${CUT_PORTS[@]}")" >"$FIX2"
    sim_stop
    sim_start --fixture "$FIX2"
    handler -G rg-redis CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"no member of group rg-redis answered a connection: the network path looks cut, not the nodes; not rebooting"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    check -G rg-redis --probe-timeout 1
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == *"the network path looks cut, not the nodes"* ]]
}
