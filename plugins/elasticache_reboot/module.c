/*
 * One elasticache_reboot request (see module.h): Ansible's protocol on one
 * side, one ec_reboot() call on the other.
 */
#include "module.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argspec.h"
#include "awsconfig.h"
#include "nolog.h"
#include "pyval.h"

/* amazon.aws's names, aliases and env fallbacks for the AWS options (its
 * deprecated ec2_* aliases are left out, and S3_URL: an S3 endpoint is no
 * ElastiCache endpoint); credentials from the environment are read the way
 * its get_aws_connection_info() does, not as fallbacks. */
/* One option per row reads better as a table. */
/* clang-format off */
static const erb_argdef SPEC[] = {
    /* name, type, required, no_log, default, aliases, env fallbacks */
    {"cluster_id", ERB_STR, false, false, NULL, {"name", "cache_cluster_id", NULL}, {NULL}},
    {"replication_group_id", ERB_STR, false, false, NULL, {NULL}, {NULL}},
    {"node_ids", ERB_LIST, false, false, NULL, {"cache_node_ids_to_reboot", NULL}, {NULL}},
    {"batch_size", ERB_INT, false, false, NULL, {NULL}, {NULL}},
    {"allow_primary_reboot", ERB_BOOL, false, false, "false", {NULL}, {NULL}},
    {"only_if_pending", ERB_BOOL, false, false, "false", {NULL}, {NULL}},
    {"unless_rebooted_since", ERB_STR, false, false, NULL, {NULL}, {NULL}},
    {"wait", ERB_BOOL, false, false, "true", {NULL}, {NULL}},
    {"wait_timeout", ERB_INT, false, false, "900", {NULL}, {NULL}},
    {"wait_delay", ERB_FLOAT, false, false, "15.0", {NULL}, {NULL}},
    {"region", ERB_STR, false, false, NULL, {"aws_region", NULL}, {"AWS_REGION", "AWS_DEFAULT_REGION", "EC2_REGION", NULL}},
    {"profile", ERB_STR, false, false, NULL, {"aws_profile", NULL}, {NULL}},
    {"access_key", ERB_STR, false, false, NULL, {"aws_access_key_id", "aws_access_key", NULL}, {NULL}},
    {"secret_key", ERB_STR, false, true, NULL, {"aws_secret_access_key", "aws_secret_key", NULL}, {NULL}},
    {"session_token", ERB_STR, false, true, NULL, {"aws_session_token", NULL}, {NULL}},
    {"endpoint_url", ERB_STR, false, false, NULL, {"aws_endpoint_url", NULL}, {"AWS_URL", "EC2_URL", NULL}},
    {"aws_ca_bundle", ERB_PATH, false, false, NULL, {NULL}, {"AWS_CA_BUNDLE", NULL}},
    {"validate_certs", ERB_BOOL, false, false, "true", {NULL}, {NULL}},
    {"aws_config", ERB_DICT, false, false, NULL, {NULL}, {NULL}},
};
/* clang-format on */

#define SPEC_COUNT (sizeof(SPEC) / sizeof(SPEC[0]))

/* A cluster or a replication group, never both. */
static const char *const TARGETS[] = {"cluster_id", "replication_group_id",
                                      NULL};
static const erb_argrules RULES = {TARGETS, TARGETS};

/* Environment variables the credentials may come from; their values are
 * secrets wherever they show up. */
static const char *const SECRET_ENV[] = {
    "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY",     "EC2_SECRET_KEY",
    "AWS_SESSION_TOKEN",     "AWS_SECURITY_TOKEN", "EC2_SECURITY_TOKEN",
};

static const char *process_getenv(void *userdata, const char *name)
{
    (void)userdata;
    return getenv(name);
}

/* os.environ.get(name) used as a truth value: unset and "" are alike. */
static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);

    return v && *v ? v : NULL;
}

json_t *erb_failure(const char *msg)
{
    return json_pack("{s:b,s:s}", "failed", 1, "msg", msg);
}

void erb_session_clear(erb_session *session)
{
    if (!session)
        return;
    ec_client_free(session->client);
    ec_free_secret(session->client_key);
    session->client = NULL;
    session->client_key = NULL;
}

