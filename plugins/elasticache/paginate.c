/*
 * The AWS CLI's pagination, done at the JSON level exactly as botocore's
 * PageIterator does it: every page in turn (handed to the output as it
 * comes, for --output text and yaml-stream), the merged result for the
 * other formats, and --max-items / --starting-token with the CLI's opaque
 * tokens, so NextToken values pass between this CLI and `aws` either way.
 *
 * A token is base64(json.dumps({"Marker": <str|null>[, "boto_truncate_amount":
 * N]})): the marker of the page the output stopped in, and how many of that
 * page's items were already printed.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cli.h"

static const char b64_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 with padding, by OpenSSL. */
static char *b64_encode(const unsigned char *in, size_t len)
{
    char *out;

    if (len > INT_MAX / 4 * 3 - 3)
        return NULL;
    out = malloc(4 * ((len + 2) / 3) + 1);
    if (out)
        EVP_EncodeBlock((unsigned char *)out, in, (int)len);
    return out;
}

/* Strict decoding: a length that is a multiple of 4, the alphabet only and
 * at most two '=' at the very end (OpenSSL's EVP_DecodeBlock alone would
 * take '=' anywhere and surrounding white space, and counts the padding in
 * its length). Returns a NUL-terminated buffer or NULL. */
static char *b64_decode(const char *in)
{
    size_t len = strlen(in), pad = 0;
    unsigned char *out;
    int n;

    while (pad < 2 && pad < len && in[len - 1 - pad] == '=')
        pad++;
    if (len == 0 || len % 4 != 0 || len > INT_MAX ||
        strspn(in, b64_chars) != len - pad)
        return NULL;
    out = malloc(len / 4 * 3 + 1);
    if (!out)
        return NULL;
    n = EVP_DecodeBlock(out, (const unsigned char *)in, (int)len);
    if (n < (int)pad) {
        free(out);
        return NULL;
    }
    out[n - (int)pad] = '\0';
    return (char *)out;
}

/* json.dumps(token) as Python prints it: ", " and ": " separators, keys in
 * insertion order, non-ASCII as \uXXXX (lowercase hex, as Python). */
