/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Query-protocol request bodies, byte-identical to what botocore sends:
 * Action and Version first, members in the caller's order, lists by their
 * locationName, Python quote_plus form encoding.
 */
#ifndef ECP_QUERY_H
#define ECP_QUERY_H

#include "util.h"

/* Form-encode like Python's urllib.parse.quote_plus (safe: letters,
 * digits, "_.-~"; space becomes '+'; every other byte, including each byte
 * of a UTF-8 sequence, becomes %XX with uppercase hex). Appends to out.
 * Returns 0, or -1 when the buffer cannot grow. */
int ecp_form_encode(ecp_buf *out, const char *s);

/* Append "&key=value" (or "key=value" when out is empty), both encoded
 * with ecp_form_encode. -1 when the buffer cannot grow or key/value is
 * NULL. */
int ecp_query_add(ecp_buf *out, const char *key, const char *value);

/* Bodies for each operation: "Action=Op&Version=2015-02-02", then the set
 * members in service-2.json order. The body replaces the contents of out
 * (the caller frees it with ecp_buf_free). Validation of ids is the
 * caller's job.
 *
 * DescribeCacheClusters: CacheClusterId, MaxRecords, Marker,
 * ShowCacheNodeInfo, ShowCacheClustersNotInReplicationGroups (absent
 * members: NULL or set=false).
 *
 * RebootCacheCluster: both members are required by the model. A NULL
 * cache_cluster_id or a NULL cache_node_ids_to_reboot array is refused
 * with EC_ERR_INVALID_ARGUMENT, as botocore's parameter validation does;
 * the library never sends a reboot with an unstated node list. A non-NULL
 * array with count 0 is sent as "CacheNodeIdsToReboot=" (what botocore
 * sends for []; the service then rejects it). Items are sent as
 * CacheNodeIdsToReboot.CacheNodeId.1, .2, ... in the caller's order.
 *
 * DescribeEvents: SourceIdentifier, SourceType, StartTime, EndTime,
 * Duration, MaxRecords, Marker; times via ecp_format_query_time. */
int ecp_encode_describe_cache_clusters(
    const ec_describe_cache_clusters_input *in, ecp_buf *out, ec_error *err);
int ecp_encode_reboot_cache_cluster(const ec_reboot_cache_cluster_input *in,
                                    ecp_buf *out, ec_error *err);
int ecp_encode_describe_events(const ec_describe_events_input *in, ecp_buf *out,
                               ec_error *err);

/* DescribeReplicationGroups: ReplicationGroupId, MaxRecords, Marker.
 *
 * ModifyReplicationGroup: ReplicationGroupId (required: NULL is refused
 * with EC_ERR_INVALID_ARGUMENT, as botocore's parameter validation does),
 * then PrimaryClusterId, AutomaticFailoverEnabled, MultiAZEnabled and
 * ApplyImmediately when set, in service-2.json order. */
int ecp_encode_describe_replication_groups(
    const ec_describe_replication_groups_input *in, ecp_buf *out,
    ec_error *err);
int ecp_encode_modify_replication_group(
    const ec_modify_replication_group_input *in, ecp_buf *out, ec_error *err);

/* ListTagsForResource: ResourceName (required: NULL is refused with
 * EC_ERR_INVALID_ARGUMENT, as botocore's parameter validation does). */
int ecp_encode_list_tags_for_resource(const ec_list_tags_for_resource_input *in,
                                      ecp_buf *out, ec_error *err);

/* A timestamp as botocore's query serializer writes it, in UTC whatever
 * offset the time was given with: "%Y-%m-%dT%H:%M:%SZ", or
 * "%Y-%m-%dT%H:%M:%S.%fZ" (6 digits) when usec != 0. Returns the length,
 * or -1 when it does not fit or the time is out of range. 32 bytes are
 * enough. */
int ecp_format_query_time(ec_time t, char *buf, size_t size);

#endif
