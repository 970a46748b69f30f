/*
 * `elasticache`: the AWS-CLI-compatible command line over libelasticache.
 * main parses the command line into option values, then runs one command.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const cli_opt cli_global_opts[G_COUNT] = {
    [G_REGION] = {"--region", CLI_STRING, NULL},
    [G_PROFILE] = {"--profile", CLI_STRING, NULL},
    [G_ENDPOINT_URL] = {"--endpoint-url", CLI_STRING, NULL},
    [G_CA_BUNDLE] = {"--ca-bundle", CLI_STRING, NULL},
    [G_NO_VERIFY_SSL] = {"--no-verify-ssl", CLI_FLAG, NULL},
    [G_CONNECT_TIMEOUT] = {"--cli-connect-timeout", CLI_SECONDS, NULL},
    [G_READ_TIMEOUT] = {"--cli-read-timeout", CLI_SECONDS, NULL},
    [G_DEBUG] = {"--debug", CLI_FLAG, NULL},
    [G_OUTPUT] = {"--output", CLI_STRING, NULL},
    [G_NO_PAGINATE] = {"--no-paginate", CLI_FLAG, NULL},
    [G_NO_CLI_PAGER] = {"--no-cli-pager", CLI_FLAG, NULL},
    [G_QUERY] = {"--query", CLI_STRING, NULL},
    [G_COLOR] = {"--color", CLI_STRING, NULL},
    [G_HELP] = {"--help", CLI_FLAG, NULL},
    [G_VERSION] = {"--version", CLI_FLAG, NULL},
};

static const cli_command *const commands[] = {
    &cli_cmd_describe_clusters,
    &cli_cmd_describe_events,
    &cli_cmd_describe_replication_groups,
    &cli_cmd_reboot,
};

static const char usage_text[] =
    "usage: elasticache [options] <command> [parameters]\n"
    "To see help text, you can run:\n"
    "\n"
    "  elasticache --help\n"
    "  elasticache <command> --help\n"
    "  elasticache wait cache-cluster-available --help\n";

static const char main_help[] =
    "elasticache: Amazon ElastiCache from the command line, over "
    "libelasticache.\n"
    "\n"
    "usage: elasticache [options] <command> [parameters]\n"
    "\n"
    "Commands (arguments and JSON output as `aws elasticache ...`, AWS CLI "
    "v2):\n"
    "  describe-cache-clusters     list clusters (auto-paginated)\n"
    "  describe-events             list events (auto-paginated)\n"
    "  describe-replication-groups list Redis replication groups and their\n"
    "                              members' roles (auto-paginated)\n"
    "  reboot-cache-cluster        reboot nodes; with --wait, --only-if-"
    "pending,\n"
    "                              --unless-rebooted-since or --dry-run a "
    "safe,\n"
    "                              idempotent reboot\n"
    "  wait cache-cluster-available  wait until a cluster is available\n"
    "\n"
    "Global options (anywhere on the line):\n"
    "  --region REGION             region (else AWS_REGION, "
    "AWS_DEFAULT_REGION,\n"
    "                              the profile's region)\n"
    "  --profile NAME              profile from the shared config and\n"
    "                              credentials files (else AWS_PROFILE)\n"
    "  --endpoint-url URL          send requests to URL instead of the "
    "region's\n"
    "                              endpoint\n"
    "  --ca-bundle FILE            CA certificates to verify TLS with\n"
    "  --no-verify-ssl             do not verify TLS certificates (unsafe)\n"
    "  --cli-connect-timeout S     connect timeout in seconds (default 60; "
    "0:\n"
    "                              no timeout)\n"
    "  --cli-read-timeout S        read timeout in seconds (default 60; 0: "
    "no\n"
    "                              timeout)\n"
    "  --debug                     log requests to stderr (canonical request,\n"
    "                              string to sign; never secrets)\n"
    "  --output json               the only output format supported\n"
    "  --no-paginate               one page only, as the service returned it\n"
    "  --no-cli-pager              accepted; output is never paged\n"
    "  --help                      this text, or a command's with the "
    "command\n"
    "  --version                   print the version and exit\n"
    "\n"
    "Exit status (as AWS CLI v2): 0 success; 252 bad arguments; 253 "
    "region,\n"
    "profile or credentials problem; 254 the service answered with an error;\n"
    "255 anything else (connection, timeout, waiter failure).\n";

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs(usage_text, stderr);
    fputs("\nelasticache: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    return CLI_EXIT_USAGE;
}

static int unknown_options(char **argv, const int *unknown, size_t count)
{
    fputs(usage_text, stderr);
    fputs("\nUnknown options: ", stderr);
    for (size_t i = 0; i < count; i++)
        fprintf(stderr, "%s%s", i ? ", " : "", argv[unknown[i]]);
    fputs("\n", stderr);
    return CLI_EXIT_USAGE;
}

/* argparse's view: a token that starts with "-" and is not a negative
 * number is an option. */
