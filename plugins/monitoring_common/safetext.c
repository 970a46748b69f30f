/* Text fit for one line of Nagios plugin output (see monitoring.h): the
 * one filter every string from the API, a node or the user passes before
 * it is printed by the monitoring tools. Pure. */
#include "monitoring.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n;
    unsigned int cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    /* overlong forms, surrogates, beyond U+10FFFF */
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return 0;
    /* C1 controls (U+0080..U+009F) and the line and paragraph
     * separators end lines in some readers too */
    if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
        return 0;
    return n;
}

size_t mon_safe_text(char *dst, size_t size, const char *src, char repl,
                     bool *cut)
{
    const unsigned char *s = (const unsigned char *)(src ? src : "");
    size_t o = 0;

    if (cut)
        *cut = false;
    if (size == 0)
        return 0;
    while (*s) {
        size_t n = utf8_len(s);
        bool bad = n == 0 || (n == 1 && (*s < 0x20 || *s == 0x7f || *s == '|'));

        if (bad) {
            /* one replacement per bad sequence, or per byte when none */
            size_t skip = n ? n : 1;

            if (o + 1 >= size)
                break;
            dst[o++] = repl;
            s += skip;
            continue;
        }
        if (o + n >= size)
            break;
        memcpy(dst + o, s, n);
        o += n;
        s += n;
    }
    if (cut && *s)
        *cut = true;
    dst[o] = '\0';
    return o;
}
