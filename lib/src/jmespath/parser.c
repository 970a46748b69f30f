/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath parser: jmespath/parser.py's top-down operator precedence
 * (Pratt) parser, with its binding powers, its node shapes and its error
 * messages, so the same expressions parse (including its leniencies, such
 * as `f(a b)` for `f(a, b)`) and the same error is reported.
 */
#include "jp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const char *expr;
    size_t len;
    size_t ncp; /* code points in the expression */
    ecp_jp_tokens toks;
    size_t index;
    int depth;
    int max_depth;
    ecp_jp_error *err;
} parser;

static const int binding_power[JT_COUNT] = {
    [JT_EOF] = 0,
    [JT_UNQUOTED_IDENTIFIER] = 0,
    [JT_QUOTED_IDENTIFIER] = 0,
    [JT_LITERAL] = 0,
    [JT_RBRACKET] = 0,
    [JT_RPAREN] = 0,
    [JT_COMMA] = 0,
    [JT_RBRACE] = 0,
    [JT_NUMBER] = 0,
    [JT_CURRENT] = 0,
    [JT_EXPREF] = 0,
    [JT_COLON] = 0,
    [JT_PIPE] = 1,
    [JT_OR] = 2,
    [JT_AND] = 3,
    [JT_EQ] = 5,
    [JT_GT] = 5,
    [JT_LT] = 5,
    [JT_GTE] = 5,
    [JT_LTE] = 5,
    [JT_NE] = 5,
    [JT_FLATTEN] = 9,
    [JT_STAR] = 20,
    [JT_FILTER] = 21,
    [JT_DOT] = 40,
    [JT_NOT] = 45,
    [JT_LBRACE] = 50,
    [JT_LBRACKET] = 55,
    [JT_LPAREN] = 60,
};

/* Tokens at or above this binding power continue a projection. */
#define PROJECTION_STOP 10

static const char *const token_names[JT_COUNT] = {
    [JT_EOF] = "eof",
    [JT_UNQUOTED_IDENTIFIER] = "unquoted_identifier",
    [JT_QUOTED_IDENTIFIER] = "quoted_identifier",
    [JT_LITERAL] = "literal",
    [JT_RBRACKET] = "rbracket",
    [JT_RPAREN] = "rparen",
    [JT_COMMA] = "comma",
    [JT_RBRACE] = "rbrace",
    [JT_NUMBER] = "number",
    [JT_CURRENT] = "current",
    [JT_EXPREF] = "expref",
    [JT_COLON] = "colon",
    [JT_PIPE] = "pipe",
    [JT_OR] = "or",
    [JT_AND] = "and",
    [JT_EQ] = "eq",
    [JT_GT] = "gt",
    [JT_LT] = "lt",
    [JT_GTE] = "gte",
    [JT_LTE] = "lte",
    [JT_NE] = "ne",
    [JT_FLATTEN] = "flatten",
    [JT_STAR] = "star",
    [JT_FILTER] = "filter",
    [JT_DOT] = "dot",
    [JT_NOT] = "not",
    [JT_LBRACE] = "lbrace",
    [JT_LBRACKET] = "lbracket",
    [JT_LPAREN] = "lparen",
};

