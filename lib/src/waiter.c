/*
 * Waiters: AWS's CacheClusterAvailable (same acceptors, defaults and
 * botocore's error texts) and the reboot-completion waiter that needs
 * evidence of a restart before it believes an "available".
 */
#include "waiter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "client.h"
#include "transport.h"

#define DEFAULT_DELAY 15.0
#define DEFAULT_MAX_ATTEMPTS 40
#define AVAILABLE_WAITER "CacheClusterAvailable"
#define STATUS_PATH "CacheClusters[].CacheClusterStatus"

/* The failure acceptors of CacheClusterAvailable (waiters-2.json). */
static const char *const failure_states[] = {
    "deleted", "deleting", "incompatible-network", "restore-failed"};

typedef struct wait_clock {
    double delay;
    int max_attempts;
    double timeout;
} wait_clock;

static wait_clock clock_from(const ec_wait_options *o)
{
    wait_clock c;

    c.delay = o && o->delay > 0 ? o->delay : DEFAULT_DELAY;
    c.max_attempts =
        o && o->max_attempts > 0 ? o->max_attempts : DEFAULT_MAX_ATTEMPTS;
    c.timeout = o && o->timeout > 0 ? o->timeout : c.delay * c.max_attempts;
    return c;
}

static void report(const ec_wait_options *o, ec_time started, ec_time now,
                   const ec_cache_cluster *cluster, const ec_strlist *watched,
                   const char *message)
{
    ec_progress p;

    if (!o || !o->progress)
        return;
    memset(&p, 0, sizeof(p));
    p.phase = EC_PROGRESS_WAITING;
    p.elapsed = ecp_time_sub(now, started);
    p.cluster = cluster;
    p.watched_node_ids = watched;
    p.message = message;
    o->progress(o->progress_userdata, &p);
}

int ecp_describe_one(ec_client *client, const char *cluster_id, bool show_nodes,
                     ec_cache_cluster **out, char **request_id, ec_error *err)
{
    ec_describe_cache_clusters_input in = EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
    ec_describe_cache_clusters_output *res = NULL;
    int rc = -1;

    in.cache_cluster_id = cluster_id;
    if (show_nodes) {
        in.show_cache_node_info.set = true;
        in.show_cache_node_info.value = true;
    }
    if (ecp_describe_cache_clusters(client, &in, &res, err) != 0)
        goto out;
    if (res->cache_clusters.count != 1) {
        ecp_error_set(err, EC_ERR_PARSE,
                      "DescribeCacheClusters for %s answered %zu clusters, "
                      "expected 1",
                      cluster_id, res->cache_clusters.count);
        goto out;
    }
    /* Move the one cluster out; its emptied slot is freed harmlessly. */
    ec_cache_cluster_free(*out);
    *out = res->cache_clusters.items[0];
    res->cache_clusters.items[0] = NULL;
    if (request_id) {
        free(*request_id);
        *request_id = res->request_id;
        res->request_id = NULL;
    }
    rc = 0;
out:
    ec_describe_cache_clusters_output_free(res);
    return rc;
}

/* Write a waiter error into err (overriding nothing already recorded). */
static int waiter_error(ec_error *err, ec_errcode code, const ec_error *cause,
                        const char *fmt, const char *arg1, const char *arg2)
{
    char reason[EC_ERROR_TEXT_LENGTH];

    if (!err || err->code != EC_OK)
        return -1;
    if (cause)
        *err = *cause;
    err->code = code;
    /* A cut reason is fine; using the result tells GCC we know. */
    if (snprintf(reason, sizeof(reason), fmt, arg1, arg2) < 0)
        reason[0] = '\0';
    ecp_msgf(err->message, sizeof(err->message), "Waiter %s failed: %s",
             AVAILABLE_WAITER, reason);
    return -1;
}

/*
 * As botocore's Waiter.wait: one DescribeCacheClusters per attempt (one
 * page, no ShowCacheNodeInfo, as the AWS CLI sends), acceptors in model
 * order, and botocore's texts in err->message, so a CLI can print
 * "Waiter CacheClusterAvailable failed: ..." as the AWS CLI does. A service
 * error matches no acceptor and fails the waiter (EC_ERR_WAIT_FAILURE, the
 * service's code kept in aws_code); transport errors are returned as they
 * are, as botocore raises them.
 */
