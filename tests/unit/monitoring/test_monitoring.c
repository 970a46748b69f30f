/* Table tests for the monitoring helpers: every range form against values
 * on, inside and outside its bounds; state precedence; perfdata text. */
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "monitoring.h"
#include "testutil.h"

/* A range, then values and whether each alerts ('A') or not ('.'). */
static const struct {
    const char *range;
    double values[6];
    const char *alerts;
    const char *formatted;
} range_cases[] = {
    /* "10": alert outside 0..10 */
    {"10", {-1, 0, 5, 10, 10.001, 11}, "A...AA", "10"},
    /* "10:": alert below 10 */
    {"10:", {-1, 0, 9.99, 10, 11, 1e9}, "AAA...", "10:"},
    /* "~:10": alert above 10 */
    {"~:10", {-1e9, -1, 0, 10, 10.5, 11}, "....AA", "~:10"},
    /* "10:20": alert outside 10..20 */
    {"10:20", {9, 9.999, 10, 15, 20, 20.1}, "AA...A", "10:20"},
    /* "@10:20": alert inside 10..20, bounds included */
    {"@10:20", {9, 9.999, 10, 15, 20, 20.1}, "..AAA.", "@10:20"},
    /* "@~:0": alert at or below 0 */
    {"@~:0", {-5, 0, 0.001, 1, 2, 3}, "AA....", "@~:0"},
    /* fractional seconds, as for latency */
    {"0.5", {0, 0.2, 0.5, 0.5001, 1, -0.1}, "...AAA", "0.5"},
    {"~:0.25", {0, 0.2, 0.25, 0.26, 1, -3}, "...AA.", "~:0.25"},
    /* ":10" reads as 0:10 (monitoring-plugins) */
    {":10", {-1, 0, 10, 11, 5, 3}, "A..A..", "10"},
    {"-5:5", {-6, -5, 0, 5, 6, 1}, "A...A.", "-5:5"},
};

static const char *const bad_ranges[] = {
    "abc", "10:5", "@",  "~",  "1:2:3", "10x", "x:10",
    "nan", "inf",  "1e", "@:", "~:~",   "--1",
};

static void test_ranges(void)
{
    for (size_t i = 0; i < sizeof(range_cases) / sizeof(range_cases[0]); i++) {
        mon_range r;
        const char *why = NULL;
        char buf[64];

        CHECK_INT(mon_range_parse(range_cases[i].range, &r, &why), 0);
        CHECK(r.set);
        for (int v = 0; v < 6; v++) {
            bool want = range_cases[i].alerts[v] == 'A';
            bool got = mon_range_alerts(&r, range_cases[i].values[v]);

            if (got != want)
                fprintf(stderr, "range %s value %g: got %d\n",
                        range_cases[i].range, range_cases[i].values[v], got);
            CHECK(got == want);
        }
        mon_range_format(&r, buf, sizeof(buf));
        CHECK_STR(buf, range_cases[i].formatted);
    }
    for (size_t i = 0; i < sizeof(bad_ranges) / sizeof(bad_ranges[0]); i++) {
        mon_range r = {0};
        const char *why = NULL;

        if (mon_range_parse(bad_ranges[i], &r, &why) != -1)
            fprintf(stderr, "accepted bad range %s\n", bad_ranges[i]);
        CHECK(why != NULL);
    }
    {
        mon_range r;

        CHECK_INT(mon_range_parse("", &r, NULL), 0);
        CHECK(!r.set);
        CHECK(!mon_range_alerts(&r, 1e9));
    }
}

static void test_states(void)
{
    static const mon_state all[] = {MON_OK, MON_WARNING, MON_CRITICAL,
                                    MON_UNKNOWN};
    /* worst[a][b], rows and columns in the order of `all` */
    static const mon_state worst[4][4] = {
        {MON_OK, MON_WARNING, MON_CRITICAL, MON_UNKNOWN},
        {MON_WARNING, MON_WARNING, MON_CRITICAL, MON_WARNING},
        {MON_CRITICAL, MON_CRITICAL, MON_CRITICAL, MON_CRITICAL},
        {MON_UNKNOWN, MON_WARNING, MON_CRITICAL, MON_UNKNOWN},
    };
    mon_state s;

    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++)
            CHECK_INT(mon_state_worst(all[a], all[b]), worst[a][b]);
    CHECK_INT(MON_OK, 0);
    CHECK_INT(MON_WARNING, 1);
    CHECK_INT(MON_CRITICAL, 2);
    CHECK_INT(MON_UNKNOWN, 3);
    CHECK_STR(mon_state_name(MON_CRITICAL), "CRITICAL");
    CHECK_INT(mon_state_parse("critical", &s), 0);
    CHECK_INT(s, MON_CRITICAL);
    CHECK_INT(mon_state_parse("1", &s), 0);
    CHECK_INT(s, MON_WARNING);
    CHECK_INT(mon_state_parse("CRIT", &s), -1);
    CHECK_INT(mon_state_parse("", &s), -1);
    {
        mon_thresholds t = {0};

        mon_range_parse("0.5", &t.warning, NULL);
        mon_range_parse("1", &t.critical, NULL);
        CHECK_INT(mon_thresholds_check(&t, 0.1), MON_OK);
        CHECK_INT(mon_thresholds_check(&t, 0.7), MON_WARNING);
        CHECK_INT(mon_thresholds_check(&t, 1.5), MON_CRITICAL);
    }
}

