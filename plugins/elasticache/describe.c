/*
 * `elasticache describe-cache-clusters`, `describe-events` and
 * `describe-replication-groups`: the same arguments and output as
 * `aws elasticache ...`, paginated the same
 * way (every page by default; one page with --no-paginate, --marker or
 * --max-records; --max-items/--starting-token with the CLI's tokens).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum {
    DC_ID,
    DC_SHOW_NODES,
    DC_NOT_IN_RG,
    DC_MAX_RECORDS,
    DC_MARKER,
    DC_STARTING_TOKEN,
    DC_PAGE_SIZE,
    DC_MAX_ITEMS,
    DC_COUNT
};

static const cli_opt dc_opts[DC_COUNT] = {
    [DC_ID] = {"--cache-cluster-id", CLI_STRING, NULL},
    [DC_SHOW_NODES] = {"--show-cache-node-info", CLI_FLAG,
                       "--no-show-cache-node-info"},
    [DC_NOT_IN_RG] = {"--show-cache-clusters-not-in-replication-groups",
                      CLI_FLAG,
                      "--no-show-cache-clusters-not-in-replication-groups"},
    [DC_MAX_RECORDS] = {"--max-records", CLI_INT, NULL},
    [DC_MARKER] = {"--marker", CLI_STRING, NULL},
    [DC_STARTING_TOKEN] = {"--starting-token", CLI_STRING, NULL},
    [DC_PAGE_SIZE] = {"--page-size", CLI_INT, NULL},
    [DC_MAX_ITEMS] = {"--max-items", CLI_INT, NULL},
};

enum {
    DE_SOURCE_ID,
    DE_SOURCE_TYPE,
    DE_START,
    DE_END,
    DE_DURATION,
    DE_MAX_RECORDS,
    DE_MARKER,
    DE_STARTING_TOKEN,
    DE_PAGE_SIZE,
    DE_MAX_ITEMS,
    DE_COUNT
};

static const cli_opt de_opts[DE_COUNT] = {
    [DE_SOURCE_ID] = {"--source-identifier", CLI_STRING, NULL},
    [DE_SOURCE_TYPE] = {"--source-type", CLI_STRING, NULL},
    [DE_START] = {"--start-time", CLI_STRING, NULL},
    [DE_END] = {"--end-time", CLI_STRING, NULL},
    [DE_DURATION] = {"--duration", CLI_INT, NULL},
    [DE_MAX_RECORDS] = {"--max-records", CLI_INT, NULL},
    [DE_MARKER] = {"--marker", CLI_STRING, NULL},
    [DE_STARTING_TOKEN] = {"--starting-token", CLI_STRING, NULL},
    [DE_PAGE_SIZE] = {"--page-size", CLI_INT, NULL},
    [DE_MAX_ITEMS] = {"--max-items", CLI_INT, NULL},
};

enum {
    DR_ID,
    DR_MAX_RECORDS,
    DR_MARKER,
    DR_STARTING_TOKEN,
    DR_PAGE_SIZE,
    DR_MAX_ITEMS,
    DR_COUNT
};

static const cli_opt dr_opts[DR_COUNT] = {
    [DR_ID] = {"--replication-group-id", CLI_STRING, NULL},
    [DR_MAX_RECORDS] = {"--max-records", CLI_INT, NULL},
    [DR_MARKER] = {"--marker", CLI_STRING, NULL},
    [DR_STARTING_TOKEN] = {"--starting-token", CLI_STRING, NULL},
    [DR_PAGE_SIZE] = {"--page-size", CLI_INT, NULL},
    [DR_MAX_ITEMS] = {"--max-items", CLI_INT, NULL},
};

/* ---- what the commands share ------------------------------------- */

/* What differs between the describe commands: one call as AWS CLI JSON,
 * for an input with `marker` (NULL: the input's own) and `page_size`
 * (unset: the input's MaxRecords) applied. */
typedef json_t *(*describe_fn)(ec_client *client, const void *in,
                               const char *marker, ec_opt_int page_size,
                               ec_error *err);

typedef struct describe_op {
    const char *title;      /* the operation: "DescribeCacheClusters" */
    const char *result_key; /* the list paged over: "CacheClusters" */
    describe_fn fetch;
} describe_op;

typedef struct page_ctx {
    const cli_ctx *ctx;
    ec_client *client;
    const describe_op *op;
    const void *in;
} page_ctx;

