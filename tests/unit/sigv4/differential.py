#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Differential test: random requests signed by botocore, checked by sigv4_case.

usage: differential.py SIGV4_CASE [--count N] [--seed S] [--keep DIR]

Each random request (method, path with dot segments, repeated slashes,
spaces, UTF-8 and reserved characters; query parameters with repeated keys
and arbitrary characters; headers with odd spacing; a random body) is signed
with botocore's SigV4Auth (Debian's python3-botocore), written as a case
folder in the test-suite format, and checked with the C driver. Failing
cases are kept (under --keep, default a fresh temporary folder) so they can
be rerun by hand: `sigv4_case DIR`. Exits 1 when any case fails.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from urllib.parse import quote

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AKID = 'AKIDEXAMPLE'
SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
DATE = '20150830T123600Z'
# botocore never signs these; keep them out of the random names.
UNSIGNED = {'user-agent', 'expect', 'x-amzn-trace-id', 'host', 'x-amz-date',
            'authorization'}
PATH_CHARS = ('abcXYZ019-._~!$&\'()*+,;=:@ %' + '\u00e9\u1234\U0001F600')
TEXT_CHARS = ('abcXYZ019-._~!$&\'()*+,;=:@/?#[]% "<>\\^`{|}' +
              '\u00e9\u1234\U0001F600')
NAME_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-'


def rand_text(rng, chars, lo, hi):
    return ''.join(rng.choice(chars) for _ in range(rng.randint(lo, hi)))


def rand_path(rng):
    parts = []
    for _ in range(rng.randint(0, 5)):
        kind = rng.random()
        if kind < 0.15:
            parts.append('.')
        elif kind < 0.3:
            parts.append('..')
        elif kind < 0.4:
            parts.append('')
        elif kind < 0.5:
            # an already-encoded byte: non-S3 signing encodes it again
            parts.append('a%2F' + rand_text(rng, 'abc', 0, 2))
        else:
            seg = rand_text(rng, PATH_CHARS.replace('%', ''), 1, 6)
            parts.append(seg)
    path = '/' + '/'.join(parts)
    if rng.random() < 0.3:
        path += '/'
    return path


def rand_value(rng):
    ws = [' ', '\t', '  ', ' \t ']
    v = rand_text(rng, 'abc XYZ"0,;=:/', 0, 10)
    if rng.random() < 0.5:
        v = rng.choice(ws) + v
    if rng.random() < 0.5:
        v = v + rng.choice(ws)
    return v.encode('ascii').decode('ascii')


def make_case(rng, index):
    method = rng.choice(['GET', 'POST', 'PUT', 'DELETE'])
    path = rand_path(rng)
    params = []
    for _ in range(rng.randint(0, 4)):
        key = rand_text(rng, TEXT_CHARS, 0, 5)
        if params and rng.random() < 0.3:
            key = params[0][0]  # repeated key
        params.append((key, rand_text(rng, TEXT_CHARS, 0, 6)))
    headers = [('Host', 'example.amazonaws.com'), ('X-Amz-Date', DATE)]
    seen = {'host', 'x-amz-date'}
    for _ in range(rng.randint(0, 4)):
        name = rand_text(rng, NAME_CHARS, 1, 12)
        if name.lower() in seen or name.lower() in UNSIGNED:
            continue
        seen.add(name.lower())
        headers.append((name, rand_value(rng)))
    rng.shuffle(headers)
    body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 40)))
    return 'random-%04d' % index, method, path, params, headers, body


def write_case(root, case):
    name, method, path, params, headers, body = case
    auth = SigV4Auth(Credentials(AKID, SECRET), 'service', 'us-east-1')
    # The raw path, as in the suite's .req files: botocore encodes it once
    # for the canonical URI, as the C signer does.
    req = AWSRequest(method=method, url='https://example.amazonaws.com' +
                     path, headers=dict(headers), data=body, params=params)
    req.context['timestamp'] = DATE
    creq = auth.canonical_request(req)
    sts = auth.string_to_sign(req, creq)
    authz = ('AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, '
             'Signature=%s' % (AKID, auth.credential_scope(req),
                               auth.signed_headers(auth.headers_to_sign(req)),
                               auth.signature(sts, req)))
    target = path
    if params:
        target += '?' + '&'.join(quote(k, safe='') + '=' + quote(v, safe='')
                                 for k, v in params)
    head = ('%s %s HTTP/1.1\n' % (method, target) +
            '\n'.join('%s:%s' % h for h in headers))
    folder = os.path.join(root, name)
    os.makedirs(folder)
    files = {'req': head.encode() + b'\n\n' + body, 'creq': creq.encode(),
             'sts': sts.encode(), 'authz': authz.encode()}
    for ext, data in files.items():
        with open(os.path.join(folder, name + '.' + ext), 'wb') as f:
            f.write(data)
    return folder


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('driver')
    ap.add_argument('--count', type=int, default=300)
    ap.add_argument('--seed', type=int, default=20150830)
    ap.add_argument('--keep', default=None)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix='sigv4-diff-')
    failures = 0
    try:
        for i in range(args.count):
            folder = write_case(work, make_case(rng, i))
            run = subprocess.run([args.driver, folder], capture_output=True)
            if run.returncode != 0:
                failures += 1
                keep = args.keep or tempfile.mkdtemp(prefix='sigv4-fail-')
                dest = os.path.join(keep, os.path.basename(folder))
                shutil.copytree(folder, dest)
                sys.stdout.write(run.stdout.decode(errors='replace'))
                sys.stderr.write(run.stderr.decode(errors='replace'))
                print('FAILED: kept as %s' % dest)
    finally:
        shutil.rmtree(work)
    print('%d random cases, %d failed (seed %d)' %
          (args.count, failures, args.seed))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
