/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --output text and --output json, as awscli/text.py and the JSONFormatter
 * write them. The text rules, from text.py:
 * - a scalar: str(value) and a newline;
 * - a dict: the str() of its scalar values in key order, tab-separated on
 *   one line (led by the upper-cased key it sits under), then each
 *   non-scalar value under its own key;
 * - a list of dicts: every dict's line has one column per key that is
 *   scalar in any of them (sorted; '' where missing);
 * - a list of scalars: one tab-separated line, or one "KEY\tvalue" line
 *   per item under a key.
 * Python writes as it goes, so when it fails half way (a list mixing dicts
 * with other values) the lines before the failure are printed: `out`
 * holds them when these functions return -1.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "elasticache/elasticache.h"

typedef struct text {
    ecp_pyout *out;
    eco_error *err;
} text;

static int format_text(text *t, const json_t *item, const char *id,
                       size_t idlen, const eco_key *scalar_keys, size_t nscalar,
                       int depth);

static int nomem(text *t)
{
    return eco_fail_out(t->err, t->out);
}

/* _format_scalar_list */
static int scalar_list(text *t, const json_t *const *els, size_t n,
                       const char *id, size_t idlen)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (id) {
            if (eco_upper(t->out, id, idlen) != 0 ||
                ecp_pyout_addc(t->out, '\t') != 0 ||
                eco_str(t->out, els[i]) != 0 ||
                ecp_pyout_addc(t->out, '\n') != 0)
                return nomem(t);
        } else if ((i && ecp_pyout_addc(t->out, '\t') != 0) ||
                   eco_str(t->out, els[i]) != 0) {
            return nomem(t);
        }
    }
    if (!id && ecp_pyout_addc(t->out, '\n') != 0)
        return nomem(t);
    return 0;
}

/* _all_scalar_keys: every key whose value is scalar in any of the dicts,
 * sorted. A non-dict element makes Python's item_dict.items() fail. */
static eco_key *all_scalar_keys(text *t, const json_t *list, size_t *count)
{
    eco_key *keys = NULL;
    size_t n = 0, cap = 0, i, j;
    json_t *el;

    json_array_foreach(list, i, el)
    {
        eco_key *sorted;
        size_t m;

        if (!json_is_object(el)) {
            eco_fail(t->err, "'%s' object has no attribute 'items'",
                     eco_pytype(el));
            free(keys);
            return NULL;
        }
        sorted = eco_sorted_keys(el, &m);
        if (!sorted)
            goto nomem;
        for (j = 0; j < m; j++) {
            size_t k;
            bool seen = false;

            if (eco_is_container(sorted[j].value))
                continue;
            for (k = 0; k < n && !seen; k++)
                seen = eco_key_cmp(keys[k].key, keys[k].len, sorted[j].key,
                                   sorted[j].len) == 0;
            if (seen)
                continue;
            if (n == cap) {
                eco_key *p;

                cap = cap ? cap * 2 : 16;
                p = realloc(keys, cap * sizeof(*p));
                if (!p) {
                    free(sorted);
                    goto nomem;
                }
                keys = p;
            }
            keys[n] = sorted[j];
            keys[n++].value = NULL;
        }
        free(sorted);
    }
    /* keep them sorted: merge the per-dict sorted lists */
    for (i = 1; i < n; i++) {
        eco_key k = keys[i];

        for (j = i; j > 0 && eco_key_cmp(keys[j - 1].key, keys[j - 1].len,
                                         k.key, k.len) > 0;
             j--)
            keys[j] = keys[j - 1];
        keys[j] = k;
    }
    *count = n;
    if (!keys)
        keys = malloc(sizeof(*keys));
    if (!keys)
        goto nomem;
    return keys;
nomem:
    free(keys);
    eco_fail(t->err, "out of memory");
    return NULL;
}

