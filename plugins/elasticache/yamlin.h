/*
 * --cli-input-yaml: YAML read as the AWS CLI reads it, with ruamel.yaml's
 * safe loader (YAML 1.2 implicit types, merge keys, duplicate keys
 * refused), into JSON values, on libyaml's parser.
 */
#ifndef EC_CLI_YAMLIN_H
#define EC_CLI_YAMLIN_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* Python values the YAML gives that JSON has no type for, each held as a
 * JSON string and described here: a datetime.datetime or datetime.date
 * (YAML timestamps), bytes (!!binary), a float that is inf or nan. */
typedef struct cli_yaml_special {
    const json_t *value; /* the stand-in (the table holds a reference) */
    const char *type;    /* Python's type name: "datetime.datetime" */
    char *str;           /* str(value) */
    char *iso;           /* datetimes: ISO 8601 in UTC, else NULL */
} cli_yaml_special;

typedef struct cli_yaml_stamps {
    cli_yaml_special *items;
    size_t count;
    size_t cap;
} cli_yaml_stamps;

/* Load one YAML document (an empty stream is JSON null). `binary`: the
 * text came from fileb:// (a BOM chooses the encoding, as ruamel's reader
 * does; only UTF-8 and its BOM are read here, anything else is refused).
 * Returns a new reference, or NULL with a message in err ("out of memory"
 * when that is why). */
json_t *cli_yaml_load(const char *text, size_t len, bool binary,
                      cli_yaml_stamps *stamps, char *err, size_t errlen);

/* The special value v stands for, or NULL when v is an ordinary one. */
const cli_yaml_special *cli_yaml_special_of(const cli_yaml_stamps *s,
                                            const json_t *v);

void cli_yaml_stamps_free(cli_yaml_stamps *s);

#endif
