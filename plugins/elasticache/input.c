/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the AWS CLI adds to every operation command: --cli-input-json,
 * --cli-input-yaml and --generate-cli-skeleton (awscli/customizations/
 * cliinput.py and generatecliskeleton.py), the file:// and fileb://
 * parameter files (awscli/paramfile.py), and botocore's validation of the
 * parameters those bring in (botocore/validate.py), with their messages.
 *
 * The file's parameters fill in what the command line left out, key by
 * key (the command line wins); they are then checked against the
 * operation's input shape as botocore checks them, after the client is
 * made and before anything is sent, and the valid ones are handed to the
 * command as if they had been given on the command line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pyfmt.h"
#include "skeletons.h"
#include "yamlin.h"

const cli_opt cli_common_opts[C_COUNT] = {
    [C_CLI_INPUT_JSON] = {"--cli-input-json", CLI_STRING, NULL},
    [C_CLI_INPUT_YAML] = {"--cli-input-yaml", CLI_STRING, NULL},
    [C_GENERATE_SKELETON] = {"--generate-cli-skeleton", CLI_OPTIONAL, NULL},
};

static const char *const skeleton_choices[] = {"input", "output", "yaml-input"};

/* ---- the operations' input shapes ------------------------------- */

typedef enum param_type {
    P_STRING,
    P_INTEGER,
    P_BOOLEAN,
    P_TIMESTAMP,
    P_STRING_LIST
} param_type;

typedef struct param {
    const char *name; /* "CacheClusterId" */
    param_type type;
    bool required;      /* by the model (botocore's validation) */
    bool cli_required;  /* by this CLI's command line (argparse) */
    const char *option; /* the command's option for it, NULL: none */
} param;

typedef struct operation {
    const char *command; /* our command: "describe-cache-clusters" */
    const char *name;    /* "DescribeCacheClusters" */
    const param *params;
    size_t count;
} operation;

static const param describe_clusters_params[] = {
    {"CacheClusterId", P_STRING, false, false, "--cache-cluster-id"},
    {"MaxRecords", P_INTEGER, false, false, "--max-records"},
    {"Marker", P_STRING, false, false, "--marker"},
    {"ShowCacheNodeInfo", P_BOOLEAN, false, false, "--show-cache-node-info"},
    {"ShowCacheClustersNotInReplicationGroups", P_BOOLEAN, false, false,
     "--show-cache-clusters-not-in-replication-groups"},
};

static const param describe_events_params[] = {
    {"SourceIdentifier", P_STRING, false, false, "--source-identifier"},
    {"SourceType", P_STRING, false, false, "--source-type"},
    {"StartTime", P_TIMESTAMP, false, false, "--start-time"},
    {"EndTime", P_TIMESTAMP, false, false, "--end-time"},
    {"Duration", P_INTEGER, false, false, "--duration"},
    {"MaxRecords", P_INTEGER, false, false, "--max-records"},
    {"Marker", P_STRING, false, false, "--marker"},
};

static const param describe_groups_params[] = {
    {"ReplicationGroupId", P_STRING, false, false, "--replication-group-id"},
    {"MaxRecords", P_INTEGER, false, false, "--max-records"},
    {"Marker", P_STRING, false, false, "--marker"},
};

/* Both are required by the model; the CLI's own form needs only the
 * cluster (no node ids: the safe reboot of every node). */
static const param reboot_params[] = {
    {"CacheClusterId", P_STRING, true, true, "--cache-cluster-id"},
    {"CacheNodeIdsToReboot", P_STRING_LIST, true, false,
     "--cache-node-ids-to-reboot"},
};

