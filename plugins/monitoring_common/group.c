/* SPDX-License-Identifier: Apache-2.0 */
/* Judging a replication group (check_elasticache -G) and choosing the
 * replicas to reboot (elasticache_event_handler -G). Pure: no I/O. */
#include "group.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "judge.h"

/* Member ids listed in a problem before "(+N more)". */
#define IDS_SHOWN 10

static void add_problem(mon_group_verdict *v, mon_state s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_problem(mon_group_verdict *v, mon_state s, const char *fmt, ...)
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

/* A list of ids, "a, b (+N more)". */
typedef struct idlist {
    char text[256];
    size_t n;
} idlist;

static void ids_add(idlist *l, const char *id)
{
    size_t len = strlen(l->text);

    l->n++;
    if (l->n <= IDS_SHOWN)
        snprintf(l->text + len, sizeof(l->text) - len, "%s%s",
                 l->n > 1 ? ", " : "", id ? id : "?");
}

static const char *ids_text(idlist *l)
{
    size_t len = strlen(l->text);

    if (l->n > IDS_SHOWN)
        snprintf(l->text + len, sizeof(l->text) - len, " (+%zu more)",
                 l->n - IDS_SHOWN);
    return l->text;
}

static bool cluster_mode(const ec_replication_group *g)
{
    return (g->cluster_enabled.set && g->cluster_enabled.value) ||
           g->node_groups.count > 1;
}

/* The member's CurrentRole: "primary", "replica", or NULL. */
static const char *member_role(const ec_replication_group *g, const char *id)
{
    const ec_node_group_member *m =
        id ? ec_replication_group_find_member(g, id, NULL) : NULL;

    return m ? m->current_role : NULL;
}

static bool is_role(const char *role, const char *want)
{
    return role && strcasecmp(role, want) == 0;
}

/* Each member's reading, the cut path decided over the whole group. */
typedef struct group_reading {
    mon_node_class cls[64];
    mon_node_reading nr[64];
    size_t probed; /* members with a reading other than UNPROBED */
    size_t no_connection;
    bool path_cut;
} group_reading;

static mon_node_reading member_read(const mon_group_member *m)
{
    mon_plan none = {0};

    return mon_node_read(m->probe && m->probe->probed,
                         m->probe ? m->probe->result : NULL,
                         m->plan ? m->plan : &none);
}

/* Members past the 64th are read as not probed (no group has more than
 * six members: one primary, five replicas). */
static void group_read(const mon_group_member *members, size_t n,
                       group_reading *gr)
{
    memset(gr, 0, sizeof(*gr));
    for (size_t i = 0; i < n && i < 64; i++) {
        gr->nr[i] = member_read(&members[i]);
        if (gr->nr[i].cls != MON_NODE_UNPROBED)
            gr->probed++;
        if (gr->nr[i].cls == MON_NODE_NO_CONNECTION)
            gr->no_connection++;
    }
    gr->path_cut = gr->probed > 0 && gr->no_connection == gr->probed;
    for (size_t i = 0; i < n && i < 64; i++) {
        gr->cls[i] = gr->nr[i].cls;
        if (gr->cls[i] == MON_NODE_NO_CONNECTION && !gr->path_cut)
            gr->cls[i] = MON_NODE_BROKEN;
    }
}

static mon_node_class class_of(const group_reading *gr, size_t i)
{
    return i < 64 ? gr->cls[i] : MON_NODE_UNPROBED;
}

static const ec_redis_replication *replication_of(const mon_group_member *m)
{
    return m->probe && m->probe->result ? m->probe->result->replication : NULL;
}

/* The primary's line: whether automatic failover will replace it. */
static void primary_dead(mon_group_verdict *v, const ec_replication_group *g)
{
    bool auto_fo =
        g->automatic_failover && strcmp(g->automatic_failover, "enabled") == 0;

    v->primary_dead = true;
    add_problem(v, MON_CRITICAL, "primary %s unresponsive (%s)", v->primary,
                auto_fo ? "automatic failover promotes a replica"
                        : "automatic failover is not enabled: no replica "
                          "will be promoted");
}

/* One replica's link to its primary. */
static void replica_link(mon_group_verdict *v, const ec_replication_group *g,
                         const mon_group_member *m,
                         const mon_group_options *opt, idlist *no_info)
{
    const ec_redis_replication *r = replication_of(m);
    const char *id = m->cluster_id;
    bool settling;

    if (!r) {
        ids_add(no_info, id);
        return;
    }
    if (r->role && strcmp(r->role, "master") == 0) {
        add_problem(v, MON_WARNING,
                    "replica %s says it is a primary (a failover under way?)",
                    id);
        return;
    }
    /* A failover, a reboot or a resynchronisation takes a link down on
     * purpose: WARNING, not CRITICAL, while one is under way. */
    settling =
        mon_cluster_status_state(g->status) != MON_OK ||
        (m->cluster && mon_cluster_status_state(
                           m->cluster->cache_cluster_status) != MON_OK) ||
        (r->master_sync_in_progress.set && r->master_sync_in_progress.value);
    if (r->master_link_status == EC_REDIS_LINK_DOWN) {
        v->links_down++;
        if (r->master_link_down_since_seconds.set)
            add_problem(v, settling ? MON_WARNING : MON_CRITICAL,
                        "replica %s link to the primary down for %llds%s", id,
                        (long long)r->master_link_down_since_seconds.value,
                        settling ? " (resynchronising or group changing)" : "");
        else
            add_problem(v, settling ? MON_WARNING : MON_CRITICAL,
                        "replica %s link to the primary down%s", id,
                        settling ? " (resynchronising or group changing)" : "");
        return;
    }
    if (r->master_link_status != EC_REDIS_LINK_UP) {
        add_problem(v, MON_UNKNOWN, "replica %s does not say its link state",
                    id);
        return;
    }
    v->links_up++;
    if (r->master_last_io_seconds_ago.set) {
        double io = (double)r->master_last_io_seconds_ago.value;
        mon_state s = mon_thresholds_check(&opt->link, io);

        if (io > v->max_last_io)
            v->max_last_io = io;
        if (s != MON_OK)
            add_problem(v, s, "replica %s last heard from the primary %gs ago",
                        id, io);
    }
}

/* Roles, described members and their statuses. */
static void judge_members(const ec_replication_group *g,
                          const mon_group_member *members, size_t n,
                          mon_group_verdict *v)
{
    size_t primaries = 0;
    idlist missing = {0}, primaries_ids = {0};

    for (size_t i = 0; i < n; i++) {
        const mon_group_member *m = &members[i];
        const char *role = member_role(g, m->cluster_id);
        mon_state st;

        if (is_role(role, "primary")) {
            primaries++;
            ids_add(&primaries_ids, m->cluster_id);
            if (!v->primary)
                v->primary = m->cluster_id;
        } else if (is_role(role, "replica")) {
            v->replicas++;
        }
        if (!m->cluster) {
            ids_add(&missing, m->cluster_id);
            continue;
        }
        st = mon_cluster_status_state(m->cluster->cache_cluster_status);
        if (st != MON_OK)
            add_problem(v, st, "member %s %s", m->cluster_id,
                        m->cluster->cache_cluster_status
                            ? m->cluster->cache_cluster_status
                            : "has no status");
    }
    if (missing.n)
        add_problem(v, MON_UNKNOWN, "member%s %s not described",
                    missing.n > 1 ? "s" : "", ids_text(&missing));
    if (primaries == 0)
        add_problem(v,
                    mon_cluster_status_state(g->status) == MON_OK ? MON_CRITICAL
                                                                  : MON_WARNING,
                    "no member is the primary");
    else if (primaries > 1)
        add_problem(v, MON_CRITICAL, "%zu members say they are the primary: %s",
                    primaries, ids_text(&primaries_ids));
}

/* Probe readings: the primary, the replicas, the cut path. */
static void judge_probes(const ec_replication_group *g,
                         const mon_group_member *members, size_t n,
                         const group_reading *gr, const mon_group_options *opt,
                         mon_group_verdict *v)
{
    idlist broken = {0}, busy = {0}, late = {0}, no_info = {0}, cut = {0};

    for (size_t i = 0; i < n; i++) {
        const mon_group_member *m = &members[i];
        const char *role = member_role(g, m->cluster_id);
        bool primary = is_role(role, "primary");
        mon_node_class cls = class_of(gr, i);

        switch (cls) {
        case MON_NODE_OK:
            v->answered++;
            if (m->probe->result->seconds > v->slowest) {
                v->slowest = m->probe->result->seconds;
                v->slowest_member = m->cluster_id;
            }
            if (primary) {
                const ec_redis_replication *r = replication_of(m);

                if (r && r->role && strcmp(r->role, "slave") == 0)
                    add_problem(v, MON_WARNING,
                                "primary %s says it is a replica (a "
                                "failover under way?)",
                                m->cluster_id);
            } else if (is_role(role, "replica")) {
                replica_link(v, g, m, opt, &no_info);
            }
            break;
        case MON_NODE_BROKEN:
            v->unresponsive++;
            if (primary)
                primary_dead(v, g);
            else
                ids_add(&broken, m->cluster_id);
            break;
        case MON_NODE_NO_CONNECTION:
            v->unresponsive++;
            ids_add(&cut, m->cluster_id);
            break;
        case MON_NODE_BUSY:
            ids_add(&busy, m->cluster_id);
            break;
        case MON_NODE_MISCONFIGURED:
            add_problem(v, MON_UNKNOWN, "%s %s%s%s", gr->nr[i].what,
                        m->cluster_id, gr->nr[i].fix ? ": " : "",
                        gr->nr[i].fix ? gr->nr[i].fix : "");
            break;
        case MON_NODE_UNPROBED:
            if (m->probe && m->probe->probed)
                ids_add(&late, m->cluster_id);
            break;
        }
    }
    if (cut.n)
        add_problem(v, MON_CRITICAL,
                    "no connection to member%s %s: the network path looks "
                    "cut, not the nodes",
                    cut.n > 1 ? "s" : "", ids_text(&cut));
    if (broken.n)
        add_problem(v, MON_CRITICAL, "replica%s %s unresponsive",
                    broken.n > 1 ? "s" : "", ids_text(&broken));
    if (busy.n)
        add_problem(v, MON_WARNING, "%s busy", ids_text(&busy));
    if (no_info.n)
        add_problem(v, MON_UNKNOWN, "no INFO replication answer from %s",
                    ids_text(&no_info));
    if (late.n)
        add_problem(v, MON_UNKNOWN, "%s not probed in time", ids_text(&late));
    if (v->answered) {
        mon_state lat = mon_thresholds_check(&opt->latency, v->slowest);

        if (lat != MON_OK)
            add_problem(v, lat, "slowest member %s answered in %.6gs",
                        v->slowest_member, v->slowest);
    }
}

/* "ID: problems", keeping what fits of the problems. */
static void prefix_id(mon_group_verdict *v, const char *id)
{
    char problems[sizeof(v->summary)];
    size_t idlen = strlen(id) + 2;

    memcpy(problems, v->summary, sizeof(problems));
    if (idlen < sizeof(v->summary)) {
        memcpy(v->summary, id, idlen - 2);
        memcpy(v->summary + idlen - 2, ": ", 2);
        memcpy(v->summary + idlen, problems, sizeof(v->summary) - idlen - 1);
        v->summary[sizeof(v->summary) - 1] = '\0';
    }
}

void mon_judge_group(const ec_replication_group *g,
                     const mon_group_member *members, size_t n,
                     const mon_group_options *opt, mon_group_verdict *v)
{
    const char *id = g->replication_group_id ? g->replication_group_id : "?";
    mon_state st = mon_cluster_status_state(g->status);
    group_reading gr;

    memset(v, 0, sizeof(*v));
    v->state = MON_OK;
    v->max_last_io = -1;
    v->slowest = -1;
    v->members = n;
    if (cluster_mode(g)) {
        v->cluster_mode = true;
        v->state = MON_UNKNOWN;
        snprintf(v->summary, sizeof(v->summary),
                 "%s: cluster mode enabled: -G checks cluster mode disabled "
                 "groups; check each shard's member clusters with -C",
                 id);
        return;
    }
    if (st != MON_OK)
        add_problem(v, st, "group %s", g->status ? g->status : "has no status");
    judge_members(g, members, n, v);
    group_read(members, n, &gr);
    v->path_cut = gr.path_cut;
    if (!opt->no_probe)
        judge_probes(g, members, n, &gr, opt, v);
    if (v->summary[0]) {
        prefix_id(v, id);
    } else if (opt->no_probe) {
        snprintf(v->summary, sizeof(v->summary),
                 "%s available, primary %s, %zu replica%s (not probed)", id,
                 v->primary ? v->primary : "-", v->replicas,
                 v->replicas == 1 ? "" : "s");
    } else {
        snprintf(v->summary, sizeof(v->summary),
                 "%s available, primary %s answers, %zu of %zu replica%s "
                 "linked (last I/O %gs ago at most)",
                 id, v->primary ? v->primary : "-", v->links_up, v->replicas,
                 v->replicas == 1 ? "" : "s",
                 v->max_last_io < 0 ? 0 : v->max_last_io);
    }
}

static int pick_nomem(mon_group_pick *out)
{
    ec_strlist_clear(&out->clusters);
    snprintf(out->why, sizeof(out->why), "out of memory");
    return -1;
}

int mon_pick_group_replicas(const ec_replication_group *g,
                            const mon_group_member *members, size_t n,
                            long max_nodes, mon_group_pick *out)
{
    const char *id = g->replication_group_id ? g->replication_group_id : "?";
    group_reading gr;
    idlist broken = {0};
    const char *primary = NULL;
    bool primary_down = false;

    if (cluster_mode(g)) {
        out->outcome = MON_PICK_CLUSTER_MODE;
        snprintf(out->why, sizeof(out->why),
                 "group %s has cluster mode enabled: -G handles cluster mode "
                 "disabled groups only; not rebooting",
                 id);
        return 0;
    }
    group_read(members, n, &gr);
    for (size_t i = 0; i < n; i++) {
        if (class_of(&gr, i) == MON_NODE_MISCONFIGURED) {
            out->outcome = MON_PICK_MISCONFIGURED;
            snprintf(out->why, sizeof(out->why),
                     "%s %s%s%s: a probe setting is wrong, not rebooting",
                     gr.nr[i].what, members[i].cluster_id,
                     gr.nr[i].fix ? ": " : "",
                     gr.nr[i].fix ? gr.nr[i].fix : "");
            return 0;
        }
    }
    if (gr.path_cut) {
        out->outcome = MON_PICK_PATH_CUT;
        snprintf(out->why, sizeof(out->why),
                 "no member of group %s answered a connection: the network "
                 "path looks cut, not the nodes; not rebooting",
                 id);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        const char *role = member_role(g, members[i].cluster_id);
        bool broken_node = class_of(&gr, i) == MON_NODE_BROKEN;

        if (is_role(role, "primary")) {
            primary = members[i].cluster_id;
            primary_down = primary_down || broken_node;
        } else if (is_role(role, "replica") && broken_node) {
            ids_add(&broken, members[i].cluster_id);
            if (ec_strlist_push(&out->clusters, members[i].cluster_id) != 0)
                return pick_nomem(out);
        }
    }
    if (primary_down) {
        ec_strlist_clear(&out->clusters);
        out->outcome = MON_PICK_PRIMARY;
        snprintf(out->why, sizeof(out->why),
                 "primary %s of group %s does not answer: replacing it is "
                 "automatic failover's job (AutomaticFailover %s); the "
                 "handler never reboots a primary, nor a replica then",
                 primary, id,
                 g->automatic_failover ? g->automatic_failover : "not said");
        return 0;
    }
    if (broken.n == 0) {
        bool unknown = false;

        for (size_t i = 0; i < n; i++)
            unknown = unknown || class_of(&gr, i) == MON_NODE_UNPROBED;
        out->outcome = unknown ? MON_PICK_UNKNOWN : MON_PICK_NOTHING;
        snprintf(out->why, sizeof(out->why), "%s",
                 unknown ? "no replica known to be unresponsive (some members "
                           "were not probed); not rebooting"
                         : "every member answers; nothing to reboot");
        return 0;
    }
    if (max_nodes >= 0 && broken.n > (size_t)max_nodes) {
        ec_strlist_clear(&out->clusters);
        out->outcome = MON_PICK_OVER_LIMIT;
        snprintf(out->why, sizeof(out->why),
                 "%zu replicas unresponsive (%s), more than "
                 "--max-unresponsive %ld: not rebooting",
                 broken.n, ids_text(&broken), max_nodes);
        return 0;
    }
    out->outcome = MON_PICK_REBOOT;
    snprintf(out->why, sizeof(out->why), "replica%s %s unresponsive",
             broken.n > 1 ? "s" : "", ids_text(&broken));
    return 0;
}
