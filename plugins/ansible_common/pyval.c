/*
 * Python's view of JSON values (see pyval.h): AnsibleModule's messages and
 * conversions are defined by what Python's str(), int() and float() do.
 */
#include "pyval.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void erb_sb_add(erb_sbuf *b, const char *s, size_t n)
{
    char *p;
    size_t cap;

    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        p = realloc(b->data, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void erb_sb_puts(erb_sbuf *b, const char *s)
{
    erb_sb_add(b, s, strlen(s));
}

char *erb_sb_finish(erb_sbuf *b)
{
    if (b->failed) {
        free(b->data);
        return NULL;
    }
    if (!b->data)
        return strdup("");
    return b->data;
}

const char *erb_py_type(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return "<class 'str'>";
    case JSON_INTEGER:
        return "<class 'int'>";
    case JSON_REAL:
        return "<class 'float'>";
    case JSON_TRUE:
    case JSON_FALSE:
        return "<class 'bool'>";
    case JSON_ARRAY:
        return "<class 'list'>";
    case JSON_OBJECT:
        return "<class 'dict'>";
    case JSON_NULL:
    default:
        return "<class 'NoneType'>";
    }
}

void erb_py_float_repr(double d, char *buf, size_t size)
{
    char digits[40];
    char mant[32];
    int prec, exp10, n;
    size_t i, j;
    char *e;

    if (isnan(d)) {
        snprintf(buf, size, "nan");
        return;
    }
    if (isinf(d)) {
        snprintf(buf, size, d < 0 ? "-inf" : "inf");
        return;
    }
    /* The shortest digits that read back as the same double, as Python's
     * repr (David Gay's algorithm) chooses. */
    for (prec = 1; prec <= 17; prec++) {
        snprintf(digits, sizeof(digits), "%.*e", prec - 1, d);
        if (strtod(digits, NULL) == d)
            break;
    }
    e = strchr(digits, 'e');
    if (!e) {
        snprintf(buf, size, "%s", digits);
        return;
    }
    exp10 = (int)strtol(e + 1, NULL, 10);
    /* Mantissa digits without sign, point and exponent. */
    j = 0;
    for (i = 0; digits + i < e && j + 1 < sizeof(mant); i++) {
        if (isdigit((unsigned char)digits[i]))
            mant[j++] = digits[i];
    }
    mant[j] = '\0';
    while (j > 1 && mant[j - 1] == '0')
        mant[--j] = '\0';
    n = (int)j;
    if (exp10 < -4 || exp10 >= 16) {
        /* 1e+16, 1.5e-05 */
        snprintf(buf, size, "%s%c%s%s%se%c%02d", d < 0 ? "-" : "", mant[0],
                 n > 1 ? "." : "", n > 1 ? mant + 1 : "", "",
                 exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
        return;
    }
    {
        char out[64];
        size_t o = 0;
        int k;

        if (d < 0)
            out[o++] = '-';
        if (exp10 < 0) {
            out[o++] = '0';
            out[o++] = '.';
            for (k = 0; k < -exp10 - 1; k++)
                out[o++] = '0';
            for (k = 0; k < n; k++)
                out[o++] = mant[k];
        } else {
            for (k = 0; k <= exp10; k++)
                out[o++] = k < n ? mant[k] : '0';
            out[o++] = '.';
            if (n > exp10 + 1) {
                for (k = exp10 + 1; k < n; k++)
                    out[o++] = mant[k];
            } else {
                out[o++] = '0';
            }
        }
        out[o] = '\0';
        snprintf(buf, size, "%s", out);
    }
}

static void repr_string(erb_sbuf *b, const char *s, size_t len)
{
    char quote = '\'';
    char tmp[8];
    size_t i;

    if (memchr(s, '\'', len) && !memchr(s, '"', len))
        quote = '"';
    erb_sb_add(b, &quote, 1);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '\\' || c == (unsigned char)quote) {
            tmp[0] = '\\';
            tmp[1] = (char)c;
            erb_sb_add(b, tmp, 2);
        } else if (c == '\n') {
            erb_sb_puts(b, "\\n");
        } else if (c == '\r') {
            erb_sb_puts(b, "\\r");
        } else if (c == '\t') {
            erb_sb_puts(b, "\\t");
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(tmp, sizeof(tmp), "\\x%02x", c);
            erb_sb_puts(b, tmp);
        } else {
            erb_sb_add(b, (const char *)&c, 1);
        }
    }
    erb_sb_add(b, &quote, 1);
}

