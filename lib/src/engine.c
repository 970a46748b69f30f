/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reboot engine's step function (see engine.h): the operation table,
 * the phase table, the phases every reboot shares (the call, a lost
 * answer, the wait, the probes) and the safe reboot of one cluster, all at
 * once or in batches. The replication group's operation is in
 * engine_group.c. Pure: the only inputs are the engine's state and the
 * observation, the only outputs the state and the queued actions.
 */
#include "engine_priv.h"

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
    /* A reboot call went through (or a lost answer was confirmed) and the
     * REBOOT_SENT report is queued: wait, or finish. NULL: the safe
     * reboot's own. */
    int (*after_reboot)(ecp_engine *e, ec_error *err);
    /* A shared BACK wait ended well: finish or go on. NULL: done. */
    int (*after_wait)(ecp_engine *e, ec_error *err);
    /* A probe round passed (ECP_PROBE_THEN_AFTER_WAIT or _MODIFY). */
    int (*after_probe)(ecp_engine *e, ec_error *err);
} op_def;

static const op_def *op_of(ecp_op op);

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

int ecp_eng_nomem(ec_error *err)
{
    return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
}

double ecp_eng_elapsed(const ecp_engine *e)
{
    return ecp_time_sub(e->now, e->t0);
}

double ecp_eng_remaining(const ecp_engine *e)
{
    return e->budget - ecp_eng_elapsed(e);
}

/* The bound of the next call: what is left of the budget, at least a
 * second so that a call can still be made to confirm or report. */
double ecp_eng_call_timeout(const ecp_engine *e)
{
    double left = ecp_eng_remaining(e);

    return left > 1.0 ? left : 1.0;
}

const char *ecp_eng_plural(const ec_strlist *l)
{
    return l->count == 1 ? "node" : "nodes";
}

static const char *status_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

ecp_action *ecp_eng_queue(ecp_engine *e, ecp_action_kind kind)
{
    ecp_action *a;

    if (e->queued >= sizeof(e->queue) / sizeof(e->queue[0]))
        return NULL;
    a = &e->queue[e->queued++];
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    return a;
}

int ecp_eng_internal(ec_error *err, const char *what)
{
    return ecp_error_set(err, EC_ERR_INTERNAL, "reboot engine: %s", what);
}

int ecp_eng_report(ecp_engine *e, ec_progress_phase phase,
                   const ec_strlist *watched, ec_error *err, const char *fmt,
                   ...)
{
    ecp_action *a;
    char *note;
    va_list ap;

    if (e->note_count >= sizeof(e->notes) / sizeof(e->notes[0]))
        return ecp_eng_internal(err, "too many reports in one step");
    note = e->notes[e->note_count++];
    va_start(ap, fmt);
    vsnprintf(note, sizeof(e->notes[0]), fmt, ap);
    va_end(ap);
    a = ecp_eng_queue(e, ECP_ACT_REPORT);
    if (!a)
        return ecp_eng_internal(err, "action queue full");
    a->phase = phase;
    a->message = note;
    a->watched = watched;
    if (e->outcome.steps.count > 0) {
        a->has_step = true;
        a->step = e->step_i < e->outcome.steps.count
                      ? e->step_i
                      : e->outcome.steps.count - 1;
    }
    return 0;
}

int ecp_eng_describe(ecp_engine *e, ecp_phase next, bool show_nodes,
                     bool bounded, ec_error *err)
{
    ecp_action *a = ecp_eng_queue(e, ECP_ACT_DESCRIBE_CLUSTER);

    if (!a)
        return ecp_eng_internal(err, "action queue full");
    a->cluster_id = e->cid;
    a->show_nodes = show_nodes;
    a->call_timeout = bounded ? ecp_eng_call_timeout(e) : 0;
    e->phase = next;
    return 0;
}

int ecp_eng_read_events(ecp_engine *e, ecp_phase next, const char *cluster_id,
                        ec_time since, ec_error *err)
{
    ecp_action *a = ecp_eng_queue(e, ECP_ACT_READ_EVENTS);

    if (!a)
        return ecp_eng_internal(err, "action queue full");
    a->cluster_id = cluster_id;
    a->since = since;
    a->call_timeout = ecp_eng_call_timeout(e);
    e->phase = next;
    return 0;
}

int ecp_eng_describe_group(ecp_engine *e, ecp_phase next, ec_error *err)
{
    ecp_action *a = ecp_eng_queue(e, ECP_ACT_DESCRIBE_GROUP);

    if (!a)
        return ecp_eng_internal(err, "action queue full");
    a->group_id = e->p.op == ECP_OP_GROUP ? e->p.group_id
                                          : e->cluster->replication_group_id;
    a->call_timeout = ecp_eng_call_timeout(e);
    e->phase = next;
    return 0;
}

int ecp_eng_sleep(ecp_engine *e, ecp_phase next, double seconds, ec_error *err)
{
    ecp_action *a = ecp_eng_queue(e, ECP_ACT_SLEEP);

    if (!a)
        return ecp_eng_internal(err, "action queue full");
    a->seconds = seconds;
    e->phase = next;
    return 0;
}

int ecp_eng_done(ecp_engine *e, ec_error *err)
{
    if (!ecp_eng_queue(e, ECP_ACT_DONE))
        return ecp_eng_internal(err, "action queue full");
    e->phase = ECP_PH_DONE;
    return 0;
}

int ecp_eng_succeed(ecp_engine *e, ec_error *err)
{
    e->outcome.rc = 0;
    return ecp_eng_done(e, err);
}

/* A rolling run that stopped: which nodes were rebooted and which not,
 * appended to `buf` (the error's message and the outcome's). */
static void rolling_summary(const ecp_engine *e, char *buf, size_t size)
{
    const ec_strlist *planned = &e->plan.node_ids;
    char done_ids[160], rest_ids[160];
    size_t i, n = 0, off = 0, len = strlen(buf);

    ec_strlist_join(&e->outcome.rebooted, ", ", done_ids, sizeof(done_ids));
    rest_ids[0] = '\0';
    for (i = 0; i < planned->count && off < sizeof(rest_ids); i++) {
        int w;
        if (ecp_strlist_contains(&e->outcome.rebooted, planned->items[i]))
            continue;
        w = snprintf(rest_ids + off, sizeof(rest_ids) - off, "%s%s",
                     n ? ", " : "", planned->items[i]);
        if (w < 0)
            break;
        off += (size_t)w;
        n++;
    }
    if (off >= sizeof(rest_ids))
        memcpy(rest_ids + sizeof(rest_ids) - 4, "...", 4);
    if (len < size)
        snprintf(buf + len, size - len,
                 " (rolling reboot of %s stopped: rebooted before it "
                 "stopped: %s; not rebooted: %s)",
                 e->p.cluster_id, e->outcome.rebooted.count ? done_ids : "none",
                 n ? rest_ids : "none");
}

int ecp_eng_fail(ecp_engine *e, ec_errcode code, const ec_error *cause,
                 ec_error *err, const char *fmt, ...)
{
    ec_error *out = &e->outcome.error;
    va_list ap;
    int rc;

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
    if (e->outcome.steps.count > 0 && e->step_i < e->outcome.steps.count) {
        ec_reboot_step *s = e->outcome.steps.items[e->step_i];
        if (s->state == EC_STEP_RUNNING) {
            s->state = EC_STEP_FAILED;
            s->seconds = ecp_time_sub(e->now, e->step_t0);
            free(s->message);
            s->message = ecp_strdup(out->message);
            if (!s->message)
                return ecp_eng_nomem(err);
        }
    }
    if (e->p.op == ECP_OP_GROUP) {
        rc = ecp_group_on_fail(e, err);
        if (rc != 0)
            return rc < 0 ? -1 : 0;
    } else if (e->p.op == ECP_OP_REBOOT && e->outcome.steps.count > 1) {
        rolling_summary(e, out->message, sizeof(out->message));
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message), "%s",
                 out->message);
    }
    e->outcome.rc = -1;
    return ecp_eng_done(e, err);
}

