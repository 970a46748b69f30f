/*
 * What check_elasticache makes of a described cluster and its nodes'
 * probes: a state, a summary line and counts. Pure, so it is unit-tested
 * with hand-built clusters (tests/unit/monitoring/test_judge.c).
 */
#ifndef MON_JUDGE_H
#define MON_JUDGE_H

#include "cluster.h"
#include "monitoring.h"

typedef struct mon_judge_options {
    mon_thresholds latency;  /* on the slowest answering node, seconds */
    mon_state pending_state; /* for a pending reboot; OK ignores it */
    bool no_probe;           /* nodes were not probed on purpose */
    double probe_timeout;    /* a node that did not answer took this long */
    /* On the nodes that do not answer (a count, or a percentage of the
     * cluster's nodes). Both unset: any such node is CRITICAL. Either
     * set: these ranges alone decide (an unset one never alerts). */
    mon_count_range unresponsive_warning;
    mon_count_range unresponsive_critical;
} mon_judge_options;

/* Node ids listed in a summary before "(+N more)". */
#define MON_JUDGE_IDS_SHOWN 10

typedef struct mon_verdict {
    mon_state state;
    char summary[1024]; /* "ID: problem; problem" or the OK phrase */
    size_t nodes, available, rebooting, pending;
    size_t probed;       /* nodes whose probe says something */
    size_t answered;     /* answered as expected */
    size_t unresponsive; /* did not answer at all (broken, no connection) */
    size_t busy, misconfigured;
    size_t not_probed; /* should have been probed, were not (no time) */
    bool path_cut;     /* no probed node answered a connection */
    double slowest;    /* slowest answer, -1 when none: the thresholds */
    /* for perfdata: a node that did not answer counts as the probe
     * timeout, so that an outage never graphs as fast; -1 when nothing
     * was probed */
    double slowest_all;
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
 * Judge one cluster probed as `plan` says. `probes` are its nodes' probes
 * (mon_probe_clusters), in node order. Problems, worst state wins: the
 * cluster status; nodes rebooting or not available (WARNING); nodes that
 * do not answer (CRITICAL, or as the unresponsive ranges say), named, or,
 * when no probed node answered a connection at all, a network path that
 * looks cut; busy nodes (WARNING); settings to fix (UNKNOWN: AUTH, TLS, a
 * forced setting the API contradicts, a wrong answer); nodes not probed
 * in time (UNKNOWN); a pending reboot (pending_state); an engine it
 * cannot probe (UNKNOWN); the latency thresholds.
 */
void mon_judge_cluster(const ec_cache_cluster *cl, const mon_node_probe *probes,
                       size_t count, const mon_plan *plan,
                       const mon_judge_options *opt, mon_verdict *v);

/* The verdicts of many clusters (check_elasticache --all) added up. */
typedef struct mon_tally {
    mon_state state;    /* the worst cluster's (OK with none) */
    size_t clusters;    /* verdicts added */
    size_t by_state[4]; /* clusters in each state */
    size_t nodes, rebooting, unresponsive, pending, probed, not_probed;
    size_t path_cut;        /* clusters whose path looks cut */
    size_t probed_clusters; /* clusters with a probed node */
    double slowest;         /* slowest answer of any node; -1: none answered */
    double slowest_all;     /* the same counting silent nodes (perfdata) */
} mon_tally;

#define MON_TALLY_INIT                                                         \
    {                                                                          \
        .state = MON_OK, .slowest = -1, .slowest_all = -1                      \
    }

/* Add one cluster's verdict. */
void mon_tally_add(mon_tally *t, const mon_verdict *v);

/* True when every probed node of every cluster failed to connect at all:
 * the monitoring host's path to the VPC looks cut. */
bool mon_tally_path_cut(const mon_tally *t);

/* The first line's head: "N clusters: a OK, b WARNING, c CRITICAL, d
 * UNKNOWN", and the cut path when it looks cut everywhere. */
void mon_tally_summary(const mon_tally *t, char *buf, size_t size);

#endif
