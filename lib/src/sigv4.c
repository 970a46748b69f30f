/*
 * AWS Signature Version 4 (header signing, AWS4-HMAC-SHA256) in four pure
 * stages, plus a signer that caches the derived signing key.
 */
#include "sigv4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#define ALGORITHM "AWS4-HMAC-SHA256"
#define TOKEN_HEADER "x-amz-security-token"
/* What debug output shows instead of the session token: the one place the
 * token is redacted (transport.c prints the canonical request as it is). */
#define REDACTED "****"

static int nomem(ec_error *err)
{
    return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
}

static int is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

/* Whitespace as Python's str.split() sees it in ASCII, which is what the
 * SDKs fold header values with. */
static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
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

/* RFC 3986 percent-encoding of n bytes: unreserved bytes (and '/' when
 * keep_slash) stay, everything else becomes %XX with uppercase hex. */
static int uri_encode(ecp_buf *out, const char *s, size_t n, int keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[3];

        if (is_unreserved(c) || (keep_slash && c == '/')) {
            if (ecp_buf_append(out, &s[i], 1) != 0)
                return -1;
            continue;
        }
        esc[0] = '%';
        esc[1] = hex[c >> 4];
        esc[2] = hex[c & 15];
        if (ecp_buf_append(out, esc, 3) != 0)
            return -1;
    }
    return 0;
}

/* Decode %XX escapes (a malformed escape is kept as it is, so its '%' is
 * encoded again as %25), then re-encode. '+' is a literal plus: a query
 * string is not a form body. */
static int reencode(ecp_buf *out, const char *s, size_t n)
{
    ecp_buf raw = {0};
    size_t i;
    int rc = -1;

    if (ecp_buf_append(&raw, "", 0) != 0)
        goto out;
    for (i = 0; i < n; i++) {
        char c = s[i];

        if (c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
            hexval((unsigned char)s[i + 2]) >= 0) {
            c = (char)(hexval((unsigned char)s[i + 1]) * 16 +
                       hexval((unsigned char)s[i + 2]));
            i += 2;
        }
        if (ecp_buf_append(&raw, &c, 1) != 0)
            goto out;
    }
    rc = uri_encode(out, raw.data, raw.len, 0);
out:
    ecp_buf_free(&raw);
    return rc;
}

/* RFC 3986 section 5.2.4 "remove dot segments", and, as AWS requires for
 * every service but S3, no empty segments: "//a/./b/../" becomes "/a/". A
 * trailing slash survives unless nothing is left. */
static int remove_dot_segments(ecp_buf *out, const char *path)
{
    size_t len = strlen(path);
    size_t *ends = NULL; /* out->len before each kept segment was added */
    size_t depth = 0, i = 0;
    int rc = -1;

    ends = calloc(len / 2 + 2, sizeof(*ends));
    if (!ends)
        goto out;
    while (i <= len) {
        size_t j = i;

        while (j < len && path[j] != '/')
            j++;
        if (j == i || (j - i == 1 && path[i] == '.')) {
            /* empty or "." segment: dropped */
        } else if (j - i == 2 && path[i] == '.' && path[i + 1] == '.') {
            if (depth > 0)
                out->len = ends[--depth];
        } else {
            ends[depth++] = out->len;
            if (ecp_buf_append(out, "/", 1) != 0 ||
                ecp_buf_append(out, path + i, j - i) != 0)
                goto out;
        }
        i = j + 1;
    }
    if (out->data)
        out->data[out->len] = '\0';
    if (depth == 0) {
        if (ecp_buf_append(out, "/", 1) != 0)
            goto out;
    } else if (len > 0 && path[len - 1] == '/') {
        if (ecp_buf_append(out, "/", 1) != 0)
            goto out;
    }
    rc = 0;
out:
    free(ends);
    return rc;
}