bool ecp_eng_failed(const ecp_obs *obs)
{
    return obs->error && obs->error->code != EC_OK;
}

int ecp_eng_obs_nomem(const ecp_obs *obs, ec_error *err)
{
    return ecp_eng_failed(obs) && obs->error->code == EC_ERR_NOMEM
               ? ecp_eng_nomem(err)
               : 0;
}

int ecp_eng_keep_cluster(ecp_engine *e, const ecp_obs *obs, ec_error *why,
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
                      e->cid, n);
        ecp_error_set_operation(why, "DescribeCacheClusters");
        return 1;
    }
    copy = ec_cache_cluster_dup(l->items[0]);
    if (!copy)
        return ecp_eng_nomem(err);
    ec_cache_cluster_free(e->cluster);
    e->cluster = copy;
    return 0;
}

int ecp_eng_keep_group(ecp_engine *e, const ecp_obs *obs, ec_error *why,
                       ec_error *err)
{
    const ec_replication_group_list *l = obs->groups;
    ec_replication_group *copy;
    size_t n = l ? l->count : 0;

    ec_error_clear(why);
    if (n != 1) {
        ecp_error_set(why, EC_ERR_PARSE,
                      "DescribeReplicationGroups answered %zu groups, "
                      "expected 1",
                      n);
        ecp_error_set_operation(why, "DescribeReplicationGroups");
        return 1;
    }
    copy = ec_replication_group_dup(l->items[0]);
    if (!copy)
        return ecp_eng_nomem(err);
    ec_replication_group_free(e->group);
    e->group = copy;
    return 0;
}

bool ecp_eng_node_is(const ec_cache_node *n, const char *status)
{
    return n && n->cache_node_status &&
           strcmp(n->cache_node_status, status) == 0;
}

int ecp_eng_push_once(ec_strlist *l, const char *id, ec_error *err)
{
    if (ecp_strlist_contains(l, id))
        return 0;
    return ec_strlist_push(l, id) == 0 ? 0 : ecp_eng_nomem(err);
}

int ecp_eng_copy_list(ec_strlist *dst, const ec_strlist *src, ec_error *err)
{
    size_t i;

    ec_strlist_clear(dst);
    dst->set = true;
    for (i = 0; src && i < src->count; i++)
        if (ec_strlist_push(dst, src->items[i]) != 0)
            return ecp_eng_nomem(err);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Steps                                                               */
/* ------------------------------------------------------------------ */

static void step_free(ec_reboot_step *s)
{
    if (!s)
        return;
    free(s->cache_cluster_id);
    ec_strlist_clear(&s->cache_node_ids);
    free(s->replication_group_id);
    free(s->role);
    free(s->previous_primary_id);
    free(s->request_id);
    free(s->message);
    free(s);
}

void ecp_reboot_steps_clear(ec_reboot_step_list *steps)
{
    size_t i;

    if (!steps)
        return;
    for (i = 0; i < steps->count; i++)
        step_free(steps->items[i]);
    free(steps->items);
    memset(steps, 0, sizeof(*steps));
}

ec_reboot_step *ecp_eng_step_add(ecp_engine *e, ec_reboot_step_action action,
                                 const char *cluster_id, ec_error *err)
{
    ec_reboot_step_list *l = &e->outcome.steps;
    ec_reboot_step **grown, *s = calloc(1, sizeof(*s));

    if (!s)
        goto nomem;
    s->action = action;
    s->state = EC_STEP_PLANNED;
    s->started = -1;
    s->cache_node_ids.set = action == EC_STEP_REBOOT;
    if (cluster_id) {
        s->cache_cluster_id = ecp_strdup(cluster_id);
        if (!s->cache_cluster_id)
            goto nomem;
    }
    grown = realloc(l->items, (l->count + 1) * sizeof(*l->items));
    if (!grown)
        goto nomem;
    l->items = grown;
    l->items[l->count++] = s;
    l->set = true;
    return s;
nomem:
    step_free(s);
    ecp_eng_nomem(err);
    return NULL;
}

static const char *step_text(const ec_reboot_step *s, char *buf, size_t size)
{
    char ids[160];

    switch (s->action) {
    case EC_STEP_REBOOT:
        ec_strlist_join(&s->cache_node_ids, ", ", ids, sizeof(ids));
        if (s->role)
            ecp_msgf(buf, size, "reboot %s %s (node %s)",
                     strcmp(s->role, "primary") == 0 ? "the primary"
                                                     : "replica",
                     s->cache_cluster_id, ids);
        else
            ecp_msgf(buf, size, "reboot %s %s of %s",
                     ecp_eng_plural(&s->cache_node_ids), ids,
                     s->cache_cluster_id);
        break;
    case EC_STEP_DISABLE_FAILOVER:
        ecp_msgf(buf, size,
                 "switch off automatic failover and Multi-AZ of %s (AWS's "
                 "rule for a primary move)",
                 s->replication_group_id);
        break;
    case EC_STEP_MOVE_PRIMARY:
        ecp_msgf(buf, size, "move the primary of %s from %s to %s",
                 s->replication_group_id, s->previous_primary_id,
                 s->cache_cluster_id);
        break;
    case EC_STEP_RESTORE_FAILOVER:
        ecp_msgf(buf, size, "switch automatic failover%s back on for %s",
                 s->multi_az.set && s->multi_az.value ? " and Multi-AZ" : "",
                 s->replication_group_id);
        break;
    }
    return buf;
}

int ecp_eng_step_begin(ecp_engine *e, size_t i, ec_error *err)
{
    ec_reboot_step *s = e->outcome.steps.items[i];
    char what[320];

    e->step_i = i;
    e->step_t0 = e->now;
    e->step_sent = false;
    s->state = EC_STEP_RUNNING;
    s->started = ecp_eng_elapsed(e);
    if (e->outcome.steps.count < 2)
        return 0;
    return ecp_eng_report(e, EC_PROGRESS_STEP, &s->cache_node_ids, err,
                          "step %zu/%zu: %s", i + 1, e->outcome.steps.count,
                          step_text(s, what, sizeof(what)));
}

int ecp_eng_step_end(ecp_engine *e, ec_reboot_step_state state, ec_error *err,
                     const char *fmt, ...)
{
    ec_reboot_step *s = e->outcome.steps.items[e->step_i];
    char text[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    s->state = state;
    s->seconds = ecp_time_sub(e->now, e->step_t0);
    free(s->message);
    s->message = ecp_strdup(text);
    if (!s->message)
        return ecp_eng_nomem(err);
    if (e->outcome.steps.count < 2)
        return 0;
    return ecp_eng_report(e, EC_PROGRESS_STEP, &s->cache_node_ids, err,
                          "step %zu/%zu %s: %s", e->step_i + 1,
                          e->outcome.steps.count,
                          ec_reboot_step_state_name(state), text);
}

int ecp_eng_step_request_id(ecp_engine *e, const char *request_id,
                            ec_error *err)
{
    ec_reboot_step *s;

    if (!request_id || e->step_i >= e->outcome.steps.count)
        return 0;
    s = e->outcome.steps.items[e->step_i];
    free(s->request_id);
    s->request_id = ecp_strdup(request_id);
    return s->request_id ? 0 : ecp_eng_nomem(err);
}

const char *ec_reboot_step_action_name(ec_reboot_step_action a)
{
    switch (a) {
    case EC_STEP_REBOOT:
        return "reboot";
    case EC_STEP_DISABLE_FAILOVER:
        return "disable-failover";
    case EC_STEP_MOVE_PRIMARY:
        return "move-primary";
    case EC_STEP_RESTORE_FAILOVER:
        return "restore-failover";
    }
    return "unknown";
}

const char *ec_reboot_step_state_name(ec_reboot_step_state s)
{
    switch (s) {
    case EC_STEP_PLANNED:
        return "planned";
    case EC_STEP_RUNNING:
        return "running";
    case EC_STEP_DONE:
        return "done";
    case EC_STEP_SENT:
        return "sent";
    case EC_STEP_FAILED:
        return "failed";
    }
    return "unknown";
}

/* ------------------------------------------------------------------ */
/* The safe reboot: plan                                               */
/* ------------------------------------------------------------------ */

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
        return ecp_eng_succeed(e, err);
    }
    return ecp_eng_describe(e, ECP_PH_PLAN, true, true, err);
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

int ecp_eng_send_reboot(ecp_engine *e, ec_error *err)
{
    ecp_action *a;
    size_t i;

    /* The safety contract, enforced where the action is made: one
     * RebootCacheCluster per step (a batch, a member), for planned nodes
     * only. */
    if (e->step_sent)
        return ecp_eng_internal(err, "a second reboot in one step");
    if (e->batch.count == 0)
        return ecp_eng_internal(err, "a reboot of no node");
    if (ecp_eng_remaining(e) <= 0)
        return ecp_eng_fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                            "the time budget of %.0f s ran out before the "
                            "reboot of %s was sent: nothing rebooted",
                            e->budget, e->cid);
    a = ecp_eng_queue(e, ECP_ACT_REBOOT_NODES);
    if (!a)
        return ecp_eng_internal(err, "action queue full");
    if (e->p.op == ECP_OP_REBOOT)
        for (i = 0; i < e->batch.count; i++)
            if (ec_strlist_push(&e->outcome.rebooted, e->batch.items[i]) != 0)
                return ecp_eng_nomem(err);
    if (e->outcome.steps.count > 0) {
        ec_reboot_step *s = e->outcome.steps.items[e->step_i];
        if (ecp_eng_copy_list(&s->cache_node_ids, &e->batch, err) != 0)
            return -1;
    }
    a->cluster_id = e->cid;
    a->nodes = &e->batch;
    a->call_timeout = ecp_eng_call_timeout(e);
    e->reboots_sent++;
    e->step_sent = true;
    e->phase = ECP_PH_REBOOT;
    return 0;
}

