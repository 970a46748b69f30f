#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Simulator fault injection, seen through the real AWS CLI v2 (standard retry
# mode, 3 attempts) and raw clients.

load ../../lib/common

DATA=$EC_REPO/tests/data/sim

setup_file() {
    sim_start --reboot-seconds 30
}

teardown_file() {
    sim_stop
}

setup() {
    sim_reset
}

statuses() {
    sim_ctl GET "/_sim/requests${1:+?action=$1}" |
        /usr/bin/python3 -c 'import json,sys; print(" ".join("%s/%s" % (r["status"], r["fault"]) for r in json.load(sys.stdin)))'
}

@test "throttle twice: the CLI retries and succeeds on the third attempt" {
    sim_ctl POST /_sim/fault '{"action": "DescribeCacheClusters", "kind": "throttle", "count": 2}'
    run sim_aws describe-cache-clusters --cache-cluster-id demo-redis --query 'CacheClusters[0].CacheClusterStatus' --output text
    [ "$status" -eq 0 ]
    [ "$output" = available ]
    [ "$(sim_count DescribeCacheClusters)" -eq 3 ]
    [ "$(statuses)" = "400/throttle 400/throttle 200/None" ]
}

@test "throttle every attempt: the CLI gives up with AWS's text after 3 attempts" {
    sim_ctl POST /_sim/fault '{"kind": "throttle", "count": -1}'
    run sim_aws describe-cache-clusters
    [ "$status" -eq 254 ]
    want=$(grep 'An error occurred' "$DATA/error-throttling.awscli-2.9.19.stderr.txt")
    [ "$(grep 'An error occurred' <<<"$output")" = "$want" ]
    [ "$(sim_count DescribeCacheClusters)" -eq 3 ]
}

@test "503 once: retried; a non-retryable 400 error is not" {
    sim_ctl POST /_sim/fault '{"kind": "error", "status": 503, "code": "ServiceUnavailable", "count": 1}'
    run sim_aws describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    [ "$(statuses)" = "503/error 200/None" ]
    sim_ctl DELETE /_sim/requests
    sim_ctl POST /_sim/fault '{"kind": "error", "status": 400, "code": "InvalidParameterCombination", "message": "injected", "count": 1}'
    run sim_aws describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 254 ]
    [[ $output == *"An error occurred (InvalidParameterCombination) when calling the DescribeCacheClusters operation: injected"* ]]
    [ "$(sim_count DescribeCacheClusters)" -eq 1 ]
}

@test "faults match their action only, and DELETE /_sim/fault clears them" {
    sim_ctl POST /_sim/fault '{"action": "RebootCacheCluster", "kind": "error", "status": 500, "code": "InternalFailure", "count": -1}'
    run sim_aws describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    run sim_aws reboot-cache-cluster --cache-cluster-id demo-redis --cache-node-ids-to-reboot 0001
    [ "$status" -eq 254 ]
    [[ $output == *"(InternalFailure)"*"(reached max retries: 2)"* ]]
    [ "$(sim_cluster_status demo-redis)" = available ]
    sim_ctl DELETE /_sim/fault
    run sim_aws reboot-cache-cluster --cache-cluster-id demo-redis --cache-node-ids-to-reboot 0001
    [ "$status" -eq 0 ]
}

@test "connection reset: the CLI retries and succeeds" {
    sim_ctl POST /_sim/fault '{"kind": "reset", "count": 1}'
    run sim_aws describe-cache-clusters --cache-cluster-id demo-redis --query 'CacheClusters[0].CacheClusterId' --output text
    [ "$status" -eq 0 ]
    [ "$output" = demo-redis ]
    [ "$(statuses)" = "reset/reset 200/None" ]
}

@test "connection reset is a real RST (curl: connection reset or empty reply)" {
    sim_ctl POST /_sim/fault '{"kind": "reset", "count": 1}'
    run /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_URL" --action DescribeCacheClusters
    [ "$status" -ne 0 ]
    [[ $output == *ConnectionResetError* || $output == *RemoteDisconnected* ]]
}

@test "truncated body: the Content-Length promises more than arrives" {
    sim_ctl POST /_sim/fault '{"kind": "truncate", "count": 1}'
    run /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_URL" --action DescribeCacheClusters
    [ "$status" -ne 0 ]
    [[ $output == *IncompleteRead* ]]
    [ "$(statuses)" = "truncated/truncate" ]
}

@test "malformed XML with 200: the AWS CLI reports an unparsable response" {
    sim_ctl POST /_sim/fault '{"kind": "malformed", "count": 1}'
    run sim_aws describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 255 ]
    [[ $output == *"Unable to parse response"* ]]
}

@test "delay longer than the read timeout: the attempt times out and the retry succeeds" {
    sim_ctl POST /_sim/fault '{"kind": "delay", "seconds": 4, "count": 1}'
    run sim_aws --cli-read-timeout 2 describe-cache-clusters --cache-cluster-id demo-redis --query 'CacheClusters[0].CacheClusterId' --output text
    [ "$status" -eq 0 ]
    [ "$output" = demo-redis ]
    [ "$(sim_count DescribeCacheClusters)" -eq 2 ]
}

