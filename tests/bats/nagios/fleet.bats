#!/usr/bin/env bats
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
    [ "$(printf '%s\n' "$output" | grep -c '^OK: fleet-[0-9]* available, 10 of 10 nodes answer ')" -eq 100 ]
    [ "$(printf '%s\n' "$output" | grep -c '^OK: fleet-00100 available, 10 of 10 nodes answer ')" -eq 1 ]
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
