/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A Redis replication group judged for check_elasticache -G (cluster mode
 * enabled: shard by shard), and the replicas elasticache_event_handler -G
 * may reboot (cluster mode disabled only): from the described group, its
 * member clusters and each member node's probe (PING, then INFO
 * replication). Pure: table-tested in tests/unit/monitoring/test_group.c
 * and test_shards.c. Kept apart from judge.c and pick.c
 * (one cluster) so that each stays small.
 */
#ifndef MON_GROUP_H
#define MON_GROUP_H

#include "cluster.h"
#include "monitoring.h"
#include "pick.h"

/* One member cluster of the group (a single-node cluster). */
typedef struct mon_group_member {
    const char *cluster_id;          /* from MemberClusters */
    const ec_cache_cluster *cluster; /* described; NULL: not in the answer */
    const mon_node_probe *probe;     /* its node's probe; NULL: none */
    const mon_plan *plan;            /* how it was probed (NULL: none) */
} mon_group_member;

typedef struct mon_group_options {
    /* on each replica's master_last_io_seconds_ago (--link-warning,
     * --link-critical) */
    mon_thresholds link;
    bool no_probe; /* nodes were not probed on purpose */
    /* on the slowest answering member's response time, seconds (-w, -c) */
    mon_thresholds latency;
} mon_group_options;

typedef struct mon_group_verdict {
    mon_state state;
    char summary[1024];
    bool cluster_mode;   /* cluster mode enabled: not judged (UNKNOWN) */
    size_t members;      /* MemberClusters */
    size_t replicas;     /* members whose CurrentRole is replica */
    size_t answered;     /* members whose node answered */
    size_t unresponsive; /* members whose node did not answer */
    size_t links_up, links_down;
    const char *primary; /* the primary's cluster id (borrowed) or NULL */
    bool primary_dead;   /* the primary's node does not answer */
    bool path_cut;       /* no probed member answered a connection */
    double max_last_io;  /* the longest last I/O of a linked replica; -1 */
    double slowest;      /* the slowest answering member's time; -1 */
    const char *slowest_member; /* borrowed */
} mon_group_verdict;

/*
 * Judge group `g` from its `n` members (in MemberClusters order). Problems,
 * worst state wins:
 * - cluster mode enabled (ClusterEnabled, or more than one node group):
 *   UNKNOWN alone, "-G checks cluster mode disabled groups" (the check
 *   judges those with mon_judge_shards instead);
 * - the group status (as mon_cluster_status_state: modifying WARNING);
 *   a member cluster not described (UNKNOWN) or not available (its
 *   status's state);
 * - no primary among the roles (CRITICAL; WARNING while the group is not
 *   available: a failover moves it), more than one (CRITICAL);
 * - the primary's node does not answer (CRITICAL, saying whether
 *   automatic failover will replace it);
 * - replicas whose node does not answer (CRITICAL); no connection to any
 *   probed member: the network path looks cut (CRITICAL, said so);
 * - a replica whose link to the primary is down (master_link_status):
 *   CRITICAL; WARNING while the group or that member is not available or
 *   the replica is resynchronising (master_sync_in_progress), since a
 *   failover or a reboot takes the link down on purpose;
 * - a linked replica's master_last_io_seconds_ago against opt->link;
 * - the slowest answering member's response time against opt->latency;
 * - a node that says a role other than the API's (WARNING: a failover
 *   under way), no INFO replication answer (UNKNOWN), busy nodes
 *   (WARNING), probe settings to fix (UNKNOWN), members not probed in
 *   time (UNKNOWN).
 */
void mon_judge_group(const ec_replication_group *g,
                     const mon_group_member *members, size_t n,
                     const mon_group_options *opt, mon_group_verdict *v);

/* Cluster mode enabled: ClusterEnabled, or more than one node group. */
bool mon_group_cluster_mode(const ec_replication_group *g);

/* One shard (node group) of a cluster-mode-enabled group, judged. */
typedef struct mon_shard_verdict {
    const char *node_group_id; /* borrowed; "?" when the API gave none */
    mon_state state;
    /* "shard 0002: primary ... unresponsive ..." or, OK, "shard 0001:
     * primary X answers, 1 of 1 replica linked" */
    char summary[512];
    size_t members, replicas, answered, unresponsive, links_up, links_down;
    const char *primary; /* the member answering as primary (borrowed) */
    bool primary_up;     /* a primary was found and it answers */
    double max_last_io;  /* the longest last I/O of a linked replica; -1 */
} mon_shard_verdict;

/* The shard counts of a cluster-mode-enabled group's verdict. */
typedef struct mon_shard_tally {
    size_t shards;
    size_t by_state[4]; /* indexed by mon_state */
} mon_shard_tally;

/*
 * Judge cluster-mode-enabled group `g` shard by shard, each node group as
 * mon_judge_group judges a cluster-mode-disabled group: its members
 * described and available, one primary answering, each replica's link.
 * AWS gives no CurrentRole for these members (service-2.json), so a
 * member's role is what its node says in INFO replication (CurrentRole
 * when the API does give one); a member that does not answer is the
 * primary when a replica of its shard names its endpoint as master, and
 * otherwise of unknown role. A shard with no member answering as primary
 * is CRITICAL, WARNING while the group or the shard is not available
 * (the disabled path's rule: creating, modifying, snapshotting: AWS may be
 * moving primaries). The path is cut (CRITICAL) only when no probed
 * member of the whole group answered a connection.
 *
 * `members` are the group's MemberClusters (any order); `shards` has room
 * for `max_shards` verdicts, one per node group in NodeGroups order (the
 * rest are judged into the group's state but not returned). `v` gets the
 * group's state (the worst shard's, with the group's status and members in
 * no node group), its counts, and a head for the first line: "ID: N
 * shards: a OK, b WARNING, c CRITICAL, d UNKNOWN[; group problems]" or, all
 * OK, "ID available, N shards OK: ...". The shards' summaries are the
 * first line's problems (the caller orders them worst first). Returns the
 * number of shards (node groups).
 */
size_t mon_judge_shards(const ec_replication_group *g,
                        const mon_group_member *members, size_t n,
                        const mon_group_options *opt, mon_shard_verdict *shards,
                        size_t max_shards, mon_group_verdict *v,
                        mon_shard_tally *t);

/* What the handler does with a group: the outcomes of pick.h (REBOOT:
 * `clusters`, replicas only; UNKNOWN: a member not probed; OVER_LIMIT:
 * more replicas than max_nodes; PRIMARY and CLUSTER_MODE: groups only). */
typedef struct mon_group_pick {
    mon_pick_outcome outcome;
    ec_strlist clusters; /* replica clusters to reboot, one call each */
    char why[512];       /* what was decided, for the log */
} mon_group_pick;

/*
 * The replica clusters to reboot. In this order: cluster mode enabled:
 * none; a probe setting wrong on any member: none; no probed member
 * answered a connection: none (the path looks cut); the primary does not
 * answer: none, whatever the replicas do (promoting a replica is
 * automatic failover's job, and a replica rebooting then is one fewer to
 * promote); the replicas whose node refused, reset, closed or stayed
 * silent: those, unless more than `max_nodes` (-1: no limit); otherwise
 * none. A replica that answers but whose link is down is never rebooted.
 * `out` must be zeroed; free out->clusters with ec_strlist_clear. -1 only
 * when memory runs out.
 */
int mon_pick_group_replicas(const ec_replication_group *g,
                            const mon_group_member *members, size_t n,
                            long max_nodes, mon_group_pick *out);

#endif
