/*
 * The safe, idempotent reboot every tool uses: describe, plan, act once,
 * confirm a lost answer by describing (never by sending again), wait.
 */
#include "waiter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "client.h"
#include "transport.h"

#define DEFAULT_WAIT_TIMEOUT 900.0
#define DEFAULT_WAIT_DELAY 15.0
/* Without `wait`, how long a lost RebootCacheCluster answer is confirmed
 * by describing before giving up (capped by wait_timeout). */
#define CONFIRM_WINDOW 60.0

typedef struct run {
    ec_client *client;
    ec_reboot_options opts;  /* the caller's, imported */
    ec_reboot_policy policy; /* the caller's (or every node), imported */
    const ec_reboot_options *o;
    ec_reboot_result *r;
    ec_time t0;
    double timeout;
    double delay;
    char id[64];
    ec_cache_cluster *cluster; /* latest describe, NULL before the first */
    ec_reboot_plan plan;
} run;

static double elapsed(run *x)
{
    return ecp_time_sub(ec_client_now(x->client), x->t0);
}

static double remaining(run *x)
{
    return x->timeout - elapsed(x);
}

static void progress(run *x, ec_progress_phase phase,
                     const ec_cache_cluster *cluster, const ec_strlist *watched,
                     const char *message)
{
    ec_progress p;

    if (!x->o->progress)
        return;
    memset(&p, 0, sizeof(p));
    p.phase = phase;
    p.elapsed = elapsed(x);
    p.cluster = cluster;
    p.watched_node_ids = watched;
    p.message = message;
    x->o->progress(x->o->progress_userdata, &p);
}

static int nomem(ec_error *err)
{
    return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
}

static int copy_list(ec_strlist *dst, const ec_strlist *src, ec_error *err)
{
    size_t i;

    ec_strlist_clear(dst);
    dst->set = true;
    for (i = 0; i < src->count; i++)
        if (ec_strlist_push(dst, src->items[i]) != 0)
            return nomem(err);
    return 0;
}

/* Describe (with node info), read restart events when the policy needs
 * them, and plan. */
static int describe_and_plan(run *x, ec_error *err)
{
    ec_describe_events_output *ev = NULL;
    const ec_reboot_policy *pol = &x->policy;
    int rc = -1;

    if (ecp_describe_one(x->client, x->id, true, &x->cluster, NULL, err) != 0)
        goto out;
    if (pol->unless_rebooted_since.set) {
        ec_describe_events_input in = EC_DESCRIBE_EVENTS_INPUT_INIT;
        in.source_identifier = x->id;
        in.source_type = "cache-cluster";
        in.start_time = pol->unless_rebooted_since;
        if (ecp_describe_events_all(x->client, &in, &ev, err) != 0)
            goto out;
    }
    ecp_reboot_plan_clear(&x->plan);
    if (ecp_reboot_plan_make(x->cluster, ev ? &ev->events : NULL, pol, &x->plan,
                             err) != 0)
        goto out;
    rc = 0;
out:
    ec_describe_events_output_free(ev);
    return rc;
}

/* With `wait`: poll until the cluster leaves its transitional state, then
 * plan again; bounded by the wait timeout. */
static int wait_until_not_busy(run *x, ec_error *err)
{
    while (x->plan.decision == EC_DECIDE_BUSY) {
        const char *s = x->cluster->cache_cluster_status;
        if (ecp_cluster_status_is_failure(s))
            return ecp_error_set(err, EC_ERR_WAIT_FAILURE,
                                 "cluster %s is %s: it will not become "
                                 "available",
                                 x->id, s);
        if (remaining(x) < x->delay)
            return ecp_error_set(err, EC_ERR_WAIT_TIMEOUT,
                                 "timed out after %.0f s waiting for %s to be "
                                 "available before rebooting: %s",
                                 elapsed(x), x->id, x->plan.reason);
        progress(x, EC_PROGRESS_WAITING, x->cluster, NULL, x->plan.reason);
        ecp_client_sleep(x->client, x->delay);
        if (describe_and_plan(x, err) != 0)
            return -1;
    }
    return 0;
}

