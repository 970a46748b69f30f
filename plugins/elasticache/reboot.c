/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `elasticache reboot-cache-cluster`. Given node ids and none of the
 * extension flags it is exactly `aws elasticache reboot-cache-cluster`: one
 * RebootCacheCluster call, the same JSON. Otherwise it is the library's
 * safe reboot (ec_reboot): describe, decide by policy, act once, optionally
 * wait, and print the outcome (see the help text for its JSON).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "linkcheck.h"
#include "progress.h"

enum {
    RB_ID,
    RB_NODES,
    RB_WAIT,
    RB_ONLY_IF_PENDING,
    RB_UNLESS_SINCE,
    RB_DRY_RUN,
    RB_WAIT_TIMEOUT,
    RB_WAIT_DELAY,
    RB_BATCH_SIZE,
    RB_ALLOW_PRIMARY,
    RB_LINK, /* CLI_LINK_COUNT options from here (cli.h) */
    RB_COUNT = RB_LINK + CLI_LINK_COUNT
};

static const cli_opt rb_opts[RB_COUNT] = {
    [RB_ID] = {"--cache-cluster-id", CLI_STRING, NULL},
    [RB_NODES] = {"--cache-node-ids-to-reboot", CLI_LIST, NULL},
    [RB_WAIT] = {"--wait", CLI_FLAG, NULL},
    [RB_ONLY_IF_PENDING] = {"--only-if-pending", CLI_FLAG, NULL},
    [RB_UNLESS_SINCE] = {"--unless-rebooted-since", CLI_STRING, NULL},
    [RB_DRY_RUN] = {"--dry-run", CLI_FLAG, NULL},
    [RB_WAIT_TIMEOUT] = {"--wait-timeout", CLI_SECONDS, NULL},
    [RB_WAIT_DELAY] = {"--wait-delay", CLI_SECONDS, NULL},
    [RB_BATCH_SIZE] = {"--batch-size", CLI_INT, NULL},
    [RB_ALLOW_PRIMARY] = {"--allow-primary-reboot", CLI_FLAG, NULL},
    [RB_LINK] = CLI_LINK_OPT_DEFS,
};

/*
 * A replica of a replication group rebooted with --wait: its link to the
 * primary is verified before the run is done, as reboot-replication-group
 * does (cli_link_prepare, on that member only). Any other cluster, or a
 * member that is the primary, is left as it was (no probe). 0, or the exit
 * code with the refusal printed.
 */
static int link_check(const cli_ctx *ctx, ec_client *client,
                      mon_link_verifier *v)
{
    const cli_val *o = ctx->opts;
    ec_describe_cache_clusters_input in = EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
    ec_describe_cache_clusters_output *out = NULL;
    const char *group = NULL;
    ec_error err;
    int rc = 0;

    ec_error_clear(&err);
    /* Ids the library refuses before any request stay refused so (252,
     * nothing sent): no describe of ours first. */
    if (!o[RB_ID].str ||
        ec_validate_cache_cluster_id(o[RB_ID].str, NULL, 0, &err) != 0)
        return 0;
    for (size_t i = 0; i < o[RB_NODES].count; i++)
        if (ec_validate_cache_node_id(o[RB_NODES].list[i], &err) != 0)
            return 0;
    in.cache_cluster_id = o[RB_ID].str;
    if (ec_describe_cache_clusters(client, &in, &out, &err) != 0) {
        /* An unknown cluster or a bad id: the reboot's own error says it
         * as reboot-cache-cluster always has. */
        return 0;
    }
    if (out->cache_clusters.count == 1)
        group = out->cache_clusters.items[0]->replication_group_id;
    if (group)
        rc = cli_link_prepare(o + RB_LINK, client, group, o[RB_ID].str, v);
    ec_describe_cache_clusters_output_free(out);
    return rc;
}

/* The AWS CLI's form: one call, its answer printed as is. */
static int plain_reboot(const cli_ctx *ctx, ec_client *client)
{
    const cli_val *o = ctx->opts;
    ec_reboot_cache_cluster_input in = EC_REBOOT_CACHE_CLUSTER_INPUT_INIT;
    ec_reboot_cache_cluster_output *out = NULL;
    ec_error err;
    int rc;

    in.cache_cluster_id = o[RB_ID].str;
    in.cache_node_ids_to_reboot = o[RB_NODES].list;
    in.cache_node_id_count = o[RB_NODES].count;
    ec_error_clear(&err);
    if (ec_reboot_cache_cluster(client, &in, &out, &err) != 0)
        rc = cli_report_error(&err);
    else
        rc = cli_emit(ctx, "RebootCacheCluster",
                      ec_reboot_cache_cluster_output_to_json(out, EC_JSON_AWS));
    ec_reboot_cache_cluster_output_free(out);
    return rc;
}

