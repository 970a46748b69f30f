#!/usr/bin/env bats
# The event handler's decisions reach syslog, one message per decision,
# tagged elasticache_event_handler, and never carry a secret. glibc's
# syslog() always writes to /dev/log, so when the machine has none (as in
# CI's containers) and we are root, the test listens there itself for the
# duration; with a real syslog daemon present it is skipped rather than
# touch the machine's logging.

bats_require_minimum_version 1.5.0
load helpers

setup() {
    if [ -e /dev/log ]; then
        skip "/dev/log exists (a syslog daemon owns it)"
    fi
    if [ "$(id -u)" -ne 0 ]; then
        skip "needs root to listen on /dev/log"
    fi
    MC1=$(free_port); MC2=$(free_port)
    start_memcached "$MC1"; MC1_PID=$LAST_PID
    start_memcached "$MC2"
    FIX=$EC_TMP/fixture.syslog.$BATS_TEST_NUMBER.json
    make_fixture "$FIX" "memcached:mc:$MC1,$MC2"
    sim_start --fixture "$FIX" --reboot-seconds 3
    LOG=$BATS_TEST_TMPDIR/syslog.txt
    : >"$LOG"
    /usr/bin/python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
open(sys.argv[2], "w").close()
with open(sys.argv[1], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(65536) + b"\n")
' "$LOG" "$BATS_TEST_TMPDIR/listening" 3>&- &
    LISTENER=$!
    wait_until 30 "listener on /dev/log" test -e "$BATS_TEST_TMPDIR/listening"
}

# The listener writes each datagram as it arrives: wait for what a test
# expects rather than sleep.
log_lines_at_least() { # N PATTERN
    [ "$(grep -c -- "$2" "$LOG")" -ge "$1" ]
}

# A marker datagram through /dev/log, and wait until the listener wrote
# it: everything sent before it (datagrams keep their order) is in $LOG.
syslog_barrier() {
    /usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"test-barrier", "/dev/log")'
    wait_until 30 "the barrier datagram in $LOG" log_lines_at_least 1 test-barrier
}

teardown() {
    [ -n "${LISTENER:-}" ] && kill "$LISTENER" 2>/dev/null
    wait "${LISTENER:-}" 2>/dev/null || true
    [ -S /dev/log ] && [ -n "${LISTENER:-}" ] && rm -f /dev/log
    sim_stop
    stop_servers
}

@test "each decision goes to syslog with the handler's tag, as it goes to stdout" {
    # A node that does not answer: the handler reboots it, and says so.
    kill -STOP "$MC1_PID"
    run "$HANDLER" --endpoint-url "$SIM_URL" --probe-timeout 1 -C mc CRITICAL HARD 3
    kill -CONT "$MC1_PID" 2>/dev/null || true
    [ "$status" -eq 0 ]
    [[ "$output" == *"0001"* ]]
    syslog_barrier
    [ "$(grep -c 'elasticache_event_handler' "$LOG")" -eq 1 ]
    grep 'elasticache_event_handler' "$LOG" | grep -q 'mc: .*0001'
    # A state it must not act on: one more line, no reboot.
    run "$HANDLER" --endpoint-url "$SIM_URL" -C mc WARNING HARD 1
    [ "$status" -eq 0 ]
    syslog_barrier
    [ "$(grep -c 'elasticache_event_handler' "$LOG")" -eq 2 ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    # No secret of the test identity in what was logged.
    refute_in_files "$AWS_SECRET_ACCESS_KEY" "$LOG"
}

@test "--no-syslog keeps the decision on stdout only" {
    run "$HANDLER" --endpoint-url "$SIM_URL" --no-syslog -C mc WARNING HARD 1
    [ "$status" -eq 0 ]
    [ -n "$output" ]
    # Whatever the handler sent is in $LOG before the barrier: only it is.
    syslog_barrier
    [ "$(cat "$LOG")" = test-barrier ]
}
