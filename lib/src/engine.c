/*
 * The reboot engine's step function (see engine.h): the operation table,
 * the phase table and one handler per phase. Pure: the only inputs are the
 * engine's state and the observation, the only outputs the state and the
 * queued actions.
 */
#include "engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*phase_fn)(ecp_engine *e, const ecp_obs *obs, ec_error *err);

/* One row of the phase table: what the phase waits for and who handles
 * it. */
typedef struct phase_def {
    const char *name;
    ecp_obs_kind expects;
    phase_fn handle;
} phase_def;

/* One row of the operation table. */
typedef struct op_def {
    const char *name;
    /* Queue the first actions (the START observation). */
    int (*start)(ecp_engine *e, ec_error *err);
    /* A shared BACK wait ended well: finish or go on. NULL: done. */
    int (*after_wait)(ecp_engine *e, ec_error *err);
} op_def;

static const op_def *op_of(ecp_op op);

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static int nomem(ec_error *err)
{
    return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
}

static double elapsed(const ecp_engine *e)
{
    return ecp_time_sub(e->now, e->t0);
}

static double remaining(const ecp_engine *e)
{
    return e->budget - elapsed(e);
}

/* The bound of the next call: what is left of the budget, at least a
 * second so that a call can still be made to confirm or report. */
static double call_timeout(const ecp_engine *e)
{
    double left = remaining(e);

    return left > 1.0 ? left : 1.0;
}

static const char *plural(const ec_strlist *l)
{
    return l->count == 1 ? "node" : "nodes";
}

static const char *status_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

static ecp_action *queue(ecp_engine *e, ecp_action_kind kind)
{
    ecp_action *a;

    if (e->queued >= sizeof(e->queue) / sizeof(e->queue[0]))
        return NULL;
    a = &e->queue[e->queued++];
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    return a;
}

static int internal(ec_error *err, const char *what)
{
    return ecp_error_set(err, EC_ERR_INTERNAL, "reboot engine: %s", what);
}

static int report(ecp_engine *e, ec_progress_phase phase,
                  const ec_strlist *watched, ec_error *err, const char *fmt,
                  ...) __attribute__((format(printf, 5, 6)));

static int report(ecp_engine *e, ec_progress_phase phase,
                  const ec_strlist *watched, ec_error *err, const char *fmt,
                  ...)
{
    ecp_action *a;
    char *note;
    va_list ap;

    if (e->note_count >= sizeof(e->notes) / sizeof(e->notes[0]))
        return internal(err, "too many reports in one step");
    note = e->notes[e->note_count++];
    va_start(ap, fmt);
    vsnprintf(note, sizeof(e->notes[0]), fmt, ap);
    va_end(ap);
    a = queue(e, ECP_ACT_REPORT);
    if (!a)
        return internal(err, "action queue full");
    a->phase = phase;
    a->message = note;
    a->watched = watched;
    return 0;
}

static int describe(ecp_engine *e, ecp_phase next, bool show_nodes,
                    bool bounded, ec_error *err)
{
    ecp_action *a = queue(e, ECP_ACT_DESCRIBE_CLUSTER);

    if (!a)
        return internal(err, "action queue full");
    a->cluster_id = e->p.cluster_id;
    a->show_nodes = show_nodes;
    a->call_timeout = bounded ? call_timeout(e) : 0;
    e->phase = next;
    return 0;
}

static int read_events(ecp_engine *e, ecp_phase next, ec_time since,
                       ec_error *err)
{
    ecp_action *a = queue(e, ECP_ACT_READ_EVENTS);

    if (!a)
        return internal(err, "action queue full");
    a->cluster_id = e->p.cluster_id;
    a->since = since;
    a->call_timeout = call_timeout(e);
    e->phase = next;
    return 0;
}

static int sleep_then(ecp_engine *e, ecp_phase next, double seconds,
                      ec_error *err)
{
    ecp_action *a = queue(e, ECP_ACT_SLEEP);

    if (!a)
        return internal(err, "action queue full");
    a->seconds = seconds;
    e->phase = next;
    return 0;
}

static int done(ecp_engine *e, ec_error *err)
{
    if (!queue(e, ECP_ACT_DONE))
        return internal(err, "action queue full");
    e->phase = ECP_PH_DONE;
    return 0;
}

static int succeed(ecp_engine *e, ec_error *err)
{
    e->outcome.rc = 0;
    return done(e, err);
}

/* End the run with `cause` (copied, may be NULL) as its error, the message
 * replaced when fmt is given. */
