/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --output table, as awscli/formatter.py's TableFormatter builds the table
 * and awscli/table.py's MultiTable renders it: sections (a title, optional
 * column headers, rows), column widths scaled to the widest section with
 * Python's round(), East Asian wide characters counted as two columns,
 * single-row sections turned into key/value rows when the table is wider
 * than the terminal, and colorama's styles and resets when in colour.
 *
 * The AWS CLI builds the whole table before printing any of it, so an
 * error (Python's, for shapes the builder does not expect, such as a list
 * mixing dicts with other values) prints nothing.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cell {
    char *s;
    size_t len;
} cell;

typedef struct row {
    cell *cells;
    size_t n;
} row;

typedef struct section {
    cell title;      /* title.s NULL: no title ('') */
    bool title_none; /* Python's None: prints nothing, measures "None" */
    int indent;
    cell *headers;
    size_t nheaders;
    row *rows;
    size_t nrows, cap;
    long num_cols; /* -1: None */
    size_t *maxw;
    size_t nmaxw;
} section;

typedef struct table {
    section **secs;
    size_t n, cap;
    section *cur;
    eco_error *err;
    bool failed;
} table;

/* ------------------------------------------------------------------ */
/* Cells and sections                                                  */
/* ------------------------------------------------------------------ */

static int oom(table *t)
{
    if (!t->failed)
        eco_fail(t->err, "out of memory");
    t->failed = true;
    return -1;
}

static int python_error(table *t, const char *fmt, const char *arg)
{
    if (!t->failed)
        eco_fail(t->err, fmt, arg);
    t->failed = true;
    return -1;
}

static void cells_free(cell *c, size_t n)
{
    size_t i;

    for (i = 0; c && i < n; i++)
        free(c[i].s);
    free(c);
}

static int cell_text(cell *c, const char *s, size_t len)
{
    c->s = malloc(len + 1);
    if (!c->s)
        return -1;
    memcpy(c->s, s, len);
    c->s[len] = '\0';
    c->len = len;
    return 0;
}

/* str(v) */
static int cell_str(cell *c, const json_t *v)
{
    ecp_pyout o = {0};

    if (eco_str(&o, v) != 0 || (!o.data && ecp_pyout_add(&o, "", 0) != 0)) {
        ecp_pyout_free(&o);
        return -1;
    }
    c->s = o.data;
    c->len = o.len;
    return 0;
}

static size_t width(const cell *c)
{
    return eco_text_width(c->s, c->len);
}

static void section_free(section *s)
{
    size_t i;

    if (!s)
        return;
    free(s->title.s);
    cells_free(s->headers, s->nheaders);
    for (i = 0; i < s->nrows; i++)
        cells_free(s->rows[i].cells, s->rows[i].n);
    free(s->rows);
    free(s->maxw);
    free(s);
}

static section *section_new(void)
{
    section *s = calloc(1, sizeof(*s));

    if (s)
        s->num_cols = -1;
    return s;
}

static int push_section(table *t, section *s)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        section **p = realloc(t->secs, cap * sizeof(*p));

        if (!p)
            return -1;
        t->secs = p;
        t->cap = cap;
    }
    t->secs[t->n++] = s;
    t->cur = s;
    return 0;
}

/* MultiTable.new_section(title, indent_level); title NULL is None. */
static int new_section(table *t, const char *title, size_t len, int indent)
{
    section *s = section_new();

    if (!s)
        return oom(t);
    s->indent = indent;
    if (!title)
        s->title_none = true;
    else if (len && cell_text(&s->title, title, len) != 0)
        goto fail;
    if (push_section(t, s) != 0)
        goto fail;
    return 0;
fail:
    section_free(s);
    return oom(t);
}

