/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replaying one case folder of tests/data/engine through the reboot
 * engine's step function (see tests/data/engine/PROVENANCE.md): shared by
 * engine_case (compare with expected.txt) and engine_alloc (every
 * allocation of the step function made to fail in turn).
 */
#ifndef EC_ENGINE_REPLAY_H
#define EC_ENGINE_REPLAY_H

#include <stddef.h>

#include "engine.h"

/* A growing text, the transcript of a run. */
typedef struct replay_text {
    char *text;
    size_t len, cap;
} replay_text;

/* Called around every call of ecp_engine_step (both may be NULL). */
typedef struct replay_hooks {
    void (*before_step)(void *userdata);
    void (*after_step)(void *userdata);
    void *userdata;
} replay_hooks;

/*
 * Replay DIR, appending the transcript to *got (expected.txt's format;
 * script and oracle problems are lines of it too). Returns 0 when the run
 * ended (DONE, or a problem written into the transcript), 1 when
 * ecp_engine_step failed (its error in *step_err, and a line), 2 when the
 * folder cannot be read (a message on stderr).
 */
int replay_dir(const char *dir, const replay_hooks *hooks, replay_text *got,
               ec_error *step_err);

/* Whole file DIR/NAME, or NULL with a message on stderr. */
char *replay_slurp(const char *dir, const char *name, size_t *len);

#endif
