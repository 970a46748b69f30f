/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The client object shared by transport.c (sending) and client.c (the
 * operations). Private: the public header only names `ec_client`.
 */
#ifndef ECP_CLIENT_H
#define ECP_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include <curl/curl.h>

#include "config.h"
#include "credentials.h"
#include "endpoint.h"
#include "sigv4.h"
#include "transport.h"

/* The longest ec_config.user_agent_extra taken. */
#define ECP_USER_AGENT_EXTRA_MAX 512

/* botocore's RetryQuota: a bucket of 500, a retry costs 5 (10 after a
 * timeout), a success gives back what its retry took (or 1). */
#define ECP_RETRY_QUOTA_MAX 500

/* Idle (read) timeout state of the transfer in progress. */
typedef struct ecp_idle {
    double last; /* monotonic seconds when data last moved */
    curl_off_t dlnow;
    curl_off_t ulnow;
    bool fired;
    bool budget_fired; /* the call's limit (ecp_client_set_call_limit) */
} ecp_idle;

struct ec_client {
    ecp_settings settings;
    ecp_endpoint endpoint;
    ecp_provider *credentials; /* the chain's choice, with its cache */
    ecp_io io;                 /* the hooks the providers use */
    ecp_signer *signer;
    CURL *curl; /* one handle: its connection is kept alive */
    char curl_error[CURL_ERROR_SIZE];
    char user_agent[160 + ECP_USER_AGENT_EXTRA_MAX];
    unsigned long request_count;
    unsigned long connect_count; /* new connections opened (all attempts) */
    int retry_quota;
    ecp_idle idle;
    /* The bound of the calls in progress (ecp_client_set_call_limit):
     * seconds, 0 for none, counted from call_began (monotonic). */
    double call_limit;
    double call_began;

    ec_debug_fn debug;
    void *debug_userdata;
    ec_now_fn now;
    ec_sleep_fn sleep;
    void *clock_userdata;
};

/* Set up client->curl from the settings (TLS, timeouts, proxies). */
int ecp_transport_init(ec_client *client, const ec_config *config,
                       ec_error *err);
void ecp_transport_cleanup(ec_client *client);

/*
 * The operations behind the public ec_describe_cache_clusters(_all),
 * ec_reboot_cache_cluster, ec_describe_events(_all),
 * ec_describe_replication_groups(_all) and ec_modify_replication_group,
 * for inputs already
 * imported (abi.h) or built inside the library with their *_INIT macro.
 * `*out` is a new output on success, NULL on failure.
 */
int ecp_describe_cache_clusters(ec_client *client,
                                const ec_describe_cache_clusters_input *in,
                                ec_describe_cache_clusters_output **out,
                                ec_error *err);
int ecp_describe_cache_clusters_all(ec_client *client,
                                    const ec_describe_cache_clusters_input *in,
                                    ec_describe_cache_clusters_output **out,
                                    ec_error *err);
int ecp_reboot_cache_cluster(ec_client *client,
                             const ec_reboot_cache_cluster_input *in,
                             ec_reboot_cache_cluster_output **out,
                             ec_error *err);
int ecp_describe_events(ec_client *client, const ec_describe_events_input *in,
                        ec_describe_events_output **out, ec_error *err);
int ecp_describe_events_all(ec_client *client,
                            const ec_describe_events_input *in,
                            ec_describe_events_output **out, ec_error *err);
int ecp_describe_replication_groups(
    ec_client *client, const ec_describe_replication_groups_input *in,
    ec_describe_replication_groups_output **out, ec_error *err);
int ecp_describe_replication_groups_all(
    ec_client *client, const ec_describe_replication_groups_input *in,
    ec_describe_replication_groups_output **out, ec_error *err);
int ecp_list_tags_for_resource(ec_client *client,
                               const ec_list_tags_for_resource_input *in,
                               ec_list_tags_for_resource_output **out,
                               ec_error *err);
int ecp_modify_replication_group(ec_client *client,
                                 const ec_modify_replication_group_input *in,
                                 ec_modify_replication_group_output **out,
                                 ec_error *err);
/*
 * The answer of an HTTP 2xx to RebootCacheCluster. A body that cannot be
 * read (an HTML page from a proxy, nothing, broken XML) came after the
 * service took the request, so the reboot may well have been accepted:
 * EC_ERR_PARSE with maybe_sent set, a lost answer like a reset (issue 8,
 * item 9), which the safe reboot confirms by describing and never resends.
 */
int ecp_reboot_answer_parse(const char *body, size_t len, size_t max_bytes,
                            ec_reboot_cache_cluster_output **out,
                            ec_error *err);

/* The same rule for an HTTP 2xx to ModifyReplicationGroup: an unreadable
 * body is a lost answer (maybe_sent), confirmed by describing the group,
 * never resent. */
int ecp_modify_answer_parse(const char *body, size_t len, size_t max_bytes,
                            ec_modify_replication_group_output **out,
                            ec_error *err);

/* The credentials to sign the next request with, refreshed when due
 * (see ecp_provider_get). Borrowed until the next call. */
int ecp_client_credentials(ec_client *client, const ecp_credentials **out,
                           ec_error *err);

/* Connections opened so far; equal to 1 after many calls when keep-alive
 * works. For tests and the ec_call driver. */
unsigned long ecp_client_connect_count(const ec_client *client);

/*
 * Bound every call from now on to `seconds` in all (attempts, retry
 * pauses, connect and read included), counted from this moment; 0 lifts
 * the bound. The reboot engine sets it to what is left of an operation's
 * budget before each call, so that no call outlives the operation. A call
 * cut short fails with EC_ERR_TIMEOUT saying the budget ran out.
 */
void ecp_client_set_call_limit(ec_client *client, double seconds);

#endif