static bool looks_like_option(const char *s)
{
    if (s[0] != '-' || s[1] == '\0')
        return false;
    if ((s[1] >= '0' && s[1] <= '9') || s[1] == '.')
        return false;
    return true;
}

static int parse_number(const cli_opt *opt, const char *text, cli_val *val)
{
    char *end = NULL;

    errno = 0;
    if (opt->kind == CLI_INT) {
        long long v = strtoll(text, &end, 10);
        if (errno || end == text || *end != '\0')
            return cli_usage_error("argument %s: invalid int value: '%s'",
                                   opt->name, text);
        val->ival = v;
        return 0;
    }
    double d = strtod(text, &end);
    if (errno || end == text || *end != '\0' || d < 0 || d != d)
        return cli_usage_error(
            "argument %s: invalid value: '%s' (expected seconds >= 0)",
            opt->name, text);
    val->dval = d;
    return 0;
}

/* As the AWS CLI, a list may also be given as one JSON array:
 * --cache-node-ids-to-reboot '["0001","0002"]'. */
static int parse_json_list(const cli_opt *opt, cli_val *val)
{
    const char *text = val->list[0];
    json_error_t jerr;
    size_t i, n;

    while (*text == ' ' || *text == '\t' || *text == '\n')
        text++;
    if (*text != '[')
        return 0;
    json_decref(val->list_json);
    val->list_json = json_loads(text, 0, &jerr);
    if (!val->list_json || !json_is_array(val->list_json))
        return cli_usage_error("argument %s: Invalid JSON: %s", opt->name,
                               val->list_json ? "not a list" : jerr.text);
    n = json_array_size(val->list_json);
    if (n == 0)
        return cli_usage_error("argument %s: expected at least one "
                               "argument",
                               opt->name);
    free(val->list);
    val->list = calloc(n, sizeof(*val->list));
    if (!val->list) {
        fputs("elasticache: out of memory\n", stderr);
        return CLI_EXIT_OTHER;
    }
    for (i = 0; i < n; i++) {
        json_t *item = json_array_get(val->list_json, i);
        if (!json_is_string(item))
            return cli_usage_error("argument %s: Invalid JSON: the list "
                                   "must hold strings",
                                   opt->name);
        val->list[i] = json_string_value(item);
    }
    val->count = n;
    return 0;
}

/* Find an option by its name or its negative name in one table. */
static int find_opt(const cli_opt *opts, size_t count, const char *name,
                    size_t len, bool *negative)
{
    for (size_t i = 0; i < count; i++) {
        if (strlen(opts[i].name) == len &&
            strncmp(opts[i].name, name, len) == 0) {
            *negative = false;
            return (int)i;
        }
        if (opts[i].no_name && strlen(opts[i].no_name) == len &&
            strncmp(opts[i].no_name, name, len) == 0) {
            *negative = true;
            return (int)i;
        }
    }
    return -1;
}

