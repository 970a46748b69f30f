/* SPDX-License-Identifier: Apache-2.0 */
/* Caller input checks made before any network call: cache cluster,
 * replication group and cache node identifiers, with messages that say
 * exactly what is wrong. */
#include "util.h"

#include <ctype.h>
#include <string.h>

#define CLUSTER_ID_MAX 50
#define GROUP_ID_MAX 40

/* ElastiCache's identifier rule, shared by cache cluster ids (1-50
 * characters) and replication group ids (1-40): letters, digits and
 * hyphens, a letter first, no "--", no hyphen last. `what` names the kind
 * in messages ("cache cluster"); `out` (may be NULL) gets the stored,
 * lowercase form. */
static int validate_id(const char *what, size_t max, const char *id, char *out,
                       size_t size, ec_error *err)
{
    size_t i, len;

    if (out && size)
        out[0] = '\0';
    if (!id || !id[0])
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Invalid %s id: it is empty (it must "
                             "be 1 to %zu letters, digits or hyphens)",
                             what, max);
    len = strlen(id);
    if (len > max)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Invalid %s id \"%.60s%s\": it is %zu "
                             "characters long, the limit is %zu",
                             what, id, len > 60 ? "..." : "", len, max);
    if (!isalpha((unsigned char)id[0]) || (unsigned char)id[0] > 127)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Invalid %s id \"%s\": it must start "
                             "with a letter",
                             what, id);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)id[i];

        if (c > 127 || !(isalnum(c) || c == '-'))
            return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                                 "Invalid %s id \"%s\": character "
                                 "%zu (0x%02x) is not a letter, digit or "
                                 "hyphen",
                                 what, id, i + 1, c);
        if (c == '-' && id[i + 1] == '-')
            return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                                 "Invalid %s id \"%s\": it must not "
                                 "contain two consecutive hyphens",
                                 what, id);
    }
    if (id[len - 1] == '-')
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Invalid %s id \"%s\": it must not end "
                             "with a hyphen",
                             what, id);
    if (!out)
        return 0;
    if (size <= len)
        return ecp_error_set(err, EC_ERR_INTERNAL, "%s id buffer too small",
                             what);
    /* ElastiCache stores identifiers in lowercase. */
    for (i = 0; i < len; i++)
        out[i] = (char)tolower((unsigned char)id[i]);
    out[len] = '\0';
    return 0;
}

int ec_validate_cache_cluster_id(const char *id, char *out, size_t size,
                                 ec_error *err)
{
    return validate_id("cache cluster", CLUSTER_ID_MAX, id, out, size, err);
}

int ec_validate_replication_group_id(const char *id, char *out, size_t size,
                                     ec_error *err)
{
    return validate_id("replication group", GROUP_ID_MAX, id, out, size, err);
}

int ec_validate_cache_node_id(const char *id, ec_error *err)
{
    size_t i, len;

    if (!id || !id[0])
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Invalid cache node id: it is empty (it must be "
                             "4 digits, like 0001)");
    len = strlen(id);
    for (i = 0; i < len; i++)
        if (id[i] < '0' || id[i] > '9')
            return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                                 "Invalid cache node id \"%.40s\": it must be "
                                 "4 digits, like 0001",
                                 id);
    if (len != 4)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Invalid cache node id \"%.40s\": it has %zu "
                             "digits, it must have exactly 4, like 0001",
                             id, len);
    return 0;
}
