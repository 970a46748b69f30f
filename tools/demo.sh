#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job end to end, on the bundled simulator, for a newcomer to watch:
# three real memcached processes are the cache nodes of "demo-memcached"; a
# parameter change leaves node 0002 pending a reboot; the check sees it; the
# CLI reboots exactly that node and waits until it has really restarted (the
# simulator restarts the memcached process); a second run does nothing.
#
#   bash tools/demo.sh           (Debian 12, as root or with sudo)
#
# Everything listens on 127.0.0.1 and is stopped at the end.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '\033[2m$ %s\033[0m\n' "$*" >&2; "$@"; }

say "Installing what is missing (apt-get) and building"
bash tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
export PATH="$repo/build/bin:$PATH"

export EC_REPO=$repo
EC_TMP=$(mktemp -d /tmp/ec-demo.XXXXXX)
export EC_TMP
# shellcheck source=tests/lib/common.bash
source tests/lib/common.bash

pids=()
cleanup() {
    sim_stop || true
    for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
    pkill -f "memcached -l 127.0.0.1 -p 2181[123]" 2>/dev/null || true
    rm -rf "$EC_TMP"
}
trap cleanup EXIT

say "Starting three memcached nodes on 127.0.0.1:21811-21813"
for port in 21811 21812 21813; do
    memcached -l 127.0.0.1 -p "$port" -U 0 -u root -m 16 &
    pids+=($!)
done

# The node hook restarts a node's memcached when the simulator reboots it.
cat >"$EC_TMP/node-hook" <<'HOOK'
#!/bin/sh
# node-hook down|up CLUSTER NODE ADDRESS PORT
case $1 in
down) pkill -f "memcached -l 127.0.0.1 -p $5 " ;;
up) memcached -l 127.0.0.1 -p "$5" -U 0 -u root -m 16 -d ;;
esac
exit 0
HOOK
chmod +x "$EC_TMP/node-hook"

/usr/bin/python3 - "$repo/tests/sim/fixtures/default.json" "$EC_TMP/fixture.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = [c for c in d["clusters"] if c["CacheClusterId"] == "demo-memcached"][0]
for i, n in enumerate(c["CacheNodes"]):
    n["Endpoint"]["Port"] = 21811 + i
d["clusters"] = [c]
d["events"] = []
d["replication_groups"] = []  # the demo is one memcached cluster
json.dump(d, open(sys.argv[2], "w"), indent=1)
PY

say "Starting the ElastiCache simulator (every request's SigV4 signature is checked with botocore)"
sim_start --fixture "$EC_TMP/fixture.json" --reboot-seconds 6 --consistency-lag 2 \
    --node-hook "$EC_TMP/node-hook"
echo "simulator at $SIM_URL"
ep=(--endpoint-url "$SIM_URL")

say "The cluster as the AWS CLI would print it"
show elasticache "${ep[@]}" describe-cache-clusters --cache-cluster-id demo-memcached \
    --show-cache-node-info | head -40
echo "..."

say "Monitoring: the Nagios check probes every node (memcached 'version')"
show check_elasticache "${ep[@]}" -C demo-memcached || true

say "A parameter group change leaves node 0002 pending a reboot"
sim_ctl POST /_sim/clusters/demo-memcached/pending-reboot '{"nodes":["0002"]}' >/dev/null
show check_elasticache "${ep[@]}" -C demo-memcached || true

# The reboot prints the whole outcome (with the cluster as AWS shows it);
# here only its head is shown.
outcome() {
    /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
for k in ("Changed", "Decision", "Message", "RebootedNodeIds"):
    print("    %-16s %s" % (k, json.dumps(r[k])))
for when in ("Before", "After"):
    print("    %-16s %s" % (when, ", ".join("%s %s/%s" % (n["CacheNodeId"], n["CacheNodeStatus"],
          n.get("ParameterGroupStatus", "-")) for n in r[when]["CacheNodes"])))'
}
node2_pid() { pgrep -f "memcached -l 127.0.0.1 -p 21812 " | head -1; }

say "Reboot only what is pending, and wait until it has really restarted"
echo "memcached of node 0002 runs as pid $(node2_pid)"
show elasticache "${ep[@]}" reboot-cache-cluster --cache-cluster-id demo-memcached \
    --only-if-pending --wait --wait-delay 1 | outcome
echo "memcached of node 0002 now runs as pid $(node2_pid): it really restarted"

say "Run it again: nothing is pending, so nothing is rebooted (idempotent)"
show elasticache "${ep[@]}" reboot-cache-cluster --cache-cluster-id demo-memcached \
    --only-if-pending --wait --wait-delay 1 | outcome

say "What ElastiCache recorded"
show elasticache "${ep[@]}" describe-events --source-type cache-cluster \
    --source-identifier demo-memcached --duration 60

say "Monitoring again"
show check_elasticache "${ep[@]}" -C demo-memcached || true

say "The simulator's request log: one RebootCacheCluster, every signature verified"
sim_ctl GET /_sim/requests | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print("%3d %-22s HTTP %s  signature %s" % (r["seq"], r["action"], r["status"], r["signature"]))'
echo
echo "RebootCacheCluster calls: $(sim_count RebootCacheCluster)"