static json_t *fetch_page(void *userdata, const char *marker,
                          ec_opt_int page_size, ec_error *err)
{
    const page_ctx *pc = userdata;

    return pc->op->fetch(pc->client, pc->in, marker, page_size, err);
}

static int print_page(void *userdata, json_t *page)
{
    const page_ctx *pc = userdata;

    return cli_emit_page(pc->ctx, pc->op->title, page, pc->op->result_key);
}

/* A rendered output, or NULL with err saying out of memory. */
static json_t *rendered(json_t *json, ec_error *err)
{
    if (!json) {
        err->code = EC_ERR_NOMEM;
        snprintf(err->message, sizeof(err->message), "out of memory");
    }
    return json;
}

/* As the AWS CLI: paginated, every page in turn (printed one by one for
 * --output text and yaml-stream, else merged and printed once); with paging
 * off, one call and its answer as it is, Marker included. */
static int run_describe(const cli_ctx *ctx, const describe_op *op,
                        const void *in, const cli_paging *paging)
{
    page_ctx pc;
    ec_client *client;
    ec_error err;
    json_t *json;
    int rc = 0;

    ec_error_clear(&err);
    client = cli_client_new(ctx, &rc);
    if (!client)
        return rc;
    pc.ctx = ctx;
    pc.client = client;
    pc.op = op;
    pc.in = in;
    if (!paging->paginate) {
        json = op->fetch(client, in, NULL, paging->page_size, &err);
        rc = json ? cli_emit(ctx, op->title, json) : cli_report_error(&err);
    } else {
        bool by_page = cli_emit_by_page(ctx);
        cli_pages pages = {
            .fetch = fetch_page,
            .userdata = &pc,
            .result_key = op->result_key,
            .paging = paging,
            .sink = by_page ? print_page : NULL,
            .sink_userdata = &pc,
            .merge = !by_page,
        };

        if (cli_paginate(&pages, &err) != 0)
            rc = pages.exit_code ? pages.exit_code : cli_report_error(&err);
        else if (by_page)
            rc = pages.resume_token
                     ? cli_emit_resume_token(ctx, pages.resume_token)
                     : CLI_EXIT_OK;
        else
            rc = cli_emit(ctx, op->title, json_incref(pages.result));
        cli_pages_free(&pages);
    }
    ec_client_free(client);
    return rc;
}

/* ---- describe-cache-clusters ------------------------------------- */

static json_t *clusters_json(ec_client *client, const void *input,
                             const char *marker, ec_opt_int page_size,
                             ec_error *err)
{
    ec_describe_cache_clusters_input in =
        *(const ec_describe_cache_clusters_input *)input;
    ec_describe_cache_clusters_output *out = NULL;
    json_t *json = NULL;
    int rc;

    if (marker)
        in.marker = marker;
    if (page_size.set)
        in.max_records = page_size;
    rc = ec_describe_cache_clusters(client, &in, &out, err);
    if (rc == 0)
        json = rendered(
            ec_describe_cache_clusters_output_to_json(out, EC_JSON_AWS), err);
    ec_describe_cache_clusters_output_free(out);
    return json;
}

static const describe_op clusters_op = {"DescribeCacheClusters",
                                        "CacheClusters", clusters_json};

static int run_describe_clusters(const cli_ctx *ctx)
{
    const cli_val *o = ctx->opts;
    ec_describe_cache_clusters_input in = EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
    cli_paging paging;
    int rc;

    rc = cli_paging_from_args(
        ctx,
        (o[DC_MARKER].seen && !o[DC_MARKER].from_input) ||
            (o[DC_MAX_RECORDS].seen && !o[DC_MAX_RECORDS].from_input),
        o[DC_MARKER].from_input || o[DC_MAX_RECORDS].from_input, DC_PAGE_SIZE,
        DC_MAX_ITEMS, DC_STARTING_TOKEN, &paging);
    if (rc)
        return rc;
    in.cache_cluster_id = o[DC_ID].str;
    in.marker = o[DC_MARKER].str;
    if (o[DC_MAX_RECORDS].seen) {
        in.max_records.set = true;
        in.max_records.value = o[DC_MAX_RECORDS].ival;
    }
    if (o[DC_SHOW_NODES].seen) {
        in.show_cache_node_info.set = true;
        in.show_cache_node_info.value = o[DC_SHOW_NODES].flag;
    }
    if (o[DC_NOT_IN_RG].seen) {
        in.show_cache_clusters_not_in_replication_groups.set = true;
        in.show_cache_clusters_not_in_replication_groups.value =
            o[DC_NOT_IN_RG].flag;
    }
    return run_describe(ctx, &clusters_op, &in, &paging);
}

