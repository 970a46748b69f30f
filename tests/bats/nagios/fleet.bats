#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# check_elasticache --all over fleets (issue 13): 10,000 clusters in 100
# pages over one TCP connection, and 1,000 nodes probed in one run with a
# result per cluster. What this costs is measured by bench/fleet.py; here
# nothing is timed (-t is generous).

bats_require_minimum_version 1.5.0
load helpers

setup_file() { sim_start; }
teardown_file() { sim_stop; }
setup() { sim_reset; }
teardown() { stop_servers; }

# A listener that accepts connections (the kernel's queue does) and never
# answers: a node that hangs. Its port in $SILENT_PORT.
start_silent() {
    /usr/bin/python3 -u -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4096)
print(s.getsockname()[1])
time.sleep(3600)' >"$EC_TMP/silent.port" </dev/null 2>/dev/null 3>&- &
    SERVER_PIDS+=("$!")
    wait_until 30 "the silent listener's port" test -s "$EC_TMP/silent.port"
    SILENT_PORT=$(cat "$EC_TMP/silent.port")
}

# The per-cluster lines matching PATTERN in $output, plus those the check
# left out to stay within Nagios's 8 KB ("... N of M lines left out").
cluster_lines() {
    local shown left
    shown=$(printf '%s\n' "$output" | grep -c "$1")
    left=$(printf '%s\n' "$output" | sed -n 's/^\.\.\. \([0-9]*\) of [0-9]* lines left out.*/\1/p')
    echo $((shown + ${left:-0}))
}

# The distinct TCP connections the logged requests of ACTION came on.
connections_of() {
    curl -sS --fail-with-body -G --data-urlencode "action=$1" "$SIM_URL/_sim/requests" |
        /usr/bin/python3 -c 'import json, sys; print(len({r["connection"] for r in json.load(sys.stdin)}))'
}

@test "the sim's fleet: 10,000 clusters, bad specs refused" {
    run sim_ctl POST /_sim/fleet '{"clusters": 10000, "nodes": 2}'
    [ "$status" -eq 0 ]
    [[ $output == *'"clusters": 10000'* ]]
    [[ $output == *'"nodes": 20000'* ]]
    [ "$(sim_cluster_status fleet-10000)" = available ]
    run sim_ctl POST /_sim/fleet '{"clusters": 5, "nodes": 41}'
    [ "$status" -ne 0 ]
    [[ $output == *"nodes must be an integer 1..40"* ]]
    run sim_ctl POST /_sim/fleet '{"clusters": 5, "colour": "red"}'
    [ "$status" -ne 0 ]
    [[ $output == *"unknown members colour"* ]]
}

@test "--all --no-probe over 10,000 clusters: 100 pages, one TCP connection, every cluster counted" {
    sim_ctl POST /_sim/fleet '{"clusters": 10000}' >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
    check --all --no-probe -t 300
    echo "$output" | head -c 2000
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "ELASTICACHE OK - 10000 clusters: 10000 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN |"* ]]
    [[ ${lines[0]} == *" clusters=10000;;;0 "* ]]
    [[ ${lines[0]} == *" nodes=10000;;;0 "* ]]
    assert_guideline_output
    [ "$(sim_count DescribeCacheClusters)" -eq 100 ]
    [ "$(sim_count '*')" -eq 100 ]
    [ "$(connections_of DescribeCacheClusters)" -eq 1 ]
}

@test "--all with probes: 1,000 nodes on four memcached listeners, a result for every cluster" {
    local p ports=()
    for p in 1 2 3 4; do
        p=$(free_port)
        start_memcached "$p"
        ports+=("$p")
    done
    sim_ctl POST /_sim/fleet "{\"clusters\": 100, \"nodes\": 10, \"ports\": [${ports[0]}, ${ports[1]}, ${ports[2]}, ${ports[3]}]}" >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
    check --all -v -t 120
    echo "$output" | head -c 2000
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "ELASTICACHE OK - 100 clusters: 100 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN |"* ]]
    [[ ${lines[0]} == *" nodes=1000;;;0 "* ]]
    [[ ${lines[0]} == *" nodes_unresponsive=0;;;0;1000 "* ]]
    assert_guideline_output
    # One line per cluster, each with all ten nodes answering.
    [ "$(printf '%s\n' "$output" | grep -c '^OK: fleet-00001 available, 10 of 10 nodes answer ')" -eq 1 ]
    [ "$(cluster_lines '^OK: fleet-[0-9]* available, 10 of 10 nodes answer ')" -eq 100 ]
    [ "$(sim_count DescribeCacheClusters)" -eq 1 ]
}

@test "--all with probes: a stopped listener makes its 250 nodes unresponsive, the rest answer" {
    local p ports=() pids=()
    for p in 1 2 3 4; do
        p=$(free_port)
        start_memcached "$p"
        ports+=("$p")
        pids+=("$LAST_PID")
    done
    sim_ctl POST /_sim/fleet "{\"clusters\": 100, \"nodes\": 10, \"ports\": [${ports[0]}, ${ports[1]}, ${ports[2]}, ${ports[3]}]}" >/dev/null
    kill -KILL "${pids[3]}"
    wait "${pids[3]}" 2>/dev/null || true
    check --all -t 120
    echo "$output" | head -c 2000
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == *" nodes=1000;;;0 "* ]]
    [[ ${lines[0]} == *" nodes_unresponsive=250;;;0;1000 "* ]]
    assert_guideline_output
}

@test "--all with probes: 1,000 silent nodes are all probed at once, each reported unresponsive, not a timeout" {
    start_silent
    sim_ctl POST /_sim/fleet "{\"clusters\": 100, \"nodes\": 10, \"ports\": [$SILENT_PORT]}" >/dev/null
    # -t 20: probes time out at half of it. Probed 256 or fewer at a time,
    # 1,000 silent nodes would need four probe timeouts, twice -t: the
    # check would end UNKNOWN by its deadline instead.
    check --all -t 20
    echo "$output" | head -c 2000
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - 100 clusters: 0 OK, 0 WARNING, 100 CRITICAL, 0 UNKNOWN;"* ]]
    [[ ${lines[0]} == *" nodes_unresponsive=1000;;;0;1000 "* ]]
    [ "$(printf '%s\n' "$output" | grep -c '^CRITICAL: fleet-00001: nodes 0001, .*, 0010 unresponsive$')" -eq 1 ]
    [ "$(cluster_lines '^CRITICAL: fleet-[0-9]*: nodes 0001, .*, 0010 unresponsive$')" -eq 100 ]
    assert_guideline_output
}
