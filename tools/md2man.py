#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Render one of docs/*.md as a man page (roff, man macros).

    md2man.py SOURCE.md OUTPUT [--version TEXT] [--date YYYY-MM-DD]

The sources use a small, fixed subset of Markdown, so the pages need no
pandoc or ronn at build time:

  # name(section)            first line: the page's name and section
  ## HEADING  / ### Sub      .SH / .SS
  paragraphs                 filled text; `code`, **bold**, *italic*, [text](url)
  ```  ...  ```              literal block (may be indented inside a list)
  term                       definition list (.TP); the body's further
  : definition               lines are indented by two spaces and may hold
    more, indented by two    paragraphs, literal blocks and nested lists
  - item                     bullet list, continuation indented by two
  | a | b |                  table: each row becomes a tagged paragraph

Anything else is a paragraph; a line that is one HTML comment is left out.
The NAME section's paragraph becomes the plain
"name \\- summary" line that whatis and lexgrog read. The date comes from
--date, else SOURCE_DATE_EPOCH, else today (UTC).
"""

import argparse
import datetime
import os
import re
import sys

# Characters the sources use that roff spells as named glyphs.
GLYPHS = {
    "\u2014": r"\(em",
    "\u2013": r"\(en",
    "\u2192": r"\(->",
    "\u2190": r"\(<-",
    "\u2026": "...",
    "\u00d7": r"\(mu",
    "\u2264": r"\(<=",
    "\u2265": r"\(>=",
    "\u2018": r"\(oq",
    "\u2019": r"\(cq",
    "\u201c": r"\(lq",
    "\u201d": r"\(rq",
}


class SourceError(Exception):
    pass


def escape(text):
    """Text for roff: backslashes, minus signs (options stay copyable),
    named glyphs; any other non-ASCII character is refused."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append(r"\e")
        elif ch == "-":
            out.append(r"\-")
        elif ch in GLYPHS:
            out.append(GLYPHS[ch])
        elif ord(ch) > 127:
            raise SourceError("character %r has no roff spelling in md2man.py" % ch)
        else:
            out.append(ch)
    return "".join(out)


INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])|\[([^\]]+)\]\(([^)]+)\)")


def inline(text):
    """Inline markup to roff fonts: code and bold in bold, emphasis in
    italics; a link shows its text, and its target unless that is a file
    of this repository."""
    out = []
    pos = 0
    for m in INLINE.finditer(text):
        out.append(escape(text[pos:m.start()]))
        code, bold, emph, ltext, lurl = m.groups()
        if code is not None:
            out.append(r"\fB" + escape(code) + r"\fR")
        elif bold is not None:
            out.append(r"\fB" + escape(bold) + r"\fR")
        elif emph is not None:
            out.append(r"\fI" + escape(emph) + r"\fR")
        else:
            out.append(inline(ltext))
            if re.match(r"[a-z]+://", lurl):
                out.append(" <" + escape(lurl) + ">")
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def text_lines(text):
    """Filled text: one roff line per source line, none starting with a
    control character."""
    lines = []
    joined = "\n".join(line.strip() for line in text.split("\n"))
    for line in inline(joined).split("\n"):
        if line.startswith((".", "'")):
            line = r"\&" + line
        lines.append(line)
    return lines


def dedent(lines, n):
    out = []
    for line in lines:
        if line.strip() == "":
            out.append("")
        elif line[:n].strip() == "":
            out.append(line[n:])
        else:
            raise SourceError("continuation line not indented by %d: %r" % (n, line))
    return out


def take_indented(lines, i, n):
    """Lines from i that belong to a list item or definition: indented by
    at least n, blank lines included when an indented line follows."""
    body = []
    while i < len(lines):
        line = lines[i]
        if line.strip() == "":
            j = i
            while j < len(lines) and lines[j].strip() == "":
                j += 1
            if j < len(lines) and lines[j].startswith(" " * n):
                body.extend(lines[i:j])
                i = j
                continue
            break
        if not line.startswith(" " * n):
            break
        body.append(line)
        i += 1
    return body, i


def parse(lines):
    """Markdown lines to a list of blocks."""
    blocks = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "":
            i += 1
        elif line.startswith("### "):
            blocks.append(("h3", line[4:].strip()))
            i += 1
        elif line.startswith("## "):
            blocks.append(("h2", line[3:].strip()))
            i += 1
        elif line.startswith("```"):
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            if j == len(lines):
                raise SourceError("unclosed ``` block at line %d" % (i + 1))
            blocks.append(("code", lines[i + 1:j]))
            i = j + 1
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                    rows.append(cells)
                i += 1
            blocks.append(("table", rows))
        elif line.startswith("- "):
            items = []
            while i < len(lines) and lines[i].startswith("- "):
                first = "  " + lines[i][2:]
                body, i = take_indented(lines, i + 1, 2)
                items.append(parse(dedent([first] + body, 2)))
                while i < len(lines) and lines[i].strip() == "" and i + 1 < len(lines) and lines[i + 1].startswith("- "):
                    i += 1
            blocks.append(("ul", items))
        else:
            para = []
            while i < len(lines) and lines[i].strip() != "" and not lines[i].startswith((": ", "```", "|", "#")):
                para.append(lines[i])
                i += 1
            if i < len(lines) and lines[i].startswith(": "):
                if len(para) != 1:
                    raise SourceError("a definition's term must be one line: %r" % para)
                entries = []
                term = para[0]
                while True:
                    first = "  " + lines[i][2:]
                    body, i = take_indented(lines, i + 1, 2)
                    entries.append((term, parse(dedent([first] + body, 2))))
                    # another term of the same list?
                    j = i
                    while j < len(lines) and lines[j].strip() == "":
                        j += 1
                    if j + 1 < len(lines) and lines[j + 1].startswith(": ") and lines[j].strip() and not lines[j].startswith((" ", "#", "-", "|", "`" * 3)):
                        term = lines[j]
                        i = j + 1
                        continue
                    break
                blocks.append(("dl", entries))
            elif para:
                blocks.append(("p", "\n".join(para)))
            else:
                raise SourceError("cannot read line %d: %r" % (i + 1, line))
    return blocks


