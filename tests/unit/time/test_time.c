/* SPDX-License-Identifier: Apache-2.0 */
/* Timestamps: parsing as botocore (dateutil) accepts them and formatting
 * as Python's isoformat() prints them. Expected values were produced with
 * botocore.utils.parse_timestamp(text).isoformat() under TZ=UTC. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"
#include "util.h"

static const struct {
    const char *text;
    const char *iso; /* NULL: must be rejected */
} cases[] = {
    {"2023-01-10T09:15:42.512Z", "2023-01-10T09:15:42.512000+00:00"},
    {"2023-01-10T09:15:42Z", "2023-01-10T09:15:42+00:00"},
    {"2023-01-10T09:15:42.000000Z", "2023-01-10T09:15:42+00:00"},
    {"2023-01-10T09:15:42.0000001Z", "2023-01-10T09:15:42+00:00"},
    {"2023-01-10T09:15:42.9999999Z", "2023-01-10T09:15:42.999999+00:00"},
    {"2023-01-10T09:15:42.000001Z", "2023-01-10T09:15:42.000001+00:00"},
    {"2023-01-10T09:15:42+02:00", "2023-01-10T09:15:42+02:00"},
    {"2023-01-10T09:15:42-05:30", "2023-01-10T09:15:42-05:30"},
    {"2023-01-10T09:15:42+0200", "2023-01-10T09:15:42+02:00"},
    {"2023-01-10T09:15:42+05", "2023-01-10T09:15:42+05:00"},
    {"2023-01-01T00:30:00-01:00", "2023-01-01T00:30:00-01:00"},
    {"2023-01-10T09:15:42,5Z", "2023-01-10T09:15:42.500000+00:00"},
    {"2023-01-10T09:15Z", "2023-01-10T09:15:00+00:00"},
    {"2023-01-10T09:15:42 UTC", "2023-01-10T09:15:42+00:00"},
    {"2023-01-10t09:15:42z", "2023-01-10T09:15:42+00:00"},
    {"20150830T123600Z", "2015-08-30T12:36:00+00:00"},
    {"2024-02-29T00:00:00Z", "2024-02-29T00:00:00+00:00"},
    {"0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00"},
    {"9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999+00:00"},
    {"1673342142", "2023-01-10T09:15:42+00:00"},
    {"1673342142.5", "2023-01-10T09:15:42.500000+00:00"},
    {"0", "1970-01-01T00:00:00+00:00"},
    {"-1.5", "1969-12-31T23:59:58.500000+00:00"},
    {" 2023-01-10T09:15:42Z ", "2023-01-10T09:15:42+00:00"},
    {"\n2023-01-10T09:15:42.5Z\n  ", "2023-01-10T09:15:42.500000+00:00"},
    {" 1673342142 ", "2023-01-10T09:15:42+00:00"},
    {"2023-01-10T09:15:42 Z", "2023-01-10T09:15:42+00:00"},
    {"2023-01-10T09:15:42.123+02:00 ", "2023-01-10T09:15:42.123000+02:00"},
    {"2023-01-10T09:15:42.0000000000000000000000000000000000000000000000000000"
     "00000000000000Z",
     NULL}, /* longer than any timestamp: refused, not truncated */
    /* Deviation, on purpose: botocore makes these naive datetimes and
     * prints no offset; ec_time is always aware and reads them as UTC. */
    {"2023-01-10", "2023-01-10T00:00:00+00:00"},
    {"2023-01-10 09:15:42", "2023-01-10T09:15:42+00:00"},
    {"2023-02-29T00:00:00Z", NULL},
    {"2100-02-29T00:00:00Z", NULL},
    {"2023-13-01T00:00:00Z", NULL},
    {"2023-00-01T00:00:00Z", NULL},
    {"2023-01-32T00:00:00Z", NULL},
    {"2023-01-10T24:00:00Z", NULL},
    {"2023-01-10T09:60:00Z", NULL},
    {"2023-01-10T09:15:60Z", NULL},
    {"2023-01-10T09:15:42+24:00", NULL},
    {"2023-01-10T09:15:42.Z", NULL},
    {"2023-01-10T09:15:42Zjunk", NULL},
    {"0000-01-01T00:00:00Z", NULL},
    {"99999999999999999999", NULL},
    {"garbage", NULL},
    {"", NULL},
    {"2023/01/10", NULL},
};

static void test_parse_format(void)
{
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ec_error err = {0};
        ec_time t = {0};
        char buf[33];
        int rc = ec_time_parse(cases[i].text, &t, &err);

        if (!cases[i].iso) {
            if (rc != -1 || err.code != EC_ERR_INVALID_ARGUMENT)
                fprintf(stderr, "accepted: \"%s\"\n", cases[i].text);
            CHECK(rc == -1 && err.code == EC_ERR_INVALID_ARGUMENT);
            continue;
        }
        if (rc != 0)
            fprintf(stderr, "rejected: \"%s\": %s\n", cases[i].text,
                    err.message);
        CHECK_INT(rc, 0);
        CHECK(t.set);
        CHECK_INT(ec_time_format_iso(t, buf, sizeof(buf)),
                  (long long)strlen(cases[i].iso));
        CHECK_STR(buf, cases[i].iso);
    }
}