/* Everything a request asks of the AWS connection. */
typedef struct conn_params {
    const char *region;
    const char *profile;
    const char *endpoint_url;
    const char *access_key;
    const char *secret_key;
    const char *session_token;
    const char *ca_bundle;
    bool validate_certs;
    erb_aws_config aws_config; /* timeouts and retries */
} conn_params;

static const char *param_str(const json_t *params, const char *name)
{
    const char *s = json_string_value(json_object_get(params, name));

    return s;
}

/* Truthy string parameter (Python's `if not value`). */
static const char *param_nonempty(const json_t *params, const char *name)
{
    const char *s = param_str(params, name);

    return s && *s ? s : NULL;
}

/*
 * amazon.aws get_aws_connection_info()'s option rules, which decide what
 * the module hands boto3 (and here the library): parameters first; the
 * profile from AWS_PROFILE/AWS_DEFAULT_PROFILE only when no credential was
 * given; profile with keys is an error; then each missing key from its
 * variables (amazon.aws's own aliases included). Credentials themselves
 * are the library's business: with no keys it runs botocore's chain
 * (instance roles, web identity, SSO, assumed roles...) over the whole
 * environment, exactly as boto3 would.
 */
static int resolve_connection(const json_t *params, conn_params *c,
                              const char **error)
{
    memset(c, 0, sizeof(*c));
    c->region = param_nonempty(params, "region");
    c->endpoint_url = param_nonempty(params, "endpoint_url");
    c->access_key = param_nonempty(params, "access_key");
    c->secret_key = param_nonempty(params, "secret_key");
    c->session_token = param_nonempty(params, "session_token");
    c->profile = param_nonempty(params, "profile");
    c->validate_certs = json_is_true(json_object_get(params, "validate_certs"));
    if (!c->profile && !c->access_key && !c->secret_key) {
        if (env_nonempty("AWS_PROFILE"))
            c->profile = env_nonempty("AWS_PROFILE");
        if (env_nonempty("AWS_DEFAULT_PROFILE"))
            c->profile = env_nonempty("AWS_DEFAULT_PROFILE");
    }
    if (c->profile && (c->access_key || c->secret_key || c->session_token)) {
        *error = "Passing both a profile and access tokens is not supported.";
        return -1;
    }
    if (!c->access_key) {
        c->access_key = env_nonempty("AWS_ACCESS_KEY_ID");
        if (!c->access_key)
            c->access_key = env_nonempty("AWS_ACCESS_KEY");
        if (!c->access_key)
            c->access_key = env_nonempty("EC2_ACCESS_KEY");
    }
    if (!c->secret_key) {
        c->secret_key = env_nonempty("AWS_SECRET_ACCESS_KEY");
        if (!c->secret_key)
            c->secret_key = env_nonempty("AWS_SECRET_KEY");
        if (!c->secret_key)
            c->secret_key = env_nonempty("EC2_SECRET_KEY");
    }
    if (!c->session_token) {
        c->session_token = env_nonempty("AWS_SESSION_TOKEN");
        if (!c->session_token)
            c->session_token = env_nonempty("AWS_SECURITY_TOKEN");
        if (!c->session_token)
            c->session_token = env_nonempty("EC2_SECURITY_TOKEN");
    }
    if (c->profile) {
        /* The profile's own credentials, as botocore does. */
        c->access_key = NULL;
        c->secret_key = NULL;
        c->session_token = NULL;
    }
    if (c->validate_certs)
        c->ca_bundle = param_nonempty(params, "aws_ca_bundle");
    return 0;
}

static char *connection_key(const conn_params *c)
{
    char aws_config[128];
    const char *parts[] = {c->region,       c->profile,
                           c->endpoint_url, c->access_key,
                           c->secret_key,   c->session_token,
                           c->ca_bundle,    c->validate_certs ? "1" : "0",
                           aws_config,      c->aws_config.user_agent_extra};
    size_t i, len = 0, n = sizeof(parts) / sizeof(parts[0]);
    char *key, *p;

    snprintf(aws_config, sizeof(aws_config), "%a %a %d %s",
             c->aws_config.connect_timeout, c->aws_config.read_timeout,
             c->aws_config.max_attempts, c->aws_config.retry_mode);
    for (i = 0; i < n; i++)
        len += (parts[i] ? strlen(parts[i]) : 1) + 1;
    key = malloc(len + 1);
    if (!key)
        return NULL;
    p = key;
    for (i = 0; i < n; i++) {
        /* \x01 marks "absent" so that "" and NULL differ. */
        const char *s = parts[i] ? parts[i] : "\x01";
        size_t l = strlen(s);

        memcpy(p, s, l);
        p += l;
        *p++ = '\x02';
    }
    *p = '\0';
    return key;
}

