/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The client (settings, endpoint, credentials, one connection) and the
 * ElastiCache operations: validate, encode, send, parse, and the Marker
 * loops of the paginated calls.
 */
#include "client.h"

#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "credentials/providers.h"
#include "query.h"
#include "shapes.h"
#include "xmlparse.h"

#define CLUSTER_ID_SIZE 64

/* Nothing configures a region: ask the instance metadata service, as the
 * AWS CLI v2 does, unless AWS_EC2_METADATA_DISABLED says not to. */
static int region_from_imds(ec_client *client, const ec_config *config,
                            ec_error *err)
{
    char why[300] = "";

    if (ecp_imds_region(config, &client->settings, &client->io,
                        &client->settings.region, why, sizeof(why), err) != 0)
        return -1;
    if (!client->settings.region)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "%s (The instance metadata service gave none: "
                             "%s.)",
                             ECP_NO_REGION_MESSAGE, why);
    return 0;
}

ec_client *ec_client_new(const ec_config *caller_config, ec_error *err)
{
    ec_config cfg;
    const ec_config *config = &cfg;
    ecp_credentials_context ctx;
    ecp_endpoint_input ein = {0};
    ec_client *client;

    if (ecp_struct_import(&ecp_info_config, &cfg, caller_config, err) != 0)
        return NULL;
    client = calloc(1, sizeof(*client));
    if (!client) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    client->debug = config->debug;
    client->debug_userdata = config->debug_userdata;
    client->now = config->now;
    client->sleep = config->sleep;
    client->clock_userdata = config->clock_userdata;
    client->io.now = config->now;
    client->io.sleep = config->sleep;
    client->io.clock_userdata = config->clock_userdata;
    client->io.debug = config->debug;
    client->io.debug_userdata = config->debug_userdata;
    client->retry_quota = ECP_RETRY_QUOTA_MAX;

    if (ecp_settings_load(config, &client->settings, err) != 0)
        goto fail;
    if (!client->settings.region && region_from_imds(client, config, err) != 0)
        goto fail;
    ein.region = client->settings.region;
    ein.endpoint_url = client->settings.endpoint_url;
    ein.use_fips = client->settings.use_fips;
    ein.use_dualstack = client->settings.use_dualstack;
    if (ecp_endpoint_resolve(&ein, &client->endpoint, err) != 0)
        goto fail;
    ctx.config = config;
    ctx.settings = &client->settings;
    if (ecp_credentials_select(&ctx, &client->credentials, err) != 0)
        goto fail;
    client->signer = ecp_signer_new();
    if (!client->signer) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (ecp_transport_init(client, config, err) != 0)
        goto fail;
    ecp_client_debug(
        client,
        "Profile %s, region %s, endpoint %s, credentials from "
        "%s (%s), retry mode %s with %d attempts, TLS verification "
        "%s%s%s",
        client->settings.profile, client->endpoint.signing_region,
        client->endpoint.url, client->credentials->name,
        client->credentials->detail ? client->credentials->detail : "",
        client->settings.retry_mode == ECP_RETRY_LEGACY ? "legacy"
        : client->settings.retry_mode == ECP_RETRY_ADAPTIVE
            ? "adaptive (as standard)"
            : "standard",
        client->settings.max_attempts,
        client->settings.verify_ssl ? "on" : "OFF",
        client->settings.ca_bundle ? ", CA bundle " : "",
        client->settings.ca_bundle ? client->settings.ca_bundle : "");
    return client;
fail:
    ec_client_free(client);
    return NULL;
}

void ec_client_free(ec_client *client)
{
    if (!client)
        return;
    ecp_transport_cleanup(client);
    ecp_signer_free(client->signer);
    ecp_provider_free(client->credentials);
    ecp_settings_free(&client->settings);
    ec_wipe(client, sizeof(*client));
    free(client);
}

int ecp_client_credentials(ec_client *client, const ecp_credentials **out,
                           ec_error *err)
{
    return ecp_provider_get(client->credentials, &client->io, out, err);
}

const char *ec_client_credential_source(const ec_client *client)
{
    return client && client->credentials ? client->credentials->name : NULL;
}

