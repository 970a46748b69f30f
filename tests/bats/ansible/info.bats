#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# elasticache_info (issue 10): the read-only module, run directly with args
# files as Ansible runs a binary module and under real ansible-playbook,
# against the simulator. The fixture is the default one with 110 more
# clusters and 110 more events, so "every cluster" and a wide events window
# take two pages each (MaxRecords defaults to 100).

bats_require_minimum_version 1.5.0
load ../../lib/common

CANARY_ID=AKIDCANARY
CANARY_SECRET=CANARYSECRETxyz0123456789abcdef

setup_file() {
    load ../../lib/common
    "$SIM_PYTHON" - "$EC_REPO/tests/sim/fixtures/default.json" "$BATS_FILE_TMPDIR/fixture.json" <<'EOF'
import copy, json, sys
d = json.load(open(sys.argv[1]))
template = next(c for c in d["clusters"] if c["CacheClusterId"] == "fleet-001")
for i in range(1, 111):
    c = copy.deepcopy(template)
    c["CacheClusterId"] = "page-%03d" % i
    d["clusters"].append(c)
    # Two hours old: outside the last hour, inside "3h".
    d["events"].append({"SourceIdentifier": c["CacheClusterId"], "SourceType": "cache-cluster",
                        "Message": "Cache cluster created", "_age_seconds": 7200})
d["events"].append({"SourceIdentifier": "demo-redis-rg", "SourceType": "replication-group",
                    "Message": "Replication group modified", "_age_seconds": 600})
d["events"].append({"SourceIdentifier": "demo-redis", "SourceType": "cache-cluster",
                    "Message": "Cache node 0001 restarted", "_age_seconds": 300})
json.dump(d, open(sys.argv[2], "w"))
EOF
    sim_start --fixture "$BATS_FILE_TMPDIR/fixture.json" \
        --identity "AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" \
        --identity "$CANARY_ID:$CANARY_SECRET" >/dev/null
    export SIM_URL SIM_PID SIM_DIR
}

teardown_file() {
    sim_stop
}

teardown() {
    if [[ -n ${RESEEDED:-} ]]; then
        sim_reset
    fi
}

setup() {
    RESEEDED=
    MOD=$EC_BIN/elasticache_info
    [[ -x $MOD ]] || {
        echo "elasticache_info is not built in $EC_BIN" >&2
        return 1
    }
    ARGS=$BATS_TEST_TMPDIR/args
}

# module JSON: write an args file, run the module, keep stdout/stderr apart.
module() {
    printf '%s' "$1" >"$ARGS"
    run --separate-stderr "$MOD" "$ARGS"
}

# q EXPR: evaluate a Python expression over the result `r` (stdout's JSON,
# on stdin: every cluster is too long for an argument).
q() {
    printf '%s' "$output" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
v = eval(sys.argv[1])
print(json.dumps(v) if not isinstance(v, str) else v)' "$1"
}

# q_line N EXPR: as q, over line N of the output.
q_line() {
    printf '%s' "${lines[$1]}" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
print(json.dumps(eval(sys.argv[1])))' "$2"
}

# The actions the simulator saw since the log was last cleared, sorted.
actions() {
    sim_ctl GET /_sim/requests |
        /usr/bin/python3 -c 'import json, sys; print(" ".join(sorted({r["action"] for r in json.load(sys.stdin)})))'
}

@test "every cluster and every group, following every page" {
    sim_ctl DELETE /_sim/requests >/dev/null
    module "{\"endpoint_url\": \"$SIM_URL\"}"
    [ "$status" -eq 0 ]
    [ "$(q 'r["changed"]')" = false ]
    [ "$(q 'len(r["elasticache_clusters"])')" -eq 140 ]
    [ "$(q '{"page-001", "page-110", "demo-memcached"} <= {c["cache_cluster_id"] for c in r["elasticache_clusters"]}')" = true ]
    [ "$(q 'len({c["cache_cluster_id"] for c in r["elasticache_clusters"]})')" -eq 140 ]
    [ "$(q 'sorted(g["replication_group_id"] for g in r["replication_groups"])')" = '["cme-redis", "demo-redis-rg"]' ]
    [ "$(q '"events" in r')" = false ]
    # Two pages: 100, then 40 after the marker.
    [ "$(sim_count DescribeCacheClusters)" -eq 2 ]
    [ "$(actions)" = "DescribeCacheClusters DescribeReplicationGroups" ]
}

