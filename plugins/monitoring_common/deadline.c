/* SPDX-License-Identifier: Apache-2.0 */
/* The tools' deadline (see deadline.h): SIGALRM from setitimer, texts
 * prepared in advance, write() and _exit() in the handler. */
#include "deadline.h"

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static char texts[MON_DEADLINE_STAGES][256];
static size_t lengths[MON_DEADLINE_STAGES];
static volatile sig_atomic_t current;
static volatile sig_atomic_t code;

static void on_alarm(int sig)
{
    int s = current;

    (void)sig;
    if (s < 0 || s >= MON_DEADLINE_STAGES)
        s = 0;
    if (write(STDOUT_FILENO, texts[s], lengths[s]) < 0) {
        /* nothing left to do: exiting anyway */
    }
    _exit(code);
}

void mon_deadline_text(int stage, const char *fmt, ...)
{
    va_list ap;

    if (stage < 0 || stage >= MON_DEADLINE_STAGES)
        return;
    va_start(ap, fmt);
    vsnprintf(texts[stage], sizeof(texts[stage]), fmt, ap);
    va_end(ap);
    lengths[stage] = strlen(texts[stage]);
}

void mon_deadline_stage(int stage)
{
    current = stage;
}

void mon_deadline_arm(double seconds, int exit_code)
{
    struct sigaction sa;
    struct itimerval it = {0};

    code = exit_code;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    it.it_value.tv_sec = (time_t)seconds;
    it.it_value.tv_usec = (suseconds_t)((seconds - floor(seconds)) * 1e6);
    if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
        it.it_value.tv_usec = 1;
    setitimer(ITIMER_REAL, &it, NULL);
}

void mon_deadline_disarm(void)
{
    struct itimerval it = {0};

    setitimer(ITIMER_REAL, &it, NULL);
}
