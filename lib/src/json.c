/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON rendering of the response structs, driven by the shape tables: AWS
 * CLI v2 style (CamelCase keys in model order) or Ansible's snake_case, and
 * a serialiser that prints exactly what Python's json.dumps(indent=4,
 * ensure_ascii=False) prints.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyfmt.h"
#include "shapes.h"
#include "waiter.h"

/* ------------------------------------------------------------------ */
/* snake_case                                                          */
/* ------------------------------------------------------------------ */

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Ansible's _camel_to_snake (module_utils/common/dict_transformations.py),
 * non-reversible, step by step:
 *   s1 = re.sub(r'[A-Z]{3,}s$', '_' + lower(match), name); drop a leading
 *        '_' that the substitution added;
 *   s2 = re.sub(r'(.)([A-Z][a-z]+)', r'\1_\2', s1);
 *   s3 = re.sub(r'([a-z0-9])([A-Z]+)', r'\1_\2', s2).lower().
 * Each re.sub scans left to right without overlapping matches, which the
 * loops below reproduce. Python's lower() is Unicode-aware; only ASCII is
 * lowered here (the keys are the model's ASCII member names).
 */
int ec_snake_case(const char *camel, char *buf, size_t size)
{
    ecp_buf s1 = {0}, s2 = {0}, s3 = {0};
    size_t len, i, j, run;
    int n = -1;

    if (!camel)
        return -1;
    len = strlen(camel);

    /* Step 1: a pluralised abbreviation at the end ("ARNs"). */
    run = 0;
    if (len >= 4 && camel[len - 1] == 's') {
        while (run < len - 1 && is_upper(camel[len - 2 - run]))
            run++;
    }
    if (run >= 3) {
        size_t start = len - 1 - run;

        if (ecp_buf_append(&s1, camel, start) != 0 ||
            (start > 0 && ecp_buf_append(&s1, "_", 1) != 0))
            goto out;
        for (i = start; i < len; i++) {
            char c = (char)tolower((unsigned char)camel[i]);

            if (ecp_buf_append(&s1, &c, 1) != 0)
                goto out;
        }
        /* With nothing before it, the added '_' is dropped (start == 0). */
    } else if (ecp_buf_append(&s1, camel, len) != 0) {
        goto out;
    }
    if (ecp_buf_append(&s1, "", 0) != 0)
        goto out;

    /* Step 2: (.)([A-Z][a-z]+) -> \1_\2 */
    for (i = 0; i < s1.len;) {
        const char *s = s1.data;

        if (s[i] != '\n' && i + 2 < s1.len && is_upper(s[i + 1]) &&
            is_lower(s[i + 2])) {
            j = i + 3;
            while (j < s1.len && is_lower(s[j]))
                j++;
            if (ecp_buf_append(&s2, s + i, 1) != 0 ||
                ecp_buf_append(&s2, "_", 1) != 0 ||
                ecp_buf_append(&s2, s + i + 1, j - i - 1) != 0)
                goto out;
            i = j;
        } else {
            if (ecp_buf_append(&s2, s + i, 1) != 0)
                goto out;
            i++;
        }
    }
    if (ecp_buf_append(&s2, "", 0) != 0)
        goto out;

    /* Step 3: ([a-z0-9])([A-Z]+) -> \1_\2, then lower() */
    for (i = 0; i < s2.len;) {
        const char *s = s2.data;

        if ((is_lower(s[i]) || is_digit(s[i])) && i + 1 < s2.len &&
            is_upper(s[i + 1])) {
            j = i + 2;
            while (j < s2.len && is_upper(s[j]))
                j++;
            if (ecp_buf_append(&s3, s + i, 1) != 0 ||
                ecp_buf_append(&s3, "_", 1) != 0 ||
                ecp_buf_append(&s3, s + i + 1, j - i - 1) != 0)
                goto out;
            i = j;
        } else {
            if (ecp_buf_append(&s3, s + i, 1) != 0)
                goto out;
            i++;
        }
    }
    if (ecp_buf_append(&s3, "", 0) != 0)
        goto out;
    for (i = 0; i < s3.len; i++)
        if (is_upper(s3.data[i]))
            s3.data[i] = (char)(s3.data[i] - 'A' + 'a');
    n = snprintf(buf, size, "%s", s3.data);
out:
    free(s1.data);
    free(s2.data);
    free(s3.data);
    return n;
}

/* ------------------------------------------------------------------ */
/* Structs to JSON                                                     */
/* ------------------------------------------------------------------ */

static json_t *struct_to_json(const ecp_shape *shape, const void *obj,
                              ec_json_style style);

static json_t *time_to_json(const ec_time *t)
{
    char buf[40];

    if (ec_time_format_iso(*t, buf, sizeof(buf)) < 0)
        return NULL;
    return json_string(buf);
}

/* The value of a present member, or NULL on allocation failure. `*absent`
 * is set when the member was not in the response. */
static json_t *member_to_json(const ecp_member *m, const void *obj,
                              ec_json_style style, bool *absent)
{
    const char *field = (const char *)obj + m->offset;
    json_t *arr, *item;
    size_t i, count;
    void **items;
    void *p;

    *absent = false;
    switch (m->kind) {
    case ECP_K_STRING:
        p = ecp_member_ptr_get(obj, m);
        if (!p)
            break;
        return json_string(p);
    case ECP_K_INT: {
        ec_opt_int v;

        memcpy(&v, field, sizeof(v));
        if (!v.set)
            break;
        return json_integer((json_int_t)v.value);
    }
    case ECP_K_BOOL: {
        ec_opt_bool v;

        memcpy(&v, field, sizeof(v));
        if (!v.set)
            break;
        return json_boolean(v.value);
    }
    case ECP_K_TIME: {
        ec_time v;

        memcpy(&v, field, sizeof(v));
        if (!v.set)
            break;
        return time_to_json(&v);
    }
    case ECP_K_DOUBLE: {
        ec_opt_double v;

        memcpy(&v, field, sizeof(v));
        if (!v.set)
            break;
        /* json_real refuses what is not finite; the parser never makes
         * such a value. */
        return json_real(v.value);
    }
    case ECP_K_STRUCT:
        p = ecp_member_ptr_get(obj, m);
        if (!p)
            break;
        return struct_to_json(m->shape, p, style);
    case ECP_K_STRLIST: {
        const ec_strlist *l = (const ec_strlist *)(const void *)field;

        if (!l->set)
            break;
        arr = json_array();
        for (i = 0; arr && i < l->count; i++) {
            if (json_array_append_new(arr, json_string(l->items[i])) != 0) {
                json_decref(arr);
                arr = NULL;
            }
        }
        return arr;
    }
    case ECP_K_LIST:
        if (!ecp_member_list_get(obj, m, &count, &items))
            break;
        arr = json_array();
        for (i = 0; arr && i < count; i++) {
            if (!items[i])
                continue;
            item = struct_to_json(m->shape, items[i], style);
            if (json_array_append_new(arr, item) != 0) {
                json_decref(arr);
                arr = NULL;
            }
        }
        return arr;
    }
    *absent = true;
    return NULL;
}

static json_t *struct_to_json(const ecp_shape *shape, const void *obj,
                              ec_json_style style)
{
    json_t *o = json_object(), *v;
    char key[128];
    const char *k;
    bool absent;
    size_t i;
    int n;

    for (i = 0; o && i < shape->count; i++) {
        const ecp_member *m = &shape->members[i];

        v = member_to_json(m, obj, style, &absent);
        if (absent)
            continue;
        k = m->name;
        if (style == EC_JSON_SNAKE) {
            n = ec_snake_case(m->name, key, sizeof(key));
            if (n < 0 || (size_t)n >= sizeof(key)) {
                /* key is not set: never hand it to jansson. */
                json_decref(v);
                json_decref(o);
                return NULL;
            }
            k = key;
        }
        /* json_object_set_new takes v even on failure (and NULL fails). */
        if (json_object_set_new(o, k, v) != 0) {
            json_decref(o);
            o = NULL;
        }
    }
    return o;
}

json_t *ec_cache_cluster_to_json(const ec_cache_cluster *cluster,
                                 ec_json_style style)
{
    if (!cluster)
        return NULL;
    return struct_to_json(&ecp_shape_cache_cluster, cluster, style);
}

json_t *ec_cache_node_to_json(const ec_cache_node *node, ec_json_style style)
{
    if (!node)
        return NULL;
    return struct_to_json(&ecp_shape_cache_node, node, style);
}

json_t *ec_describe_cache_clusters_output_to_json(
    const ec_describe_cache_clusters_output *out, ec_json_style style)
{
    if (!out)
        return NULL;
    return struct_to_json(&ecp_shape_cache_cluster_message, out, style);
}

json_t *ec_reboot_cache_cluster_output_to_json(
    const ec_reboot_cache_cluster_output *out, ec_json_style style)
{
    if (!out)
        return NULL;
    return struct_to_json(&ecp_shape_reboot_cache_cluster_result, out, style);
}

json_t *ec_describe_events_output_to_json(const ec_describe_events_output *out,
                                          ec_json_style style)
{
    if (!out)
        return NULL;
    return struct_to_json(&ecp_shape_events_message, out, style);
}

json_t *ec_replication_group_to_json(const ec_replication_group *group,
                                     ec_json_style style)
{
    if (!group)
        return NULL;
    return struct_to_json(&ecp_shape_replication_group, group, style);
}

json_t *ec_describe_replication_groups_output_to_json(
    const ec_describe_replication_groups_output *out, ec_json_style style)
{
    if (!out)
        return NULL;
    return struct_to_json(&ecp_shape_replication_group_message, out, style);
}

json_t *ec_modify_replication_group_output_to_json(
    const ec_modify_replication_group_output *out, ec_json_style style)
{
    if (!out)
        return NULL;
    return struct_to_json(&ecp_shape_modify_replication_group_result, out,
                          style);
}

json_t *ec_list_tags_for_resource_output_to_json(
    const ec_list_tags_for_resource_output *out, ec_json_style style)
{
    if (!out)
        return NULL;
    return struct_to_json(&ecp_shape_tag_list_message, out, style);
}

json_t *ec_tag_list_to_dict(const ec_list_tags_for_resource_output *out)
{
    json_t *dict;
    size_t i;

    if (!out)
        return NULL;
    dict = json_object();
    for (i = 0; dict && i < out->tag_list.count; i++) {
        const ec_tag *t = out->tag_list.items[i];
        json_t *v;

        /* A Tag without a Key is not one the service makes; skip it
         * rather than invent a name. */
        if (!t || !t->key)
            continue;
        v = t->value ? json_string(t->value) : json_null();
        if (!v || json_object_set_new(dict, t->key, v) != 0) {
            json_decref(dict);
            return NULL;
        }
    }
    return dict;
}

/* ------------------------------------------------------------------ */
/* Python-compatible serialiser                                        */
/* ------------------------------------------------------------------ */

/* json.dumps(ensure_ascii=False) escapes only '"', '\\' and the C0
 * controls ("\n" and friends by name, the rest as lowercase \u00XX);
 * everything else, DEL and non-ASCII included, is written raw. */
static int dump_string(ecp_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, start = 0;
    char esc[7];

    if (ecp_buf_append(b, "\"", 1) != 0)
        return -1;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *e = NULL;

        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        switch (c) {
        case '"':
            e = "\\\"";
            break;
        case '\\':
            e = "\\\\";
            break;
        case '\n':
            e = "\\n";
            break;
        case '\r':
            e = "\\r";
            break;
        case '\t':
            e = "\\t";
            break;
        case '\b':
            e = "\\b";
            break;
        case '\f':
            e = "\\f";
            break;
        default:
            esc[0] = '\\';
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            esc[6] = '\0';
            e = esc;
            break;
        }
        if (ecp_buf_append(b, s + start, i - start) != 0 ||
            ecp_buf_append_str(b, e) != 0)
            return -1;
        start = i + 1;
    }
    if (ecp_buf_append(b, s + start, len - start) != 0 ||
        ecp_buf_append(b, "\"", 1) != 0)
        return -1;
    return 0;
}

