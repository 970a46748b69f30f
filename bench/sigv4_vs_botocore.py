#!/usr/bin/python3
"""SigV4 signing throughput: libelasticache's ecp_signer_sign (one signer
with its signing-key cache, and a new signer per call) against botocore
1.29's SigV4Auth.add_auth, on the same ElastiCache RebootCacheCluster
request with the same fixed timestamp. The signatures are checked equal
first. All numbers come from this one run: ROUNDS rounds, each timing every
contender in turn; the median round counts.

  /usr/bin/python3 bench/sigv4_vs_botocore.py BUILD/bin/bench_sigv4 [--rounds N]
      [--callgrind]   also count instructions per signature with valgrind
"""
import argparse
import datetime
import statistics
import subprocess
import sys
import time
import types

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

BODY = ("Action=RebootCacheCluster&CacheClusterId=demo-memcached"
        "&CacheNodeIdsToReboot.CacheNodeId.1=0001"
        "&CacheNodeIdsToReboot.CacheNodeId.2=0002&Version=2015-02-02")
CREDS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")


class _FixedDateTime(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return cls(2015, 8, 30, 12, 36, 0)


def pin_botocore_clock():
    """add_auth reads datetime.datetime.utcnow(); give it the C side's
    X-Amz-Date so both sign the same bytes."""
    fake = types.ModuleType("datetime")
    fake.__dict__.update(datetime.__dict__)
    fake.datetime = _FixedDateTime
    botocore.auth.datetime = fake


def botocore_request():
    return AWSRequest(
        method="POST", url="https://elasticache.us-east-1.amazonaws.com/",
        data=BODY,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})


def time_botocore(n):
    auth = botocore.auth.SigV4Auth(CREDS, "elasticache", "us-east-1")
    req = botocore_request()
    t0 = time.perf_counter()
    for _ in range(n):
        auth.add_auth(req)
    return (time.perf_counter() - t0) / n * 1e9


def time_ours(binary, mode, n):
    out = subprocess.run([binary, mode, str(n)], check=True,
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
    pin_botocore_clock()

    ours = subprocess.run([args.binary, "--print"], check=True,
                          capture_output=True, text=True).stdout.strip()
    req = botocore_request()
    botocore.auth.SigV4Auth(CREDS, "elasticache", "us-east-1").add_auth(req)
    theirs = req.headers["Authorization"]
    if ours != theirs:
        print("bench: signatures differ; not benchmarking\n ours:     %s\n"
              " botocore: %s" % (ours, theirs), file=sys.stderr)
        return 1

    # Iteration counts sized for ~0.3-0.5 s per contender per round here.
    samples = {"cached": [], "fresh": [], "botocore": []}
    for _ in range(args.rounds):
        samples["cached"].append(time_ours(args.binary, "cached", 10000))
        samples["fresh"].append(time_ours(args.binary, "fresh", 5000))
        samples["botocore"].append(time_botocore(1000))
    med = {k: statistics.median(v) for k, v in samples.items()}

    print("SigV4 signing, ElastiCache RebootCacheCluster request (POST /, "
          "3 signed headers, %d-byte body)" % len(BODY))
    print("signatures equal: %s" % ours.split("Signature=")[1])
    print("%d rounds, median ns per signature (min..max):" % args.rounds)
    names = {
        "cached": "ecp_signer_sign, signing key cached",
        "fresh": "ecp_signer_sign, new signer (no cache)",
        "botocore": "botocore %s SigV4Auth.add_auth" % botocore.__version__,
    }
    for k in ("cached", "fresh", "botocore"):
        print("  %-42s %10.0f ns  (%.0f..%.0f)  %9.0f signatures/s" % (
            names[k], med[k], min(samples[k]), max(samples[k]), 1e9 / med[k]))
    print("ratio botocore / ours (cached): %.1fx" % (med["botocore"] / med["cached"]))
    print("ratio botocore / ours (no cache): %.1fx" % (med["botocore"] / med["fresh"]))
    print("ratio no cache / cached: %.2fx" % (med["fresh"] / med["cached"]))

    if args.callgrind:
        n = 2000
        per = {}
        for mode in ("cached", "fresh"):
            base = callgrind_instructions([args.binary, mode, "0"])
            per[mode] = (callgrind_instructions([args.binary, mode, str(n)]) - base) / n
        py = [sys.executable, __file__, "--botocore-loop"]
        base = callgrind_instructions(py + ["0"])
        per["botocore"] = (callgrind_instructions(py + [str(n)]) - base) / n
        print("callgrind instructions per signature (%d signatures, start-up "
              "subtracted):" % n)
        for k in ("cached", "fresh", "botocore"):
            print("  %-42s %10.0f" % (names[k], per[k]))
        print("instruction ratio botocore / ours (cached): %.1fx" % (
            per["botocore"] / per["cached"]))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--botocore-loop":
        # Under callgrind: the same set-up, then N signatures.
        pin_botocore_clock()
        auth = botocore.auth.SigV4Auth(CREDS, "elasticache", "us-east-1")
        req = botocore_request()
        for _ in range(int(sys.argv[2])):
            auth.add_auth(req)
        sys.exit(0)
    sys.exit(main())
