/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ec_call: make one ElastiCache call through libelasticache and print what
 * came back, for the transport, retry and fault tests against the
 * simulator. Not installed.
 *
 *   ec_call [client options] OPERATION [operation options]
 *
 * Prints the AWS CLI style JSON of the result on stdout (--summary: one
 * line per cluster/event instead), or on failure the formatted error and
 * an "error-detail:" line on stderr, and exits with the ec_errcode (0 on
 * success). --stats prints "requests=N connections=M slept=S" on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

static double slept;

static void fake_sleep(void *userdata, double seconds)
{
    (void)userdata;
    slept += seconds;
}

static void real_sleep_counting(void *userdata, double seconds)
{
    struct timespec ts;

    (void)userdata;
    slept += seconds;
    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    nanosleep(&ts, NULL);
}

static void debug_line(void *userdata, const char *line)
{
    (void)userdata;
    fprintf(stderr, "debug: %s\n", line);
}

static const char *const codes[] = {
    "EC_OK",
    "EC_ERR_NOMEM",
    "EC_ERR_INVALID_ARGUMENT",
    "EC_ERR_CONFIG",
    "EC_ERR_CREDENTIALS",
    "EC_ERR_SERVICE",
    "EC_ERR_TRANSPORT",
    "EC_ERR_TIMEOUT",
    "EC_ERR_PARSE",
    "EC_ERR_WAIT_TIMEOUT",
    "EC_ERR_WAIT_FAILURE",
    "EC_ERR_IO",
    "EC_ERR_INTERNAL",
};

static int usage(void)
{
    fprintf(stderr,
            "usage: ec_call [--region R] [--profile P] [--endpoint-url U]\n"
            "  [--ca-bundle F] [--no-verify-ssl] [--connect-timeout S]\n"
            "  [--read-timeout S] [--max-attempts N] [--retry-mode M]\n"
            "  [--max-response-bytes N] [--access-key-id K]\n"
            "  [--secret-access-key S] [--session-token T] [--debug]\n"
            "  [--credential-process-timeout S]\n"
            "  [--no-sleep] [--stats] [--summary] [--repeat N] [--warm]\n"
            "  describe-cache-clusters [--cache-cluster-id ID]\n"
            "      [--show-cache-node-info] [--max-records N] [--marker M]\n"
            "      [--all]\n"
            "  reboot-cache-cluster --cache-cluster-id ID\n"
            "      --cache-node-ids-to-reboot ID...\n"
            "  describe-events [--source-identifier X] [--source-type T]\n"
            "      [--duration MIN] [--max-records N] [--all]\n"
            "  describe-replication-groups [--replication-group-id ID]\n"
            "      [--max-records N] [--marker M] [--all]\n"
            "  modify-replication-group --replication-group-id ID\n"
            "      [--primary-cluster-id ID] [--automatic-failover-enabled\n"
            "      true|false] [--multi-az-enabled true|false]\n"
            "      [--apply-immediately]\n"
            "  list-tags-for-resource --resource-name ARN [--dict]\n");
    return 2;
}

static long number(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (end == s || *end) {
        fprintf(stderr, "ec_call: not a number: %s\n", s);
        exit(2);
    }
    return v;
}

static void print_json(json_t *j)
{
    char *text = j ? ec_json_dumps_aws(j) : NULL;

    if (text)
        fputs(text, stdout);
    free(text);
    json_decref(j);
}