const char *ec_client_profile_setting(const ec_client *client, const char *key)
{
    static const char *const secrets[] = {
        "aws_secret_access_key", "aws_session_token", "aws_security_token"};

    if (!client || !key)
        return NULL;
    for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
        if (strcmp(key, secrets[i]) == 0)
            return NULL;
    return ecp_settings_profile_get(&client->settings, key);
}

const char *ec_client_region(const ec_client *client)
{
    return client ? client->endpoint.signing_region : NULL;
}

const char *ec_client_endpoint(const ec_client *client)
{
    return client ? client->endpoint.url : NULL;
}

unsigned long ec_client_request_count(const ec_client *client)
{
    return client ? client->request_count : 0;
}

/* ------------------------------------------------------------------ */
/* Operations                                                          */
/* ------------------------------------------------------------------ */

static int fail(ec_error *err, const char *operation)
{
    ecp_error_set_operation(err, operation);
    return -1;
}

/* The public boundary of an operation: a client, an input and a place for
 * the output (set to NULL here), and the caller's input imported (abi.h)
 * into `req`, the library's own copy. */
static int boundary(ec_client *client, const ecp_struct_info *info,
                    const void *in, void *req, void *out, const char *op,
                    ec_error *err)
{
    void *none = NULL;

    if (out)
        memcpy(out, &none, sizeof(none));
    if (!client || !in || !out) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "client, input and output must not be NULL");
        return fail(err, op);
    }
    if (ecp_struct_import(info, req, in, err) != 0)
        return fail(err, op);
    return 0;
}

int ecp_describe_cache_clusters(ec_client *client,
                                const ec_describe_cache_clusters_input *in,
                                ec_describe_cache_clusters_output **out,
                                ec_error *err)
{
    static const char op[] = "DescribeCacheClusters";
    ec_describe_cache_clusters_input req = *in;
    char id[CLUSTER_ID_SIZE];
    ecp_buf body = {0};
    ecp_response resp = {0};
    int rc = -1;

    *out = NULL;
    if (in->cache_cluster_id) {
        if (ec_validate_cache_cluster_id(in->cache_cluster_id, id, sizeof(id),
                                         err) != 0)
            return fail(err, op);
        req.cache_cluster_id = id;
    }
    if (ecp_encode_describe_cache_clusters(&req, &body, err) != 0 ||
        ecp_client_send(client, op, body.data, body.len, true, &resp, err) !=
            0 ||
        ecp_parse_describe_cache_clusters(resp.body.data, resp.body.len,
                                          client->settings.max_response_bytes,
                                          out, err) != 0)
        goto out;
    rc = 0;
out:
    ecp_buf_free(&body);
    ecp_response_free(&resp);
    return rc == 0 ? 0 : fail(err, op);
}

int ec_describe_cache_clusters(ec_client *client,
                               const ec_describe_cache_clusters_input *in,
                               ec_describe_cache_clusters_output **out,
                               ec_error *err)
{
    ec_describe_cache_clusters_input req;

    if (boundary(client, &ecp_info_describe_cache_clusters_input, in, &req, out,
                 "DescribeCacheClusters", err) != 0)
        return -1;
    return ecp_describe_cache_clusters(client, &req, out, err);
}

/* An unreadable 2xx: the request was taken, so it may have been acted
 * on. `what` names the effect for the message. */
static int unreadable_answer(const ec_error *perr, size_t len,
                             const char *operation, const char *what,
                             ec_error *err)
{
    ec_error lost = *perr;
    char why[EC_ERROR_TEXT_LENGTH];

    if (perr->code == EC_ERR_NOMEM)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    ecp_msgf(why, sizeof(why), "%s", perr->message);
    ecp_msgf(lost.message, sizeof(lost.message),
             "the service answered HTTP 2xx but the answer cannot be read "
             "(%.300s), so %s may have been accepted",
             len ? why : "an empty body", what);
    lost.maybe_sent = true;
    ecp_error_set_operation(&lost, operation);
    if (err && err->code == EC_OK)
        *err = lost;
    return -1;
}

int ecp_reboot_answer_parse(const char *body, size_t len, size_t max_bytes,
                            ec_reboot_cache_cluster_output **out, ec_error *err)
{
    ec_error perr;

    ec_error_clear(&perr);
    if (ecp_parse_reboot_cache_cluster(body ? body : "", len, max_bytes, out,
                                       &perr) == 0)
        return 0;
    return unreadable_answer(&perr, len, "RebootCacheCluster", "the reboot",
                             err);
}

