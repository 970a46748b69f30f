# Helpers for the Nagios/Icinga tests: real memcached/redis-server processes
# on loopback as cache nodes, simulator fixtures pointing at them, and
# cleanup of every process a test started.

load ../../lib/common

NAG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CHECK=$EC_BIN/check_elasticache
HANDLER=$EC_BIN/elasticache_event_handler

# A free loopback TCP port.
free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

port_open() {
    /usr/bin/python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),0.5).close()' "$1" 2>/dev/null
}

# Wait until something accepts on 127.0.0.1:$1 (30 s at most; a server
# that starts in milliseconds on an idle machine may take seconds on a
# busy one).
wait_port() {
    wait_until 30 "listener on 127.0.0.1:$1" port_open "$1"
}

# Every pid a test started, stopped by stop_servers (SIGCONT first: a
# stopped process ignores SIGTERM until continued).
SERVER_PIDS=()

start_memcached() { # PORT -> pid in $LAST_PID
    memcached -l 127.0.0.1 -p "$1" -U 0 -u root -m 8 </dev/null >/dev/null 2>&1 3>&- &
    LAST_PID=$!
    SERVER_PIDS+=("$LAST_PID")
    wait_port "$1"
}

start_redis() { # PORT [redis args...] -> pid in $LAST_PID
    local port=$1
    shift
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize no --dir "$EC_TMP" "$@" </dev/null >/dev/null 2>&1 3>&- &
    LAST_PID=$!
    SERVER_PIDS+=("$LAST_PID")
    [[ $port == 0 ]] || wait_port "$port" # 0: TLS only, the caller waits
}

stop_servers() {
    local p
    for p in "${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}"; do
        kill -CONT "$p" 2>/dev/null
        kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    SERVER_PIDS=()
}

# make_fixture OUT SPEC... (see make_fixture.py)
make_fixture() {
    /usr/bin/python3 "$NAG_DIR/make_fixture.py" "$@"
}

# Run the check against the simulator.
check() {
    run "$CHECK" --endpoint-url "$SIM_URL" "$@"
}

# The output passes the strict guideline parser.
assert_guideline_output() {
    printf '%s\n' "$output" | /usr/bin/python3 "$NAG_DIR/perfdata_check.py" || {
        echo "output was: $output"
        return 1
    }
}

now() { date +%s.%N; }
