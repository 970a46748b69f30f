/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The response shapes as tables (in service-2.json member order, which is
 * the key order botocore and so the AWS CLI print), and the generic free,
 * copy and lookup functions over them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "shapes.h"

#define MEMBER(type, field, nm, kd)                                            \
    {                                                                          \
        nm, kd, offsetof(type, field), NULL, NULL, NULL                        \
    }
#define STRUCT(type, field, nm, sh)                                            \
    {                                                                          \
        nm, ECP_K_STRUCT, offsetof(type, field), NULL, &sh, NULL               \
    }
#define STRLIST(type, field, nm, item)                                         \
    {                                                                          \
        nm, ECP_K_STRLIST, offsetof(type, field), item, NULL, NULL             \
    }
#define LIST(type, field, nm, item, sh)                                        \
    {                                                                          \
        nm, ECP_K_LIST, offsetof(type, field), item, &sh, NULL                 \
    }
/* A list whose shape carries its own locationName, used as the element. */
#define LIST_XML(type, field, nm, xml, item, sh)                               \
    {                                                                          \
        nm, ECP_K_LIST, offsetof(type, field), item, &sh, xml                  \
    }
/* The streaming parser keeps which members it has read in a 64-bit mask
 * (xmlparse.c: the first element of a name wins). */
#define SHAPE(var, nm, type, members)                                          \
    const ecp_shape var = {nm, sizeof(type),                                   \
                           sizeof(members) / sizeof(members[0]), members};     \
    _Static_assert(sizeof(members) / sizeof(members[0]) <= 64,                 \
                   nm " has more members than the parser's mask holds")

/* Endpoint */
static const ecp_member endpoint_members[] = {
    MEMBER(ec_endpoint, address, "Address", ECP_K_STRING),
    MEMBER(ec_endpoint, port, "Port", ECP_K_INT),
};
SHAPE(ecp_shape_endpoint, "Endpoint", ec_endpoint, endpoint_members);

/* CloudWatchLogsDestinationDetails */
static const ecp_member cwl_members[] = {
    MEMBER(ec_cloudwatch_logs_destination_details, log_group, "LogGroup",
           ECP_K_STRING),
};
static SHAPE(cwl_shape, "CloudWatchLogsDestinationDetails",
             ec_cloudwatch_logs_destination_details, cwl_members);

/* KinesisFirehoseDestinationDetails */
static const ecp_member kfh_members[] = {
    MEMBER(ec_kinesis_firehose_destination_details, delivery_stream,
           "DeliveryStream", ECP_K_STRING),
};
static SHAPE(kfh_shape, "KinesisFirehoseDestinationDetails",
             ec_kinesis_firehose_destination_details, kfh_members);

/* DestinationDetails */
static const ecp_member dest_members[] = {
    STRUCT(ec_destination_details, cloud_watch_logs_details,
           "CloudWatchLogsDetails", cwl_shape),
    STRUCT(ec_destination_details, kinesis_firehose_details,
           "KinesisFirehoseDetails", kfh_shape),
};
static SHAPE(dest_shape, "DestinationDetails", ec_destination_details,
             dest_members);

/* PendingLogDeliveryConfiguration */
static const ecp_member pldc_members[] = {
    MEMBER(ec_pending_log_delivery_configuration, log_type, "LogType",
           ECP_K_STRING),
    MEMBER(ec_pending_log_delivery_configuration, destination_type,
           "DestinationType", ECP_K_STRING),
    STRUCT(ec_pending_log_delivery_configuration, destination_details,
           "DestinationDetails", dest_shape),
    MEMBER(ec_pending_log_delivery_configuration, log_format, "LogFormat",
           ECP_K_STRING),
};
static SHAPE(pldc_shape, "PendingLogDeliveryConfiguration",
             ec_pending_log_delivery_configuration, pldc_members);

