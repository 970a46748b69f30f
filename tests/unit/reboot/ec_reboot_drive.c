/*
 * ec_reboot_drive: drive ec_reboot and the waiters from the shell (the
 * reboot Bats tests use it against the simulator) and print the result as
 * one JSON object on stdout; progress goes to stderr, one line per phase.
 *
 *   ec_reboot_drive --cluster ID [--nodes 0001,0002] [--only-if-pending]
 *       [--unless-rebooted-since T] [--check] [--wait] [--delay S]
 *       [--timeout S] [--time-budget S] [--endpoint-url URL]
 *       [--read-timeout S]
 *   (--nodes '' is an empty list: no node.)
 *   ec_reboot_drive --wait-available --cluster ID [--delay S]
 *       [--max-attempts N] [--timeout S]
 *   ec_reboot_drive --wait-reboot --cluster ID --nodes 0001 --since T
 *       [--delay S] [--timeout S]
 *
 * --fake-clock runs on a virtual clock: sleeping advances it instantly, so
 * waits with AWS-sized delays finish at once. It starts 120 s behind the
 * real clock because requests are signed with it and the service refuses
 * a signature more than 5 minutes off.
 *
 * The endpoint defaults to $SIM_URL. Exit status: 0 success, 1 the
 * operation failed (the JSON says why), 2 bad arguments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "elasticache/elasticache.h"

typedef enum mode { MODE_REBOOT, MODE_WAIT_AVAILABLE, MODE_WAIT_REBOOT } mode;

typedef struct args {
    mode mode;
    const char *cluster;
    char *nodes_text;
    const char *node_ids[64];
    size_t node_count;
    bool only_if_pending;
    const char *since;
    bool check;
    bool allow_primary; /* demo-redis is the primary of a one-node group */
    bool wait;
    double delay;
    double timeout;
    double time_budget;
    int max_attempts;
    const char *endpoint;
    bool fake_clock;
    double read_timeout;
} args;

typedef struct fake_clock {
    ec_time base;
    double offset;
    unsigned sleeps;
} fake_clock;

static ec_time fake_now(void *userdata)
{
    fake_clock *c = userdata;
    ec_time t = c->base;
    double whole = (double)(int64_t)c->offset;

    t.sec += (int64_t)whole;
    t.usec += (int32_t)((c->offset - whole) * 1e6);
    if (t.usec >= 1000000) {
        t.usec -= 1000000;
        t.sec++;
    }
    return t;
}

static void fake_sleep(void *userdata, double seconds)
{
    fake_clock *c = userdata;

    c->offset += seconds;
    c->sleeps++;
}

static const char *const phase_names[] = {"described", "reboot-sent", "waiting",
                                          "done"};

static void on_progress(void *userdata, const ec_progress *p)
{
    size_t i;

    (void)userdata;
    fprintf(stderr, "[%6.2fs] %s: %s", p->elapsed,
            phase_names[p->phase <= EC_PROGRESS_DONE ? p->phase : 0],
            p->message ? p->message : "");
    if (p->cluster && p->cluster->cache_cluster_status) {
        fprintf(stderr, " [cluster %s", p->cluster->cache_cluster_status);
        for (i = 0; i < p->cluster->cache_nodes.count; i++) {
            const ec_cache_node *n = p->cluster->cache_nodes.items[i];
            fprintf(stderr, " %s=%s", n->cache_node_id ? n->cache_node_id : "?",
                    n->cache_node_status ? n->cache_node_status : "?");
        }
        fprintf(stderr, "]");
    }
    fprintf(stderr, "\n");
}

static double number(const char *s, const char *opt)
{
    char *end;
    double v = strtod(s, &end);

    if (end == s || *end || v < 0) {
        fprintf(stderr, "ec_reboot_drive: %s wants a number, not '%s'\n", opt,
                s);
        exit(2);
    }
    return v;
}

