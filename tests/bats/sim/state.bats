#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Simulator state machine, eventual consistency, node hook, control API and
# process lifecycle.

load ../../lib/common

setup() {
    sim_start --reboot-seconds 2
}

teardown() {
    sim_stop
}

pyjson() {
    /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

# Wait (at most $2 s) until process $1 has exited: gone, or a zombie its
# parent has not reaped yet (kill -0 still succeeds on one).
wait_exited() {
    local i st
    for ((i = 0; i < ${2:-30} * 10; i++)); do
        st=$(ps -o stat= -p "$1") || return 0
        [[ $st == Z* ]] && return 0
        sleep 0.1
    done
    echo "process $1 still runs after ${2:-30} s" >&2
    return 1
}

cluster_json() {
    sim_ctl GET "/_sim/clusters/$1"
}

@test "reboot: rebooting for reboot_seconds, then available with a restart event per node" {
    t0=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    # Long enough for two AWS CLI start-ups on a busy machine (seconds each).
    sim_ctl POST /_sim/config '{"reboot_seconds": 12}'
    run sim_aws reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001 0003
    [ "$status" -eq 0 ]
    [ "$(sim_cluster_status demo-memcached)" = "rebooting cache cluster nodes" ]
    [ "$(sim_node_status demo-memcached 0001)" = rebooting ]
    [ "$(sim_node_status demo-memcached 0002)" = available ]
    [ "$(sim_node_status demo-memcached 0003)" = rebooting ]
    # describe sees it too (no lag configured)
    run sim_aws describe-cache-clusters --cache-cluster-id demo-memcached --query 'CacheClusters[0].CacheClusterStatus' --output text
    [ "$output" = "rebooting cache cluster nodes" ]
    sim_wait_cluster_status demo-memcached available 60
    [ "$(sim_node_status demo-memcached 0001)" = available ]
    [ "$(sim_node_status demo-memcached 0003)" = available ]
    run sim_aws describe-events --source-type cache-cluster --source-identifier demo-memcached --start-time "$t0" --output json
    [ "$(pyjson 'sorted(e["Message"] for e in d["Events"])' <<<"$output")" = "['Cache node 0001 restarted', 'Cache node 0003 restarted']" ]
    [ "$(pyjson 'set(e["SourceType"] for e in d["Events"])' <<<"$output")" = "{'cache-cluster'}" ]
}

@test "reboot clears pending-reboot for the rebooted nodes only" {
    sim_ctl POST /_sim/clusters/pending-memcached/pending-reboot '{"nodes": ["0001"]}'
    c=$(cluster_json pending-memcached)
    [ "$(pyjson 'd["CacheParameterGroup"]["CacheNodeIdsToReboot"]' <<<"$c")" = "['0001', '0002']" ]
    run sim_aws reboot-cache-cluster --cache-cluster-id pending-memcached --cache-node-ids-to-reboot 0002
    [ "$status" -eq 0 ]
    sim_wait_cluster_status pending-memcached available
    c=$(cluster_json pending-memcached)
    [ "$(pyjson 'd["CacheParameterGroup"]["ParameterApplyStatus"]' <<<"$c")" = pending-reboot ]
    [ "$(pyjson 'd["CacheParameterGroup"]["CacheNodeIdsToReboot"]' <<<"$c")" = "['0001']" ]
    [ "$(pyjson '[n["ParameterGroupStatus"] for n in d["CacheNodes"]]' <<<"$c")" = "['pending-reboot', 'in-sync']" ]
    run sim_aws reboot-cache-cluster --cache-cluster-id pending-memcached --cache-node-ids-to-reboot 0001
    [ "$status" -eq 0 ]
    sim_wait_cluster_status pending-memcached available
    c=$(cluster_json pending-memcached)
    [ "$(pyjson 'd["CacheParameterGroup"]["ParameterApplyStatus"]' <<<"$c")" = in-sync ]
    [ "$(pyjson 'd["CacheParameterGroup"]["CacheNodeIdsToReboot"]' <<<"$c")" = "[]" ]
    [ "$(pyjson '[n["ParameterGroupStatus"] for n in d["CacheNodes"]]' <<<"$c")" = "['in-sync', 'in-sync']" ]
}

@test "the default fixture's pending-memcached is pending-reboot on node 0002" {
    run sim_aws describe-cache-clusters --cache-cluster-id pending-memcached --show-cache-node-info --output json
    [ "$(pyjson 'd["CacheClusters"][0]["CacheParameterGroup"]["ParameterApplyStatus"]' <<<"$output")" = pending-reboot ]
    [ "$(pyjson 'd["CacheClusters"][0]["CacheParameterGroup"]["CacheNodeIdsToReboot"]' <<<"$output")" = "['0002']" ]
    [ "$(pyjson '[n["ParameterGroupStatus"] for n in d["CacheClusters"][0]["CacheNodes"]]' <<<"$output")" = "['in-sync', 'pending-reboot']" ]
}

# DescribeCacheClusters of demo-redis through simclient (plain botocore
# signing): "CLUSTER-STATUS NODE-STATUS".
described_status() {
    /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_URL" --action DescribeCacheClusters \
        --param CacheClusterId=demo-redis --param ShowCacheNodeInfo=true |
        sed -n 's:.*<CacheClusterStatus>\([^<]*\)</CacheClusterStatus>.*<CacheNodeStatus>\([^<]*\)</CacheNodeStatus>.*:\1 \2:p'
}

described_rebooting() { [ "$(described_status)" = "rebooting cache cluster nodes rebooting" ]; }

@test "consistency lag: describe shows the pre-reboot state for the lag, then the truth" {
    # A lag far longer than a client start-up on a busy machine, and a
    # reboot far longer than the lag: what each describe sees depends on
    # the sim's clocks only. Nothing sleeps: the truth is polled for, and
    # must not come before the lag is over.
    sim_ctl POST /_sim/config '{"consistency_lag": 10, "reboot_seconds": 300}'
    t0=$(date +%s.%N)
    run /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_URL" --action RebootCacheCluster \
        --param CacheClusterId=demo-redis --param CacheNodeIdsToReboot.CacheNodeId.1=0001
    [ "$status" -eq 0 ]
    # The reboot answer itself already says rebooting, as AWS's does.
    [[ $output == *"<CacheClusterStatus>rebooting cache cluster nodes</CacheClusterStatus>"* ]]
    [ "$(described_status)" = "available available" ]
    # The control API shows the real state; a second reboot is refused meanwhile.
    [ "$(sim_cluster_status demo-redis)" = "rebooting cache cluster nodes" ]
    run /usr/bin/python3 "$EC_REPO/tests/sim/simclient.py" --url "$SIM_URL" --action RebootCacheCluster \
        --param CacheClusterId=demo-redis --param CacheNodeIdsToReboot.CacheNodeId.1=0001
    [[ $output == *InvalidCacheClusterState* ]]
    wait_until 120 "describe showing the reboot" described_rebooting
    t1=$(date +%s.%N)
    /usr/bin/python3 -c "import sys; d = $t1 - $t0; print('truth after', d); sys.exit(0 if d >= 10 else 1)"
    # And the AWS CLI sees the same.
    run sim_aws describe-cache-clusters --cache-cluster-id demo-redis --show-cache-node-info --query 'CacheClusters[0].[CacheClusterStatus, CacheNodes[0].CacheNodeStatus]' --output text
    [ "$output" = $'rebooting cache cluster nodes\trebooting' ]
}

@test "node hook runs down and up with cluster, node, address and port" {
    sim_stop
    hook=$BATS_TEST_TMPDIR/hook.sh
    printf '#!/bin/sh\necho "$*" >>%s/hook.log\n' "$BATS_TEST_TMPDIR" >"$hook"
    chmod +x "$hook"
    sim_start --reboot-seconds 1 --node-hook "$hook"
    port=$(cluster_json demo-redis | pyjson 'd["CacheNodes"][0]["Endpoint"]["Port"]')
    run sim_aws reboot-cache-cluster --cache-cluster-id demo-redis --cache-node-ids-to-reboot 0001
    [ "$status" -eq 0 ]
    sim_wait_cluster_status demo-redis available
    run cat "$BATS_TEST_TMPDIR/hook.log"
    [ "$output" = "down demo-redis 0001 127.0.0.1 $port
up demo-redis 0001 127.0.0.1 $port" ]
}

@test "the cluster becomes available only after the up hook returned" {
    sim_stop
    # The up hook says it started, then blocks until the test releases it.
    hook=$BATS_TEST_TMPDIR/slow.sh
    dir=$BATS_TEST_TMPDIR
    printf '#!/bin/sh\n[ "$1" = up ] || exit 0\ntouch %s/up-started\nwhile [ ! -e %s/release ]; do sleep 0.05; done\n' \
        "$dir" "$dir" >"$hook"
    chmod +x "$hook"
    sim_start --reboot-seconds 0 --node-hook "$hook"
    run sim_aws reboot-cache-cluster --cache-cluster-id demo-redis --cache-node-ids-to-reboot 0001
    [ "$status" -eq 0 ]
    wait_until 60 "the up hook" test -e "$dir/up-started"
    [ "$(sim_node_status demo-redis 0001)" = rebooting ]
    [ "$(sim_cluster_status demo-redis)" = "rebooting cache cluster nodes" ]
    touch "$dir/release"
    sim_wait_cluster_status demo-redis available
    [ "$(sim_node_status demo-redis 0001)" = available ]
}

@test "control: seed replaces everything, state returns it in the AWS JSON shape" {
    sim_ctl POST /_sim/seed '{"clusters": [{"CacheClusterId": "Only-One", "Engine": "memcached", "CacheClusterStatus": "available", "NumCacheNodes": 1,
        "CacheNodes": [{"CacheNodeId": "0001", "CacheNodeStatus": "available", "Endpoint": {"Address": "127.0.0.1", "Port": 1}}]}],
        "events": [{"SourceIdentifier": "only-one", "SourceType": "cache-cluster", "Message": "hello", "_age_seconds": 10}]}'
    run sim_ctl GET /_sim/state
    [ "$(pyjson '[c["CacheClusterId"] for c in d["clusters"]]' <<<"$output")" = "['only-one']" ]
    [ "$(pyjson '[e["Message"] for e in d["events"]]' <<<"$output")" = "['hello']" ]
    [[ $(pyjson 'd["events"][0]["Date"]' <<<"$output") =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z$ ]]
    run sim_aws describe-cache-clusters --query 'CacheClusters[].CacheClusterId' --output text
    [ "$output" = only-one ]
    run sim_aws describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 254 ]
    run sim_ctl POST /_sim/seed '{"clusters": [{"Engine": "redis"}]}'
    [ "$status" -ne 0 ]
}

