#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# elasticache_reboot's rolling modes (issue 10): replication_group_id,
# batch_size, allow_primary_reboot, as an Ansible module (args file) and as
# the NDJSON tool, against the simulator's replication groups. Calls are
# counted from the simulator's request log.

bats_require_minimum_version 1.5.0
load ../../lib/common

FIXTURE=$EC_REPO/tests/sim/fixtures/replication-groups.json
DEFAULT_FIXTURE=$EC_REPO/tests/sim/fixtures/default.json

setup_file() {
    load ../../lib/common
    sim_start --fixture "$FIXTURE" --reboot-seconds 0.5 --modify-seconds 0.5 >/dev/null
    export SIM_URL SIM_PID SIM_DIR
}

teardown_file() {
    sim_stop
}

setup() {
    MOD=$EC_BIN/elasticache_reboot
    [[ -x $MOD ]] || { echo "elasticache_reboot is not built in $EC_BIN" >&2; return 1; }
    export AWS_URL=$SIM_URL
    sim_ctl POST /_sim/reset >/dev/null
    ARGS=$BATS_TEST_TMPDIR/args.json
}

# module JSON: run as Ansible runs a binary module (one args file).
module() {
    printf '%s' "$1" >"$ARGS"
    run --separate-stderr "$MOD" "$ARGS"
}

# field PATH: a field of the JSON result in $output ("a.0.b").
field() {
    /usr/bin/python3 -c '
import json, sys
v = json.loads(sys.argv[1].splitlines()[-1])
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(json.dumps(v) if not isinstance(v, str) else v)' "$output" "$1"
}

# The steps of the result as "action:cluster:state ...".
steps() {
    /usr/bin/python3 -c '
import json, sys
r = json.loads(sys.argv[1].splitlines()[-1])
print(" ".join("%s:%s:%s" % (s["action"], s.get("cache_cluster_id", "-"), s["state"]) for s in r["steps"]))' "$output"
}

ok_reboots_of() {
    curl -sS --fail-with-body "$SIM_URL/_sim/requests?action=RebootCacheCluster" |
        /usr/bin/python3 -c '
import json, sys
print(sum(1 for r in json.load(sys.stdin)
          if r["params"].get("CacheClusterId") == sys.argv[1] and r["status"] == 200))' "$1"
}

