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

#include "module.h"

#define ERB_MAX_ARGS_BYTES (4u * 1024u * 1024u)
#define ERB_MAX_LINE_BYTES (1024u * 1024u)

/* Exit statuses of the NDJSON mode. */
enum { EXIT_ALL_OK = 0, EXIT_SOME_FAILED = 1, EXIT_BAD_INPUT = 2 };

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

static int run_module(const char *arg)
{
    erb_session session = {0};
    json_t *args, *result;
    bool failed = true;
    char msg[512];

    args = erb_read_module_args(arg, msg, sizeof(msg));
    if (args)
        result = erb_run_request(&session, erb_unwrap_args(args),
                                 ERB_MODE_ANSIBLE, &failed);
    else
        result = erb_failure(msg);
    erb_print_result(result);
    json_decref(result);
    json_decref(args);
    erb_session_clear(&session);
    return failed ? 1 : 0;
}

/* Read one line of at most ERB_MAX_LINE_BYTES into buf (without the
 * newline). Returns 1 for a line, 0 at end of input, -1 when the line was
 * too long (the rest of it is skipped). */
static int read_line(FILE *in, char *buf, size_t size, size_t *len)
{
    int c;
    bool too_long = false;

    *len = 0;
    c = getc(in);
    if (c == EOF)
        return 0;
    while (c != EOF && c != '\n') {
        if (*len + 1 < size)
            buf[(*len)++] = (char)c;
        else
            too_long = true;
        c = getc(in);
    }
    buf[*len] = '\0';
    return too_long ? -1 : 1;
}

static bool blank(const char *s)
{
    for (; *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\r')
            return false;
    }
    return true;
}

static int run_ndjson(FILE *in)
{
    erb_session session = {0};
    char *line = malloc(ERB_MAX_LINE_BYTES + 1);
    char msg[512];
    size_t len;
    unsigned long lineno = 0;
    int status = EXIT_ALL_OK, rc;

    if (!line) {
        fputs("elasticache_reboot: out of memory\n", stderr);
        return EXIT_BAD_INPUT;
    }
    session.progress = true;
    for (;;) {
        json_t *request = NULL, *result = NULL;
        json_error_t jerr;
        bool failed = true;

        rc = read_line(in, line, ERB_MAX_LINE_BYTES + 1, &len);
        if (rc == 0)
            break;
        lineno++;
        if (rc > 0 && blank(line))
            continue;
        if (rc < 0) {
            snprintf(msg, sizeof(msg),
                     "Error: line %lu is longer than %u bytes", lineno,
                     ERB_MAX_LINE_BYTES);
        } else {
            request = json_loadb(line, len, 0, &jerr);
            /* jansson's text quotes the input near the error ("invalid
             * token near '...'"), and a request line holds secret keys:
             * say where, never what (issue 8, item 11). */
            if (!request)
                snprintf(msg, sizeof(msg),
                         "Error: line %lu is not valid JSON (column %d, byte "
                         "%d); the line is not repeated here because it may "
                         "hold secrets",
                         lineno, jerr.column, jerr.position);
            else if (!json_is_object(request))
                snprintf(msg, sizeof(msg),
                         "Error: line %lu is not a JSON object", lineno);
        }
        if (json_is_object(request)) {
            result = erb_run_request(&session, erb_unwrap_args(request),
                                     ERB_MODE_NDJSON, &failed);
            if (failed && status == EXIT_ALL_OK)
                status = EXIT_SOME_FAILED;
        } else {
            result = erb_failure(msg);
            status = EXIT_BAD_INPUT;
        }
        erb_print_result(result);
        json_decref(result);
        json_decref(request);
    }
    ec_wipe(line, ERB_MAX_LINE_BYTES + 1);
    free(line);
    erb_session_clear(&session);
    return status;
}

int main(int argc, char **argv)
{
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
    if (argc == 2)
        return run_module(argv[1]);
    if (argc == 1)
        return run_ndjson(stdin);
    usage(stderr);
    return EXIT_BAD_INPUT;
}
