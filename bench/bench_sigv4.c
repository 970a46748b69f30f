/* SPDX-License-Identifier: Apache-2.0 */
/* Benchmark driver: signs one ElastiCache RebootCacheCluster request with
 * ecp_signer_sign, either through one signer (signing key cached after the
 * first call) or a new signer per call (the key derived every time).
 * Driven by bench/sigv4_vs_botocore.py, which checks the signature against
 * botocore's first and times every mode in one run.
 *   bench_sigv4 --print                    the Authorization header value
 *   bench_sigv4 --sizes                    bytes hashed and SHA-256 blocks
 *   bench_sigv4 MODE ITERATIONS            prints "ns_per_op N"
 * MODE: cached       one signer, credentials identity given (as the client
 *                    signs: the cached key is recognised by that identity)
 *       cached-hash  one signer, no identity (the secret is recognised by
 *                    a keyed hash of it on every call)
 *       fresh        a new signer for each signature
 *       hashes       no signing: only the hashing a cached-key signature
 *                    does, through the signer's own SHA-256 and HMAC
 *                    midstates (sha256.c) on the same bytes, so the
 *                    difference from "cached" is everything else, less
 *                    the one block the signer takes from its cache of
 *                    the canonical request's first block */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sha256.h"
#include "sigv4.h"
#include "util.h"

static const char body[] = "Action=RebootCacheCluster&CacheClusterId=demo-"
                           "memcached&CacheNodeIdsToReboot.CacheNodeId.1="
                           "0001&CacheNodeIdsToReboot.CacheNodeId.2=0002&"
                           "Version=2015-02-02";

