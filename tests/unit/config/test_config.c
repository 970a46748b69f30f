/* SPDX-License-Identifier: Apache-2.0 */
/* Shared config/credentials file parsing and setting precedence (option >
 * environment > profile > default), all pure: the environment and the file
 * texts are inputs. `test_config ini|precedence|files`. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pwd.h>

#include "config.h"
#include "testutil.h"

static const char *const no_env[] = {NULL};

/* ------------------------------------------------------------------ */

static void test_ini(void)
{
    static const char text[] = "# a comment\n"
                               "; another\n"
                               "[default]\n"
                               "region = us-west-2\n"
                               "Output=json\n"
                               "  \n"
                               "[profile dev]\n"
                               "region: eu-west-1   \n"
                               "endpoint_url = http://a\n"
                               "s3 =\n"
                               "  addressing_style = path\n"
                               "  Signature_Version = s3v4\n"
                               "after = nested\n"
                               "note = first\n"
                               "  second line\n"
                               "value_with_hash = abc # not a comment\n"
                               "[profile  \"spaced name\" ]\n"
                               "region = ap-south-1\n";
    ecp_ini ini;
    ec_error err;

    ec_error_clear(&err);
    CHECK_INT(ecp_ini_parse(text, sizeof(text) - 1, "config", &ini, &err), 0);
    CHECK_STR(ecp_ini_get(&ini, "default", "region"), "us-west-2");
    CHECK_STR(ecp_ini_get(&ini, "default", "output"), "json");
    CHECK_STR(ecp_ini_get(&ini, "profile dev", "region"), "eu-west-1");
    CHECK_STR(ecp_ini_get(&ini, "profile dev", "s3"), "");
    CHECK_STR(ecp_ini_get(&ini, "profile dev", "s3.addressing_style"), "path");
    CHECK_STR(ecp_ini_get(&ini, "profile dev", "s3.signature_version"), "s3v4");
    CHECK_STR(ecp_ini_get(&ini, "profile dev", "after"), "nested");
    CHECK_STR(ecp_ini_get(&ini, "profile dev", "note"), "first\nsecond line");
    CHECK_STR(ecp_ini_get(&ini, "profile dev", "value_with_hash"),
              "abc # not a comment");
    CHECK(ecp_ini_get(&ini, "profile dev", "missing") == NULL);
    CHECK(ecp_ini_has_section(&ini, "profile  \"spaced name\""));
    CHECK_STR(ecp_config_profile_section(&ini, "spaced name"),
              "profile  \"spaced name\"");
    CHECK_STR(ecp_config_profile_section(&ini, "dev"), "profile dev");
    CHECK_STR(ecp_config_profile_section(&ini, "default"), "default");
    CHECK(ecp_config_profile_section(&ini, "prod") == NULL);
    ecp_ini_free(&ini);

    {
        static const struct {
            const char *text;
            const char *message;
        } bad[] = {
            {"region = x\n", "line 1: a setting before any [section]"},
            {"[a]\nx = 1\n[a]\n", "line 3: section [a] appears twice"},
            {"[a]\nx = 1\nX = 2\n", "line 3: \"x\" appears twice in [a]"},
            {"[a]\njust words\n", "line 2: expected \"name = value\""},
            {"[a]\n= value\n", "line 2: expected"},
            {"[a\nx=1\n", "line 1: section header without ']'"},
        };
        size_t i;

        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            ec_error_clear(&err);
            CHECK_INT(ecp_ini_parse(bad[i].text, strlen(bad[i].text), "cfg",
                                    &ini, &err),
                      -1);
            CHECK_INT(err.code, EC_ERR_CONFIG);
            if (!strstr(err.message, bad[i].message))
                fprintf(stderr, "bad %zu: %s\n", i, err.message);
            CHECK(strstr(err.message, bad[i].message) != NULL);
            CHECK(strstr(err.message, "Unable to parse config file: cfg") !=
                  NULL);
        }
    }
    /* botocore's build_profile_map: "profile NAME" splits with shlex into
     * exactly two words; sso-session and services sections alike. */
    {
        static const char t[] =
            "[profile a b]\nx = 1\n"
            "[profilefoo bar]\nx = 2\n"
            "[profile 'quoted name']\nx = 3\n"
            "[sso-session corp]\nsso_region = eu-west-1\n"
            "[services local]\nsts =\n  endpoint_url = http://s\n"
            "[plain]\nx = 4\n";

        CHECK_INT(ecp_ini_parse(t, sizeof(t) - 1, "config", &ini, NULL), 0);
        CHECK(ecp_config_profile_section(&ini, "a") == NULL);
        CHECK(ecp_config_profile_section(&ini, "a b") == NULL);
        CHECK_STR(ecp_config_profile_section(&ini, "bar"), "profilefoo bar");
        CHECK_STR(ecp_config_profile_section(&ini, "quoted name"),
                  "profile 'quoted name'");
        CHECK(ecp_config_profile_section(&ini, "plain") == NULL);
        CHECK_STR(ecp_config_named_section(&ini, "sso-session", "corp"),
                  "sso-session corp");
        CHECK_STR(ecp_config_named_section(&ini, "services", "local"),
                  "services local");
        CHECK_STR(ecp_ini_get(&ini, "services local", "sts.endpoint_url"),
                  "http://s");
        CHECK(ecp_config_named_section(&ini, "sso-session", "other") == NULL);
        ecp_ini_free(&ini);
    }
    /* A session token of several kilobytes, CRLF, comments inside a
     * nested block (configparser drops them), ';' and '#' comments. */
    {
        char token[6001], *t;
        size_t n;

        memset(token, 'T', sizeof(token) - 1);
        token[sizeof(token) - 1] = '\0';
        n = strlen(token) + 200;
        t = malloc(n);
        snprintf(t, n,
                 "; top\r\n[default]\r\naws_session_token = %s\r\n"
                 "s3 =\r\n  # inside\r\n  addressing_style = path\r\n"
                 "  ; again\r\nregion = eu-west-1\r\n",
                 token);
        CHECK_INT(ecp_ini_parse(t, strlen(t), "credentials", &ini, NULL), 0);
        CHECK_STR(ecp_ini_get(&ini, "default", "aws_session_token"), token);
        CHECK_STR(ecp_ini_get(&ini, "default", "s3.addressing_style"), "path");
        CHECK_STR(ecp_ini_get(&ini, "default", "region"), "eu-west-1");
        ecp_ini_free(&ini);
        free(t);
    }
    /* Empty text and CRLF line ends. */
    CHECK_INT(ecp_ini_parse("", 0, "x", &ini, NULL), 0);
    CHECK_INT((int)ini.count, 0);
    ecp_ini_free(&ini);
    {
        static const char crlf[] = "[default]\r\nregion = a-b-1\r\n";

        CHECK_INT(ecp_ini_parse(crlf, strlen(crlf), "x", &ini, NULL), 0);
    }
    CHECK_STR(ecp_ini_get(&ini, "default", "region"), "a-b-1");
    ecp_ini_free(&ini);
}

