#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Differential test: libelasticache's XML parsing and JSON rendering
against botocore's QueryParser and the AWS CLI v2 JSON formatter.

  diff_random.py --dump BIN [--count N] [--seed S] [--wrap CMD] [--save DIR]

From the service model (tests/data/model/service-2.json, loaded with
botocore's own model classes) it generates N random but valid responses for
DescribeCacheClusters, RebootCacheCluster, DescribeEvents,
DescribeReplicationGroups and ModifyReplicationGroup: every
optional member randomly present or absent, lists of random length (empty
too), strings with XML-escaped and non-ASCII characters, CDATA, empty
elements, unknown elements, members out of order, integers, doubles,
booleans and timestamps with and without fractions and offsets. Each response is parsed
by botocore exactly as AWS CLI v2 does (timestamps through
parse_timestamp().isoformat(), ResponseMetadata dropped, json.dumps with
indent=4 and ensure_ascii=False, nothing printed for an empty result) and
by `ec_parse_dump`, and the two outputs must be byte-identical, in AWS and
in snake_case style. The first differing case is saved under --save.

Before the random cases, one fully populated response per operation checks
that every member of the model's output shapes comes through.

With --awscli the reference is the real AWS CLI v2 (/usr/bin/aws
elasticache ... --output json, --no-paginate for the describes), pointed at
a listener on 127.0.0.1 that answers with the case's XML: slower (a second
or more per case), so fewer cases, but no mirror of the CLI is trusted.
"""
import argparse
import datetime
import json
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from botocore.model import ServiceModel
from botocore.parsers import QueryParser
from botocore.utils import parse_timestamp

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, '..', 'data', 'model', 'service-2.json')
OPERATIONS = ['DescribeCacheClusters', 'RebootCacheCluster', 'DescribeEvents',
              'DescribeReplicationGroups', 'ModifyReplicationGroup']
NS = 'http://elasticache.amazonaws.com/doc/2015-02-02/'

# Characters strings are drawn from: XML specials, whitespace, non-ASCII
# (2, 3 and 4 byte UTF-8), JSON specials, DEL.
ALPHABET = (list('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')
            + list('&<>"\'') + [' ', ' ', '\t', '\n', '/', '\\', '-', ':', '.']
            + ['é', 'ß', 'Ω', '漢', '字', '😀', '\u2028', '\x7f', '\u00a0'])


def camel_to_snake(name):
    """Ansible's _camel_to_snake (dict_transformations.py), non-reversible."""
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


def cli_timestamp(value):
    # awscli/customizations/timestampformat.py, cli_timestamp_format=iso8601
    return parse_timestamp(value).isoformat()


def cli_json(parsed):
    # awscli/formatter.py JSONFormatter: ResponseMetadata removed, nothing
    # printed for an empty response.
    parsed.pop('ResponseMetadata', None)
    if parsed == {}:
        return b''
    return (json.dumps(parsed, indent=4, ensure_ascii=False) + '\n').encode()