/* The value of a fixed token, as the lexer yields it. */
static const char *const token_texts[JT_COUNT] = {
    [JT_EOF] = "",     [JT_RBRACKET] = "]", [JT_RPAREN] = ")",
    [JT_COMMA] = ",",  [JT_RBRACE] = "}",   [JT_CURRENT] = "@",
    [JT_EXPREF] = "&", [JT_COLON] = ":",    [JT_PIPE] = "|",
    [JT_OR] = "||",    [JT_AND] = "&&",     [JT_EQ] = "==",
    [JT_GT] = ">",     [JT_LT] = "<",       [JT_GTE] = ">=",
    [JT_LTE] = "<=",   [JT_NE] = "!=",      [JT_FLATTEN] = "[]",
    [JT_STAR] = "*",   [JT_FILTER] = "[?",  [JT_DOT] = ".",
    [JT_NOT] = "!",    [JT_LBRACE] = "{",   [JT_LBRACKET] = "[",
    [JT_LPAREN] = "(",
};

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* str(token['value']) */
static void token_value(parser *p, const ecp_jp_token *t, ecp_pyout *o)
{
    switch (t->type) {
    case JT_UNQUOTED_IDENTIFIER:
    case JT_QUOTED_IDENTIFIER:
        ecp_pyout_add(o, t->str, t->str_len);
        break;
    case JT_LITERAL:
        ecp_py_str(o, t->lit, ECP_JP_MAX_DATA_DEPTH, NULL);
        break;
    case JT_NUMBER: {
        /* str(int(text)): no leading zeros, no "-0". */
        const char *s = p->expr + t->start, *e = p->expr + t->end;
        bool neg = *s == '-';

        if (neg)
            s++;
        while (s < e - 1 && *s == '0')
            s++;
        if (neg && !(e - s == 1 && *s == '0'))
            ecp_pyout_addc(o, '-');
        ecp_pyout_add(o, s, (size_t)(e - s));
        break;
    }
    default:
        ecp_pyout_adds(o, token_texts[t->type]);
        break;
    }
}

static void add_upper(ecp_pyout *o, const char *s)
{
    for (; *s; s++)
        ecp_pyout_addc(o, (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s));
}

/* ParseError: '%s: Parse error at column %s, token "%s" (%s), for
 * expression:\n"%s"\n%s'. */
static void *parse_error_at(parser *p, const ecp_jp_token *t, size_t offset,
                            size_t column, const char *msg, size_t msglen)
{
    ecp_pyout m = {0};
    char num[32];
    size_t i;

    ecp_pyout_add(&m, msg, msglen);
    snprintf(num, sizeof(num), "%zu", column);
    ecp_pyout_adds(&m, ": Parse error at column ");
    ecp_pyout_adds(&m, num);
    ecp_pyout_adds(&m, ", token \"");
    token_value(p, t, &m);
    ecp_pyout_adds(&m, "\" (");
    add_upper(&m, token_names[t->type]);
    ecp_pyout_adds(&m, "), for expression:\n\"");
    ecp_pyout_add(&m, p->expr, p->len);
    ecp_pyout_adds(&m, "\"\n");
    for (i = 0; i < column + 1; i++)
        ecp_pyout_addc(&m, ' ');
    ecp_pyout_addc(&m, '^');
    if (p->err->kind == JK_NONE) {
        p->err->offset = offset;
        p->err->column = column;
    }
    ecp_jp_fail_msg(p->err, JK_SYNTAX, &m);
    return NULL;
}

static void *parse_error(parser *p, const ecp_jp_token *t, const char *msg)
{
    return parse_error_at(p, t, t->start, t->column, msg, strlen(msg));
}

/* "<prefix><str(token value)>" as a ParseError at the token. */
static void *parse_error_value(parser *p, const ecp_jp_token *at,
                               const char *prefix, const ecp_jp_token *t,
                               const char *suffix)
{
    ecp_pyout msg = {0};

    ecp_pyout_adds(&msg, prefix);
    token_value(p, t, &msg);
    ecp_pyout_adds(&msg, suffix);
    if (msg.failed || msg.over)
        ecp_jp_nomem(p->err);
    else
        parse_error_at(p, at, at->start, at->column, msg.data, msg.len);
    ecp_pyout_free(&msg);
    return NULL;
}

/* IncompleteExpressionError, positioned at the end of the expression. */
static void *incomplete(parser *p)
{
    ecp_pyout m = {0};
    size_t i;

    ecp_pyout_adds(&m,
                   "Invalid jmespath expression: Incomplete expression:\n\"");
    ecp_pyout_add(&m, p->expr, p->len);
    ecp_pyout_adds(&m, "\"\n");
    for (i = 0; i < p->ncp + 1; i++)
        ecp_pyout_addc(&m, ' ');
    ecp_pyout_addc(&m, '^');
    if (p->err->kind == JK_NONE) {
        p->err->offset = p->len;
        p->err->column = p->ncp;
    }
    ecp_jp_fail_msg(p->err, JK_SYNTAX, &m);
    return NULL;
}

