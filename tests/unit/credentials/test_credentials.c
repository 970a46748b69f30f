/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pure parts of the credential providers, table by table:
 *   test_credentials refresh|parse|sts|shlex|files|container|imds|sso
 * refresh: botocore's advisory/mandatory windows with an injected clock and
 * a fake provider; parse: credential_process / container / SSO answers;
 * sts: endpoints, bodies byte-identical to botocore's, answers; shlex:
 * Python's shlex.split; files: expanduser/expandvars and reads that never
 * block; container: allowed hosts; imds: base URLs, documents, the
 * expiration extension; sso: token cache names and files.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "credentials.h"
#include "credentials/providers.h"
#include "files.h"
#include "shlex.h"
#include "testutil.h"

static ec_time at(int64_t sec)
{
    ec_time t = {0};

    t.set = true;
    t.sec = sec;
    return t;
}

/* ------------------------------------------------------------------ */
/* refresh                                                             */
/* ------------------------------------------------------------------ */

typedef struct fake {
    int calls;
    int fail;         /* the next fetch fails */
    int64_t lifetime; /* seconds from now; 0: no expiry */
    int64_t now;
} fake;

static ec_time fake_now(void *userdata)
{
    return at(((fake *)userdata)->now);
}

static int fake_fetch(ecp_provider *self, const ecp_io *io,
                      ecp_credentials *out, ec_error *err)
{
    fake *f = self->state;
    char key[32];

    (void)io;
    f->calls++;
    if (f->fail)
        return ecp_error_set(err, EC_ERR_CREDENTIALS, "fake: down");
    snprintf(key, sizeof(key), "AKIDFAKE%d", f->calls);
    if (ecp_credentials_set(out, "fake", key, "secret", "token", "k", "s",
                            err) != 1)
        return -1;
    if (f->lifetime) {
        out->expires = true;
        out->expiration = at(f->now + f->lifetime);
    }
    return 0;
}

