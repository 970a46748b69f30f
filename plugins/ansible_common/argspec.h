/*
 * AnsibleModule's argument_spec validation in C: fallbacks, aliases,
 * no_log collection, unsupported/required checks, type coercion and
 * defaults, in the order ansible-core 2.14 applies them
 * (module_utils/common/arg_spec.py), with its messages word for word.
 */
#ifndef ERB_ARGSPEC_H
#define ERB_ARGSPEC_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "nolog.h"

typedef enum erb_argtype {
    ERB_STR,
    ERB_BOOL,
    ERB_INT,
    ERB_FLOAT,
    ERB_LIST, /* elements: str */
    ERB_PATH, /* str with ~ and $VARS expanded */
    ERB_DICT, /* check_type_dict: an object, JSON text or k=v pairs */
    ERB_RAW   /* any value, unconverted (type='raw') */
} erb_argtype;

#define ERB_MAX_ALIASES 4
#define ERB_MAX_FALLBACKS 4

typedef struct erb_argdef {
    const char *name;
    erb_argtype type;
    bool required;
    bool no_log;
    const char *default_json; /* JSON text of the default; NULL: None */
    const char *aliases[ERB_MAX_ALIASES + 1];        /* NULL-terminated */
    const char *fallback_env[ERB_MAX_FALLBACKS + 1]; /* env_fallback */
} erb_argdef;

/* AnsibleModule's mutually_exclusive and required_one_of, one group of
 * option names each (NULL-terminated; NULL: no such rule). */
typedef struct erb_argrules {
    const char *const *mutually_exclusive;
    const char *const *required_one_of;
} erb_argrules;

/* Looks up an environment variable; NULL when unset. */
typedef const char *(*erb_getenv_fn)(void *userdata, const char *name);

typedef struct erb_validation {
    json_t *params;   /* every option, aliases as given: module_args */
    json_t *warnings; /* array of strings (alias and option both set) */
    char *error;      /* first error, as fail_json's msg; NULL if valid */
} erb_validation;

/**
 * Validate `input` (a JSON object whose _ansible_* keys were already
 * removed) against `spec` and `rules` (may be NULL). no_log values found (given
 * or from fallbacks) are added to `secrets`. Returns -1 only on allocation
 * failure; a validation failure returns 0 with out->error set.
 */
int erb_argspec_validate(const erb_argdef *spec, size_t count,
                         const erb_argrules *rules, const json_t *input,
                         const char *module_name, erb_getenv_fn getenv_fn,
                         void *env_userdata, erb_secrets *secrets,
                         erb_validation *out);

void erb_validation_clear(erb_validation *v);

/* check_type_bool() on one value: 1 true, 0 false, -1 not a boolean with
 * Ansible's message in msg. */
int erb_check_bool(const json_t *value, char *msg, size_t size);

#endif
