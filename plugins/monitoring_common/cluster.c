/* Shared options, the AUTH token, and probing described clusters' nodes
 * for both monitoring tools. */
#include "cluster.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int mon_parse_seconds(const char *text, double *out)
{
    char *end = NULL;
    double v;

    if (!text || !text[0] || strspn(text, "0123456789.") != strlen(text))
        return -1;
    errno = 0;
    v = strtod(text, &end);
    if (errno || *end || !isfinite(v) || v <= 0 || v > 86400)
        return -1;
    *out = v;
    return 0;
}

int mon_common_option(mon_common *c, int id, const char *arg, const char **why)
{
    switch (id) {
    case MON_OPT_REGION:
        c->region = arg;
        return 1;
    case MON_OPT_PROFILE:
        c->profile = arg;
        return 1;
    case MON_OPT_ENDPOINT_URL:
        c->endpoint_url = arg;
        return 1;
    case MON_OPT_CA_BUNDLE:
        c->ca_bundle = arg;
        return 1;
    case MON_OPT_NO_VERIFY_SSL:
        c->no_verify_ssl = true;
        return 1;
    case MON_OPT_NO_PROBE:
        c->no_probe = true;
        return 1;
    case MON_OPT_PROBE_TIMEOUT:
        if (mon_parse_seconds(arg, &c->probe_timeout) != 0) {
            *why = "--probe-timeout wants a positive number of seconds";
            return -1;
        }
        return 1;
    case MON_OPT_AUTH_TOKEN_FILE:
        c->auth_token_file = arg;
        return 1;
    case MON_OPT_AUTH_TOKEN_ENV:
        c->auth_token_env = arg;
        return 1;
    case MON_OPT_AUTH_USER:
        c->auth_user = arg;
        return 1;
    case MON_OPT_TLS:
        c->tls = 1;
        return 1;
    case MON_OPT_NO_TLS:
        c->tls = 0;
        return 1;
    case MON_OPT_PROBE_CA_BUNDLE:
        c->probe_ca_bundle = arg;
        return 1;
    case MON_OPT_PROBE_NO_VERIFY:
        c->probe_no_verify = true;
        return 1;
    default:
        return 0;
    }
}

int mon_common_getopt(mon_common *c, int id, const char *arg, const char *name,
                      char *why, size_t why_size)
{
    const char *bad = NULL;
    int r;

    if (id == ':') {
        snprintf(why, why_size, "option %s needs a value", name);
        return -1;
    }
    r = id == '?' ? 0 : mon_common_option(c, id, arg, &bad);
    if (r > 0)
        return 0;
    if (r < 0)
        snprintf(why, why_size, "%s", bad);
    else
        snprintf(why, why_size, "unknown option %s", name);
    return -1;
}

ec_config mon_client_config(const mon_common *c)
{
    ec_config cfg = EC_CONFIG_INIT;

    cfg.region = c->region;
    cfg.profile = c->profile;
    cfg.endpoint_url = c->endpoint_url;
    cfg.ca_bundle = c->ca_bundle;
    cfg.no_verify_ssl = c->no_verify_ssl;
    return cfg;
}

void mon_common_help(FILE *out)
{
    fputs(
        "Reaching the ElastiCache API (same settings and environment as the "
        "AWS CLI):\n"
        "  --region REGION        AWS region (else AWS_REGION, "
        "AWS_DEFAULT_REGION, config)\n"
        "  --profile NAME         shared config/credentials profile\n"
        "  --endpoint-url URL     API endpoint instead of the region's\n"
        "  --ca-bundle FILE       CA certificates for the API endpoint\n"
        "  --no-verify-ssl        do not verify the API endpoint's "
        "certificate\n"
        "Probing the cache nodes (from the API's CacheNodes[].Endpoint):\n"
        "  --no-probe             do not connect to the nodes (monitoring host "
        "outside the VPC)\n"
        "  --probe-timeout SECS   per-node probe timeout, all nodes in "
        "parallel\n"
        "                         (check: half of -t; event handler: 5)\n"
        "  --auth-token-file FILE Redis AUTH token: first line of FILE\n"
        "  --auth-token-env NAME  Redis AUTH token: environment variable NAME\n"
        "  --auth-user NAME       Redis 6+ ACL user name for AUTH\n"
        "  --tls / --no-tls       TLS to the nodes (default: the cluster's "
        "TransitEncryptionEnabled)\n"
        "  --probe-ca-bundle FILE CA certificates for the nodes' TLS\n"
        "  --probe-no-verify      do not verify the nodes' TLS certificates\n"
        "The AUTH token is never accepted on the command line (it would show "
        "in ps)\n"
        "and is never printed.\n",
        out);
}

