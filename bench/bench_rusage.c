/* SPDX-License-Identifier: Apache-2.0 */
/* Benchmark helper: run a command and report its CPU time and peak RSS as
 * the kernel counts them (wait4), for bench/fleet.py.
 *   bench_rusage OUTFILE COMMAND [ARGS...]
 * writes "<user+system microseconds> <peak RSS KiB> <exit status>" to
 * OUTFILE and exits 0 (127 when COMMAND cannot be run). A command started
 * straight from Python would report Python's resident set as its own
 * peak: Linux carries the peak of the address space a process had before
 * exec() into ru_maxrss. This small process is what the command is forked
 * from, so its figure is the command's. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct rusage ru;
    FILE *out;
    pid_t pid;
    int status;

    if (argc < 3) {
        fputs("usage: bench_rusage OUTFILE COMMAND [ARGS...]\n", stderr);
        return 2;
    }
    pid = fork();
    if (pid < 0) {
        perror("bench_rusage: fork");
        return 127;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("bench_rusage: exec");
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) != pid) {
        perror("bench_rusage: wait4");
        return 127;
    }
    out = fopen(argv[1], "w");
    if (!out) {
        perror("bench_rusage: output file");
        return 127;
    }
    fprintf(out, "%lld %ld %d\n",
            (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
                (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec,
            ru.ru_maxrss,
            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return fclose(out) == 0 ? 0 : 127;
}