static void test_refresh(void)
{
    static const struct {
        bool loaded;
        bool expires;
        int64_t remaining;
        ecp_refresh want;
    } windows[] = {
        {false, true, 99999, ECP_REFRESH_MANDATORY},
        {true, false, 0, ECP_REFRESH_NONE},
        {true, true, 3600, ECP_REFRESH_NONE},
        {true, true, 900, ECP_REFRESH_NONE}, /* not less than 15 min */
        {true, true, 899, ECP_REFRESH_ADVISORY},
        {true, true, 600, ECP_REFRESH_ADVISORY},
        {true, true, 599, ECP_REFRESH_MANDATORY},
        {true, true, 0, ECP_REFRESH_MANDATORY},
        {true, true, -5, ECP_REFRESH_MANDATORY},
    };
    fake f = {0};
    ecp_io io = {0};
    ecp_provider *p;
    const ecp_credentials *c = NULL;
    ec_error err;
    size_t i;

    for (i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
        ecp_credentials cr = {0};

        cr.expires = windows[i].expires;
        cr.expiration = at(1000000 + windows[i].remaining);
        CHECK_INT(ecp_refresh_needed(windows[i].loaded, &cr, at(1000000)),
                  windows[i].want);
    }
    {
        ecp_credentials cr = {0};

        cr.expires = true;
        cr.expiration = at(100);
        CHECK(!ecp_credentials_expired(&cr, at(100)));
        CHECK(ecp_credentials_expired(&cr, at(101)));
    }

    io.now = fake_now;
    io.clock_userdata = &f;
    f.now = 1000000;
    f.lifetime = 3600;
    p = ecp_provider_new("fake", fake_fetch, NULL, &f, NULL);
    CHECK(p != NULL);
    /* First use fetches. */
    ec_error_clear(&err);
    CHECK_INT(ecp_provider_get(p, &io, &c, &err), 0);
    CHECK_INT(f.calls, 1);
    CHECK_STR(c->access_key_id, "AKIDFAKE1");
    /* 44 minutes left: cached. */
    f.now += 16 * 60;
    CHECK_INT(ecp_provider_get(p, &io, &c, &err), 0);
    CHECK_INT(f.calls, 1);
    /* 14 minutes left: advisory; a failure keeps the old ones. */
    f.now += 30 * 60;
    f.fail = 1;
    CHECK_INT(ecp_provider_get(p, &io, &c, &err), 0);
    CHECK_INT(f.calls, 2);
    CHECK_STR(c->access_key_id, "AKIDFAKE1");
    CHECK_INT(err.code, EC_OK);
    /* 9 minutes left: mandatory; a failure is an error. */
    f.now += 5 * 60;
    CHECK_INT(ecp_provider_get(p, &io, &c, &err), -1);
    CHECK_INT(f.calls, 3);
    CHECK_INT(err.code, EC_ERR_CREDENTIALS);
    CHECK(strstr(err.message, "fake: down") != NULL);
    /* It works again: new credentials. */
    f.fail = 0;
    ec_error_clear(&err);
    CHECK_INT(ecp_provider_get(p, &io, &c, &err), 0);
    CHECK_INT(f.calls, 4);
    CHECK_STR(c->access_key_id, "AKIDFAKE4");
    /* Short-lived credentials (30 s): every use refreshes, as in botocore
     * (they are always inside the mandatory window). */
    f.lifetime = 30;
    f.now += 3600;
    CHECK_INT(ecp_provider_get(p, &io, &c, &err), 0);
    CHECK_INT(ecp_provider_get(p, &io, &c, &err), 0);
    CHECK_INT(f.calls, 6);
    /* Refreshed but already expired. */
    f.lifetime = -1;
    f.now += 3600;
    CHECK_INT(ecp_provider_get(p, &io, &c, &err), -1);
    CHECK(strstr(err.message, "Credentials were refreshed, but the refreshed "
                              "credentials are still expired.") != NULL);
    ecp_provider_free(p);

    /* No expiry: fetched once. */
    memset(&f, 0, sizeof(f));
    f.now = 5;
    p = ecp_provider_new("fake", fake_fetch, NULL, &f, NULL);
    for (i = 0; i < 3; i++) {
        f.now += 100000;
        CHECK_INT(ecp_provider_get(p, &io, &c, NULL), 0);
    }
    CHECK_INT(f.calls, 1);
    ecp_provider_free(p);

    /* Partial keys and header-unsafe values. */
    {
        ecp_credentials cr = {0};

        ec_error_clear(&err);
        CHECK_INT(
            ecp_credentials_set(&cr, "x", "AKID", NULL, NULL, "k", "s", &err),
            -1);
        CHECK_STR(err.message, "Partial credentials found in x, missing: s");
        CHECK_INT(ecp_credentials_set(&cr, "x", "", "", "t", "k", "s", NULL),
                  0);
        /* A token no header can carry is kept here; the one header check
         * (ecp_header_value_check) refuses it where the header is made,
         * without quoting it. */
        ec_error_clear(&err);
        CHECK_INT(ecp_credentials_set(&cr, "x", "AKID", "s", "to\nken", "k",
                                      "s", &err),
                  1);
        CHECK_INT(ecp_header_value_check(cr.session_token, "session token",
                                         EC_ERR_TRANSPORT, &err),
                  -1);
        CHECK_INT(err.code, EC_ERR_TRANSPORT);
        CHECK(strstr(err.message, "session token has a control character") !=
              NULL);
        CHECK(strstr(err.message, "to\nken") == NULL);
        ecp_credentials_clear(&cr);
        CHECK_INT(ecp_header_value_check("tab\there", "x", EC_ERR_CONFIG, NULL),
                  -1);
        CHECK_INT(ecp_header_value_check("del\x7f", "x", EC_ERR_CONFIG, NULL),
                  -1);
        CHECK_INT(ecp_header_value_check("fine value/1.0 (x; y)", "x",
                                         EC_ERR_CONFIG, NULL),
                  0);
        CHECK_INT(ecp_header_value_check(NULL, "x", EC_ERR_CONFIG, NULL), 0);
    }
}

/* ------------------------------------------------------------------ */
/* parse                                                               */
/* ------------------------------------------------------------------ */

