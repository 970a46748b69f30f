/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What elasticache_event_handler reboots, given a described cluster and its
 * nodes' probes: the nodes that do not answer, or nothing and why. Pure, so
 * it is table-tested like judge.c (tests/unit/monitoring/test_pick.c).
 */
#ifndef MON_PICK_H
#define MON_PICK_H

#include <stdbool.h>

#include "cluster.h"
#include "monitoring.h"

typedef struct mon_pick_options {
    /* reboot every node when none is known broken but some could not be
     * probed (--no-probe, no endpoint); never for a setting to fix */
    bool all_if_unknown;
    /* more nodes to reboot than this: reboot none (--max-unresponsive);
     * -1: no limit */
    long max_nodes;
} mon_pick_options;

/* What a pick decided: of a cluster's nodes (mon_pick_nodes) or of a
 * replication group's replicas (mon_pick_group_replicas, group.h). One
 * type for both, so that the handler turns either into a decision in one
 * place (mon_pick_record). */
typedef enum mon_pick_outcome {
    MON_PICK_REBOOT,        /* reboot what the pick lists */
    MON_PICK_NOTHING,       /* every node answers (or is busy) */
    MON_PICK_UNKNOWN,       /* cannot tell which nodes: not rebooting */
    MON_PICK_MISCONFIGURED, /* a probe setting is wrong: never a reboot */
    MON_PICK_PATH_CUT,      /* no probed node answered a connection */
    MON_PICK_OVER_LIMIT,    /* more nodes than --max-unresponsive */
    /* groups only */
    MON_PICK_PRIMARY,     /* the primary does not answer: failover's job */
    MON_PICK_CLUSTER_MODE /* cluster mode enabled: not handled by -G */
} mon_pick_outcome;

/* What the handler records for a pick that reboots nothing: the state its
 * decision reports (OK: nothing to do; CRITICAL: something is down and
 * is held back on purpose; UNKNOWN: cannot tell, or a setting to fix) and
 * whether the log says it as a warning (someone should look) rather than
 * as information. */
typedef struct mon_pick_record {
    mon_state state;
    bool warn;
} mon_pick_record;

/*
 * The record of `outcome`, for a cluster's pick and a group's alike:
 * MISCONFIGURED, CLUSTER_MODE: UNKNOWN, warn; PATH_CUT, OVER_LIMIT,
 * PRIMARY (a dead primary is a decision, not a failure): CRITICAL, warn;
 * UNKNOWN: UNKNOWN; NOTHING (and REBOOT, which reboots instead): OK.
 */
mon_pick_record mon_pick_record_of(mon_pick_outcome outcome);

typedef struct mon_pick {
    mon_pick_outcome outcome;
    ec_strlist nodes; /* to reboot; empty: nothing to do (see why) */
    char why[512];    /* why nothing, when nodes is empty */
} mon_pick;

/*
 * Choose the nodes to reboot among `count` probes (mon_probe_clusters, in
 * node order) of cluster `cl`, probed as `plan` says. In this order:
 * - a node whose probe says a setting is wrong (AUTH, TLS, a forced
 *   setting the API contradicts, a wrong answer): nothing at all, with
 *   the setting to fix; the probe cannot be trusted for the others;
 * - no probed node answered a connection (connect timeout, no route):
 *   the path looks cut, nothing;
 * - the nodes that refused, reset, closed, stayed silent after
 *   accepting (or did not connect while others did): those, unless
 *   there are more than opt->max_nodes;
 * - nodes not probed (and no setting wrong): every node with
 *   all_if_unknown, otherwise none;
 * - otherwise nothing (busy or rebooting nodes are never chosen).
 * `out` must be zeroed; free out->nodes with ec_strlist_clear. -1 (why
 * says so) only when memory runs out.
 */
int mon_pick_nodes(const ec_cache_cluster *cl, const mon_node_probe *probes,
                   size_t count, const mon_plan *plan,
                   const mon_pick_options *opt, mon_pick *out);

#endif
