/*
 * --cli-input-yaml: one YAML document into JSON values, as the AWS CLI's
 * YAML(typ='safe', pure=True).load makes Python values of it (ruamel.yaml
 * 0.17: YAML 1.2 implicit types, merge keys, duplicate keys refused, the
 * safe constructors' tags). libyaml parses; this file composes and
 * resolves as ruamel's resolver and SafeConstructor do.
 *
 * Where a Python value has no JSON type (datetime, date, bytes, inf/nan),
 * the JSON value is a stand-in string described in cli_yaml_stamps, so
 * the caller can name its Python type and str() in messages.
 */
#include "yamlin.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "pyfmt.h"

/* Python stops near 1000 frames; so do we, well before the C stack. */
#define MAX_DEPTH 500

typedef struct anchor {
    char *name;
    json_t *value;
} anchor;

typedef struct loader {
    yaml_parser_t parser;
    cli_yaml_stamps *stamps;
    anchor *anchors;
    size_t nanchors;
    char *err;
    size_t errlen;
    bool failed;
} loader;

static json_t *fail(loader *l, const char *msg)
{
    if (!l->failed)
        snprintf(l->err, l->errlen, "%s", msg);
    l->failed = true;
    return NULL;
}

static json_t *nomem(loader *l)
{
    return fail(l, "out of memory");
}

/* ---- special values ---------------------------------------------- */

static json_t *special(loader *l, const char *type, const char *str,
                       const char *iso)
{
    cli_yaml_stamps *s = l->stamps;
    json_t *v = json_string("");

    if (!v)
        return nomem(l);
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        cli_yaml_special *bigger = realloc(s->items, cap * sizeof(*bigger));

        if (!bigger) {
            json_decref(v);
            return nomem(l);
        }
        s->items = bigger;
        s->cap = cap;
    }
    cli_yaml_special *sp = &s->items[s->count];
    /* The table holds its own reference: a stand-in freed while the table
     * lives could give its address to an ordinary value. */
    sp->value = json_incref(v);
    sp->type = type;
    sp->str = strdup(str);
    sp->iso = iso ? strdup(iso) : NULL;
    if (!sp->str || (iso && !sp->iso)) {
        free(sp->str);
        free(sp->iso);
        json_decref(v);
        json_decref(v);
        return nomem(l);
    }
    s->count++;
    return v;
}

const cli_yaml_special *cli_yaml_special_of(const cli_yaml_stamps *s,
                                            const json_t *v)
{
    for (size_t i = 0; s && i < s->count; i++)
        if (s->items[i].value == v)
            return &s->items[i];
    return NULL;
}

void cli_yaml_stamps_free(cli_yaml_stamps *s)
{
    for (size_t i = 0; i < s->count; i++) {
        free(s->items[i].str);
        free(s->items[i].iso);
        json_decref((json_t *)s->items[i].value);
    }
    free(s->items);
    memset(s, 0, sizeof(*s));
}

/* ---- scalars: ruamel's YAML 1.2 implicit resolvers ---------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool all_of(const char *s, const char *set)
{
    return s[strspn(s, set)] == '\0';
}

/* [0-9_]* from *p */
static void skip_digits_us(const char **p)
{
    while (is_digit(**p) || **p == '_')
        (*p)++;
}

/* (?:[eE][-+]?[0-9]+) from *p, sign required when `sign_needed`. */
static bool exponent(const char **p, bool sign_needed)
{
    const char *q = *p;

    if (*q != 'e' && *q != 'E')
        return false;
    q++;
    if (*q == '-' || *q == '+')
        q++;
    else if (sign_needed)
        return false;
    if (!is_digit(*q))
        return false;
    while (is_digit(*q))
        q++;
    *p = q;
    return true;
}

