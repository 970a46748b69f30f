/* libFuzzer target: the reboot engine's step function (lib/src/engine.c,
 * engine_group.c) run against a service that answers whatever the input
 * says.
 *
 * Input: 7 bytes of options (operation: the safe reboot, a rolling one,
 * a replication group's, a waiter; check_mode, wait, only_if_pending,
 * unless_rebooted_since, which nodes or members are asked for, batch size,
 * allow_primary_reboot, replicas_only, a probe hook, delay, budget), then
 * the answers: each call the engine makes takes the next bytes (a kind:
 * a described cluster with its status and nodes built from the bytes,
 * perhaps a member of group "rg"; a replication group with 1-3 members,
 * roles, status, automatic failover and Multi-AZ from the bytes; a page of
 * restart events; a reboot or modification answer; a probe's verdict; or
 * one of the errors the client reports: a service refusal,
 * InvalidCacheClusterState, a 5xx, a reset, a read timeout, an unreadable
 * 200, a refused connection), and how long it took. When the input runs
 * out, every call fails with a reset.
 *
 * Oracle: the safety contract (tests/unit/engine/engine_oracle.h): never a
 * node that was not asked for, each node at most once per run, one reboot
 * per batch after the one before was seen restarting, none after a lost
 * answer that was not confirmed, never the current primary of a group,
 * failover switched back on after it was switched off; and every run
 * ends, within its budget's worth of steps. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "engine_oracle.h"

#define MAX_STEPS 200000
#define NODES 5

#define ORACLE(cond, what)                                                     \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz_engine: oracle: %s\n", what);                \
            abort();                                                           \
        }                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct input {
    const uint8_t *p;
    size_t left;
} input;

static unsigned byte(input *in)
{
    if (in->left == 0)
        return 0;
    in->left--;
    return *in->p++;
}

static const char *const cluster_states[] = {
    "available",    "rebooting cache cluster nodes",
    "modifying",    "deleting",
    "snapshotting", NULL};
static const char *const node_states[] = {"available", "rebooting", "modifying",
                                          NULL};
static const char *const node_ids[] = {"0001", "0002", "0003",
                                       "0004", "0005", "0009"};
static const char *const member_ids[] = {"rg-001", "rg-002", "rg-003",
                                         "rg-009"};
static const char *const group_states[] = {"available", "modifying",
                                           "snapshotting", "deleting", NULL};
static const char *const failover_states[] = {"enabled", "disabled", "enabling",
                                              "disabling", NULL};

/* What one answer holds; everything it points to lives here. */
typedef struct fake {
    ec_cache_cluster cluster;
    ec_cache_cluster *cluster_ptr;
    ec_cache_cluster_list clusters;
    ec_cache_node nodes[NODES];
    ec_cache_node *node_ptrs[NODES];
    ec_cache_parameter_group_status pg;
    char *pending[NODES];
    ec_event events[4];
    ec_event *event_ptrs[4];
    ec_event_list event_list;
    ec_error error;
    /* A replication group. */
    ec_replication_group group;
    ec_replication_group *group_ptr;
    ec_replication_group_list groups;
    ec_node_group ng;
    ec_node_group *ng_ptr;
    ec_node_group_member members[3];
    ec_node_group_member *member_ptrs[3];
    ec_endpoint endpoints[3];
    ec_replication_group_pending_modified_values rg_pending;
} fake;

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void build_group(input *in, fake *f)
{
    unsigned b = byte(in), roles = byte(in), n = 1 + byte(in) % 3, i;

    memset(&f->group, 0, sizeof(f->group));
    f->group.replication_group_id = (char *)"rg";
    f->group.status = (char *)group_states[b % COUNT(group_states)];
    f->group.automatic_failover =
        (char *)failover_states[(b >> 3) % COUNT(failover_states)];
    f->group.multi_az = (b & 0x40) ? (char *)"enabled" : (char *)"disabled";
    if ((b & 0x83) == 0x83) {
        f->group.cluster_enabled.set = true;
        f->group.cluster_enabled.value = true;
    }
    memset(&f->rg_pending, 0, sizeof(f->rg_pending));
    if ((roles & 0xc0) == 0xc0) {
        f->rg_pending.primary_cluster_id = (char *)member_ids[roles % 3];
        f->group.pending_modified_values = &f->rg_pending;
    }
    memset(&f->ng, 0, sizeof(f->ng));
    f->ng.node_group_id = (char *)"0001";
    for (i = 0; i < n; i++) {
        ec_node_group_member *m = &f->members[i];

        memset(m, 0, sizeof(*m));
        m->cache_cluster_id =
            (char *)member_ids[(roles & 0x20) && i == n - 1 ? 3 : i];
        m->cache_node_id = (char *)"0001";
        /* Mostly one primary; sometimes none or two. */
        m->current_role =
            ((roles >> i) & 1) ? (char *)"primary" : (char *)"replica";
        f->endpoints[i].address = (char *)"127.0.0.1";
        f->endpoints[i].port.set = true;
        f->endpoints[i].port.value = 2001 + (int)i;
        m->read_endpoint = &f->endpoints[i];
        f->member_ptrs[i] = m;
    }
    f->ng.node_group_members.set = true;
    f->ng.node_group_members.count = n;
    f->ng.node_group_members.items = f->member_ptrs;
    f->ng_ptr = &f->ng;
    f->group.node_groups.set = true;
    f->group.node_groups.count = 1;
    f->group.node_groups.items = &f->ng_ptr;
    f->group_ptr = &f->group;
    f->groups.set = true;
    f->groups.count = 1;
    f->groups.items = &f->group_ptr;
}