/* Section._update_max_widths */
static int update_max_widths(table *t, section *s, const cell *c, size_t n)
{
    size_t i;

    if (s->nmaxw == 0) {
        free(s->maxw);
        s->maxw = malloc((n ? n : 1) * sizeof(*s->maxw));
        if (!s->maxw)
            return oom(t);
        for (i = 0; i < n; i++)
            s->maxw[i] = width(&c[i]);
        s->nmaxw = n;
        return 0;
    }
    for (i = 0; i < n; i++) {
        size_t w = width(&c[i]);

        if (i >= s->nmaxw)
            return python_error(t, "%s", "list index out of range");
        if (w > s->maxw[i])
            s->maxw[i] = w;
    }
    return 0;
}

/* Section.add_header; takes the cells over. */
static int add_header(table *t, cell *c, size_t n)
{
    section *s = t->cur;

    if (!s) {
        cells_free(c, n);
        return python_error(t, "%s",
                            "'NoneType' object has no attribute "
                            "'add_header'");
    }
    if (update_max_widths(t, s, c, n) != 0) {
        cells_free(c, n);
        return -1;
    }
    if (s->num_cols < 0)
        s->num_cols = (long)n;
    cells_free(s->headers, s->nheaders);
    s->headers = c;
    s->nheaders = n;
    return 0;
}

/* Section.add_row; takes the cells over. */
static int add_row(table *t, cell *c, size_t n)
{
    section *s = t->cur;
    char msg[128];

    if (!s) {
        cells_free(c, n);
        return python_error(t, "%s",
                            "'NoneType' object has no attribute "
                            "'add_row'");
    }
    if (s->num_cols < 0)
        s->num_cols = (long)n;
    if ((long)n != s->num_cols) {
        snprintf(msg, sizeof(msg),
                 "Row should have %ld elements, instead it has %zu",
                 s->num_cols, n);
        cells_free(c, n);
        return python_error(t, "%s", msg);
    }
    if (s->nrows == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        row *r = realloc(s->rows, cap * sizeof(*r));

        if (!r) {
            cells_free(c, n);
            return oom(t);
        }
        s->rows = r;
        s->cap = cap;
    }
    s->rows[s->nrows].cells = c;
    s->rows[s->nrows].n = n;
    s->nrows++;
    return update_max_widths(t, s, c, n);
}

/* ------------------------------------------------------------------ */
/* Building: TableFormatter._build_table and friends                   */
/* ------------------------------------------------------------------ */

static int build_table(table *t, const char *title, size_t tlen,
                       const json_t *current, int indent, int depth);

/* A sorted set of keys. */
typedef struct keyset {
    eco_key *k;
    size_t n, cap;
} keyset;

static int keyset_add(keyset *s, const eco_key *k)
{
    size_t lo = 0, hi = s->n, i;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = eco_key_cmp(s->k[mid].key, s->k[mid].len, k->key, k->len);

        if (r == 0)
            return 0;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        eco_key *p = realloc(s->k, cap * sizeof(*p));

        if (!p)
            return -1;
        s->k = p;
        s->cap = cap;
    }
    for (i = s->n; i > lo; i--)
        s->k[i] = s->k[i - 1];
    s->k[lo] = *k;
    s->n++;
    return 0;
}

/* _group_scalar_keys of one dict into the two sets. */
static int group_dict(table *t, const json_t *d, keyset *headers, keyset *more)
{
    size_t n, i;
    eco_key *keys = eco_sorted_keys(d, &n);

    if (!keys)
        return oom(t);
    for (i = 0; i < n; i++) {
        keyset *s = eco_is_container(keys[i].value) ? more : headers;

        if (keyset_add(s, &keys[i]) != 0) {
            free(keys);
            return oom(t);
        }
    }
    free(keys);
    return 0;
}

/* What _group_scalar_keys_from_list makes of an element that is no dict
 * (the CLI expects none after a first dict). Python indexes it with its
 * own elements: a string fails, a number or null is not iterable, a list
 * of ints gives int headers that cannot be sorted among the str ones or,
 * when it gets that far, current.get() fails on the list. 1: continue
 * (element.get fails later), -1: failed now. */
