/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Timestamps: lenient ISO 8601 parsing as botocore does it (dateutil), and
 * formatting as Python's datetime.isoformat(), which AWS CLI v2 prints.
 * Calendar arithmetic is done here (days_from_civil) so no libc time zone
 * state is involved.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

/* Python's datetime range: years 1..9999. */
#define MIN_YEAR 1
#define MAX_YEAR 9999

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

ec_time ec_time_now(void)
{
    struct timespec ts;
    ec_time t = {0};

    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return t;
    t.set = true;
    t.sec = (int64_t)ts.tv_sec;
    t.usec = (int32_t)(ts.tv_nsec / 1000);
    return t;
}

double ec_time_diff(ec_time a, ec_time b)
{
    return (double)(a.sec - b.sec) + (double)(a.usec - b.usec) / 1e6;
}

/* Read exactly `n` digits. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

/* Epoch seconds, optionally with a fraction ("1673342142", "1673342142.5"),
 * as botocore's float(value) path. */
static bool parse_epoch(const char *s, ec_time *out)
{
    const char *p = s;
    int64_t sec = 0;
    int32_t usec = 0;
    int scale = 100000;
    bool neg = false, any = false;

    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    for (; isdigit((unsigned char)*p); p++) {
        if (sec > (INT64_MAX - 9) / 10)
            return false;
        sec = sec * 10 + (*p - '0');
        any = true;
    }
    if (*p == '.') {
        for (p++; isdigit((unsigned char)*p); p++) {
            usec += scale * (*p - '0');
            scale /= 10;
            any = true;
        }
    }
    if (!any || *p != '\0')
        return false;
    /* Keep within Python's datetime range. */
    if (sec > 253402300799LL)
        return false;
    if (neg) {
        sec = -sec;
        if (usec) {
            sec -= 1;
            usec = 1000000 - usec;
        }
        if (sec < -62135596800LL)
            return false;
    }
    memset(out, 0, sizeof(*out));
    out->set = true;
    out->sec = sec;
    out->usec = usec;
    return true;
}

/* Zone designator: "Z", "z", "UTC", "GMT", "+HH", "+HHMM", "+HH:MM",
 * optionally after one space. */
static bool parse_zone(const char *p, int *offset_min)
{
    int hh = 0, mm = 0, sign;

    if (*p == ' ')
        p++;
    if ((p[0] == 'Z' || p[0] == 'z') && p[1] == '\0') {
        *offset_min = 0;
        return true;
    }
    if (strcmp(p, "UTC") == 0 || strcmp(p, "GMT") == 0) {
        *offset_min = 0;
        return true;
    }
    if (*p != '+' && *p != '-')
        return false;
    sign = *p++ == '-' ? -1 : 1;
    if (!digits(&p, 2, &hh))
        return false;
    if (*p == ':')
        p++;
    if (*p && !digits(&p, 2, &mm))
        return false;
    if (*p != '\0' || hh > 23 || mm > 59)
        return false;
    *offset_min = sign * (hh * 60 + mm);
    return true;
}

int ec_time_parse(const char *text, ec_time *out, ec_error *err)
{
    char trimmed[64];
    const char *p, *start, *end;
    int year = 0, mon = 0, day = 0, hh = 0, mi = 0, ss = 0;
    int32_t usec = 0;
    int offset = 0, scale;
    bool basic;

    if (!text || !out)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "timestamp: NULL argument");
    /* Surrounding white space is ignored, as dateutil and float() do (it
     * is there when the XML is pretty-printed). */
    start = text;
    while (isspace((unsigned char)*start))
        start++;
    end = start + strlen(start);
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    if ((size_t)(end - start) >= sizeof(trimmed))
        goto bad;
    memcpy(trimmed, start, (size_t)(end - start));
    trimmed[end - start] = '\0';
    p = trimmed;
    if (parse_epoch(trimmed, out))
        return 0;

    /* Date: YYYY-MM-DD or the basic form YYYYMMDD. */
    if (!digits(&p, 4, &year))
        goto bad;
    basic = *p != '-';
    if (!basic)
        p++;
    if (!digits(&p, 2, &mon))
        goto bad;
    if (!basic && *p++ != '-')
        goto bad;
    if (!digits(&p, 2, &day))
        goto bad;

    /* Optional time: T or space, HH:MM[:SS[.fraction]] or HHMM[SS]. */
    if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
        p++;
        if (!digits(&p, 2, &hh))
            goto bad;
        basic = *p != ':';
        if (!basic)
            p++;
        if (!digits(&p, 2, &mi))
            goto bad;
        if (basic ? isdigit((unsigned char)*p) : *p == ':') {
            if (!basic)
                p++;
            if (!digits(&p, 2, &ss))
                goto bad;
            if (*p == '.' || *p == ',') {
                p++;
                if (!isdigit((unsigned char)*p))
                    goto bad;
                /* dateutil keeps microseconds and drops the rest. */
                for (scale = 100000; isdigit((unsigned char)*p); p++) {
                    usec += scale * (*p - '0');
                    scale /= 10;
                }
            }
        }
    }
    if (*p != '\0' && !parse_zone(p, &offset))
        goto bad;
    if (year < MIN_YEAR || year > MAX_YEAR || mon < 1 || mon > 12 || day < 1 ||
        day > days_in_month(year, mon) || hh > 23 || mi > 59 || ss > 59)
        goto bad;

    memset(out, 0, sizeof(*out));
    out->set = true;
    out->sec = days_from_civil(year, mon, day) * 86400 + hh * 3600 + mi * 60 +
               ss - (int64_t)offset * 60;
    out->usec = usec;
    out->offset_min = offset;
    return 0;

