#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The safety matrix (issue 8, "The proof"): every scenario of
# tests/safety/scenarios.py through the four tools (the CLI, the Ansible
# module and its NDJSON mode, the check, the event handler), each on a
# fresh simulator whose request log says which reboots took effect. One
# test per scenario fails when a reboot is sent that should not be, or is
# not sent that should be; the last one prints the table and fails unless
# README.md holds the same one (EC_MATRIX_UPDATE=1 writes it there first).
#
# One simulator and the real nodes serve the whole file (three memcached,
# Redis in plain text, with AUTH and with TLS, listeners that never answer);
# a scenario resets the simulator before each tool.

bats_require_minimum_version 1.5.0
load ../nagios/helpers

MATRIX=$EC_REPO/tests/safety/matrix.py
MX_AUTH_TOKEN=matrix-t0ken-$$

setup_file() {
    load ../nagios/helpers
    local dir=$BATS_FILE_TMPDIR i p mx=() pids=() rd rda rt
    for i in 1 2 3; do
        p=$(free_port)
        start_memcached "$p"
        mx+=("$p")
        pids+=("$LAST_PID")
    done
    # Redis nodes for the probe's settings (issue 8, items 2 and 3): plain
    # text, AUTH required, TLS required.
    rd=$(free_port)
    start_redis "$rd"
    pids+=("$LAST_PID")
    rda=$(free_port)
    start_redis "$rda" --requirepass "$MX_AUTH_TOKEN"
    pids+=("$LAST_PID")
    make_certs IP:127.0.0.1
    rt=$(free_port)
    start_tls_redis "$rt"
    pids+=("$LAST_PID")
    # Listeners that never answer (item 4 and 7): a cut path (no answer to
    # a connection), hung nodes (accepted, then silent), a refusing port.
    start_listeners cut:1 silent:4 closed:1
    pids+=("$LAST_PID")
    printf '%s\n' "$MX_AUTH_TOKEN" >"$dir/token.good"
    printf 'not-the-token\n' >"$dir/token.bad"
    mkdir -p "$dir/tokens"
    cp "$dir/token.good" "$dir/tokens/rda"
    local cut=${CUT_PORTS[0]}
    make_fixture "$dir/fixture.json" "memcached:mx:$(join_ports "${mx[@]}")" \
        "redis:rd:$rd" "redis:rda:$rda:auth" "redis:rt:$rt:tls-required" "redis:rw:${mx[0]}" \
        "memcached:cut:$cut,$cut,$cut" "redis:refuses:${CLOSED_PORTS[0]}" \
        "memcached:hangs:${SILENT_PORTS[0]}"
    # For --all (item 7): healthy nodes beside hung ones of two engines and
    # two TLS settings.
    make_fixture "$dir/hung.json" "memcached:mx:$(join_ports "${mx[@]}")" "redis:rd:$rd" \
        "memcached:hung-mc:${SILENT_PORTS[0]}" "redis:hung-rd:${SILENT_PORTS[1]}" \
        "redis:hung-tls:${SILENT_PORTS[2]}:tls" "memcached:hung-mtls:${SILENT_PORTS[3]}:tls"
    # For forged output (item 14): API strings holding '|', newlines, quotes.
    /usr/bin/python3 - "$dir/fixture.json" "$dir/hostile.json" <<'PY'
import json, sys
fix = json.load(open(sys.argv[1]))
evil = [c for c in fix["clusters"] if c["CacheClusterId"] == "mx"][0]
evil["CacheClusterId"] = "evil|x=1\nELASTICACHE OK - all good | fake=1"
evil["CacheClusterStatus"] = "weird|status\nELASTICACHE OK - forged"
evil["CacheNodes"][0]["CacheNodeId"] = "00'01|\nx"
evil["CacheNodes"][1]["CacheNodeStatus"] = "broken\r\nELASTICACHE OK - node"
json.dump({"clusters": [evil], "events": []}, open(sys.argv[2], "w"))
PY
    MX_SERVERS=$dir/servers.json
    /usr/bin/python3 - "$MX_SERVERS" "$dir" "$TLS_DIR/ca.pem" "${pids[@]:0:3}" <<'PY'
import json, sys
out, d, ca, pids = sys.argv[1], sys.argv[2], sys.argv[3], [int(p) for p in sys.argv[4:]]
json.dump({"pids": {"mx": {"%04d" % (i + 1): p for i, p in enumerate(pids)}},
           "files": {"fixture.hung": d + "/hung.json", "fixture.hostile": d + "/hostile.json",
                     "token.good": d + "/token.good", "token.bad": d + "/token.bad",
                     "tokens": d + "/tokens", "ca": ca}}, open(out, "w"))
PY
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
@test "safety matrix: tls-on-plain-redis" { row tls-on-plain-redis; }
@test "safety matrix: tls-on-plain-memcached" { row tls-on-plain-memcached; }
@test "safety matrix: no-tls-on-tls-redis" { row no-tls-on-tls-redis; }
@test "safety matrix: auth-missing" { row auth-missing; }
@test "safety matrix: auth-wrong" { row auth-wrong; }
@test "safety matrix: wrong-answer" { row wrong-answer; }
@test "safety matrix: token-no-auth-cluster" { row token-no-auth-cluster; }
@test "safety matrix: token-per-cluster" { row token-per-cluster; }
@test "safety matrix: tls-from-api" { row tls-from-api; }
@test "safety matrix: cut-path" { row cut-path; }
@test "safety matrix: only-node-refuses" { row only-node-refuses; }
@test "safety matrix: only-node-silent" { row only-node-silent; }
@test "safety matrix: max-unresponsive" { row max-unresponsive; }
@test "safety matrix: downtime" { row downtime; }
@test "safety matrix: downtime-env" { row downtime-env; }
@test "safety matrix: acknowledged" { row acknowledged; }
@test "safety matrix: flapping" { row flapping; }
@test "safety matrix: max-reboots" { row max-reboots; }
@test "safety matrix: max-reboots-room" { row max-reboots-room; }
@test "safety matrix: all-hung" { row all-hung; }
@test "safety matrix: slowest-counts-silent" { row slowest-counts-silent; }
@test "safety matrix: bogus-state" { row bogus-state; }
@test "safety matrix: forged-output" { row forged-output; }

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
