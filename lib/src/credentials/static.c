/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The providers whose credentials are in the configuration itself:
 * explicit keys, the environment, the shared credentials and config files,
 * and botocore's two legacy files (AWS_CREDENTIAL_FILE, boto 2's config).
 * Selecting one of them reads everything; its "fetch" returns a copy.
 */
#include "providers.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"

/* A provider serving fixed credentials (or an error for partial ones). */
static int answer(ecp_select *sel, const char *name, const char *key,
                  const char *secret, const char *token, const char *key_name,
                  const char *secret_name, ecp_provider **out, ec_error *err)
{
    ecp_credentials c = {0};
    int rc;

    ECP_UNUSED(sel);
    rc = ecp_credentials_set(&c, name, key, secret, token, key_name,
                             secret_name, err);
    if (rc <= 0)
        return rc;
    *out = ecp_provider_static(&c, err);
    ecp_credentials_clear(&c);
    if (!*out)
        return -1;
    return ecp_provider_describe(out, err, "%s%s", key,
                                 token && token[0] ? " with a session token"
                                                   : "");
}

int ecp_select_explicit(ecp_select *sel, ecp_provider **out, ec_error *err)
{
    const ec_config *cfg = sel->ctx->config;
    int rc;

    /* botocore's create_client: both given, or a PartialCredentialsError
     * naming the one missing. */
    if (!cfg) {
        ecp_select_skip(sel, "explicit", NULL);
        return 0;
    }
    rc = answer(sel, "explicit", cfg->access_key_id, cfg->secret_access_key,
                cfg->session_token, "access_key_id", "secret_access_key", out,
                err);
    if (rc == 0)
        ecp_select_skip(sel, "explicit", NULL);
    return rc;
}

/* ------------------------------------------------------------------ */

typedef struct env_state {
    ecp_credentials creds; /* with the expiry AWS_CREDENTIAL_EXPIRATION set */
} env_state;

static void env_destroy(void *p)
{
    env_state *s = p;

    if (!s)
        return;
    ecp_credentials_clear(&s->creds);
    free(s);
}

/* botocore re-reads the same variables to "refresh": the same values. */
static int env_fetch(ecp_provider *self, const ecp_io *io, ecp_credentials *out,
                     ec_error *err)
{
    env_state *s = self->state;

    ECP_UNUSED(io);
    return ecp_credentials_copy(out, &s->creds, err);
}

int ecp_select_env_provider(ecp_select *sel, ecp_provider **out, ec_error *err)
{
    const char *key = ecp_select_env(sel, "AWS_ACCESS_KEY_ID");
    const char *secret = ecp_select_env(sel, "AWS_SECRET_ACCESS_KEY");
    const char *token = ecp_select_env(sel, "AWS_SECURITY_TOKEN");
    const char *expiry = ecp_select_env(sel, "AWS_CREDENTIAL_EXPIRATION");
    env_state *s;

    if (sel->disable_env) {
        ecp_select_skip(sel, "env", "a profile was named");
        return 0;
    }
    /* botocore's EnvProvider answers only when AWS_ACCESS_KEY_ID is set;
     * of the two token variables AWS_SECURITY_TOKEN is looked at first. */
    if (!key) {
        ecp_select_skip(sel, "env",
                        secret ? "AWS_SECRET_ACCESS_KEY without "
                                 "AWS_ACCESS_KEY_ID"
                               : NULL);
        return 0;
    }
    if (!token)
        token = ecp_select_env(sel, "AWS_SESSION_TOKEN");
    s = calloc(1, sizeof(*s));
    if (!s)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    if (ecp_credentials_set(&s->creds, "env", key, secret, token,
                            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                            err) < 0) {
        env_destroy(s);
        return -1;
    }
    if (expiry) {
        if (ecp_parse_expiration(expiry, &s->creds.expiration) != 0) {
            env_destroy(s);
            return ecp_error_set(err, EC_ERR_CREDENTIALS,
                                 "env: AWS_CREDENTIAL_EXPIRATION is not a "
                                 "timestamp: %.60s",
                                 expiry);
        }
        s->creds.expires = true;
    }
    *out = ecp_provider_new("env", env_fetch, env_destroy, s, err);
    return ecp_provider_describe(
        out, err, "%s%s%s", key, token ? " with a session token" : "",
        expiry ? ", AWS_CREDENTIAL_EXPIRATION set" : "");
}

