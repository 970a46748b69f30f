/*
 * What check_elasticache and elasticache_event_handler both need beyond
 * states and thresholds: the AWS and probe options they share, the Redis
 * AUTH tokens (one, or one per cluster), and probing every node of
 * described clusters in one run.
 */
#ifndef MON_CLUSTER_H
#define MON_CLUSTER_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include <elasticache/elasticache.h>

#include "plan.h"

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
    const char *auth_token_dir; /* a file per cluster, named by its id */
    const char *auth_token_map; /* "CLUSTER_ID TOKEN_FILE" lines */
    const char *auth_user;
    int auth; /* -1: from the cluster's AuthTokenEnabled, 0/1 forced */
    int tls;  /* -1: from TransitEncryptionEnabled/Mode, 0/1 forced */
    const char *probe_ca_bundle;
    bool probe_no_verify;
    /* set by the tool, not an option: Redis probes also ask INFO
     * replication (check_elasticache -G) */
    bool redis_replication;
} mon_common;

#define MON_COMMON_INIT                                                        \
    {                                                                          \
        .tls = -1, .auth = -1                                                  \
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
    MON_OPT_AUTH_TOKEN_DIR,
    MON_OPT_AUTH_TOKEN_MAP,
    MON_OPT_AUTH_USER,
    MON_OPT_AUTH,
    MON_OPT_NO_AUTH,
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
        {"auth-token-dir", required_argument, NULL, MON_OPT_AUTH_TOKEN_DIR},   \
        {"auth-token-map", required_argument, NULL, MON_OPT_AUTH_TOKEN_MAP},   \
        {"auth-user", required_argument, NULL, MON_OPT_AUTH_USER},             \
        {"auth", no_argument, NULL, MON_OPT_AUTH},                             \
        {"no-auth", no_argument, NULL, MON_OPT_NO_AUTH},                       \
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

/* Options that contradict each other (--auth-token-file and -env): -1
 * with the reason. */
int mon_common_check(const mon_common *c, char *why, size_t why_size);

/* Help text for the shared options. */
void mon_common_help(FILE *out);

/* Parse a positive number of seconds ("10", "2.5"). */
int mon_parse_seconds(const char *text, double *out);

/*
 * Redis AUTH tokens: --auth-token-file/--auth-token-env (one token, for
 * -C or for every cluster of --all without its own), --auth-token-dir
 * (DIR/CLUSTER_ID) and --auth-token-map (a file of "CLUSTER_ID TOKEN_FILE"
 * lines). Tokens are read only for clusters that need one, never printed,
 * and wiped after use. A file must be a regular file (a FIFO would block
 * the check until Nagios kills it).
 */
typedef struct mon_token_entry {
    char *cluster_id;
    char *path;
} mon_token_entry;

typedef struct mon_tokens {
    char *single; /* --auth-token-file/env's token, or NULL */
    const char *dir;
    mon_token_entry *map;
    size_t map_count;
} mon_tokens;

/* Read the single token and parse the map: -1 with a reason that never
 * holds a token. Free with mon_tokens_free (which wipes). */
int mon_tokens_load(const mon_common *c, mon_tokens *t, char *why,
                    size_t why_size);

/* The token for cluster `id`: 1 with *token (free with ec_free_secret), 0
 * when none is known, -1 when one should be there and cannot be read. */
int mon_tokens_get(const mon_tokens *t, const char *id, char **token, char *why,
                   size_t why_size);
void mon_tokens_free(mon_tokens *t);

/*
 * Parse an --auth-token-map file's text: one "CLUSTER_ID TOKEN_FILE" per
 * line (blank lines and '#' comments skipped; a relative TOKEN_FILE is
 * relative to `base_dir`). Pure. -1 with the line number in `why`.
 */
int mon_token_map_parse(const char *text, const char *base_dir,
                        mon_token_entry **out, size_t *count, char *why,
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
    mon_node_probe *nodes; /* clusters' nodes in order */
    size_t *first;         /* first[i]..first[i+1]: nodes of cluster i */
    size_t clusters;
    mon_plan *plans;           /* how each cluster was probed */
    ec_probe_results *results; /* the one run's */
    double timeout;            /* each node's probe timeout */
} mon_fleet_probe;

/*
 * Probe every available node with an endpoint of `n` clusters (an array
 * of pointers) in one concurrent run: each cluster's TLS and AUTH planned
 * from the API and the options (mon_plan_cluster), its token from
 * `tokens` (may be NULL); each node gets `timeout`, the whole run
 * `total_timeout` (0: no bound). The soft RLIMIT_NOFILE is raised toward
 * the hard one when the nodes need more descriptors. With c->no_probe
 * nothing is probed and every node says so. `out` must be zeroed; free it
 * with mon_fleet_probe_free. -1 when probing could not be set up, or a
 * token could not be read (err says why, never the token).
 */
int mon_probe_clusters(const ec_cache_cluster *const *clusters, size_t n,
                       const mon_common *c, double timeout,
                       double total_timeout, const mon_tokens *tokens,
                       mon_fleet_probe *out, ec_error *err);
void mon_fleet_probe_free(mon_fleet_probe *p);

/* What one cluster's probes came to (pure; see plan.h for one node). */
typedef struct mon_cluster_reading {
    size_t probed; /* nodes with a reading other than UNPROBED */
    size_t ok, broken, no_connection, busy, misconfigured, unprobed;
    /* every probed node failed to connect at all (timeout, no route): the
     * path to the cluster looks cut, not its nodes */
    bool path_cut;
} mon_cluster_reading;

void mon_cluster_read(const mon_node_probe *probes, size_t count,
                      const mon_plan *plan, mon_cluster_reading *out);

/* The class of one node of a cluster read as a whole: NO_CONNECTION is
 * BROKEN unless the whole cluster's path looks cut. */
mon_node_class mon_cluster_node_class(const mon_cluster_reading *cr,
                                      mon_node_reading nr);

#endif
