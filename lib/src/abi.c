/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Importing caller-filled structs (see abi.h and docs/ABI.md): the one
 * place that reads a caller's struct_size.
 */
#include "abi.h"

#include <stdint.h>
#include <string.h>

/* No caller-filled struct comes near this; a bigger struct_size is an
 * uninitialised one, not a struct from the future. */
#define STRUCT_SIZE_MAX 65536u

/* The end of a member: with the member named the last one of the first
 * published layout, this stays right as members are appended. */
#define END_OF(type, member)                                                   \
    (offsetof(type, member) + sizeof(((type *)0)->member))

#define INFO(var, type, init, last)                                            \
    const ecp_struct_info var = {#type, init, sizeof(type), END_OF(type, last)}

INFO(ecp_info_config, ec_config, "EC_CONFIG_INIT", clock_userdata);
INFO(ecp_info_describe_cache_clusters_input, ec_describe_cache_clusters_input,
     "EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT",
     show_cache_clusters_not_in_replication_groups);
INFO(ecp_info_reboot_cache_cluster_input, ec_reboot_cache_cluster_input,
     "EC_REBOOT_CACHE_CLUSTER_INPUT_INIT", cache_node_id_count);
INFO(ecp_info_describe_events_input, ec_describe_events_input,
     "EC_DESCRIBE_EVENTS_INPUT_INIT", marker);
INFO(ecp_info_describe_replication_groups_input,
     ec_describe_replication_groups_input,
     "EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT", marker);
INFO(ecp_info_modify_replication_group_input, ec_modify_replication_group_input,
     "EC_MODIFY_REPLICATION_GROUP_INPUT_INIT", apply_immediately);
INFO(ecp_info_list_tags_for_resource_input, ec_list_tags_for_resource_input,
     "EC_LIST_TAGS_FOR_RESOURCE_INPUT_INIT", resource_name);
INFO(ecp_info_reboot_policy, ec_reboot_policy, "EC_REBOOT_POLICY_INIT",
     unless_rebooted_since);
INFO(ecp_info_reboot_options, ec_reboot_options, "EC_REBOOT_OPTIONS_INIT",
     progress_userdata);
/* First published with the probe hook: its layout then is the minimum. */
INFO(ecp_info_group_reboot_options, ec_group_reboot_options,
     "EC_GROUP_REBOOT_OPTIONS_INIT", probe_userdata);
INFO(ecp_info_wait_options, ec_wait_options, "EC_WAIT_OPTIONS_INIT",
     progress_userdata);
INFO(ecp_info_probe_options, ec_probe_options, "EC_PROBE_OPTIONS_INIT",
     ca_bundle);
INFO(ecp_info_probe_target, ec_probe_target, "EC_PROBE_TARGET_INIT", port);
INFO(ecp_info_jmespath_options, ec_jmespath_options, "EC_JMESPATH_OPTIONS_INIT",
     max_steps);

int ecp_struct_import(const ecp_struct_info *info, void *dst, const void *src,
                      ec_error *err)
{
    const unsigned char *extra;
    uint32_t size, lib_size = (uint32_t)info->size;
    size_t i;

    memset(dst, 0, info->size);
    memcpy(dst, &lib_size, sizeof(lib_size));
    if (!src)
        return 0;
    memcpy(&size, src, sizeof(size));
    if (size == 0)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "struct_size not set: initialise %s with %s",
                             info->name, info->init);
    if (size < info->min_size || size > STRUCT_SIZE_MAX)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "%s.struct_size is %u, which no %s ever had: "
                             "initialise %s with %s",
                             info->name, (unsigned)size, info->name, info->name,
                             info->init);
    if (size > info->size) {
        extra = (const unsigned char *)src + info->size;
        for (i = 0; i < size - info->size; i++)
            if (extra[i] != 0)
                return ecp_error_set(
                    err, EC_ERR_INVALID_ARGUMENT,
                    "%s sets members this libelasticache %s does not know "
                    "(struct_size %u, %zu here): the program needs a newer "
                    "libelasticache",
                    info->name, ec_version(), (unsigned)size, info->size);
    }
    memcpy(dst, src, size < info->size ? size : info->size);
    memcpy(dst, &lib_size, sizeof(lib_size));
    return 0;
}
