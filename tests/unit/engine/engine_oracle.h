/*
 * The reboot engine's safety contract as an oracle, shared by the case
 * runner (engine_case.c), the allocation-failure test and the fuzz target
 * (tests/fuzz/targets/fuzz_engine.c). Feed it every observation and every
 * action of a run; it says which rule an action broke, or NULL.
 *
 * The rules: a reboot action names only nodes that were asked for (every
 * node when no list was given, none when an empty one was), each once,
 * nodes of the cluster as last described, all "available" in an
 * "available" cluster; at most one reboot action in a run, never one
 * after a lost answer, never one in check mode or from a waiter; an empty
 * node list makes no call at all; a run that says changed=true sent its
 * reboot (or, in check mode, names what it would reboot).
 */
#ifndef EC_ENGINE_ORACLE_H
#define EC_ENGINE_ORACLE_H

#include <stdbool.h>
#include <string.h>

#include "engine.h"

typedef struct engine_oracle {
    const ecp_params *params;
    int reboots;                  /* reboot actions seen */
    bool lost;                    /* a reboot's answer was lost */
    bool described;               /* the cluster was read at least once */
    const ec_cache_cluster *last; /* borrowed: valid while the caller
                                     keeps the answer (see oracle_keep) */
    ec_cache_cluster *kept;       /* a copy of `last`, owned */
    int calls;                    /* I/O actions */
} engine_oracle;

static inline void oracle_clear(engine_oracle *o)
{
    ec_cache_cluster_free(o->kept);
    memset(o, 0, sizeof(*o));
}

static inline bool oracle_asked(const engine_oracle *o, const char *id)
{
    const ec_reboot_policy *p = o->params->policy;
    size_t i;

    if (!p || p->node_count == 0)
        return !(p && p->node_ids_set);
    for (i = 0; i < p->node_count; i++)
        if (strcmp(p->node_ids[i], id) == 0)
            return true;
    return false;
}

/* Call with every observation before it is stepped. */
static inline void oracle_observe(engine_oracle *o, const ecp_obs *obs)
{
    bool failed = obs->error && obs->error->code != EC_OK;

    if (obs->kind == ECP_OBS_REBOOTED && failed && obs->error->maybe_sent)
        o->lost = true;
    if (obs->kind == ECP_OBS_CLUSTERS && !failed && obs->clusters &&
        obs->clusters->count == 1) {
        ec_cache_cluster_free(o->kept);
        o->kept = ec_cache_cluster_dup(obs->clusters->items[0]);
        o->last = o->kept;
        o->described = true;
    }
    if (obs->kind == ECP_OBS_REBOOTED && !failed && obs->cluster &&
        obs->cluster->cache_nodes.set) {
        ec_cache_cluster_free(o->kept);
        o->kept = ec_cache_cluster_dup(obs->cluster);
        o->last = o->kept;
    }
}

static inline bool oracle_is(const char *s, const char *want)
{
    return s && strcmp(s, want) == 0;
}

/* Call with every action the engine emits. NULL: fine. */
static inline const char *oracle_check(engine_oracle *o, const ecp_action *a,
                                       const ecp_engine *e)
{
    const ec_reboot_policy *p = o->params->policy;
    size_t i, j;

    if (a->kind == ECP_ACT_DESCRIBE_CLUSTER || a->kind == ECP_ACT_READ_EVENTS ||
        a->kind == ECP_ACT_REBOOT_NODES)
        o->calls++;
    if (p && p->node_ids_set && p->node_count == 0 && o->calls > 0 &&
        o->params->op == ECP_OP_REBOOT)
        return "a call was made for an empty node list";
    if (a->kind == ECP_ACT_DONE) {
        const ecp_outcome *out = &e->outcome;
        if (o->params->op != ECP_OP_REBOOT)
            return NULL;
        if (out->changed && !o->params->check_mode && o->reboots == 0)
            return "changed=true without a reboot action";
        for (i = 0; i < out->rebooted.count; i++)
            if (!oracle_asked(o, out->rebooted.items[i]))
                return "the outcome lists a node that was not asked for";
        return NULL;
    }
    if (a->kind != ECP_ACT_REBOOT_NODES)
        return NULL;
    if (o->params->op != ECP_OP_REBOOT)
        return "a waiter emitted a reboot";
    if (o->params->check_mode)
        return "a reboot in check mode";
    if (o->lost)
        return "a reboot after a lost answer";
    if (o->reboots > 0)
        return "a second reboot in one run";
    o->reboots++;
    if (!a->nodes || a->nodes->count == 0)
        return "a reboot of no node";
    if (!o->described || !o->last)
        return "a reboot before the cluster was described";
    if (!oracle_is(o->last->cache_cluster_status, "available"))
        return "a reboot of a cluster that is not available";
    for (i = 0; i < a->nodes->count; i++) {
        const char *id = a->nodes->items[i];
        const ec_cache_node *n = ec_cache_cluster_find_node(o->last, id);

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
    }
    return NULL;
}

#endif