static int fail(ecp_engine *e, ec_errcode code, const ec_error *cause,
                ec_error *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail(ecp_engine *e, ec_errcode code, const ec_error *cause,
                ec_error *err, const char *fmt, ...)
{
    ec_error *out = &e->outcome.error;
    va_list ap;

    if (cause)
        *out = *cause;
    else
        ec_error_clear(out);
    if (code != EC_OK)
        out->code = code;
    if (out->code == EC_OK)
        out->code = EC_ERR_INTERNAL;
    if (fmt) {
        va_start(ap, fmt);
        vsnprintf(out->message, sizeof(out->message), fmt, ap);
        va_end(ap);
    }
    e->outcome.rc = -1;
    return done(e, err);
}

static bool failed(const ecp_obs *obs)
{
    return obs->error && obs->error->code != EC_OK;
}

/* An observation that carries EC_ERR_NOMEM ends the step as one. */
static int obs_nomem(const ecp_obs *obs, ec_error *err)
{
    return failed(obs) && obs->error->code == EC_ERR_NOMEM ? nomem(err) : 0;
}

/*
 * Keep the one cluster of a describe by id. 0: kept; 1: the answer was not
 * one cluster (EC_ERR_PARSE in *why); -1: out of memory.
 */
static int keep_cluster(ecp_engine *e, const ecp_obs *obs, ec_error *why,
                        ec_error *err)
{
    const ec_cache_cluster_list *l = obs->clusters;
    ec_cache_cluster *copy;
    size_t n = l ? l->count : 0;

    ec_error_clear(why);
    if (n != 1) {
        ecp_error_set(why, EC_ERR_PARSE,
                      "DescribeCacheClusters for %s answered %zu clusters, "
                      "expected 1",
                      e->p.cluster_id, n);
        ecp_error_set_operation(why, "DescribeCacheClusters");
        return 1;
    }
    copy = ec_cache_cluster_dup(l->items[0]);
    if (!copy)
        return nomem(err);
    ec_cache_cluster_free(e->cluster);
    e->cluster = copy;
    return 0;
}

static bool node_is(const ec_cache_node *n, const char *status)
{
    return n && n->cache_node_status &&
           strcmp(n->cache_node_status, status) == 0;
}

static int push_once(ec_strlist *l, const char *id, ec_error *err)
{
    if (ecp_strlist_contains(l, id))
        return 0;
    return ec_strlist_push(l, id) == 0 ? 0 : nomem(err);
}

static int copy_list(ec_strlist *dst, const ec_strlist *src, ec_error *err)
{
    size_t i;

    ec_strlist_clear(dst);
    dst->set = true;
    for (i = 0; src && i < src->count; i++)
        if (ec_strlist_push(dst, src->items[i]) != 0)
            return nomem(err);
    return 0;
}

/* ------------------------------------------------------------------ */
/* The safe reboot: plan                                               */
/* ------------------------------------------------------------------ */

static int start_back(ecp_engine *e, const ec_strlist *watch,
                      const ec_strlist *seen, bool evidence, ec_time since,
                      ec_error *err);

static int reboot_start(ecp_engine *e, ec_error *err)
{
    const ec_reboot_policy *pol = e->p.policy;

    e->outcome.rebooted.set = true;
    if (pol && pol->node_ids_set && pol->node_count == 0) {
        /* An empty list is a list of no node, never "every node": a
         * computed list of broken nodes that came out empty must not
         * reboot the cluster. Nothing to look at either. */
        e->outcome.decision = EC_DECIDE_NO_NODES;
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                 "the node list is empty: nothing rebooted (leave the list "
                 "out to reboot every node of %s)",
                 e->p.cluster_id);
        return succeed(e, err);
    }
    return describe(e, ECP_PH_PLAN, true, true, err);
}

static bool is_unsupported(const ec_error *e)
{
    /* RebootCacheCluster rejected for a Redis cluster-mode-enabled member:
     * the cluster alone cannot tell (ReplicationGroupId is set for
     * cluster-mode-disabled replicas too), so the service's answer
     * decides. */
    if (e->code != EC_ERR_SERVICE)
        return false;
    if (strcmp(e->aws_code, "InvalidParameterCombination") == 0)
        return true;
    return strcmp(e->aws_code, "InvalidParameterValue") == 0 &&
           (strstr(e->message, "cluster mode") ||
            strstr(e->message, "cluster-mode") ||
            strstr(e->message, "replication group"));
}

static int send_reboot(ecp_engine *e, ec_error *err)
{
    ecp_action *a;

    /* The safety contract, enforced where the action is made: one
     * RebootCacheCluster per run, for planned nodes only. */
    if (e->reboots_sent > 0)
        return internal(err, "a second reboot in one run");
    if (remaining(e) <= 0)
        return fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                    "the time budget of %.0f s ran out before the reboot of "
                    "%s was sent: nothing rebooted",
                    e->budget, e->p.cluster_id);
    a = queue(e, ECP_ACT_REBOOT_NODES);
    if (!a)
        return internal(err, "action queue full");
    a->cluster_id = e->p.cluster_id;
    a->nodes = &e->plan.node_ids;
    a->call_timeout = call_timeout(e);
    e->reboots_sent++;
    e->phase = ECP_PH_REBOOT;
    return 0;
}

/* A reboot someone else started: report it, and with `wait` wait for the
 * nodes seen rebooting (or, if none is shown yet, the cluster). `seen` is
 * false when only the service's error said so and the describe may still
 * show the state from before that reboot. */
static int already_rebooting(ecp_engine *e, const char *why, bool seen,
                             ec_error *err)
{
    ec_strlist nodes = {0};
    size_t i;
    int rc = -1;

    e->outcome.decision = EC_DECIDE_ALREADY_REBOOTING;
    e->outcome.changed = false;
    ec_strlist_clear(&e->outcome.rebooted);
    e->outcome.rebooted.set = true;
    ecp_msgf(e->why, sizeof(e->why), "%s", why);
    ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
             "%s; not rebooted again", why);
    if (!e->p.wait || e->p.check_mode)
        return succeed(e, err);
    nodes.set = true;
    for (i = 0; i < e->cluster->cache_nodes.count; i++) {
        const ec_cache_node *n = e->cluster->cache_nodes.items[i];
        if (n->cache_node_id && node_is(n, ECP_STATUS_NODE_REBOOTING) &&
            push_once(&nodes, n->cache_node_id, err) != 0)
            goto out;
    }
    e->already = true;
    seen = seen || nodes.count > 0 || ecp_cluster_is_rebooting(e->cluster);
    rc = start_back(e, &nodes, &nodes, seen, e->t0, err);
