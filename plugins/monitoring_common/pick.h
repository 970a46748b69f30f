/*
 * What elasticache_event_handler reboots, given a described cluster and its
 * nodes' probes: the nodes that do not answer, or nothing and why. Pure, so
 * it is table-tested like judge.c (tests/unit/monitoring/test_pick.c).
 */
#ifndef MON_PICK_H
#define MON_PICK_H

#include <stdbool.h>

#include "cluster.h"

typedef struct mon_pick {
    ec_strlist nodes; /* to reboot; empty: nothing to do (see why) */
    char why[512];    /* why nothing, when nodes is empty */
} mon_pick;

/*
 * Choose the nodes to reboot among `count` probes (mon_probe_clusters, in
 * node order) of cluster `cl`: those probed and unreachable. A node that
 * was not probed or whose answer says nothing about its liveness (AUTH,
 * TLS, a wrong answer) is unknown; with nothing unreachable and something
 * unknown, every node when `all_if_unknown`, otherwise none. A node that
 * is not available (rebooting, creating) is busy, never chosen. `out` must
 * be zeroed; free out->nodes with ec_strlist_clear. -1 (why says so) only
 * when memory runs out.
 */
int mon_pick_nodes(const ec_cache_cluster *cl, const mon_node_probe *probes,
                   size_t count, bool all_if_unknown, mon_pick *out);

#endif
