/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigv4_case: check one SigV4 test-suite case folder (NAME.req, NAME.creq,
 * NAME.sts, NAME.authz) against the library's signer; prints a diff and
 * exits 1 on a mismatch, 2 on bad usage or unreadable files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sigv4.h"

#define FILE_LIMIT (1024 * 1024)
#define MAX_HEADERS 256
#define TOKEN_PREFIX "x-amz-security-token:"

typedef struct options {
    const char *region;
    const char *service;
    const char *key_id;
    const char *secret;
    const char *dir;
    int normalize_path;
} options;

typedef struct parsed_req {
    char *method;
    char *path;
    char *query; /* NULL when the target had no '?' */
    ecp_header headers[MAX_HEADERS];
    char *names[MAX_HEADERS];
    char *values[MAX_HEADERS];
    size_t count;
    const char *body;
    size_t body_len;
} parsed_req;

static void usage(FILE *f)
{
    fprintf(f, "usage: sigv4_case [--region R] [--service S] [--key-id K] "
               "[--secret S] [--no-normalize-path] DIR\n"
               "Checks DIR/NAME.{req,creq,sts,authz} (NAME: the basename of "
               "DIR) against the\nlibelasticache SigV4 signer. Defaults: "
               "us-east-1, service, AKIDEXAMPLE and the\ntest-suite secret. "
               "--no-normalize-path signs the path exactly as written (S3 "
               "style).\nExit 0: all match; 1: mismatch (diff printed); 2: "
               "usage or I/O.\n");
}

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);

    if (!p) {
        fprintf(stderr, "sigv4_case: out of memory\n");
        exit(2);
    }
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static void free_req(parsed_req *r)
{
    size_t i;

    free(r->method);
    free(r->path);
    free(r->query);
    for (i = 0; i < r->count; i++) {
        free(r->names[i]);
        free(r->values[i]);
    }
}

/* Strip one trailing "\n" or "\r\n": most suite files have no final
 * newline, files edited by hand often do. */
static void chomp(char *s)
{
    size_t n = strlen(s);

    if (n && s[n - 1] == '\n')
        s[--n] = '\0';
    if (n && s[n - 1] == '\r')
        s[--n] = '\0';
}

static int add_header(parsed_req *r, const char *name, size_t nlen,
                      const char *value, size_t vlen)
{
    if (r->count == MAX_HEADERS) {
        fprintf(stderr, "sigv4_case: more than %d headers\n", MAX_HEADERS);
        return -1;
    }
    r->names[r->count] = dupn(name, nlen);
    r->values[r->count] = dupn(value, vlen);
    r->count++;
    return 0;
}

/* The .req format is loose on purpose (raw UTF-8 and spaces in the request
 * line), so this is a line splitter, not an HTTP parser. */
static int parse_req(const char *text, size_t len, parsed_req *r)
{
    const char *end = text + len, *p = text, *eol, *sp, *target, *tend;
    size_t i;

    eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    tend = eol;
    if (tend > p && tend[-1] == '\r')
        tend--;
    sp = memchr(p, ' ', (size_t)(tend - p));
    if (!sp || sp == p) {
        fprintf(stderr, "sigv4_case: .req: no request line\n");
        return -1;
    }
    r->method = dupn(p, (size_t)(sp - p));
    target = sp + 1;
    /* The target ends at the last " HTTP/": it may contain spaces. */
    for (sp = tend; sp - target >= 6; sp--)
        if (strncasecmp(sp - 6, " http/", 6) == 0) {
            tend = sp - 6;
            break;
        }
    sp = memchr(target, '?', (size_t)(tend - target));
    if (sp) {
        r->path = dupn(target, (size_t)(sp - target));
        r->query = dupn(sp + 1, (size_t)(tend - sp - 1));
    } else {
        r->path = dupn(target, (size_t)(tend - target));
    }
    p = eol < end ? eol + 1 : end;
    while (p < end) {
        const char *colon, *lend;

        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        lend = eol;
        if (lend > p && lend[-1] == '\r')
            lend--;
        if (lend == p) { /* blank line: the body follows */
            p = eol < end ? eol + 1 : end;
            r->body = p;
            r->body_len = (size_t)(end - p);
            break;
        }
        if (*p == ' ' || *p == '\t') {
            /* A folded continuation line belongs to the previous header;
             * the signer folds the line break and indentation into one
             * space. */
            char *v, *joined;
            size_t vl;

            if (r->count == 0) {
                fprintf(stderr, "sigv4_case: .req: continuation line "
                                "before any header\n");
                return -1;
            }
            v = r->values[r->count - 1];
            vl = strlen(v);
            joined = malloc(vl + 1 + (size_t)(lend - p) + 1);
            if (!joined)
                return -1;
            memcpy(joined, v, vl);
            joined[vl] = '\n';
            memcpy(joined + vl + 1, p, (size_t)(lend - p));
            joined[vl + 1 + (size_t)(lend - p)] = '\0';
            free(v);
            r->values[r->count - 1] = joined;
        } else {
            colon = memchr(p, ':', (size_t)(lend - p));
            if (!colon || colon == p) {
                fprintf(stderr, "sigv4_case: .req: bad header line: %.*s\n",
                        (int)(lend - p), p);
                return -1;
            }
            if (add_header(r, p, (size_t)(colon - p), colon + 1,
                           (size_t)(lend - colon - 1)) != 0)
                return -1;
        }
        p = eol < end ? eol + 1 : end;
    }
    for (i = 0; i < r->count; i++) {
        r->headers[i].name = r->names[i];
        r->headers[i].value = r->values[i];
    }
    return 0;
}

