/* Judging a described cluster and its nodes' probes: the state, a one-line
 * summary and the counts check_elasticache reports. Pure: no I/O. */
#include "judge.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_problem(mon_verdict *v, mon_state s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_problem(mon_verdict *v, mon_state s, const char *fmt, ...)
{
    size_t len = strlen(v->summary);
    va_list ap;

    v->state = mon_state_worst(v->state, s);
    if (len && len + 2 < sizeof(v->summary)) {
        memcpy(v->summary + len, "; ", 3);
        len += 2;
    }
    va_start(ap, fmt);
    vsnprintf(v->summary + len, sizeof(v->summary) - len, fmt, ap);
    va_end(ap);
}

/* The API's cluster status as a state; UNKNOWN for one we do not know. */
mon_state mon_cluster_status_state(const char *status)
{
    static const char *const warning[] = {"creating", "modifying",
                                          "snapshotting", "rebooting"};
    static const char *const critical[] = {"deleting", "deleted",
                                           "incompatible-network",
                                           "restore-failed", "create-failed"};

    if (!status)
        return MON_UNKNOWN;
    if (strcmp(status, "available") == 0)
        return MON_OK;
    /* "rebooting cache cluster nodes" is how a reboot reads */
    for (size_t i = 0; i < sizeof(warning) / sizeof(warning[0]); i++)
        if (strncmp(status, warning[i], strlen(warning[i])) == 0)
            return MON_WARNING;
    for (size_t i = 0; i < sizeof(critical) / sizeof(critical[0]); i++)
        if (strcmp(status, critical[i]) == 0)
            return MON_CRITICAL;
    return MON_UNKNOWN;
}

