/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal helpers shared by every module of libelasticache: error
 * recording, bounded growable buffers, small string utilities.
 */
#ifndef ECP_UTIL_H
#define ECP_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#include "elasticache/elasticache.h"

#define ECP_UNUSED(x) ((void)(x))

/* Record an error unless one is already recorded (the first one wins).
 * Always returns -1 so callers can `return ecp_error_set(...)`. */
int ecp_error_set(ec_error *err, ec_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same, for a service error with its AWS code and message. */
int ecp_error_set_service(ec_error *err, int http_status, const char *aws_code,
                          const char *aws_type, const char *message,
                          const char *request_id);

/* vsnprintf into a message buffer: human-readable messages are cut at
 * their buffer's size on purpose. */
void ecp_msgf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Set the operation name on an error if it has none yet. */
void ecp_error_set_operation(ec_error *err, const char *operation);

/* A growable byte buffer that refuses to grow past `limit` (0: no limit
 * beyond SIZE_MAX/2). Always NUL-terminated when data != NULL. */
typedef struct ecp_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t limit;
} ecp_buf;

int ecp_buf_append(ecp_buf *b, const void *data, size_t len);
int ecp_buf_append_str(ecp_buf *b, const char *s);
int ecp_buf_printf(ecp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Free the buffer's memory, wiping it first (it may hold secrets). */
void ecp_buf_free(ecp_buf *b);
/* Hand the data to the caller (who frees it); the buffer is left empty. */
char *ecp_buf_steal(ecp_buf *b);

/* strdup that returns NULL for NULL. */
char *ecp_strdup(const char *s);
char *ecp_strndup(const char *s, size_t n);

/* Look up NAME in an environ-style array, or in the process environment
 * when envp is NULL. Borrowed. */
const char *ecp_getenv(const char *const *envp, const char *name);

int ecp_strlist_contains(const ec_strlist *l, const char *s);

/*
 * The one check of a value that goes into an HTTP header, used by the
 * ElastiCache transport and by the credential providers' requests: no
 * control character (below 0x20, or DEL), which could end the header and
 * start another (CR, LF) or confuse a proxy. -1 with `code` and "the WHAT
 * has a control character (a line break?); refusing to send it in a
 * header" when there is one; the value itself is never quoted (it is
 * often a secret). NULL is fine.
 */
int ecp_header_value_check(const char *value, const char *what, ec_errcode code,
                           ec_error *err);

/* Lowercase hex of `len` bytes into out (2*len+1 bytes). */
void ecp_hex(const unsigned char *in, size_t len, char *out);

/* Read a whole small file (limit bytes) into a NUL-terminated string.
 * EC_ERR_IO for a missing, unreadable or non-regular file (a FIFO is never
 * read: see ecp_read_regular_file). */
int ecp_read_file(const char *path, size_t limit, char **out, size_t *len,
                  ec_error *err);

#endif