int mon_load_auth_token(const mon_common *c, char **token, char *why,
                        size_t why_size)
{
    char buf[4100];
    size_t len = 0;
    FILE *f = NULL;
    int ret = -1;

    *token = NULL;
    if (c->auth_token_file && c->auth_token_env) {
        snprintf(why, why_size,
                 "give --auth-token-file or --auth-token-env, not both");
        goto out;
    }
    if (c->auth_token_env) {
        const char *v = getenv(c->auth_token_env);

        if (!v || !v[0]) {
            snprintf(why, why_size,
                     "environment variable %s (--auth-token-env) is not set",
                     c->auth_token_env);
            goto out;
        }
        *token = strdup(v);
        if (!*token) {
            snprintf(why, why_size, "out of memory");
            goto out;
        }
        ret = 0;
        goto out;
    }
    if (!c->auth_token_file) {
        ret = 0;
        goto out;
    }
    f = fopen(c->auth_token_file, "re");
    if (!f) {
        snprintf(why, why_size, "cannot read --auth-token-file %s: %s",
                 c->auth_token_file, strerror(errno));
        goto out;
    }
    if (!fgets(buf, sizeof(buf), f)) {
        snprintf(why, why_size, "--auth-token-file %s is empty",
                 c->auth_token_file);
        goto out;
    }
    len = strcspn(buf, "\r\n");
    buf[len] = '\0';
    if (len == 0) {
        snprintf(why, why_size, "--auth-token-file %s has an empty first line",
                 c->auth_token_file);
        goto out;
    }
    *token = strdup(buf);
    if (!*token) {
        snprintf(why, why_size, "out of memory");
        goto out;
    }
    ret = 0;
out:
    ec_wipe(buf, sizeof(buf));
    if (f)
        fclose(f);
    return ret;
}

int mon_probe_kind(const ec_cache_cluster *cluster, ec_probe_kind *kind)
{
    const char *e = cluster->engine ? cluster->engine : "";

    if (strcasecmp(e, "memcached") == 0) {
        *kind = EC_PROBE_MEMCACHED;
        return 0;
    }
    /* Valkey speaks RESP like Redis. */
    if (strcasecmp(e, "redis") == 0 || strcasecmp(e, "valkey") == 0) {
        *kind = EC_PROBE_REDIS;
        return 0;
    }
    return -1;
}

static bool cluster_tls(const ec_cache_cluster *cl, const mon_common *c)
{
    if (c->tls >= 0)
        return c->tls == 1;
    return cl->transit_encryption_enabled.set &&
           cl->transit_encryption_enabled.value;
}

void mon_fleet_probe_free(mon_fleet_probe *p)
{
    if (!p)
        return;
    free(p->nodes);
    free(p->first);
    for (size_t i = 0; i < sizeof(p->runs) / sizeof(p->runs[0]); i++)
        ec_probe_results_free(p->runs[i]);
    memset(p, 0, sizeof(*p));
}

