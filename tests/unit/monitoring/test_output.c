/* mon_output_render and mon_safe_text: hostile strings cannot forge a
 * line or perfdata, the first line keeps whole words ("+N more"), and the
 * whole output stays within the 8 KB Nagios 4 keeps. */
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "testutil.h"

static size_t count_char(const char *s, char c)
{
    size_t n = 0;

    for (; *s; s++)
        n += *s == c;
    return n;
}

static void test_safe_text(void)
{
    char out[64];
    bool cut;

    mon_safe_text(out, sizeof(out),
                  "a|b\nc\rd\te\x7f"
                  "f",
                  '?', &cut);
    CHECK_STR(out, "a?b?c?d?e?f");
    CHECK(!cut);
    /* UTF-8 stays; broken UTF-8, C1 controls and U+2028 do not */
    mon_safe_text(out, sizeof(out),
                  "caf\xc3\xa9 \xff\xc3 \xc2\x85 \xe2\x80\xa8!", '?', NULL);
    CHECK(strncmp(out, "caf\xc3\xa9 ", 6) == 0);
    CHECK(strchr(out + 6, '\xff') == NULL);
    CHECK(strstr(out, "\xc2\x85") == NULL);
    CHECK(strstr(out, "\xe2\x80\xa8") == NULL);
    CHECK(out[strlen(out) - 1] == '!');
    /* never a cut UTF-8 sequence */
    mon_safe_text(out, 5, "ab\xc3\xa9\xc3\xa9", '?', &cut);
    CHECK_STR(out, "ab\xc3\xa9");
    CHECK(cut);
    mon_safe_text(out, 4, "ab\xc3\xa9", '?', &cut);
    CHECK_STR(out, "ab");
    CHECK(cut);
    mon_safe_text(out, sizeof(out), NULL, '?', &cut);
    CHECK_STR(out, "");
}

static void test_hostile(void)
{
    char buf[MON_OUTPUT_MAX + 1];
    mon_perfdata perf = {0};
    const char *items[] = {"x|y: node 0001 unresponsive",
                           "evil\nELASTICACHE OK - all good | fake=1"};
    mon_output o = {0};
    const char *nl;

    mon_perfdata_add(&perf, "node 0001|x=1\nELASTICACHE OK", 1, "s", NULL,
                     MON_NO_BOUND, MON_NO_BOUND);
    o.prefix = "ELASTICACHE";
    o.state = MON_CRITICAL;
    o.head = "2 clusters:\n ELASTICACHE OK - forged";
    o.items = items;
    o.nitems = 2;
    o.perf = &perf;
    /* two lines, the first with a newline of its own */
    o.long_text = "CRITICAL: a|b\nELASTICACHE OK - second\0next\0";
    o.long_len = sizeof("CRITICAL: a|b\nELASTICACHE OK - second\0next\0") - 1;
    mon_output_render(&o, buf, sizeof(buf));
    fprintf(stderr, "%s", buf);
    nl = strchr(buf, '\n');
    CHECK(nl != NULL);
    /* one '|' on the first line, ours; none later */
    CHECK(nl && count_char(buf, '|') == 1);
    CHECK(strstr(buf, "\nELASTICACHE OK") == NULL);
    CHECK(strncmp(buf,
                  "ELASTICACHE CRITICAL - 2 clusters:? ELASTICACHE OK - "
                  "forged; x?y: node 0001 unresponsive; evil?ELASTICACHE "
                  "OK - all good ? fake=1 | 'node 0001_x_1_ELASTICACHE "
                  "OK'=1s\n",
                  strlen("ELASTICACHE CRITICAL - ")) == 0);
    CHECK_STR(buf, "ELASTICACHE CRITICAL - 2 clusters:? ELASTICACHE OK - "
                   "forged; x?y: node 0001 unresponsive; evil?ELASTICACHE OK "
                   "- all good ? fake=1 | 'node 0001_x_1_ELASTICACHE OK'=1s\n"
                   "CRITICAL: a?b?ELASTICACHE OK - second\n"
                   "next\n");
}

