/* Interrupts: CLINT software (msip) and timer (mtime/mtimecmp) interrupts
 * to M through a vectored mtvec (base + 4 * cause), global and per-source
 * enables (mstatus.MIE, mie), the fixed priority MSI > MTI, M-level
 * interrupts always enabled below M, delegation with mideleg: supervisor
 * software (sip.SSIP), timer and external interrupts injected through mip
 * taken in S via stvec in direct and vectored mode, masked in S by SIE=0
 * but not in U, never taken in M; an undelegated SSI taken in M from S
 * even with MIE = 0;
 * and WFI resuming when an enabled interrupt is pending even with MIE=0,
 * including a timer interrupt that becomes pending during WFI.
 * Spec: privileged 3.1.6.1, 3.1.7 (mtvec), 3.1.8-3.1.9 (mideleg, mip/mie,
 * priorities), 3.2.1 (mtime), 3.3.3 (WFI), 4.1.2-4.1.3; the CLINT layout
 * of the QEMU virt machine. */
#include "common.h"

/* irq_rec: what the interrupt handlers saw */
#define IR_COUNT 0
#define IR_CAUSE 8
#define IR_EPC   16
#define IR_INDEX 24
#define IR_STATUS 32
#define IR_LOG   40     /* 8 bytes: vector index of each interrupt, in order */

    .macro IRQ_RESET rec
    la t5, \rec
    sd zero, IR_COUNT(t5)
    li t6, -1
    sd t6, IR_CAUSE(t5)
    sd t6, IR_INDEX(t5)
    sd zero, IR_LOG(t5)
    .endm
    .macro CHECK_IRQ rec, count, index
    la t5, \rec
    ld t5, IR_COUNT(t5)
    CHECK_EQ(t5, \count)
    la t5, \rec
    ld t5, IR_CAUSE(t5)
    CHECK_EQ(t5, CAUSE_INTR | \index)
    la t5, \rec
    ld t5, IR_INDEX(t5)
    CHECK_EQ(t5, \index)
    .endm
    .macro CHECK_NO_IRQ rec
    la t5, \rec
    ld t5, IR_COUNT(t5)
    CHECK_EQ(t5, 0)
    .endm
    /* Spin until rec's count is nonzero, at most 10^7 mtime ticks (1 s at
     * QEMU's 10 MHz): delivery of a due timer interrupt may lag. */
    .macro WAIT_IRQ rec
    li t4, CLINT_MTIME
    ld t4, 0(t4)
    li t5, 10000000
    add t4, t4, t5
10040:
    la t5, \rec
    ld t5, IR_COUNT(t5)
    bnez t5, 10041f
    li t5, CLINT_MTIME
    ld t5, 0(t5)
    bltu t5, t4, 10040b
10041:
    .endm

    .text
    .globl test_main
test_main:
    csrw mie, zero
    csrw mideleg, zero
    /* mtimecmp far in the future: MTIP clear */
    TEST_NUM(1)
    li a0, CLINT_MTIMECMP
    li a1, -1
    sd a1, 0(a0)
    csrr a0, mip
    andi a0, a0, MIP_MTIP
    CHECK_EQ(a0, 0)
    /* msip drives mip.MSIP; MIE = 0 keeps it from being taken */
    TEST_NUM(2)
    la a0, mvec
    ori a0, a0, 1
    csrw mtvec, a0
    IRQ_RESET irq_rec
    li a0, MIP_MSIP
    csrw mie, a0
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)
    csrr a2, mip
    andi a2, a2, MIP_MSIP
    CHECK_EQ(a2, MIP_MSIP)
    nop
    nop
    CHECK_NO_IRQ irq_rec
    sw zero, 0(a0)
    csrr a2, mip
    andi a2, a2, MIP_MSIP
    CHECK_EQ(a2, 0)
    /* MSI taken through the vector as soon as MIE is set; mepc is the
     * next instruction; mret restores MIE */
    TEST_NUM(3)
    IRQ_RESET irq_rec
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)
    csrsi mstatus, MSTATUS_MIE
