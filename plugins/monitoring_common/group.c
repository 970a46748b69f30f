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

bool mon_group_cluster_mode(const ec_replication_group *g)
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

/* What judging one set of members (the group, or one shard) needs: where
 * each member's role comes from and whether primaries may be moving. */
typedef struct judge_ctx {
    const ec_replication_group *g;
    /* Cluster mode enabled: AWS gives no CurrentRole, so the roles are
     * what the nodes say (shard_roles); otherwise CurrentRole. */
    bool roles_from_probe;
    const char *roles[64];
    /* The group (or the shard) is not available: a failover, a
     * resharding or an upgrade moves primaries and takes links down. */
    bool changing;
} judge_ctx;

/* Member i's role: "primary", "replica" or NULL (not known). */
static const char *role_at(const judge_ctx *c, const mon_group_member *members,
                           size_t i)
{
    if (!c->roles_from_probe)
        return member_role(c->g, members[i].cluster_id);
    return i < 64 ? c->roles[i] : NULL;
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
static void group_read(const mon_group_member *members, size_t n, int cut,
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
    /* cut: -1 decide from these members; 0 or 1 decided over more (a
     * shard is read with the whole group's decision) */
    gr->path_cut =
        cut >= 0 ? cut == 1 : gr->probed > 0 && gr->no_connection == gr->probed;
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
static void replica_link(mon_group_verdict *v, const judge_ctx *c,
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
        c->changing ||
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
static void judge_members(const judge_ctx *c, const mon_group_member *members,
                          size_t n, bool no_probe, mon_group_verdict *v)
{
    size_t primaries = 0;
    idlist missing = {0}, primaries_ids = {0};

    for (size_t i = 0; i < n; i++) {
        const mon_group_member *m = &members[i];
        const char *role = role_at(c, members, i);
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
    /* Without a probe a cluster-mode-enabled shard has no roles at all:
     * nothing to say about its primary. */
    if (primaries == 0 && !(c->roles_from_probe && no_probe))
        add_problem(v, c->changing ? MON_WARNING : MON_CRITICAL,
                    c->roles_from_probe ? "no member answers as the primary%s"
                                        : "no member is the primary%s",
                    c->roles_from_probe && c->changing
                        ? " (a failover under way?)"
                        : "");
    else if (primaries > 1)
        add_problem(v, MON_CRITICAL, "%zu members say they are the primary: %s",
                    primaries, ids_text(&primaries_ids));
}

/* Probe readings: the primary, the replicas, the cut path. */
static void judge_probes(const judge_ctx *c, const mon_group_member *members,
                         size_t n, const group_reading *gr,
                         const mon_group_options *opt, mon_group_verdict *v)
{
    idlist broken = {0}, busy = {0}, late = {0}, no_info = {0}, cut = {0},
           unknown = {0};

    for (size_t i = 0; i < n; i++) {
        const mon_group_member *m = &members[i];
        const char *role = role_at(c, members, i);
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
                replica_link(v, c, m, opt, &no_info);
            }
            break;
        case MON_NODE_BROKEN:
            v->unresponsive++;
            if (primary)
                primary_dead(v, c->g);
            else if (is_role(role, "replica"))
                ids_add(&broken, m->cluster_id);
            else
                ids_add(&unknown, m->cluster_id);
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
    if (unknown.n)
        add_problem(v, MON_CRITICAL, "member%s %s unresponsive (role unknown)",
                    unknown.n > 1 ? "s" : "", ids_text(&unknown));
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
    judge_ctx c = {.g = g, .changing = st != MON_OK};

    memset(v, 0, sizeof(*v));
    v->state = MON_OK;
    v->max_last_io = -1;
    v->slowest = -1;
    v->members = n;
    if (mon_group_cluster_mode(g)) {
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
    judge_members(&c, members, n, opt->no_probe, v);
    group_read(members, n, -1, &gr);
    v->path_cut = gr.path_cut;
    if (!opt->no_probe)
        judge_probes(&c, members, n, &gr, opt, v);
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

/* ------------------------------------------------------------------ */
/* Cluster mode enabled: each shard judged, the worst wins              */
/* ------------------------------------------------------------------ */

/* buf = a b c, cut to size (no format: the parts are texts of their own,
 * and a verdict's summary is longer than a shard's). */
static void join3(char *buf, size_t size, const char *a, const char *b,
                  const char *c)
{
    const char *parts[3] = {a, b, c};
    size_t o = 0;

    for (size_t i = 0; i < 3 && size; i++) {
        size_t len = strlen(parts[i]);

        if (len > size - 1 - o)
            len = size - 1 - o;
        memcpy(buf + o, parts[i], len);
        o += len;
    }
    if (size)
        buf[o] = '\0';
}

static const mon_group_member *find_member(const mon_group_member *members,
                                           size_t n, const char *id)
{
    for (size_t i = 0; id && i < n; i++)
        if (members[i].cluster_id && strcmp(members[i].cluster_id, id) == 0)
            return &members[i];
    return NULL;
}

/* The endpoint of a member's node: the probed one, else the described. */
static const ec_endpoint *member_endpoint(const mon_group_member *m)
{
    if (m->probe && m->probe->node && m->probe->node->endpoint)
        return m->probe->node->endpoint;
    if (m->cluster && m->cluster->cache_nodes.count &&
        m->cluster->cache_nodes.items[0])
        return m->cluster->cache_nodes.items[0]->endpoint;
    return NULL;
}

/* Does a replica of the shard name member m's endpoint as its master? */
static bool named_as_master(const judge_ctx *c, const mon_group_member *sm,
                            size_t k, const mon_group_member *m)
{
    const ec_endpoint *ep = member_endpoint(m);

    if (!ep || !ep->address || !ep->port.set)
        return false;
    for (size_t j = 0; j < k; j++) {
        const ec_redis_replication *r = replication_of(&sm[j]);

        if (is_role(c->roles[j], "replica") && r && r->master_host &&
            r->master_port.set && r->master_port.value == ep->port.value &&
            strcasecmp(r->master_host, ep->address) == 0)
            return true;
    }
    return false;
}

/* The roles in one shard: CurrentRole when the API gives one, else what
 * the answering node says; a silent member is the primary when a replica
 * names it as its master. */
static void shard_roles(const ec_node_group *ng, const mon_group_member *sm,
                        size_t k, const group_reading *gr, judge_ctx *c)
{
    for (size_t i = 0; i < k; i++) {
        const ec_node_group_member *ngm = ng->node_group_members.items[i];
        const ec_redis_replication *r =
            class_of(gr, i) == MON_NODE_OK ? replication_of(&sm[i]) : NULL;

        c->roles[i] = NULL;
        if (ngm && ngm->current_role)
            c->roles[i] = ngm->current_role;
        else if (r && r->role)
            c->roles[i] =
                strcmp(r->role, "master") == 0 ? "primary" : "replica";
    }
    for (size_t i = 0; i < k; i++)
        if (!c->roles[i] && named_as_master(c, sm, k, &sm[i]))
            c->roles[i] = "primary";
}

/* One shard judged like a cluster-mode-disabled group. `cut`: the whole
 * group's decision on the network path. */
static void judge_shard(const ec_replication_group *g, const ec_node_group *ng,
                        const mon_group_member *members, size_t n, int cut,
                        const mon_group_options *opt, mon_shard_verdict *sv)
{
    const char *ngid = ng->node_group_id ? ng->node_group_id : "?";
    mon_state ngst = mon_cluster_status_state(ng->status);
    mon_group_member sm[64];
    judge_ctx c = {.g = g, .roles_from_probe = true};
    group_reading gr;
    mon_group_verdict v;
    size_t k = 0;

    /* a shard has at most six members (a primary and five replicas) */
    for (size_t i = 0; i < ng->node_group_members.count && k < 64; i++) {
        const ec_node_group_member *ngm = ng->node_group_members.items[i];
        const mon_group_member *m =
            find_member(members, n, ngm ? ngm->cache_cluster_id : NULL);

        memset(&sm[k], 0, sizeof(sm[k]));
        if (m)
            sm[k] = *m;
        else
            sm[k].cluster_id = ngm ? ngm->cache_cluster_id : NULL;
        k++;
    }
    /* A shard's status only exists when the API says one. */
    c.changing = mon_cluster_status_state(g->status) != MON_OK ||
                 (ng->status && ngst != MON_OK);
    group_read(sm, k, cut, &gr);
    shard_roles(ng, sm, k, &gr, &c);
    memset(&v, 0, sizeof(v));
    v.state = MON_OK;
    v.max_last_io = -1;
    v.slowest = -1;
    v.members = k;
    if (ng->status && ngst != MON_OK)
        add_problem(&v, ngst, "shard %s", ng->status);
    if (k == 0)
        add_problem(&v, MON_UNKNOWN, "no members in the answer");
    judge_members(&c, sm, k, opt->no_probe, &v);
    if (!opt->no_probe)
        judge_probes(&c, sm, k, &gr, opt, &v);

    memset(sv, 0, sizeof(*sv));
    sv->node_group_id = ngid;
    sv->state = v.state;
    sv->members = k;
    sv->replicas = v.replicas;
    sv->answered = v.answered;
    sv->unresponsive = v.unresponsive;
    sv->links_up = v.links_up;
    sv->links_down = v.links_down;
    sv->max_last_io = v.max_last_io;
    for (size_t i = 0; i < k; i++)
        if (v.primary && sm[i].cluster_id == v.primary) {
            /* points into `members` (sm holds copies of its pointers) */
            sv->primary = v.primary;
            sv->primary_up = class_of(&gr, i) == MON_NODE_OK;
        }
    if (v.summary[0]) {
        char head[64];

        snprintf(head, sizeof(head), "shard %.40s: ", ngid);
        join3(sv->summary, sizeof(sv->summary), head, v.summary, "");
    } else if (opt->no_probe)
        snprintf(sv->summary, sizeof(sv->summary),
                 "shard %s: %zu member%s (not probed)", ngid, k,
                 k == 1 ? "" : "s");
    else
        snprintf(sv->summary, sizeof(sv->summary),
                 "shard %s: primary %s answers, %zu of %zu replica%s linked",
                 ngid, v.primary ? v.primary : "-", v.links_up, v.replicas,
                 v.replicas == 1 ? "" : "s");
}

/* Is cluster `id` a member of one of g's node groups? */
static bool in_node_group(const ec_replication_group *g, const char *id)
{
    for (size_t i = 0; i < g->node_groups.count; i++) {
        const ec_node_group *ng = g->node_groups.items[i];

        for (size_t j = 0; ng && j < ng->node_group_members.count; j++) {
            const ec_node_group_member *m = ng->node_group_members.items[j];

            if (m && m->cache_cluster_id && id &&
                strcmp(m->cache_cluster_id, id) == 0)
                return true;
        }
    }
    return false;
}

/* The network path is cut when no probed member of the whole group
 * answered a connection (1), else not (0). */
static int group_cut(const mon_group_member *members, size_t n)
{
    size_t probed = 0, no_connection = 0;

    for (size_t i = 0; i < n; i++) {
        mon_node_reading nr = member_read(&members[i]);

        probed += nr.cls != MON_NODE_UNPROBED;
        no_connection += nr.cls == MON_NODE_NO_CONNECTION;
    }
    return probed > 0 && no_connection == probed;
}

size_t mon_judge_shards(const ec_replication_group *g,
                        const mon_group_member *members, size_t n,
                        const mon_group_options *opt, mon_shard_verdict *shards,
                        size_t max_shards, mon_group_verdict *v,
                        mon_shard_tally *t)
{
    const char *id = g->replication_group_id ? g->replication_group_id : "?";
    mon_state st = mon_cluster_status_state(g->status);
    int cut = group_cut(members, n);
    mon_group_verdict gv; /* the group's own problems */
    idlist stray = {0};

    memset(v, 0, sizeof(*v));
    memset(t, 0, sizeof(*t));
    memset(&gv, 0, sizeof(gv));
    v->state = MON_OK;
    v->max_last_io = -1;
    v->slowest = -1;
    v->members = n;
    v->path_cut = cut == 1;
    gv.state = MON_OK;
    for (size_t i = 0; i < g->node_groups.count; i++) {
        mon_shard_verdict sv;

        if (!g->node_groups.items[i])
            continue;
        judge_shard(g, g->node_groups.items[i], members, n, cut, opt, &sv);
        if (i < max_shards)
            shards[i] = sv;
        t->shards++;
        t->by_state[sv.state]++;
        v->state = mon_state_worst(v->state, sv.state);
        v->replicas += sv.replicas;
        v->answered += sv.answered;
        v->unresponsive += sv.unresponsive;
        v->links_up += sv.links_up;
        v->links_down += sv.links_down;
        if (sv.max_last_io > v->max_last_io)
            v->max_last_io = sv.max_last_io;
    }
    if (st != MON_OK)
        add_problem(&gv, st, "group %s",
                    g->status ? g->status : "has no status");
    if (t->shards == 0)
        add_problem(&gv, MON_UNKNOWN, "no node groups in the answer");
    for (size_t i = 0; i < n; i++)
        if (!in_node_group(g, members[i].cluster_id))
            ids_add(&stray, members[i].cluster_id);
    if (stray.n)
        add_problem(&gv, MON_UNKNOWN, "member%s %s in no node group",
                    stray.n > 1 ? "s" : "", ids_text(&stray));
    if (cut == 1)
        add_problem(&gv, MON_CRITICAL,
                    "no member answered a connection: the network path looks "
                    "cut, not the nodes");
    v->state = mon_state_worst(v->state, gv.state);
    if (v->state == MON_OK && opt->no_probe)
        snprintf(v->summary, sizeof(v->summary),
                 "%s available, %zu shard%s, %zu members (not probed)", id,
                 t->shards, t->shards == 1 ? "" : "s", n);
    else if (v->state == MON_OK)
        snprintf(v->summary, sizeof(v->summary),
                 "%s available, %zu shard%s OK: every primary answers, %zu of "
                 "%zu replica%s linked (last I/O %gs ago at most)",
                 id, t->shards, t->shards == 1 ? "" : "s", v->links_up,
                 v->replicas, v->replicas == 1 ? "" : "s",
                 v->max_last_io < 0 ? 0 : v->max_last_io);
    else {
        char head[sizeof(v->summary)];

        snprintf(head, sizeof(head),
                 "%s: %zu shard%s: %zu OK, %zu WARNING, %zu CRITICAL, %zu "
                 "UNKNOWN",
                 id, t->shards, t->shards == 1 ? "" : "s", t->by_state[MON_OK],
                 t->by_state[MON_WARNING], t->by_state[MON_CRITICAL],
                 t->by_state[MON_UNKNOWN]);
        join3(v->summary, sizeof(v->summary), head, gv.summary[0] ? "; " : "",
              gv.summary);
    }
    return t->shards;
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

    if (mon_group_cluster_mode(g)) {
        out->outcome = MON_PICK_CLUSTER_MODE;
        snprintf(out->why, sizeof(out->why),
                 "group %s has cluster mode enabled: -G handles cluster mode "
                 "disabled groups only; not rebooting",
                 id);
        return 0;
    }
    group_read(members, n, -1, &gr);
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
