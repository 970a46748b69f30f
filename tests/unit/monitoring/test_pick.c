/* SPDX-License-Identifier: Apache-2.0 */
/* mon_pick_nodes on hand-built clusters and probe results: one row per
 * situation, with the nodes the event handler must reboot or why none. */
#include <string.h>

#include "pick.h"
#include "rows.h"
#include "testutil.h"

typedef struct pick_case {
    const char *name;
    const char *engine, *cluster_status, *api;
    int tls, auth;
    node_row nodes[ROWS_MAX];
    bool all_if_unknown;
    long max_nodes; /* 0 in a row: no limit */
    mon_pick_outcome outcome;
    const char *want_nodes; /* "0001,0003", "" for none */
    const char *want_why;   /* when none */
} pick_case;

#define N(id, p)                                                               \
    {                                                                          \
        id, "available", "in-sync", p, 0.001                                   \
    }

static const pick_case cases[] = {
    {"every node answers",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 'o'), N("0002", 'o')},
     false,
     0,
     MON_PICK_NOTHING,
     "",
     "every node answers: nothing to reboot"},
    {"one refused",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 'o'), N("0002", 'r')},
     false,
     0,
     MON_PICK_REBOOT,
     "0002",
     ""},
    {"the only node, refused: rebooted",
     "redis",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 'r')},
     false,
     0,
     MON_PICK_REBOOT,
     "0001",
     ""},
    {"the only node, silent after accepting: rebooted",
     "redis",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 's')},
     false,
     0,
     MON_PICK_REBOOT,
     "0001",
     ""},
    {"reset, silent and refused, in node order",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {N("0003", 'x'), N("0001", 'o'), N("0002", 's')},
     false,
     0,
     MON_PICK_REBOOT,
     "0003,0002",
     ""},
    {"the only node, connect timeout: the path looks cut",
     "redis",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 'c')},
     false,
     0,
     MON_PICK_PATH_CUT,
     "",
     "no connection to node(s) 0001: the network path looks cut, not the "
     "nodes; not rebooting"},
    {"every node, connect timeout or no route: cut",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 'c'), N("0002", 'n')},
     true,
     0,
     MON_PICK_PATH_CUT,
     "",
     "no connection to node(s) 0001, 0002: the network path looks cut, not "
     "the nodes; not rebooting"},
    {"connect timeout while another answers: that node",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 'o'), N("0002", 'c')},
     false,
     0,
     MON_PICK_REBOOT,
     "0002",
     ""},
    {"connect timeout and a refusal: both",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 'c'), N("0002", 'r')},
     false,
     0,
     MON_PICK_REBOOT,
     "0001,0002",
     ""},
    {"--tls on a plain text Redis: never a reboot",
     "redis",
     "available",
     NULL,
     1,
     -1,
     {N("0001", 'h')},
     true,
     0,
     MON_PICK_MISCONFIGURED,
     "",
     "not rebooting: the probe's settings are wrong, not the nodes (no TLS "
     "handshake from a node: --tls, but the cluster has "
     "TransitEncryptionEnabled=false: drop --tls)"},
    {"--no-tls on a TLS cluster: never a reboot",
     "redis",
     "available",
     "tls",
     0,
     -1,
     {N("0001", 'x'), N("0002", 'x')},
     false,
     0,
     MON_PICK_MISCONFIGURED,
     "",
     "not rebooting: the probe's settings are wrong, not the nodes (no "
     "answer in plain text from a node: --no-tls, but the cluster requires "
     "TLS (TransitEncryptionEnabled=true): drop --no-tls)"},
    {"TLS cluster, silent handshake: a hung node, rebooted",
     "redis",
     "available",
     "tls",
     -1,
     -1,
     {N("0001", 'h'), N("0002", 'o')},
     false,
     0,
     MON_PICK_REBOOT,
     "0001",
     ""},
    {"--tls on plain text memcached: ERROR back, never a reboot",
     "memcached",
     "available",
     NULL,
     1,
     -1,
     {N("0001", 'p')},
     true,
     0,
     MON_PICK_MISCONFIGURED,
     "",
     "not rebooting: the probe's settings are wrong, not the nodes (plain "
     "text answer to TLS from a node: the nodes do not speak TLS: drop "
     "--tls)"},
    {"AUTH refused: never a reboot, not even of a refusing node",
     "redis",
     "available",
     "auth",
     -1,
     -1,
     {N("0001", 'r'), N("0002", 'a')},
     true,
     0,
     MON_PICK_MISCONFIGURED,
     "",
     "not rebooting: the probe's settings are wrong, not the nodes (AUTH "
     "refused by a node: the token given for the cluster is wrong "
     "(--auth-token-file, --auth-token-env, --auth-token-dir, "
     "--auth-token-map))"},
    {"NOAUTH: never a reboot, --all-nodes-if-unknown or not",
     "redis",
     "available",
     "auth",
     -1,
     -1,
     {N("0001", 'q')},
     true,
     0,
     MON_PICK_MISCONFIGURED,
     "",
     "not rebooting: the probe's settings are wrong, not the nodes (AUTH "
     "required by a node: the cluster has AuthTokenEnabled=true and no token "
     "was given: --auth-token-file or --auth-token-env (--auth-token-dir or "
     "--auth-token-map with --all))"},
    {"certificate not verified: never a reboot",
     "redis",
     "available",
     "tls",
     -1,
     -1,
     {N("0001", 'v')},
     true,
     0,
     MON_PICK_MISCONFIGURED,
     "",
     "not rebooting: the probe's settings are wrong, not the nodes (TLS "
     "certificate not verified for a node: give the CA with "
     "--probe-ca-bundle (or --probe-no-verify))"},
    {"a wrong answer: never a reboot",
     "redis",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 'w')},
     true,
     0,
     MON_PICK_MISCONFIGURED,
     "",
     "not rebooting: the probe's settings are wrong, not the nodes (wrong "
     "answer from a node: is the endpoint a node of the cluster's engine?)"},
    {"busy (LOADING): nothing",
     "redis",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 'b'), N("0002", 'o')},
     true,
     0,
     MON_PICK_NOTHING,
     "",
     "node(s) 0001 busy (they answer), the others answer: nothing to "
     "reboot"},
    {"a busy node does not stop the reboot of a refusing one",
     "redis",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 'b'), N("0002", 'r')},
     false,
     0,
     MON_PICK_REBOOT,
     "0002",
     ""},
    {"not probed at all (--no-probe): unknown",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", '-'), N("0002", '-')},
     false,
     0,
     MON_PICK_UNKNOWN,
     "",
     "cannot tell which nodes are unresponsive (2 not probed); not "
     "rebooting (see --all-nodes-if-unknown)"},
    {"--no-probe with --all-nodes-if-unknown: every node",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", '-'), N("0002", '-')},
     true,
     0,
     MON_PICK_REBOOT,
     "0001,0002",
     ""},
    {"not started in time: unknown, not unresponsive",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 'o'), N("0002", 'z')},
     false,
     0,
     MON_PICK_UNKNOWN,
     "",
     "cannot tell which nodes are unresponsive (1 not probed); not "
     "rebooting (see --all-nodes-if-unknown)"},
    {"a rebooting node is busy, never chosen",
     "memcached",
     "rebooting cache cluster nodes",
     NULL,
     -1,
     -1,
     {{"0001", "rebooting", "in-sync", '-', 0}, N("0002", 'o')},
     true,
     0,
     MON_PICK_NOTHING,
     "",
     "cluster rebooting cache cluster nodes, node 0001 rebooting; the others "
     "answer: nothing to reboot"},
    {"busy nodes are listed",
     "memcached",
     "modifying",
     NULL,
     -1,
     -1,
     {{"0001", "rebooting", "in-sync", '-', 0},
      {"0002", "creating", "in-sync", '-', 0},
      N("0003", 'o')},
     false,
     0,
     MON_PICK_NOTHING,
     "",
     "cluster modifying, node 0001 rebooting, 0002 creating; the others "
     "answer: nothing to reboot"},
    {"a node without status is unknown, not busy",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {{"0001", NULL, NULL, '-', 0}, N("0002", 'o')},
     false,
     0,
     MON_PICK_UNKNOWN,
     "",
     "cannot tell which nodes are unresponsive (1 not probed); not "
     "rebooting (see --all-nodes-if-unknown)"},
    {"an unreachable node without an id cannot be named",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {{NULL, "available", NULL, 'r', 0}, N("0002", 'r')},
     true,
     0,
     MON_PICK_REBOOT,
     "0002",
     ""},
    {"--max-unresponsive 2, three refused: none",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 'r'), N("0002", 'r'), N("0003", 's')},
     false,
     2,
     MON_PICK_OVER_LIMIT,
     "",
     "3 nodes unresponsive (0001, 0002, 0003), more than --max-unresponsive "
     "2: not rebooting any"},
    {"--max-unresponsive 2, two refused: both",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", 'r'), N("0002", 'r'), N("0003", 'o')},
     false,
     2,
     MON_PICK_REBOOT,
     "0001,0002",
     ""},
    {"--max-unresponsive 1 holds for --all-nodes-if-unknown too",
     "memcached",
     "available",
     NULL,
     -1,
     -1,
     {N("0001", '-'), N("0002", '-')},
     true,
     1,
     MON_PICK_OVER_LIMIT,
     "",
     "2 nodes of unknown state (0001, 0002), more than --max-unresponsive 1: "
     "not rebooting any"},
};

