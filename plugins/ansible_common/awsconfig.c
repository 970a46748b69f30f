/* SPDX-License-Identifier: Apache-2.0 */
/* aws_config: botocore Config settings to ec_config values (awsconfig.h). */
#include "awsconfig.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SUPPORTED "connect_timeout, read_timeout, retries, user_agent_extra"
#define SUPPORTED_RETRIES "max_attempts, total_max_attempts, mode"
/* botocore caps nothing, but libelasticache takes 1 to 100 attempts. */
#define MAX_TOTAL_ATTEMPTS 100

/* A JSON number that is not a bool (Python's bool is an int). */
static bool number(const json_t *v, double *out)
{
    if (json_is_integer(v))
        *out = (double)json_integer_value(v);
    else if (json_is_real(v))
        *out = json_real_value(v);
    else
        return false;
    return true;
}

static int timeout(const json_t *v, const char *name, double *out, char *msg,
                   size_t size)
{
    if (!number(v, out) || !(*out > 0) || *out > 86400) {
        snprintf(msg, size,
                 "aws_config: %s must be a number of seconds greater than 0 "
                 "(at most 86400)",
                 name);
        return -1;
    }
    return 0;
}

static int attempts(const json_t *v, const char *name, long min, long *out,
                    char *msg, size_t size)
{
    if (!json_is_integer(v) || json_integer_value(v) < min ||
        json_integer_value(v) > MAX_TOTAL_ATTEMPTS) {
        snprintf(msg, size,
                 "aws_config: retries.%s must be an integer from %ld to %d",
                 name, min, MAX_TOTAL_ATTEMPTS);
        return -1;
    }
    *out = (long)json_integer_value(v);
    return 0;
}

static int retries(const json_t *v, erb_aws_config *out, char *msg, size_t size)
{
    const char *key;
    json_t *item;
    long retry_count = -1, total = -1;

    if (!json_is_object(v)) {
        snprintf(msg, size,
                 "aws_config: retries must be a dictionary with "
                 "" SUPPORTED_RETRIES);
        return -1;
    }
    json_object_foreach((json_t *)v, key, item)
    {
        if (strcmp(key, "max_attempts") == 0) {
            /* botocore: retries after the first attempt, 0 for none. */
            if (attempts(item, key, 0, &retry_count, msg, size) < 0)
                return -1;
        } else if (strcmp(key, "total_max_attempts") == 0) {
            if (attempts(item, key, 1, &total, msg, size) < 0)
                return -1;
        } else if (strcmp(key, "mode") == 0) {
            const char *m = json_string_value(item);

            if (!m || (strcmp(m, "legacy") != 0 && strcmp(m, "standard") != 0 &&
                       strcmp(m, "adaptive") != 0)) {
                snprintf(msg, size,
                         "aws_config: retries.mode must be one of legacy, "
                         "standard, adaptive");
                return -1;
            }
            snprintf(out->retry_mode, sizeof(out->retry_mode), "%s", m);
        } else {
            snprintf(msg, size,
                     "aws_config: unsupported option retries.%s. Supported "
                     "retries options: " SUPPORTED_RETRIES,
                     key);
            return -1;
        }
    }
    /* As botocore: total_max_attempts wins over max_attempts. */
    if (total > 0)
        out->max_attempts = (int)total;
    else if (retry_count >= 0) {
        if (retry_count + 1 > MAX_TOTAL_ATTEMPTS) {
            snprintf(msg, size,
                     "aws_config: retries.max_attempts must be an integer "
                     "from 0 to %d",
                     MAX_TOTAL_ATTEMPTS - 1);
            return -1;
        }
        out->max_attempts = (int)retry_count + 1;
    }
    return 0;
}

int erb_aws_config_parse(const json_t *value, erb_aws_config *out, char *msg,
                         size_t size)
{
    const char *key;
    json_t *item;

    memset(out, 0, sizeof(*out));
    if (!value || json_is_null(value))
        return 0;
    if (!json_is_object(value)) {
        snprintf(msg, size, "aws_config must be a dictionary");
        return -1;
    }
    json_object_foreach((json_t *)value, key, item)
    {
        if (strcmp(key, "connect_timeout") == 0) {
            if (timeout(item, key, &out->connect_timeout, msg, size) < 0)
                return -1;
        } else if (strcmp(key, "read_timeout") == 0) {
            if (timeout(item, key, &out->read_timeout, msg, size) < 0)
                return -1;
        } else if (strcmp(key, "retries") == 0) {
            if (retries(item, out, msg, size) < 0)
                return -1;
        } else if (strcmp(key, "user_agent_extra") == 0) {
            /* botocore: appended to the User-Agent after a space. */
            if (!json_is_string(item) && !json_is_null(item)) {
                snprintf(msg, size,
                         "aws_config: user_agent_extra must be a string");
                return -1;
            }
            out->user_agent_extra = json_string_value(item);
        } else if (strcmp(key, "user_agent") == 0 ||
                   strcmp(key, "user_agent_appid") == 0) {
            /* Refused rather than ignored: the library's User-Agent can
             * only be added to (user_agent_extra), not replaced. */
            snprintf(msg, size,
                     "aws_config: %s is not supported: libelasticache's "
                     "User-Agent can only be added to, with "
                     "user_agent_extra. Supported options: " SUPPORTED,
                     key);
            return -1;
        } else {
            snprintf(msg, size,
                     "aws_config: unsupported option %s. Supported options: "
                     "" SUPPORTED,
                     key);
            return -1;
        }
    }
    return 0;
}
