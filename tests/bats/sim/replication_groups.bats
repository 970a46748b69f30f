#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The simulator's replication groups (tests/sim/rgsim.py) as the real AWS CLI
# v2 and boto3 see them: both describe calls, ModifyReplicationGroup with its
# rules and modifying period, the failover events, the node hook's primary
# and replicaof calls (with real redis-server members), fixture checks.

load ../../lib/common

FIXTURE=$EC_REPO/tests/sim/fixtures/replication-groups.json
HOOK=$EC_REPO/tests/sim/hooks/redis_node_hook.sh

setup_file() { sim_start --fixture "$FIXTURE" --modify-seconds 1; }
teardown_file() { sim_stop; }
setup() { sim_reset; }

# Real redis-server members (the last test) never outlive their test.
teardown() {
    local f
    for f in "$EC_TMP"/redis/redis.*.pid; do
        [[ -s $f ]] && kill -KILL "$(cat "$f")" 2>/dev/null
        rm -f "$f"
    done
    return 0
}

pyjson() {
    /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

rg() { sim_ctl GET "/_sim/replication-groups/$1"; }
rg_status_is() { [ "$(rg "$1" | pyjson 'd["Status"]')" = "$2" ]; }
wait_rg() { wait_until "${3:-30}" "status $2 of group $1" rg_status_is "$1" "$2"; }
roles() { rg "$1" | pyjson '" ".join("%s=%s" % (m["CacheClusterId"], m.get("CurrentRole")) for ng in d["NodeGroups"] for m in ng["NodeGroupMembers"])'; }

# aws with its output and status kept: $EC_TMP/aws.out, aws.err, $aws_status.
awsc() {
    aws_status=0
    sim_aws "$@" >"$EC_TMP/aws.out" 2>"$EC_TMP/aws.err" </dev/null || aws_status=$?
    cat "$EC_TMP/aws.err" >&2
    return 0
}

# A node hook that records its calls, one per line, in $EC_TMP/hook.calls.
recording_hook() {
    cat >"$EC_TMP/record_hook.sh" <<EOF
#!/bin/sh
echo "\$*" >>"$EC_TMP/hook.calls"
EOF
    chmod +x "$EC_TMP/record_hook.sh"
    : >"$EC_TMP/hook.calls"
    sim_ctl POST /_sim/config "{\"node_hook\": \"$EC_TMP/record_hook.sh\"}" >/dev/null
}

@test "describe-replication-groups through aws: 26 groups over two pages, each as the fixture" {
    awsc describe-replication-groups --page-size 20 --output json
    [ "$aws_status" -eq 0 ]
    [ "$(pyjson 'len(d["ReplicationGroups"])' <"$EC_TMP/aws.out")" -eq 26 ]
    [ "$(sim_count DescribeReplicationGroups)" -eq 2 ]
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/rg_fidelity.py" roundtrip "$SIM_URL" "$FIXTURE"
    echo "$output"
    [ "$status" -eq 0 ]
    # Group ids are matched in any case, as AWS does.
    awsc describe-replication-groups --replication-group-id RG-SESSIONS --output json
    [ "$aws_status" -eq 0 ]
    [ "$(pyjson 'd["ReplicationGroups"][0]["ReplicationGroupId"]' <"$EC_TMP/aws.out")" = rg-sessions ]
    [ "$(pyjson '[m["CurrentRole"] for m in d["ReplicationGroups"][0]["NodeGroups"][0]["NodeGroupMembers"]]' <"$EC_TMP/aws.out")" = "['primary', 'replica', 'replica']" ]
}

@test "an unknown group: 404 ReplicationGroupNotFoundFault, exit 254 from aws" {
    awsc describe-replication-groups --replication-group-id no-such-group
    [ "$aws_status" -eq 254 ]
    grep -qx 'An error occurred (ReplicationGroupNotFoundFault) when calling the DescribeReplicationGroups operation: Replication group no-such-group not found.' "$EC_TMP/aws.err"
    [ "$(curl -sS "$SIM_URL/_sim/requests?action=DescribeReplicationGroups" | pyjson 'd[-1]["status"]')" -eq 404 ]
    awsc describe-replication-groups --max-records 19
    [ "$aws_status" -eq 254 ]
    grep -q 'InvalidParameterValue' "$EC_TMP/aws.err"
}

@test "boto3 over HTTPS: describe, the model's error classes, a modification's answer" {
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/rg_fidelity.py" boto3 "$SIM_HTTPS_URL" "$SIM_CA"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "every member of the ReplicationGroup shape comes back through botocore" {
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/rg_fidelity.py" fullmodel "$SIM_URL"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "the documented primary move: Multi-AZ and failover off, PrimaryClusterId, both on again" {
    awsc modify-replication-group --replication-group-id rg-sessions --no-multi-az-enabled \
        --no-automatic-failover-enabled --apply-immediately --output json
    [ "$aws_status" -eq 0 ]
    [ "$(pyjson 'd["ReplicationGroup"]["Status"], d["ReplicationGroup"]["AutomaticFailover"], d["ReplicationGroup"]["PendingModifiedValues"]' <"$EC_TMP/aws.out")" = "modifying disabling {'AutomaticFailoverStatus': 'disabled'}" ]
    wait_rg rg-sessions available
    [ "$(rg rg-sessions | pyjson 'd["AutomaticFailover"], d["MultiAZ"], d["PendingModifiedValues"]')" = "disabled disabled {}" ]

    awsc modify-replication-group --replication-group-id rg-sessions --primary-cluster-id RG-Sessions-002 \
        --apply-immediately --output json
    [ "$aws_status" -eq 0 ]
    [ "$(pyjson 'd["ReplicationGroup"]["Status"], d["ReplicationGroup"]["PendingModifiedValues"]' <"$EC_TMP/aws.out")" = "modifying {'PrimaryClusterId': 'rg-sessions-002'}" ]
    wait_rg rg-sessions available
    [ "$(roles rg-sessions)" = "rg-sessions-001=replica rg-sessions-002=primary rg-sessions-003=replica" ]
    # Both describe calls agree; the endpoints keep their DNS names (here
    # their ports), as AWS re-points a name instead of changing it.
    awsc describe-replication-groups --replication-group-id rg-sessions --output json
    [ "$aws_status" -eq 0 ]
    [ "$(pyjson '[(m["CacheClusterId"], m["CurrentRole"]) for m in d["ReplicationGroups"][0]["NodeGroups"][0]["NodeGroupMembers"]]' <"$EC_TMP/aws.out")" = "[('rg-sessions-001', 'replica'), ('rg-sessions-002', 'primary'), ('rg-sessions-003', 'replica')]" ]
    [ "$(pyjson 'd["ReplicationGroups"][0]["NodeGroups"][0]["PrimaryEndpoint"]["Port"]' <"$EC_TMP/aws.out")" -eq 2004 ]
    awsc describe-cache-clusters --output json
    [ "$aws_status" -eq 0 ]
    [ "$(pyjson '[(c["CacheClusterId"], c["CacheClusterStatus"]) for c in d["CacheClusters"] if c.get("ReplicationGroupId") == "rg-sessions"]' <"$EC_TMP/aws.out")" = "[('rg-sessions-001', 'available'), ('rg-sessions-002', 'available'), ('rg-sessions-003', 'available')]" ]
    # The events AWS records for a failover, oldest first.
    awsc describe-events --source-identifier rg-sessions --source-type replication-group --output json
    [ "$aws_status" -eq 0 ]
    [ "$(pyjson '[e["Message"] for e in reversed(d["Events"])]' <"$EC_TMP/aws.out")" = "['Failover to replica node rg-sessions-002 completed', 'Failover from master node rg-sessions-001 to replica node rg-sessions-002 completed']" ]
    awsc describe-events --source-identifier rg-sessions-001 --source-type cache-cluster --output json
    [ "$aws_status" -eq 0 ]
    [ "$(pyjson '[e["Message"] for e in d["Events"]]' <"$EC_TMP/aws.out")" = "['Failover from master node rg-sessions-001 to replica node rg-sessions-002 completed']" ]

    awsc modify-replication-group --replication-group-id rg-sessions --automatic-failover-enabled \
        --multi-az-enabled --apply-immediately --query 'ReplicationGroup.AutomaticFailover' --output text
    [ "$aws_status" -eq 0 ]
    [ "$(cat "$EC_TMP/aws.out")" = enabling ]
    wait_rg rg-sessions available
    [ "$(rg rg-sessions | pyjson 'd["AutomaticFailover"], d["MultiAZ"]')" = "enabled enabled" ]
    [ "$(roles rg-sessions)" = "rg-sessions-001=replica rg-sessions-002=primary rg-sessions-003=replica" ]
}

@test "PrimaryClusterId while automatic failover or Multi-AZ is on: refused, nothing changes" {
    for g in rg-sessions rg-af; do
        awsc modify-replication-group --replication-group-id "$g" --primary-cluster-id "$g-002" --apply-immediately
        [ "$aws_status" -eq 254 ]
        grep -qx "An error occurred (InvalidParameterCombination) when calling the ModifyReplicationGroup operation: Cannot set PrimaryClusterId on replication group $g while automatic failover or Multi-AZ is enabled. Disable Multi-AZ and automatic failover first." "$EC_TMP/aws.err"
        [ "$(rg "$g" | pyjson 'd["Status"], d["PendingModifiedValues"]')" = "available {}" ]
        [ "$(roles "$g" | cut -d' ' -f1)" = "$g-001=primary" ]
    done
    # Switching them off in the same call does not help: the state before
    # the call decides, as the documented procedure takes three calls.
    awsc modify-replication-group --replication-group-id rg-af --no-automatic-failover-enabled \
        --primary-cluster-id rg-af-002 --apply-immediately
    [ "$aws_status" -eq 254 ]
    rg_status_is rg-af available
}

@test "Multi-AZ needs automatic failover, automatic failover needs a replica" {
    awsc modify-replication-group --replication-group-id rg-noaf --multi-az-enabled --apply-immediately
    [ "$aws_status" -eq 254 ]
    grep -q '(InvalidParameterCombination).*Multi-AZ can only be enabled on replication group rg-noaf when automatic failover is enabled.' "$EC_TMP/aws.err"
    awsc modify-replication-group --replication-group-id rg-sessions --no-automatic-failover-enabled --apply-immediately
    [ "$aws_status" -eq 254 ]
    grep -q 'Automatic failover cannot be disabled on replication group rg-sessions while Multi-AZ is enabled.' "$EC_TMP/aws.err"
    awsc modify-replication-group --replication-group-id rg-single --automatic-failover-enabled --apply-immediately
    [ "$aws_status" -eq 254 ]
    grep -qx 'An error occurred (InvalidParameterCombination) when calling the ModifyReplicationGroup operation: Replication group must have at least one read replica to enable autofailover.' "$EC_TMP/aws.err"
    [ "$(sim_count ModifyReplicationGroup)" -eq 3 ]
    for g in rg-noaf rg-sessions rg-single; do rg_status_is "$g" available; done
    # Both at once is fine.
    awsc modify-replication-group --replication-group-id rg-noaf --automatic-failover-enabled --multi-az-enabled \
        --apply-immediately --query 'ReplicationGroup.[Status,AutomaticFailover,MultiAZ]' --output text
    [ "$aws_status" -eq 0 ]
    [ "$(cat "$EC_TMP/aws.out")" = "$(printf 'modifying\tenabling\tdisabled')" ]
    wait_rg rg-noaf available
    [ "$(rg rg-noaf | pyjson 'd["AutomaticFailover"], d["MultiAZ"]')" = "enabled enabled" ]
}

@test "cluster mode enabled: no primary move, failover stays on, members refuse reboots" {
    awsc modify-replication-group --replication-group-id shop-cme --no-automatic-failover-enabled --apply-immediately
    [ "$aws_status" -eq 254 ]
    grep -qx 'An error occurred (InvalidParameterCombination) when calling the ModifyReplicationGroup operation: Turning off automatic failover for replication group with cluster mode enabled is not supported.' "$EC_TMP/aws.err"
    awsc modify-replication-group --replication-group-id shop-cme --primary-cluster-id shop-cme-0001-002 --apply-immediately
    [ "$aws_status" -eq 254 ]
    grep -q '(InvalidParameterCombination).*PrimaryClusterId is not supported for Redis (cluster mode enabled)' "$EC_TMP/aws.err"
    awsc reboot-cache-cluster --cache-cluster-id shop-cme-0002-001 --cache-node-ids-to-reboot 0001
    [ "$aws_status" -eq 254 ]
    grep -q 'InvalidParameterCombination' "$EC_TMP/aws.err"
    # The group decides, not the member's name.
    /usr/bin/python3 - "$FIXTURE" >"$EC_TMP/renamed.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["clusters"]:
    c["CacheClusterId"] = c["CacheClusterId"].replace("shop-cme-", "shop-node-")
for g in d["replication_groups"]:
    g["MemberClusters"] = [m.replace("shop-cme-", "shop-node-") for m in g["MemberClusters"]]
    for ng in g["NodeGroups"]:
        for m in ng["NodeGroupMembers"]:
            m["CacheClusterId"] = m["CacheClusterId"].replace("shop-cme-", "shop-node-")
print(json.dumps(d))
PY
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/renamed.json")" >/dev/null
    awsc reboot-cache-cluster --cache-cluster-id shop-node-0001-001 --cache-node-ids-to-reboot 0001
    [ "$aws_status" -eq 254 ]
    grep -q 'Rebooting is not supported on Redis (cluster mode enabled) clusters' "$EC_TMP/aws.err"
    [ "$(sim_cluster_status shop-node-0001-001)" = available ]
}

@test "while a primary moves the group and its members read modifying and refuse changes" {
    sim_ctl POST /_sim/config '{"modify_seconds": 120}' >/dev/null
    [ "$(sim_ctl GET /_sim/config | pyjson 'd["modify_seconds"]')" = 120.0 ]
    awsc modify-replication-group --replication-group-id rg-noaf --primary-cluster-id rg-noaf-002 --apply-immediately
    [ "$aws_status" -eq 0 ]
    rg_status_is rg-noaf modifying
    [ "$(sim_cluster_status rg-noaf-001)" = modifying ]
    [ "$(sim_cluster_status rg-noaf-002)" = modifying ]
    awsc modify-replication-group --replication-group-id rg-noaf --primary-cluster-id rg-noaf-001 --apply-immediately
    [ "$aws_status" -eq 254 ]
    grep -q '(InvalidReplicationGroupState).*Replication group rg-noaf is not in available state (current state: modifying).' "$EC_TMP/aws.err"
    awsc reboot-cache-cluster --cache-cluster-id rg-noaf-001 --cache-node-ids-to-reboot 0001
    [ "$aws_status" -eq 254 ]
    grep -q 'InvalidCacheClusterState' "$EC_TMP/aws.err"
    # Roles change only at the end of the period.
    [ "$(roles rg-noaf)" = "rg-noaf-001=primary rg-noaf-002=replica" ]
}

@test "--modify-seconds 0: the change is over at once" {
    sim_ctl POST /_sim/config '{"modify_seconds": 0}' >/dev/null
    awsc modify-replication-group --replication-group-id rg-noaf --primary-cluster-id rg-noaf-002 --apply-immediately
    [ "$aws_status" -eq 0 ]
    wait_rg rg-noaf available 10
    [ "$(roles rg-noaf)" = "rg-noaf-001=replica rg-noaf-002=primary" ]
    # reset restores the start option (1 s).
    sim_reset
    [ "$(sim_ctl GET /_sim/config | pyjson 'd["modify_seconds"]')" = 1.0 ]
}

@test "without --apply-immediately a primary move waits for the maintenance window" {
    awsc modify-replication-group --replication-group-id rg-noaf --primary-cluster-id rg-noaf-002 \
        --query 'ReplicationGroup.[Status,PendingModifiedValues.PrimaryClusterId]' --output text
    [ "$aws_status" -eq 0 ]
    [ "$(cat "$EC_TMP/aws.out")" = "$(printf 'available\trg-noaf-002')" ]
    [ "$(roles rg-noaf)" = "rg-noaf-001=primary rg-noaf-002=replica" ]
    sim_ctl POST /_sim/replication-groups/rg-noaf/apply-pending >/dev/null
    rg_status_is rg-noaf modifying
    wait_rg rg-noaf available
    [ "$(roles rg-noaf)" = "rg-noaf-001=replica rg-noaf-002=primary" ]
    [ "$(rg rg-noaf | pyjson 'd["PendingModifiedValues"]')" = "{}" ]
    run sim_ctl POST /_sim/replication-groups/rg-noaf/apply-pending
    [ "$status" -ne 0 ]
    [[ $output == *"nothing pending"* ]]
}

@test "PrimaryClusterId: an unknown cluster, another group's member, the primary itself" {
    awsc modify-replication-group --replication-group-id rg-noaf --primary-cluster-id no-such-cluster --apply-immediately
    [ "$aws_status" -eq 254 ]
    grep -q '(CacheClusterNotFound).*CacheCluster not found: no-such-cluster' "$EC_TMP/aws.err"
    awsc modify-replication-group --replication-group-id rg-noaf --primary-cluster-id rg-af-002 --apply-immediately
    [ "$aws_status" -eq 254 ]
    grep -q '(InvalidParameterValue).*Cache cluster rg-af-002 is not a member of replication group rg-noaf.' "$EC_TMP/aws.err"
    awsc modify-replication-group --replication-group-id rg-noaf --primary-cluster-id rg-noaf-001 --apply-immediately \
        --query 'ReplicationGroup.Status' --output text
    [ "$aws_status" -eq 0 ]
    [ "$(cat "$EC_TMP/aws.out")" = available ]
    [ "$(sim_ctl GET /_sim/state | pyjson 'len(d["events"])')" -eq 0 ]
}

@test "consistency lag: DescribeReplicationGroups shows the group as before the call" {
    sim_ctl POST /_sim/config '{"consistency_lag": 120, "modify_seconds": 120}' >/dev/null
    awsc modify-replication-group --replication-group-id rg-noaf --primary-cluster-id rg-noaf-002 --apply-immediately
    [ "$aws_status" -eq 0 ]
    rg_status_is rg-noaf modifying
    awsc describe-replication-groups --replication-group-id rg-noaf --query 'ReplicationGroups[0].Status' --output text
    [ "$aws_status" -eq 0 ]
    [ "$(cat "$EC_TMP/aws.out")" = available ]
    # The control API ends a lag, as for clusters.
    sim_ctl POST /_sim/replication-groups/rg-noaf/state '{}' >/dev/null
    awsc describe-replication-groups --replication-group-id rg-noaf --query 'ReplicationGroups[0].Status' --output text
    [ "$aws_status" -eq 0 ]
    [ "$(cat "$EC_TMP/aws.out")" = modifying ]
}

@test "rebooting members: each restarts, the roles and the group stay" {
    t0=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    for c in rg-sessions-003 rg-sessions-001; do
        awsc reboot-cache-cluster --cache-cluster-id "$c" --cache-node-ids-to-reboot 0001
        [ "$aws_status" -eq 0 ]
        [ "$(sim_cluster_status "$c")" = "rebooting cache cluster nodes" ]
        rg_status_is rg-sessions available
        sim_wait_cluster_status "$c" available
    done
    [ "$(roles rg-sessions)" = "rg-sessions-001=primary rg-sessions-002=replica rg-sessions-003=replica" ]
    awsc describe-events --source-type cache-cluster --start-time "$t0" --output json
    [ "$aws_status" -eq 0 ]
    [ "$(pyjson 'sorted((e["SourceIdentifier"], e["Message"]) for e in d["Events"])' <"$EC_TMP/aws.out")" = "[('rg-sessions-001', 'Cache node 0001 restarted'), ('rg-sessions-003', 'Cache node 0001 restarted')]" ]
}

@test "node hook: a primary move calls primary, then replicaof for the others; a replica's reboot ends with replicaof" {
    recording_hook
    awsc modify-replication-group --replication-group-id rg-noaf --primary-cluster-id rg-noaf-002 --apply-immediately
    [ "$aws_status" -eq 0 ]
    wait_rg rg-noaf available
    [ "$(cat "$EC_TMP/hook.calls")" = "$(printf '%s\n' \
        'primary rg-noaf rg-noaf-002 0001 127.0.0.1 2012' \
        'replicaof rg-noaf rg-noaf-001 0001 127.0.0.1 2011 127.0.0.1 2012')" ]
    : >"$EC_TMP/hook.calls"
    awsc reboot-cache-cluster --cache-cluster-id rg-noaf-001 --cache-node-ids-to-reboot 0001
    [ "$aws_status" -eq 0 ]
    sim_wait_cluster_status rg-noaf-001 available
    [ "$(cat "$EC_TMP/hook.calls")" = "$(printf '%s\n' \
        'down rg-noaf-001 0001 127.0.0.1 2011' \
        'up rg-noaf-001 0001 127.0.0.1 2011' \
        'replicaof rg-noaf rg-noaf-001 0001 127.0.0.1 2011 127.0.0.1 2012')" ]
    # The primary's reboot has no replicaof.
    : >"$EC_TMP/hook.calls"
    awsc reboot-cache-cluster --cache-cluster-id rg-noaf-002 --cache-node-ids-to-reboot 0001
    [ "$aws_status" -eq 0 ]
    sim_wait_cluster_status rg-noaf-002 available
    [ "$(wc -l <"$EC_TMP/hook.calls")" -eq 2 ]
    [ "$(grep -c replicaof "$EC_TMP/hook.calls")" -eq 0 ]
}

@test "scripted failover: the events AWS records, the old primary recovered as a replica" {
    recording_hook
    out=$(sim_ctl POST /_sim/replication-groups/rg-sessions/failover '{"to": "rg-sessions-003", "recovery_seconds": 0.5}')
    [ "$(pyjson 'd["old_primary"], d["new_primary"]' <<<"$out")" = "rg-sessions-001 rg-sessions-003" ]
    [ "$(roles rg-sessions)" = "rg-sessions-001=replica rg-sessions-002=replica rg-sessions-003=primary" ]
    wait_until 30 "recovery event" grep -q 'replicaof rg-sessions rg-sessions-001' "$EC_TMP/hook.calls"
    events() { sim_ctl GET /_sim/state | pyjson '"|".join(e["SourceIdentifier"] + ":" + e["Message"] for e in d["events"])'; }
    wait_until 30 "Finished recovery" eval '[[ $(events) == *"Finished recovery"* ]]'
    [ "$(events)" = "rg-sessions:Failover to replica node rg-sessions-003 completed|rg-sessions-001:Failover from master node rg-sessions-001 to replica node rg-sessions-003 completed|rg-sessions:Failover from master node rg-sessions-001 to replica node rg-sessions-003 completed|rg-sessions-001:Recovering cache nodes 0001|rg-sessions-001:Finished recovery for cache nodes 0001" ]
    [ "$(head -1 "$EC_TMP/hook.calls")" = "primary rg-sessions rg-sessions-003 0001 127.0.0.1 2003" ]
    # Without "to": the first replica; a single node has none.
    out=$(sim_ctl POST /_sim/replication-groups/rg-sessions/failover '{}')
    [ "$(pyjson 'd["new_primary"]' <<<"$out")" = rg-sessions-001 ]
    run sim_ctl POST /_sim/replication-groups/rg-single/failover '{}'
    [ "$status" -ne 0 ]
    [[ $output == *"no replica to fail over to"* ]]
}

@test "endpoint mode follow: the primary endpoint is the primary's own" {
    /usr/bin/python3 "$EC_REPO/tests/sim/fixtures/make_replication_groups.py" --group rg-follow \
        --ports 3001,3002,3003 --no-failover --endpoint-mode follow >"$EC_TMP/follow.json"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/follow.json")" >/dev/null
    port() { sim_aws describe-replication-groups --replication-group-id rg-follow --query 'ReplicationGroups[0].NodeGroups[0].PrimaryEndpoint.Port' --output text; }
    [ "$(port)" -eq 3001 ]
    awsc modify-replication-group --replication-group-id rg-follow --primary-cluster-id rg-follow-003 --apply-immediately
    [ "$aws_status" -eq 0 ]
    wait_rg rg-follow available
    [ "$(port)" -eq 3003 ]
}

@test "fixtures are checked: members, roles, groups named by the clusters, model members" {
    bad() {
        /usr/bin/python3 - "$FIXTURE" "$1" >"$EC_TMP/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
g = d["replication_groups"][0]
exec(sys.argv[2])
print(json.dumps(d))
PY
        run sim_ctl POST /_sim/seed "$(cat "$EC_TMP/bad.json")"
        echo "$output"
        [ "$status" -ne 0 ]
        [[ $output == *"$2"* ]]
    }
    bad 'g["MemberClusters"].append("ghost")' 'member cluster ghost is not in the fixture'
    bad 'g["NodeGroups"][0]["NodeGroupMembers"][1]["CurrentRole"] = "primary"' 'has 2 primaries'
    bad 'd["clusters"][0]["ReplicationGroupId"] = "rg-other"' "cluster rg-sessions-001 has ReplicationGroupId 'rg-other'"
    bad 'g["MultiAz"] = "enabled"' 'MultiAz is not a member of ReplicationGroup'
    bad 'g["NodeGroups"][0]["NodeGroupMembers"].pop()' 'member rg-sessions-003 is in 0 node groups'
    bad 'g["ClusterEnabled"] = "no"' 'expected true or false'
    # A refused fixture changes nothing.
    [ "$(roles rg-sessions)" = "rg-sessions-001=primary rg-sessions-002=replica rg-sessions-003=replica" ]
}

@test "the default fixture's groups match its redis clusters" {
    sim_ctl POST /_sim/seed "$(cat "$EC_REPO/tests/sim/fixtures/default.json")" >/dev/null
    awsc describe-replication-groups --output json
    [ "$aws_status" -eq 0 ]
    [ "$(pyjson '[(g["ReplicationGroupId"], g["MemberClusters"], g["ClusterEnabled"]) for g in d["ReplicationGroups"]]' <"$EC_TMP/aws.out")" = "[('demo-redis-rg', ['demo-redis'], False), ('cme-redis', ['cme-redis-0001-001'], True)]" ]
    run /usr/bin/python3 "$BATS_TEST_DIRNAME/rg_fidelity.py" roundtrip "$SIM_URL" "$EC_REPO/tests/sim/fixtures/default.json"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "real redis-server members follow a primary move and a replica's reboot" {
    command -v redis-server >/dev/null || skip "no redis-server"
    dir=$EC_TMP/redis
    mkdir -p "$dir"
    ports=$(/usr/bin/python3 -c '
import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(",".join(str(x.getsockname()[1]) for x in s))
for x in s: x.close()')
    IFS=, read -r p1 p2 p3 <<<"$ports"
    for p in $p1 $p2 $p3; do bash "$HOOK" "$dir" start 127.0.0.1 "$p"; done
    bash "$HOOK" "$dir" replicaof g c n 127.0.0.1 "$p2" 127.0.0.1 "$p1"
    bash "$HOOK" "$dir" replicaof g c n 127.0.0.1 "$p3" 127.0.0.1 "$p1"
    /usr/bin/python3 "$EC_REPO/tests/sim/fixtures/make_replication_groups.py" --group rg-redis --ports "$ports" \
        --no-failover >"$EC_TMP/redis.json"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/redis.json")" >/dev/null
    sim_ctl POST /_sim/config "{\"node_hook\": \"bash $HOOK $dir\", \"reboot_seconds\": 0.5}" >/dev/null
    role() { redis-cli -p "$1" INFO replication | tr -d '\r' | sed -n "s/^$2://p"; }
    [ "$(redis-cli -p "$p1" SET k1 v1)" = OK ]
    wait_until 30 "replica sync" eval '[ "$(redis-cli -p '"$p3"' GET k1)" = v1 ]'

    awsc modify-replication-group --replication-group-id rg-redis --primary-cluster-id rg-redis-002 --apply-immediately
    [ "$aws_status" -eq 0 ]
    wait_rg rg-redis available
    [ "$(role "$p2" role)" = master ]
    [ "$(role "$p1" role)" = slave ]
    [ "$(role "$p1" master_port)" -eq "$p2" ]
    [ "$(role "$p3" master_port)" -eq "$p2" ]
    [ "$(redis-cli -p "$p2" SET k2 v2)" = OK ]
    wait_until 30 "k2 on the old primary" eval '[ "$(redis-cli -p '"$p1"' GET k2)" = v2 ]'

    # A replica's reboot: an empty redis-server again, pointed at the
    # primary by the hook before the node reads available.
    awsc reboot-cache-cluster --cache-cluster-id rg-redis-003 --cache-node-ids-to-reboot 0001
    [ "$aws_status" -eq 0 ]
    sim_wait_cluster_status rg-redis-003 available
    [ "$(role "$p3" master_port)" -eq "$p2" ]
    wait_until 30 "resync after the reboot" eval '[ "$(role '"$p3"' master_link_status)" = up ]'
    [ "$(redis-cli -p "$p3" GET k1)" = v1 ]
    [ "$(redis-cli -p "$p3" GET k2)" = v2 ]
    grep -q "replicaof rg-redis rg-redis-003 0001 127.0.0.1 $p3 127.0.0.1 $p2" "$dir/hook.log"
}
