/* SPDX-License-Identifier: Apache-2.0 */
/* The direct writer (ec_*_output_dumps_aws) against what it replaces,
 * ec_json_dumps_aws of the jansson rendering: on hand-built structs with
 * every kind of value and every way a value can be refused, and on random
 * structs made from the shape tables themselves. The two must print the
 * same bytes, or both fail. Also the properties of the tables the
 * streaming parser and the writer rely on. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "shapes.h"
#include "testutil.h"
#include "util.h"

/* One operation output: its table and both ways to print it. */
typedef struct output_kind {
    const char *name;
    const ecp_shape *shape;
    json_t *(*to_json)(const void *out);
    char *(*dumps)(const void *out);
} output_kind;

static json_t *dcc_json(const void *o)
{
    return ec_describe_cache_clusters_output_to_json(o, EC_JSON_AWS);
}
static char *dcc_dumps(const void *o)
{
    return ec_describe_cache_clusters_output_dumps_aws(o);
}
static json_t *rcc_json(const void *o)
{
    return ec_reboot_cache_cluster_output_to_json(o, EC_JSON_AWS);
}
static char *rcc_dumps(const void *o)
{
    return ec_reboot_cache_cluster_output_dumps_aws(o);
}
static json_t *dev_json(const void *o)
{
    return ec_describe_events_output_to_json(o, EC_JSON_AWS);
}
static char *dev_dumps(const void *o)
{
    return ec_describe_events_output_dumps_aws(o);
}
static json_t *drg_json(const void *o)
{
    return ec_describe_replication_groups_output_to_json(o, EC_JSON_AWS);
}
static char *drg_dumps(const void *o)
{
    return ec_describe_replication_groups_output_dumps_aws(o);
}
static json_t *mrg_json(const void *o)
{
    return ec_modify_replication_group_output_to_json(o, EC_JSON_AWS);
}
static char *mrg_dumps(const void *o)
{
    return ec_modify_replication_group_output_dumps_aws(o);
}

static const output_kind outputs[] = {
    {"DescribeCacheClusters", &ecp_shape_cache_cluster_message, dcc_json,
     dcc_dumps},
    {"RebootCacheCluster", &ecp_shape_reboot_cache_cluster_result, rcc_json,
     rcc_dumps},
    {"DescribeEvents", &ecp_shape_events_message, dev_json, dev_dumps},
    {"DescribeReplicationGroups", &ecp_shape_replication_group_message,
     drg_json, drg_dumps},
    {"ModifyReplicationGroup", &ecp_shape_modify_replication_group_result,
     mrg_json, mrg_dumps},
};
#define NOUTPUTS (sizeof(outputs) / sizeof(outputs[0]))

/* Both writers on `obj`: the same text, or NULL from both. Returns the
 * direct text (caller frees) for further checks. */
static char *agree(const output_kind *k, const void *obj, const char *label)
{
    json_t *j = k->to_json(obj);
    char *want = j ? ec_json_dumps_aws(j) : NULL;
    char *got = k->dumps(obj);

    json_decref(j);
    if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0)) {
        fprintf(
            stderr, "%s (%s): the writers differ\n--- tree\n%s--- direct\n%s",
            label, k->name, want ? want : "(NULL)\n", got ? got : "(NULL)\n");
        CHECK(0);
    } else {
        CHECK(1);
    }
    free(want);
    return got;
}

/* ---- the tables ---------------------------------------------------- */

static int max_depth;

