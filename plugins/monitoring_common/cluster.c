/* SPDX-License-Identifier: Apache-2.0 */
/* Shared options, the AUTH token, and probing described clusters' nodes
 * for both monitoring tools. */
#include "cluster.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/resource.h>
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
    case MON_OPT_AUTH_TOKEN_DIR:
        c->auth_token_dir = arg;
        return 1;
    case MON_OPT_AUTH_TOKEN_MAP:
        c->auth_token_map = arg;
        return 1;
    case MON_OPT_AUTH_USER:
        c->auth_user = arg;
        return 1;
    case MON_OPT_AUTH:
        c->auth = 1;
        return 1;
    case MON_OPT_NO_AUTH:
        c->auth = 0;
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

int mon_common_check(const mon_common *c, char *why, size_t why_size)
{
    if (c->auth_token_file && c->auth_token_env) {
        snprintf(why, why_size,
                 "give --auth-token-file or --auth-token-env, not both");
        return -1;
    }
    if (c->auth_token_dir && c->auth_token_map) {
        snprintf(why, why_size,
                 "give --auth-token-dir or --auth-token-map, not both");
        return -1;
    }
    return 0;
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
        "  --auth-token-dir DIR   a token per cluster: first line of "
        "DIR/CLUSTER_ID\n"
        "  --auth-token-map FILE  a token per cluster: lines \"CLUSTER_ID "
        "TOKEN_FILE\"\n"
        "  --auth-user NAME       Redis 6+ ACL (RBAC) user name for AUTH "
        "(implies AUTH)\n"
        "  --auth / --no-auth     send AUTH or not (default: where the "
        "cluster says\n"
        "                         AuthTokenEnabled)\n"
        "  --tls / --no-tls       TLS to the nodes (default: the cluster's "
        "TransitEncryptionEnabled;\n"
        "                         TransitEncryptionMode preferred accepts "
        "both)\n"
        "  --probe-ca-bundle FILE CA certificates for the nodes' TLS\n"
        "  --probe-no-verify      do not verify the nodes' TLS certificates\n"
        "A token is never accepted on the command line (it would show in "
        "ps), never\n"
        "printed, and read only for the clusters that need one. A forced "
        "--tls, --no-tls\n"
        "or --auth that contradicts the cluster's settings is reported as "
        "the setting\n"
        "to fix, never as a dead node.\n",
        out);
}

/* The first line of a regular file, without its line end, into a new
 * string. Never blocks: a FIFO or a device is refused. */
static int read_token_file(const char *path, const char *what, char **token,
                           char *why, size_t why_size)
{
    char buf[4100];
    struct stat st;
    size_t len;
    ssize_t n;
    int fd, ret = -1;

    *token = NULL;
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        snprintf(why, why_size, "cannot read %s %s: %s", what, path,
                 strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, why_size, "%s %s is not a regular file", what, path);
        goto out;
    }
    n = read(fd, buf, sizeof(buf) - 1);
    if (n < 0) {
        snprintf(why, why_size, "cannot read %s %s: %s", what, path,
                 strerror(errno));
        goto out;
    }
    buf[n] = '\0';
    len = strcspn(buf, "\r\n");
    buf[len] = '\0';
    if (len == 0) {
        snprintf(why, why_size, "%s %s has an empty first line", what, path);
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
    close(fd);
    return ret;
}

/* The single token of --auth-token-env or --auth-token-file. */
static int load_single(const mon_common *c, char **token, char *why,
                       size_t why_size)
{
    *token = NULL;
    if (c->auth_token_env) {
        const char *v = getenv(c->auth_token_env);

        if (!v || !v[0]) {
            snprintf(why, why_size,
                     "environment variable %s (--auth-token-env) is not set",
                     c->auth_token_env);
            return -1;
        }
        *token = strdup(v);
        if (!*token) {
            snprintf(why, why_size, "out of memory");
            return -1;
        }
        return 0;
    }
    if (!c->auth_token_file)
        return 0;
    return read_token_file(c->auth_token_file, "--auth-token-file", token, why,
                           why_size);
}