out:
    ec_strlist_clear(&nodes);
    return rc;
}

static int decide(ecp_engine *e, const ec_event_list *events, ec_error *err)
{
    ec_reboot_plan *plan = &e->plan;
    const char *id = e->p.cluster_id;
    bool predicted = false;
    ec_error perr = {0};
    char ids[160];

    ecp_reboot_plan_clear(plan);
    if (ecp_reboot_plan_make(e->cluster, events, e->p.policy, 0, plan, &perr) !=
        0) {
        if (perr.code == EC_ERR_NOMEM)
            return nomem(err);
        return fail(e, EC_OK, &perr, err, NULL);
    }
    /* Check mode with wait predicts what a real run does with a busy
     * cluster: wait until it is available, then reboot what the policy
     * picks (planned now, on the state as it stands). */
    if (plan->decision == EC_DECIDE_BUSY && e->p.check_mode && e->p.wait &&
        !ecp_cluster_status_is_failure(e->cluster->cache_cluster_status)) {
        char busy[256];

        ecp_msgf(busy, sizeof(busy), "%s", plan->reason);
        ecp_reboot_plan_clear(plan);
        if (ecp_reboot_plan_make(e->cluster, events, e->p.policy,
                                 ECP_PLAN_ASSUME_AVAILABLE, plan, &perr) != 0) {
            if (perr.code == EC_ERR_NOMEM)
                return nomem(err);
            return fail(e, EC_OK, &perr, err, NULL);
        }
        ecp_msgf(e->why, sizeof(e->why), "%s", busy);
        predicted = true;
    }
    if (!e->planned_once) {
        e->planned_once = true;
        if (ecp_cluster_status_from(&e->outcome.before, e->cluster, err) != 0)
            return -1;
        e->outcome.before_set = true;
        if (report(e, EC_PROGRESS_DESCRIBED, &plan->node_ids, err, "%s",
                   plan->reason) != 0)
            return -1;
    }
    if (plan->decision == EC_DECIDE_BUSY && e->p.wait && !e->p.check_mode) {
        const char *s = e->cluster->cache_cluster_status;

        if (ecp_cluster_status_is_failure(s))
            return fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                        "cluster %s is %s: it will not become available", id,
                        s);
        if (remaining(e) < e->delay)
            return fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                        "timed out after %.0f s waiting for %s to be "
                        "available before rebooting: %s",
                        elapsed(e), id, plan->reason);
        if (report(e, EC_PROGRESS_WAITING, NULL, err, "%s", plan->reason) != 0)
            return -1;
        return sleep_then(e, ECP_PH_BUSY_SLEEP, e->delay, err);
    }

    e->outcome.decision = plan->decision;
    switch (plan->decision) {
    case EC_DECIDE_REBOOT:
        if (copy_list(&e->outcome.rebooted, &plan->node_ids, err) != 0)
            return -1;
        if (!e->p.check_mode)
            return send_reboot(e, err);
        ec_strlist_join(&plan->node_ids, ", ", ids, sizeof(ids));
        e->outcome.changed = true;
        if (predicted)
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "%s: would wait until it is available, then reboot %s "
                     "%s (check mode)",
                     e->why, plural(&plan->node_ids), ids);
        else
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "would reboot %s %s of %s (check mode)",
                     plural(&plan->node_ids), ids, id);
        return succeed(e, err);
    case EC_DECIDE_ALREADY_REBOOTING:
        return already_rebooting(e, plan->reason, true, err);
    case EC_DECIDE_BUSY:
        /* Nothing rebooted although a reboot was asked for: the tools
         * report it as a failure (item 6 of issue 8), check mode too,
         * since a real run would fail the same way. */
        if (e->p.check_mode)
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "%s: a run without wait would reboot nothing and fail; "
                     "run with wait to reboot once it is available (check "
                     "mode)",
                     plan->reason);
        else
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "%s: nothing rebooted; run with wait to reboot once it "
                     "is available",
                     plan->reason);
        return succeed(e, err);
    case EC_DECIDE_NOTHING_PENDING:
    case EC_DECIDE_RECENTLY_REBOOTED:
    case EC_DECIDE_UNSUPPORTED:
    case EC_DECIDE_NO_NODES:
        if (predicted)
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "%s: would wait until it is available, then: %s; "
                     "nothing rebooted (check mode)",
                     e->why, plan->reason);
        else
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "%s; nothing rebooted", plan->reason);
        return succeed(e, err);
    }
    return internal(err, "unknown decision");
}

