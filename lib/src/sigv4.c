/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AWS Signature Version 4 (header signing, AWS4-HMAC-SHA256) in four pure
 * stages, plus a signer that caches the derived signing key.
 *
 * The stages and the signer share one implementation of every rule. The
 * signer adds what makes a signature cost little more than its SHA-256
 * blocks: SHA-256 without OpenSSL 3's per-call dispatch (sha256.c says
 * why), the signing key kept as its HMAC ipad and opad midstates (so a
 * signature's HMAC costs the string to sign's blocks and one outer block),
 * the state after the canonical request's first block kept for the next
 * request that starts with the same 64 bytes (a client's requests do),
 * the canonical request and string to sign built in stack buffers (moved
 * to the heap only when a request outgrows them), no formatted output,
 * and the cached key recognised by the caller's credentials identity
 * rather than by hashing the secret again.
 */
#include "sigv4.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "sha256.h"

#define ALGORITHM "AWS4-HMAC-SHA256"
#define TERMINATOR "aws4_request"
#define TOKEN_HEADER "x-amz-security-token"
/* What debug output shows instead of the session token: the one place the
 * token is redacted (transport.c prints the canonical request as it is). */
#define REDACTED "****"

#define CREDENTIAL_PREFIX ALGORITHM " Credential="
#define SIGNED_HEADERS_PREFIX ", SignedHeaders="
#define SIGNATURE_PREFIX ", Signature="
#define LIT(s) (s), (sizeof(s) - 1)
#define LIT_LEN(s) (sizeof(s) - 1)

/* Stack room for the usual request: an ElastiCache call's canonical
 * request is about 250 bytes, or 1.2 KB with an STS session token. */
#define CREQ_STACK 2048
#define STS_STACK 256
/* Headers sorted in place up to this many; more go through qsort. */
#define HEADERS_STACK 16

static int nomem(ec_error *err)
{
    return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
}

static int crypto_failed(ec_error *err, const char *what)
{
    return ecp_error_set(err, EC_ERR_INTERNAL, "%s failed", what);
}

/* ------------------------------------------------------------------ */
/* A string builder over caller storage                                 */
/* ------------------------------------------------------------------ */

/* Appends go into the caller's (stack) storage until it is full, then to
 * the heap. Failure is sticky, so a chain of appends is checked once.
 * Everything it held is wiped when released: a canonical request carries
 * the session token. */
typedef struct sbuf {
    char *data;
    size_t len;
    size_t cap; /* bytes at data, the NUL included */
    char *heap; /* data, once it left the caller's storage */
    int failed;
} sbuf;

static void sb_init(sbuf *b, char *storage, size_t size)
{
    b->data = storage;
    b->data[0] = '\0';
    b->len = 0;
    b->cap = size;
    b->heap = NULL;
    b->failed = 0;
}

static int sb_grow(sbuf *b, size_t n)
{
    size_t cap = b->cap;
    char *p;

    if (b->failed)
        return -1;
    if (n > SIZE_MAX / 4 - b->len)
        goto fail;
    while (cap < b->len + n + 1)
        cap *= 2;
    /* By copy, so no secret lingers in memory that realloc released. */
    p = malloc(cap);
    if (!p)
        goto fail;
    memcpy(p, b->data, b->len);
    OPENSSL_cleanse(b->data, b->len);
    free(b->heap);
    b->data = b->heap = p;
    b->cap = cap;
    return 0;
fail:
    b->failed = 1;
    return -1;
}

/* Room for n more bytes (and the NUL), or NULL once anything failed. */
static inline char *sb_room(sbuf *b, size_t n)
{
    if (b->failed || (n >= b->cap - b->len && sb_grow(b, n) != 0))
        return NULL;
    return b->data + b->len;
}

static inline void sb_add(sbuf *b, const void *p, size_t n)
{
    char *d = sb_room(b, n);

    if (d) {
        memcpy(d, p, n);
        b->len += n;
    }
}

static inline void sb_addc(sbuf *b, char c)
{
    char *d = sb_room(b, 1);

    if (d) {
        *d = c;
        b->len++;
    }
}

static inline void sb_adds(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* n bytes stored at d, into room reserved before; returns the end. */
static inline char *put(char *d, const void *p, size_t n)
{
    memcpy(d, p, n);
    return d + n;
}

/* The NUL-terminated contents, or NULL when an append failed. */
static char *sb_str(sbuf *b)
{
    if (b->failed)
        return NULL;
    b->data[b->len] = '\0';
    return b->data;
}

/* A heap copy of bytes [off, off + n), or NULL. */
static char *sb_dup(const sbuf *b, size_t off, size_t n)
{
    char *p = malloc(n + 1);

    if (p) {
        memcpy(p, b->data + off, n);
        p[n] = '\0';
    }
    return p;
}

/* For contents that were never secret (a string to sign): no wipe. */
static void sb_release_public(sbuf *b)
{
    free(b->heap);
    b->heap = NULL;
    b->data = NULL;
    b->len = b->cap = 0;
}

static void sb_release(sbuf *b)
{
    if (b->data && b->len)
        OPENSSL_cleanse(b->data, b->len);
    sb_release_public(b);
}

/* ------------------------------------------------------------------ */
/* Character classes and hex                                            */
/* ------------------------------------------------------------------ */

/* Byte classes, one bit each, in a table computed at compile time from
 * the rules below: the loops over every byte of a name, path or scope part
 * test one bit instead of a chain of comparisons. */
enum {
    C_UNRESERVED = 1, /* RFC 3986: ALPHA DIGIT - . _ ~ */
    C_SPACE = 2,      /* what Python's str.split() folds, in ASCII */
    C_NAME = 4,       /* may be in a header name: not CTL-or-space, ':' */
    C_SCOPE = 8,      /* may be in a scope part: printable ASCII but , / = */
    C_UPPER = 16,     /* 'A'..'Z' */
};
#define IS_ALNUM(c)                                                            \
    (((c) >= 'A' && (c) <= 'Z') || ((c) >= 'a' && (c) <= 'z') ||               \
     ((c) >= '0' && (c) <= '9'))
#define CLASS(c)                                                               \
    ((IS_ALNUM(c) || (c) == '-' || (c) == '.' || (c) == '_' || (c) == '~'      \
          ? C_UNRESERVED                                                       \
          : 0) |                                                               \
     ((c) == ' ' || ((c) >= '\t' && (c) <= '\r') ? C_SPACE : 0) |              \
     ((c) > ' ' && (c) != ':' && (c) != 127 ? C_NAME : 0) |                    \
     ((c) > ' ' && (c) < 127 && (c) != ',' && (c) != '/' && (c) != '='         \
          ? C_SCOPE                                                            \
          : 0) |                                                               \
     ((c) >= 'A' && (c) <= 'Z' ? C_UPPER : 0))
/* The cast is for clang, whose -Wconstant-conversion also checks the
 * branch a constant condition never takes (238 - 'A' + 'a' > 255). */
#define LOWER(c)                                                               \
    ((unsigned char)((c) >= 'A' && (c) <= 'Z' ? (c) - 'A' + 'a' : (c)))
/* F(0), ..., F(255), for a table indexed by byte value. */
#define TABLE4(F, c) F(c), F((c) + 1), F((c) + 2), F((c) + 3)
#define TABLE16(F, c)                                                          \
    TABLE4(F, c), TABLE4(F, (c) + 4), TABLE4(F, (c) + 8), TABLE4(F, (c) + 12)
#define TABLE64(F, c)                                                          \
    TABLE16(F, c), TABLE16(F, (c) + 16), TABLE16(F, (c) + 32),                 \
        TABLE16(F, (c) + 48)
#define TABLE256(F)                                                            \
    TABLE64(F, 0), TABLE64(F, 64), TABLE64(F, 128), TABLE64(F, 192)
static const unsigned char byte_class[256] = {TABLE256(CLASS)};
/* Header names are lowercased a byte at a time: one load, no branch. */
static const unsigned char lower_of[256] = {TABLE256(LOWER)};

static int is_unreserved(unsigned char c)
{
    return byte_class[c] & C_UNRESERVED;
}

static int is_space(unsigned char c)
{
    return byte_class[c] & C_SPACE;
}

static unsigned char lower(unsigned char c)
{
    return lower_of[c];
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#ifdef __SSE2__
/* 32 bytes to 64 lowercase hex digits (no NUL), 16 bytes a step in SSE2
 * (part of every x86-64 CPU): split each byte into its high and low
 * nibble, interleave them in output order, and make every nibble n a
 * digit at once: '0' + n, plus 39 more when n > 9 (so 10 is 'a'). A
 * signature encodes three digests; the pair-table loop below took about
 * 200 instructions each, this about 40. */
static void hex32(const unsigned char in[32], char out[64])
{
    const __m128i low4 = _mm_set1_epi8(0x0f), nine = _mm_set1_epi8(9);
    const __m128i zero = _mm_set1_epi8('0'), af = _mm_set1_epi8('a' - '0' - 10);
    size_t i, k;

    for (i = 0; i < 32; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
        __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), low4);
        __m128i lo = _mm_and_si128(v, low4);
        __m128i n[2];

        n[0] = _mm_unpacklo_epi8(hi, lo);
        n[1] = _mm_unpackhi_epi8(hi, lo);
        for (k = 0; k < 2; k++) {
            __m128i d = _mm_add_epi8(n[k], zero);

            d = _mm_add_epi8(d, _mm_and_si128(_mm_cmpgt_epi8(n[k], nine), af));
            _mm_storeu_si128((__m128i *)(void *)(out + 2 * i + 16 * k), d);
        }
    }
}
#else
/* Two lowercase hex digits for each byte value. */
#define HEXROW(h)                                                              \
    h "0" h "1" h "2" h "3" h "4" h "5" h "6" h "7" h "8" h "9" h "a" h "b" h  \
      "c" h "d" h "e" h "f"
static const char hex_pairs[] = HEXROW("0") HEXROW("1") HEXROW("2") HEXROW("3")
    HEXROW("4") HEXROW("5") HEXROW("6") HEXROW("7") HEXROW("8") HEXROW("9")
        HEXROW("a") HEXROW("b") HEXROW("c") HEXROW("d") HEXROW("e") HEXROW("f");

/* 32 bytes to 64 lowercase hex digits (no NUL). Four bytes a step: the
 * loop's own overhead was half the work. */
static void hex32(const unsigned char in[32], char out[64])
{
    size_t i;

    for (i = 0; i < 32; i += 4) {
        memcpy(out + 2 * i, hex_pairs + 2 * in[i], 2);
        memcpy(out + 2 * i + 2, hex_pairs + 2 * in[i + 1], 2);
        memcpy(out + 2 * i + 4, hex_pairs + 2 * in[i + 2], 2);
        memcpy(out + 2 * i + 6, hex_pairs + 2 * in[i + 3], 2);
    }
}
#endif

/* ------------------------------------------------------------------ */
/* SHA-256 and the signing key                                          */
/* ------------------------------------------------------------------ */

static void sha256_hex(const void *data, size_t len, char hex[64])
{
    unsigned char md[32];

    ecp_sha256(data, len, md);
    hex32(md, hex);
}

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date8), region),
 * service), "aws4_request"). -1 when out of memory. */
