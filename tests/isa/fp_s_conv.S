/* RV64F conversions and moves, single precision: fcvt.{w,wu,l,lu}.s with
 * every rounding mode, saturation and NV for NaN/inf/out-of-range (W
 * results sign-extended), fcvt.s.{w,wu,l,lu} (W forms read rs1[31:0])
 * with rounding, sign injection, feq (quiet) / flt / fle (signalling),
 * fclass for all ten classes, fmv.x.w sign extension, fmv.w.x and flw
 * NaN-boxing, and NaN-boxing on input: a value whose upper 32 bits are not
 * all ones reads as the canonical NaN in every kind of instruction, while
 * transfers out (fmv.x.w, fsw) take the low 32 bits as they are.
 * Spec: unprivileged ISA 11.6-11.9, 12.2 (NaN boxing). */
#include "common.h"
#include "fp.h"

    .text
    .globl test_main
test_main:
    /* fcvt to integer: every rounding mode, saturation, NaN */
    TEST_FI(1, 0x2, 0x1, 0xffffffff3fc00000, 0x0, 0, fcvt.w.s a0, fa0, rne)
    TEST_FI(2, 0x1, 0x1, 0xffffffff3fc00000, 0x0, 0, fcvt.w.s a0, fa0, rtz)
    TEST_FI(3, 0x1, 0x1, 0xffffffff3fc00000, 0x0, 0, fcvt.w.s a0, fa0, rdn)
    TEST_FI(4, 0x2, 0x1, 0xffffffff3fc00000, 0x0, 0, fcvt.w.s a0, fa0, rup)
    TEST_FI(5, 0x2, 0x1, 0xffffffff3fc00000, 0x0, 0, fcvt.w.s a0, fa0, rmm)
    TEST_FI(6, 0xfffffffffffffffe, 0x1, 0xffffffffbfc00000, 0x0, 0, fcvt.w.s a0, fa0, rne)
    TEST_FI(7, 0xffffffffffffffff, 0x1, 0xffffffffbfc00000, 0x0, 0, fcvt.w.s a0, fa0, rtz)
    TEST_FI(8, 0xfffffffffffffffe, 0x1, 0xffffffffbfc00000, 0x0, 0, fcvt.w.s a0, fa0, rdn)
    TEST_FI(9, 0xffffffffffffffff, 0x1, 0xffffffffbfc00000, 0x0, 0, fcvt.w.s a0, fa0, rup)
    TEST_FI(10, 0xfffffffffffffffe, 0x1, 0xffffffffbfc00000, 0x0, 0, fcvt.w.s a0, fa0, rmm)
    TEST_FI(11, 0x2, 0x1, 0xffffffff40200000, 0x0, 0, fcvt.w.s a0, fa0, rne)
    TEST_FI(12, 0x2, 0x1, 0xffffffff40200000, 0x0, 0, fcvt.w.s a0, fa0, rtz)
    TEST_FI(13, 0x2, 0x1, 0xffffffff40200000, 0x0, 0, fcvt.w.s a0, fa0, rdn)
    TEST_FI(14, 0x3, 0x1, 0xffffffff40200000, 0x0, 0, fcvt.w.s a0, fa0, rup)
    TEST_FI(15, 0x3, 0x1, 0xffffffff40200000, 0x0, 0, fcvt.w.s a0, fa0, rmm)
    TEST_FI(16, 0x0, 0x1, 0xffffffffbf000000, 0x0, 0, fcvt.w.s a0, fa0, rne)
    TEST_FI(17, 0x0, 0x1, 0xffffffffbf000000, 0x0, 0, fcvt.w.s a0, fa0, rtz)
    TEST_FI(18, 0xffffffffffffffff, 0x1, 0xffffffffbf000000, 0x0, 0, fcvt.w.s a0, fa0, rdn)
    TEST_FI(19, 0x0, 0x1, 0xffffffffbf000000, 0x0, 0, fcvt.w.s a0, fa0, rup)
    TEST_FI(20, 0xffffffffffffffff, 0x1, 0xffffffffbf000000, 0x0, 0, fcvt.w.s a0, fa0, rmm)
    TEST_FI(21, 0x0, 0x1, 0xffffffff3f666666, 0x0, 0, fcvt.wu.s a0, fa0, rtz)
    TEST_FI(22, 0x0, 0x1, 0xffffffffbf000000, 0x0, 0, fcvt.wu.s a0, fa0, rne)
    TEST_FI(23, 0x0, 0x10, 0xffffffffbf000000, 0x0, 0, fcvt.wu.s a0, fa0, rdn)
    TEST_FI(24, 0x0, 0x10, 0xffffffffbf800000, 0x0, 0, fcvt.wu.s a0, fa0, rne)
    TEST_FI(25, 0xffffffffb2d05e00, 0x0, 0xffffffff4f32d05e, 0x0, 0, fcvt.wu.s a0, fa0, rne)
    TEST_FI(26, 0x7fffffff, 0x10, 0xffffffff4f32d05e, 0x0, 0, fcvt.w.s a0, fa0, rne)
    TEST_FI(27, 0x7fffffff, 0x10, 0xffffffff4f000000, 0x0, 0, fcvt.w.s a0, fa0, rne)
    TEST_FI(28, 0xffffffff80000000, 0x0, 0xffffffffcf000000, 0x0, 0, fcvt.w.s a0, fa0, rne)
    TEST_FI(29, 0xffffffffffffffff, 0x10, 0xffffffff4f800000, 0x0, 0, fcvt.wu.s a0, fa0, rne)
    TEST_FI(30, 0x7fffffff, 0x10, 0xffffffff7f800000, 0x0, 0, fcvt.w.s a0, fa0, rne)
    TEST_FI(31, 0xffffffff80000000, 0x10, 0xffffffffff800000, 0x0, 0, fcvt.w.s a0, fa0, rne)
    TEST_FI(32, 0x7fffffff, 0x10, 0xffffffff7fc00000, 0x0, 0, fcvt.w.s a0, fa0, rne)
    TEST_FI(33, 0x7fffffff, 0x10, 0xffffffffffc00000, 0x0, 0, fcvt.w.s a0, fa0, rne)
    TEST_FI(34, 0xffffffffffffffff, 0x10, 0xffffffff7fc00000, 0x0, 0, fcvt.wu.s a0, fa0, rne)
    TEST_FI(35, 0x0, 0x10, 0xffffffffff800000, 0x0, 0, fcvt.wu.s a0, fa0, rne)
    TEST_FI(36, 0x8000000000000000, 0x0, 0xffffffffdf000000, 0x0, 0, fcvt.l.s a0, fa0, rne)
    TEST_FI(37, 0x7fffffffffffffff, 0x10, 0xffffffff5f000000, 0x0, 0, fcvt.l.s a0, fa0, rne)
    TEST_FI(38, 0x8000000000000000, 0x0, 0xffffffff5f000000, 0x0, 0, fcvt.lu.s a0, fa0, rne)
    TEST_FI(39, 0xffffffffffffffff, 0x10, 0xffffffff5f800000, 0x0, 0, fcvt.lu.s a0, fa0, rne)
    TEST_FI(40, 0x7fffffffffffffff, 0x10, 0xffffffff7fc00000, 0x0, 0, fcvt.l.s a0, fa0, rne)
    TEST_FI(41, 0xffffffffffffffff, 0x10, 0xffffffff7fc00000, 0x0, 0, fcvt.lu.s a0, fa0, rne)
    TEST_FI(42, 0x8000000000000000, 0x10, 0xffffffffff800000, 0x0, 0, fcvt.l.s a0, fa0, rne)
    TEST_FI(43, 0xfffffffffffffffc, 0x1, 0xffffffffc06ccccd, 0x0, 0, fcvt.l.s a0, fa0, rmm)
    TEST_FI(44, 0x0, 0x10, 0xffffffffc06ccccd, 0x0, 0, fcvt.lu.s a0, fa0, rtz)
    TEST_FI(45, 0x1e240, 0x1, 0xffffffff47f12040, 0x0, 0, fcvt.l.s a0, fa0, rne)
    TEST_FI(46, 0x2540be400, 0x0, 0xffffffff501502f9, 0x0, 0, fcvt.l.s a0, fa0, rtz)
    TEST_FI(47, 0x0, 0x0, 0xffffffff80000000, 0x0, 0, fcvt.wu.s a0, fa0, rne)
    TEST_FI(48, 0x1, 0x1, 0xffffffff00000001, 0x0, 0, fcvt.w.s a0, fa0, rup)
    TEST_FI(49, 0xffffffffffffffff, 0x1, 0xffffffff80000001, 0x0, 0, fcvt.w.s a0, fa0, rdn)
    /* fcvt from integer (rs1 low 32 bits for the W forms) */
    TEST_FF(50, 0xffffffff00000000, 0x0, 0x0, 0x0, 0x0, fcvt.s.w fa3, a2, rne)
    TEST_FF(51, 0xffffffffbf800000, 0x0, 0xffffffffffffffff, 0x0, 0x0, fcvt.s.w fa3, a2, rne)
    TEST_FF(52, 0xffffffff40a00000, 0x0, 0x1234567800000005, 0x0, 0x0, fcvt.s.w fa3, a2, rne)
    TEST_FF(53, 0xffffffffcf000000, 0x0, 0x80000000, 0x0, 0x0, fcvt.s.w fa3, a2, rne)
    TEST_FF(54, 0xffffffff4f800000, 0x1, 0xffffffff, 0x0, 0x0, fcvt.s.wu fa3, a2, rne)
    TEST_FF(55, 0xffffffff4f000000, 0x1, 0x7fffffff, 0x0, 0x0, fcvt.s.w fa3, a2, rne)
    TEST_FF(56, 0xffffffff4effffff, 0x1, 0x7fffffff, 0x0, 0x0, fcvt.s.w fa3, a2, rtz)
    TEST_FF(57, 0xffffffff4effffff, 0x1, 0x7fffffff, 0x0, 0x0, fcvt.s.w fa3, a2, rdn)
    TEST_FF(58, 0xffffffffcf000000, 0x1, 0xffffffff80000001, 0x0, 0x0, fcvt.s.w fa3, a2, rdn)
    TEST_FF(59, 0xffffffff5f800000, 0x1, 0xffffffffffffffff, 0x0, 0x0, fcvt.s.lu fa3, a2, rne)
    TEST_FF(60, 0xffffffff5f7fffff, 0x1, 0xffffffffffffffff, 0x0, 0x0, fcvt.s.lu fa3, a2, rtz)
    TEST_FF(61, 0xffffffffbf800000, 0x0, 0xffffffffffffffff, 0x0, 0x0, fcvt.s.l fa3, a2, rne)
    TEST_FF(62, 0xffffffffdf000000, 0x0, 0x8000000000000000, 0x0, 0x0, fcvt.s.l fa3, a2, rne)
    TEST_FF(63, 0xffffffff5a000000, 0x1, 0x20000000000001, 0x0, 0x0, fcvt.s.l fa3, a2, rne)
    TEST_FF(64, 0xffffffff5a000001, 0x1, 0x20000000000001, 0x0, 0x0, fcvt.s.l fa3, a2, rup)
    TEST_FF(65, 0xffffffffda000000, 0x1, 0xffdfffffffffffff, 0x0, 0x0, fcvt.s.l fa3, a2, rmm)
    TEST_FF(66, 0xffffffff4f91a2b3, 0x1, 0x123456789, 0x0, 0x0, fcvt.s.lu fa3, a2, rtz)
    /* sign injection (no flags, NaNs pass through) */
    TEST_FF(67, 0xffffffffbf800000, 0x0, 0xffffffff3f800000, 0xffffffffbf800000, 0x0, fsgnj.s fa3, fa0, fa1)
    TEST_FF(68, 0xffffffff3f800000, 0x0, 0xffffffff3f800000, 0xffffffffbf800000, 0x0, fsgnjn.s fa3, fa0, fa1)
    TEST_FF(69, 0xffffffffbf800000, 0x0, 0xffffffff3f800000, 0xffffffffbf800000, 0x0, fsgnjx.s fa3, fa0, fa1)
    TEST_FF(70, 0xffffffff3f800000, 0x0, 0xffffffffbf800000, 0xffffffff3f800000, 0x0, fsgnj.s fa3, fa0, fa1)
    TEST_FF(71, 0xffffffffbf800000, 0x0, 0xffffffffbf800000, 0xffffffff3f800000, 0x0, fsgnjn.s fa3, fa0, fa1)
    TEST_FF(72, 0xffffffffbf800000, 0x0, 0xffffffffbf800000, 0xffffffff3f800000, 0x0, fsgnjx.s fa3, fa0, fa1)
    TEST_FF(73, 0xffffffffff800001, 0x0, 0xffffffff7f800001, 0xffffffff80000000, 0x0, fsgnj.s fa3, fa0, fa1)
    TEST_FF(74, 0xffffffff7f800001, 0x0, 0xffffffff7f800001, 0xffffffff80000000, 0x0, fsgnjn.s fa3, fa0, fa1)
    TEST_FF(75, 0xffffffffff800001, 0x0, 0xffffffff7f800001, 0xffffffff80000000, 0x0, fsgnjx.s fa3, fa0, fa1)
    TEST_FF(76, 0xffffffffff800000, 0x0, 0xffffffffff800000, 0xffffffffff800000, 0x0, fsgnj.s fa3, fa0, fa1)
    TEST_FF(77, 0xffffffff7f800000, 0x0, 0xffffffffff800000, 0xffffffffff800000, 0x0, fsgnjn.s fa3, fa0, fa1)
    TEST_FF(78, 0xffffffff7f800000, 0x0, 0xffffffffff800000, 0xffffffffff800000, 0x0, fsgnjx.s fa3, fa0, fa1)
    /* compares: feq quiet, flt/fle signaling */
    TEST_FI(79, 0x0, 0x0, 0xffffffff3f800000, 0xffffffff40000000, 0, feq.s a0, fa0, fa1)
    TEST_FI(80, 0x1, 0x0, 0xffffffff3f800000, 0xffffffff40000000, 0, flt.s a0, fa0, fa1)
    TEST_FI(81, 0x1, 0x0, 0xffffffff3f800000, 0xffffffff40000000, 0, fle.s a0, fa0, fa1)
    TEST_FI(82, 0x0, 0x0, 0xffffffff40000000, 0xffffffff3f800000, 0, feq.s a0, fa0, fa1)
    TEST_FI(83, 0x0, 0x0, 0xffffffff40000000, 0xffffffff3f800000, 0, flt.s a0, fa0, fa1)
    TEST_FI(84, 0x0, 0x0, 0xffffffff40000000, 0xffffffff3f800000, 0, fle.s a0, fa0, fa1)
    TEST_FI(85, 0x1, 0x0, 0xffffffff3f800000, 0xffffffff3f800000, 0, feq.s a0, fa0, fa1)
    TEST_FI(86, 0x0, 0x0, 0xffffffff3f800000, 0xffffffff3f800000, 0, flt.s a0, fa0, fa1)
    TEST_FI(87, 0x1, 0x0, 0xffffffff3f800000, 0xffffffff3f800000, 0, fle.s a0, fa0, fa1)
    TEST_FI(88, 0x1, 0x0, 0xffffffff00000000, 0xffffffff80000000, 0, feq.s a0, fa0, fa1)
    TEST_FI(89, 0x0, 0x0, 0xffffffff00000000, 0xffffffff80000000, 0, flt.s a0, fa0, fa1)
    TEST_FI(90, 0x1, 0x0, 0xffffffff00000000, 0xffffffff80000000, 0, fle.s a0, fa0, fa1)
    TEST_FI(91, 0x1, 0x0, 0xffffffffff800000, 0xffffffffff800000, 0, feq.s a0, fa0, fa1)
    TEST_FI(92, 0x0, 0x0, 0xffffffffff800000, 0xffffffffff800000, 0, flt.s a0, fa0, fa1)
    TEST_FI(93, 0x1, 0x0, 0xffffffffff800000, 0xffffffffff800000, 0, fle.s a0, fa0, fa1)
    TEST_FI(94, 0x0, 0x0, 0xffffffff7fc02345, 0xffffffff3f800000, 0, feq.s a0, fa0, fa1)
    TEST_FI(95, 0x0, 0x10, 0xffffffff7fc02345, 0xffffffff3f800000, 0, flt.s a0, fa0, fa1)
    TEST_FI(96, 0x0, 0x10, 0xffffffff7fc02345, 0xffffffff3f800000, 0, fle.s a0, fa0, fa1)
    TEST_FI(97, 0x0, 0x10, 0xffffffff7f800001, 0xffffffff3f800000, 0, feq.s a0, fa0, fa1)
    TEST_FI(98, 0x0, 0x10, 0xffffffff7f800001, 0xffffffff3f800000, 0, flt.s a0, fa0, fa1)
    TEST_FI(99, 0x0, 0x10, 0xffffffff7f800001, 0xffffffff3f800000, 0, fle.s a0, fa0, fa1)
    TEST_FI(100, 0x0, 0x0, 0xffffffff3f800000, 0xffffffff7fc02345, 0, feq.s a0, fa0, fa1)
    TEST_FI(101, 0x0, 0x10, 0xffffffff3f800000, 0xffffffff7fc02345, 0, flt.s a0, fa0, fa1)
    TEST_FI(102, 0x0, 0x10, 0xffffffff3f800000, 0xffffffff7fc02345, 0, fle.s a0, fa0, fa1)
    TEST_FI(103, 0x0, 0x0, 0xffffffff7fc00000, 0xffffffff7fc00000, 0, feq.s a0, fa0, fa1)
    TEST_FI(104, 0x0, 0x10, 0xffffffff7fc00000, 0xffffffff7fc00000, 0, flt.s a0, fa0, fa1)
    TEST_FI(105, 0x0, 0x10, 0xffffffff7fc00000, 0xffffffff7fc00000, 0, fle.s a0, fa0, fa1)
    /* fclass: all ten classes */
    TEST_FI(106, 0x1, 0x0, 0xffffffffff800000, 0x0, 0, fclass.s a0, fa0)
    TEST_FI(107, 0x2, 0x0, 0xffffffffbf800000, 0x0, 0, fclass.s a0, fa0)
    TEST_FI(108, 0x4, 0x0, 0xffffffff807fffff, 0x0, 0, fclass.s a0, fa0)
    TEST_FI(109, 0x8, 0x0, 0xffffffff80000000, 0x0, 0, fclass.s a0, fa0)
    TEST_FI(110, 0x10, 0x0, 0xffffffff00000000, 0x0, 0, fclass.s a0, fa0)
    TEST_FI(111, 0x20, 0x0, 0xffffffff007fffff, 0x0, 0, fclass.s a0, fa0)
    TEST_FI(112, 0x40, 0x0, 0xffffffff3f800000, 0x0, 0, fclass.s a0, fa0)
    TEST_FI(113, 0x80, 0x0, 0xffffffff7f800000, 0x0, 0, fclass.s a0, fa0)
    TEST_FI(114, 0x100, 0x0, 0xffffffff7f800001, 0x0, 0, fclass.s a0, fa0)
    TEST_FI(115, 0x200, 0x0, 0xffffffff7fc00000, 0x0, 0, fclass.s a0, fa0)
    /* fmv.x.w sign-extends; fmv.w.x NaN-boxes; payloads are not touched */
    TEST_FI(116, 0xffffffff80000000, 0x0, 0xffffffff80000000, 0x0, 0, fmv.x.w a0, fa0)
    TEST_FI(117, 0x7f800000, 0x0, 0xffffffff7f800000, 0x0, 0, fmv.x.w a0, fa0)
    TEST_FI(118, 0xffffffff87654321, 0x0, 0x1234567887654321, 0x0, 0, fmv.x.w a0, fa0)
    TEST_FF(119, 0xffffffff12345678, 0x0, 0xdeadbeef12345678, 0x0, 0x0, fmv.w.x fa3, a2)
    TEST_FF(120, 0xffffffff80000000, 0x0, 0x80000000, 0x0, 0x0, fmv.w.x fa3, a2)
    TEST_FF(121, 0xffffffff7f800001, 0x0, 0x7f800001, 0x0, 0x0, fmv.w.x fa3, a2)
    /* NaN boxing: a single-precision input whose upper 32 bits are not all */
    /* ones reads as the canonical NaN (quiet: no flags unless the op signals) */
    TEST_FF(122, 0xffffffff7fc00000, 0x0, 0x3f800000, 0xffffffff3f800000, 0x0, fadd.s fa3, fa0, fa1, rne)
    TEST_FF(123, 0xffffffff7fc00000, 0x0, 0xfffffffe3f800000, 0xffffffff3f800000, 0x0, fadd.s fa3, fa0, fa1, rne)
    TEST_FF(124, 0xffffffff7fc00000, 0x0, 0xffffffff3f800000, 0xffffffff3f800000, 0x3f800000, fmadd.s fa3, fa0, fa1, fa2, rne)
    TEST_FF(125, 0xffffffff7fc00000, 0x0, 0x3f800000, 0x0, 0x0, fsqrt.s fa3, fa0, rne)
    TEST_FF(126, 0xffffffffffc00000, 0x0, 0x3f800000, 0xffffffffbf800000, 0x0, fsgnj.s fa3, fa0, fa1)
    TEST_FF(127, 0xffffffff7fc00000, 0x0, 0x3f800000, 0xffffffffbf800000, 0x0, fsgnjn.s fa3, fa0, fa1)
    TEST_FF(128, 0xffffffffffc00000, 0x0, 0x3f800000, 0xffffffffbf800000, 0x0, fsgnjx.s fa3, fa0, fa1)
    TEST_FF(129, 0xffffffff3f800000, 0x0, 0xffffffffbf800000, 0x3f800000, 0x0, fsgnj.s fa3, fa0, fa1)
    TEST_FF(130, 0xffffffff40000000, 0x0, 0x3f800000, 0xffffffff40000000, 0x0, fmin.s fa3, fa0, fa1)
    TEST_FF(131, 0xffffffff7fc00000, 0x0, 0x3f800000, 0xfffffffe3f800000, 0x0, fmax.s fa3, fa0, fa1)
    TEST_FI(132, 0x0, 0x0, 0x3f800000, 0x3f800000, 0, feq.s a0, fa0, fa1)
    TEST_FI(133, 0x0, 0x10, 0x3f800000, 0xffffffff3f800000, 0, flt.s a0, fa0, fa1)
    TEST_FI(134, 0x200, 0x0, 0x3f800000, 0x0, 0, fclass.s a0, fa0)
    TEST_FI(135, 0x7fffffff, 0x10, 0x3f800000, 0x0, 0, fcvt.w.s a0, fa0, rne)
    TEST_FF(136, 0x7ff8000000000000, 0x0, 0x3f800000, 0x0, 0x0, fcvt.d.s fa3, fa0)

    /* flw NaN-boxes and keeps the payload; fsw stores the low 32 bits of
     * whatever the register holds */
    TEST_NUM(136)
    la a1, fbuf
    li a0, 0x7f800001
    sw a0, 0(a1)
    flw fa0, 0(a1)
    fmv.x.d a0, fa0
    CHECK_EQ(a0, 0xffffffff7f800001)
    li a0, 0x123456789abcdef0
    fmv.d.x fa1, a0
    fsw fa1, 4(a1)
    lwu a0, 4(a1)
    CHECK_EQ(a0, 0x9abcdef0)
    lw a0, 0(a1)
    CHECK_EQ(a0, 0x7f800001)
    /* flw/fsw do not set flags */
    frflags a0
    CHECK_EQ(a0, 0)

    PASS

    .data
    .balign 16
fbuf:
    .skip 16
