/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the shared config/credentials INI parser, then the whole
 * path a client takes from those two files: settings resolution, the
 * credentials chain and the endpoint. Input: config file text, a NUL byte,
 * credentials file text (no NUL: both files get the same text). The last
 * byte also picks how the profile is named (mod 3: none, AWS_PROFILE=dev,
 * --profile dev). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "credentials.h"
#include "endpoint.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Name the broken property in the log, then crash for libFuzzer. */
static void fail(const char *what)
{
    fprintf(stderr, "fuzz_ini: oracle: %s\n", what);
    abort();
}

/* Every entry the parser returned must be found again by its lookups. */
static void check_lookups(const ecp_ini *ini)
{
    size_t i;

    for (i = 0; i < ini->count; i++) {
        const ecp_ini_entry *e = &ini->entries[i];

        if (!ecp_ini_has_section(ini, e->section) ||
            !ecp_ini_get(ini, e->section, e->key))
            fail("a parsed entry is not found by its lookups");
    }
    for (i = 0; i < ini->section_count; i++)
        if (!ecp_ini_has_section(ini, ini->sections[i]))
            fail("a parsed section is not found");
}

static void resolve_all(const char *cfg_text, size_t cfg_len,
                        const char *cred_text, size_t cred_len, uint8_t mode)
{
    /* No instance metadata: selection reads configuration only, but keep
     * anything that could reach for 169.254.169.254 switched off. */
    static const char *const env_none[] = {"AWS_EC2_METADATA_DISABLED=true",
                                           NULL};
    static const char *const env_profile[] = {
        "AWS_PROFILE=dev", "AWS_EC2_METADATA_DISABLED=true", NULL};
    ec_config cfg = {0};
    ecp_settings s = {0};
    ecp_provider *provider = NULL;
    ecp_credentials_context ctx;
    ecp_endpoint_input in = {0};
    ecp_endpoint *ep = NULL;
    ec_error err = {0};

    cfg.environ = mode % 3 == 1 ? env_profile : env_none;
    if (mode % 3 == 2)
        cfg.profile = "dev";
    if (ecp_settings_resolve(&cfg, cfg_text, cfg_len, cred_text, cred_len, &s,
                             &err) != 0)
        goto out;
    ctx.config = &cfg;
    ctx.settings = &s;
    ec_error_clear(&err);
    /* Select the provider the chain would use, and never fetch: fetching
     * could run a fuzzed credential_process or reach the network. */
    (void)ecp_credentials_select(&ctx, &provider, &err);
    ec_error_clear(&err);
    if (!s.region)
        goto out;
    ep = calloc(1, sizeof(*ep));
    if (!ep)
        goto out;
    in.region = s.region;
    in.endpoint_url = s.endpoint_url;
    in.use_fips = s.use_fips;
    in.use_dualstack = s.use_dualstack;
    (void)ecp_endpoint_resolve(&in, ep, &err);
out:
    free(ep);
    ecp_provider_free(provider);
    ecp_settings_free(&s);
    ec_error_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(data, '\0', size);
    size_t cfg_len = nul ? (size_t)(nul - text) : size;
    const char *cred = nul ? nul + 1 : text;
    size_t cred_len = nul ? size - cfg_len - 1 : size;
    ecp_ini ini = {0};
    ec_error err = {0};

    if (ecp_ini_parse(text, cfg_len, "fuzz", &ini, &err) == 0)
        check_lookups(&ini);
    ecp_ini_free(&ini);
    ec_error_clear(&err);
    resolve_all(text, cfg_len, cred, cred_len, size ? data[size - 1] : 0);
    return 0;
}