static int derive_key(const char *secret, const char *date8, const char *region,
                      const char *service, unsigned char key[32])
{
    char mem[128];
    sbuf k;
    unsigned char a[32], b[32];
    int rc = -1;

    sb_init(&k, mem, sizeof(mem));
    sb_add(&k, LIT("AWS4"));
    sb_adds(&k, secret);
    if (!sb_str(&k))
        goto out;
    ecp_hmac_sha256_once(k.data, k.len, date8, strlen(date8), a);
    ecp_hmac_sha256_once(a, 32, region, strlen(region), b);
    ecp_hmac_sha256_once(b, 32, service, strlen(service), a);
    ecp_hmac_sha256_once(a, 32, LIT(TERMINATOR), key);
    rc = 0;
out:
    OPENSSL_cleanse(a, sizeof(a));
    OPENSSL_cleanse(b, sizeof(b));
    sb_release(&k); /* wipes "AWS4" + secret */
    return rc;
}

/* ------------------------------------------------------------------ */
/* Canonical URI and query                                              */
/* ------------------------------------------------------------------ */

/* RFC 3986 percent-encoding of n bytes: unreserved bytes (and '/' when
 * keep_slash) stay, everything else becomes %XX with uppercase hex. */
static void uri_encode(sbuf *out, const char *s, size_t n, int keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i = 0;

    while (i < n) {
        size_t run = i;
        unsigned char c;
        char esc[3];

        while (run < n && (is_unreserved((unsigned char)s[run]) ||
                           (keep_slash && s[run] == '/')))
            run++;
        sb_add(out, s + i, run - i);
        if (run == n)
            break;
        c = (unsigned char)s[run];
        esc[0] = '%';
        esc[1] = hex[c >> 4];
        esc[2] = hex[c & 15];
        sb_add(out, esc, 3);
        i = run + 1;
    }
}

