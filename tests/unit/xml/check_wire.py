#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Check ec_parse_dump against one captured response in tests/data/wire/.

  check_wire.py --dump BIN [--wrap 'valgrind ...'] DATADIR NAME

NAME is the file stem (e.g. reboot-cache-cluster). Checks, as applicable:
- the AWS-style JSON equals NAME.awscli-2.9.19.json byte for byte;
- the parsed content equals NAME.queryparser.json (botocore's QueryParser)
  and NAME.boto3.json, ResponseMetadata aside (the CLI strips it);
- the snake_case JSON equals Ansible's camel_dict_to_snake_dict of the
  AWS-style JSON, key order included;
- for error bodies, code, type, message and request id equal botocore's.
"""
import argparse
import difflib
import json
import os
import re
import shlex
import subprocess
import sys

OPS = {
    'describe-cache-clusters': 'DescribeCacheClusters',
    'reboot-cache-cluster': 'RebootCacheCluster',
    'describe-events': 'DescribeEvents',
    'describe-replication-groups': 'DescribeReplicationGroups',
    'modify-replication-group': 'ModifyReplicationGroup',
    'list-tags-for-resource': 'ListTagsForResource',
}


def camel_to_snake(name):
    """Ansible's module_utils.common.dict_transformations._camel_to_snake
    (reversible=False), copied so the test runs without Ansible; checked
    against Ansible's own when it is importable."""
    def prepend_underscore_and_lower(m):
        return '_' + m.group(0).lower()
    s1 = re.sub(r'[A-Z]{3,}s$', prepend_underscore_and_lower, name)
    if s1.startswith("_") and not name.startswith("_"):
        s1 = s1[1:]
    s2 = re.sub(r'(.)([A-Z][a-z]+)', r'\1_\2', s1)
    return re.sub(r'([a-z0-9])([A-Z]+)', r'\1_\2', s2).lower()


def snake(v):
    if isinstance(v, dict):
        return {camel_to_snake(k): snake(x) for k, x in v.items()}
    if isinstance(v, list):
        return [snake(x) for x in v]
    return v


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode('utf-8', 'replace'))
        raise SystemExit('FAIL: %s exited %d' % (' '.join(cmd), p.returncode))
    return p.stdout


def show_diff(got, want, label):
    sys.stdout.writelines(difflib.unified_diff(
        want.decode().splitlines(True), got.decode().splitlines(True),
        label + ' (expected)', 'ec_parse_dump'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dump', required=True)
    ap.add_argument('--wrap', default='')
    ap.add_argument('datadir')
    ap.add_argument('name')
    a = ap.parse_args()
    base = os.path.join(a.datadir, a.name)
    wrap = shlex.split(a.wrap)
    xml = base + '.response.xml'
    qp = json.load(open(base + '.queryparser.json'))
    failures = 0

    if a.name.startswith('error-'):
        status = qp['ResponseMetadata']['HTTPStatusCode']
        got = json.loads(run(wrap + [a.dump, 'Error', xml, '--status',
                                     str(status)]))
        want = {'Code': qp['Error']['Code'], 'Type': qp['Error']['Type'],
                'Message': qp['Error']['Message'],
                'RequestId': qp['ResponseMetadata']['RequestId'],
                'HTTPStatus': status, 'Kind': 'service error'}
        for k, v in want.items():
            if k == 'Kind':
                continue
            if got.get(k) != v:
                print('FAIL: %s: got %r, expected %r' % (k, got.get(k), v))
                failures += 1
        print('%s: error fields %s' % (a.name, 'ok' if not failures else
                                       'differ'))
        return 1 if failures else 0

    op = next(v for k, v in OPS.items() if a.name.startswith(k))
    out = run(wrap + [a.dump, op, xml])
    cli = base + '.awscli-2.9.19.json'
    if os.path.exists(cli):
        want = open(cli, 'rb').read()
        if out != want:
            print('FAIL: AWS-style JSON differs from aws-cli 2.9.19:')
            show_diff(out, want, cli)
            failures += 1
        else:
            print('%s: byte-identical to aws-cli 2.9.19' % a.name)
    parsed = json.loads(out)
    for suffix in ('queryparser.json', 'boto3.json'):
        path = base + '.' + suffix
        if not os.path.exists(path):
            continue
        ref = json.load(open(path))
        ref.pop('ResponseMetadata', None)
        if parsed != ref:
            print('FAIL: parsed content differs from %s' % path)
            failures += 1
        else:
            print('%s: same content as %s' % (a.name, suffix))
    try:
        from ansible.module_utils.common.dict_transformations import \
            _camel_to_snake
        keys = set()

        def walk(v):
            if isinstance(v, dict):
                for k, x in v.items():
                    keys.add(k)
                    walk(x)
            elif isinstance(v, list):
                for x in v:
                    walk(x)
        walk(parsed)
        for k in sorted(keys):
            if _camel_to_snake(k) != camel_to_snake(k):
                print('FAIL: test copy of _camel_to_snake differs on ' + k)
                failures += 1
    except ImportError:
        pass
    sout = run(wrap + [a.dump, op, xml, '--snake'])
    swant = (json.dumps(snake(parsed), indent=4, ensure_ascii=False) +
             '\n').encode()
    if sout != swant:
        print('FAIL: snake_case JSON differs from camel_dict_to_snake_dict:')
        show_diff(sout, swant, 'camel_dict_to_snake_dict')
        failures += 1
    else:
        print('%s: snake_case as camel_dict_to_snake_dict' % a.name)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
