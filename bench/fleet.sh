#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmark 5: check_elasticache over fleets and the scaling table (issue
# 13). Starts the simulator and four memcached listeners on 127.0.0.1 (the
# probed nodes), then runs bench/fleet.py; see there for the rows.
#
#   bash bench/fleet.sh [--rounds N] [--callgrind]   (needs a build in ./build
#                                                    or EC_BUILD)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export EC_REPO=$repo
EC_TMP=$(mktemp -d /tmp/ec-bench-fleet.XXXXXX)
export EC_TMP
# shellcheck source=tests/lib/common.bash
source "$repo/tests/lib/common.bash"
pids=()
cleanup() {
    local p
    sim_stop
    for p in "${pids[@]+"${pids[@]}"}"; do
        kill -KILL "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$EC_TMP"
}
trap cleanup EXIT
command -v memcached >/dev/null || {
    echo "bench: needs memcached (the probed nodes)" >&2
    exit 2
}
for t in check_elasticache bench_rusage; do
    [[ -x $EC_BIN/$t ]] || cmake --build "$EC_BUILD" -j2 --target "$t" >/dev/null
done
sim_start >/dev/null

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
port_open() {
    /usr/bin/python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),0.5).close()' "$1" 2>/dev/null
}
ports=()
for _ in 1 2 3 4; do
    p=$(free_port)
    # -c: room for every node of the 1,000-node row at once, whatever the
    # check's concurrency.
    memcached -l 127.0.0.1 -p "$p" -U 0 -u "$(id -un)" -m 8 -c 2048 </dev/null >/dev/null 2>&1 &
    pids+=($!)
    ports+=("$p")
done
for p in "${ports[@]}"; do
    wait_until 30 "memcached on 127.0.0.1:$p" port_open "$p"
done
# Silent nodes: a listener whose kernel queue accepts and that never answers.
/usr/bin/python3 -u -c '
import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4096)
print(s.getsockname()[1])
time.sleep(86400)' >"$EC_TMP/silent.port" </dev/null &
pids+=($!)
wait_until 30 "the silent listener" test -s "$EC_TMP/silent.port"
SILENT_PORT=$(cat "$EC_TMP/silent.port") \
MEMCACHED_PORTS=$(IFS=,; echo "${ports[*]}") SIM_URL=$SIM_URL EC_BIN=$EC_BIN \
    /usr/bin/python3 "$repo/bench/fleet.py" "$@"
