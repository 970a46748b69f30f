#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# `elasticache describe-cache-clusters` and `describe-events` against the
# simulator: the same stdout and exit status as /usr/bin/aws for the same
# arguments, and the paging calls the AWS CLI makes.

load helpers

setup_file() { cli_setup_file; }
teardown_file() { cli_teardown_file; }
setup() { cli_reset; }

@test "describe-cache-clusters: every cluster over every page, as aws prints it" {
    same_as_aws describe-cache-clusters
    [ "$(jlen "$EC_TMP/ec.out" CacheClusters)" -eq 30 ]
    [ "$(grep -c '"Marker"' "$EC_TMP/ec.out")" -eq 0 ]
}

@test "describe-cache-clusters --show-cache-node-info, one cluster, as aws" {
    same_as_aws describe-cache-clusters --cache-cluster-id demo-memcached --show-cache-node-info
    [ "$(jget "$EC_TMP/ec.out" CacheClusters.0.CacheNodes.2.CacheNodeId)" = 0003 ]
}

@test "describe-cache-clusters --no-show-cache-node-info and --opt=value forms, as aws" {
    same_as_aws describe-cache-clusters --cache-cluster-id=big-memcached --no-show-cache-node-info
    [ "$(grep -c '"CacheClusterId": "big-memcached"' "$EC_TMP/ec.out")" -eq 1 ]
    [ "$(grep -c '"CacheNodes"' "$EC_TMP/ec.out")" -eq 0 ]
}

@test "describe-cache-clusters --show-cache-clusters-not-in-replication-groups, as aws" {
    same_as_aws describe-cache-clusters --show-cache-clusters-not-in-replication-groups
    [ "$(jlen "$EC_TMP/ec.out" CacheClusters)" -gt 0 ]
    [ "$(grep -c '"ReplicationGroupId"' "$EC_TMP/ec.out")" -eq 0 ]
}

@test "describe-cache-clusters --page-size 20: two calls, one list, as aws" {
    sim_ctl DELETE /_sim/requests >/dev/null
    ec describe-cache-clusters --page-size 20
    show
    [ "$ec_status" -eq 0 ]
    [ "$(sim_count DescribeCacheClusters)" -eq 2 ]
    [ "$(jlen "$EC_TMP/ec.out" CacheClusters)" -eq 30 ]
    sim_ctl DELETE /_sim/requests >/dev/null
    same_as_aws describe-cache-clusters --page-size 20
    [ "$(sim_count DescribeCacheClusters)" -eq 4 ]
    # Both sent MaxRecords=20 and followed the Marker.
    [ "$(curl -sS "$SIM_URL/_sim/requests" | grep -c '"MaxRecords": "20"')" -eq 4 ]
}

@test "describe-cache-clusters --max-records 20: one page with its Marker, as aws" {
    same_as_aws describe-cache-clusters --max-records 20
    [ "$(jlen "$EC_TMP/ec.out" CacheClusters)" -eq 20 ]
    [ -n "$(jget "$EC_TMP/ec.out" Marker)" ]
}

@test "describe-cache-clusters --marker M: the next page only, as aws" {
    ec describe-cache-clusters --max-records 20
    [ "$ec_status" -eq 0 ]
    marker=$(jget "$EC_TMP/ec.out" Marker)
    same_as_aws describe-cache-clusters --marker "$marker"
    [ "$(jlen "$EC_TMP/ec.out" CacheClusters)" -eq 10 ]
}

@test "describe-cache-clusters --no-paginate --max-records 20, as aws" {
    same_as_aws describe-cache-clusters --no-paginate --max-records 20
    [ -n "$(jget "$EC_TMP/ec.out" Marker)" ]
}

@test "describe-cache-clusters --max-items: same NextToken as aws, and aws's token resumes ours" {
    same_as_aws describe-cache-clusters --max-items 7
    token=$(jget "$EC_TMP/ec.out" NextToken)
    [ -n "$token" ]
    same_as_aws describe-cache-clusters --max-items 25 --page-size 20
    token=$(jget "$EC_TMP/aws.out" NextToken)
    same_as_aws describe-cache-clusters --starting-token "$token" --max-items 3
    same_as_aws describe-cache-clusters --starting-token "$token"
    [ "$(jlen "$EC_TMP/ec.out" CacheClusters)" -eq 5 ]
    same_as_aws describe-cache-clusters --max-items 20 --page-size 20
    same_as_aws describe-cache-clusters --max-items 100
}

@test "describe-cache-clusters of an unknown cluster: 254 and the AWS CLI's message" {
    same_as_aws describe-cache-clusters --cache-cluster-id no-such-cluster
    [ "$ec_status" -eq 254 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
    [ "$(head -1 "$EC_TMP/ec.err")" = "" ]
    grep -qx 'An error occurred (CacheClusterNotFound) when calling the DescribeCacheClusters operation: CacheCluster not found: no-such-cluster' "$EC_TMP/ec.err"
}

@test "describe-events: all events, and filtered, as aws" {
    sim_ctl POST /_sim/clusters/fleet-001/pending-reboot '{"nodes":["0001"]}' >/dev/null
    awsc reboot-cache-cluster --cache-cluster-id fleet-001 --cache-node-ids-to-reboot 0001
    [ "$aws_status" -eq 0 ]
    # The restart event is written when the reboot is over.
    sim_wait_cluster_status fleet-001 available
    same_as_aws describe-events
    same_as_aws describe-events --source-identifier fleet-001 --source-type cache-cluster
    grep -q 'Cache node 0001 restarted' "$EC_TMP/ec.out"
    same_as_aws describe-events --source-identifier fleet-001 --source-type cache-cluster --duration 60
    same_as_aws describe-events --source-type cache-cluster --start-time 2020-01-01T00:00:00Z --end-time 2099-01-01T00:00:00Z
    same_as_aws describe-events --max-records 20
    same_as_aws describe-events --max-items 1
}

@test "describe-events with a bad --start-time: 252 before any call" {
    ec describe-events --start-time yesterday-ish
    show
    [ "$ec_status" -eq 252 ]
    grep -q 'argument --start-time' "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 0 ]
}

@test "--no-paginate with --page-size, --max-items: 252 as aws" {
    same_as_aws describe-cache-clusters --no-paginate --page-size 20 --max-items 3
    [ "$ec_status" -eq 252 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
    same_as_aws describe-cache-clusters --marker x --starting-token y
    [ "$ec_status" -eq 252 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
}
