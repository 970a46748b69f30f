#!/usr/bin/python3
"""XML parse + AWS-CLI JSON rendering of DescribeCacheClusters responses:
libelasticache (ecp_parse_describe_cache_clusters +
ec_describe_cache_clusters_output_to_json + ec_json_dumps_aws, via
bench_xml) against botocore 1.29's QueryParser + json.dumps as the AWS CLI
prints it (indent 4, ensure_ascii off, datetimes as isoformat, no
ResponseMetadata). Both outputs are checked equal first. All numbers come
from this one run: ROUNDS rounds, each timing both in turn; median counts.

  /usr/bin/python3 bench/xml_vs_botocore.py BUILD/bin/bench_xml [--rounds N]
      [--callgrind]   also count instructions per response with valgrind
The responses are made by bench/gen_responses.py (the simulator's
serialiser on its default fixture)."""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import shutil
import tempfile
import time

import botocore
import botocore.session
from botocore.parsers import QueryParser

HERE = os.path.dirname(os.path.abspath(__file__))
# (file, label, iterations for ours, for botocore): ~0.5 s each per round.
CASES = (("big40.xml", "40-node cluster (big-memcached), node info", 300, 30),
         ("page100.xml", "100-cluster page, node info", 20, 2))


def output_shape():
    model = botocore.session.get_session().get_service_model("elasticache")
    return model.operation_model("DescribeCacheClusters").output_shape


def _default(o):
    if isinstance(o, datetime.datetime):
        return o.isoformat()
    raise TypeError(type(o))


def botocore_json(body, shape):
    parsed = QueryParser().parse(
        {"body": body, "status_code": 200, "headers": {}}, shape)
    parsed.pop("ResponseMetadata", None)
    return json.dumps(parsed, indent=4, ensure_ascii=False, default=_default)


def time_botocore(body, shape, n):
    t0 = time.perf_counter()
    for _ in range(n):
        botocore_json(body, shape)
    return (time.perf_counter() - t0) / n * 1e9


def time_ours(binary, path, n):
    out = subprocess.run([binary, path, str(n)], check=True,
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
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--callgrind", action="store_true")
    args = ap.parse_args()
    shape = output_shape()
    tmp = tempfile.mkdtemp(prefix="ec-bench-xml.")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_responses.py"), tmp],
                   check=True)

    print("DescribeCacheClusters XML -> AWS CLI JSON, botocore %s QueryParser + "
          "json.dumps vs libelasticache" % botocore.__version__)
    status = 0
    for name, label, n, bn in CASES:
        path = os.path.join(tmp, name)
        with open(path, "rb") as f:
            body = f.read()
        ours = subprocess.run([args.binary, "--print", path], check=True,
                              capture_output=True, text=True).stdout.rstrip("\n")
        theirs = botocore_json(body, shape)
        if json.loads(ours) != json.loads(theirs):
            print("bench: %s: outputs differ; not benchmarking" % name,
                  file=sys.stderr)
            status = 1
            continue
        same_bytes = "byte-identical" if ours == theirs else "same JSON value"
        ns = {"ours": [], "botocore": []}
        for _ in range(args.rounds):
            ns["ours"].append(time_ours(args.binary, path, n))
            ns["botocore"].append(time_botocore(body, shape, bn))
        med = {k: statistics.median(v) for k, v in ns.items()}
        print("%s: %d bytes of XML, %d bytes of JSON (%s)" % (
            label, len(body), len(ours.encode()), same_bytes))
        print("  %-40s %10.1f us per response  (%.1f..%.1f)" % (
            "libelasticache", med["ours"] / 1e3, min(ns["ours"]) / 1e3,
            max(ns["ours"]) / 1e3))
        print("  %-40s %10.1f us per response  (%.1f..%.1f)" % (
            "botocore QueryParser + json.dumps", med["botocore"] / 1e3,
            min(ns["botocore"]) / 1e3, max(ns["botocore"]) / 1e3))
        print("  ratio botocore / libelasticache: %.1fx  (%d rounds, median)" % (
            med["botocore"] / med["ours"], args.rounds))
        if args.callgrind:
            k = 20
            ours_ir = (callgrind_instructions([args.binary, path, str(k)]) -
                       callgrind_instructions([args.binary, path, "0"])) / k
            py = [sys.executable, __file__, "--botocore-loop", path]
            bk = 5
            boto_ir = (callgrind_instructions(py + [str(bk)]) -
                       callgrind_instructions(py + ["0"])) / bk
            print("  callgrind instructions per response: libelasticache %.0f, "
                  "botocore %.0f, ratio %.1fx" % (ours_ir, boto_ir,
                                                  boto_ir / ours_ir))
    shutil.rmtree(tmp)
    return status


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--botocore-loop":
        # Under callgrind: the same set-up, then N conversions.
        shape = output_shape()
        with open(sys.argv[2], "rb") as f:
            data = f.read()
        for _ in range(int(sys.argv[3])):
            botocore_json(data, shape)
        sys.exit(0)
    sys.exit(main())