@test "one cluster: snake_case members, nodes unless show_cache_node_info is false" {
    module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"demo-memcached\"}"
    [ "$status" -eq 0 ]
    [ "$(q '[c["cache_cluster_id"] for c in r["elasticache_clusters"]]')" = '["demo-memcached"]' ]
    [ "$(q 'r["elasticache_clusters"][0]["cache_parameter_group"]["parameter_apply_status"]')" = in-sync ]
    [ "$(q '[n["cache_node_id"] for n in r["elasticache_clusters"][0]["cache_nodes"]]')" = '["0001", "0002", "0003"]' ]
    [ "$(q 'r["replication_groups"]')" = '[]' ]
    # No CamelCase key anywhere.
    [ "$(q '[k for k in r["elasticache_clusters"][0] if k != k.lower()]')" = '[]' ]
    module "{\"endpoint_url\": \"$SIM_URL\", \"name\": \"DEMO-memcached\", \"show_cache_node_info\": \"no\"}"
    [ "$status" -eq 0 ]
    [ "$(q '"cache_nodes" in r["elasticache_clusters"][0]')" = false ]
    [ "$(q 'r["elasticache_clusters"][0]["num_cache_nodes"]')" -eq 3 ]
}

@test "a replication group comes with its members; a member cluster with its group" {
    module "{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"demo-redis-rg\"}"
    [ "$status" -eq 0 ]
    [ "$(q '[g["replication_group_id"] for g in r["replication_groups"]]')" = '["demo-redis-rg"]' ]
    [ "$(q 'sorted(c["cache_cluster_id"] for c in r["elasticache_clusters"])')" = "$(q 'sorted(r["replication_groups"][0]["member_clusters"])')" ]
    [ "$(q 'len(r["elasticache_clusters"])')" -ge 1 ]
    [ "$(q '{c["replication_group_id"] for c in r["elasticache_clusters"]} == {"demo-redis-rg"}')" = true ]
    [ "$(q '"current_role" in r["replication_groups"][0]["node_groups"][0]["node_group_members"][0]')" = true ]
    local member
    member=$(q 'r["elasticache_clusters"][0]["cache_cluster_id"]')
    module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"$member\"}"
    [ "$status" -eq 0 ]
    [ "$(q '[c["cache_cluster_id"] for c in r["elasticache_clusters"]]')" = "[\"$member\"]" ]
    [ "$(q '[g["replication_group_id"] for g in r["replication_groups"]]')" = '["demo-redis-rg"]' ]
}

