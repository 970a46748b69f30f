/* The event handler's gates (see gate.h). Pure: no I/O, no clock. */
#include "gate.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool given(const char *v)
{
    return v && v[0];
}

/* A non-negative integer, the whole string. */
static bool parse_count(const char *v, long *out)
{
    char *end = NULL;
    long n;

    if (!v || !v[0] || strspn(v, "0123456789") != strlen(v))
        return false;
    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || *end)
        return false;
    *out = n;
    return true;
}

/* 0/1/2 (Icinga's acknowledgement: none, normal, sticky) or a boolean. */
static bool parse_flag(const char *v, bool *out)
{
    static const char *const yes[] = {"1", "2", "true", "yes"};
    static const char *const no[] = {"0", "false", "no"};

    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return true;
        }
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return true;
        }
    return false;
}

/* Whether a fact says "do not act"; false with *bad when its value is
 * not one a monitoring engine passes. */
static bool fact_holds(const mon_fact *f, bool *bad)
{
    long depth;
    bool on;

    *bad = false;
    if (!given(f->value))
        return false;
    switch (f->kind) {
    case MON_FACT_SERVICE_DOWNTIME:
    case MON_FACT_HOST_DOWNTIME:
        if (!parse_count(f->value, &depth)) {
            *bad = true;
            return false;
        }
        return depth > 0;
    case MON_FACT_ACKNOWLEDGED:
    case MON_FACT_FLAPPING:
        if (!parse_flag(f->value, &on)) {
            *bad = true;
            return false;
        }
        return on;
    }
    *bad = true;
    return false;
}

static const char *fact_text(mon_fact_kind kind)
{
    switch (kind) {
    case MON_FACT_SERVICE_DOWNTIME:
        return "service in scheduled downtime";
    case MON_FACT_HOST_DOWNTIME:
        return "host in scheduled downtime";
    case MON_FACT_ACKNOWLEDGED:
        return "problem acknowledged";
    case MON_FACT_FLAPPING:
        return "service flapping";
    }
    return "?";
}

/* The first fact of `kind` that holds, or NULL. */
static const mon_fact *holding(const mon_gate_input *in, mon_fact_kind kind)
{
    for (size_t i = 0; i < in->nfacts; i++) {
        bool bad;

        if (in->facts[i].kind == kind && fact_holds(&in->facts[i], &bad))
            return &in->facts[i];
    }
    return NULL;
}

mon_gate_result mon_gate_check(const mon_gate_input *in, char *why, size_t size)
{
    static const mon_fact_kind order[] = {
        MON_FACT_SERVICE_DOWNTIME, MON_FACT_HOST_DOWNTIME,
        MON_FACT_ACKNOWLEDGED, MON_FACT_FLAPPING};
    mon_state s;
    long attempt;
    bool hard;

    if (mon_state_parse(in->state, &s) != 0) {
        snprintf(why, size,
                 "state '%s' is not a service state (OK, WARNING, CRITICAL, "
                 "UNKNOWN or 0-3)",
                 in->state ? in->state : "");
        return MON_GATE_USAGE;
    }
    if (!in->state_type || (strcasecmp(in->state_type, "HARD") != 0 &&
                            strcasecmp(in->state_type, "SOFT") != 0)) {
        snprintf(why, size, "state type '%s' is neither SOFT nor HARD",
                 in->state_type ? in->state_type : "");
        return MON_GATE_USAGE;
    }
    hard = strcasecmp(in->state_type, "HARD") == 0;
    if (!parse_count(in->attempt, &attempt)) {
        snprintf(why, size, "attempt '%s' is not a number",
                 in->attempt ? in->attempt : "");
        return MON_GATE_USAGE;
    }
    for (size_t i = 0; i < in->nfacts; i++) {
        bool bad;

        fact_holds(&in->facts[i], &bad);
        if (bad) {
            snprintf(why, size, "%s '%s' is not %s", in->facts[i].source,
                     in->facts[i].value,
                     in->facts[i].kind == MON_FACT_SERVICE_DOWNTIME ||
                             in->facts[i].kind == MON_FACT_HOST_DOWNTIME
                         ? "a downtime depth (0, 1, ...)"
                         : "0, 1, 2, true or false");
            return MON_GATE_USAGE;
        }
    }
    if (s != MON_CRITICAL) {
        snprintf(why, size, "service is %s: nothing to do", mon_state_name(s));
        return MON_GATE_SKIP;
    }
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
        const mon_fact *f = holding(in, order[k]);

        if (f) {
            snprintf(why, size, "%s (%s %s): not rebooting", fact_text(f->kind),
                     f->source, f->value);
            return MON_GATE_SKIP;
        }
    }
    if (!hard && attempt < in->soft_attempt) {
        snprintf(why, size,
                 "CRITICAL SOFT attempt %ld: waiting for attempt %ld or HARD",
                 attempt, in->soft_attempt);
        return MON_GATE_SKIP;
    }
    return MON_GATE_ACT;
}

