/* SPDX-License-Identifier: Apache-2.0 */
/* Benchmark driver: evaluate a compiled JMESPath expression against a JSON
 * document (ec_jmespath_search), the work --query adds to a command.
 * Driven by bench/jmespath_vs_python.py.
 *   bench_jmespath --print FILE EXPR      the result, as Python's
 *                                         json.dumps(separators=(',',':'))
 *   bench_jmespath FILE EXPR ITERATIONS   prints "ns_per_op N" (search
 *                                         only; compiled once, as the AWS
 *                                         CLI compiles --query once) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "elasticache/elasticache.h"
#include "pyfmt.h"

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    int print = argc == 4 && strcmp(argv[1], "--print") == 0;
    const char *file = print ? argv[2] : argv[1];
    const char *expr = print ? argv[3] : argv[2];
    ec_error err = {0};
    ec_jmespath *jp;
    json_t *doc, *out = NULL;
    long i, n = 1;
    double t0, t1;

    if (argc != 4) {
        fprintf(stderr, "usage: bench_jmespath --print FILE EXPR | "
                        "FILE EXPR N\n");
        return 2;
    }
    if (!print)
        n = strtol(argv[3], NULL, 10);
    doc = json_load_file(file, 0, NULL);
    jp = ec_jmespath_compile(expr, NULL, NULL, &err);
    if (!doc || !jp) {
        fprintf(stderr, "bench_jmespath: %s\n",
                doc ? err.message : "cannot read the document");
        return 1;
    }
    t0 = now_ns();
    for (i = 0; i < n; i++) {
        json_decref(out);
        out = ec_jmespath_search(jp, doc, &err);
        if (!out) {
            fprintf(stderr, "bench_jmespath: %s\n", err.message);
            return 1;
        }
    }
    t1 = now_ns();
    if (print) {
        ecp_pyout text = {0};

        if (ecp_py_json_compact(&text, out, 10000, NULL) != 0)
            return 1;
        printf("%s\n", text.data);
        ecp_pyout_free(&text);
    } else {
        printf("ns_per_op %.1f\n", n ? (t1 - t0) / (double)n : 0.0);
    }
    json_decref(out);
    json_decref(doc);
    ec_jmespath_free(jp);
    return 0;
}