/* ------------------------------------------------------------------ */

static const char config_file[] = "[default]\n"
                                  "region = us-west-2\n"
                                  "max_attempts = 7\n"
                                  "retry_mode = legacy\n"
                                  "ca_bundle = /profile/ca.pem\n"
                                  "[profile dev]\n"
                                  "region = eu-west-1\n"
                                  "use_fips_endpoint = true\n"
                                  "endpoint_url = http://profile-global\n"
                                  "[profile svc]\n"
                                  "region = eu-north-1\n"
                                  "services = local\n"
                                  "endpoint_url = http://profile-global\n"
                                  "[services local]\n"
                                  "elasticache =\n"
                                  "  endpoint_url = http://services-section\n"
                                  "[profile noregion]\n"
                                  "output = json\n"
                                  "[profile ignoring]\n"
                                  "region = us-east-2\n"
                                  "endpoint_url = http://profile-global\n"
                                  "ignore_configured_endpoint_urls = true\n";

static const char credentials_file[] = "[default]\n"
                                       "aws_access_key_id = AKIDDEFAULT\n"
                                       "[credsonly]\n"
                                       "region = sa-east-1\n"
                                       "[dev]\n"
                                       "region = ca-central-1\n";

static int resolve(const ec_config *cfg, ecp_settings *s, ec_error *err)
{
    memset(s, 0, sizeof(*s));
    ec_error_clear(err);
    return ecp_settings_resolve(cfg, config_file, sizeof(config_file) - 1,
                                credentials_file, sizeof(credentials_file) - 1,
                                s, err);
}

