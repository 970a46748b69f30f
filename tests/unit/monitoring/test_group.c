/* SPDX-License-Identifier: Apache-2.0 */
/* mon_judge_group and mon_pick_group_replicas on hand-built replication
 * groups: one row per situation, with the state and summary the check must
 * print and the replicas the handler must reboot (or why none). */
#include <string.h>

#include "group.h"
#include "rows.h"
#include "testutil.h"

#define MEMBERS_MAX 6

/*
 * A member as a row: cluster id, CurrentRole ("primary", "replica", NULL),
 * its cluster's status (NULL: not described), the probe letter (rows.h),
 * and what INFO replication said:
 *   'u' a replica linked        'd' a replica whose link is down
 *   's' down, resynchronising   'M' a node saying role:master
 *   'S' a node saying role:slave with an unknown link
 *   '-' no INFO answer
 * with the seconds since its last I/O (-1: not said).
 */
typedef struct member_row {
    const char *id, *role, *status;
    char probe, info;
    int last_io;
} member_row;

typedef struct group_case {
    const char *name;
    const char *status, *failover;
    bool cluster_enabled;
    member_row m[MEMBERS_MAX];
    const char *lwarn, *lcrit;
    const char *warn, *crit; /* latency ranges */
    mon_state want;
    const char *summary; /* prefix of the summary */
    const char *reboot;  /* "a,b": replicas the handler reboots */
    mon_pick_outcome outcome;
    long max_nodes; /* 0 in a row: no limit */
} group_case;

#define P(id)                                                                  \
    {                                                                          \
        id, "primary", "available", 'o', 'M', -1                               \
    }
#define R(id, io)                                                              \
    {                                                                          \
        id, "replica", "available", 'o', 'u', io                               \
    }

