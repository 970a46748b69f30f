/* SPDX-License-Identifier: Apache-2.0 */
/*
 * container-role: ECS task roles (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
 * against 169.254.170.2) and any local credentials endpoint
 * (AWS_CONTAINER_CREDENTIALS_FULL_URI, limited to the hosts botocore
 * allows), with AWS_CONTAINER_AUTHORIZATION_TOKEN or the token in
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (EKS Pod Identity), read again at
 * each refresh. botocore's fetcher: 2 s timeout, 3 attempts, 1 s apart.
 */
#include "providers.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "files.h"

#define NAME "container-role"
#define ECS_HOST "169.254.170.2"
#define TIMEOUT 2.0
#define ATTEMPTS 3
#define SLEEP 1.0

typedef struct container_state {
    char *url;
    char *token;      /* AWS_CONTAINER_AUTHORIZATION_TOKEN, or NULL */
    char *token_file; /* AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, or NULL */
} container_state;

static void container_destroy(void *p)
{
    container_state *s = p;

    if (!s)
        return;
    free(s->url);
    ec_free_secret(s->token);
    free(s->token_file);
    free(s);
}

int ecp_container_parse(const char *json, size_t len, ecp_credentials *out,
                        ec_error *err)
{
    static const char *const fields[] = {"AccessKeyId", "SecretAccessKey",
                                         "Token", "Expiration"};
    json_error_t jerr;
    json_t *doc = json_loadb(json, len, 0, &jerr);
    const char *v[4];
    size_t i;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (!json_is_object(doc)) {
        ecp_json_decref_wiped(doc);
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             "Unable to parse JSON returned from ECS metadata "
                             "services");
    }
    for (i = 0; i < 4; i++) {
        v[i] = json_string_value(json_object_get(doc, fields[i]));
        if (!v[i] || !v[i][0]) {
            ecp_error_set(err, EC_ERR_CREDENTIALS, "the answer has no %s",
                          fields[i]);
            goto out;
        }
    }
    if (ecp_credentials_set(out, NAME, v[0], v[1], v[2], "AccessKeyId",
                            "SecretAccessKey", err) < 0)
        goto out;
    if (ecp_parse_expiration(v[3], &out->expiration) != 0) {
        ecp_credentials_clear(out);
        ecp_error_set(err, EC_ERR_CREDENTIALS,
                      "the Expiration is not an ISO 8601 timestamp");
        goto out;
    }
    out->expires = true;
    rc = 0;
out:
    ecp_json_decref_wiped(doc);
    return rc;
}

bool ecp_container_host_allowed(const char *url, char *host, size_t size)
{
    static const char *const allowed[] = {ECS_HOST, "169.254.170.23",
                                          "fd00:ec2::23", "localhost"};
    const char *p, *end;
    unsigned char addr[16];
    size_t n, i;

    host[0] = '\0';
    if (strncasecmp(url, "http://", 7) == 0)
        p = url + 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        p = url + 8;
    else
        return false;
    if (*p == '[') {
        p++;
        end = strchr(p, ']');
        if (!end)
            return false;
    } else {
        end = p + strcspn(p, ":/?#");
        /* user@host: urlparse's hostname is after the '@'. */
        {
            const char *at = memchr(p, '@', (size_t)(end - p));
            const char *auth_end = p + strcspn(p, "/?#");
            const char *at2 = memchr(p, '@', (size_t)(auth_end - p));

            if (at || at2) {
                p = (at2 ? at2 : at) + 1;
                end = p + strcspn(p, ":/?#");
            }
        }
    }
    n = (size_t)(end - p);
    if (n == 0 || n >= size)
        return false;
    memcpy(host, p, n);
    host[n] = '\0';
    for (i = 0; i < n; i++)
        if (host[i] >= 'A' && host[i] <= 'Z')
            host[i] = (char)(host[i] - 'A' + 'a');
    for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        if (strcmp(host, allowed[i]) == 0)
            return true;
    /* Any loopback address (Python's ip_address(host).is_loopback). */
    if (inet_pton(AF_INET, host, addr) == 1)
        return addr[0] == 127;
    if (inet_pton(AF_INET6, host, addr) == 1) {
        static const unsigned char one[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                              0, 0, 0, 0, 0, 0, 0, 1};
        return memcmp(addr, one, 16) == 0;
    }
    return false;
}

/* The Authorization value: the token file (read each time: it rotates)
 * wins over the variable. NULL *out: no header. */
static int auth_token(const container_state *s, char **out, ec_error *err)
{
    size_t len = 0;
    ec_error e;
    int rc;

    *out = NULL;
    if (!s->token_file) {
        if (s->token) {
            *out = ecp_strdup(s->token);
            if (!*out)
                return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        }
        return 0;
    }
    ec_error_clear(&e);
    rc = ecp_read_regular_file(s->token_file, 64 * 1024,
                               "container authorization token file", out, &len,
                               &e);
    if (rc == ECP_FILE_READ)
        return 0;
    if (rc > 0)
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             NAME ": the authorization token file %s %s",
                             s->token_file,
                             rc == ECP_FILE_MISSING ? "does not exist"
                                                    : "is not a regular file");
    return ecp_error_set(
        err, e.code == EC_ERR_NOMEM ? EC_ERR_NOMEM : EC_ERR_CREDENTIALS,
        NAME ": %s", e.message);
}

