/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Python's text rules for JSON values (repr(), str(), json.dumps, float
 * repr, str.isprintable/isspace, int()/float() digits): the AWS CLI and
 * Python's jmespath print through them, so we must too. Self-contained (C
 * library and jansson only): the library's JMESPath engine and the CLI's
 * output formatters (plugins/elasticache/output) both compile this file.
 */
#ifndef ECP_PYFMT_H
#define ECP_PYFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

typedef struct ecp_urange {
    uint32_t lo, hi;
} ecp_urange;

/* A growable string that refuses to grow past `limit` bytes (0: no limit
 * but SIZE_MAX / 4). Once an append fails, `failed` (out of memory) or
 * `over` (limit) is set and every later append fails too. Always
 * NUL-terminated when data != NULL. */
typedef struct ecp_pyout {
    char *data;
    size_t len;
    size_t cap;
    size_t limit;
    bool failed;
    bool over;
} ecp_pyout;

int ecp_pyout_add(ecp_pyout *o, const char *s, size_t n);
int ecp_pyout_adds(ecp_pyout *o, const char *s);
int ecp_pyout_addc(ecp_pyout *o, char c);
/* Append a code point as UTF-8. */
int ecp_pyout_addcp(ecp_pyout *o, uint32_t cp);
void ecp_pyout_free(ecp_pyout *o);

/* Decode the code point at s[*i] (valid UTF-8 assumed, as jansson's strings
 * are) and advance *i past it. */
uint32_t ecp_utf8_next(const char *s, size_t len, size_t *i);
/* Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF). */
bool ecp_utf8_valid(const char *s, size_t len);
/* Number of code points (Python's len()) of valid UTF-8. */
size_t ecp_utf8_count(const char *s, size_t len);

bool ecp_py_isprintable(uint32_t cp);
bool ecp_py_isspace(uint32_t cp);
/* unicodedata.decimal(cp): 0..9, or -1 when cp is no decimal digit. */
int ecp_py_decimal(uint32_t cp);

/* repr(float) for a finite double ("1.0", "1e+16", "0.0001", "-0.0").
 * Writes at most 32 bytes with the NUL; returns the length. */
size_t ecp_py_float_repr(double v, char out[32]);

/* repr(s) of a Python str: quotes, backslash escapes, \xNN / \uNNNN /
 * \UNNNNNNNN for what str.isprintable() refuses. */
int ecp_py_repr_str(ecp_pyout *o, const char *s, size_t len);

/* Values that stand for Python objects with no JSON form (JMESPath's
 * expression references): `text` returns the str() to print for such a
 * value, NULL for an ordinary one. */
typedef struct ecp_pyhook {
    const char *(*text)(const json_t *v, const void *ud);
    const void *ud;
} ecp_pyhook;

/* str(v) and repr(v) of the Python value json.loads would give for v
 * ({'a': [1, 2.0, True, None]}). Nesting deeper than max_depth fails.
 * hook may be NULL. */
int ecp_py_str(ecp_pyout *o, const json_t *v, int max_depth,
               const ecp_pyhook *hook);
int ecp_py_repr(ecp_pyout *o, const json_t *v, int max_depth,
                const ecp_pyhook *hook);

/* json.dumps(v, separators=(',', ':'), default=str) with the default
 * ensure_ascii: what jmespath's to_string() returns for a non-string. */
int ecp_py_json_compact(ecp_pyout *o, const json_t *v, int max_depth,
                        const ecp_pyhook *hook);

#endif