static const group_case cases[] = {
    {.name = "healthy",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"), R("g-002", 0), R("g-003", 1)},
     .want = MON_OK,
     .summary = "g available, primary g-001 answers, 2 of 2 replicas linked "
                "(last I/O 1s ago at most)",
     .reboot = "",
     .outcome = MON_PICK_NOTHING},
    {.name = "a replica's link down",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"),
           {"g-002", "replica", "available", 'o', 'd', -1},
           R("g-003", 1)},
     .want = MON_CRITICAL,
     .summary = "g: replica g-002 link to the primary down",
     .reboot = "",
     .outcome = MON_PICK_NOTHING},
    {.name = "link down while the group is modifying: WARNING",
     .status = "modifying",
     .failover = "enabled",
     .m = {P("g-001"), {"g-002", "replica", "available", 'o', 'd', -1}},
     .want = MON_WARNING,
     .summary = "g: group modifying; replica g-002 link to the primary down "
                "(resynchronising or group changing)",
     .reboot = "",
     .outcome = MON_PICK_NOTHING},
    {.name = "link down while resynchronising: WARNING",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"), {"g-002", "replica", "available", 'o', 's', -1}},
     .want = MON_WARNING,
     .summary = "g: replica g-002 link to the primary down for 12s "
                "(resynchronising",
     .reboot = "",
     .outcome = MON_PICK_NOTHING},
    {.name = "last I/O over the thresholds",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"), R("g-002", 4), R("g-003", 12)},
     .lwarn = "3",
     .lcrit = "10",
     .want = MON_CRITICAL,
     .summary = "g: replica g-002 last heard from the primary 4s ago; "
                "replica g-003 last heard from the primary 12s ago",
     .reboot = "",
     .outcome = MON_PICK_NOTHING},
    {.name = "last I/O warning only",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"), R("g-002", 4)},
     .lwarn = "3",
     .lcrit = "10",
     .want = MON_WARNING,
     .summary = "g: replica g-002 last heard from the primary 4s ago",
     .reboot = "",
     .outcome = MON_PICK_NOTHING},
    {.name = "a replica refuses: rebooted",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"),
           {"g-002", "replica", "available", 'r', '-', -1},
           R("g-003", 0)},
     .want = MON_CRITICAL,
     .summary = "g: replica g-002 unresponsive",
     .reboot = "g-002",
     .outcome = MON_PICK_REBOOT},
    {.name = "two replicas dead, limit one: none",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"),
           {"g-002", "replica", "available", 'r', '-', -1},
           {"g-003", "replica", "available", 's', '-', -1}},
     .want = MON_CRITICAL,
     .summary = "g: replicas g-002, g-003 unresponsive",
     .reboot = "",
     .outcome = MON_PICK_OVER_LIMIT,
     .max_nodes = 1},
    {.name = "the primary dead: never rebooted, nor the replicas",
     .status = "available",
     .failover = "enabled",
     .m = {{"g-001", "primary", "available", 'r', '-', -1},
           {"g-002", "replica", "available", 'o', 'd', -1},
           {"g-003", "replica", "available", 'x', '-', -1}},
     .want = MON_CRITICAL,
     .summary = "g: primary g-001 unresponsive (automatic failover promotes "
                "a replica); replica g-002 link to the primary down; replica "
                "g-003 unresponsive",
     .reboot = "",
     .outcome = MON_PICK_PRIMARY},
    {.name = "the primary dead without automatic failover",
     .status = "available",
     .failover = "disabled",
     .m = {{"g-001", "primary", "available", 's', '-', -1}, R("g-002", 0)},
     .want = MON_CRITICAL,
     .summary = "g: primary g-001 unresponsive (automatic failover is not "
                "enabled: no replica will be promoted)",
     .reboot = "",
     .outcome = MON_PICK_PRIMARY},
    {.name = "no connection to anyone: the path",
     .status = "available",
     .failover = "enabled",
     .m = {{"g-001", "primary", "available", 'c', '-', -1},
           {"g-002", "replica", "available", 'n', '-', -1}},
     .want = MON_CRITICAL,
     .summary = "g: no connection to members g-001, g-002: the network path "
                "looks cut, not the nodes",
     .reboot = "",
     .outcome = MON_PICK_PATH_CUT},
    {.name = "one replica no connection, others answer: broken",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"), {"g-002", "replica", "available", 'c', '-', -1}},
     .want = MON_CRITICAL,
     .summary = "g: replica g-002 unresponsive",
     .reboot = "g-002",
     .outcome = MON_PICK_REBOOT},
    {.name = "AUTH refused: a setting, never a reboot",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"),
           {"g-002", "replica", "available", 'a', '-', -1},
           {"g-003", "replica", "available", 'r', '-', -1}},
     .want = MON_CRITICAL,
     .summary = "g: AUTH refused by g-002",
     .reboot = "",
     .outcome = MON_PICK_MISCONFIGURED},
    {.name = "cluster mode enabled: UNKNOWN, no reboot",
     .status = "available",
     .failover = "enabled",
     .cluster_enabled = true,
     .m = {P("g-0001-001"),
           {"g-0001-002", "replica", "available", 'r', '-', -1}},
     .want = MON_UNKNOWN,
     .summary = "g: cluster mode enabled: -G checks cluster mode disabled "
                "groups",
     .reboot = "",
     .outcome = MON_PICK_CLUSTER_MODE},
    {.name = "no primary among the roles",
     .status = "available",
     .failover = "enabled",
     .m = {R("g-001", 0), R("g-002", 0)},
     .want = MON_CRITICAL,
     .summary = "g: no member is the primary",
     .reboot = "",
     .outcome = MON_PICK_NOTHING},
    {.name = "a member not described, one rebooting (not probed)",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"),
           {"g-002", "replica", NULL, '-', '-', -1},
           {"g-003", "replica", "rebooting cache cluster nodes", '-', '-', -1}},
     .want = MON_WARNING, /* WARNING outranks UNKNOWN (monitoring.h) */
     .summary = "g: member g-003 rebooting cache cluster nodes; member g-002 "
                "not described",
     .reboot = "",
     .outcome = MON_PICK_UNKNOWN},
    {.name = "a replica saying it is a primary",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"), {"g-002", "replica", "available", 'o', 'M', -1}},
     .want = MON_WARNING,
     .summary = "g: replica g-002 says it is a primary",
     .reboot = "",
     .outcome = MON_PICK_NOTHING},
    {.name = "no INFO answer, a replica without a link state",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"),
           {"g-002", "replica", "available", 'o', '-', -1},
           {"g-003", "replica", "available", 'o', 'S', -1}},
     .want = MON_UNKNOWN,
     .summary = "g: replica g-003 does not say its link state; no INFO "
                "replication answer from g-002",
     .reboot = "",
     .outcome = MON_PICK_NOTHING},
    {.name = "slowest member over -w: WARNING",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"), R("g-002", 0)},
     .warn = "0.0005",
     .crit = "1",
     .want = MON_WARNING,
     .summary = "g: slowest member g-001 answered in 0.001s",
     .reboot = "",
     .outcome = MON_PICK_NOTHING},
    {.name = "busy replica: WARNING, not rebooted",
     .status = "available",
     .failover = "enabled",
     .m = {P("g-001"), {"g-002", "replica", "available", 'b', '-', -1}},
     .want = MON_WARNING,
     .summary = "g: g-002 busy",
     .reboot = "",
     .outcome = MON_PICK_NOTHING},
};