static const param list_tags_params[] = {
    {"ResourceName", P_STRING, true, true, "--resource-name"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const operation operations[] = {
    {"describe-cache-clusters", "DescribeCacheClusters",
     describe_clusters_params, N(describe_clusters_params)},
    {"describe-events", "DescribeEvents", describe_events_params,
     N(describe_events_params)},
    {"describe-replication-groups", "DescribeReplicationGroups",
     describe_groups_params, N(describe_groups_params)},
    {"reboot-cache-cluster", "RebootCacheCluster", reboot_params,
     N(reboot_params)},
    {"list-tags-for-resource", "ListTagsForResource", list_tags_params,
     N(list_tags_params)},
    /* The waiter takes DescribeCacheClusters' parameters, as aws's does. */
    {"cache-cluster-available", "DescribeCacheClusters",
     describe_clusters_params, N(describe_clusters_params)},
};

static const operation *operation_of(const cli_command *cmd)
{
    for (size_t i = 0; i < N(operations); i++)
        if (strcmp(operations[i].command, cmd->name) == 0)
            return &operations[i];
    return NULL;
}

static const cli_skeleton *skeleton_of(const operation *op)
{
    for (size_t i = 0; i < cli_skeleton_count; i++)
        if (strcmp(cli_skeletons[i].operation, op->name) == 0)
            return &cli_skeletons[i];
    return NULL;
}

int cli_find_opt(const cli_command *cmd, const char *name)
{
    for (size_t i = 0; i < cmd->opt_count; i++)
        if (strcmp(cmd->opts[i].name, name) == 0)
            return (int)i;
    return -1;
}

bool cli_is_param_option(const cli_command *cmd, const char *option)
{
    const operation *op = operation_of(cmd);

    for (size_t i = 0; op && i < op->count; i++)
        if (op->params[i].option && strcmp(op->params[i].option, option) == 0)
            return true;
    return false;
}

/* ---- errors --------------------------------------------------------- */

/* The AWS CLI's ParamError / ParamSyntaxError / ParamValidationError:
 * "\nMSG\n" on stderr and 252. */
static int param_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int param_error(const char *fmt, ...)
{
    va_list ap;

    fputs("\n", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    return CLI_EXIT_USAGE;
}

static int nomem(void)
{
    fputs("\nelasticache: out of memory\n", stderr);
    return CLI_EXIT_OTHER;
}

/* ---- file:// and fileb:// ----------------------------------------- */

/* Parameter files are the operation's parameters: far below this. Python
 * would read anything; we stop rather than take all memory (a mistaken
 * file:///dev/zero). */
#define CLI_PARAMFILE_MAX (64 << 20)

/* os.path.expandvars(os.path.expanduser(path)): "~" and "~/..." from HOME,
 * $NAME and ${NAME} from the environment (unknown ones stay as written). */
static char *expand_path(const char *path)
{
    ecp_pyout o = {0};
    const char *p = path;

    if (p[0] == '~' && (p[1] == '/' || p[1] == '\0') && getenv("HOME")) {
        ecp_pyout_adds(&o, getenv("HOME"));
        p++;
    }
    while (*p) {
        if (*p == '$') {
            const char *start = p + 1, *end;
            bool brace = *start == '{';

            if (brace)
                start++;
            end = start;
            while ((*end >= 'a' && *end <= 'z') ||
                   (*end >= 'A' && *end <= 'Z') ||
                   (*end >= '0' && *end <= '9') || *end == '_')
                end++;
            if (end > start && (!brace || *end == '}')) {
                char name[256];
                size_t n = (size_t)(end - start);

                if (n < sizeof(name)) {
                    memcpy(name, start, n);
                    name[n] = '\0';
                    if (getenv(name)) {
                        ecp_pyout_adds(&o, getenv(name));
                        p = end + (brace ? 1 : 0);
                        continue;
                    }
                }
            }
        }
        ecp_pyout_addc(&o, *p++);
    }
    if (o.failed || !o.data) {
        ecp_pyout_free(&o);
        return NULL;
    }
    return o.data;
}

/* Python's "[Errno N] STRERROR: 'PATH'" for an OSError. */
static void os_error_text(int errnum, const char *path, char *out, size_t size)
{
    ecp_pyout quoted = {0};

    ecp_py_repr_str(&quoted, path, strlen(path));
    snprintf(out, size, "[Errno %d] %s: %s", errnum, strerror(errnum),
             quoted.data ? quoted.data : "''");
    ecp_pyout_free(&quoted);
}

int cli_paramfile(const char *value, const char *cli_name, char **data,
                  size_t *len, bool *binary)
{
    static const char text_prefix[] = "file://", bin_prefix[] = "fileb://";
    const char *rest;
    char *path = NULL, *buf = NULL, why[1024];
    size_t cap = 0, n = 0;
    FILE *f = NULL;
    int rc = 0;

    *data = NULL;
    *len = 0;
    *binary = false;
    if (strncmp(value, text_prefix, sizeof(text_prefix) - 1) == 0) {
        rest = value + sizeof(text_prefix) - 1;
    } else if (strncmp(value, bin_prefix, sizeof(bin_prefix) - 1) == 0) {
        rest = value + sizeof(bin_prefix) - 1;
        *binary = true;
    } else {
        return 0;
    }
    path = expand_path(rest);
    if (!path)
        return nomem();
    f = fopen(path, "rb");
    if (!f) {
        os_error_text(errno, path, why, sizeof(why));
        rc = param_error("Error parsing parameter '%s': Unable to load "
                         "paramfile %s: %s",
                         cli_name, value, why);
        goto out;
    }
    for (;;) {
        if (n + 4096 + 1 > cap) {
            char *bigger;

            cap = cap ? cap * 2 : 8192;
            bigger = realloc(buf, cap);
            if (!bigger) {
                rc = nomem();
                goto out;
            }
            buf = bigger;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (n > CLI_PARAMFILE_MAX) {
            rc = param_error("Error parsing parameter '%s': Unable to load "
                             "paramfile %s: larger than %d MiB",
                             cli_name, value, CLI_PARAMFILE_MAX >> 20);
            goto out;
        }
    }
    if (ferror(f)) {
        os_error_text(errno ? errno : EIO, path, why, sizeof(why));
        rc = param_error("Error parsing parameter '%s': Unable to load "
                         "paramfile %s: %s",
                         cli_name, value, why);
        goto out;
    }
    buf[n] = '\0';
    /* Python reads file:// as text in the locale's encoding (UTF-8). */
    if (!*binary && !ecp_utf8_valid(buf, n)) {
        rc = param_error("Error parsing parameter '%s': Unable to load "
                         "paramfile (%s), text contents could not be "
                         "decoded.  If this is a binary file, please use "
                         "the fileb:// prefix instead of the file:// "
                         "prefix.",
                         cli_name, path);
        goto out;
    }
    *data = buf;
    *len = n;
    buf = NULL;
out:
    if (f)
        fclose(f);
    free(buf);
    free(path);
    return rc;
}

/* ---- the document --------------------------------------------------- */

/* A loaded --cli-input-json/yaml document, and for YAML the values that
 * are Python datetime objects rather than str (held as their str()). */
struct cli_input {
    const operation *op;
    json_t *root;           /* NULL: neither option was given */
    const char *cli_name;   /* "--cli-input-json" */
    cli_yaml_stamps stamps; /* the YAML's datetime values */
    char *report;           /* botocore's validation report, or NULL */
};

/* The Python type of a YAML value JSON has no type for, else NULL. */
static const char *py_type(const struct cli_input *in, const json_t *v)
{
    const cli_yaml_special *sp = cli_yaml_special_of(&in->stamps, v);

    return sp ? sp->type : NULL;
}

/* "<class 'str'>", as str(type(v)). */
static void class_name(const struct cli_input *in, const json_t *v, char *out,
                       size_t size)
{
    const char *name = py_type(in, v);

    if (!name) {
        switch (json_typeof(v)) {
        case JSON_OBJECT:
            name = "dict";
            break;
        case JSON_ARRAY:
            name = "list";
            break;
        case JSON_STRING:
            name = "str";
            break;
        case JSON_INTEGER:
            name = "int";
            break;
        case JSON_REAL:
            name = "float";
            break;
        case JSON_TRUE:
        case JSON_FALSE:
            name = "bool";
            break;
        default:
            name = "NoneType";
            break;
        }
    }
    snprintf(out, size, "<class '%s'>", name);
}

/* ---- botocore's validation report ---------------------------------- */

typedef struct report {
    ecp_pyout text;
} report;

static void report_line(report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void report_line(report *r, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (r->text.len)
        ecp_pyout_addc(&r->text, '\n');
    ecp_pyout_adds(&r->text, line);
}

/* "Invalid type for parameter NAME, value: STR, type: CLASS, valid types:
 * VALID" with str(value) as Python prints it. */
static void invalid_type(report *r, const struct cli_input *in,
                         const char *name, const json_t *v, const char *valid)
{
    ecp_pyout value = {0};
    char cls[64];

    if (py_type(in, v))
        ecp_pyout_adds(&value, cli_yaml_special_of(&in->stamps, v)->str);
    else
        ecp_py_str(&value, v, 900, NULL);
    class_name(in, v, cls, sizeof(cls));
    if (r->text.len)
        ecp_pyout_addc(&r->text, '\n');
    ecp_pyout_adds(&r->text, "Invalid type for parameter ");
    ecp_pyout_adds(&r->text, name);
    ecp_pyout_adds(&r->text, ", value: ");
    ecp_pyout_add(&r->text, value.data ? value.data : "", value.len);
    ecp_pyout_adds(&r->text, ", type: ");
    ecp_pyout_adds(&r->text, cls);
    ecp_pyout_adds(&r->text, ", valid types: ");
    ecp_pyout_adds(&r->text, valid);
    ecp_pyout_free(&value);
}

/* repr(bytes) */
static void bytes_repr(ecp_pyout *o, const char *s, size_t n)
{
    bool has_single = memchr(s, '\'', n) != NULL;
    bool has_double = memchr(s, '"', n) != NULL;
    char quote = has_single && !has_double ? '"' : '\'';

    ecp_pyout_addc(o, 'b');
    ecp_pyout_addc(o, quote);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char hex[8];

        if (c == (unsigned char)quote || c == '\\') {
            ecp_pyout_addc(o, '\\');
            ecp_pyout_addc(o, (char)c);
        } else if (c == '\t') {
            ecp_pyout_adds(o, "\\t");
        } else if (c == '\n') {
            ecp_pyout_adds(o, "\\n");
        } else if (c == '\r') {
            ecp_pyout_adds(o, "\\r");
        } else if (c < 0x20 || c >= 0x7f) {
            snprintf(hex, sizeof(hex), "\\x%02x", c);
            ecp_pyout_adds(o, hex);
        } else {
            ecp_pyout_addc(o, (char)c);
        }
    }
    ecp_pyout_addc(o, quote);
}

/* A fileb:// value given for a parameter: Python hands the bytes on, and
 * botocore refuses them where it wants str (a list iterates them: ints). */
static void binary_value(report *r, const param *p, const cli_val *val)
{
    const char *s = val->owned;
    size_t n = val->owned_len;

    if (p->type == P_STRING_LIST) {
        for (size_t i = 0; i < n; i++)
            report_line(r,
                        "Invalid type for parameter %s[%zu], value: %u, type: "
                        "<class 'int'>, valid types: <class 'str'>",
                        p->name, i, (unsigned char)s[i]);
        return;
    }
    if (r->text.len)
        ecp_pyout_addc(&r->text, '\n');
    ecp_pyout_adds(&r->text, "Invalid type for parameter ");
    ecp_pyout_adds(&r->text, p->name);
    ecp_pyout_adds(&r->text, ", value: ");
    bytes_repr(&r->text, s, n);
    ecp_pyout_adds(&r->text, ", type: <class 'bytes'>, valid types: ");
    ecp_pyout_adds(&r->text, p->type == P_TIMESTAMP
                                 ? "<class 'datetime.datetime'>, "
                                   "timestamp-string"
                                 : "<class 'str'>");
}

/* Whether botocore's parse_to_aware_datetime takes it: a datetime, a
 * number (epoch seconds), or a string it can parse. For strings we accept
 * what the CLI's own --start-time accepts (ISO 8601, epoch seconds);
 * dateutil's looser forms ("Jan 10 2023") are refused here. */
static bool timestamp_ok(const struct cli_input *in, const json_t *v)
{
    const cli_yaml_special *sp = cli_yaml_special_of(&in->stamps, v);
    ec_time t;

    if (sp)
        return sp->iso != NULL; /* a datetime; not a date, bytes, inf */
    if (json_is_integer(v) || json_is_real(v) || json_is_boolean(v))
        return true;
    return json_is_string(v) &&
           ec_time_parse(json_string_value(v), &t, NULL) == 0;
}

/* Whether a value of the file is valid for the parameter; reports it as
 * botocore does when not. */
static bool check_value(report *r, const struct cli_input *in, const param *p,
                        const json_t *v)
{
    char name[128];
    size_t i;
    json_t *item;
    bool ok = true;

    switch (p->type) {
    case P_STRING:
        if (json_is_string(v) && !py_type(in, v))
            return true;
        invalid_type(r, in, p->name, v, "<class 'str'>");
        return false;
    case P_INTEGER:
        /* isinstance(True, int) holds in Python, and botocore would send
         * "True"; the service refuses it, so we refuse it here. */
        if (json_is_integer(v))
            return true;
        invalid_type(r, in, p->name, v, "<class 'int'>");
        return false;
    case P_BOOLEAN:
        if (json_is_boolean(v))
            return true;
        invalid_type(r, in, p->name, v, "<class 'bool'>");
        return false;
    case P_TIMESTAMP:
        if (timestamp_ok(in, v))
            return true;
        invalid_type(r, in, p->name, v,
                     "<class 'datetime.datetime'>, timestamp-string");
        return false;
    case P_STRING_LIST:
        if (!json_is_array(v)) {
            invalid_type(r, in, p->name, v, "<class 'list'>, <class 'tuple'>");
            return false;
        }
        json_array_foreach(v, i, item)
        {
            if (json_is_string(item) && !py_type(in, item))
                continue;
            snprintf(name, sizeof(name), "%s[%zu]", p->name, i);
            invalid_type(r, in, name, item, "<class 'str'>");
            ok = false;
        }
        return ok;
    }
    return false;
}

/* Hand a valid value of the file to the command as if it had been given
 * on the command line. Strings stay owned by the document. */
static int set_from_input(const struct cli_input *in, const param *p,
                          const json_t *v, cli_val *val)
{
    val->seen = true;
    val->from_input = true;
    switch (p->type) {
    case P_STRING:
        val->str = json_string_value(v);
        break;
    case P_INTEGER:
        val->ival = json_integer_value(v);
        break;
    case P_BOOLEAN:
        val->flag = json_is_true(v);
        break;
    case P_TIMESTAMP:
        if (json_is_string(v) && !cli_yaml_special_of(&in->stamps, v)) {
            val->str = json_string_value(v);
        } else {
            const cli_yaml_special *sp = cli_yaml_special_of(&in->stamps, v);
            char text[64];

            if (sp)
                snprintf(text, sizeof(text), "%s", sp->iso);
            else if (json_is_boolean(v))
                snprintf(text, sizeof(text), "%d", json_is_true(v) ? 1 : 0);
            else if (json_is_integer(v))
                snprintf(text, sizeof(text), "%lld",
                         (long long)json_integer_value(v));
            else
                snprintf(text, sizeof(text), "%.17g", json_real_value(v));
            free(val->owned);
            val->owned = strdup(text);
            if (!val->owned)
                return -1;
            val->str = val->owned;
        }
        break;
    case P_STRING_LIST: {
        size_t n = json_array_size(v);

        free(val->list);
        val->list = calloc(n ? n : 1, sizeof(*val->list));
        if (!val->list)
            return -1;
        for (size_t i = 0; i < n; i++)
            val->list[i] = json_string_value(json_array_get(v, i));
        val->count = n;
        break;
    }
    }
    return 0;
}

/* A value given in the file that cannot be handed on as a C string. */
static bool has_nul(const json_t *v)
{
    size_t i;
    json_t *item;

    if (json_is_string(v))
        return strlen(json_string_value(v)) != json_string_length(v);
    json_array_foreach(v, i, item)
    {
        if (has_nul(item))
            return true;
    }
    return false;
}

/* ---- loading --------------------------------------------------------- */

/* json.loads: like jansson's, but a UTF-8 BOM is allowed before bytes
 * (fileb://: json.loads(bytes) detects the encoding) and refused before
 * text ("Unexpected UTF-8 BOM"). */
static json_t *load_json(const char *text, size_t len, bool binary)
{
    json_error_t jerr;

    if (binary && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    return json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
}

/* "A, B, C": the input shape's members, for an unknown one. */
static char *member_names(const operation *op)
{
    ecp_pyout names = {0};

    for (size_t i = 0; i < op->count; i++) {
        if (i)
            ecp_pyout_adds(&names, ", ");
        ecp_pyout_adds(&names, op->params[i].name);
    }
    if (names.failed) {
        ecp_pyout_free(&names);
        return NULL;
    }
    return names.data;
}

static bool given(const cli_command *cmd, const cli_val *opts, const char *opt)
{
    int idx = cli_find_opt(cmd, opt);

    return idx >= 0 && opts[idx].seen;
}

/* The AWS CLI turns pagination off when the file holds the operation's
 * own paging parameters (check_should_enable_pagination_call_parameters),
 * yet still passes --page-size, --max-items and --starting-token on as
 * PaginationConfig, which the operation then refuses. */
static bool pagination_config_refused(const cli_command *cmd,
                                      const cli_val *opts, const json_t *root)
{
    if (cli_find_opt(cmd, "--max-items") < 0)
        return false; /* not a paginated command */
    if (!given(cmd, opts, "--page-size") && !given(cmd, opts, "--max-items") &&
        !given(cmd, opts, "--starting-token"))
        return false;
    return (json_object_get(root, "MaxRecords") &&
            !given(cmd, opts, "--max-records")) ||
           (json_object_get(root, "Marker") && !given(cmd, opts, "--marker"));
}

/* botocore's report on the merged parameters: missing required members,
 * then unknown ones, then wrong types, each in the order of the merged
 * parameters (the command line's, then the file's). Valid values of the
 * file are handed to the command. */
static int check_parameters(const cli_command *cmd, cli_val *opts,
                            struct cli_input *in)
{
    const operation *op = operation_of(cmd);
    char *names = member_names(op);
    report r = {{0}};
    const char *key;
    json_t *value;
    int rc = 0;

    if (!names)
        return nomem();
    for (size_t i = 0; in->root && i < op->count; i++) {
        const param *p = &op->params[i];

        if (!p->required || json_object_get(in->root, p->name) ||
            (p->option && given(cmd, opts, p->option)))
            continue;
        report_line(&r, "Missing required parameter in input: \"%s\"", p->name);
    }
    if (in->root && pagination_config_refused(cmd, opts, in->root))
        report_line(&r,
                    "Unknown parameter in input: \"PaginationConfig\", must "
                    "be one of: %s",
                    names);
    json_object_foreach(in->root, key, value)
    {
        bool known = false;

        for (size_t i = 0; i < op->count; i++)
            known = known || strcmp(op->params[i].name, key) == 0;
        if (!known)
            report_line(&r,
                        "Unknown parameter in input: \"%s\", must be one "
                        "of: %s",
                        key, names);
    }
    /* The command line's values were typed by their options, except what
     * fileb:// read: bytes. */
    for (size_t i = 0; i < op->count; i++) {
        const param *p = &op->params[i];
        int idx = p->option ? cli_find_opt(cmd, p->option) : -1;

        if (idx >= 0 && opts[idx].seen && opts[idx].binary)
            binary_value(&r, p, &opts[idx]);
    }
    json_object_foreach(in->root, key, value)
    {
        for (size_t i = 0; i < op->count; i++) {
            const param *p = &op->params[i];
            int idx = p->option ? cli_find_opt(cmd, p->option) : -1;

            if (strcmp(p->name, key) != 0)
                continue;
            if (idx >= 0 && opts[idx].seen)
                break; /* the command line wins */
            if (!check_value(&r, in, p, value))
                break;
            if (has_nul(value)) {
                rc = param_error("Error parsing parameter '%s': the value of "
                                 "%s holds a NUL character, which "
                                 "ElastiCache never accepts",
                                 in->cli_name, key);
                goto out;
            }
            if (idx >= 0 && set_from_input(in, p, value, &opts[idx]) != 0) {
                rc = nomem();
                goto out;
            }
            break;
        }
    }
    if (r.text.failed) {
        rc = nomem();
        goto out;
    }
    in->report = r.text.data;
    r.text.data = NULL;
out:
    ecp_pyout_free(&r.text);
    free(names);
    return rc;
}

/* Read and parse --cli-input-json/yaml (cliinput.py's order: the paramfile,
 * the parser, then "expecting map"). */
static int load_input(const cli_val *v, bool yaml, struct cli_input *in)
{
    const char *name = yaml ? "cli-input-yaml" : "cli-input-json";
    char *data = NULL, cls[64], msg[256] = "";
    const char *text = v->str;
    size_t len = strlen(v->str), file_len = 0;
    bool binary = false;
    int rc;

    in->cli_name = yaml ? "--cli-input-yaml" : "--cli-input-json";
    rc = cli_paramfile(v->str, in->cli_name, &data, &file_len, &binary);
    if (rc)
        return rc;
    if (data) {
        text = data;
        len = file_len;
    }
    if (yaml)
        in->root =
            cli_yaml_load(text, len, binary, &in->stamps, msg, sizeof(msg));
    else
        in->root = load_json(text, len, binary);
    free(data);
    if (!in->root) {
        if (strcmp(msg, "out of memory") == 0)
            return nomem();
        return param_error("Error parsing parameter '%s': Invalid %s "
                           "received.",
                           name, yaml ? "YAML" : "JSON");
    }
    if (!json_is_object(in->root) || py_type(in, in->root)) {
        class_name(in, in->root, cls, sizeof(cls));
        return param_error("Error parsing parameter '%s': Invalid type: "
                           "expecting map, received %s",
                           in->cli_name, cls);
    }
    return 0;
}

/* ---- skeletons -------------------------------------------------------- */

static int print_input_skeleton(const operation *op, const char *kind)
{
    const cli_skeleton *sk = skeleton_of(op);

    fputs(strcmp(kind, "yaml-input") == 0 ? sk->input_yaml : sk->input_json,
          stdout);
    return CLI_EXIT_OK;
}

/* Only the AWS CLI's own reply has a sample: the safe reboot prints its
 * own document (see reboot-cache-cluster --help). */
static bool safe_reboot_requested(const cli_command *cmd, const cli_val *opts)
{
    static const char *const extensions[] = {
        "--wait",       "--only-if-pending",     "--unless-rebooted-since",
        "--dry-run",    "--wait-timeout",        "--wait-delay",
        "--batch-size", "--allow-primary-reboot"};

    if (strcmp(cmd->name, "reboot-cache-cluster") != 0)
        return false;
    if (!given(cmd, opts, "--cache-node-ids-to-reboot"))
        return true;
    for (size_t i = 0; i < N(extensions); i++)
        if (given(cmd, opts, extensions[i]))
            return true;
    return false;
}

int cli_skeleton_output(const cli_ctx *ctx)
{
    const cli_skeleton *sk = skeleton_of(ctx->input->op);
    json_t *response;

    response = json_loads(sk->output_json, 0, NULL);
    if (!response)
        return nomem();
    ctx->output->skeleton_dates = true;
    return cli_emit(ctx, ctx->input->op->name, response);
}

/* ---- the steps main takes ------------------------------------------- */

bool cli_input_overrides_required(const cli_val *common)
{
    /* OverrideRequiredArgsArgument: the file may bring them, and a
     * skeleton needs none (except the output one, which checks them). */
    return common[C_CLI_INPUT_JSON].seen || common[C_CLI_INPUT_YAML].seen ||
           (common[C_GENERATE_SKELETON].seen &&
            strcmp(common[C_GENERATE_SKELETON].str, "output") != 0);
}

int cli_input_required(const cli_command *cmd, const cli_val *opts,
                       const cli_val *common)
{
    const operation *op = operation_of(cmd);
    ecp_pyout missing = {0};
    int rc = 0;

    if (!op || cli_input_overrides_required(common))
        return 0;
    for (size_t i = 0; i < op->count; i++) {
        const param *p = &op->params[i];

        if (p->cli_required && !given(cmd, opts, p->option)) {
            if (missing.len)
                ecp_pyout_adds(&missing, ", ");
            ecp_pyout_adds(&missing, p->option);
        }
    }
    if (missing.failed)
        rc = nomem();
    else if (missing.len)
        rc = cli_usage_error("the following arguments are required: %s",
                             missing.data);
    ecp_pyout_free(&missing);
    return rc;
}

int cli_input_choices(const cli_val *common)
{
    const cli_val *g = &common[C_GENERATE_SKELETON];
    char *msg;
    int rc;

    if (!g->seen)
        return 0;
    for (size_t i = 0; i < N(skeleton_choices); i++)
        if (strcmp(g->str, skeleton_choices[i]) == 0)
            return 0;
    msg = cli_choice_message(g->str, skeleton_choices, N(skeleton_choices));
    if (!msg)
        return nomem();
    rc = cli_usage_error("argument --generate-cli-skeleton: %s", msg);
    free(msg);
    return rc;
}

int cli_input_prepare(cli_ctx *ctx, const cli_command *cmd, cli_val *opts,
                      bool *done)
{
    const cli_val *common = ctx->common;
    const cli_val *skel = &common[C_GENERATE_SKELETON];
    struct cli_input *in;
    int rc;

    *done = false;
    if (!operation_of(cmd))
        return 0;
    in = calloc(1, sizeof(*in));
    if (!in)
        return nomem();
    in->op = operation_of(cmd);
    ctx->input = in;
    if (common[C_CLI_INPUT_JSON].seen && common[C_CLI_INPUT_YAML].seen)
        return param_error("Only one --cli-input- parameter may be "
                           "specified.");
    if (common[C_CLI_INPUT_JSON].seen || common[C_CLI_INPUT_YAML].seen) {
        rc = load_input(
            &common[common[C_CLI_INPUT_YAML].seen ? C_CLI_INPUT_YAML
                                                  : C_CLI_INPUT_JSON],
            common[C_CLI_INPUT_YAML].seen, in);
        if (rc)
            return rc;
    }
    if (skel->seen && strcmp(skel->str, "output") != 0) {
        *done = true;
        return print_input_skeleton(in->op, skel->str);
    }
    if (skel->seen && safe_reboot_requested(cmd, opts))
        return cli_usage_error(
            "--generate-cli-skeleton output has the sample of "
            "RebootCacheCluster's answer, which only the plain form "
            "(--cache-node-ids-to-reboot and none of the safe reboot's "
            "options) prints; the safe reboot's document is described in "
            "`elasticache reboot-cache-cluster --help`");
    ctx->skeleton_output = skel->seen;
    return check_parameters(cmd, opts, in);
}

int cli_input_check(const cli_ctx *ctx)
{
    if (!ctx->input || !ctx->input->report)
        return 0;
    return param_error("Parameter validation failed:\n%s", ctx->input->report);
}

void cli_input_free(struct cli_input *in)
{
    if (!in)
        return;
    json_decref(in->root);
    cli_yaml_stamps_free(&in->stamps);
    free(in->report);
    free(in);
}
