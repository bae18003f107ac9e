/* Timer interrupts delivered into hot loops, the handler returning into
 * the loop (mret to mepc): an engine that checks for interrupts only when
 * it looks a block up, or that keeps loop registers in host registers
 * across the interrupt, either never leaves the loop (the run times out)
 * or ends with registers breaking the loop's invariants. The handler
 * records mepc, s3 and s4 and sets s5 = 1, which ends every loop.
 *   1 a multi-block (if/else) loop: a0 = a1 + a2 with a1 - a2 in {0, 1}
 *   2 a loop calling a function: s4 = sum over i < s3 of 3i + 1
 *   3 a self-loop polling a flag in memory that the handler sets
 *   4 the timer already pending (mip.MTIP seen), MIE set by csrsi inside
 *     the loop at iteration 7, then mie.MTIE set by csrs at iteration 9:
 *     the interrupt is taken right after the enabling instruction
 *   5 the loop raising its own software interrupt by a store to msip at
 *     i == 17 (MIE, MSIE on): taken after the store, at the latest at the
 *     back edge (s3 = 17 or 18); where exactly is the implementation's
 *     choice, and the interpreter and the JIT differ, so not for lockstep
 *   6 a loop that ends only once its first instruction has been rewritten
 *     (addi a0, x0, 1 -> 2) by the timer handler, which runs fence.i
 *   7 wfi in a loop with MIE off: wakes when the timer is pending
 * Reads host time (the CLINT timer): not for lockstep.
 * Spec: privileged 3.1.9 (mip/mie), 3.2.1 (mtime/mtimecmp), 3.3.2. */
#include "common.h"
#include "clint.h"

#define LI_A0(imm) ((((imm) & 0xfff) << 20) | 0x513) /* addi a0, x0, imm */

    /* mtimecmp = 0, then wait until mip.MTIP shows it pending. */
    .macro PEND_TIMER
    li t0, CLINT_MTIMECMP
    sd zero, 0(t0)
1:  csrr t0, mip
    andi t0, t0, MIP_MTIP
    beqz t0, 1b
    .endm

    .text
    .globl test_main
test_main:
    la t0, irq_m
    csrw mtvec, t0
    li s1, 0                            /* interrupts taken */
    li t0, MIP_MTIP
    csrw mie, t0

    /* 1: an if/else loop */
    TEST_NUM(1)
    li s3, 0
    li s5, 0
    li a0, 0
    li a1, 0
    li a2, 0
    jal arm_timer
    csrsi mstatus, MSTATUS_MIE
1:  addi a0, a0, 1
    andi t0, a0, 1
    beqz t0, 2f
    addi a1, a1, 1
    j 3f
2:  addi a2, a2, 1
3:  beqz s5, 1b
    csrci mstatus, MSTATUS_MIE
    CHECK_EQ(s1, 1)
    add t0, a1, a2
    CHECK_REGS(a0, t0)
    sub t0, a1, a2
    li t1, 1
    bgtu t0, t1, fail
    la a3, 1b
    la a4, 3b
    jal check_epc

    /* 2: a loop calling a function */
    TEST_NUM(2)
    li s3, 0
    li s4, 0
    li s5, 0
    jal arm_timer
    csrsi mstatus, MSTATUS_MIE
1:  mv a0, s3
    jal fn_3x1
    add s4, s4, a0
    addi s3, s3, 1
2:  beqz s5, 1b
    csrci mstatus, MSTATUS_MIE
    CHECK_EQ(s1, 2)
    beqz s3, fail
    addi t0, s3, -1                     /* 3 s3 (s3 - 1) / 2 + s3 */
    mul t0, t0, s3
    srli t0, t0, 1
    slli t1, t0, 1
    add t0, t0, t1
    add t0, t0, s3
    CHECK_REGS(s4, t0)
    la a3, 1b                           /* the loop or the function */
    la a4, fn_3x1_end
    jal check_epc

    /* 3: a self-loop polling a flag in memory */
    TEST_NUM(3)
    li s5, 0
    la s2, irq_flag
    sw zero, 0(s2)
    li a0, 0
    jal arm_timer
    csrsi mstatus, MSTATUS_MIE
1:  addi a0, a0, 1
    lw t0, 0(s2)
    beqz t0, 1b
    csrci mstatus, MSTATUS_MIE
    CHECK_EQ(s1, 3)
    CHECK_EQ(s5, 1)
    beqz a0, fail

    /* 4a: the timer pending, MIE = 0; the loop sets MIE at i == 7 */
    TEST_NUM(4)
    li s5, 0
    PEND_TIMER
    li s3, 0
    li s4, 0
    li s6, 20
    li s7, 7
1:  addi s4, s4, 3
    bne s3, s7, 2f
    csrsi mstatus, MSTATUS_MIE
3:  nop
2:  addi s3, s3, 1
    bne s3, s6, 1b
    csrci mstatus, MSTATUS_MIE
    CHECK_EQ(s1, 4)
    CHECK_EQ(s4, 60)
    la a3, 3b
    mv a4, a3
    jal check_epc
    la t0, irq_s3
    ld t0, 0(t0)
    CHECK_EQ(t0, 7)

    /* 4b: the timer pending, MIE = 1, mie = 0; mie.MTIE set at i == 9 */
    TEST_NUM(5)
    csrw mie, zero
    PEND_TIMER
    csrsi mstatus, MSTATUS_MIE
    li s3, 0
    li s4, 0
    li s6, 20
    li s7, 9
    li s8, MIP_MTIP
