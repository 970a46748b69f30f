/*
 * What check_elasticache makes of a described cluster and its nodes'
 * probes: a state, a summary line and counts. Pure, so it is unit-tested
 * with hand-built clusters.
 */
#ifndef MON_JUDGE_H
#define MON_JUDGE_H

#include "cluster.h"
#include "monitoring.h"

typedef struct mon_judge_options {
    mon_thresholds latency;  /* on the slowest answering node, seconds */
    mon_state pending_state; /* for a pending reboot; OK ignores it */
    bool no_probe;           /* nodes were not probed on purpose */
} mon_judge_options;

typedef struct mon_verdict {
    mon_state state;
    char summary[1024]; /* "ID: problem; problem" or the OK phrase */
    size_t nodes, available, rebooting, unresponsive, pending, answered;
    double slowest;           /* -1 when no node answered */
    const char *slowest_node; /* borrowed from the cluster */
} mon_verdict;

/*
 * The API's cluster status as a state: available OK; creating, modifying,
 * snapshotting, rebooting... WARNING; deleting, deleted,
 * incompatible-network, restore-failed, create-failed CRITICAL; anything
 * else UNKNOWN.
 */
mon_state mon_cluster_status_state(const char *status);

/*
 * Judge one cluster. `probes` are its nodes' probes (mon_probe_clusters),
 * in node order. Problems, worst state wins: the cluster status; nodes
 * rebooting or not available (WARNING); unresponsive nodes (CRITICAL);
 * wrong answers (WARNING); AUTH or TLS failures (UNKNOWN: the probe's
 * settings are wrong, not the node); a pending reboot (pending_state); an
 * engine it cannot probe (UNKNOWN); the latency thresholds.
 */
void mon_judge_cluster(const ec_cache_cluster *cl, const mon_node_probe *probes,
                       size_t count, const mon_judge_options *opt,
                       mon_verdict *v);

/* The verdicts of many clusters (check_elasticache --all) added up. */
typedef struct mon_tally {
    mon_state state;    /* the worst cluster's (OK with none) */
    size_t clusters;    /* verdicts added */
    size_t by_state[4]; /* clusters in each state */
    size_t nodes, rebooting, unresponsive, pending;
    double slowest;      /* slowest answer of any node; -1: none answered */
    char problems[1024]; /* "; summary" of each cluster not OK, while fits */
} mon_tally;

#define MON_TALLY_INIT                                                         \
    {                                                                          \
        .state = MON_OK, .slowest = -1                                         \
    }

/* Add one cluster's verdict. */
void mon_tally_add(mon_tally *t, const mon_verdict *v);

/* The first line's text: "N clusters: a OK, b WARNING, c CRITICAL, d
 * UNKNOWN" followed by the problems, cut to `size`. */
void mon_tally_summary(const mon_tally *t, char *buf, size_t size);

#endif