static void test_precedence(void)
{
    ecp_settings s;
    ec_error err;
    ec_config cfg = {0};

    /* Defaults: [default] profile. */
    cfg.environ = no_env;
    CHECK_INT(resolve(&cfg, &s, &err), 0);
    CHECK_STR(s.profile, "default");
    CHECK(!s.profile_named);
    CHECK_STR(s.region, "us-west-2");
    CHECK_INT(s.max_attempts, 7);
    CHECK_INT(s.retry_mode, ECP_RETRY_LEGACY);
    CHECK_STR(s.ca_bundle, "/profile/ca.pem");
    CHECK(s.verify_ssl);
    CHECK(s.endpoint_url == NULL);
    CHECK(!s.use_fips);
    CHECK(s.connect_timeout == 60.0 && s.read_timeout == 60.0);
    CHECK_INT((long long)s.max_response_bytes, 16 * 1024 * 1024);
    ecp_settings_free(&s);

    /* Region: option > AWS_REGION > AWS_DEFAULT_REGION > profile. */
    {
        const char *const env1[] = {"AWS_DEFAULT_REGION=ap-east-1", NULL};
        const char *const env2[] = {"AWS_DEFAULT_REGION=ap-east-1",
                                    "AWS_REGION=me-south-1", NULL};

        cfg.environ = env1;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.region, "ap-east-1");
        ecp_settings_free(&s);
        cfg.environ = env2;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.region, "me-south-1");
        ecp_settings_free(&s);
        cfg.region = "af-south-1";
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.region, "af-south-1");
        ecp_settings_free(&s);
        cfg.region = NULL;
    }

    /* Profiles: option > AWS_PROFILE > AWS_DEFAULT_PROFILE. */
    {
        const char *const env1[] = {"AWS_DEFAULT_PROFILE=svc", NULL};
        const char *const env2[] = {"AWS_DEFAULT_PROFILE=svc",
                                    "AWS_PROFILE=dev", NULL};

        cfg.environ = env1;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.profile, "svc");
        CHECK(s.profile_named && !s.profile_explicit);
        CHECK_STR(s.region, "eu-north-1");
        ecp_settings_free(&s);
        cfg.environ = env2;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.profile, "dev");
        /* The credentials file's [dev] wins over the config file. */
        CHECK_STR(s.region, "ca-central-1");
        CHECK(s.use_fips);
        CHECK_STR(s.endpoint_url, "http://profile-global");
        /* No inheritance from [default]. */
        CHECK_INT(s.max_attempts, 3);
        CHECK_INT(s.retry_mode, ECP_RETRY_STANDARD);
        CHECK(s.ca_bundle == NULL);
        ecp_settings_free(&s);
        cfg.profile = "credsonly";
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.profile, "credsonly");
        CHECK(s.profile_explicit);
        CHECK_STR(s.region, "sa-east-1");
        ecp_settings_free(&s);
        cfg.profile = NULL;
        /* A tool that chose the profile itself (amazon.aws's rules):
         * AWS_PROFILE and AWS_DEFAULT_PROFILE are not read, even when they
         * name a profile that does not exist. */
        {
            const char *const env3[] = {"AWS_PROFILE=nosuch",
                                        "AWS_DEFAULT_PROFILE=svc", NULL};

            cfg.environ = env3;
            cfg.no_profile_env = true;
            CHECK_INT(resolve(&cfg, &s, &err), 0);
            CHECK_STR(s.profile, "default");
            CHECK(!s.profile_named);
            CHECK_STR(s.region, "us-west-2");
            ecp_settings_free(&s);
            cfg.profile = "dev";
            CHECK_INT(resolve(&cfg, &s, &err), 0);
            CHECK_STR(s.profile, "dev");
            ecp_settings_free(&s);
            cfg.profile = NULL;
            cfg.no_profile_env = false;
            cfg.environ = env2;
        }
    }

    /* Missing profiles and regions: the AWS CLI's messages. */
    {
        const char *const env1[] = {"AWS_PROFILE=nosuch", NULL};

        cfg.environ = env1;
        CHECK_INT(resolve(&cfg, &s, &err), -1);
        CHECK_INT(err.code, EC_ERR_CONFIG);
        CHECK_STR(err.message,
                  "The config profile (nosuch) could not be found");
        /* No region anywhere: left to the instance metadata service
         * (the client asks it), unless that is switched off. */
        cfg.environ = no_env;
        cfg.profile = "noregion";
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK(s.region == NULL);
        ecp_settings_free(&s);
        {
            const char *const off[] = {"AWS_EC2_METADATA_DISABLED=TRUE", NULL};

            cfg.environ = off;
            CHECK_INT(resolve(&cfg, &s, &err), -1);
            CHECK_INT(err.code, EC_ERR_CONFIG);
            CHECK_STR(err.message,
                      "You must specify a region. You can also configure "
                      "your region by running \"aws configure\".");
            cfg.environ = no_env;
        }
        cfg.profile = NULL;

        /* An explicitly named default must exist; an implicit one need
         * not. */
        memset(&s, 0, sizeof(s));
        ec_error_clear(&err);
        cfg.profile = "default";
        cfg.region = "us-east-1";
        CHECK_INT(ecp_settings_resolve(&cfg, "", 0, NULL, 0, &s, &err), -1);
        CHECK_STR(err.message,
                  "The config profile (default) could not be found");
        cfg.profile = NULL;
        ec_error_clear(&err);
        CHECK_INT(ecp_settings_resolve(&cfg, NULL, 0, NULL, 0, &s, &err), 0);
        CHECK_STR(s.region, "us-east-1");
        ecp_settings_free(&s);
        cfg.region = NULL;
    }

    /* Retries: option > env > profile > default; bad values. */
    {
        const char *const env1[] = {"AWS_MAX_ATTEMPTS=4",
                                    "AWS_RETRY_MODE=adaptive", NULL};
        const char *const env2[] = {"AWS_MAX_ATTEMPTS=0", NULL};
        const char *const env3[] = {"AWS_MAX_ATTEMPTS=3x", NULL};
        const char *const env4[] = {"AWS_RETRY_MODE=Standard", NULL};

        cfg.environ = env1;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_INT(s.max_attempts, 4);
        CHECK_INT(s.retry_mode, ECP_RETRY_ADAPTIVE);
        ecp_settings_free(&s);
        cfg.max_attempts = 2;
        cfg.retry_mode = "standard";
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_INT(s.max_attempts, 2);
        CHECK_INT(s.retry_mode, ECP_RETRY_STANDARD);
        ecp_settings_free(&s);
        cfg.max_attempts = 0;
        cfg.retry_mode = NULL;
        cfg.environ = env2;
        CHECK_INT(resolve(&cfg, &s, &err), -1);
        CHECK(strstr(err.message, "AWS_MAX_ATTEMPTS") != NULL);
        cfg.environ = env3;
        CHECK_INT(resolve(&cfg, &s, &err), -1);
        CHECK_INT(err.code, EC_ERR_CONFIG);
        cfg.environ = env4;
        CHECK_INT(resolve(&cfg, &s, &err), -1);
        CHECK_STR(err.message,
                  "Invalid value provided to \"mode\": \"Standard\" must be "
                  "one of: \"legacy\", \"standard\", \"adaptive\"");
        /* Legacy mode's default is 5 attempts. */
        {
            const char *const env5[] = {"AWS_RETRY_MODE=legacy",
                                        "AWS_PROFILE=dev", NULL};

            cfg.environ = env5;
            CHECK_INT(resolve(&cfg, &s, &err), 0);
            CHECK_INT(s.max_attempts, 5);
            ecp_settings_free(&s);
        }
        cfg.environ = no_env;
    }

    /* CA bundle: option > AWS_CA_BUNDLE > profile. */
    {
        const char *const env1[] = {"AWS_CA_BUNDLE=/env/ca.pem", NULL};

        cfg.environ = env1;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.ca_bundle, "/env/ca.pem");
        ecp_settings_free(&s);
        cfg.ca_bundle = "/opt/ca.pem";
        cfg.no_verify_ssl = true;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.ca_bundle, "/opt/ca.pem");
        CHECK(!s.verify_ssl);
        ecp_settings_free(&s);
        cfg.ca_bundle = NULL;
        cfg.no_verify_ssl = false;
        cfg.environ = no_env;
    }

    /* Endpoint URL: option > AWS_ENDPOINT_URL_ELASTICACHE > services
     * section > AWS_ENDPOINT_URL > profile endpoint_url. */
    {
        const char *const env_svc[] = {"AWS_PROFILE=svc", NULL};
        const char *const env_glob[] = {
            "AWS_PROFILE=svc", "AWS_ENDPOINT_URL=http://env-global", NULL};
        const char *const env_both[] = {
            "AWS_PROFILE=svc", "AWS_ENDPOINT_URL=http://env-global",
            "AWS_ENDPOINT_URL_ELASTICACHE=http://env-service", NULL};
        const char *const env_dev[] = {
            "AWS_PROFILE=dev", "AWS_ENDPOINT_URL=http://env-global", NULL};
        const char *const env_ign[] = {
            "AWS_PROFILE=dev", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true",
            "AWS_ENDPOINT_URL=http://env-global", NULL};
        const char *const env_ign_profile[] = {"AWS_PROFILE=ignoring", NULL};
        const char *const env_fips[] = {"AWS_USE_FIPS_ENDPOINT=TRUE",
                                        "AWS_USE_DUALSTACK_ENDPOINT=true",
                                        NULL};
        const char *const env_nofips[] = {"AWS_PROFILE=dev",
                                          "AWS_USE_FIPS_ENDPOINT=false", NULL};

        cfg.environ = env_svc;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.endpoint_url, "http://services-section");
        ecp_settings_free(&s);
        cfg.environ = env_glob;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.endpoint_url, "http://services-section");
        ecp_settings_free(&s);
        cfg.environ = env_both;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.endpoint_url, "http://env-service");
        ecp_settings_free(&s);
        cfg.endpoint_url = "http://option";
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.endpoint_url, "http://option");
        ecp_settings_free(&s);
        cfg.endpoint_url = NULL;
        cfg.environ = env_dev;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.endpoint_url, "http://env-global");
        ecp_settings_free(&s);
        cfg.environ = env_ign;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK(s.endpoint_url == NULL);
        ecp_settings_free(&s);
        cfg.environ = env_ign_profile;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK(s.endpoint_url == NULL);
        cfg.endpoint_url = "http://option";
        ecp_settings_free(&s);
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK_STR(s.endpoint_url, "http://option");
        ecp_settings_free(&s);
        cfg.endpoint_url = NULL;
        cfg.environ = env_fips;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK(s.use_fips && s.use_dualstack);
        ecp_settings_free(&s);
        cfg.environ = env_nofips;
        CHECK_INT(resolve(&cfg, &s, &err), 0);
        CHECK(!s.use_fips);
        ecp_settings_free(&s);
        cfg.environ = no_env;
    }

    /* Timeouts and the response cap. */
    cfg.connect_timeout = 2.5;
    cfg.read_timeout = 7;
    cfg.max_response_bytes = 1000;
    CHECK_INT(resolve(&cfg, &s, &err), 0);
    CHECK(s.connect_timeout == 2.5 && s.read_timeout == 7.0);
    CHECK_INT((long long)s.max_response_bytes, 1000);
    ecp_settings_free(&s);
    cfg.read_timeout = -1;
    CHECK_INT(resolve(&cfg, &s, &err), -1);
    CHECK_INT(err.code, EC_ERR_CONFIG);
}

