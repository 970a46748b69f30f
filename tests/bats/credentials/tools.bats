#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Every executable where its users run it: once with instance-role (IMDS)
# credentials and once with web identity (CI OIDC, EKS IRSA), against a
# cluster of real memcached nodes. With the most verbose output each tool
# has, no secret key, session token or web identity token appears in it.
# (The Ansible module is in tests/bats/ansible/credentials.bats, the real
# nagios4 daemon in tests/bats/nagios/e2e.bats.)

bats_require_minimum_version 1.5.0
load helpers
load ../nagios/helpers

setup_file() {
    load helpers
    load ../nagios/helpers
    [[ -x $CLI && -x $CHECK && -x $HANDLER ]] || skip "tools not built in $EC_BIN"
}

setup() {
    MC1=$(free_port); MC2=$(free_port)
    start_memcached "$MC1"; MC1_PID=$LAST_PID
    start_memcached "$MC2"; MC2_PID=$LAST_PID
    make_fixture "$BATS_TEST_TMPDIR/fixture.json" "memcached:mc:$MC1,$MC2"
    sim_start --fixture "$BATS_TEST_TMPDIR/fixture.json" --reboot-seconds 2 >/dev/null
    creds_reset
}

teardown() {
    sim_stop
    stop_servers
}

signed_with_issued() {
    local keys
    keys=$(access_keys "$1")
    [[ -n $keys && $keys != *AKIDEXAMPLE* && $keys == ASIASIM* ]]
}

run_cli() {
    ec --debug describe-cache-clusters --cache-cluster-id mc --show-cache-node-info
    cp "$EC_TMP/ec.out" "$T/cli.out"; cp "$EC_TMP/ec.err" "$T/cli.err"
    [ "$ec_status" -eq 0 ]
    ec --debug reboot-cache-cluster --cache-cluster-id mc --cache-node-ids-to-reboot 0001
    cat "$EC_TMP/ec.out" >>"$T/cli.out"; cat "$EC_TMP/ec.err" >>"$T/cli.err"
    show
    [ "$ec_status" -eq 0 ]
    signed_with_issued DescribeCacheClusters
    signed_with_issued RebootCacheCluster
    grep -q "^debug: Credentials from $1 (ASIASIM" "$T/cli.err"
    assert_no_secrets "$T/cli.out" "$T/cli.err"
}

run_check() {
    run "$CHECK" --endpoint-url "$SIM_URL" -C mc -vvv
    printf '%s\n' "$output" >"$T/check.out"
    echo "$output" | tail -5
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "ELASTICACHE OK - mc available, 2 of 2 nodes answer"* ]]
    signed_with_issued DescribeCacheClusters
    grep -q "Credentials from $1 (ASIASIM" "$T/check.out"
    assert_no_secrets "$T/check.out"
}

run_handler() {
    kill -STOP "$MC2_PID"
    run "$HANDLER" --endpoint-url "$SIM_URL" --no-syslog --probe-timeout 1 -C mc CRITICAL HARD 1
    kill -CONT "$MC2_PID"
    printf '%s\n' "$output" >"$T/handler.out"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"rebooting unresponsive node(s) 0002"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    signed_with_issued RebootCacheCluster
    assert_no_secrets "$T/handler.out"
}

@test "CLI with instance-role credentials (IMDSv2)" {
    use_imds
    run_cli iam-role
    [ "$(sim_count IMDS:credentials)" -eq 2 ] # one per process
}

@test "CLI with web identity credentials" {
    use_web_identity
    run_cli assume-role-with-web-identity
    [ "$(sim_count AssumeRoleWithWebIdentity)" -eq 2 ]
}

@test "check_elasticache with instance-role credentials, HOME unset, no region configured" {
    use_imds
    unset HOME AWS_REGION AWS_DEFAULT_REGION
    run_check iam-role
    [ "$(sim_count IMDS:region)" -eq 1 ]
}

@test "check_elasticache with web identity credentials" {
    use_web_identity
    run_check assume-role-with-web-identity
}

@test "event handler with instance-role credentials, HOME unset" {
    use_imds
    unset HOME
    run_handler
    [ "$(sim_count IMDS:credentials)" -eq 1 ]
}

@test "event handler with web identity credentials" {
    use_web_identity
    run_handler
    [ "$(sim_count AssumeRoleWithWebIdentity)" -eq 1 ]
}

@test "the leak checks can fail: a tool that printed a session token would be caught" {
    use_web_identity
    run_check assume-role-with-web-identity
    secrets_issued | head -2 | tail -1 >>"$T/check.out"
    run ! assert_no_secrets "$T/check.out"
    [[ $output == *"found in $T/check.out"* ]]
}
