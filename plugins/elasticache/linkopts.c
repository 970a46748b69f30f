/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The replica link check's options, shared by reboot-replication-group and
 * reboot-cache-cluster (cli.h, CLI_LINK_OPT_DEFS): the TLS and AUTH of each
 * probed member as the monitoring tools decide them (monitoring_common's
 * mon_plan_cluster and mon_tokens, through linkcheck.h), forced by the
 * options when given.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "linkcheck.h"

/* Each probe's timeout when --probe-timeout is not given, as the event
 * handler's. */
#define LINK_PROBE_TIMEOUT_DEFAULT 5.0

static const cli_opt link_opts[CLI_LINK_COUNT] = {CLI_LINK_OPT_DEFS};

bool cli_link_verify(const cli_val *lo)
{
    return !(lo[CLI_LINK_VERIFY].seen && !lo[CLI_LINK_VERIFY].flag);
}

int cli_link_check_args(const cli_val *lo)
{
    if (!cli_link_verify(lo))
        for (size_t i = CLI_LINK_VERIFY + 1; i < CLI_LINK_COUNT; i++)
            if (lo[i].seen)
                return cli_usage_error(
                    "argument %s: not allowed with --no-verify-replica-link "
                    "(no node is probed)",
                    lo[i].flag || !link_opts[i].no_name ? link_opts[i].name
                                                        : link_opts[i].no_name);
    if (lo[CLI_LINK_TOKEN_FILE].seen && lo[CLI_LINK_TOKEN_ENV].seen)
        return cli_usage_error("argument --auth-token-env: not allowed with "
                               "argument --auth-token-file");
    if (lo[CLI_LINK_PROBE_TIMEOUT].seen && lo[CLI_LINK_PROBE_TIMEOUT].dval <= 0)
        return cli_usage_error("argument --probe-timeout: must be more than 0");
    return 0;
}

/*
 * Every member's TLS and AUTH planned from the API, unless forced, and
 * every probed member's node probed once before anything is rebooted. A
 * member that cannot be verified refuses the run (252) with the fix named:
 * the API's `available` is no proof that a replica has synced, so the run
 * does not go on without the probe (fail closed).
 */
int cli_link_prepare(const cli_val *lo, ec_client *client, const char *group_id,
                     const char *only_member, struct mon_link_verifier *v)
{
    mon_common c = MON_COMMON_INIT;
    mon_tokens tokens;
    ec_error err;
    char why[1024];
    double timeout = lo[CLI_LINK_PROBE_TIMEOUT].seen
                         ? lo[CLI_LINK_PROBE_TIMEOUT].dval
                         : LINK_PROBE_TIMEOUT_DEFAULT;
    int rc = 0;

    memset(&tokens, 0, sizeof(tokens));
    ec_error_clear(&err);
    c.auth_token_file = lo[CLI_LINK_TOKEN_FILE].str;
    c.auth_token_env = lo[CLI_LINK_TOKEN_ENV].str;
    c.auth_user = lo[CLI_LINK_AUTH_USER].str;
    c.auth = lo[CLI_LINK_AUTH].seen ? lo[CLI_LINK_AUTH].flag : -1;
    c.tls = lo[CLI_LINK_TLS].seen ? lo[CLI_LINK_TLS].flag : -1;
    c.probe_ca_bundle = lo[CLI_LINK_PROBE_CA_BUNDLE].str;
    c.probe_no_verify = lo[CLI_LINK_PROBE_NO_VERIFY].seen;
    if (mon_tokens_load(&c, &tokens, why, sizeof(why)) != 0)
        return cli_usage_error("%s", why);
    switch (mon_link_prepare(client, group_id, only_member, &c, &tokens,
                             timeout, v, &err, why, sizeof(why))) {
    case MON_LINK_OK:
        break;
    case MON_LINK_REFUSED:
        if (only_member)
            fprintf(stderr,
                    "\nCluster %s was not rebooted (nothing was changed): "
                    "%s\n",
                    only_member, why);
        else
            fprintf(stderr,
                    "\nReplication group %s was not rebooted (nothing was "
                    "changed): %s\n",
                    group_id, why);
        rc = CLI_EXIT_USAGE;
        break;
    case MON_LINK_API:
        rc = cli_report_error(&err);
        break;
    case MON_LINK_SETUP:
        fprintf(stderr, "\n%s\n", why);
        rc = CLI_EXIT_OTHER;
        break;
    }
    mon_tokens_free(&tokens);
    return rc;
}