static const char *find_header(const parsed_req *r, const char *name)
{
    const char *v = NULL;
    size_t i;

    for (i = 0; i < r->count; i++)
        if (strcasecmp(r->names[i], name) == 0)
            v = r->values[i];
    return v;
}

/* Split text into lines (in place). Caller frees the array. */
static char **split_lines(char *text, size_t *n)
{
    size_t count = 1, i = 0;
    char *p, **lines;

    for (p = text; *p; p++)
        if (*p == '\n')
            count++;
    lines = calloc(count, sizeof(*lines));
    if (!lines)
        return NULL;
    lines[i++] = text;
    for (p = text; *p; p++)
        if (*p == '\n') {
            *p = '\0';
            lines[i++] = p + 1;
        }
    *n = count;
    return lines;
}

/* A line diff (longest common subsequence), printed unified-style. The
 * files are a few lines long, so the quadratic table is fine. */
static void print_diff(const char *label, const char *expected, const char *got)
{
    char *a = dupn(expected, strlen(expected)), *b = dupn(got, strlen(got));
    size_t na = 0, nb = 0, i, j;
    char **la = split_lines(a, &na), **lb = split_lines(b, &nb);
    size_t *t = la && lb ? calloc((na + 1) * (nb + 1), sizeof(*t)) : NULL;

    printf("--- %s (expected)\n+++ %s (got)\n", label, label);
    if (!t) {
        printf("-%s\n+%s\n", expected, got);
        goto out;
    }
#define T(x, y) t[(x) * (nb + 1) + (y)]
    for (i = na; i-- > 0;)
        for (j = nb; j-- > 0;)
            T(i, j) =
                strcmp(la[i], lb[j]) == 0
                    ? T(i + 1, j + 1) + 1
                    : (T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
    i = j = 0;
    while (i < na || j < nb) {
        if (i < na && j < nb && strcmp(la[i], lb[j]) == 0) {
            printf(" %s\n", la[i]);
            i++;
            j++;
        } else if (i < na && (j == nb || T(i + 1, j) >= T(i, j + 1))) {
            printf("-%s\n", la[i++]);
        } else {
            printf("+%s\n", lb[j++]);
        }
    }
#undef T
out:
    free(t);
    free(la);
    free(lb);
    free(a);
    free(b);
}

static int compare(const char *name, const char *ext, const char *expected,
                   const char *got)
{
    char label[512];

    if (strcmp(expected, got) == 0)
        return 0;
    snprintf(label, sizeof(label), "%s.%s", name, ext);
    print_diff(label, expected, got);
    return 1;
}

static int read_case_file(const char *dir, const char *name, const char *ext,
                          char **out, size_t *len)
{
    char path[4096];
    ec_error err = {0};

    if ((size_t)snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext) >=
        sizeof(path)) {
        fprintf(stderr, "sigv4_case: path too long\n");
        return -1;
    }
    if (ecp_read_file(path, FILE_LIMIT, out, len, &err) != 0) {
        fprintf(stderr, "sigv4_case: %s\n", err.message);
        return -1;
    }
    return 0;
}

/* botocore's harness rule: a case whose .req has no token but whose .creq
 * signs one (get-vanilla-with-session-token) takes the token from the
 * .creq's canonical headers. */
static const char *token_from_creq(const char *creq, size_t *len)
{
    const char *p = strstr(creq, "\n" TOKEN_PREFIX);
    const char *e;

    if (!p)
        return NULL;
    p += 1 + strlen(TOKEN_PREFIX);
    e = strchr(p, '\n');
    *len = e ? (size_t)(e - p) : strlen(p);
    return p;
}