/* _raise_parse_error_maybe_eof; `expected` is already Python's str() of
 * the expected type or list of types. */
static void *error_maybe_eof(parser *p, const char *expected,
                             const ecp_jp_token *t)
{
    char msg[160];

    if (t->type == JT_EOF)
        return incomplete(p);
    snprintf(msg, sizeof(msg), "Expecting: %s, got: %s", expected,
             token_names[t->type]);
    return parse_error(p, t, msg);
}

/* ------------------------------------------------------------------ */
/* Tokens and nodes                                                    */
/* ------------------------------------------------------------------ */

static ecp_jp_token *tok(parser *p, ptrdiff_t k)
{
    return &p->toks.items[(ptrdiff_t)p->index + k];
}

static ecp_jp_tok current(parser *p)
{
    return tok(p, 0)->type;
}

static ecp_jp_tok lookahead(parser *p, size_t k)
{
    return tok(p, (ptrdiff_t)k)->type;
}

static void advance(parser *p)
{
    p->index++;
}

static bool match(parser *p, ecp_jp_tok type)
{
    if (current(p) == type) {
        advance(p);
        return true;
    }
    error_maybe_eof(p, token_names[type], tok(p, 0));
    return false;
}

static ecp_jp_node *node_new(parser *p, ecp_jp_node_type type)
{
    ecp_jp_node *n = calloc(1, sizeof(*n));

    if (!n) {
        ecp_jp_nomem(p->err);
        return NULL;
    }
    n->type = type;
    n->depth = 1;
    return n;
}

void ecp_jp_node_free(ecp_jp_node *n)
{
    size_t i;

    if (!n)
        return;
    for (i = 0; i < n->nkids; i++)
        ecp_jp_node_free(n->kids[i]);
    free(n->kids);
    free(n->name);
    json_decref(n->value);
    free(n);
}

/* Append a child (taken over, also on failure). */
static bool add_kid(parser *p, ecp_jp_node *n, ecp_jp_node *kid)
{
    if (!kid)
        return false;
    if (n->nkids == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 2;
        ecp_jp_node **k = realloc(n->kids, cap * sizeof(*k));

        if (!k) {
            ecp_jp_node_free(kid);
            ecp_jp_nomem(p->err);
            return false;
        }
        n->kids = k;
        n->cap = cap;
    }
    n->kids[n->nkids++] = kid;
    if (kid->depth + 1 > n->depth)
        n->depth = kid->depth + 1;
    if (n->depth > p->max_depth) {
        ecp_jp_token *t = tok(p, 0);

        if (p->err->kind == JK_NONE) {
            p->err->offset = t->start;
            p->err->column = t->column;
        }
        ecp_jp_fail(p->err, JK_LIMIT,
                    "Invalid jmespath expression: it nests deeper than %d "
                    "levels",
                    p->max_depth);
        return false;
    }
    return true;
}

/* A node of `type` over the given children, which it takes over (a NULL
 * child means its parse failed: the node is not made). */
static ecp_jp_node *node_of(parser *p, ecp_jp_node_type type, size_t count, ...)
{
    ecp_jp_node *kids[3] = {NULL, NULL, NULL}, *n = NULL;
    bool ok = true;
    va_list ap;
    size_t i;

    va_start(ap, count);
    for (i = 0; i < count; i++) {
        kids[i] = va_arg(ap, ecp_jp_node *);
        if (!kids[i])
            ok = false;
    }
    va_end(ap);
    if (ok)
        n = node_new(p, type);
    for (i = 0; i < count; i++) {
        if (!n) {
            ecp_jp_node_free(kids[i]);
        } else if (!add_kid(p, n, kids[i])) {
            /* add_kid kept or freed this one; free the rest. */
            ecp_jp_node_free(n);
            n = NULL;
        }
    }
    return n;
}

static ecp_jp_node *named(parser *p, ecp_jp_node_type type, const char *name,
                          size_t len)
{
    ecp_jp_node *n = node_new(p, type);

    if (!n)
        return NULL;
    n->name = malloc(len + 1);
    if (!n->name) {
        ecp_jp_node_free(n);
        ecp_jp_nomem(p->err);
        return NULL;
    }
    memcpy(n->name, name, len);
    n->name[len] = '\0';
    n->name_len = len;
    return n;
}