1:  nop
    csrci mstatus, MSTATUS_MIE
    CHECK_IRQ irq_rec, 1, IRQ_MSI
    la t5, irq_rec
    ld a0, IR_EPC(t5)
    la a1, 1b
    CHECK_REGS(a0, a1)
    la t5, irq_rec                      /* MPIE = 1 (MIE was 1), MPP = M */
    ld a0, IR_STATUS(t5)
    li a1, MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MIE
    and a0, a0, a1
    CHECK_EQ(a0, MSTATUS_MPIE | MSTATUS_MPP_M)

    /* machine timer: mtimecmp = mtime + 1000 */
    TEST_NUM(4)
    IRQ_RESET irq_rec
    li a0, MIP_MTIP
    csrw mie, a0
    li a0, CLINT_MTIME
    ld a1, 0(a0)
    addi a1, a1, 1000
    li a0, CLINT_MTIMECMP
    sd a1, 0(a0)
    csrsi mstatus, MSTATUS_MIE
    WAIT_IRQ irq_rec
    csrci mstatus, MSTATUS_MIE
    CHECK_IRQ irq_rec, 1, IRQ_MTI
    li a0, CLINT_MTIME                  /* it fired no earlier than due */
    ld a0, 0(a0)
    bltu a0, a1, fail
    csrr a0, mip                        /* the handler moved mtimecmp */
    andi a0, a0, MIP_MTIP
    CHECK_EQ(a0, 0)
    /* MTIP follows mtimecmp <= mtime */
    TEST_NUM(5)
    li a0, CLINT_MTIMECMP
    sd zero, 0(a0)
    csrr a1, mip
    andi a1, a1, MIP_MTIP
    CHECK_EQ(a1, MIP_MTIP)
    li a1, -1
    sd a1, 0(a0)
    csrr a1, mip
    andi a1, a1, MIP_MTIP
    CHECK_EQ(a1, 0)

    /* priority: MSI before MTI when both are pending */
    TEST_NUM(6)
    IRQ_RESET irq_rec
    li a0, MIP_MSIP | MIP_MTIP
    csrw mie, a0
    li a0, CLINT_MTIMECMP
    sd zero, 0(a0)
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)
    csrsi mstatus, MSTATUS_MIE
    nop
    nop
    csrci mstatus, MSTATUS_MIE
    la t5, irq_rec
    ld a0, IR_COUNT(t5)
    CHECK_EQ(a0, 2)
    lbu a0, IR_LOG(t5)
    CHECK_EQ(a0, IRQ_MSI)
    lbu a0, IR_LOG + 1(t5)
    CHECK_EQ(a0, IRQ_MTI)
    csrw mie, zero

    /* delegated SSI: pending in M with MIE = 1, it is not taken in M */
    la a0, svec_direct
    csrw stvec, a0
    li a0, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrw mideleg, a0
    TEST_NUM(7)
    IRQ_RESET irq_rec
    IRQ_RESET sirq_rec
    li a0, MIP_SSIP
    csrw mie, a0
    csrs mip, a0
    csrsi mstatus, MSTATUS_MIE
    nop
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_NO_IRQ irq_rec
    CHECK_NO_IRQ sirq_rec
    /* in S with SIE = 0: still pending, not taken; setting SIE takes it
     * through stvec in direct mode */
    TEST_NUM(8)
    csrci mstatus, MSTATUS_SIE
    GOTO_MODE PRV_S, 1f
1:  nop
    nop
    CHECK_NO_IRQ sirq_rec
    csrsi sstatus, MSTATUS_SIE
2:  nop
    csrci sstatus, MSTATUS_SIE
    GOTO_M 3f
3:  CHECK_IRQ sirq_rec, 1, IRQ_SSI
    la t5, sirq_rec
    ld a0, IR_EPC(t5)
    la a1, 2b
    CHECK_REGS(a0, a1)
    la t5, sirq_rec                     /* SPP = S, SPIE = 1 */
    ld a0, IR_STATUS(t5)
    andi a0, a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
    CHECK_EQ(a0, MSTATUS_SPP | MSTATUS_SPIE)
    CHECK_NO_IRQ irq_rec
    /* stvec vectored: S sets its own SSIP */
    TEST_NUM(9)
    IRQ_RESET sirq_rec
    la a0, svec
    ori a0, a0, 1
    csrw stvec, a0
    GOTO_MODE PRV_S, 1f
1:  csrsi sstatus, MSTATUS_SIE
    csrsi sip, MIP_SSIP
    nop
    csrci sstatus, MSTATUS_SIE
    GOTO_M 3f