/* ------------------------------------------------------------------ */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (!f) {
        perror(path);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

static void test_files(void)
{
    char cwd[512], home_env[600], cfg_env[600], creds_env[600];
    ecp_settings s;
    ec_error err;
    ec_config cfg = {0};

    if (!getcwd(cwd, sizeof(cwd)))
        exit(1);
    mkdir("home", 0700);
    mkdir("home/.aws", 0700);
    write_file("home/.aws/config", "[default]\nregion = eu-central-1\n");
    write_file("home/.aws/credentials",
               "[default]\naws_access_key_id = AKIDHOME\n"
               "aws_secret_access_key = homesecret\n");
    write_file("other-config", "[profile x]\nregion = us-east-2\n");

    /* ~/.aws/ from HOME. */
    snprintf(home_env, sizeof(home_env), "HOME=%s/home", cwd);
    {
        const char *const env[] = {home_env, NULL};

        cfg.environ = env;
        memset(&s, 0, sizeof(s));
        ec_error_clear(&err);
        CHECK_INT(ecp_settings_load(&cfg, &s, &err), 0);
        CHECK_STR(s.region, "eu-central-1");
        CHECK_STR(ecp_ini_get(&s.credentials, "default", "aws_access_key_id"),
                  "AKIDHOME");
        ecp_settings_free(&s);
    }
    /* AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, "~/" expanded; a
     * missing file is an empty one. */
    snprintf(cfg_env, sizeof(cfg_env), "AWS_CONFIG_FILE=%s/other-config", cwd);
    snprintf(creds_env, sizeof(creds_env),
             "AWS_SHARED_CREDENTIALS_FILE=~/no-such-file");
    {
        const char *const env[] = {home_env, cfg_env, creds_env,
                                   "AWS_PROFILE=x", NULL};

        cfg.environ = env;
        memset(&s, 0, sizeof(s));
        ec_error_clear(&err);
        CHECK_INT(ecp_settings_load(&cfg, &s, &err), 0);
        CHECK_STR(s.region, "us-east-2");
        CHECK_INT((int)s.credentials.count, 0);
        ecp_settings_free(&s);
    }
    /* No HOME: "~" is the passwd entry's home, as Python's expanduser
     * (monitoring daemons often run plugins without HOME). */
    cfg.environ = no_env;
    cfg.region = "us-east-1";
    memset(&s, 0, sizeof(s));
    CHECK_INT(ecp_settings_load(&cfg, &s, NULL), 0);
    CHECK_STR(s.region, "us-east-1");
    {
        struct passwd *pw = getpwuid(getuid());
        char want[600];

        snprintf(want, sizeof(want), "%s/.aws/config",
                 pw && strcmp(pw->pw_dir, "/") ? pw->pw_dir : "");
        CHECK_STR(s.config_path, want);
        snprintf(want, sizeof(want), "%s/.aws/credentials",
                 pw && strcmp(pw->pw_dir, "/") ? pw->pw_dir : "");
        CHECK_STR(s.credentials_path, want);
    }
    ecp_settings_free(&s);
    /* $VARS are expanded as botocore's raw_config_parse does. */
    {
        char dir_env[600];
        const char *const env[] = {dir_env,
                                   "AWS_CONFIG_FILE=$CFGDIR/other-config",
                                   "AWS_SHARED_CREDENTIALS_FILE=${CFGDIR}/none",
                                   "AWS_PROFILE=x", NULL};

        snprintf(dir_env, sizeof(dir_env), "CFGDIR=%s", cwd);
        cfg.environ = env;
        cfg.region = NULL;
        memset(&s, 0, sizeof(s));
        ec_error_clear(&err);
        CHECK_INT(ecp_settings_load(&cfg, &s, &err), 0);
        CHECK_STR(s.region, "us-east-2");
        CHECK_INT(s.config_status, ECP_FILE_READ);
        CHECK_INT(s.credentials_status, ECP_FILE_MISSING);
        ecp_settings_free(&s);
        cfg.region = "us-east-1";
    }
    /* A FIFO or a device named as a file is never read (it would block):
     * skipped, as the AWS CLI does (os.path.isfile is false). */
    unlink("config-fifo");
    CHECK_INT(mkfifo("config-fifo", 0600), 0);
    {
        const char *const env[] = {"AWS_CONFIG_FILE=config-fifo",
                                   "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
                                   "HOME=/nonexistent", NULL};

        cfg.environ = env;
        memset(&s, 0, sizeof(s));
        ec_error_clear(&err);
        CHECK_INT(ecp_settings_load(&cfg, &s, &err), 0);
        CHECK_INT(s.config_status, ECP_FILE_NOT_REGULAR);
        CHECK_INT(s.credentials_status, ECP_FILE_NOT_REGULAR);
        CHECK_INT((int)s.config.count, 0);
        ecp_settings_free(&s);
    }
    unlink("config-fifo");
    /* An unreadable file is an error naming it (root reads anything). */
    if (getuid() != 0) {
        const char *const env[] = {"AWS_CONFIG_FILE=locked-config", NULL};

        write_file("locked-config", "[default]\n");
        chmod("locked-config", 0);
        cfg.environ = env;
        memset(&s, 0, sizeof(s));
        ec_error_clear(&err);
        CHECK_INT(ecp_settings_load(&cfg, &s, &err), -1);
        CHECK(strstr(err.message, "locked-config") != NULL);
        unlink("locked-config");
    }
    /* A malformed file is a config error naming it. */
    write_file("bad-config", "region = x\n");
    {
        const char *const env[] = {"AWS_CONFIG_FILE=bad-config", NULL};

        cfg.environ = env;
        memset(&s, 0, sizeof(s));
        ec_error_clear(&err);
        CHECK_INT(ecp_settings_load(&cfg, &s, &err), -1);
        CHECK_INT(err.code, EC_ERR_CONFIG);
        CHECK(strstr(err.message, "Unable to parse config file") != NULL);
    }
}

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "all";

    if (!strcmp(which, "ini") || !strcmp(which, "all"))
        test_ini();
    if (!strcmp(which, "precedence") || !strcmp(which, "all"))
        test_precedence();
    if (!strcmp(which, "files") || !strcmp(which, "all"))
        test_files();
    return test_status(which);
}
