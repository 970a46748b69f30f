/* SPDX-License-Identifier: Apache-2.0 */
/* The tools' deadline in a child process: when time runs out it prints the
 * line of the stage the run is in and exits with the tool's code; disarmed,
 * it stays silent. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deadline.h"
#include "testutil.h"

/* Run `child` with stdout into a pipe: its output and exit status. */
static int in_child(void (*child)(void), char *out, size_t size)
{
    int fds[2], status = -1;
    size_t len = 0;
    ssize_t n;
    pid_t pid;

    if (pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        child();
        _exit(0);
    }
    close(fds[1]);
    while (len + 1 < size && (n = read(fds[0], out + len, size - 1 - len)) > 0)
        len += (size_t)n;
    out[len] = '\0';
    close(fds[0]);
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void times_out(void)
{
    mon_deadline_text(0, "stage zero ran out after %gs\n", 0.2);
    mon_deadline_text(1, "stage one ran out\n");
    mon_deadline_arm(0.2, 7);
    mon_deadline_stage(1);
    for (;;)
        pause();
}

static void finishes(void)
{
    mon_deadline_text(0, "should not be printed\n");
    mon_deadline_arm(0.2, 7);
    mon_deadline_disarm();
    usleep(400000);
}

int main(void)
{
    char out[256];

    CHECK_INT(in_child(times_out, out, sizeof(out)), 7);
    CHECK_STR(out, "stage one ran out\n");
    CHECK_INT(in_child(finishes, out, sizeof(out)), 0);
    CHECK_STR(out, "");
    return test_status("deadline");
}
