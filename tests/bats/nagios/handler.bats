#!/usr/bin/env bats
# elasticache_event_handler against the simulator with real memcached
# processes as nodes: when it acts, what it reboots, and that two handlers
# fired at once reboot once.

bats_require_minimum_version 1.5.0
load helpers

setup() {
    MC1=$(free_port); MC2=$(free_port); MC3=$(free_port)
    start_memcached "$MC1"; MC1_PID=$LAST_PID
    start_memcached "$MC2"; MC2_PID=$LAST_PID
    start_memcached "$MC3"; MC3_PID=$LAST_PID
    FIX=$EC_TMP/fixture.$BATS_TEST_NUMBER.json
    make_fixture "$FIX" "memcached:mc:$MC1,$MC2,$MC3"
    sim_start --fixture "$FIX" --reboot-seconds 3
}

teardown() {
    sim_stop
    stop_servers
}

handler() {
    run "$HANDLER" --endpoint-url "$SIM_URL" --no-syslog --probe-timeout 1 "$@"
}

# Successful RebootCacheCluster calls and the node ids they named, one per line.
reboots() {
    sim_ctl GET /_sim/requests | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["action"] == "RebootCacheCluster" and r["status"] == 200:
        p = r["params"]
        ids = p.get("CacheNodeIdsToReboot")
        if not isinstance(ids, list):
            ids = [v for k, v in sorted(p.items()) if k.startswith("CacheNodeIdsToReboot.")]
        print(p.get("CacheClusterId"), ",".join(ids))'
}

@test "--help exits 0, bad usage exits 3 with the reason, as the Monitoring Plugins" {
    run "$HANDLER" --help
    [ "$status" -eq 0 ]
    [[ $output == *"Usage: elasticache_event_handler"* ]]
    run "$HANDLER" --version
    [ "$status" -eq 0 ]
    local args
    for args in "CRITICAL HARD 3" "-C mc CRITICAL HARD" "-C mc --soft-attempt 0 CRITICAL HARD 1" \
        "-C mc --min-interval soon CRITICAL HARD 1" "-C mc --bogus CRITICAL HARD 1" "-C mc"; do
        run -3 env -u NAGIOS_SERVICESTATE "$HANDLER" $args
        echo "$args -> $output"
        [[ $output == *"Usage: elasticache_event_handler"* ]]
    done
}

@test "acts only on CRITICAL HARD, or SOFT from --soft-attempt; logs one line per decision" {
    kill -STOP "$MC2_PID"
    local st
    while read -r st; do
        handler -C mc $st
        echo "$st -> $status: $output"
        [ "$status" -eq 0 ]
        [ "${#lines[@]}" -eq 1 ]
    done <<'LIST'
OK HARD 1
WARNING HARD 3
UNKNOWN HARD 3
CRITICAL SOFT 1
CRITICAL SOFT 2
LIST
    [ -z "$(reboots)" ]
    handler -C mc --soft-attempt 2 CRITICAL SOFT 2
    kill -CONT "$MC2_PID"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == "elasticache_event_handler: mc: rebooting unresponsive node(s) 0002 (request "* ]]
    [ "$(reboots)" = "mc 0002" ]
}

@test "CRITICAL HARD: reboots exactly the unresponsive nodes" {
    kill -STOP "$MC1_PID" "$MC3_PID"
    handler -C mc CRITICAL HARD 1
    kill -CONT "$MC1_PID" "$MC3_PID"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"rebooting unresponsive node(s) 0001,0003"* ]]
    [ "$(reboots)" = "mc 0001,0003" ]
}

@test "state from the Nagios environment macros when no positional arguments" {
    kill -STOP "$MC3_PID"
    NAGIOS_SERVICESTATE=CRITICAL NAGIOS_SERVICESTATETYPE=HARD NAGIOS_SERVICEATTEMPT=1 handler -C mc
    kill -CONT "$MC3_PID"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(reboots)" = "mc 0003" ]
}

