#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Simulator fidelity: the real AWS CLI v2 (/usr/bin/aws) against ecsim.
# Everything the CLI prints here is what it would print against ElastiCache.

load ../../lib/common

DATA=$EC_REPO/tests/data/sim

setup_file() {
    sim_start --reboot-seconds 1
}

teardown_file() {
    sim_stop
}

setup() {
    sim_reset
}

# jq is not required: small JSON queries go through Debian's python.
pyjson() {
    /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

@test "describe-cache-clusters for one cluster with node info" {
    run sim_aws describe-cache-clusters --cache-cluster-id demo-memcached --show-cache-node-info
    [ "$status" -eq 0 ]
    [ "$(pyjson 'd["CacheClusters"][0]["CacheClusterId"]' <<<"$output")" = demo-memcached ]
    [ "$(pyjson 'd["CacheClusters"][0]["EngineVersion"]' <<<"$output")" = 1.6.17 ]
    [ "$(pyjson '[n["CacheNodeId"] for n in d["CacheClusters"][0]["CacheNodes"]]' <<<"$output")" = "['0001', '0002', '0003']" ]
    [ "$(pyjson 'd["CacheClusters"][0]["CacheNodes"][0]["Endpoint"]["Address"]' <<<"$output")" = 127.0.0.1 ]
    # aws-cli v2 prints timestamps as Python isoformat; the sim sends milliseconds and Z.
    [[ $output == *'"CacheClusterCreateTime": "2023-01-10T09:15:42.512000+00:00"'* ]]
}

@test "CacheNodes only with --show-cache-node-info, as AWS" {
    run sim_aws describe-cache-clusters --cache-cluster-id demo-memcached
    [ "$status" -eq 0 ]
    [[ $output != *'"CacheNodes"'* ]]
    [[ $output == *ConfigurationEndpoint* ]]
}

@test "cluster ids match case-insensitively and come back lowercase" {
    run sim_aws describe-cache-clusters --cache-cluster-id DEMO-Redis
    [ "$status" -eq 0 ]
    [ "$(pyjson 'd["CacheClusters"][0]["CacheClusterId"]' <<<"$output")" = demo-redis ]
    [ "$(pyjson 'd["CacheClusters"][0]["ReplicationGroupId"]' <<<"$output")" = demo-redis-rg ]
}

@test "auto-pagination with --page-size returns every cluster in fixture order" {
    run sim_aws describe-cache-clusters --page-size 20 --query 'CacheClusters[].CacheClusterId' --output json
    [ "$status" -eq 0 ]
    want=$(/usr/bin/python3 -c 'import json,sys; print([c["CacheClusterId"] for c in json.load(open(sys.argv[1]))["clusters"]])' "$EC_REPO/tests/sim/fixtures/default.json")
    [ "$(pyjson 'd' <<<"$output")" = "$want" ]
    [ "$(pyjson 'len(d)' <<<"$output")" -eq 30 ]
    [ "$(sim_count DescribeCacheClusters)" -eq 2 ]
    # Both pages were real Marker round trips.
    run sim_ctl GET '/_sim/requests?action=DescribeCacheClusters'
    [ "$(pyjson '[("Marker" in r["params"], r["params"].get("MaxRecords")) for r in d]' <<<"$output")" = "[(False, '20'), (True, '20')]" ]
}

@test "--max-items gives a NextToken that resumes where it stopped" {
    run sim_aws describe-cache-clusters --max-items 3 --page-size 20
    [ "$status" -eq 0 ]
    [ "$(pyjson 'len(d["CacheClusters"])' <<<"$output")" -eq 3 ]
    token=$(pyjson 'd["NextToken"]' <<<"$output")
    run sim_aws describe-cache-clusters --starting-token "$token" --page-size 20 --query 'CacheClusters[].CacheClusterId' --output json
    [ "$status" -eq 0 ]
    [ "$(pyjson 'd[0]' <<<"$output")" = big-memcached ]
    [ "$(pyjson 'len(d)' <<<"$output")" -eq 27 ]
}

@test "--max-records with --no-paginate returns a Marker; --marker fetches the rest" {
    run sim_aws describe-cache-clusters --max-records 20 --no-paginate
    [ "$status" -eq 0 ]
    [ "$(pyjson 'len(d["CacheClusters"])' <<<"$output")" -eq 20 ]
    marker=$(pyjson 'd["Marker"]' <<<"$output")
    [ -n "$marker" ]
    run sim_aws describe-cache-clusters --max-records 20 --marker "$marker" --no-paginate
    [ "$status" -eq 0 ]
    [ "$(pyjson 'len(d["CacheClusters"])' <<<"$output")" -eq 10 ]
    [ "$(pyjson '"Marker" in d' <<<"$output")" = False ]
}

@test "MaxRecords outside 20..100 is InvalidParameterValue (exit 254)" {
    run sim_aws describe-cache-clusters --max-records 19 --no-paginate
    [ "$status" -eq 254 ]
    [[ $output == *"An error occurred (InvalidParameterValue) when calling the DescribeCacheClusters operation"* ]]
    run sim_aws describe-cache-clusters --max-records 101 --no-paginate
    [ "$status" -eq 254 ]
    run sim_aws describe-cache-clusters --marker garbage --no-paginate
    [ "$status" -eq 254 ]
    [[ $output == *InvalidParameterValue* ]]
}

@test "unknown cluster: exit 254 and exactly AWS's message" {
    run sim_aws describe-cache-clusters --cache-cluster-id no-such-cluster
    [ "$status" -eq 254 ]
    want=$(grep 'An error occurred' "$DATA/error-cache-cluster-not-found.awscli-2.9.19.stderr.txt")
    [ "$(grep 'An error occurred' <<<"$output")" = "$want" ]
    run sim_aws reboot-cache-cluster --cache-cluster-id no-such-cluster --cache-node-ids-to-reboot 0001
    [ "$status" -eq 254 ]
    [[ $output == *"(CacheClusterNotFound) when calling the RebootCacheCluster operation: CacheCluster not found: no-such-cluster"* ]]
}

@test "reboot answers rebooting; a second reboot gets AWS's InvalidCacheClusterState text" {
    ref=$(/usr/bin/python3 -c 'import json,sys; print(json.dumps({"clusters": json.load(open(sys.argv[1]))["CacheClusters"]}))' "$DATA/describe-cache-clusters.queryparser.json")
    sim_ctl POST /_sim/seed "$ref"
    sim_ctl POST /_sim/config '{"reboot_seconds": 60}'
    run sim_aws reboot-cache-cluster --cache-cluster-id my-memcached --cache-node-ids-to-reboot 0001 0002
    [ "$status" -eq 0 ]
    [ "$(pyjson 'd["CacheCluster"]["CacheClusterStatus"]' <<<"$output")" = "rebooting cache cluster nodes" ]
    [ "$(pyjson '[n["CacheNodeStatus"] for n in d["CacheCluster"]["CacheNodes"]]' <<<"$output")" = "['rebooting', 'rebooting']" ]
    run sim_aws reboot-cache-cluster --cache-cluster-id my-memcached --cache-node-ids-to-reboot 0001
    [ "$status" -eq 254 ]
    want=$(grep 'An error occurred' "$DATA/error-invalid-cache-cluster-state.awscli-2.9.19.stderr.txt")
    [ "$(grep 'An error occurred' <<<"$output")" = "$want" ]
}

@test "a node id the cluster does not have is InvalidParameterValue" {
    run sim_aws reboot-cache-cluster --cache-cluster-id demo-redis --cache-node-ids-to-reboot 0002
    [ "$status" -eq 254 ]
    [[ $output == *"(InvalidParameterValue) when calling the RebootCacheCluster operation"*0002* ]]
    [ "$(sim_cluster_status demo-redis)" = available ]
}

@test "a cluster-mode-enabled member rejects RebootCacheCluster and stays available" {
    run sim_aws reboot-cache-cluster --cache-cluster-id cme-redis-0001-001 --cache-node-ids-to-reboot 0001
    [ "$status" -eq 254 ]
    [[ $output == *"(InvalidParameterCombination) when calling the RebootCacheCluster operation"*"cluster mode enabled"* ]]
    [ "$(sim_cluster_status cme-redis-0001-001)" = available ]
}

@test "wait cache-cluster-available returns once the reboot is over" {
    # Longer than the CLI takes to start on a busy machine, so the first poll sees "rebooting".
    sim_ctl POST /_sim/config '{"reboot_seconds": 10}'
    run sim_aws reboot-cache-cluster --cache-cluster-id demo-redis --cache-node-ids-to-reboot 0001
    [ "$status" -eq 0 ]
    [ "$(sim_cluster_status demo-redis)" = "rebooting cache cluster nodes" ]
    # The CLI waiter polls every 15 s: the first poll sees "rebooting", the next "available".
    run timeout 60 /usr/bin/aws --endpoint-url "$SIM_URL" elasticache wait cache-cluster-available --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    [ "$(sim_cluster_status demo-redis)" = available ]
    [ "$(sim_count DescribeCacheClusters)" -ge 2 ]
}

@test "wait cache-cluster-available fails on a deleting cluster (waiter failure acceptor)" {
    sim_ctl POST /_sim/clusters/fleet-001/state '{"status": "deleting"}'
    run timeout 60 /usr/bin/aws --endpoint-url "$SIM_URL" elasticache wait cache-cluster-available --cache-cluster-id fleet-001
    [ "$status" -eq 255 ]
    [[ $output == *"Waiter CacheClusterAvailable failed"* ]]
}

@test "HTTPS with --ca-bundle works; without the sim's CA the CLI refuses" {
    run /usr/bin/aws --endpoint-url "$SIM_HTTPS_URL" --ca-bundle "$SIM_CA" elasticache describe-cache-clusters --cache-cluster-id demo-redis --query 'CacheClusters[0].CacheClusterId' --output text
    [ "$status" -eq 0 ]
    [ "$output" = demo-redis ]
    run /usr/bin/aws --endpoint-url "$SIM_HTTPS_URL" elasticache describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 255 ]
    [[ $output == *"SSL validation failed"* ]]
    # and the certificate is also valid for "localhost"
    port=${SIM_HTTPS_URL##*:}
    run /usr/bin/aws --endpoint-url "https://localhost:$port" --ca-bundle "$SIM_CA" elasticache describe-cache-clusters --cache-cluster-id demo-redis --query 'CacheClusters[0].CacheClusterId' --output text
    [ "$status" -eq 0 ]
}

@test "describe-events: default last hour, newest first, filters" {
    sim_ctl POST /_sim/events '[{"SourceIdentifier": "demo-redis", "SourceType": "cache-cluster", "Message": "old", "_age_seconds": 7200},
        {"SourceIdentifier": "demo-redis", "SourceType": "cache-cluster", "Message": "recent", "_age_seconds": 60},
        {"SourceIdentifier": "default.redis7", "SourceType": "cache-parameter-group", "Message": "pg changed", "_age_seconds": 30}]'
    run sim_aws describe-events --query 'Events[].Message' --output text
    [ "$status" -eq 0 ]
    # the fixture's pending-memcached restart (30 min ago) is in the default hour, "old" is not
    [ "$output" = $'pg changed\trecent\tCache node 0001 restarted' ]
    run sim_aws describe-events --source-type cache-cluster --source-identifier demo-redis --query 'Events[].Message' --output text
    [ "$output" = recent ]
    run sim_aws describe-events --source-identifier demo-redis --duration 180 --query 'Events[].Message' --output text
    [ "$output" = $'recent\told' ]
    start=$(date -u -d '-3 hours' +%Y-%m-%dT%H:%M:%SZ)
    end=$(date -u -d '-90 minutes' +%Y-%m-%dT%H:%M:%SZ)
    run sim_aws describe-events --start-time "$start" --end-time "$end" --query 'Events[].Message' --output text
    [ "$output" = old ]
    # EndTime alone: the hour before it.  Duration is ignored next to StartTime.
    run sim_aws describe-events --end-time "$(date -u -d '-100 minutes' +%Y-%m-%dT%H:%M:%SZ)" --query 'Events[].Message' --output text
    [ "$output" = old ]
    run sim_aws describe-events --source-identifier demo-redis --start-time "$start" --duration 1 --query 'Events[].Message' --output text
    [ "$output" = $'recent\told' ]
    run sim_aws describe-events --source-type no-such-type
    # botocore does not validate enums: the service rejects it
    [ "$status" -eq 254 ]
    [[ $output == *"(InvalidParameterValue) when calling the DescribeEvents operation"* ]]
}

@test "describe-events pages with Marker" {
    evs=$(/usr/bin/python3 -c 'import json; print(json.dumps([{"SourceIdentifier": "fleet-%03d" % i, "SourceType": "cache-cluster", "Message": "Cache node 0001 restarted", "_age_seconds": 100 + i} for i in range(1, 26)]))')
    sim_ctl POST /_sim/events "$evs"
    run sim_aws describe-events --max-records 20 --no-paginate --query 'length(Events)'
    [ "$output" -eq 20 ]
    run sim_aws describe-events --page-size 20 --query 'Events[].SourceIdentifier' --output json
    [ "$status" -eq 0 ]
    [ "$(pyjson 'len(d)' <<<"$output")" -eq 26 ]
    [ "$(pyjson 'd[0]' <<<"$output")" = fleet-001 ]
    [ "$(sim_count DescribeEvents)" -eq 3 ]
}