int ecp_modify_answer_parse(const char *body, size_t len, size_t max_bytes,
                            ec_modify_replication_group_output **out,
                            ec_error *err)
{
    ec_error perr;

    ec_error_clear(&perr);
    if (ecp_parse_modify_replication_group(body ? body : "", len, max_bytes,
                                           out, &perr) == 0)
        return 0;
    return unreadable_answer(&perr, len, "ModifyReplicationGroup",
                             "the modification", err);
}

int ecp_reboot_cache_cluster(ec_client *client,
                             const ec_reboot_cache_cluster_input *in,
                             ec_reboot_cache_cluster_output **out,
                             ec_error *err)
{
    static const char op[] = "RebootCacheCluster";
    ec_reboot_cache_cluster_input req = *in;
    char id[CLUSTER_ID_SIZE];
    ecp_buf body = {0};
    ecp_response resp = {0};
    size_t i;
    int rc = -1;

    *out = NULL;
    if (ec_validate_cache_cluster_id(in->cache_cluster_id, id, sizeof(id),
                                     err) != 0)
        return fail(err, op);
    if (in->cache_node_id_count == 0 || !in->cache_node_ids_to_reboot) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "RebootCacheCluster needs at least one cache node id");
        return fail(err, op);
    }
    for (i = 0; i < in->cache_node_id_count; i++)
        if (ec_validate_cache_node_id(in->cache_node_ids_to_reboot[i], err) !=
            0)
            return fail(err, op);
    req.cache_cluster_id = id;
    /* Not idempotent: sent again only when the failure proves the first
     * one was not processed. */
    if (ecp_encode_reboot_cache_cluster(&req, &body, err) != 0 ||
        ecp_client_send(client, op, body.data, body.len, false, &resp, err) !=
            0 ||
        ecp_reboot_answer_parse(resp.body.data, resp.body.len,
                                client->settings.max_response_bytes, out,
                                err) != 0)
        goto out;
    rc = 0;
out:
    ecp_buf_free(&body);
    ecp_response_free(&resp);
    return rc == 0 ? 0 : fail(err, op);
}

int ec_reboot_cache_cluster(ec_client *client,
                            const ec_reboot_cache_cluster_input *in,
                            ec_reboot_cache_cluster_output **out, ec_error *err)
{
    ec_reboot_cache_cluster_input req;

    if (boundary(client, &ecp_info_reboot_cache_cluster_input, in, &req, out,
                 "RebootCacheCluster", err) != 0)
        return -1;
    return ecp_reboot_cache_cluster(client, &req, out, err);
}

int ecp_describe_events(ec_client *client, const ec_describe_events_input *in,
                        ec_describe_events_output **out, ec_error *err)
{
    static const char op[] = "DescribeEvents";
    ecp_buf body = {0};
    ecp_response resp = {0};
    int rc = -1;

    *out = NULL;
    if (ecp_encode_describe_events(in, &body, err) != 0 ||
        ecp_client_send(client, op, body.data, body.len, true, &resp, err) !=
            0 ||
        ecp_parse_describe_events(resp.body.data, resp.body.len,
                                  client->settings.max_response_bytes, out,
                                  err) != 0)
        goto out;
    rc = 0;
out:
    ecp_buf_free(&body);
    ecp_response_free(&resp);
    return rc == 0 ? 0 : fail(err, op);
}

int ec_describe_events(ec_client *client, const ec_describe_events_input *in,
                       ec_describe_events_output **out, ec_error *err)
{
    ec_describe_events_input req;

    if (boundary(client, &ecp_info_describe_events_input, in, &req, out,
                 "DescribeEvents", err) != 0)
        return -1;
    return ecp_describe_events(client, &req, out, err);
}

int ecp_list_tags_for_resource(ec_client *client,
                               const ec_list_tags_for_resource_input *in,
                               ec_list_tags_for_resource_output **out,
                               ec_error *err)
{
    static const char op[] = "ListTagsForResource";
    ecp_buf body = {0};
    ecp_response resp = {0};
    int rc = -1;

    *out = NULL;
    /* botocore sends "" and the service answers InvalidARN; refusing it
     * here saves a request that cannot succeed. */
    if (!in->resource_name || !*in->resource_name) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "ListTagsForResource needs a resource name (an ARN)");
        return fail(err, op);
    }
    /* Read-only: retried as the describes are. */
    if (ecp_encode_list_tags_for_resource(in, &body, err) != 0 ||
        ecp_client_send(client, op, body.data, body.len, true, &resp, err) !=
            0 ||
        ecp_parse_list_tags_for_resource(resp.body.data, resp.body.len,
                                         client->settings.max_response_bytes,
                                         out, err) != 0)
        goto out;
    rc = 0;