static void run_case(const pick_case *pc)
{
    fixture f;
    mon_plan_options po = {pc->tls, pc->auth, false, true};
    mon_pick_options opt = {pc->all_if_unknown,
                            pc->max_nodes ? pc->max_nodes : -1};
    mon_pick got = {0};
    char list[128] = "";
    size_t len = 0;

    fixture_build(&f, pc->engine, pc->cluster_status, pc->api, pc->nodes, &po);
    CHECK_INT(mon_pick_nodes(&f.cl, f.probes, f.n, &f.plan, &opt, &got), 0);
    for (size_t i = 0; i < got.nodes.count; i++)
        len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
                                i ? "," : "", got.nodes.items[i]);
    if (strcmp(list, pc->want_nodes) != 0 || got.outcome != pc->outcome ||
        (!got.nodes.count && strcmp(got.why, pc->want_why) != 0))
        fprintf(stderr, "case '%s':\n", pc->name);
    CHECK_INT(got.outcome, pc->outcome);
    CHECK_STR(list, pc->want_nodes);
    if (got.nodes.count == 0)
        CHECK_STR(got.why, pc->want_why);
    ec_strlist_clear(&got.nodes);
}

/* The one table the handler decides by, for clusters and groups alike:
 * every outcome, so that a new one cannot go unrecorded. */
