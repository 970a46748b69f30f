/* Terminal progress display for the CLI's waits (stderr, TTY only). */
#ifndef EC_CLI_PROGRESS_H
#define EC_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

#include <elasticache/elasticache.h>

typedef struct cli_progress {
    FILE *out;
    const char *cluster_id;
    size_t lines; /* lines drawn last time, to redraw over them */
} cli_progress;

/* An ec_progress_fn; userdata is a cli_progress. */
void cli_progress_draw(void *userdata, const ec_progress *progress);

/* An ec_progress_fn for a stderr that is not a terminal (a CI log, a
 * pipe): one line per step of a rolling reboot as it begins and as it
 * ends, "elasticache: step 2/5: reboot ...", nothing redrawn. userdata is
 * a cli_progress. */
void cli_progress_log(void *userdata, const ec_progress *progress);

/* Set up progress for a run: the drawing when stderr is a terminal and
 * `draw` (the caller waits), otherwise the step log. */
void cli_progress_attach(cli_progress *st, const char *id, bool draw,
                         ec_progress_fn *fn, void **userdata);

#endif