3:  CHECK_IRQ sirq_rec, 1, IRQ_SSI
    csrr a0, mip
    andi a0, a0, MIP_SSIP
    CHECK_EQ(a0, 0)                     /* the S handler cleared it */
    /* in U an S interrupt is taken whatever SIE says */
    TEST_NUM(10)
    IRQ_RESET sirq_rec
    csrci mstatus, MSTATUS_SIE
    csrsi mip, MIP_SSIP
    GOTO_MODE PRV_U, 1f
1:  nop
    GOTO_M 3f
3:  CHECK_IRQ sirq_rec, 1, IRQ_SSI
    la t5, sirq_rec
    ld a0, IR_EPC(t5)
    la a1, 1b
    CHECK_REGS(a0, a1)
    la t5, sirq_rec
    ld a0, IR_STATUS(t5)
    andi a0, a0, MSTATUS_SPP
    CHECK_EQ(a0, 0)
    /* supervisor timer interrupt injected by M through mip.STIP */
    TEST_NUM(11)
    IRQ_RESET sirq_rec
    li a0, MIP_STIP
    csrw mie, a0
    csrs mip, a0
    csrr a1, mip
    and a1, a1, a0
    CHECK_REGS(a1, a0)
    GOTO_MODE PRV_S, 1f
1:  csrsi sstatus, MSTATUS_SIE
    nop
    csrci sstatus, MSTATUS_SIE
    GOTO_M 3f
3:  CHECK_IRQ sirq_rec, 1, IRQ_STI
    li a0, MIP_STIP
    csrc mip, a0
    /* supervisor external interrupt injected through mip.SEIP */
    TEST_NUM(12)
    IRQ_RESET sirq_rec
    li a0, MIP_SEIP
    csrw mie, a0
    csrs mip, a0
    GOTO_MODE PRV_S, 1f
1:  csrsi sstatus, MSTATUS_SIE
    nop
    csrci sstatus, MSTATUS_SIE
    GOTO_M 3f
3:  CHECK_IRQ sirq_rec, 1, IRQ_SEI
    li a0, MIP_SEIP
    csrc mip, a0
    /* not delegated: an SSI pending in S goes to M (M-level enables are
     * on below M whatever MIE says) */
    TEST_NUM(13)
    csrw mideleg, zero
    IRQ_RESET irq_rec
    IRQ_RESET sirq_rec
    li a0, MIP_SSIP
    csrw mie, a0
    csrci mstatus, MSTATUS_MIE
    csrsi mip, MIP_SSIP                 /* (sip.SSIP is read-only zero now) */
    nop
    CHECK_NO_IRQ irq_rec                /* MIE = 0 in M */
    GOTO_MODE PRV_S, 1f
1:  nop
    GOTO_M 3f
3:  CHECK_IRQ irq_rec, 1, IRQ_SSI
    CHECK_NO_IRQ sirq_rec
    la t5, irq_rec
    ld a0, IR_STATUS(t5)
    srli a0, a0, 11
    andi a0, a0, 3
    CHECK_EQ(a0, PRV_S)
    csrw mie, zero

    /* WFI with a pending enabled interrupt and MIE = 0: resumes, no trap */
    TEST_NUM(14)
    IRQ_RESET irq_rec
    li a0, MIP_MSIP
    csrw mie, a0
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)
    wfi
    CHECK_NO_IRQ irq_rec
    csrr a2, mip
    andi a2, a2, MIP_MSIP
    CHECK_EQ(a2, MIP_MSIP)
    sw zero, 0(a0)
    /* WFI wakes when the timer becomes pending, MIE = 0 (WFI may also
     * return early: loop until MTIP) */
    TEST_NUM(15)
    li a0, MIP_MTIP
    csrw mie, a0
    li a0, CLINT_MTIME
    ld a1, 0(a0)
    li a2, 20000
    add a1, a1, a2
    li a0, CLINT_MTIMECMP
    sd a1, 0(a0)
    li a3, 1000000
1:  wfi
    csrr a2, mip
    andi a2, a2, MIP_MTIP
    bnez a2, 2f
    addi a3, a3, -1
    bnez a3, 1b
    j fail