static void test_count_ranges(void)
{
    mon_count_range r;
    const char *why = NULL;
    char buf[64];

    CHECK_INT(mon_count_range_parse("0", &r, NULL), 0);
    CHECK(!r.percent);
    CHECK(!mon_count_range_alerts(&r, 0, 6));
    CHECK(mon_count_range_alerts(&r, 1, 6));
    CHECK_INT(mon_count_range_parse("34%", &r, NULL), 0);
    CHECK(r.percent);
    CHECK(!mon_count_range_alerts(&r, 2, 6)); /* 33% */
    CHECK(mon_count_range_alerts(&r, 3, 6));  /* 50% */
    CHECK(!mon_count_range_alerts(&r, 0, 0));
    mon_count_range_format(&r, buf, sizeof(buf));
    CHECK_STR(buf, "34%");
    CHECK_INT(mon_count_range_parse("@1:2", &r, NULL), 0);
    CHECK(mon_count_range_alerts(&r, 2, 10));
    CHECK(!mon_count_range_alerts(&r, 3, 10));
    CHECK_INT(mon_count_range_parse("10:%", &r, NULL), 0);
    CHECK(r.percent && r.range.end_inf);
    CHECK_INT(mon_count_range_parse("%", &r, &why), -1);
    CHECK_STR(why, "a percentage needs a number or range");
    CHECK_INT(mon_count_range_parse("x%", &r, &why), -1);
    CHECK_INT(mon_count_range_parse("", &r, NULL), 0);
    CHECK(!r.range.set);
    CHECK(!mon_count_range_alerts(&r, 5, 5));
}

static void test_perfdata(void)
{
    mon_perfdata p = {0};
    mon_thresholds t = {0};
    char num[64];

    mon_range_parse("~:0.5", &t.warning, NULL);
    mon_range_parse("@1:2", &t.critical, NULL);
    CHECK_INT(
        mon_perfdata_add(&p, "nodes", 3, "", NULL, MON_BOUND(0), MON_NO_BOUND),
        0);
    CHECK_INT(mon_perfdata_add(&p, "node 0001", 0.000512, "s", &t, MON_BOUND(0),
                               MON_NO_BOUND),
              0);
    CHECK_INT(mon_perfdata_add(&p, "it's=odd", 1.5, "s", NULL, MON_NO_BOUND,
                               MON_NO_BOUND),
              0);
    CHECK_INT(
        mon_perfdata_add(&p, "avail", 2, "", NULL, MON_BOUND(0), MON_BOUND(3)),
        0);
    CHECK_STR(p.text, "nodes=3;;;0 'node 0001'=0.000512s;~:0.5;@1:2;0 "
                      "'it''s_odd'=1.5s avail=2;;;0;3");
    mon_format_number(-0.0, num, sizeof(num));
    CHECK_STR(num, "0");
    mon_format_number(-0.0000001, num, sizeof(num));
    CHECK_STR(num, "-0.0000001");
    mon_format_number(0.00243366, num, sizeof(num));
    CHECK_STR(num, "0.00243366");
    mon_format_number(1e-20, num, sizeof(num));
    CHECK_STR(num, "0");
    mon_format_number(1234567.25, num, sizeof(num));
    CHECK_STR(num, "1234567.25");
    mon_format_number(1e300, num, sizeof(num));
    CHECK(strchr(num, 'e') == NULL);
    /* no U: Icinga 2 refuses it, and with it the whole perfdata */
    {
        mon_perfdata q = {0};

        CHECK_INT(mon_perfdata_add(&q, "slowest", (double)NAN, "s", NULL,
                                   MON_BOUND(0), MON_NO_BOUND),
                  1);
        CHECK_INT(q.len, 0);
        CHECK_INT(mon_perfdata_add(&q, "x|y\nz\xff", 2, "", NULL, MON_NO_BOUND,
                                   MON_NO_BOUND),
                  0);
        CHECK_STR(q.text, "x_y_z_=2");
        CHECK(!q.truncated);
    }
    {
        mon_perfdata big = {0};
        int added = 0;

        while (mon_perfdata_add(&big, "label", 1, "", NULL, MON_NO_BOUND,
                                MON_NO_BOUND) == 0)
            added++;
        CHECK(big.truncated);
        CHECK_INT(big.dropped, 1);
        CHECK(big.len < sizeof(big.text));
        CHECK(added > 100);
    }
}

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "all";

    if (!strcmp(which, "ranges") || !strcmp(which, "all"))
        test_ranges();
    if (!strcmp(which, "states") || !strcmp(which, "all"))
        test_states();
    if (!strcmp(which, "perfdata") || !strcmp(which, "all"))
        test_perfdata();
    if (!strcmp(which, "counts") || !strcmp(which, "all"))
        test_count_ranges();
    return test_status(which);
}
