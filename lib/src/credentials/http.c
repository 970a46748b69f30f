/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One HTTP request for a credential provider: libcurl, its own short
 * timeouts (never the ElastiCache read timeout), no keep-alive, no
 * redirects, TLS verification always on, a bounded answer.
 */
#include "providers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

static char *env_value(const char *const *envp, const char *name)
{
    const char *v = ecp_getenv(envp, name);

    return v && v[0] ? (char *)v : NULL;
}

int ecp_proxy_from_env(const char *const *envp, bool https, ecp_proxy *out,
                       ec_error *err)
{
    const char *p, *np;

    memset(out, 0, sizeof(*out));
    p = https ? env_value(envp, "https_proxy") : env_value(envp, "http_proxy");
    if (!p)
        p = https ? env_value(envp, "HTTPS_PROXY")
                  : env_value(envp, "HTTP_PROXY");
    if (!p)
        p = env_value(envp, "all_proxy");
    if (!p)
        p = env_value(envp, "ALL_PROXY");
    np = env_value(envp, "no_proxy");
    if (!np)
        np = env_value(envp, "NO_PROXY");
    out->proxy = ecp_strdup(p);
    out->no_proxy = ecp_strdup(np);
    if ((p && !out->proxy) || (np && !out->no_proxy)) {
        ecp_proxy_free(out);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    return 0;
}

void ecp_proxy_free(ecp_proxy *p)
{
    if (!p)
        return;
    /* A proxy URL can carry a password. */
    ec_free_secret(p->proxy);
    free(p->no_proxy);
    memset(p, 0, sizeof(*p));
}

void ecp_url_for_message(const char *url, char *buf, size_t size)
{
    size_t n = strcspn(url, "?#");

    snprintf(buf, size, "%.*s", (int)(n < 400 ? n : 400), url);
}

int ecp_parse_expiration(const char *text, ec_time *out)
{
    char copy[64];
    size_t n;

    if (!text)
        return -1;
    n = strlen(text);
    if (n >= sizeof(copy))
        return -1;
    memcpy(copy, text, n + 1);
    /* The AWS CLI v1 wrote SSO token expiry as "...T04:05:45UTC". */
    if (n > 3 && strcmp(copy + n - 3, "UTC") == 0) {
        copy[n - 3] = 'Z';
        copy[n - 2] = '\0';
    }
    return ec_time_parse(copy, out, NULL);
}

static void wipe_strings(json_t *v)
{
    const char *key;
    json_t *item;
    size_t i;

    if (json_is_string(v)) {
        ec_wipe((char *)json_string_value(v), json_string_length(v));
    } else if (json_is_object(v)) {
        json_object_foreach(v, key, item)
        {
            wipe_strings(item);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            wipe_strings(item);
        }
    }
}

void ecp_json_decref_wiped(json_t *doc)
{
    /* A parsed document belongs to its parser's caller alone. */
    if (doc && doc->refcount == 1)
        wipe_strings(doc);
    json_decref(doc);
}

int ecp_header_line(char **out, const char *name, const char *value,
                    const char *what, ec_error *err)
{
    ecp_buf b = {0};

    *out = NULL;
    if (ecp_header_value_check(value, what, EC_ERR_CREDENTIALS, err) != 0)
        return -1;
    if (ecp_buf_printf(&b, "%s: %s", name, value) != 0) {
        ecp_buf_free(&b);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    *out = ecp_buf_steal(&b);
    return *out ? 0 : ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
}

typedef struct sink {
    ecp_buf *body;
    bool too_large;
} sink;

static size_t on_data(char *data, size_t size, size_t nmemb, void *userdata)
{
    sink *s = userdata;
    size_t n = size * nmemb;

    if (ecp_buf_append(s->body, data, n) != 0) {
        s->too_large = true;
        return 0;
    }
    return n;
}

static double monotonic(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The read timeout: once the request is on its way, no byte moving either
 * way for read_timeout seconds ends the transfer. */
typedef struct idle {
    CURL *curl;
    double limit;
    double last;
    curl_off_t dl, ul;
    bool fired;
} idle;

static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow)
{
    idle *i = userdata;
    curl_off_t pretransfer = 0;
    double now = monotonic();

    ECP_UNUSED(dltotal);
    ECP_UNUSED(ultotal);
    curl_easy_getinfo(i->curl, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
    if (pretransfer == 0 || dlnow != i->dl || ulnow != i->ul) {
        i->dl = dlnow;
        i->ul = ulnow;
        i->last = now;
        return 0;
    }
    if (now - i->last >= i->limit) {
        i->fired = true;
        return 1;
    }
    return 0;
}

static void free_headers(struct curl_slist *list)
{
    struct curl_slist *l;

    for (l = list; l; l = l->next)
        if (l->data)
            ec_wipe(l->data, strlen(l->data));
    curl_slist_free_all(list);
}

static long ms(double seconds)
{
    if (seconds <= 0)
        return 1;
    if (seconds > 86400.0)
        return 86400000L;
    return (long)(seconds * 1000.0 + 0.5);
}

void ecp_http_response_free(ecp_http_response *resp)
{
    if (!resp)
        return;
    ecp_buf_free(&resp->body);
    resp->status = 0;
}

int ecp_http_send(const ecp_http_request *req, ecp_http_response *resp,
                  ec_error *err)
{
    char where[420];
    char curl_error[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    const char *const *h;
    sink sk;
    idle idl = {0};
    CURL *c = NULL;
    CURLcode rc;
    int result = -1;

    memset(resp, 0, sizeof(*resp));
    resp->body.limit = req->max_bytes ? req->max_bytes : 1024 * 1024;
    ecp_url_for_message(req->url, where, sizeof(where));
    for (h = req->headers; h && *h; h++) {
        struct curl_slist *l;
        char what[160];

        ecp_msgf(what, sizeof(what), "header line for %s", where);
        if (ecp_header_value_check(*h, what, EC_ERR_CREDENTIALS, err) != 0) {
            free_headers(headers);
            return -1;
        }
        l = curl_slist_append(headers, *h);
        if (!l) {
            free_headers(headers);
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        }
        headers = l;
    }
    /* No "Expect: 100-continue" pause before a body. */
    {
        struct curl_slist *l = curl_slist_append(headers, "Expect:");

        if (!l) {
            free_headers(headers);
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        }
        headers = l;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        free_headers(headers);
        return ecp_error_set(err, EC_ERR_INTERNAL, "curl_global_init failed");
    }
    c = curl_easy_init();
    if (!c) {
        ecp_error_set(err, EC_ERR_NOMEM, "curl_easy_init failed");
        goto out;
    }
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_error);
    curl_easy_setopt(c, CURLOPT_URL, req->url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ms(req->connect_timeout));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms(req->timeout));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (req->ca_bundle)
        curl_easy_setopt(c, CURLOPT_CAINFO, req->ca_bundle);
    curl_easy_setopt(c, CURLOPT_PROXY,
                     req->proxy && req->proxy->proxy ? req->proxy->proxy : "");
    curl_easy_setopt(c, CURLOPT_NOPROXY,
                     req->proxy && req->proxy->no_proxy ? req->proxy->no_proxy
                                                        : "");
    curl_easy_setopt(c, CURLOPT_USERAGENT,
                     "libelasticache/" EC_VERSION_STRING " credentials");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    if (strcmp(req->method, "GET") == 0) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(req->body ? req->body_len : 0));
    }
    if (req->read_timeout > 0) {
        idl.curl = c;
        idl.limit = req->read_timeout;
        idl.last = monotonic();
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, &idl);
    }
    sk.body = &resp->body;
    sk.too_large = false;
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sk);
    rc = curl_easy_perform(c);
    if (rc == CURLE_ABORTED_BY_CALLBACK && idl.fired) {
        rc = CURLE_OPERATION_TIMEDOUT;
        snprintf(curl_error, sizeof(curl_error), "no data for %g s",
                 req->read_timeout);
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
    {
        curl_off_t connect_time = 0;

        curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connect_time);
        resp->connected = connect_time > 0;
    }
    if (rc == CURLE_OK) {
        result = 0;
        goto out;
    }
    if (sk.too_large)
        ecp_error_set(err, EC_ERR_PARSE,
                      "the answer from %s is larger than %zu bytes", where,
                      resp->body.limit);
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        ecp_error_set(err, EC_ERR_TIMEOUT, "no answer from %s (%s)", where,
                      curl_error[0] ? curl_error : curl_easy_strerror(rc));
    else
        ecp_error_set(err, EC_ERR_TRANSPORT, "cannot reach %s (%s)", where,
                      curl_error[0] ? curl_error : curl_easy_strerror(rc));
    ecp_buf_free(&resp->body);
out:
    if (c) {
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
        curl_easy_cleanup(c);
    }
    curl_global_cleanup();
    free_headers(headers);
    return result;
}
