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
        "\"rebooting\"}]},\"CacheCluster\":{\"CacheClusterId\":\"demo\"}}");
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
              "[\"0002\"],\"cache_cluster\":{},\"diff\":{\"before\":{"
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

int main(void)
{
    test_snake_table();
    test_snake_api();
    test_dumps();
    test_renderers();
    test_reboot_result();
    test_ansible_result();
    test_replication_group();
    return test_status("json");
}