static void test_parse(void)
{
    static const struct {
        const char *json;
        const char *key; /* NULL: error containing `message` */
        const char *token;
        int64_t expiration; /* 0: none */
        const char *message;
    } process[] = {
        {"{\"Version\": 1, \"AccessKeyId\": \"AKIDP\", \"SecretAccessKey\": "
         "\"s\", \"SessionToken\": \"t\", \"Expiration\": "
         "\"2030-01-02T03:04:05Z\"}",
         "AKIDP", "t", 1893553445, NULL},
        {"{\"Version\": 1.0, \"AccessKeyId\": \"AKIDP\", \"SecretAccessKey\": "
         "\"s\"}",
         "AKIDP", NULL, 0, NULL},
        {"{\"Version\": 1, \"AccessKeyId\": \"AKIDP\", \"SecretAccessKey\": "
         "\"s\", \"Expiration\": null}",
         "AKIDP", NULL, 0, NULL},
        {"{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": "
         "\"s\"}",
         NULL, NULL, 0,
         "Unsupported version '2' for credential process provider, supported "
         "versions: 1"},
        {"{\"Version\": \"1\", \"AccessKeyId\": \"A\", \"SecretAccessKey\": "
         "\"s\"}",
         NULL, NULL, 0, "Unsupported version '1'"},
        {"{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}", NULL, NULL, 0,
         "Unsupported version '<Version key not provided>'"},
        {"{\"Version\": 1, \"SecretAccessKey\": \"s\"}", NULL, NULL, 0,
         "Missing required key in response: 'AccessKeyId'"},
        {"{\"Version\": 1, \"AccessKeyId\": \"A\"}", NULL, NULL, 0,
         "Missing required key in response: 'SecretAccessKey'"},
        {"{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": "
         "\"s\", \"Expiration\": \"tomorrow\"}",
         NULL, NULL, 0, "the Expiration is not an ISO 8601 timestamp"},
        {"not json", NULL, NULL, 0, "output is not a JSON object"},
        {"[1]", NULL, NULL, 0, "output is not a JSON object"},
        {"", NULL, NULL, 0, "output is not a JSON object"},
    };
    static const struct {
        const char *json;
        const char *key;
        const char *message;
    } container[] = {
        {"{\"AccessKeyId\": \"ASIAC\", \"SecretAccessKey\": \"s\", \"Token\": "
         "\"t\", \"Expiration\": \"2030-01-01T00:00:00Z\", \"RoleArn\": "
         "\"arn\"}",
         "ASIAC", NULL},
        {"{\"AccessKeyId\": \"ASIAC\", \"SecretAccessKey\": \"s\", "
         "\"Expiration\": \"2030-01-01T00:00:00Z\"}",
         NULL, "the answer has no Token"},
        {"{\"AccessKeyId\": \"ASIAC\", \"SecretAccessKey\": \"s\", \"Token\": "
         "\"t\"}",
         NULL, "the answer has no Expiration"},
        {"<html>", NULL, "Unable to parse JSON returned from ECS metadata"},
    };
    size_t i;

    for (i = 0; i < sizeof(process) / sizeof(process[0]); i++) {
        ecp_credentials c;
        ec_error err;
        int rc;

        ec_error_clear(&err);
        rc = ecp_process_parse(process[i].json, strlen(process[i].json), &c,
                               &err);
        if (process[i].key) {
            CHECK_INT(rc, 0);
            CHECK_STR(c.access_key_id, process[i].key);
            CHECK_STR(c.source, "custom-process");
            if (process[i].token)
                CHECK_STR(c.session_token, process[i].token);
            else
                CHECK(c.session_token == NULL);
            CHECK_INT(c.expires, process[i].expiration != 0);
            if (process[i].expiration)
                CHECK_INT(c.expiration.sec, process[i].expiration);
        } else {
            CHECK_INT(rc, -1);
            CHECK_INT(err.code, EC_ERR_CREDENTIALS);
            CHECK(strstr(err.message, process[i].message) != NULL);
            if (!strstr(err.message, process[i].message))
                fprintf(stderr, "  process case %zu: %s\n", i, err.message);
            CHECK(strncmp(err.message, "custom-process: ", 16) == 0);
            CHECK(c.access_key_id == NULL);
        }
        ecp_credentials_clear(&c);
    }
    for (i = 0; i < sizeof(container) / sizeof(container[0]); i++) {
        ecp_credentials c;
        ec_error err;
        int rc;

        ec_error_clear(&err);
        rc = ecp_container_parse(container[i].json, strlen(container[i].json),
                                 &c, &err);
        if (container[i].key) {
            CHECK_INT(rc, 0);
            CHECK_STR(c.access_key_id, container[i].key);
            CHECK_STR(c.session_token, "t");
            CHECK(c.expires);
        } else {
            CHECK_INT(rc, -1);
            CHECK(strstr(err.message, container[i].message) != NULL);
        }
        ecp_credentials_clear(&c);
    }
    {
        ec_time t;

        CHECK_INT(ecp_parse_expiration("2019-11-14T04:05:45UTC", &t), 0);
        CHECK_INT(t.sec, 1573704345);
        CHECK_INT(ecp_parse_expiration("2019-11-14T04:05:45Z", &t), 0);
        CHECK_INT(t.sec, 1573704345);
        CHECK_INT(ecp_parse_expiration("2019-11-14T05:05:45+01:00", &t), 0);
        CHECK_INT(t.sec, 1573704345);
        CHECK(ecp_parse_expiration("never", &t) != 0);
        CHECK(ecp_parse_expiration(NULL, &t) != 0);
    }
}

/* ------------------------------------------------------------------ */
/* sts                                                                 */
/* ------------------------------------------------------------------ */