@test "control: a fixture with a member the model does not have, or a wrong type, is refused" {
    run sim_ctl POST /_sim/seed '{"clusters": [{"CacheClusterId": "x", "CacheClusterStatuss": "available"}]}'
    [ "$status" -ne 0 ]
    [[ $output == *"CacheClusterStatuss is not a member of CacheCluster"* ]]
    run sim_ctl POST /_sim/seed '{"clusters": [{"CacheClusterId": "x", "NumCacheNodes": "3", "CacheNodes": [{"CacheNodeId": "0001", "Endpoint": {"Port": "11211"}}]}]}'
    [ "$status" -ne 0 ]
    [[ $output == *"NumCacheNodes: expected an integer"* ]]
    [[ $output == *"CacheNodes[0].Endpoint.Port: expected an integer"* ]]
    # nothing was replaced
    [ "$(sim_cluster_status demo-redis)" = available ]
}

@test "control: cluster state override is what describe shows, and blocks reboot" {
    sim_ctl POST /_sim/clusters/demo-memcached/state '{"status": "modifying", "nodes": {"0002": "rebooting"}}'
    run sim_aws describe-cache-clusters --cache-cluster-id demo-memcached --show-cache-node-info --query 'CacheClusters[0].[CacheClusterStatus, CacheNodes[1].CacheNodeStatus]' --output text
    [ "$output" = $'modifying\trebooting' ]
    run sim_aws reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001
    [ "$status" -eq 254 ]
    [[ $output == *"Cluster demo-memcached is not in available state (current state: modifying)."* ]]
    run sim_ctl POST /_sim/clusters/no-such/state '{"status": "available"}'
    [ "$status" -ne 0 ]
    run sim_ctl POST /_sim/clusters/demo-memcached/state '{"nodes": {"0009": "rebooting"}}'
    [ "$status" -ne 0 ]
    run sim_ctl GET /_sim/nothing-here
    [ "$status" -ne 0 ]
}