/* What the reboot under way put into outcome.rebooted, taken out again:
 * the service refused it. */
static void forget_reboot(ecp_engine *e)
{
    ec_strlist *l = &e->outcome.rebooted;
    size_t n = e->p.op == ECP_OP_REBOOT ? e->batch.count : 1;

    while (n-- > 0 && l->count > 0) {
        free(l->items[l->count - 1]);
        l->items[--l->count] = NULL;
    }
    l->set = true;
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
    ecp_reboot_steps_clear(&e->outcome.steps);
    ecp_msgf(e->why, sizeof(e->why), "%s", why);
    ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
             "%s; not rebooted again", why);
    if (!e->p.wait || e->p.check_mode)
        return ecp_eng_succeed(e, err);
    nodes.set = true;
    for (i = 0; i < e->cluster->cache_nodes.count; i++) {
        const ec_cache_node *n = e->cluster->cache_nodes.items[i];
        if (n->cache_node_id && ecp_eng_node_is(n, ECP_STATUS_NODE_REBOOTING) &&
            ecp_eng_push_once(&nodes, n->cache_node_id, err) != 0)
            goto out;
    }
    e->already = true;
    seen = seen || nodes.count > 0 || ecp_cluster_is_rebooting(e->cluster);
    rc = ecp_eng_start_back(e, &nodes, &nodes, seen, e->t0, err);
out:
    ec_strlist_clear(&nodes);
    return rc;
}

/* The nodes of the batch that starts at plan index `from`. */
static int cut_batch(ecp_engine *e, size_t from, ec_error *err)
{
    const ec_strlist *planned = &e->plan.node_ids;
    size_t n = e->p.batch_size ? e->p.batch_size : planned->count, i;

    ec_strlist_clear(&e->batch);
    e->batch.set = true;
    for (i = from; i < planned->count && i < from + n; i++)
        if (ec_strlist_push(&e->batch, planned->items[i]) != 0)
            return ecp_eng_nomem(err);
    e->batch_next = i;
    e->last_reboot = i >= planned->count;
    return 0;
}

/* One REBOOT step per batch, in the plan's order. */
static int plan_steps(ecp_engine *e, ec_error *err)
{
    const ec_strlist *planned = &e->plan.node_ids;
    size_t n = e->p.batch_size ? e->p.batch_size : planned->count, i, k;

    for (i = 0; i < planned->count; i += n) {
        ec_reboot_step *s =
            ecp_eng_step_add(e, EC_STEP_REBOOT, e->p.cluster_id, err);
        if (!s)
            return -1;
        if (e->cluster->replication_group_id) {
            s->replication_group_id =
                ecp_strdup(e->cluster->replication_group_id);
            if (!s->replication_group_id)
                return ecp_eng_nomem(err);
        }
        for (k = i; k < planned->count && k < i + n; k++)
            if (ec_strlist_push(&s->cache_node_ids, planned->items[k]) != 0)
                return ecp_eng_nomem(err);
    }
    return 0;
}

static size_t batch_count(const ecp_engine *e)
{
    size_t n = e->plan.node_ids.count, b = e->p.batch_size;

    return b == 0 || n == 0 ? (n ? 1 : 0) : (n + b - 1) / b;
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
            return ecp_eng_nomem(err);
        return ecp_eng_fail(e, EC_OK, &perr, err, NULL);
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
                return ecp_eng_nomem(err);
            return ecp_eng_fail(e, EC_OK, &perr, err, NULL);
        }
        ecp_msgf(e->why, sizeof(e->why), "%s", busy);
        predicted = true;
    }
    if (!e->planned_once) {
        e->planned_once = true;
        if (ecp_cluster_status_from(&e->outcome.before, e->cluster, err) != 0)
            return -1;
        e->outcome.before_set = true;
        if (ecp_eng_report(e, EC_PROGRESS_DESCRIBED, &plan->node_ids, err, "%s",
                           plan->reason) != 0)
            return -1;
    }
    if (plan->decision == EC_DECIDE_BUSY && e->p.wait && !e->p.check_mode) {
        const char *s = e->cluster->cache_cluster_status;

        if (ecp_cluster_status_is_failure(s))
            return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                                "cluster %s is %s: it will not become "
                                "available",
                                id, s);
        if (ecp_eng_remaining(e) < e->delay)
            return ecp_eng_fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                                "timed out after %.0f s waiting for %s to be "
                                "available before rebooting: %s",
                                ecp_eng_elapsed(e), id, plan->reason);
        if (ecp_eng_report(e, EC_PROGRESS_WAITING, NULL, err, "%s",
                           plan->reason) != 0)
            return -1;
        return ecp_eng_sleep(e, ECP_PH_BUSY_SLEEP, e->delay, err);
    }

    e->outcome.decision = plan->decision;
    switch (plan->decision) {
    case EC_DECIDE_REBOOT:
        if (plan_steps(e, err) != 0 || cut_batch(e, 0, err) != 0)
            return -1;
        if (!e->p.check_mode) {
            if (ecp_eng_step_begin(e, 0, err) != 0)
                return -1;
            return ecp_eng_send_reboot(e, err);
        }
        if (ecp_eng_copy_list(&e->outcome.rebooted, &plan->node_ids, err) != 0)
            return -1;
        ec_strlist_join(&plan->node_ids, ", ", ids, sizeof(ids));
        e->outcome.changed = true;
        if (predicted)
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "%s: would wait until it is available, then reboot %s "
                     "%s (check mode)",
                     e->why, ecp_eng_plural(&plan->node_ids), ids);
        else if (batch_count(e) > 1)
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "would reboot %s %s of %s in %zu batches of at most %u, "
                     "each waited for before the next (check mode)",
                     ecp_eng_plural(&plan->node_ids), ids, id, batch_count(e),
                     e->p.batch_size);
        else
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "would reboot %s %s of %s (check mode)",
                     ecp_eng_plural(&plan->node_ids), ids, id);
        return ecp_eng_succeed(e, err);
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
        return ecp_eng_succeed(e, err);
    case EC_DECIDE_NOTHING_PENDING:
    case EC_DECIDE_RECENTLY_REBOOTED:
    case EC_DECIDE_UNSUPPORTED:
    case EC_DECIDE_NO_NODES:
    case EC_DECIDE_REFUSED:
        if (predicted)
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "%s: would wait until it is available, then: %s; "
                     "nothing rebooted (check mode)",
                     e->why, plan->reason);
        else
            ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                     "%s; nothing rebooted", plan->reason);
        return ecp_eng_succeed(e, err);
    }
    return ecp_eng_internal(err, "unknown decision");
}

