/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `elasticache` CLI: declarations shared by its source files (argument
 * parsing, output and exit codes, one file per command).
 */
#ifndef EC_CLI_H
#define EC_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <elasticache/elasticache.h>

/* AWS CLI v2 return codes
 * (https://docs.aws.amazon.com/cli/latest/topic/return-codes.html). */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_USAGE = 252,   /* bad arguments, unknown option, validation */
    CLI_EXIT_CONFIG = 253,  /* region, profile, credentials */
    CLI_EXIT_SERVICE = 254, /* the service answered with an error */
    CLI_EXIT_OTHER = 255    /* transport, timeouts, waiter failures */
};

typedef enum cli_opt_kind {
    CLI_FLAG,    /* no value; `no_name` is its negative form */
    CLI_STRING,  /* one value */
    CLI_INT,     /* one integer value */
    CLI_SECONDS, /* one non-negative number of seconds */
    CLI_LIST,    /* one or more values, up to the next option */
    CLI_OPTIONAL /* zero or one value (argparse's nargs='?') */
} cli_opt_kind;

typedef struct cli_opt {
    const char *name; /* "--cache-cluster-id" */
    cli_opt_kind kind;
    const char *no_name; /* "--no-show-cache-node-info", or NULL */
} cli_opt;

typedef struct cli_val {
    bool seen;
    bool from_input; /* set from --cli-input-json/yaml, not the line */
    bool flag;       /* CLI_FLAG: true for name, false for no_name */
    const char *str; /* borrowed from argv */
    long long ival;
    double dval;
    const char **list; /* CLI_LIST: owned array of pointers into argv */
    size_t count;
    json_t *list_json; /* CLI_LIST given as JSON: owns list's strings */
    char *owned;       /* a file:// value's contents (owns str), or the
                          text a value from the input file was given as */
    size_t owned_len;
    bool binary; /* owned was read by fileb://: Python's bytes */
} cli_val;

/* Global options, as the AWS CLI's. */
enum {
    G_REGION,
    G_PROFILE,
    G_ENDPOINT_URL,
    G_CA_BUNDLE,
    G_NO_VERIFY_SSL,
    G_CONNECT_TIMEOUT,
    G_READ_TIMEOUT,
    G_DEBUG,
    G_OUTPUT,
    G_NO_PAGINATE,
    G_NO_CLI_PAGER,
    G_QUERY,
    G_COLOR,
    G_HELP,
    G_VERSION,
    G_COUNT
};

extern const cli_opt cli_global_opts[G_COUNT];

/* Options every command has, as the AWS CLI adds them to every operation
 * (input.c). */
enum { C_CLI_INPUT_JSON, C_CLI_INPUT_YAML, C_GENERATE_SKELETON, C_COUNT };

extern const cli_opt cli_common_opts[C_COUNT];

/* --output, resolved and applied by emit.c. */
typedef enum cli_format {
    CLI_FORMAT_JSON,
    CLI_FORMAT_TEXT,
    CLI_FORMAT_TABLE,
    CLI_FORMAT_YAML,
    CLI_FORMAT_YAML_STREAM
} cli_format;

/* The --output choices, in the AWS CLI's order. */
extern const char *const cli_format_names[];
extern const size_t cli_format_count;

typedef struct cli_output {
    bool resolved;      /* cli_output_resolve succeeded */
    cli_format format;  /* once resolved */
    ec_jmespath *query; /* --query, compiled while parsing; NULL: none */
    bool color;         /* table colour: --color on, or auto on a terminal */
    /* An output skeleton: "1970-01-01T00:00:00" strings stand for the
     * datetime objects the AWS CLI's generator puts there. */
    bool skeleton_dates;
} cli_output;

struct cli_input;

/* Everything a command needs: its parsed options (indices into the
 * command's own table), the global ones, and the command's name. */
typedef struct cli_ctx {
    const char *command;   /* "reboot-cache-cluster" */
    const cli_val *opts;   /* the command's options */
    const cli_val *global; /* G_COUNT entries */
    const cli_val *common; /* C_COUNT entries */
    cli_output *output;
    /* --cli-input-json/yaml: what is left to check once a client exists
     * (input.c); NULL when neither was given. */
    struct cli_input *input;
    bool skeleton_output; /* --generate-cli-skeleton output */
    bool silent;          /* the command prints nothing (the waiter) */
} cli_ctx;

typedef struct cli_command {
    const char *name;
    const cli_opt *opts;
    size_t opt_count;
    const char *help;
    int (*run)(const cli_ctx *ctx);
} cli_command;

