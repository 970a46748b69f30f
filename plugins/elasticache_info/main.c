/* SPDX-License-Identifier: Apache-2.0 */
/*
 * elasticache_info: reads cache clusters, replication groups (with their
 * tags, on request) and recent events, and changes nothing. With an args
 * file it is an Ansible binary module; with no arguments it reads one JSON
 * request per line on stdin and writes one JSON result per line, as
 * elasticache_reboot does (the same front ends, plugins/ansible_common).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include <elasticache/elasticache.h>

#include "awsmodule.h"
#include "frontend.h"
#include "info.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: elasticache_info ARGS_FILE   (Ansible binary module)\n"
            "       elasticache_info < requests.ndjson\n"
            "       elasticache_info --help | --version\n"
            "\n"
            "Describe Amazon ElastiCache cache clusters, replication groups "
            "and\nrecent events, read-only, for playbooks and CI steps that "
            "decide before\nthey act.\n"
            "\n"
            "ARGS_FILE holds the module parameters as JSON (cluster_id,\n"
            "replication_group_id, show_cache_node_info, events, tags,\n"
            "tag_filter, region, profile, endpoint_url, ...) plus Ansible's\n"
            "_ansible_* keys; the {\"ANSIBLE_MODULE_ARGS\": {...}} form is "
            "also\naccepted. It prints one JSON result, as an Ansible module "
            "does, and\nexits 0, or 1 when the result is a failure.\n"
            "\n"
            "Without arguments it reads one JSON request per line on stdin "
            "(the\nmodule's parameters plus \"check_mode\") and writes one "
            "JSON result per\nline on stdout, in order. Exit status: 0 all "
            "requests succeeded, 1 one\nor more failed, 2 a line was not a "
            "JSON object.\n"
            "\n"
            "tags: true adds each cluster's and group's tags (one\n"
            "ListTagsForResource call per resource); tag_filter {KEY: VALUE} "
            "keeps\nonly the resources with all those tags (filtered here, "
            "not by the\nservice).\n");
}

/* The front ends' request function over the client cache. */
static json_t *run_request(void *ctx, const json_t *request, erb_mode mode,
                           bool *failed)
{
    return eri_run_request(ctx, request, mode, failed);
}

/* NDJSON: one line per resource, so that a CI step can stream them
 * through jq or grep. Each is the resource's snake_case object with
 * "resource_type" (cache_cluster, replication_group, event) and "request"
 * (the request's line number) first. A failed request is one line, its
 * failure result with "request" added. Warnings go to stderr. */
static void emit_resources(void *ctx, const json_t *result, bool failed,
                           unsigned long lineno)
{
    static const struct {
        const char *key, *type;
    } kinds[] = {{"elasticache_clusters", "cache_cluster"},
                 {"replication_groups", "replication_group"},
                 {"events", "event"}};
    const json_t *w;
    json_t *line;
    size_t i, j;

    (void)ctx;
    if (failed) {
        line = result ? json_deep_copy(result) : NULL;
        if (line && json_object_set_new(line, "request",
                                        json_integer((json_int_t)lineno)) < 0) {
            json_decref(line);
            line = NULL;
        }
        erb_print_result(line);
        json_decref(line);
        return;
    }
    json_array_foreach(json_object_get(result, "warnings"), i, w)
    {
        fprintf(stderr, "elasticache_info: request %lu: warning: %s\n", lineno,
                json_string_value(w));
    }
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        const json_t *item;

        json_array_foreach(json_object_get(result, kinds[i].key), j, item)
        {
            line = json_pack("{s:s,s:I}", "resource_type", kinds[i].type,
                             "request", (json_int_t)lineno);
            if (line && json_object_update(line, (json_t *)item) < 0) {
                json_decref(line);
                line = NULL;
            }
            erb_print_result(line);
            json_decref(line);
        }
    }
}

int main(int argc, char **argv)
{
    erb_client_cache clients = {0};
    int rc;

    /* Secrets pass through this process: no core file may keep them. A
     * failure to lower a limit is not worth stopping for. */
    (void)ec_forbid_core_dumps(NULL);
    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("elasticache_info %s (libelasticache %s)\n", EC_VERSION_STRING,
               ec_version());
        return 0;
    }
    if (argc == 2) {
        rc = erb_run_module(argv[1], run_request, &clients);
    } else if (argc == 1) {
        rc = erb_run_ndjson(stdin, "elasticache_info", run_request,
                            emit_resources, &clients);
    } else {
        usage(stderr);
        return ERB_EXIT_BAD_INPUT;
    }
    erb_client_cache_clear(&clients);
    return rc;
}