@test "events: the service's last hour, an age, a named cluster's or group's only, every page" {
    module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"pending-memcached\", \"events\": true}"
    [ "$status" -eq 0 ]
    [ "$(q '[(e["source_identifier"], e["message"]) for e in r["events"]]')" = '[["pending-memcached", "Cache node 0001 restarted"]]' ]
    [ "$(q 'sorted(r["events"][0])')" = '["date", "message", "source_identifier", "source_type"]' ]
    # The restart was 30 minutes ago: outside the last 10 minutes.
    module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"pending-memcached\", \"events\": \"10m\"}"
    [ "$status" -eq 0 ]
    [ "$(q 'r["events"]')" = '[]' ]
    # A group: its own events and its members', nobody else's.
    module "{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"demo-redis-rg\", \"events\": \"1h\"}"
    [ "$status" -eq 0 ]
    [ "$(q 'sorted(e["source_identifier"] for e in r["events"])')" = '["demo-redis", "demo-redis-rg"]' ]
    # A member cluster: its group's events come with it.
    module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"demo-redis\", \"events\": \"1h\"}"
    [ "$status" -eq 0 ]
    [ "$(q 'sorted(e["source_identifier"] for e in r["events"])')" = '["demo-redis", "demo-redis-rg"]' ]
    # Everything of the last three hours: 113 events, two pages.
    sim_ctl DELETE /_sim/requests >/dev/null
    module "{\"endpoint_url\": \"$SIM_URL\", \"events\": \"3h\"}"
    [ "$status" -eq 0 ]
    [ "$(q 'len(r["events"])')" -eq 113 ]
    [ "$(sim_count DescribeEvents)" -eq 2 ]
    # events: false (the default) reads none.
    sim_ctl DELETE /_sim/requests >/dev/null
    module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"demo-memcached\", \"events\": \"no\"}"
    [ "$status" -eq 0 ]
    [ "$(q '"events" in r')" = false ]
    [ "$(sim_count DescribeEvents)" -eq 0 ]
}

@test "tags: each cluster's and group's tags as a dict, one ListTagsForResource each; none unless asked" {
    sim_ctl DELETE /_sim/requests >/dev/null
    module "{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"demo-redis-rg\", \"tags\": true}"
    [ "$status" -eq 0 ]
    [ "$(q 'r["replication_groups"][0]["tags"]')" = '{"env": "prod", "team": "payments"}' ]
    [ "$(q '[(c["cache_cluster_id"], c["tags"]) for c in r["elasticache_clusters"]]')" = '[["demo-redis", {"env": "prod", "team": "payments"}]]' ]
    [ "$(sim_count ListTagsForResource)" -eq 2 ]
    # Keys and values as they are (no snake_case); a tag without a value is null.
    module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"pending-memcached\", \"tags\": \"yes\"}"
    [ "$status" -eq 0 ]
    [ "$(q 'r["elasticache_clusters"][0]["tags"]')" = '{"env": "staging", "Owner": "Ops Team", "no-value": null}' ]
    [ "$(sim_count ListTagsForResource)" -eq 3 ]
    module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"pending-memcached\"}"
    [ "$status" -eq 0 ]
    [ "$(q '"tags" in r["elasticache_clusters"][0]')" = false ]
    [ "$(sim_count ListTagsForResource)" -eq 3 ]
}