static const ecp_header headers[] = {
    {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
    {"Host", "elasticache.us-east-1.amazonaws.com"},
    {"X-Amz-Date", "20150830T123600Z"},
};

static const ecp_sigv4_params base_params = {
    .access_key_id = "AKIDEXAMPLE",
    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    .region = "us-east-1",
    .service = "elasticache",
    .amz_date = "20150830T123600Z",
    .normalize_path = 1,
    .session_token = NULL,
    .credentials_id = 0,
};

static const ecp_sigv4_request request = {"POST",
                                          "/",
                                          NULL,
                                          headers,
                                          sizeof(headers) / sizeof(headers[0]),
                                          (const unsigned char *)body,
                                          sizeof(body) - 1};

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The bytes a cached-key signature hashes and the SHA-256 compression
 * blocks that takes: the body and the canonical request once each, the
 * string to sign through HMAC with its ipad and opad blocks done once per
 * key (so the inner hash pays for the string to sign and padding, the
 * outer one for the inner digest and padding). */
static int print_sizes(void)
{
    const char *scope = "20150830/us-east-1/elasticache/aws4_request";
    char *creq = NULL, *sh = NULL, *sts = NULL;
    size_t body_len = request.body_len, creq_len, sts_len, blocks;

    if (ecp_sigv4_canonical_request(&request, 1, &creq, &sh, NULL) != 0 ||
        ecp_sigv4_string_to_sign(base_params.amz_date, scope, creq, &sts,
                                 NULL) != 0) {
        free(creq);
        free(sh);
        return -1;
    }
    creq_len = strlen(creq);
    sts_len = strlen(sts);
#define BLOCKS(n) (((n) + 9 + 63) / 64)
    blocks = BLOCKS(body_len) + BLOCKS(creq_len) + BLOCKS(64 + sts_len) - 1 +
             BLOCKS(64 + 32) - 1;
#undef BLOCKS
    printf("body %zu creq %zu sts %zu blocks %zu\n", body_len, creq_len,
           sts_len, blocks);
    free(creq);
    free(sh);
    free(sts);
    return 0;
}

/* The hashing of n cached-key signatures and nothing else: SHA-256 of the
 * body and of the canonical request, HMAC of the string to sign with the
 * signing key's midstates ready. */
static int time_hashes(long n)
{
    const char *scope = "20150830/us-east-1/elasticache/aws4_request";
    char *creq = NULL, *sh = NULL, *sts = NULL;
    unsigned char key[32], md[32];
    volatile unsigned char sink; /* keeps the digests from being dropped */
    ecp_hmac_key k;
    size_t creq_len, sts_len;
    long i;
    double t0;

    if (ecp_sigv4_canonical_request(&request, 1, &creq, &sh, NULL) != 0 ||
        ecp_sigv4_string_to_sign(base_params.amz_date, scope, creq, &sts,
                                 NULL) != 0 ||
        ecp_sigv4_signing_key(base_params.secret_access_key, "20150830",
                              base_params.region, base_params.service, key,
                              NULL) != 0) {
        free(creq);
        free(sh);
        return -1;
    }
    creq_len = strlen(creq);
    sts_len = strlen(sts);
    ecp_hmac_key_init(&k, key, sizeof(key));
    t0 = now_ns();
    for (i = 0; i < n; i++) {
        ecp_sha256(request.body, request.body_len, md);
        sink = md[0];
        ecp_sha256(creq, creq_len, md);
        sink = md[0];
        ecp_hmac_sha256(&k, sts, sts_len, md);
        sink = md[0];
    }
    printf("ns_per_op %.1f\n", n ? (now_ns() - t0) / (double)n : 0.0);
    ecp_hmac_key_wipe(&k);
    free(creq);
    free(sh);
    free(sts);
    (void)sink;
    return 0;
}

/* One signature; a NULL signer means a fresh one. */
static int sign_once(ecp_signer *signer, const ecp_sigv4_params *params,
                     char **authz)
{
    ecp_signer *own = signer ? NULL : ecp_signer_new();
    int rc;

    rc = ecp_signer_sign(signer ? signer : own, &request, params, authz, NULL,
                         NULL);
    ecp_signer_free(own);
    return rc;
}

int main(int argc, char **argv)
{
    ecp_sigv4_params params = base_params;
    ecp_signer *signer = NULL;
    char *authz = NULL, *end;
    const char *mode;
    long i, n;
    double t0, t1;
    int rc = 1;

    params.credentials_id = ecp_sigv4_credentials_id_new();
    if (argc == 2 && strcmp(argv[1], "--print") == 0) {
        if (sign_once(NULL, &params, &authz) != 0)
            goto out;
        printf("%s\n", authz);
        rc = 0;
        goto out;
    }
    if (argc == 2 && strcmp(argv[1], "--sizes") == 0)
        return print_sizes() == 0 ? 0 : 1;
    mode = argc == 3 ? argv[1] : "";
    if (strcmp(mode, "cached") != 0 && strcmp(mode, "cached-hash") != 0 &&
        strcmp(mode, "fresh") != 0 && strcmp(mode, "hashes") != 0) {
        fprintf(stderr, "usage: bench_sigv4 --print | --sizes | "
                        "cached|cached-hash|fresh|hashes N\n");
        return 2;
    }
    n = strtol(argv[2], &end, 10);
    if (*end != '\0' || n < 0) {
        fprintf(stderr, "bench_sigv4: bad iteration count\n");
        return 2;
    }
    if (strcmp(mode, "hashes") == 0)
        return time_hashes(n) == 0 ? 0 : 1;
    if (strcmp(mode, "cached-hash") == 0)
        params.credentials_id = 0;
    if (strcmp(mode, "fresh") != 0) {
        signer = ecp_signer_new();
        /* Warm the cache. */
        if (!signer || sign_once(signer, &params, &authz) != 0)
            goto out;
        free(authz);
        authz = NULL;
    }
    t0 = now_ns();
    for (i = 0; i < n; i++) {
        if (sign_once(signer, &params, &authz) != 0)
            goto out;
        free(authz);
        authz = NULL;
    }
    t1 = now_ns();
    printf("ns_per_op %.1f\n", n ? (t1 - t0) / (double)n : 0.0);
    rc = 0;
out:
    if (rc == 1)
        fprintf(stderr, "bench_sigv4: signing failed\n");
    free(authz);
    ecp_signer_free(signer);
    return rc;
}