static ecp_jp_node *identity(parser *p)
{
    return node_new(p, JN_IDENTITY);
}

/* ------------------------------------------------------------------ */
/* The Pratt parser                                                    */
/* ------------------------------------------------------------------ */

static ecp_jp_node *expression(parser *p, int bp);
static ecp_jp_node *led_filter(parser *p, ecp_jp_node *left);

static ecp_jp_node *parse_projection_rhs(parser *p, int bp);
static ecp_jp_node *parse_dot_rhs(parser *p, int bp);
static ecp_jp_node *parse_multi_select_list(parser *p);
static ecp_jp_node *parse_multi_select_hash(parser *p);

static ecp_jp_node *parse_slice_expression(parser *p)
{
    ecp_jp_node *n;
    bool has[3] = {false, false, false};
    int64_t parts[3] = {0, 0, 0};
    int index = 0;

    while (current(p) != JT_RBRACKET && index < 3) {
        if (current(p) == JT_COLON) {
            index++;
            if (index == 3)
                return parse_error(p, tok(p, 0), "syntax error");
            advance(p);
        } else if (current(p) == JT_NUMBER) {
            has[index] = true;
            parts[index] = tok(p, 0)->num;
            advance(p);
        } else {
            return parse_error(p, tok(p, 0), "syntax error");
        }
    }
    if (!match(p, JT_RBRACKET))
        return NULL;
    n = node_new(p, JN_SLICE);
    if (!n)
        return NULL;
    memcpy(n->has, has, sizeof(has));
    memcpy(n->slice, parts, sizeof(parts));
    return n;
}

static ecp_jp_node *parse_index_expression(parser *p)
{
    ecp_jp_node *n;

    if (lookahead(p, 0) == JT_COLON || lookahead(p, 1) == JT_COLON)
        return parse_slice_expression(p);
    n = node_new(p, JN_INDEX);
    if (!n)
        return NULL;
    n->index = tok(p, 0)->num;
    advance(p);
    if (!match(p, JT_RBRACKET)) {
        ecp_jp_node_free(n);
        return NULL;
    }
    return n;
}

static ecp_jp_node *project_if_slice(parser *p, ecp_jp_node *left,
                                     ecp_jp_node *right)
{
    bool is_slice = right && right->type == JN_SLICE;
    ecp_jp_node *index_expr = node_of(p, JN_INDEX_EXPRESSION, 2, left, right);

    if (!index_expr || !is_slice)
        return index_expr;
    return node_of(p, JN_PROJECTION, 2, index_expr,
                   parse_projection_rhs(p, binding_power[JT_STAR]));
}

