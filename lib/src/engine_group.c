/*
 * The reboot engine's replication group operation (see engine.h): a Redis
 * group with cluster mode disabled rebooted one member at a time, replicas
 * first, the primary role moved to a rebooted replica before the old
 * primary is rebooted, as AWS documents (Replication.PromoteReplica:
 * Multi-AZ and automatic failover off, PrimaryClusterId, back on). Each
 * member's reboot runs through the shared REBOOT, CONFIRM, BACK and PROBE
 * phases of engine.c. Pure, as the rest of the step function.
 */
#include "engine_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ROLE_PRIMARY "primary"
#define ROLE_REPLICA "replica"
#define GROUP_AVAILABLE "available"
#define GROUP_MODIFYING "modifying"
#define ENABLED "enabled"
#define DISABLED "disabled"

/* ------------------------------------------------------------------ */
/* Reading a group                                                     */
/* ------------------------------------------------------------------ */

static bool is(const char *s, const char *want)
{
    return s && strcmp(s, want) == 0;
}

static bool same_id(const char *a, const char *b)
{
    return a && b && strcasecmp(a, b) == 0;
}

const ec_node_group_member *ecp_group_primary(const ec_replication_group *g)
{
    const ec_node_group *ng;
    size_t i;

    if (!g || g->node_groups.count == 0)
        return NULL;
    ng = g->node_groups.items[0];
    for (i = 0; i < ng->node_group_members.count; i++)
        if (is(ng->node_group_members.items[i]->current_role, ROLE_PRIMARY))
            return ng->node_group_members.items[i];
    return NULL;
}

bool ecp_group_cluster_mode(const ec_replication_group *g)
{
    return (g->cluster_enabled.set && g->cluster_enabled.value) ||
           g->node_groups.count > 1;
}

static const char *primary_id(const ec_replication_group *g)
{
    const ec_node_group_member *p = ecp_group_primary(g);

    return p ? p->cache_cluster_id : NULL;
}

static const char *gid(const ecp_engine *e)
{
    return e->group && e->group->replication_group_id
               ? e->group->replication_group_id
               : e->p.group_id;
}

/* The group's states that do not come back to available. */
static bool group_failure(const char *status)
{
    return is(status, "deleting") || is(status, "deleted") ||
           is(status, "create-failed");
}

/* Available, and automatic failover not half switched: a state a step
 * may start from. `why` says what is not. */
static bool group_settled(const ec_replication_group *g, char *why, size_t size)
{
    if (!is(g->status, GROUP_AVAILABLE)) {
        ecp_msgf(why, size, "replication group %s is %s, not available",
                 g->replication_group_id,
                 g->status ? g->status : "in no state");
        return false;
    }
    if (is(g->automatic_failover, "enabling") ||
        is(g->automatic_failover, "disabling")) {
        ecp_msgf(why, size, "automatic failover of %s is %s",
                 g->replication_group_id, g->automatic_failover);
        return false;
    }
    return true;
}

/* A member cluster and every node of it available; `why` says what is
 * not. `rebooting` when a reboot of it is under way. */
static bool member_available(const ec_cache_cluster *c, bool *rebooting,
                             char *why, size_t size)
{
    size_t i;

    *rebooting = ecp_cluster_is_rebooting(c);
    for (i = 0; i < c->cache_nodes.count; i++)
        if (ecp_eng_node_is(c->cache_nodes.items[i], ECP_STATUS_NODE_REBOOTING))
            *rebooting = true;
    if (!is(c->cache_cluster_status, ECP_STATUS_AVAILABLE)) {
        ecp_msgf(
            why, size, "member %s is %s, not available", c->cache_cluster_id,
            c->cache_cluster_status ? c->cache_cluster_status : "in no state");
        return false;
    }
    for (i = 0; i < c->cache_nodes.count; i++) {
        const ec_cache_node *n = c->cache_nodes.items[i];
        if (!ecp_eng_node_is(n, ECP_STATUS_AVAILABLE)) {
            ecp_msgf(
                why, size, "node %s of member %s is %s, not available",
                n->cache_node_id ? n->cache_node_id : "?", c->cache_cluster_id,
                n->cache_node_status ? n->cache_node_status : "in no state");
            return false;
        }
    }
    if (c->cache_nodes.count == 0) {
        ecp_msgf(why, size, "member %s was described without nodes",
                 c->cache_cluster_id);
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Members                                                             */
/* ------------------------------------------------------------------ */

static void members_clear(ecp_engine *e)
{
    size_t i;

    for (i = 0; i < e->member_count; i++) {
        free(e->members[i].id);
        ec_cache_cluster_free(e->members[i].cluster);
        ecp_reboot_plan_clear(&e->members[i].plan);
    }
    free(e->members);
    e->members = NULL;
    e->member_count = 0;
}

void ecp_group_clear(ecp_engine *e)
{
    members_clear(e);
    ec_replication_group_free(e->group);
    e->group = NULL;
    free(e->primary);
    free(e->target);
    e->primary = e->target = NULL;
}

static bool asked(const ecp_engine *e, const char *id)
{
    const ec_strlist *l = e->p.members;
    size_t i;

    if (!l || (!l->set && l->count == 0))
        return true;
    for (i = 0; i < l->count; i++)
        if (same_id(l->items[i], id))
            return true;
    return false;
}

/* The members of the (one) node group, in the group's order. */
static int members_from(ecp_engine *e, ec_error *err)
{
    const ec_node_group *ng = e->group->node_groups.items[0];
    size_t i, n = ng->node_group_members.count;

    members_clear(e);
    e->members = calloc(n + 1, sizeof(*e->members));
    if (!e->members)
        return ecp_eng_nomem(err);
    for (i = 0; i < n; i++) {
        const ec_node_group_member *m = ng->node_group_members.items[i];
        ecp_member *mm = &e->members[e->member_count];

        if (!m->cache_cluster_id)
            continue;
        mm->id = ecp_strdup(m->cache_cluster_id);
        if (!mm->id)
            return ecp_eng_nomem(err);
        mm->primary = is(m->current_role, ROLE_PRIMARY);
        mm->selected = asked(e, m->cache_cluster_id);
        e->member_count++;
    }
    return 0;
}

static void members_text(const ecp_engine *e, char *buf, size_t size)
{
    ec_strlist l = {0};
    char *items[64];
    size_t i;

    for (i = 0; i < e->member_count && i < 64; i++)
        items[i] = e->members[i].id;
    l.set = true;
    l.count = i;
    l.items = items;
    ec_strlist_join(&l, ", ", buf, size);
}

/* ------------------------------------------------------------------ */
/* Planning                                                            */
/* ------------------------------------------------------------------ */

static int refuse(ecp_engine *e, ec_reboot_decision decision, ec_error *err,
                  const char *text)
{
    e->outcome.decision = decision;
    e->outcome.changed = false;
    ecp_msgf(e->outcome.message, sizeof(e->outcome.message), "%s", text);
    return ecp_eng_fail(e, EC_ERR_INVALID_ARGUMENT, NULL, err, "%s", text);
}

int ecp_group_start(ecp_engine *e, ec_error *err)
{
    const ec_strlist *l = e->p.members;

    e->outcome.rebooted.set = true;
    if (l && l->set && l->count == 0) {
        e->outcome.decision = EC_DECIDE_NO_NODES;
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                 "the member list is empty: nothing rebooted (leave it out "
                 "to reboot every member of %s)",
                 e->p.group_id);
        return ecp_eng_succeed(e, err);
    }
    return ecp_eng_describe_group(e, ECP_PH_G_DESCRIBE, err);
}

/* Not ready to plan: without wait a busy decision (the tools fail it), in
 * check mode with wait a plan as if it were ready, with wait a pause and
 * planning again. Returns 1 when planning goes on (check mode). */
static int busy(ecp_engine *e, const char *why, ec_error *err)
{
    e->outcome.decision = EC_DECIDE_BUSY;
    if (e->p.check_mode && e->p.wait) {
        if (!e->busy_predicted)
            ecp_msgf(e->why, sizeof(e->why), "%s", why);
        e->busy_predicted = true;
        return 1;
    }
    if (!e->p.wait) {
        if (e->p.check_mode)
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "%s: a run without wait would reboot nothing and fail; "
                     "run with wait to reboot once it is available (check "
                     "mode)",
                     why);
        else
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "%s: nothing rebooted; run with wait to reboot once it "
                     "is available",
                     why);
        return ecp_eng_succeed(e, err);
    }
    if (ecp_eng_remaining(e) < e->delay)
        return ecp_eng_fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                            "timed out after %.0f s waiting for %s to be "
                            "ready before rebooting: %s",
                            ecp_eng_elapsed(e), e->p.group_id, why);
    if (ecp_eng_report(e, EC_PROGRESS_WAITING, NULL, err, "%s", why) != 0)
        return -1;
    return ecp_eng_sleep(e, ECP_PH_G_BUSY_SLEEP, e->delay, err);
}

