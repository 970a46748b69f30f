/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reboot planning: a described cluster, its recent events and a policy in,
 * the nodes to reboot (or why nothing) out. Pure: no clock, no I/O.
 */
#include "waiter.h"

#include "abi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RESTART_PREFIX "Cache node "
#define RESTART_SUFFIX " restarted"

const char *ec_reboot_decision_str(ec_reboot_decision d)
{
    switch (d) {
    case EC_DECIDE_REBOOT:
        return "reboot";
    case EC_DECIDE_NOTHING_PENDING:
        return "nothing pending reboot";
    case EC_DECIDE_ALREADY_REBOOTING:
        return "already rebooting";
    case EC_DECIDE_RECENTLY_REBOOTED:
        return "recently rebooted";
    case EC_DECIDE_BUSY:
        return "cluster busy";
    case EC_DECIDE_UNSUPPORTED:
        return "unsupported";
    case EC_DECIDE_NO_NODES:
        return "no nodes asked for";
    case EC_DECIDE_REFUSED:
        return "refused by a safety rule";
    }
    return "unknown decision";
}

/* The failure acceptors of CacheClusterAvailable (waiters-2.json). */
const char *const ecp_failure_states[ECP_FAILURE_STATE_COUNT] = {
    "deleted", "deleting", "incompatible-network", "restore-failed"};

bool ecp_cluster_status_is_failure(const char *status)
{
    size_t k;

    for (k = 0; status && k < ECP_FAILURE_STATE_COUNT; k++)
        if (strcmp(status, ecp_failure_states[k]) == 0)
            return true;
    return false;
}

double ecp_time_sub(ec_time a, ec_time b)
{
    return (double)(a.sec - b.sec) + (double)(a.usec - b.usec) / 1e6;
}

ec_time ecp_time_add(ec_time t, double seconds)
{
    int64_t whole = (int64_t)seconds;
    int64_t usec = (int64_t)t.usec + (int64_t)((seconds - (double)whole) * 1e6);

    t.sec += whole;
    while (usec < 0) {
        usec += 1000000;
        t.sec--;
    }
    while (usec >= 1000000) {
        usec -= 1000000;
        t.sec++;
    }
    t.usec = (int32_t)usec;
    return t;
}

bool ecp_event_node_restarted(const ec_event *ev, const char *cluster_id,
                              ec_time since, char *node_id, size_t size)
{
    const char *p, *id;
    size_t n;

    if (!ev || !ev->message || !ev->source_identifier || !cluster_id)
        return false;
    if (strcasecmp(ev->source_identifier, cluster_id) != 0)
        return false;
    if (ev->source_type && strcmp(ev->source_type, "cache-cluster") != 0)
        return false;
    if (strncasecmp(ev->message, RESTART_PREFIX, strlen(RESTART_PREFIX)) != 0)
        return false;
    id = ev->message + strlen(RESTART_PREFIX);
    for (n = 0; id[n] >= '0' && id[n] <= '9'; n++)
        ;
    if (n == 0 || n >= size)
        return false;
    p = id + n;
    if (strncasecmp(p, RESTART_SUFFIX, strlen(RESTART_SUFFIX)) != 0)
        return false;
    if (since.set && (!ev->date.set || ecp_time_sub(ev->date, since) < 0))
        return false;
    memcpy(node_id, id, n);
    node_id[n] = '\0';
    return true;
}

bool ecp_cluster_is_rebooting(const ec_cache_cluster *cluster)
{
    return cluster && cluster->cache_cluster_status &&
           strcmp(cluster->cache_cluster_status,
                  ECP_STATUS_CLUSTER_REBOOTING) == 0;
}

static bool node_pending(const ec_cache_cluster *cluster,
                         const ec_cache_node *node)
{
    const ec_cache_parameter_group_status *pg = cluster->cache_parameter_group;

    if (node->parameter_group_status &&
        strcmp(node->parameter_group_status, "pending-reboot") == 0)
        return true;
    return pg && ecp_strlist_contains(&pg->cache_node_ids_to_reboot,
                                      node->cache_node_id);
}

static bool node_restarted_since(const ec_event_list *events,
                                 const char *cluster_id, ec_time since,
                                 const char *node_id)
{
    char id[16];
    size_t i;

    for (i = 0; events && i < events->count; i++)
        if (ecp_event_node_restarted(events->items[i], cluster_id, since, id,
                                     sizeof(id)) &&
            strcmp(id, node_id) == 0)
            return true;
    return false;
}

