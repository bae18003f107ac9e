/* cpu: rv64,h=on
 * The FP state with V=1 (priv spec 1.12, 8.2.10): an FP instruction in VS
 * or VU mode that changes the FP state sets both mstatus.FS and
 * vsstatus.FS to Dirty; one that only reads it (fmv.x.d, fsd) leaves both
 * as they were; with V=0 vsstatus.FS neither gates nor changes; the guest
 * reads its own FS (vsstatus) and SD in sstatus. Covers instructions the
 * JIT runs inline (fsgnj.d, fmv.x.d, fmv.d.x, fld, fsd, flw) and some run
 * by their handler (fadd.d, fcvt). hext_fs_off.S has the FS-Off gate. */
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
