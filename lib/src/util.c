/* SPDX-License-Identifier: Apache-2.0 */
/* Error recording, buffers and small string helpers shared by the library. */
#include "util.h"

#include "files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/resource.h>

#include <openssl/crypto.h>

extern char **environ;

static const char *const errtext[] = {
    [EC_OK] = "success",
    [EC_ERR_NOMEM] = "out of memory",
    [EC_ERR_INVALID_ARGUMENT] = "invalid argument",
    [EC_ERR_CONFIG] = "configuration error",
    [EC_ERR_CREDENTIALS] = "credentials error",
    [EC_ERR_SERVICE] = "service error",
    [EC_ERR_TRANSPORT] = "connection error",
    [EC_ERR_TIMEOUT] = "timed out",
    [EC_ERR_PARSE] = "unparseable response",
    [EC_ERR_WAIT_TIMEOUT] = "waiter timed out",
    [EC_ERR_WAIT_FAILURE] = "waiter reached a failure state",
    [EC_ERR_IO] = "I/O error",
    [EC_ERR_INTERNAL] = "internal error",
    [EC_ERR_JMESPATH_SYNTAX] = "invalid JMESPath expression",
    [EC_ERR_JMESPATH_INVALID_TYPE] = "JMESPath: invalid type",
    [EC_ERR_JMESPATH_INVALID_VALUE] = "JMESPath: invalid value",
    [EC_ERR_JMESPATH_INVALID_ARITY] = "JMESPath: wrong number of arguments",
    [EC_ERR_JMESPATH_UNKNOWN_FUNCTION] = "JMESPath: unknown function",
    [EC_ERR_JMESPATH_LIMIT] = "JMESPath: limit exceeded",
};

const char *ec_version(void)
{
    return EC_VERSION_STRING;
}

const char *ec_strerror(ec_errcode code)
{
    if ((size_t)code >= sizeof(errtext) / sizeof(errtext[0]) || !errtext[code])
        return "unknown error";
    return errtext[code];
}

void ec_error_clear(ec_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
}

int ec_error_format(const ec_error *err, char *buf, size_t size)
{
    if (!err)
        return snprintf(buf, size, "%s", "unknown error");
    /* botocore adds " (reached max retries: N)" when the retries ran out;
     * an error returned after more than one attempt is that case (the
     * transport stops retrying only on success, a non-retryable error or
     * the last attempt). */
    if (err->code == EC_ERR_SERVICE && err->aws_code[0] && err->attempts > 1)
        return snprintf(buf, size,
                        "An error occurred (%s) when calling the %s operation "
                        "(reached max retries: %d): %s",
                        err->aws_code,
                        err->operation[0] ? err->operation : "unknown",
                        err->attempts - 1, err->message);
    if (err->code == EC_ERR_SERVICE && err->aws_code[0])
        return snprintf(
            buf, size,
            "An error occurred (%s) when calling the %s operation: %s",
            err->aws_code, err->operation[0] ? err->operation : "unknown",
            err->message);
    if (err->message[0])
        return snprintf(buf, size, "%s", err->message);
    return snprintf(buf, size, "%s", ec_strerror(err->code));
}

int ecp_error_set(ec_error *err, ec_errcode code, const char *fmt, ...)
{
    va_list ap;

    if (!err || err->code != EC_OK)
        return -1;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    return -1;
}

void ecp_msgf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

static void copy_field(char *dst, size_t size, const char *src)
{
    if (src)
        snprintf(dst, size, "%s", src);
}

int ecp_error_set_service(ec_error *err, int http_status, const char *aws_code,
                          const char *aws_type, const char *message,
                          const char *request_id)
{
    if (!err || err->code != EC_OK)
        return -1;
    err->code = EC_ERR_SERVICE;
    err->http_status = http_status;
    copy_field(err->aws_code, sizeof(err->aws_code), aws_code);
    copy_field(err->aws_type, sizeof(err->aws_type), aws_type);
    copy_field(err->message, sizeof(err->message), message ? message : "");
    copy_field(err->request_id, sizeof(err->request_id), request_id);
    return -1;
}

void ecp_error_set_operation(ec_error *err, const char *operation)
{
    if (err && !err->operation[0] && operation)
        snprintf(err->operation, sizeof(err->operation), "%s", operation);
}

