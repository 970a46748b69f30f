#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Differential test: the CLI's output formatters (plugins/elasticache/
output, through eco_dump) against the AWS CLI v2's own formatter classes
(/usr/lib/python3/dist-packages/awscli/formatter.py, text.py, table.py and
ruamel.yaml, driven from /usr/bin/python3 as /usr/bin/aws drives them).

  output_diff.py --dump BIN [--count N] [--seed S] [--wrap CMD] [--show N]

For every case, a document, an optional --query expression and a format
(json, text, table, yaml, yaml-stream; table at several terminal widths,
with and without colour), both sides must print the same bytes and fail
with the same message. Documents: the captured responses in tests/data/wire,
random responses made from the service model (tests/diff/diff_random.py's
generator, parsed by botocore as the AWS CLI parses them), and random JSON
full of what YAML and the table treat specially (indicators, YAML 1.2
keywords and numbers, timestamps, line breaks, tabs, wide and non-printable
characters, long lines). Queries give the JMESPath-shaped results --query
prints: scalars, lists of scalars, nested lists, null, projections,
multiselects that repeat a value (YAML anchors). Any seed reproduces its
cases.
"""
import argparse
import copy
import glob
import io
import json
import os
import random
import shlex
import subprocess
import sys

import colorama
from colorama.ansitowin32 import AnsiToWin32
import jmespath
from awscli.formatter import (JSONFormatter, StreamedYAMLFormatter,
                              TableFormatter, TextFormatter, YAMLFormatter)

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', 'data')
sys.path.insert(0, HERE)

FORMATTERS = {
    'json': JSONFormatter,
    'text': TextFormatter,
    'table': TableFormatter,
    'yaml': YAMLFormatter,
    'yaml-stream': StreamedYAMLFormatter,
}
TITLE = 'DescribeCacheClusters'


def python_output(case):
    """What /usr/bin/aws prints for the case: its formatter class, called
    as clidriver calls it, on a parsed response."""
    args = argparse.Namespace(
        query=jmespath.compile(case['query']) if case.get('query') else None,
        color='on' if case.get('color') else 'off')
    buf = io.StringIO()
    stream = buf
    saved = sys.stdout
    try:
        formatter = FORMATTERS[case['format']](args)
    finally:
        # colorama.init (ColorizedStyler) wraps sys.stdout: undo it.
        colorama.deinit()
        sys.stdout = saved
    if case['format'] == 'table':
        formatter.table._terminal_width = case.get('width', 80)
    if case.get('color') and case.get('autoreset'):
        # The CLI writing to its own stdout, which colorama has wrapped.
        stream = AnsiToWin32(buf, convert=False, strip=False,
                             autoreset=True).stream
    error = None
    try:
        formatter(case.get('title', TITLE), copy.deepcopy(case['data']),
                  stream)
    except Exception as e:  # noqa: BLE001 - the CLI prints any exception
        error = str(e)
    return {'out': buf.getvalue(), 'error': error}


# ---------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------

YAML_STRINGS = [
    '', ' ', 'a', 'plain text', 'yes', 'no', 'on', 'true', 'True', 'FALSE',
    'null', 'Null', '~', '0', '1', '-1', '+1', '007', '1.5', '-2.5e3', '1e3',
    '.5', '5.', '0x1F', '0o17', '0b101', '1_000', '.inf', '-.INF', '.nan',
    '2023-01-10', '2023-01-10T09:15:42.512000+00:00', '2023-1-1 1:02:03',
    '2023-01-10 09:15:42 Z', '12:30:45', '<<', '=', '!', '&', '*', '-', '--',
    '---', '...', '- a', '-a', '? x', '?x', ': x', 'a: b', 'a:b', 'a #b',
    'a#b', '#x', ',x', '[x]', '{x}', '|x', '>x', "'x'", '"x"', '%x', '@x',
    '`x`', 'x ', ' x', 'a\nb', 'a\n', '\nb', 'a\n\nb', 'a \nb', 'a\n b',
    'tab\there', '\t', 'cr\rx', 'nul\x00x', 'esc\x1bx', 'del\x7fx',
    'nel\x85x', 'ls\u2028x', 'bom\ufeffx', 'é', 'Ünïcödé', '漢字', '表格',
    'ｗｉｄｅ', '😀 emoji', '\u200b', 'x' * 100, 'word ' * 30,
    'long-' + 'y' * 90 + ' tail', "it's", 'say "hi"', 'back\\slash',
    'sg-0123456789abcdef0', 'arn:aws:elasticache:us-east-1:123:cluster:x',
]
KEYS = ['a', 'b', 'Name', 'Id', 'Port', 'CacheClusterId', 'x y', 'é',
        '漢字', 'with:colon', 'a\nb', '', 'zzz', 'AAA', 'true', '1']


class Docs:
    def __init__(self, rng):
        self.r = rng

    def scalar(self):
        r = self.r
        k = r.random()
        if k < 0.5:
            return r.choice(YAML_STRINGS)
        if k < 0.65:
            return r.choice([0, 1, -1, 7, 11211, 2 ** 40, -(2 ** 62)])
        if k < 0.8:
            return r.choice([0.0, 1.0, 0.5, -2.25, 1e20, 1e-7, 3.14159,
                             -0.0, 123456.789])
        if k < 0.92:
            return r.choice([True, False])
        return None

    def value(self, depth):
        r = self.r
        if depth <= 0 or r.random() < 0.45:
            return self.scalar()
        if r.random() < 0.5:
            return [self.value(depth - 1) for _ in range(r.choice([0, 1, 2, 3]))]
        return self.obj(depth - 1)

    def obj(self, depth):
        keys = self.r.sample(KEYS, self.r.choice([0, 1, 2, 3, 4, 5]))
        return {k: self.value(depth) for k in keys}

    def records(self):
        r = self.r
        keys = r.sample(KEYS, r.randint(1, 5))
        out = []
        for _ in range(r.randint(0, 4)):
            d = {k: self.scalar() for k in keys if r.random() < 0.85}
            if r.random() < 0.4:
                d[r.choice(KEYS)] = self.value(2)
            out.append(d)
        return out

    def document(self):
        r = self.r
        doc = {'Items': self.records(), 'Meta': self.obj(2)}
        if r.random() < 0.5:
            doc['List'] = [self.scalar() for _ in range(r.randint(0, 4))]
        if r.random() < 0.3:
            doc['Nested'] = [[self.scalar() for _ in range(r.randint(0, 3))]
                             for _ in range(r.randint(0, 3))]
        if r.random() < 0.2:
            doc['Empty'] = r.choice([[], {}, '', None, 0, False])
        return doc


# Queries that give what --query prints: every shape the formatters meet.
QUERIES = [
    None, None, None, '@', 'Items', 'Items[0]', 'Items[]', 'Items[*].Name',
    'Items[].[Name, Id]', 'Items[].{n: Name, i: Id}', 'Meta', 'List',
    'List[0]', 'Nested', 'Nested[]', 'Empty', 'nothing', '`null`', '`0`',
    '`1.5`', '`"text"`', '`true`', '`[]`', '`{}`', '[Items[0], Items[0]]',
    '{a: Meta, b: Meta, c: [Meta]}', 'map(&`[1]`, Items)', 'keys(@)',
    'values(Meta)', 'length(Items)', 'Items[0].Name', '[List, List]',
    'to_array(Meta)', '[`[]`, `[]`]', 'sort_by(Items, &to_string(Name))',
    'Items[?Id]', '[[List], [[List]]]',
]
WIRE_QUERIES = [
    None, 'CacheClusters[0].CacheClusterStatus', 'CacheClusters[].CacheClusterId',
    'CacheClusters[*].[CacheClusterId, Engine, NumCacheNodes]',
    'CacheClusters[].CacheNodes[]', 'CacheClusters[0]',
    '[CacheClusters[0].CacheParameterGroup, CacheClusters[0].CacheParameterGroup]',
    'CacheClusters[].{id: CacheClusterId, nodes: CacheNodes[].CacheNodeId}',
    'CacheCluster', 'Events', 'length(CacheClusters)', 'CacheClusters[0].NumCacheNodes',
]


def model_documents(rng, count):
    """Random responses from the service model, parsed as the AWS CLI
    parses them (diff_random.py's generator)."""
    import diff_random
    from botocore.model import ServiceModel
    from botocore.parsers import QueryParser
    with open(diff_random.MODEL) as f:
        model = ServiceModel(json.load(f), service_name='elasticache')
    out = []
    for i in range(count):
        op = model.operation_model(diff_random.OPERATIONS[i % 3])
        xml = diff_random.Generator(rng).response(op)
        parsed = QueryParser(timestamp_parser=diff_random.cli_timestamp).parse(
            {'body': xml, 'headers': {}, 'status_code': 200}, op.output_shape)
        parsed.pop('ResponseMetadata', None)
        out.append((op.name, json.loads(json.dumps(parsed))))
    return out


def options(rng, fmt):
    case = {'format': fmt}
    if fmt == 'table':
        case['width'] = rng.choice([80, 80, 80, 20, 40, 100, 160, 250])
        if rng.random() < 0.2:
            case['color'] = True
            case['autoreset'] = rng.random() < 0.5
    return case


def cases(seed, count):
    rng = random.Random(seed)
    for path in sorted(glob.glob(os.path.join(DATA, 'wire', '*.awscli-*.json'))):
        with open(path, encoding='utf-8') as f:
            doc = json.load(f)
        for q in WIRE_QUERIES:
            for fmt in FORMATTERS:
                c = options(rng, fmt)
                c.update(data=doc, query=q)
                yield os.path.basename(path), c
    for i, (op, doc) in enumerate(model_documents(rng, max(count // 10, 3))):
        for fmt in FORMATTERS:
            for q in (None, rng.choice(WIRE_QUERIES)):
                c = options(rng, fmt)
                c.update(data=doc, query=q, title=op)
                yield 'model #%d' % i, c
    docs = Docs(rng)
    for i in range(count):
        doc = docs.document()
        fmt = rng.choice(list(FORMATTERS))
        c = options(rng, fmt)
        c.update(data=doc, query=rng.choice(QUERIES))
        yield 'random seed=%d #%d' % (seed, i), c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dump', required=True)
    ap.add_argument('--count', type=int, default=1500)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--wrap', default='')
    ap.add_argument('--show', type=int, default=3)
    args = ap.parse_args()

    all_cases = list(cases(args.seed, args.count))
    lines = ''.join(json.dumps(c) + '\n' for _, c in all_cases)
    proc = subprocess.run(shlex.split(args.wrap) + [args.dump],
                          input=lines.encode(), stdout=subprocess.PIPE,
                          check=False)
    if proc.returncode != 0:
        print('eco_dump failed with exit status %d' % proc.returncode)
        return 1
    ours = [json.loads(l) for l in proc.stdout.decode().split('\n') if l]
    if len(ours) != len(all_cases):
        print('eco_dump answered %d of %d cases' % (len(ours), len(all_cases)))
        return 1
    bad = 0
    per = {}
    for (name, case), c in zip(all_cases, ours):
        py = python_output(case)
        key = case['format'] + (' error' if py['error'] else '')
        per[key] = per.get(key, 0) + 1
        if py != c:
            bad += 1
            if bad <= args.show:
                shown = dict(case)
                shown['data'] = json.dumps(case['data'], ensure_ascii=False)[:1500]
                print('DIFFERENT: %s %s' % (name, json.dumps(
                    {k: v for k, v in shown.items() if k != 'data'})))
                print('  data: %s' % shown['data'])
                print('  python error: %r' % py['error'])
                print('  ours error:   %r' % c['error'])
                pl = py['out'].splitlines(True)
                cl = c['out'].splitlines(True)
                for k in range(max(len(pl), len(cl))):
                    a = pl[k] if k < len(pl) else None
                    b = cl[k] if k < len(cl) else None
                    if a != b:
                        print('  line %d python: %r' % (k + 1, a))
                        print('  line %d ours:   %r' % (k + 1, b))
                        break
    print('%d cases (%s), %d different' % (
        len(all_cases), ', '.join('%s %d' % kv for kv in sorted(per.items())),
        bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
