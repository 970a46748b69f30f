/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The only network I/O of the library: a SigV4-signed POST of a Query body
 * over one reusable libcurl handle, with botocore's "standard" retries.
 *
 * Policy, in one place:
 * - Timeouts: connect (CURLOPT_CONNECTTIMEOUT_MS, TLS handshake included)
 *   and read, an idle timeout (no byte moved for that long once the
 *   transfer began; see idle_check). No total timeout, except the call
 *   limit an operation sets (ecp_client_set_call_limit): then every
 *   attempt and retry pause of a call ends within it.
 * - Header values: every one that comes from outside (credentials, the
 *   endpoint's host, the User-Agent suffix) is refused with a control
 *   character in it (ecp_header_value_check), before anything is signed.
 * - Retries (standard): up to max_attempts in all, sleeping
 *   random(0,1) * 2^(attempt-1) s capped at 20 s through the client's
 *   sleep hook, on throttling and transient codes, 500/502/503/504,
 *   connection errors and timeouts, while botocore's retry quota lasts.
 *   Legacy mode uses botocore's _retry.json table; adaptive is standard.
 *   Certificate verification failures are not retried (botocore retries
 *   them; they cannot heal).
 * - Non-idempotent calls (RebootCacheCluster) are resent only when the
 *   failure proves the service did not act: a throttling refusal, or no
 *   connection made. Otherwise err->maybe_sent is set and the caller must
 *   describe before deciding anything. They also run on a fresh
 *   connection, because curl silently resends a request whose reused
 *   connection died before answering.
 */
#include "client.h"

#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "xmlparse.h"

#define CONTENT_TYPE "application/x-www-form-urlencoded; charset=utf-8"
#define MAX_BACKOFF 20.0
#define RETRY_COST 5
#define TIMEOUT_RETRY_COST 10

/* botocore retries/standard.py, ThrottledRetryableChecker. */
static const char *const throttle_codes[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
};

/* TransientRetryableChecker. */
static const char *const transient_codes[] = {
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
};

static bool in_list(const char *code, const char *const *list, size_t n)
{
    size_t i;

    for (i = 0; code && code[0] && i < n; i++)
        if (strcmp(code, list[i]) == 0)
            return true;
    return false;
}

static bool is_throttle(const char *code)
{
    return in_list(code, throttle_codes,
                   sizeof(throttle_codes) / sizeof(throttle_codes[0]));
}

static bool is_transient(const char *code, long status)
{
    return in_list(code, transient_codes,
                   sizeof(transient_codes) / sizeof(transient_codes[0])) ||
           status == 500 || status == 502 || status == 503 || status == 504;
}

/* botocore's legacy mode (data/_retry.json): fewer codes, and statuses
 * 429 and 509 as throttling. */
static const char *const legacy_throttle_codes[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "ProvisionedThroughputExceededException",
};

/* The error response refused the request (throttling): safe to resend
 * even a non-idempotent call. */
static bool refused(ecp_retry_mode mode, const char *code, long status)
{
    if (mode == ECP_RETRY_LEGACY)
        return status == 429 || status == 509 ||
               (status == 400 && in_list(code, legacy_throttle_codes,
                                         sizeof(legacy_throttle_codes) /
                                             sizeof(legacy_throttle_codes[0])));
    return is_throttle(code);
}

/* Retryable, but the work may have been done (server errors). */
static bool transient(ecp_retry_mode mode, const char *code, long status)
{
    if (mode == ECP_RETRY_LEGACY)
        return status == 500 || status == 502 || status == 503 || status == 504;
    return is_transient(code, status);
}

void ecp_response_free(ecp_response *resp)
{
    if (!resp)
        return;
    ecp_buf_free(&resp->body);
    resp->status = 0;
}

ec_time ec_client_now(const ec_client *client)
{
    if (client && client->now)
        return client->now(client->clock_userdata);
    return ec_time_now();
}

void ecp_client_sleep(ec_client *client, double seconds)
{
    struct timespec ts;

    if (seconds <= 0)
        return;
    if (client && client->sleep) {
        client->sleep(client->clock_userdata, seconds);
        return;
    }
    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0)
        ;
}