/* PendingModifiedValues */
static const ecp_member pmv_members[] = {
    MEMBER(ec_pending_modified_values, num_cache_nodes, "NumCacheNodes",
           ECP_K_INT),
    STRLIST(ec_pending_modified_values, cache_node_ids_to_remove,
            "CacheNodeIdsToRemove", "CacheNodeId"),
    MEMBER(ec_pending_modified_values, engine_version, "EngineVersion",
           ECP_K_STRING),
    MEMBER(ec_pending_modified_values, cache_node_type, "CacheNodeType",
           ECP_K_STRING),
    MEMBER(ec_pending_modified_values, auth_token_status, "AuthTokenStatus",
           ECP_K_STRING),
    /* PendingLogDeliveryConfigurationList has locationName
     * "PendingLogDeliveryConfiguration": that is the element's name. */
    LIST_XML(ec_pending_modified_values, log_delivery_configurations,
             "LogDeliveryConfigurations", "PendingLogDeliveryConfiguration",
             "member", pldc_shape),
};
static SHAPE(pmv_shape, "PendingModifiedValues", ec_pending_modified_values,
             pmv_members);

/* NotificationConfiguration */
static const ecp_member notif_members[] = {
    MEMBER(ec_notification_configuration, topic_arn, "TopicArn", ECP_K_STRING),
    MEMBER(ec_notification_configuration, topic_status, "TopicStatus",
           ECP_K_STRING),
};
static SHAPE(notif_shape, "NotificationConfiguration",
             ec_notification_configuration, notif_members);

/* CacheSecurityGroupMembership */
static const ecp_member csg_members[] = {
    MEMBER(ec_cache_security_group_membership, cache_security_group_name,
           "CacheSecurityGroupName", ECP_K_STRING),
    MEMBER(ec_cache_security_group_membership, status, "Status", ECP_K_STRING),
};
static SHAPE(csg_shape, "CacheSecurityGroupMembership",
             ec_cache_security_group_membership, csg_members);

/* CacheParameterGroupStatus */
static const ecp_member cpg_members[] = {
    MEMBER(ec_cache_parameter_group_status, cache_parameter_group_name,
           "CacheParameterGroupName", ECP_K_STRING),
    MEMBER(ec_cache_parameter_group_status, parameter_apply_status,
           "ParameterApplyStatus", ECP_K_STRING),
    STRLIST(ec_cache_parameter_group_status, cache_node_ids_to_reboot,
            "CacheNodeIdsToReboot", "CacheNodeId"),
};
static SHAPE(cpg_shape, "CacheParameterGroupStatus",
             ec_cache_parameter_group_status, cpg_members);

/* CacheNode */
static const ecp_member node_members[] = {
    MEMBER(ec_cache_node, cache_node_id, "CacheNodeId", ECP_K_STRING),
    MEMBER(ec_cache_node, cache_node_status, "CacheNodeStatus", ECP_K_STRING),
    MEMBER(ec_cache_node, cache_node_create_time, "CacheNodeCreateTime",
           ECP_K_TIME),
    STRUCT(ec_cache_node, endpoint, "Endpoint", ecp_shape_endpoint),
    MEMBER(ec_cache_node, parameter_group_status, "ParameterGroupStatus",
           ECP_K_STRING),
    MEMBER(ec_cache_node, source_cache_node_id, "SourceCacheNodeId",
           ECP_K_STRING),
    MEMBER(ec_cache_node, customer_availability_zone,
           "CustomerAvailabilityZone", ECP_K_STRING),
    MEMBER(ec_cache_node, customer_outpost_arn, "CustomerOutpostArn",
           ECP_K_STRING),
};
SHAPE(ecp_shape_cache_node, "CacheNode", ec_cache_node, node_members);

/* SecurityGroupMembership */
static const ecp_member sg_members[] = {
    MEMBER(ec_security_group_membership, security_group_id, "SecurityGroupId",
           ECP_K_STRING),
    MEMBER(ec_security_group_membership, status, "Status", ECP_K_STRING),
};
static SHAPE(sg_shape, "SecurityGroupMembership", ec_security_group_membership,
             sg_members);

/* LogDeliveryConfiguration */
static const ecp_member ldc_members[] = {
    MEMBER(ec_log_delivery_configuration, log_type, "LogType", ECP_K_STRING),
    MEMBER(ec_log_delivery_configuration, destination_type, "DestinationType",
           ECP_K_STRING),
    STRUCT(ec_log_delivery_configuration, destination_details,
           "DestinationDetails", dest_shape),
    MEMBER(ec_log_delivery_configuration, log_format, "LogFormat",
           ECP_K_STRING),
    MEMBER(ec_log_delivery_configuration, status, "Status", ECP_K_STRING),
    MEMBER(ec_log_delivery_configuration, message, "Message", ECP_K_STRING),
};
static SHAPE(ldc_shape, "LogDeliveryConfiguration",
             ec_log_delivery_configuration, ldc_members);