static ecp_jp_node *nud(parser *p, ecp_jp_token *t)
{
    ecp_jp_node *n;

    switch (t->type) {
    case JT_LITERAL:
        n = node_new(p, JN_LITERAL);
        if (n)
            n->value = json_incref(t->lit);
        return n;
    case JT_UNQUOTED_IDENTIFIER:
        return named(p, JN_FIELD, t->str, t->str_len);
    case JT_QUOTED_IDENTIFIER:
        if (current(p) == JT_LPAREN)
            return parse_error_at(
                p, tok(p, 0), 0, 0,
                "Quoted identifier not allowed for function names.",
                strlen("Quoted identifier not allowed for function names."));
        return named(p, JN_FIELD, t->str, t->str_len);
    case JT_STAR: {
        ecp_jp_node *right;

        if (current(p) == JT_RBRACKET)
            right = identity(p);
        else
            right = parse_projection_rhs(p, binding_power[JT_STAR]);
        return node_of(p, JN_VALUE_PROJECTION, 2, identity(p), right);
    }
    case JT_FILTER:
        return led_filter(p, identity(p));
    case JT_LBRACE:
        return parse_multi_select_hash(p);
    case JT_LPAREN:
        n = expression(p, 0);
        if (n && !match(p, JT_RPAREN)) {
            ecp_jp_node_free(n);
            return NULL;
        }
        return n;
    case JT_FLATTEN: {
        ecp_jp_node *left = node_of(p, JN_FLATTEN, 1, identity(p));

        if (!left)
            return NULL;
        return node_of(p, JN_PROJECTION, 2, left,
                       parse_projection_rhs(p, binding_power[JT_FLATTEN]));
    }
    case JT_NOT:
        return node_of(p, JN_NOT, 1, expression(p, binding_power[JT_NOT]));
    case JT_LBRACKET:
        if (current(p) == JT_NUMBER || current(p) == JT_COLON) {
            ecp_jp_node *right = parse_index_expression(p);

            if (!right)
                return NULL;
            return project_if_slice(p, identity(p), right);
        }
        if (current(p) == JT_STAR && lookahead(p, 1) == JT_RBRACKET) {
            advance(p);
            advance(p);
            return node_of(p, JN_PROJECTION, 2, identity(p),
                           parse_projection_rhs(p, binding_power[JT_STAR]));
        }
        return parse_multi_select_list(p);
    case JT_CURRENT:
        return node_new(p, JN_CURRENT);
    case JT_EXPREF:
        n = node_of(p, JN_EXPREF, 1, expression(p, binding_power[JT_EXPREF]));
        if (n) {
            /* The value an expression reference evaluates to where it is
             * not a function's argument: unique to this node. */
            n->value = json_object();
            if (!n->value) {
                ecp_jp_node_free(n);
                ecp_jp_nomem(p->err);
                return NULL;
            }
        }
        return n;
    case JT_EOF:
        return incomplete(p);
    default:
        return parse_error(p, t, "invalid token");
    }
}

static ecp_jp_node *led_filter(parser *p, ecp_jp_node *left)
{
    ecp_jp_node *condition, *right;

    if (!left)
        return NULL;
    condition = expression(p, 0);
    if (!condition) {
        ecp_jp_node_free(left);
        return NULL;
    }
    if (!match(p, JT_RBRACKET)) {
        ecp_jp_node_free(left);
        ecp_jp_node_free(condition);
        return NULL;
    }
    if (current(p) == JT_FLATTEN)
        right = identity(p);
    else
        right = parse_projection_rhs(p, binding_power[JT_FILTER]);
    return node_of(p, JN_FILTER_PROJECTION, 3, left, right, condition);
}

static ecp_jp_node *led_function(parser *p, ecp_jp_node *left)
{
    ecp_jp_node *fn, *arg;

    if (left->type != JN_FIELD) {
        /* -2: the token before '(' (the invalid function "name"). */
        ecp_jp_token *prev = tok(p, -2);

        ecp_jp_node_free(left);
        return parse_error_value(p, prev, "Invalid function name '", prev, "'");
    }
    fn = left;
    fn->type = JN_FUNCTION;
    fn->fn = ecp_jp_function_find(fn->name, fn->name_len);
    while (current(p) != JT_RPAREN) {
        arg = expression(p, 0);
        if (!arg) {
            ecp_jp_node_free(fn);
            return NULL;
        }
        if (current(p) == JT_COMMA)
            advance(p);
        if (!add_kid(p, fn, arg)) {
            ecp_jp_node_free(fn);
            return NULL;
        }
    }
    if (!match(p, JT_RPAREN)) {
        ecp_jp_node_free(fn);
        return NULL;
    }
    return fn;
}