/*
 * An argument the library refused. 252 says nothing was sent, so it is
 * right only when no request was made; the safe reboot checks node ids
 * against the cluster it described, and a node the cluster does not have
 * is then the outcome the plain form gets from the service for the same
 * ids (InvalidParameterValue, 254): "a request was made and the ids were
 * refused, nothing rebooted", which 255 (anything, a reboot may have
 * happened) would not say.
 */
static int report_refused(const ec_error *err, ec_client *client)
{
    char text[EC_ERROR_TEXT_LENGTH + 512];

    if (ec_client_request_count(client) == 0)
        return cli_report_error(err);
    ec_error_format(err, text, sizeof(text));
    fprintf(stderr, "\n%s\n", text);
    return CLI_EXIT_SERVICE;
}

static int safe_reboot(const cli_ctx *ctx, ec_client *client,
                       const ec_reboot_options *opts)
{
    ec_reboot_result *result = NULL;
    ec_error err;
    int rc;

    ec_error_clear(&err);
    if (ec_reboot(client, opts, &result, &err) != 0) {
        /* A reboot was sent and then waiting failed (timeout, lost
         * connection): still say what was done, so a caller does not send
         * it again. */
        if (result && result->changed)
            cli_emit(ctx, "RebootCacheCluster",
                     ec_reboot_result_to_json(result, opts->check_mode,
                                              EC_JSON_AWS));
        if (err.code == EC_ERR_INVALID_ARGUMENT && result && !result->changed &&
            (result->decision == EC_DECIDE_REFUSED ||
             result->decision == EC_DECIDE_UNSUPPORTED))
            /* A safety rule (a group's primary, cluster mode enabled):
             * nothing was sent that changes anything, and the command
             * must change to go on, 252 as the AWS CLI's validation. */
            rc = cli_report_refusal(&err);
        else if (err.code == EC_ERR_INVALID_ARGUMENT)
            rc = report_refused(&err, client);
        else
            rc = cli_report_error(&err);
        goto out;
    }
    rc = cli_emit(
        ctx, "RebootCacheCluster",
        ec_reboot_result_to_json(result, opts->check_mode, EC_JSON_AWS));
    if (rc != 0)
        goto out;
    if (result->decision == EC_DECIDE_BUSY) {
        /* A reboot was asked for and did not happen because the cluster
         * was busy: a failure (issue 8, item 6), 255 as a waiter that
         * cannot get the cluster available. The message names the state
         * and says to use --wait; --dry-run predicts the same failure. */
        fprintf(stderr, "\nCluster %s was not rebooted: %s\n",
                ctx->opts[RB_ID].str, result->message);
        rc = CLI_EXIT_OTHER;
    } else if (result->decision == EC_DECIDE_UNSUPPORTED) {
        /* The service's own refusal. */
        fprintf(stderr, "\nCluster %s was not rebooted: %s\n",
                ctx->opts[RB_ID].str, result->message);
        rc = CLI_EXIT_SERVICE;
    }
out:
    ec_reboot_result_free(result);
    return rc;
}

