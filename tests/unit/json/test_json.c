/* SPDX-License-Identifier: Apache-2.0 */
/* JSON rendering: ec_snake_case against a table made with Ansible's own
 * _camel_to_snake, the serialiser against Python's json.dumps(indent=4,
 * ensure_ascii=False), and the struct renderers on hand-built structs. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util.h"

static void test_snake_table(void)
{
    char *data = NULL, *line, *next, *tab;
    char buf[256];
    size_t len, n = 0;
    ec_error err = {0};

    if (ecp_read_file(EC_JSON_DIR "/snake_cases.txt", 1 << 20, &data, &len,
                      &err) != 0) {
        fprintf(stderr, "%s\n", err.message);
        CHECK(0);
        return;
    }
    for (line = data; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        tab = strchr(line, '\t');
        CHECK(tab != NULL);
        if (!tab)
            continue;
        *tab = '\0';
        CHECK_INT(ec_snake_case(line, buf, sizeof(buf)),
                  (long long)strlen(tab + 1));
        CHECK_STR(buf, tab + 1);
        n++;
    }
    CHECK(n > 300);
    free(data);
}

static void test_snake_api(void)
{
    char small[4];

    /* snprintf semantics: the full length, a truncated NUL-ended copy. */
    CHECK_INT(ec_snake_case("CacheClusterId", small, sizeof(small)), 16);
    CHECK_STR(small, "cac");
    CHECK_INT(ec_snake_case("CacheClusterId", NULL, 0), 16);
    CHECK_INT(ec_snake_case(NULL, small, sizeof(small)), -1);
}

static void test_dumps(void)
{
    json_error_t jerr;
    json_t *in = json_load_file(EC_JSON_DIR "/dumps_input.json", 0, &jerr);
    char *want = NULL, *got;
    size_t len;

    CHECK(in != NULL);
    if (!in) {
        fprintf(stderr, "%s\n", jerr.text);
        return;
    }
    CHECK_INT(ecp_read_file(EC_JSON_DIR "/dumps_expected.txt", 1 << 20, &want,
                            &len, NULL),
              0);
    got = ec_json_dumps_aws(in);
    CHECK_STR(got, want);
    free(got);
    free(want);
    json_decref(in);
    CHECK(ec_json_dumps_aws(NULL) == NULL);

    in = json_object();
    got = ec_json_dumps_aws(in);
    CHECK_STR(got, "{}\n");
    free(got);
    json_decref(in);
    in = json_string("x");
    got = ec_json_dumps_aws(in);
    CHECK_STR(got, "\"x\"\n");
    free(got);
    json_decref(in);
}

static char *render(json_t *j)
{
    char *s = ec_json_dumps_aws(j);

    json_decref(j);
    return s;
}

static void test_renderers(void)
{
    ec_event ev[2] = {{0}};
    ec_event *evp[2] = {&ev[0], &ev[1]};
    ec_describe_events_output out = {0};
    ec_reboot_cache_cluster_output rb = {0};
    ec_cache_cluster cl = {0};
    char *s;

    ev[0].source_identifier = "c1";
    ev[0].message = "Cache node 0001 restarted";
    ev[0].date.set = true;
    ev[0].date.sec = 1673342142;
    ev[0].date.usec = 512000;
    out.events.set = true;
    out.events.count = 2;
    out.events.items = evp;
    out.request_id = "never printed";
    s = render(ec_describe_events_output_to_json(&out, EC_JSON_AWS));
    CHECK_STR(s, "{\n"
                 "    \"Events\": [\n"
                 "        {\n"
                 "            \"SourceIdentifier\": \"c1\",\n"
                 "            \"Message\": \"Cache node 0001 restarted\",\n"
                 "            \"Date\": \"2023-01-10T09:15:42.512000+00:00\"\n"
                 "        },\n"
                 "        {}\n"
                 "    ]\n"
                 "}\n");
    free(s);
    out.marker = "m";
    s = render(ec_describe_events_output_to_json(&out, EC_JSON_SNAKE));
    CHECK(s && strncmp(s,
                       "{\n    \"marker\": \"m\",\n    \"events\": [\n"
                       "        {\n            \"source_identifier\"",
                       70) == 0);
    free(s);

    /* Absent members are left out; set-but-empty lists print []. */
    cl.arn = "arn:x";
    cl.replication_group_log_delivery_enabled.set = true;
    cl.cache_nodes.set = true;
    rb.cache_cluster = &cl;
    s = render(ec_reboot_cache_cluster_output_to_json(&rb, EC_JSON_SNAKE));
    CHECK_STR(s, "{\n"
                 "    \"cache_cluster\": {\n"
                 "        \"cache_nodes\": [],\n"
                 "        \"arn\": \"arn:x\",\n"
                 "        \"replication_group_log_delivery_enabled\": false\n"
                 "    }\n"
                 "}\n");
    free(s);
    rb.cache_cluster = NULL;
    s = render(ec_reboot_cache_cluster_output_to_json(&rb, EC_JSON_AWS));
    CHECK_STR(s, "{}\n");
    free(s);

    CHECK(ec_cache_cluster_to_json(NULL, EC_JSON_AWS) == NULL);
    CHECK(ec_cache_node_to_json(NULL, EC_JSON_AWS) == NULL);
    CHECK(ec_describe_cache_clusters_output_to_json(NULL, EC_JSON_AWS) == NULL);
    CHECK(ec_describe_events_output_to_json(NULL, EC_JSON_AWS) == NULL);
    CHECK(ec_reboot_cache_cluster_output_to_json(NULL, EC_JSON_AWS) == NULL);
}

