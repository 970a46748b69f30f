/*
 * Python's view of JSON values, as AnsibleModule sees its parameters: the
 * text str()/repr() give, the type names in its messages, and the string
 * conversions int()/float() accept. Needed to reproduce its messages.
 */
#ifndef ERB_PYVAL_H
#define ERB_PYVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* A growable string for building messages and text; an allocation failure
 * is remembered and reported once, by erb_sb_finish. Zero-initialise. */
typedef struct erb_sbuf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
} erb_sbuf;

void erb_sb_add(erb_sbuf *b, const char *s, size_t n);
void erb_sb_puts(erb_sbuf *b, const char *s);
/* The text (caller frees; "" when nothing was added), or NULL when an
 * allocation failed (the buffer is freed then). */
char *erb_sb_finish(erb_sbuf *b);

/* "<class 'str'>", "<class 'int'>", ... for a JSON value. Static. */
const char *erb_py_type(const json_t *v);

/* str(value) as Python prints it (a string is itself, True, 1.5, None,
 * ['a', 1], {'k': 'v'}). Caller frees. NULL on allocation failure. */
char *erb_py_str(const json_t *v);

/* Python's repr() of a float ("1.0", "1e+16", "inf"). buf >= 32 bytes. */
void erb_py_float_repr(double d, char *buf, size_t size);

/* int(text) as Python does (whitespace, sign, underscores between digits).
 * Returns false when Python would raise ValueError or it overflows. */
bool erb_py_parse_int(const char *text, int64_t *out);

/* float(text) as Python does ("1e3", " 2 ", "inf", "nan", "1_0.5"). */
bool erb_py_parse_float(const char *text, double *out);

#endif
