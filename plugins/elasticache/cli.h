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
    CLI_LIST     /* one or more values, up to the next option */
} cli_opt_kind;

typedef struct cli_opt {
    const char *name; /* "--cache-cluster-id" */
    cli_opt_kind kind;
    const char *no_name; /* "--no-show-cache-node-info", or NULL */
} cli_opt;

typedef struct cli_val {
    bool seen;
    bool flag;       /* CLI_FLAG: true for name, false for no_name */
    const char *str; /* borrowed from argv */
    long long ival;
    double dval;
    const char **list; /* CLI_LIST: owned array of pointers into argv */
    size_t count;
    json_t *list_json; /* CLI_LIST given as JSON: owns list's strings */
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

/* Everything a command needs: its parsed options (indices into the
 * command's own table), the global ones, and the command's name. */
typedef struct cli_ctx {
    const char *command;   /* "reboot-cache-cluster" */
    const cli_val *opts;   /* the command's options */
    const cli_val *global; /* G_COUNT entries */
} cli_ctx;

typedef struct cli_command {
    const char *name;
    const cli_opt *opts;
    size_t opt_count;
    const char *help;
    int (*run)(const cli_ctx *ctx);
} cli_command;

extern const cli_command cli_cmd_reboot;
extern const cli_command cli_cmd_describe_clusters;
extern const cli_command cli_cmd_describe_events;
extern const cli_command cli_cmd_describe_replication_groups;
extern const cli_command cli_cmd_wait_available;

/* Print the AWS-CLI-style usage block and "elasticache: error: MSG" on
 * stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Make a client from the global options. On failure prints the error and
 * stores the exit code in *exit_code. */
ec_client *cli_client_new(const cli_ctx *ctx, int *exit_code);

/* Print an error as the AWS CLI does ("\n<message>\n" on stderr) and return
 * its exit code. */
int cli_report_error(const ec_error *err);

/* Exit code for an error code. */
int cli_exit_code(ec_errcode code);

/* Print a JSON value on stdout as `aws --output json` does (consumes the
 * reference). Returns an exit code. */
int cli_print_json(json_t *json);

/* Paging options shared by the describe commands: --no-paginate (global),
 * --page-size, --max-items, --starting-token. Fails with a usage error as
 * the AWS CLI does. `manual` says the command's own --marker/--max-records
 * were given (they turn paging off). */
typedef struct cli_paging {
    bool paginate;
    ec_opt_int page_size;
    ec_opt_int max_items;
    const char *starting_token;
} cli_paging;

int cli_paging_from_args(const cli_ctx *ctx, bool manual, int page_size_idx,
                         int max_items_idx, int starting_token_idx,
                         cli_paging *out);

/* One page fetcher for the JSON-level paginator (--max-items and
 * --starting-token): fetch the page at `marker` (NULL: first) and return
 * its AWS-style JSON (new reference) or NULL with `err` set. */
typedef json_t *(*cli_page_fn)(void *userdata, const char *marker,
                               ec_opt_int page_size, ec_error *err);

/* botocore's PageIterator with MaxItems/StartingToken, at the JSON level:
 * returns the full result {"<result_key>": [...], "NextToken": "..."}. */
json_t *cli_paginate(cli_page_fn fetch, void *userdata, const char *result_key,
                     const cli_paging *paging, ec_error *err, int *usage);

#endif
