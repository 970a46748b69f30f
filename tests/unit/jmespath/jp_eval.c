/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jp_eval: evaluate JMESPath expressions for the differential tests.
 * Reads one JSON object per line on stdin, {"expression": E, "data": D},
 * and writes one per line on stdout:
 *
 *   {"phase": "ok", "result": TEXT}      TEXT = json.dumps(result,
 *                                        separators=(',', ':')) as Python
 *                                        prints it (ints vs floats kept)
 *   {"phase": "compile"|"search", "kind": K, "message": M, "column": C}
 *
 * K is the compliance suite's error kind ("syntax", "invalid-type", ...,
 * or "limit", "nomem"); C the code-point column of a compile error (-1 when
 * there is none). With --repeat N every search is done N times (for the
 * benchmark), printing the last.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elasticache/elasticache.h"
#include "pyfmt.h"

static const char *kind_name(ec_errcode code)
{
    switch (code) {
    case EC_ERR_JMESPATH_SYNTAX:
        return "syntax";
    case EC_ERR_JMESPATH_INVALID_TYPE:
        return "invalid-type";
    case EC_ERR_JMESPATH_INVALID_VALUE:
        return "invalid-value";
    case EC_ERR_JMESPATH_INVALID_ARITY:
        return "invalid-arity";
    case EC_ERR_JMESPATH_UNKNOWN_FUNCTION:
        return "unknown-function";
    case EC_ERR_JMESPATH_LIMIT:
        return "limit";
    case EC_ERR_NOMEM:
        return "nomem";
    default:
        return "other";
    }
}

static void emit(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);

    if (s) {
        fputs(s, stdout);
        free(s);
    }
    fputc('\n', stdout);
    json_decref(o);
}

static void emit_error(const char *phase, const ec_error *err, long column)
{
    emit(json_pack("{s:s, s:s, s:s, s:I}", "phase", phase, "kind",
                   kind_name(err->code), "message", err->message, "column",
                   (json_int_t)column));
}

int main(int argc, char **argv)
{
    char *line = NULL;
    size_t cap = 0;
    long repeat = 1;
    ssize_t n;

    if (argc == 3 && strcmp(argv[1], "--repeat") == 0)
        repeat = strtol(argv[2], NULL, 10);
    while ((n = getline(&line, &cap, stdin)) > 0) {
        ec_jmespath_diag diag = EC_JMESPATH_DIAG_INIT;
        json_error_t jerr;
        ec_error err = {0};
        json_t *in = json_loadb(line, (size_t)n, JSON_ALLOW_NUL, &jerr);
        const char *expr = json_string_value(json_object_get(in, "expression"));
        json_t *data = json_object_get(in, "data"), *out = NULL;
        ec_jmespath *jp;
        ecp_pyout text = {0};
        long i;

        if (!expr || !data) {
            fprintf(stderr, "jp_eval: bad input line: %s\n", jerr.text);
            json_decref(in);
            free(line);
            return 2;
        }
        jp = ec_jmespath_compile(expr, NULL, &diag, &err);
        if (!jp) {
            emit_error("compile", &err,
                       diag.column == SIZE_MAX ? -1 : (long)diag.column);
            json_decref(in);
            continue;
        }
        for (i = 0; i < repeat; i++) {
            json_decref(out);
            out = ec_jmespath_search(jp, data, &err);
            if (!out)
                break;
        }
        if (!out) {
            emit_error("search", &err, -1);
        } else if (ecp_py_json_compact(&text, out, 100000, NULL) != 0) {
            fprintf(stderr, "jp_eval: cannot print the result\n");
            return 2;
        } else {
            emit(json_pack("{s:s, s:s%}", "phase", "ok", "result", text.data,
                           text.len));
        }
        ecp_pyout_free(&text);
        json_decref(out);
        ec_jmespath_free(jp);
        json_decref(in);
        fflush(stdout);
    }
    free(line);
    return 0;
}
