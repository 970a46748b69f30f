#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# `elasticache reboot-cache-cluster`: the plain AWS CLI form (one call, the
# same JSON as /usr/bin/aws) and the safe-reboot extensions (every policy,
# --dry-run, --wait, the progress display).

load helpers

setup_file() { cli_setup_file; }
teardown_file() { cli_teardown_file; }
setup() { cli_reset; }

clock_past() { [ "$(date +%s)" -gt "$1" ]; }

@test "plain reboot: one RebootCacheCluster call and the same stdout as aws" {
    awsc reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001 0002
    [ "$aws_status" -eq 0 ]
    cli_reset
    # Still rebooting when the node is looked at, however slow the checks before.
    sim_ctl POST /_sim/config '{"reboot_seconds":60}' >/dev/null
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001 0002
    show
    [ "$ec_status" -eq 0 ]
    diff -u "$EC_TMP/aws.out" "$EC_TMP/ec.out"
    [ "$(jget "$EC_TMP/ec.out" CacheCluster.CacheClusterStatus)" = "rebooting cache cluster nodes" ]
    # Exactly what the AWS CLI does: one call, nothing else.
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    [ "$(sim_count '*')" -eq 1 ]
    [ "$(sim_node_status demo-memcached 0001)" = rebooting ]
    [ "$(sim_node_status demo-memcached 0003)" = available ]
}

@test "plain reboot with --opt=value and a redis cluster: same as aws" {
    awsc reboot-cache-cluster --cache-cluster-id=demo-redis --cache-node-ids-to-reboot=0001
    cli_reset
    ec reboot-cache-cluster --cache-cluster-id=demo-redis --cache-node-ids-to-reboot=0001
    show
    [ "$ec_status" -eq "$aws_status" ]
    diff -u "$EC_TMP/aws.out" "$EC_TMP/ec.out"
}

