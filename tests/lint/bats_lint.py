#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Find Bats assertions that cannot fail.

    /usr/bin/python3 tests/lint/bats_lint.py [PATH...]   lint .bats/.bash files
                                                         (default: tests/bats tests/lib)
    /usr/bin/python3 tests/lint/bats_lint.py --self-test  check the lint on its fixtures

Bats runs a test body under `set -e`, and bash exempts from `set -e` a
negated command, every command of an `&&`/`||` list but the last, and
every command of a pipeline but the last. An assertion in one of those
places is evaluated and then ignored. Each finding is printed as
`FILE:LINE: RULE: what`, and the exit status is 1 when there is one:

  negated-not-last  `! cmd` that is neither an if/while/until condition nor
                    the last command of its test or function: set -e ignores
                    it. Use `run ! cmd`, or `[ "$(grep -c ...)" -eq 0 ]`.
  and-hides         `a && [ ... ]`: when `a` fails the assertion is skipped
                    and so is the failure. Write two lines.
  or-hides          an assertion followed by `|| true`, `|| echo ...` or
                    anything else that cannot fail.
  pipe-hides        `[`, `[[`, `test` or `grep -q` before a `|`: only the
                    last command of a pipeline decides its status.
  status-unchecked  `run cmd` (or a helper wrapping it) whose $status,
                    $output, $lines and $stderr nothing looks at before the
                    next `run`; the same for a helper that saves an exit
                    status in NAME_status (ec, drive, ...) and NAME_status.
  no-assertion      a test with no assertion at all: no [ ], [[ ]], test,
                    grep, diff, cmp, false, assert*, `run -N`/`run !`, a
                    negated last line, python3 -c with assert/exit, awk with
                    exit, and no call of a helper that has one of these (or
                    returns non-zero) where its failure counts.
  parse             the file uses shell syntax this parser does not know:
                    a failure too, so nothing goes unchecked silently.

