/* SPDX-License-Identifier: Apache-2.0 */
/* Reboot-planning helpers without a case-folder form: restart-event
 * matching, time arithmetic, decision texts, argument checks. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "waiter.h"

static ec_event event(const char *src, const char *msg, int64_t sec)
{
    ec_event ev = {0};

    ev.source_identifier = (char *)src;
    ev.source_type = (char *)"cache-cluster";
    ev.message = (char *)msg;
    ev.date.set = true;
    ev.date.sec = sec;
    return ev;
}

static void test_event_matching(void)
{
    ec_time since = {.set = true, .sec = 1000};
    ec_event ev;
    char id[16];

    ev = event("Demo", "Cache node 0001 restarted", 1000);
    CHECK(ecp_event_node_restarted(&ev, "demo", since, id, sizeof(id)));
    CHECK_STR(id, "0001");
    ev = event("demo", "Cache node 0001 restarted", 999);
    CHECK(!ecp_event_node_restarted(&ev, "demo", since, id, sizeof(id)));
    ev.date.usec = 0;
    since.set = false;
    CHECK(ecp_event_node_restarted(&ev, "demo", since, id, sizeof(id)));
    since.set = true;
    ev = event("demo", "Cache node 0001 shutdown", 2000);
    CHECK(!ecp_event_node_restarted(&ev, "demo", since, id, sizeof(id)));
    ev = event("demo", "Cache node  restarted", 2000);
    CHECK(!ecp_event_node_restarted(&ev, "demo", since, id, sizeof(id)));
    ev = event("demo2", "Cache node 0001 restarted", 2000);
    CHECK(!ecp_event_node_restarted(&ev, "demo", since, id, sizeof(id)));
    ev = event("demo", "Cache node 0001 restarted", 2000);
    ev.source_type = (char *)"replication-group";
    CHECK(!ecp_event_node_restarted(&ev, "demo", since, id, sizeof(id)));
    ev = event("demo", "Cache node 0001 restarted", 2000);
    ev.date.set = false;
    CHECK(!ecp_event_node_restarted(&ev, "demo", since, id, sizeof(id)));
    /* The id must fit the caller's buffer. */
    ev = event("demo", "Cache node 0001 restarted", 2000);
    CHECK(!ecp_event_node_restarted(&ev, "demo", since, id, 4));
}

static void test_time(void)
{
    ec_time t = {.set = true, .sec = 100, .usec = 900000};
    ec_time u = ecp_time_add(t, -2.0);

    CHECK_INT(u.sec, 98);
    CHECK_INT(u.usec, 900000);
    u = ecp_time_add(t, 0.2);
    CHECK_INT(u.sec, 101);
    CHECK_INT(u.usec, 100000);
    u = ecp_time_add(t, -0.95);
    CHECK_INT(u.sec, 99);
    CHECK_INT(u.usec, 950000);
    CHECK(ecp_time_sub(t, u) > 0.94 && ecp_time_sub(t, u) < 0.96);
}

static void test_decision_text(void)
{
    CHECK_STR(ec_reboot_decision_str(EC_DECIDE_REBOOT), "reboot");
    CHECK_STR(ec_reboot_decision_str(EC_DECIDE_NOTHING_PENDING),
              "nothing pending reboot");
    CHECK_STR(ec_reboot_decision_str(EC_DECIDE_ALREADY_REBOOTING),
              "already rebooting");
    CHECK_STR(ec_reboot_decision_str(EC_DECIDE_RECENTLY_REBOOTED),
              "recently rebooted");
    CHECK_STR(ec_reboot_decision_str(EC_DECIDE_BUSY), "cluster busy");
    CHECK_STR(ec_reboot_decision_str(EC_DECIDE_UNSUPPORTED), "unsupported");
    CHECK_STR(ec_reboot_decision_str((ec_reboot_decision)99),
              "unknown decision");
}