static int plan_member(ecp_engine *e, ec_error *err)
{
    e->cid = e->members[e->plan_i].id;
    return ecp_eng_describe(e, ECP_PH_G_MEMBER_PLAN, true, true, err);
}

int ecp_ph_g_describe(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    const ec_strlist *l = e->p.members;
    ec_error why = {0};
    char text[512], ids[256];
    size_t i;
    int rc;

    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs))
        return ecp_eng_fail(e, EC_OK, obs->error, err, NULL);
    rc = ecp_eng_keep_group(e, obs, &why, err);
    if (rc != 0)
        return rc < 0 ? -1 : ecp_eng_fail(e, EC_OK, &why, err, NULL);
    if (!e->outcome.group_before) {
        e->outcome.group_before = ec_replication_group_dup(e->group);
        if (!e->outcome.group_before)
            return ecp_eng_nomem(err);
        if (primary_id(e->group)) {
            e->outcome.primary_before = ecp_strdup(primary_id(e->group));
            if (!e->outcome.primary_before)
                return ecp_eng_nomem(err);
        }
    }
    if (ecp_group_cluster_mode(e->group)) {
        ecp_msgf(text, sizeof(text),
                 "replication group %s has cluster mode enabled: "
                 "ElastiCache cannot reboot its members (RebootCacheCluster "
                 "is not supported for them). AWS documents the alternative "
                 "for changes that need a reboot: take a manual backup, "
                 "delete the cluster and restore it from the backup with the "
                 "changed parameter group",
                 gid(e));
        return refuse(e, EC_DECIDE_UNSUPPORTED, err, text);
    }
    if (e->group->node_groups.count == 0 ||
        e->group->node_groups.items[0]->node_group_members.count == 0)
        return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                            "replication group %s was described without "
                            "members: nothing rebooted",
                            gid(e));
    if (members_from(e, err) != 0)
        return -1;
    members_text(e, ids, sizeof(ids));
    for (i = 0; l && i < l->count; i++) {
        size_t k;
        for (k = 0; k < e->member_count; k++)
            if (same_id(l->items[i], e->members[k].id))
                break;
        if (k == e->member_count)
            return ecp_eng_fail(e, EC_ERR_INVALID_ARGUMENT, NULL, err,
                                "cache cluster %s is not a member of "
                                "replication group %s (its members: %s)",
                                l->items[i], gid(e), ids);
    }
    if (group_failure(e->group->status))
        return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                            "replication group %s is %s: nothing rebooted",
                            gid(e), e->group->status);
    if (!group_settled(e->group, text, sizeof(text))) {
        rc = busy(e, text, err);
        if (rc <= 0)
            return rc;
    }
    if (!primary_id(e->group))
        return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                            "replication group %s shows no primary "
                            "(CurrentRole): nothing rebooted",
                            gid(e));
    e->plan_i = 0;
    return plan_member(e, err);
}

int ecp_ph_g_busy_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ECP_UNUSED(obs);
    return ecp_eng_describe_group(e, ECP_PH_G_DESCRIBE, err);
}

static int group_decide(ecp_engine *e, const ec_event_list *events,
                        ec_error *err);