extern const cli_command cli_cmd_reboot;
extern const cli_command cli_cmd_reboot_group;
extern const cli_command cli_cmd_describe_clusters;
extern const cli_command cli_cmd_describe_events;
extern const cli_command cli_cmd_describe_replication_groups;
extern const cli_command cli_cmd_wait_available;
extern const cli_command cli_cmd_list_tags;

/* Print the AWS-CLI-style usage block and "elasticache: error: MSG" on
 * stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The usage block alone (what precedes every argparse error). */
extern const char cli_usage_text[];

/* argparse's message for a value outside `choices` (awscli's
 * CLIArgParser._check_value: the choices two per line, and the close
 * matches difflib finds), without the "argument X: " prefix. A new
 * string, NULL when out of memory. */
char *cli_choice_message(const char *value, const char *const *choices,
                         size_t count);

/* Make a client from the global options, then do what the AWS CLI does
 * between making its client and sending the request: validate the
 * parameters --cli-input-json/yaml added (252), resolve the output format
 * (255 for an unknown one), and for --generate-cli-skeleton output print
 * the sample response instead. Returns NULL with *exit_code set when the
 * command must stop (printed error, or the skeleton printed: 0). */
ec_client *cli_client_new(const cli_ctx *ctx, int *exit_code);

/* Print an error as the AWS CLI does ("\n<message>\n" on stderr) and return
 * its exit code. */
int cli_report_error(const ec_error *err);

/* A safety refusal (a group's primary, cluster mode enabled): nothing
 * that changes anything was sent and the command must change to go on.
 * Prints "\n<message>\n" on stderr and returns CLI_EXIT_USAGE (252). */
int cli_report_refusal(const ec_error *err);

/* Exit code for an error code. */
int cli_exit_code(ec_errcode code);

/* ---- The replica link check (linkopts.c) ------------------------------ */

/* Its options, contiguous and in this order in a command's table, from
 * CLI_LINK_OPT_DEFS; a command passes a pointer to the first value. */
enum {
    CLI_LINK_VERIFY,
    CLI_LINK_TOKEN_FILE,
    CLI_LINK_TOKEN_ENV,
    CLI_LINK_AUTH_USER,
    CLI_LINK_AUTH,
    CLI_LINK_TLS,
    CLI_LINK_PROBE_TIMEOUT,
    CLI_LINK_PROBE_CA_BUNDLE,
    CLI_LINK_PROBE_NO_VERIFY,
    CLI_LINK_COUNT
};

#define CLI_LINK_OPT_DEFS                                                      \
    {"--verify-replica-link", CLI_FLAG, "--no-verify-replica-link"},           \
        {"--auth-token-file", CLI_STRING, NULL},                               \
        {"--auth-token-env", CLI_STRING, NULL},                                \
        {"--auth-user", CLI_STRING, NULL}, {"--auth", CLI_FLAG, "--no-auth"},  \
        {"--tls", CLI_FLAG, "--no-tls"},                                       \
        {"--probe-timeout", CLI_SECONDS, NULL},                                \
        {"--probe-ca-bundle", CLI_STRING, NULL},                               \
    {                                                                          \
        "--probe-no-verify", CLI_FLAG, NULL                                    \
    }

struct mon_link_verifier;

/* Whether the check is on (the default: not --no-verify-replica-link). */
bool cli_link_verify(const cli_val *lo);
/* Usage errors in the link options (252, printed), or 0. */
int cli_link_check_args(const cli_val *lo);
/* Prepare the check of group `group_id` (only member `only_member` when
 * not NULL): 0, or the exit code with the refusal or error printed. */
int cli_link_prepare(const cli_val *lo, ec_client *client, const char *group_id,
                     const char *only_member, struct mon_link_verifier *v);

/* ---- --cli-input-json/yaml, --generate-cli-skeleton, file:// (input.c) */

/* Index of a command's option by name, -1 when it has none. */
int cli_find_opt(const cli_command *cmd, const char *name);
/* Whether the option is one of the operation's parameters (those take
 * file:// and fileb:// values, as the AWS CLI's do). */
bool cli_is_param_option(const cli_command *cmd, const char *option);
/* awscli's get_paramfile: when `value` starts with file:// or fileb://,
 * the file's contents in *data (a new NUL-terminated buffer of *len bytes;
 * *binary for fileb://); *data NULL when it does not. Returns 0, or an exit
 * code after printing the AWS CLI's "Error parsing parameter" message. */
