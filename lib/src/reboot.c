/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ec_reboot, the safe and idempotent reboot every tool uses: its options
 * imported and checked, one run of the reboot engine (engine.c: describe,
 * plan, act once, confirm a lost answer by describing, wait), its outcome
 * turned into the caller's result.
 */
#include "engine_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "client.h"

/* Import the caller's options and policy (the ABI boundary) and check
 * them before anything is sent. */
static int check_options(ec_client *client, const ec_reboot_options *options,
                         ec_reboot_result **result, ec_reboot_options *o,
                         ec_reboot_policy *p, char *id, size_t id_size,
                         ec_error *err)
{
    size_t i;

    if (!client || !options || !result)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "ec_reboot: client, options and result are "
                             "required");
    if (ecp_struct_import(&ecp_info_reboot_options, o, options, err) != 0 ||
        ecp_struct_import(&ecp_info_reboot_policy, p, o->policy, err) != 0)
        return -1;
    o->policy = p;
    if (ec_validate_cache_cluster_id(o->cache_cluster_id, id, id_size, err) !=
        0)
        return -1;
    if (p->node_count > 0 && !p->node_ids)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "node_count is %zu but node_ids is NULL",
                             p->node_count);
    for (i = 0; i < p->node_count; i++)
        if (ec_validate_cache_node_id(p->node_ids[i], err) != 0)
            return -1;
    if (o->wait_timeout < 0 || o->wait_delay < 0 || o->time_budget < 0)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "wait timeout, delay and time budget must not "
                             "be negative");
    if (o->wait_timeout != o->wait_timeout || o->wait_delay != o->wait_delay ||
        o->time_budget != o->time_budget)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "wait timeout, delay and time budget must be "
                             "numbers");
    return 0;
}

static ec_reboot_result *result_new(void)
{
    ec_reboot_result *r = calloc(1, sizeof(*r));

    if (!r)
        return NULL;
    r->before = calloc(1, sizeof(*r->before));
    r->after = calloc(1, sizeof(*r->after));
    r->cluster = calloc(1, sizeof(*r->cluster));
    if (!r->before || !r->after || !r->cluster) {
        ec_reboot_result_free(r);
        return NULL;
    }
    r->rebooted_node_ids.set = true;
    return r;
}

/* The budget: the time_budget when given, else the wait timeout (also
 * without `wait`, where it bounds the confirmation of a lost answer). A
 * budget shorter than the wait timeout ends the wait sooner. */
static double budget_of(const ec_reboot_options *o)
{
    double b = o->wait_timeout > 0 ? o->wait_timeout : ECP_DEFAULT_BUDGET;

    if (o->time_budget > 0 && o->time_budget < b)
        b = o->time_budget;
    return b;
}

void ecp_reboot_params_from(const ec_reboot_options *o, const char *id,
                            ecp_params *out)
{
    memset(out, 0, sizeof(*out));
    out->op = ECP_OP_REBOOT;
    out->cluster_id = id;
    out->policy = o->policy;
    out->check_mode = o->check_mode;
    out->wait = o->wait;
    out->delay = o->wait_delay;
    out->budget = budget_of(o);
    out->batch_size = o->batch_size;
    out->allow_primary_reboot = o->allow_primary_reboot;
    out->probe = o->probe != NULL;
}

/* Move the engine's outcome into the caller's result. */
static void take_outcome(ecp_engine *e, ec_reboot_result *r)
{
    ecp_outcome *o = &e->outcome;

    r->decision = o->decision;
    r->changed = o->changed;
    ec_strlist_clear(&r->rebooted_node_ids);
    r->rebooted_node_ids = o->rebooted;
    r->rebooted_node_ids.set = true;
    memset(&o->rebooted, 0, sizeof(o->rebooted));
    r->request_id = o->request_id;
    o->request_id = NULL;
    ecp_msgf(r->message, sizeof(r->message), "%s", o->message);
    ecp_reboot_steps_clear(&r->steps);
    r->steps = o->steps;
    r->steps.set = true;
    memset(&o->steps, 0, sizeof(o->steps));
    if (o->before_set) {
        *r->before = o->before;
        memset(&o->before, 0, sizeof(o->before));
    }
    /* Whatever happened, report the last state read. */
    if (e->cluster && e->cluster->cache_cluster_id) {
        ecp_cluster_status_from(r->after, e->cluster, NULL);
        ec_cache_cluster_free(r->cluster);
        r->cluster = e->cluster;
        e->cluster = NULL;
    }
}

