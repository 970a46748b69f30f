/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared AWS config and credentials files (INI) and the resolution of every
 * client setting from ec_config, the environment and those files, in the
 * AWS CLI v2's order. Pure: the environment and file contents are inputs.
 */
#ifndef ECP_CONFIG_H
#define ECP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "files.h"
#include "util.h"

#define ECP_NO_REGION_MESSAGE                                                  \
    "You must specify a region. You can also configure your region by "        \
    "running \"aws configure\"."

/* One "key = value" of one section. Nested blocks ("elasticache =" followed
 * by indented "endpoint_url = X" lines) are flattened to the key
 * "elasticache.endpoint_url". Keys are lowercased as configparser does;
 * section names are kept as written. */
typedef struct ecp_ini_entry {
    char *section;
    char *key;
    char *value;
} ecp_ini_entry;

typedef struct ecp_ini {
    size_t count;
    ecp_ini_entry *entries;
    size_t section_count;
    char **sections;
} ecp_ini;

/* Parse INI text as Python's configparser.RawConfigParser does for the AWS
 * files: '#' and ';' comment lines, '=' or ':' delimiters, no inline
 * comments, duplicate sections or keys are errors. `name` is used in
 * messages. EC_ERR_CONFIG on malformed input. */
int ecp_ini_parse(const char *text, size_t len, const char *name, ecp_ini *ini,
                  ec_error *err);
/* Free everything, wiping values first (they may be secrets). */
void ecp_ini_free(ecp_ini *ini);
bool ecp_ini_has_section(const ecp_ini *ini, const char *section);
/* Borrowed value or NULL. */
const char *ecp_ini_get(const ecp_ini *ini, const char *section,
                        const char *key);

typedef enum ecp_retry_mode {
    ECP_RETRY_STANDARD = 0,
    ECP_RETRY_LEGACY,
    /* botocore's adaptive mode adds a client-side token bucket on top of
     * standard; we behave as standard (same attempts and backoff). */
    ECP_RETRY_ADAPTIVE
} ecp_retry_mode;

typedef struct ecp_settings {
    char *profile;         /* profile in use ("default" when none named) */
    bool profile_explicit; /* named by ec_config.profile (--profile) */
    bool profile_named;    /* named at all (config, AWS_PROFILE, ...) */
    /* NULL when nothing configures one and the instance metadata service
     * may be asked (the client does, then fails with
     * ECP_NO_REGION_MESSAGE). */
    char *region;
    char *endpoint_url; /* override, or NULL to resolve from the region */
    bool use_fips;
    bool use_dualstack;
    char *ca_bundle; /* NULL: curl's default trust store */
    bool verify_ssl;
    int max_attempts; /* total attempts, >= 1 */
    ecp_retry_mode retry_mode;
    double connect_timeout; /* seconds */
    double read_timeout;    /* seconds */
    size_t max_response_bytes;
    ecp_ini config;      /* the parsed config file */
    ecp_ini credentials; /* the parsed credentials file */
    /* Set by ecp_settings_load: where the files were looked for and what
     * was found there (a non-regular file is skipped, as botocore does). */
    char *config_path;
    char *credentials_path;
    ecp_file_status config_status;
    ecp_file_status credentials_status;
} ecp_settings;

/* Section holding profile `name` in the config file ("default" or
 * "profile NAME"), or NULL when the file has none. Borrowed. */
const char *ecp_config_profile_section(const ecp_ini *config, const char *name);

/* Section "sso-session NAME" or "services NAME" (kind "sso-session",
 * "services") as botocore's build_profile_map finds it, or NULL. */
const char *ecp_config_named_section(const ecp_ini *config, const char *kind,
                                     const char *name);

/* A setting of profile `profile` as botocore's session.full_config holds
 * it: the credentials file's [profile] section wins, key by key, over the
 * config file's profile section. Borrowed. */
const char *ecp_settings_profile_value(const ecp_settings *s,
                                       const char *profile, const char *key);
/* The same for the profile in use. */
const char *ecp_settings_profile_get(const ecp_settings *s, const char *key);
/* Whether either file has profile `profile`. */
bool ecp_settings_profile_exists(const ecp_settings *s, const char *profile);

/* The configured endpoint of a service as the AWS CLI v2 reads it:
 * AWS_ENDPOINT_URL_<env_id>, the services section's <key>.endpoint_url,
 * AWS_ENDPOINT_URL, the profile's endpoint_url; NULL when none, or when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls is
 * true. Borrowed (from envp or the files). */
const char *ecp_settings_configured_endpoint(const ecp_settings *s,
                                             const char *const *envp,
                                             const char *env_id,
                                             const char *key);

/* Resolve every setting from cfg, cfg->environ and the two files' text
 * (either may be NULL: no file). `out` must be zeroed. EC_ERR_CONFIG. The
 * region is left NULL when nothing sets one and IMDS is not disabled. */
int ecp_settings_resolve(const ec_config *cfg, const char *config_text,
                         size_t config_len, const char *credentials_text,
                         size_t credentials_len, ecp_settings *out,
                         ec_error *err);

/* Find the files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ~/.aws/;
 * "$VAR" and "~" expanded as botocore does, "~" from HOME or else the
 * passwd entry), read them (a missing or non-regular file is an empty one;
 * a FIFO is never read) and resolve. The file buffers are wiped after
 * parsing. */
int ecp_settings_load(const ec_config *cfg, ecp_settings *out, ec_error *err);

void ecp_settings_free(ecp_settings *s);

/* "true"/"false" (any case) as botocore's ensure_boolean; anything else is
 * false. */
bool ecp_config_bool(const char *value);

/* AWS_EC2_METADATA_DISABLED is "true" (any case). */
bool ecp_imds_disabled(const char *const *envp);

#endif