/* CacheCluster */
static const ecp_member cluster_members[] = {
    MEMBER(ec_cache_cluster, cache_cluster_id, "CacheClusterId", ECP_K_STRING),
    STRUCT(ec_cache_cluster, configuration_endpoint, "ConfigurationEndpoint",
           ecp_shape_endpoint),
    MEMBER(ec_cache_cluster, client_download_landing_page,
           "ClientDownloadLandingPage", ECP_K_STRING),
    MEMBER(ec_cache_cluster, cache_node_type, "CacheNodeType", ECP_K_STRING),
    MEMBER(ec_cache_cluster, engine, "Engine", ECP_K_STRING),
    MEMBER(ec_cache_cluster, engine_version, "EngineVersion", ECP_K_STRING),
    MEMBER(ec_cache_cluster, cache_cluster_status, "CacheClusterStatus",
           ECP_K_STRING),
    MEMBER(ec_cache_cluster, num_cache_nodes, "NumCacheNodes", ECP_K_INT),
    MEMBER(ec_cache_cluster, preferred_availability_zone,
           "PreferredAvailabilityZone", ECP_K_STRING),
    MEMBER(ec_cache_cluster, preferred_outpost_arn, "PreferredOutpostArn",
           ECP_K_STRING),
    MEMBER(ec_cache_cluster, cache_cluster_create_time,
           "CacheClusterCreateTime", ECP_K_TIME),
    MEMBER(ec_cache_cluster, preferred_maintenance_window,
           "PreferredMaintenanceWindow", ECP_K_STRING),
    STRUCT(ec_cache_cluster, pending_modified_values, "PendingModifiedValues",
           pmv_shape),
    STRUCT(ec_cache_cluster, notification_configuration,
           "NotificationConfiguration", notif_shape),
    LIST(ec_cache_cluster, cache_security_groups, "CacheSecurityGroups",
         "CacheSecurityGroup", csg_shape),
    STRUCT(ec_cache_cluster, cache_parameter_group, "CacheParameterGroup",
           cpg_shape),
    MEMBER(ec_cache_cluster, cache_subnet_group_name, "CacheSubnetGroupName",
           ECP_K_STRING),
    LIST(ec_cache_cluster, cache_nodes, "CacheNodes", "CacheNode",
         ecp_shape_cache_node),
    MEMBER(ec_cache_cluster, auto_minor_version_upgrade,
           "AutoMinorVersionUpgrade", ECP_K_BOOL),
    LIST(ec_cache_cluster, security_groups, "SecurityGroups", "member",
         sg_shape),
    MEMBER(ec_cache_cluster, replication_group_id, "ReplicationGroupId",
           ECP_K_STRING),
    MEMBER(ec_cache_cluster, snapshot_retention_limit, "SnapshotRetentionLimit",
           ECP_K_INT),
    MEMBER(ec_cache_cluster, snapshot_window, "SnapshotWindow", ECP_K_STRING),
    MEMBER(ec_cache_cluster, auth_token_enabled, "AuthTokenEnabled",
           ECP_K_BOOL),
    MEMBER(ec_cache_cluster, auth_token_last_modified_date,
           "AuthTokenLastModifiedDate", ECP_K_TIME),
    MEMBER(ec_cache_cluster, transit_encryption_enabled,
           "TransitEncryptionEnabled", ECP_K_BOOL),
    MEMBER(ec_cache_cluster, at_rest_encryption_enabled,
           "AtRestEncryptionEnabled", ECP_K_BOOL),
    MEMBER(ec_cache_cluster, arn, "ARN", ECP_K_STRING),
    MEMBER(ec_cache_cluster, replication_group_log_delivery_enabled,
           "ReplicationGroupLogDeliveryEnabled", ECP_K_BOOL),
    LIST(ec_cache_cluster, log_delivery_configurations,
         "LogDeliveryConfigurations", "LogDeliveryConfiguration", ldc_shape),
    MEMBER(ec_cache_cluster, network_type, "NetworkType", ECP_K_STRING),
    MEMBER(ec_cache_cluster, ip_discovery, "IpDiscovery", ECP_K_STRING),
    /* In botocore's newer models (not in tests/data/model's 1.29.27), in
     * this place: last. The monitoring tools read it (TLS per cluster). */
    MEMBER(ec_cache_cluster, transit_encryption_mode, "TransitEncryptionMode",
           ECP_K_STRING),
};
SHAPE(ecp_shape_cache_cluster, "CacheCluster", ec_cache_cluster,
      cluster_members);

