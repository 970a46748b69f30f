/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Credentials: one small provider interface (fetch, free) behind a cache
 * that refreshes before expiry with botocore's advisory and mandatory
 * windows, and one chain that picks the provider in botocore's order.
 *
 * Two phases. Selection (ecp_credentials_select) only reads the
 * configuration it is given (ec_config, the environment, the parsed files)
 * and decides which provider answers, copying what that provider will need
 * later; it never touches the network. Fetching (ecp_provider_get) is the
 * only part that does I/O (HTTP through libcurl, a credential_process, a
 * token file), before each signed request when the cached credentials are
 * missing or due for refresh. The providers live in credentials/, one file
 * each.
 */
#ifndef ECP_CREDENTIALS_H
#define ECP_CREDENTIALS_H

#include <stdbool.h>

#include "config.h"

/* botocore's RefreshableCredentials: at 15 minutes before expiry a refresh
 * is tried and its failure tolerated; at 10 minutes it must succeed. */
#define ECP_ADVISORY_REFRESH_SECONDS (15 * 60)
#define ECP_MANDATORY_REFRESH_SECONDS (10 * 60)

typedef struct ecp_credentials {
    char *access_key_id;
    char *secret_access_key; /* secret: wiped by ecp_credentials_clear */
    char *session_token;     /* secret, may be NULL */
    bool expires;            /* temporary: `expiration` is set */
    ec_time expiration;
    const char *source; /* static name of the provider that found them */
} ecp_credentials;

/* Wipe and free every field, zero the struct. NULL is fine. */
void ecp_credentials_clear(ecp_credentials *c);

/* Fill `out` (zeroed) with copies. A key id without a secret or the other
 * way round is botocore's PartialCredentialsError ("Partial credentials
 * found in SOURCE, missing: NAME"); empty strings count as absent. Returns
 * 1 when filled, 0 when neither key nor secret is there, -1 on error.
 * Values that would reach an HTTP header (key id, session token) are
 * checked where the header is made, by the one check every HTTP layer
 * uses (ecp_header_value_check): the ElastiCache transport refuses them as
 * EC_ERR_TRANSPORT (the AWS CLI's exit 255), a credential provider's own
 * request as EC_ERR_CREDENTIALS. */
int ecp_credentials_set(ecp_credentials *out, const char *source,
                        const char *key, const char *secret, const char *token,
                        const char *key_name, const char *secret_name,
                        ec_error *err);

int ecp_credentials_copy(ecp_credentials *dst, const ecp_credentials *src,
                         ec_error *err);

/* ------------------------------------------------------------------ */
/* The outside world of a fetch                                        */
/* ------------------------------------------------------------------ */

/* Hooks the client was given (or the system's): the clock every expiry is
 * compared with, the sleep between container retries, the debug sink. */
typedef struct ecp_io {
    ec_now_fn now;
    ec_sleep_fn sleep;
    void *clock_userdata;
    ec_debug_fn debug;
    void *debug_userdata;
} ecp_io;