int ec_reboot(ec_client *client, const ec_reboot_options *options,
              ec_reboot_result **resultp, ec_error *err)
{
    ec_reboot_options opts;
    ec_reboot_policy policy;
    ec_reboot_result *result;
    ecp_params params;
    ecp_engine e;
    ec_progress p;
    char id[64];
    int rc;

    if (resultp)
        *resultp = NULL;
    if (check_options(client, options, resultp, &opts, &policy, id, sizeof(id),
                      err) != 0)
        return -1;
    result = result_new();
    if (!result)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    *resultp = result;
    result->check_mode = opts.check_mode;
    result->wait = opts.wait;

    ecp_reboot_params_from(&opts, id, &params);
    ecp_engine_init(&e, &params, NULL);
    rc =
        ecp_engine_run_probed(&e, client, opts.progress, opts.progress_userdata,
                              opts.probe, opts.probe_userdata, err);
    take_outcome(&e, result);
    if (rc != 0 && !result->message[0] && err && err->message[0])
        ecp_msgf(result->message, sizeof(result->message), "%s", err->message);
    if (opts.progress) {
        memset(&p, 0, sizeof(p));
        p.phase = EC_PROGRESS_DONE;
        p.elapsed = ecp_time_sub(ec_client_now(client), e.t0);
        p.cluster = result->cluster;
        p.watched_node_ids = &result->rebooted_node_ids;
        p.message = result->message;
        opts.progress(opts.progress_userdata, &p);
    }
    ecp_engine_clear(&e);
    return rc;
}

void ec_reboot_result_free(ec_reboot_result *result)
{
    if (!result)
        return;
    ec_strlist_clear(&result->rebooted_node_ids);
    ecp_cluster_status_free(result->before);
    ecp_cluster_status_free(result->after);
    ec_cache_cluster_free(result->cluster);
    free(result->request_id);
    ecp_reboot_steps_clear(&result->steps);
    free(result);
}

/* ------------------------------------------------------------------ */
/* ec_reboot_replication_group                                         */
/* ------------------------------------------------------------------ */

/* Import and check the group options; the member ids are validated and
 * lowercased into `members`. */
static int check_group_options(ec_client *client,
                               const ec_group_reboot_options *options,
                               ec_group_reboot_result **result,
                               ec_group_reboot_options *o, char *gid,
                               size_t gid_size, ec_strlist *members,
                               ec_error *err)
{
    char id[64];
    size_t i;

    if (!client || !options || !result)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "ec_reboot_replication_group: client, options "
                             "and result are required");
    if (ecp_struct_import(&ecp_info_group_reboot_options, o, options, err) != 0)
        return -1;
    if (ec_validate_replication_group_id(o->replication_group_id, gid, gid_size,
                                         err) != 0)
        return -1;
    if (o->member_count > 0 && !o->member_ids)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "member_count is %zu but member_ids is NULL",
                             o->member_count);
    members->set = o->member_ids_set || o->member_count > 0;
    for (i = 0; i < o->member_count; i++) {
        if (ec_validate_cache_cluster_id(o->member_ids[i], id, sizeof(id),
                                         err) != 0)
            return -1;
        if (!ecp_strlist_contains(members, id) &&
            ec_strlist_push(members, id) != 0)
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    if (o->wait_timeout < 0 || o->wait_delay < 0 || o->time_budget < 0 ||
        o->wait_timeout != o->wait_timeout || o->wait_delay != o->wait_delay ||
        o->time_budget != o->time_budget)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "wait timeout, delay and time budget must be "
                             "numbers, not negative");
    if (o->replica_link_timeout < 0 ||
        o->replica_link_timeout != o->replica_link_timeout)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "replica link timeout must be a number, not "
                             "negative");
    return 0;
}