typedef struct parse_state {
    char **argv;
    int argc;
    const cli_command *cmd; /* NULL before the command name */
    cli_val *cmd_vals;
    cli_val *global;
    bool wants_help;
    int unknown[64];
    size_t unknown_count;
} parse_state;

/* Parse one option at argv[*i]; advances *i past its values. */
static int parse_option(parse_state *st, int *i)
{
    const char *arg = st->argv[*i];
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    const cli_opt *opt = NULL;
    cli_val *val = NULL;
    bool negative = false;
    int idx = -1;

    if (st->cmd) {
        idx = find_opt(st->cmd->opts, st->cmd->opt_count, arg, len, &negative);
        if (idx >= 0) {
            opt = &st->cmd->opts[idx];
            val = &st->cmd_vals[idx];
        }
    }
    if (!opt) {
        idx = find_opt(cli_global_opts, G_COUNT, arg, len, &negative);
        if (idx >= 0) {
            opt = &cli_global_opts[idx];
            val = &st->global[idx];
        }
    }
    if (!opt) {
        if (st->unknown_count < sizeof(st->unknown) / sizeof(st->unknown[0]))
            st->unknown[st->unknown_count++] = *i;
        /* The values that follow an unknown option are unknown too, as
         * argparse lists them ("Unknown options: --bogus, 1"); before the
         * command, the next word is the command. */
        while (st->cmd && *i + 1 < st->argc &&
               !looks_like_option(st->argv[*i + 1])) {
            (*i)++;
            if (st->unknown_count <
                sizeof(st->unknown) / sizeof(st->unknown[0]))
                st->unknown[st->unknown_count++] = *i;
        }
        return 0;
    }

    val->seen = true;
    if (opt->kind == CLI_FLAG) {
        if (eq)
            return cli_usage_error("argument %.*s: ignored explicit argument "
                                   "'%s'",
                                   (int)len, arg, eq + 1);
        val->flag = !negative;
        return 0;
    }
    if (opt->kind == CLI_LIST) {
        size_t n = 0;
        free(val->list);
        val->list = calloc((size_t)st->argc, sizeof(*val->list));
        if (!val->list) {
            fputs("elasticache: out of memory\n", stderr);
            return CLI_EXIT_OTHER;
        }
        if (eq)
            val->list[n++] = eq + 1;
        while (*i + 1 < st->argc && !looks_like_option(st->argv[*i + 1]))
            val->list[n++] = st->argv[++(*i)];
        if (n == 0)
            return cli_usage_error("argument %s: expected at least one "
                                   "argument",
                                   opt->name);
        val->count = n;
        if (n == 1)
            return parse_json_list(opt, val);
        return 0;
    }
    if (eq) {
        val->str = eq + 1;
    } else {
        if (*i + 1 >= st->argc || looks_like_option(st->argv[*i + 1]))
            return cli_usage_error("argument %s: expected one argument",
                                   opt->name);
        val->str = st->argv[++(*i)];
    }
    if (opt->kind == CLI_INT || opt->kind == CLI_SECONDS)
        return parse_number(opt, val->str, val);
    return 0;
}

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static int invalid_choice(const char *what, const char *value)
{
    return cli_usage_error("argument %s: Invalid choice: '%s'", what, value);
}

/* Walk the whole command line once: global options anywhere, then the
 * command (and for `wait`, the waiter name), then the command's options. */
