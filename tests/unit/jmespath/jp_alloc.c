/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fail the Nth allocation of a JMESPath compile and of a search, for every
 * N: each run must end in the same answer as without failures, or in
 * EC_ERR_NOMEM, and free everything (the ASan and valgrind builds check
 * the leaks). The expressions cover every node type, every function and
 * the error paths that build messages.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "elasticache/elasticache.h"

#include "../testutil.h"

#include "allocfail.h"

static void *json_malloc(size_t size)
{
    return __wrap_malloc(size);
}

static void json_free(void *p)
{
    free(p);
}

static const char *const expressions[] = {
    "foo.bar[0].baz",
    "foo[*].bar | [0]",
    "foo[?bar > `1`].{a: bar, b: [baz, `\"x\"`], \"c d\": `{\"k\": [1, 2.5]}`}",
    "foo[].baz[::-1]",
    "*.bar || nope && !foo",
    "sort_by(foo, &bar)[].bar",
    "max_by(foo, &bar).bar",
    "min_by(foo, &bar)",
    "map(&bar, foo)",
    "to_string(foo)",
    "to_number('12.5')",
    "join(', ', foo[].name)",
    "merge(foo[0], foo[1], `{\"z\": 1}`, [['k', 'v']])",
    "keys(foo[0]) | sort(@) | reverse(@)",
    "values(foo[0])",
    "length(foo) == `3` && contains(foo[].name, 'b')",
    "avg(foo[].bar) + sum(foo[].bar)",
    "sum(foo[].bar)",
    "abs(`-3`) | ceil(@) | floor(@)",
    "not_null(nope, foo[1].name)",
    "to_array(foo[0].name)",
    "type(foo)",
    "starts_with(foo[0].name, 'a') || ends_with(foo[0].name, 'a')",
    "foo[0:2].{n: name} | [*].n",
    "foo[].[name, bar][]",
    /* errors built at search time */
    "length(nope)",
    "sort_by(foo, &name_or_number)",
    "nope(foo)",
    "abs(`1`, `2`)",
    "foo[::0]",
    "foo[0].name < `1`",
    /* errors built at compile time */
    "foo[",
    "foo.`{\"a\": [1, `",
    "foo.\"\\q\"",
    "{a: b,}",
    "foo | ",
};

static const char data_text[] =
    "{\"foo\": [{\"name\": \"a\", \"bar\": 3, \"baz\": [1, 2, 3], "
    "\"name_or_number\": 1},"
    " {\"name\": \"b\", \"bar\": 1.5, \"baz\": [4], \"name_or_number\": \"x\"},"
    " {\"name\": \"c\", \"bar\": 2, \"baz\": [], \"name_or_number\": 2}]}";

/* Allocations the library made in the last successful run. */
static long lib_allocs;

/* One compile and one search. 0: compiled and searched; 1: a reported
 * error (code in *code); the result's text in *text. */
static int run(const char *expr, json_t *data, ec_errcode *code, char **text)
{
    ec_jmespath_diag diag = EC_JMESPATH_DIAG_INIT;
    ec_error err = {0};
    ec_jmespath *jp;
    json_t *out;

    *text = NULL;
    jp = ec_jmespath_compile(expr, NULL, &diag, &err);
    if (!jp) {
        *code = err.code;
        return 1;
    }
    out = ec_jmespath_search(jp, data, &err);
    ec_jmespath_free(jp);
    if (!out) {
        *code = err.code;
        return 1;
    }
    *code = EC_OK;
    lib_allocs = allocfail_count;
    allocfail_at = 0; /* the comparison text is the test's, not the lib's */
    *text = json_dumps(out, JSON_ENCODE_ANY | JSON_COMPACT);
    json_decref(out);
    return 0;
}

int main(void)
{
    json_t *data;
    size_t i;
    long total_runs = 0, nomem_runs = 0;

    json_set_alloc_funcs(json_malloc, json_free);
    data = json_loads(data_text, 0, NULL);
    CHECK(data != NULL);
    if (!data)
        return test_status("jmespath.alloc");
    for (i = 0; i < sizeof(expressions) / sizeof(expressions[0]); i++) {
        ec_errcode want_code, code;
        char *want = NULL, *got;
        long n, total;
        int want_rc, rc;

        allocfail_arm(0);
        lib_allocs = 0;
        want_rc = run(expressions[i], data, &want_code, &want);
        total = want_rc == 0 ? lib_allocs : allocfail_count;
        CHECK(want_code != EC_ERR_NOMEM);
        for (n = 1; n <= total; n++) {
            allocfail_arm(n);
            rc = run(expressions[i], data, &code, &got);
            allocfail_arm(0);
            total_runs++;
            if (rc == 1 && code == EC_ERR_NOMEM) {
                nomem_runs++;
                continue;
            }
            /* Not failed by the injection: the undisturbed answer. */
            if (rc != want_rc || code != want_code ||
                (want && (!got || strcmp(want, got) != 0))) {
                fprintf(stderr,
                        "%s: allocation %ld of %ld changed the "
                        "outcome: %s (%s) instead of %s (%s)\n",
                        expressions[i], n, total, got ? got : "-",
                        ec_strerror(code), want ? want : "-",
                        ec_strerror(want_code));
                CHECK(0);
            }
            free(got);
        }
        free(want);
    }
    /* Most allocations are load-bearing: failing them must be noticed. */
    CHECK(nomem_runs > total_runs / 2);
    fprintf(stderr,
            "%ld runs with one allocation failed, %ld reported "
            "EC_ERR_NOMEM\n",
            total_runs, nomem_runs);
    json_decref(data);
    return test_status("jmespath.alloc");
}
