/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `elasticache`: the AWS-CLI-compatible command line over libelasticache.
 * main parses the command line into option values, then runs one command.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pyfmt.h"

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
    &cli_cmd_reboot_group,
    &cli_cmd_list_tags,
};

const char cli_usage_text[] =
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
    "Commands (arguments and output as `aws elasticache ...`, AWS CLI "
    "v2):\n"
    "  describe-cache-clusters     list clusters (auto-paginated)\n"
    "  describe-events             list events (auto-paginated)\n"
    "  describe-replication-groups list Redis replication groups and their\n"
    "                              members' roles (auto-paginated)\n"
    "  reboot-cache-cluster        reboot nodes; with --wait, --only-if-"
    "pending,\n"
    "                              --unless-rebooted-since or --dry-run a "
    "safe,\n"
    "                              idempotent reboot; --batch-size N for a\n"
    "                              rolling one\n"
    "  reboot-replication-group    (extension) reboot a Redis replication\n"
    "                              group's members one at a time, moving the\n"
    "                              primary to a rebooted replica first\n"
    "  list-tags-for-resource      the tags of a cluster or group (by ARN)\n"
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
    "  --output FORMAT             json, text, table, yaml or yaml-stream, "
    "as\n"
    "                              aws prints them (else AWS_DEFAULT_OUTPUT, "
    "the\n"
    "                              profile's output, json)\n"
    "  --query EXPR                a JMESPath expression applied to the "
    "response\n"
    "                              before it is printed, as aws applies it\n"
    "  --color on|off|auto         colour in tables (auto: when stdout is a\n"
    "                              terminal)\n"
    "  --no-paginate               one page only, as the service returned it\n"
    "  --no-cli-pager              accepted; output is never paged\n"
    "  --help                      this text, or a command's with the "
    "command\n"
    "  --version                   print the version and exit\n"
    "\n"
    "Every command also takes, as aws's do:\n"
    "  --cli-input-json JSON       the operation's parameters as JSON (or\n"
    "                              file://PATH, fileb://PATH); options given "
    "on\n"
    "                              the line win, key by key\n"
    "  --cli-input-yaml YAML       the same as YAML\n"
    "  --generate-cli-skeleton [input|yaml-input|output]\n"
    "                              print a parameter skeleton for "
    "--cli-input-json\n"
    "                              (input), --cli-input-yaml (yaml-input), or "
    "a\n"
    "                              sample response (output), and send "
    "nothing\n"
    "Parameters of the operation also take file://PATH and fileb://PATH.\n"
    "\n"
    "Exit status (as AWS CLI v2): 0 success; 252 bad arguments; 253 "
    "region,\n"
    "profile or credentials problem; 254 the service answered with an error;\n"
    "255 anything else (connection, timeout, waiter failure).\n";

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;

    /* The AWS CLI's shape: "\n", argparse's usage and error, "\n". */
    fputs("\n", stderr);
    fputs(cli_usage_text, stderr);
    fputs("\nelasticache: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n\n", stderr);
    return CLI_EXIT_USAGE;
}

/* ---- argparse's invalid-choice message ----------------------------- */

/* difflib.SequenceMatcher(None, a, b).ratio() on code points: twice the
 * matched characters (its matching blocks) over the total length. */
typedef struct cps {
    uint32_t *cp;
    size_t n;
} cps;

static int to_cps(const char *s, cps *out)
{
    size_t len = strlen(s), i = 0;

    out->n = 0;
    out->cp = malloc((len ? len : 1) * sizeof(uint32_t));
    if (!out->cp)
        return -1;
    while (i < len)
        out->cp[out->n++] = ecp_utf8_next(s, len, &i);
    return 0;
}

/* find_longest_match without junk: the longest block, earliest in a, then
 * earliest in b, as difflib finds it. */