int main(int argc, char **argv)
{
    ec_config cfg = EC_CONFIG_INIT;
    ec_error err;
    ec_client *client = NULL;
    const char *op = NULL;
    const char *cluster_id = NULL, *marker = NULL, *source_id = NULL;
    const char *source_type = NULL;
    const char *group_id = NULL, *primary_id = NULL, *resource = NULL;
    bool dict = false;
    ec_opt_bool failover = {0}, multi_az = {0}, apply = {0};
    const char *nodes[64];
    size_t node_count = 0;
    long max_records = 0, duration = 0, repeat = 1;
    bool show_nodes = false, all = false, stats = false, summary = false;
    bool no_sleep = false, warm = false;
    int i, rc = 0;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

#define OPT(name) (strcmp(a, name) == 0 && (v || (usage(), exit(2), 0)))
        if (!op && OPT("--region")) {
            cfg.region = v;
            i++;
        } else if (!op && OPT("--profile")) {
            cfg.profile = v;
            i++;
        } else if (!op && OPT("--endpoint-url")) {
            cfg.endpoint_url = v;
            i++;
        } else if (!op && OPT("--ca-bundle")) {
            cfg.ca_bundle = v;
            i++;
        } else if (!op && strcmp(a, "--no-verify-ssl") == 0) {
            cfg.no_verify_ssl = true;
        } else if (!op && OPT("--connect-timeout")) {
            cfg.connect_timeout = strtod(v, NULL);
            i++;
        } else if (!op && OPT("--read-timeout")) {
            cfg.read_timeout = strtod(v, NULL);
            i++;
        } else if (!op && OPT("--max-attempts")) {
            cfg.max_attempts = (int)number(v);
            i++;
        } else if (!op && OPT("--retry-mode")) {
            cfg.retry_mode = v;
            i++;
        } else if (!op && OPT("--max-response-bytes")) {
            cfg.max_response_bytes = (size_t)number(v);
            i++;
        } else if (!op && OPT("--access-key-id")) {
            cfg.access_key_id = v;
            i++;
        } else if (!op && OPT("--secret-access-key")) {
            cfg.secret_access_key = v;
            i++;
        } else if (!op && OPT("--session-token")) {
            cfg.session_token = v;
            i++;
        } else if (!op && OPT("--credential-process-timeout")) {
            cfg.credential_process_timeout = strtod(v, NULL);
            i++;
        } else if (!op && strcmp(a, "--debug") == 0) {
            cfg.debug = debug_line;
        } else if (!op && strcmp(a, "--no-sleep") == 0) {
            no_sleep = true;
        } else if (!op && strcmp(a, "--warm") == 0) {
            /* One DescribeCacheClusters first, so the operation runs on a
             * kept-alive connection, as inside ec_reboot. */
            warm = true;
        } else if (!op && strcmp(a, "--stats") == 0) {
            stats = true;
        } else if (!op && strcmp(a, "--summary") == 0) {
            summary = true;
        } else if (!op && OPT("--repeat")) {
            repeat = number(v);
            i++;
        } else if (!op && a[0] != '-') {
            op = a;
        } else if (op && OPT("--cache-cluster-id")) {
            cluster_id = v;
            i++;
        } else if (op && strcmp(a, "--show-cache-node-info") == 0) {
            show_nodes = true;
        } else if (op && OPT("--max-records")) {
            max_records = number(v);
            i++;
        } else if (op && OPT("--marker")) {
            marker = v;
            i++;
        } else if (op && strcmp(a, "--all") == 0) {
            all = true;
        } else if (op && OPT("--source-identifier")) {
            source_id = v;
            i++;
        } else if (op && OPT("--source-type")) {
            source_type = v;
            i++;
        } else if (op && OPT("--duration")) {
            duration = number(v);
            i++;
        } else if (op && OPT("--replication-group-id")) {
            group_id = v;
            i++;
        } else if (op && OPT("--resource-name")) {
            resource = v;
            i++;
        } else if (op && strcmp(a, "--dict") == 0) {
            dict = true;
        } else if (op && OPT("--primary-cluster-id")) {
            primary_id = v;
            i++;
        } else if (op && OPT("--automatic-failover-enabled")) {
            failover.set = true;
            failover.value = strcmp(v, "true") == 0;
            i++;
        } else if (op && OPT("--multi-az-enabled")) {
            multi_az.set = true;
            multi_az.value = strcmp(v, "true") == 0;
            i++;
        } else if (op && strcmp(a, "--apply-immediately") == 0) {
            apply.set = true;
            apply.value = true;
        } else if (op && strcmp(a, "--cache-node-ids-to-reboot") == 0) {
            while (i + 1 < argc && argv[i + 1][0] != '-' && node_count < 64)
                nodes[node_count++] = argv[++i];
        } else {
            fprintf(stderr, "ec_call: unknown argument %s\n", a);
            return usage();
        }
#undef OPT
    }
    if (!op)
        return usage();
    cfg.sleep = no_sleep ? fake_sleep : real_sleep_counting;

    ec_error_clear(&err);
    client = ec_client_new(&cfg, &err);
    if (client && warm) {
        ec_describe_cache_clusters_input in =
            EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
        ec_describe_cache_clusters_output *out = NULL;

        in.max_records.set = true;
        in.max_records.value = 20;
        rc = ec_describe_cache_clusters(client, &in, &out, &err);
        ec_describe_cache_clusters_output_free(out);
    }
    for (long r = 0; client && r < repeat && rc == 0; r++) {
        if (strcmp(op, "describe-cache-clusters") == 0) {
            ec_describe_cache_clusters_input in =
                EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
            ec_describe_cache_clusters_output *out = NULL;

            in.cache_cluster_id = cluster_id;
            in.marker = marker;
            if (max_records) {
                in.max_records.set = true;
                in.max_records.value = max_records;
            }
            if (show_nodes) {
                in.show_cache_node_info.set = true;
                in.show_cache_node_info.value = true;
            }
            rc = all ? ec_describe_cache_clusters_all(client, &in, &out, &err)
                     : ec_describe_cache_clusters(client, &in, &out, &err);
            if (rc == 0 && summary) {
                printf("clusters %zu\n", out->cache_clusters.count);
                for (size_t k = 0; k < out->cache_clusters.count; k++)
                    printf("cluster %s %s\n",
                           out->cache_clusters.items[k]->cache_cluster_id,
                           out->cache_clusters.items[k]->cache_cluster_status);
                if (out->marker)
                    printf("marker %s\n", out->marker);
            } else if (rc == 0 && r == repeat - 1) {
                print_json(ec_describe_cache_clusters_output_to_json(
                    out, EC_JSON_AWS));
            }
            ec_describe_cache_clusters_output_free(out);
        } else if (strcmp(op, "reboot-cache-cluster") == 0) {
            ec_reboot_cache_cluster_input in =
                EC_REBOOT_CACHE_CLUSTER_INPUT_INIT;
            ec_reboot_cache_cluster_output *out = NULL;

            in.cache_cluster_id = cluster_id;
            in.cache_node_ids_to_reboot = nodes;
            in.cache_node_id_count = node_count;
            rc = ec_reboot_cache_cluster(client, &in, &out, &err);
            if (rc == 0 && summary)
                printf("cluster %s %s\n",
                       out->cache_cluster ? out->cache_cluster->cache_cluster_id
                                          : "-",
                       out->cache_cluster
                           ? out->cache_cluster->cache_cluster_status
                           : "-");
            else if (rc == 0)
                print_json(
                    ec_reboot_cache_cluster_output_to_json(out, EC_JSON_AWS));
            ec_reboot_cache_cluster_output_free(out);
        } else if (strcmp(op, "describe-events") == 0) {
            ec_describe_events_input in = EC_DESCRIBE_EVENTS_INPUT_INIT;
            ec_describe_events_output *out = NULL;

            in.source_identifier = source_id;
            in.source_type = source_type;
            if (duration) {
                in.duration.set = true;
                in.duration.value = duration;
            }
            if (max_records) {
                in.max_records.set = true;
                in.max_records.value = max_records;
            }
            in.marker = marker;
            rc = all ? ec_describe_events_all(client, &in, &out, &err)
                     : ec_describe_events(client, &in, &out, &err);
            if (rc == 0 && summary) {
                printf("events %zu\n", out->events.count);
                for (size_t k = 0; k < out->events.count; k++)
                    printf("event %s %s\n",
                           out->events.items[k]->source_identifier,
                           out->events.items[k]->message);
            } else if (rc == 0) {
                print_json(ec_describe_events_output_to_json(out, EC_JSON_AWS));
            }
            ec_describe_events_output_free(out);
        } else if (strcmp(op, "describe-replication-groups") == 0) {
            ec_describe_replication_groups_input in =
                EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT;
            ec_describe_replication_groups_output *out = NULL;

            in.replication_group_id = group_id;
            in.marker = marker;
            if (max_records) {
                in.max_records.set = true;
                in.max_records.value = max_records;
            }
            rc = all ? ec_describe_replication_groups_all(client, &in, &out,
                                                          &err)
                     : ec_describe_replication_groups(client, &in, &out, &err);
            if (rc == 0 && summary) {
                printf("groups %zu\n", out->replication_groups.count);
                for (size_t k = 0; k < out->replication_groups.count; k++)
                    printf(
                        "group %s %s\n",
                        out->replication_groups.items[k]->replication_group_id,
                        out->replication_groups.items[k]->status);
                if (out->marker)
                    printf("marker %s\n", out->marker);
            } else if (rc == 0) {
                print_json(ec_describe_replication_groups_output_to_json(
                    out, EC_JSON_AWS));
            }
            ec_describe_replication_groups_output_free(out);
        } else if (strcmp(op, "modify-replication-group") == 0) {
            ec_modify_replication_group_input in =
                EC_MODIFY_REPLICATION_GROUP_INPUT_INIT;
            ec_modify_replication_group_output *out = NULL;

            in.replication_group_id = group_id;
            in.primary_cluster_id = primary_id;
            in.automatic_failover_enabled = failover;
            in.multi_az_enabled = multi_az;
            in.apply_immediately = apply;
            rc = ec_modify_replication_group(client, &in, &out, &err);
            if (rc == 0 && summary)
                printf("group %s %s\n",
                       out->replication_group
                           ? out->replication_group->replication_group_id
                           : "-",
                       out->replication_group ? out->replication_group->status
                                              : "-");
            else if (rc == 0)
                print_json(ec_modify_replication_group_output_to_json(
                    out, EC_JSON_AWS));
            ec_modify_replication_group_output_free(out);
        } else if (strcmp(op, "list-tags-for-resource") == 0) {
            ec_list_tags_for_resource_input in =
                EC_LIST_TAGS_FOR_RESOURCE_INPUT_INIT;
            ec_list_tags_for_resource_output *out = NULL;

            in.resource_name = resource;
            rc = ec_list_tags_for_resource(client, &in, &out, &err);
            if (rc == 0 && summary) {
                printf("tags %zu\n", out->tag_list.count);
                for (size_t k = 0; k < out->tag_list.count; k++)
                    printf("tag %s=%s\n", out->tag_list.items[k]->key,
                           out->tag_list.items[k]->value
                               ? out->tag_list.items[k]->value
                               : "(none)");
            } else if (rc == 0) {
                /* --dict: amazon.aws's dict form; else as the AWS CLI. */
                print_json(dict ? ec_tag_list_to_dict(out)
                                : ec_list_tags_for_resource_output_to_json(
                                      out, EC_JSON_AWS));
            }
            ec_list_tags_for_resource_output_free(out);
        } else {
            fprintf(stderr, "ec_call: unknown operation %s\n", op);
            ec_client_free(client);
            return usage();
        }
    }
    if (stats && client)
        fprintf(
            stderr, "requests=%lu connections=%lu slept=%.3f credentials=%s\n",
            ec_client_request_count(client), ecp_client_connect_count(client),
            slept, ec_client_credential_source(client));
    ec_client_free(client);
    if (err.code != EC_OK) {
        char text[1024];

        ec_error_format(&err, text, sizeof(text));
        fprintf(stderr, "%s\n", text);
        fprintf(stderr,
                "error-detail: code=%s http_status=%d aws_code=%s "
                "operation=%s attempts=%d maybe_sent=%s request_id=%s\n",
                (size_t)err.code < sizeof(codes) / sizeof(codes[0])
                    ? codes[err.code]
                    : "?",
                err.http_status, err.aws_code[0] ? err.aws_code : "-",
                err.operation[0] ? err.operation : "-", err.attempts,
                err.maybe_sent ? "true" : "false",
                err.request_id[0] ? err.request_id : "-");
        return (int)err.code;
    }
    return 0;
}
