/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parsing Redis's INFO replication section (check_elasticache -G reads a
 * replica's link to its primary from it). Pure: text in, fields out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <elasticache/elasticache.h>

#include "util.h"

/* A value longer than this is not one Redis writes for these keys. */
#define VALUE_MAX 256

const char *ec_redis_link_str(ec_redis_link link)
{
    switch (link) {
    case EC_REDIS_LINK_UP:
        return "up";
    case EC_REDIS_LINK_DOWN:
        return "down";
    case EC_REDIS_LINK_UNKNOWN:
        break;
    }
    return "unknown";
}

void ec_redis_replication_free(ec_redis_replication *r)
{
    if (!r)
        return;
    free(r->role);
    free(r->master_host);
    free(r);
}

/* A decimal integer, the whole value: Redis writes "-1" for no link. */
static int parse_int(const char *v, size_t len, int64_t *out)
{
    char buf[32], *end;
    long long n;

    if (len == 0 || len >= sizeof(buf))
        return -1;
    memcpy(buf, v, len);
    buf[len] = '\0';
    if (!(buf[0] == '-' || (buf[0] >= '0' && buf[0] <= '9')))
        return -1;
    errno = 0;
    n = strtoll(buf, &end, 10);
    if (errno != 0 || *end != '\0' || end == buf)
        return -1;
    *out = (int64_t)n;
    return 0;
}

/* Server text kept: printable ASCII only, so it can never forge a line of
 * a tool's output. */
static char *printable_dup(const char *v, size_t len)
{
    char *s = ecp_strndup(v, len);

    for (size_t i = 0; s && s[i]; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
            s[i] = '?';
    return s;
}

static bool key_is(const char *k, size_t klen, const char *name)
{
    return klen == strlen(name) && memcmp(k, name, klen) == 0;
}

/* One "key:value" line into `r`: 0, 1 when the value is malformed, -1
 * when memory ran out. */
static int parse_line(ec_redis_replication *r, const char *k, size_t klen,
                      const char *v, size_t vlen)
{
    int64_t n;

    if (key_is(k, klen, "role")) {
        free(r->role);
        r->role = printable_dup(v, vlen);
        return r->role ? 0 : -1;
    }
    if (key_is(k, klen, "master_host")) {
        free(r->master_host);
        r->master_host = printable_dup(v, vlen);
        return r->master_host ? 0 : -1;
    }
    if (key_is(k, klen, "master_link_status")) {
        if (vlen == 2 && memcmp(v, "up", 2) == 0)
            r->master_link_status = EC_REDIS_LINK_UP;
        else if (vlen == 4 && memcmp(v, "down", 4) == 0)
            r->master_link_status = EC_REDIS_LINK_DOWN;
        else
            return 1;
        return 0;
    }
    if (key_is(k, klen, "master_sync_in_progress") ||
        key_is(k, klen, "loading")) {
        ec_opt_bool *dst =
            k[0] == 'l' ? &r->loading : &r->master_sync_in_progress;

        if (vlen != 1 || (v[0] != '0' && v[0] != '1'))
            return 1;
        dst->set = true;
        dst->value = v[0] == '1';
        return 0;
    }
    {
        static const char *const ints[] = {
            "master_port", "master_last_io_seconds_ago",
            "master_link_down_since_seconds", "connected_slaves"};
        ec_opt_int *dst[] = {&r->master_port, &r->master_last_io_seconds_ago,
                             &r->master_link_down_since_seconds,
                             &r->connected_slaves};

        for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
            if (!key_is(k, klen, ints[i]))
                continue;
            if (parse_int(v, vlen, &n) != 0)
                return 1;
            /* -1 is Redis's "no link", not a number of seconds */
            dst[i]->set = n >= 0;
            dst[i]->value = n >= 0 ? n : 0;
            return 0;
        }
    }
    return 0;
}

int ec_redis_replication_parse(const char *text, size_t len,
                               ec_redis_replication **out, ec_error *err)
{
    ec_redis_replication *r;
    size_t pos = 0;
    size_t lineno = 0;

    if (!out || (!text && len > 0))
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "ec_redis_replication_parse needs text and out");
    *out = NULL;
    r = calloc(1, sizeof(*r));
    if (!r)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    while (pos < len) {
        const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
        size_t llen = nl ? (size_t)(nl - line) : len - pos;
        const char *colon;
        int rc;

        pos += llen + (nl ? 1 : 0);
        lineno++;
        if (llen > 0 && line[llen - 1] == '\r')
            llen--;
        if (llen == 0 || line[0] == '#')
            continue;
        colon = memchr(line, ':', llen);
        if (!colon)
            continue; /* not a field: nothing Redis writes; skipped */
        if (llen - (size_t)(colon - line) - 1 > VALUE_MAX)
            continue;
        rc = parse_line(r, line, (size_t)(colon - line), colon + 1,
                        llen - (size_t)(colon - line) - 1);
        if (rc < 0) {
            ec_redis_replication_free(r);
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        }
        if (rc > 0) {
            char key[64];
            size_t klen = (size_t)(colon - line);

            if (klen >= sizeof(key))
                klen = sizeof(key) - 1;
            memcpy(key, line, klen);
            key[klen] = '\0';
            for (size_t i = 0; i < klen; i++)
                if ((unsigned char)key[i] < 0x20 ||
                    (unsigned char)key[i] >= 0x7f)
                    key[i] = '?';
            ec_redis_replication_free(r);
            return ecp_error_set(err, EC_ERR_PARSE,
                                 "INFO replication line %zu: bad value for %s",
                                 lineno, key);
        }
    }
    if (!r->role) {
        ec_redis_replication_free(r);
        return ecp_error_set(err, EC_ERR_PARSE,
                             "not an INFO replication answer: no role line");
    }
    if (strcmp(r->role, "master") != 0 && strcmp(r->role, "slave") != 0) {
        ec_redis_replication_free(r);
        return ecp_error_set(err, EC_ERR_PARSE,
                             "INFO replication: unknown role");
    }
    *out = r;
    return 0;
}

bool ec_redis_replica_synced(const ec_redis_replication *r, char *detail,
                             size_t detail_size)
{
    char scratch[1];
    bool ok;

    if (!detail || detail_size == 0) {
        detail = scratch;
        detail_size = sizeof(scratch);
    }
    if (!r) {
        snprintf(detail, detail_size, "no INFO replication answer");
        return false;
    }
    /* master_sync_in_progress must be there and 0: a replica that does
     * not say it is not syncing is not taken as synced (fail closed).
     * `loading` is only there when the whole INFO was read: a replica
     * loading its primary's RDB does not have the dataset yet. */
    ok = r->role && strcmp(r->role, "slave") == 0 &&
         r->master_link_status == EC_REDIS_LINK_UP &&
         r->master_sync_in_progress.set && !r->master_sync_in_progress.value &&
         !(r->loading.set && r->loading.value);
    snprintf(detail, detail_size,
             "role:%s master_link_status:%s master_sync_in_progress:%s%s",
             r->role ? r->role : "-", ec_redis_link_str(r->master_link_status),
             !r->master_sync_in_progress.set    ? "-"
             : r->master_sync_in_progress.value ? "1"
                                                : "0",
             r->loading.set && r->loading.value ? " loading:1" : "");
    return ok;
}
