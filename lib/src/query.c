/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Query-protocol request bodies for the ElastiCache calls, byte for byte
 * what botocore's QuerySerializer and urlencode() produce.
 */
#include "query.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int nomem(ec_error *err)
{
    return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
}

/* Python's urllib.parse "always safe" set. */
static int form_safe(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
           c == '~';
}

int ecp_form_encode(ecp_buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    size_t run;

    if (!out || !s)
        return -1;
    /* Make sure the buffer exists even for "": callers read out->data. */
    if (ecp_buf_append(out, "", 0) != 0)
        return -1;
    while (*p) {
        char esc[3];

        for (run = 0; p[run] && form_safe(p[run]); run++)
            ;
        if (run) {
            if (ecp_buf_append(out, p, run) != 0)
                return -1;
            p += run;
            continue;
        }
        if (*p == ' ') {
            if (ecp_buf_append(out, "+", 1) != 0)
                return -1;
        } else {
            esc[0] = '%';
            esc[1] = hex[*p >> 4];
            esc[2] = hex[*p & 15];
            if (ecp_buf_append(out, esc, 3) != 0)
                return -1;
        }
        p++;
    }
    return 0;
}

int ecp_query_add(ecp_buf *out, const char *key, const char *value)
{
    if (!key || !value)
        return -1;
    if (out->len && ecp_buf_append(out, "&", 1) != 0)
        return -1;
    if (ecp_form_encode(out, key) != 0 || ecp_buf_append(out, "=", 1) != 0 ||
        ecp_form_encode(out, value) != 0)
        return -1;
    return 0;
}

int ecp_format_query_time(ec_time t, char *buf, size_t size)
{
    time_t sec = (time_t)t.sec;
    struct tm tm;
    int n;

    if (!buf || size == 0 || (int64_t)sec != t.sec || t.usec < 0 ||
        t.usec > 999999 || !gmtime_r(&sec, &tm))
        return -1;
    /* Python's datetime (which botocore formats) covers years 1-9999. */
    if (tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
        return -1;
    if (t.usec)
        n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec, (int)t.usec);
    else
        n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
    if (n < 0 || (size_t)n >= size)
        return -1;
    return n;
}

/* Each add_* appends one member when it is set; all return 0 or -1 after
 * recording the error. */
static int add_str(ecp_buf *out, const char *key, const char *value,
                   ec_error *err)
{
    if (!value)
        return 0;
    return ecp_query_add(out, key, value) == 0 ? 0 : nomem(err);
}

static int add_int(ecp_buf *out, const char *key, ec_opt_int v, ec_error *err)
{
    char num[32];

    if (!v.set)
        return 0;
    snprintf(num, sizeof(num), "%" PRId64, v.value);
    return add_str(out, key, num, err);
}

static int add_bool(ecp_buf *out, const char *key, ec_opt_bool v, ec_error *err)
{
    if (!v.set)
        return 0;
    return add_str(out, key, v.value ? "true" : "false", err);
}

static int add_time(ecp_buf *out, const char *key, ec_time t, ec_error *err)
{
    char text[64];

    if (!t.set)
        return 0;
    if (ecp_format_query_time(t, text, sizeof(text)) < 0)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "%s is not a representable time", key);
    return add_str(out, key, text, err);
}

static int begin(ecp_buf *out, const char *action, ec_error *err)
{
    if (!out)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT, "no output buffer");
    /* The body replaces whatever the buffer held. */
    out->len = 0;
    if (out->data)
        out->data[0] = '\0';
    if (add_str(out, "Action", action, err) != 0 ||
        add_str(out, "Version", EC_API_VERSION, err) != 0)
        return -1;
    return 0;
}

int ecp_encode_describe_cache_clusters(
    const ec_describe_cache_clusters_input *in, ecp_buf *out, ec_error *err)
{
    if (!in)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT, "no input");
    if (begin(out, "DescribeCacheClusters", err) != 0 ||
        add_str(out, "CacheClusterId", in->cache_cluster_id, err) != 0 ||
        add_int(out, "MaxRecords", in->max_records, err) != 0 ||
        add_str(out, "Marker", in->marker, err) != 0 ||
        add_bool(out, "ShowCacheNodeInfo", in->show_cache_node_info, err) !=
            0 ||
        add_bool(out, "ShowCacheClustersNotInReplicationGroups",
                 in->show_cache_clusters_not_in_replication_groups, err) != 0)
        return -1;
    return 0;
}

