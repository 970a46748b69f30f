/* SPDX-License-Identifier: Apache-2.0 */
/* The streaming response parser against the tree-walking one it replaced:
 * see xml_compare.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml_compare.h"
#include "xml_reference.h"
#include "xmlparse.h"

/* One operation's response: its table, the library's parser, renderers
 * and the request id of its output. */
typedef struct op {
    const char *name;
    const ecp_shape *shape;
    int (*parse)(const char *xml, size_t len, size_t max, void **out,
                 ec_error *err);
    json_t *(*to_json)(const void *out, ec_json_style style);
    const char *(*request_id)(const void *out);
    void (*free)(void *out);
} op;

#define OP(type, prefix)                                                       \
    static int prefix##_parse(const char *xml, size_t len, size_t max,         \
                              void **out, ec_error *err)                       \
    {                                                                          \
        type *o = NULL;                                                        \
        int rc = ecp_parse_##prefix(xml, len, max, &o, err);                   \
                                                                               \
        *out = o;                                                              \
        return rc;                                                             \
    }                                                                          \
    static json_t *prefix##_json(const void *o, ec_json_style style)           \
    {                                                                          \
        return ec_##prefix##_output_to_json(o, style);                         \
    }                                                                          \
    static const char *prefix##_rid(const void *o)                             \
    {                                                                          \
        return ((const type *)o)->request_id;                                  \
    }                                                                          \
    static void prefix##_free(void *o)                                         \
    {                                                                          \
        ec_##prefix##_output_free(o);                                          \
    }

OP(ec_describe_cache_clusters_output, describe_cache_clusters)
OP(ec_reboot_cache_cluster_output, reboot_cache_cluster)
OP(ec_describe_events_output, describe_events)
OP(ec_describe_replication_groups_output, describe_replication_groups)
OP(ec_modify_replication_group_output, modify_replication_group)
OP(ec_list_tags_for_resource_output, list_tags_for_resource)

#define ENTRY(nm, shape, prefix)                                               \
    {                                                                          \
        nm, &shape, prefix##_parse, prefix##_json, prefix##_rid, prefix##_free \
    }

static const op ops[] = {
    ENTRY("DescribeCacheClusters", ecp_shape_cache_cluster_message,
          describe_cache_clusters),
    ENTRY("RebootCacheCluster", ecp_shape_reboot_cache_cluster_result,
          reboot_cache_cluster),
    ENTRY("DescribeEvents", ecp_shape_events_message, describe_events),
    ENTRY("DescribeReplicationGroups", ecp_shape_replication_group_message,
          describe_replication_groups),
    ENTRY("ModifyReplicationGroup", ecp_shape_modify_replication_group_result,
          modify_replication_group),
    ENTRY("ListTagsForResource", ecp_shape_tag_list_message,
          list_tags_for_resource),
};

/* What one parser made of the input, rendered. */
typedef struct outcome {
    int rc;
    ec_error err;
    char *aws, *snake;
    const char *rid;
} outcome;

static char *render(json_t *j)
{
    char *s = j ? ec_json_dumps_aws(j) : NULL;

    json_decref(j);
    return s;
}

static bool value_error(const char *msg)
{
    return strstr(msg, " is not an integer: ") ||
           strstr(msg, " is not a timestamp: ") ||
           strstr(msg, " is not a finite number: ");
}

/* Both malformed at the same line with the same libxml2 error: some of
 * libxml2's messages quote what was buffered when it stopped ("Double
 * hyphen within comment: <!-- comment -..."), and a push parser has
 * buffered different bytes from a whole-document parse. The text up to
 * libxml2's first ':' names the error. */
static bool same_malformed(const char *a, const char *b)
{
    const char *pa = strstr(a, "): "), *pb = strstr(b, "): ");
    size_t na, nb;

    if (strncmp(a, "malformed XML in ", 17) != 0 ||
        strncmp(b, "malformed XML in ", 17) != 0 || !pa || !pb ||
        pa - a != pb - b || strncmp(a, b, (size_t)(pa - a)) != 0)
        return false;
    pa += 3;
    pb += 3;
    na = strcspn(pa, ":");
    nb = strcspn(pb, ":");
    return na == nb && strncmp(pa, pb, na) == 0;
}

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int differ(char *why, size_t size, const op *o, const char *what,
                  const char *stream, const char *tree)
{
    snprintf(why, size, "%s: %s differs:\n--- streaming\n%s\n--- tree\n%s\n",
             o->name, what, stream ? stream : "(NULL)", tree ? tree : "(NULL)");
    return -1;
}

static int compare_one(const op *o, const char *xml, size_t len,
                       size_t max_bytes, char *why, size_t size, int *parsed)
{
    outcome s = {0}, t = {0};
    void *sout = NULL, *tout = NULL;
    char *trid = NULL;
    int rc = -1;

    s.rc = o->parse(xml, len, max_bytes, &sout, &s.err);
    t.rc = ref_parse_response(o->name, xml, len, max_bytes, o->shape, &tout,
                              &trid, &t.err);
    if (s.rc != t.rc || (s.rc == 0) != (sout != NULL) ||
        (t.rc == 0) != (tout != NULL)) {
        rc =
            differ(why, size, o, "the outcome", s.rc ? s.err.message : "parsed",
                   t.rc ? t.err.message : "parsed");
        goto out;
    }
    if (s.rc != 0) {
        if (s.err.code != t.err.code ||
            (strcmp(s.err.message, t.err.message) != 0 &&
             !(value_error(s.err.message) && value_error(t.err.message)) &&
             !same_malformed(s.err.message, t.err.message) &&
             !(strstr(s.err.message, "carries a DTD") &&
               strstr(t.err.message, "malformed XML")))) {
            rc =
                differ(why, size, o, "the error", s.err.message, t.err.message);
            goto out;
        }
        rc = 0;
        goto out;
    }
    s.aws = render(o->to_json(sout, EC_JSON_AWS));
    t.aws = render(o->to_json(tout, EC_JSON_AWS));
    s.snake = render(o->to_json(sout, EC_JSON_SNAKE));
    t.snake = render(o->to_json(tout, EC_JSON_SNAKE));
    if (!same_text(s.aws, t.aws))
        rc = differ(why, size, o, "the AWS JSON", s.aws, t.aws);
    else if (!same_text(s.snake, t.snake))
        rc = differ(why, size, o, "the snake_case JSON", s.snake, t.snake);
    else if (!same_text(o->request_id(sout), trid))
        rc = differ(why, size, o, "the request id", o->request_id(sout), trid);
    else
        rc = 0;
    (*parsed)++;
out:
    free(s.aws);
    free(t.aws);
    free(s.snake);
    free(t.snake);
    if (sout)
        o->free(sout);
    ecp_shape_free(o->shape, tout);
    free(trid);
    return rc;
}

int xml_compare(const char *xml, size_t len, size_t max_bytes, char *why,
                size_t why_size, int *parsed)
{
    size_t i;

    *parsed = 0;
    for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (compare_one(&ops[i], xml, len, max_bytes, why, why_size, parsed) !=
            0)
            return -1;
    return 0;
}