typedef struct group_fixture {
    ec_replication_group g;
    ec_node_group ng;
    ec_node_group *ngp[1];
    ec_node_group_member members[MEMBERS_MAX];
    ec_node_group_member *mptrs[MEMBERS_MAX];
    char *ids[MEMBERS_MAX];
    ec_cache_cluster clusters[MEMBERS_MAX];
    ec_cache_node nodes[MEMBERS_MAX];
    ec_probe_result results[MEMBERS_MAX];
    ec_redis_replication reps[MEMBERS_MAX];
    mon_node_probe probes[MEMBERS_MAX];
    mon_plan plans[MEMBERS_MAX];
    mon_group_member gm[MEMBERS_MAX];
    size_t n;
} group_fixture;

static void build(group_fixture *f, const group_case *c)
{
    const mon_plan_options po = PLAN_FROM_API;

    memset(f, 0, sizeof(*f));
    f->g.replication_group_id = "g";
    f->g.status = (char *)c->status;
    f->g.automatic_failover = (char *)c->failover;
    f->g.cluster_enabled.set = true;
    f->g.cluster_enabled.value = c->cluster_enabled;
    f->ngp[0] = &f->ng;
    f->g.node_groups.set = true;
    f->g.node_groups.count = 1;
    f->g.node_groups.items = f->ngp;
    for (f->n = 0; f->n < MEMBERS_MAX && c->m[f->n].id; f->n++) {
        const member_row *r = &c->m[f->n];
        size_t i = f->n;

        f->members[i].cache_cluster_id = (char *)r->id;
        f->members[i].current_role = (char *)r->role;
        f->mptrs[i] = &f->members[i];
        f->ids[i] = (char *)r->id;
        f->clusters[i].cache_cluster_id = (char *)r->id;
        f->clusters[i].cache_cluster_status = (char *)r->status;
        f->clusters[i].engine = "redis";
        f->clusters[i].transit_encryption_enabled.set = true;
        f->clusters[i].auth_token_enabled.set = true;
        f->nodes[i].cache_node_id = "0001";
        f->probes[i].node = &f->nodes[i];
        f->probes[i].probed = r->probe != '-';
        f->probes[i].result = f->probes[i].probed ? &f->results[i] : NULL;
        f->results[i].why = row_why(r->probe);
        f->results[i].status = row_status(f->results[i].why);
        f->results[i].ok = f->results[i].status == EC_PROBE_OK;
        f->results[i].seconds = 0.001;
        if (r->info != '-') {
            ec_redis_replication *rep = &f->reps[i];

            rep->role = r->info == 'M' ? "master" : "slave";
            if (r->info == 'u')
                rep->master_link_status = EC_REDIS_LINK_UP;
            if (r->info == 'd' || r->info == 's')
                rep->master_link_status = EC_REDIS_LINK_DOWN;
            if (r->info == 's') {
                rep->master_sync_in_progress.set = true;
                rep->master_sync_in_progress.value = true;
                rep->master_link_down_since_seconds.set = true;
                rep->master_link_down_since_seconds.value = 12;
            }
            rep->master_last_io_seconds_ago.set = r->last_io >= 0;
            rep->master_last_io_seconds_ago.value = r->last_io;
            f->results[i].replication = rep;
        }
        mon_plan_cluster(&f->clusters[i], &po, &f->plans[i]);
        f->gm[i].cluster_id = r->id;
        f->gm[i].cluster = r->status ? &f->clusters[i] : NULL;
        f->gm[i].probe = &f->probes[i];
        f->gm[i].plan = &f->plans[i];
    }
    f->ng.node_group_members.set = true;
    f->ng.node_group_members.count = f->n;
    f->ng.node_group_members.items = f->mptrs;
    f->g.member_clusters.count = f->n;
    f->g.member_clusters.items = f->ids;
}