int ecp_ph_g_member_plan(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ecp_member *m = &e->members[e->plan_i];
    const ec_reboot_policy *pol = e->p.policy;
    ec_error why = {0};
    char text[256];
    bool rebooting = false;
    int rc;

    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs))
        return ecp_eng_fail(e, EC_OK, obs->error, err, NULL);
    rc = ecp_eng_keep_cluster(e, obs, &why, err);
    if (rc != 0)
        return rc < 0 ? -1 : ecp_eng_fail(e, EC_OK, &why, err, NULL);
    ec_cache_cluster_free(m->cluster);
    m->cluster = ec_cache_cluster_dup(e->cluster);
    if (!m->cluster)
        return ecp_eng_nomem(err);
    if (ecp_cluster_status_is_failure(m->cluster->cache_cluster_status))
        return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                            "member %s of %s is %s: nothing rebooted", m->id,
                            gid(e), m->cluster->cache_cluster_status);
    if (!member_available(m->cluster, &rebooting, text, sizeof(text))) {
        rc = busy(e, text, err);
        if (rc <= 0)
            return rc;
    }
    if (++e->plan_i < e->member_count)
        return plan_member(e, err);
    if (pol && pol->unless_rebooted_since.set)
        return ecp_eng_read_events(e, ECP_PH_G_PLAN_EVENTS, NULL,
                                   pol->unless_rebooted_since, err);
    return group_decide(e, NULL, err);
}

int ecp_ph_g_plan_events(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs))
        return ecp_eng_fail(e, EC_OK, obs->error, err, NULL);
    return group_decide(e, obs->events, err);
}

static ec_reboot_step *add_step(ecp_engine *e, ec_reboot_step_action action,
                                const char *cluster_id, ec_error *err)
{
    ec_reboot_step *s = ecp_eng_step_add(e, action, cluster_id, err);

    if (!s)
        return NULL;
    s->replication_group_id = ecp_strdup(gid(e));
    if (!s->replication_group_id) {
        ecp_eng_nomem(err);
        return NULL;
    }
    return s;
}

static int add_reboot_step(ecp_engine *e, const ecp_member *m, const char *role,
                           ec_error *err)
{
    ec_reboot_step *s = add_step(e, EC_STEP_REBOOT, m->id, err);

    if (!s)
        return -1;
    s->role = ecp_strdup(role);
    if (!s->role)
        return ecp_eng_nomem(err);
    return ecp_eng_copy_list(&s->cache_node_ids, &m->plan.node_ids, err);
}

static void set_opt(ec_opt_bool *o, bool value)
{
    o->set = true;
    o->value = value;
}

/* The steps of a primary move to `target`, then the old primary's reboot. */
static int plan_move(ecp_engine *e, const ecp_member *p, const char *target,
                     ec_error *err)
{
    bool af = is(e->group->automatic_failover, ENABLED);
    bool maz = is(e->group->multi_az, ENABLED);
    ec_reboot_step *s;

    e->af_was = af;
    e->maz_was = maz;
    if (af || maz) {
        s = add_step(e, EC_STEP_DISABLE_FAILOVER, NULL, err);
        if (!s)
            return -1;
        if (af)
            set_opt(&s->automatic_failover, false);
        if (maz)
            set_opt(&s->multi_az, false);
    }
    s = add_step(e, EC_STEP_MOVE_PRIMARY, target, err);
    if (!s)
        return -1;
    s->previous_primary_id = ecp_strdup(p->id);
    if (!s->previous_primary_id)
        return ecp_eng_nomem(err);
    if (af || maz) {
        s = add_step(e, EC_STEP_RESTORE_FAILOVER, NULL, err);
        if (!s)
            return -1;
        if (af)
            set_opt(&s->automatic_failover, true);
        if (maz)
            set_opt(&s->multi_az, true);
    }
    /* By then a replica of the new primary. */
    return add_reboot_step(e, p, ROLE_REPLICA, err);
}

/* "would reboot ..." / the final message: the steps in one line. */
static void plan_text(const ecp_engine *e, char *buf, size_t size)
{
    const ec_reboot_step_list *l = &e->outcome.steps;
    size_t i, len = 0;

    buf[0] = '\0';
    for (i = 0; i < l->count && len < size; i++) {
        const ec_reboot_step *s = l->items[i];
        int n = 0;

        switch (s->action) {
        case EC_STEP_REBOOT:
            n = snprintf(buf + len, size - len, "%sreboot %s %s", i ? ", " : "",
                         is(s->role, ROLE_PRIMARY) ? "the primary" : "replica",
                         s->cache_cluster_id);
            break;
        case EC_STEP_DISABLE_FAILOVER:
            n = snprintf(buf + len, size - len, "%sswitch off %s",
                         i ? ", " : "",
                         s->automatic_failover.set && s->multi_az.set
                             ? "automatic failover and Multi-AZ"
                         : s->multi_az.set ? "Multi-AZ"
                                           : "automatic failover");
            break;
        case EC_STEP_MOVE_PRIMARY:
            n = snprintf(buf + len, size - len, "%smove the primary to %s",
                         i ? ", " : "", s->cache_cluster_id);
            break;
        case EC_STEP_RESTORE_FAILOVER:
            n = snprintf(buf + len, size - len, "%sswitch %s back on",
                         i ? ", " : "",
                         s->automatic_failover.set && s->multi_az.set ? "them"
                         : s->multi_az.set ? "Multi-AZ"
                                           : "automatic failover");
            break;
        }
        if (n < 0)
            break;
        len += (size_t)n;
    }
    if (len >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
}

static int start_step(ecp_engine *e, size_t i, ec_error *err);

/* Nothing to reboot: the decision that says why. */
static int nothing(ecp_engine *e, const char *skipped, bool primary_left,
                   ec_error *err)
{
    const ec_reboot_policy *pol = e->p.policy;

    e->outcome.changed = false;
    if (primary_left)
        e->outcome.decision = EC_DECIDE_NO_NODES;
    else if (pol && pol->only_if_pending)
        e->outcome.decision = EC_DECIDE_NOTHING_PENDING;
    else
        e->outcome.decision = EC_DECIDE_RECENTLY_REBOOTED;
    ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
             "nothing to reboot in %s: %s", gid(e), skipped);
    return ecp_eng_succeed(e, err);
}