/* The role check: a cluster that names a replication group. The group is
 * read even when the caller allowed a primary to be rebooted in place, so
 * that a member of a cluster-mode-enabled group is refused before any
 * reboot call in every case. */
static bool needs_role_check(const ecp_engine *e)
{
    return e->cluster->replication_group_id &&
           e->cluster->replication_group_id[0];
}

static int plan_after_describe(ecp_engine *e, ec_error *err)
{
    const ec_reboot_policy *pol = e->p.policy;

    if (pol && pol->unless_rebooted_since.set)
        return ecp_eng_read_events(e, ECP_PH_PLAN_EVENTS, e->cid,
                                   pol->unless_rebooted_since, err);
    return decide(e, NULL, err);
}

static int ph_plan(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ec_error why = {0};
    int rc;

    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs))
        return ecp_eng_fail(e, EC_OK, obs->error, err, NULL);
    rc = ecp_eng_keep_cluster(e, obs, &why, err);
    if (rc != 0)
        return rc < 0 ? -1 : ecp_eng_fail(e, EC_OK, &why, err, NULL);
    if (needs_role_check(e))
        return ecp_eng_describe_group(e, ECP_PH_PLAN_GROUP, err);
    return plan_after_describe(e, err);
}

/* Refuse before any reboot call: nothing was sent, nothing changed. */
static int refuse(ecp_engine *e, ec_reboot_decision decision, ec_error *err,
                  const char *text)
{
    e->outcome.decision = decision;
    e->outcome.changed = false;
    ecp_msgf(e->outcome.message, sizeof(e->outcome.message), "%s", text);
    return ecp_eng_fail(e, EC_ERR_INVALID_ARGUMENT, NULL, err, "%s", text);
}

/*
 * The cluster names a replication group: its role decides. A primary is
 * refused (the group's reboot moves it first), a member of a group with
 * cluster mode enabled too (ElastiCache refuses to reboot it; AWS
 * documents backup, delete and restore instead), a replica is rebooted as
 * any cluster. A group that cannot be read fails the run: the role cannot
 * be checked, and guessing could reboot a primary.
 */
static int ph_plan_group(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    const char *gid = e->cluster->replication_group_id, *role;
    const ec_node_group_member *m;
    const ec_node_group *ng = NULL;
    ec_error why = {0};
    char text[512];
    int rc;

    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    /* With allow_primary_reboot the role does not matter: a group that
     * cannot be read only leaves cluster mode unchecked, and the service
     * refuses to reboot such a member by itself. */
    if (ecp_eng_failed(obs) && e->p.allow_primary_reboot)
        return plan_after_describe(e, err);
    if (ecp_eng_failed(obs))
        return ecp_eng_fail(e, EC_OK, obs->error, err,
                            "cannot check the role of %s in replication "
                            "group %s (%.200s): nothing rebooted; pass "
                            "allow_primary_reboot to reboot it without the "
                            "check",
                            e->cid, gid, obs->error->message);
    rc = ecp_eng_keep_group(e, obs, &why, err);
    if (rc > 0 && e->p.allow_primary_reboot)
        return plan_after_describe(e, err);
    if (rc != 0)
        return rc < 0 ? -1 : ecp_eng_fail(e, EC_OK, &why, err, NULL);
    gid = e->group->replication_group_id ? e->group->replication_group_id : gid;
    if (ecp_group_cluster_mode(e->group)) {
        ecp_msgf(text, sizeof(text),
                 "%s is a member of replication group %s, which has cluster "
                 "mode enabled: ElastiCache cannot reboot it. AWS documents "
                 "the alternative for changes that need a reboot: take a "
                 "manual backup, delete the cluster and restore it from the "
                 "backup with the changed parameter group",
                 e->cid, gid);
        return refuse(e, EC_DECIDE_UNSUPPORTED, err, text);
    }
    if (e->p.allow_primary_reboot)
        return plan_after_describe(e, err);
    m = ec_replication_group_find_member(e->group, e->cid, &ng);
    role = m ? m->current_role : NULL;
    if (!m || !role)
        return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                            "%s names replication group %s, but the group %s: "
                            "its role cannot be checked; nothing rebooted",
                            e->cid, gid,
                            m ? "shows no role for it"
                              : "does not list it as a member");
    if (strcmp(role, "primary") == 0) {
        if (ng && ng->node_group_members.count > 1)
            ecp_msgf(text, sizeof(text),
                     "%s is the primary of replication group %s: rebooting "
                     "it in place stops writes to the group until it is "
                     "back; reboot the group instead, which moves the "
                     "primary to a replica first (elasticache "
                     "reboot-replication-group --replication-group-id %s, "
                     "or replication_group_id: %s), or allow_primary_reboot "
                     "(--allow-primary-reboot) to reboot it in place",
                     e->cid, gid, gid, gid);
        else
            ecp_msgf(text, sizeof(text),
                     "%s is the only node and the primary of replication "
                     "group %s, which has no replica to move the primary "
                     "to: rebooting it stops writes and reads until it is "
                     "back and loses its data; pass allow_primary_reboot "
                     "(--allow-primary-reboot) to reboot it anyway",
                     e->cid, gid);
        return refuse(e, EC_DECIDE_REFUSED, err, text);
    }
    return plan_after_describe(e, err);
}

static int ph_plan_events(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs))
        return ecp_eng_fail(e, EC_OK, obs->error, err, NULL);
    return decide(e, obs->events, err);
}

static int ph_busy_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ECP_UNUSED(obs);
    return ecp_eng_describe(e, ECP_PH_PLAN, true, true, err);
}

/* ------------------------------------------------------------------ */
/* The reboot call and a lost answer (shared)                          */
/* ------------------------------------------------------------------ */

static int after_reboot(ecp_engine *e, const ec_strlist *seen, ec_error *err)
{
    const op_def *op = op_of(e->p.op);

    e->outcome.changed = true;
    if (ecp_eng_report(e, EC_PROGRESS_REBOOT_SENT, &e->batch, err, "%s",
                       e->outcome.message) != 0)
        return -1;
    if (e->last_reboot && !e->p.wait) {
        if (e->outcome.steps.count > 0 &&
            ecp_eng_step_end(e, EC_STEP_SENT, err, "%s", e->outcome.message) !=
                0)
            return -1;
        return op->after_reboot ? op->after_reboot(e, err)
                                : ecp_eng_succeed(e, err);
    }
    return ecp_eng_start_back(e, &e->batch, seen, true, e->call_time, err);
}

