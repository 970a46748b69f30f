/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One elasticache_info request: read-only describes of cache clusters,
 * replication groups and recent events, returned as an amazon.aws _info
 * module returns them (snake_case, changed false, check mode alike).
 */
#ifndef ERI_INFO_H
#define ERI_INFO_H

#include <stdbool.h>

#include <jansson.h>

#include "awsmodule.h"

#define ERI_MODULE_NAME "elasticache_info"

/**
 * Run one request (a JSON object) and return its result object, scrubbed
 * of no_log values. `*failed` says whether it is a failure. `clients`
 * keeps the client for a next request with the same connection options.
 * NULL only when memory ran out.
 */
json_t *eri_run_request(erb_client_cache *clients, const json_t *request,
                        erb_mode mode, bool *failed);

#endif
