/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One elasticache_info request (see info.h): Ansible's protocol on one
 * side, read-only describes through libelasticache on the other.
 */
#include "info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <elasticache/elasticache.h>

#include "argspec.h"
#include "nolog.h"
#include "pyval.h"

/* The module's own options, then amazon.aws's connection options
 * (awsmodule.h). `name` is community.aws.elasticache_info's option. */
/* One option per row reads better as a table. */
/* clang-format off */
static const erb_argdef SPEC[] = {
    /* name, type, required, no_log, default, aliases, env fallbacks */
    {"cluster_id", ERB_STR, false, false, NULL, {"name", "cache_cluster_id", NULL}, {NULL}},
    {"replication_group_id", ERB_STR, false, false, NULL, {NULL}, {NULL}},
    {"show_cache_node_info", ERB_BOOL, false, false, "true", {NULL}, {NULL}},
    {"events", ERB_RAW, false, false, "false", {NULL}, {NULL}},
    {"tags", ERB_BOOL, false, false, "false", {NULL}, {NULL}},
    {"tag_filter", ERB_DICT, false, false, NULL, {NULL}, {NULL}},
    ERB_AWS_CONNECTION_ARGDEFS,
};
/* clang-format on */

#define SPEC_COUNT (sizeof(SPEC) / sizeof(SPEC[0]))

/* Which events to read: none, the service's default window (the last
 * hour), or since a time. */
typedef struct events_window {
    bool want;
    ec_time since; /* unset: the service's default */
} events_window;

/* What one request gathers; the arrays hold snake_case objects. */
typedef struct gathered {
    json_t *clusters;
    json_t *groups;
    json_t *events;
    ec_strlist ids; /* clusters and groups the events are filtered to */
} gathered;

static const char *param_nonempty(const json_t *params, const char *name)
{
    const char *s = erb_param_str(params, name);

    return s && *s ? s : NULL;
}

/* `events`: a boolean (as Ansible reads one) or how far back: an age
 * ("30m", "2h", "1d") or an ISO 8601 time. 0, or -1 with a message. */
static int parse_events(const json_t *value, ec_time now, events_window *w,
                        char *msg, size_t size)
{
    char why[512];
    ec_error err;
    int b;

    memset(w, 0, sizeof(*w));
    if (!value || json_is_null(value))
        return 0;
    b = erb_check_bool(value, why, sizeof(why));
    if (b >= 0) {
        w->want = b;
        return 0;
    }
    if (!json_is_string(value)) {
        snprintf(msg, size,
                 "events must be a boolean, an age (30m, 2h, 1d) or an ISO "
                 "8601 time, not %s",
                 erb_py_type(value));
        return -1;
    }
    ec_error_clear(&err);
    if (ec_time_parse_since(json_string_value(value), now, &w->since, &err) <
        0) {
        snprintf(msg, size,
                 "events must be a boolean, an age (30m, 2h, 1d) or an ISO "
                 "8601 time: %s",
                 err.message);
        return -1;
    }
    w->want = true;
    return 0;
}

/* Append the members of `from` (an array) to `to`. */
static int extend(json_t *to, json_t *rendered, const char *key)
{
    json_t *items = json_object_get(rendered, key);
    int rc;

    if (!rendered)
        return -1;
    rc = json_is_array(items) ? json_array_extend(to, items) : 0;
    json_decref(rendered);
    return rc;
}

static int describe_clusters(ec_client *client, const char *id, bool show_nodes,
                             gathered *g, const char **group_id, ec_error *err)
{
    ec_describe_cache_clusters_input in = EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
    ec_describe_cache_clusters_output *out = NULL;
    size_t i;
    int rc;

    in.cache_cluster_id = id;
    in.show_cache_node_info.set = true;
    in.show_cache_node_info.value = show_nodes;
    /* Every page: the library follows Marker until the last. */
    rc = id ? ec_describe_cache_clusters(client, &in, &out, err)
            : ec_describe_cache_clusters_all(client, &in, &out, err);
    if (rc < 0)
        return -1;
    rc = 0;
    for (i = 0; id && i < out->cache_clusters.count; i++) {
        const ec_cache_cluster *c = out->cache_clusters.items[i];

        if (ec_strlist_push(&g->ids, c->cache_cluster_id) < 0)
            rc = -2;
        /* The group a named cluster belongs to is part of what a playbook
         * must know before it reboots it (its role). */
        if (group_id && !*group_id && c->replication_group_id)
            *group_id = strdup(c->replication_group_id);
    }
    if (rc == 0 &&
        extend(g->clusters,
               ec_describe_cache_clusters_output_to_json(out, EC_JSON_SNAKE),
               "cache_clusters") < 0)
        rc = -2;
    ec_describe_cache_clusters_output_free(out);
    return rc;
}