class Generator:
    def __init__(self, rng, full=False):
        self.rng = rng
        self.full = full

    def text(self):
        r = self.rng
        n = r.choice([0, 1, 3, 8, 20]) if not self.full else 12
        s = ''.join(r.choice(ALPHABET) for _ in range(n))
        return s

    def string_xml(self, s):
        r = self.rng
        if ']]>' not in s and r.random() < 0.2:
            return '<![CDATA[%s]]>' % s
        quot = '&quot;' if r.random() < 0.5 else '"'
        apos = '&apos;' if r.random() < 0.5 else "'"
        refs = r.random() < 0.1
        out = []
        for c in s:
            if refs and r.random() < 0.3:
                out.append(r.choice(['&#%d;', '&#x%X;']) % ord(c))
            else:
                out.append(escape(c, {'"': quot, "'": apos}))
        return ''.join(out)

    def timestamp(self):
        r = self.rng
        year = r.choice([1970, 2015, 2023, 2030, r.randint(1, 9999)])
        d = datetime.datetime(year, r.randint(1, 12), r.randint(1, 28),
                              r.randint(0, 23), r.randint(0, 59),
                              r.randint(0, 59))
        s = d.strftime('%Y-%m-%dT%H:%M:%S')
        if year < 1000:
            s = '%04d%s' % (year, s[s.index('-'):])
        frac = r.choice(['', '', '.512', '.000', '.5', '.123456',
                         '.1234567', '.000001', '.999999999'])
        zone = r.choice(['Z', 'Z', 'Z', 'z', '+00:00', '+02:00', '-05:30',
                         '+0100', '-11'])
        ws = r.choice(['', '', '', ' ', '\n    '])
        return ws + s + frac + zone + ws

    def scalar(self, shape):
        r = self.rng
        t = shape.type_name
        if t == 'string':
            return self.string_xml(self.text())
        if t == 'integer':
            v = r.choice([0, 1, 2, 11211, 6379, -1, r.randint(-2**63, 2**63 - 1),
                          r.randint(0, 1000)])
            s = str(v)
            # Python's int() takes surrounding space, '+' and '_' too.
            if r.random() < 0.1:
                s = ' %s\n' % s
            elif r.random() < 0.05 and v >= 0:
                s = '+' + s
            elif r.random() < 0.05 and len(s.lstrip('-')) > 2:
                s = s[:-2] + '_' + s[-2:]
            return s
        if t == 'double':
            # Every form Python's float() takes for a finite value (the
            # library refuses inf and nan, which json.dumps would print as
            # Infinity and NaN).
            v = r.choice(['45.5', '0', '100', '0.0', '-0.0', '1e3', '1E-7',
                          '.5', '5.', '99.99999999999999', '1_000.25',
                          '2.5e+2_0', '123456789.123456789', '1e-320',
                          '3.141592653589793', '-12', '+7.25', '1e22',
                          '%r' % r.uniform(0, 100),
                          '%.17g' % r.uniform(-1e300, 1e300)])
            if r.random() < 0.1:
                v = ' %s\n' % v
            return v
        if t == 'boolean':
            return r.choice(['true', 'false', 'true', 'false', 'True', '1',
                             '', ' true'] if not self.full else
                            ['true', 'false'])
        if t == 'timestamp':
            return self.timestamp()
        raise ValueError('unexpected shape type ' + t)

    def list_len(self):
        if self.full:
            return 2
        return self.rng.choice([0, 0, 1, 1, 2, 3, 5])

    def element(self, name, shape, depth):
        """One element named `name` holding a value of `shape`."""
        r = self.rng
        t = shape.type_name
        if t == 'structure':
            if not self.full and r.random() < 0.05:
                return '<%s/>' % name
            return '<%s>%s</%s>' % (name, self.members(shape, depth + 1),
                                    name)
        if t == 'list':
            item = shape.member.serialization.get('name', 'member')
            n = self.list_len()
            if n == 0 and r.random() < 0.5:
                return '<%s/>' % name
            items = [self.element(item, shape.member, depth + 1)
                     for _ in range(n)]
            return '<%s>%s</%s>' % (name, self.ws().join(items), name)
        body = self.scalar(shape)
        if body == '' and r.random() < 0.5:
            return '<%s/>' % name
        return '<%s>%s</%s>' % (name, body, name)

    def ws(self):
        return self.rng.choice(['', '\n', '\n  ', ' '])

    def members(self, shape, depth):
        r = self.rng
        parts = []
        for name, mshape in shape.members.items():
            if not self.full and r.random() < 0.3:
                continue
            xml_name = mshape.serialization.get('name', name)
            parts.append(self.element(xml_name, mshape, depth))
        if not self.full and r.random() < 0.2:
            parts.append('<UnknownElement a="1"><Nested>%s</Nested>'
                         '</UnknownElement>' % self.string_xml(self.text()))
        if not self.full and r.random() < 0.2:
            r.shuffle(parts)
        if not self.full and r.random() < 0.1:
            parts.insert(0, '<!-- comment -->')
        return self.ws().join(parts)

    def response(self, op_model):
        shape = op_model.output_shape
        wrapper = shape.serialization['resultWrapper']
        body = self.members(shape, 0)
        rid = '<ResponseMetadata><RequestId>%08x-0000-4000-8000-%012x' \
              '</RequestId></ResponseMetadata>' % (
                  self.rng.getrandbits(32), self.rng.getrandbits(48))
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<%sResponse xmlns="%s">\n  <%s>%s</%s>\n  %s\n'
                '</%sResponse>\n' % (op_model.name, NS, wrapper, body,
                                     wrapper, rid, op_model.name)).encode()


