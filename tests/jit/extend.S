/* The compiler's extensions without Zbb: slli rd, rs, k followed by
 * srli/srai rd, rd, k (k = 32, 48, 56) is zext.w, zext.h, sext.w-like
 * sext.h and sext.b, which the JIT may fuse into one host move. Each pair
 * must give exactly what the two instructions give, and pairs that do not
 * match the pattern (another amount, another register, rd = x0) must run
 * as two instructions. Values cover set and clear sign bits of each width.
 * Spec: unprivileged ISA, "RV64I" 5.2 (SLLI, SRLI, SRAI). */
#include "common.h"

#define PAIR(n, sh, op2, res, v) \
    TEST_NUM(n); li a1, v; slli a0, a1, sh; op2 a0, a0, sh; CHECK_EQ(a0, res); \
    li a2, v; slli a2, a2, sh; op2 a2, a2, sh; CHECK_EQ(a2, res)

    .text
    .globl test_main
test_main:
    /* zext.w */
    PAIR(1, 32, srli, 0x0000000089abcdef, 0x0123456789abcdef)
    PAIR(2, 32, srli, 0x0000000012345678, 0xffffffff12345678)
    PAIR(3, 32, srli, 0x00000000ffffffff, 0xffffffffffffffff)
    /* sext.w by shifts */
    PAIR(4, 32, srai, 0xffffffff89abcdef, 0x0123456789abcdef)
    PAIR(5, 32, srai, 0x0000000012345678, 0xffffffff12345678)
    /* zext.h, sext.h */
    PAIR(6, 48, srli, 0x000000000000cdef, 0x0123456789abcdef)
    PAIR(7, 48, srai, 0xffffffffffffcdef, 0x0123456789abcdef)
    PAIR(8, 48, srai, 0x0000000000007fff, 0xffffffffffff7fff)
    PAIR(9, 48, srli, 0x0000000000008000, 0x0000000000008000)
    /* zext.b (as shifts), sext.b */
    PAIR(10, 56, srli, 0x00000000000000ef, 0x0123456789abcdef)
    PAIR(11, 56, srai, 0xffffffffffffffef, 0x0123456789abcdef)
    PAIR(12, 56, srai, 0x000000000000007f, 0xffffffffffffff7f)
    /* Not the pattern: another amount, the second shift on another
     * register, and a second shift reading rd but writing elsewhere. */
    PAIR(13, 40, srli, 0x0000000000abcdef, 0x0123456789abcdef)
    TEST_NUM(14)
    li a1, 0x0123456789abcdef
    slli a0, a1, 48
    srli a3, a1, 48
    CHECK_EQ(a0, 0xcdef000000000000)
    CHECK_EQ(a3, 0x0000000000000123)
    TEST_NUM(15)
    li a1, 0x0123456789abcdef
    slli a0, a1, 32
    srli a4, a0, 32
    CHECK_EQ(a0, 0x89abcdef00000000)
    CHECK_EQ(a4, 0x0000000089abcdef)
    /* rd = x0: both shifts are no-ops, x0 stays zero */
    TEST_NUM(16)
    li a1, -1
    slli x0, a1, 32
    srli x0, x0, 32
    CHECK_EQ(x0, 0)
    /* In a hot loop (a region): zext.h of a counter every iteration */
    TEST_NUM(17)
    li a1, 0
    li a2, 0
    li a3, 70000
1:  addi a1, a1, 1
    slli a4, a1, 48
    srli a4, a4, 48
    add a2, a2, a4
    bne a1, a3, 1b
    /* sum of (i mod 65536) for i = 1..70000 */
    CHECK_EQ(a2, 2157416760)
    PASS
