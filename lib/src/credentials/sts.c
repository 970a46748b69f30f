/* SPDX-License-Identifier: Apache-2.0 */
/*
 * STS over the Query API, as botocore's sts client calls it for the
 * assume-role and web-identity providers: the endpoint (regional by
 * default, overridable like every service), the body, SigV4 signing with
 * the source credentials (or none), retries, and the answer's Credentials.
 */
#include "providers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "endpoint.h"
#include "query.h"
#include "sigv4.h"
#include "xmlparse.h"

#define STS_VERSION "2011-06-15"
#define CONTENT_TYPE "application/x-www-form-urlencoded; charset=utf-8"
/* The credential providers' own short limits (botocore's sts client would
 * use 60 s each): 10 s to connect, 10 s without a byte, 30 s in all. */
#define STS_CONNECT_TIMEOUT 10.0
#define STS_READ_TIMEOUT 10.0
#define STS_TIMEOUT 30.0
#define STS_MAX_ANSWER (256u * 1024u)

/* botocore's LEGACY_GLOBAL_STS_REGIONS (args.py). */
static const char *const legacy_regions[] = {
    "ap-northeast-1", "ap-south-1",   "ap-southeast-1", "ap-southeast-2",
    "aws-global",     "ca-central-1", "eu-central-1",   "eu-north-1",
    "eu-west-1",      "eu-west-2",    "eu-west-3",      "sa-east-1",
    "us-east-1",      "us-east-2",    "us-west-1",      "us-west-2",
};

static bool legacy_region(const char *region)
{
    size_t i;

    for (i = 0; i < sizeof(legacy_regions) / sizeof(legacy_regions[0]); i++)
        if (strcmp(region, legacy_regions[i]) == 0)
            return true;
    return false;
}

static int set2(char **a, const char *va, char **b, const char *vb,
                ec_error *err)
{
    *a = ecp_strdup(va);
    *b = ecp_strdup(vb);
    if (!*a || !*b) {
        free(*a);
        free(*b);
        *a = *b = NULL;
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    return 0;
}

int ecp_sts_endpoint(const char *region, const char *override_url,
                     const char *regional_setting, bool use_fips,
                     bool use_dualstack, char **url, char **signing_region,
                     ec_error *err)
{
    ecp_endpoint_input in = {0};
    ecp_endpoint ep;
    bool legacy;

    *url = *signing_region = NULL;
    if (regional_setting && strcmp(regional_setting, "legacy") != 0 &&
        strcmp(regional_setting, "regional") != 0)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "STS regional endpoints option %s is invalid. "
                             "Valid options are: \"legacy\", \"regional\"",
                             regional_setting);
    legacy = regional_setting && strcmp(regional_setting, "legacy") == 0;
    if (!region || !region[0])
        return ecp_error_set(err, EC_ERR_CONFIG, "%s", ECP_NO_REGION_MESSAGE);
    if (!override_url && legacy && !use_fips && !use_dualstack &&
        legacy_region(region))
        return set2(url, "https://sts.amazonaws.com", signing_region,
                    "us-east-1", err);
    in.service = "sts";
    in.region = region;
    in.endpoint_url = override_url;
    in.use_fips = use_fips;
    in.use_dualstack = use_dualstack;
    if (ecp_endpoint_resolve(&in, &ep, err) != 0)
        return -1;
    return set2(url, ep.request_url, signing_region, ep.signing_region, err);
}

