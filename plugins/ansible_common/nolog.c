/*
 * remove_values() of AnsibleModule, in C (see nolog.h).
 */
#include "nolog.h"

#include <stdlib.h>
#include <string.h>

#include <elasticache/elasticache.h>

#include "pyval.h"

#define MASK "********"

int erb_secrets_add(erb_secrets *s, const char *value)
{
    char **items;
    char *copy;
    size_t i;

    if (!value || !*value)
        return 0;
    for (i = 0; i < s->count; i++) {
        if (strcmp(s->items[i], value) == 0)
            return 0;
    }
    copy = strdup(value);
    if (!copy)
        return -1;
    items = realloc(s->items, (s->count + 1) * sizeof(*items));
    if (!items) {
        ec_free_secret(copy);
        return -1;
    }
    items[s->count++] = copy;
    s->items = items;
    return 0;
}

int erb_secrets_add_json(erb_secrets *s, const json_t *value)
{
    char *text;
    int rc;

    if (!value || json_is_null(value))
        return 0;
    /* Booleans and falsy values (0, "") are not collected by Ansible
     * (_list_no_log_values, _return_datastructure_name) either. */
    if (json_is_boolean(value) ||
        (json_is_integer(value) && json_integer_value(value) == 0) ||
        (json_is_real(value) && json_real_value(value) == 0.0))
        return 0;
    if (json_is_array(value) || json_is_object(value)) {
        size_t i;
        const char *key;
        json_t *item;

        if (json_is_array(value)) {
            json_array_foreach(value, i, item)
            {
                if (erb_secrets_add_json(s, item) < 0)
                    return -1;
            }
        } else {
            json_object_foreach((json_t *)value, key, item)
            {
                if (erb_secrets_add_json(s, item) < 0)
                    return -1;
            }
        }
        return 0;
    }
    text = erb_py_str(value);
    if (!text)
        return -1;
    rc = erb_secrets_add(s, text);
    ec_free_secret(text);
    return rc;
}

void erb_secrets_clear(erb_secrets *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->count; i++)
        ec_free_secret(s->items[i]);
    free(s->items);
    s->items = NULL;
    s->count = 0;
}

/* Replace every occurrence of `needle` in `*text` with MASK. */
static int replace_all(char **text, const char *needle)
{
    size_t nlen = strlen(needle), mlen = strlen(MASK), count = 0, len;
    const char *p;
    char *out, *o;

    for (p = strstr(*text, needle); p; p = strstr(p + nlen, needle))
        count++;
    if (count == 0)
        return 0;
    len = strlen(*text);
    out = malloc(len - count * nlen + count * mlen + 1);
    if (!out)
        return -1;
    o = out;
    p = *text;
    for (;;) {
        const char *hit = strstr(p, needle);

        if (!hit) {
            memcpy(o, p, strlen(p) + 1);
            break;
        }
        memcpy(o, p, (size_t)(hit - p));
        o += hit - p;
        memcpy(o, MASK, mlen);
        o += mlen;
        p = hit + nlen;
    }
    ec_free_secret(*text);
    *text = out;
    return 0;
}

char *erb_mask_string(const char *text, const erb_secrets *s)
{
    char *out;
    size_t i;

    for (i = 0; i < s->count; i++) {
        if (strcmp(text, s->items[i]) == 0)
            return strdup(ERB_NO_LOG_PLACEHOLDER);
    }
    out = strdup(text);
    for (i = 0; out && i < s->count; i++) {
        if (replace_all(&out, s->items[i]) < 0) {
            ec_free_secret(out);
            return NULL;
        }
    }
    return out;
}

json_t *erb_remove_values(const json_t *value, const erb_secrets *s)
{
    json_t *out = NULL, *item, *copy;
    const char *key;
    size_t i;
    char *text;

    switch (json_typeof(value)) {
    case JSON_STRING:
        text = erb_mask_string(json_string_value(value), s);
        if (!text)
            return NULL;
        out = json_string(text);
        free(text);
        return out;
    case JSON_ARRAY:
        out = json_array();
        json_array_foreach(value, i, item)
        {
            copy = erb_remove_values(item, s);
            if (!out || !copy || json_array_append_new(out, copy) < 0) {
                json_decref(out);
                return NULL;
            }
        }
        return out;
    case JSON_OBJECT:
        out = json_object();
        json_object_foreach((json_t *)value, key, item)
        {
            copy = erb_remove_values(item, s);
            if (!out || !copy || json_object_set_new(out, key, copy) < 0) {
                json_decref(out);
                return NULL;
            }
        }
        return out;
    default:
        /* Numbers, booleans and None: Ansible compares their str(). */
        text = erb_py_str(value);
        if (!text)
            return NULL;
        for (i = 0; i < s->count; i++) {
            if (strstr(text, s->items[i])) {
                free(text);
                return json_string(ERB_NO_LOG_PLACEHOLDER);
            }
        }
        free(text);
        return json_deep_copy(value);
    }
}