static int canonical_uri(ecp_buf *out, const char *path, int normalize)
{
    ecp_buf norm = {0};
    int rc = -1;

    if (!path || !*path)
        path = "/";
    if (!normalize)
        return ecp_buf_append_str(out, path);
    /* The normal form always starts with '/', even for a relative path. */
    if (remove_dot_segments(&norm, path) != 0)
        goto out;
    rc = uri_encode(out, norm.data, norm.len, 1);
out:
    ecp_buf_free(&norm);
    return rc;
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

static int canonical_query(ecp_buf *out, const char *query)
{
    qparam *params = NULL;
    size_t count = 0, cap = 1, i;
    const char *p;
    int rc = -1;

    if (!query || !*query)
        return 0;
    for (p = query; *p; p++)
        if (*p == '&')
            cap++;
    params = calloc(cap, sizeof(*params));
    if (!params)
        goto out;
    p = query;
    for (;;) {
        size_t n = strcspn(p, "&");
        const char *eq = memchr(p, '=', n);
        size_t klen = eq ? (size_t)(eq - p) : n;
        ecp_buf k = {0}, v = {0};

        /* "a&&b": an empty pair carries nothing and is dropped. */
        if (n > 0) {
            if (reencode(&k, p, klen) != 0 || ecp_buf_append(&k, "", 0) ||
                (eq && reencode(&v, eq + 1, n - klen - 1) != 0) ||
                ecp_buf_append(&v, "", 0) != 0) {
                ecp_buf_free(&k);
                ecp_buf_free(&v);
                goto out;
            }
            params[count].key = ecp_buf_steal(&k);
            params[count].value = ecp_buf_steal(&v);
            count++;
        }
        if (!p[n])
            break;
        p += n + 1;
    }
    qsort(params, count, sizeof(*params), qparam_cmp);
    for (i = 0; i < count; i++) {
        if ((i > 0 && ecp_buf_append(out, "&", 1) != 0) ||
            ecp_buf_append_str(out, params[i].key) != 0 ||
            ecp_buf_append(out, "=", 1) != 0 ||
            ecp_buf_append_str(out, params[i].value) != 0)
            goto out;
    }
    rc = 0;
out:
    for (i = 0; params && i < count; i++) {
        free(params[i].key);
        free(params[i].value);
    }
    free(params);
    return rc;
}

typedef struct hdr {
    char *name; /* lowercased copy */
    const char *value;
    size_t order;
} hdr;

static int hdr_cmp(const void *a, const void *b)
{
    const hdr *x = a, *y = b;
    int c = strcmp(x->name, y->name);

    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Trim, and fold each run of whitespace into one space. */
static int append_folded(ecp_buf *out, const char *v)
{
    const unsigned char *p = (const unsigned char *)v;
    int pending = 0, any = 0;

    for (; *p; p++) {
        if (is_space(*p)) {
            pending = any;
            continue;
        }
        if (pending && ecp_buf_append(out, " ", 1) != 0)
            return -1;
        if (ecp_buf_append(out, p, 1) != 0)
            return -1;
        pending = 0;
        any = 1;
    }
    return 0;
}

static int canonical_headers(ecp_buf *out, ecp_buf *signed_headers,
                             const ecp_header *headers, size_t count,
                             ec_error *err)
{
    hdr *h = NULL;
    size_t i, j;
    int rc = -1;

    if (count == 0)
        return ecp_buf_append(signed_headers, "", 0) == 0 ? 0 : nomem(err);
    h = calloc(count, sizeof(*h));
    if (!h) {
        nomem(err);
        goto out;
    }
    for (i = 0; i < count; i++) {
        if (!headers[i].name || !headers[i].name[0] || !headers[i].value) {
            ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                          "header %zu has no name or no value", i);
            goto out;
        }
        h[i].name = strdup(headers[i].name);
        if (!h[i].name) {
            nomem(err);
            goto out;
        }
        for (j = 0; h[i].name[j]; j++) {
            unsigned char c = (unsigned char)h[i].name[j];

            if (c <= ' ' || c == ':' || c == 127) {
                ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                              "header name \"%s\" is not a valid token",
                              headers[i].name);
                goto out;
            }
            if (c >= 'A' && c <= 'Z')
                h[i].name[j] = (char)(c - 'A' + 'a');
        }
        h[i].value = headers[i].value;
        h[i].order = i;
    }
    qsort(h, count, sizeof(*h), hdr_cmp);
    for (i = 0; i < count; i++) {
        int same = i > 0 && strcmp(h[i].name, h[i - 1].name) == 0;

        if (same) {
            if (ecp_buf_append(out, ",", 1) != 0)
                goto oom;
        } else {
            if ((i > 0 && ecp_buf_append(out, "\n", 1) != 0) ||
                (i > 0 && ecp_buf_append(signed_headers, ";", 1) != 0) ||
                ecp_buf_append_str(signed_headers, h[i].name) != 0 ||
                ecp_buf_append_str(out, h[i].name) != 0 ||
                ecp_buf_append(out, ":", 1) != 0)
                goto oom;
        }
        if (append_folded(out, h[i].value) != 0)
            goto oom;
    }
    if (ecp_buf_append(out, "\n", 1) != 0)
        goto oom;
    rc = 0;
    goto out;
oom:
    nomem(err);
out:
    for (i = 0; h && i < count; i++)
        free(h[i].name);
    free(h);
    return rc;
}