static int group_other(table *t, const json_t *el, const char **int_headers)
{
    json_t *sub;
    size_t i;

    if (json_is_string(el)) {
        if (json_string_length(el) == 0)
            return 1;
        return python_error(t, "%s",
                            "string indices must be integers, not 'str'");
    }
    if (!json_is_array(el))
        return python_error(t, "'%s' object is not iterable", eco_pytype(el));
    json_array_foreach(el, i, sub)
    {
        json_int_t k;

        if (!json_is_integer(sub) && !json_is_boolean(sub))
            return python_error(
                t, "list indices must be integers or slices, not %s",
                eco_pytype(sub));
        k = json_is_integer(sub) ? json_integer_value(sub) : json_is_true(sub);
        if (k < 0)
            k += (json_int_t)json_array_size(el);
        if (k < 0 || k >= (json_int_t)json_array_size(el))
            return python_error(t, "%s", "list index out of range");
        if (!*int_headers)
            *int_headers = eco_pytype(sub);
    }
    return 1;
}

static cell *cells_for(table *t, size_t n)
{
    cell *c = calloc(n ? n : 1, sizeof(*c));

    if (!c)
        oom(t);
    return c;
}

static cell *key_cells(table *t, const keyset *ks)
{
    cell *c = cells_for(t, ks->n);
    size_t i;

    if (!c)
        return NULL;
    for (i = 0; i < ks->n; i++) {
        if (cell_text(&c[i], ks->k[i].key, ks->k[i].len) != 0) {
            cells_free(c, ks->n);
            oom(t);
            return NULL;
        }
    }
    return c;
}

static int sub_table_from_list(table *t, const json_t *list, int indent,
                               const char *title, size_t tlen, int depth)
{
    keyset headers = {0}, more = {0};
    const char *int_headers = NULL; /* the type of the first such header */
    bool first = true;
    json_t *el;
    size_t i, j;
    int rc = 0;

    json_array_foreach(list, i, el)
    {
        if (json_is_object(el))
            rc = group_dict(t, el, &headers, &more);
        else if (group_other(t, el, &int_headers) < 0)
            rc = -1;
        if (rc != 0)
            goto out;
    }
    if (int_headers && headers.n) {
        /* sorted() meets a str and an int (or bool) header; which comes
         * first depends on the set's order, so on str hashes, which Python
         * randomises per process: this is the usual order. */
        rc = python_error(t,
                          "'<' not supported between instances of 'str' and "
                          "'%s'",
                          int_headers);
        goto out;
    }
    {
        cell *h = key_cells(t, &headers);

        if (!h || add_header(t, h, headers.n) != 0) {
            rc = -1;
            goto out;
        }
    }
    json_array_foreach(list, i, el)
    {
        cell *r;

        if (!first && more.n) {
            cell *h;

            if (new_section(t, title, tlen, indent) != 0) {
                rc = -1;
                goto out;
            }
            h = key_cells(t, &headers);
            if (!h || add_header(t, h, headers.n) != 0) {
                rc = -1;
                goto out;
            }
        }
        first = false;
        if (!json_is_object(el)) {
            /* [element.get(h, '') for h in headers] fails only when there
             * is a header; then `remaining in element` is a substring test
             * on a string (the empty one here: others failed above). */
            if (headers.n) {
                rc = python_error(t, "'%s' object has no attribute 'get'",
                                  eco_pytype(el));
                goto out;
            }
            r = cells_for(t, 0);
            if (!r || add_row(t, r, 0) != 0) {
                rc = -1;
                goto out;
            }
            for (j = 0; j < more.n; j++) {
                if (json_is_string(el) && more.k[j].len == 0) {
                    rc = python_error(t, "%s",
                                      "string indices must be integers, "
                                      "not 'str'");
                    goto out;
                }
            }
            continue;
        }
        r = cells_for(t, headers.n);
        if (!r) {
            rc = -1;
            goto out;
        }
        for (j = 0; j < headers.n; j++) {
            json_t *v =
                json_object_getn(el, headers.k[j].key, headers.k[j].len);

            if (v ? cell_str(&r[j], v) != 0 : cell_text(&r[j], "", 0) != 0) {
                cells_free(r, headers.n);
                rc = oom(t);
                goto out;
            }
        }
        if (add_row(t, r, headers.n) != 0) {
            rc = -1;
            goto out;
        }
        for (j = 0; j < more.n; j++) {
            json_t *v = json_object_getn(el, more.k[j].key, more.k[j].len);

            if (v && build_table(t, more.k[j].key, more.k[j].len, v, indent + 1,
                                 depth + 1) < 0) {
                rc = -1;
                goto out;
            }
        }
    }
out:
    free(headers.k);
    free(more.k);
    return rc;
}

