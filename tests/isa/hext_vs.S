/* cpu: rv64,h=on,v=on
 * The vector state with V=1 (unpriv spec V chapter 3.2, priv spec 8.2.10):
 * in VS or VU mode a vector instruction or vector CSR access is illegal
 * (not a virtual instruction) while vsstatus.VS or mstatus.VS is Off; one
 * that changes the vector state sets both to Dirty; with V=0 vsstatus.VS
 * neither gates nor changes. QEMU 7.2 with -cpu rv64,h=true,v=true agrees;
 * the vector CSRs under vsstatus.VS Off and mstatus.VS Off with V=1 are
 * hext_vs_csr.S's. */
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
/* mstatus.VS = m and vsstatus.VS = vs (field values 0..3). */
    .macro SET_VS m, vs
    li t0, MSTATUS_VS
    csrc mstatus, t0
    csrc CSR_VSSTATUS, t0
    li t0, (\m) << 9
    csrs mstatus, t0
    li t0, (\vs) << 9
    csrs CSR_VSSTATUS, t0
    .endm
/* Fail unless mstatus.VS == m and vsstatus.VS == vs. */
    .macro CHECK_VS m, vs
    csrr t0, mstatus
    srli t0, t0, 9
    andi t0, t0, 3
    CHECK_EQ(t0, \m)
    csrr t0, CSR_VSSTATUS
    srli t0, t0, 9
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

    .option arch, +v
    .text
    .globl test_main
test_main:
    la s0, vdata
    TEST_NUM(1)
    SET_VS 1, 0
    V_ILLEGAL PRV_S, vsetivli x0, 1, e8, m1, ta, ma
    TEST_NUM(4)
    SET_VS 2, 2
    V_RUNS PRV_S, CAUSE_ECALL_VS, vsetivli x0, 4, e8, m1, ta, ma
    CHECK_VS 3, 3
    TEST_NUM(5)
    SET_VS 2, 1
    V_RUNS PRV_U, CAUSE_ECALL_U, vle8.v v1, (s0)
    CHECK_VS 3, 3
    TEST_NUM(6)
    SET_VS 1, 2
    V_RUNS PRV_S, CAUSE_ECALL_VS, csrwi vxrm, 1
    CHECK_VS 3, 3
    /* With V=0, vsstatus.VS is neither a gate nor marked. */
    TEST_NUM(7)
    SET_VS 2, 0
    vsetivli x0, 2, e16, m1, ta, ma
    CHECK_VS 3, 0
    PASS

    .data
vdata: .dword 0x0706050403020100, 0x0f0e0d0c0b0a0908