static bool in_list(const ec_strlist *l, const char *s)
{
    size_t i;

    for (i = 0; s && i < l->count; i++) {
        if (strcasecmp(l->items[i], s) == 0)
            return true;
    }
    return false;
}

static int describe_groups(ec_client *client, const char *id, gathered *g,
                           ec_strlist *members, ec_error *err)
{
    ec_describe_replication_groups_input in =
        EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT;
    ec_describe_replication_groups_output *out = NULL;
    size_t i, j;
    int rc;

    in.replication_group_id = id;
    rc = id ? ec_describe_replication_groups(client, &in, &out, err)
            : ec_describe_replication_groups_all(client, &in, &out, err);
    if (rc < 0)
        return -1;
    rc = 0;
    for (i = 0; id && i < out->replication_groups.count; i++) {
        const ec_replication_group *rg = out->replication_groups.items[i];

        if (ec_strlist_push(&g->ids, rg->replication_group_id) < 0)
            rc = -2;
        /* A member's events (a restart, a failover) are the group's too. */
        for (j = 0; j < rg->member_clusters.count; j++) {
            const char *m = rg->member_clusters.items[j];

            if (!in_list(&g->ids, m) && ec_strlist_push(&g->ids, m) < 0)
                rc = -2;
            if (members && ec_strlist_push(members, m) < 0)
                rc = -2;
        }
    }
    if (rc == 0 && extend(g->groups,
                          ec_describe_replication_groups_output_to_json(
                              out, EC_JSON_SNAKE),
                          "replication_groups") < 0)
        rc = -2;
    ec_describe_replication_groups_output_free(out);
    return rc;
}

/* Events in the window: every source when nothing was named, else those of
 * the named clusters and groups and the groups' members. */
static int describe_events(ec_client *client, const events_window *w,
                           bool filtered, gathered *g, ec_error *err)
{
    ec_describe_events_input in = EC_DESCRIBE_EVENTS_INPUT_INIT;
    ec_describe_events_output *out = NULL;
    json_t *rendered, *events, *e;
    size_t i;
    int rc = 0;

    in.start_time = w->since;
    /* One cluster: the service filters. Otherwise this module does, since
     * DescribeEvents takes one source identifier. */
    if (filtered && g->ids.count == 1 && json_array_size(g->groups) == 0) {
        in.source_identifier = g->ids.items[0];
        in.source_type = "cache-cluster";
    }
    if (ec_describe_events_all(client, &in, &out, err) < 0)
        return -1;
    rendered = ec_describe_events_output_to_json(out, EC_JSON_SNAKE);
    ec_describe_events_output_free(out);
    events = json_object_get(rendered, "events");
    if (!rendered)
        return -2;
    json_array_foreach(events, i, e)
    {
        const char *src =
            json_string_value(json_object_get(e, "source_identifier"));

        if (filtered && !in_list(&g->ids, src))
            continue;
        if (json_array_append(g->events, e) < 0) {
            rc = -2;
            break;
        }
    }
    json_decref(rendered);
    return rc;
}

/* tag_filter: every value a string (a tag's value is one). 0, or -1 with
 * a message. */
static int check_tag_filter(const json_t *filter, char *msg, size_t size)
{
    const char *key;
    json_t *value;

    json_object_foreach((json_t *)filter, key, value)
    {
        if (!json_is_string(value)) {
            snprintf(msg, size,
                     "tag_filter: the value of %.200s must be a string (a "
                     "tag's value), not %s",
                     key, erb_py_type(value));
            return -1;
        }
    }
    return 0;
}

/* Every pair of `filter` is a tag of `tags` with that value. */
static bool tags_match(const json_t *tags, const json_t *filter)
{
    const char *key;
    json_t *want;

    json_object_foreach((json_t *)filter, key, want)
    {
        const char *have = json_string_value(json_object_get(tags, key));

        if (!have || strcmp(have, json_string_value(want)) != 0)
            return false;
    }
    return true;
}

/* Codes with which the service refuses one resource's tags while the
 * others' can still be read: it went away since the describe, or is not
 * in a state whose tags can be listed (the API refuses a cluster that is
 * not available). A warning, not a failed task. */