void mon_status_scan_init(mon_status_scan *s, const char *host,
                          const char *service)
{
    memset(s, 0, sizeof(*s));
    s->host = host;
    s->service = service;
}

static void copy_field(char *dst, size_t size, const char *v)
{
    snprintf(dst, size, "%s", v);
}

void mon_status_scan_line(mon_status_scan *s, const char *line)
{
    char buf[1024];
    const char *p;
    char *eq, *key, *value;
    size_t len;

    p = line + strspn(line, " \t");
    len = strcspn(p, "\r\n");
    if (len >= sizeof(buf))
        return; /* no field we read is that long */
    memcpy(buf, p, len);
    buf[len] = '\0';
    if (s->block == 0) {
        if (strcmp(buf, "servicestatus {") == 0) {
            s->block = 1;
        } else if (strcmp(buf, "hoststatus {") == 0) {
            s->block = 2;
        } else if (len > 2 && buf[len - 1] == '{') {
            s->block = 3;
        } else {
            return;
        }
        s->b_host[0] = s->b_service[0] = '\0';
        s->b_downtime[0] = s->b_ack[0] = s->b_flapping[0] = '\0';
        return;
    }
    if (strcmp(buf, "}") == 0) {
        if (s->block == 1 && s->service && strcmp(s->b_host, s->host) == 0 &&
            strcmp(s->b_service, s->service) == 0) {
            s->found = true;
            copy_field(s->downtime, sizeof(s->downtime), s->b_downtime);
            copy_field(s->ack, sizeof(s->ack), s->b_ack);
            copy_field(s->flapping, sizeof(s->flapping), s->b_flapping);
        } else if (s->block == 2 && s->host &&
                   strcmp(s->b_host, s->host) == 0) {
            s->host_found = true;
            copy_field(s->host_downtime, sizeof(s->host_downtime),
                       s->b_downtime);
        }
        s->block = 0;
        return;
    }
    if (s->block == 3)
        return;
    eq = strchr(buf, '=');
    if (!eq)
        return;
    *eq = '\0';
    key = buf;
    value = eq + 1;
    if (strcmp(key, "host_name") == 0)
        copy_field(s->b_host, sizeof(s->b_host), value);
    else if (strcmp(key, "service_description") == 0)
        copy_field(s->b_service, sizeof(s->b_service), value);
    else if (strcmp(key, "scheduled_downtime_depth") == 0)
        copy_field(s->b_downtime, sizeof(s->b_downtime), value);
    else if (strcmp(key, "problem_has_been_acknowledged") == 0)
        copy_field(s->b_ack, sizeof(s->b_ack), value);
    else if (strcmp(key, "is_flapping") == 0)
        copy_field(s->b_flapping, sizeof(s->b_flapping), value);
}

/* "Cache node 0001 restarted", as the library's safe reboot reads it. */
static bool is_restart(const char *m)
{
    static const char prefix[] = "Cache node ";
    static const char suffix[] = " restarted";
    size_t n;

    if (!m || strncasecmp(m, prefix, sizeof(prefix) - 1) != 0)
        return false;
    m += sizeof(prefix) - 1;
    n = strspn(m, "0123456789");
    return n > 0 && strncasecmp(m + n, suffix, sizeof(suffix) - 1) == 0;
}

size_t mon_count_restarts(const ec_event *const *events, size_t n,
                          const char *cluster_id, ec_time since)
{
    size_t count = 0;

    for (size_t i = 0; i < n; i++) {
        const ec_event *e = events[i];

        if (!e || !e->source_identifier || !cluster_id ||
            strcasecmp(e->source_identifier, cluster_id) != 0)
            continue;
        if (e->source_type && strcmp(e->source_type, "cache-cluster") != 0)
            continue;
        if (!is_restart(e->message))
            continue;
        if (since.set && (!e->date.set || ec_time_diff(e->date, since) < 0))
            continue;
        count++;
    }
    return count;
}

/* A name that can be a field of an external command. */
static bool plain_field(const char *s)
{
    if (!s || !s[0])
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p == ';' || *p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

int mon_extcmd_format(char *buf, size_t size, long long now, const char *host,
                      const char *service, int passive_state, const char *text)
{
    char safe[2048];
    size_t limit = size < 4096 ? size : 4096; /* PIPE_BUF on Linux */
    int n;

    if (!plain_field(host) || !plain_field(service) || passive_state > 3)
        return -1;
    mon_safe_text(safe, sizeof(safe), text ? text : "", ' ', NULL);
    if (passive_state >= 0)
        n = snprintf(buf, size,
                     "[%lld] PROCESS_SERVICE_CHECK_RESULT;%s;%s;%d;%s\n", now,
                     host, service, passive_state, safe);
    else
        n = snprintf(buf, size,
                     "[%lld] ADD_SVC_COMMENT;%s;%s;0;"
                     "elasticache_event_handler;%s\n",
                     now, host, service, safe);
    if (n < 0 || (size_t)n >= limit)
        return -1;
    return n;
}
