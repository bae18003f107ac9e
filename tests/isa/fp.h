/* Floating-point check macros for the F/D tests (after common.h).
 * Operands are 64-bit register images (single-precision values must be
 * NaN-boxed by the caller: upper 32 bits all ones), loaded with fmv.d.x
 * into fa0, fa1, fa2; a is also put in a2 for integer sources. fcsr is
 * cleared first (frm = RNE, no flags); the flags after `inst` must equal
 * `flags` exactly. Clobbers t0, a0-a2, fa0-fa3. */
#ifndef TESTS_ISA_FP_H
#define TESTS_ISA_FP_H

#define FP_LOAD3(a, b, c) \
    li t0, a; fmv.d.x fa0, t0; li t0, b; fmv.d.x fa1, t0; li t0, c; fmv.d.x fa2, t0; \
    li a2, a; fscsr zero

/* inst writes fa3, whose full 64-bit image must be res. */
#define TEST_FF(n, res, flags, a, b, c, inst...) \
    TEST_NUM(n); FP_LOAD3(a, b, c); inst; frflags a1; fmv.x.d a0, fa3; \
    CHECK_EQ(a0, res); CHECK_EQ(a1, flags)
/* inst writes integer a0, which must be res. */
#define TEST_FI(n, res, flags, a, b, c, inst...) \
    TEST_NUM(n); FP_LOAD3(a, b, c); li a0, 0x5a5a5a5a; inst; frflags a1; \
    CHECK_EQ(a0, res); CHECK_EQ(a1, flags)

#endif
