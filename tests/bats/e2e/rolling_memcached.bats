#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# End to end: a rolling reboot of a 6-node memcached cluster, two nodes at
# a time, whose nodes are real memcached processes on loopback. The
# simulator's node hook (tests/sim/hooks/memcached_node_hook.sh) kills a
# node's process when its reboot starts and starts a fresh one when it
# ends. A prober asks all six nodes at once, many times a second, while
# `elasticache reboot-cache-cluster --batch-size 2 --wait` runs.

load helpers

CLUSTER=mc-e2e

setup() {
    D=$EC_TMP/rolling-memcached.$BATS_TEST_NUMBER
    rm -rf "$D"
    mkdir -p "$D"
    HOOK=$EC_REPO/tests/sim/hooks/memcached_node_hook.sh
    mapfile -t P < <(e2e_ports 6)
    [ "${#P[@]}" -eq 6 ]
    local p
    for p in "${P[@]}"; do
        bash "$HOOK" "$D" start 127.0.0.1 "$p"
    done
    /usr/bin/python3 "$EC_REPO/tests/bats/nagios/make_fixture.py" "$D/fixture.json" \
        "memcached:$CLUSTER:$(IFS=,; echo "${P[*]}")"
    sim_start --fixture "$D/fixture.json" --node-hook "bash $HOOK $D" --reboot-seconds 1
}

teardown() {
    e2e_teardown "$D"
}

@test "a rolling reboot of a memcached cluster, two at a time: at every sample at least 4 of 6 nodes answer, each node rebooted once" {
    start_prober "${P[@]}"
    mv "$D/hook.log" "$D/hook.setup.log"
    run "$EC" --endpoint-url "$SIM_URL" reboot-cache-cluster --cache-cluster-id "$CLUSTER" \
        --batch-size 2 --wait --wait-delay 0.2
    echo "$output" >"$D/cli.out"
    [ "$status" -eq 0 ]
    stop_prober

    # The prober: never fewer than 4 answering, and it did see nodes down
    # (a prober that missed the reboots would prove nothing).
    local min below samples
    min=$(jfield "$D/probe.json" min_answered)
    below=$(jfield "$D/probe.json" below_all)
    samples=$(jfield "$D/probe.json" samples)
    figure "prober: $samples samples, $below with a node down, answering per sample" \
        "$(jfield "$D/probe.json" histogram), fewest $min," \
        "$(jfield "$D/probe.json" discarded) discarded (longer than 100 ms)"
    [ "$min" -ge 4 ]
    [ "$below" -gt 0 ]

    # The request log: three RebootCacheCluster calls of two nodes each,
    # every node exactly once.
    run /usr/bin/python3 "$ROLLING_PY" steps "$SIM_URL"
    [ "$status" -eq 0 ]
    printf '%s\n' "${lines[@]}"
    [ "${#lines[@]}" -eq 3 ]
    local line nodes=()
    for line in "${lines[@]}"; do
        [[ $line =~ ^reboot\ $CLUSTER\ ([0-9]{4}),([0-9]{4})\ 200$ ]]
        nodes+=("${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}")
    done
    [ "$(printf '%s\n' "${nodes[@]}" | sort | tr '\n' ' ')" = "0001 0002 0003 0004 0005 0006 " ]
    [ "$(sim_count RebootCacheCluster)" -eq 3 ]

    # The servers (the node hook's log): each restarted exactly once, never
    # more than 2 out of service at a time.
    run /usr/bin/python3 "$ROLLING_PY" outages "$D/hook.log"
    [ "$status" -eq 0 ]
    printf '%s\n' "${lines[@]}"
    local p
    for p in "${P[@]}"; do
        [ "$(printf '%s\n' "${lines[@]}" | grep -cx "port $p down=1 ready=1")" -eq 1 ]
    done
    local max_out
    max_out=$(printf '%s\n' "${lines[@]}" | sed -n 's/^max_out=//p')
    [ "$max_out" -le 2 ]
    [ "$(sim_cluster_status "$CLUSTER")" = available ]
}