def model_paths(shape, prefix=''):
    """Every member path of a shape, lists written as []."""
    out = []
    if shape.type_name == 'structure':
        for name, m in shape.members.items():
            out.append(prefix + '/' + name)
            out.extend(model_paths(m, prefix + '/' + name))
    elif shape.type_name == 'list':
        out.extend(model_paths(shape.member, prefix + '[]'))
    return out


def value_paths(value, prefix=''):
    out = set()
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(prefix + '/' + k)
            out |= value_paths(v, prefix + '/' + k)
    elif isinstance(value, list):
        for v in value:
            out |= value_paths(v, prefix + '[]')
    return out


# The real AWS CLI v2 against a loopback listener that answers every POST
# with the case's XML (--awscli).
AWSCLI = '/usr/bin/aws'
AWSCLI_ARGS = {
    'DescribeCacheClusters': ['describe-cache-clusters', '--no-paginate'],
    'RebootCacheCluster': ['reboot-cache-cluster', '--cache-cluster-id',
                           'c1', '--cache-node-ids-to-reboot', '0001'],
    'DescribeEvents': ['describe-events', '--no-paginate'],
    'DescribeReplicationGroups': ['describe-replication-groups',
                                  '--no-paginate'],
    'ModifyReplicationGroup': ['modify-replication-group',
                               '--replication-group-id', 'rg1',
                               '--primary-cluster-id', 'rg1-002',
                               '--apply-immediately'],
}


