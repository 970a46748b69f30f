/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shared AWS config/credentials files and the resolution of every
 * client setting (profile, region, endpoint override, retries, TLS) in the
 * AWS CLI v2's order: explicit option > environment > profile > default.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "files.h"
#include "shlex.h"

#define FILE_LIMIT (1024 * 1024)
#define DEFAULT_TIMEOUT 60.0
#define DEFAULT_MAX_RESPONSE (16u * 1024u * 1024u)

/* ------------------------------------------------------------------ */
/* INI                                                                 */
/* ------------------------------------------------------------------ */

static void trim(const char **start, const char **end)
{
    while (*start < *end && isspace((unsigned char)**start))
        (*start)++;
    while (*end > *start && isspace((unsigned char)(*end)[-1]))
        (*end)--;
}

static int ini_add_section(ecp_ini *ini, const char *name, size_t n)
{
    char **p;
    char *copy = ecp_strndup(name, n);

    if (!copy)
        return -1;
    p = realloc(ini->sections, (ini->section_count + 1) * sizeof(*p));
    if (!p) {
        free(copy);
        return -1;
    }
    p[ini->section_count++] = copy;
    ini->sections = p;
    return 0;
}

static int ini_add_entry(ecp_ini *ini, const char *section, const char *key,
                         size_t key_len, const char *value, size_t value_len)
{
    ecp_ini_entry *p;
    ecp_ini_entry e = {0};
    size_t i;

    e.section = ecp_strdup(section);
    e.key = ecp_strndup(key, key_len);
    e.value = ecp_strndup(value, value_len);
    p = realloc(ini->entries, (ini->count + 1) * sizeof(*p));
    if (!e.section || !e.key || !e.value || !p) {
        free(e.section);
        free(e.key);
        ec_free_secret(e.value);
        if (p)
            ini->entries = p;
        return -1;
    }
    for (i = 0; i < key_len; i++)
        e.key[i] = (char)tolower((unsigned char)e.key[i]);
    p[ini->count++] = e;
    ini->entries = p;
    return 0;
}

static ecp_ini_entry *ini_find(const ecp_ini *ini, const char *section,
                               const char *key)
{
    size_t i;

    for (i = 0; i < ini->count; i++)
        if (strcmp(ini->entries[i].section, section) == 0 &&
            strcmp(ini->entries[i].key, key) == 0)
            return &ini->entries[i];
    return NULL;
}

/* Append "\n" + text to an entry's value (a configparser continuation). */
static int ini_continue(ecp_ini_entry *e, const char *text, size_t n)
{
    size_t old = strlen(e->value);
    char *v = malloc(old + n + 2);

    if (!v)
        return -1;
    memcpy(v, e->value, old);
    v[old] = '\n';
    memcpy(v + old + 1, text, n);
    v[old + n + 1] = '\0';
    ec_free_secret(e->value);
    e->value = v;
    return 0;
}

