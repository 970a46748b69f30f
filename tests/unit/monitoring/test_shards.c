/* SPDX-License-Identifier: Apache-2.0 */
/* mon_judge_shards on hand-built cluster-mode-enabled groups: one row per
 * situation, with the group's state, its first line's head, each shard's
 * state and summary, and the shard counts. As AWS answers for these
 * groups, no member has a CurrentRole unless the row gives one. */
#include <string.h>

#include "group.h"
#include "rows.h"
#include "testutil.h"

#define SHARDS_MAX 3
#define PER_SHARD 3
#define MEMBERS_ALL (SHARDS_MAX * PER_SHARD + 1)

/*
 * A member as a row: cluster id, the probe letter (rows.h), what INFO
 * replication said ('M' role:master, 'u' a replica linked, 'd' a replica
 * whose link is down, '-' no answer), and the member its replication names
 * as master (NULL: none). Each member's node listens on 127.0.0.1:7000+i,
 * i its place in the group.
 */
typedef struct smember {
    const char *id;
    char probe, info;
    const char *master;
    const char *role; /* CurrentRole (AWS gives none for these groups) */
} smember;

typedef struct shard_row {
    const char *id, *status;
    smember m[PER_SHARD];
} shard_row;

typedef struct shards_case {
    const char *name;
    const char *status;
    bool no_probe;
    shard_row s[SHARDS_MAX];
    const char *stray; /* a MemberClusters id in no node group */
    mon_state want;
    const char *head; /* prefix of the verdict's summary */
    mon_state shard_state[SHARDS_MAX];
    const char *shard_summary[SHARDS_MAX]; /* prefixes */
    size_t ok, warning, critical, unknown;
} shards_case;

#define PRIM(id)                                                               \
    {                                                                          \
        id, 'o', 'M', NULL, NULL                                               \
    }
#define REPL(id, master)                                                       \
    {                                                                          \
        id, 'o', 'u', master, NULL                                             \
    }
#define HEALTHY(sid)                                                           \
    {                                                                          \
        sid, "available",                                                      \
        {                                                                      \
            PRIM("g-" sid "-001"), REPL("g-" sid "-002", "g-" sid "-001")      \
        }                                                                      \
    }