@test "plain reboot of a rebooting cluster: 254 InvalidCacheClusterState, as aws" {
    # Long enough for both CLIs to find it still rebooting.
    sim_ctl POST /_sim/config '{"reboot_seconds":30,"consistency_lag":0}' >/dev/null
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001
    same_as_aws reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001
    [ "$ec_status" -eq 254 ]
    [ ! -s "$EC_TMP/ec.out" ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
    grep -q '^An error occurred (InvalidCacheClusterState) when calling the RebootCacheCluster operation: ' "$EC_TMP/ec.err"
}

@test "plain reboot of a cluster-mode-enabled member: 254, as aws" {
    same_as_aws reboot-cache-cluster --cache-cluster-id cme-redis-0001-001 --cache-node-ids-to-reboot 0001
    [ "$ec_status" -eq 254 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
}

@test "plain reboot of an unknown node: 254 InvalidParameterValue, as aws" {
    same_as_aws reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0009
    [ "$ec_status" -eq 254 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
}

@test "no node ids: every node, with the outcome JSON" {
    sim_ctl POST /_sim/config '{"reboot_seconds":60}' >/dev/null
    ec reboot-cache-cluster --cache-cluster-id demo-memcached
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = true ]
    [ "$(jget "$EC_TMP/ec.out" DryRun)" = false ]
    [ "$(jget "$EC_TMP/ec.out" Decision)" = reboot ]
    [ "$(jget "$EC_TMP/ec.out" RebootedNodeIds)" = 0001,0002,0003 ]
    [ "$(jget "$EC_TMP/ec.out" Before.CacheClusterStatus)" = available ]
    [ "$(jget "$EC_TMP/ec.out" CacheCluster.CacheClusterId)" = demo-memcached ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    [ "$(sim_node_status demo-memcached 0003)" = rebooting ]
}

@test "--dry-run decides and sends no reboot" {
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001 0003 --dry-run
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = true ]
    [ "$(jget "$EC_TMP/ec.out" DryRun)" = true ]
    [ "$(jget "$EC_TMP/ec.out" RebootedNodeIds)" = 0001,0003 ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(sim_cluster_status demo-memcached)" = available ]
    [ "$(sim_node_status demo-memcached 0001)" = available ]
}

@test "--only-if-pending reboots the pending node only; a second run changes nothing" {
    ec reboot-cache-cluster --cache-cluster-id pending-memcached --only-if-pending --wait --wait-delay 0.3
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = true ]
    [ "$(jget "$EC_TMP/ec.out" RebootedNodeIds)" = 0002 ]
    [ "$(jget "$EC_TMP/ec.out" After.CacheNodes.1.ParameterGroupStatus)" = in-sync ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    ec reboot-cache-cluster --cache-cluster-id pending-memcached --only-if-pending
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = false ]
    [ "$(jget "$EC_TMP/ec.out" Decision)" = nothing-pending ]
    [ "$(jget "$EC_TMP/ec.out" RebootedNodeIds)" = "" ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "--only-if-pending with nothing pending: no call, changed false" {
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --only-if-pending
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = false ]
    [ "$(jget "$EC_TMP/ec.out" Decision)" = nothing-pending ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "--only-if-pending twice at once: the second sees the reboot in progress and sends nothing" {
    # The second run must find the first one's reboot still going.
    sim_ctl POST /_sim/config '{"reboot_seconds":60}' >/dev/null
    ec reboot-cache-cluster --cache-cluster-id pending-memcached --only-if-pending
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = true ]
    ec reboot-cache-cluster --cache-cluster-id pending-memcached --only-if-pending
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = false ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "a cluster already rebooting is not rebooted again" {
    sim_ctl POST /_sim/config '{"reboot_seconds":60}' >/dev/null
    awsc reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001 0002 0003
    [ "$aws_status" -eq 0 ]
    ec reboot-cache-cluster --cache-cluster-id demo-memcached
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = false ]
    [ "$(jget "$EC_TMP/ec.out" Decision)" = already-rebooting ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "--unless-rebooted-since skips a node that restarted since, reboots one that did not" {
    awsc reboot-cache-cluster --cache-cluster-id fleet-001 --cache-node-ids-to-reboot 0001
    [ "$aws_status" -eq 0 ]
    # The restart event is written when the reboot is over.
    sim_wait_cluster_status fleet-001 available
    after=$(date +%s)
    ec reboot-cache-cluster --cache-cluster-id fleet-001 --unless-rebooted-since 30m
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = false ]
    [ "$(jget "$EC_TMP/ec.out" Decision)" = recently-rebooted ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    # The restart is older than a time given after it: reboot. TIME has
    # whole seconds, so take it in the second after the one the restart
    # was seen done in.
    wait_until 5 "second after $after" clock_past "$after"
    since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    ec reboot-cache-cluster --cache-cluster-id fleet-001 --unless-rebooted-since "$since"
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = true ]
    [ "$(jget "$EC_TMP/ec.out" RebootedNodeIds)" = 0001 ]
    [ "$(sim_count RebootCacheCluster)" -eq 2 ]
}

@test "--unless-rebooted-since with a bad time: 252, no call" {
    ec reboot-cache-cluster --cache-cluster-id fleet-001 --unless-rebooted-since "last tuesday"
    show
    [ "$ec_status" -eq 252 ]
    grep -q 'argument --unless-rebooted-since' "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 0 ]
}

@test "--wait returns only when the nodes are back and available" {
    start=$(date +%s.%N)
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001 0002 --wait --wait-delay 0.3
    end=$(date +%s.%N)
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = true ]
    [ "$(jget "$EC_TMP/ec.out" After.CacheClusterStatus)" = available ]
    [ "$(jget "$EC_TMP/ec.out" CacheCluster.CacheClusterStatus)" = available ]
    [ "$(sim_cluster_status demo-memcached)" = available ]
    [ "$(sim_node_status demo-memcached 0001)" = available ]
    # The sim takes 2 s to reboot a node: returning sooner would be a lie.
    /usr/bin/python3 -c "import sys; sys.exit(0 if $end - $start >= 2.0 else 1)"
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    # Not a terminal: no progress display.
    [ ! -s "$EC_TMP/ec.err" ]
}

@test "--wait with a consistency lag is not fooled by a stale available" {
    sim_ctl POST /_sim/config '{"reboot_seconds":2,"consistency_lag":3}' >/dev/null
    start=$(date +%s.%N)
    ec reboot-cache-cluster --cache-cluster-id fleet-002 --wait --wait-delay 0.3
    end=$(date +%s.%N)
    show
    [ "$ec_status" -eq 0 ]
    /usr/bin/python3 -c "import sys; sys.exit(0 if $end - $start >= 2.0 else 1)"
    [ "$(sim_cluster_status fleet-002)" = available ]
}

@test "--wait-timeout too short: 255, and the reboot was sent once" {
    sim_ctl POST /_sim/config '{"reboot_seconds":30,"consistency_lag":0}' >/dev/null
    ec reboot-cache-cluster --cache-cluster-id fleet-003 --wait --wait-delay 0.3 --wait-timeout 1
    show
    [ "$ec_status" -eq 255 ]
    [ -s "$EC_TMP/ec.err" ]
    # What was done is still on stdout, so nobody reboots again blindly.
    [ "$(jget "$EC_TMP/ec.out" Changed)" = true ]
    [ "$(jget "$EC_TMP/ec.out" RebootedNodeIds)" = 0001 ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "a busy cluster without --wait: a failure (255) naming the state and --wait; --dry-run predicts it" {
    # Issue 8, item 6: a requested reboot that did not happen is a failure.
    sim_ctl POST /_sim/clusters/fleet-004/state '{"status":"modifying"}' >/dev/null
    ec reboot-cache-cluster --cache-cluster-id fleet-004
    show
    [ "$ec_status" -eq 255 ]
    [ "$(jget "$EC_TMP/ec.out" Decision)" = busy ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = false ]
    grep -q 'fleet-004 was not rebooted: fleet-004 is modifying, not available' "$EC_TMP/ec.err"
    grep -q 'run with wait' "$EC_TMP/ec.err"
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    # --dry-run says what the real run does: it would fail the same way ...
    ec reboot-cache-cluster --cache-cluster-id fleet-004 --dry-run
    show
    [ "$ec_status" -eq 255 ]
    [ "$(jget "$EC_TMP/ec.out" Decision)" = busy ]
    [ "$(jget "$EC_TMP/ec.out" DryRun)" = true ]
    grep -q 'would reboot nothing and fail' "$EC_TMP/ec.err"
    # ... and with --wait it would wait, then reboot.
    ec reboot-cache-cluster --cache-cluster-id fleet-004 --dry-run --wait
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" Decision)" = reboot ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = true ]
    [ "$(jget "$EC_TMP/ec.out" RebootedNodeIds)" = 0001 ]
    [[ $(jget "$EC_TMP/ec.out" Message) == *"would wait until it is available, then reboot node 0001"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "a node that is not in the cluster: 254 (the cluster was described), nothing rebooted" {
    # Issue 8, item 15: 252 says nothing was sent; the safe form sent a
    # describe, and its refusal is what the plain form gets from the
    # service for the same ids (254).
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001 0009 --wait
    show
    [ "$ec_status" -eq 254 ]
    [ ! -s "$EC_TMP/ec.out" ]
    grep -q 'cache node 0009 is not in cluster demo-memcached (its nodes: 0001, 0002, 0003)' "$EC_TMP/ec.err"
    [ "$(grep -c '^usage:' "$EC_TMP/ec.err")" -eq 0 ]
    # two: with --wait, one to learn whether the cluster is a group's
    # replica whose link must be verified (it is not), then the reboot's
    [ "$(sim_count DescribeCacheClusters)" -eq 2 ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    # The plain form gets the service's refusal: the same status.
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0009
    [ "$ec_status" -eq 254 ]
    # A malformed node id is still refused before any request.
    cli_reset
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 1 --wait
    [ "$ec_status" -eq 252 ]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "an empty node list reboots nothing: refused before any request" {
    # Issue 8, item 1: the CLI's argument parser takes no empty list (the
    # AWS CLI sends it, and the service refuses it), so no empty list can
    # mean "every node" here either.
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot '[]' --wait
    show
    [ "$ec_status" -eq 252 ]
    [ "$(sim_count '*')" -eq 0 ]
    [ "$(sim_cluster_status demo-memcached)" = available ]
}

@test "progress on a terminal: per-node lines with elapsed time on stderr, JSON on stdout" {
    command -v script >/dev/null || skip "script(1) not installed"
    # script gives the CLI a terminal; its stdout goes to a file.
    script -qec "\"$CLI\" --endpoint-url \"$SIM_URL\" reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001 0002 --wait --wait-delay 0.3 >\"$EC_TMP/tty.out\"" /dev/null >"$EC_TMP/tty.err"
    cat -v "$EC_TMP/tty.err" | tail -20
    grep -q 'node 0001 *rebooting' "$EC_TMP/tty.err"
    grep -q 'node 0002 *available' "$EC_TMP/tty.err"
    [ "$(grep -c 'node 0003' "$EC_TMP/tty.err")" -eq 0 ]
    grep -q 'demo-memcached: .*\[ *[0-9]*s\]' "$EC_TMP/tty.err"
    # Redrawn in place with ANSI cursor movement.
    grep -q $'\e\\[[0-9]*A' "$EC_TMP/tty.err"
    [ "$(jget "$EC_TMP/tty.out" Changed)" = true ]
}

@test "no terminal: no progress on stderr" {
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --wait --wait-delay 0.3
    [ "$ec_status" -eq 0 ]
    [ ! -s "$EC_TMP/ec.err" ]
}

@test "lost answer, plain form: 255 and the call is not sent again" {
    sim_ctl POST /_sim/fault '{"action":"RebootCacheCluster","kind":"reset","count":5,"after_processing":true}' >/dev/null
    ec reboot-cache-cluster --cache-cluster-id fleet-005 --cache-node-ids-to-reboot 0001
    show
    [ "$ec_status" -eq 255 ]
    [ ! -s "$EC_TMP/ec.out" ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    [ "$(sim_node_status fleet-005 0001)" = rebooting ]
}

@test "lost answer, safe form: confirmed by describing, changed true, sent once" {
    sim_ctl POST /_sim/fault '{"action":"RebootCacheCluster","kind":"reset","count":5,"after_processing":true}' >/dev/null
    ec reboot-cache-cluster --cache-cluster-id fleet-006 --wait --wait-delay 0.3
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" Changed)" = true ]
    [ "$(jget "$EC_TMP/ec.out" RebootedNodeIds)" = 0001 ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    [ "$(sim_cluster_status fleet-006)" = available ]
}

@test "a 200 whose body cannot be read (HTML, empty, broken XML): plain form 255, not resent" {
    # Issue 8, item 9. The plain form is the AWS CLI's one call: it cannot
    # describe, so it says the reboot may have been accepted and exits 255.
    local kind n=0
    for kind in html empty malformed; do
        cli_reset
        sim_ctl POST /_sim/config '{"reboot_seconds":60}' >/dev/null
        sim_ctl POST /_sim/fault "{\"action\":\"RebootCacheCluster\",\"kind\":\"$kind\",\"count\":5,\"after_processing\":true}" >/dev/null
        ec reboot-cache-cluster --cache-cluster-id fleet-007 --cache-node-ids-to-reboot 0001
        show
        [ "$ec_status" -eq 255 ]
        [ ! -s "$EC_TMP/ec.out" ]
        grep -q 'the reboot may have been accepted' "$EC_TMP/ec.err"
        [ "$(sim_count RebootCacheCluster)" -eq 1 ]
        [ "$(sim_node_status fleet-007 0001)" = rebooting ]
        n=$((n + 1))
    done
    [ "$n" -eq 3 ]
}

@test "a 200 whose body cannot be read, safe form: confirmed by describing, changed, sent once" {
    local kind
    for kind in html empty malformed; do
        cli_reset
        sim_ctl POST /_sim/fault "{\"action\":\"RebootCacheCluster\",\"kind\":\"$kind\",\"count\":5,\"after_processing\":true}" >/dev/null
        ec reboot-cache-cluster --cache-cluster-id fleet-008 --wait --wait-delay 0.3
        show
        [ "$ec_status" -eq 0 ]
        [ "$(jget "$EC_TMP/ec.out" Changed)" = true ]
        [ "$(jget "$EC_TMP/ec.out" Decision)" = reboot ]
        [[ $(jget "$EC_TMP/ec.out" Message) == *"answer to RebootCacheCluster was lost; describing confirmed the reboot"* ]]
        [ "$(sim_count RebootCacheCluster)" -eq 1 ]
        [ "$(sim_cluster_status fleet-008)" = available ]
    done
    # The same answer to a reboot the service did not take: a failure
    # that says so, and still one call.
    cli_reset
    sim_ctl POST /_sim/fault '{"action":"RebootCacheCluster","kind":"html","count":5}' >/dev/null
    ec reboot-cache-cluster --cache-cluster-id fleet-009 --wait --wait-delay 0.3 --wait-timeout 3
    show
    [ "$ec_status" -eq 255 ]
    grep -q 'not sending it again' "$EC_TMP/ec.err"
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "node ids as a JSON list, as the AWS CLI accepts them: same as aws" {
    awsc reboot-cache-cluster --cache-cluster-id big-memcached --cache-node-ids-to-reboot '["0001","0003"]'
    [ "$aws_status" -eq 0 ]
    cli_reset
    sim_ctl POST /_sim/config '{"reboot_seconds":60}' >/dev/null
    ec reboot-cache-cluster --cache-cluster-id big-memcached --cache-node-ids-to-reboot '["0001","0003"]'
    show
    [ "$ec_status" -eq 0 ]
    diff -u "$EC_TMP/aws.out" "$EC_TMP/ec.out"
    [ "$(sim_node_status big-memcached 0003)" = rebooting ]
    [ "$(sim_node_status big-memcached 0002)" = available ]
    ec reboot-cache-cluster --cache-cluster-id big-memcached --cache-node-ids-to-reboot '["0001",'
    [ "$ec_status" -eq 252 ]
    grep -q 'Invalid JSON' "$EC_TMP/ec.err"
}
