#!/usr/bin/env bats
# elasticache_reboot as a JSON stdio tool for CI steps: one request per
# line in, one result per line out, in order, one connection reused; exit
# 0 (all succeeded), 1 (some failed), 2 (unreadable input).

bats_require_minimum_version 1.5.0
load ../../lib/common

setup_file() {
    load ../../lib/common
    sim_start --reboot-seconds 1 >/dev/null
    export SIM_URL SIM_PID SIM_DIR
}

teardown_file() {
    sim_stop
}

setup() {
    MOD=$EC_BIN/elasticache_reboot
    [[ -x $MOD ]] || { echo "elasticache_reboot is not built in $EC_BIN" >&2; return 1; }
    export AWS_URL=$SIM_URL
}

# line N FIELD: a field of the N-th result line (1-based) in $output.
line() {
    /usr/bin/python3 -c '
import json, sys
v = json.loads(sys.argv[1].splitlines()[int(sys.argv[2]) - 1])
for k in sys.argv[3].split("."):
    v = v[int(k)] if isinstance(v, list) else v.get(k)
print(json.dumps(v) if not isinstance(v, str) else v)' "$output" "$1" "$2"
}

@test "several requests: one result per line, in order; a bad line gets its own error, later lines still run; exit 2" {
    sim_ctl DELETE /_sim/requests >/dev/null
    run --separate-stderr "$MOD" <<'EOF2'
{"cluster_id": "demo-memcached", "check_mode": true}
this is not json

{"cluster_id": "demo-redis", "allow_primary_reboot": true, "wait_delay": 0.3, "diff": "yes"}
[1, 2]
{"cluster_id": "no-such-cluster"}
EOF2
    echo "$output"
    [ "$status" -eq 2 ]
    [ "$(wc -l <<<"$output")" -eq 5 ]
    [ "$(line 1 changed)" = true ]
    [ "$(line 1 rebooted_node_ids)" = '["0001", "0002", "0003"]' ]
    [ "$(line 2 failed)" = true ]
    [[ $(line 2 msg) == "Error: line 2 is not valid JSON (column "* ]]
    [ "$(line 3 changed)" = true ]
    [ "$(line 3 rebooted_node_ids)" = '["0001"]' ]
    [ "$(line 3 diff.after.cache_nodes.0001.rebooted)" = true ]
    [ "$(line 3 cache_cluster.cache_cluster_status)" = available ]
    [ "$(line 4 msg)" = "Error: line 5 is not a JSON object" ]
    [ "$(line 5 error.code)" = CacheClusterNotFound ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    # Progress of the wait went to stderr, not into the results.
    [[ $stderr == *"demo-redis"* ]]
}

@test "exit 0 when every request succeeds, 1 when one fails" {
    run "$MOD" <<<'{"cluster_id": "demo-memcached", "check_mode": true}'
    [ "$status" -eq 0 ]
    run --separate-stderr "$MOD" <<<'{"cluster_id": "demo-memcached", "check_mode": true}
{"cluster_id": "demo-memcached", "wait": "sometimes"}'
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $(line 2 msg) == "argument 'wait' is of type <class 'str'> and we were unable to convert to bool: "* ]]
    run "$MOD" <<<'{"cluster_id": "demo-memcached", "check_mode": "maybe"}'
    [ "$status" -eq 1 ]
    [[ $(line 1 msg) == "argument 'check_mode' is of type <class 'str'> and we were unable to convert to bool: "* ]]
    run "$MOD" </dev/null
    [ "$status" -eq 0 ]
    [ -z "$output" ]
}