void ecp_client_debug(ec_client *client, const char *fmt, ...)
{
    char line[2048];
    va_list ap;

    if (!client || !client->debug)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    client->debug(client->debug_userdata, line);
}

unsigned long ecp_client_connect_count(const ec_client *client)
{
    return client ? client->connect_count : 0;
}

static double monotonic(void);

void ecp_client_set_call_limit(ec_client *client, double seconds)
{
    if (!client)
        return;
    client->call_limit = seconds > 0 ? seconds : 0;
    client->call_began = monotonic();
}

/* Seconds left of the call limit; a large number when there is none. */
static double call_left(const ec_client *client)
{
    if (client->call_limit <= 0)
        return 1e12;
    return client->call_limit - (monotonic() - client->call_began);
}

/* Uniform in [0, 1) for the backoff jitter. */
static double random01(void)
{
    uint64_t x = 0;

    if (RAND_bytes((unsigned char *)&x, sizeof(x)) != 1)
        x = (uint64_t)rand();
    return (double)(x >> 11) * (1.0 / 9007199254740992.0);
}

/* A version 4 UUID, as botocore's amz-sdk-invocation-id. */
static void invocation_id(char out[37])
{
    unsigned char b[16] = {0};

    if (RAND_bytes(b, sizeof(b)) != 1)
        for (size_t i = 0; i < sizeof(b); i++)
            b[i] = (unsigned char)rand();
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x"
             "%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
             b[11], b[12], b[13], b[14], b[15]);
}

/* ------------------------------------------------------------------ */
/* Handle set-up                                                       */
/* ------------------------------------------------------------------ */

/* Proxies from the environment the library was given (ec_config.environ),
 * as curl and botocore read them: lower case first, then upper case. */
static const char *proxy_env(const ec_config *cfg, const char *lower,
                             const char *upper)
{
    const char *const *envp = cfg ? cfg->environ : NULL;
    const char *v = ecp_getenv(envp, lower);

    if (!v || !v[0])
        v = ecp_getenv(envp, upper);
    return v && v[0] ? v : NULL;
}