static void test_sts(void)
{
    static const struct {
        const char *region, *override, *setting;
        bool fips, dualstack;
        const char *url, *signing; /* NULL url: error with `signing` */
    } endpoints[] = {
        {"us-east-1", NULL, NULL, false, false,
         "https://sts.us-east-1.amazonaws.com/", "us-east-1"},
        {"eu-west-1", NULL, "regional", false, false,
         "https://sts.eu-west-1.amazonaws.com/", "eu-west-1"},
        {"eu-west-1", NULL, "legacy", false, false, "https://sts.amazonaws.com",
         "us-east-1"},
        {"ap-east-1", NULL, "legacy", false, false,
         "https://sts.ap-east-1.amazonaws.com/", "ap-east-1"},
        {"us-east-1", NULL, "legacy", true, false,
         "https://sts-fips.us-east-1.amazonaws.com/", "us-east-1"},
        {"us-gov-west-1", NULL, NULL, true, false,
         "https://sts.us-gov-west-1.amazonaws.com/", "us-gov-west-1"},
        {"us-west-2", NULL, NULL, false, true, "https://sts.us-west-2.api.aws/",
         "us-west-2"},
        {"cn-northwest-1", NULL, NULL, false, false,
         "https://sts.cn-northwest-1.amazonaws.com.cn/", "cn-northwest-1"},
        {"eu-west-1", "http://127.0.0.1:4566", "legacy", false, false,
         "http://127.0.0.1:4566/", "eu-west-1"},
        {"us-east-1", "http://127.0.0.1:9/sts/", NULL, false, false,
         "http://127.0.0.1:9/sts/", "us-east-1"},
        {"us-east-1", NULL, "Legacy", false, false, NULL,
         "STS regional endpoints option Legacy is invalid."},
        {NULL, NULL, NULL, false, false, NULL, "You must specify a region."},
    };
    static const char assume_body[] =
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%"
        "3A123456789012%3Arole%2Fdemo&RoleSessionName=nightly&"
        "DurationSeconds=1800&ExternalId=ext+1%2F%2B%3D~";
    static const char web_body[] =
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%"
        "3Aiam%3A%3A1%3Arole%2Fci&RoleSessionName=botocore-session-1700000000&"
        "WebIdentityToken=eyJ.a-b_c~d%2Be%2Ff%3D";
    static const char answer[] =
        "<AssumeRoleResponse "
        "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
        "  <AssumeRoleResult>\n"
        "    <AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/demo/"
        "nightly</Arn><AssumedRoleId>AROA:nightly</AssumedRoleId>"
        "</AssumedRoleUser>\n"
        "    <Credentials>\n"
        "      <AccessKeyId>ASIASTS</AccessKeyId>\n"
        "      <SecretAccessKey>stssecret</SecretAccessKey>\n"
        "      <SessionToken>ststoken</SessionToken>\n"
        "      <Expiration>2030-01-01T00:00:00Z</Expiration>\n"
        "    </Credentials>\n"
        "  </AssumeRoleResult>\n"
        "  <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\n"
        "</AssumeRoleResponse>\n";
    ecp_sts_params p = {0};
    ecp_buf body = {0};
    ecp_credentials c;
    ec_error err;
    size_t i;

    for (i = 0; i < sizeof(endpoints) / sizeof(endpoints[0]); i++) {
        char *url = NULL, *signing = NULL;
        int rc;

        ec_error_clear(&err);
        rc = ecp_sts_endpoint(endpoints[i].region, endpoints[i].override,
                              endpoints[i].setting, endpoints[i].fips,
                              endpoints[i].dualstack, &url, &signing, &err);
        if (endpoints[i].url) {
            CHECK_INT(rc, 0);
            CHECK_STR(url, endpoints[i].url);
            CHECK_STR(signing, endpoints[i].signing);
        } else {
            CHECK_INT(rc, -1);
            CHECK(strstr(err.message, endpoints[i].signing) != NULL);
        }
        free(url);
        free(signing);
    }

    p.role_arn = "arn:aws:iam::123456789012:role/demo";
    p.role_session_name = "nightly";
    p.duration_seconds = 1800;
    p.external_id = "ext 1/+=~";
    CHECK_INT(ecp_sts_body("AssumeRole", &p, &body, NULL), 0);
    CHECK_STR(body.data, assume_body);
    memset(&p, 0, sizeof(p));
    p.role_arn = "arn:aws:iam::1:role/ci";
    p.role_session_name = "botocore-session-1700000000";
    p.web_identity_token = "eyJ.a-b_c~d+e/f=";
    p.external_id = "ignored for web identity";
    CHECK_INT(ecp_sts_body("AssumeRoleWithWebIdentity", &p, &body, NULL), 0);
    CHECK_STR(body.data, web_body);
    ecp_buf_free(&body);

    ec_error_clear(&err);
    CHECK_INT(ecp_sts_parse_credentials("AssumeRole", answer,
                                        sizeof(answer) - 1, "assume-role", &c,
                                        &err),
              0);
    CHECK_STR(c.access_key_id, "ASIASTS");
    CHECK_STR(c.secret_access_key, "stssecret");
    CHECK_STR(c.session_token, "ststoken");
    CHECK(c.expires && c.expiration.sec == 1893456000);
    ecp_credentials_clear(&c);
    /* The wrong operation's answer, or one without a token. */
    ec_error_clear(&err);
    CHECK_INT(ecp_sts_parse_credentials("AssumeRoleWithWebIdentity", answer,
                                        sizeof(answer) - 1, "w", &c, &err),
              -1);
    CHECK(strstr(err.message, "has no complete Credentials") != NULL);
    {
        char *cut = strdup(answer);
        char *t = strstr(cut, "<SessionToken>");

        memcpy(t, "<SessionTokes>", 14);
        memcpy(strstr(cut, "</SessionToken>"), "</SessionTokes>", 15);
        ec_error_clear(&err);
        CHECK_INT(ecp_sts_parse_credentials("AssumeRole", cut, strlen(cut),
                                            "assume-role", &c, &err),
                  -1);
        CHECK(strstr(err.message, "assume-role: the AssumeRole answer has no "
                                  "complete Credentials") != NULL);
        free(cut);
    }
    ec_error_clear(&err);
    CHECK_INT(
        ecp_sts_parse_credentials("AssumeRole", "<oops", 5, "a", &c, &err), -1);
    CHECK(strstr(err.message, "malformed XML") != NULL);
    {
        char name[64];
        fake f = {0};
        ecp_io io = {0};

        f.now = 1700000000;
        io.now = fake_now;
        io.clock_userdata = &f;
        ecp_default_session_name(&io, name, sizeof(name));
        CHECK_STR(name, "botocore-session-1700000000");
    }
}

