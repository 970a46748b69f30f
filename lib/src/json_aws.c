/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AWS CLI's JSON text of a response struct, written straight from the
 * shape tables: byte for byte what ec_json_dumps_aws(ec_*_to_json(x,
 * EC_JSON_AWS)) prints (Python's json.dumps(indent=4, ensure_ascii=False)
 * of botocore's parse), without building a jansson tree and walking it
 * again. It fails where that path fails too (NULL): a string that is not
 * valid UTF-8 (json_string refuses it), a timestamp outside years 1..9999,
 * a double that is not finite, no memory. tests/unit/json checks the two
 * agree on every captured and model-made response.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pyfmt.h"
#include "shapes.h"

typedef struct jw {
    char *data;
    size_t len;
    size_t cap;
} jw;

/* Room for `n` more bytes. */
static int jw_reserve(jw *w, size_t n)
{
    size_t cap;
    char *p;

    if (w->cap - w->len > n)
        return 0;
    cap = w->cap ? w->cap : 4096;
    while (cap - w->len <= n) {
        if (cap > SIZE_MAX / 2)
            return -1;
        cap *= 2;
    }
    p = realloc(w->data, cap);
    if (!p)
        return -1;
    w->data = p;
    w->cap = cap;
    return 0;
}

static int jw_add(jw *w, const char *s, size_t n)
{
    if (jw_reserve(w, n) != 0)
        return -1;
    memcpy(w->data + w->len, s, n);
    w->len += n;
    return 0;
}

/* A newline and 4 spaces per level, as json.dumps(indent=4). */
static int jw_indent(jw *w, int depth)
{
    static const char spaces[] = "\n                                "
                                 "                                ";
    size_t n = 1 + 4 * (size_t)depth;

    if (n <= sizeof(spaces) - 1)
        return jw_add(w, spaces, n);
    if (jw_add(w, spaces, 1) != 0)
        return -1;
    for (n--; n > 0; n -= n < 64 ? n : 64)
        if (jw_add(w, spaces + 1, n < 64 ? n : 64) != 0)
            return -1;
    return 0;
}

/* What each byte of a string needs: 0 copied as is; 1 an escape ('"',
 * '\\', the C0 controls; NUL, the end, stops the scan too); 2 the lead
 * byte of a UTF-8 sequence to check (0xC2..0xF4); 3 a byte no valid UTF-8
 * starts with (continuation bytes, 0xC0, 0xC1, 0xF5..0xFF). */
static const unsigned char byte_class[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0x80 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0x90 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0xA0 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0xB0 */
    3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xC0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xD0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xE0 */
    2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0xF0 */
};

/* The length of the valid UTF-8 sequence at p (its lead byte is class 2),
 * or 0: jansson's rules (no overlong forms, no surrogates, nothing above
 * U+10FFFF). */
static size_t utf8_sequence(const unsigned char *p)
{
    unsigned char c = p[0];
    size_t n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4, i;
    uint32_t cp = c & (c < 0xE0 ? 0x1F : c < 0xF0 ? 0x0F : 0x07);

    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) /* the NUL at the end stops here too */
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* A JSON string as json.dumps(ensure_ascii=False) writes it: '"', '\\'
 * and the C0 controls escaped (\n and friends by name, the rest as
 * \u00XX), everything else raw. The scan starts at `p`, past what is
 * known to need nothing. */
static int jw_string_escaped(jw *w, const char *s, const unsigned char *p)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *run = (const unsigned char *)s;
    size_t n;
    char esc[6];
    const char *e;

    if (jw_add(w, "\"", 1) != 0)
        return -1;
    for (;;) {
        while (byte_class[*p] == 0)
            p++;
        if (*p == '\0')
            break;
        if (byte_class[*p] == 2) {
            n = utf8_sequence(p);
            if (n == 0) /* json_string refuses invalid UTF-8 */
                return -1;
            p += n;
            continue;
        }
        if (byte_class[*p] == 3)
            return -1;
        if (jw_add(w, (const char *)run, (size_t)(p - run)) != 0)
            return -1;
        n = 2;
        switch (*p) {
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
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 15];
            e = esc;
            n = 6;
            break;
        }
        if (jw_add(w, e, n) != 0)
            return -1;
        run = ++p;
    }
    if (jw_add(w, (const char *)run, (size_t)(p - run)) != 0)
        return -1;
    return jw_add(w, "\"", 1);
}

