/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reboot engine's one driver loop (see engine.h): each action of the
 * step function done through the client, its answer handed back as the
 * next observation. The only I/O of every reboot and wait.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "transport.h"

/* The outputs of the last call, kept until the step has read them. */
typedef struct answers {
    ec_describe_cache_clusters_output *clusters;
    ec_describe_events_output *events;
    ec_reboot_cache_cluster_output *reboot;
    ec_describe_replication_groups_output *groups;
    ec_modify_replication_group_output *modified;
    char detail[256]; /* what the probe hook wrote */
} answers;

static void answers_clear(answers *a)
{
    ec_describe_cache_clusters_output_free(a->clusters);
    ec_describe_events_output_free(a->events);
    ec_reboot_cache_cluster_output_free(a->reboot);
    ec_describe_replication_groups_output_free(a->groups);
    ec_modify_replication_group_output_free(a->modified);
    memset(a, 0, sizeof(*a));
}

static void do_describe(ec_client *client, const ecp_action *act, answers *a,
                        ecp_obs *obs, ec_error *call)
{
    ec_describe_cache_clusters_input in = EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;

    in.cache_cluster_id = act->cluster_id;
    if (act->show_nodes) {
        in.show_cache_node_info.set = true;
        in.show_cache_node_info.value = true;
    }
    obs->kind = ECP_OBS_CLUSTERS;
    if (ecp_describe_cache_clusters(client, &in, &a->clusters, call) == 0)
        obs->clusters = &a->clusters->cache_clusters;
}

static void do_events(ec_client *client, const ecp_action *act, answers *a,
                      ecp_obs *obs, ec_error *call)
{
    ec_describe_events_input in = EC_DESCRIBE_EVENTS_INPUT_INIT;

    in.source_identifier = act->cluster_id;
    in.source_type = "cache-cluster";
    in.start_time = act->since;
    obs->kind = ECP_OBS_EVENTS;
    if (ecp_describe_events_all(client, &in, &a->events, call) == 0)
        obs->events = &a->events->events;
}

static void do_reboot(ec_client *client, const ecp_action *act, answers *a,
                      ecp_obs *obs, ec_error *call)
{
    ec_reboot_cache_cluster_input in = EC_REBOOT_CACHE_CLUSTER_INPUT_INIT;

    in.cache_cluster_id = act->cluster_id;
    in.cache_node_ids_to_reboot = (const char *const *)act->nodes->items;
    in.cache_node_id_count = act->nodes->count;
    obs->kind = ECP_OBS_REBOOTED;
    if (ecp_reboot_cache_cluster(client, &in, &a->reboot, call) == 0) {
        obs->cluster = a->reboot->cache_cluster;
        obs->request_id = a->reboot->request_id;
    }
}

static void do_describe_group(ec_client *client, const ecp_action *act,
                              answers *a, ecp_obs *obs, ec_error *call)
{
    ec_describe_replication_groups_input in =
        EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT;

    in.replication_group_id = act->group_id;
    obs->kind = ECP_OBS_GROUP;
    if (ecp_describe_replication_groups(client, &in, &a->groups, call) == 0)
        obs->groups = &a->groups->replication_groups;
}

static void do_modify(ec_client *client, const ecp_action *act, answers *a,
                      ecp_obs *obs, ec_error *call)
{
    ec_modify_replication_group_input in =
        EC_MODIFY_REPLICATION_GROUP_INPUT_INIT;

    in.replication_group_id = act->group_id;
    in.primary_cluster_id = act->primary_cluster_id;
    in.automatic_failover_enabled = act->automatic_failover;
    in.multi_az_enabled = act->multi_az;
    in.apply_immediately.set = true;
    in.apply_immediately.value = true;
    obs->kind = ECP_OBS_MODIFIED;
    if (ecp_modify_replication_group(client, &in, &a->modified, call) == 0) {
        obs->group = a->modified->replication_group;
        obs->request_id = a->modified->request_id;
    }
}