/* ------------------------------------------------------------------ */

static const char *file_note(ecp_file_status st)
{
    switch (st) {
    case ECP_FILE_MISSING:
        return "no file";
    case ECP_FILE_NOT_REGULAR:
        return "not a regular file, skipped";
    default:
        return NULL;
    }
}

/* The keys of one ini section, botocore's Shared{Credential,Config}
 * Provider: only when aws_access_key_id is there; aws_security_token
 * before aws_session_token. */
static int from_section(ecp_select *sel, const char *name, const ecp_ini *ini,
                        const char *section, ecp_provider **out, ec_error *err)
{
    const char *token, *key;

    key = ecp_ini_get(ini, section, "aws_access_key_id");
    if (!key || !key[0])
        return 0;
    token = ecp_ini_get(ini, section, "aws_security_token");
    if (!token || !token[0])
        token = ecp_ini_get(ini, section, "aws_session_token");
    return answer(sel, name, key,
                  ecp_ini_get(ini, section, "aws_secret_access_key"), token,
                  "aws_access_key_id", "aws_secret_access_key", out, err);
}

int ecp_select_shared_credentials_file(ecp_select *sel, ecp_provider **out,
                                       ec_error *err)
{
    static const char name[] = "shared-credentials-file";
    const ecp_settings *s = sel->ctx->settings;
    int rc;

    if (s->credentials_status == ECP_FILE_NOT_REGULAR && s->credentials_path) {
        ecp_select_skip(sel, name, "%s: %s", s->credentials_path,
                        file_note(s->credentials_status));
        return 0;
    }
    rc = from_section(sel, name, &s->credentials, sel->profile, out, err);
    if (rc == 0)
        ecp_select_skip(sel, name, NULL);
    return rc;
}

int ecp_select_config_file(ecp_select *sel, ecp_provider **out, ec_error *err)
{
    static const char name[] = "config-file";
    const ecp_settings *s = sel->ctx->settings;
    int rc;

    if (s->config_status == ECP_FILE_NOT_REGULAR && s->config_path) {
        ecp_select_skip(sel, name, "%s: %s", s->config_path,
                        file_note(s->config_status));
        return 0;
    }
    rc = from_section(sel, name, &s->config,
                      ecp_config_profile_section(&s->config, sel->profile), out,
                      err);
    if (rc == 0)
        ecp_select_skip(sel, name, NULL);
    return rc;
}

/* ------------------------------------------------------------------ */

/* botocore's parse_key_val_file_contents: "key=value" lines (the last one
 * of a key wins), the rest ignored. A new string, or NULL. */
static char *key_val(const char *text, const char *want, bool *nomem)
{
    const char *line = text;
    char *found = NULL;

    while (line && *line) {
        const char *eol = line + strcspn(line, "\n");
        const char *eq = memchr(line, '=', (size_t)(eol - line));

        if (eq) {
            const char *k = line, *ke = eq, *v = eq + 1, *ve = eol;

            while (k < ke && isspace((unsigned char)*k))
                k++;
            while (ke > k && isspace((unsigned char)ke[-1]))
                ke--;
            while (v < ve && isspace((unsigned char)*v))
                v++;
            while (ve > v && isspace((unsigned char)ve[-1]))
                ve--;
            if ((size_t)(ke - k) == strlen(want) &&
                strncmp(k, want, (size_t)(ke - k)) == 0) {
                ec_free_secret(found);
                found = ecp_strndup(v, (size_t)(ve - v));
                if (!found) {
                    *nomem = true;
                    return NULL;
                }
            }
        }
        line = *eol ? eol + 1 : NULL;
    }
    return found;
}

