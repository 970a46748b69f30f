/* The credential provider chain: explicit keys > environment > shared
 * credentials file > config file, botocore's rules for an explicit
 * profile, partial keys, the "no credentials" message, and the seam for
 * providers added later. */
#include "credentials.h"
#include "testutil.h"

static const char config_file[] =
    "[default]\n"
    "region = us-east-1\n"
    "aws_access_key_id = AKIDCONFIGDEFAULT\n"
    "aws_secret_access_key = configdefaultsecret\n"
    "[profile cfgonly]\n"
    "aws_access_key_id = AKIDCONFIGONLY\n"
    "aws_secret_access_key = configonlysecret\n"
    "aws_session_token = configtoken\n"
    "[profile both]\n"
    "aws_access_key_id = AKIDCONFIGBOTH\n"
    "aws_secret_access_key = configbothsecret\n"
    "[profile empty]\n"
    "output = json\n"
    "[profile partial]\n"
    "aws_access_key_id = AKIDPARTIAL\n";

static const char credentials_file[] =
    "[default]\n"
    "aws_access_key_id = AKIDFILEDEFAULT\n"
    "aws_secret_access_key = filedefaultsecret\n"
    "[both]\n"
    "aws_access_key_id = AKIDFILEBOTH\n"
    "aws_secret_access_key = filebothsecret\n"
    "aws_security_token = legacytoken\n"
    "[fileonly]\n"
    "aws_secret_access_key = onlysecret\n";

struct cred_case {
    const char *name;
    const char *profile;      /* ec_config.profile */
    const char *explicit_key; /* ec_config keys */
    const char *explicit_secret;
    const char *env[6];
    /* expected */
    const char *key; /* NULL: failure with `message` */
    const char *secret;
    const char *token;
    const char *source;
    ec_errcode code;
    const char *message;
};

