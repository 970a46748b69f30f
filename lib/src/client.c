/*
 * The client (settings, endpoint, credentials, one connection) and the
 * ElastiCache operations: validate, encode, send, parse, and the Marker
 * loops of the paginated calls.
 */
#include "client.h"

#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "xmlparse.h"

#define CLUSTER_ID_SIZE 64

ec_client *ec_client_new(const ec_config *config, ec_error *err)
{
    static const ec_config empty;
    ecp_credentials_context ctx;
    ecp_endpoint_input ein = {0};
    ec_client *client = calloc(1, sizeof(*client));

    if (!client) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (!config)
        config = &empty;
    client->debug = config->debug;
    client->debug_userdata = config->debug_userdata;
    client->now = config->now;
    client->sleep = config->sleep;
    client->clock_userdata = config->clock_userdata;
    client->retry_quota = ECP_RETRY_QUOTA_MAX;

    if (ecp_settings_load(config, &client->settings, err) != 0)
        goto fail;
    ein.region = client->settings.region;
    ein.endpoint_url = client->settings.endpoint_url;
    ein.use_fips = client->settings.use_fips;
    ein.use_dualstack = client->settings.use_dualstack;
    if (ecp_endpoint_resolve(&ein, &client->endpoint, err) != 0)
        goto fail;
    ctx.config = config;
    ctx.settings = &client->settings;
    if (ecp_credentials_resolve(&ctx, &client->credentials, err) != 0)
        goto fail;
    client->credentials_id = ecp_sigv4_credentials_id_new();
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
        "%s%s, retry mode %s with %d attempts, TLS verification "
        "%s%s%s",
        client->settings.profile, client->endpoint.signing_region,
        client->endpoint.url, client->credentials.source,
        client->credentials.session_token ? " (with session token)" : "",
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
    ecp_credentials_clear(&client->credentials);
    ecp_settings_free(&client->settings);
    ec_wipe(client, sizeof(*client));
    free(client);
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

static int need_client(ec_client *client, const void *in, void *out,
                       ec_error *err)
{
    if (!client || !in || !out)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "client, input and output must not be NULL");
    return 0;
}

