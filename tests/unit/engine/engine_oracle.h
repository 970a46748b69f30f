/*
 * The reboot engine's safety contract as an oracle, shared by the case
 * runner (engine_case.c), the allocation-failure test and the fuzz target
 * (tests/fuzz/targets/fuzz_engine.c). Feed it every observation and every
 * action of a run; it says which rule an action broke, or NULL.
 *
 * The rules:
 * - a reboot action names only nodes that were asked for (every node when
 *   no list was given, none when an empty one was), each node at most once
 *   in the whole run, nodes of the cluster as last described, all
 *   "available" in an "available" cluster, at most batch_size of them;
 * - one reboot action per batch: a reboot only after every node of the one
 *   before was seen restarting (reading "rebooting", or a restart event
 *   from its call on), so never one after a lost answer that was not
 *   confirmed; never one in check mode or from a waiter;
 * - never the current primary of a replication group as last described
 *   (read after the last ModifyReplicationGroup), unless the caller allowed
 *   it and the group has no replica to move the primary to; a cluster that
 *   names a group is not rebooted before its group was read, unless the
 *   caller allowed a primary reboot; nothing is rebooted or modified in a
 *   group with cluster mode enabled;
 * - ModifyReplicationGroup only from the group operation, never in check
 *   mode; a PrimaryClusterId only while automatic failover and Multi-AZ
 *   read off, to a replica, once per run, and not after a modification's
 *   lost answer that was not confirmed;
 * - a run that switched failover off (and was not refused) tries to switch
 *   it back on before it ends;
 * - an empty node list makes no call at all; a run that says changed=true
 *   sent its reboot (or, in check mode, names what it would reboot).
 */
#ifndef EC_ENGINE_ORACLE_H
#define EC_ENGINE_ORACLE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine.h"

typedef struct engine_oracle {
    const ecp_params *params;
    int reboots;                  /* reboot actions seen */
    bool lost;                    /* the last reboot's answer was lost */
    bool described;               /* a cluster was read at least once */
    const ec_cache_cluster *last; /* borrowed: the copy below */
    ec_cache_cluster *kept;       /* the last cluster read, owned */
    int calls;                    /* I/O actions */
    /* Every "cluster/node" rebooted in the run. */
    ec_strlist done;
    /* The last reboot: its cluster, nodes and call time; which of its
     * nodes were seen restarting. */
    char *pending_cid;
    ec_strlist pending;
    bool *pending_seen;
    ec_time pending_since;
    /* Groups: the last one read, and whether it was read since the last
     * ModifyReplicationGroup. */
    ec_replication_group *group;
    bool group_fresh;
    int moves;             /* PrimaryClusterId modifications */
    bool modify_lost;      /* the last modification's answer was lost */
    bool modify_confirmed; /* ... and a group read since showed a change */
    bool disable_open;     /* failover switched off, no restore sent yet */
    bool modified;         /* a modification not refused */
    int last_modify;       /* 0 none, 1 disable, 2 move, 3 restore */
} engine_oracle;

static inline void oracle_pending_clear(engine_oracle *o)
{
    free(o->pending_cid);
    o->pending_cid = NULL;
    ec_strlist_clear(&o->pending);
    free(o->pending_seen);
    o->pending_seen = NULL;
}

static inline void oracle_clear(engine_oracle *o)
{
    ec_cache_cluster_free(o->kept);
    ec_replication_group_free(o->group);
    ec_strlist_clear(&o->done);
    oracle_pending_clear(o);
    memset(o, 0, sizeof(*o));
}

static inline bool oracle_is(const char *s, const char *want)
{
    return s && strcmp(s, want) == 0;
}

static inline bool oracle_same(const char *a, const char *b)
{
    return a && b && strcasecmp(a, b) == 0;
}

static inline bool oracle_asked(const engine_oracle *o, const char *id)
{
    const ec_reboot_policy *p = o->params->policy;
    size_t i;

    if (o->params->op == ECP_OP_GROUP)
        return true; /* members, not node ids: see oracle_member_asked */
    if (!p || p->node_count == 0)
        return !(p && p->node_ids_set);
    for (i = 0; i < p->node_count; i++)
        if (strcmp(p->node_ids[i], id) == 0)
            return true;
    return false;
}

