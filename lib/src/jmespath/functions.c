/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath built-in functions as jmespath/functions.py defines them: the
 * same signatures, the same argument checks in the same order (arity, then
 * types, then element types), the same results (int or float, which
 * element wins a tie, stable sorts) and the same error messages.
 */
#include "jp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANY                                                                    \
    {                                                                          \
        NULL                                                                   \
    }

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* "['array-number', 'array-string']": Python's str() of the list. */
static void add_types(ecp_pyout *o, const char *const *types)
{
    size_t i;

    ecp_pyout_addc(o, '[');
    for (i = 0; types[i]; i++) {
        if (i)
            ecp_pyout_add(o, ", ", 2);
        ecp_pyout_addc(o, '\'');
        ecp_pyout_adds(o, types[i]);
        ecp_pyout_addc(o, '\'');
    }
    ecp_pyout_addc(o, ']');
}

/* str() of a value for a message. */
static void add_value(const ecp_jp_ctx *c, ecp_pyout *o, const json_t *v)
{
    ecp_pyhook hook = ecp_jp_hook(c);

    ecp_py_str(o, v, ECP_JP_MAX_DATA_DEPTH, &hook);
}

/* JMESPathTypeError. */
static json_t *type_error(ecp_jp_ctx *c, const char *fn, const json_t *value,
                          const char *received, const char *const *types)
{
    ecp_pyout m = {0};

    ecp_pyout_adds(&m, "In function ");
    ecp_pyout_adds(&m, fn);
    ecp_pyout_adds(&m, "(), invalid type for value: ");
    add_value(c, &m, value);
    ecp_pyout_adds(&m, ", expected one of: ");
    add_types(&m, types);
    ecp_pyout_adds(&m, ", received: \"");
    ecp_pyout_adds(&m, received);
    ecp_pyout_addc(&m, '"');
    if (m.over) {
        ecp_pyout_free(&m);
        ecp_jp_fail(&c->err, JK_LIMIT, "error message too large");
        return NULL;
    }
    ecp_jp_fail_msg(&c->err, JK_INVALID_TYPE, &m);
    return NULL;
}

