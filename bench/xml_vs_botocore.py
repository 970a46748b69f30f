#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""XML parse + AWS-CLI JSON rendering of DescribeCacheClusters and
DescribeReplicationGroups responses: libelasticache (ecp_parse_* into the
structs, then the direct writer ec_*_output_dumps_aws, via bench_xml)
against botocore 1.29's QueryParser + json.dumps as the AWS CLI prints it
(indent 4, ensure_ascii off, datetimes as isoformat, no ResponseMetadata).
Also timed: the jansson path (ec_*_output_to_json + ec_json_dumps_aws, what
--query and the other output formats start from, and the only path before
the direct writer), and our parse and render alone. Every output is
checked first: both of ours byte-identical to botocore's. All numbers come
from this one run: ROUNDS rounds, each timing every variant in turn; the
median counts. MB/s is XML bytes (10^6) in per second, JSON out included.

  /usr/bin/python3 bench/xml_vs_botocore.py BUILD/bin/bench_xml [--rounds N]
      [--callgrind]   also count instructions per response with valgrind
      [--before OLD/bench_xml]   also time an older driver (the `FILE N`
                      interface, DescribeCacheClusters only) in the same
                      rounds: before/after on one machine at one load
The responses are made by bench/gen_responses.py (the simulator's
serialiser on its fixtures)."""
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
# (file, operation, label, iterations for ours (direct), for botocore):
# about 0.3 s each per round; the other variants scale from the first.
CASES = (("big40.xml", "DescribeCacheClusters",
          "DescribeCacheClusters, 40-node cluster, node info", 1500, 30),
         ("page100.xml", "DescribeCacheClusters",
          "DescribeCacheClusters, 100-cluster page, node info", 150, 2),
         ("rg100.xml", "DescribeReplicationGroups",
          "DescribeReplicationGroups, 100-group page", 150, 2))
# bench_xml modes: (mode, label, iteration factor relative to direct)
OURS = (("direct", "libelasticache (parse + direct writer)", 1),
        ("tree", "libelasticache (parse + jansson tree + dumps)", 0.3),
        ("parse", "  of which: parse into the structs", 1),
        ("render", "  of which: direct writer", 5))


def output_shape(op):
    model = botocore.session.get_session().get_service_model("elasticache")
    return model.operation_model(op).output_shape


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


def ours_cmd(binary, op, mode, path):
    if mode == "before":  # an older bench_xml: FILE N, DescribeCacheClusters
        return [binary, path]
    return [binary, "--op", op, "--mode", mode, path]


def time_ours(binary, op, mode, path, n):
    out = subprocess.run(ours_cmd(binary, op, mode, path) + [str(n)],
                         check=True, capture_output=True, text=True).stdout
    return float(out.split()[1])


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


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
    ap.add_argument("--before", metavar="OLD_BENCH_XML")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="ec-bench-xml.")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_responses.py"), tmp],
                   check=True)

    print("XML -> AWS CLI JSON, botocore %s QueryParser + json.dumps vs "
          "libelasticache; load average %s at the start" % (
              botocore.__version__, loadavg()))
    status = 0
    for name, op, label, n, bn in CASES:
        shape = output_shape(op)
        path = os.path.join(tmp, name)
        with open(path, "rb") as f:
            body = f.read()
        theirs = botocore_json(body, shape)
        outputs = {}
        for mode in ("direct", "tree"):
            outputs[mode] = subprocess.run(
                [args.binary, "--op", op, "--mode", mode, "--print", path],
                check=True, capture_output=True, text=True).stdout.rstrip("\n")
        if any(json.loads(o) != json.loads(theirs) for o in outputs.values()):
            print("bench: %s: outputs differ; not benchmarking" % name,
                  file=sys.stderr)
            status = 1
            continue
        ours = list(OURS)
        before = args.before and op == "DescribeCacheClusters"
        if before:
            old = subprocess.run([args.before, "--print", path], check=True,
                                 capture_output=True, text=True).stdout.rstrip("\n")
            if old != theirs:
                print("bench: %s: the --before driver prints other JSON" % name,
                      file=sys.stderr)
                status = 1
                continue
            ours.append(("before", "before (%s)" % args.before, 0.2))
        same_bytes = ("byte-identical" if all(o == theirs for o in outputs.values())
                      else "same JSON value")
        ns = {mode: [] for mode, _, _ in ours}
        ns["botocore"] = []
        for _ in range(args.rounds):
            for mode, _, factor in ours:
                binary = args.before if mode == "before" else args.binary
                ns[mode].append(time_ours(binary, op, mode, path,
                                          max(1, int(n * factor))))
            ns["botocore"].append(time_botocore(body, shape, bn))
        med = {k: statistics.median(v) for k, v in ns.items()}
        print("%s: %d bytes of XML, %d bytes of JSON (%s with botocore)" % (
            label, len(body), len(theirs.encode()) + 1, same_bytes))
        rows = [(mode, lab) for mode, lab, _ in ours] + [
            ("botocore", "botocore QueryParser + json.dumps")]
        for key, lab in rows:
            if key in ("parse", "render"):
                vs = "%5.0f%% of direct" % (100 * med[key] / med["direct"])
            else:
                vs = "botocore/this %5.1fx" % (med["botocore"] / med[key])
            print("  %-46s %9.1f us  (%.1f..%.1f)  %7.1f MB/s  %s" % (
                lab, med[key] / 1e3, min(ns[key]) / 1e3, max(ns[key]) / 1e3,
                len(body) / (med[key] / 1e9) / 1e6, vs))
        if args.callgrind:
            k = 20
            ir = {}
            for mode, _, _ in ours:
                binary = args.before if mode == "before" else args.binary
                cmd = ours_cmd(binary, op, mode, path)
                ir[mode] = (callgrind_instructions(cmd + [str(k)]) -
                            callgrind_instructions(cmd + ["0"])) / k
            py = [sys.executable, __file__, "--botocore-loop", op, path]
            bk = 5
            ir["botocore"] = (callgrind_instructions(py + [str(bk)]) -
                              callgrind_instructions(py + ["0"])) / bk
            print("  callgrind instructions per response: " + ", ".join(
                "%s %.0f" % (key, ir[key]) for key, _ in rows))
            print("  instruction ratio botocore / direct %.1fx, / tree %.1fx" % (
                ir["botocore"] / ir["direct"], ir["botocore"] / ir["tree"]))
    print("load average %s at the end" % loadavg())
    shutil.rmtree(tmp)
    return status


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--botocore-loop":
        # Under callgrind: the same set-up, then N conversions.
        shape = output_shape(sys.argv[2])
        with open(sys.argv[3], "rb") as f:
            data = f.read()
        for _ in range(int(sys.argv[4])):
            botocore_json(data, shape)
        sys.exit(0)
    sys.exit(main())
