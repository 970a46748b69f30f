/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath, as Python's jmespath 1.0.1 (what the AWS CLI v2 runs) parses
 * and evaluates it: private declarations shared by the lexer, the parser,
 * the interpreter and the built-in functions.
 *
 * The shape follows jmespath.py on purpose (a token list, a Pratt parser
 * with its binding powers, an AST of the same node types, a tree-walking
 * interpreter), because its quirks are the behaviour we must reproduce:
 * which expressions parse, which error wins, and where values are shared
 * (the same json_t where Python returns the same object, which the CLI's
 * YAML output shows as anchors).
 */
#ifndef ECP_JP_H
#define ECP_JP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elasticache/elasticache.h"
#include "pyfmt.h"

/* Defaults for ec_jmespath_options. The nesting limit sits above what
 * Python's recursion limit lets jmespath parse (about 495 nested
 * parentheses or function calls), so every expression the AWS CLI accepts
 * compiles here too. */
#define ECP_JP_DEFAULT_MAX_DEPTH 600
#define ECP_JP_DEFAULT_MAX_STEPS 100000000ULL
/* JSON literals nest at most this deep (Python's json gives up near 990). */
#define ECP_JP_MAX_LITERAL_DEPTH 1000
/* Walks over data (equality, to_string, the result check) stop here. */
#define ECP_JP_MAX_DATA_DEPTH 2048

typedef enum ecp_jp_tok {
    JT_EOF,
    JT_UNQUOTED_IDENTIFIER,
    JT_QUOTED_IDENTIFIER,
    JT_LITERAL,
    JT_RBRACKET,
    JT_RPAREN,
    JT_COMMA,
    JT_RBRACE,
    JT_NUMBER,
    JT_CURRENT,
    JT_EXPREF,
    JT_COLON,
    JT_PIPE,
    JT_OR,
    JT_AND,
    JT_EQ,
    JT_GT,
    JT_LT,
    JT_GTE,
    JT_LTE,
    JT_NE,
    JT_FLATTEN,
    JT_STAR,
    JT_FILTER,
    JT_DOT,
    JT_NOT,
    JT_LBRACE,
    JT_LBRACKET,
    JT_LPAREN,
    JT_COUNT
} ecp_jp_tok;

typedef struct ecp_jp_token {
    ecp_jp_tok type;
    size_t start;   /* byte offset in the expression */
    size_t column;  /* the same in code points (Python's position) */
    size_t end;     /* byte offset after the token */
    char *str;      /* identifier name (decoded for quoted ones) */
    size_t str_len; /* (may contain NUL) */
    json_t *lit;    /* literal value (a raw string literal is a string) */
    int64_t num;    /* number, saturated to +-2^62 (Python's is unbounded) */
} ecp_jp_token;

typedef struct ecp_jp_tokens {
    ecp_jp_token *items;
    size_t count;
    size_t cap;
} ecp_jp_tokens;

/* Errors, by the compliance suite's kinds (plus our limits). */
typedef enum ecp_jp_kind {
    JK_NONE = 0,
    JK_SYNTAX,
    JK_INVALID_TYPE,
    JK_INVALID_VALUE,
    JK_INVALID_ARITY,
    JK_UNKNOWN_FUNCTION,
    JK_LIMIT,
    JK_NOMEM
} ecp_jp_kind;

typedef struct ecp_jp_error {
    ecp_jp_kind kind;
    size_t offset; /* compile errors: bytes; SIZE_MAX when none */
    size_t column; /* compile errors: code points */
    ecp_pyout msg; /* the message Python's exception would print */
} ecp_jp_error;

