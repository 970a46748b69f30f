/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath lexer, following jmespath/lexer.py step by step: positions are
 * code points (Python's string indices), literals go through json.loads
 * with the JEP-12 fallback, and the error messages are LexerError's.
 */
#include "jp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lexer {
    const char *s;
    size_t len;
    size_t pos;    /* byte offset of the current character */
    size_t col;    /* its index in code points */
    size_t ncp;    /* code points in the expression */
    int32_t cur;   /* the current code point, -1 past the end (None) */
    size_t curlen; /* bytes of the current character */
    ecp_jp_tokens *out;
    ecp_jp_error *err;
} lexer;

static void load(lexer *l)
{
    size_t i = l->pos;

    l->cur = (int32_t)ecp_utf8_next(l->s, l->len, &i);
    l->curlen = i - l->pos;
}

/* Lexer._next: at the last character the position stays put and the
 * current character becomes None. */
static int32_t next(lexer *l)
{
    if (l->cur < 0)
        return -1;
    if (l->pos + l->curlen >= l->len) {
        l->cur = -1;
    } else {
        l->pos += l->curlen;
        l->col++;
        load(l);
    }
    return l->cur;
}

/* LexerError: 'Bad jmespath expression: %s:\n%s\n%s' % (message,
 * expression, ' ' * position + '^'). */
static int lex_error(lexer *l, size_t offset, size_t column, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));

static int lex_error(lexer *l, size_t offset, size_t column, const char *fmt,
                     ...)
{
    ecp_pyout m = {0};
    char small[256];
    va_list ap;
    size_t i;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    ecp_pyout_adds(&m, "Bad jmespath expression: ");
    if (n >= 0 && (size_t)n < sizeof(small)) {
        ecp_pyout_add(&m, small, (size_t)n);
    } else if (n >= 0) {
        char *big = malloc((size_t)n + 1);

        if (big) {
            va_start(ap, fmt);
            vsnprintf(big, (size_t)n + 1, fmt, ap);
            va_end(ap);
            ecp_pyout_add(&m, big, (size_t)n);
            free(big);
        } else {
            m.failed = true;
        }
    }
    ecp_pyout_adds(&m, ":\n");
    ecp_pyout_add(&m, l->s, l->len);
    ecp_pyout_addc(&m, '\n');
    for (i = 0; i < column; i++)
        ecp_pyout_addc(&m, ' ');
    ecp_pyout_addc(&m, '^');
    l->err->offset = offset;
    l->err->column = column;
    ecp_jp_fail_msg(l->err, JK_SYNTAX, &m);
    return -1;
}

static ecp_jp_token *push(lexer *l, ecp_jp_tok type, size_t start,
                          size_t column)
{
    ecp_jp_tokens *t = l->out;
    ecp_jp_token *tok;

    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        ecp_jp_token *p = realloc(t->items, cap * sizeof(*p));

        if (!p) {
            ecp_jp_nomem(l->err);
            return NULL;
        }
        t->items = p;
        t->cap = cap;
    }
    tok = &t->items[t->count++];
    memset(tok, 0, sizeof(*tok));
    tok->type = type;
    tok->start = start;
    tok->column = column;
    return tok;
}

static int simple(lexer *l, ecp_jp_tok type)
{
    if (!push(l, type, l->pos, l->col))
        return -1;
    next(l);
    return 0;
}

static bool is_start_ident(int32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident(int32_t c)
{
    return is_start_ident(c) || (c >= '0' && c <= '9');
}

static bool is_digit(int32_t c)
{
    return c >= '0' && c <= '9';
}

/* _consume_until: the text between the delimiters, escapes kept (a
 * backslash and the character after it are both copied). */
static int consume_until(lexer *l, int32_t delim, size_t *from, size_t *to)
{
    size_t start = l->pos, scol = l->col;

    next(l);
    *from = l->pos;
    while (l->cur != delim) {
        if (l->cur == '\\')
            next(l);
        if (l->cur < 0)
            return lex_error(l, start, scol, "Unclosed %c delimiter",
                             (char)delim);
        next(l);
    }
    *to = l->pos;
    next(l);
    return 0;
}

/* text with every `esc` + `ch` pair replaced by `ch` (str.replace). */
static char *unescape(const char *s, size_t len, char ch, size_t *outlen)
{
    char *r = malloc(len + 1);
    size_t i, n = 0;

    if (!r)
        return NULL;
    for (i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len && s[i + 1] == ch) {
            r[n++] = ch;
            i++;
        } else {
            r[n++] = s[i];
        }
    }
    r[n] = '\0';
    *outlen = n;
    return r;
}

