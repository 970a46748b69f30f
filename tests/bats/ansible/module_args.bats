#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# elasticache_reboot as an Ansible binary module, run directly with args
# files as Ansible runs it (`elasticache_reboot <args-file>`, flat JSON):
# parameter validation against AnsibleModule itself, exact messages, env
# fallbacks, profile/key conflicts, check mode, diff and no_log masking.

bats_require_minimum_version 1.5.0
load ../../lib/common

MOD=

setup_file() {
    load ../../lib/common
    sim_start --reboot-seconds 1 --identity "AKIDCANARY:CANARYSECRETxyz0123456789abcdef" \
        --identity "AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" >/dev/null
    export SIM_URL SIM_PID SIM_DIR
}

teardown_file() {
    sim_stop
}

setup() {
    MOD=$EC_BIN/elasticache_reboot
    [[ -x $MOD ]] || { echo "elasticache_reboot is not built in $EC_BIN" >&2; return 1; }
    ARGS=$BATS_TEST_TMPDIR/args
}

# module JSON: write an args file, run the module, keep stdout/stderr apart.
module() {
    printf '%s' "$1" >"$ARGS"
    run --separate-stderr "$MOD" "$ARGS"
}

field() {
    /usr/bin/python3 -c '
import json, sys
v = json.loads(sys.argv[1])
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(json.dumps(v) if not isinstance(v, str) else v)' "$output" "$1"
}