static int format_list(text *t, const json_t *list, const char *id,
                       size_t idlen, int depth)
{
    size_t i, n = json_array_size(list), ns = 0;
    bool any_dict = false;
    const json_t **scalars;
    json_t *el;
    int rc = 0;

    if (n == 0)
        return 0;
    json_array_foreach(list, i, el)
    {
        any_dict = any_dict || json_is_object(el);
    }
    if (any_dict) {
        size_t nkeys;
        eco_key *keys = all_scalar_keys(t, list, &nkeys);

        if (!keys)
            return -1;
        json_array_foreach(list, i, el)
        {
            rc = format_text(t, el, id, idlen, keys, nkeys, depth + 1);
            if (rc != 0)
                break;
        }
        free(keys);
        return rc;
    }
    /* _partition_list: the scalars on one line, then each list. */
    scalars = malloc(n * sizeof(*scalars));
    if (!scalars) {
        eco_fail(t->err, "out of memory");
        return -1;
    }
    json_array_foreach(list, i, el)
    {
        if (!eco_is_container(el))
            scalars[ns++] = el;
    }
    if (ns)
        rc = scalar_list(t, scalars, ns, id, idlen);
    free(scalars);
    json_array_foreach(list, i, el)
    {
        if (rc == 0 && eco_is_container(el))
            rc = format_text(t, el, id, idlen, NULL, 0, depth + 1);
    }
    return rc;
}

static int format_dict(text *t, const json_t *dict, const char *id,
                       size_t idlen, const eco_key *scalar_keys, size_t nscalar,
                       int depth)
{
    size_t n, i, j, nline = 0;
    eco_key *keys = eco_sorted_keys(dict, &n);
    const json_t **line = NULL;
    bool *rest = NULL;
    int rc = 0;

    line = malloc((n + nscalar + 1) * sizeof(*line));
    rest = calloc(n + 1, sizeof(*rest));
    if (!keys || !line || !rest) {
        free(keys);
        free(line);
        free(rest);
        eco_fail(t->err, "out of memory");
        return -1;
    }
    if (!scalar_keys) {
        for (i = 0; i < n; i++) {
            if (eco_is_container(keys[i].value))
                rest[i] = true;
            else
                line[nline++] = keys[i].value;
        }
    } else {
        /* str(item_dict.get(key, '')), whatever the value is here */
        for (j = 0; j < nscalar; j++)
            line[nline++] =
                json_object_getn(dict, scalar_keys[j].key, scalar_keys[j].len);
        for (i = 0; i < n; i++) {
            bool listed = false;

            for (j = 0; j < nscalar && !listed; j++)
                listed =
                    eco_key_cmp(keys[i].key, keys[i].len, scalar_keys[j].key,
                                scalar_keys[j].len) == 0;
            rest[i] = !listed;
        }
    }
    if (nline) {
        if (id && (eco_upper(t->out, id, idlen) != 0 ||
                   ecp_pyout_addc(t->out, '\t') != 0))
            rc = nomem(t);
        for (i = 0; rc == 0 && i < nline; i++) {
            if ((i && ecp_pyout_addc(t->out, '\t') != 0) ||
                (line[i] && eco_str(t->out, line[i]) != 0))
                rc = nomem(t);
        }
        if (rc == 0 && ecp_pyout_addc(t->out, '\n') != 0)
            rc = nomem(t);
    }
    for (i = 0; rc == 0 && i < n; i++)
        if (rest[i])
            rc = format_text(t, keys[i].value, keys[i].key, keys[i].len, NULL,
                             0, depth + 1);
    free(keys);
    free(line);
    free(rest);
    return rc;
}

static int format_text(text *t, const json_t *item, const char *id,
                       size_t idlen, const eco_key *scalar_keys, size_t nscalar,
                       int depth)
{
    if (depth > ECO_MAX_DEPTH) {
        eco_fail(t->err, "maximum recursion depth exceeded");
        return -1;
    }
    if (json_is_object(item))
        return format_dict(t, item, id, idlen, scalar_keys, nscalar, depth);
    if (json_is_array(item))
        return format_list(t, item, id, idlen, depth);
    if (eco_str(t->out, item) != 0 || ecp_pyout_addc(t->out, '\n') != 0)
        return nomem(t);
    return 0;
}

int eco_text(const json_t *response, ecp_pyout *out, eco_error *err)
{
    text t = {out, err};

    return format_text(&t, response, NULL, 0, NULL, 0, 0);
}

int eco_json(const json_t *response, ecp_pyout *out, eco_error *err)
{
    char *s;
    int rc;

    if (json_is_object(response) && json_object_size(response) == 0)
        return 0;
    s = ec_json_dumps_aws(response);
    if (!s) {
        eco_fail(err, "out of memory");
        return -1;
    }
    rc = ecp_pyout_adds(out, s);
    free(s);
    return rc == 0 ? 0 : eco_fail_out(err, out);
}