/* Nodes of the latest describe that read "rebooting". */
static int rebooting_nodes(const ec_cache_cluster *c, ec_strlist *out,
                           ec_error *err)
{
    size_t i;

    out->set = true;
    for (i = 0; i < c->cache_nodes.count; i++) {
        const ec_cache_node *n = c->cache_nodes.items[i];
        if (n->cache_node_id && n->cache_node_status &&
            strcmp(n->cache_node_status, ECP_STATUS_NODE_REBOOTING) == 0 &&
            ec_strlist_push(out, n->cache_node_id) != 0)
            return nomem(err);
    }
    return 0;
}

static ec_wait_options wait_options(run *x)
{
    ec_wait_options w = EC_WAIT_OPTIONS_INIT;

    w.delay = x->delay;
    w.max_attempts = 1 << 30; /* bounded by time, not attempts */
    w.timeout = x->timeout;   /* counted from x->t0 by ecp_wait_reboot */
    w.progress = x->o->progress;
    w.progress_userdata = x->o->progress_userdata;
    return w;
}

/* Wait for `watched` (already seen restarting: `seen`) to be back; with
 * no node to watch, for the cluster, after a sign of the reboot unless
 * `evidence` says one was seen. */
static int wait_back(run *x, const ec_strlist *watched, const ec_strlist *seen,
                     bool evidence, ec_time since, ec_error *err)
{
    ec_wait_options w = wait_options(x);

    return ecp_wait_reboot(x->client, x->id, watched, seen, evidence, since,
                           x->t0, &w, &x->cluster, err);
}

/* A reboot someone else started: report it, and with `wait` wait for the
 * nodes seen rebooting (or, if none is shown yet, the cluster). `seen` is
 * false when only the service's error said so and our describe may still
 * show the state from before that reboot. */
static int already_rebooting(run *x, const char *why, bool seen, ec_error *err)
{
    ec_strlist nodes = {0};
    int rc = -1;

    x->r->decision = EC_DECIDE_ALREADY_REBOOTING;
    x->r->changed = false;
    ec_strlist_clear(&x->r->rebooted_node_ids);
    x->r->rebooted_node_ids.set = true;
    ecp_msgf(x->r->message, sizeof(x->r->message), "%s; not rebooted again",
             why);
    if (!x->o->wait || x->o->check_mode) {
        rc = 0;
        goto out;
    }
    if (rebooting_nodes(x->cluster, &nodes, err) != 0)
        goto out;
    seen = seen || nodes.count > 0 || ecp_cluster_is_rebooting(x->cluster);
    if (wait_back(x, &nodes, &nodes, seen, x->t0, err) != 0)
        goto out;
    ecp_msgf(x->r->message, sizeof(x->r->message),
             "%s; not rebooted again; available after %.0f s", why, elapsed(x));
    rc = 0;
out:
    ec_strlist_clear(&nodes);
    return rc;
}

/* Evidence that our reboot took effect: the cluster or a planned node
 * reads rebooting, or a planned node has a restart event since the call.
 * Nodes with evidence go to `seen`. */
static int reboot_evidence(run *x, ec_time call_time, ec_strlist *seen,
                           bool *found, ec_error *err)
{
    ec_describe_events_input in = EC_DESCRIBE_EVENTS_INPUT_INIT;
    ec_describe_events_output *ev = NULL;
    ec_time from = ecp_time_add(call_time, -ECP_CLOCK_SKEW_SECONDS);
    const ec_strlist *planned = &x->plan.node_ids;
    char id[16];
    size_t i;
    int rc = -1;

    *found = false;
    if (ecp_describe_one(x->client, x->id, true, &x->cluster, NULL, err) != 0)
        goto out;
    for (i = 0; i < planned->count; i++) {
        const ec_cache_node *n =
            ec_cache_cluster_find_node(x->cluster, planned->items[i]);
        if (n && n->cache_node_status &&
            strcmp(n->cache_node_status, ECP_STATUS_NODE_REBOOTING) == 0) {
            *found = true;
            if (!ecp_strlist_contains(seen, planned->items[i]) &&
                ec_strlist_push(seen, planned->items[i]) != 0) {
                nomem(err);
                goto out;
            }
        }
    }
    if (ecp_cluster_is_rebooting(x->cluster))
        *found = true;
    if (*found) {
        rc = 0;
        goto out;
    }
    in.source_identifier = x->id;
    in.source_type = "cache-cluster";
    in.start_time = from;
    if (ecp_describe_events_all(x->client, &in, &ev, err) != 0)
        goto out;
    for (i = 0; i < ev->events.count; i++) {
        if (!ecp_event_node_restarted(ev->events.items[i], x->id, from, id,
                                      sizeof(id)) ||
            !ecp_strlist_contains(planned, id))
            continue;
        *found = true;
        if (!ecp_strlist_contains(seen, id) && ec_strlist_push(seen, id) != 0) {
            nomem(err);
            goto out;
        }
    }
    rc = 0;
out:
    ec_describe_events_output_free(ev);
    return rc;
}

