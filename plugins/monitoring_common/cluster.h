/*
 * What check_elasticache and elasticache_event_handler both need beyond
 * states and thresholds: the AWS and probe options they share, reading the
 * Redis AUTH token, and probing every node of described clusters.
 */
#ifndef MON_CLUSTER_H
#define MON_CLUSTER_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include <elasticache/elasticache.h>

/* Options shared by both tools (long options only). */
typedef struct mon_common {
    /* reaching the API; NULL: the library's environment/config chain */
    const char *region;
    const char *profile;
    const char *endpoint_url;
    const char *ca_bundle;
    bool no_verify_ssl;
    /* probing the nodes */
    bool no_probe;
    double probe_timeout; /* 0: the tool's default */
    const char *auth_token_file;
    const char *auth_token_env;
    const char *auth_user;
    int tls; /* -1: from the cluster's TransitEncryptionEnabled, 0/1 */
    const char *probe_ca_bundle;
    bool probe_no_verify;
} mon_common;

#define MON_COMMON_INIT                                                        \
    {                                                                          \
        .tls = -1                                                              \
    }

enum {
    MON_OPT_REGION = 1000,
    MON_OPT_PROFILE,
    MON_OPT_ENDPOINT_URL,
    MON_OPT_CA_BUNDLE,
    MON_OPT_NO_VERIFY_SSL,
    MON_OPT_NO_PROBE,
    MON_OPT_PROBE_TIMEOUT,
    MON_OPT_AUTH_TOKEN_FILE,
    MON_OPT_AUTH_TOKEN_ENV,
    MON_OPT_AUTH_USER,
    MON_OPT_TLS,
    MON_OPT_NO_TLS,
    MON_OPT_PROBE_CA_BUNDLE,
    MON_OPT_PROBE_NO_VERIFY,
    MON_OPT_COMMON_END
};

/* struct option entries for getopt_long, to put in a tool's table. */
#define MON_COMMON_LONG_OPTIONS                                                \
    {"region", required_argument, NULL, MON_OPT_REGION},                       \
        {"profile", required_argument, NULL, MON_OPT_PROFILE},                 \
        {"endpoint-url", required_argument, NULL, MON_OPT_ENDPOINT_URL},       \
        {"ca-bundle", required_argument, NULL, MON_OPT_CA_BUNDLE},             \
        {"no-verify-ssl", no_argument, NULL, MON_OPT_NO_VERIFY_SSL},           \
        {"no-probe", no_argument, NULL, MON_OPT_NO_PROBE},                     \
        {"probe-timeout", required_argument, NULL, MON_OPT_PROBE_TIMEOUT},     \
        {"auth-token-file", required_argument, NULL, MON_OPT_AUTH_TOKEN_FILE}, \
        {"auth-token-env", required_argument, NULL, MON_OPT_AUTH_TOKEN_ENV},   \
        {"auth-user", required_argument, NULL, MON_OPT_AUTH_USER},             \
        {"tls", no_argument, NULL, MON_OPT_TLS},                               \
        {"no-tls", no_argument, NULL, MON_OPT_NO_TLS},                         \
        {"probe-ca-bundle", required_argument, NULL, MON_OPT_PROBE_CA_BUNDLE}, \
    {                                                                          \
        "probe-no-verify", no_argument, NULL, MON_OPT_PROBE_NO_VERIFY          \
    }

/* Handle one shared option. Returns 1 when handled, 0 when `id` is not a
 * shared option, -1 when its value is bad (reason in *why). */
int mon_common_option(mon_common *c, int id, const char *arg, const char **why);

/* The client configuration the shared options ask for (region, profile,
 * endpoint, CA bundle, TLS verification); the tool adds its timeouts. */
ec_config mon_client_config(const mon_common *c);

/*
 * getopt_long's answer for argument `name` (argv[optind - 1]) that the
 * tool's own switch does not handle: a shared option (0, handled), or -1
 * with what is wrong in `why`: a bad value, a missing one (':'), an unknown
 * option ('?', or an id no table knows). The same words in both tools.
 */
int mon_common_getopt(mon_common *c, int id, const char *arg, const char *name,
                      char *why, size_t why_size);

/* Help text for the shared options. */
void mon_common_help(FILE *out);

/* Parse a positive number of seconds ("10", "2.5"). */
int mon_parse_seconds(const char *text, double *out);

/*
 * Read the Redis AUTH token named by --auth-token-file (first line, without
 * its line end) or --auth-token-env. *token is NULL when neither was
 * given; free it with ec_free_secret(). -1 with a reason that never holds
 * the token.
 */
int mon_load_auth_token(const mon_common *c, char **token, char *why,
                        size_t why_size);

/* What a node's probe came to. */
typedef struct mon_node_probe {
    size_t cluster;                /* index of its cluster */
    const ec_cache_node *node;     /* borrowed from the cluster */
    bool probed;                   /* false: see `skipped` */
    char skipped[64];              /* why it was not probed */
    const ec_probe_result *result; /* set when probed; owned by the fleet */
} mon_node_probe;

typedef struct mon_fleet_probe {
    size_t count;
    mon_node_probe *nodes;     /* clusters' nodes in order */
    size_t *first;             /* first[i]..first[i+1]: nodes of cluster i */
    ec_probe_results *runs[4]; /* one per (engine, TLS) group probed */
} mon_fleet_probe;

/*
 * Probe every available node with an endpoint of `n` clusters (an array of
 * pointers) in parallel (one ec_probe_nodes call per engine and TLS
 * setting). With c->no_probe nothing is probed and every node says so.
 * `token` is borrowed. `out` must be zeroed; free it with
 * mon_fleet_probe_free.
 */
int mon_probe_clusters(const ec_cache_cluster *const *clusters, size_t n,
                       const mon_common *c, double timeout, const char *token,
                       mon_fleet_probe *out, ec_error *err);
void mon_fleet_probe_free(mon_fleet_probe *p);

/* Which protocol a cluster's engine speaks; -1 for an unknown engine. */
int mon_probe_kind(const ec_cache_cluster *cluster, ec_probe_kind *kind);

#endif
