/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `elasticache reboot-replication-group`: our extension (the AWS CLI has no
 * such command). The rolling reboot of a Redis replication group with
 * cluster mode disabled, as ec_reboot_replication_group does it: replicas
 * one at a time, then the primary role moved to a rebooted replica
 * (automatic failover and Multi-AZ switched off and restored, as AWS's
 * Replication.PromoteReplica says), then the old primary. The same safety
 * options as the safe reboot-cache-cluster; one JSON document out.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "linkcheck.h"
#include "progress.h"

enum {
    RG_ID,
    RG_MEMBERS,
    RG_WAIT,
    RG_ONLY_IF_PENDING,
    RG_UNLESS_SINCE,
    RG_DRY_RUN,
    RG_WAIT_TIMEOUT,
    RG_WAIT_DELAY,
    RG_ALLOW_PRIMARY,
    RG_LINK_TIMEOUT,
    RG_LINK, /* CLI_LINK_COUNT options from here (cli.h) */
    RG_COUNT = RG_LINK + CLI_LINK_COUNT
};

static const cli_opt rg_opts[RG_COUNT] = {
    [RG_ID] = {"--replication-group-id", CLI_STRING, NULL},
    [RG_MEMBERS] = {"--cache-cluster-ids", CLI_LIST, NULL},
    [RG_WAIT] = {"--wait", CLI_FLAG, NULL},
    [RG_ONLY_IF_PENDING] = {"--only-if-pending", CLI_FLAG, NULL},
    [RG_UNLESS_SINCE] = {"--unless-rebooted-since", CLI_STRING, NULL},
    [RG_DRY_RUN] = {"--dry-run", CLI_FLAG, NULL},
    [RG_WAIT_TIMEOUT] = {"--wait-timeout", CLI_SECONDS, NULL},
    [RG_WAIT_DELAY] = {"--wait-delay", CLI_SECONDS, NULL},
    [RG_ALLOW_PRIMARY] = {"--allow-primary-reboot", CLI_FLAG, NULL},
    [RG_LINK_TIMEOUT] = {"--replica-link-timeout", CLI_SECONDS, NULL},
    [RG_LINK] = CLI_LINK_OPT_DEFS,
};

static const char TITLE[] = "RebootReplicationGroup";

static int run_group(const cli_ctx *ctx, ec_client *client,
                     const ec_group_reboot_options *opts,
                     const mon_link_verifier *verifier)
{
    ec_group_reboot_result *result = NULL;
    ec_error err;
    int rc;

    ec_error_clear(&err);
    if (ec_reboot_replication_group(client, opts, &result, &err) != 0) {
        /* Steps were taken before the failure: say which, so that nobody
         * sends them again (a re-run with --unless-rebooted-since set to
         * this run's start continues with the members not yet done). */
        if (result && result->changed)
            cli_emit(ctx, TITLE,
                     ec_group_reboot_result_to_json(result, EC_JSON_AWS));
        if (err.code == EC_ERR_INVALID_ARGUMENT && result && !result->changed &&
            (result->decision == EC_DECIDE_REFUSED ||
             result->decision == EC_DECIDE_UNSUPPORTED))
            rc = cli_report_refusal(&err);
        else if (err.code == EC_ERR_INVALID_ARGUMENT &&
                 ec_client_request_count(client) > 0) {
            /* A member the group described does not have: the service's
             * answer to the question, as reboot-cache-cluster's bad node
             * id (254). */
            char text[EC_ERROR_TEXT_LENGTH + 512];

            ec_error_format(&err, text, sizeof(text));
            fprintf(stderr, "\n%s\n", text);
            rc = CLI_EXIT_SERVICE;
        } else
            rc = cli_report_error(&err);
        if (verifier && verifier->last[0])
            fprintf(stderr,
                    "The last replica link check saw %s. The run stopped "
                    "with nothing more rebooted and the primary not moved "
                    "onto a replica not shown synced: see that replica's "
                    "link to its primary.\n",
                    verifier->last);
        goto out;
    }
    rc = cli_emit(ctx, TITLE,
                  ec_group_reboot_result_to_json(result, EC_JSON_AWS));
    if (rc != 0)
        goto out;
    if (result->decision == EC_DECIDE_BUSY) {
        /* As reboot-cache-cluster: asked for, not done, say --wait. */
        fprintf(stderr, "\nReplication group %s was not rebooted: %s\n",
                opts->replication_group_id,
                result->message ? result->message : "busy");
        rc = CLI_EXIT_OTHER;
    }
out:
    ec_group_reboot_result_free(result);
    return rc;
}

