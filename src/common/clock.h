/* Guest time. mtime follows the host monotonic clock at the advertised
 * timebase, so guest time is right whatever the emulation speed. An offset
 * lets a restored VM continue from the time it was saved at. */
#ifndef RVMM_COMMON_CLOCK_H
#define RVMM_COMMON_CLOCK_H

#include "common/types.h"
#include <time.h>

#define CLOCK_TIMEBASE_HZ 10000000ULL /* 10 MHz, as QEMU's virt */

/* offset is written by the CLINT (a guest mtime write, on any vCPU thread)
 * and read by every vCPU: it is only accessed atomically, through these
 * helpers, so a reader never sees a torn or intermediate value. */
struct vclock {
    int64_t offset; /* added to the host-derived tick count */
};

static inline int64_t vclock_offset(const struct vclock *c)
{
    return __atomic_load_n(&c->offset, __ATOMIC_RELAXED);
}

static inline uint64_t clock_host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static inline uint64_t vclock_ticks(const struct vclock *c)
{
    return clock_host_ns() / (1000000000ULL / CLOCK_TIMEBASE_HZ) + (uint64_t)vclock_offset(c);
}

/* Host monotonic ns at which the clock reaches the given tick count. */
static inline uint64_t vclock_ticks_to_host_ns(const struct vclock *c, uint64_t ticks)
{
    return (ticks - (uint64_t)vclock_offset(c)) * (1000000000ULL / CLOCK_TIMEBASE_HZ);
}

/* Makes the clock read `ticks` now. */
static inline void vclock_set(struct vclock *c, uint64_t ticks)
{
    uint64_t host = clock_host_ns() / (1000000000ULL / CLOCK_TIMEBASE_HZ);
    __atomic_store_n(&c->offset, (int64_t)(ticks - host), __ATOMIC_RELAXED);
}

#endif