static void walk_shape(const ecp_shape *s, int depth, size_t *seen_shapes)
{
    size_t i, j;

    (*seen_shapes)++;
    if (depth > max_depth)
        max_depth = depth;
    CHECK(s->count > 0 && s->count <= 64);
    for (i = 0; i < s->count; i++) {
        const ecp_member *m = &s->members[i];
        const char *p;

        /* The writer prints names as they are: letters and digits only. */
        CHECK(m->name[0] != '\0');
        for (p = m->name; *p; p++)
            CHECK((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                  (*p >= '0' && *p <= '9'));
        /* One member per JSON key and per XML element name: the streaming
         * parser gives an element to the member that names it, as the tree
         * walk looked each member's element up. */
        for (j = 0; j < i; j++) {
            CHECK(strcmp(s->members[j].name, m->name) != 0);
            CHECK(strcmp(ECP_XML_NAME(&s->members[j]), ECP_XML_NAME(m)) != 0);
        }
        if (m->kind == ECP_K_STRUCT || m->kind == ECP_K_LIST) {
            CHECK(m->shape != NULL);
            if (m->shape)
                walk_shape(m->shape, depth + 1, seen_shapes);
        }
    }
}

static void test_tables(void)
{
    size_t k, n = 0;

    for (k = 0; k < NOUTPUTS; k++)
        walk_shape(outputs[k].shape, 0, &n);
    CHECK(n > 40);
    /* The streaming parser's frame stack (xmlparse.c, MAX_FRAMES 32) holds
     * the envelope (2), two frames per nested list (the list, an item) and
     * a scalar's text: 2 + 2 * depth + 1 of them at most. */
    fprintf(stderr, "shapes nest %d deep\n", max_depth);
    CHECK(2 + 2 * max_depth + 1 <= 32);
}

/* ---- hand-built values ---------------------------------------------- */

static void test_strings(void)
{
    static const char *const ok[] = {
        "",
        "plain",
        "\"quoted\" and \\back\\slashed\\",
        "\t\n\r\b\f",
        "\x01\x02\x1f\x7f",
        "caf\xc3\xa9 \xe6\xbc\xa2 \xf0\x9f\x98\x80 \xe2\x80\xa8 \xc2\xa0",
        "\xef\xbf\xbf\xf4\x8f\xbf\xbf\xed\x9f\xbf\xee\x80\x80",
        "</script>&amp;<![CDATA[x]]>",
    };
    static const char *const bad[] = {
        "\xff",
        "a\xc0\x80",        /* overlong NUL */
        "\xc1\xbf",         /* overlong */
        "\xe0\x9f\xbf",     /* overlong 3-byte */
        "\xf0\x8f\xbf\xbf", /* overlong 4-byte */
        "\xed\xa0\x80",     /* surrogate */
        "\xf4\x90\x80\x80", /* above U+10FFFF */
        "\xf5\x80\x80\x80", /* no such lead byte */
        "x\xe2\x82",        /* cut short */
        "\x80",             /* continuation first */
        "ok \"then\" \xff", /* after an escape */
    };
    const output_kind *k = &outputs[2];
    ec_event ev = {0};
    ec_event *evp = &ev;
    ec_describe_events_output out = {0};
    size_t i;
    char *s;

    out.events = (ec_event_list){true, 1, &evp};
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        ev.message = (char *)ok[i];
        s = agree(k, &out, "string");
        CHECK(s != NULL);
        free(s);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ev.message = (char *)bad[i];
        s = agree(k, &out, "invalid UTF-8");
        CHECK(s == NULL);
        free(s);
    }
    ev.message = "m";
    out.marker = "\xc3";
    s = agree(k, &out, "invalid marker");
    CHECK(s == NULL);
    free(s);
    CHECK(ec_describe_events_output_dumps_aws(NULL) == NULL);
}