static int run_reboot_group(const cli_ctx *ctx)
{
    const cli_val *o = ctx->opts;
    ec_group_reboot_options opts = EC_GROUP_REBOOT_OPTIONS_INIT;
    cli_progress progress;
    ec_client *client = NULL;
    mon_link_verifier verifier;
    ec_error err;
    bool verify = cli_link_verify(o + RG_LINK);
    int rc = 0;

    memset(&verifier, 0, sizeof(verifier));
    ec_error_clear(&err);
    /* An extension has no operation in the service model, so no input
     * file or skeleton: refused rather than silently ignored. */
    if (ctx->common[C_CLI_INPUT_JSON].seen ||
        ctx->common[C_CLI_INPUT_YAML].seen ||
        ctx->common[C_GENERATE_SKELETON].seen)
        return cli_usage_error(
            "reboot-replication-group is an extension of this CLI with no "
            "ElastiCache API operation behind it: --cli-input-json, "
            "--cli-input-yaml and --generate-cli-skeleton do not apply");
    if (!o[RG_ID].seen)
        return cli_usage_error("the following arguments are required: "
                               "--replication-group-id");
    if (o[RG_WAIT_DELAY].seen && o[RG_WAIT_DELAY].dval <= 0)
        return cli_usage_error("argument --wait-delay: must be more than 0");
    if (o[RG_WAIT_TIMEOUT].seen && o[RG_WAIT_TIMEOUT].dval <= 0)
        return cli_usage_error("argument --wait-timeout: must be more than 0");
    if (o[RG_LINK_TIMEOUT].seen && o[RG_LINK_TIMEOUT].dval <= 0)
        return cli_usage_error(
            "argument --replica-link-timeout: must be more than 0");
    if (o[RG_LINK_TIMEOUT].seen && !verify)
        return cli_usage_error("argument --replica-link-timeout: not allowed "
                               "with --no-verify-replica-link (no node is "
                               "probed)");
    rc = cli_link_check_args(o + RG_LINK);
    if (rc != 0)
        return rc;
    if (o[RG_UNLESS_SINCE].seen &&
        ec_time_parse_since(o[RG_UNLESS_SINCE].str, (ec_time){0},
                            &opts.unless_rebooted_since, &err))
        return cli_usage_error("argument --unless-rebooted-since: %s",
                               err.message);

    client = cli_client_new(ctx, &rc);
    if (!client)
        return rc;
    if (o[RG_UNLESS_SINCE].seen &&
        ec_time_parse_since(o[RG_UNLESS_SINCE].str, ec_client_now(client),
                            &opts.unless_rebooted_since, &err)) {
        rc = cli_report_error(&err);
        goto out;
    }
    opts.replication_group_id = o[RG_ID].str;
    opts.member_ids = (const char *const *)o[RG_MEMBERS].list;
    opts.member_count = o[RG_MEMBERS].count;
    opts.member_ids_set = o[RG_MEMBERS].seen;
    opts.only_if_pending = o[RG_ONLY_IF_PENDING].seen;
    opts.allow_primary_reboot = o[RG_ALLOW_PRIMARY].seen;
    opts.check_mode = o[RG_DRY_RUN].seen;
    opts.wait = o[RG_WAIT].seen;
    opts.wait_timeout = o[RG_WAIT_TIMEOUT].dval;
    opts.wait_delay = o[RG_WAIT_DELAY].dval;
    /* Not given: 0, bounded by --wait-timeout alone (as before). */
    opts.replica_link_timeout = o[RG_LINK_TIMEOUT].dval;
    cli_progress_attach(&progress, o[RG_ID].str, true, &opts.progress,
                        &opts.progress_userdata);
    if (verify && !opts.check_mode) {
        rc = cli_link_prepare(o + RG_LINK, client, o[RG_ID].str, NULL,
                              &verifier);
        if (rc != 0)
            goto out;
        opts.probe = mon_link_probe;
        opts.probe_userdata = &verifier;
    }
    rc = run_group(ctx, client, &opts, verify ? &verifier : NULL);
out:
    mon_link_verifier_free(&verifier);
    ec_client_free(client);
    return rc;
}