@test "control: the request log has the contract's fields and can be cleared" {
    sim_aws describe-cache-clusters --cache-cluster-id demo-redis --show-cache-node-info >/dev/null
    run sim_aws reboot-cache-cluster --cache-cluster-id demo-redis --cache-node-ids-to-reboot 0009
    [ "$status" -eq 254 ]
    run sim_ctl GET /_sim/requests
    [ "$(pyjson 'sorted(set(["seq","time","action","params","status","error_code","signature","headers"]) - set(d[0]))' <<<"$output")" = "[]" ]
    [ "$(pyjson '[(r["seq"], r["action"], r["status"], r["error_code"], r["signature"]) for r in d]' <<<"$output")" = "[(1, 'DescribeCacheClusters', 200, None, 'ok'), (2, 'RebootCacheCluster', 400, 'InvalidParameterValue', 'ok')]" ]
    [ "$(pyjson 'd[0]["params"]' <<<"$output")" = "{'CacheClusterId': 'demo-redis', 'ShowCacheNodeInfo': 'true'}" ]
    [ "$(pyjson 'd[1]["params"]' <<<"$output")" = "{'CacheClusterId': 'demo-redis', 'CacheNodeIdsToReboot': ['0009']}" ]
    [[ $(pyjson 'd[0]["headers"]["Authorization"]' <<<"$output") == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"* ]]
    [ "$(sim_count '*')" -eq 2 ]
    [ "$(sim_count DescribeEvents)" -eq 0 ]
    sim_ctl DELETE /_sim/requests
    [ "$(sim_count '*')" -eq 0 ]
}

@test "control: config changes reboot_seconds at run time" {
    run sim_ctl POST /_sim/config '{"reboot_seconds": 0.2}'
    [ "$(pyjson 'd["reboot_seconds"]' <<<"$output")" = 0.2 ]
    sim_aws reboot-cache-cluster --cache-cluster-id fleet-001 --cache-node-ids-to-reboot 0001 >/dev/null
    sim_wait_cluster_status fleet-001 available
    run sim_ctl POST /_sim/config '{"reboot_seconds": -1}'
    [ "$status" -ne 0 ]
}

@test "concurrent requests: parallel reboots of 25 clusters all succeed; racing reboots of one cluster succeed once" {
    # The reboots must really race: every thread builds its boto3 client
    # first (each loads and parses the service model, seconds of CPU on a
    # busy machine), then all send at once from a barrier. And the cluster
    # stays rebooting far longer than any thread can lag behind: with the
    # 2 s of setup, the ten requests to demo-redis, spread over ~1 s on an
    # idle machine and over 2 s on a loaded one, let a late thread find
    # the first reboot finished and reboot again ("25 2 8").
    sim_ctl POST /_sim/config '{"reboot_seconds": 300}' >/dev/null
    run /usr/bin/python3 - "$SIM_URL" <<'EOF'
import sys, threading, boto3, botocore.config
url = sys.argv[1]
N = 35
def client():
    return boto3.session.Session(aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region_name="us-east-1").client(
        "elasticache", endpoint_url=url, config=botocore.config.Config(
            retries={"max_attempts": 1}, connect_timeout=120, read_timeout=120))
def code(e):
    return getattr(e, "response", {}).get("Error", {}).get("Code", repr(e))
results = []
lock = threading.Lock()
start = threading.Barrier(N, timeout=300)
def reboot(cid):
    try:
        c = client()
    except Exception as e:
        start.abort()
        r = "no client: %r" % e
    else:
        try:
            start.wait()
            c.reboot_cache_cluster(CacheClusterId=cid, CacheNodeIdsToReboot=["0001"])
            r = "ok"
        except Exception as e:
            r = code(e)
        try:
            c.describe_cache_clusters()
        except Exception as e:
            r += " describe: " + code(e)
    with lock:
        results.append((cid, r))
ts = [threading.Thread(target=reboot, args=("fleet-%03d" % i,)) for i in range(1, 26)]
ts += [threading.Thread(target=reboot, args=("demo-redis",)) for _ in range(10)]
[t.start() for t in ts]
[t.join() for t in ts]
fleet = sorted(r for cid, r in results if cid.startswith("fleet"))
redis = sorted(r for cid, r in results if cid == "demo-redis")
print("results:", sorted(results))
print(len(results), fleet.count("ok"), redis.count("ok"), redis.count("InvalidCacheClusterState"))
EOF
    echo "$output"
    [ "$status" -eq 0 ]
    [ "${lines[-1]}" = "35 25 1 9" ]
    [ "$(sim_count RebootCacheCluster)" -eq 35 ]
}

@test "lifecycle: SIGTERM stops the sim and frees its ports" {
    pid=$SIM_PID
    url=$SIM_URL
    kill -TERM "$pid"
    wait_exited "$pid"
    # It is this shell's child: reap it; a clean stop exits 0.
    wait "$pid"
    run ! kill -0 "$pid"
    run curl -sS "$url/_sim/state"
    [ "$status" -ne 0 ]
}

@test "lifecycle: the sim exits when the shell that started it is gone (--watch-pid)" {
    BATS_TEST_FILENAME=x bash -c 'source "$EC_REPO/tests/lib/common.bash"; sim_start >/dev/null; echo $SIM_PID >"$1"' _ "$BATS_TEST_TMPDIR/pid" 3>&-
    pid=$(cat "$BATS_TEST_TMPDIR/pid")
    [ -n "$pid" ]
    wait_exited "$pid"
}

@test "lifecycle: a bad fixture makes sim_start fail loudly and fast" {
    echo '{"clusters": [{"CacheClusterId": "x"}, {"CacheClusterId": "X"}]}' >"$BATS_TEST_TMPDIR/bad.json"
    sim_stop
    run sim_start --fixture "$BATS_TEST_TMPDIR/bad.json"
    [ "$status" -ne 0 ]
    [[ $output == *"duplicate cluster id x"* ]]
}