static char *encode_token(const char *marker, long long truncate, bool has_tr)
{
    json_t *obj = json_object();
    char *text = NULL, *token = NULL;

    if (!obj)
        return NULL;
    if (json_object_set_new(obj, "Marker",
                            marker ? json_string(marker) : json_null()))
        goto out;
    if (has_tr && json_object_set_new(obj, "boto_truncate_amount",
                                      json_integer(truncate)))
        goto out;
    text = json_dumps(obj, JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    if (!text)
        goto out;
    for (char *p = text; *p; p++) {
        if (p[0] == '\\' && p[1] == 'u') {
            for (int k = 2; k < 6 && p[k]; k++)
                if (p[k] >= 'A' && p[k] <= 'F')
                    p[k] = (char)(p[k] - 'A' + 'a');
            p++;
        } else if (p[0] == '\\' && p[1]) {
            p++;
        }
    }
    token = b64_encode((const unsigned char *)text, strlen(text));
out:
    free(text);
    json_decref(obj);
    return token;
}

/* botocore's _parse_starting_token, with the deprecated "MARKER___N" form
 * as its fallback. `marker` is a new string or NULL. */
static int decode_token(const char *token, char **marker, long long *skip)
{
    char *text = b64_decode(token);
    json_t *obj = NULL;
    int rc = -1;

    *marker = NULL;
    *skip = 0;
    if (text)
        obj = json_loads(text, 0, NULL);
    if (obj && json_is_object(obj)) {
        json_t *m = json_object_get(obj, "Marker");
        json_t *t = json_object_get(obj, "boto_truncate_amount");
        if (t && !json_is_integer(t))
            goto out;
        if (t)
            *skip = json_integer_value(t);
        if (m && json_is_string(m) && strcmp(json_string_value(m), "None")) {
            *marker = strdup(json_string_value(m));
            if (!*marker)
                goto out;
        }
        rc = 0;
        goto out;
    }
    /* Deprecated form: "MARKER___N" or just "MARKER". */
    const char *sep = strstr(token, "___");
    size_t mlen = strlen(token);
    if (sep && !strstr(sep + 3, "___")) {
        char *end = NULL;
        long long n = strtoll(sep + 3, &end, 10);
        if (end != sep + 3 && *end == '\0') {
            *skip = n;
            mlen = (size_t)(sep - token);
        }
    }
    if (!(mlen == 4 && strncmp(token, "None", 4) == 0)) {
        *marker = strndup(token, mlen);
        if (!*marker)
            goto out;
    }
    rc = 0;
out:
    json_decref(obj);
    free(text);
    return rc;
}

static const char *page_marker(json_t *page)
{
    json_t *m = json_object_get(page, "Marker");
    const char *s = json_is_string(m) ? json_string_value(m) : NULL;
    return s && s[0] ? s : NULL;
}

/* The page as the PageIterator yields it: with --max-items (`cut`) or
 * --starting-token (`starting`, the first page) botocore cuts the parsed
 * page's result list in place to `count` items from `start`. A new
 * reference; NULL: no memory. */
static json_t *page_view(json_t *page, const char *key, size_t start,
                         size_t count, bool cut, bool starting)
{
    json_t *items = json_object_get(page, key), *view, *part;

    if (!cut && !starting)
        return json_incref(page);
    view = json_copy(page);
    if (!view)
        return NULL;
    if (!json_is_array(items)) {
        /* _handle_first_request sets the key to None when the page had
         * no list to slice. */
        if (starting && json_object_set_new(view, key, json_null())) {
            json_decref(view);
            return NULL;
        }
        return view;
    }
    part = json_array();
    for (size_t i = 0; part && i < count; i++)
        if (json_array_append(part, json_array_get(items, start + i))) {
            json_decref(part);
            part = NULL;
        }
    if (!part || json_object_set_new(view, key, part)) {
        json_decref(view);
        return NULL;
    }
    return view;
}

static int nomem(ec_error *err)
{
    ec_error_clear(err);
    err->code = EC_ERR_NOMEM;
    snprintf(err->message, sizeof(err->message), "out of memory");
    return -1;
}

int cli_paginate(cli_pages *p, ec_error *err)
{
    const cli_paging *paging = p->paging;
    json_t *all = NULL, *page = NULL, *view = NULL;
    char *marker = NULL, *prev = NULL;
    long long skip = 0, total = 0, max = paging->max_items.value;
    bool found = false, has_max = paging->max_items.set;
    bool first = true;
    int rc = -1;

    p->result = NULL;
    p->resume_token = NULL;
    p->exit_code = 0;
    if (paging->starting_token &&
        decode_token(paging->starting_token, &marker, &skip) != 0) {
        p->exit_code = cli_usage_error("argument --starting-token: invalid "
                                       "token");
        goto out;
    }
    if (skip < 0)
        skip = 0;
    all = json_array();
    if (!all) {
        nomem(err);
        goto out;
    }

    for (;;) {
        long long start = first ? skip : 0;
        bool starting = first && paging->starting_token;
        bool cut = false, stop = false;
        size_t n, keep;
        json_t *items;

        page = p->fetch(p->userdata, marker, paging->page_size, err);
        if (!page)
            goto out;
        items = json_object_get(page, p->result_key);
        if (json_is_array(items))
            found = true;
        n = json_is_array(items) ? json_array_size(items) : 0;
        if ((size_t)start > n)
            start = (long long)n;
        n -= (size_t)start;
        keep = n;
        if (has_max && total + (long long)n > max) {
            keep = (size_t)(max - total);
            cut = true;
            p->resume_token =
                encode_token(marker, (long long)keep + start, true);
            if (!p->resume_token) {
                nomem(err);
                goto out;
            }
            stop = true;
        }
        view =
            page_view(page, p->result_key, (size_t)start, keep, cut, starting);
        if (!view) {
            nomem(err);
            goto out;
        }
        if (p->merge)
            for (size_t i = 0; i < keep; i++)
                if (json_array_append(
                        all, json_array_get(items, (size_t)start + i))) {
                    nomem(err);
                    goto out;
                }
        if (p->sink) {
            p->exit_code = p->sink(p->sink_userdata, view);
            if (p->exit_code)
                goto out;
        }
        json_decref(view);
        view = NULL;
        if (stop)
            break;
        total += (long long)n;
        first = false;
        const char *next = page_marker(page);
        if (!next)
            break;
        if (has_max && total == max) {
            p->resume_token = encode_token(next, 0, false);
            if (!p->resume_token) {
                nomem(err);
                goto out;
            }
            break;
        }
        if (prev && strcmp(prev, next) == 0) {
            ec_error_clear(err);
            err->code = EC_ERR_PARSE;
            snprintf(err->message, sizeof(err->message),
                     "The same next token was received twice: "
                     "{'Marker': '%s'}",
                     next);
            goto out;
        }
        free(prev);
        prev = strdup(next);
        free(marker);
        marker = strdup(next);
        if (!prev || !marker) {
            nomem(err);
            goto out;
        }
        json_decref(page);
        page = NULL;
    }
    if (p->merge) {
        p->result = json_object();
        if (!p->result ||
            (found && json_object_set(p->result, p->result_key, all)) ||
            (p->resume_token &&
             json_object_set_new(p->result, "NextToken",
                                 json_string(p->resume_token)))) {
            nomem(err);
            goto out;
        }
    }
    rc = 0;
out:
    json_decref(view);
    json_decref(page);
    json_decref(all);
    free(marker);
    free(prev);
    return rc;
}

void cli_pages_free(cli_pages *p)
{
    json_decref(p->result);
    p->result = NULL;
    free(p->resume_token);
    p->resume_token = NULL;
}