It is a small shell parser, not bash: it knows quoting, $( ), ${ },
here-documents, [[ ]], (( )), compound commands, functions and Bats'
@test blocks, which is what the test files use. Helpers come from the
files a .bats file loads (`load x` -> x.bash, and what those `source`).
"""

import os
import re
import sys

RULES = ("negated-not-last", "and-hides", "or-hides", "pipe-hides",
         "status-unchecked", "no-assertion")

# --------------------------------------------------------------------------
# Lexer
# --------------------------------------------------------------------------

OPERATORS = ("&&", "||", ";;", "|&", ";", "&", "|", "(", ")")
RESERVED_END = {"then", "elif", "else", "fi", "do", "done", "esac", "}", "in"}


class Tok:
    __slots__ = ("kind", "text", "line")

    def __init__(self, kind, text, line):
        self.kind = kind  # "word", "op", "nl", "redir"
        self.text = text
        self.line = line

    def __repr__(self):
        return "%s(%r@%d)" % (self.kind, self.text, self.line)


class LexError(Exception):
    pass


class Lexer:
    def __init__(self, text):
        self.s = text
        self.i = 0
        self.line = 1
        self.toks = []
        self.heredocs = []  # pending (delimiter, strip_tabs)

    def peek(self, k=0):
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def adv(self, n=1):
        for _ in range(n):
            if self.i < len(self.s) and self.s[self.i] == "\n":
                self.line += 1
            self.i += 1

    def run(self):
        while self.i < len(self.s):
            c = self.peek()
            if c in " \t":
                self.adv()
            elif c == "\\" and self.peek(1) == "\n":
                self.adv(2)
            elif c == "\n":
                self.toks.append(Tok("nl", "\n", self.line))
                self.adv()
                if self.heredocs:
                    self.read_heredocs()
            elif c == "#":
                while self.i < len(self.s) and self.peek() != "\n":
                    self.adv()
            elif c == "(" and self.peek(1) == "(":
                line = self.line
                self.toks.append(Tok("word", self.balanced("(", ")"), line))
            elif c in "<>" or (c == "&" and self.peek(1) == ">"):
                self.redirection("")
            elif c in ";&|()":
                for op in OPERATORS:
                    if self.s.startswith(op, self.i):
                        self.toks.append(Tok("op", op, self.line))
                        self.adv(len(op))
                        break
            else:
                self.word()
        self.toks.append(Tok("nl", "\n", self.line))
        return self.toks

    def redirection(self, fd):
        line = self.line
        if self.s.startswith("<<<", self.i):
            self.adv(3)
            self.toks.append(Tok("redir", fd + "<<<", line))
            self.skip_blanks()
            self.word(kind="redir-target")
            return
        if self.s.startswith("<<", self.i):
            self.adv(2)
            strip = False
            if self.peek() == "-":
                strip = True
                self.adv()
            self.skip_blanks()
            start = self.i
            self.word(kind="redir-target")
            raw = self.s[start:self.i]
            delim = re.sub(r"[\"'\\]", "", raw)
            self.heredocs.append((delim, strip))
            self.toks.append(Tok("redir", fd + "<<", line))
            return
        if c_is_procsub(self.s, self.i):
            self.word()
            return
        m = re.compile(r"&>>|&>|>>|>&|<&|<>|>\||>|<").match(self.s, self.i)
        self.adv(len(m.group(0)))
        self.toks.append(Tok("redir", fd + m.group(0), line))
        self.skip_blanks()
        if self.i < len(self.s) and self.peek() not in "\n;|&()":
            self.word(kind="redir-target")

    def skip_blanks(self):
        while self.peek() in (" ", "\t"):
            self.adv()

    def read_heredocs(self):
        for delim, strip in self.heredocs:
            while self.i < len(self.s):
                end = self.s.find("\n", self.i)
                if end < 0:
                    end = len(self.s)
                body = self.s[self.i:end]
                if strip:
                    body = body.lstrip("\t")
                self.adv(end - self.i + 1)
                if body == delim:
                    break
            else:
                raise LexError("here-document %r not terminated" % delim)
        self.heredocs = []

    def balanced(self, open_, close):
        """Text from an opening bracket to its match (quotes respected)."""
        start = self.i
        depth = 0
        while self.i < len(self.s):
            c = self.peek()
            if c == "\\":
                self.adv(2)
                continue
            if c == "'":
                self.single_quoted()
                continue
            if c == '"':
                self.double_quoted()
                continue
            if c == "`":
                self.backquoted()
                continue
            if c == open_:
                depth += 1
            elif c == close:
                depth -= 1
                if depth == 0:
                    self.adv()
                    return self.s[start:self.i]
            self.adv()
        raise LexError("unbalanced %s from line %d" % (open_, self.line))

    def single_quoted(self):
        self.adv()
        end = self.s.find("'", self.i)
        if end < 0:
            raise LexError("unterminated ' at line %d" % self.line)
        self.adv(end - self.i + 1)

    def ansi_quoted(self):  # $'...'
        self.adv(2)
        while self.i < len(self.s) and self.peek() != "'":
            self.adv(2 if self.peek() == "\\" else 1)
        self.adv()

    def backquoted(self):
        self.adv()
        while self.i < len(self.s) and self.peek() != "`":
            self.adv(2 if self.peek() == "\\" else 1)
        self.adv()

    def dollar(self):
        n = self.peek(1)
        if n == "(":
            self.adv()
            self.balanced("(", ")")
        elif n == "{":
            self.adv()
            self.balanced("{", "}")
        elif n == "'":
            self.ansi_quoted()
        else:
            self.adv()

    def double_quoted(self):
        self.adv()
        while self.i < len(self.s):
            c = self.peek()
            if c == "\\":
                self.adv(2)
            elif c == '"':
                self.adv()
                return
            elif c == "$":
                self.dollar()
            elif c == "`":
                self.backquoted()
            else:
                self.adv()
        raise LexError("unterminated \" at line %d" % self.line)

    def word(self, kind="word"):
        start, line = self.i, self.line
        while self.i < len(self.s):
            c = self.peek()
            if c in " \t\n;&|()":
                if c == "(" and self.i > start and self.s[self.i - 1] in "@?*+!":
                    self.balanced("(", ")")  # extglob @(...)
                    continue
                break
            if c in "<>":
                if c_is_procsub(self.s, self.i):
                    self.adv()
                    self.balanced("(", ")")
                    continue
                if self.i > start and self.s[start:self.i].isdigit() and kind == "word":
                    fd = self.s[start:self.i]
                    self.redirection(fd)
                    return
                break
            if c == "\\":
                if self.peek(1) == "\n":
                    self.adv(2)
                    continue
                self.adv(2)
            elif c == "'":
                self.single_quoted()
            elif c == '"':
                self.double_quoted()
            elif c == "`":
                self.backquoted()
            elif c == "$":
                self.dollar()
            else:
                self.adv()
        text = self.s[start:self.i]
        self.toks.append(Tok(kind, text, line))
        if kind == "word" and text == "[[":
            self.conditional()

    def conditional(self):
        """Inside [[ ]] operators are words: read words up to ]]."""
        while self.i < len(self.s):
            self.skip_blanks()
            c = self.peek()
            if c == "\\" and self.peek(1) == "\n":
                self.adv(2)
                continue
            if c == "\n":
                self.adv()
                continue
            start, line = self.i, self.line
            if c in "()<>&|;":
                m = re.compile(r"&&|\|\||[()<>&|;]").match(self.s, self.i)
                self.adv(len(m.group(0)))
                self.toks.append(Tok("word", m.group(0), line))
                continue
            self.word()
            if self.s[start:self.i] == "]]":
                return


def c_is_procsub(s, i):
    return s[i] in "<>" and i + 1 < len(s) and s[i + 1] == "("


# --------------------------------------------------------------------------
# Parser: a tree of lists, and-or lists, pipelines and commands
# --------------------------------------------------------------------------


class Simple:
    def __init__(self, words, line):
        self.words = words  # texts, assignments and redirections removed
        self.line = line
        self.raw = []  # every word text, for variable references

    @property
    def name(self):
        return self.words[0] if self.words else ""


class Compound:
    def __init__(self, kind, line):
        self.kind = kind  # if, while, until, for, case, group, subshell, arith
        self.line = line
        self.conds = []  # lists evaluated as conditions
        self.bodies = []  # lists run as bodies


class Pipeline:
    def __init__(self, negated, cmds, line):
        self.negated = negated
        self.cmds = cmds
        self.line = line


class AndOr:
    def __init__(self, pipes, ops):
        self.pipes = pipes
        self.ops = ops  # between pipes: "&&" or "||"

    @property
    def line(self):
        return self.pipes[0].line


class FuncDef:
    def __init__(self, name, body, line, is_test):
        self.name = name
        self.body = body  # a list of AndOr
        self.line = line
        self.is_test = is_test


class ParseError(Exception):
    pass


class Parser:
    def __init__(self, toks):
        self.toks = toks
        self.i = 0
        self.funcs = []

    def peek(self, k=0):
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else Tok("eof", "", self.toks[-1].line)

    def next(self):
        t = self.peek()
        self.i += 1
        return t

    def at_word(self, *texts):
        t = self.peek()
        return t.kind == "word" and t.text in texts

    def at_op(self, *texts):
        t = self.peek()
        return t.kind == "op" and t.text in texts

    def skip_nl(self):
        while self.peek().kind == "nl" or self.at_op(";"):
            self.next()

    def expect_word(self, text):
        t = self.next()
        if t.kind != "word" or t.text != text:
            raise ParseError("line %d: expected %r, found %r" % (t.line, text, t.text))

    def parse_file(self):
        items = self.parse_list(top=True)
        return items

    def parse_list(self, ends=(), top=False):
        items = []
        while True:
            self.skip_nl()
            t = self.peek()
            if t.kind == "eof":
                if top:
                    return items
                raise ParseError("unexpected end of file, wanted one of %s" % (ends,))
            if t.kind == "word" and t.text in ends:
                return items
            if t.kind == "op" and t.text in ends:
                return items
            if t.kind == "op" and t.text in (")", ";;"):
                raise ParseError("line %d: unexpected %r" % (t.line, t.text))
            before = self.i
            items.append(self.parse_and_or())
            if self.i == before:
                # nothing consumed: a construct this parser does not know
                raise ParseError("line %d: cannot parse %r" % (t.line, t.text))

    def parse_and_or(self):
        pipes = [self.parse_pipeline()]
        ops = []
        while self.at_op("&&", "||"):
            ops.append(self.next().text)
            while self.peek().kind == "nl":
                self.next()
            pipes.append(self.parse_pipeline())
        if self.at_op(";", "&"):
            self.next()
        return AndOr(pipes, ops)

    def parse_pipeline(self):
        line = self.peek().line
        negated = False
        while self.at_word("!"):
            self.next()
            negated = not negated
        cmds = [self.parse_command()]
        while self.at_op("|", "|&"):
            self.next()
            while self.peek().kind == "nl":
                self.next()
            cmds.append(self.parse_command())
        return Pipeline(negated, cmds, line)

    def skip_redirs(self):
        while self.peek().kind in ("redir", "redir-target"):
            self.next()

    def parse_command(self):
        t = self.peek()
        if t.kind == "op" and t.text == "(":
            self.next()
            c = Compound("subshell", t.line)
            c.bodies.append(self.parse_list(ends=(")",)))
            self.next()
            self.skip_redirs()
            return c
        if t.kind != "word":
            raise ParseError("line %d: unexpected %r" % (t.line, t.text))
        w = t.text
        if w == "if":
            return self.parse_if()
        if w in ("while", "until"):
            self.next()
            c = Compound(w, t.line)
            c.conds.append(self.parse_list(ends=("do",)))
            self.expect_word("do")
            c.bodies.append(self.parse_list(ends=("done",)))
            self.expect_word("done")
            self.skip_redirs()
            return c
        if w in ("for", "select"):
            self.next()
            c = Compound("for", t.line)
            while not (self.at_word("do") or self.at_word("{")):
                self.next()
            if self.at_word("{"):
                self.next()
                c.bodies.append(self.parse_list(ends=("}",)))
                self.expect_word("}")
            else:
                self.expect_word("do")
                c.bodies.append(self.parse_list(ends=("done",)))
                self.expect_word("done")
            self.skip_redirs()
            return c
        if w == "case":
            return self.parse_case()
        if w == "coproc":
            # coproc [NAME] COMMAND: NAME only before a compound command
            self.next()
            nxt = self.peek(1)
            if self.peek().kind == "word" and (
                    (nxt.kind == "word" and nxt.text == "{") or
                    (nxt.kind == "op" and nxt.text == "(")):
                self.next()
            return self.parse_command()
        if w == "{":
            self.next()
            c = Compound("group", t.line)
            c.bodies.append(self.parse_list(ends=("}",)))
            self.expect_word("}")
            self.skip_redirs()
            return c
        if w.startswith("((") and w.endswith("))"):
            self.next()
            self.skip_redirs()
            return Compound("arith", t.line)
        if w == "function":
            self.next()
            name = self.next().text
            if self.at_op("("):
                self.next()
                self.next()
            return self.parse_funcdef(name, t.line, False)
        if w == "@test":
            self.next()
            name = self.next().text.strip("\"'")
            return self.parse_funcdef(name, t.line, True)
        if self.peek(1).kind == "op" and self.peek(1).text == "(" and \
                self.peek(2).kind == "op" and self.peek(2).text == ")":
            self.next()
            self.next()
            self.next()
            return self.parse_funcdef(w, t.line, False)
        return self.parse_simple()

    def parse_funcdef(self, name, line, is_test):
        while self.peek().kind == "nl":
            self.next()
        body_cmd = self.parse_command()
        self.skip_redirs()
        body = body_cmd.bodies[0] if isinstance(body_cmd, Compound) and body_cmd.bodies else []
        f = FuncDef(name, body, line, is_test)
        self.funcs.append(f)
        return f

    def parse_if(self):
        t = self.next()
        c = Compound("if", t.line)
        c.conds.append(self.parse_list(ends=("then",)))
        self.expect_word("then")
        c.bodies.append(self.parse_list(ends=("elif", "else", "fi")))
        while True:
            w = self.next()
            if w.text == "elif":
                c.conds.append(self.parse_list(ends=("then",)))
                self.expect_word("then")
                c.bodies.append(self.parse_list(ends=("elif", "else", "fi")))
            elif w.text == "else":
                c.bodies.append(self.parse_list(ends=("fi",)))
            elif w.text == "fi":
                break
            else:
                raise ParseError("line %d: unexpected %r in if" % (w.line, w.text))
        self.skip_redirs()
        return c

    def parse_case(self):
        t = self.next()
        c = Compound("case", t.line)
        self.next()  # the word
        while self.peek().kind == "nl":
            self.next()
        self.expect_word("in")
        while True:
            self.skip_nl()
            if self.at_word("esac"):
                self.next()
                break
            while not self.at_op(")"):
                if self.peek().kind == "eof":
                    raise ParseError("line %d: unterminated case" % t.line)
                self.next()
            self.next()
            c.bodies.append(self.parse_list(ends=(";;", "esac")))
            if self.at_op(";;"):
                self.next()
        self.skip_redirs()
        return c

    def parse_simple(self):
        line = self.peek().line
        words, raw = [], []
        while True:
            t = self.peek()
            if t.kind == "word":
                if not words and t.text in RESERVED_END:
                    break
                raw.append(t.text)
                if not words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=", t.text):
                    self.next()  # an assignment before the command
                    continue
                words.append(t.text)
                self.next()
            elif t.kind in ("redir", "redir-target"):
                raw.append(t.text)
                self.next()
            else:
                break
        s = Simple(words, line)
        s.raw = raw
        return s


# --------------------------------------------------------------------------
# Analysis
# --------------------------------------------------------------------------


def unquote(w):
    return re.sub(r"[\"']", "", w)


BUILTIN_ASSERT = {"[", "[[", "test", "diff", "cmp", "false", "fail"}


def simple_asserts(cmd):
    """Is this simple command an assertion in its own right?"""
    if not isinstance(cmd, Simple) or not cmd.words:
        return False
    name = unquote(cmd.words[0])
    base = os.path.basename(name)
    if name in BUILTIN_ASSERT or base.startswith("assert"):
        return True
    if base == "grep":
        return True
    if name == "run":
        return run_expects(cmd)
    if name == "kill" and len(cmd.words) > 1 and cmd.words[1] == "-0":
        return True
    if base.startswith("python3") and "-c" in cmd.words:
        code = cmd.words[cmd.words.index("-c") + 1:][:1]
        return bool(code and re.search(r"\bassert\b|\bexit\(", code[0]))
    if base == "awk":
        return any(re.search(r"\bexit\b", w) for w in cmd.words[1:])
    return False


def run_expects(cmd):
    """`run -N cmd` or `run ! cmd`: run itself fails on the wrong status."""
    for w in cmd.words[1:]:
        if w == "!" or re.match(r"^-\d+$", w):
            return True
        if w == "--" or not w.startswith("-"):
            return False
    return False


def grep_quiet(cmd):
    return isinstance(cmd, Simple) and cmd.words and os.path.basename(unquote(cmd.name)) == "grep" and \
        any(re.match(r"^-[A-Za-z]*q", w) or w == "--quiet" for w in cmd.words[1:])


def walk_simple(items):
    """Every simple command under a list, in source order."""
    for ao in items:
        for p in ao.pipes:
            for c in p.cmds:
                yield from walk_cmd(c)


def walk_cmd(c):
    if isinstance(c, Simple):
        yield c
    elif isinstance(c, Compound):
        parts = []
        if c.kind == "if":
            for k, cond in enumerate(c.conds):
                parts.append(cond)
                if k < len(c.bodies):
                    parts.append(c.bodies[k])
            parts.extend(c.bodies[len(c.conds):])
        else:
            parts = c.conds + c.bodies
        for lst in parts:
            yield from walk_simple(lst)


RUN_VARS = re.compile(r"\$\{?#?(status|output|lines|stderr|stderr_lines)\b")


class Linter:
    def __init__(self, repo):
        self.repo = repo
        self.findings = []
        self.parsed = {}

    def report(self, path, line, rule, msg):
        self.findings.append((path, line, rule, msg))

    # -- files and helpers -------------------------------------------------
    def parse(self, path):
        if path in self.parsed:
            return self.parsed[path]
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        try:
            toks = Lexer(text).run()
            p = Parser(toks)
            top = p.parse_file()
        except (LexError, ParseError) as e:
            self.report(path, 0, "parse", str(e))
            self.parsed[path] = ([], [])
            return self.parsed[path]
        self.parsed[path] = (top, p.funcs)
        return self.parsed[path]

    def loaded(self, path, seen=None):
        """Files a .bats or .bash file loads or sources, transitively."""
        seen = seen if seen is not None else []
        if path in seen or not os.path.exists(path):
            return seen
        seen.append(path)
        top, _ = self.parse(path)
        here = os.path.dirname(path)
        for cmd in walk_simple(top):
            if cmd.name in ("load", "source", ".") and len(cmd.words) > 1:
                arg = unquote(cmd.words[1])
                arg = arg.replace("${EC_REPO}", self.repo).replace("$EC_REPO", self.repo)
                if "$" in arg:
                    continue
                cand = os.path.join(here, arg)
                if cmd.name == "load" and not cand.endswith(".bash"):
                    cand += ".bash"
                self.loaded(os.path.normpath(cand), seen)
        # functions defined inside functions (setup_file: load ...) too
        for f in self.parse(path)[1]:
            for cmd in walk_simple(f.body):
                if cmd.name == "load" and len(cmd.words) > 1:
                    cand = os.path.normpath(os.path.join(here, unquote(cmd.words[1]) + ".bash"))
                    self.loaded(cand, seen)
        return seen

    def function_table(self, path):
        """name -> FuncDef, the file's own definitions winning over loaded ones."""
        table = {}
        for f in reversed(self.loaded(path)):
            for fn in self.parse(f)[1]:
                if not fn.is_test:
                    table[fn.name] = fn
        return table

    # -- what a helper function does ---------------------------------------
    def classify(self, table):
        """asserting: the functions that assert. wrappers: name -> what a
        caller must look at afterwards: "run" for a function that leaves a
        `run` unchecked, or the NAME_status variable it saves."""
        asserting = set()
        wrappers = {}
        for name, fn in table.items():
            cmds = list(walk_simple(fn.body))
            for k, cmd in enumerate(cmds):
                for w in cmd.raw:
                    m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*_status)=", w)
                    # a status the helper checks itself is not left to
                    # its callers
                    if m and not any(
                            later.name not in ("echo", "printf") and
                            any(re.search(r"\$\{?%s\b" % m.group(1), x)
                                for x in later.raw)
                            for later in cmds[k + 1:]):
                        wrappers[name] = m.group(1)
            # a run whose result the function leaves to its caller
            last_run = None
            for cmd in cmds:
                if cmd.name == "run" and not run_expects(cmd):
                    last_run = cmd
                elif last_run is not None and self.looks_at_run(cmd):
                    last_run = None
            if last_run is not None and name not in wrappers:
                wrappers[name] = "run"
        changed = True
        while changed:
            changed = False
            for name, fn in table.items():
                if name in asserting:
                    continue
                if self.body_asserts(fn.body, asserting):
                    asserting.add(name)
                    changed = True
        return asserting, wrappers

    def looks_at_run(self, cmd):
        if cmd.name in ("echo", "printf"):
            return False
        return any(RUN_VARS.search(w) for w in cmd.raw)

    def body_asserts(self, items, asserting, tail=True):
        """Does this list contain an assertion whose failure fails it?"""
        for k, ao in enumerate(items):
            is_tail = tail and k == len(items) - 1
            for j, p in enumerate(ao.pipes):
                last_in_list = j == len(ao.pipes) - 1
                if p.negated:
                    if is_tail:
                        return True
                    continue
                cmd = p.cmds[-1]
                if not last_in_list and not is_tail:
                    continue
                if j + 1 < len(ao.pipes) and ao.ops[j] == "||" and not self.can_fail(ao.pipes[j + 1], asserting):
                    continue
                if isinstance(cmd, Simple):
                    if simple_asserts(cmd) or unquote(cmd.name) in asserting:
                        return True
                    if cmd.name in ("return", "exit") and len(cmd.words) > 1 and cmd.words[1] != "0":
                        return True
                elif isinstance(cmd, Compound):
                    for body in cmd.bodies:
                        if self.body_asserts(body, asserting, tail=False):
                            return True
        return False

    def can_fail(self, pipe, asserting):
        """Can the right side of `x || RIGHT` fail, or does it at least
        change the flow (return, exit, break, skip)? `|| true`, `|| :` and
        `|| echo ...` do neither: they swallow x's failure."""
        if pipe.negated:
            return True
        cmd = pipe.cmds[-1]
        if isinstance(cmd, Simple):
            return unquote(cmd.name) not in ("true", ":", "echo", "printf")
        if isinstance(cmd, Compound) and cmd.kind in ("group", "subshell") and cmd.bodies:
            body = cmd.bodies[0]
            if not body:
                return False
            return self.can_fail(body[-1].pipes[-1], asserting)
        return True

    # -- the rules ---------------------------------------------------------
    def check_body(self, path, fn, asserting, wrappers):
        self.check_list(path, fn.body, tail=True, cond=False, asserting=asserting)
        if fn.is_test:
            self.check_results(path, fn, wrappers)
            if not self.body_asserts(fn.body, asserting):
                self.report(path, fn.line, "no-assertion",
                            "test %r asserts nothing that can fail it" % fn.name)

    def check_list(self, path, items, tail, cond, asserting):
        for k, ao in enumerate(items):
            is_tail = tail and k == len(items) - 1
            for j, p in enumerate(ao.pipes):
                if p.negated and not cond and not is_tail:
                    self.report(path, p.line, "negated-not-last",
                                "`! %s` is not the last command: set -e ignores it "
                                "(use `run ! ...` or assert on a count)" % describe(p.cmds[0]))
                if j > 0 and ao.ops[j - 1] == "&&" and not cond and not is_tail and \
                        self.pipe_asserts(p, asserting) and self.pipe_asserts(ao.pipes[-1], asserting):
                    self.report(path, p.line, "and-hides",
                                "`... && %s`: when the left side fails, this assertion is "
                                "skipped and nothing fails" % describe(p.cmds[-1]))
                if j + 1 < len(ao.pipes) and ao.ops[j] == "||" and not cond and \
                        self.pipe_asserts(p, asserting) and not self.can_fail(ao.pipes[j + 1], asserting):
                    self.report(path, p.line, "or-hides",
                                "`%s || %s`: the assertion's failure is swallowed" %
                                (describe(p.cmds[-1]), describe(ao.pipes[j + 1].cmds[-1])))
                for c in p.cmds[:-1]:
                    if isinstance(c, Simple) and (c.name in ("[", "[[", "test") or grep_quiet(c)):
                        self.report(path, c.line, "pipe-hides",
                                    "`%s` before a `|`: only the pipeline's last command "
                                    "decides its status" % describe(c))
                for c in p.cmds:
                    if isinstance(c, Compound):
                        for cl in c.conds:
                            self.check_list(path, cl, tail=False, cond=True, asserting=asserting)
                        body_tail = is_tail and c.kind in ("if", "group", "subshell", "case")
                        for b in c.bodies:
                            self.check_list(path, b, tail=body_tail, cond=False, asserting=asserting)

    def pipe_asserts(self, p, asserting):
        cmd = p.cmds[-1]
        return isinstance(cmd, Simple) and (simple_asserts(cmd) or unquote(cmd.name) in asserting)

    def check_results(self, path, fn, wrappers):
        """status-unchecked: a captured status/output nobody looks at."""
        cmds = list(walk_simple(fn.body))
        for k, cmd in enumerate(cmds):
            kind = None
            if cmd.name == "run" and not run_expects(cmd):
                kind = "run"
            elif cmd.name in wrappers:
                kind = wrappers[cmd.name]
            if kind is None:
                continue
            seen = False
            for later in cmds[k + 1:]:
                if kind == "run":
                    if self.looks_at_run(later):
                        seen = True
                        break
                    if later.name == "run" or wrappers.get(later.name) == "run":
                        break
                else:
                    if later.name not in ("echo", "printf") and \
                            any(re.search(r"\$\{?%s\b" % kind, w) for w in later.raw):
                        seen = True
                        break
                    if wrappers.get(later.name) == kind:
                        break
            if not seen:
                what = "$status/$output" if kind == "run" else "$" + kind
                self.report(path, cmd.line, "status-unchecked",
                            "`%s`: nothing looks at %s afterwards" % (describe(cmd), what))

    def lint_file(self, path):
        top, funcs = self.parse(path)
        table = self.function_table(path)
        asserting, wrappers = self.classify(table)
        for fn in funcs:
            self.check_body(path, fn, asserting, wrappers)


