/* SPDX-License-Identifier: Apache-2.0 */
/* The streaming response parser against the tree-walking one it replaced
 * (xml_reference.c), on one input: used by test_xml_stream and fuzz_xml. */
#ifndef EC_TEST_XML_COMPARE_H
#define EC_TEST_XML_COMPARE_H

#include <stddef.h>

/* Parse `xml` as each operation's response with both parsers, with the
 * byte limit `max_bytes`. 0 when they agree on every one: the same
 * structs (the same JSON in both styles, the same request id) or the same
 * error. The known differences in messages are allowed: of several bad
 * values the streaming parser names the first in the document, the tree
 * walk the first in model order; and a document with a DTD is refused for
 * it by the streaming parser even when it is malformed further on. -1
 * otherwise, with what differs in `why`. `*parsed` gets how many of the
 * operations both parsers accepted. */
int xml_compare(const char *xml, size_t len, size_t max_bytes, char *why,
                size_t why_size, int *parsed);

#endif
