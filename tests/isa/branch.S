/* RV64I control transfer: every conditional branch taken and not taken on
 * signed/unsigned edge values, forward/backward and long branches, jal and
 * jalr link values (address of the next instruction), jalr clearing bit 0
 * of the target, jalr with rd == rs1 (target uses the old rs1), x0 links.
 * Assembled without RVC so every jump here is the 32-bit encoding (the
 * compressed forms are in rvc.S). Spec: unprivileged ISA 2.5. */
#include "common.h"

/* Branch that must be taken / must not be taken. */
#define TEST_BR_TAKEN(n, op, v1, v2) \
    TEST_NUM(n); li a1, v1; li a2, v2; op a1, a2, 10003f; j fail; 10003: \
    op a1, a2, 10004f; j fail; 10005: j 10006f; 10004: j 10005b; 10006:
#define TEST_BR_NOT(n, op, v1, v2) \
    TEST_NUM(n); li a1, v1; li a2, v2; op a1, a2, 10007f; j 10008f; 10007: j fail; 10008:

    .option norvc
    .text
    .globl test_main
test_main:
    /* beq */
    TEST_BR_TAKEN(1, beq, 0x0, 0x0)
    TEST_BR_TAKEN(2, beq, 0x1, 0x1)
    TEST_BR_NOT(3, beq, 0x0, 0x1)
    TEST_BR_NOT(4, beq, 0x1, 0x0)
    TEST_BR_TAKEN(5, beq, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_BR_NOT(6, beq, 0xffffffffffffffff, 0x0)
    TEST_BR_NOT(7, beq, 0x0, 0xffffffffffffffff)
    TEST_BR_NOT(8, beq, 0xffffffffffffffff, 0x1)
    TEST_BR_NOT(9, beq, 0x1, 0xffffffffffffffff)
    TEST_BR_NOT(10, beq, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_NOT(11, beq, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_NOT(12, beq, 0x100000000, 0x0)
    TEST_BR_NOT(13, beq, 0x100000000, 0x1)
    TEST_BR_NOT(14, beq, 0xffffffff, 0xffffffff00000000)
    /* bne */
    TEST_BR_NOT(15, bne, 0x0, 0x0)
    TEST_BR_NOT(16, bne, 0x1, 0x1)
    TEST_BR_TAKEN(17, bne, 0x0, 0x1)
    TEST_BR_TAKEN(18, bne, 0x1, 0x0)
    TEST_BR_NOT(19, bne, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_BR_TAKEN(20, bne, 0xffffffffffffffff, 0x0)
    TEST_BR_TAKEN(21, bne, 0x0, 0xffffffffffffffff)
    TEST_BR_TAKEN(22, bne, 0xffffffffffffffff, 0x1)
    TEST_BR_TAKEN(23, bne, 0x1, 0xffffffffffffffff)
    TEST_BR_TAKEN(24, bne, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_TAKEN(25, bne, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_TAKEN(26, bne, 0x100000000, 0x0)
    TEST_BR_TAKEN(27, bne, 0x100000000, 0x1)
    TEST_BR_TAKEN(28, bne, 0xffffffff, 0xffffffff00000000)
    /* blt */
    TEST_BR_NOT(29, blt, 0x0, 0x0)
    TEST_BR_NOT(30, blt, 0x1, 0x1)
    TEST_BR_TAKEN(31, blt, 0x0, 0x1)
    TEST_BR_NOT(32, blt, 0x1, 0x0)
    TEST_BR_NOT(33, blt, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_BR_TAKEN(34, blt, 0xffffffffffffffff, 0x0)
    TEST_BR_NOT(35, blt, 0x0, 0xffffffffffffffff)
    TEST_BR_TAKEN(36, blt, 0xffffffffffffffff, 0x1)
    TEST_BR_NOT(37, blt, 0x1, 0xffffffffffffffff)
    TEST_BR_TAKEN(38, blt, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_NOT(39, blt, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_NOT(40, blt, 0x100000000, 0x0)
    TEST_BR_NOT(41, blt, 0x100000000, 0x1)
    TEST_BR_NOT(42, blt, 0xffffffff, 0xffffffff00000000)
    /* bge */
    TEST_BR_TAKEN(43, bge, 0x0, 0x0)
    TEST_BR_TAKEN(44, bge, 0x1, 0x1)
    TEST_BR_NOT(45, bge, 0x0, 0x1)
    TEST_BR_TAKEN(46, bge, 0x1, 0x0)
    TEST_BR_TAKEN(47, bge, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_BR_NOT(48, bge, 0xffffffffffffffff, 0x0)
    TEST_BR_TAKEN(49, bge, 0x0, 0xffffffffffffffff)
    TEST_BR_NOT(50, bge, 0xffffffffffffffff, 0x1)
    TEST_BR_TAKEN(51, bge, 0x1, 0xffffffffffffffff)
    TEST_BR_NOT(52, bge, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_TAKEN(53, bge, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_TAKEN(54, bge, 0x100000000, 0x0)
    TEST_BR_TAKEN(55, bge, 0x100000000, 0x1)
    TEST_BR_TAKEN(56, bge, 0xffffffff, 0xffffffff00000000)
    /* bltu */
    TEST_BR_NOT(57, bltu, 0x0, 0x0)
    TEST_BR_NOT(58, bltu, 0x1, 0x1)
    TEST_BR_TAKEN(59, bltu, 0x0, 0x1)
    TEST_BR_NOT(60, bltu, 0x1, 0x0)
    TEST_BR_NOT(61, bltu, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_BR_NOT(62, bltu, 0xffffffffffffffff, 0x0)
    TEST_BR_TAKEN(63, bltu, 0x0, 0xffffffffffffffff)
    TEST_BR_NOT(64, bltu, 0xffffffffffffffff, 0x1)
    TEST_BR_TAKEN(65, bltu, 0x1, 0xffffffffffffffff)
    TEST_BR_NOT(66, bltu, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_TAKEN(67, bltu, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_NOT(68, bltu, 0x100000000, 0x0)
    TEST_BR_NOT(69, bltu, 0x100000000, 0x1)
    TEST_BR_TAKEN(70, bltu, 0xffffffff, 0xffffffff00000000)
    /* bgeu */
    TEST_BR_TAKEN(71, bgeu, 0x0, 0x0)
    TEST_BR_TAKEN(72, bgeu, 0x1, 0x1)
    TEST_BR_NOT(73, bgeu, 0x0, 0x1)
    TEST_BR_TAKEN(74, bgeu, 0x1, 0x0)
    TEST_BR_TAKEN(75, bgeu, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_BR_TAKEN(76, bgeu, 0xffffffffffffffff, 0x0)
    TEST_BR_NOT(77, bgeu, 0x0, 0xffffffffffffffff)
    TEST_BR_TAKEN(78, bgeu, 0xffffffffffffffff, 0x1)
    TEST_BR_NOT(79, bgeu, 0x1, 0xffffffffffffffff)
    TEST_BR_TAKEN(80, bgeu, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_NOT(81, bgeu, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_TAKEN(82, bgeu, 0x100000000, 0x0)
    TEST_BR_TAKEN(83, bgeu, 0x100000000, 0x1)
    TEST_BR_NOT(84, bgeu, 0xffffffff, 0xffffffff00000000)

    /* branch with the same register twice */
    TEST_NUM(85)
    li a1, -5
    beq a1, a1, 1f
    j fail
1:  blt a1, a1, fail_near
    bge a1, a1, 1f
    j fail
1:  bltu a1, a1, fail_near
    bne a1, a1, fail_near
    bgeu a1, a1, 1f
    j fail
1:
    /* instructions after a taken branch are not executed */
    TEST_NUM(86)
    li a0, 0
    beq x0, x0, 1f
    addi a0, a0, 1
    addi a0, a0, 1
1:  CHECK_EQ(a0, 0)

    /* backward branch loop */
    TEST_NUM(87)
    li a0, 0
    li a1, 10
1:  addi a0, a0, 3
    addi a1, a1, -1
    bnez a1, 1b
    CHECK_EQ(a0, 30)

    /* jal: link = address of the next instruction */
    TEST_NUM(88)
    li ra, 0
    jal ra, 1f
2:  j fail
1:  la a1, 2b
    CHECK_REGS(ra, a1)
    TEST_NUM(89)
    li t0, 0
    jal t0, 1f
2:  j fail
1:  la a1, 2b
    CHECK_REGS(t0, a1)
    /* jal backward */
    TEST_NUM(90)
    j 3f
1:  la a1, 2f
    CHECK_REGS(a0, a1)
    j 4f
3:  jal a0, 1b
2:  j fail
4:
    /* jal x0 does not write x0 */
    TEST_NUM(91)
    jal x0, 1f
    j fail
1:  CHECK_EQ(x0, 0)

    /* jalr: target rs1 + imm, link pc + 4 */
    TEST_NUM(92)
    la t0, 1f
    li ra, 0
    jalr ra, 0(t0)
2:  j fail
1:  la a1, 2b
    CHECK_REGS(ra, a1)
    TEST_NUM(93)
    la t0, 1f
    addi t0, t0, -16
    jalr a3, 16(t0)
2:  j fail
1:  la a1, 2b
    CHECK_REGS(a3, a1)
    TEST_NUM(94)
    la t0, 1f
    addi t0, t0, 2047
    addi t0, t0, 1
    jalr a3, -2048(t0)
    j fail
1:  TEST_NUM(95)
    la t0, 1f
    addi t0, t0, -2047
    jalr a3, 2047(t0)
    j fail
    /* jalr clears bit 0 of the computed target */
1:  TEST_NUM(96)
    la t0, 1f
    addi t0, t0, 1
    jalr a3, 0(t0)
    j fail
1:  TEST_NUM(97)
    la t0, 1f
    addi t0, t0, -1
    jalr a3, 2(t0)
    j fail
1:  TEST_NUM(98)
    la t0, 1f
    jalr a3, 1(t0)
    j fail
    /* jalr rd == rs1: the target uses the old value */
1:  TEST_NUM(99)
    la t0, 1f
    jalr t0, 0(t0)
2:  j fail
1:  la a1, 2b
    CHECK_REGS(t0, a1)
    /* jalr x0 (ret): no link */
    TEST_NUM(100)
    la t0, 1f
    jalr x0, 0(t0)
    j fail
1:  CHECK_EQ(x0, 0)
    /* call / ret, nested */
    TEST_NUM(101)
    li a0, 0
    call sub_outer
    CHECK_EQ(a0, 0x21)

    /* branches near the +/-4 KiB limit */
    TEST_NUM(102)
    beq x0, x0, far_fwd
    j fail
far_back:
    j 1f
    .skip 4000, 0
far_fwd:
    beq x0, x0, far_back
    j fail
1:
    /* jal across 256 KiB both ways: forward to jal_far_fwd, which checks
     * its link and jumps back to jal_far_back, which checks the second link */
    TEST_NUM(103)
    jal a0, jal_far_fwd
jal_far_ret:
    j fail
jal_far_back:
    TEST_NUM(104)
    la a1, jal_far_link
    CHECK_REGS(a2, a1)

    PASS

fail_near:
    j fail

sub_outer:
    mv s0, ra
    addi a0, a0, 1
    call sub_inner
    addi a0, a0, 0x10
    mv ra, s0
    ret
sub_inner:
    addi a0, a0, 0x10
    ret

    .skip 0x40000, 0
jal_far_fwd:
    la a1, jal_far_ret
    bne a0, a1, fail_near
    jal a2, jal_far_back
jal_far_link:
    j fail