static int literal(lexer *l)
{
    size_t start = l->pos, scol = l->col, from, to, n;
    ecp_jp_token *tok;
    ecp_pyout q = {0};
    json_t *v = NULL;
    char *lexeme;
    int rc;

    if (consume_until(l, '`', &from, &to) != 0)
        return -1;
    lexeme = unescape(l->s + from, to - from, '`', &n);
    if (!lexeme) {
        ecp_jp_nomem(l->err);
        return -1;
    }
    rc = ecp_jp_json_loads(lexeme, n, &v, l->err);
    if (rc == 1) {
        /* Not JSON: JEP-12's deprecated form, loads('"%s"' %
         * lexeme.lstrip()). */
        ecp_pyout str = {0};
        const char *why;
        size_t k = 0;

        while (k < n) {
            size_t at = k;

            if (!ecp_py_isspace(ecp_utf8_next(lexeme, n, &k))) {
                k = at;
                break;
            }
        }
        if (ecp_pyout_addc(&q, '"') != 0 ||
            ecp_pyout_add(&q, lexeme + k, n - k) != 0 ||
            ecp_pyout_addc(&q, '"') != 0) {
            ecp_pyout_free(&q);
            free(lexeme);
            ecp_jp_nomem(l->err);
            return -1;
        }
        rc = ecp_jp_json_string(q.data, q.len, &str, &why);
        if (rc != 0) {
            ecp_pyout_free(&q);
            ecp_pyout_free(&str);
            if (rc > 0)
                rc = lex_error(l, start, scol,
                               "JSON literal holds a lone surrogate "
                               "(\\uD800-\\uDFFF), which JSON output "
                               "cannot carry");
            else if (!why)
                ecp_jp_nomem(l->err);
            else
                rc =
                    lex_error(l, start, scol, "Bad token %.*s", (int)n, lexeme);
            free(lexeme);
            return -1;
        }
        ecp_pyout_free(&q);
        v = json_stringn(str.data ? str.data : "", str.len);
        ecp_pyout_free(&str);
        if (!v) {
            free(lexeme);
            ecp_jp_nomem(l->err);
            return -1;
        }
    } else if (rc != 0) {
        free(lexeme);
        if (l->err->offset == SIZE_MAX) {
            l->err->offset = start;
            l->err->column = scol;
        }
        return -1;
    }
    free(lexeme);
    tok = push(l, JT_LITERAL, start, scol);
    if (!tok) {
        json_decref(v);
        return -1;
    }
    tok->lit = v;
    return 0;
}

static int raw_string(lexer *l)
{
    size_t start = l->pos, scol = l->col, from, to, n;
    ecp_jp_token *tok;
    char *text;
    json_t *v;

    if (consume_until(l, '\'', &from, &to) != 0)
        return -1;
    text = unescape(l->s + from, to - from, '\'', &n);
    if (!text) {
        ecp_jp_nomem(l->err);
        return -1;
    }
    v = json_stringn(text, n);
    free(text);
    if (!v) {
        ecp_jp_nomem(l->err);
        return -1;
    }
    tok = push(l, JT_LITERAL, start, scol);
    if (!tok) {
        json_decref(v);
        return -1;
    }
    tok->lit = v;
    return 0;
}

static int quoted_identifier(lexer *l)
{
    size_t start = l->pos, scol = l->col, from, to;
    ecp_pyout q = {0}, name = {0};
    ecp_jp_token *tok;
    const char *why;
    int rc;

    if (consume_until(l, '"', &from, &to) != 0)
        return -1;
    if (ecp_pyout_addc(&q, '"') != 0 ||
        ecp_pyout_add(&q, l->s + from, to - from) != 0 ||
        ecp_pyout_addc(&q, '"') != 0) {
        ecp_pyout_free(&q);
        ecp_jp_nomem(l->err);
        return -1;
    }
    rc = ecp_jp_json_string(q.data, q.len, &name, &why);
    if (rc != 0) {
        ecp_pyout_free(&q);
        ecp_pyout_free(&name);
        if (rc > 0)
            return lex_error(l, start, scol,
                             "Lone surrogate escapes (\\uD800-\\uDFFF) "
                             "are not supported");
        if (!why) {
            ecp_jp_nomem(l->err);
            return -1;
        }
        /* str(ValueError).split(':')[0] */
        return lex_error(l, start, scol, "%s", why);
    }
    ecp_pyout_free(&q);
    tok = push(l, JT_QUOTED_IDENTIFIER, start, scol);
    if (!tok) {
        ecp_pyout_free(&name);
        return -1;
    }
    if (!name.data && ecp_pyout_add(&name, "", 0) != 0) {
        ecp_jp_nomem(l->err);
        return -1;
    }
    tok->str = name.data;
    tok->str_len = name.len;
    return 0;
}

static int number(lexer *l, size_t start, size_t scol, bool neg)
{
    ecp_jp_token *tok;
    int64_t v = 0;

    /* Python's int is unbounded: saturate far beyond any list length,
     * which keeps indexing and slicing answers the same. */
    while (is_digit(l->cur)) {
        if (v <= ((int64_t)1 << 62) / 10)
            v = v * 10 + (l->cur - '0');
        else
            v = (int64_t)1 << 62;
        next(l);
    }
    tok = push(l, JT_NUMBER, start, scol);
    if (!tok)
        return -1;
    tok->num = neg ? -v : v;
    tok->end = l->cur < 0 ? l->len : l->pos;
    return 0;
}

