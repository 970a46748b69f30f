/* SPDX-License-Identifier: Apache-2.0 */
/* shlex.split as Python's shlex module does it in POSIX mode (see shlex.h):
 * the same state machine, one character at a time. One scanner serves the
 * allocating split and the allocation-free two-word match. */
#include "shlex.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Callbacks of the scanner: a character of the current word, the end of a
 * word. Each returns 0, or -1 to stop the scan (reported as -2). */
typedef struct scanner {
    int (*put)(void *ctx, char c);
    int (*end)(void *ctx);
    void *ctx;
} scanner;

/* 0 when the text splits; -1 with *message for Python's ValueError; -2
 * when a callback stopped the scan. */
static int scan(const char *s, const scanner *sc, const char **message)
{
    /* ' ' between words, 'a' in a word, '\'' or '"' in quotes. */
    char state = ' ';
    bool quoted = false, in_word = false, has_chars = false;
    const char *p;

    for (p = s;; p++) {
        char c = *p;

        if (state == '\'' || state == '"') {
            if (c == '\0') {
                *message = "No closing quotation";
                return -1;
            }
            if (c == state) {
                state = 'a';
            } else if (c == '\\' && state == '"') {
                /* Inside double quotes only \" and \\ are escapes. */
                char next = p[1];

                if (next == '\0') {
                    *message = "No escaped character";
                    return -1;
                }
                if (next != '"' && next != '\\' && sc->put(sc->ctx, '\\') != 0)
                    return -2;
                if (sc->put(sc->ctx, next) != 0)
                    return -2;
                has_chars = true;
                p++;
            } else {
                if (sc->put(sc->ctx, c) != 0)
                    return -2;
                has_chars = true;
            }
            continue;
        }
        if (c == '\0' || blank(c)) {
            if (in_word && (has_chars || quoted) && sc->end(sc->ctx) != 0)
                return -2;
            in_word = quoted = has_chars = false;
            state = ' ';
            if (c == '\0')
                return 0;
            continue;
        }
        in_word = true;
        state = 'a';
        if (c == '\'' || c == '"') {
            state = c;
            quoted = true;
        } else if (c == '\\') {
            if (p[1] == '\0') {
                *message = "No escaped character";
                return -1;
            }
            p++;
            if (sc->put(sc->ctx, *p) != 0)
                return -2;
            has_chars = true;
        } else {
            if (sc->put(sc->ctx, c) != 0)
                return -2;
            has_chars = true;
        }
    }
}

void ecp_argv_free(char **argv)
{
    size_t i;

    if (!argv)
        return;
    for (i = 0; argv[i]; i++)
        ec_free_secret(argv[i]);
    free(argv);
}

typedef struct split_ctx {
    ecp_buf word;
    char **argv;
    size_t argc;
} split_ctx;

static int split_put(void *ctx, char c)
{
    return ecp_buf_append(&((split_ctx *)ctx)->word, &c, 1);
}

static int split_end(void *ctx)
{
    split_ctx *x = ctx;
    char **p = realloc(x->argv, (x->argc + 2) * sizeof(*p));
    char *w;

    if (!p)
        return -1;
    x->argv = p;
    p[x->argc] = NULL;
    w = ecp_strndup(x->word.data ? x->word.data : "", x->word.len);
    if (!w)
        return -1;
    p[x->argc++] = w;
    p[x->argc] = NULL;
    ecp_buf_free(&x->word);
    return 0;
}

int ecp_shlex_split(const char *s, char ***argv, size_t *argc, ec_error *err)
{
    split_ctx x = {0};
    scanner sc = {split_put, split_end, &x};
    const char *message = NULL;
    int rc;

    *argv = NULL;
    *argc = 0;
    x.argv = calloc(1, sizeof(*x.argv));
    if (!x.argv)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    rc = scan(s, &sc, &message);
    ecp_buf_free(&x.word);
    if (rc != 0) {
        ecp_argv_free(x.argv);
        if (rc == -1)
            return ecp_error_set(err, EC_ERR_CONFIG, "%s", message);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    *argv = x.argv;
    *argc = x.argc;
    return 0;
}

/* The two-word match: word 1 is compared as it comes, no copy. */
typedef struct match_ctx {
    const char *first;  /* expected word 1, or NULL: any */
    const char *second; /* expected word 2 */
    size_t word;        /* index of the word being read */
    size_t pos;         /* characters of it read */
    bool ok;
} match_ctx;

static int match_put(void *ctx, char c)
{
    match_ctx *m = ctx;
    const char *want = m->word == 0 ? m->first : m->second;

    if (!m->ok)
        return 0;
    if (m->word > 1) {
        m->ok = false;
        return 0;
    }
    /* Compare only while the word matches: never read past `want`. */
    if (want && (want[m->pos] == '\0' || want[m->pos] != c)) {
        m->ok = false;
        return 0;
    }
    m->pos++;
    return 0;
}

static int match_end(void *ctx)
{
    match_ctx *m = ctx;
    const char *want = m->word == 0 ? m->first : m->second;

    if (m->ok && (m->word > 1 || (want && want[m->pos] != '\0')))
        m->ok = false;
    m->word++;
    m->pos = 0;
    return 0;
}

bool ecp_shlex_two_words(const char *s, const char *second)
{
    match_ctx m = {NULL, second, 0, 0, true};
    scanner sc = {match_put, match_end, &m};
    const char *message;

    return scan(s, &sc, &message) == 0 && m.ok && m.word == 2;
}