def render(blocks, out, first_plain=False):
    """Blocks to roff lines. With first_plain, a leading paragraph carries
    on the current tagged paragraph (.TP/.IP body) instead of starting one,
    and the blocks after it are indented with .RS/.RE, as pandoc does."""
    if first_plain and blocks:
        head, rest = blocks[0], blocks[1:]
        if head[0] == "p":
            out.extend(text_lines(head[1]))
        else:
            rest = blocks
        if rest:
            out.append(".RS")
            render(rest, out)
            out.append(".RE")
        return
    for kind, value in [(b[0], b[1]) for b in blocks]:
        if kind == "h2":
            out.append('.SH "%s"' % inline(value.upper()))
        elif kind == "h3":
            out.append('.SS "%s"' % inline(value))
        elif kind == "p":
            out.append(".PP")
            out.extend(text_lines(value))
        elif kind == "code":
            out.append(".PP")
            out.append(".RS 2")
            out.append(".nf")
            for line in value:
                line = escape(line)
                out.append((r"\&" + line) if line.startswith((".", "'")) else line)
            out.append(".fi")
            out.append(".RE")
        elif kind == "dl":
            for term, body in value:
                out.append(".TP")
                out.extend(text_lines(term))
                render(body, out, first_plain=True)
        elif kind == "ul":
            for item in value:
                out.append(r".IP \(bu 2")
                render(item, out, first_plain=True)
        elif kind == "table":
            header, rows = value[0], value[1:]
            for row in rows:
                out.append(".TP")
                out.extend(text_lines(row[0]))
                rest = [c for c in row[1:]]
                parts = []
                for n, cell in enumerate(rest, start=1):
                    if not cell:
                        continue
                    if n > 1 and n < len(header) and header[n]:
                        parts.append(inline(header[n]) + ": " + inline(cell))
                    else:
                        parts.append(inline(cell))
                out.append("\n.br\n".join(parts) if parts else r"\&")
        else:
            raise SourceError("unknown block %s" % kind)


def convert(source, version, date):
    # HTML comments on lines of their own (the SPDX line) are not rendered.
    lines = [l for l in source.split("\n") if not re.fullmatch(r"\s*<!--.*-->\s*", l)]
    m = re.fullmatch(r"# ([\w.+-]+)\((\d\w*)\)\s*", lines[0])
    if not m:
        raise SourceError("the first line must be '# name(section)'")
    name, section = m.groups()
    blocks = parse(lines[1:])
    manual = "Library Functions Manual" if section.startswith("3") else "User Commands"
    out = [
        '.\\" Generated by tools/md2man.py from docs/%s.%s.md; edit that file.' % (name, section),
        '.TH "%s" "%s" "%s" "%s" "%s"' % (escape(name.upper()), section, date, escape(version), manual),
        # Options and identifiers are long words: never hyphenate them, and
        # fill without stretching the spaces.
        ".nh",
        ".ad l",
    ]
    # NAME: the plain line whatis reads, "name \- summary".
    if not blocks or blocks[0] != ("h2", "NAME") or len(blocks) < 2 or blocks[1][0] != "p":
        raise SourceError("the page must start with ## NAME and one paragraph")
    name_text = re.sub(r"[`*]", "", " ".join(blocks[1][1].split()))
    names, sep, summary = name_text.partition(" - ")
    if not sep:
        raise SourceError("the NAME paragraph must read 'name - summary'")
    out.append(".SH NAME")
    out.append(escape(names) + r" \- " + escape(summary))
    render(blocks[2:], out)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source")
    ap.add_argument("output")
    ap.add_argument("--version", default="")
    ap.add_argument("--date")
    args = ap.parse_args()
    date = args.date
    if not date:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        when = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch else datetime.datetime.now(datetime.timezone.utc)
        date = when.strftime("%Y-%m-%d")
    with open(args.source, encoding="utf-8") as f:
        source = f.read()
    try:
        page = convert(source, args.version, date)
    except SourceError as e:
        print("md2man.py: %s: %s" % (args.source, e), file=sys.stderr)
        return 1
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write(page)
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