/* The reboot outcome: both styles, every key, the stable decision name. */
static void test_reboot_result(void)
{
    char *ids[] = {"0002"};
    ec_node_status before_nodes[] = {{"0001", "available", "in-sync"},
                                     {"0002", "available", "pending-reboot"}};
    ec_node_status after_nodes[] = {{"0001", "available", "in-sync"},
                                    {"0002", "rebooting", NULL}};
    ec_node_status *before_ptrs[] = {&before_nodes[0], &before_nodes[1]};
    ec_node_status *after_ptrs[] = {&after_nodes[0], &after_nodes[1]};
    ec_cluster_status before = {0}, after = {0};
    ec_cache_cluster cluster = {0};
    ec_reboot_result r = {0};
    json_t *j;
    char *text;

    r.changed = true;
    r.decision = EC_DECIDE_REBOOT;
    r.rebooted_node_ids.set = true;
    r.rebooted_node_ids.count = 1;
    r.rebooted_node_ids.items = ids;
    before.cache_cluster_status = "available";
    before.node_count = 2;
    before.nodes = before_ptrs;
    after.cache_cluster_status = "rebooting cache cluster nodes";
    after.node_count = 2;
    after.nodes = after_ptrs;
    cluster.cache_cluster_id = "demo";
    r.before = &before;
    r.after = &after;
    r.cluster = &cluster;
    snprintf(r.message, sizeof(r.message), "rebooting 0002");

    j = ec_reboot_result_to_json(&r, false, EC_JSON_AWS);
    text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    CHECK_STR(
        text,
        "{\"Changed\":true,\"DryRun\":false,\"Decision\":\"reboot\","
        "\"Message\":\"rebooting 0002\",\"RebootedNodeIds\":[\"0002\"],"
        "\"Before\":{\"CacheClusterStatus\":\"available\",\"CacheNodes\":"
        "[{\"CacheNodeId\":\"0001\",\"CacheNodeStatus\":\"available\","
        "\"ParameterGroupStatus\":\"in-sync\"},{\"CacheNodeId\":\"0002\","
        "\"CacheNodeStatus\":\"available\",\"ParameterGroupStatus\":"
        "\"pending-reboot\"}]},\"After\":{\"CacheClusterStatus\":"
        "\"rebooting cache cluster nodes\",\"CacheNodes\":[{\"CacheNodeId\":"
        "\"0001\",\"CacheNodeStatus\":\"available\",\"ParameterGroupStatus\":"
        "\"in-sync\"},{\"CacheNodeId\":\"0002\",\"CacheNodeStatus\":"
        "\"rebooting\"}]},\"Steps\":[],\"CacheCluster\":{\"CacheClusterId\":"
        "\"demo\"}}");
    free(text);
    json_decref(j);

    r.changed = false;
    r.decision = EC_DECIDE_NOTHING_PENDING;
    j = ec_reboot_result_to_json(&r, true, EC_JSON_SNAKE);
    CHECK(json_is_true(json_object_get(j, "dry_run")));
    CHECK_STR(json_string_value(json_object_get(j, "decision")),
              "nothing-pending");
    CHECK(json_is_array(json_object_get(j, "rebooted_node_ids")));
    CHECK_STR(json_string_value(json_object_get(
                  json_array_get(json_object_get(json_object_get(j, "before"),
                                                 "cache_nodes"),
                                 1),
                  "parameter_group_status")),
              "pending-reboot");
    CHECK_STR(json_string_value(json_object_get(
                  json_object_get(j, "cache_cluster"), "cache_cluster_id")),
              "demo");
    json_decref(j);
    CHECK(ec_reboot_result_to_json(NULL, false, EC_JSON_AWS) == NULL);
}

