/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One case folder of the credential chain's selection (pure: files and the
 * environment in, the chosen provider or the error out):
 *
 *   test_chain CASE_DIR
 *
 * CASE_DIR/config, CASE_DIR/credentials  the two files' text (optional)
 * CASE_DIR/env        NAME=value lines: the whole environment (optional);
 *                     @CASE@ is replaced by CASE_DIR
 * CASE_DIR/options    ec_config fields, name=value: profile, region
 *                     (default us-east-1), access_key_id,
 *                     secret_access_key, session_token
 * CASE_DIR/expected   "provider: NAME" and "detail: TEXT" (contained in
 *                     the provider's detail), or "error: EC_ERR_X" and
 *                     "message: TEXT" lines (each contained in the
 *                     message)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credentials.h"
#include "testutil.h"

static char *slurp(const char *dir, const char *name)
{
    char path[1024];
    FILE *f;
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    char chunk[4096];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "rb");
    if (!f)
        return NULL;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        memcpy(buf + len, chunk, n);
        len += n;
    }
    fclose(f);
    if (!buf)
        buf = calloc(1, 1);
    buf[len] = '\0';
    return buf;
}

/* Split text into lines in place; replaces @CASE@ in each line. */
static size_t lines(char *text, const char *dir, char **out, size_t max)
{
    size_t n = 0;
    char *p = text;

    while (p && *p && n < max) {
        char *eol = strchr(p, '\n');
        char *at;

        if (eol)
            *eol = '\0';
        if (*p && *p != '#') {
            at = strstr(p, "@CASE@");
            if (at) {
                size_t need = strlen(p) + strlen(dir) + 1;
                char *line = malloc(need);

                if (!line)
                    abort();
                snprintf(line, need, "%.*s%s%s", (int)(at - p), p, dir, at + 6);
                out[n++] = line;
            } else {
                out[n++] = strdup(p);
            }
        }
        p = eol ? eol + 1 : NULL;
    }
    out[n] = NULL;
    return n;
}

static const char *const codes[] = {
    "EC_OK",
    "EC_ERR_NOMEM",
    "EC_ERR_INVALID_ARGUMENT",
    "EC_ERR_CONFIG",
    "EC_ERR_CREDENTIALS",
    "EC_ERR_SERVICE",
    "EC_ERR_TRANSPORT",
    "EC_ERR_TIMEOUT",
    "EC_ERR_PARSE",
    "EC_ERR_WAIT_TIMEOUT",
    "EC_ERR_WAIT_FAILURE",
    "EC_ERR_IO",
    "EC_ERR_INTERNAL",
};

int main(int argc, char **argv)
{
    const char *dir;
    char *config, *creds, *env_text, *opt_text, *exp_text;
    char *env[128], *opts[32], *expected[64];
    char *profile = NULL, *region = NULL, *key = NULL, *secret = NULL,
         *token = NULL;
    ec_config cfg = {0};
    ecp_settings s = {0};
    ecp_credentials_context ctx = {&cfg, &s};
    ecp_provider *p = NULL;
    ec_error err;
    size_t i, n;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: test_chain CASE_DIR\n");
        return 2;
    }
    dir = argv[1];
    config = slurp(dir, "config");
    creds = slurp(dir, "credentials");
    env_text = slurp(dir, "env");
    opt_text = slurp(dir, "options");
    exp_text = slurp(dir, "expected");
    if (!exp_text) {
        fprintf(stderr, "%s: no expected file\n", dir);
        return 2;
    }
    lines(env_text, dir, env, 127);
    n = lines(opt_text, dir, opts, 31);
    for (i = 0; i < n; i++) {
        char *eq = strchr(opts[i], '=');

        if (!eq)
            continue;
        *eq = '\0';
        if (!strcmp(opts[i], "profile"))
            profile = eq + 1;
        else if (!strcmp(opts[i], "region"))
            region = eq + 1;
        else if (!strcmp(opts[i], "access_key_id"))
            key = eq + 1;
        else if (!strcmp(opts[i], "secret_access_key"))
            secret = eq + 1;
        else if (!strcmp(opts[i], "session_token"))
            token = eq + 1;
    }
    cfg.environ = (const char *const *)env;
    cfg.profile = profile;
    cfg.region = region ? region : "us-east-1";
    cfg.access_key_id = key;
    cfg.secret_access_key = secret;
    cfg.session_token = token;

    ec_error_clear(&err);
    rc = ecp_settings_resolve(&cfg, config, config ? strlen(config) : 0, creds,
                              creds ? strlen(creds) : 0, &s, &err);
    if (rc == 0)
        rc = ecp_credentials_select(&ctx, &p, &err);
    if (rc == 0)
        printf("provider: %s\ndetail: %s\n", p->name,
               p->detail ? p->detail : "");
    else
        printf("error: %s\nmessage: %s\n", codes[err.code], err.message);

    n = lines(exp_text, dir, expected, 63);
    CHECK(n > 0);
    for (i = 0; i < n; i++) {
        const char *line = expected[i];

        if (!strncmp(line, "provider: ", 10)) {
            CHECK(rc == 0);
            CHECK_STR(p ? p->name : NULL, line + 10);
        } else if (!strncmp(line, "detail: ", 8)) {
            CHECK(p && p->detail && strstr(p->detail, line + 8));
            if (!(p && p->detail && strstr(p->detail, line + 8)))
                fprintf(stderr, "  detail lacks: %s\n", line + 8);
        } else if (!strncmp(line, "error: ", 7)) {
            CHECK(rc != 0);
            CHECK_STR(codes[err.code], line + 7);
        } else if (!strncmp(line, "message: ", 9)) {
            CHECK(rc != 0 && strstr(err.message, line + 9));
            if (!strstr(err.message, line + 9))
                fprintf(stderr, "  message lacks: %s\n", line + 9);
        } else {
            fprintf(stderr, "%s: bad expected line: %s\n", dir, line);
            CHECK(0);
        }
    }

    ecp_provider_free(p);
    ecp_settings_free(&s);
    for (i = 0; env[i]; i++)
        free(env[i]);
    for (i = 0; opts[i]; i++)
        free(opts[i]);
    for (i = 0; expected[i]; i++)
        free(expected[i]);
    free(config);
    free(creds);
    free(env_text);
    free(opt_text);
    free(exp_text);
    return test_status(dir);
}
