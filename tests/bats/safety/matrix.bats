#!/usr/bin/env bats
# The safety matrix (issue 8, "The proof"): every scenario of
# tests/safety/scenarios.py through the four tools (the CLI, the Ansible
# module and its NDJSON mode, the check, the event handler), each on a
# fresh simulator whose request log says which reboots took effect. One
# test per scenario fails when a reboot is sent that should not be, or is
# not sent that should be; the last one prints the table and fails unless
# README.md holds the same one (EC_MATRIX_UPDATE=1 writes it there first).
#
# One simulator and three real memcached nodes serve the whole file; a
# scenario resets the simulator before each tool.

bats_require_minimum_version 1.5.0
load ../nagios/helpers

MATRIX=$EC_REPO/tests/safety/matrix.py

setup_file() {
    load ../nagios/helpers
    local dir=$BATS_FILE_TMPDIR i p ports=() pids=()
    for i in 1 2 3; do
        p=$(free_port)
        start_memcached "$p"
        ports+=("$p")
        pids+=("$LAST_PID")
    done
    make_fixture "$dir/fixture.json" "memcached:mx:$(join_ports "${ports[@]}")"
    MX_SERVERS=$dir/servers.json
    printf '{"pids": {"mx": {"0001": %d, "0002": %d, "0003": %d}}}\n' "${pids[@]}" >"$MX_SERVERS"
    MX_PIDS=${pids[*]}
    sim_start --fixture "$dir/fixture.json" --reboot-seconds 1
    MX_RESULTS=$dir/results.jsonl
    : >"$MX_RESULTS"
    export MX_SERVERS MX_PIDS MX_RESULTS SIM_URL SIM_PID SIM_DIR
}

teardown_file() {
    sim_stop
    local pid
    for pid in $MX_PIDS; do
        kill -CONT "$pid" 2>/dev/null
        kill -KILL "$pid" 2>/dev/null
    done
    return 0
}

join_ports() {
    local IFS=,
    echo "$*"
}

# row ID: one scenario through every tool; its report when it fails.
row() {
    mkdir -p "$BATS_TEST_TMPDIR/run"
    run /usr/bin/python3 "$MATRIX" run "$1" --sim-url "$SIM_URL" --bin "$EC_BIN" \
        --servers "$MX_SERVERS" --results "$MX_RESULTS" --tmp "$BATS_TEST_TMPDIR/run"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "safety matrix: every scenario has its test here" {
    run /usr/bin/python3 "$MATRIX" list
    [ "$status" -eq 0 ]
    local listed here
    listed=$(sort <<<"$output")
    here=$(sed -n 's/^@test "safety matrix: \([a-z0-9-]*\)".*/\1/p' "$BATS_TEST_FILENAME" | sort)
    diff <(echo "$listed") <(echo "$here")
    [ "$(wc -l <<<"$listed")" -ge 20 ]
}

@test "safety matrix: broken-node" { row broken-node; }
@test "safety matrix: no-node-list" { row no-node-list; }
@test "safety matrix: empty-node-list" { row empty-node-list; }
@test "safety matrix: busy-no-wait" { row busy-no-wait; }
@test "safety matrix: busy-check-mode" { row busy-check-mode; }
@test "safety matrix: busy-check-mode-wait" { row busy-check-mode-wait; }
@test "safety matrix: check-mode" { row check-mode; }
@test "safety matrix: already-rebooting" { row already-rebooting; }
@test "safety matrix: cluster-gone" { row cluster-gone; }
@test "safety matrix: repeat-after" { row repeat-after; }
@test "safety matrix: repeat-during" { row repeat-during; }
@test "safety matrix: race" { row race; }
@test "safety matrix: race-stale" { row race-stale; }
@test "safety matrix: lost-reset" { row lost-reset; }
@test "safety matrix: lost-503" { row lost-503; }
@test "safety matrix: lost-not-taken" { row lost-not-taken; }
@test "safety matrix: 503-not-taken" { row 503-not-taken; }
@test "safety matrix: hung-describe" { row hung-describe; }
@test "safety matrix: unreadable-html" { row unreadable-html; }
@test "safety matrix: unreadable-empty" { row unreadable-empty; }
@test "safety matrix: unreadable-xml" { row unreadable-xml; }
@test "safety matrix: secret-in-bad-input" { row secret-in-bad-input; }
@test "safety matrix: crlf-token" { row crlf-token; }
@test "safety matrix: fifo-config" { row fifo-config; }
@test "safety matrix: unknown-node" { row unknown-node; }
@test "safety matrix: only-pending" { row only-pending; }
@test "safety matrix: nothing-pending" { row nothing-pending; }

@test "the table: printed, and README.md's is the one this run produced" {
    run /usr/bin/python3 "$MATRIX" table "$MX_RESULTS"
    echo "$output"
    [ "$status" -eq 0 ]
    # Into the run's output (TAP comments), pass or fail.
    sed 's/^/# /' <<<"$output" >&3
    # EC_MATRIX_UPDATE=1: a change meant to change the table writes it into
    # README.md first (review it with git diff).
    if [[ ${EC_MATRIX_UPDATE:-} == 1 ]]; then
        run /usr/bin/python3 "$MATRIX" update-readme "$MX_RESULTS" "$EC_REPO/README.md"
        [ "$status" -eq 0 ]
    fi
    run /usr/bin/python3 "$MATRIX" check-readme "$MX_RESULTS" "$EC_REPO/README.md"
    echo "$output"
    [ "$status" -eq 0 ]
}
