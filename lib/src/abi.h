/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The library's side of the ABI rule for caller-filled structs (rule 2 of
 * elasticache.h): each one is imported once, at the public function that
 * receives it, into a zeroed copy of the library's own size.
 */
#ifndef ECP_ABI_H
#define ECP_ABI_H

#include <stddef.h>

#include "util.h"

/* What the import needs to know of one caller-filled struct. */
typedef struct ecp_struct_info {
    const char *name; /* "ec_config" */
    const char *init; /* "EC_CONFIG_INIT" */
    size_t size;      /* this library's sizeof */
    size_t min_size;  /* the end of its last member in 1.0.0, the first
                         published layout: no caller has less */
} ecp_struct_info;

extern const ecp_struct_info ecp_info_config;
extern const ecp_struct_info ecp_info_describe_cache_clusters_input;
extern const ecp_struct_info ecp_info_reboot_cache_cluster_input;
extern const ecp_struct_info ecp_info_describe_events_input;
extern const ecp_struct_info ecp_info_describe_replication_groups_input;
extern const ecp_struct_info ecp_info_modify_replication_group_input;
extern const ecp_struct_info ecp_info_list_tags_for_resource_input;
extern const ecp_struct_info ecp_info_reboot_policy;
extern const ecp_struct_info ecp_info_reboot_options;
extern const ecp_struct_info ecp_info_group_reboot_options;
extern const ecp_struct_info ecp_info_wait_options;
extern const ecp_struct_info ecp_info_probe_options;
extern const ecp_struct_info ecp_info_probe_target;
extern const ecp_struct_info ecp_info_jmespath_options;

/*
 * Copy the caller's struct `src` (whose first member is its uint32_t
 * struct_size) into `dst`, a struct of info->size bytes: dst is zeroed
 * first, so members beyond the caller's size read as zero, then
 * min(struct_size, info->size) bytes are copied and dst's struct_size is
 * set to info->size. A NULL `src` leaves dst all defaults.
 * EC_ERR_INVALID_ARGUMENT, naming the struct and its init macro, when
 * struct_size is 0 or smaller than any published layout, absurdly large,
 * or larger than info->size with a non-zero byte past it (the caller set
 * members this library does not know: it needs a newer libelasticache).
 */
int ecp_struct_import(const ecp_struct_info *info, void *dst, const void *src,
                      ec_error *err);

#endif
