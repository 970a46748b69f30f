/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation failures in reboot planning: fail the Nth allocation for
 * every N until planning succeeds; each run must fail cleanly with
 * EC_ERR_NOMEM and leave the plan empty (ASan/valgrind check for leaks). */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "waiter.h"

#include "allocfail.h"

int main(void)
{
    ec_cache_node nodes[3] = {{0}};
    ec_cache_node *node_ptrs[3] = {&nodes[0], &nodes[1], &nodes[2]};
    char *ids[] = {"0001", "0003"};
    ec_cache_parameter_group_status pg = {0};
    ec_cache_cluster cluster = {0};
    ec_event ev = {0};
    ec_event *evp = &ev;
    ec_event_list events = {0};
    ec_reboot_policy policy = EC_REBOOT_POLICY_INIT;
    const char *want[] = {"0003", "0002", "0001"};
    ec_cluster_status st = {0};
    long n;
    int ok = 0;

    cluster.cache_cluster_id = "demo";
    cluster.cache_cluster_status = "available";
    cluster.cache_nodes.set = true;
    cluster.cache_nodes.count = 3;
    cluster.cache_nodes.items = node_ptrs;
    cluster.cache_parameter_group = &pg;
    pg.cache_node_ids_to_reboot.set = true;
    pg.cache_node_ids_to_reboot.count = 2;
    pg.cache_node_ids_to_reboot.items = ids;
    nodes[0].cache_node_id = "0001";
    nodes[1].cache_node_id = "0002";
    nodes[2].cache_node_id = "0003";
    nodes[0].cache_node_status = "available";
    nodes[1].cache_node_status = "available";
    nodes[2].cache_node_status = "available";
    nodes[1].parameter_group_status = "pending-reboot";
    ev.source_identifier = "demo";
    ev.message = "Cache node 0001 restarted";
    ev.date.set = true;
    ev.date.sec = 2000;
    events.set = true;
    events.count = 1;
    events.items = &evp;
    policy.node_ids = want;
    policy.node_count = 3;
    policy.only_if_pending = true;
    policy.unless_rebooted_since.set = true;
    policy.unless_rebooted_since.sec = 1000;

    for (n = 0; n < 1000 && !ok; n++) {
        ec_reboot_plan *plan = NULL;
        ec_error err = {0};
        int rc;

        allocfail_arm(n + 1); /* n succeed, the next fails */
        rc = ec_reboot_plan_make(&cluster, &events, &policy, &plan, &err);
        allocfail_arm(0);
        if (rc == 0) {
            ok = 1;
            CHECK_INT(plan->decision, EC_DECIDE_REBOOT);
            CHECK_INT(plan->node_ids.count, 2);
            CHECK_INT(plan->skipped_node_ids.count, 1);
        } else {
            CHECK_INT(err.code, EC_ERR_NOMEM);
            CHECK(plan == NULL);
        }
        ec_reboot_plan_free(plan);
    }
    CHECK(ok);
    CHECK(n > 3); /* the failures were really injected */

    for (n = 0, ok = 0; n < 1000 && !ok; n++) {
        ec_error err = {0};
        allocfail_arm(n + 1); /* n succeed, the next fails */
        ok = ecp_cluster_status_from(&st, &cluster, &err) == 0;
        allocfail_arm(0);
        if (!ok)
            CHECK_INT(err.code, EC_ERR_NOMEM);
        ecp_cluster_status_clear(&st);
    }
    CHECK(ok);
    return test_status("plan_alloc");
}
