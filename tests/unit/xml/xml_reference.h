/* SPDX-License-Identifier: Apache-2.0 */
/* The tree-walking response parser the streaming one replaced, as a test
 * oracle (xml_reference.c). */
#ifndef EC_TEST_XML_REFERENCE_H
#define EC_TEST_XML_REFERENCE_H

#include <stddef.h>

#include "shapes.h"
#include "util.h"

/* <{op}Response><{op}Result> into a new struct of `shape` (*out) and the
 * request id (*request_id, may stay NULL); both NULL on failure, with err
 * filled as the library's parser did. */
int ref_parse_response(const char *op, const char *xml, size_t len,
                       size_t max_bytes, const ecp_shape *shape, void **out,
                       char **request_id, ec_error *err);

#endif