static int group_decide(ecp_engine *e, const ec_event_list *events,
                        ec_error *err)
{
    unsigned flags = e->busy_predicted ? ECP_PLAN_ASSUME_AVAILABLE : 0;
    const ecp_member *primary = NULL, *target = NULL;
    char skipped[256] = "", text[512];
    size_t i, replicas = 0, slen = 0;
    bool primary_left = false;

    /* Each member under the policy (its node ids: every node). */
    for (i = 0; i < e->member_count; i++) {
        ecp_member *m = &e->members[i];
        ec_error perr = {0};

        if (m->primary)
            primary = m;
        else
            replicas++;
        ecp_reboot_plan_clear(&m->plan);
        if (ecp_reboot_plan_make(m->cluster, events, e->p.policy, flags,
                                 &m->plan, &perr) != 0) {
            if (perr.code == EC_ERR_NOMEM)
                return ecp_eng_nomem(err);
            return ecp_eng_fail(e, EC_OK, &perr, err, NULL);
        }
        if (m->selected && m->plan.decision != EC_DECIDE_REBOOT &&
            slen < sizeof(skipped)) {
            int n = snprintf(skipped + slen, sizeof(skipped) - slen, "%s%s",
                             slen ? "; " : "", m->plan.reason);
            if (n > 0)
                slen += (size_t)n;
        }
    }
    if (!primary)
        return ecp_eng_internal(err, "a group without its primary planned");
    e->primary = ecp_strdup(primary->id);
    if (!e->primary)
        return ecp_eng_nomem(err);
    if (e->p.replicas_only && primary->selected &&
        primary->plan.decision == EC_DECIDE_REBOOT) {
        primary_left = true;
        if (slen < sizeof(skipped))
            snprintf(skipped + slen, sizeof(skipped) - slen,
                     "%sthe primary %s is left alone (replicas only)",
                     slen ? "; " : "", primary->id);
    }

    /* The replicas, one at a time, in the group's order. */
    for (i = 0; i < e->member_count; i++) {
        const ecp_member *m = &e->members[i];
        if (m->primary || !m->selected || m->plan.decision != EC_DECIDE_REBOOT)
            continue;
        if (!target)
            target = m;
        if (add_reboot_step(e, m, ROLE_REPLICA, err) != 0)
            return -1;
    }
    if (primary->selected && primary->plan.decision == EC_DECIDE_REBOOT &&
        !primary_left) {
        if (replicas == 0) {
            if (!e->p.allow_primary_reboot) {
                ecp_reboot_steps_clear(&e->outcome.steps);
                ecp_msgf(text, sizeof(text),
                         "replication group %s has no replica to move the "
                         "primary to: rebooting %s in place stops writes and "
                         "reads until it is back and loses its data; pass "
                         "allow_primary_reboot (--allow-primary-reboot) to "
                         "reboot it anyway",
                         gid(e), primary->id);
                return refuse(e, EC_DECIDE_REFUSED, err, text);
            }
            if (add_reboot_step(e, primary, ROLE_PRIMARY, err) != 0)
                return -1;
        } else {
            /* A replica rebooted in this run when there is one, else the
             * first replica (it needed no reboot). */
            for (i = 0; !target && i < e->member_count; i++)
                if (!e->members[i].primary)
                    target = &e->members[i];
            e->target = ecp_strdup(target->id);
            if (!e->target || plan_move(e, primary, target->id, err) != 0)
                return e->target ? -1 : ecp_eng_nomem(err);
        }
    }
    if (e->outcome.steps.count == 0)
        return nothing(e, skipped[0] ? skipped : "no member selected",
                       primary_left, err);

    e->outcome.decision = EC_DECIDE_REBOOT;
    /* A real run changes something once a reboot or a modification went
     * out (after_reboot, ecp_ph_g_modify); check mode says it would. */
    e->outcome.changed = e->p.check_mode;
    for (i = 0; i < e->outcome.steps.count; i++) {
        const ec_reboot_step *s = e->outcome.steps.items[i];
        if (s->action == EC_STEP_REBOOT && e->p.check_mode &&
            ec_strlist_push(&e->outcome.rebooted, s->cache_cluster_id) != 0)
            return ecp_eng_nomem(err);
    }
    plan_text(e, text, sizeof(text));
    if (ecp_eng_report(e, EC_PROGRESS_DESCRIBED, NULL, err,
                       "%s: primary %s; plan: %s", gid(e), e->primary,
                       text) != 0)
        return -1;
    if (e->p.check_mode) {
        if (e->busy_predicted)
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "%s: would wait until it is ready, then %s, one at a "
                     "time (check mode)",
                     e->why, text);
        else
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "would %s, one step at a time (check mode)%s%s", text,
                     skipped[0] ? "; left alone: " : "", skipped);
        return ecp_eng_succeed(e, err);
    }
    return start_step(e, 0, err);
}

/* ------------------------------------------------------------------ */
/* Running the steps                                                   */
/* ------------------------------------------------------------------ */

static ec_reboot_step *cur(const ecp_engine *e)
{
    return e->outcome.steps.items[e->step_i];
}

static int start_step(ecp_engine *e, size_t i, ec_error *err)
{
    if (ecp_eng_step_begin(e, i, err) != 0)
        return -1;
    return ecp_eng_describe_group(e, ECP_PH_G_CHECK, err);
}