static bool is_float(const char *s)
{
    const char *p = s;

    if (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 ||
        strcmp(s, ".NAN") == 0)
        return true;
    if (*p == '-' || *p == '+')
        p++;
    if (strcmp(p, ".inf") == 0 || strcmp(p, ".Inf") == 0 ||
        strcmp(p, ".INF") == 0)
        return true;
    if (is_digit(*p)) {
        p++;
        skip_digits_us(&p);
        if (*p == '.') {
            p++;
            skip_digits_us(&p);
            exponent(&p, false);
            return *p == '\0';
        }
        return exponent(&p, false) && *p == '\0';
    }
    if (*p == '.' && (is_digit(p[1]) || p[1] == '_')) {
        p++;
        skip_digits_us(&p);
        exponent(&p, true);
        return *p == '\0';
    }
    return false;
}

static bool is_int(const char *s)
{
    const char *p = s;

    if (*p == '-' || *p == '+')
        p++;
    if (p[0] == '0' && p[1] == 'b' && p[2] && all_of(p + 2, "01_"))
        return true;
    if (p[0] == '0' && p[1] == 'x' && p[2] &&
        all_of(p + 2, "0123456789abcdefABCDEF_"))
        return true;
    if (p[0] == '0' && p[1] == 'o' && p[2] && all_of(p + 2, "01234567_"))
        return true;
    return *p && all_of(p, "0123456789_");
}

static bool is_null(const char *s)
{
    return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
           strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

static bool is_bool(const char *s, bool *value)
{
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
        *value = true;
        return true;
    }
    if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
        *value = false;
        return true;
    }
    return false;
}

/* n digits at p */
static bool digits(const char *p, int n)
{
    for (int i = 0; i < n; i++)
        if (!is_digit(p[i]))
            return false;
    return true;
}

/* The resolver's timestamp pattern (stricter than the constructor's). */
static bool is_timestamp(const char *s)
{
    const char *p = s;

    if (strlen(s) == 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) &&
        s[7] == '-' && digits(s + 8, 2))
        return true;
    if (!digits(p, 4) || p[4] != '-')
        return false;
    p += 5;
    if (!is_digit(*p++))
        return false;
    if (is_digit(*p))
        p++;
    if (*p++ != '-' || !is_digit(*p++))
        return false;
    if (is_digit(*p))
        p++;
    if (*p == 'T' || *p == 't') {
        p++;
    } else if (*p == ' ' || *p == '\t') {
        while (*p == ' ' || *p == '\t')
            p++;
    } else {
        return false;
    }
    if (!is_digit(*p++))
        return false;
    if (is_digit(*p))
        p++;
    if (*p != ':' || !digits(p + 1, 2) || p[3] != ':' || !digits(p + 4, 2))
        return false;
    p += 6;
    if (*p == '.') {
        p++;
        while (is_digit(*p))
            p++;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == 'Z') {
        p++;
    } else if (*p == '-' || *p == '+') {
        p++;
        if (!is_digit(*p++))
            return false;
        if (is_digit(*p))
            p++;
        if (*p == ':') {
            if (!digits(p + 1, 2))
                return false;
            p += 3;
        }
    }
    return *p == '\0';
}

/* ---- constructors --------------------------------------------------- */

static void strip_underscores(const char *in, char *out, size_t size)
{
    size_t n = 0;

    for (; *in && n + 1 < size; in++)
        if (*in != '_')
            out[n++] = *in;
    out[n] = '\0';
}

/* construct_yaml_int */
static json_t *make_int(loader *l, const char *text)
{
    char buf[128], *p = buf, *end = NULL;
    int base = 10, sign = 1;
    unsigned long long mag;

    if (strlen(text) >= sizeof(buf))
        return fail(l, "integer too long");
    strip_underscores(text, buf, sizeof(buf));
    if (*p == '-')
        sign = -1;
    if (*p == '-' || *p == '+')
        p++;
    if (p[0] == '0' && (p[1] == 'b' || p[1] == 'x' || p[1] == 'o')) {
        base = p[1] == 'b' ? 2 : p[1] == 'x' ? 16 : 8;
        p += 2;
    }
    if (!*p || *p == '-' || *p == '+' || *p == ' ')
        return fail(l, "invalid literal for int()");
    errno = 0;
    mag = strtoull(p, &end, base);
    if (errno || *end || mag > (unsigned long long)INT64_MAX + (sign < 0))
        return fail(l, "integer out of range");
    if (sign < 0)
        return json_integer(mag == (unsigned long long)INT64_MAX + 1
                                ? INT64_MIN
                                : -(json_int_t)mag);
    return json_integer((json_int_t)mag);
}

