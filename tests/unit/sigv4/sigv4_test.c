/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the SigV4 stages and the caching signer beyond what the
 * case folders cover: the published signing-key vector, canonical forms
 * that botocore 1.29 produces (computed with it and pasted here), the key
 * cache (recognised by a keyed hash of the secret or by the caller's
 * credentials identity), requests larger than the signer's stack buffers,
 * session tokens, debug redaction and argument checks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sigv4.h"
#include "testutil.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define DATE "20150830T123600Z"
#define EMPTY_SHA                                                              \
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define STS_TOKEN                                                              \
    "AQoDYXdzEPT//////////"                                                    \
    "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPf" \
    "IeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZam" \
    "pKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+"     \
    "xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"                                     \
    "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

static void check_creq(const char *path, const char *query, const ecp_header *h,
                       size_t n, const char *expected)
{
    ecp_sigv4_request r = {0};
    char *creq = NULL, *sh = NULL;
    ec_error err = {0};

    r.method = "GET";
    r.path = path;
    r.query = query;
    r.headers = h;
    r.header_count = n;
    CHECK_INT(ecp_sigv4_canonical_request(&r, 1, &creq, &sh, &err), 0);
    CHECK_STR(creq, expected);
    free(creq);
    free(sh);
}

static void test_canonical_forms(void)
{
    ecp_header base[] = {{"Host", "example.amazonaws.com"},
                         {"X-Amz-Date", DATE}};
    ecp_header trim[] = {{"Host", "example.amazonaws.com"},
                         {"My-Header1", " value1"},
                         {"My-Header2", " \"a   b   c\""},
                         {"X-Amz-Date", DATE}};
    const char *tail = "host:example.amazonaws.com\nx-amz-date:" DATE
                       "\n\nhost;x-amz-date\n" EMPTY_SHA;
    char want[1024];

    /* botocore: header values trimmed, inner runs of spaces folded. */
    check_creq("/", NULL, trim, 4,
               "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\n"
               "my-header2:\"a b c\"\nx-amz-date:" DATE "\n\n"
               "host;my-header1;my-header2;x-amz-date\n" EMPTY_SHA);
    snprintf(want, sizeof(want), "GET\n/a/c/d/\n\n%s", tail);
    check_creq("/a/b/../c/./d//", NULL, base, 2, want);
    /* Non-S3 paths are encoded again: %2F is sent as %252F. */
    snprintf(want, sizeof(want), "GET\n/%%252F\n\n%s", tail);
    check_creq("/%2F", NULL, base, 2, want);
    snprintf(want, sizeof(want), "GET\n/\n\n%s", tail);
    check_creq("/./", NULL, base, 2, want);
    check_creq("", NULL, base, 2, want);
    check_creq("/..", NULL, base, 2, want);
    snprintf(want, sizeof(want), "GET\n/\na=0&a=1&b=2&c=\n%s", tail);
    check_creq("/", "b=2&a=1&a=0&c", base, 2, want);
    /* Raw UTF-8 and reserved characters are percent-encoded; '+' in a
     * query is a plus, not a space; an empty pair is dropped. */
    snprintf(want, sizeof(want),
             "GET\n/\n=v&%%E1%%88%%B4=bar&a%%2Bb=c%%20d&k=%%25zz\n%s", tail);
    check_creq("/", "\xe1\x88\xb4=bar&&a+b=c%20d&=v&k=%zz", base, 2, want);
}