/* json.dumps writes a float as repr() does, and NaN/Infinity by name. */
static int dump_real(ecp_buf *b, double v)
{
    char out[32];

    if (isnan(v))
        return ecp_buf_append_str(b, "NaN");
    if (isinf(v))
        return ecp_buf_append_str(b, v > 0 ? "Infinity" : "-Infinity");
    ecp_py_float_repr(v, out);
    return ecp_buf_append_str(b, out);
}

static int dump_indent(ecp_buf *b, int depth)
{
    int i;

    if (ecp_buf_append(b, "\n", 1) != 0)
        return -1;
    for (i = 0; i < depth; i++)
        if (ecp_buf_append(b, "    ", 4) != 0)
            return -1;
    return 0;
}

static int dump_value(ecp_buf *b, const json_t *j, int depth)
{
    const char *key;
    json_t *v;
    void *it;
    size_t i, n;

    switch (json_typeof(j)) {
    case JSON_OBJECT:
        if (json_object_size(j) == 0)
            return ecp_buf_append_str(b, "{}");
        if (ecp_buf_append(b, "{", 1) != 0)
            return -1;
        n = 0;
        /* jansson keeps insertion order, which is model order here. */
        for (it = json_object_iter((json_t *)j); it;
             it = json_object_iter_next((json_t *)j, it)) {
            key = json_object_iter_key(it);
            v = json_object_iter_value(it);
            if ((n++ && ecp_buf_append(b, ",", 1) != 0) ||
                dump_indent(b, depth + 1) != 0 ||
                dump_string(b, key, strlen(key)) != 0 ||
                ecp_buf_append(b, ": ", 2) != 0 ||
                dump_value(b, v, depth + 1) != 0)
                return -1;
        }
        if (dump_indent(b, depth) != 0)
            return -1;
        return ecp_buf_append(b, "}", 1);
    case JSON_ARRAY:
        if (json_array_size(j) == 0)
            return ecp_buf_append_str(b, "[]");
        if (ecp_buf_append(b, "[", 1) != 0)
            return -1;
        for (i = 0; i < json_array_size(j); i++) {
            if ((i && ecp_buf_append(b, ",", 1) != 0) ||
                dump_indent(b, depth + 1) != 0 ||
                dump_value(b, json_array_get(j, i), depth + 1) != 0)
                return -1;
        }
        if (dump_indent(b, depth) != 0)
            return -1;
        return ecp_buf_append(b, "]", 1);
    case JSON_STRING:
        return dump_string(b, json_string_value(j), json_string_length(j));
    case JSON_INTEGER:
        return ecp_buf_printf(b, "%" JSON_INTEGER_FORMAT,
                              json_integer_value(j));
    case JSON_REAL:
        return dump_real(b, json_real_value(j));
    case JSON_TRUE:
        return ecp_buf_append_str(b, "true");
    case JSON_FALSE:
        return ecp_buf_append_str(b, "false");
    case JSON_NULL:
        return ecp_buf_append_str(b, "null");
    }
    return -1;
}

