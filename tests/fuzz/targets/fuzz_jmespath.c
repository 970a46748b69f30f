/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: JMESPath compile and search on any expression and
 * document. Input: EXPRESSION, NUL, JSON document (without a NUL the
 * whole input is the expression, over a fixed document).
 * Oracles, beyond no crash, leak or undefined behaviour:
 * - a compile error is a syntax or limit error positioned inside the
 *   expression, with a message;
 * - searching twice gives the same result, or the same error and message;
 * - a search never changes its input document;
 * - "(E)" and "(E) | @" compile too and give what E gives (parentheses
 *   and a pipe into @ are transparent). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elasticache/elasticache.h"
#include "pyfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *expr)
{
    fprintf(stderr, "fuzz_jmespath: oracle: %s\n  expression: %s\n", what,
            expr);
    abort();
}

static const char fixed_doc[] =
    "{\"a\": {\"b\": [1, 2.5, \"x\", null, true, {\"c\": [3, -1]}]},"
    " \"foo\": [{\"name\": \"a\", \"n\": 3}, {\"name\": \"b\", \"n\": 1.5},"
    " {\"name\": \"\\u00e9\", \"n\": -2}], \"s\": \"hello\", \"e\": [],"
    " \"o\": {}}";

/* Small limits keep each input fast; they are part of what is tested. */
static ec_jmespath *compile(const char *expr, ec_jmespath_diag *diag,
                            ec_error *err)
{
    ec_jmespath_options opt = EC_JMESPATH_OPTIONS_INIT;

    opt.max_steps = 200000;
    return ec_jmespath_compile(expr, &opt, diag, err);
}

/* The outcome of one search as text: "R <json>" or "E <code> <msg>". */
static char *outcome(const ec_jmespath *jp, json_t *doc)
{
    ec_error err = {0};
    json_t *out = ec_jmespath_search(jp, doc, &err);
    ecp_pyout o = {0};

    if (out) {
        ecp_pyout_adds(&o, "R ");
        ecp_py_json_compact(&o, out, 100000, NULL);
        json_decref(out);
    } else {
        char head[32];

        snprintf(head, sizeof(head), "E %d ", (int)err.code);
        ecp_pyout_adds(&o, head);
        ecp_pyout_adds(&o, err.message);
    }
    if (o.failed || o.over) {
        ecp_pyout_free(&o);
        return NULL;
    }
    return o.data;
}

static void transparent(const char *expr, const char *wrapped_fmt, json_t *doc,
                        const char *want)
{
    size_t len = strlen(expr) + strlen(wrapped_fmt) + 1;
    char *w = malloc(len);
    ec_error err = {0};
    ec_jmespath *jp;
    char *got, limit[32];

    if (!w)
        return;
    snprintf(w, len, wrapped_fmt, expr);
    jp = compile(w, NULL, &err);
    if (!jp) {
        /* One more level can cross the nesting limit; nothing else. */
        if (err.code != EC_ERR_JMESPATH_LIMIT && err.code != EC_ERR_NOMEM)
            fail("a compiling expression does not compile wrapped", w);
        free(w);
        return;
    }
    got = outcome(jp, doc);
    /* A search that ran out of work may run out elsewhere when wrapped. */
    snprintf(limit, sizeof(limit), "E %d ", (int)EC_ERR_JMESPATH_LIMIT);
    if (got && want && strcmp(got, want) != 0 &&
        strncmp(want, limit, strlen(limit)) != 0 &&
        strncmp(got, limit, strlen(limit)) != 0)
        fail("wrapping changes the result", w);
    free(got);
    ec_jmespath_free(jp);
    free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nul = memchr(data, '\0', size);
    size_t elen = nul ? (size_t)(nul - (const char *)data) : size;
    ec_jmespath_diag diag = EC_JMESPATH_DIAG_INIT;
    ec_error err = {0};
    char *expr = malloc(elen + 1), *before = NULL, *after = NULL;
    char *first = NULL, *second = NULL;
    ec_jmespath *jp = NULL;
    json_t *doc;

    if (!expr)
        return 0;
    memcpy(expr, data, elen);
    expr[elen] = '\0';
    if (nul)
        doc = json_loadb(nul + 1, size - elen - 1,
                         JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    else
        doc = json_loads(fixed_doc, 0, NULL);
    if (!doc)
        goto out;
    before = json_dumps(doc, JSON_ENCODE_ANY | JSON_COMPACT);
    jp = compile(expr, &diag, &err);
    if (!jp) {
        if (err.code != EC_ERR_JMESPATH_SYNTAX &&
            err.code != EC_ERR_JMESPATH_LIMIT && err.code != EC_ERR_NOMEM)
            fail("a compile error of another kind", expr);
        if (!err.message[0])
            fail("a compile error without a message", expr);
        if (err.code == EC_ERR_JMESPATH_SYNTAX &&
            (diag.offset > elen ||
             (diag.offset != SIZE_MAX && diag.column > diag.offset)))
            fail("a compile error positioned outside the expression", expr);
        goto out;
    }
    first = outcome(jp, doc);
    second = outcome(jp, doc);
    if (first && second && strcmp(first, second) != 0)
        fail("two searches differ", expr);
    after = json_dumps(doc, JSON_ENCODE_ANY | JSON_COMPACT);
    if (before && after && strcmp(before, after) != 0)
        fail("the search changed its input", expr);
    if (first && elen < 2000) {
        transparent(expr, "(%s)", doc, first);
        transparent(expr, "(%s) | @", doc, first);
    }
out:
    free(first);
    free(second);
    free(before);
    free(after);
    ec_jmespath_free(jp);
    json_decref(doc);
    free(expr);
    return 0;
}