# The socket the tool holds while it waits for its next request.
sockets_of() {
    local fd
    for fd in /proc/"$1"/fd/*; do
        readlink "$fd"
    done 2>/dev/null | grep '^socket:' | sort | tr '\n' ' '
}

lines_at_least() { [[ $(wc -l <"$1") -ge $2 ]]; }

wait_lines() {
    wait_until 30 "$2 lines in $1" lines_at_least "$1" "$2"
}

@test "one connection is reused across requests with the same region, endpoint and credentials" {
    local fifo=$BATS_TEST_TMPDIR/in out=$BATS_TEST_TMPDIR/out pid first second third
    mkfifo "$fifo"
    "$MOD" <"$fifo" >"$out" 2>/dev/null 3>&- &
    pid=$!
    exec 5>"$fifo"
    echo '{"cluster_id": "demo-memcached", "check_mode": true}' >&5
    wait_lines "$out" 1
    first=$(sockets_of "$pid")
    echo '{"cluster_id": "big-memcached", "check_mode": true}' >&5
    wait_lines "$out" 2
    second=$(sockets_of "$pid")
    # Other credentials: a new client, so a new connection.
    echo "{\"cluster_id\": \"demo-memcached\", \"check_mode\": true, \"access_key\": \"AKIDEXAMPLE\", \"secret_key\": \"$AWS_SECRET_ACCESS_KEY\", \"region\": \"us-east-1\", \"endpoint_url\": \"$SIM_URL/\"}" >&5
    wait_lines "$out" 3
    third=$(sockets_of "$pid")
    exec 5>&-
    wait "$pid"
    cat "$out"
    echo "first=$first second=$second third=$third"
    [ -n "$first" ]
    [ "$first" = "$second" ]
    [ "$second" != "$third" ]
    [ "$(grep -c '"changed":true' "$out")" -eq 3 ]
}

@test "secrets in requests never reach stdout or stderr" {
    local canary=CANARYSECRETxyz0123456789abcdef
    run --separate-stderr "$MOD" <<EOF2
{"cluster_id": "demo-memcached", "check_mode": true, "access_key": "AKIDCANARY", "secret_key": "$canary", "unless_rebooted_since": "$canary"}
{"cluster_id": "demo-memcached", "aws_session_token": "$canary", "profile": "x"}
EOF2
    echo "$output"
    [[ $output != *"$canary"* && $stderr != *"$canary"* ]]
    [ "$(line 1 invocation.module_args.secret_key)" = VALUE_SPECIFIED_IN_NO_LOG_PARAMETER ]
    [ "$(line 2 msg)" = "Passing both a profile and access tokens is not supported." ]
}

@test "a line that is not JSON is never echoed: the secret key in it stays out (issue 8, item 11)" {
    local canary=CANARYSECRETxyz0123456789abcdef
    # The same secret in the environment too: before, it was printed
    # unmasked although it was a known secret.
    AWS_SECRET_ACCESS_KEY=$canary run --separate-stderr "$MOD" <<EOF2
{"cluster_id": "demo-memcached", "secret_key": "$canary", oops $canary}
{"cluster_id": "demo-memcached", "secret_key": "$canary
EOF2
    echo "$output"
    [ "$status" -eq 2 ]
    [[ $(line 1 msg) == "Error: line 1 is not valid JSON (column "*"may hold secrets" ]]
    [[ $(line 2 msg) == "Error: line 2 is not valid JSON (column "* ]]
    [[ $output != *"$canary"* && $stderr != *"$canary"* ]]
    [[ $output != *oops* ]]
}

@test "node_ids: [] reboots nothing and calls nothing; absent is every node (issue 8, item 1)" {
    sim_reset
    run --separate-stderr "$MOD" <<<'{"cluster_id": "demo-memcached", "node_ids": []}
{"cluster_id": "demo-memcached", "cache_node_ids_to_reboot": [], "wait": false}
{"cluster_id": "demo-memcached", "check_mode": true}'
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(line 1 changed)" = false ]
    [ "$(line 1 failed)" = null ]
    [ "$(line 1 rebooted_node_ids)" = '[]' ]
    [[ $(line 1 msg) == "the node list is empty: nothing rebooted"* ]]
    [ "$(line 2 changed)" = false ]
    [ "$(line 3 rebooted_node_ids)" = '["0001", "0002", "0003"]' ]
    # Only the third request described the cluster.
    [ "$(sim_count DescribeCacheClusters)" -eq 1 ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "a busy cluster without wait is a failure naming the state; check mode predicts it (issue 8, item 6)" {
    sim_reset
    sim_ctl POST /_sim/clusters/demo-memcached/state '{"status":"modifying"}' >/dev/null
    run --separate-stderr "$MOD" <<<'{"cluster_id": "demo-memcached", "wait": false}
{"cluster_id": "demo-memcached", "wait": false, "check_mode": true}
{"cluster_id": "demo-memcached", "wait": true, "check_mode": true}'
    echo "$output"
    [ "$status" -eq 1 ]
    [ "$(line 1 failed)" = true ]
    [ "$(line 1 changed)" = false ]
    [[ $(line 1 msg) == "demo-memcached is modifying, not available: nothing rebooted; run with wait"* ]]
    [ "$(line 2 failed)" = true ]
    [[ $(line 2 msg) == *"would reboot nothing and fail"* ]]
    # With wait a real run would wait and then reboot: so says check mode.
    [ "$(line 3 failed)" = null ]
    [ "$(line 3 changed)" = true ]
    [ "$(line 3 rebooted_node_ids)" = '["0001", "0002", "0003"]' ]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    # A reboot already in progress stays a success.
    sim_ctl POST /_sim/clusters/demo-memcached/state '{"status":"rebooting cache cluster nodes","nodes":{"0001":"rebooting"}}' >/dev/null
    run --separate-stderr "$MOD" <<<'{"cluster_id": "demo-memcached", "wait": false}'
    [ "$status" -eq 0 ]
    [ "$(line 1 changed)" = false ]
    [[ $(line 1 msg) == *"already rebooting"* ]]
}

@test "a 200 whose body cannot be read: confirmed by describing, changed, sent once (issue 8, item 9)" {
    local kind
    for kind in html empty malformed; do
        sim_reset
        sim_ctl POST /_sim/fault "{\"action\":\"RebootCacheCluster\",\"kind\":\"$kind\",\"count\":5,\"after_processing\":true}" >/dev/null
        run --separate-stderr "$MOD" <<<'{"cluster_id": "demo-memcached", "node_ids": ["0002"], "wait_delay": 0.3}'
        echo "$kind: $output"
        [ "$status" -eq 0 ]
        [ "$(line 1 changed)" = true ]
        [ "$(line 1 rebooted_node_ids)" = '["0002"]' ]
        [[ $(line 1 msg) == *"answer to RebootCacheCluster was lost; describing confirmed the reboot"* ]]
        [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    done
}

@test "a hung describe ends within wait_timeout, with the real error (issue 8, item 10)" {
    sim_reset
    sim_ctl POST /_sim/fault '{"action": "DescribeCacheClusters", "kind": "delay", "seconds": 30, "count": -1}' >/dev/null
    local t0=$SECONDS
    run --separate-stderr "$MOD" <<<'{"cluster_id": "demo-memcached", "wait_timeout": 4}'
    local took=$((SECONDS - t0))
    sim_ctl DELETE /_sim/fault >/dev/null
    echo "$output ($took s)"
    [ "$status" -eq 1 ]
    [ "$(line 1 failed)" = true ]
    [[ $(line 1 msg) == *"Read timeout"*"time budget of 4.0 s ran out"* ]]
    # Before, the read timeout (60 s, three attempts) ran far past it.
    ((took < 15))
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "--help and --version" {
    run -0 "$MOD" --help
    [[ $output == *"one JSON request per line"* ]]
    run -0 "$MOD" --version
    [[ $output == "elasticache_reboot 1.0.0"* ]]
}
