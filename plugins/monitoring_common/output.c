/* The check's output (see output.h): one builder, one filter, one
 * budget. Pure. */
#include "output.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct sink {
    char *buf;
    size_t size; /* buf's size */
    size_t len;
    size_t max; /* bytes the output may have, newlines included */
} sink;

static size_t room(const sink *s)
{
    size_t limit = s->max < s->size - 1 ? s->max : s->size - 1;

    return s->len < limit ? limit - s->len : 0;
}

static void put(sink *s, const char *text, size_t n)
{
    if (n > room(s))
        n = room(s);
    memcpy(s->buf + s->len, text, n);
    s->len += n;
    s->buf[s->len] = '\0';
}

static void puts_(sink *s, const char *text)
{
    put(s, text, strlen(text));
}

/*
 * `text` made safe and fit into `limit` bytes: whole when it fits, else
 * cut after the last word that fits, followed by " ...". Returns the
 * length in out (out holds limit + 1 bytes).
 */
static size_t fit(char *out, size_t limit, const char *text)
{
    char safe[MON_LINE_MAX * 2];
    bool cut;
    size_t n = mon_safe_text(safe, sizeof(safe), text, '?', &cut);
    size_t keep;

    if (!cut && n <= limit) {
        memcpy(out, safe, n + 1);
        return n;
    }
    if (limit < 4) {
        out[0] = '\0';
        return 0;
    }
    /* room for " ..." after the last whole word */
    keep = limit - 4;
    while (keep > 0 && safe[keep] != ' ')
        keep--;
    while (keep > 0 && (safe[keep - 1] == ' ' || safe[keep - 1] == ';' ||
                        safe[keep - 1] == ','))
        keep--;
    if (keep == 0) {
        /* one word longer than the line: cut it at a character */
        keep = limit - 4;
        while (keep > 0 && ((unsigned char)safe[keep] & 0xc0) == 0x80)
            keep--;
    }
    memcpy(out, safe, keep);
    memcpy(out + keep, " ...", 5);
    return keep + 4;
}

/* The first line's text: prefix, state, head, the problems that fit. */
static void first_line(sink *s, const mon_output *o)
{
    char piece[MON_LINE_MAX + 1];
    char more[48];
    size_t start = s->len, used, i;
    bool any;
    const char *state = mon_state_name(o->state);

    puts_(s, o->prefix ? o->prefix : "");
    puts_(s, " ");
    puts_(s, state);
    puts_(s, " - ");
    used = s->len - start;
    fit(piece, MON_LINE_MAX - used, o->head ? o->head : "");
    puts_(s, piece);
    any = piece[0] != '\0';
    used = s->len - start;
    for (i = 0; i < o->nitems; i++) {
        size_t sep = any ? 2 : 0;
        size_t left_after = o->nitems - i - 1;
        size_t n;

        /* keep room for " (+N more)" unless this is the last one */
        snprintf(more, sizeof(more), " (+%zu more)", left_after);
        n = mon_safe_text(piece, sizeof(piece), o->items[i], '?', NULL);
        if (used + sep + n + (left_after ? strlen(more) : 0) > MON_LINE_MAX)
            break;
        if (sep)
            puts_(s, "; ");
        puts_(s, piece);
        any = true;
        used = s->len - start;
    }
    if (i < o->nitems) {
        snprintf(more, sizeof(more), " (+%zu more)", o->nitems - i);
        puts_(s, more);
    }
}

size_t mon_output_render(const mon_output *o, char *buf, size_t size)
{
    sink s = {buf, size, 0, MON_OUTPUT_MAX};
    char line[MON_LINE_MAX + 1];
    char note[160];
    size_t total = 0, left = 0;
    const char *p, *end;

    if (size == 0)
        return 0;
    buf[0] = '\0';
    first_line(&s, o);
    /* perfdata is made of whole items and fits its own half */
    if (o->perf && o->perf->len) {
        puts_(&s, " | ");
        puts_(&s, o->perf->text);
    }
    puts_(&s, "\n");
    p = o->long_text;
    end = p ? p + o->long_len : p;
    while (p && p < end) {
        const char *nl = memchr(p, '\0', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char raw[MON_LINE_MAX * 2];
        size_t len;

        if (n >= sizeof(raw))
            n = sizeof(raw) - 1;
        memcpy(raw, p, n);
        raw[n] = '\0';
        p = nl ? nl + 1 : end;
        total++;
        if (left) {
            left++;
            continue;
        }
        len = fit(line, MON_LINE_MAX, raw);
        /* keep room for the line that says what was left out */
        if (len + 1 + sizeof(note) > room(&s)) {
            left++;
            continue;
        }
        put(&s, line, len);
        puts_(&s, "\n");
    }
    if (o->perf && o->perf->dropped) {
        snprintf(note, sizeof(note),
                 "... %zu perfdata items left out (Nagios keeps 8 KB of "
                 "output)\n",
                 o->perf->dropped);
        puts_(&s, note);
    }
    if (left) {
        snprintf(note, sizeof(note),
                 "... %zu of %zu lines left out (Nagios keeps 8 KB of "
                 "output)\n",
                 left, total);
        puts_(&s, note);
    }
    return s.len;
}
