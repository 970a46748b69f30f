/* Benchmark driver: signs one ElastiCache RebootCacheCluster request with
 * ecp_signer_sign, either through one signer (signing key cached after the
 * first call) or a new signer per call (the key derived every time).
 * Driven by bench/sigv4_vs_botocore.py, which checks the signature against
 * botocore's first and times both in one run.
 *   bench_sigv4 --print                    the Authorization header value
 *   bench_sigv4 cached|fresh ITERATIONS    prints "ns_per_op N" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static const ecp_sigv4_params params = {
    "AKIDEXAMPLE",
    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "us-east-1",
    "elasticache",
    "20150830T123600Z",
    1,
    NULL};

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

/* One signature; a NULL signer means a fresh one. */
static int sign_once(ecp_signer *signer, char **authz)
{
    ecp_signer *own = signer ? NULL : ecp_signer_new();
    int rc;

    rc = ecp_signer_sign(signer ? signer : own, &request, &params, authz, NULL,
                         NULL);
    ecp_signer_free(own);
    return rc;
}

int main(int argc, char **argv)
{
    ecp_signer *signer = NULL;
    char *authz = NULL, *end;
    long i, n;
    double t0, t1;
    int rc = 1;

    if (argc == 2 && strcmp(argv[1], "--print") == 0) {
        if (sign_once(NULL, &authz) != 0)
            goto out;
        printf("%s\n", authz);
        rc = 0;
        goto out;
    }
    if (argc != 3 ||
        (strcmp(argv[1], "cached") != 0 && strcmp(argv[1], "fresh") != 0)) {
        fprintf(stderr, "usage: bench_sigv4 --print | cached|fresh N\n");
        return 2;
    }
    n = strtol(argv[2], &end, 10);
    if (*end != '\0' || n < 0) {
        fprintf(stderr, "bench_sigv4: bad iteration count\n");
        return 2;
    }
    if (strcmp(argv[1], "cached") == 0) {
        signer = ecp_signer_new();
        if (!signer || sign_once(signer, &authz) != 0) /* warm the cache */
            goto out;
        free(authz);
        authz = NULL;
    }
    t0 = now_ns();
    for (i = 0; i < n; i++) {
        if (sign_once(signer, &authz) != 0)
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
