/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ecp_struct_import, the one place a caller's struct_size is read: callers
 * compiled against an older header (smaller struct), a newer one (larger),
 * and ones that forgot the init macro. A "library" with a grown struct is
 * simulated with a descriptor of our own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "testutil.h"

/* The struct as an old header had it, and as this "library" has it. */
typedef struct thing_v1 {
    uint32_t struct_size;
    const char *name;
    int count;
} thing_v1;

typedef struct thing_v2 {
    uint32_t struct_size;
    const char *name;
    int count;
    double added; /* appended in "v2" */
    const char *added_too;
} thing_v2;

static const ecp_struct_info thing_info = {
    "thing", "THING_INIT", sizeof(thing_v2),
    offsetof(thing_v1, count) + sizeof(int)};

static void test_older_caller(void)
{
    /* A v1 caller's struct, followed in memory by bytes that are not
     * zero: they are not the caller's, and must not be read. */
    unsigned char mem[sizeof(thing_v2) + 16];
    thing_v1 old = {sizeof(thing_v1), "x", 7};
    thing_v2 got;
    ec_error err = {0};

    memset(mem, 0xAA, sizeof(mem));
    memcpy(mem, &old, sizeof(old));
    CHECK_INT(ecp_struct_import(&thing_info, &got, mem, &err), 0);
    CHECK_INT(got.struct_size, sizeof(thing_v2));
    CHECK_STR(got.name, "x");
    CHECK_INT(got.count, 7);
    CHECK(got.added == 0.0);
    CHECK(got.added_too == NULL);
}

static void test_same_and_newer_caller(void)
{
    thing_v2 cur = {sizeof(thing_v2), "y", 3, 1.5, "z"}, got;
    /* A caller from a later version: larger, its extra members unset. */
    unsigned char newer[sizeof(thing_v2) + 24];
    uint32_t size = sizeof(newer);
    ec_error err = {0};

    CHECK_INT(ecp_struct_import(&thing_info, &got, &cur, &err), 0);
    CHECK(got.added == 1.5);
    CHECK_STR(got.added_too, "z");

    memset(newer, 0, sizeof(newer));
    memcpy(newer, &cur, sizeof(cur));
    memcpy(newer, &size, sizeof(size));
    CHECK_INT(ecp_struct_import(&thing_info, &got, newer, &err), 0);
    CHECK_STR(got.name, "y");
    CHECK_INT(got.struct_size, sizeof(thing_v2));

    /* ... with a member this library does not know set: refused. */
    newer[sizeof(thing_v2) + 3] = 1;
    CHECK_INT(ecp_struct_import(&thing_info, &got, newer, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "thing sets members this libelasticache") !=
          NULL);
    CHECK(strstr(err.message, "needs a newer libelasticache") != NULL);
    CHECK(strstr(err.message, ec_version()) != NULL);
}

