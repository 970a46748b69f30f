/*
 * cli_yaml_dump: the CLI's --cli-input-yaml reader on one document per
 * line of stdin ({"yaml": TEXT}), one line out per document:
 * {"ok": true, "value": V} or {"ok": false, "error": MESSAGE}, where the
 * Python values JSON has no type for are {"$special": TYPE, "str": STR}.
 * For tests/diff/yaml_diff.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yamlin.h"

/* A copy with every special value spelled out. */
static json_t *canonical(const cli_yaml_stamps *s, json_t *v)
{
    const cli_yaml_special *sp = cli_yaml_special_of(s, v);
    json_t *out, *item;
    const char *key;
    size_t i;

    if (sp)
        return json_pack("{s:s, s:s}", "$special", sp->type, "str", sp->str);
    if (json_is_array(v)) {
        out = json_array();
        json_array_foreach(v, i, item)
        {
            json_array_append_new(out, canonical(s, item));
        }
        return out;
    }
    if (json_is_object(v)) {
        out = json_object();
        json_object_foreach(v, key, item)
        {
            json_object_set_new(out, key, canonical(s, item));
        }
        return out;
    }
    return json_incref(v);
}

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    while ((n = getline(&line, &cap, stdin)) > 0) {
        json_t *in = json_loadb(line, (size_t)n, JSON_ALLOW_NUL, NULL);
        json_t *text = json_object_get(in, "yaml"), *res, *v;
        cli_yaml_stamps stamps = {0};
        char err[256];
        char *s;

        if (!json_is_string(text)) {
            fprintf(stderr, "cli_yaml_dump: bad input line\n");
            return 2;
        }
        v = cli_yaml_load(json_string_value(text), json_string_length(text),
                          false, &stamps, err, sizeof(err));
        if (v)
            res = json_pack("{s:b, s:o}", "ok", 1, "value",
                            canonical(&stamps, v));
        else
            res = json_pack("{s:b, s:s}", "ok", 0, "error", err);
        s = json_dumps(res, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
        if (!s)
            return 2;
        puts(s);
        fflush(stdout);
        free(s);
        json_decref(res);
        json_decref(v);
        json_decref(in);
        cli_yaml_stamps_free(&stamps);
    }
    free(line);
    return 0;
}
