/*
 * Query-protocol XML responses (libxml2) into the public structs. Pure:
 * bytes in, structs out. Unknown elements are ignored; malformed or
 * truncated XML is EC_ERR_PARSE.
 */
#ifndef ECP_XMLPARSE_H
#define ECP_XMLPARSE_H

#include <stddef.h>

#include "util.h"

int ecp_parse_describe_cache_clusters(const char *xml, size_t len,
                                      ec_describe_cache_clusters_output *out,
                                      ec_error *err);
int ecp_parse_reboot_cache_cluster(const char *xml, size_t len,
                                   ec_reboot_cache_cluster_output *out,
                                   ec_error *err);
int ecp_parse_describe_events(const char *xml, size_t len,
                              ec_describe_events_output *out, ec_error *err);

/* An <ErrorResponse> body into err (EC_ERR_SERVICE with code, type,
 * message and request id). When the body is not an ErrorResponse, records
 * EC_ERR_SERVICE with a code made from the HTTP status, as botocore does
 * ("503" with the reason phrase as message). Always returns -1. */
int ecp_parse_error(const char *xml, size_t len, int http_status, ec_error *err);

#endif
