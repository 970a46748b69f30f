/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation-failure injection for unit tests. A test target registered
 * with ec_allocfail_test() (tests/CMakeLists.txt) has the library's
 * malloc, calloc, realloc, strdup and strndup calls redirected (ld --wrap)
 * here: each counts, and the one numbered allocfail_at fails.
 */
#ifndef EC_ALLOCFAIL_H
#define EC_ALLOCFAIL_H

#include <stddef.h>

/* Allocations counted since the test last set it to 0. */
extern long allocfail_count;
/* The allocation (1-based, in allocfail_count) that returns NULL; 0: none. */
extern long allocfail_at;

/* The wrapped malloc, for hooks such as json_set_alloc_funcs. */
void *__wrap_malloc(size_t size);

/* Start counting afresh and fail allocation n (0: fail none). */
static inline void allocfail_arm(long n)
{
    allocfail_count = 0;
    allocfail_at = n;
}

#endif
