#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Strict checker of a plugin's output against the Monitoring Plugins
Development Guidelines. Reads the output on stdin; exits 0 when it is valid,
1 with the reason otherwise.

  first line:  TEXT[ | PERFDATA]        (no '|' in TEXT)
  PERFDATA:    ITEM( ITEM)*
  ITEM:        LABEL=VALUE[UOM];[WARN];[CRIT];[MIN];[MAX]  (trailing ;s optional)
  LABEL:       quoted 'x' ('' for a quote) when it holds a space or quote,
               never '='
  VALUE:       -?[0-9]+(.[0-9]+)? or U;  UOM: s ms us % B KB MB TB c or none
  WARN/CRIT:   a range: @?(~|NUM)?:?(NUM)?    MIN/MAX: numbers
Later lines (long output) carry no perfdata here (we keep it all on line 1).
"""
import re
import sys

NUM = r"-?[0-9]+(?:\.[0-9]+)?"
UOM = r"(?:s|ms|us|%|B|KB|MB|TB|c)?"
RANGE = r"@?(?:(?:~|%s)?:)?(?:%s)?" % (NUM, NUM)
LABEL = r"(?:'(?:[^'=]|'')+'|[^'= ]+)"
ITEM = re.compile(
    r"(%s)=(U|%s%s)(?:;(%s)?(?:;(%s)?(?:;(%s)?(?:;(%s)?)?)?)?)?$"
    % (LABEL, NUM, UOM, RANGE, RANGE, NUM, NUM)
)


def fail(msg):
    print("perfdata_check: " + msg)
    sys.exit(1)


def split_items(perf):
    items, cur, quoted = [], "", False
    for ch in perf:
        if ch == "'":
            quoted = not quoted
        if ch == " " and not quoted:
            if cur:
                items.append(cur)
            cur = ""
            continue
        cur += ch
    if quoted:
        fail("unbalanced quote in perfdata")
    if cur:
        items.append(cur)
    return items


def main():
    text = sys.stdin.read()
    if not text:
        fail("no output")
    lines = text.split("\n")
    first = lines[0]
    if not re.match(r"ELASTICACHE (OK|WARNING|CRITICAL|UNKNOWN) - \S", first):
        fail("first line does not start 'ELASTICACHE STATE - ': %r" % first)
    for later in lines[1:]:
        if "|" in later:
            fail("'|' in long output (perfdata only on line 1): %r" % later)
    if "|" not in first:
        print("no perfdata")
        return
    if first.count("|") != 1:
        fail("more than one '|' on the first line")
    perf = first.split("|", 1)[1]
    if not perf.startswith(" ") or perf.startswith("  "):
        fail("perfdata must follow '| '")
    labels = set()
    for item in split_items(perf.strip()):
        m = ITEM.match(item)
        if not m:
            fail("bad perfdata item %r" % item)
        if m.group(1) in labels:
            fail("duplicate label %r" % m.group(1))
        labels.add(m.group(1))
    print("%d perfdata items ok" % len(labels))


main()