static int wait_available(ec_client *client, const char *cache_cluster_id,
                          const ec_wait_options *options,
                          ec_cache_cluster **cluster_out, ec_error *err)
{
    ec_describe_cache_clusters_input in = EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
    ec_describe_cache_clusters_output *res = NULL;
    wait_clock c = clock_from(options);
    ec_time started, now;
    int attempts = 0, rc = -1;

    started = ec_client_now(client);
    in.cache_cluster_id = cache_cluster_id;
    for (;;) {
        ec_error call = {0};
        const ec_cache_cluster_list *l;
        bool all_available;
        size_t i, k;

        ec_describe_cache_clusters_output_free(res);
        res = NULL;
        attempts++;
        if (ecp_describe_cache_clusters(client, &in, &res, &call) != 0) {
            if (call.code == EC_ERR_SERVICE)
                waiter_error(err, EC_ERR_WAIT_FAILURE, &call,
                             "An error occurred (%s): %s", call.aws_code,
                             call.message);
            else if (err && err->code == EC_OK)
                *err = call;
            goto out;
        }
        l = &res->cache_clusters;
        now = ec_client_now(client);
        report(options, started, now, l->count ? l->items[0] : NULL, NULL,
               "waiting for the cluster to be available");
        all_available = l->count > 0;
        for (i = 0; i < l->count; i++) {
            const char *s = l->items[i]->cache_cluster_status;
            if (!s || strcmp(s, ECP_STATUS_AVAILABLE) != 0)
                all_available = false;
        }
        if (all_available) {
            rc = 0;
            goto out;
        }
        for (k = 0; k < sizeof(failure_states) / sizeof(*failure_states); k++)
            for (i = 0; i < l->count; i++) {
                const char *s = l->items[i]->cache_cluster_status;
                if (s && strcmp(s, failure_states[k]) == 0) {
                    waiter_error(err, EC_ERR_WAIT_FAILURE, NULL,
                                 "Waiter encountered a terminal failure "
                                 "state: For expression \"%s\" we matched "
                                 "expected path: \"%s\" at least once",
                                 STATUS_PATH, failure_states[k]);
                    goto out;
                }
            }
        if (attempts >= c.max_attempts) {
            waiter_error(err, EC_ERR_WAIT_TIMEOUT, NULL, "%s%s",
                         "Max attempts exceeded", "");
            goto out;
        }
        if (ecp_time_sub(now, started) + c.delay > c.timeout) {
            waiter_error(err, EC_ERR_WAIT_TIMEOUT, NULL, "%s%s",
                         "Max attempts exceeded",
                         " (the wait timeout would pass before the next "
                         "attempt)");
            goto out;
        }
        ecp_client_sleep(client, c.delay);
    }
out:
    if (cluster_out && res && res->cache_clusters.count > 0) {
        *cluster_out = res->cache_clusters.items[0];
        res->cache_clusters.items[0] = NULL;
    }
    ec_describe_cache_clusters_output_free(res);
    return rc;
}

int ec_wait_cache_cluster_available(ec_client *client,
                                    const char *cache_cluster_id,
                                    const ec_wait_options *options,
                                    ec_cache_cluster **cluster_out,
                                    ec_error *err)
{
    ec_wait_options opt;

    if (cluster_out)
        *cluster_out = NULL;
    if (!client)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "ec_wait_cache_cluster_available: no client");
    if (ecp_struct_import(&ecp_info_wait_options, &opt, options, err) != 0)
        return -1;
    return wait_available(client, cache_cluster_id, &opt, cluster_out, err);
}

/* Mark watched nodes with a restart event at or after `since` (minus the
 * clock-skew allowance); *any tells whether any node of the cluster has
 * one. */
