/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AWS CLI v2's output formats (--output json|text|table|yaml|
 * yaml-stream) for the elasticache CLI, byte for byte as /usr/bin/aws
 * (awscli 2.9, Python 3.11, ruamel.yaml 0.17 with its libyaml-0.1.7-based
 * C emitter) prints them: awscli/formatter.py, text.py and table.py, and
 * ruamel's safe dumper, rule for rule.
 *
 * Only the CLI prints these, so they live with it (a static library,
 * plugins/elasticache/output), not in libelasticache. Python's str()/repr()
 * and Unicode rules come from the library's lib/src/pyfmt.c, compiled in.
 *
 * Each function formats one response (after --query) into `out` and
 * returns 0, or -1 with the message of the Python exception the AWS CLI
 * would print (it exits 255 with it) in `err` (or "out of memory").
 */
#ifndef ECO_OUTPUT_H
#define ECO_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "pyfmt.h"

#define ECO_ERROR_LENGTH 512

typedef struct eco_error {
    char message[ECO_ERROR_LENGTH];
} eco_error;

/* --output json: json.dumps(indent=4, ensure_ascii=False) and a newline;
 * nothing for {} (JSONFormatter). */
int eco_json(const json_t *response, ecp_pyout *out, eco_error *err);

/* --output text: awscli.text.format_text (TextFormatter). With pagination
 * the AWS CLI formats every page on its own, the query applied to each
 * page; that is the caller's loop. */
int eco_text(const json_t *response, ecp_pyout *out, eco_error *err);

typedef struct eco_table_options {
    /* The terminal's width in columns: a table wider than this is turned
     * into key/value rows. The AWS CLI asks stdout (TIOCGWINSZ) and uses
     * 80 when stdout is no terminal: see eco_terminal_width. */
    int terminal_width;
    /* --color on, or auto on a terminal: row cells and indentation in
     * colour (colorama's BRIGHT+BLUE, DIM+YELLOW). */
    bool color;
    /* With colour, when the AWS CLI writes to its own stdout (no pager),
     * colorama resets the style after every write(): "\033[0m" after each
     * piece the renderer writes. False when it writes into a pager. */
    bool color_autoreset;
} eco_table_options;

/* --output table: TableFormatter; `title` is the operation's name
 * ("DescribeCacheClusters"). Nothing for a false value (null, false, 0,
 * "", [], {}). */
int eco_table(const json_t *response, const char *title,
              const eco_table_options *opt, ecp_pyout *out, eco_error *err);

/* The width the AWS CLI gives tables: the columns of the terminal on `fd`
 * (its stdout) by TIOCGWINSZ, 80 when that fails. */
int eco_terminal_width(int fd);

/* --output yaml: YAMLFormatter (nothing for {}; a scalar as JSON; else
 * ruamel.yaml's safe dump: keys sorted, block style, anchors for values
 * that appear twice, libyaml's quoting and line folding at 80). */
int eco_yaml(const json_t *response, ecp_pyout *out, eco_error *err);

/* --output yaml-stream: one response (one page) as a one-item list, as
 * StreamedYAMLFormatter writes each; nothing for {} when not paginated
 * (the caller's choice: `skip_empty`). */
int eco_yaml_stream_item(const json_t *response, bool skip_empty,
                         ecp_pyout *out, eco_error *err);

#endif