static int ph_plan(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    const ec_reboot_policy *pol = e->p.policy;
    ec_error why = {0};
    int rc;

    if (obs_nomem(obs, err))
        return -1;
    if (failed(obs))
        return fail(e, EC_OK, obs->error, err, NULL);
    rc = keep_cluster(e, obs, &why, err);
    if (rc != 0)
        return rc < 0 ? -1 : fail(e, EC_OK, &why, err, NULL);
    if (pol && pol->unless_rebooted_since.set)
        return read_events(e, ECP_PH_PLAN_EVENTS, pol->unless_rebooted_since,
                           err);
    return decide(e, NULL, err);
}

static int ph_plan_events(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    if (obs_nomem(obs, err))
        return -1;
    if (failed(obs))
        return fail(e, EC_OK, obs->error, err, NULL);
    return decide(e, obs->events, err);
}

static int ph_busy_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ECP_UNUSED(obs);
    return describe(e, ECP_PH_PLAN, true, true, err);
}

/* ------------------------------------------------------------------ */
/* The safe reboot: the call and a lost answer                         */
/* ------------------------------------------------------------------ */

static int after_reboot(ecp_engine *e, const ec_strlist *seen, ec_error *err)
{
    e->outcome.changed = true;
    if (report(e, EC_PROGRESS_REBOOT_SENT, &e->plan.node_ids, err, "%s",
               e->outcome.message) != 0)
        return -1;
    if (!e->p.wait)
        return succeed(e, err);
    return start_back(e, &e->plan.node_ids, seen, true, e->call_time, err);
}

static int ph_reboot(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    const ec_strlist *planned = &e->plan.node_ids;
    const ec_error *call = obs->error;
    char ids[160];

    e->call_time = obs->started;
    ec_strlist_join(planned, ", ", ids, sizeof(ids));
    if (obs_nomem(obs, err))
        return -1;
    if (!failed(obs)) {
        if (obs->request_id) {
            e->outcome.request_id = ecp_strdup(obs->request_id);
            if (!e->outcome.request_id)
                return nomem(err);
        }
        if (obs->cluster && obs->cluster->cache_nodes.set) {
            ec_cache_cluster *copy = ec_cache_cluster_dup(obs->cluster);
            if (!copy)
                return nomem(err);
            ec_cache_cluster_free(e->cluster);
            e->cluster = copy;
        }
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                 "rebooting %s %s of %s", plural(planned), ids,
                 e->p.cluster_id);
        return after_reboot(e, NULL, err);
    }
    e->call_error = *call;
    if (call->code == EC_ERR_SERVICE &&
        strcmp(call->aws_code, "InvalidCacheClusterState") == 0)
        /* Lost a race with another caller? Its reboot is as good as
         * ours: describe to see. */
        return describe(e, ECP_PH_RACE, true, true, err);
    if (call->maybe_sent) {
        /* The request may have reached the service and its answer was
         * lost (reset, read timeout, 5xx, an unreadable 200): describe to
         * see, never send it again. */
        e->lost_answer = true;
        e->confirm_start = obs->now;
        return describe(e, ECP_PH_CONFIRM, true, true, err);
    }
    /* The service said no, or the call provably never reached it: nothing
     * was rebooted. */
    ec_strlist_clear(&e->outcome.rebooted);
    e->outcome.rebooted.set = true;
    if (is_unsupported(call)) {
        e->outcome.decision = EC_DECIDE_UNSUPPORTED;
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                 "RebootCacheCluster is not supported for %s (%s)",
                 e->p.cluster_id, call->aws_code);
    }
    return fail(e, EC_OK, call, err, NULL);
}

static int ph_race(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    const ec_error *call = &e->call_error;
    ec_error why = {0};
    int rc;

    ec_strlist_clear(&e->outcome.rebooted);
    e->outcome.rebooted.set = true;
    if (obs_nomem(obs, err))
        return -1;
    if (failed(obs))
        return fail(e, EC_OK, obs->error, err, NULL);
    rc = keep_cluster(e, obs, &why, err);
    if (rc != 0)
        return rc < 0 ? -1 : fail(e, EC_OK, &why, err, NULL);
    if (strstr(call->message, "rebooting") ||
        ecp_cluster_is_rebooting(e->cluster))
        return already_rebooting(e,
                                 "another reboot was already in progress "
                                 "(InvalidCacheClusterState)",
                                 false, err);
    return fail(e, EC_OK, call, err, NULL);
}

/* Evidence of our reboot in the cluster as read: planned nodes reading
 * rebooting go to `seen`; the cluster reading rebooting counts too. */
static int evidence_in_cluster(ecp_engine *e, ec_strlist *seen, bool *found,
                               ec_error *err)
{
    const ec_strlist *planned = &e->plan.node_ids;
    size_t i;

    for (i = 0; i < planned->count; i++) {
        const ec_cache_node *n =
            ec_cache_cluster_find_node(e->cluster, planned->items[i]);
        if (node_is(n, ECP_STATUS_NODE_REBOOTING)) {
            *found = true;
            if (push_once(seen, planned->items[i], err) != 0)
                return -1;
        }
    }
    if (ecp_cluster_is_rebooting(e->cluster))
        *found = true;
    return 0;
}

static int confirmed(ecp_engine *e, const ec_strlist *seen, ec_error *err)
{
    char ids[160];

    ec_strlist_join(&e->plan.node_ids, ", ", ids, sizeof(ids));
    ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
             "rebooting %s %s of %s (the answer to RebootCacheCluster was "
             "lost; describing confirmed the reboot)",
             plural(&e->plan.node_ids), ids, e->p.cluster_id);
    return after_reboot(e, seen, err);
}

