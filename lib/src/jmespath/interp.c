/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath interpreter: jmespath/visitor.py's TreeInterpreter over jansson
 * values, with Python's equality, ordering and truthiness, and a budget of
 * work so that no expression can make a search run away.
 */
#include "jp.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

void ecp_jp_fail_msg(ecp_jp_error *e, ecp_jp_kind kind, ecp_pyout *msg)
{
    if (e->kind != JK_NONE) {
        ecp_pyout_free(msg);
        return;
    }
    if (msg->failed) {
        ecp_pyout_free(msg);
        ecp_jp_nomem(e);
        return;
    }
    e->kind = kind;
    e->msg = *msg;
    memset(msg, 0, sizeof(*msg));
}

void ecp_jp_fail(ecp_jp_error *e, ecp_jp_kind kind, const char *fmt, ...)
{
    ecp_pyout m = {0};
    va_list ap;
    char *buf;
    int n;

    if (e->kind != JK_NONE)
        return;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        ecp_jp_nomem(e);
        return;
    }
    buf = malloc((size_t)n + 1);
    if (!buf) {
        ecp_jp_nomem(e);
        return;
    }
    va_start(ap, fmt);
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ecp_pyout_add(&m, buf, (size_t)n);
    free(buf);
    ecp_jp_fail_msg(e, kind, &m);
}

void ecp_jp_nomem(ecp_jp_error *e)
{
    if (e->kind != JK_NONE)
        return;
    e->kind = JK_NOMEM;
    ecp_pyout_free(&e->msg);
}

bool ecp_jp_charge(ecp_jp_ctx *c, uint64_t n)
{
    if (n <= c->steps_left) {
        c->steps_left -= n;
        return true;
    }
    c->steps_left = 0;
    ecp_jp_fail(&c->err, JK_LIMIT,
                "JMESPath search stopped: it needed more than %llu steps "
                "of work",
                (unsigned long long)c->jp->max_steps);
    return false;
}

/* ------------------------------------------------------------------ */
/* Types                                                               */
/* ------------------------------------------------------------------ */

static int cmp_ptr(const void *a, const json_t *b)
{
    const json_t *x = *(json_t *const *)a;

    return x < b ? -1 : x > b ? 1 : 0;
}