static int group_finished(ecp_engine *e, ec_error *err)
{
    const char *now = primary_id(e->group);
    char text[512];

    plan_text(e, text, sizeof(text));
    if (e->target && now && !same_id(now, e->outcome.primary_before))
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                 "%s: %zu %s done in %.0f s (%s); the primary is now %s (was "
                 "%s)",
                 gid(e), e->outcome.steps.count,
                 e->outcome.steps.count == 1 ? "step" : "steps",
                 ecp_eng_elapsed(e), text, now, e->outcome.primary_before);
    else
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                 "%s: %zu %s done in %.0f s (%s)", gid(e),
                 e->outcome.steps.count,
                 e->outcome.steps.count == 1 ? "step" : "steps",
                 ecp_eng_elapsed(e), text);
    if (cur(e)->state == EC_STEP_SENT)
        ecp_msgf(e->outcome.message + strlen(e->outcome.message),
                 sizeof(e->outcome.message) - strlen(e->outcome.message),
                 "; the last reboot (%s) was not waited for",
                 cur(e)->cache_cluster_id);
    return ecp_eng_succeed(e, err);
}

static int next_step(ecp_engine *e, ec_error *err)
{
    if (e->step_i + 1 < e->outcome.steps.count)
        return start_step(e, e->step_i + 1, err);
    return group_finished(e, err);
}

static int send_modify(ecp_engine *e, ec_error *err)
{
    ec_reboot_step *s = cur(e);
    ecp_action *a;

    if (ecp_eng_remaining(e) <= 0 && !e->restoring)
        return ecp_eng_fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                            "the time budget of %.0f s ran out before "
                            "ModifyReplicationGroup of %s was sent",
                            e->budget, gid(e));
    a = ecp_eng_queue(e, ECP_ACT_MODIFY_GROUP);
    if (!a)
        return ecp_eng_internal(err, "action queue full");
    a->group_id = gid(e);
    a->automatic_failover = s->automatic_failover;
    a->multi_az = s->multi_az;
    a->call_timeout = ecp_eng_call_timeout(e);
    switch (s->action) {
    case EC_STEP_DISABLE_FAILOVER:
        e->gstage = ECP_G_DISABLE;
        /* From here until proven refused, the settings must be restored
         * whatever happens. */
        e->settings_off = true;
        break;
    case EC_STEP_MOVE_PRIMARY:
        e->gstage = ECP_G_MOVE;
        a->primary_cluster_id = s->cache_cluster_id;
        break;
    case EC_STEP_RESTORE_FAILOVER:
        e->gstage = ECP_G_RESTORE;
        break;
    case EC_STEP_REBOOT:
        return ecp_eng_internal(err, "a modification for a reboot step");
    }
    e->glost = false;
    ec_error_clear(&e->gcall_error);
    e->phase = ECP_PH_G_MODIFY;
    return 0;
}

/* The check before a step: the group settled, its primary the one the
 * run expects (a failover under the run stops it: the plan was made for
 * another primary). */
int ecp_ph_g_check(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ec_reboot_step *s = cur(e);
    const char *now;
    ec_error why = {0};
    char text[256];
    int rc;

    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs))
        return ecp_eng_fail(e, EC_OK, obs->error, err, NULL);
    rc = ecp_eng_keep_group(e, obs, &why, err);
    if (rc != 0)
        return rc < 0 ? -1 : ecp_eng_fail(e, EC_OK, &why, err, NULL);
    if (group_failure(e->group->status))
        return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                            "replication group %s is %s", gid(e),
                            e->group->status);
    if (!group_settled(e->group, text, sizeof(text))) {
        if (ecp_eng_elapsed(e) + e->delay > e->budget)
            return ecp_eng_fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                                "timed out after %.0f s waiting before step "
                                "%zu: %s",
                                ecp_eng_elapsed(e), e->step_i + 1, text);
        if (ecp_eng_report(e, EC_PROGRESS_WAITING, NULL, err, "%s", text) != 0)
            return -1;
        return ecp_eng_sleep(e, ECP_PH_G_CHECK_SLEEP, e->delay, err);
    }
    /* Cluster mode switched on during the run (an online migration):
     * ElastiCache cannot reboot such members; nothing more is done but the
     * restore. */
    if (!e->restoring && ecp_group_cluster_mode(e->group))
        return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                            "replication group %s has cluster mode enabled "
                            "now: stopping before step %zu (ElastiCache "
                            "cannot reboot its members)",
                            gid(e), e->step_i + 1);
    now = primary_id(e->group);
    if (!e->restoring && !same_id(now, e->primary))
        return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                            "the primary of %s changed from %s to %s during "
                            "the run (a failover?): stopping before step %zu; "
                            "run again with unless_rebooted_since set to this "
                            "run's start to continue with the members not yet "
                            "rebooted",
                            gid(e), e->primary, now ? now : "none",
                            e->step_i + 1);
    if (s->action == EC_STEP_REBOOT) {
        if (!ec_replication_group_find_member(e->group, s->cache_cluster_id,
                                              NULL))
            return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                                "%s is no longer a member of %s",
                                s->cache_cluster_id, gid(e));
        if (same_id(now, s->cache_cluster_id) && !is(s->role, ROLE_PRIMARY))
            return ecp_eng_internal(err, "the primary as a replica step");
        /* A primary is rebooted in place only in a group with no replica
         * (allow_primary_reboot): one that gained a replica since the plan
         * must have its primary moved first, which a new run plans. */
        if (is(s->role, ROLE_PRIMARY) && e->group->node_groups.count > 0 &&
            e->group->node_groups.items[0]->node_group_members.count > 1)
            return ecp_eng_fail(
                e, EC_ERR_WAIT_FAILURE, NULL, err,
                "replication group %s has a replica now: its primary %s is "
                "no longer rebooted in place; stopping before step %zu; run "
                "again to move the primary to a replica first",
                gid(e), s->cache_cluster_id, e->step_i + 1);
        e->cid = s->cache_cluster_id;
        return ecp_eng_describe(e, ECP_PH_G_MEMBER, true, true, err);
    }
    if (s->action == EC_STEP_MOVE_PRIMARY && e->p.probe) {
        /* The member to promote must follow the primary before it takes
         * over from it. */
        const ec_node_group_member *t = ec_replication_group_find_member(
            e->group, s->cache_cluster_id, NULL);
        ecp_probe_item *it = calloc(1, sizeof(*it));

        if (!it)
            return ecp_eng_nomem(err);
        it->cluster_id = ecp_strdup(s->cache_cluster_id);
        it->node_id =
            ecp_strdup(t && t->cache_node_id ? t->cache_node_id : "0001");
        it->engine = ecp_strdup("redis");
        if (t && t->read_endpoint && t->read_endpoint->address) {
            it->address = ecp_strdup(t->read_endpoint->address);
            it->port = t->read_endpoint->port.set
                           ? (int)t->read_endpoint->port.value
                           : 0;
        }
        if (!it->cluster_id || !it->node_id || !it->engine ||
            (t && t->read_endpoint && t->read_endpoint->address &&
             !it->address) ||
            ecp_eng_probe_link(it, e->group, err) != 0) {
            ecp_eng_probe_items_free(it, 1);
            return ecp_eng_nomem(err);
        }
        return ecp_eng_start_probes(e, it, 1, ECP_PROBE_THEN_MODIFY, err);
    }
    return send_modify(e, err);
}