/* Decode %XX escapes (a malformed escape is kept as it is, so its '%' is
 * encoded again as %25), then re-encode. '+' is a literal plus: a query
 * string is not a form body. */
static void reencode(sbuf *out, const char *s, size_t n)
{
    char mem[256];
    sbuf raw;
    size_t i;

    sb_init(&raw, mem, sizeof(mem));
    for (i = 0; i < n; i++) {
        char c = s[i];

        if (c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
            hexval((unsigned char)s[i + 2]) >= 0) {
            c = (char)(hexval((unsigned char)s[i + 1]) * 16 +
                       hexval((unsigned char)s[i + 2]));
            i += 2;
        }
        sb_addc(&raw, c);
    }
    if (raw.failed)
        out->failed = 1;
    else
        uri_encode(out, raw.data, raw.len, 0);
    sb_release(&raw);
}

/* RFC 3986 section 5.2.4 "remove dot segments", and, as AWS requires for
 * every service but S3, no empty segments: "//a/./b/../" becomes "/a/". A
 * trailing slash survives unless nothing is left. */
static void remove_dot_segments(sbuf *out, const char *path)
{
    size_t len = strlen(path);
    size_t *ends = NULL; /* out->len before each kept segment was added */
    size_t depth = 0, i = 0;

    ends = calloc(len / 2 + 2, sizeof(*ends));
    if (!ends) {
        out->failed = 1;
        return;
    }
    while (i <= len) {
        size_t j = i;

        while (j < len && path[j] != '/')
            j++;
        if (j == i || (j - i == 1 && path[i] == '.')) {
            /* empty or "." segment: dropped */
        } else if (j - i == 2 && path[i] == '.' && path[i + 1] == '.') {
            if (depth > 0 && !out->failed)
                out->len = ends[--depth];
        } else {
            ends[depth++] = out->len;
            sb_addc(out, '/');
            sb_add(out, path + i, j - i);
        }
        i = j + 1;
    }
    if (depth == 0 || (len > 0 && path[len - 1] == '/'))
        sb_addc(out, '/');
    free(ends);
}

/* True when normalising and encoding would give the path back unchanged:
 * it starts with '/', and has no empty, "." or ".." segment and no byte
 * that needs encoding. "/" is the ElastiCache case. */
static int path_is_canonical(const char *p)
{
    if (p[0] != '/')
        return 0;
    for (; *p; p++) {
        if (*p == '/') {
            if (p[1] == '/' ||
                (p[1] == '.' &&
                 (p[2] == '/' || p[2] == '\0' ||
                  (p[2] == '.' && (p[3] == '/' || p[3] == '\0')))))
                return 0;
        } else if (!is_unreserved((unsigned char)*p)) {
            return 0;
        }
    }
    return 1;
}

static void canonical_uri(sbuf *out, const char *path, int normalize)
{
    char mem[256];
    sbuf norm;

    if (!path || !*path)
        path = "/";
    if (!normalize || path_is_canonical(path)) {
        sb_adds(out, path);
        return;
    }
    /* The normal form always starts with '/', even for a relative path. */
    sb_init(&norm, mem, sizeof(mem));
    remove_dot_segments(&norm, path);
    if (norm.failed)
        out->failed = 1;
    else
        uri_encode(out, norm.data, norm.len, 1);
    sb_release(&norm);
}

typedef struct qparam {
    char *key;
    char *value;
} qparam;

static int qparam_cmp(const void *a, const void *b)
{
    const qparam *x = a, *y = b;
    int c = strcmp(x->key, y->key);

    return c ? c : strcmp(x->value, y->value);
}