static ec_client *session_client(erb_session *s, const conn_params *c,
                                 ec_error *err)
{
    ec_config config = EC_CONFIG_INIT;
    char *key = connection_key(c);

    if (!key) {
        err->code = EC_ERR_NOMEM;
        snprintf(err->message, sizeof(err->message), "out of memory");
        return NULL;
    }
    if (s->client && s->client_key && strcmp(key, s->client_key) == 0) {
        ec_free_secret(key);
        return s->client;
    }
    erb_session_clear(s);
    config.region = c->region;
    config.profile = c->profile;
    config.endpoint_url = c->endpoint_url;
    config.ca_bundle = c->ca_bundle;
    config.no_verify_ssl = !c->validate_certs;
    config.connect_timeout = c->aws_config.connect_timeout;
    config.read_timeout = c->aws_config.read_timeout;
    config.max_attempts = c->aws_config.max_attempts;
    config.retry_mode =
        c->aws_config.retry_mode[0] ? c->aws_config.retry_mode : NULL;
    config.access_key_id = c->access_key;
    config.secret_access_key = c->secret_key;
    config.session_token = c->session_token;
    /* amazon.aws chose the profile above (AWS_PROFILE only when no key
     * was given); everything else in the environment is the library's,
     * one chain for every tool. */
    config.no_profile_env = true;
    config.user_agent_extra = c->aws_config.user_agent_extra;
    s->client = ec_client_new(&config, err);
    if (!s->client) {
        ec_free_secret(key);
        return NULL;
    }
    s->client_key = key;
    return s->client;
}

