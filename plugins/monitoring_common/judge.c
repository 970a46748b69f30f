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

/* Which nodes a list is about. */
typedef bool (*node_filter)(const mon_node_probe *np, mon_node_class cls,
                            mon_node_reading nr, const void *arg);

/*
 * "0001, 0002": the nodes the filter takes, at most MON_JUDGE_IDS_SHOWN
 * and then "(+N more)", so that a large cluster never makes the first
 * line cut a word. Returns how many it took.
 */
static size_t list_nodes(char *buf, size_t size, const mon_node_probe *probes,
                         size_t count, const mon_cluster_reading *cr,
                         const mon_plan *plan, node_filter take,
                         const void *arg)
{
    size_t len = 0, n = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        mon_node_reading nr =
            mon_node_read(probes[i].probed, probes[i].result, plan);
        mon_node_class cls = mon_cluster_node_class(cr, nr);
        const char *id = probes[i].node->cache_node_id;
        int w;

        if (!take(&probes[i], cls, nr, arg))
            continue;
        n++;
        if (n > MON_JUDGE_IDS_SHOWN)
            continue;
        w = snprintf(buf + len, size - len, "%s%s", n > 1 ? ", " : "",
                     id ? id : "?");
        if (w > 0 && (size_t)w < size - len)
            len += (size_t)w;
    }
    if (n > MON_JUDGE_IDS_SHOWN && len < size)
        snprintf(buf + len, size - len, " (+%zu more)",
                 n - MON_JUDGE_IDS_SHOWN);
    return n;
}

static bool take_class(const mon_node_probe *np, mon_node_class cls,
                       mon_node_reading nr, const void *arg)
{
    (void)np;
    (void)nr;
    return cls == *(const mon_node_class *)arg;
}

static bool take_not_started(const mon_node_probe *np, mon_node_class cls,
                             mon_node_reading nr, const void *arg)
{
    (void)nr;
    (void)arg;
    return cls == MON_NODE_UNPROBED && np->probed;
}

/* Misconfigured nodes that read as this one. */
static bool take_same_problem(const mon_node_probe *np, mon_node_class cls,
                              mon_node_reading nr, const void *arg)
{
    const mon_node_reading *want = arg;

    (void)np;
    return cls == MON_NODE_MISCONFIGURED && nr.what == want->what &&
           nr.fix == want->fix;
}

/* The state for `n` nodes of `total` that do not answer. */
static mon_state unresponsive_state(const mon_judge_options *opt, size_t n,
                                    size_t total)
{
    if (!opt->unresponsive_warning.range.set &&
        !opt->unresponsive_critical.range.set)
        return n ? MON_CRITICAL : MON_OK;
    if (mon_count_range_alerts(&opt->unresponsive_critical, n, total))
        return MON_CRITICAL;
    if (mon_count_range_alerts(&opt->unresponsive_warning, n, total))
        return MON_WARNING;
    return MON_OK;
}

/* One problem per distinct setting to fix, in node order. */
static void misconfigured_problems(mon_verdict *v, const mon_node_probe *probes,
                                   size_t count, const mon_cluster_reading *cr,
                                   const mon_plan *plan)
{
    char names[256];

    for (size_t i = 0; i < count; i++) {
        mon_node_reading nr =
            mon_node_read(probes[i].probed, probes[i].result, plan);
        bool seen = false;

        if (nr.cls != MON_NODE_MISCONFIGURED)
            continue;
        for (size_t j = 0; j < i && !seen; j++) {
            mon_node_reading other =
                mon_node_read(probes[j].probed, probes[j].result, plan);

            seen = other.cls == MON_NODE_MISCONFIGURED &&
                   other.what == nr.what && other.fix == nr.fix;
        }
        if (seen)
            continue;
        list_nodes(names, sizeof(names), probes, count, cr, plan,
                   take_same_problem, &nr);
        add_problem(v, MON_UNKNOWN, "%s %s%s%s", nr.what, names,
                    nr.fix ? ": " : "", nr.fix ? nr.fix : "");
    }
}

/* Counts, the slowest answer, and the reading of the whole cluster. */
static void count_nodes(const ec_cache_cluster *cl,
                        const mon_node_probe *probes, size_t count,
                        const mon_plan *plan, const mon_judge_options *opt,
                        const mon_cluster_reading *cr, mon_verdict *v)
{
    v->nodes = count;
    v->probed = cr->probed;
    v->busy = cr->busy;
    v->misconfigured = cr->misconfigured;
    v->path_cut = cr->path_cut;
    v->unresponsive = cr->broken + cr->no_connection;
    for (size_t i = 0; i < count; i++) {
        const ec_cache_node *n = probes[i].node;
        const ec_probe_result *r = probes[i].result;
        mon_node_reading nr = mon_node_read(probes[i].probed, r, plan);

        if (n->cache_node_status &&
            strcmp(n->cache_node_status, "available") == 0)
            v->available++;
        if (n->cache_node_status &&
            strcmp(n->cache_node_status, "rebooting") == 0)
            v->rebooting++;
        if (node_pending(cl, n))
            v->pending++;
        if (probes[i].probed && nr.cls == MON_NODE_UNPROBED)
            v->not_probed++;
        if (nr.cls == MON_NODE_OK) {
            v->answered++;
            if (r->seconds > v->slowest) {
                v->slowest = r->seconds;
                v->slowest_node = n->cache_node_id;
            }
            if (r->seconds > v->slowest_all)
                v->slowest_all = r->seconds;
        } else if (mon_node_silent(nr.cls) &&
                   opt->probe_timeout > v->slowest_all) {
            v->slowest_all = opt->probe_timeout;
        }
    }
}