/* The re-encoded form of n bytes as a heap string, or NULL. */
static char *reencoded(const char *s, size_t n)
{
    char mem[256];
    sbuf b;
    char *r = NULL;

    sb_init(&b, mem, sizeof(mem));
    reencode(&b, s, n);
    if (!b.failed)
        r = sb_dup(&b, 0, b.len);
    sb_release(&b);
    return r;
}

static void canonical_query(sbuf *out, const char *query)
{
    qparam *params = NULL;
    size_t count = 0, cap = 1, i;
    const char *p;

    if (!query || !*query)
        return;
    for (p = query; *p; p++)
        if (*p == '&')
            cap++;
    params = calloc(cap, sizeof(*params));
    if (!params)
        goto fail;
    p = query;
    for (;;) {
        size_t n = strcspn(p, "&");
        const char *eq = memchr(p, '=', n);
        size_t klen = eq ? (size_t)(eq - p) : n;

        /* "a&&b": an empty pair carries nothing and is dropped. */
        if (n > 0) {
            params[count].key = reencoded(p, klen);
            params[count].value =
                eq ? reencoded(eq + 1, n - klen - 1) : reencoded("", 0);
            count++;
            if (!params[count - 1].key || !params[count - 1].value)
                goto fail;
        }
        if (!p[n])
            break;
        p += n + 1;
    }
    qsort(params, count, sizeof(*params), qparam_cmp);
    for (i = 0; i < count; i++) {
        if (i > 0)
            sb_addc(out, '&');
        sb_adds(out, params[i].key);
        sb_addc(out, '=');
        sb_adds(out, params[i].value);
    }
    goto out;
fail:
    out->failed = 1;
out:
    for (i = 0; params && i < count; i++) {
        free(params[i].key);
        free(params[i].value);
    }
    free(params);
}

/* ------------------------------------------------------------------ */
/* Canonical headers                                                    */
/* ------------------------------------------------------------------ */

typedef struct hdr {
    const char *name; /* as given: compared and written lowercased */
    size_t name_len;
    const char *value;
    size_t order;
    int upper;  /* the name has uppercase letters */
    int repeat; /* after sorting: the same name as the one before */
    size_t value_len;
    int plain;      /* the value has no whitespace: it goes out as it is */
    char *name_out; /* where its lowercased name went in the output */
} hdr;