static void free_map(mon_token_entry *map, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(map[i].cluster_id);
        free(map[i].path);
    }
    free(map);
}

/* The next blank-separated word of s, terminated in place; *rest is what
 * follows it. NULL when there is none. */
static char *next_word(char *s, char **rest)
{
    char *w;

    s += strspn(s, " \t");
    if (!*s) {
        *rest = s;
        return NULL;
    }
    w = s;
    s += strcspn(s, " \t");
    if (*s)
        *s++ = '\0';
    *rest = s;
    return w;
}

int mon_token_map_parse(const char *text, const char *base_dir,
                        mon_token_entry **out, size_t *count, char *why,
                        size_t why_size)
{
    mon_token_entry *map = NULL;
    size_t n = 0, line_no = 0;
    const char *p = text;

    *out = NULL;
    *count = 0;
    while (p && *p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[1024], *id, *path, *rest;
        mon_token_entry *grown;

        line_no++;
        if (len >= sizeof(line)) {
            snprintf(why, why_size, "line %zu is too long", line_no);
            goto fail;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p = eol ? eol + 1 : p + len;
        line[strcspn(line, "#\r")] = '\0';
        id = next_word(line, &rest);
        if (!id)
            continue;
        path = next_word(rest, &rest);
        if (!path || next_word(rest, &rest)) {
            snprintf(why, why_size, "line %zu: want \"CLUSTER_ID TOKEN_FILE\"",
                     line_no);
            goto fail;
        }
        grown = realloc(map, (n + 1) * sizeof(*map));
        if (!grown) {
            snprintf(why, why_size, "out of memory");
            goto fail;
        }
        map = grown;
        map[n].cluster_id = strdup(id);
        if (path[0] == '/' || !base_dir || !base_dir[0]) {
            map[n].path = strdup(path);
        } else {
            size_t sz = strlen(base_dir) + strlen(path) + 2;

            map[n].path = malloc(sz);
            if (map[n].path)
                snprintf(map[n].path, sz, "%s/%s", base_dir, path);
        }
        n++;
        if (!map[n - 1].cluster_id || !map[n - 1].path) {
            snprintf(why, why_size, "out of memory");
            goto fail;
        }
    }
    *out = map;
    *count = n;
    return 0;
fail:
    free_map(map, n);
    return -1;
}

/* The map file's text (it holds paths, not tokens). */
static int load_map(const char *path, mon_token_entry **map, size_t *count,
                    char *why, size_t why_size)
{
    char text[65536], dir[4096], line_why[128];
    struct stat st;
    ssize_t n;
    char *slash;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

    if (fd < 0) {
        snprintf(why, why_size, "cannot read --auth-token-map %s: %s", path,
                 strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        snprintf(why, why_size, "--auth-token-map %s is not a regular file",
                 path);
        return -1;
    }
    n = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (n < 0 || (size_t)n >= sizeof(text) - 1) {
        snprintf(why, why_size, "cannot read --auth-token-map %s: %s", path,
                 n < 0 ? strerror(errno) : "larger than 64 KiB");
        return -1;
    }
    text[n] = '\0';
    snprintf(dir, sizeof(dir), "%s", path);
    slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof(dir), ".");
    if (mon_token_map_parse(text, dir, map, count, line_why,
                            sizeof(line_why)) != 0) {
        snprintf(why, why_size, "--auth-token-map %s: %s", path, line_why);
        return -1;
    }
    return 0;
}

int mon_tokens_load(const mon_common *c, mon_tokens *t, char *why,
                    size_t why_size)
{
    memset(t, 0, sizeof(*t));
    if (mon_common_check(c, why, why_size) != 0)
        return -1;
    if (load_single(c, &t->single, why, why_size) != 0)
        return -1;
    t->dir = c->auth_token_dir;
    if (c->auth_token_dir) {
        struct stat st;

        if (stat(c->auth_token_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            snprintf(why, why_size, "--auth-token-dir %s is not a directory",
                     c->auth_token_dir);
            mon_tokens_free(t);
            return -1;
        }
    }
    if (c->auth_token_map && load_map(c->auth_token_map, &t->map, &t->map_count,
                                      why, why_size) != 0) {
        mon_tokens_free(t);
        return -1;
    }
    return 0;
}

/* A cluster id from the API used as a file name: only what ids are made
 * of (letters, digits, hyphens), never a path. */
static bool plain_id(const char *id)
{
    if (!id || !id[0] || strlen(id) > 255)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return false;
    return true;
}

int mon_tokens_get(const mon_tokens *t, const char *id, char **token, char *why,
                   size_t why_size)
{
    *token = NULL;
    if (!t)
        return 0;
    for (size_t i = 0; id && i < t->map_count; i++)
        if (strcasecmp(t->map[i].cluster_id, id) == 0)
            return read_token_file(t->map[i].path, "--auth-token-map file",
                                   token, why, why_size) == 0
                       ? 1
                       : -1;
    if (t->dir && plain_id(id)) {
        char path[4096];
        struct stat st;

        snprintf(path, sizeof(path), "%s/%s", t->dir, id);
        if (stat(path, &st) == 0)
            return read_token_file(path, "--auth-token-dir file", token, why,
                                   why_size) == 0
                       ? 1
                       : -1;
    }
    if (t->single) {
        *token = strdup(t->single);
        if (!*token) {
            snprintf(why, why_size, "out of memory");
            return -1;
        }
        return 1;
    }
    return 0;
}

void mon_tokens_free(mon_tokens *t)
{
    if (!t)
        return;
    ec_free_secret(t->single);
    free_map(t->map, t->map_count);
    memset(t, 0, sizeof(*t));
}

void mon_fleet_probe_free(mon_fleet_probe *p)
{
    if (!p)
        return;
    free(p->nodes);
    free(p->first);
    free(p->plans);
    ec_probe_results_free(p->results);
    memset(p, 0, sizeof(*p));
}

/* Raise the soft limit on descriptors toward the hard one when `want`
 * probes (plus what a process has open) need more: a fleet check wants
 * every node probed at once. A failure is not worth stopping for: the
 * library then probes in a sliding window. */
static void raise_nofile(size_t want)
{
    struct rlimit rl;
    rlim_t need = (rlim_t)want + 256;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
        rl.rlim_cur >= need)
        return;
    rl.rlim_cur =
        rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &rl);
}

