#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Rolling, role-aware reboots through the CLI (issue 10): reboot-replication-
# group and reboot-cache-cluster --batch-size / --allow-primary-reboot against
# the simulator's replication groups. Every count of calls comes from the
# simulator's request log, never from the tool's own output.
# The fixture's nodes are no servers: the runs that reboot pass
# --no-verify-replica-link (these tests are about the API's order of calls;
# the replica link check is tested with real redis-server members in
# tests/bats/e2e/rolling_redis*.bats). One test below shows the default
# refusing a group whose nodes it cannot reach.

load helpers

FIXTURE=$EC_REPO/tests/sim/fixtures/replication-groups.json
DEFAULT_FIXTURE=$EC_REPO/tests/sim/fixtures/default.json

setup_file() { cli_setup_file --fixture "$FIXTURE" --modify-seconds 0.5; }
teardown_file() { cli_teardown_file; }
setup() {
    cli_reset
    sim_ctl POST /_sim/config '{"reboot_seconds": 0.5, "modify_seconds": 0.5}' >/dev/null
}

# The calls that change something, in arrival order, one per line:
# "RebootCacheCluster CLUSTER NODES STATUS" or "ModifyReplicationGroup
# key=value,... STATUS".
changes() {
    curl -sS --fail-with-body "$SIM_URL/_sim/requests" | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    p = r["params"]
    if r["action"] == "RebootCacheCluster":
        print("RebootCacheCluster", p.get("CacheClusterId"),
              ",".join(p.get("CacheNodeIdsToReboot", [])), r["status"])
    elif r["action"] == "ModifyReplicationGroup":
        kv = ",".join("%s=%s" % (k, v) for k, v in sorted(p.items())
                      if k not in ("ReplicationGroupId", "ApplyImmediately"))
        print("ModifyReplicationGroup", kv, r["status"])
'
}

# A field of a replication group's real state in the simulator.
group_field() {
    curl -sS --fail-with-body "$SIM_URL/_sim/replication-groups/$1" |
        /usr/bin/python3 -c '
import json, sys
g = json.load(sys.stdin)
if sys.argv[1] == "primary":
    print([m["CacheClusterId"] for m in g["NodeGroups"][0]["NodeGroupMembers"]
           if m["CurrentRole"] == "primary"][0])
else:
    print(g[sys.argv[1]])
' "$2"
}

# Successful RebootCacheCluster calls of one cluster.
reboots_of() {
    changes | awk -v c="$1" '$1 == "RebootCacheCluster" && $2 == c && $NF == 200 { n++ } END { print n + 0 }'
}

@test "reboot-replication-group: replicas, then the primary moved, then the old primary; one reboot each" {
    [ "$(group_field rg-sessions primary)" = rg-sessions-001 ]
    ec reboot-replication-group --replication-group-id rg-sessions --wait --wait-delay 0.2 --no-verify-replica-link
    show
    [ "$ec_status" -eq 0 ]
    changes >"$EC_TMP/changes"
    cat "$EC_TMP/changes"
    diff -u - "$EC_TMP/changes" <<'EOF'
RebootCacheCluster rg-sessions-002 0001 200
RebootCacheCluster rg-sessions-003 0001 200
ModifyReplicationGroup AutomaticFailoverEnabled=false,MultiAZEnabled=false 200
ModifyReplicationGroup PrimaryClusterId=rg-sessions-002 200
ModifyReplicationGroup AutomaticFailoverEnabled=true,MultiAZEnabled=true 200
RebootCacheCluster rg-sessions-001 0001 200
EOF
    # Exactly one reboot per member, all told.
    [ "$(sim_count RebootCacheCluster)" -eq 3 ]
    [ "$(group_field rg-sessions primary)" = rg-sessions-002 ]
    [ "$(group_field rg-sessions AutomaticFailover)" = enabled ]
    [ "$(group_field rg-sessions MultiAZ)" = enabled ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = true ]
    [ "$(jget "$EC_TMP/ec.out" RebootedMemberIds)" = rg-sessions-002,rg-sessions-003,rg-sessions-001 ]
    [ "$(jget "$EC_TMP/ec.out" PrimaryAfter)" = rg-sessions-002 ]
    [ "$(jlen "$EC_TMP/ec.out" Steps)" -eq 6 ]
    [ "$(jget "$EC_TMP/ec.out" Steps.3.Action)" = move-primary ]
    [ "$(jget "$EC_TMP/ec.out" Steps.5.Role)" = replica ]
    # Progress: a line per step as it begins and ends, on stderr.
    [ "$(grep -c '^elasticache: rg-sessions: step [1-6]/6' "$EC_TMP/ec.err")" -eq 12 ]
}