static int parse_args(int argc, char **argv, options *o)
{
    int i;

    o->region = "us-east-1";
    o->service = "service";
    o->key_id = "AKIDEXAMPLE";
    o->secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    o->dir = NULL;
    o->normalize_path = 1;
    for (i = 1; i < argc; i++) {
        const char **slot = NULL;

        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            exit(0);
        }
        if (strcmp(argv[i], "--no-normalize-path") == 0) {
            o->normalize_path = 0;
            continue;
        }
        if (strcmp(argv[i], "--region") == 0)
            slot = &o->region;
        else if (strcmp(argv[i], "--service") == 0)
            slot = &o->service;
        else if (strcmp(argv[i], "--key-id") == 0)
            slot = &o->key_id;
        else if (strcmp(argv[i], "--secret") == 0)
            slot = &o->secret;
        if (slot) {
            if (i + 1 >= argc) {
                fprintf(stderr, "sigv4_case: %s needs a value\n", argv[i]);
                return -1;
            }
            *slot = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "sigv4_case: unknown option %s\n", argv[i]);
            return -1;
        } else if (!o->dir) {
            o->dir = argv[i];
        } else {
            fprintf(stderr, "sigv4_case: one case folder only\n");
            return -1;
        }
    }
    if (!o->dir) {
        fprintf(stderr, "sigv4_case: no case folder given\n");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    options o;
    parsed_req req = {0};
    char *dir = NULL, *name, *req_text = NULL, *exp_creq = NULL;
    char *exp_sts = NULL, *exp_authz = NULL, *creq = NULL, *sh = NULL;
    char *sts = NULL, *authz = NULL, *scope = NULL;
    size_t req_len = 0, tlen = 0, n;
    const char *amz_date, *token;
    ecp_signer *signer = NULL;
    ecp_sigv4_debug dbg = {0};
    ecp_sigv4_request r = {0};
    ecp_sigv4_params params = {0};
    ec_error err = {0};
    unsigned char key[32];
    char date8[9], sig[65];
    int rc = 2, mismatches = 0;

    if (parse_args(argc, argv, &o) != 0) {
        usage(stderr);
        return 2;
    }
    dir = dupn(o.dir, strlen(o.dir));
    n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = '\0';
    name = strrchr(dir, '/');
    name = name ? name + 1 : dir;
    if (read_case_file(dir, name, "req", &req_text, &req_len) != 0 ||
        read_case_file(dir, name, "creq", &exp_creq, NULL) != 0 ||
        read_case_file(dir, name, "sts", &exp_sts, NULL) != 0 ||
        read_case_file(dir, name, "authz", &exp_authz, NULL) != 0)
        goto out;
    chomp(exp_creq);
    chomp(exp_sts);
    chomp(exp_authz);
    if (parse_req(req_text, req_len, &req) != 0)
        goto out;
    amz_date = find_header(&req, "x-amz-date");
    if (!amz_date) {
        fprintf(stderr, "sigv4_case: %s.req has no X-Amz-Date header\n", name);
        goto out;
    }
    if (!find_header(&req, "x-amz-security-token")) {
        token = token_from_creq(exp_creq, &tlen);
        if (token &&
            add_header(&req, "X-Amz-Security-Token",
                       strlen("X-Amz-Security-Token"), token, tlen) != 0)
            goto out;
        if (token) {
            req.headers[req.count - 1].name = req.names[req.count - 1];
            req.headers[req.count - 1].value = req.values[req.count - 1];
        }
    }
    r.method = req.method;
    r.path = req.path;
    r.query = req.query;
    r.headers = req.headers;
    r.header_count = req.count;
    r.body = (const unsigned char *)req.body;
    r.body_len = req.body_len;

    /* The stages one by one, as a reader of the suite would follow them. */
    snprintf(date8, sizeof(date8), "%.8s", amz_date);
    n = strlen(date8) + strlen(o.region) + strlen(o.service) + 32;
    scope = malloc(n);
    if (!scope)
        goto out;
    snprintf(scope, n, "%s/%s/%s/aws4_request", date8, o.region, o.service);
    if (ecp_sigv4_canonical_request(&r, o.normalize_path, &creq, &sh, &err) !=
            0 ||
        ecp_sigv4_string_to_sign(amz_date, scope, creq, &sts, &err) != 0 ||
        ecp_sigv4_signing_key(o.secret, date8, o.region, o.service, key,
                              &err) != 0 ||
        ecp_sigv4_signature(key, sts, sig, &err) != 0) {
        fprintf(stderr, "sigv4_case: %s: %s\n", name, err.message);
        rc = 1;
        goto out;
    }
    /* And the signer the library uses, which must agree. */
    signer = ecp_signer_new();
    params.access_key_id = o.key_id;
    params.secret_access_key = o.secret;
    params.region = o.region;
    params.service = o.service;
    params.amz_date = amz_date;
    params.normalize_path = o.normalize_path;
    if (!signer ||
        ecp_signer_sign(signer, &r, &params, &authz, &dbg, &err) != 0) {
        fprintf(stderr, "sigv4_case: %s: %s\n", name,
                signer ? err.message : "out of memory");
        rc = 1;
        goto out;
    }
    if (!strstr(authz, sig) || strcmp(dbg.string_to_sign, sts) != 0) {
        fprintf(stderr,
                "sigv4_case: %s: the signer disagrees with its own "
                "stages\n",
                name);
        mismatches++;
    }
    mismatches += compare(name, "creq", exp_creq, creq);
    mismatches += compare(name, "sts", exp_sts, sts);
    mismatches += compare(name, "authz", exp_authz, authz);
    rc = mismatches ? 1 : 0;
    if (rc == 0)
        printf("ok %s\n", name);
out:
    ecp_sigv4_debug_clear(&dbg);
    ecp_signer_free(signer);
    free_req(&req);
    free(dir);
    free(req_text);
    free(exp_creq);
    free(exp_sts);
    free(exp_authz);
    free(creq);
    free(sh);
    free(sts);
    free(authz);
    free(scope);
    return rc;
}
