/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the SigV4 canonical request and the full signer on any
 * request. Input: the test suite's .req form ("METHOD URI HTTP/1.1", header
 * lines "Name:value" with indented continuation lines, a blank line, the
 * body), so the suite's cases are the seeds. The last byte picks path
 * normalisation, whether a session token is signed and whether the cached
 * signer is given a credentials identity (one for the fixed credentials
 * here, as the contract allows) or recognises the secret by its hash.
 * Oracles: a signer that has the signing key cached and a fresh one give
 * the same Authorization, and when no token is involved its signature equals
 * the one computed stage by stage. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sigv4.h"
#include "util.h"

#define MAX_HEADERS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Name the broken property in the log, then crash for libFuzzer. */
static void fail(const char *what)
{
    fprintf(stderr, "fuzz_sigv4: oracle: %s\n", what);
    abort();
}

typedef struct fuzz_req {
    char *text; /* NUL-terminated copy, cut in place */
    ecp_header headers[MAX_HEADERS];
    size_t header_count;
    ecp_sigv4_request req;
} fuzz_req;

static const char secret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
static ecp_signer *cached; /* lives across inputs: the cache is exercised */
static uint64_t cached_id; /* the identity of the fixed credentials */

/* Cut the NUL-terminated text into request parts. -1: not a request. */
static int split_req(fuzz_req *f)
{
    char *p = f->text, *eol, *sp, *q, *last = NULL;

    eol = strchr(p, '\n');
    if (eol)
        *eol = '\0';
    sp = strchr(p, ' ');
    if (!sp)
        return -1;
    *sp = '\0';
    f->req.method = p;
    p = sp + 1;
    /* The URI runs to the last space (the suite has paths with spaces). */
    for (q = p; *q; q++)
        if (*q == ' ')
            last = q;
    if (last)
        *last = '\0';
    q = strchr(p, '?');
    if (q) {
        *q = '\0';
        f->req.query = q + 1;
    }
    f->req.path = p;
    f->req.body = (const unsigned char *)"";
    for (p = eol ? eol + 1 : NULL; p && *p; p = eol ? eol + 1 : NULL) {
        eol = strchr(p, '\n');
        if (eol)
            *eol = '\0';
        if (*p == '\0') { /* blank line: the body follows */
            if (eol) {
                f->req.body = (const unsigned char *)(eol + 1);
                f->req.body_len = strlen(eol + 1);
            }
            break;
        }
        if ((*p == ' ' || *p == '\t') && f->header_count > 0) {
            /* Continuation: rejoin with the line break the signer folds. */
            p[-1] = '\n';
            continue;
        }
        sp = strchr(p, ':');
        if (!sp || f->header_count == MAX_HEADERS)
            return -1;
        *sp = '\0';
        f->headers[f->header_count].name = p;
        f->headers[f->header_count].value = sp + 1;
        f->header_count++;
    }
    f->req.headers = f->headers;
    f->req.header_count = f->header_count;
    return 0;
}

static const char *find_header(const fuzz_req *f, const char *name)
{
    size_t i;

    for (i = 0; i < f->header_count; i++)
        if (strcasecmp(f->headers[i].name, name) == 0)
            return f->headers[i].value;
    return NULL;
}

/* The signature computed stage by stage must be the one in authz. */
static void check_stages(const fuzz_req *f, const ecp_sigv4_params *params,
                         const char *authz)
{
    char *creq = NULL, *sh = NULL, *sts = NULL;
    char scope[128], date8[9], hex[65];
    unsigned char key[32];
    const char *sig = strstr(authz, "Signature=");

    memcpy(date8, params->amz_date, 8);
    date8[8] = '\0';
    snprintf(scope, sizeof(scope), "%s/%s/%s/aws4_request", date8,
             params->region, params->service);
    if (!sig ||
        ecp_sigv4_canonical_request(&f->req, params->normalize_path, &creq, &sh,
                                    NULL) != 0 ||
        ecp_sigv4_string_to_sign(params->amz_date, scope, creq, &sts, NULL) !=
            0 ||
        ecp_sigv4_signing_key(secret, date8, params->region, params->service,
                              key, NULL) != 0 ||
        ecp_sigv4_signature(key, sts, hex, NULL) != 0 ||
        strcmp(sig + strlen("Signature="), hex) != 0)
        fail("the signer's signature differs from the staged one");
    free(creq);
    free(sh);
    free(sts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_req f = {0};
    ecp_sigv4_params params = {0};
    ecp_signer *fresh = NULL;
    char *creq = NULL, *sh = NULL, *a1 = NULL, *a2 = NULL;
    const char *date;
    uint8_t mode = size ? data[size - 1] : 0;
    int r1, r2;

    if (!cached) {
        cached = ecp_signer_new();
        cached_id = ecp_sigv4_credentials_id_new();
    }
    f.text = malloc(size + 1);
    if (!f.text || !cached)
        goto out;
    memcpy(f.text, data, size);
    f.text[size] = '\0';
    if (split_req(&f) != 0)
        goto out;

    (void)ecp_sigv4_canonical_request(&f.req, !(mode & 1), &creq, &sh, NULL);

    date = find_header(&f, "X-Amz-Date");
    params.access_key_id = "AKIDEXAMPLE";
    params.secret_access_key = secret;
    params.region = "us-east-1";
    params.service = (mode & 4) ? "elasticache" : "service";
    params.amz_date = date ? date : "20150830T123600Z";
    params.normalize_path = !(mode & 1);
    params.session_token = (mode & 2) ? "AQoDYXdzEPT//////////wEXAMPLE" : NULL;
    fresh = ecp_signer_new();
    if (!fresh)
        goto out;
    params.credentials_id = (mode & 8) ? cached_id : 0;
    r1 = ecp_signer_sign(cached, &f.req, &params, &a1, NULL, NULL);
    params.credentials_id = 0;
    r2 = ecp_signer_sign(fresh, &f.req, &params, &a2, NULL, NULL);
    if (r1 != r2 || (r1 == 0 && strcmp(a1, a2) != 0))
        fail("a signer with a cached key and a new one disagree");
    if (r1 == 0 && !params.session_token && strlen(params.amz_date) >= 8)
        check_stages(&f, &params, a1);
out:
    ecp_signer_free(fresh);
    free(a1);
    free(a2);
    free(creq);
    free(sh);
    free(f.text);
    return 0;
}
