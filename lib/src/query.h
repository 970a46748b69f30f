/*
 * Query-protocol request bodies, byte-identical to what botocore sends:
 * Action and Version first, members in the caller's order, lists by their
 * locationName, Python quote_plus form encoding.
 */
#ifndef ECP_QUERY_H
#define ECP_QUERY_H

#include "util.h"

/* Form-encode like Python's urllib.parse.quote_plus (safe: letters,
 * digits, "_.-~"; space becomes '+'). */
int ecp_form_encode(ecp_buf *out, const char *s);

/* Append "&key=value" (or "key=value" when out is empty). */
int ecp_query_add(ecp_buf *out, const char *key, const char *value);

/* Bodies for each operation. Validation of ids is the caller's job. */
int ecp_encode_describe_cache_clusters(const ec_describe_cache_clusters_input *in,
                                       ecp_buf *out, ec_error *err);
int ecp_encode_reboot_cache_cluster(const ec_reboot_cache_cluster_input *in,
                                    ecp_buf *out, ec_error *err);
int ecp_encode_describe_events(const ec_describe_events_input *in, ecp_buf *out,
                               ec_error *err);

/* A timestamp as botocore's query serializer writes it:
 * "%Y-%m-%dT%H:%M:%SZ", or with ".%fZ" when there are microseconds. */
int ecp_format_query_time(ec_time t, char *buf, size_t size);

#endif