@test "tag_filter: every cluster and group, only those with all the tags (filtered here)" {
    # The default fixture (30 clusters, 2 groups), not this file's 140
    # clusters: one call per resource would cost seconds more; teardown
    # restores the file's fixture.
    sim_ctl POST /_sim/seed "$(cat "$EC_REPO/tests/sim/fixtures/default.json")" >/dev/null
    RESEEDED=1
    sim_ctl DELETE /_sim/requests >/dev/null
    module "{\"endpoint_url\": \"$SIM_URL\", \"tag_filter\": {\"env\": \"prod\"}, \"show_cache_node_info\": false}"
    [ "$status" -eq 0 ]
    [ "$(q '[c["cache_cluster_id"] for c in r["elasticache_clusters"]]')" = '["demo-memcached", "demo-redis"]' ]
    [ "$(q '[g["replication_group_id"] for g in r["replication_groups"]]')" = '["demo-redis-rg"]' ]
    [ "$(q 'r["elasticache_clusters"][0]["tags"]')" = '{"env": "prod", "team": "cache"}' ]
    # One call per resource: 30 clusters and 2 groups.
    [ "$(sim_count ListTagsForResource)" -eq 32 ]
    module "{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"demo-redis-rg\", \"tag_filter\": {\"env\": \"prod\", \"team\": \"cache\"}}"
    [ "$status" -eq 0 ]
    [ "$(q '[r["elasticache_clusters"], r["replication_groups"]]')" = '[[], []]' ]
    # A value that is not a string: a clear failure before any call.
    sim_ctl DELETE /_sim/requests >/dev/null
    module "{\"endpoint_url\": \"$SIM_URL\", \"tag_filter\": {\"env\": 1}}"
    [ "$status" -eq 1 ]
    [ "$(q 'r["msg"]')" = "tag_filter: the value of env must be a string (a tag's value), not <class 'int'>" ]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "tags: a resource whose tags the service refuses is a warning; throttling past the retries fails" {
    sim_ctl POST /_sim/fault '{"action": "ListTagsForResource", "kind": "error", "status": 400, "code": "InvalidCacheClusterState", "message": "Cluster is not available.", "count": 1}' >/dev/null
    module "{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"demo-redis-rg\", \"tag_filter\": {\"env\": \"prod\"}}"
    [ "$status" -eq 0 ]
    # The member's tags were refused: no filter can keep it; its group was read.
    [ "$(q 'r["elasticache_clusters"]')" = '[]' ]
    [ "$(q '[g["replication_group_id"] for g in r["replication_groups"]]')" = '["demo-redis-rg"]' ]
    [ "$(q 'r["warnings"]')" = '["Could not list the tags of arn:aws:elasticache:us-east-1:123456789012:cluster:demo-redis: An error occurred (InvalidCacheClusterState) when calling the ListTagsForResource operation: Cluster is not available."]' ]
    sim_ctl POST /_sim/fault '{"action": "ListTagsForResource", "kind": "throttle", "count": 2}' >/dev/null
    module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"demo-memcached\", \"tags\": true, \"aws_config\": {\"retries\": {\"total_max_attempts\": 2}}}"
    [ "$status" -eq 1 ]
    [ "$(q 'r["error"]["code"]')" = Throttling ]
    [[ $(q 'r["msg"]') == "Failed to list tags: An error occurred (Throttling) when calling the ListTagsForResource operation"* ]]
}

@test "NDJSON: one line per resource with its type and request line; a failure is one line; exit status" {
    local out=$BATS_TEST_TMPDIR/out
    printf '%s\n' \
        "{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"demo-redis-rg\", \"tag_filter\": {\"team\": \"payments\"}, \"show_cache_node_info\": false}" \
        "" \
        "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"pending-memcached\", \"events\": true, \"check_mode\": true}" |
        "$MOD" >"$out"
    [ "$(wc -l <"$out")" -eq 4 ]
    [ "$(/usr/bin/python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    print(r["request"], r["resource_type"], r.get("cache_cluster_id") or r.get("replication_group_id") or r["source_identifier"], r.get("tags", {}).get("team", "-"))' "$out")" = "$(printf '1 cache_cluster demo-redis payments
1 replication_group demo-redis-rg payments
3 cache_cluster pending-memcached -
3 event pending-memcached -')" ]
    run bash -c "printf '%s\n' '{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"no-such-cluster\"}' '[1]' | '$MOD'"
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 2 ]
    [ "$(q_line 0 'r["request"], r["failed"], r["error"]["code"]')" = '[1, true, "CacheClusterNotFound"]' ]
    [ "$(q_line 1 'r["request"], r["msg"]')" = '[2, "Error: line 2 is not a JSON object"]' ]
    run bash -c "printf '%s\n' '{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"no-such-cluster\"}' | '$MOD'"
    [ "$status" -eq 1 ]
}

@test "events: a value that is neither a boolean nor a time is a clear failure, before any call" {
    sim_ctl DELETE /_sim/requests >/dev/null
    module "{\"endpoint_url\": \"$SIM_URL\", \"events\": \"lately\"}"
    [ "$status" -eq 1 ]
    [ "$(q 'r["failed"]')" = true ]
    [[ $(q 'r["msg"]') == "events must be a boolean, an age (30m, 2h, 1d) or an ISO 8601 time: "* ]]
    module "{\"endpoint_url\": \"$SIM_URL\", \"events\": 5}"
    [ "$status" -eq 1 ]
    [ "$(q 'r["msg"]')" = "events must be a boolean, an age (30m, 2h, 1d) or an ISO 8601 time, not <class 'int'>" ]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "not found: failed with the service's code, message and request id (fail_json_aws)" {
    module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"no-such-cluster\"}"
    [ "$status" -eq 1 ]
    [ "$(q 'r["failed"]')" = true ]
    [ "$(q 'r["changed"]')" = false ]
    [ "$(q 'r["error"]["code"]')" = CacheClusterNotFound ]
    [ "$(q 'r["error"]["message"]')" = "CacheCluster not found: no-such-cluster" ]
    [ "$(q 'r["msg"]')" = "Failed to describe cache cluster: An error occurred (CacheClusterNotFound) when calling the DescribeCacheClusters operation: CacheCluster not found: no-such-cluster" ]
    [[ $(q 'r["response_metadata"]["request_id"]') =~ ^[0-9a-f-]{36}$ ]]
    [ "$(q 'r["response_metadata"]["http_status_code"]')" -eq 404 ]
    module "{\"endpoint_url\": \"$SIM_URL\", \"replication_group_id\": \"no-such-group\"}"
    [ "$status" -eq 1 ]
    [ "$(q 'r["error"]["code"]')" = ReplicationGroupNotFoundFault ]
}

@test "check mode: the same result, and only describes are sent" {
    sim_ctl DELETE /_sim/requests >/dev/null
    module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"demo-redis\", \"events\": \"1h\"}"
    [ "$status" -eq 0 ]
    local plain=$output
    module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"demo-redis\", \"events\": \"1h\", \"_ansible_check_mode\": true, \"_ansible_diff\": true}"
    [ "$status" -eq 0 ]
    [ "$(q 'r["changed"]')" = false ]
    [ "$output" = "$plain" ]
    [ "$(actions)" = "DescribeCacheClusters DescribeEvents DescribeReplicationGroups" ]
}

@test "parameters: validated exactly as AnsibleModule validates the same argument_spec" {
    AWS_ENDPOINT_URL=$SIM_URL run /usr/bin/python3 "$BATS_TEST_DIRNAME/argspec_oracle.py" \
        "$MOD" "$BATS_TEST_DIRNAME/info_argspec_cases.json" "$BATS_TEST_TMPDIR" elasticache_info
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"17 cases, 0 mismatches"* ]]
}

