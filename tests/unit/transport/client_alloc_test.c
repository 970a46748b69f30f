/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fail the Nth allocation (ld --wrap) for every N through config file
 * parsing, setting resolution, the credential chain and ec_client_new:
 * each run must succeed or fail cleanly with EC_ERR_NOMEM, and free
 * everything (the ASan and valgrind builds check that).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "testutil.h"

#include "allocfail.h"

static const char config_file[] =
    "[default]\nregion = us-west-2\n"
    "[profile dev]\nregion = eu-west-1\nservices = local\n"
    "aws_access_key_id = AKIDCFG\naws_secret_access_key = cfgsecret\n"
    "aws_session_token = cfgtoken\n"
    "[services local]\nelasticache =\n  endpoint_url = http://127.0.0.1:9\n";
static const char credentials_file[] =
    "[default]\naws_access_key_id = AKIDFILE\n"
    "aws_secret_access_key = filesecret\n";

/* Returns 0 on success, or the error code. */
static ec_errcode exercise(void)
{
    static const char *const env[] = {
        "AWS_PROFILE=dev", "AWS_CONFIG_FILE=/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE=/dev/null", NULL};
    ec_config cfg = EC_CONFIG_INIT;
    ecp_settings s = {0};
    ecp_credentials cr = {0};
    ecp_credentials_context ctx = {&cfg, &s};
    ecp_endpoint ep;
    ecp_endpoint_input in = {0};
    ec_error err = {0};
    ec_client *client = NULL;

    cfg.environ = env;
    if (ecp_settings_resolve(&cfg, config_file, sizeof(config_file) - 1,
                             credentials_file, sizeof(credentials_file) - 1, &s,
                             &err) != 0)
        goto out;
    CHECK_STR(s.endpoint_url, "http://127.0.0.1:9");
    in.region = s.region;
    in.endpoint_url = s.endpoint_url;
    if (ecp_endpoint_resolve(&in, &ep, &err) != 0 ||
        ecp_credentials_resolve(&ctx, NULL, &cr, &err) != 0)
        goto out;
    CHECK_STR(cr.access_key_id, "AKIDCFG");
    CHECK_STR(cr.session_token, "cfgtoken");
    cfg.environ = env + 1; /* the files, not the profile */
    cfg.region = "us-east-1";
    cfg.access_key_id = "AKIDX";
    cfg.secret_access_key = "secretx";
    cfg.session_token = "tokenx";
    client = ec_client_new(&cfg, &err);
    if (client)
        CHECK_STR(ec_client_region(client), "us-east-1");
out:
    ec_client_free(client);
    ecp_credentials_clear(&cr);
    ecp_settings_free(&s);
    return err.code;
}

int main(void)
{
    long total;
    ec_errcode code;

    allocfail_at = 0;
    allocfail_count = 0;
    CHECK_INT(exercise(), EC_OK);
    total = allocfail_count;
    CHECK(total > 10);
    for (allocfail_at = 1; allocfail_at <= total; allocfail_at++) {
        allocfail_count = 0;
        code = exercise();
        if (code != EC_OK && code != EC_ERR_NOMEM)
            fprintf(stderr, "allocation %ld failed: code %d\n", allocfail_at,
                    (int)code);
        CHECK(code == EC_OK || code == EC_ERR_NOMEM);
    }
    fprintf(stderr, "%ld allocations failed in turn\n", total);
    return test_status("client alloc");
}
