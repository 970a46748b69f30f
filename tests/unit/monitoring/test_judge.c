/* mon_judge_cluster on hand-built clusters and probe results: one row per
 * situation, with the state and summary the check must print. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "rows.h"
#include "testutil.h"

typedef struct judge_case {
    const char *name;
    const char *engine, *status, *api;
    int tls, auth; /* forced: -1 from the API, 0 off, 1 on */
    bool no_token; /* no token known */
    node_row nodes[ROWS_MAX];
    const char *warn, *crit;   /* latency ranges */
    const char *uwarn, *ucrit; /* unresponsive ranges */
    mon_state pending_state;
    bool no_probe;
    mon_state want;
    const char *summary;
    long unresponsive;  /* -1: not checked */
    double slowest_all; /* -2: not checked */
} judge_case;

#define OK_NODE(id, s)                                                         \
    {                                                                          \
        id, "available", "in-sync", 'o', s                                     \
    }
#define NODE(id, p)                                                            \
    {                                                                          \
        id, "available", "in-sync", p, 0.001                                   \
    }
#define TIMEOUT 2.0

static const judge_case cases[] = {
    {.name = "all fine",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.001), OK_NODE("0002", 0.004)},
     .want = MON_OK,
     .summary = "c available, 2 of 2 nodes answer (slowest 0002 0.004s)",
     .unresponsive = 0,
     .slowest_all = 0.004},
    {.name = "one refused: unresponsive, at the timeout in slowest",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.001), NODE("0002", 'r')},
     .want = MON_CRITICAL,
     .summary = "c: node 0002 unresponsive",
     .unresponsive = 1,
     .slowest_all = TIMEOUT},
    {.name = "two silent after accepting",
     .engine = "redis",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 's'), OK_NODE("0002", 0.001), NODE("0003", 'x')},
     .want = MON_CRITICAL,
     .summary = "c: nodes 0001, 0003 unresponsive",
     .unresponsive = 2,
     .slowest_all = TIMEOUT},
    {.name = "rebooting",
     .engine = "memcached",
     .status = "rebooting cache cluster nodes",
     .tls = -1,
     .auth = -1,
     .nodes = {{"0001", "rebooting", "in-sync", '-', 0},
               OK_NODE("0002", 0.001)},
     .want = MON_WARNING,
     .summary = "c: cluster rebooting cache cluster nodes; 1 of 2 nodes "
                "rebooting",
     .unresponsive = 0,
     .slowest_all = 0.001},
    {.name = "node creating in an available cluster",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {{"0001", "creating", "in-sync", '-', 0}, OK_NODE("0002", 0.001)},
     .want = MON_WARNING,
     .summary = "c: 1 of 2 nodes available",
     .unresponsive = -1,
     .slowest_all = -2},
    {.name = "deleting",
     .engine = "memcached",
     .status = "deleting",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.001)},
     .want = MON_CRITICAL,
     .summary = "c: cluster deleting",
     .unresponsive = -1,
     .slowest_all = -2},
    {.name = "restore-failed",
     .engine = "redis",
     .status = "restore-failed",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'r')},
     .want = MON_CRITICAL,
     .summary = "c: cluster restore-failed; node 0001 unresponsive",
     .unresponsive = -1,
     .slowest_all = -2},
    {.name = "unknown status",
     .engine = "redis",
     .status = "frobnicating",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.001)},
     .want = MON_UNKNOWN,
     .summary = "c: cluster frobnicating",
     .unresponsive = -1,
     .slowest_all = -2},
    {.name = "pending reboot, default WARNING",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {{"0001", "available", "pending-reboot", 'o', 0.001}},
     .pending_state = MON_WARNING,
     .want = MON_WARNING,
     .summary = "c: 1 node pending reboot",
     .unresponsive = -1,
     .slowest_all = -2},
    {.name = "pending reboot as OK",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {{"0001", "available", "pending-reboot", 'o', 0.001}},
     .pending_state = MON_OK,
     .want = MON_OK,
     .summary = "c available, 1 of 1 nodes answer (slowest 0001 0.001s)",
     .unresponsive = -1,
     .slowest_all = -2},
    {.name = "pending reboot as CRITICAL",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {{"0001", "available", "pending-reboot", 'o', 0.001}},
     .pending_state = MON_CRITICAL,
     .want = MON_CRITICAL,
     .summary = "c: 1 node pending reboot",
     .unresponsive = -1,
     .slowest_all = -2},
    {.name = "AUTH refused: UNKNOWN naming the token",
     .engine = "redis",
     .status = "available",
     .api = "auth",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'a')},
     .want = MON_UNKNOWN,
     .summary = "c: AUTH refused by 0001: the token given for the cluster is "
                "wrong (--auth-token-file, --auth-token-env, "
                "--auth-token-dir, --auth-token-map)",
     .unresponsive = 0,
     .slowest_all = -1},
    {.name = "unresponsive beats AUTH refused",
     .engine = "redis",
     .status = "available",
     .api = "auth",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'a'), NODE("0002", 'r')},
     .want = MON_CRITICAL,
     .summary = "c: node 0002 unresponsive; AUTH refused by 0001: the token "
                "given for the cluster is wrong (--auth-token-file, "
                "--auth-token-env, --auth-token-dir, --auth-token-map)",
     .unresponsive = 1,
     .slowest_all = -2},
    {.name = "NOAUTH, AuthTokenEnabled, no token",
     .engine = "redis",
     .status = "available",
     .api = "auth",
     .tls = -1,
     .auth = -1,
     .no_token = true,
     .nodes = {NODE("0001", 'q')},
     .want = MON_UNKNOWN,
     .summary = "c: AUTH required by 0001: the cluster has "
                "AuthTokenEnabled=true and no token was given: "
                "--auth-token-file or --auth-token-env (--auth-token-dir or "
                "--auth-token-map with --all)",
     .unresponsive = 0,
     .slowest_all = -2},
    {.name = "--auth on a cluster without AUTH",
     .engine = "redis",
     .status = "available",
     .tls = -1,
     .auth = 1,
     .nodes = {NODE("0001", 'a')},
     .want = MON_UNKNOWN,
     .summary = "c: AUTH refused by 0001: --auth, but the cluster has "
                "AuthTokenEnabled=false: drop --auth",
     .unresponsive = 0,
     .slowest_all = -2},
    {.name = "certificate not verified",
     .engine = "redis",
     .status = "available",
     .api = "tls",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'v')},
     .want = MON_UNKNOWN,
     .summary = "c: TLS certificate not verified for 0001: give the CA with "
                "--probe-ca-bundle (or --probe-no-verify)",
     .unresponsive = 0,
     .slowest_all = -2},
    {.name = "--tls on a plain text Redis: silent handshake, the API says "
             "why",
     .engine = "redis",
     .status = "available",
     .tls = 1,
     .auth = -1,
     .nodes = {NODE("0001", 'h')},
     .want = MON_UNKNOWN,
     .summary = "c: no TLS handshake from 0001: --tls, but the cluster has "
                "TransitEncryptionEnabled=false: drop --tls",
     .unresponsive = 0,
     .slowest_all = -1},
    {.name = "--tls on a TLS cluster: a silent handshake is a hung node",
     .engine = "redis",
     .status = "available",
     .api = "tls",
     .tls = 1,
     .auth = -1,
     .nodes = {NODE("0001", 'h')},
     .want = MON_CRITICAL,
     .summary = "c: node 0001 unresponsive",
     .unresponsive = 1,
     .slowest_all = TIMEOUT},
    {.name = "TLS from the API, silent handshake: hung",
     .engine = "redis",
     .status = "available",
     .api = "tls-required",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'h'), OK_NODE("0002", 0.002)},
     .want = MON_CRITICAL,
     .summary = "c: node 0001 unresponsive",
     .unresponsive = 1,
     .slowest_all = TIMEOUT},
    {.name = "--no-tls on a cluster that requires TLS: reset, the API says "
             "why",
     .engine = "redis",
     .status = "available",
     .api = "tls",
     .tls = 0,
     .auth = -1,
     .nodes = {NODE("0001", 'x'), NODE("0002", 'x')},
     .want = MON_UNKNOWN,
     .summary = "c: no answer in plain text from 0001, 0002: --no-tls, but "
                "the cluster requires TLS (TransitEncryptionEnabled=true): "
                "drop --no-tls",
     .unresponsive = 0,
     .slowest_all = -2},
    {.name = "--no-tls on a preferred cluster: it takes plain text, so a "
             "reset is the node",
     .engine = "redis",
     .status = "available",
     .api = "tls-preferred",
     .tls = 0,
     .auth = -1,
     .nodes = {NODE("0001", 'x')},
     .want = MON_CRITICAL,
     .summary = "c: node 0001 unresponsive",
     .unresponsive = 1,
     .slowest_all = -2},
    {.name = "--tls on plain text memcached: it answers ERROR",
     .engine = "memcached",
     .status = "available",
     .tls = 1,
     .auth = -1,
     .nodes = {NODE("0001", 'p')},
     .want = MON_UNKNOWN,
     .summary = "c: plain text answer to TLS from 0001: the nodes do not "
                "speak TLS: drop --tls",
     .unresponsive = 0,
     .slowest_all = -2},
    {.name = "a TLS answer to plain text, the API saying no TLS",
     .engine = "redis",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'e')},
     .want = MON_UNKNOWN,
     .summary = "c: TLS answer to plain text from 0001: the nodes speak TLS "
                "although the cluster has TransitEncryptionEnabled=false: "
                "use --tls",
     .unresponsive = 0,
     .slowest_all = -2},
    {.name = "busy (LOADING) is WARNING",
     .engine = "redis",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'b')},
     .want = MON_WARNING,
     .summary = "c: 0001 busy",
     .unresponsive = 0,
     .slowest_all = -1},
    {.name = "a wrong answer is a setting",
     .engine = "redis",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'w')},
     .want = MON_UNKNOWN,
     .summary = "c: wrong answer from 0001: is the endpoint a node of the "
                "cluster's engine?",
     .unresponsive = 0,
     .slowest_all = -2},
    {.name = "two settings, two problems",
     .engine = "redis",
     .status = "available",
     .api = "tls auth",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'a'), NODE("0002", 'v'), NODE("0003", 'a')},
     .want = MON_UNKNOWN,
     .summary = "c: AUTH refused by 0001, 0003: the token given for the "
                "cluster is wrong (--auth-token-file, --auth-token-env, "
                "--auth-token-dir, --auth-token-map); TLS certificate not "
                "verified for 0002: give the CA with --probe-ca-bundle (or "
                "--probe-no-verify)",
     .unresponsive = 0,
     .slowest_all = -2},
    {.name = "every node: connect timeout: the path looks cut",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'c'), NODE("0002", 'c')},
     .want = MON_CRITICAL,
     .summary = "c: no connection to nodes 0001, 0002: the network path "
                "looks cut, not the nodes",
     .unresponsive = 2,
     .slowest_all = TIMEOUT},
    {.name = "the only node: connect timeout: the path looks cut",
     .engine = "redis",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'c')},
     .want = MON_CRITICAL,
     .summary = "c: no connection to node 0001: the network path looks "
                "cut, not the node",
     .unresponsive = 1,
     .slowest_all = TIMEOUT},
    {.name = "no route to any node: cut",
     .engine = "redis",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'n'), NODE("0002", 'c')},
     .want = MON_CRITICAL,
     .summary = "c: no connection to nodes 0001, 0002: the network path "
                "looks cut, not the nodes",
     .unresponsive = 2,
     .slowest_all = -2},
    {.name = "connect timeout while another node answers: that node",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.001), NODE("0002", 'c')},
     .want = MON_CRITICAL,
     .summary = "c: node 0002 unresponsive",
     .unresponsive = 1,
     .slowest_all = TIMEOUT},
    {.name = "connect timeout and a refusal: both nodes",
     .engine = "redis",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'c'), NODE("0002", 'r')},
     .want = MON_CRITICAL,
     .summary = "c: nodes 0001, 0002 unresponsive",
     .unresponsive = 2,
     .slowest_all = -2},
    {.name = "1 of 6 down with -W 0 -K 1: WARNING",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.001), OK_NODE("0002", 0.001),
               OK_NODE("0003", 0.001), OK_NODE("0004", 0.001),
               OK_NODE("0005", 0.001), NODE("0006", 's')},
     .uwarn = "0",
     .ucrit = "1",
     .want = MON_WARNING,
     .summary = "c: node 0006 unresponsive",
     .unresponsive = 1,
     .slowest_all = -2},
    {.name = "2 of 6 down with -W 0 -K 1: CRITICAL",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.001), OK_NODE("0002", 0.001),
               OK_NODE("0003", 0.001), OK_NODE("0004", 0.001),
               NODE("0005", 'r'), NODE("0006", 's')},
     .uwarn = "0",
     .ucrit = "1",
     .want = MON_CRITICAL,
     .summary = "c: nodes 0005, 0006 unresponsive",
     .unresponsive = 2,
     .slowest_all = -2},
    {.name = "1 of 6 down (17%) with -W 10% -K 34%: WARNING",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.001), OK_NODE("0002", 0.001),
               OK_NODE("0003", 0.001), OK_NODE("0004", 0.001),
               OK_NODE("0005", 0.001), NODE("0006", 's')},
     .uwarn = "10%",
     .ucrit = "34%",
     .want = MON_WARNING,
     .summary = "c: node 0006 unresponsive",
     .unresponsive = 1,
     .slowest_all = -2},
    {.name = "1 of 6 down within both ranges: OK, still named",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.001), OK_NODE("0002", 0.001),
               OK_NODE("0003", 0.001), OK_NODE("0004", 0.001),
               OK_NODE("0005", 0.001), NODE("0006", 's')},
     .uwarn = "1",
     .ucrit = "50%",
     .want = MON_OK,
     .summary = "c: node 0006 unresponsive",
     .unresponsive = 1,
     .slowest_all = -2},
    {.name = "a node not started in time is UNKNOWN, never unresponsive",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.001), NODE("0002", 'z')},
     .want = MON_UNKNOWN,
     .summary = "c: 0002 not probed in time (too many nodes for the timeout "
                "or the file descriptors)",
     .unresponsive = 0,
     .slowest_all = 0.001},
    {.name = "twelve nodes down: ten named and (+2 more)",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {NODE("0001", 'r'), NODE("0002", 'r'), NODE("0003", 'r'),
               NODE("0004", 'r'), NODE("0005", 'r'), NODE("0006", 'r'),
               NODE("0007", 'r'), NODE("0008", 'r'), NODE("0009", 'r'),
               NODE("0010", 'r'), NODE("0011", 'r'), NODE("0012", 's')},
     .want = MON_CRITICAL,
     .summary = "c: nodes 0001, 0002, 0003, 0004, 0005, 0006, 0007, 0008, "
                "0009, 0010 (+2 more) unresponsive",
     .unresponsive = 12,
     .slowest_all = TIMEOUT},
    {.name = "latency warning",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.2), OK_NODE("0002", 0.05)},
     .warn = "0.1",
     .crit = "0.5",
     .want = MON_WARNING,
     .summary = "c: slowest node 0001 answered in 0.2s",
     .unresponsive = -1,
     .slowest_all = 0.2},
    {.name = "latency critical",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.7)},
     .warn = "0.1",
     .crit = "0.5",
     .want = MON_CRITICAL,
     .summary = "c: slowest node 0001 answered in 0.7s",
     .unresponsive = -1,
     .slowest_all = -2},
    {.name = "latency judged on the nodes that answered, not the timeout",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.01), NODE("0002", 's')},
     .crit = "0.5",
     .uwarn = "0",
     .want = MON_WARNING,
     .summary = "c: node 0002 unresponsive",
     .unresponsive = 1,
     .slowest_all = TIMEOUT},
    {.name = "latency inside @ range",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {OK_NODE("0001", 0.3)},
     .crit = "@0.2:0.4",
     .want = MON_CRITICAL,
     .summary = "c: slowest node 0001 answered in 0.3s",
     .unresponsive = -1,
     .slowest_all = -2},
    {.name = "no probe",
     .engine = "memcached",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {{"0001", "available", "in-sync", '-', 0}},
     .warn = "0.1",
     .no_probe = true,
     .want = MON_OK,
     .summary = "c available, 1 of 1 nodes available (not probed)",
     .unresponsive = 0,
     .slowest_all = -1},
    {.name = "engine it cannot probe",
     .engine = "mystery",
     .status = "available",
     .tls = -1,
     .auth = -1,
     .nodes = {{"0001", "available", "in-sync", '-', 0}},
     .want = MON_UNKNOWN,
     .summary = "c: cannot probe engine mystery",
     .unresponsive = -1,
     .slowest_all = -2},
};

