/* cpu: rv64,Zfhmin=on
 * Zfhmin without Zfh (unprivileged spec chapter 20): loads, stores, moves
 * and conversions between half and single/double precision work, the
 * arithmetic, comparisons and integer conversions of Zfh stay illegal.
 * QEMU 7.2 with the same -cpu agrees. */
#include "common.h"
#include "fp.h"

    .option arch, +zfh
    .text
    .globl test_main
test_main:
    /* 1.5 (0x3e00) widened exactly, 1/3 narrowed with rounding */
    TEST_FF(1, 0xffffffff3fc00000, 0x0, 0xffffffffffff3e00, 0, 0, fcvt.s.h fa3, fa0)
    TEST_FF(2, 0x3ff8000000000000, 0x0, 0xffffffffffff3e00, 0, 0, fcvt.d.h fa3, fa0)
    TEST_FF(3, 0xffffffffffff3555, 0x1, 0xffffffff3eaaaaab, 0, 0, fcvt.h.s fa3, fa0, rne)
    TEST_FF(4, 0xffffffffffff3556, 0x1, 0x3fd5555555555555, 0, 0, fcvt.h.d fa3, fa0, rup)
    TEST_FI(5, 0xffffffffffffbc00, 0x0, 0xffffffffffffbc00, 0, 0, fmv.x.h a0, fa0)
    TEST_FF(6, 0xffffffffffff1234, 0x0, 0xabcd1234, 0, 0, fmv.h.x fa3, a2)
    TEST_FF(7, 0xffffffffffff8001, 0x0, 0x8001, 0, 0, addi sp, sp, -16; sh a2, 0(sp); flh fa3, 0(sp); addi sp, sp, 16)
    TEST_ILLEGAL_WORD(8, 0x04b506d3)  /* fadd.h fa3, fa0, fa1, rne */
    TEST_ILLEGAL_WORD(9, 0xa4b52553)  /* feq.h a0, fa0, fa1 */
    TEST_ILLEGAL_WORD(10, 0xc4050553) /* fcvt.w.h a0, fa0, rne */
    PASS
