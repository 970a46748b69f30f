/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One elasticache_reboot request (see module.h): Ansible's protocol on one
 * side, one ec_reboot() call on the other.
 */
#include "module.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argspec.h"
#include "awsmodule.h"
#include "linkcheck.h"
#include "nolog.h"

/* The module's own options, then amazon.aws's connection options
 * (awsmodule.h). */
/* One option per row reads better as a table. */
/* clang-format off */
static const erb_argdef SPEC[] = {
    /* name, type, required, no_log, default, aliases, env fallbacks */
    {"cluster_id", ERB_STR, false, false, NULL, {"name", "cache_cluster_id", NULL}, {NULL}},
    {"replication_group_id", ERB_STR, false, false, NULL, {NULL}, {NULL}},
    {"node_ids", ERB_LIST, false, false, NULL, {"cache_node_ids_to_reboot", NULL}, {NULL}},
    {"batch_size", ERB_INT, false, false, NULL, {NULL}, {NULL}},
    {"allow_primary_reboot", ERB_BOOL, false, false, "false", {NULL}, {NULL}},
    {"only_if_pending", ERB_BOOL, false, false, "false", {NULL}, {NULL}},
    {"unless_rebooted_since", ERB_STR, false, false, NULL, {NULL}, {NULL}},
    {"wait", ERB_BOOL, false, false, "true", {NULL}, {NULL}},
    {"wait_timeout", ERB_INT, false, false, "900", {NULL}, {NULL}},
    {"wait_delay", ERB_FLOAT, false, false, "15.0", {NULL}, {NULL}},
    /* replication_group_id: each rebooted replica's link verified over
     * the wire (linkcheck.h); TLS and AUTH from the API unless forced */
    {"verify_replica_link", ERB_BOOL, false, false, "true", {NULL}, {NULL}},
    {"auth_token", ERB_STR, false, true, NULL, {NULL}, {NULL}},
    {"auth_user", ERB_STR, false, false, NULL, {NULL}, {NULL}},
    {"tls", ERB_BOOL, false, false, NULL, {NULL}, {NULL}},
    {"probe_timeout", ERB_FLOAT, false, false, "5.0", {NULL}, {NULL}},
    {"probe_ca_bundle", ERB_STR, false, false, NULL, {NULL}, {NULL}},
    {"probe_validate_certs", ERB_BOOL, false, false, "true", {NULL}, {NULL}},
    /* unset: only wait_timeout bounds a link that does not come up */
    {"replica_link_timeout", ERB_FLOAT, false, false, NULL, {NULL}, {NULL}},
    ERB_AWS_CONNECTION_ARGDEFS,
};
/* clang-format on */

#define SPEC_COUNT (sizeof(SPEC) / sizeof(SPEC[0]))

/* A cluster or a replication group, never both. */
static const char *const TARGETS[] = {"cluster_id", "replication_group_id",
                                      NULL};
static const erb_argrules RULES = {TARGETS, TARGETS};

void erb_session_clear(erb_session *session)
{
    if (session)
        erb_client_cache_clear(&session->clients);
}