static const shards_case cases[] = {
    {.name = "two healthy shards",
     .status = "available",
     .s = {HEALTHY("0001"), HEALTHY("0002")},
     .want = MON_OK,
     .head = "g available, 2 shards OK: every primary answers, 2 of 2 "
             "replicas linked",
     .shard_summary = {"shard 0001: primary g-0001-001 answers, 1 of 1 "
                       "replica linked",
                       "shard 0002: primary g-0002-001 answers"},
     .ok = 2},
    {.name = "one shard's replica link down: CRITICAL, that shard only",
     .status = "available",
     .s = {HEALTHY("0001"),
           {"0002",
            "available",
            {PRIM("g-0002-001"), {"g-0002-002", 'o', 'd', "g-0002-001"}}}},
     .want = MON_CRITICAL,
     .head = "g: 2 shards: 1 OK, 0 WARNING, 1 CRITICAL, 0 UNKNOWN",
     .shard_state = {MON_OK, MON_CRITICAL},
     .shard_summary = {"shard 0001: primary",
                       "shard 0002: replica g-0002-002 link to the primary "
                       "down"},
     .ok = 1,
     .critical = 1},
    {.name = "the same while the group is modifying: WARNING",
     .status = "modifying",
     .s = {HEALTHY("0001"),
           {"0002",
            "available",
            {PRIM("g-0002-001"), {"g-0002-002", 'o', 'd', "g-0002-001"}}}},
     .want = MON_WARNING,
     .head = "g: 2 shards: 1 OK, 1 WARNING, 0 CRITICAL, 0 UNKNOWN; group "
             "modifying",
     .shard_state = {MON_OK, MON_WARNING},
     .shard_summary = {"", "shard 0002: replica g-0002-002 link to the "
                           "primary down (resynchronising or group "
                           "changing)"},
     .ok = 1,
     .warning = 1},
    {.name = "a shard's primary silent, its replica names it: primary "
             "unresponsive",
     .status = "available",
     .s = {HEALTHY("0001"),
           {"0002",
            "available",
            {{"g-0002-001", 'r', '-', NULL},
             {"g-0002-002", 'o', 'd', "g-0002-001"}}}},
     .want = MON_CRITICAL,
     .head = "g: 2 shards: 1 OK, 0 WARNING, 1 CRITICAL, 0 UNKNOWN",
     .shard_state = {MON_OK, MON_CRITICAL},
     .shard_summary = {"", "shard 0002: primary g-0002-001 unresponsive "
                           "(automatic failover promotes a replica)"},
     .ok = 1,
     .critical = 1},
    {.name = "a silent member no replica names: no primary, role unknown",
     .status = "available",
     .s = {HEALTHY("0001"),
           {"0002",
            "available",
            {{"g-0002-001", 'r', '-', NULL},
             {"g-0002-002", 'o', 'd', "elsewhere"}}}},
     .want = MON_CRITICAL,
     .head = "g: 2 shards: 1 OK, 0 WARNING, 1 CRITICAL",
     .shard_state = {MON_OK, MON_CRITICAL},
     .shard_summary = {"", "shard 0002: no member answers as the primary; "
                           "replica g-0002-002 link to the primary down; "
                           "member g-0002-001 unresponsive (role unknown)"},
     .ok = 1,
     .critical = 1},
    {.name = "failover under way (every member a replica) in a modifying "
             "group: WARNING",
     .status = "modifying",
     .s = {HEALTHY("0001"),
           {"0002",
            "available",
            {{"g-0002-001", 'o', 'd', "g-0002-002"},
             {"g-0002-002", 'o', 'd', "g-0002-001"}}}},
     .want = MON_WARNING,
     .head = "g: 2 shards: 1 OK, 1 WARNING, 0 CRITICAL",
     .shard_state = {MON_OK, MON_WARNING},
     .shard_summary = {"", "shard 0002: no member answers as the primary (a "
                           "failover under way?)"},
     .ok = 1,
     .warning = 1},
    {.name = "the same in an available group: CRITICAL",
     .status = "available",
     .s = {HEALTHY("0001"),
           {"0002",
            "available",
            {{"g-0002-001", 'o', 'd', "g-0002-002"},
             {"g-0002-002", 'o', 'd', "g-0002-001"}}}},
     .want = MON_CRITICAL,
     .head = "g: 2 shards: 1 OK, 0 WARNING, 1 CRITICAL",
     .shard_state = {MON_OK, MON_CRITICAL},
     .shard_summary = {"", "shard 0002: no member answers as the primary; "},
     .ok = 1,
     .critical = 1},
    {.name = "a shard whose own status is modifying: WARNING for it",
     .status = "available",
     .s = {HEALTHY("0001"),
           {"0002",
            "modifying",
            {{"g-0002-001", 'o', 'd', "g-0002-002"},
             {"g-0002-002", 'o', 'd', "g-0002-001"}}}},
     .want = MON_WARNING,
     .head = "g: 2 shards: 1 OK, 1 WARNING",
     .shard_state = {MON_OK, MON_WARNING},
     .shard_summary = {"", "shard 0002: shard modifying; no member answers "
                           "as the primary (a failover under way?)"},
     .ok = 1,
     .warning = 1},
    {.name = "two members answer as primary: split brain, CRITICAL",
     .status = "available",
     .s = {{"0001", "available", {PRIM("g-0001-001"), PRIM("g-0001-002")}}},
     .want = MON_CRITICAL,
     .head = "g: 1 shard: 0 OK, 0 WARNING, 1 CRITICAL",
     .shard_state = {MON_CRITICAL},
     .shard_summary = {"shard 0001: 2 members say they are the primary: "
                       "g-0001-001, g-0001-002"},
     .critical = 1},
    {.name = "the worst shard wins; three shards counted",
     .status = "available",
     .s = {{"0001",
            "available",
            {PRIM("g-0001-001"), {"g-0001-002", 'b', '-', NULL}}},
           HEALTHY("0002"),
           {"0003",
            "available",
            {{"g-0003-001", 'r', '-', NULL},
             {"g-0003-002", 'o', 'd', "g-0003-001"}}}},
     .want = MON_CRITICAL,
     .head = "g: 3 shards: 1 OK, 1 WARNING, 1 CRITICAL, 0 UNKNOWN",
     .shard_state = {MON_WARNING, MON_OK, MON_CRITICAL},
     .shard_summary = {"shard 0001: g-0001-002 busy", "",
                       "shard 0003: primary g-0003-001 unresponsive"},
     .ok = 1,
     .warning = 1,
     .critical = 1},
    {.name = "a member in no node group: UNKNOWN",
     .status = "available",
     .s = {HEALTHY("0001")},
     .stray = "g-lost-001",
     .want = MON_UNKNOWN,
     .head = "g: 1 shard: 1 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN; member "
             "g-lost-001 in no node group",
     .shard_state = {MON_OK},
     .ok = 1},
    {.name = "no member answers a connection: the path looks cut",
     .status = "available",
     .s = {{"0001",
            "available",
            {{"g-0001-001", 'c', '-', NULL}, {"g-0001-002", 'c', '-', NULL}}},
           {"0002",
            "available",
            {{"g-0002-001", 'n', '-', NULL}, {"g-0002-002", 'c', '-', NULL}}}},
     .want = MON_CRITICAL,
     .head = "g: 2 shards: 0 OK, 0 WARNING, 2 CRITICAL, 0 UNKNOWN; no member "
             "answered a connection: the network path looks cut",
     .shard_state = {MON_CRITICAL, MON_CRITICAL},
     .shard_summary = {"shard 0001: no member answers as the primary; no "
                       "connection to members"},
     .critical = 2},
    {.name = "one shard unreachable, the other fine: those members broken, "
             "not a cut path",
     .status = "available",
     .s = {HEALTHY("0001"),
           {"0002",
            "available",
            {{"g-0002-001", 'c', '-', NULL}, {"g-0002-002", 'c', '-', NULL}}}},
     .want = MON_CRITICAL,
     .head = "g: 2 shards: 1 OK, 0 WARNING, 1 CRITICAL, 0 UNKNOWN",
     .shard_state = {MON_OK, MON_CRITICAL},
     .shard_summary = {"", "shard 0002: no member answers as the primary; "
                           "members g-0002-001, g-0002-002 unresponsive "
                           "(role unknown)"},
     .ok = 1,
     .critical = 1},
    {.name = "--no-probe: roles unknown, nothing said of primaries",
     .status = "available",
     .no_probe = true,
     .s = {{"0001",
            "available",
            {{"g-0001-001", '-', '-', NULL}, {"g-0001-002", '-', '-', NULL}}}},
     .want = MON_OK,
     .head = "g available, 1 shard, 2 members (not probed)",
     .shard_state = {MON_OK},
     .shard_summary = {"shard 0001: 2 members (not probed)"},
     .ok = 1},
    {.name = "a CurrentRole from the API is believed",
     .status = "available",
     .s = {{"0001",
            "available",
            {{"g-0001-001", 'r', '-', NULL, "primary"},
             {"g-0001-002", 'o', 'd', "elsewhere", "replica"}}}},
     .want = MON_CRITICAL,
     .head = "g: 1 shard: 0 OK, 0 WARNING, 1 CRITICAL",
     .shard_state = {MON_CRITICAL},
     .shard_summary = {"shard 0001: primary g-0001-001 unresponsive"},
     .critical = 1},
};

