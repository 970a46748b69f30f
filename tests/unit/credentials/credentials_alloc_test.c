/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fail the Nth allocation (ld --wrap) for every N through the selection of
 * each provider (and the not-found message): each run must pick the same
 * provider or fail cleanly with EC_ERR_NOMEM, and free everything (the
 * ASan and valgrind builds check that).
 */
#include <stdlib.h>
#include <string.h>

#include "credentials.h"
#include "testutil.h"

#include "allocfail.h"

static const char config_file[] =
    "[default]\nregion = us-west-2\n"
    "[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = chain\n"
    "[profile chain]\nrole_arn = arn:aws:iam::1:role/c\nsource_profile = base\n"
    "external_id = e\nrole_session_name = s\nduration_seconds = 900\n"
    "[profile wif]\nrole_arn = arn:aws:iam::1:role/w\n"
    "web_identity_token_file = /t\n"
    "[profile sso]\nsso_session = corp\nsso_account_id = 1\n"
    "sso_role_name = R\n"
    "[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\n"
    "sso_region = eu-west-1\n"
    "[profile proc]\ncredential_process = /bin/helper 'a b' c\n"
    "[profile ec2]\nrole_arn = arn:aws:iam::1:role/e\n"
    "credential_source = Ec2InstanceMetadata\n"
    "[profile ecs]\nrole_arn = arn:aws:iam::1:role/e\n"
    "credential_source = EcsContainer\n"
    "[profile nothing]\nregion = us-east-1\n";
static const char credentials_file[] = "[base]\naws_access_key_id = AKIDBASE\n"
                                       "aws_secret_access_key = basesecret\n";

static const struct {
    const char *profile;
    const char *env[6];
    const char *provider; /* NULL: EC_ERR_CREDENTIALS (nothing found) */
} cases[] = {
    {"role", {"HOME=/h", NULL}, "assume-role"},
    {"wif", {"HOME=/h", NULL}, "assume-role-with-web-identity"},
    {"sso", {"HOME=/h", NULL}, "sso"},
    {"proc", {"HOME=/h", "A=B", NULL}, "custom-process"},
    {"ec2",
     {"HOME=/h", "http_proxy=http://127.0.0.1:3128", NULL},
     "assume-role"},
    {"ecs",
     {"HOME=/h", "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1/c",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN=tok", NULL},
     "assume-role"},
    {NULL,
     {"HOME=/h", "AWS_ACCESS_KEY_ID=A", "AWS_SECRET_ACCESS_KEY=S",
      "AWS_SESSION_TOKEN=T", "AWS_CREDENTIAL_EXPIRATION=2030-01-01T00:00:00Z",
      NULL},
     "env"},
    {NULL,
     {"HOME=/h", "AWS_WEB_IDENTITY_TOKEN_FILE=/t", "AWS_ROLE_ARN=arn", NULL},
     "assume-role-with-web-identity"},
    {NULL, {"HOME=/h", NULL}, "iam-role"},
    {"nothing", {"HOME=/h", "AWS_EC2_METADATA_DISABLED=true", NULL}, NULL},
};

/* Returns 0 when the expected provider was chosen, or the error code. */
static ec_errcode exercise(size_t i)
{
    ec_config cfg = {0};
    ecp_settings s = {0};
    ecp_credentials_context ctx = {&cfg, &s};
    ecp_provider *p = NULL;
    ec_error err = {0};

    cfg.environ = cases[i].env;
    cfg.profile = cases[i].profile;
    cfg.region = "us-east-1";
    if (ecp_settings_resolve(&cfg, config_file, sizeof(config_file) - 1,
                             credentials_file, sizeof(credentials_file) - 1, &s,
                             &err) == 0 &&
        ecp_credentials_select(&ctx, &p, &err) == 0)
        CHECK_STR(p->name, cases[i].provider);
    ecp_provider_free(p);
    ecp_settings_free(&s);
    return err.code;
}

int main(void)
{
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ec_errcode want = cases[i].provider ? EC_OK : EC_ERR_CREDENTIALS;
        long total, n;

        allocfail_arm(0);
        CHECK_INT(exercise(i), want);
        total = allocfail_count;
        CHECK(total > 5);
        for (n = 1; n <= total; n++) {
            ec_errcode code;

            allocfail_arm(n);
            code = exercise(i);
            if (code != want && code != EC_ERR_NOMEM)
                fprintf(stderr, "case %zu, allocation %ld: code %d\n", i, n,
                        (int)code);
            CHECK(code == want || code == EC_ERR_NOMEM);
        }
        allocfail_arm(0);
    }
    return test_status("credentials alloc");
}