static json_t *strlist_json(const ec_strlist *l)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < l->count; i++) {
        if (json_array_append_new(a, json_string(l->items[i]))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static void progress_cb(void *userdata, const ec_progress *p)
{
    const char *id = userdata;

    if (p->phase == EC_PROGRESS_WAITING || p->phase == EC_PROGRESS_DONE ||
        p->phase == EC_PROGRESS_REBOOT_SENT || p->phase == EC_PROGRESS_STEP)
        fprintf(stderr, "elasticache_reboot: %s: %s (%.0fs)\n", id,
                p->message ? p->message : "", p->elapsed);
}

/* fail_json_aws's shape for a library error. `r` is NULL when the call
 * was refused before anything was done. */
static json_t *error_result(const ec_error *err, const ec_reboot_result *r)
{
    bool changed = r && r->changed;
    json_t *out = erb_fail_json_aws("Failed to reboot cache cluster", err);

    if (!out)
        return NULL;
    if (changed && json_object_set_new(out, "changed", json_true())) {
        json_decref(out);
        return NULL;
    }
    /* Only nodes really rebooted (e.g. before a wait timed out); a plan the
     * service rejected rebooted nothing. */
    if (changed && r->rebooted_node_ids.count)
        json_object_set_new(out, "rebooted_node_ids",
                            strlist_json(&r->rebooted_node_ids));
    return out;
}

/* The same for a replication group's run: what was done (the steps, the
 * members rebooted) is returned with the failure, so that nobody does it
 * again; a failure after the primary moved names the new primary. */
static json_t *group_error_result(const ec_error *err,
                                  const ec_group_reboot_result *r)
{
    bool changed = r && r->changed;
    json_t *out = erb_fail_json_aws("Failed to reboot replication group", err);

    if (!out)
        return NULL;
    if (changed && json_object_set_new(out, "changed", json_true()))
        goto fail;
    if (r && r->steps.count &&
        json_object_set_new(out, "steps",
                            ec_reboot_steps_to_json(&r->steps, EC_JSON_SNAKE)))
        goto fail;
    if (changed &&
        (json_object_set_new(out, "rebooted_member_ids",
                             strlist_json(&r->rebooted_member_ids)) ||
         json_object_set_new(out, "primary_after",
                             r->primary_after ? json_string(r->primary_after)
                                              : json_null())))
        goto fail;
    return out;
fail:
    json_decref(out);
    return NULL;
}

/* The replica-link verification of a group's run (verify_replica_link,
 * the default): -1 with *result set when the run must not start. The
 * token is copied into the verifier and wiped with it. */
static int prepare_verifier(ec_client *client, const json_t *params,
                            mon_link_verifier *v, json_t **result)
{
    const json_t *tls = json_object_get(params, "tls");
    const char *token = erb_param_str(params, "auth_token");
    mon_common c = MON_COMMON_INIT;
    mon_tokens tokens;
    ec_error err;
    char why[1024];
    double timeout =
        json_number_value(json_object_get(params, "probe_timeout"));
    int rc = -1;

    memset(&tokens, 0, sizeof(tokens));
    ec_error_clear(&err);
    *result = NULL;
    if (timeout <= 0) {
        *result = erb_failure("probe_timeout must be a positive number of "
                              "seconds");
        return -1;
    }
    c.auth_user = erb_param_str(params, "auth_user");
    c.tls = json_is_boolean(tls) ? json_is_true(tls) : -1;
    c.probe_ca_bundle = erb_param_str(params, "probe_ca_bundle");
    c.probe_no_verify =
        !json_is_true(json_object_get(params, "probe_validate_certs"));
    if (token && token[0]) {
        tokens.single = strdup(token);
        if (!tokens.single) {
            *result = erb_failure("out of memory");
            return -1;
        }
    }
    v->token_option = "the auth_token option";
    v->opt_out_option = "verify_replica_link: false";
    switch (mon_link_prepare(
        client, erb_param_str(params, "replication_group_id"), NULL, &c,
        &tokens, timeout, v, &err, why, sizeof(why))) {
    case MON_LINK_OK:
        rc = 0;
        break;
    case MON_LINK_REFUSED: {
        char msg[1200];

        snprintf(msg, sizeof(msg),
                 "replication group %s was not rebooted (nothing was "
                 "changed): %s",
                 erb_param_str(params, "replication_group_id"), why);
        *result = erb_failure(msg);
        break;
    }
    case MON_LINK_API:
        *result = group_error_result(&err, NULL);
        break;
    case MON_LINK_SETUP:
        *result = erb_failure(why);
        break;
    }
    mon_tokens_free(&tokens);
    return rc;
}

/* A replication group's rolling reboot (replication_group_id). */
static json_t *run_group(erb_session *session, ec_client *client,
                         const json_t *params, bool check_mode, bool diff,
                         bool *failed)
{
    mon_link_verifier verifier;
    bool verify = json_is_true(json_object_get(params, "verify_replica_link"));
    const json_t *link_timeout =
        json_object_get(params, "replica_link_timeout");

    ec_group_reboot_options opts = EC_GROUP_REBOOT_OPTIONS_INIT;
    ec_group_reboot_result *r = NULL;
    const char *since = erb_param_str(params, "unless_rebooted_since");
    char error[1024];
    ec_error err;
    json_t *result;

    memset(&verifier, 0, sizeof(verifier));
    ec_error_clear(&err);
    opts.replication_group_id = erb_param_str(params, "replication_group_id");
    opts.only_if_pending =
        json_is_true(json_object_get(params, "only_if_pending"));
    opts.allow_primary_reboot =
        json_is_true(json_object_get(params, "allow_primary_reboot"));
    opts.check_mode = check_mode;
    opts.wait = json_is_true(json_object_get(params, "wait"));
    opts.wait_timeout =
        (double)json_integer_value(json_object_get(params, "wait_timeout"));
    opts.wait_delay = json_real_value(json_object_get(params, "wait_delay"));
    if (session->progress) {
        opts.progress = progress_cb;
        opts.progress_userdata = (void *)opts.replication_group_id;
    }
    if (since && ec_time_parse_since(since, ec_client_now(client),
                                     &opts.unless_rebooted_since, &err) < 0) {
        snprintf(error, sizeof(error), "unless_rebooted_since: %s",
                 err.message);
        return erb_failure(error);
    }
    if (link_timeout && !json_is_null(link_timeout)) {
        opts.replica_link_timeout = json_number_value(link_timeout);
        if (!(opts.replica_link_timeout > 0))
            return erb_failure("replica_link_timeout must be a positive "
                               "number of seconds");
        if (!verify)
            return erb_failure("replica_link_timeout: not allowed with "
                               "verify_replica_link: false (no node is "
                               "probed)");
    }
    if (verify && !check_mode) {
        if (prepare_verifier(client, params, &verifier, &result) != 0) {
            mon_link_verifier_free(&verifier);
            return result;
        }
        opts.probe = mon_link_probe;
        opts.probe_userdata = &verifier;
    }
    if (ec_reboot_replication_group(client, &opts, &r, &err) < 0) {
        if (err.code == EC_ERR_TRANSPORT || err.code == EC_ERR_TIMEOUT)
            erb_session_clear(session);
        result = group_error_result(&err, r);
        /* What the last replica link check saw (never a secret). */
        if (result && verifier.last[0])
            json_object_set_new(result, "replica_link_check",
                                json_string(verifier.last));
        ec_group_reboot_result_free(r);
        mon_link_verifier_free(&verifier);
        return result;
    }
    mon_link_verifier_free(&verifier);
    result = ec_group_reboot_result_to_ansible_json(r, diff);
    if (result && r->decision == EC_DECIDE_BUSY) {
        /* As a cluster's: asked for, not done because the group is busy. */
        if (json_object_set_new(result, "failed", json_true()) != 0) {
            json_decref(result);
            result = NULL;
        }
    } else if (result) {
        *failed = false;
    }
    ec_group_reboot_result_free(r);
    return result;
}

json_t *erb_run_request(erb_session *session, const json_t *request,
                        erb_mode mode, bool *failed)
{
    erb_secrets secrets = {0};
    erb_validation v = {0};
    json_t *params = NULL, *result = NULL, *clean = NULL, *node_ids, *batch;
    ec_reboot_options opts = EC_REBOOT_OPTIONS_INIT;
    ec_reboot_policy policy = EC_REBOOT_POLICY_INIT;
    ec_reboot_result *r = NULL;
    ec_error err;
    erb_conn conn;
    ec_client *client;
    const char **nodes = NULL;
    const char *since, *group_id;
    char module_name[128], error[1024];
    bool check_mode = false, diff = false, wait;
    size_t i;
    int rc;

    opts.policy = &policy;
    ec_error_clear(&err);
    *failed = true;

    if (erb_secrets_add_env(&secrets) < 0)
        goto out;
    rc = erb_split_request(request, mode, ERB_MODULE_NAME, &params, &check_mode,
                           &diff, module_name, sizeof(module_name), error,
                           sizeof(error));
    if (rc < 0)
        goto out;
    if (rc > 0) {
        result = erb_failure(error);
        goto finish;
    }
    if (erb_argspec_validate(SPEC, SPEC_COUNT, &RULES, params, module_name,
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

    group_id = erb_param_str(v.params, "replication_group_id");
    batch = json_object_get(v.params, "batch_size");
    if (json_is_integer(batch) &&
        (json_integer_value(batch) < 1 || json_integer_value(batch) > 1000)) {
        result = erb_failure("batch_size must be from 1 to 1000 (nodes per "
                             "reboot call)");
        goto finish;
    }
    if (group_id) {
        /* A group's members are clusters rebooted whole, one at a time. */
        if (json_is_array(json_object_get(v.params, "node_ids"))) {
            result = erb_failure("node_ids apply to cluster_id: a "
                                 "replication group's members are rebooted "
                                 "whole, one at a time");
            goto finish;
        }
        if (json_is_integer(batch)) {
            result = erb_failure("batch_size applies to cluster_id: a "
                                 "replication group's members are rebooted "
                                 "one at a time");
            goto finish;
        }
    }
    opts.cache_cluster_id = erb_param_str(v.params, "cluster_id");
    if (!opts.cache_cluster_id && !group_id) {
        /* Given as null (after the defaults both keys are there). */
        result = erb_failure(json_object_get(params, "replication_group_id")
                                 ? "replication_group_id must be a "
                                   "replication group id, not null"
                                 : "cluster_id must be a cache cluster id, "
                                   "not null");
        goto finish;
    }
    opts.batch_size =
        json_is_integer(batch) ? (uint32_t)json_integer_value(batch) : 0;
    opts.allow_primary_reboot =
        json_is_true(json_object_get(v.params, "allow_primary_reboot"));
    node_ids = json_object_get(v.params, "node_ids");
    /* Given is given: node_ids: [] (a computed list that came out empty)
     * means no node, never every node (issue 8, item 1). */
    policy.node_ids_set = json_is_array(node_ids);
    if (json_array_size(node_ids) > 0) {
        nodes = calloc(json_array_size(node_ids), sizeof(*nodes));
        if (!nodes)
            goto out;
        for (i = 0; i < json_array_size(node_ids); i++)
            nodes[i] = json_string_value(json_array_get(node_ids, i));
        policy.node_ids = nodes;
        policy.node_count = json_array_size(node_ids);
    }
    policy.only_if_pending =
        json_is_true(json_object_get(v.params, "only_if_pending"));
    since = erb_param_str(v.params, "unless_rebooted_since");
    wait = json_is_true(json_object_get(v.params, "wait"));
    opts.check_mode = check_mode;
    opts.wait = wait;
    opts.wait_timeout =
        (double)json_integer_value(json_object_get(v.params, "wait_timeout"));
    opts.wait_delay = json_real_value(json_object_get(v.params, "wait_delay"));
    if (wait && opts.wait_timeout <= 0) {
        result = erb_failure("wait_timeout must be a positive number of "
                             "seconds");
        goto finish;
    }
    if (wait && opts.wait_delay <= 0) {
        result = erb_failure("wait_delay must be a positive number of "
                             "seconds");
        goto finish;
    }
    if (session->progress) {
        opts.progress = progress_cb;
        opts.progress_userdata = (void *)opts.cache_cluster_id;
    }

    client = erb_client_cache_get(&session->clients, &conn, &err);
    if (!client) {
        result = erb_failure(err.message);
        goto finish;
    }
    if (group_id) {
        result = run_group(session, client, v.params, check_mode, diff, failed);
        goto finish;
    }
    /* A relative time ("30m") counts back from the client's clock. */
    if (since && ec_time_parse_since(since, ec_client_now(client),
                                     &policy.unless_rebooted_since, &err) < 0) {
        snprintf(error, sizeof(error), "unless_rebooted_since: %s",
                 err.message);
        result = erb_failure(error);
        goto finish;
    }
    if (ec_reboot(client, &opts, &r, &err) < 0) {
        /* A client that failed mid-request is not trusted again. */
        if (err.code == EC_ERR_TRANSPORT || err.code == EC_ERR_TIMEOUT)
            erb_session_clear(session);
        result = error_result(&err, r);
        goto finish;
    }
    result = ec_reboot_result_to_ansible_json(r, diff);
    if (result && r->decision == EC_DECIDE_BUSY) {
        /* A requested reboot that did not happen because the cluster is
         * busy is a failure (issue 8, item 6); the message names the state
         * and says to use wait. Check mode predicts the same failure. */
        if (json_object_set_new(result, "failed", json_true()) != 0) {
            json_decref(result);
            result = NULL;
        }
    } else if (result) {
        *failed = false;
    }

finish:
    clean = erb_finish_result(result, v.warnings, v.params ? v.params : params,
                              &secrets);
    result = NULL;
out:
    json_decref(result);
    json_decref(params);
    erb_validation_clear(&v);
    ec_reboot_result_free(r);
    erb_secrets_clear(&secrets);
    free(nodes);
    return clean;
}