static bool tags_skippable(const ec_error *err)
{
    static const char *const codes[] = {
        "CacheClusterNotFound", "ReplicationGroupNotFoundFault",
        "InvalidCacheClusterState", "InvalidReplicationGroupState", NULL};
    size_t i;

    if (err->code != EC_ERR_SERVICE)
        return false;
    for (i = 0; codes[i]; i++) {
        if (strcmp(err->aws_code, codes[i]) == 0)
            return true;
    }
    return false;
}

/* Add `tags` (amazon.aws's dict) to each resource of `items`, one
 * ListTagsForResource per resource (the client retries and backs off on
 * throttling), and with a filter keep only those that match. A resource
 * whose tags could not be read gets tags null and a warning, and no
 * filter keeps it. 0, -1 with `err` set (the task fails), -2 out of
 * memory. */
static int add_tags(ec_client *client, json_t *items, const json_t *filter,
                    json_t *warnings, ec_error *err)
{
    size_t i = 0;

    while (i < json_array_size(items)) {
        json_t *item = json_array_get(items, i);
        const char *arn = json_string_value(json_object_get(item, "arn"));
        ec_list_tags_for_resource_input in =
            EC_LIST_TAGS_FOR_RESOURCE_INPUT_INIT;
        ec_list_tags_for_resource_output *out = NULL;
        json_t *tags = NULL;
        ec_error one;
        char msg[1024], why[600];
        bool keep;

        ec_error_clear(&one);
        in.resource_name = arn;
        if (arn && ec_list_tags_for_resource(client, &in, &out, &one) == 0) {
            tags = ec_tag_list_to_dict(out);
            ec_list_tags_for_resource_output_free(out);
            if (!tags)
                return -2;
        } else if (arn && !tags_skippable(&one)) {
            *err = one;
            return -1;
        } else {
            if (arn)
                ec_error_format(&one, why, sizeof(why));
            else
                snprintf(why, sizeof(why), "it has no ARN");
            snprintf(msg, sizeof(msg), "Could not list the tags of %.300s: %s",
                     arn ? arn : "a resource", why);
            if (json_array_append_new(warnings, json_string(msg)) < 0)
                return -2;
            tags = json_null();
        }
        if (json_object_set_new(item, "tags", tags) < 0)
            return -2;
        keep = !filter || (json_is_object(tags) && tags_match(tags, filter));
        if (keep)
            i++;
        else if (json_array_remove(items, i) < 0)
            return -2;
    }
    return 0;
}

/* A describe failed: fail_json_aws, and a client that failed mid-request
 * is not trusted again. */
static json_t *describe_failure(erb_client_cache *clients, const char *what,
                                int rc, const ec_error *err)
{
    if (rc == -2)
        return NULL;
    if (err->code == EC_ERR_TRANSPORT || err->code == EC_ERR_TIMEOUT)
        erb_client_cache_clear(clients);
    return erb_fail_json_aws(what, err);
}

