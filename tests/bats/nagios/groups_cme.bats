#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# check_elasticache -G on a cluster-mode-enabled group (two shards, one
# primary and one replica each) whose members are real redis-server
# processes with real replication: the roles and links come from the
# nodes' own INFO replication (AWS gives these members no CurrentRole).
# elasticache_event_handler -G takes no action on such a group.

bats_require_minimum_version 1.5.0
load helpers

HOOK=$EC_REPO/tests/sim/hooks/redis_node_hook.sh

setup() {
    RDIR=$EC_TMP/redis.cme.$BATS_TEST_NUMBER
    mkdir -p "$RDIR"
    P1=$(free_port); P2=$(free_port); P3=$(free_port); P4=$(free_port)
    local p
    for p in "$P1" "$P2" "$P3" "$P4"; do bash "$HOOK" "$RDIR" start 127.0.0.1 "$p"; done
    # shard 0001: P1 primary, P2 replica; shard 0002: P3 primary, P4 replica
    bash "$HOOK" "$RDIR" replicaof g c n 127.0.0.1 "$P2" 127.0.0.1 "$P1"
    bash "$HOOK" "$RDIR" replicaof g c n 127.0.0.1 "$P4" 127.0.0.1 "$P3"
    wait_until 30 "replica $P2 linked" link_is "$P2" up
    wait_until 30 "replica $P4 linked" link_is "$P4" up
    FIX=$EC_TMP/cme.$BATS_TEST_NUMBER.json
    /usr/bin/python3 "$EC_REPO/tests/sim/fixtures/make_replication_groups.py" --group cme \
        --shards 2 --replicas 1 --ports "$P1,$P2,$P3,$P4" >"$FIX"
    sim_start --fixture "$FIX"
}

teardown() {
    sim_stop
    local f
    for f in "$RDIR"/redis.*.pid; do
        [[ -s $f ]] && kill -KILL "$(cat "$f")" 2>/dev/null
        rm -f "$f"
    done
    return 0
}

link_is() {
    [[ $(redis-cli -p "$1" INFO replication | tr -d '\r' | sed -n 's/^master_link_status://p') == "$2" ]]
}

port_closed() { ! port_open "$1"; }