static double monotonic(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Progress callback: fail the transfer when, once connected, no byte has
 * moved either way for read_timeout seconds. curl calls it at least about
 * once a second, so the timeout fires within a second of being due. */
static int idle_check(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                      curl_off_t ultotal, curl_off_t ulnow)
{
    ec_client *client = userdata;
    ecp_idle *idle = &client->idle;
    double now = monotonic();
    curl_off_t pretransfer = 0;

    ECP_UNUSED(dltotal);
    ECP_UNUSED(ultotal);
    if (call_left(client) < 0) {
        idle->budget_fired = true;
        return 1;
    }
    curl_easy_getinfo(client->curl, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
    if (pretransfer == 0 || dlnow != idle->dlnow || ulnow != idle->ulnow) {
        /* Still connecting (the connect timeout covers that), or data
         * moved. */
        idle->dlnow = dlnow;
        idle->ulnow = ulnow;
        idle->last = now;
        return 0;
    }
    if (now - idle->last > client->settings.read_timeout) {
        idle->fired = true;
        return 1;
    }
    return 0;
}

int ecp_transport_init(ec_client *client, const ec_config *config,
                       ec_error *err)
{
    const ecp_settings *s = &client->settings;
    const char *proxy, *no_proxy;
    curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    const char *extra = config ? config->user_agent_extra : NULL;
    CURL *c;

    /* botocore's Config(user_agent_extra): appended after a space. It goes
     * into a header: no control character may end it. */
    if (extra && ecp_header_value_check(extra, "user_agent_extra",
                                        EC_ERR_CONFIG, err) != 0)
        return -1;
    if (extra && strlen(extra) > ECP_USER_AGENT_EXTRA_MAX)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "user_agent_extra is longer than %d bytes",
                             ECP_USER_AGENT_EXTRA_MAX);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return ecp_error_set(err, EC_ERR_INTERNAL, "curl_global_init failed");
    c = curl_easy_init();
    if (!c) {
        curl_global_cleanup();
        return ecp_error_set(err, EC_ERR_NOMEM, "curl_easy_init failed");
    }
    client->curl = c;
    ecp_msgf(client->user_agent, sizeof(client->user_agent),
             "libelasticache/%s (libcurl/%s)%s%s", EC_VERSION_STRING,
             info && info->version ? info->version : "unknown",
             extra && extra[0] ? " " : "", extra ? extra : "");

    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, client->curl_error);
    curl_easy_setopt(c, CURLOPT_USERAGENT, client->user_agent);
    /* Only HTTP(S), never a redirect elsewhere. */
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS,
                     CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    /* HTTP/1.1 as botocore speaks it (no HTTP/2 upgrade via ALPN). */
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    /* Clamped to a day so the conversion cannot overflow. */
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(s->connect_timeout < 86400.0
                                ? s->connect_timeout * 1000.0
                                : 86400000.0));
    /* The read timeout is an idle timeout, as botocore's socket timeout:
     * see idle_check(). There is no total timeout, so a large but steady
     * response is not cut off. (CURLOPT_LOW_SPEED_* cannot do this: it
     * averages over several seconds and counts the upload, so a request
     * just sent hides a silent server.) */
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, idle_check);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, client);

    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, s->verify_ssl ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, s->verify_ssl ? 2L : 0L);
    if (s->ca_bundle)
        curl_easy_setopt(c, CURLOPT_CAINFO, s->ca_bundle);

    /* Set the proxy explicitly (an empty string means none) so the
     * environment the caller passed in ec_config.environ is the one used. */
    proxy = client->endpoint.https
                ? proxy_env(config, "https_proxy", "HTTPS_PROXY")
                : proxy_env(config, "http_proxy", "HTTP_PROXY");
    if (!proxy)
        proxy = proxy_env(config, "all_proxy", "ALL_PROXY");
    no_proxy = proxy_env(config, "no_proxy", "NO_PROXY");
    curl_easy_setopt(c, CURLOPT_PROXY, proxy ? proxy : "");
    curl_easy_setopt(c, CURLOPT_NOPROXY, no_proxy ? no_proxy : "");
    if (proxy)
        ecp_client_debug(client, "Using proxy %s (no_proxy: %s)", proxy,
                         no_proxy ? no_proxy : "");
    return 0;
}

void ecp_transport_cleanup(ec_client *client)
{
    if (client->curl) {
        curl_easy_cleanup(client->curl);
        client->curl = NULL;
        curl_global_cleanup();
    }
}

/* ------------------------------------------------------------------ */
/* One attempt                                                         */
/* ------------------------------------------------------------------ */

typedef struct sink {
    ecp_buf *body;
    bool too_large;
} sink;

static size_t write_cb(char *data, size_t size, size_t nmemb, void *userdata)
{
    sink *s = userdata;
    size_t n = size * nmemb;

    if (ecp_buf_append(s->body, data, n) != 0) {
        s->too_large = true;
        return 0; /* makes curl stop with CURLE_WRITE_ERROR */
    }
    return n;
}

/* Emit a multi-line text one debug line at a time. The signer's debug
 * copies come with the session token already redacted. */
static void debug_block(ec_client *client, const char *title, const char *text)
{
    const char *p = text;

    ecp_client_debug(client, "%s:", title);
    while (p && *p) {
        size_t n = strcspn(p, "\n");

        ecp_client_debug(client, "  %.*s", (int)n, p);
        p += n;
        if (*p == '\n')
            p++;
    }
}