static void py_text(erb_sbuf *b, const json_t *v, bool repr)
{
    char num[64];
    size_t i;
    const char *key;
    json_t *item;
    bool first = true;

    switch (json_typeof(v)) {
    case JSON_STRING:
        if (repr)
            repr_string(b, json_string_value(v), json_string_length(v));
        else
            erb_sb_add(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
                 json_integer_value(v));
        erb_sb_puts(b, num);
        break;
    case JSON_REAL:
        erb_py_float_repr(json_real_value(v), num, sizeof(num));
        erb_sb_puts(b, num);
        break;
    case JSON_TRUE:
        erb_sb_puts(b, "True");
        break;
    case JSON_FALSE:
        erb_sb_puts(b, "False");
        break;
    case JSON_NULL:
        erb_sb_puts(b, "None");
        break;
    case JSON_ARRAY:
        erb_sb_puts(b, "[");
        json_array_foreach(v, i, item)
        {
            if (i > 0)
                erb_sb_puts(b, ", ");
            py_text(b, item, true);
        }
        erb_sb_puts(b, "]");
        break;
    case JSON_OBJECT:
        erb_sb_puts(b, "{");
        json_object_foreach((json_t *)v, key, item)
        {
            if (!first)
                erb_sb_puts(b, ", ");
            first = false;
            repr_string(b, key, strlen(key));
            erb_sb_puts(b, ": ");
            py_text(b, item, true);
        }
        erb_sb_puts(b, "}");
        break;
    }
}

char *erb_py_str(const json_t *v)
{
    erb_sbuf b = {0};

    py_text(&b, v, false);
    return erb_sb_finish(&b);
}

static const char *skip_space(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    return s;
}

/* Copy `text` without surrounding whitespace and without the underscores
 * Python allows between two digits. False if an underscore is misplaced. */
static bool strip_number(const char *text, char *out, size_t size)
{
    const char *s = skip_space(text);
    const char *end = s + strlen(s);
    size_t o = 0;

    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    for (; s < end; s++) {
        if (*s == '_') {
            if (o == 0 || !isdigit((unsigned char)out[o - 1]) || s + 1 >= end ||
                !isdigit((unsigned char)s[1]))
                return false;
            continue;
        }
        if (o + 1 >= size)
            return false;
        out[o++] = *s;
    }
    out[o] = '\0';
    return o > 0;
}

bool erb_py_parse_int(const char *text, int64_t *out)
{
    char buf[128];
    const char *p;
    char *end;
    long long v;

    if (!strip_number(text, buf, sizeof(buf)))
        return false;
    p = buf;
    if (*p == '+' || *p == '-')
        p++;
    if (!*p)
        return false;
    for (; *p; p++) {
        if (!isdigit((unsigned char)*p))
            return false;
    }
    errno = 0;
    v = strtoll(buf, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

bool erb_py_parse_float(const char *text, double *out)
{
    char buf[128];
    const char *p;
    char *end;
    bool digits = false;

    if (!strip_number(text, buf, sizeof(buf)))
        return false;
    p = buf;
    if (*p == '+' || *p == '-')
        p++;
    if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0 ||
        strcasecmp(p, "nan") == 0) {
        *out = strtod(buf, NULL);
        return true;
    }
    /* Python's grammar: digits [. digits] | . digits, then [e [sign]
     * digits]. strtod alone would also take hex floats. */
    while (isdigit((unsigned char)*p)) {
        p++;
        digits = true;
    }
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) {
            p++;
            digits = true;
        }
    }
    if (!digits)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p)
        return false;
    *out = strtod(buf, &end);
    return *end == '\0';
}