static int parse_command_line(parse_state *st)
{
    bool in_wait = false;

    for (int i = 1; i < st->argc; i++) {
        const char *arg = st->argv[i];
        int rc;

        if (looks_like_option(arg)) {
            rc = parse_option(st, &i);
            if (rc)
                return rc;
            continue;
        }
        if (!st->cmd && !in_wait) {
            if (strcmp(arg, "help") == 0) {
                st->wants_help = true;
                continue;
            }
            if (strcmp(arg, "wait") == 0) {
                in_wait = true;
                continue;
            }
            st->cmd = find_command(arg);
            if (!st->cmd)
                return invalid_choice("command", arg);
        } else if (!st->cmd && in_wait) {
            if (strcmp(arg, "help") == 0) {
                st->wants_help = true;
                continue;
            }
            if (strcmp(arg, cli_cmd_wait_available.name) != 0)
                return invalid_choice("waiter_name", arg);
            st->cmd = &cli_cmd_wait_available;
        } else if (strcmp(arg, "help") == 0) {
            st->wants_help = true;
        } else if (st->unknown_count <
                   sizeof(st->unknown) / sizeof(st->unknown[0])) {
            st->unknown[st->unknown_count++] = i;
        }
        if (st->cmd && !st->cmd_vals) {
            st->cmd_vals = calloc(st->cmd->opt_count + 1, sizeof(cli_val));
            if (!st->cmd_vals) {
                fputs("elasticache: out of memory\n", stderr);
                return CLI_EXIT_OTHER;
            }
        }
    }
    if (in_wait && !st->cmd && !st->wants_help && !st->global[G_HELP].seen)
        return cli_usage_error(
            "the following arguments are required: waiter_name");
    return 0;
}

static int check_output_options(const cli_val *g)
{
    if (g[G_OUTPUT].seen && strcmp(g[G_OUTPUT].str, "json") != 0) {
        static const char *const known[] = {"text", "table", "yaml",
                                            "yaml-stream"};
        for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
            if (strcmp(g[G_OUTPUT].str, known[i]) == 0)
                return cli_usage_error("argument --output: --output %s is "
                                       "not supported, only json",
                                       known[i]);
        return cli_usage_error("argument --output: Invalid choice, valid "
                               "choices are: json");
    }
    if (g[G_QUERY].seen)
        return cli_usage_error("argument --query: not supported (pipe the "
                               "JSON through jq instead)");
    if (g[G_COLOR].seen && strcmp(g[G_COLOR].str, "on") != 0 &&
        strcmp(g[G_COLOR].str, "off") != 0 &&
        strcmp(g[G_COLOR].str, "auto") != 0)
        return cli_usage_error("argument --color: Invalid choice, valid "
                               "choices are: on | off | auto");
    return 0;
}

int main(int argc, char **argv)
{
    /* Secrets pass through this process: no core file may keep them. A
     * failure to lower a limit is not worth stopping for. */
    (void)ec_forbid_core_dumps(NULL);
    cli_val global[G_COUNT];
    parse_state st;
    int rc;

    memset(global, 0, sizeof(global));
    memset(&st, 0, sizeof(st));
    st.argv = argv;
    st.argc = argc;
    st.global = global;

    rc = parse_command_line(&st);
    if (rc)
        goto out;
    if (global[G_VERSION].seen) {
        printf("elasticache %s libelasticache/%s\n", EC_VERSION_STRING,
               ec_version());
        goto out;
    }
    if (global[G_HELP].seen || st.wants_help) {
        fputs(st.cmd ? st.cmd->help : main_help, stdout);
        goto out;
    }
    if (!st.cmd) {
        rc = cli_usage_error("the following arguments are required: "
                             "command");
        goto out;
    }
    if (st.unknown_count) {
        rc = unknown_options(argv, st.unknown, st.unknown_count);
        goto out;
    }
    rc = check_output_options(global);
    if (rc)
        goto out;

    cli_ctx ctx = {st.cmd->name, st.cmd_vals, global};
    rc = st.cmd->run(&ctx);
out:
    if (st.cmd_vals) {
        for (size_t i = 0; i < st.cmd->opt_count; i++) {
            free(st.cmd_vals[i].list);
            json_decref(st.cmd_vals[i].list_json);
        }
        free(st.cmd_vals);
    }
    for (size_t i = 0; i < G_COUNT; i++)
        free(global[i].list);
    if (fflush(stdout) != 0 && rc == 0)
        rc = CLI_EXIT_OTHER;
    return rc;
}