/* construct_yaml_float */
static json_t *make_float(loader *l, const char *text)
{
    char buf[256], *p = buf, *end = NULL;
    double d;
    bool neg = false;

    if (strlen(text) >= sizeof(buf))
        return fail(l, "float too long");
    strip_underscores(text, buf, sizeof(buf));
    for (char *c = buf; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    if (*p == '-')
        neg = true;
    if (*p == '-' || *p == '+')
        p++;
    if (strcmp(p, ".inf") == 0)
        return special(l, "float", neg ? "-inf" : "inf", NULL);
    if (strcmp(p, ".nan") == 0)
        return special(l, "float", "nan", NULL);
    errno = 0;
    d = strtod(buf, &end);
    if (*end || end == buf)
        return fail(l, "could not convert string to float");
    if (isinf(d))
        return special(l, "float", d < 0 ? "-inf" : "inf", NULL);
    return json_real(d);
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* Days since 1970-01-01 (proleptic Gregorian). */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long yy = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static int num(const char **p, int max_digits)
{
    int v = 0, n = 0;

    while (n < max_digits && is_digit(**p)) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return v;
}

/* construct_yaml_timestamp: a date, or a naive datetime moved to UTC. */
static json_t *make_timestamp(loader *l, const char *text)
{
    const char *p = text;
    int y, mo, d, h, mi, s;
    long frac = 0;
    long long secs;
    char str[64], iso[64];

    if (!digits(p, 4) || p[4] != '-')
        return fail(l, "failed to construct timestamp");
    y = num(&p, 4);
    p++;
    if (!is_digit(*p))
        return fail(l, "failed to construct timestamp");
    mo = num(&p, 2);
    if (*p++ != '-' || !is_digit(*p))
        return fail(l, "failed to construct timestamp");
    d = num(&p, 2);
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || y < 1)
        return fail(l, "day is out of range for month");
    if (*p == '\0') {
        snprintf(str, sizeof(str), "%04d-%02d-%02d", y, mo, d);
        return special(l, "datetime.date", str, NULL);
    }
    if (*p == 'T' || *p == 't')
        p++;
    else
        while (*p == ' ' || *p == '\t')
            p++;
    h = num(&p, 2);
    if (*p++ != ':')
        return fail(l, "failed to construct timestamp");
    mi = num(&p, 2);
    if (*p++ != ':')
        return fail(l, "failed to construct timestamp");
    s = num(&p, 2);
    if (h > 23 || mi > 59 || s > 59)
        return fail(l, "time is out of range");
    if (*p == '.') {
        const char *f = ++p;
        int n = 0;

        while (is_digit(*p)) {
            if (n < 6)
                frac = frac * 10 + (*p - '0');
            n++;
            p++;
        }
        for (; n < 6; n++)
            frac *= 10;
        /* ruamel rounds on the seventh digit */
        if (p - f > 6 && f[6] > '4')
            frac++;
    }
    secs = days_from_civil(y, mo, d) * 86400LL + h * 3600 + mi * 60 + s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '-' || *p == '+') {
        int sign = *p == '-' ? -1 : 1, th, tm = 0;

        p++;
        th = num(&p, 2);
        if (*p == ':') {
            p++;
            tm = num(&p, 2);
        }
        secs -= sign * (th * 3600LL + tm * 60LL);
        if (frac > 999999)
            secs -= 1;
    } else if (frac > 999999) {
        secs += 1;
    }
    if (frac > 999999)
        frac = 0;
    {
        long long days = secs / 86400, rem = secs % 86400;

        if (rem < 0) {
            rem += 86400;
            days--;
        }
        civil_from_days(days, &y, &mo, &d);
        h = (int)(rem / 3600);
        mi = (int)(rem % 3600 / 60);
        s = (int)(rem % 60);
    }
    if (y < 1 || y > 9999)
        return fail(l, "year is out of range");
    if (frac)
        snprintf(str, sizeof(str), "%04d-%02d-%02d %02d:%02d:%02d.%06ld", y, mo,
                 d, h, mi, s, frac);
    else
        snprintf(str, sizeof(str), "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h,
                 mi, s);
    snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h,
             mi, s);
    return special(l, "datetime.datetime", str, iso);
}

