#!/usr/bin/env bats
# ec_reboot against the simulator: policies, check mode, busy clusters and
# the waiter that must not be fooled by a lagging "available".

load helpers

setup_file() {
    reboot_setup_file
}

teardown_file() {
    reboot_teardown_file
}

setup() {
    reboot_setup
}

describes_at_least() { [ "$(sim_count DescribeCacheClusters)" -ge "$1" ]; }

@test "reboot with wait returns only after the nodes are back" {
    sim_fresh --reboot-seconds 2
    drive --cluster demo-memcached --nodes 0001,0002 --wait --delay 0.3 --timeout 30
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(field decision)" = reboot ]
    [ "$(field rebooted_node_ids)" = 0001,0002 ]
    [ "$(field before.status)" = available ]
    [ "$(field after.status)" = available ]
    [ "$(field after.nodes.0001)" = available ]
    [ "$(field request_id)" != null ]
    # The sim needs 2 s; returning sooner would mean the wait was fooled.
    /usr/bin/python3 -c "import sys; sys.exit(0 if float('$(field elapsed)') >= 2.0 else 1)"
    grep -q '0001=rebooting' "$PROGRESS"
    [ "$(sim_cluster_status demo-memcached)" = available ]
    [ "$(sim_node_status demo-memcached 0003)" = available ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    # Only the two nodes were sent.
    [ "$(reboot_nodes)" = 0001,0002 ]
}

@test "reboot without wait returns at once with the cluster rebooting" {
    # Nothing waits for it: long enough to be seen rebooting on a busy machine.
    sim_fresh --reboot-seconds 30
    drive --cluster demo-memcached
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(field rebooted_node_ids)" = 0001,0002,0003 ]
    [ "$(field after.status)" = "rebooting cache cluster nodes" ]
    [ "$(sim_cluster_status demo-memcached)" = "rebooting cache cluster nodes" ]
}

@test "with a consistency lag longer than the reboot, the waiter waits for the restart event" {
    sim_fresh --reboot-seconds 2 --consistency-lag 3
    drive --cluster demo-memcached --nodes 0001 --wait --delay 0.3 --timeout 30
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = true ]
    /usr/bin/python3 -c "import sys; sys.exit(0 if float('$(field elapsed)') >= 2.0 else 1)"
    # It read the lagging "available" and did not believe it ...
    grep -q 'not yet seen restarting: 0001' "$PROGRESS"
    # ... and asked for the restart events instead.
    [ "$(sim_count DescribeEvents)" -ge 1 ]
    [ "$(sim_cluster_status demo-memcached)" = available ]
}

@test "with a consistency lag shorter than the reboot, the waiter sees the nodes rebooting" {
    sim_fresh --reboot-seconds 3 --consistency-lag 1
    drive --cluster demo-memcached --nodes 0002 --wait --delay 0.3 --timeout 30
    show
    [ "$drive_status" -eq 0 ]
    /usr/bin/python3 -c "import sys; sys.exit(0 if float('$(field elapsed)') >= 3.0 else 1)"
    grep -q '0002=rebooting' "$PROGRESS"
    [ "$(sim_node_status demo-memcached 0002)" = available ]
}

@test "only_if_pending reboots the pending node once; the second run changes nothing" {
    sim_fresh --reboot-seconds 1
    drive --cluster pending-memcached --only-if-pending --wait --delay 0.2 --timeout 30
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(field rebooted_node_ids)" = 0002 ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    drive --cluster pending-memcached --only-if-pending --wait --delay 0.2 --timeout 30
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = false ]
    [ "$(field decision)" = "nothing pending reboot" ]
    [ "$(field rebooted_node_ids)" = "" ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "a cluster already rebooting is not rebooted again" {
    sim_fresh --reboot-seconds 30
    drive --cluster demo-memcached
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = true ]
    drive --cluster demo-memcached
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = false ]
    [ "$(field decision)" = "already rebooting" ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "already rebooting with wait waits for that reboot to finish" {
    sim_fresh --reboot-seconds 4
    drive --cluster demo-memcached --nodes 0001
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = true ]
    drive --cluster demo-memcached --wait --delay 0.2 --timeout 30
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = false ]
    [ "$(field decision)" = "already rebooting" ]
    [ "$(field after.status)" = available ]
    [ "$(field after.nodes.0001)" = available ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "check mode decides without calling RebootCacheCluster" {
    sim_fresh
    drive --cluster pending-memcached --only-if-pending --check
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(field rebooted_node_ids)" = 0002 ]
    [[ $(field message) == *"check mode"* ]]
    drive --cluster demo-memcached --check --wait
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(field rebooted_node_ids)" = 0001,0002,0003 ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(sim_cluster_status demo-memcached)" = available ]
}

@test "unless_rebooted_since skips nodes restarted since then" {
    sim_fresh --reboot-seconds 1
    drive --cluster demo-memcached --nodes 0001 --wait --delay 0.2 --timeout 30
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = true ]
    drive --cluster demo-memcached --nodes 0001 --unless-rebooted-since 1h
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = false ]
    [ "$(field decision)" = "recently rebooted" ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    # The other nodes have no restart event: they are rebooted.
    drive --cluster demo-memcached --unless-rebooted-since 1h --check
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(field rebooted_node_ids)" = 0002,0003 ]
    [ "$(sim_count DescribeEvents)" -ge 2 ]
}