int ecp_ini_parse(const char *text, size_t len, const char *name, ecp_ini *ini,
                  ec_error *err)
{
    const char *p = text, *end = text + len;
    char *section = NULL;
    char nested[256] = "";      /* key owning the indented block, if any */
    ecp_ini_entry *last = NULL; /* entry a continuation line extends */
    unsigned lineno = 0;
    int rc = -1;

    memset(ini, 0, sizeof(*ini));
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *ls, *le, *delim;
        bool indented;

        if (!eol)
            eol = end;
        ls = p;
        le = eol;
        p = eol < end ? eol + 1 : end;
        lineno++;
        indented = ls < le && (*ls == ' ' || *ls == '\t');
        trim(&ls, &le);
        if (ls == le || *ls == '#' || *ls == ';')
            continue;
        if (*ls == '[' && !indented) {
            const char *ns = ls + 1, *ne;

            if (le[-1] != ']') {
                ecp_error_set(err, EC_ERR_CONFIG,
                              "Unable to parse config file: %s: line %u: "
                              "section header without ']'",
                              name, lineno);
                goto out;
            }
            ne = le - 1;
            trim(&ns, &ne);
            free(section);
            section = ecp_strndup(ns, (size_t)(ne - ns));
            if (!section) {
                ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
                goto out;
            }
            if (ecp_ini_has_section(ini, section)) {
                ecp_error_set(err, EC_ERR_CONFIG,
                              "Unable to parse config file: %s: line %u: "
                              "section [%s] appears twice",
                              name, lineno, section);
                goto out;
            }
            if (ini_add_section(ini, ns, (size_t)(ne - ns)) != 0) {
                ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
                goto out;
            }
            nested[0] = '\0';
            last = NULL;
            continue;
        }
        if (!section) {
            ecp_error_set(err, EC_ERR_CONFIG,
                          "Unable to parse config file: %s: line %u: "
                          "a setting before any [section] header",
                          name, lineno);
            goto out;
        }
        if (indented && last && !nested[0]) {
            /* A continuation of a value that had text of its own. */
            if (ini_continue(last, ls, (size_t)(le - ls)) != 0) {
                ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
                goto out;
            }
            continue;
        }
        delim = ls;
        while (delim < le && *delim != '=' && *delim != ':')
            delim++;
        if (delim == le || delim == ls) {
            ecp_error_set(err, EC_ERR_CONFIG,
                          "Unable to parse config file: %s: line %u: "
                          "expected \"name = value\"",
                          name, lineno);
            goto out;
        }
        {
            const char *ks = ls, *ke = delim, *vs = delim + 1, *ve = le;
            char key[256];
            size_t klen;

            trim(&ks, &ke);
            trim(&vs, &ve);
            if (indented && nested[0])
                klen = (size_t)snprintf(key, sizeof(key), "%s.%.*s", nested,
                                        (int)(ke - ks), ks);
            else
                klen = (size_t)snprintf(key, sizeof(key), "%.*s",
                                        (int)(ke - ks), ks);
            if (klen >= sizeof(key)) {
                ecp_error_set(err, EC_ERR_CONFIG,
                              "Unable to parse config file: %s: line %u: "
                              "name too long",
                              name, lineno);
                goto out;
            }
            for (size_t i = 0; i < klen; i++)
                key[i] = (char)tolower((unsigned char)key[i]);
            if (ini_find(ini, section, key)) {
                ecp_error_set(err, EC_ERR_CONFIG,
                              "Unable to parse config file: %s: line %u: "
                              "\"%s\" appears twice in [%s]",
                              name, lineno, key, section);
                goto out;
            }
            if (ini_add_entry(ini, section, key, klen, vs, (size_t)(ve - vs)) !=
                0) {
                ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
                goto out;
            }
            last = &ini->entries[ini->count - 1];
            if (!indented) {
                /* An empty value opens a nested block (botocore's
                 * "s3 =\n  addressing_style = path"). */
                if (vs == ve && klen < sizeof(nested))
                    snprintf(nested, sizeof(nested), "%s", key);
                else
                    nested[0] = '\0';
            }
            if (nested[0])
                last = NULL;
        }
    }
    rc = 0;
out:
    free(section);
    if (rc != 0)
        ecp_ini_free(ini);
    return rc;
}

void ecp_ini_free(ecp_ini *ini)
{
    size_t i;

    if (!ini)
        return;
    for (i = 0; i < ini->count; i++) {
        free(ini->entries[i].section);
        free(ini->entries[i].key);
        ec_free_secret(ini->entries[i].value);
    }
    free(ini->entries);
    for (i = 0; i < ini->section_count; i++)
        free(ini->sections[i]);
    free(ini->sections);
    memset(ini, 0, sizeof(*ini));
}

bool ecp_ini_has_section(const ecp_ini *ini, const char *section)
{
    size_t i;

    for (i = 0; ini && i < ini->section_count; i++)
        if (strcmp(ini->sections[i], section) == 0)
            return true;
    return false;
}

const char *ecp_ini_get(const ecp_ini *ini, const char *section,
                        const char *key)
{
    const ecp_ini_entry *e;

    if (!ini || !section)
        return NULL;
    e = ini_find(ini, section, key);
    return e ? e->value : NULL;
}

/* ------------------------------------------------------------------ */
/* Profiles                                                            */
/* ------------------------------------------------------------------ */

/* botocore's build_profile_map: a section whose name starts with `prefix`
 * ("profile", "sso-session") and splits (shlex) into exactly two words
 * names `name` when the second word is `name`. */
static bool section_names(const char *section, const char *prefix,
                          const char *name)
{
    return strncmp(section, prefix, strlen(prefix)) == 0 &&
           ecp_shlex_two_words(section, name);
}

const char *ecp_config_profile_section(const ecp_ini *config, const char *name)
{
    size_t i;

    if (!config || !name)
        return NULL;
    for (i = 0; i < config->section_count; i++)
        if (section_names(config->sections[i], "profile", name))
            return config->sections[i];
    if (strcmp(name, "default") == 0 && ecp_ini_has_section(config, "default"))
        return "default";
    return NULL;
}

const char *ecp_config_named_section(const ecp_ini *config, const char *kind,
                                     const char *name)
{
    size_t i;

    if (!config || !name)
        return NULL;
    for (i = 0; i < config->section_count; i++)
        if (section_names(config->sections[i], kind, name))
            return config->sections[i];
    return NULL;
}