@test "every node answers: nothing to do, exit 0" {
    handler -C mc CRITICAL HARD 3
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"every node answers: nothing to reboot"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "never while rebooting, never twice within --min-interval" {
    kill -STOP "$MC2_PID"
    handler -C mc CRITICAL HARD 1
    [ "$status" -eq 0 ]
    # during the reboot: the node is rebooting, nothing else to do
    handler -C mc CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"node 0002 rebooting"* || $output == *"already rebooting"* ]]
    # after it (the process is still stopped: a reboot did not cure it)
    sim_wait_cluster_status mc available
    handler -C mc CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"not rebooting node(s) 0002: recently rebooted"* ]]
    [ "$(reboots)" = "mc 0002" ]
    # a shorter --min-interval lets it try again, once the restart (seen
    # done above) is more than that old: time itself is what is waited for
    sleep 1.1
    handler -C mc --min-interval 1s CRITICAL HARD 1
    kill -CONT "$MC2_PID"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"rebooting unresponsive node(s) 0002"* ]]
    [ "$(reboots | wc -l)" -eq 2 ]
}

@test "a cluster rebooting another node: no second reboot" {
    sim_ctl POST /_sim/clusters/mc/state '{"status":"rebooting cache cluster nodes","nodes":{"0001":"rebooting"}}' >/dev/null
    kill -STOP "$MC2_PID"
    handler -C mc CRITICAL HARD 1
    kill -CONT "$MC2_PID"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"not rebooting node(s) 0002"* ]]
    [ -z "$(reboots)" ]
}

@test "cannot tell which nodes (--no-probe): nothing, or every node with --all-nodes-if-unknown" {
    handler -C mc --no-probe CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"cannot tell which nodes are unresponsive"* ]]
    [ -z "$(reboots)" ]
    handler -C mc --no-probe --all-nodes-if-unknown --dry-run CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"dry run: would reboot unresponsive node(s) 0001,0002,0003"* ]]
    [ -z "$(reboots)" ]
    handler -C mc --no-probe --all-nodes-if-unknown CRITICAL HARD 1
    [ "$status" -eq 0 ]
    [ "$(reboots)" = "mc 0001,0002,0003" ]
}

@test "two handlers fired at once: exactly one reboot, both exit 0" {
    kill -STOP "$MC2_PID"
    local i
    for i in 1 2 3 4; do
        "$HANDLER" --endpoint-url "$SIM_URL" --no-syslog --probe-timeout 1 -C mc CRITICAL HARD 1 \
            >"$EC_TMP/h$i.out" 2>&1 3>&- &
        eval "H$i=\$!"
    done
    local rc=0
    wait "$H1" || rc=1
    wait "$H2" || rc=1
    wait "$H3" || rc=1
    wait "$H4" || rc=1
    kill -CONT "$MC2_PID"
    cat "$EC_TMP"/h?.out
    [ "$rc" -eq 0 ]
    [ "$(reboots)" = "mc 0002" ]
    [ "$(grep -c 'rebooting unresponsive node(s) 0002' "$EC_TMP"/h?.out | awk -F: '{s+=$2} END {print s}')" -eq 1 ]
}

@test "API failure: exit 1 with the AWS error code in the log line" {
    sim_ctl POST /_sim/fault '{"action":"*","kind":"error","count":50,"status":500,"code":"InternalFailure"}' >/dev/null
    kill -STOP "$MC2_PID"
    AWS_MAX_ATTEMPTS=1 handler -C mc CRITICAL HARD 1
    kill -CONT "$MC2_PID"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"(InternalFailure)"* ]]
}

@test "a hanging API: gives up within -t, says where, exit 1, no reboot" {
    sim_ctl POST /_sim/fault '{"action":"DescribeCacheClusters","kind":"delay","seconds":30,"count":20}' >/dev/null
    local t0 t1
    t0=$(now)
    handler -C mc -t 3 CRITICAL HARD 1
    t1=$(now)
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"mc: "*"timed out"* ]]
    awk -v a="$t0" -v b="$t1" 'BEGIN { d = b - a; print "took " d; exit !(d < 8) }'
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "a cluster that is gone: nothing to reboot, exit 0" {
    handler -C no-such-cluster CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == "elasticache_event_handler: no-such-cluster: cluster not found (CacheClusterNotFound): nothing to reboot" ]]
}

