/*
 * AnsibleModule argument validation (see argspec.h). The order of the
 * steps and the text of every message follow ansible-core 2.14's
 * ArgumentSpecValidator.validate() and the check_type_* functions.
 */
#include "argspec.h"

#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pyval.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_alias(const erb_argdef *spec, size_t count, const char *key)
{
    size_t i, j;

    for (i = 0; i < count; i++) {
        for (j = 0; spec[i].aliases[j]; j++) {
            if (strcmp(spec[i].aliases[j], key) == 0)
                return true;
        }
    }
    return false;
}

static bool is_legal(const erb_argdef *spec, size_t count, const char *key)
{
    size_t i;

    for (i = 0; i < count; i++) {
        if (strcmp(spec[i].name, key) == 0)
            return true;
    }
    return is_alias(spec, count, key);
}

/* True/False from Ansible's BOOLEANS sets. The order of the list in the
 * message is a Python set's, which differs from run to run; this is one
 * of them. */
int erb_check_bool(const json_t *value, char *msg, size_t size)
{
    static const char *const truthy[] = {"y", "yes", "on", "1", "true", "t"};
    static const char *const falsy[] = {"n", "no", "off", "0", "false", "f"};
    char lowered[16];
    const char *s, *end;
    size_t i, n;
    char *text;

    if (json_is_boolean(value))
        return json_is_true(value) ? 1 : 0;
    if (json_is_integer(value)) {
        if (json_integer_value(value) == 1)
            return 1;
        if (json_integer_value(value) == 0)
            return 0;
    } else if (json_is_real(value)) {
        if (json_real_value(value) == 1.0)
            return 1;
        if (json_real_value(value) == 0.0)
            return 0;
    } else if (json_is_string(value)) {
        s = json_string_value(value);
        while (*s && isspace((unsigned char)*s))
            s++;
        end = s + strlen(s);
        while (end > s && isspace((unsigned char)end[-1]))
            end--;
        n = (size_t)(end - s);
        if (n < sizeof(lowered)) {
            for (i = 0; i < n; i++)
                lowered[i] = (char)tolower((unsigned char)s[i]);
            lowered[n] = '\0';
            for (i = 0; i < sizeof(truthy) / sizeof(truthy[0]); i++) {
                if (strcmp(lowered, truthy[i]) == 0)
                    return 1;
                if (strcmp(lowered, falsy[i]) == 0)
                    return 0;
            }
        }
    } else {
        snprintf(msg, size, "%s cannot be converted to a bool",
                 erb_py_type(value));
        return -1;
    }
    text = erb_py_str(value);
    snprintf(msg, size,
             "The value '%s' is not a valid boolean.  Valid booleans "
             "include: 'y', 'yes', 'on', '1', 'true', 't', 1, 'n', 'no', "
             "'off', '0', 'false', 'f', 0",
             text ? text : "");
    free(text);
    return -1;
}

/* os.path.expanduser(os.path.expandvars(value)) */
static char *expand_path(const char *value, erb_getenv_fn getenv_fn,
                         void *env_userdata)
{
    erb_sbuf vars = {0}, out = {0};
    const char *p = value, *name, *val, *rest, *home = NULL;
    char namebuf[256];
    size_t n;
    bool braced;
    char *expanded, *result;

    while (*p) {
        if (*p != '$') {
            erb_sb_add(&vars, p++, 1);
            continue;
        }
        braced = p[1] == '{';
        name = p + (braced ? 2 : 1);
        n = 0;
        while (isalnum((unsigned char)name[n]) || name[n] == '_')
            n++;
        if (n == 0 || n >= sizeof(namebuf) || (braced && name[n] != '}')) {
            erb_sb_add(&vars, p++, 1);
            continue;
        }
        memcpy(namebuf, name, n);
        namebuf[n] = '\0';
        val = getenv_fn(env_userdata, namebuf);
        if (!val) {
            erb_sb_add(&vars, p++, 1);
            continue;
        }
        erb_sb_puts(&vars, val);
        p = name + n + (braced ? 1 : 0);
    }
    expanded = erb_sb_finish(&vars);
    if (!expanded)
        return NULL;
    if (expanded[0] != '~') {
        return expanded;
    }
    rest = strchr(expanded, '/');
    if (!rest)
        rest = expanded + strlen(expanded);
    n = (size_t)(rest - expanded - 1);
    if (n == 0) {
        home = getenv_fn(env_userdata, "HOME");
        if (!home) {
            struct passwd *pw = getpwuid(getuid());

            home = pw ? pw->pw_dir : NULL;
        }
    } else if (n < sizeof(namebuf)) {
        struct passwd *pw;

        memcpy(namebuf, expanded + 1, n);
        namebuf[n] = '\0';
        pw = getpwnam(namebuf);
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home)
        return expanded;
    n = strlen(home);
    /* Python strips a trailing slash from the home directory. */
    while (n > 1 && home[n - 1] == '/')
        n--;
    erb_sb_add(&out, home, n);
    erb_sb_puts(&out, rest);
    result = erb_sb_finish(&out);
    free(expanded);
    return result;
}

