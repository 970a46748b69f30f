#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""--query evaluation: libelasticache's ec_jmespath_search (via
bench_jmespath) against Python's jmespath 1.0.1 (Debian's
python3-jmespath, what /usr/bin/aws evaluates --query with), on the same
document, each expression compiled once and searched many times (as the
AWS CLI does per command). Results are checked equal first (json.dumps
text, ints and floats apart). All numbers come from this one run: ROUNDS
rounds, each timing both in turn; medians count.

  /usr/bin/python3 bench/jmespath_vs_python.py BUILD/bin/bench_jmespath
      BUILD/bin/bench_xml [--rounds N] [--callgrind]

The document is the AWS CLI JSON of a 100-cluster DescribeCacheClusters
page with node info (bench/gen_responses.py's page100.xml, converted by
bench_xml --print): 297 801 bytes of JSON.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import shutil
import tempfile
import time

import jmespath

HERE = os.path.dirname(os.path.abspath(__file__))

# (label, expression, iterations for ours, for Python): ~0.3 s each a round.
QUERIES = (
    ("field pick", "CacheClusters[42].CacheNodes[0].Endpoint.Port",
     200000, 20000),
    ("projection", "CacheClusters[].CacheClusterId", 20000, 2000),
    ("filter + multiselect",
     "CacheClusters[?Engine=='memcached' && NumCacheNodes > `1`]"
     ".{Id: CacheClusterId, Nodes: CacheNodes[].CacheNodeId}", 4000, 400),
    ("sort_by + slice + functions",
     "sort_by(CacheClusters, &CacheClusterCreateTime)[-5:]"
     ".[CacheClusterId, to_string(NumCacheNodes), length(CacheNodes)]",
     4000, 400),
    ("flatten + sum", "sum(CacheClusters[].CacheNodes[].Endpoint.Port)",
     4000, 400),
)


def time_python(parsed, data, n):
    t0 = time.perf_counter()
    for _ in range(n):
        parsed.search(data)
    return (time.perf_counter() - t0) / n * 1e9


def time_ours(binary, path, expr, n):
    out = subprocess.run([binary, path, expr, str(n)], check=True,
                         capture_output=True, text=True).stdout
    return float(out.split()[1])


def callgrind_instructions(cmd):
    res = subprocess.run(["valgrind", "--tool=callgrind",
                          "--callgrind-out-file=/dev/null"] + cmd,
                         capture_output=True, text=True, check=True)
    for line in res.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1])
    raise RuntimeError("no callgrind total in: " + res.stderr[-500:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("bench_xml")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--callgrind", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="ec-bench-jp.")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_responses.py"), tmp],
                   check=True)
    doc_path = os.path.join(tmp, "page100.json")
    with open(doc_path, "w") as f:
        f.write(subprocess.run([args.bench_xml, "--print",
                                os.path.join(tmp, "page100.xml")], check=True,
                               capture_output=True, text=True).stdout)
    with open(doc_path) as f:
        data = json.load(f)
    print("--query evaluation, Python jmespath %s vs libelasticache, on a "
          "%d-byte DescribeCacheClusters page (100 clusters)" % (
              jmespath.__version__, os.path.getsize(doc_path)))
    status = 0
    for label, expr, n, pn in QUERIES:
        parsed = jmespath.compile(expr)
        ours = subprocess.run([args.binary, "--print", doc_path, expr],
                              check=True, capture_output=True,
                              text=True).stdout.rstrip("\n")
        theirs = json.dumps(parsed.search(data), separators=(",", ":"))
        if ours != theirs:
            print("bench: %s: results differ; not benchmarking" % label,
                  file=sys.stderr)
            status = 1
            continue
        ns = {"ours": [], "python": []}
        for _ in range(args.rounds):
            ns["ours"].append(time_ours(args.binary, doc_path, expr, n))
            ns["python"].append(time_python(parsed, data, pn))
        med = {k: statistics.median(v) for k, v in ns.items()}
        print("%s: %s  (result %d bytes, identical)" % (label, expr, len(ours)))
        print("  %-22s %10.2f us per search  (%.2f..%.2f)" % (
            "libelasticache", med["ours"] / 1e3, min(ns["ours"]) / 1e3,
            max(ns["ours"]) / 1e3))
        print("  %-22s %10.2f us per search  (%.2f..%.2f)" % (
            "Python jmespath", med["python"] / 1e3, min(ns["python"]) / 1e3,
            max(ns["python"]) / 1e3))
        print("  ratio Python / libelasticache: %.1fx  (%d rounds, median)" % (
            med["python"] / med["ours"], args.rounds))
        if args.callgrind:
            k = max(n // 100, 10)
            ours_ir = (callgrind_instructions([args.binary, doc_path, expr, str(k)]) -
                       callgrind_instructions([args.binary, doc_path, expr, "0"])) / k
            py = [sys.executable, __file__, "--python-loop", doc_path, expr]
            pk = max(pn // 100, 5)
            py_ir = (callgrind_instructions(py + [str(pk)]) -
                     callgrind_instructions(py + ["0"])) / pk
            print("  callgrind instructions per search: libelasticache %.0f, "
                  "Python %.0f, ratio %.1fx" % (ours_ir, py_ir, py_ir / ours_ir))
    shutil.rmtree(tmp)
    return status


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--python-loop":
        # Under callgrind: the same set-up, then N searches.
        with open(sys.argv[2]) as f:
            doc = json.load(f)
        compiled = jmespath.compile(sys.argv[3])
        for _ in range(int(sys.argv[4])):
            compiled.search(doc)
        sys.exit(0)
    sys.exit(main())