/* Record an error (the first one wins); the message is formatted. */
void ecp_jp_fail(ecp_jp_error *e, ecp_jp_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Record an error whose message is already in `msg` (taken over). */
void ecp_jp_fail_msg(ecp_jp_error *e, ecp_jp_kind kind, ecp_pyout *msg);
void ecp_jp_nomem(ecp_jp_error *e);

/* Lexer: the whole token list first (as Python does, so a lexing error
 * anywhere wins over a parse error before it). */
int ecp_jp_lex(const char *expr, size_t len, ecp_jp_tokens *out,
               ecp_jp_error *err);
void ecp_jp_tokens_clear(ecp_jp_tokens *t);

/* Python's json.loads for a backtick literal: 0 and *out on success, 1
 * when the text is not JSON (the caller then tries the legacy string
 * form), -1 with err set for what we cannot hold (NaN, Infinity, lone
 * surrogates, too deep) or out of memory. */
int ecp_jp_json_loads(const char *s, size_t len, json_t **out,
                      ecp_jp_error *err);
/* json.loads of a JSON string token "...": 0 and the decoded bytes, or -1
 * with the message Python's ValueError starts with (before its ':'). */
int ecp_jp_json_string(const char *s, size_t len, ecp_pyout *out,
                       const char **why);

/* Python's int(s) then float(s), as to_number() uses them: 1 and *out, or 0
 * when Python would give None (or a value jansson cannot hold: inf, nan),
 * -1 out of memory. */
int ecp_jp_py_number(const char *s, size_t len, json_t **out);

/* AST node types, as jmespath.ast names them. */
typedef enum ecp_jp_node_type {
    JN_FIELD,
    JN_SUBEXPRESSION,
    JN_INDEX_EXPRESSION,
    JN_INDEX,
    JN_SLICE,
    JN_PROJECTION,
    JN_VALUE_PROJECTION,
    JN_FILTER_PROJECTION,
    JN_FLATTEN,
    JN_IDENTITY,
    JN_CURRENT,
    JN_LITERAL,
    JN_MULTI_SELECT_LIST,
    JN_MULTI_SELECT_DICT,
    JN_KEY_VAL_PAIR,
    JN_OR,
    JN_AND,
    JN_NOT,
    JN_PIPE,
    JN_COMPARATOR,
    JN_FUNCTION,
    JN_EXPREF
} ecp_jp_node_type;

typedef enum ecp_jp_cmp {
    JC_EQ,
    JC_NE,
    JC_LT,
    JC_GT,
    JC_LTE,
    JC_GTE
} ecp_jp_cmp;

struct ecp_jp_function;

typedef struct ecp_jp_node {
    ecp_jp_node_type type;
    ecp_jp_cmp cmp;
    struct ecp_jp_node **kids;
    size_t nkids;
    size_t cap;
    int depth;  /* 1 + the deepest child */
    char *name; /* field, function or key name */
    size_t name_len;
    json_t *value; /* literal; for an expref, the token standing for it */
    int64_t index;
    bool has[3]; /* slice start, stop, step given */
    int64_t slice[3];
    const struct ecp_jp_function *fn; /* NULL: unknown (a run-time error) */
} ecp_jp_node;

void ecp_jp_node_free(ecp_jp_node *n);

/* Parse an expression (len bytes, no NUL needed) into an AST. */
ecp_jp_node *ecp_jp_parse(const char *expr, size_t len, int max_depth,
                          ecp_jp_error *err);

/* The compiled expression behind the public handle. */
struct ec_jmespath {
    char *expression;
    ecp_jp_node *root;
    int max_depth;
    uint64_t max_steps;
    /* Expression references evaluate to these tokens (one per & node,
     * sorted by address) when they are not a function's argument. */
    json_t **exprefs;
    const ecp_jp_node **expref_nodes;
    size_t nexprefs;
};

/* Interpreter state for one search. */
typedef struct ecp_jp_ctx {
    const struct ec_jmespath *jp;
    uint64_t steps_left;
    ecp_jp_error err;
} ecp_jp_ctx;

/* Python's types as jmespath's type checks see them. */
typedef enum ecp_jp_pytype {
    PT_NONE,
    PT_BOOL,
    PT_INT,
    PT_FLOAT,
    PT_STR,
    PT_LIST,
    PT_DICT,
    PT_EXPREF
} ecp_jp_pytype;

ecp_jp_pytype ecp_jp_type(const ecp_jp_ctx *c, const json_t *v);
const char *ecp_jp_pytype_name(ecp_jp_pytype t); /* 'NoneType', 'str' */
const char *ecp_jp_type_name(ecp_jp_pytype t);   /* 'null', 'string' */
const ecp_jp_node *ecp_jp_expref_node(const ecp_jp_ctx *c, const json_t *v);

/* str() of an expression reference, as Python prints its object but for
 * the address, which is no stable text. */
#define ECP_JP_EXPREF_TEXT "<jmespath.visitor._Expression object>"
/* The pyfmt hook that prints expression references so. */
ecp_pyhook ecp_jp_hook(const ecp_jp_ctx *c);

/* Charge n units of work; false (and a limit error) when the budget is
 * gone. */
bool ecp_jp_charge(ecp_jp_ctx *c, uint64_t n);

/* Evaluate a node against a value: a new reference, NULL on error. */
json_t *ecp_jp_eval(ecp_jp_ctx *c, const ecp_jp_node *n, json_t *value);

/* jmespath's truthiness (false, null, "", [], {} are false). */
bool ecp_jp_is_true(const ecp_jp_ctx *c, const json_t *v);
/* Python ==. `top` applies jmespath's comparator rule that 0/1 never
 * equal false/true; nested values compare as Python does (1 == True).
 * -1 with an error when the data is too deep. */
int ecp_jp_equal(ecp_jp_ctx *c, const json_t *a, const json_t *b, bool top);
/* Python's <, as sort() and the comparators use it on two numbers or two
 * strings: <0, 0, >0. */
int ecp_jp_order(const json_t *a, const json_t *b);
/* Record Python's TypeError for an ordering between a str and a number. */
void ecp_jp_order_type_error(ecp_jp_ctx *c, const char *op, const json_t *a,
                             const json_t *b);

/* Built-in functions. */
typedef json_t *(*ecp_jp_impl)(ecp_jp_ctx *c, const ecp_jp_node *call,
                               json_t **args, size_t nargs);

typedef struct ecp_jp_function {
    const char *name;
    size_t nparams;
    bool variadic;
    const char *types[2][3]; /* per parameter, NULL-terminated; {NULL}: any */
    ecp_jp_impl impl;
} ecp_jp_function;

const ecp_jp_function *ecp_jp_function_find(const char *name, size_t len);
json_t *ecp_jp_call(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **args,
                    size_t nargs);

#endif