class Canned(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        body = self.server.body
        self.send_response(200)
        self.send_header('Content-Type', 'text/xml')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Runner:
    def __init__(self, args):
        self.dump = args.dump
        self.wrap = shlex.split(args.wrap)
        self.save = args.save
        self.tmp = tempfile.mkdtemp(prefix='ec-diff-')
        self.server = None

    def start_listener(self):
        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Canned)
        self.server.body = b''
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        empty = os.path.join(self.tmp, 'empty')
        open(empty, 'w').close()
        self.env = {
            'PATH': '/usr/bin:/bin', 'HOME': self.tmp, 'LC_ALL': 'C.UTF-8',
            'AWS_ACCESS_KEY_ID': 'AKIDEXAMPLE',
            'AWS_SECRET_ACCESS_KEY': 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
            'AWS_DEFAULT_REGION': 'us-east-1', 'AWS_CONFIG_FILE': empty,
            'AWS_SHARED_CREDENTIALS_FILE': empty, 'AWS_PAGER': '',
            'AWS_EC2_METADATA_DISABLED': 'true', 'AWS_MAX_ATTEMPTS': '1',
            'NO_PROXY': '127.0.0.1', 'TZ': 'UTC',
        }

    def awscli(self, op, xml):
        self.server.body = xml
        url = 'http://127.0.0.1:%d' % self.server.server_address[1]
        p = subprocess.run([AWSCLI, 'elasticache'] + AWSCLI_ARGS[op] +
                           ['--endpoint-url', url, '--output', 'json'],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=self.env, timeout=120)
        if p.returncode != 0:
            raise SystemExit('aws exited %d: %s' % (
                p.returncode, p.stderr.decode('utf-8', 'replace')))
        return p.stdout

    def check_awscli(self, label, op_model, xml):
        want = self.awscli(op_model.name, xml)
        got, err = self.run(op_model.name, xml, 'aws')
        if want == b'' and got == b'{}\n':
            got = b''
        if got != want:
            self.fail(label + ' [aws-cli]', op_model.name, xml, want, got, err)

    def run(self, op, xml, style):
        path = os.path.join(self.tmp, 'case.xml')
        with open(path, 'wb') as f:
            f.write(xml)
        cmd = self.wrap + [self.dump, op, path] + (
            ['--snake'] if style == 'snake' else [])
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0:
            return None, p.stderr.decode('utf-8', 'replace')
        out = p.stdout
        return out, ''

    def fail(self, label, op, xml, want, got, stderr):
        d = self.save or self.tmp
        os.makedirs(d, exist_ok=True)
        base = os.path.join(d, 'first-failure')
        with open(base + '.xml', 'wb') as f:
            f.write(xml)
        with open(base + '.expected.json', 'wb') as f:
            f.write(want)
        with open(base + '.got.json', 'wb') as f:
            f.write(got or b'')
        print('FAIL: %s (%s): saved %s.{xml,expected.json,got.json}'
              % (label, op, base))
        if stderr:
            print('ec_parse_dump: ' + stderr.strip())
        import difflib
        sys.stdout.writelines(difflib.unified_diff(
            want.decode().splitlines(True),
            (got or b'').decode('utf-8', 'replace').splitlines(True),
            'botocore + aws-cli', 'ec_parse_dump'))
        sys.exit(1)

    def check(self, label, op_model, xml):
        parser = QueryParser(timestamp_parser=cli_timestamp)
        parsed = parser.parse({'body': xml, 'headers': {}, 'status_code': 200},
                              op_model.output_shape)
        want = cli_json(parsed)
        got, err = self.run(op_model.name, xml, 'aws')
        # The AWS CLI prints nothing for an empty result; the library's
        # renderer gives "{}" and leaves that choice to the tool.
        if want == b'' and got == b'{}\n':
            got = b''
        if got != want:
            self.fail(label + ' [aws]', op_model.name, xml, want, got, err)
        swant = (json.dumps(snake(parsed), indent=4, ensure_ascii=False) +
                 '\n').encode()
        sgot, err = self.run(op_model.name, xml, 'snake')
        if sgot != swant:
            self.fail(label + ' [snake]', op_model.name, xml, swant, sgot, err)
        return parsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dump', required=True)
    ap.add_argument('--count', type=int, default=300)
    ap.add_argument('--seed', type=int, default=20150202)
    ap.add_argument('--wrap', default='')
    ap.add_argument('--save', default='')
    ap.add_argument('--awscli', action='store_true',
                    help='compare with the real %s, through a loopback '
                    'listener, instead of botocore' % AWSCLI)
    a = ap.parse_args()
    os.environ['TZ'] = 'UTC'
    with open(MODEL) as f:
        model = ServiceModel(json.load(f), service_name='elasticache')
    runner = Runner(a)
    check = runner.check
    what = 'botocore + aws-cli v2, AWS and snake_case styles'
    if a.awscli:
        runner.start_listener()
        check = runner.check_awscli
        what = 'the output of %s' % AWSCLI

    # Every member of each output shape must come through a fully
    # populated response.
    for op in OPERATIONS:
        op_model = model.operation_model(op)
        xml = Generator(random.Random(a.seed), full=True).response(op_model)
        parsed = runner.check('full ' + op, op_model, xml)
        if a.awscli:
            check('full ' + op, op_model, xml)
        missing = set(model_paths(op_model.output_shape)) - value_paths(parsed)
        if missing:
            print('FAIL: generator left out %s' % sorted(missing))
            return 1
        print('full %s: all %d member paths identical' %
              (op, len(model_paths(op_model.output_shape))))

    rng = random.Random(a.seed)
    for i in range(a.count):
        op_model = model.operation_model(OPERATIONS[i % len(OPERATIONS)])
        xml = Generator(rng).response(op_model)
        check('case %d (seed %d)' % (i, a.seed), op_model, xml)
    print('%d random responses: byte-identical to %s' % (a.count, what))
    return 0


if __name__ == '__main__':
    sys.exit(main())
