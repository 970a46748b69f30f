/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The two front ends of a native module, shared so that every module of
 * the collection speaks them alike: the Ansible binary module (one args
 * file, one JSON result) and the NDJSON stdio tool (one JSON request per
 * line on stdin, one JSON result per line on stdout, in order).
 */
#ifndef ERB_FRONTEND_H
#define ERB_FRONTEND_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "awsmodule.h"

/* The most an NDJSON request line may hold. */
#define ERB_MAX_LINE_BYTES (1024u * 1024u)

/* Exit statuses of the NDJSON mode. */
enum {
    ERB_EXIT_ALL_OK = 0,      /* every request succeeded */
    ERB_EXIT_SOME_FAILED = 1, /* one or more results are failures */
    ERB_EXIT_BAD_INPUT = 2    /* a line was not a JSON object (or no memory) */
};

/**
 * One request of a module: `request` is the JSON object (its protocol keys
 * read according to `mode`); returns the result object (new reference,
 * already scrubbed of no_log values) and sets `*failed`. NULL only when
 * memory ran out. `ctx` is the module's state across requests.
 */
typedef json_t *(*erb_request_fn)(void *ctx, const json_t *request,
                                  erb_mode mode, bool *failed);

/**
 * How an NDJSON front end writes the result of request line `lineno`
 * (`failed`: whether it is a failure, including a line that was no
 * request). NULL: erb_print_result, one line per request.
 */
typedef void (*erb_emit_fn)(void *ctx, const json_t *result, bool failed,
                            unsigned long lineno);

/**
 * The binary module: read the args (`arg`: a file name or the JSON text,
 * as erb_read_module_args), run one request, print its result. Returns
 * the exit status: 0, or 1 when the result is a failure.
 */
int erb_run_module(const char *arg, erb_request_fn fn, void *ctx);

/**
 * The NDJSON tool: for each non-blank line of `in`, its result on stdout,
 * in order, written by `emit` (NULL: one line per request). A line that is not
 * a JSON object (or is longer than ERB_MAX_LINE_BYTES) gets a failure result
 * naming the line, never quoting it (a request holds secrets). `tool` names the
 * program in the out-of-memory message. Returns ERB_EXIT_*.
 */
int erb_run_ndjson(FILE *in, const char *tool, erb_request_fn fn,
                   erb_emit_fn emit, void *ctx);

#endif