/* construct_yaml_binary: the scalar as ASCII through base64.decodebytes,
 * which is CPython's a2b_base64 in its lenient mode: characters outside
 * the alphabet are skipped, a complete pad ends the data, a dangling
 * group is an error. */
static json_t *make_binary(loader *l, const char *text)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(text);
    unsigned char *bytes = malloc(n / 4 * 3 + 3);
    unsigned int left = 0;
    int quad = 0, pads = 0;
    size_t got = 0;
    ecp_pyout repr = {0};
    json_t *v = NULL;

    if (!bytes)
        return nomem(l);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        const char *at;
        unsigned int six;

        if (c >= 0x80) {
            v = fail(l, "failed to convert base64 data into ascii");
            goto out;
        }
        if (c == '=') {
            if (quad >= 2 && quad + ++pads >= 4)
                break;
            continue;
        }
        at = c ? strchr(alphabet, c) : NULL;
        if (!at)
            continue;
        six = (unsigned int)(at - alphabet);
        pads = 0;
        switch (quad) {
        case 0:
            left = six;
            quad = 1;
            break;
        case 1:
            bytes[got++] = (unsigned char)((left << 2) | (six >> 4));
            left = six & 0x0f;
            quad = 2;
            break;
        case 2:
            bytes[got++] = (unsigned char)((left << 4) | (six >> 2));
            left = six & 0x03;
            quad = 3;
            break;
        default:
            bytes[got++] = (unsigned char)((left << 6) | six);
            left = 0;
            quad = 0;
            break;
        }
    }
    if (quad != 0 && !(quad >= 2 && quad + pads >= 4)) {
        v = fail(l, "failed to decode base64 data");
        goto out;
    }
    ecp_pyout_adds(&repr, "b'");
    for (size_t i = 0; i < got; i++) {
        char hex[8];
        unsigned char c = bytes[i];

        if (c == '\'' || c == '\\') {
            ecp_pyout_addc(&repr, '\\');
            ecp_pyout_addc(&repr, (char)c);
        } else if (c == '\n') {
            ecp_pyout_adds(&repr, "\\n");
        } else if (c == '\r') {
            ecp_pyout_adds(&repr, "\\r");
        } else if (c == '\t') {
            ecp_pyout_adds(&repr, "\\t");
        } else if (c < 0x20 || c >= 0x7f) {
            snprintf(hex, sizeof(hex), "\\x%02x", c);
            ecp_pyout_adds(&repr, hex);
        } else {
            ecp_pyout_addc(&repr, (char)c);
        }
    }
    ecp_pyout_addc(&repr, '\'');
    v = repr.failed ? nomem(l) : special(l, "bytes", repr.data, NULL);
out:
    ecp_pyout_free(&repr);
    free(bytes);
    return v;
}

#define TAG(x) "tag:yaml.org,2002:" x