/*
 * The answer to RebootCacheCluster was lost after the request may have
 * reached the service. Describe (and read events) until there is evidence
 * the reboot took effect, for the wait budget (or CONFIRM_WINDOW without
 * wait). Never send it again: without evidence, fail and say so.
 */
static int confirm_lost_answer(run *x, const ec_error *cause, ec_time call_time,
                               ec_strlist *seen, ec_error *err)
{
    double window = x->o->wait ? remaining(x) : CONFIRM_WINDOW;
    ec_time start = ec_client_now(x->client);
    ec_error last = {0};
    bool found = false;

    if (!x->o->wait && window > x->timeout)
        window = x->timeout;
    for (;;) {
        ec_error e = {0};
        if (reboot_evidence(x, call_time, seen, &found, &e) == 0) {
            if (found)
                return 0;
        } else if (e.code == EC_ERR_NOMEM) {
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        } else {
            /* The service may be as unwell as it was for the reboot call:
             * keep asking within the window. */
            last = e;
        }
        if (ecp_time_sub(ec_client_now(x->client), start) + x->delay > window)
            break;
        progress(x, EC_PROGRESS_WAITING, x->cluster, &x->plan.node_ids,
                 "answer to RebootCacheCluster lost; describing to see "
                 "whether it took effect");
        ecp_client_sleep(x->client, x->delay);
    }
    if (err && err->code == EC_OK) {
        *err = *cause;
        if (last.code != EC_OK)
            ecp_msgf(
                err->message, sizeof(err->message),
                "RebootCacheCluster for %s may have reached the service but "
                "its answer was lost (%.150s), and describing the cluster to "
                "confirm it failed too (%.150s): not sending it again, to "
                "avoid a second reboot; check the cluster, then run again",
                x->id, cause->message, last.message);
        else
            ecp_msgf(
                err->message, sizeof(err->message),
                "RebootCacheCluster for %s may have reached the service but "
                "its answer was lost (%.180s), and describing the cluster "
                "shows no reboot: not sending it again, to avoid a second "
                "reboot; check the cluster's events, then run again",
                x->id, cause->message);
    }
    return -1;
}

static bool says_rebooting(const ec_error *e)
{
    return strstr(e->message, "rebooting") != NULL;
}

/* RebootCacheCluster rejected for a Redis cluster-mode-enabled member:
 * the cluster alone cannot tell (ReplicationGroupId is set for
 * cluster-mode-disabled replicas too), so the service's answer decides. */
static bool is_unsupported(const ec_error *e)
{
    if (e->code != EC_ERR_SERVICE)
        return false;
    if (strcmp(e->aws_code, "InvalidParameterCombination") == 0)
        return true;
    return strcmp(e->aws_code, "InvalidParameterValue") == 0 &&
           (strstr(e->message, "cluster mode") ||
            strstr(e->message, "cluster-mode") ||
            strstr(e->message, "replication group"));
}

