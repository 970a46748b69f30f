/* Threshold ranges in the Monitoring Plugins syntax: 10, 10:, ~:10, 10:20,
 * @10:20. Parsed into a value type; no heap. */
#include "monitoring.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse a whole decimal number from [s, s+len). */
static int parse_number(const char *s, size_t len, double *out)
{
    char tmp[64];
    char *end = NULL;
    double v;

    if (len == 0 || len >= sizeof(tmp))
        return -1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    /* strtod also takes "inf", "nan" and hex; the guidelines mean plain
     * decimal numbers. */
    for (size_t i = 0; i < len; i++) {
        if (!strchr("0123456789.+-eE", tmp[i]))
            return -1;
    }
    errno = 0;
    v = strtod(tmp, &end);
    if (errno != 0 || end != tmp + len || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int mon_range_parse(const char *text, mon_range *out, const char **why)
{
    mon_range r = {0};
    const char *s = text;
    const char *colon;
    const char *reason = NULL;

    if (!text || !text[0]) {
        *out = r;
        return 0;
    }
    r.set = true;
    if (*s == '@') {
        r.inside = true;
        s++;
    }
    colon = strchr(s, ':');
    if (colon) {
        if (colon == s && colon[1] == '\0') {
            reason = "a range needs a start or an end";
            goto out;
        }
        if (colon - s == 1 && s[0] == '~') {
            r.start_inf = true;
        } else if (colon == s) {
            r.start = 0; /* ":10" reads as "0:10", as monitoring-plugins */
        } else if (parse_number(s, (size_t)(colon - s), &r.start) != 0) {
            reason = "start is not a number";
            goto out;
        }
        if (colon[1] == '\0') {
            r.end_inf = true;
        } else if (parse_number(colon + 1, strlen(colon + 1), &r.end) != 0) {
            reason = "end is not a number";
            goto out;
        }
    } else {
        if (parse_number(s, strlen(s), &r.end) != 0) {
            reason = "not a number or range";
            goto out;
        }
    }
    if (!r.start_inf && !r.end_inf && r.start > r.end) {
        reason = "start is greater than end";
        goto out;
    }
out:
    if (reason) {
        if (why)
            *why = reason;
        return -1;
    }
    *out = r;
    return 0;
}

bool mon_range_alerts(const mon_range *r, double value)
{
    bool in;

    if (!r || !r->set)
        return false;
    in = (r->start_inf || value >= r->start) && (r->end_inf || value <= r->end);
    return r->inside ? in : !in;
}

int mon_range_format(const mon_range *r, char *buf, size_t size)
{
    char start[64] = "";
    char end[64] = "";

    if (!r || !r->set)
        return snprintf(buf, size, "%s", "");
    if (!r->end_inf)
        mon_format_number(r->end, end, sizeof(end));
    if (r->start_inf)
        snprintf(start, sizeof(start), "%s", "~");
    else
        mon_format_number(r->start, start, sizeof(start));
    /* The short form "10" means 0:10; keep it short when it is that. */
    if (!r->inside && !r->start_inf && r->start == 0 && !r->end_inf)
        return snprintf(buf, size, "%s", end);
    return snprintf(buf, size, "%s%s:%s", r->inside ? "@" : "", start, end);
}

mon_state mon_thresholds_check(const mon_thresholds *t, double value)
{
    if (!t)
        return MON_OK;
    if (mon_range_alerts(&t->critical, value))
        return MON_CRITICAL;
    if (mon_range_alerts(&t->warning, value))
        return MON_WARNING;
    return MON_OK;
}

int mon_count_range_parse(const char *text, mon_count_range *out,
                          const char **why)
{
    mon_count_range r = {0};
    char tmp[64];
    size_t len = text ? strlen(text) : 0;

    if (len > 0 && text[len - 1] == '%') {
        if (len >= sizeof(tmp)) {
            if (why)
                *why = "too long";
            return -1;
        }
        memcpy(tmp, text, len - 1);
        tmp[len - 1] = '\0';
        r.percent = true;
        if (!tmp[0]) {
            if (why)
                *why = "a percentage needs a number or range";
            return -1;
        }
        text = tmp;
    }
    if (mon_range_parse(text, &r.range, why) != 0)
        return -1;
    *out = r;
    return 0;
}

bool mon_count_range_alerts(const mon_count_range *r, size_t count,
                            size_t total)
{
    double v = (double)count;

    if (!r || !r->range.set)
        return false;
    if (r->percent)
        v = total ? 100.0 * (double)count / (double)total : 0;
    return mon_range_alerts(&r->range, v);
}

int mon_count_range_format(const mon_count_range *r, char *buf, size_t size)
{
    char range[160];

    if (!r || !r->range.set)
        return snprintf(buf, size, "%s", "");
    mon_range_format(&r->range, range, sizeof(range));
    return snprintf(buf, size, "%s%s", range, r->percent ? "%" : "");
}
