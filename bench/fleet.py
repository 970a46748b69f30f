#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Benchmark 5: check_elasticache over fleets (issue 13), and how its cost
scales with nodes and clusters, against /usr/bin/aws describing the same
clusters from the same simulator in the same run.

    bash bench/fleet.sh [--rounds N] [--callgrind]

(fleet.sh starts the simulator and four memcached listeners on loopback,
then runs this with SIM_URL, EC_BIN and MEMCACHED_PORTS set.)

Rows, each a fleet made in the simulator (POST /_sim/fleet):
  nodes     one cluster of 1, 10, 40 nodes: `check_elasticache -C ID`, every
            node probed (the nodes are the memcached listeners, in turn);
            peer: `aws elasticache describe-cache-clusters --cache-cluster-id
            ID --show-cache-node-info` (the API half only: it probes nothing)
  clusters  1, 100, 1,000, 10,000 clusters of one node: `check_elasticache
            --all --no-probe` (100 clusters a page); peer: `aws elasticache
            describe-cache-clusters --show-cache-node-info`, every page
  probe     1,000 nodes (100 clusters of 10) probed in one `--all -t T` run
  silent    the same 1,000 nodes on a listener that never answers: every
            probe must end by its one deadline (half of -t), within -t

For each: CPU (user + system) and peak RSS of the process (wait4, in
bench_rusage, so that Python's own memory is not counted), the
median over the rounds; wall time; the requests and TCP connections the
simulator saw; CPU per cluster. Outputs are checked first: the check must
say OK with every cluster and node counted, aws must list every cluster.
CPU is the client's own (the simulator is another process), so it depends
little on load; wall time includes the Python simulator and does.
With --callgrind, instructions per check (valgrind; ours only: the AWS
CLI under valgrind takes minutes a run).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

SIM = os.environ["SIM_URL"]
BIN = os.environ["EC_BIN"]
PORTS = [int(p) for p in os.environ["MEMCACHED_PORTS"].split(",")]
SILENT = int(os.environ["SILENT_PORT"])
CHECK = os.path.join(BIN, "check_elasticache")
RUSAGE = os.path.join(BIN, "bench_rusage")
AWS = "/usr/bin/aws"


def ctl(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(SIM + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=300) as r:
        return r.read().decode()


def fleet(clusters, nodes, ports=None):
    spec = {"clusters": clusters, "nodes": nodes}
    if ports:
        spec["ports"] = ports
    ctl("POST", "/_sim/fleet", spec)


def sim_requests():
    reqs = json.loads(ctl("GET", "/_sim/requests"))
    api = [r for r in reqs if r.get("action")]
    return len(api), len({r["connection"] for r in api})


def run(argv):
    """Run argv under bench_rusage with stdout captured; (stdout, status,
    wall s, cpu s, peak RSS KiB)."""
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as ru:
        t0 = time.monotonic()
        subprocess.run([RUSAGE, ru.name] + argv, stdout=out, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                       check=True)
        wall = time.monotonic() - t0
        out.seek(0)
        text = out.read().decode()
        cpu_us, rss_kib, status = (int(x) for x in ru.read().split())
    return text, status, wall, cpu_us / 1e6, rss_kib


def callgrind(argv):
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=%s/cg.out" % d] + argv,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        m = re.search(r"Collected : (\d+)", p.stderr)
        return int(m.group(1)) if m else None


def ours_ok(text, status, clusters, nodes, silent=False):
    first = text.splitlines()[0] if text else ""
    if silent:
        if status != 2 or "nodes_unresponsive=%d;" % nodes not in first:
            return "status %d, not every node unresponsive: %s" % (status, first[:300])
        return None
    if status != 0 or not first.startswith("ELASTICACHE OK"):
        return "status %d: %s" % (status, first[:300])
    if clusters is not None and " clusters=%d;" % clusters not in first:
        return "not %d clusters: %s" % (clusters, first[:300])
    if "nodes=%d;" % nodes not in first:
        return "not %d nodes: %s" % (nodes, first[:300])
    return None


def aws_ok(text, status, clusters):
    if status != 0:
        return "aws status %d" % status
    got = len(json.loads(text)["CacheClusters"])
    return None if got == clusters else "aws listed %d clusters, not %d" % (got, clusters)


def fmt_mib(kib):
    return "%.1f" % (kib / 1024.0)


def measure(label, ours_argv, aws_argv, clusters, nodes, rounds, do_callgrind, check_clusters, silent=False):
    """Interleave ours and aws `rounds` times; return a result row."""
    o = {"wall": [], "cpu": [], "rss": []}
    a = {"wall": [], "cpu": [], "rss": []}
    reqs = conns = None
    for i in range(rounds):
        ctl("DELETE", "/_sim/requests")
        text, status, wall, cpu, rss = run(ours_argv)
        bad = ours_ok(text, status, check_clusters, nodes, silent)
        if bad:
            sys.exit("bench: %s: our check is not OK: %s" % (label, bad))
        if i == 0:
            reqs, conns = sim_requests()
        o["wall"].append(wall)
        o["cpu"].append(cpu)
        o["rss"].append(rss)
        if aws_argv:
            text, status, wall, cpu, rss = run(aws_argv)
            bad = aws_ok(text, status, clusters)
            if bad:
                sys.exit("bench: %s: %s" % (label, bad))
            a["wall"].append(wall)
            a["cpu"].append(cpu)
            a["rss"].append(rss)
            a["bytes"] = len(text.encode())
    row = {
        "label": label,
        "clusters": clusters,
        "nodes": nodes,
        "requests": reqs,
        "connections": conns,
        "wall": statistics.median(o["wall"]),
        "cpu": statistics.median(o["cpu"]),
        "cpu_min": min(o["cpu"]),
        "cpu_max": max(o["cpu"]),
        "rss": statistics.median(o["rss"]),
    }
    if aws_argv:
        row.update(
            aws_wall=statistics.median(a["wall"]),
            aws_cpu=statistics.median(a["cpu"]),
            aws_rss=statistics.median(a["rss"]),
            aws_bytes=a["bytes"],
        )
    if do_callgrind:
        row["ir"] = callgrind(ours_argv)
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--callgrind", action="store_true")
    ap.add_argument("--probe-timeout", type=float, default=10.0, help="-t of the 1,000-node row (default 10)")
    args = ap.parse_args()

    with open("/proc/loadavg") as f:
        load0 = " ".join(f.read().split()[:3])
    print("check_elasticache vs %s (describe only), same simulator, %d rounds, medians; load average %s at the start"
          % (AWS, args.rounds, load0))
    rows = []
    endpoint = ["--endpoint-url", SIM]
    for n in (1, 10, 40):
        fleet(1, n, PORTS)
        rows.append(measure(
            "1 cluster, %d node%s, probed" % (n, "" if n == 1 else "s"),
            [CHECK] + endpoint + ["-C", "fleet-00001", "-t", "60"],
            [AWS] + endpoint + ["elasticache", "describe-cache-clusters", "--cache-cluster-id", "fleet-00001",
                                "--show-cache-node-info"],
            1, n, args.rounds, args.callgrind, None))
    for n in (1, 100, 1000, 10000):
        fleet(n, 1)
        rows.append(measure(
            "%d cluster%s, 1 node each, --no-probe" % (n, "" if n == 1 else "s"),
            [CHECK] + endpoint + ["--all", "--no-probe", "-t", "600"],
            [AWS] + endpoint + ["elasticache", "describe-cache-clusters", "--show-cache-node-info"],
            n, n, args.rounds, args.callgrind, n))
    fleet(100, 10, PORTS)
    t = args.probe_timeout
    probe_row = measure(
        "100 clusters of 10 nodes, all probed, -t %g" % t,
        [CHECK] + endpoint + ["--all", "-t", "%g" % t],
        None, 100, 1000, args.rounds, args.callgrind, 100)
    fleet(100, 10, [SILENT])
    silent_row = measure(
        "100 clusters of 10 silent nodes, -t %g" % t,
        [CHECK] + endpoint + ["--all", "-t", "%g" % t],
        None, 100, 1000, 1, False, 100, silent=True)

    print()
    print("%-40s %6s %5s %5s %10s %11s %9s %10s %9s %8s %8s" % (
        "check", "nodes", "reqs", "conns", "CPU ms", "CPU/cluster", "peak RSS", "aws CPU ms", "aws RSS", "CPU x", "wall x"))
    for r in rows:
        print("%-40s %6d %5d %5d %10.1f %9.1fus %7sMiB %10.0f %6sMiB %7.1fx %7.1fx" % (
            r["label"], r["nodes"], r["requests"], r["connections"], r["cpu"] * 1e3,
            r["cpu"] / r["clusters"] * 1e6, fmt_mib(r["rss"]), r["aws_cpu"] * 1e3, fmt_mib(r["aws_rss"]),
            r["aws_cpu"] / max(r["cpu"], 1e-4), r["aws_wall"] / r["wall"]))
    print("(CPU ms: median, user + system, from wait4; CPU x and wall x: aws / check_elasticache, medians;"
          " the CPU clock ticks in 1 ms or 4 ms steps, so the small rows are coarse)")
    print()
    print("CPU ms per check: min..max over the rounds")
    for r in rows:
        print("  %-40s %.1f..%.1f" % (r["label"], r["cpu_min"] * 1e3, r["cpu_max"] * 1e3))
    print()
    r = probe_row
    print("1,000 nodes probed in one run: %s" % r["label"])
    print("  wall %.3f s (within -t %g: %s), CPU %.1f ms, peak RSS %s MiB, %d API request(s) on %d connection(s)" % (
        r["wall"], t, "yes" if r["wall"] < t else "NO", r["cpu"] * 1e3, fmt_mib(r["rss"]), r["requests"],
        r["connections"]))
    r = silent_row
    print("1,000 silent nodes in one run (one round): %s" % r["label"])
    print("  wall %.3f s (within -t %g: %s; the probes' deadline is half of -t), CPU %.1f ms, peak RSS %s MiB" % (
        r["wall"], t, "yes" if r["wall"] < t else "NO", r["cpu"] * 1e3, fmt_mib(r["rss"])))
    big = [x for x in rows if x["clusters"] in (1000, 10000) and "no-probe" in x["label"]]
    if len(big) == 2:
        grow = (big[1]["rss"] - big[0]["rss"]) * 1024.0 / 9000
        print()
        print("memory: peak RSS %s MiB at 1,000 clusters (10 pages), %s MiB at 10,000 (100 pages):"
              " %.0f bytes more per cluster; the AWS CLI's JSON of one of these clusters is %.0f bytes"
              % (fmt_mib(big[0]["rss"]), fmt_mib(big[1]["rss"]), grow, big[1]["aws_bytes"] / 10000.0))
    if args.callgrind:
        print()
        print("callgrind, instructions per check (ours):")
        for x in rows + [probe_row]:
            if x.get("ir"):
                print("  %-40s %14s  %10.0f per cluster" % (x["label"], "{:,}".format(x["ir"]).replace(",", " "),
                                                             x["ir"] / x["clusters"]))
    with open("/proc/loadavg") as f:
        print("load average %s at the end" % " ".join(f.read().split()[:3]))


if __name__ == "__main__":
    main()
