/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replaying a case folder of tests/data/engine (replay.h): the script's
 * answers parsed by the library's own parsers, the engine stepped on a
 * virtual clock, every action written to the transcript and checked by
 * the safety oracle (engine_oracle.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "engine.h"
#include "engine_oracle.h"
#include "replay.h"
#include "xmlparse.h"

#define MAX_FILE (1024 * 1024)
#define MAX_STEPS 100000
#define ENDPOINT "https://elasticache.us-east-1.amazonaws.com/"

typedef replay_text out;

static void outf(out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void outf(out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(o->text ? o->text + o->len : NULL,
                      o->text ? o->cap - o->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if (o->text && o->len + (size_t)n < o->cap) {
            o->len += (size_t)n;
            return;
        }
        o->cap = (o->cap + (size_t)n + 1) * 2;
        o->text = realloc(o->text, o->cap);
        if (!o->text) {
            fprintf(stderr, "engine_case: out of memory\n");
            exit(2);
        }
    }
}

/* The next token of *p up to one of `seps` (which it cuts with a NUL),
 * skipping empty ones; NULL at the end. */
static char *next_token(char **p, const char *seps, bool keep_empty)
{
    char *start;

    if (!keep_empty)
        *p += strspn(*p, seps);
    if (!**p)
        return NULL;
    start = *p;
    *p += strcspn(*p, seps);
    if (**p)
        *(*p)++ = '\0';
    return start;
}

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *replay_slurp(const char *dir, const char *name, size_t *len)
{
    char *path = path_in(dir, name), *data = NULL;
    ec_error err = {0};

    if (path && ecp_read_file(path, MAX_FILE, &data, len, &err) != 0) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        data = NULL;
    }
    free(path);
    return data;
}

static void join(out *o, const ec_strlist *l)
{
    size_t i;

    for (i = 0; l && i < l->count; i++)
        outf(o, "%s%s", i ? "," : "", l->items[i]);
    if (!l || l->count == 0)
        outf(o, "-");
}

/* One answer of script.txt, turned into what the client would hand the
 * engine. */
typedef struct answer {
    ecp_obs_kind kind;
    ec_error error;
    ec_describe_cache_clusters_output *clusters;
    ec_describe_events_output *events;
    ec_reboot_cache_cluster_output *reboot;
    ec_describe_replication_groups_output *groups;
    ec_modify_replication_group_output *modified;
    bool probe_ok;
    char detail[128];
    double took;
} answer;

static void answer_clear(answer *a)
{
    ec_describe_cache_clusters_output_free(a->clusters);
    ec_describe_events_output_free(a->events);
    ec_reboot_cache_cluster_output_free(a->reboot);
    ec_describe_replication_groups_output_free(a->groups);
    ec_modify_replication_group_output_free(a->modified);
    memset(a, 0, sizeof(*a));
}

static const char *action_word(ecp_obs_kind k)
{
    switch (k) {
    case ECP_OBS_CLUSTERS:
        return "describe";
    case ECP_OBS_EVENTS:
        return "events";
    case ECP_OBS_REBOOTED:
        return "reboot";
    case ECP_OBS_GROUP:
        return "describe-group";
    case ECP_OBS_MODIFIED:
        return "modify";
    case ECP_OBS_PROBED:
        return "probe";
    default:
        return "?";
    }
}

static const char *operation_of(ecp_obs_kind k)
{
    switch (k) {
    case ECP_OBS_CLUSTERS:
        return "DescribeCacheClusters";
    case ECP_OBS_EVENTS:
        return "DescribeEvents";
    case ECP_OBS_GROUP:
        return "DescribeReplicationGroups";
    case ECP_OBS_MODIFIED:
        return "ModifyReplicationGroup";
    default:
        return "RebootCacheCluster";
    }
}

/* The transport's errors, worded as the client words them. */
static int transport_error(const char *kind, ec_error *e)
{
    ec_error_clear(e);
    if (strcmp(kind, "timeout") == 0)
        ecp_error_set(e, EC_ERR_TIMEOUT,
                      "Read timeout on endpoint URL: \"" ENDPOINT
                      "\" (no data for 60.0 seconds)");
    else if (strcmp(kind, "reset") == 0)
        ecp_error_set(e, EC_ERR_TRANSPORT,
                      "Connection was closed before we received a valid "
                      "response from endpoint URL: \"" ENDPOINT
                      "\" (Recv failure: Connection reset by peer)");
    else if (strcmp(kind, "refused") == 0)
        ecp_error_set(e, EC_ERR_TRANSPORT,
                      "Could not connect to the endpoint URL: \"" ENDPOINT
                      "\" (Failed to connect: Connection refused)");
    else if (strcmp(kind, "nomem") == 0)
        ecp_error_set(e, EC_ERR_NOMEM, "out of memory");
    else
        return -1;
    return 0;
}

/*
 * Parse one script line:
 *   ACTION file FILE [took S]        the service's answer (XML)
 *   reboot|modify body STATUS FILE [took S]  a 2xx body, parsed as the
 *                                    client does
 *   ACTION http STATUS FILE [maybe-sent] [took S]   an error answer
 *   ACTION error KIND [maybe-sent] [took S]   timeout, reset, refused, nomem
 *   probe ok|fail [DETAIL...]        what the caller's probe hook says
 * ACTION: describe, events, reboot, describe-group, modify.
 */
static int parse_answer(const char *dir, char *line, answer *a, char *why,
                        size_t size)
{
    char *words[8], *rest = line, *w;
    size_t n = 0, i, len = 0;
    char *data = NULL;
    const char *what;
    int rc = -1;

    memset(a, 0, sizeof(*a));
    if (strncmp(line, "probe ", 6) == 0) {
        /* probe ok|fail [what the hook saw, to the end of the line] */
        rest = line + 6;
        w = next_token(&rest, " \t", false);
        a->kind = ECP_OBS_PROBED;
        a->probe_ok = w && strcmp(w, "ok") == 0;
        if (!w || (!a->probe_ok && strcmp(w, "fail") != 0)) {
            snprintf(why, size, "probe ok|fail");
            return -1;
        }
        rest += strspn(rest, " \t");
        snprintf(a->detail, sizeof(a->detail), "%s", rest);
        return 0;
    }
    for (w = next_token(&rest, " \t", false); w && n < 8;
         w = next_token(&rest, " \t", false))
        words[n++] = w;
    if (n < 3) {
        snprintf(why, size, "too few words");
        return -1;
    }
    what = words[0];
    if (strcmp(what, "describe") == 0)
        a->kind = ECP_OBS_CLUSTERS;
    else if (strcmp(what, "events") == 0)
        a->kind = ECP_OBS_EVENTS;
    else if (strcmp(what, "reboot") == 0)
        a->kind = ECP_OBS_REBOOTED;
    else if (strcmp(what, "describe-group") == 0)
        a->kind = ECP_OBS_GROUP;
    else if (strcmp(what, "modify") == 0)
        a->kind = ECP_OBS_MODIFIED;
    else {
        snprintf(why, size, "unknown action '%s'", what);
        return -1;
    }
    for (i = 3; i < n; i++) {
        if (strcmp(words[i], "maybe-sent") == 0)
            a->error.maybe_sent = true;
        else if (strcmp(words[i], "took") == 0 && i + 1 < n)
            a->took = strtod(words[++i], NULL);
    }
    if (strcmp(words[1], "file") == 0) {
        data = replay_slurp(dir, words[2], &len);
        if (!data) {
            snprintf(why, size, "cannot read %s", words[2]);
            goto out;
        }
        if (a->kind == ECP_OBS_CLUSTERS)
            rc = ecp_parse_describe_cache_clusters(data, len, 0, &a->clusters,
                                                   &a->error);
        else if (a->kind == ECP_OBS_EVENTS)
            rc = ecp_parse_describe_events(data, len, 0, &a->events, &a->error);
        else if (a->kind == ECP_OBS_GROUP)
            rc = ecp_parse_describe_replication_groups(data, len, 0, &a->groups,
                                                       &a->error);
        else if (a->kind == ECP_OBS_MODIFIED)
            rc = ecp_parse_modify_replication_group(data, len, 0, &a->modified,
                                                    &a->error);
        else
            rc = ecp_parse_reboot_cache_cluster(data, len, 0, &a->reboot,
                                                &a->error);
        if (rc != 0)
            snprintf(why, size, "%s does not parse: %.150s", words[2],
                     a->error.message);
    } else if (strcmp(words[1], "body") == 0 && n >= 4 &&
               (a->kind == ECP_OBS_REBOOTED || a->kind == ECP_OBS_MODIFIED)) {
        /* A 2xx whose body the client may not be able to read: exactly
         * the client's own rule for it. */
        data = replay_slurp(dir, words[3], &len);
        if (!data) {
            snprintf(why, size, "cannot read %s", words[3]);
            goto out;
        }
        a->error.maybe_sent = false;
        if (a->kind == ECP_OBS_REBOOTED)
            ecp_reboot_answer_parse(data, len, 0, &a->reboot, &a->error);
        else
            ecp_modify_answer_parse(data, len, 0, &a->modified, &a->error);
        rc = 0;
    } else if (strcmp(words[1], "http") == 0 && n >= 4) {
        bool maybe = a->error.maybe_sent;

        data = replay_slurp(dir, words[3], &len);
        if (!data) {
            snprintf(why, size, "cannot read %s", words[3]);
            goto out;
        }
        ecp_parse_error(data, len, 0, (int)strtol(words[2], NULL, 10),
                        &a->error);
        a->error.maybe_sent = maybe;
        rc = 0;
    } else if (strcmp(words[1], "error") == 0) {
        bool maybe = a->error.maybe_sent;

        if (transport_error(words[2], &a->error) != 0) {
            snprintf(why, size, "unknown error kind '%s'", words[2]);
            goto out;
        }
        a->error.maybe_sent = maybe;
        rc = 0;
    } else {
        snprintf(why, size, "unknown answer '%s'", words[1]);
    }
    if (rc == 0 && a->error.code != EC_OK)
        ecp_error_set_operation(&a->error, operation_of(a->kind));
out:
    free(data);
    return rc;
}

/* The case's options: the public options of the operation, imported as
 * the public functions import them. */
typedef struct options {
    ec_reboot_options reboot;
    ec_reboot_policy policy;
    ec_wait_options wait;
    ec_group_reboot_options group;
    ec_reboot_policy group_policy;
    ec_strlist watch;
    ec_strlist members;
    const char *names[32];
    char id[64], gid[64];
    ec_time start, since;
    ecp_params params;
} options;

/* The probe hook the case has (any non-NULL value: the engine only needs
 * to know there is one; the script answers for it). */
static bool case_probe(void *userdata, const ec_node_probe *probe)
{
    (void)userdata;
    (void)probe;
    return true;
}

static int load_options(const char *dir, json_t **keep, options *o)
{
    char *path = path_in(dir, "options.json");
    json_error_t jerr;
    json_t *j = path ? json_load_file(path, 0, &jerr) : NULL;
    const char *op, *text;
    ec_error err = {0};
    json_t *ids, *v;
    size_t i;

    free(path);
    if (!json_is_object(j)) {
        fprintf(stderr, "%s: options.json: %s\n", dir,
                j ? "not an object" : jerr.text);
        json_decref(j);
        return -1;
    }
    *keep = j;
    memset(o, 0, sizeof(*o));
    o->reboot = (ec_reboot_options)EC_REBOOT_OPTIONS_INIT;
    o->policy = (ec_reboot_policy)EC_REBOOT_POLICY_INIT;
    o->wait = (ec_wait_options)EC_WAIT_OPTIONS_INIT;
    text = json_string_value(json_object_get(j, "start"));
    if (ec_time_parse(text ? text : "2024-05-01T10:00:00Z", &o->start, &err) !=
        0)
        goto bad;
    text = json_string_value(json_object_get(j, "cluster"));
    if (ec_validate_cache_cluster_id(text ? text : "demo-memcached", o->id,
                                     sizeof(o->id), &err) != 0)
        goto bad;
    ids = json_object_get(j, "node_ids");
    if (json_is_array(ids)) {
        o->policy.node_ids_set = true;
        json_array_foreach(ids, i, v)
        {
            if (i >= 32)
                break;
            o->names[i] = json_string_value(v);
            o->policy.node_count = i + 1;
            if (ec_strlist_push(&o->watch, o->names[i]) != 0)
                goto nomem;
        }
        o->policy.node_ids = o->names;
    }
    o->watch.set = true;
    o->policy.only_if_pending =
        json_is_true(json_object_get(j, "only_if_pending"));
    text = json_string_value(json_object_get(j, "unless_rebooted_since"));
    if (text &&
        ec_time_parse_since(text, o->start, &o->policy.unless_rebooted_since,
                            &err) != 0)
        goto bad;
    text = json_string_value(json_object_get(j, "since"));
    if (text && ec_time_parse_since(text, o->start, &o->since, &err) != 0)
        goto bad;
    o->reboot.check_mode = json_is_true(json_object_get(j, "check_mode"));
    o->reboot.wait = json_is_true(json_object_get(j, "wait"));
    o->reboot.wait_delay = json_number_value(json_object_get(j, "delay"));
    o->reboot.wait_timeout = json_number_value(json_object_get(j, "timeout"));
    o->reboot.time_budget =
        json_number_value(json_object_get(j, "time_budget"));
    o->reboot.policy = &o->policy;
    o->wait.delay = o->reboot.wait_delay;
    o->wait.timeout = o->reboot.wait_timeout;
    o->wait.max_attempts =
        (int)json_integer_value(json_object_get(j, "max_attempts"));
    o->reboot.batch_size =
        (uint32_t)json_integer_value(json_object_get(j, "batch_size"));
    o->reboot.allow_primary_reboot =
        json_is_true(json_object_get(j, "allow_primary_reboot"));
    if (json_is_true(json_object_get(j, "probe")))
        o->reboot.probe = case_probe;

    op = json_string_value(json_object_get(j, "operation"));
    if (!op || strcmp(op, "reboot") == 0)
        ecp_reboot_params_from(&o->reboot, o->id, &o->params);
    else if (strcmp(op, "wait-available") == 0)
        ecp_wait_available_params(
            json_is_null(json_object_get(j, "cluster")) ? NULL : o->id,
            &o->wait, &o->params);
    else if (strcmp(op, "wait-reboot") == 0)
        ecp_wait_reboot_params(o->id, &o->watch, o->since, &o->wait,
                               &o->params);
    else if (strcmp(op, "group") == 0) {
        json_t *members = json_object_get(j, "members");

        o->group = (ec_group_reboot_options)EC_GROUP_REBOOT_OPTIONS_INIT;
        text = json_string_value(json_object_get(j, "group"));
        if (ec_validate_replication_group_id(text ? text : "rg-sessions",
                                             o->gid, sizeof(o->gid), &err) != 0)
            goto bad;
        o->group.replication_group_id = o->gid;
        o->group.only_if_pending = o->policy.only_if_pending;
        o->group.unless_rebooted_since = o->policy.unless_rebooted_since;
        o->group.check_mode = o->reboot.check_mode;
        o->group.wait = o->reboot.wait;
        o->group.wait_delay = o->reboot.wait_delay;
        o->group.wait_timeout = o->reboot.wait_timeout;
        o->group.time_budget = o->reboot.time_budget;
        o->group.allow_primary_reboot = o->reboot.allow_primary_reboot;
        o->group.replicas_only =
            json_is_true(json_object_get(j, "replicas_only"));
        o->group.probe = o->reboot.probe;
        o->group.replica_link_timeout =
            json_number_value(json_object_get(j, "replica_link_timeout"));
        if (json_is_array(members)) {
            o->members.set = true;
            json_array_foreach(members, i, v)
            {
                if (ec_strlist_push(&o->members, json_string_value(v)) != 0)
                    goto nomem;
            }
        }
        ecp_group_params_from(&o->group, o->gid, &o->group_policy, &o->members,
                              &o->params);
    } else {
        fprintf(stderr, "%s: unknown operation '%s'\n", dir, op);
        return -1;
    }
    return 0;
nomem:
    fprintf(stderr, "%s: out of memory\n", dir);
    return -1;
bad:
    fprintf(stderr, "%s: options.json: %s\n", dir, err.message);
    return -1;
}

static void print_action(out *o, const ecp_engine *e, const ecp_action *a,
                         double t)
{
    char when[40];

    outf(o, "%+.1f %s", t, ecp_action_kind_name(a->kind));
    switch (a->kind) {
    case ECP_ACT_DESCRIBE_CLUSTER:
        outf(o, " %s%s", a->cluster_id ? a->cluster_id : "(every cluster)",
             a->show_nodes ? " +nodes" : "");
        if (a->call_timeout > 0)
            outf(o, " limit=%.1f", a->call_timeout);
        break;
    case ECP_ACT_READ_EVENTS:
        ec_time_format_iso(a->since, when, sizeof(when));
        outf(o, " %s since %s limit=%.1f",
             a->cluster_id ? a->cluster_id : "(every cluster)", when,
             a->call_timeout);
        break;
    case ECP_ACT_DESCRIBE_GROUP:
        outf(o, " %s limit=%.1f", a->group_id, a->call_timeout);
        break;
    case ECP_ACT_MODIFY_GROUP:
        outf(o, " %s", a->group_id);
        if (a->primary_cluster_id)
            outf(o, " PrimaryClusterId=%s", a->primary_cluster_id);
        if (a->automatic_failover.set)
            outf(o, " AutomaticFailoverEnabled=%s",
                 a->automatic_failover.value ? "true" : "false");
        if (a->multi_az.set)
            outf(o, " MultiAZEnabled=%s", a->multi_az.value ? "true" : "false");
        outf(o, " limit=%.1f", a->call_timeout);
        break;
    case ECP_ACT_PROBE_NODE:
        outf(o, " %s %s %s %s:%d", a->cluster_id, a->node_id,
             a->check == EC_NODE_CHECK_REPLICA_LINK ? "link" : "answers",
             a->address ? a->address : "-", a->port);
        if (a->check == EC_NODE_CHECK_REPLICA_LINK)
            outf(o, " primary=%s@%s:%d", a->primary_id ? a->primary_id : "-",
                 a->primary_address ? a->primary_address : "-",
                 a->primary_port);
        break;
    case ECP_ACT_REBOOT_NODES:
        outf(o, " %s ", a->cluster_id);
        join(o, a->nodes);
        outf(o, " limit=%.1f", a->call_timeout);
        break;
    case ECP_ACT_SLEEP:
        outf(o, " %.1f", a->seconds);
        break;
    case ECP_ACT_REPORT: {
        static const char *const names[] = {"described", "reboot-sent",
                                            "waiting", "done", "step"};
        outf(o, " %s [", names[a->phase <= EC_PROGRESS_STEP ? a->phase : 0]);
        join(o, a->watched);
        outf(o, "] %s", a->message ? a->message : "");
        break;
    }
    case ECP_ACT_DONE: {
        const ecp_outcome *r = &e->outcome;
        outf(o, " rc=%d", r->rc);
        if (e->p.op == ECP_OP_REBOOT || e->p.op == ECP_OP_GROUP) {
            outf(o, " decision=%s changed=%s rebooted=",
                 ec_reboot_decision_name(r->decision),
                 r->changed ? "true" : "false");
            join(o, &r->rebooted);
            outf(o, " request=%s", r->request_id ? r->request_id : "-");
            outf(o, "\n  message: %s", r->message);
        }
        if (r->rc != 0) {
            char text[EC_ERROR_TEXT_LENGTH + 512];
            ec_error_format(&r->error, text, sizeof(text));
            outf(o, "\n  error: %s%s: %s", ec_strerror(r->error.code),
                 r->error.maybe_sent ? " (maybe sent)" : "", text);
        }
        if (e->cluster)
            outf(o, "\n  cluster: %s",
                 e->cluster->cache_cluster_status
                     ? e->cluster->cache_cluster_status
                     : "(no status)");
        if (e->group)
            outf(o, "\n  group: %s",
                 e->group->status ? e->group->status : "(no status)");
        if (r->steps.count > 1 || e->p.op == ECP_OP_GROUP) {
            size_t i;
            for (i = 0; i < r->steps.count; i++) {
                const ec_reboot_step *st = r->steps.items[i];
                outf(o, "\n  step %zu: %s %s", i + 1,
                     ec_reboot_step_action_name(st->action),
                     ec_reboot_step_state_name(st->state));
                if (st->cache_cluster_id)
                    outf(o, " %s", st->cache_cluster_id);
                if (st->action == EC_STEP_REBOOT) {
                    outf(o, " ");
                    join(o, &st->cache_node_ids);
                }
                if (st->role)
                    outf(o, " (%s)", st->role);
                if (st->message)
                    outf(o, ": %s", st->message);
            }
        }
        break;
    }
    default:
        break;
    }
    outf(o, "\n");
}

int replay_dir(const char *dir, const replay_hooks *hooks, replay_text *got,
               ec_error *err)
{
    json_t *opts_json = NULL;
    options o;
    engine_oracle oracle = {0};
    ecp_engine e;
    ecp_obs obs;
    ecp_action act;
    answer a = {0};
    char *script = NULL, *line, *rest;
    size_t len = 0;
    ec_time now;
    int steps, status = 2;
    bool engine_started = false;

    memset(&o, 0, sizeof(o));
    if (load_options(dir, &opts_json, &o) != 0)
        goto out;
    script = replay_slurp(dir, "script.txt", &len);
    if (!script)
        goto out;
    status = 0;
    oracle.params = &o.params;
    ecp_engine_init(&e, &o.params, NULL);
    engine_started = true;
    now = o.start;
    memset(&obs, 0, sizeof(obs));
    obs.kind = ECP_OBS_START;
    obs.started = obs.now = now;
    rest = script;
    line = next_token(&rest, "\n", true);
    for (steps = 0; steps < MAX_STEPS; steps++) {
        const char *broken;
        int rc;

        oracle_observe(&oracle, &obs);
        if (hooks && hooks->before_step)
            hooks->before_step(hooks->userdata);
        rc = ecp_engine_step(&e, &obs, &act, err);
        if (hooks && hooks->after_step)
            hooks->after_step(hooks->userdata);
        if (rc != 0) {
            outf(got, "step failed: %s: %s\n", ec_strerror(err->code),
                 err->message);
            status = 1;
            break;
        }
        print_action(got, &e, &act, ecp_time_sub(now, o.start));
        broken = oracle_check(&oracle, &act, &e);
        if (broken) {
            outf(got, "ORACLE: %s\n", broken);
            break;
        }
        answer_clear(&a);
        memset(&obs, 0, sizeof(obs));
        obs.started = now;
        if (act.kind == ECP_ACT_DONE)
            break;
        if (act.kind == ECP_ACT_SLEEP) {
            obs.kind = ECP_OBS_SLEPT;
            now = ecp_time_add(now, act.seconds);
        } else if (act.kind == ECP_ACT_REPORT) {
            obs.kind = ECP_OBS_REPORTED;
        } else {
            char why[256] = "";

            while (line && (line[0] == '#' || line[0] == '\0'))
                line = next_token(&rest, "\n", true);
            if (!line) {
                outf(got, "SCRIPT: no answer left for this %s\n",
                     ecp_action_kind_name(act.kind));
                break;
            }
            if (parse_answer(dir, line, &a, why, sizeof(why)) != 0) {
                fprintf(stderr, "%s: script.txt: %s\n", dir, why);
                status = 2;
                goto out;
            }
            line = next_token(&rest, "\n", true);
            if (strcmp(action_word(a.kind), ecp_action_kind_name(act.kind))) {
                outf(got, "SCRIPT: the next answer is for a %s\n",
                     action_word(a.kind));
                break;
            }
            obs.kind = a.kind;
            obs.error = &a.error;
            obs.clusters = a.clusters ? &a.clusters->cache_clusters : NULL;
            obs.events = a.events ? &a.events->events : NULL;
            obs.cluster = a.reboot ? a.reboot->cache_cluster : NULL;
            obs.request_id = a.reboot     ? a.reboot->request_id
                             : a.modified ? a.modified->request_id
                                          : NULL;
            obs.groups = a.groups ? &a.groups->replication_groups : NULL;
            obs.group = a.modified ? a.modified->replication_group : NULL;
            obs.probe_ok = a.probe_ok;
            obs.detail = a.detail;
            now = ecp_time_add(now, a.took);
        }
        obs.now = now;
    }
    if (steps >= MAX_STEPS)
        outf(got, "the run did not end within %d steps\n", MAX_STEPS);
    while (status == 0 && line && (line[0] == '#' || line[0] == '\0'))
        line = next_token(&rest, "\n", true);
    if (status == 0 && line)
        outf(got, "SCRIPT: answers left over, from: %s\n", line);
out:
    answer_clear(&a);
    oracle_clear(&oracle);
    if (engine_started)
        ecp_engine_clear(&e);
    ec_strlist_clear(&o.watch);
    ec_strlist_clear(&o.members);
    json_decref(opts_json);
    free(script);
    return status;
}