static size_t longest(const cps *a, size_t alo, size_t ahi, const cps *b,
                      size_t blo, size_t bhi, size_t *bi, size_t *bj)
{
    size_t best = 0, *prev, *cur;

    *bi = alo;
    *bj = blo;
    prev = calloc(bhi - blo + 1, sizeof(size_t));
    cur = calloc(bhi - blo + 1, sizeof(size_t));
    if (!prev || !cur) {
        free(prev);
        free(cur);
        return 0;
    }
    for (size_t i = alo; i < ahi; i++) {
        for (size_t j = blo; j < bhi; j++) {
            size_t k = 0;

            if (a->cp[i] == b->cp[j])
                k = (j > blo ? prev[j - blo - 1] : 0) + 1;
            cur[j - blo] = k;
            if (k > best) {
                best = k;
                *bi = i + 1 - k;
                *bj = j + 1 - k;
            }
        }
        memcpy(prev, cur, (bhi - blo + 1) * sizeof(size_t));
    }
    free(prev);
    free(cur);
    return best;
}

static size_t matched(const cps *a, size_t alo, size_t ahi, const cps *b,
                      size_t blo, size_t bhi)
{
    size_t i, j, k;

    if (alo >= ahi || blo >= bhi)
        return 0;
    k = longest(a, alo, ahi, b, blo, bhi, &i, &j);
    if (k == 0)
        return 0;
    return k + matched(a, alo, i, b, blo, j) +
           matched(a, i + k, ahi, b, j + k, bhi);
}

static double ratio(const char *choice, const char *word)
{
    cps a, b;
    double r = 0;

    if (to_cps(choice, &a) != 0)
        return 0;
    if (to_cps(word, &b) != 0) {
        free(a.cp);
        return 0;
    }
    if (a.n + b.n)
        r = 2.0 * (double)matched(&a, 0, a.n, &b, 0, b.n) / (double)(a.n + b.n);
    else
        r = 1.0;
    free(a.cp);
    free(b.cp);
    return r;
}

char *cli_choice_message(const char *value, const char *const *choices,
                         size_t count)
{
    ecp_pyout o = {0};
    double score[16];
    size_t picked[3], npicked = 0;

    ecp_pyout_adds(&o, "Invalid choice, valid choices are:\n");
    for (size_t i = 0; i < count; i += 2) {
        char line[128];

        if (i + 1 < count)
            snprintf(line, sizeof(line), "\n%-40s | %-40s", choices[i],
                     choices[i + 1]);
        else
            snprintf(line, sizeof(line), "\n%-40s", choices[i]);
        ecp_pyout_adds(&o, line);
    }
    /* difflib.get_close_matches(value, choices, cutoff=0.8): at most
     * three, best first (ties: the larger string first, as heapq.nlargest
     * on (score, word) orders them). */
    for (size_t i = 0; i < count && i < 16; i++)
        score[i] = ratio(choices[i], value);
    while (npicked < 3) {
        size_t best = count;

        for (size_t i = 0; i < count && i < 16; i++) {
            bool taken = false;

            for (size_t k = 0; k < npicked; k++)
                taken = taken || picked[k] == i;
            if (taken || score[i] < 0.8)
                continue;
            if (best == count || score[i] > score[best] ||
                (score[i] == score[best] &&
                 strcmp(choices[i], choices[best]) > 0))
                best = i;
        }
        if (best == count)
            break;
        picked[npicked++] = best;
    }
    if (npicked) {
        ecp_pyout_adds(&o, "\n\n\nInvalid choice: ");
        ecp_py_repr_str(&o, value, strlen(value));
        ecp_pyout_adds(&o, ", maybe you meant:\n");
        for (size_t k = 0; k < npicked; k++) {
            ecp_pyout_adds(&o, "\n  * ");
            ecp_pyout_adds(&o, choices[picked[k]]);
        }
    }
    if (o.failed) {
        ecp_pyout_free(&o);
        return NULL;
    }
    return o.data;
}

/* ---- parsing the command line ----------------------------------------- */

static int unknown_options(char **argv, const int *unknown, size_t count)
{
    fputs("\n", stderr);
    fputs(cli_usage_text, stderr);
    fputs("\nUnknown options: ", stderr);
    for (size_t i = 0; i < count; i++)
        fprintf(stderr, "%s%s", i ? ", " : "", argv[unknown[i]]);
    fputs("\n\n", stderr);
    return CLI_EXIT_USAGE;
}

/* argparse's view: a token that starts with "-" is an option, unless it
 * is a negative number or holds a space (_parse_optional). */
