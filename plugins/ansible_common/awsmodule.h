/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every native amazon.aws-style module of the collection does around
 * its own work: the AWS connection options and amazon.aws's rules for
 * them, one reusable client per set of options, the request's protocol
 * keys (_ansible_*, or check_mode/diff in NDJSON), and fail_json_aws's
 * result shape for a library error.
 */
#ifndef ERB_AWSMODULE_H
#define ERB_AWSMODULE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include <elasticache/elasticache.h>

#include "argspec.h"
#include "awsconfig.h"
#include "nolog.h"

/* amazon.aws's names, aliases and env fallbacks for the AWS options (its
 * deprecated ec2_* aliases are left out, and S3_URL: an S3 endpoint is no
 * ElastiCache endpoint); credentials from the environment are read the way
 * its get_aws_connection_info() does, not as fallbacks. Rows of an
 * erb_argdef table. */
/* One option per row reads better as a table. */
/* clang-format off */
#define ERB_AWS_CONNECTION_ARGDEFS \
    {"region", ERB_STR, false, false, NULL, {"aws_region", NULL}, {"AWS_REGION", "AWS_DEFAULT_REGION", "EC2_REGION", NULL}}, \
    {"profile", ERB_STR, false, false, NULL, {"aws_profile", NULL}, {NULL}}, \
    {"access_key", ERB_STR, false, false, NULL, {"aws_access_key_id", "aws_access_key", NULL}, {NULL}}, \
    {"secret_key", ERB_STR, false, true, NULL, {"aws_secret_access_key", "aws_secret_key", NULL}, {NULL}}, \
    {"session_token", ERB_STR, false, true, NULL, {"aws_session_token", NULL}, {NULL}}, \
    {"endpoint_url", ERB_STR, false, false, NULL, {"aws_endpoint_url", NULL}, {"AWS_URL", "EC2_URL", NULL}}, \
    {"aws_ca_bundle", ERB_PATH, false, false, NULL, {NULL}, {"AWS_CA_BUNDLE", NULL}}, \
    {"validate_certs", ERB_BOOL, false, false, "true", {NULL}, {NULL}}, \
    {"aws_config", ERB_DICT, false, false, NULL, {NULL}, {NULL}}
/* clang-format on */

typedef enum erb_mode {
    ERB_MODE_ANSIBLE, /* _ansible_check_mode, _ansible_diff, ... */
    ERB_MODE_NDJSON   /* check_mode and diff are plain request keys */
} erb_mode;

/* Everything a request asks of the AWS connection. Strings are borrowed
 * from the validated parameters and the environment. */
typedef struct erb_conn {
    const char *region;
    const char *profile;
    const char *endpoint_url;
    const char *access_key;
    const char *secret_key;
    const char *session_token;
    const char *ca_bundle;
    bool validate_certs;
    erb_aws_config aws_config; /* timeouts and retries */
} erb_conn;

/* One client (one connection) kept while the options stay the same. */
typedef struct erb_client_cache {
    ec_client *client;
    char *key; /* holds secrets; wiped when replaced */
} erb_client_cache;

/* getenv() as an erb_getenv_fn. */
const char *erb_process_getenv(void *userdata, const char *name);

/* Add the secret values of the credential environment variables
 * (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and their older names) to
 * `secrets`. -1 on allocation failure. */
int erb_secrets_add_env(erb_secrets *secrets);

/* {"failed": true, "msg": msg}. NULL when memory ran out. */
json_t *erb_failure(const char *msg);

/* A parameter's string value, borrowed; NULL when absent or not a
 * string. */
const char *erb_param_str(const json_t *params, const char *name);

/**
 * Split `request` into module parameters (*params, new) and the protocol's
 * own keys: _ansible_check_mode, _ansible_diff and _ansible_module_name
 * (other _ansible_* keys are ignored), or in NDJSON mode the plain
 * check_mode and diff. `module_name` gets _ansible_module_name or
 * `default_name`. Returns 0, 1 with AnsibleModule's message in `error`
 * for a flag that is not a boolean, -1 when memory ran out.
 */
int erb_split_request(const json_t *request, erb_mode mode,
                      const char *default_name, json_t **params,
                      bool *check_mode, bool *diff, char *module_name,
                      size_t name_size, char *error, size_t error_size);

/**
 * amazon.aws get_aws_connection_info()'s rules over the validated
 * parameters and the environment, and the aws_config option. 0, or -1
 * with the task's failure message in `error`.
 */
int erb_conn_resolve(const json_t *params, erb_conn *c, char *error,
                     size_t error_size);

/**
 * The cached client when `c` asks for the same connection, else a new one
 * (the old one freed). Borrowed: valid until the cache is cleared or
 * asked for another connection. NULL with `err` set on failure.
 */
ec_client *erb_client_cache_get(erb_client_cache *cache, const erb_conn *c,
                                ec_error *err);

/* Free the client and wipe its key. */
void erb_client_cache_clear(erb_client_cache *cache);

/**
 * fail_json_aws's shape for a library error: failed, changed false, msg
 * ("<what>: <formatted error>"), and for a service error `error` (code,
 * message, type) and `response_metadata` (request_id, http_status_code,
 * retry_attempts). NULL when memory ran out.
 */
json_t *erb_fail_json_aws(const char *what, const ec_error *err);

/**
 * Finish a result as AnsibleModule does: add `warnings` (when any) and
 * invocation.module_args (`module_args`), then remove every secret.
 * Takes over `result`; returns the new, scrubbed result, or NULL when
 * memory ran out.
 */
json_t *erb_finish_result(json_t *result, const json_t *warnings,
                          const json_t *module_args,
                          const erb_secrets *secrets);

/* AnsibleModule's own text when the arguments are not JSON. */
#define ERB_BAD_ARGS_MSG                                                       \
    "Error: Module unable to decode valid JSON on stdin.  Unable to figure "   \
    "out what parameters were passed"

/**
 * A binary module's arguments: `arg` names the args file Ansible wrote,
 * or is the JSON text itself (AnsibleModule takes both). Returns the
 * object (new reference), or NULL with the failure message in `msg`.
 */
json_t *erb_read_module_args(const char *arg, char *msg, size_t size);

/* The parameters inside {"ANSIBLE_MODULE_ARGS": {...}}, which is what
 * AnsibleModule reads, or `args` itself: binary modules are given the flat
 * object. Both are accepted. Borrowed. */
const json_t *erb_unwrap_args(const json_t *args);

/* Print one result as a line of compact JSON and flush ({"failed": true,
 * "msg": "out of memory"} for NULL). */
void erb_print_result(const json_t *result);

#endif
