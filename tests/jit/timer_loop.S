/* A timer interrupt must reach a hart spinning in a loop that never leaves
 * its block (`1: j 1b`, a loop of a few ALU instructions, a compressed
 * loop): the engine
 * has to check for interrupts on a backward branch into the same block, not
 * only when it looks a block up. M-mode timer from the CLINT.
 * Spec: privileged 3.1.9 (mip/mie), 3.2.1 (mtime/mtimecmp), 3.3.1. */
#include "common.h"
#include "clint.h"

    .text
    .globl test_main
test_main:
    /* 1: `1: j 1b` in M-mode with MTIE and MIE set */
    TEST_NUM(1)
    la t0, mtimer
    csrw mtvec, t0
    li s1, 0                            /* interrupts taken */
    jal arm_timer
    li t0, MIP_MTIP
    csrw mie, t0
    csrsi mstatus, MSTATUS_MIE
    la s2, 2f                           /* where the handler resumes */
1:  j 1b
2:  csrci mstatus, MSTATUS_MIE
    CHECK_EQ(s1, 1)

    /* 2: a tight ALU loop (a few instructions, one block) */
    TEST_NUM(2)
    jal arm_timer
    csrsi mstatus, MSTATUS_MIE
    la s2, 4f
    li a0, 0
3:  addi a0, a0, 1
    xori a1, a0, 5
    j 3b
4:  csrci mstatus, MSTATUS_MIE
    CHECK_EQ(s1, 2)
    beqz a0, fail                       /* the loop ran */

    /* 3: a tight loop of compressed instructions */
    TEST_NUM(3)
    jal arm_timer
    csrsi mstatus, MSTATUS_MIE
    la s2, 6f
    .option push
    .option rvc
5:  c.addi a0, 1
    c.j 5b
    .option pop
6:  csrci mstatus, MSTATUS_MIE
    CHECK_EQ(s1, 3)
    csrw mie, zero
    la t0, trap_m
    csrw mtvec, t0
    PASS

/* Machine timer handler: disarm, count, resume at s2 with MIE off. */
    .balign 4
mtimer:
    csrr t0, mcause
    li t1, CAUSE_INTR | IRQ_MTI
    bne t0, t1, fail
    li t0, CLINT_MTIMECMP
    li t1, -1
    sd t1, 0(t0)
    addi s1, s1, 1
    csrw mepc, s2
    li t0, MSTATUS_MPIE
    csrc mstatus, t0
    mret