static int ph_reboot(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    const ec_strlist *planned = &e->batch;
    const ec_error *call = obs->error;
    char ids[160];

    e->call_time = obs->started;
    ec_strlist_join(planned, ", ", ids, sizeof(ids));
    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (!ecp_eng_failed(obs)) {
        if (obs->request_id) {
            if (!e->outcome.request_id || e->p.op == ECP_OP_GROUP) {
                free(e->outcome.request_id);
                e->outcome.request_id = ecp_strdup(obs->request_id);
                if (!e->outcome.request_id)
                    return ecp_eng_nomem(err);
            }
            if (ecp_eng_step_request_id(e, obs->request_id, err) != 0)
                return -1;
        }
        if (obs->cluster && obs->cluster->cache_nodes.set) {
            ec_cache_cluster *copy = ec_cache_cluster_dup(obs->cluster);
            if (!copy)
                return ecp_eng_nomem(err);
            ec_cache_cluster_free(e->cluster);
            e->cluster = copy;
        }
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                 "rebooting %s %s of %s", ecp_eng_plural(planned), ids, e->cid);
        return after_reboot(e, NULL, err);
    }
    e->call_error = *call;
    if (call->code == EC_ERR_SERVICE &&
        strcmp(call->aws_code, "InvalidCacheClusterState") == 0)
        /* Lost a race with another caller? Its reboot is as good as
         * ours: describe to see. */
        return ecp_eng_describe(e, ECP_PH_RACE, true, true, err);
    if (call->maybe_sent) {
        /* The request may have reached the service and its answer was
         * lost (reset, read timeout, 5xx, an unreadable 200): describe to
         * see, never send it again. */
        e->lost_answer = true;
        e->confirm_start = obs->now;
        return ecp_eng_describe(e, ECP_PH_CONFIRM, true, true, err);
    }
    /* The service said no, or the call provably never reached it: nothing
     * was rebooted. */
    forget_reboot(e);
    if (is_unsupported(call)) {
        e->outcome.decision = EC_DECIDE_UNSUPPORTED;
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                 "RebootCacheCluster is not supported for %s (%s)", e->cid,
                 call->aws_code);
    }
    return ecp_eng_fail(e, EC_OK, call, err, NULL);
}

static int ph_race(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    const ec_error *call = &e->call_error;
    ec_error why = {0};
    int rc;

    forget_reboot(e);
    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs))
        return ecp_eng_fail(e, EC_OK, obs->error, err, NULL);
    rc = ecp_eng_keep_cluster(e, obs, &why, err);
    if (rc != 0)
        return rc < 0 ? -1 : ecp_eng_fail(e, EC_OK, &why, err, NULL);
    /* Someone else's reboot is as good as ours only for a run that has
     * rebooted nothing yet: a later batch or member stops the run. */
    if (e->p.op == ECP_OP_REBOOT && e->reboots_sent == 1 &&
        (strstr(call->message, "rebooting") ||
         ecp_cluster_is_rebooting(e->cluster)))
        return already_rebooting(e,
                                 "another reboot was already in progress "
                                 "(InvalidCacheClusterState)",
                                 false, err);
    return ecp_eng_fail(e, EC_OK, call, err, NULL);
}

/* Evidence of our reboot in the cluster as read: planned nodes reading
 * rebooting go to `seen`; the cluster reading rebooting counts too. */
static int evidence_in_cluster(ecp_engine *e, ec_strlist *seen, bool *found,
                               ec_error *err)
{
    const ec_strlist *planned = &e->batch;
    size_t i;

    for (i = 0; i < planned->count; i++) {
        const ec_cache_node *n =
            ec_cache_cluster_find_node(e->cluster, planned->items[i]);
        if (ecp_eng_node_is(n, ECP_STATUS_NODE_REBOOTING)) {
            *found = true;
            if (ecp_eng_push_once(seen, planned->items[i], err) != 0)
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

    e->lost_answer = false;
    ec_strlist_join(&e->batch, ", ", ids, sizeof(ids));
    ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
             "rebooting %s %s of %s (the answer to RebootCacheCluster was "
             "lost; describing confirmed the reboot)",
             ecp_eng_plural(&e->batch), ids, e->cid);
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
    if (ecp_eng_elapsed(e) + pause + 1.0 <= window) {
        if (ecp_eng_report(e, EC_PROGRESS_WAITING, &e->batch, err,
                           "answer to RebootCacheCluster lost; describing to "
                           "see whether it took effect") != 0)
            return -1;
        return ecp_eng_sleep(e, ECP_PH_CONFIRM_SLEEP, pause, err);
    }
    if (last->code != EC_OK)
        return ecp_eng_fail(e, EC_OK, cause, err,
                            "RebootCacheCluster for %s may have reached the "
                            "service but its answer was lost (%.150s), and "
                            "describing the cluster to confirm it failed too "
                            "(%.150s): not sending it again, to avoid a "
                            "second reboot; check the cluster, then run again",
                            e->cid, cause->message, last->message);
    return ecp_eng_fail(e, EC_OK, cause, err,
                        "RebootCacheCluster for %s may have reached the "
                        "service but its answer was lost (%.180s), and "
                        "describing the cluster for %.0f s shows no reboot: "
                        "not sending it again, to avoid a second reboot; "
                        "check the cluster's events, then run again",
                        e->cid, cause->message,
                        ecp_time_sub(e->now, e->confirm_start));
}

static int ph_confirm(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ec_strlist seen = {0};
    bool found = false;
    int rc;

    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs)) {
        /* The service may be as unwell as it was for the reboot call:
         * keep asking within the window. */
        e->confirm_error = *obs->error;
        return confirm_next(e, err);
    }
    rc = ecp_eng_keep_cluster(e, obs, &e->confirm_error, err);
    if (rc != 0)
        return rc < 0 ? -1 : confirm_next(e, err);
    seen.set = true;
    rc = -1;
    if (evidence_in_cluster(e, &seen, &found, err) != 0)
        goto out;
    if (found)
        rc = confirmed(e, &seen, err);
    else
        rc = ecp_eng_read_events(
            e, ECP_PH_CONFIRM_EVENTS, e->cid,
            ecp_time_add(e->call_time, -ECP_CLOCK_SKEW_SECONDS), err);
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

    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs)) {
        e->confirm_error = *obs->error;
        return confirm_next(e, err);
    }
    seen.set = true;
    for (i = 0; ev && i < ev->count; i++) {
        if (!ecp_event_node_restarted(ev->items[i], e->cid, from, id,
                                      sizeof(id)) ||
            !ecp_strlist_contains(&e->batch, id))
            continue;
        found = true;
        if (ecp_eng_push_once(&seen, id, err) != 0)
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
    return ecp_eng_describe(e, ECP_PH_CONFIRM, true, true, err);
}

/* ------------------------------------------------------------------ */
/* The safe reboot: after a batch                                      */
/* ------------------------------------------------------------------ */

static const char *lost_note(const ecp_engine *e)
{
    return e->outcome.request_id ? ""
                                 : " (the answer to RebootCacheCluster was "
                                   "lost; describing confirmed the reboot)";
}

/* Every batch done: the run's message. */
static int reboot_finished(ecp_engine *e, ec_error *err)
{
    const ec_strlist *planned = &e->plan.node_ids;
    size_t batches = e->outcome.steps.count;
    char ids[160];

    ec_strlist_join(planned, ", ", ids, sizeof(ids));
    if (batches > 1)
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                 "rebooted %s %s of %s in %zu batches of at most %u, each "
                 "back and available before the next; done after %.0f s",
                 ecp_eng_plural(planned), ids, e->p.cluster_id, batches,
                 e->p.batch_size, ecp_eng_elapsed(e));
    else
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                 "rebooted %s %s of %s; available again after %.0f s%s",
                 ecp_eng_plural(planned), ids, e->p.cluster_id,
                 ecp_eng_elapsed(e), lost_note(e));
    return ecp_eng_succeed(e, err);
}

/* The next batch, from the cluster as the last poll read it: its nodes
 * must all read available (someone else's reboot of one stops the run:
 * it would be a second reboot of that node). */
static int next_batch(ecp_engine *e, ec_error *err)
{
    size_t i;

    if (cut_batch(e, e->batch_next, err) != 0)
        return -1;
    if (ecp_eng_step_begin(e, e->step_i + 1, err) != 0)
        return -1;
    /* A cluster that names a replication group it did not name when the
     * run began (one created around it) has had no role check: its role
     * is unknown, so nothing more is rebooted. */
    if (needs_role_check(e) && !e->group && !e->p.allow_primary_reboot)
        return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                            "%s now names replication group %s, which it "
                            "did not when the run began: stopping before "
                            "the next batch; run again so that its role is "
                            "checked",
                            e->cid, e->cluster->replication_group_id);
    for (i = 0; i < e->batch.count; i++) {
        const ec_cache_node *n =
            ec_cache_cluster_find_node(e->cluster, e->batch.items[i]);
        if (!ecp_eng_node_is(n, ECP_STATUS_AVAILABLE))
            return ecp_eng_fail(
                e, EC_ERR_WAIT_FAILURE, NULL, err,
                "node %s of %s, in the next batch, is %s, not "
                "available: stopping before rebooting it",
                e->batch.items[i], e->cid,
                n ? status_or(n->cache_node_status, "in no state") : "gone");
    }
    return ecp_eng_send_reboot(e, err);
}

