/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iam-role: EC2 instance profile credentials from the instance metadata
 * service, as botocore's InstanceMetadataFetcher gets them: an IMDSv2
 * token (PUT with a TTL), the role name, then the credentials, each with
 * the token header; IMDSv1 (no token) only where botocore falls back (the
 * token request answered 403/404/405, timed out, or failed every attempt).
 * 1 s timeout and 1 attempt unless configured. The same service gives the
 * region when nothing else does.
 */
#include "providers.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <openssl/rand.h>

#define NAME "iam-role"
#define TOKEN_PATH "latest/api/token"
#define TOKEN_TTL "21600"
#define ROLE_PATH "latest/meta-data/iam/security-credentials/"
#define AZ_PATH "latest/meta-data/placement/availability-zone/"
#define IPV4_URL "http://169.254.169.254/"
#define IPV6_URL "http://[fd00:ec2::254]/"

typedef struct imds_config {
    char *base;
    double timeout;
    int attempts;
    ecp_proxy proxy;
} imds_config;

typedef struct imds_state {
    imds_config cfg;
    char *tried; /* the chain's list before iam-role, for the message */
} imds_state;

static void config_free(imds_config *c)
{
    free(c->base);
    ecp_proxy_free(&c->proxy);
    memset(c, 0, sizeof(*c));
}

static void imds_destroy(void *p)
{
    imds_state *s = p;

    if (!s)
        return;
    config_free(&s->cfg);
    free(s->tried);
    free(s);
}

int ecp_imds_base_url(const char *endpoint, const char *mode, bool use_ipv6,
                      const char **out, ec_error *err)
{
    *out = NULL;
    if (mode && strcasecmp(mode, "ipv4") != 0 && strcasecmp(mode, "ipv6") != 0)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             NAME ": Invalid value \"%s\" for "
                                  "ec2_metadata_service_endpoint_mode: it "
                                  "must be ipv4 or ipv6",
                             mode);
    if (endpoint) {
        const char *host = NULL;

        if (strncasecmp(endpoint, "http://", 7) == 0)
            host = endpoint + 7;
        else if (strncasecmp(endpoint, "https://", 8) == 0)
            host = endpoint + 8;
        if (!host || !host[0] || host[0] == '/')
            return ecp_error_set(err, EC_ERR_CONFIG,
                                 NAME ": Invalid endpoint EC2 Instance "
                                      "Metadata endpoint: %s",
                                 endpoint);
        *out = endpoint;
        return 0;
    }
    if (mode ? strcasecmp(mode, "ipv6") == 0 : use_ipv6)
        *out = IPV6_URL;
    else
        *out = IPV4_URL;
    return 0;
}