@test "parameters: validated exactly as AnsibleModule validates the same argument_spec" {
    AWS_ENDPOINT_URL=$SIM_URL run /usr/bin/python3 "$BATS_TEST_DIRNAME/argspec_oracle.py" \
        "$MOD" "$BATS_TEST_DIRNAME/argspec_cases.json" "$BATS_TEST_TMPDIR"
    echo "$output"
    [ "$status" -eq 0 ]
    local n
    n=$(/usr/bin/python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$BATS_TEST_DIRNAME/argspec_cases.json")
    [ "$n" -ge 50 ]
    [[ $output == *"$n cases, 0 mismatches"* ]]
}

@test "unsupported parameters: AnsibleModule's message word for word" {
    module '{"cluster_id": "demo-memcached", "bogus": 1, "_ansible_module_name": "elasticache_reboot", "_ansible_unknown_future_key": 1}'
    [ "$status" -eq 1 ]
    [ "$(field failed)" = true ]
    [ "$(field msg)" = "Unsupported parameters for (elasticache_reboot) module: bogus. Supported parameters include: access_key, allow_primary_reboot, auth_token, auth_user, aws_ca_bundle, aws_config, batch_size, cluster_id, endpoint_url, node_ids, only_if_pending, probe_ca_bundle, probe_timeout, probe_validate_certs, profile, region, replica_link_timeout, replication_group_id, secret_key, session_token, tls, unless_rebooted_since, validate_certs, verify_replica_link, wait, wait_delay, wait_timeout (aws_access_key, aws_access_key_id, aws_endpoint_url, aws_profile, aws_region, aws_secret_access_key, aws_secret_key, aws_session_token, cache_cluster_id, cache_node_ids_to_reboot, name)." ]
}

@test "missing and mistyped parameters: AnsibleModule's messages" {
    module '{"wait": true}'
    [ "$status" -eq 1 ]
    [ "$(field msg)" = "one of the following is required: cluster_id, replication_group_id" ]
    module '{"cluster_id": "demo-memcached", "wait_timeout": "soon"}'
    [ "$status" -eq 1 ]
    [ "$(field msg)" = "argument 'wait_timeout' is of type <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int" ]
    module '{"cluster_id": "demo-memcached", "wait": "perhaps"}'
    [ "$status" -eq 1 ]
    [[ $(field msg) == "argument 'wait' is of type <class 'str'> and we were unable to convert to bool: The value 'perhaps' is not a valid boolean.  Valid booleans include: "* ]]
}

@test "arguments that are not JSON: AnsibleModule's message; wrapped ANSIBLE_MODULE_ARGS accepted" {
    module 'not json'
    [ "$status" -eq 1 ]
    [ "$(field msg)" = "Error: Module unable to decode valid JSON on stdin.  Unable to figure out what parameters were passed" ]
    module "{\"ANSIBLE_MODULE_ARGS\": {\"cluster_id\": \"demo-memcached\", \"endpoint_url\": \"$SIM_URL\", \"_ansible_check_mode\": true}}"
    [ "$status" -eq 0 ]
    [ "$(field changed)" = true ]
}

@test "check mode: reports the nodes it would reboot, sends no RebootCacheCluster" {
    sim_ctl DELETE /_sim/requests >/dev/null
    module "{\"cluster_id\": \"demo-memcached\", \"node_ids\": \"0001,0003\", \"endpoint_url\": \"$SIM_URL\", \"_ansible_check_mode\": \"yes\"}"
    [ "$status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(field rebooted_node_ids)" = '["0001", "0003"]' ]
    [ "$(field response_metadata.request_id)" = null ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(sim_count DescribeCacheClusters)" -ge 1 ]
}

@test "reboot, then only_if_pending is changed=false; diff shows before/after" {
    module "{\"cluster_id\": \"pending-memcached\", \"only_if_pending\": true, \"wait_delay\": \"0.3\", \"endpoint_url\": \"$SIM_URL\", \"_ansible_diff\": true}"
    [ "$status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(field rebooted_node_ids)" = '["0002"]' ]
    [ "$(field diff.before.cache_nodes.0002.parameter_group_status)" = pending-reboot ]
    [ "$(field diff.after.cache_nodes.0002.parameter_group_status)" = in-sync ]
    [ "$(field diff.after.cache_nodes.0002.rebooted)" = true ]
    [ "$(field diff.after.cache_nodes.0001.rebooted)" = false ]
    [ "$(field cache_cluster.cache_cluster_status)" = available ]
    [ -n "$(field response_metadata.request_id)" ]
    module "{\"cluster_id\": \"pending-memcached\", \"only_if_pending\": true, \"endpoint_url\": \"$SIM_URL\"}"
    [ "$status" -eq 0 ]
    [ "$(field changed)" = false ]
    [ "$(field rebooted_node_ids)" = '[]' ]
    [[ -z $(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("diff",""))' "$output") ]]
}

@test "failure: fail_json_aws shape with error code and response metadata" {
    module "{\"cluster_id\": \"no-such-cluster\", \"endpoint_url\": \"$SIM_URL\"}"
    [ "$status" -eq 1 ]
    [ "$(field failed)" = true ]
    [ "$(field changed)" = false ]
    [ "$(field msg)" = "Failed to reboot cache cluster: An error occurred (CacheClusterNotFound) when calling the DescribeCacheClusters operation: CacheCluster not found: no-such-cluster" ]
    [ "$(field error.code)" = CacheClusterNotFound ]
    [ "$(field response_metadata.http_status_code)" = 404 ]
    [ -n "$(field response_metadata.request_id)" ]
}

@test "profile together with keys fails as amazon.aws does; AWS_PROFILE ignored when keys are given" {
    module '{"cluster_id": "demo-memcached", "profile": "ops", "access_key": "AKIDEXAMPLE"}'
    [ "$status" -eq 1 ]
    [ "$(field msg)" = "Passing both a profile and access tokens is not supported." ]
    AWS_PROFILE=nope module "{\"cluster_id\": \"demo-memcached\", \"access_key\": \"AKIDEXAMPLE\", \"secret_key\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\", \"endpoint_url\": \"$SIM_URL\", \"_ansible_check_mode\": true}"
    [ "$status" -eq 0 ]
}

@test "credentials: a profile from the shared files; env keys are not used with a profile" {
    printf '[canary]\naws_access_key_id = AKIDCANARY\naws_secret_access_key = CANARYSECRETxyz0123456789abcdef\n' >"$AWS_SHARED_CREDENTIALS_FILE"
    module "{\"cluster_id\": \"demo-memcached\", \"aws_profile\": \"canary\", \"endpoint_url\": \"$SIM_URL\", \"_ansible_check_mode\": true}"
    : >"$AWS_SHARED_CREDENTIALS_FILE"
    echo "$output"
    [ "$status" -eq 0 ]
    run -0 sim_ctl GET /_sim/requests
    run -0 /usr/bin/python3 -c 'import json,sys; r=json.loads(sys.argv[1])[-1]; print(r["signature"], r["access_key"])' "$output"
    echo "$output"
    [ "$output" = "ok AKIDCANARY" ]
}

@test "no_log: a canary secret given as a parameter never appears on stdout or stderr" {
    local canary=CANARYSECRETxyz0123456789abcdef
    module "{\"cluster_id\": \"no-such-cluster\", \"access_key\": \"AKIDCANARY\", \"aws_secret_key\": \"$canary\", \"unless_rebooted_since\": \"x${canary}y\", \"endpoint_url\": \"$SIM_URL\"}"
    [[ $output != *"$canary"* ]]
    [[ $stderr != *"$canary"* ]]
    [ "$(field invocation.module_args.secret_key)" = VALUE_SPECIFIED_IN_NO_LOG_PARAMETER ]
    [ "$(field invocation.module_args.aws_secret_key)" = VALUE_SPECIFIED_IN_NO_LOG_PARAMETER ]
    [ "$(field invocation.module_args.unless_rebooted_since)" = "x********y" ]
}

@test "no_log: secrets from the environment are masked too" {
    local canary=CANARYSECRETxyz0123456789abcdef
    AWS_ACCESS_KEY_ID=AKIDCANARY AWS_SECRET_ACCESS_KEY=$canary AWS_SESSION_TOKEN=TOKENCANARY42 \
        module "{\"cluster_id\": \"demo-memcached\", \"unless_rebooted_since\": \"$canary\", \"endpoint_url\": \"$SIM_URL\", \"_ansible_check_mode\": true}"
    [[ $output != *"$canary"* && $stderr != *"$canary"* ]]
    [[ $output != *TOKENCANARY42* ]]
    [ "$(field invocation.module_args.unless_rebooted_since)" = VALUE_SPECIFIED_IN_NO_LOG_PARAMETER ]
}

@test "a session token with a line break never reaches a header (issue 8, item 12)" {
    sim_reset
    module '{"cluster_id": "demo-memcached", "endpoint_url": "'"$SIM_URL"'", "access_key": "AKIDEXAMPLE", "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session_token": "TOKENCANARY42\r\nX-Injected: 1"}'
    [ "$status" -eq 1 ]
    echo "$output"
    [ "$(field failed)" = true ]
    [[ $(field msg) == *"session token has a control character"* ]]
    [[ $output != *TOKENCANARY42* && $stderr != *TOKENCANARY42* ]]
    [[ $output != *X-Injected* ]]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "node_ids: [] is no node: changed=false, no call (issue 8, item 1)" {
    sim_reset
    module '{"cluster_id": "demo-memcached", "endpoint_url": "'"$SIM_URL"'", "node_ids": [], "_ansible_diff": true}'
    [ "$status" -eq 0 ]
    echo "$output"
    [ "$(field changed)" = false ]
    [ "$(field rebooted_node_ids)" = '[]' ]
    [[ $(field msg) == "the node list is empty: nothing rebooted"* ]]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "busy without wait: failed, naming the state and wait; check mode says the same (issue 8, item 6)" {
    sim_reset
    sim_ctl POST /_sim/clusters/demo-memcached/state '{"status":"snapshotting"}' >/dev/null
    module '{"cluster_id": "demo-memcached", "endpoint_url": "'"$SIM_URL"'", "wait": false}'
    [ "$status" -eq 1 ]
    echo "$output"
    [ "$(field failed)" = true ]
    [ "$(field changed)" = false ]
    [[ $(field msg) == "demo-memcached is snapshotting, not available: nothing rebooted; run with wait"* ]]
    module '{"cluster_id": "demo-memcached", "endpoint_url": "'"$SIM_URL"'", "wait": false, "_ansible_check_mode": true}'
    [ "$status" -eq 1 ]
    [ "$(field failed)" = true ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "a 200 whose body is a proxy's HTML page: confirmed by describing, sent once (issue 8, item 9)" {
    sim_reset
    sim_ctl POST /_sim/fault '{"action":"RebootCacheCluster","kind":"html","count":5,"after_processing":true}' >/dev/null
    module '{"cluster_id": "demo-memcached", "endpoint_url": "'"$SIM_URL"'", "node_ids": ["0003"], "wait_delay": 0.3}'
    [ "$status" -eq 0 ]
    echo "$output"
    [ "$(field changed)" = true ]
    [ "$(field rebooted_node_ids)" = '["0003"]' ]
    [[ $(field msg) == *"describing confirmed the reboot"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    # Run again: the node restarted since the run began, nothing is sent.
    module '{"cluster_id": "demo-memcached", "endpoint_url": "'"$SIM_URL"'", "node_ids": ["0003"], "unless_rebooted_since": "10m"}'
    [ "$status" -eq 0 ]
    [ "$(field changed)" = false ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "a FIFO named as the config or credentials file never blocks the module (issue 8, item 13)" {
    local fifo_config=$BATS_TEST_TMPDIR/config.fifo fifo_creds=$BATS_TEST_TMPDIR/credentials.fifo
    mkfifo "$fifo_config" "$fifo_creds"
    printf '%s' '{"cluster_id": "demo-memcached", "endpoint_url": "'"$SIM_URL"'", "_ansible_check_mode": true}' >"$ARGS"
    AWS_CONFIG_FILE=$fifo_config AWS_SHARED_CREDENTIALS_FILE=$fifo_creds \
        run --separate-stderr timeout 30 "$MOD" "$ARGS"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(field changed)" = true ]
    # Without credentials elsewhere: a failure that names the skipped files.
    AWS_CONFIG_FILE=$fifo_config AWS_SHARED_CREDENTIALS_FILE=$fifo_creds \
        run --separate-stderr timeout 30 env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$MOD" "$ARGS"
    echo "$output"
    [ "$status" -eq 1 ]
    [ "$(field failed)" = true ]
    [[ $(field msg) == *"$fifo_creds: not a regular file, skipped"* ]]
}

@test "unless_rebooted_since: a bad time is a clear failure" {
    module "{\"cluster_id\": \"demo-memcached\", \"unless_rebooted_since\": \"yesterday-ish\", \"endpoint_url\": \"$SIM_URL\"}"
    [ "$status" -eq 1 ]
    [[ $(field msg) == "unless_rebooted_since: "* ]]
}

@test "aws_config: botocore's retries settings bound the attempts" {
    sim_reset
    sim_ctl POST /_sim/fault '{"action": "DescribeCacheClusters", "kind": "throttle", "count": 2}' >/dev/null
    module '{"cluster_id": "demo-memcached", "endpoint_url": "'"$SIM_URL"'", "aws_config": {"retries": {"total_max_attempts": 1}}, "_ansible_check_mode": true}'
    [ "$status" -eq 1 ]
    echo "$output"
    [ "$(field failed)" = true ]
    [ "$(field error.code)" = Throttling ]
    [ "$(field response_metadata.retry_attempts)" = 0 ]
    [ "$(sim_count DescribeCacheClusters)" -eq 1 ]
    # max_attempts counts retries after the first attempt, as in botocore:
    # 2 retries get past the second throttle
    module '{"cluster_id": "demo-memcached", "endpoint_url": "'"$SIM_URL"'", "aws_config": {"retries": {"max_attempts": 2, "mode": "standard"}}, "_ansible_check_mode": true}'
    [ "$status" -eq 0 ]
    echo "$output"
    [ "$(field changed)" = true ]
    [ "$(sim_count DescribeCacheClusters)" -eq 3 ]
}

@test "aws_config: read_timeout bounds a slow answer" {
    sim_reset
    sim_ctl POST /_sim/fault '{"action": "DescribeCacheClusters", "kind": "delay", "seconds": 4, "count": -1}' >/dev/null
    local t0=$SECONDS
    module '{"cluster_id": "demo-memcached", "endpoint_url": "'"$SIM_URL"'", "aws_config": {"read_timeout": 1, "connect_timeout": 2, "retries": {"total_max_attempts": 1}}, "_ansible_check_mode": true}'
    [ "$status" -eq 1 ]
    echo "$output"
    sim_ctl DELETE /_sim/fault >/dev/null
    [ "$(field failed)" = true ]
    [[ $(field msg) == *"imed out"* || $(field msg) == *"timeout"* ]]
    ((SECONDS - t0 < 4))
}

@test "aws_config: user_agent_extra is appended to the User-Agent, as botocore does" {
    sim_reset
    module '{"cluster_id": "demo-memcached", "endpoint_url": "'"$SIM_URL"'", "aws_config": {"user_agent_extra": "team-x/1.2 (deploy)"}, "_ansible_check_mode": true}'
    [ "$status" -eq 0 ]
    echo "$output"
    [ "$(field changed)" = true ]
    sim_ctl GET /_sim/requests | /usr/bin/python3 -c '
import json, re, sys
reqs = json.load(sys.stdin)
assert reqs, reqs
for r in reqs:
    ua = {k.lower(): v for k, v in r["headers"].items()}["user-agent"]
    assert re.match(r"^libelasticache/\d+\.\d+\.\d+ \(libcurl/[^)]*\) team-x/1\.2 \(deploy\)$", ua), ua
'
    # A control character would end the header: refused before any request.
    sim_reset
    module '{"cluster_id": "demo-memcached", "endpoint_url": "'"$SIM_URL"'", "aws_config": {"user_agent_extra": "team-x\r\nX-Injected: 1"}}'
    [ "$status" -eq 1 ]
    [[ $(field msg) == *"user_agent_extra has a control character"* ]]
    [ "$(sim_count '*')" -eq 0 ]
    module '{"cluster_id": "demo-memcached", "aws_config": {"user_agent_extra": 7}}'
    [ "$status" -eq 1 ]
    [ "$(field msg)" = "aws_config: user_agent_extra must be a string" ]
}

@test "aws_config: unknown options and a replaced User-Agent are refused, not ignored" {
    module '{"cluster_id": "demo-memcached", "aws_config": {"user_agent": "mine/1.0"}}'
    [ "$status" -eq 1 ]
    [ "$(field failed)" = true ]
    [[ $(field msg) == "aws_config: user_agent is not supported: "* ]]
    module '{"cluster_id": "demo-memcached", "aws_config": {"proxies": {}}}'
    [ "$status" -eq 1 ]
    [ "$(field msg)" = "aws_config: unsupported option proxies. Supported options: connect_timeout, read_timeout, retries, user_agent_extra" ]
    module '{"cluster_id": "demo-memcached", "endpoint_url": "'"$SIM_URL"'", "aws_config": {"retries": {"max_attempts": "3"}}}'
    [ "$status" -eq 1 ]
    [ "$(field msg)" = "aws_config: retries.max_attempts must be an integer from 0 to 100" ]
    module '{"cluster_id": "demo-memcached", "aws_config": {"read_timeout": 0}}'
    [ "$status" -eq 1 ]
    [[ $(field msg) == "aws_config: read_timeout must be a number of seconds greater than 0"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}
