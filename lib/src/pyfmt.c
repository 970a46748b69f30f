/* SPDX-License-Identifier: Apache-2.0 */
/* Python's repr()/str()/json.dumps rules for JSON values (see pyfmt.h). */
#include "pyfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyunicode_tables.h"

/* ------------------------------------------------------------------ */
/* Output buffer                                                       */
/* ------------------------------------------------------------------ */

int ecp_pyout_add(ecp_pyout *o, const char *s, size_t n)
{
    size_t limit = o->limit ? o->limit : SIZE_MAX / 4;

    if (o->failed || o->over)
        return -1;
    if (n > limit || o->len > limit - n) {
        o->over = true;
        return -1;
    }
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 64;
        char *p;

        while (cap < o->len + n + 1)
            cap *= 2;
        p = realloc(o->data, cap);
        if (!p) {
            o->failed = true;
            return -1;
        }
        o->data = p;
        o->cap = cap;
    }
    if (n)
        memcpy(o->data + o->len, s, n);
    o->len += n;
    o->data[o->len] = '\0';
    return 0;
}

int ecp_pyout_adds(ecp_pyout *o, const char *s)
{
    return ecp_pyout_add(o, s, strlen(s));
}

int ecp_pyout_addc(ecp_pyout *o, char c)
{
    return ecp_pyout_add(o, &c, 1);
}

int ecp_pyout_addcp(ecp_pyout *o, uint32_t cp)
{
    char b[4];

    if (cp < 0x80) {
        b[0] = (char)cp;
        return ecp_pyout_add(o, b, 1);
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        return ecp_pyout_add(o, b, 2);
    }
    if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        return ecp_pyout_add(o, b, 3);
    }
    b[0] = (char)(0xF0 | (cp >> 18));
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char)(0x80 | (cp & 0x3F));
    return ecp_pyout_add(o, b, 4);
}

void ecp_pyout_free(ecp_pyout *o)
{
    free(o->data);
    o->data = NULL;
    o->len = o->cap = 0;
}

/* ------------------------------------------------------------------ */
/* UTF-8 and Unicode properties                                        */
/* ------------------------------------------------------------------ */

uint32_t ecp_utf8_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = *i;
    uint32_t c = u[k];
    int extra = 0;

    if (c >= 0xF0) {
        c &= 0x07;
        extra = 3;
    } else if (c >= 0xE0) {
        c &= 0x0F;
        extra = 2;
    } else if (c >= 0xC0) {
        c &= 0x1F;
        extra = 1;
    }
    k++;
    while (extra-- > 0 && k < len)
        c = (c << 6) | (u[k++] & 0x3F);
    *i = k;
    return c;
}