static json_t *gather(erb_client_cache *clients, ec_client *client,
                      const json_t *params, const events_window *w,
                      json_t *warnings, bool *failed)
{
    const json_t *tag_filter = json_object_get(params, "tag_filter");
    bool want_tags = json_is_true(json_object_get(params, "tags")) ||
                     json_is_object(tag_filter);
    const char *cluster_id = param_nonempty(params, "cluster_id");
    const char *group_id = param_nonempty(params, "replication_group_id");
    bool show_nodes =
        json_is_true(json_object_get(params, "show_cache_node_info"));
    gathered g = {json_array(), json_array(), json_array(), {0}};
    ec_strlist members = {0};
    const char *member_group = NULL;
    json_t *result = NULL;
    ec_error err;
    size_t i;
    int rc = 0;

    ec_error_clear(&err);
    if (!g.clusters || !g.groups || !g.events)
        goto out;
    if (!cluster_id && !group_id) {
        rc = describe_clusters(client, NULL, show_nodes, &g, NULL, &err);
        if (rc < 0) {
            result = describe_failure(clients,
                                      "Failed to describe cache "
                                      "clusters",
                                      rc, &err);
            goto out;
        }
        rc = describe_groups(client, NULL, &g, NULL, &err);
        if (rc < 0) {
            result = describe_failure(
                clients, "Failed to describe replication groups", rc, &err);
            goto out;
        }
    }
    if (cluster_id) {
        rc = describe_clusters(client, cluster_id, show_nodes, &g,
                               group_id ? NULL : &member_group, &err);
        if (rc < 0) {
            result = describe_failure(clients,
                                      "Failed to describe cache "
                                      "cluster",
                                      rc, &err);
            goto out;
        }
    }
    if (group_id || member_group) {
        rc = describe_groups(client, group_id ? group_id : member_group, &g,
                             group_id ? &members : NULL, &err);
        if (rc < 0) {
            result = describe_failure(
                clients, "Failed to describe replication group", rc, &err);
            goto out;
        }
    }
    /* A group named alone comes with its member clusters. */
    for (i = 0; !cluster_id && i < members.count; i++) {
        rc = describe_clusters(client, members.items[i], show_nodes, &g, NULL,
                               &err);
        if (rc < 0) {
            result = describe_failure(clients,
                                      "Failed to describe cache "
                                      "cluster",
                                      rc, &err);
            goto out;
        }
    }
    if (!json_is_object(tag_filter))
        tag_filter = NULL;
    if (want_tags) {
        rc = add_tags(client, g.clusters, tag_filter, warnings, &err);
        if (rc == 0)
            rc = add_tags(client, g.groups, tag_filter, warnings, &err);
        if (rc < 0) {
            result = describe_failure(clients, "Failed to list tags", rc, &err);
            goto out;
        }
    }
    if (w->want) {
        rc = describe_events(client, w, cluster_id || group_id, &g, &err);
        if (rc < 0) {
            result = describe_failure(clients, "Failed to describe events", rc,
                                      &err);
            goto out;
        }
    }
    result = json_pack("{s:b,s:O,s:O}", "changed", 0, "elasticache_clusters",
                       g.clusters, "replication_groups", g.groups);
    if (result && w->want && json_object_set(result, "events", g.events) < 0) {
        json_decref(result);
        result = NULL;
    }
    if (result)
        *failed = false;
out:
    json_decref(g.clusters);
    json_decref(g.groups);
    json_decref(g.events);
    ec_strlist_clear(&g.ids);
    ec_strlist_clear(&members);
    free((char *)member_group);
    return result;
}

json_t *eri_run_request(erb_client_cache *clients, const json_t *request,
                        erb_mode mode, bool *failed)
{
    erb_secrets secrets = {0};
    erb_validation v = {0};
    json_t *params = NULL, *result = NULL, *clean = NULL;
    events_window window;
    const json_t *tag_filter;
    ec_error err;
    erb_conn conn;
    ec_client *client;
    char module_name[128], error[1024];
    bool check_mode = false, diff = false;
    int rc;

    ec_error_clear(&err);
    *failed = true;
    if (erb_secrets_add_env(&secrets) < 0)
        goto out;
    /* Check mode changes nothing here: the module only reads. */
    rc = erb_split_request(request, mode, ERI_MODULE_NAME, &params, &check_mode,
                           &diff, module_name, sizeof(module_name), error,
                           sizeof(error));
    if (rc < 0)
        goto out;
    if (rc > 0) {
        result = erb_failure(error);
        goto finish;
    }
    if (erb_argspec_validate(SPEC, SPEC_COUNT, NULL, params, module_name,
                             erb_process_getenv, NULL, &secrets, &v) < 0)
        goto out;
    if (v.error) {
        result = erb_failure(v.error);
        goto finish;
    }
    if (erb_conn_resolve(v.params, &conn, error, sizeof(error)) < 0) {
        result = erb_failure(error);
        goto finish;
    }
    client = erb_client_cache_get(clients, &conn, &err);
    if (!client) {
        result = erb_failure(err.message);
        goto finish;
    }
    /* A relative time ("1h") counts back from the client's clock. */
    if (parse_events(json_object_get(v.params, "events"), ec_client_now(client),
                     &window, error, sizeof(error)) < 0) {
        result = erb_failure(error);
        goto finish;
    }
    tag_filter = json_object_get(v.params, "tag_filter");
    if (json_is_object(tag_filter) &&
        check_tag_filter(tag_filter, error, sizeof(error)) < 0) {
        result = erb_failure(error);
        goto finish;
    }
    result = gather(clients, client, v.params, &window, v.warnings, failed);

finish:
    clean = erb_finish_result(result, v.warnings, v.params ? v.params : params,
                              &secrets);
    result = NULL;
    if (!clean)
        *failed = true;
out:
    json_decref(params);
    erb_validation_clear(&v);
    erb_secrets_clear(&secrets);
    return clean;
}
