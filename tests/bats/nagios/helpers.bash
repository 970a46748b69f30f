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

# A CA and a server certificate for 127.0.0.1 (or for SAN), in $EC_TMP/tls.
make_certs() {
    local dir=$EC_TMP/tls.$BATS_TEST_NUMBER san=$1
    mkdir -p "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" \
        -days 2 -subj "/CN=check_elasticache test CA" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout "$dir/srv.key" -out "$dir/srv.csr" \
        -subj "/CN=cache node" 2>/dev/null
    printf 'subjectAltName=%s\n' "$san" >"$dir/ext"
    openssl x509 -req -in "$dir/srv.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
        -CAcreateserial -out "$dir/srv.pem" -days 2 -extfile "$dir/ext" 2>/dev/null
    TLS_DIR=$dir
}

start_tls_redis() { # PORT
    start_redis 0 --tls-port "$1" --tls-cert-file "$TLS_DIR/srv.pem" \
        --tls-key-file "$TLS_DIR/srv.key" --tls-ca-cert-file "$TLS_DIR/ca.pem" \
        --tls-auth-clients no
    wait_port "$1"
}

# Listeners that never answer, many in one process (see listeners.py):
#   start_listeners KIND:COUNT...   (KIND silent, cut or closed)
# sets SILENT_PORTS, CUT_PORTS and CLOSED_PORTS (arrays).
start_listeners() {
    local file=$EC_TMP/listeners.$BATS_TEST_NUMBER.$RANDOM
    /usr/bin/python3 "$NAG_DIR/listeners.py" "$file" "$@" </dev/null >/dev/null 2>"$file.err" 3>&- &
    LAST_PID=$!
    SERVER_PIDS+=("$LAST_PID")
    wait_until 60 "listeners in $file" test -s "$file" || { cat "$file.err" >&2; return 1; }
    mapfile -t SILENT_PORTS < <(awk '$1 == "silent" { print $2 }' "$file")
    mapfile -t CUT_PORTS < <(awk '$1 == "cut" { print $2 }' "$file")
    mapfile -t CLOSED_PORTS < <(awk '$1 == "closed" { print $2 }' "$file")
}

# "a,b,c" from the arguments.
join_ports() {
    local IFS=,
    echo "$*"
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

# A reader on FIFO that appends what it reads to OUT, as Nagios reads its
# command file: start_fifo_reader FIFO OUT (ready when it returns).
start_fifo_reader() {
    /usr/bin/python3 -c '
import os, select, sys
fifo, out = sys.argv[1], sys.argv[2]
fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
# Hold a write end too, as the Nagios engine does: without it every writer
# that closes leaves the FIFO at end of file, and select() spins on it.
keep = os.open(fifo, os.O_WRONLY)
open(out + ".ready", "w").close()
with open(out, "ab", buffering=0) as f:
    while True:
        if select.select([fd], [], [], 1)[0]:
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                continue
            f.write(data)
' "$1" "$2" </dev/null >/dev/null 2>&1 3>&- &
    LAST_PID=$!
    SERVER_PIDS+=("$LAST_PID")
    wait_until 30 "a reader on $1" test -e "$2.ready"
}

# has_lines FILE N: FILE exists and has at least N lines (for wait_until,
# which must evaluate the count on every try).
has_lines() {
    [ -e "$1" ] && [ "$(grep -c '' "$1")" -ge "$2" ]
}

# Add events to a fixture file: add_events FIXTURE CLUSTER MESSAGE:AGE_SECONDS...
add_events() {
    /usr/bin/python3 - "$@" <<'PY'
import json, sys
path, cluster = sys.argv[1], sys.argv[2]
fix = json.load(open(path))
for spec in sys.argv[3:]:
    msg, age = spec.rsplit(":", 1)
    fix.setdefault("events", []).append({"SourceIdentifier": cluster, "SourceType": "cache-cluster", "Message": msg, "_age_seconds": float(age)})
json.dump(fix, open(path, "w"))
PY
}