/* Event */
static const ecp_member event_members[] = {
    MEMBER(ec_event, source_identifier, "SourceIdentifier", ECP_K_STRING),
    MEMBER(ec_event, source_type, "SourceType", ECP_K_STRING),
    MEMBER(ec_event, message, "Message", ECP_K_STRING),
    MEMBER(ec_event, date, "Date", ECP_K_TIME),
};
SHAPE(ecp_shape_event, "Event", ec_event, event_members);

/* GlobalReplicationGroupInfo */
static const ecp_member grgi_members[] = {
    MEMBER(ec_global_replication_group_info, global_replication_group_id,
           "GlobalReplicationGroupId", ECP_K_STRING),
    MEMBER(ec_global_replication_group_info,
           global_replication_group_member_role,
           "GlobalReplicationGroupMemberRole", ECP_K_STRING),
};
static SHAPE(grgi_shape, "GlobalReplicationGroupInfo",
             ec_global_replication_group_info, grgi_members);

/* SlotMigration */
static const ecp_member slot_members[] = {
    MEMBER(ec_slot_migration, progress_percentage, "ProgressPercentage",
           ECP_K_DOUBLE),
};
static SHAPE(slot_shape, "SlotMigration", ec_slot_migration, slot_members);

/* ReshardingStatus */
static const ecp_member reshard_members[] = {
    STRUCT(ec_resharding_status, slot_migration, "SlotMigration", slot_shape),
};
static SHAPE(reshard_shape, "ReshardingStatus", ec_resharding_status,
             reshard_members);

/* UserGroupsUpdateStatus (UserGroupIdList items have no locationName) */
static const ecp_member ugus_members[] = {
    STRLIST(ec_user_groups_update_status, user_group_ids_to_add,
            "UserGroupIdsToAdd", "member"),
    STRLIST(ec_user_groups_update_status, user_group_ids_to_remove,
            "UserGroupIdsToRemove", "member"),
};
static SHAPE(ugus_shape, "UserGroupsUpdateStatus", ec_user_groups_update_status,
             ugus_members);

/* ReplicationGroupPendingModifiedValues */
static const ecp_member rgpmv_members[] = {
    MEMBER(ec_replication_group_pending_modified_values, primary_cluster_id,
           "PrimaryClusterId", ECP_K_STRING),
    MEMBER(ec_replication_group_pending_modified_values,
           automatic_failover_status, "AutomaticFailoverStatus", ECP_K_STRING),
    STRUCT(ec_replication_group_pending_modified_values, resharding,
           "Resharding", reshard_shape),
    MEMBER(ec_replication_group_pending_modified_values, auth_token_status,
           "AuthTokenStatus", ECP_K_STRING),
    STRUCT(ec_replication_group_pending_modified_values, user_groups,
           "UserGroups", ugus_shape),
    /* As in PendingModifiedValues: the list's locationName is the element. */
    LIST_XML(ec_replication_group_pending_modified_values,
             log_delivery_configurations, "LogDeliveryConfigurations",
             "PendingLogDeliveryConfiguration", "member", pldc_shape),
};
static SHAPE(rgpmv_shape, "ReplicationGroupPendingModifiedValues",
             ec_replication_group_pending_modified_values, rgpmv_members);