const char *ecp_settings_profile_value(const ecp_settings *s,
                                       const char *profile, const char *key)
{
    const char *v = ecp_ini_get(&s->credentials, profile, key);

    if (v)
        return v;
    return ecp_ini_get(&s->config,
                       ecp_config_profile_section(&s->config, profile), key);
}

bool ecp_settings_profile_exists(const ecp_settings *s, const char *profile)
{
    return ecp_config_profile_section(&s->config, profile) != NULL ||
           ecp_ini_has_section(&s->credentials, profile);
}

const char *ecp_settings_profile_get(const ecp_settings *s, const char *key)
{
    return ecp_settings_profile_value(s, s->profile, key);
}

bool ecp_config_bool(const char *value)
{
    return value && strcasecmp(value, "true") == 0;
}

bool ecp_imds_disabled(const char *const *envp)
{
    /* botocore: os.environ.get('AWS_EC2_METADATA_DISABLED', 'false')
     * .lower() == 'true'. */
    return ecp_config_bool(ecp_getenv(envp, "AWS_EC2_METADATA_DISABLED"));
}

/* ------------------------------------------------------------------ */
/* Settings                                                            */
/* ------------------------------------------------------------------ */

static const char *env(const ec_config *cfg, const char *name)
{
    const char *v = ecp_getenv(cfg->environ, name);

    return v && v[0] ? v : NULL;
}

static int set_str(char **dst, const char *src, ec_error *err)
{
    free(*dst);
    *dst = ecp_strdup(src);
    if (src && !*dst)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    return 0;
}

static int parse_max_attempts(const char *text, const char *source, int *out,
                              ec_error *err)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < 1 || v > 100)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "Value provided to max_attempts (%s): \"%s\" "
                             "must be an integer from 1 to 100",
                             source, text);
    *out = (int)v;
    return 0;
}

static int parse_retry_mode(const char *text, ecp_retry_mode *out,
                            ec_error *err)
{
    if (strcmp(text, "standard") == 0)
        *out = ECP_RETRY_STANDARD;
    else if (strcmp(text, "legacy") == 0)
        *out = ECP_RETRY_LEGACY;
    else if (strcmp(text, "adaptive") == 0)
        *out = ECP_RETRY_ADAPTIVE;
    else
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "Invalid value provided to \"mode\": \"%s\" must "
                             "be one of: \"legacy\", \"standard\", "
                             "\"adaptive\"",
                             text);
    return 0;
}

static int resolve_profile(const ec_config *cfg, ecp_settings *s, ec_error *err)
{
    const char *name = cfg->profile && cfg->profile[0] ? cfg->profile : NULL;

    s->profile_explicit = name != NULL;
    if (!name && !cfg->no_profile_env)
        name = env(cfg, "AWS_PROFILE");
    if (!name && !cfg->no_profile_env)
        name = env(cfg, "AWS_DEFAULT_PROFILE");
    s->profile_named = name != NULL;
    if (set_str(&s->profile, name ? name : "default", err) != 0)
        return -1;
    /* botocore merges the credentials file into the profile map, so a
     * profile in either file exists. A named profile must exist, even
     * "default". */
    if (s->profile_named &&
        !ecp_config_profile_section(&s->config, s->profile) &&
        !ecp_ini_has_section(&s->credentials, s->profile))
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "The config profile (%s) could not be found",
                             s->profile);
    return 0;
}

static int resolve_region(const ec_config *cfg, ecp_settings *s, ec_error *err)
{
    const char *region = cfg->region && cfg->region[0] ? cfg->region : NULL;

    if (!region)
        region = env(cfg, "AWS_REGION");
    if (!region)
        region = env(cfg, "AWS_DEFAULT_REGION");
    if (!region)
        region = ecp_settings_profile_get(s, "region");
    if (region && !region[0])
        region = NULL;
    /* Nothing gives a region: the AWS CLI v2 asks the instance metadata
     * service (the client does that, ecp_imds_region) unless it is
     * switched off. */
    if (!region && ecp_imds_disabled(cfg->environ))
        return ecp_error_set(err, EC_ERR_CONFIG, "%s", ECP_NO_REGION_MESSAGE);
    return set_str(&s->region, region, err);
}

/* The endpoint_url of `key` ("elasticache", "sts") in the [services NAME]
 * section the profile's "services" setting names. */
