/* SPDX-License-Identifier: Apache-2.0 */
/*
 * eco_case DIR...: output case folders of tests/data/output (several in
 * one process for the valgrind build). Formats
 * DIR/input.json as DIR/args.json says (format, query, title, width,
 * color, autoreset) and checks the bytes against DIR/expected.out and the
 * error against DIR/expected.err (none when that file is absent): what the
 * AWS CLI v2's formatter classes printed for the same input
 * (tests/unit/output/make_cases.py).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elasticache/elasticache.h"
#include "output.h"

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[4096];
    FILE *f;
    char *buf = NULL;
    long n;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            buf[n] = '\0';
            *len = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

static int run_case(const char *dir);

int main(int argc, char **argv)
{
    int i, failed = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: eco_case DIR...\n");
        return 2;
    }
    for (i = 1; i < argc; i++)
        failed |= run_case(argv[i]);
    return failed;
}

static int run_case(const char *dir)
{
    json_t *data, *args, *v;
    const char *fmt, *query;
    eco_table_options topt = {80, false, false};
    eco_error err = {{0}};
    ecp_pyout out = {0};
    char *want, *want_err;
    size_t want_len = 0, err_len = 0;
    int rc, failed = 0;

    {
        char path[4096];

        snprintf(path, sizeof(path), "%s/input.json", dir);
        data = json_load_file(path, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        snprintf(path, sizeof(path), "%s/args.json", dir);
        args = json_load_file(path, 0, NULL);
    }
    want = slurp(dir, "expected.out", &want_len);
    want_err = slurp(dir, "expected.err", &err_len);
    if (!data || !args || !want) {
        fprintf(stderr, "%s: incomplete case folder\n", dir);
        return 2;
    }
    fmt = json_string_value(json_object_get(args, "format"));
    query = json_string_value(json_object_get(args, "query"));
    if (json_is_integer(json_object_get(args, "width")))
        topt.terminal_width =
            (int)json_integer_value(json_object_get(args, "width"));
    topt.color = json_is_true(json_object_get(args, "color"));
    topt.color_autoreset = json_is_true(json_object_get(args, "autoreset"));
    v = json_incref(data);
    if (query) {
        ec_error e = {0};
        ec_jmespath *jp = ec_jmespath_compile(query, NULL, NULL, &e);

        json_decref(v);
        v = jp ? ec_jmespath_search(jp, data, &e) : NULL;
        ec_jmespath_free(jp);
        if (!v) {
            fprintf(stderr, "%s: query failed: %s\n", dir, e.message);
            return 1;
        }
    }
    if (!fmt)
        rc = -1;
    else if (strcmp(fmt, "json") == 0)
        rc = eco_json(v, &out, &err);
    else if (strcmp(fmt, "text") == 0)
        rc = eco_text(v, &out, &err);
    else if (strcmp(fmt, "table") == 0)
        rc = eco_table(v, "DescribeCacheClusters", &topt, &out, &err);
    else if (strcmp(fmt, "yaml") == 0)
        rc = eco_yaml(v, &out, &err);
    else
        rc = eco_yaml_stream_item(v, true, &out, &err);
    if (out.len != want_len ||
        (want_len && memcmp(out.data, want, want_len) != 0)) {
        fprintf(stderr, "%s: output differs\n--- expected\n%s\n--- got\n%.*s\n",
                dir, want, (int)out.len, out.data ? out.data : "");
        failed = 1;
    }
    if (want_err ? (rc == 0 || strcmp(err.message, want_err) != 0) : rc != 0) {
        fprintf(stderr, "%s: error %s, expected %s\n", dir,
                rc ? err.message : "(none)", want_err ? want_err : "(none)");
        failed = 1;
    }
    ecp_pyout_free(&out);
    json_decref(v);
    json_decref(data);
    json_decref(args);
    free(want);
    free(want_err);
    return failed;
}