static int sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    if (EVP_Digest(data ? data : "", len, md, &mdlen, EVP_sha256(), NULL) !=
            1 ||
        mdlen != 32)
        return -1;
    ecp_hex(md, 32, hex);
    return 0;
}

int ecp_sigv4_canonical_request(const ecp_sigv4_request *req,
                                int normalize_path, char **creq,
                                char **signed_headers, ec_error *err)
{
    ecp_buf b = {0}, sh = {0};
    char payload[65];
    int rc = -1;

    *creq = NULL;
    *signed_headers = NULL;
    if (!req || !req->method || !req->method[0] ||
        (req->header_count && !req->headers) || (req->body_len && !req->body)) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "incomplete request to sign");
        goto out;
    }
    if (ecp_buf_append_str(&b, req->method) != 0 ||
        ecp_buf_append(&b, "\n", 1) != 0 ||
        canonical_uri(&b, req->path, normalize_path) != 0 ||
        ecp_buf_append(&b, "\n", 1) != 0 ||
        canonical_query(&b, req->query) != 0 ||
        ecp_buf_append(&b, "\n", 1) != 0) {
        nomem(err);
        goto out;
    }
    if (canonical_headers(&b, &sh, req->headers, req->header_count, err) != 0)
        goto out;
    if (sha256_hex(req->body, req->body_len, payload) != 0) {
        ecp_error_set(err, EC_ERR_INTERNAL, "SHA-256 failed");
        goto out;
    }
    if (ecp_buf_append(&b, "\n", 1) != 0 ||
        ecp_buf_append(&b, sh.data, sh.len) != 0 ||
        ecp_buf_append(&b, "\n", 1) != 0 ||
        ecp_buf_append(&b, payload, 64) != 0) {
        nomem(err);
        goto out;
    }
    *creq = ecp_buf_steal(&b);
    *signed_headers = ecp_buf_steal(&sh);
    if (!*creq || !*signed_headers) {
        free(*creq);
        free(*signed_headers);
        *creq = *signed_headers = NULL;
        nomem(err);
        goto out;
    }
    rc = 0;
out:
    ecp_buf_free(&b);
    ecp_buf_free(&sh);
    return rc;
}

int ecp_sigv4_string_to_sign(const char *amz_date, const char *scope,
                             const char *creq, char **sts, ec_error *err)
{
    ecp_buf b = {0};
    char hash[65];

    *sts = NULL;
    if (!amz_date || !scope || !creq)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "incomplete input for the string to sign");
    if (sha256_hex(creq, strlen(creq), hash) != 0)
        return ecp_error_set(err, EC_ERR_INTERNAL, "SHA-256 failed");
    if (ecp_buf_printf(&b, "%s\n%s\n%s\n%s", ALGORITHM, amz_date, scope,
                       hash) != 0) {
        ecp_buf_free(&b);
        return nomem(err);
    }
    *sts = ecp_buf_steal(&b);
    return *sts ? 0 : nomem(err);
}

static int hmac256(const unsigned char *key, size_t keylen, const char *data,
                   unsigned char out[32])
{
    unsigned int len = 0;

    if (!HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)data,
              strlen(data), out, &len) ||
        len != 32)
        return -1;
    return 0;
}

int ecp_sigv4_signing_key(const char *secret, const char *date8,
                          const char *region, const char *service,
                          unsigned char key[32], ec_error *err)
{
    ecp_buf k = {0};
    unsigned char a[32], b[32];
    int rc = -1;

    if (!secret || !date8 || !region || !service) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "incomplete input for the signing key");
        goto out;
    }
    if (ecp_buf_append_str(&k, "AWS4") != 0 ||
        ecp_buf_append_str(&k, secret) != 0) {
        nomem(err);
        goto out;
    }
    if (hmac256((const unsigned char *)k.data, k.len, date8, a) != 0 ||
        hmac256(a, 32, region, b) != 0 || hmac256(b, 32, service, a) != 0 ||
        hmac256(a, 32, "aws4_request", key) != 0) {
        ecp_error_set(err, EC_ERR_INTERNAL, "HMAC-SHA256 failed");
        goto out;
    }
    rc = 0;