static json_t *make_scalar(loader *l, const yaml_event_t *ev)
{
    const char *text = (const char *)ev->data.scalar.value;
    const char *tag = (const char *)ev->data.scalar.tag;
    bool b;

    if (strlen(text) != ev->data.scalar.length)
        return fail(l, "NUL character in a scalar");
    if (!tag || strcmp(tag, "!") == 0) {
        /* Only plain scalars are resolved (ruamel resolves them under the
         * non-specific "!" too); quoted ones are str. */
        if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
            return json_string(text);
        if (is_bool(text, &b))
            return json_boolean(b);
        if (strchr("-+0123456789.", text[0]) && text[0] && is_float(text))
            return make_float(l, text);
        if (strchr("-+0123456789", text[0]) && text[0] && is_int(text))
            return make_int(l, text);
        if (strcmp(text, "<<") == 0)
            return fail(l, "a merge key where no mapping is");
        if (is_null(text))
            return json_null();
        if (is_digit(text[0]) && is_timestamp(text))
            return make_timestamp(l, text);
        if (strcmp(text, "=") == 0)
            return fail(l, "could not determine a constructor for the tag "
                           "'tag:yaml.org,2002:value'");
        return json_string(text);
    }
    if (strcmp(tag, TAG("str")) == 0)
        return json_string(text);
    if (strcmp(tag, TAG("int")) == 0)
        return make_int(l, text);
    if (strcmp(tag, TAG("float")) == 0)
        return make_float(l, text);
    if (strcmp(tag, TAG("null")) == 0)
        return json_null();
    if (strcmp(tag, TAG("bool")) == 0) {
        static const char *const yes[] = {"yes", "y", "true", "on"};
        static const char *const no[] = {"no", "n", "false", "off"};
        char lower[8];
        size_t n = strlen(text);

        if (n >= sizeof(lower))
            return fail(l, "not a bool");
        for (size_t i = 0; i <= n; i++)
            lower[i] =
                (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] - 'A' + 'a'
                                                        : text[i]);
        for (size_t i = 0; i < 4; i++) {
            if (strcmp(lower, yes[i]) == 0)
                return json_true();
            if (strcmp(lower, no[i]) == 0)
                return json_false();
        }
        return fail(l, "not a bool");
    }
    if (strcmp(tag, TAG("timestamp")) == 0)
        return make_timestamp(l, text);
    if (strcmp(tag, TAG("binary")) == 0)
        return make_binary(l, text);
    return fail(l, "could not determine a constructor for the tag");
}

/* ---- composing -------------------------------------------------------- */

static bool next(loader *l, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&l->parser, ev)) {
        fail(l, l->parser.problem ? l->parser.problem : "YAML error");
        return false;
    }
    return true;
}

/* Reserve the anchor's slot when its node starts, as ruamel's composer
 * registers it: an anchor reused inside its own node is the inner one
 * from then on. The value is filled in when the node is done (an alias
 * to an unfinished node, a recursive structure, is refused). Returns the
 * slot, SIZE_MAX when there is no anchor, or fails. */
static int reserve(loader *l, const yaml_char_t *name, size_t *slot)
{
    anchor *bigger;

    *slot = SIZE_MAX;
    if (!name)
        return 0;
    bigger = realloc(l->anchors, (l->nanchors + 1) * sizeof(*bigger));
    if (!bigger)
        return -1;
    l->anchors = bigger;
    l->anchors[l->nanchors].name = strdup((const char *)name);
    l->anchors[l->nanchors].value = NULL;
    if (!l->anchors[l->nanchors].name)
        return -1;
    *slot = l->nanchors++;
    return 0;
}

static json_t *node(loader *l, yaml_event_t *ev, int depth);