static ptrdiff_t token_index(const ecp_jp_ctx *c, const json_t *v)
{
    size_t lo = 0, hi = c->jp->nexprefs;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = cmp_ptr(&c->jp->exprefs[mid], v);

        if (r == 0)
            return (ptrdiff_t)mid;
        if (r > 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

ecp_jp_pytype ecp_jp_type(const ecp_jp_ctx *c, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        if (c->jp->nexprefs && json_object_size(v) == 0 &&
            token_index(c, v) >= 0)
            return PT_EXPREF;
        return PT_DICT;
    case JSON_ARRAY:
        return PT_LIST;
    case JSON_STRING:
        return PT_STR;
    case JSON_INTEGER:
        return PT_INT;
    case JSON_REAL:
        return PT_FLOAT;
    case JSON_TRUE:
    case JSON_FALSE:
        return PT_BOOL;
    case JSON_NULL:
        return PT_NONE;
    }
    return PT_NONE;
}

const ecp_jp_node *ecp_jp_expref_node(const ecp_jp_ctx *c, const json_t *v)
{
    ptrdiff_t i = token_index(c, v);

    return i >= 0 ? c->jp->expref_nodes[i] : NULL;
}

static const char *expref_text(const json_t *v, const void *ud)
{
    const ecp_jp_ctx *c = ud;

    return ecp_jp_type(c, v) == PT_EXPREF ? ECP_JP_EXPREF_TEXT : NULL;
}

ecp_pyhook ecp_jp_hook(const ecp_jp_ctx *c)
{
    ecp_pyhook h = {NULL, NULL};

    if (c->jp->nexprefs) {
        h.text = expref_text;
        h.ud = c;
    }
    return h;
}

const char *ecp_jp_pytype_name(ecp_jp_pytype t)
{
    static const char *const names[] = {
        [PT_NONE] = "NoneType", [PT_BOOL] = "bool",
        [PT_INT] = "int",       [PT_FLOAT] = "float",
        [PT_STR] = "str",       [PT_LIST] = "list",
        [PT_DICT] = "dict",     [PT_EXPREF] = "_Expression",
    };
    return names[t];
}

const char *ecp_jp_type_name(ecp_jp_pytype t)
{
    static const char *const names[] = {
        [PT_NONE] = "null",    [PT_BOOL] = "boolean",  [PT_INT] = "number",
        [PT_FLOAT] = "number", [PT_STR] = "string",    [PT_LIST] = "array",
        [PT_DICT] = "object",  [PT_EXPREF] = "expref",
    };
    return names[t];
}

/* ------------------------------------------------------------------ */
/* Truth, equality, order                                              */
/* ------------------------------------------------------------------ */

bool ecp_jp_is_true(const ecp_jp_ctx *c, const json_t *v)
{
    switch (ecp_jp_type(c, v)) {
    case PT_NONE:
        return false;
    case PT_BOOL:
        return json_is_true(v);
    case PT_STR:
        return json_string_length(v) != 0;
    case PT_LIST:
        return json_array_size(v) != 0;
    case PT_DICT:
        return json_object_size(v) != 0;
    default:
        return true;
    }
}

static bool is_number(ecp_jp_pytype t)
{
    return t == PT_INT || t == PT_FLOAT;
}

/* Exact comparison of an integer and a double, as Python does it. */
static int cmp_int_double(int64_t i, double d)
{
    double t;
    int64_t ti;

    if (d >= 9223372036854775808.0)
        return -1;
    if (d < -9223372036854775808.0)
        return 1;
    t = trunc(d);
    ti = (int64_t)t;
    if (i != ti)
        return i < ti ? -1 : 1;
    if (d > t)
        return -1;
    if (d < t)
        return 1;
    return 0;
}

/* Python's order of two numbers (bool counts as 0/1). */
static int cmp_numbers(const json_t *a, const json_t *b)
{
    if (json_is_real(a) && json_is_real(b)) {
        double x = json_real_value(a), y = json_real_value(b);

        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (json_is_real(a))
        return -cmp_int_double(json_is_boolean(b) ? json_is_true(b)
                                                  : json_integer_value(b),
                               json_real_value(a));
    if (json_is_real(b))
        return cmp_int_double(json_is_boolean(a) ? json_is_true(a)
                                                 : json_integer_value(a),
                              json_real_value(b));
    {
        int64_t x =
            json_is_boolean(a) ? json_is_true(a) : json_integer_value(a);
        int64_t y =
            json_is_boolean(b) ? json_is_true(b) : json_integer_value(b);

        return x < y ? -1 : x > y ? 1 : 0;
    }
}

static int cmp_strings(const json_t *a, const json_t *b)
{
    size_t la = json_string_length(a), lb = json_string_length(b);
    int r =
        memcmp(json_string_value(a), json_string_value(b), la < lb ? la : lb);

    if (r)
        return r < 0 ? -1 : 1;
    return la < lb ? -1 : la > lb ? 1 : 0;
}

int ecp_jp_order(const json_t *a, const json_t *b)
{
    if (json_is_string(a))
        return cmp_strings(a, b);
    return cmp_numbers(a, b);
}

void ecp_jp_order_type_error(ecp_jp_ctx *c, const char *op, const json_t *a,
                             const json_t *b)
{
    ecp_jp_fail(&c->err, JK_INVALID_TYPE,
                "'%s' not supported between instances of '%s' and '%s'", op,
                ecp_jp_pytype_name(ecp_jp_type(c, a)),
                ecp_jp_pytype_name(ecp_jp_type(c, b)));
}

static int py_eq(ecp_jp_ctx *c, const json_t *a, const json_t *b, int depth)
{
    ecp_jp_pytype ta = ecp_jp_type(c, a), tb = ecp_jp_type(c, b);
    size_t i;

    if (!ecp_jp_charge(c, 1))
        return -1;
    if (depth > ECP_JP_MAX_DATA_DEPTH) {
        ecp_jp_fail(&c->err, JK_LIMIT,
                    "JMESPath search stopped: data nests deeper than %d "
                    "levels",
                    ECP_JP_MAX_DATA_DEPTH);
        return -1;
    }
    /* bool is an int in Python: True == 1 == 1.0. */
    if ((ta == PT_BOOL || is_number(ta)) && (tb == PT_BOOL || is_number(tb)))
        return cmp_numbers(a, b) == 0;
    if (ta != tb)
        return 0;
    switch (ta) {
    case PT_NONE:
        return 1;
    case PT_STR:
        return cmp_strings(a, b) == 0;
    case PT_LIST:
        if (json_array_size(a) != json_array_size(b))
            return 0;
        for (i = 0; i < json_array_size(a); i++) {
            int r =
                py_eq(c, json_array_get(a, i), json_array_get(b, i), depth + 1);

            if (r != 1)
                return r;
        }
        return 1;
    case PT_DICT: {
        const char *key;
        size_t klen;
        json_t *va, *vb;

        if (json_object_size(a) != json_object_size(b))
            return 0;
        json_object_keylen_foreach((json_t *)a, key, klen, va)
        {
            int r;

            vb = json_object_getn(b, key, klen);
            if (!vb)
                return 0;
            r = py_eq(c, va, vb, depth + 1);
            if (r != 1)
                return r;
        }
        return 1;
    }
    default:
        /* A fresh _Expression object per evaluation: never equal. */
        return 0;
    }
}

int ecp_jp_equal(ecp_jp_ctx *c, const json_t *a, const json_t *b, bool top)
{
    if (top) {
        /* _is_special_number_case: 0 and 1 never equal False and True. */
        ecp_jp_pytype ta = ecp_jp_type(c, a), tb = ecp_jp_type(c, b);

        if ((is_number(ta) && tb == PT_BOOL) ||
            (is_number(tb) && ta == PT_BOOL))
            return 0;
    }
    return py_eq(c, a, b, 0);
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                          */
/* ------------------------------------------------------------------ */

static json_t *nomem(ecp_jp_ctx *c)
{
    ecp_jp_nomem(&c->err);
    return NULL;
}

/* Append a new reference (taken over) to a list. */
static bool append(ecp_jp_ctx *c, json_t *list, json_t *v)
{
    if (json_array_append_new(list, v) != 0) {
        nomem(c);
        return false;
    }
    return true;
}

static json_t *eval_chain(ecp_jp_ctx *c, const ecp_jp_node *n, json_t *value)
{
    json_t *r = json_incref(value);
    size_t i;

    for (i = 0; i < n->nkids && r; i++) {
        json_t *next = ecp_jp_eval(c, n->kids[i], r);

        json_decref(r);
        r = next;
    }
    return r;
}

static json_t *eval_index(const ecp_jp_node *n, json_t *value)
{
    int64_t size, i = n->index;

    if (!json_is_array(value))
        return json_null();
    size = (int64_t)json_array_size(value);
    if (i < 0)
        i += size;
    if (i < 0 || i >= size)
        return json_null();
    return json_incref(json_array_get(value, (size_t)i));
}

/* list[start:stop:step] with Python's slice.indices(). */
static json_t *eval_slice(ecp_jp_ctx *c, const ecp_jp_node *n, json_t *value)
{
    int64_t len, step, start, stop, lower, upper, i;
    json_t *out;

    if (!json_is_array(value))
        return json_null();
    step = n->has[2] ? n->slice[2] : 1;
    if (step == 0) {
        ecp_jp_fail(&c->err, JK_INVALID_VALUE, "slice step cannot be zero");
        return NULL;
    }
    len = (int64_t)json_array_size(value);
    lower = step < 0 ? -1 : 0;
    upper = step < 0 ? len - 1 : len;
    if (!n->has[0]) {
        start = step < 0 ? upper : lower;
    } else {
        start = n->slice[0];
        if (start < 0) {
            start += len;
            if (start < lower)
                start = lower;
        } else if (start > upper) {
            start = upper;
        }
    }
    if (!n->has[1]) {
        stop = step < 0 ? lower : upper;
    } else {
        stop = n->slice[1];
        if (stop < 0) {
            stop += len;
            if (stop < lower)
                stop = lower;
        } else if (stop > upper) {
            stop = upper;
        }
    }
    out = json_array();
    if (!out)
        return nomem(c);
    for (i = start; step > 0 ? i < stop : i > stop; i += step) {
        if (!ecp_jp_charge(c, 1) ||
            !append(c, out, json_incref(json_array_get(value, (size_t)i)))) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

/* Projections: apply the right side to each element, dropping nulls. */
static json_t *project(ecp_jp_ctx *c, const ecp_jp_node *rhs,
                       const ecp_jp_node *cond, json_t *base, bool values)
{
    json_t *out = json_array(), *el;
    void *it;
    size_t i;

    if (!out)
        return nomem(c);
    i = 0;
    it = values ? json_object_iter(base) : NULL;
    for (;;) {
        json_t *cur;

        if (values) {
            if (!it)
                break;
            el = json_object_iter_value(it);
            it = json_object_iter_next(base, it);
        } else {
            if (i >= json_array_size(base))
                break;
            el = json_array_get(base, i++);
        }
        if (cond) {
            json_t *ok = ecp_jp_eval(c, cond, el);
            bool yes;

            if (!ok)
                goto fail;
            yes = ecp_jp_is_true(c, ok);
            json_decref(ok);
            if (!yes)
                continue;
        }
        cur = ecp_jp_eval(c, rhs, el);
        if (!cur)
            goto fail;
        if (json_is_null(cur))
            continue;
        if (!append(c, out, cur))
            goto fail;
    }
    return out;
fail:
    json_decref(out);
    return NULL;
}

static json_t *eval_flatten(ecp_jp_ctx *c, json_t *base)
{
    json_t *out, *el, *sub;
    size_t i, j;

    if (!json_is_array(base))
        return json_null();
    out = json_array();
    if (!out)
        return nomem(c);
    json_array_foreach(base, i, el)
    {
        if (json_is_array(el)) {
            if (!ecp_jp_charge(c, json_array_size(el)))
                goto fail;
            json_array_foreach(el, j, sub)
            {
                if (!append(c, out, json_incref(sub)))
                    goto fail;
            }
        } else if (!append(c, out, json_incref(el))) {
            goto fail;
        }
    }
    return out;
fail:
    json_decref(out);
    return NULL;
}

static json_t *eval_multi(ecp_jp_ctx *c, const ecp_jp_node *n, json_t *value)
{
    bool dict = n->type == JN_MULTI_SELECT_DICT;
    json_t *out;
    size_t i;

    if (json_is_null(value))
        return json_null();
    out = dict ? json_object() : json_array();
    if (!out)
        return nomem(c);
    for (i = 0; i < n->nkids; i++) {
        const ecp_jp_node *kid = dict ? n->kids[i]->kids[0] : n->kids[i];
        json_t *v = ecp_jp_eval(c, kid, value);

        if (!v)
            goto fail;
        if (dict) {
            /* A repeated key keeps its first place, takes the last value. */
            if (json_object_setn_new(out, n->kids[i]->name,
                                     n->kids[i]->name_len, v) != 0) {
                nomem(c);
                goto fail;
            }
        } else if (!append(c, out, v)) {
            goto fail;
        }
    }
    return out;
fail:
    json_decref(out);
    return NULL;
}

static json_t *eval_comparator(ecp_jp_ctx *c, const ecp_jp_node *n,
                               json_t *value)
{
    static const char *const ops[] = {
        [JC_LT] = "<", [JC_GT] = ">", [JC_LTE] = "<=", [JC_GTE] = ">="};
    json_t *l = ecp_jp_eval(c, n->kids[0], value), *r = NULL, *out = NULL;
    ecp_jp_pytype tl, tr;
    int cmp;

    if (!l)
        return NULL;
    r = ecp_jp_eval(c, n->kids[1], value);
    if (!r)
        goto done;
    if (n->cmp == JC_EQ || n->cmp == JC_NE) {
        int eq = ecp_jp_equal(c, l, r, true);

        if (eq >= 0)
            out = json_boolean((eq == 1) == (n->cmp == JC_EQ));
        goto done;
    }
    /* Ordering: only numbers and strings; anything else gives null. */
    tl = ecp_jp_type(c, l);
    tr = ecp_jp_type(c, r);
    if (!(is_number(tl) || tl == PT_STR) || !(is_number(tr) || tr == PT_STR)) {
        out = json_null();
        goto done;
    }
    if ((tl == PT_STR) != (tr == PT_STR)) {
        /* operator.lt('a', 1) raises TypeError in Python. */
        ecp_jp_order_type_error(c, ops[n->cmp], l, r);
        goto done;
    }
    cmp = ecp_jp_order(l, r);
    switch (n->cmp) {
    case JC_LT:
        out = json_boolean(cmp < 0);
        break;
    case JC_GT:
        out = json_boolean(cmp > 0);
        break;
    case JC_LTE:
        out = json_boolean(cmp <= 0);
        break;
    default:
        out = json_boolean(cmp >= 0);
        break;
    }
done:
    json_decref(l);
    json_decref(r);
    return out;
}

static json_t *eval_function(ecp_jp_ctx *c, const ecp_jp_node *n, json_t *value)
{
    json_t *small[4], **args = small, *out = NULL;
    size_t i, got = 0;

    if (n->nkids > 4) {
        args = calloc(n->nkids, sizeof(*args));
        if (!args)
            return nomem(c);
    }
    /* Arguments first, left to right; then the function is looked up. */
    for (got = 0; got < n->nkids; got++) {
        args[got] = ecp_jp_eval(c, n->kids[got], value);
        if (!args[got])
            goto done;
    }
    out = ecp_jp_call(c, n, args, n->nkids);
done:
    for (i = 0; i < got; i++)
        json_decref(args[i]);
    if (args != small)
        free(args);
    return out;
}

json_t *ecp_jp_eval(ecp_jp_ctx *c, const ecp_jp_node *n, json_t *value)
{
    json_t *base, *out;

    if (!ecp_jp_charge(c, 1))
        return NULL;
    switch (n->type) {
    case JN_FIELD:
        if (json_is_object(value)) {
            json_t *v = json_object_getn(value, n->name, n->name_len);

            return v ? json_incref(v) : json_null();
        }
        return json_null();
    case JN_SUBEXPRESSION:
    case JN_INDEX_EXPRESSION:
    case JN_PIPE:
        return eval_chain(c, n, value);
    case JN_INDEX:
        return eval_index(n, value);
    case JN_SLICE:
        return eval_slice(c, n, value);
    case JN_PROJECTION:
    case JN_VALUE_PROJECTION:
    case JN_FILTER_PROJECTION:
        base = ecp_jp_eval(c, n->kids[0], value);
        if (!base)
            return NULL;
        if (n->type == JN_VALUE_PROJECTION ? ecp_jp_type(c, base) != PT_DICT
                                           : !json_is_array(base))
            out = json_null();
        else
            out = project(c, n->kids[1],
                          n->type == JN_FILTER_PROJECTION ? n->kids[2] : NULL,
                          base, n->type == JN_VALUE_PROJECTION);
        json_decref(base);
        return out;
    case JN_FLATTEN:
        base = ecp_jp_eval(c, n->kids[0], value);
        if (!base)
            return NULL;
        out = eval_flatten(c, base);
        json_decref(base);
        return out;
    case JN_IDENTITY:
    case JN_CURRENT:
        return json_incref(value);
    case JN_LITERAL:
    case JN_EXPREF:
        return json_incref(n->value);
    case JN_MULTI_SELECT_LIST:
    case JN_MULTI_SELECT_DICT:
        return eval_multi(c, n, value);
    case JN_KEY_VAL_PAIR:
        return ecp_jp_eval(c, n->kids[0], value);
    case JN_OR:
        base = ecp_jp_eval(c, n->kids[0], value);
        if (!base || ecp_jp_is_true(c, base))
            return base;
        json_decref(base);
        return ecp_jp_eval(c, n->kids[1], value);
    case JN_AND:
        base = ecp_jp_eval(c, n->kids[0], value);
        if (!base || !ecp_jp_is_true(c, base))
            return base;
        json_decref(base);
        return ecp_jp_eval(c, n->kids[1], value);
    case JN_NOT: {
        bool r;

        base = ecp_jp_eval(c, n->kids[0], value);
        if (!base)
            return NULL;
        /* `not x` in Python, except that !0 is false: so every number
         * gives false, and an expression reference (an object) too. */
        if (is_number(ecp_jp_type(c, base)))
            r = false;
        else
            r = !ecp_jp_is_true(c, base);
        json_decref(base);
        return json_boolean(r);
    }
    case JN_COMPARATOR:
        return eval_comparator(c, n, value);
    case JN_FUNCTION:
        return eval_function(c, n, value);
    }
    ecp_jp_fail(&c->err, JK_SYNTAX, "unknown node type %d", (int)n->type);
    return NULL;
}