static int batch_done(ecp_engine *e, ec_error *err)
{
    char ids[160];

    ec_strlist_join(&e->batch, ", ", ids, sizeof(ids));
    if (e->outcome.steps.count > 0 &&
        ecp_eng_step_end(e, EC_STEP_DONE, err,
                         "rebooted %s %s of %s; available after %.0f s%s",
                         ecp_eng_plural(&e->batch), ids, e->cid,
                         ecp_time_sub(e->now, e->step_t0), lost_note(e)) != 0)
        return -1;
    if (e->batch_next < e->plan.node_ids.count)
        return next_batch(e, err);
    return reboot_finished(e, err);
}

static int reboot_after_wait(ecp_engine *e, ec_error *err)
{
    ecp_probe_item *items = NULL;
    size_t n = 0, i;

    if (e->already) {
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                 "%s; not rebooted again; available after %.0f s", e->why,
                 ecp_eng_elapsed(e));
        return ecp_eng_succeed(e, err);
    }
    if (!e->p.probe)
        return batch_done(e, err);
    if (ecp_eng_probe_items(e->cluster, &e->batch, &items, &n, err) != 0)
        return -1;
    /* A replica of a group (its role was checked): its link to the
     * primary, not only that it answers. */
    for (i = 0; e->group && i < n; i++)
        if (ecp_eng_probe_link(&items[i], e->group, err) != 0) {
            ecp_eng_probe_items_free(items, n);
            return -1;
        }
    return ecp_eng_start_probes(e, items, n, ECP_PROBE_THEN_AFTER_WAIT, err);
}

/* The last batch went out and the run does not wait for it. */
static int reboot_after_reboot(ecp_engine *e, ec_error *err)
{
    char ids[160];

    if (e->outcome.steps.count > 1) {
        ec_strlist_join(&e->batch, ", ", ids, sizeof(ids));
        ecp_msgf(e->outcome.message, sizeof(e->outcome.message),
                 "rebooted %zu batches of %s, each back and available before "
                 "the next; the last (%s %s) is rebooting, not waited for",
                 e->outcome.steps.count - 1, e->p.cluster_id,
                 ecp_eng_plural(&e->batch), ids);
    }
    return ecp_eng_succeed(e, err);
}

static int reboot_after_probe(ecp_engine *e, ec_error *err)
{
    return batch_done(e, err);
}

/* ------------------------------------------------------------------ */
/* Waiting until rebooted nodes are back (shared)                      */
/* ------------------------------------------------------------------ */

int ecp_eng_start_back(ecp_engine *e, const ec_strlist *watch,
                       const ec_strlist *seen, bool evidence, ec_time since,
                       ec_error *err)
{
    ec_strlist copy = {0};
    size_t i;

    /* `watch` may be e->batch itself. */
    if (ecp_eng_copy_list(&copy, watch, err) != 0) {
        ec_strlist_clear(&copy);
        return -1;
    }
    ec_strlist_clear(&e->watched);
    e->watched = copy;
    free(e->restarted);
    e->restarted = calloc(e->watched.count + 1, sizeof(*e->restarted));
    if (!e->restarted)
        return ecp_eng_nomem(err);
    for (i = 0; i < e->watched.count; i++)
        e->restarted[i] =
            seen && ecp_strlist_contains(seen, e->watched.items[i]);
    e->evidence = evidence;
    e->back_since = since;
    return ecp_eng_describe(e, ECP_PH_BACK, true, true, err);
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
        if (!ecp_eng_node_is(
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
    const char *id = e->cid;
    const char *status =
        status_or(e->cluster->cache_cluster_status, "(no status)");
    bool restarted = all_restarted(e);
    bool ok =
        all_available(e) && restarted && (e->watched.count > 0 || e->evidence);
    char ids[256];

    not_restarted(e, ids, sizeof(ids));
    if (ecp_eng_report(e, EC_PROGRESS_WAITING, &e->watched, err,
                       "%s is %s; %s%s", id, status,
                       !restarted ? "not yet seen restarting: "
                       : e->watched.count > 0
                           ? "restart seen for every watched node"
                       : e->evidence ? "reboot seen"
                                     : "no reboot seen yet",
                       ids) != 0)
        return -1;
    if (ok) {
        const op_def *op = op_of(e->p.op);

        return op->after_wait ? op->after_wait(e, err)
                              : ecp_eng_succeed(e, err);
    }
    status = status_or(e->cluster->cache_cluster_status, "without status");
    if (ecp_eng_elapsed(e) + e->delay > e->budget) {
        if (restarted && !e->evidence)
            return ecp_eng_fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                                "timed out after %.0f s waiting for %s: no "
                                "node seen restarting (cluster is %s)",
                                ecp_eng_elapsed(e), id, status);
        if (!restarted)
            return ecp_eng_fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                                "timed out after %.0f s waiting for %s: "
                                "node(s) %s never seen restarting (cluster is "
                                "%s)",
                                ecp_eng_elapsed(e), id, ids, status);
        return ecp_eng_fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                            "timed out after %.0f s waiting for %s to be "
                            "available again (cluster is %s)",
                            ecp_eng_elapsed(e), id, status);
    }
    return ecp_eng_sleep(e, ECP_PH_BACK_SLEEP, e->delay, err);
}

static int ph_back(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    const ec_cache_cluster *c;
    ec_error why = {0};
    size_t i;
    int rc;

    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs))
        return ecp_eng_fail(e, EC_OK, obs->error, err, NULL);
    rc = ecp_eng_keep_cluster(e, obs, &why, err);
    if (rc != 0)
        return rc < 0 ? -1 : ecp_eng_fail(e, EC_OK, &why, err, NULL);
    c = e->cluster;
    if (ecp_cluster_status_is_failure(c->cache_cluster_status))
        return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                            "cluster %s is %s while waiting for its reboot",
                            e->cid, c->cache_cluster_status);
    for (i = 0; i < e->watched.count; i++) {
        const ec_cache_node *n =
            ec_cache_cluster_find_node(c, e->watched.items[i]);
        if (!n)
            return ecp_eng_fail(e, EC_ERR_WAIT_FAILURE, NULL, err,
                                "cache node %s is no longer in cluster %s",
                                e->watched.items[i], e->cid);
        if (ecp_eng_node_is(n, ECP_STATUS_NODE_REBOOTING))
            e->restarted[i] = true;
    }
    if (ecp_cluster_is_rebooting(c))
        e->evidence = true;
    for (i = 0; i < c->cache_nodes.count; i++)
        if (ecp_eng_node_is(c->cache_nodes.items[i], ECP_STATUS_NODE_REBOOTING))
            e->evidence = true;
    /* DescribeEvents only when the answer matters: everything reads
     * available but a restart was not seen (a reboot that finished
     * between polls, or an answer still showing the state from before
     * the call). */
    if (all_available(e) && (!all_restarted(e) || !e->evidence))
        return ecp_eng_read_events(
            e, ECP_PH_BACK_EVENTS, e->cid,
            ecp_time_add(e->back_since, -ECP_CLOCK_SKEW_SECONDS), err);
    return back_evaluate(e, err);
}