static int act(run *x, ec_error *err)
{
    ec_reboot_cache_cluster_input in = EC_REBOOT_CACHE_CLUSTER_INPUT_INIT;
    ec_reboot_cache_cluster_output *out = NULL;
    ec_error call = {0};
    ec_strlist seen = {0};
    ec_time call_time;
    char ids[160];
    int rc = -1;

    in.cache_cluster_id = x->id;
    in.cache_node_ids_to_reboot = (const char *const *)x->plan.node_ids.items;
    in.cache_node_id_count = x->plan.node_ids.count;
    ec_strlist_join(&x->plan.node_ids, ", ", ids, sizeof(ids));
    seen.set = true;

    call_time = ec_client_now(x->client);
    if (ecp_reboot_cache_cluster(x->client, &in, &out, &call) == 0) {
        x->r->request_id = out->request_id;
        out->request_id = NULL;
        if (out->cache_cluster && out->cache_cluster->cache_nodes.set) {
            ec_cache_cluster_free(x->cluster);
            x->cluster = out->cache_cluster;
            out->cache_cluster = NULL;
        }
        ecp_msgf(x->r->message, sizeof(x->r->message), "rebooting %s %s of %s",
                 x->plan.node_ids.count == 1 ? "node" : "nodes", ids, x->id);
    } else if (call.code == EC_ERR_SERVICE &&
               strcmp(call.aws_code, "InvalidCacheClusterState") == 0) {
        /* Lost a race with another caller? Its reboot is as good as ours. */
        if (ecp_describe_one(x->client, x->id, true, &x->cluster, NULL, err) !=
            0)
            goto out;
        if (says_rebooting(&call) || ecp_cluster_is_rebooting(x->cluster)) {
            rc = already_rebooting(x,
                                   "another reboot was already in progress "
                                   "(InvalidCacheClusterState)",
                                   false, err);
            goto out;
        }
        if (err && err->code == EC_OK)
            *err = call;
        goto out;
    } else if (is_unsupported(&call)) {
        x->r->decision = EC_DECIDE_UNSUPPORTED;
        ecp_msgf(x->r->message, sizeof(x->r->message),
                 "RebootCacheCluster is not supported for %s (%s)", x->id,
                 call.aws_code);
        if (err && err->code == EC_OK)
            *err = call;
        goto out;
    } else if (call.maybe_sent) {
        if (confirm_lost_answer(x, &call, call_time, &seen, err) != 0)
            goto out;
        ecp_msgf(x->r->message, sizeof(x->r->message),
                 "rebooting %s %s of %s (the answer to RebootCacheCluster was "
                 "lost; describing confirmed the reboot)",
                 x->plan.node_ids.count == 1 ? "node" : "nodes", ids, x->id);
    } else {
        if (err && err->code == EC_OK)
            *err = call;
        goto out;
    }

    x->r->changed = true;
    progress(x, EC_PROGRESS_REBOOT_SENT, x->cluster, &x->plan.node_ids,
             x->r->message);
    if (x->o->wait) {
        if (wait_back(x, &x->plan.node_ids, &seen, true, call_time, err) != 0)
            goto out;
        ecp_msgf(x->r->message, sizeof(x->r->message),
                 "rebooted %s %s of %s; available again after %.0f s%s",
                 x->plan.node_ids.count == 1 ? "node" : "nodes", ids, x->id,
                 elapsed(x),
                 x->r->request_id
                     ? ""
                     : " (the answer to RebootCacheCluster was lost; "
                       "describing confirmed the reboot)");
    }
    rc = 0;
out:
    /* Nothing was rebooted when the service answered no, or the call
     * provably never reached it: say so in the node list too. An unconfirmed
     * lost answer keeps the list: those nodes may be rebooting. */
    if (rc != 0 && !x->r->changed && !call.maybe_sent) {
        ec_strlist_clear(&x->r->rebooted_node_ids);
        x->r->rebooted_node_ids.set = true;
    }
    ec_strlist_clear(&seen);
    ec_reboot_cache_cluster_output_free(out);
    return rc;
}

/* Import the caller's options and policy (the ABI boundary) and check
 * them before anything is sent. */
