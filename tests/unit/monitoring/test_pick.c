/* mon_pick_nodes on hand-built clusters and probe results: one row per
 * situation, with the nodes the event handler must reboot or why none. */
#include <string.h>

#include "pick.h"
#include "testutil.h"

/* A node as a row: id (NULL: the node has none), API status, then what the
 * probe found ('-' not probed, 'o' ok, 'u' unreachable, 'a' auth failed,
 * 't' TLS failed, 'b' bad answer). */
typedef struct node_row {
    const char *id, *status;
    char probe;
} node_row;

typedef struct pick_case {
    const char *name;
    const char *cluster_status;
    node_row nodes[4];
    size_t node_count;
    bool all_if_unknown;
    const char *want_nodes; /* "0001,0003", "" for none */
    const char *want_why;   /* when none */
} pick_case;

static const pick_case cases[] = {
    {"every node answers",
     "available",
     {{"0001", "available", 'o'}, {"0002", "available", 'o'}},
     2,
     false,
     "",
     "every node answers: nothing to reboot"},
    {"one unreachable",
     "available",
     {{"0001", "available", 'o'}, {"0002", "available", 'u'}},
     2,
     false,
     "0002",
     ""},
    {"two unreachable, in node order",
     "available",
     {{"0003", "available", 'u'},
      {"0001", "available", 'o'},
      {"0002", "available", 'u'}},
     3,
     false,
     "0003,0002",
     ""},
    {"unreachable wins over unknown: only the unreachable one",
     "available",
     {{"0001", "available", 'u'}, {"0002", "available", 'a'}},
     2,
     true,
     "0001",
     ""},
    {"AUTH failed says nothing about liveness",
     "available",
     {{"0001", "available", 'a'}, {"0002", "available", 'o'}},
     2,
     false,
     "",
     "cannot tell which nodes are unresponsive (1 not probed or not judged); "
     "not rebooting (see --all-nodes-if-unknown)"},
    {"unknown with --all-nodes-if-unknown: every node",
     "available",
     {{"0001", "available", 't'}, {"0002", "available", 'o'}},
     2,
     true,
     "0001,0002",
     ""},
    {"not probed at all (--no-probe) and available: unknown",
     "available",
     {{"0001", "available", '-'}, {"0002", "available", '-'}},
     2,
     false,
     "",
     "cannot tell which nodes are unresponsive (2 not probed or not judged); "
     "not rebooting (see --all-nodes-if-unknown)"},
    {"a wrong answer is unknown too",
     "available",
     {{"0001", "available", 'b'}},
     1,
     false,
     "",
     "cannot tell which nodes are unresponsive (1 not probed or not judged); "
     "not rebooting (see --all-nodes-if-unknown)"},
    {"a rebooting node is busy, never chosen",
     "rebooting cache cluster nodes",
     {{"0001", "rebooting", '-'}, {"0002", "available", 'o'}},
     2,
     true,
     "",
     "cluster rebooting cache cluster nodes, node 0001 rebooting; the others "
     "answer: nothing to reboot"},
    {"busy nodes are listed",
     "modifying",
     {{"0001", "rebooting", '-'},
      {"0002", "creating", '-'},
      {"0003", "available", 'o'}},
     3,
     false,
     "",
     "cluster modifying, node 0001 rebooting, 0002 creating; the others "
     "answer: nothing to reboot"},
    {"a node without status is unknown, not busy",
     "available",
     {{"0001", NULL, '-'}, {"0002", "available", 'o'}},
     2,
     false,
     "",
     "cannot tell which nodes are unresponsive (1 not probed or not judged); "
     "not rebooting (see --all-nodes-if-unknown)"},
    {"an unreachable node without an id cannot be named: unknown",
     "available",
     {{NULL, "available", 'u'}, {"0002", "available", 'o'}},
     2,
     true,
     "0002",
     ""},
    {"no nodes at all",
     "available",
     {{NULL, NULL, 0}},
     0,
     true,
     "",
     "every node answers: nothing to reboot"},
};

static void run_case(const pick_case *pc)
{
    ec_cache_cluster cl = {0};
    ec_cache_node nodes[4] = {{0}};
    ec_cache_node *node_ptrs[4] = {&nodes[0], &nodes[1], &nodes[2], &nodes[3]};
    ec_probe_result results[4] = {{0}};
    mon_node_probe probes[4] = {{0}};
    mon_pick got = {0};
    char list[128] = "";
    size_t len = 0;

    cl.cache_cluster_id = "c";
    cl.cache_cluster_status = (char *)pc->cluster_status;
    for (size_t n = 0; n < pc->node_count; n++) {
        const node_row *r = &pc->nodes[n];

        nodes[n].cache_node_id = (char *)r->id;
        nodes[n].cache_node_status = (char *)r->status;
        probes[n].node = &nodes[n];
        probes[n].probed = r->probe != '-';
        probes[n].result = probes[n].probed ? &results[n] : NULL;
        results[n].ok = r->probe == 'o';
        results[n].status = r->probe == 'u'   ? EC_PROBE_UNREACHABLE
                            : r->probe == 'a' ? EC_PROBE_AUTH_FAILED
                            : r->probe == 't' ? EC_PROBE_TLS_FAILED
                            : r->probe == 'b' ? EC_PROBE_BAD_ANSWER
                                              : EC_PROBE_OK;
    }
    cl.cache_nodes.set = true;
    cl.cache_nodes.count = pc->node_count;
    cl.cache_nodes.items = node_ptrs;

    CHECK_INT(
        mon_pick_nodes(&cl, probes, pc->node_count, pc->all_if_unknown, &got),
        0);
    for (size_t i = 0; i < got.nodes.count; i++)
        len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
                                i ? "," : "", got.nodes.items[i]);
    if (strcmp(list, pc->want_nodes) != 0 ||
        (!got.nodes.count && strcmp(got.why, pc->want_why) != 0))
        fprintf(stderr, "case '%s':\n", pc->name);
    CHECK_STR(list, pc->want_nodes);
    if (got.nodes.count == 0)
        CHECK_STR(got.why, pc->want_why);
    ec_strlist_clear(&got.nodes);
}

int main(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(&cases[i]);
    return test_status("pick");
}
