/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The only network I/O of the library: a signed POST of a Query body over
 * one reusable libcurl handle, with botocore "standard" retries.
 */
#ifndef ECP_TRANSPORT_H
#define ECP_TRANSPORT_H

#include <stdbool.h>

#include "util.h"

typedef struct ecp_response {
    long status;
    ecp_buf body;
} ecp_response;

void ecp_response_free(ecp_response *resp);

/*
 * Sign and send `body` for `operation`. On HTTP 2xx returns 0 with the
 * body in resp. On an error response returns -1 with err filled by
 * ecp_parse_error (EC_ERR_SERVICE). Retries as botocore's standard mode;
 * when `idempotent` is false, retries only when the failure proves the
 * request was not processed (throttling, connect failure), and sets
 * err->maybe_sent when it may have been.
 */
int ecp_client_send(ec_client *client, const char *operation, const char *body,
                    size_t body_len, bool idempotent, ecp_response *resp,
                    ec_error *err);

/* The client's sleep (the hook from ec_config, or the system's); its clock
 * is the public ec_client_now. */
void ecp_client_sleep(ec_client *client, double seconds);

/* Emit one debug line through the config's hook, if any. */
void ecp_client_debug(ec_client *client, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
