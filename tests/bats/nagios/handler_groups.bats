#!/usr/bin/env bats
# elasticache_event_handler given a member cluster of a replication group
# (issue 10): a primary is refused and never rebooted in place (a failed
# primary is automatic failover's job); a replica is rebooted as any
# cluster. The fixture's member nodes listen on loopback ports where
# nothing answers, so the handler finds them unresponsive.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    load helpers
    sim_start --fixture "$EC_REPO/tests/sim/fixtures/replication-groups.json" --reboot-seconds 1
    export SIM_URL SIM_PID SIM_DIR
}

teardown_file() {
    sim_stop
}

setup() {
    sim_ctl POST /_sim/reset >/dev/null
}

handler() {
    run "$HANDLER" --endpoint-url "$SIM_URL" --no-syslog --probe-timeout 1 "$@"
}

ok_reboots() {
    sim_ctl GET /_sim/requests | /usr/bin/python3 -c '
import json, sys
print(sum(1 for r in json.load(sys.stdin)
          if r["action"] == "RebootCacheCluster" and r["status"] == 200))'
}

@test "a group's primary: refused, exit 0, never rebooted in place" {
    handler -C rg-sessions-001 CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ $output == "elasticache_event_handler: rg-sessions-001: not rebooting node(s) 0001, refused: "*"primary of replication group rg-sessions"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    # Also with --dry-run: the same decision.
    handler -C rg-sessions-001 --dry-run CRITICAL HARD 3
    [ "$status" -eq 0 ]
    [[ $output == *"refused"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "a member of a cluster-mode-enabled group: refused before any reboot" {
    handler -C shop-cme-0001-001 CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"cluster mode enabled"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "a group's replica: rebooted once" {
    handler -C rg-sessions-002 CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"rebooting unresponsive node(s) 0001"* ]]
    [ "$(ok_reboots)" -eq 1 ]
    [ "$(sim_count ModifyReplicationGroup)" -eq 0 ]
}