@test "after_processing reset on reboot: the reboot happens, the answer is lost, a blind retry is refused" {
    sim_ctl POST /_sim/fault '{"action": "RebootCacheCluster", "kind": "reset", "after_processing": true, "count": 1}'
    run sim_aws reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001
    # The CLI retries blindly; the second attempt finds the reboot of the first in progress.
    [ "$status" -eq 254 ]
    [[ $output == *InvalidCacheClusterState* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 2 ]
    [ "$(sim_cluster_status demo-memcached)" = "rebooting cache cluster nodes" ]
    [ "$(sim_node_status demo-memcached 0001)" = rebooting ]
}

@test "without after_processing a failed reboot changes nothing" {
    local n=0
    for kind in reset truncate malformed throttle; do
        sim_ctl POST /_sim/fault "{\"action\": \"RebootCacheCluster\", \"kind\": \"$kind\", \"count\": 1}"
        run /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_URL" --action RebootCacheCluster \
            --param CacheClusterId=demo-memcached --param CacheNodeIdsToReboot.CacheNodeId.1=0001
        echo "$kind -> $status: $output"
        case $kind in
            reset) [[ $output == *ConnectionResetError* || $output == *RemoteDisconnected* ]] ;;
            truncate) [[ $output == *IncompleteRead* ]] ;;
            malformed) [[ $output == *'"status": 200'* ]] ;;
            throttle) [[ $output == *'"status": 400'* && $output == *Throttling* ]] ;;
        esac
        n=$((n + 1))
        # The reboot reached the sim, met the fault ...
        [ "$(sim_count RebootCacheCluster)" -eq "$n" ]
        [[ $(statuses RebootCacheCluster) == *"/$kind" ]]
        # ... and changed nothing.
        [ "$(sim_cluster_status demo-memcached)" = available ]
    done
}

@test "after_processing truncate and malformed keep the state change" {
    sim_ctl POST /_sim/fault '{"action": "RebootCacheCluster", "kind": "truncate", "after_processing": true, "count": 1}'
    run /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_URL" --action RebootCacheCluster \
        --param CacheClusterId=demo-memcached --param CacheNodeIdsToReboot.CacheNodeId.1=0002
    [[ $output == *IncompleteRead* ]]
    [ "$(sim_node_status demo-memcached 0002)" = rebooting ]
    sim_ctl POST /_sim/fault '{"action": "RebootCacheCluster", "kind": "malformed", "after_processing": true, "count": 1}'
    run /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_URL" --action RebootCacheCluster \
        --param CacheClusterId=demo-redis --param CacheNodeIdsToReboot.CacheNodeId.1=0001
    [[ $output == *'"status": 200'* ]]
    [ "$(sim_node_status demo-redis 0001)" = rebooting ]
}

@test "html and empty: a 200 that is no answer, with or without the state change" {
    local kind
    for kind in html empty; do
        sim_reset
        sim_ctl POST /_sim/fault "{\"action\": \"RebootCacheCluster\", \"kind\": \"$kind\", \"count\": 1}"
        run /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_URL" --action RebootCacheCluster \
            --param CacheClusterId=demo-memcached --param CacheNodeIdsToReboot.CacheNodeId.1=0001
        echo "$kind -> $status: $output"
        [[ $output == *'"status": 200'* ]]
        [[ $output != *RebootCacheClusterResponse* ]]
        [ "$(sim_cluster_status demo-memcached)" = available ]
        sim_ctl POST /_sim/fault "{\"action\": \"RebootCacheCluster\", \"kind\": \"$kind\", \"after_processing\": true, \"count\": 1}"
        run /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_URL" --action RebootCacheCluster \
            --param CacheClusterId=demo-memcached --param CacheNodeIdsToReboot.CacheNodeId.1=0001
        [[ $output == *'"status": 200'* ]]
        [ "$(sim_node_status demo-memcached 0001)" = rebooting ]
    done
}

@test "after_processing delay: the state changes before the slow answer" {
    sim_ctl POST /_sim/fault '{"action": "RebootCacheCluster", "kind": "delay", "seconds": 8, "after_processing": true, "count": 1}'
    /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_URL" --action RebootCacheCluster \
        --param CacheClusterId=demo-redis --param CacheNodeIdsToReboot.CacheNodeId.1=0001 >"$BATS_TEST_TMPDIR/out" 3>&- &
    pid=$!
    # The state changes as soon as the request is processed; the answer
    # comes 8 s later.
    sim_wait_cluster_status demo-redis "rebooting cache cluster nodes"
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    # the answer is still pending: logged without a status, client waiting
    [ "$(sim_ctl GET /_sim/requests | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["status"])')" = None ]
    kill -0 "$pid"
    wait "$pid"
    grep -q '"status": 200' "$BATS_TEST_TMPDIR/out"
}

@test "skip: the first matching requests pass, then the fault applies" {
    sim_ctl POST /_sim/fault '{"action": "DescribeCacheClusters", "kind": "throttle", "skip": 2, "count": 1}'
    # Another action does not use up the skip.
    for action in DescribeEvents DescribeCacheClusters DescribeCacheClusters DescribeCacheClusters DescribeCacheClusters; do
        run /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_URL" --action "$action"
        [ "$status" -eq 0 ]
    done
    [ "$(statuses)" = "200/None 200/None 200/None 400/throttle 200/None" ]
}

@test "bad fault specs are refused" {
    run sim_ctl POST /_sim/fault '{"kind": "explode"}'
    [ "$status" -ne 0 ]
    run sim_ctl POST /_sim/fault '{"kind": "throttle", "skip": -1}'
    [ "$status" -ne 0 ]
    run sim_ctl POST /_sim/fault '{"kind": "throttle", "action": "DeleteCacheCluster"}'
    [ "$status" -ne 0 ]
}
