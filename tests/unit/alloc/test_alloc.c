/*
 * Fail the Nth allocation made by library code (ld --wrap), for every N,
 * through parsing, copying, planning and JSON rendering: each run must end
 * in success or EC_ERR_NOMEM/EC_ERR_PARSE, and free everything it took.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "elasticache/elasticache.h"
#include "util.h"
#include "xmlparse.h"

#include "../testutil.h"

#include "allocfail.h"

/* jansson allocates through its own hooks: route them here too. */
static void *json_malloc(size_t size)
{
    return __wrap_malloc(size);
}

static void json_free(void *p)
{
    free(p);
}

/* One pass over everything the tools do with a describe response. */
static int exercise(const char *xml, size_t len, ec_errcode *code)
{
    ec_describe_cache_clusters_output *out = NULL;
    ec_cache_cluster *copy = NULL;
    ec_reboot_plan *plan = NULL;
    ec_reboot_policy policy = EC_REBOOT_POLICY_INIT;
    ec_error err = {0};
    json_t *json = NULL;
    char *text = NULL;
    int rc = -1;

    if (ecp_parse_describe_cache_clusters(xml, len, 0, &out, &err) != 0)
        goto out;
    if (out->cache_clusters.count == 0) {
        err.code = EC_ERR_INTERNAL;
        goto out;
    }
    copy = ec_cache_cluster_dup(out->cache_clusters.items[0]);
    if (!copy) {
        err.code = EC_ERR_NOMEM;
        goto out;
    }
    json = ec_describe_cache_clusters_output_to_json(out, EC_JSON_AWS);
    if (!json) {
        err.code = EC_ERR_NOMEM;
        goto out;
    }
    text = ec_json_dumps_aws(json);
    if (!text) {
        err.code = EC_ERR_NOMEM;
        goto out;
    }
    json_decref(json);
    json = ec_cache_cluster_to_json(copy, EC_JSON_SNAKE);
    if (!json) {
        err.code = EC_ERR_NOMEM;
        goto out;
    }
    if (ec_reboot_plan_make(copy, NULL, &policy, &plan, &err) != 0)
        goto out;
    rc = 0;
out:
    *code = err.code;
    ec_reboot_plan_free(plan);
    json_decref(json);
    free(text);
    ec_cache_cluster_free(copy);
    ec_describe_cache_clusters_output_free(out);
    return rc;
}

int main(int argc, char **argv)
{
    char path[4096];
    char *xml = NULL;
    size_t len = 0;
    ec_error err = {0};
    ec_errcode code;
    long total, n, failures_seen = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: test_alloc WIRE-DATA-DIR\n");
        return 2;
    }
    snprintf(path, sizeof(path), "%s/describe-cache-clusters.response.xml",
             argv[1]);
    if (ecp_read_file(path, 1 << 20, &xml, &len, &err) != 0) {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    json_set_alloc_funcs(json_malloc, json_free);

    /* Count the allocations of a clean run, then fail each one in turn. */
    allocfail_count = 0;
    allocfail_at = 0;
    CHECK(exercise(xml, len, &code) == 0);
    total = allocfail_count;
    CHECK(total > 10);

    for (n = 1; n <= total; n++) {
        allocfail_count = 0;
        allocfail_at = n;
        if (exercise(xml, len, &code) != 0) {
            failures_seen++;
            if (code != EC_ERR_NOMEM && code != EC_ERR_PARSE)
                fprintf(stderr, "allocation %ld: unexpected error %s\n", n,
                        ec_strerror(code));
            CHECK(code == EC_ERR_NOMEM || code == EC_ERR_PARSE);
        }
    }
    allocfail_at = 0;
    /* Most allocations are load-bearing: failing them must be noticed. */
    CHECK(failures_seen > total / 2);
    fprintf(stderr, "%ld allocations, %ld failed runs reported cleanly\n",
            total, failures_seen);
    free(xml);
    return test_status("alloc");
}