static int check_options(run *x, ec_client *client,
                         const ec_reboot_options *options,
                         ec_reboot_result **result, ec_error *err)
{
    const ec_reboot_options *o = &x->opts;
    const ec_reboot_policy *p = &x->policy;
    size_t i;

    if (!client || !options || !result)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "ec_reboot: client, options and result are "
                             "required");
    if (ecp_struct_import(&ecp_info_reboot_options, &x->opts, options, err) !=
            0 ||
        ecp_struct_import(&ecp_info_reboot_policy, &x->policy, o->policy,
                          err) != 0)
        return -1;
    x->opts.policy = &x->policy;
    if (ec_validate_cache_cluster_id(o->cache_cluster_id, x->id, sizeof(x->id),
                                     err) != 0)
        return -1;
    if (p->node_count > 0 && !p->node_ids)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "node_count is %zu but node_ids is NULL",
                             p->node_count);
    for (i = 0; i < p->node_count; i++)
        if (ec_validate_cache_node_id(p->node_ids[i], err) != 0)
            return -1;
    if (o->wait_timeout < 0 || o->wait_delay < 0)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "wait timeout and delay must not be negative");
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

int ec_reboot(ec_client *client, const ec_reboot_options *options,
              ec_reboot_result **resultp, ec_error *err)
{
    ec_reboot_result *result;
    run x;
    char ids[160];
    int rc = -1;

    memset(&x, 0, sizeof(x));
    if (resultp)
        *resultp = NULL;
    if (check_options(&x, client, options, resultp, err) != 0)
        return -1;
    result = result_new();
    if (!result)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    *resultp = result;
    options = &x.opts;
    result->check_mode = options->check_mode;
    result->wait = options->wait;
    x.client = client;
    x.o = options;
    x.r = result;
    x.t0 = ec_client_now(client);
    x.timeout = options->wait_timeout > 0 ? options->wait_timeout
                                          : DEFAULT_WAIT_TIMEOUT;
    x.delay =
        options->wait_delay > 0 ? options->wait_delay : DEFAULT_WAIT_DELAY;

    if (describe_and_plan(&x, err) != 0)
        goto out;
    if (ecp_cluster_status_from(result->before, x.cluster, err) != 0)
        goto out;
    progress(&x, EC_PROGRESS_DESCRIBED, x.cluster, &x.plan.node_ids,
             x.plan.reason);
    if (options->wait && !options->check_mode &&
        wait_until_not_busy(&x, err) != 0)
        goto out;

    result->decision = x.plan.decision;
    switch (x.plan.decision) {
    case EC_DECIDE_REBOOT:
        if (copy_list(&result->rebooted_node_ids, &x.plan.node_ids, err) != 0)
            goto out;
        if (options->check_mode) {
            ec_strlist_join(&x.plan.node_ids, ", ", ids, sizeof(ids));
            result->changed = true;
            ecp_msgf(result->message, sizeof(result->message),
                     "would reboot %s %s of %s (check mode)",
                     x.plan.node_ids.count == 1 ? "node" : "nodes", ids, x.id);
            break;
        }
        if (act(&x, err) != 0)
            goto out;
        break;
    case EC_DECIDE_ALREADY_REBOOTING:
        if (already_rebooting(&x, x.plan.reason, true, err) != 0)
            goto out;
        break;
    case EC_DECIDE_BUSY:
        ecp_msgf(result->message, sizeof(result->message),
                 "%s; nothing rebooted (wait to reboot once it is available)",
                 x.plan.reason);
        break;
    case EC_DECIDE_NOTHING_PENDING:
    case EC_DECIDE_RECENTLY_REBOOTED:
    case EC_DECIDE_UNSUPPORTED:
        ecp_msgf(result->message, sizeof(result->message),
                 "%s; nothing "
                 "rebooted",
                 x.plan.reason);
        break;
    }
    rc = 0;
out:
    /* Whatever happened, report the last state read. */
    if (x.cluster && x.cluster->cache_cluster_id) {
        ecp_cluster_status_from(result->after, x.cluster, NULL);
        ec_cache_cluster_free(result->cluster);
        result->cluster = x.cluster;
        x.cluster = NULL;
    }
    if (rc != 0 && !result->message[0] && err && err->message[0])
        ecp_msgf(result->message, sizeof(result->message), "%s", err->message);
    progress(&x, EC_PROGRESS_DONE, result->cluster, &result->rebooted_node_ids,
             result->message);
    ecp_reboot_plan_clear(&x.plan);
    ec_cache_cluster_free(x.cluster);
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
    free(result);
}
