/*
 * Credential providers: one small interface (get, free) and a chain that
 * tries them in botocore's order. Only providers touch the outside world.
 */
#ifndef ECP_CREDENTIALS_H
#define ECP_CREDENTIALS_H

#include "config.h"

typedef struct ecp_credentials {
    char *access_key_id;
    char *secret_access_key; /* secret: wiped by ecp_credentials_clear */
    char *session_token;     /* secret, may be NULL */
    const char *source;      /* static name of the provider that found them */
} ecp_credentials;

/* Wipe and free every field, zero the struct. NULL is fine. */
void ecp_credentials_clear(ecp_credentials *c);

/* What a provider may look at: the caller's config (explicit keys, the
 * environment) and the resolved settings (profile, parsed files). */
typedef struct ecp_credentials_context {
    const ec_config *config;
    const ecp_settings *settings;
} ecp_credentials_context;

typedef struct ecp_credentials_provider ecp_credentials_provider;

struct ecp_credentials_provider {
    const char *name; /* botocore's method name: "env", "config-file", ... */
    /* 1: found, *out filled (owned by the caller); 0: nothing here, try the
     * next provider; -1: a real problem (partial keys, a failing helper):
     * the chain stops with err filled. */
    int (*get)(ecp_credentials_provider *self,
               const ecp_credentials_context *ctx, ecp_credentials *out,
               ec_error *err);
    /* Release the provider's own state (NULL: nothing to free). */
    void (*free)(ecp_credentials_provider *self);
    void *state;
};

#define ECP_CREDENTIALS_CHAIN_MAX 16

typedef struct ecp_credentials_chain {
    size_t count;
    ecp_credentials_provider providers[ECP_CREDENTIALS_CHAIN_MAX];
} ecp_credentials_chain;

/* The built-in providers. */
ecp_credentials_provider ecp_provider_explicit(void);
ecp_credentials_provider ecp_provider_env(void);
ecp_credentials_provider ecp_provider_shared_credentials_file(void);
ecp_credentials_provider ecp_provider_config_file(void);

/* Append a provider; -1 when the chain is full. */
int ecp_credentials_chain_add(ecp_credentials_chain *chain,
                              ecp_credentials_provider provider);

/*
 * botocore's default order, with the providers this library has:
 *   explicit keys (ec_config) > env > [assume-role] > [web-identity] >
 *   [sso] > shared-credentials-file > [credential_process] > config-file >
 *   [container-role] > [iam-role (IMDS)]
 * The bracketed ones are the seam for later providers: each is one
 * ecp_credentials_provider added at its place in ecp_credentials_chain_
 * default(). As in botocore, a profile named explicitly (ec_config.profile,
 * --profile) removes the env provider, so the profile wins.
 */
void ecp_credentials_chain_default(ecp_credentials_chain *chain,
                                   const ecp_credentials_context *ctx);

/* Try each provider in order; the first that finds credentials wins.
 * EC_ERR_CREDENTIALS "Unable to locate credentials..." when none does. */
int ecp_credentials_chain_resolve(ecp_credentials_chain *chain,
                                  const ecp_credentials_context *ctx,
                                  ecp_credentials *out, ec_error *err);

void ecp_credentials_chain_free(ecp_credentials_chain *chain);

/* The default chain, resolved once. */
int ecp_credentials_resolve(const ecp_credentials_context *ctx,
                            ecp_credentials *out, ec_error *err);

#endif
