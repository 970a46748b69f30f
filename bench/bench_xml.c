/* Benchmark driver: parse a DescribeCacheClusters XML response and render it
 * as the AWS CLI's JSON (ecp_parse_describe_cache_clusters,
 * ec_describe_cache_clusters_output_to_json, ec_json_dumps_aws): the work
 * `elasticache describe-cache-clusters` does per page. Driven by
 * bench/xml_vs_botocore.py.
 *   bench_xml --print FILE          the JSON, once
 *   bench_xml FILE ITERATIONS       prints "ns_per_op N" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "xmlparse.h"

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Parse and render once; *json gets the text (caller frees). */
static int convert(const char *xml, size_t len, char **json)
{
    ec_describe_cache_clusters_output *out = NULL;
    ec_error err = {0};
    json_t *j = NULL;
    int rc = -1;

    if (ecp_parse_describe_cache_clusters(xml, len, 0, &out, &err) != 0) {
        fprintf(stderr, "bench_xml: %s\n", err.message);
        goto out;
    }
    j = ec_describe_cache_clusters_output_to_json(out, EC_JSON_AWS);
    if (!j)
        goto out;
    *json = ec_json_dumps_aws(j);
    if (*json)
        rc = 0;
out:
    json_decref(j);
    ec_describe_cache_clusters_output_free(out);
    ec_error_clear(&err);
    return rc;
}

int main(int argc, char **argv)
{
    char *xml = NULL, *json = NULL, *end;
    size_t len = 0;
    long i, n = 1;
    double t0, t1;
    int print = argc == 3 && strcmp(argv[1], "--print") == 0, rc = 1;
    ec_error err = {0};

    if (argc != 3) {
        fprintf(stderr, "usage: bench_xml --print FILE | FILE N\n");
        return 2;
    }
    if (!print) {
        n = strtol(argv[2], &end, 10);
        if (*end != '\0' || n < 0) {
            fprintf(stderr, "bench_xml: bad iteration count\n");
            return 2;
        }
    }
    if (ecp_read_file(argv[print ? 2 : 1], 64 << 20, &xml, &len, &err) != 0) {
        fprintf(stderr, "bench_xml: %s\n", err.message);
        goto out;
    }
    if (print) {
        if (convert(xml, len, &json) != 0)
            goto out;
        printf("%s\n", json);
        rc = 0;
        goto out;
    }
    t0 = now_ns();
    for (i = 0; i < n; i++) {
        if (convert(xml, len, &json) != 0)
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
    ec_error_clear(&err);
    return rc;
}
