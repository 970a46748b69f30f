/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assume-role-with-web-identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN
 * (+ AWS_ROLE_SESSION_NAME), or the profile's web_identity_token_file,
 * role_arn, role_session_name (EKS IRSA, GitHub Actions and GitLab CI
 * OIDC). The token file is read again at every refresh, since it rotates;
 * STS AssumeRoleWithWebIdentity is called unsigned.
 */
#include "providers.h"

#include <stdlib.h>
#include <string.h>

#include "files.h"

#define NAME "assume-role-with-web-identity"
#define TOKEN_LIMIT (64 * 1024)

typedef struct web_state {
    char *token_file;
    char *role_arn;
    char *session_name; /* NULL until the first fetch when not configured */
    ecp_sts_config sts;
} web_state;

static void web_destroy(void *p)
{
    web_state *s = p;

    if (!s)
        return;
    free(s->token_file);
    free(s->role_arn);
    free(s->session_name);
    ecp_sts_config_free(&s->sts);
    free(s);
}

static int web_fetch(ecp_provider *self, const ecp_io *io, ecp_credentials *out,
                     ec_error *err)
{
    web_state *s = self->state;
    ecp_sts_params params = {0};
    char *token = NULL;
    char name[64];
    size_t len = 0;
    ec_error ferr;
    int rc;

    ec_error_clear(&ferr);
    /* botocore's FileWebIdentityTokenLoader: the whole file, as it is. */
    rc = ecp_read_regular_file(s->token_file, TOKEN_LIMIT,
                               "web identity token file", &token, &len, &ferr);
    if (rc == ECP_FILE_MISSING)
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             NAME ": the web identity token file %s does not "
                                  "exist",
                             s->token_file);
    if (rc == ECP_FILE_NOT_REGULAR)
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             NAME ": the web identity token file %s is not a "
                                  "regular file",
                             s->token_file);
    if (rc < 0)
        return ecp_error_set(
            err, ferr.code == EC_ERR_NOMEM ? EC_ERR_NOMEM : EC_ERR_CREDENTIALS,
            NAME ": %s", ferr.message);
    if (len == 0 || strlen(token) != len) {
        ec_free_secret(token);
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             NAME ": the web identity token file %s is %s",
                             s->token_file,
                             len == 0 ? "empty" : "not a text file");
    }
    if (!s->session_name) {
        ecp_default_session_name(io, name, sizeof(name));
        s->session_name = ecp_strdup(name);
        if (!s->session_name) {
            ec_free_secret(token);
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        }
    }
    params.role_arn = s->role_arn;
    params.role_session_name = s->session_name;
    params.web_identity_token = token;
    rc = ecp_sts_call(&s->sts, io, "AssumeRoleWithWebIdentity", &params, NULL,
                      NAME, out, err);
    ec_free_secret(token);
    return rc;
}

/* botocore's _get_config: the variable (unless a profile was named), then
 * the profile. */
static const char *setting(const ecp_select *sel, const char *env,
                           const char *key)
{
    const char *v = sel->disable_env ? NULL : ecp_select_env(sel, env);

    return v ? v : ecp_select_profile(sel, key);
}

int ecp_select_web_identity(ecp_select *sel, ecp_provider **out, ec_error *err)
{
    const char *token_file =
        setting(sel, "AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file");
    const char *role_arn = setting(sel, "AWS_ROLE_ARN", "role_arn");
    const char *session =
        setting(sel, "AWS_ROLE_SESSION_NAME", "role_session_name");
    web_state *s;

    if (!token_file) {
        ecp_select_skip(sel, NAME, NULL);
        return 0;
    }
    if (!role_arn)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             NAME ": The provided profile or the current "
                                  "environment is configured to assume role "
                                  "with web identity but has no role ARN "
                                  "configured. Ensure that the profile has "
                                  "the role_arn configuration set or the "
                                  "AWS_ROLE_ARN env var is set.");
    s = calloc(1, sizeof(*s));
    if (!s)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    s->token_file = ecp_strdup(token_file);
    s->role_arn = ecp_strdup(role_arn);
    s->session_name = session ? ecp_strdup(session) : NULL;
    if (!s->token_file || !s->role_arn || (session && !s->session_name)) {
        web_destroy(s);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    if (ecp_sts_config_init(sel->ctx, &s->sts, err) != 0) {
        web_destroy(s);
        return -1;
    }
    *out = ecp_provider_new(NAME, web_fetch, web_destroy, s, err);
    if (!*out)
        return -1;
    return ecp_provider_describe(out, err, "role %s, token file %s, via %s",
                                 role_arn, token_file, s->sts.url);
}