/* The Ansible module's result: keys, the diff keyed by node id, and check
 * mode's prediction of "after". */
static void test_ansible_result(void)
{
    char *ids[] = {"0002"};
    ec_node_status before_nodes[] = {{"0001", "available", "in-sync"},
                                     {"0002", "available", "pending-reboot"}};
    ec_node_status *before_ptrs[] = {&before_nodes[0], &before_nodes[1]};
    ec_cluster_status before = {"available", 2, before_ptrs}, after = {0};
    ec_cache_cluster cluster = {0};
    ec_reboot_result r = {0};
    json_t *j;
    char *text;

    r.changed = true;
    r.decision = EC_DECIDE_REBOOT;
    r.rebooted_node_ids = (ec_strlist){true, 1, ids};
    r.before = &before;
    r.after = &after;
    r.cluster = &cluster;
    r.check_mode = true;
    r.wait = true;
    j = ec_reboot_result_to_ansible_json(&r, true);
    text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    CHECK_STR(text,
              "{\"changed\":true,\"msg\":\"reboot\",\"rebooted_node_ids\":"
              "[\"0002\"],\"cache_cluster\":{},\"steps\":[],\"diff\":{"
              "\"before\":{"
              "\"cache_cluster_status\":\"available\",\"cache_nodes\":{"
              "\"0001\":{\"cache_node_status\":\"available\","
              "\"parameter_group_status\":\"in-sync\",\"rebooted\":false},"
              "\"0002\":{\"cache_node_status\":\"available\","
              "\"parameter_group_status\":\"pending-reboot\",\"rebooted\":"
              "false}}},\"after\":{\"cache_cluster_status\":\"available\","
              "\"cache_nodes\":{\"0001\":{\"cache_node_status\":"
              "\"available\",\"parameter_group_status\":\"in-sync\","
              "\"rebooted\":false},\"0002\":{\"cache_node_status\":"
              "\"available\",\"parameter_group_status\":\"in-sync\","
              "\"rebooted\":true}}}},\"response_metadata\":{\"request_id\":"
              "null}}");
    free(text);
    json_decref(j);

    /* Check mode without waiting: the nodes would be rebooting. */
    r.wait = false;
    j = ec_reboot_result_to_ansible_json(&r, true);
    CHECK_STR(json_string_value(json_object_get(
                  json_object_get(json_object_get(j, "diff"), "after"),
                  "cache_cluster_status")),
              "rebooting cache cluster nodes");
    CHECK_STR(json_string_value(json_object_get(
                  json_object_get(
                      json_object_get(
                          json_object_get(json_object_get(j, "diff"), "after"),
                          "cache_nodes"),
                      "0002"),
                  "cache_node_status")),
              "rebooting");
    CHECK_STR(json_string_value(json_object_get(
                  json_object_get(
                      json_object_get(
                          json_object_get(json_object_get(j, "diff"), "after"),
                          "cache_nodes"),
                      "0002"),
                  "parameter_group_status")),
              "pending-reboot");
    json_decref(j);

    /* A real run: after is what was read; no diff unless asked. */
    r.check_mode = false;
    after.cache_cluster_status = "rebooting cache cluster nodes";
    r.request_id = "rid-1";
    snprintf(r.message, sizeof(r.message), "rebooting node 0002");
    j = ec_reboot_result_to_ansible_json(&r, false);
    CHECK(json_object_get(j, "diff") == NULL);
    CHECK_STR(json_string_value(json_object_get(j, "msg")),
              "rebooting node 0002");
    CHECK_STR(json_string_value(json_object_get(
                  json_object_get(j, "response_metadata"), "request_id")),
              "rid-1");
    json_decref(j);
    j = ec_reboot_result_to_ansible_json(&r, true);
    CHECK_STR(json_string_value(json_object_get(
                  json_object_get(json_object_get(j, "diff"), "after"),
                  "cache_cluster_status")),
              "rebooting cache cluster nodes");
    json_decref(j);
    CHECK(ec_reboot_result_to_ansible_json(NULL, true) == NULL);

    CHECK_STR(ec_reboot_decision_name(EC_DECIDE_NOTHING_PENDING),
              "nothing-pending");
    CHECK_STR(ec_reboot_decision_name(EC_DECIDE_UNSUPPORTED), "unsupported");
    CHECK_STR(ec_reboot_decision_name((ec_reboot_decision)42), "unknown");
}

