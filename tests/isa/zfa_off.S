/* cpu: rv64,zfa=on,d=off
 * qemu: none (QEMU 7.2 has no Zfa)
 * Zfa's forms follow the formats the hart has (unprivileged spec chapter
 * 22): with F alone fli.s works while fli.d, fminm.d and fcvtmod.w.d trap,
 * and without Zfh so do fli.h and fround.h; fmvh.x.d and fmvp.d.x exist
 * on RV32 only and are illegal on RV64 whatever the model. */
#include "common.h"
#include "fp.h"

    .text
    .globl test_main
test_main:
    TEST_NUM(1)
    fscsr zero
    .word 0xf01806d3                  /* fli.s fa3, 1.0 */
    fmv.x.w a0, fa3
    CHECK_EQ(a0, 0x3f800000)
    TEST_ILLEGAL_WORD(2, 0xf21806d3)  /* fli.d fa3, 1.0 */
    TEST_ILLEGAL_WORD(3, 0x2ab526d3)  /* fminm.d fa3, fa0, fa1 */
    TEST_ILLEGAL_WORD(4, 0xc2851553)  /* fcvtmod.w.d a0, fa0, rtz */
    TEST_ILLEGAL_WORD(5, 0xf41806d3)  /* fli.h fa3, 1.0 */
    TEST_ILLEGAL_WORD(6, 0x444506d3)  /* fround.h fa3, fa0, rne */
    TEST_ILLEGAL_WORD(7, 0xe2150553)  /* fmvh.x.d a0, fa0 */
    TEST_ILLEGAL_WORD(8, 0xb2b506d3)  /* fmvp.d.x fa3, a0, a1 */
    PASS