static bool looks_like_option(const char *s)
{
    if (s[0] != '-' || s[1] == '\0')
        return false;
    if ((s[1] >= '0' && s[1] <= '9') || s[1] == '.')
        return false;
    if (strchr(s, ' ') && !strchr(s, '='))
        return false;
    return true;
}

static bool is_paramfile(const char *value)
{
    return strncmp(value, "file://", 7) == 0 ||
           strncmp(value, "fileb://", 8) == 0;
}

/* An error found while parsing, reported later in the AWS CLI's order:
 * the main parser's (the global options) before --query is compiled, the
 * operation's (everything else) after it. */
typedef struct deferred {
    char *message; /* NULL: none */
} deferred;

typedef struct parse_state {
    char **argv;
    int argc;
    const cli_command *cmd; /* NULL before the command name */
    cli_val *cmd_vals;
    cli_val *global;
    cli_val *common;
    bool wants_help;
    int unknown[64];
    size_t unknown_count;
    deferred main_err, cmd_err;
    bool nomem;
} parse_state;

static void defer(parse_state *st, bool global, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Keep the first usage error of its level; returns -1. */
static void defer(parse_state *st, bool global, const char *fmt, ...)
{
    deferred *d = global ? &st->main_err : &st->cmd_err;
    char buf[2048];
    va_list ap;

    if (d->message)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    d->message = strdup(buf);
    if (!d->message)
        st->nomem = true;
}

static void parse_number(parse_state *st, bool global, const cli_opt *opt,
                         const char *text, cli_val *val)
{
    char *end = NULL;

    errno = 0;
    if (opt->kind == CLI_INT) {
        long long v = strtoll(text, &end, 10);
        if (errno || end == text || *end != '\0') {
            defer(st, global, "argument %s: invalid int value: '%s'", opt->name,
                  text);
            return;
        }
        val->ival = v;
        return;
    }
    double d = strtod(text, &end);
    if (errno || end == text || *end != '\0' || d < 0 || d != d) {
        defer(st, global,
              "argument %s: invalid value: '%s' (expected seconds >= 0)",
              opt->name, text);
        return;
    }
    val->dval = d;
}

/* As the AWS CLI, a list may also be given as one JSON array:
 * --cache-node-ids-to-reboot '["0001","0002"]'. */
static void parse_json_list(parse_state *st, const cli_opt *opt, cli_val *val)
{
    const char *text = val->list[0];
    json_error_t jerr;
    size_t i, n;

    while (*text == ' ' || *text == '\t' || *text == '\n')
        text++;
    if (*text != '[')
        return;
    json_decref(val->list_json);
    val->list_json = json_loads(text, 0, &jerr);
    if (!val->list_json || !json_is_array(val->list_json)) {
        defer(st, false, "argument %s: Invalid JSON: %s", opt->name,
              val->list_json ? "not a list" : jerr.text);
        return;
    }
    n = json_array_size(val->list_json);
    if (n == 0) {
        defer(st, false, "argument %s: expected at least one argument",
              opt->name);
        return;
    }
    free(val->list);
    val->list = calloc(n, sizeof(*val->list));
    if (!val->list) {
        st->nomem = true;
        return;
    }
    for (i = 0; i < n; i++) {
        json_t *item = json_array_get(val->list_json, i);
        if (!json_is_string(item)) {
            defer(st, false,
                  "argument %s: Invalid JSON: the list must hold strings",
                  opt->name);
            return;
        }
        val->list[i] = json_string_value(item);
    }
    val->count = n;
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

/* The choices a value of these options must be one of. */
static void check_choice(parse_state *st, bool global, const cli_opt *opt,
                         const char *value)
{
    static const char *const colors[] = {"on", "off", "auto"};
    static const char *const skeletons[] = {"input", "output", "yaml-input"};
    const char *const *choices;
    size_t count;
    char *msg;

    if (strcmp(opt->name, "--output") == 0) {
        choices = cli_format_names;
        count = cli_format_count;
    } else if (strcmp(opt->name, "--color") == 0) {
        choices = colors;
        count = 3;
    } else if (strcmp(opt->name, "--generate-cli-skeleton") == 0) {
        choices = skeletons;
        count = 3;
    } else {
        return;
    }
    for (size_t i = 0; i < count; i++)
        if (strcmp(value, choices[i]) == 0)
            return;
    msg = cli_choice_message(value, choices, count);
    if (!msg) {
        st->nomem = true;
        return;
    }
    defer(st, global, "argument %s: %s", opt->name, msg);
    free(msg);
}

/* Parse one option at argv[*i]; advances *i past its values. */
static void parse_option(parse_state *st, int *i)
{
    const char *arg = st->argv[*i];
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    const cli_opt *opt = NULL;
    cli_val *val = NULL;
    bool negative = false, global = false;
    int idx = -1;

    if (st->cmd) {
        idx = find_opt(st->cmd->opts, st->cmd->opt_count, arg, len, &negative);
        if (idx >= 0) {
            opt = &st->cmd->opts[idx];
            val = &st->cmd_vals[idx];
        }
        if (!opt) {
            idx = find_opt(cli_common_opts, C_COUNT, arg, len, &negative);
            if (idx >= 0) {
                opt = &cli_common_opts[idx];
                val = &st->common[idx];
            }
        }
    }
    if (!opt) {
        idx = find_opt(cli_global_opts, G_COUNT, arg, len, &negative);
        if (idx >= 0) {
            opt = &cli_global_opts[idx];
            val = &st->global[idx];
            global = true;
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
        return;
    }

    val->seen = true;
    if (opt->kind == CLI_FLAG) {
        if (eq)
            defer(st, global, "argument %.*s: ignored explicit argument '%s'",
                  (int)len, arg, eq + 1);
        val->flag = !negative;
        return;
    }
    if (opt->kind == CLI_LIST) {
        size_t n = 0;
        free(val->list);
        val->list = calloc((size_t)st->argc, sizeof(*val->list));
        if (!val->list) {
            st->nomem = true;
            return;
        }
        if (eq)
            val->list[n++] = eq + 1;
        while (*i + 1 < st->argc && !looks_like_option(st->argv[*i + 1]))
            val->list[n++] = st->argv[++(*i)];
        if (n == 0) {
            defer(st, global, "argument %s: expected at least one argument",
                  opt->name);
            return;
        }
        val->count = n;
        /* One file:// value is read after parsing (load_param_files). */
        if (n == 1 && !(is_paramfile(val->list[0]) &&
                        cli_is_param_option(st->cmd, opt->name)))
            parse_json_list(st, opt, val);
        return;
    }
    if (opt->kind == CLI_OPTIONAL) {
        /* argparse's nargs='?' with const='input'. */
        if (eq)
            val->str = eq + 1;
        else if (*i + 1 < st->argc && !looks_like_option(st->argv[*i + 1]))
            val->str = st->argv[++(*i)];
        else
            val->str = "input";
        check_choice(st, global, opt, val->str);
        return;
    }
    if (eq) {
        val->str = eq + 1;
    } else {
        if (*i + 1 >= st->argc || looks_like_option(st->argv[*i + 1])) {
            defer(st, global, "argument %s: expected one argument", opt->name);
            val->str = NULL;
            return;
        }
        val->str = st->argv[++(*i)];
    }
    check_choice(st, global, opt, val->str);
    if (opt->kind == CLI_INT || opt->kind == CLI_SECONDS) {
        /* A parameter's number may come from a file (read later). */
        if (!global && is_paramfile(val->str) &&
            cli_is_param_option(st->cmd, opt->name))
            return;
        parse_number(st, global, opt, val->str, val);
    }
}

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

/* Walk the whole command line once: global options anywhere, then the
 * command (and for `wait`, the waiter name), then the command's options.
 * Errors are deferred (st->main_err, st->cmd_err); the return value is
 * only for running out of memory. */
static int parse_command_line(parse_state *st)
{
    bool in_wait = false;

    for (int i = 1; i < st->argc && !st->nomem; i++) {
        const char *arg = st->argv[i];

        if (looks_like_option(arg)) {
            parse_option(st, &i);
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
            if (!st->cmd) {
                /* The global options after it still count (--query). */
                defer(st, false, "argument command: Invalid choice: '%s'", arg);
                continue;
            }
        } else if (!st->cmd && in_wait) {
            if (strcmp(arg, "help") == 0) {
                st->wants_help = true;
                continue;
            }
            if (strcmp(arg, cli_cmd_wait_available.name) != 0) {
                defer(st, false, "argument waiter_name: Invalid choice: '%s'",
                      arg);
                continue;
            }
            st->cmd = &cli_cmd_wait_available;
        } else if (strcmp(arg, "help") == 0) {
            st->wants_help = true;
        } else if (st->unknown_count <
                   sizeof(st->unknown) / sizeof(st->unknown[0])) {
            st->unknown[st->unknown_count++] = i;
        }
        if (st->cmd && !st->cmd_vals) {
            st->cmd_vals = calloc(st->cmd->opt_count + 1, sizeof(cli_val));
            if (!st->cmd_vals)
                st->nomem = true;
        }
    }
    if (st->nomem) {
        fputs("elasticache: out of memory\n", stderr);
        return CLI_EXIT_OTHER;
    }
    if (in_wait && !st->cmd && !st->wants_help && !st->global[G_HELP].seen)
        defer(st, false, "the following arguments are required: waiter_name");
    return 0;
}

/* file:// and fileb:// values of the operation's parameters: the file's
 * contents instead (awscli's URIArgumentHandler), read once the command
 * line is known to be good. */
static int load_param_files(parse_state *st)
{
    const cli_command *cmd = st->cmd;

    for (size_t i = 0; i < cmd->opt_count; i++) {
        const cli_opt *opt = &cmd->opts[i];
        cli_val *val = &st->cmd_vals[i];
        const char *value;
        char *data = NULL;
        size_t len = 0;
        bool binary = false;
        int rc;

        if (!val->seen || !cli_is_param_option(cmd, opt->name))
            continue;
        if (opt->kind == CLI_LIST)
            value = val->count == 1 ? val->list[0] : NULL;
        else if (opt->kind == CLI_FLAG)
            value = NULL;
        else
            value = val->str;
        if (!value || !is_paramfile(value))
            continue;
        rc = cli_paramfile(value, opt->name, &data, &len, &binary);
        if (rc)
            return rc;
        free(val->owned);
        val->owned = data;
        val->owned_len = len;
        val->binary = binary;
        if (opt->kind == CLI_LIST) {
            val->list[0] = data;
            if (!binary) {
                parse_json_list(st, opt, val);
                if (st->nomem)
                    return CLI_EXIT_OTHER;
                if (st->cmd_err.message)
                    return cli_usage_error("%s", st->cmd_err.message);
            }
        } else {
            val->str = data;
        }
        if (opt->kind == CLI_INT) {
            /* int() takes surrounding white space, and bytes too. */
            char *start = data, *end = data + len;

            while (*start == ' ' || *start == '\t' || *start == '\n' ||
                   *start == '\r')
                start++;
            while (end > start && (end[-1] == ' ' || end[-1] == '\t' ||
                                   end[-1] == '\n' || end[-1] == '\r'))
                *--end = '\0';
            val->binary = false;
            parse_number(st, false, opt, start, val);
            if (st->cmd_err.message)
                return cli_usage_error("%s", st->cmd_err.message);
        }
    }
    return 0;
}

/* --query: compiled once, while the global options are resolved, as
 * awscli's globalargs does; a bad expression stops everything (252), with
 * Python's whole message. */
static int compile_query(const char *expression, cli_output *out)
{
    char *message = NULL;
    ec_error err;

    ec_error_clear(&err);
    out->query =
        ec_jmespath_compile_message(expression, NULL, NULL, &message, &err);
    if (out->query)
        return 0;
    if (err.code == EC_ERR_NOMEM) {
        free(message);
        fputs("\nelasticache: out of memory\n", stderr);
        return CLI_EXIT_OTHER;
    }
    fprintf(stderr, "\nBad value for --query %s: %s\n", expression,
            message ? message : err.message);
    free(message);
    return CLI_EXIT_USAGE;
}

/* --no-paginate (or the operation's own --marker/--max-records) with the
 * CLI's paging options: refused before anything else is read, as the AWS
 * CLI's check_should_enable_pagination does. */
static int check_paging(const cli_ctx *ctx, const cli_command *cmd)
{
    int page_size = cli_find_opt(cmd, "--page-size");
    int max_items = cli_find_opt(cmd, "--max-items");
    int starting = cli_find_opt(cmd, "--starting-token");
    int marker = cli_find_opt(cmd, "--marker");
    int max_records = cli_find_opt(cmd, "--max-records");
    cli_paging paging;

    if (page_size < 0 || max_items < 0 || starting < 0)
        return 0;
    return cli_paging_from_args(
        ctx,
        (marker >= 0 && ctx->opts[marker].seen) ||
            (max_records >= 0 && ctx->opts[max_records].seen),
        false, page_size, max_items, starting, &paging);
}

static void free_vals(cli_val *vals, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(vals[i].list);
        json_decref(vals[i].list_json);
        free(vals[i].owned);
    }
}

int main(int argc, char **argv)
{
    /* Secrets pass through this process: no core file may keep them. A
     * failure to lower a limit is not worth stopping for. */
    (void)ec_forbid_core_dumps(NULL);
    cli_val global[G_COUNT], common[C_COUNT];
    cli_output output;
    parse_state st;
    cli_ctx ctx;
    bool done = false;
    int rc;

    memset(global, 0, sizeof(global));
    memset(common, 0, sizeof(common));
    memset(&output, 0, sizeof(output));
    memset(&st, 0, sizeof(st));
    memset(&ctx, 0, sizeof(ctx));
    st.argv = argv;
    st.argc = argc;
    st.global = global;
    st.common = common;

    /* The AWS CLI's order: the main parser's errors, --version, --help,
     * the global options' values (--query), then the operation's. */
    rc = parse_command_line(&st);
    if (rc)
        goto out;
    if (st.main_err.message) {
        rc = cli_usage_error("%s", st.main_err.message);
        goto out;
    }
    if (global[G_VERSION].seen) {
        printf("elasticache %s libelasticache/%s\n", EC_VERSION_STRING,
               ec_version());
        goto out;
    }
    if (global[G_HELP].seen && !st.cmd_err.message) {
        fputs(st.cmd ? st.cmd->help : main_help, stdout);
        goto out;
    }
    if (global[G_QUERY].seen) {
        rc = compile_query(global[G_QUERY].str, &output);
        if (rc)
            goto out;
    }
    if (st.cmd_err.message) {
        rc = cli_usage_error("%s", st.cmd_err.message);
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
    rc = cli_input_required(st.cmd, st.cmd_vals, common);
    if (rc)
        goto out;
    if (st.unknown_count) {
        rc = unknown_options(argv, st.unknown, st.unknown_count);
        goto out;
    }
    rc = load_param_files(&st);
    if (rc)
        goto out;

    /* --color: colorama's styles on, off, or (auto) when stdout is a
     * terminal. */
    output.color = global[G_COLOR].seen ? strcmp(global[G_COLOR].str, "on") == 0
                                        : isatty(STDOUT_FILENO) == 1;
    if (global[G_COLOR].seen && strcmp(global[G_COLOR].str, "auto") == 0)
        output.color = isatty(STDOUT_FILENO) == 1;
    ctx.command = st.cmd->name;
    ctx.opts = st.cmd_vals;
    ctx.global = global;
    ctx.common = common;
    ctx.output = &output;
    /* The waiter prints nothing, as the AWS CLI's. */
    ctx.silent = st.cmd == &cli_cmd_wait_available;
    rc = check_paging(&ctx, st.cmd);
    if (rc)
        goto out;
    rc = cli_input_prepare(&ctx, st.cmd, st.cmd_vals, &done);
    if (rc || done)
        goto out;
    rc = st.cmd->run(&ctx);
out:
    if (st.cmd_vals) {
        free_vals(st.cmd_vals, st.cmd->opt_count);
        free(st.cmd_vals);
    }
    free_vals(global, G_COUNT);
    free_vals(common, C_COUNT);
    free(st.main_err.message);
    free(st.cmd_err.message);
    cli_input_free(ctx.input);
    ec_jmespath_free(output.query);
    if (fflush(stdout) != 0 && rc == 0)
        rc = CLI_EXIT_OTHER;
    return rc;
}