ec_time ecp_io_now(const ecp_io *io);
void ecp_io_sleep(const ecp_io *io, double seconds);
void ecp_io_debug(const ecp_io *io, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------ */
/* Providers and their cache                                           */
/* ------------------------------------------------------------------ */

typedef struct ecp_provider ecp_provider;

/* Get fresh credentials (out is zeroed). -1 with err: the message names
 * the provider and the reason, never a secret. */
typedef int (*ecp_fetch_fn)(ecp_provider *self, const ecp_io *io,
                            ecp_credentials *out, ec_error *err);

struct ecp_provider {
    const char *name; /* botocore's method: "env", "iam-role", ... */
    char *detail;     /* what it was configured with; never a secret */
    ecp_fetch_fn fetch;
    void (*destroy)(void *state); /* frees (and wipes) state */
    void *state;
    /* The cache. */
    ecp_credentials current;
    bool loaded;
    /* The identity of `current` for the signer
     * (ecp_sigv4_params.credentials_id): new whenever a fetch replaces it. */
    uint64_t credentials_id;
};

/* A provider owning `state` (destroyed with it, and at once when this
 * fails: NULL with EC_ERR_NOMEM). */
ecp_provider *ecp_provider_new(const char *name, ecp_fetch_fn fetch,
                               void (*destroy)(void *), void *state,
                               ec_error *err);
/* Wipe the cache, destroy the state, free. NULL is fine. */
void ecp_provider_free(ecp_provider *p);

/* Set p->detail (for debug output and tests: the role, the source, the
 * URL, never a secret). Frees p and returns -1 with EC_ERR_NOMEM when it
 * cannot, so a select function can `return ecp_provider_describe(...)`
 * style: 1 on success. */
int ecp_provider_describe(ecp_provider **p, ec_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A provider that always answers with a copy of `creds` (explicit keys,
 * the environment, the shared files). */
ecp_provider *ecp_provider_static(const ecp_credentials *creds, ec_error *err);

typedef enum ecp_refresh {
    ECP_REFRESH_NONE = 0,  /* the cached credentials are good */
    ECP_REFRESH_ADVISORY,  /* try to refresh, keep the old ones on failure */
    ECP_REFRESH_MANDATORY, /* refresh, fail without new ones */
} ecp_refresh;

/* botocore's refresh_needed, pure: nothing loaded yet, or less than 10
 * minutes left is mandatory; less than 15 minutes is advisory; no expiry
 * never refreshes. */
ecp_refresh ecp_refresh_needed(bool loaded, const ecp_credentials *c,
                               ec_time now);

/* True when `c` expired before `now` (botocore's _is_expired). */
bool ecp_credentials_expired(const ecp_credentials *c, ec_time now);

/*
 * The credentials to sign a request with now: the cached ones, refreshed
 * first when ecp_refresh_needed says so. An advisory refresh that fails
 * keeps the cached ones (reported through the debug hook); a mandatory one
 * that fails is -1 with the provider's error; refreshed credentials that
 * are already expired are "Credentials were refreshed, but the refreshed
 * credentials are still expired." (EC_ERR_CREDENTIALS). *out is borrowed
 * until the next call.
 */
int ecp_provider_get(ecp_provider *p, const ecp_io *io,
                     const ecp_credentials **out, ec_error *err);

/* ------------------------------------------------------------------ */
/* Selection                                                           */
/* ------------------------------------------------------------------ */

/* What selection may look at: the caller's config (explicit keys, the
 * environment) and the resolved settings (profile, region, parsed files).
 * Borrowed during selection only: providers copy what they keep. */
typedef struct ecp_credentials_context {
    const ec_config *config;
    const ecp_settings *settings;
} ecp_credentials_context;

/* State of one walk of a chain. */
typedef struct ecp_select {
    const ecp_credentials_context *ctx;
    const char *profile; /* the profile this chain looks at */
    bool disable_env;    /* an explicitly named profile: no env variables */
    ecp_buf *tried;      /* "env, assume-role, ..." with short reasons */
    ec_strlist *visited; /* profiles an assume-role chain went through */
} ecp_select;

/* One provider's selection: 1 when it answers (*out set, owned by the
 * caller), 0 when it is not configured here (a short reason was recorded
 * with ecp_select_skip), -1 for a configuration error that stops the
 * chain, as botocore raises one. */
typedef int (*ecp_select_fn)(ecp_select *sel, ecp_provider **out,
                             ec_error *err);

/* Record that the provider `name` had nothing (reason may be NULL). */
void ecp_select_skip(ecp_select *sel, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A value of the profile being walked (merged files). Borrowed. */
const char *ecp_select_profile(const ecp_select *sel, const char *key);
/* An environment variable, NULL when unset or empty. Borrowed. */
const char *ecp_select_env(const ecp_select *sel, const char *name);

/* The providers, in botocore's order (credentials/static.c, ...). */
int ecp_select_explicit(ecp_select *sel, ecp_provider **out, ec_error *err);
int ecp_select_env_provider(ecp_select *sel, ecp_provider **out, ec_error *err);
int ecp_select_assume_role(ecp_select *sel, ecp_provider **out, ec_error *err);
int ecp_select_web_identity(ecp_select *sel, ecp_provider **out, ec_error *err);
int ecp_select_sso(ecp_select *sel, ecp_provider **out, ec_error *err);
int ecp_select_shared_credentials_file(ecp_select *sel, ecp_provider **out,
                                       ec_error *err);
int ecp_select_process(ecp_select *sel, ecp_provider **out, ec_error *err);
int ecp_select_config_file(ecp_select *sel, ecp_provider **out, ec_error *err);
int ecp_select_ec2_credentials_file(ecp_select *sel, ecp_provider **out,
                                    ec_error *err);
int ecp_select_boto_config(ecp_select *sel, ecp_provider **out, ec_error *err);
int ecp_select_container(ecp_select *sel, ecp_provider **out, ec_error *err);
int ecp_select_imds(ecp_select *sel, ecp_provider **out, ec_error *err);

/* The profile providers of a source_profile (botocore's
 * ProfileProviderBuilder with env variables disabled): web identity, sso,
 * shared credentials file, credential_process, config file. 0 when none
 * answers. */
int ecp_select_profile_chain(ecp_select *sel, ecp_provider **out,
                             ec_error *err);

/*
 * The default chain, botocore's create_credential_resolver order:
 *   explicit keys (ec_config) > env > assume-role >
 *   assume-role-with-web-identity > sso > shared-credentials-file >
 *   custom-process > config-file > ec2-credentials-file > boto-config >
 *   container-role > iam-role
 * A profile named explicitly (ec_config.profile) removes env, and makes
 * web identity ignore its variables. When no provider answers:
 * EC_ERR_CREDENTIALS "Unable to locate credentials. ... Tried, in order:
 * ..." listing each provider and why it had nothing.
 */
int ecp_credentials_select(const ecp_credentials_context *ctx,
                           ecp_provider **out, ec_error *err);

/* Select, then fetch once into *out (owned). For tests and callers that
 * need one set of credentials now. */
int ecp_credentials_resolve(const ecp_credentials_context *ctx,
                            const ecp_io *io, ecp_credentials *out,
                            ec_error *err);

/* botocore's NoCredentialsError text, which the chain's message starts
 * with. */
#define ECP_NOT_FOUND_MESSAGE                                                  \
    "Unable to locate credentials. You can configure credentials by running "  \
    "\"aws configure\"."

/* The limit on any credential-related file read (tokens, caches). */
#define ECP_CREDENTIAL_FILE_LIMIT (1024 * 1024)

#endif