static int run_reboot(const cli_ctx *ctx)
{
    const cli_val *o = ctx->opts;
    ec_reboot_options opts = EC_REBOOT_OPTIONS_INIT;
    ec_reboot_policy policy = EC_REBOOT_POLICY_INIT;
    cli_progress progress;
    ec_client *client = NULL;
    mon_link_verifier verifier;
    ec_error err;
    bool extended;
    int rc = 0;

    memset(&verifier, 0, sizeof(verifier));
    ec_error_clear(&err);
    /* With --cli-input-json/yaml a missing id is botocore's validation
     * error, reported once the client exists (input.c). */
    if (!o[RB_ID].seen && !cli_input_overrides_required(ctx->common))
        return cli_usage_error("the following arguments are required: "
                               "--cache-cluster-id");
    /* The cluster and node ids are checked by the library, before any
     * request; cli_report_error names the argument it refused. */
    /* A rolling reboot waits between batches whatever --wait says, so
     * there they bound and pace that too. */
    if ((o[RB_WAIT_TIMEOUT].seen || o[RB_WAIT_DELAY].seen) &&
        !o[RB_WAIT].seen && !o[RB_BATCH_SIZE].seen)
        return cli_usage_error("--wait-timeout and --wait-delay need --wait "
                               "or --batch-size");
    if (o[RB_BATCH_SIZE].seen &&
        (o[RB_BATCH_SIZE].ival < 1 || o[RB_BATCH_SIZE].ival > 1000))
        return cli_usage_error("argument --batch-size: must be from 1 to "
                               "1000 (nodes per reboot call)");
    if (o[RB_WAIT_DELAY].seen && o[RB_WAIT_DELAY].dval <= 0)
        return cli_usage_error("argument --wait-delay: must be more than 0");
    if (o[RB_WAIT_TIMEOUT].seen && o[RB_WAIT_TIMEOUT].dval <= 0)
        return cli_usage_error("argument --wait-timeout: must be more than 0");
    rc = cli_link_check_args(o + RB_LINK);
    if (rc != 0)
        return rc;

    extended = !o[RB_NODES].seen || o[RB_WAIT].seen ||
               o[RB_ONLY_IF_PENDING].seen || o[RB_UNLESS_SINCE].seen ||
               o[RB_DRY_RUN].seen || o[RB_BATCH_SIZE].seen ||
               o[RB_ALLOW_PRIMARY].seen;
    for (size_t i = RB_LINK; i < RB_COUNT; i++)
        extended = extended || o[i].seen;
    /* Its syntax is an argument error, before any configuration one (as
     * the AWS CLI orders them); the moment it names counts back from the
     * client's clock, below. */
    if (o[RB_UNLESS_SINCE].seen &&
        ec_time_parse_since(o[RB_UNLESS_SINCE].str, (ec_time){0},
                            &policy.unless_rebooted_since, &err))
        return cli_usage_error("argument --unless-rebooted-since: %s",
                               err.message);

    client = cli_client_new(ctx, &rc);
    if (!client)
        return rc;
    if (o[RB_UNLESS_SINCE].seen &&
        ec_time_parse_since(o[RB_UNLESS_SINCE].str, ec_client_now(client),
                            &policy.unless_rebooted_since, &err)) {
        rc = cli_report_error(&err);
        goto out;
    }
    if (!extended) {
        rc = plain_reboot(ctx, client);
        goto out;
    }
    opts.cache_cluster_id = o[RB_ID].str;
    policy.node_ids = o[RB_NODES].list;
    policy.node_count = o[RB_NODES].count;
    /* Given is given: a list that comes out empty means no node. */
    policy.node_ids_set = o[RB_NODES].seen;
    policy.only_if_pending = o[RB_ONLY_IF_PENDING].seen;
    opts.policy = &policy;
    opts.check_mode = o[RB_DRY_RUN].seen;
    opts.wait = o[RB_WAIT].seen;
    opts.wait_timeout = o[RB_WAIT_TIMEOUT].dval;
    opts.wait_delay = o[RB_WAIT_DELAY].dval;
    opts.batch_size =
        o[RB_BATCH_SIZE].seen ? (uint32_t)o[RB_BATCH_SIZE].ival : 0;
    opts.allow_primary_reboot = o[RB_ALLOW_PRIMARY].seen;
    /* The drawing on a terminal while waiting; otherwise one line per
     * batch (a run of one call has no steps to log). */
    cli_progress_attach(&progress, o[RB_ID].str, opts.wait, &opts.progress,
                        &opts.progress_userdata);
    /* Only a run that waits has a moment to verify the link in. */
    if (opts.wait && !opts.check_mode && cli_link_verify(o + RB_LINK)) {
        rc = link_check(ctx, client, &verifier);
        if (rc != 0)
            goto out;
        if (verifier.count > 0) {
            opts.probe = mon_link_probe;
            opts.probe_userdata = &verifier;
        }
    }
    rc = safe_reboot(ctx, client, &opts);
    if (rc != 0 && verifier.last[0])
        fprintf(stderr,
                "The last replica link check saw %s: see that replica's link "
                "to its primary.\n",
                verifier.last);
out:
    mon_link_verifier_free(&verifier);
    ec_client_free(client);
    return rc;
}

