#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Write the output case folders in tests/data/output/: each holds
input.json (the parsed response), args.json (format, query, title, width,
color, autoreset), and what the AWS CLI v2's formatter classes print for
them (expected.out, and expected.err with the exception's message when it
fails). Run with Debian's /usr/bin/python3 (awscli 2.9.19):

    PYTHONHASHSEED=0 /usr/bin/python3 tests/unit/output/make_cases.py
"""
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, '..', '..', '..')
sys.path.insert(0, os.path.join(REPO, 'tests', 'diff'))
from output_diff import YAML_STRINGS, python_output  # noqa: E402

OUT = os.path.join(REPO, 'tests', 'data', 'output')
with open(os.path.join(REPO, 'tests', 'data', 'wire',
                       'describe-cache-clusters.awscli-2.9.19.json')) as f:
    WIRE = json.load(f)

RECORDS = {'Items': [{'a': 1, 'b': 'x', 'l': [1, 2]},
                     {'a': 2.5, 'c': None, 'd': {'e': True}},
                     {'b': 'y', 'l': []}]}
EDGES = {'%03d' % i: s for i, s in enumerate(YAML_STRINGS)}

CASES = {
    # text
    'text-wire': (WIRE, {'format': 'text'}),
    'text-list-of-dicts-missing-keys': (RECORDS, {'format': 'text'}),
    'text-scalars-lists-nested': ({'Ids': ['a', 'b'], 'Nested': [[1, 2], [3, [4]]],
                                   'Mixed': [1, [2], 'x']}, {'format': 'text'}),
    'text-null': (WIRE, {'format': 'text', 'query': 'CacheClusters[0].Nope'}),
    'text-float-bool': (WIRE, {'format': 'text', 'query': '[`1.0`, `1e20`, `true`, `null`]'}),
    'text-upper-unicode-keys': ({'straße': [1, 2], 'ǆ': {'x': 1}}, {'format': 'text'}),
    'text-error-dicts-and-scalars': ({'L': [{'a': 1}, 2]}, {'format': 'text'}),
    'text-tabs-newlines': ({'a': 'tab\there', 'b': 'two\nlines'}, {'format': 'text'}),
    # table
    'table-wire': (WIRE, {'format': 'table'}),
    'table-wire-wide-terminal': (WIRE, {'format': 'table', 'width': 250}),
    'table-wire-narrow-terminal': (WIRE, {'format': 'table', 'width': 20}),
    'table-wide-characters': ({'Rows': [{'名前': '漢字テスト', 'x': 'ａｂ'},
                                        {'名前': 'é', 'x': '😀'}]}, {'format': 'table'}),
    'table-color-autoreset': (WIRE, {'format': 'table', 'color': True,
                                     'autoreset': True,
                                     'query': 'CacheClusters[0].CacheNodes'}),
    'table-color-pager': (WIRE, {'format': 'table', 'color': True,
                                 'query': 'CacheClusters[0].CacheNodes'}),
    'table-records': (RECORDS, {'format': 'table'}),
    'table-scalar-is-a-title': (WIRE, {'format': 'table', 'query': '`"x"`'}),
    'table-false-prints-nothing': (WIRE, {'format': 'table', 'query': '`[]`'}),
    'table-list-of-scalars-and-dict-keys': ({'L': [1, {'a': 1, 'b': 2}]},
                                            {'format': 'table', 'query': 'L[1:]'}),
    'table-error-row-length': ({'L': [1, [2, 3]]}, {'format': 'table', 'query': 'L'}),
    'table-projection': (WIRE, {'format': 'table',
                                'query': 'CacheClusters[].[CacheClusterId, NumCacheNodes]'}),
    # yaml
    'yaml-wire': (WIRE, {'format': 'yaml'}),
    'yaml-quoting': (EDGES, {'format': 'yaml'}),
    # (jansson's parser takes no NUL in a key, nor does any AWS response)
    'yaml-quoting-keys': ({s: i for i, s in enumerate(YAML_STRINGS) if '\x00' not in s},
                          {'format': 'yaml'}),
    'yaml-anchors': (RECORDS, {'format': 'yaml',
                               'query': '[Items[0], Items[0], {x: Items[0], y: [Items[0]]}, `[]`]'}),
    'yaml-scalar-as-json': (WIRE, {'format': 'yaml', 'query': 'CacheClusters[0].CacheClusterId'}),
    'yaml-empty-dict-prints-nothing': (WIRE, {'format': 'yaml', 'query': '`{}`'}),
    'yaml-nested-lists': ({'a': [[1, [2, []]], [], {}]}, {'format': 'yaml'}),
    # yaml-stream
    'yaml-stream-wire': (WIRE, {'format': 'yaml-stream'}),
    'yaml-stream-scalar': (WIRE, {'format': 'yaml-stream', 'query': 'length(CacheClusters)'}),
    # json
    'json-wire': (WIRE, {'format': 'json'}),
    'json-empty-dict-prints-nothing': (WIRE, {'format': 'json', 'query': '`{}`'}),
    'json-unicode': (EDGES, {'format': 'json'}),
}


def main():
    if os.path.isdir(OUT):
        for name in os.listdir(OUT):
            if name != 'PROVENANCE.md':
                shutil.rmtree(os.path.join(OUT, name))
    os.makedirs(OUT, exist_ok=True)
    for name, (data, args) in sorted(CASES.items()):
        d = os.path.join(OUT, name)
        os.makedirs(d)
        with open(os.path.join(d, 'input.json'), 'w', encoding='utf-8') as f:
            json.dump(data, f, indent=1, ensure_ascii=False)
            f.write('\n')
        with open(os.path.join(d, 'args.json'), 'w') as f:
            json.dump(args, f, indent=1, sort_keys=True)
            f.write('\n')
        case = dict(args, data=data)
        got = python_output(case)
        with open(os.path.join(d, 'expected.out'), 'wb') as f:
            f.write(got['out'].encode('utf-8'))
        if got['error'] is not None:
            with open(os.path.join(d, 'expected.err'), 'wb') as f:
                f.write(got['error'].encode('utf-8'))
    print('%d cases in %s' % (len(CASES), OUT))


if __name__ == '__main__':
    main()