static void run_case(const group_case *c)
{
    group_fixture f;
    mon_group_options o = {0};
    mon_group_verdict v;
    mon_group_pick pick = {0};
    char got[256] = "";

    build(&f, c);
    CHECK_INT(mon_range_parse(c->lwarn ? c->lwarn : "", &o.link.warning, NULL),
              0);
    CHECK_INT(mon_range_parse(c->lcrit ? c->lcrit : "", &o.link.critical, NULL),
              0);
    CHECK_INT(mon_range_parse(c->warn ? c->warn : "", &o.latency.warning, NULL),
              0);
    CHECK_INT(
        mon_range_parse(c->crit ? c->crit : "", &o.latency.critical, NULL), 0);
    mon_judge_group(&f.g, f.gm, f.n, &o, &v);
    if (v.state != c->want ||
        strncmp(v.summary, c->summary, strlen(c->summary)) != 0)
        fprintf(stderr, "case '%s': %s: %s\n", c->name, mon_state_name(v.state),
                v.summary);
    CHECK_INT(v.state, c->want);
    CHECK(strncmp(v.summary, c->summary, strlen(c->summary)) == 0);

    CHECK_INT(mon_pick_group_replicas(&f.g, f.gm, f.n,
                                      c->max_nodes ? c->max_nodes : -1, &pick),
              0);
    for (size_t i = 0; i < pick.clusters.count; i++) {
        size_t len = strlen(got);

        snprintf(got + len, sizeof(got) - len, "%s%s", i ? "," : "",
                 pick.clusters.items[i]);
    }
    if (pick.outcome != c->outcome || strcmp(got, c->reboot) != 0)
        fprintf(stderr, "case '%s': pick %d [%s]: %s\n", c->name,
                (int)pick.outcome, got, pick.why);
    CHECK_INT(pick.outcome, c->outcome);
    CHECK_STR(got, c->reboot);
    CHECK(pick.why[0] != '\0');
    /* never the primary */
    for (size_t i = 0; i < pick.clusters.count; i++)
        for (size_t k = 0; k < f.n; k++)
            if (strcmp(pick.clusters.items[i], c->m[k].id) == 0)
                CHECK_STR(c->m[k].role, "replica");
    ec_strlist_clear(&pick.clusters);
}

/* The handler's words for a dead primary: whose job it is. */
static void test_primary_words(void)
{
    group_fixture f;
    mon_group_pick pick = {0};

    build(&f, &cases[8]);
    CHECK_INT(mon_pick_group_replicas(&f.g, f.gm, f.n, -1, &pick), 0);
    CHECK(strstr(pick.why, "automatic failover's job") != NULL);
    CHECK(strstr(pick.why, "g-001") != NULL);
    ec_strlist_clear(&pick.clusters);
}

int main(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(&cases[i]);
    test_primary_words();
    return test_status("group");
}