static ecp_jp_node *led(parser *p, ecp_jp_tok type, ecp_jp_node *left)
{
    ecp_jp_node *right, *n;

    switch (type) {
    case JT_DOT:
        if (current(p) != JT_STAR) {
            right = parse_dot_rhs(p, binding_power[JT_DOT]);
            if (!right) {
                ecp_jp_node_free(left);
                return NULL;
            }
            if (left->type == JN_SUBEXPRESSION) {
                if (!add_kid(p, left, right)) {
                    ecp_jp_node_free(left);
                    return NULL;
                }
                return left;
            }
            return node_of(p, JN_SUBEXPRESSION, 2, left, right);
        }
        advance(p);
        return node_of(p, JN_VALUE_PROJECTION, 2, left,
                       parse_projection_rhs(p, binding_power[JT_DOT]));
    case JT_PIPE:
        return node_of(p, JN_PIPE, 2, left,
                       expression(p, binding_power[JT_PIPE]));
    case JT_OR:
        return node_of(p, JN_OR, 2, left, expression(p, binding_power[JT_OR]));
    case JT_AND:
        return node_of(p, JN_AND, 2, left,
                       expression(p, binding_power[JT_AND]));
    case JT_LPAREN:
        return led_function(p, left);
    case JT_FILTER:
        return led_filter(p, left);
    case JT_EQ:
    case JT_NE:
    case JT_GT:
    case JT_GTE:
    case JT_LT:
    case JT_LTE:
        n = node_of(p, JN_COMPARATOR, 2, left,
                    expression(p, binding_power[type]));
        if (n)
            n->cmp = type == JT_EQ    ? JC_EQ
                     : type == JT_NE  ? JC_NE
                     : type == JT_GT  ? JC_GT
                     : type == JT_GTE ? JC_GTE
                     : type == JT_LT  ? JC_LT
                                      : JC_LTE;
        return n;
    case JT_FLATTEN:
        left = node_of(p, JN_FLATTEN, 1, left);
        if (!left)
            return NULL;
        return node_of(p, JN_PROJECTION, 2, left,
                       parse_projection_rhs(p, binding_power[JT_FLATTEN]));
    case JT_LBRACKET:
        if (current(p) == JT_NUMBER || current(p) == JT_COLON) {
            right = parse_index_expression(p);
            if (!right) {
                ecp_jp_node_free(left);
                return NULL;
            }
            if (left->type == JN_INDEX_EXPRESSION) {
                /* Python appends to the index expression, and so never
                 * projects a slice that follows an index: a[0][1:2].b
                 * takes b of the list, not of its elements. */
                if (!add_kid(p, left, right)) {
                    ecp_jp_node_free(left);
                    return NULL;
                }
                return left;
            }
            return project_if_slice(p, left, right);
        }
        if (!match(p, JT_STAR) || !match(p, JT_RBRACKET)) {
            ecp_jp_node_free(left);
            return NULL;
        }
        return node_of(p, JN_PROJECTION, 2, left,
                       parse_projection_rhs(p, binding_power[JT_STAR]));
    default:
        ecp_jp_node_free(left);
        return parse_error(p, tok(p, 0), "invalid token");
    }
}

static bool has_led(ecp_jp_tok t)
{
    switch (t) {
    case JT_DOT:
    case JT_PIPE:
    case JT_OR:
    case JT_AND:
    case JT_LPAREN:
    case JT_FILTER:
    case JT_EQ:
    case JT_NE:
    case JT_GT:
    case JT_GTE:
    case JT_LT:
    case JT_LTE:
    case JT_FLATTEN:
    case JT_LBRACKET:
        return true;
    default:
        return false;
    }
}

static ecp_jp_node *expression(parser *p, int bp)
{
    ecp_jp_token *left_token;
    ecp_jp_node *left;
    ecp_jp_tok cur;

    if (++p->depth > p->max_depth) {
        ecp_jp_token *t = tok(p, 0);

        if (p->err->kind == JK_NONE) {
            p->err->offset = t->start;
            p->err->column = t->column;
        }
        ecp_jp_fail(p->err, JK_LIMIT,
                    "Invalid jmespath expression: it nests deeper than %d "
                    "levels",
                    p->max_depth);
        p->depth--;
        return NULL;
    }
    left_token = tok(p, 0);
    advance(p);
    left = nud(p, left_token);
    while (left) {
        cur = current(p);
        if (!(bp < binding_power[cur]))
            break;
        if (!has_led(cur)) {
            ecp_jp_node_free(left);
            left = parse_error(p, tok(p, 0), "invalid token");
            break;
        }
        advance(p);
        left = led(p, cur, left);
    }
    p->depth--;
    return left;
}

