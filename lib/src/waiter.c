/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public waiters, both runs of the reboot engine (engine.c): AWS's
 * CacheClusterAvailable (same acceptors, defaults and botocore's error
 * texts) and the reboot-completion waiter that needs evidence of a restart
 * before it believes an "available".
 */
#include "engine.h"

#include <string.h>

#include "abi.h"
#include "client.h"

/* Run `params` and hand the last cluster read to *cluster_out. */
static int run(ec_client *client, const ecp_params *params,
               const ec_wait_options *opt, ec_cache_cluster **cluster_out,
               ec_error *err)
{
    ecp_engine e;
    int rc;

    ecp_engine_init(&e, params, NULL);
    rc = ecp_engine_run(&e, client, opt->progress, opt->progress_userdata, err);
    if (cluster_out) {
        *cluster_out = e.cluster;
        e.cluster = NULL;
    }
    ecp_engine_clear(&e);
    return rc;
}

void ecp_wait_available_params(const char *cluster_id,
                               const ec_wait_options *opt, ecp_params *out)
{
    memset(out, 0, sizeof(*out));
    out->op = ECP_OP_WAIT_AVAILABLE;
    out->cluster_id = cluster_id;
    out->delay = opt->delay > 0 ? opt->delay : ECP_DEFAULT_DELAY;
    out->max_attempts =
        opt->max_attempts > 0 ? opt->max_attempts : ECP_DEFAULT_MAX_ATTEMPTS;
    /* botocore's waiter is bounded by attempts; a timeout, when given,
     * bounds it too. */
    out->budget =
        opt->timeout > 0 ? opt->timeout : out->delay * out->max_attempts;
}

void ecp_wait_reboot_params(const char *cluster_id, const ec_strlist *node_ids,
                            ec_time since, const ec_wait_options *opt,
                            ecp_params *out)
{
    memset(out, 0, sizeof(*out));
    out->op = ECP_OP_WAIT_REBOOT;
    out->cluster_id = cluster_id;
    out->delay = opt->delay > 0 ? opt->delay : ECP_DEFAULT_DELAY;
    out->budget =
        opt->timeout > 0
            ? opt->timeout
            : out->delay * (opt->max_attempts > 0 ? opt->max_attempts
                                                  : ECP_DEFAULT_MAX_ATTEMPTS);
    out->watch = node_ids;
    out->since = since;
}

int ec_wait_cache_cluster_available(ec_client *client,
                                    const char *cache_cluster_id,
                                    const ec_wait_options *options,
                                    ec_cache_cluster **cluster_out,
                                    ec_error *err)
{
    ec_wait_options opt;
    ecp_params params;

    if (cluster_out)
        *cluster_out = NULL;
    if (!client)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "ec_wait_cache_cluster_available: no client");
    if (ecp_struct_import(&ecp_info_wait_options, &opt, options, err) != 0)
        return -1;
    ecp_wait_available_params(cache_cluster_id, &opt, &params);
    return run(client, &params, &opt, cluster_out, err);
}

int ec_wait_reboot_complete(ec_client *client, const char *cache_cluster_id,
                            const ec_strlist *node_ids, ec_time since,
                            const ec_wait_options *options,
                            ec_cache_cluster **cluster_out, ec_error *err)
{
    ec_wait_options opt;
    ecp_params params;
    char id[64];

    if (cluster_out)
        *cluster_out = NULL;
    if (!client)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "ec_wait_reboot_complete: no client");
    if (ecp_struct_import(&ecp_info_wait_options, &opt, options, err) != 0)
        return -1;
    if (!cache_cluster_id)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "ec_wait_reboot_complete: client and cluster id "
                             "are required");
    if (ec_validate_cache_cluster_id(cache_cluster_id, id, sizeof(id), err) !=
        0)
        return -1;
    ecp_wait_reboot_params(id, node_ids, since, &opt, &params);
    return run(client, &params, &opt, cluster_out, err);
}
