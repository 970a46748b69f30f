/*
 * The AWS CLI's --max-items / --starting-token paging, done at the JSON
 * level exactly as botocore's PageIterator does it, so NextToken values
 * pass between this CLI and `aws` either way. Plain auto-pagination uses the
 * library's *_all calls instead; this is only for the CLI's opaque tokens.
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

json_t *cli_paginate(cli_page_fn fetch, void *userdata, const char *result_key,
                     const cli_paging *paging, ec_error *err, int *usage)
{
    json_t *result = NULL, *all = NULL, *page = NULL;
    char *marker = NULL, *prev = NULL, *token = NULL;
    long long skip = 0, total = 0, max = paging->max_items.value;
    bool found = false, has_max = paging->max_items.set;
    bool first = true;

    *usage = 0;
    if (paging->starting_token &&
        decode_token(paging->starting_token, &marker, &skip) != 0) {
        *usage = cli_usage_error("argument --starting-token: invalid "
                                 "token");
        goto fail;
    }
    if (skip < 0)
        skip = 0;
    result = json_object();
    all = json_array();
    if (!result || !all)
        goto nomem;

    for (;;) {
        long long start = first ? skip : 0;
        json_t *items;
        size_t n;

        page = fetch(userdata, marker, paging->page_size, err);
        if (!page)
            goto fail;
        items = json_object_get(page, result_key);
        if (json_is_array(items))
            found = true;
        n = json_is_array(items) ? json_array_size(items) : 0;
        if ((size_t)start > n)
            start = (long long)n;
        n -= (size_t)start;
        if (has_max && total + (long long)n > max) {
            long long keep = max - total;
            for (long long i = 0; i < keep; i++)
                if (json_array_append(
                        all, json_array_get(items, (size_t)(start + i))))
                    goto nomem;
            token = encode_token(marker, keep + start, true);
            if (!token)
                goto nomem;
            break;
        }
        for (size_t i = 0; i < n; i++)
            if (json_array_append(all,
                                  json_array_get(items, (size_t)start + i)))
                goto nomem;
        total += (long long)n;
        first = false;
        const char *next = page_marker(page);
        if (!next)
            break;
        if (has_max && total == max) {
            token = encode_token(next, 0, false);
            if (!token)
                goto nomem;
            break;
        }
        if (prev && strcmp(prev, next) == 0) {
            ec_error_clear(err);
            err->code = EC_ERR_PARSE;
            snprintf(err->message, sizeof(err->message),
                     "The same next token was received twice: "
                     "{'Marker': '%s'}",
                     next);
            goto fail;
        }
        free(prev);
        prev = strdup(next);
        free(marker);
        marker = strdup(next);
        if (!prev || !marker)
            goto nomem;
        json_decref(page);
        page = NULL;
    }
    if (found && json_object_set(result, result_key, all))
        goto nomem;
    if (token && json_object_set_new(result, "NextToken", json_string(token)))
        goto nomem;
    goto out;
nomem:
    ec_error_clear(err);
    err->code = EC_ERR_NOMEM;
    snprintf(err->message, sizeof(err->message), "out of memory");
fail:
    json_decref(result);
    result = NULL;
out:
    json_decref(page);
    json_decref(all);
    free(token);
    free(marker);
    free(prev);
    return result;
}