void ecp_group_params_from(const ec_group_reboot_options *o,
                           const char *group_id, ec_reboot_policy *policy,
                           const ec_strlist *members, ecp_params *out)
{
    ec_reboot_options ro;

    memset(&ro, 0, sizeof(ro));
    ro.wait_timeout = o->wait_timeout;
    ro.time_budget = o->time_budget;
    *policy = (ec_reboot_policy)EC_REBOOT_POLICY_INIT;
    policy->only_if_pending = o->only_if_pending;
    policy->unless_rebooted_since = o->unless_rebooted_since;
    memset(out, 0, sizeof(*out));
    out->op = ECP_OP_GROUP;
    out->group_id = group_id;
    out->policy = policy;
    out->members = members && members->set ? members : NULL;
    out->check_mode = o->check_mode;
    out->wait = o->wait;
    out->delay = o->wait_delay;
    out->budget = budget_of(&ro);
    out->allow_primary_reboot = o->allow_primary_reboot;
    out->replicas_only = o->replicas_only;
    out->probe = o->probe != NULL;
    out->link_timeout = o->replica_link_timeout;
}

static void group_take_outcome(ecp_engine *e, ec_group_reboot_result *r)
{
    ecp_outcome *o = &e->outcome;
    const ec_node_group_member *p = ecp_group_primary(e->group);

    r->decision = o->decision;
    r->changed = o->changed;
    ec_strlist_clear(&r->rebooted_member_ids);
    r->rebooted_member_ids = o->rebooted;
    r->rebooted_member_ids.set = true;
    memset(&o->rebooted, 0, sizeof(o->rebooted));
    r->steps = o->steps;
    r->steps.set = true;
    memset(&o->steps, 0, sizeof(o->steps));
    r->before = o->group_before;
    o->group_before = NULL;
    r->primary_before = o->primary_before;
    o->primary_before = NULL;
    r->after = e->group;
    e->group = NULL;
    if (p && p->cache_cluster_id)
        r->primary_after = ecp_strdup(p->cache_cluster_id);
    if (r->after && r->after->replication_group_id) {
        free(r->replication_group_id);
        r->replication_group_id = ecp_strdup(r->after->replication_group_id);
    }
}

int ec_reboot_replication_group(ec_client *client,
                                const ec_group_reboot_options *options,
                                ec_group_reboot_result **resultp, ec_error *err)
{
    ec_group_reboot_options opts;
    ec_group_reboot_result *r;
    ec_reboot_policy policy;
    ec_strlist members = {0};
    ecp_params params;
    ecp_engine e;
    ec_progress p;
    char gid[64];
    int rc = -1;

    if (resultp)
        *resultp = NULL;
    if (check_group_options(client, options, resultp, &opts, gid, sizeof(gid),
                            &members, err) != 0)
        goto out;
    r = calloc(1, sizeof(*r));
    if (r) {
        r->replication_group_id = ecp_strdup(gid);
        r->message = ecp_strdup("");
    }
    if (!r || !r->replication_group_id || !r->message) {
        ec_group_reboot_result_free(r);
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        goto out;
    }
    *resultp = r;
    r->check_mode = opts.check_mode;
    r->wait = opts.wait;
    r->rebooted_member_ids.set = true;
    r->steps.set = true;

    ecp_group_params_from(&opts, gid, &policy, &members, &params);
    ecp_engine_init(&e, &params, NULL);
    rc =
        ecp_engine_run_probed(&e, client, opts.progress, opts.progress_userdata,
                              opts.probe, opts.probe_userdata, err);
    free(r->message);
    r->message = ecp_strdup(e.outcome.message[0] ? e.outcome.message
                            : rc != 0 && err     ? err->message
                                                 : "");
    group_take_outcome(&e, r);
    if (opts.progress) {
        memset(&p, 0, sizeof(p));
        p.phase = EC_PROGRESS_DONE;
        p.elapsed = ecp_time_sub(ec_client_now(client), e.t0);
        p.message = r->message;
        p.group = r->after;
        opts.progress(opts.progress_userdata, &p);
    }
    ecp_engine_clear(&e);
    if (!r->message) {
        /* The run happened; only its message could not be kept. */
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        rc = -1;
    }
out:
    ec_strlist_clear(&members);
    return rc;
}

void ec_group_reboot_result_free(ec_group_reboot_result *result)
{
    if (!result)
        return;
    free(result->message);
    free(result->replication_group_id);
    ec_strlist_clear(&result->rebooted_member_ids);
    free(result->primary_before);
    free(result->primary_after);
    ec_replication_group_free(result->before);
    ec_replication_group_free(result->after);
    ecp_reboot_steps_clear(&result->steps);
    free(result);
}
