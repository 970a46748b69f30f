/* SPDX-License-Identifier: Apache-2.0 */
/* Replica link verification for rolling reboots (see linkcheck.h). */
#include "linkcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void mon_link_verifier_free(mon_link_verifier *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->count; i++) {
        free(v->members[i].cluster_id);
        ec_free_secret(v->members[i].token);
    }
    free(v->members);
    memset(v, 0, sizeof(*v));
}

static mon_link_failure refuse(char *why, size_t why_size, const char *fmt,
                               const char *a, const char *b, const char *c)
{
    snprintf(why, why_size, fmt, a, b, c);
    return MON_LINK_REFUSED;
}

/* The fix for a member that cannot be verified, whatever the cause. */
static const char *opt_out(const mon_link_verifier *v, char *buf, size_t size)
{
    snprintf(buf, size,
             " (or %s, which promotes a replica the API calls available "
             "even if it has not synced yet: its data can be lost)",
             v->opt_out_option ? v->opt_out_option
                               : "--no-verify-replica-link");
    return buf;
}

/* Every member's node answered its probe as it must for the run. */
static mon_link_failure preflight(const mon_link_verifier *v,
                                  const mon_fleet_probe *fleet,
                                  const ec_cache_cluster *const *clusters,
                                  char *why, size_t why_size)
{
    char oo[256];
    const char *OPT_OUT = opt_out(v, oo, sizeof(oo));

    for (size_t i = 0; i < fleet->clusters; i++) {
        const char *id = clusters[i]->cache_cluster_id;
        const mon_plan *pl = &fleet->plans[i];

        if (!pl->probeable || pl->kind != EC_PROBE_REDIS)
            return refuse(why, why_size, "member %s is not a Redis cluster%s%s",
                          id, "", "");
        if (pl->token_missing)
            return refuse(why, why_size,
                          "cannot verify the replica links: member %s has "
                          "AuthTokenEnabled=true and no AUTH token was "
                          "given: %s%s",
                          id,
                          v->token_option ? v->token_option
                                          : "--auth-token-file FILE or "
                                            "--auth-token-env NAME",
                          OPT_OUT);
        if (fleet->first[i + 1] == fleet->first[i])
            return refuse(why, why_size,
                          "cannot verify the replica links: member %s has no "
                          "node described%s%s",
                          id, OPT_OUT, "");
        for (size_t k = fleet->first[i]; k < fleet->first[i + 1]; k++) {
            const mon_node_probe *np = &fleet->nodes[k];
            mon_node_reading nr = mon_node_read(np->probed, np->result, pl);
            char what[256];

            switch (nr.cls) {
            case MON_NODE_OK:
                continue;
            case MON_NODE_MISCONFIGURED:
                snprintf(what, sizeof(what), "%s %s: %s", nr.what, id,
                         nr.fix ? nr.fix : "check the probe settings");
                return refuse(why, why_size,
                              "cannot verify the replica links: %s%s%s", what,
                              OPT_OUT, "");
            case MON_NODE_BUSY:
                return refuse(why, why_size,
                              "member %s is busy (%s): run again when it "
                              "answers%s",
                              id, np->result ? np->result->detail : "", "");
            case MON_NODE_UNPROBED:
                return refuse(why, why_size,
                              "cannot verify the replica links: member %s "
                              "was not probed (%s); every member must be "
                              "available and answer before the run%s",
                              id, np->skipped[0] ? np->skipped : "no answer",
                              OPT_OUT);
            case MON_NODE_BROKEN:
            case MON_NODE_NO_CONNECTION:
                snprintf(what, sizeof(what), "%s",
                         np->result ? np->result->detail : "no answer");
                return refuse(why, why_size,
                              "cannot verify the replica links: member %s "
                              "does not answer from this host (%s); run from "
                              "a host that reaches the nodes (inside the VPC)"
                              "%s",
                              id, what, OPT_OUT);
            }
        }
    }
    return MON_LINK_OK;
}

/* Whether `id` is a replica of group `g` (cluster mode disabled) as its
 * CurrentRole says. */
static bool is_replica(const ec_replication_group *g, const char *id)
{
    const ec_node_group *ng =
        g->node_groups.count > 0 ? g->node_groups.items[0] : NULL;

    for (size_t i = 0; ng && i < ng->node_group_members.count; i++) {
        const ec_node_group_member *m = ng->node_group_members.items[i];

        if (m->cache_cluster_id && strcasecmp(m->cache_cluster_id, id) == 0)
            return m->current_role && strcmp(m->current_role, "replica") == 0;
    }
    return false;
}