/* NodeGroupMember */
static const ecp_member ngm_members[] = {
    MEMBER(ec_node_group_member, cache_cluster_id, "CacheClusterId",
           ECP_K_STRING),
    MEMBER(ec_node_group_member, cache_node_id, "CacheNodeId", ECP_K_STRING),
    STRUCT(ec_node_group_member, read_endpoint, "ReadEndpoint",
           ecp_shape_endpoint),
    MEMBER(ec_node_group_member, preferred_availability_zone,
           "PreferredAvailabilityZone", ECP_K_STRING),
    MEMBER(ec_node_group_member, preferred_outpost_arn, "PreferredOutpostArn",
           ECP_K_STRING),
    MEMBER(ec_node_group_member, current_role, "CurrentRole", ECP_K_STRING),
};
static SHAPE(ngm_shape, "NodeGroupMember", ec_node_group_member, ngm_members);

/* NodeGroup */
static const ecp_member ng_members[] = {
    MEMBER(ec_node_group, node_group_id, "NodeGroupId", ECP_K_STRING),
    MEMBER(ec_node_group, status, "Status", ECP_K_STRING),
    STRUCT(ec_node_group, primary_endpoint, "PrimaryEndpoint",
           ecp_shape_endpoint),
    STRUCT(ec_node_group, reader_endpoint, "ReaderEndpoint",
           ecp_shape_endpoint),
    MEMBER(ec_node_group, slots, "Slots", ECP_K_STRING),
    LIST(ec_node_group, node_group_members, "NodeGroupMembers",
         "NodeGroupMember", ngm_shape),
};
static SHAPE(ng_shape, "NodeGroup", ec_node_group, ng_members);

/* ReplicationGroup */
static const ecp_member rg_members[] = {
    MEMBER(ec_replication_group, replication_group_id, "ReplicationGroupId",
           ECP_K_STRING),
    MEMBER(ec_replication_group, description, "Description", ECP_K_STRING),
    STRUCT(ec_replication_group, global_replication_group_info,
           "GlobalReplicationGroupInfo", grgi_shape),
    MEMBER(ec_replication_group, status, "Status", ECP_K_STRING),
    STRUCT(ec_replication_group, pending_modified_values,
           "PendingModifiedValues", rgpmv_shape),
    STRLIST(ec_replication_group, member_clusters, "MemberClusters",
            "ClusterId"),
    LIST(ec_replication_group, node_groups, "NodeGroups", "NodeGroup",
         ng_shape),
    MEMBER(ec_replication_group, snapshotting_cluster_id,
           "SnapshottingClusterId", ECP_K_STRING),
    MEMBER(ec_replication_group, automatic_failover, "AutomaticFailover",
           ECP_K_STRING),
    MEMBER(ec_replication_group, multi_az, "MultiAZ", ECP_K_STRING),
    STRUCT(ec_replication_group, configuration_endpoint,
           "ConfigurationEndpoint", ecp_shape_endpoint),
    MEMBER(ec_replication_group, snapshot_retention_limit,
           "SnapshotRetentionLimit", ECP_K_INT),
    MEMBER(ec_replication_group, snapshot_window, "SnapshotWindow",
           ECP_K_STRING),
    MEMBER(ec_replication_group, cluster_enabled, "ClusterEnabled", ECP_K_BOOL),
    MEMBER(ec_replication_group, cache_node_type, "CacheNodeType",
           ECP_K_STRING),
    MEMBER(ec_replication_group, auth_token_enabled, "AuthTokenEnabled",
           ECP_K_BOOL),
    MEMBER(ec_replication_group, auth_token_last_modified_date,
           "AuthTokenLastModifiedDate", ECP_K_TIME),
    MEMBER(ec_replication_group, transit_encryption_enabled,
           "TransitEncryptionEnabled", ECP_K_BOOL),
    MEMBER(ec_replication_group, at_rest_encryption_enabled,
           "AtRestEncryptionEnabled", ECP_K_BOOL),
    STRLIST(ec_replication_group, member_clusters_outpost_arns,
            "MemberClustersOutpostArns", "ReplicationGroupOutpostArn"),
    MEMBER(ec_replication_group, kms_key_id, "KmsKeyId", ECP_K_STRING),
    MEMBER(ec_replication_group, arn, "ARN", ECP_K_STRING),
    STRLIST(ec_replication_group, user_group_ids, "UserGroupIds", "member"),
    LIST(ec_replication_group, log_delivery_configurations,
         "LogDeliveryConfigurations", "LogDeliveryConfiguration", ldc_shape),
    MEMBER(ec_replication_group, replication_group_create_time,
           "ReplicationGroupCreateTime", ECP_K_TIME),
    MEMBER(ec_replication_group, data_tiering, "DataTiering", ECP_K_STRING),
    MEMBER(ec_replication_group, auto_minor_version_upgrade,
           "AutoMinorVersionUpgrade", ECP_K_BOOL),
    MEMBER(ec_replication_group, network_type, "NetworkType", ECP_K_STRING),
    MEMBER(ec_replication_group, ip_discovery, "IpDiscovery", ECP_K_STRING),
};
SHAPE(ecp_shape_replication_group, "ReplicationGroup", ec_replication_group,
      rg_members);