typedef struct shards_fixture {
    ec_replication_group g;
    ec_node_group ng[SHARDS_MAX];
    ec_node_group *ngp[SHARDS_MAX];
    ec_node_group_member ngm[MEMBERS_ALL];
    ec_node_group_member *ngmp[MEMBERS_ALL];
    char *ids[MEMBERS_ALL];
    ec_endpoint eps[MEMBERS_ALL];
    ec_cache_cluster clusters[MEMBERS_ALL];
    ec_cache_node nodes[MEMBERS_ALL];
    ec_cache_node *nodep[MEMBERS_ALL];
    ec_probe_result results[MEMBERS_ALL];
    ec_redis_replication reps[MEMBERS_ALL];
    mon_node_probe probes[MEMBERS_ALL];
    mon_plan plans[MEMBERS_ALL];
    mon_group_member gm[MEMBERS_ALL];
    size_t n;
} shards_fixture;

/* The place in the group of member `id`, or -1. */
static int place_of(const shards_case *c, const char *id)
{
    int k = 0;

    for (size_t s = 0; s < SHARDS_MAX && c->s[s].id; s++)
        for (size_t j = 0; j < PER_SHARD && c->s[s].m[j].id; j++, k++)
            if (id && strcmp(c->s[s].m[j].id, id) == 0)
                return k;
    return -1;
}