static void build_cluster(input *in, fake *f, const char *id)
{
    unsigned status = byte(in), count = byte(in) % (NODES + 1), i;

    memset(&f->cluster, 0, sizeof(f->cluster));
    f->cluster.cache_cluster_id = (char *)id;
    f->cluster.cache_cluster_status =
        (char *)cluster_states[status % (sizeof(cluster_states) /
                                         sizeof(cluster_states[0]))];
    f->cluster.cache_nodes.set = true;
    f->cluster.cache_nodes.items = f->node_ptrs;
    f->cluster.cache_parameter_group = &f->pg;
    memset(&f->pg, 0, sizeof(f->pg));
    f->pg.cache_node_ids_to_reboot.items = f->pending;
    for (i = 0; i < count; i++) {
        unsigned b = byte(in);
        ec_cache_node *n = &f->nodes[i];

        memset(n, 0, sizeof(*n));
        /* Mostly the node's own id; sometimes another, to make
         * duplicates and gaps. */
        n->cache_node_id = (char *)node_ids[(b & 0x80) ? (b >> 4) % NODES : i];
        n->cache_node_status = (char *)
            node_states[b % (sizeof(node_states) / sizeof(node_states[0]))];
        n->parameter_group_status =
            (b & 0x08) ? (char *)"pending-reboot" : (char *)"in-sync";
        if (b & 0x10)
            f->pending[f->pg.cache_node_ids_to_reboot.count++] =
                n->cache_node_id;
        f->node_ptrs[i] = n;
    }
    f->cluster.cache_nodes.count = count;
    if (strncmp(id, "rg-", 3) == 0 || (status & 0x40)) {
        f->cluster.engine = (char *)"redis";
        f->cluster.replication_group_id = (char *)"rg";
    }
    f->cluster_ptr = &f->cluster;
    f->clusters.set = true;
    f->clusters.count = 1;
    f->clusters.items = &f->cluster_ptr;
}

static void build_events(input *in, fake *f, const char *id, ec_time now)
{
    static char messages[NODES][32];
    unsigned count = byte(in) % 5, i;

    for (i = 0; i < NODES; i++)
        snprintf(messages[i], sizeof(messages[i]), "Cache node %s restarted",
                 node_ids[i]);
    f->event_list.set = true;
    f->event_list.items = f->event_ptrs;
    f->event_list.count = count;
    for (i = 0; i < count; i++) {
        unsigned b = byte(in);
        ec_event *e = &f->events[i];

        memset(e, 0, sizeof(*e));
        e->source_identifier = (char *)id;
        e->source_type = (char *)"cache-cluster";
        e->message = messages[b % NODES];
        e->date = ecp_time_add(now, -(double)(byte(in) % 120));
        f->event_ptrs[i] = e;
    }
}

static void set_error(ec_error *e, ec_errcode code, const char *aws_code,
                      const char *message, bool maybe_sent)
{
    ec_error_clear(e);
    e->code = code;
    snprintf(e->aws_code, sizeof(e->aws_code), "%s", aws_code);
    snprintf(e->message, sizeof(e->message), "%s", message);
    e->maybe_sent = maybe_sent;
}