static void test_values(void)
{
    ec_time t = {0}, u = {0};
    char buf[64];

    CHECK_INT(ec_time_parse("2023-01-10T09:15:42.512+02:00", &t, NULL), 0);
    CHECK_INT(t.sec, 1673334942); /* 07:15:42Z */
    CHECK_INT(t.usec, 512000);
    CHECK_INT(t.offset_min, 120);
    CHECK_INT(ec_time_parse("2023-01-10T07:15:42.512Z", &u, NULL), 0);
    CHECK(ec_time_diff(t, u) == 0.0);
    CHECK_INT(ec_time_parse("2023-01-10T07:15:43.012Z", &u, NULL), 0);
    CHECK(ec_time_diff(u, t) == 0.5);
    CHECK(ec_time_diff(t, u) == -0.5);

    /* The longest output fits the documented 33 bytes and not 32. */
    CHECK_INT(ec_time_parse("9999-12-31T23:59:59.999999-23:59", &t, NULL), 0);
    CHECK_INT(ec_time_format_iso(t, buf, 33), 32);
    CHECK_INT(ec_time_format_iso(t, buf, 32), -1);
    CHECK_INT(ec_time_format_iso(t, NULL, 0), -1);
    t.usec = 1000000;
    CHECK_INT(ec_time_format_iso(t, buf, sizeof(buf)), -1);

    CHECK_INT(ec_time_parse(NULL, &t, NULL), -1);
    t = ec_time_now();
    CHECK(t.set && t.sec > 1700000000 && t.usec >= 0 && t.usec < 1000000);
}

/* The layout ec_time_format_iso writes by hand, through snprintf, for
 * comparison: Python's isoformat() of a tz-aware datetime. */
static int reference_iso(ec_time t, char *buf, size_t size, int *year)
{
    int64_t local = t.sec + (int64_t)t.offset_min * 60;
    int64_t days = local / 86400, secs = local % 86400, off = t.offset_min;
    struct tm tm;
    time_t tt;
    char frac[8] = "";
    char sign = '+';

    if (secs < 0) {
        secs += 86400;
        days -= 1;
    }
    tt = (time_t)(days * 86400);
    if (!gmtime_r(&tt, &tm))
        return -1;
    *year = tm.tm_year + 1900;
    if (t.usec)
        snprintf(frac, sizeof(frac), ".%06d", (int)t.usec);
    if (off < 0) {
        sign = '-';
        off = -off;
    }
    return snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%s%c%02d:%02d",
                    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
                    frac, sign, (int)(off / 60), (int)(off % 60));
}

/* Random moments over the whole range Python's datetime has, offsets up to
 * and past the 23:59 a parsed timestamp can carry, with and without a
 * fraction: the same text as the snprintf layout, every time. */
static void test_format_random(void)
{
    uint64_t x = 0x9e3779b97f4a7c15u;
    char got[64], want[64];
    int i, n, m, year = 0;

    for (i = 0; i < 50000; i++) {
        ec_time t = {0};

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        t.set = true;
        /* 0001-01-01 .. 9999-12-31, UTC */
        t.sec = -62135596800LL + (int64_t)(x % 315537897600ULL);
        t.usec = (x >> 20) % 4 == 0 ? 0 : (int32_t)((x >> 24) % 1000000);
        t.offset_min = (int32_t)((x >> 44) % 2879) - 1439;
        if (i % 1000 == 0) /* offsets of 100 hours or more */
            t.offset_min = (int32_t)((x >> 40) % 20000000) - 10000000;
        n = ec_time_format_iso(t, got, sizeof(got));
        m = reference_iso(t, want, sizeof(want), &year);
        if (n < 0) {
            /* Only a local time outside years 1..9999 is refused. */
            CHECK(year < 1 || year > 9999);
            continue;
        }
        CHECK_INT(n, m);
        if (strcmp(got, want) != 0) {
            fprintf(stderr, "sec %lld usec %d offset %d: %s != %s\n",
                    (long long)t.sec, (int)t.usec, (int)t.offset_min, got,
                    want);
            CHECK(0);
            break;
        }
    }
}

static void test_since(void)
{
    static const struct {
        const char *text;
        int64_t ago;
    } rel[] = {{"90s", 90},   {"30m", 1800},  {"2h", 7200},
               {"1d", 86400}, {"1w", 604800}, {"0s", 0}};
    ec_time now = {true, 1673342142, 250000, 0}, t;
    ec_error err = {0};
    size_t i;

    for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
        CHECK_INT(ec_time_parse_since(rel[i].text, now, &t, NULL), 0);
        CHECK_INT(t.sec, now.sec - rel[i].ago);
        CHECK_INT(t.usec, now.usec);
    }
    CHECK_INT(ec_time_parse_since("2023-01-10T09:15:42Z", now, &t, NULL), 0);
    CHECK_INT(t.sec, 1673342142);
    CHECK_INT(t.usec, 0);
    /* A bare number is an absolute epoch time, never an age. */
    CHECK_INT(ec_time_parse_since("1673342000", now, &t, NULL), 0);
    CHECK_INT(t.sec, 1673342000);
    CHECK_INT(ec_time_parse_since("5x", now, &t, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "30m") != NULL);
    CHECK_INT(ec_time_parse_since("m", now, &t, NULL), -1);
    CHECK_INT(ec_time_parse_since("-5m", now, &t, NULL), -1);
    CHECK_INT(ec_time_parse_since("5 m", now, &t, NULL), -1);
    CHECK_INT(ec_time_parse_since("", now, &t, NULL), -1);
    CHECK_INT(ec_time_parse_since("99999999999999w", now, &t, NULL), -1);
}

int main(void)
{
    test_parse_format();
    test_values();
    test_format_random();
    test_since();
    return test_status("time");
}