/* ------------------------------------------------------------------ */
/* shlex                                                               */
/* ------------------------------------------------------------------ */

static void test_shlex(void)
{
    /* Expected words from Python 3.11's shlex.split (see
     * tests/unit/credentials/README.md). */
    static const struct {
        const char *in;
        const char *words[4];
        size_t n;
    } ok[] = {
        {"a b c", {"a", "b", "c"}, 3},
        {"  lead  trail  ", {"lead", "trail"}, 2},
        {"'single quoted' x", {"single quoted", "x"}, 2},
        {"\"double \\\" quote\"", {"double \" quote"}, 1},
        {"a\\ b", {"a b"}, 1},
        {"a''b", {"ab"}, 1},
        {"''", {""}, 1},
        {"\"\"", {""}, 1},
        {"x '' y", {"x", "", "y"}, 3},
        {"\"a\\$b\"", {"a\\$b"}, 1},
        {"\"a\\\\b\"", {"a\\b"}, 1},
        {"a'b c'd", {"ab cd"}, 1},
        {"tab\tsep\nnl", {"tab", "sep", "nl"}, 3},
        {"\"/usr/bin/cred helper\" --arg=1",
         {"/usr/bin/cred helper", "--arg=1"},
         2},
        {"back\\\\slash", {"back\\slash"}, 1},
        {"'it''s'", {"its"}, 1},
        {"", {NULL}, 0},
        {"\"nested 'single' in double\"", {"nested 'single' in double"}, 1},
        {"'nested \"double\" in single'", {"nested \"double\" in single"}, 1},
        {"ends-with-quote''", {"ends-with-quote"}, 1},
    };
    static const struct {
        const char *in, *message;
    } bad[] = {
        {"'open", "No closing quotation"},
        {"\"open", "No closing quotation"},
        {"trailing\\", "No escaped character"},
        {"\"esc\\", "No escaped character"},
    };
    size_t i, j;

    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char **argv = NULL;
        size_t argc = 99;

        CHECK_INT(ecp_shlex_split(ok[i].in, &argv, &argc, NULL), 0);
        CHECK_INT(argc, ok[i].n);
        for (j = 0; j < ok[i].n && j < argc; j++)
            CHECK_STR(argv[j], ok[i].words[j]);
        CHECK(argv && argv[argc] == NULL);
        ecp_argv_free(argv);
    }
    /* The allocation-free two-word test of "[profile NAME]" headers. */
    CHECK(ecp_shlex_two_words("profile dev", "dev"));
    CHECK(ecp_shlex_two_words("profile  'my dev' ", "my dev"));
    CHECK(!ecp_shlex_two_words("profile developer", "dev"));
    CHECK(!ecp_shlex_two_words("profile de", "dev"));
    CHECK(!ecp_shlex_two_words("profile dev extra", "dev"));
    CHECK(!ecp_shlex_two_words("profile", "dev"));
    CHECK(!ecp_shlex_two_words("profile 'dev", "dev"));
    CHECK(ecp_shlex_two_words("profile ''", ""));
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char **argv = NULL;
        size_t argc = 0;
        ec_error err;

        ec_error_clear(&err);
        CHECK_INT(ecp_shlex_split(bad[i].in, &argv, &argc, &err), -1);
        CHECK_STR(err.message, bad[i].message);
        CHECK(argv == NULL);
    }
}