int ecp_ph_g_check_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ECP_UNUSED(obs);
    return ecp_eng_describe_group(e, ECP_PH_G_CHECK, err);
}

/* The member before its reboot: available, and not rebooting already
 * (someone else's reboot: a second one of ours would be one too many). */
int ecp_ph_g_member(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ec_reboot_step *s = cur(e);
    ec_error why = {0};
    bool rebooting = false;
    char text[256];
    size_t i;
    int rc;

    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs))
        return ecp_eng_fail(e, EC_OK, obs->error, err, NULL);
    rc = ecp_eng_keep_cluster(e, obs, &why, err);
    if (rc != 0)
        return rc < 0 ? -1 : ecp_eng_fail(e, EC_OK, &why, err, NULL);
    if (ecp_cluster_status_is_failure(e->cluster->cache_cluster_status))
        return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                            "member %s of %s is %s", e->cid, gid(e),
                            e->cluster->cache_cluster_status);
    if (!member_available(e->cluster, &rebooting, text, sizeof(text))) {
        if (rebooting)
            return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                                "member %s of %s is rebooting, not by this "
                                "run: stopping before rebooting it again",
                                e->cid, gid(e));
        if (ecp_eng_elapsed(e) + e->delay > e->budget)
            return ecp_eng_fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                                "timed out after %.0f s waiting for %s",
                                ecp_eng_elapsed(e), text);
        if (ecp_eng_report(e, EC_PROGRESS_WAITING, NULL, err, "%s", text) != 0)
            return -1;
        return ecp_eng_sleep(e, ECP_PH_G_MEMBER_SLEEP, e->delay, err);
    }
    if (ecp_eng_copy_list(&e->batch, &s->cache_node_ids, err) != 0)
        return -1;
    for (i = 0; i < e->batch.count; i++)
        if (!ec_cache_cluster_find_node(e->cluster, e->batch.items[i]))
            return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                                "node %s is no longer in member %s",
                                e->batch.items[i], e->cid);
    if (ec_strlist_push(&e->outcome.rebooted, e->cid) != 0)
        return ecp_eng_nomem(err);
    e->last_reboot = e->step_i + 1 == e->outcome.steps.count;
    return ecp_eng_send_reboot(e, err);
}

int ecp_ph_g_member_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ECP_UNUSED(obs);
    return ecp_eng_describe(e, ECP_PH_G_MEMBER, true, true, err);
}

/* The last reboot went out and the run does not wait for it. */
int ecp_group_after_reboot(ecp_engine *e, ec_error *err)
{
    return group_finished(e, err);
}

static int member_done(ecp_engine *e, ec_error *err)
{
    ec_reboot_step *s = cur(e);

    if (ecp_eng_step_end(e, EC_STEP_DONE, err,
                         "rebooted %s %s; back and available after %.0f s%s",
                         is(s->role, ROLE_PRIMARY) ? "the primary" : "replica",
                         e->cid, ecp_time_sub(e->now, e->step_t0),
                         e->p.probe && is(s->role, ROLE_REPLICA)
                             ? ", its link to the primary up"
                         : e->p.probe ? ", answering"
                                      : "") != 0)
        return -1;
    return next_step(e, err);
}

int ecp_group_after_wait(ecp_engine *e, ec_error *err)
{
    ec_reboot_step *s = cur(e);
    ecp_probe_item *items = NULL;
    size_t n = 0, i;

    if (!e->p.probe)
        return member_done(e, err);
    if (ecp_eng_probe_items(e->cluster, &e->batch, &items, &n, err) != 0)
        return -1;
    for (i = 0; is(s->role, ROLE_REPLICA) && i < n; i++)
        if (ecp_eng_probe_link(&items[i], e->group, err) != 0) {
            ecp_eng_probe_items_free(items, n);
            return -1;
        }
    return ecp_eng_start_probes(e, items, n, ECP_PROBE_THEN_AFTER_WAIT, err);
}

int ecp_group_after_probe(ecp_engine *e, ec_error *err)
{
    if (e->probe_then == ECP_PROBE_THEN_MODIFY)
        return send_modify(e, err);
    return member_done(e, err);
}

/* ------------------------------------------------------------------ */
/* ModifyReplicationGroup and waiting for it                           */
/* ------------------------------------------------------------------ */

/* The state the modification under way leads to, reached. */
static bool reached(const ecp_engine *e)
{
    const ec_replication_group *g = e->group;
    const ec_reboot_step *s = cur(e);

    if (!is(g->status, GROUP_AVAILABLE))
        return false;
    switch (e->gstage) {
    case ECP_G_DISABLE:
        return !is(g->automatic_failover, ENABLED) &&
               !is(g->automatic_failover, "enabling") &&
               !is(g->automatic_failover, "disabling") &&
               !is(g->multi_az, ENABLED);
    case ECP_G_MOVE:
        return same_id(primary_id(g), s->cache_cluster_id) &&
               !(g->pending_modified_values &&
                 g->pending_modified_values->primary_cluster_id);
    case ECP_G_RESTORE:
        return (!s->automatic_failover.set ||
                is(g->automatic_failover, ENABLED)) &&
               (!s->multi_az.set || is(g->multi_az, ENABLED));
    case ECP_G_NONE:
        break;
    }
    return false;
}