out:
    ecp_buf_free(&body);
    ecp_response_free(&resp);
    return rc == 0 ? 0 : fail(err, op);
}

int ec_list_tags_for_resource(ec_client *client,
                              const ec_list_tags_for_resource_input *in,
                              ec_list_tags_for_resource_output **out,
                              ec_error *err)
{
    ec_list_tags_for_resource_input req;

    if (boundary(client, &ecp_info_list_tags_for_resource_input, in, &req, out,
                 "ListTagsForResource", err) != 0)
        return -1;
    return ecp_list_tags_for_resource(client, &req, out, err);
}

#define GROUP_ID_SIZE 48

int ecp_describe_replication_groups(
    ec_client *client, const ec_describe_replication_groups_input *in,
    ec_describe_replication_groups_output **out, ec_error *err)
{
    static const char op[] = "DescribeReplicationGroups";
    ec_describe_replication_groups_input req = *in;
    char id[GROUP_ID_SIZE];
    ecp_buf body = {0};
    ecp_response resp = {0};
    int rc = -1;

    *out = NULL;
    if (in->replication_group_id) {
        if (ec_validate_replication_group_id(in->replication_group_id, id,
                                             sizeof(id), err) != 0)
            return fail(err, op);
        req.replication_group_id = id;
    }
    if (ecp_encode_describe_replication_groups(&req, &body, err) != 0 ||
        ecp_client_send(client, op, body.data, body.len, true, &resp, err) !=
            0 ||
        ecp_parse_describe_replication_groups(
            resp.body.data, resp.body.len, client->settings.max_response_bytes,
            out, err) != 0)
        goto out;
    rc = 0;
out:
    ecp_buf_free(&body);
    ecp_response_free(&resp);
    return rc == 0 ? 0 : fail(err, op);
}

int ec_describe_replication_groups(
    ec_client *client, const ec_describe_replication_groups_input *in,
    ec_describe_replication_groups_output **out, ec_error *err)
{
    ec_describe_replication_groups_input req;

    if (boundary(client, &ecp_info_describe_replication_groups_input, in, &req,
                 out, "DescribeReplicationGroups", err) != 0)
        return -1;
    return ecp_describe_replication_groups(client, &req, out, err);
}

int ecp_modify_replication_group(ec_client *client,
                                 const ec_modify_replication_group_input *in,
                                 ec_modify_replication_group_output **out,
                                 ec_error *err)
{
    static const char op[] = "ModifyReplicationGroup";
    ec_modify_replication_group_input req = *in;
    char id[GROUP_ID_SIZE], primary[CLUSTER_ID_SIZE];
    ecp_buf body = {0};
    ecp_response resp = {0};
    int rc = -1;

    *out = NULL;
    if (ec_validate_replication_group_id(in->replication_group_id, id,
                                         sizeof(id), err) != 0)
        return fail(err, op);
    req.replication_group_id = id;
    if (in->primary_cluster_id) {
        if (ec_validate_cache_cluster_id(in->primary_cluster_id, primary,
                                         sizeof(primary), err) != 0)
            return fail(err, op);
        req.primary_cluster_id = primary;
    }
    /* It changes the group (a primary move is a failover): sent again only
     * when the failure proves the first one was not processed, as
     * RebootCacheCluster (see elasticache.h for why it is not idempotent). */
    if (ecp_encode_modify_replication_group(&req, &body, err) != 0 ||
        ecp_client_send(client, op, body.data, body.len, false, &resp, err) !=
            0 ||
        ecp_modify_answer_parse(resp.body.data, resp.body.len,
                                client->settings.max_response_bytes, out,
                                err) != 0)
        goto out;
    rc = 0;
out:
    ecp_buf_free(&body);
    ecp_response_free(&resp);
    return rc == 0 ? 0 : fail(err, op);
}

