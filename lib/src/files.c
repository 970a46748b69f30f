/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Finding and reading local files the way botocore does, without ever
 * blocking on something that is not a regular file.
 */
#include "files.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

int ecp_read_regular_file(const char *path, size_t limit, const char *what,
                          char **out, size_t *len, ec_error *err)
{
    ecp_buf b = {0};
    char chunk[4096];
    struct stat st;
    ssize_t n;
    int fd, flags;

    *out = NULL;
    if (len)
        *len = 0;
    /* O_NONBLOCK: opening a FIFO without a writer would wait forever. */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return ECP_FILE_MISSING;
        if (errno == ENXIO) /* a socket */
            return ECP_FILE_NOT_REGULAR;
        return ecp_error_set(err, EC_ERR_IO, "cannot open the %s %s: %s", what,
                             path, strerror(errno));
    }
    if (fstat(fd, &st) != 0) {
        ecp_error_set(err, EC_ERR_IO, "cannot read the %s %s: %s", what, path,
                      strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return ECP_FILE_NOT_REGULAR;
    }
    /* A regular file never blocks; reads are plain blocking reads. */
    flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    b.limit = limit;
    for (;;) {
        n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (ecp_buf_append(&b, chunk, (size_t)n) != 0) {
            OPENSSL_cleanse(chunk, sizeof(chunk));
            ecp_buf_free(&b);
            close(fd);
            return ecp_error_set(err, EC_ERR_IO,
                                 "the %s %s is larger than %zu bytes", what,
                                 path, limit);
        }
    }
    OPENSSL_cleanse(chunk, sizeof(chunk));
    if (n < 0) {
        ecp_error_set(err, EC_ERR_IO, "cannot read the %s %s: %s", what, path,
                      strerror(errno));
        ecp_buf_free(&b);
        close(fd);
        return -1;
    }
    close(fd);
    if (len)
        *len = b.len;
    *out = ecp_buf_steal(&b);
    if (!*out)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    return ECP_FILE_READ;
}

/* Home directory of a passwd entry: the current user's (name NULL) or
 * name's. 0 with *out NULL when there is no such entry. */
static int passwd_home(const char *name, char **out, ec_error *err)
{
    struct passwd pw, *found = NULL;
    long hint = sysconf(_SC_GETPW_R_SIZE_MAX);
    size_t size = hint > 0 ? (size_t)hint : 4096;
    char *buf = NULL;
    int rc;

    *out = NULL;
    for (;;) {
        char *p = realloc(buf, size);

        if (!p) {
            free(buf);
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        }
        buf = p;
        if (name)
            rc = getpwnam_r(name, &pw, buf, size, &found);
        else
            rc = getpwuid_r(getuid(), &pw, buf, size, &found);
        if (rc != ERANGE || size > (1u << 20))
            break;
        size *= 2;
    }
    if (rc == 0 && found && found->pw_dir) {
        *out = ecp_strdup(found->pw_dir);
        if (!*out) {
            free(buf);
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        }
    }
    free(buf);
    return 0;
}

int ecp_home_dir(const char *const *envp, char **out, ec_error *err)
{
    const char *home = ecp_getenv(envp, "HOME");

    *out = NULL;
    if (home) {
        *out = ecp_strdup(home);
        return *out ? 0 : ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    return passwd_home(NULL, out, err);
}

int ecp_expand_user(const char *path, const char *const *envp, char **out,
                    ec_error *err)
{
    const char *slash, *rest;
    char *home = NULL, *name = NULL;
    size_t hlen;
    ecp_buf b = {0};
    int rc;

    *out = NULL;
    if (path[0] != '~') {
        *out = ecp_strdup(path);
        return *out ? 0 : ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    slash = strchr(path + 1, '/');
    rest = slash ? slash : path + strlen(path);
    if (rest == path + 1) {
        rc = ecp_home_dir(envp, &home, err);
    } else {
        name = ecp_strndup(path + 1, (size_t)(rest - path - 1));
        if (!name)
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        rc = passwd_home(name, &home, err);
        free(name);
    }
    if (rc != 0)
        return -1;
    if (!home) {
        /* No passwd entry: Python leaves the path as it is. */
        *out = ecp_strdup(path);
        return *out ? 0 : ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    hlen = strlen(home);
    while (hlen > 0 && home[hlen - 1] == '/')
        hlen--;
    if (ecp_buf_append(&b, home, hlen) != 0 ||
        ecp_buf_append_str(&b, rest) != 0) {
        free(home);
        ecp_buf_free(&b);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    free(home);
    if (b.len == 0 && ecp_buf_append_str(&b, "/") != 0) {
        ecp_buf_free(&b);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    *out = ecp_buf_steal(&b);
    return *out ? 0 : ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
}

static bool var_char(char c)
{
    /* Python's \w with re.ASCII: letters, digits, underscore. */
    return isalnum((unsigned char)c) || c == '_';
}

int ecp_expand_vars(const char *path, const char *const *envp, char **out,
                    ec_error *err)
{
    ecp_buf b = {0};
    const char *p = path;

    *out = NULL;
    while (*p) {
        const char *start = p, *name = NULL, *end = NULL;
        size_t nlen = 0;

        if (*p != '$') {
            if (ecp_buf_append(&b, p, 1) != 0)
                goto nomem;
            p++;
            continue;
        }
        if (p[1] == '{') {
            const char *close = strchr(p + 2, '}');

            if (close) {
                name = p + 2;
                nlen = (size_t)(close - name);
                end = close + 1;
            }
        } else if (var_char(p[1])) {
            name = p + 1;
            end = name;
            while (var_char(*end))
                end++;
            nlen = (size_t)(end - name);
        }
        if (name) {
            char var[256];
            const char *value = NULL;

            if (nlen < sizeof(var)) {
                memcpy(var, name, nlen);
                var[nlen] = '\0';
                value = ecp_getenv(envp, var);
            }
            if (value) {
                if (ecp_buf_append_str(&b, value) != 0)
                    goto nomem;
            } else if (ecp_buf_append(&b, start, (size_t)(end - start)) != 0) {
                goto nomem;
            }
            p = end;
        } else {
            if (ecp_buf_append(&b, p, 1) != 0)
                goto nomem;
            p++;
        }
    }
    *out = ecp_buf_steal(&b);
    if (*out)
        return 0;
nomem:
    ecp_buf_free(&b);
    return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
}