/* No evidence yet: ask again after a pause, or give up within the
 * confirmation window and the budget, whichever ends first. Never send it
 * again: without evidence the run fails and says so. */
static int confirm_next(ecp_engine *e, ec_error *err)
{
    const ec_error *cause = &e->call_error;
    const ec_error *last = &e->confirm_error;
    double window = ecp_time_sub(e->confirm_start, e->t0) + ECP_CONFIRM_WINDOW;
    double pause =
        e->delay < ECP_CONFIRM_DELAY_MAX ? e->delay : ECP_CONFIRM_DELAY_MAX;

    if (window > e->budget)
        window = e->budget;
    /* Ask again only when, after the pause, a call still has its one
     * second before the window closes. */
    if (elapsed(e) + pause + 1.0 <= window) {
        if (report(e, EC_PROGRESS_WAITING, &e->plan.node_ids, err,
                   "answer to RebootCacheCluster lost; describing to see "
                   "whether it took effect") != 0)
            return -1;
        return sleep_then(e, ECP_PH_CONFIRM_SLEEP, pause, err);
    }
    if (last->code != EC_OK)
        return fail(e, EC_OK, cause, err,
                    "RebootCacheCluster for %s may have reached the service "
                    "but its answer was lost (%.150s), and describing the "
                    "cluster to confirm it failed too (%.150s): not sending "
                    "it again, to avoid a second reboot; check the cluster, "
                    "then run again",
                    e->p.cluster_id, cause->message, last->message);
    return fail(e, EC_OK, cause, err,
                "RebootCacheCluster for %s may have reached the service but "
                "its answer was lost (%.180s), and describing the cluster "
                "for %.0f s shows no reboot: not sending it again, to avoid "
                "a second reboot; check the cluster's events, then run again",
                e->p.cluster_id, cause->message,
                ecp_time_sub(e->now, e->confirm_start));
}

static int ph_confirm(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ec_strlist seen = {0};
    bool found = false;
    int rc;

    if (obs_nomem(obs, err))
        return -1;
    if (failed(obs)) {
        /* The service may be as unwell as it was for the reboot call:
         * keep asking within the window. */
        e->confirm_error = *obs->error;
        return confirm_next(e, err);
    }
    rc = keep_cluster(e, obs, &e->confirm_error, err);
    if (rc != 0)
        return rc < 0 ? -1 : confirm_next(e, err);
    seen.set = true;
    rc = -1;
    if (evidence_in_cluster(e, &seen, &found, err) != 0)
        goto out;
    if (found)
        rc = confirmed(e, &seen, err);
    else
        rc = read_events(e, ECP_PH_CONFIRM_EVENTS,
                         ecp_time_add(e->call_time, -ECP_CLOCK_SKEW_SECONDS),
                         err);
out:
    ec_strlist_clear(&seen);
    return rc;
}

static int ph_confirm_events(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ec_time from = ecp_time_add(e->call_time, -ECP_CLOCK_SKEW_SECONDS);
    const ec_event_list *ev = obs->events;
    ec_strlist seen = {0};
    bool found = false;
    char id[16];
    size_t i;
    int rc = -1;

    if (obs_nomem(obs, err))
        return -1;
    if (failed(obs)) {
        e->confirm_error = *obs->error;
        return confirm_next(e, err);
    }
    seen.set = true;
    for (i = 0; ev && i < ev->count; i++) {
        if (!ecp_event_node_restarted(ev->items[i], e->p.cluster_id, from, id,
                                      sizeof(id)) ||
            !ecp_strlist_contains(&e->plan.node_ids, id))
            continue;
        found = true;
        if (push_once(&seen, id, err) != 0)
            goto out;
    }
    rc = found ? confirmed(e, &seen, err) : confirm_next(e, err);
out:
    ec_strlist_clear(&seen);
    return rc;
}

static int ph_confirm_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ECP_UNUSED(obs);
    return describe(e, ECP_PH_CONFIRM, true, true, err);
}

static int reboot_after_wait(ecp_engine *e, ec_error *err)
{
    char ids[160];

    if (e->already) {
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                 "%s; not rebooted again; available after %.0f s", e->why,
                 elapsed(e));
        return succeed(e, err);
    }
    ec_strlist_join(&e->plan.node_ids, ", ", ids, sizeof(ids));
    ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
             "rebooted %s %s of %s; available again after %.0f s%s",
             plural(&e->plan.node_ids), ids, e->p.cluster_id, elapsed(e),
             e->outcome.request_id
                 ? ""
                 : " (the answer to RebootCacheCluster was lost; describing "
                   "confirmed the reboot)");
    return succeed(e, err);
}

/* ------------------------------------------------------------------ */
/* Waiting until rebooted nodes are back (shared)                      */
/* ------------------------------------------------------------------ */

static int start_back(ecp_engine *e, const ec_strlist *watch,
                      const ec_strlist *seen, bool evidence, ec_time since,
                      ec_error *err)
{
    size_t i;

    if (copy_list(&e->watched, watch, err) != 0)
        return -1;
    free(e->restarted);
    e->restarted = calloc(e->watched.count + 1, sizeof(*e->restarted));
    if (!e->restarted)
        return nomem(err);
    for (i = 0; i < e->watched.count; i++)
        e->restarted[i] =
            seen && ecp_strlist_contains(seen, e->watched.items[i]);
    e->evidence = evidence;
    e->back_since = since;
    return describe(e, ECP_PH_BACK, true, true, err);
}

