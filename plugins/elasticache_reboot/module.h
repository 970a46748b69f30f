/*
 * One elasticache_reboot request, the way both front ends run it: the
 * Ansible binary module (one args file) and the NDJSON stdio tool (one
 * request per line). Parameters are validated as AnsibleModule does, the
 * reboot is one call to ec_reboot(), the result is shaped like an
 * amazon.aws module's and scrubbed of no_log values.
 */
#ifndef ERB_MODULE_H
#define ERB_MODULE_H

#include <stdbool.h>

#include <jansson.h>

#include <elasticache/elasticache.h>

#include "awsmodule.h"

#define ERB_MODULE_NAME "elasticache_reboot"

/* State kept across requests: one client (one connection) reused while
 * the region, endpoint and credentials stay the same. */
typedef struct erb_session {
    erb_client_cache clients;
    bool progress; /* report waiting progress on stderr */
} erb_session;

/**
 * Run one request (a JSON object) and return its result object, already
 * scrubbed of no_log values. `*failed` says whether the result is a
 * failure. Returns NULL only when memory ran out.
 */
json_t *erb_run_request(erb_session *session, const json_t *request,
                        erb_mode mode, bool *failed);

/* A failure result with just a message (for input that is not a request). */
json_t *erb_failure(const char *msg);

void erb_session_clear(erb_session *session);

#endif