static void test_values(void)
{
    static const int64_t ints[] = {
        0, 1, -1, 42, INT64_MAX, INT64_MIN, -9223372036854775807LL};
    static const double reals[] = {0.0,  -0.0, 1.0,   45.5,      1e-07,
                                   1e16, 0.1,  1e300, -2.5e-300, 123456789.125};
    const output_kind *k = &outputs[0];
    ec_cache_cluster cl = {0}, *clp[3] = {NULL, &cl, NULL};
    ec_cache_node node = {0}, *nodes[2] = {&node, NULL};
    ec_describe_cache_clusters_output out = {0};
    char *ids[2] = {"0001", NULL};
    size_t i;
    char *s;

    /* Every list slot empty: the list prints [] either way. */
    out.cache_clusters = (ec_cache_cluster_list){true, 3, clp};
    clp[1] = NULL;
    s = agree(k, &out, "empty slots");
    CHECK_STR(s, "{\n    \"CacheClusters\": []\n}\n");
    free(s);
    clp[1] = &cl;
    s = agree(k, &out, "empty struct");
    CHECK_STR(s, "{\n    \"CacheClusters\": [\n        {}\n    ]\n}\n");
    free(s);

    for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        cl.num_cache_nodes = (ec_opt_int){true, ints[i]};
        s = agree(k, &out, "integer");
        CHECK(s != NULL);
        free(s);
    }
    cl.auto_minor_version_upgrade = (ec_opt_bool){true, true};
    cl.auth_token_enabled = (ec_opt_bool){true, false};
    cl.cache_nodes = (ec_cache_node_list){true, 2, nodes};
    node.cache_node_id = "0001";
    node.cache_node_create_time = (ec_time){true, 1673342142, 512000, 0};
    /* 0001-01-02T00:00:00Z, printed 23:59 behind UTC. */
    cl.cache_cluster_create_time =
        (ec_time){true, -62135596800LL + 86400, 1, -1439};
    s = agree(k, &out, "times");
    CHECK(s && strstr(s, "\"CacheClusterCreateTime\": "
                         "\"0001-01-01T00:01:00.000001-23:59\"") != NULL);
    free(s);
    /* Local times outside years 1..9999 are refused by both. */
    cl.cache_cluster_create_time = (ec_time){true, -62135596800LL, 0, -1};
    s = agree(k, &out, "year 0");
    CHECK(s == NULL);
    free(s);
    cl.cache_cluster_create_time = (ec_time){true, 253402300799LL, 0, 1};
    s = agree(k, &out, "year 10000");
    CHECK(s == NULL);
    free(s);
    cl.cache_cluster_create_time = (ec_time){true, 0, 0, 6000};
    s = agree(k, &out, "offset of 100 hours");
    CHECK(s && strstr(s, "+100:00\"") != NULL);
    free(s);
    cl.cache_cluster_create_time = (ec_time){true, 0, 1000000, 0};
    s = agree(k, &out, "bad microseconds");
    CHECK(s == NULL);
    free(s);
    cl.cache_cluster_create_time.usec = 0;

    /* String lists: empty, and a NULL item (refused by both). */
    cl.cache_parameter_group = &(ec_cache_parameter_group_status){0};
    cl.cache_parameter_group->cache_node_ids_to_reboot =
        (ec_strlist){true, 0, NULL};
    s = agree(k, &out, "empty string list");
    CHECK(s && strstr(s, "\"CacheNodeIdsToReboot\": []") != NULL);
    free(s);
    cl.cache_parameter_group->cache_node_ids_to_reboot =
        (ec_strlist){true, 1, ids};
    s = agree(k, &out, "string list");
    CHECK(s != NULL);
    free(s);
    cl.cache_parameter_group->cache_node_ids_to_reboot =
        (ec_strlist){true, 2, ids};
    s = agree(k, &out, "NULL string list item");
    CHECK(s == NULL);
    free(s);
    cl.cache_parameter_group = NULL;

    /* Doubles: Python's repr, and NaN/infinity refused by both. */
    {
        ec_slot_migration slot = {{true, 0.0}};
        ec_resharding_status rs = {&slot};
        ec_replication_group_pending_modified_values pmv = {0};
        ec_replication_group g = {0};
        ec_modify_replication_group_output mod = {0};

        pmv.resharding = &rs;
        g.pending_modified_values = &pmv;
        mod.replication_group = &g;
        for (i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
            slot.progress_percentage.value = reals[i];
            s = agree(&outputs[4], &mod, "double");
            CHECK(s != NULL);
            free(s);
        }
        slot.progress_percentage.value = NAN;
        s = agree(&outputs[4], &mod, "NaN");
        CHECK(s == NULL);
        free(s);
        slot.progress_percentage.value = -INFINITY;
        s = agree(&outputs[4], &mod, "infinity");
        CHECK(s == NULL);
        free(s);
    }
}

/* ---- random structs from the tables --------------------------------- */

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return x;
}

/* Probability of a value both writers refuse, per mille (0 most runs). */
static unsigned bad_permille;

static bool chance(unsigned permille)
{
    return rnd() % 1000 < permille;
}

static char *random_string(void)
{
    static const char *const pieces[] = {
        "a",
        "Z",
        "0",
        " ",
        "-",
        ":",
        "/",
        ".",
        "\"",
        "\\",
        "\n",
        "\t",
        "\r",
        "\b",
        "\f",
        "\x01",
        "\x1f",
        "\x7f",
        "\xc3\xa9",
        "\xe6\xbc\xa2",
        "\xf0\x9f\x98\x80",
        "\xe2\x80\xa8",
        "\xc2\xa0",
        "cache.t3.micro",
        "arn:aws:elasticache:us-east-1:123456789012:cluster:c"};
    static const char *const broken[] = {"\xff", "\xc0\x80", "\xed\xa0\x80",
                                         "\xf4\x90\x80\x80", "\xe2\x82"};
    size_t n = rnd() % 12, i;
    ecp_buf b = {0};
    char *s;

    ecp_buf_append(&b, "", 0);
    for (i = 0; i < n; i++) {
        const char *p = pieces[rnd() % (sizeof(pieces) / sizeof(pieces[0]))];

        if (chance(bad_permille))
            p = broken[rnd() % (sizeof(broken) / sizeof(broken[0]))];
        ecp_buf_append_str(&b, p);
    }
    s = ecp_buf_steal(&b);
    if (!s)
        abort();
    return s;
}