/* The answer to `act`, from the next bytes. */
static void answer(input *in, const ecp_action *act, ec_time now, fake *f,
                   ecp_obs *obs)
{
    unsigned kind = in->left ? byte(in) % 10 : 9;
    const char *id = act->cluster_id ? act->cluster_id : "demo";
    /* What the client marks as maybe sent: the calls that change things. */
    bool sends =
        act->kind == ECP_ACT_REBOOT_NODES || act->kind == ECP_ACT_MODIFY_GROUP;

    memset(&f->error, 0, sizeof(f->error));
    obs->error = &f->error;
    if (act->kind == ECP_ACT_PROBE_NODE) {
        obs->probe_ok = in->left ? (byte(in) & 1) : false;
        obs->detail = obs->probe_ok ? "PONG" : "connection refused";
        return;
    }
    switch (kind) {
    case 0:
    case 1:
    case 2:
    case 3:
        if (act->kind == ECP_ACT_DESCRIBE_CLUSTER) {
            build_cluster(in, f, id);
            obs->clusters = &f->clusters;
        } else if (act->kind == ECP_ACT_DESCRIBE_GROUP) {
            build_group(in, f);
            obs->groups = &f->groups;
        } else if (act->kind == ECP_ACT_MODIFY_GROUP) {
            if (kind < 2) {
                build_group(in, f);
                obs->group = &f->group;
            }
            obs->request_id = "rid";
        } else if (act->kind == ECP_ACT_READ_EVENTS) {
            build_events(in, f, id, now);
            obs->events = &f->event_list;
        } else if (kind < 2) {
            build_cluster(in, f, id);
            obs->cluster = &f->cluster;
            obs->request_id = "rid";
        } else {
            obs->cluster = NULL;
        }
        break;
    case 4:
        set_error(&f->error, EC_ERR_SERVICE, "InvalidCacheClusterState",
                  (byte(in) & 1) ? "Cluster is not in available state "
                                   "(current state: rebooting cache cluster "
                                   "nodes)."
                                 : "not available (modifying)",
                  false);
        break;
    case 5:
        set_error(&f->error, EC_ERR_SERVICE, "ServiceUnavailable",
                  "Service Unavailable", sends);
        break;
    case 6:
        set_error(&f->error, EC_ERR_TIMEOUT, "", "Read timeout", sends);
        break;
    case 7:
        set_error(&f->error, EC_ERR_PARSE, "", "the answer cannot be read",
                  sends);
        break;
    case 8:
        set_error(&f->error, (byte(in) & 1) ? EC_ERR_SERVICE : EC_ERR_TRANSPORT,
                  "InvalidParameterCombination", "refused", false);
        break;
    default:
        set_error(&f->error, EC_ERR_TRANSPORT, "", "Connection reset", sends);
        break;
    }
}