static int ph_back_events(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ec_time from = ecp_time_add(e->back_since, -ECP_CLOCK_SKEW_SECONDS);
    const ec_event_list *ev = obs->events;
    char id[16];
    size_t i, k;

    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs))
        return ecp_eng_fail(e, EC_OK, obs->error, err, NULL);
    for (i = 0; ev && i < ev->count; i++) {
        if (!ecp_event_node_restarted(ev->items[i], e->cid, from, id,
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
    return ecp_eng_describe(e, ECP_PH_BACK, true, true, err);
}

static int wait_reboot_start(ecp_engine *e, ec_error *err)
{
    return ecp_eng_start_back(e, e->p.watch, NULL, false, e->p.since, err);
}

/* ------------------------------------------------------------------ */
/* Probing the nodes of a reboot through the caller's hook (shared)    */
/* ------------------------------------------------------------------ */

void ecp_eng_probe_items_free(ecp_probe_item *items, size_t count)
{
    size_t i;

    for (i = 0; items && i < count; i++) {
        free(items[i].cluster_id);
        free(items[i].node_id);
        free(items[i].engine);
        free(items[i].address);
        free(items[i].primary_id);
        free(items[i].primary_address);
    }
    free(items);
}

static int dup_into(char **dst, const char *src)
{
    if (!src)
        return 0;
    *dst = strdup(src);
    return *dst ? 0 : -1;
}

/* The endpoint of the primary member, as the group shows it. */
static void primary_endpoint(const ec_replication_group *g, const char **id,
                             const char **address, int *port)
{
    const ec_node_group_member *p = ecp_group_primary(g);

    *id = p ? p->cache_cluster_id : NULL;
    *address = p && p->read_endpoint ? p->read_endpoint->address : NULL;
    *port = p && p->read_endpoint && p->read_endpoint->port.set
                ? (int)p->read_endpoint->port.value
                : 0;
}

int ecp_eng_probe_items(const ec_cache_cluster *cluster, const ec_strlist *ids,
                        ecp_probe_item **out, size_t *count, ec_error *err)
{
    ecp_probe_item *items = calloc(ids->count + 1, sizeof(*items));
    size_t i;

    *out = NULL;
    *count = 0;
    if (!items)
        return ecp_eng_nomem(err);
    for (i = 0; i < ids->count; i++) {
        const ec_cache_node *n =
            ec_cache_cluster_find_node(cluster, ids->items[i]);
        ecp_probe_item *it = &items[i];

        it->check = EC_NODE_CHECK_ANSWERS;
        if (dup_into(&it->cluster_id, cluster->cache_cluster_id) != 0 ||
            dup_into(&it->node_id, ids->items[i]) != 0 ||
            dup_into(&it->engine, cluster->engine) != 0 ||
            (n && n->endpoint &&
             dup_into(&it->address, n->endpoint->address) != 0)) {
            ecp_eng_probe_items_free(items, ids->count);
            return ecp_eng_nomem(err);
        }
        if (n && n->endpoint && n->endpoint->port.set)
            it->port = (int)n->endpoint->port.value;
    }
    *out = items;
    *count = ids->count;
    return 0;
}

int ecp_eng_probe_link(ecp_probe_item *it, const ec_replication_group *g,
                       ec_error *err)
{
    const char *pid, *paddr;
    int pport;

    primary_endpoint(g, &pid, &paddr, &pport);
    it->check = EC_NODE_CHECK_REPLICA_LINK;
    free(it->primary_id);
    free(it->primary_address);
    it->primary_id = it->primary_address = NULL;
    if (dup_into(&it->primary_id, pid) != 0 ||
        dup_into(&it->primary_address, paddr) != 0)
        return ecp_eng_nomem(err);
    it->primary_port = pport;
    return 0;
}

/* The next item of this round that has not passed, from probe_i on. */
static int probe_next(ecp_engine *e, ec_error *err)
{
    const ecp_probe_item *it;
    ecp_action *a;

    while (e->probe_i < e->probe_count && e->probes[e->probe_i].ok)
        e->probe_i++;
    if (e->probe_i >= e->probe_count)
        return 1;
    it = &e->probes[e->probe_i];
    a = ecp_eng_queue(e, ECP_ACT_PROBE_NODE);
    if (!a)
        return ecp_eng_internal(err, "action queue full");
    a->cluster_id = it->cluster_id;
    a->node_id = it->node_id;
    a->engine = it->engine;
    a->address = it->address;
    a->port = it->port;
    a->check = it->check;
    a->group_id = it->check == EC_NODE_CHECK_REPLICA_LINK && e->group
                      ? e->group->replication_group_id
                      : NULL;
    a->primary_id = it->primary_id;
    a->primary_address = it->primary_address;
    a->primary_port = it->primary_port;
    a->call_timeout = ecp_eng_call_timeout(e);
    e->phase = ECP_PH_PROBE;
    return 0;
}

static int probes_passed(ecp_engine *e, ec_error *err)
{
    const op_def *op = op_of(e->p.op);

    ecp_eng_probe_items_free(e->probes, e->probe_count);
    e->probes = NULL;
    e->probe_count = e->probe_i = 0;
    if (!op->after_probe)
        return ecp_eng_internal(err, "an operation without probes probed");
    return op->after_probe(e, err);
}

int ecp_eng_start_probes(ecp_engine *e, ecp_probe_item *items, size_t count,
                         ecp_probe_then then, ec_error *err)
{
    int rc;

    ecp_eng_probe_items_free(e->probes, e->probe_count);
    e->probes = items;
    e->probe_count = count;
    e->probe_i = 0;
    e->probe_then = then;
    e->probe_t0 = e->now;
    rc = probe_next(e, err);
    if (rc < 0)
        return -1;
    return rc == 0 ? 0 : probes_passed(e, err);
}

/* "0001 of X (master_link_status:down)", for every item not passed. */
static void probes_failing(const ecp_engine *e, char *buf, size_t size)
{
    size_t i, len = 0;

    buf[0] = '\0';
    for (i = 0; i < e->probe_count && len < size; i++) {
        const ecp_probe_item *it = &e->probes[i];
        int n;
        if (it->ok)
            continue;
        n = snprintf(buf + len, size - len, "%s%s of %s (%s)", len ? ", " : "",
                     it->node_id, it->cluster_id,
                     it->detail[0] ? it->detail : "no answer");
        if (n < 0)
            break;
        len += (size_t)n;
    }
    if (len >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
}

/* A round that checks a replica's link (the replica link timeout bounds
 * it), not only that nodes answer. */
static bool link_round(const ecp_engine *e)
{
    for (size_t i = 0; i < e->probe_count; i++)
        if (e->probes[i].check == EC_NODE_CHECK_REPLICA_LINK)
            return true;
    return false;
}

static int ph_probe(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ecp_probe_item *it = &e->probes[e->probe_i];
    double pause = e->delay;
    char what[320];
    size_t i;
    int rc;

    it->ok = obs->probe_ok;
    ecp_msgf(it->detail, sizeof(it->detail), "%s",
             obs->detail ? obs->detail : "");
    e->probe_i++;
    rc = probe_next(e, err);
    if (rc <= 0)
        return rc;
    /* The round is over. */
    for (i = 0; i < e->probe_count; i++)
        if (!e->probes[i].ok)
            break;
    if (i == e->probe_count)
        return probes_passed(e, err);
    probes_failing(e, what, sizeof(what));
    if (link_round(e) && e->p.link_timeout > 0) {
        double waited = ecp_time_sub(e->now, e->probe_t0);

        /* Fail closed at the bound: a replica that has not synced by then
         * is not promoted, and nothing after it is rebooted. */
        if (waited >= e->p.link_timeout) {
            const ecp_probe_item *bad = e->probes;

            while (bad->ok && bad + 1 < e->probes + e->probe_count)
                bad++;
            return ecp_eng_fail(
                e, EC_ERR_WAIT_FAILURE, NULL, err,
                "replica link timeout: %s (node %s) did not show its link "
                "to the primary up and synced within %.0f s %s; last probe: "
                "%s; stopping before anything else is rebooted or promoted",
                bad->cluster_id, bad->node_id, e->p.link_timeout,
                e->probe_then == ECP_PROBE_THEN_MODIFY
                    ? "before the primary was to move to it"
                    : "of being back and available",
                bad->detail[0] ? bad->detail : "no answer");
        }
        /* The last probe falls on the bound, not a delay past it. */
        if (e->p.link_timeout - waited < pause)
            pause = e->p.link_timeout - waited;
    }
    if (ecp_eng_elapsed(e) + pause > e->budget)
        return ecp_eng_fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                            "timed out after %.0f s waiting for the probe to "
                            "pass on %s",
                            ecp_eng_elapsed(e), what);
    if (ecp_eng_report(e, EC_PROGRESS_WAITING, &e->batch, err,
                       "not passing the probe yet: %s", what) != 0)
        return -1;
    return ecp_eng_sleep(e, ECP_PH_PROBE_SLEEP, pause, err);
}

static int ph_probe_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    int rc;

    ECP_UNUSED(obs);
    e->probe_i = 0;
    rc = probe_next(e, err);
    if (rc < 0)
        return -1;
    return rc == 0 ? 0 : probes_passed(e, err);
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
    return ecp_eng_fail(e, code, cause, err, "Waiter %s failed: %s",
                        AVAILABLE_WAITER, reason);
}

static int available_start(ecp_engine *e, ec_error *err)
{
    e->attempts = 1;
    /* One page, no ShowCacheNodeInfo, as the AWS CLI sends; a waiter's
     * calls are not bounded by its timeout, as botocore's are not. */
    return ecp_eng_describe(e, ECP_PH_AVAILABLE, false, false, err);
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

    if (ecp_eng_obs_nomem(obs, err))
        return -1;
    if (ecp_eng_failed(obs)) {
        const ec_error *call = obs->error;
        if (call->code != EC_ERR_SERVICE)
            return ecp_eng_fail(e, EC_OK, call, err, NULL);
        ecp_msgf(reason, sizeof(reason), "An error occurred (%s): %s",
                 call->aws_code, call->message);
        return waiter_fail(e, EC_ERR_WAIT_FAILURE, call, err, reason);
    }
    ec_cache_cluster_free(e->cluster);
    e->cluster = NULL;
    if (n > 0) {
        e->cluster = ec_cache_cluster_dup(l->items[0]);
        if (!e->cluster)
            return ecp_eng_nomem(err);
    }
    if (ecp_eng_report(e, EC_PROGRESS_WAITING, NULL, err,
                       "waiting for the cluster to be available") != 0)
        return -1;
    every = n > 0;
    for (i = 0; i < n; i++) {
        const char *s = l->items[i]->cache_cluster_status;
        if (!s || strcmp(s, ECP_STATUS_AVAILABLE) != 0)
            every = false;
    }
    if (every)
        return ecp_eng_succeed(e, err);
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
    if (ecp_eng_elapsed(e) + e->delay > e->budget)
        return waiter_fail(e, EC_ERR_WAIT_TIMEOUT, NULL, err,
                           "Max attempts exceeded (the wait timeout would pass "
                           "before the next attempt)");
    return ecp_eng_sleep(e, ECP_PH_AVAILABLE_SLEEP, e->delay, err);
}

static int ph_available_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err)
{
    ECP_UNUSED(obs);
    e->attempts++;
    return ecp_eng_describe(e, ECP_PH_AVAILABLE, false, false, err);
}

