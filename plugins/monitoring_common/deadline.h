/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitoring tools' safety net under the library's own timeouts: Nagios
 * kills a check or an event handler that runs too long without a word, so
 * when the whole run takes longer than it may, the tool prints where it was
 * on stdout and exits with its own code. One per process.
 */
#ifndef MON_DEADLINE_H
#define MON_DEADLINE_H

#define MON_DEADLINE_STAGES 8

/* The line printed (newline included) when time runs out during `stage`
 * (0..MON_DEADLINE_STAGES-1). Prepared before arming: the signal handler
 * only write()s. */
void mon_deadline_text(int stage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* After `seconds` (from now), print the current stage's line and _exit
 * with `exit_code`. */
void mon_deadline_arm(double seconds, int exit_code);

/* The stage the run is in from now (async-signal-safe to read). */
void mon_deadline_stage(int stage);

void mon_deadline_disarm(void);

#endif
