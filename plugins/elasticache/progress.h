/* Terminal progress display for the CLI's waits (stderr, TTY only). */
#ifndef EC_CLI_PROGRESS_H
#define EC_CLI_PROGRESS_H

#include <stdio.h>

#include <elasticache/elasticache.h>

typedef struct cli_progress {
    FILE *out;
    const char *cluster_id;
    size_t lines; /* lines drawn last time, to redraw over them */
} cli_progress;

/* An ec_progress_fn; userdata is a cli_progress. */
void cli_progress_draw(void *userdata, const ec_progress *progress);

#endif