static inline bool oracle_member_asked(const engine_oracle *o, const char *id)
{
    const ec_strlist *l = o->params->members;
    size_t i;

    if (!l)
        return true;
    for (i = 0; i < l->count; i++)
        if (oracle_same(l->items[i], id))
            return true;
    return false;
}

/* The role of `cid` in the last group read: 1 primary, 0 another role,
 * -1 not a member. */
static inline int oracle_role(const engine_oracle *o, const char *cid,
                              size_t *members)
{
    size_t i, k;
    int role = -1;

    *members = 0;
    for (i = 0; o->group && i < o->group->node_groups.count; i++) {
        const ec_node_group *ng = o->group->node_groups.items[i];
        for (k = 0; k < ng->node_group_members.count; k++) {
            const ec_node_group_member *m = ng->node_group_members.items[k];
            (*members)++;
            if (oracle_same(m->cache_cluster_id, cid))
                role = oracle_is(m->current_role, "primary") ? 1 : 0;
        }
    }
    return role;
}

static inline bool oracle_group_cme(const engine_oracle *o)
{
    return o->group && ((o->group->cluster_enabled.set &&
                         o->group->cluster_enabled.value) ||
                        o->group->node_groups.count > 1);
}

/* Restarts of the pending reboot's nodes: a node reading "rebooting" in
 * a read of its cluster. */
static inline void oracle_seen_in(engine_oracle *o, const ec_cache_cluster *c)
{
    size_t i;

    if (!o->pending_cid || !oracle_same(c->cache_cluster_id, o->pending_cid))
        return;
    for (i = 0; i < o->pending.count; i++) {
        const ec_cache_node *n =
            ec_cache_cluster_find_node(c, o->pending.items[i]);
        if (n && oracle_is(n->cache_node_status, "rebooting"))
            o->pending_seen[i] = true;
    }
}

/* Call with every observation before it is stepped. */
static inline void oracle_observe(engine_oracle *o, const ecp_obs *obs)
{
    bool failed = obs->error && obs->error->code != EC_OK;
    size_t i, k;

    if (obs->kind == ECP_OBS_REBOOTED && failed && obs->error->maybe_sent)
        o->lost = true;
    if (obs->kind == ECP_OBS_REBOOTED && failed && !obs->error->maybe_sent) {
        /* Refused: nothing of it happened. */
        for (i = 0; o->pending_cid && i < o->pending.count; i++) {
            char key[96];
            snprintf(key, sizeof(key), "%s/%s", o->pending_cid,
                     o->pending.items[i]);
            for (k = 0; k < o->done.count; k++)
                if (strcmp(o->done.items[k], key) == 0)
                    o->done.items[k][0] = '\0';
        }
        oracle_pending_clear(o);
    }
    if (obs->kind == ECP_OBS_REBOOTED && !failed)
        o->pending_since = obs->started;
    if (obs->kind == ECP_OBS_CLUSTERS && !failed && obs->clusters &&
        obs->clusters->count == 1) {
        ec_cache_cluster_free(o->kept);
        o->kept = ec_cache_cluster_dup(obs->clusters->items[0]);
        o->last = o->kept;
        o->described = true;
        if (o->kept)
            oracle_seen_in(o, o->kept);
    }
    if (obs->kind == ECP_OBS_REBOOTED && !failed && obs->cluster &&
        obs->cluster->cache_nodes.set) {
        ec_cache_cluster_free(o->kept);
        o->kept = ec_cache_cluster_dup(obs->cluster);
        o->last = o->kept;
        if (o->kept)
            oracle_seen_in(o, o->kept);
    }
    if (obs->kind == ECP_OBS_EVENTS && !failed && obs->events &&
        o->pending_cid) {
        for (i = 0; i < obs->events->count; i++) {
            char id[16];
            if (!ecp_event_node_restarted(
                    obs->events->items[i], o->pending_cid,
                    ecp_time_add(o->pending_since, -ECP_CLOCK_SKEW_SECONDS), id,
                    sizeof(id)))
                continue;
            for (k = 0; k < o->pending.count; k++)
                if (strcmp(o->pending.items[k], id) == 0)
                    o->pending_seen[k] = true;
        }
    }
    if (obs->kind == ECP_OBS_GROUP && !failed && obs->groups &&
        obs->groups->count == 1) {
        ec_replication_group_free(o->group);
        o->group = ec_replication_group_dup(obs->groups->items[0]);
        o->group_fresh = true;
        if (o->modify_lost && o->group &&
            (oracle_is(o->group->status, "modifying") ||
             oracle_is(o->group->automatic_failover, "enabling") ||
             oracle_is(o->group->automatic_failover, "disabling") ||
             o->group->pending_modified_values ||
             (o->last_modify == 1 &&
              !oracle_is(o->group->automatic_failover, "enabled") &&
              !oracle_is(o->group->multi_az, "enabled"))))
            o->modify_confirmed = true;
    }
    if (obs->kind == ECP_OBS_MODIFIED) {
        if (!failed || obs->error->maybe_sent)
            o->modified = true;
        o->modify_lost = failed && obs->error->maybe_sent;
        o->modify_confirmed = false;
        /* A disable the service refused changed nothing. */
        if (failed && !obs->error->maybe_sent && o->last_modify == 1)
            o->disable_open = false;
    }
}

