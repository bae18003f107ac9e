/* A minimal unit-test harness: each test is a function; ut_run() prints one
 * "PASS name" or "FAIL name" line that tests/run.sh counts. */
#ifndef RVMM_TESTS_UT_H
#define RVMM_TESTS_UT_H

#include <stdio.h>

struct ut_state {
    int failed_checks;
    int passed, failed;
};

extern struct ut_state ut;

#define UT_CHECK(cond) ut_check(!!(cond), #cond, __FILE__, __LINE__)
#define UT_EQ(a, b)                                                                                \
    ut_check_eq((unsigned long long)(a), (unsigned long long)(b), #a " == " #b, __FILE__, __LINE__)

static inline void ut_check(int ok, const char *what, const char *file, int line)
{
    if (!ok) {
        ut.failed_checks++;
        fprintf(stderr, "  %s:%d: check failed: %s\n", file, line, what);
    }
}

static inline void ut_check_eq(unsigned long long a, unsigned long long b, const char *what,
                               const char *file, int line)
{
    if (a != b) {
        ut.failed_checks++;
        fprintf(stderr, "  %s:%d: %s: got 0x%llx, want 0x%llx\n", file, line, what, a, b);
    }
}

static inline void ut_run(const char *name, void (*fn)(void))
{
    int before = ut.failed_checks;
    fn();
    if (ut.failed_checks == before) {
        ut.passed++;
        printf("PASS %s\n", name);
    } else {
        ut.failed++;
        printf("FAIL %s\n", name);
    }
    fflush(stdout);
}

#define UT_MAIN_STATE struct ut_state ut;

static inline int ut_exit(void)
{
    return ut.failed ? 1 : 0;
}

#endif