static void check_records(void)
{
    static const struct {
        mon_pick_outcome outcome;
        mon_state state;
        bool warn;
    } want[] = {
        {MON_PICK_REBOOT, MON_OK, false},
        {MON_PICK_NOTHING, MON_OK, false},
        {MON_PICK_UNKNOWN, MON_UNKNOWN, false},
        {MON_PICK_MISCONFIGURED, MON_UNKNOWN, true},
        {MON_PICK_PATH_CUT, MON_CRITICAL, true},
        {MON_PICK_OVER_LIMIT, MON_CRITICAL, true},
        {MON_PICK_PRIMARY, MON_CRITICAL, true},
        {MON_PICK_CLUSTER_MODE, MON_UNKNOWN, true},
    };

    CHECK_INT(sizeof(want) / sizeof(want[0]), MON_PICK_CLUSTER_MODE + 1);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        mon_pick_record rec = mon_pick_record_of(want[i].outcome);

        CHECK_INT(want[i].outcome, (int)i);
        CHECK_INT(rec.state, want[i].state);
        CHECK_INT(rec.warn, want[i].warn);
    }
}

int main(void)
{
    check_records();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(&cases[i]);
    {
        /* no nodes at all */
        fixture f;
        mon_plan_options po = PLAN_FROM_API;
        mon_pick_options opt = {true, -1};
        mon_pick got = {0};
        node_row none[1] = {{NULL, NULL, NULL, 0, 0}};

        fixture_build(&f, "memcached", "available", NULL, none, &po);
        CHECK_INT(mon_pick_nodes(&f.cl, f.probes, 0, &f.plan, &opt, &got), 0);
        CHECK_INT(got.outcome, MON_PICK_NOTHING);
        CHECK_STR(got.why, "every node answers: nothing to reboot");
    }
    return test_status("pick");
}