static inline const char *oracle_reboot(engine_oracle *o, const ecp_action *a)
{
    const ec_reboot_policy *p = o->params->policy;
    const char *cid = a->cluster_id;
    bool group_op = o->params->op == ECP_OP_GROUP;
    size_t i, j, members = 0;
    int role;

    if (o->params->op != ECP_OP_REBOOT && !group_op)
        return "a waiter emitted a reboot";
    if (o->params->check_mode)
        return "a reboot in check mode";
    if (!a->nodes || a->nodes->count == 0)
        return "a reboot of no node";
    if (o->params->batch_size && a->nodes->count > o->params->batch_size)
        return "a reboot of more nodes than the batch size";
    /* The reboot before: every node of it seen restarting. */
    if (o->reboots > 0 && o->pending_cid) {
        for (i = 0; i < o->pending.count; i++)
            if (!o->pending_seen[i])
                return o->lost ? "a reboot after a lost answer that was not "
                                 "confirmed"
                               : "a reboot before the one before was seen "
                                 "restarting";
    }
    o->reboots++;
    o->lost = false;
    if (!o->described || !o->last)
        return "a reboot before the cluster was described";
    if (!oracle_same(o->last->cache_cluster_id, cid))
        return "a reboot of a cluster other than the one last described";
    if (!oracle_is(o->last->cache_cluster_status, "available"))
        return "a reboot of a cluster that is not available";
    if (oracle_group_cme(o))
        return "a reboot in a group with cluster mode enabled";
    /* The role. */
    if (group_op ||
        (o->last->replication_group_id && !o->params->allow_primary_reboot)) {
        if (!o->group || !o->group_fresh)
            return "a member of a group rebooted without reading the group "
                   "since its last modification";
        role = oracle_role(o, cid, &members);
        if (role < 0)
            return "a reboot of a cluster that is not a member of its group";
        if (role == 1 && !(o->params->allow_primary_reboot && members == 1))
            return "a reboot of the current primary";
        if (group_op && !oracle_member_asked(o, cid))
            return "a reboot of a member that was not asked for";
    }
    for (i = 0; i < a->nodes->count; i++) {
        const char *id = a->nodes->items[i];
        const ec_cache_node *n = ec_cache_cluster_find_node(o->last, id);
        char key[96];

        if (!oracle_asked(o, id))
            return "a reboot of a node that was not asked for";
        if (!n)
            return "a reboot of a node not in the cluster";
        if (!oracle_is(n->cache_node_status, "available"))
            return "a reboot of a node that is not available";
        if (p && p->only_if_pending &&
            !oracle_is(n->parameter_group_status, "pending-reboot") &&
            !(o->last->cache_parameter_group &&
              ecp_strlist_contains(
                  &o->last->cache_parameter_group->cache_node_ids_to_reboot,
                  id)))
            return "only_if_pending rebooted a node that is not pending";
        for (j = 0; j < i; j++)
            if (strcmp(a->nodes->items[j], id) == 0)
                return "a node named twice in one reboot";
        snprintf(key, sizeof(key), "%s/%s", cid, id);
        for (j = 0; j < o->done.count; j++)
            if (strcmp(o->done.items[j], key) == 0)
                return "a node rebooted twice in one run";
        ec_strlist_push(&o->done, key);
    }
    oracle_pending_clear(o);
    o->pending_cid = strdup(cid);
    for (i = 0; i < a->nodes->count; i++)
        ec_strlist_push(&o->pending, a->nodes->items[i]);
    o->pending_seen = calloc(a->nodes->count + 1, sizeof(bool));
    return NULL;
}