static void test_unset_and_absurd(void)
{
    thing_v2 in = {0}, got;
    ec_error err = {0};

    in.name = "n";
    CHECK_INT(ecp_struct_import(&thing_info, &got, &in, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK_STR(err.message, "struct_size not set: initialise thing with "
                           "THING_INIT");
    /* Nothing of the caller's is kept when it is refused. */
    CHECK(got.name == NULL);

    ec_error_clear(&err);
    in.struct_size = 4; /* less than any published layout */
    CHECK_INT(ecp_struct_import(&thing_info, &got, &in, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "THING_INIT") != NULL);

    ec_error_clear(&err);
    in.struct_size = 0xdeadbeef; /* garbage, not a size */
    CHECK_INT(ecp_struct_import(&thing_info, &got, &in, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "no thing ever had") != NULL);

    /* NULL: every member at its default. */
    CHECK_INT(ecp_struct_import(&thing_info, &got, NULL, NULL), 0);
    CHECK_INT(got.struct_size, sizeof(thing_v2));
    CHECK(got.name == NULL && got.count == 0);
}

/* The real descriptors agree with the header's init macros. */
static void test_public_structs(void)
{
    ec_config cfg = EC_CONFIG_INIT;
    ec_reboot_options ro = EC_REBOOT_OPTIONS_INIT;
    ec_reboot_policy rp = EC_REBOOT_POLICY_INIT;
    ec_wait_options wo = EC_WAIT_OPTIONS_INIT;
    ec_probe_options po = EC_PROBE_OPTIONS_INIT;
    ec_probe_target pt = EC_PROBE_TARGET_INIT;
    ec_describe_cache_clusters_input dci =
        EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
    ec_reboot_cache_cluster_input rci = EC_REBOOT_CACHE_CLUSTER_INPUT_INIT;
    ec_describe_events_input dei = EC_DESCRIBE_EVENTS_INPUT_INIT;
    ec_describe_replication_groups_input drg =
        EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT;
    ec_modify_replication_group_input mrg =
        EC_MODIFY_REPLICATION_GROUP_INPUT_INIT;
    ec_group_reboot_options gro = EC_GROUP_REBOOT_OPTIONS_INIT;
    const struct {
        const ecp_struct_info *info;
        const void *init;
        uint32_t size;
        const char *name, *macro;
    } all[] = {
        {&ecp_info_config, &cfg, cfg.struct_size, "ec_config",
         "EC_CONFIG_INIT"},
        {&ecp_info_reboot_options, &ro, ro.struct_size, "ec_reboot_options",
         "EC_REBOOT_OPTIONS_INIT"},
        {&ecp_info_reboot_policy, &rp, rp.struct_size, "ec_reboot_policy",
         "EC_REBOOT_POLICY_INIT"},
        {&ecp_info_wait_options, &wo, wo.struct_size, "ec_wait_options",
         "EC_WAIT_OPTIONS_INIT"},
        {&ecp_info_probe_options, &po, po.struct_size, "ec_probe_options",
         "EC_PROBE_OPTIONS_INIT"},
        {&ecp_info_probe_target, &pt, pt.struct_size, "ec_probe_target",
         "EC_PROBE_TARGET_INIT"},
        {&ecp_info_describe_cache_clusters_input, &dci, dci.struct_size,
         "ec_describe_cache_clusters_input",
         "EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT"},
        {&ecp_info_reboot_cache_cluster_input, &rci, rci.struct_size,
         "ec_reboot_cache_cluster_input", "EC_REBOOT_CACHE_CLUSTER_INPUT_INIT"},
        {&ecp_info_describe_events_input, &dei, dei.struct_size,
         "ec_describe_events_input", "EC_DESCRIBE_EVENTS_INPUT_INIT"},
        {&ecp_info_describe_replication_groups_input, &drg, drg.struct_size,
         "ec_describe_replication_groups_input",
         "EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT"},
        {&ecp_info_modify_replication_group_input, &mrg, mrg.struct_size,
         "ec_modify_replication_group_input",
         "EC_MODIFY_REPLICATION_GROUP_INPUT_INIT"},
        {&ecp_info_group_reboot_options, &gro, gro.struct_size,
         "ec_group_reboot_options", "EC_GROUP_REBOOT_OPTIONS_INIT"},
    };
    unsigned char buf[1024];

    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        CHECK_STR(all[i].info->name, all[i].name);
        CHECK_STR(all[i].info->init, all[i].macro);
        CHECK_INT(all[i].info->size, all[i].size);
        CHECK(all[i].info->min_size <= all[i].info->size);
        CHECK(all[i].info->size <= sizeof(buf));
        CHECK_INT(ecp_struct_import(all[i].info, buf, all[i].init, NULL), 0);
    }
}

/* ec_reboot_options from a program built before the rolling members:
 * they read as zero (all at once, no primary allowed, no probe). */
static void test_reboot_options_before_rolling(void)
{
    ec_reboot_options old = EC_REBOOT_OPTIONS_INIT, got;

    memset(&got, 0xab, sizeof(got));
    old.struct_size = (uint32_t)(offsetof(ec_reboot_options, time_budget) +
                                 sizeof(old.time_budget));
    old.batch_size = 7; /* past the old size: never read */
    old.allow_primary_reboot = true;
    CHECK_INT(ecp_struct_import(&ecp_info_reboot_options, &got, &old, NULL), 0);
    CHECK_INT(got.batch_size, 0);
    CHECK(!got.allow_primary_reboot);
    CHECK(got.probe == NULL);
    CHECK_INT(got.struct_size, sizeof(ec_reboot_options));
}

int main(void)
{
    test_reboot_options_before_rolling();
    test_older_caller();
    test_same_and_newer_caller();
    test_unset_and_absurd();
    test_public_structs();
    return test_status("abi.import");
}
