/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The module's aws_config option: the botocore Config settings amazon.aws
 * passes on that mean something for libelasticache (timeouts, retries),
 * checked and turned into ec_config values.
 */
#ifndef ERB_AWSCONFIG_H
#define ERB_AWSCONFIG_H

#include <stddef.h>

#include <jansson.h>

typedef struct erb_aws_config {
    double connect_timeout; /* seconds; 0: the library's default */
    double read_timeout;    /* seconds; 0: the library's default */
    int max_attempts;       /* every attempt, the first included; 0: default */
    char retry_mode[16];    /* "legacy", "standard", "adaptive"; "": default */
    /* botocore's user_agent_extra, borrowed from the parsed value (valid
     * while it lives); NULL: none. */
    const char *user_agent_extra;
} erb_aws_config;

/**
 * Read `value` (the validated aws_config parameter: an object, or JSON
 * null when absent) into `out`. Keys as botocore.config.Config takes them:
 * connect_timeout, read_timeout, retries {max_attempts (retries after the
 * first attempt), total_max_attempts, mode}, user_agent_extra (a string
 * appended to the User-Agent; the library refuses control characters in
 * it). 0, or -1 with a message in `msg` for an unknown key or a bad
 * value.
 */
int erb_aws_config_parse(const json_t *value, erb_aws_config *out, char *msg,
                         size_t size);

#endif