@test "an unknown state string (BOGUS) is a usage error: exit 3 with the reason, nothing called" {
    handler -C mc BOGUS HARD 1
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "elasticache_event_handler: state 'BOGUS' is not a service state (OK, WARNING, CRITICAL, UNKNOWN or 0-3)" ]]
    [[ $output == *"Usage: elasticache_event_handler"* ]]
    NAGIOS_SERVICESTATE=BOGUS NAGIOS_SERVICESTATETYPE=HARD NAGIOS_SERVICEATTEMPT=1 handler -C mc
    [ "$status" -eq 3 ]
    handler -C mc CRITICAL HARDISH 1
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == *"state type 'HARDISH' is neither SOFT nor HARD"* ]]
    handler -C mc --downtime-depth many CRITICAL HARD 1
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == *"--downtime-depth 'many' is not a downtime depth"* ]]
    [ "$(sim_count '*')" -eq 0 ]
}

# --- a probe misconfiguration is never a reason to reboot (item 2) --------

@test "--tls against a plain text Redis or memcached: no reboot, the setting to fix named" {
    local rd
    rd=$(free_port)
    start_redis "$rd"
    make_fixture "$EC_TMP/mis.json" "redis:rd:$rd" "memcached:mc:$MC1,$MC2,$MC3"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/mis.json")" >/dev/null
    handler -C rd --tls --all-nodes-if-unknown CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == "elasticache_event_handler: rd: not rebooting: the probe's settings are wrong, not the nodes (no TLS handshake from a node: --tls, but the cluster has TransitEncryptionEnabled=false: drop --tls)" ]]
    handler -C mc --tls --all-nodes-if-unknown CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"mc: not rebooting: the probe's settings are wrong, not the nodes (plain text answer to TLS from a node: the nodes do not speak TLS: drop --tls)" ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "--no-tls against a Redis that requires TLS (it resets the connection): no reboot" {
    make_certs IP:127.0.0.1
    local p
    p=$(free_port)
    start_tls_redis "$p"
    make_fixture "$EC_TMP/tls.json" "redis:rt:$p:tls"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/tls.json")" >/dev/null
    handler -C rt --no-tls CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"rt: not rebooting: the probe's settings are wrong, not the nodes (no answer in plain text from a node: --no-tls, but the cluster requires TLS (TransitEncryptionEnabled=true): drop --no-tls)" ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "an AUTH problem (no token, a wrong token): no reboot, even with --all-nodes-if-unknown" {
    local rd
    rd=$(free_port)
    start_redis "$rd" --requirepass 'h4ndler-t0ken'
    make_fixture "$EC_TMP/auth.json" "redis:rda:$rd:auth"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/auth.json")" >/dev/null
    handler -C rda --all-nodes-if-unknown CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"rda: not rebooting: the probe's settings are wrong, not the nodes (AUTH required by a node: the cluster has AuthTokenEnabled=true and no token was given"* ]]
    printf 'not-the-t0ken\n' >"$EC_TMP/bad"
    handler -C rda --all-nodes-if-unknown --auth-token-file "$EC_TMP/bad" CRITICAL HARD 1
    echo "$output"
    [[ $output == *"rda: not rebooting: the probe's settings are wrong, not the nodes (AUTH refused by a node: the token given for the cluster is wrong"* ]]
    [[ $output != *not-the-t0ken* ]]
    printf 'h4ndler-t0ken\n' >"$EC_TMP/good"
    handler -C rda --auth-token-file "$EC_TMP/good" CRITICAL HARD 1
    echo "$output"
    [[ $output == *"rda: every node answers: nothing to reboot" ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

# --- a cut path is not a broken cluster (item 4) ---------------------------

@test "no node answers a connection at all (the path looks cut): no reboot, exit 0, said so" {
    start_listeners cut:1
    make_fixture "$EC_TMP/cut.json" "memcached:mc:${CUT_PORTS[0]},${CUT_PORTS[0]},${CUT_PORTS[0]}" \
        "redis:one:${CUT_PORTS[0]}"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/cut.json")" >/dev/null
    handler -C mc --all-nodes-if-unknown CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == "elasticache_event_handler: mc: no connection to node(s) 0001, 0002, 0003: the network path looks cut, not the nodes; not rebooting" ]]
    handler -C one CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"one: no connection to node(s) 0001: the network path looks cut, not the nodes; not rebooting" ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
}

