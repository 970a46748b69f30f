/*
 * no_log as AnsibleModule does it: the values of no_log parameters are
 * collected, and every returned value equal to one becomes
 * VALUE_SPECIFIED_IN_NO_LOG_PARAMETER while occurrences inside longer
 * strings become ******** (module_utils.common.parameters.remove_values).
 */
#ifndef ERB_NOLOG_H
#define ERB_NOLOG_H

#include <stddef.h>

#include <jansson.h>

#define ERB_NO_LOG_PLACEHOLDER "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"

typedef struct erb_secrets {
    size_t count;
    char **items; /* owned, wiped when cleared */
} erb_secrets;

/* Remember a secret (empty strings are ignored, duplicates kept once).
 * Returns -1 on allocation failure. */
int erb_secrets_add(erb_secrets *s, const char *value);

/* Add str(value) of a JSON scalar, as _list_no_log_values does. */
int erb_secrets_add_json(erb_secrets *s, const json_t *value);

/* Wipe and free every secret. */
void erb_secrets_clear(erb_secrets *s);

/* A new value with every secret removed, as remove_values() returns it.
 * Object keys are kept as they are (Ansible does not mask keys). NULL on
 * allocation failure. */
json_t *erb_remove_values(const json_t *value, const erb_secrets *s);

/* Mask secrets inside a plain string: a whole match becomes the
 * placeholder, occurrences become ********. Caller frees. */
char *erb_mask_string(const char *text, const erb_secrets *s);

#endif
