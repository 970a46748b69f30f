/*
 * `elasticache describe-replication-groups`: the same arguments and JSON as
 * `aws elasticache describe-replication-groups`, paginated the same way
 * (every page by default; one page with --no-paginate, --marker or
 * --max-records; --max-items/--starting-token with the CLI's tokens).
 */
#include <stdio.h>

#include "cli.h"

enum {
    RG_ID,
    RG_MAX_RECORDS,
    RG_MARKER,
    RG_STARTING_TOKEN,
    RG_PAGE_SIZE,
    RG_MAX_ITEMS,
    RG_COUNT
};

static const cli_opt rg_opts[RG_COUNT] = {
    [RG_ID] = {"--replication-group-id", CLI_STRING, NULL},
    [RG_MAX_RECORDS] = {"--max-records", CLI_INT, NULL},
    [RG_MARKER] = {"--marker", CLI_STRING, NULL},
    [RG_STARTING_TOKEN] = {"--starting-token", CLI_STRING, NULL},
    [RG_PAGE_SIZE] = {"--page-size", CLI_INT, NULL},
    [RG_MAX_ITEMS] = {"--max-items", CLI_INT, NULL},
};

typedef struct rg_ctx {
    ec_client *client;
    const ec_describe_replication_groups_input *in;
} rg_ctx;

/* One call (every page with `all`) as AWS CLI JSON, for the input with
 * `marker` (NULL: the input's own) and `page_size` (unset: the input's
 * MaxRecords) applied. NULL with err set on failure. */
static json_t *groups_json(const rg_ctx *rc, const char *marker,
                           ec_opt_int page_size, bool all, ec_error *err)
{
    ec_describe_replication_groups_input in = *rc->in;
    ec_describe_replication_groups_output *out = NULL;
    json_t *json = NULL;
    int status;

    if (marker)
        in.marker = marker;
    if (page_size.set)
        in.max_records = page_size;
    status =
        all ? ec_describe_replication_groups_all(rc->client, &in, &out, err)
            : ec_describe_replication_groups(rc->client, &in, &out, err);
    if (status == 0) {
        json = ec_describe_replication_groups_output_to_json(out, EC_JSON_AWS);
        if (!json) {
            err->code = EC_ERR_NOMEM;
            snprintf(err->message, sizeof(err->message), "out of memory");
        }
    }
    ec_describe_replication_groups_output_free(out);
    return json;
}

/* One page for the --max-items/--starting-token paginator. */
static json_t *fetch_page(void *userdata, const char *marker,
                          ec_opt_int page_size, ec_error *err)
{
    return groups_json(userdata, marker, page_size, false, err);
}

static int run_describe_groups(const cli_ctx *ctx)
{
    const cli_val *o = ctx->opts;
    ec_describe_replication_groups_input in =
        EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT;
    cli_paging paging;
    rg_ctx rc;
    ec_error err;
    json_t *json;
    int status;

    status = cli_paging_from_args(
        ctx, o[RG_MARKER].seen || o[RG_MAX_RECORDS].seen, RG_PAGE_SIZE,
        RG_MAX_ITEMS, RG_STARTING_TOKEN, &paging);
    if (status)
        return status;
    in.replication_group_id = o[RG_ID].str;
    in.marker = o[RG_MARKER].str;
    if (o[RG_MAX_RECORDS].seen) {
        in.max_records.set = true;
        in.max_records.value = o[RG_MAX_RECORDS].ival;
    }
    /* As describe.c's run_describe: kept apart so that this command is one
     * file (the describes share cli_paginate and cli_print_json). */
    ec_error_clear(&err);
    rc.client = cli_client_new(ctx, &status);
    if (!rc.client)
        return status;
    rc.in = &in;
    if (paging.paginate && (paging.max_items.set || paging.starting_token))
        json = cli_paginate(fetch_page, &rc, "ReplicationGroups", &paging, &err,
                            &status);
    else
        json = groups_json(&rc, NULL, paging.page_size, paging.paginate, &err);
    if (json)
        status = cli_print_json(json);
    else if (!status)
        status = cli_report_error(&err);
    ec_client_free(rc.client);
    return status;
}

const cli_command cli_cmd_describe_replication_groups = {
    "describe-replication-groups", rg_opts, RG_COUNT,
    "usage: elasticache describe-replication-groups\n"
    "         [--replication-group-id ID] [--starting-token TOKEN]\n"
    "         [--page-size N] [--max-items N] [--max-records N] [--marker M]\n"
    "         [global options]\n"
    "\n"
    "Describe Redis replication groups, printing the JSON `aws elasticache\n"
    "describe-replication-groups --output json` prints: members and their\n"
    "roles (NodeGroups[].NodeGroupMembers[].CurrentRole), primary and reader\n"
    "endpoints, automatic failover, Multi-AZ, cluster mode.\n"
    "\n"
    "  --replication-group-id ID  only this group (not case sensitive)\n"
    "\n"
    "Paging as for describe-cache-clusters: every page by default;\n"
    "--page-size, --max-items/--starting-token (tokens compatible with\n"
    "`aws`), or one page with --no-paginate, --marker or --max-records.\n",
    run_describe_groups};