int ecp_imds_url(const char *base, const char *path, char **out, ec_error *err)
{
    ecp_buf b = {0};
    size_t n = strlen(base);

    /* botocore's _construct_url: one '/' added when the base has none. */
    if (ecp_buf_append_str(&b, base) != 0 ||
        (n == 0 || base[n - 1] != '/' ? ecp_buf_append_str(&b, "/") : 0) != 0 ||
        ecp_buf_append_str(&b, path) != 0) {
        ecp_buf_free(&b);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    *out = ecp_buf_steal(&b);
    return *out ? 0 : ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
}

int ecp_imds_parse(const char *json, size_t len, ecp_credentials *out,
                   char *why, size_t why_size, ec_error *err)
{
    static const char *const fields[] = {"AccessKeyId", "SecretAccessKey",
                                         "Token", "Expiration"};
    json_error_t jerr;
    json_t *doc = json_loadb(json, len, 0, &jerr);
    const char *v[4] = {NULL, NULL, NULL, NULL};
    size_t i;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (!json_is_object(doc)) {
        snprintf(why, why_size, "the credentials are not a JSON object");
        goto out;
    }
    for (i = 0; i < 4; i++) {
        v[i] = json_string_value(json_object_get(doc, fields[i]));
        if (!v[i] || !v[i][0]) {
            const char *code = json_string_value(json_object_get(doc, "Code"));

            /* IMDS answers 200 with {"Code", "Message"} when EC2 cannot
             * assume the role: botocore then has no credentials. */
            if (code && strcmp(code, "Success") != 0)
                snprintf(why, why_size,
                         "the instance metadata service said "
                         "%.60s",
                         code);
            else
                snprintf(why, why_size, "the credentials have no %s",
                         fields[i]);
            goto out;
        }
    }
    rc = ecp_credentials_set(out, NAME, v[0], v[1], v[2], "AccessKeyId",
                             "SecretAccessKey", err);
    if (rc < 0)
        goto out;
    if (ecp_parse_expiration(v[3], &out->expiration) != 0) {
        /* botocore keeps the credentials without a usable expiry. */
        out->expires = false;
    } else {
        out->expires = true;
    }
    rc = 1;
out:
    ecp_json_decref_wiped(doc);
    return rc;
}

bool ecp_imds_extend(ecp_credentials *c, ec_time now, int jitter_seconds)
{
    double window = ECP_ADVISORY_REFRESH_SECONDS + jitter_seconds;

    if (!c->expires || ec_time_diff(c->expiration, now) > window)
        return false;
    c->expiration.sec = now.sec + (int64_t)window;
    c->expiration.usec = 0;
    c->expiration.offset_min = 0;
    c->expiration.set = true;
    return true;
}

/* ------------------------------------------------------------------ */
/* Settings                                                            */
/* ------------------------------------------------------------------ */

/* A setting: the variable, else the session profile's key. */
static const char *setting(const ec_config *cfg, const ecp_settings *s,
                           const char *env, const char *key)
{
    const char *v = ecp_getenv(cfg ? cfg->environ : NULL, env);

    if (v && v[0])
        return v;
    v = ecp_settings_profile_get(s, key);
    return v && v[0] ? v : NULL;
}

static int number(const char *text, const char *name, bool integer, double *out,
                  ec_error *err)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(text, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (errno || end == text || *end || !(v > 0) || v > 3600 ||
        (integer && v != (double)(long)v))
        return ecp_error_set(err, EC_ERR_CONFIG,
                             NAME ": %s must be a positive %s, not \"%.40s\"",
                             name, integer ? "whole number" : "number", text);
    *out = v;
    return 0;
}

static int config_init(const ec_config *cfg, const ecp_settings *s,
                       imds_config *out, ec_error *err)
{
    const char *base, *v;
    double attempts = 1;

    memset(out, 0, sizeof(*out));
    out->timeout = 1.0;
    v = setting(cfg, s, "AWS_METADATA_SERVICE_TIMEOUT",
                "metadata_service_timeout");
    if (v &&
        number(v, "metadata_service_timeout", false, &out->timeout, err) != 0)
        return -1;
    v = setting(cfg, s, "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
                "metadata_service_num_attempts");
    if (v &&
        number(v, "metadata_service_num_attempts", true, &attempts, err) != 0)
        return -1;
    out->attempts = (int)attempts;
    if (ecp_imds_base_url(setting(cfg, s, "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                  "ec2_metadata_service_endpoint"),
                          setting(cfg, s,
                                  "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                                  "ec2_metadata_service_endpoint_mode"),
                          ecp_config_bool(setting(cfg, s, "AWS_IMDS_USE_IPV6",
                                                  "imds_use_ipv6")),
                          &base, err) != 0)
        return -1;
    out->base = ecp_strdup(base);
    if (!out->base)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    /* botocore's IMDS session honours the environment's proxies (and
     * no_proxy); the container fetcher does not. */
    if (ecp_proxy_from_env(cfg ? cfg->environ : NULL,
                           strncasecmp(out->base, "https:", 6) == 0,
                           &out->proxy, err) != 0) {
        config_free(out);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */
/* ------------------------------------------------------------------ */

static int request(const imds_config *c, const char *method, const char *path,
                   const char *header, ecp_http_response *resp, ec_error *err)
{
    const char *headers[2] = {header, NULL};
    ecp_http_request hr = {0};
    char *url = NULL;
    int rc;

    if (ecp_imds_url(c->base, path, &url, err) != 0)
        return -1;
    hr.method = method;
    hr.url = url;
    hr.headers = headers;
    /* urllib3's timeout, as botocore sets it: that long to connect, and
     * that long without a byte once connected. */
    hr.connect_timeout = c->timeout;
    hr.read_timeout = c->timeout;
    hr.timeout = 10 * c->timeout;
    hr.proxy = &c->proxy;
    hr.max_bytes = 64 * 1024;
    rc = ecp_http_send(&hr, resp, err);
    free(url);
    return rc;
}

typedef enum token_result {
    TOKEN_OK,   /* *token set */
    TOKEN_NONE, /* go on without one (IMDSv1) */
    TOKEN_BAD,  /* 400: botocore gives up */
} token_result;

/* botocore's _fetch_metadata_token. */
static token_result fetch_token(const imds_config *c, const ecp_io *io,
                                char **token, char *why, size_t why_size)
{
    int i;

    *token = NULL;
    for (i = 0; i < c->attempts; i++) {
        ecp_http_response resp = {0};
        ec_error e;
        long status;

        ec_error_clear(&e);
        if (request(c, "PUT", TOKEN_PATH,
                    "x-aws-ec2-metadata-token-ttl-seconds: " TOKEN_TTL, &resp,
                    &e) != 0) {
            ecp_io_debug(io, NAME ": token request: %s", e.message);
            snprintf(why, why_size, "%s", e.message);
            if (e.code == EC_ERR_TIMEOUT && resp.connected)
                return TOKEN_NONE; /* a read timeout: straight to v1 */
            continue;
        }
        status = resp.status;
        if (status == 200 && resp.body.len > 0) {
            *token = ecp_strndup(resp.body.data, resp.body.len);
            ecp_http_response_free(&resp);
            return *token ? TOKEN_OK : TOKEN_NONE;
        }
        ecp_http_response_free(&resp);
        snprintf(why, why_size, "HTTP %ld for the IMDSv2 token", status);
        if (status == 404 || status == 403 || status == 405)
            return TOKEN_NONE;
        if (status == 400) {
            snprintf(why, why_size,
                     "the instance metadata service refused the token "
                     "request (HTTP 400)");
            return TOKEN_BAD;
        }
    }
    return TOKEN_NONE;
}

/* botocore's _get_request: retried while the answer is not a 200 with a
 * body (and, for the credentials, JSON). 0 with the body; -1 when out of
 * attempts (why says the last problem). */
static int get(const imds_config *c, const ecp_io *io, const char *path,
               const char *token, bool want_json, ecp_buf *body, char *why,
               size_t why_size, ec_error *err)
{
    char *header = NULL;
    int i;

    if (token && ecp_header_line(&header, "x-aws-ec2-metadata-token", token,
                                 "IMDS token", err) != 0)
        return -2;
    for (i = 0; i < c->attempts; i++) {
        ecp_http_response resp = {0};
        ec_error e;

        ec_error_clear(&e);
        if (request(c, "GET", path, header, &resp, &e) != 0) {
            ecp_io_debug(io, NAME ": %s", e.message);
            snprintf(why, why_size, "%s", e.message);
            continue;
        }
        if (resp.status != 200 || resp.body.len == 0) {
            char url[300];

            ecp_url_for_message(c->base, url, sizeof(url));
            snprintf(why, why_size, "HTTP %ld%s for %s%s%s", resp.status,
                     resp.body.len ? "" : " (empty)", url,
                     url[0] && url[strlen(url) - 1] == '/' ? "" : "/", path);
            ecp_http_response_free(&resp);
            continue;
        }
        if (want_json) {
            json_error_t jerr;
            json_t *doc = json_loadb(resp.body.data, resp.body.len, 0, &jerr);

            if (!doc) {
                snprintf(why, why_size, "the credentials are not JSON");
                ecp_http_response_free(&resp);
                continue;
            }
            ecp_json_decref_wiped(doc);
        }
        *body = resp.body;
        ec_free_secret(header);
        return 0;
    }
    ec_free_secret(header);
    return -1;
}

/* botocore's retrieve_iam_role_credentials. 1: credentials; 0: none (why
 * says why); -1: error. */
static int retrieve(const imds_config *c, const ecp_io *io,
                    ecp_credentials *out, char *why, size_t why_size,
                    ec_error *err)
{
    char *token = NULL, *role = NULL, *path = NULL;
    ecp_buf body = {0};
    token_result tr;
    size_t n;
    int rc = 0, g;

    memset(out, 0, sizeof(*out));
    tr = fetch_token(c, io, &token, why, why_size);
    if (tr == TOKEN_BAD)
        return 0;
    ecp_io_debug(io, NAME ": %s",
                 token ? "IMDSv2 token received"
                       : "no IMDSv2 token: trying IMDSv1");
    g = get(c, io, ROLE_PATH, token, false, &body, why, why_size, err);
    if (g != 0) {
        rc = g == -2 ? -1 : 0;
        goto out;
    }
    /* The role name: the first line. */
    n = strcspn(body.data, "\r\n");
    role = ecp_strndup(body.data, n);
    ecp_buf_free(&body);
    if (!role || ecp_buf_printf(&body, "%s%s", ROLE_PATH, role) != 0) {
        rc = ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        goto out;
    }
    path = ecp_buf_steal(&body);
    if (!path) {
        rc = ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        goto out;
    }
    g = get(c, io, path, token, true, &body, why, why_size, err);
    if (g != 0) {
        rc = g == -2 ? -1 : 0;
        goto out;
    }
    rc = ecp_imds_parse(body.data, body.len, out, why, why_size, err);
    if (rc > 0)
        ecp_io_debug(io, NAME ": credentials of role %s", role);
out:
    ecp_buf_free(&body);
    ec_free_secret(token);
    free(role);
    free(path);
    return rc;
}

static int jitter(void)
{
    unsigned int x = 0;

    if (RAND_bytes((unsigned char *)&x, sizeof(x)) != 1)
        x = (unsigned int)rand();
    return 120 + (int)(x % 481); /* botocore's random.randint(120, 600) */
}

static int imds_fetch(ecp_provider *self, const ecp_io *io,
                      ecp_credentials *out, ec_error *err)
{
    imds_state *s = self->state;
    char why[300] = "no credentials";
    char base[300];
    int rc;

    rc = retrieve(&s->cfg, io, out, why, sizeof(why), err);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        ecp_url_for_message(s->cfg.base, base, sizeof(base));
        if (s->tried)
            return ecp_error_set(err, EC_ERR_CREDENTIALS,
                                 "%s Tried, in order: %s, " NAME
                                 " (instance metadata service %s: %s).",
                                 ECP_NOT_FOUND_MESSAGE, s->tried, base, why);
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             NAME ": no credentials from the instance "
                                  "metadata service %s: %s",
                             base, why);
    }
    if (ecp_imds_extend(out, ecp_io_now(io), jitter()))
        ecp_io_debug(io,
                     NAME ": Attempting credential expiration extension due "
                          "to a credential service availability issue. A "
                          "refresh of these credentials will be attempted "
                          "again within the next minutes.");
    return 0;
}

int ecp_select_imds(ecp_select *sel, ecp_provider **out, ec_error *err)
{
    const ec_config *cfg = sel->ctx->config;
    imds_state *s;

    if (ecp_imds_disabled(cfg ? cfg->environ : NULL)) {
        ecp_select_skip(sel, NAME, "AWS_EC2_METADATA_DISABLED is true");
        return 0;
    }
    s = calloc(1, sizeof(*s));
    if (!s)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    if (config_init(cfg, sel->ctx->settings, &s->cfg, err) != 0) {
        imds_destroy(s);
        return -1;
    }
    if (sel->tried) {
        s->tried = ecp_strdup(sel->tried->data ? sel->tried->data : "");
        if (!s->tried) {
            imds_destroy(s);
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        }
    }
    *out = ecp_provider_new(NAME, imds_fetch, imds_destroy, s, err);
    if (!*out)
        return -1;
    return ecp_provider_describe(out, err, "%s, timeout %g s, %d attempt%s",
                                 s->cfg.base, s->cfg.timeout, s->cfg.attempts,
                                 s->cfg.attempts == 1 ? "" : "s");
}

int ecp_imds_region(const ec_config *cfg, const ecp_settings *s,
                    const ecp_io *io, char **region, char *why, size_t why_size,
                    ec_error *err)
{
    imds_config c;
    char *token = NULL;
    char local_why[300] = "";
    ecp_buf body = {0};
    size_t n;
    int g;

    *region = NULL;
    if (!why) {
        why = local_why;
        why_size = sizeof(local_why);
    }
    if (ecp_imds_disabled(cfg ? cfg->environ : NULL)) {
        snprintf(why, why_size, "AWS_EC2_METADATA_DISABLED is true");
        return 0;
    }
    if (config_init(cfg, s, &c, err) != 0)
        return -1;
    if (fetch_token(&c, io, &token, why, why_size) == TOKEN_BAD) {
        config_free(&c);
        return 0;
    }
    g = get(&c, io, AZ_PATH, token, false, &body, why, why_size, err);
    ec_free_secret(token);
    config_free(&c);
    if (g == -2)
        return -1;
    if (g != 0)
        return 0;
    n = strcspn(body.data, "\r\n");
    if (n > 1) {
        /* "us-east-1a" -> "us-east-1". */
        *region = ecp_strndup(body.data, n - 1);
        if (!*region) {
            ecp_buf_free(&body);
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        }
        ecp_io_debug(io, "Region %s from the instance metadata service",
                     *region);
    } else {
        snprintf(why, why_size, "the availability zone is empty");
    }
    ecp_buf_free(&body);
    return 0;
}
