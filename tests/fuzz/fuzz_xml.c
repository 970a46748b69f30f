/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: any bytes through every XML entry point and, when they
 * parse, through both JSON renderers, the direct AWS writer and a deep
 * copy. Crashes, leaks and undefined behaviour are the findings, and so are
 * (oracle aborts) the direct writer printing anything but what
 * ec_json_dumps_aws prints for the AWS rendering, and the streaming parser
 * disagreeing with the tree-walking one it replaced (xml_compare.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xml_compare.h"
#include "xmlparse.h"

static void render(json_t *j)
{
    free(ec_json_dumps_aws(j));
    json_decref(j);
}

/* The AWS rendering through the tree and through the direct writer: the
 * same text, or NULL from both. Takes both. */
static void same(json_t *tree, char *direct)
{
    char *want = tree ? ec_json_dumps_aws(tree) : NULL;

    if ((want == NULL) != (direct == NULL) ||
        (want && strcmp(want, direct) != 0)) {
        fprintf(stderr, "oracle: the direct writer differs\n");
        abort();
    }
    free(want);
    free(direct);
    json_decref(tree);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *xml = (const char *)data;
    ec_describe_cache_clusters_output *dcc = NULL;
    ec_reboot_cache_cluster_output *rcc = NULL;
    ec_describe_events_output *dev = NULL;
    ec_describe_replication_groups_output *drg = NULL;
    ec_modify_replication_group_output *mrg = NULL;
    ec_error err = {0};
    size_t i;

    if (ecp_parse_describe_cache_clusters(xml, size, 0, &dcc, &err) == 0) {
        same(ec_describe_cache_clusters_output_to_json(dcc, EC_JSON_AWS),
             ec_describe_cache_clusters_output_dumps_aws(dcc));
        render(ec_describe_cache_clusters_output_to_json(dcc, EC_JSON_SNAKE));
        for (i = 0; i < dcc->cache_clusters.count; i++) {
            ec_cache_cluster *copy =
                ec_cache_cluster_dup(dcc->cache_clusters.items[i]);

            if (copy)
                render(ec_cache_cluster_to_json(copy, EC_JSON_AWS));
            ec_cache_cluster_free(copy);
        }
    }
    ec_describe_cache_clusters_output_free(dcc);
    ec_error_clear(&err);
    if (ecp_parse_reboot_cache_cluster(xml, size, 0, &rcc, &err) == 0) {
        render(ec_reboot_cache_cluster_output_to_json(rcc, EC_JSON_SNAKE));
        same(ec_reboot_cache_cluster_output_to_json(rcc, EC_JSON_AWS),
             ec_reboot_cache_cluster_output_dumps_aws(rcc));
    }
    ec_reboot_cache_cluster_output_free(rcc);
    ec_error_clear(&err);
    if (ecp_parse_describe_events(xml, size, 0, &dev, &err) == 0)
        same(ec_describe_events_output_to_json(dev, EC_JSON_AWS),
             ec_describe_events_output_dumps_aws(dev));
    ec_describe_events_output_free(dev);
    ec_error_clear(&err);
    if (ecp_parse_describe_replication_groups(xml, size, 0, &drg, &err) == 0) {
        same(ec_describe_replication_groups_output_to_json(drg, EC_JSON_AWS),
             ec_describe_replication_groups_output_dumps_aws(drg));
        render(
            ec_describe_replication_groups_output_to_json(drg, EC_JSON_SNAKE));
        for (i = 0; i < drg->replication_groups.count; i++) {
            const ec_replication_group *g = drg->replication_groups.items[i];
            ec_replication_group *copy = ec_replication_group_dup(g);
            const ec_node_group *ng = NULL;
            const ec_node_group_member *m;

            if (copy)
                render(ec_replication_group_to_json(copy, EC_JSON_AWS));
            ec_replication_group_free(copy);
            /* Every listed member is found, in its own node group. */
            for (size_t j = 0; j < g->member_clusters.count; j++) {
                m = ec_replication_group_find_member(
                    g, g->member_clusters.items[j], &ng);
                if (m && (!ng || !m->cache_cluster_id))
                    abort();
            }
        }
    }
    ec_describe_replication_groups_output_free(drg);
    ec_error_clear(&err);
    if (ecp_parse_modify_replication_group(xml, size, 0, &mrg, &err) == 0) {
        render(ec_modify_replication_group_output_to_json(mrg, EC_JSON_SNAKE));
        same(ec_modify_replication_group_output_to_json(mrg, EC_JSON_AWS),
             ec_modify_replication_group_output_dumps_aws(mrg));
    }
    ec_modify_replication_group_output_free(mrg);
    ec_error_clear(&err);
    ecp_parse_error(xml, size, 0, 400, &err);
    {
        char why[8192];
        int parsed;

        if (xml_compare(xml, size, 0, why, sizeof(why), &parsed) != 0) {
            fprintf(stderr, "oracle: %s", why);
            abort();
        }
    }
    return 0;
}
