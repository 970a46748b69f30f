/* The event handler's choice of nodes to reboot (see pick.h). Pure: no
 * I/O, no clock. */
#include "pick.h"

#include <stdio.h>
#include <string.h>

static bool is_available(const ec_cache_node *n)
{
    return n->cache_node_status &&
           strcmp(n->cache_node_status, "available") == 0;
}

static int nomem(mon_pick *out)
{
    ec_strlist_clear(&out->nodes);
    snprintf(out->why, sizeof(out->why), "out of memory");
    return -1;
}

int mon_pick_nodes(const ec_cache_cluster *cl, const mon_node_probe *probes,
                   size_t count, bool all_if_unknown, mon_pick *out)
{
    char busy[256] = "";
    size_t busy_len = 0, unknown = 0;

    for (size_t i = 0; i < count; i++) {
        const mon_node_probe *np = &probes[i];
        const char *id = np->node->cache_node_id;

        if (np->probed && np->result->status == EC_PROBE_UNREACHABLE && id) {
            if (ec_strlist_push(&out->nodes, id) != 0)
                return nomem(out);
        } else if (!np->probed && !is_available(np->node) &&
                   np->node->cache_node_status) {
            /* Rebooting, creating...: not a node to reboot now. */
            int n = snprintf(busy + busy_len, sizeof(busy) - busy_len,
                             "%s%s %s", busy_len ? ", " : "", id ? id : "?",
                             np->node->cache_node_status);

            if (n > 0 && (size_t)n < sizeof(busy) - busy_len)
                busy_len += (size_t)n;
        } else if (!np->probed || !np->result->ok) {
            /* Not probed (no endpoint, --no-probe, no status) or an answer
             * that says nothing about liveness (AUTH, TLS). */
            unknown++;
        }
    }
    if (out->nodes.count > 0)
        return 0;
    if (unknown > 0 && all_if_unknown) {
        for (size_t i = 0; i < count; i++) {
            const char *id = probes[i].node->cache_node_id;

            /* A node without an id cannot be named in a reboot. */
            if (id && ec_strlist_push(&out->nodes, id) != 0)
                return nomem(out);
        }
    } else if (unknown > 0) {
        snprintf(out->why, sizeof(out->why),
                 "cannot tell which nodes are unresponsive (%zu not probed or "
                 "not judged); not rebooting (see --all-nodes-if-unknown)",
                 unknown);
    } else if (busy_len) {
        snprintf(out->why, sizeof(out->why),
                 "cluster %s, node %s; the others answer: nothing to reboot",
                 cl->cache_cluster_status ? cl->cache_cluster_status : "?",
                 busy);
    } else {
        snprintf(out->why, sizeof(out->why),
                 "every node answers: nothing to reboot");
    }
    return 0;
}