char *ec_json_dumps_aws(const json_t *json)
{
    ecp_buf b = {0};

    if (!json || dump_value(&b, json, 0) != 0 ||
        ecp_buf_append(&b, "\n", 1) != 0) {
        free(b.data);
        return NULL;
    }
    return ecp_buf_steal(&b);
}

/* ------------------------------------------------------------------ */
/* The outcome of ec_reboot                                            */
/* ------------------------------------------------------------------ */

/* Stable machine names of the decisions: part of the tools' JSON contract,
 * unlike the phrases of ec_reboot_decision_str. */
const char *ec_reboot_decision_name(ec_reboot_decision d)
{
    switch (d) {
    case EC_DECIDE_REBOOT:
        return "reboot";
    case EC_DECIDE_NOTHING_PENDING:
        return "nothing-pending";
    case EC_DECIDE_ALREADY_REBOOTING:
        return "already-rebooting";
    case EC_DECIDE_RECENTLY_REBOOTED:
        return "recently-rebooted";
    case EC_DECIDE_BUSY:
        return "busy";
    case EC_DECIDE_UNSUPPORTED:
        return "unsupported";
    case EC_DECIDE_NO_NODES:
        return "no-nodes";
    case EC_DECIDE_REFUSED:
        return "refused";
    }
    return "unknown";
}