static int buf_reserve(ecp_buf *b, size_t extra)
{
    size_t limit = b->limit ? b->limit : ((size_t)-1) / 2;
    size_t want, cap;
    char *p;

    if (extra > limit || b->len > limit - extra)
        return -1;
    want = b->len + extra + 1;
    if (want <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 256;
    while (cap < want)
        cap *= 2;
    /* Grow by copy so a secret never lingers in memory realloc released. */
    p = malloc(cap);
    if (!p)
        return -1;
    if (b->data) {
        memcpy(p, b->data, b->len + 1);
        OPENSSL_cleanse(b->data, b->cap);
        free(b->data);
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

int ecp_buf_append(ecp_buf *b, const void *data, size_t len)
{
    if (buf_reserve(b, len) != 0)
        return -1;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int ecp_buf_append_str(ecp_buf *b, const char *s)
{
    return ecp_buf_append(b, s, strlen(s));
}

int ecp_buf_printf(ecp_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || buf_reserve(b, (size_t)n) != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void ecp_buf_free(ecp_buf *b)
{
    if (b->data) {
        OPENSSL_cleanse(b->data, b->cap);
        free(b->data);
    }
    b->data = NULL;
    b->len = b->cap = 0;
}

char *ecp_buf_steal(ecp_buf *b)
{
    char *p = b->data;

    if (!p)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

char *ecp_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

char *ecp_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);

    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

const char *ecp_getenv(const char *const *envp, const char *name)
{
    size_t n = strlen(name);
    const char *const *e = envp ? envp : (const char *const *)environ;

    for (; e && *e; e++)
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}

void ec_strlist_clear(ec_strlist *l)
{
    size_t i;

    if (!l)
        return;
    for (i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof(*l));
}

int ec_strlist_push(ec_strlist *l, const char *s)
{
    char **items;
    char *copy;

    if (!l || !s)
        return -1;
    copy = strdup(s);
    if (!copy)
        return -1;
    items = realloc(l->items, (l->count + 1) * sizeof(*items));
    if (!items) {
        free(copy);
        return -1;
    }
    items[l->count++] = copy;
    l->items = items;
    l->set = true;
    return 0;
}

size_t ec_strlist_join(const ec_strlist *list, const char *separator, char *buf,
                       size_t size)
{
    size_t i, len = 0;

    if (!buf || size == 0)
        return 0;
    buf[0] = '\0';
    if (!separator)
        separator = ", ";
    for (i = 0; list && i < list->count; i++) {
        int n = snprintf(buf + len, size - len, "%s%s", i ? separator : "",
                         list->items[i] ? list->items[i] : "");

        if (n < 0 || (size_t)n >= size - len) {
            /* Cut: the end says so. */
            if (size > 4)
                memcpy(buf + size - 4, "...", 4);
            return strlen(buf);
        }
        len += (size_t)n;
    }
    return len;
}

int ecp_strlist_contains(const ec_strlist *l, const char *s)
{
    size_t i;

    for (i = 0; l && i < l->count; i++)
        if (strcmp(l->items[i], s) == 0)
            return 1;
    return 0;
}

void ecp_hex(const unsigned char *in, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
}

int ecp_read_file(const char *path, size_t limit, char **out, size_t *len,
                  ec_error *err)
{
    /* One way to read a file: never blocking on a FIFO or a device. */
    int rc = ecp_read_regular_file(path, limit, "file", out, len, err);

    if (rc == ECP_FILE_MISSING)
        return ecp_error_set(err, EC_ERR_IO, "cannot open %s: %s", path,
                             strerror(ENOENT));
    if (rc == ECP_FILE_NOT_REGULAR)
        return ecp_error_set(err, EC_ERR_IO, "%s is not a regular file", path);
    return rc;
}

void ec_wipe(void *p, size_t len)
{
    if (p && len)
        OPENSSL_cleanse(p, len);
}

void ec_free_secret(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

int ec_forbid_core_dumps(ec_error *err)
{
    /* A zero hard limit cannot be raised again by this process. Not
     * PR_SET_DUMPABLE: it would also stop LeakSanitizer's tracer. */
    const struct rlimit none = {0, 0};

    if (setrlimit(RLIMIT_CORE, &none) != 0)
        return ecp_error_set(err, EC_ERR_INTERNAL,
                             "cannot forbid core dumps: %s", strerror(errno));
    return 0;
}

int ecp_header_value_check(const char *value, const char *what, ec_errcode code,
                           ec_error *err)
{
    const unsigned char *p;

    for (p = (const unsigned char *)value; p && *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return ecp_error_set(err, code,
                                 "the %s has a control character (a line "
                                 "break?); refusing to send it in a header",
                                 what);
    return 0;
}
