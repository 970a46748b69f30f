#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# `--output json` with no --query prints the struct through the direct
# writer (describe.c); --query and the other formats go through the jansson
# tree. Both must print what /usr/bin/aws prints, on a full page, on a page
# with a Marker, and when a first page fetched for the direct writer turns
# out to need the paginator (never fetched twice).

load helpers

setup_file() { cli_setup_file; }
teardown_file() { cli_teardown_file; }
setup() { cli_reset; }

@test "a full 100-cluster page with node info: direct writer, --query @ and aws agree" {
    sim_ctl POST /_sim/fleet '{"clusters": 100, "nodes": 3, "ports": [901, 902]}' >/dev/null
    same_as_aws describe-cache-clusters --show-cache-node-info
    [ "$(jlen "$EC_TMP/ec.out" CacheClusters)" -eq 100 ]
    cp "$EC_TMP/ec.out" "$EC_TMP/direct.out"
    ec describe-cache-clusters --show-cache-node-info --query @
    [ "$ec_status" -eq 0 ]
    cmp "$EC_TMP/direct.out" "$EC_TMP/ec.out"
}

@test "paging on, 101 clusters: the first page is fetched once, then merged as aws" {
    sim_ctl POST /_sim/fleet '{"clusters": 101}' >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
    ec describe-cache-clusters
    show
    [ "$ec_status" -eq 0 ]
    [ "$(sim_count DescribeCacheClusters)" -eq 2 ]
    [ "$(jlen "$EC_TMP/ec.out" CacheClusters)" -eq 101 ]
    same_as_aws describe-cache-clusters
}

@test "--no-paginate on a page with a Marker: the direct writer prints it, as aws" {
    sim_ctl POST /_sim/fleet '{"clusters": 101}' >/dev/null
    same_as_aws describe-cache-clusters --no-paginate
    [ "$(grep -c '"Marker"' "$EC_TMP/ec.out")" -eq 1 ]
    [ "$(jlen "$EC_TMP/ec.out" CacheClusters)" -eq 100 ]
}

@test "describe-events and describe-replication-groups: direct writer as aws" {
    same_as_aws describe-events
    [ "$(grep -c '"SourceIdentifier"' "$EC_TMP/ec.out")" -ge 1 ]
    same_as_aws describe-replication-groups
    [ "$(grep -c '"ReplicationGroupId"' "$EC_TMP/ec.out")" -ge 1 ]
}
