/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sso: IAM Identity Center profiles (sso_session + [sso-session NAME], or
 * the legacy sso_start_url/sso_region form). The access token is the one
 * `aws sso login` cached in ~/.aws/sso/cache/<sha1>.json; role credentials
 * come from the SSO portal's GetRoleCredentials. Logging in is the AWS
 * CLI's job: a missing or expired token says how.
 */
#include "providers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/sha.h>

#include "endpoint.h"
#include "files.h"

#define NAME "sso"
#define SSO_CONNECT_TIMEOUT 10.0
#define SSO_READ_TIMEOUT 10.0
#define SSO_TIMEOUT 30.0

typedef struct sso_state {
    char *profile; /* the profile to log in with */
    char *start_url;
    char *session_name; /* NULL for the legacy form */
    char *account_id;
    char *role_name;
    char *cache_file;
    char *portal_url; /* without a trailing slash */
    char *ca_bundle;
    ecp_proxy proxy;
} sso_state;

static void sso_destroy(void *p)
{
    sso_state *s = p;

    if (!s)
        return;
    free(s->profile);
    free(s->start_url);
    free(s->session_name);
    free(s->account_id);
    free(s->role_name);
    free(s->cache_file);
    free(s->portal_url);
    free(s->ca_bundle);
    ecp_proxy_free(&s->proxy);
    free(s);
}

void ecp_sso_cache_name(const char *session_name, const char *start_url,
                        char out[46])
{
    const char *input = session_name ? session_name : start_url;
    unsigned char digest[SHA_DIGEST_LENGTH];

    SHA1((const unsigned char *)input, strlen(input), digest);
    ecp_hex(digest, sizeof(digest), out);
    memcpy(out + 40, ".json", 6);
}

int ecp_sso_parse_token(const char *json, size_t len, char **access_token,
                        ec_time *expires_at, ec_error *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(json, len, 0, &jerr);
    const char *token, *expires;
    int rc = 0;

    *access_token = NULL;
    if (!json_is_object(doc)) {
        ecp_json_decref_wiped(doc);
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             "the cached SSO token is not a JSON object");
    }
    token = json_string_value(json_object_get(doc, "accessToken"));
    expires = json_string_value(json_object_get(doc, "expiresAt"));
    if (token && token[0] && expires &&
        ecp_parse_expiration(expires, expires_at) == 0) {
        *access_token = ecp_strdup(token);
        rc = *access_token ? 1
                           : ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    /* jansson keeps its own copy of the token: wiped with the document. */
    ecp_json_decref_wiped(doc);
    return rc;
}

int ecp_sso_parse_role_credentials(const char *json, size_t len,
                                   ecp_credentials *out, ec_error *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(json, len, 0, &jerr);
    json_t *rc_obj = json_object_get(doc, "roleCredentials");
    json_t *exp = json_object_get(rc_obj, "expiration");
    const char *k = json_string_value(json_object_get(rc_obj, "accessKeyId"));
    const char *sk =
        json_string_value(json_object_get(rc_obj, "secretAccessKey"));
    const char *tok =
        json_string_value(json_object_get(rc_obj, "sessionToken"));
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (!json_is_object(rc_obj) || !k || !sk || !tok || !json_is_number(exp)) {
        ecp_error_set(err, EC_ERR_CREDENTIALS,
                      NAME ": the GetRoleCredentials answer has no complete "
                           "roleCredentials");
        goto out;
    }
    if (ecp_credentials_set(out, NAME, k, sk, tok, "accessKeyId",
                            "secretAccessKey", err) <= 0) {
        if (err && err->code == EC_OK)
            ecp_error_set(err, EC_ERR_CREDENTIALS,
                          NAME ": empty roleCredentials");
        goto out;
    }
    {
        /* Epoch milliseconds. */
        double ms = json_number_value(exp);

        out->expires = true;
        out->expiration.set = true;
        out->expiration.sec = (int64_t)(ms / 1000.0);
        out->expiration.usec = 0;
    }
    rc = 0;
out:
    ecp_json_decref_wiped(doc);
    return rc;
}

/* botocore's percent_encode: everything but letters, digits and "-_.~". */
static int pct(ecp_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
            c == '~') {
            if (ecp_buf_append(b, s, 1) != 0)
                return -1;
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};

            if (ecp_buf_append(b, e, 3) != 0)
                return -1;
        }
    }
    return 0;
}

static int login_advice(const sso_state *s, ec_error *err, const char *what)
{
    return ecp_error_set(err, EC_ERR_CREDENTIALS,
                         NAME ": %s. To refresh this SSO session run \"aws "
                              "sso login --profile %s\".",
                         what, s->profile);
}

