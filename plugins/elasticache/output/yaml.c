/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --output yaml and yaml-stream, as the AWS CLI's YAMLDumper writes them:
 * a scalar as JSON; anything else through ruamel.yaml's safe dumper, whose
 * representer sorts mapping keys and anchors a list or dict that appears
 * twice (&id001 / *id001), whose resolver (YAML 1.2 rules) decides which
 * strings would read back as something else and so must be quoted, and
 * whose C emitter (ruamel.yaml.clib's copy of libyaml 0.1.7) decides the
 * layout: block style, indentless sequences in mappings, [] and {} for
 * empty ones, plain/single/double quoting and folding at 80 columns.
 *
 * The emitter below is a port of libyaml 0.1.7's emitter.c, reduced to
 * what a safe dump of JSON values produces (no tags but "!", no
 * directives, no block scalars, no canonical form) and kept state machine
 * for state machine, so that its output is the same byte for byte.
 *
 * libyaml: Copyright (c) 2006-2016 Kirill Simonov, (c) 2017-2020 Ingy dot
 * Net; ruamel.yaml.clib: Copyright (c) 2019-2021 Anthon van der Neut,
 * Ruamel bvba. Both under the MIT licence: Permission is hereby granted,
 * free of charge, to any person obtaining a copy of this software and
 * associated documentation files (the "Software"), to deal in the Software
 * without restriction, including without limitation the rights to use,
 * copy, modify, merge, publish, distribute, sublicense, and/or sell copies
 * of the Software, and to permit persons to whom the Software is furnished
 * to do so, subject to the following conditions: The above copyright
 * notice and this permission notice shall be included in all copies or
 * substantial portions of the Software. THE SOFTWARE IS PROVIDED "AS IS",
 * WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
 * LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
 * PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT
 * HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN
 * AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
 * CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
 * SOFTWARE.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elasticache/elasticache.h"

/* ------------------------------------------------------------------ */
/* The resolver: would a plain scalar read back as a string?           */
/* ------------------------------------------------------------------ */

typedef struct cur {
    const char *p, *e;
} cur;

static bool at(cur *c, char ch)
{
    if (c->p < c->e && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

static bool one_of(cur *c, const char *set)
{
    if (c->p < c->e && *c->p && strchr(set, *c->p)) {
        c->p++;
        return true;
    }
    return false;
}

static size_t many(cur *c, const char *set)
{
    size_t n = 0;

    while (one_of(c, set))
        n++;
    return n;
}

static bool word(cur *c, const char *w)
{
    size_t n = strlen(w);

    if ((size_t)(c->e - c->p) >= n && memcmp(c->p, w, n) == 0) {
        c->p += n;
        return true;
    }
    return false;
}

#define DIGITS "0123456789"

/* [eE][-+]?[0-9]+ with the sign required when `signed_exp` */
static bool exponent(cur *c, bool signed_exp)
{
    cur s = *c;

    if (!one_of(&s, "eE"))
        return false;
    if (!one_of(&s, "-+") && signed_exp)
        return false;
    if (!many(&s, DIGITS))
        return false;
    *c = s;
    return true;
}

/* Each alternative of a resolver's regexp; they all end in '$', which in
 * Python also matches before a final newline. */
static bool ends(const cur *c)
{
    return c->p == c->e || (c->p + 1 == c->e && *c->p == '\n');
}

static bool is_float12(const char *s, size_t n)
{
    cur c0 = {s, s + n}, c;

    /* [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)? */
    c = c0;
    one_of(&c, "-+");
    if (one_of(&c, DIGITS)) {
        cur d;

        many(&c, DIGITS "_");
        d = c;
        if (at(&d, '.')) {
            many(&d, DIGITS "_");
            exponent(&d, false);
            if (ends(&d))
                return true;
        }
        /* [-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+) */
        if (exponent(&c, false) && ends(&c))
            return true;
    }
    /* [-+]?\.[0-9_]+(?:[eE][-+][0-9]+)? | [-+]?\.(?:inf|Inf|INF) */
    c = c0;
    one_of(&c, "-+");
    if (at(&c, '.')) {
        cur d = c;

        if (many(&d, DIGITS "_")) {
            exponent(&d, true);
            if (ends(&d))
                return true;
        }
        d = c;
        if ((word(&d, "inf") || word(&d, "Inf") || word(&d, "INF")) && ends(&d))
            return true;
    }
    /* \.(?:nan|NaN|NAN) */
    c = c0;
    if (at(&c, '.') &&
        (word(&c, "nan") || word(&c, "NaN") || word(&c, "NAN")) && ends(&c))
        return true;
    return false;
}

static bool is_int12(const char *s, size_t n)
{
    cur c0 = {s, s + n}, c;

    /* [-+]?0b[0-1_]+ */
    c = c0;
    one_of(&c, "-+");
    if (word(&c, "0b") && many(&c, "01_") && ends(&c))
        return true;
    /* [-+]?0o?[0-7_]+ */
    c = c0;
    one_of(&c, "-+");
    if (at(&c, '0')) {
        at(&c, 'o');
        if (many(&c, "01234567_") && ends(&c))
            return true;
    }
    /* [-+]?[0-9_]+ */
    c = c0;
    one_of(&c, "-+");
    if (many(&c, DIGITS "_") && ends(&c))
        return true;
    /* [-+]?0x[0-9a-fA-F_]+ */
    c = c0;
    one_of(&c, "-+");
    if (word(&c, "0x") && many(&c, DIGITS "abcdefABCDEF_") && ends(&c))
        return true;
    return false;
}

static bool digits_n(cur *c, int lo, int hi)
{
    int k = 0;

    while (k < hi && one_of(c, DIGITS))
        k++;
    return k >= lo;
}

static bool is_timestamp(const char *s, size_t n)
{
    cur c0 = {s, s + n}, c;

    /* [0-9]{4}-[0-9]{2}-[0-9]{2} */
    c = c0;
    if (digits_n(&c, 4, 4) && at(&c, '-') && digits_n(&c, 2, 2) &&
        at(&c, '-') && digits_n(&c, 2, 2) && ends(&c))
        return true;
    /* [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:
     * [0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))? */
    c = c0;
    if (!(digits_n(&c, 4, 4) && at(&c, '-') && digits_n(&c, 1, 2) &&
          at(&c, '-') && digits_n(&c, 1, 2)))
        return false;
    if (!one_of(&c, "Tt") && !many(&c, " \t"))
        return false;
    if (!(digits_n(&c, 1, 2) && at(&c, ':') && digits_n(&c, 2, 2) &&
          at(&c, ':') && digits_n(&c, 2, 2)))
        return false;
    if (at(&c, '.'))
        many(&c, DIGITS);
    if (ends(&c))
        return true;
    {
        cur z = c;

        many(&z, " \t");
        if (at(&z, 'Z') && ends(&z))
            return true;
        z = c;
        many(&z, " \t");
        if (one_of(&z, "-+") && digits_n(&z, 1, 2)) {
            cur m = z;

            if (ends(&z))
                return true;
            if (at(&m, ':') && digits_n(&m, 2, 2) && ends(&m))
                return true;
        }
    }
    return false;
}

/* ruamel's Resolver (the YAML 1.2 implicit resolvers, tried by the first
 * character): true when a plain `s` would read back as a string. */
static bool resolves_to_str(const char *s, size_t n)
{
    cur c = {s, s + n};
    char first = n ? s[0] : '\0';

    if (n == 0)
        return false; /* null */
    if (strchr("tTfF", first)) {
        static const char *const bools[] = {"true",  "True",  "TRUE",
                                            "false", "False", "FALSE"};
        size_t i;

        for (i = 0; i < 6; i++) {
            cur b = c;

            if (word(&b, bools[i]) && ends(&b))
                return false;
        }
    }
    if (strchr("-+0123456789.", first) && is_float12(s, n))
        return false;
    if (strchr("-+0123456789", first) && is_int12(s, n))
        return false;
    if (first == '<') {
        cur m = c;

        if (word(&m, "<<") && ends(&m))
            return false;
    }
    if (strchr("~nN", first)) {
        static const char *const nulls[] = {"~", "null", "Null", "NULL"};
        size_t i;

        for (i = 0; i < 4; i++) {
            cur b = c;

            if (word(&b, nulls[i]) && ends(&b))
                return false;
        }
    }
    if (strchr(DIGITS, first) && is_timestamp(s, n))
        return false;
    if (first == '=' || first == '!' || first == '&' || first == '*') {
        cur b = c;

        b.p++;
        if (ends(&b))
            return false; /* the value and yaml tags */
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

typedef enum evtype {
    EV_STREAM_START,
    EV_STREAM_END,
    EV_DOCUMENT_START,
    EV_DOCUMENT_END,
    EV_ALIAS,
    EV_SCALAR,
    EV_SEQUENCE_START,
    EV_SEQUENCE_END,
    EV_MAPPING_START,
    EV_MAPPING_END
} evtype;

typedef struct event {
    evtype type;
    char anchor[16]; /* "" for none */
    char *value;     /* scalar text, NUL-padded; owned */
    size_t length;
    bool plain_implicit;
    bool quoted_implicit;
} event;

typedef enum style { ST_PLAIN, ST_SINGLE, ST_DOUBLE } style;

typedef enum state {
    S_STREAM_START,
    S_FIRST_DOCUMENT_START,
    S_DOCUMENT_START,
    S_DOCUMENT_CONTENT,
    S_DOCUMENT_END,
    S_FLOW_SEQUENCE_FIRST_ITEM,
    S_FLOW_SEQUENCE_ITEM,
    S_FLOW_MAPPING_FIRST_KEY,
    S_FLOW_MAPPING_KEY,
    S_FLOW_MAPPING_SIMPLE_VALUE,
    S_FLOW_MAPPING_VALUE,
    S_BLOCK_SEQUENCE_FIRST_ITEM,
    S_BLOCK_SEQUENCE_ITEM,
    S_BLOCK_MAPPING_FIRST_KEY,
    S_BLOCK_MAPPING_KEY,
    S_BLOCK_MAPPING_SIMPLE_VALUE,
    S_BLOCK_MAPPING_VALUE,
    S_END
} state;

typedef struct emitter {
    ecp_pyout *out;
    eco_error *err;
    bool failed;
    /* the queue of events not yet emitted */
    event q[8];
    size_t qhead, qlen;
    /* the state machine */
    state st;
    state *states;
    size_t nstates, capstates;
    int *indents;
    size_t nindents, capindents;
    int indent;
    int flow_level;
    bool root_context, sequence_context, mapping_context, simple_key_context;
    int line, column;
    bool whitespace, indention, open_ended;
    int best_indent, best_width;
    /* the analysis of the head event */
    const char *anchor;
    size_t anchor_length;
    bool alias;
    const char *tag_handle; /* only ever "!" */
    size_t tag_handle_length;
    const unsigned char *value;
    size_t length;
    bool multiline, flow_plain_allowed, block_plain_allowed,
        single_quoted_allowed, block_allowed;
    style scalar_style;
} emitter;

static int fail(emitter *e, const char *problem)
{
    if (!e->failed)
        eco_fail(e->err, "%s", problem);
    e->failed = true;
    return 0;
}

static int oom(emitter *e)
{
    return fail(e, "out of memory");
}

/* ------------------------------------------------------------------ */
/* Output: PUT, PUT_BREAK, WRITE, WRITE_BREAK                          */
/* ------------------------------------------------------------------ */

typedef struct ystr {
    const unsigned char *start, *end, *pointer;
} ystr;

#define AT(s, k) ((s).pointer[k])
#define CHECK_AT(s, c, k) ((s).pointer[k] == (unsigned char)(c))
#define CHECK(s, c) CHECK_AT(s, c, 0)
#define IS_ASCII(s) ((s).pointer[0] <= 0x7F)
#define IS_PRINTABLE(s)                                                        \
    (AT(s, 0) == 0x0A || (AT(s, 0) >= 0x20 && AT(s, 0) <= 0x7E) ||             \
     (AT(s, 0) == 0xC2 && AT(s, 1) >= 0xA0) ||                                 \
     (AT(s, 0) > 0xC2 && AT(s, 0) < 0xED) ||                                   \
     (AT(s, 0) == 0xED && AT(s, 1) < 0xA0) || AT(s, 0) == 0xEE ||              \
     (AT(s, 0) == 0xEF && !(AT(s, 1) == 0xBB && AT(s, 2) == 0xBF) &&           \
      !(AT(s, 1) == 0xBF && (AT(s, 2) == 0xBE || AT(s, 2) == 0xBF))))
#define IS_BOM(s) (AT(s, 0) == 0xEF && AT(s, 1) == 0xBB && AT(s, 2) == 0xBF)
#define IS_SPACE_AT(s, k) CHECK_AT(s, ' ', k)
#define IS_SPACE(s) IS_SPACE_AT(s, 0)
#define IS_TAB_AT(s, k) CHECK_AT(s, '\t', k)
#define IS_BLANK_AT(s, k) (IS_SPACE_AT(s, k) || IS_TAB_AT(s, k))
#define IS_BREAK_AT(s, k)                                                      \
    (CHECK_AT(s, '\r', k) || CHECK_AT(s, '\n', k) ||                           \
     (CHECK_AT(s, 0xC2, k) && CHECK_AT(s, 0x85, (k) + 1)) ||                   \
     (CHECK_AT(s, 0xE2, k) && CHECK_AT(s, 0x80, (k) + 1) &&                    \
      CHECK_AT(s, 0xA8, (k) + 2)) ||                                           \
     (CHECK_AT(s, 0xE2, k) && CHECK_AT(s, 0x80, (k) + 1) &&                    \
      CHECK_AT(s, 0xA9, (k) + 2)))
#define IS_BREAK(s) IS_BREAK_AT(s, 0)
#define IS_Z_AT(s, k) CHECK_AT(s, '\0', k)
#define IS_BREAKZ_AT(s, k) (IS_BREAK_AT(s, k) || IS_Z_AT(s, k))
#define IS_BLANKZ_AT(s, k) (IS_BLANK_AT(s, k) || IS_BREAKZ_AT(s, k))
#define IS_BLANKZ(s) IS_BLANKZ_AT(s, 0)
#define WIDTH_AT(s, k)                                                         \
    ((AT(s, k) & 0x80) == 0x00   ? 1                                           \
     : (AT(s, k) & 0xE0) == 0xC0 ? 2                                           \
     : (AT(s, k) & 0xF0) == 0xE0 ? 3                                           \
     : (AT(s, k) & 0xF8) == 0xF0 ? 4                                           \
                                 : 0)
#define WIDTH(s) WIDTH_AT(s, 0)
#define MOVE(s) ((s).pointer += WIDTH(s))

static int put(emitter *e, char c)
{
    if (ecp_pyout_addc(e->out, c) != 0)
        return oom(e);
    e->column++;
    return 1;
}

static int put_break(emitter *e)
{
    if (ecp_pyout_addc(e->out, '\n') != 0)
        return oom(e);
    e->column = 0;
    e->line++;
    return 1;
}

/* Copy one character (all its bytes): one column. */
static int write_char(emitter *e, ystr *s)
{
    int w = WIDTH(*s);

    if (w == 0)
        w = 1;
    if (ecp_pyout_add(e->out, (const char *)s->pointer, (size_t)w) != 0)
        return oom(e);
    s->pointer += w;
    e->column++;
    return 1;
}

static int write_break(emitter *e, ystr *s)
{
    if (CHECK(*s, '\n')) {
        if (!put_break(e))
            return 0;
        s->pointer++;
        return 1;
    }
    if (!write_char(e, s))
        return 0;
    e->column = 0;
    e->line++;
    return 1;
}

static int write_indent(emitter *e)
{
    int indent = e->indent >= 0 ? e->indent : 0;

    if (!e->indention || e->column > indent ||
        (e->column == indent && !e->whitespace)) {
        if (!put_break(e))
            return 0;
    }
    while (e->column < indent)
        if (!put(e, ' '))
            return 0;
    e->whitespace = true;
    e->indention = true;
    return 1;
}

static int write_indicator(emitter *e, const char *indicator,
                           bool need_whitespace, bool is_whitespace,
                           bool is_indention)
{
    ystr s;

    s.start = s.pointer = (const unsigned char *)indicator;
    s.end = s.start + strlen(indicator);
    if (need_whitespace && !e->whitespace)
        if (!put(e, ' '))
            return 0;
    while (s.pointer != s.end)
        if (!write_char(e, &s))
            return 0;
    e->whitespace = is_whitespace;
    e->indention = e->indention && is_indention;
    e->open_ended = false;
    return 1;
}

static int write_raw(emitter *e, const char *text, size_t n)
{
    ystr s;

    s.start = s.pointer = (const unsigned char *)text;
    s.end = s.start + n;
    while (s.pointer != s.end)
        if (!write_char(e, &s))
            return 0;
    e->whitespace = false;
    e->indention = false;
    return 1;
}

static int write_plain_scalar(emitter *e, const unsigned char *value,
                              size_t length, bool allow_breaks)
{
    ystr s = {value, value + length, value};
    bool spaces = false, breaks = false;

    if (!e->whitespace)
        if (!put(e, ' '))
            return 0;
    while (s.pointer != s.end) {
        if (IS_SPACE(s)) {
            if (allow_breaks && !spaces && e->column > e->best_width &&
                !IS_SPACE_AT(s, 1)) {
                if (!write_indent(e))
                    return 0;
                MOVE(s);
            } else if (!write_char(e, &s)) {
                return 0;
            }
            spaces = true;
        } else if (IS_BREAK(s)) {
            if (!breaks && CHECK(s, '\n'))
                if (!put_break(e))
                    return 0;
            if (!write_break(e, &s))
                return 0;
            e->indention = true;
            breaks = true;
        } else {
            if (breaks)
                if (!write_indent(e))
                    return 0;
            if (!write_char(e, &s))
                return 0;
            e->indention = false;
            spaces = false;
            breaks = false;
        }
    }
    e->whitespace = false;
    e->indention = false;
    if (e->root_context)
        e->open_ended = true;
    return 1;
}

static int write_single_quoted(emitter *e, const unsigned char *value,
                               size_t length, bool allow_breaks)
{
    ystr s = {value, value + length, value};
    bool spaces = false, breaks = false;

    if (!write_indicator(e, "'", true, false, false))
        return 0;
    while (s.pointer != s.end) {
        if (IS_SPACE(s)) {
            if (allow_breaks && !spaces && e->column > e->best_width &&
                s.pointer != s.start && s.pointer != s.end - 1 &&
                !IS_SPACE_AT(s, 1)) {
                if (!write_indent(e))
                    return 0;
                MOVE(s);
            } else if (!write_char(e, &s)) {
                return 0;
            }
            spaces = true;
        } else if (IS_BREAK(s)) {
            if (!breaks && CHECK(s, '\n'))
                if (!put_break(e))
                    return 0;
            if (!write_break(e, &s))
                return 0;
            e->indention = true;
            breaks = true;
        } else {
            if (breaks)
                if (!write_indent(e))
                    return 0;
            if (CHECK(s, '\''))
                if (!put(e, '\''))
                    return 0;
            if (!write_char(e, &s))
                return 0;
            e->indention = false;
            spaces = false;
            breaks = false;
        }
    }
    if (breaks)
        if (!write_indent(e))
            return 0;
    if (!write_indicator(e, "'", false, false, false))
        return 0;
    e->whitespace = false;
    e->indention = false;
    return 1;
}

static int write_double_quoted(emitter *e, const unsigned char *value,
                               size_t length, bool allow_breaks)
{
    ystr s = {value, value + length, value};
    bool spaces = false;

    if (!write_indicator(e, "\"", true, false, false))
        return 0;
    while (s.pointer != s.end) {
        if (!IS_PRINTABLE(s) || IS_BOM(s) || IS_BREAK(s) || CHECK(s, '"') ||
            CHECK(s, '\\')) {
            unsigned char octet = AT(s, 0);
            unsigned int width = (octet & 0x80) == 0x00   ? 1
                                 : (octet & 0xE0) == 0xC0 ? 2
                                 : (octet & 0xF0) == 0xE0 ? 3
                                 : (octet & 0xF8) == 0xF0 ? 4
                                                          : 0;
            unsigned int v = (octet & 0x80) == 0x00   ? octet & 0x7F
                             : (octet & 0xE0) == 0xC0 ? octet & 0x1F
                             : (octet & 0xF0) == 0xE0 ? octet & 0x0F
                             : (octet & 0xF8) == 0xF0 ? octet & 0x07
                                                      : 0;
            char esc = 0;
            unsigned int k;
            int digit, sh;

            for (k = 1; k < width; k++)
                v = (v << 6) + (AT(s, k) & 0x3F);
            s.pointer += width ? width : 1;
            if (!put(e, '\\'))
                return 0;
            switch (v) {
            case 0x00:
                esc = '0';
                break;
            case 0x07:
                esc = 'a';
                break;
            case 0x08:
                esc = 'b';
                break;
            case 0x09:
                esc = 't';
                break;
            case 0x0A:
                esc = 'n';
                break;
            case 0x0B:
                esc = 'v';
                break;
            case 0x0C:
                esc = 'f';
                break;
            case 0x0D:
                esc = 'r';
                break;
            case 0x1B:
                esc = 'e';
                break;
            case 0x22:
                esc = '"';
                break;
            case 0x5C:
                esc = '\\';
                break;
            case 0x85:
                esc = 'N';
                break;
            case 0xA0:
                esc = '_';
                break;
            case 0x2028:
                esc = 'L';
                break;
            case 0x2029:
                esc = 'P';
                break;
            default:
                break;
            }
            if (esc) {
                if (!put(e, esc))
                    return 0;
            } else {
                int nd = v <= 0xFF ? 2 : v <= 0xFFFF ? 4 : 8;

                if (!put(e, v <= 0xFF ? 'x' : v <= 0xFFFF ? 'u' : 'U'))
                    return 0;
                for (sh = (nd - 1) * 4; sh >= 0; sh -= 4) {
                    digit = (int)((v >> sh) & 0x0F);
                    if (!put(e, (char)(digit + (digit < 10 ? '0' : 'A' - 10))))
                        return 0;
                }
            }
            spaces = false;
        } else if (IS_SPACE(s)) {
            if (allow_breaks && !spaces && e->column > e->best_width &&
                s.pointer != s.start && s.pointer != s.end - 1) {
                if (!write_indent(e))
                    return 0;
                if (IS_SPACE_AT(s, 1))
                    if (!put(e, '\\'))
                        return 0;
                MOVE(s);
            } else if (!write_char(e, &s)) {
                return 0;
            }
            spaces = true;
        } else {
            if (!write_char(e, &s))
                return 0;
            spaces = false;
        }
    }
    if (!write_indicator(e, "\"", false, false, false))
        return 0;
    e->whitespace = false;
    e->indention = false;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Analysis                                                            */
/* ------------------------------------------------------------------ */

static void analyze_scalar(emitter *e, const unsigned char *value,
                           size_t length)
{
    ystr s = {value, value + length, value};
    bool block_indicators = false, flow_indicators = false;
    bool line_breaks = false, special_characters = false;
    bool leading_space = false, leading_break = false;
    bool trailing_space = false, trailing_break = false;
    bool break_space = false, space_break = false;
    bool preceded_by_whitespace, followed_by_whitespace;
    bool previous_space = false, previous_break = false;

    e->value = value;
    e->length = length;
    if (length == 0) {
        e->multiline = false;
        e->flow_plain_allowed = false;
        e->block_plain_allowed = true;
        e->single_quoted_allowed = true;
        e->block_allowed = false;
        return;
    }
    if ((CHECK_AT(s, '-', 0) && CHECK_AT(s, '-', 1) && CHECK_AT(s, '-', 2)) ||
        (CHECK_AT(s, '.', 0) && CHECK_AT(s, '.', 1) && CHECK_AT(s, '.', 2))) {
        block_indicators = true;
        flow_indicators = true;
    }
    preceded_by_whitespace = true;
    followed_by_whitespace = IS_BLANKZ_AT(s, WIDTH(s));
    while (s.pointer != s.end) {
        if (s.start == s.pointer) {
            if (CHECK(s, '#') || CHECK(s, ',') || CHECK(s, '[') ||
                CHECK(s, ']') || CHECK(s, '{') || CHECK(s, '}') ||
                CHECK(s, '&') || CHECK(s, '*') || CHECK(s, '!') ||
                CHECK(s, '|') || CHECK(s, '>') || CHECK(s, '\'') ||
                CHECK(s, '"') || CHECK(s, '%') || CHECK(s, '@') ||
                CHECK(s, '`')) {
                flow_indicators = true;
                block_indicators = true;
            }
            if (CHECK(s, '?') || CHECK(s, ':')) {
                flow_indicators = true;
                if (followed_by_whitespace)
                    block_indicators = true;
            }
            if (CHECK(s, '-') && followed_by_whitespace) {
                flow_indicators = true;
                block_indicators = true;
            }
        } else {
            if (CHECK(s, ',') || CHECK(s, '?') || CHECK(s, '[') ||
                CHECK(s, ']') || CHECK(s, '{') || CHECK(s, '}'))
                flow_indicators = true;
            if (CHECK(s, ':')) {
                flow_indicators = true;
                if (followed_by_whitespace)
                    block_indicators = true;
            }
            if (CHECK(s, '#') && preceded_by_whitespace) {
                flow_indicators = true;
                block_indicators = true;
            }
        }
        /* the dumper allows unicode */
        if (!IS_PRINTABLE(s))
            special_characters = true;
        if (IS_BREAK(s))
            line_breaks = true;
        if (IS_SPACE(s)) {
            if (s.start == s.pointer)
                leading_space = true;
            if (s.pointer + WIDTH(s) == s.end)
                trailing_space = true;
            if (previous_break)
                break_space = true;
            previous_space = true;
            previous_break = false;
        } else if (IS_BREAK(s)) {
            if (s.start == s.pointer)
                leading_break = true;
            if (s.pointer + WIDTH(s) == s.end)
                trailing_break = true;
            if (previous_space)
                space_break = true;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = IS_BLANKZ(s);
        if (WIDTH(s) == 0)
            s.pointer++;
        else
            MOVE(s);
        if (s.pointer != s.end)
            followed_by_whitespace = IS_BLANKZ_AT(s, WIDTH(s));
    }
    e->multiline = line_breaks;
    e->flow_plain_allowed = true;
    e->block_plain_allowed = true;
    e->single_quoted_allowed = true;
    e->block_allowed = true;
    if (leading_space || leading_break || trailing_space || trailing_break) {
        e->flow_plain_allowed = false;
        e->block_plain_allowed = false;
    }
    if (trailing_space)
        e->block_allowed = false;
    if (break_space) {
        e->flow_plain_allowed = false;
        e->block_plain_allowed = false;
        e->single_quoted_allowed = false;
    }
    if (space_break || special_characters) {
        e->flow_plain_allowed = false;
        e->block_plain_allowed = false;
        e->single_quoted_allowed = false;
        e->block_allowed = false;
    }
    if (line_breaks) {
        e->flow_plain_allowed = false;
        e->block_plain_allowed = false;
    }
    if (flow_indicators)
        e->flow_plain_allowed = false;
    if (block_indicators)
        e->block_plain_allowed = false;
}

static void analyze_event(emitter *e, const event *ev)
{
    e->anchor = NULL;
    e->anchor_length = 0;
    e->tag_handle = NULL;
    e->tag_handle_length = 0;
    e->value = NULL;
    e->length = 0;
    switch (ev->type) {
    case EV_ALIAS:
        e->anchor = ev->anchor;
        e->anchor_length = strlen(ev->anchor);
        e->alias = true;
        break;
    case EV_SCALAR:
    case EV_SEQUENCE_START:
    case EV_MAPPING_START:
        if (ev->anchor[0]) {
            e->anchor = ev->anchor;
            e->anchor_length = strlen(ev->anchor);
            e->alias = false;
        }
        if (ev->type == EV_SCALAR)
            analyze_scalar(e, (const unsigned char *)ev->value, ev->length);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------ */
/* The state machine                                                   */
/* ------------------------------------------------------------------ */

static event *head(emitter *e, size_t k)
{
    return &e->q[(e->qhead + k) % (sizeof(e->q) / sizeof(e->q[0]))];
}

static int push_state(emitter *e, state s)
{
    if (e->nstates == e->capstates) {
        size_t cap = e->capstates ? e->capstates * 2 : 16;
        state *p = realloc(e->states, cap * sizeof(*p));

        if (!p)
            return oom(e);
        e->states = p;
        e->capstates = cap;
    }
    e->states[e->nstates++] = s;
    return 1;
}

static state pop_state(emitter *e)
{
    return e->nstates ? e->states[--e->nstates] : S_END;
}

static int increase_indent(emitter *e, bool flow, bool indentless)
{
    if (e->nindents == e->capindents) {
        size_t cap = e->capindents ? e->capindents * 2 : 16;
        int *p = realloc(e->indents, cap * sizeof(*p));

        if (!p)
            return oom(e);
        e->indents = p;
        e->capindents = cap;
    }
    e->indents[e->nindents++] = e->indent;
    if (e->indent < 0)
        e->indent = flow ? e->best_indent : 0;
    else if (!indentless)
        e->indent += e->best_indent;
    return 1;
}

static int pop_indent(emitter *e)
{
    return e->nindents ? e->indents[--e->nindents] : -1;
}

static bool check_empty_sequence(emitter *e)
{
    return e->qlen >= 2 && head(e, 0)->type == EV_SEQUENCE_START &&
           head(e, 1)->type == EV_SEQUENCE_END;
}

static bool check_empty_mapping(emitter *e)
{
    return e->qlen >= 2 && head(e, 0)->type == EV_MAPPING_START &&
           head(e, 1)->type == EV_MAPPING_END;
}

static bool check_simple_key(emitter *e)
{
    const event *ev = head(e, 0);
    size_t length = 0;

    switch (ev->type) {
    case EV_ALIAS:
        length += e->anchor_length;
        break;
    case EV_SCALAR:
        if (e->multiline)
            return false;
        length += e->anchor_length + e->tag_handle_length + e->length;
        break;
    case EV_SEQUENCE_START:
        if (!check_empty_sequence(e))
            return false;
        length += e->anchor_length + e->tag_handle_length;
        break;
    case EV_MAPPING_START:
        if (!check_empty_mapping(e))
            return false;
        length += e->anchor_length + e->tag_handle_length;
        break;
    default:
        return false;
    }
    return length <= 128;
}

static int select_scalar_style(emitter *e, const event *ev)
{
    style st = ST_PLAIN;
    bool no_tag = !e->tag_handle;

    if (no_tag && !ev->plain_implicit && !ev->quoted_implicit)
        return fail(e, "neither tag nor implicit flags are specified");
    if (e->simple_key_context && e->multiline)
        st = ST_DOUBLE;
    if (st == ST_PLAIN) {
        if ((e->flow_level && !e->flow_plain_allowed) ||
            (!e->flow_level && !e->block_plain_allowed))
            st = ST_SINGLE;
        if (!e->length && (e->flow_level || e->simple_key_context))
            st = ST_SINGLE;
        if (no_tag && !ev->plain_implicit)
            st = ST_SINGLE;
    }
    if (st == ST_SINGLE && !e->single_quoted_allowed)
        st = ST_DOUBLE;
    if (no_tag && !ev->quoted_implicit && st != ST_PLAIN) {
        e->tag_handle = "!";
        e->tag_handle_length = 1;
    }
    e->scalar_style = st;
    return 1;
}

static int process_anchor(emitter *e)
{
    if (!e->anchor)
        return 1;
    if (!write_indicator(e, e->alias ? "*" : "&", true, false, false))
        return 0;
    return write_raw(e, e->anchor, e->anchor_length);
}

static int process_tag(emitter *e)
{
    if (!e->tag_handle)
        return 1;
    if (!e->whitespace && !put(e, ' '))
        return 0;
    return write_raw(e, e->tag_handle, e->tag_handle_length);
}

static int process_scalar(emitter *e)
{
    switch (e->scalar_style) {
    case ST_PLAIN:
        return write_plain_scalar(e, e->value, e->length,
                                  !e->simple_key_context);
    case ST_SINGLE:
        return write_single_quoted(e, e->value, e->length,
                                   !e->simple_key_context);
    default:
        return write_double_quoted(e, e->value, e->length,
                                   !e->simple_key_context);
    }
}

static int emit_node(emitter *e, const event *ev, bool root, bool sequence,
                     bool mapping, bool simple_key)
{
    e->root_context = root;
    e->sequence_context = sequence;
    e->mapping_context = mapping;
    e->simple_key_context = simple_key;
    switch (ev->type) {
    case EV_ALIAS:
        if (!process_anchor(e))
            return 0;
        e->st = pop_state(e);
        return 1;
    case EV_SCALAR:
        if (!select_scalar_style(e, ev) || !process_anchor(e) ||
            !process_tag(e) || !increase_indent(e, true, false) ||
            !process_scalar(e))
            return 0;
        e->indent = pop_indent(e);
        e->st = pop_state(e);
        return 1;
    case EV_SEQUENCE_START:
        if (!process_anchor(e) || !process_tag(e))
            return 0;
        e->st = e->flow_level || check_empty_sequence(e)
                    ? S_FLOW_SEQUENCE_FIRST_ITEM
                    : S_BLOCK_SEQUENCE_FIRST_ITEM;
        return 1;
    case EV_MAPPING_START:
        if (!process_anchor(e) || !process_tag(e))
            return 0;
        e->st = e->flow_level || check_empty_mapping(e)
                    ? S_FLOW_MAPPING_FIRST_KEY
                    : S_BLOCK_MAPPING_FIRST_KEY;
        return 1;
    default:
        return fail(e, "expected SCALAR, SEQUENCE-START, MAPPING-START, or "
                       "ALIAS");
    }
}

static int flow_sequence_item(emitter *e, const event *ev, bool first)
{
    if (first) {
        if (!write_indicator(e, "[", true, true, false) ||
            !increase_indent(e, true, false))
            return 0;
        e->flow_level++;
    }
    if (ev->type == EV_SEQUENCE_END) {
        e->flow_level--;
        e->indent = pop_indent(e);
        if (!write_indicator(e, "]", false, false, false))
            return 0;
        e->st = pop_state(e);
        return 1;
    }
    if (!first && !write_indicator(e, ",", false, false, false))
        return 0;
    if (e->column > e->best_width && !write_indent(e))
        return 0;
    if (!push_state(e, S_FLOW_SEQUENCE_ITEM))
        return 0;
    return emit_node(e, ev, false, true, false, false);
}

static int flow_mapping_key(emitter *e, const event *ev, bool first)
{
    if (first) {
        if (!write_indicator(e, "{", true, true, false) ||
            !increase_indent(e, true, false))
            return 0;
        e->flow_level++;
    }
    if (ev->type == EV_MAPPING_END) {
        e->flow_level--;
        e->indent = pop_indent(e);
        if (!write_indicator(e, "}", false, false, false))
            return 0;
        e->st = pop_state(e);
        return 1;
    }
    if (!first && !write_indicator(e, ",", false, false, false))
        return 0;
    if (e->column > e->best_width && !write_indent(e))
        return 0;
    if (check_simple_key(e)) {
        if (!push_state(e, S_FLOW_MAPPING_SIMPLE_VALUE))
            return 0;
        return emit_node(e, ev, false, false, true, true);
    }
    if (!write_indicator(e, "?", true, false, false) ||
        !push_state(e, S_FLOW_MAPPING_VALUE))
        return 0;
    return emit_node(e, ev, false, false, true, false);
}

static int flow_mapping_value(emitter *e, const event *ev, bool simple)
{
    if (simple) {
        if (!write_indicator(e, ":", false, false, false))
            return 0;
    } else {
        if (e->column > e->best_width && !write_indent(e))
            return 0;
        if (!write_indicator(e, ":", true, false, false))
            return 0;
    }
    if (!push_state(e, S_FLOW_MAPPING_KEY))
        return 0;
    return emit_node(e, ev, false, false, true, false);
}

static int block_sequence_item(emitter *e, const event *ev, bool first)
{
    if (first &&
        !increase_indent(e, false, e->mapping_context && !e->indention))
        return 0;
    if (ev->type == EV_SEQUENCE_END) {
        e->indent = pop_indent(e);
        e->st = pop_state(e);
        return 1;
    }
    if (!write_indent(e) || !write_indicator(e, "-", true, false, true) ||
        !push_state(e, S_BLOCK_SEQUENCE_ITEM))
        return 0;
    return emit_node(e, ev, false, true, false, false);
}

static int block_mapping_key(emitter *e, const event *ev, bool first)
{
    if (first && !increase_indent(e, false, false))
        return 0;
    if (ev->type == EV_MAPPING_END) {
        e->indent = pop_indent(e);
        e->st = pop_state(e);
        return 1;
    }
    if (!write_indent(e))
        return 0;
    if (check_simple_key(e)) {
        if (!push_state(e, S_BLOCK_MAPPING_SIMPLE_VALUE))
            return 0;
        return emit_node(e, ev, false, false, true, true);
    }
    if (!write_indicator(e, "?", true, false, true) ||
        !push_state(e, S_BLOCK_MAPPING_VALUE))
        return 0;
    return emit_node(e, ev, false, false, true, false);
}

static int block_mapping_value(emitter *e, const event *ev, bool simple)
{
    if (simple) {
        if (!write_indicator(e, ":", false, false, false))
            return 0;
    } else {
        if (!write_indent(e) || !write_indicator(e, ":", true, false, true))
            return 0;
    }
    if (!push_state(e, S_BLOCK_MAPPING_KEY))
        return 0;
    return emit_node(e, ev, false, false, true, false);
}

static int state_machine(emitter *e, const event *ev)
{
    switch (e->st) {
    case S_STREAM_START:
        if (ev->type != EV_STREAM_START)
            return fail(e, "expected STREAM-START");
        e->best_indent = 2;
        e->best_width = 80;
        e->indent = -1;
        e->line = 0;
        e->column = 0;
        e->whitespace = true;
        e->indention = true;
        e->st = S_FIRST_DOCUMENT_START;
        return 1;
    case S_FIRST_DOCUMENT_START:
    case S_DOCUMENT_START:
        if (ev->type == EV_DOCUMENT_START) {
            /* implicit: no "---" for the first document */
            if (e->st != S_FIRST_DOCUMENT_START &&
                (!write_indent(e) ||
                 !write_indicator(e, "---", true, false, false)))
                return 0;
            e->st = S_DOCUMENT_CONTENT;
            return 1;
        }
        if (ev->type == EV_STREAM_END) {
            if (e->open_ended &&
                (!write_indicator(e, "...", true, false, false) ||
                 !write_indent(e)))
                return 0;
            e->st = S_END;
            return 1;
        }
        return fail(e, "expected DOCUMENT-START or STREAM-END");
    case S_DOCUMENT_CONTENT:
        if (!push_state(e, S_DOCUMENT_END))
            return 0;
        return emit_node(e, ev, true, false, false, false);
    case S_DOCUMENT_END:
        if (ev->type != EV_DOCUMENT_END)
            return fail(e, "expected DOCUMENT-END");
        if (!write_indent(e))
            return 0;
        e->st = S_DOCUMENT_START;
        return 1;
    case S_FLOW_SEQUENCE_FIRST_ITEM:
        return flow_sequence_item(e, ev, true);
    case S_FLOW_SEQUENCE_ITEM:
        return flow_sequence_item(e, ev, false);
    case S_FLOW_MAPPING_FIRST_KEY:
        return flow_mapping_key(e, ev, true);
    case S_FLOW_MAPPING_KEY:
        return flow_mapping_key(e, ev, false);
    case S_FLOW_MAPPING_SIMPLE_VALUE:
        return flow_mapping_value(e, ev, true);
    case S_FLOW_MAPPING_VALUE:
        return flow_mapping_value(e, ev, false);
    case S_BLOCK_SEQUENCE_FIRST_ITEM:
        return block_sequence_item(e, ev, true);
    case S_BLOCK_SEQUENCE_ITEM:
        return block_sequence_item(e, ev, false);
    case S_BLOCK_MAPPING_FIRST_KEY:
        return block_mapping_key(e, ev, true);
    case S_BLOCK_MAPPING_KEY:
        return block_mapping_key(e, ev, false);
    case S_BLOCK_MAPPING_SIMPLE_VALUE:
        return block_mapping_value(e, ev, true);
    case S_BLOCK_MAPPING_VALUE:
        return block_mapping_value(e, ev, false);
    default:
        return fail(e, "expected nothing after STREAM-END");
    }
}

/* yaml_emitter_need_more_events: the look-ahead the checks above use. */
static bool need_more_events(emitter *e)
{
    size_t accumulate, k;
    int level = 0;

    if (e->qlen == 0)
        return true;
    switch (head(e, 0)->type) {
    case EV_DOCUMENT_START:
        accumulate = 1;
        break;
    case EV_SEQUENCE_START:
        accumulate = 2;
        break;
    case EV_MAPPING_START:
        accumulate = 3;
        break;
    default:
        return false;
    }
    if (e->qlen > accumulate)
        return false;
    for (k = 0; k < e->qlen; k++) {
        switch (head(e, k)->type) {
        case EV_STREAM_START:
        case EV_DOCUMENT_START:
        case EV_SEQUENCE_START:
        case EV_MAPPING_START:
            level++;
            break;
        case EV_STREAM_END:
        case EV_DOCUMENT_END:
        case EV_SEQUENCE_END:
        case EV_MAPPING_END:
            level--;
            break;
        default:
            break;
        }
        if (!level)
            return false;
    }
    return true;
}

/* yaml_emitter_emit: the event is taken over. */
static int emit(emitter *e, event *ev)
{
    if (e->failed) {
        free(ev->value);
        return 0;
    }
    *head(e, e->qlen) = *ev;
    e->qlen++;
    while (!need_more_events(e)) {
        event *h = head(e, 0);
        int ok;

        analyze_event(e, h);
        ok = state_machine(e, h);
        free(h->value);
        e->qhead = (e->qhead + 1) % (sizeof(e->q) / sizeof(e->q[0]));
        e->qlen--;
        if (!ok)
            return 0;
    }
    return 1;
}

static void emitter_free(emitter *e)
{
    while (e->qlen) {
        free(head(e, 0)->value);
        e->qhead = (e->qhead + 1) % (sizeof(e->q) / sizeof(e->q[0]));
        e->qlen--;
    }
    free(e->states);
    free(e->indents);
}

/* ------------------------------------------------------------------ */
/* The representer and serializer                                      */
/* ------------------------------------------------------------------ */

/* Lists and dicts by identity: the anchor each gets ("" for none). */
typedef struct ident {
    const json_t *v;
    int anchor; /* 0: seen once; >0: idNNN */
    bool emitted;
} ident;

typedef struct idmap {
    ident *slots;
    size_t cap, n;
    int last;
} idmap;

static size_t hash_ptr(const void *p, size_t cap)
{
    uintptr_t x = (uintptr_t)p;

    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ULL;
    return (size_t)(x >> 7) & (cap - 1);
}

static ident *id_find(idmap *m, const json_t *v, bool add)
{
    size_t i;

    if (add && (m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64, k;
        ident *slots = calloc(cap, sizeof(*slots));

        if (!slots)
            return NULL;
        for (k = 0; k < m->cap; k++) {
            if (m->slots[k].v) {
                i = hash_ptr(m->slots[k].v, cap);
                while (slots[i].v)
                    i = (i + 1) & (cap - 1);
                slots[i] = m->slots[k];
            }
        }
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    if (!m->cap)
        return NULL;
    i = hash_ptr(v, m->cap);
    while (m->slots[i].v && m->slots[i].v != v)
        i = (i + 1) & (m->cap - 1);
    if (!m->slots[i].v) {
        if (!add)
            return NULL;
        m->slots[i].v = v;
        m->n++;
    }
    return &m->slots[i];
}

typedef struct dumper {
    emitter em;
    idmap ids;
    eco_error *err;
} dumper;

/* The serializer's _anchor_node: a list or dict met a second time in
 * this walk (keys sorted as the representer sorts them) gets the next
 * idNNN. */
static int anchor_walk(dumper *d, const json_t *v, int depth)
{
    ident *id;
    size_t i, n;

    if (!eco_is_container(v))
        return 0;
    if (depth > ECO_MAX_DEPTH) {
        eco_fail(d->err, "maximum recursion depth exceeded");
        return -1;
    }
    id = id_find(&d->ids, v, false);
    if (id) {
        if (!id->anchor)
            id->anchor = ++d->ids.last;
        return 0;
    }
    if (!id_find(&d->ids, v, true)) {
        eco_fail(d->err, "out of memory");
        return -1;
    }
    if (json_is_array(v)) {
        json_t *el;

        json_array_foreach(v, i, el)
        {
            if (anchor_walk(d, el, depth + 1) != 0)
                return -1;
        }
        return 0;
    }
    {
        eco_key *keys = eco_sorted_keys(v, &n);

        if (!keys) {
            eco_fail(d->err, "out of memory");
            return -1;
        }
        for (i = 0; i < n; i++) {
            if (anchor_walk(d, keys[i].value, depth + 1) != 0) {
                free(keys);
                return -1;
            }
        }
        free(keys);
    }
    return 0;
}

static int emit_simple(dumper *d, evtype type)
{
    event ev;

    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    return emit(&d->em, &ev) ? 0 : -1;
}

/* The representer for a scalar: its text and the resolver's verdict. */
static int emit_scalar(dumper *d, const json_t *v, const char *key,
                       size_t keylen)
{
    ecp_pyout text = {0};
    bool is_str = key || json_is_string(v);
    event ev;

    memset(&ev, 0, sizeof(ev));
    ev.type = EV_SCALAR;
    if (key) {
        ecp_pyout_add(&text, key, keylen);
    } else {
        switch (json_typeof(v)) {
        case JSON_STRING:
            ecp_pyout_add(&text, json_string_value(v), json_string_length(v));
            break;
        case JSON_TRUE:
            ecp_pyout_adds(&text, "true");
            break;
        case JSON_FALSE:
            ecp_pyout_adds(&text, "false");
            break;
        case JSON_NULL:
            ecp_pyout_adds(&text, "null");
            break;
        default:
            /* str(int); repr(float).lower() */
            eco_str(&text, v);
            break;
        }
    }
    /* NUL padding: the analysis reads a few bytes past the end, as
     * libyaml does on Python's NUL-terminated buffer. */
    ecp_pyout_add(&text, "\0\0\0\0", 4);
    if (text.failed || text.over) {
        ecp_pyout_free(&text);
        eco_fail(d->err, "out of memory");
        return -1;
    }
    ev.value = text.data;
    ev.length = text.len - 4;
    if (is_str) {
        ev.plain_implicit = resolves_to_str(ev.value, ev.length);
        ev.quoted_implicit = true;
    } else {
        /* an int, float, bool or null always reads back as itself */
        ev.plain_implicit = true;
        ev.quoted_implicit = false;
    }
    return emit(&d->em, &ev) ? 0 : -1;
}

static int serialize(dumper *d, const json_t *v, int depth)
{
    ident *id = eco_is_container(v) ? id_find(&d->ids, v, false) : NULL;
    event ev;
    size_t i, n;

    memset(&ev, 0, sizeof(ev));
    if (id && id->anchor)
        snprintf(ev.anchor, sizeof(ev.anchor), "id%03d", id->anchor);
    if (id && id->emitted) {
        ev.type = EV_ALIAS;
        return emit(&d->em, &ev) ? 0 : -1;
    }
    if (id)
        id->emitted = true;
    if (json_is_array(v)) {
        json_t *el;

        ev.type = EV_SEQUENCE_START;
        if (!emit(&d->em, &ev))
            return -1;
        json_array_foreach(v, i, el)
        {
            if (serialize(d, el, depth + 1) != 0)
                return -1;
        }
        return emit_simple(d, EV_SEQUENCE_END);
    }
    if (json_is_object(v)) {
        eco_key *keys = eco_sorted_keys(v, &n);

        if (!keys) {
            eco_fail(d->err, "out of memory");
            return -1;
        }
        ev.type = EV_MAPPING_START;
        if (!emit(&d->em, &ev)) {
            free(keys);
            return -1;
        }
        for (i = 0; i < n; i++) {
            if (emit_scalar(d, NULL, keys[i].key, keys[i].len) != 0 ||
                serialize(d, keys[i].value, depth + 1) != 0) {
                free(keys);
                return -1;
            }
        }
        free(keys);
        return emit_simple(d, EV_MAPPING_END);
    }
    return emit_scalar(d, v, NULL, 0);
}

/* ruamel's YAML(typ='safe').dump of a list or dict. */
static int yaml_dump(const json_t *v, ecp_pyout *out, eco_error *err)
{
    dumper d;
    int rc;

    memset(&d, 0, sizeof(d));
    d.err = err;
    d.em.out = out;
    d.em.err = err;
    d.em.st = S_STREAM_START;
    rc = anchor_walk(&d, v, 0);
    if (rc == 0)
        rc = emit_simple(&d, EV_STREAM_START);
    if (rc == 0)
        rc = emit_simple(&d, EV_DOCUMENT_START);
    if (rc == 0)
        rc = serialize(&d, v, 0);
    if (rc == 0)
        rc = emit_simple(&d, EV_DOCUMENT_END);
    if (rc == 0)
        rc = emit_simple(&d, EV_STREAM_END);
    emitter_free(&d.em);
    free(d.ids.slots);
    return rc;
}

/* YAMLDumper.dump: a scalar is written as JSON (json.dump with
 * ensure_ascii=False), anything else as YAML. */
static int dumper_dump(const json_t *v, ecp_pyout *out, eco_error *err)
{
    if (!eco_is_container(v)) {
        char *s = ec_json_dumps_aws(v);
        int rc;

        if (!s) {
            eco_fail(err, "out of memory");
            return -1;
        }
        rc = ecp_pyout_adds(out, s);
        free(s);
        return rc == 0 ? 0 : eco_fail_out(err, out);
    }
    return yaml_dump(v, out, err);
}

int eco_yaml(const json_t *response, ecp_pyout *out, eco_error *err)
{
    if (json_is_object(response) && json_object_size(response) == 0)
        return 0;
    return dumper_dump(response, out, err);
}

int eco_yaml_stream_item(const json_t *response, bool skip_empty,
                         ecp_pyout *out, eco_error *err)
{
    json_t *list;
    int rc;

    if (skip_empty && json_is_object(response) &&
        json_object_size(response) == 0)
        return 0;
    list = json_array();
    if (!list || json_array_append(list, (json_t *)response) != 0) {
        json_decref(list);
        eco_fail(err, "out of memory");
        return -1;
    }
    rc = dumper_dump(list, out, err);
    json_decref(list);
    return rc;
}