@test "reboot-replication-group --dry-run: the ordered plan, nothing changed" {
    ec reboot-replication-group --replication-group-id rg-sessions --dry-run
    show
    [ "$ec_status" -eq 0 ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" DryRun)" = true ]
    steps=$(/usr/bin/python3 -c 'import json,sys; print(" ".join("%s:%s:%s" % (s["Action"], s.get("CacheClusterId", "-"), s["State"]) for s in json.load(open(sys.argv[1]))["Steps"]))' "$EC_TMP/ec.out")
    [ "$steps" = "reboot:rg-sessions-002:planned reboot:rg-sessions-003:planned disable-failover:-:planned move-primary:rg-sessions-002:planned restore-failover:-:planned reboot:rg-sessions-001:planned" ]
}

@test "reboot-replication-group: failover restored when the old primary's reboot fails" {
    # The third RebootCacheCluster (the old primary's) is refused.
    sim_ctl POST /_sim/fault '{"action": "RebootCacheCluster", "kind": "error", "status": 400, "code": "InvalidParameterValue", "message": "refused by the test", "skip": 2}' >/dev/null
    ec reboot-replication-group --replication-group-id rg-sessions --wait --wait-delay 0.2 --no-verify-replica-link
    show
    [ "$ec_status" -eq 254 ]
    [ "$(grep -c 'refused by the test' "$EC_TMP/ec.err")" -ge 1 ]
    [ "$(group_field rg-sessions AutomaticFailover)" = enabled ]
    [ "$(group_field rg-sessions MultiAZ)" = enabled ]
    [ "$(changes | grep -c 'AutomaticFailoverEnabled=true,MultiAZEnabled=true 200$')" -eq 1 ]
    # What was done is still printed, so nobody does it again.
    [ "$(jget "$EC_TMP/ec.out" Changed)" = true ]
    [ "$(jget "$EC_TMP/ec.out" Steps.5.State)" = failed ]
}

@test "reboot-replication-group: failover restored when the primary move is refused" {
    # The second ModifyReplicationGroup (PrimaryClusterId) is refused.
    sim_ctl POST /_sim/fault '{"action": "ModifyReplicationGroup", "kind": "error", "status": 400, "code": "InvalidParameterCombination", "message": "move refused by the test", "skip": 1}' >/dev/null
    ec reboot-replication-group --replication-group-id rg-sessions --wait --wait-delay 0.2 --no-verify-replica-link
    show
    [ "$ec_status" -eq 254 ]
    [ "$(group_field rg-sessions primary)" = rg-sessions-001 ]
    [ "$(group_field rg-sessions AutomaticFailover)" = enabled ]
    [ "$(group_field rg-sessions MultiAZ)" = enabled ]
    # The primary was never rebooted in place.
    [ "$(reboots_of rg-sessions-001)" -eq 0 ]
    [ "$(sim_count RebootCacheCluster)" -eq 2 ]
}

