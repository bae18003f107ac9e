/* cpu: rv64,zcb=on
 * qemu: none (QEMU 7.2 has no Zcb)
 * Zcb (unprivileged spec 29.13): c.lbu, c.lhu, c.lh, c.sb, c.sh on
 * x8-x15 with their 2-bit offsets; c.zext.b, c.sext.b, c.zext.h, c.sext.h,
 * c.zext.w, c.not, c.mul in place. The sign/zero extensions expand to Zbb
 * and Zba instructions (on in rv64). binutils 2.40 has no Zcb: the
 * halfwords are written out, each with its assembly beside it. */
#include "common.h"

    .text
    .globl test_main
test_main:
    la a1, buf                /* x11: rs1' = 3 */
    li t0, 0x8070605040302010
    sd t0, 0(a1)
    TEST_NUM(1)
    .2byte 0x81c8             /* c.lbu a0, 1(a1) */
    CHECK_EQ(a0, 0x20)
    .2byte 0x8188             /* c.lbu a0, 0(a1) */
    CHECK_EQ(a0, 0x10)
    TEST_NUM(2)
    .2byte 0x85a8             /* c.lhu a0, 2(a1) */
    CHECK_EQ(a0, 0x4030)
    li t0, 0x80f0
    sh t0, 0(a1)
    .2byte 0x8588             /* c.lhu a0, 0(a1) */
    CHECK_EQ(a0, 0x80f0)
    .2byte 0x85c8             /* c.lh a0, 0(a1) */
    CHECK_EQ(a0, 0xffffffffffff80f0)
    TEST_NUM(3)
    li a0, 0x1234abcd
    .2byte 0x89e8             /* c.sb a0, 3(a1) */
    ld t1, 0(a1)
    li t2, 0x80706050cd3080f0
    CHECK_REGS(t1, t2)
    .2byte 0x8da8             /* c.sh a0, 2(a1) */
    ld t1, 0(a1)
    li t2, 0x80706050abcd80f0
    CHECK_REGS(t1, t2)
    /* unary forms on s0 (x8, rd' = 0) */
    TEST_NUM(4)
    li s0, 0x1ff
    .2byte 0x9c61             /* c.zext.b s0 */
    CHECK_EQ(s0, 0xff)
    li s0, 0x17f
    .2byte 0x9c65             /* c.sext.b s0 */
    CHECK_EQ(s0, 0x7f)
    li s0, 0x80
    .2byte 0x9c65
    CHECK_EQ(s0, -128)
    TEST_NUM(5)
    li s0, 0xffff8001
    .2byte 0x9c69             /* c.zext.h s0 */
    CHECK_EQ(s0, 0x8001)
    li s0, 0x18001
    .2byte 0x9c6d             /* c.sext.h s0 */
    CHECK_EQ(s0, 0xffffffffffff8001)
    TEST_NUM(6)
    li s0, -2
    .2byte 0x9c71             /* c.zext.w s0 */
    CHECK_EQ(s0, 0xfffffffe)
    li s0, 0x5a
    .2byte 0x9c75             /* c.not s0 */
    CHECK_EQ(s0, ~0x5a)
    TEST_NUM(7)
    li s0, -3
    li s1, 0x100000001
    .2byte 0x9c45             /* c.mul s0, s1 */
    CHECK_EQ(s0, -0x300000003)
    /* reserved neighbours stay illegal: c.sh with bit 6 set, unary 110 */
    TEST_NUM(8)
    TRAP_RESUME 1f
2:  .2byte 0x8de8
    j fail
1:  CHECK_TRAP CAUSE_ILLEGAL_INSN, 0x8de8
    CHECK_TRAP_EPC 2b
    TEST_NUM(9)
    TRAP_RESUME 1f
2:  .2byte 0x9c79
    j fail
1:  CHECK_TRAP CAUSE_ILLEGAL_INSN, 0x9c79
    CHECK_TRAP_EPC 2b
    PASS

    .data
    .balign 8
buf:
    .dword 0
