/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Verifying a replication group's replica links over the wire during a
 * rolling reboot (`elasticache reboot-replication-group`), with the TLS and
 * AUTH decisions the monitoring tools make (mon_plan_cluster, mon_tokens):
 * one code path, so that the reboot and the check never probe a member
 * differently.
 *
 * The API has no signal for "this replica holds the whole dataset": a
 * rebooted replica reads `available` before its full sync from the primary
 * has begun, and promoting it then loses every key. So the reboot, by
 * default, waits after each replica's reboot and before moving the primary
 * until the replica's INFO replication shows master_link_status:up and
 * master_sync_in_progress:0. It fails closed: a member that cannot be
 * probed (unreachable from this host, AUTH needed and no token, TLS
 * wrong) refuses the run before anything is rebooted.
 */
#ifndef MON_LINKCHECK_H
#define MON_LINKCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <elasticache/elasticache.h>

#include "cluster.h"

typedef struct mon_link_member {
    char *cluster_id;
    ec_probe_options opts; /* its TLS/AUTH; auth_token points at `token` */
    char *token;           /* owned, wiped on free; NULL: none */
    mon_plan plan;
} mon_link_member;

typedef struct mon_link_verifier {
    /* Set by the caller before mon_link_prepare, for the messages: how
     * its users give a token and opt out (NULL: the CLI's options). */
    const char *token_option;   /* "--auth-token-file FILE or ..." */
    const char *opt_out_option; /* "--no-verify-replica-link" */
    mon_link_member *members;
    size_t count;
    double timeout; /* each probe's */
    /* What the last probe that did not pass saw (never a secret). */
    char last[256];
    size_t probes; /* probes made by the hook */
} mon_link_verifier;

/* Why mon_link_prepare failed. */
typedef enum mon_link_failure {
    MON_LINK_OK = 0,
    MON_LINK_REFUSED, /* a member cannot be verified: `why` names the fix */
    MON_LINK_API,     /* the describe calls failed: *err */
    MON_LINK_SETUP    /* a token or the probe could not be set up: `why` */
} mon_link_failure;

/*
 * Describe group `group_id` and each member cluster (with its node), plan
 * each member's probe (TLS and AUTH from its TransitEncryptionEnabled/Mode
 * and AuthTokenEnabled unless `c` forces them; its token from `tokens`),
 * then probe every member's node once (PING, INFO replication) within
 * `timeout` seconds: every one must answer. A group with cluster mode
 * enabled, or not found, is left to the reboot (MON_LINK_OK with no
 * members: it refuses such groups with its own message). With
 * `only_member` (one member cluster rebooted by itself) only that member
 * is prepared, and only when the group says it is a replica (MON_LINK_OK
 * with no members otherwise: a primary has no link to verify). `v` must
 * be zeroed; free with mon_link_verifier_free (also after a failure).
 */
mon_link_failure mon_link_prepare(ec_client *client, const char *group_id,
                                  const char *only_member, const mon_common *c,
                                  const mon_tokens *tokens, double timeout,
                                  mon_link_verifier *v, ec_error *err,
                                  char *why, size_t why_size);

/* The ec_node_probe_fn to pass with `v` as userdata: ANSWERS is a PING
 * answered with PONG, REPLICA_LINK is INFO replication saying role:slave,
 * master_link_status:up and master_sync_in_progress:0. A member not
 * prepared never passes. The decision on INFO replication is the
 * library's (ec_redis_replica_synced). */
bool mon_link_probe(void *userdata, const ec_node_probe *probe);

void mon_link_verifier_free(mon_link_verifier *v);

#endif