static int amz_date(ec_client *client, char out[17], ec_error *err)
{
    ec_time now = ec_client_now(client);
    time_t t = (time_t)now.sec;
    struct tm tm;

    if (!gmtime_r(&t, &tm) || strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
        return ecp_error_set(err, EC_ERR_INTERNAL, "cannot format the date");
    return 0;
}

typedef enum outcome {
    OUT_OK,            /* 2xx */
    OUT_SERVICE_ERROR, /* an error response; attempt_err filled */
    OUT_NOT_SENT,      /* failed before any byte of the request left */
    OUT_MAYBE_SENT,    /* failed after the request may have arrived */
    OUT_FATAL          /* do not retry (TLS trust, size cap, set-up) */
} outcome;

typedef struct attempt {
    int number;
    int max;
    const char *operation;
    const char *body;
    size_t body_len;
    const char *invocation_id;
    bool idempotent;
    bool timed_out;
} attempt;

static struct curl_slist *add_header(struct curl_slist **list, const char *fmt,
                                     ...) __attribute__((format(printf, 2, 3)));

static struct curl_slist *add_header(struct curl_slist **list, const char *fmt,
                                     ...)
{
    char line[4096];
    struct curl_slist *l;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    l = curl_slist_append(*list, line);
    ec_wipe(line, sizeof(line));
    if (l)
        *list = l;
    return l;
}

/* The header list holds the session token: wipe it before freeing. */
static void free_headers(struct curl_slist *list)
{
    struct curl_slist *l;

    for (l = list; l; l = l->next)
        if (l->data)
            ec_wipe(l->data, strlen(l->data));
    curl_slist_free_all(list);
}

static bool curl_not_connected(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return true;
    default:
        return false;
    }
}

static bool curl_tls_trust(CURLcode rc)
{
    return rc == CURLE_PEER_FAILED_VERIFICATION ||
           rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CERTPROBLEM ||
           rc == CURLE_SSL_ISSUER_ERROR;
}

/* Describe a failed transfer as botocore words it, plus curl's detail. */
static void transfer_error(ec_client *client, CURLcode rc, bool sent,
                           ec_error *err)
{
    const char *url = client->endpoint.request_url;
    const char *detail =
        client->curl_error[0] ? client->curl_error : curl_easy_strerror(rc);

    if (rc == CURLE_OPERATION_TIMEDOUT && !sent)
        ecp_error_set(err, EC_ERR_TIMEOUT,
                      "Connect timeout on endpoint URL: \"%s\" (%s)", url,
                      detail);
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        ecp_error_set(err, EC_ERR_TIMEOUT,
                      "Read timeout on endpoint URL: \"%s\" (%s)", url, detail);
    else if (curl_tls_trust(rc))
        ecp_error_set(err, EC_ERR_TRANSPORT,
                      "SSL validation failed for %s: the server's "
                      "certificate could not be verified (%s). Use "
                      "--ca-bundle or AWS_CA_BUNDLE to name the CA that "
                      "signed it",
                      url, detail);
    else if (rc == CURLE_SSL_CONNECT_ERROR)
        ecp_error_set(err, EC_ERR_TRANSPORT,
                      "SSL handshake with %s failed (%s)", url, detail);
    else if (curl_not_connected(rc))
        ecp_error_set(err, EC_ERR_TRANSPORT,
                      "Could not connect to the endpoint URL: \"%s\" (%s)", url,
                      detail);
    else if (rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING ||
             rc == CURLE_PARTIAL_FILE || rc == CURLE_SEND_ERROR)
        ecp_error_set(err, EC_ERR_TRANSPORT,
                      "Connection was closed before we received a valid "
                      "response from endpoint URL: \"%s\" (%s)",
                      url, detail);
    else
        ecp_error_set(err, EC_ERR_TRANSPORT,
                      "Request to endpoint URL \"%s\" failed (%s)", url,
                      detail);
}

/* The connect and total timeouts of one attempt: the settings, cut to
 * what is left of the call limit. */
static void set_attempt_timeouts(ec_client *client)
{
    double connect = client->settings.connect_timeout;
    double left = call_left(client);
    long total_ms = 0;

    if (client->call_limit > 0) {
        if (left < connect)
            connect = left;
        total_ms = (long)(left * 1000.0) + 1;
    }
    if (connect > 86400.0)
        connect = 86400.0;
    if (connect < 0.001)
        connect = 0.001;
    curl_easy_setopt(client->curl, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(connect * 1000.0));
    curl_easy_setopt(client->curl, CURLOPT_TIMEOUT_MS, total_ms);
}