int ecp_sts_config_init(const ecp_credentials_context *ctx, ecp_sts_config *out,
                        ec_error *err)
{
    const ecp_settings *s = ctx->settings;
    const char *const *envp = ctx->config ? ctx->config->environ : NULL;
    const char *override, *regional, *ca;

    memset(out, 0, sizeof(*out));
    override = ecp_settings_configured_endpoint(s, envp, "STS", "sts");
    regional = ecp_getenv(envp, "AWS_STS_REGIONAL_ENDPOINTS");
    if (!regional || !regional[0])
        regional = ecp_settings_profile_get(s, "sts_regional_endpoints");
    if (ecp_sts_endpoint(s->region, override, regional, s->use_fips,
                         s->use_dualstack, &out->url, &out->signing_region,
                         err) != 0)
        return -1;
    /* The session's CA bundle, as botocore's sts client gets it: the
     * tools' --ca-bundle / --no-verify-ssl are for ElastiCache only. */
    ca = ecp_getenv(envp, "AWS_CA_BUNDLE");
    if (!ca || !ca[0])
        ca = ecp_settings_profile_get(s, "ca_bundle");
    if (ca && ca[0]) {
        out->ca_bundle = ecp_strdup(ca);
        if (!out->ca_bundle) {
            ecp_sts_config_free(out);
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        }
    }
    if (ecp_proxy_from_env(envp, strncmp(out->url, "https:", 6) == 0,
                           &out->proxy, err) != 0) {
        ecp_sts_config_free(out);
        return -1;
    }
    out->max_attempts = s->max_attempts > 0 ? s->max_attempts : 3;
    return 0;
}

void ecp_sts_config_free(ecp_sts_config *c)
{
    if (!c)
        return;
    free(c->url);
    free(c->signing_region);
    free(c->ca_bundle);
    ecp_proxy_free(&c->proxy);
    memset(c, 0, sizeof(*c));
}

void ecp_default_session_name(const ecp_io *io, char *buf, size_t size)
{
    ec_time now = ecp_io_now(io);

    snprintf(buf, size, "botocore-session-%lld", (long long)now.sec);
}