static int sub_table_from_dict(table *t, const json_t *d, int indent, int depth)
{
    keyset headers = {0}, more = {0};
    size_t j;
    int rc = group_dict(t, d, &headers, &more);

    if (rc != 0)
        goto out;
    if (headers.n == 1) {
        cell *r = cells_for(t, 2);

        if (!r || cell_text(&r[0], headers.k[0].key, headers.k[0].len) != 0 ||
            cell_str(&r[1], headers.k[0].value) != 0) {
            if (r)
                cells_free(r, 2);
            rc = oom(t);
            goto out;
        }
        rc = add_row(t, r, 2);
    } else if (headers.n) {
        cell *h = key_cells(t, &headers), *r;

        if (!h || add_header(t, h, headers.n) != 0) {
            rc = -1;
            goto out;
        }
        r = cells_for(t, headers.n);
        if (!r) {
            rc = -1;
            goto out;
        }
        for (j = 0; j < headers.n; j++) {
            if (cell_str(&r[j], headers.k[j].value) != 0) {
                cells_free(r, headers.n);
                rc = oom(t);
                goto out;
            }
        }
        rc = add_row(t, r, headers.n);
    }
    for (j = 0; rc == 0 && j < more.n; j++)
        if (build_table(t, more.k[j].key, more.k[j].len, more.k[j].value,
                        indent + 1, depth + 1) < 0)
            rc = -1;
out:
    free(headers.k);
    free(more.k);
    return rc;
}

/* A row from a list of scalars, or from a dict's keys (iterating a dict
 * gives its keys). */
static int row_of_scalars(table *t, const json_t *item)
{
    size_t n = json_is_array(item) ? json_array_size(item)
                                   : json_object_size(item),
           i = 0;
    cell *r = cells_for(t, n);
    json_t *el;
    void *it;

    if (!r)
        return -1;
    if (json_is_array(item)) {
        json_array_foreach(item, i, el)
        {
            if (cell_str(&r[i], el) != 0) {
                cells_free(r, n);
                return oom(t);
            }
        }
    } else {
        for (it = json_object_iter((json_t *)item); it;
             it = json_object_iter_next((json_t *)item, it), i++) {
            if (cell_text(&r[i], json_object_iter_key(it),
                          json_object_iter_key_len(it)) != 0) {
                cells_free(r, n);
                return oom(t);
            }
        }
    }
    return add_row(t, r, n);
}

static bool all_scalar(const json_t *item)
{
    json_t *el;
    size_t i;

    if (json_is_object(item))
        return true; /* its keys */
    json_array_foreach(item, i, el)
    {
        if (eco_is_container(el))
            return false;
    }
    return true;
}

