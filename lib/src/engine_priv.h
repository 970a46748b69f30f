/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the reboot engine's two files share (engine.c: the table, the
 * shared phases and the cluster reboot; engine_group.c: the replication
 * group reboot). Everything here is pure, as the step function.
 */
#ifndef ECP_ENGINE_PRIV_H
#define ECP_ENGINE_PRIV_H

#include "engine.h"

/* How long a restore of automatic failover and Multi-AZ may run past the
 * time budget after a failure: leaving them off is the larger risk. */
#define ECP_RESTORE_BUDGET 300.0

int ecp_eng_nomem(ec_error *err);
int ecp_eng_internal(ec_error *err, const char *what);
double ecp_eng_elapsed(const ecp_engine *e);
double ecp_eng_remaining(const ecp_engine *e);
/* What is left of the budget, at least a second. */
double ecp_eng_call_timeout(const ecp_engine *e);
const char *ecp_eng_plural(const ec_strlist *l);

ecp_action *ecp_eng_queue(ecp_engine *e, ecp_action_kind kind);
/* A progress report (queued before the step's one other action). */
int ecp_eng_report(ecp_engine *e, ec_progress_phase phase,
                   const ec_strlist *watched, ec_error *err, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));
/* DescribeCacheClusters of e->cid. */
int ecp_eng_describe(ecp_engine *e, ecp_phase next, bool show_nodes,
                     bool bounded, ec_error *err);
/* DescribeEvents of `cluster_id` (NULL: every cluster) since `since`. */
int ecp_eng_read_events(ecp_engine *e, ecp_phase next, const char *cluster_id,
                        ec_time since, ec_error *err);
int ecp_eng_describe_group(ecp_engine *e, ecp_phase next, ec_error *err);
int ecp_eng_sleep(ecp_engine *e, ecp_phase next, double seconds, ec_error *err);
int ecp_eng_succeed(ecp_engine *e, ec_error *err);
/* End the run (or, for a group with failover switched off, restore it
 * first) with `cause` as its error, the message replaced when fmt is
 * given. */
int ecp_eng_fail(ecp_engine *e, ec_errcode code, const ec_error *cause,
                 ec_error *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The end of a run, with the outcome as it stands. */
int ecp_eng_done(ecp_engine *e, ec_error *err);

bool ecp_eng_failed(const ecp_obs *obs);
/* -1 when the observation carries EC_ERR_NOMEM (the step fails so). */
int ecp_eng_obs_nomem(const ecp_obs *obs, ec_error *err);
/* Keep the one cluster of a describe of e->cid: 0 kept, 1 not one cluster
 * (EC_ERR_PARSE in *why), -1 out of memory. */
int ecp_eng_keep_cluster(ecp_engine *e, const ecp_obs *obs, ec_error *why,
                         ec_error *err);
/* Keep the one group of a describe of p.group_id, the same way. */
int ecp_eng_keep_group(ecp_engine *e, const ecp_obs *obs, ec_error *why,
                       ec_error *err);
bool ecp_eng_node_is(const ec_cache_node *n, const char *status);
int ecp_eng_push_once(ec_strlist *l, const char *id, ec_error *err);
int ecp_eng_copy_list(ec_strlist *dst, const ec_strlist *src, ec_error *err);

/* RebootCacheCluster of e->batch of e->cid: the shared REBOOT phase. */
int ecp_eng_send_reboot(ecp_engine *e, ec_error *err);
/* Wait until `watch` of e->cid restarted after `since` and all is
 * available (the shared BACK phase). */
int ecp_eng_start_back(ecp_engine *e, const ec_strlist *watch,
                       const ec_strlist *seen, bool evidence, ec_time since,
                       ec_error *err);
/* Probe items[0..count) (taken over) until each passes, then `then`. */
int ecp_eng_start_probes(ecp_engine *e, ecp_probe_item *items, size_t count,
                         ecp_probe_then then, ec_error *err);
/* Probe items for the nodes `ids` of `cluster` (ANSWERS). */
int ecp_eng_probe_items(const ec_cache_cluster *cluster, const ec_strlist *ids,
                        ecp_probe_item **out, size_t *count, ec_error *err);
void ecp_eng_probe_items_free(ecp_probe_item *items, size_t count);
/* Make `it` a REPLICA_LINK check against the primary `g` shows. */
int ecp_eng_probe_link(ecp_probe_item *it, const ec_replication_group *g,
                       ec_error *err);

/* Steps. */
ec_reboot_step *ecp_eng_step_add(ecp_engine *e, ec_reboot_step_action action,
                                 const char *cluster_id, ec_error *err);
/* Mark step i running (its clock starts) and report it. */
int ecp_eng_step_begin(ecp_engine *e, size_t i, ec_error *err);
/* End the current step in `state`, its message from fmt. */
int ecp_eng_step_end(ecp_engine *e, ec_reboot_step_state state, ec_error *err,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int ecp_eng_step_request_id(ecp_engine *e, const char *request_id,
                            ec_error *err);

/* The group operation's op-table hooks and phases (engine_group.c). */
int ecp_group_start(ecp_engine *e, ec_error *err);
int ecp_group_after_reboot(ecp_engine *e, ec_error *err);
int ecp_group_after_wait(ecp_engine *e, ec_error *err);
int ecp_group_after_probe(ecp_engine *e, ec_error *err);
/* A failure: 1 when the group op took it over (a restore first), 0 when
 * the run ends now, -1 on NOMEM. */
int ecp_group_on_fail(ecp_engine *e, ec_error *err);
void ecp_group_clear(ecp_engine *e);
int ecp_ph_g_describe(ecp_engine *e, const ecp_obs *obs, ec_error *err);
int ecp_ph_g_busy_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err);
int ecp_ph_g_member_plan(ecp_engine *e, const ecp_obs *obs, ec_error *err);
int ecp_ph_g_plan_events(ecp_engine *e, const ecp_obs *obs, ec_error *err);
int ecp_ph_g_check(ecp_engine *e, const ecp_obs *obs, ec_error *err);
int ecp_ph_g_check_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err);
int ecp_ph_g_member(ecp_engine *e, const ecp_obs *obs, ec_error *err);
int ecp_ph_g_member_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err);
int ecp_ph_g_modify(ecp_engine *e, const ecp_obs *obs, ec_error *err);
int ecp_ph_g_modify_wait(ecp_engine *e, const ecp_obs *obs, ec_error *err);
int ecp_ph_g_modify_sleep(ecp_engine *e, const ecp_obs *obs, ec_error *err);

/* The primary member of the (first) node group, or NULL. */
const ec_node_group_member *ecp_group_primary(const ec_replication_group *g);
/* Cluster mode enabled: ClusterEnabled, or more than one node group. */
bool ecp_group_cluster_mode(const ec_replication_group *g);

#endif