static int match_or_else(lexer *l, int32_t expected, ecp_jp_tok match,
                         ecp_jp_tok otherwise)
{
    size_t start = l->pos, scol = l->col;

    if (next(l) == expected) {
        next(l);
        return push(l, match, start, scol) ? 0 : -1;
    }
    return push(l, otherwise, start, scol) ? 0 : -1;
}

static int lex_one(lexer *l)
{
    size_t start = l->pos, scol = l->col;
    int32_t c = l->cur;

    switch (c) {
    case '.':
        return simple(l, JT_DOT);
    case '*':
        return simple(l, JT_STAR);
    case ']':
        return simple(l, JT_RBRACKET);
    case ',':
        return simple(l, JT_COMMA);
    case ':':
        return simple(l, JT_COLON);
    case '@':
        return simple(l, JT_CURRENT);
    case '(':
        return simple(l, JT_LPAREN);
    case ')':
        return simple(l, JT_RPAREN);
    case '{':
        return simple(l, JT_LBRACE);
    case '}':
        return simple(l, JT_RBRACE);
    case ' ':
    case '\t':
    case '\n':
    case '\r':
        next(l);
        return 0;
    case '[':
        c = next(l);
        if (c == ']') {
            next(l);
            return push(l, JT_FLATTEN, start, scol) ? 0 : -1;
        }
        if (c == '?') {
            next(l);
            return push(l, JT_FILTER, start, scol) ? 0 : -1;
        }
        return push(l, JT_LBRACKET, start, scol) ? 0 : -1;
    case '\'':
        return raw_string(l);
    case '|':
        return match_or_else(l, '|', JT_OR, JT_PIPE);
    case '&':
        return match_or_else(l, '&', JT_AND, JT_EXPREF);
    case '`':
        return literal(l);
    case '-':
        next(l);
        if (!is_digit(l->cur))
            return lex_error(l, start, scol, "Unknown token '-'");
        return number(l, start, scol, true);
    case '"':
        return quoted_identifier(l);
    case '<':
        return match_or_else(l, '=', JT_LTE, JT_LT);
    case '>':
        return match_or_else(l, '=', JT_GTE, JT_GT);
    case '!':
        return match_or_else(l, '=', JT_NE, JT_NOT);
    case '=':
        if (next(l) == '=') {
            next(l);
            return push(l, JT_EQ, start, scol) ? 0 : -1;
        }
        return lex_error(l, start, scol, "Unknown token '='");
    default:
        break;
    }
    if (is_start_ident(c)) {
        ecp_jp_token *tok;
        size_t from = l->pos, to;

        while (next(l) >= 0 && is_ident(l->cur))
            ;
        to = l->cur < 0 ? l->len : l->pos;
        tok = push(l, JT_UNQUOTED_IDENTIFIER, start, scol);
        if (!tok)
            return -1;
        tok->str = malloc(to - from + 1);
        if (!tok->str) {
            ecp_jp_nomem(l->err);
            return -1;
        }
        memcpy(tok->str, l->s + from, to - from);
        tok->str[to - from] = '\0';
        tok->str_len = to - from;
        return 0;
    }
    if (is_digit(c))
        return number(l, start, scol, false);
    return lex_error(l, start, scol, "Unknown token %.*s", (int)l->curlen,
                     l->s + l->pos);
}

int ecp_jp_lex(const char *expr, size_t len, ecp_jp_tokens *out,
               ecp_jp_error *err)
{
    lexer l = {0};

    memset(out, 0, sizeof(*out));
    l.s = expr;
    l.len = len;
    l.out = out;
    l.err = err;
    if (len == 0) {
        err->offset = 0;
        err->column = 0;
        ecp_jp_fail(err, JK_SYNTAX,
                    "Invalid JMESPath expression: cannot be empty.");
        return -1;
    }
    if (!ecp_utf8_valid(expr, len)) {
        size_t bad = 0;

        while (bad < len && ecp_utf8_valid(expr, bad + 1))
            bad++;
        err->offset = bad;
        err->column = ecp_utf8_count(expr, bad);
        ecp_jp_fail(err, JK_SYNTAX,
                    "Bad jmespath expression: not valid UTF-8 at byte %zu",
                    bad);
        return -1;
    }
    l.ncp = ecp_utf8_count(expr, len);
    load(&l);
    while (l.cur >= 0) {
        /* The lexer steps by code points; `column` counts them. */
        if (lex_one(&l) != 0) {
            ecp_jp_tokens_clear(out);
            return -1;
        }
    }
    if (!push(&l, JT_EOF, len, l.ncp)) {
        ecp_jp_tokens_clear(out);
        return -1;
    }
    return 0;
}

void ecp_jp_tokens_clear(ecp_jp_tokens *t)
{
    size_t i;

    for (i = 0; i < t->count; i++) {
        free(t->items[i].str);
        json_decref(t->items[i].lit);
    }
    free(t->items);
    memset(t, 0, sizeof(*t));
}
