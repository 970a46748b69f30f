/* SPDX-License-Identifier: Apache-2.0 */
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

/* Append "id" to a ", "-separated list in buf, while it fits. */
static void append_id(char *buf, size_t size, const char *id)
{
    size_t len = strlen(buf);

    if (len + 2 < size)
        snprintf(buf + len, size - len, "%s%s", len ? ", " : "", id ? id : "?");
}

/* Reboot `nodes` unless there are more than the limit. */
static int decide_reboot(const mon_pick_options *opt, const char *what,
                         mon_pick *out)
{
    char ids[256] = "";

    if (opt->max_nodes >= 0 && out->nodes.count > (size_t)opt->max_nodes) {
        for (size_t i = 0; i < out->nodes.count; i++)
            append_id(ids, sizeof(ids), out->nodes.items[i]);
        snprintf(out->why, sizeof(out->why),
                 "%zu nodes %s (%s), more than --max-unresponsive %ld: not "
                 "rebooting any",
                 out->nodes.count, what, ids, opt->max_nodes);
        ec_strlist_clear(&out->nodes);
        out->outcome = MON_PICK_OVER_LIMIT;
        return 0;
    }
    out->outcome = MON_PICK_REBOOT;
    return 0;
}

int mon_pick_nodes(const ec_cache_cluster *cl, const mon_node_probe *probes,
                   size_t count, const mon_plan *plan,
                   const mon_pick_options *opt, mon_pick *out)
{
    mon_cluster_reading cr;
    char busy[256] = "", loaded[256] = "", cut[256] = "";
    size_t unknown = 0;
    bool misconfigured = false;
    mon_node_reading bad = {0}; /* the first setting to fix */

    mon_cluster_read(probes, count, plan, &cr);
    for (size_t i = 0; i < count; i++) {
        const mon_node_probe *np = &probes[i];
        const char *id = np->node->cache_node_id;
        mon_node_reading nr = mon_node_read(np->probed, np->result, plan);
        mon_node_class cls = mon_cluster_node_class(&cr, nr);

        switch (cls) {
        case MON_NODE_MISCONFIGURED:
            if (!misconfigured)
                bad = nr;
            misconfigured = true;
            break;
        case MON_NODE_BROKEN:
            /* A node without an id cannot be named in a reboot. */
            if (id && ec_strlist_push(&out->nodes, id) != 0)
                return nomem(out);
            break;
        case MON_NODE_NO_CONNECTION:
            append_id(cut, sizeof(cut), id);
            break;
        case MON_NODE_BUSY:
            append_id(loaded, sizeof(loaded), id);
            break;
        case MON_NODE_UNPROBED:
            if (!np->probed && !is_available(np->node) &&
                np->node->cache_node_status) {
                /* Rebooting, creating...: not a node to reboot now. */
                char one[128];

                snprintf(one, sizeof(one), "%s %s", id ? id : "?",
                         np->node->cache_node_status);
                append_id(busy, sizeof(busy), one);
            } else {
                /* No endpoint, --no-probe, no status, no time. */
                unknown++;
            }
            break;
        case MON_NODE_OK:
            break;
        }
    }
    if (misconfigured) {
        ec_strlist_clear(&out->nodes);
        out->outcome = MON_PICK_MISCONFIGURED;
        snprintf(out->why, sizeof(out->why),
                 "not rebooting: the probe's settings are wrong, not the "
                 "nodes (%s a node%s%s)",
                 bad.what, bad.fix ? ": " : "", bad.fix ? bad.fix : "");
        return 0;
    }
    if (cr.path_cut) {
        out->outcome = MON_PICK_PATH_CUT;
        snprintf(out->why, sizeof(out->why),
                 "no connection to node(s) %s: the network path looks cut, "
                 "not the nodes; not rebooting",
                 cut);
        return 0;
    }
    if (out->nodes.count > 0)
        return decide_reboot(opt, "unresponsive", out);
    if (unknown > 0 && opt->all_if_unknown) {
        for (size_t i = 0; i < count; i++) {
            const char *id = probes[i].node->cache_node_id;

            if (id && ec_strlist_push(&out->nodes, id) != 0)
                return nomem(out);
        }
        if (out->nodes.count > 0)
            return decide_reboot(opt, "of unknown state", out);
    }
    out->outcome = unknown > 0 ? MON_PICK_UNKNOWN : MON_PICK_NOTHING;
    if (unknown > 0)
        snprintf(out->why, sizeof(out->why),
                 "cannot tell which nodes are unresponsive (%zu not probed); "
                 "not rebooting (see --all-nodes-if-unknown)",
                 unknown);
    else if (busy[0])
        snprintf(out->why, sizeof(out->why),
                 "cluster %s, node %s; the others answer: nothing to reboot",
                 cl->cache_cluster_status ? cl->cache_cluster_status : "?",
                 busy);
    else if (loaded[0])
        snprintf(out->why, sizeof(out->why),
                 "node(s) %s busy (they answer), the others answer: nothing "
                 "to reboot",
                 loaded);
    else
        snprintf(out->why, sizeof(out->why),
                 "every node answers: nothing to reboot");
    return 0;
}

mon_pick_record mon_pick_record_of(mon_pick_outcome outcome)
{
    switch (outcome) {
    case MON_PICK_MISCONFIGURED:
    case MON_PICK_CLUSTER_MODE:
        return (mon_pick_record){MON_UNKNOWN, true};
    case MON_PICK_PATH_CUT:
    case MON_PICK_OVER_LIMIT:
    case MON_PICK_PRIMARY:
        return (mon_pick_record){MON_CRITICAL, true};
    case MON_PICK_UNKNOWN:
        return (mon_pick_record){MON_UNKNOWN, false};
    case MON_PICK_NOTHING:
    case MON_PICK_REBOOT:
        break;
    }
    return (mon_pick_record){MON_OK, false};
}