/* Operation outputs. request_id is not a model member: the AWS CLI strips
 * ResponseMetadata, so it is kept in the struct but never rendered. */
static const ecp_member ccm_members[] = {
    MEMBER(ec_describe_cache_clusters_output, marker, "Marker", ECP_K_STRING),
    LIST(ec_describe_cache_clusters_output, cache_clusters, "CacheClusters",
         "CacheCluster", ecp_shape_cache_cluster),
};
SHAPE(ecp_shape_cache_cluster_message, "CacheClusterMessage",
      ec_describe_cache_clusters_output, ccm_members);

static const ecp_member reboot_members[] = {
    STRUCT(ec_reboot_cache_cluster_output, cache_cluster, "CacheCluster",
           ecp_shape_cache_cluster),
};
SHAPE(ecp_shape_reboot_cache_cluster_result, "RebootCacheClusterResult",
      ec_reboot_cache_cluster_output, reboot_members);

static const ecp_member em_members[] = {
    MEMBER(ec_describe_events_output, marker, "Marker", ECP_K_STRING),
    LIST(ec_describe_events_output, events, "Events", "Event", ecp_shape_event),
};
SHAPE(ecp_shape_events_message, "EventsMessage", ec_describe_events_output,
      em_members);

static const ecp_member rgm_members[] = {
    MEMBER(ec_describe_replication_groups_output, marker, "Marker",
           ECP_K_STRING),
    LIST(ec_describe_replication_groups_output, replication_groups,
         "ReplicationGroups", "ReplicationGroup", ecp_shape_replication_group),
};
SHAPE(ecp_shape_replication_group_message, "ReplicationGroupMessage",
      ec_describe_replication_groups_output, rgm_members);

static const ecp_member mrg_members[] = {
    STRUCT(ec_modify_replication_group_output, replication_group,
           "ReplicationGroup", ecp_shape_replication_group),
};
SHAPE(ecp_shape_modify_replication_group_result, "ModifyReplicationGroupResult",
      ec_modify_replication_group_output, mrg_members);

/* Tag and TagListMessage (ListTagsForResourceResult). */
static const ecp_member tag_members[] = {
    MEMBER(ec_tag, key, "Key", ECP_K_STRING),
    MEMBER(ec_tag, value, "Value", ECP_K_STRING),
};
static SHAPE(tag_shape, "Tag", ec_tag, tag_members);

static const ecp_member tlm_members[] = {
    LIST(ec_list_tags_for_resource_output, tag_list, "TagList", "Tag",
         tag_shape),
};
SHAPE(ecp_shape_tag_list_message, "TagListMessage",
      ec_list_tags_for_resource_output, tlm_members);

/* ------------------------------------------------------------------ */

void *ecp_member_ptr_get(const void *base, const ecp_member *m)
{
    void *p;

    memcpy(&p, (const char *)base + m->offset, sizeof(p));
    return p;
}

void ecp_member_ptr_set(void *base, const ecp_member *m, void *value)
{
    memcpy((char *)base + m->offset, &value, sizeof(value));
}

bool ecp_member_list_get(const void *base, const ecp_member *m, size_t *count,
                         void ***items)
{
    const char *p = (const char *)base + m->offset;
    bool set;

    memcpy(&set, p + offsetof(ecp_list_layout, set), sizeof(set));
    memcpy(count, p + offsetof(ecp_list_layout, count), sizeof(*count));
    memcpy(items, p + offsetof(ecp_list_layout, items), sizeof(*items));
    return set;
}