static const char *services_endpoint(const ecp_settings *s, const char *key)
{
    const char *services = ecp_settings_profile_get(s, "services");
    const char *section;
    char name[64];

    if (!services)
        return NULL;
    section = ecp_config_named_section(&s->config, "services", services);
    if (!section || snprintf(name, sizeof(name), "%s.endpoint_url", key) >=
                        (int)sizeof(name))
        return NULL;
    return ecp_ini_get(&s->config, section, name);
}

const char *ecp_settings_configured_endpoint(const ecp_settings *s,
                                             const char *const *envp,
                                             const char *env_id,
                                             const char *key)
{
    char var[96];
    const char *v;
    bool ignore;

    /* The configured-endpoint feature: the service-specific variable, the
     * services section, the global variable, the profile's endpoint_url;
     * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's
     * ignore_configured_endpoint_urls) switches them all off. */
    v = ecp_getenv(envp, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    if (v && !v[0])
        v = NULL;
    ignore = v ? ecp_config_bool(v)
               : ecp_config_bool(ecp_settings_profile_get(
                     s, "ignore_configured_endpoint_urls"));
    if (ignore)
        return NULL;
    snprintf(var, sizeof(var), "AWS_ENDPOINT_URL_%s", env_id);
    v = ecp_getenv(envp, var);
    if (v && v[0])
        return v;
    v = services_endpoint(s, key);
    if (v && v[0])
        return v;
    v = ecp_getenv(envp, "AWS_ENDPOINT_URL");
    if (v && v[0])
        return v;
    v = ecp_settings_profile_get(s, "endpoint_url");
    return v && v[0] ? v : NULL;
}

static int resolve_endpoint(const ec_config *cfg, ecp_settings *s,
                            ec_error *err)
{
    const char *url =
        cfg->endpoint_url && cfg->endpoint_url[0] ? cfg->endpoint_url : NULL;
    const char *v;

    /* The option first, then the configured endpoints. */
    if (!url)
        url = ecp_settings_configured_endpoint(s, cfg->environ, "ELASTICACHE",
                                               "elasticache");
    if (set_str(&s->endpoint_url, url, err) != 0)
        return -1;

    v = env(cfg, "AWS_USE_FIPS_ENDPOINT");
    s->use_fips = ecp_config_bool(
        v ? v : ecp_settings_profile_get(s, "use_fips_endpoint"));
    v = env(cfg, "AWS_USE_DUALSTACK_ENDPOINT");
    s->use_dualstack = ecp_config_bool(
        v ? v : ecp_settings_profile_get(s, "use_dualstack_endpoint"));
    return 0;
}

static int resolve_retries(const ec_config *cfg, ecp_settings *s, ec_error *err)
{
    const char *v;

    v = cfg->retry_mode && cfg->retry_mode[0] ? cfg->retry_mode : NULL;
    if (!v)
        v = env(cfg, "AWS_RETRY_MODE");
    if (!v)
        v = ecp_settings_profile_get(s, "retry_mode");
    s->retry_mode = ECP_RETRY_STANDARD;
    if (v && parse_retry_mode(v, &s->retry_mode, err) != 0)
        return -1;

    if (cfg->max_attempts < 0)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "max_attempts must be 1 or more, not %d",
                             cfg->max_attempts);
    if (cfg->max_attempts > 0) {
        s->max_attempts = cfg->max_attempts;
        return 0;
    }
    v = env(cfg, "AWS_MAX_ATTEMPTS");
    if (v)
        return parse_max_attempts(v, "AWS_MAX_ATTEMPTS", &s->max_attempts, err);
    v = ecp_settings_profile_get(s, "max_attempts");
    if (v)
        return parse_max_attempts(v, "config file", &s->max_attempts, err);
    /* botocore: standard 3 attempts; legacy 5 (_retry.json). */
    s->max_attempts = s->retry_mode == ECP_RETRY_LEGACY ? 5 : 3;
    return 0;
}

static int resolve_transport(const ec_config *cfg, ecp_settings *s,
                             ec_error *err)
{
    const char *ca =
        cfg->ca_bundle && cfg->ca_bundle[0] ? cfg->ca_bundle : NULL;

    if (!ca)
        ca = env(cfg, "AWS_CA_BUNDLE");
    if (!ca)
        ca = ecp_settings_profile_get(s, "ca_bundle");
    if (set_str(&s->ca_bundle, ca, err) != 0)
        return -1;
    s->verify_ssl = !cfg->no_verify_ssl;
    if (cfg->connect_timeout < 0 || cfg->read_timeout < 0)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "timeouts must not be negative");
    s->connect_timeout =
        cfg->connect_timeout > 0 ? cfg->connect_timeout : DEFAULT_TIMEOUT;
    s->read_timeout =
        cfg->read_timeout > 0 ? cfg->read_timeout : DEFAULT_TIMEOUT;
    s->max_response_bytes = cfg->max_response_bytes ? cfg->max_response_bytes
                                                    : DEFAULT_MAX_RESPONSE;
    return 0;
}

