/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: ec_time_parse and ec_time_parse_since on any text.
 * Oracle: whatever parses must format (ec_time_format_iso) and parse back
 * to the same moment and offset, since the formatted form is what we print
 * and what a user pastes back into --unless-rebooted-since. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Name the broken property in the log, then crash for libFuzzer. */
static void fail(const char *what)
{
    fprintf(stderr, "fuzz_time: oracle: %s\n", what);
    abort();
}

static void round_trip(ec_time t)
{
    char buf[40];
    ec_time back = {0};
    ec_error err = {0};

    if (!t.set || t.usec < 0 || t.usec > 999999)
        fail("parsed time not set or usec out of range");
    if (ec_time_format_iso(t, buf, sizeof(buf)) < 0)
        fail("a parsed time does not format");
    if (ec_time_parse(buf, &back, &err) != 0)
        fail("a formatted time does not parse");
    if (back.sec != t.sec || back.usec != t.usec ||
        back.offset_min != t.offset_min)
        fail("format + parse changes the time");
    ec_error_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* 2023-01-10T09:15:42.512Z: any fixed "now" will do. */
    ec_time now = {true, 1673342142, 512000, 0};
    ec_time t = {0};
    ec_error err = {0};
    char *text = malloc(size + 1);

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (ec_time_parse(text, &t, &err) == 0)
        round_trip(t);
    ec_error_clear(&err);
    memset(&t, 0, sizeof(t));
    if (ec_time_parse_since(text, now, &t, &err) == 0 && t.sec > -62135596800LL)
        round_trip(t);
    ec_error_clear(&err);
    free(text);
    return 0;
}
