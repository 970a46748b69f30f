/* SPDX-License-Identifier: Apache-2.0 */
/*
 * plan_case DIR: run ec_reboot_plan_make on one case folder (see
 * tests/data/plan/PROVENANCE.md for the format) and compare with its
 * expected.json. Exits 0 on a match, 1 with a description otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "elasticache/elasticache.h"
#include "xmlparse.h"

#define MAX_FILE (1024 * 1024)

static int failures;

static void fail(const char *what, const char *got, const char *want)
{
    failures++;
    fprintf(stderr, "%s\n  got:      %s\n  expected: %s\n", what, got, want);
}

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Whole file, or NULL (and *missing=1 when it does not exist). */
static char *slurp(const char *dir, const char *name, size_t *len)
{
    char *path = path_in(dir, name), *data = NULL;
    ec_error err = {0};

    if (path && ecp_read_file(path, MAX_FILE, &data, len, &err) != 0)
        data = NULL;
    free(path);
    return data;
}

static void list_text(const ec_strlist *l, char *buf, size_t size)
{
    size_t i, len = 0;

    len += (size_t)snprintf(buf, size, "[");
    for (i = 0; i < l->count && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s\"%s\"",
                                i ? ", " : "", l->items[i]);
    if (len < size)
        snprintf(buf + len, size - len, "]");
}

static void json_list_text(const json_t *a, char *buf, size_t size)
{
    ec_strlist l = {0};
    size_t i;
    json_t *v;

    json_array_foreach(a, i, v) ec_strlist_push(&l, json_string_value(v));
    list_text(&l, buf, size);
    ec_strlist_clear(&l);
}

static void compare_list(const char *what, const ec_strlist *got,
                         const json_t *want)
{
    char g[1024], w[1024];

    if (!want)
        return;
    list_text(got, g, sizeof(g));
    json_list_text(want, w, sizeof(w));
    if (strcmp(g, w) != 0)
        fail(what, g, w);
}

static int load_policy(json_t *policy, ec_reboot_policy *p, const char **names,
                       ec_error *err)
{
    json_t *ids = json_object_get(policy, "node_ids");
    const char *since =
        json_string_value(json_object_get(policy, "unless_rebooted_since"));
    size_t i;
    json_t *v;

    json_array_foreach(ids, i, v)
    {
        if (i >= 16)
            break;
        names[i] = json_string_value(v);
        p->node_count = i + 1;
    }
    p->node_ids = p->node_count ? names : NULL;
    /* A list in the policy is given, even empty: empty is no node. */
    p->node_ids_set = json_is_array(ids);
    p->only_if_pending =
        json_is_true(json_object_get(policy, "only_if_pending"));
    if (since && ec_time_parse(since, &p->unless_rebooted_since, err) != 0)
        return -1;
    return 0;
}

static const ec_cache_cluster *
pick(const ec_describe_cache_clusters_output *out, const char *name)
{
    size_t i;

    for (i = 0; i < out->cache_clusters.count; i++)
        if (!name ||
            strcmp(out->cache_clusters.items[i]->cache_cluster_id, name) == 0)
            return out->cache_clusters.items[i];
    return NULL;
}

int main(int argc, char **argv)
{
    ec_describe_cache_clusters_output *described = NULL;
    ec_describe_events_output *events = NULL;
    ec_reboot_policy policy = EC_REBOOT_POLICY_INIT;
    ec_reboot_plan *plan = NULL;
    ec_error err = {0};
    const char *names[16];
    const ec_cache_cluster *cluster;
    json_t *pol = NULL, *exp = NULL;
    json_error_t jerr;
    char *xml = NULL, *evxml = NULL, *p;
    size_t len = 0, evlen = 0;
    const char *want;
    int rc, status = 2;

    if (argc != 2) {
        fprintf(stderr, "usage: plan_case DIR\n");
        return 2;
    }
    xml = slurp(argv[1], "cluster.xml", &len);
    evxml = slurp(argv[1], "events.xml", &evlen);
    p = path_in(argv[1], "policy.json");
    pol = json_load_file(p, 0, &jerr);
    free(p);
    p = path_in(argv[1], "expected.json");
    exp = json_load_file(p, 0, &jerr);
    free(p);
    if (!xml || !pol || !exp) {
        fprintf(stderr, "%s: needs cluster.xml, policy.json, expected.json\n",
                argv[1]);
        goto out;
    }
    if (ecp_parse_describe_cache_clusters(xml, len, 0, &described, &err) != 0 ||
        (evxml &&
         ecp_parse_describe_events(evxml, evlen, 0, &events, &err) != 0) ||
        load_policy(pol, &policy, names, &err) != 0) {
        fprintf(stderr, "%s: bad case input: %s\n", argv[1], err.message);
        goto out;
    }
    cluster =
        pick(described, json_string_value(json_object_get(pol, "cluster")));
    if (!cluster) {
        fprintf(stderr, "%s: no such cluster in cluster.xml\n", argv[1]);
        goto out;
    }

    rc = ec_reboot_plan_make(cluster, events ? &events->events : NULL, &policy,
                             &plan, &err);
    want = json_string_value(json_object_get(exp, "error"));
    if (want) {
        if (rc == 0)
            fail("result", ec_reboot_decision_str(plan->decision), want);
        else if (strcmp(ec_strerror(err.code), want) != 0)
            fail("error", ec_strerror(err.code), want);
        want = json_string_value(json_object_get(exp, "message"));
        if (rc != 0 && want && strcmp(err.message, want) != 0)
            fail("error message", err.message, want);
    } else if (rc != 0) {
        fail("result", err.message,
             json_string_value(json_object_get(exp, "decision")));
    } else {
        want = json_string_value(json_object_get(exp, "decision"));
        if (!want || strcmp(ec_reboot_decision_str(plan->decision), want) != 0)
            fail("decision", ec_reboot_decision_str(plan->decision),
                 want ? want : "(missing)");
        compare_list("node_ids", &plan->node_ids,
                     json_object_get(exp, "node_ids"));
        compare_list("skipped_node_ids", &plan->skipped_node_ids,
                     json_object_get(exp, "skipped"));
        want = json_string_value(json_object_get(exp, "reason"));
        if (want && strcmp(plan->reason, want) != 0)
            fail("reason", plan->reason, want);
        if (plan->decision != EC_DECIDE_REBOOT && plan->node_ids.count != 0)
            fail("node_ids when not rebooting", "non-empty", "[]");
    }
    status = failures ? 1 : 0;
    if (status)
        fprintf(stderr, "%s: %d mismatch(es)\n", argv[1], failures);
out:
    ec_reboot_plan_free(plan);
    ec_describe_cache_clusters_output_free(described);
    ec_describe_events_output_free(events);
    json_decref(pol);
    json_decref(exp);
    free(xml);
    free(evxml);
    return status;
}
