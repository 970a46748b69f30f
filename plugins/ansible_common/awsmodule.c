/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AWS side shared by the collection's native modules (see awsmodule.h).
 */
#include "awsmodule.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pyval.h"

/* Environment variables the credentials may come from; their values are
 * secrets wherever they show up. */
static const char *const SECRET_ENV[] = {
    "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY",     "EC2_SECRET_KEY",
    "AWS_SESSION_TOKEN",     "AWS_SECURITY_TOKEN", "EC2_SECURITY_TOKEN",
};

const char *erb_process_getenv(void *userdata, const char *name)
{
    (void)userdata;
    return getenv(name);
}

int erb_secrets_add_env(erb_secrets *secrets)
{
    size_t i;

    for (i = 0; i < sizeof(SECRET_ENV) / sizeof(SECRET_ENV[0]); i++) {
        if (erb_secrets_add(secrets, getenv(SECRET_ENV[i])) < 0)
            return -1;
    }
    return 0;
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

const char *erb_param_str(const json_t *params, const char *name)
{
    return json_string_value(json_object_get(params, name));
}

/* Truthy string parameter (Python's `if not value`). */
static const char *param_nonempty(const json_t *params, const char *name)
{
    const char *s = erb_param_str(params, name);

    return s && *s ? s : NULL;
}

int erb_split_request(const json_t *request, erb_mode mode,
                      const char *default_name, json_t **params,
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
    snprintf(module_name, name_size, "%s", default_name);
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
int erb_conn_resolve(const json_t *params, erb_conn *c, char *error,
                     size_t error_size)
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
        snprintf(error, error_size, "%s",
                 "Passing both a profile and access tokens is not supported.");
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
    return erb_aws_config_parse(json_object_get(params, "aws_config"),
                                &c->aws_config, error, error_size);
}

static char *connection_key(const erb_conn *c)
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

void erb_client_cache_clear(erb_client_cache *cache)
{
    if (!cache)
        return;
    ec_client_free(cache->client);
    ec_free_secret(cache->key);
    cache->client = NULL;
    cache->key = NULL;
}

ec_client *erb_client_cache_get(erb_client_cache *cache, const erb_conn *c,
                                ec_error *err)
{
    ec_config config = EC_CONFIG_INIT;
    char *key = connection_key(c);

    if (!key) {
        err->code = EC_ERR_NOMEM;
        snprintf(err->message, sizeof(err->message), "out of memory");
        return NULL;
    }
    if (cache->client && cache->key && strcmp(key, cache->key) == 0) {
        ec_free_secret(key);
        return cache->client;
    }
    erb_client_cache_clear(cache);
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
    cache->client = ec_client_new(&config, err);
    if (!cache->client) {
        ec_free_secret(key);
        return NULL;
    }
    cache->key = key;
    return cache->client;
}

json_t *erb_fail_json_aws(const char *what, const ec_error *err)
{
    char text[EC_ERROR_TEXT_LENGTH + 512], msg[EC_ERROR_TEXT_LENGTH + 600];
    json_t *out;

    ec_error_format(err, text, sizeof(text));
    snprintf(msg, sizeof(msg), "%s: %s", what, text);
    out = json_pack("{s:b,s:b,s:s}", "failed", 1, "changed", 0, "msg", msg);
    if (!out || err->code != EC_ERR_SERVICE)
        return out;
    if (json_object_set_new(
            out, "error",
            json_pack("{s:s,s:s,s:s?}", "code", err->aws_code, "message",
                      err->message, "type",
                      err->aws_type[0] ? err->aws_type : NULL)) ||
        json_object_set_new(
            out, "response_metadata",
            json_pack("{s:s?,s:i,s:i}", "request_id",
                      err->request_id[0] ? err->request_id : NULL,
                      "http_status_code", err->http_status, "retry_attempts",
                      err->attempts > 0 ? err->attempts - 1 : 0))) {
        json_decref(out);
        return NULL;
    }
    return out;
}

json_t *erb_finish_result(json_t *result, const json_t *warnings,
                          const json_t *module_args, const erb_secrets *secrets)
{
    json_t *clean;

    if (!result)
        return NULL;
    if (json_array_size(warnings) > 0 &&
        json_object_set(result, "warnings", (json_t *)warnings)) {
        json_decref(result);
        return NULL;
    }
    /* AnsibleModule returns the parameters it ran with, scrubbed below. */
    if (json_object_set_new(result, "invocation",
                            json_pack("{s:O}", "module_args", module_args))) {
        json_decref(result);
        return NULL;
    }
    clean = erb_remove_values(result, secrets);
    json_decref(result);
    return clean;
}

json_t *erb_read_module_args(const char *arg, char *msg, size_t size)
{
    json_t *args;
    json_error_t jerr;
    struct stat st;

    if (stat(arg, &st) == 0) {
        FILE *f = fopen(arg, "rb");

        if (!f) {
            snprintf(msg, size, "Error: cannot read %s: %s", arg,
                     strerror(errno));
            return NULL;
        }
        args = json_loadf(f, 0, &jerr);
        fclose(f);
    } else {
        /* AnsibleModule also takes the JSON itself as the argument. */
        args = json_loads(arg, 0, &jerr);
    }
    if (!json_is_object(args)) {
        json_decref(args);
        snprintf(msg, size, "%s", ERB_BAD_ARGS_MSG);
        return NULL;
    }
    return args;
}

const json_t *erb_unwrap_args(const json_t *args)
{
    const json_t *inner = json_object_get(args, "ANSIBLE_MODULE_ARGS");

    return json_is_object(inner) ? inner : args;
}

void erb_print_result(const json_t *result)
{
    char *text = result ? json_dumps(result, JSON_COMPACT) : NULL;

    if (text) {
        fputs(text, stdout);
        fputc('\n', stdout);
        free(text);
    } else {
        fputs("{\"failed\":true,\"msg\":\"out of memory\"}\n", stdout);
    }
    fflush(stdout);
}
