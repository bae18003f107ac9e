/* cpu: rv64,h=on
 * The FP gate with V=1 (priv spec 1.12, 8.2.10): an FP instruction in VS
 * or VU mode is illegal when mstatus.FS or vsstatus.FS is Off, whether
 * the JIT runs it inline (fsgnj.d, fmv.x.d, fmv.d.x, fld, fsd, flw) or by
 * its handler (fadd.d, fcsr); and a guest turning its own FS (vsstatus)
 * off inside a hot loop of inline FP instructions (a JIT region) traps at
 * the next one, with the loop's count as it was.
 * qemu: none (QEMU 7.2 runs the second of two FP instructions tried at V=1 with vsstatus.FS Off, and reads vsstatus.FS back on after the guest cleared it)
 */
#include "common.h"

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
/* mstatus.FS = m and vsstatus.FS = vs (FS field values 0..3). */
    .macro SET_FS m, vs
    li t0, MSTATUS_FS
    csrc mstatus, t0
    csrc CSR_VSSTATUS, t0
    li t0, (\m) << 13
    csrs mstatus, t0
    li t0, (\vs) << 13
    csrs CSR_VSSTATUS, t0
    .endm
/* Fail unless mstatus.FS == m and vsstatus.FS == vs. */
    .macro CHECK_FS m, vs
    csrr t0, mstatus
    srli t0, t0, 13
    andi t0, t0, 3
    CHECK_EQ(t0, \m)
    csrr t0, CSR_VSSTATUS
    srli t0, t0, 13
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

    .text
    .globl test_main
test_main:
    la s0, fpdata
    fld f2, 0(s0)
    fld f3, 8(s0)

    /* vsstatus.FS Off, mstatus.FS on: every FP instruction traps in VS
     * and VU, inline ones and handler ones alike. */
    TEST_NUM(1)
    SET_FS 1, 0
    V_ILLEGAL PRV_S, fsgnj.d f1, f2, f3
    V_ILLEGAL PRV_S, fsgnjn.d f1, f2, f3
    V_ILLEGAL PRV_S, fmv.x.d a0, f2
    V_ILLEGAL PRV_S, fmv.d.x f1, a0
    V_ILLEGAL PRV_S, fld f1, 0(s0)
    V_ILLEGAL PRV_S, fsd f2, 16(s0)
    V_ILLEGAL PRV_S, flw f1, 0(s0)
    V_ILLEGAL PRV_S, fadd.d f1, f2, f3
    V_ILLEGAL PRV_S, csrr a0, fcsr
    V_ILLEGAL PRV_U, fsgnj.d f1, f2, f3
    V_ILLEGAL PRV_U, fld f1, 0(s0)
    CHECK_FS 1, 0

    /* mstatus.FS Off, vsstatus.FS on: the same. */
    TEST_NUM(2)
    SET_FS 0, 1
    V_ILLEGAL PRV_S, fsgnj.d f1, f2, f3
    V_ILLEGAL PRV_S, fmv.x.d a0, f2
    V_ILLEGAL PRV_S, fmv.d.x f1, a0
    V_ILLEGAL PRV_S, fld f1, 0(s0)
    V_ILLEGAL PRV_S, fsd f2, 16(s0)
    V_ILLEGAL PRV_S, fadd.d f1, f2, f3
    V_ILLEGAL PRV_U, fmv.x.d a0, f2
    CHECK_FS 0, 1

    /* A hot loop of inline FP instructions in VS (translated as a region
     * by the JIT) in which the guest turns its FS off at iteration 12:
     * the next FP instruction traps, with the loop's count as it was. */
    TEST_NUM(3)
    SET_FS 2, 2
    li s1, 0
    li s2, 12
    li s3, MSTATUS_FS
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  fsgnj.d f1, f2, f3
    fmv.x.d a0, f1
    fsd f1, 16(s0)
    addi s1, s1, 1
    bne s1, s2, 1b
    csrc sstatus, s3
    j 1b
2:  CHECK_TRAP_CAUSE CAUSE_ILLEGAL_INSN
    CHECK_TRAP_FROM_V
    CHECK_TRAP_EPC 1b
    CHECK_EQ(s1, 12)
    CHECK_FS 3, 0
    PASS

    .data
    .balign 8
fpdata:
    .dword 0x400921fb54442d18           /* pi */
    .dword 0x400921fb54442d18
    .dword 0