/* ------------------------------------------------------------------ */
/* files                                                               */
/* ------------------------------------------------------------------ */

static void test_files(void)
{
    static const char *const env[] = {"HOME=/home/nagios/", "REGION=eu",
                                      "EMPTY=", NULL};
    static const char *const no_home[] = {"USER=x", NULL};
    static const char *const empty_home[] = {"HOME=", NULL};
    static const struct {
        const char *const *envp;
        const char *in, *out; /* out NULL: the passwd home + rest */
    } user[] = {
        {env, "~/.aws/config", "/home/nagios/.aws/config"},
        {env, "~", "/home/nagios"},
        {env, "/etc/x", "/etc/x"},
        {env, "rel/~/x", "rel/~/x"},
        {empty_home, "~/.aws/config", "/.aws/config"},
        {empty_home, "~", "/"},
        {env, "~no-such-user-here/x", "~no-such-user-here/x"},
        {env, "~root/x", NULL},
        {no_home, "~/.aws/credentials", NULL},
    };
    static const struct {
        const char *in, *out;
    } vars[] = {
        {"$HOME/.aws/config", "/home/nagios//.aws/config"},
        {"${REGION}-x", "eu-x"},
        {"$REGIONx", "$REGIONx"},
        {"$UNSET/a", "$UNSET/a"},
        {"${UNSET}", "${UNSET}"},
        {"a$", "a$"},
        {"$EMPTY|", "|"},
        {"${unclosed", "${unclosed"},
    };
    size_t i;

    for (i = 0; i < sizeof(user) / sizeof(user[0]); i++) {
        char *out = NULL;

        CHECK_INT(ecp_expand_user(user[i].in, user[i].envp, &out, NULL), 0);
        if (user[i].out) {
            CHECK_STR(out, user[i].out);
        } else {
            /* The passwd entry: root's for ~root, ours without HOME. */
            struct passwd *pw = strcmp(user[i].in, "~root/x") == 0
                                    ? getpwnam("root")
                                    : getpwuid(getuid());
            char want[512];

            snprintf(want, sizeof(want), "%s%s",
                     pw && strcmp(pw->pw_dir, "/") ? pw->pw_dir : "",
                     strchr(user[i].in, '/'));
            CHECK_STR(out, want);
        }
        free(out);
    }
    for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        char *out = NULL;

        CHECK_INT(ecp_expand_vars(vars[i].in, env, &out, NULL), 0);
        CHECK_STR(out, vars[i].out);
        free(out);
    }
    {
        char *home = NULL;

        CHECK_INT(ecp_home_dir(no_home, &home, NULL), 0);
        CHECK(home != NULL && home[0] == '/');
        free(home);
    }

    /* A FIFO is never opened for a blocking read; a missing file is
     * missing; a directory is not regular; a file over the limit is an
     * error. */
    {
        char *text = NULL;
        size_t len = 0;
        ec_error err;
        FILE *f;

        unlink("fifo-under-test");
        CHECK_INT(mkfifo("fifo-under-test", 0600), 0);
        CHECK_INT(ecp_read_regular_file("fifo-under-test", 100, "config file",
                                        &text, &len, NULL),
                  ECP_FILE_NOT_REGULAR);
        CHECK(text == NULL);
        unlink("fifo-under-test");
        CHECK_INT(ecp_read_regular_file("no-such-file-here", 100, "x", &text,
                                        &len, NULL),
                  ECP_FILE_MISSING);
        CHECK_INT(
            ecp_read_regular_file("/dev/null", 100, "x", &text, &len, NULL),
            ECP_FILE_NOT_REGULAR);
        CHECK_INT(ecp_read_regular_file(".", 100, "x", &text, &len, NULL),
                  ECP_FILE_NOT_REGULAR);
        f = fopen("small-file", "w");
        CHECK(f != NULL);
        if (f) {
            fputs("0123456789", f);
            fclose(f);
        }
        CHECK_INT(
            ecp_read_regular_file("small-file", 100, "x", &text, &len, NULL),
            ECP_FILE_READ);
        CHECK_STR(text, "0123456789");
        CHECK_INT(len, 10);
        free(text);
        ec_error_clear(&err);
        CHECK_INT(ecp_read_regular_file("small-file", 5, "token file", &text,
                                        &len, &err),
                  -1);
        CHECK(strstr(err.message, "the token file small-file is larger than "
                                  "5 bytes") != NULL);
        if (getuid() != 0) {
            chmod("small-file", 0);
            ec_error_clear(&err);
            CHECK_INT(ecp_read_regular_file("small-file", 100, "x", &text, &len,
                                            &err),
                      -1);
            CHECK_INT(err.code, EC_ERR_IO);
        }
        unlink("small-file");
    }
}