bool ecp_utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        unsigned char c = u[i];
        uint32_t cp;
        size_t n, k;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3;
        else
            return false;
        if (len - i <= n)
            return false;
        cp = c & (0x3F >> n);
        for (k = 1; k <= n; k++) {
            if ((u[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (u[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

size_t ecp_utf8_count(const char *s, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static bool in_ranges(const ecp_urange *r, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (cp < r[mid].lo)
            hi = mid;
        else if (cp > r[mid].hi)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

bool ecp_py_isprintable(uint32_t cp)
{
    return !in_ranges(ecp_nonprintable, COUNT(ecp_nonprintable), cp);
}

bool ecp_py_isspace(uint32_t cp)
{
    return in_ranges(ecp_space, COUNT(ecp_space), cp);
}

int ecp_py_decimal(uint32_t cp)
{
    size_t lo = 0, hi = COUNT(ecp_decimal);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (cp < ecp_decimal[mid].lo)
            hi = mid;
        else if (cp > ecp_decimal[mid].hi)
            lo = mid + 1;
        else
            return (int)((cp - ecp_decimal[mid].lo) % 10);
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* Numbers                                                             */
/* ------------------------------------------------------------------ */

/* The shortest digits that read back as v (Python's repr uses David Gay's
 * shortest round-trip), in fixed notation when the decimal exponent is in
 * [-4, 16), otherwise "1.5e+16" style. */
size_t ecp_py_float_repr(double v, char out[32])
{
    char digits[40];
    int prec, exp10, ndig, i, pos = 0;
    char *e, *p;
    bool neg;

    if (isnan(v))
        return (size_t)snprintf(out, 32, "nan");
    if (isinf(v))
        return (size_t)snprintf(out, 32, v > 0 ? "inf" : "-inf");
    for (prec = 1; prec <= 17; prec++) {
        snprintf(digits, sizeof(digits), "%.*e", prec - 1, v);
        if (strtod(digits, NULL) == v)
            break;
    }
    /* digits is "[-]d[.ddd]e[+-]XX": split mantissa digits and exponent. */
    neg = digits[0] == '-';
    e = strchr(digits, 'e');
    if (!e) {
        out[0] = '\0';
        return 0;
    }
    exp10 = (int)strtol(e + 1, NULL, 10);
    *e = '\0';
    p = digits + (neg ? 1 : 0);
    ndig = 0;
    for (i = 0; p[i]; i++)
        if (p[i] != '.')
            p[ndig++] = p[i];
    p[ndig] = '\0';
    while (ndig > 1 && p[ndig - 1] == '0')
        p[--ndig] = '\0';
    if (neg)
        out[pos++] = '-';
    if (exp10 >= -4 && exp10 < 16) {
        if (exp10 < 0) {
            out[pos++] = '0';
            out[pos++] = '.';
            for (i = 0; i < -exp10 - 1; i++)
                out[pos++] = '0';
            for (i = 0; i < ndig; i++)
                out[pos++] = p[i];
        } else {
            for (i = 0; i <= exp10; i++)
                out[pos++] = i < ndig ? p[i] : '0';
            out[pos++] = '.';
            if (ndig > exp10 + 1)
                for (i = exp10 + 1; i < ndig; i++)
                    out[pos++] = p[i];
            else
                out[pos++] = '0';
        }
        out[pos] = '\0';
    } else {
        out[pos++] = p[0];
        if (ndig > 1) {
            out[pos++] = '.';
            for (i = 1; i < ndig; i++)
                out[pos++] = p[i];
        }
        pos += snprintf(out + pos, (size_t)(32 - pos), "e%c%02d",
                        exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    }
    return (size_t)pos;
}

static int add_int(ecp_pyout *o, json_int_t v)
{
    char b[32];
    int n = snprintf(b, sizeof(b), "%" JSON_INTEGER_FORMAT, v);

    return ecp_pyout_add(o, b, (size_t)n);
}

static int add_real(ecp_pyout *o, double v)
{
    char b[32];
    size_t n = ecp_py_float_repr(v, b);

    return ecp_pyout_add(o, b, n);
}

/* ------------------------------------------------------------------ */
/* repr() and str()                                                    */
/* ------------------------------------------------------------------ */

static const char hexd[] = "0123456789abcdef";

static int add_hex_escape(ecp_pyout *o, char kind, uint32_t cp, int width)
{
    char b[10];
    int i;

    b[0] = '\\';
    b[1] = kind;
    for (i = 0; i < width; i++)
        b[2 + i] = hexd[(cp >> (4 * (width - 1 - i))) & 15];
    return ecp_pyout_add(o, b, (size_t)(2 + width));
}

/* CPython's unicode_repr: single quotes unless the text has a ' and no ". */
int ecp_py_repr_str(ecp_pyout *o, const char *s, size_t len)
{
    char quote = '\'';
    size_t i = 0;

    if (memchr(s, '\'', len) && !memchr(s, '"', len))
        quote = '"';
    if (ecp_pyout_addc(o, quote) != 0)
        return -1;
    while (i < len) {
        size_t start = i;
        uint32_t cp = ecp_utf8_next(s, len, &i);
        int rc;

        if (cp == (uint32_t)quote || cp == '\\') {
            char b[2] = {'\\', (char)cp};

            rc = ecp_pyout_add(o, b, 2);
        } else if (cp == '\t') {
            rc = ecp_pyout_add(o, "\\t", 2);
        } else if (cp == '\n') {
            rc = ecp_pyout_add(o, "\\n", 2);
        } else if (cp == '\r') {
            rc = ecp_pyout_add(o, "\\r", 2);
        } else if (cp < 0x20 || cp == 0x7F) {
            rc = add_hex_escape(o, 'x', cp, 2);
        } else if (cp < 0x7F || ecp_py_isprintable(cp)) {
            rc = ecp_pyout_add(o, s + start, i - start);
        } else if (cp <= 0xFF) {
            rc = add_hex_escape(o, 'x', cp, 2);
        } else if (cp <= 0xFFFF) {
            rc = add_hex_escape(o, 'u', cp, 4);
        } else {
            rc = add_hex_escape(o, 'U', cp, 8);
        }
        if (rc != 0)
            return -1;
    }
    return ecp_pyout_addc(o, quote);
}

static const char *hooked(const ecp_pyhook *hook, const json_t *v)
{
    return hook && hook->text ? hook->text(v, hook->ud) : NULL;
}

static int repr_value(ecp_pyout *o, const json_t *v, int depth, bool top_str,
                      const ecp_pyhook *hook)
{
    const char *key, *special;
    size_t i, n = 0;
    json_t *item;

    if (depth < 0) {
        o->over = true;
        return -1;
    }
    special = hooked(hook, v);
    if (special)
        return ecp_pyout_adds(o, special);
    switch (json_typeof(v)) {
    case JSON_STRING:
        if (top_str)
            return ecp_pyout_add(o, json_string_value(v),
                                 json_string_length(v));
        return ecp_py_repr_str(o, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        return add_int(o, json_integer_value(v));
    case JSON_REAL:
        return add_real(o, json_real_value(v));
    case JSON_TRUE:
        return ecp_pyout_add(o, "True", 4);
    case JSON_FALSE:
        return ecp_pyout_add(o, "False", 5);
    case JSON_NULL:
        return ecp_pyout_add(o, "None", 4);
    case JSON_ARRAY:
        if (ecp_pyout_addc(o, '[') != 0)
            return -1;
        json_array_foreach(v, i, item)
        {
            if ((i && ecp_pyout_add(o, ", ", 2) != 0) ||
                repr_value(o, item, depth - 1, false, hook) != 0)
                return -1;
        }
        return ecp_pyout_addc(o, ']');
    case JSON_OBJECT: {
        size_t klen;

        if (ecp_pyout_addc(o, '{') != 0)
            return -1;
        json_object_keylen_foreach((json_t *)v, key, klen, item)
        {
            if ((n++ && ecp_pyout_add(o, ", ", 2) != 0) ||
                ecp_py_repr_str(o, key, klen) != 0 ||
                ecp_pyout_add(o, ": ", 2) != 0 ||
                repr_value(o, item, depth - 1, false, hook) != 0)
                return -1;
        }
        return ecp_pyout_addc(o, '}');
    }
    }
    return -1;
}

int ecp_py_str(ecp_pyout *o, const json_t *v, int max_depth,
               const ecp_pyhook *hook)
{
    return repr_value(o, v, max_depth, true, hook);
}

int ecp_py_repr(ecp_pyout *o, const json_t *v, int max_depth,
                const ecp_pyhook *hook)
{
    return repr_value(o, v, max_depth, false, hook);
}

/* ------------------------------------------------------------------ */
/* json.dumps(separators=(',', ':')), ensure_ascii=True                */
/* ------------------------------------------------------------------ */

/* Python's ESCAPE_ASCII: '"', '\\', and everything outside ' '..'~' (DEL
 * included); code points above U+FFFF as a surrogate pair. */
static int json_ascii_string(ecp_pyout *o, const char *s, size_t len)
{
    size_t i = 0;

    if (ecp_pyout_addc(o, '"') != 0)
        return -1;
    while (i < len) {
        size_t start = i;
        uint32_t cp = ecp_utf8_next(s, len, &i);
        int rc;

        switch (cp) {
        case '"':
            rc = ecp_pyout_add(o, "\\\"", 2);
            break;
        case '\\':
            rc = ecp_pyout_add(o, "\\\\", 2);
            break;
        case '\n':
            rc = ecp_pyout_add(o, "\\n", 2);
            break;
        case '\r':
            rc = ecp_pyout_add(o, "\\r", 2);
            break;
        case '\t':
            rc = ecp_pyout_add(o, "\\t", 2);
            break;
        case '\b':
            rc = ecp_pyout_add(o, "\\b", 2);
            break;
        case '\f':
            rc = ecp_pyout_add(o, "\\f", 2);
            break;
        default:
            if (cp >= 0x20 && cp < 0x7F) {
                rc = ecp_pyout_add(o, s + start, i - start);
            } else if (cp > 0xFFFF) {
                uint32_t v = cp - 0x10000;

                rc = add_hex_escape(o, 'u', 0xD800 | (v >> 10), 4);
                if (rc == 0)
                    rc = add_hex_escape(o, 'u', 0xDC00 | (v & 0x3FF), 4);
            } else {
                rc = add_hex_escape(o, 'u', cp, 4);
            }
            break;
        }
        if (rc != 0)
            return -1;
    }
    return ecp_pyout_addc(o, '"');
}

static int json_compact(ecp_pyout *o, const json_t *v, int depth,
                        const ecp_pyhook *hook)
{
    const char *key, *special;
    size_t i, klen, n = 0;
    json_t *item;

    if (depth < 0) {
        o->over = true;
        return -1;
    }
    special = hooked(hook, v);
    if (special) /* default=str */
        return json_ascii_string(o, special, strlen(special));
    switch (json_typeof(v)) {
    case JSON_STRING:
        return json_ascii_string(o, json_string_value(v),
                                 json_string_length(v));
    case JSON_INTEGER:
        return add_int(o, json_integer_value(v));
    case JSON_REAL:
        return add_real(o, json_real_value(v));
    case JSON_TRUE:
        return ecp_pyout_add(o, "true", 4);
    case JSON_FALSE:
        return ecp_pyout_add(o, "false", 5);
    case JSON_NULL:
        return ecp_pyout_add(o, "null", 4);
    case JSON_ARRAY:
        if (ecp_pyout_addc(o, '[') != 0)
            return -1;
        json_array_foreach(v, i, item)
        {
            if ((i && ecp_pyout_addc(o, ',') != 0) ||
                json_compact(o, item, depth - 1, hook) != 0)
                return -1;
        }
        return ecp_pyout_addc(o, ']');
    case JSON_OBJECT:
        if (ecp_pyout_addc(o, '{') != 0)
            return -1;
        json_object_keylen_foreach((json_t *)v, key, klen, item)
        {
            if ((n++ && ecp_pyout_addc(o, ',') != 0) ||
                json_ascii_string(o, key, klen) != 0 ||
                ecp_pyout_addc(o, ':') != 0 ||
                json_compact(o, item, depth - 1, hook) != 0)
                return -1;
        }
        return ecp_pyout_addc(o, '}');
    }
    return -1;
}

int ecp_py_json_compact(ecp_pyout *o, const json_t *v, int max_depth,
                        const ecp_pyhook *hook)
{
    return json_compact(o, v, max_depth, hook);
}
