/* The mstatus trap-virtualization bits. TSR: sret in S is an illegal
 * instruction (mtval = the instruction), in M it still works. TW: wfi in
 * S (and U) is illegal when no interrupt could end it (the spec's time
 * limit may be 0, and with nothing pending it would wait forever); with
 * TW = 0 a wfi in S with an enabled pending interrupt completes; wfi in
 * M ignores TW. wfi in U with TW = 0 may complete or be illegal (QEMU 7.2:
 * illegal); both are accepted. TVM: satp reads/writes and sfence.vma in
 * S are illegal, in M they are not; with TVM = 0 they are legal in S.
 * Spec: privileged 3.1.6.5. */
#include "common.h"

#define SRET      0x10200073
#define WFI       0x10500073
#define CSRR_SATP 0x18002573    /* csrr a0, satp */
#define CSRW_SATP 0x18059073    /* csrw satp, a1 */
#define SFENCE    0x12000073    /* sfence.vma */
#define SFENCE_AB 0x12b50073    /* sfence.vma a0, a1 */

    .text
    .globl test_main
test_main:
    csrw mie, zero
    csrw mideleg, zero
    li a0, CLINT_MTIMECMP               /* no timer interrupt pending */
    li a1, -1
    sd a1, 0(a0)

    /* TSR */
    li a0, MSTATUS_TSR
    csrs mstatus, a0
    TEST_NUM(1)                         /* set up sepc/SPP so a legal sret */
    la a0, 1f                           /* would land at 1f in S */
    csrw sepc, a0
    li a0, MSTATUS_SPP
    csrs mstatus, a0
    TRAP_RESUME 2f
    GOTO_MODE PRV_S, 3f
3:  la a0, 1f
    csrw sepc, a0
4:  sret
1:  j fail
2:  CHECK_TRAP CAUSE_ILLEGAL_INSN, SRET
    CHECK_TRAP_FROM PRV_S
    CHECK_TRAP_EPC 4b
    /* TSR does not affect M */
    TEST_NUM(2)
    li a0, MSTATUS_SPP
    csrs mstatus, a0
    la a0, 1f
    csrw sepc, a0
    sret
    j fail
1:  li a7, 0                            /* now in S */
    TRAP_RESUME 2f
    ecall
2:  CHECK_TRAP_CAUSE CAUSE_ECALL_S
    /* TSR = 0: sret in S works */
    TEST_NUM(3)
    li a0, MSTATUS_TSR
    csrc mstatus, a0
    GOTO_MODE PRV_S, 3f
3:  li a0, MSTATUS_SPP
    csrc sstatus, a0
    la a0, 1f
    csrw sepc, a0
    sret
    j fail
1:  li a7, 0                            /* now in U */
    TRAP_RESUME 2f
    ecall
2:  CHECK_TRAP_CAUSE CAUSE_ECALL_U

    /* TW = 1, nothing pending: wfi in S and U is illegal */
    li a0, MSTATUS_TW
    csrs mstatus, a0
    TEST_ILLEGAL_IN(4, PRV_S, WFI)
    TEST_ILLEGAL_IN(5, PRV_U, WFI)
    /* TW = 1 does not apply to M (an enabled interrupt is pending, MIE = 0) */
    TEST_NUM(6)
    li a0, MIP_MSIP
    csrw mie, a0
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)
    wfi
    sw zero, 0(a0)
    csrw mie, zero
    /* TW = 0: wfi in S completes when an interrupt is pending: SSI
     * delegated, enabled in sie, masked by SIE = 0 */
    TEST_NUM(7)
    li a0, MSTATUS_TW
    csrc mstatus, a0
    li a0, MIP_SSIP
    csrw mideleg, a0
    csrw mie, a0
    csrs mip, a0
    csrci mstatus, MSTATUS_SIE
    GOTO_MODE PRV_S, 1f
1:  wfi
    csrci sip, MIP_SSIP
    GOTO_M 2f
2:  csrw mie, zero
    csrw mideleg, zero
    /* TW = 0, wfi in U: illegal, or it waits and the machine timer
     * (due in ~1 ms, M-level, so taken in U) ends it */
    TEST_NUM(8)
    li a0, MIP_MTIP
    csrw mie, a0
    li a0, CLINT_MTIME
    ld a1, 0(a0)
    li a2, 10000
    add a1, a1, a2
    li a0, CLINT_MTIMECMP
    sd a1, 0(a0)
    TRAP_RESUME 2f
    GOTO_MODE PRV_U, 1f
1:  wfi
3:  j 3b                                /* wfi returned early: wait here */
2:  li a0, CLINT_MTIMECMP
    li a1, -1
    sd a1, 0(a0)
    csrw mie, zero
    la t5, trap_rec
    ld t5, TR_CAUSE(t5)
    li t6, CAUSE_INTR | IRQ_MTI
    beq t5, t6, 4f
    CHECK_TRAP CAUSE_ILLEGAL_INSN, WFI
    CHECK_TRAP_FROM PRV_U
4:
    /* TVM = 1: satp and sfence.vma are illegal in S */
    li a0, MSTATUS_TVM
    csrs mstatus, a0
    li a1, 0
    TEST_ILLEGAL_IN(9, PRV_S, CSRR_SATP)
    TEST_ILLEGAL_IN(10, PRV_S, CSRW_SATP)
    TEST_ILLEGAL_IN(11, PRV_S, SFENCE)
    TEST_ILLEGAL_IN(12, PRV_S, SFENCE_AB)
    /* ... not in M */
    TEST_NUM(13)
    csrr a0, satp
    csrw satp, zero
    sfence.vma
    /* TVM = 0: legal in S */
    li a0, MSTATUS_TVM
    csrc mstatus, a0
    li a0, 0
    li a1, 0
    TEST_LEGAL_IN(14, PRV_S, CSRR_SATP)
    TEST_LEGAL_IN(15, PRV_S, CSRW_SATP)
    TEST_LEGAL_IN(16, PRV_S, SFENCE)
    TEST_LEGAL_IN(17, PRV_S, SFENCE_AB)
    /* sfence.vma is illegal in U regardless */
    TEST_ILLEGAL_IN(18, PRV_U, SFENCE)

    PASS