/* Which nodes are probed; those that are not say why. */
static void mark_nodes(const ec_cache_cluster *const *clusters, size_t n,
                       const mon_common *c, mon_fleet_probe *out)
{
    for (size_t i = 0, k = 0; i < n; i++) {
        out->first[i] = k;
        for (size_t j = 0; j < clusters[i]->cache_nodes.count; j++, k++) {
            mon_node_probe *np = &out->nodes[k];
            const ec_cache_node *node = clusters[i]->cache_nodes.items[j];

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
            else if (!out->plans[i].probeable)
                snprintf(np->skipped, sizeof(np->skipped),
                         "not probed (engine %s)",
                         clusters[i]->engine ? clusters[i]->engine : "unknown");
            else
                np->probed = true;
        }
        out->first[i + 1] = k;
    }
}

/* Plan each cluster; read the tokens of those that send AUTH. */
static int plan_clusters(const ec_cache_cluster *const *clusters, size_t n,
                         const mon_common *c, const mon_tokens *tokens,
                         mon_plan *plans, char **token_of, ec_error *err)
{
    for (size_t i = 0; i < n; i++) {
        mon_plan_options po = {c->tls, c->auth, c->auth_user != NULL, false};
        char why[512];
        int got;

        mon_plan_cluster(clusters[i], &po, &plans[i]);
        if (c->no_probe || !plans[i].token_missing)
            continue; /* no AUTH wanted */
        got = mon_tokens_get(tokens, clusters[i]->cache_cluster_id,
                             &token_of[i], why, sizeof(why));
        if (got < 0) {
            if (err && err->code == EC_OK) {
                err->code = EC_ERR_IO;
                snprintf(err->message, sizeof(err->message), "%s", why);
            }
            return -1;
        }
        po.have_token = got == 1;
        mon_plan_cluster(clusters[i], &po, &plans[i]);
    }
    return 0;
}