static int scan_events(ec_client *client, const char *cluster_id,
                       const ec_strlist *watched, bool *restarted,
                       ec_time since, bool *any, ec_error *err)
{
    ec_describe_events_input in = EC_DESCRIBE_EVENTS_INPUT_INIT;
    ec_describe_events_output *out = NULL;
    ec_time from = ecp_time_add(since, -ECP_CLOCK_SKEW_SECONDS);
    size_t i, k;
    char id[16];

    in.source_identifier = cluster_id;
    in.source_type = "cache-cluster";
    in.start_time = from;
    if (ecp_describe_events_all(client, &in, &out, err) != 0)
        return -1;
    for (i = 0; i < out->events.count; i++) {
        if (!ecp_event_node_restarted(out->events.items[i], cluster_id, from,
                                      id, sizeof(id)))
            continue;
        *any = true;
        for (k = 0; k < watched->count; k++)
            if (strcmp(watched->items[k], id) == 0)
                restarted[k] = true;
    }
    ec_describe_events_output_free(out);
    return 0;
}

static bool node_is(const ec_cache_node *n, const char *status)
{
    return n && n->cache_node_status &&
           strcmp(n->cache_node_status, status) == 0;
}

bool ecp_cluster_status_is_failure(const char *status)
{
    size_t k;

    for (k = 0; status && k < sizeof(failure_states) / sizeof(*failure_states);
         k++)
        if (strcmp(status, failure_states[k]) == 0)
            return true;
    return false;
}

/* "0001, 0002" of the watched nodes whose flag equals `which`. */
static void list_nodes(char *buf, size_t size, const ec_strlist *watched,
                       const bool *flags, bool which)
{
    ec_strlist some = {0};
    char **items = calloc(watched->count + 1, sizeof(*items));
    size_t i;

    /* Borrowed: the list is only read. Out of memory: no names. */
    some.items = items;
    for (i = 0; items && i < watched->count; i++)
        if (flags[i] == which)
            items[some.count++] = watched->items[i];
    ec_strlist_join(&some, ", ", buf, size);
    free(items);
}

/*
 * A node counts as restarted once a poll reads it "rebooting" or a
 * "Cache node NNNN restarted" event dated at/after `since` (minus
 * ECP_CLOCK_SKEW_SECONDS) is seen. DescribeEvents is asked only when the
 * answer matters: when everything reads available but some node has not
 * been seen restarting (a reboot that finished between polls, or a
 * describe answer that still shows the state from before the call).
 * With no node to watch, any restart evidence for the cluster (it or a
 * node read rebooting, or any node's restart event) is needed, unless the
 * caller already has it (`evidence`).
 */