static const struct cred_case cases[] = {
    {"shared file default",
     NULL,
     NULL,
     NULL,
     {NULL},
     "AKIDFILEDEFAULT",
     "filedefaultsecret",
     NULL,
     "shared-credentials-file",
     EC_OK,
     NULL},
    {"env beats files",
     NULL,
     NULL,
     NULL,
     {"AWS_ACCESS_KEY_ID=AKIDENV", "AWS_SECRET_ACCESS_KEY=envsecret",
      "AWS_SESSION_TOKEN=envtoken", NULL},
     "AKIDENV",
     "envsecret",
     "envtoken",
     "env",
     EC_OK,
     NULL},
    {"legacy AWS_SECURITY_TOKEN",
     NULL,
     NULL,
     NULL,
     {"AWS_ACCESS_KEY_ID=AKIDENV", "AWS_SECRET_ACCESS_KEY=envsecret",
      "AWS_SECURITY_TOKEN=oldtoken", NULL},
     "AKIDENV",
     "envsecret",
     "oldtoken",
     "env",
     EC_OK,
     NULL},
    {"explicit beats env",
     NULL,
     "AKIDEXPLICIT",
     "explicitsecret",
     {"AWS_ACCESS_KEY_ID=AKIDENV", "AWS_SECRET_ACCESS_KEY=envsecret", NULL},
     "AKIDEXPLICIT",
     "explicitsecret",
     NULL,
     "explicit",
     EC_OK,
     NULL},
    {"AWS_PROFILE keeps env first",
     NULL,
     NULL,
     NULL,
     {"AWS_PROFILE=both", "AWS_ACCESS_KEY_ID=AKIDENV",
      "AWS_SECRET_ACCESS_KEY=envsecret", NULL},
     "AKIDENV",
     "envsecret",
     NULL,
     "env",
     EC_OK,
     NULL},
    {"explicit profile skips env",
     "both",
     NULL,
     NULL,
     {"AWS_ACCESS_KEY_ID=AKIDENV", "AWS_SECRET_ACCESS_KEY=envsecret", NULL},
     "AKIDFILEBOTH",
     "filebothsecret",
     "legacytoken",
     "shared-credentials-file",
     EC_OK,
     NULL},
    {"config file profile",
     NULL,
     NULL,
     NULL,
     {"AWS_PROFILE=cfgonly", NULL},
     "AKIDCONFIGONLY",
     "configonlysecret",
     "configtoken",
     "config-file",
     EC_OK,
     NULL},
    {"explicit keys beat an explicit profile",
     "cfgonly",
     "AKIDX",
     "sx",
     {NULL},
     "AKIDX",
     "sx",
     NULL,
     "explicit",
     EC_OK,
     NULL},
    {"nothing anywhere",
     "empty",
     NULL,
     NULL,
     {NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     EC_ERR_CREDENTIALS,
     "Unable to locate credentials. You can configure credentials by running "
     "\"aws configure\"."},
    {"empty env values are absent",
     NULL,
     NULL,
     NULL,
     {"AWS_PROFILE=empty",
      "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     EC_ERR_CREDENTIALS,
     "Unable to locate credentials."},
    {"partial env",
     NULL,
     NULL,
     NULL,
     {"AWS_ACCESS_KEY_ID=AKIDENV", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     EC_ERR_CREDENTIALS,
     "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY"},
    {"partial env secret only",
     NULL,
     NULL,
     NULL,
     {"AWS_SECRET_ACCESS_KEY=x", NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     EC_ERR_CREDENTIALS,
     "Partial credentials found in env, missing: AWS_ACCESS_KEY_ID"},
    {"partial shared file",
     "fileonly",
     NULL,
     NULL,
     {NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     EC_ERR_CREDENTIALS,
     "Partial credentials found in shared-credentials-file, missing: "
     "aws_access_key_id"},
    {"partial config file",
     "partial",
     NULL,
     NULL,
     {NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     EC_ERR_CREDENTIALS,
     "Partial credentials found in config-file, missing: "
     "aws_secret_access_key"},
    {"partial explicit",
     NULL,
     "AKIDX",
     NULL,
     {NULL},
     NULL,
     NULL,
     NULL,
     NULL,
     EC_ERR_CREDENTIALS,
     "Partial credentials found in explicit, missing: secret_access_key"},
};

static int run_case(const struct cred_case *c)
{
    ec_config cfg = {0};
    ecp_settings s = {0};
    ecp_credentials cr;
    ecp_credentials_context ctx;
    ec_error err;
    int failures = test_failures;

    cfg.profile = c->profile;
    cfg.access_key_id = c->explicit_key;
    cfg.secret_access_key = c->explicit_secret;
    cfg.environ = c->env;
    cfg.region = "us-east-1";
    ec_error_clear(&err);
    CHECK_INT(ecp_settings_resolve(&cfg, config_file, sizeof(config_file) - 1,
                                   credentials_file,
                                   sizeof(credentials_file) - 1, &s, &err),
              0);
    ctx.config = &cfg;
    ctx.settings = &s;
    if (c->key) {
        CHECK_INT(ecp_credentials_resolve(&ctx, &cr, &err), 0);
        CHECK_STR(cr.access_key_id, c->key);
        CHECK_STR(cr.secret_access_key, c->secret);
        if (c->token)
            CHECK_STR(cr.session_token, c->token);
        else
            CHECK(cr.session_token == NULL);
        CHECK_STR(cr.source, c->source);
        ecp_credentials_clear(&cr);
        CHECK(cr.access_key_id == NULL && cr.secret_access_key == NULL);
    } else {
        CHECK_INT(ecp_credentials_resolve(&ctx, &cr, &err), -1);
        CHECK_INT(err.code, c->code);
        CHECK(strstr(err.message, c->message) != NULL);
        CHECK(cr.access_key_id == NULL);
    }
    ecp_settings_free(&s);
    if (test_failures != failures)
        fprintf(stderr, "  in case \"%s\" (%s)\n", c->name, err.message);
    return 0;
}

/* A provider added through the seam, e.g. a future IMDS provider. */
static int fake_calls;

static int fake_get(ecp_credentials_provider *self,
                    const ecp_credentials_context *ctx, ecp_credentials *out,
                    ec_error *err)
{
    (void)ctx;
    (void)err;
    fake_calls++;
    out->access_key_id = ecp_strdup((const char *)self->state);
    out->secret_access_key = ecp_strdup("fakesecret");
    out->source = "fake";
    return 1;
}

static void fake_free(ecp_credentials_provider *self)
{
    self->state = NULL;
}

static void test_seam(void)
{
    ec_config cfg = {0};
    ecp_settings s = {0};
    ecp_credentials_context ctx = {&cfg, &s};
    ecp_credentials_chain chain;
    ecp_credentials_provider fake = {"fake", fake_get, fake_free, "AKIDFAKE"};
    ecp_credentials cr;
    ec_error err;
    static const char *const env[] = {NULL};
    size_t i;

    cfg.environ = env;
    cfg.region = "us-east-1";
    CHECK_INT(ecp_settings_resolve(&cfg, NULL, 0, NULL, 0, &s, NULL), 0);
    /* Empty chain: nothing found. */
    ecp_credentials_chain_default(&chain, &ctx);
    CHECK_INT((int)chain.count, 4);
    CHECK_STR(chain.providers[0].name, "explicit");
    CHECK_STR(chain.providers[1].name, "env");
    CHECK_STR(chain.providers[2].name, "shared-credentials-file");
    CHECK_STR(chain.providers[3].name, "config-file");
    ec_error_clear(&err);
    CHECK_INT(ecp_credentials_chain_resolve(&chain, &ctx, &cr, &err), -1);
    CHECK_INT(err.code, EC_ERR_CREDENTIALS);
    /* A provider appended last (where IMDS goes) is reached. */
    CHECK_INT(ecp_credentials_chain_add(&chain, fake), 0);
    CHECK_INT(ecp_credentials_chain_resolve(&chain, &ctx, &cr, NULL), 0);
    CHECK_STR(cr.access_key_id, "AKIDFAKE");
    CHECK_STR(cr.source, "fake");
    CHECK_INT(fake_calls, 1);
    ecp_credentials_clear(&cr);
    ecp_credentials_chain_free(&chain);
    CHECK_INT((int)chain.count, 0);
    /* A full chain refuses more. */
    for (i = 0; i < ECP_CREDENTIALS_CHAIN_MAX; i++)
        CHECK_INT(ecp_credentials_chain_add(&chain, fake), 0);
    CHECK_INT(ecp_credentials_chain_add(&chain, fake), -1);
    ecp_credentials_chain_free(&chain);
    ecp_settings_free(&s);
    ecp_credentials_clear(NULL);
}

int main(void)
{
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(&cases[i]);
    test_seam();
    return test_status("credentials");
}
