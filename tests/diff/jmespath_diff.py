#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Differential test: libelasticache's JMESPath against Python's jmespath
(Debian's python3-jmespath 1.0.1, what /usr/bin/aws evaluates --query with).

  jmespath_diff.py --eval BIN [--count N] [--seed S] [--wrap CMD]
                   [--compliance DIR] [--wire DIR] [--show N]

Every case is an expression and a document. Both sides must agree on:
  - the phase: the expression compiles or not, the search succeeds or not;
  - for a result, json.dumps(result, separators=(',', ':')) byte for byte
    (so ints and floats, key order and float digits must match);
  - for an error, its kind (the compliance suite's kinds; Python's own
    TypeError/ValueError from jmespath's functions count as invalid-type /
    invalid-value), the message (Python's str(exception); ours is cut with
    "..." at 511 bytes), and for a compile error the column.

Cases: every case of the compliance suite (--compliance), the captured AWS
responses in --wire with a set of everyday queries, then N random documents
and expressions from seed S (field picks, projections, filters,
comparisons, functions right and wrong, multiselects, slices, pipes,
literals, expression references), a third of them mutated into likely
syntax errors. Any seed reproduces its cases: --seed S --count N, and
--show prints the first differing ones in full.

BIN (jp_eval) reads {"expression", "data"} lines and writes the outcome
lines; --wrap runs it under e.g. valgrind.
"""
import argparse
import glob
import json
import os
import random
import re
import shlex
import subprocess
import sys

import jmespath
from jmespath import exceptions as jexc

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', 'data')

ROOM = 511  # ec_error.message holds this many bytes


# ---------------------------------------------------------------------
# The Python side
# ---------------------------------------------------------------------

def kind_of(e):
    if isinstance(e, jexc.ArityError):
        return 'invalid-arity'
    if isinstance(e, (jexc.LexerError, jexc.IncompleteExpressionError,
                      jexc.ParseError, jexc.EmptyExpressionError)):
        return 'syntax'
    if isinstance(e, jexc.JMESPathTypeError):
        return 'invalid-type'
    if isinstance(e, jexc.UnknownFunctionError):
        return 'unknown-function'
    if isinstance(e, RecursionError):
        return 'limit'
    if isinstance(e, TypeError):
        return 'invalid-type'
    if isinstance(e, ValueError):
        return 'invalid-value'
    return type(e).__name__


def column_of(e):
    if isinstance(e, jexc.ParseError) and not isinstance(e, jexc.ArityError):
        return e.lex_position
    if isinstance(e, jexc.EmptyExpressionError):
        return 0
    return -1


ADDRESS = re.compile(r'<jmespath\.visitor\._Expression object at 0x[0-9a-f]+>')


def message_of(e):
    # An expression reference's repr carries its address; ours has none.
    return ADDRESS.sub('<jmespath.visitor._Expression object>', str(e))


def python_outcome(expression, data):
    try:
        parsed = jmespath.compile(expression)
    except Exception as e:  # noqa: BLE001 - every exception is an outcome
        return {'phase': 'compile', 'kind': kind_of(e),
                'message': message_of(e), 'column': column_of(e)}
    try:
        result = parsed.search(data)
        text = json.dumps(result, separators=(',', ':'))
    except Exception as e:  # noqa: BLE001
        return {'phase': 'search', 'kind': kind_of(e),
                'message': message_of(e), 'column': -1}
    return {'phase': 'ok', 'result': message_of(text),
            'big_int': has_big_int(result)}


def has_big_int(v):
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return not -2 ** 63 <= v < 2 ** 63
    if isinstance(v, list):
        return any(has_big_int(x) for x in v)
    if isinstance(v, dict):
        return any(has_big_int(x) for x in v.values())
    return False


LONE = re.compile(r'\\u[dD][89a-fA-F][0-9a-fA-F]{2}')


def known_divergence(expression, py, c):
    """The documented differences (lib/include/elasticache/elasticache.h):
    a literal with a lone surrogate escape, which Python keeps in a str and
    UTF-8 cannot hold, is a syntax error here; an integer beyond 64 bits
    (ceil(`1e20`), a sum that overflows) is the nearest double here."""
    if (c['phase'] == 'compile' and 'lone surrogate' in c['message'].lower()
            and LONE.search(expression)):
        return 'lone surrogate'
    if py.get('big_int') and c['phase'] == 'ok':
        return 'integer beyond 64 bits'
    return None


def same(py, c):
    if py['phase'] != c['phase']:
        return False
    if py['phase'] == 'ok':
        return py['result'] == c['result']
    if py['kind'] != c['kind'] or py['column'] != c['column']:
        return False
    pm, cm = py['message'], c['message']
    if len(pm.encode()) <= ROOM:
        return pm == cm
    return cm.endswith('...') and pm.startswith(cm[:-3])


# ---------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------

def compliance_cases(directory):
    for path in sorted(glob.glob(os.path.join(directory, '*.json'))):
        if path.endswith('.expected.json'):
            continue
        with open(path, encoding='utf-8') as f:
            suites = json.load(f)
        name = os.path.basename(path)
        for si, suite in enumerate(suites):
            for ci, case in enumerate(suite['cases']):
                yield ('%s[%d][%d]' % (name, si, ci), case['expression'],
                       suite['given'])


WIRE_QUERIES = [
    'CacheClusters[0].CacheClusterStatus',
    'CacheClusters[].CacheClusterId',
    'CacheClusters[*].[CacheClusterId, Engine, NumCacheNodes]',
    'CacheClusters[].CacheNodes[].CacheNodeId',
    "CacheClusters[?Engine=='redis'].CacheClusterId",
    'CacheClusters[?NumCacheNodes > `1`].{id: CacheClusterId, n: NumCacheNodes}',
    'length(CacheClusters)',
    'CacheClusters[0].CacheNodes[?CacheNodeStatus!=`available`]',
    'sort_by(CacheClusters, &CacheClusterId)[].CacheClusterId',
    'max_by(CacheClusters, &NumCacheNodes).CacheClusterId',
    'CacheClusters[].CacheNodes[].Endpoint.Port | sum(@)',
    'CacheClusters[0].CacheNodes[-1:]',
    'CacheClusters[0] | keys(@)',
    "CacheClusters[].[CacheClusterId, to_string(NumCacheNodes)] | [].join(':', @)",
    "CacheClusters[].join(':', [CacheClusterId, to_string(NumCacheNodes)])",
    'CacheClusters[].CacheNodes[].CacheNodeCreateTime | sort(@) | [-1]',
    "CacheClusters[?starts_with(EngineVersion, '6')] | [*].Engine",
    'CacheClusters[?contains(CacheClusterId, `"redis"`)] | length(@)',
    'CacheCluster.CacheClusterStatus',
    'CacheCluster.PendingModifiedValues',
    'Events[].Message',
    'Events[?SourceType==`cache-cluster`] | [0]',
    '@',
    'Marker || `"none"`',
]


def wire_cases(directory):
    for path in sorted(glob.glob(os.path.join(directory, '*.awscli-*.json'))):
        with open(path, encoding='utf-8') as f:
            doc = json.load(f)
        for q in WIRE_QUERIES:
            yield ('%s %s' % (os.path.basename(path), q), q, doc)


KEYS = ['a', 'b', 'c', 'foo', 'bar', 'Name', 'Id', 'n', 'tags', 'x y', 'é',
        '', 'with"quote']
STRINGS = ['', 'a', 'b', 'abc', 'foo', 'Foo', 'bar', 'a b', 'é', '漢字', '😀',
           '1', '2.5', ' 7 ', '-3', '1e3', 'true', 'null', 'x\ny', 'tab\t',
           "it's", 'q"q', 'z', '10', '9', '٣']


class Gen:
    def __init__(self, rng):
        self.r = rng

    # -- documents -----------------------------------------------------

    def scalar(self):
        r = self.r
        k = r.random()
        if k < 0.3:
            return r.choice(STRINGS)
        if k < 0.55:
            return r.choice([0, 1, -1, 2, 3, 10, 42, -7, 1000,
                             r.randint(-100, 100)])
        if k < 0.7:
            return r.choice([0.0, 1.0, 0.5, -2.5, 3.25, 1e20, 1e-7, 2.0,
                             -0.0, 0.1, 12345.678])
        if k < 0.85:
            return r.choice([True, False])
        return None

    def value(self, depth):
        r = self.r
        if depth <= 0 or r.random() < 0.35:
            return self.scalar()
        if r.random() < 0.5:
            return [self.value(depth - 1) for _ in range(r.choice([0, 1, 2, 3, 4]))]
        return self.obj(depth - 1)

    def obj(self, depth):
        r = self.r
        keys = r.sample(KEYS, r.choice([0, 1, 2, 3, 4, 5]))
        return {k: self.value(depth) for k in keys}

    def record(self):
        r = self.r
        d = {'Name': r.choice(STRINGS), 'Id': r.randint(-3, 9),
             'n': r.choice([0, 1, 2.5, -1, 3.0, 7])}
        if r.random() < 0.5:
            d['tags'] = [r.choice(STRINGS) for _ in range(r.randint(0, 3))]
        if r.random() < 0.3:
            d['a'] = self.value(2)
        if r.random() < 0.2:
            del d[r.choice(list(d))]
        return d

    def document(self):
        r = self.r
        doc = self.obj(3)
        if r.random() < 0.7:
            doc['foo'] = [self.record() for _ in range(r.randint(0, 5))]
        if r.random() < 0.3:
            doc['bar'] = [r.choice([r.randint(-5, 5), r.choice(STRINGS)])
                          for _ in range(r.randint(0, 5))]
        if r.random() < 0.3:
            doc['n'] = [r.choice([1, 2.5, -3, 0, 1.0]) for _ in range(r.randint(0, 5))]
        if r.random() < 0.1:
            return self.value(3)
        return doc

    # -- expressions ---------------------------------------------------

    def ident(self):
        k = self.r.choice(KEYS)
        if re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*', k) and self.r.random() < 0.85:
            return k
        return json.dumps(k, ensure_ascii=self.r.random() < 0.5)

    def literal(self):
        r = self.r
        k = r.random()
        if k < 0.45:
            return '`%s`' % json.dumps(self.value(2)).replace('`', '\\`')
        if k < 0.8:
            s = r.choice(STRINGS)
            return "'%s'" % s.replace("'", "\\'")
        return '`%s`' % r.choice(['foo', 'a b', ' x', '01', '[1,', 'tru'])

    def number(self):
        return str(self.r.choice([0, 1, 2, -1, -2, 3, 5, -5, 10, 100]))

    def slice(self):
        r = self.r
        parts = [r.choice(['', self.number()]) for _ in range(3)]
        if r.random() < 0.05:
            parts[2] = '0'
        if r.random() < 0.4:
            return '[%s:%s]' % (parts[0], parts[1])
        return '[%s:%s:%s]' % tuple(parts)

    FUNCS = {
        'abs': 1, 'avg': 1, 'ceil': 1, 'contains': 2, 'ends_with': 2,
        'floor': 1, 'join': 2, 'keys': 1, 'length': 1, 'map': 2, 'max': 1,
        'max_by': 2, 'merge': -1, 'min': 1, 'min_by': 2, 'not_null': -1,
        'reverse': 1, 'sort': 1, 'sort_by': 2, 'starts_with': 2, 'sum': 1,
        'to_array': 1, 'to_number': 1, 'to_string': 1, 'type': 1, 'values': 1,
    }
    EXPREF_FIRST = {'map'}
    EXPREF_SECOND = {'sort_by', 'max_by', 'min_by'}

    def function(self, depth):
        r = self.r
        name = r.choice(list(self.FUNCS))
        n = self.FUNCS[name]
        if n < 0:
            n = r.choice([1, 2, 3])
        if r.random() < 0.07:
            n += r.choice([-1, 1])
        if r.random() < 0.03:
            name = r.choice(['nope', 'to_str', 'Length'])
        args = []
        for i in range(max(n, 0)):
            if (name in self.EXPREF_FIRST and i == 0) or \
               (name in self.EXPREF_SECOND and i == 1):
                if r.random() < 0.9:
                    args.append('&' + self.expr(depth - 1, simple=True))
                    continue
            if name in ('sort_by', 'max_by', 'min_by', 'map') and r.random() < 0.6:
                args.append(r.choice(['foo', 'bar', 'n', '@', 'foo[*].tags']))
                continue
            args.append(self.expr(depth - 1))
        return '%s(%s)' % (name, ', '.join(args))

    def expr(self, depth, simple=False):
        r = self.r
        if depth <= 0:
            return r.choice([self.ident(), self.ident(), '@', self.literal()])
        k = r.random()
        if simple and k > 0.5:
            k = k - 0.5
        d = depth - 1
        if k < 0.12:
            return self.ident()
        if k < 0.22:
            return '%s.%s' % (self.expr(d), r.choice([
                self.ident(), self.ident(), '*',
                '[%s, %s]' % (self.expr(d), self.expr(d)),
                '{%s: %s}' % (self.ident(), self.expr(d)),
                self.function(d)]))
        if k < 0.28:
            return '%s[%s]' % (self.expr(d), self.number())
        if k < 0.33:
            return self.expr(d) + self.slice()
        if k < 0.40:
            return '%s%s%s' % (self.expr(d), r.choice(['[*]', '.*', '[]']),
                               r.choice(['', '.' + self.ident(), '[0]', '[]']))
        if k < 0.48:
            return '%s[?%s]%s' % (self.expr(d), self.condition(d),
                                  r.choice(['', '.' + self.ident(), '[]']))
        if k < 0.53:
            return self.condition(d)
        if k < 0.58:
            return '%s | %s' % (self.expr(d), self.expr(d))
        if k < 0.64:
            return '[%s]' % ', '.join(self.expr(d) for _ in range(r.randint(1, 3)))
        if k < 0.69:
            return '{%s}' % ', '.join('%s: %s' % (self.ident(), self.expr(d))
                                      for _ in range(r.randint(1, 3)))
        if k < 0.74:
            return self.literal()
        if k < 0.88:
            return self.function(d)
        if k < 0.92:
            return '(%s)' % self.expr(d)
        if k < 0.95:
            return '!' + self.expr(d)
        if k < 0.98:
            return '&' + self.expr(d)
        return '@'

    def condition(self, depth):
        r = self.r
        k = r.random()
        if k < 0.6:
            op = r.choice(['==', '!=', '<', '<=', '>', '>='])
            return '%s %s %s' % (self.expr(depth, simple=True), op,
                                 r.choice([self.literal(), self.expr(depth, simple=True)]))
        if k < 0.8:
            return '%s %s %s' % (self.expr(depth, simple=True),
                                 r.choice(['&&', '||']), self.expr(depth, simple=True))
        return self.expr(depth, simple=True)

    def mutate(self, e):
        r = self.r
        specials = list('[]{}().,:|&!=<>`\'"@*?-0123 ') + ['||', '&&', '[?', '[]']
        for _ in range(r.randint(1, 2)):
            if not e:
                break
            i = r.randrange(len(e) + 1)
            k = r.random()
            if k < 0.4:
                e = e[:i] + e[i + 1:]
            elif k < 0.8:
                e = e[:i] + r.choice(specials) + e[i:]
            else:
                e = e[:i] + r.choice(specials) + e[i + 1:]
        return e

    def case(self):
        doc = self.document()
        e = self.expr(self.r.choice([1, 2, 3, 4]))
        if self.r.random() < 0.3:
            e = self.mutate(e)
        return e, doc


def random_cases(seed, count):
    g = Gen(random.Random(seed))
    for i in range(count):
        e, doc = g.case()
        yield ('random seed=%d #%d' % (seed, i), e, doc)


# ---------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--eval', required=True)
    ap.add_argument('--count', type=int, default=2000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--wrap', default='')
    ap.add_argument('--compliance', default=os.path.join(DATA, 'jmespath-compliance'))
    ap.add_argument('--wire', default=os.path.join(DATA, 'wire'))
    ap.add_argument('--no-fixed', action='store_true',
                    help='only the random cases')
    ap.add_argument('--show', type=int, default=5)
    args = ap.parse_args()

    cases = []
    if not args.no_fixed:
        cases += list(compliance_cases(args.compliance))
        cases += list(wire_cases(args.wire))
    cases += list(random_cases(args.seed, args.count))

    lines = ''.join(json.dumps({'expression': e, 'data': d}) + '\n'
                    for _, e, d in cases)
    cmd = shlex.split(args.wrap) + [args.eval]
    proc = subprocess.run(cmd, input=lines.encode(), stdout=subprocess.PIPE,
                          check=False)
    if proc.returncode != 0:
        print('jp_eval failed with exit status %d' % proc.returncode)
        return 1
    outs = [json.loads(l) for l in proc.stdout.decode().splitlines()]
    if len(outs) != len(cases):
        print('jp_eval answered %d of %d cases' % (len(outs), len(cases)))
        return 1

    bad = 0
    known = 0
    phases = {}
    for (name, e, d), c in zip(cases, outs):
        py = python_outcome(e, d)
        phases[py['phase']] = phases.get(py['phase'], 0) + 1
        if not same(py, c) and known_divergence(e, py, c):
            known += 1
        elif not same(py, c):
            bad += 1
            if bad <= args.show:
                print('DIFFERENT: %s' % name)
                print('  expression: %r' % e)
                print('  data:       %s' % json.dumps(d)[:2000])
                print('  python:     %s' % json.dumps(py, ensure_ascii=False))
                print('  ours:       %s' % json.dumps(c, ensure_ascii=False))
    print('%d cases (%s), %d different, %d known divergences' % (
        len(cases), ', '.join('%s %d' % kv for kv in sorted(phases.items())),
        bad, known))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