void ecp_member_list_set(void *base, const ecp_member *m, bool set,
                         size_t count, void **items)
{
    char *p = (char *)base + m->offset;

    memcpy(p + offsetof(ecp_list_layout, set), &set, sizeof(set));
    memcpy(p + offsetof(ecp_list_layout, count), &count, sizeof(count));
    memcpy(p + offsetof(ecp_list_layout, items), &items, sizeof(items));
}

void ecp_shape_free(const ecp_shape *shape, void *obj)
{
    ecp_shape_clear(shape, obj);
    free(obj);
}

void ecp_shape_clear(const ecp_shape *shape, void *obj)
{
    size_t i, j, count;
    void **items;
    void *p;

    if (!obj)
        return;
    for (i = 0; i < shape->count; i++) {
        const ecp_member *m = &shape->members[i];
        char *field = (char *)obj + m->offset;

        switch (m->kind) {
        case ECP_K_STRING:
            free(ecp_member_ptr_get(obj, m));
            break;
        case ECP_K_STRUCT:
            p = ecp_member_ptr_get(obj, m);
            ecp_shape_free(m->shape, p);
            break;
        case ECP_K_STRLIST:
            ec_strlist_clear((ec_strlist *)(void *)field);
            break;
        case ECP_K_LIST:
            /* A slot may be NULL: an item moved out, or a failed parse. */
            ecp_member_list_get(obj, m, &count, &items);
            for (j = 0; j < count; j++)
                ecp_shape_free(m->shape, items[j]);
            free(items);
            break;
        case ECP_K_INT:
        case ECP_K_BOOL:
        case ECP_K_TIME:
        case ECP_K_DOUBLE:
            break;
        }
    }
    memset(obj, 0, shape->size);
}

static int copy_member(const ecp_member *m, void *dst, const void *src)
{
    const char *sfield = (const char *)src + m->offset;
    char *dfield = (char *)dst + m->offset;
    void **sitems, **ditems;
    void *p, *copy;
    size_t count, j;
    bool set;

    switch (m->kind) {
    case ECP_K_STRING:
        p = ecp_member_ptr_get(src, m);
        if (!p)
            return 0;
        copy = strdup(p);
        if (!copy)
            return -1;
        ecp_member_ptr_set(dst, m, copy);
        return 0;
    case ECP_K_STRUCT:
        p = ecp_member_ptr_get(src, m);
        if (!p)
            return 0;
        copy = calloc(1, m->shape->size);
        if (!copy)
            return -1;
        ecp_member_ptr_set(dst, m, copy);
        return ecp_shape_copy(m->shape, copy, p);
    case ECP_K_STRLIST: {
        const ec_strlist *sl = (const ec_strlist *)(const void *)sfield;
        ec_strlist *dl = (ec_strlist *)(void *)dfield;

        dl->set = sl->set;
        if (sl->count == 0)
            return 0;
        dl->items = calloc(sl->count, sizeof(*dl->items));
        if (!dl->items)
            return -1;
        for (j = 0; j < sl->count; j++) {
            dl->items[j] = strdup(sl->items[j]);
            if (!dl->items[j])
                return -1;
            dl->count = j + 1;
        }
        return 0;
    }
    case ECP_K_LIST:
        set = ecp_member_list_get(src, m, &count, &sitems);
        ecp_member_list_set(dst, m, set, 0, NULL);
        if (count == 0)
            return 0;
        ditems = calloc(count, sizeof(*ditems));
        if (!ditems)
            return -1;
        /* Count first, so a failed item copy is cleared with the rest. */
        ecp_member_list_set(dst, m, set, count, ditems);
        for (j = 0; j < count; j++) {
            if (!sitems[j])
                continue;
            ditems[j] = ecp_shape_dup(m->shape, sitems[j]);
            if (!ditems[j])
                return -1;
        }
        return 0;
    case ECP_K_INT:
        memcpy(dfield, sfield, sizeof(ec_opt_int));
        break;
    case ECP_K_BOOL:
        memcpy(dfield, sfield, sizeof(ec_opt_bool));
        break;
    case ECP_K_TIME:
        memcpy(dfield, sfield, sizeof(ec_time));
        break;
    case ECP_K_DOUBLE:
        memcpy(dfield, sfield, sizeof(ec_opt_double));
        break;
    }
    return 0;
}

