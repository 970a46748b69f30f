#!/usr/bin/env bats
# The event handler's decisions reach syslog, one message per decision,
# tagged elasticache_event_handler[PID], facility daemon, and never carry a
# secret. The handler writes syslog itself (not through glibc's syslog(3),
# which only knows /dev/log), so the test gives it a socket of its own with
# --syslog-socket: nothing else on the machine writes there (listening on
# the machine-wide /dev/log caught other processes' messages), and it needs
# no root and no free /dev/log.

bats_require_minimum_version 1.5.0
load helpers

setup() {
    MC1=$(free_port); MC2=$(free_port)
    start_memcached "$MC1"; MC1_PID=$LAST_PID
    start_memcached "$MC2"
    FIX=$EC_TMP/fixture.syslog.$BATS_TEST_NUMBER.json
    make_fixture "$FIX" "memcached:mc:$MC1,$MC2"
    sim_start --fixture "$FIX" --reboot-seconds 3
    SOCK=$BATS_TEST_TMPDIR/log.sock
    LOG=$BATS_TEST_TMPDIR/syslog.txt
    : >"$LOG"
    /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[3], "w").close()
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(65536) + b"\n")
' "$SOCK" "$LOG" "$BATS_TEST_TMPDIR/listening" </dev/null 3>&- &
    LISTENER=$!
    wait_until 30 "listener on $SOCK" test -e "$BATS_TEST_TMPDIR/listening"
}

# The listener writes each datagram as it arrives: wait for what a test
# expects rather than sleep.
log_lines_at_least() { # N PATTERN
    [ "$(grep -c -- "$2" "$LOG")" -ge "$1" ]
}

# A marker datagram through the socket, and wait until the listener wrote
# it: everything sent before it (datagrams keep their order) is in $LOG.
# Each barrier has its own marker (test-barrier-1, -2, ...): waiting for
# one already in $LOG would not wait at all.
BARRIERS=0
syslog_barrier() {
    BARRIERS=$((BARRIERS + 1))
    /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(sys.argv[2].encode(), sys.argv[1])' "$SOCK" "test-barrier-$BARRIERS"
    wait_until 30 "the barrier datagram in $LOG" log_lines_at_least 1 "^test-barrier-$BARRIERS\$"
}

teardown() {
    [ -n "${LISTENER:-}" ] && kill "$LISTENER" 2>/dev/null
    wait "${LISTENER:-}" 2>/dev/null || true
    sim_stop
    stop_servers
}

@test "each decision goes to syslog with the handler's tag and pid, facility daemon, as it goes to stdout" {
    # A node that does not answer: the handler reboots it, and says so.
    # The probe timeout leaves the node that does answer room on a loaded
    # machine: only 0001 may be found unresponsive.
    kill -STOP "$MC1_PID"
    "$HANDLER" --endpoint-url "$SIM_URL" --syslog-socket "$SOCK" --probe-timeout 3 -C mc CRITICAL HARD 3 \
        >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
    local pid=$!
    wait "$pid"
    kill -CONT "$MC1_PID" 2>/dev/null || true
    cat "$BATS_TEST_TMPDIR/out"
    grep -q "mc: rebooting unresponsive node(s) 0001 (request " "$BATS_TEST_TMPDIR/out"
    syslog_barrier
    cat "$LOG"
    [ "$(grep -c 'elasticache_event_handler' "$LOG")" -eq 1 ]
    # <29> = daemon.notice, as glibc's syslog(3) writes it
    grep -Eq "^<29>[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} elasticache_event_handler\[$pid\]: mc: rebooting unresponsive node\(s\) 0001 \(request " "$LOG"
    # A state it must not act on: one more message (daemon.info), no reboot.
    run "$HANDLER" --endpoint-url "$SIM_URL" --syslog-socket "$SOCK" -C mc WARNING HARD 1
    [ "$status" -eq 0 ]
    syslog_barrier
    [ "$(grep -c 'elasticache_event_handler' "$LOG")" -eq 2 ]
    grep -q '^<30>.*elasticache_event_handler\[[0-9]*\]: mc: service is WARNING: nothing to do$' "$LOG"
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    # No secret of the test identity in what was logged.
    refute_in_files "$AWS_SECRET_ACCESS_KEY" "$LOG"
}

@test "--no-syslog keeps the decision on stdout only" {
    run "$HANDLER" --endpoint-url "$SIM_URL" --no-syslog --syslog-socket "$SOCK" -C mc WARNING HARD 1
    [ "$status" -eq 0 ]
    [ -n "$output" ]
    # Whatever the handler sent is in $LOG before the barrier: only it is.
    syslog_barrier
    [ "$(cat "$LOG")" = test-barrier-1 ]
}

@test "no syslog daemon at the socket: the decision still goes to stdout, exit 0" {
    run "$HANDLER" --endpoint-url "$SIM_URL" --syslog-socket "$BATS_TEST_TMPDIR/nobody.sock" -C mc WARNING HARD 1
    [ "$status" -eq 0 ]
    [ "$output" = "elasticache_event_handler: mc: service is WARNING: nothing to do" ]
}