void mon_judge_cluster(const ec_cache_cluster *cl, const mon_node_probe *probes,
                       size_t count, const mon_plan *plan,
                       const mon_judge_options *opt, mon_verdict *v)
{
    const char *id = cl->cache_cluster_id ? cl->cache_cluster_id : "?";
    const char *status = cl->cache_cluster_status;
    mon_state st = mon_cluster_status_state(status);
    mon_cluster_reading cr;
    char names[256];
    ec_probe_kind kind;
    size_t n;

    memset(v, 0, sizeof(*v));
    v->slowest = -1;
    v->slowest_all = -1;
    mon_cluster_read(probes, count, plan, &cr);
    count_nodes(cl, probes, count, plan, opt, &cr, v);
    if (st != MON_OK)
        add_problem(v, st, "cluster %s", status ? status : "has no status");
    if (v->rebooting)
        add_problem(v, MON_WARNING, "%zu of %zu nodes rebooting", v->rebooting,
                    v->nodes);
    else if (st == MON_OK && v->available < v->nodes)
        add_problem(v, MON_WARNING, "%zu of %zu nodes available", v->available,
                    v->nodes);
    if (cr.path_cut) {
        mon_node_class want = MON_NODE_NO_CONNECTION;

        list_nodes(names, sizeof(names), probes, count, &cr, plan, take_class,
                   &want);
        add_problem(v, unresponsive_state(opt, v->unresponsive, v->nodes),
                    "no connection to %s %s: the network path looks cut, not "
                    "the %s",
                    v->unresponsive > 1 ? "nodes" : "node", names,
                    v->unresponsive > 1 ? "nodes" : "node");
    } else {
        mon_node_class want = MON_NODE_BROKEN;

        n = list_nodes(names, sizeof(names), probes, count, &cr, plan,
                       take_class, &want);
        if (n)
            add_problem(v, unresponsive_state(opt, n, v->nodes),
                        "%s %s unresponsive", n > 1 ? "nodes" : "node", names);
    }
    {
        mon_node_class want = MON_NODE_BUSY;

        /* e.g. -LOADING right after a restart */
        n = list_nodes(names, sizeof(names), probes, count, &cr, plan,
                       take_class, &want);
        if (n)
            add_problem(v, MON_WARNING, "%s busy", names);
    }
    misconfigured_problems(v, probes, count, &cr, plan);
    n = list_nodes(names, sizeof(names), probes, count, &cr, plan,
                   take_not_started, NULL);
    if (n)
        add_problem(v, MON_UNKNOWN,
                    "%s not probed in time (too many nodes for the "
                    "timeout or the file descriptors)",
                    names);
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
    } else if (opt->no_probe) {
        snprintf(v->summary, sizeof(v->summary),
                 "%s available, %zu of %zu nodes available (not probed)", id,
                 v->available, v->nodes);
    } else {
        snprintf(v->summary, sizeof(v->summary),
                 "%s available, %zu of %zu nodes answer (slowest %s %.6gs)", id,
                 v->answered, v->nodes, v->slowest_node ? v->slowest_node : "-",
                 v->slowest < 0 ? 0 : v->slowest);
    }
}

void mon_tally_add(mon_tally *t, const mon_verdict *v)
{
    t->clusters++;
    t->by_state[v->state]++;
    t->state = mon_state_worst(t->state, v->state);
    t->nodes += v->nodes;
    t->unresponsive += v->unresponsive;
    t->rebooting += v->rebooting;
    t->pending += v->pending;
    t->probed += v->probed;
    t->not_probed += v->not_probed;
    t->path_cut += v->path_cut ? 1 : 0;
    t->probed_clusters += v->probed > 0 ? 1 : 0;
    if (v->answered && v->slowest > t->slowest)
        t->slowest = v->slowest;
    if (v->slowest_all > t->slowest_all)
        t->slowest_all = v->slowest_all;
}

bool mon_tally_path_cut(const mon_tally *t)
{
    /* every cluster with a probed node had its path cut */
    return t->probed_clusters > 0 && t->path_cut == t->probed_clusters;
}

void mon_tally_summary(const mon_tally *t, char *buf, size_t size)
{
    snprintf(buf, size,
             "%zu clusters: %zu OK, %zu WARNING, %zu CRITICAL, %zu UNKNOWN%s",
             t->clusters, t->by_state[MON_OK], t->by_state[MON_WARNING],
             t->by_state[MON_CRITICAL], t->by_state[MON_UNKNOWN],
             mon_tally_path_cut(t)
                 ? "; no node of any cluster answered a connection: the "
                   "network path looks cut, not the nodes"
                 : "");
}