int ecp_shape_copy(const ecp_shape *shape, void *dst, const void *src)
{
    size_t i;

    for (i = 0; i < shape->count; i++) {
        if (copy_member(&shape->members[i], dst, src) != 0) {
            ecp_shape_clear(shape, dst);
            return -1;
        }
    }
    return 0;
}

void *ecp_shape_dup(const ecp_shape *shape, const void *src)
{
    void *copy = calloc(1, shape->size);

    if (!copy)
        return NULL;
    if (ecp_shape_copy(shape, copy, src) != 0) {
        free(copy);
        return NULL;
    }
    return copy;
}

/* ------------------------------------------------------------------ */
/* Public functions                                                    */
/* ------------------------------------------------------------------ */

ec_cache_cluster *ec_cache_cluster_dup(const ec_cache_cluster *cluster)
{
    if (!cluster)
        return NULL;
    return ecp_shape_dup(&ecp_shape_cache_cluster, cluster);
}

void ec_cache_cluster_free(ec_cache_cluster *cluster)
{
    ecp_shape_free(&ecp_shape_cache_cluster, cluster);
}

ec_replication_group *
ec_replication_group_dup(const ec_replication_group *group)
{
    if (!group)
        return NULL;
    return ecp_shape_dup(&ecp_shape_replication_group, group);
}

void ec_replication_group_free(ec_replication_group *group)
{
    ecp_shape_free(&ecp_shape_replication_group, group);
}

const ec_node_group_member *
ec_replication_group_find_member(const ec_replication_group *group,
                                 const char *cache_cluster_id,
                                 const ec_node_group **node_group)
{
    size_t i, j;

    if (node_group)
        *node_group = NULL;
    if (!group || !cache_cluster_id)
        return NULL;
    for (i = 0; i < group->node_groups.count; i++) {
        const ec_node_group *ng = group->node_groups.items[i];

        for (j = 0; ng && j < ng->node_group_members.count; j++) {
            const ec_node_group_member *m = ng->node_group_members.items[j];

            if (m && m->cache_cluster_id &&
                strcasecmp(m->cache_cluster_id, cache_cluster_id) == 0) {
                if (node_group)
                    *node_group = ng;
                return m;
            }
        }
    }
    return NULL;
}

const ec_cache_node *ec_cache_cluster_find_node(const ec_cache_cluster *cluster,
                                                const char *node_id)
{
    size_t i;

    if (!cluster || !node_id)
        return NULL;
    for (i = 0; i < cluster->cache_nodes.count; i++) {
        const ec_cache_node *n = cluster->cache_nodes.items[i];

        if (n && n->cache_node_id && strcmp(n->cache_node_id, node_id) == 0)
            return n;
    }
    return NULL;
}

/* request_id is not a model member (see the output shapes above), so the
 * outputs free it themselves. */
void ec_describe_cache_clusters_output_free(
    ec_describe_cache_clusters_output *out)
{
    if (!out)
        return;
    free(out->request_id);
    ecp_shape_free(&ecp_shape_cache_cluster_message, out);
}

void ec_reboot_cache_cluster_output_free(ec_reboot_cache_cluster_output *out)
{
    if (!out)
        return;
    free(out->request_id);
    ecp_shape_free(&ecp_shape_reboot_cache_cluster_result, out);
}

void ec_describe_events_output_free(ec_describe_events_output *out)
{
    if (!out)
        return;
    free(out->request_id);
    ecp_shape_free(&ecp_shape_events_message, out);
}

void ec_describe_replication_groups_output_free(
    ec_describe_replication_groups_output *out)
{
    if (!out)
        return;
    free(out->request_id);
    ecp_shape_free(&ecp_shape_replication_group_message, out);
}

void ec_modify_replication_group_output_free(
    ec_modify_replication_group_output *out)
{
    if (!out)
        return;
    free(out->request_id);
    ecp_shape_free(&ecp_shape_modify_replication_group_result, out);
}

void ec_list_tags_for_resource_output_free(
    ec_list_tags_for_resource_output *out)
{
    if (!out)
        return;
    free(out->request_id);
    ecp_shape_free(&ecp_shape_tag_list_message, out);
}
