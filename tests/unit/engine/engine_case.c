/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine_case DIR: replay one case folder of tests/data/engine through the
 * reboot engine's step function, in-process, on a virtual clock, and
 * compare the actions it took with the folder's expected.txt. The safety
 * oracle (engine_oracle.h) checks every action too.
 *
 *   engine_case DIR          exit 0 on a match, 1 with a diff otherwise
 *   engine_case --print DIR  print the transcript (to write a new case;
 *                            read it before you keep it)
 *
 * The folder format is in tests/data/engine/PROVENANCE.md.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

int main(int argc, char **argv)
{
    bool print = argc == 3 && strcmp(argv[1], "--print") == 0;
    const char *dir = print ? argv[2] : argv[1];
    replay_text got = {0};
    ec_error err = {0};
    char *expected = NULL;
    size_t len = 0;
    int status = 2;

    if (argc != 2 && !print) {
        fprintf(stderr, "usage: engine_case [--print] DIR\n");
        return 2;
    }
    if (!print) {
        expected = replay_slurp(dir, "expected.txt", &len);
        if (!expected)
            return 2;
    }
    if (replay_dir(dir, NULL, &got, &err) == 2)
        goto out;
    if (print) {
        fputs(got.text ? got.text : "", stdout);
        status = 0;
    } else if (got.text && strcmp(got.text, expected) == 0) {
        status = 0;
    } else {
        fprintf(stderr,
                "%s: the engine's actions differ from expected.txt\n"
                "--- got:\n%s--- expected:\n%s",
                dir, got.text ? got.text : "", expected);
        status = 1;
    }
out:
    free(expected);
    free(got.text);
    return status;
}