/* The caller's hook, given what the engine knows of the node. */
static void do_probe(const ecp_engine *e, const ecp_action *act,
                     ec_node_probe_fn hook, void *userdata, answers *a,
                     ecp_obs *obs)
{
    ec_node_probe p;

    memset(&p, 0, sizeof(p));
    p.check = act->check;
    p.cache_cluster_id = act->cluster_id;
    p.cache_node_id = act->node_id;
    p.engine = act->engine;
    p.address = act->address;
    p.port = act->port;
    p.replication_group_id = act->group_id;
    p.primary_cluster_id = act->primary_id;
    p.primary_address = act->primary_address;
    p.primary_port = act->primary_port;
    p.elapsed = ecp_time_sub(obs->started, e->t0);
    p.detail = a->detail;
    p.detail_size = sizeof(a->detail);
    obs->kind = ECP_OBS_PROBED;
    obs->probe_ok = hook ? hook(userdata, &p) : true;
    a->detail[sizeof(a->detail) - 1] = '\0';
    obs->detail = a->detail;
}

int ecp_engine_run(ecp_engine *e, ec_client *client, ec_progress_fn progress,
                   void *progress_userdata, ec_error *err)
{
    return ecp_engine_run_probed(e, client, progress, progress_userdata, NULL,
                                 NULL, err);
}

int ecp_engine_run_probed(ecp_engine *e, ec_client *client,
                          ec_progress_fn progress, void *progress_userdata,
                          ec_node_probe_fn probe, void *probe_userdata,
                          ec_error *err)
{
    answers a = {0};
    ecp_action act;
    ecp_obs obs;
    ec_error call;
    int rc = -1;

    memset(&obs, 0, sizeof(obs));
    obs.kind = ECP_OBS_START;
    obs.started = obs.now = ec_client_now(client);
    for (;;) {
        if (ecp_engine_step(e, &obs, &act, err) != 0)
            break;
        answers_clear(&a);
        memset(&obs, 0, sizeof(obs));
        ec_error_clear(&call);
        obs.error = &call;
        obs.started = ec_client_now(client);
        if (act.kind == ECP_ACT_DESCRIBE_CLUSTER ||
            act.kind == ECP_ACT_READ_EVENTS ||
            act.kind == ECP_ACT_REBOOT_NODES ||
            act.kind == ECP_ACT_DESCRIBE_GROUP ||
            act.kind == ECP_ACT_MODIFY_GROUP)
            ecp_client_set_call_limit(client, act.call_timeout);
        switch (act.kind) {
        case ECP_ACT_DESCRIBE_CLUSTER:
            do_describe(client, &act, &a, &obs, &call);
            break;
        case ECP_ACT_READ_EVENTS:
            do_events(client, &act, &a, &obs, &call);
            break;
        case ECP_ACT_REBOOT_NODES:
            do_reboot(client, &act, &a, &obs, &call);
            break;
        case ECP_ACT_DESCRIBE_GROUP:
            do_describe_group(client, &act, &a, &obs, &call);
            break;
        case ECP_ACT_MODIFY_GROUP:
            do_modify(client, &act, &a, &obs, &call);
            break;
        case ECP_ACT_PROBE_NODE:
            do_probe(e, &act, probe, probe_userdata, &a, &obs);
            break;
        case ECP_ACT_SLEEP:
            obs.kind = ECP_OBS_SLEPT;
            ecp_client_sleep(client, act.seconds);
            break;
        case ECP_ACT_REPORT:
            obs.kind = ECP_OBS_REPORTED;
            if (progress) {
                ec_progress p;

                memset(&p, 0, sizeof(p));
                p.phase = act.phase;
                p.elapsed = ecp_time_sub(obs.started, e->t0);
                p.cluster = e->cluster;
                p.watched_node_ids = act.watched;
                p.message = act.message;
                if (act.has_step && act.step < e->outcome.steps.count) {
                    p.step = e->outcome.steps.items[act.step];
                    p.step_number = act.step + 1;
                    p.step_count = e->outcome.steps.count;
                }
                p.group = e->group;
                progress(progress_userdata, &p);
            }
            break;
        case ECP_ACT_DONE:
            rc = e->outcome.rc;
            if (rc != 0 && err && err->code == EC_OK)
                *err = e->outcome.error;
            goto out;
        }
        ecp_client_set_call_limit(client, 0);
        obs.now = ec_client_now(client);
    }
out:
    ecp_client_set_call_limit(client, 0);
    answers_clear(&a);
    return rc;
}
