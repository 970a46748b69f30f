/*
 * Credential providers (explicit keys, environment, shared credentials
 * file, config file) behind one interface, and the chain that tries them
 * in botocore's order. Every copy of a secret is wiped before it is freed.
 */
#include "credentials.h"

#include <stdlib.h>
#include <string.h>

#define NOT_FOUND_MESSAGE                                                      \
    "Unable to locate credentials. You can configure credentials by running "  \
    "\"aws configure\"."

void ecp_credentials_clear(ecp_credentials *c)
{
    if (!c)
        return;
    ec_free_secret(c->access_key_id);
    ec_free_secret(c->secret_access_key);
    ec_free_secret(c->session_token);
    memset(c, 0, sizeof(*c));
}

static const char *nonempty(const char *s)
{
    return s && s[0] ? s : NULL;
}

/* Copy a found triple into *out. A key id without a secret (or the other
 * way round) is botocore's PartialCredentialsError. */
static int fill(const char *provider, const char *key, const char *secret,
                const char *token, const char *key_name,
                const char *secret_name, ecp_credentials *out, ec_error *err)
{
    key = nonempty(key);
    secret = nonempty(secret);
    token = nonempty(token);
    if (!key && !secret)
        return 0;
    if (!key || !secret)
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             "Partial credentials found in %s, missing: %s",
                             provider, key ? secret_name : key_name);
    out->access_key_id = ecp_strdup(key);
    out->secret_access_key = ecp_strdup(secret);
    out->session_token = ecp_strdup(token);
    out->source = provider;
    if (!out->access_key_id || !out->secret_access_key ||
        (token && !out->session_token)) {
        ecp_credentials_clear(out);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    return 1;
}

static int get_explicit(ecp_credentials_provider *self,
                        const ecp_credentials_context *ctx,
                        ecp_credentials *out, ec_error *err)
{
    const ec_config *cfg = ctx->config;

    ECP_UNUSED(self);
    if (!cfg)
        return 0;
    return fill("explicit", cfg->access_key_id, cfg->secret_access_key,
                cfg->session_token, "access_key_id", "secret_access_key", out,
                err);
}

static int get_env(ecp_credentials_provider *self,
                   const ecp_credentials_context *ctx, ecp_credentials *out,
                   ec_error *err)
{
    const char *const *envp = ctx->config ? ctx->config->environ : NULL;
    const char *token = nonempty(ecp_getenv(envp, "AWS_SESSION_TOKEN"));

    ECP_UNUSED(self);
    if (!token) /* the legacy name botocore still reads */
        token = ecp_getenv(envp, "AWS_SECURITY_TOKEN");
    return fill("env", ecp_getenv(envp, "AWS_ACCESS_KEY_ID"),
                ecp_getenv(envp, "AWS_SECRET_ACCESS_KEY"), token,
                "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", out, err);
}

static int from_section(const char *provider, const ecp_ini *ini,
                        const char *section, ecp_credentials *out,
                        ec_error *err)
{
    const char *token;

    if (!section)
        return 0;
    token = nonempty(ecp_ini_get(ini, section, "aws_session_token"));
    if (!token)
        token = ecp_ini_get(ini, section, "aws_security_token");
    return fill(provider, ecp_ini_get(ini, section, "aws_access_key_id"),
                ecp_ini_get(ini, section, "aws_secret_access_key"), token,
                "aws_access_key_id", "aws_secret_access_key", out, err);
}

static int get_shared_file(ecp_credentials_provider *self,
                           const ecp_credentials_context *ctx,
                           ecp_credentials *out, ec_error *err)
{
    const ecp_settings *s = ctx->settings;

    ECP_UNUSED(self);
    if (!s || !ecp_ini_has_section(&s->credentials, s->profile))
        return 0;
    return from_section("shared-credentials-file", &s->credentials, s->profile,
                        out, err);
}

static int get_config_file(ecp_credentials_provider *self,
                           const ecp_credentials_context *ctx,
                           ecp_credentials *out, ec_error *err)
{
    const ecp_settings *s = ctx->settings;

    ECP_UNUSED(self);
    if (!s)
        return 0;
    return from_section("config-file", &s->config,
                        ecp_config_profile_section(&s->config, s->profile), out,
                        err);
}

ecp_credentials_provider ecp_provider_explicit(void)
{
    ecp_credentials_provider p = {"explicit", get_explicit, NULL, NULL};
    return p;
}

ecp_credentials_provider ecp_provider_env(void)
{
    ecp_credentials_provider p = {"env", get_env, NULL, NULL};
    return p;
}

ecp_credentials_provider ecp_provider_shared_credentials_file(void)
{
    ecp_credentials_provider p = {"shared-credentials-file", get_shared_file,
                                  NULL, NULL};
    return p;
}

ecp_credentials_provider ecp_provider_config_file(void)
{
    ecp_credentials_provider p = {"config-file", get_config_file, NULL, NULL};
    return p;
}

int ecp_credentials_chain_add(ecp_credentials_chain *chain,
                              ecp_credentials_provider provider)
{
    if (chain->count >= ECP_CREDENTIALS_CHAIN_MAX)
        return -1;
    chain->providers[chain->count++] = provider;
    return 0;
}

void ecp_credentials_chain_default(ecp_credentials_chain *chain,
                                   const ecp_credentials_context *ctx)
{
    const ecp_settings *s = ctx->settings;

    memset(chain, 0, sizeof(*chain));
    ecp_credentials_chain_add(chain, ecp_provider_explicit());
    if (!s || !s->profile_explicit)
        ecp_credentials_chain_add(chain, ecp_provider_env());
    /* Seam: assume-role, web-identity and sso providers go here. */
    ecp_credentials_chain_add(chain, ecp_provider_shared_credentials_file());
    /* Seam: the credential_process provider goes here. */
    ecp_credentials_chain_add(chain, ecp_provider_config_file());
    /* Seam: container-role, then iam-role (IMDS) go here, last. */
}

int ecp_credentials_chain_resolve(ecp_credentials_chain *chain,
                                  const ecp_credentials_context *ctx,
                                  ecp_credentials *out, ec_error *err)
{
    size_t i;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < chain->count; i++) {
        ecp_credentials_provider *p = &chain->providers[i];
        int rc = p->get(p, ctx, out, err);

        if (rc < 0) {
            ecp_credentials_clear(out);
            return -1;
        }
        if (rc > 0)
            return 0;
    }
    return ecp_error_set(err, EC_ERR_CREDENTIALS, "%s", NOT_FOUND_MESSAGE);
}

void ecp_credentials_chain_free(ecp_credentials_chain *chain)
{
    size_t i;

    if (!chain)
        return;
    for (i = 0; i < chain->count; i++)
        if (chain->providers[i].free)
            chain->providers[i].free(&chain->providers[i]);
    memset(chain, 0, sizeof(*chain));
}

int ecp_credentials_resolve(const ecp_credentials_context *ctx,
                            ecp_credentials *out, ec_error *err)
{
    ecp_credentials_chain chain;
    int rc;

    ecp_credentials_chain_default(&chain, ctx);
    rc = ecp_credentials_chain_resolve(&chain, ctx, out, err);
    ecp_credentials_chain_free(&chain);
    return rc;
}
