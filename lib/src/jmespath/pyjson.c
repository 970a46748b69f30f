/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Python's json.loads (for JMESPath literals and quoted identifiers) and
 * int()/float() of a string (for to_number), rule for rule: they decide
 * which expressions compile and what to_number("...") gives.
 */
#include "jp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct jl {
    const char *s;
    size_t len;
    size_t i;
    int depth;
    bool lone; /* a lone surrogate escape was read */
    ecp_jp_error *err;
} jl;

enum { JL_OK = 0, JL_INVALID = 1, JL_FATAL = -1 };

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(jl *p)
{
    while (p->i < p->len && is_ws(p->s[p->i]))
        p->i++;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int hex4(const char *s, size_t len, size_t i, uint32_t *out)
{
    uint32_t v = 0;
    size_t k;

    if (i + 4 > len)
        return -1;
    for (k = i; k < i + 4; k++) {
        char c = s[k];

        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* CPython's scanstring_unicode (strict): s[*i] is just past the opening
 * quote. 0 and *i past the closing quote; 1 with *why for a ValueError;
 * -1 no memory. A lone surrogate escape (Python keeps one; UTF-8 cannot)
 * sets *lone and reads on, so that a later error still wins as in
 * Python. */
static int scan_string(const char *s, size_t len, size_t *i, ecp_pyout *out,
                       const char **why, bool *lone)
{
    size_t k = *i;

    for (;;) {
        size_t chunk = k;
        char c;

        while (k < len && s[k] != '"' && s[k] != '\\' &&
               (unsigned char)s[k] >= 0x20)
            k++;
        if (ecp_pyout_add(out, s + chunk, k - chunk) != 0)
            return -1;
        if (k >= len) {
            *why = "Unterminated string starting at";
            return 1;
        }
        c = s[k];
        if (c == '"') {
            *i = k + 1;
            return 0;
        }
        if (c != '\\') {
            *why = "Invalid control character at";
            return 1;
        }
        k++;
        if (k >= len) {
            *why = "Unterminated string starting at";
            return 1;
        }
        c = s[k];
        if (c == 'u') {
            uint32_t cp, lo;

            if (hex4(s, len, k + 1, &cp) != 0) {
                *why = "Invalid \\uXXXX escape";
                return 1;
            }
            k += 5;
            if (cp >= 0xD800 && cp <= 0xDBFF && k + 6 < len && s[k] == '\\' &&
                s[k + 1] == 'u') {
                if (hex4(s, len, k + 2, &lo) != 0) {
                    *why = "Invalid \\uXXXX escape";
                    return 1;
                }
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    k += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                *lone = true;
                cp = 0xFFFD;
            }
            if (ecp_pyout_addcp(out, cp) != 0)
                return -1;
            continue;
        }
        switch (c) {
        case '"':
        case '\\':
        case '/':
            break;
        case 'b':
            c = '\b';
            break;
        case 'f':
            c = '\f';
            break;
        case 'n':
            c = '\n';
            break;
        case 'r':
            c = '\r';
            break;
        case 't':
            c = '\t';
            break;
        default:
            *why = "Invalid \\escape";
            return 1;
        }
        if (ecp_pyout_addc(out, c) != 0)
            return -1;
        k++;
    }
}

static int unsupported(jl *p, const char *what)
{
    ecp_jp_fail(p->err, JK_SYNTAX,
                "JSON literal holds %s, which JSON output cannot carry", what);
    return JL_FATAL;
}

static int nomem(jl *p)
{
    ecp_jp_nomem(p->err);
    return JL_FATAL;
}

static int parse_value(jl *p, json_t **out);

static int parse_string(jl *p, json_t **out)
{
    ecp_pyout b = {0};
    const char *why = NULL;
    int rc;

    p->i++;
    rc = scan_string(p->s, p->len, &p->i, &b, &why, &p->lone);
    if (rc == 1) {
        ecp_pyout_free(&b);
        return JL_INVALID;
    }
    if (rc != 0) {
        ecp_pyout_free(&b);
        return nomem(p);
    }
    *out = json_stringn(b.data ? b.data : "", b.len);
    ecp_pyout_free(&b);
    return *out ? JL_OK : nomem(p);
}

/* CPython's _match_number_unicode, then int() or float() of the match. */
static int parse_number(jl *p, json_t **out)
{
    const char *s = p->s;
    size_t start = p->i, i = p->i, len = p->len;
    bool is_float = false;
    char buf[64], *num = buf, *end;

    if (i < len && s[i] == '-') {
        i++;
        if (i >= len)
            return JL_INVALID;
    }
    if (s[i] >= '1' && s[i] <= '9') {
        while (i < len && is_digit(s[i]))
            i++;
    } else if (s[i] == '0') {
        i++;
    } else {
        return JL_INVALID;
    }
    if (i + 1 < len && s[i] == '.' && is_digit(s[i + 1])) {
        is_float = true;
        i += 2;
        while (i < len && is_digit(s[i]))
            i++;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t e_start = i;

        i++;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            i++;
        while (i < len && is_digit(s[i]))
            i++;
        if (is_digit(s[i - 1]))
            is_float = true;
        else
            i = e_start;
    }
    p->i = i;
    if (i - start + 1 > sizeof(buf)) {
        num = malloc(i - start + 1);
        if (!num)
            return nomem(p);
    }
    memcpy(num, s + start, i - start);
    num[i - start] = '\0';
    errno = 0;
    if (!is_float) {
        long long v = strtoll(num, &end, 10);

        if (errno == 0) {
            *out = json_integer(v);
            goto done;
        }
        /* Python's int is unbounded; jansson's is 64 bits. The nearest
         * double is the closest we can hold. */
    }
    {
        double d = strtod(num, &end);

        if (d > 1.7976931348623157e308 || d < -1.7976931348623157e308) {
            if (num != buf)
                free(num);
            return unsupported(p, "a number too large for a double "
                                  "(Python reads it as inf)");
        }
        *out = json_real(d);
    }
done:
    if (num != buf)
        free(num);
    return *out ? JL_OK : nomem(p);
}

static bool match_word(jl *p, const char *w)
{
    size_t n = strlen(w);

    if (p->len - p->i >= n && memcmp(p->s + p->i, w, n) == 0) {
        p->i += n;
        return true;
    }
    return false;
}

static int parse_array(jl *p, json_t **out)
{
    json_t *a = json_array(), *v = NULL;
    int rc;

    if (!a)
        return nomem(p);
    p->i++;
    skip_ws(p);
    if (p->i < p->len && p->s[p->i] == ']') {
        p->i++;
        *out = a;
        return JL_OK;
    }
    for (;;) {
        rc = parse_value(p, &v);
        if (rc != JL_OK)
            goto fail;
        if (json_array_append_new(a, v) != 0) {
            rc = nomem(p);
            goto fail;
        }
        skip_ws(p);
        if (p->i < p->len && p->s[p->i] == ']') {
            p->i++;
            *out = a;
            return JL_OK;
        }
        if (p->i >= p->len || p->s[p->i] != ',') {
            rc = JL_INVALID;
            goto fail;
        }
        p->i++;
        skip_ws(p);
    }
fail:
    json_decref(a);
    return rc;
}

static int parse_object(jl *p, json_t **out)
{
    json_t *o = json_object(), *v = NULL;
    ecp_pyout key = {0};
    const char *why;
    int rc;

    if (!o)
        return nomem(p);
    p->i++;
    skip_ws(p);
    if (p->i < p->len && p->s[p->i] == '}') {
        p->i++;
        *out = o;
        return JL_OK;
    }
    for (;;) {
        if (p->i >= p->len || p->s[p->i] != '"') {
            rc = JL_INVALID;
            goto fail;
        }
        p->i++;
        key.len = 0;
        rc = scan_string(p->s, p->len, &p->i, &key, &why, &p->lone);
        if (rc == 1) {
            rc = JL_INVALID;
            goto fail;
        }
        if (rc != 0) {
            rc = nomem(p);
            goto fail;
        }
        skip_ws(p);
        if (p->i >= p->len || p->s[p->i] != ':') {
            rc = JL_INVALID;
            goto fail;
        }
        p->i++;
        skip_ws(p);
        rc = parse_value(p, &v);
        if (rc != JL_OK)
            goto fail;
        /* A repeated key keeps its first place and takes the last value,
         * as a Python dict does. */
        if (json_object_setn_new(o, key.data ? key.data : "", key.len, v) !=
            0) {
            rc = nomem(p);
            goto fail;
        }
        skip_ws(p);
        if (p->i < p->len && p->s[p->i] == '}') {
            p->i++;
            ecp_pyout_free(&key);
            *out = o;
            return JL_OK;
        }
        if (p->i >= p->len || p->s[p->i] != ',') {
            rc = JL_INVALID;
            goto fail;
        }
        p->i++;
        skip_ws(p);
    }
fail:
    ecp_pyout_free(&key);
    json_decref(o);
    return rc;
}

/* CPython's scan_once_unicode. */
static int parse_value(jl *p, json_t **out)
{
    int rc;

    if (p->i >= p->len)
        return JL_INVALID;
    switch (p->s[p->i]) {
    case '"':
        return parse_string(p, out);
    case '{':
    case '[':
        if (++p->depth > ECP_JP_MAX_LITERAL_DEPTH) {
            ecp_jp_fail(p->err, JK_LIMIT,
                        "JSON literal nests deeper than %d levels",
                        ECP_JP_MAX_LITERAL_DEPTH);
            return JL_FATAL;
        }
        rc = p->s[p->i] == '{' ? parse_object(p, out) : parse_array(p, out);
        p->depth--;
        return rc;
    case 'n':
        if (match_word(p, "null")) {
            *out = json_null();
            return JL_OK;
        }
        return JL_INVALID;
    case 't':
        if (match_word(p, "true")) {
            *out = json_true();
            return JL_OK;
        }
        return JL_INVALID;
    case 'f':
        if (match_word(p, "false")) {
            *out = json_false();
            return JL_OK;
        }
        return JL_INVALID;
    case 'N':
        if (match_word(p, "NaN"))
            return unsupported(p, "NaN");
        return JL_INVALID;
    case 'I':
        if (match_word(p, "Infinity"))
            return unsupported(p, "Infinity");
        return JL_INVALID;
    case '-':
        if (match_word(p, "-Infinity"))
            return unsupported(p, "-Infinity");
        return parse_number(p, out);
    default:
        return parse_number(p, out);
    }
}

int ecp_jp_json_loads(const char *s, size_t len, json_t **out,
                      ecp_jp_error *err)
{
    jl p = {s, len, 0, 0, false, err};
    json_t *v = NULL;
    int rc;

    *out = NULL;
    skip_ws(&p);
    rc = parse_value(&p, &v);
    if (rc != JL_OK)
        return rc;
    skip_ws(&p);
    if (p.i != len) {
        json_decref(v);
        return JL_INVALID; /* "Extra data" */
    }
    if (p.lone) {
        json_decref(v);
        return unsupported(&p, "a lone surrogate (\\uD800-\\uDFFF)");
    }
    *out = v;
    return JL_OK;
}

int ecp_jp_json_string(const char *s, size_t len, ecp_pyout *out,
                       const char **why)
{
    bool lone = false;
    size_t i = 1;
    int rc;

    *why = NULL;
    if (len < 2 || s[0] != '"') {
        *why = "Expecting value";
        return -1;
    }
    rc = scan_string(s, len, &i, out, why, &lone);
    if (rc == -1) {
        *why = NULL; /* out of memory */
        return -1;
    }
    if (rc == 1)
        return -1;
    if (i != len) {
        *why = "Extra data";
        return -1;
    }
    return lone ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* int(s), then float(s)                                               */
/* ------------------------------------------------------------------ */

static bool py_isspace_ascii(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
           c == '\r';
}

/* _PyUnicode_TransformDecimalAndSpaceToASCII: below 127 as is; other
 * spaces to ' ', other decimal digits to '0'..'9', anything else ends the
 * text with a '?' (which no parser accepts). */
static char *to_ascii(const char *s, size_t len, size_t *outlen)
{
    char *a = malloc(len + 1);
    size_t i = 0, n = 0;

    if (!a)
        return NULL;
    while (i < len) {
        uint32_t cp = ecp_utf8_next(s, len, &i);
        int d;

        if (cp < 127) {
            a[n++] = (char)cp;
        } else if (ecp_py_isspace(cp)) {
            a[n++] = ' ';
        } else if ((d = ecp_py_decimal(cp)) >= 0) {
            a[n++] = (char)('0' + d);
        } else {
            a[n++] = '?';
            break;
        }
    }
    a[n] = '\0';
    *outlen = n;
    return a;
}

/* PyLong_FromString(s, base 10): 1 with *out, 0 when it raises. */
static int py_int(const char *a, size_t n, json_t **out)
{
    size_t i = 0, j, k;
    bool neg = false, any = false;
    char prev = '\0';
    char *digits, *end;
    long long v;

    while (i < n && py_isspace_ascii(a[i]))
        i++;
    if (i < n && (a[i] == '+' || a[i] == '-'))
        neg = a[i++] == '-';
    if (i < n && a[i] == '_')
        return 0;
    j = i;
    while (j < n && (is_digit(a[j]) || a[j] == '_')) {
        if (a[j] == '_' && prev == '_')
            return 0;
        if (a[j] != '_')
            any = true;
        prev = a[j++];
    }
    if (!any || prev == '_')
        return 0;
    k = j;
    while (k < n && py_isspace_ascii(a[k]))
        k++;
    if (k != n)
        return 0;
    digits = malloc(j - i + 2);
    if (!digits)
        return -1;
    k = 0;
    if (neg)
        digits[k++] = '-';
    for (; i < j; i++)
        if (a[i] != '_')
            digits[k++] = a[i];
    digits[k] = '\0';
    errno = 0;
    v = strtoll(digits, &end, 10);
    if (errno == 0) {
        *out = json_integer(v);
    } else {
        /* Beyond 64 bits: the nearest double (Python keeps the int). */
        *out = json_real(strtod(digits, &end));
    }
    free(digits);
    return *out ? 1 : -1;
}

static bool ieq(const char *a, size_t n, const char *w)
{
    size_t i;

    if (strlen(w) != n)
        return false;
    for (i = 0; i < n; i++) {
        char c = a[i];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i])
            return false;
    }
    return true;
}

/* PyFloat_FromString: 1 with *out, 0 when it raises or gives inf/nan
 * (which jansson cannot hold: None is the closest answer). */
static int py_float(const char *a, size_t n, json_t **out)
{
    size_t b = 0, e = n, i, k, mant = 0;
    char prev = '\0', *clean, *end;
    double d;
    int rc = 0;

    while (b < e && py_isspace_ascii(a[b]))
        b++;
    while (e > b && py_isspace_ascii(a[e - 1]))
        e--;
    /* Underscores only between digits (_Py_string_to_number_with_
     * underscores), then removed. */
    clean = malloc(e - b + 1);
    if (!clean)
        return -1;
    k = 0;
    for (i = b; i < e; i++) {
        char c = a[i];

        if (c == '_') {
            if (!is_digit(prev))
                goto out;
        } else {
            if (prev == '_' && !is_digit(c))
                goto out;
            clean[k++] = c;
        }
        prev = c;
    }
    if (prev == '_')
        goto out;
    clean[k] = '\0';
    i = 0;
    if (i < k && (clean[i] == '+' || clean[i] == '-'))
        i++;
    if (ieq(clean + i, k - i, "inf") || ieq(clean + i, k - i, "infinity") ||
        ieq(clean + i, k - i, "nan"))
        goto out; /* Python: inf or nan; we cannot hold them */
    while (i < k && is_digit(clean[i])) {
        i++;
        mant++;
    }
    if (i < k && clean[i] == '.') {
        i++;
        while (i < k && is_digit(clean[i])) {
            i++;
            mant++;
        }
    }
    if (mant == 0)
        goto out;
    if (i < k && (clean[i] == 'e' || clean[i] == 'E')) {
        size_t exp_digits = 0;

        i++;
        if (i < k && (clean[i] == '+' || clean[i] == '-'))
            i++;
        while (i < k && is_digit(clean[i])) {
            i++;
            exp_digits++;
        }
        if (exp_digits == 0)
            goto out;
    }
    if (i != k)
        goto out;
    d = strtod(clean, &end);
    if (d > 1.7976931348623157e308 || d < -1.7976931348623157e308)
        goto out;
    *out = json_real(d);
    rc = *out ? 1 : -1;
out:
    free(clean);
    return rc;
}

int ecp_jp_py_number(const char *s, size_t len, json_t **out)
{
    size_t n;
    char *a = to_ascii(s, len, &n);
    int rc;

    *out = NULL;
    if (!a)
        return -1;
    rc = py_int(a, n, out);
    if (rc == 0)
        rc = py_float(a, n, out);
    free(a);
    return rc;
}
