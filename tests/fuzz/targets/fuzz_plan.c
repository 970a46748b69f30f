/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: reboot planning (ec_reboot_plan_make) on whatever the
 * XML parsers make of any input, with any policy. Input: DescribeCacheClusters
 * XML, NUL, DescribeEvents XML, NUL, policy: one flags byte (1:
 * only_if_pending, 2: unless_rebooted_since), the since-time up to '\n',
 * then node ids separated by ','.
 * Oracle: the safety contract. A REBOOT plan names only nodes of an
 * "available" cluster that exist, are "available" (never "rebooting"),
 * are listed once, were asked for, are pending when only_if_pending, and
 * have no restart event since the given time; any other decision names no
 * node to reboot. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "waiter.h"
#include "xmlparse.h"

#define MAX_IDS 16

/* Name the broken property in the log, then crash for libFuzzer. */
#define ORACLE(cond, what)                                                     \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz_plan: oracle: %s\n", what);                  \
            abort();                                                           \
        }                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const ec_cache_node *node_of(const ec_cache_cluster *c, const char *id)
{
    size_t i;

    for (i = 0; i < c->cache_nodes.count; i++)
        if (c->cache_nodes.items[i]->cache_node_id &&
            strcmp(c->cache_nodes.items[i]->cache_node_id, id) == 0)
            return c->cache_nodes.items[i];
    return NULL;
}

static int is(const char *s, const char *want)
{
    return s && strcmp(s, want) == 0;
}

static void check_plan(const ec_cache_cluster *c, const ec_event_list *events,
                       const ec_reboot_policy *pol, const ec_reboot_plan *p)
{
    const ec_cache_parameter_group_status *pg = c->cache_parameter_group;
    size_t i, j;

    if (p->decision != EC_DECIDE_REBOOT) {
        ORACLE(p->node_ids.count == 0, "a no-reboot decision names nodes");
        return;
    }
    ORACLE(p->node_ids.count > 0, "a reboot plan names no node");
    ORACLE(is(c->cache_cluster_status, "available"),
           "a reboot plan for a cluster that is not available");
    for (i = 0; i < p->node_ids.count; i++) {
        const char *id = p->node_ids.items[i];
        const ec_cache_node *n = node_of(c, id);
        int asked = pol->node_count == 0, pending;

        ORACLE(n != NULL, "a planned node is not in the cluster");
        ORACLE(is(n->cache_node_status, "available"),
               "a planned node is not available");
        for (j = 0; j < i; j++)
            ORACLE(strcmp(p->node_ids.items[j], id) != 0,
                   "a node is planned twice");
        for (j = 0; j < pol->node_count; j++)
            asked |= strcmp(pol->node_ids[j], id) == 0;
        ORACLE(asked, "a planned node was not asked for");
        ORACLE(!ecp_strlist_contains(&p->skipped_node_ids, id),
               "a node is both planned and skipped");
        pending =
            is(n->parameter_group_status, "pending-reboot") ||
            (pg && ecp_strlist_contains(&pg->cache_node_ids_to_reboot, id));
        ORACLE(!pol->only_if_pending || pending,
               "only_if_pending plans a node that is not pending");
        for (j = 0;
             pol->unless_rebooted_since.set && events && j < events->count;
             j++) {
            char got[16];

            ORACLE(!ecp_event_node_restarted(
                       events->items[j], c->cache_cluster_id,
                       pol->unless_rebooted_since, got, sizeof(got)) ||
                       strcmp(got, id) != 0,
                   "a node restarted since the given time is planned");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *ev_xml, *pol_text, *nl, *rest;
    const char *ids[MAX_IDS];
    ec_describe_cache_clusters_output *dcc = NULL;
    ec_describe_events_output *dev = NULL;
    ec_reboot_policy pol = EC_REBOOT_POLICY_INIT;
    ec_error err = {0};
    size_t i, dcc_len, ev_len = 0;
    int have_events = 0;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    /* Split on the first two NULs (a missing part is empty). */
    dcc_len = strnlen(text, size);
    ev_xml = text + dcc_len + (dcc_len < size);
    ev_len = strnlen(ev_xml, size - (size_t)(ev_xml - text));
    pol_text = ev_xml + ev_len + (ev_xml + ev_len < text + size);

    if (ecp_parse_describe_cache_clusters(text, dcc_len, 0, &dcc, &err) != 0)
        goto out;
    ec_error_clear(&err);
    have_events = ev_len > 0 &&
                  ecp_parse_describe_events(ev_xml, ev_len, 0, &dev, &err) == 0;
    ec_error_clear(&err);

    if (*pol_text) {
        rest = pol_text + 1;
        pol.only_if_pending = *pol_text & 1;
        if (*pol_text & 2) {
            nl = strchr(rest, '\n');
            if (nl)
                *nl = '\0';
            if (ec_time_parse(rest, &pol.unless_rebooted_since, &err) != 0)
                pol.unless_rebooted_since.set = false;
            ec_error_clear(&err);
            rest = nl ? nl + 1 : rest + strlen(rest);
        }
        while (*rest && pol.node_count < MAX_IDS) {
            char *comma = strchr(rest, ',');

            if (comma)
                *comma = '\0';
            if (*rest)
                ids[pol.node_count++] = rest;
            if (!comma)
                break;
            rest = comma + 1;
        }
        pol.node_ids = pol.node_count ? ids : NULL;
    }

    for (i = 0; i < dcc->cache_clusters.count; i++) {
        ec_reboot_plan *plan = NULL;
        const ec_event_list *events = have_events ? &dev->events : NULL;

        if (ec_reboot_plan_make(dcc->cache_clusters.items[i], events, &pol,
                                &plan, &err) == 0)
            check_plan(dcc->cache_clusters.items[i], events, &pol, plan);
        ec_reboot_plan_free(plan);
        ec_error_clear(&err);
    }
out:
    ec_describe_events_output_free(dev);
    ec_describe_cache_clusters_output_free(dcc);
    ec_error_clear(&err);
    free(text);
    return 0;
}
