/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The credentials value, the provider object and its cache: botocore's
 * RefreshableCredentials (advisory and mandatory refresh windows) with the
 * client's injected clock.
 */
#include "credentials.h"
#include "sigv4.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int ecp_credentials_set(ecp_credentials *out, const char *source,
                        const char *key, const char *secret, const char *token,
                        const char *key_name, const char *secret_name,
                        ec_error *err)
{
    key = nonempty(key);
    secret = nonempty(secret);
    token = nonempty(token);
    if (!key && !secret)
        return 0;
    if (!key || !secret)
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             "Partial credentials found in %s, missing: %s",
                             source, key ? secret_name : key_name);
    memset(out, 0, sizeof(*out));
    out->access_key_id = ecp_strdup(key);
    out->secret_access_key = ecp_strdup(secret);
    out->session_token = ecp_strdup(token);
    out->source = source;
    if (!out->access_key_id || !out->secret_access_key ||
        (token && !out->session_token)) {
        ecp_credentials_clear(out);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    return 1;
}

int ecp_credentials_copy(ecp_credentials *dst, const ecp_credentials *src,
                         ec_error *err)
{
    memset(dst, 0, sizeof(*dst));
    dst->access_key_id = ecp_strdup(src->access_key_id);
    dst->secret_access_key = ecp_strdup(src->secret_access_key);
    dst->session_token = ecp_strdup(src->session_token);
    dst->expires = src->expires;
    dst->expiration = src->expiration;
    dst->source = src->source;
    if ((src->access_key_id && !dst->access_key_id) ||
        (src->secret_access_key && !dst->secret_access_key) ||
        (src->session_token && !dst->session_token)) {
        ecp_credentials_clear(dst);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    return 0;
}

/* ------------------------------------------------------------------ */

ec_time ecp_io_now(const ecp_io *io)
{
    if (io && io->now)
        return io->now(io->clock_userdata);
    return ec_time_now();
}

void ecp_io_sleep(const ecp_io *io, double seconds)
{
    struct timespec ts;

    if (seconds <= 0)
        return;
    if (io && io->sleep) {
        io->sleep(io->clock_userdata, seconds);
        return;
    }
    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0)
        ;
}

void ecp_io_debug(const ecp_io *io, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (!io || !io->debug)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    io->debug(io->debug_userdata, line);
}

/* ------------------------------------------------------------------ */

ecp_provider *ecp_provider_new(const char *name, ecp_fetch_fn fetch,
                               void (*destroy)(void *), void *state,
                               ec_error *err)
{
    ecp_provider *p = calloc(1, sizeof(*p));

    if (!p) {
        if (destroy)
            destroy(state);
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    p->name = name;
    p->fetch = fetch;
    p->destroy = destroy;
    p->state = state;
    return p;
}

int ecp_provider_describe(ecp_provider **p, ec_error *err, const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;
    int n;

    if (!*p)
        return -1;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0)
        text = malloc((size_t)n + 1);
    if (!text) {
        ecp_provider_free(*p);
        *p = NULL;
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    free((*p)->detail);
    (*p)->detail = text;
    return 1;
}

void ecp_provider_free(ecp_provider *p)
{
    if (!p)
        return;
    free(p->detail);
    ecp_credentials_clear(&p->current);
    if (p->destroy)
        p->destroy(p->state);
    free(p);
}

static void destroy_static(void *state)
{
    ecp_credentials_clear(state);
    free(state);
}

static int fetch_static(ecp_provider *self, const ecp_io *io,
                        ecp_credentials *out, ec_error *err)
{
    ECP_UNUSED(io);
    return ecp_credentials_copy(out, self->state, err);
}

ecp_provider *ecp_provider_static(const ecp_credentials *creds, ec_error *err)
{
    ecp_credentials *copy = calloc(1, sizeof(*copy));

    if (!copy) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (ecp_credentials_copy(copy, creds, err) != 0) {
        free(copy);
        return NULL;
    }
    return ecp_provider_new(creds->source, fetch_static, destroy_static, copy,
                            err);
}

/* ------------------------------------------------------------------ */

ecp_refresh ecp_refresh_needed(bool loaded, const ecp_credentials *c,
                               ec_time now)
{
    double remaining;

    if (!loaded)
        return ECP_REFRESH_MANDATORY;
    if (!c->expires)
        return ECP_REFRESH_NONE;
    remaining = ec_time_diff(c->expiration, now);
    if (remaining >= ECP_ADVISORY_REFRESH_SECONDS)
        return ECP_REFRESH_NONE;
    if (remaining >= ECP_MANDATORY_REFRESH_SECONDS)
        return ECP_REFRESH_ADVISORY;
    return ECP_REFRESH_MANDATORY;
}

bool ecp_credentials_expired(const ecp_credentials *c, ec_time now)
{
    return c->expires && ec_time_diff(c->expiration, now) < 0;
}

int ecp_provider_get(ecp_provider *p, const ecp_io *io,
                     const ecp_credentials **out, ec_error *err)
{
    ecp_credentials fresh = {0};
    ec_error ferr;
    ecp_refresh need;
    ec_time now = ecp_io_now(io);
    char when[40];

    need = ecp_refresh_needed(p->loaded, &p->current, now);
    if (need == ECP_REFRESH_NONE) {
        *out = &p->current;
        return 0;
    }
    ec_error_clear(&ferr);
    if (p->fetch(p, io, &fresh, &ferr) != 0) {
        ecp_credentials_clear(&fresh);
        if (need == ECP_REFRESH_ADVISORY) {
            /* botocore: keep using what we have until the mandatory
             * window. */
            ecp_io_debug(io,
                         "Refreshing temporary credentials failed during "
                         "advisory refresh period (%s): %s",
                         p->name, ferr.message);
            *out = &p->current;
            return 0;
        }
        if (p->loaded)
            ecp_io_debug(io,
                         "Refreshing temporary credentials failed during "
                         "mandatory refresh period (%s)",
                         p->name);
        if (err && err->code == EC_OK)
            *err = ferr;
        return -1;
    }
    if (ecp_credentials_expired(&fresh, ecp_io_now(io))) {
        ecp_credentials_clear(&fresh);
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             "%s: Credentials were refreshed, but the "
                             "refreshed credentials are still expired.",
                             p->name);
    }
    if (!fresh.source)
        fresh.source = p->name;
    ecp_credentials_clear(&p->current);
    p->current = fresh;
    p->loaded = true;
    p->credentials_id = ecp_sigv4_credentials_id_new();
    if (fresh.expires &&
        ec_time_format_iso(fresh.expiration, when, sizeof(when)) > 0)
        ecp_io_debug(io, "Credentials from %s (%s), expiring at %s", p->name,
                     p->current.access_key_id, when);
    else
        ecp_io_debug(io, "Credentials from %s (%s)", p->name,
                     p->current.access_key_id);
    *out = &p->current;
    return 0;
}
