/* SPDX-License-Identifier: Apache-2.0 */
/*
 * assume-role: a profile with role_arn and a source (source_profile,
 * followed through chains with botocore's loop detection, or
 * credential_source Environment / Ec2InstanceMetadata / EcsContainer);
 * STS AssumeRole signed with the source's credentials, which are
 * themselves refreshed as needed. mfa_serial is refused: these tools
 * cannot ask anyone for a code.
 */
#include "providers.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NAME "assume-role"

typedef struct assume_state {
    char *profile;
    char *role_arn;
    char *session_name; /* NULL until the first fetch when not configured */
    char *external_id;
    long duration_seconds;
    ecp_sts_config sts;
    ecp_provider *source;
} assume_state;

static void assume_destroy(void *p)
{
    assume_state *s = p;

    if (!s)
        return;
    free(s->profile);
    free(s->role_arn);
    free(s->session_name);
    free(s->external_id);
    ecp_sts_config_free(&s->sts);
    ecp_provider_free(s->source);
    free(s);
}

static int assume_fetch(ecp_provider *self, const ecp_io *io,
                        ecp_credentials *out, ec_error *err)
{
    assume_state *s = self->state;
    const ecp_credentials *src = NULL;
    ecp_sts_params params = {0};
    char name[64];
    ec_error serr;

    ec_error_clear(&serr);
    if (ecp_provider_get(s->source, io, &src, &serr) != 0) {
        if (serr.code == EC_ERR_NOMEM)
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        return ecp_error_set(err, serr.code,
                             NAME ": no source credentials for profile "
                                  "\"%s\": %s",
                             s->profile, serr.message);
    }
    if (!s->session_name) {
        /* botocore names the session once per fetcher. */
        ecp_default_session_name(io, name, sizeof(name));
        s->session_name = ecp_strdup(name);
        if (!s->session_name)
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    params.role_arn = s->role_arn;
    params.role_session_name = s->session_name;
    params.external_id = s->external_id;
    params.duration_seconds = s->duration_seconds;
    return ecp_sts_call(&s->sts, io, "AssumeRole", &params, src, NAME, out,
                        err);
}

/* Python's int() on the setting; botocore ignores a value it cannot read.
 * 0 when absent or unreadable. */
static long duration(const char *text)
{
    char *end;
    long v;

    if (!text)
        return 0;
    while (isspace((unsigned char)*text))
        text++;
    errno = 0;
    v = strtol(text, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (errno || end == text || *end || v <= 0)
        return 0;
    return v;
}

static bool has_static(const ecp_select *sel, const char *profile)
{
    const ecp_settings *s = sel->ctx->settings;

    return ecp_settings_profile_value(s, profile, "aws_access_key_id") ||
           ecp_settings_profile_value(s, profile, "aws_secret_access_key");
}

/* botocore's _has_assume_role_config_vars. */
static bool is_assume_role_profile(const ecp_select *sel, const char *profile)
{
    const ecp_settings *s = sel->ctx->settings;
    const char *arn = ecp_settings_profile_value(s, profile, "role_arn");
    const char *wif =
        ecp_settings_profile_value(s, profile, "web_identity_token_file");

    return arn && arn[0] && !(wif && wif[0]);
}

static void visited_list(const ec_strlist *v, char *buf, size_t size)
{
    size_t i, n = 0;

    n += (size_t)snprintf(buf, size, "[");
    for (i = 0; i < v->count && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s'%s'", i ? ", " : "",
                              v->items[i]);
    if (n < size)
        snprintf(buf + n, size - n, "]");
}

/* botocore's _validate_source_profile. */
static int check_source_profile(ecp_select *sel, const char *parent,
                                const char *source, ec_error *err)
{
    char visited[256];

    if (!ecp_settings_profile_exists(sel->ctx->settings, source))
        return ecp_error_set(err, EC_ERR_CONFIG,
                             NAME ": The source_profile \"%s\" referenced in "
                                  "the profile \"%s\" does not exist.",
                             source, parent);
    if (!ecp_strlist_contains(sel->visited, source))
        return 0;
    /* A profile may name itself to use its own static keys. */
    if (strcmp(source, parent) == 0 && has_static(sel, source))
        return 0;
    visited_list(sel->visited, visited, sizeof(visited));
    return ecp_error_set(err, EC_ERR_CONFIG,
                         NAME ": Infinite loop in credential configuration "
                              "detected. Attempting to load from profile %s "
                              "which has already been visited. Visited "
                              "profiles: %s",
                         source, visited);
}

static int load_via_assume_role(ecp_select *sel, const char *profile,
                                ecp_provider **out, ec_error *err);

/* The source credentials of a role: botocore's
 * _resolve_source_credentials. */
static int resolve_source(ecp_select *sel, const char *profile,
                          const char *credential_source,
                          const char *source_profile, ecp_provider **src,
                          ec_error *err)
{
    ecp_select sub = *sel;
    int rc;

    *src = NULL;
    sub.tried = NULL;
    if (credential_source) {
        /* botocore's CanonicalNameCredentialSourcer over its env,
         * container and IMDS providers (the env provider reads the
         * variables even when a profile was named). */
        sub.disable_env = false;
        if (strcmp(credential_source, "Environment") == 0)
            rc = ecp_select_env_provider(&sub, src, err);
        else if (strcmp(credential_source, "EcsContainer") == 0)
            rc = ecp_select_container(&sub, src, err);
        else
            rc = ecp_select_imds(&sub, src, err);
        if (rc == 0)
            return ecp_error_set(err, EC_ERR_CREDENTIALS,
                                 NAME ": Error when retrieving credentials "
                                      "from %s: No credentials found in "
                                      "credential_source referenced in "
                                      "profile %s",
                                 credential_source, profile);
        return rc < 0 ? -1 : 0;
    }
    if (ec_strlist_push(sel->visited, source_profile) != 0)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    sub.profile = source_profile;
    sub.disable_env = true;
    if (has_static(sel, source_profile) ||
        !is_assume_role_profile(sel, source_profile)) {
        rc = ecp_select_profile_chain(&sub, src, err);
        if (rc == 0)
            return ecp_error_set(err, EC_ERR_CONFIG,
                                 NAME ": The source profile \"%s\" must have "
                                      "credentials.",
                                 source_profile);
        return rc < 0 ? -1 : 0;
    }
    rc = load_via_assume_role(&sub, source_profile, src, err);
    return rc < 0 ? -1 : 0;
}

static int load_via_assume_role(ecp_select *sel, const char *profile,
                                ecp_provider **out, ec_error *err)
{
    const ecp_settings *st = sel->ctx->settings;
    const char *role_arn = ecp_settings_profile_value(st, profile, "role_arn");
    const char *source_profile =
        ecp_settings_profile_value(st, profile, "source_profile");
    const char *credential_source =
        ecp_settings_profile_value(st, profile, "credential_source");
    const char *mfa = ecp_settings_profile_value(st, profile, "mfa_serial");
    const char *external_id =
        ecp_settings_profile_value(st, profile, "external_id");
    const char *session =
        ecp_settings_profile_value(st, profile, "role_session_name");
    assume_state *s = NULL;

    *out = NULL;
    if (source_profile && !source_profile[0])
        source_profile = NULL;
    if (credential_source && !credential_source[0])
        credential_source = NULL;
    /* botocore's _get_role_config. */
    if (credential_source && source_profile)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             NAME ": The profile \"%s\" contains both "
                                  "source_profile and credential_source.",
                             profile);
    if (!credential_source && !source_profile)
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             "Partial credentials found in " NAME
                             ", missing: source_profile or "
                             "credential_source");
    if (credential_source && strcmp(credential_source, "Environment") != 0 &&
        strcmp(credential_source, "Ec2InstanceMetadata") != 0 &&
        strcmp(credential_source, "EcsContainer") != 0)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             NAME ": The credential source \"%s\" referenced "
                                  "in profile \"%s\" is not valid.",
                             credential_source, profile);
    if (source_profile &&
        check_source_profile(sel, profile, source_profile, err) != 0)
        return -1;
    if (mfa && mfa[0])
        return ecp_error_set(err, EC_ERR_CONFIG,
                             NAME ": profile \"%s\" sets mfa_serial, but this "
                                  "tool runs unattended and cannot ask for an "
                                  "MFA code. Use a role without an MFA "
                                  "condition, SSO, or a credential_process "
                                  "that caches MFA sessions.",
                             profile);

    s = calloc(1, sizeof(*s));
    if (!s)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    s->profile = ecp_strdup(profile);
    s->role_arn = ecp_strdup(role_arn);
    s->session_name = session && session[0] ? ecp_strdup(session) : NULL;
    s->external_id = external_id ? ecp_strdup(external_id) : NULL;
    s->duration_seconds =
        duration(ecp_settings_profile_value(st, profile, "duration_seconds"));
    if (!s->profile || !s->role_arn ||
        (session && session[0] && !s->session_name) ||
        (external_id && !s->external_id)) {
        assume_destroy(s);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    if (ecp_sts_config_init(sel->ctx, &s->sts, err) != 0 ||
        resolve_source(sel, profile, credential_source, source_profile,
                       &s->source, err) != 0) {
        assume_destroy(s);
        return -1;
    }
    *out = ecp_provider_new(NAME, assume_fetch, assume_destroy, s, err);
    if (!*out)
        return -1;
    return ecp_provider_describe(out, err,
                                 "role %s of profile %s via %s, source %s [%s]",
                                 role_arn, profile, s->sts.url, s->source->name,
                                 s->source->detail ? s->source->detail : "");
}

int ecp_select_assume_role(ecp_select *sel, ecp_provider **out, ec_error *err)
{
    if (!is_assume_role_profile(sel, sel->profile)) {
        ecp_select_skip(sel, NAME, NULL);
        return 0;
    }
    return load_via_assume_role(sel, sel->profile, out, err);
}
