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
} answers;

static void answers_clear(answers *a)
{
    ec_describe_cache_clusters_output_free(a->clusters);
    ec_describe_events_output_free(a->events);
    ec_reboot_cache_cluster_output_free(a->reboot);
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

int ecp_engine_run(ecp_engine *e, ec_client *client, ec_progress_fn progress,
                   void *progress_userdata, ec_error *err)
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
            act.kind == ECP_ACT_READ_EVENTS || act.kind == ECP_ACT_REBOOT_NODES)
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
                progress(progress_userdata, &p);
            }
            break;
        case ECP_ACT_DONE:
            rc = e->outcome.rc;
            if (rc != 0 && err && err->code == EC_OK)
                *err = e->outcome.error;
            goto out;
        default:
            /* The kinds declared for issue 10's operations: no operation
             * emits them yet, and this driver cannot do them. */
            ecp_error_set(err, EC_ERR_INTERNAL,
                          "reboot engine: the driver cannot do a %s action",
                          ecp_action_kind_name(act.kind));
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
