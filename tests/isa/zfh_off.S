/* cpu: rv64
 * The default model has neither Zfh, Zfhmin nor Zfa: their encodings are
 * illegal instructions with the word in mtval (the decoder's extension
 * column), with FS on. QEMU 7.2's default rv64 agrees. */
#include "common.h"

    .text
    .globl test_main
test_main:
    TEST_ILLEGAL_WORD(1, 0x00011507)  /* flh fa0, 0(sp) */
    TEST_ILLEGAL_WORD(2, 0x04b506d3)  /* fadd.h fa3, fa0, fa1, rne */
    TEST_ILLEGAL_WORD(3, 0x402506d3)  /* fcvt.s.h fa3, fa0 */
    TEST_ILLEGAL_WORD(4, 0xe4050553)  /* fmv.x.h a0, fa0 */
    TEST_ILLEGAL_WORD(5, 0xf01806d3)  /* fli.s fa3, 1.0 (Zfa) */
    TEST_ILLEGAL_WORD(6, 0xc2851553)  /* fcvtmod.w.d a0, fa0, rtz (Zfa) */
    PASS