static int parse_args(int argc, char **argv, args *a)
{
    int i;

    memset(a, 0, sizeof(*a));
    a->endpoint = getenv("SIM_URL");
    for (i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;

        if (strcmp(o, "--only-if-pending") == 0)
            a->only_if_pending = true, takes = false;
        else if (strcmp(o, "--check") == 0)
            a->check = true, takes = false;
        else if (strcmp(o, "--allow-primary-reboot") == 0)
            a->allow_primary = true, takes = false;
        else if (strcmp(o, "--wait") == 0)
            a->wait = true, takes = false;
        else if (strcmp(o, "--wait-available") == 0)
            a->mode = MODE_WAIT_AVAILABLE, takes = false;
        else if (strcmp(o, "--fake-clock") == 0)
            a->fake_clock = true, takes = false;
        else if (strcmp(o, "--wait-reboot") == 0)
            a->mode = MODE_WAIT_REBOOT, takes = false;
        else if (!v)
            break;
        else if (strcmp(o, "--cluster") == 0)
            a->cluster = v;
        else if (strcmp(o, "--nodes") == 0)
            a->nodes_text = strdup(v);
        else if (strcmp(o, "--unless-rebooted-since") == 0 ||
                 strcmp(o, "--since") == 0)
            a->since = v;
        else if (strcmp(o, "--delay") == 0)
            a->delay = number(v, o);
        else if (strcmp(o, "--timeout") == 0)
            a->timeout = number(v, o);
        else if (strcmp(o, "--time-budget") == 0)
            a->time_budget = number(v, o);
        else if (strcmp(o, "--read-timeout") == 0)
            a->read_timeout = number(v, o);
        else if (strcmp(o, "--max-attempts") == 0)
            a->max_attempts = (int)number(v, o);
        else if (strcmp(o, "--endpoint-url") == 0)
            a->endpoint = v;
        else
            break;
        if (takes)
            i++;
    }
    if (i < argc || !a->cluster) {
        fprintf(stderr, "usage: ec_reboot_drive --cluster ID [--nodes "
                        "0001,0002] [--only-if-pending]\n"
                        "  [--unless-rebooted-since T] [--check] [--wait] "
                        "[--delay S] [--timeout S] [--time-budget S]\n"
                        "  [--wait-available [--max-attempts N]] "
                        "[--wait-reboot --since T] [--endpoint-url URL] "
                        "[--fake-clock] [--read-timeout S]\n"
                        "  [--allow-primary-reboot]\n");
        return -1;
    }
    if (a->nodes_text) {
        char *p = a->nodes_text;
        while (*p && a->node_count < 64) {
            a->node_ids[a->node_count++] = p;
            p = strchr(p, ',');
            if (!p)
                break;
            *p++ = '\0';
        }
    }
    return 0;
}

static json_t *strlist_json(const ec_strlist *l)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < l->count; i++)
        json_array_append_new(a, json_string(l->items[i]));
    return a;
}

static json_t *status_json(const ec_cluster_status *s)
{
    json_t *o = json_object(), *nodes = json_object();
    size_t i;

    json_object_set_new(o, "status",
                        s->cache_cluster_status
                            ? json_string(s->cache_cluster_status)
                            : json_null());
    for (i = 0; i < s->node_count; i++)
        json_object_set_new(nodes, s->nodes[i]->cache_node_id,
                            json_string(s->nodes[i]->cache_node_status
                                            ? s->nodes[i]->cache_node_status
                                            : ""));
    json_object_set_new(o, "nodes", nodes);
    return o;
}

/* A cluster never read (NULL) prints as an empty one. */
static json_t *cluster_json(const ec_cache_cluster *c)
{
    static const ec_cache_cluster none;
    json_t *o = json_object(), *nodes = json_object();
    size_t i;

    if (!c)
        c = &none;
    json_object_set_new(o, "status",
                        c->cache_cluster_status
                            ? json_string(c->cache_cluster_status)
                            : json_null());
    for (i = 0; i < c->cache_nodes.count; i++)
        json_object_set_new(
            nodes, c->cache_nodes.items[i]->cache_node_id,
            json_string(c->cache_nodes.items[i]->cache_node_status
                            ? c->cache_nodes.items[i]->cache_node_status
                            : ""));
    json_object_set_new(o, "nodes", nodes);
    return o;
}

static json_t *error_json(const ec_error *e)
{
    char text[1024];

    ec_error_format(e, text, sizeof(text));
    return json_pack("{s:s, s:s, s:s, s:i, s:b, s:s}", "code",
                     ec_strerror(e->code), "aws_code", e->aws_code, "message",
                     e->message, "http_status", e->http_status, "maybe_sent",
                     e->maybe_sent, "text", text);
}