static int hdr_name_cmp(const hdr *x, const hdr *y)
{
    size_t n = x->name_len < y->name_len ? x->name_len : y->name_len, i;

    for (i = 0; i < n; i++) {
        unsigned char a = lower((unsigned char)x->name[i]);
        unsigned char b = lower((unsigned char)y->name[i]);

        if (a != b)
            return a < b ? -1 : 1;
    }
    return x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

/* By lowercased name, then in the order given (so repeated names join in
 * that order). */
static int hdr_cmp(const void *a, const void *b)
{
    const hdr *x = a, *y = b;
    int c = hdr_name_cmp(x, y);

    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void sort_headers(hdr *h, size_t n)
{
    size_t i, j;

    if (n > HEADERS_STACK) {
        qsort(h, n, sizeof(*h), hdr_cmp);
        return;
    }
    for (i = 1; i < n; i++) {
        hdr x = h[i];

        for (j = i; j > 0 && hdr_cmp(&h[j - 1], &x) > 0; j--)
            h[j] = h[j - 1];
        h[j] = x;
    }
}

/* The name lowercased at d; returns the end. */
static char *put_name(char *d, const hdr *h)
{
    const char *name = h->name;
    size_t n = h->name_len, i; /* locals: the stores to d may alias h */

    if (!h->upper) {
        memcpy(d, name, n);
        return d + n;
    }
    for (i = 0; i < n; i++)
        d[i] = (char)lower((unsigned char)name[i]);
    return d + n;
}

/* is_space()'s set, for strcspn, which scans 16 bytes a step (a session
 * token is about a kilobyte with no space in it). */
static const char spaces[] = " \t\n\r\v\f";

/* The value trimmed, each run of whitespace folded into one space, at d
 * (at most as long as the value); returns the end. */
static char *put_folded(char *d, const char *v)
{
    const char *p = v;

    while (is_space((unsigned char)*p))
        p++;
    while (*p) {
        size_t run = strcspn(p, spaces);

        memcpy(d, p, run);
        d += run;
        p += run;
        while (is_space((unsigned char)*p))
            p++;
        if (*p)
            *d++ = ' ';
    }
    return d;
}

/* The header lines ("name:value\n" each), then "\n", the signed headers
 * list (its place in out goes to *sh_off, *sh_len) and "\n". extra, when
 * set, is signed as one more header after the given ones. */
static int canonical_headers(sbuf *out, const ecp_header *headers, size_t count,
                             const ecp_header *extra, size_t *sh_off,
                             size_t *sh_len, ec_error *err)
{
    hdr stack[HEADERS_STACK], *h = stack;
    size_t n = count + (extra ? 1 : 0), i, j, run;
    size_t need = 2; /* the blank line and the list's newline */
    char *d, *start;
    int rc = -1, upper, all;

    if (n > HEADERS_STACK) {
        h = calloc(n, sizeof(*h));
        if (!h)
            return nomem(err);
    }
    for (i = 0; i < n; i++) {
        const ecp_header *src = i < count ? &headers[i] : extra;

        if (!src->name || !src->name[0] || !src->value) {
            ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                          "header %zu has no name or no value", i);
            goto out;
        }
        /* Every byte's class ANDed (is each a name byte?) and ORed (is
         * any uppercase?), checked after the loop: no branch per byte. */
        all = C_NAME;
        upper = 0;
        for (j = 0; src->name[j]; j++) {
            unsigned char c = byte_class[(unsigned char)src->name[j]];

            all &= c;
            upper |= c & C_UPPER;
        }
        if (!all) {
            ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                          "header name \"%s\" is not a valid token", src->name);
            goto out;
        }
        h[i].upper = upper;
        h[i].name = src->name;
        h[i].name_len = j;
        h[i].value = src->value;
        /* Most values have no whitespace at all: one scan finds that and
         * their length, and they are copied as they are. */
        run = strcspn(src->value, spaces);
        h[i].plain = src->value[run] == '\0';
        h[i].value_len = h[i].plain ? run : run + strlen(src->value + run);
        h[i].order = i;
        /* At most: the name twice (line and list), the value (folding
         * only shortens it), and ':' with '\n' or ',', and ';'. */
        if (h[i].value_len > SIZE_MAX / 4 - need ||
            2 * j + 3 > SIZE_MAX / 4 - need - h[i].value_len) {
            rc = nomem(err);
            goto out;
        }
        need += 2 * j + h[i].value_len + 3;
    }
    sort_headers(h, n);
    /* One reservation, then plain stores: out cannot move below. */
    start = d = sb_room(out, need);
    if (!d) {
        rc = nomem(err);
        goto out;
    }
    for (i = 0; i < n; i++) {
        h[i].repeat = i > 0 && h[i].name_len == h[i - 1].name_len &&
                      hdr_name_cmp(&h[i], &h[i - 1]) == 0;
        if (h[i].repeat) {
            *d++ = ',';
        } else {
            if (i > 0)
                *d++ = '\n';
            h[i].name_out = d;
            d = put_name(d, &h[i]);
            *d++ = ':';
        }
        if (h[i].plain)
            d = put(d, h[i].value, h[i].value_len);
        else
            d = put_folded(d, h[i].value);
    }
    if (n > 0)
        *d++ = '\n';
    *d++ = '\n';
    *sh_off = out->len + (size_t)(d - start);
    for (i = 0; i < n; i++) {
        if (h[i].repeat)
            continue;
        if (i > 0)
            *d++ = ';';
        memcpy(d, h[i].name_out, h[i].name_len);
        d += h[i].name_len;
    }
    *sh_len = out->len + (size_t)(d - start) - *sh_off;
    *d++ = '\n';
    out->len += (size_t)(d - start);
    rc = 0;
out:
    if (h != stack)
        free(h);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The stages                                                           */
/* ------------------------------------------------------------------ */

static int request_ok(const ecp_sigv4_request *req)
{
    return req && req->method && req->method[0] &&
           !(req->header_count && !req->headers) &&
           !(req->body_len && !req->body);
}

/* Stage 1 into out; the signed headers list is bytes [*sh_off, +*sh_len). */
static int build_canonical_request(sbuf *out, const ecp_sigv4_request *req,
                                   const ecp_header *extra, int normalize_path,
                                   size_t *sh_off, size_t *sh_len,
                                   ec_error *err)
{
    char *d;

    if (!request_ok(req))
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "incomplete request to sign");
    sb_adds(out, req->method);
    sb_addc(out, '\n');
    canonical_uri(out, req->path, normalize_path);
    sb_addc(out, '\n');
    canonical_query(out, req->query);
    sb_addc(out, '\n');
    if (out->failed)
        return nomem(err);
    if (canonical_headers(out, req->headers, req->header_count, extra, sh_off,
                          sh_len, err) != 0)
        return -1;
    d = sb_room(out, 64);
    if (!d)
        return nomem(err);
    sha256_hex(req->body_len ? req->body : (const unsigned char *)"",
               req->body_len, d);
    out->len += 64;
    return 0;
}

/* Stage 2 up to the scope: "AWS4-HMAC-SHA256\n<date>\n". */
static void sts_head(sbuf *out, const char *amz_date)
{
    sb_add(out, LIT(ALGORITHM "\n"));
    sb_adds(out, amz_date);
    sb_addc(out, '\n');
}

/* Stage 2's tail: "\n" and the hash of the canonical request. */
static int sts_tail(sbuf *out, const char *creq, size_t creq_len, ec_error *err)
{
    char *d;

    sb_addc(out, '\n');
    d = sb_room(out, 64);
    if (!d)
        return nomem(err);
    sha256_hex(creq, creq_len, d);
    out->len += 64;
    return 0;
}

int ecp_sigv4_canonical_request(const ecp_sigv4_request *req,
                                int normalize_path, char **creq,
                                char **signed_headers, ec_error *err)
{
    char mem[CREQ_STACK];
    sbuf b;
    size_t sh_off = 0, sh_len = 0;
    int rc = -1;

    *creq = NULL;
    *signed_headers = NULL;
    sb_init(&b, mem, sizeof(mem));
    if (build_canonical_request(&b, req, NULL, normalize_path, &sh_off, &sh_len,
                                err) != 0)
        goto out;
    *creq = sb_dup(&b, 0, b.len);
    *signed_headers = sb_dup(&b, sh_off, sh_len);
    if (!*creq || !*signed_headers) {
        if (*creq)
            OPENSSL_cleanse(*creq, b.len);
        free(*creq);
        free(*signed_headers);
        *creq = *signed_headers = NULL;
        nomem(err);
        goto out;
    }
    rc = 0;
out:
    sb_release(&b);
    return rc;
}

