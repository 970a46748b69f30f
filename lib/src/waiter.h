/*
 * Internal pieces shared by reboot planning (plan.c), the safe reboot
 * (reboot.c) and the waiters (waiter.c).
 */
#ifndef ECP_WAITER_H
#define ECP_WAITER_H

#include <stdbool.h>

#include "util.h"

/* Status texts the service uses (service-2.json documents them in prose). */
#define ECP_STATUS_AVAILABLE "available"
#define ECP_STATUS_CLUSTER_REBOOTING "rebooting cache cluster nodes"
#define ECP_STATUS_NODE_REBOOTING "rebooting"
/* A node's ParameterGroupStatus once its parameters are applied. */
#define ECP_PARAMETERS_IN_SYNC "in-sync"

/*
 * Restart events are stamped by the service's clock, `since` by ours. An
 * event dated up to this many seconds before `since` still counts, so a
 * client clock slightly ahead of the service does not hide a restart. It
 * is kept small because a larger window could count a restart that ended
 * just before our own reboot call; the "seen rebooting" evidence does not
 * depend on clocks at all.
 */
#define ECP_CLOCK_SKEW_SECONDS 2.0

/* a - b in seconds, pure (no dependency on the time module). */
double ecp_time_sub(ec_time a, ec_time b);

/* Shift a time by `seconds` (may be negative). */
ec_time ecp_time_add(ec_time t, double seconds);

/*
 * If `ev` is a "Cache node NNNN restarted" event of cluster `cluster_id`
 * (case-insensitive) dated at or after `since`, copy NNNN into node_id
 * (>= 16 bytes) and return true. A `since` with set=false accepts any
 * date.
 */
bool ecp_event_node_restarted(const ec_event *ev, const char *cluster_id,
                              ec_time since, char *node_id, size_t size);

/* True for the states a cluster does not come back from to "available"
 * (the failure acceptors of CacheClusterAvailable, waiters-2.json). */
bool ecp_cluster_status_is_failure(const char *status);

/* True when the cluster reads "rebooting cache cluster nodes". */
bool ecp_cluster_is_rebooting(const ec_cache_cluster *cluster);

/* Fill `st` (zeroed or cleared; cleared first here) from a described
 * cluster. */
int ecp_cluster_status_from(ec_cluster_status *st,
                            const ec_cache_cluster *cluster, ec_error *err);
void ecp_cluster_status_clear(ec_cluster_status *st);

/*
 * Check mode's prediction: what `before` becomes once the `rebooted` nodes
 * are rebooted. With `wait`, the cluster and those nodes "available" and
 * their parameters "in-sync" (what the reboot was for); without, the
 * cluster "rebooting cache cluster nodes" and those nodes "rebooting".
 * Other nodes as they were. `after` zeroed or cleared (cleared first).
 */
int ecp_cluster_status_predict(ec_cluster_status *after,
                               const ec_cluster_status *before,
                               const ec_strlist *rebooted, bool wait,
                               ec_error *err);
/* Clear and free one the library allocated. NULL is fine. */
void ecp_cluster_status_free(ec_cluster_status *st);

/* ec_reboot_plan_make for a policy already imported (or NULL) into a plan
 * the caller owns (zeroed here; cleared on failure). */
int ecp_reboot_plan_make(const ec_cache_cluster *cluster,
                         const ec_event_list *events,
                         const ec_reboot_policy *policy, ec_reboot_plan *plan,
                         ec_error *err);
void ecp_reboot_plan_clear(ec_reboot_plan *plan);

/*
 * DescribeCacheClusters for one id (ShowCacheNodeInfo as asked); on
 * success the one cluster replaces *out (the old one is freed).
 */
int ecp_describe_one(ec_client *client, const char *cluster_id, bool show_nodes,
                     ec_cache_cluster **out, char **request_id, ec_error *err);

/*
 * The reboot-completion waiter behind ec_wait_reboot_complete (options
 * already imported, or NULL), also given
 * the nodes already seen restarting (`seen`, may be NULL), whether a
 * reboot of the cluster was already seen (`evidence`: with no node to
 * watch, the wait otherwise needs to see one), and `started`, the clock
 * reading the timeout counts from. On return the last cluster read (NULL
 * when none was) replaces *out when `out` is not NULL.
 */
int ecp_wait_reboot(ec_client *client, const char *cluster_id,
                    const ec_strlist *node_ids, const ec_strlist *seen,
                    bool evidence, ec_time since, ec_time started,
                    const ec_wait_options *options, ec_cache_cluster **out,
                    ec_error *err);

#endif