/* A mapping key as a JSON object key: str() of the Python key. */
static char *key_text(loader *l, json_t *k)
{
    const cli_yaml_special *sp = cli_yaml_special_of(l->stamps, k);
    ecp_pyout o = {0};

    if (sp)
        return strdup(sp->str);
    if (json_is_string(k))
        return strdup(json_string_value(k));
    if (json_is_array(k)) {
        /* ruamel makes a list key a tuple: str() is "(a, b)" of the
         * items' repr(); an item that is a collection stays unhashable. */
        size_t i, n = json_array_size(k);
        json_t *item;

        ecp_pyout_addc(&o, '(');
        json_array_foreach(k, i, item)
        {
            if (json_is_object(item) || json_is_array(item) ||
                cli_yaml_special_of(l->stamps, item)) {
                ecp_pyout_free(&o);
                return NULL;
            }
            if (i)
                ecp_pyout_adds(&o, ", ");
            ecp_py_repr(&o, item, 10, NULL);
        }
        ecp_pyout_adds(&o, n == 1 ? ",)" : ")");
        if (o.failed) {
            ecp_pyout_free(&o);
            return NULL;
        }
        return o.data;
    }
    if (json_is_object(k))
        return NULL;
    ecp_py_str(&o, k, 10, NULL);
    if (o.failed) {
        ecp_pyout_free(&o);
        return NULL;
    }
    return o.data;
}

/* What makes two keys the same dict key in Python: 1, 1.0 and True are
 * one key, "1" another. NULL when out of memory. */
static char *key_identity(loader *l, json_t *k)
{
    const cli_yaml_special *sp = cli_yaml_special_of(l->stamps, k);
    char buf[64];
    ecp_pyout o = {0};

    if (sp) {
        ecp_pyout_adds(&o, sp->type);
        ecp_pyout_addc(&o, ':');
        ecp_pyout_adds(&o, sp->str);
    } else if (json_is_array(k)) {
        char *text = key_text(l, k);

        ecp_pyout_adds(&o, "t:");
        ecp_pyout_adds(&o, text ? text : "");
        free(text);
    } else if (json_is_string(k)) {
        ecp_pyout_adds(&o, "s:");
        ecp_pyout_add(&o, json_string_value(k), json_string_length(k));
    } else if (json_is_boolean(k)) {
        ecp_pyout_adds(&o, json_is_true(k) ? "n:1" : "n:0");
    } else if (json_is_integer(k)) {
        snprintf(buf, sizeof(buf), "n:%lld", (long long)json_integer_value(k));
        ecp_pyout_adds(&o, buf);
    } else if (json_is_real(k)) {
        double d = json_real_value(k);

        if (d == (double)(long long)d && d > -9e18 && d < 9e18)
            snprintf(buf, sizeof(buf), "n:%lld", (long long)d);
        else
            snprintf(buf, sizeof(buf), "f:%.17g", d);
        ecp_pyout_adds(&o, buf);
    } else {
        ecp_pyout_adds(&o, "none");
    }
    if (o.failed) {
        ecp_pyout_free(&o);
        return NULL;
    }
    return o.data;
}

/* Set every key of `from` (a mapping) in `merged`, overriding values
 * but not positions, as dict.update does. */
static int merge_into(json_t *merged, json_t *from)
{
    const char *k;
    json_t *v;

    json_object_foreach(from, k, v)
    {
        if (json_object_set(merged, k, v))
            return -1;
    }
    return 0;
}

