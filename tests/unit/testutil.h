/* SPDX-License-Identifier: Apache-2.0 */
/* Minimal assertion helpers for the unit tests: each failed check prints
 * where and what, the test keeps going, and main returns test_status().
 * A test that made no check at all fails: it proved nothing. */
#ifndef EC_TESTUTIL_H
#define EC_TESTUTIL_H

#include <stdio.h>
#include <string.h>

static int test_failures;
static int test_checks;

#define CHECK(cond)                                                            \
    do {                                                                       \
        test_checks++;                                                         \
        if (!(cond)) {                                                         \
            test_failures++;                                                   \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
        }                                                                      \
    } while (0)

#define CHECK_STR(a, b)                                                        \
    do {                                                                       \
        const char *a_ = (a), *b_ = (b);                                       \
        test_checks++;                                                         \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                               \
            test_failures++;                                                   \
            fprintf(stderr, "%s:%d: %s\n  got:      %s\n  expected: %s\n",     \
                    __FILE__, __LINE__, #a, a_ ? a_ : "(null)",                \
                    b_ ? b_ : "(null)");                                       \
        }                                                                      \
    } while (0)

#define CHECK_INT(a, b)                                                        \
    do {                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                    \
        test_checks++;                                                         \
        if (a_ != b_) {                                                        \
            test_failures++;                                                   \
            fprintf(stderr, "%s:%d: %s\n  got:      %lld\n  expected: %lld\n", \
                    __FILE__, __LINE__, #a, a_, b_);                           \
        }                                                                      \
    } while (0)

static inline int test_status(const char *name)
{
    fprintf(stderr, "%s: %d checks, %d failed\n", name, test_checks,
            test_failures);
    if (test_checks == 0) {
        fprintf(stderr,
                "%s: FAILED: no check ran, so the test proved "
                "nothing\n",
                name);
        return 1;
    }
    return test_failures ? 1 : 0;
}

#endif