/* The ids of the cluster's nodes, for a message. */
static void join_cluster_nodes(char *buf, size_t size,
                               const ec_cache_cluster *cluster)
{
    ec_strlist ids = {0};
    size_t i;

    /* Borrow the node ids without copying: the list is only read. */
    char *items[64];
    ids.items = items;
    for (i = 0; i < cluster->cache_nodes.count && i < 64; i++)
        if (cluster->cache_nodes.items[i]->cache_node_id)
            items[ids.count++] = cluster->cache_nodes.items[i]->cache_node_id;
    ec_strlist_join(&ids, ", ", buf, size);
}

static int push(ec_strlist *l, const char *s, ec_error *err)
{
    if (ec_strlist_push(l, s) != 0)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    return 0;
}

/* The policy's nodes (deduplicated, in the caller's order) or every node. */
static int select_nodes(const ec_cache_cluster *cluster, const char *id,
                        const ec_reboot_policy *policy, ec_strlist *out,
                        ec_error *err)
{
    size_t i;

    if (!policy || policy->node_count == 0) {
        for (i = 0; i < cluster->cache_nodes.count; i++) {
            const char *nid = cluster->cache_nodes.items[i]->cache_node_id;
            if (nid && !ecp_strlist_contains(out, nid) &&
                push(out, nid, err) != 0)
                return -1;
        }
        return 0;
    }
    if (!policy->node_ids)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "node_count is %zu but node_ids is NULL",
                             policy->node_count);
    for (i = 0; i < policy->node_count; i++) {
        const char *nid = policy->node_ids[i];
        char nodes[200];

        if (!nid)
            return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                                 "node id %zu is NULL", i + 1);
        if (!ec_cache_cluster_find_node(cluster, nid)) {
            join_cluster_nodes(nodes, sizeof(nodes), cluster);
            return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                                 "cache node %s is not in cluster %s (its "
                                 "nodes: %s)",
                                 nid, id, nodes);
        }
        if (!ecp_strlist_contains(out, nid) && push(out, nid, err) != 0)
            return -1;
    }
    return 0;
}

/* ALREADY_REBOOTING or BUSY from the cluster's and the nodes' status;
 * returns true when one of them applies. BUSY is not decided when the
 * caller plans as if the cluster were available. */
static bool decide_by_state(const ec_cache_cluster *cluster, const char *id,
                            const ec_strlist *selected, unsigned flags,
                            ec_reboot_plan *plan)
{
    const char *status = cluster->cache_cluster_status;
    size_t i;

    if (ecp_cluster_is_rebooting(cluster)) {
        plan->decision = EC_DECIDE_ALREADY_REBOOTING;
        snprintf(plan->reason, sizeof(plan->reason),
                 "%s is already rebooting cache cluster nodes", id);
        return true;
    }
    for (i = 0; i < selected->count; i++) {
        const ec_cache_node *n =
            ec_cache_cluster_find_node(cluster, selected->items[i]);
        if (n && n->cache_node_status &&
            strcmp(n->cache_node_status, ECP_STATUS_NODE_REBOOTING) == 0) {
            plan->decision = EC_DECIDE_ALREADY_REBOOTING;
            snprintf(plan->reason, sizeof(plan->reason),
                     "node %s of %s is already rebooting", n->cache_node_id,
                     id);
            return true;
        }
    }
    if (flags & ECP_PLAN_ASSUME_AVAILABLE)
        return false;
    if (!status || strcmp(status, ECP_STATUS_AVAILABLE) != 0) {
        plan->decision = EC_DECIDE_BUSY;
        snprintf(plan->reason, sizeof(plan->reason), "%s is %s, not available",
                 id, status ? status : "in no state");
        return true;
    }
    /* A node whose status is missing is not known to be available. */
    for (i = 0; i < selected->count; i++) {
        const ec_cache_node *n =
            ec_cache_cluster_find_node(cluster, selected->items[i]);
        if (n && (!n->cache_node_status ||
                  strcmp(n->cache_node_status, ECP_STATUS_AVAILABLE) != 0)) {
            plan->decision = EC_DECIDE_BUSY;
            snprintf(plan->reason, sizeof(plan->reason),
                     "node %s of %s is %s, not available", n->cache_node_id, id,
                     n->cache_node_status ? n->cache_node_status
                                          : "in no state");
            return true;
        }
    }
    return false;
}

/*
 * Order of the rules: bad input first; then the cluster's state (a reboot
 * in progress, or another transition such as "modifying", which can itself
 * end in pending-reboot, so the policy filters are not trusted until the
 * cluster is available); then only_if_pending; then unless_rebooted_since.
 */
