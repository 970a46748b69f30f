/* SPDX-License-Identifier: Apache-2.0 */
/* ec_redis_replication_parse on the case folders of info_cases/ (see its
 * PROVENANCE.md): every case as written, with "\n" and with "\r\n" line
 * ends; and ec_redis_replica_synced, the rolling reboot's "may this
 * replica be promoted / the next member rebooted" decision, on the same
 * texts. */
#include <dirent.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <elasticache/elasticache.h>

#include "testutil.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    if (!f)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            char *p = realloc(buf, cap = n + 8192);

            if (!p) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, 4096, f);

        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The same text with every line ending in "\r\n" (want_cr) or "\n". */
static char *line_ends(const char *text, size_t len, bool want_cr,
                       size_t *out_len)
{
    char *o = malloc(2 * len + 1);
    size_t k = 0;

    if (!o)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\r')
            continue;
        if (text[i] == '\n' && want_cr)
            o[k++] = '\r';
        o[k++] = text[i];
    }
    o[k] = '\0';
    *out_len = k;
    return o;
}

static void opt_int(char *buf, size_t size, ec_opt_int v)
{
    if (v.set)
        snprintf(buf, size, "%" PRId64, v.value);
    else
        buf[0] = '\0';
}

/* What the parse made, in expect.txt's form. */
static void render(const ec_redis_replication *r, char *buf, size_t size)
{
    char port[32], io[32], down[32], slaves[32];

    opt_int(port, sizeof(port), r->master_port);
    opt_int(io, sizeof(io), r->master_last_io_seconds_ago);
    opt_int(down, sizeof(down), r->master_link_down_since_seconds);
    opt_int(slaves, sizeof(slaves), r->connected_slaves);
    snprintf(buf, size,
             "role=%s\nmaster_host=%s\nmaster_port=%s\nlink=%s\nlast_io=%s\n"
             "down_since=%s\nsync=%s\nconnected_slaves=%s\n",
             r->role ? r->role : "", r->master_host ? r->master_host : "", port,
             ec_redis_link_str(r->master_link_status), io, down,
             r->master_sync_in_progress.set
                 ? (r->master_sync_in_progress.value ? "1" : "0")
                 : "",
             slaves);
}

/* ec_redis_replica_synced on what the parse made (NULL when it failed, as
 * a probe hands it on): synced.txt's "synced=yes|no" and "detail=". */
static void check_synced(const char *dir, const char *name, int form,
                         const ec_redis_replication *r)
{
    char path[1024], got[512], detail[200];
    size_t len = 0;
    char *expect;
    bool ok;

    snprintf(path, sizeof(path), "%s/%s/synced.txt", dir, name);
    expect = slurp(path, &len);
    if (!expect)
        fprintf(stderr, "case %s: no synced.txt\n", name);
    CHECK(expect != NULL);
    if (!expect)
        return;
    ok = ec_redis_replica_synced(r, detail, sizeof(detail));
    snprintf(got, sizeof(got), "synced=%s\ndetail=%s\n", ok ? "yes" : "no",
             detail);
    if (strcmp(got, expect) != 0)
        fprintf(stderr, "case %s (form %d) synced:\n%s", name, form, got);
    CHECK_STR(got, expect);
    free(expect);
}

/* form: 0 as written, 1 "\n" line ends, 2 "\r\n" */
static void run_case(const char *dir, const char *name, int form)
{
    char path[1024], got[2048];
    size_t len = 0, elen = 0, clen = 0;
    char *text, *expect, *input;
    ec_redis_replication *r = NULL;
    ec_error err = {0};
    int rc;

    snprintf(path, sizeof(path), "%s/%s/info.txt", dir, name);
    text = slurp(path, &len);
    snprintf(path, sizeof(path), "%s/%s/expect.txt", dir, name);
    expect = slurp(path, &elen);
    CHECK(text != NULL && expect != NULL);
    if (!text || !expect)
        goto out;
    input = form ? line_ends(text, len, form == 2, &clen) : text;
    if (!form)
        clen = len;
    CHECK(input != NULL);
    if (!input)
        goto out;
    rc = ec_redis_replication_parse(input, clen, &r, &err);
    if (strcmp(expect, "error=parse\n") == 0) {
        if (rc != -1 || err.code != EC_ERR_PARSE)
            fprintf(stderr, "case %s: parsed, should not\n", name);
        CHECK_INT(rc, -1);
        CHECK_INT(err.code, EC_ERR_PARSE);
        CHECK(r == NULL);
    } else {
        if (rc != 0)
            fprintf(stderr, "case %s: %s\n", name, err.message);
        CHECK_INT(rc, 0);
        if (r) {
            render(r, got, sizeof(got));
            if (strcmp(got, expect) != 0)
                fprintf(stderr, "case %s%s:\n%s", name,
                        form == 2   ? " (CRLF)"
                        : form == 1 ? " (LF)"
                                    : "",
                        got);
            CHECK_STR(got, expect);
        }
    }
    check_synced(dir, name, form, r);
    ec_redis_replication_free(r);
    if (form)
        free(input);
out:
    free(text);
    free(expect);
}

static void test_arguments(void)
{
    ec_redis_replication *r = (ec_redis_replication *)1;
    ec_error err = {0};

    CHECK_INT(ec_redis_replication_parse(NULL, 3, &r, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK_INT(ec_redis_replication_parse("role:master", 11, NULL, &err), -1);
    /* not NUL-terminated: only `len` bytes are read */
    CHECK_INT(ec_redis_replication_parse("role:masterXXX", 11, &r, &err), 0);
    CHECK_STR(r->role, "master");
    ec_redis_replication_free(r);
    ec_redis_replication_free(NULL);
    CHECK_STR(ec_redis_link_str(EC_REDIS_LINK_UP), "up");
    CHECK_STR(ec_redis_link_str(EC_REDIS_LINK_DOWN), "down");
    CHECK_STR(ec_redis_link_str((ec_redis_link)99), "unknown");
    /* no detail buffer: the verdict alone */
    CHECK(!ec_redis_replica_synced(NULL, NULL, 0));
    {
        char tiny[8];

        CHECK(!ec_redis_replica_synced(NULL, tiny, sizeof(tiny)));
        CHECK_STR(tiny, "no INFO");
    }
}

int main(int argc, char **argv)
{
    DIR *d;
    struct dirent *e;
    size_t n = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s CASES_DIR\n", argv[0]);
        return 2;
    }
    d = opendir(argv[1]);
    CHECK(d != NULL);
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strchr(e->d_name, '.'))
            continue;
        for (int form = 0; form < 3; form++)
            run_case(argv[1], e->d_name, form);
        n++;
    }
    if (d)
        closedir(d);
    CHECK(n >= 14); /* the folder was read */
    test_arguments();
    return test_status("redisinfo");
}
