#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Differential test: ecp_form_encode against Python's quote_plus.

usage: form_differential.py QUERY_TEST [--count N] [--seed S]

Random strings (ASCII, Latin-1, BMP and astral code points, lots of the
reserved characters) are hex-encoded as UTF-8, fed to `query_test
form-stdin`, and each output line must equal urllib.parse.quote_plus, which
is what botocore's urlencode() uses for every Query-API body.
"""
import argparse
import random
import subprocess
import sys
from urllib.parse import quote_plus

POOLS = [
    [chr(c) for c in range(0x20, 0x7f)],
    [chr(c) for c in range(0x00, 0x20)] + ['\x7f'],
    [chr(c) for c in range(0x80, 0x800)],
    [chr(c) for c in range(0x800, 0xd800, 7)],
    [chr(c) for c in range(0x10000, 0x10ffff, 4099)],
    list(' +/~*=&%?#'),
]


def rand_string(rng):
    out = []
    for _ in range(rng.randint(0, 24)):
        out.append(rng.choice(rng.choice(POOLS)))
    return ''.join(c for c in out if c not in '\n\r' and c != '\x00')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('driver')
    ap.add_argument('--count', type=int, default=2000)
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    strings = [rand_string(rng) for _ in range(args.count)]
    feed = ''.join(s.encode('utf-8').hex() + '\n' for s in strings)
    run = subprocess.run([args.driver, 'form-stdin'], input=feed.encode(),
                         capture_output=True)
    got = run.stdout.decode('ascii').split('\n')[:-1]
    failures = 0
    if run.returncode != 0 or len(got) != len(strings):
        print('driver failed: exit %d, %d lines for %d inputs' %
              (run.returncode, len(got), len(strings)))
        return 1
    for s, g in zip(strings, got):
        want = quote_plus(s)
        if g != want:
            failures += 1
            print('input %r\n  got      %s\n  expected %s' % (s, g, want))
    print('%d random strings, %d differ (seed %d)' %
          (len(strings), failures, args.seed))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