static void test_arguments(void)
{
    ec_cache_cluster cluster = {0};
    ec_cache_node node = {0};
    ec_cache_node *nodep = &node;
    ec_reboot_policy policy = EC_REBOOT_POLICY_INIT;
    ec_reboot_plan *plan = NULL;
    ec_error err = {0};

    CHECK_INT(ec_reboot_plan_make(NULL, NULL, NULL, &plan, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK(plan == NULL);

    cluster.cache_cluster_id = (char *)"demo";
    cluster.cache_cluster_status = (char *)"available";
    cluster.cache_nodes.set = true;
    cluster.cache_nodes.count = 1;
    cluster.cache_nodes.items = &nodep;
    node.cache_node_id = (char *)"0001";
    node.cache_node_status = (char *)"available";

    /* A NULL policy means every node. */
    ec_error_clear(&err);
    CHECK_INT(ec_reboot_plan_make(&cluster, NULL, NULL, &plan, &err), 0);
    CHECK_INT(plan->decision, EC_DECIDE_REBOOT);
    CHECK_INT(plan->node_ids.count, 1);
    ec_reboot_plan_free(plan);
    plan = NULL;

    policy.node_count = 2;
    CHECK_INT(ec_reboot_plan_make(&cluster, NULL, &policy, &plan, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK(plan == NULL);

    /* A policy without struct_size is refused, and says how to fix it. */
    ec_error_clear(&err);
    policy.struct_size = 0;
    policy.node_count = 0;
    CHECK_INT(ec_reboot_plan_make(&cluster, NULL, &policy, &plan, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK_STR(err.message, "struct_size not set: initialise ec_reboot_policy "
                           "with EC_REBOOT_POLICY_INIT");
    CHECK(plan == NULL);
}

static void test_status_copy(void)
{
    ec_cache_cluster cluster = {0};
    ec_cache_node nodes[2] = {{0}};
    ec_cache_node *node_ptrs[2] = {&nodes[0], &nodes[1]};
    ec_cluster_status st = {0};

    cluster.cache_cluster_status = (char *)"available";
    cluster.cache_nodes.set = true;
    cluster.cache_nodes.count = 2;
    cluster.cache_nodes.items = node_ptrs;
    nodes[0].cache_node_id = (char *)"0001";
    nodes[0].cache_node_status = (char *)"rebooting";
    nodes[1].cache_node_id = (char *)"0002";
    nodes[1].parameter_group_status = (char *)"pending-reboot";
    CHECK_INT(ecp_cluster_status_from(&st, &cluster, NULL), 0);
    CHECK_STR(st.cache_cluster_status, "available");
    CHECK_INT(st.node_count, 2);
    CHECK_STR(st.nodes[0]->cache_node_status, "rebooting");
    CHECK(st.nodes[1]->cache_node_status == NULL);
    CHECK_STR(st.nodes[1]->parameter_group_status, "pending-reboot");
    ecp_cluster_status_clear(&st);
    CHECK(st.nodes == NULL);
}

/* The one id joiner every message uses. */
static void test_join(void)
{
    char *three[] = {"0001", "0002", "0003"};
    ec_strlist l = {true, 3, three};
    char buf[64], small[12];

    CHECK_INT(ec_strlist_join(&l, ", ", buf, sizeof(buf)), 16);
    CHECK_STR(buf, "0001, 0002, 0003");
    ec_strlist_join(&l, ",", buf, sizeof(buf));
    CHECK_STR(buf, "0001,0002,0003");
    ec_strlist_join(&l, NULL, buf, sizeof(buf));
    CHECK_STR(buf, "0001, 0002, 0003");
    /* Cut: the end says so, and the text stays within the buffer. */
    CHECK_INT(ec_strlist_join(&l, ", ", small, sizeof(small)), 11);
    CHECK_STR(small, "0001, 00...");
    ec_strlist_join(NULL, ", ", buf, sizeof(buf));
    CHECK_STR(buf, "");
    l.count = 0;
    ec_strlist_join(&l, ", ", buf, sizeof(buf));
    CHECK_STR(buf, "");
    CHECK_INT(ec_strlist_join(&l, ", ", NULL, 0), 0);
}

int main(void)
{
    test_join();
    test_event_matching();
    test_time();
    test_decision_text();
    test_arguments();
    test_status_copy();
    return test_status("plan_unit");
}