static bool all_restarted(const ecp_engine *e)
{
    size_t i;

    for (i = 0; i < e->watched.count; i++)
        if (!e->restarted[i])
            return false;
    return true;
}

/* The watched nodes and the cluster all read available. */
static bool all_available(const ecp_engine *e)
{
    size_t i;

    if (!e->cluster->cache_cluster_status ||
        strcmp(e->cluster->cache_cluster_status, ECP_STATUS_AVAILABLE) != 0)
        return false;
    for (i = 0; i < e->watched.count; i++)
        if (!node_is(
                ec_cache_cluster_find_node(e->cluster, e->watched.items[i]),
                ECP_STATUS_AVAILABLE))
            return false;
    return true;
}

/* "0001, 0002" of the watched nodes not yet seen restarting. */
static void not_restarted(const ecp_engine *e, char *buf, size_t size)
{
    size_t i, len = 0;

    buf[0] = '\0';
    for (i = 0; i < e->watched.count && len < size; i++) {
        int n;
        if (e->restarted[i])
            continue;
        n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
                     e->watched.items[i]);
        if (n < 0)
            break;
        len += (size_t)n;
    }
    if (len >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
}

/*
 * A node counts as restarted once a poll reads it "rebooting" or a "Cache
 * node NNNN restarted" event dated at/after `since` (minus
 * ECP_CLOCK_SKEW_SECONDS) is seen. With no node to watch, some evidence of
 * a reboot of the cluster is needed, unless the caller had it already.
 */
static int back_evaluate(ecp_engine *e, ec_error *err)
{
    const char *id = e->p.cluster_id;
    const char *status =
        status_or(e->cluster->cache_cluster_status, "(no status)");
    bool restarted = all_restarted(e);
    bool ok =
        all_available(e) && restarted && (e->watched.count > 0 || e->evidence);
    char ids[256];

    not_restarted(e, ids, sizeof(ids));
    if (report(e, EC_PROGRESS_WAITING, &e->watched, err, "%s is %s; %s%s", id,
               status,
               !restarted             ? "not yet seen restarting: "
               : e->watched.count > 0 ? "restart seen for every watched node"
               : e->evidence          ? "reboot seen"
                                      : "no reboot seen yet",
               ids) != 0)
        return -1;
    if (ok) {
        const op_def *op = op_of(e->p.op);

        return op->after_wait ? op->after_wait(e, err) : succeed(e, err);
    }
    status = status_or(e->cluster->cache_cluster_status, "without status");
    if (elapsed(e) + e->delay > e->budget) {
        if (restarted && !e->evidence)
            return fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                        "timed out after %.0f s waiting for %s: no node seen "
                        "restarting (cluster is %s)",
                        elapsed(e), id, status);
        if (!restarted)
            return fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                        "timed out after %.0f s waiting for %s: node(s) %s "
                        "never seen restarting (cluster is %s)",
                        elapsed(e), id, ids, status);
        return fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                    "timed out after %.0f s waiting for %s to be available "
                    "again (cluster is %s)",
                    elapsed(e), id, status);
    }
    return sleep_then(e, ECP_PH_BACK_SLEEP, e->delay, err);
}

static int ph_back(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    const ec_cache_cluster *c;
    ec_error why = {0};
    size_t i;
    int rc;

    if (obs_nomem(obs, err))
        return -1;
    if (failed(obs))
        return fail(e, EC_OK, obs->error, err, NULL);
    rc = keep_cluster(e, obs, &why, err);
    if (rc != 0)
        return rc < 0 ? -1 : fail(e, EC_OK, &why, err, NULL);
    c = e->cluster;
    if (ecp_cluster_status_is_failure(c->cache_cluster_status))
        return fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                    "cluster %s is %s while waiting for its reboot",
                    e->p.cluster_id, c->cache_cluster_status);
    for (i = 0; i < e->watched.count; i++) {
        const ec_cache_node *n =
            ec_cache_cluster_find_node(c, e->watched.items[i]);
        if (!n)
            return fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                        "cache node %s is no longer in cluster %s",
                        e->watched.items[i], e->p.cluster_id);
        if (node_is(n, ECP_STATUS_NODE_REBOOTING))
            e->restarted[i] = true;
    }
    if (ecp_cluster_is_rebooting(c))
        e->evidence = true;
    for (i = 0; i < c->cache_nodes.count; i++)
        if (node_is(c->cache_nodes.items[i], ECP_STATUS_NODE_REBOOTING))
            e->evidence = true;
    /* DescribeEvents only when the answer matters: everything reads
     * available but a restart was not seen (a reboot that finished
     * between polls, or an answer still showing the state from before
     * the call). */
    if (all_available(e) && (!all_restarted(e) || !e->evidence))
        return read_events(e, ECP_PH_BACK_EVENTS,
                           ecp_time_add(e->back_since, -ECP_CLOCK_SKEW_SECONDS),
                           err);
    return back_evaluate(e, err);
}

