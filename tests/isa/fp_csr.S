/* Floating-point control and status: the fcsr / frm / fflags CSR views
 * (field widths, reserved bits read zero, swap and set/clear forms,
 * immediate forms), sticky flag accumulation, the dynamic rounding mode
 * (the same instruction under each frm value), reserved rounding modes
 * (static rm 5/6 and dynamic with frm 5/6/7 are illegal instructions),
 * and mstatus.FS: Off makes FP instructions and FP CSRs illegal (mtval =
 * the instruction), any change to FP state makes FS Dirty and sets SD,
 * sstatus shows the same FS. Spec: unprivileged ISA 11.2; privileged
 * 3.1.6.6 (FS/XS/SD). */
#include "common.h"
#include "fp.h"

#define ONE_S      0xffffffff3f800000
#define MONE_S     0xffffffffbf800000
#define SMALL_S    0xffffffff33a00000   /* 0.625 ulp of 1.0 */
#define MSMALL_S   0xffffffffb3a00000

    .text
    .globl test_main
test_main:
    /* fcsr = frm << 5 | fflags; bits 31:8 read zero */
    TEST_NUM(1)
    li a0, 0xffffffff
    fscsr a0
    frcsr a1
    CHECK_EQ(a1, 0xff)
    frflags a1
    CHECK_EQ(a1, 0x1f)
    frrm a1
    CHECK_EQ(a1, 7)
    TEST_NUM(2)
    li a0, 0x3f
    fsflags a1, a0          /* swap: old value back */
    CHECK_EQ(a1, 0x1f)
    li a0, 0x25
    fsflags a0
    frflags a1
    CHECK_EQ(a1, 0x05)
    frcsr a1
    CHECK_EQ(a1, 0xe5)
    TEST_NUM(3)
    li a0, 0xfa
    fsrm a1, a0
    CHECK_EQ(a1, 7)
    frrm a1
    CHECK_EQ(a1, 2)
    frcsr a1
    CHECK_EQ(a1, 0x45)
    /* immediate forms and set/clear */
    TEST_NUM(4)
    fsflagsi 0x12
    fsrmi 1
    frcsr a1
    CHECK_EQ(a1, 0x32)
    csrsi fflags, 0x1
    csrci fflags, 0x10
    frflags a1
    CHECK_EQ(a1, 0x03)
    csrrsi a1, fcsr, 0x18
    CHECK_EQ(a1, 0x23)
    csrrci a1, frm, 1
    CHECK_EQ(a1, 1)
    frcsr a1
    CHECK_EQ(a1, 0x1b)
    fscsr zero
    frcsr a1
    CHECK_EQ(a1, 0)

    /* flags accumulate until cleared */
    TEST_NUM(5)
    fscsr zero
    li t0, ONE_S
    fmv.d.x fa0, t0
    li t0, SMALL_S
    fmv.d.x fa1, t0
    fadd.s fa2, fa0, fa1, rne           /* NX */
    frflags a1
    CHECK_EQ(a1, FFLAG_NX)
    fmv.w.x fa3, zero
    fdiv.s fa2, fa0, fa3, rne           /* DZ */
    frflags a1
    CHECK_EQ(a1, FFLAG_NX | FFLAG_DZ)
    fadd.s fa2, fa0, fa0, rne           /* exact: nothing added, nothing cleared */
    frflags a1
    CHECK_EQ(a1, FFLAG_NX | FFLAG_DZ)
    fdiv.s fa2, fa3, fa3, rne           /* NV */
    feq.s a1, fa0, fa0
    frflags a1
    CHECK_EQ(a1, FFLAG_NX | FFLAG_DZ | FFLAG_NV)

    /* dynamic rounding: the same instruction under frm = 0..4 */
    TEST_FF(6, 0xffffffff3f800001, FFLAG_NX, ONE_S, SMALL_S, 0, fsrmi RM_RNE; fadd.s fa3, fa0, fa1, dyn)
    TEST_FF(7, 0xffffffff3f800000, FFLAG_NX, ONE_S, SMALL_S, 0, fsrmi RM_RTZ; fadd.s fa3, fa0, fa1, dyn)
    TEST_FF(8, 0xffffffff3f800000, FFLAG_NX, ONE_S, SMALL_S, 0, fsrmi RM_RDN; fadd.s fa3, fa0, fa1, dyn)
    TEST_FF(9, 0xffffffff3f800001, FFLAG_NX, ONE_S, SMALL_S, 0, fsrmi RM_RUP; fadd.s fa3, fa0, fa1, dyn)
    TEST_FF(10, 0xffffffff3f800001, FFLAG_NX, ONE_S, SMALL_S, 0, fsrmi RM_RMM; fadd.s fa3, fa0, fa1, dyn)
    TEST_FF(11, 0xffffffffbf800001, FFLAG_NX, MONE_S, MSMALL_S, 0, fsrmi RM_RDN; fadd.s fa3, fa0, fa1, dyn)
    TEST_FF(12, 0xffffffffbf800000, FFLAG_NX, MONE_S, MSMALL_S, 0, fsrmi RM_RUP; fadd.s fa3, fa0, fa1, dyn)
    /* the assembler's default rounding mode is dyn too */
    TEST_FF(13, 0xffffffff3f800000, FFLAG_NX, ONE_S, SMALL_S, 0, fsrmi RM_RTZ; fadd.s fa3, fa0, fa1)
    /* fcvt under each dynamic mode: -2.5 */
    TEST_FI(14, -2, FFLAG_NX, 0xffffffffc0200000, 0, 0, fsrmi RM_RNE; fcvt.w.s a0, fa0, dyn)
    TEST_FI(15, -2, FFLAG_NX, 0xffffffffc0200000, 0, 0, fsrmi RM_RTZ; fcvt.w.s a0, fa0, dyn)
    TEST_FI(16, -3, FFLAG_NX, 0xffffffffc0200000, 0, 0, fsrmi RM_RDN; fcvt.w.s a0, fa0, dyn)
    TEST_FI(17, -2, FFLAG_NX, 0xffffffffc0200000, 0, 0, fsrmi RM_RUP; fcvt.w.s a0, fa0, dyn)
    TEST_FI(18, -3, FFLAG_NX, 0xffffffffc0200000, 0, 0, fsrmi RM_RMM; fcvt.w.s a0, fa0, dyn)
    /* a static rm overrides frm */
    TEST_FF(19, 0xffffffff3f800001, FFLAG_NX, ONE_S, SMALL_S, 0, fsrmi RM_RTZ; fadd.s fa3, fa0, fa1, rup)

    /* reserved static rounding modes 5 and 6: fadd.s fa3, fa0, fa1 */
    TEST_ILLEGAL_WORD(20, 0x00b556d3)           /* rm = 5 */
    TEST_ILLEGAL_WORD(21, 0x00b566d3)           /* rm = 6 */
    TEST_ILLEGAL_WORD(22, 0x02b556d3)           /* fadd.d rm = 5 */
    /* dynamic rounding with frm = 5, 6, 7 */
    TEST_NUM(23)
    fsrmi 5
    TEST_ILLEGAL_WORD(24, 0x00b576d3)           /* fadd.s fa3, fa0, fa1, dyn */
    fsrmi 6
    TEST_ILLEGAL_WORD(25, 0x00b576d3)
    fsrmi 7
    TEST_ILLEGAL_WORD(26, 0x00b576d3)
    TEST_ILLEGAL_WORD(27, 0xc0057553)           /* fcvt.w.s a0, fa0, dyn */
    /* ... but a valid static rm still works with a bad frm */
    TEST_FF(28, 0xffffffff3f800000, FFLAG_NX, ONE_S, SMALL_S, 0, fsrmi 7; fadd.s fa3, fa0, fa1, rtz)
    fscsr zero

    /* mstatus.FS = Off: FP instructions and FP CSRs are illegal */
    TEST_NUM(29)
    li t0, MSTATUS_FS
    csrc mstatus, t0
    csrr a0, mstatus
    and a0, a0, t0
    CHECK_EQ(a0, 0)
    TEST_ILLEGAL_WORD(30, 0x00b506d3)           /* fadd.s fa3, fa0, fa1, rne */
    TEST_ILLEGAL_WORD(31, 0xe0050553)           /* fmv.x.w a0, fa0 */
    TEST_ILLEGAL_WORD(32, 0xf2060553)           /* fmv.d.x fa0, a2 */
    TEST_ILLEGAL_WORD(33, 0x0005a507)           /* flw fa0, 0(a1) */
    TEST_ILLEGAL_WORD(34, 0x00a5b027)           /* fsd fa0, 0(a1) */
    TEST_ILLEGAL_WORD(35, 0x00302573)           /* csrr a0, fcsr */
    TEST_ILLEGAL_WORD(36, 0x00101073)           /* csrw fflags, zero */
    TEST_ILLEGAL_WORD(37, 0x00215073)           /* csrwi frm, 2 */
    TEST_NUM(38)
    TRAP_RESUME 1f
