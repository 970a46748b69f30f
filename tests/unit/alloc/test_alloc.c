/* SPDX-License-Identifier: Apache-2.0 */
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

/* The same for replication groups: parse, copy, both renderers, the
 * member lookup on the copy, and the ModifyReplicationGroup answer. */
static int exercise_groups(const char *xml, size_t len, ec_errcode *code)
{
    ec_describe_replication_groups_output *out = NULL;
    ec_replication_group *copy = NULL;
    ec_error err = {0};
    json_t *json = NULL;
    char *text = NULL;
    int rc = -1;

    if (ecp_parse_describe_replication_groups(xml, len, 0, &out, &err) != 0)
        goto out;
    if (out->replication_groups.count == 0) {
        err.code = EC_ERR_INTERNAL;
        goto out;
    }
    copy = ec_replication_group_dup(out->replication_groups.items[0]);
    if (!copy) {
        err.code = EC_ERR_NOMEM;
        goto out;
    }
    if (!ec_replication_group_find_member(copy, "RG-SESSIONS-002", NULL)) {
        err.code = EC_ERR_INTERNAL;
        goto out;
    }
    json = ec_describe_replication_groups_output_to_json(out, EC_JSON_AWS);
    text = json ? ec_json_dumps_aws(json) : NULL;
    if (!text) {
        err.code = EC_ERR_NOMEM;
        goto out;
    }
    json_decref(json);
    json = ec_replication_group_to_json(copy, EC_JSON_SNAKE);
    if (!json) {
        err.code = EC_ERR_NOMEM;
        goto out;
    }
    rc = 0;
out:
    *code = err.code;
    json_decref(json);
    free(text);
    ec_replication_group_free(copy);
    ec_describe_replication_groups_output_free(out);
    return rc;
}

/* Count the allocations of a clean run, then fail each one in turn. */
static void fail_each(int (*run)(const char *, size_t, ec_errcode *),
                      const char *what, const char *xml, size_t len)
{
    long total, n, failures_seen = 0;
    ec_errcode code;

    allocfail_count = 0;
    allocfail_at = 0;
    CHECK(run(xml, len, &code) == 0);
    total = allocfail_count;
    CHECK(total > 10);

    for (n = 1; n <= total; n++) {
        allocfail_count = 0;
        allocfail_at = n;
        if (run(xml, len, &code) != 0) {
            failures_seen++;
            if (code != EC_ERR_NOMEM && code != EC_ERR_PARSE)
                fprintf(stderr, "%s: allocation %ld: unexpected error %s\n",
                        what, n, ec_strerror(code));
            CHECK(code == EC_ERR_NOMEM || code == EC_ERR_PARSE);
        }
    }
    allocfail_at = 0;
    /* Most allocations are load-bearing: failing them must be noticed. */
    CHECK(failures_seen > total / 2);
    fprintf(stderr, "%s: %ld allocations, %ld failed runs reported cleanly\n",
            what, total, failures_seen);
}

static char *read_wire(const char *dir, const char *name, size_t *len)
{
    char path[4096];
    char *xml = NULL;
    ec_error err = {0};

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (ecp_read_file(path, 1 << 20, &xml, len, &err) != 0) {
        fprintf(stderr, "%s\n", err.message);
        exit(2);
    }
    return xml;
}

int main(int argc, char **argv)
{
    char *xml;
    size_t len = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: test_alloc WIRE-DATA-DIR\n");
        return 2;
    }
    json_set_alloc_funcs(json_malloc, json_free);
    xml = read_wire(argv[1], "describe-cache-clusters.response.xml", &len);
    fail_each(exercise, "clusters", xml, len);
    free(xml);
    xml = read_wire(argv[1], "describe-replication-groups.response.xml", &len);
    fail_each(exercise_groups, "groups", xml, len);
    free(xml);
    return test_status("alloc");
}
