#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The waiters on their own: AWS's cache-cluster-available (same acceptors
# and error texts as the AWS CLI) and the reboot-completion waiter.

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

# What `aws elasticache wait cache-cluster-available` printed, minus the
# blank line it starts with.
aws_wait_message() {
    sim_aws wait cache-cluster-available --cache-cluster-id "$1" 2>&1 | sed '/^$/d'
}

@test "cache-cluster-available: an available cluster succeeds on the first poll" {
    sim_fresh
    drive --wait-available --cluster demo-memcached --delay 0.2
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field cluster.status)" = available ]
    [ "$(sim_count DescribeCacheClusters)" -eq 1 ]
}

@test "cache-cluster-available: waits through modifying to available" {
    sim_fresh
    sim_ctl POST /_sim/clusters/demo-redis/state '{"status":"modifying"}'
    # Freed once the waiter has polled "modifying" twice, however long the
    # driver takes to start.
    (
        wait_until 60 "two describes" describes_at_least 2
        sim_ctl POST /_sim/clusters/demo-redis/state '{"status":"available"}' >/dev/null
    ) 3>&- &
    local freer=$!
    drive --wait-available --cluster demo-redis --delay 0.2
    wait "$freer"
    show
    [ "$drive_status" -eq 0 ]
    [ "$(sim_count DescribeCacheClusters)" -ge 3 ]
}

@test "cache-cluster-available: deleted is a terminal failure, worded as the AWS CLI" {
    sim_fresh
    sim_ctl POST /_sim/clusters/demo-redis/state '{"status":"deleted"}'
    drive --wait-available --cluster demo-redis --delay 0.2
    show
    [ "$drive_status" -eq 1 ]
    [ "$(field error.code)" = "waiter reached a failure state" ]
    [ "$(field error.message)" = 'Waiter CacheClusterAvailable failed: Waiter encountered a terminal failure state: For expression "CacheClusters[].CacheClusterStatus" we matched expected path: "deleted" at least once' ]
    [ "$(field error.message)" = "$(aws_wait_message demo-redis)" ]
    [ "$(sim_count DescribeCacheClusters)" -eq 2 ]
}

@test "cache-cluster-available: incompatible-network, deleting and restore-failed fail too" {
    sim_fresh
    local s
    for s in incompatible-network deleting restore-failed; do
        sim_ctl POST /_sim/clusters/demo-redis/state "{\"status\":\"$s\"}" >/dev/null
        drive --wait-available --cluster demo-redis --delay 0.2
        [ "$drive_status" -eq 1 ]
        [ "$(field error.code)" = "waiter reached a failure state" ]
        [ "$(field error.message)" = "$(aws_wait_message demo-redis)" ]
        [[ $(field error.message) == *"\"$s\" at least once" ]]
    done
}

@test "cache-cluster-available: an unknown cluster fails as the AWS CLI's waiter does" {
    sim_fresh
    drive --wait-available --cluster no-such-cluster --delay 0.2
    show
    [ "$drive_status" -eq 1 ]
    [ "$(field error.aws_code)" = CacheClusterNotFound ]
    [ "$(field error.message)" = "$(aws_wait_message no-such-cluster)" ]
}

@test "cache-cluster-available: out of attempts is 'Max attempts exceeded'" {
    sim_fresh
    sim_ctl POST /_sim/clusters/demo-redis/state '{"status":"snapshotting"}'
    drive --wait-available --cluster demo-redis --delay 0.2 --max-attempts 3
    show
    [ "$drive_status" -eq 1 ]
    [ "$(field error.code)" = "waiter timed out" ]
    [ "$(field error.message)" = "Waiter CacheClusterAvailable failed: Max attempts exceeded" ]
    [ "$(sim_count DescribeCacheClusters)" -eq 3 ]
}

@test "reboot waiter: nodes that never restart time out, and are named" {
    sim_fresh
    drive --wait-reboot --cluster demo-memcached --nodes 0001,0003 --since 0s --delay 0.2 --timeout 1
    show
    [ "$drive_status" -eq 1 ]
    [ "$(field error.code)" = "waiter timed out" ]
    [[ $(field error.message) == *"node(s) 0001, 0003 never seen restarting"* ]]
    # Every poll read "available": it asked for restart events each time.
    [ "$(sim_count DescribeEvents)" -ge 2 ]
}

@test "reboot waiter: a reboot started elsewhere is waited for until it is done" {
    sim_fresh --reboot-seconds 2
    sim_aws reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0002 >/dev/null
    drive --wait-reboot --cluster demo-memcached --nodes 0002 --since 10s --delay 0.2 --timeout 30
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field cluster.status)" = available ]
    [ "$(field cluster.nodes.0002)" = available ]
    grep -q '0002=rebooting' "$PROGRESS"
}

@test "reboot waiter: a restart that finished before the first poll counts through its event" {
    sim_fresh --reboot-seconds 0.2
    sim_aws reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001 >/dev/null
    sim_wait_cluster_status demo-memcached available
    drive --wait-reboot --cluster demo-memcached --nodes 0001 --since 30s --delay 0.2 --timeout 5
    show
    [ "$drive_status" -eq 0 ]
    [ "$(sim_count DescribeEvents)" -eq 1 ]
}

@test "reboot waiter: a restart event from before 'since' does not count" {
    sim_fresh
    sim_ctl POST /_sim/events '{"SourceIdentifier":"demo-memcached","Message":"Cache node 0001 restarted","_age_seconds":60}'
    drive --wait-reboot --cluster demo-memcached --nodes 0001 --since 10s --delay 0.2 --timeout 0.5
    show
    [ "$drive_status" -eq 1 ]
    [[ $(field error.message) == *"0001 never seen restarting"* ]]
}

# With --fake-clock the driver sleeps on a virtual clock (the library's
# now/sleep hooks), so AWS-sized delays cost nothing in real time.

@test "virtual clock: cache-cluster-available keeps AWS's 15 s delay and counts attempts" {
    sim_fresh
    sim_ctl POST /_sim/clusters/demo-redis/state '{"status":"modifying"}'
    drive --wait-available --cluster demo-redis --fake-clock --max-attempts 10
    show
    [ "$drive_status" -eq 1 ]
    [ "$(field error.message)" = "Waiter CacheClusterAvailable failed: Max attempts exceeded" ]
    [ "$(field sleeps)" -eq 9 ]
    [ "$(field virtual_seconds)" = 135.0 ]
    [ "$(sim_count DescribeCacheClusters)" -eq 10 ]
}

@test "virtual clock: a busy cluster is polled every delay until the wait budget is spent" {
    sim_fresh
    sim_ctl POST /_sim/clusters/demo-memcached/state '{"status":"snapshotting"}'
    drive --cluster demo-memcached --wait --fake-clock --delay 15 --timeout 240
    show
    [ "$drive_status" -eq 1 ]
    [ "$(field error.code)" = "waiter timed out" ]
    [[ $(field error.message) == "timed out after 240 s waiting for demo-memcached"* ]]
    [ "$(field sleeps)" -eq 16 ]
    [ "$(sim_count DescribeCacheClusters)" -eq 17 ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "reboot waiter: with no node named, it needs to see some reboot" {
    sim_fresh
    drive --wait-reboot --cluster demo-memcached --since 0s --delay 0.2 --timeout 0.6
    show
    [ "$drive_status" -eq 1 ]
    [[ $(field error.message) == *"no node seen restarting"* ]]
}