static const char *type_name(erb_argtype t)
{
    switch (t) {
    case ERB_STR:
        return "str";
    case ERB_BOOL:
        return "bool";
    case ERB_INT:
        return "int";
    case ERB_FLOAT:
        return "float";
    case ERB_LIST:
        return "list";
    case ERB_DICT:
        return "dict";
    case ERB_RAW:
        return "raw";
    case ERB_PATH:
    default:
        return "path";
    }
}

/* check_type_dict's "k1=v1, k2='v 2'" form: fields split on unquoted
 * commas and spaces, quotes and backslashes removed, each split at its
 * first '='. NULL with `why` set when a field has no '=' (Python raises a
 * ValueError there; AnsibleModule reports it the same way). */
static json_t *dict_from_pairs(const char *s, char *why, size_t size)
{
    json_t *out = json_object();
    erb_sbuf field = {0};
    char quote = 0;
    bool escape = false;
    const char *p, *end = s + strlen(s);
    size_t element = 0;

    if (!out)
        return NULL;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
                       end[-1] == '\r'))
        end--;
    for (p = s;; p++) {
        bool split = p == end;

        if (!split) {
            if (escape) {
                erb_sb_add(&field, p, 1);
                escape = false;
                continue;
            }
            if (*p == '\\') {
                escape = true;
                continue;
            }
            if (!quote && (*p == '\'' || *p == '"')) {
                quote = *p;
                continue;
            }
            if (quote && *p == quote) {
                quote = 0;
                continue;
            }
            if (quote || (*p != ',' && *p != ' ')) {
                erb_sb_add(&field, p, 1);
                continue;
            }
        }
        if (field.len) {
            char *text = erb_sb_finish(&field), *eq;

            memset(&field, 0, sizeof(field));
            if (!text)
                goto oom;
            eq = strchr(text, '=');
            if (!eq) {
                snprintf(why, size,
                         "dictionary update sequence element #%zu has length "
                         "1; 2 is required",
                         element);
                free(text);
                json_decref(out);
                return NULL;
            }
            *eq = '\0';
            if (json_object_set_new(out, text, json_string(eq + 1))) {
                free(text);
                goto oom;
            }
            free(text);
            element++;
        }
        if (split)
            break;
    }
    return out;
oom:
    free(field.data);
    json_decref(out);
    why[0] = '\0';
    return NULL;
}

static json_t *to_str(const json_t *value)
{
    char *text;
    json_t *out;

    if (json_is_string(value))
        return json_incref((json_t *)value);
    text = erb_py_str(value);
    if (!text)
        return NULL;
    out = json_string(text);
    free(text);
    return out;
}

/* One check_type_*: a new value, or NULL with `why` (empty `why` means
 * out of memory). */
