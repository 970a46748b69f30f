/* SPDX-License-Identifier: Apache-2.0 */
/* Benchmark driver: an operation's XML response in, the AWS CLI's JSON
 * text out, the work `elasticache describe-*` does per page. Driven by
 * bench/xml_vs_botocore.py (and bench/jmespath_vs_python.py for --print).
 *   bench_xml [--op OP] [--mode MODE] --print FILE   the JSON, once
 *   bench_xml [--op OP] [--mode MODE] FILE N         prints "ns_per_op N"
 * OP: DescribeCacheClusters (default) or DescribeReplicationGroups.
 * MODE, what one operation is:
 *   direct  parse (ecp_parse_*) + the direct writer (ec_*_output_dumps_aws):
 *           what a plain `--output json` needs (default)
 *   tree    parse + ec_*_output_to_json + ec_json_dumps_aws: the jansson
 *           path (--query and the other output formats start from the
 *           tree), and the only path before the direct writer
 *   parse   parse and free, no JSON
 *   render  the direct writer alone, on an output parsed once before */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "xmlparse.h"

typedef enum mode { M_DIRECT, M_TREE, M_PARSE, M_RENDER } mode;

/* What the client passes (config.c's default max_response_bytes): the
 * page is parsed under the same cap as in a real call. */
#define RESPONSE_CAP (16u * 1024u * 1024u)

/* One operation's entry points, untyped. */
typedef struct op {
    const char *name;
    int (*parse)(const char *xml, size_t len, void **out, ec_error *err);
    json_t *(*to_json)(const void *out);
    char *(*dumps)(const void *out);
    void (*free)(void *out);
} op;

static int dcc_parse(const char *xml, size_t len, void **out, ec_error *err)
{
    ec_describe_cache_clusters_output *o = NULL;
    int rc = ecp_parse_describe_cache_clusters(xml, len, RESPONSE_CAP, &o, err);

    *out = o;
    return rc;
}
static json_t *dcc_json(const void *o)
{
    return ec_describe_cache_clusters_output_to_json(o, EC_JSON_AWS);
}
static char *dcc_dumps(const void *o)
{
    return ec_describe_cache_clusters_output_dumps_aws(o);
}
static void dcc_free(void *o)
{
    ec_describe_cache_clusters_output_free(o);
}

static int drg_parse(const char *xml, size_t len, void **out, ec_error *err)
{
    ec_describe_replication_groups_output *o = NULL;
    int rc =
        ecp_parse_describe_replication_groups(xml, len, RESPONSE_CAP, &o, err);

    *out = o;
    return rc;
}
static json_t *drg_json(const void *o)
{
    return ec_describe_replication_groups_output_to_json(o, EC_JSON_AWS);
}
static char *drg_dumps(const void *o)
{
    return ec_describe_replication_groups_output_dumps_aws(o);
}
static void drg_free(void *o)
{
    ec_describe_replication_groups_output_free(o);
}

static const op ops[] = {
    {"DescribeCacheClusters", dcc_parse, dcc_json, dcc_dumps, dcc_free},
    {"DescribeReplicationGroups", drg_parse, drg_json, drg_dumps, drg_free},
};

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One operation of `m`; *json gets the text (caller frees), NULL in the
 * parse mode. `parsed` is the output the render mode renders. */
static int convert(const op *o, mode m, const char *xml, size_t len,
                   const void *parsed, char **json)
{
    ec_error err = {0};
    void *out = NULL;
    json_t *j;
    int rc = -1;

    *json = NULL;
    if (m == M_RENDER) {
        *json = o->dumps(parsed);
        return *json ? 0 : -1;
    }
    if (o->parse(xml, len, &out, &err) != 0) {
        fprintf(stderr, "bench_xml: %s\n", err.message);
        goto out;
    }
    if (m == M_PARSE) {
        rc = 0;
    } else if (m == M_DIRECT) {
        *json = o->dumps(out);
        rc = *json ? 0 : -1;
    } else {
        j = o->to_json(out);
        *json = j ? ec_json_dumps_aws(j) : NULL;
        json_decref(j);
        rc = *json ? 0 : -1;
    }
out:
    o->free(out);
    return rc;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_xml [--op DescribeCacheClusters|"
                    "DescribeReplicationGroups]\n"
                    "         [--mode direct|tree|parse|render] "
                    "--print FILE | FILE N\n");
    return 2;
}

int main(int argc, char **argv)
{
    static const char *const modes[] = {"direct", "tree", "parse", "render"};
    const op *o = &ops[0];
    mode m = M_DIRECT;
    char *xml = NULL, *json = NULL, *end;
    const char *file = NULL, *count = NULL;
    void *parsed = NULL;
    size_t len = 0, k;
    long i, n = 1;
    double t0, t1;
    int a, print = 0, rc = 1, found;
    ec_error err = {0};

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--op") == 0 && a + 1 < argc) {
            a++;
            for (k = 0, found = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
                if (strcmp(argv[a], ops[k].name) == 0) {
                    o = &ops[k];
                    found = 1;
                }
            if (!found)
                return usage();
        } else if (strcmp(argv[a], "--mode") == 0 && a + 1 < argc) {
            a++;
            for (k = 0, found = 0; k < sizeof(modes) / sizeof(modes[0]); k++)
                if (strcmp(argv[a], modes[k]) == 0) {
                    m = (mode)k;
                    found = 1;
                }
            if (!found)
                return usage();
        } else if (strcmp(argv[a], "--print") == 0 && a + 1 < argc) {
            print = 1;
            file = argv[++a];
        } else if (!file) {
            file = argv[a];
        } else if (!count) {
            count = argv[a];
        } else {
            return usage();
        }
    }
    if (!file || (print ? count != NULL : count == NULL))
        return usage();
    if (print && m == M_PARSE)
        m = M_DIRECT;
    if (!print) {
        n = strtol(count, &end, 10);
        if (*end != '\0' || n < 0) {
            fprintf(stderr, "bench_xml: bad iteration count\n");
            return 2;
        }
    }
    if (ecp_read_file(file, 64 << 20, &xml, &len, &err) != 0) {
        fprintf(stderr, "bench_xml: %s\n", err.message);
        goto out;
    }
    if (m == M_RENDER && o->parse(xml, len, &parsed, &err) != 0) {
        fprintf(stderr, "bench_xml: %s\n", err.message);
        goto out;
    }
    if (print) {
        if (convert(o, m, xml, len, parsed, &json) != 0)
            goto out;
        printf("%s\n", json);
        rc = 0;
        goto out;
    }
    t0 = now_ns();
    for (i = 0; i < n; i++) {
        if (convert(o, m, xml, len, parsed, &json) != 0)
            goto out;
        free(json);
        json = NULL;
    }
    t1 = now_ns();
    printf("ns_per_op %.1f\n", n ? (t1 - t0) / (double)n : 0.0);
    rc = 0;
out:
    free(json);
    free(xml);
    if (parsed)
        o->free(parsed);
    ec_error_clear(&err);
    return rc;
}
