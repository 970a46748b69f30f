/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `elasticache list-tags-for-resource`: the same argument and output as
 * `aws elasticache list-tags-for-resource` (one call, no paging).
 */
#include <stdio.h>

#include "cli.h"

enum { LT_RESOURCE_NAME, LT_COUNT };

static const cli_opt lt_opts[LT_COUNT] = {
    [LT_RESOURCE_NAME] = {"--resource-name", CLI_STRING, NULL},
};

static int run_list_tags(const cli_ctx *ctx)
{
    ec_list_tags_for_resource_input in = EC_LIST_TAGS_FOR_RESOURCE_INPUT_INIT;
    ec_list_tags_for_resource_output *out = NULL;
    ec_client *client;
    ec_error err;
    int rc = 0;

    client = cli_client_new(ctx, &rc);
    if (!client)
        return rc;
    in.resource_name = ctx->opts[LT_RESOURCE_NAME].str;
    ec_error_clear(&err);
    if (ec_list_tags_for_resource(client, &in, &out, &err) != 0)
        rc = cli_report_error(&err);
    else
        rc = cli_emit(
            ctx, "ListTagsForResource",
            ec_list_tags_for_resource_output_to_json(out, EC_JSON_AWS));
    ec_list_tags_for_resource_output_free(out);
    ec_client_free(client);
    return rc;
}

const cli_command cli_cmd_list_tags = {
    "list-tags-for-resource", lt_opts, LT_COUNT,
    "usage: elasticache list-tags-for-resource --resource-name ARN\n"
    "         [global options]\n"
    "\n"
    "List the tags of a cluster, a replication group or another\n"
    "ElastiCache resource, printing what `aws elasticache\n"
    "list-tags-for-resource` prints, in every --output format and through\n"
    "--query.\n"
    "\n"
    "  --resource-name ARN  the resource's ARN, as describe-cache-clusters\n"
    "                       and describe-replication-groups print it (ARN)\n",
    run_list_tags};
