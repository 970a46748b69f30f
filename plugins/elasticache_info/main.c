/* SPDX-License-Identifier: Apache-2.0 */
/*
 * elasticache_info: the Ansible binary module that reads cache clusters,
 * replication groups and recent events, and changes nothing.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include <elasticache/elasticache.h>

#include "awsmodule.h"
#include "info.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: elasticache_info ARGS_FILE   (Ansible binary module)\n"
            "       elasticache_info --help | --version\n"
            "\n"
            "Describe Amazon ElastiCache cache clusters, replication groups "
            "and\nrecent events, read-only, for playbooks that decide before "
            "they act.\n"
            "\n"
            "ARGS_FILE holds the module parameters as JSON (cluster_id,\n"
            "replication_group_id, show_cache_node_info, events, region, "
            "profile,\nendpoint_url, ...) plus Ansible's _ansible_* keys; the\n"
            "{\"ANSIBLE_MODULE_ARGS\": {...}} form is also accepted. It "
            "prints one\nJSON result, as an Ansible module does, and exits 0, "
            "or 1 when the\nresult is a failure.\n");
}

int main(int argc, char **argv)
{
    erb_client_cache clients = {0};
    json_t *args, *result;
    bool failed = true;
    char msg[512];

    /* Secrets pass through this process: no core file may keep them. A
     * failure to lower a limit is not worth stopping for. */
    (void)ec_forbid_core_dumps(NULL);
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("elasticache_info %s (libelasticache %s)\n", EC_VERSION_STRING,
               ec_version());
        return 0;
    }
    if (argc != 2) {
        usage(stderr);
        return 2;
    }
    args = erb_read_module_args(argv[1], msg, sizeof(msg));
    if (args)
        result = eri_run_request(&clients, erb_unwrap_args(args),
                                 ERB_MODE_ANSIBLE, &failed);
    else
        result = erb_failure(msg);
    erb_print_result(result);
    json_decref(result);
    json_decref(args);
    erb_client_cache_clear(&clients);
    return failed ? 1 : 0;
}