/* Any sign that the modification reached the service. */
static bool evidence(const ecp_engine *e)
{
    const ec_replication_group *g = e->group;
    const ec_replication_group_pending_modified_values *pv =
        g->pending_modified_values;

    if (reached(e) || is(g->status, GROUP_MODIFYING) ||
        is(g->automatic_failover, "enabling") ||
        is(g->automatic_failover, "disabling"))
        return true;
    if (pv && pv->automatic_failover_status)
        return true;
    return pv && e->gstage == ECP_G_MOVE &&
           same_id(pv->primary_cluster_id, cur(e)->cache_cluster_id);
}

static int wait_modify(ecp_engine *e, ec_error *err)
{
    return ecp_eng_describe_group(e, ECP_PH_G_MODIFY_WAIT, err);
}

int ecp_ph_g_modify(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    const ec_error *call = obs->error;

    e->gcall_time = obs->started;
    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (!ecp_eng_failed(obs) || call->maybe_sent)
        e->outcome.changed = true;
    if (!ecp_eng_failed(obs)) {
        if (obs->request_id) {
            free(e->outcome.request_id);
            e->outcome.request_id = ecp_strdup(obs->request_id);
            if (!e->outcome.request_id ||
                ecp_eng_step_request_id(e, obs->request_id, err) != 0)
                return ecp_eng_nomem(err);
        }
        return wait_modify(e, err);
    }
    e->gcall_error = *call;
    if (call->maybe_sent) {
        /* It may have reached the service: describe to see, never send
         * it again (a second PrimaryClusterId could start a failover
         * nobody asked for). */
        e->glost = true;
        e->confirm_start = obs->now;
        return wait_modify(e, err);
    }
    /* Refused, or provably never sent: nothing changed. */
    if (e->gstage == ECP_G_DISABLE)
        e->settings_off = false;
    return ecp_eng_fail(e, EC_OK, call, err, NULL);
}

static const char *stage_text(const ecp_engine *e, char *buf, size_t size)
{
    switch (e->gstage) {
    case ECP_G_DISABLE:
        ecp_msgf(buf, size, "automatic failover and Multi-AZ of %s to be off",
                 gid(e));
        break;
    case ECP_G_MOVE:
        ecp_msgf(buf, size, "the primary of %s to move to %s", gid(e),
                 cur(e)->cache_cluster_id);
        break;
    case ECP_G_RESTORE:
        ecp_msgf(buf, size,
                 "automatic failover and Multi-AZ of %s to be back on", gid(e));
        break;
    case ECP_G_NONE:
        ecp_msgf(buf, size, "the modification of %s", gid(e));
        break;
    }
    return buf;
}

static int modify_done(ecp_engine *e, ec_error *err)
{
    ec_reboot_step *s = cur(e);
    const char *lost = e->gcall_error.code != EC_OK
                           ? " (the answer to ModifyReplicationGroup was "
                             "lost; describing confirmed it)"
                           : "";
    int rc;

    switch (e->gstage) {
    case ECP_G_DISABLE:
        rc = ecp_eng_step_end(e, EC_STEP_DONE, err,
                              "automatic failover and Multi-AZ of %s are off "
                              "after %.0f s%s",
                              gid(e), ecp_time_sub(e->now, e->step_t0), lost);
        break;
    case ECP_G_MOVE:
        free(e->primary);
        e->primary = ecp_strdup(s->cache_cluster_id);
        if (!e->primary)
            return ecp_eng_nomem(err);
        rc = ecp_eng_step_end(e, EC_STEP_DONE, err,
                              "the primary of %s is %s (was %s) after %.0f "
                              "s%s",
                              gid(e), s->cache_cluster_id,
                              s->previous_primary_id,
                              ecp_time_sub(e->now, e->step_t0), lost);
        break;
    case ECP_G_RESTORE:
        e->settings_off = false;
        rc = ecp_eng_step_end(e, EC_STEP_DONE, err,
                              "%s of %s back on after %.0f s%s",
                              s->multi_az.set && s->automatic_failover.set
                                  ? "automatic failover and Multi-AZ"
                              : s->multi_az.set ? "Multi-AZ"
                                                : "automatic failover",
                              gid(e), ecp_time_sub(e->now, e->step_t0), lost);
        break;
    default:
        return ecp_eng_internal(err, "a modification without a stage");
    }
    ec_error_clear(&e->gcall_error);
    e->gstage = ECP_G_NONE;
    if (rc != 0)
        return -1;
    if (e->restoring) {
        /* The restore after a failure is done: end with that failure. */
        e->restoring = false;
        e->outcome.error = e->saved_error;
        ecp_msgf(e->outcome.error.message, sizeof(e->outcome.error.message),
                 "%s (automatic failover and Multi-AZ of %s were switched "
                 "back on)",
                 e->saved_message, gid(e));
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message), "%s",
                 e->outcome.error.message);
        e->outcome.rc = -1;
        return ecp_eng_done(e, err);
    }
    return next_step(e, err);
}

