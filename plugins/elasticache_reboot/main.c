/* SPDX-License-Identifier: Apache-2.0 */
/*
 * elasticache_reboot: the JSON protocol over ec_reboot(). With an args
 * file it is an Ansible binary module; with no arguments it reads one JSON
 * request per line on stdin and writes one JSON result per line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <elasticache/elasticache.h>

#include "frontend.h"
#include "module.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: elasticache_reboot ARGS_FILE   (Ansible binary module)\n"
            "       elasticache_reboot < requests.ndjson\n"
            "\n"
            "Reboot the nodes of an Amazon ElastiCache cache cluster (in "
            "batches with\nbatch_size), or the members of a Redis "
            "replication group one at a time\nwith the primary moved first "
            "(replication_group_id), safely and\nidempotently.\n"
            "\n"
            "With ARGS_FILE (JSON: the module parameters plus Ansible's\n"
            "_ansible_* keys; the {\"ANSIBLE_MODULE_ARGS\": {...}} form is "
            "also\naccepted) it prints one JSON result, as an Ansible module "
            "does.\n"
            "\n"
            "Without arguments it reads one JSON request per line on stdin "
            "and\nwrites one JSON result per line on stdout, in order. A "
            "request has the\nmodule's parameters (cluster_id or "
            "replication_group_id, node_ids,\nbatch_size, "
            "allow_primary_reboot, only_if_pending,\nunless_rebooted_since, "
            "wait, wait_timeout, wait_delay, region, profile,\nendpoint_url, "
            "...) plus "
            "\"check_mode\" and \"diff\" booleans. Progress goes to\n"
            "stderr. Exit status: 0 all requests succeeded, 1 one or more "
            "failed,\n2 a line was not a JSON object.\n"
            "\n"
            "Options: --help, --version.\n");
}

/* The front ends' request function over an erb_session. */
static json_t *run_request(void *ctx, const json_t *request, erb_mode mode,
                           bool *failed)
{
    return erb_run_request(ctx, request, mode, failed);
}

int main(int argc, char **argv)
{
    erb_session session = {0};
    int rc;

    /* Secrets pass through this process: no core file may keep them. A
     * failure to lower a limit is not worth stopping for. */
    (void)ec_forbid_core_dumps(NULL);
    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("elasticache_reboot %s (libelasticache %s)\n", EC_VERSION_STRING,
               ec_version());
        return 0;
    }
    if (argc == 2) {
        rc = erb_run_module(argv[1], run_request, &session);
    } else if (argc == 1) {
        session.progress = true;
        rc = erb_run_ndjson(stdin, "elasticache_reboot", run_request, NULL,
                            &session);
    } else {
        usage(stderr);
        return ERB_EXIT_BAD_INPUT;
    }
    erb_session_clear(&session);
    return rc;
}