static const char *portal_error(long status)
{
    switch (status) {
    case 400:
        return "InvalidRequestException";
    case 401:
        return "UnauthorizedException";
    case 403:
        return "ForbiddenException";
    case 404:
        return "ResourceNotFoundException";
    case 429:
        return "TooManyRequestsException";
    default:
        return "Unknown";
    }
}

static int sso_fetch(ecp_provider *self, const ecp_io *io, ecp_credentials *out,
                     ec_error *err)
{
    sso_state *s = self->state;
    char *text = NULL, *token = NULL, *header = NULL;
    const char *headers[2] = {NULL, NULL};
    size_t len = 0;
    ec_time expires = {0};
    ecp_buf url = {0};
    ecp_http_request hr = {0};
    ecp_http_response resp = {0};
    ec_error e;
    int rc;

    ec_error_clear(&e);
    rc = ecp_read_regular_file(s->cache_file, ECP_CREDENTIAL_FILE_LIMIT,
                               "SSO token cache file", &text, &len, &e);
    if (rc < 0)
        return ecp_error_set(
            err, e.code == EC_ERR_NOMEM ? EC_ERR_NOMEM : EC_ERR_CREDENTIALS,
            NAME ": %s", e.message);
    if (rc != ECP_FILE_READ) {
        char what[300];

        snprintf(what, sizeof(what),
                 "Error loading SSO Token: Token for %s does not exist (no "
                 "%s)",
                 s->session_name ? s->session_name : s->start_url,
                 s->cache_file);
        return login_advice(s, err, what);
    }
    rc = ecp_sso_parse_token(text, len, &token, &expires, &e);
    ec_wipe(text, len);
    free(text);
    if (rc <= 0) {
        char what[300];

        if (e.code == EC_ERR_NOMEM)
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        snprintf(what, sizeof(what),
                 "Error loading SSO Token: Token for %s is invalid",
                 s->session_name ? s->session_name : s->start_url);
        return login_advice(s, err, what);
    }
    if (ec_time_diff(expires, ecp_io_now(io)) <= 0) {
        ec_free_secret(token);
        return login_advice(s, err,
                            "The SSO session associated with this profile "
                            "has expired");
    }
    if (ecp_buf_printf(
            &url, "%s/federation/credentials?role_name=", s->portal_url) != 0 ||
        pct(&url, s->role_name) != 0 ||
        ecp_buf_append_str(&url, "&account_id=") != 0 ||
        pct(&url, s->account_id) != 0) {
        ec_free_secret(token);
        ecp_buf_free(&url);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    rc = ecp_header_line(&header, "x-amz-sso_bearer_token", token,
                         "cached SSO access token", err);
    ec_free_secret(token);
    if (rc != 0) {
        ecp_buf_free(&url);
        return -1;
    }
    headers[0] = header;
    hr.method = "GET";
    hr.url = url.data;
    hr.headers = headers;
    hr.connect_timeout = SSO_CONNECT_TIMEOUT;
    hr.read_timeout = SSO_READ_TIMEOUT;
    hr.timeout = SSO_TIMEOUT;
    hr.proxy = &s->proxy;
    hr.ca_bundle = s->ca_bundle;
    hr.max_bytes = 256 * 1024;
    ecp_io_debug(io, NAME ": GetRoleCredentials %s/federation/credentials",
                 s->portal_url);
    rc = ecp_http_send(&hr, &resp, &e);
    ec_free_secret(header);
    ecp_buf_free(&url);
    if (rc != 0)
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             NAME ": GetRoleCredentials failed: %s", e.message);
    if (resp.status == 401) {
        rc = login_advice(s, err,
                          "The SSO session associated with this profile has "
                          "expired or is otherwise invalid");
    } else if (resp.status != 200) {
        json_error_t jerr;
        json_t *doc = json_loadb(resp.body.data ? resp.body.data : "",
                                 resp.body.len, 0, &jerr);
        const char *msg = json_string_value(json_object_get(doc, "message"));

        rc = ecp_error_set(err, EC_ERR_CREDENTIALS,
                           NAME ": An error occurred (%s) when calling the "
                                "GetRoleCredentials operation: %.200s",
                           portal_error(resp.status),
                           msg ? msg : "(no message)");
        ecp_json_decref_wiped(doc);
    } else {
        rc = ecp_sso_parse_role_credentials(resp.body.data, resp.body.len, out,
                                            err);
    }
    ecp_http_response_free(&resp);
    return rc;
}

/* The sso-session section's settings merged into the profile's, botocore's
 * _resolve_sso_session_reference: a key set in both must agree. */
static int session_value(const ecp_select *sel, const char *section,
                         const char *key, const char **value, ec_error *err)
{
    const char *in_profile = ecp_select_profile(sel, key);
    const char *in_session =
        section ? ecp_ini_get(&sel->ctx->settings->config, section, key) : NULL;

    if (in_session && in_profile && strcmp(in_session, in_profile) != 0)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             NAME ": The value for %s is inconsistent between "
                                  "profile (%s) and sso-session (%s).",
                             key, in_profile, in_session);
    *value = in_session && in_session[0] ? in_session : in_profile;
    return 0;
}

