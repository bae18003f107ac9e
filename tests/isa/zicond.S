/* cpu: rv64,zicond=on
 * qemu: none (QEMU 7.2 has no Zicond)
 * Zicond (unprivileged spec chapter 12): czero.eqz rd = rs2 == 0 ? 0 : rs1,
 * czero.nez rd = rs2 != 0 ? 0 : rs1, on full 64-bit values, with rd
 * aliasing rs1 or rs2 and x0 operands; without the extension both are
 * illegal (zicond_off.S). binutils 2.40 has no Zicond: .insn forms. */
#include "common.h"

#define CZERO_EQZ(rd, rs1, rs2) .insn r 0x33, 5, 7, rd, rs1, rs2
#define CZERO_NEZ(rd, rs1, rs2) .insn r 0x33, 7, 7, rd, rs1, rs2
#define TEST_CZ(n, op, res, v1, v2) \
    TEST_NUM(n); li a1, v1; li a2, v2; op(a0, a1, a2); CHECK_EQ(a0, res); \
    op(a1, a1, a2); CHECK_EQ(a1, res)

    .text
    .globl test_main
test_main:
    TEST_CZ(1, CZERO_EQZ, 0x0123456789abcdef, 0x0123456789abcdef, 1)
    TEST_CZ(2, CZERO_EQZ, 0, 0x0123456789abcdef, 0)
    TEST_CZ(3, CZERO_EQZ, -1, -1, 0x8000000000000000)
    TEST_CZ(4, CZERO_EQZ, 0, -1, 0)
    TEST_CZ(5, CZERO_NEZ, 0, 0x0123456789abcdef, 1)
    TEST_CZ(6, CZERO_NEZ, 0x0123456789abcdef, 0x0123456789abcdef, 0)
    TEST_CZ(7, CZERO_NEZ, 0, -1, 0x100000000)
    TEST_CZ(8, CZERO_NEZ, -1, -1, 0)
    /* rd aliasing rs2, x0 as an operand and as rd */
    TEST_NUM(9)
    li a1, 77; li a2, 5
    CZERO_EQZ(a2, a1, a2)
    CHECK_EQ(a2, 77)
    li a1, 77
    CZERO_EQZ(a0, a1, x0)
    CHECK_EQ(a0, 0)
    CZERO_NEZ(a0, a1, x0)
    CHECK_EQ(a0, 77)
    li a0, 5
    CZERO_NEZ(x0, a1, x0)
    CHECK_EQ(a0, 5)
    PASS
