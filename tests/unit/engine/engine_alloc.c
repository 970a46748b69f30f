/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation failures in the reboot engine's step function: replay case
 * folders of tests/data/engine with the Nth allocation made inside
 * ecp_engine_step failing, for every N until a run needs no more. Each
 * run must stop with EC_ERR_NOMEM from the step (nothing else, no crash)
 * and leak nothing (the ASan and valgrind builds check that); the run
 * that fails nothing must give the case's expected transcript.
 *
 *   engine_alloc CASE_DIR...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allocfail.h"
#include "replay.h"
#include "testutil.h"

/* Count and fail allocations only while the step function runs: the
 * replay's own parsing and printing allocate too. */
typedef struct armed {
    long at;   /* the allocation to fail, counted over the steps */
    long used; /* allocations the steps made so far */
} armed;

static void before(void *userdata)
{
    armed *a = userdata;

    allocfail_count = a->used;
    allocfail_at = a->at;
}

static void after(void *userdata)
{
    armed *a = userdata;

    a->used = allocfail_count;
    allocfail_at = 0;
}

static void one_case(const char *dir)
{
    char *expected;
    size_t len = 0;
    long n;
    bool clean = false;

    expected = replay_slurp(dir, "expected.txt", &len);
    CHECK(expected != NULL);
    for (n = 1; n < 100000 && expected && !clean; n++) {
        armed a = {n, 0};
        replay_hooks hooks = {before, after, &a};
        replay_text got = {0};
        ec_error err = {0};
        int rc = replay_dir(dir, &hooks, &got, &err);

        allocfail_arm(0);
        if (rc == 1) {
            CHECK_INT(err.code, EC_ERR_NOMEM);
        } else {
            /* Fewer than n allocations in all: nothing failed, so the run
             * is the case's own. */
            CHECK_INT(rc, 0);
            CHECK(a.used < n);
            CHECK_STR(got.text, expected);
            clean = true;
        }
        free(got.text);
    }
    CHECK(clean);
    /* The step function allocated at all, so failures were injected. */
    CHECK(n > 2);
    fprintf(stderr, "engine_alloc: %s: %ld runs\n", dir, n - 1);
    free(expected);
}

int main(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++)
        one_case(argv[i]);
    return test_status("engine_alloc");
}