const cli_command cli_cmd_describe_clusters = {
    "describe-cache-clusters", dc_opts, DC_COUNT,
    "usage: elasticache describe-cache-clusters [--cache-cluster-id ID]\n"
    "         [--show-cache-node-info | --no-show-cache-node-info]\n"
    "         [--show-cache-clusters-not-in-replication-groups |\n"
    "          --no-show-cache-clusters-not-in-replication-groups]\n"
    "         [--starting-token TOKEN] [--page-size N] [--max-items N]\n"
    "         [--max-records N] [--marker M] [global options]\n"
    "\n"
    "Describe cache clusters, printing what `aws elasticache\n"
    "describe-cache-clusters` prints, in every --output format and through\n"
    "--query. --cli-input-json, --cli-input-yaml and --generate-cli-skeleton\n"
    "as for every command (elasticache --help).\n"
    "\n"
    "  --cache-cluster-id ID   only this cluster (not case sensitive)\n"
    "  --show-cache-node-info  include the cache nodes (CacheNodes)\n"
    "  --show-cache-clusters-not-in-replication-groups\n"
    "                          only clusters outside replication groups\n"
    "\n"
    "Paging, as the AWS CLI: every page is fetched and the clusters are\n"
    "printed as one list (--output text and yaml-stream print each page as\n"
    "it comes, --query applied to each). --page-size N asks for N per call\n"
    "(20-100).\n"
    "--max-items N prints at most N clusters and a NextToken to pass to\n"
    "--starting-token (tokens are compatible with `aws`). --no-paginate,\n"
    "--marker or --max-records fetch one page and print its Marker.\n",
    run_describe_clusters};

/* ---- describe-events --------------------------------------------- */

static json_t *events_json(ec_client *client, const void *input,
                           const char *marker, ec_opt_int page_size,
                           ec_error *err)
{
    ec_describe_events_input in = *(const ec_describe_events_input *)input;
    ec_describe_events_output *out = NULL;
    json_t *json = NULL;
    int rc;

    if (marker)
        in.marker = marker;
    if (page_size.set)
        in.max_records = page_size;
    rc = ec_describe_events(client, &in, &out, err);
    if (rc == 0)
        json =
            rendered(ec_describe_events_output_to_json(out, EC_JSON_AWS), err);
    ec_describe_events_output_free(out);
    return json;
}

static const describe_op events_op = {"DescribeEvents", "Events", events_json};

static int parse_time_arg(const char *name, const char *text, ec_time *t)
{
    ec_error err;

    ec_error_clear(&err);
    if (ec_time_parse(text, t, &err) != 0)
        return cli_usage_error("argument %s: %s", name, err.message);
    return 0;
}

static int run_describe_events(const cli_ctx *ctx)
{
    const cli_val *o = ctx->opts;
    ec_describe_events_input in = EC_DESCRIBE_EVENTS_INPUT_INIT;
    cli_paging paging;
    int rc;

    rc = cli_paging_from_args(
        ctx,
        (o[DE_MARKER].seen && !o[DE_MARKER].from_input) ||
            (o[DE_MAX_RECORDS].seen && !o[DE_MAX_RECORDS].from_input),
        o[DE_MARKER].from_input || o[DE_MAX_RECORDS].from_input, DE_PAGE_SIZE,
        DE_MAX_ITEMS, DE_STARTING_TOKEN, &paging);
    if (rc)
        return rc;
    in.source_identifier = o[DE_SOURCE_ID].str;
    in.source_type = o[DE_SOURCE_TYPE].str;
    in.marker = o[DE_MARKER].str;
    if (o[DE_START].seen) {
        rc = parse_time_arg("--start-time", o[DE_START].str, &in.start_time);
        if (rc)
            return rc;
    }
    if (o[DE_END].seen) {
        rc = parse_time_arg("--end-time", o[DE_END].str, &in.end_time);
        if (rc)
            return rc;
    }
    if (o[DE_DURATION].seen) {
        in.duration.set = true;
        in.duration.value = o[DE_DURATION].ival;
    }
    if (o[DE_MAX_RECORDS].seen) {
        in.max_records.set = true;
        in.max_records.value = o[DE_MAX_RECORDS].ival;
    }
    return run_describe(ctx, &events_op, &in, &paging);
}