static bool list_has(const ec_strlist *l, const char *s)
{
    for (size_t i = 0; s && i < l->count; i++)
        if (l->items[i] && strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

static bool node_pending(const ec_cache_cluster *cl, const ec_cache_node *n)
{
    const ec_cache_parameter_group_status *pg = cl->cache_parameter_group;

    if (n->parameter_group_status &&
        strcmp(n->parameter_group_status, "pending-reboot") == 0)
        return true;
    return pg && pg->parameter_apply_status &&
           strcmp(pg->parameter_apply_status, "pending-reboot") == 0 &&
           pg->cache_node_ids_to_reboot.set &&
           list_has(&pg->cache_node_ids_to_reboot, n->cache_node_id);
}

/* "0001, 0002": the probed nodes whose probe came to `want`. */
static void list_nodes(char *buf, size_t size, const mon_node_probe *probes,
                       size_t count, ec_probe_status want)
{
    char **ids = calloc(count + 1, sizeof(*ids));
    ec_strlist some = {0};

    /* Borrowed: the list is only read. Out of memory: no names. */
    some.items = ids;
    for (size_t i = 0; ids && i < count; i++)
        if (probes[i].probed && probes[i].result->status == want)
            ids[some.count++] = probes[i].node->cache_node_id
                                    ? probes[i].node->cache_node_id
                                    : (char *)"?";
    ec_strlist_join(&some, ", ", buf, size);
    free(ids);
}

void mon_judge_cluster(const ec_cache_cluster *cl, const mon_node_probe *probes,
                       size_t count, const mon_judge_options *opt,
                       mon_verdict *v)
{
    const char *id = cl->cache_cluster_id ? cl->cache_cluster_id : "?";
    const char *status = cl->cache_cluster_status;
    mon_state st = mon_cluster_status_state(status);
    char names[512];
    ec_probe_kind kind;

    memset(v, 0, sizeof(*v));
    v->slowest = -1;
    if (st != MON_OK)
        add_problem(v, st, "cluster %s", status ? status : "has no status");
    v->nodes = count;
    for (size_t i = 0; i < count; i++) {
        const ec_cache_node *n = probes[i].node;
        const ec_probe_result *r = probes[i].result;

        if (n->cache_node_status &&
            strcmp(n->cache_node_status, "available") == 0)
            v->available++;
        if (n->cache_node_status &&
            strcmp(n->cache_node_status, "rebooting") == 0)
            v->rebooting++;
        if (node_pending(cl, n))
            v->pending++;
        if (!probes[i].probed)
            continue;
        if (r->status == EC_PROBE_UNREACHABLE)
            v->unresponsive++;
        if (r->ok) {
            v->answered++;
            if (r->seconds > v->slowest) {
                v->slowest = r->seconds;
                v->slowest_node = n->cache_node_id;
            }
        }
    }
    if (v->rebooting)
        add_problem(v, MON_WARNING, "%zu of %zu nodes rebooting", v->rebooting,
                    v->nodes);
    else if (st == MON_OK && v->available < v->nodes)
        add_problem(v, MON_WARNING, "%zu of %zu nodes available", v->available,
                    v->nodes);
    list_nodes(names, sizeof(names), probes, count, EC_PROBE_UNREACHABLE);
    if (names[0])
        add_problem(v, MON_CRITICAL, "%s %s unresponsive",
                    v->unresponsive > 1 ? "nodes" : "node", names);
    list_nodes(names, sizeof(names), probes, count, EC_PROBE_BAD_ANSWER);
    if (names[0])
        add_problem(v, MON_WARNING, "%s answer wrongly",
                    names); /* e.g. -LOADING right after a restart */
    list_nodes(names, sizeof(names), probes, count, EC_PROBE_AUTH_FAILED);
    if (names[0])
        add_problem(v, MON_UNKNOWN, "AUTH failed on %s", names);
    list_nodes(names, sizeof(names), probes, count, EC_PROBE_TLS_FAILED);
    if (names[0])
        add_problem(v, MON_UNKNOWN, "TLS failed on %s", names);
    if (v->pending && opt->pending_state != MON_OK)
        add_problem(v, opt->pending_state, "%zu %s pending reboot", v->pending,
                    v->pending > 1 ? "nodes" : "node");
    if (!opt->no_probe && mon_probe_kind(cl, &kind) != 0)
        add_problem(v, MON_UNKNOWN, "cannot probe engine %s",
                    cl->engine ? cl->engine : "(none)");
    if (v->answered) {
        mon_state lat = mon_thresholds_check(&opt->latency, v->slowest);

        if (lat != MON_OK)
            add_problem(v, lat, "slowest node %s answered in %.6gs",
                        v->slowest_node ? v->slowest_node : "?", v->slowest);
    }
    if (v->summary[0]) {
        char problems[sizeof(v->summary)];

        size_t idlen = strlen(id) + 2;

        /* Prefix "id: ", keeping what fits of the problems. */
        memcpy(problems, v->summary, sizeof(problems));
        if (idlen < sizeof(v->summary)) {
            memcpy(v->summary, id, idlen - 2);
            memcpy(v->summary + idlen - 2, ": ", 2);
            memcpy(v->summary + idlen, problems,
                   sizeof(v->summary) - idlen - 1);
            v->summary[sizeof(v->summary) - 1] = '\0';
        }
    } else {
        if (opt->no_probe)
            snprintf(v->summary, sizeof(v->summary),
                     "%s available, %zu of %zu nodes available (not probed)",
                     id, v->available, v->nodes);
        else
            snprintf(v->summary, sizeof(v->summary),
                     "%s available, %zu of %zu nodes answer (slowest %s "
                     "%.6gs)",
                     id, v->answered, v->nodes,
                     v->slowest_node ? v->slowest_node : "-",
                     v->slowest < 0 ? 0 : v->slowest);
    }
}

void mon_tally_add(mon_tally *t, const mon_verdict *v)
{
    size_t len = strlen(t->problems), room = sizeof(t->problems) - len;

    t->clusters++;
    t->by_state[v->state]++;
    t->state = mon_state_worst(t->state, v->state);
    t->nodes += v->nodes;
    t->unresponsive += v->unresponsive;
    t->rebooting += v->rebooting;
    t->pending += v->pending;
    if (v->answered && v->slowest > t->slowest)
        t->slowest = v->slowest;
    /* The first line names the worst clusters, while they fit. */
    if (v->state != MON_OK && room > 3)
        snprintf(t->problems + len, room, "; %s", v->summary);
}

void mon_tally_summary(const mon_tally *t, char *buf, size_t size)
{
    snprintf(buf, size,
             "%zu clusters: %zu OK, %zu WARNING, %zu CRITICAL, %zu UNKNOWN%s",
             t->clusters, t->by_state[MON_OK], t->by_state[MON_WARNING],
             t->by_state[MON_CRITICAL], t->by_state[MON_UNKNOWN], t->problems);
}
