/* Hand-built clusters and probe results for the table tests of judge.c,
 * pick.c and plan.c: one row per node, one letter per way a probe ends. */
#ifndef MON_TEST_ROWS_H
#define MON_TEST_ROWS_H

#include <stdio.h>
#include <string.h>

#include "cluster.h"

#define ROWS_MAX 16

/*
 * A node as a row: id (NULL: the node has none), API status, parameter
 * group status, what the probe found and its seconds. Probe letters:
 *   '-' not probed        'o' answered          'r' refused
 *   'x' closed or reset   's' silent after the connection
 *   'c' connect timeout   'n' no route          'h' silent TLS handshake
 *   'a' AUTH refused      'q' AUTH required     't' TLS error
 *   'v' certificate not verified                'e' TLS back to plain text
 *   'p' plain text back to TLS                  'b' busy (LOADING)
 *   'w' wrong answer      'z' not started (no descriptor or time)
 */
typedef struct node_row {
    const char *id, *status, *pg;
    char probe;
    double seconds;
} node_row;

static inline ec_probe_why row_why(char c)
{
    switch (c) {
    case 'r':
        return EC_PROBE_WHY_REFUSED;
    case 'x':
        return EC_PROBE_WHY_CLOSED;
    case 's':
        return EC_PROBE_WHY_SILENT;
    case 'c':
        return EC_PROBE_WHY_CONNECT_TIMEOUT;
    case 'n':
        return EC_PROBE_WHY_NO_ROUTE;
    case 'h':
        return EC_PROBE_WHY_TLS_SILENT;
    case 'a':
        return EC_PROBE_WHY_AUTH_REFUSED;
    case 'q':
        return EC_PROBE_WHY_AUTH_REQUIRED;
    case 't':
        return EC_PROBE_WHY_TLS_ERROR;
    case 'v':
        return EC_PROBE_WHY_TLS_VERIFY;
    case 'e':
        return EC_PROBE_WHY_TLS_EXPECTED;
    case 'p':
        return EC_PROBE_WHY_PLAINTEXT;
    case 'b':
        return EC_PROBE_WHY_BUSY;
    case 'w':
        return EC_PROBE_WHY_WRONG_ANSWER;
    case 'z':
        return EC_PROBE_WHY_NOT_STARTED;
    default:
        return EC_PROBE_WHY_NONE;
    }
}

/* The status the library gives each way (lib/src/probe.c why_status). */
static inline ec_probe_status row_status(ec_probe_why w)
{
    switch (w) {
    case EC_PROBE_WHY_NONE:
        return EC_PROBE_OK;
    case EC_PROBE_WHY_CONNECT_TIMEOUT:
    case EC_PROBE_WHY_NO_ROUTE:
    case EC_PROBE_WHY_REFUSED:
    case EC_PROBE_WHY_CLOSED:
    case EC_PROBE_WHY_SILENT:
    case EC_PROBE_WHY_TLS_SILENT:
        return EC_PROBE_UNREACHABLE;
    case EC_PROBE_WHY_TLS_ERROR:
    case EC_PROBE_WHY_TLS_VERIFY:
    case EC_PROBE_WHY_TLS_EXPECTED:
    case EC_PROBE_WHY_PLAINTEXT:
        return EC_PROBE_TLS_FAILED;
    case EC_PROBE_WHY_AUTH_REFUSED:
    case EC_PROBE_WHY_AUTH_REQUIRED:
        return EC_PROBE_AUTH_FAILED;
    case EC_PROBE_WHY_BUSY:
    case EC_PROBE_WHY_WRONG_ANSWER:
        return EC_PROBE_BAD_ANSWER;
    case EC_PROBE_WHY_NOT_STARTED:
        break;
    }
    return EC_PROBE_NOT_PROBED;
}

/*
 * What the API says of the cluster, as words: "tls" (TransitEncryption
 * Enabled, no mode: required), "tls-required", "tls-preferred", "auth"
 * (AuthTokenEnabled). Absent: false (set), unless "unset" says the API
 * did not say at all.
 */
typedef struct fixture {
    ec_cache_cluster cl;
    ec_cache_node nodes[ROWS_MAX];
    ec_cache_node *ptrs[ROWS_MAX];
    ec_probe_result results[ROWS_MAX];
    mon_node_probe probes[ROWS_MAX];
    size_t n;
    mon_plan plan;
} fixture;

static inline void fixture_build(fixture *f, const char *engine,
                                 const char *status, const char *api,
                                 const node_row *rows,
                                 const mon_plan_options *po)
{
    memset(f, 0, sizeof(*f));
    f->cl.cache_cluster_id = "c";
    f->cl.cache_cluster_status = (char *)status;
    f->cl.engine = (char *)engine;
    if (!api || !strstr(api, "unset")) {
        f->cl.transit_encryption_enabled.set = true;
        f->cl.auth_token_enabled.set = true;
    }
    if (api && strstr(api, "tls")) {
        f->cl.transit_encryption_enabled.value = true;
        if (strstr(api, "tls-preferred"))
            f->cl.transit_encryption_mode = "preferred";
        else if (strstr(api, "tls-required"))
            f->cl.transit_encryption_mode = "required";
    }
    if (api && strstr(api, "auth"))
        f->cl.auth_token_enabled.value = true;
    for (f->n = 0; f->n < ROWS_MAX && (rows[f->n].id || rows[f->n].status);
         f->n++) {
        const node_row *r = &rows[f->n];
        size_t i = f->n;

        f->nodes[i].cache_node_id = (char *)r->id;
        f->nodes[i].cache_node_status = (char *)r->status;
        f->nodes[i].parameter_group_status = (char *)r->pg;
        f->ptrs[i] = &f->nodes[i];
        f->probes[i].node = &f->nodes[i];
        f->probes[i].probed = r->probe != '-';
        f->probes[i].result = f->probes[i].probed ? &f->results[i] : NULL;
        f->results[i].why = row_why(r->probe);
        f->results[i].status = row_status(f->results[i].why);
        f->results[i].ok = f->results[i].status == EC_PROBE_OK;
        f->results[i].seconds = r->seconds;
    }
    f->cl.cache_nodes.set = true;
    f->cl.cache_nodes.count = f->n;
    f->cl.cache_nodes.items = f->ptrs;
    mon_plan_cluster(&f->cl, po, &f->plan);
}

/* The options of a plan from the API alone, with a token at hand. */
#define PLAN_FROM_API                                                          \
    {                                                                          \
        -1, -1, false, true                                                    \
    }

#endif