static void test_signing_key(void)
{
    unsigned char key[32];
    char hex[65];
    ec_error err = {0};

    /* The example in the AWS General Reference ("Examples of how to derive
     * a signing key for Signature Version 4"). */
    CHECK_INT(ecp_sigv4_signing_key(SECRET, "20150830", "us-east-1", "iam", key,
                                    &err),
              0);
    ecp_hex(key, 32, hex);
    CHECK_STR(
        hex,
        "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

/* The ElastiCache call exactly as the transport makes it. */
static const char *reboot_body =
    "Action=RebootCacheCluster&Version=2015-02-02&CacheClusterId=my-memcached"
    "&CacheNodeIdsToReboot.CacheNodeId.1=0001";

static void fill(ecp_sigv4_request *r, ecp_sigv4_params *p, ecp_header *h,
                 size_t n)
{
    memset(r, 0, sizeof(*r));
    memset(p, 0, sizeof(*p));
    r->method = "POST";
    r->path = "/";
    r->headers = h;
    r->header_count = n;
    r->body = (const unsigned char *)reboot_body;
    r->body_len = strlen(reboot_body);
    p->access_key_id = "AKIDEXAMPLE";
    p->secret_access_key = SECRET;
    p->region = "us-east-1";
    p->service = "elasticache";
    p->amz_date = DATE;
    p->normalize_path = 1;
}

static void test_session_token(void)
{
    static const char golden[] =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
        "elasticache/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, "
        "Signature="
        "1a83295c6ea43e42079c669bedb8bea5515097ee9866b17d30eba2a3f5b8dcf0";
    ecp_header with[] = {
        {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
        {"Host", "elasticache.us-east-1.amazonaws.com"},
        {"X-Amz-Date", DATE},
        {"X-Amz-Security-Token", STS_TOKEN}};
    ecp_sigv4_request r;
    ecp_sigv4_params p;
    ecp_sigv4_debug dbg = {0};
    ecp_signer *s = ecp_signer_new();
    char *authz = NULL;
    ec_error err = {0};

    CHECK(s != NULL);
    /* Token as a header (what the transport does). */
    fill(&r, &p, with, 4);
    CHECK_INT(ecp_signer_sign(s, &r, &p, &authz, &dbg, &err), 0);
    CHECK_STR(authz, golden);
    /* Debug output never carries the token. */
    CHECK(dbg.canonical_request &&
          strstr(dbg.canonical_request, STS_TOKEN) == NULL);
    CHECK(dbg.canonical_request &&
          strstr(dbg.canonical_request, "\nx-amz-security-token:****\n") !=
              NULL);
    CHECK(dbg.string_to_sign &&
          strstr(dbg.string_to_sign,
                 "AWS4-HMAC-SHA256\n" DATE "\n20150830/us-east-1/elasticache/"
                 "aws4_request\n") == dbg.string_to_sign);
    ecp_sigv4_debug_clear(&dbg);
    free(authz);
    authz = NULL;
    /* Token as a parameter: signed as the header would be. */
    fill(&r, &p, with, 3);
    p.session_token = STS_TOKEN;
    CHECK_INT(ecp_signer_sign(s, &r, &p, &authz, NULL, &err), 0);
    CHECK_STR(authz, golden);
    free(authz);
    authz = NULL;
    /* Both: the header wins, the token is not signed twice. */
    fill(&r, &p, with, 4);
    p.session_token = "ignored";
    CHECK_INT(ecp_signer_sign(s, &r, &p, &authz, NULL, &err), 0);
    CHECK_STR(authz, golden);
    free(authz);
    ecp_signer_free(s);
}

static char *sign_with(ecp_signer *s, const char *secret, const char *date,
                       const char *region, const char *service)
{
    ecp_header h[] = {{"Host", "elasticache.us-east-1.amazonaws.com"}};
    ecp_sigv4_request r;
    ecp_sigv4_params p;
    char *authz = NULL;
    ec_error err = {0};

    fill(&r, &p, h, 1);
    p.secret_access_key = secret;
    p.amz_date = date;
    p.region = region;
    p.service = service;
    if (ecp_signer_sign(s, &r, &p, &authz, NULL, &err) != 0)
        return NULL;
    return authz;
}

/* The cache must never hand out a key derived for other inputs: each
 * signature from a warm signer equals the one from a fresh signer. */
static void test_cache(void)
{
    static const char *const inputs[][4] = {
        {SECRET, DATE, "us-east-1", "elasticache"},
        {SECRET, DATE, "us-east-1", "elasticache"},
        {"other-secret", DATE, "us-east-1", "elasticache"},
        {SECRET, DATE, "us-east-1", "elasticache"},
        {SECRET, "20150831T000000Z", "us-east-1", "elasticache"},
        {SECRET, DATE, "eu-west-1", "elasticache"},
        {SECRET, DATE, "eu-west-1", "service"},
        {SECRET, DATE, "us-east-1", "elasticache"},
    };
    ecp_signer *warm = ecp_signer_new();
    char *first = NULL;
    size_t i;

    for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        ecp_signer *fresh = ecp_signer_new();
        char *a = sign_with(warm, inputs[i][0], inputs[i][1], inputs[i][2],
                            inputs[i][3]);
        char *b = sign_with(fresh, inputs[i][0], inputs[i][1], inputs[i][2],
                            inputs[i][3]);

        CHECK(a != NULL);
        CHECK_STR(a, b);
        if (i == 0)
            first = strdup(a);
        else if (i == 2 || i == 4 || i == 5 || i == 6)
            CHECK(a && first && strcmp(a, first) != 0);
        else
            CHECK_STR(a, first);
        free(a);
        free(b);
        ecp_signer_free(fresh);
    }
    free(first);
    ecp_signer_free(warm);
}

/* Sign the reboot call with one key id, secret and credentials identity. */
static char *sign_id(ecp_signer *s, const char *akid, const char *secret,
                     uint64_t id)
{
    ecp_header h[] = {{"Host", "elasticache.us-east-1.amazonaws.com"}};
    ecp_sigv4_request r;
    ecp_sigv4_params p;
    char *authz = NULL;
    ec_error err = {0};

    fill(&r, &p, h, 1);
    p.access_key_id = akid;
    p.secret_access_key = secret;
    p.credentials_id = id;
    if (ecp_signer_sign(s, &r, &p, &authz, NULL, &err) != 0)
        return NULL;
    return authz;
}

/* The same signature from a new signer, recognising nothing. */
static void check_fresh(const char *authz, const char *akid, const char *secret)
{
    ecp_signer *fresh = ecp_signer_new();
    char *want = sign_id(fresh, akid, secret, 0);

    CHECK_STR(authz, want);
    free(want);
    ecp_signer_free(fresh);
}

static const char *signature_of(const char *authz)
{
    const char *sig = authz ? strstr(authz, "Signature=") : NULL;

    return sig ? sig + strlen("Signature=") : "";
}

/* With a credentials identity the signer keeps its key while the identity
 * and the key id stay the same, and derives it again when either changes,
 * or when a caller without an identity comes along. */
static void test_credentials_id(void)
{
    ecp_signer *s = ecp_signer_new();
    uint64_t a = ecp_sigv4_credentials_id_new();
    uint64_t b = ecp_sigv4_credentials_id_new();
    uint64_t c = ecp_sigv4_credentials_id_new();
    char *first, *x;

    CHECK(a != 0 && b != 0 && c != 0 && a != b && b != c && a != c);
    first = sign_id(s, "AKIDEXAMPLE", SECRET, a);
    check_fresh(first, "AKIDEXAMPLE", SECRET);
    x = sign_id(s, "AKIDEXAMPLE", SECRET, a); /* from the cache */
    CHECK_STR(x, first);
    free(x);
    /* A refresh: new identity, new secret. */
    x = sign_id(s, "AKIDEXAMPLE", "other-secret", b);
    check_fresh(x, "AKIDEXAMPLE", "other-secret");
    CHECK(x && strcmp(signature_of(x), signature_of(first)) != 0);
    free(x);
    /* Same identity, another key id (a caller that forgot to take a new
     * identity on a refresh): derived again, not taken from the cache. */
    x = sign_id(s, "ASIAEXAMPLE", SECRET, b);
    check_fresh(x, "ASIAEXAMPLE", SECRET);
    CHECK_STR(signature_of(x), signature_of(first));
    free(x);
    /* No identity after one: the secret decides. */
    x = sign_id(s, "ASIAEXAMPLE", "other-secret", 0);
    check_fresh(x, "ASIAEXAMPLE", "other-secret");
    free(x);
    x = sign_id(s, "ASIAEXAMPLE", SECRET, 0);
    check_fresh(x, "ASIAEXAMPLE", SECRET);
    free(x);
    /* The contract: an identity vouches for the secret, which is not
     * looked at again. Reusing one for another secret signs with the key
     * of the first (this is why identities come from
     * ecp_sigv4_credentials_id_new and change with every refresh). */
    x = sign_id(s, "AKIDEXAMPLE", SECRET, c);
    free(x);
    x = sign_id(s, "AKIDEXAMPLE", "other-secret", c);
    CHECK_STR(signature_of(x), signature_of(first));
    free(x);
    free(first);
    ecp_signer_free(s);
}

/* More headers than the signer sorts in place, and a canonical request
 * longer than its stack buffer: the same rules, on the heap. */
static void test_large_requests(void)
{
    enum { N = 40, BIG = 5000 };
    ecp_header h[N + 2];
    char names[N][16], values[N][16], *big = NULL, *want = NULL;
    char *creq = NULL, *sh = NULL, *sts = NULL, *authz = NULL;
    char *scope = "20150830/us-east-1/elasticache/aws4_request";
    ecp_sigv4_request r;
    ecp_sigv4_params p;
    ecp_signer *s = ecp_signer_new();
    unsigned char key[32];
    char hex[65];
    size_t i, n = 0, wlen = 0, wcap = 2 * BIG + 4096;
    ec_error err = {0};

    big = malloc(BIG + 1);
    want = malloc(wcap);
    CHECK(big && want && s);
    if (!big || !want || !s)
        goto out;
    /* "  a a a ... a  " with runs of mixed whitespace between the a's. */
    for (i = 0; i < BIG; i++)
        big[i] = (i % 4 == 2) ? 'a' : (i % 4 == 3 ? '\t' : ' ');
    big[BIG] = '\0';
    for (i = 0; i < N; i++) { /* given in reverse order */
        snprintf(names[i], sizeof(names[i]), "X-Hdr-%02zu", N - 1 - i);
        snprintf(values[i], sizeof(values[i]), "  v%zu \t x ", N - 1 - i);
        h[n++] = (ecp_header){names[i], values[i]};
    }
    h[n++] = (ecp_header){"x-hdr-07", "second"}; /* joins x-hdr-07 */
    h[n++] = (ecp_header){"X-Big", big};
    wlen = (size_t)snprintf(want, wcap, "GET\n/\n\nx-big:");
    for (i = 0; i < BIG / 4; i++)
        wlen += (size_t)snprintf(want + wlen, wcap - wlen, i ? " a" : "a");
    for (i = 0; i < N; i++)
        wlen +=
            (size_t)snprintf(want + wlen, wcap - wlen, "\nx-hdr-%02zu:v%zu x%s",
                             i, i, i == 7 ? ",second" : "");
    wlen += (size_t)snprintf(want + wlen, wcap - wlen, "\n\nx-big");
    for (i = 0; i < N; i++)
        wlen += (size_t)snprintf(want + wlen, wcap - wlen, ";x-hdr-%02zu", i);
    snprintf(want + wlen, wcap - wlen, "\n%s", EMPTY_SHA);
    memset(&r, 0, sizeof(r));
    r.method = "GET";
    r.path = "/";
    r.headers = h;
    r.header_count = n;
    CHECK_INT(ecp_sigv4_canonical_request(&r, 1, &creq, &sh, &err), 0);
    CHECK_STR(creq, want);
    CHECK(sh && strncmp(sh, "x-big;x-hdr-00;x-hdr-01;", 24) == 0);
    /* The signer agrees with the stages. */
    memset(&p, 0, sizeof(p));
    p.access_key_id = "AKIDEXAMPLE";
    p.secret_access_key = SECRET;
    p.region = "us-east-1";
    p.service = "elasticache";
    p.amz_date = DATE;
    p.normalize_path = 1;
    CHECK_INT(ecp_signer_sign(s, &r, &p, &authz, NULL, &err), 0);
    CHECK_INT(
        ecp_sigv4_string_to_sign(DATE, scope, creq ? creq : "", &sts, &err), 0);
    CHECK_INT(ecp_sigv4_signing_key(SECRET, "20150830", "us-east-1",
                                    "elasticache", key, &err),
              0);
    CHECK_INT(ecp_sigv4_signature(key, sts ? sts : "", hex, &err), 0);
    CHECK_STR(signature_of(authz), hex);
out:
    free(big);
    free(want);
    free(creq);
    free(sh);
    free(sts);
    free(authz);
    ecp_signer_free(s);
}

static void test_bad_arguments(void)
{
    ecp_header h[] = {{"Host", "elasticache.us-east-1.amazonaws.com"},
                      {"X-Amz-Date", DATE}};
    ecp_header bad_name[] = {{"Bad Name", "x"}};
    ecp_sigv4_request r;
    ecp_sigv4_params p;
    ecp_signer *s = ecp_signer_new();
    char *authz = NULL;
    ec_error err = {0};

    fill(&r, &p, h, 2);
    p.amz_date = "2015-08-30T12:36:00Z";
    CHECK_INT(ecp_signer_sign(s, &r, &p, &authz, NULL, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK(authz == NULL);
    ec_error_clear(&err);
    p.amz_date = "20150830T123601Z"; /* differs from the header */
    CHECK_INT(ecp_signer_sign(s, &r, &p, &authz, NULL, &err), -1);
    CHECK(strstr(err.message, "differs") != NULL);
    ec_error_clear(&err);
    fill(&r, &p, h, 2);
    p.region = "us-east-1/x";
    CHECK_INT(ecp_signer_sign(s, &r, &p, &authz, NULL, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    ec_error_clear(&err);
    fill(&r, &p, h, 2);
    p.secret_access_key = NULL;
    CHECK_INT(ecp_signer_sign(s, &r, &p, &authz, NULL, &err), -1);
    CHECK(strstr(err.message, SECRET) == NULL);
    ec_error_clear(&err);
    fill(&r, &p, bad_name, 1);
    CHECK_INT(ecp_signer_sign(s, &r, &p, &authz, NULL, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    /* The secret never shows in an error message. */
    CHECK(strstr(err.message, SECRET) == NULL);
    ecp_signer_free(s);
    ecp_signer_free(NULL);
}

int main(void)
{
    test_canonical_forms();
    test_signing_key();
    test_session_token();
    test_cache();
    test_credentials_id();
    test_large_requests();
    test_bad_arguments();
    return test_status("sigv4_test");
}
