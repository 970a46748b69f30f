/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The binary-module and NDJSON front ends a native module shares (see
 * frontend.h): reading requests, printing results, exit statuses.
 */
#include "frontend.h"

#include <stdlib.h>
#include <string.h>

#include <elasticache/elasticache.h>

int erb_run_module(const char *arg, erb_request_fn fn, void *ctx)
{
    json_t *args, *result;
    bool failed = true;
    char msg[512];

    args = erb_read_module_args(arg, msg, sizeof(msg));
    if (args)
        result = fn(ctx, erb_unwrap_args(args), ERB_MODE_ANSIBLE, &failed);
    else
        result = erb_failure(msg);
    erb_print_result(result);
    json_decref(result);
    json_decref(args);
    return failed ? 1 : 0;
}

/* Read one line of at most size - 1 bytes into buf (without the newline).
 * Returns 1 for a line, 0 at end of input, -1 when the line was too long
 * (the rest of it is skipped). */
static int read_line(FILE *in, char *buf, size_t size, size_t *len)
{
    int c;
    bool too_long = false;

    *len = 0;
    c = getc(in);
    if (c == EOF)
        return 0;
    while (c != EOF && c != '\n') {
        if (*len + 1 < size)
            buf[(*len)++] = (char)c;
        else
            too_long = true;
        c = getc(in);
    }
    buf[*len] = '\0';
    return too_long ? -1 : 1;
}

static bool blank(const char *s)
{
    for (; *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\r')
            return false;
    }
    return true;
}

int erb_run_ndjson(FILE *in, const char *tool, erb_request_fn fn,
                   erb_emit_fn emit, void *ctx)
{
    char *line = malloc(ERB_MAX_LINE_BYTES + 1);
    char msg[512];
    size_t len;
    unsigned long lineno = 0;
    int status = ERB_EXIT_ALL_OK, rc;

    if (!line) {
        fprintf(stderr, "%s: out of memory\n", tool);
        return ERB_EXIT_BAD_INPUT;
    }
    for (;;) {
        json_t *request = NULL, *result = NULL;
        json_error_t jerr;
        bool failed = true;

        rc = read_line(in, line, ERB_MAX_LINE_BYTES + 1, &len);
        if (rc == 0)
            break;
        lineno++;
        if (rc > 0 && blank(line))
            continue;
        if (rc < 0) {
            snprintf(msg, sizeof(msg),
                     "Error: line %lu is longer than %u bytes", lineno,
                     ERB_MAX_LINE_BYTES);
        } else {
            request = json_loadb(line, len, 0, &jerr);
            /* jansson's text quotes the input near the error ("invalid
             * token near '...'"), and a request line holds secret keys:
             * say where, never what (issue 8, item 11). */
            if (!request)
                snprintf(msg, sizeof(msg),
                         "Error: line %lu is not valid JSON (column %d, byte "
                         "%d); the line is not repeated here because it may "
                         "hold secrets",
                         lineno, jerr.column, jerr.position);
            else if (!json_is_object(request))
                snprintf(msg, sizeof(msg),
                         "Error: line %lu is not a JSON object", lineno);
        }
        if (json_is_object(request)) {
            result =
                fn(ctx, erb_unwrap_args(request), ERB_MODE_NDJSON, &failed);
            if (failed && status == ERB_EXIT_ALL_OK)
                status = ERB_EXIT_SOME_FAILED;
        } else {
            result = erb_failure(msg);
            status = ERB_EXIT_BAD_INPUT;
        }
        if (emit)
            emit(ctx, result, failed || !result, lineno);
        else
            erb_print_result(result);
        json_decref(result);
        json_decref(request);
    }
    ec_wipe(line, ERB_MAX_LINE_BYTES + 1);
    free(line);
    return status;
}
