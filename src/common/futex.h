/* A sleep/wake word for one waiting thread, on the raw futex: a sleeper
 * reads the word, checks what it waits for, and sleeps only while the word
 * is unchanged; a waker changes what is checked, bumps the word and wakes.
 * One system call per sleep and none per wake-up by timeout, where a
 * condition variable costs a second one (glibc re-takes the mutex marked
 * contended after a wait, so its unlock always calls FUTEX_WAKE): what a
 * vCPU woken 250 times a second by its guest's timer tick pays. Must not
 * hold any state beyond the word itself. */
#ifndef RVMM_COMMON_FUTEX_H
#define RVMM_COMMON_FUTEX_H

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The value to pass to futex_sleep_until(): read before checking. */
static inline uint32_t futex_word_read(const uint32_t *w)
{
    return __atomic_load_n(w, __ATOMIC_ACQUIRE);
}

/* Sleeps while *w == seen, until woken or CLOCK_MONOTONIC reaches
 * deadline_ns (UINT64_MAX: no deadline). Returns 0 when woken or the word
 * had changed, -ETIMEDOUT, or -EINTR. */
static inline int futex_sleep_until(uint32_t *w, uint32_t seen, uint64_t deadline_ns)
{
    struct timespec ts = {(time_t)(deadline_ns / 1000000000ULL),
                          (long)(deadline_ns % 1000000000ULL)};
    /* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC time: a wait
     * restarted after a signal keeps its deadline. */
    long r = syscall(SYS_futex, w, FUTEX_WAIT_BITSET_PRIVATE, seen,
                     deadline_ns == UINT64_MAX ? NULL : &ts, NULL, FUTEX_BITSET_MATCH_ANY);
    if (r == 0 || errno == EAGAIN) return 0;
    return -errno;
}

/* Changes the word (after the state the sleeper checks has changed) and
 * wakes the thread sleeping on it, if any. */
static inline void futex_word_wake(uint32_t *w)
{
    __atomic_fetch_add(w, 1, __ATOMIC_RELEASE);
    syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

#endif