@test "parameters: AnsibleModule's messages, with this module's name" {
    module '{"cluster_id": "demo-memcached", "node_ids": ["0001"], "_ansible_module_name": "elasticache_info"}'
    [ "$status" -eq 1 ]
    [ "$(q 'r["msg"]')" = "Unsupported parameters for (elasticache_info) module: node_ids. Supported parameters include: access_key, aws_ca_bundle, aws_config, cluster_id, endpoint_url, events, profile, region, replication_group_id, secret_key, session_token, show_cache_node_info, tag_filter, tags, validate_certs (aws_access_key, aws_access_key_id, aws_endpoint_url, aws_profile, aws_region, aws_secret_access_key, aws_secret_key, aws_session_token, cache_cluster_id, name)." ]
    module '{"show_cache_node_info": "perhaps"}'
    [ "$status" -eq 1 ]
    [[ $(q 'r["msg"]') == "argument 'show_cache_node_info' is of type <class 'str'> and we were unable to convert to bool: "* ]]
    run -0 "$MOD" --version
    [[ $output == "elasticache_info "* ]]
}

@test "no_log: the secret appears nowhere in the output, given or from the environment" {
    sim_ctl DELETE /_sim/requests >/dev/null
    module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"demo-memcached\", \"access_key\": \"$CANARY_ID\", \"secret_key\": \"$CANARY_SECRET\", \"events\": \"x${CANARY_SECRET}y\"}"
    [ "$status" -eq 1 ]
    [[ $output != *"$CANARY_SECRET"* ]]
    [[ $stderr != *"$CANARY_SECRET"* ]]
    [ "$(q 'r["invocation"]["module_args"]["secret_key"]')" = VALUE_SPECIFIED_IN_NO_LOG_PARAMETER ]
    [ "$(q 'r["invocation"]["module_args"]["events"]')" = "x********y" ]
    # A successful run signed with the canary identity, the secret from the environment.
    AWS_ACCESS_KEY_ID=$CANARY_ID AWS_SECRET_ACCESS_KEY=$CANARY_SECRET \
        module "{\"endpoint_url\": \"$SIM_URL\", \"cluster_id\": \"demo-memcached\", \"events\": true}"
    [ "$status" -eq 0 ]
    [[ $output != *"$CANARY_SECRET"* ]]
    [[ $stderr != *"$CANARY_SECRET"* ]]
    run -0 sim_ctl GET /_sim/requests
    run -0 /usr/bin/python3 -c 'import json,sys; print(sorted({r["access_key"] for r in json.loads(sys.argv[1])}))' "$output"
    [ "$output" = "['AKIDCANARY']" ]
}

