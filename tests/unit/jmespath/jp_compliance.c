/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Runs JMESPath compliance cases (tests/data/jmespath-compliance):
 *
 *   jp_compliance FILE SUITE CASE   one case (0-based indices)
 *   jp_compliance FILE              every case of the file, in one process
 *
 * A case with "result" must compile and search to exactly that JSON (int
 * and float kept apart, object keys in the same order, as Python's
 * json.dumps of jmespath's answer would print them); one with "error" must
 * fail with that kind; a "bench" case must compile ("parse") or compile and
 * search to what Python's jmespath gives (FILE's sidecar
 * NAME.expected.json, when there is one).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elasticache/elasticache.h"

static bool strict_equal(const json_t *a, const json_t *b)
{
    size_t i;

    if (json_typeof(a) != json_typeof(b))
        return false;
    switch (json_typeof(a)) {
    case JSON_OBJECT: {
        void *ia = json_object_iter((json_t *)a);
        void *ib = json_object_iter((json_t *)b);

        if (json_object_size(a) != json_object_size(b))
            return false;
        for (; ia && ib; ia = json_object_iter_next((json_t *)a, ia),
                         ib = json_object_iter_next((json_t *)b, ib)) {
            if (json_object_iter_key_len(ia) != json_object_iter_key_len(ib) ||
                memcmp(json_object_iter_key(ia), json_object_iter_key(ib),
                       json_object_iter_key_len(ia)) != 0 ||
                !strict_equal(json_object_iter_value(ia),
                              json_object_iter_value(ib)))
                return false;
        }
        return true;
    }
    case JSON_ARRAY:
        if (json_array_size(a) != json_array_size(b))
            return false;
        for (i = 0; i < json_array_size(a); i++)
            if (!strict_equal(json_array_get(a, i), json_array_get(b, i)))
                return false;
        return true;
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b) &&
               memcmp(json_string_value(a), json_string_value(b),
                      json_string_length(a)) == 0;
    case JSON_INTEGER:
        return json_integer_value(a) == json_integer_value(b);
    case JSON_REAL:
        return json_real_value(a) == json_real_value(b);
    default:
        return true;
    }
}

static ec_errcode kind_code(const char *kind)
{
    if (strcmp(kind, "syntax") == 0)
        return EC_ERR_JMESPATH_SYNTAX;
    if (strcmp(kind, "invalid-type") == 0)
        return EC_ERR_JMESPATH_INVALID_TYPE;
    if (strcmp(kind, "invalid-value") == 0)
        return EC_ERR_JMESPATH_INVALID_VALUE;
    if (strcmp(kind, "invalid-arity") == 0)
        return EC_ERR_JMESPATH_INVALID_ARITY;
    if (strcmp(kind, "unknown-function") == 0)
        return EC_ERR_JMESPATH_UNKNOWN_FUNCTION;
    return EC_OK;
}

static void show(const char *label, const json_t *v)
{
    char *s = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;

    fprintf(stderr, "  %s: %s\n", label, s ? s : "(none)");
    free(s);
}

/* 0 pass, 1 fail. */
static int run_case(const char *file, size_t si, size_t ci, json_t *given,
                    json_t *c, json_t *bench_expected)
{
    const char *expr = json_string_value(json_object_get(c, "expression"));
    json_t *want = json_object_get(c, "result");
    const char *kind = json_string_value(json_object_get(c, "error"));
    const char *bench = json_string_value(json_object_get(c, "bench"));
    ec_jmespath_diag diag = EC_JMESPATH_DIAG_INIT;
    ec_error err = {0};
    ec_jmespath *jp;
    json_t *got = NULL;
    int rc = 1;

    if (!expr) {
        fprintf(stderr, "%s[%zu][%zu]: case without an expression\n", file, si,
                ci);
        return 1;
    }
    jp = ec_jmespath_compile(expr, NULL, &diag, &err);
    if (jp && !(bench && strcmp(bench, "parse") == 0))
        got = ec_jmespath_search(jp, given, &err);
    if (kind) {
        if (!got && err.code == kind_code(kind))
            rc = 0;
    } else if (bench && strcmp(bench, "parse") == 0) {
        rc = jp ? 0 : 1;
    } else if (bench) {
        rc = got && (!bench_expected || strict_equal(got, bench_expected)) ? 0
                                                                           : 1;
        want = bench_expected;
    } else if (want) {
        rc = got && strict_equal(got, want) ? 0 : 1;
    }
    if (rc != 0) {
        fprintf(stderr, "%s[%zu][%zu] FAILED: %s\n", file, si, ci, expr);
        if (kind)
            fprintf(stderr, "  expected error: %s\n", kind);
        else
            show("expected", want);
        show("got", got);
        if (err.code)
            fprintf(stderr, "  error %d (%s): %s\n", (int)err.code,
                    ec_strerror(err.code), err.message);
    }
    json_decref(got);
    ec_jmespath_free(jp);
    return rc;
}

static json_t *load(const char *path, bool required)
{
    json_error_t jerr;
    json_t *j = json_load_file(path, JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr);

    if (!j && required)
        fprintf(stderr, "%s: %s (line %d)\n", path, jerr.text, jerr.line);
    return j;
}

int main(int argc, char **argv)
{
    json_t *suites, *bench = NULL;
    char side[4096];
    size_t si, ci, ran = 0;
    int failed = 0;
    const char *dot;

    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: jp_compliance FILE [SUITE CASE]\n");
        return 2;
    }
    suites = load(argv[1], true);
    if (!json_is_array(suites))
        return 2;
    dot = strrchr(argv[1], '.');
    if (dot && snprintf(side, sizeof(side), "%.*s.expected.json",
                        (int)(dot - argv[1]), argv[1]) < (int)sizeof(side))
        bench = load(side, false);
    for (si = 0; si < json_array_size(suites); si++) {
        json_t *suite = json_array_get(suites, si);
        json_t *cases = json_object_get(suite, "cases");
        json_t *given = json_object_get(suite, "given");

        for (ci = 0; ci < json_array_size(cases); ci++) {
            if (argc == 4 && (strtoul(argv[2], NULL, 10) != si ||
                              strtoul(argv[3], NULL, 10) != ci))
                continue;
            ran++;
            failed +=
                run_case(argv[1], si, ci, given, json_array_get(cases, ci),
                         json_array_get(json_array_get(bench, si), ci));
        }
    }
    json_decref(suites);
    json_decref(bench);
    if (ran == 0) {
        fprintf(stderr, "no such case\n");
        return 2;
    }
    if (argc == 2)
        fprintf(stderr, "%s: %zu cases, %d failed\n", argv[1], ran, failed);
    return failed ? 1 : 0;
}