bad:
    return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                         "invalid timestamp \"%.64s\": expected ISO 8601 "
                         "such as 2023-01-10T09:15:42Z, or epoch seconds",
                         text);
}

int ec_time_parse_since(const char *text, ec_time now, ec_time *out,
                        ec_error *err)
{
    const char *p = text;
    int64_t n = 0, unit;

    if (!text || !out)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "time: NULL argument");
    while (isdigit((unsigned char)*p)) {
        if (n > 1000000000LL)
            return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                                 "relative time \"%.64s\" is too large", text);
        n = n * 10 + (*p++ - '0');
    }
    if (p == text || p[0] == '\0' || p[1] != '\0')
        return ec_time_parse(text, out, err);
    switch (*p) {
    case 's':
        unit = 1;
        break;
    case 'm':
        unit = 60;
        break;
    case 'h':
        unit = 3600;
        break;
    case 'd':
        unit = 86400;
        break;
    case 'w':
        unit = 7 * 86400;
        break;
    default:
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "invalid time \"%.64s\": use a timestamp or an "
                             "age such as 90s, 30m, 2h, 1d, 1w",
                             text);
    }
    *out = now;
    out->set = true;
    out->sec -= n * unit;
    return 0;
}

/* Two digits of v (0..99) at p. */
static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

int ec_time_format_iso(ec_time t, char *buf, size_t size)
{
    int64_t local = t.sec + (int64_t)t.offset_min * 60, days, secs, year;
    int64_t off = t.offset_min;
    int mon, day, n, i;
    char sign = '+';

    if (!buf || size == 0 || t.usec < 0 || t.usec > 999999)
        return -1;
    days = local / 86400;
    secs = local % 86400;
    if (secs < 0) {
        secs += 86400;
        days -= 1;
    }
    civil_from_days(days, &year, &mon, &day);
    if (year < MIN_YEAR || year > MAX_YEAR)
        return -1;
    if (off < 0) {
        sign = '-';
        off = -off;
    }
    /* An offset of 100 hours or more (no parsed timestamp has one) takes
     * more digits than the fixed layout below has room for. */
    if (off / 60 > 99) {
        char frac[8] = "";

        if (t.usec)
            snprintf(frac, sizeof(frac), ".%06d", (int)t.usec);
        n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%s%c%02d:%02d",
                     (int)year, mon, day, (int)(secs / 3600),
                     (int)(secs / 60 % 60), (int)(secs % 60), frac, sign,
                     (int)(off / 60), (int)(off % 60));
        return n < 0 || (size_t)n >= size ? -1 : n;
    }
    /* "YYYY-MM-DDTHH:MM:SS[.ffffff]+HH:MM", written by hand: this is
     * called for every timestamp of every response rendered, where
     * snprintf's format parsing cost more than the rest of the render. */
    n = t.usec ? 32 : 25;
    if ((size_t)n >= size)
        return -1;
    put2(buf, (int)(year / 100));
    put2(buf + 2, (int)(year % 100));
    buf[4] = '-';
    put2(buf + 5, mon);
    buf[7] = '-';
    put2(buf + 8, day);
    buf[10] = 'T';
    put2(buf + 11, (int)(secs / 3600));
    buf[13] = ':';
    put2(buf + 14, (int)(secs / 60 % 60));
    buf[16] = ':';
    put2(buf + 17, (int)(secs % 60));
    i = 19;
    if (t.usec) {
        int32_t u = t.usec;
        int k;

        buf[i] = '.';
        for (k = 6; k >= 1; k--) {
            buf[i + k] = (char)('0' + u % 10);
            u /= 10;
        }
        i += 7;
    }
    buf[i] = sign;
    put2(buf + i + 1, (int)(off / 60));
    buf[i + 3] = ':';
    put2(buf + i + 4, (int)(off % 60));
    buf[i + 6] = '\0';
    return n;
}
