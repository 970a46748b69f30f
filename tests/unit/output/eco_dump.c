/* SPDX-License-Identifier: Apache-2.0 */
/*
 * eco_dump: format documents as the AWS CLI's --output does, for the
 * output differential test and the case tests. One JSON object per line on
 * stdin:
 *   {"data": D, "format": "json"|"text"|"table"|"yaml"|"yaml-stream",
 *    "query": Q (optional), "title": T (table), "width": W (table),
 *    "color": bool, "autoreset": bool}
 * and one per line on stdout: {"out": TEXT, "error": MESSAGE or null}.
 * With --raw FORMAT [--query Q] [--title T] [--width N] [--color]
 * [--autoreset] it reads one JSON document and prints the formatted text
 * itself (errors on stderr as the AWS CLI prints them, exit status 255).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elasticache/elasticache.h"
#include "output.h"

static int format(const char *fmt, json_t *data, const char *query,
                  const char *title, const eco_table_options *topt,
                  ecp_pyout *out, eco_error *err)
{
    json_t *v = json_incref(data);
    int rc;

    if (query) {
        ec_error e = {0};
        ec_jmespath *jp = ec_jmespath_compile(query, NULL, NULL, &e);

        json_decref(v);
        v = jp ? ec_jmespath_search(jp, data, &e) : NULL;
        ec_jmespath_free(jp);
        if (!v) {
            snprintf(err->message, sizeof(err->message), "%.500s", e.message);
            return -1;
        }
    }
    if (strcmp(fmt, "json") == 0)
        rc = eco_json(v, out, err);
    else if (strcmp(fmt, "text") == 0)
        rc = eco_text(v, out, err);
    else if (strcmp(fmt, "table") == 0)
        rc = eco_table(v, title, topt, out, err);
    else if (strcmp(fmt, "yaml") == 0)
        rc = eco_yaml(v, out, err);
    else if (strcmp(fmt, "yaml-stream") == 0)
        rc = eco_yaml_stream_item(v, true, out, err);
    else {
        snprintf(err->message, sizeof(err->message), "unknown format %s", fmt);
        rc = -1;
    }
    json_decref(v);
    return rc;
}

int main(int argc, char **argv)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (argc >= 3 && strcmp(argv[1], "--raw") == 0) {
        eco_table_options topt = {80, false, false};
        const char *query = NULL, *title = "DescribeCacheClusters";
        eco_error err = {{0}};
        ecp_pyout out = {0};
        json_t *data;
        int i, rc;

        for (i = 3; i < argc; i++) {
            if (strcmp(argv[i], "--query") == 0 && i + 1 < argc)
                query = argv[++i];
            else if (strcmp(argv[i], "--title") == 0 && i + 1 < argc)
                title = argv[++i];
            else if (strcmp(argv[i], "--width") == 0 && i + 1 < argc)
                topt.terminal_width = (int)strtol(argv[++i], NULL, 10);
            else if (strcmp(argv[i], "--color") == 0)
                topt.color = true;
            else if (strcmp(argv[i], "--autoreset") == 0)
                topt.color_autoreset = true;
            else {
                fprintf(stderr, "eco_dump: unknown option %s\n", argv[i]);
                return 2;
            }
        }
        data = json_loadf(stdin, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        if (!data) {
            fprintf(stderr, "eco_dump: no JSON on stdin\n");
            return 2;
        }
        rc = format(argv[2], data, query, title, &topt, &out, &err);
        if (out.data)
            fwrite(out.data, 1, out.len, stdout);
        if (rc != 0)
            fprintf(stderr, "\n%s\n", err.message);
        ecp_pyout_free(&out);
        json_decref(data);
        return rc ? 255 : 0;
    }
    while ((n = getline(&line, &cap, stdin)) > 0) {
        json_t *in = json_loadb(line, (size_t)n, JSON_ALLOW_NUL, NULL);
        json_t *data = json_object_get(in, "data");
        const char *fmt = json_string_value(json_object_get(in, "format"));
        json_t *q = json_object_get(in, "query");
        json_t *t = json_object_get(in, "title");
        eco_table_options topt = {80, false, false};
        eco_error err = {{0}};
        ecp_pyout out = {0};
        json_t *res;
        int rc;

        if (!data || !fmt) {
            fprintf(stderr, "eco_dump: bad input line\n");
            return 2;
        }
        if (json_is_integer(json_object_get(in, "width")))
            topt.terminal_width =
                (int)json_integer_value(json_object_get(in, "width"));
        topt.color = json_is_true(json_object_get(in, "color"));
        topt.color_autoreset = json_is_true(json_object_get(in, "autoreset"));
        rc = format(fmt, data, json_string_value(q),
                    t ? json_string_value(t) : "DescribeCacheClusters", &topt,
                    &out, &err);
        res = json_pack("{s:s%, s:s?}", "out", out.data ? out.data : "",
                        out.len, "error", rc ? err.message : NULL);
        if (res) {
            char *s = json_dumps(res, JSON_COMPACT | JSON_ENSURE_ASCII);

            if (s)
                puts(s);
            free(s);
        }
        json_decref(res);
        ecp_pyout_free(&out);
        json_decref(in);
        fflush(stdout);
    }
    free(line);
    return 0;
}
