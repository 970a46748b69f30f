#!/usr/bin/python3
"""Differential test: the CLI's --cli-input-yaml reader
(plugins/elasticache/yamlin.c, through cli_yaml_dump) against ruamel.yaml's
safe loader, which is what the AWS CLI v2 reads --cli-input-yaml with
(awscli/customizations/cliinput.py: YAML(typ='safe', pure=True).load).

  yaml_diff.py --dump BIN [--count N] [--seed S] [--wrap CMD] [--show N]

Documents are put together from pieces YAML 1.2 resolves specially (ints in
every base, floats, inf and nan, booleans, nulls, timestamps and dates,
merge keys, explicit tags, quoting styles), in block and flow collections,
with anchors and aliases, duplicate keys, non-string keys, several
documents, comments and broken syntax. For each, both must fail, or both
must give the same value: same types (int is not float), same key order,
and for what JSON has no type for (datetime, date, bytes, inf, nan) the
same Python type and str(). Any seed reproduces its documents.
"""
import argparse
import datetime
import json
import math
import random
import shlex
import subprocess
import sys

import warnings

from ruamel.yaml import YAML

warnings.simplefilter("ignore")

PLAIN = [
    '0', '7', '-3', '+12', '007', '08', '0o17', '0o', '0x1F', '0xff_ff',
    '0b101', '0b', '1_000', '-0', '1.5', '-2.5e3', '1e3', '1E+3', '.5',
    '5.', '1.e2', '.5e-3', '.5e3', '-.inf', '.Inf', '+.INF', '.nan', '.NaN',
    'true', 'True', 'TRUE', 'tRUE', 'false', 'yes', 'no', 'on', 'off', 'y',
    'null', 'Null', 'NULL', '~', 'nul', '2023-01-10', '2023-1-10',
    '2023-01-10T09:15:42Z', '2023-01-10t09:15:42.5Z',
    '2023-01-10 09:15:42', '2023-01-10  9:15:42.1234567 +02:00',
    '2023-01-10T09:15:42-05:30', '2023-01-10T23:59:59.9999999Z',
    '2023-02-29', '2023-13-01', '12:30:45', '1:30', 'plain', 'two words',
    'CacheClusterId', 'demo-redis', 'a:b', 'x=1', '=', '-', '0001',
    'inf', 'nan', '1,000', '1__0', '+', '0x', '+0x1f', '-0b11',
    '1.7976931348623157e309', 'é', '漢字', '😀',
]
QUOTED = ["'single'", "'it''s'", '"double"', '"tab\\tnl\\n"', "'0x1F'",
          '"true"', "''", '""', '"\\u00e9"', "'2023-01-10'"]
TAGGED = ['!!str 12', '!!str true', '!!int "42"', '!!int 0x10',
          '!!float 1', '!!float "2.5"', '!!bool yes', '!!bool off',
          '!!bool maybe', '!!null ""', '!!null x', '!!timestamp 2023-01-10',
          '!!timestamp "2023-01-10 10:00:00"', '!!timestamp nope',
          '!!binary aGVsbG8=', '!!binary "aGk="', '!!binary "@@"',
          '! 12', '!custom x', '!!int abc']
KEYS = ['a', 'b', 'CacheClusterId', 'MaxRecords', 'Marker', '1', '2.5',
        'true', 'null', '~', '2023-01-10', "'quoted key'", '"dq key"',
        'x y', 'é', '0x10']
# Keys Python takes for 1 (1.0, True): only in documents without merge
# keys, whose handling of keys equal across types we do not mirror.
TWIN_KEYS = ['1.0', 'True', 'false', '0']
MERGE_SAFE_KEYS = [k for k in KEYS if k not in ('1', 'true', '~')]