out:
    OPENSSL_cleanse(a, sizeof(a));
    OPENSSL_cleanse(b, sizeof(b));
    ecp_buf_free(&k); /* wipes "AWS4" + secret */
    return rc;
}

int ecp_sigv4_signature(const unsigned char key[32], const char *sts,
                        char hex[65], ec_error *err)
{
    unsigned char sig[32];

    if (!key || !sts)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "incomplete input for the signature");
    if (hmac256(key, 32, sts, sig) != 0)
        return ecp_error_set(err, EC_ERR_INTERNAL, "HMAC-SHA256 failed");
    ecp_hex(sig, 32, hex);
    return 0;
}

/* ------------------------------------------------------------------ */
/* The signer: all stages, with the signing key cached.                 */
/* ------------------------------------------------------------------ */

struct ecp_signer {
    int valid;
    /* HMAC-SHA256(salt, secret): enough to tell whether the secret changed
     * without keeping the secret, and useless for guessing it offline
     * without the per-signer salt. */
    unsigned char salt[32];
    unsigned char secret_mac[32];
    char date8[9];
    char *region;
    char *service;
    unsigned char key[32];
};

static void signer_forget(ecp_signer *s)
{
    OPENSSL_cleanse(s->key, sizeof(s->key));
    OPENSSL_cleanse(s->secret_mac, sizeof(s->secret_mac));
    OPENSSL_cleanse(s->date8, sizeof(s->date8));
    free(s->region);
    free(s->service);
    s->region = s->service = NULL;
    s->valid = 0;
}

ecp_signer *ecp_signer_new(void)
{
    ecp_signer *s = calloc(1, sizeof(*s));

    if (!s)
        return NULL;
    if (RAND_bytes(s->salt, sizeof(s->salt)) != 1) {
        free(s);
        return NULL;
    }
    return s;
}

void ecp_signer_free(ecp_signer *signer)
{
    if (!signer)
        return;
    signer_forget(signer);
    OPENSSL_cleanse(signer, sizeof(*signer));
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

/* The signing key for (secret, date, region, service), from the cache when
 * it was derived for the same four. */
static int signer_key(ecp_signer *s, const ecp_sigv4_params *p,
                      const char *date8, unsigned char key[32], ec_error *err)
{
    unsigned char mac[32];
    char *region = NULL, *service = NULL;
    int rc = -1;

    if (hmac256(s->salt, sizeof(s->salt), p->secret_access_key, mac) != 0) {
        ecp_error_set(err, EC_ERR_INTERNAL, "HMAC-SHA256 failed");
        goto out;
    }
    if (s->valid && CRYPTO_memcmp(mac, s->secret_mac, 32) == 0 &&
        strcmp(date8, s->date8) == 0 && strcmp(p->region, s->region) == 0 &&
        strcmp(p->service, s->service) == 0) {
        memcpy(key, s->key, 32);
        rc = 0;
        goto out;
    }
    region = strdup(p->region);
    service = strdup(p->service);
    if (!region || !service) {
        nomem(err);
        goto out;
    }
    if (ecp_sigv4_signing_key(p->secret_access_key, date8, p->region,
                              p->service, key, err) != 0)
        goto out;
    signer_forget(s);
    memcpy(s->key, key, 32);
    memcpy(s->secret_mac, mac, 32);
    memcpy(s->date8, date8, sizeof(s->date8));
    s->region = region;
    s->service = service;
    region = service = NULL;
    s->valid = 1;
    rc = 0;
out:
    OPENSSL_cleanse(mac, sizeof(mac));
    free(region);
    free(service);
    return rc;
}

/* Scope parts go between '/' in the credential: nothing that could split
 * or break the header. */
static int scope_part_ok(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c <= ' ' || c == '/' || c == ',' || c == '=' || c >= 127)
            return 0;
    }
    return 1;
}