/* ------------------------------------------------------------------ */
/* The tables and the step                                             */
/* ------------------------------------------------------------------ */

/* Indexed by ecp_op. A new operation is a new row (and its phases). */
static const op_def ops[] = {
    [ECP_OP_REBOOT] = {"reboot", reboot_start, reboot_after_reboot,
                       reboot_after_wait, reboot_after_probe},
    [ECP_OP_WAIT_AVAILABLE] = {"wait-available", available_start, NULL, NULL,
                               NULL},
    [ECP_OP_WAIT_REBOOT] = {"wait-reboot", wait_reboot_start, NULL, NULL, NULL},
    [ECP_OP_GROUP] = {"reboot-group", ecp_group_start, ecp_group_after_reboot,
                      ecp_group_after_wait, ecp_group_after_probe},
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
    [ECP_PH_PLAN_GROUP] = {"plan-group", ECP_OBS_GROUP, ph_plan_group},
    [ECP_PH_PROBE] = {"probe", ECP_OBS_PROBED, ph_probe},
    [ECP_PH_PROBE_SLEEP] = {"probe-sleep", ECP_OBS_SLEPT, ph_probe_sleep},
    [ECP_PH_G_DESCRIBE] = {"group-describe", ECP_OBS_GROUP, ecp_ph_g_describe},
    [ECP_PH_G_BUSY_SLEEP] = {"group-busy-sleep", ECP_OBS_SLEPT,
                             ecp_ph_g_busy_sleep},
    [ECP_PH_G_MEMBER_PLAN] = {"group-member-plan", ECP_OBS_CLUSTERS,
                              ecp_ph_g_member_plan},
    [ECP_PH_G_PLAN_EVENTS] = {"group-plan-events", ECP_OBS_EVENTS,
                              ecp_ph_g_plan_events},
    [ECP_PH_G_CHECK] = {"group-check", ECP_OBS_GROUP, ecp_ph_g_check},
    [ECP_PH_G_CHECK_SLEEP] = {"group-check-sleep", ECP_OBS_SLEPT,
                              ecp_ph_g_check_sleep},
    [ECP_PH_G_MEMBER] = {"group-member", ECP_OBS_CLUSTERS, ecp_ph_g_member},
    [ECP_PH_G_MEMBER_SLEEP] = {"group-member-sleep", ECP_OBS_SLEPT,
                               ecp_ph_g_member_sleep},
    [ECP_PH_G_MODIFY] = {"group-modify", ECP_OBS_MODIFIED, ecp_ph_g_modify},
    [ECP_PH_G_MODIFY_WAIT] = {"group-modify-wait", ECP_OBS_GROUP,
                              ecp_ph_g_modify_wait},
    [ECP_PH_G_MODIFY_SLEEP] = {"group-modify-sleep", ECP_OBS_SLEPT,
                               ecp_ph_g_modify_sleep},
};

static const op_def *op_of(ecp_op op)
{
    return &ops[op];
}

const char *ecp_phase_name(ecp_phase phase)
{
    return phase < ECP_PH_COUNT && phases[phase].name ? phases[phase].name
                                                      : "unknown";
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
        return "modify";
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
    e->cid = params->cluster_id;
    e->delay = params->delay > 0 ? params->delay : ECP_DEFAULT_DELAY;
    if (e->p.max_attempts <= 0)
        e->p.max_attempts = ECP_DEFAULT_MAX_ATTEMPTS;
    e->budget = params->budget > 0 ? params->budget : ECP_DEFAULT_BUDGET;
    e->outcome.rebooted.set = true;
    e->watched.set = true;
    e->batch.set = true;
    return 0;
}

void ecp_engine_clear(ecp_engine *e)
{
    if (!e)
        return;
    ecp_group_clear(e);
    ec_cache_cluster_free(e->cluster);
    ecp_reboot_plan_clear(&e->plan);
    ec_strlist_clear(&e->watched);
    ec_strlist_clear(&e->batch);
    free(e->restarted);
    ecp_eng_probe_items_free(e->probes, e->probe_count);
    ec_strlist_clear(&e->outcome.rebooted);
    free(e->outcome.request_id);
    ecp_cluster_status_clear(&e->outcome.before);
    ecp_reboot_steps_clear(&e->outcome.steps);
    ec_replication_group_free(e->outcome.group_before);
    free(e->outcome.primary_before);
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
            return ecp_eng_internal(err, "a report was answered with another "
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
            return ecp_eng_internal(err, "the first observation must be "
                                         "START");
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
            return ecp_eng_internal(err, what);
        }
        rc = ph->handle(e, obs, err);
    }
    if (rc != 0)
        return -1;
    /* Reports come first and something always follows them. */
    if (e->queued == 0 || e->queue[e->queued - 1].kind == ECP_ACT_REPORT)
        return ecp_eng_internal(err, "a step queued no action");
    *act = e->queue[e->next++];
    return 0;
}