const cli_command cli_cmd_reboot = {
    "reboot-cache-cluster", rb_opts, RB_COUNT,
    "usage: elasticache reboot-cache-cluster --cache-cluster-id ID\n"
    "         [--cache-node-ids-to-reboot NODE [NODE ...]]\n"
    "         [--wait [--wait-timeout S] [--wait-delay S]]\n"
    "         [--only-if-pending] [--unless-rebooted-since TIME] [--dry-run]\n"
    "         [--batch-size N] [--allow-primary-reboot]\n"
    "         [--no-verify-replica-link] [--auth-token-file FILE |\n"
    "         --auth-token-env NAME] [--auth-user NAME] [--auth | --no-auth]\n"
    "         [--tls | --no-tls] [--probe-timeout S] [--probe-ca-bundle FILE]\n"
    "         [--probe-no-verify] [global options]\n"
    "\n"
    "Reboot cache nodes of a cluster.\n"
    "\n"
    "With --cache-node-ids-to-reboot and none of the options below, this is\n"
    "`aws elasticache reboot-cache-cluster`: one RebootCacheCluster call and\n"
    "its JSON, {\"CacheCluster\": {...}}.\n"
    "\n"
    "Safe, idempotent reboot (used when any option below is given, or when\n"
    "no node ids are given, which means every node):\n"
    "  --wait                  wait until each rebooted node has really\n"
    "                          restarted and the cluster is available\n"
    "  --wait-timeout S        give up waiting after S seconds (default "
    "900)\n"
    "  --wait-delay S          seconds between polls (default 15)\n"
    "  --only-if-pending       reboot only nodes whose parameter group "
    "status\n"
    "                          is pending-reboot; none pending: no call\n"
    "  --unless-rebooted-since TIME\n"
    "                          skip nodes restarted since TIME: ISO 8601\n"
    "                          (2023-01-10T09:15:42Z) or an age (90s, 30m,\n"
    "                          2h, 1d, 1w)\n"
    "  --dry-run               decide and report, reboot nothing; with\n"
    "                          --batch-size the \"Steps\" list the ordered "
    "plan\n"
    "  --batch-size N          rolling reboot: N nodes per RebootCacheCluster\n"
    "                          call, each batch waited for (restarted, "
    "cluster\n"
    "                          available) before the next is sent; the first\n"
    "                          failure stops the run and \"Steps\" say which\n"
    "                          batches were done. --wait-timeout bounds the\n"
    "                          whole run. Recommended for memcached: 1\n"
    "  --allow-primary-reboot  reboot a replication group's primary in place\n"
    "                          (writes to the group fail until it is back)\n"
    "A cluster that is a member of a replication group is checked against\n"
    "the group first: its primary is refused (exit 252, nothing sent) naming\n"
    "the group and `elasticache reboot-replication-group`, which moves the\n"
    "primary to a replica before rebooting it; a member of a group with\n"
    "cluster mode enabled is refused the same way, naming AWS's "
    "alternative.\n"
    "A replica of a replication group rebooted with --wait is also waited\n"
    "for until its INFO replication shows master_link_status:up and\n"
    "master_sync_in_progress:0 (the API's \"available\" is no proof that it\n"
    "has synced): it is probed from this host first, and one that cannot\n"
    "be (unreachable, AUTH needed and no token) is refused (252) before\n"
    "the reboot. The options are reboot-replication-group's:\n"
    "  --no-verify-replica-link  trust the API's \"available\" alone\n"
    "  --auth-token-file FILE, --auth-token-env NAME, --auth-user NAME,\n"
    "  --auth/--no-auth, --tls/--no-tls, --probe-timeout S (default 5),\n"
    "  --probe-ca-bundle FILE, --probe-no-verify\n"
    "Nodes already rebooting are not rebooted again. The cluster is "
    "described\n"
    "first; the reboot is sent at most once.\n"
    "\n"
    "It prints one JSON object:\n"
    "  {\n"
    "    \"Changed\": true|false,        a reboot was sent (with --dry-run: "
    "would be)\n"
    "    \"DryRun\": true|false,\n"
    "    \"Decision\": \"reboot\" | \"nothing-pending\" | "
    "\"already-rebooting\" |\n"
    "                \"recently-rebooted\" | \"busy\" | \"unsupported\",\n"
    "    \"Message\": \"why, in one line\",\n"
    "    \"RebootedNodeIds\": [\"0001\", ...],\n"
    "    \"Before\": {\"CacheClusterStatus\": \"...\", \"CacheNodes\":\n"
    "                [{\"CacheNodeId\", \"CacheNodeStatus\", "
    "\"ParameterGroupStatus\"}]},\n"
    "    \"After\": {... the same, at the end ...},\n"
    "    \"CacheCluster\": {... as describe-cache-clusters prints it ...}\n"
    "    \"Steps\": [{\"Action\": \"reboot\", \"State\": \"done\"|\"sent\"|"
    "\"failed\"|\n"
    "               \"planned\", \"CacheNodeIds\": [...], \"Message\", "
    "...}]\n"
    "  }\n"
    "Exit status 0 when the nodes are rebooted or need not be; 255 with the\n"
    "JSON still printed when the cluster is busy in another state and\n"
    "--wait was not given (\"busy\"; --dry-run predicts it); 254 when the\n"
    "service refuses the reboot (\"unsupported\") or a node id is not in the\n"
    "cluster described; 255 when --wait runs out of time (the JSON, with\n"
    "\"Changed\": true, is still printed). When the answer to the reboot is\n"
    "lost (a reset, a timeout, a 5xx, a 200 that cannot be read), describing\n"
    "confirms it within a minute; it is never sent again, and without a\n"
    "confirmation the status is that of the call's own error (254 for a 5xx,\n"
    "255 otherwise).\n"
    "With --wait and stderr a terminal, progress (per node status, elapsed\n"
    "time) is drawn on stderr; otherwise a rolling reboot logs one line per\n"
    "batch on stderr as it begins and ends.\n",
    run_reboot};
