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

/* An error body into err (EC_ERR_SERVICE; always returns -1), as botocore
 * reads it:
 * - <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>
 *   (or <Response><Errors><Error/>...): code, type, message, request id;
 *   a missing code or message is "Unknown", as in botocore's ClientError;
 * - a 5xx with an empty or <html> body, or any body that is not XML: the
 *   code is the HTTP status ("503") and the message its reason phrase
 *   ("Service Unavailable"), botocore's _do_generic_error_parse. */
int ecp_parse_error(const char *xml, size_t len, int http_status,
                    ec_error *err);

#endif