static json_t *mapping(loader *l, const yaml_event_t *start, int depth)
{
    json_t *own = json_object(), *merged = NULL, *result = NULL;
    json_t *seen = json_object(); /* key_identity -> true */
    bool has_merge = false, duplicate = false;
    yaml_event_t ev;

    (void)start;
    if (!own || !seen) {
        json_decref(own);
        json_decref(seen);
        return nomem(l);
    }
    for (;;) {
        json_t *k, *v;
        char *text, *identity;
        bool is_merge;

        if (!next(l, &ev))
            goto out;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        is_merge = ev.type == YAML_SCALAR_EVENT && !ev.data.scalar.tag &&
                   ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                   strcmp((const char *)ev.data.scalar.value, "<<") == 0;
        if (is_merge) {
            yaml_event_delete(&ev);
            /* flatten_mapping refuses a second "<<" only once the first
             * brought keys. */
            if (merged && json_object_size(merged) > 0) {
                fail(l, "found duplicate key \"<<\"");
                goto out;
            }
            has_merge = true;
            if (!next(l, &ev))
                goto out;
            v = node(l, &ev, depth + 1);
            if (!v)
                goto out;
            if (!merged)
                merged = json_object();
            if (!merged) {
                json_decref(v);
                nomem(l);
                goto out;
            }
            if (json_is_object(v)) {
                if (merge_into(merged, v)) {
                    json_decref(v);
                    nomem(l);
                    goto out;
                }
            } else if (json_is_array(v)) {
                /* flatten_mapping takes the list backwards: the last
                 * mapping's keys come first, the first mapping's values
                 * win. */
                for (size_t i = json_array_size(v); i-- > 0;) {
                    json_t *m = json_array_get(v, i);

                    if (!json_is_object(m)) {
                        json_decref(v);
                        fail(l, "expected a mapping for merging");
                        goto out;
                    }
                    if (merge_into(merged, m)) {
                        json_decref(v);
                        nomem(l);
                        goto out;
                    }
                }
            } else {
                json_decref(v);
                fail(l, "expected a mapping or list of mappings for "
                        "merging");
                goto out;
            }
            json_decref(v);
            continue;
        }
        k = node(l, &ev, depth + 1);
        if (!k)
            goto out;
        text = key_text(l, k);
        identity = text ? key_identity(l, k) : NULL;
        json_decref(k);
        if (!text) {
            fail(l, "found unhashable key");
            goto out;
        }
        if (!identity) {
            free(text);
            nomem(l);
            goto out;
        }
        /* A duplicate key is an error, unless the mapping merges
         * (construct_mapping checks none then); the last value wins. */
        if (json_object_get(seen, identity))
            duplicate = true;
        if (json_object_set_new(seen, identity, json_true())) {
            free(identity);
            free(text);
            nomem(l);
            goto out;
        }
        free(identity);
        if (!next(l, &ev)) {
            free(text);
            goto out;
        }
        v = node(l, &ev, depth + 1);
        if (!v) {
            free(text);
            goto out;
        }
        if (json_object_set_new(own, text, v)) {
            free(text);
            nomem(l);
            goto out;
        }
        free(text);
    }
    if (duplicate && !has_merge) {
        fail(l, "found duplicate key");
        goto out;
    }
    if (!has_merge) {
        result = own;
        own = NULL;
        goto out;
    }
    /* The merged keys first, then the mapping's own, which win. */
    {
        const char *k;
        json_t *v;

        json_object_foreach(own, k, v)
        {
            if (json_object_set(merged, k, v)) {
                nomem(l);
                goto out;
            }
        }
        result = merged;
        merged = NULL;
    }
out:
    json_decref(own);
    json_decref(merged);
    json_decref(seen);
    return result;
}

static json_t *sequence(loader *l, int depth)
{
    json_t *list = json_array();
    yaml_event_t ev;

    if (!list)
        return nomem(l);
    for (;;) {
        json_t *v;

        if (!next(l, &ev))
            break;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return list;
        }
        v = node(l, &ev, depth + 1);
        if (!v)
            break;
        if (json_array_append_new(list, v)) {
            nomem(l);
            break;
        }
    }
    json_decref(list);
    return NULL;
}

static bool collection_tag_ok(const yaml_char_t *tag, const char *want)
{
    return !tag || strcmp((const char *)tag, "!") == 0 ||
           strcmp((const char *)tag, want) == 0;
}

static const yaml_char_t *anchor_of(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        return ev->data.scalar.anchor;
    case YAML_SEQUENCE_START_EVENT:
        return ev->data.sequence_start.anchor;
    case YAML_MAPPING_START_EVENT:
        return ev->data.mapping_start.anchor;
    default:
        return NULL;
    }
}

