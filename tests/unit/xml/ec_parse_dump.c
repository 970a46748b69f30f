/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test driver: parse one ElastiCache Query-API XML response with the
 * library and print it as JSON, the way the tools do.
 *
 *   ec_parse_dump DescribeCacheClusters|RebootCacheCluster|DescribeEvents|
 *                 DescribeReplicationGroups|ModifyReplicationGroup|
 *                 ListTagsForResource
 *                 FILE [--snake]
 *   ec_parse_dump Error FILE [--status N]
 *
 * Exit 0 with JSON on stdout, 1 with the parse error on stderr, 2 on usage
 * or I/O problems, 3 when the direct writer (ec_*_output_dumps_aws) does
 * not print the same bytes as ec_json_dumps_aws of the jansson rendering:
 * every test that runs this driver in the AWS style (the captured
 * responses, the random model-driven differential against botocore and
 * the AWS CLI) checks the two writers agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xmlparse.h"

static int usage(void)
{
    fprintf(stderr, "usage: ec_parse_dump "
                    "DescribeCacheClusters|RebootCacheCluster|DescribeEvents|\n"
                    "       DescribeReplicationGroups|ModifyReplicationGroup|\n"
                    "       ListTagsForResource FILE "
                    "[--snake]\n"
                    "       ec_parse_dump Error FILE [--status N]\n");
    return 2;
}

/* An error response as a JSON object with the fields the tools use. */
static json_t *error_to_json(const ec_error *err)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}", "Code", err->aws_code,
                     "Type", err->aws_type, "Message", err->message,
                     "RequestId", err->request_id, "HTTPStatus",
                     err->http_status, "Kind", ec_strerror(err->code));
}

/* The client's default max_response_bytes. */
#define LIMIT (16u * 1024u * 1024u)

int main(int argc, char **argv)
{
    ec_describe_cache_clusters_output *dcc = NULL;
    ec_reboot_cache_cluster_output *rcc = NULL;
    ec_describe_events_output *dev = NULL;
    ec_describe_replication_groups_output *drg = NULL;
    ec_modify_replication_group_output *mrg = NULL;
    ec_list_tags_for_resource_output *ltr = NULL;
    ec_json_style style = EC_JSON_AWS;
    ec_error err = {0};
    const char *op;
    json_t *json = NULL;
    char *xml = NULL, *text = NULL, *direct = NULL, *end;
    size_t len = 0;
    long status = 400;
    int i, rc = 2;

    if (argc < 3)
        return usage();
    op = argv[1];
    for (i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--snake") == 0) {
            style = EC_JSON_SNAKE;
        } else if (strcmp(argv[i], "--status") == 0 && i + 1 < argc) {
            status = strtol(argv[++i], &end, 10);
            if (*end || status < 100 || status > 599)
                return usage();
        } else {
            return usage();
        }
    }
    /* Parse with the client's default limit (16 MiB), and read a little
     * more, so the parser's limit is what refuses a larger body. */
    if (ecp_read_file(argv[2], 17u * 1024u * 1024u, &xml, &len, &err) != 0) {
        fprintf(stderr, "ec_parse_dump: %s\n", err.message);
        goto out;
    }
    rc = 1;
    if (strcmp(op, "DescribeCacheClusters") == 0) {
        if (ecp_parse_describe_cache_clusters(xml, len, LIMIT, &dcc, &err) != 0)
            goto fail;
        json = ec_describe_cache_clusters_output_to_json(dcc, style);
        direct = ec_describe_cache_clusters_output_dumps_aws(dcc);
    } else if (strcmp(op, "RebootCacheCluster") == 0) {
        if (ecp_parse_reboot_cache_cluster(xml, len, LIMIT, &rcc, &err) != 0)
            goto fail;
        json = ec_reboot_cache_cluster_output_to_json(rcc, style);
        direct = ec_reboot_cache_cluster_output_dumps_aws(rcc);
    } else if (strcmp(op, "DescribeEvents") == 0) {
        if (ecp_parse_describe_events(xml, len, LIMIT, &dev, &err) != 0)
            goto fail;
        json = ec_describe_events_output_to_json(dev, style);
        direct = ec_describe_events_output_dumps_aws(dev);
    } else if (strcmp(op, "DescribeReplicationGroups") == 0) {
        if (ecp_parse_describe_replication_groups(xml, len, LIMIT, &drg,
                                                  &err) != 0)
            goto fail;
        json = ec_describe_replication_groups_output_to_json(drg, style);
        direct = ec_describe_replication_groups_output_dumps_aws(drg);
    } else if (strcmp(op, "ModifyReplicationGroup") == 0) {
        if (ecp_parse_modify_replication_group(xml, len, LIMIT, &mrg, &err) !=
            0)
            goto fail;
        json = ec_modify_replication_group_output_to_json(mrg, style);
        direct = ec_modify_replication_group_output_dumps_aws(mrg);
    } else if (strcmp(op, "ListTagsForResource") == 0) {
        if (ecp_parse_list_tags_for_resource(xml, len, LIMIT, &ltr, &err) != 0)
            goto fail;
        json = ec_list_tags_for_resource_output_to_json(ltr, style);
        direct = ec_list_tags_for_resource_output_dumps_aws(ltr);
    } else if (strcmp(op, "Error") == 0) {
        ecp_parse_error(xml, len, LIMIT, (int)status, &err);
        json = error_to_json(&err);
    } else {
        rc = usage();
        goto out;
    }
    text = json ? ec_json_dumps_aws(json) : NULL;
    if (!text) {
        fprintf(stderr, "ec_parse_dump: rendering JSON failed\n");
        goto out;
    }
    if (style == EC_JSON_AWS && strcmp(op, "Error") != 0 &&
        (!direct || strcmp(direct, text) != 0)) {
        fprintf(stderr,
                "ec_parse_dump: the direct writer differs from "
                "ec_json_dumps_aws:\n%s",
                direct ? direct : "(NULL)\n");
        rc = 3;
        goto out;
    }
    fputs(text, stdout);
    rc = fflush(stdout) == 0 ? 0 : 2;
    goto out;
fail:
    fprintf(stderr, "ec_parse_dump: %s: %s\n", ec_strerror(err.code),
            err.message);
out:
    free(text);
    free(direct);
    json_decref(json);
    free(xml);
    ec_describe_cache_clusters_output_free(dcc);
    ec_reboot_cache_cluster_output_free(rcc);
    ec_describe_events_output_free(dev);
    ec_describe_replication_groups_output_free(drg);
    ec_modify_replication_group_output_free(mrg);
    ec_list_tags_for_resource_output_free(ltr);
    return rc;
}
