/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the credential providers (one file each in credentials/) share:
 * one small HTTP request over libcurl with its own short timeouts, the STS
 * Query calls, and the pure parsers of each provider's answers
 * (unit-tested on their own).
 */
#ifndef ECP_CREDENTIALS_PROVIDERS_H
#define ECP_CREDENTIALS_PROVIDERS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "credentials.h"

/* ------------------------------------------------------------------ */
/* HTTP (credentials/http.c)                                           */
/* ------------------------------------------------------------------ */

/* Proxy settings copied from the environment at selection time. */
typedef struct ecp_proxy {
    char *proxy;    /* NULL: none */
    char *no_proxy; /* NULL: none */
} ecp_proxy;

/* As curl and botocore read them: lower case before upper case,
 * http(s)_proxy for the URL's scheme, then all_proxy; no_proxy. */
int ecp_proxy_from_env(const char *const *envp, bool https, ecp_proxy *out,
                       ec_error *err);
void ecp_proxy_free(ecp_proxy *p);

typedef struct ecp_http_request {
    const char *method; /* "GET", "PUT", "POST" */
    const char *url;
    /* "Name: value" lines, NULL-terminated. A value with a control
     * character is refused before anything is sent. */
    const char *const *headers;
    const char *body; /* NULL: none */
    size_t body_len;
    double connect_timeout; /* seconds */
    /* Seconds without a byte moving once connected (urllib3's read
     * timeout, as botocore uses it); 0: none. */
    double read_timeout;
    double timeout;         /* seconds for the whole exchange, a backstop */
    const ecp_proxy *proxy; /* NULL: no proxy */
    const char *ca_bundle;  /* NULL: the system's; verification always on */
    size_t max_bytes;       /* the answer's limit */
} ecp_http_request;

typedef struct ecp_http_response {
    long status;
    ecp_buf body;   /* may hold secrets: ecp_http_response_free wipes it */
    bool connected; /* a connection was made (set on failures too) */
} ecp_http_response;

/* One request, no retries, no keep-alive. -1 when no HTTP answer came:
 * EC_ERR_TIMEOUT or EC_ERR_TRANSPORT naming the URL (without its query)
 * and curl's reason; EC_ERR_PARSE for an answer over max_bytes. */
int ecp_http_send(const ecp_http_request *req, ecp_http_response *resp,
                  ec_error *err);
void ecp_http_response_free(ecp_http_response *resp);

/* "scheme://host[:port]/path" of a URL, for messages (no query). */
void ecp_url_for_message(const char *url, char *buf, size_t size);

/* Expiration text as the providers send it: ISO 8601 (what ec_time_parse
 * takes) or the AWS CLI v1 SSO cache's "2019-11-14T04:05:45UTC". */
int ecp_parse_expiration(const char *text, ec_time *out);

/* Wipe every string in a parsed JSON document (credentials, tokens), then
 * release it. NULL is fine. */
void ecp_json_decref_wiped(json_t *doc);

/* Copy a control-character-free text into a header line "Name: value".
 * -1 (EC_ERR_CREDENTIALS naming `what`) when the value has one. */
int ecp_header_line(char **out, const char *name, const char *value,
                    const char *what, ec_error *err);

/* ------------------------------------------------------------------ */
/* STS (credentials/sts.c)                                             */
/* ------------------------------------------------------------------ */

/* Where and how STS is called, fixed at selection time. */
typedef struct ecp_sts_config {
    char *url;            /* POST here */
    char *signing_region; /* the credential scope's region */
    char *ca_bundle;      /* AWS_CA_BUNDLE / profile ca_bundle, or NULL */
    ecp_proxy proxy;
    int max_attempts;
} ecp_sts_config;

/* STS's endpoint for a region, pure: an override URL wins; otherwise the
 * regional endpoint (https://sts.REGION.amazonaws.com, FIPS and dual-stack
 * as the rule set says), or with sts_regional_endpoints "legacy" the
 * global https://sts.amazonaws.com (signed for us-east-1) for the 16
 * regions botocore lists. `regional_setting` is the raw setting (NULL:
 * "regional", the AWS CLI v2's default); anything but "legacy" or
 * "regional" is EC_ERR_CONFIG. *url and *signing_region are new strings. */
int ecp_sts_endpoint(const char *region, const char *override_url,
                     const char *regional_setting, bool use_fips,
                     bool use_dualstack, char **url, char **signing_region,
                     ec_error *err);

/* Everything STS needs from the settings and the environment. */
int ecp_sts_config_init(const ecp_credentials_context *ctx, ecp_sts_config *out,
                        ec_error *err);
void ecp_sts_config_free(ecp_sts_config *c);