/* A replication group built by hand: model order, both styles, doubles
 * printed as Python's repr, the member lookup. */
static void test_replication_group(void)
{
    ec_endpoint ep = {"10.0.0.1", {true, 6379}};
    ec_node_group_member m[2] = {{0}};
    ec_node_group_member *mp[2] = {&m[0], &m[1]};
    ec_node_group ng = {0};
    ec_node_group *ngp[1] = {&ng};
    ec_slot_migration slot = {{true, 100.0}};
    ec_resharding_status rs = {&slot};
    ec_replication_group_pending_modified_values pmv = {0};
    ec_replication_group g = {0};
    ec_replication_group *gp[1] = {&g};
    ec_describe_replication_groups_output out = {0};
    ec_modify_replication_group_output mod = {0};
    const ec_node_group *found_in = NULL;
    char *text;
    static const double values[] = {45.5, 1e-07, -0.0, 1e16, 0.1};
    static const char *const reprs[] = {"45.5", "1e-07", "-0.0", "1e+16",
                                        "0.1"};

    m[0].cache_cluster_id = "rg-001";
    m[0].current_role = "primary";
    m[1].cache_cluster_id = "rg-002";
    m[1].read_endpoint = &ep;
    m[1].current_role = "replica";
    ng.node_group_id = "0001";
    ng.node_group_members = (ec_node_group_member_list){true, 2, mp};
    pmv.resharding = &rs;
    g.replication_group_id = "rg";
    g.pending_modified_values = &pmv;
    g.node_groups = (ec_node_group_list){true, 1, ngp};
    g.multi_az = "enabled";
    g.cluster_enabled = (ec_opt_bool){true, false};
    text = render(ec_replication_group_to_json(&g, EC_JSON_AWS));
    CHECK_STR(text, "{\n"
                    "    \"ReplicationGroupId\": \"rg\",\n"
                    "    \"PendingModifiedValues\": {\n"
                    "        \"Resharding\": {\n"
                    "            \"SlotMigration\": {\n"
                    "                \"ProgressPercentage\": 100.0\n"
                    "            }\n"
                    "        }\n"
                    "    },\n"
                    "    \"NodeGroups\": [\n"
                    "        {\n"
                    "            \"NodeGroupId\": \"0001\",\n"
                    "            \"NodeGroupMembers\": [\n"
                    "                {\n"
                    "                    \"CacheClusterId\": \"rg-001\",\n"
                    "                    \"CurrentRole\": \"primary\"\n"
                    "                },\n"
                    "                {\n"
                    "                    \"CacheClusterId\": \"rg-002\",\n"
                    "                    \"ReadEndpoint\": {\n"
                    "                        \"Address\": \"10.0.0.1\",\n"
                    "                        \"Port\": 6379\n"
                    "                    },\n"
                    "                    \"CurrentRole\": \"replica\"\n"
                    "                }\n"
                    "            ]\n"
                    "        }\n"
                    "    ],\n"
                    "    \"MultiAZ\": \"enabled\",\n"
                    "    \"ClusterEnabled\": false\n"
                    "}\n");
    free(text);
    /* amazon.aws's names: MultiAZ -> multi_az, ProgressPercentage. */
    out.replication_groups = (ec_replication_group_list){true, 1, gp};
    out.marker = "m";
    text = render(
        ec_describe_replication_groups_output_to_json(&out, EC_JSON_SNAKE));
    CHECK(text && strstr(text, "\"multi_az\": \"enabled\"") &&
          strstr(text, "\"progress_percentage\": 100.0") &&
          strstr(text, "\"current_role\": \"replica\"") &&
          strncmp(text,
                  "{\n    \"marker\": \"m\",\n    "
                  "\"replication_groups\": [",
                  44) == 0);
    free(text);
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        char want[64];

        slot.progress_percentage.value = values[i];
        mod.replication_group = &g;
        text = render(
            ec_modify_replication_group_output_to_json(&mod, EC_JSON_AWS));
        snprintf(want, sizeof(want), "\"ProgressPercentage\": %s\n", reprs[i]);
        CHECK(text && strstr(text, want));
        free(text);
    }
    mod.replication_group = NULL;
    text =
        render(ec_modify_replication_group_output_to_json(&mod, EC_JSON_AWS));
    CHECK_STR(text, "{}\n");
    free(text);

    /* The member lookup: any case, every node group, the group found. */
    CHECK(ec_replication_group_find_member(&g, "RG-002", &found_in) == &m[1]);
    CHECK(found_in == &ng);
    CHECK(ec_replication_group_find_member(&g, "rg-003", &found_in) == NULL);
    CHECK(found_in == NULL);
    CHECK(ec_replication_group_find_member(NULL, "rg-001", NULL) == NULL);
    CHECK(ec_replication_group_find_member(&g, NULL, NULL) == NULL);

    CHECK(ec_replication_group_to_json(NULL, EC_JSON_AWS) == NULL);
    CHECK(ec_describe_replication_groups_output_to_json(NULL, EC_JSON_AWS) ==
          NULL);
    CHECK(ec_modify_replication_group_output_to_json(NULL, EC_JSON_AWS) ==
          NULL);
    CHECK(ec_replication_group_dup(NULL) == NULL);
    ec_replication_group_free(NULL);
    ec_describe_replication_groups_output_free(NULL);
    ec_modify_replication_group_output_free(NULL);
}