static void test_first_line_limit(void)
{
    static char names[200][48];
    const char *items[200];
    char buf[MON_OUTPUT_MAX + 1], more[32];
    mon_output o = {0};
    size_t first_len, shown = 0;
    const char *more_at;

    for (int i = 0; i < 200; i++) {
        snprintf(names[i], sizeof(names[i]),
                 "cluster-%03d: node 0001 unresponsive", i);
        items[i] = names[i];
    }
    o.prefix = "ELASTICACHE";
    o.state = MON_CRITICAL;
    o.head = "200 clusters: 0 OK, 0 WARNING, 200 CRITICAL, 0 UNKNOWN";
    o.items = items;
    o.nitems = 200;
    mon_output_render(&o, buf, sizeof(buf));
    first_len = strcspn(buf, "\n");
    CHECK(first_len <= MON_LINE_MAX);
    for (int i = 0; i < 200; i++)
        if (strstr(buf, names[i]))
            shown++;
    CHECK(shown > 10 && shown < 200);
    snprintf(more, sizeof(more), " (+%zu more)", 200 - shown);
    more_at = strstr(buf, more);
    /* the count of the rest ends the line, right after a whole item */
    CHECK(more_at != NULL && more_at + strlen(more) == buf + first_len);
    CHECK(more_at && strncmp(more_at - 12, "unresponsive", 12) == 0);
    /* one item: no "+0 more" */
    o.nitems = 1;
    mon_output_render(&o, buf, sizeof(buf));
    CHECK(strstr(buf, "more)") == NULL);
}

static void test_long_head(void)
{
    char head[3000], buf[MON_OUTPUT_MAX + 1];
    mon_output o = {0};
    size_t first_len;

    memset(head, 0, sizeof(head));
    for (size_t i = 0; i + 6 < sizeof(head) - 1; i += 6)
        memcpy(head + i, "word; ", 6);
    o.prefix = "ELASTICACHE";
    o.state = MON_UNKNOWN;
    o.head = head;
    mon_output_render(&o, buf, sizeof(buf));
    first_len = strcspn(buf, "\n");
    CHECK(first_len <= MON_LINE_MAX);
    /* cut after a whole word, and said so */
    CHECK(strncmp(buf + first_len - 8, "word ...", 8) == 0);
}

static void test_total_limit(void)
{
    char *lines = malloc(1000 * 60 + 1);
    char buf[MON_OUTPUT_MAX + 64];
    mon_perfdata perf = {0};
    mon_output o = {0};
    size_t len = 0, n, out_lines;

    for (int i = 0; i < 1000; i++)
        len += (size_t)snprintf(lines + len, 61,
                                "big-%04d node 0001 available 10.0.0.1:6379: "
                                "answers",
                                i) +
               1; /* and its NUL */
    while (mon_perfdata_add(&perf, "label with room", 1, "", NULL, MON_NO_BOUND,
                            MON_NO_BOUND) == 0)
        ;
    o.prefix = "ELASTICACHE";
    o.state = MON_OK;
    o.head = "1000 clusters";
    o.perf = &perf;
    o.long_text = lines;
    o.long_len = len;
    n = mon_output_render(&o, buf, sizeof(buf));
    CHECK(n <= MON_OUTPUT_MAX);
    CHECK_INT(n, strlen(buf));
    CHECK(buf[n - 1] == '\n');
    out_lines = count_char(buf, '\n');
    CHECK(out_lines > 10);
    /* what was left out is said, and the count adds up */
    {
        char want[96];

        snprintf(want, sizeof(want),
                 "... %zu of 1000 lines left out (Nagios keeps 8 KB of "
                 "output)\n",
                 1000 - (out_lines - 3));
        CHECK(strstr(buf, want) != NULL);
        snprintf(want, sizeof(want), "... %zu perfdata items left out",
                 perf.dropped);
        CHECK(strstr(buf, want) != NULL);
    }
    free(lines);
}

int main(void)
{
    test_safe_text();
    test_hostile();
    test_first_line_limit();
    test_long_head();
    test_total_limit();
    return test_status("output");
}