@test "cluster mode enabled, every shard healthy: OK, shard counts and per-shard perfdata" {
    check -G cme --link-warning 30 --link-critical 60
    echo "$output"
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "ELASTICACHE OK - cme available, 2 shards OK: every primary answers, 2 of 2 replicas linked"* ]]
    assert_guideline_output
    [[ ${lines[0]} == *" shards=2;;;0 shards_ok=2;;;0 shards_warning=0;;;0 shards_critical=0;;;0 shards_unknown=0;;;0 "* ]]
    [[ ${lines[0]} == *"'shard 0001 primary_up'=1;;;0;1"* ]]
    [[ ${lines[0]} == *"'shard 0002 replicas_linked'=1;;;0;1"* ]]
    [[ ${lines[0]} =~ \'cme-0002-002\ last_io\'=[0-9]+s\;30\;60\;0 ]]
    [[ $output == *"configuration endpoint 127.0.0.1:$P1"* ]]
    [[ $output == *"OK: shard 0002 available slots 8192-16383, 2 members"* ]]
    [[ $output == *"cme-0002-001 member available 127.0.0.1:$P3: answers (PONG"*"role master, 1 connected replicas"* ]]
    [ "$(sim_count DescribeReplicationGroups)" -eq 1 ]
    [ "$(sim_count DescribeCacheClusters)" -eq 4 ]
}

@test "one shard's replica link down: CRITICAL naming that shard only; WARNING while the group modifies" {
    local dead
    dead=$(free_port)
    [ "$(redis-cli -p "$P4" REPLICAOF 127.0.0.1 "$dead")" = OK ]
    wait_until 30 "replica $P4 link down" link_is "$P4" down
    check -G cme
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - cme: 2 shards: 1 OK, 0 WARNING, 1 CRITICAL, 0 UNKNOWN; shard 0002: replica cme-0002-002 link to the primary down"* ]]
    [[ ${lines[0]} != *"shard 0001:"* ]]
    [[ ${lines[0]} == *" shards_ok=1;;;0 shards_warning=0;;;0 shards_critical=1;;;0 "* ]]
    [[ ${lines[0]} == *"'shard 0002 state'=2;;;0;3"* ]]
    [[ ${lines[0]} == *"'shard 0001 state'=0;;;0;3"* ]]
    [[ ${lines[0]} == *"'cme-0002-002 link_up'=0;;;0;1"* ]]
    assert_guideline_output
    sim_ctl POST /_sim/replication-groups/cme/state '{"status": "modifying"}' >/dev/null
    check -G cme
    echo "$output"
    [ "$status" -eq 1 ]
    [[ ${lines[0]} == "ELASTICACHE WARNING - cme: 2 shards: 1 OK, 1 WARNING, 0 CRITICAL, 0 UNKNOWN; group modifying; shard 0002: replica cme-0002-002 link to the primary down"*"s (resynchronising or group changing) | "* ]]
}

@test "a shard's primary stopped: CRITICAL naming it; the handler takes no action on cluster mode enabled" {
    kill -KILL "$(cat "$RDIR/redis.$P3.pid")"
    wait_until 30 "redis on $P3 gone" port_closed "$P3"
    wait_until 30 "replica $P4 link down" link_is "$P4" down
    check -G cme --probe-timeout 1
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - cme: 2 shards: 1 OK, 0 WARNING, 1 CRITICAL, 0 UNKNOWN; shard 0002: primary cme-0002-001 unresponsive (automatic failover promotes a replica)"* ]]
    [[ ${lines[0]} == *"'shard 0002 primary_up'=0;;;0;1"* ]]
    [[ ${lines[0]} == *"members_unresponsive=1;;;0;4"* ]]
    assert_guideline_output
    local described
    described=$(sim_count DescribeCacheClusters)
    run "$HANDLER" --endpoint-url "$SIM_URL" --no-syslog --probe-timeout 1 -G cme CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$output" = "elasticache_event_handler: cme: group cme has cluster mode enabled: -G handles cluster mode disabled groups only; not rebooting" ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    # refused from the group alone: no member described, none probed
    [ "$(sim_count DescribeCacheClusters)" -eq "$described" ]
}

# seed_big: the 8-member group "big" (4 shards, 1 replica each) alone in
# the region; its members' ports are free ones where nothing listens.
seed_big() {
    local ports=() i
    for i in 1 2 3 4 5 6 7 8; do ports+=("$(free_port)"); done
    FIX2=$EC_TMP/cme8.$BATS_TEST_NUMBER.json
    /usr/bin/python3 "$EC_REPO/tests/sim/fixtures/make_replication_groups.py" --group big \
        --shards 4 --replicas 1 --ports "$(join_ports "${ports[@]}")" >"$FIX2"
    sim_ctl POST /_sim/seed "$(cat "$FIX2")" >/dev/null
}

# assert_big_critical: the verdict on "big" with every member silent
assert_big_critical() {
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - big: 4 shards: 0 OK, 0 WARNING, 4 CRITICAL, 0 UNKNOWN; shard 0001: no member answers as the primary; members big-0001-001, big-0001-002 unresponsive (role unknown)"* ]]
    [[ ${lines[0]} == *" members=8;;;0 members_unresponsive=8;;;0;8 "* ]]
    [ "$(grep -c '^  big-' <<<"$output")" -eq 8 ]
    [[ $output != *"not described"* ]]
}

@test "a group of more than six members in a small region: described by one listing call, not a call per member" {
    seed_big
    check -G big --probe-timeout 1
    [ "$status" -eq 2 ]
    assert_big_critical
    [ "$(sim_count DescribeCacheClusters)" -eq 1 ]
    # --no-probe: the API's view alone; roles unknown, nothing said of them
    check -G big --no-probe
    echo "$output"
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "ELASTICACHE OK - big available, 4 shards, 8 members (not probed) | "* ]]
    assert_guideline_output
}

@test "a group of more than six members in a region of 10,000 clusters: at most 2x8+1 describes, the same verdict" {
    seed_big
    # 10,000 other clusters listed first: the members sit on the last page
    run sim_ctl POST /_sim/fleet '{"clusters": 10000, "add": "before", "prefix": "far"}'
    [ "$status" -eq 0 ]
    [[ $output == *'"clusters": 10008'* ]]
    check -G big --probe-timeout 1
    [ "$status" -eq 2 ]
    assert_big_critical
    local calls singles
    calls=$(sim_count DescribeCacheClusters)
    echo "DescribeCacheClusters calls: $calls"
    [ "$calls" -le 17 ]
    # 8 pages without a member, then one call per member (the listing
    # alone would take 101); every member is found by its own call
    [ "$calls" -eq 16 ]
    singles=$(sim_ctl GET '/_sim/requests?action=DescribeCacheClusters' |
        /usr/bin/python3 -c 'import json, sys
print(" ".join(sorted(r["params"].get("CacheClusterId", "-") for r in json.load(sys.stdin) if "CacheClusterId" in r["params"])))')
    [ "$singles" = "big-0001-001 big-0001-002 big-0002-001 big-0002-002 big-0003-001 big-0003-002 big-0004-001 big-0004-002" ]
    # the members listed first: the first page holds them all, one call
    run sim_ctl POST /_sim/reset
    [ "$status" -eq 0 ]
    seed_big
    run sim_ctl POST /_sim/fleet '{"clusters": 10000, "add": "after", "prefix": "near"}'
    [ "$status" -eq 0 ]
    check -G big --probe-timeout 1
    [ "$status" -eq 2 ]
    assert_big_critical
    [ "$(sim_count DescribeCacheClusters)" -eq 1 ]
}
