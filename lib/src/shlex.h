/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Python's shlex.split(s) (POSIX mode, no comments), which botocore uses to
 * split credential_process commands and "[profile NAME]" section headers.
 * Pure.
 */
#ifndef ECP_SHLEX_H
#define ECP_SHLEX_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/*
 * Split `s` into words: blanks (space, tab, CR, LF) separate words; single
 * quotes keep everything up to the next single quote; double quotes keep
 * everything up to the next unescaped double quote, where a backslash
 * escapes only '"' and '\'; outside quotes a backslash escapes any
 * character. Quoted empty strings are words. On success *argv is a
 * NULL-terminated array of new strings (free with ecp_argv_free) and *argc
 * its length. Unbalanced quotes ("No closing quotation") or a trailing
 * backslash ("No escaped character") are EC_ERR_CONFIG with Python's
 * message.
 */
int ecp_shlex_split(const char *s, char ***argv, size_t *argc, ec_error *err);

/* shlex.split(s) has exactly two words and the second is `second` (no
 * allocation: botocore's "[profile NAME]" test). */
bool ecp_shlex_two_words(const char *s, const char *second);

/* Wipe (the words may be secrets on a command line) and free. NULL is
 * fine. */
void ecp_argv_free(char **argv);

#endif