const cli_command cli_cmd_reboot_group = {
    "reboot-replication-group", rg_opts, RG_COUNT,
    "usage: elasticache reboot-replication-group --replication-group-id ID\n"
    "         [--cache-cluster-ids ID [ID ...]]\n"
    "         [--wait] [--wait-timeout S] [--wait-delay S]\n"
    "         [--only-if-pending] [--unless-rebooted-since TIME] [--dry-run]\n"
    "         [--allow-primary-reboot] [--no-verify-replica-link]\n"
    "         [--replica-link-timeout S]\n"
    "         [--auth-token-file FILE | --auth-token-env NAME]\n"
    "         [--auth-user NAME] [--auth | --no-auth] [--tls | --no-tls]\n"
    "         [--probe-timeout S] [--probe-ca-bundle FILE]\n"
    "         [--probe-no-verify] [global options]\n"
    "\n"
    "Reboot every member of a Redis replication group (cluster mode\n"
    "disabled) without rebooting its primary in place. An extension of this\n"
    "CLI: the AWS CLI has no such command.\n"
    "\n"
    "The safe order:\n"
    "  1. the replicas, one at a time, each waited for until it has really\n"
    "     restarted, reads available and (unless --no-verify-replica-link)\n"
    "     its INFO replication shows master_link_status:up and\n"
    "     master_sync_in_progress:0, before the next;\n"
    "  2. the primary role moved to a replica rebooted in step 1, as AWS\n"
    "     documents for cluster-mode-disabled groups: automatic failover and\n"
    "     Multi-AZ switched off (when on), ModifyReplicationGroup\n"
    "     --primary-cluster-id with ApplyImmediately, then the settings the\n"
    "     group had switched back on, also when a later step fails;\n"
    "  3. the old primary, now a replica, rebooted as the others.\n"
    "Each call is sent at most once; a lost answer is confirmed by\n"
    "describing, never by sending it again. The first failure stops the run\n"
    "with nothing more rebooted; \"Steps\" say what was done.\n"
    "\n"
    "  --replication-group-id ID  the group (required)\n"
    "  --cache-cluster-ids ID ... only these members (default: all)\n"
    "  --wait                  also wait for the last member's reboot (every\n"
    "                          other step is always waited for)\n"
    "  --wait-timeout S        bound on the whole run (default 900)\n"
    "  --wait-delay S          seconds between polls (default 15)\n"
    "  --only-if-pending       only members with a pending-reboot parameter\n"
    "                          change\n"
    "  --unless-rebooted-since TIME\n"
    "                          skip members restarted since TIME (ISO 8601 or\n"
    "                          an age: 90s, 30m, 2h, 1d). A run interrupted\n"
    "                          halfway continues where it stopped when run\n"
    "                          again with TIME = when the first run began\n"
    "  --dry-run               print the ordered plan in \"Steps\"; send\n"
    "                          nothing\n"
    "  --allow-primary-reboot  a group with no replica (one node) has no one\n"
    "                          to move the primary to: reboot it in place\n"
    "                          anyway (no writes or reads until it is back,\n"
    "                          its data lost). Without it such a group is\n"
    "                          refused. A group with a replica always moves\n"
    "                          the primary first.\n"
    "\n"
    "Replica links (the default): the API has no signal that a rebooted\n"
    "replica holds the whole dataset again (\"available\" can come before\n"
    "its full sync from the primary has begun), so every member is probed\n"
    "from this host: once before anything is rebooted (each must answer),\n"
    "after each replica's reboot, and on the replica to promote before the\n"
    "primary moves. TLS and AUTH follow each member's\n"
    "TransitEncryptionEnabled/Mode and AuthTokenEnabled, as check_elasticache\n"
    "does. A member that cannot be verified (unreachable from this host, AUTH\n"
    "needed and no token, TLS failing) refuses the run before anything is\n"
    "rebooted (252); a link that does not come up stops the run, nothing more\n"
    "rebooted, the primary not moved, when --replica-link-timeout (or else\n"
    "--wait-timeout) runs out, with a message naming the member and what its\n"
    "last probe saw.\n"
    "  --replica-link-timeout S  seconds a replica's link may take to show up\n"
    "                          and synced once it is back and available (and\n"
    "                          the promotion target's, before the primary\n"
    "                          moves). Default: no bound of its own, only\n"
    "                          --wait-timeout: a full sync of a large dataset\n"
    "                          can take many minutes, and a shorter default\n"
    "                          would stop healthy runs halfway\n"
    "  --no-verify-replica-link  do not probe: trust the API's \"available\".\n"
    "                          A replica may then be promoted before it has\n"
    "                          synced, and the group's data is lost\n"
    "  --auth-token-file FILE  Redis AUTH token: the first line of FILE\n"
    "  --auth-token-env NAME   Redis AUTH token: environment variable NAME\n"
    "  --auth-user NAME        Redis 6+ ACL user for AUTH (implies AUTH)\n"
    "  --auth / --no-auth      send AUTH or not (default: AuthTokenEnabled)\n"
    "  --tls / --no-tls        TLS to the nodes (default: each member's\n"
    "                          TransitEncryptionEnabled/Mode)\n"
    "  --probe-timeout S       each probe's timeout (default 5)\n"
    "  --probe-ca-bundle FILE  CA certificates for the nodes' TLS\n"
    "  --probe-no-verify       do not verify the nodes' TLS certificates\n"
    "A token is never accepted on the command line, never printed.\n"
    "\n"
    "A group with cluster mode enabled is refused before anything is\n"
    "rebooted or modified: ElastiCache cannot reboot its members; AWS\n"
    "documents a backup, delete and restore with the changed parameter\n"
    "group instead.\n"
    "\n"
    "It prints one JSON object: {\"Changed\", \"DryRun\", \"Decision\", "
    "\"Message\",\n"
    "\"ReplicationGroupId\", \"RebootedMemberIds\", \"PrimaryBefore\",\n"
    "\"PrimaryAfter\", \"Steps\": [{\"Action\": \"reboot\" | "
    "\"disable-failover\" |\n"
    "\"move-primary\" | \"restore-failover\", \"State\": \"planned\" | "
    "\"done\" |\n"
    "\"sent\" | \"failed\", \"CacheClusterId\", \"Role\", \"Message\", "
    "...}],\n"
    "\"Before\", \"After\" (status, failover, members' roles), "
    "\"ReplicationGroup\"}.\n"
    "Progress: drawn on stderr when it is a terminal; otherwise one line per\n"
    "step as it begins and ends.\n"
    "\n"
    "Exit status: 0 done (or nothing to do); 252 bad arguments, or refused by\n"
    "a safety rule before anything was changed (cluster mode enabled, a\n"
    "single-node group without --allow-primary-reboot, a member whose link\n"
    "cannot be verified); 254 the service\n"
    "refused a call (an unknown group, a member not in the group); 255\n"
    "anything else (timeout, lost connection, the group busy without --wait,\n"
    "the primary changing under the run), the JSON printed when steps were\n"
    "taken.\n",
    run_reboot_group};
