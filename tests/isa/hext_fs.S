/* cpu: rv64,h=on
 * The FP state with V=1 (priv spec 1.12, 8.2.10): an FP instruction in VS
 * or VU mode that changes the FP state sets both mstatus.FS and
 * vsstatus.FS to Dirty; one that only reads it (fmv.x.d, fsd) leaves both
 * as they were; with V=0 vsstatus.FS neither gates nor changes; the guest
 * reads its own FS (vsstatus) and SD in sstatus. Covers instructions the
 * JIT runs inline (fsgnj.d, fmv.x.d, fmv.d.x, fld, fsd, flw) and some run
 * by their handler (fadd.d, fcvt). hext_fs_off.S has the FS-Off gate. */
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

    /* Reads of the FP state leave both fields Clean. */
    TEST_NUM(3)
    SET_FS 2, 2
    V_RUNS PRV_S, CAUSE_ECALL_VS, fmv.x.d a0, f2
    CHECK_FS 2, 2
    li a1, 0x400921fb54442d18
    CHECK_REGS(a0, a1)
    V_RUNS PRV_S, CAUSE_ECALL_VS, fsd f3, 16(s0)
    CHECK_FS 2, 2
    ld a0, 16(s0)
    ld a1, 8(s0)
    CHECK_REGS(a0, a1)

    /* Each change of the FP state makes both Dirty. */
    TEST_NUM(4)
    SET_FS 2, 2
    V_RUNS PRV_S, CAUSE_ECALL_VS, fsgnjn.d f1, f2, f3
    CHECK_FS 3, 3
    fmv.x.d a0, f1
    li a1, 0xc00921fb54442d18
    CHECK_REGS(a0, a1)
    TEST_NUM(5)
    SET_FS 2, 1
    li a0, 0x1234
    V_RUNS PRV_S, CAUSE_ECALL_VS, fmv.d.x f4, a0
    CHECK_FS 3, 3
    fmv.x.d a1, f4
    CHECK_EQ(a1, 0x1234)
    TEST_NUM(6)
    SET_FS 1, 2
    V_RUNS PRV_S, CAUSE_ECALL_VS, fld f5, 8(s0)
    CHECK_FS 3, 3
    TEST_NUM(7)
    SET_FS 2, 2
    V_RUNS PRV_U, CAUSE_ECALL_U, flw f6, 0(s0)
    CHECK_FS 3, 3
    TEST_NUM(8)
    SET_FS 2, 2
    V_RUNS PRV_S, CAUSE_ECALL_VS, fadd.d f7, f2, f3
    CHECK_FS 3, 3
    TEST_NUM(9)
    SET_FS 2, 2
    V_RUNS PRV_S, CAUSE_ECALL_VS, fcvt.d.l f8, s0
    CHECK_FS 3, 3

    /* With V=0, vsstatus.FS is neither a gate nor marked. */
    TEST_NUM(10)
    SET_FS 2, 0
    li t0, MSTATUS_MPV_HI
    slli t0, t0, 32
    csrc mstatus, t0                    /* mret to HS, not VS */
    GOTO_MODE PRV_S, 1f
1:  fsgnjx.d f1, f2, f3
    fld f5, 8(s0)
    GOTO_M 2f
2:  CHECK_FS 3, 0
    SET_FS 2, 2
    fmv.d.x f1, s0
    CHECK_FS 3, 2

    /* The guest sees its own FS (vsstatus) as sstatus.FS, with SD. */
    TEST_NUM(11)
    SET_FS 1, 2
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  csrr s1, sstatus
    fmv.d.x f1, zero
    csrr s2, sstatus
    li a7, 0
    ecall
2:  srli a0, s1, 13
    andi a0, a0, 3
    CHECK_EQ(a0, 2)
    srli a0, s1, SSTATUS_SD_SHIFT
    CHECK_EQ(a0, 0)
    srli a0, s2, 13
    andi a0, a0, 3
    CHECK_EQ(a0, 3)
    srli a0, s2, SSTATUS_SD_SHIFT
    CHECK_EQ(a0, 1)
    CHECK_FS 3, 3

    PASS

    .data
    .balign 8
fpdata:
    .dword 0x400921fb54442d18           /* pi */
    .dword 0x400921fb54442d18
    .dword 0