int ecp_reboot_plan_make(const ec_cache_cluster *cluster,
                         const ec_event_list *events,
                         const ec_reboot_policy *policy, unsigned flags,
                         ec_reboot_plan *plan, ec_error *err)
{
    ec_strlist selected = {0}, keep = {0};
    const char *id;
    char ids[160];
    size_t i;
    int rc = -1;

    memset(plan, 0, sizeof(*plan));
    id = cluster->cache_cluster_id ? cluster->cache_cluster_id : "(unnamed)";
    if (policy && policy->node_ids_set && policy->node_count == 0) {
        /* Given and empty: no node, whatever the cluster looks like. */
        plan->node_ids.set = true;
        plan->skipped_node_ids.set = true;
        plan->decision = EC_DECIDE_NO_NODES;
        snprintf(plan->reason, sizeof(plan->reason),
                 "the node list for %s is empty", id);
        return 0;
    }
    if (!cluster->cache_nodes.set || cluster->cache_nodes.count == 0) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "cluster %s was described without its nodes: describe "
                      "it with ShowCacheNodeInfo=true",
                      id);
        goto out;
    }
    for (i = 0; i < cluster->cache_nodes.count; i++)
        if (!cluster->cache_nodes.items[i]->cache_node_id) {
            ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                          "cluster %s was described with a cache node that "
                          "has no CacheNodeId: refusing to plan a reboot",
                          id);
            goto out;
        }
    if (select_nodes(cluster, id, policy, &selected, err) != 0)
        goto out;
    plan->node_ids.set = true;
    plan->skipped_node_ids.set = true;

    if (decide_by_state(cluster, id, &selected, flags, plan)) {
        rc = 0;
        goto out;
    }

    if (policy && policy->only_if_pending) {
        for (i = 0; i < selected.count; i++) {
            const ec_cache_node *n =
                ec_cache_cluster_find_node(cluster, selected.items[i]);
            ec_strlist *to =
                node_pending(cluster, n) ? &keep : &plan->skipped_node_ids;
            if (push(to, selected.items[i], err) != 0)
                goto out;
        }
        ec_strlist_clear(&selected);
        selected = keep;
        memset(&keep, 0, sizeof(keep));
        if (selected.count == 0) {
            plan->decision = EC_DECIDE_NOTHING_PENDING;
            snprintf(plan->reason, sizeof(plan->reason),
                     "nothing pending reboot on %s", id);
            rc = 0;
            goto out;
        }
    }

    if (policy && policy->unless_rebooted_since.set) {
        ec_strlist recent = {0};
        for (i = 0; i < selected.count; i++) {
            bool done = node_restarted_since(events, cluster->cache_cluster_id,
                                             policy->unless_rebooted_since,
                                             selected.items[i]);
            if (push(done ? &recent : &keep, selected.items[i], err) != 0) {
                ec_strlist_clear(&recent);
                goto out;
            }
        }
        for (i = 0; i < recent.count; i++)
            if (push(&plan->skipped_node_ids, recent.items[i], err) != 0) {
                ec_strlist_clear(&recent);
                goto out;
            }
        ec_strlist_clear(&selected);
        selected = keep;
        memset(&keep, 0, sizeof(keep));
        if (selected.count == 0) {
            ec_strlist_join(&recent, ", ", ids, sizeof(ids));
            plan->decision = EC_DECIDE_RECENTLY_REBOOTED;
            snprintf(plan->reason, sizeof(plan->reason),
                     "%s %s of %s restarted since the given time",
                     recent.count == 1 ? "node" : "nodes", ids, id);
            ec_strlist_clear(&recent);
            rc = 0;
            goto out;
        }
        ec_strlist_clear(&recent);
    }

    plan->decision = EC_DECIDE_REBOOT;
    plan->node_ids = selected;
    memset(&selected, 0, sizeof(selected));
    ec_strlist_join(&plan->node_ids, ", ", ids, sizeof(ids));
    snprintf(plan->reason, sizeof(plan->reason), "%s %s%s of %s",
             plan->node_ids.count == 1 ? "node" : "nodes", ids,
             policy && policy->only_if_pending ? " pending reboot" : "", id);
    rc = 0;
out:
    ec_strlist_clear(&selected);
    ec_strlist_clear(&keep);
    if (rc != 0)
        ecp_reboot_plan_clear(plan);
    return rc;
}

void ecp_reboot_plan_clear(ec_reboot_plan *plan)
{
    if (!plan)
        return;
    ec_strlist_clear(&plan->node_ids);
    ec_strlist_clear(&plan->skipped_node_ids);
    memset(plan, 0, sizeof(*plan));
}