/* Steps: every member in both styles, members absent where they do not
 * apply, "Started"/"Seconds" only once started. */
static void test_steps(void)
{
    char *nodes[] = {"0001", "0002"};
    ec_reboot_step reboot = {0}, move = {0}, off = {0};
    ec_reboot_step *items[] = {&reboot, &off, &move};
    ec_reboot_step_list l = {true, 3, items};
    json_t *j;
    char *text;

    reboot.action = EC_STEP_REBOOT;
    reboot.state = EC_STEP_DONE;
    reboot.cache_cluster_id = "demo";
    reboot.cache_node_ids = (ec_strlist){true, 2, nodes};
    reboot.started = 0.5;
    reboot.seconds = 30;
    reboot.request_id = "rid";
    reboot.message = "rebooted";
    off.action = EC_STEP_DISABLE_FAILOVER;
    off.state = EC_STEP_FAILED;
    off.replication_group_id = "rg";
    off.automatic_failover = (ec_opt_bool){true, false};
    off.multi_az = (ec_opt_bool){true, false};
    off.started = 31;
    off.seconds = 2;
    move.action = EC_STEP_MOVE_PRIMARY;
    move.state = EC_STEP_PLANNED;
    move.cache_cluster_id = "rg-002";
    move.replication_group_id = "rg";
    move.previous_primary_id = "rg-001";
    move.started = -1;

    j = ec_reboot_steps_to_json(&l, EC_JSON_AWS);
    text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    CHECK_STR(text,
              "[{\"Action\":\"reboot\",\"State\":\"done\",\"CacheClusterId\":"
              "\"demo\",\"CacheNodeIds\":[\"0001\",\"0002\"],\"Started\":0.5,"
              "\"Seconds\":30.0,\"RequestId\":\"rid\",\"Message\":"
              "\"rebooted\"},{\"Action\":\"disable-failover\",\"State\":"
              "\"failed\",\"ReplicationGroupId\":\"rg\",\"AutomaticFailover\":"
              "false,\"MultiAZ\":false,\"Started\":31.0,\"Seconds\":2.0},"
              "{\"Action\":\"move-primary\",\"State\":\"planned\","
              "\"CacheClusterId\":\"rg-002\",\"ReplicationGroupId\":\"rg\","
              "\"PreviousPrimaryId\":\"rg-001\"}]");
    free(text);
    json_decref(j);
    j = ec_reboot_steps_to_json(&l, EC_JSON_SNAKE);
    text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    CHECK_STR(
        text,
        "[{\"action\":\"reboot\",\"state\":\"done\",\"cache_cluster_id\":"
        "\"demo\",\"cache_node_ids\":[\"0001\",\"0002\"],\"started\":0.5,"
        "\"seconds\":30.0,\"request_id\":\"rid\",\"message\":"
        "\"rebooted\"},{\"action\":\"disable-failover\",\"state\":"
        "\"failed\",\"replication_group_id\":\"rg\","
        "\"automatic_failover\":false,\"multi_az\":false,\"started\":31.0,"
        "\"seconds\":2.0},{\"action\":\"move-primary\",\"state\":"
        "\"planned\",\"cache_cluster_id\":\"rg-002\","
        "\"replication_group_id\":\"rg\",\"previous_primary_id\":"
        "\"rg-001\"}]");
    free(text);
    json_decref(j);
    CHECK_STR(ec_reboot_step_action_name(EC_STEP_RESTORE_FAILOVER),
              "restore-failover");
    CHECK_STR(ec_reboot_step_state_name(EC_STEP_SENT), "sent");
    CHECK_STR(ec_reboot_step_action_name((ec_reboot_step_action)99), "unknown");
    CHECK_STR(ec_reboot_step_state_name((ec_reboot_step_state)99), "unknown");
    CHECK_STR(ec_reboot_decision_name(EC_DECIDE_REFUSED), "refused");
    j = ec_reboot_steps_to_json(NULL, EC_JSON_AWS);
    CHECK(json_is_array(j) && json_array_size(j) == 0);
    json_decref(j);
}