int ecp_sigv4_string_to_sign(const char *amz_date, const char *scope,
                             const char *creq, char **sts, ec_error *err)
{
    char mem[STS_STACK];
    sbuf b;
    int rc = -1;

    *sts = NULL;
    if (!amz_date || !scope || !creq)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "incomplete input for the string to sign");
    sb_init(&b, mem, sizeof(mem));
    sts_head(&b, amz_date);
    sb_adds(&b, scope);
    if (sts_tail(&b, creq, strlen(creq), err) != 0)
        goto out;
    *sts = sb_dup(&b, 0, b.len);
    rc = *sts ? 0 : nomem(err);
out:
    sb_release_public(&b);
    return rc;
}

int ecp_sigv4_signing_key(const char *secret, const char *date8,
                          const char *region, const char *service,
                          unsigned char key[32], ec_error *err)
{
    if (!secret || !date8 || !region || !service)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "incomplete input for the signing key");
    if (derive_key(secret, date8, region, service, key) != 0)
        return nomem(err);
    return 0;
}

int ecp_sigv4_signature(const unsigned char key[32], const char *sts,
                        char hex[65], ec_error *err)
{
    unsigned char sig[32];

    if (!key || !sts)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "incomplete input for the signature");
    ecp_hmac_sha256_once(key, 32, sts, strlen(sts), sig);
    hex32(sig, hex);
    hex[64] = '\0';
    return 0;
}

/* ------------------------------------------------------------------ */
/* The signer: all stages, with the signing key cached.                 */
/* ------------------------------------------------------------------ */

uint64_t ecp_sigv4_credentials_id_new(void)
{
    static atomic_uint_fast64_t last;

    return (uint64_t)atomic_fetch_add(&last, 1) + 1;
}

struct ecp_signer {
    /* HMAC keyed with the cached signing key, as its ipad and opad
     * midstates, when valid (all zero bytes otherwise). */
    ecp_hmac_key key_mac;
    int valid;
    /* What the cached key was derived for: the credentials (by the
     * caller's identity, or when that is 0 by secret_mac), the access key
     * id (not secret; checked besides the identity, so a caller that
     * forgot to take a new identity on a refresh still re-derives when
     * the key id changes, as it always does with temporary credentials)
     * and the scope "date8/region/service/aws4_request". One allocation:
     * akid, NUL, scope, NUL. */
    uint64_t credentials_id;
    char *akid;
    const char *scope;
    size_t scope_len;
    /* For callers without an identity: HMAC-SHA256(salt, secret) tells
     * whether the secret changed without keeping the secret, and is
     * useless for guessing it offline without the per-signer salt. The
     * salt's midstates are salt_mac, set on first use (salted). */
    ecp_hmac_key salt_mac;
    int salted;
    unsigned char secret_mac[32];
    /* The state after the last canonical request's first block, which a
     * client's next request repeats (method, path, query, first headers):
     * public data, never a block with session token bytes in it. */
    ecp_sha256_prefix creq_prefix;
};

void ecp_signer_forget(ecp_signer *s)
{
    if (!s)
        return;
    ecp_hmac_key_wipe(&s->key_mac);
    OPENSSL_cleanse(s->secret_mac, sizeof(s->secret_mac));
    free(s->akid);
    s->akid = NULL;
    s->scope = NULL;
    s->scope_len = 0;
    s->credentials_id = 0;
    s->valid = 0;
}

int ecp_signer_holds_key(const ecp_signer *s)
{
    const unsigned char *p = (const unsigned char *)&s->key_mac;
    unsigned char any = 0;
    size_t i;

    for (i = 0; i < sizeof(s->key_mac); i++)
        any |= p[i];
    for (i = 0; i < sizeof(s->secret_mac); i++)
        any |= s->secret_mac[i];
    return any != 0;
}

int ecp_signer_holds_bytes(const ecp_signer *s, const void *p, size_t n)
{
    const unsigned char *m = (const unsigned char *)s;
    size_t i;

    for (i = 0; n > 0 && i + n <= sizeof(*s); i++)
        if (memcmp(m + i, p, n) == 0)
            return 1;
    return 0;
}

ecp_signer *ecp_signer_new(void)
{
    return calloc(1, sizeof(ecp_signer));
}

void ecp_signer_free(ecp_signer *signer)
{
    if (!signer)
        return;
    ecp_signer_forget(signer);
    OPENSSL_cleanse(signer, sizeof(*signer)); /* the salt's midstates too */
    free(signer);
}

void ecp_sigv4_debug_clear(ecp_sigv4_debug *dbg)
{
    if (!dbg)
        return;
    free(dbg->canonical_request);
    free(dbg->string_to_sign);
    dbg->canonical_request = dbg->string_to_sign = NULL;
}

/* HMAC-SHA256(salt, secret) into mac_out, the salt drawn once per signer.
 * -1 when the random generator fails. */
static int hash_secret(ecp_signer *s, const char *secret,
                       unsigned char mac_out[32])
{
    if (!s->salted) {
        unsigned char salt[32];
        int ok = RAND_bytes(salt, sizeof(salt)) == 1;

        if (ok)
            ecp_hmac_key_init(&s->salt_mac, salt, sizeof(salt));
        OPENSSL_cleanse(salt, sizeof(salt));
        if (!ok)
            return -1;
        s->salted = 1;
    }
    ecp_hmac_sha256(&s->salt_mac, secret, strlen(secret), mac_out);
    return 0;
}

/* Scope parts go between '/' in the credential: nothing that could split
 * or break the header. */
static int scope_part_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    if (!p || !*p)
        return 0;
    for (; *p; p++)
        if (!(byte_class[*p] & C_SCOPE))
            return 0;
    return 1;
}

