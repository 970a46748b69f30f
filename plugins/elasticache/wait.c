/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `elasticache wait cache-cluster-available`: AWS's CacheClusterAvailable
 * waiter (15 s delay, 40 attempts), silent on success, and on failure the
 * AWS CLI's "Waiter CacheClusterAvailable failed: ..." with exit code 255.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum { W_ID, W_SHOW_NODES, W_NOT_IN_RG, W_DELAY, W_MAX_ATTEMPTS, W_COUNT };

static const cli_opt w_opts[W_COUNT] = {
    [W_ID] = {"--cache-cluster-id", CLI_STRING, NULL},
    [W_SHOW_NODES] = {"--show-cache-node-info", CLI_FLAG,
                      "--no-show-cache-node-info"},
    [W_NOT_IN_RG] = {"--show-cache-clusters-not-in-replication-groups",
                     CLI_FLAG,
                     "--no-show-cache-clusters-not-in-replication-groups"},
    [W_DELAY] = {"--delay", CLI_SECONDS, NULL},
    [W_MAX_ATTEMPTS] = {"--max-attempts", CLI_INT, NULL},
};

/* The library words waiter failures as botocore does ("Waiter
 * CacheClusterAvailable failed: <reason>"); the prefix is added only if a
 * message lacks it. */
static int report_wait_error(const ec_error *err)
{
    static const char prefix[] = "Waiter CacheClusterAvailable failed: ";

    if (err->code != EC_ERR_WAIT_FAILURE && err->code != EC_ERR_WAIT_TIMEOUT)
        return cli_report_error(err);
    fprintf(stderr, "\n%s%s\n",
            strncmp(err->message, prefix, sizeof(prefix) - 1) ? prefix : "",
            err->message);
    return CLI_EXIT_OTHER;
}

static int run_wait(const cli_ctx *ctx)
{
    const cli_val *o = ctx->opts;
    ec_wait_options opts = EC_WAIT_OPTIONS_INIT;
    ec_client *client = NULL;
    ec_error err;
    int rc = 0;

    ec_error_clear(&err);
    if (o[W_DELAY].seen) {
        if (o[W_DELAY].dval <= 0)
            return cli_usage_error("argument --delay: must be more than 0");
        opts.delay = o[W_DELAY].dval;
    }
    if (o[W_MAX_ATTEMPTS].seen) {
        if (o[W_MAX_ATTEMPTS].ival < 1 || o[W_MAX_ATTEMPTS].ival > 1000000)
            return cli_usage_error("argument --max-attempts: must be 1 or "
                                   "more");
        opts.max_attempts = (int)o[W_MAX_ATTEMPTS].ival;
    }
    client = cli_client_new(ctx, &rc);
    if (!client)
        return rc;
    if (ec_wait_cache_cluster_available(client, o[W_ID].str, &opts, NULL,
                                        &err) != 0)
        rc = report_wait_error(&err);
    ec_client_free(client);
    return rc;
}

const cli_command cli_cmd_wait_available = {
    "cache-cluster-available", w_opts, W_COUNT,
    "usage: elasticache wait cache-cluster-available [--cache-cluster-id ID]\n"
    "         [--delay S] [--max-attempts N] [global options]\n"
    "\n"
    "Wait until the cluster (without --cache-cluster-id: every cluster) is\n"
    "available, polling DescribeCacheClusters as `aws elasticache wait\n"
    "cache-cluster-available` does: every 15 s, at most 40 times. Prints\n"
    "nothing on success. Fails with exit status 255 when a cluster reaches\n"
    "deleted, deleting, incompatible-network or restore-failed, when the\n"
    "attempts run out, or when the service answers with an error.\n"
    "\n"
    "Beyond the AWS CLI:\n"
    "  --delay S         seconds between polls (default 15)\n"
    "  --max-attempts N  polls before giving up (default 40)\n"
    "\n"
    "--show-cache-node-info and --show-cache-clusters-not-in-replication-"
    "groups\n"
    "are accepted as the AWS CLI accepts them and change nothing.\n",
    run_wait};
