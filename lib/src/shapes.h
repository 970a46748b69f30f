/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One table-driven description of the response shapes of service-2.json
 * (2015-02-02). The same tables drive XML parsing, freeing, deep copy and
 * JSON rendering, so a member cannot be handled in one place and dropped
 * in another.
 */
#ifndef ECP_SHAPES_H
#define ECP_SHAPES_H

#include <stddef.h>

#include "util.h"

typedef enum ecp_kind {
    ECP_K_STRING,  /* char * */
    ECP_K_INT,     /* ec_opt_int */
    ECP_K_BOOL,    /* ec_opt_bool */
    ECP_K_TIME,    /* ec_time */
    ECP_K_DOUBLE,  /* ec_opt_double */
    ECP_K_STRUCT,  /* pointer to the nested struct, NULL when absent */
    ECP_K_STRLIST, /* ec_strlist */
    ECP_K_LIST     /* { bool set; size_t count; T **items; } */
} ecp_kind;

typedef struct ecp_shape ecp_shape;

typedef struct ecp_member {
    const char *name; /* member name: XML element and AWS JSON key */
    ecp_kind kind;
    size_t offset;          /* offsetof the field in the C struct */
    const char *item_name;  /* lists: item locationName, or "member" */
    const ecp_shape *shape; /* STRUCT: the struct; LIST: the item struct */
    const char *xml_name;   /* XML element when it is not `name` */
} ecp_member;

/* The XML element name of a member (its locationName, or the locationName
 * of the list shape it refers to, as botocore resolves it). */
#define ECP_XML_NAME(m) ((m)->xml_name ? (m)->xml_name : (m)->name)

struct ecp_shape {
    const char *name; /* model shape name */
    size_t size;      /* sizeof the C struct */
    size_t count;
    const ecp_member *members; /* in model (service-2.json) order */
};

/* The generic layout every list-of-structs field in elasticache.h has (the
 * frozen {set, count, array of pointers} wrappers). It is never used to
 * access such a field directly (different struct types); only its offsets
 * are, through the accessors in shapes.c. */
typedef struct ecp_list_layout {
    bool set;
    size_t count;
    void **items;
} ecp_list_layout;

extern const ecp_shape ecp_shape_endpoint;
extern const ecp_shape ecp_shape_cache_node;
extern const ecp_shape ecp_shape_cache_cluster;
extern const ecp_shape ecp_shape_event;
extern const ecp_shape ecp_shape_replication_group;
/* Operation outputs (the resultWrapper contents). */
extern const ecp_shape ecp_shape_cache_cluster_message;
extern const ecp_shape ecp_shape_reboot_cache_cluster_result;
extern const ecp_shape ecp_shape_events_message;
extern const ecp_shape ecp_shape_replication_group_message;
extern const ecp_shape ecp_shape_modify_replication_group_result;
extern const ecp_shape ecp_shape_tag_list_message;

/* Free everything a struct of `shape` owns and zero it. */
void ecp_shape_clear(const ecp_shape *shape, void *obj);

/* Free a struct of `shape` the library allocated and all it owns. NULL is
 * fine. */
void ecp_shape_free(const ecp_shape *shape, void *obj);

/* Deep copy; dst must be zeroed. On failure dst is cleared. */
int ecp_shape_copy(const ecp_shape *shape, void *dst, const void *src);

/* A new deep copy of `src`, or NULL when out of memory. */
void *ecp_shape_dup(const ecp_shape *shape, const void *src);

/* The AWS CLI's JSON text of a struct of `shape` (json_aws.c): what
 * ec_json_dumps_aws prints for its EC_JSON_AWS rendering, byte for byte,
 * without the jansson tree. A new string, or NULL (obj NULL, no memory,
 * or a value that rendering refuses as well). */
char *ecp_shape_dumps_aws(const ecp_shape *shape, const void *obj);

/* Field accessors that go through memcpy, so no lvalue of the wrong type
 * is ever formed. `base` is the struct, `m` one of its members. */
void *ecp_member_ptr_get(const void *base, const ecp_member *m);
void ecp_member_ptr_set(void *base, const ecp_member *m, void *value);
bool ecp_member_list_get(const void *base, const ecp_member *m, size_t *count,
                         void ***items);
void ecp_member_list_set(void *base, const ecp_member *m, bool set,
                         size_t count, void **items);

#endif