/* One node from its first event (consumed here). */
static json_t *node(loader *l, yaml_event_t *ev, int depth)
{
    json_t *v = NULL;
    size_t slot = SIZE_MAX;

    if (depth > MAX_DEPTH) {
        yaml_event_delete(ev);
        return fail(l, "nested too deeply");
    }
    if (ev->type == YAML_ALIAS_EVENT) {
        for (size_t i = l->nanchors; i-- > 0;)
            if (strcmp(l->anchors[i].name,
                       (const char *)ev->data.alias.anchor) == 0) {
                v = l->anchors[i].value ? json_incref(l->anchors[i].value)
                                        : fail(l, "a recursive alias");
                break;
            }
        if (!v && !l->failed)
            fail(l, "found undefined alias");
        yaml_event_delete(ev);
        return v;
    }
    if (reserve(l, anchor_of(ev), &slot) != 0) {
        yaml_event_delete(ev);
        return nomem(l);
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        v = make_scalar(l, ev);
        if (!v && !l->failed)
            nomem(l);
        break;
    case YAML_SEQUENCE_START_EVENT:
        if (!collection_tag_ok(ev->data.sequence_start.tag, TAG("seq"))) {
            fail(l, "could not determine a constructor for the tag");
            break;
        }
        v = sequence(l, depth);
        break;
    case YAML_MAPPING_START_EVENT:
        if (!collection_tag_ok(ev->data.mapping_start.tag, TAG("map"))) {
            fail(l, "could not determine a constructor for the tag");
            break;
        }
        v = mapping(l, ev, depth);
        break;
    default:
        fail(l, "unexpected event");
        break;
    }
    if (v && slot != SIZE_MAX)
        l->anchors[slot].value = json_incref(v);
    yaml_event_delete(ev);
    return v;
}

json_t *cli_yaml_load(const char *text, size_t len, bool binary,
                      cli_yaml_stamps *stamps, char *err, size_t errlen)
{
    loader l;
    yaml_event_t ev;
    json_t *root = NULL;
    bool in_document = false;

    (void)binary; /* libyaml reads the BOM and the UTF-16 forms itself */
    memset(&l, 0, sizeof(l));
    l.stamps = stamps;
    l.err = err;
    l.errlen = errlen;
    if (errlen)
        err[0] = '\0';
    if (!yaml_parser_initialize(&l.parser)) {
        nomem(&l);
        return NULL;
    }
    yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
    for (;;) {
        if (!next(&l, &ev))
            goto fail;
        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
            yaml_event_delete(&ev);
            continue;
        case YAML_DOCUMENT_START_EVENT:
            /* ruamel reads a %YAML 1.1 document with 1.1's types (yes,
             * 017, 1:30); we know only 1.2's, so we refuse rather than
             * read it differently. */
            if (ev.data.document_start.version_directive &&
                ev.data.document_start.version_directive->minor != 2) {
                yaml_event_delete(&ev);
                fail(&l, "only YAML 1.2 documents are read");
                goto fail;
            }
            yaml_event_delete(&ev);
            if (in_document || root) {
                /* ruamel's get_single_node: "expected a single
                 * document in the stream". */
                fail(&l, "expected a single document in the stream");
                goto fail;
            }
            in_document = true;
            continue;
        case YAML_DOCUMENT_END_EVENT:
            yaml_event_delete(&ev);
            in_document = false;
            continue;
        case YAML_STREAM_END_EVENT:
            yaml_event_delete(&ev);
            break;
        default:
            if (!in_document || root) {
                yaml_event_delete(&ev);
                fail(&l, "unexpected node");
                goto fail;
            }
            root = node(&l, &ev, 0);
            if (!root)
                goto fail;
            continue;
        }
        break;
    }
    if (!root)
        root = json_null();
    goto out;
fail:
    json_decref(root);
    root = NULL;
out:
    for (size_t i = 0; i < l.nanchors; i++) {
        free(l.anchors[i].name);
        json_decref(l.anchors[i].value);
    }
    free(l.anchors);
    yaml_parser_delete(&l.parser);
    return root;
}