static int jw_string(jw *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len;
    char *d;

    /* The usual case: plain text, copied in one go. */
    while (byte_class[*p] == 0)
        p++;
    if (*p != '\0')
        return jw_string_escaped(w, s, p);
    len = (size_t)(p - (const unsigned char *)s);
    if (jw_reserve(w, len + 2) != 0)
        return -1;
    d = w->data + w->len;
    d[0] = '"';
    memcpy(d + 1, s, len);
    d[len + 1] = '"';
    w->len += len + 2;
    return 0;
}

/* ",\n<indent>\"Name\": " (or "{" first): the member names are ASCII
 * letters and digits (tests/unit/json checks every table), which JSON
 * writes as they are. */
static int jw_key(jw *w, bool first, int depth, const char *name)
{
    size_t klen = strlen(name), ind = 4 * (size_t)depth;
    char *d;

    if (jw_reserve(w, klen + ind + 6) != 0)
        return -1;
    d = w->data + w->len;
    *d++ = first ? '{' : ',';
    *d++ = '\n';
    memset(d, ' ', ind);
    d += ind;
    *d++ = '"';
    memcpy(d, name, klen);
    d += klen;
    memcpy(d, "\": ", 3);
    w->len = (size_t)(d + 3 - w->data);
    return 0;
}

/* "%lld", as jansson's JSON_INTEGER_FORMAT. */
static int jw_int(jw *w, int64_t v)
{
    char buf[24];
    char *p = buf + sizeof(buf);
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return jw_add(w, p, (size_t)(buf + sizeof(buf) - p));
}

static bool member_present(const ecp_member *m, const void *obj)
{
    const char *field = (const char *)obj + m->offset;
    ec_opt_int oi;
    ec_opt_bool ob;
    ec_opt_double od;
    ec_time t;
    size_t count;
    void **items;

    switch (m->kind) {
    case ECP_K_STRING:
    case ECP_K_STRUCT:
        return ecp_member_ptr_get(obj, m) != NULL;
    case ECP_K_INT:
        memcpy(&oi, field, sizeof(oi));
        return oi.set;
    case ECP_K_BOOL:
        memcpy(&ob, field, sizeof(ob));
        return ob.set;
    case ECP_K_TIME:
        memcpy(&t, field, sizeof(t));
        return t.set;
    case ECP_K_DOUBLE:
        memcpy(&od, field, sizeof(od));
        return od.set;
    case ECP_K_STRLIST:
        return ((const ec_strlist *)(const void *)field)->set;
    case ECP_K_LIST:
        return ecp_member_list_get(obj, m, &count, &items);
    }
    return false;
}

static int jw_struct(jw *w, const ecp_shape *shape, const void *obj, int depth);