static json_t *coerce(const erb_argdef *d, const json_t *value,
                      erb_getenv_fn getenv_fn, void *env_userdata, char *why,
                      size_t size)
{
    json_t *out = NULL, *item, *copy;
    const char *s, *comma;
    int64_t i64;
    double dbl;
    char *text;
    size_t i;
    int b;

    why[0] = '\0';
    switch (d->type) {
    case ERB_RAW:
        return json_incref((json_t *)value);
    case ERB_STR:
        return to_str(value);
    case ERB_PATH:
        item = to_str(value);
        if (!item)
            return NULL;
        text = expand_path(json_string_value(item), getenv_fn, env_userdata);
        json_decref(item);
        if (!text)
            return NULL;
        out = json_string(text);
        free(text);
        return out;
    case ERB_DICT:
        if (json_is_object(value))
            return json_incref((json_t *)value);
        if (!json_is_string(value)) {
            snprintf(why, size, "%s cannot be converted to a dict",
                     erb_py_type(value));
            return NULL;
        }
        s = json_string_value(value);
        if (s[0] == '{') {
            /* json.loads; Python's literal_eval fallback is not offered. */
            out = json_loads(s, JSON_DECODE_ANY, NULL);
            if (!out)
                snprintf(why, size, "unable to evaluate string as dictionary");
            return out;
        }
        if (strchr(s, '='))
            return dict_from_pairs(s, why, size);
        snprintf(why, size,
                 "dictionary requested, could not parse JSON or key=value");
        return NULL;
    case ERB_BOOL:
        b = erb_check_bool(value, why, size);
        if (b < 0)
            return NULL;
        return json_boolean(b);
    case ERB_INT:
        /* bool is an int in Python: check_type_int passes it through. */
        if (json_is_integer(value) || json_is_boolean(value))
            return json_incref((json_t *)value);
        if (json_is_string(value) &&
            erb_py_parse_int(json_string_value(value), &i64))
            return json_integer(i64);
        snprintf(why, size, "%s cannot be converted to an int",
                 erb_py_type(value));
        return NULL;
    case ERB_FLOAT:
        if (json_is_real(value))
            return json_incref((json_t *)value);
        if (json_is_integer(value))
            return json_real((double)json_integer_value(value));
        if (json_is_boolean(value))
            return json_real(json_is_true(value) ? 1.0 : 0.0);
        if (json_is_string(value) &&
            erb_py_parse_float(json_string_value(value), &dbl))
            return json_real(dbl);
        snprintf(why, size, "%s cannot be converted to a float",
                 erb_py_type(value));
        return NULL;
    case ERB_LIST:
        out = json_array();
        if (!out)
            return NULL;
        if (json_is_array(value)) {
            /* elements='str': each element through check_type_str. */
            json_array_foreach(value, i, item)
            {
                copy = to_str(item);
                if (!copy || json_array_append_new(out, copy) < 0)
                    goto oom;
            }
            return out;
        }
        if (json_is_string(value)) {
            s = json_string_value(value);
            for (;;) {
                comma = strchr(s, ',');
                copy = comma ? json_stringn(s, (size_t)(comma - s))
                             : json_string(s);
                if (!copy || json_array_append_new(out, copy) < 0)
                    goto oom;
                if (!comma)
                    break;
                s = comma + 1;
            }
            return out;
        }
        if (json_is_number(value) || json_is_boolean(value)) {
            copy = to_str(value);
            if (!copy || json_array_append_new(out, copy) < 0)
                goto oom;
            return out;
        }
        json_decref(out);
        snprintf(why, size, "%s cannot be converted to a list",
                 erb_py_type(value));
        return NULL;
    }
oom:
    json_decref(out);
    why[0] = '\0';
    return NULL;
}