int ecp_settings_resolve(const ec_config *cfg, const char *config_text,
                         size_t config_len, const char *credentials_text,
                         size_t credentials_len, ecp_settings *out,
                         ec_error *err)
{
    static const ec_config empty;
    int rc = -1;

    if (!cfg)
        cfg = &empty;
    if (config_text && ecp_ini_parse(config_text, config_len, "config",
                                     &out->config, err) != 0)
        goto out;
    if (credentials_text &&
        ecp_ini_parse(credentials_text, credentials_len, "credentials",
                      &out->credentials, err) != 0)
        goto out;
    if (resolve_profile(cfg, out, err) != 0 ||
        resolve_region(cfg, out, err) != 0 ||
        resolve_endpoint(cfg, out, err) != 0 ||
        resolve_retries(cfg, out, err) != 0 ||
        resolve_transport(cfg, out, err) != 0)
        goto out;
    rc = 0;
out:
    if (rc != 0)
        ecp_settings_free(out);
    return rc;
}

/* The path of one of the two files as botocore's raw_config_parse finds
 * it: the variable (or the default), $VARS expanded, then "~" (HOME, else
 * the passwd entry, as Python's expanduser). */
static int file_path(const ec_config *cfg, const char *var,
                     const char *fallback, char **path, ec_error *err)
{
    const char *p = env(cfg, var);
    char *expanded = NULL;
    int rc;

    *path = NULL;
    if (!p)
        p = fallback;
    if (ecp_expand_vars(p, cfg->environ, &expanded, err) != 0)
        return -1;
    rc = ecp_expand_user(expanded, cfg->environ, path, err);
    free(expanded);
    return rc;
}

/* A missing file is an empty one, as for botocore. So is anything that is
 * not a regular file (a FIFO, /dev/null): botocore's os.path.isfile() says
 * no and skips it; here it is never opened for a blocking read, and the
 * status says why it was skipped. An unreadable file is an error. */
static int read_optional(const char *path, const char *what, char **text,
                         size_t *len, ecp_file_status *status, ec_error *err)
{
    ec_error rerr;
    int rc;

    *text = NULL;
    *len = 0;
    *status = ECP_FILE_MISSING;
    ec_error_clear(&rerr);
    rc = ecp_read_regular_file(path, FILE_LIMIT, what, text, len, &rerr);
    if (rc < 0) {
        if (rerr.code == EC_ERR_NOMEM)
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "Unable to read config file: %s", rerr.message);
    }
    *status = (ecp_file_status)rc;
    return 0;
}

int ecp_settings_load(const ec_config *cfg, ecp_settings *out, ec_error *err)
{
    static const ec_config empty;
    char *config_path = NULL, *creds_path = NULL;
    char *config_text = NULL, *creds_text = NULL;
    size_t config_len = 0, creds_len = 0;
    ecp_file_status config_status, creds_status;
    int rc = -1;

    if (!cfg)
        cfg = &empty;
    if (file_path(cfg, "AWS_CONFIG_FILE", "~/.aws/config", &config_path, err) !=
            0 ||
        file_path(cfg, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials",
                  &creds_path, err) != 0 ||
        read_optional(config_path, "config file", &config_text, &config_len,
                      &config_status, err) != 0 ||
        read_optional(creds_path, "shared credentials file", &creds_text,
                      &creds_len, &creds_status, err) != 0)
        goto out;
    rc = ecp_settings_resolve(cfg, config_text, config_len, creds_text,
                              creds_len, out, err);
    if (rc == 0) {
        out->config_path = config_path;
        out->credentials_path = creds_path;
        out->config_status = config_status;
        out->credentials_status = creds_status;
        config_path = creds_path = NULL;
    }
out:
    /* The files can hold secret keys: wipe the raw text. */
    if (config_text)
        ec_wipe(config_text, config_len);
    if (creds_text)
        ec_wipe(creds_text, creds_len);
    free(config_text);
    free(creds_text);
    free(config_path);
    free(creds_path);
    return rc;
}

void ecp_settings_free(ecp_settings *s)
{
    if (!s)
        return;
    free(s->profile);
    free(s->region);
    free(s->endpoint_url);
    free(s->ca_bundle);
    free(s->config_path);
    free(s->credentials_path);
    ecp_ini_free(&s->config);
    ecp_ini_free(&s->credentials);
    memset(s, 0, sizeof(*s));
}
