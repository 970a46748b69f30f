#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# End to end: `elasticache reboot-replication-group` verifies each rebooted
# replica's link over the wire by default (INFO replication:
# master_link_status:up, master_sync_in_progress:0) and fails closed when it
# cannot: a member it cannot reach or authenticate to refuses the run
# before any reboot; a replica whose link never comes up stops the run
# before the primary moves. The same 3-member group of real redis-server
# processes as rolling_redis.bats (primary -001, replicas -002 and -003).

load helpers

GROUP=rg-e2e

setup() {
    D=$EC_TMP/rolling-verify.$BATS_TEST_NUMBER
    rm -rf "$D"
    mkdir -p "$D"
    HOOK=$EC_REPO/tests/sim/hooks/redis_node_hook.sh
    mapfile -t P < <(e2e_ports 4)
    [ "${#P[@]}" -eq 4 ]
    DEAD=${P[3]} # nothing listens there
    local p
    for p in "${P[0]}" "${P[1]}" "${P[2]}"; do
        bash "$HOOK" "$D" start 127.0.0.1 "$p"
    done
    for p in "${P[1]}" "${P[2]}"; do
        bash "$HOOK" "$D" replicaof "$GROUP" - 0001 127.0.0.1 "$p" 127.0.0.1 "${P[0]}"
    done
    /usr/bin/python3 "$EC_REPO/tests/sim/fixtures/make_replication_groups.py" --group "$GROUP" \
        --ports "${P[0]},${P[1]},${P[2]}" --endpoint-mode follow >"$D/fixture.json"
    # The simulator's node hook, through a wrapper: once $D/break-links
    # exists, a replica it re-points after its reboot is pointed at a port
    # where nothing listens, so its link never comes up.
    cat >"$D/hook.sh" <<EOF
#!/usr/bin/env bash
if [[ \$2 == replicaof && -e $D/break-links ]]; then
    set -- "\${@:1:8}" "$DEAD"
fi
exec bash "$HOOK" "\$@"
EOF
    wait_until 30 "replica on ${P[1]} linked" linked "${P[1]}"
    wait_until 30 "replica on ${P[2]} linked" linked "${P[2]}"
}

teardown() {
    e2e_teardown "$D"
}

start_sim() {
    sim_start --fixture "$D/fixture.json" --node-hook "bash $D/hook.sh $D" \
        --reboot-seconds 1 --modify-seconds 1
}

linked() { # PORT: a replica whose link to its primary is up
    redis-cli -h 127.0.0.1 -p "$1" INFO replication | grep -q '^master_link_status:up'
}

primary_now() {
    sim_ctl GET "/_sim/replication-groups/$GROUP" | /usr/bin/python3 -c '
import json, sys
g = json.load(sys.stdin)
print([m["CacheClusterId"] for m in g["NodeGroups"][0]["NodeGroupMembers"] if m["CurrentRole"] == "primary"][0])'
}

@test "a replica whose link never comes up stops the run before the primary moves, nothing more rebooted" {
    start_sim
    : >"$D/break-links"
    run "$EC" --endpoint-url "$SIM_URL" reboot-replication-group \
        --replication-group-id "$GROUP" --wait --wait-delay 1 --wait-timeout 20 \
        --probe-timeout 2
    echo "$output"
    [ "$status" -eq 255 ]
    # one replica rebooted, then the run stopped waiting for its link
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
    [ "$(primary_now)" = "$GROUP-001" ]
    [[ $output == *"master_link_status:down"* ]]
    [[ $output == *"nothing more rebooted"* ]]
    # the steps done so far are printed (the JSON)
    [[ $output == *'"Steps"'* ]]
}