def describe(cmd):
    if isinstance(cmd, Simple):
        text = " ".join(cmd.words)
        return text if len(text) <= 60 else text[:57] + "..."
    if isinstance(cmd, Compound):
        return cmd.kind + " ..."
    return "..."


def collect(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                if os.path.basename(root) == "fixtures" and "lint" in root:
                    dirs[:] = []
                    continue
                for f in sorted(files):
                    if f.endswith((".bats", ".bash")):
                        out.append(os.path.join(root, f))
        else:
            out.append(p)
    return out


def lint(paths, repo):
    linter = Linter(repo)
    for path in collect(paths):
        linter.lint_file(path)
    return sorted(set(linter.findings))


# --------------------------------------------------------------------------
# Self-test: the fixtures mark each line that must be reported with
# `# lint: RULE` (several rules: `# lint: RULE RULE`); nothing else may be.
# --------------------------------------------------------------------------


def self_test(here, repo):
    fixtures = os.path.join(here, "fixtures")
    files = sorted(os.path.join(fixtures, f) for f in os.listdir(fixtures) if f.endswith((".bats", ".bash")))
    want = set()
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                m = re.search(r"#\s*lint:\s*(.*)$", line)
                if m:
                    for rule in m.group(1).split():
                        if rule not in RULES:
                            print("%s:%d: unknown rule %r in a fixture" % (f, n, rule))
                            return 1
                        want.add((f, n, rule))
    linter = Linter(repo)
    for f in files:
        linter.lint_file(f)
    got = {(p, n, r) for p, n, r, _ in linter.findings}
    ok = True
    for miss in sorted(want - got):
        print("%s:%d: expected %s, not reported" % miss)
        ok = False
    for extra in sorted(got - want):
        print("%s:%d: reported %s, not expected" % extra)
        ok = False
    rules_covered = {r for _, _, r in want}
    for r in RULES:
        if r not in rules_covered:
            print("self-test: no fixture exercises %s" % r)
            ok = False
    if ok:
        print("bats_lint self-test: %d expected findings in %d fixture files, all reported, nothing else"
              % (len(want), len(files)))
    return 0 if ok else 1


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    if argv[1:2] == ["--self-test"]:
        return self_test(here, repo)
    if argv[1:2] in (["-h"], ["--help"]):
        print(__doc__.strip())
        return 0
    paths = argv[1:] or [os.path.join(repo, "tests", d) for d in ("bats", "lib", "packaging")]
    findings = lint(paths, repo)
    for path, line, rule, msg in findings:
        print("%s:%d: %s: %s" % (os.path.relpath(path), line, rule, msg))
    n = len(collect(paths))
    if findings:
        print("bats_lint: %d finding(s) in %d files" % (len(findings), n))
        return 1
    print("bats_lint: %d files, no assertion that cannot fail" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