static void add_member(shards_fixture *f, const shards_case *c,
                       const smember *r)
{
    const mon_plan_options po = PLAN_FROM_API;
    size_t i = f->n++;

    f->ids[i] = (char *)r->id;
    f->eps[i].address = "127.0.0.1";
    f->eps[i].port.set = true;
    f->eps[i].port.value = 7000 + (long long)i;
    f->clusters[i].cache_cluster_id = (char *)r->id;
    f->clusters[i].cache_cluster_status = "available";
    f->clusters[i].engine = "redis";
    f->clusters[i].transit_encryption_enabled.set = true;
    f->clusters[i].auth_token_enabled.set = true;
    f->nodes[i].cache_node_id = "0001";
    f->nodes[i].endpoint = &f->eps[i];
    f->nodep[i] = &f->nodes[i];
    f->clusters[i].cache_nodes.count = 1;
    f->clusters[i].cache_nodes.items = &f->nodep[i];
    f->probes[i].node = &f->nodes[i];
    f->probes[i].probed = r->probe != '-';
    f->probes[i].result = f->probes[i].probed ? &f->results[i] : NULL;
    f->results[i].why = row_why(r->probe);
    f->results[i].status = row_status(f->results[i].why);
    f->results[i].ok = f->results[i].status == EC_PROBE_OK;
    f->results[i].seconds = 0.001;
    if (r->info != '-') {
        ec_redis_replication *rep = &f->reps[i];
        int mp = place_of(c, r->master);

        rep->role = r->info == 'M' ? "master" : "slave";
        rep->master_link_status =
            r->info == 'u' ? EC_REDIS_LINK_UP : EC_REDIS_LINK_DOWN;
        if (r->info == 'M')
            rep->master_link_status = EC_REDIS_LINK_UNKNOWN;
        if (r->info == 'u') {
            rep->master_last_io_seconds_ago.set = true;
            rep->master_last_io_seconds_ago.value = 1;
        }
        if (r->master) {
            rep->master_host = "127.0.0.1";
            rep->master_port.set = true;
            rep->master_port.value = mp >= 0 ? 7000 + mp : 6999;
        }
        f->results[i].replication = rep;
    }
    mon_plan_cluster(&f->clusters[i], &po, &f->plans[i]);
    f->gm[i].cluster_id = r->id;
    f->gm[i].cluster = &f->clusters[i];
    f->gm[i].probe = &f->probes[i];
    f->gm[i].plan = &f->plans[i];
}

static void build(shards_fixture *f, const shards_case *c)
{
    size_t s;

    memset(f, 0, sizeof(*f));
    f->g.replication_group_id = "g";
    f->g.status = (char *)c->status;
    f->g.automatic_failover = "enabled";
    f->g.cluster_enabled.set = true;
    f->g.cluster_enabled.value = true;
    for (s = 0; s < SHARDS_MAX && c->s[s].id; s++) {
        const shard_row *sr = &c->s[s];
        size_t first = f->n;

        f->ng[s].node_group_id = (char *)sr->id;
        f->ng[s].status = (char *)sr->status;
        for (size_t j = 0; j < PER_SHARD && sr->m[j].id; j++) {
            f->ngm[f->n].cache_cluster_id = (char *)sr->m[j].id;
            f->ngm[f->n].cache_node_id = "0001";
            f->ngm[f->n].current_role = (char *)sr->m[j].role;
            f->ngmp[f->n] = &f->ngm[f->n];
            add_member(f, c, &sr->m[j]);
        }
        f->ng[s].node_group_members.set = true;
        f->ng[s].node_group_members.count = f->n - first;
        f->ng[s].node_group_members.items = &f->ngmp[first];
        f->ngp[s] = &f->ng[s];
    }
    f->g.node_groups.set = true;
    f->g.node_groups.count = s;
    f->g.node_groups.items = f->ngp;
    if (c->stray) {
        smember r = {c->stray, 'o', 'M', NULL, NULL};

        add_member(f, c, &r);
    }
    f->g.member_clusters.count = f->n;
    f->g.member_clusters.items = f->ids;
}

