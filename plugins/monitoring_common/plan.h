/*
 * How one cluster's nodes are probed (TLS, AUTH), decided from what the
 * API says of the cluster and what the options force, and what each
 * node's probe then means: a node to reboot, a path that looks cut, or a
 * setting to fix. Pure, table-tested (tests/unit/monitoring/test_plan.c);
 * judge.c (the check) and pick.c (the handler) read nodes only through
 * mon_node_read, so they never disagree.
 */
#ifndef MON_PLAN_H
#define MON_PLAN_H

#include <stdbool.h>

#include <elasticache/elasticache.h>

/* What the API says of the cluster's transit encryption. */
typedef enum mon_api_tls {
    MON_API_TLS_OFF,      /* TransitEncryptionEnabled false or absent */
    MON_API_TLS_REQUIRED, /* enabled, TransitEncryptionMode required/absent */
    MON_API_TLS_PREFERRED /* enabled, mode preferred: TLS and plain text */
} mon_api_tls;

/* -1 from the API, 0 forced off, 1 forced on (--tls/--no-tls, --auth/
 * --no-auth). */
typedef struct mon_plan_options {
    int tls;
    int auth;
    bool auth_user;  /* --auth-user given: an RBAC user, whatever
                        AuthTokenEnabled says */
    bool have_token; /* a token is known for this cluster */
} mon_plan_options;

typedef struct mon_plan {
    bool probeable; /* an engine it can probe */
    ec_probe_kind kind;
    mon_api_tls api_tls;
    bool tls;        /* the probe uses TLS */
    bool tls_forced; /* --tls or --no-tls decided it */
    /* the forced setting contradicts the API: --tls on a cluster without
     * transit encryption, or --no-tls on one that requires it */
    bool tls_contradicts;
    bool api_auth;      /* AuthTokenEnabled */
    bool auth;          /* the probe sends AUTH */
    bool auth_forced;   /* --auth or --no-auth decided it */
    bool token_missing; /* AUTH wanted, no token known */
} mon_plan;

/* Which protocol a cluster's engine speaks (memcached; Redis and Valkey
 * RESP); -1 for an engine it cannot probe. */
int mon_probe_kind(const ec_cache_cluster *cluster, ec_probe_kind *kind);

/* Decide how to probe `cl`. */
void mon_plan_cluster(const ec_cache_cluster *cl, const mon_plan_options *o,
                      mon_plan *out);

/* What a node's probe means. */
typedef enum mon_node_class {
    MON_NODE_OK,            /* answered as expected */
    MON_NODE_UNPROBED,      /* not probed (not available, no endpoint,
                               --no-probe, no time): unknown */
    MON_NODE_BROKEN,        /* refused, reset, closed, or accepted and then
                               silent: a node to reboot */
    MON_NODE_NO_CONNECTION, /* nothing answered the connection at all:
                               broken unless no probed node of the cluster
                               answered either (a cut path) */
    MON_NODE_BUSY,          /* says it is busy (LOADING): WARNING, never
                               rebooted */
    MON_NODE_MISCONFIGURED  /* a setting is wrong (TLS, AUTH, the
                               endpoint): UNKNOWN, never rebooted */
} mon_node_class;

typedef struct mon_node_reading {
    mon_node_class cls;
    /* For BUSY and MISCONFIGURED: what happened, to put before the node
     * ids ("AUTH refused by"), and the setting to fix ("the token is
     * wrong: ..."), or NULL. Static strings. */
    const char *what;
    const char *fix;
} mon_node_reading;

/* Read one node's probe. `probed` false (or a NULL result) is UNPROBED. */
mon_node_reading mon_node_read(bool probed, const ec_probe_result *r,
                               const mon_plan *plan);

/* True when `cls` is a node that did not answer at all. */
bool mon_node_silent(mon_node_class cls);

#endif