1:  addi s4, s4, 3
    bne s3, s7, 2f
    csrs mie, s8
3:  nop
2:  addi s3, s3, 1
    bne s3, s6, 1b
    csrci mstatus, MSTATUS_MIE
    csrw mie, zero
    CHECK_EQ(s1, 5)
    CHECK_EQ(s4, 60)
    la a3, 3b
    mv a4, a3
    jal check_epc
    la t0, irq_s3
    ld t0, 0(t0)
    CHECK_EQ(t0, 9)

    /* 5: the loop's own store to msip at i == 17; s4 = 2 (i + 1) */
    TEST_NUM(6)
    li t0, MIP_MSIP
    csrw mie, t0
    csrsi mstatus, MSTATUS_MIE
    li s3, 0
    li s4, 0
    li s6, 40
    li s10, 17
    li t2, CLINT_MSIP
    li t3, 1
1:  addi s4, s4, 2
    bne s3, s10, 2f
    sw t3, 0(t2)
2:  addi s3, s3, 1
    bne s3, s6, 1b
    csrci mstatus, MSTATUS_MIE
    csrw mie, zero
    CHECK_EQ(s1, 6)
    CHECK_EQ(s4, 80)
    la t0, irq_s4
    ld t0, 0(t0)
    CHECK_EQ(t0, 36)
    la t0, irq_s3
    ld t0, 0(t0)
    addi t0, t0, -17
    li t1, 1
    bgtu t0, t1, fail

    /* 6: the handler rewrites the loop's first instruction (a6 = the word
     * to store at a5, then fence.i): the loop ends when it runs it */
    TEST_NUM(7)
    la a5, 1f
    li t0, LI_A0(1)
    sw t0, 0(a5)
    fence.i
    li a6, LI_A0(2)
    li s3, 0
    li s6, 2
    li t0, MIP_MTIP
    csrw mie, t0
    jal arm_timer
    csrsi mstatus, MSTATUS_MIE
    .option push
    .option norvc
1:  addi a0, x0, 1
    addi s3, s3, 1
    bne a0, s6, 1b
    .option pop
    csrci mstatus, MSTATUS_MIE
    CHECK_EQ(s1, 7)
    CHECK_EQ(a0, 2)
    li a6, 0

    /* 7: wfi with MIE = 0 returns once the timer is pending */
    TEST_NUM(8)
    li s3, 0
    jal arm_timer
1:  wfi
    addi s3, s3, 1
    csrr t0, mip
    andi t0, t0, MIP_MTIP
    beqz t0, 1b
    li t0, CLINT_MTIMECMP
    li t1, -1
    sd t1, 0(t0)
    csrw mie, zero
    CHECK_EQ(s1, 7)                     /* not taken */
    beqz s3, fail
    la t0, trap_m
    csrw mtvec, t0
    PASS

/* Fail unless the recorded mepc is in [a3, a4]. Clobbers t0. */
check_epc:
    la t0, irq_epc
    ld t0, 0(t0)
    bltu t0, a3, fail
    bgtu t0, a4, fail
    ret

/* a0 = 3 a0 + 1, in a few blocks */
fn_3x1:
    slli t1, a0, 1
    beqz a0, 1f
    add a0, a0, t1
    addi a0, a0, 1
    ret
1:  li a0, 1
fn_3x1_end:
    ret

/* Machine timer and software interrupt handler: disarm the one taken,
 * count, store a6 at a5 (fence.i) if a6 is not 0, record mepc, s3 and
 * s4, set s5 and irq_flag, return into the loop. Anything else (the magic ecall of `fail`) goes to trap_m. */
    .balign 4
irq_m:
    csrrw sp, mscratch, sp
    sd t0, -8(sp)
    sd t1, -16(sp)
    csrr t0, mcause
    li t1, CAUSE_INTR | IRQ_MTI
    beq t0, t1, 1f
    li t1, CAUSE_INTR | IRQ_MSI
    bne t0, t1, 3f
    li t0, CLINT_MSIP
    sw zero, 0(t0)
    j 2f
1:  li t0, CLINT_MTIMECMP
    li t1, -1
    sd t1, 0(t0)
2:  addi s1, s1, 1
    beqz a6, 4f                         /* check 6: rewrite the loop */
    sw a6, 0(a5)
    fence.i
4:  csrr t0, mepc
    la t1, irq_epc
    sd t0, 0(t1)
    la t1, irq_s3
    sd s3, 0(t1)
    la t1, irq_s4
    sd s4, 0(t1)
    li s5, 1
    la t1, irq_flag
    li t0, 1
    sw t0, 0(t1)
    ld t0, -8(sp)
    ld t1, -16(sp)
    csrrw sp, mscratch, sp
    mret
3:  ld t0, -8(sp)
    ld t1, -16(sp)
    csrrw sp, mscratch, sp
    j trap_m

    .data
    .balign 8
irq_s4:
    .dword 0
irq_epc:
    .dword 0
irq_s3:
    .dword 0
irq_flag:
    .word 0
