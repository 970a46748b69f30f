/* libFuzzer target: the reboot engine's step function (lib/src/engine.c)
 * run against a service that answers whatever the input says.
 *
 * Input: 6 bytes of options (operation, check_mode, wait, only_if_pending,
 * unless_rebooted_since, which nodes are asked for, delay, budget), then
 * the answers: each call the engine makes takes the next bytes (a kind:
 * a described cluster with its status and nodes built from the bytes, a
 * page of restart events, a reboot answer, or one of the errors the
 * client reports: a service refusal, InvalidCacheClusterState, a 5xx, a
 * reset, a read timeout, an unreadable 200, a refused connection), and
 * how long it took. When the input runs out, every call fails with a
 * reset.
 *
 * Oracle: the safety contract (tests/unit/engine/engine_oracle.h). The
 * engine never reboots a node that was not asked for, never sends a
 * second reboot in one run, never sends one after a lost answer (or in
 * check mode, or from a waiter), never makes a call for an empty node
 * list; and every run ends, within its budget's worth of steps. */
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
} fake;

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

    memset(&f->error, 0, sizeof(f->error));
    obs->error = &f->error;
    switch (kind) {
    case 0:
    case 1:
    case 2:
    case 3:
        if (act->kind == ECP_ACT_DESCRIBE_CLUSTER) {
            build_cluster(in, f, id);
            obs->clusters = &f->clusters;
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
                  "Service Unavailable", act->kind == ECP_ACT_REBOOT_NODES);
        break;
    case 6:
        set_error(&f->error, EC_ERR_TIMEOUT, "", "Read timeout",
                  act->kind == ECP_ACT_REBOOT_NODES);
        break;
    case 7:
        set_error(&f->error, EC_ERR_PARSE, "", "the answer cannot be read",
                  act->kind == ECP_ACT_REBOOT_NODES);
        break;
    case 8:
        set_error(&f->error, (byte(in) & 1) ? EC_ERR_SERVICE : EC_ERR_TRANSPORT,
                  "InvalidParameterCombination", "refused", false);
        break;
    default:
        set_error(&f->error, EC_ERR_TRANSPORT, "", "Connection reset",
                  act->kind == ECP_ACT_REBOOT_NODES);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in = {data, size};
    unsigned flags = byte(&in), asked = byte(&in), ops = byte(&in);
    double delay = 1 + byte(&in) % 30, budget = 1 + byte(&in) % 240;
    ec_reboot_options opts = EC_REBOOT_OPTIONS_INIT;
    ec_reboot_policy policy = EC_REBOOT_POLICY_INIT;
    ec_wait_options wopts = EC_WAIT_OPTIONS_INIT;
    ec_strlist watch = {0};
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
    byte(&in); /* reserved */
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
    default:
        ecp_reboot_params_from(&opts, "demo", &params);
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
                                                            : ECP_OBS_REBOOTED;
            answer(&in, &act, now, f, &obs);
            now = ecp_time_add(now, (double)(byte(&in) % 4));
        }
        obs.now = now;
    }
    ORACLE(steps < MAX_STEPS, "the run does not end");
    oracle_clear(&oracle);
    ecp_engine_clear(&e);
    free(f);
    return 0;
}