int ec_modify_replication_group(ec_client *client,
                                const ec_modify_replication_group_input *in,
                                ec_modify_replication_group_output **out,
                                ec_error *err)
{
    ec_modify_replication_group_input req;

    if (boundary(client, &ecp_info_modify_replication_group_input, in, &req,
                 out, "ModifyReplicationGroup", err) != 0)
        return -1;
    return ecp_modify_replication_group(client, &req, out, err);
}

/* ------------------------------------------------------------------ */
/* One paginator for every paginated operation                         */
/* ------------------------------------------------------------------ */

/* What differs between the paginated operations: the output's shape (a
 * Marker and one list member), where its request id is (not a model
 * member), and how to fetch one page at a marker. */
typedef struct paged_op {
    const char *name;
    const ecp_shape *shape;
    size_t request_id_offset;
    int (*page)(ec_client *client, const void *in, const char *marker,
                void **out, ec_error *err);
} paged_op;

static int dcc_page(ec_client *client, const void *in, const char *marker,
                    void **out, ec_error *err)
{
    ec_describe_cache_clusters_input req =
        *(const ec_describe_cache_clusters_input *)in;
    ec_describe_cache_clusters_output *o = NULL;
    int rc;

    req.marker = marker;
    rc = ecp_describe_cache_clusters(client, &req, &o, err);
    *out = o;
    return rc;
}

static int events_page(ec_client *client, const void *in, const char *marker,
                       void **out, ec_error *err)
{
    ec_describe_events_input req = *(const ec_describe_events_input *)in;
    ec_describe_events_output *o = NULL;
    int rc;

    req.marker = marker;
    rc = ecp_describe_events(client, &req, &o, err);
    *out = o;
    return rc;
}

static int rg_page(ec_client *client, const void *in, const char *marker,
                   void **out, ec_error *err)
{
    ec_describe_replication_groups_input req =
        *(const ec_describe_replication_groups_input *)in;
    ec_describe_replication_groups_output *o = NULL;
    int rc;

    req.marker = marker;
    rc = ecp_describe_replication_groups(client, &req, &o, err);
    *out = o;
    return rc;
}

static const paged_op describe_cache_clusters_op = {
    "DescribeCacheClusters", &ecp_shape_cache_cluster_message,
    offsetof(ec_describe_cache_clusters_output, request_id), dcc_page};

static const paged_op describe_events_op = {
    "DescribeEvents", &ecp_shape_events_message,
    offsetof(ec_describe_events_output, request_id), events_page};

static const paged_op describe_replication_groups_op = {
    "DescribeReplicationGroups", &ecp_shape_replication_group_message,
    offsetof(ec_describe_replication_groups_output, request_id), rg_page};

static char *request_id_of(const paged_op *op, const void *obj)
{
    char *rid;

    memcpy(&rid, (const char *)obj + op->request_id_offset, sizeof(rid));
    return rid;
}

static void set_request_id(const paged_op *op, void *obj, char *rid)
{
    memcpy((char *)obj + op->request_id_offset, &rid, sizeof(rid));
}

static void output_free(const paged_op *op, void *obj)
{
    if (!obj)
        return;
    free(request_id_of(op, obj));
    ecp_shape_free(op->shape, obj);
}

/* The output's member of one kind: its Marker, or its list. */
static const ecp_member *member_of(const ecp_shape *shape, ecp_kind kind,
                                   const char *name)
{
    for (size_t i = 0; i < shape->count; i++)
        if (shape->members[i].kind == kind &&
            (!name || strcmp(shape->members[i].name, name) == 0))
            return &shape->members[i];
    return NULL;
}

/* Move a page's items to the end of the accumulated list. */
static int take_items(const ecp_member *list, void *all, void *page)
{
    void **items, **page_items, **grown;
    size_t count, page_count;
    bool set;

    set = ecp_member_list_get(all, list, &count, &items);
    ecp_member_list_get(page, list, &page_count, &page_items);
    if (page_count == 0)
        return 0;
    grown = realloc(items, (count + page_count) * sizeof(*grown));
    if (!grown)
        return -1;
    memcpy(grown + count, page_items, page_count * sizeof(*grown));
    ecp_member_list_set(all, list, set, count + page_count, grown);
    ecp_member_list_set(page, list, true, 0, NULL);
    free(page_items);
    return 0;
}

