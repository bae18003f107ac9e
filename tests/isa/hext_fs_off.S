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

#include "vmode.h"

    .macro SET_FS m, vs
    SET_STATE_FIELDS 13, \m, \vs
    .endm
    .macro CHECK_FS m, vs
    CHECK_STATE_FIELDS 13, \m, \vs
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
