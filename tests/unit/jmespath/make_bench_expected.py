#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Write tests/data/jmespath-compliance/benchmarks.expected.json: Python's
jmespath answer for every benchmarks.json case (null for "parse" cases), so
jp_compliance can check the benchmark cases' results too.

Run with Debian's /usr/bin/python3 (python3-jmespath 1.0.1, what
/usr/bin/aws uses)."""
import json
import os

import jmespath

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', '..', 'data', 'jmespath-compliance')

with open(os.path.join(DATA, 'benchmarks.json')) as f:
    suites = json.load(f)
out = []
for suite in suites:
    row = []
    for case in suite['cases']:
        if case['bench'] == 'parse':
            jmespath.compile(case['expression'])
            row.append(None)
        else:
            row.append(jmespath.search(case['expression'], suite['given']))
    out.append(row)
with open(os.path.join(DATA, 'benchmarks.expected.json'), 'w') as f:
    json.dump(out, f, indent=1)
    f.write('\n')