@test "reboot-cache-cluster of a group's primary: refused without --allow-primary-reboot, naming the group and the safe command" {
    ec reboot-cache-cluster --cache-cluster-id rg-sessions-001
    show
    [ "$ec_status" -eq 252 ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(grep -c 'primary of replication group rg-sessions' "$EC_TMP/ec.err")" -eq 1 ]
    [ "$(grep -c 'elasticache reboot-replication-group --replication-group-id rg-sessions' "$EC_TMP/ec.err")" -eq 1 ]
    # With --dry-run: the same refusal.
    ec reboot-cache-cluster --cache-cluster-id rg-sessions-001 --dry-run
    [ "$ec_status" -eq 252 ]
    # A replica waited for is probed first: the fixture's nodes are no
    # servers, so it is refused (nothing sent) ...
    ec reboot-cache-cluster --cache-cluster-id rg-sessions-002 --wait --wait-delay 0.2 \
        --probe-timeout 1
    show
    [ "$ec_status" -eq 252 ]
    [ "$(grep -c 'Cluster rg-sessions-002 was not rebooted (nothing was changed): cannot verify the replica links' "$EC_TMP/ec.err")" -eq 1 ]
    [ "$(reboots_of rg-sessions-002)" -eq 0 ]
    # ... and with the opt-out rebooted as any cluster.
    ec reboot-cache-cluster --cache-cluster-id rg-sessions-002 --wait --wait-delay 0.2 \
        --no-verify-replica-link
    show
    [ "$ec_status" -eq 0 ]
    [ "$(reboots_of rg-sessions-002)" -eq 1 ]
    # Asked for explicitly: rebooted in place, once.
    ec reboot-cache-cluster --cache-cluster-id rg-sessions-001 --allow-primary-reboot
    show
    [ "$ec_status" -eq 0 ]
    [ "$(reboots_of rg-sessions-001)" -eq 1 ]
    [ "$(sim_count RebootCacheCluster)" -eq 2 ]
}

@test "cluster mode enabled: refused before any reboot or modification" {
    ec reboot-replication-group --replication-group-id shop-cme --wait
    show
    [ "$ec_status" -eq 252 ]
    [ "$(grep -c 'cluster mode enabled' "$EC_TMP/ec.err")" -eq 1 ]
    [ "$(grep -c 'manual backup' "$EC_TMP/ec.err")" -eq 1 ]
    ec reboot-cache-cluster --cache-cluster-id shop-cme-0001-002
    show
    [ "$ec_status" -eq 252 ]
    [ "$(grep -c 'manual backup' "$EC_TMP/ec.err")" -eq 1 ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
    # --allow-primary-reboot lifts the primary rule, not this one.
    ec reboot-cache-cluster --cache-cluster-id shop-cme-0001-002 --allow-primary-reboot
    show
    [ "$ec_status" -eq 252 ]
    [ "$(grep -c 'manual backup' "$EC_TMP/ec.err")" -eq 1 ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "reboot-replication-group of a single-node group: refused, then in place with --allow-primary-reboot" {
    ec reboot-replication-group --replication-group-id rg-single
    show
    [ "$ec_status" -eq 252 ]
    [ "$(grep -c 'no replica' "$EC_TMP/ec.err")" -eq 1 ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    ec reboot-replication-group --replication-group-id rg-single --allow-primary-reboot
    show
    [ "$ec_status" -eq 0 ]
    [ "$(reboots_of rg-single-001)" -eq 1 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
}

@test "reboot-replication-group: a run stopped halfway, run again, continues with what is left" {
    start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    # The second replica's reboot is refused: the run stops after the first.
    sim_ctl POST /_sim/fault '{"action": "RebootCacheCluster", "kind": "error", "status": 400, "code": "InvalidCacheClusterState", "message": "busy, says the test", "skip": 1}' >/dev/null
    ec reboot-replication-group --replication-group-id rg-sessions --wait --wait-delay 0.2 --no-verify-replica-link
    show
    [ "$ec_status" -eq 254 ]
    [ "$(reboots_of rg-sessions-002)" -eq 1 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
    [ "$(group_field rg-sessions primary)" = rg-sessions-001 ]
    # Again, skipping what restarted since the first run began.
    ec reboot-replication-group --replication-group-id rg-sessions --wait --wait-delay 0.2 --no-verify-replica-link \
        --unless-rebooted-since "$start"
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" RebootedMemberIds)" = rg-sessions-003,rg-sessions-001 ]
    # One successful reboot per member over both runs.
    [ "$(reboots_of rg-sessions-001)" -eq 1 ]
    [ "$(reboots_of rg-sessions-002)" -eq 1 ]
    [ "$(reboots_of rg-sessions-003)" -eq 1 ]
    [ "$(group_field rg-sessions primary)" != rg-sessions-001 ]
    [ "$(group_field rg-sessions AutomaticFailover)" = enabled ]
}

@test "reboot-cache-cluster --batch-size 2: batches sent one after another, each waited for" {
    sim_ctl POST /_sim/seed "$(cat "$DEFAULT_FIXTURE")" >/dev/null
    sim_ctl POST /_sim/config '{"reboot_seconds": 1.5}' >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --batch-size 2 --wait --wait-delay 0.2
    show
    [ "$ec_status" -eq 0 ]
    changes >"$EC_TMP/changes"
    diff -u - "$EC_TMP/changes" <<'EOF'
RebootCacheCluster demo-memcached 0001,0002 200
RebootCacheCluster demo-memcached 0003 200
EOF
    # The second batch went out only after the first had restarted: the
    # simulator's nodes are down for 1.5 s (a lower bound load cannot break;
    # a reboot of a cluster still rebooting would also have been refused).
    gap=$(curl -sS "$SIM_URL/_sim/requests?action=RebootCacheCluster" | /usr/bin/python3 -c '
import json, sys, datetime
t = [datetime.datetime.fromisoformat(r["time"].replace("Z", "+00:00"))
     for r in json.load(sys.stdin)]
print(int((t[1] - t[0]).total_seconds() * 1000))')
    [ "$gap" -ge 1500 ]
    [ "$(jlen "$EC_TMP/ec.out" Steps)" -eq 2 ]
    [ "$(jget "$EC_TMP/ec.out" Steps.0.State)" = done ]
    [ "$(jget "$EC_TMP/ec.out" RebootedNodeIds)" = 0001,0002,0003 ]
}

@test "reboot-cache-cluster --batch-size: the first failure stops the run, nothing more rebooted" {
    sim_ctl POST /_sim/seed "$(cat "$DEFAULT_FIXTURE")" >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
    sim_ctl POST /_sim/fault '{"action": "RebootCacheCluster", "kind": "error", "status": 400, "code": "InvalidParameterValue", "message": "second batch refused", "skip": 1}' >/dev/null
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --batch-size 1 --wait --wait-delay 0.2
    show
    [ "$ec_status" -eq 254 ]
    [ "$(sim_count RebootCacheCluster)" -eq 2 ]
    [ "$(changes | grep -c ' 200$')" -eq 1 ]
}

@test "reboot-cache-cluster --batch-size --dry-run: the batches planned, nothing sent" {
    sim_ctl POST /_sim/seed "$(cat "$DEFAULT_FIXTURE")" >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --batch-size 1 --dry-run
    show
    [ "$ec_status" -eq 0 ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(jlen "$EC_TMP/ec.out" Steps)" -eq 3 ]
    [ "$(jget "$EC_TMP/ec.out" Steps.2.CacheNodeIds)" = 0003 ]
    [ "$(jget "$EC_TMP/ec.out" Steps.2.State)" = planned ]
}

@test "rolling options: bad values are usage errors, nothing sent" {
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --batch-size 0
    [ "$ec_status" -eq 252 ]
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --batch-size two
    [ "$ec_status" -eq 252 ]
    ec reboot-replication-group
    [ "$ec_status" -eq 252 ]
    [ "$(grep -c 'required: --replication-group-id' "$EC_TMP/ec.err")" -eq 1 ]
    ec reboot-replication-group --replication-group-id rg-sessions --cli-input-json '{}'
    [ "$ec_status" -eq 252 ]
    ec reboot-replication-group --replication-group-id 'bad id!'
    [ "$ec_status" -eq 252 ]
    [ "$(sim_count '*')" -eq 0 ]
    ec reboot-replication-group --replication-group-id no-such-group
    [ "$ec_status" -eq 254 ]
    [ "$(grep -c ReplicationGroupNotFoundFault "$EC_TMP/ec.err")" -eq 1 ]
}

@test "reboot-replication-group: by default, members this host cannot probe refuse the run before any reboot" {
    ec reboot-replication-group --replication-group-id rg-sessions --wait --wait-delay 0.2 \
        --probe-timeout 1
    show
    [ "$ec_status" -eq 252 ]
    [ "$(grep -c 'Replication group rg-sessions was not rebooted (nothing was changed): cannot verify the replica links' "$EC_TMP/ec.err")" -eq 1 ]
    [ "$(grep -c -- '--no-verify-replica-link' "$EC_TMP/ec.err")" -eq 1 ]
    [ ! -s "$EC_TMP/ec.out" ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
}