@test "ansible-playbook: registered result, --check, a failing task, no secret in -vvv" {
    export ANSIBLE_COLLECTIONS_PATH=$EC_BUILD/ansible
    export ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
    export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
    export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=false
    : >"$BATS_TEST_TMPDIR/ansible.cfg"
    export ANSIBLE_CONFIG=$BATS_TEST_TMPDIR/ansible.cfg ANSIBLE_HOME=$BATS_TEST_TMPDIR/home
    export ANSIBLE_LOCAL_TEMP=$BATS_TEST_TMPDIR/local
    cat >"$BATS_TEST_TMPDIR/play.yml" <<EOF
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/elasticache_tools.elasticache.elasticache:
      endpoint_url: "$SIM_URL"
      access_key: "$CANARY_ID"
      secret_key: "$CANARY_SECRET"
  tasks:
    - elasticache_tools.elasticache.elasticache_info:
        replication_group_id: demo-redis-rg
        events: 1h
      register: info
    - ansible.builtin.assert:
        that:
          - info is not changed
          - info.replication_groups | map(attribute='replication_group_id') | list == ['demo-redis-rg']
          - info.elasticache_clusters | length == info.replication_groups[0].member_clusters | length
          - info.events | map(attribute='source_identifier') | select('equalto', 'demo-redis-rg') | list | length == 1
    - elasticache_tools.elasticache.elasticache_info:
        replication_group_id: demo-redis-rg
        tag_filter:
          team: payments
      register: tagged
    - ansible.builtin.assert:
        that:
          - "tagged.replication_groups[0].tags == {'env': 'prod', 'team': 'payments'}"
          - tagged.elasticache_clusters | map(attribute='tags.team') | list == ['payments']
    - elasticache_tools.elasticache.elasticache_info:
        cluster_id: no-such-cluster
      register: missing
      ignore_errors: true
    - ansible.builtin.assert:
        that:
          - missing is failed
          - missing.error.code == 'CacheClusterNotFound'
EOF
    run ansible-playbook -vvv "$BATS_TEST_TMPDIR/play.yml"
    echo "$output" | grep -v "$CANARY_SECRET" | tail -30
    [ "$status" -eq 0 ]
    [[ $output == *"ok=6"*"failed=0"*"ignored=1"* ]]
    [[ $output != *"$CANARY_SECRET"* ]]
    run ansible-playbook --check "$BATS_TEST_TMPDIR/play.yml"
    [ "$status" -eq 0 ]
    [[ $output == *"ok=6"*"changed=0"* ]]
    run -0 ansible-doc elasticache_tools.elasticache.elasticache_info
    [[ $output == *"replication_group_id"* ]]
}
