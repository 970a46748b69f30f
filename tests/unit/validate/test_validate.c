/* SPDX-License-Identifier: Apache-2.0 */
/* Table of cache cluster, replication group and node ids: accepted (with
 * their stored form) or rejected (with the words the message must
 * contain). */
#include "testutil.h"
#include "util.h"

struct cluster_case {
    const char *id;
    const char *stored;  /* NULL: rejected */
    const char *message; /* substring of the message when rejected */
};

static const struct cluster_case cluster_cases[] = {
    {"demo-memcached", "demo-memcached", NULL},
    {"Demo-Memcached", "demo-memcached", NULL},
    {"a", "a", NULL},
    {"a1-b2-c3", "a1-b2-c3", NULL},
    {"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij",
     "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij", NULL},
    {"", NULL, "empty"},
    {"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijk", NULL,
     "51 characters long, the limit is 50"},
    {"1abc", NULL, "must start with a letter"},
    {"-abc", NULL, "must start with a letter"},
    {"abc--def", NULL, "two consecutive hyphens"},
    {"abc-", NULL, "must not end with a hyphen"},
    {"abc_def", NULL, "character 4 (0x5f) is not a letter, digit or hyphen"},
    {"abc def", NULL, "character 4 (0x20)"},
    {"caf\xc3\xa9", NULL, "character 4 (0xc3)"},
    {"abc.def", NULL, "not a letter, digit or hyphen"},
};

static const struct cluster_case group_cases[] = {
    {"rg-sessions", "rg-sessions", NULL},
    {"RG-Sessions", "rg-sessions", NULL},
    {"abcdefghijabcdefghijabcdefghijabcdefghij",
     "abcdefghijabcdefghijabcdefghijabcdefghij", NULL},
    {"", NULL, "Invalid replication group id: it is empty"},
    {"abcdefghijabcdefghijabcdefghijabcdefghijk", NULL,
     "41 characters long, the limit is 40"},
    {"1rg", NULL, "must start with a letter"},
    {"rg--a", NULL, "two consecutive hyphens"},
    {"rg-", NULL, "must not end with a hyphen"},
    {"rg.a", NULL, "Invalid replication group id \"rg.a\": character 3"},
};

struct node_case {
    const char *id;
    const char *message; /* NULL: accepted */
};

static const struct node_case node_cases[] = {
    {"0001", NULL},
    {"9999", NULL},
    {"", "empty"},
    {"001", "has 3 digits, it must have exactly 4"},
    {"00001", "has 5 digits"},
    {"000a", "must be 4 digits"},
    {"-001", "must be 4 digits"},
    {" 001", "must be 4 digits"},
};

int main(void)
{
    size_t i;
    char out[64];
    char small[4];
    ec_error err;

    for (i = 0; i < sizeof(cluster_cases) / sizeof(cluster_cases[0]); i++) {
        const struct cluster_case *c = &cluster_cases[i];
        int rc;

        ec_error_clear(&err);
        rc = ec_validate_cache_cluster_id(c->id, out, sizeof(out), &err);
        if (c->stored) {
            CHECK_INT(rc, 0);
            CHECK_STR(out, c->stored);
        } else {
            CHECK_INT(rc, -1);
            CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
            if (!strstr(err.message, c->message))
                fprintf(stderr, "case %zu: message \"%s\"\n", i, err.message);
            CHECK(strstr(err.message, c->message) != NULL);
        }
    }
    ec_error_clear(&err);
    CHECK_INT(ec_validate_cache_cluster_id(NULL, out, sizeof(out), &err), -1);
    CHECK_INT(ec_validate_cache_cluster_id("abc", NULL, 0, NULL), 0);
    ec_error_clear(&err);
    CHECK_INT(ec_validate_cache_cluster_id("abcd", small, sizeof(small), &err),
              -1);
    CHECK_INT(err.code, EC_ERR_INTERNAL);

    for (i = 0; i < sizeof(group_cases) / sizeof(group_cases[0]); i++) {
        const struct cluster_case *c = &group_cases[i];
        int rc;

        ec_error_clear(&err);
        rc = ec_validate_replication_group_id(c->id, out, sizeof(out), &err);
        if (c->stored) {
            CHECK_INT(rc, 0);
            CHECK_STR(out, c->stored);
        } else {
            CHECK_INT(rc, -1);
            CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
            if (!strstr(err.message, c->message))
                fprintf(stderr, "group case %zu: message \"%s\"\n", i,
                        err.message);
            CHECK(strstr(err.message, c->message) != NULL);
        }
    }
    ec_error_clear(&err);
    CHECK_INT(ec_validate_replication_group_id(NULL, NULL, 0, &err), -1);
    CHECK(strstr(err.message, "1 to 40") != NULL);
    CHECK_INT(ec_validate_replication_group_id("rg", NULL, 0, NULL), 0);

    for (i = 0; i < sizeof(node_cases) / sizeof(node_cases[0]); i++) {
        const struct node_case *c = &node_cases[i];
        int rc;

        ec_error_clear(&err);
        rc = ec_validate_cache_node_id(c->id, &err);
        if (!c->message) {
            CHECK_INT(rc, 0);
        } else {
            CHECK_INT(rc, -1);
            CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
            if (!strstr(err.message, c->message))
                fprintf(stderr, "node case %zu: message \"%s\"\n", i,
                        err.message);
            CHECK(strstr(err.message, c->message) != NULL);
        }
    }
    CHECK_INT(ec_validate_cache_node_id(NULL, NULL), -1);
    return test_status("validate");
}