class Gen:
    def __init__(self, rng):
        self.r = rng
        self.anchors = []
        self.pending = []
        self.twins = False

    def scalar(self):
        r = self.r.random()
        if r < 0.6:
            return self.r.choice(PLAIN)
        if r < 0.8:
            return self.r.choice(QUOTED)
        return self.r.choice(TAGGED)

    def key(self):
        if self.twins and self.r.random() < 0.3:
            return self.r.choice(TWIN_KEYS)
        if self.r.random() < 0.85:
            # keys Python finds equal across types (1 and true, ~ and
            # null) only where no merge key is
            return self.r.choice(KEYS if self.twins else MERGE_SAFE_KEYS)
        return self.r.choice(['[1, 2]', '{a: 1}', '? complex'])

    def anchor(self):
        """An anchor for the node about to be written; it can be aliased
        once the node is done (done())."""
        if self.r.random() < 0.15:
            name = 'a%d' % self.r.randint(0, 3)
            self.pending.append(name)
            return '&%s ' % name
        self.pending.append(None)
        return ''

    def done(self):
        name = self.pending.pop()
        if name:
            self.anchors.append(name)

    def alias(self):
        if self.anchors and self.r.random() < 0.15:
            return '*' + self.r.choice(self.anchors)
        if self.r.random() < 0.02:
            return '*undefined'
        return None

    def flow(self, depth):
        a = self.alias()
        if a:
            return a
        anchor = self.anchor()
        if depth > 2 or self.r.random() < 0.6:
            text = anchor + self.scalar()
        elif self.r.random() < 0.5:
            items = [self.flow(depth + 1)
                     for _ in range(self.r.randint(0, 3))]
            text = anchor + '[' + ', '.join(items) + ']'
        else:
            items = ['%s: %s' % (self.key(), self.flow(depth + 1))
                     for _ in range(self.r.randint(0, 3))]
            text = anchor + '{' + ', '.join(items) + '}'
        self.done()
        return text

    def block(self, indent, depth):
        pad = ' ' * indent
        r = self.r.random()
        lines = []
        if depth > 2 or r < 0.25:
            return None  # the caller writes a flow value
        if r < 0.55:
            for _ in range(self.r.randint(1, 4)):
                sub = self.block(indent + 2, depth + 1)
                if sub is None:
                    lines.append('%s- %s' % (pad, self.flow(depth + 1)))
                else:
                    lines.append('%s-\n%s' % (pad, sub))
            return '\n'.join(lines)
        keys = []
        for _ in range(self.r.randint(1, 5)):
            if not self.twins and self.r.random() < 0.08:
                k = '<<'
                # aliases of finished nodes only: a mapping that merges
                # itself is refused on purpose (ruamel merges nothing)
                done = sorted(set(self.anchors))
                choices = ['{m: 1}', '[{m: 1}, {n: 2}]', 'x']
                if done:
                    a, b = self.r.choice(done), self.r.choice(done)
                    choices += ['*' + a, '[*%s, *%s]' % (a, b)]
                v = self.r.choice(choices)
                lines.append('%s%s: %s' % (pad, k, v))
                continue
            k = self.key() if self.r.random() < 0.9 or not keys \
                else self.r.choice(keys)
            keys.append(k)
            anchor = self.anchor().strip()
            sub = self.block(indent + 2, depth + 1)
            self.done()
            if sub is None:
                lines.append('%s%s: %s' % (pad, k, self.flow(depth + 1)))
            else:
                lines.append('%s%s: %s\n%s' % (pad, k, anchor, sub))
            if self.r.random() < 0.05:
                lines.append('%s# a comment' % pad)
        return '\n'.join(lines)

    def document(self):
        self.anchors = []
        self.pending = []
        self.twins = self.r.random() < 0.3
        r = self.r.random()
        if r < 0.05:
            body = self.flow(0)
        elif r < 0.08:
            body = self.r.choice(['', '---', '--- \n...', '# only a comment',
                                  '- a\n- b', 'a: 1\n---\nb: 2',
                                  '%YAML 1.2\n---\na: yes',
                                  '%YAML 1.1\n---\na: yes', 'a: [1, 2',
                                  'a: b: c', '\ta: 1', 'a: 1\n a: 2',
                                  '{a: 1, a: 2}', 'a: &x 1\nb: *x',
                                  'a: !!set {x}', '"unterminated'])
        else:
            body = self.block(0, 0) or ('value: ' + self.flow(0))
        if self.r.random() < 0.1:
            body = '---\n' + body
        return body


def canonical(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if math.isinf(v) or math.isnan(v):
            return {'$special': 'float', 'str': str(v)}
        return v
    if isinstance(v, datetime.datetime):
        return {'$special': 'datetime.datetime', 'str': str(v)}
    if isinstance(v, datetime.date):
        return {'$special': 'datetime.date', 'str': str(v)}
    if isinstance(v, bytes):
        return {'$special': 'bytes', 'str': repr(v)}
    if isinstance(v, list):
        return [canonical(x) for x in v]
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if isinstance(k, (dict, list, set)):
                raise TypeError('collection key')
            if isinstance(k, tuple):
                key = str(k)  # a list key: ruamel made it a tuple
            else:
                key = canonical(k)
                key = key['str'] if isinstance(key, dict) else str(k)
            out[key] = canonical(x)
        return out
    raise TypeError('no JSON form for %s' % type(v).__name__)


def python_load(text):
    try:
        return {'ok': True, 'value': canonical(
            YAML(typ='safe', pure=True).load(text))}
    except Exception as e:  # noqa: BLE001 - any failure is "not loaded"
        return {'ok': False, 'error': type(e).__name__}


def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dump', required=True)
    ap.add_argument('--count', type=int, default=1000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--wrap', default='')
    ap.add_argument('--show', type=int, default=5)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    gen = Gen(rng)
    docs = [gen.document() for _ in range(a.count)]
    proc = subprocess.Popen(shlex.split(a.wrap) + [a.dump],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, encoding='utf-8')
    bad = 0
    loaded = 0
    for i, doc in enumerate(docs):
        want = python_load(doc)
        if doc.startswith('%YAML 1.1'):
            # refused on purpose: we read YAML 1.2's types only
            want = {'ok': False, 'error': 'YAML 1.1'}
        proc.stdin.write(json.dumps({'yaml': doc}) + '\n')
        proc.stdin.flush()
        got = json.loads(proc.stdout.readline())
        ok = want['ok'] == got['ok'] and (
            not want['ok'] or same(want['value'], got['value']))
        loaded += want['ok']
        if not ok:
            bad += 1
            if bad <= a.show:
                print('DIFFERS (seed %d, document %d):\n%s\n--- ruamel: %s\n'
                      '--- ours:   %s\n' % (a.seed, i, doc,
                                            json.dumps(want, ensure_ascii=False),
                                            json.dumps(got, ensure_ascii=False)))
    proc.stdin.close()
    rc = proc.wait()
    print('%d documents (%d loaded by ruamel), %d differ' % (len(docs), loaded,
                                                             bad))
    return 1 if bad or rc else 0


if __name__ == '__main__':
    sys.exit(main())