typedef struct ecp_sts_params {
    const char *role_arn;
    const char *role_session_name;
    const char *external_id;        /* AssumeRole only, may be NULL */
    long duration_seconds;          /* 0: not sent */
    const char *web_identity_token; /* AssumeRoleWithWebIdentity only */
} ecp_sts_params;

/* The Query body, byte-identical to botocore's (members in the model's
 * order). operation: "AssumeRole" or "AssumeRoleWithWebIdentity". */
int ecp_sts_body(const char *operation, const ecp_sts_params *p, ecp_buf *out,
                 ec_error *err);

/* The Credentials of an AssumeRole(WithWebIdentity) response. */
int ecp_sts_parse_credentials(const char *operation, const char *xml,
                              size_t len, const char *source,
                              ecp_credentials *out, ec_error *err);

/* Call STS (retrying connection failures, throttling and 5xx up to
 * max_attempts). `signer`: the source credentials to sign with (SigV4,
 * service sts), or NULL for an unsigned call. Errors name `source` (the
 * provider) and, for an STS error answer, "An error occurred (Code) when
 * calling the Op operation: Message"; all EC_ERR_CREDENTIALS. */
int ecp_sts_call(const ecp_sts_config *cfg, const ecp_io *io,
                 const char *operation, const ecp_sts_params *p,
                 const ecp_credentials *signer, const char *source,
                 ecp_credentials *out, ec_error *err);

/* botocore's default role session name: "botocore-session-<epoch>". */
void ecp_default_session_name(const ecp_io *io, char *buf, size_t size);

/* ------------------------------------------------------------------ */
/* Pure parts of the providers                                          */
/* ------------------------------------------------------------------ */

/* credential_process output (Version 1): AccessKeyId, SecretAccessKey,
 * SessionToken, Expiration. Errors as botocore words them, prefixed with
 * "custom-process: ". */
int ecp_process_parse(const char *json, size_t len, ecp_credentials *out,
                      ec_error *err);

/* A container credentials answer: AccessKeyId, SecretAccessKey, Token,
 * Expiration, all required. */
int ecp_container_parse(const char *json, size_t len, ecp_credentials *out,
                        ec_error *err);

/* AWS_CONTAINER_CREDENTIALS_FULL_URI's host is one botocore allows: a
 * loopback address (127.0.0.0/8, ::1), localhost, 169.254.170.2,
 * 169.254.170.23 or fd00:ec2::23. Fills `host` (for the message). */
bool ecp_container_host_allowed(const char *url, char *host, size_t size);

/* An IMDS credentials document. 1 when it has all four fields (filled),
 * 0 when it does not (botocore then has no credentials: `why` says what
 * was wrong), -1 on allocation failure. */
int ecp_imds_parse(const char *json, size_t len, ecp_credentials *out,
                   char *why, size_t why_size, ec_error *err);

/* botocore's static-stability extension of IMDS credentials: when less
 * than 15 minutes + jitter (120..600 s) are left, the expiration becomes
 * now + 15 minutes + jitter. Returns true when it extended. */
bool ecp_imds_extend(ecp_credentials *c, ec_time now, int jitter_seconds);

/* The IMDS base URL: AWS_EC2_METADATA_SERVICE_ENDPOINT (or the profile's
 * ec2_metadata_service_endpoint), else by endpoint mode (ipv4:
 * http://169.254.169.254/, ipv6: http://[fd00:ec2::254]/). A mode other
 * than ipv4/ipv6 is EC_ERR_CONFIG. Borrowed or static. */
int ecp_imds_base_url(const char *endpoint, const char *mode, bool use_ipv6,
                      const char **out, ec_error *err);
/* base + path with one '/' between. */
int ecp_imds_url(const char *base, const char *path, char **out, ec_error *err);

/* The SSO token cache file name: sha1 hex of the session name (sso_session
 * profiles) or of the start URL (legacy profiles), ".json". */
void ecp_sso_cache_name(const char *session_name, const char *start_url,
                        char out[46]);

/* A cached SSO token: accessToken and expiresAt. 1 when found, 0 when
 * either is missing (the file is invalid), -1 on a JSON error. */
int ecp_sso_parse_token(const char *json, size_t len, char **access_token,
                        ec_time *expires_at, ec_error *err);

/* GetRoleCredentials' answer: roleCredentials {accessKeyId,
 * secretAccessKey, sessionToken, expiration (epoch milliseconds)}. */
int ecp_sso_parse_role_credentials(const char *json, size_t len,
                                   ecp_credentials *out, ec_error *err);

/* Region from IMDS (placement/availability-zone minus its last letter),
 * as the AWS CLI v2 does when nothing else gives one. *region is NULL
 * (and 0 returned) when IMDS is disabled or gives nothing; `why` (may be
 * NULL) says why. */
int ecp_imds_region(const ec_config *cfg, const ecp_settings *s,
                    const ecp_io *io, char **region, char *why, size_t why_size,
                    ec_error *err);

#endif