2:  CHECK_NO_IRQ irq_rec
    li a0, CLINT_MTIME
    ld a0, 0(a0)
    bltu a0, a1, fail
    /* WFI with MIE = 1: the timer interrupt is taken after the WFI */
    TEST_NUM(16)
    IRQ_RESET irq_rec
    li a0, CLINT_MTIME
    ld a1, 0(a0)
    li a2, 20000
    add a1, a1, a2
    li a0, CLINT_MTIMECMP
    sd a1, 0(a0)
    li a3, 1000000
    csrsi mstatus, MSTATUS_MIE
1:  wfi
    la t5, irq_rec
    ld a2, IR_COUNT(t5)
    bnez a2, 2f
    addi a3, a3, -1
    bnez a3, 1b
    j fail
2:  csrci mstatus, MSTATUS_MIE
    CHECK_IRQ irq_rec, 1, IRQ_MTI
    csrw mie, zero

    la a0, trap_m
    csrw mtvec, a0
    PASS

/* ---- M vector table: exceptions to the common handler ---- */
    .balign 256
    .option push
    .option norvc                       /* 4-byte entries */
mvec:
    j trap_m
    .irp k, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    j mirq_\k
    .endr
    .option pop
    .irp k, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
mirq_\k:
    csrrw sp, mscratch, sp
    sd t0, -8(sp)
    li t0, \k
    j mirq_common
    .endr
mirq_common:
    sd t1, -16(sp)
    sd t2, -24(sp)
    la t1, irq_rec
    sd t0, IR_INDEX(t1)
    ld t2, IR_COUNT(t1)
    add t2, t2, t1
    sb t0, IR_LOG(t2)                   /* log[count] = index */
    sub t2, t2, t1
    addi t2, t2, 1
    sd t2, IR_COUNT(t1)
    csrr t2, mcause
    sd t2, IR_CAUSE(t1)
    csrr t2, mepc
    sd t2, IR_EPC(t1)
    csrr t2, mstatus
    sd t2, IR_STATUS(t1)
    /* silence the source */
    li t2, IRQ_MSI
    bne t0, t2, 1f
    li t1, CLINT_MSIP
    sw zero, 0(t1)
1:  li t2, IRQ_MTI
    bne t0, t2, 1f
    li t1, CLINT_MTIMECMP
    li t2, -1
    sd t2, 0(t1)
1:  li t2, IRQ_SSI
    bne t0, t2, 1f
    csrci mip, MIP_SSIP
1:  ld t0, -8(sp)
    ld t1, -16(sp)
    ld t2, -24(sp)
    csrrw sp, mscratch, sp
    mret

/* ---- S handlers: direct (interrupts, else the common handler) ---- */
    .balign 4
svec_direct:
    csrrw sp, sscratch, sp
    sd t0, -8(sp)
    csrr t0, scause
    bltz t0, 1f
    ld t0, -8(sp)
    csrrw sp, sscratch, sp
    j trap_s
1:  slli t0, t0, 1
    srli t0, t0, 1
    j sirq_common

/* vectored */
    .balign 256
    .option push
    .option norvc
svec:
    j trap_s
    .irp k, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    j sirq_\k
    .endr
    .option pop
    .irp k, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
sirq_\k:
    csrrw sp, sscratch, sp
    sd t0, -8(sp)
    li t0, \k
    j sirq_common
    .endr
sirq_common:
    sd t1, -16(sp)
    sd t2, -24(sp)
    la t1, sirq_rec
    sd t0, IR_INDEX(t1)
    ld t2, IR_COUNT(t1)
    addi t2, t2, 1
    sd t2, IR_COUNT(t1)
    csrr t2, scause
    sd t2, IR_CAUSE(t1)
    csrr t2, sepc
    sd t2, IR_EPC(t1)
    csrr t2, sstatus
    sd t2, IR_STATUS(t1)
    /* silence: SSIP is writable in sip; STIP/SEIP are not, mask them */
    csrci sip, MIP_SSIP
    li t2, IRQ_STI
    bne t0, t2, 1f
    li t2, MIP_STIP
    csrc sie, t2
1:  li t2, IRQ_SEI
    bne t0, t2, 1f
    li t2, MIP_SEIP
    csrc sie, t2
1:  ld t0, -8(sp)
    ld t1, -16(sp)
    ld t2, -24(sp)
    csrrw sp, sscratch, sp
    sret

    .data
    .balign 64
irq_rec:
    .skip 64
sirq_rec:
    .skip 64
