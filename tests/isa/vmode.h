/* Macros for tests that run code at V=1 (VS and VU modes) and check how
 * the hart leaves it: mret into a virtual mode, the trap's MPV, an
 * instruction that must trap as illegal, one that must run. Used by the
 * hypervisor tests (hext, hext_irq, hext_hstimer, hext_fs*, hext_vs*). */
#ifndef ISA_VMODE_H
#define ISA_VMODE_H

#define CSR_VSSTATUS 0x200
#define MSTATUS_MPV_HI 0x80     /* bit 39 = 0x80 << 32 */
#define SSTATUS_SD_SHIFT 63
#define CAUSE_ECALL_VS 10
#define CAUSE_ECALL_U  8

/* mret into mode prv with V=1 at label. */
    .macro GOTO_VMODE prv, label
    li t6, MSTATUS_MPV_HI
    slli t6, t6, 32
    csrs mstatus, t6
    GOTO_MODE \prv, \label
    .endm
/* Fail unless the recorded M trap came with mstatus.MPV = 1 (from V=1). */
    .macro CHECK_TRAP_FROM_V
    la t5, trap_rec
    ld t5, TR_STATUS(t5)
    srli t5, t5, 39
    andi t5, t5, 1
    CHECK_EQ(t5, 1)
    .endm
/* The two-bit state field at bit `shift` (FS 13, VS 9): mstatus's = m and
 * vsstatus's = vs (field values 0..3). */
    .macro SET_STATE_FIELDS shift, m, vs
    li t0, 3 << \shift
    csrc mstatus, t0
    csrc CSR_VSSTATUS, t0
    li t0, (\m) << \shift
    csrs mstatus, t0
    li t0, (\vs) << \shift
    csrs CSR_VSSTATUS, t0
    .endm
/* Fail unless mstatus's field at `shift` == m and vsstatus's == vs. */
    .macro CHECK_STATE_FIELDS shift, m, vs
    csrr t0, mstatus
    srli t0, t0, \shift
    andi t0, t0, 3
    CHECK_EQ(t0, \m)
    csrr t0, CSR_VSSTATUS
    srli t0, t0, \shift
    andi t0, t0, 3
    CHECK_EQ(t0, \vs)
    .endm
/* Instruction `insn` in mode prv with V=1 must be an illegal instruction
 * taken to M from V=1. */
    .macro V_ILLEGAL prv, insn:vararg
    TRAP_RESUME 20002f
    GOTO_VMODE \prv, 20001f
20001:
    \insn
    j fail
20002:
    CHECK_TRAP_CAUSE CAUSE_ILLEGAL_INSN
    CHECK_TRAP_FROM_V
    CHECK_TRAP_EPC 20001b
    .endm
/* Instruction `insn` in VS-mode (prv PRV_S, ecall cause 10) or VU-mode
 * (PRV_U, cause 8) runs without a trap, then the guest's ecall comes back
 * to M. */
    .macro V_RUNS prv, cause, insn:vararg
    TRAP_RESUME 20004f
    GOTO_VMODE \prv, 20003f
20003:
    \insn
    li a7, 0
    ecall
    j fail
20004:
    CHECK_TRAP_CAUSE \cause
    .endm

#endif