@test "--replica-link-timeout: a replica whose link never comes up stops the run at that bound, long before --wait-timeout, naming the member" {
    start_sim
    : >"$D/break-links"
    local t0=$SECONDS
    run "$EC" --endpoint-url "$SIM_URL" reboot-replication-group \
        --replication-group-id "$GROUP" --wait --wait-delay 1 --wait-timeout 600 \
        --probe-timeout 2 --replica-link-timeout 2
    echo "$output"
    [ $((SECONDS - t0)) -lt 120 ]
    [ "$status" -eq 255 ]
    [[ $output == *"replica link timeout: $GROUP-00"[23]" (node 0001) did not show its link to the primary up and synced within 2 s"* ]]
    [[ $output == *"last probe: role:slave master_link_status:down"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
    [ "$(primary_now)" = "$GROUP-001" ]
    [[ $output == *'"Steps"'* ]]
    # refused without the link check, and when not more than 0
    run "$EC" --endpoint-url "$SIM_URL" reboot-replication-group \
        --replication-group-id "$GROUP" --no-verify-replica-link --replica-link-timeout 5
    [ "$status" -eq 252 ]
    [[ $output == *"--replica-link-timeout: not allowed with --no-verify-replica-link"* ]]
    run "$EC" --endpoint-url "$SIM_URL" reboot-replication-group \
        --replication-group-id "$GROUP" --replica-link-timeout 0
    [ "$status" -eq 252 ]
    [[ $output == *"--replica-link-timeout: must be more than 0"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "a member that does not answer from this host refuses the run before any reboot (exit 252)" {
    start_sim
    bash "$HOOK" "$D" stop 127.0.0.1 "${P[2]}"
    run "$EC" --endpoint-url "$SIM_URL" reboot-replication-group \
        --replication-group-id "$GROUP" --wait --wait-delay 1 --probe-timeout 2
    echo "$output"
    [ "$status" -eq 252 ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
    [[ $output == *"$GROUP-003 does not answer from this host"* ]]
    [[ $output == *"--no-verify-replica-link"* ]]
}

@test "--no-verify-replica-link: no node is probed, the API alone is trusted" {
    start_sim
    # A member that does not answer refuses the verified run (above); with
    # the opt-out nothing is probed and the run reboots every member.
    bash "$HOOK" "$D" stop 127.0.0.1 "${P[2]}"
    run "$EC" --endpoint-url "$SIM_URL" reboot-replication-group \
        --replication-group-id "$GROUP" --wait --wait-delay 1 --wait-timeout 120 \
        --no-verify-replica-link
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(sim_count RebootCacheCluster)" -eq 3 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 3 ]
    # probe options make no sense with it
    run "$EC" --endpoint-url "$SIM_URL" reboot-replication-group \
        --replication-group-id "$GROUP" --no-verify-replica-link --probe-timeout 3
    [ "$status" -eq 252 ]
    [[ $output == *"--probe-timeout: not allowed with --no-verify-replica-link"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 3 ]
}

@test "AuthTokenEnabled and no token: refused before any reboot, the fix named" {
    mark_auth
    start_sim
    run "$EC" --endpoint-url "$SIM_URL" reboot-replication-group \
        --replication-group-id "$GROUP" --wait --wait-delay 1
    echo "$output"
    [ "$status" -eq 252 ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
    [[ $output == *"AuthTokenEnabled=true and no AUTH token was given"* ]]
    [[ $output == *"--auth-token-file"* ]]
    # a token file that cannot be read is a usage error, nothing sent
    run "$EC" --endpoint-url "$SIM_URL" reboot-replication-group \
        --replication-group-id "$GROUP" --auth-token-file "$D/no-such-token"
    [ "$status" -eq 252 ]
    [[ $output == *"cannot read --auth-token-file"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

# mark_auth: every AuthTokenEnabled of the fixture set to true.
mark_auth() {
    /usr/bin/python3 - "$D/fixture.json" <<'PY'
import json, sys
path = sys.argv[1]
f = json.load(open(path))
def mark(o):
    if isinstance(o, dict):
        if "AuthTokenEnabled" in o:
            o["AuthTokenEnabled"] = True
        for v in o.values():
            mark(v)
    elif isinstance(o, list):
        for v in o:
            mark(v)
mark(f)
json.dump(f, open(path, "w"))
PY
}

# module JSON: elasticache_reboot as Ansible runs a binary module.
module() {
    printf '%s' "$1" >"$D/args.json"
    run --separate-stderr "$EC_BIN/elasticache_reboot" "$D/args.json"
    echo "$output"
    echo "$stderr"
}

jget() { # PATH: a field of the module's JSON result in $output
    /usr/bin/python3 -c '
import json, sys
v = json.loads(sys.argv[1].splitlines()[-1])
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(json.dumps(v) if not isinstance(v, str) else v)' "$output" "$1"
}

@test "module: replication_group_id verifies each replica's link over the wire, then reboots every member once" {
    start_sim
    module "{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"$GROUP\", \"wait_delay\": 1, \"wait_timeout\": 240}"
    [ "$status" -eq 0 ]
    [ "$(jget changed)" = true ]
    [ "$(jget rebooted_member_ids.2)" = "$GROUP-001" ]
    [ "$(sim_count RebootCacheCluster)" -eq 3 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 3 ]
    # every replica step says its link was seen up
    [ "$(jget steps | grep -o 'its link to the primary up' | wc -l)" -ge 2 ]
}

@test "module: a replica whose link never comes up fails the task at replica_link_timeout, long before wait_timeout, naming the member" {
    start_sim
    : >"$D/break-links"
    local t0=$SECONDS
    module "{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"$GROUP\", \"wait_delay\": 1, \"wait_timeout\": 600, \"probe_timeout\": 2, \"replica_link_timeout\": 2}"
    # fails fast: well inside wait_timeout (600 s)
    [ $((SECONDS - t0)) -lt 120 ]
    [ "$status" -eq 1 ]
    [ "$(jget failed)" = true ]
    [ "$(jget changed)" = true ]
    [[ $(jget msg) == *"replica link timeout: $GROUP-00"[23]" (node 0001) did not show its link to the primary up and synced within 2 s"* ]]
    [[ $(jget msg) == *"last probe: role:slave master_link_status:down"* ]]
    [[ $(jget replica_link_check) == *"master_link_status:down"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
    [ "$(primary_now)" = "$GROUP-001" ]
    # not a positive number, or without the link check: refused, nothing sent
    module "{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"$GROUP\", \"replica_link_timeout\": 0}"
    [ "$status" -eq 1 ]
    [ "$(jget msg)" = "replica_link_timeout must be a positive number of seconds" ]
    module "{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"$GROUP\", \"replica_link_timeout\": 5, \"verify_replica_link\": false}"
    [ "$status" -eq 1 ]
    [[ $(jget msg) == "replica_link_timeout: not allowed with verify_replica_link: false"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "NDJSON: a replica whose link never comes up fails the request at replica_link_timeout, naming the member" {
    start_sim
    : >"$D/break-links"
    local t0=$SECONDS
    run --separate-stderr "$EC_BIN/elasticache_reboot" <<<"{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"$GROUP\", \"wait_delay\": 1, \"wait_timeout\": 600, \"probe_timeout\": 2, \"replica_link_timeout\": 2}"
    echo "$output"
    [ $((SECONDS - t0)) -lt 120 ]
    [ "$status" -eq 1 ]
    [ "$(jget failed)" = true ]
    [[ $(jget msg) == *"replica link timeout: $GROUP-00"[23]" (node 0001) did not show its link to the primary up and synced within 2 s"* ]]
    [[ $(jget msg) == *"last probe: role:slave master_link_status:down"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
    [ "$(primary_now)" = "$GROUP-001" ]
}

@test "module and NDJSON: AuthTokenEnabled and no auth_token refused before any reboot; a given auth_token never shows" {
    mark_auth
    start_sim
    module "{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"$GROUP\", \"wait_delay\": 1}"
    [ "$status" -eq 1 ]
    [[ $(jget msg) == *"AuthTokenEnabled=true and no AUTH token was given: the auth_token option"* ]]
    [[ $(jget msg) == *"verify_replica_link: false"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    # A token the servers refuse (they have none): refused, the token
    # nowhere in the result or on stderr.
    module "{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"$GROUP\", \"wait_delay\": 1, \"auth_token\": \"canary-Tok3n-4711\"}"
    [ "$status" -eq 1 ]
    [[ $(jget msg) == *"cannot verify the replica links: AUTH refused by"* ]]
    [[ $output$stderr != *canary-Tok3n-4711* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    # The same over NDJSON (no args file: one request a line on stdin).
    run --separate-stderr "$EC_BIN/elasticache_reboot" <<<"{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"$GROUP\", \"auth_token\": \"canary-Tok3n-4711\"}"
    echo "$output"
    [[ $output == *"AUTH refused by"* ]]
    [[ $output$stderr != *canary-Tok3n-4711* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "reboot-cache-cluster --wait of a replica: waited for until its link is up; a link that never comes up fails it" {
    start_sim
    run "$EC" --endpoint-url "$SIM_URL" reboot-cache-cluster --cache-cluster-id "$GROUP-002" \
        --wait --wait-delay 1 --wait-timeout 120 --probe-timeout 2
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    # its link was seen up before the command ended
    linked "${P[1]}"
    : >"$D/break-links"
    run "$EC" --endpoint-url "$SIM_URL" reboot-cache-cluster --cache-cluster-id "$GROUP-003" \
        --wait --wait-delay 1 --wait-timeout 15 --probe-timeout 2
    echo "$output"
    [ "$status" -eq 255 ]
    [[ $output == *"The last replica link check saw $GROUP-003: role:slave master_link_status:down"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 2 ]
}