static int scope_error(ec_error *err)
{
    return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                         "access key id, region and service must be non-empty "
                         "and free of spaces, '/', ',' and '='");
}

/* Make s->key_mac hold the signing key for these credentials and this
 * scope: kept when it was derived for the same ones, derived otherwise. */
static int signer_key(ecp_signer *s, const ecp_sigv4_params *p,
                      const char *scope, size_t scope_len, ec_error *err)
{
    unsigned char smac[32], key[32];
    size_t akid_len;
    char *copy = NULL, date8[9];
    int rc = -1;
    int same = s->valid && s->credentials_id == p->credentials_id &&
               scope_len == s->scope_len &&
               memcmp(scope, s->scope, scope_len) == 0 &&
               strcmp(p->access_key_id, s->akid) == 0;

    if (same && p->credentials_id != 0)
        return 0; /* the caller's identity vouches for the secret */
    if (p->credentials_id == 0 &&
        hash_secret(s, p->secret_access_key, smac) != 0) {
        crypto_failed(err, "RAND_bytes");
        goto out;
    }
    if (same && CRYPTO_memcmp(smac, s->secret_mac, sizeof(smac)) == 0) {
        rc = 0;
        goto out;
    }
    /* Checked here, on derivation only: a cached key's key id and scope
     * passed this check, and parts that fail it cannot match them (a
     * valid scope has exactly three '/' and none of the other refused
     * bytes, and each of its parts is non-empty), so a request with a bad
     * part always comes this way. */
    if (!scope_part_ok(p->access_key_id) || !scope_part_ok(p->region) ||
        !scope_part_ok(p->service)) {
        scope_error(err);
        goto out;
    }
    akid_len = strlen(p->access_key_id);
    copy = malloc(akid_len + 1 + scope_len + 1);
    if (!copy) {
        nomem(err);
        goto out;
    }
    memcpy(copy, p->access_key_id, akid_len + 1);
    memcpy(copy + akid_len + 1, scope, scope_len);
    copy[akid_len + 1 + scope_len] = '\0';
    ecp_signer_forget(s);
    memcpy(date8, scope, 8);
    date8[8] = '\0';
    if (derive_key(p->secret_access_key, date8, p->region, p->service, key) !=
        0) {
        nomem(err);
        goto out;
    }
    ecp_hmac_key_init(&s->key_mac, key, sizeof(key));
    s->akid = copy;
    s->scope = copy + akid_len + 1;
    s->scope_len = scope_len;
    copy = NULL;
    s->credentials_id = p->credentials_id;
    if (p->credentials_id == 0)
        memcpy(s->secret_mac, smac, sizeof(smac));
    s->valid = 1;
    rc = 0;
out:
    OPENSSL_cleanse(smac, sizeof(smac));
    OPENSSL_cleanse(key, sizeof(key));
    free(copy);
    return rc;
}

/* n decimal digits at d (a NUL ends the check, as a non-digit). */
static int digits(const char *d, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if ((unsigned char)(d[i] - '0') > 9)
            return 0;
    return 1;
}

static int amz_date_ok(const char *d)
{
    return d && digits(d, 8) && d[8] == 'T' && digits(d + 9, 6) &&
           d[15] == 'Z' && d[16] == '\0';
}

/* In one pass over the headers: the first X-Amz-Date header (*date gets
 * its value) and whether any is an X-Amz-Security-Token. Both names start
 * with "x-amz-", so most headers are ruled out by their first byte. */
static void find_amz_headers(const ecp_sigv4_request *req, int *has_date,
                             const char **date, int *has_token)
{
    size_t i;

    *has_date = *has_token = 0;
    *date = NULL;
    for (i = 0; i < req->header_count; i++) {
        const char *name = req->headers[i].name;

        if (!name || (name[0] != 'x' && name[0] != 'X'))
            continue;
        if (!*has_date && strcasecmp(name, "x-amz-date") == 0) {
            *has_date = 1;
            *date = req->headers[i].value;
        } else if (strcasecmp(name, TOKEN_HEADER) == 0) {
            *has_token = 1;
        }
    }
}

/* Replace the value on the x-amz-security-token line of a canonical
 * request copy, so debug output never carries the token. */
static char *redact_token(const char *creq)
{
    static const char prefix[] = "\n" TOKEN_HEADER ":";
    char mem[256];
    sbuf b;
    const char *p = strstr(creq, prefix), *end;
    char *r = NULL;

    if (!p)
        return strdup(creq);
    p += strlen(prefix);
    end = strchr(p, '\n');
    if (!end)
        end = p + strlen(p);
    sb_init(&b, mem, sizeof(mem));
    sb_add(&b, creq, (size_t)(p - creq));
    sb_add(&b, LIT(REDACTED));
    sb_adds(&b, end);
    if (!b.failed)
        r = sb_dup(&b, 0, b.len);
    sb_release(&b);
    return r;
}

/* The canonical request's SHA-256 as hex at d, through the signer's
 * first-block cache unless that block holds bytes of the session token
 * (the cache keeps its block, and the token must not outlive the
 * signature). The token's value follows the first "\n" TOKEN_HEADER ":"
 * (names are lowercased in it and hold no newline, folded values none; an
 * earlier match could only be in an unnormalised path, which makes this
 * stricter, not looser), so it is in the first block exactly when that
 * text ends before the block's last byte. */