int main(int argc, char **argv)
{
    ec_config cfg = EC_CONFIG_INIT;
    ec_client *client = NULL;
    ec_reboot_options ro = EC_REBOOT_OPTIONS_INIT;
    ec_reboot_policy policy = EC_REBOOT_POLICY_INIT;
    ec_reboot_result *res = NULL;
    ec_wait_options wo = EC_WAIT_OPTIONS_INIT;
    ec_cache_cluster *cluster = NULL;
    ec_error err = {0};
    ec_time t0, since = {0};
    fake_clock fake = {0};
    args a;
    json_t *out = json_object();
    char *text;
    int rc = -1, status;

    if (parse_args(argc, argv, &a) != 0) {
        status = 2;
        goto done;
    }
    cfg.endpoint_url = a.endpoint;
    cfg.read_timeout = a.read_timeout;
    if (a.fake_clock) {
        fake.base = ec_time_now();
        fake.base.sec -= 120;
        cfg.now = fake_now;
        cfg.sleep = fake_sleep;
        cfg.clock_userdata = &fake;
    }
    client = ec_client_new(&cfg, &err);
    if (!client)
        goto report;
    t0 = ec_time_now();
    if (a.since && ec_time_parse_since(a.since, t0, &since, &err) != 0)
        goto report;

    wo.delay = a.delay;
    wo.timeout = a.timeout;
    wo.max_attempts = a.max_attempts;
    wo.progress = on_progress;
    if (a.mode == MODE_WAIT_AVAILABLE) {
        rc = ec_wait_cache_cluster_available(client, a.cluster, &wo, &cluster,
                                             &err);
        json_object_set_new(out, "cluster", cluster_json(cluster));
    } else if (a.mode == MODE_WAIT_REBOOT) {
        ec_strlist nodes = {0};
        nodes.items = (char **)a.node_ids;
        nodes.count = a.node_count;
        nodes.set = true;
        rc = ec_wait_reboot_complete(client, a.cluster, &nodes, since, &wo,
                                     &cluster, &err);
        json_object_set_new(out, "cluster", cluster_json(cluster));
    } else {
        /* Options refused before anything was done print as nothing done. */
        static const ec_cluster_status no_status;
        static const ec_reboot_result nothing = {
            .before = (ec_cluster_status *)&no_status,
            .after = (ec_cluster_status *)&no_status};
        const ec_reboot_result *r;

        ro.cache_cluster_id = a.cluster;
        ro.policy = &policy;
        policy.node_ids = a.node_count ? a.node_ids : NULL;
        policy.node_count = a.node_count;
        policy.node_ids_set = a.nodes_text != NULL;
        policy.only_if_pending = a.only_if_pending;
        policy.unless_rebooted_since = since;
        ro.check_mode = a.check;
        ro.allow_primary_reboot = a.allow_primary;
        ro.wait = a.wait;
        ro.wait_delay = a.delay;
        ro.wait_timeout = a.timeout;
        ro.time_budget = a.time_budget;
        ro.progress = on_progress;
        rc = ec_reboot(client, &ro, &res, &err);
        r = res ? res : &nothing;
        json_object_set_new(out, "changed", json_boolean(r->changed));
        json_object_set_new(out, "decision",
                            json_string(ec_reboot_decision_str(r->decision)));
        json_object_set_new(out, "rebooted_node_ids",
                            strlist_json(&r->rebooted_node_ids));
        json_object_set_new(out, "before", status_json(r->before));
        json_object_set_new(out, "after", status_json(r->after));
        json_object_set_new(out, "cluster", cluster_json(r->cluster));
        json_object_set_new(out, "request_id",
                            r->request_id ? json_string(r->request_id)
                                          : json_null());
        json_object_set_new(out, "message", json_string(r->message));
    }
    json_object_set_new(out, "elapsed",
                        json_real(ec_time_diff(ec_time_now(), t0)));
    if (a.fake_clock) {
        json_object_set_new(out, "virtual_seconds", json_real(fake.offset));
        json_object_set_new(out, "sleeps", json_integer(fake.sleeps));
    }
report:
    json_object_set_new(out, "ok", json_boolean(rc == 0));
    if (rc != 0)
        json_object_set_new(out, "error", error_json(&err));
    text = json_dumps(out, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (text)
        printf("%s\n", text);
    free(text);
    status = rc == 0 ? 0 : 1;
done:
    json_decref(out);
    ec_reboot_result_free(res);
    ec_cache_cluster_free(cluster);
    ec_client_free(client);
    free(a.nodes_text);
    return status;
}