static void nomem(ec_error *err)
{
    if (err && err->code == EC_OK) {
        err->code = EC_ERR_NOMEM;
        snprintf(err->message, sizeof(err->message), "out of memory");
    }
}

int mon_probe_clusters(const ec_cache_cluster *const *clusters, size_t n,
                       const mon_common *c, double timeout,
                       double total_timeout, const mon_tokens *tokens,
                       mon_fleet_probe *out, ec_error *err)
{
    ec_probe_options call = EC_PROBE_OPTIONS_INIT;
    ec_probe_options *opts = NULL;
    ec_probe_target *targets = NULL;
    const ec_probe_target **target_ptrs = NULL;
    size_t *index = NULL; /* targets[j] is out->nodes[index[j]] */
    char **token_of = NULL;
    size_t total = 0, want = 0, m = 0;
    int ret = -1;

    for (size_t i = 0; i < n; i++)
        total += clusters[i]->cache_nodes.count;
    out->first = calloc(n + 1, sizeof(*out->first));
    out->nodes = calloc(total ? total : 1, sizeof(*out->nodes));
    out->plans = calloc(n ? n : 1, sizeof(*out->plans));
    token_of = calloc(n ? n : 1, sizeof(*token_of));
    if (!out->first || !out->nodes || !out->plans || !token_of) {
        nomem(err);
        goto out;
    }
    out->count = total;
    out->clusters = n;
    out->timeout = timeout;
    if (plan_clusters(clusters, n, c, tokens, out->plans, token_of, err) != 0)
        goto out;
    mark_nodes(clusters, n, c, out);
    for (size_t k = 0; k < total; k++)
        want += out->nodes[k].probed ? 1 : 0;
    if (want == 0) { /* --no-probe, or nothing probeable */
        ret = 0;
        goto out;
    }
    /* The probe run's scratch, for the probed nodes only: --no-probe over
     * a large fleet allocates none of it (it was at the check's peak). */
    opts = calloc(n, sizeof(*opts));
    targets = calloc(want, sizeof(*targets));
    target_ptrs = calloc(want, sizeof(*target_ptrs));
    index = calloc(want, sizeof(*index));
    if (!opts || !targets || !target_ptrs || !index) {
        nomem(err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        ec_probe_options *po = &opts[i];
        const mon_plan *pl = &out->plans[i];

        *po = (ec_probe_options)EC_PROBE_OPTIONS_INIT;
        po->kind = pl->kind;
        po->timeout = timeout;
        po->tls = pl->tls;
        po->tls_no_verify = c->probe_no_verify;
        po->ca_bundle = c->probe_ca_bundle;
        po->auth_token = pl->auth ? token_of[i] : NULL;
        po->auth_user = pl->auth ? c->auth_user : NULL;
        po->redis_replication =
            c->redis_replication && pl->kind == EC_PROBE_REDIS;
    }
    for (size_t k = 0; k < total; k++) {
        mon_node_probe *np = &out->nodes[k];

        if (!np->probed)
            continue;
        targets[m] = (ec_probe_target)EC_PROBE_TARGET_INIT;
        targets[m].node_id = np->node->cache_node_id;
        targets[m].host = np->node->endpoint->address;
        targets[m].port = (int)np->node->endpoint->port.value;
        targets[m].options = &opts[np->cluster];
        target_ptrs[m] = &targets[m];
        index[m++] = k;
    }
    /* One run for every node of every cluster, one deadline. */
    call.kind = EC_PROBE_REDIS;
    call.timeout = timeout;
    call.total_timeout = total_timeout;
    if (m > 0) {
        raise_nofile(m);
        if (ec_probe_nodes(target_ptrs, m, &call, &out->results, err) != 0)
            goto out;
        for (size_t j = 0; j < m; j++)
            out->nodes[index[j]].result = out->results->items[j];
    }
    ret = 0;
out:
    for (size_t i = 0; token_of && i < n; i++)
        ec_free_secret(token_of[i]);
    free(token_of);
    free(opts);
    free(targets);
    free(target_ptrs);
    free(index);
    if (ret != 0)
        mon_fleet_probe_free(out);
    return ret;
}