static int ph_back_events(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ec_time from = ecp_time_add(e->back_since, -ECP_CLOCK_SKEW_SECONDS);
    const ec_event_list *ev = obs->events;
    char id[16];
    size_t i, k;

    if (obs_nomem(obs, err))
        return -1;
    if (failed(obs))
        return fail(e, EC_OK, obs->error, err, NULL);
    for (i = 0; ev && i < ev->count; i++) {
        if (!ecp_event_node_restarted(ev->items[i], e->p.cluster_id, from, id,
                                      sizeof(id)))
            continue;
        e->evidence = true;
        for (k = 0; k < e->watched.count; k++)
            if (strcmp(e->watched.items[k], id) == 0)
                e->restarted[k] = true;
    }
    return back_evaluate(e, err);
}

static int ph_back_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ECP_UNUSED(obs);
    return describe(e, ECP_PH_BACK, true, true, err);
}

static int wait_reboot_start(ecp_engine *e, ec_error *err)
{
    return start_back(e, e->p.watch, NULL, false, e->p.since, err);
}

/* ------------------------------------------------------------------ */
/* AWS's CacheClusterAvailable waiter                                  */
/* ------------------------------------------------------------------ */

#define AVAILABLE_WAITER "CacheClusterAvailable"
#define STATUS_PATH "CacheClusters[].CacheClusterStatus"

/* botocore's texts: "Waiter CacheClusterAvailable failed: <reason>". */
static int waiter_fail(ecp_engine *e, ec_errcode code, const ec_error *cause,
                       ec_error *err, const char *reason)
{
    return fail(e, code, cause, err, "Waiter %s failed: %s", AVAILABLE_WAITER,
                reason);
}

static int available_start(ecp_engine *e, ec_error *err)
{
    e->attempts = 1;
    /* One page, no ShowCacheNodeInfo, as the AWS CLI sends; a waiter's
     * calls are not bounded by its timeout, as botocore's are not. */
    return describe(e, ECP_PH_AVAILABLE, false, false, err);
}

/*
 * As botocore's Waiter.wait: acceptors in model order. A service error
 * matches no acceptor and fails the waiter (EC_ERR_WAIT_FAILURE, the
 * service's code kept in aws_code); transport errors end it as they are,
 * as botocore raises them.
 */
static int ph_available(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    const ec_cache_cluster_list *l = obs->clusters;
    char reason[EC_ERROR_TEXT_LENGTH];
    bool every = false;
    size_t i, k, n = l ? l->count : 0;

    if (obs_nomem(obs, err))
        return -1;
    if (failed(obs)) {
        const ec_error *call = obs->error;
        if (call->code != EC_ERR_SERVICE)
            return fail(e, EC_OK, call, err, NULL);
        ecp_msgf(reason, sizeof(reason), "An error occurred (%s): %s",
                 call->aws_code, call->message);
        return waiter_fail(e, EC_ERR_WAIT_FAILURE, call, err, reason);
    }
    ec_cache_cluster_free(e->cluster);
    e->cluster = NULL;
    if (n > 0) {
        e->cluster = ec_cache_cluster_dup(l->items[0]);
        if (!e->cluster)
            return nomem(err);
    }
    if (report(e, EC_PROGRESS_WAITING, NULL, err,
               "waiting for the cluster to be available") != 0)
        return -1;
    every = n > 0;
    for (i = 0; i < n; i++) {
        const char *s = l->items[i]->cache_cluster_status;
        if (!s || strcmp(s, ECP_STATUS_AVAILABLE) != 0)
            every = false;
    }
    if (every)
        return succeed(e, err);
    for (k = 0; k < ECP_FAILURE_STATE_COUNT; k++)
        for (i = 0; i < n; i++) {
            const char *s = l->items[i]->cache_cluster_status;
            if (s && strcmp(s, ecp_failure_states[k]) == 0) {
                ecp_msgf(reason, sizeof(reason),
                         "Waiter encountered a terminal failure state: For "
                         "expression \"%s\" we matched expected path: \"%s\" "
                         "at least once",
                         STATUS_PATH, ecp_failure_states[k]);
                return waiter_fail(e, EC_ERR_WAIT_FAILURE, NULL, err, reason);
            }
        }
    if (e->attempts >= e->p.max_attempts)
        return waiter_fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                           "Max attempts exceeded");
    if (elapsed(e) + e->delay > e->budget)
        return waiter_fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                           "Max attempts exceeded (the wait timeout would pass "
                           "before the next attempt)");
    return sleep_then(e, ECP_PH_AVAILABLE_SLEEP, e->delay, err);
}

static int ph_available_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ECP_UNUSED(obs);
    e->attempts++;
    return describe(e, ECP_PH_AVAILABLE, false, false, err);
}

/* ------------------------------------------------------------------ */
/* The tables and the step                                             */
/* ------------------------------------------------------------------ */

/* Indexed by ecp_op. A new operation is a new row (and its phases). */
static const op_def ops[] = {
    [ECP_OP_REBOOT] = {"reboot", reboot_start, reboot_after_wait},
    [ECP_OP_WAIT_AVAILABLE] = {"wait-available", available_start, NULL},
    [ECP_OP_WAIT_REBOOT] = {"wait-reboot", wait_reboot_start, NULL},
};