static int amz_date_ok(const char *d)
{
    size_t i;

    if (!d || strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z')
        return 0;
    for (i = 0; i < 15; i++)
        if (i != 8 && (d[i] < '0' || d[i] > '9'))
            return 0;
    return 1;
}

static int has_header(const ecp_sigv4_request *req, const char *name,
                      const char **value)
{
    size_t i;

    for (i = 0; i < req->header_count; i++)
        if (req->headers[i].name &&
            strcasecmp(req->headers[i].name, name) == 0) {
            if (value)
                *value = req->headers[i].value;
            return 1;
        }
    return 0;
}

/* Replace the value on the x-amz-security-token line of a canonical
 * request copy, so debug output never carries the token. */
static char *redact_token(const char *creq)
{
    static const char prefix[] = "\n" TOKEN_HEADER ":";
    ecp_buf b = {0};
    const char *p = strstr(creq, prefix), *end;

    if (!p)
        return strdup(creq);
    p += strlen(prefix);
    end = strchr(p, '\n');
    if (!end)
        end = p + strlen(p);
    if (ecp_buf_append(&b, creq, (size_t)(p - creq)) != 0 ||
        ecp_buf_append_str(&b, REDACTED) != 0 ||
        ecp_buf_append_str(&b, end) != 0) {
        ecp_buf_free(&b);
        return NULL;
    }
    return ecp_buf_steal(&b);
}

int ecp_signer_sign(ecp_signer *signer, const ecp_sigv4_request *req,
                    const ecp_sigv4_params *params, char **authorization,
                    ecp_sigv4_debug *dbg, ec_error *err)
{
    ecp_sigv4_request r;
    ecp_header *headers = NULL;
    char *creq = NULL, *sh = NULL, *sts = NULL, *scope = NULL;
    const char *date_header = NULL;
    unsigned char key[32];
    char date8[9], sig[65];
    ecp_buf auth = {0};
    int rc = -1;

    *authorization = NULL;
    if (dbg)
        dbg->canonical_request = dbg->string_to_sign = NULL;
    if (!signer || !req || !params || !params->access_key_id ||
        !params->secret_access_key || !params->secret_access_key[0]) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "signing needs a signer, a request and credentials");
        goto out;
    }
    if (!scope_part_ok(params->access_key_id) ||
        !scope_part_ok(params->region) || !scope_part_ok(params->service)) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "access key id, region and service must be non-empty "
                      "and free of spaces, '/', ',' and '='");
        goto out;
    }
    if (!amz_date_ok(params->amz_date)) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "signing date must look like 20150830T123600Z");
        goto out;
    }
    if (has_header(req, "x-amz-date", &date_header) && date_header &&
        strcmp(date_header, params->amz_date) != 0) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "X-Amz-Date header %s differs from the signing date %s",
                      date_header, params->amz_date);
        goto out;
    }
    r = *req;
    if (params->session_token && !has_header(req, TOKEN_HEADER, NULL)) {
        headers = calloc(req->header_count + 1, sizeof(*headers));
        if (!headers) {
            nomem(err);
            goto out;
        }
        if (req->header_count)
            memcpy(headers, req->headers, req->header_count * sizeof(*headers));
        headers[req->header_count].name = TOKEN_HEADER;
        headers[req->header_count].value = params->session_token;
        r.headers = headers;
        r.header_count = req->header_count + 1;
    }
    memcpy(date8, params->amz_date, 8);
    date8[8] = '\0';
    if (ecp_buf_printf(&auth, "%s/%s/%s/aws4_request", date8, params->region,
                       params->service) != 0) {
        nomem(err);
        goto out;
    }
    scope = ecp_buf_steal(&auth);
    if (!scope) {
        nomem(err);
        goto out;
    }
    if (ecp_sigv4_canonical_request(&r, params->normalize_path, &creq, &sh,
                                    err) != 0 ||
        ecp_sigv4_string_to_sign(params->amz_date, scope, creq, &sts, err) !=
            0 ||
        signer_key(signer, params, date8, key, err) != 0 ||
        ecp_sigv4_signature(key, sts, sig, err) != 0)
        goto out;
    if (ecp_buf_printf(&auth,
                       ALGORITHM " Credential=%s/%s, SignedHeaders=%s, "
                                 "Signature=%s",
                       params->access_key_id, scope, sh, sig) != 0) {
        nomem(err);
        goto out;
    }
    if (dbg) {
        dbg->canonical_request = redact_token(creq);
        dbg->string_to_sign = strdup(sts);
        if (!dbg->canonical_request || !dbg->string_to_sign) {
            ecp_sigv4_debug_clear(dbg);
            nomem(err);
            goto out;
        }
    }
    *authorization = ecp_buf_steal(&auth);
    if (!*authorization) {
        ecp_sigv4_debug_clear(dbg);
        nomem(err);
        goto out;
    }
    rc = 0;
out:
    OPENSSL_cleanse(key, sizeof(key));
    ecp_buf_free(&auth);
    if (creq) /* holds the session token */
        OPENSSL_cleanse(creq, strlen(creq));
    free(creq);
    free(sh);
    free(sts);
    free(scope);
    free(headers);
    return rc;
}