static json_t *strlist_json(const ec_strlist *l)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < l->count; i++) {
        if (json_array_append_new(a, json_string(l->items[i]))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static void progress_cb(void *userdata, const ec_progress *p)
{
    const char *id = userdata;

    if (p->phase == EC_PROGRESS_WAITING || p->phase == EC_PROGRESS_DONE ||
        p->phase == EC_PROGRESS_REBOOT_SENT || p->phase == EC_PROGRESS_STEP)
        fprintf(stderr, "elasticache_reboot: %s: %s (%.0fs)\n", id,
                p->message ? p->message : "", p->elapsed);
}

/* fail_json_aws's shape for a library error. `r` is NULL when the call
 * was refused before anything was done. */
static json_t *error_result(const ec_error *err, const ec_reboot_result *r)
{
    char text[EC_ERROR_TEXT_LENGTH + 512], msg[EC_ERROR_TEXT_LENGTH + 600];
    bool changed = r && r->changed;
    json_t *out;

    ec_error_format(err, text, sizeof(text));
    snprintf(msg, sizeof(msg), "Failed to reboot cache cluster: %s", text);
    out =
        json_pack("{s:b,s:b,s:s}", "failed", 1, "changed", changed, "msg", msg);
    if (!out)
        return NULL;
    /* Only nodes really rebooted (e.g. before a wait timed out); a plan the
     * service rejected rebooted nothing. */
    if (changed && r->rebooted_node_ids.count)
        json_object_set_new(out, "rebooted_node_ids",
                            strlist_json(&r->rebooted_node_ids));
    if (err->code == EC_ERR_SERVICE) {
        json_object_set_new(out, "error",
                            json_pack("{s:s,s:s,s:s?}", "code", err->aws_code,
                                      "message", err->message, "type",
                                      err->aws_type[0] ? err->aws_type : NULL));
        json_object_set_new(
            out, "response_metadata",
            json_pack("{s:s?,s:i,s:i}", "request_id",
                      err->request_id[0] ? err->request_id : NULL,
                      "http_status_code", err->http_status, "retry_attempts",
                      err->attempts > 0 ? err->attempts - 1 : 0));
    }
    return out;
}

/* The same for a replication group's run: what was done (the steps, the
 * members rebooted) is returned with the failure, so that nobody does it
 * again; a failure after the primary moved names the new primary. */
static json_t *group_error_result(const ec_error *err,
                                  const ec_group_reboot_result *r)
{
    char text[EC_ERROR_TEXT_LENGTH + 512], msg[EC_ERROR_TEXT_LENGTH + 600];
    bool changed = r && r->changed;
    json_t *out;

    ec_error_format(err, text, sizeof(text));
    snprintf(msg, sizeof(msg), "Failed to reboot replication group: %s", text);
    out =
        json_pack("{s:b,s:b,s:s}", "failed", 1, "changed", changed, "msg", msg);
    if (!out)
        return NULL;
    if (r && r->steps.count &&
        json_object_set_new(out, "steps",
                            ec_reboot_steps_to_json(&r->steps, EC_JSON_SNAKE)))
        goto fail;
    if (changed &&
        (json_object_set_new(out, "rebooted_member_ids",
                             strlist_json(&r->rebooted_member_ids)) ||
         json_object_set_new(out, "primary_after",
                             r->primary_after ? json_string(r->primary_after)
                                              : json_null())))
        goto fail;
    if (err->code == EC_ERR_SERVICE) {
        json_object_set_new(out, "error",
                            json_pack("{s:s,s:s,s:s?}", "code", err->aws_code,
                                      "message", err->message, "type",
                                      err->aws_type[0] ? err->aws_type : NULL));
        json_object_set_new(
            out, "response_metadata",
            json_pack("{s:s?,s:i,s:i}", "request_id",
                      err->request_id[0] ? err->request_id : NULL,
                      "http_status_code", err->http_status, "retry_attempts",
                      err->attempts > 0 ? err->attempts - 1 : 0));
    }
    return out;
fail:
    json_decref(out);
    return NULL;
}

/* A replication group's rolling reboot (replication_group_id). */
static json_t *run_group(erb_session *session, ec_client *client,
                         const json_t *params, bool check_mode, bool diff,
                         bool *failed)
{
    ec_group_reboot_options opts = EC_GROUP_REBOOT_OPTIONS_INIT;
    ec_group_reboot_result *r = NULL;
    const char *since = param_str(params, "unless_rebooted_since");
    char error[1024];
    ec_error err;
    json_t *result;

    ec_error_clear(&err);
    opts.replication_group_id = param_str(params, "replication_group_id");
    opts.only_if_pending =
        json_is_true(json_object_get(params, "only_if_pending"));
    opts.allow_primary_reboot =
        json_is_true(json_object_get(params, "allow_primary_reboot"));
    opts.check_mode = check_mode;
    opts.wait = json_is_true(json_object_get(params, "wait"));
    opts.wait_timeout =
        (double)json_integer_value(json_object_get(params, "wait_timeout"));
    opts.wait_delay = json_real_value(json_object_get(params, "wait_delay"));
    if (session->progress) {
        opts.progress = progress_cb;
        opts.progress_userdata = (void *)opts.replication_group_id;
    }
    if (since && ec_time_parse_since(since, ec_client_now(client),
                                     &opts.unless_rebooted_since, &err) < 0) {
        snprintf(error, sizeof(error), "unless_rebooted_since: %s",
                 err.message);
        return erb_failure(error);
    }
    if (ec_reboot_replication_group(client, &opts, &r, &err) < 0) {
        if (err.code == EC_ERR_TRANSPORT || err.code == EC_ERR_TIMEOUT)
            erb_session_clear(session);
        result = group_error_result(&err, r);
        ec_group_reboot_result_free(r);
        return result;
    }
    result = ec_group_reboot_result_to_ansible_json(r, diff);
    if (result && r->decision == EC_DECIDE_BUSY) {
        /* As a cluster's: asked for, not done because the group is busy. */
        if (json_object_set_new(result, "failed", json_true()) != 0) {
            json_decref(result);
            result = NULL;
        }
    } else if (result) {
        *failed = false;
    }
    ec_group_reboot_result_free(r);
    return result;
}

/* Split the request into module parameters and the protocol's own keys. */
static int split_request(const json_t *request, erb_mode mode, json_t **params,
                         bool *check_mode, bool *diff, char *module_name,
                         size_t name_size, char *error, size_t error_size)
{
    const char *key;
    json_t *value;
    char why[512];
    int b;

    *params = json_object();
    if (!*params)
        return -1;
    snprintf(module_name, name_size, "%s", ERB_MODULE_NAME);
    json_object_foreach((json_t *)request, key, value)
    {
        const char *flag = NULL;

        if (strncmp(key, "_ansible_", 9) == 0) {
            flag = key + 9;
        } else if (mode == ERB_MODE_NDJSON && (strcmp(key, "check_mode") == 0 ||
                                               strcmp(key, "diff") == 0)) {
            flag = key;
        } else {
            if (json_object_set(*params, key, value))
                return -1;
            continue;
        }
        if (strcmp(flag, "module_name") == 0 && json_is_string(value) &&
            json_string_length(value) > 0) {
            snprintf(module_name, name_size, "%s", json_string_value(value));
            continue;
        }
        if (strcmp(flag, "check_mode") != 0 && strcmp(flag, "diff") != 0)
            continue; /* other _ansible_* keys mean nothing here */
        b = erb_check_bool(value, why, sizeof(why));
        if (b < 0) {
            snprintf(error, error_size,
                     "argument '%s' is of type %s and we were unable to "
                     "convert to bool: %s",
                     key, erb_py_type(value), why);
            return 1;
        }
        if (strcmp(flag, "check_mode") == 0)
            *check_mode = b;
        else
            *diff = b;
    }
    return 0;
}

json_t *erb_run_request(erb_session *session, const json_t *request,
                        erb_mode mode, bool *failed)
{
    erb_secrets secrets = {0};
    erb_validation v = {0};
    json_t *params = NULL, *result = NULL, *clean = NULL, *node_ids, *batch;
    ec_reboot_options opts = EC_REBOOT_OPTIONS_INIT;
    ec_reboot_policy policy = EC_REBOOT_POLICY_INIT;
    ec_reboot_result *r = NULL;
    ec_error err;
    conn_params conn;
    ec_client *client;
    const char **nodes = NULL;
    const char *conn_error = NULL, *since, *group_id;
    char module_name[128], error[1024];
    bool check_mode = false, diff = false, wait;
    size_t i;
    int rc;

    opts.policy = &policy;
    ec_error_clear(&err);
    *failed = true;

    for (i = 0; i < sizeof(SECRET_ENV) / sizeof(SECRET_ENV[0]); i++) {
        if (erb_secrets_add(&secrets, getenv(SECRET_ENV[i])) < 0)
            goto out;
    }
    rc = split_request(request, mode, &params, &check_mode, &diff, module_name,
                       sizeof(module_name), error, sizeof(error));
    if (rc < 0)
        goto out;
    if (rc > 0) {
        result = erb_failure(error);
        goto finish;
    }
    if (erb_argspec_validate(SPEC, SPEC_COUNT, &RULES, params, module_name,
                             process_getenv, NULL, &secrets, &v) < 0)
        goto out;
    if (v.error) {
        result = erb_failure(v.error);
        goto finish;
    }
    if (resolve_connection(v.params, &conn, &conn_error) < 0) {
        result = erb_failure(conn_error);
        goto finish;
    }
    if (erb_aws_config_parse(json_object_get(v.params, "aws_config"),
                             &conn.aws_config, error, sizeof(error)) < 0) {
        result = erb_failure(error);
        goto finish;
    }

    group_id = param_str(v.params, "replication_group_id");
    batch = json_object_get(v.params, "batch_size");
    if (json_is_integer(batch) &&
        (json_integer_value(batch) < 1 || json_integer_value(batch) > 1000)) {
        result = erb_failure("batch_size must be from 1 to 1000 (nodes per "
                             "reboot call)");
        goto finish;
    }
    if (group_id) {
        /* A group's members are clusters rebooted whole, one at a time. */
        if (json_is_array(json_object_get(v.params, "node_ids"))) {
            result = erb_failure("node_ids apply to cluster_id: a "
                                 "replication group's members are rebooted "
                                 "whole, one at a time");
            goto finish;
        }
        if (json_is_integer(batch)) {
            result = erb_failure("batch_size applies to cluster_id: a "
                                 "replication group's members are rebooted "
                                 "one at a time");
            goto finish;
        }
    }
    opts.cache_cluster_id = param_str(v.params, "cluster_id");
    if (!opts.cache_cluster_id && !group_id) {
        /* Given as null (after the defaults both keys are there). */
        result = erb_failure(json_object_get(params, "replication_group_id")
                                 ? "replication_group_id must be a "
                                   "replication group id, not null"
                                 : "cluster_id must be a cache cluster id, "
                                   "not null");
        goto finish;
    }
    opts.batch_size =
        json_is_integer(batch) ? (uint32_t)json_integer_value(batch) : 0;
    opts.allow_primary_reboot =
        json_is_true(json_object_get(v.params, "allow_primary_reboot"));
    node_ids = json_object_get(v.params, "node_ids");
    /* Given is given: node_ids: [] (a computed list that came out empty)
     * means no node, never every node (issue 8, item 1). */
    policy.node_ids_set = json_is_array(node_ids);
    if (json_array_size(node_ids) > 0) {
        nodes = calloc(json_array_size(node_ids), sizeof(*nodes));
        if (!nodes)
            goto out;
        for (i = 0; i < json_array_size(node_ids); i++)
            nodes[i] = json_string_value(json_array_get(node_ids, i));
        policy.node_ids = nodes;
        policy.node_count = json_array_size(node_ids);
    }
    policy.only_if_pending =
        json_is_true(json_object_get(v.params, "only_if_pending"));
    since = param_str(v.params, "unless_rebooted_since");
    wait = json_is_true(json_object_get(v.params, "wait"));
    opts.check_mode = check_mode;
    opts.wait = wait;
    opts.wait_timeout =
        (double)json_integer_value(json_object_get(v.params, "wait_timeout"));
    opts.wait_delay = json_real_value(json_object_get(v.params, "wait_delay"));
    if (wait && opts.wait_timeout <= 0) {
        result = erb_failure("wait_timeout must be a positive number of "
                             "seconds");
        goto finish;
    }
    if (wait && opts.wait_delay <= 0) {
        result = erb_failure("wait_delay must be a positive number of "
                             "seconds");
        goto finish;
    }
    if (session->progress) {
        opts.progress = progress_cb;
        opts.progress_userdata = (void *)opts.cache_cluster_id;
    }

    client = session_client(session, &conn, &err);
    if (!client) {
        result = erb_failure(err.message);
        goto finish;
    }
    if (group_id) {
        result = run_group(session, client, v.params, check_mode, diff, failed);
        goto finish;
    }
    /* A relative time ("30m") counts back from the client's clock. */
    if (since && ec_time_parse_since(since, ec_client_now(client),
                                     &policy.unless_rebooted_since, &err) < 0) {
        snprintf(error, sizeof(error), "unless_rebooted_since: %s",
                 err.message);
        result = erb_failure(error);
        goto finish;
    }
    if (ec_reboot(client, &opts, &r, &err) < 0) {
        /* A client that failed mid-request is not trusted again. */
        if (err.code == EC_ERR_TRANSPORT || err.code == EC_ERR_TIMEOUT)
            erb_session_clear(session);
        result = error_result(&err, r);
        goto finish;
    }
    result = ec_reboot_result_to_ansible_json(r, diff);
    if (result && r->decision == EC_DECIDE_BUSY) {
        /* A requested reboot that did not happen because the cluster is
         * busy is a failure (issue 8, item 6); the message names the state
         * and says to use wait. Check mode predicts the same failure. */
        if (json_object_set_new(result, "failed", json_true()) != 0) {
            json_decref(result);
            result = NULL;
        }
    } else if (result) {
        *failed = false;
    }

finish:
    if (!result)
        goto out;
    if (json_array_size(v.warnings) > 0)
        json_object_set(result, "warnings", v.warnings);
    /* AnsibleModule returns the parameters it ran with, scrubbed below. */
    if (json_object_set_new(
            result, "invocation",
            json_pack("{s:O}", "module_args", v.params ? v.params : params))) {
        json_decref(result);
        result = NULL;
        goto out;
    }
    clean = erb_remove_values(result, &secrets);
out:
    json_decref(result);
    json_decref(params);
    erb_validation_clear(&v);
    ec_reboot_result_free(r);
    erb_secrets_clear(&secrets);
    free(nodes);
    return clean;
}
