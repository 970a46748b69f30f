# SPDX-License-Identifier: Apache-2.0
# Helpers for the rolling-reboot end-to-end tests: real redis-server and
# memcached processes on loopback as the simulator's cache nodes, started
# and restarted by the node hooks in tests/sim/hooks/, load and probes from
# rolling.py, and the cleanup of every process a test started.

load ../../lib/common

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROLLING_PY=$E2E_DIR/rolling.py
# shellcheck disable=SC2034 # used by the .bats files
EC=$EC_BIN/elasticache

# A free loopback TCP port below the ephemeral range: a node is down for a
# second during its reboot, and a port of that range could meanwhile be
# taken as the local port of some outgoing connection, so that the
# restarted server could not bind it.
e2e_port() {
    /usr/bin/python3 - "$@" <<'PY'
import random, socket, sys
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
taken = set(sys.argv[1:])
for _ in range(1000):
    p = random.randrange(10000, max(10001, low))
    if str(p) in taken:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    sys.exit(0)
sys.exit("no free port")
PY
}

# e2e_ports N: N distinct free ports, one a line.
e2e_ports() {
    local n=$1 ports=() i p
    for ((i = 0; i < n; i++)); do
        p=$(e2e_port "${ports[@]+"${ports[@]}"}") || return 1
        ports+=("$p")
    done
    printf '%s\n' "${ports[@]}"
}

# No node hook call is running any more (STATEDIR/hook.PID.running, see the
# hooks): a hook left over from a call the simulator made before it was
# stopped could otherwise start a server after the teardown ended them.
hooks_done() {
    local f pid
    for f in "$1"/hook.*.running; do
        [[ -e $f ]] || continue
        pid=${f##*/hook.}
        pid=${pid%.running}
        if kill -0 "$pid" 2>/dev/null; then
            return 1
        fi
        rm -f "$f" # its hook was killed before its EXIT trap ran
    done
    return 0
}

# e2e_teardown STATEDIR: end the helpers, the simulator (first: it runs the
# hooks), wait for its last hook calls, then end every server whose pid
# file the hooks keep; on failure print what happened.
e2e_teardown() {
    local d=$1 f pid hooks_ended=0
    for pid in ${WRITER_PID:-} ${PROBE_PID:-}; do
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    WRITER_PID='' PROBE_PID=''
    sim_stop
    # A hook still running after 30 s fails the test, after the cleanup.
    if wait_until 30 "end of the node hooks' last calls" hooks_done "$d"; then
        hooks_ended=1
    fi
    for f in "$d"/redis.*.pid "$d"/memcached.*.pid; do
        [[ -s $f ]] || continue
        pid=$(cat "$f")
        kill -KILL "$pid" 2>/dev/null
    done
    if [[ -z ${BATS_TEST_COMPLETED:-} ]]; then
        echo "--- hook.log"
        cat "$d"/hook*.log 2>/dev/null
        echo "--- sim log (tail)"
        tail -40 "${SIM_DIR:-/nonexistent}/sim.log" 2>/dev/null
        echo "--- cli"
        cat "$d"/cli.* 2>/dev/null | tail -60
    fi
    [ "$hooks_ended" -eq 1 ]
}

# Start the helpers of rolling.py in the background (fd 3 closed: Bats
# waits for every holder of its output channel).
start_writer() { # GROUP
    /usr/bin/python3 "$ROLLING_PY" write "$SIM_URL" "$1" "$D" </dev/null >"$D/writer.out" 2>&1 3>&- &
    WRITER_PID=$!
    wait_until 60 "500 acknowledged writes" test -s "$D/writer.ready"
}

# The writer notes how many writes were acknowledged so far: the keys
# acknowledged before the run.
mark_writer() {
    kill -USR1 "$WRITER_PID"
    wait_until 10 "the writer's note of the keys before the run" test -s "$D/before"
}

stop_writer() {
    kill -TERM "$WRITER_PID"
    wait "$WRITER_PID"
    WRITER_PID=''
    [[ -s $D/writer.json ]]
}

start_prober() { # PORT...
    /usr/bin/python3 "$ROLLING_PY" probe "$D" "$@" </dev/null >"$D/probe.out" 2>&1 3>&- &
    PROBE_PID=$!
    wait_until 60 "a probe sample with every node answering" test -s "$D/probe.ready"
}

stop_prober() {
    kill -TERM "$PROBE_PID"
    wait "$PROBE_PID"
    PROBE_PID=''
    [[ -s $D/probe.json ]]
}

# jfield FILE KEY: a top-level value of a JSON file.
jfield() {
    /usr/bin/python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(json.dumps(v) if isinstance(v,(dict,list)) else v)' "$1" "$2"
}

# A figure for the reader of the test output (TAP comment), not an assertion.
figure() {
    echo "# $*" >&3
}