/* A group of three members; `primary` is the index of the primary. */
typedef struct fake_group {
    ec_replication_group g;
    ec_node_group ng;
    ec_node_group *ngp;
    ec_node_group_member m[3];
    ec_node_group_member *mp[3];
} fake_group;

static void fake_group_init(fake_group *f, int primary, const char *af)
{
    static char *ids[] = {"rg-001", "rg-002", "rg-003"};
    int i;

    memset(f, 0, sizeof(*f));
    f->g.replication_group_id = "rg";
    f->g.status = "available";
    f->g.automatic_failover = (char *)af;
    f->g.multi_az = (char *)af;
    f->ngp = &f->ng;
    f->g.node_groups = (ec_node_group_list){true, 1, &f->ngp};
    for (i = 0; i < 3; i++) {
        f->m[i].cache_cluster_id = ids[i];
        f->m[i].current_role = i == primary ? "primary" : "replica";
        f->mp[i] = &f->m[i];
    }
    f->ng.node_group_id = "0001";
    f->ng.node_group_members = (ec_node_group_member_list){true, 3, f->mp};
}

static void test_group_result(void)
{
    char *rebooted[] = {"rg-002", "rg-003", "rg-001"};
    ec_reboot_step move = {0}, last = {0};
    ec_reboot_step *items[] = {&move, &last};
    fake_group before, after;
    ec_group_reboot_result r = {0};
    json_t *j, *d;
    char *text;

    fake_group_init(&before, 0, "enabled");
    fake_group_init(&after, 1, "enabled");
    move.action = EC_STEP_MOVE_PRIMARY;
    move.state = EC_STEP_DONE;
    move.cache_cluster_id = "rg-002";
    move.previous_primary_id = "rg-001";
    move.request_id = "rid-move";
    move.started = 10;
    move.seconds = 5;
    last.action = EC_STEP_REBOOT;
    last.state = EC_STEP_DONE;
    last.cache_cluster_id = "rg-001";
    last.role = "replica";
    last.started = 15;
    last.seconds = 20;
    r.changed = true;
    r.decision = EC_DECIDE_REBOOT;
    r.message = "done";
    r.replication_group_id = "rg";
    r.rebooted_member_ids = (ec_strlist){true, 3, rebooted};
    r.primary_before = "rg-001";
    r.primary_after = "rg-002";
    r.before = &before.g;
    r.after = &after.g;
    r.steps = (ec_reboot_step_list){true, 2, items};

    j = ec_group_reboot_result_to_json(&r, EC_JSON_AWS);
    CHECK(j != NULL);
    text = json_dumps(json_object_get(j, "After"),
                      JSON_COMPACT | JSON_PRESERVE_ORDER);
    CHECK_STR(text, "{\"Status\":\"available\",\"AutomaticFailover\":"
                    "\"enabled\",\"MultiAZ\":\"enabled\",\"Members\":["
                    "{\"CacheClusterId\":\"rg-001\",\"CurrentRole\":"
                    "\"replica\"},{\"CacheClusterId\":\"rg-002\","
                    "\"CurrentRole\":\"primary\"},{\"CacheClusterId\":"
                    "\"rg-003\",\"CurrentRole\":\"replica\"}]}");
    free(text);
    CHECK_STR(json_string_value(json_object_get(j, "PrimaryBefore")), "rg-001");
    CHECK_STR(json_string_value(json_object_get(j, "PrimaryAfter")), "rg-002");
    CHECK_STR(json_string_value(json_object_get(j, "Decision")), "reboot");
    CHECK(json_array_size(json_object_get(j, "Steps")) == 2);
    CHECK_STR(
        json_string_value(json_object_get(
            json_object_get(j, "ReplicationGroup"), "ReplicationGroupId")),
        "rg");
    json_decref(j);
    j = ec_group_reboot_result_to_json(&r, EC_JSON_SNAKE);
    CHECK_STR(json_string_value(json_object_get(
                  json_array_get(json_object_get(j, "steps"), 1), "role")),
              "replica");
    CHECK(json_array_size(json_object_get(j, "rebooted_member_ids")) == 3);
    CHECK_STR(json_string_value(
                  json_object_get(json_object_get(j, "before"), "multi_az")),
              "enabled");
    json_decref(j);

    /* Ansible: the diff shows the roles before and after. */
    j = ec_group_reboot_result_to_ansible_json(&r, true);
    d = json_object_get(j, "diff");
    text = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
    CHECK_STR(text,
              "{\"before\":{\"status\":\"available\",\"automatic_failover\":"
              "\"enabled\",\"multi_az\":\"enabled\",\"members\":{\"rg-001\":"
              "{\"current_role\":\"primary\",\"rebooted\":false},\"rg-002\":"
              "{\"current_role\":\"replica\",\"rebooted\":false},\"rg-003\":"
              "{\"current_role\":\"replica\",\"rebooted\":false}}},\"after\":"
              "{\"status\":\"available\",\"automatic_failover\":\"enabled\","
              "\"multi_az\":\"enabled\",\"members\":{\"rg-001\":{"
              "\"current_role\":\"replica\",\"rebooted\":true},\"rg-002\":{"
              "\"current_role\":\"primary\",\"rebooted\":true},\"rg-003\":{"
              "\"current_role\":\"replica\",\"rebooted\":true}}}}");
    free(text);
    CHECK_STR(json_string_value(json_object_get(
                  json_object_get(j, "response_metadata"), "request_id")),
              "rid-move");
    CHECK_STR(json_string_value(json_object_get(j, "msg")), "done");
    CHECK_STR(json_string_value(json_object_get(j, "primary_after")), "rg-002");
    CHECK_STR(
        json_string_value(json_object_get(
            json_object_get(j, "replication_group"), "replication_group_id")),
        "rg");
    json_decref(j);

    /* Check mode: after is the plan's prediction from before. */
    r.check_mode = true;
    r.after = &before.g;
    move.state = last.state = EC_STEP_PLANNED;
    j = ec_group_reboot_result_to_ansible_json(&r, true);
    d = json_object_get(json_object_get(j, "diff"), "after");
    CHECK_STR(json_string_value(json_object_get(
                  json_object_get(json_object_get(d, "members"), "rg-002"),
                  "current_role")),
              "primary");
    CHECK_STR(json_string_value(json_object_get(
                  json_object_get(json_object_get(d, "members"), "rg-001"),
                  "current_role")),
              "replica");
    json_decref(j);

    /* Never read: {} and nulls, no crash. */
    memset(&r, 0, sizeof(r));
    j = ec_group_reboot_result_to_json(&r, EC_JSON_AWS);
    CHECK(json_is_null(json_object_get(j, "PrimaryBefore")));
    CHECK(json_object_size(json_object_get(j, "Before")) == 0);
    CHECK(json_object_size(json_object_get(j, "ReplicationGroup")) == 0);
    json_decref(j);
    j = ec_group_reboot_result_to_ansible_json(&r, true);
    CHECK(j != NULL);
    json_decref(j);
    CHECK(ec_group_reboot_result_to_json(NULL, EC_JSON_AWS) == NULL);
    CHECK(ec_group_reboot_result_to_ansible_json(NULL, false) == NULL);
}

int main(void)
{
    test_snake_table();
    test_snake_api();
    test_dumps();
    test_renderers();
    test_reboot_result();
    test_ansible_result();
    test_replication_group();
    test_steps();
    test_group_result();
    return test_status("json");
}