int ecp_select_sso(ecp_select *sel, ecp_provider **out, ec_error *err)
{
    const ecp_settings *st = sel->ctx->settings;
    const char *const *envp =
        sel->ctx->config ? sel->ctx->config->environ : NULL;
    const char *account = ecp_select_profile(sel, "sso_account_id");
    const char *role = ecp_select_profile(sel, "sso_role_name");
    const char *session = ecp_select_profile(sel, "sso_session");
    const char *section = NULL, *start_url = NULL, *region = NULL;
    const char *override, *ca;
    char missing[160] = "", cache_name[46], cache_rel[80];
    ecp_endpoint_input ein = {0};
    ecp_endpoint ep;
    sso_state *s;

    if (!account && !role) {
        ecp_select_skip(sel, NAME, NULL);
        return 0;
    }
    if (session) {
        size_t i;

        section = ecp_config_named_section(&st->config, "sso-session", session);
        if (!section)
            return ecp_error_set(err, EC_ERR_CONFIG,
                                 NAME ": The specified sso-session does not "
                                      "exist: \"%s\"",
                                 session);
        for (i = 0; i < st->config.count; i++) {
            const ecp_ini_entry *e = &st->config.entries[i];
            const char *v;

            if (strcmp(e->section, section) == 0 &&
                session_value(sel, section, e->key, &v, err) != 0)
                return -1;
        }
    }
    if (session_value(sel, section, "sso_start_url", &start_url, err) != 0 ||
        session_value(sel, section, "sso_region", &region, err) != 0)
        return -1;
    {
        const char *names[] = {"sso_role_name", "sso_account_id",
                               "sso_start_url", "sso_region"};
        const char *values[] = {role, account, start_url, region};
        size_t i, n = 0;

        for (i = 0; i < 4; i++)
            if (!values[i])
                n += (size_t)snprintf(missing + n, sizeof(missing) - n, "%s%s",
                                      n ? ", " : "", names[i]);
        if (n)
            return ecp_error_set(err, EC_ERR_CONFIG,
                                 NAME ": The profile \"%s\" is configured to "
                                      "use SSO but is missing required "
                                      "configuration: %s",
                                 sel->profile, missing);
    }
    s = calloc(1, sizeof(*s));
    if (!s)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    ecp_sso_cache_name(session, start_url, cache_name);
    snprintf(cache_rel, sizeof(cache_rel), "~/.aws/sso/cache/%s", cache_name);
    s->profile = ecp_strdup(sel->profile);
    s->start_url = ecp_strdup(start_url);
    s->session_name = session ? ecp_strdup(session) : NULL;
    s->account_id = ecp_strdup(account);
    s->role_name = ecp_strdup(role);
    if (!s->profile || !s->start_url || (session && !s->session_name) ||
        !s->account_id || !s->role_name) {
        sso_destroy(s);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    if (ecp_expand_user(cache_rel, envp, &s->cache_file, err) != 0) {
        sso_destroy(s);
        return -1;
    }
    /* The portal: configured like any service ("sso"), else the regional
     * endpoint of sso_region. */
    override = ecp_settings_configured_endpoint(st, envp, "SSO", "sso");
    ein.service = "portal.sso";
    ein.region = region;
    ein.endpoint_url = override;
    ein.use_fips = st->use_fips;
    ein.use_dualstack = st->use_dualstack;
    if (ecp_endpoint_resolve(&ein, &ep, err) != 0) {
        sso_destroy(s);
        return -1;
    }
    {
        size_t n = strlen(ep.request_url);

        while (n > 0 && ep.request_url[n - 1] == '/')
            n--;
        s->portal_url = ecp_strndup(ep.request_url, n);
    }
    ca = ecp_getenv(envp, "AWS_CA_BUNDLE");
    if (!ca || !ca[0])
        ca = ecp_settings_profile_get(st, "ca_bundle");
    s->ca_bundle = ca && ca[0] ? ecp_strdup(ca) : NULL;
    if (!s->portal_url || (ca && ca[0] && !s->ca_bundle) ||
        ecp_proxy_from_env(envp, ep.https, &s->proxy, err) != 0) {
        sso_destroy(s);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    *out = ecp_provider_new(NAME, sso_fetch, sso_destroy, s, err);
    if (!*out)
        return -1;
    return ecp_provider_describe(
        out, err, "account %s, role %s, %s %s, token cache %s, portal %s",
        account, role, session ? "sso-session" : "start URL",
        session ? session : start_url, s->cache_file, s->portal_url);
}