/* Set o[name] (CamelCase name, snake_cased for EC_JSON_SNAKE), taking v.
 * A NULL v is an allocation failure already. */
static int set_key(json_t *o, ec_json_style style, const char *name, json_t *v)
{
    char key[64];

    if (!v)
        return -1;
    if (style == EC_JSON_SNAKE) {
        int n = ec_snake_case(name, key, sizeof(key));
        if (n < 0 || (size_t)n >= sizeof(key)) {
            json_decref(v);
            return -1;
        }
        name = key;
    }
    return json_object_set_new(o, name, v);
}

static json_t *strlist_to_json(const ec_strlist *l)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < l->count; i++) {
        if (json_array_append_new(a, json_string(l->items[i]))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *cluster_status_to_json(const ec_cluster_status *s,
                                      ec_json_style style)
{
    json_t *o = json_object(), *nodes = json_array(), *node;
    size_t i;

    if (!o || !nodes)
        goto fail;
    if (s && s->cache_cluster_status &&
        set_key(o, style, "CacheClusterStatus",
                json_string(s->cache_cluster_status)))
        goto fail;
    for (i = 0; s && i < s->node_count; i++) {
        const ec_node_status *n = s->nodes[i];

        node = json_object();
        if (!node || json_array_append_new(nodes, node))
            goto fail;
        if (n->cache_node_id &&
            set_key(node, style, "CacheNodeId", json_string(n->cache_node_id)))
            goto fail;
        if (n->cache_node_status && set_key(node, style, "CacheNodeStatus",
                                            json_string(n->cache_node_status)))
            goto fail;
        if (n->parameter_group_status &&
            set_key(node, style, "ParameterGroupStatus",
                    json_string(n->parameter_group_status)))
            goto fail;
    }
    if (set_key(o, style, "CacheNodes", nodes))
        goto fail_nodes_taken;
    return o;
fail:
    json_decref(nodes);
fail_nodes_taken:
    json_decref(o);
    return NULL;
}

/* The cluster as it stands, or {} when it was never read. */
static json_t *cluster_or_empty(const ec_reboot_result *r, ec_json_style style)
{
    return r->cluster ? ec_cache_cluster_to_json(r->cluster, style)
                      : json_object();
}

json_t *ec_reboot_result_to_json(const ec_reboot_result *result,
                                 bool check_mode, ec_json_style style)
{
    json_t *o;

    if (!result)
        return NULL;
    o = json_object();
    if (!o)
        return NULL;
    if (set_key(o, style, "Changed", json_boolean(result->changed)) ||
        set_key(o, style, "DryRun", json_boolean(check_mode)) ||
        set_key(o, style, "Decision",
                json_string(ec_reboot_decision_name(result->decision))) ||
        set_key(o, style, "Message", json_string(result->message)) ||
        set_key(o, style, "RebootedNodeIds",
                strlist_to_json(&result->rebooted_node_ids)) ||
        set_key(o, style, "Before",
                cluster_status_to_json(result->before, style)) ||
        set_key(o, style, "After",
                cluster_status_to_json(result->after, style)) ||
        set_key(o, style, "Steps",
                ec_reboot_steps_to_json(&result->steps, style)) ||
        set_key(o, style, "CacheCluster", cluster_or_empty(result, style))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ------------------------------------------------------------------ */
/* The outcome of ec_reboot as an Ansible module returns it            */
/* ------------------------------------------------------------------ */

/* {"cache_cluster_status", "cache_nodes": {ID: {"cache_node_status",
 * "parameter_group_status", "rebooted"}}}, keyed by node id so that
 * Ansible's diff lines up the nodes of before and after. */
static json_t *status_by_id(const ec_cluster_status *st,
                            const ec_strlist *rebooted)
{
    json_t *out = json_object(), *nodes = json_object(), *node;
    size_t i;

    if (!out || !nodes)
        goto fail;
    if (json_object_set_new(out, "cache_cluster_status",
                            st->cache_cluster_status
                                ? json_string(st->cache_cluster_status)
                                : json_null()))
        goto fail;
    for (i = 0; i < st->node_count; i++) {
        const ec_node_status *n = st->nodes[i];

        node = json_pack("{s:s?,s:s?,s:b}", "cache_node_status",
                         n->cache_node_status, "parameter_group_status",
                         n->parameter_group_status, "rebooted",
                         rebooted && n->cache_node_id &&
                             ecp_strlist_contains(rebooted, n->cache_node_id));
        if (!node || !n->cache_node_id ||
            json_object_set_new(nodes, n->cache_node_id, node))
            goto fail;
    }
    if (json_object_set_new(out, "cache_nodes", nodes))
        goto fail_nodes_owned;
    return out;
fail:
    json_decref(nodes);
fail_nodes_owned:
    json_decref(out);
    return NULL;
}

/* The diff: after is what was read at the end; in check mode, where
 * nothing was done, what the reboot would leave. */
static json_t *ansible_diff(const ec_reboot_result *r)
{
    const ec_strlist *rebooted = r->changed ? &r->rebooted_node_ids : NULL;
    ec_cluster_status predicted = {0};
    const ec_cluster_status *after = r->before;
    json_t *before_json, *after_json = NULL;

    if (r->check_mode && r->changed) {
        if (ecp_cluster_status_predict(&predicted, r->before,
                                       &r->rebooted_node_ids, r->wait,
                                       NULL) != 0)
            return NULL;
        after = &predicted;
    } else if (!r->check_mode &&
               (r->after->cache_cluster_status || r->after->node_count)) {
        after = r->after;
    }
    before_json = status_by_id(r->before, NULL);
    if (before_json)
        after_json = status_by_id(after, rebooted);
    ecp_cluster_status_clear(&predicted);
    if (!before_json || !after_json) {
        json_decref(before_json);
        json_decref(after_json);
        return NULL;
    }
    return json_pack("{s:o,s:o}", "before", before_json, "after", after_json);
}

json_t *ec_reboot_result_to_ansible_json(const ec_reboot_result *result,
                                         bool diff)
{
    json_t *out, *v;

    if (!result)
        return NULL;
    out = json_pack(
        "{s:b,s:s,s:o}", "changed", result->changed, "msg",
        result->message[0] ? result->message
                           : ec_reboot_decision_str(result->decision),
        "rebooted_node_ids", strlist_to_json(&result->rebooted_node_ids));
    if (!out)
        return NULL;
    if (set_key(out, EC_JSON_SNAKE, "CacheCluster",
                cluster_or_empty(result, EC_JSON_SNAKE)) ||
        set_key(out, EC_JSON_SNAKE, "Steps",
                ec_reboot_steps_to_json(&result->steps, EC_JSON_SNAKE)))
        goto fail;
    if (diff) {
        v = ansible_diff(result);
        if (!v || json_object_set_new(out, "diff", v))
            goto fail;
    }
    if (json_object_set_new(
            out, "response_metadata",
            json_pack("{s:s?}", "request_id", result->request_id)))
        goto fail;
    return out;
fail:
    json_decref(out);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Steps and the replication group's outcome                           */
/* ------------------------------------------------------------------ */

static int set_str(json_t *o, ec_json_style style, const char *name,
                   const char *value)
{
    return value ? set_key(o, style, name, json_string(value)) : 0;
}

static int set_opt_bool(json_t *o, ec_json_style style, const char *name,
                        ec_opt_bool value)
{
    return value.set ? set_key(o, style, name, json_boolean(value.value)) : 0;
}

static json_t *step_to_json(const ec_reboot_step *s, ec_json_style style)
{
    json_t *o = json_object();

    if (!o)
        return NULL;
    if (set_key(o, style, "Action",
                json_string(ec_reboot_step_action_name(s->action))) ||
        set_key(o, style, "State",
                json_string(ec_reboot_step_state_name(s->state))) ||
        set_str(o, style, "CacheClusterId", s->cache_cluster_id) ||
        (s->action == EC_STEP_REBOOT &&
         set_key(o, style, "CacheNodeIds",
                 strlist_to_json(&s->cache_node_ids))) ||
        set_str(o, style, "ReplicationGroupId", s->replication_group_id) ||
        set_str(o, style, "Role", s->role) ||
        set_str(o, style, "PreviousPrimaryId", s->previous_primary_id) ||
        set_opt_bool(o, style, "AutomaticFailover", s->automatic_failover) ||
        set_opt_bool(o, style, "MultiAZ", s->multi_az) ||
        (s->started >= 0 &&
         (set_key(o, style, "Started", json_real(s->started)) ||
          set_key(o, style, "Seconds", json_real(s->seconds)))) ||
        set_str(o, style, "RequestId", s->request_id) ||
        set_str(o, style, "Message", s->message)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *ec_reboot_steps_to_json(const ec_reboot_step_list *steps,
                                ec_json_style style)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && steps && i < steps->count; i++)
        if (json_array_append_new(a, step_to_json(steps->items[i], style))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* {"Status", "AutomaticFailover", "MultiAZ", "Members": [{"CacheClusterId",
 * "CurrentRole"}]} of a group, {} when never read. */
static json_t *roles_to_json(const ec_replication_group *g, ec_json_style style)
{
    json_t *o = json_object(), *members = json_array();
    size_t i, k;

    if (!o || !members)
        goto fail;
    for (i = 0; g && i < g->node_groups.count; i++) {
        const ec_node_group *ng = g->node_groups.items[i];
        for (k = 0; k < ng->node_group_members.count; k++) {
            const ec_node_group_member *m = ng->node_group_members.items[k];
            json_t *j = json_object();
            if (!j || json_array_append_new(members, j) ||
                set_str(j, style, "CacheClusterId", m->cache_cluster_id) ||
                set_str(j, style, "CurrentRole", m->current_role))
                goto fail;
        }
    }
    if (g && (set_str(o, style, "Status", g->status) ||
              set_str(o, style, "AutomaticFailover", g->automatic_failover) ||
              set_str(o, style, "MultiAZ", g->multi_az)))
        goto fail;
    if (!g) {
        json_decref(members);
        return o;
    }
    if (set_key(o, style, "Members", members))
        goto fail_members_taken;
    return o;
fail:
    json_decref(members);
fail_members_taken:
    json_decref(o);
    return NULL;
}

static json_t *group_or_empty(const ec_replication_group *g,
                              ec_json_style style)
{
    return g ? ec_replication_group_to_json(g, style) : json_object();
}

json_t *ec_group_reboot_result_to_json(const ec_group_reboot_result *result,
                                       ec_json_style style)
{
    json_t *o;

    if (!result)
        return NULL;
    o = json_object();
    if (!o)
        return NULL;
    if (set_key(o, style, "Changed", json_boolean(result->changed)) ||
        set_key(o, style, "DryRun", json_boolean(result->check_mode)) ||
        set_key(o, style, "Decision",
                json_string(ec_reboot_decision_name(result->decision))) ||
        set_key(o, style, "Message",
                json_string(result->message ? result->message : "")) ||
        set_str(o, style, "ReplicationGroupId", result->replication_group_id) ||
        set_key(o, style, "RebootedMemberIds",
                strlist_to_json(&result->rebooted_member_ids)) ||
        set_key(o, style, "PrimaryBefore",
                result->primary_before ? json_string(result->primary_before)
                                       : json_null()) ||
        set_key(o, style, "PrimaryAfter",
                result->primary_after ? json_string(result->primary_after)
                                      : json_null()) ||
        set_key(o, style, "Steps",
                ec_reboot_steps_to_json(&result->steps, style)) ||
        set_key(o, style, "Before", roles_to_json(result->before, style)) ||
        set_key(o, style, "After", roles_to_json(result->after, style)) ||
        set_key(o, style, "ReplicationGroup",
                group_or_empty(result->after ? result->after : result->before,
                               style))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The member a check-mode plan would make primary, or NULL. */
static const char *planned_primary(const ec_group_reboot_result *r)
{
    size_t i;

    for (i = 0; i < r->steps.count; i++)
        if (r->steps.items[i]->action == EC_STEP_MOVE_PRIMARY)
            return r->steps.items[i]->cache_cluster_id;
    return NULL;
}

/* {"status", "automatic_failover", "multi_az", "members": {ID:
 * {"current_role", "rebooted"}}}; `promote`: check mode's prediction of
 * the new primary (NULL: roles as read). */
static json_t *diff_side(const ec_replication_group *g,
                         const ec_strlist *rebooted, const char *promote)
{
    json_t *o = json_object(), *members = json_object();
    size_t i, k;

    if (!o || !members)
        goto fail;
    for (i = 0; g && i < g->node_groups.count; i++) {
        const ec_node_group *ng = g->node_groups.items[i];
        for (k = 0; k < ng->node_group_members.count; k++) {
            const ec_node_group_member *m = ng->node_group_members.items[k];
            const char *role = m->current_role;
            json_t *j;

            if (!m->cache_cluster_id)
                continue;
            if (promote && role)
                role = strcmp(m->cache_cluster_id, promote) == 0 ? "primary"
                                                                 : "replica";
            j = json_pack("{s:s?,s:b}", "current_role", role, "rebooted",
                          rebooted && ecp_strlist_contains(
                                          rebooted, m->cache_cluster_id));
            if (!j || json_object_set_new(members, m->cache_cluster_id, j))
                goto fail;
        }
    }
    if (json_object_set_new(o, "status",
                            g && g->status && !promote ? json_string(g->status)
                            : promote ? json_string("available")
                                      : json_null()) ||
        json_object_set_new(o, "automatic_failover",
                            g && g->automatic_failover
                                ? json_string(g->automatic_failover)
                                : json_null()) ||
        json_object_set_new(o, "multi_az",
                            g && g->multi_az ? json_string(g->multi_az)
                                             : json_null()))
        goto fail;
    if (json_object_set_new(o, "members", members))
        goto fail_members_taken;
    return o;
fail:
    json_decref(members);
fail_members_taken:
    json_decref(o);
    return NULL;
}

json_t *
ec_group_reboot_result_to_ansible_json(const ec_group_reboot_result *result,
                                       bool diff)
{
    const char *request_id = NULL;
    json_t *out, *before, *after;
    size_t i;

    if (!result)
        return NULL;
    for (i = 0; i < result->steps.count; i++)
        if (result->steps.items[i]->request_id)
            request_id = result->steps.items[i]->request_id;
    out = json_pack(
        "{s:b,s:s,s:o,s:o,s:s?,s:s?}", "changed", result->changed, "msg",
        result->message && result->message[0]
            ? result->message
            : ec_reboot_decision_str(result->decision),
        "rebooted_member_ids", strlist_to_json(&result->rebooted_member_ids),
        "steps", ec_reboot_steps_to_json(&result->steps, EC_JSON_SNAKE),
        "primary_before", result->primary_before, "primary_after",
        result->primary_after);
    if (!out)
        return NULL;
    if (set_key(out, EC_JSON_SNAKE, "ReplicationGroup",
                group_or_empty(result->after ? result->after : result->before,
                               EC_JSON_SNAKE)) ||
        json_object_set_new(out, "response_metadata",
                            json_pack("{s:s?}", "request_id", request_id)))
        goto fail;
    if (diff) {
        const bool predict = result->check_mode && result->changed;
        before = diff_side(result->before, NULL, NULL);
        after = predict
                    ? diff_side(result->before, &result->rebooted_member_ids,
                                planned_primary(result))
                    : diff_side(result->after ? result->after : result->before,
                                result->changed ? &result->rebooted_member_ids
                                                : NULL,
                                NULL);
        if (!before || !after) {
            json_decref(before);
            json_decref(after);
            goto fail;
        }
        /* json_pack takes both references, also when it fails. */
        if (json_object_set_new(
                out, "diff",
                json_pack("{s:o,s:o}", "before", before, "after", after)))
            goto fail;
    }
    return out;
fail:
    json_decref(out);
    return NULL;
}