static void run_case(const judge_case *jc)
{
    fixture f;
    mon_plan_options po = {jc->tls, jc->auth, false, !jc->no_token};
    mon_judge_options opt = {0};
    mon_verdict v;

    fixture_build(&f, jc->engine, jc->status, jc->api, jc->nodes, &po);
    if (jc->warn)
        CHECK_INT(mon_range_parse(jc->warn, &opt.latency.warning, NULL), 0);
    if (jc->crit)
        CHECK_INT(mon_range_parse(jc->crit, &opt.latency.critical, NULL), 0);
    if (jc->uwarn)
        CHECK_INT(
            mon_count_range_parse(jc->uwarn, &opt.unresponsive_warning, NULL),
            0);
    if (jc->ucrit)
        CHECK_INT(
            mon_count_range_parse(jc->ucrit, &opt.unresponsive_critical, NULL),
            0);
    opt.pending_state = jc->pending_state;
    opt.no_probe = jc->no_probe;
    opt.probe_timeout = TIMEOUT;
    mon_judge_cluster(&f.cl, f.probes, f.n, &f.plan, &opt, &v);
    if (v.state != jc->want || strcmp(v.summary, jc->summary) != 0 ||
        (jc->unresponsive >= 0 && (long)v.unresponsive != jc->unresponsive) ||
        (jc->slowest_all > -2 && fabs(v.slowest_all - jc->slowest_all) > 1e-9))
        fprintf(stderr, "case '%s': slowest_all %g\n", jc->name, v.slowest_all);
    CHECK_INT(v.state, jc->want);
    CHECK_STR(v.summary, jc->summary);
    CHECK_INT(v.nodes, f.n);
    if (jc->unresponsive >= 0)
        CHECK_INT(v.unresponsive, jc->unresponsive);
    if (jc->slowest_all > -2)
        CHECK(fabs(v.slowest_all - jc->slowest_all) < 1e-9);
}