@test "an old restart event does not count for unless_rebooted_since" {
    sim_fresh
    sim_ctl POST /_sim/events '{"SourceIdentifier":"demo-redis","Message":"Cache node 0001 restarted","_age_seconds":7200}'
    drive --cluster demo-redis --allow-primary-reboot --unless-rebooted-since 1h --check
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(field decision)" = reboot ]
    sim_ctl POST /_sim/events '{"SourceIdentifier":"demo-redis","Message":"Cache node 0001 restarted","_age_seconds":600}'
    drive --cluster demo-redis --allow-primary-reboot --unless-rebooted-since 1h --check
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = false ]
    [ "$(field decision)" = "recently rebooted" ]
}

@test "a busy cluster is reported, not rebooted, without wait" {
    sim_fresh
    sim_ctl POST /_sim/clusters/demo-memcached/state '{"status":"modifying"}'
    drive --cluster demo-memcached
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = false ]
    [ "$(field decision)" = "cluster busy" ]
    [[ $(field message) == *"modifying"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "a busy cluster is waited for, then rebooted, with wait" {
    sim_fresh --reboot-seconds 1
    sim_ctl POST /_sim/clusters/demo-memcached/state '{"status":"modifying"}'
    # Freed once the driver has seen it busy twice (its plan and a wait
    # poll), however long the driver takes to start.
    (
        wait_until 60 "two describes" describes_at_least 2
        sim_ctl POST /_sim/clusters/demo-memcached/state '{"status":"available"}' >/dev/null
    ) 3>&- &
    local freer=$!
    drive --cluster demo-memcached --nodes 0003 --wait --delay 0.3 --timeout 30
    wait "$freer"
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(field decision)" = reboot ]
    [ "$(field before.status)" = modifying ]
    [ "$(field after.status)" = available ]
    grep -q 'modifying, not available' "$PROGRESS"
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "a busy cluster that stays busy ends in a wait timeout" {
    sim_fresh
    sim_ctl POST /_sim/clusters/demo-memcached/state '{"status":"snapshotting"}'
    drive --cluster demo-memcached --wait --delay 0.2 --timeout 1
    show
    [ "$drive_status" -eq 1 ]
    [ "$(field error.code)" = "waiter timed out" ]
    [[ $(field error.message) == *"snapshotting"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "a reboot that outlasts the timeout fails with changed=true" {
    sim_fresh --reboot-seconds 5
    drive --cluster demo-memcached --nodes 0001 --wait --delay 0.2 --timeout 1
    show
    [ "$drive_status" -eq 1 ]
    [ "$(field changed)" = true ]
    [ "$(field error.code)" = "waiter timed out" ]
    [[ $(field error.message) == *"available again"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "unknown node ids are rejected before any reboot call" {
    sim_fresh
    drive --cluster demo-memcached --nodes 0001,0009
    show
    [ "$drive_status" -eq 1 ]
    [ "$(field error.code)" = "invalid argument" ]
    [[ $(field error.message) == *"0009"*"0001, 0002, 0003"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    drive --cluster demo-memcached --nodes 1
    [ "$drive_status" -eq 1 ]
    [ "$(field error.code)" = "invalid argument" ]
    [ "$(sim_count '*')" -eq 1 ]
}

@test "an unknown cluster is the service's CacheClusterNotFound" {
    sim_fresh
    drive --cluster no-such-cluster
    show
    [ "$drive_status" -eq 1 ]
    [ "$(field error.aws_code)" = CacheClusterNotFound ]
}

@test "a cluster-mode-enabled member is unsupported, a clear failure" {
    sim_fresh
    # The group is read first: refused before any reboot call (issue 10),
    # naming AWS's documented alternative.
    drive --cluster cme-redis-0001-001
    show
    [ "$drive_status" -eq 1 ]
    [ "$(field decision)" = unsupported ]
    [ "$(field changed)" = false ]
    [ "$(field error.code)" = "invalid argument" ]
    [[ $(field error.message) == *"cluster mode enabled"*"manual backup"* ]]
    [ "$(field rebooted_node_ids)" = "" ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    # allow_primary_reboot lifts the primary rule, not this one.
    drive --cluster cme-redis-0001-001 --allow-primary-reboot
    show
    [ "$drive_status" -eq 1 ]
    [ "$(field decision)" = unsupported ]
    [ "$(field changed)" = false ]
    [ "$(field error.code)" = "invalid argument" ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "an explicitly empty node list is no node: no call at all" {
    sim_fresh
    drive --cluster demo-memcached --nodes '' --wait
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = false ]
    [ "$(field decision)" = "no nodes asked for" ]
    [ "$(field rebooted_node_ids)" = "" ]
    [ "$(sim_count '*')" -eq 0 ]
}