static char *unsupported_message(const erb_argdef *spec, size_t count,
                                 const char *module_name, const char **bad,
                                 size_t nbad)
{
    const char **names = NULL, **aliases = NULL;
    size_t nnames = 0, naliases = 0, i, j;
    erb_sbuf b = {0};
    char *msg = NULL;

    names = calloc(count, sizeof(*names));
    aliases = calloc(count * ERB_MAX_ALIASES + 1, sizeof(*aliases));
    if (!names || !aliases)
        goto out;
    for (i = 0; i < count; i++) {
        names[nnames++] = spec[i].name;
        for (j = 0; spec[i].aliases[j]; j++)
            aliases[naliases++] = spec[i].aliases[j];
    }
    qsort(names, nnames, sizeof(*names), cmp_str);
    qsort(aliases, naliases, sizeof(*aliases), cmp_str);
    qsort(bad, nbad, sizeof(*bad), cmp_str);

    erb_sb_puts(&b, "Unsupported parameters for (");
    erb_sb_puts(&b, module_name);
    erb_sb_puts(&b, ") module: ");
    for (i = 0; i < nbad; i++) {
        if (i)
            erb_sb_puts(&b, ", ");
        erb_sb_puts(&b, bad[i]);
    }
    erb_sb_puts(&b, ". Supported parameters include: ");
    for (i = 0; i < nnames; i++) {
        if (i)
            erb_sb_puts(&b, ", ");
        erb_sb_puts(&b, names[i]);
    }
    if (naliases) {
        erb_sb_puts(&b, " (");
        for (i = 0; i < naliases; i++) {
            if (i)
                erb_sb_puts(&b, ", ");
            erb_sb_puts(&b, aliases[i]);
        }
        erb_sb_puts(&b, ")");
    }
    erb_sb_puts(&b, ".");
    msg = erb_sb_finish(&b);
out:
    free(names);
    free(aliases);
    return msg;
}

/* count_terms(): how many of the names are keys of params (None counts). */
static size_t count_terms(const char *const *names, const json_t *params)
{
    size_t n = 0;

    for (size_t i = 0; names && names[i]; i++)
        n += json_object_get(params, names[i]) != NULL;
    return n;
}

/* "a|b" (mutually exclusive) or "a, b" (required one of). */
static char *join_terms(const char *const *names, const char *sep)
{
    erb_sbuf b = {0};

    for (size_t i = 0; names[i]; i++) {
        erb_sb_puts(&b, i ? sep : "");
        erb_sb_puts(&b, names[i]);
    }
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    return b.data;
}

