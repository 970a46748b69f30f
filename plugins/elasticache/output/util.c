/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the output formatters. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eaw_table.h"

void eco_fail(eco_error *err, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
}

int eco_fail_out(eco_error *err, const ecp_pyout *o)
{
    eco_fail(err, "%s", o->over ? "output too large" : "out of memory");
    return -1;
}

bool eco_truthy(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return json_object_size(v) != 0;
    case JSON_ARRAY:
        return json_array_size(v) != 0;
    case JSON_STRING:
        return json_string_length(v) != 0;
    case JSON_INTEGER:
        return json_integer_value(v) != 0;
    case JSON_REAL:
        return json_real_value(v) != 0.0;
    case JSON_TRUE:
        return true;
    default:
        return false;
    }
}

const char *eco_pytype(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "dict";
    case JSON_ARRAY:
        return "list";
    case JSON_STRING:
        return "str";
    case JSON_INTEGER:
        return "int";
    case JSON_REAL:
        return "float";
    case JSON_TRUE:
    case JSON_FALSE:
        return "bool";
    default:
        return "NoneType";
    }
}

bool eco_is_container(const json_t *v)
{
    return json_is_object(v) || json_is_array(v);
}

int eco_key_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    int r = memcmp(a, b, al < bl ? al : bl);

    if (r)
        return r;
    return al < bl ? -1 : al > bl ? 1 : 0;
}

static int by_key(const void *x, const void *y)
{
    const eco_key *a = x, *b = y;

    return eco_key_cmp(a->key, a->len, b->key, b->len);
}

eco_key *eco_sorted_keys(const json_t *obj, size_t *count)
{
    size_t n = json_object_size(obj), i = 0;
    eco_key *keys = malloc((n ? n : 1) * sizeof(*keys));
    void *it;

    if (!keys)
        return NULL;
    for (it = json_object_iter((json_t *)obj); it;
         it = json_object_iter_next((json_t *)obj, it)) {
        keys[i].key = json_object_iter_key(it);
        keys[i].len = json_object_iter_key_len(it);
        keys[i].value = json_object_iter_value(it);
        i++;
    }
    qsort(keys, n, sizeof(*keys), by_key);
    *count = n;
    return keys;
}

int eco_str(ecp_pyout *o, const json_t *v)
{
    return ecp_py_str(o, v, ECO_MAX_DEPTH, NULL);
}

int eco_upper(ecp_pyout *o, const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t start = i, lo = 0,
               hi = sizeof(eco_upper_table) / sizeof(eco_upper_table[0]);
        uint32_t cp = ecp_utf8_next(s, len, &i);
        const char *up = NULL;

        if (cp >= 'a' && cp <= 'z') {
            if (ecp_pyout_addc(o, (char)(cp - 32)) != 0)
                return -1;
            continue;
        }
        while (cp >= 0x80 && lo < hi) {
            size_t mid = lo + (hi - lo) / 2;

            if (cp < eco_upper_table[mid].cp) {
                hi = mid;
            } else if (cp > eco_upper_table[mid].cp) {
                lo = mid + 1;
            } else {
                up = eco_upper_table[mid].upper;
                break;
            }
        }
        if (up ? ecp_pyout_adds(o, up) != 0
               : ecp_pyout_add(o, s + start, i - start) != 0)
            return -1;
    }
    return 0;
}

size_t eco_text_width(const char *s, size_t len)
{
    size_t i = 0, width = 0;

    while (i < len) {
        uint32_t cp = ecp_utf8_next(s, len, &i);
        size_t lo = 0, hi = sizeof(eco_wide) / sizeof(eco_wide[0]);
        bool wide = false;

        while (cp >= 0xA1 && lo < hi) {
            size_t mid = lo + (hi - lo) / 2;

            if (cp < eco_wide[mid].lo) {
                hi = mid;
            } else if (cp > eco_wide[mid].hi) {
                lo = mid + 1;
            } else {
                wide = true;
                break;
            }
        }
        width += wide ? 2 : 1;
    }
    return width;
}
