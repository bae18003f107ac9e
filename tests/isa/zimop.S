/* cpu: rv64,zimop=on,zcmop=on,zawrs=on
 * qemu: none (QEMU 7.2 has no Zimop, Zcmop or Zawrs)
 * Zimop (unprivileged spec chapter 10): the 32 mop.r.n and 8 mop.rr.n
 * write 0 to rd and nothing else; Zcmop (29.14): c.mop.n (c.lui xn, 0 for
 * odd n < 16) writes nothing; Zawrs (chapter 14): wrs.nto and wrs.sto
 * return at once, but wrs.nto below M with mstatus.TW set is an illegal
 * instruction (it could otherwise wait without bound). */
#include "common.h"

#define MOP_R(n, rd, rs1) \
    .insn i 0x73, 4, rd, rs1, (0x81c - 0x1000) | (((n) >> 4 & 1) << 10) | (((n) >> 2 & 3) << 6) | ((n) & 3)
#define MOP_RR(n, rd, rs1, rs2) \
    .insn r 0x73, 4, 0x41 | (((n) >> 2 & 1) << 5) | (((n) & 3) << 1), rd, rs1, rs2

    .text
    .globl test_main
test_main:
    TEST_NUM(1)
    li a0, -1; li a1, 5
    MOP_R(0, a0, a1)
    CHECK_EQ(a0, 0)
    CHECK_EQ(a1, 5)
    li a0, -1
    MOP_R(31, a0, a1)
    CHECK_EQ(a0, 0)
    li a0, -1
    MOP_R(21, a0, a0)
    CHECK_EQ(a0, 0)
    TEST_NUM(2)
    li a0, -1; li a2, 9
    MOP_RR(0, a0, a1, a2)
    CHECK_EQ(a0, 0)
    li a0, -1
    MOP_RR(7, a0, a1, a2)
    CHECK_EQ(a0, 0)
    CHECK_EQ(a2, 9)
    TEST_NUM(3)
    li ra, 0x11; li gp, 3; li a5, 0x55
    .2byte 0x6081             /* c.mop.1 */
    .2byte 0x6781             /* c.mop.15 */
    .2byte 0x6281             /* c.mop.5 */
    CHECK_EQ(a5, 0x55)
    li t0, 0x11
    CHECK_REGS(ra, t0)
    /* Zawrs */
    TEST_NUM(4)
    .word 0x00d00073          /* wrs.nto */
    .word 0x01d00073          /* wrs.sto */
    TEST_LEGAL_IN(5, PRV_S, 0x00d00073)
    TEST_LEGAL_IN(6, PRV_U, 0x01d00073)
    li t0, MSTATUS_TW
    csrs mstatus, t0
    TEST_ILLEGAL_IN(7, PRV_S, 0x00d00073)
    TEST_ILLEGAL_IN(8, PRV_U, 0x00d00073)
    TEST_LEGAL_IN(9, PRV_U, 0x01d00073)
    li t0, MSTATUS_TW
    csrc mstatus, t0
    PASS