static json_t *nomem(ecp_jp_ctx *c)
{
    ecp_jp_nomem(&c->err);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Argument checks                                                     */
/* ------------------------------------------------------------------ */

static bool base_allows(const char *t, size_t n, ecp_jp_pytype pt)
{
#define IS(s) (n == strlen(s) && strncmp(t, s, n) == 0)
    if (IS("number"))
        return pt == PT_INT || pt == PT_FLOAT;
    if (IS("string"))
        return pt == PT_STR;
    if (IS("array"))
        return pt == PT_LIST;
    if (IS("object"))
        return pt == PT_DICT;
    if (IS("boolean"))
        return pt == PT_BOOL;
    if (IS("null"))
        return pt == PT_NONE;
    if (IS("expref"))
        return pt == PT_EXPREF;
#undef IS
    return false;
}

/* Functions._type_check_single and _subtype_check. */
static bool check_arg(ecp_jp_ctx *c, const char *fn, const json_t *arg,
                      const char *const *types)
{
    ecp_jp_pytype pt = ecp_jp_type(c, arg);
    const char *subtypes[3];
    size_t i, nsub = 0;
    bool ok = false;

    for (i = 0; types[i]; i++) {
        const char *dash = strchr(types[i], '-');
        size_t n = dash ? (size_t)(dash - types[i]) : strlen(types[i]);

        if (base_allows(types[i], n, pt))
            ok = true;
        if (dash)
            subtypes[nsub++] = dash + 1;
    }
    if (!ok) {
        type_error(c, fn, arg, ecp_jp_type_name(pt), types);
        return false;
    }
    if (nsub == 0)
        return true;
    if (nsub == 1) {
        json_t *el;

        json_array_foreach(arg, i, el)
        {
            ecp_jp_pytype et = ecp_jp_type(c, el);

            if (!base_allows(subtypes[0], strlen(subtypes[0]), et)) {
                type_error(c, fn, el, ecp_jp_pytype_name(et), types);
                return false;
            }
        }
        return true;
    }
    if (json_array_size(arg) > 0) {
        /* The first element picks which subtype all must have. */
        json_t *el = json_array_get(arg, 0);
        ecp_jp_pytype first = ecp_jp_type(c, el);
        const char *sub = NULL;

        for (i = 0; i < nsub && !sub; i++)
            if (base_allows(subtypes[i], strlen(subtypes[i]), first))
                sub = subtypes[i];
        if (!sub) {
            type_error(c, fn, el, ecp_jp_pytype_name(first), types);
            return false;
        }
        json_array_foreach(arg, i, el)
        {
            ecp_jp_pytype et = ecp_jp_type(c, el);

            if (!base_allows(sub, strlen(sub), et)) {
                type_error(c, fn, el, ecp_jp_pytype_name(et), types);
                return false;
            }
        }
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Numbers                                                             */
/* ------------------------------------------------------------------ */

/* Python's sum() of ints and floats (CPython 3.11): exact integer sums
 * until the first float, then double arithmetic, every int converted. An
 * integer beyond 64 bits becomes the nearest double (Python keeps it). */
static json_t *py_sum(ecp_jp_ctx *c, const json_t *list, size_t *count)
{
    __int128 isum = 0;
    double fsum = 0;
    bool floating = false;
    json_t *el;
    size_t i;

    json_array_foreach(list, i, el)
    {
        if (!floating && json_is_integer(el)) {
            isum += json_integer_value(el);
        } else if (!floating) {
            floating = true;
            fsum = (double)isum + json_real_value(el);
        } else if (json_is_integer(el)) {
            fsum += (double)json_integer_value(el);
        } else {
            fsum += json_real_value(el);
        }
    }
    *count = json_array_size(list);
    if (floating)
        return json_real(fsum);
    if (isum >= INT64_MIN && isum <= INT64_MAX)
        return json_integer((json_int_t)isum);
    (void)c;
    return json_real((double)isum);
}

static json_t *f_abs(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                     size_t n)
{
    (void)c, (void)call, (void)n;
    if (json_is_real(a[0]))
        return json_real(fabs(json_real_value(a[0])));
    if (json_integer_value(a[0]) == INT64_MIN)
        return json_real(9223372036854775808.0);
    return json_integer(llabs(json_integer_value(a[0])));
}

static json_t *f_avg(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                     size_t n)
{
    json_t *sum, *out;
    size_t count;
    double total;

    (void)call, (void)n;
    if (json_array_size(a[0]) == 0)
        return json_null();
    sum = py_sum(c, a[0], &count);
    if (!sum)
        return nomem(c);
    total = json_is_real(sum) ? json_real_value(sum)
                              : (double)json_integer_value(sum);
    json_decref(sum);
    out = json_real(total / (double)count);
    return out ? out : nomem(c);
}

static json_t *f_sum(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                     size_t n)
{
    size_t count;
    json_t *out = py_sum(c, a[0], &count);

    (void)call, (void)n;
    return out ? out : nomem(c);
}

/* math.ceil / math.floor return an int in Python 3. */
static json_t *rounded(ecp_jp_ctx *c, json_t *v, double (*op)(double))
{
    double d;

    (void)c;
    if (!json_is_real(v))
        return json_incref(v);
    d = op(json_real_value(v));
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        return json_integer((json_int_t)d);
    return json_real(d);
}

static json_t *f_ceil(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                      size_t n)
{
    (void)call, (void)n;
    return rounded(c, a[0], ceil);
}

static json_t *f_floor(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                       size_t n)
{
    (void)call, (void)n;
    return rounded(c, a[0], floor);
}

/* ------------------------------------------------------------------ */
/* Conversions and tests                                               */
/* ------------------------------------------------------------------ */

static json_t *f_not_null(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                          size_t n)
{
    size_t i;

    (void)c, (void)call;
    for (i = 0; i < n; i++)
        if (!json_is_null(a[i]))
            return json_incref(a[i]);
    return json_null();
}

static json_t *f_to_array(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                          size_t n)
{
    json_t *out;

    (void)call, (void)n;
    if (json_is_array(a[0]))
        return json_incref(a[0]); /* the same list, as Python returns it */
    out = json_array();
    if (!out || json_array_append(out, a[0]) != 0) {
        json_decref(out);
        return nomem(c);
    }
    return out;
}

static json_t *f_to_string(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                           size_t n)
{
    ecp_pyhook hook = ecp_jp_hook(c);
    ecp_pyout o = {0};
    json_t *out;

    (void)call, (void)n;
    if (json_is_string(a[0]))
        return json_incref(a[0]);
    /* The text can be far larger than the value (shared sub-values are
     * written out each time): it is bounded by the budget of work. */
    o.limit = c->steps_left < SIZE_MAX / 4 ? (size_t)c->steps_left : 0;
    if (ecp_py_json_compact(&o, a[0], ECP_JP_MAX_DATA_DEPTH, &hook) != 0) {
        bool failed = o.failed;

        ecp_pyout_free(&o);
        if (failed)
            return nomem(c);
        ecp_jp_charge(c, c->steps_left + 1);
        return NULL;
    }
    if (!ecp_jp_charge(c, o.len)) {
        ecp_pyout_free(&o);
        return NULL;
    }
    out = json_stringn(o.data, o.len);
    ecp_pyout_free(&o);
    return out ? out : nomem(c);
}

static json_t *f_to_number(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                           size_t n)
{
    json_t *out = NULL;
    int r;

    (void)call, (void)n;
    switch (ecp_jp_type(c, a[0])) {
    case PT_INT:
    case PT_FLOAT:
        return json_incref(a[0]);
    case PT_STR:
        r = ecp_jp_py_number(json_string_value(a[0]), json_string_length(a[0]),
                             &out);
        if (r < 0)
            return nomem(c);
        return r ? out : json_null();
    case PT_EXPREF:
        ecp_jp_fail(&c->err, JK_INVALID_TYPE,
                    "int() argument must be a string, a bytes-like object or "
                    "a real number, not '_Expression'");
        return NULL;
    default:
        return json_null();
    }
}

static int py_contains(ecp_jp_ctx *c, const json_t *subject,
                       const json_t *search)
{
    json_t *el;
    size_t i;

    if (json_is_array(subject)) {
        json_array_foreach(subject, i, el)
        {
            int r = ecp_jp_equal(c, el, search, false);

            if (r)
                return r;
        }
        return 0;
    }
    if (ecp_jp_type(c, search) != PT_STR) {
        ecp_jp_fail(&c->err, JK_INVALID_TYPE,
                    "'in <string>' requires string as left operand, not %s",
                    ecp_jp_pytype_name(ecp_jp_type(c, search)));
        return -1;
    }
    {
        const char *h = json_string_value(subject);
        const char *nd = json_string_value(search);
        size_t hl = json_string_length(subject);
        size_t nl = json_string_length(search), k;

        if (!ecp_jp_charge(c, hl))
            return -1;
        if (nl == 0)
            return 1;
        for (k = 0; k + nl <= hl; k++)
            if (h[k] == nd[0] && memcmp(h + k, nd, nl) == 0)
                return 1;
        return 0;
    }
}

static json_t *f_contains(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                          size_t n)
{
    int r = py_contains(c, a[0], a[1]);

    (void)call, (void)n;
    return r < 0 ? NULL : json_boolean(r);
}

static json_t *f_length(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                        size_t n)
{
    (void)c, (void)call, (void)n;
    if (json_is_string(a[0]))
        return json_integer((json_int_t)ecp_utf8_count(
            json_string_value(a[0]), json_string_length(a[0])));
    if (json_is_array(a[0]))
        return json_integer((json_int_t)json_array_size(a[0]));
    return json_integer((json_int_t)json_object_size(a[0]));
}

static json_t *f_ends_with(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                           size_t n)
{
    size_t hl = json_string_length(a[0]), nl = json_string_length(a[1]);

    (void)c, (void)call, (void)n;
    return json_boolean(nl <= hl && memcmp(json_string_value(a[0]) + hl - nl,
                                           json_string_value(a[1]), nl) == 0);
}

static json_t *f_starts_with(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                             size_t n)
{
    size_t hl = json_string_length(a[0]), nl = json_string_length(a[1]);

    (void)c, (void)call, (void)n;
    return json_boolean(nl <= hl && memcmp(json_string_value(a[0]),
                                           json_string_value(a[1]), nl) == 0);
}

static json_t *f_reverse(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                         size_t n)
{
    json_t *out;
    size_t i, len;

    (void)call, (void)n;
    if (json_is_string(a[0])) {
        /* arg[::-1]: by code points. */
        const char *s = json_string_value(a[0]);
        char *r;

        len = json_string_length(a[0]);
        if (!ecp_jp_charge(c, len))
            return NULL;
        r = malloc(len + 1);
        if (!r)
            return nomem(c);
        i = 0;
        while (i < len) {
            size_t start = i;

            ecp_utf8_next(s, len, &i);
            memcpy(r + len - i, s + start, i - start);
        }
        out = json_stringn(r, len);
        free(r);
        return out ? out : nomem(c);
    }
    len = json_array_size(a[0]);
    if (!ecp_jp_charge(c, len))
        return NULL;
    out = json_array();
    if (!out)
        return nomem(c);
    for (i = len; i > 0; i--) {
        if (json_array_append(out, json_array_get(a[0], i - 1)) != 0) {
            json_decref(out);
            return nomem(c);
        }
    }
    return out;
}

static json_t *f_join(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                      size_t n)
{
    ecp_pyout o = {0};
    json_t *el, *out;
    size_t i;

    (void)call, (void)n;
    json_array_foreach(a[1], i, el)
    {
        if (i && ecp_pyout_add(&o, json_string_value(a[0]),
                               json_string_length(a[0])) != 0)
            break;
        if (ecp_pyout_add(&o, json_string_value(el), json_string_length(el)) !=
            0)
            break;
        if (!ecp_jp_charge(c, json_string_length(el) +
                                  json_string_length(a[0]) + 1)) {
            ecp_pyout_free(&o);
            return NULL;
        }
    }
    if (o.failed || o.over) {
        ecp_pyout_free(&o);
        return nomem(c);
    }
    out = json_stringn(o.data ? o.data : "", o.len);
    ecp_pyout_free(&o);
    return out ? out : nomem(c);
}

static json_t *f_map(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                     size_t n)
{
    const ecp_jp_node *fn = ecp_jp_expref_node(c, a[0])->kids[0];
    json_t *out = json_array(), *el;
    size_t i;

    (void)call, (void)n;
    if (!out)
        return nomem(c);
    json_array_foreach(a[1], i, el)
    {
        json_t *r = ecp_jp_eval(c, fn, el);

        if (!r || json_array_append_new(out, r) != 0) {
            if (r)
                nomem(c);
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

/* max()/min() over numbers or strings: the first of the largest. */
static json_t *extreme(ecp_jp_ctx *c, json_t *list, int sign)
{
    json_t *best = NULL, *el;
    size_t i;

    if (json_array_size(list) == 0)
        return json_null();
    json_array_foreach(list, i, el)
    {
        if (!best || ecp_jp_order(el, best) * sign > 0)
            best = el;
    }
    (void)c;
    return json_incref(best);
}

static json_t *f_max(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                     size_t n)
{
    (void)call, (void)n;
    return extreme(c, a[0], 1);
}

static json_t *f_min(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                     size_t n)
{
    (void)call, (void)n;
    return extreme(c, a[0], -1);
}

/* dict.update(arg) for an argument that is no dict: Python iterates it as
 * a sequence of key/value pairs (merge() checks only its first
 * argument's type). */
static bool update_from_pairs(ecp_jp_ctx *c, json_t *out, json_t *arg)
{
    ecp_jp_pytype t = ecp_jp_type(c, arg);
    json_t *el;
    size_t i;

    if (t == PT_STR) {
        if (json_string_length(arg) == 0)
            return true;
        ecp_jp_fail(&c->err, JK_INVALID_VALUE,
                    "dictionary update sequence element #0 has length 1; 2 "
                    "is required");
        return false;
    }
    if (t != PT_LIST) {
        ecp_jp_fail(&c->err, JK_INVALID_TYPE, "'%s' object is not iterable",
                    ecp_jp_pytype_name(t));
        return false;
    }
    json_array_foreach(arg, i, el)
    {
        ecp_jp_pytype et = ecp_jp_type(c, el);
        json_t *key = NULL, *value = NULL, *kv = NULL;
        size_t len;
        int rc;

        if (et == PT_LIST) {
            len = json_array_size(el);
        } else if (et == PT_STR) {
            len = ecp_utf8_count(json_string_value(el), json_string_length(el));
        } else if (et == PT_DICT) {
            len = json_object_size(el);
        } else {
            ecp_jp_fail(&c->err, JK_INVALID_TYPE,
                        "cannot convert dictionary update sequence element "
                        "#%zu to a sequence",
                        i);
            return false;
        }
        if (len != 2) {
            ecp_jp_fail(&c->err, JK_INVALID_VALUE,
                        "dictionary update sequence element #%zu has length "
                        "%zu; 2 is required",
                        i, len);
            return false;
        }
        if (et == PT_LIST) {
            key = json_incref(json_array_get(el, 0));
            value = json_incref(json_array_get(el, 1));
        } else if (et == PT_STR) {
            const char *s = json_string_value(el);
            size_t sl = json_string_length(el), k = 0;

            ecp_utf8_next(s, sl, &k);
            key = json_stringn(s, k);
            value = json_stringn(s + k, sl - k);
        } else {
            void *it = json_object_iter(el);

            key = json_stringn(json_object_iter_key(it),
                               json_object_iter_key_len(it));
            it = json_object_iter_next(el, it);
            value = json_stringn(json_object_iter_key(it),
                                 json_object_iter_key_len(it));
        }
        if (!key || !value) {
            json_decref(key);
            json_decref(value);
            nomem(c);
            return false;
        }
        t = ecp_jp_type(c, key);
        if (t == PT_LIST || t == PT_DICT) {
            ecp_jp_fail(&c->err, JK_INVALID_TYPE, "unhashable type: '%s'",
                        ecp_jp_pytype_name(t));
            rc = -1;
        } else {
            /* A number, bool or null key makes a Python dict with a
             * non-string key, which JSON output writes as its JSON text:
             * we keep that text as the key from the start. (Later
             * functions see a string where Python has the number, and
             * 1, 1.0 and true stay apart where Python merges them.) */
            ecp_pyout text = {0};
            const char *k = json_string_value(key);
            size_t klen = json_string_length(key);

            if (t != PT_STR) {
                ecp_py_json_compact(&text, key, 1, NULL);
                k = text.data;
                klen = text.len;
            }
            kv = value;
            value = NULL;
            rc = k ? json_object_setn_new(out, k, klen, kv) : -1;
            if (rc != 0)
                nomem(c);
            ecp_pyout_free(&text);
        }
        json_decref(key);
        json_decref(value);
        if (rc != 0)
            return false;
    }
    return true;
}

static json_t *f_merge(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                       size_t n)
{
    json_t *out = json_object();
    size_t i;

    (void)call;
    if (!out)
        return nomem(c);
    for (i = 0; i < n; i++) {
        if (ecp_jp_type(c, a[i]) == PT_DICT) {
            if (!ecp_jp_charge(c, json_object_size(a[i])))
                goto fail;
            if (json_object_update(out, a[i]) != 0) {
                nomem(c);
                goto fail;
            }
        } else if (!update_from_pairs(c, out, a[i])) {
            goto fail;
        }
    }
    return out;
fail:
    json_decref(out);
    return NULL;
}

static json_t *f_keys(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                      size_t n)
{
    json_t *out = json_array();
    void *it;

    (void)call, (void)n;
    if (!out || !ecp_jp_charge(c, json_object_size(a[0]))) {
        json_decref(out);
        return out ? NULL : nomem(c);
    }
    for (it = json_object_iter(a[0]); it;
         it = json_object_iter_next(a[0], it)) {
        if (json_array_append_new(
                out, json_stringn(json_object_iter_key(it),
                                  json_object_iter_key_len(it))) != 0) {
            json_decref(out);
            return nomem(c);
        }
    }
    return out;
}

static json_t *f_values(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                        size_t n)
{
    json_t *out = json_array();
    void *it;

    (void)call, (void)n;
    if (!out || !ecp_jp_charge(c, json_object_size(a[0]))) {
        json_decref(out);
        return out ? NULL : nomem(c);
    }
    for (it = json_object_iter(a[0]); it;
         it = json_object_iter_next(a[0], it)) {
        if (json_array_append(out, json_object_iter_value(it)) != 0) {
            json_decref(out);
            return nomem(c);
        }
    }
    return out;
}

static json_t *f_type(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                      size_t n)
{
    ecp_jp_pytype t = ecp_jp_type(c, a[0]);

    (void)call, (void)n;
    /* Python's _func_type has no branch for an expression reference and
     * falls off its end: None. */
    if (t == PT_EXPREF)
        return json_null();
    return json_string(ecp_jp_type_name(t));
}

/* ------------------------------------------------------------------ */
/* Sorting                                                             */
/* ------------------------------------------------------------------ */

typedef struct sort_item {
    json_t *value;
    json_t *key;
} sort_item;

/* Stable merge sort (Python's sort is stable) on the keys. */
static bool merge_sort(ecp_jp_ctx *c, sort_item *items, size_t n)
{
    sort_item *tmp;
    size_t width, i;

    if (n < 2)
        return true;
    tmp = malloc(n * sizeof(*tmp));
    if (!tmp) {
        nomem(c);
        return false;
    }
    for (width = 1; width < n; width *= 2) {
        if (!ecp_jp_charge(c, n)) {
            free(tmp);
            return false;
        }
        for (i = 0; i < n; i += 2 * width) {
            size_t lo = i, mid = i + width < n ? i + width : n;
            size_t hi = i + 2 * width < n ? i + 2 * width : n;
            size_t a = lo, b = mid, k = lo;

            while (a < mid && b < hi) {
                /* take from the right only when strictly smaller */
                if (ecp_jp_order(items[b].key, items[a].key) < 0)
                    tmp[k++] = items[b++];
                else
                    tmp[k++] = items[a++];
            }
            while (a < mid)
                tmp[k++] = items[a++];
            while (b < hi)
                tmp[k++] = items[b++];
        }
        memcpy(items, tmp, n * sizeof(*tmp));
    }
    free(tmp);
    return true;
}

static json_t *sorted(ecp_jp_ctx *c, sort_item *items, size_t n)
{
    json_t *out;
    size_t i;

    if (!merge_sort(c, items, n))
        return NULL;
    out = json_array();
    if (!out)
        return nomem(c);
    for (i = 0; i < n; i++) {
        if (json_array_append(out, items[i].value) != 0) {
            json_decref(out);
            return nomem(c);
        }
    }
    return out;
}

static json_t *f_sort(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                      size_t n)
{
    size_t i, len = json_array_size(a[0]);
    sort_item *items;
    json_t *out;

    (void)call, (void)n;
    items = malloc((len ? len : 1) * sizeof(*items));
    if (!items)
        return nomem(c);
    for (i = 0; i < len; i++)
        items[i].value = items[i].key = json_array_get(a[0], i);
    out = sorted(c, items, len);
    free(items);
    return out;
}

static json_t *f_sort_by(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                         size_t n)
{
    static const char *const first_types[] = {"string", "number", NULL};
    const ecp_jp_node *fn = ecp_jp_expref_node(c, a[1])->kids[0];
    size_t i, len = json_array_size(a[0]), got = 0;
    const char *required[2] = {NULL, NULL};
    sort_item *items = NULL;
    json_t *key, *out = NULL;
    ecp_jp_pytype t;

    (void)call, (void)n;
    if (len == 0)
        return json_incref(a[0]); /* the same (empty) list */
    /* The first element's key decides the type every key must have. */
    key = ecp_jp_eval(c, fn, json_array_get(a[0], 0));
    if (!key)
        return NULL;
    t = ecp_jp_type(c, key);
    json_decref(key);
    if (t != PT_INT && t != PT_FLOAT && t != PT_STR)
        return type_error(c, "sort_by", json_array_get(a[0], 0),
                          ecp_jp_type_name(t), first_types);
    required[0] = ecp_jp_type_name(t);
    items = malloc(len * sizeof(*items));
    if (!items)
        return nomem(c);
    for (got = 0; got < len; got++) {
        json_t *el = json_array_get(a[0], got);

        key = ecp_jp_eval(c, fn, el);
        if (!key)
            goto done;
        if (strcmp(ecp_jp_type_name(ecp_jp_type(c, key)), required[0]) != 0) {
            type_error(c, "sort_by", key, ecp_jp_type_name(ecp_jp_type(c, key)),
                       required);
            json_decref(key);
            goto done;
        }
        items[got].value = el;
        items[got].key = key;
    }
    out = sorted(c, items, len);
done:
    for (i = 0; i < got; i++)
        json_decref(items[i].key);
    free(items);
    return out;
}

/* min_by / max_by: keys must be numbers or strings; comparing a string
 * with a number raises Python's TypeError. */
static json_t *extreme_by(ecp_jp_ctx *c, const char *name, json_t **a, int sign)
{
    static const char *const allowed[] = {"number", "string", NULL};
    const ecp_jp_node *fn = ecp_jp_expref_node(c, a[1])->kids[0];
    json_t *best = NULL, *best_key = NULL, *el;
    size_t i;

    if (json_array_size(a[0]) == 0)
        return json_null();
    json_array_foreach(a[0], i, el)
    {
        json_t *key = ecp_jp_eval(c, fn, el);
        ecp_jp_pytype t;

        if (!key)
            goto fail;
        t = ecp_jp_type(c, key);
        if (t != PT_INT && t != PT_FLOAT && t != PT_STR) {
            type_error(c, name, key, ecp_jp_type_name(t), allowed);
            json_decref(key);
            goto fail;
        }
        if (!best_key) {
            best = el;
            best_key = key;
            continue;
        }
        if ((t == PT_STR) != json_is_string(best_key)) {
            ecp_jp_order_type_error(c, sign > 0 ? ">" : "<", key, best_key);
            json_decref(key);
            goto fail;
        }
        if (ecp_jp_order(key, best_key) * sign > 0) {
            json_decref(best_key);
            best = el;
            best_key = key;
        } else {
            json_decref(key);
        }
    }
    json_decref(best_key);
    return json_incref(best);
fail:
    json_decref(best_key);
    return NULL;
}

static json_t *f_max_by(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                        size_t n)
{
    (void)call, (void)n;
    return extreme_by(c, "max_by", a, 1);
}

static json_t *f_min_by(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **a,
                        size_t n)
{
    (void)call, (void)n;
    return extreme_by(c, "min_by", a, -1);
}

/* ------------------------------------------------------------------ */
/* The table                                                           */
/* ------------------------------------------------------------------ */

/* Sorted by name. */
static const ecp_jp_function functions[] = {
    {"abs", 1, false, {{"number"}}, f_abs},
    {"avg", 1, false, {{"array-number"}}, f_avg},
    {"ceil", 1, false, {{"number"}}, f_ceil},
    {"contains", 2, false, {{"array", "string"}, ANY}, f_contains},
    {"ends_with", 2, false, {{"string"}, {"string"}}, f_ends_with},
    {"floor", 1, false, {{"number"}}, f_floor},
    {"join", 2, false, {{"string"}, {"array-string"}}, f_join},
    {"keys", 1, false, {{"object"}}, f_keys},
    {"length", 1, false, {{"string", "array", "object"}}, f_length},
    {"map", 2, false, {{"expref"}, {"array"}}, f_map},
    {"max", 1, false, {{"array-number", "array-string"}}, f_max},
    {"max_by", 2, false, {{"array"}, {"expref"}}, f_max_by},
    {"merge", 1, true, {{"object"}}, f_merge},
    {"min", 1, false, {{"array-number", "array-string"}}, f_min},
    {"min_by", 2, false, {{"array"}, {"expref"}}, f_min_by},
    {"not_null", 1, true, {ANY}, f_not_null},
    {"reverse", 1, false, {{"array", "string"}}, f_reverse},
    {"sort", 1, false, {{"array-string", "array-number"}}, f_sort},
    {"sort_by", 2, false, {{"array"}, {"expref"}}, f_sort_by},
    {"starts_with", 2, false, {{"string"}, {"string"}}, f_starts_with},
    {"sum", 1, false, {{"array-number"}}, f_sum},
    {"to_array", 1, false, {ANY}, f_to_array},
    {"to_number", 1, false, {ANY}, f_to_number},
    {"to_string", 1, false, {ANY}, f_to_string},
    {"type", 1, false, {ANY}, f_type},
    {"values", 1, false, {{"object"}}, f_values},
};

const ecp_jp_function *ecp_jp_function_find(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
        if (strlen(functions[i].name) == len &&
            memcmp(functions[i].name, name, len) == 0)
            return &functions[i];
    return NULL;
}

json_t *ecp_jp_call(ecp_jp_ctx *c, const ecp_jp_node *call, json_t **args,
                    size_t nargs)
{
    const ecp_jp_function *f = call->fn;
    size_t i;

    if (!f) {
        ecp_pyout m = {0};

        ecp_pyout_adds(&m, "Unknown function: ");
        ecp_pyout_add(&m, call->name, call->name_len);
        ecp_pyout_adds(&m, "()");
        ecp_jp_fail_msg(&c->err, JK_UNKNOWN_FUNCTION, &m);
        return NULL;
    }
    if (f->variadic ? nargs < f->nparams : nargs != f->nparams) {
        ecp_jp_fail(&c->err, JK_INVALID_ARITY,
                    "Expected %s%zu argument%s for function %s(), received "
                    "%zu",
                    f->variadic ? "at least " : "", f->nparams,
                    f->nparams == 1 ? "" : "s", f->name, nargs);
        return NULL;
    }
    for (i = 0; i < f->nparams; i++)
        if (f->types[i][0] && !check_arg(c, f->name, args[i], f->types[i]))
            return NULL;
    return f->impl(c, call, args, nargs);
}
