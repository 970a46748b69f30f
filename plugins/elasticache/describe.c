/* SPDX-License-Identifier: Apache-2.0 */
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

/* What differs between the describe commands: one call, for an input with
 * `marker` (NULL: the input's own) and `page_size` (unset: the input's
 * MaxRecords) applied, into the library's output struct; that struct as
 * AWS CLI JSON (a jansson tree, for --query and every format), as the AWS
 * CLI's `--output json` text straight from the struct (the direct writer),
 * its Marker, and its free function. */
typedef struct describe_op {
    const char *title;      /* the operation: "DescribeCacheClusters" */
    const char *result_key; /* the list paged over: "CacheClusters" */
    int (*call)(ec_client *client, const void *in, const char *marker,
                ec_opt_int page_size, void **out, ec_error *err);
    json_t *(*to_json)(const void *out);
    char *(*dumps)(const void *out);
    const char *(*marker)(const void *out);
    void (*free)(void *out);
} describe_op;

typedef struct page_ctx {
    const cli_ctx *ctx;
    ec_client *client;
    const describe_op *op;
    const void *in;
    /* The first page, already fetched for the direct writer but not
     * printable by it: what the paginator's first fetch returns. */
    json_t *prefetched;
} page_ctx;

/* A rendered output, or NULL with err saying out of memory. */
static json_t *rendered(json_t *json, ec_error *err)
{
    if (!json) {
        err->code = EC_ERR_NOMEM;
        snprintf(err->message, sizeof(err->message), "out of memory");
    }
    return json;
}

/* One page as AWS CLI JSON (new reference), or NULL with err set. */
static json_t *fetch_json(const describe_op *op, ec_client *client,
                          const void *in, const char *marker,
                          ec_opt_int page_size, ec_error *err)
{
    void *out = NULL;
    json_t *json = NULL;

    if (op->call(client, in, marker, page_size, &out, err) == 0)
        json = rendered(op->to_json(out), err);
    op->free(out);
    return json;
}

static json_t *fetch_page(void *userdata, const char *marker,
                          ec_opt_int page_size, ec_error *err)
{
    page_ctx *pc = userdata;

    if (pc->prefetched && !marker) {
        json_t *page = pc->prefetched;

        pc->prefetched = NULL;
        return page;
    }
    return fetch_json(pc->op, pc->client, pc->in, marker, page_size, err);
}

static int print_page(void *userdata, json_t *page)
{
    const page_ctx *pc = userdata;

    return cli_emit_page(pc->ctx, pc->op->title, page, pc->op->result_key);
}

/* Whether what is printed is the response's AWS CLI JSON as it is: then
 * the direct writer makes the text from the struct, byte for byte what
 * rendering the jansson tree gives (held to it by tests/unit/json), at a
 * fraction of the cost on a large page. --query and the other formats
 * start from the tree. */
static bool direct_json(const cli_ctx *ctx)
{
    const cli_output *o = ctx->output;

    return o->format == CLI_FORMAT_JSON && !o->query && !o->skeleton_dates;
}

/* Print the direct writer's text of `out` as eco_json prints the tree: an
 * empty object prints nothing. */
static int print_direct(const describe_op *op, const void *out)
{
    char *text = op->dumps(out);

    if (!text) {
        /* The tree fails for the same reasons (a string that is not
         * UTF-8, a timestamp beyond 9999): let it say so as it always
         * has. */
        return -1;
    }
    if (strncmp(text, "{}", 2) != 0)
        fputs(text, stdout);
    free(text);
    return CLI_EXIT_OK;
}

/* The direct writer's share of run_describe: the response printed as it
 * is (paging off), or the first page when it is the whole result (paging
 * on with no --max-items or --starting-token, and no Marker: the merged
 * result is then {result_key: [...]}, which is the page). Returns an exit
 * code when done, -1 when the generic path must print; a page it fetched
 * but could not print is left in pc->prefetched so it is not asked for
 * twice. */
