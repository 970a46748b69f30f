/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The chain: botocore's provider order (create_credential_resolver and
 * ProfileProviderBuilder), walked over the configuration only. The first
 * provider configured answers; when none is, the error lists each one and
 * why it had nothing.
 */
#include "providers.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ecp_select_skip(ecp_select *sel, const char *name, const char *fmt, ...)
{
    va_list ap;
    char reason[200] = "";

    if (!sel->tried)
        return;
    if (fmt) {
        va_start(ap, fmt);
        vsnprintf(reason, sizeof(reason), fmt, ap);
        va_end(ap);
    }
    /* Allocation failures only shorten the list. */
    if (sel->tried->len)
        (void)ecp_buf_append_str(sel->tried, ", ");
    (void)ecp_buf_append_str(sel->tried, name);
    if (reason[0])
        (void)ecp_buf_printf(sel->tried, " (%s)", reason);
}

const char *ecp_select_profile(const ecp_select *sel, const char *key)
{
    const char *v =
        ecp_settings_profile_value(sel->ctx->settings, sel->profile, key);

    return v && v[0] ? v : NULL;
}

const char *ecp_select_env(const ecp_select *sel, const char *name)
{
    const char *v =
        ecp_getenv(sel->ctx->config ? sel->ctx->config->environ : NULL, name);

    return v && v[0] ? v : NULL;
}

static int walk(ecp_select *sel, const ecp_select_fn *fns, size_t n,
                ecp_provider **out, ec_error *err)
{
    size_t i;

    *out = NULL;
    for (i = 0; i < n; i++) {
        int rc = fns[i](sel, out, err);

        if (rc != 0)
            return rc;
    }
    return 0;
}

int ecp_select_profile_chain(ecp_select *sel, ecp_provider **out, ec_error *err)
{
    static const ecp_select_fn fns[] = {
        ecp_select_web_identity,
        ecp_select_sso,
        ecp_select_shared_credentials_file,
        ecp_select_process,
        ecp_select_config_file,
    };

    return walk(sel, fns, sizeof(fns) / sizeof(fns[0]), out, err);
}

int ecp_credentials_select(const ecp_credentials_context *ctx,
                           ecp_provider **out, ec_error *err)
{
    static const ecp_select_fn fns[] = {
        ecp_select_explicit,
        ecp_select_env_provider,
        ecp_select_assume_role,
        ecp_select_web_identity,
        ecp_select_sso,
        ecp_select_shared_credentials_file,
        ecp_select_process,
        ecp_select_config_file,
        ecp_select_ec2_credentials_file,
        ecp_select_boto_config,
        ecp_select_container,
        ecp_select_imds,
    };
    ecp_buf tried = {0};
    ec_strlist visited = {0};
    ecp_select sel;
    int rc;

    *out = NULL;
    memset(&sel, 0, sizeof(sel));
    sel.ctx = ctx;
    sel.profile = ctx->settings->profile ? ctx->settings->profile : "default";
    /* botocore: a profile given to the session (--profile) takes the env
     * provider out and makes web identity ignore its variables. */
    sel.disable_env = ctx->settings->profile_explicit;
    sel.tried = &tried;
    sel.visited = &visited;
    if (ec_strlist_push(&visited, sel.profile) != 0) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        rc = -1;
        goto out;
    }
    rc = walk(&sel, fns, sizeof(fns) / sizeof(fns[0]), out, err);
    if (rc == 0) {
        ecp_error_set(err, EC_ERR_CREDENTIALS, "%s Tried, in order: %s.",
                      ECP_NOT_FOUND_MESSAGE, tried.data ? tried.data : "");
        rc = -1;
    } else if (rc > 0) {
        rc = 0;
    }
out:
    if (rc != 0) {
        ecp_provider_free(*out);
        *out = NULL;
    }
    ecp_buf_free(&tried);
    ec_strlist_clear(&visited);
    return rc;
}

int ecp_credentials_resolve(const ecp_credentials_context *ctx,
                            const ecp_io *io, ecp_credentials *out,
                            ec_error *err)
{
    ecp_provider *p = NULL;
    const ecp_credentials *c;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (ecp_credentials_select(ctx, &p, err) != 0)
        return -1;
    if (ecp_provider_get(p, io, &c, err) == 0)
        rc = ecp_credentials_copy(out, c, err);
    ecp_provider_free(p);
    return rc;
}