const cli_command cli_cmd_describe_events = {
    "describe-events", de_opts, DE_COUNT,
    "usage: elasticache describe-events [--source-identifier ID]\n"
    "         [--source-type TYPE] [--start-time TIME] [--end-time TIME]\n"
    "         [--duration MINUTES] [--starting-token TOKEN] [--page-size N]\n"
    "         [--max-items N] [--max-records N] [--marker M]\n"
    "         [global options]\n"
    "\n"
    "Describe events, printing what `aws elasticache describe-events`\n"
    "prints, in every --output format and through --query.\n"
    "\n"
    "  --source-identifier ID  events of this source only\n"
    "  --source-type TYPE      cache-cluster, cache-parameter-group,\n"
    "                          cache-security-group, cache-subnet-group,\n"
    "                          replication-group, user, user-group\n"
    "  --start-time TIME       ISO 8601 (2023-01-10T09:15:42Z) or epoch "
    "seconds\n"
    "  --end-time TIME         same\n"
    "  --duration MINUTES      the last MINUTES minutes (service default "
    "60)\n"
    "\n"
    "Paging as for describe-cache-clusters: every page by default;\n"
    "--page-size, --max-items/--starting-token, or one page with\n"
    "--no-paginate, --marker or --max-records.\n",
    run_describe_events};

/* ---- describe-replication-groups --------------------------------- */

static json_t *groups_json(ec_client *client, const void *input,
                           const char *marker, ec_opt_int page_size,
                           ec_error *err)
{
    ec_describe_replication_groups_input in =
        *(const ec_describe_replication_groups_input *)input;
    ec_describe_replication_groups_output *out = NULL;
    json_t *json = NULL;
    int rc;

    if (marker)
        in.marker = marker;
    if (page_size.set)
        in.max_records = page_size;
    rc = ec_describe_replication_groups(client, &in, &out, err);
    if (rc == 0)
        json = rendered(
            ec_describe_replication_groups_output_to_json(out, EC_JSON_AWS),
            err);
    ec_describe_replication_groups_output_free(out);
    return json;
}

static const describe_op groups_op = {"DescribeReplicationGroups",
                                      "ReplicationGroups", groups_json};

static int run_describe_groups(const cli_ctx *ctx)
{
    const cli_val *o = ctx->opts;
    ec_describe_replication_groups_input in =
        EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT;
    cli_paging paging;
    int rc;

    rc = cli_paging_from_args(
        ctx,
        (o[DR_MARKER].seen && !o[DR_MARKER].from_input) ||
            (o[DR_MAX_RECORDS].seen && !o[DR_MAX_RECORDS].from_input),
        o[DR_MARKER].from_input || o[DR_MAX_RECORDS].from_input, DR_PAGE_SIZE,
        DR_MAX_ITEMS, DR_STARTING_TOKEN, &paging);
    if (rc)
        return rc;
    in.replication_group_id = o[DR_ID].str;
    in.marker = o[DR_MARKER].str;
    if (o[DR_MAX_RECORDS].seen) {
        in.max_records.set = true;
        in.max_records.value = o[DR_MAX_RECORDS].ival;
    }
    return run_describe(ctx, &groups_op, &in, &paging);
}

const cli_command cli_cmd_describe_replication_groups = {
    "describe-replication-groups", dr_opts, DR_COUNT,
    "usage: elasticache describe-replication-groups\n"
    "         [--replication-group-id ID] [--starting-token TOKEN]\n"
    "         [--page-size N] [--max-items N] [--max-records N] [--marker M]\n"
    "         [global options]\n"
    "\n"
    "Describe Redis replication groups, printing what `aws elasticache\n"
    "describe-replication-groups` prints, in every --output format and\n"
    "through --query: members and their roles\n"
    "(NodeGroups[].NodeGroupMembers[].CurrentRole), primary and reader\n"
    "endpoints, automatic failover, Multi-AZ, cluster mode.\n"
    "\n"
    "  --replication-group-id ID  only this group (not case sensitive)\n"
    "\n"
    "Paging as for describe-cache-clusters: every page by default;\n"
    "--page-size, --max-items/--starting-token (tokens compatible with\n"
    "`aws`), or one page with --no-paginate, --marker or --max-records.\n",
    run_describe_groups};
