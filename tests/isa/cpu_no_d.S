/* cpu: rv64,d=off
 * A CPU model without D (--cpu rv64,d=off): misa.D reads 0 with F still
 * set, single-precision instructions and fcsr work, and every D
 * instruction (loads/stores, fused multiply-add, arithmetic, conversions,
 * moves, and the compressed c.fld) is an illegal instruction with mtval =
 * the instruction. Spec: unprivileged ISA chapter 12 (D needs F);
 * privileged 3.1.1 (misa). The "cpu:" line above is the model run.sh asks
 * rvmm and QEMU for. */
#include "common.h"

    .text
    .globl test_main
test_main:
    TEST_NUM(1)
    csrr a0, misa
    andi a1, a0, (1 << 3) | (1 << 5)    /* D clear, F set */
    CHECK_EQ(a1, 1 << 5)

    /* F still works */
    TEST_NUM(2)
    li a0, 0x3f800000                   /* 1.0f */
    fmv.w.x f2, a0
    fmv.w.x f3, a0
    .word 0x003170d3                    /* fadd.s f1, f2, f3 */
    fmv.x.w a1, f1
    CHECK_EQ(a1, 0x40000000)
    csrr a1, fcsr
    CHECK_EQ(a1, 0)

    TEST_ILLEGAL_WORD(3, 0x023170d3)    /* fadd.d f1, f2, f3 */
    TEST_ILLEGAL_WORD(4, 0x00013087)    /* fld f1, 0(sp) */
    TEST_ILLEGAL_WORD(5, 0x00113027)    /* fsd f1, 0(sp) */
    TEST_ILLEGAL_WORD(6, 0x223170c3)    /* fmadd.d f1, f2, f3, f4 */
    TEST_ILLEGAL_WORD(7, 0x420100d3)    /* fcvt.d.s f1, f2 */
    TEST_ILLEGAL_WORD(8, 0xe2008553)    /* fmv.x.d a0, f1 */

    /* c.fld f8, 0(s0): the 16-bit word is mtval */
    TEST_NUM(9)
    TRAP_RESUME 2f
1:  .hword 0x2000
    .hword 0x0001                       /* c.nop */
    j fail
2:  CHECK_TRAP CAUSE_ILLEGAL_INSN, 0x2000
    CHECK_TRAP_EPC 1b
    PASS
