/* cpu: rv64,v=on
 * The reserved forms of the fixed-point, mask, permutation and reduction
 * families are illegal (V 3.7, 5.2, 5.3, 12.6, 14, 15, 16): the
 * instructions that are not restartable with vstart != 0 (vcpop, a
 * reduction), a destination overlapping a source where 5.2 forbids it
 * (vslideup, vrgather, vmsbf, viota, vcompress), vnclip and widening
 * reductions at SEW 64, a misaligned group (vsadd, vmv2r.v) and v0 as a
 * masked destination (vsmul). Encoded as words: the assembler refuses
 * most of them. */
#include "common.h"

    .option arch, +v
    .text
    .globl test_main
test_main:
    li t0, 1 << 9
    csrs mstatus, t0
    vsetivli x0, 4, e8, m1, tu, mu
    csrwi vstart, 1
    TEST_ILLEGAL_WORD(1, 0x42882557) /* vcpop.m a0, v8 with vstart 1 */
    csrwi vstart, 1
    TEST_ILLEGAL_WORD(2, 0x02862257) /* vredsum.vs v4, v8, v12 with vstart 1 */
    csrwi vstart, 0
    TEST_ILLEGAL_WORD(3, 0x3a80b457) /* vslideup.vi v8, v8, 1 */
    TEST_ILLEGAL_WORD(4, 0x33040457) /* vrgather.vv v8, v16, v8 */
    TEST_ILLEGAL_WORD(5, 0x5280a457) /* vmsbf.m v8, v8 */
    TEST_ILLEGAL_WORD(6, 0x52882457) /* viota.m v8, v8 */
    TEST_ILLEGAL_WORD(7, 0x5e80a457) /* vcompress.vm v8, v8, v1 */
    TEST_ILLEGAL_WORD(8, 0x9c430057) /* vsmul.vv v0, v4, v6, v0.t */
    TEST_ILLEGAL_WORD(9, 0x9f00b4d7) /* vmv2r.v v9, v16 */
    vsetivli x0, 4, e8, m2, tu, mu
    TEST_ILLEGAL_WORD(10, 0x864301d7) /* vsadd.vv v3, v4, v6 at LMUL 2 */
    vsetivli x0, 2, e64, m1, tu, mu
    TEST_ILLEGAL_WORD(11, 0xbf003457) /* vnclip.wi v8, v16, 0 at SEW 64 */
    TEST_ILLEGAL_WORD(12, 0xc6860257) /* vwredsum.vs v4, v8, v12 at SEW 64 */
    csrr t0, vstart
    CHECK_EQ(t0, 0)
    PASS
