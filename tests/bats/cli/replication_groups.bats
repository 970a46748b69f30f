#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# `elasticache describe-replication-groups` against the simulator's
# replication-group fixture: the same stdout and exit status as /usr/bin/aws
# for the same arguments, and the paging calls the AWS CLI makes.

load helpers

FIXTURE=$EC_REPO/tests/sim/fixtures/replication-groups.json

setup_file() { cli_setup_file --fixture "$FIXTURE" --modify-seconds 0.5; }
teardown_file() { cli_teardown_file; }
setup() {
    cli_reset
    sim_ctl POST /_sim/config '{"modify_seconds": 0.5}' >/dev/null
}

@test "describe-replication-groups: every group, as aws prints it" {
    same_as_aws describe-replication-groups
    [ "$(jlen "$EC_TMP/ec.out" ReplicationGroups)" -eq 26 ]
    [ "$(grep -c '"Marker"' "$EC_TMP/ec.out")" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" ReplicationGroups.0.NodeGroups.0.NodeGroupMembers.0.CurrentRole)" = primary ]
    [ "$(jget "$EC_TMP/ec.out" ReplicationGroups.4.ConfigurationEndpoint.Port)" -eq 2049 ]
}

@test "describe-replication-groups --page-size 20: two calls, one list, as aws" {
    ec describe-replication-groups --page-size 20
    show
    [ "$ec_status" -eq 0 ]
    [ "$(sim_count DescribeReplicationGroups)" -eq 2 ]
    [ "$(jlen "$EC_TMP/ec.out" ReplicationGroups)" -eq 26 ]
    sim_ctl DELETE /_sim/requests >/dev/null
    same_as_aws describe-replication-groups --page-size 20
    [ "$(sim_count DescribeReplicationGroups)" -eq 4 ]
    [ "$(curl -sS "$SIM_URL/_sim/requests" | grep -c '"MaxRecords": "20"')" -eq 4 ]
}

@test "describe-replication-groups --replication-group-id, in any case, as aws" {
    same_as_aws describe-replication-groups --replication-group-id RG-Sessions
    [ "$(jlen "$EC_TMP/ec.out" ReplicationGroups)" -eq 1 ]
    [ "$(jget "$EC_TMP/ec.out" ReplicationGroups.0.MemberClusters)" = rg-sessions-001,rg-sessions-002,rg-sessions-003 ]
    same_as_aws describe-replication-groups --replication-group-id=shop-cme --output json
    [ "$(jget "$EC_TMP/ec.out" ReplicationGroups.0.ClusterEnabled)" = true ]
}

@test "describe-replication-groups --max-records, --marker, --no-paginate: one page, as aws" {
    same_as_aws describe-replication-groups --max-records 20
    [ "$(jlen "$EC_TMP/ec.out" ReplicationGroups)" -eq 20 ]
    marker=$(jget "$EC_TMP/ec.out" Marker)
    [ -n "$marker" ]
    same_as_aws describe-replication-groups --marker "$marker"
    [ "$(jlen "$EC_TMP/ec.out" ReplicationGroups)" -eq 6 ]
    same_as_aws describe-replication-groups --no-paginate --max-records 20
    [ "$(jget "$EC_TMP/ec.out" Marker)" = "$marker" ]
}

@test "describe-replication-groups --max-items: same NextToken as aws, and aws's token resumes ours" {
    same_as_aws describe-replication-groups --max-items 7
    [ -n "$(jget "$EC_TMP/ec.out" NextToken)" ]
    same_as_aws describe-replication-groups --max-items 22 --page-size 20
    token=$(jget "$EC_TMP/aws.out" NextToken)
    same_as_aws describe-replication-groups --starting-token "$token" --max-items 3
    same_as_aws describe-replication-groups --starting-token "$token"
    [ "$(jlen "$EC_TMP/ec.out" ReplicationGroups)" -eq 4 ]
    same_as_aws describe-replication-groups --max-items 26
    [ "$(grep -c NextToken "$EC_TMP/ec.out")" -eq 0 ]
}

@test "roles after a primary move, as aws prints them" {
    # Long enough for both CLIs to see it modifying, then over at once.
    sim_ctl POST /_sim/config '{"modify_seconds": 300}' >/dev/null
    awsc modify-replication-group --replication-group-id rg-af --no-automatic-failover-enabled --apply-immediately
    [ "$aws_status" -eq 0 ]
    same_as_aws describe-replication-groups --replication-group-id rg-af
    [ "$(jget "$EC_TMP/ec.out" ReplicationGroups.0.Status)" = modifying ]
    [ "$(jget "$EC_TMP/ec.out" ReplicationGroups.0.AutomaticFailover)" = disabling ]
    sim_ctl POST /_sim/config '{"modify_seconds": 0}' >/dev/null
    awsc modify-replication-group --replication-group-id rg-noaf --primary-cluster-id rg-noaf-002 --apply-immediately
    [ "$aws_status" -eq 0 ]
    wait_until 30 "the move to finish" eval '[ "$(sim_ctl GET /_sim/replication-groups/rg-noaf | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[\"Status\"])")" = available ]'
    same_as_aws describe-replication-groups --replication-group-id rg-noaf
    [ "$(jget "$EC_TMP/ec.out" ReplicationGroups.0.NodeGroups.0.NodeGroupMembers.1.CurrentRole)" = primary ]
}

@test "describe-replication-groups of an unknown group: 254 and the AWS CLI's message" {
    same_as_aws describe-replication-groups --replication-group-id no-such-group
    [ "$ec_status" -eq 254 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
    grep -qx 'An error occurred (ReplicationGroupNotFoundFault) when calling the DescribeReplicationGroups operation: Replication group no-such-group not found.' "$EC_TMP/ec.err"
    same_as_aws describe-replication-groups --max-records 19
    [ "$ec_status" -eq 254 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
}

@test "describe-replication-groups: argument errors are 252, as aws, and an invalid id sends nothing" {
    same_as_aws describe-replication-groups --replication-group-id
    [ "$ec_status" -eq 252 ]
    same_as_aws describe-replication-groups --bogus 1
    [ "$ec_status" -eq 252 ]
    same_as_aws describe-replication-groups --no-paginate --max-items 3
    [ "$ec_status" -eq 252 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
    # aws fails later (255, a Python traceback's text); ours is a usage error.
    ec describe-replication-groups --max-records x
    [ "$ec_status" -eq 252 ]
    grep -qx "elasticache: error: argument --max-records: invalid int value: 'x'" "$EC_TMP/ec.err"
    sim_ctl DELETE /_sim/requests >/dev/null
    ec describe-replication-groups --replication-group-id rg--bad
    show
    [ "$ec_status" -eq 252 ]
    grep -q 'argument --replication-group-id: Invalid replication group id "rg--bad": it must not contain two consecutive hyphens' "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 0 ]
}

@test "describe-replication-groups --help" {
    ec describe-replication-groups --help
    [ "$ec_status" -eq 0 ]
    grep -q -- '--replication-group-id ID' "$EC_TMP/ec.out"
    ec --help
    [ "$ec_status" -eq 0 ]
    grep -q 'describe-replication-groups' "$EC_TMP/ec.out"
}