/* --all's arithmetic: the worst state, the counts, the cut path. */
static void test_tally(void)
{
    static const struct {
        mon_state state;
        size_t nodes, rebooting, unresponsive, pending, answered, probed;
        bool cut;
        double slowest, slowest_all;
    } rows[] = {
        {MON_OK, 2, 0, 0, 0, 2, 2, false, 0.004, 0.004},
        {MON_CRITICAL, 3, 0, 1, 0, 2, 3, false, 0.010, 2},
        {MON_UNKNOWN, 1, 0, 0, 1, 0, 1, false, -1, -1},
        {MON_WARNING, 2, 1, 0, 0, 1, 1, false, 0.002, 0.002},
    };
    mon_tally t = MON_TALLY_INIT, empty = MON_TALLY_INIT, cut = MON_TALLY_INIT;
    char line[2048];

    mon_tally_summary(&empty, line, sizeof(line));
    CHECK_STR(line, "0 clusters: 0 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN");
    CHECK_INT(empty.state, MON_OK);
    CHECK(empty.slowest < 0);
    CHECK(!mon_tally_path_cut(&empty));
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        mon_verdict v = {0};

        v.state = rows[i].state;
        v.nodes = rows[i].nodes;
        v.rebooting = rows[i].rebooting;
        v.unresponsive = rows[i].unresponsive;
        v.pending = rows[i].pending;
        v.answered = rows[i].answered;
        v.probed = rows[i].probed;
        v.path_cut = rows[i].cut;
        v.slowest = rows[i].slowest;
        v.slowest_all = rows[i].slowest_all;
        mon_tally_add(&t, &v);
    }
    CHECK_INT(t.state, MON_CRITICAL);
    CHECK_INT(t.clusters, 4);
    CHECK_INT(t.nodes, 8);
    CHECK_INT(t.rebooting, 1);
    CHECK_INT(t.unresponsive, 1);
    CHECK_INT(t.pending, 1);
    CHECK(t.slowest == 0.010);
    CHECK(t.slowest_all == 2);
    CHECK(!mon_tally_path_cut(&t));
    mon_tally_summary(&t, line, sizeof(line));
    CHECK_STR(line, "4 clusters: 1 OK, 1 WARNING, 1 CRITICAL, 1 UNKNOWN");
    /* every probed cluster cut (one not probed at all): the fleet's path */
    for (int i = 0; i < 3; i++) {
        mon_verdict v = {0};

        v.state = i < 2 ? MON_CRITICAL : MON_OK;
        v.nodes = 2;
        v.probed = i < 2 ? 2 : 0;
        v.unresponsive = v.probed;
        v.path_cut = i < 2;
        v.slowest = v.slowest_all = -1;
        mon_tally_add(&cut, &v);
    }
    CHECK(mon_tally_path_cut(&cut));
    mon_tally_summary(&cut, line, sizeof(line));
    CHECK_STR(line, "3 clusters: 1 OK, 0 WARNING, 2 CRITICAL, 0 UNKNOWN; no "
                    "node of any cluster answered a connection: the network "
                    "path looks cut, not the nodes");
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
