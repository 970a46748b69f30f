/* SPDX-License-Identifier: Apache-2.0 */
/* Plugin states: names, parsing, and the one rule for combining them. */
#include "monitoring.h"

#include <stdlib.h>
#include <strings.h>

const char *mon_state_name(mon_state s)
{
    switch (s) {
    case MON_OK:
        return "OK";
    case MON_WARNING:
        return "WARNING";
    case MON_CRITICAL:
        return "CRITICAL";
    case MON_UNKNOWN:
        break;
    }
    return "UNKNOWN";
}

int mon_state_parse(const char *text, mon_state *out)
{
    static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

    if (!text || !text[0])
        return -1;
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(text, names[i]) == 0 ||
            (text[0] == '0' + i && text[1] == '\0')) {
            *out = (mon_state)i;
            return 0;
        }
    }
    return -1;
}

/* Rank in the precedence written down in monitoring.h. */
static int rank(mon_state s)
{
    switch (s) {
    case MON_OK:
        return 0;
    case MON_UNKNOWN:
        return 1;
    case MON_WARNING:
        return 2;
    case MON_CRITICAL:
        return 3;
    }
    return 1;
}

mon_state mon_state_worst(mon_state a, mon_state b)
{
    return rank(a) >= rank(b) ? a : b;
}