/* One GET. 0 with *out filled; -1 with err. */
static int fetch_once(const container_state *s, const char *header,
                      ecp_credentials *out, ec_error *err)
{
    const char *headers[3] = {"Accept: application/json", header, NULL};
    char where[420];
    ecp_http_request hr = {0};
    ecp_http_response resp = {0};
    ec_error e;
    int rc;

    ec_error_clear(&e);
    ecp_url_for_message(s->url, where, sizeof(where));
    hr.method = "GET";
    hr.url = s->url;
    hr.headers = headers;
    hr.connect_timeout = TIMEOUT;
    hr.read_timeout = TIMEOUT;
    hr.timeout = 4 * TIMEOUT;
    hr.proxy = NULL; /* botocore's container fetcher uses no proxy */
    hr.max_bytes = 256 * 1024;
    if (ecp_http_send(&hr, &resp, &e) != 0)
        return ecp_error_set(err, EC_ERR_CREDENTIALS, "%s", e.message);
    if (resp.status != 200) {
        /* The body is not repeated: an endpoint may echo the token. */
        rc = ecp_error_set(err, EC_ERR_CREDENTIALS,
                           "Received non 200 response (%ld) from %s",
                           resp.status, where);
    } else {
        rc = ecp_container_parse(resp.body.data ? resp.body.data : "",
                                 resp.body.len, out, err);
    }
    ecp_http_response_free(&resp);
    return rc;
}

static int container_fetch(ecp_provider *self, const ecp_io *io,
                           ecp_credentials *out, ec_error *err)
{
    container_state *s = self->state;
    char *token = NULL, *header = NULL;
    ec_error last;
    int attempt, rc = -1;

    if (auth_token(s, &token, err) != 0)
        return -1;
    if (token) {
        rc = ecp_header_line(&header, "Authorization", token,
                             "container authorization token", err);
        ec_free_secret(token);
        if (rc != 0)
            return -1;
    }
    ec_error_clear(&last);
    for (attempt = 1; attempt <= ATTEMPTS; attempt++) {
        ec_error_clear(&last);
        ecp_io_debug(io, NAME ": GET %s (attempt %d of %d)", s->url, attempt,
                     ATTEMPTS);
        rc = fetch_once(s, header, out, &last);
        if (rc == 0 || last.code == EC_ERR_NOMEM)
            break;
        ecp_io_debug(io, NAME ": %s", last.message);
        /* botocore sleeps after every failure, the last one too. */
        ecp_io_sleep(io, SLEEP);
    }
    ec_free_secret(header);
    if (rc != 0)
        return ecp_error_set(
            err, last.code == EC_ERR_NOMEM ? EC_ERR_NOMEM : EC_ERR_CREDENTIALS,
            NAME ": Error retrieving credentials from the "
                 "container credentials endpoint: %s",
            last.message);
    return 0;
}

int ecp_select_container(ecp_select *sel, ecp_provider **out, ec_error *err)
{
    const char *rel =
        ecp_select_env(sel, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full =
        ecp_select_env(sel, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    const char *token =
        ecp_select_env(sel, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    const char *token_file =
        ecp_select_env(sel, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    container_state *s;
    ecp_buf url = {0};
    char host[256];

    if (!rel && !full) {
        ecp_select_skip(sel, NAME, NULL);
        return 0;
    }
    if (rel) {
        if (ecp_buf_printf(&url, "http://%s%s", ECS_HOST, rel) != 0) {
            ecp_buf_free(&url);
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        }
    } else {
        if (!ecp_container_host_allowed(full, host, sizeof(host)))
            return ecp_error_set(err, EC_ERR_CONFIG,
                                 NAME ": Unsupported host '%s' in "
                                      "AWS_CONTAINER_CREDENTIALS_FULL_URI. "
                                      "Can only retrieve metadata from a "
                                      "loopback address or one of these "
                                      "hosts: 169.254.170.2, 169.254.170.23, "
                                      "fd00:ec2::23, localhost",
                                 host[0] ? host : full);
        if (ecp_buf_append_str(&url, full) != 0) {
            ecp_buf_free(&url);
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        }
    }
    s = calloc(1, sizeof(*s));
    if (!s) {
        ecp_buf_free(&url);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    s->url = ecp_buf_steal(&url);
    s->token = token ? ecp_strdup(token) : NULL;
    s->token_file = token_file ? ecp_strdup(token_file) : NULL;
    if (!s->url || (token && !s->token) || (token_file && !s->token_file)) {
        container_destroy(s);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    *out = ecp_provider_new(NAME, container_fetch, container_destroy, s, err);
    if (!*out)
        return -1;
    {
        char shown[420];

        /* Without the query: it could carry a credential. */
        ecp_url_for_message(s->url, shown, sizeof(shown));
        return ecp_provider_describe(out, err, "%s", shown);
    }
}