int ecp_select_ec2_credentials_file(ecp_select *sel, ecp_provider **out,
                                    ec_error *err)
{
    static const char name[] = "ec2-credentials-file";
    const char *var =
        ecp_getenv(sel->ctx->config ? sel->ctx->config->environ : NULL,
                   "AWS_CREDENTIAL_FILE");
    char *path = NULL, *text = NULL, *key_copy = NULL, *secret_copy = NULL;
    bool nomem = false;
    size_t len = 0;
    int rc;

    if (!var) {
        ecp_select_skip(sel, name, NULL);
        return 0;
    }
    if (ecp_expand_user(var,
                        sel->ctx->config ? sel->ctx->config->environ : NULL,
                        &path, err) != 0)
        return -1;
    rc = ecp_read_regular_file(path, ECP_CREDENTIAL_FILE_LIMIT,
                               "AWS_CREDENTIAL_FILE", &text, &len, err);
    if (rc < 0) {
        free(path);
        return -1;
    }
    if (rc != ECP_FILE_READ) {
        ecp_select_skip(sel, name, "%s: %s", path, file_note(rc));
        free(path);
        return 0;
    }
    key_copy = key_val(text, "AWSAccessKeyId", &nomem);
    secret_copy = key_val(text, "AWSSecretKey", &nomem);
    ec_wipe(text, len);
    free(text);
    if (nomem) {
        rc = ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    } else if (!key_copy) {
        ecp_select_skip(sel, name, "%s: no AWSAccessKeyId", path);
        rc = 0;
    } else {
        rc = answer(sel, name, key_copy, secret_copy, NULL, "AWSAccessKeyId",
                    "AWSSecretKey", out, err);
    }
    ec_free_secret(key_copy);
    ec_free_secret(secret_copy);
    free(path);
    return rc;
}

/* ------------------------------------------------------------------ */

int ecp_select_boto_config(ecp_select *sel, ecp_provider **out, ec_error *err)
{
    static const char name[] = "boto-config";
    const char *const *envp =
        sel->ctx->config ? sel->ctx->config->environ : NULL;
    const char *var = ecp_getenv(envp, "BOTO_CONFIG");
    const char *defaults[] = {"/etc/boto.cfg", "~/.boto", NULL};
    const char *one[] = {var, NULL};
    const char *const *candidates = var ? one : defaults;
    size_t i;

    for (i = 0; candidates[i]; i++) {
        char *path = NULL, *text = NULL;
        size_t len = 0;
        ecp_ini ini;
        ec_error perr;
        int rc;

        /* raw_config_parse: $VARS and ~ expanded; a file that is not
         * there (or not a regular file) is skipped. */
        {
            char *vars = NULL;

            if (ecp_expand_vars(candidates[i], envp, &vars, err) != 0)
                return -1;
            rc = ecp_expand_user(vars, envp, &path, err);
            free(vars);
            if (rc != 0)
                return -1;
        }
        rc = ecp_read_regular_file(path, ECP_CREDENTIAL_FILE_LIMIT,
                                   "boto config file", &text, &len, err);
        if (rc < 0) {
            free(path);
            return -1;
        }
        if (rc != ECP_FILE_READ) {
            free(path);
            continue;
        }
        ec_error_clear(&perr);
        rc = ecp_ini_parse(text, len, path, &ini, &perr);
        ec_wipe(text, len);
        free(text);
        if (rc != 0) {
            free(path);
            return ecp_error_set(
                err, perr.code == EC_ERR_NOMEM ? EC_ERR_NOMEM : EC_ERR_CONFIG,
                "%s", perr.message);
        }
        free(path);
        rc = from_section(sel, name, &ini, "Credentials", out, err);
        ecp_ini_free(&ini);
        if (rc != 0)
            return rc;
    }
    ecp_select_skip(sel, name, NULL);
    return 0;
}