int ec_describe_cache_clusters(ec_client *client,
                               const ec_describe_cache_clusters_input *in,
                               ec_describe_cache_clusters_output *out,
                               ec_error *err)
{
    static const char op[] = "DescribeCacheClusters";
    ec_describe_cache_clusters_input req;
    char id[CLUSTER_ID_SIZE];
    ecp_buf body = {0};
    ecp_response resp = {0};
    int rc = -1;

    if (need_client(client, in, out, err) != 0)
        return fail(err, op);
    req = *in;
    if (in->cache_cluster_id) {
        if (ec_validate_cache_cluster_id(in->cache_cluster_id, id, sizeof(id),
                                         err) != 0)
            return fail(err, op);
        req.cache_cluster_id = id;
    }
    if (ecp_encode_describe_cache_clusters(&req, &body, err) != 0 ||
        ecp_client_send(client, op, body.data, body.len, true, &resp, err) !=
            0 ||
        ecp_parse_describe_cache_clusters(resp.body.data, resp.body.len, out,
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
                            ec_reboot_cache_cluster_output *out, ec_error *err)
{
    static const char op[] = "RebootCacheCluster";
    ec_reboot_cache_cluster_input req;
    char id[CLUSTER_ID_SIZE];
    ecp_buf body = {0};
    ecp_response resp = {0};
    size_t i;
    int rc = -1;

    if (need_client(client, in, out, err) != 0)
        return fail(err, op);
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
    req = *in;
    req.cache_cluster_id = id;
    /* Not idempotent: sent again only when the failure proves the first
     * one was not processed. */
    if (ecp_encode_reboot_cache_cluster(&req, &body, err) != 0 ||
        ecp_client_send(client, op, body.data, body.len, false, &resp, err) !=
            0 ||
        ecp_parse_reboot_cache_cluster(resp.body.data, resp.body.len, out,
                                       err) != 0)
        goto out;
    rc = 0;
out:
    ecp_buf_free(&body);
    ecp_response_free(&resp);
    return rc == 0 ? 0 : fail(err, op);
}

int ec_describe_events(ec_client *client, const ec_describe_events_input *in,
                       ec_describe_events_output *out, ec_error *err)
{
    static const char op[] = "DescribeEvents";
    ecp_buf body = {0};
    ecp_response resp = {0};
    int rc = -1;

    if (need_client(client, in, out, err) != 0)
        return fail(err, op);
    if (ecp_encode_describe_events(in, &body, err) != 0 ||
        ecp_client_send(client, op, body.data, body.len, true, &resp, err) !=
            0 ||
        ecp_parse_describe_events(resp.body.data, resp.body.len, out, err) != 0)
        goto out;
    rc = 0;
out:
    ecp_buf_free(&body);
    ecp_response_free(&resp);
    return rc == 0 ? 0 : fail(err, op);
}

/* botocore's PaginationError for a marker seen before: a service that
 * hands back an old marker would otherwise be paged forever. */
static int check_marker(ec_strlist *seen, const char *marker,
                        const char *operation, ec_error *err)
{
    if (ecp_strlist_contains(seen, marker)) {
        ecp_error_set(err, EC_ERR_PARSE,
                      "The same next token was received twice: "
                      "{'Marker': '%.200s'}",
                      marker);
        return fail(err, operation);
    }
    if (ec_strlist_push(seen, marker) != 0) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        return fail(err, operation);
    }
    return 0;
}

/* Move a page's items to the end of an accumulated array. */
static int append_items(void **items, size_t *count, void **page_items,
                        size_t *page_count, size_t item_size)
{
    char *p;

    if (*page_count == 0)
        return 0;
    p = realloc(*items, (*count + *page_count) * item_size);
    if (!p)
        return -1;
    memcpy(p + *count * item_size, *page_items, *page_count * item_size);
    *items = p;
    *count += *page_count;
    free(*page_items);
    *page_items = NULL;
    *page_count = 0;
    return 0;
}

int ec_describe_cache_clusters_all(ec_client *client,
                                   const ec_describe_cache_clusters_input *in,
                                   ec_describe_cache_clusters_output *out,
                                   ec_error *err)
{
    static const char op[] = "DescribeCacheClusters";
    ec_describe_cache_clusters_input req;
    ec_describe_cache_clusters_output page;
    ec_strlist seen = {0};
    char *marker = NULL;
    int rc = -1;

    if (need_client(client, in, out, err) != 0)
        return fail(err, op);
    req = *in;
    marker = ecp_strdup(in->marker);
    if (in->marker && !marker) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        return fail(err, op);
    }
    out->cache_clusters.set = true;
    for (;;) {
        memset(&page, 0, sizeof(page));
        req.marker = marker;
        if (ec_describe_cache_clusters(client, &req, &page, err) != 0)
            goto out;
        if (append_items(
                (void **)&out->cache_clusters.items, &out->cache_clusters.count,
                (void **)&page.cache_clusters.items, &page.cache_clusters.count,
                sizeof(ec_cache_cluster)) != 0) {
            ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
            fail(err, op);
            goto out;
        }
        if (!out->request_id) {
            out->request_id = page.request_id;
            page.request_id = NULL;
        }
        free(marker);
        marker = page.marker;
        page.marker = NULL;
        ec_describe_cache_clusters_output_clear(&page);
        if (!marker || !marker[0])
            break;
        if (check_marker(&seen, marker, op, err) != 0)
            goto out;
    }
    rc = 0;
out:
    ec_describe_cache_clusters_output_clear(&page);
    free(marker);
    ec_strlist_clear(&seen);
    return rc;
}

int ec_describe_events_all(ec_client *client,
                           const ec_describe_events_input *in,
                           ec_describe_events_output *out, ec_error *err)
{
    static const char op[] = "DescribeEvents";
    ec_describe_events_input req;
    ec_describe_events_output page;
    ec_strlist seen = {0};
    char *marker = NULL;
    int rc = -1;

    if (need_client(client, in, out, err) != 0)
        return fail(err, op);
    req = *in;
    marker = ecp_strdup(in->marker);
    if (in->marker && !marker) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        return fail(err, op);
    }
    out->events.set = true;
    for (;;) {
        memset(&page, 0, sizeof(page));
        req.marker = marker;
        if (ec_describe_events(client, &req, &page, err) != 0)
            goto out;
        if (append_items((void **)&out->events.items, &out->events.count,
                         (void **)&page.events.items, &page.events.count,
                         sizeof(ec_event)) != 0) {
            ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
            fail(err, op);
            goto out;
        }
        if (!out->request_id) {
            out->request_id = page.request_id;
            page.request_id = NULL;
        }
        free(marker);
        marker = page.marker;
        page.marker = NULL;
        ec_describe_events_output_clear(&page);
        if (!marker || !marker[0])
            break;
        if (check_marker(&seen, marker, op, err) != 0)
            goto out;
    }
    rc = 0;
out:
    ec_describe_events_output_clear(&page);
    free(marker);
    ec_strlist_clear(&seen);
    return rc;
}
