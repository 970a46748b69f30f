/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal pieces shared by reboot planning (plan.c), the reboot engine
 * (engine.c) and the operations on it (reboot.c, waiter.c).
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

/* The states a cluster does not come back from to "available" (the
 * failure acceptors of CacheClusterAvailable, waiters-2.json), in the
 * model's order. */
#define ECP_FAILURE_STATE_COUNT 4
extern const char *const ecp_failure_states[ECP_FAILURE_STATE_COUNT];

/* True for one of ecp_failure_states. */
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

/* Plan as if the cluster and the selected nodes were available (what a
 * run that waits for a busy cluster would reboot once it is): check
 * mode's prediction. A reboot in progress is still ALREADY_REBOOTING. */
#define ECP_PLAN_ASSUME_AVAILABLE 1u

/* ec_reboot_plan_make for a policy already imported (or NULL) into a plan
 * the caller owns (zeroed here; cleared on failure). `flags`: 0 or
 * ECP_PLAN_ASSUME_AVAILABLE. */
int ecp_reboot_plan_make(const ec_cache_cluster *cluster,
                         const ec_event_list *events,
                         const ec_reboot_policy *policy, unsigned flags,
                         ec_reboot_plan *plan, ec_error *err);
void ecp_reboot_plan_clear(ec_reboot_plan *plan);

#endif