/*
 * botocore's paginator: every page, following Marker until it is absent or
 * empty, the pages' items concatenated into one output whose Marker is
 * absent and whose request id is the first page's. A marker seen before is
 * botocore's PaginationError (a service that hands back an old marker
 * would otherwise be paged forever).
 */
static int paginate(ec_client *client, const paged_op *op, const void *in,
                    const char *first_marker, void **outp, ec_error *err)
{
    const ecp_member *marker_m = member_of(op->shape, ECP_K_STRING, "Marker");
    const ecp_member *list_m = member_of(op->shape, ECP_K_LIST, NULL);
    void *out = NULL, *page = NULL;
    ec_strlist seen = {0};
    char *marker = NULL;
    int rc = -1;

    *outp = NULL;
    out = calloc(1, op->shape->size);
    marker = ecp_strdup(first_marker);
    if (!out || (first_marker && !marker)) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        goto out;
    }
    ecp_member_list_set(out, list_m, true, 0, NULL);
    for (;;) {
        if (op->page(client, in, marker, &page, err) != 0)
            goto out;
        if (take_items(list_m, out, page) != 0) {
            ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (!request_id_of(op, out)) {
            set_request_id(op, out, request_id_of(op, page));
            set_request_id(op, page, NULL);
        }
        free(marker);
        marker = ecp_member_ptr_get(page, marker_m);
        ecp_member_ptr_set(page, marker_m, NULL);
        output_free(op, page);
        page = NULL;
        if (!marker || !marker[0])
            break;
        if (ecp_strlist_contains(&seen, marker)) {
            ecp_error_set(err, EC_ERR_PARSE,
                          "The same next token was received twice: "
                          "{'Marker': '%.200s'}",
                          marker);
            goto out;
        }
        if (ec_strlist_push(&seen, marker) != 0) {
            ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    *outp = out;
    out = NULL;
    rc = 0;
out:
    output_free(op, out);
    output_free(op, page);
    free(marker);
    ec_strlist_clear(&seen);
    return rc == 0 ? 0 : fail(err, op->name);
}

int ecp_describe_cache_clusters_all(ec_client *client,
                                    const ec_describe_cache_clusters_input *in,
                                    ec_describe_cache_clusters_output **out,
                                    ec_error *err)
{
    void *all = NULL;
    int rc = paginate(client, &describe_cache_clusters_op, in, in->marker, &all,
                      err);

    *out = all;
    return rc;
}

int ec_describe_cache_clusters_all(ec_client *client,
                                   const ec_describe_cache_clusters_input *in,
                                   ec_describe_cache_clusters_output **out,
                                   ec_error *err)
{
    ec_describe_cache_clusters_input req;

    if (boundary(client, &ecp_info_describe_cache_clusters_input, in, &req, out,
                 "DescribeCacheClusters", err) != 0)
        return -1;
    return ecp_describe_cache_clusters_all(client, &req, out, err);
}

int ecp_describe_events_all(ec_client *client,
                            const ec_describe_events_input *in,
                            ec_describe_events_output **out, ec_error *err)
{
    void *all = NULL;
    int rc = paginate(client, &describe_events_op, in, in->marker, &all, err);

    *out = all;
    return rc;
}

int ec_describe_events_all(ec_client *client,
                           const ec_describe_events_input *in,
                           ec_describe_events_output **out, ec_error *err)
{
    ec_describe_events_input req;

    if (boundary(client, &ecp_info_describe_events_input, in, &req, out,
                 "DescribeEvents", err) != 0)
        return -1;
    return ecp_describe_events_all(client, &req, out, err);
}

int ecp_describe_replication_groups_all(
    ec_client *client, const ec_describe_replication_groups_input *in,
    ec_describe_replication_groups_output **out, ec_error *err)
{
    void *all = NULL;
    int rc = paginate(client, &describe_replication_groups_op, in, in->marker,
                      &all, err);

    *out = all;
    return rc;
}

int ec_describe_replication_groups_all(
    ec_client *client, const ec_describe_replication_groups_input *in,
    ec_describe_replication_groups_output **out, ec_error *err)
{
    ec_describe_replication_groups_input req;

    if (boundary(client, &ecp_info_describe_replication_groups_input, in, &req,
                 out, "DescribeReplicationGroups", err) != 0)
        return -1;
    return ecp_describe_replication_groups_all(client, &req, out, err);
}
