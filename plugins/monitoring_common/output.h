/*
 * The check's whole output, built in one place: the first line (state,
 * summary, the problems that fit, perfdata), then the long output, every
 * string passed through mon_safe_text, within what Nagios reads. Pure.
 */
#ifndef MON_OUTPUT_H
#define MON_OUTPUT_H

#include <stddef.h>

#include "monitoring.h"

/* Nagios 4 keeps at most MAX_PLUGIN_OUTPUT_LENGTH (8192) bytes of a
 * plugin's output, its NUL included: everything printed, newlines
 * included, stays within this. */
#define MON_OUTPUT_MAX 8191
/* The first line's text (up to " | "), and each long output line. A
 * status line is read in web interfaces, mails and pagers. */
#define MON_LINE_MAX 1024

typedef struct mon_output {
    const char *prefix; /* "ELASTICACHE" */
    mon_state state;
    const char *head; /* the first line's text before the problems */
    /* Problems after the head, "; " between them, in this order, while
     * they fit the first line; the rest counted: " (+N more)". */
    const char *const *items;
    size_t nitems;
    const mon_perfdata *perf; /* may be NULL */
    /* Long output: NUL-terminated lines, one after the other, long_len
     * bytes in all (may be NULL). A '\n' inside a line is no line break
     * (an API string can hold one): it is replaced like any control
     * character. Whole lines while they fit; then one line says how many
     * were left out. */
    const char *long_text;
    size_t long_len;
} mon_output;

/*
 * Render `o` into buf (`size` bytes; MON_OUTPUT_MAX + 1 holds any
 * output): "PREFIX STATE - head; item; item (+N more) | perfdata\n"
 * then the long output lines. Control characters, '|' and bytes that are
 * not UTF-8 in any of the strings become '?' (so no string from the API
 * can start perfdata or a line of its own), and a text too long for a
 * line is cut at a word, with " ...". Returns the length written.
 */
size_t mon_output_render(const mon_output *o, char *buf, size_t size);

#endif