static inline const char *oracle_modify(engine_oracle *o, const ecp_action *a)
{
    size_t members = 0;

    if (o->params->op != ECP_OP_GROUP)
        return "ModifyReplicationGroup outside the group operation";
    if (o->params->check_mode)
        return "ModifyReplicationGroup in check mode";
    if (!o->group)
        return "ModifyReplicationGroup before the group was read";
    if (oracle_group_cme(o))
        return "a modification of a group with cluster mode enabled";
    if (a->primary_cluster_id) {
        if (o->modify_lost && !o->modify_confirmed)
            return "a primary move after a lost answer that was not "
                   "confirmed";
        if (++o->moves > 1)
            return "a second primary move in one run";
        if (!o->group_fresh)
            return "a primary move without reading the group first";
        if (oracle_is(o->group->automatic_failover, "enabled") ||
            oracle_is(o->group->automatic_failover, "enabling") ||
            oracle_is(o->group->multi_az, "enabled"))
            return "a primary move while automatic failover or Multi-AZ is "
                   "on";
        if (oracle_role(o, a->primary_cluster_id, &members) != 0)
            return "a primary move to a member that is not a replica";
        o->last_modify = 2;
    } else if ((a->automatic_failover.set && !a->automatic_failover.value) ||
               (a->multi_az.set && !a->multi_az.value)) {
        o->disable_open = true;
        o->last_modify = 1;
    } else {
        o->disable_open = false;
        o->last_modify = 3;
    }
    o->group_fresh = false;
    return NULL;
}

/* Call with every action the engine emits. NULL: fine. */
static inline const char *oracle_check(engine_oracle *o, const ecp_action *a,
                                       const ecp_engine *e)
{
    const ec_reboot_policy *p = o->params->policy;
    size_t i;

    if (a->kind != ECP_ACT_REPORT && a->kind != ECP_ACT_SLEEP &&
        a->kind != ECP_ACT_DONE)
        o->calls++;
    if (p && p->node_ids_set && p->node_count == 0 && o->calls > 0 &&
        o->params->op == ECP_OP_REBOOT)
        return "a call was made for an empty node list";
    if (o->params->op == ECP_OP_GROUP && o->params->members &&
        o->params->members->count == 0 && o->calls > 0)
        return "a call was made for an empty member list";
    if (a->kind == ECP_ACT_PROBE_NODE && !o->params->probe)
        return "a probe without a probe hook";
    if (a->kind == ECP_ACT_MODIFY_GROUP)
        return oracle_modify(o, a);
    if (a->kind == ECP_ACT_DONE) {
        const ecp_outcome *out = &e->outcome;
        if (o->params->op != ECP_OP_REBOOT && o->params->op != ECP_OP_GROUP)
            return NULL;
        if (out->changed && !o->params->check_mode && o->reboots == 0 &&
            !o->modified)
            return "changed=true without a reboot action";
        if (o->disable_open) {
            for (i = 0; i < out->steps.count; i++)
                if (out->steps.items[i]->action == EC_STEP_RESTORE_FAILOVER &&
                    out->steps.items[i]->state != EC_STEP_PLANNED)
                    break;
            if (i == out->steps.count)
                return "the run ended with failover switched off, no restore "
                       "tried";
        }
        if (o->params->op == ECP_OP_GROUP)
            return NULL;
        for (i = 0; i < out->rebooted.count; i++)
            if (!oracle_asked(o, out->rebooted.items[i]))
                return "the outcome lists a node that was not asked for";
        return NULL;
    }
    if (a->kind != ECP_ACT_REBOOT_NODES)
        return NULL;
    return oracle_reboot(o, a);
}

#endif