int ecp_ph_g_modify_wait(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    const ec_error *cause = &e->gcall_error;
    double window, pause;
    ec_error why = {0};
    char what[160];
    int rc;

    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs)) {
        if (!e->glost)
            return ecp_eng_fail(e, EC_OK, obs->error, err, NULL);
        e->confirm_error = *obs->error;
    } else {
        rc = ecp_eng_keep_group(e, obs, &why, err);
        if (rc < 0)
            return -1;
        if (rc > 0) {
            if (!e->glost)
                return ecp_eng_fail(e, EC_OK, &why, err, NULL);
            e->confirm_error = why;
        } else {
            if (e->glost && evidence(e))
                e->glost = false;
            if (!e->glost && reached(e))
                return modify_done(e, err);
            if (group_failure(e->group->status))
                return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                                    "replication group %s is %s", gid(e),
                                    e->group->status);
        }
    }
    if (e->glost) {
        /* As a lost reboot answer: within a minute and the budget. */
        window = ecp_time_sub(e->confirm_start, e->t0) + ECP_CONFIRM_WINDOW;
        pause =
            e->delay < ECP_CONFIRM_DELAY_MAX ? e->delay : ECP_CONFIRM_DELAY_MAX;
        if (window > e->budget)
            window = e->budget;
        if (ecp_eng_elapsed(e) + pause + 1.0 <= window) {
            if (ecp_eng_report(e, EC_PROGRESS_WAITING, NULL, err,
                               "answer to ModifyReplicationGroup lost; "
                               "describing %s to see whether it took effect",
                               gid(e)) != 0)
                return -1;
            return ecp_eng_sleep(e, ECP_PH_G_MODIFY_SLEEP, pause, err);
        }
        return ecp_eng_fail(e, EC_OK, cause, err,
                            "ModifyReplicationGroup of %s may have reached the "
                            "service but its answer was lost (%.160s), and "
                            "describing the group for %.0f s shows no change: "
                            "not sending it again; check the group, then run "
                            "again",
                            gid(e), cause->message,
                            ecp_time_sub(e->now, e->confirm_start));
    }
    if (ecp_eng_elapsed(e) + e->delay > e->budget)
        return ecp_eng_fail(
            e, EC_ERR_WAIT_TIMEOUT, NULL, err,
            "timed out after %.0f s waiting for %s (the "
            "group is %s)",
            ecp_eng_elapsed(e), stage_text(e, what, sizeof(what)),
            e->group->status ? e->group->status : "in no state");
    if (ecp_eng_report(e, EC_PROGRESS_WAITING, NULL, err,
                       "%s is %s; waiting for %s", gid(e),
                       e->group->status ? e->group->status : "in no state",
                       stage_text(e, what, sizeof(what))) != 0)
        return -1;
    return ecp_eng_sleep(e, ECP_PH_G_MODIFY_SLEEP, e->delay, err);
}

int ecp_ph_g_modify_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ECP_UNUSED(obs);
    return wait_modify(e, err);
}

/* ------------------------------------------------------------------ */
/* A failure                                                           */
/* ------------------------------------------------------------------ */

/* "rebooted before it stopped: A, B; not rebooted: C" */
static void group_summary(const ecp_engine *e, char *buf, size_t size)
{
    const ec_reboot_step_list *l = &e->outcome.steps;
    char done_ids[200], rest[200];
    size_t i, n = 0, off = 0, len = strlen(buf);

    ec_strlist_join(&e->outcome.rebooted, ", ", done_ids, sizeof(done_ids));
    rest[0] = '\0';
    for (i = 0; i < l->count && off < sizeof(rest); i++) {
        const ec_reboot_step *s = l->items[i];
        int w;
        if (s->action != EC_STEP_REBOOT ||
            ecp_strlist_contains(&e->outcome.rebooted, s->cache_cluster_id))
            continue;
        w = snprintf(rest + off, sizeof(rest) - off, "%s%s", n ? ", " : "",
                     s->cache_cluster_id);
        if (w < 0)
            break;
        off += (size_t)w;
        n++;
    }
    if (len < size && l->count > 0)
        snprintf(buf + len, size - len,
                 " (rolling reboot of %s stopped: rebooted before it "
                 "stopped: %s; not rebooted: %s)",
                 gid(e), e->outcome.rebooted.count ? done_ids : "none",
                 n ? rest : "none");
}

int ecp_group_on_fail(ecp_engine *e, ec_error *err)
{
    ec_error *out = &e->outcome.error;
    size_t i, restore = e->outcome.steps.count;

    if (e->restoring) {
        /* The restore itself failed: end with the first failure, and say
         * what to switch back on by hand. */
        char second[EC_ERROR_TEXT_LENGTH];

        ecp_msgf(second, sizeof(second), "%s", out->message);
        *out = e->saved_error;
        ecp_msgf(out->message, sizeof(out->message),
                 "%s; switching automatic failover and Multi-AZ of %s back "
                 "on failed too (%.120s): switch them on by hand "
                 "(modify-replication-group --automatic-failover-enabled%s "
                 "--apply-immediately)",
                 e->saved_message, gid(e), second,
                 e->maz_was ? " --multi-az-enabled" : "");
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message), "%s",
                 out->message);
        e->restoring = false;
        return 0;
    }
    for (i = 0; i < e->outcome.steps.count; i++)
        if (e->outcome.steps.items[i]->action == EC_STEP_RESTORE_FAILOVER)
            restore = i;
    if (e->settings_off && !e->p.check_mode &&
        restore < e->outcome.steps.count &&
        e->outcome.steps.items[restore]->state == EC_STEP_PLANNED) {
        /* Automatic failover or Multi-AZ may be off: switch them back on
         * before the run ends, with time of its own. */
        group_summary(e, out->message, sizeof(out->message));
        e->saved_error = *out;
        e->saved_set = true;
        ecp_msgf(e->saved_message, sizeof(e->saved_message), "%s",
                 out->message);
        e->restoring = true;
        if (e->budget < ecp_eng_elapsed(e) + ECP_RESTORE_BUDGET)
            e->budget = ecp_eng_elapsed(e) + ECP_RESTORE_BUDGET;
        if (ecp_eng_report(e, EC_PROGRESS_WAITING, NULL, err,
                           "the run failed (%.320s); switching automatic "
                           "failover and Multi-AZ of %s back on first",
                           out->message, gid(e)) != 0)
            return -1;
        if (start_step(e, restore, err) != 0)
            return -1;
        return 1;
    }
    if (e->settings_off && !e->p.check_mode) {
        group_summary(e, out->message, sizeof(out->message));
        ecp_msgf(out->message + strlen(out->message),
                 sizeof(out->message) - strlen(out->message),
                 "; automatic failover and Multi-AZ of %s may still be off: "
                 "check them and switch them on if so",
                 gid(e));
    } else {
        group_summary(e, out->message, sizeof(out->message));
    }
    if (e->outcome.steps.count > 0 || e->outcome.message[0] == '\0')
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message), "%s",
                 out->message);
    return 0;
}