/* Indexed by ecp_phase. */
static const phase_def phases[ECP_PH_COUNT] = {
    [ECP_PH_START] = {"start", ECP_OBS_START, NULL},
    [ECP_PH_PLAN] = {"plan", ECP_OBS_CLUSTERS, ph_plan},
    [ECP_PH_PLAN_EVENTS] = {"plan-events", ECP_OBS_EVENTS, ph_plan_events},
    [ECP_PH_BUSY_SLEEP] = {"busy-sleep", ECP_OBS_SLEPT, ph_busy_sleep},
    [ECP_PH_REBOOT] = {"reboot", ECP_OBS_REBOOTED, ph_reboot},
    [ECP_PH_RACE] = {"race", ECP_OBS_CLUSTERS, ph_race},
    [ECP_PH_CONFIRM] = {"confirm", ECP_OBS_CLUSTERS, ph_confirm},
    [ECP_PH_CONFIRM_EVENTS] = {"confirm-events", ECP_OBS_EVENTS,
                               ph_confirm_events},
    [ECP_PH_CONFIRM_SLEEP] = {"confirm-sleep", ECP_OBS_SLEPT, ph_confirm_sleep},
    [ECP_PH_BACK] = {"back", ECP_OBS_CLUSTERS, ph_back},
    [ECP_PH_BACK_EVENTS] = {"back-events", ECP_OBS_EVENTS, ph_back_events},
    [ECP_PH_BACK_SLEEP] = {"back-sleep", ECP_OBS_SLEPT, ph_back_sleep},
    [ECP_PH_AVAILABLE] = {"available", ECP_OBS_CLUSTERS, ph_available},
    [ECP_PH_AVAILABLE_SLEEP] = {"available-sleep", ECP_OBS_SLEPT,
                                ph_available_sleep},
    [ECP_PH_DONE] = {"done", ECP_OBS_START, NULL},
};

static const op_def *op_of(ecp_op op)
{
    return &ops[op];
}

const char *ecp_phase_name(ecp_phase phase)
{
    return phase < ECP_PH_COUNT ? phases[phase].name : "unknown";
}

const char *ecp_action_kind_name(ecp_action_kind kind)
{
    switch (kind) {
    case ECP_ACT_DESCRIBE_CLUSTER:
        return "describe";
    case ECP_ACT_READ_EVENTS:
        return "events";
    case ECP_ACT_REBOOT_NODES:
        return "reboot";
    case ECP_ACT_SLEEP:
        return "sleep";
    case ECP_ACT_REPORT:
        return "report";
    case ECP_ACT_DONE:
        return "done";
    case ECP_ACT_DESCRIBE_GROUP:
        return "describe-group";
    case ECP_ACT_MODIFY_GROUP:
        return "modify-group";
    case ECP_ACT_PROBE_NODE:
        return "probe";
    }
    return "unknown";
}

int ecp_engine_init(ecp_engine *e, const ecp_params *params, ec_error *err)
{
    ECP_UNUSED(err);
    memset(e, 0, sizeof(*e));
    e->p = *params;
    e->phase = ECP_PH_START;
    e->delay = params->delay > 0 ? params->delay : ECP_DEFAULT_DELAY;
    if (e->p.max_attempts <= 0)
        e->p.max_attempts = ECP_DEFAULT_MAX_ATTEMPTS;
    e->budget = params->budget > 0 ? params->budget : ECP_DEFAULT_BUDGET;
    e->outcome.rebooted.set = true;
    e->watched.set = true;
    return 0;
}

void ecp_engine_clear(ecp_engine *e)
{
    if (!e)
        return;
    ec_cache_cluster_free(e->cluster);
    ecp_reboot_plan_clear(&e->plan);
    ec_strlist_clear(&e->watched);
    free(e->restarted);
    ec_strlist_clear(&e->outcome.rebooted);
    free(e->outcome.request_id);
    ecp_cluster_status_clear(&e->outcome.before);
    memset(e, 0, sizeof(*e));
}

int ecp_engine_step(ecp_engine *e, const ecp_obs *obs, ecp_action *act,
                    ec_error *err)
{
    const phase_def *ph;
    int rc;

    memset(act, 0, sizeof(*act));
    if (e->next < e->queued) {
        /* The last action handed out was a report (only reports are
         * followed by more): its observation says it was made. */
        if (obs->kind != ECP_OBS_REPORTED)
            return internal(err, "a report was answered with another "
                                 "observation");
        *act = e->queue[e->next++];
        return 0;
    }
    if (e->phase == ECP_PH_DONE) {
        act->kind = ECP_ACT_DONE;
        return 0;
    }
    e->queued = 0;
    e->next = 0;
    e->note_count = 0;
    e->now = obs->now;
    if (!e->started) {
        if (obs->kind != ECP_OBS_START)
            return internal(err, "the first observation must be START");
        e->started = true;
        e->t0 = obs->now;
        rc = op_of(e->p.op)->start(e, err);
    } else {
        ph = &phases[e->phase];
        if (!ph->handle || obs->kind != ph->expects) {
            char what[96];
            snprintf(what, sizeof(what),
                     "phase %s got an observation of kind %d", ph->name,
                     (int)obs->kind);
            return internal(err, what);
        }
        rc = ph->handle(e, obs, err);
    }
    if (rc != 0)
        return -1;
    /* Reports come first and something always follows them. */
    if (e->queued == 0 || e->queue[e->queued - 1].kind == ECP_ACT_REPORT)
        return internal(err, "a step queued no action");
    *act = e->queue[e->next++];
    return 0;
}
