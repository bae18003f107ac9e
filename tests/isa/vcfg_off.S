/* cpu: rv64
 * Without V (the default model, as QEMU 7.2's rv64): the configuration
 * instructions, a vector load and an OP-V instruction are illegal, and so
 * are the vector CSRs, whatever mstatus.VS is asked to be. */
#include "common.h"

    .text
    .globl test_main
test_main:
    li t0, 1 << 9
    csrs mstatus, t0
    TEST_ILLEGAL_WORD(1, 0x0d15f557) /* vsetvli a0, a1, e32, m2, ta, ma */
    TEST_ILLEGAL_WORD(2, 0xc078f2d7) /* vsetivli t0, 17, e8, mf2, tu, mu */
    TEST_ILLEGAL_WORD(3, 0x80e6f657) /* vsetvl a2, a3, a4 */
    TEST_ILLEGAL_WORD(4, 0x02050087) /* vle8.v v1, (a0) */
    TEST_ILLEGAL_WORD(5, 0x02208057) /* vadd.vv v0, v2, v1 */
    TEST_ILLEGAL_WORD(6, 0xc2202573) /* csrr a0, vlenb */
    TEST_ILLEGAL_WORD(7, 0xc2002573) /* csrr a0, vl */
    TEST_ILLEGAL_WORD(8, 0x00802573) /* csrr a0, vstart */
    TEST_ILLEGAL_WORD(9, 0x00f02573) /* csrr a0, vcsr */
    PASS