static int try_direct(page_ctx *pc, const cli_paging *paging)
{
    const describe_op *op = pc->op;
    void *out = NULL;
    ec_error err;
    int rc = -1;

    if (!direct_json(pc->ctx) ||
        (paging->paginate && (paging->max_items.set || paging->starting_token)))
        return -1;
    ec_error_clear(&err);
    if (op->call(pc->client, pc->in, NULL, paging->page_size, &out, &err) !=
        0) {
        rc = cli_report_error(&err);
        goto done;
    }
    if (!paging->paginate || !op->marker(out))
        rc = print_direct(op, out);
    if (rc == -1) {
        json_t *json = rendered(op->to_json(out), &err);

        if (!json)
            rc = cli_report_error(&err);
        else if (paging->paginate)
            pc->prefetched = json; /* rc stays -1: the paginator goes on */
        else
            rc = cli_emit(pc->ctx, op->title, json);
    }
done:
    op->free(out);
    return rc;
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
    pc.prefetched = NULL;
    rc = try_direct(&pc, paging);
    if (rc != -1) {
        /* printed, or failed and said so */
    } else if (!paging->paginate) {
        json = fetch_json(op, client, in, NULL, paging->page_size, &err);
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
    json_decref(pc.prefetched);
    ec_client_free(client);
    return rc;
}

/* ---- describe-cache-clusters ------------------------------------- */

static int clusters_call(ec_client *client, const void *input,
                         const char *marker, ec_opt_int page_size, void **out,
                         ec_error *err)
{
    ec_describe_cache_clusters_input in =
        *(const ec_describe_cache_clusters_input *)input;
    ec_describe_cache_clusters_output *o = NULL;
    int rc;

    if (marker)
        in.marker = marker;
    if (page_size.set)
        in.max_records = page_size;
    rc = ec_describe_cache_clusters(client, &in, &o, err);
    *out = o;
    return rc;
}
static json_t *clusters_to_json(const void *out)
{
    return ec_describe_cache_clusters_output_to_json(out, EC_JSON_AWS);
}
static char *clusters_dumps(const void *out)
{
    return ec_describe_cache_clusters_output_dumps_aws(out);
}
static const char *clusters_marker(const void *out)
{
    return ((const ec_describe_cache_clusters_output *)out)->marker;
}
static void clusters_free(void *out)
{
    ec_describe_cache_clusters_output_free(out);
}

static const describe_op clusters_op = {
    "DescribeCacheClusters", "CacheClusters", clusters_call, clusters_to_json,
    clusters_dumps,          clusters_marker, clusters_free};

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

static int events_call(ec_client *client, const void *input, const char *marker,
                       ec_opt_int page_size, void **out, ec_error *err)
{
    ec_describe_events_input in = *(const ec_describe_events_input *)input;
    ec_describe_events_output *o = NULL;
    int rc;

    if (marker)
        in.marker = marker;
    if (page_size.set)
        in.max_records = page_size;
    rc = ec_describe_events(client, &in, &o, err);
    *out = o;
    return rc;
}
static json_t *events_to_json(const void *out)
{
    return ec_describe_events_output_to_json(out, EC_JSON_AWS);
}
static char *events_dumps(const void *out)
{
    return ec_describe_events_output_dumps_aws(out);
}
static const char *events_marker(const void *out)
{
    return ((const ec_describe_events_output *)out)->marker;
}
static void events_free(void *out)
{
    ec_describe_events_output_free(out);
}

static const describe_op events_op = {
    "DescribeEvents", "Events",      events_call, events_to_json,
    events_dumps,     events_marker, events_free};

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

static int groups_call(ec_client *client, const void *input, const char *marker,
                       ec_opt_int page_size, void **out, ec_error *err)
{
    ec_describe_replication_groups_input in =
        *(const ec_describe_replication_groups_input *)input;
    ec_describe_replication_groups_output *o = NULL;
    int rc;

    if (marker)
        in.marker = marker;
    if (page_size.set)
        in.max_records = page_size;
    rc = ec_describe_replication_groups(client, &in, &o, err);
    *out = o;
    return rc;
}
static json_t *groups_to_json(const void *out)
{
    return ec_describe_replication_groups_output_to_json(out, EC_JSON_AWS);
}
static char *groups_dumps(const void *out)
{
    return ec_describe_replication_groups_output_dumps_aws(out);
}
static const char *groups_marker(const void *out)
{
    return ((const ec_describe_replication_groups_output *)out)->marker;
}
static void groups_free(void *out)
{
    ec_describe_replication_groups_output_free(out);
}

static const describe_op groups_op = {"DescribeReplicationGroups",
                                      "ReplicationGroups",
                                      groups_call,
                                      groups_to_json,
                                      groups_dumps,
                                      groups_marker,
                                      groups_free};

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
