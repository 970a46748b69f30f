/*
 * What every command of the `elasticache` CLI shares: the client made from
 * the global options, error reporting with AWS CLI exit codes, JSON output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The AWS CLI treats a timeout of 0 as "blocking, no timeout"; the library
 * treats 0 as "default", so 0 becomes a timeout nobody will reach. */
#define CLI_NO_TIMEOUT (86400.0 * 365)

static void debug_line(void *userdata, const char *line)
{
    (void)userdata;
    fprintf(stderr, "debug: %s\n", line);
}

int cli_exit_code(ec_errcode code)
{
    switch (code) {
    case EC_OK:
        return CLI_EXIT_OK;
    case EC_ERR_INVALID_ARGUMENT:
        return CLI_EXIT_USAGE;
    case EC_ERR_CONFIG:
    case EC_ERR_CREDENTIALS:
        return CLI_EXIT_CONFIG;
    case EC_ERR_SERVICE:
        return CLI_EXIT_SERVICE;
    default:
        return CLI_EXIT_OTHER;
    }
}

/* The argument behind an id the library refused: its validation messages
 * start with these words (elasticache.h, ec_validate_*). */
static const char *refused_argument(const char *message)
{
    static const struct {
        const char *start, *argument;
    } ids[] = {
        {"Invalid cache cluster id", "--cache-cluster-id"},
        {"Invalid cache node id", "--cache-node-ids-to-reboot"},
        {"Invalid replication group id", "--replication-group-id"},
    };

    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        if (strncmp(message, ids[i].start, strlen(ids[i].start)) == 0)
            return ids[i].argument;
    return NULL;
}

int cli_report_error(const ec_error *err)
{
    char text[EC_ERROR_TEXT_LENGTH + 512];
    const char *argument;

    ec_error_format(err, text, sizeof(text));
    /* Refused before any request: a usage error (252), as the AWS CLI's
     * parameter validation. */
    if (err->code == EC_ERR_INVALID_ARGUMENT) {
        argument = refused_argument(err->message);
        if (argument)
            return cli_usage_error("argument %s: %s", argument, text);
        return cli_usage_error("%s", text);
    }
    /* The AWS CLI starts every error with an empty line. */
    fprintf(stderr, "\n%s\n", text);
    return cli_exit_code(err->code);
}

int cli_report_refusal(const ec_error *err)
{
    char text[EC_ERROR_TEXT_LENGTH + 512];

    ec_error_format(err, text, sizeof(text));
    fprintf(stderr, "\n%s\n", text);
    return CLI_EXIT_USAGE;
}

ec_client *cli_client_new(const cli_ctx *ctx, int *exit_code)
{
    const cli_val *g = ctx->global;
    ec_config cfg = EC_CONFIG_INIT;
    ec_error err;
    ec_client *client;

    ec_error_clear(&err);
    cfg.region = g[G_REGION].str;
    cfg.profile = g[G_PROFILE].str;
    cfg.endpoint_url = g[G_ENDPOINT_URL].str;
    cfg.ca_bundle = g[G_CA_BUNDLE].str;
    cfg.no_verify_ssl = g[G_NO_VERIFY_SSL].seen;
    if (g[G_CONNECT_TIMEOUT].seen)
        cfg.connect_timeout = g[G_CONNECT_TIMEOUT].dval > 0
                                  ? g[G_CONNECT_TIMEOUT].dval
                                  : CLI_NO_TIMEOUT;
    if (g[G_READ_TIMEOUT].seen)
        cfg.read_timeout = g[G_READ_TIMEOUT].dval > 0 ? g[G_READ_TIMEOUT].dval
                                                      : CLI_NO_TIMEOUT;
    if (g[G_DEBUG].seen)
        cfg.debug = debug_line;
    if (ctx->skeleton_output) {
        /* The AWS CLI answers a skeleton request from a stub, so it never
         * looks for credentials; these are never used to sign anything. */
        cfg.access_key_id = "SKELETON";
        cfg.secret_access_key = "SKELETON";
    }

    *exit_code = 0;
    client = ec_client_new(&cfg, &err);
    if (!client) {
        *exit_code = cli_report_error(&err);
        return NULL;
    }
    /* What the AWS CLI does between making its client and sending: the
     * parameters' validation, then (we do it before sending rather than
     * after) the output format. A waiter formats nothing. */
    *exit_code = cli_input_check(ctx);
    if (!*exit_code && (!ctx->silent || ctx->skeleton_output))
        *exit_code = cli_output_resolve(ctx->output, g, client);
    if (!*exit_code && ctx->skeleton_output) {
        *exit_code = cli_skeleton_output(ctx);
        ec_client_free(client);
        return NULL;
    }
    if (*exit_code) {
        ec_client_free(client);
        return NULL;
    }
    return client;
}

int cli_paging_from_args(const cli_ctx *ctx, bool manual, bool manual_input,
                         int page_size_idx, int max_items_idx,
                         int starting_token_idx, cli_paging *out)
{
    const cli_val *o = ctx->opts;
    char used[128] = "";
    size_t len = 0;

    memset(out, 0, sizeof(*out));
    out->paginate =
        !ctx->global[G_NO_PAGINATE].seen && !manual && !manual_input;
    if (o[starting_token_idx].seen)
        out->starting_token = o[starting_token_idx].str;
    if (o[page_size_idx].seen) {
        if (o[page_size_idx].ival < 1)
            return cli_usage_error("argument --page-size: must be a positive "
                                   "integer");
        out->page_size.set = true;
        out->page_size.value = o[page_size_idx].ival;
    }
    if (o[max_items_idx].seen) {
        if (o[max_items_idx].ival < 1)
            return cli_usage_error("argument --max-items: must be a positive "
                                   "integer");
        out->max_items.set = true;
        out->max_items.value = o[max_items_idx].ival;
    }
    /* The operation's own paging parameters from --cli-input-json turn
     * paging off without this check (the AWS CLI then refuses the paging
     * options as an unknown PaginationConfig parameter: input.c). */
    if (out->paginate || (!ctx->global[G_NO_PAGINATE].seen && !manual))
        return 0;
    /* As awscli's ensure_paging_params_not_set, in the same order. */
    if (out->starting_token)
        len += (size_t)snprintf(used + len, sizeof(used) - len, "%s",
                                "--starting-token");
    if (out->page_size.set)
        len += (size_t)snprintf(used + len, sizeof(used) - len, "%s%s",
                                len ? ", " : "", "--page-size");
    if (out->max_items.set)
        snprintf(used + len, sizeof(used) - len, "%s%s", len ? ", " : "",
                 "--max-items");
    if (used[0]) {
        fprintf(stderr,
                "\nCannot specify --no-paginate along with "
                "pagination arguments: %s\n",
                used);
        return CLI_EXIT_USAGE;
    }
    return 0;
}
