/* Caller input checks made before any network call: cache cluster and
 * cache node identifiers, with messages that say exactly what is wrong. */
#include "util.h"

#include <ctype.h>
#include <string.h>

#define CLUSTER_ID_MAX 50

int ec_validate_cache_cluster_id(const char *id, char *out, size_t size,
                                 ec_error *err)
{
    size_t i, len;

    if (out && size)
        out[0] = '\0';
    if (!id || !id[0])
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Invalid cache cluster id: it is empty (it must "
                             "be 1 to 50 letters, digits or hyphens)");
    len = strlen(id);
    if (len > CLUSTER_ID_MAX)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Invalid cache cluster id \"%.60s%s\": it is %zu "
                             "characters long, the limit is 50",
                             id, len > 60 ? "..." : "", len);
    if (!isalpha((unsigned char)id[0]) || (unsigned char)id[0] > 127)
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Invalid cache cluster id \"%s\": it must start "
                             "with a letter",
                             id);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)id[i];

        if (c > 127 || !(isalnum(c) || c == '-'))
            return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                                 "Invalid cache cluster id \"%s\": character "
                                 "%zu (0x%02x) is not a letter, digit or "
                                 "hyphen",
                                 id, i + 1, c);
        if (c == '-' && id[i + 1] == '-')
            return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                                 "Invalid cache cluster id \"%s\": it must not "
                                 "contain two consecutive hyphens",
                                 id);
    }
    if (id[len - 1] == '-')
        return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                             "Invalid cache cluster id \"%s\": it must not end "
                             "with a hyphen",
                             id);
    if (!out)
        return 0;
    if (size <= len)
        return ecp_error_set(err, EC_ERR_INTERNAL,
                             "cache cluster id buffer too small");
    /* ElastiCache stores identifiers in lowercase. */
    for (i = 0; i < len; i++)
        out[i] = (char)tolower((unsigned char)id[i]);
    out[len] = '\0';
    return 0;
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
