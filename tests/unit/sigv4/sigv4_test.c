/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the SigV4 stages and the caching signer beyond what the
 * case folders cover: the published signing-key vector, canonical forms
 * that botocore 1.29 produces (computed with it and pasted here), the key
 * cache (recognised by a keyed hash of the secret or by the caller's
 * credentials identity), requests larger than the signer's stack buffers,
 * session tokens, debug redaction and argument checks; the SHA-256 and
 * HMAC midstate code against published vectors and OpenSSL's EVP; a warm
 * signer against fresh ones over many requests and key changes; and
 * forgetting, which must wipe the cached key's midstates.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sha256.h"
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

static void hex_of(const unsigned char *md, char out[65])
{
    ecp_hex(md, 32, out);
}

/* sha256.c against RFC 4231 (HMAC) and FIPS 180-2 (SHA-256) vectors, then
 * against OpenSSL's EVP digest and HMAC() for every key length around the
 * 64-byte block (a longer key is hashed first) and many data lengths
 * around the padding boundaries. */
static void test_sha256_hmac(void)
{
    unsigned char md[32], want[32], key[140], data[200];
    unsigned int want_len;
    char hex[65];
    size_t klen, dlen;
    int same = 1;

    ecp_sha256("abc", 3, md);
    hex_of(md, hex);
    CHECK_STR(
        hex,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ecp_hmac_sha256_once("Jefe", 4, "what do ya want for nothing?", 28, md);
    hex_of(md, hex);
    CHECK_STR(
        hex,
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    memset(key, 0xaa, 131);
    ecp_hmac_sha256_once(
        key, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 54,
        md);
    hex_of(md, hex);
    CHECK_STR(
        hex,
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");

    for (klen = 0; klen < sizeof(key); klen++)
        key[klen] = (unsigned char)(klen * 37 + 11);
    for (dlen = 0; dlen < sizeof(data); dlen++)
        data[dlen] = (unsigned char)(dlen * 101 + 7);
    for (dlen = 0; dlen < sizeof(data); dlen++) {
        ecp_sha256(data, dlen, md);
        if (EVP_Digest(data, dlen, want, &want_len, EVP_sha256(), NULL) != 1 ||
            memcmp(md, want, 32) != 0)
            same = 0;
    }
    CHECK(same);
    for (klen = 0; klen < sizeof(key); klen++) {
        ecp_hmac_key k;

        ecp_hmac_key_init(&k, key, klen);
        /* The same midstates serve every message. */
        for (dlen = klen % 7; dlen < sizeof(data); dlen += 13) {
            ecp_hmac_sha256(&k, data, dlen, md);
            if (!HMAC(EVP_sha256(), key, (int)klen, data, dlen, want,
                      &want_len) ||
                memcmp(md, want, 32) != 0) {
                fprintf(stderr, "HMAC differs: key %zu, data %zu bytes\n", klen,
                        dlen);
                same = 0;
            }
        }
        ecp_hmac_key_wipe(&k);
    }
    CHECK(same);
}

static uint32_t next_random(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/* One warm signer without a credentials identity and one with (a new
 * identity whenever the secret or key id changes, as the client takes
 * one), both checked against a new signer for every request. Bodies,
 * paths, queries, headers and session tokens vary on every request; the
 * key's inputs (secret, date, region, service, key id) change on about
 * one request in six, so a stale key served from the cache shows up as a
 * signature that differs from the fresh one. */
static void test_cache_many(void)
{
    static const char *const secrets[] = {
        SECRET, "other-secret",
        /* "AWS4" + this is longer than a SHA-256 block. */
        ("a-secret-that-is-longer-than-one-sha256-block-once-AWS4-is-"
         "prefixed-to-it")};
    /* The third has the first's day: the same key, a new X-Amz-Date. */
    static const char *const dates[] = {DATE, "20150831T000000Z",
                                        "20150830T235959Z"};
    static const char *const regions[] = {"us-east-1", "eu-west-1"};
    static const char *const services[] = {"elasticache", "sts"};
    static const char *const akids[] = {"AKIDEXAMPLE", "ASIAEXAMPLE"};
    static const char *const paths[] = {"/", "/a/./b/../c", "//x y/"};
    static const char *const queries[] = {NULL, "b=2&a=1", "x=%41%2f&x=1"};
    enum { N = 1000 };
    ecp_signer *warm = ecp_signer_new(), *warm_id = ecp_signer_new();
    uint32_t x = 20150830;
    unsigned sec = 0, day = 0, reg = 0, svc = 0, ak = 0, key_changes = 0;
    uint64_t id = ecp_sigv4_credentials_id_new();
    size_t i, equal = 0;

    CHECK(warm && warm_id);
    for (i = 0; i < N && warm && warm_id; i++) {
        uint32_t r = next_random(&x);
        char body[64], custom[32];
        ecp_header h[] = {{"Host", "elasticache.us-east-1.amazonaws.com"},
                          {"X-Amz-Date", NULL},
                          {"X-Custom", custom}};
        ecp_sigv4_request req;
        ecp_sigv4_params p;
        ecp_signer *fresh = ecp_signer_new();
        char *a = NULL, *b = NULL, *c = NULL;

        if (r % 6 == 0) {
            unsigned what = (r >> 3) % 5;

            key_changes++;
            if (what == 0 || what == 4) {
                sec = (sec + 1) % 3;
                id = ecp_sigv4_credentials_id_new();
            }
            if (what == 1)
                day = (day + 1) % 3;
            if (what == 2)
                reg ^= 1;
            if (what == 3)
                svc ^= 1;
            if (what == 4) {
                ak ^= 1;
                id = ecp_sigv4_credentials_id_new();
            }
        }
        snprintf(body, sizeof(body), "Action=RebootCacheCluster&N=%u",
                 (unsigned)(r >> 8));
        snprintf(custom, sizeof(custom), " a  %u\t", (unsigned)(r % 997));
        fill(&req, &p, h, 3);
        h[1].value = dates[day];
        req.body = (const unsigned char *)body;
        req.body_len = strlen(body);
        req.path = paths[(r >> 12) % 3];
        req.query = queries[(r >> 14) % 3];
        p.access_key_id = akids[ak];
        p.secret_access_key = secrets[sec];
        p.amz_date = dates[day];
        p.region = regions[reg];
        p.service = services[svc];
        p.session_token = (r >> 16) % 3 == 0 ? STS_TOKEN : NULL;
        CHECK_INT(ecp_signer_sign(warm, &req, &p, &a, NULL, NULL), 0);
        p.credentials_id = id;
        CHECK_INT(ecp_signer_sign(warm_id, &req, &p, &b, NULL, NULL), 0);
        p.credentials_id = 0;
        CHECK_INT(ecp_signer_sign(fresh, &req, &p, &c, NULL, NULL), 0);
        if (a && b && c && strcmp(a, c) == 0 && strcmp(b, c) == 0)
            equal++;
        else
            fprintf(stderr, "request %zu: warm %s\n  with id %s\n  fresh %s\n",
                    i, a ? a : "(null)", b ? b : "(null)", c ? c : "(null)");
        free(a);
        free(b);
        free(c);
        ecp_signer_free(fresh);
    }
    CHECK_INT(equal, N);
    /* The mix did change the key, often. */
    CHECK(key_changes > N / 10);
    ecp_signer_free(warm);
    ecp_signer_free(warm_id);
}

/* Forgetting wipes the cached key's midstates and the keyed hash of the
 * secret (every byte zero, not just a flag cleared); the next signature
 * derives the key again and is the same. */
static void test_forget(void)
{
    ecp_signer *s = ecp_signer_new();
    uint64_t id = ecp_sigv4_credentials_id_new();
    char *a, *b;

    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_INT(ecp_signer_holds_key(s), 0);
    a = sign_id(s, "AKIDEXAMPLE", SECRET, 0);
    CHECK_INT(ecp_signer_holds_key(s), 1);
    ecp_signer_forget(s);
    CHECK_INT(ecp_signer_holds_key(s), 0);
    b = sign_id(s, "AKIDEXAMPLE", SECRET, 0);
    CHECK_STR(b, a);
    free(b);
    /* With an identity: forgetting also forgets what the identity
     * vouched for, so the same identity derives the key again. */
    b = sign_id(s, "AKIDEXAMPLE", SECRET, id);
    CHECK_STR(b, a);
    free(b);
    CHECK_INT(ecp_signer_holds_key(s), 1);
    ecp_signer_forget(s);
    CHECK_INT(ecp_signer_holds_key(s), 0);
    b = sign_id(s, "AKIDEXAMPLE", SECRET, id);
    CHECK_STR(b, a);
    CHECK_INT(ecp_signer_holds_key(s), 1);
    free(b);
    free(a);
    ecp_signer_forget(NULL);
    ecp_signer_free(s);
}

/* ecp_sha256_with_prefix against ecp_sha256 for every length around the
 * block, through one cache whose first block is sometimes the same as the
 * last call's (served from it) and sometimes not (taken over). */
static void test_sha256_prefix(void)
{
    ecp_sha256_prefix pre;
    unsigned char data[200], md[32], want[32];
    size_t len, i, equal = 0, calls = 0;

    memset(&pre, 0, sizeof(pre));
    for (i = 0; i < sizeof(data); i++)
        data[i] = (unsigned char)(i * 7 + 3);
    for (len = 0; len <= sizeof(data); len++) {
        for (i = 0; i < 3; i++) {
            if (i == 2)
                data[len % 64]++; /* a new first block (when there is one) */
            ecp_sha256(data, len, want);
            ecp_sha256_with_prefix(&pre, data, len, md);
            equal += memcmp(md, want, sizeof(md)) == 0;
            calls++;
        }
    }
    CHECK_INT(equal, calls);
    /* The cache holds the last first block it saw. */
    CHECK_INT(pre.valid, 1);
    CHECK(memcmp(pre.block, data, 64) == 0);
}

/* The signer's first-block cache, as the session token moves through the
 * canonical request's first block (a longer path pushes it later): every
 * signature equals the one the stages make without any cache, and the
 * signer keeps the first block only when no byte of the token's value is
 * in it. */
static void test_creq_prefix_token(void)
{
    ecp_signer *s = ecp_signer_new();
    char path[64];
    ecp_header with[] = {{"host", "h"}, {"x-amz-security-token", STS_TOKEN}};
    size_t k, equal = 0, kept = 0, leaked = 0, runs = 0;

    CHECK(s != NULL);
    for (k = 0; k < 48 && s; k++) {
        ecp_sigv4_request r;
        ecp_sigv4_params p;
        char *creq = NULL, *sh = NULL, *sts = NULL, *authz = NULL, sig[65];
        const char *line;
        unsigned char key[32];
        size_t t;

        memset(path, 'p', sizeof(path));
        path[0] = '/';
        path[k + 1] = '\0';
        fill(&r, &p, with, 2);
        r.method = "GET";
        r.path = path;
        CHECK_INT(ecp_sigv4_canonical_request(&r, 1, &creq, &sh, NULL), 0);
        CHECK_INT(ecp_sigv4_string_to_sign(
                      DATE, "20150830/us-east-1/elasticache/aws4_request",
                      creq ? creq : "", &sts, NULL),
                  0);
        CHECK_INT(ecp_sigv4_signing_key(SECRET, "20150830", "us-east-1",
                                        "elasticache", key, NULL),
                  0);
        CHECK_INT(ecp_sigv4_signature(key, sts ? sts : "", sig, NULL), 0);
        /* The signer adds the token itself, as the transport's refresh
         * path does, and signs twice: the second may use the cache. */
        fill(&r, &p, with, 1);
        r.method = "GET";
        r.path = path;
        p.session_token = STS_TOKEN;
        CHECK_INT(ecp_signer_sign(s, &r, &p, &authz, NULL, NULL), 0);
        equal += strcmp(signature_of(authz), sig) == 0;
        free(authz);
        authz = NULL;
        CHECK_INT(ecp_signer_sign(s, &r, &p, &authz, NULL, NULL), 0);
        equal += strcmp(signature_of(authz), sig) == 0;
        runs += 2;
        line = creq ? strstr(creq, "\nx-amz-security-token:") : NULL;
        CHECK(line != NULL);
        t = line ? (size_t)(line - creq) + strlen("\nx-amz-security-token:")
                 : 0;
        if (line && ecp_signer_holds_bytes(s, creq, 64)) {
            kept++;
            leaked += t < 64;
        } else {
            CHECK(t < 64); /* not kept only while the token is in it */
        }
        free(creq);
        free(sh);
        free(sts);
        free(authz);
    }
    CHECK_INT(equal, runs);
    CHECK_INT(leaked, 0);
    /* "GET\n/" k "\n\nhost:h\nx-amz-security-token:": the token's value
     * starts at 35 + k, so the block is kept for k from 29 on. */
    CHECK_INT(kept, 48 - 29);
    ecp_signer_free(s);
}

/* The key id, region and service are checked where the key is derived:
 * a signer warm with good ones, with and without a credentials identity,
 * still refuses bad ones, even ones that spell the cached scope with the
 * '/' moved between region and service. */
static void test_bad_parts_warm(void)
{
    static const struct {
        const char *akid, *region, *service;
    } bad[] = {{"AKID EXAMPLE", "us-east-1", "elasticache"},
               {"AKIDEXAMPLE,", "us-east-1", "elasticache"},
               {"AKIDEXAMPLE", "us-east-1/elasticache", "aws4_request"},
               {"AKIDEXAMPLE", "us-east-1", "elasticache/aws4_request"},
               {"AKIDEXAMPLE", "us-east-1", "elastic=cache"},
               {"", "us-east-1", "elasticache"},
               {"AKIDEXAMPLE", "", "elasticache"},
               {"AKIDEXAMPLE", "us-east-1", NULL}};
    ecp_header h[] = {{"Host", "elasticache.us-east-1.amazonaws.com"}};
    uint64_t id = ecp_sigv4_credentials_id_new();
    ecp_signer *s = ecp_signer_new();
    size_t i, refused = 0;
    int with_id;

    CHECK(s != NULL);
    for (i = 0; s && i < sizeof(bad) / sizeof(bad[0]); i++) {
        for (with_id = 0; with_id < 2; with_id++) {
            ecp_sigv4_request r;
            ecp_sigv4_params p;
            char *authz = NULL;
            ec_error err = {0};

            fill(&r, &p, h, 1);
            p.credentials_id = with_id ? id : 0;
            CHECK_INT(ecp_signer_sign(s, &r, &p, &authz, NULL, NULL), 0);
            free(authz);
            authz = NULL;
            p.access_key_id = bad[i].akid;
            p.region = bad[i].region;
            p.service = bad[i].service;
            if (ecp_signer_sign(s, &r, &p, &authz, NULL, &err) != 0 && !authz &&
                err.code == EC_ERR_INVALID_ARGUMENT)
                refused++;
            free(authz);
        }
    }
    CHECK_INT(refused, 2 * sizeof(bad) / sizeof(bad[0]));
    ecp_signer_free(s);
}

/* Every byte value in a header name and in a scope part (the region),
 * against the rules written out here: a name refuses control bytes,
 * space, ':' and DEL (and takes bytes from 128 up, as the AWS SDKs pass
 * them); a scope part takes printable ASCII but ',', '/' and '='. And
 * the date's shape, one position at a time. */
static void test_byte_rules(void)
{
    ecp_signer *s = ecp_signer_new();
    char name[4] = "a?b", region[4] = "us?", date[] = DATE;
    ecp_header h[] = {{"Host", "elasticache.us-east-1.amazonaws.com"},
                      {name, "v"}};
    ecp_sigv4_request r;
    ecp_sigv4_params p;
    int c, wrong_name = 0, wrong_region = 0, wrong_date = 0;
    size_t i;

    for (c = 1; c < 256; c++) {
        char *authz = NULL;
        int want, got;

        name[1] = (char)c;
        fill(&r, &p, h, 2);
        want = c > ' ' && c != ':' && c != 127;
        got = ecp_signer_sign(s, &r, &p, &authz, NULL, NULL) == 0;
        wrong_name += got != want;
        free(authz);
        authz = NULL;
        region[2] = (char)c;
        fill(&r, &p, h, 1);
        p.region = region;
        want = c > ' ' && c < 127 && c != ',' && c != '/' && c != '=';
        got = ecp_signer_sign(s, &r, &p, &authz, NULL, NULL) == 0;
        wrong_region += got != want;
        free(authz);
    }
    CHECK_INT(wrong_name, 0);
    CHECK_INT(wrong_region, 0);
    for (i = 0; i <= sizeof(date); i++) {
        char *authz = NULL;
        char d[sizeof(date) + 1];

        /* Each position made wrong in turn (past the end: one more
         * digit), so every one must be refused. */
        memcpy(d, date, sizeof(date));
        d[sizeof(date)] = '\0';
        if (i < sizeof(date) - 1)
            d[i] = i == 8 || i == 15 ? '0' : 'x';
        else
            d[sizeof(date) - 1] = '1';
        fill(&r, &p, h, 1);
        p.amz_date = d;
        wrong_date += ecp_signer_sign(s, &r, &p, &authz, NULL, NULL) == 0;
        free(authz);
    }
    CHECK_INT(wrong_date, 0);
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
    test_sha256_hmac();
    test_cache_many();
    test_forget();
    test_sha256_prefix();
    test_creq_prefix_token();
    test_bad_parts_warm();
    test_byte_rules();
    test_large_requests();
    test_bad_arguments();
    return test_status("sigv4_test");
}