int cli_paramfile(const char *value, const char *cli_name, char **data,
                  size_t *len, bool *binary);
/* Whether the command line lets required arguments be missing
 * (--cli-input-*, or a skeleton other than output). */
bool cli_input_overrides_required(const cli_val *common);
/* The command line's own required arguments, as argparse checks them. */
int cli_input_required(const cli_command *cmd, const cli_val *opts,
                       const cli_val *common);
/* --generate-cli-skeleton's value against its choices. */
int cli_input_choices(const cli_val *common);
/* After parsing: load --cli-input-json/yaml and merge it into `opts`, or
 * print an input skeleton (*done). Sets ctx->input. Returns an exit code
 * (errors printed). */
int cli_input_prepare(cli_ctx *ctx, const cli_command *cmd, cli_val *opts,
                      bool *done);
/* Once a client exists: botocore's validation of what the file brought
 * (252 with its report). */
int cli_input_check(const cli_ctx *ctx);
/* --generate-cli-skeleton output: the sample response, formatted. */
int cli_skeleton_output(const cli_ctx *ctx);
void cli_input_free(struct cli_input *in);

/* Resolve the output format: --output, AWS_DEFAULT_OUTPUT, the profile's
 * `output` (from `client`, may be NULL), json. 255 with the AWS CLI's
 * "Unknown output type: X" for a value that is no format. */
int cli_output_resolve(cli_output *out, const cli_val *global,
                       const ec_client *client);

/* Print a response as the AWS CLI's formatter for the resolved --output
 * does, after --query (consumes `response`; NULL means out of memory).
 * `title` is the operation's name, the table's title. Returns the exit
 * code: 255 after printing a search or formatting error. */
int cli_emit(const cli_ctx *ctx, const char *title, json_t *response);

/* Whether the format prints every page of a paginated response on its own
 * (text, yaml-stream) rather than the merged result. */
bool cli_emit_by_page(const cli_ctx *ctx);

/* One page of a paginated response, as TextFormatter (only `result_key`)
 * or StreamedYAMLFormatter (the page) prints it, after --query. */
int cli_emit_page(const cli_ctx *ctx, const char *title, json_t *page,
                  const char *result_key);

/* After the pages, with --max-items: the text format's last line(s),
 * {"NextToken": {"NextToken": TOKEN}} after --query. */
int cli_emit_resume_token(const cli_ctx *ctx, const char *token);

/* Paging options shared by the describe commands: --no-paginate (global),
 * --page-size, --max-items, --starting-token. Fails with a usage error as
 * the AWS CLI does. `manual` says the command's own --marker/--max-records
 * were given on the command line, `manual_input` that --cli-input-json/
 * yaml gave them: either turns paging off. */
typedef struct cli_paging {
    bool paginate;
    ec_opt_int page_size;
    ec_opt_int max_items;
    const char *starting_token;
} cli_paging;

int cli_paging_from_args(const cli_ctx *ctx, bool manual, bool manual_input,
                         int page_size_idx, int max_items_idx,
                         int starting_token_idx, cli_paging *out);

/* One page fetcher for the paginator: fetch the page at `marker` (NULL:
 * the input's own) and return its AWS-style JSON (new reference) or NULL
 * with `err` set. */
typedef json_t *(*cli_page_fn)(void *userdata, const char *marker,
                               ec_opt_int page_size, ec_error *err);

/* Called with every page as botocore's PageIterator yields it (the result
 * list cut for --starting-token and --max-items), borrowed. Returns 0, or
 * an exit code (its error printed) to stop. */
typedef int (*cli_page_sink)(void *userdata, json_t *page);

/* botocore's PageIterator at the JSON level, with the AWS CLI's
 * MaxItems/StartingToken tokens. */
typedef struct cli_pages {
    cli_page_fn fetch;
    void *userdata;
    const char *result_key; /* the list paged over: "CacheClusters" */
    const cli_paging *paging;
    cli_page_sink sink; /* NULL: none */
    void *sink_userdata;
    bool merge; /* build the full result (build_full_result) */
    /* Filled by cli_paginate: */
    json_t *result;     /* merged: {"<result_key>": [...], "NextToken"} */
    char *resume_token; /* NextToken when --max-items stopped early */
    int exit_code;      /* a usage or sink error, already printed */
} cli_pages;

/* Run the pages. 0 on success; -1 with either `err` set (a request
 * failed; not printed) or exit_code set (printed). Free with
 * cli_pages_free. */
int cli_paginate(cli_pages *pages, ec_error *err);
void cli_pages_free(cli_pages *pages);

#endif