/* The value of a member that is present. */
static int jw_member(jw *w, const ecp_member *m, const void *obj, int depth)
{
    const char *field = (const char *)obj + m->offset;
    char buf[40];
    size_t i, n, count;
    void **items;
    int len;

    switch (m->kind) {
    case ECP_K_STRING:
        return jw_string(w, ecp_member_ptr_get(obj, m));
    case ECP_K_INT: {
        ec_opt_int v;

        memcpy(&v, field, sizeof(v));
        return jw_int(w, v.value);
    }
    case ECP_K_BOOL: {
        ec_opt_bool v;

        memcpy(&v, field, sizeof(v));
        return v.value ? jw_add(w, "true", 4) : jw_add(w, "false", 5);
    }
    case ECP_K_TIME: {
        ec_time v;

        memcpy(&v, field, sizeof(v));
        len = ec_time_format_iso(v, buf + 1, sizeof(buf) - 2);
        if (len < 0)
            return -1;
        /* ASCII digits and punctuation: nothing to escape. */
        buf[0] = '"';
        buf[len + 1] = '"';
        return jw_add(w, buf, (size_t)len + 2);
    }
    case ECP_K_DOUBLE: {
        ec_opt_double v;

        memcpy(&v, field, sizeof(v));
        if (!isfinite(v.value)) /* json_real refuses it */
            return -1;
        return jw_add(w, buf, ecp_py_float_repr(v.value, buf));
    }
    case ECP_K_STRUCT:
        return jw_struct(w, m->shape, ecp_member_ptr_get(obj, m), depth);
    case ECP_K_STRLIST: {
        const ec_strlist *l = (const ec_strlist *)(const void *)field;

        if (l->count == 0)
            return jw_add(w, "[]", 2);
        for (i = 0; i < l->count; i++) {
            if (!l->items[i]) /* json_string(NULL) fails */
                return -1;
            if (jw_add(w, i ? "," : "[", 1) != 0 ||
                jw_indent(w, depth + 1) != 0 || jw_string(w, l->items[i]) != 0)
                return -1;
        }
        return jw_indent(w, depth) != 0 ? -1 : jw_add(w, "]", 1);
    }
    case ECP_K_LIST:
        ecp_member_list_get(obj, m, &count, &items);
        /* Empty slots (an item moved out) are left out. */
        for (i = n = 0; i < count; i++) {
            if (!items[i])
                continue;
            if (jw_add(w, n++ ? "," : "[", 1) != 0 ||
                jw_indent(w, depth + 1) != 0 ||
                jw_struct(w, m->shape, items[i], depth + 1) != 0)
                return -1;
        }
        if (n == 0)
            return jw_add(w, "[]", 2);
        return jw_indent(w, depth) != 0 ? -1 : jw_add(w, "]", 1);
    }
    return -1;
}

/* An object: the present members in model order, "key": value. */
static int jw_struct(jw *w, const ecp_shape *shape, const void *obj, int depth)
{
    size_t i, n = 0;

    for (i = 0; i < shape->count; i++) {
        const ecp_member *m = &shape->members[i];

        if (!member_present(m, obj))
            continue;
        if (jw_key(w, n++ == 0, depth + 1, m->name) != 0 ||
            jw_member(w, m, obj, depth + 1) != 0)
            return -1;
    }
    if (n == 0)
        return jw_add(w, "{}", 2);
    return jw_indent(w, depth) != 0 ? -1 : jw_add(w, "}", 1);
}

char *ecp_shape_dumps_aws(const ecp_shape *shape, const void *obj)
{
    jw w = {0};

    if (!obj || jw_struct(&w, shape, obj, 0) != 0 || jw_add(&w, "\n", 1) != 0) {
        free(w.data);
        return NULL;
    }
    /* jw_reserve always leaves a byte spare. */
    w.data[w.len] = '\0';
    return w.data;
}

char *ec_describe_cache_clusters_output_dumps_aws(
    const ec_describe_cache_clusters_output *out)
{
    return ecp_shape_dumps_aws(&ecp_shape_cache_cluster_message, out);
}

char *ec_reboot_cache_cluster_output_dumps_aws(
    const ec_reboot_cache_cluster_output *out)
{
    return ecp_shape_dumps_aws(&ecp_shape_reboot_cache_cluster_result, out);
}

char *ec_describe_events_output_dumps_aws(const ec_describe_events_output *out)
{
    return ecp_shape_dumps_aws(&ecp_shape_events_message, out);
}

char *ec_describe_replication_groups_output_dumps_aws(
    const ec_describe_replication_groups_output *out)
{
    return ecp_shape_dumps_aws(&ecp_shape_replication_group_message, out);
}

char *ec_modify_replication_group_output_dumps_aws(
    const ec_modify_replication_group_output *out)
{
    return ecp_shape_dumps_aws(&ecp_shape_modify_replication_group_result, out);
}

char *ec_list_tags_for_resource_output_dumps_aws(
    const ec_list_tags_for_resource_output *out)
{
    return ecp_shape_dumps_aws(&ecp_shape_tag_list_message, out);
}