/* Only its presence matters: the input answers for it. */
static bool fuzz_probe(void *userdata, const ec_node_probe *probe)
{
    (void)userdata;
    (void)probe;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in = {data, size};
    unsigned flags = byte(&in), asked = byte(&in), ops = byte(&in);
    double delay = 1 + byte(&in) % 30, budget = 1 + byte(&in) % 240;
    ec_reboot_options opts = EC_REBOOT_OPTIONS_INIT;
    ec_reboot_policy policy = EC_REBOOT_POLICY_INIT;
    ec_wait_options wopts = EC_WAIT_OPTIONS_INIT;
    ec_group_reboot_options gopts = EC_GROUP_REBOOT_OPTIONS_INIT;
    ec_reboot_policy gpolicy;
    ec_strlist watch = {0}, members = {0};
    const char *ids[NODES + 1];
    engine_oracle oracle = {0};
    ecp_params params;
    ecp_engine e;
    ecp_action act;
    ecp_obs obs;
    fake *f = calloc(1, sizeof(*f));
    ec_time start = {true, 1714557600, 0, 0}, now = start;
    ec_error err = {0};
    size_t i;
    int steps;

    if (!f)
        return 0;
    unsigned extra = byte(&in);
    for (i = 0; i < NODES + 1; i++)
        if (asked & (1u << i))
            ids[policy.node_count++] = node_ids[i];
    policy.node_ids = ids;
    policy.node_ids_set = (flags & 0x40) != 0;
    if (!policy.node_ids_set && policy.node_count == 0)
        policy.node_ids = NULL;
    policy.only_if_pending = flags & 0x04;
    if (flags & 0x08)
        policy.unless_rebooted_since = ecp_time_add(start, -3600);
    opts.policy = &policy;
    opts.check_mode = flags & 0x01;
    opts.wait = flags & 0x02;
    opts.wait_delay = delay;
    opts.wait_timeout = budget;
    opts.time_budget = (flags & 0x10) ? budget / 2 : 0;
    opts.batch_size = extra & 0x03;
    opts.allow_primary_reboot = extra & 0x04;
    if (extra & 0x08)
        opts.probe = fuzz_probe;
    wopts.delay = delay;
    wopts.timeout = budget;
    wopts.max_attempts = 1 + (int)(byte(&in) % 20);
    watch.set = true;
    watch.items = (char **)ids;
    watch.count = policy.node_count;
    switch (ops % 8) {
    case 0:
        ecp_wait_available_params((flags & 0x20) ? NULL : "demo", &wopts,
                                  &params);
        break;
    case 1:
        ecp_wait_reboot_params("demo", &watch, ecp_time_add(start, -30), &wopts,
                               &params);
        break;
    case 2:
    case 3:
    case 4:
        /* The group: members asked for from the node bits. */
        gopts.replication_group_id = "rg";
        gopts.only_if_pending = policy.only_if_pending;
        gopts.unless_rebooted_since = policy.unless_rebooted_since;
        gopts.check_mode = opts.check_mode;
        gopts.wait = opts.wait;
        gopts.wait_delay = delay;
        gopts.wait_timeout = budget;
        gopts.time_budget = opts.time_budget;
        gopts.allow_primary_reboot = opts.allow_primary_reboot;
        gopts.replicas_only = extra & 0x10;
        gopts.probe = opts.probe;
        members.set = policy.node_ids_set;
        for (i = 0; i < 4; i++)
            if ((asked & (1u << i)) && ec_strlist_push(&members, member_ids[i]))
                goto out;
        ecp_group_params_from(&gopts, "rg", &gpolicy, &members, &params);
        break;
    default:
        ecp_reboot_params_from(&opts, (extra & 0x20) ? "rg-002" : "demo",
                               &params);
        break;
    }
    oracle.params = &params;
    ecp_engine_init(&e, &params, NULL);
    memset(&obs, 0, sizeof(obs));
    obs.kind = ECP_OBS_START;
    obs.started = obs.now = now;
    for (steps = 0; steps < MAX_STEPS; steps++) {
        const char *broken;

        oracle_observe(&oracle, &obs);
        if (ecp_engine_step(&e, &obs, &act, &err) != 0) {
            ORACLE(err.code == EC_ERR_NOMEM, "the step function failed");
            break;
        }
        broken = oracle_check(&oracle, &act, &e);
        ORACLE(!broken, broken);
        if (act.kind == ECP_ACT_DONE)
            break;
        memset(&obs, 0, sizeof(obs));
        obs.started = now;
        if (act.kind == ECP_ACT_SLEEP) {
            ORACLE(act.seconds > 0, "a sleep of no time");
            obs.kind = ECP_OBS_SLEPT;
            now = ecp_time_add(now, act.seconds);
        } else if (act.kind == ECP_ACT_REPORT) {
            obs.kind = ECP_OBS_REPORTED;
        } else {
            obs.kind = act.kind == ECP_ACT_DESCRIBE_CLUSTER ? ECP_OBS_CLUSTERS
                       : act.kind == ECP_ACT_READ_EVENTS    ? ECP_OBS_EVENTS
                       : act.kind == ECP_ACT_DESCRIBE_GROUP ? ECP_OBS_GROUP
                       : act.kind == ECP_ACT_MODIFY_GROUP   ? ECP_OBS_MODIFIED
                       : act.kind == ECP_ACT_PROBE_NODE     ? ECP_OBS_PROBED
                                                            : ECP_OBS_REBOOTED;
            answer(&in, &act, now, f, &obs);
            now = ecp_time_add(now, (double)(byte(&in) % 4));
        }
        obs.now = now;
    }
    ORACLE(steps < MAX_STEPS, "the run does not end");
    oracle_clear(&oracle);
    ecp_engine_clear(&e);
out:
    ec_strlist_clear(&members);
    free(f);
    return 0;
}