@test "module: replication_group_id in check mode shows the ordered plan and the roles it would leave; nothing sent" {
    module '{"replication_group_id": "rg-sessions", "_ansible_check_mode": true, "_ansible_diff": true}'
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(steps)" = "reboot:rg-sessions-002:planned reboot:rg-sessions-003:planned disable-failover:-:planned move-primary:rg-sessions-002:planned restore-failover:-:planned reboot:rg-sessions-001:planned" ]
    [ "$(field diff.before.members.rg-sessions-001.current_role)" = primary ]
    [ "$(field diff.after.members.rg-sessions-002.current_role)" = primary ]
    [ "$(field diff.after.members.rg-sessions-001.current_role)" = replica ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
}

@test "module: replication_group_id reboots each member once, primary moved first; diff shows roles before and after" {
    module '{"replication_group_id": "rg-sessions", "wait_delay": 0.2, "verify_replica_link": false, "_ansible_diff": true}'
    echo "$output"
    echo "$stderr"
    [ "$status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(field rebooted_member_ids)" = '["rg-sessions-002", "rg-sessions-003", "rg-sessions-001"]' ]
    [ "$(steps)" = "reboot:rg-sessions-002:done reboot:rg-sessions-003:done disable-failover:-:done move-primary:rg-sessions-002:done restore-failover:-:done reboot:rg-sessions-001:done" ]
    [ "$(field primary_before)" = rg-sessions-001 ]
    [ "$(field primary_after)" = rg-sessions-002 ]
    [ "$(field diff.before.members.rg-sessions-001.current_role)" = primary ]
    [ "$(field diff.after.members.rg-sessions-001.current_role)" = replica ]
    [ "$(field diff.after.members.rg-sessions-001.rebooted)" = true ]
    [ "$(field diff.after.automatic_failover)" = enabled ]
    [ "$(sim_count RebootCacheCluster)" -eq 3 ]
    [ "$(ok_reboots_of rg-sessions-001)" -eq 1 ]
    [ "$(ok_reboots_of rg-sessions-002)" -eq 1 ]
    [ "$(ok_reboots_of rg-sessions-003)" -eq 1 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 3 ]
}

@test "module: cluster_id of a group's primary is refused, naming the group; allow_primary_reboot reboots it in place" {
    module '{"cluster_id": "rg-sessions-001"}'
    echo "$output"
    [ "$status" -eq 1 ]
    [ "$(field failed)" = true ]
    [ "$(field changed)" = false ]
    [[ $(field msg) == *"primary of replication group rg-sessions"*"replication_group_id: rg-sessions"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    module '{"cluster_id": "rg-sessions-001", "allow_primary_reboot": true, "wait": false}'
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(ok_reboots_of rg-sessions-001)" -eq 1 ]
}

@test "module: a cluster-mode-enabled group is refused with no reboot or modification, naming the alternative" {
    module '{"replication_group_id": "shop-cme"}'
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $(field msg) == *"cluster mode enabled"*"manual backup"* ]]
    module '{"cluster_id": "shop-cme-0001-001"}'
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $(field msg) == *"manual backup"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
}

@test "module: a failure after the primary moved still returns the steps done, failover restored" {
    sim_ctl POST /_sim/fault '{"action": "RebootCacheCluster", "kind": "error", "status": 400, "code": "InvalidParameterValue", "message": "refused by the test", "skip": 2}' >/dev/null
    module '{"replication_group_id": "rg-sessions", "wait_delay": 0.2, "verify_replica_link": false}'
    echo "$output"
    [ "$status" -eq 1 ]
    [ "$(field failed)" = true ]
    [ "$(field changed)" = true ]
    [ "$(field error.code)" = InvalidParameterValue ]
    [ "$(field primary_after)" = rg-sessions-002 ]
    [ "$(steps)" = "reboot:rg-sessions-002:done reboot:rg-sessions-003:done disable-failover:-:done move-primary:rg-sessions-002:done restore-failover:-:done reboot:rg-sessions-001:failed" ]
    [ "$(curl -sS "$SIM_URL/_sim/replication-groups/rg-sessions" | /usr/bin/python3 -c 'import json,sys; g=json.load(sys.stdin); print(g["AutomaticFailover"], g["MultiAZ"])')" = "enabled enabled" ]
}

@test "module: replication_group_id with node_ids or batch_size is refused before any call" {
    module '{"replication_group_id": "rg-sessions", "node_ids": ["0001"]}'
    [ "$status" -eq 1 ]
    [[ $(field msg) == "node_ids apply to cluster_id"* ]]
    module '{"replication_group_id": "rg-sessions", "batch_size": 1}'
    [ "$status" -eq 1 ]
    [[ $(field msg) == "batch_size applies to cluster_id"* ]]
    module '{"cluster_id": "rg-sessions-002", "batch_size": 0}'
    [ "$status" -eq 1 ]
    [[ $(field msg) == "batch_size must be from 1 to 1000"* ]]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "NDJSON: batch_size reboots a memcached cluster one batch after another; check mode plans the batches" {
    sim_ctl POST /_sim/seed "$(cat "$DEFAULT_FIXTURE")" >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
    run --separate-stderr "$MOD" <<'EOF'
{"cluster_id": "demo-memcached", "batch_size": 2, "check_mode": true}
{"cluster_id": "demo-memcached", "batch_size": 2, "wait_delay": 0.2}
EOF
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | sed -n 1p | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print(" ".join(",".join(s["cache_node_ids"]) + ":" + s["state"] for s in r["steps"]))')" = "0001,0002:planned 0003:planned" ]
    [ "$(printf '%s\n' "$output" | sed -n 2p | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print(" ".join(",".join(s["cache_node_ids"]) + ":" + s["state"] for s in r["steps"]))')" = "0001,0002:done 0003:done" ]
    [ "$(curl -sS "$SIM_URL/_sim/requests?action=RebootCacheCluster" | /usr/bin/python3 -c 'import json,sys; print(" ".join(",".join(r["params"]["CacheNodeIdsToReboot"]) for r in json.load(sys.stdin)))')" = "0001,0002 0003" ]
}

@test "module: replication_group_id verifies the replica links by default; nodes it cannot reach refuse the run before any call that changes something" {
    module '{"replication_group_id": "rg-sessions", "wait_delay": 0.2, "probe_timeout": 1}'
    [ "$status" -eq 1 ]
    [ "$(field failed)" = true ]
    [[ $(field msg) == *"replication group rg-sessions was not rebooted (nothing was changed): cannot verify the replica links"* ]]
    [[ $(field msg) == *"verify_replica_link: false"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
}
