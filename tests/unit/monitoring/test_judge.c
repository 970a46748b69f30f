/* mon_judge_cluster on hand-built clusters and probe results: one row per
 * situation, with the state and summary the check must print. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "testutil.h"

/* A node as a row: id, API status, parameter group status, then what the
 * probe found ('-' not probed, 'o' ok, 'u' unreachable, 'a' auth failed,
 * 't' TLS failed, 'b' bad answer) and its seconds. */
typedef struct node_row {
    const char *id, *status, *pg;
    char probe;
    double seconds;
} node_row;

typedef struct judge_case {
    const char *name;
    const char *cluster_status;
    const char *engine;
    node_row nodes[3];
    const char *warn, *crit; /* ranges, NULL for none */
    mon_state pending_state;
    bool no_probe;
    mon_state want;
    const char *summary;
} judge_case;

static const judge_case cases[] = {
    {"all fine",
     "available",
     "memcached",
     {{"0001", "available", "in-sync", 'o', 0.001},
      {"0002", "available", "in-sync", 'o', 0.004}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_OK,
     "c available, 2 of 2 nodes answer (slowest 0002 0.004s)"},
    {"one unresponsive",
     "available",
     "memcached",
     {{"0001", "available", "in-sync", 'o', 0.001},
      {"0002", "available", "in-sync", 'u', 1}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_CRITICAL,
     "c: node 0002 unresponsive"},
    {"two unresponsive",
     "available",
     "redis",
     {{"0001", "available", "in-sync", 'u', 1},
      {"0002", "available", "in-sync", 'o', 0.001},
      {"0003", "available", "in-sync", 'u', 1}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_CRITICAL,
     "c: nodes 0001, 0003 unresponsive"},
    {"rebooting",
     "rebooting cache cluster nodes",
     "memcached",
     {{"0001", "rebooting", "in-sync", '-', 0},
      {"0002", "available", "in-sync", 'o', 0.001}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_WARNING,
     "c: cluster rebooting cache cluster nodes; 1 of 2 nodes rebooting"},
    {"node creating in an available cluster",
     "available",
     "memcached",
     {{"0001", "creating", "in-sync", '-', 0},
      {"0002", "available", "in-sync", 'o', 0.001}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_WARNING,
     "c: 1 of 2 nodes available"},
    {"deleting",
     "deleting",
     "memcached",
     {{"0001", "available", "in-sync", 'o', 0.001}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_CRITICAL,
     "c: cluster deleting"},
    {"restore-failed",
     "restore-failed",
     "redis",
     {{"0001", "available", "in-sync", 'u', 1}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_CRITICAL,
     "c: cluster restore-failed; node 0001 unresponsive"},
    {"unknown status",
     "frobnicating",
     "redis",
     {{"0001", "available", "in-sync", 'o', 0.001}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_UNKNOWN,
     "c: cluster frobnicating"},
    {"pending reboot, default WARNING",
     "available",
     "memcached",
     {{"0001", "available", "pending-reboot", 'o', 0.001}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_WARNING,
     "c: 1 node pending reboot"},
    {"pending reboot as OK",
     "available",
     "memcached",
     {{"0001", "available", "pending-reboot", 'o', 0.001}},
     NULL,
     NULL,
     MON_OK,
     false,
     MON_OK,
     "c available, 1 of 1 nodes answer (slowest 0001 0.001s)"},
    {"pending reboot as CRITICAL",
     "available",
     "memcached",
     {{"0001", "available", "pending-reboot", 'o', 0.001}},
     NULL,
     NULL,
     MON_CRITICAL,
     false,
     MON_CRITICAL,
     "c: 1 node pending reboot"},
    {"auth failure is UNKNOWN, not CRITICAL",
     "available",
     "redis",
     {{"0001", "available", "in-sync", 'a', 0.001}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_UNKNOWN,
     "c: AUTH failed on 0001"},
    {"unresponsive beats auth failure",
     "available",
     "redis",
     {{"0001", "available", "in-sync", 'a', 0.001},
      {"0002", "available", "in-sync", 'u', 1}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_CRITICAL,
     "c: node 0002 unresponsive; AUTH failed on 0001"},
    {"TLS failure",
     "available",
     "redis",
     {{"0001", "available", "in-sync", 't', 0.001}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_UNKNOWN,
     "c: TLS failed on 0001"},
    {"bad answer (LOADING) is WARNING",
     "available",
     "redis",
     {{"0001", "available", "in-sync", 'b', 0.001}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_WARNING,
     "c: 0001 answer wrongly"},
    {"latency warning",
     "available",
     "memcached",
     {{"0001", "available", "in-sync", 'o', 0.2},
      {"0002", "available", "in-sync", 'o', 0.05}},
     "0.1",
     "0.5",
     MON_WARNING,
     false,
     MON_WARNING,
     "c: slowest node 0001 answered in 0.2s"},
    {"latency critical",
     "available",
     "memcached",
     {{"0001", "available", "in-sync", 'o', 0.7}},
     "0.1",
     "0.5",
     MON_WARNING,
     false,
     MON_CRITICAL,
     "c: slowest node 0001 answered in 0.7s"},
    {"latency inside @ range",
     "available",
     "memcached",
     {{"0001", "available", "in-sync", 'o', 0.3}},
     NULL,
     "@0.2:0.4",
     MON_WARNING,
     false,
     MON_CRITICAL,
     "c: slowest node 0001 answered in 0.3s"},
    {"no probe",
     "available",
     "memcached",
     {{"0001", "available", "in-sync", '-', 0}},
     "0.1",
     NULL,
     MON_WARNING,
     true,
     MON_OK,
     "c available, 1 of 1 nodes available (not probed)"},
    {"engine it cannot probe",
     "available",
     "mystery",
     {{"0001", "available", "in-sync", '-', 0}},
     NULL,
     NULL,
     MON_WARNING,
     false,
     MON_UNKNOWN,
     "c: cannot probe engine mystery"},
};

static void run_case(const judge_case *jc)
{
    ec_cache_cluster cl = {0};
    ec_cache_node nodes[3] = {{0}};
    ec_cache_node *node_ptrs[3] = {&nodes[0], &nodes[1], &nodes[2]};
    ec_probe_result results[3] = {{0}};
    mon_node_probe probes[3] = {{0}};
    mon_judge_options opt = {0};
    mon_verdict v;
    size_t n = 0;

    cl.cache_cluster_id = "c";
    cl.cache_cluster_status = (char *)jc->cluster_status;
    cl.engine = (char *)jc->engine;
    for (; n < 3 && jc->nodes[n].id; n++) {
        const node_row *r = &jc->nodes[n];

        nodes[n].cache_node_id = (char *)r->id;
        nodes[n].cache_node_status = (char *)r->status;
        nodes[n].parameter_group_status = (char *)r->pg;
        probes[n].node = &nodes[n];
        probes[n].probed = r->probe != '-';
        probes[n].result = probes[n].probed ? &results[n] : NULL;
        results[n].seconds = r->seconds;
        results[n].ok = r->probe == 'o';
        results[n].status = r->probe == 'u'   ? EC_PROBE_UNREACHABLE
                            : r->probe == 'a' ? EC_PROBE_AUTH_FAILED
                            : r->probe == 't' ? EC_PROBE_TLS_FAILED
                            : r->probe == 'b' ? EC_PROBE_BAD_ANSWER
                                              : EC_PROBE_OK;
    }
    cl.cache_nodes.set = true;
    cl.cache_nodes.count = n;
    cl.cache_nodes.items = node_ptrs;
    if (jc->warn)
        CHECK_INT(mon_range_parse(jc->warn, &opt.latency.warning, NULL), 0);
    if (jc->crit)
        CHECK_INT(mon_range_parse(jc->crit, &opt.latency.critical, NULL), 0);
    opt.pending_state = jc->pending_state;
    opt.no_probe = jc->no_probe;
    mon_judge_cluster(&cl, probes, n, &opt, &v);
    if (v.state != jc->want || strcmp(v.summary, jc->summary) != 0)
        fprintf(stderr, "case '%s':\n", jc->name);
    CHECK_INT(v.state, jc->want);
    CHECK_STR(v.summary, jc->summary);
    CHECK_INT(v.nodes, n);
}

/* --all's arithmetic: the worst state, the counts, the problems named. */
static void test_tally(void)
{
    static const struct {
        mon_state state;
        const char *summary;
        size_t nodes, rebooting, unresponsive, pending, answered;
        double slowest;
    } rows[] = {
        {MON_OK, "a available, 2 of 2 nodes answer", 2, 0, 0, 0, 2, 0.004},
        {MON_CRITICAL, "b: node 0002 unresponsive", 3, 0, 1, 0, 2, 0.010},
        {MON_UNKNOWN, "c: AUTH failed on 0001", 1, 0, 0, 1, 0, -1},
        {MON_WARNING, "d: 1 of 2 nodes rebooting", 2, 1, 0, 0, 1, 0.002},
    };
    mon_tally t = MON_TALLY_INIT, empty = MON_TALLY_INIT;
    char line[2048];

    mon_tally_summary(&empty, line, sizeof(line));
    CHECK_STR(line, "0 clusters: 0 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN");
    CHECK_INT(empty.state, MON_OK);
    CHECK(empty.slowest < 0);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        mon_verdict v = {0};

        v.state = rows[i].state;
        snprintf(v.summary, sizeof(v.summary), "%s", rows[i].summary);
        v.nodes = rows[i].nodes;
        v.rebooting = rows[i].rebooting;
        v.unresponsive = rows[i].unresponsive;
        v.pending = rows[i].pending;
        v.answered = rows[i].answered;
        v.slowest = rows[i].slowest;
        mon_tally_add(&t, &v);
    }
    CHECK_INT(t.state, MON_CRITICAL);
    CHECK_INT(t.clusters, 4);
    CHECK_INT(t.nodes, 8);
    CHECK_INT(t.rebooting, 1);
    CHECK_INT(t.unresponsive, 1);
    CHECK_INT(t.pending, 1);
    CHECK(t.slowest == 0.010);
    mon_tally_summary(&t, line, sizeof(line));
    CHECK_STR(line, "4 clusters: 1 OK, 1 WARNING, 1 CRITICAL, 1 UNKNOWN; b: "
                    "node 0002 unresponsive; c: AUTH failed on 0001; d: 1 of "
                    "2 nodes rebooting");
    /* Many problems: named while they fit, never past the buffer. */
    for (int i = 0; i < 100; i++) {
        mon_verdict v = {0};

        v.state = MON_WARNING;
        snprintf(v.summary, sizeof(v.summary), "cluster-%03d: modifying", i);
        mon_tally_add(&t, &v);
    }
    CHECK_INT(t.clusters, 104);
    CHECK(strlen(t.problems) < sizeof(t.problems));
    CHECK(strstr(t.problems, "cluster-000: modifying") != NULL);
    CHECK(strstr(t.problems, "cluster-099") == NULL);
}

int main(void)
{
    static const struct {
        const char *status;
        mon_state want;
    } statuses[] = {
        {"available", MON_OK},
        {"creating", MON_WARNING},
        {"modifying", MON_WARNING},
        {"snapshotting", MON_WARNING},
        {"rebooting cache cluster nodes", MON_WARNING},
        {"deleting", MON_CRITICAL},
        {"deleted", MON_CRITICAL},
        {"incompatible-network", MON_CRITICAL},
        {"restore-failed", MON_CRITICAL},
        {"", MON_UNKNOWN},
        {NULL, MON_UNKNOWN},
    };

    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
        CHECK_INT(mon_cluster_status_state(statuses[i].status),
                  statuses[i].want);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(&cases[i]);
    test_tally();
    return test_status("judge");
}
