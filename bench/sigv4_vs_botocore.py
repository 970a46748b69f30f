#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""SigV4 signing throughput: libelasticache's ecp_signer_sign (one signer
with its signing-key cache, recognising the credentials by the identity the
client gives it or by a keyed hash of the secret; and a new signer per
call) against botocore 1.29's SigV4Auth.add_auth, on the same ElastiCache
RebootCacheCluster request with the same fixed timestamp. The signatures
are checked equal first. All numbers come from this one run: ROUNDS rounds,
each timing every contender in turn; the median round counts.

The floor is what OpenSSL on this machine needs for the same hashing
(`openssl speed`, run here): the SHA-256 blocks a cached-key signature
compresses at the bulk rate, and the three operations as OpenSSL's own
loops do them one at a time (a digest of the body, a digest of the
canonical request, an HMAC of the string to sign with the key set), and
the same three through the signer's own SHA-256 and HMAC midstates
(`bench_sigv4 hashes`, timed in the same rounds): what a signature costs
beyond that is the string work (canonical forms, hex, the header value).

  /usr/bin/python3 bench/sigv4_vs_botocore.py BUILD/bin/bench_sigv4 [--rounds N]
      [--callgrind]   also count instructions per signature with valgrind
"""
import argparse
import datetime
import os
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


def openssl_speed(args, nbytes):
    """Bytes per second from `openssl speed -mr -bytes N ARGS`."""
    out = subprocess.run(["openssl", "speed", "-mr", "-seconds", "1",
                          "-bytes", str(nbytes)] + args, check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("+F:"):
            return float(line.split(":")[-1])
    raise RuntimeError("no +F line from openssl speed: " + out[-300:])


def floor(sizes):
    """ns per signature: pure compression, and OpenSSL's one-op loops."""
    bulk = openssl_speed(["-evp", "sha256"], 16384)
    block_ns = 64 / bulk * 1e9
    ops = {
        "sha256(body)": sizes["body"] / openssl_speed(
            ["-evp", "sha256"], sizes["body"]) * 1e9,
        "sha256(canonical request)": sizes["creq"] / openssl_speed(
            ["-evp", "sha256"], sizes["creq"]) * 1e9,
        "hmac(string to sign)": sizes["sts"] / openssl_speed(
            ["-hmac", "sha256"], sizes["sts"]) * 1e9,
    }
    return block_ns, ops


def openssl_version():
    return subprocess.run(["openssl", "version"], check=True,
                          capture_output=True, text=True).stdout.split()[1]


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


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

    sizes_out = subprocess.run([args.binary, "--sizes"], check=True,
                               capture_output=True, text=True).stdout.split()
    sizes = {k: int(v) for k, v in zip(sizes_out[::2], sizes_out[1::2])}
    load_start = loadavg()

    # Iteration counts sized for ~0.2-0.5 s per contender per round here.
    modes = ("cached", "cached-hash", "fresh")
    iterations = {"cached": 200000, "cached-hash": 200000, "fresh": 50000,
                  "hashes": 200000}
    samples = {k: [] for k in modes + ("botocore", "hashes")}
    for _ in range(args.rounds):
        for mode in modes:
            samples[mode].append(time_ours(args.binary, mode, iterations[mode]))
        samples["botocore"].append(time_botocore(5000))
        samples["hashes"].append(time_ours(args.binary, "hashes",
                                           iterations["hashes"]))
    med = {k: statistics.median(v) for k, v in samples.items()}
    block_ns, ops = floor(sizes)
    load_end = loadavg()

    print("SigV4 signing, ElastiCache RebootCacheCluster request (POST /, "
          "3 signed headers, %d-byte body)" % len(BODY))
    print("signatures equal: %s" % ours.split("Signature=")[1])
    print("load average %s at the start, %s at the end; %d cores" % (
        load_start, load_end, os.cpu_count()))
    print("%d rounds, median ns per signature (min..max):" % args.rounds)
    names = {
        "cached": "ecp_signer_sign, key cached (credentials id)",
        "cached-hash": "ecp_signer_sign, key cached (secret hashed)",
        "fresh": "ecp_signer_sign, new signer (no cache)",
        "botocore": "botocore %s SigV4Auth.add_auth" % botocore.__version__,
    }
    for k in modes + ("botocore",):
        print("  %-46s %10.0f ns  (%.0f..%.0f)  %9.0f signatures/s" % (
            names[k], med[k], min(samples[k]), max(samples[k]), 1e9 / med[k]))
    for k in modes:
        print("ratio botocore / %-28s %6.1fx" % (
            names[k].split(", ")[1] + ":", med["botocore"] / med[k]))
    print("ratio no cache / cached: %.2fx" % (med["fresh"] / med["cached"]))
    print("floor (openssl speed %s): body %d B, canonical request %d B, "
          "string to sign %d B: %d SHA-256 blocks" % (
              openssl_version(), sizes["body"], sizes["creq"],
              sizes["sts"], sizes["blocks"]))
    print("  %d blocks at the bulk rate (%.1f ns a block)      %8.0f ns" % (
        sizes["blocks"], block_ns, sizes["blocks"] * block_ns))
    for k, v in ops.items():
        print("  %-46s %8.0f ns" % (k + ", one op", v))
    evp_floor = sum(ops.values())
    print("  %-46s %8.0f ns" % ("the three ops", evp_floor))
    print("  %-46s %8.0f ns  (%.0f..%.0f)" % (
        "the three ops through sha256.c, same rounds", med["hashes"],
        min(samples["hashes"]), max(samples["hashes"])))
    print("ours (cached) / floor: %.2fx the blocks, %.2fx the three ops, "
          "%.2fx sha256.c's three ops (+%.0f ns)" % (
              med["cached"] / (sizes["blocks"] * block_ns),
              med["cached"] / evp_floor, med["cached"] / med["hashes"],
              med["cached"] - med["hashes"]))

    if args.callgrind:
        n = 2000
        per = {}
        for mode in modes + ("hashes",):
            base = callgrind_instructions([args.binary, mode, "0"])
            per[mode] = (callgrind_instructions([args.binary, mode, str(n)]) - base) / n
        py = [sys.executable, __file__, "--botocore-loop"]
        base = callgrind_instructions(py + ["0"])
        per["botocore"] = (callgrind_instructions(py + [str(n)]) - base) / n
        print("callgrind instructions per signature (%d signatures, start-up "
              "subtracted):" % n)
        names["hashes"] = "the three ops through sha256.c (no signing)"
        for k in modes + ("botocore", "hashes"):
            print("  %-46s %10.0f" % (names[k], per[k]))
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
