/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the output formatters (see output.h). */
#ifndef ECO_INTERNAL_H
#define ECO_INTERNAL_H

#include "output.h"

/* Python gives up near 1000 frames; we stop at this depth of data. */
#define ECO_MAX_DEPTH 900

void eco_fail(eco_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Record "out of memory" (or the limit) for a failed ecp_pyout. */
int eco_fail_out(eco_error *err, const ecp_pyout *o);

/* Python's bool(v). */
bool eco_truthy(const json_t *v);
/* type(v).__name__: 'dict', 'list', 'str', 'int', 'float', 'bool',
 * 'NoneType'. */
const char *eco_pytype(const json_t *v);
bool eco_is_container(const json_t *v);

/* An object's keys sorted as Python sorts str (by code point). */
typedef struct eco_key {
    const char *key;
    size_t len;
    json_t *value;
} eco_key;
eco_key *eco_sorted_keys(const json_t *obj, size_t *count);
int eco_key_cmp(const char *a, size_t al, const char *b, size_t bl);

/* str(v) appended. */
int eco_str(ecp_pyout *o, const json_t *v);
/* s.upper() appended. */
int eco_upper(ecp_pyout *o, const char *s, size_t len);
/* awscli.table.get_text_length: two columns for East Asian wide,
 * fullwidth and ambiguous characters, one for the rest. */
size_t eco_text_width(const char *s, size_t len);

#endif