/* ------------------------------------------------------------------ */
/* container                                                           */
/* ------------------------------------------------------------------ */

static void test_container(void)
{
    static const struct {
        const char *url;
        bool ok;
        const char *host;
    } hosts[] = {
        {"http://127.0.0.1:8080/creds", true, "127.0.0.1"},
        {"http://127.1.2.3/creds", true, "127.1.2.3"},
        {"http://localhost/creds", true, "localhost"},
        {"http://LOCALHOST:1/x", true, "localhost"},
        {"http://[::1]:8080/x", true, "::1"},
        {"http://169.254.170.2/v2/credentials", true, "169.254.170.2"},
        {"http://169.254.170.23/v1/credentials", true, "169.254.170.23"},
        {"http://[fd00:ec2::23]/v1/credentials", true, "fd00:ec2::23"},
        {"https://127.0.0.1/x", true, "127.0.0.1"},
        {"http://169.254.169.254/latest", false, "169.254.169.254"},
        {"http://example.com/creds", false, "example.com"},
        {"http://localhost.example.com/x", false, "localhost.example.com"},
        {"http://user@example.com/x", false, "example.com"},
        {"http://[::ffff:127.0.0.1]/x", false, "::ffff:127.0.0.1"},
        {"ftp://127.0.0.1/x", false, ""},
        {"127.0.0.1/x", false, ""},
    };
    size_t i;

    for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
        char host[256];

        CHECK_INT(ecp_container_host_allowed(hosts[i].url, host, sizeof(host)),
                  hosts[i].ok);
        CHECK_STR(host, hosts[i].host);
    }
}

/* ------------------------------------------------------------------ */
/* imds                                                                */
/* ------------------------------------------------------------------ */

static void test_imds(void)
{
    static const struct {
        const char *endpoint, *mode;
        bool ipv6;
        const char *base; /* NULL: error */
    } bases[] = {
        {NULL, NULL, false, "http://169.254.169.254/"},
        {NULL, "ipv4", true, "http://169.254.169.254/"},
        {NULL, "IPv6", false, "http://[fd00:ec2::254]/"},
        {NULL, NULL, true, "http://[fd00:ec2::254]/"},
        {"http://127.0.0.1:8111", "ipv6", false, "http://127.0.0.1:8111"},
        {NULL, "ipv5", false, NULL},
        {"169.254.169.254", NULL, false, NULL},
        {"http://", NULL, false, NULL},
    };
    static const struct {
        const char *base, *path, *url;
    } urls[] = {
        {"http://127.0.0.1:8111", "latest/api/token",
         "http://127.0.0.1:8111/latest/api/token"},
        {"http://127.0.0.1:8111/", "latest/api/token",
         "http://127.0.0.1:8111/latest/api/token"},
        {"http://169.254.169.254/", "latest/meta-data/",
         "http://169.254.169.254/latest/meta-data/"},
    };
    static const char good[] =
        "{\"Code\": \"Success\", \"LastUpdated\": \"2030-01-01T00:00:00Z\", "
        "\"Type\": \"AWS-HMAC\", \"AccessKeyId\": \"ASIAIMDS\", "
        "\"SecretAccessKey\": \"imdssecret\", \"Token\": \"imdstoken\", "
        "\"Expiration\": \"2030-01-01T06:00:00Z\"}";
    static const char refused[] =
        "{\"Code\": \"AssumeRoleUnauthorizedAccess\", \"Message\": \"EC2 "
        "cannot assume the role\", \"LastUpdated\": \"2030-01-01T00:00:00Z\"}";
    ecp_credentials c;
    char why[200];
    size_t i;

    for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
        const char *out = NULL;
        int rc = ecp_imds_base_url(bases[i].endpoint, bases[i].mode,
                                   bases[i].ipv6, &out, NULL);

        if (bases[i].base) {
            CHECK_INT(rc, 0);
            CHECK_STR(out, bases[i].base);
        } else {
            CHECK_INT(rc, -1);
        }
    }
    for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
        char *out = NULL;

        CHECK_INT(ecp_imds_url(urls[i].base, urls[i].path, &out, NULL), 0);
        CHECK_STR(out, urls[i].url);
        free(out);
    }
    CHECK_INT(
        ecp_imds_parse(good, sizeof(good) - 1, &c, why, sizeof(why), NULL), 1);
    CHECK_STR(c.access_key_id, "ASIAIMDS");
    CHECK_STR(c.session_token, "imdstoken");
    CHECK(c.expires && c.expiration.sec == 1893477600);
    /* botocore's extension: 6 hours left is left alone; 20 minutes left,
     * with a jitter of 300 s, becomes now + 15 min + 300 s. */
    CHECK(!ecp_imds_extend(&c, at(1893477600 - 6 * 3600), 300));
    CHECK_INT(c.expiration.sec, 1893477600);
    CHECK(ecp_imds_extend(&c, at(1893477600 - 20 * 60), 300));
    CHECK_INT(c.expiration.sec, 1893477600 - 20 * 60 + 900 + 300);
    /* Already expired (an IMDS outage): extended too. */
    c.expiration = at(1000);
    CHECK(ecp_imds_extend(&c, at(5000), 120));
    CHECK_INT(c.expiration.sec, 5000 + 1020);
    ecp_credentials_clear(&c);
    CHECK_INT(ecp_imds_parse(refused, sizeof(refused) - 1, &c, why, sizeof(why),
                             NULL),
              0);
    CHECK(strstr(why, "AssumeRoleUnauthorizedAccess") != NULL);
    {
        static const char no_token[] = "{\"AccessKeyId\": \"A\", "
                                       "\"SecretAccessKey\": \"s\", "
                                       "\"Expiration\": \"x\"}";

        CHECK_INT(ecp_imds_parse(no_token, sizeof(no_token) - 1, &c, why,
                                 sizeof(why), NULL),
                  0);
    }
    CHECK(strstr(why, "no Token") != NULL);
    CHECK_INT(ecp_imds_parse("nope", 4, &c, why, sizeof(why), NULL), 0);
}

