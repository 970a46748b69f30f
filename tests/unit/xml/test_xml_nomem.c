/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation failure: make the Nth allocation fail, for every N, while a
 * captured response is parsed, copied and rendered both ways; each run
 * must fail cleanly (or succeed) and leave the heap as it found it.
 * malloc is replaced through glibc's __libc_* entry points, so this test
 * is not built with the sanitizers or run under valgrind. */
/* dladdr and Dl_info are GNU extensions. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "testutil.h"
#include "util.h"
#include "xmlparse.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

static long fail_at = -1;
static long allocs;

/* Default visibility (the project builds hidden) so the shared libraries
 * bind to these too. */
#define EXPORTED __attribute__((visibility("default")))

/* libxml2 2.9 itself crashes on some allocation failures (fixed upstream
 * in 2.11), so allocations libxml2 makes directly are never failed: this
 * test is about this library's handling, and jansson's and libc's on its
 * behalf. */
static int in_libxml2(void *caller)
{
    Dl_info info;

    return dladdr(caller, &info) && info.dli_fname &&
           strstr(info.dli_fname, "libxml2") != NULL;
}

#define INJECT()                                                               \
    (fail_at > 0 && !in_libxml2(__builtin_return_address(0)) &&                \
     ++allocs == fail_at)

EXPORTED void *malloc(size_t size)
{
    return INJECT() ? NULL : __libc_malloc(size);
}

EXPORTED void *calloc(size_t n, size_t size)
{
    return INJECT() ? NULL : __libc_calloc(n, size);
}

EXPORTED void *realloc(void *p, size_t size)
{
    return INJECT() ? NULL : __libc_realloc(p, size);
}

EXPORTED void free(void *p)
{
    __libc_free(p);
}

static char *render(json_t *j)
{
    char *s = j ? ec_json_dumps_aws(j) : NULL;

    json_decref(j);
    return s;
}

/* 0: everything worked; 1: failed cleanly; -1: failed wrongly. */
static int scenario(const char *xml, size_t len)
{
    ec_describe_cache_clusters_output *out = NULL;
    ec_cache_cluster *copy = NULL;
    ec_error err = {0};
    char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    int rc = 1;

    if (ecp_parse_describe_cache_clusters(xml, len, 0, &out, &err) != 0) {
        /* libxml2 reports its own allocation failures as parse errors. */
        if (err.code != EC_ERR_NOMEM && err.code != EC_ERR_PARSE)
            rc = -1;
        goto out;
    }
    a = render(ec_describe_cache_clusters_output_to_json(out, EC_JSON_AWS));
    b = render(ec_describe_cache_clusters_output_to_json(out, EC_JSON_SNAKE));
    d = ec_describe_cache_clusters_output_dumps_aws(out);
    /* The direct writer fails cleanly or prints the tree's text. */
    if (a && d && strcmp(a, d) != 0) {
        rc = -1;
        goto out;
    }
    copy = ec_cache_cluster_dup(out->cache_clusters.items[1]);
    if (!copy)
        goto out;
    c = render(ec_cache_cluster_to_json(copy, EC_JSON_AWS));
    if (a && b && c && d)
        rc = 0;
out:
    free(a);
    free(b);
    free(c);
    free(d);
    ec_cache_cluster_free(copy);
    ec_describe_cache_clusters_output_free(out);
    return rc;
}

/* The same for replication groups: parse, both renderers, a deep copy of
 * every group, and the ModifyReplicationGroup answer. */
static int scenario_groups(const char *xml, size_t len)
{
    ec_describe_replication_groups_output *out = NULL;
    ec_modify_replication_group_output *mod = NULL;
    ec_replication_group *copy = NULL;
    ec_error err = {0};
    char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    size_t i;
    int rc = 1;

    if (ecp_parse_describe_replication_groups(xml, len, 0, &out, &err) != 0) {
        if (err.code != EC_ERR_NOMEM && err.code != EC_ERR_PARSE)
            rc = -1;
        goto out;
    }
    a = render(ec_describe_replication_groups_output_to_json(out, EC_JSON_AWS));
    b = render(
        ec_describe_replication_groups_output_to_json(out, EC_JSON_SNAKE));
    d = ec_describe_replication_groups_output_dumps_aws(out);
    if (a && d && strcmp(a, d) != 0) {
        rc = -1;
        goto out;
    }
    if (!a || !b || !d)
        goto out;
    for (i = 0; i < out->replication_groups.count; i++) {
        copy = ec_replication_group_dup(out->replication_groups.items[i]);
        if (!copy)
            goto out;
        free(c);
        c = render(ec_replication_group_to_json(copy, EC_JSON_SNAKE));
        ec_replication_group_free(copy);
        copy = NULL;
        if (!c)
            goto out;
    }
    /* The same body read as a ModifyReplicationGroup answer is refused
     * (another root element), which must not leak either. */
    ec_error_clear(&err);
    if (ecp_parse_modify_replication_group(xml, len, 0, &mod, &err) == 0 ||
        (err.code != EC_ERR_PARSE && err.code != EC_ERR_NOMEM)) {
        rc = -1;
        goto out;
    }
    rc = 0;
out:
    free(a);
    free(b);
    free(c);
    free(d);
    ec_replication_group_free(copy);
    ec_modify_replication_group_output_free(mod);
    ec_describe_replication_groups_output_free(out);
    return rc;
}

/* Fail each allocation of `run` in turn; returns how many there were. */
static long fail_each(int (*run)(const char *, size_t), const char *xml,
                      size_t len)
{
    size_t before, after;
    long n;
    int rc;

    /* Warm up: one-time library state (libxml2 init, jansson's seed). */
    CHECK_INT(run(xml, len), 0);
    xmlResetLastError();
    for (n = 1;; n++) {
        before = mallinfo2().uordblks;
        allocs = 0;
        fail_at = n;
        rc = run(xml, len);
        fail_at = -1;
        xmlResetLastError();
        after = mallinfo2().uordblks;
        if (rc < 0 || before != after) {
            fprintf(stderr, "allocation %ld: rc %d, heap %zu -> %zu\n", n, rc,
                    before, after);
            CHECK(0);
        }
        if (allocs < n) { /* nothing left to fail: the run succeeded */
            CHECK_INT(rc, 0);
            return allocs;
        }
    }
}

static char *read_wire(const char *name, size_t *len)
{
    char path[512];
    char *xml = NULL;

    snprintf(path, sizeof(path), "%s/%s", EC_WIRE_DIR, name);
    if (ecp_read_file(path, 1 << 20, &xml, len, NULL) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    return xml;
}

int main(void)
{
    char *xml;
    size_t len;
    long total;

    xml = read_wire("describe-cache-clusters.page1-with-marker.response.xml",
                    &len);
    total = fail_each(scenario, xml, len);
    fprintf(stderr, "clusters: failed each of %ld allocations in turn\n",
            total);
    CHECK(total > 100);
    free(xml);

    xml = read_wire("describe-replication-groups.response.xml", &len);
    total = fail_each(scenario_groups, xml, len);
    fprintf(stderr, "groups: failed each of %ld allocations in turn\n", total);
    CHECK(total > 100);
    free(xml);
    return test_status("xml.nomem");
}