mon_link_failure mon_link_prepare(ec_client *client, const char *group_id,
                                  const char *only_member, const mon_common *c,
                                  const mon_tokens *tokens, double timeout,
                                  mon_link_verifier *v, ec_error *err,
                                  char *why, size_t why_size)
{
    ec_describe_replication_groups_input gin =
        EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT;
    ec_describe_replication_groups_output *rg = NULL;
    ec_describe_cache_clusters_output **outs = NULL;
    const ec_cache_cluster **clusters = NULL;
    mon_fleet_probe fleet;
    mon_common common = *c;
    const ec_replication_group *g;
    mon_link_failure ret = MON_LINK_API;
    size_t n = 0, nm = 0;

    memset(&fleet, 0, sizeof(fleet));
    why[0] = '\0';
    v->timeout = timeout;
    gin.replication_group_id = group_id;
    if (ec_describe_replication_groups(client, &gin, &rg, err) != 0)
        goto out;
    /* Not found, or cluster mode enabled: the reboot refuses it with its
     * own message, before anything is changed. */
    if (rg->replication_groups.count != 1) {
        ret = MON_LINK_OK;
        goto out;
    }
    g = rg->replication_groups.items[0];
    if (g->node_groups.count > 1 ||
        (g->cluster_enabled.set && g->cluster_enabled.value)) {
        ret = MON_LINK_OK;
        goto out;
    }
    nm = g->member_clusters.count;
    /* One member: no replica link to verify (the reboot refuses the group
     * or, with allow_primary_reboot, reboots it in place); a member that
     * is no replica neither. */
    if (nm < 2 || (only_member && !is_replica(g, only_member))) {
        ret = MON_LINK_OK;
        goto out;
    }
    outs = calloc(nm ? nm : 1, sizeof(*outs));
    clusters = calloc(nm ? nm : 1, sizeof(*clusters));
    v->members = calloc(nm ? nm : 1, sizeof(*v->members));
    if (!outs || !clusters || !v->members) {
        snprintf(why, why_size, "out of memory");
        ret = MON_LINK_SETUP;
        goto out;
    }
    for (size_t i = 0; i < nm; i++) {
        ec_describe_cache_clusters_input in =
            EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;

        if (only_member &&
            strcasecmp(only_member, g->member_clusters.items[i]) != 0)
            continue;
        in.cache_cluster_id = g->member_clusters.items[i];
        in.show_cache_node_info.set = true;
        in.show_cache_node_info.value = true;
        if (ec_describe_cache_clusters(client, &in, &outs[i], err) != 0)
            goto out;
        if (outs[i]->cache_clusters.count != 1) {
            char oo[256];

            ret = refuse(why, why_size,
                         "cannot verify the replica links: member %s of %s "
                         "was not described%s",
                         g->member_clusters.items[i], group_id,
                         opt_out(v, oo, sizeof(oo)));
            goto out;
        }
        clusters[n++] = outs[i]->cache_clusters.items[0];
    }
    common.redis_replication = true;
    common.no_probe = false;
    if (mon_probe_clusters(clusters, n, &common, timeout, timeout, tokens,
                           &fleet, err) != 0) {
        snprintf(why, why_size, "cannot probe the members: %s", err->message);
        ret = MON_LINK_SETUP;
        goto out;
    }
    ret = preflight(v, &fleet, clusters, why, why_size);
    if (ret != MON_LINK_OK)
        goto out;
    /* Keep each member's plan and token for the probes during the run. */
    for (size_t i = 0; i < n; i++) {
        mon_link_member *m = &v->members[v->count++];
        const mon_plan *pl = &fleet.plans[i];

        m->plan = *pl;
        m->cluster_id = strdup(clusters[i]->cache_cluster_id);
        if (!m->cluster_id) {
            snprintf(why, why_size, "out of memory");
            ret = MON_LINK_SETUP;
            goto out;
        }
        if (pl->auth && tokens &&
            mon_tokens_get(tokens, m->cluster_id, &m->token, why, why_size) !=
                1) {
            if (!why[0])
                snprintf(why, why_size, "the AUTH token of %s is gone",
                         m->cluster_id);
            ret = MON_LINK_SETUP;
            goto out;
        }
        m->opts = (ec_probe_options)EC_PROBE_OPTIONS_INIT;
        m->opts.kind = EC_PROBE_REDIS;
        m->opts.timeout = timeout;
        m->opts.tls = pl->tls;
        m->opts.tls_no_verify = c->probe_no_verify;
        m->opts.ca_bundle = c->probe_ca_bundle;
        m->opts.auth_token = pl->auth ? m->token : NULL;
        m->opts.auth_user = pl->auth ? c->auth_user : NULL;
        m->opts.redis_replication = true;
    }
out:
    mon_fleet_probe_free(&fleet);
    for (size_t i = 0; outs && i < nm; i++)
        ec_describe_cache_clusters_output_free(outs[i]);
    free(outs);
    free(clusters);
    ec_describe_replication_groups_output_free(rg);
    return ret;
}

static const mon_link_member *find(const mon_link_verifier *v, const char *id)
{
    for (size_t i = 0; id && i < v->count; i++)
        if (strcmp(v->members[i].cluster_id, id) == 0)
            return &v->members[i];
    return NULL;
}

bool mon_link_probe(void *userdata, const ec_node_probe *np)
{
    mon_link_verifier *v = userdata;
    const mon_link_member *m = find(v, np->cache_cluster_id);
    ec_probe_target t = EC_PROBE_TARGET_INIT;
    const ec_probe_target *tp = &t;
    ec_probe_results *res = NULL;
    const ec_probe_result *r;
    ec_error err = {0};
    char detail[200];
    bool ok = false;

    v->probes++;
    if (!m || !np->address || np->port <= 0) {
        snprintf(detail, sizeof(detail), "%s",
                 m ? "no endpoint" : "not a member when the run began");
        goto out;
    }
    t.node_id = np->cache_node_id;
    t.host = np->address;
    t.port = np->port;
    t.options = &m->opts;
    if (ec_probe_nodes(&tp, 1, &m->opts, &res, &err) != 0) {
        snprintf(detail, sizeof(detail), "probe failed: %.150s", err.message);
        goto out;
    }
    r = res->items[0];
    if (!r->ok)
        snprintf(detail, sizeof(detail), "%s", r->detail);
    else if (np->check == EC_NODE_CHECK_ANSWERS) {
        ok = true;
        snprintf(detail, sizeof(detail), "%s", r->detail);
    } else
        ok = ec_redis_replica_synced(r->replication, detail, sizeof(detail));
    ec_probe_results_free(res);
out:
    if (np->detail && np->detail_size)
        snprintf(np->detail, np->detail_size, "%s", detail);
    if (!ok)
        snprintf(v->last, sizeof(v->last), "%s: %s",
                 np->cache_cluster_id ? np->cache_cluster_id : "?", detail);
    return ok;
}