static void *random_struct(const ecp_shape *shape, int depth);

static void random_member(const ecp_member *m, void *obj, int depth)
{
    char *field = (char *)obj + m->offset;
    size_t n, i;

    switch (m->kind) {
    case ECP_K_STRING:
        ecp_member_ptr_set(obj, m, random_string());
        return;
    case ECP_K_INT: {
        static const int64_t edge[] = {0, -1, INT64_MAX, INT64_MIN};
        ec_opt_int v = {true, (int64_t)(rnd() % 100000) - 500};

        if (chance(100))
            v.value = edge[rnd() % 4];
        memcpy(field, &v, sizeof(v));
        return;
    }
    case ECP_K_BOOL: {
        ec_opt_bool v = {true, rnd() % 2 == 0};

        memcpy(field, &v, sizeof(v));
        return;
    }
    case ECP_K_TIME: {
        ec_time v = {0};

        v.set = true;
        v.sec = -62135596800LL + (int64_t)(rnd() % 315537897600ULL);
        v.usec = rnd() % 3 ? 0 : (int32_t)(rnd() % 1000000);
        v.offset_min = rnd() % 2 ? 0 : (int32_t)(rnd() % 2879) - 1439;
        if (chance(bad_permille))
            v.sec = rnd() % 2 ? -62135596800LL - 86400 : 253402300800LL;
        memcpy(field, &v, sizeof(v));
        return;
    }
    case ECP_K_DOUBLE: {
        ec_opt_double v = {true, 0.0};
        uint64_t bits = rnd();

        memcpy(&v.value, &bits, sizeof(v.value));
        if (!isfinite(v.value) && !chance(bad_permille * 10))
            v.value = (double)(rnd() % 10001) / 100.0;
        memcpy(field, &v, sizeof(v));
        return;
    }
    case ECP_K_STRUCT:
        if (depth < 12)
            ecp_member_ptr_set(obj, m, random_struct(m->shape, depth + 1));
        return;
    case ECP_K_STRLIST: {
        ec_strlist *l = (ec_strlist *)(void *)field;

        l->set = true;
        n = rnd() % 4;
        if (n == 0)
            return;
        l->items = calloc(n, sizeof(*l->items));
        if (!l->items)
            abort();
        for (i = 0; i < n; i++)
            l->items[i] = random_string();
        l->count = n;
        return;
    }
    case ECP_K_LIST: {
        void **items = NULL;

        n = depth < 12 ? rnd() % 4 : 0;
        if (n) {
            items = calloc(n, sizeof(*items));
            if (!items)
                abort();
            /* Now and then an empty slot (an item moved out). */
            for (i = 0; i < n; i++)
                items[i] =
                    chance(50) ? NULL : random_struct(m->shape, depth + 1);
        }
        ecp_member_list_set(obj, m, true, n, items);
        return;
    }
    }
}

static void *random_struct(const ecp_shape *shape, int depth)
{
    void *obj = calloc(1, shape->size);
    size_t i;

    if (!obj)
        abort();
    for (i = 0; i < shape->count; i++)
        if (rnd() % 3 != 0) /* each member present two times in three */
            random_member(&shape->members[i], obj, depth);
    return obj;
}

static void test_random(int rounds)
{
    int r, refused = 0, printed = 0;
    size_t bytes = 0;
    char label[64];

    for (r = 0; r < rounds; r++) {
        const output_kind *k = &outputs[r % NOUTPUTS];
        void *obj;
        char *s;

        bad_permille = r % 5 == 4 ? 3 : 0;
        obj = random_struct(k->shape, 0);
        snprintf(label, sizeof(label), "random %d", r);
        s = agree(k, obj, label);
        if (s) {
            printed++;
            bytes += strlen(s);
        } else {
            refused++;
        }
        free(s);
        ecp_shape_free(k->shape, obj);
    }
    fprintf(stderr, "random: %d printed (%zu bytes), %d refused by both\n",
            printed, bytes, refused);
    /* Both kinds of outcome were exercised. */
    CHECK(printed > rounds / 2);
    CHECK(refused > 0);
}

int main(int argc, char **argv)
{
    /* argv[1]: random rounds (fewer under valgrind). */
    int rounds = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 3000;

    test_tables();
    test_strings();
    test_values();
    test_random(rounds);
    return test_status("json.aws");
}