static outcome do_attempt(ec_client *client, attempt *a, ecp_response *resp,
                          ec_error *err)
{
    const ecp_credentials *cr = NULL;
    const ecp_endpoint *ep = &client->endpoint;
    struct curl_slist *headers = NULL;
    ecp_header sig_headers[4];
    ecp_sigv4_request req = {0};
    ecp_sigv4_params params = {0};
    ecp_sigv4_debug dbg = {0};
    char *authorization = NULL;
    char date[17];
    sink sk;
    CURLcode rc;
    long status = 0, connects = 0;
    long sent = 0;
    curl_off_t pretransfer = 0;
    outcome result = OUT_FATAL;
    size_t n = 0;

    a->timed_out = false;
    ecp_response_free(resp);
    resp->body.limit = client->settings.max_response_bytes;
    /* Credentials as of now: temporary ones are refreshed before they
     * expire, also in the middle of a long wait. Nothing was sent if this
     * fails. */
    if (ecp_client_credentials(client, &cr, err) != 0 ||
        amz_date(client, date, err) != 0)
        goto out;
    /* Every value that goes into a header is checked before anything is
     * signed or sent: a line break in one would start another header (the
     * AWS CLI refuses them too). The same check as the credential
     * providers' own requests (credentials/http.c). */
    if (ecp_header_value_check(cr->access_key_id, "access key id",
                               EC_ERR_TRANSPORT, err) != 0 ||
        (cr->session_token &&
         ecp_header_value_check(cr->session_token, "session token",
                                EC_ERR_TRANSPORT, err) != 0) ||
        ecp_header_value_check(ep->host_header, "endpoint's host",
                               EC_ERR_TRANSPORT, err) != 0)
        goto out;
    if (call_left(client) <= 0) {
        ecp_error_set(err, EC_ERR_TIMEOUT,
                      "the operation's time budget ran out before %s was "
                      "sent",
                      a->operation);
        goto out;
    }

    sig_headers[n++] = (ecp_header){"content-type", CONTENT_TYPE};
    sig_headers[n++] = (ecp_header){"host", ep->host_header};
    sig_headers[n++] = (ecp_header){"x-amz-date", date};
    if (cr->session_token)
        sig_headers[n++] =
            (ecp_header){"x-amz-security-token", cr->session_token};
    req.method = "POST";
    req.path = ep->path;
    req.query = NULL;
    req.headers = sig_headers;
    req.header_count = n;
    req.body = (const unsigned char *)a->body;
    req.body_len = a->body_len;
    params.access_key_id = cr->access_key_id;
    params.secret_access_key = cr->secret_access_key;
    params.region = ep->signing_region;
    params.service = ep->signing_service;
    params.amz_date = date;
    params.normalize_path = 1;
    params.credentials_id = client->credentials->credentials_id;
    if (ecp_signer_sign(client->signer, &req, &params, &authorization,
                        client->debug ? &dbg : NULL, err) != 0)
        goto out;
    if (client->debug) {
        ecp_client_debug(client, "%s attempt %d/%d: POST %s", a->operation,
                         a->number, a->max, ep->request_url);
        ecp_client_debug(client, "Request body: %.*s", (int)a->body_len,
                         a->body);
        debug_block(client, "CanonicalRequest", dbg.canonical_request);
        debug_block(client, "StringToSign", dbg.string_to_sign);
    }

    /* Header set and order as botocore sends them. */
    if (!add_header(&headers, "Host: %s", ep->host_header) ||
        !add_header(&headers, "Accept-Encoding: identity") ||
        !add_header(&headers, "Content-Type: %s", CONTENT_TYPE) ||
        !add_header(&headers, "X-Amz-Date: %s", date) ||
        (cr->session_token && !add_header(&headers, "X-Amz-Security-Token: %s",
                                          cr->session_token)) ||
        !add_header(&headers, "Authorization: %s", authorization) ||
        !add_header(&headers, "amz-sdk-invocation-id: %s", a->invocation_id) ||
        !add_header(&headers, "amz-sdk-request: attempt=%d; max=%d", a->number,
                    a->max) ||
        !add_header(&headers, "Expect:") || !add_header(&headers, "Accept:")) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        goto out;
    }

    sk.body = &resp->body;
    sk.too_large = false;
    client->curl_error[0] = '\0';
    curl_easy_setopt(client->curl, CURLOPT_URL, ep->request_url);
    curl_easy_setopt(client->curl, CURLOPT_POST, 1L);
    curl_easy_setopt(client->curl, CURLOPT_POSTFIELDS, a->body);
    curl_easy_setopt(client->curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     (curl_off_t)a->body_len);
    curl_easy_setopt(client->curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(client->curl, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(client->curl, CURLOPT_WRITEDATA, &sk);
    /* curl silently resends a request on a fresh connection when a reused
     * one dies before any answer byte; a server may have processed it by
     * then. A non-idempotent call therefore always opens its own
     * connection (it stays cached for later calls). */
    curl_easy_setopt(client->curl, CURLOPT_FRESH_CONNECT,
                     a->idempotent ? 0L : 1L);
    set_attempt_timeouts(client);
    client->request_count++;
    memset(&client->idle, 0, sizeof(client->idle));
    client->idle.last = monotonic();
    rc = curl_easy_perform(client->curl);
    if (rc == CURLE_ABORTED_BY_CALLBACK && client->idle.fired) {
        rc = CURLE_OPERATION_TIMEDOUT;
        snprintf(client->curl_error, sizeof(client->curl_error),
                 "no data for %.1f seconds", client->settings.read_timeout);
    } else if ((rc == CURLE_ABORTED_BY_CALLBACK && client->idle.budget_fired) ||
               (rc == CURLE_OPERATION_TIMEDOUT && client->call_limit > 0 &&
                call_left(client) < 0.01)) {
        rc = CURLE_OPERATION_TIMEDOUT;
        snprintf(client->curl_error, sizeof(client->curl_error),
                 "the operation's time budget of %.1f s ran out",
                 client->call_limit);
    }
    /* Do not leave pointers to this frame in the handle. */
    curl_easy_setopt(client->curl, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(client->curl, CURLOPT_WRITEDATA, NULL);
    curl_easy_getinfo(client->curl, CURLINFO_NUM_CONNECTS, &connects);
    curl_easy_getinfo(client->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(client->curl, CURLINFO_REQUEST_SIZE, &sent);
    curl_easy_getinfo(client->curl, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
    client->connect_count += (unsigned long)connects;
    resp->status = status;

    if (rc != CURLE_OK) {
        /* Provably not sent: curl failed before it had a connection
         * (refused, DNS, TLS handshake), or timed out before the transfer
         * began and with no request byte written. Anything else may have
         * reached the service. */
        bool maybe_sent =
            !curl_not_connected(rc) &&
            !(rc == CURLE_OPERATION_TIMEDOUT && pretransfer == 0 && sent == 0);

        ecp_client_debug(client, "%s attempt %d/%d: %s", a->operation,
                         a->number, a->max,
                         client->curl_error[0] ? client->curl_error
                                               : curl_easy_strerror(rc));
        if (sk.too_large) {
            ecp_error_set(err, EC_ERR_PARSE,
                          "response too large: more than %zu bytes from %s",
                          client->settings.max_response_bytes, ep->request_url);
            result = OUT_FATAL;
            goto out;
        }
        transfer_error(client, rc, maybe_sent, err);
        a->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
        if (curl_tls_trust(rc))
            /* Deviation from botocore, which retries SSLError: a
             * certificate that fails verification will fail again. */
            result = OUT_FATAL;
        else
            result = maybe_sent ? OUT_MAYBE_SENT : OUT_NOT_SENT;
        goto out;
    }
    ecp_client_debug(client, "%s attempt %d/%d: HTTP %ld, %zu bytes",
                     a->operation, a->number, a->max, status, resp->body.len);
    if (status >= 200 && status < 300) {
        result = OUT_OK;
        goto out;
    }
    ecp_parse_error(resp->body.data ? resp->body.data : "", resp->body.len,
                    client->settings.max_response_bytes, (int)status, err);
    if (err && err->code == EC_ERR_SERVICE)
        ecp_client_debug(client, "%s attempt %d/%d: error %s: %s", a->operation,
                         a->number, a->max, err->aws_code, err->message);
    result = OUT_SERVICE_ERROR;
out:
    free_headers(headers);
    if (authorization)
        ec_free_secret(authorization);
    /* The canonical request holds the session token in clear. */
    if (dbg.canonical_request)
        ec_wipe(dbg.canonical_request, strlen(dbg.canonical_request));
    ecp_sigv4_debug_clear(&dbg);
    return result;
}

/* ------------------------------------------------------------------ */
/* Retries                                                             */
/* ------------------------------------------------------------------ */

int ecp_client_send(ec_client *client, const char *operation, const char *body,
                    size_t body_len, bool idempotent, ecp_response *resp,
                    ec_error *err)
{
    const ecp_settings *s = &client->settings;
    char inv[37];
    attempt a = {0};
    int held_quota = 0;

    invocation_id(inv);
    a.max = s->max_attempts;
    a.operation = operation;
    a.body = body;
    a.body_len = body_len;
    a.invocation_id = inv;
    a.idempotent = idempotent;
    memset(resp, 0, sizeof(*resp));

    for (a.number = 1;; a.number++) {
        ec_error attempt_err;
        outcome o;
        bool retry;
        double delay;
        int cost;

        ec_error_clear(&attempt_err);
        o = do_attempt(client, &a, resp, &attempt_err);
        if (o == OUT_OK) {
            /* A success refills the retry quota. */
            client->retry_quota += held_quota ? held_quota : 1;
            if (client->retry_quota > ECP_RETRY_QUOTA_MAX)
                client->retry_quota = ECP_RETRY_QUOTA_MAX;
            return 0;
        }
        switch (o) {
        case OUT_SERVICE_ERROR:
            if (refused(s->retry_mode, attempt_err.aws_code, resp->status))
                /* A throttled request was refused, not processed. */
                retry = true;
            else if (transient(s->retry_mode, attempt_err.aws_code,
                               resp->status))
                retry = idempotent;
            else
                retry = false;
            /* A 5xx may come after the work was done. */
            if (!idempotent && !retry &&
                transient(s->retry_mode, attempt_err.aws_code, resp->status))
                attempt_err.maybe_sent = true;
            break;
        case OUT_NOT_SENT:
            retry = true;
            break;
        case OUT_MAYBE_SENT:
            retry = idempotent;
            if (!idempotent)
                attempt_err.maybe_sent = true;
            break;
        default:
            retry = false;
            break;
        }
        cost = a.timed_out ? TIMEOUT_RETRY_COST : RETRY_COST;
        if (retry && a.number >= a.max) {
            retry = false;
            ecp_client_debug(client, "%s: giving up after %d attempts",
                             operation, a.number);
        }
        if (s->retry_mode == ECP_RETRY_LEGACY)
            cost = 0; /* legacy mode has no retry quota */
        if (retry && client->retry_quota < cost) {
            retry = false;
            ecp_client_debug(client, "%s: retry quota exhausted", operation);
        }
        /* botocore ExponentialBackoff: rand * 2^(attempt-1), capped at
         * 20 s in standard mode (legacy has no cap). */
        delay = random01() * pow(2.0, a.number - 1);
        if (s->retry_mode != ECP_RETRY_LEGACY && delay > MAX_BACKOFF)
            delay = MAX_BACKOFF;
        if (retry && delay >= call_left(client)) {
            retry = false;
            ecp_client_debug(client,
                             "%s: no retry, the operation's time budget "
                             "ends first",
                             operation);
        }
        if (!retry) {
            attempt_err.attempts = a.number;
            if (!idempotent && o == OUT_MAYBE_SENT)
                attempt_err.maybe_sent = true;
            if (err && err->code == EC_OK) {
                *err = attempt_err;
                ecp_error_set_operation(err, operation);
            }
            if (o != OUT_SERVICE_ERROR)
                ecp_response_free(resp);
            return -1;
        }
        client->retry_quota -= cost;
        held_quota = cost;
        ecp_client_debug(client, "%s: retrying in %.3f s (attempt %d of %d)",
                         operation, delay, a.number + 1, a.max);
        ecp_client_sleep(client, delay);
    }
}