int ecp_wait_reboot(ec_client *client, const char *cluster_id,
                    const ec_strlist *node_ids, const ec_strlist *seen,
                    bool evidence, ec_time since, ec_time started,
                    const ec_wait_options *options, ec_cache_cluster **out,
                    ec_error *err)
{
    static const ec_strlist none = {0};
    const ec_strlist *watched = node_ids ? node_ids : &none;
    wait_clock c = clock_from(options);
    ec_cache_cluster *cluster = NULL;
    bool *restarted = NULL;
    char msg[512], ids[256];
    size_t i;
    int rc = -1;

    if (!client || !cluster_id)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "ec_wait_reboot_complete: client and cluster id "
                             "are required");
    restarted = calloc(watched->count + 1, sizeof(*restarted));
    if (!restarted) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < watched->count; i++)
        restarted[i] = ecp_strlist_contains(seen, watched->items[i]);

    for (;;) {
        bool all_restarted = true, all_available, cluster_ok, done;
        ec_time now;

        if (ecp_describe_one(client, cluster_id, true, &cluster, NULL, err) !=
            0)
            goto out;
        if (ecp_cluster_status_is_failure(cluster->cache_cluster_status)) {
            ecp_error_set(err, EC_ERR_WAIT_FAILURE,
                          "cluster %s is %s while waiting for its reboot",
                          cluster_id, cluster->cache_cluster_status);
            goto out;
        }
        cluster_ok =
            cluster->cache_cluster_status &&
            strcmp(cluster->cache_cluster_status, ECP_STATUS_AVAILABLE) == 0;
        all_available = cluster_ok;
        for (i = 0; i < watched->count; i++) {
            const ec_cache_node *n =
                ec_cache_cluster_find_node(cluster, watched->items[i]);
            if (!n) {
                ecp_error_set(err, EC_ERR_WAIT_FAILURE,
                              "cache node %s is no longer in cluster %s",
                              watched->items[i], cluster_id);
                goto out;
            }
            if (node_is(n, ECP_STATUS_NODE_REBOOTING))
                restarted[i] = true;
            if (!node_is(n, ECP_STATUS_AVAILABLE))
                all_available = false;
            if (!restarted[i])
                all_restarted = false;
        }
        if (ecp_cluster_is_rebooting(cluster))
            evidence = true;
        for (i = 0; i < cluster->cache_nodes.count; i++)
            if (node_is(cluster->cache_nodes.items[i],
                        ECP_STATUS_NODE_REBOOTING))
                evidence = true;
        if (all_available && (!all_restarted || !evidence) &&
            scan_events(client, cluster_id, watched, restarted, since,
                        &evidence, err) != 0)
            goto out;
        all_restarted = true;
        for (i = 0; i < watched->count; i++)
            if (!restarted[i])
                all_restarted = false;
        done =
            all_available && all_restarted && (watched->count > 0 || evidence);

        now = ec_client_now(client);
        list_nodes(ids, sizeof(ids), watched, restarted, false);
        snprintf(msg, sizeof(msg), "%s is %s; %s%s", cluster_id,
                 cluster->cache_cluster_status ? cluster->cache_cluster_status
                                               : "(no status)",
                 !all_restarted       ? "not yet seen restarting: "
                 : watched->count > 0 ? "restart seen for every watched node"
                 : evidence           ? "reboot seen"
                                      : "no reboot seen yet",
                 ids);
        report(options, started, now, cluster, watched, msg);
        if (done) {
            rc = 0;
            goto out;
        }
        if (ecp_time_sub(now, started) + c.delay > c.timeout) {
            if (all_restarted && !evidence)
                ecp_error_set(err, EC_ERR_WAIT_TIMEOUT,
                              "timed out after %.0f s waiting for %s: no "
                              "node seen restarting (cluster is %s)",
                              ecp_time_sub(now, started), cluster_id,
                              cluster->cache_cluster_status
                                  ? cluster->cache_cluster_status
                                  : "without status");
            else if (!all_restarted)
                ecp_error_set(err, EC_ERR_WAIT_TIMEOUT,
                              "timed out after %.0f s waiting for %s: node(s) "
                              "%s never seen restarting (cluster is %s)",
                              ecp_time_sub(now, started), cluster_id, ids,
                              cluster->cache_cluster_status
                                  ? cluster->cache_cluster_status
                                  : "without status");
            else
                ecp_error_set(err, EC_ERR_WAIT_TIMEOUT,
                              "timed out after %.0f s waiting for %s to be "
                              "available again (cluster is %s)",
                              ecp_time_sub(now, started), cluster_id,
                              cluster->cache_cluster_status
                                  ? cluster->cache_cluster_status
                                  : "without status");
            goto out;
        }
        ecp_client_sleep(client, c.delay);
    }
out:
    /* Even when nothing was read: the caller's cluster is then out of
     * date, as it was before. */
    if (out) {
        ec_cache_cluster_free(*out);
        *out = cluster;
        cluster = NULL;
    }
    ec_cache_cluster_free(cluster);
    free(restarted);
    return rc;
}

int ec_wait_reboot_complete(ec_client *client, const char *cache_cluster_id,
                            const ec_strlist *node_ids, ec_time since,
                            const ec_wait_options *options,
                            ec_cache_cluster **cluster_out, ec_error *err)
{
    ec_wait_options opt;

    if (cluster_out)
        *cluster_out = NULL;
    if (!client)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "ec_wait_reboot_complete: no client");
    if (ecp_struct_import(&ecp_info_wait_options, &opt, options, err) != 0)
        return -1;
    return ecp_wait_reboot(client, cache_cluster_id, node_ids, NULL, false,
                           since, ec_client_now(client), &opt, cluster_out,
                           err);
}