@test "the only node refusing, or accepting and staying silent, is rebooted" {
    start_listeners closed:1 silent:1
    make_fixture "$EC_TMP/one.json" "redis:refuses:${CLOSED_PORTS[0]}" "memcached:hangs:${SILENT_PORTS[0]}"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/one.json")" >/dev/null
    handler -C refuses CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"refuses: rebooting unresponsive node(s) 0001 (request "* ]]
    handler -C hangs CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"hangs: rebooting unresponsive node(s) 0001 (request "* ]]
    [ "$(reboots | sort | tr '\n' ' ')" = "hangs 0001 refuses 0001 " ]
}

@test "--max-unresponsive N: more nodes to reboot than N, none rebooted" {
    kill -STOP "$MC1_PID" "$MC2_PID"
    handler -C mc --max-unresponsive 1 CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"mc: 2 nodes unresponsive (0001, 0002), more than --max-unresponsive 1: not rebooting any" ]]
    [ -z "$(reboots)" ]
    handler -C mc --max-unresponsive 2 CRITICAL HARD 1
    kill -CONT "$MC1_PID" "$MC2_PID"
    [[ $output == *"rebooting unresponsive node(s) 0001,0002"* ]]
    [ "$(reboots)" = "mc 0001,0002" ]
    run -3 "$HANDLER" -C mc --max-unresponsive 0 CRITICAL HARD 1
}

# --- downtime, acknowledgement, flapping, caps (item 5) -------------------

@test "in downtime, acknowledged or flapping: no reboot, the reason logged (options, environment macros, status.dat)" {
    kill -STOP "$MC2_PID"
    local args
    while IFS='|' read -r args want; do
        eval "set -- $args"
        handler -C mc "$@" CRITICAL HARD 1
        echo "$args -> $status: $output"
        [ "$status" -eq 0 ]
        [[ $output == "elasticache_event_handler: mc: $want: not rebooting" ]]
    done <<'LIST'
--downtime-depth 1|service in scheduled downtime (--downtime-depth 1)
--downtime-depth 0 --host-downtime-depth 2|host in scheduled downtime (--host-downtime-depth 2)
--acknowledged 2|problem acknowledged (--acknowledged 2)
--acknowledged 0 --flapping true|service flapping (--flapping true)
LIST
    # Nagios's environment macros, also with the state as arguments
    NAGIOS_SERVICEDOWNTIME=1 handler -C mc CRITICAL HARD 1
    [[ $output == *"service in scheduled downtime (NAGIOS_SERVICEDOWNTIME 1): not rebooting" ]]
    NAGIOS_HOSTDOWNTIME=1 handler -C mc CRITICAL HARD 1
    [[ $output == *"host in scheduled downtime (NAGIOS_HOSTDOWNTIME 1): not rebooting" ]]
    # Nagios gives event handlers no macro for acknowledgement or flapping:
    # its status file does
    printf 'hoststatus {\n\thost_name=h\n\tscheduled_downtime_depth=0\n\t}\nservicestatus {\n\thost_name=h\n\tservice_description=ElastiCache mc\n\tproblem_has_been_acknowledged=1\n\tis_flapping=0\n\tscheduled_downtime_depth=0\n\t}\n' >"$EC_TMP/status.dat"
    handler -C mc --status-file "$EC_TMP/status.dat" --host h --service "ElastiCache mc" CRITICAL HARD 1
    echo "$output"
    [[ $output == *"problem acknowledged (status file problem_has_been_acknowledged 1): not rebooting" ]]
    # a service the file does not have: no reboot without knowing
    handler -C mc --status-file "$EC_TMP/status.dat" --host h --service "ElastiCache other" CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"failed: service 'ElastiCache other' of host 'h' is not in --status-file"* ]]
    [ -z "$(reboots)" ]
    sed -i 's/problem_has_been_acknowledged=1/problem_has_been_acknowledged=0/' "$EC_TMP/status.dat"
    handler -C mc --status-file "$EC_TMP/status.dat" --host h --service "ElastiCache mc" CRITICAL HARD 1
    kill -CONT "$MC2_PID"
    [[ $output == *"rebooting unresponsive node(s) 0002"* ]]
    [ "$(reboots)" = "mc 0002" ]
}