/* 1: built, 0: nothing (a false value), -1: error. */
static int build_table(table *t, const char *title, size_t tlen,
                       const json_t *current, int indent, int depth)
{
    json_t *item;
    size_t i;

    if (depth > ECO_MAX_DEPTH)
        return python_error(t, "%s", "maximum recursion depth exceeded");
    if (!eco_truthy(current))
        return 0;
    if (title && new_section(t, title, tlen, indent) != 0)
        return -1;
    if (json_is_array(current)) {
        if (json_is_object(json_array_get(current, 0))) {
            if (sub_table_from_list(t, current, indent, title, tlen, depth) !=
                0)
                return -1;
        } else {
            json_array_foreach(current, i, item)
            {
                int rc;

                if (!eco_is_container(item)) {
                    cell *r = cells_for(t, 1);

                    if (!r)
                        return -1;
                    if (cell_str(&r[0], item) != 0) {
                        cells_free(r, 1);
                        return oom(t);
                    }
                    rc = add_row(t, r, 1);
                } else if (all_scalar(item)) {
                    rc = row_of_scalars(t, item);
                } else {
                    rc = build_table(t, NULL, 0, item, 0, depth + 1) < 0 ? -1
                                                                         : 0;
                }
                if (rc != 0)
                    return -1;
            }
        }
    }
    if (json_is_object(current) &&
        sub_table_from_dict(t, current, indent, depth) != 0)
        return -1;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Rendering: MultiTable.render                                        */
/* ------------------------------------------------------------------ */

#define RESET "\033[0m"

typedef struct writer {
    ecp_pyout *out;
    const eco_table_options *opt;
    const char *indent_char; /* styled '|' */
} writer;

/* One stream.write(): colorama's autoreset follows each with a reset. */
static int w(writer *wr, const char *s, size_t n)
{
    if (ecp_pyout_add(wr->out, s, n) != 0)
        return -1;
    if (wr->opt->color && wr->opt->color_autoreset)
        return ecp_pyout_add(wr->out, RESET, strlen(RESET));
    return 0;
}

/* IndentedStream.write of one line ending in '\n'. */
static int indented_line(writer *wr, int indent, const ecp_pyout *line)
{
    ecp_pyout edge = {0};
    int i, rc = 0;

    for (i = 0; i < indent; i++)
        ecp_pyout_adds(&edge, wr->indent_char);
    if (edge.failed)
        rc = -1;
    if (rc == 0)
        rc = w(wr, edge.data ? edge.data : "", edge.len);
    if (rc == 0)
        rc = w(wr, line->data ? line->data : "", line->len);
    if (rc == 0)
        rc = w(wr, edge.data ? edge.data : "", edge.len);
    if (rc == 0)
        rc = w(wr, "\n", 1);
    ecp_pyout_free(&edge);
    return rc;
}

static void spaces(ecp_pyout *o, long n)
{
    for (; n > 0; n--)
        ecp_pyout_addc(o, ' ');
}

static void repeat(ecp_pyout *o, char c, long n)
{
    for (; n > 0; n--)
        ecp_pyout_addc(o, c);
}

/* Python's a // b for b > 0. */
static long floordiv(long a, long b)
{
    long q = a / b;

    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* center_text(text, length, left_edge, right_edge, text_length) */
static void center_text(ecp_pyout *o, const char *text, size_t len, long length,
                        const char *left, const char *right, long text_length)
{
    long char_start = floordiv(length, 2) - floordiv(text_length, 2) - 1;
    long so_far = (long)strlen(left) + char_start + text_length;

    ecp_pyout_adds(o, left);
    spaces(o, char_start);
    ecp_pyout_add(o, text, len);
    spaces(o, length - (long)strlen(right) - so_far);
    ecp_pyout_adds(o, right);
}

/* align_left(text, length, left_edge, right_edge, text_length) with the
 * styled text. */
static void align_left(ecp_pyout *o, const char *styled, size_t slen,
                       long length, const char *left, const char *right,
                       long text_length)
{
    long computed = text_length + 2 + (long)strlen(left) + (long)strlen(right);
    long padding = length - computed >= 0 ? 2 : 0;
    long so_far = (long)strlen(left) + padding + text_length;

    ecp_pyout_adds(o, left);
    spaces(o, padding);
    ecp_pyout_add(o, styled, slen);
    spaces(o, length - so_far - (long)strlen(right));
    ecp_pyout_adds(o, right);
}

/* Section.calculate_column_widths(padding=4, max_width): the widths
 * scaled to max_width with Python's round() (half to even), then
 * corrected by ones from the left (or the right) until they add up. */
static long *column_widths(const section *s, long max_width, size_t *n)
{
    long *scaled = malloc((s->nmaxw ? s->nmaxw : 1) * sizeof(*scaled));
    long sum = 0, off_by;
    double factor;
    size_t i;

    *n = s->nmaxw;
    if (!scaled || s->nmaxw == 0)
        return scaled;
    for (i = 0; i < s->nmaxw; i++)
        sum += (long)s->maxw[i] + 4;
    factor = (double)max_width / (double)sum;
    sum = 0;
    for (i = 0; i < s->nmaxw; i++) {
        scaled[i] = (long)rint(factor * (double)((long)s->maxw[i] + 4));
        sum += scaled[i];
    }
    off_by = sum - max_width;
    while (off_by != 0) {
        for (i = 0; i < s->nmaxw; i++) {
            size_t k = off_by < 0 ? s->nmaxw - 1 - i : i;

            if (off_by > 0) {
                scaled[k]--;
                off_by--;
            } else {
                scaled[k]++;
                off_by++;
            }
            if (off_by == 0)
                break;
        }
    }
    return scaled;
}

/* Section.total_width(padding=4, with_border=True, outer_padding=indent) */
static long total_width(const section *s)
{
    long total = 0, title;
    size_t i;

    for (i = 0; i < s->nmaxw; i++)
        total += (long)s->maxw[i] + 4;
    total += 2 + 2L * s->indent;
    title = s->title_none ? 4 : s->title.s ? (long)width(&s->title) : 0;
    title += 2 + 2L * s->indent;
    return title > total ? title : total;
}

static long max_width(const table *t)
{
    long m = 0;
    size_t i;

    for (i = 0; i < t->n; i++) {
        long tw = total_width(t->secs[i]);

        if (i == 0 || tw > m)
            m = tw;
    }
    return m;
}

/* convert_to_vertical_table */
static int convert_to_vertical(table *t)
{
    size_t i, j;

    for (i = 0; i < t->n; i++) {
        section *s = t->secs[i], *v;

        if (s->nrows != 1 || s->nheaders == 0)
            continue;
        v = section_new();
        if (!v)
            return oom(t);
        v->indent = s->indent;
        v->title_none = s->title_none;
        v->title = s->title;
        s->title.s = NULL;
        t->secs[i] = v;
        t->cur = v;
        for (j = 0; j < s->nheaders && j < s->rows[0].n; j++) {
            cell *r = cells_for(t, 2);

            if (!r || cell_text(&r[0], s->headers[j].s, s->headers[j].len) ||
                cell_text(&r[1], s->rows[0].cells[j].s,
                          s->rows[0].cells[j].len)) {
                if (r)
                    cells_free(r, 2);
                section_free(s);
                return oom(t);
            }
            if (add_row(t, r, 2) != 0) {
                section_free(s);
                return -1;
            }
        }
        section_free(s);
    }
    return 0;
}

static int line_break(writer *wr, int indent, const long *widths, size_t n)
{
    ecp_pyout line = {0};
    size_t i;
    int rc;

    for (i = 0; i < n; i++) {
        if (i == 0) {
            ecp_pyout_addc(&line, '+');
            repeat(&line, '-', widths[i] - 2);
        } else {
            repeat(&line, '-', widths[i] - 1);
        }
        ecp_pyout_addc(&line, '+');
    }
    rc = line.failed ? -1 : indented_line(wr, indent, &line);
    ecp_pyout_free(&line);
    return rc;
}

static int render_section(writer *wr, const section *s, long mw)
{
    ecp_pyout line = {0};
    long *widths = NULL;
    size_t n = 0, i, r;
    int rc = 0;

    mw -= 2L * s->indent;
    /* the title */
    if (s->title.s) {
        center_text(&line, s->title.s, s->title.len, mw, "|", "|",
                    (long)width(&s->title));
        rc = line.failed ? -1 : indented_line(wr, s->indent, &line);
        line.len = 0;
        if (rc == 0 && s->nheaders == 0 && s->nrows == 0) {
            ecp_pyout_addc(&line, '+');
            repeat(&line, '-', mw - 2);
            ecp_pyout_addc(&line, '+');
            rc = line.failed ? -1 : indented_line(wr, s->indent, &line);
            line.len = 0;
        }
    }
    /* the column titles */
    if (rc == 0 && s->nheaders) {
        widths = column_widths(s, mw, &n);
        if (!widths)
            rc = -1;
        if (rc == 0)
            rc = line_break(wr, s->indent, widths, n);
        for (i = 0; rc == 0 && i < n && i < s->nheaders; i++)
            center_text(&line, s->headers[i].s, s->headers[i].len, widths[i],
                        i == 0 ? "|" : "", "|", (long)width(&s->headers[i]));
        if (rc == 0)
            rc = line.failed ? -1 : indented_line(wr, s->indent, &line);
        line.len = 0;
        free(widths);
        widths = NULL;
    }
    /* the rows */
    if (rc == 0 && s->nrows) {
        widths = column_widths(s, mw, &n);
        if (!widths)
            rc = -1;
        if (rc == 0 && n) {
            rc = line_break(wr, s->indent, widths, n);
            for (r = 0; rc == 0 && r < s->nrows; r++) {
                const row *rw = &s->rows[r];

                for (i = 0; i < n && i < rw->n; i++) {
                    const cell *c = &rw->cells[i];

                    if (wr->opt->color) {
                        ecp_pyout styled = {0};

                        ecp_pyout_adds(&styled, "\033[1m\033[34m");
                        ecp_pyout_add(&styled, c->s, c->len);
                        ecp_pyout_adds(&styled, RESET);
                        align_left(&line, styled.data ? styled.data : "",
                                   styled.len, widths[i], i == 0 ? "|" : "",
                                   "|", (long)width(c));
                        if (styled.failed)
                            line.failed = true;
                        ecp_pyout_free(&styled);
                    } else {
                        align_left(&line, c->s, c->len, widths[i],
                                   i == 0 ? "|" : "", "|", (long)width(c));
                    }
                }
                rc = line.failed ? -1 : indented_line(wr, s->indent, &line);
                line.len = 0;
            }
            if (rc == 0)
                rc = line_break(wr, s->indent, widths, n);
        }
        free(widths);
    }
    ecp_pyout_free(&line);
    return rc;
}

static int render(table *t, const eco_table_options *opt, ecp_pyout *out)
{
    writer wr = {out, opt, opt->color ? "\033[2m\033[33m|" RESET : "|"};
    ecp_pyout top = {0};
    long mw = max_width(t);
    size_t i;
    int rc;

    if (mw > opt->terminal_width) {
        if (convert_to_vertical(t) != 0)
            return -1;
        mw = max_width(t);
    }
    repeat(&top, '-', mw);
    ecp_pyout_addc(&top, '\n');
    rc = top.failed ? -1 : w(&wr, top.data, top.len);
    ecp_pyout_free(&top);
    for (i = 0; rc == 0 && i < t->n; i++)
        rc = render_section(&wr, t->secs[i], mw);
    return rc;
}

int eco_table(const json_t *response, const char *title,
              const eco_table_options *opt, ecp_pyout *out, eco_error *err)
{
    eco_table_options defaults = {80, false, false};
    table t = {0};
    size_t i;
    int rc;

    t.err = err;
    if (!opt)
        opt = &defaults;
    rc = build_table(&t, title ? title : "", title ? strlen(title) : 0,
                     response, 0, 0);
    if (rc > 0) {
        rc = render(&t, opt, out);
        if (rc != 0 && !t.failed)
            eco_fail_out(err, out);
    }
    for (i = 0; i < t.n; i++)
        section_free(t.secs[i]);
    free(t.secs);
    return rc < 0 ? -1 : 0;
}
