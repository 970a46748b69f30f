/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libelasticache: SigV4-signed Amazon ElastiCache Query-API calls, parsed
 * into C structs and rendered as JSON, plus a safe, idempotent reboot.
 *
 * Conventions (see STYLE.md):
 * - Public names start with ec_; every exported function carries EC_EXPORT.
 * - Functions that can fail return 0 on success and -1 on failure, and fill
 *   the optional `ec_error *err` (may be NULL). The first error recorded
 *   wins; call ec_error_clear() to reuse one.
 * - What the library hands back it allocated, and its own *_free()
 *   releases (NULL is fine). What the caller passes in is only borrowed.
 * - The library never prints and never exits.
 *
 * THE ABI RULE (docs/ABI.md has the details and the checks)
 *
 * This library is a shared object that programs keep using across its
 * updates, and its structs grow with the service model and with our
 * options. A program compiled against this header must keep working with
 * every later libelasticache.so.1, so no struct whose size a caller bakes
 * into its code may change size under it. Every public type is one of:
 *
 * 1. Opaque handles, for things with behaviour: `ec_client *`. Their
 *    layout is never visible; they grow freely.
 * 2. Caller-filled structs (ec_config, ec_reboot_options, ec_reboot_policy,
 *    ec_wait_options, ec_probe_options, ec_probe_target and every
 *    ec_*_input). Their first member is `uint32_t struct_size`, set to the
 *    sizeof the caller compiled with by the type's init macro:
 *        ec_config cfg = EC_CONFIG_INIT;
 *        ec_config cfg = {.struct_size = sizeof cfg, .region = "eu-west-1"};
 *    The library copies each one into a zeroed struct of its own size once,
 *    at its boundary: members beyond the caller's size read as zero (their
 *    default); a struct_size of 0 is EC_ERR_INVALID_ARGUMENT ("struct_size
 *    not set"); bytes beyond what this library knows must be zero, or the
 *    call fails with EC_ERR_INVALID_ARGUMENT saying the program needs a
 *    newer libelasticache (the rule of Linux's clone3 and openat2). Such a
 *    struct refers to another extensible struct only by pointer, and an
 *    array of them is passed as an array of pointers.
 * 3. Library-filled structs (every response shape, operation outputs,
 *    plans, results, statuses, progress): allocated and freed only by the
 *    library and reached only through pointers. Every list of them is an
 *    array of pointers (`ec_cache_node **items`), and one holds another
 *    such struct by pointer, never by value, so that each can grow alone.
 * 4. Frozen value types: ec_error (caller-allocated, like jansson's
 *    json_error_t), ec_time, ec_opt_int, ec_opt_bool, ec_opt_double,
 *    ec_strlist, the {set, count, items} list wrappers and the callback
 *    typedefs. They never change. Enums only grow at the end.
 *
 * Members of the types of rules 2 and 3 are only ever appended. Functions
 * never change signature: a removal or a signature change is a new
 * SOVERSION, with its new ABI baseline under lib/abi/. CI compares the
 * built library with that baseline (libabigail's abidiff, ctest abi.*).
 */
#ifndef ELASTICACHE_H
#define ELASTICACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(EC_STATIC)
#define EC_EXPORT
#elif defined(EC_BUILDING_LIBRARY)
#define EC_EXPORT __attribute__((visibility("default")))
#else
#define EC_EXPORT
#endif

/* The version of this header. ec_version() says which library is loaded;
 * the shared object's SONAME is libelasticache.so.EC_VERSION_MAJOR. */
#define EC_VERSION_MAJOR 1
#define EC_VERSION_MINOR 0
#define EC_VERSION_PATCH 0
#define EC_VERSION_STRING "1.0.0"

/* The ElastiCache Query-API version every call is made with. */
#define EC_API_VERSION "2015-02-02"

/** Version string of the library actually loaded ("1.0.0"). Static. */
EC_EXPORT const char *ec_version(void);

/* ------------------------------------------------------------------ */
/* Errors (frozen)                                                     */
/* ------------------------------------------------------------------ */

typedef enum ec_errcode {
    EC_OK = 0,
    EC_ERR_NOMEM,            /* allocation failed */
    EC_ERR_INVALID_ARGUMENT, /* caller input rejected before any call */
    EC_ERR_CONFIG,           /* region, profile, endpoint or file problem */
    EC_ERR_CREDENTIALS,      /* no credentials, or unusable ones */
    EC_ERR_SERVICE,          /* the service answered with an error */
    EC_ERR_TRANSPORT,        /* connection, TLS, DNS, reset */
    EC_ERR_TIMEOUT,          /* connect or read timeout */
    EC_ERR_PARSE,            /* malformed, truncated or oversized response */
    EC_ERR_WAIT_TIMEOUT,     /* a waiter ran out of time */
    EC_ERR_WAIT_FAILURE,     /* a waiter reached a failure state */
    EC_ERR_IO,               /* reading a local file failed */
    EC_ERR_INTERNAL,
    /* JMESPath (ec_jmespath_*): the compliance suite's error kinds. */
    EC_ERR_JMESPATH_SYNTAX,           /* the expression does not parse */
    EC_ERR_JMESPATH_INVALID_TYPE,     /* a function got a wrong type */
    EC_ERR_JMESPATH_INVALID_VALUE,    /* e.g. a slice step of 0 */
    EC_ERR_JMESPATH_INVALID_ARITY,    /* a function got too few/many args */
    EC_ERR_JMESPATH_UNKNOWN_FUNCTION, /* no such function */
    EC_ERR_JMESPATH_LIMIT             /* too deep, or too much work */
} ec_errcode;

#define EC_ERROR_TEXT_LENGTH 512

/* Caller-allocated and frozen: its layout never changes. */
typedef struct ec_error {
    ec_errcode code;
    int http_status;      /* 0 when no HTTP response was read */
    char aws_code[128];   /* service error code, e.g. "CacheClusterNotFound" */
    char aws_type[16];    /* "Sender" or "Receiver" when the service said */
    char request_id[128]; /* request id of the failing response, if any */
    char operation[64];   /* e.g. "RebootCacheCluster" */
    int attempts;         /* HTTP attempts made for the failing call */
    bool maybe_sent;      /* the request may have reached the service */
    char message[EC_ERROR_TEXT_LENGTH];
} ec_error;

/** Static text for an error code. Never NULL. */
EC_EXPORT const char *ec_strerror(ec_errcode code);

/** Reset an error struct so it can record a new error. NULL is fine. */
EC_EXPORT void ec_error_clear(ec_error *err);

/**
 * Format an error as the AWS CLI does: for EC_ERR_SERVICE
 * "An error occurred (Code) when calling the Op operation: Message",
 * otherwise the plain message. Writes at most `size` bytes including the
 * NUL and returns the length it wanted (snprintf semantics).
 */
EC_EXPORT int ec_error_format(const ec_error *err, char *buf, size_t size);

/* ------------------------------------------------------------------ */
/* Small value types (frozen)                                          */
/* ------------------------------------------------------------------ */

/* A point in time as the service gave it. `set` is false when absent. */
typedef struct ec_time {
    bool set;
    int64_t sec;        /* seconds since the epoch, UTC */
    int32_t usec;       /* microseconds, 0..999999 */
    int32_t offset_min; /* UTC offset the text carried, in minutes */
} ec_time;

typedef struct ec_opt_int {
    bool set;
    int64_t value;
} ec_opt_int;

typedef struct ec_opt_bool {
    bool set;
    bool value;
} ec_opt_bool;

/* A number with a fraction (service-2.json's "double"). Frozen, as
 * ec_opt_int. Always finite: the parser refuses "inf" and "nan" (JSON has
 * no way to print them), and the JSON renderers fail (NULL) on a struct
 * holding one. */
typedef struct ec_opt_double {
    bool set;
    double value;
} ec_opt_double;

/* A list of strings; `set` false means absent, true with count 0 means []. */
typedef struct ec_strlist {
    bool set;
    size_t count;
    char **items;
} ec_strlist;

/** Append a copy of `s` to `list` (which then reads as set). -1 when out
 *  of memory or `s` is NULL, leaving the list as it was. */
EC_EXPORT int ec_strlist_push(ec_strlist *list, const char *s);

/** Free a list's strings and array and zero it. NULL is fine. */
EC_EXPORT void ec_strlist_clear(ec_strlist *list);

/**
 * The items of `list` (NULL: none) joined by `separator` (NULL: ", ") into
 * `buf` of `size` bytes, for messages ("0001, 0002"). When they do not fit,
 * the text is cut and its last three characters are "...". Returns the
 * length written.
 */
EC_EXPORT size_t ec_strlist_join(const ec_strlist *list, const char *separator,
                                 char *buf, size_t size);

/** The current time from the system clock. */
EC_EXPORT ec_time ec_time_now(void);

/**
 * Parse an ISO 8601 / RFC 3339 timestamp ("2023-01-10T09:15:42.512Z",
 * "2023-01-10T09:15:42+02:00", "2023-01-10", "2023-01-10 09:15:42"), or a
 * whole number of epoch seconds. Returns -1 with EC_ERR_INVALID_ARGUMENT.
 */
EC_EXPORT int ec_time_parse(const char *text, ec_time *out, ec_error *err);

/**
 * Parse a moment given either as a timestamp (see ec_time_parse) or as a
 * relative age before `now`: "90s", "30m", "2h", "1d", "1w", or a bare
 * number of seconds with a unit. Used by unless_rebooted_since and
 * --min-interval.
 */
EC_EXPORT int ec_time_parse_since(const char *text, ec_time now, ec_time *out,
                                  ec_error *err);

/**
 * Format as Python's datetime.isoformat() does for a tz-aware datetime,
 * which is what AWS CLI v2 prints: "2023-01-10T09:15:42.512000+00:00", no
 * fraction when usec is 0. Needs 33 bytes. Returns the length or -1.
 */
EC_EXPORT int ec_time_format_iso(ec_time t, char *buf, size_t size);

/** Difference a - b in seconds. */
EC_EXPORT double ec_time_diff(ec_time a, ec_time b);

/* ------------------------------------------------------------------ */
/* Shapes (service-2.json, 2015-02-02). Every member is kept.          */
/* Library-filled (rule 3): allocated, copied and freed by the         */
/* library. A NULL pointer or set=false means the element was absent.  */
/* ------------------------------------------------------------------ */

typedef struct ec_endpoint {
    char *address;
    ec_opt_int port;
} ec_endpoint;

typedef struct ec_cloudwatch_logs_destination_details {
    char *log_group;
} ec_cloudwatch_logs_destination_details;

typedef struct ec_kinesis_firehose_destination_details {
    char *delivery_stream;
} ec_kinesis_firehose_destination_details;

typedef struct ec_destination_details {
    ec_cloudwatch_logs_destination_details *cloud_watch_logs_details;
    ec_kinesis_firehose_destination_details *kinesis_firehose_details;
} ec_destination_details;

typedef struct ec_pending_log_delivery_configuration {
    char *log_type;
    char *destination_type;
    ec_destination_details *destination_details;
    char *log_format;
} ec_pending_log_delivery_configuration;

/* The list wrappers are frozen: {set, count, array of pointers}. */
typedef struct ec_pending_log_delivery_configuration_list {
    bool set;
    size_t count;
    ec_pending_log_delivery_configuration **items;
} ec_pending_log_delivery_configuration_list;

typedef struct ec_pending_modified_values {
    ec_opt_int num_cache_nodes;
    ec_strlist cache_node_ids_to_remove;
    char *engine_version;
    char *cache_node_type;
    char *auth_token_status;
    ec_pending_log_delivery_configuration_list log_delivery_configurations;
} ec_pending_modified_values;

typedef struct ec_notification_configuration {
    char *topic_arn;
    char *topic_status;
} ec_notification_configuration;

typedef struct ec_cache_security_group_membership {
    char *cache_security_group_name;
    char *status;
} ec_cache_security_group_membership;

typedef struct ec_cache_security_group_membership_list {
    bool set;
    size_t count;
    ec_cache_security_group_membership **items;
} ec_cache_security_group_membership_list;

typedef struct ec_cache_parameter_group_status {
    char *cache_parameter_group_name;
    char *parameter_apply_status;
    ec_strlist cache_node_ids_to_reboot;
} ec_cache_parameter_group_status;

typedef struct ec_cache_node {
    char *cache_node_id;
    char *cache_node_status;
    ec_time cache_node_create_time;
    ec_endpoint *endpoint;
    char *parameter_group_status;
    char *source_cache_node_id;
    char *customer_availability_zone;
    char *customer_outpost_arn;
} ec_cache_node;

typedef struct ec_cache_node_list {
    bool set;
    size_t count;
    ec_cache_node **items;
} ec_cache_node_list;

typedef struct ec_security_group_membership {
    char *security_group_id;
    char *status;
} ec_security_group_membership;

typedef struct ec_security_group_membership_list {
    bool set;
    size_t count;
    ec_security_group_membership **items;
} ec_security_group_membership_list;

typedef struct ec_log_delivery_configuration {
    char *log_type;
    char *destination_type;
    ec_destination_details *destination_details;
    char *log_format;
    char *status;
    char *message;
} ec_log_delivery_configuration;

typedef struct ec_log_delivery_configuration_list {
    bool set;
    size_t count;
    ec_log_delivery_configuration **items;
} ec_log_delivery_configuration_list;

typedef struct ec_cache_cluster {
    char *cache_cluster_id;
    ec_endpoint *configuration_endpoint;
    char *client_download_landing_page;
    char *cache_node_type;
    char *engine;
    char *engine_version;
    char *cache_cluster_status;
    ec_opt_int num_cache_nodes;
    char *preferred_availability_zone;
    char *preferred_outpost_arn;
    ec_time cache_cluster_create_time;
    char *preferred_maintenance_window;
    ec_pending_modified_values *pending_modified_values;
    ec_notification_configuration *notification_configuration;
    ec_cache_security_group_membership_list cache_security_groups;
    ec_cache_parameter_group_status *cache_parameter_group;
    char *cache_subnet_group_name;
    ec_cache_node_list cache_nodes;
    ec_opt_bool auto_minor_version_upgrade;
    ec_security_group_membership_list security_groups;
    char *replication_group_id;
    ec_opt_int snapshot_retention_limit;
    char *snapshot_window;
    ec_opt_bool auth_token_enabled;
    ec_time auth_token_last_modified_date;
    ec_opt_bool transit_encryption_enabled;
    ec_opt_bool at_rest_encryption_enabled;
    char *arn;
    ec_opt_bool replication_group_log_delivery_enabled;
    ec_log_delivery_configuration_list log_delivery_configurations;
    char *network_type;
    char *ip_discovery;
    /* Appended after 1.0.0: "preferred" (TLS and plain text accepted) or
     * "required"; newer than the 2015-02-02 model the library was made
     * from, and sent by the service with TransitEncryptionEnabled. */
    char *transit_encryption_mode;
} ec_cache_cluster;

typedef struct ec_cache_cluster_list {
    bool set;
    size_t count;
    ec_cache_cluster **items;
} ec_cache_cluster_list;

typedef struct ec_event {
    char *source_identifier;
    char *source_type;
    char *message;
    ec_time date;
} ec_event;

typedef struct ec_event_list {
    bool set;
    size_t count;
    ec_event **items;
} ec_event_list;

/* The ReplicationGroup shape and the shapes it holds (Redis replication
 * groups: DescribeReplicationGroups, ModifyReplicationGroup). */

typedef struct ec_global_replication_group_info {
    char *global_replication_group_id;
    char *global_replication_group_member_role;
} ec_global_replication_group_info;

typedef struct ec_slot_migration {
    ec_opt_double progress_percentage;
} ec_slot_migration;

typedef struct ec_resharding_status {
    ec_slot_migration *slot_migration;
} ec_resharding_status;

typedef struct ec_user_groups_update_status {
    ec_strlist user_group_ids_to_add;
    ec_strlist user_group_ids_to_remove;
} ec_user_groups_update_status;

typedef struct ec_replication_group_pending_modified_values {
    char *primary_cluster_id;
    char *automatic_failover_status; /* "enabled", "disabled" */
    ec_resharding_status *resharding;
    char *auth_token_status;
    ec_user_groups_update_status *user_groups;
    ec_pending_log_delivery_configuration_list log_delivery_configurations;
} ec_replication_group_pending_modified_values;

/* One member of a node group: a cache cluster (one node) and its role. */
typedef struct ec_node_group_member {
    char *cache_cluster_id;
    char *cache_node_id;
    ec_endpoint *read_endpoint;
    char *preferred_availability_zone;
    char *preferred_outpost_arn;
    char *current_role; /* "primary" or "replica" (cluster mode disabled) */
} ec_node_group_member;

typedef struct ec_node_group_member_list {
    bool set;
    size_t count;
    ec_node_group_member **items;
} ec_node_group_member_list;

/* A node group (a shard): one for cluster mode disabled, one per shard for
 * cluster mode enabled. */
typedef struct ec_node_group {
    char *node_group_id;
    char *status;
    ec_endpoint *primary_endpoint;
    ec_endpoint *reader_endpoint;
    char *slots;
    ec_node_group_member_list node_group_members;
} ec_node_group;

typedef struct ec_node_group_list {
    bool set;
    size_t count;
    ec_node_group **items;
} ec_node_group_list;

typedef struct ec_replication_group {
    char *replication_group_id;
    char *description;
    ec_global_replication_group_info *global_replication_group_info;
    char *status; /* creating, available, modifying, deleting, ... */
    ec_replication_group_pending_modified_values *pending_modified_values;
    ec_strlist member_clusters;
    ec_node_group_list node_groups;
    char *snapshotting_cluster_id;
    char *automatic_failover; /* enabled, disabled, enabling, disabling */
    char *multi_az;           /* enabled, disabled */
    ec_endpoint *configuration_endpoint;
    ec_opt_int snapshot_retention_limit;
    char *snapshot_window;
    ec_opt_bool cluster_enabled; /* cluster mode enabled */
    char *cache_node_type;
    ec_opt_bool auth_token_enabled;
    ec_time auth_token_last_modified_date;
    ec_opt_bool transit_encryption_enabled;
    ec_opt_bool at_rest_encryption_enabled;
    ec_strlist member_clusters_outpost_arns;
    char *kms_key_id;
    char *arn;
    ec_strlist user_group_ids;
    ec_log_delivery_configuration_list log_delivery_configurations;
    ec_time replication_group_create_time;
    char *data_tiering;
    ec_opt_bool auto_minor_version_upgrade;
    char *network_type;
    char *ip_discovery;
} ec_replication_group;

typedef struct ec_replication_group_list {
    bool set;
    size_t count;
    ec_replication_group **items;
} ec_replication_group_list;

/** A deep copy of `cluster`, or NULL when out of memory (or `cluster` is
 *  NULL). Free it with ec_cache_cluster_free(). */
EC_EXPORT ec_cache_cluster *
ec_cache_cluster_dup(const ec_cache_cluster *cluster);

/** Free a cache cluster the library handed out and everything it owns.
 *  NULL is fine. */
EC_EXPORT void ec_cache_cluster_free(ec_cache_cluster *cluster);

/** Borrowed pointer to node `node_id` inside `cluster` (valid while the
 *  cluster lives), or NULL. */
EC_EXPORT const ec_cache_node *
ec_cache_cluster_find_node(const ec_cache_cluster *cluster,
                           const char *node_id);

/** A deep copy of `group`, or NULL when out of memory (or `group` is NULL).
 *  Free it with ec_replication_group_free(). */
EC_EXPORT ec_replication_group *
ec_replication_group_dup(const ec_replication_group *group);

/** Free a replication group the library handed out and everything it
 *  owns. NULL is fine. */
EC_EXPORT void ec_replication_group_free(ec_replication_group *group);

/**
 * Borrowed pointer to the node group member whose CacheClusterId is
 * `cache_cluster_id` (compared case-insensitively, as ElastiCache does),
 * searching every node group of `group`; NULL when there is none. When
 * `node_group` is not NULL, *node_group is the node group holding it (or
 * NULL). Valid while the group lives.
 */
EC_EXPORT const ec_node_group_member *
ec_replication_group_find_member(const ec_replication_group *group,
                                 const char *cache_cluster_id,
                                 const ec_node_group **node_group);

/* ------------------------------------------------------------------ */
/* Operations: inputs (rule 2) are borrowed; outputs (rule 3) are      */
/* allocated by the call and freed with their *_output_free().         */
/* ------------------------------------------------------------------ */

typedef struct ec_describe_cache_clusters_input {
    uint32_t struct_size;         /* EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT */
    const char *cache_cluster_id; /* NULL: every cluster */
    ec_opt_int max_records;       /* 20..100 per page */
    const char *marker;
    ec_opt_bool show_cache_node_info;
    ec_opt_bool show_cache_clusters_not_in_replication_groups;
} ec_describe_cache_clusters_input;

#define EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT                                  \
    {                                                                          \
        .struct_size = sizeof(ec_describe_cache_clusters_input)                \
    }

typedef struct ec_describe_cache_clusters_output {
    char *marker;
    ec_cache_cluster_list cache_clusters;
    char *request_id;
} ec_describe_cache_clusters_output;

typedef struct ec_reboot_cache_cluster_input {
    uint32_t struct_size; /* EC_REBOOT_CACHE_CLUSTER_INPUT_INIT */
    const char *cache_cluster_id;
    const char *const *cache_node_ids_to_reboot;
    size_t cache_node_id_count;
} ec_reboot_cache_cluster_input;

#define EC_REBOOT_CACHE_CLUSTER_INPUT_INIT                                     \
    {                                                                          \
        .struct_size = sizeof(ec_reboot_cache_cluster_input)                   \
    }

typedef struct ec_reboot_cache_cluster_output {
    ec_cache_cluster *cache_cluster; /* NULL if the response had none */
    char *request_id;
} ec_reboot_cache_cluster_output;

typedef struct ec_describe_events_input {
    uint32_t struct_size; /* EC_DESCRIBE_EVENTS_INPUT_INIT */
    const char *source_identifier;
    const char *source_type; /* "cache-cluster", ... */
    ec_time start_time;
    ec_time end_time;
    ec_opt_int duration; /* minutes */
    ec_opt_int max_records;
    const char *marker;
} ec_describe_events_input;

#define EC_DESCRIBE_EVENTS_INPUT_INIT                                          \
    {                                                                          \
        .struct_size = sizeof(ec_describe_events_input)                        \
    }

typedef struct ec_describe_events_output {
    char *marker;
    ec_event_list events;
    char *request_id;
} ec_describe_events_output;

typedef struct ec_describe_replication_groups_input {
    uint32_t struct_size; /* EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT */
    const char *replication_group_id; /* NULL: every group */
    ec_opt_int max_records;           /* 20..100 per page */
    const char *marker;
} ec_describe_replication_groups_input;

#define EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT                              \
    {                                                                          \
        .struct_size = sizeof(ec_describe_replication_groups_input)            \
    }

typedef struct ec_describe_replication_groups_output {
    char *marker;
    ec_replication_group_list replication_groups;
    char *request_id;
} ec_describe_replication_groups_output;

/* The members of ModifyReplicationGroupMessage a primary move needs; the
 * others may be appended later. Unset members are not sent. */
typedef struct ec_modify_replication_group_input {
    uint32_t struct_size; /* EC_MODIFY_REPLICATION_GROUP_INPUT_INIT */
    const char *replication_group_id; /* required */
    const char *primary_cluster_id;   /* promote this member to primary */
    ec_opt_bool automatic_failover_enabled;
    ec_opt_bool multi_az_enabled;
    ec_opt_bool apply_immediately; /* unset: the service's default, false */
} ec_modify_replication_group_input;

#define EC_MODIFY_REPLICATION_GROUP_INPUT_INIT                                 \
    {                                                                          \
        .struct_size = sizeof(ec_modify_replication_group_input)               \
    }

typedef struct ec_modify_replication_group_output {
    ec_replication_group *replication_group; /* NULL if the answer had none */
    char *request_id;
} ec_modify_replication_group_output;

/** Free an operation's output and everything it owns. NULL is fine. */
EC_EXPORT void
ec_describe_cache_clusters_output_free(ec_describe_cache_clusters_output *out);
EC_EXPORT void
ec_reboot_cache_cluster_output_free(ec_reboot_cache_cluster_output *out);
EC_EXPORT void ec_describe_events_output_free(ec_describe_events_output *out);
EC_EXPORT void ec_describe_replication_groups_output_free(
    ec_describe_replication_groups_output *out);
EC_EXPORT void ec_modify_replication_group_output_free(
    ec_modify_replication_group_output *out);

/* ------------------------------------------------------------------ */
/* Validation (pure, before any network call)                          */
/* ------------------------------------------------------------------ */

/**
 * Check a cache cluster id against ElastiCache's rules (1-50 characters,
 * letters, digits and hyphens, starts with a letter, no "--", no trailing
 * hyphen) and write its stored, lowercase form into `out` (>= 51 bytes).
 * EC_ERR_INVALID_ARGUMENT with a message saying what is wrong, starting
 * with "Invalid cache cluster id". Every operation taking a cluster id
 * checks it so, before any request: callers need not check it first.
 */
EC_EXPORT int ec_validate_cache_cluster_id(const char *id, char *out,
                                           size_t size, ec_error *err);

/** Check a cache node id: exactly 4 digits ("0001"). The message of the
 *  EC_ERR_INVALID_ARGUMENT starts with "Invalid cache node id". */
EC_EXPORT int ec_validate_cache_node_id(const char *id, ec_error *err);

/**
 * Check a replication group id against ElastiCache's rules (1-40
 * characters, letters, digits and hyphens, starts with a letter, no "--",
 * no trailing hyphen) and write its stored, lowercase form into `out` (>=
 * 41 bytes; NULL: only check). The message of the EC_ERR_INVALID_ARGUMENT
 * starts with "Invalid replication group id". The operations taking a
 * group id check it so, before any request.
 */
EC_EXPORT int ec_validate_replication_group_id(const char *id, char *out,
                                               size_t size, ec_error *err);

/* ------------------------------------------------------------------ */
/* Client: configuration, credentials, region, endpoint, transport     */
/* ------------------------------------------------------------------ */

/* Called with one line of debug text (no trailing newline). Never given
 * secrets. */
typedef void (*ec_debug_fn)(void *userdata, const char *line);

/* Clock and sleep hooks, for tests; NULL uses the system ones. */
typedef ec_time (*ec_now_fn)(void *userdata);
typedef void (*ec_sleep_fn)(void *userdata, double seconds);

/* Caller-filled (rule 2): start from EC_CONFIG_INIT. */
typedef struct ec_config {
    uint32_t struct_size; /* EC_CONFIG_INIT */

    /* Each NULL/0 field falls back to the environment, then the shared
     * config files, then the default, as the AWS CLI does. */
    const char *region;
    const char *profile;
    const char *endpoint_url;
    const char *ca_bundle;
    bool no_verify_ssl;        /* TLS verification is on unless set */
    double connect_timeout;    /* seconds; 0: 60 as the AWS CLI */
    double read_timeout;       /* seconds; 0: 60 as the AWS CLI */
    int max_attempts;          /* 0: AWS_MAX_ATTEMPTS, config, or 3 */
    const char *retry_mode;    /* NULL: AWS_RETRY_MODE, config, "standard" */
    size_t max_response_bytes; /* 0: 16 MiB */

    /* Explicit credentials; used before any other provider when both the
     * key id and the secret are given (one without the other is an
     * error). Borrowed: the client copies them and wipes its copies when
     * freed. Leave them NULL to get botocore's credential chain: the
     * environment, assume-role and web-identity profiles, IAM Identity
     * Center (SSO), the shared files, credential_process, container and
     * instance (IMDS) credentials. A named `profile` takes the environment
     * variables out of that chain, as in botocore. Temporary credentials
     * are refreshed before they expire, before any signed request. */
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;

    /* NULL: the process environment. Otherwise a NULL-terminated
     * "NAME=value" array, which is all the library will read (and what a
     * credential_process is given). */
    const char *const *environ;

    ec_debug_fn debug;
    void *debug_userdata;
    ec_now_fn now;
    ec_sleep_fn sleep;
    void *clock_userdata;

    /* Appended members. */

    /* Seconds a profile's credential_process may run before it is killed;
     * 0: 60. */
    double credential_process_timeout;
    /* For a tool that chooses the profile itself, as amazon.aws does (the
     * Ansible module): AWS_PROFILE and AWS_DEFAULT_PROFILE are not read,
     * and a NULL `profile` means the default one. Every other variable is
     * still read. */
    bool no_profile_env;
    /* Appended to the User-Agent header after a space, as botocore's
     * Config(user_agent_extra=...): "libelasticache/1.0.0 (libcurl/8.x)
     * EXTRA". NULL or "": nothing. A control character in it is
     * EC_ERR_CONFIG from ec_client_new (it would end the header). */
    const char *user_agent_extra;
} ec_config;

#define EC_CONFIG_INIT                                                         \
    {                                                                          \
        .struct_size = sizeof(ec_config)                                       \
    }

typedef struct ec_client ec_client;

/**
 * Make a client: resolves region, endpoint, retry settings, picks the
 * credential provider (botocore's chain, see ec_config) and sets up one
 * reusable connection. No network call is made, except to the instance
 * metadata service when nothing configures a region (as the AWS CLI v2
 * does; AWS_EC2_METADATA_DISABLED=true prevents it). Credentials that
 * need the network (STS, SSO, containers, IMDS, credential_process) are
 * fetched before the first signed request, and refreshed before expiry.
 * `config` (NULL: every default) is copied; nothing it points to is kept.
 * Returns NULL on failure with EC_ERR_CONFIG or EC_ERR_CREDENTIALS, or
 * EC_ERR_INVALID_ARGUMENT for a config without struct_size; a failure to
 * fetch credentials later is EC_ERR_CREDENTIALS from the call.
 */
EC_EXPORT ec_client *ec_client_new(const ec_config *config, ec_error *err);

/** Free a client, wiping every secret it holds. NULL is fine. */
EC_EXPORT void ec_client_free(ec_client *client);

/** Borrowed, valid while the client lives. */
EC_EXPORT const char *ec_client_region(const ec_client *client);
EC_EXPORT const char *ec_client_endpoint(const ec_client *client);

/** Number of HTTP requests the client has sent (all attempts). */
EC_EXPORT unsigned long ec_client_request_count(const ec_client *client);

/**
 * The client's clock: ec_config.now when one was given (tests inject a
 * virtual clock), else the system clock. Everything the client times, and
 * relative times the tools take ("30m" for ec_time_parse_since), count from
 * it. A NULL client reads the system clock.
 */
EC_EXPORT ec_time ec_client_now(const ec_client *client);

/**
 * botocore's name of the credential provider the client uses: "explicit",
 * "env", "assume-role", "assume-role-with-web-identity", "sso",
 * "shared-credentials-file", "custom-process", "config-file",
 * "ec2-credentials-file", "boto-config", "container-role" or "iam-role".
 * Static; NULL for a NULL client. Never a secret.
 */
EC_EXPORT const char *ec_client_credential_source(const ec_client *client);

/**
 * A setting of the client's profile as the AWS CLI's session reads it
 * (botocore's full_config: the credentials file's [NAME] section wins, key
 * by key, over the config file's profile section), for the settings a tool
 * applies itself: "output", "cli_pager", "cli_timestamp_format", ... `key`
 * is lowercase, as configparser stores keys. Returns a borrowed string,
 * valid until ec_client_free, or NULL when the profile does not set the
 * key (or for a NULL argument). Secrets are never handed out: for
 * aws_secret_access_key, aws_session_token and aws_security_token it
 * returns NULL.
 */
EC_EXPORT const char *ec_client_profile_setting(const ec_client *client,
                                                const char *key);

/**
 * One page of DescribeCacheClusters. On success *out is a new output (free
 * it with ec_describe_cache_clusters_output_free); on failure it is NULL.
 */
EC_EXPORT int ec_describe_cache_clusters(
    ec_client *client, const ec_describe_cache_clusters_input *in,
    ec_describe_cache_clusters_output **out, ec_error *err);

/** Every page, following Marker until it is absent; the pages' clusters
 *  are concatenated into *out and (*out)->marker is NULL. A repeated
 *  marker is an error, as in botocore's paginator. */
EC_EXPORT int ec_describe_cache_clusters_all(
    ec_client *client, const ec_describe_cache_clusters_input *in,
    ec_describe_cache_clusters_output **out, ec_error *err);

/** RebootCacheCluster, sent once: never retried after it may have reached
 *  the service (see ec_reboot for the safe operation). *out as above. */
EC_EXPORT int ec_reboot_cache_cluster(ec_client *client,
                                      const ec_reboot_cache_cluster_input *in,
                                      ec_reboot_cache_cluster_output **out,
                                      ec_error *err);

/** One page of DescribeEvents; *out as above. */
EC_EXPORT int ec_describe_events(ec_client *client,
                                 const ec_describe_events_input *in,
                                 ec_describe_events_output **out,
                                 ec_error *err);

/** Every page of DescribeEvents, as ec_describe_cache_clusters_all. */
EC_EXPORT int ec_describe_events_all(ec_client *client,
                                     const ec_describe_events_input *in,
                                     ec_describe_events_output **out,
                                     ec_error *err);

/**
 * One page of DescribeReplicationGroups (every group, or the one named by
 * replication_group_id, which is validated and sent lowercase). On success
 * *out is a new output (free it with
 * ec_describe_replication_groups_output_free); on failure it is NULL. An
 * unknown group is EC_ERR_SERVICE with aws_code
 * "ReplicationGroupNotFoundFault". Read-only, so retried like the other
 * describes.
 */
EC_EXPORT int ec_describe_replication_groups(
    ec_client *client, const ec_describe_replication_groups_input *in,
    ec_describe_replication_groups_output **out, ec_error *err);

/** Every page of DescribeReplicationGroups, as
 *  ec_describe_cache_clusters_all. */
EC_EXPORT int ec_describe_replication_groups_all(
    ec_client *client, const ec_describe_replication_groups_input *in,
    ec_describe_replication_groups_output **out, ec_error *err);

/**
 * ModifyReplicationGroup with the members a safe primary move needs
 * (PrimaryClusterId, AutomaticFailoverEnabled, MultiAZEnabled,
 * ApplyImmediately). *out as above; its replication_group is the group as
 * the service answered (typically "modifying").
 *
 * Sent once, as RebootCacheCluster: resent only when the failure proves
 * the service did not act on it (throttled, or no connection made); once
 * it may have reached the service a failure sets err->maybe_sent and the
 * caller must describe the group to learn what happened. The call is not
 * provably idempotent: a resend that meets the first one still applying
 * is refused (InvalidReplicationGroupState), turning a success into a
 * failure; and a PrimaryClusterId resent after the first one completed
 * and something else (automatic failover, an operator) moved the primary
 * since would start a second failover nobody asked for. Refused before
 * any request (EC_ERR_INVALID_ARGUMENT): a missing or invalid group id,
 * and a primary_cluster_id that is not a valid cluster id (both are sent
 * lowercase).
 */
EC_EXPORT int ec_modify_replication_group(
    ec_client *client, const ec_modify_replication_group_input *in,
    ec_modify_replication_group_output **out, ec_error *err);

/* ------------------------------------------------------------------ */
/* JSON rendering                                                      */
/* ------------------------------------------------------------------ */

typedef enum ec_json_style {
    EC_JSON_AWS,  /* AWS CLI v2 --output json: CamelCase, model order */
    EC_JSON_SNAKE /* amazon.aws camel_dict_to_snake_dict */
} ec_json_style;

/* Each returns a new reference, or NULL on allocation failure. */
EC_EXPORT json_t *ec_cache_cluster_to_json(const ec_cache_cluster *cluster,
                                           ec_json_style style);
EC_EXPORT json_t *ec_cache_node_to_json(const ec_cache_node *node,
                                        ec_json_style style);
EC_EXPORT json_t *ec_describe_cache_clusters_output_to_json(
    const ec_describe_cache_clusters_output *out, ec_json_style style);
EC_EXPORT json_t *ec_reboot_cache_cluster_output_to_json(
    const ec_reboot_cache_cluster_output *out, ec_json_style style);
EC_EXPORT json_t *
ec_describe_events_output_to_json(const ec_describe_events_output *out,
                                  ec_json_style style);
EC_EXPORT json_t *
ec_replication_group_to_json(const ec_replication_group *group,
                             ec_json_style style);
EC_EXPORT json_t *ec_describe_replication_groups_output_to_json(
    const ec_describe_replication_groups_output *out, ec_json_style style);
EC_EXPORT json_t *ec_modify_replication_group_output_to_json(
    const ec_modify_replication_group_output *out, ec_json_style style);

/** amazon.aws camel_dict_to_snake_dict's key conversion
 *  ("CacheClusterId" -> "cache_cluster_id", "ARN" -> "arn"). Writes at most
 *  `size` bytes; returns the full length (snprintf semantics). */
EC_EXPORT int ec_snake_case(const char *camel, char *buf, size_t size);

/**
 * Serialise as AWS CLI v2 prints (Python json.dumps(indent=4,
 * ensure_ascii=False) plus a newline). Caller frees with free().
 */
EC_EXPORT char *ec_json_dumps_aws(const json_t *json);

/**
 * An output as AWS CLI v2 `--output json` prints it, written straight from
 * the struct: byte for byte ec_json_dumps_aws(ec_*_output_to_json(out,
 * EC_JSON_AWS)), without building and then walking a jansson tree (several
 * times faster on a large page). For printing as is; use the _to_json
 * functions to evaluate --query or render another format. Returns a new
 * string the caller frees with free(), or NULL when `out` is NULL, memory
 * runs out, or a value cannot be rendered (the cases where the _to_json
 * rendering fails too: a string that is not valid UTF-8, a timestamp
 * outside years 1..9999).
 */
EC_EXPORT char *ec_describe_cache_clusters_output_dumps_aws(
    const ec_describe_cache_clusters_output *out);
EC_EXPORT char *ec_reboot_cache_cluster_output_dumps_aws(
    const ec_reboot_cache_cluster_output *out);
EC_EXPORT char *
ec_describe_events_output_dumps_aws(const ec_describe_events_output *out);
EC_EXPORT char *ec_describe_replication_groups_output_dumps_aws(
    const ec_describe_replication_groups_output *out);
EC_EXPORT char *ec_modify_replication_group_output_dumps_aws(
    const ec_modify_replication_group_output *out);

/* ------------------------------------------------------------------ */
/* Tags: ListTagsForResource                                           */
/* ------------------------------------------------------------------ */

/* Kept together: the tag shapes, the operation and its renderings. */

/* The Tag shape: Key and Value as the service returned them (the model
 * allows a tag without a value: NULL). */
typedef struct ec_tag {
    char *key;
    char *value;
} ec_tag;

typedef struct ec_tag_list {
    bool set;
    size_t count;
    ec_tag **items;
} ec_tag_list;

typedef struct ec_list_tags_for_resource_input {
    uint32_t struct_size; /* EC_LIST_TAGS_FOR_RESOURCE_INPUT_INIT */
    /* Required: the resource's ARN, as DescribeCacheClusters and
     * DescribeReplicationGroups return it (ARN). */
    const char *resource_name;
} ec_list_tags_for_resource_input;

#define EC_LIST_TAGS_FOR_RESOURCE_INPUT_INIT                                   \
    {                                                                          \
        .struct_size = sizeof(ec_list_tags_for_resource_input)                 \
    }

typedef struct ec_list_tags_for_resource_output {
    ec_tag_list tag_list; /* TagList, in the service's order */
    char *request_id;
} ec_list_tags_for_resource_output;

/**
 * ListTagsForResource: the tags of the resource whose ARN is
 * in->resource_name. One request per resource (the service has no batch
 * form); read-only, so retried with the client's retry mode and backoff,
 * throttling included, like the describes. On success *out is a new
 * output (free it with ec_list_tags_for_resource_output_free); on failure
 * it is NULL. A missing or empty resource_name is EC_ERR_INVALID_ARGUMENT
 * before any request; the service's refusals are EC_ERR_SERVICE with its
 * code (InvalidARN, CacheClusterNotFound, ReplicationGroupNotFoundFault,
 * ...).
 */
EC_EXPORT int ec_list_tags_for_resource(
    ec_client *client, const ec_list_tags_for_resource_input *in,
    ec_list_tags_for_resource_output **out, ec_error *err);

/** Free the output and everything it owns. NULL is fine. */
EC_EXPORT void
ec_list_tags_for_resource_output_free(ec_list_tags_for_resource_output *out);

/** As the other _to_json functions: {"TagList": [{"Key", "Value"}, ...]}
 *  (EC_JSON_AWS) or {"tag_list": [{"key", "value"}, ...]}
 *  (EC_JSON_SNAKE). A new reference, or NULL (out NULL, no memory). */
EC_EXPORT json_t *ec_list_tags_for_resource_output_to_json(
    const ec_list_tags_for_resource_output *out, ec_json_style style);

/** What `aws elasticache list-tags-for-resource --output json` prints, as
 *  the other _dumps_aws functions. The caller frees it with free(). */
EC_EXPORT char *ec_list_tags_for_resource_output_dumps_aws(
    const ec_list_tags_for_resource_output *out);

/** amazon.aws's boto3_tag_list_to_ansible_dict: the tags as one JSON
 *  object {"Key": "Value", ...}, keys and values as they are (no case
 *  change); a tag without a value maps to null, and a repeated key keeps
 *  its last value. A new reference, or NULL (out NULL, no memory). */
EC_EXPORT json_t *
ec_tag_list_to_dict(const ec_list_tags_for_resource_output *out);

/* ------------------------------------------------------------------ */
/* Safe, idempotent reboot                                             */
/* ------------------------------------------------------------------ */

typedef enum ec_reboot_decision {
    EC_DECIDE_REBOOT = 0,        /* reboot plan.node_ids */
    EC_DECIDE_NOTHING_PENDING,   /* only_if_pending and nothing pending */
    EC_DECIDE_ALREADY_REBOOTING, /* the nodes are rebooting already */
    EC_DECIDE_RECENTLY_REBOOTED, /* all restarted since the given time */
    EC_DECIDE_BUSY,              /* cluster in another transitional state */
    EC_DECIDE_UNSUPPORTED,       /* e.g. cluster-mode-enabled member */
    EC_DECIDE_NO_NODES,          /* the node list was given, and empty */
    /* A safety rule refused it before anything was sent: the primary of a
     * replication group rebooted in place without allow_primary_reboot, a
     * group with no replica to move its primary to. */
    EC_DECIDE_REFUSED
} ec_reboot_decision;

/** Short static text for a decision ("nothing pending reboot", ...). */
EC_EXPORT const char *ec_reboot_decision_str(ec_reboot_decision d);

/** The decision's stable machine name, part of the tools' JSON contract
 *  (unlike ec_reboot_decision_str's phrases): "reboot", "nothing-pending",
 *  "already-rebooting", "recently-rebooted", "busy", "unsupported",
 *  "no-nodes", "refused"; "unknown" for any other value. Static. */
EC_EXPORT const char *ec_reboot_decision_name(ec_reboot_decision d);

/* Caller-filled (rule 2): start from EC_REBOOT_POLICY_INIT. */
typedef struct ec_reboot_policy {
    uint32_t struct_size;        /* EC_REBOOT_POLICY_INIT */
    const char *const *node_ids; /* NULL/0: every node (see node_ids_set) */
    size_t node_count;
    bool only_if_pending;          /* only nodes with pending-reboot */
    ec_time unless_rebooted_since; /* skip nodes restarted after this */

    /* Appended members. */

    /* The caller gave a node list, even an empty one: node_count 0 then
     * means no node at all (decision EC_DECIDE_NO_NODES, nothing sent),
     * never "every node". False (the default, and every caller built
     * before it existed): an empty list means every node. Set it whenever
     * the list comes from a user or is computed, so that a list that came
     * out empty cannot reboot the whole cluster. */
    bool node_ids_set;
} ec_reboot_policy;

#define EC_REBOOT_POLICY_INIT                                                  \
    {                                                                          \
        .struct_size = sizeof(ec_reboot_policy)                                \
    }

/* Library-filled (rule 3). */
typedef struct ec_reboot_plan {
    ec_reboot_decision decision;
    ec_strlist node_ids;         /* nodes to reboot */
    ec_strlist skipped_node_ids; /* nodes left alone by the policy */
    char reason[256];            /* one line saying why */
} ec_reboot_plan;

/**
 * Pure decision: given a described cluster (with node info), its recent
 * events (may be NULL) and a policy (NULL: every node, no filter), say
 * what to reboot. On success *plan is a new plan (free it with
 * ec_reboot_plan_free); on failure NULL. Unknown node ids are
 * EC_ERR_INVALID_ARGUMENT. A policy whose node list is set and empty
 * (node_ids_set) is EC_DECIDE_NO_NODES, whatever the cluster.
 */
EC_EXPORT int ec_reboot_plan_make(const ec_cache_cluster *cluster,
                                  const ec_event_list *events,
                                  const ec_reboot_policy *policy,
                                  ec_reboot_plan **plan, ec_error *err);
EC_EXPORT void ec_reboot_plan_free(ec_reboot_plan *plan);

/* Status of one node, for before/after reporting and progress. */
typedef struct ec_node_status {
    char *cache_node_id;
    char *cache_node_status;
    char *parameter_group_status;
} ec_node_status;

typedef struct ec_cluster_status {
    char *cache_cluster_status;
    size_t node_count;
    ec_node_status **nodes;
} ec_cluster_status;

/*
 * The steps of a reboot, in the order they are (or, in check mode, would
 * be) taken: one RebootCacheCluster per batch of a cluster (one step for
 * an all-at-once reboot), and for a replication group each member's
 * reboot and the ModifyReplicationGroup calls of a primary move.
 */
typedef enum ec_reboot_step_action {
    EC_STEP_REBOOT = 0,       /* RebootCacheCluster of cache_node_ids */
    EC_STEP_DISABLE_FAILOVER, /* ModifyReplicationGroup: automatic failover
                                 and/or Multi-AZ off (AWS's rule for a
                                 primary move) */
    EC_STEP_MOVE_PRIMARY,     /* ModifyReplicationGroup: PrimaryClusterId,
                                 ApplyImmediately */
    EC_STEP_RESTORE_FAILOVER  /* ModifyReplicationGroup: the settings the
                                 group had before, back on */
} ec_reboot_step_action;

typedef enum ec_reboot_step_state {
    EC_STEP_PLANNED = 0, /* not started: check mode's plan, or a step after
                            the one that failed */
    EC_STEP_RUNNING,     /* started (only seen by a progress callback) */
    EC_STEP_DONE,        /* done and waited for */
    EC_STEP_SENT,        /* sent, not waited for (the last reboot of a run
                            without `wait`) */
    EC_STEP_FAILED       /* where the run stopped */
} ec_reboot_step_state;

/* Library-filled (rule 3): one step of a reboot. */
typedef struct ec_reboot_step {
    ec_reboot_step_action action;
    ec_reboot_step_state state;
    char *cache_cluster_id;         /* REBOOT: the cluster; MOVE_PRIMARY: the
                                       member made primary */
    ec_strlist cache_node_ids;      /* REBOOT: the nodes */
    char *replication_group_id;     /* the group (NULL for a cluster outside
                                       one) */
    char *role;                     /* REBOOT of a group member: "replica" or
                                       "primary", its role when rebooted */
    char *previous_primary_id;      /* MOVE_PRIMARY: the primary before */
    ec_opt_bool automatic_failover; /* DISABLE/RESTORE_FAILOVER: set to */
    ec_opt_bool multi_az;           /* DISABLE/RESTORE_FAILOVER: set to */
    double started;   /* seconds after the run began; -1: not started */
    double seconds;   /* how long it took, its wait included */
    char *request_id; /* of its call; NULL when none was read */
    char *message;    /* one line: what was done or why it failed */
} ec_reboot_step;

/* Frozen list wrapper, as the others. */
typedef struct ec_reboot_step_list {
    bool set;
    size_t count;
    ec_reboot_step **items;
} ec_reboot_step_list;

/** Stable names of a step's action and state, part of the tools' JSON
 *  contract: "reboot", "disable-failover", "move-primary",
 *  "restore-failover"; "planned", "running", "done", "sent", "failed";
 *  "unknown" for any other value. Static. */
EC_EXPORT const char *ec_reboot_step_action_name(ec_reboot_step_action a);
EC_EXPORT const char *ec_reboot_step_state_name(ec_reboot_step_state s);

typedef enum ec_progress_phase {
    EC_PROGRESS_DESCRIBED, /* cluster described, plan made */
    EC_PROGRESS_REBOOT_SENT,
    EC_PROGRESS_WAITING, /* one poll during a wait */
    EC_PROGRESS_DONE,
    EC_PROGRESS_STEP /* a step began or ended (`step` says which) */
} ec_progress_phase;

/* Library-filled (rule 3), lent to the progress callback for the call. */
typedef struct ec_progress {
    ec_progress_phase phase;
    double elapsed;                     /* seconds since the operation began */
    const ec_cache_cluster *cluster;    /* borrowed, valid during the call */
    const ec_strlist *watched_node_ids; /* nodes being waited for */
    const char *message;

    /* Appended members. */

    /* The step under way (NULL before the plan is made), its number
     * (1-based) and the number of steps; borrowed for the call. */
    const ec_reboot_step *step;
    size_t step_number;
    size_t step_count;
    /* ec_reboot_replication_group: the group as last read (NULL before). */
    const ec_replication_group *group;
} ec_progress;

/*
 * Node probes during a rolling reboot. The library opens no connection to
 * a cache node by itself: a caller that can reach the nodes (the
 * monitoring tools) passes a hook, and the reboot then also waits, after
 * each batch or member is back, until the hook says each of its nodes
 * passes. The CLI and the Ansible module pass none.
 */
typedef enum ec_node_check {
    EC_NODE_CHECK_ANSWERS = 0, /* the node serves (Redis PING, memcached
                                  version) */
    EC_NODE_CHECK_REPLICA_LINK /* a Redis replica: INFO replication shows
                                  role:slave, master_link_status:up, and
                                  the primary given below */
} ec_node_check;

/* Library-filled (rule 3), lent to the probe hook for the call. */
typedef struct ec_node_probe {
    ec_node_check check;
    const char *cache_cluster_id;
    const char *cache_node_id;
    const char *engine;  /* "redis" or "memcached", as described */
    const char *address; /* the node's endpoint */
    int port;
    /* REPLICA_LINK: the group and the primary the replica must follow
     * (its read endpoint as DescribeReplicationGroups shows it; NULL/0
     * when not shown). */
    const char *replication_group_id;
    const char *primary_cluster_id;
    const char *primary_address;
    int primary_port;
    double elapsed; /* seconds since the operation began */
    /* The hook may write one line of what it saw here ("PONG",
     * "master_link_status:down"), NUL-terminated, at most detail_size
     * bytes; the library reports it. Never a secret. */
    char *detail;
    size_t detail_size;
} ec_node_probe;

/* Frozen callback type. Return true when the node passes the check, false
 * when it does not (yet): the library asks again after wait_delay, until
 * it passes or the time budget runs out. Must return within its own
 * timeout: the library cannot interrupt it. */
typedef bool (*ec_node_probe_fn)(void *userdata, const ec_node_probe *probe);

typedef void (*ec_progress_fn)(void *userdata, const ec_progress *progress);

/* Caller-filled (rule 2): start from EC_REBOOT_OPTIONS_INIT. */
typedef struct ec_reboot_options {
    uint32_t struct_size; /* EC_REBOOT_OPTIONS_INIT */
    const char *cache_cluster_id;
    const ec_reboot_policy *policy; /* NULL: every node, no filter */
    bool check_mode;                /* decide, do not act */
    bool wait;                      /* wait until the rebooted nodes are back */
    double wait_timeout;            /* seconds; 0: 900 */
    double wait_delay;              /* seconds between polls; 0: 15 */
    ec_progress_fn progress;
    void *progress_userdata;

    /* Appended members. */

    /* Seconds the whole call may take: every request (each one's read
     * timeout is cut to what is left), the confirmation of a lost answer
     * and the wait. 0: wait_timeout (900 when that is 0). A smaller budget
     * than wait_timeout ends the wait sooner. A tool with a hard limit of
     * its own (a Nagios event handler killed after 30 s) passes what is
     * left of it, so that the library reports the real error in time. */
    double time_budget;

    /* Nodes per RebootCacheCluster call: a rolling reboot. Each batch is
     * waited for (restarted, the cluster available, and with `probe` every
     * node of it passing) before the next is sent; the first failure stops
     * the run with nothing more rebooted, and the result's steps say which
     * batches were done. `wait` decides only whether the last batch is
     * waited for too. 0 (the default): every planned node in one call, as
     * the AWS CLI's reboot-cache-cluster. */
    uint32_t batch_size;
    /* The cluster may be the primary of a replication group (cluster mode
     * disabled) rebooted in place: writes to the group fail and reads of
     * that node stop until it is back, and its data is lost. Without it
     * such a cluster is refused (EC_DECIDE_REFUSED) with a message naming
     * the group and ec_reboot_replication_group, which moves the primary
     * role first. The group is still read (a member of a group with
     * cluster mode enabled is refused either way), but its role and a
     * failure to read it no longer stop the reboot. */
    bool allow_primary_reboot;
    /* A node probe (see ec_node_probe_fn): NULL, no probe. */
    ec_node_probe_fn probe;
    void *probe_userdata;
} ec_reboot_options;

#define EC_REBOOT_OPTIONS_INIT                                                 \
    {                                                                          \
        .struct_size = sizeof(ec_reboot_options)                               \
    }

/* Library-filled (rule 3). */
typedef struct ec_reboot_result {
    bool changed;
    ec_reboot_decision decision;
    ec_strlist rebooted_node_ids; /* would be rebooted in check mode */
    ec_cluster_status *before;    /* never NULL */
    ec_cluster_status *after;     /* never NULL */
    ec_cache_cluster *cluster;    /* as it stands at the end; never NULL */
    char *request_id;             /* of the RebootCacheCluster call */
    char message[256];
    bool check_mode; /* the run only decided (its options' check_mode) */
    bool wait;       /* the run was to wait (its options' wait) */

    /* Appended members. */

    /* The steps, in order: one REBOOT step per batch (one for an
     * all-at-once reboot; none when nothing was to be rebooted), each
     * PLANNED in check mode, DONE, SENT or FAILED after a run, PLANNED for
     * the batches after a failure. */
    ec_reboot_step_list steps;
} ec_reboot_result;

/**
 * The one reboot operation every tool uses: describe the cluster, plan,
 * act (unless check_mode or nothing to do), optionally wait until each
 * rebooted node has really restarted and all is available. A reboot
 * already in progress, including one started by a racing caller, is
 * changed=false. A RebootCacheCluster whose answer was lost is confirmed by
 * describing, never by sending it again.
 *
 * *result is a new result, success or failure (free it with
 * ec_reboot_result_free); it is NULL only when the options were rejected
 * or memory ran out before anything was done.
 *
 * Outcomes (result->decision, result->changed, return value):
 * - REBOOT: changed=true, 0 (check_mode: nothing sent, rebooted_node_ids
 *   are the nodes that would be rebooted). A lost answer (a reset, a read
 *   timeout, a 5xx, or an HTTP 200 whose body cannot be read) is
 *   confirmed by describing (and reading restart events) for at most 60 s
 *   and within the time budget, with or without `wait`; without evidence
 *   of the reboot it is -1 with the call's own error code and a message
 *   saying nothing was resent. Once confirmed, `wait` waits as usual.
 * - NOTHING_PENDING, RECENTLY_REBOOTED: changed=false, 0, no reboot call.
 * - NO_NODES (the policy's node list was given and empty): changed=false,
 *   0, no call at all.
 * - ALREADY_REBOOTING (found by describing, or a racing caller's reboot
 *   answered InvalidCacheClusterState): changed=false, 0; with `wait`,
 *   waits for that reboot to finish.
 * - BUSY (another state than available): with `wait`, polls until the
 *   cluster is available and plans again (EC_ERR_WAIT_TIMEOUT when the
 *   budget runs out); without `wait`, changed=false and 0, and the
 *   message names the state and says to wait: the tools report it as a
 *   failure (a reboot was asked for and did not happen). In check mode
 *   with `wait`, the plan is made as if the cluster were available (what
 *   a real run would reboot once it is), the message saying it would
 *   wait first; without `wait`, BUSY as a real run.
 * - UNSUPPORTED (the service refused, e.g. a Redis cluster-mode-enabled
 *   member): -1 with the service error.
 * - REFUSED: the cluster is the primary of a replication group (checked
 *   with DescribeReplicationGroups when the described cluster names one;
 *   allow_primary_reboot lifts it): -1, EC_ERR_INVALID_ARGUMENT, nothing
 *   sent, the message naming the group and how to reboot it safely. A
 *   member of a cluster-mode-enabled group is UNSUPPORTED the same way,
 *   before any reboot call, naming AWS's documented alternative, whatever
 *   allow_primary_reboot says. A group that cannot be described is a
 *   failure (the role cannot be checked) unless allow_primary_reboot.
 * Rolling (batch_size N > 0): the planned nodes are rebooted N at a time,
 *   in the plan's order, each batch waited for (restarted, available,
 *   probed) before the next; one RebootCacheCluster per batch, each node
 *   once. The first failure stops the run: changed=true if a batch was
 *   sent, rebooted_node_ids the nodes sent, the steps which batches were
 *   done, and the message says which nodes were not rebooted.
 * On failure the result still holds what happened (changed=true when a
 * reboot was sent before the wait failed) and the last state read.
 * Every request is bounded by what is left of the time budget
 * (options->time_budget), each getting at least one second.
 */
EC_EXPORT int ec_reboot(ec_client *client, const ec_reboot_options *options,
                        ec_reboot_result **result, ec_error *err);
EC_EXPORT void ec_reboot_result_free(ec_reboot_result *result);

/**
 * The outcome of ec_reboot as JSON, the contract the tools print:
 * {"Changed", "DryRun" (= check_mode), "Decision" (a stable name: "reboot",
 * "nothing-pending", "already-rebooting", "recently-rebooted", "busy",
 * "unsupported", "no-nodes"), "Message", "RebootedNodeIds", "Before" and
 * "After"
 * ({"CacheClusterStatus", "CacheNodes": [{"CacheNodeId", "CacheNodeStatus",
 * "ParameterGroupStatus"}]}), "CacheCluster"}. EC_JSON_SNAKE snake_cases every
 * key. New reference, or NULL on allocation failure.
 */
EC_EXPORT json_t *ec_reboot_result_to_json(const ec_reboot_result *result,
                                           bool check_mode,
                                           ec_json_style style);

/**
 * The outcome of ec_reboot as an Ansible module returns it (amazon.aws
 * style, snake_case): {"changed", "msg" (the message, or the decision's
 * phrase), "rebooted_node_ids", "cache_cluster" ({} when never read),
 * "response_metadata": {"request_id"}}, and with `diff` a "diff":
 * {"before", "after"}, each {"cache_cluster_status", "cache_nodes": {ID:
 * {"cache_node_status", "parameter_group_status", "rebooted"}}}. "after" is
 * the state read at the end; in check mode, where nothing was done, what
 * the reboot would leave: the nodes to reboot "available" with "in-sync"
 * parameters when the run was to wait, "rebooting" (the cluster "rebooting
 * cache cluster nodes") when not. New reference, or NULL on allocation
 * failure.
 */
EC_EXPORT json_t *
ec_reboot_result_to_ansible_json(const ec_reboot_result *result, bool diff);

/* ------------------------------------------------------------------ */
/* Rolling reboot of a replication group (Redis, cluster mode disabled) */
/* ------------------------------------------------------------------ */

/*
 * A separate operation rather than a replication_group_id member of
 * ec_reboot_options: a group is chosen by another kind of id, its members
 * are cache clusters (not the node ids of ec_reboot_policy), it has steps
 * a cluster reboot never takes (a primary move), and its result holds a
 * group and its roles, not one cluster's nodes. One options struct for
 * both would leave half of each meaningless for the other.
 */

/* Caller-filled (rule 2): start from EC_GROUP_REBOOT_OPTIONS_INIT. */
typedef struct ec_group_reboot_options {
    uint32_t struct_size; /* EC_GROUP_REBOOT_OPTIONS_INIT */
    const char *replication_group_id;
    /* Member cache cluster ids to reboot (any case). NULL/0: every member,
     * unless member_ids_set says the list was given: then an empty list is
     * no member at all (EC_DECIDE_NO_NODES, nothing sent). */
    const char *const *member_ids;
    size_t member_count;
    bool member_ids_set;
    /* Pick members as ec_reboot_policy picks nodes: only those with a
     * pending-reboot parameter change; none restarted since the time. */
    bool only_if_pending;
    ec_time unless_rebooted_since;
    /* Never touch the primary: a selected member that is the primary when
     * the group is described is left alone (no primary move, no reboot)
     * and named in the message. For a caller that reboots unhealthy
     * replicas and leaves a failed primary to automatic failover. */
    bool replicas_only;
    /* A group with no replica (one node) has no replica to move its primary
     * to: its primary is refused (EC_DECIDE_REFUSED) unless this is set,
     * and then rebooted in place: the group takes no writes and serves no
     * reads until it is back, and its data is lost. A group with a replica
     * always moves the primary first, whatever this says. */
    bool allow_primary_reboot;
    bool check_mode; /* plan and report the ordered steps; send nothing */
    /* Every step but the last is always waited for (the next depends on
     * it); `wait` says whether the last reboot is waited for too. */
    bool wait;
    double wait_timeout; /* seconds; 0: 900 */
    double wait_delay;   /* seconds between polls; 0: 15 */
    double time_budget;  /* as ec_reboot_options.time_budget */
    ec_progress_fn progress;
    void *progress_userdata;
    ec_node_probe_fn probe; /* see ec_node_probe_fn; NULL: none */
    void *probe_userdata;
    /* Appended after 1.0.0. With a probe: seconds a replica's link may
     * take to pass its REPLICA_LINK probe once the member is back and
     * available (and the promotion target's, before the primary moves to
     * it). When it has not passed by then, the run fails closed
     * (EC_ERR_WAIT_FAILURE, the message naming the member and what its
     * last probe saw): nothing further is rebooted or promoted, and the
     * failover settings are restored as after any failure. 0: no bound
     * of its own, only the time budget (wait_timeout). Must be a number,
     * not negative. */
    double replica_link_timeout;
} ec_group_reboot_options;

#define EC_GROUP_REBOOT_OPTIONS_INIT                                           \
    {                                                                          \
        .struct_size = sizeof(ec_group_reboot_options)                         \
    }

/* Library-filled (rule 3). */
typedef struct ec_group_reboot_result {
    bool changed;
    ec_reboot_decision decision;
    char *message; /* NULL only when memory ran out (the call says so) */
    bool check_mode;
    bool wait;
    char *replication_group_id;     /* as the service spells it */
    ec_strlist rebooted_member_ids; /* in order (check mode: would be) */
    char *primary_before;           /* NULL when never read */
    char *primary_after;            /* as last read */
    ec_replication_group *before;   /* as first read; NULL when never */
    ec_replication_group *after;    /* as last read; NULL when never */
    ec_reboot_step_list steps;      /* in order; see ec_reboot_result */
} ec_group_reboot_result;

/**
 * Reboot the members of a Redis replication group (cluster mode disabled)
 * one at a time, never rebooting the current primary in place:
 *
 * 1. DescribeReplicationGroups and DescribeCacheClusters of each member;
 *    every member and the group must read available (with `wait` the run
 *    waits until they do; without, a busy group is EC_DECIDE_BUSY, as
 *    ec_reboot's). Cluster mode enabled is refused (EC_DECIDE_UNSUPPORTED,
 *    -1, EC_ERR_INVALID_ARGUMENT) before any reboot or modification,
 *    naming AWS's documented alternative. The members are picked by
 *    member_ids, only_if_pending and unless_rebooted_since.
 * 2. The replicas, one at a time: the group is described again (a member
 *    that became the primary since stops the run), RebootCacheCluster
 *    (sent once; a lost answer confirmed by describing, never resent),
 *    waited for until restarted and available, and with a probe until
 *    INFO replication shows its link to the primary up.
 * 3. When the primary is to be rebooted, its role first moves to a replica
 *    (one rebooted in this run when there is one), as AWS documents for
 *    cluster-mode-disabled groups (Replication.PromoteReplica): automatic
 *    failover and Multi-AZ switched off when on, PrimaryClusterId with
 *    ApplyImmediately, each waited for; then the settings the group had
 *    are restored, also when a later step fails (the restore may run up
 *    to 300 s past the time budget: leaving automatic failover off is the
 *    larger risk); then the old primary, now a replica, is rebooted as
 *    the others. A ModifyReplicationGroup whose answer was lost (including
 *    an HTTP 200 that cannot be read) is confirmed by describing the
 *    group, never sent again.
 * The first failure stops the run: nothing more is rebooted, the steps
 * say what was done, and a run with unless_rebooted_since set to the
 * first run's start continues with the members not yet restarted.
 *
 * *result is new (free with ec_group_reboot_result_free), success or
 * failure; NULL only when the options were rejected or memory ran out
 * before anything was done. Returns 0 with the decision (REBOOT,
 * NOTHING_PENDING, RECENTLY_REBOOTED, NO_NODES, BUSY) or -1 with *err:
 * EC_ERR_INVALID_ARGUMENT for bad options, unknown members, cluster mode
 * enabled (UNSUPPORTED) and the safety refusals (REFUSED); the calls' own
 * errors; EC_ERR_WAIT_TIMEOUT when the budget runs out; EC_ERR_WAIT_FAILURE
 * when the primary changes under the run or a member leaves the group.
 */
EC_EXPORT int
ec_reboot_replication_group(ec_client *client,
                            const ec_group_reboot_options *options,
                            ec_group_reboot_result **result, ec_error *err);
EC_EXPORT void ec_group_reboot_result_free(ec_group_reboot_result *result);

/**
 * The outcome as JSON: {"Changed", "DryRun", "Decision", "Message",
 * "ReplicationGroupId", "RebootedMemberIds", "PrimaryBefore",
 * "PrimaryAfter", "Steps": [step...], "Before", "After" (each
 * {"Status", "AutomaticFailover", "MultiAZ", "Members": [{"CacheClusterId",
 * "CurrentRole"}]}), "ReplicationGroup" (as describe-replication-groups
 * prints it, {} when never read)}. A step is {"Action", "State",
 * "CacheClusterId", "CacheNodeIds", "ReplicationGroupId", "Role",
 * "PreviousPrimaryId", "AutomaticFailover", "MultiAZ", "Started",
 * "Seconds", "RequestId", "Message"}, members absent when they do not
 * apply. EC_JSON_SNAKE snake_cases every key. New reference, or NULL on
 * allocation failure.
 */
EC_EXPORT json_t *
ec_group_reboot_result_to_json(const ec_group_reboot_result *result,
                               ec_json_style style);

/**
 * As an Ansible module returns it: {"changed", "msg",
 * "rebooted_member_ids", "steps" (snake_case), "primary_before",
 * "primary_after", "replication_group" ({} when never read),
 * "response_metadata": {"request_id"} (of the last call that had one)},
 * and with `diff` a "diff": {"before", "after"}, each {"status",
 * "automatic_failover", "multi_az", "members": {ID: {"current_role",
 * "rebooted"}}}; in check mode "after" is what the plan would leave.
 */
EC_EXPORT json_t *
ec_group_reboot_result_to_ansible_json(const ec_group_reboot_result *result,
                                       bool diff);

/** The steps as a JSON array, as the results above render them (for tools
 *  that print a plan). New reference, or NULL on allocation failure. */
EC_EXPORT json_t *ec_reboot_steps_to_json(const ec_reboot_step_list *steps,
                                          ec_json_style style);

/* ------------------------------------------------------------------ */
/* Waiters                                                             */
/* ------------------------------------------------------------------ */

/* Caller-filled (rule 2): start from EC_WAIT_OPTIONS_INIT. */
typedef struct ec_wait_options {
    uint32_t struct_size; /* EC_WAIT_OPTIONS_INIT */
    double delay;         /* seconds between polls; 0: 15 (AWS's) */
    int max_attempts;     /* 0: 40 (AWS's) */
    double timeout;       /* seconds; 0: delay * max_attempts */
    ec_progress_fn progress;
    void *progress_userdata;
} ec_wait_options;

#define EC_WAIT_OPTIONS_INIT                                                   \
    {                                                                          \
        .struct_size = sizeof(ec_wait_options)                                 \
    }

/**
 * AWS's cache-cluster-available waiter: success when every cluster read is
 * "available"; failure (EC_ERR_WAIT_FAILURE) on deleted, deleting,
 * incompatible-network or restore-failed; EC_ERR_WAIT_TIMEOUT when out of
 * attempts or time. `options` may be NULL (AWS's defaults). When
 * `cluster_out` is not NULL, *cluster_out is the last cluster read (a new
 * one: free it with ec_cache_cluster_free), or NULL when none was read.
 */
EC_EXPORT int ec_wait_cache_cluster_available(ec_client *client,
                                              const char *cache_cluster_id,
                                              const ec_wait_options *options,
                                              ec_cache_cluster **cluster_out,
                                              ec_error *err);

/**
 * Wait until each of `node_ids` has restarted after `since` (node seen
 * "rebooting", or a "Cache node NNNN restarted" event dated after `since`)
 * and the cluster and those nodes read "available". Not fooled by the
 * seconds after a reboot call when the cluster still reads available.
 * Restart events dated up to 2 s before `since` count (clock skew between
 * this host and the service). DescribeEvents is called only when
 * everything reads available but a node has not been seen restarting.
 * EC_ERR_WAIT_TIMEOUT names the nodes never seen restarting.
 * `cluster_out` as for ec_wait_cache_cluster_available.
 */
EC_EXPORT int ec_wait_reboot_complete(ec_client *client,
                                      const char *cache_cluster_id,
                                      const ec_strlist *node_ids, ec_time since,
                                      const ec_wait_options *options,
                                      ec_cache_cluster **cluster_out,
                                      ec_error *err);

/* ------------------------------------------------------------------ */
/* Cache node probes (used by the monitoring tools)                    */
/* ------------------------------------------------------------------ */

typedef enum ec_probe_kind {
    EC_PROBE_REDIS,    /* RESP PING -> +PONG, optional AUTH */
    EC_PROBE_MEMCACHED /* "version" -> "VERSION x" */
} ec_probe_kind;

struct ec_probe_options;

/* Caller-filled (rule 2): start from EC_PROBE_TARGET_INIT. */
typedef struct ec_probe_target {
    uint32_t struct_size; /* EC_PROBE_TARGET_INIT */
    const char *node_id;
    const char *host;
    int port;
    /* Appended after 1.0.0. This target's own kind, AUTH and TLS settings
     * (one run can probe Redis and memcached nodes, TLS and plain, with a
     * token per cluster); NULL: the call's options. Its timeouts are not
     * read: the call's options time the whole run. Borrowed. */
    const struct ec_probe_options *options;
} ec_probe_target;

#define EC_PROBE_TARGET_INIT                                                   \
    {                                                                          \
        .struct_size = sizeof(ec_probe_target)                                 \
    }

/* Why a probe failed; only EC_PROBE_UNREACHABLE says the node itself may
 * not serve (what a reboot may cure; ec_probe_result.why says how it
 * failed: a connection nobody answered is no proof against the node). The
 * others mean it answered, but the probe's settings (AUTH token, TLS) or
 * the answer were wrong, or it could not be probed at all. Grows at the
 * end. */
typedef enum ec_probe_status {
    EC_PROBE_OK = 0,      /* expected answer */
    EC_PROBE_UNREACHABLE, /* refused, reset, closed or silent until timeout */
    EC_PROBE_AUTH_FAILED, /* AUTH refused, or the server wants one */
    EC_PROBE_TLS_FAILED,  /* handshake or certificate verification failed */
    EC_PROBE_BAD_ANSWER,  /* answered, but not PONG / VERSION */
    EC_PROBE_NOT_PROBED   /* not attempted: no endpoint, or no file
                             descriptor free before the run's deadline */
} ec_probe_status;

/* How a probe ended, finer than its status (ec_probe_result.why). Grows
 * at the end. */
typedef enum ec_probe_why {
    EC_PROBE_WHY_NONE = 0,        /* the node answered as expected */
    EC_PROBE_WHY_CONNECT_TIMEOUT, /* nothing answered the connection
                                     attempt within the timeout */
    EC_PROBE_WHY_NO_ROUTE,        /* no route to it, or its name did not
                                     resolve: nothing answered */
    EC_PROBE_WHY_REFUSED,         /* the connection was refused */
    EC_PROBE_WHY_CLOSED,          /* connected, then reset or closed */
    EC_PROBE_WHY_SILENT,          /* connected and asked, no answer in time */
    EC_PROBE_WHY_TLS_SILENT,      /* connected, no answer to the TLS
                                     handshake in time (also what a plain
                                     text Redis does with a TLS hello) */
    EC_PROBE_WHY_TLS_ERROR,       /* the TLS handshake failed */
    EC_PROBE_WHY_TLS_VERIFY,      /* its certificate did not verify */
    EC_PROBE_WHY_TLS_EXPECTED,    /* a plain text probe got TLS back */
    EC_PROBE_WHY_PLAINTEXT,       /* a TLS probe got plain text back */
    EC_PROBE_WHY_AUTH_REFUSED,    /* AUTH was refused */
    EC_PROBE_WHY_AUTH_REQUIRED,   /* it wants AUTH and none was sent */
    EC_PROBE_WHY_BUSY,            /* it says it is busy: LOADING, BUSY,
                                     MASTERDOWN, too many clients */
    EC_PROBE_WHY_WRONG_ANSWER,    /* an answer that is not PONG/VERSION */
    EC_PROBE_WHY_NOT_STARTED      /* not attempted (see EC_PROBE_NOT_PROBED) */
} ec_probe_why;

/* Library-filled (rule 3). */
typedef struct ec_probe_result {
    ec_probe_status status; /* why not ok */
    bool ok;
    double seconds;   /* response time, or time spent when not ok */
    char detail[128]; /* "PONG", "VERSION 1.6.17", or what failed */
    /* Appended after 1.0.0. */
    ec_probe_why why; /* how it ended */
    /* What the node's INFO replication said, when the options asked for
     * it (redis_replication) and the node answered it after PONG; NULL
     * otherwise (its error, if any, is in `detail`). Owned by the
     * results: ec_probe_results_free frees it. */
    struct ec_redis_replication *replication;
} ec_probe_result;

/* Library-filled (rule 3): one result per target, in the targets' order. */
typedef struct ec_probe_results {
    size_t count;
    ec_probe_result **items;
} ec_probe_results;

/* Caller-filled (rule 2): start from EC_PROBE_OPTIONS_INIT. */
typedef struct ec_probe_options {
    uint32_t struct_size; /* EC_PROBE_OPTIONS_INIT */
    ec_probe_kind kind;
    double timeout;         /* seconds for each node, all in parallel */
    const char *auth_token; /* Redis AUTH; borrowed, never logged */
    const char *auth_user;  /* Redis 6 ACL user, optional */
    bool tls;
    bool tls_no_verify;
    const char *ca_bundle;
    /* Appended after 1.0.0. Seconds for the whole run; 0: no bound but
     * each node's timeout. Every node gets its full `timeout` (cut to
     * this one when longer): a node that cannot get a file descriptor
     * early enough to have it before this deadline is not started
     * (EC_PROBE_NOT_PROBED), never judged on less time. */
    double total_timeout;
    /* Redis only: after PING, ask INFO replication and parse it into
     * ec_probe_result.replication (check_elasticache -G). */
    bool redis_replication;
} ec_probe_options;

#define EC_PROBE_OPTIONS_INIT                                                  \
    {                                                                          \
        .struct_size = sizeof(ec_probe_options)                                \
    }

/**
 * Probe `count` nodes concurrently in one run. `targets` is an array of
 * `count` pointers; each target may carry its own options (kind, AUTH,
 * TLS), else `options` apply; `options` also time the run. As many nodes
 * are probed at once as the file-descriptor limit (RLIMIT_NOFILE, less
 * what the process has open) allows; the rest start as others finish.
 * On success *results is new (free it with ec_probe_results_free) and
 * (*results)->items[i] belongs to targets[i]. Returns -1 (and *results
 * NULL) only when probing itself could not be set up (bad options, a CA
 * bundle that does not load, no memory); a node that does not answer is
 * a result, not a failure. Never prints; blocks SIGPIPE in the calling
 * thread for its duration only.
 */
EC_EXPORT int ec_probe_nodes(const ec_probe_target *const *targets,
                             size_t count, const ec_probe_options *options,
                             ec_probe_results **results, ec_error *err);
EC_EXPORT void ec_probe_results_free(ec_probe_results *results);

/** "connect timeout", "refused", ...: a short name of `why` (static). */
EC_EXPORT const char *ec_probe_why_str(ec_probe_why why);

/* The state of a replica's link to its primary (INFO's master_link_status).
 * Grows at the end. */
typedef enum ec_redis_link {
    EC_REDIS_LINK_UNKNOWN = 0, /* not reported (a primary), or not up/down */
    EC_REDIS_LINK_UP,
    EC_REDIS_LINK_DOWN
} ec_redis_link;

/* Library-filled (rule 3): the fields of Redis's INFO replication section
 * that say how replication stands. Members only ever appended. */
typedef struct ec_redis_replication {
    char *role;        /* "master" or "slave" (as Redis says it) */
    char *master_host; /* a replica's primary (printable ASCII only) */
    ec_opt_int master_port;
    ec_redis_link master_link_status;
    /* Seconds since the replica last heard from its primary; unset when
     * absent or when Redis says -1 (no link). */
    ec_opt_int master_last_io_seconds_ago;
    ec_opt_int master_link_down_since_seconds;
    ec_opt_bool master_sync_in_progress;
    ec_opt_int connected_slaves; /* a primary's replicas */
    /* Appended after 1.0.0. INFO's `loading` (persistence section, so set
     * only when the text given had it): 1 while the node loads a dataset
     * (an RDB from its primary after a full sync, or from disk). */
    ec_opt_bool loading;
} ec_redis_replication;

/**
 * Parse the text of a Redis INFO reply (the replication section, or all
 * of INFO: other sections are skipped) of `len` bytes; it need not be
 * NUL-terminated. Lines are "key:value" ending in "\r\n" or "\n"; '#'
 * lines and unknown keys are skipped. Pure: no I/O. On success *out is
 * new (free it with ec_redis_replication_free). Errors: EC_ERR_PARSE when
 * there is no role line, the role is neither master nor slave, or a
 * number or flag of a known key is malformed; EC_ERR_INVALID_ARGUMENT for
 * NULL arguments; EC_ERR_NOMEM.
 */
EC_EXPORT int ec_redis_replication_parse(const char *text, size_t len,
                                         ec_redis_replication **out,
                                         ec_error *err);

/** Free what ec_redis_replication_parse made. NULL is fine. */
EC_EXPORT void ec_redis_replication_free(ec_redis_replication *r);

/** "up", "down", "unknown" (static). */
EC_EXPORT const char *ec_redis_link_str(ec_redis_link link);

/**
 * Pure: does INFO replication `r` (from ec_redis_replication_parse or
 * ec_probe_result.replication) show a replica that holds its primary's
 * whole dataset, so that it may be promoted or the next member rebooted?
 * True only for role slave, master_link_status up, master_sync_in_progress
 * present and 0, and not loading (`loading` absent or 0). Anything else,
 * a missing field included, is false: the decision fails closed. NULL `r`
 * (no answer, or one that did not parse) is false. Writes what it saw to
 * `detail` ("role:slave master_link_status:down master_sync_in_progress:0",
 * with " loading:1" when the text said so): fields Redis wrote, never a
 * secret; `detail` may be NULL (size 0). Owns nothing, allocates nothing.
 */
EC_EXPORT bool ec_redis_replica_synced(const ec_redis_replication *r,
                                       char *detail, size_t detail_size);

/* ------------------------------------------------------------------ */
/* Secrets                                                             */
/* ------------------------------------------------------------------ */

/**
 * Forbid core dumps of the calling process (RLIMIT_CORE soft and hard
 * limits set to 0), because its memory holds secrets. Tools call this
 * first thing in main. EC_ERR_INTERNAL when setrlimit fails.
 */
EC_EXPORT int ec_forbid_core_dumps(ec_error *err);

/** Overwrite `len` bytes in a way the compiler cannot drop. */
EC_EXPORT void ec_wipe(void *p, size_t len);

/** Wipe a NUL-terminated string in place, then free it. NULL is fine. */
EC_EXPORT void ec_free_secret(char *s);

/* ------------------------------------------------------------------ */
/* JMESPath (--query)                                                  */
/* ------------------------------------------------------------------ */

/*
 * JMESPath as the AWS CLI v2 evaluates --query: the behaviour of Python's
 * jmespath 1.0.1 (the official compliance suite, plus its details: int or
 * float results, to_string's JSON text, stable sorts, negative slice
 * steps, which errors the compiler raises and which the search raises).
 * Where jansson cannot hold what Python would make (integers beyond 64
 * bits become the nearest double; NaN and Infinity literals and lone
 * surrogates are syntax errors; to_number() of "inf"/"nan" is null) the
 * difference is documented at the function that meets it.
 *
 * How errors reach the caller: ec_error is frozen, so the error kind is
 * its code (EC_ERR_JMESPATH_*, one per kind of the compliance suite, plus
 * EC_ERR_JMESPATH_LIMIT; EC_ERR_NOMEM), and its message is the text of
 * Python's exception (what the AWS CLI prints after "Bad value for --query
 * EXPR: " for a compile error, or alone for a search error), cut with
 * "..." past EC_ERROR_TEXT_LENGTH. The position of a compile error, which
 * ec_error has no member for, comes back in a caller-allocated
 * ec_jmespath_diag whose struct_size tells the library which members the
 * caller knows, so members can be appended later without breaking old
 * callers. A search error has no position (Python gives none).
 *
 * Limits (ec_jmespath_options): an expression nests at most max_depth
 * levels (deeper is EC_ERR_JMESPATH_LIMIT at compile time), and a search
 * does at most max_steps units of work, counting every value it visits,
 * compares, copies or writes out, including every value of the result as
 * often as printing it would write it. A hostile expression therefore
 * fails with EC_ERR_JMESPATH_LIMIT instead of exhausting the stack, the
 * memory or the time; the defaults (600 levels, 100 million steps) are far
 * beyond what real queries over real responses need.
 */

/* A compiled expression. Immutable once compiled: one may be searched
 * from several threads at once. */
typedef struct ec_jmespath ec_jmespath;

typedef struct ec_jmespath_options {
    uint32_t struct_size; /* sizeof(ec_jmespath_options): use the INIT */
    uint32_t max_depth;   /* nesting of the expression; 0: 600 */
    uint64_t max_steps;   /* work per search; 0: 100 million */
} ec_jmespath_options;

#define EC_JMESPATH_OPTIONS_INIT                                               \
    {                                                                          \
        .struct_size = sizeof(ec_jmespath_options)                             \
    }

/* Where a compile error is, filled by ec_jmespath_compile. */
typedef struct ec_jmespath_diag {
    uint32_t struct_size; /* sizeof(ec_jmespath_diag): use the INIT */
    size_t offset;        /* byte offset in the expression; SIZE_MAX: none */
    size_t column;        /* the same in characters (code points), as
                             Python's "column" and its caret line count */
} ec_jmespath_diag;

#define EC_JMESPATH_DIAG_INIT                                                  \
    {                                                                          \
        .struct_size = sizeof(ec_jmespath_diag)                                \
    }

/**
 * Compile a JMESPath expression (UTF-8, NUL-terminated). `options` and
 * `diag` may be NULL. Returns a new expression to free with
 * ec_jmespath_free, or NULL with err set: EC_ERR_JMESPATH_SYNTAX (and the
 * position in *diag) when it does not parse, EC_ERR_JMESPATH_LIMIT when it
 * nests deeper than max_depth, EC_ERR_INVALID_ARGUMENT for a NULL
 * expression or options without struct_size, EC_ERR_NOMEM. Unknown
 * functions and wrong argument counts are search errors, as in Python.
 */
EC_EXPORT ec_jmespath *ec_jmespath_compile(const char *expression,
                                           const ec_jmespath_options *options,
                                           ec_jmespath_diag *diag,
                                           ec_error *err);

/**
 * Evaluate against `data` (borrowed; the result may share values with it,
 * so do not change data while you hold the result). Returns a new
 * reference (JSON null for no match), or NULL with err set:
 * EC_ERR_JMESPATH_INVALID_TYPE, _INVALID_VALUE, _INVALID_ARITY,
 * _UNKNOWN_FUNCTION, _LIMIT, EC_ERR_NOMEM, or EC_ERR_INVALID_ARGUMENT for
 * NULL arguments.
 */
EC_EXPORT json_t *ec_jmespath_search(const ec_jmespath *expression,
                                     json_t *data, ec_error *err);

/** Free a compiled expression. NULL is fine. */
EC_EXPORT void ec_jmespath_free(ec_jmespath *expression);

/*
 * The same two calls, handing back the whole message of a failure too:
 * ec_error's is cut at EC_ERROR_TEXT_LENGTH, while the AWS CLI prints
 * Python's whole message (it holds the expression, and for a search the
 * repr() of a value, which can be long). On failure, when `message` is not
 * NULL, *message is a new NUL-terminated string the caller frees with
 * free() (NULL when memory ran out); on success it is set to NULL.
 * Everything else is as ec_jmespath_compile and ec_jmespath_search.
 */
EC_EXPORT ec_jmespath *ec_jmespath_compile_message(
    const char *expression, const ec_jmespath_options *options,
    ec_jmespath_diag *diag, char **message, ec_error *err);
EC_EXPORT json_t *ec_jmespath_search_message(const ec_jmespath *expression,
                                             json_t *data, char **message,
                                             ec_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ELASTICACHE_H */
