/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Local files as botocore finds and reads them: "~" and "$VAR" expansion
 * as Python's os.path.expanduser/expandvars do (HOME, else the passwd
 * entry), and reads that never block on a FIFO or a device.
 */
#ifndef ECP_FILES_H
#define ECP_FILES_H

#include <stddef.h>

#include "util.h"

/* What ecp_read_regular_file found. */
typedef enum ecp_file_status {
    ECP_FILE_READ = 0,        /* *out holds the contents */
    ECP_FILE_MISSING = 1,     /* no such file (ENOENT/ENOTDIR) */
    ECP_FILE_NOT_REGULAR = 2, /* a FIFO, socket, device or directory */
} ecp_file_status;

/*
 * Read a whole regular file of at most `limit` bytes into a NUL-terminated
 * buffer (the caller wipes and frees it). The file is opened with
 * O_NONBLOCK and checked with fstat before any read, so a FIFO or a device
 * named here never blocks: it is reported as ECP_FILE_NOT_REGULAR and not
 * read. Returns the status (>= 0), or -1 with EC_ERR_IO for a file that
 * exists but cannot be read (permissions, too large) or EC_ERR_NOMEM.
 * `what` names the file in messages ("config file").
 */
int ecp_read_regular_file(const char *path, size_t limit, const char *what,
                          char **out, size_t *len, ec_error *err);

/*
 * Python's os.path.expanduser: "~" and "~/x" use $HOME when HOME is in the
 * environment (even empty), else the home directory of the current user's
 * passwd entry; "~name/x" uses name's passwd entry; when no entry exists
 * the path is returned unchanged. Trailing slashes of the home directory
 * are dropped. `envp` as ecp_getenv. *out is a new string.
 */
int ecp_expand_user(const char *path, const char *const *envp, char **out,
                    ec_error *err);

/* Python's os.path.expandvars: "$NAME" and "${NAME}" (NAME of ASCII
 * letters, digits and '_') replaced by their values when set, left as they
 * are otherwise. *out is a new string. */
int ecp_expand_vars(const char *path, const char *const *envp, char **out,
                    ec_error *err);

/* The home directory expanduser("~") would use, or NULL when there is
 * none. *out is a new string (NULL with 0 returned when none). */
int ecp_home_dir(const char *const *envp, char **out, ec_error *err);

#endif
