/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AWS Signature Version 4, as pure stages (canonical request, string to
 * sign, signing key, signature). The timestamp is always an input.
 */
#ifndef ECP_SIGV4_H
#define ECP_SIGV4_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef struct ecp_header {
    const char *name;
    const char *value;
} ecp_header;

typedef struct ecp_sigv4_request {
    const char *method;        /* "POST" */
    const char *path;          /* raw request path, e.g. "/" */
    const char *query;         /* raw query string without '?', or NULL */
    const ecp_header *headers; /* every header here is signed */
    size_t header_count;
    const unsigned char *body;
    size_t body_len;
} ecp_sigv4_request;

typedef struct ecp_sigv4_params {
    const char *access_key_id;
    const char *secret_access_key;
    const char *region;
    const char *service;  /* "elasticache" */
    const char *amz_date; /* "20150830T123600Z", matching X-Amz-Date */
    /* true (the default for AWS services): normalise the path. */
    int normalize_path;
    /* Optional. When set and the request has no X-Amz-Security-Token
     * header, it is signed as one (the caller must still send that header).
     * When the header is there, this field is ignored. */
    const char *session_token;
    /* Optional identity of the credentials (key id, secret, token), from
     * ecp_sigv4_credentials_id_new(): the caller takes a new one whenever
     * any of them changes (a refresh), and never reuses one for other
     * credentials. With it the signer recognises the credentials its cached
     * key was derived from by this number (and the access key id), with no
     * per-call work on the secret. 0: unknown; the signer then recognises
     * the secret by a keyed hash of it, two SHA-256 blocks per call. */
    uint64_t credentials_id;
} ecp_sigv4_params;

/* A fresh credentials identity for ecp_sigv4_params.credentials_id: never
 * 0, never returned twice in this process. Thread-safe. */
uint64_t ecp_sigv4_credentials_id_new(void);

/* Stage 1. Caller frees *creq and *signed_headers.
 * Header names are lowercased and sorted; repeated names are joined with
 * ',' in the order given; values are trimmed and runs of whitespace
 * (including folded line breaks) become one space. The query is split on
 * '&' and '=', percent-decoded, re-encoded (RFC 3986 unreserved kept) and
 * sorted by key, then value. With normalize_path the path loses dot
 * segments and repeated slashes and each byte outside the unreserved set
 * and '/' is percent-encoded (so an already-encoded path is encoded twice,
 * as AWS requires for every service but S3); without it the path is used
 * exactly as given (S3 style: the caller encodes it). */
int ecp_sigv4_canonical_request(const ecp_sigv4_request *req,
                                int normalize_path, char **creq,
                                char **signed_headers, ec_error *err);
/* Stage 2. scope is "YYYYMMDD/region/service/aws4_request". */
int ecp_sigv4_string_to_sign(const char *amz_date, const char *scope,
                             const char *creq, char **sts, ec_error *err);
/* Stage 3. date8 is "YYYYMMDD". */
int ecp_sigv4_signing_key(const char *secret, const char *date8,
                          const char *region, const char *service,
                          unsigned char key[32], ec_error *err);
/* Stage 4. hex gets 64 characters and a NUL. */
int ecp_sigv4_signature(const unsigned char key[32], const char *sts,
                        char hex[65], ec_error *err);

/* A signer caches the signing key per (credentials, date, region, service)
 * as its HMAC midstates and wipes them when freed or replaced; it also
 * keeps the SHA-256 state after the last canonical request's first 64
 * bytes (public data, never a block holding session token bytes), which
 * the next request of one client repeats. It signs with no allocation but
 * the Authorization value it returns (for the usual request sizes). The
 * stage functions above share its code but derive the key on every call:
 * they are for tests and tools, the signer is the fast path. */
typedef struct ecp_signer ecp_signer;

/* NULL when out of memory. */
ecp_signer *ecp_signer_new(void);
/* Wipes the cached key and everything derived from the secret. */
void ecp_signer_free(ecp_signer *signer);
/* Wipes the cached key (its midstates), the keyed hash of the secret and
 * what they were for: the next signature derives the key again. NULL is
 * ignored. */
void ecp_signer_forget(ecp_signer *signer);
/* For tests: 1 while any byte of the cached key's midstates or of the
 * keyed hash of the secret is not zero, 0 once they are wiped. */
int ecp_signer_holds_key(const ecp_signer *signer);
/* For tests: 1 when the n bytes at p appear anywhere in the signer's own
 * memory (its cached state, not what it points to), else 0. */
int ecp_signer_holds_bytes(const ecp_signer *signer, const void *p, size_t n);

/* Debug copies of the intermediate stages (never secrets: the value of an
 * x-amz-security-token line in the canonical request is replaced by
 * "****"; the string to sign is exact). */
typedef struct ecp_sigv4_debug {
    char *canonical_request;
    char *string_to_sign;
} ecp_sigv4_debug;

void ecp_sigv4_debug_clear(ecp_sigv4_debug *dbg);

/* All stages: *authorization gets the full Authorization header value
 * ("AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...").
 * The caller frees it. dbg may be NULL; otherwise clear it with
 * ecp_sigv4_debug_clear(). params->amz_date must be "YYYYMMDDTHHMMSSZ" and
 * equal the X-Amz-Date header when the request has one. Errors:
 * EC_ERR_INVALID_ARGUMENT, EC_ERR_NOMEM, EC_ERR_INTERNAL (OpenSSL).
 * A signer is not thread-safe: use one per thread (or per client).
 *
 * The ElastiCache Query call: method "POST", path "/", query NULL,
 * headers Content-Type "application/x-www-form-urlencoded; charset=utf-8",
 * Host, X-Amz-Date (and X-Amz-Security-Token with a session token), body
 * the form-encoded parameters, service "elasticache", normalize_path 1. */
int ecp_signer_sign(ecp_signer *signer, const ecp_sigv4_request *req,
                    const ecp_sigv4_params *params, char **authorization,
                    ecp_sigv4_debug *dbg, ec_error *err);

#endif