int ecp_encode_reboot_cache_cluster(const ec_reboot_cache_cluster_input *in,
                                    ecp_buf *out, ec_error *err)
{
    char key[64];
    size_t i;

    if (!in)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT, "no input");
    /* Both members are required by the model; botocore refuses to send
     * the call without them, and so do we. */
    if (!in->cache_cluster_id)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Missing required parameter in input: "
                             "\"CacheClusterId\"");
    if (!in->cache_node_ids_to_reboot)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Missing required parameter in input: "
                             "\"CacheNodeIdsToReboot\"");
    for (i = 0; i < in->cache_node_id_count; i++)
        if (!in->cache_node_ids_to_reboot[i])
            return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                                 "cache node id %zu is NULL", i + 1);
    if (begin(out, "RebootCacheCluster", err) != 0 ||
        add_str(out, "CacheClusterId", in->cache_cluster_id, err) != 0)
        return -1;
    /* An empty list is still sent, as botocore does: "Name=". */
    if (in->cache_node_id_count == 0)
        return add_str(out, "CacheNodeIdsToReboot", "", err);
    for (i = 0; i < in->cache_node_id_count; i++) {
        snprintf(key, sizeof(key), "CacheNodeIdsToReboot.CacheNodeId.%zu",
                 i + 1);
        if (add_str(out, key, in->cache_node_ids_to_reboot[i], err) != 0)
            return -1;
    }
    return 0;
}

int ecp_encode_describe_events(const ec_describe_events_input *in, ecp_buf *out,
                               ec_error *err)
{
    if (!in)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT, "no input");
    if (begin(out, "DescribeEvents", err) != 0 ||
        add_str(out, "SourceIdentifier", in->source_identifier, err) != 0 ||
        add_str(out, "SourceType", in->source_type, err) != 0 ||
        add_time(out, "StartTime", in->start_time, err) != 0 ||
        add_time(out, "EndTime", in->end_time, err) != 0 ||
        add_int(out, "Duration", in->duration, err) != 0 ||
        add_int(out, "MaxRecords", in->max_records, err) != 0 ||
        add_str(out, "Marker", in->marker, err) != 0)
        return -1;
    return 0;
}

int ecp_encode_describe_replication_groups(
    const ec_describe_replication_groups_input *in, ecp_buf *out, ec_error *err)
{
    if (!in)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT, "no input");
    if (begin(out, "DescribeReplicationGroups", err) != 0 ||
        add_str(out, "ReplicationGroupId", in->replication_group_id, err) !=
            0 ||
        add_int(out, "MaxRecords", in->max_records, err) != 0 ||
        add_str(out, "Marker", in->marker, err) != 0)
        return -1;
    return 0;
}

int ecp_encode_modify_replication_group(
    const ec_modify_replication_group_input *in, ecp_buf *out, ec_error *err)
{
    if (!in)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT, "no input");
    /* Required by the model; botocore refuses to send the call without. */
    if (!in->replication_group_id)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Missing required parameter in input: "
                             "\"ReplicationGroupId\"");
    if (begin(out, "ModifyReplicationGroup", err) != 0 ||
        add_str(out, "ReplicationGroupId", in->replication_group_id, err) !=
            0 ||
        add_str(out, "PrimaryClusterId", in->primary_cluster_id, err) != 0 ||
        add_bool(out, "AutomaticFailoverEnabled",
                 in->automatic_failover_enabled, err) != 0 ||
        add_bool(out, "MultiAZEnabled", in->multi_az_enabled, err) != 0 ||
        add_bool(out, "ApplyImmediately", in->apply_immediately, err) != 0)
        return -1;
    return 0;
}

int ecp_encode_list_tags_for_resource(const ec_list_tags_for_resource_input *in,
                                      ecp_buf *out, ec_error *err)
{
    if (!in)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT, "no input");
    if (!in->resource_name)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Missing required parameter in input: "
                             "\"ResourceName\"");
    if (begin(out, "ListTagsForResource", err) != 0 ||
        add_str(out, "ResourceName", in->resource_name, err) != 0)
        return -1;
    return 0;
}