static ecp_jp_node *parse_multi_select_list(parser *p)
{
    ecp_jp_node *list = node_new(p, JN_MULTI_SELECT_LIST);

    if (!list)
        return NULL;
    for (;;) {
        if (!add_kid(p, list, expression(p, 0))) {
            ecp_jp_node_free(list);
            return NULL;
        }
        if (current(p) == JT_RBRACKET)
            break;
        if (!match(p, JT_COMMA)) {
            ecp_jp_node_free(list);
            return NULL;
        }
    }
    if (!match(p, JT_RBRACKET)) {
        ecp_jp_node_free(list);
        return NULL;
    }
    return list;
}

static ecp_jp_node *parse_multi_select_hash(parser *p)
{
    ecp_jp_node *dict = node_new(p, JN_MULTI_SELECT_DICT), *pair;
    ecp_jp_token *key;

    if (!dict)
        return NULL;
    for (;;) {
        key = tok(p, 0);
        if (current(p) != JT_QUOTED_IDENTIFIER &&
            current(p) != JT_UNQUOTED_IDENTIFIER) {
            error_maybe_eof(p, "['quoted_identifier', 'unquoted_identifier']",
                            key);
            ecp_jp_node_free(dict);
            return NULL;
        }
        advance(p);
        if (!match(p, JT_COLON)) {
            ecp_jp_node_free(dict);
            return NULL;
        }
        pair = named(p, JN_KEY_VAL_PAIR, key->str, key->str_len);
        if (!pair) {
            ecp_jp_node_free(dict);
            return NULL;
        }
        /* add_kid keeps or frees the child whatever it returns. */
        if (!add_kid(p, pair, expression(p, 0))) {
            ecp_jp_node_free(pair);
            ecp_jp_node_free(dict);
            return NULL;
        }
        if (!add_kid(p, dict, pair)) {
            ecp_jp_node_free(dict);
            return NULL;
        }
        if (current(p) == JT_COMMA) {
            advance(p);
        } else if (current(p) == JT_RBRACE) {
            advance(p);
            break;
        }
    }
    return dict;
}

static ecp_jp_node *parse_projection_rhs(parser *p, int bp)
{
    ecp_jp_tok cur = current(p);

    if (binding_power[cur] < PROJECTION_STOP)
        return identity(p);
    if (cur == JT_LBRACKET || cur == JT_FILTER)
        return expression(p, bp);
    if (cur == JT_DOT) {
        advance(p);
        return parse_dot_rhs(p, bp);
    }
    return parse_error(p, tok(p, 0), "syntax error");
}

static ecp_jp_node *parse_dot_rhs(parser *p, int bp)
{
    ecp_jp_tok cur = current(p);
    char msg[160];

    if (cur == JT_QUOTED_IDENTIFIER || cur == JT_UNQUOTED_IDENTIFIER ||
        cur == JT_STAR)
        return expression(p, bp);
    if (cur == JT_LBRACKET) {
        advance(p);
        return parse_multi_select_list(p);
    }
    if (cur == JT_LBRACE) {
        advance(p);
        return parse_multi_select_hash(p);
    }
    snprintf(msg, sizeof(msg),
             "Expecting: ['quoted_identifier', 'unquoted_identifier', "
             "'lbracket', 'lbrace'], got: %s",
             token_names[cur]);
    return parse_error(p, tok(p, 0), msg);
}

ecp_jp_node *ecp_jp_parse(const char *expr, size_t len, int max_depth,
                          ecp_jp_error *err)
{
    parser p = {0};
    ecp_jp_node *root;

    p.expr = expr;
    p.len = len;
    p.err = err;
    p.max_depth = max_depth;
    if (ecp_jp_lex(expr, len, &p.toks, err) != 0)
        return NULL;
    p.ncp = p.toks.items[p.toks.count - 1].column;
    root = expression(&p, 0);
    if (root && current(&p) != JT_EOF) {
        ecp_jp_token *t = tok(&p, 0);

        parse_error_value(&p, t, "Unexpected token: ", t, "");
        ecp_jp_node_free(root);
        root = NULL;
    }
    ecp_jp_tokens_clear(&p.toks);
    return root;
}
