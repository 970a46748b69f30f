/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fail the Nth allocation (ld --wrap) for every N through query encoding
 * and signing: each run must give the right answer or EC_ERR_NOMEM with no
 * output, and free everything (the ASan and valgrind builds check that).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "sigv4.h"
#include "testutil.h"

#include "allocfail.h"

#define DATE "20150830T123600Z"

/* Encode a reboot and a DescribeEvents body, sign both (one with a token
 * parameter and debug copies) and a GET with a messy path and query, then
 * one whose canonical request and "AWS4" + secret outgrow the signer's
 * stack buffers. Returns 0 with *authz set, or -1 with *code set. */
static int exercise(char **authz, ec_errcode *code)
{
    static const char *const nodes[] = {"0001", "0002"};
    ec_reboot_cache_cluster_input rb = {0};
    ec_describe_events_input ev = {0};
    ecp_header h[] = {
        {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
        {"Host", "elasticache.us-east-1.amazonaws.com"},
        {"X-Amz-Date", DATE},
        {"My-Header", "  a \n  b  "},
        {"my-header", "c"}};
    ecp_sigv4_request r = {0};
    ecp_sigv4_params p = {0};
    ecp_sigv4_debug dbg = {0};
    static char big[3001], long_secret[201];
    ecp_header large[2] = {{"Host", "elasticache.us-east-1.amazonaws.com"},
                           {"X-Large", big}};
    ecp_buf body = {0};
    ecp_signer *signer = NULL;
    char *second = NULL, *third = NULL;
    ec_error err = {0};
    int rc = -1;

    *authz = NULL;
    rb.cache_cluster_id = "my-memcached";
    rb.cache_node_ids_to_reboot = nodes;
    rb.cache_node_id_count = 2;
    ev.source_identifier = "my cluster";
    ev.start_time = (ec_time){true, 1673342142, 512000, 0};
    ev.duration = (ec_opt_int){true, 60};
    signer = ecp_signer_new();
    if (!signer) {
        ecp_error_set(&err, EC_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (ecp_encode_reboot_cache_cluster(&rb, &body, &err) != 0)
        goto out;
    r.method = "POST";
    r.path = "/";
    r.headers = h;
    r.header_count = 5;
    r.body = (const unsigned char *)body.data;
    r.body_len = body.len;
    p.access_key_id = "AKIDEXAMPLE";
    p.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    p.region = "us-east-1";
    p.service = "elasticache";
    p.amz_date = DATE;
    p.normalize_path = 1;
    p.session_token = "token";
    if (ecp_signer_sign(signer, &r, &p, authz, &dbg, &err) != 0)
        goto out;
    if (ecp_encode_describe_events(&ev, &body, &err) != 0)
        goto out;
    r.method = "GET";
    r.path = "//a/./b/../c d/\xe1\x88\xb4";
    r.query = "b=2&a=1&%E1%88%B4=x+y&c";
    r.body = (const unsigned char *)body.data;
    r.body_len = body.len;
    if (ecp_signer_sign(signer, &r, &p, &second, NULL, &err) != 0)
        goto out;
    memset(big, 'b', sizeof(big) - 1);
    memset(long_secret, 's', sizeof(long_secret) - 1);
    r.headers = large;
    r.header_count = 2;
    p.secret_access_key = long_secret;
    if (ecp_signer_sign(signer, &r, &p, &third, NULL, &err) != 0)
        goto out;
    rc = 0;
out:
    if (rc != 0) {
        free(*authz);
        *authz = NULL;
    }
    *code = err.code;
    free(second);
    free(third);
    ecp_sigv4_debug_clear(&dbg);
    ecp_buf_free(&body);
    ecp_signer_free(signer);
    return rc;
}

int main(void)
{
    char *want = NULL, *got = NULL;
    ec_errcode code = EC_OK;
    long n, total;

    allocfail_at = 0;
    allocfail_count = 0;
    CHECK_INT(exercise(&want, &code), 0);
    total = allocfail_count;
    CHECK(total > 10);
    for (n = 1; n <= total; n++) {
        int rc;

        allocfail_at = n;
        allocfail_count = 0;
        rc = exercise(&got, &code);
        allocfail_at = 0;
        if (rc == 0) {
            CHECK_STR(got, want);
        } else {
            CHECK(got == NULL);
            if (code != EC_ERR_NOMEM)
                fprintf(stderr, "allocation %ld: error code %d\n", n,
                        (int)code);
            CHECK_INT(code, EC_ERR_NOMEM);
        }
        free(got);
        got = NULL;
    }
    fprintf(stderr, "failed each of %ld allocations in turn\n", total);
    free(want);
    return test_status("sigv4_alloc_test");
}
