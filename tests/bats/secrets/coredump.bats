#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Secrets pass through every tool's memory, so none may leave a core file:
# each runs with RLIMIT_CORE 0 (soft and hard) even when the shell allows
# unlimited cores. Read from /proc/PID/limits while the tool is blocked on
# a slow simulator (or, for the NDJSON tool, on its input).

load ../../lib/common

setup_file() {
    sim_start
}

teardown_file() {
    sim_stop
}

# core_limit PID: "soft hard" of the running process.
core_limit() {
    awk '/^Max core file size/ {print $5, $6}' "/proc/$1/limits"
}

requests_arrived() { [ "$(sim_count '*')" -gt 0 ]; }

# Run "$@" in the background with unlimited cores allowed, wait until it
# is blocked on the simulator's delayed answer (its request arrived: it is
# the tool, not the subshell that started it), and print its core limit.
limit_while_blocked() {
    sim_ctl POST /_sim/fault '{"action":"*","kind":"delay","seconds":10,"count":1}' >/dev/null
    (ulimit -c unlimited; exec "$@" >/dev/null 2>&1) &
    local pid=$!
    wait_until 60 "the tool's request" requests_arrived || return 1
    core_limit "$pid"
    # Done with it: no need to sit out the delay.
    kill "$pid"
    wait "$pid" || true # killed: its exit status says nothing here
    sim_ctl DELETE /_sim/fault >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
}

@test "the shell itself allows cores (so the tools' 0 is their own doing)" {
    run bash -c 'ulimit -c unlimited; awk "/^Max core file size/ {print \$5}" /proc/self/limits'
    [ "$output" = "unlimited" ]
}

@test "elasticache runs with no core dumps" {
    run limit_while_blocked "$EC_BIN/elasticache" --endpoint-url "$SIM_URL" \
        describe-cache-clusters --cache-cluster-id demo-redis
    [ "$output" = "0 0" ]
}

@test "check_elasticache runs with no core dumps" {
    run limit_while_blocked "$EC_BIN/check_elasticache" --endpoint-url "$SIM_URL" \
        -C demo-redis --no-probe -t 8
    [ "$output" = "0 0" ]
}

@test "elasticache_event_handler runs with no core dumps" {
    run limit_while_blocked "$EC_BIN/elasticache_event_handler" --endpoint-url "$SIM_URL" \
        -C demo-redis --no-syslog CRITICAL HARD 3
    [ "$output" = "0 0" ]
}

@test "elasticache_reboot (NDJSON mode) runs with no core dumps" {
    local fifo="$BATS_TEST_TMPDIR/in" out="$BATS_TEST_TMPDIR/out"
    mkfifo "$fifo"
    (ulimit -c unlimited; exec "$EC_BIN/elasticache_reboot" <"$fifo" >"$out" 2>/dev/null) &
    local pid=$!
    exec 4>"$fifo"
    # Once it has answered a request it is the tool, long past its start.
    echo "{\"cluster_id\": \"demo-memcached\", \"check_mode\": true, \"endpoint_url\": \"$SIM_URL\"}" >&4
    wait_until 60 "the tool's first result" test -s "$out"
    run core_limit "$pid"
    exec 4>&-
    wait "$pid" # every request succeeded
    [ "$output" = "0 0" ]
}