int ec_reboot_plan_make(const ec_cache_cluster *cluster,
                        const ec_event_list *events,
                        const ec_reboot_policy *policy, ec_reboot_plan **plan,
                        ec_error *err)
{
    ec_reboot_policy pol;
    ec_reboot_plan *p;

    if (plan)
        *plan = NULL;
    if (!cluster || !plan)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "ec_reboot_plan_make: cluster and plan are "
                             "required");
    if (ecp_struct_import(&ecp_info_reboot_policy, &pol, policy, err) != 0)
        return -1;
    p = calloc(1, sizeof(*p));
    if (!p)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    if (ecp_reboot_plan_make(cluster, events, &pol, 0, p, err) != 0) {
        free(p);
        return -1;
    }
    *plan = p;
    return 0;
}

void ec_reboot_plan_free(ec_reboot_plan *plan)
{
    ecp_reboot_plan_clear(plan);
    free(plan);
}

void ecp_cluster_status_clear(ec_cluster_status *st)
{
    size_t i;

    if (!st)
        return;
    for (i = 0; i < st->node_count; i++) {
        if (!st->nodes[i])
            continue;
        free(st->nodes[i]->cache_node_id);
        free(st->nodes[i]->cache_node_status);
        free(st->nodes[i]->parameter_group_status);
        free(st->nodes[i]);
    }
    free(st->nodes);
    free(st->cache_cluster_status);
    memset(st, 0, sizeof(*st));
}

void ecp_cluster_status_free(ec_cluster_status *st)
{
    ecp_cluster_status_clear(st);
    free(st);
}

static int dup_field(char **dst, const char *src, ec_error *err)
{
    if (!src)
        return 0;
    *dst = strdup(src);
    if (!*dst)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    return 0;
}

int ecp_cluster_status_from(ec_cluster_status *st,
                            const ec_cache_cluster *cluster, ec_error *err)
{
    size_t i, n = cluster->cache_nodes.count;

    ecp_cluster_status_clear(st);
    if (dup_field(&st->cache_cluster_status, cluster->cache_cluster_status,
                  err) != 0)
        goto fail;
    if (n > 0) {
        st->nodes = calloc(n, sizeof(*st->nodes));
        if (!st->nodes) {
            ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }
    for (i = 0; i < n; i++) {
        const ec_cache_node *src = cluster->cache_nodes.items[i];
        ec_node_status *dst = calloc(1, sizeof(*dst));

        st->nodes[i] = dst;
        st->node_count = i + 1;
        if (!dst) {
            ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
            goto fail;
        }
        if (dup_field(&dst->cache_node_id, src->cache_node_id, err) != 0 ||
            dup_field(&dst->cache_node_status, src->cache_node_status, err) !=
                0 ||
            dup_field(&dst->parameter_group_status, src->parameter_group_status,
                      err) != 0)
            goto fail;
    }
    return 0;
fail:
    ecp_cluster_status_clear(st);
    return -1;
}

int ecp_cluster_status_predict(ec_cluster_status *after,
                               const ec_cluster_status *before,
                               const ec_strlist *rebooted, bool wait,
                               ec_error *err)
{
    const char *cluster =
        wait ? ECP_STATUS_AVAILABLE : ECP_STATUS_CLUSTER_REBOOTING;
    const char *node = wait ? ECP_STATUS_AVAILABLE : ECP_STATUS_NODE_REBOOTING;
    size_t i;

    ecp_cluster_status_clear(after);
    if (dup_field(&after->cache_cluster_status, cluster, err) != 0)
        goto fail;
    if (before->node_count > 0) {
        after->nodes = calloc(before->node_count, sizeof(*after->nodes));
        if (!after->nodes) {
            ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }
    for (i = 0; i < before->node_count; i++) {
        const ec_node_status *src = before->nodes[i];
        ec_node_status *dst = calloc(1, sizeof(*dst));
        bool hit;

        after->nodes[i] = dst;
        after->node_count = i + 1;
        if (!dst) {
            ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
            goto fail;
        }
        hit = src->cache_node_id &&
              ecp_strlist_contains(rebooted, src->cache_node_id);
        if (dup_field(&dst->cache_node_id, src->cache_node_id, err) != 0 ||
            dup_field(&dst->cache_node_status,
                      hit ? node : src->cache_node_status, err) != 0 ||
            dup_field(&dst->parameter_group_status,
                      hit && wait ? ECP_PARAMETERS_IN_SYNC
                                  : src->parameter_group_status,
                      err) != 0)
            goto fail;
    }
    return 0;
fail:
    ecp_cluster_status_clear(after);
    return -1;
}
