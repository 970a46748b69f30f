#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# `elasticache wait cache-cluster-available`: silent success, and AWS CLI
# v2's failure texts and exit status 255.

load helpers

setup_file() { cli_setup_file; }
teardown_file() { cli_teardown_file; }
setup() { cli_reset; }

@test "an available cluster: nothing printed, 0, as aws" {
    same_as_aws wait cache-cluster-available --cache-cluster-id demo-memcached
    [ "$ec_status" -eq 0 ]
    [ ! -s "$EC_TMP/ec.out" ]
    [ ! -s "$EC_TMP/ec.err" ]
    [ "$(sim_count DescribeCacheClusters)" -eq 2 ]
}

@test "a rebooting cluster: waits until it is available again" {
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001
    [ "$ec_status" -eq 0 ]
    [ "$(sim_cluster_status demo-memcached)" = "rebooting cache cluster nodes" ]
    ec wait cache-cluster-available --cache-cluster-id demo-memcached --delay 0.3
    show
    [ "$ec_status" -eq 0 ]
    [ ! -s "$EC_TMP/ec.out" ]
    [ "$(sim_cluster_status demo-memcached)" = available ]
    [ "$(sim_count DescribeCacheClusters)" -ge 2 ]
}

@test "a deleting cluster: terminal failure, 255, the same text as aws" {
    sim_ctl POST /_sim/clusters/fleet-002/state '{"status":"deleting"}' >/dev/null
    same_as_aws wait cache-cluster-available --cache-cluster-id fleet-002
    [ "$ec_status" -eq 255 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
    grep -qx 'Waiter CacheClusterAvailable failed: Waiter encountered a terminal failure state: For expression "CacheClusters\[\].CacheClusterStatus" we matched expected path: "deleting" at least once' "$EC_TMP/ec.err"
}

@test "an unknown cluster: the waiter fails with the service error, 255, as aws" {
    same_as_aws wait cache-cluster-available --cache-cluster-id no-such-cluster
    [ "$ec_status" -eq 255 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
}

@test "out of attempts: 'Max attempts exceeded', 255" {
    sim_ctl POST /_sim/clusters/fleet-003/state '{"status":"modifying"}' >/dev/null
    ec wait cache-cluster-available --cache-cluster-id fleet-003 --delay 0.2 --max-attempts 3
    show
    [ "$ec_status" -eq 255 ]
    grep -qx 'Waiter CacheClusterAvailable failed: Max attempts exceeded' "$EC_TMP/ec.err"
    [ "$(sim_count DescribeCacheClusters)" -eq 3 ]
}

@test "bad --delay or --max-attempts: 252, no call" {
    ec wait cache-cluster-available --cache-cluster-id fleet-003 --delay 0
    [ "$ec_status" -eq 252 ]
    ec wait cache-cluster-available --cache-cluster-id fleet-003 --max-attempts x
    [ "$ec_status" -eq 252 ]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "wait without a waiter name, or an unknown one: 252" {
    ec wait
    show
    [ "$ec_status" -eq 252 ]
    ec wait cache-cluster-gone
    [ "$ec_status" -eq 252 ]
    grep -q 'Invalid choice' "$EC_TMP/ec.err"
}