static void run_case(const shards_case *c)
{
    shards_fixture f;
    mon_group_options o = {0};
    mon_group_verdict v;
    mon_shard_verdict sv[SHARDS_MAX];
    mon_shard_tally t;
    size_t ns;
    bool bad = false;

    build(&f, c);
    o.no_probe = c->no_probe;
    /* members in reverse order: the shards find theirs by id */
    {
        mon_group_member rev[MEMBERS_ALL];

        for (size_t i = 0; i < f.n; i++)
            rev[i] = f.gm[f.n - 1 - i];
        ns = mon_judge_shards(&f.g, rev, f.n, &o, sv, SHARDS_MAX, &v, &t);
    }
    bad = v.state != c->want || strncmp(v.summary, c->head, strlen(c->head));
    for (size_t s = 0; s < ns; s++) {
        const char *want = c->shard_summary[s] ? c->shard_summary[s] : "";

        bad = bad || sv[s].state != c->shard_state[s] ||
              strncmp(sv[s].summary, want, strlen(want)) != 0;
    }
    if (bad) {
        fprintf(stderr, "case '%s': %s: %s\n", c->name, mon_state_name(v.state),
                v.summary);
        for (size_t s = 0; s < ns; s++)
            fprintf(stderr, "  %s: %s\n", mon_state_name(sv[s].state),
                    sv[s].summary);
    }
    CHECK_INT(v.state, c->want);
    CHECK(strncmp(v.summary, c->head, strlen(c->head)) == 0);
    for (size_t s = 0; s < ns; s++) {
        const char *want = c->shard_summary[s] ? c->shard_summary[s] : "";

        CHECK_INT(sv[s].state, c->shard_state[s]);
        CHECK(strncmp(sv[s].summary, want, strlen(want)) == 0);
        CHECK_STR(sv[s].node_group_id, c->s[s].id);
    }
    CHECK_INT(t.shards, ns);
    CHECK_INT(t.by_state[MON_OK], c->ok);
    CHECK_INT(t.by_state[MON_WARNING], c->warning);
    CHECK_INT(t.by_state[MON_CRITICAL], c->critical);
    CHECK_INT(t.by_state[MON_UNKNOWN], c->unknown);
}

/* More node groups than room for verdicts: all judged, the rest counted. */
static void test_room(void)
{
    shards_fixture f;
    mon_group_options o = {0};
    mon_group_verdict v;
    mon_shard_verdict sv[1];
    mon_shard_tally t;

    build(&f, &cases[1]);
    CHECK_INT(mon_judge_shards(&f.g, f.gm, f.n, &o, sv, 1, &v, &t), 2);
    CHECK_INT(v.state, MON_CRITICAL);
    CHECK_STR(sv[0].node_group_id, "0001");
    CHECK_INT(t.by_state[MON_CRITICAL], 1);
}

/* The handler never acts on a cluster-mode-enabled group, whatever the
 * shards say (AWS refuses RebootCacheCluster for their members). */
static void test_handler_refuses(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        shards_fixture f;
        mon_group_pick pick = {0};

        build(&f, &cases[i]);
        CHECK_INT(mon_pick_group_replicas(&f.g, f.gm, f.n, -1, &pick), 0);
        CHECK_INT(pick.outcome, MON_PICK_CLUSTER_MODE);
        CHECK_INT(pick.clusters.count, 0);
        CHECK(strstr(pick.why, "not rebooting") != NULL);
        ec_strlist_clear(&pick.clusters);
    }
}

int main(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(&cases[i]);
    test_room();
    test_handler_refuses();
    return test_status("shards");
}