int erb_argspec_validate(const erb_argdef *spec, size_t count,
                         const erb_argrules *rules, const json_t *input,
                         const char *module_name, erb_getenv_fn getenv_fn,
                         void *env_userdata, erb_secrets *secrets,
                         erb_validation *out)
{
    json_t *params = NULL, *value, *coerced, *def;
    const char **bad = NULL;
    size_t nbad = 0, i, j;
    const char *key, *env;
    char why[512], msg[1024];
    char *missing_msg = NULL, *type_msg = NULL, *rule_msg = NULL;
    char *exclusive_msg = NULL, *terms;
    erb_sbuf missing = {0};
    int rc = -1;

    memset(out, 0, sizeof(*out));
    out->warnings = json_array();
    params = json_deep_copy(input);
    bad = calloc(json_object_size(input) + 1, sizeof(*bad));
    if (!out->warnings || !params || !bad)
        goto out;

    /* 1. set_fallbacks: only when the option itself (not an alias) is
     * absent; a no_log fallback value is a secret too. */
    for (i = 0; i < count; i++) {
        if (json_object_get(params, spec[i].name))
            continue;
        for (j = 0; spec[i].fallback_env[j]; j++) {
            env = getenv_fn(env_userdata, spec[i].fallback_env[j]);
            if (!env)
                continue;
            if (spec[i].no_log && erb_secrets_add(secrets, env) < 0)
                goto out;
            if (json_object_set_new(params, spec[i].name, json_string(env)))
                goto out;
            break;
        }
    }

    /* 2. _handle_aliases: an alias's value overrides the option's. */
    for (i = 0; i < count; i++) {
        for (j = 0; spec[i].aliases[j]; j++) {
            value = json_object_get(params, spec[i].aliases[j]);
            if (!value)
                continue;
            if (json_object_get(params, spec[i].name)) {
                snprintf(msg, sizeof(msg),
                         "Both option %s and its alias %s are set.",
                         spec[i].name, spec[i].aliases[j]);
                if (json_array_append_new(out->warnings, json_string(msg)))
                    goto out;
            }
            if (json_object_set(params, spec[i].name, value))
                goto out;
        }
    }

    /* 3. _list_no_log_values */
    for (i = 0; i < count; i++) {
        if (!spec[i].no_log)
            continue;
        value = json_object_get(params, spec[i].name);
        if (value && erb_secrets_add_json(secrets, value) < 0)
            goto out;
    }

    /* 4. _get_unsupported_parameters (reported after the other errors) */
    json_object_foreach(params, key, value)
    {
        if (!is_legal(spec, count, key))
            bad[nbad++] = key;
    }

    /* 4b. check_mutually_exclusive, after the aliases: its error comes
     * before every other. */
    if (rules && rules->mutually_exclusive &&
        count_terms(rules->mutually_exclusive, params) > 1) {
        terms = join_terms(rules->mutually_exclusive, "|");
        if (!terms)
            goto out;
        snprintf(msg, sizeof(msg), "parameters are mutually exclusive: %s",
                 terms);
        free(terms);
        exclusive_msg = strdup(msg);
        if (!exclusive_msg)
            goto out;
    }

    /* 5. check_required_arguments: present, even as null, is enough. */
    for (i = 0; i < count; i++) {
        if (spec[i].required && !json_object_get(params, spec[i].name)) {
            erb_sb_puts(&missing, missing.len ? ", " : "");
            erb_sb_puts(&missing, spec[i].name);
        }
    }
    if (missing.failed)
        goto out;
    if (missing.len) {
        /* Names are joined in sorted order; the spec lists at most a few. */
        snprintf(msg, sizeof(msg), "missing required arguments: %s",
                 missing.data);
        missing_msg = strdup(msg);
        if (!missing_msg)
            goto out;
    }

    /* 6. _validate_argument_types, in spec order; None is left alone. */
    for (i = 0; i < count; i++) {
        value = json_object_get(params, spec[i].name);
        if (!value || json_is_null(value))
            continue;
        coerced =
            coerce(&spec[i], value, getenv_fn, env_userdata, why, sizeof(why));
        if (!coerced) {
            if (!why[0])
                goto out;
            if (!type_msg) {
                snprintf(msg, sizeof(msg),
                         "argument '%s' is of type %s and we were unable to "
                         "convert to %s: %s",
                         spec[i].name, erb_py_type(value),
                         type_name(spec[i].type), why);
                type_msg = strdup(msg);
                if (!type_msg)
                    goto out;
            }
            continue;
        }
        if (json_object_set_new(params, spec[i].name, coerced))
            goto out;
    }

    /* 6b. check_required_one_of, after the types (no option of the group
     * has a default, so the defaults set so far do not count). */
    if (rules && rules->required_one_of &&
        count_terms(rules->required_one_of, params) == 0) {
        terms = join_terms(rules->required_one_of, ", ");
        if (!terms)
            goto out;
        snprintf(msg, sizeof(msg), "one of the following is required: %s",
                 terms);
        free(terms);
        rule_msg = strdup(msg);
        if (!rule_msg)
            goto out;
    }

    /* 7. _set_defaults: the default, or None. */
    for (i = 0; i < count; i++) {
        if (json_object_get(params, spec[i].name))
            continue;
        def = spec[i].default_json
                  ? json_loads(spec[i].default_json, JSON_DECODE_ANY, NULL)
                  : json_null();
        if (!def || json_object_set_new(params, spec[i].name, def))
            goto out;
    }

    if (exclusive_msg) {
        out->error = exclusive_msg;
        exclusive_msg = NULL;
    } else if (missing_msg) {
        out->error = missing_msg;
        missing_msg = NULL;
    } else if (type_msg) {
        out->error = type_msg;
        type_msg = NULL;
    } else if (rule_msg) {
        out->error = rule_msg;
        rule_msg = NULL;
    } else if (nbad) {
        out->error = unsupported_message(spec, count, module_name, bad, nbad);
        if (!out->error)
            goto out;
    }
    out->params = params;
    params = NULL;
    rc = 0;
out:
    free(missing.data);
    free(missing_msg);
    free(type_msg);
    free(rule_msg);
    free(exclusive_msg);
    free(bad);
    json_decref(params);
    if (rc < 0)
        erb_validation_clear(out);
    return rc;
}

void erb_validation_clear(erb_validation *v)
{
    if (!v)
        return;
    json_decref(v->params);
    json_decref(v->warnings);
    free(v->error);
    memset(v, 0, sizeof(*v));
}
