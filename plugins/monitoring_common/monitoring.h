/*
 * Monitoring-plugin concerns shared by check_elasticache and
 * elasticache_event_handler: states, thresholds and perfdata, following the
 * Monitoring Plugins Development Guidelines. No heap, no globals.
 */
#ifndef MON_MONITORING_H
#define MON_MONITORING_H

#include <stdbool.h>
#include <stddef.h>

/* The values are the plugin exit codes. */
typedef enum mon_state {
    MON_OK = 0,
    MON_WARNING = 1,
    MON_CRITICAL = 2,
    MON_UNKNOWN = 3
} mon_state;

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *mon_state_name(mon_state s);

/* Parse "OK"/"WARNING"/"CRITICAL"/"UNKNOWN" (case-insensitive) or "0".."3".
 * Returns -1 when it is none of them. */
int mon_state_parse(const char *text, mon_state *out);

/*
 * The worse of two states. Precedence, worst first:
 *   CRITICAL > WARNING > UNKNOWN > OK
 * as monitoring-plugins' max_state_alt(): a cluster we could not judge
 * (UNKNOWN) must not hide one that is known to be broken, and must not be
 * hidden by one that is fine.
 */
mon_state mon_state_worst(mon_state a, mon_state b);

/*
 * A range as in the guidelines: alert when the value is outside
 * [start, end], or inside it when `inside` ("@"). An unset threshold never
 * alerts. Infinite bounds are start_inf / end_inf.
 *   "10"     -> 0..10          "10:"  -> 10..inf
 *   "~:10"   -> -inf..10       "10:20"-> 10..20      "@10:20" inside 10..20
 */
typedef struct mon_range {
    bool set;
    bool inside;
    bool start_inf;
    bool end_inf;
    double start;
    double end;
} mon_range;

/* Parse a range. Returns 0, or -1 with a short reason in `why` (may be
 * NULL). An empty string gives an unset range. */
int mon_range_parse(const char *text, mon_range *out, const char **why);

/* True when `value` is an alert for this range. */
bool mon_range_alerts(const mon_range *r, double value);

/* Render a range in the guidelines' syntax ("" when unset). snprintf
 * semantics. */
int mon_range_format(const mon_range *r, char *buf, size_t size);

/* A range on a count that may be given as a percentage ("1", "10%",
 * "@1:2", "25%:"): `percent` when the text ended in '%'. */
typedef struct mon_count_range {
    mon_range range;
    bool percent;
} mon_count_range;

/* Parse a count range; a trailing '%' makes it a percentage (0..100). */
int mon_count_range_parse(const char *text, mon_count_range *out,
                          const char **why);

/* True when `count` of `total` is an alert for this range (by count, or
 * by percentage of `total`; with total 0 the percentage is 0). */
bool mon_count_range_alerts(const mon_count_range *r, size_t count,
                            size_t total);

/* Render as given ("1", "10%"); "" when unset. snprintf semantics. */
int mon_count_range_format(const mon_count_range *r, char *buf, size_t size);

typedef struct mon_thresholds {
    mon_range warning;
    mon_range critical;
} mon_thresholds;

/* CRITICAL if the critical range alerts, else WARNING if the warning one
 * does, else OK. */
mon_state mon_thresholds_check(const mon_thresholds *t, double value);

/* Perfdata accumulated into a fixed buffer: space-separated items
 * 'label'=value[UOM];[warn];[crit];[min];[max]. Half of the 8 KB Nagios 4
 * reads of a plugin's output (MAX_PLUGIN_OUTPUT_LENGTH), so that the text
 * and the long output keep the other half. */
#define MON_PERFDATA_SIZE 4096

typedef struct mon_perfdata {
    char text[MON_PERFDATA_SIZE];
    size_t len;
    bool truncated; /* an item did not fit and was left out whole */
    size_t dropped; /* how many did not fit */
} mon_perfdata;

/* Optional bound for min/max. */
typedef struct mon_bound {
    bool set;
    double value;
} mon_bound;

#define MON_NO_BOUND ((mon_bound){false, 0})
#define MON_BOUND(v) ((mon_bound){true, (v)})

/*
 * Append one item. The label is quoted when it holds a space or a quote
 * (quotes doubled); '=' is not allowed by the guidelines, and '|' and
 * control characters would break the output line: each becomes '_', as
 * does a byte that is not UTF-8. `uom` is "", "s", "ms", "us", "%", "B",
 * "KB", "MB", "TB" or "c". A NaN value (could not be determined) is left
 * out: the guidelines' "U" is refused by Icinga 2 ("Can't convert 'U' to
 * a floating point number"), which then drops the whole check's perfdata.
 * `t` may be NULL. Returns 0, 1 for a NaN left out, or -1 when the item
 * did not fit (it is then left out whole, `truncated` set and counted).
 */
int mon_perfdata_add(mon_perfdata *p, const char *label, double value,
                     const char *uom, const mon_thresholds *t, mon_bound min,
                     mon_bound max);

/* A number as perfdata wants it: plain decimal, no exponent, no trailing
 * zeros ("0.000512", "3", "-1.5"). snprintf semantics. */
int mon_format_number(double v, char *buf, size_t size);

/*
 * Copy `src` into `dst` (`size` bytes, always terminated) fit for one
 * Nagios output line: a control character (a newline would start a line
 * of its own), DEL, '|' (it starts perfdata) and every byte that is not
 * part of valid UTF-8 become `repl`. Never cuts a UTF-8 sequence. Returns
 * the length written; *cut (may be NULL) says whether src was longer.
 */
size_t mon_safe_text(char *dst, size_t size, const char *src, char repl,
                     bool *cut);

#endif