/* ------------------------------------------------------------------ */
/* sso                                                                 */
/* ------------------------------------------------------------------ */

static void test_sso(void)
{
    char name[46];
    char *token = NULL;
    ec_time exp;
    ecp_credentials c;
    ec_error err;
    static const char tok1[] =
        "{\"startUrl\": \"u\", \"region\": \"r\", \"accessToken\": \"tok\", "
        "\"expiresAt\": \"2030-01-01T00:00:00Z\"}";
    static const char tok2[] = "{\"accessToken\": \"tok\", \"expiresAt\": "
                               "\"2019-11-14T04:05:45UTC\"}";
    static const char tok3[] = "{\"accessToken\": \"tok\"}";
    static const char role[] =
        "{\"roleCredentials\": {\"accessKeyId\": \"ASIASSO\", "
        "\"secretAccessKey\": \"ssosecret\", \"sessionToken\": \"ssotoken\", "
        "\"expiration\": 1893456000000}}";

    /* The AWS CLI's cache names: sha1 of the start URL (legacy) or of the
     * session name. */
    ecp_sso_cache_name(NULL, "https://my-sso-portal.awsapps.com/start", name);
    CHECK_STR(name, "c7aaaf71fcc8777ae2475525ed049d39fe16c484.json");
    ecp_sso_cache_name("my-sso", "https://ignored", name);
    CHECK_STR(name, "0ad374308c5a4e22f723adf10145eafad7c4031c.json");

    CHECK_INT(ecp_sso_parse_token(tok1, sizeof(tok1) - 1, &token, &exp, NULL),
              1);
    CHECK_STR(token, "tok");
    CHECK_INT(exp.sec, 1893456000);
    ec_free_secret(token);
    CHECK_INT(ecp_sso_parse_token(tok2, sizeof(tok2) - 1, &token, &exp, NULL),
              1);
    CHECK_INT(exp.sec, 1573704345);
    ec_free_secret(token);
    CHECK_INT(ecp_sso_parse_token(tok3, sizeof(tok3) - 1, &token, &exp, NULL),
              0);
    CHECK(token == NULL);
    CHECK_INT(ecp_sso_parse_token("{", 1, &token, &exp, NULL), -1);

    ec_error_clear(&err);
    CHECK_INT(ecp_sso_parse_role_credentials(role, sizeof(role) - 1, &c, &err),
              0);
    CHECK_STR(c.access_key_id, "ASIASSO");
    CHECK_STR(c.secret_access_key, "ssosecret");
    CHECK(c.expires && c.expiration.sec == 1893456000);
    ecp_credentials_clear(&c);
    ec_error_clear(&err);
    CHECK_INT(ecp_sso_parse_role_credentials("{\"roleCredentials\": {}}", 23,
                                             &c, &err),
              -1);
    CHECK(strstr(err.message, "no complete roleCredentials") != NULL);
}

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "all";
    bool all = strcmp(which, "all") == 0;

    if (all || !strcmp(which, "refresh"))
        test_refresh();
    if (all || !strcmp(which, "parse"))
        test_parse();
    if (all || !strcmp(which, "sts"))
        test_sts();
    if (all || !strcmp(which, "shlex"))
        test_shlex();
    if (all || !strcmp(which, "files"))
        test_files();
    if (all || !strcmp(which, "container"))
        test_container();
    if (all || !strcmp(which, "imds"))
        test_imds();
    if (all || !strcmp(which, "sso"))
        test_sso();
    return test_status(which);
}