2:  c.fld fa0, 0(a1)
    j fail
1:  CHECK_TRAP CAUSE_ILLEGAL_INSN, 0x2188
    CHECK_TRAP_EPC 2b

    /* FS = Initial, then an FP write makes it Dirty and SD = 1 */
    TEST_NUM(39)
    li t0, MSTATUS_FS_INIT
    csrs mstatus, t0
    fmv.w.x fa0, zero
    csrr a0, mstatus
    srli a1, a0, 13
    andi a1, a1, 3
    CHECK_EQ(a1, 3)
    bgez a0, fail                       /* SD is bit 63 */
    /* FS = Clean: writing fflags also dirties */
    TEST_NUM(40)
    li t0, MSTATUS_FS
    csrc mstatus, t0
    li t0, MSTATUS_FS_CLEAN
    csrs mstatus, t0
    csrr a0, mstatus
    bltz a0, fail                       /* SD clear while Clean */
    fsflagsi 1
    csrr a0, mstatus
    srli a1, a0, 13
    andi a1, a1, 3
    CHECK_EQ(a1, 3)
    bgez a0, fail
    /* sstatus shows the same FS and SD */
    TEST_NUM(41)
    csrr a0, sstatus
    srli a1, a0, 13
    andi a1, a1, 3
    CHECK_EQ(a1, 3)
    bgez a0, fail
    li t0, MSTATUS_FS
    csrc sstatus, t0
    csrr a0, mstatus
    and a0, a0, t0
    CHECK_EQ(a0, 0)
    li t0, MSTATUS_FS_INIT
    csrs sstatus, t0
    fscsr zero

    PASS