static void creq_hash_hex(ecp_signer *s, const sbuf *creq, int token, char *d)
{
    static const char line[] = "\n" TOKEN_HEADER ":";
    const size_t n = sizeof(line) - 1;
    unsigned char md[32];
    size_t span = creq->len < 63 ? creq->len : 63, i;
    int token_in_block = 0;

    for (i = 0; token && !token_in_block && i + n <= span; i++)
        token_in_block = memcmp(creq->data + i, line, n) == 0;
    if (token_in_block)
        ecp_sha256(creq->data, creq->len, md);
    else
        ecp_sha256_with_prefix(&s->creq_prefix, creq->data, creq->len, md);
    hex32(md, d);
}

/* The Authorization header value, in one exact allocation. */
static char *authorization_value(const char *akid, const char *scope,
                                 size_t scope_len, const char *sh,
                                 size_t sh_len, const char sig[64])
{
    size_t akid_len = strlen(akid);
    size_t n = LIT_LEN(CREDENTIAL_PREFIX) + akid_len + 1 + scope_len +
               LIT_LEN(SIGNED_HEADERS_PREFIX) + sh_len +
               LIT_LEN(SIGNATURE_PREFIX) + 64;
    char *a = malloc(n + 1), *d = a;

    if (!a)
        return NULL;
    d = put(d, LIT(CREDENTIAL_PREFIX));
    d = put(d, akid, akid_len);
    *d++ = '/';
    d = put(d, scope, scope_len);
    d = put(d, LIT(SIGNED_HEADERS_PREFIX));
    d = put(d, sh, sh_len);
    d = put(d, LIT(SIGNATURE_PREFIX));
    d = put(d, sig, 64);
    *d = '\0';
    return a;
}

int ecp_signer_sign(ecp_signer *signer, const ecp_sigv4_request *req,
                    const ecp_sigv4_params *params, char **authorization,
                    ecp_sigv4_debug *dbg, ec_error *err)
{
    char creq_mem[CREQ_STACK], sts_mem[STS_STACK], sig[64], *d, *start;
    const char *scope;
    sbuf creq, sts;
    ecp_header token;
    const ecp_header *extra = NULL;
    const char *date_header = NULL;
    unsigned char mac_out[32];
    size_t sh_off = 0, sh_len = 0, scope_len, region_len, service_len;
    int rc = -1, has_date, has_token = 0;

    *authorization = NULL;
    sb_init(&creq, creq_mem, sizeof(creq_mem));
    sb_init(&sts, sts_mem, sizeof(sts_mem));
    if (dbg)
        dbg->canonical_request = dbg->string_to_sign = NULL;
    if (!signer || !req || !params || !params->access_key_id ||
        !params->secret_access_key || !params->secret_access_key[0]) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "signing needs a signer, a request and credentials");
        goto out;
    }
    if (!request_ok(req)) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "incomplete request to sign");
        goto out;
    }
    /* Their bytes are checked where the key is derived (signer_key). */
    if (!params->access_key_id[0] || !params->region || !params->region[0] ||
        !params->service || !params->service[0]) {
        scope_error(err);
        goto out;
    }
    if (!amz_date_ok(params->amz_date)) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "signing date must look like 20150830T123600Z");
        goto out;
    }
    find_amz_headers(req, &has_date, &date_header, &has_token);
    if (has_date && date_header && strcmp(date_header, params->amz_date) != 0) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "X-Amz-Date header %s differs from the signing date %s",
                      date_header, params->amz_date);
        goto out;
    }
    if (params->session_token && !has_token) {
        token.name = TOKEN_HEADER;
        token.value = params->session_token;
        extra = &token;
    }
    if (build_canonical_request(&creq, req, extra, params->normalize_path,
                                &sh_off, &sh_len, err) != 0)
        goto out;
    /* The string to sign, stored into one reservation (amz_date is 16
     * bytes, checked above); its scope is also the cache's key. */
    region_len = strlen(params->region);
    service_len = strlen(params->service);
    start = d =
        sb_room(&sts, LIT_LEN(ALGORITHM "\n") + 16 + 1 + 8 + 1 + region_len +
                          1 + service_len + LIT_LEN("/" TERMINATOR) + 1 + 64);
    if (!d) {
        nomem(err);
        goto out;
    }
    d = put(d, LIT(ALGORITHM "\n"));
    d = put(d, params->amz_date, 16);
    *d++ = '\n';
    scope = d;
    d = put(d, params->amz_date, 8);
    *d++ = '/';
    d = put(d, params->region, region_len);
    *d++ = '/';
    d = put(d, params->service, service_len);
    d = put(d, LIT("/" TERMINATOR));
    scope_len = (size_t)(d - scope);
    *d++ = '\n';
    creq_hash_hex(signer, &creq, extra || has_token, d);
    sts.len += (size_t)(d + 64 - start);
    if (signer_key(signer, params, scope, scope_len, err) != 0)
        goto out;
    ecp_hmac_sha256(&signer->key_mac, sts.data, sts.len, mac_out);
    hex32(mac_out, sig);
    if (dbg) {
        dbg->canonical_request = redact_token(sb_str(&creq));
        dbg->string_to_sign = sb_dup(&sts, 0, sts.len);
        if (!dbg->canonical_request || !dbg->string_to_sign) {
            ecp_sigv4_debug_clear(dbg);
            nomem(err);
            goto out;
        }
    }
    *authorization =
        authorization_value(params->access_key_id, scope, scope_len,
                            creq.data + sh_off, sh_len, sig);
    if (!*authorization) {
        ecp_sigv4_debug_clear(dbg);
        nomem(err);
        goto out;
    }
    rc = 0;
out:
    /* The canonical request is secret only when it carries the session
     * token; otherwise it is what the request sends in the clear. */
    if (extra || has_token)
        sb_release(&creq);
    else
        sb_release_public(&creq);
    sb_release_public(&sts);
    return rc;
}