int ecp_sts_body(const char *operation, const ecp_sts_params *p, ecp_buf *out,
                 ec_error *err)
{
    char duration[24];
    bool web = strcmp(operation, "AssumeRoleWithWebIdentity") == 0;

    ecp_buf_free(out);
    snprintf(duration, sizeof(duration), "%ld", p->duration_seconds);
    if (ecp_query_add(out, "Action", operation) != 0 ||
        ecp_query_add(out, "Version", STS_VERSION) != 0 ||
        ecp_query_add(out, "RoleArn", p->role_arn) != 0 ||
        ecp_query_add(out, "RoleSessionName", p->role_session_name) != 0 ||
        (web &&
         ecp_query_add(out, "WebIdentityToken", p->web_identity_token) != 0) ||
        (p->duration_seconds > 0 &&
         ecp_query_add(out, "DurationSeconds", duration) != 0) ||
        (!web && p->external_id &&
         ecp_query_add(out, "ExternalId", p->external_id) != 0)) {
        ecp_buf_free(out);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    return 0;
}

int ecp_sts_parse_credentials(const char *operation, const char *xml,
                              size_t len, const char *source,
                              ecp_credentials *out, ec_error *err)
{
    char response[64], result[64];
    const char *path[5];
    char *key = NULL, *secret = NULL, *token = NULL, *expiration = NULL;
    ecp_xml *x = NULL;
    ec_error perr;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    ec_error_clear(&perr);
    snprintf(response, sizeof(response), "%sResponse", operation);
    snprintf(result, sizeof(result), "%sResult", operation);
    if (ecp_xml_read(xml, len, operation, &x, &perr) != 0) {
        if (perr.code == EC_ERR_NOMEM)
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        return ecp_error_set(err, EC_ERR_CREDENTIALS, "%s: %s", source,
                             perr.message);
    }
    path[0] = response;
    path[1] = result;
    path[2] = "Credentials";
    path[4] = NULL;
    path[3] = "AccessKeyId";
    key = ecp_xml_text(x, path);
    path[3] = "SecretAccessKey";
    secret = ecp_xml_text(x, path);
    path[3] = "SessionToken";
    token = ecp_xml_text(x, path);
    path[3] = "Expiration";
    expiration = ecp_xml_text(x, path);
    if (!key || !secret || !token || !expiration || !key[0] || !secret[0] ||
        !token[0]) {
        ecp_error_set(err, EC_ERR_CREDENTIALS,
                      "%s: the %s answer has no complete Credentials", source,
                      operation);
        goto out;
    }
    if (ecp_credentials_set(out, source, key, secret, token, "AccessKeyId",
                            "SecretAccessKey", err) < 0)
        goto out;
    if (ecp_parse_expiration(expiration, &out->expiration) != 0) {
        ecp_credentials_clear(out);
        ecp_error_set(err, EC_ERR_CREDENTIALS,
                      "%s: the %s answer has an unreadable Expiration", source,
                      operation);
        goto out;
    }
    out->expires = true;
    rc = 0;
out:
    ec_free_secret(key);
    ec_free_secret(secret);
    ec_free_secret(token);
    free(expiration);
    ecp_xml_free(x);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The call                                                            */
/* ------------------------------------------------------------------ */

static int amz_date(ec_time now, char out[17])
{
    time_t t = (time_t)now.sec;
    struct tm tm;

    if (!gmtime_r(&t, &tm) || strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
        return -1;
    return 0;
}

/* Host header value and path of a URL (http(s)://host[:port]/path). */
static int split_url(const char *url, char *host, size_t host_size, char *path,
                     size_t path_size)
{
    const char *p = strstr(url, "://"), *slash;
    size_t n;
    bool https = strncmp(url, "https:", 6) == 0;

    if (!p)
        return -1;
    p += 3;
    slash = p + strcspn(p, "/?#");
    n = (size_t)(slash - p);
    if (n == 0 || n >= host_size)
        return -1;
    memcpy(host, p, n);
    host[n] = '\0';
    /* botocore leaves a default port out of the Host header. */
    if (https && n > 4 && strcmp(host + n - 4, ":443") == 0)
        host[n - 4] = '\0';
    if (!https && n > 3 && strcmp(host + n - 3, ":80") == 0)
        host[n - 3] = '\0';
    snprintf(path, path_size, "%.*s", (int)strcspn(slash, "?#"),
             *slash == '/' ? slash : "/");
    return 0;
}

typedef enum attempt_outcome {
    ATTEMPT_OK,
    ATTEMPT_RETRY, /* a transient failure: try again if attempts are left */
    ATTEMPT_FAIL,
} attempt_outcome;

static bool retryable_code(const char *code)
{
    static const char *const codes[] = {
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "IDPCommunicationError", /* botocore retries this one for STS */
        "RequestTimeout",
        "RequestTimeoutException",
        "PriorRequestNotComplete",
    };
    size_t i;

    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (strcmp(code, codes[i]) == 0)
            return true;
    return false;
}

static attempt_outcome attempt(const ecp_sts_config *cfg, const ecp_io *io,
                               const char *operation, const ecp_buf *body,
                               const ecp_credentials *signer,
                               const char *source, ecp_credentials *out,
                               ec_error *err)
{
    char host[300], path[1024], date[17];
    char *authorization = NULL;
    char *lines[6] = {0};
    ecp_header sig_headers[4];
    ecp_sigv4_request req = {0};
    ecp_sigv4_params params = {0};
    ecp_signer *sv4 = NULL;
    ecp_http_request hr = {0};
    ecp_http_response resp = {0};
    ec_error e;
    size_t n = 0, k = 0;
    attempt_outcome result = ATTEMPT_FAIL;

    ec_error_clear(&e);
    if (split_url(cfg->url, host, sizeof(host), path, sizeof(path)) != 0 ||
        amz_date(ecp_io_now(io), date) != 0) {
        ecp_error_set(err, EC_ERR_CONFIG, "%s: bad STS endpoint %s", source,
                      cfg->url);
        return ATTEMPT_FAIL;
    }
    if (ecp_header_line(&lines[k++], "Content-Type", CONTENT_TYPE, "header",
                        err) != 0)
        goto out;
    if (signer) {
        sig_headers[n++] = (ecp_header){"content-type", CONTENT_TYPE};
        sig_headers[n++] = (ecp_header){"host", host};
        sig_headers[n++] = (ecp_header){"x-amz-date", date};
        if (signer->session_token)
            sig_headers[n++] =
                (ecp_header){"x-amz-security-token", signer->session_token};
        req.method = "POST";
        req.path = path;
        req.headers = sig_headers;
        req.header_count = n;
        req.body = (const unsigned char *)body->data;
        req.body_len = body->len;
        params.access_key_id = signer->access_key_id;
        params.secret_access_key = signer->secret_access_key;
        params.region = cfg->signing_region;
        params.service = "sts";
        params.amz_date = date;
        params.normalize_path = 1;
        sv4 = ecp_signer_new();
        if (!sv4) {
            ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (ecp_signer_sign(sv4, &req, &params, &authorization, NULL, err) !=
                0 ||
            ecp_header_line(&lines[k++], "X-Amz-Date", date, "date", err) !=
                0 ||
            (signer->session_token &&
             ecp_header_line(&lines[k++], "X-Amz-Security-Token",
                             signer->session_token,
                             "source credentials' session token", err) != 0) ||
            ecp_header_line(&lines[k++], "Authorization", authorization,
                            "signature", err) != 0)
            goto out;
    }
    hr.method = "POST";
    hr.url = cfg->url;
    hr.headers = (const char *const *)lines;
    hr.body = body->data;
    hr.body_len = body->len;
    hr.connect_timeout = STS_CONNECT_TIMEOUT;
    hr.read_timeout = STS_READ_TIMEOUT;
    hr.timeout = STS_TIMEOUT;
    hr.proxy = &cfg->proxy;
    hr.ca_bundle = cfg->ca_bundle;
    hr.max_bytes = STS_MAX_ANSWER;
    if (ecp_http_send(&hr, &resp, &e) != 0) {
        ecp_error_set(err, EC_ERR_CREDENTIALS, "%s: %s failed: %s", source,
                      operation, e.message);
        result = e.code == EC_ERR_PARSE ? ATTEMPT_FAIL : ATTEMPT_RETRY;
        goto out;
    }
    if (resp.status >= 200 && resp.status < 300) {
        if (ecp_sts_parse_credentials(operation, resp.body.data, resp.body.len,
                                      source, out, err) == 0)
            result = ATTEMPT_OK;
        goto out;
    }
    /* 0: the HTTP layer already capped the answer (max_bytes). */
    ecp_parse_error(resp.body.data ? resp.body.data : "", resp.body.len, 0,
                    (int)resp.status, &e);
    ecp_error_set(err, EC_ERR_CREDENTIALS,
                  "%s: An error occurred (%s) when calling the %s operation: "
                  "%s",
                  source, e.aws_code[0] ? e.aws_code : "Unknown", operation,
                  e.message);
    if (resp.status >= 500 || retryable_code(e.aws_code))
        result = ATTEMPT_RETRY;
out:
    ecp_http_response_free(&resp);
    for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++)
        ec_free_secret(lines[k]);
    ec_free_secret(authorization);
    ecp_signer_free(sv4);
    return result;
}

static double random01(void)
{
    uint64_t x = 0;

    if (RAND_bytes((unsigned char *)&x, sizeof(x)) != 1)
        x = (uint64_t)rand();
    return (double)(x >> 11) * (1.0 / 9007199254740992.0);
}

int ecp_sts_call(const ecp_sts_config *cfg, const ecp_io *io,
                 const char *operation, const ecp_sts_params *p,
                 const ecp_credentials *signer, const char *source,
                 ecp_credentials *out, ec_error *err)
{
    ecp_buf body = {0};
    int n, rc = -1;

    memset(out, 0, sizeof(*out));
    if (ecp_sts_body(operation, p, &body, err) != 0)
        return -1;
    for (n = 1;; n++) {
        ec_error e;
        attempt_outcome o;

        ec_error_clear(&e);
        ecp_io_debug(io, "%s: %s %s (attempt %d of %d)", source, operation,
                     cfg->url, n, cfg->max_attempts);
        o = attempt(cfg, io, operation, &body, signer, source, out, &e);
        if (o == ATTEMPT_OK) {
            rc = 0;
            break;
        }
        ecp_credentials_clear(out);
        if (o == ATTEMPT_FAIL || n >= cfg->max_attempts) {
            if (err && err->code == EC_OK)
                *err = e;
            break;
        }
        ecp_io_debug(io, "%s: retrying: %s", source, e.message);
        /* botocore's standard backoff: rand * 2^(n-1), at most 20 s. */
        ecp_io_sleep(io, fmin(random01() * pow(2.0, n - 1), 20.0));
    }
    ecp_buf_free(&body);
    return rc;
}