int mon_probe_clusters(const ec_cache_cluster *const *clusters, size_t n,
                       const mon_common *c, double timeout, const char *token,
                       mon_fleet_probe *out, ec_error *err)
{
    ec_probe_target *targets = NULL;
    const ec_probe_target **target_ptrs = NULL;
    size_t *index = NULL; /* targets[j] is out->nodes[index[j]] */
    size_t total = 0, runs = 0;
    int ret = -1;

    for (size_t i = 0; i < n; i++)
        total += clusters[i]->cache_nodes.count;
    out->first = calloc(n + 1, sizeof(*out->first));
    out->nodes = calloc(total ? total : 1, sizeof(*out->nodes));
    targets = calloc(total ? total : 1, sizeof(*targets));
    target_ptrs = calloc(total ? total : 1, sizeof(*target_ptrs));
    index = calloc(total ? total : 1, sizeof(*index));
    if (!out->first || !out->nodes || !targets || !target_ptrs || !index) {
        if (err && err->code == EC_OK) {
            err->code = EC_ERR_NOMEM;
            snprintf(err->message, sizeof(err->message), "out of memory");
        }
        goto out;
    }
    out->count = total;
    for (size_t i = 0, k = 0; i < n; i++) {
        out->first[i] = k;
        for (size_t j = 0; j < clusters[i]->cache_nodes.count; j++, k++) {
            mon_node_probe *np = &out->nodes[k];
            const ec_cache_node *node = clusters[i]->cache_nodes.items[j];
            ec_probe_kind kind;

            np->cluster = i;
            np->node = node;
            if (c->no_probe)
                snprintf(np->skipped, sizeof(np->skipped), "not probed");
            else if (!node->cache_node_status ||
                     strcmp(node->cache_node_status, "available") != 0)
                snprintf(np->skipped, sizeof(np->skipped), "not probed (%s)",
                         node->cache_node_status ? node->cache_node_status
                                                 : "no status");
            else if (!node->endpoint || !node->endpoint->address ||
                     !node->endpoint->port.set)
                snprintf(np->skipped, sizeof(np->skipped),
                         "not probed (no endpoint)");
            else if (mon_probe_kind(clusters[i], &kind) != 0)
                snprintf(np->skipped, sizeof(np->skipped),
                         "not probed (engine %s)",
                         clusters[i]->engine ? clusters[i]->engine : "unknown");
            else
                np->probed = true;
        }
        out->first[i + 1] = k;
    }
    /* One parallel run per (engine, TLS) group. */
    for (int kind = EC_PROBE_REDIS; kind <= EC_PROBE_MEMCACHED; kind++) {
        for (int tls = 0; tls <= 1; tls++) {
            ec_probe_options po = EC_PROBE_OPTIONS_INIT;
            ec_probe_results *results;
            size_t m = 0;

            for (size_t k = 0; k < total; k++) {
                mon_node_probe *np = &out->nodes[k];
                const ec_cache_cluster *cl = clusters[np->cluster];
                ec_probe_kind nk;

                if (!np->probed || mon_probe_kind(cl, &nk) != 0 ||
                    (int)nk != kind || (int)cluster_tls(cl, c) != tls)
                    continue;
                targets[m] = (ec_probe_target)EC_PROBE_TARGET_INIT;
                targets[m].node_id = np->node->cache_node_id;
                targets[m].host = np->node->endpoint->address;
                targets[m].port = (int)np->node->endpoint->port.value;
                target_ptrs[m] = &targets[m];
                index[m++] = k;
            }
            if (m == 0)
                continue;
            po.kind = (ec_probe_kind)kind;
            po.timeout = timeout;
            po.auth_token = kind == EC_PROBE_REDIS ? token : NULL;
            po.auth_user = c->auth_user;
            po.tls = tls == 1;
            po.tls_no_verify = c->probe_no_verify;
            po.ca_bundle = c->probe_ca_bundle;
            if (ec_probe_nodes(target_ptrs, m, &po, &results, err) != 0)
                goto out;
            out->runs[runs++] = results;
            for (size_t j = 0; j < m; j++)
                out->nodes[index[j]].result = results->items[j];
        }
    }
    ret = 0;
out:
    free(targets);
    free(target_ptrs);
    free(index);
    if (ret != 0)
        mon_fleet_probe_free(out);
    return ret;
}
