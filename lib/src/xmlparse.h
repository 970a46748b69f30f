/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Query-protocol XML responses (libxml2) into the public structs. Pure:
 * bytes in, structs out. Unknown elements are ignored; malformed or
 * truncated XML is EC_ERR_PARSE.
 *
 * The rules are botocore's QueryParser's (checked by tests/diff against
 * botocore and the real AWS CLI v2): namespaces ignored, members looked up
 * by name in any order, every child of a list wrapper an item, "" / {} / []
 * for empty elements, booleans true only for "true", integers as Python's
 * int(), timestamps as botocore's parse_timestamp. Where botocore has no
 * sensible answer this parser is stricter, on purpose:
 * - the root must be <{Op}Response> and hold <{Op}Result>;
 * - a DOCTYPE is refused (no entity expansion of any kind);
 * - bodies over the caller's limit (the client's max_response_bytes) are
 *   refused before parsing;
 * - an integer outside int64 is a parse error (Python has big integers);
 * - a double that is not finite ("inf", "nan", "1e999") is a parse error
 *   (Python would print Infinity or NaN, which is not JSON);
 * - of repeated scalar elements the first wins (botocore returns junk);
 * - a timestamp without a zone is read as UTC and printed with +00:00
 *   (botocore prints a naive datetime without offset); AWS always sends Z;
 * - timestamps are ISO 8601 or epoch seconds only (dateutil would take
 *   RFC 822 and free text too).
 */
#ifndef ECP_XMLPARSE_H
#define ECP_XMLPARSE_H

#include <stddef.h>

#include "util.h"

/* Each makes a new output (*out; free it with the public
 * ec_*_output_free) or sets *out to NULL and fills err. `max_bytes` is the
 * most the caller accepts (the client's max_response_bytes; 0: no limit of
 * ours, only libxml2's INT_MAX). */
int ecp_parse_describe_cache_clusters(const char *xml, size_t len,
                                      size_t max_bytes,
                                      ec_describe_cache_clusters_output **out,
                                      ec_error *err);
int ecp_parse_reboot_cache_cluster(const char *xml, size_t len,
                                   size_t max_bytes,
                                   ec_reboot_cache_cluster_output **out,
                                   ec_error *err);
int ecp_parse_describe_events(const char *xml, size_t len, size_t max_bytes,
                              ec_describe_events_output **out, ec_error *err);
int ecp_parse_describe_replication_groups(
    const char *xml, size_t len, size_t max_bytes,
    ec_describe_replication_groups_output **out, ec_error *err);
int ecp_parse_modify_replication_group(const char *xml, size_t len,
                                       size_t max_bytes,
                                       ec_modify_replication_group_output **out,
                                       ec_error *err);
int ecp_parse_list_tags_for_resource(const char *xml, size_t len,
                                     size_t max_bytes,
                                     ec_list_tags_for_resource_output **out,
                                     ec_error *err);

/* An error body into err (EC_ERR_SERVICE; always returns -1), as botocore
 * reads it:
 * - <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>
 *   (or <Response><Errors><Error/>...): code, type, message, request id;
 *   a missing code or message is "Unknown", as in botocore's ClientError;
 * - a 5xx with an empty or <html> body, or any body that is not XML: the
 *   code is the HTTP status ("503") and the message its reason phrase
 *   ("Service Unavailable"), botocore's _do_generic_error_parse. */
int ecp_parse_error(const char *xml, size_t len, size_t max_bytes,
                    int http_status, ec_error *err);

/* A small parsed document for lookups by path, used for the STS answers
 * of the credential providers (same safety rules: no DTD, no network). */
typedef struct ecp_xml ecp_xml;

int ecp_xml_read(const char *xml, size_t len, const char *what, ecp_xml **out,
                 ec_error *err);
/* Local name of the root element. Borrowed. */
const char *ecp_xml_root_name(const ecp_xml *x);
/* Text of the first element at `path` (NULL-terminated element names from
 * the root, namespaces ignored): a new string, or NULL when absent. */
char *ecp_xml_text(const ecp_xml *x, const char *const *path);
/* Wipe every text node (they may hold secrets), then free. NULL is fine. */
void ecp_xml_free(ecp_xml *x);

#endif
