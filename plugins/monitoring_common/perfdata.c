/* Perfdata items 'label'=value[UOM];[warn];[crit];[min];[max], all on the
 * first output line, built here and nowhere else. */
#include "monitoring.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int mon_format_number(double v, char *buf, size_t size)
{
    char tmp[64];
    int prec = 6;
    int n;

    if (!isfinite(v))
        v = 0;
    /* Fixed notation: the guidelines' grammar has no exponents. At least
     * six decimals (microseconds for seconds values), more for small
     * values so that about six significant digits survive. */
    if (fabs(v) > 0 && fabs(v) < 1) {
        int digits = 6 - (int)floor(log10(fabs(v)));

        prec = digits > 15 ? 15 : digits;
    }
    if (fabs(v) >= 1e20)
        v = v < 0 ? -1e20 : 1e20;
    n = snprintf(tmp, sizeof(tmp), "%.*f", prec, v);
    if (n < 0 || (size_t)n >= sizeof(tmp))
        return snprintf(buf, size, "%s", "0");
    if (strchr(tmp, '.')) {
        while (n > 0 && tmp[n - 1] == '0')
            tmp[--n] = '\0';
        if (n > 0 && tmp[n - 1] == '.')
            tmp[--n] = '\0';
    }
    if (strcmp(tmp, "-0") == 0)
        return snprintf(buf, size, "%s", "0");
    return snprintf(buf, size, "%s", tmp);
}

/* Write the label, quoted when needed. Returns the length or -1. */
static int format_label(const char *raw, char *buf, size_t size)
{
    char label[256];
    size_t o = 0;
    bool quote, cut;

    /* No control character, '|' or broken UTF-8 from the API in a label */
    mon_safe_text(label, sizeof(label), raw, '_', &cut);
    if (cut)
        return -1;
    quote = label[0] == '\0' || strpbrk(label, " '") != NULL;

    if (quote && o < size)
        buf[o++] = '\'';
    for (const char *c = label; *c; c++) {
        char ch = *c == '=' ? '_' : *c;

        if ((unsigned char)ch < 0x20)
            ch = '_';
        if (ch == '\'') {
            if (o + 1 >= size)
                return -1;
            buf[o++] = '\'';
        }
        if (o + 1 >= size)
            return -1;
        buf[o++] = ch;
    }
    if (quote) {
        if (o + 1 >= size)
            return -1;
        buf[o++] = '\'';
    }
    if (o >= size)
        return -1;
    buf[o] = '\0';
    return (int)o;
}

int mon_perfdata_add(mon_perfdata *p, const char *label, double value,
                     const char *uom, const mon_thresholds *t, mon_bound min,
                     mon_bound max)
{
    char lbl[256], val[64], warn[96] = "", crit[96] = "", mn[64] = "",
                            mx[64] = "";
    char item[640];
    int n;

    if (format_label(label ? label : "", lbl, sizeof(lbl)) < 0)
        goto toolong;
    /* NaN: a value that could not be determined. The guidelines write it
     * "U", which Icinga 2 refuses (and with it the whole check's perfdata):
     * the item is left out instead. */
    if (isnan(value))
        return 1;
    mon_format_number(value, val, sizeof(val));
    if (t) {
        mon_range_format(&t->warning, warn, sizeof(warn));
        mon_range_format(&t->critical, crit, sizeof(crit));
    }
    if (min.set)
        mon_format_number(min.value, mn, sizeof(mn));
    if (max.set)
        mon_format_number(max.value, mx, sizeof(mx));
    n = snprintf(item, sizeof(item), "%s=%s%s;%s;%s;%s;%s", lbl, val,
                 uom ? uom : "", warn, crit, mn, mx);
    if (n < 0 || (size_t)n >= sizeof(item))
        goto toolong;
    /* Trailing empty fields may be dropped (guidelines). */
    while (n > 0 && item[n - 1] == ';')
        item[--n] = '\0';
    if (p->len + (p->len ? 1 : 0) + (size_t)n >= sizeof(p->text))
        goto toolong;
    if (p->len)
        p->text[p->len++] = ' ';
    memcpy(p->text + p->len, item, (size_t)n + 1);
    p->len += (size_t)n;
    return 0;
toolong:
    p->truncated = true;
    p->dropped++;
    return -1;
}
