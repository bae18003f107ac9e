/* The CLINT timer for the directed JIT programs that need an interrupt
 * from it (include after common.h): arm_timer sets mtimecmp TICKS ahead of
 * mtime, far enough for the program to reach the loop it means to
 * interrupt, near enough for the run to stay short. */
#ifndef TESTS_JIT_CLINT_H
#define TESTS_JIT_CLINT_H

#define TICKS 20000 /* 2 ms at 10 MHz */

    .text
/* mtimecmp = mtime + TICKS. Clobbers t0, t1. */
arm_timer:
    li t0, CLINT_MTIME
    ld t1, 0(t0)
    li t0, TICKS
    add t1, t1, t0
    li t0, CLINT_MTIMECMP
    sd t1, 0(t0)
    ret
#endif