@test "--max-reboots N --per AGE: counted from the cluster's restart events, no state kept" {
    add_events "$FIX" mc "Cache node 0001 restarted:600" "Cache node 0003 restarted:1200" \
        "Cache node 0002 restarted:7200"
    sim_ctl POST /_sim/seed "$(cat "$FIX")" >/dev/null
    kill -STOP "$MC2_PID"
    handler -C mc --max-reboots 2 --per 1h CRITICAL HARD 1
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"mc: not rebooting node(s) 0002: the cluster's nodes restarted 2 times within 1h (--max-reboots 2)" ]]
    [ -z "$(reboots)" ]
    handler -C mc --max-reboots 3 --per 1h CRITICAL HARD 1
    kill -CONT "$MC2_PID"
    echo "$output"
    [[ $output == *"rebooting unresponsive node(s) 0002"* ]]
    [ "$(reboots)" = "mc 0002" ]
    run -3 "$HANDLER" -C mc --max-reboots 2 --per soon CRITICAL HARD 1
    [[ $output == *"bad --per 'soon'"* ]]
}

@test "--command-file: each decision becomes a comment, or a companion's passive result; never blocks" {
    mkfifo "$EC_TMP/cmd"
    start_fifo_reader "$EC_TMP/cmd" "$EC_TMP/cmd.out"
    kill -STOP "$MC2_PID"
    handler -C mc --command-file "$EC_TMP/cmd" --host e2e --service "ElastiCache mc" --downtime-depth 1 CRITICAL HARD 1
    [ "$status" -eq 0 ]
    handler -C mc --command-file "$EC_TMP/cmd" --host e2e --record-service "ElastiCache mc handler" CRITICAL HARD 1
    [ "$status" -eq 0 ]
    kill -CONT "$MC2_PID"
    wait_until 30 "two commands" has_lines "$EC_TMP/cmd.out" 2
    cat "$EC_TMP/cmd.out"
    grep -Eq '^\[[0-9]+\] ADD_SVC_COMMENT;e2e;ElastiCache mc;0;elasticache_event_handler;mc: service in scheduled downtime \(--downtime-depth 1\): not rebooting$' "$EC_TMP/cmd.out"
    grep -Eq '^\[[0-9]+\] PROCESS_SERVICE_CHECK_RESULT;e2e;ElastiCache mc handler;1;mc: rebooting unresponsive node\(s\) 0002 \(request ' "$EC_TMP/cmd.out"
    # nobody reads the file (the engine is down): said, not blocked
    mkfifo "$EC_TMP/cmd2"
    local t0 t1
    t0=$(now)
    run timeout 20 "$HANDLER" --endpoint-url "$SIM_URL" --no-syslog -C mc --command-file "$EC_TMP/cmd2" --host e2e --service s OK HARD 1
    t1=$(now)
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"cannot record the decision: cannot open --command-file $EC_TMP/cmd2: nobody reads it"* ]]
    awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a < 5) }'
    # a regular file is not the engine's command file
    : >"$EC_TMP/plain"
    handler -C mc --command-file "$EC_TMP/plain" --host e2e --service s OK HARD 1
    [[ $output == *"--command-file $EC_TMP/plain is not a FIFO"* ]]
    run -3 "$HANDLER" -C mc --command-file "$EC_TMP/cmd" OK HARD 1
    [[ $output == *"--command-file needs --host (or NAGIOS_HOSTNAME)"* ]]
}
