/* RV64M: mul/mulh/mulhsu/mulhu, div/divu/rem/remu and the W forms mulw,
 * divw, divuw, remw, remuw, including signed/unsigned high products,
 * truncating division, division by zero (quotient all ones, remainder =
 * dividend) and signed overflow (-2^63 / -1 = -2^63, remainder 0), with
 * 32-bit results sign-extended. Spec: unprivileged ISA 7.1, 7.2 (table
 * "Semantics for division by zero and division overflow"). */
#include "common.h"

    .text
    .globl test_main
test_main:
    /* mul: low 64 bits, same for signed and unsigned */
    TEST_RR(1, mul, 0x0, 0x0, 0x0)
    TEST_RR(2, mul, 0x1, 0x1, 0x1)
    TEST_RR(3, mul, 0x15, 0x3, 0x7)
    TEST_RR(4, mul, 0x1, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(5, mul, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    TEST_RR(6, mul, 0xfffffffffffffffe, 0x7fffffffffffffff, 0x2)
    TEST_RR(7, mul, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
    TEST_RR(8, mul, 0x2236d88fe5618cf0, 0x123456789abcdef0, 0xfedcba987654321)
    TEST_RR(9, mul, 0xfffffffe00000001, 0xffffffff, 0xffffffff)
    /* mulh: high 64 bits of signed x signed */
    TEST_RR(10, mulh, 0x0, 0x0, 0x0)
    TEST_RR(11, mulh, 0x0, 0x1, 0x1)
    TEST_RR(12, mulh, 0x0, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(13, mulh, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    TEST_RR(14, mulh, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff)
    TEST_RR(15, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR(16, mulh, 0xc000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(17, mulh, 0xffffffffffffffff, 0x8000000000000000, 0x1)
    TEST_RR(18, mulh, 0xffeb49923cc09532, 0x123456789abcdef0, 0xfedcba9876543210)
    TEST_RR(19, mulh, 0xffffffffffffffff, 0x2, 0x8000000000000000)
    /* mulhsu: signed rs1 x unsigned rs2 */
    TEST_RR(20, mulhsu, 0x0, 0x0, 0x0)
    TEST_RR(21, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(22, mulhsu, 0x0, 0x1, 0xffffffffffffffff)
    TEST_RR(23, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    TEST_RR(24, mulhsu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
    TEST_RR(25, mulhsu, 0x7ffffffffffffffe, 0x7fffffffffffffff, 0xffffffffffffffff)
    TEST_RR(26, mulhsu, 0xffffffffffffffff, 0xfffffffffffffffe, 0x8000000000000000)
    TEST_RR(27, mulhsu, 0x121fa00ad77d7422, 0x123456789abcdef0, 0xfedcba9876543210)
    /* mulhu: unsigned x unsigned */
    TEST_RR(28, mulhu, 0x0, 0x0, 0x0)
    TEST_RR(29, mulhu, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(30, mulhu, 0x0, 0xffffffffffffffff, 0x1)
    TEST_RR(31, mulhu, 0x1, 0x8000000000000000, 0x2)
    TEST_RR(32, mulhu, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
    TEST_RR(33, mulhu, 0x121fa00ad77d7422, 0x123456789abcdef0, 0xfedcba9876543210)
    TEST_RR(34, mulhu, 0x0, 0xffffffff, 0xffffffff)
    /* mulw: low 32 bits sign-extended, upper source bits ignored */
    TEST_RR(35, mulw, 0x15, 0x3, 0x7)
    TEST_RR(36, mulw, 0xfffffffffffffffe, 0x7fffffff, 0x2)
    TEST_RR(37, mulw, 0x0, 0x10000, 0x10000)
    TEST_RR(38, mulw, 0xffffffff80000000, 0x10000, 0x8000)
    TEST_RR(39, mulw, 0x1, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(40, mulw, 0xf, 0xabcdef0100000003, 0x1234567800000005)
    TEST_RR(41, mulw, 0xffffffff80000000, 0x80000000, 0xffffffffffffffff)
    /* div / divu: truncate toward zero */
    TEST_RR(42, div, 0x3, 0x14, 0x6)
    TEST_RR(43, div, 0xfffffffffffffffd, 0xffffffffffffffec, 0x6)
    TEST_RR(44, div, 0xfffffffffffffffd, 0x14, 0xfffffffffffffffa)
    TEST_RR(45, div, 0x3, 0xffffffffffffffec, 0xfffffffffffffffa)
    TEST_RR(46, div, 0x8000000000000000, 0x8000000000000000, 0x1)
    TEST_RR(47, div, 0xc000000000000000, 0x8000000000000000, 0x2)
    TEST_RR(48, divu, 0x3, 0x14, 0x6)
    TEST_RR(49, divu, 0x2aaaaaaaaaaaaaa7, 0xffffffffffffffec, 0x6)
    TEST_RR(50, divu, 0x4000000000000000, 0x8000000000000000, 0x2)
    TEST_RR(51, divu, 0x5555555555555555, 0xffffffffffffffff, 0x3)
    /* rem / remu: sign follows the dividend */
    TEST_RR(52, rem, 0x2, 0x14, 0x6)
    TEST_RR(53, rem, 0xfffffffffffffffe, 0xffffffffffffffec, 0x6)
    TEST_RR(54, rem, 0x2, 0x14, 0xfffffffffffffffa)
    TEST_RR(55, rem, 0xfffffffffffffffe, 0xffffffffffffffec, 0xfffffffffffffffa)
    TEST_RR(56, rem, 0xfffffffffffffffe, 0x8000000000000000, 0x3)
    TEST_RR(57, remu, 0x2, 0x14, 0x6)
    TEST_RR(58, remu, 0x2, 0xffffffffffffffec, 0x6)
    TEST_RR(59, remu, 0xffffffff, 0xffffffffffffffff, 0x100000000)
    /* division by zero: quotient all ones, remainder the dividend */
    TEST_RR(60, div, 0xffffffffffffffff, 0x5, 0x0)
    TEST_RR(61, div, 0xffffffffffffffff, 0xfffffffffffffffb, 0x0)
    TEST_RR(62, div, 0xffffffffffffffff, 0x0, 0x0)
    TEST_RR(63, divu, 0xffffffffffffffff, 0x5, 0x0)
    TEST_RR(64, divu, 0xffffffffffffffff, 0xfffffffffffffffb, 0x0)
    TEST_RR(65, rem, 0x5, 0x5, 0x0)
    TEST_RR(66, rem, 0xfffffffffffffffb, 0xfffffffffffffffb, 0x0)
    TEST_RR(67, remu, 0x5, 0x5, 0x0)
    TEST_RR(68, remu, 0xfffffffffffffffb, 0xfffffffffffffffb, 0x0)
    /* signed overflow: -2^63 / -1 */
    TEST_RR(69, div, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
    TEST_RR(70, rem, 0x0, 0x8000000000000000, 0xffffffffffffffff)
    TEST_RR(71, divu, 0x0, 0x8000000000000000, 0xffffffffffffffff)
    TEST_RR(72, remu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
    /* W forms: 32-bit operands, result sign-extended */
    TEST_RR(73, divw, 0x3, 0x14, 0x6)
    TEST_RR(74, divw, 0xfffffffffffffffd, 0xffffffffffffffec, 0x6)
    TEST_RR(75, divw, 0x3, 0xffffffff00000014, 0x100000006)
    TEST_RR(76, divw, 0x7fffffff, 0x7fffffff, 0x1)
    TEST_RR(77, divuw, 0x3, 0x14, 0x6)
    TEST_RR(78, divuw, 0x2aaaaaa7, 0xffffffffffffffec, 0x6)
    TEST_RR(79, divuw, 0xffffffffffffffff, 0xffffffff, 0x1)
    TEST_RR(80, divuw, 0xffffffffffffffff, 0x1ffffffff, 0x100000001)
    TEST_RR(81, remw, 0x2, 0x14, 0x6)
    TEST_RR(82, remw, 0xfffffffffffffffe, 0xffffffffffffffec, 0x6)
    TEST_RR(83, remw, 0xfffffffffffffffe, 0x80000000, 0x7)
    TEST_RR(84, remuw, 0x2, 0x14, 0x6)
    TEST_RR(85, remuw, 0x2, 0xffffffffffffffec, 0x6)
    TEST_RR(86, remuw, 0x5, 0x80000005, 0x80000000)
    /* W forms divide by zero and overflow */
    TEST_RR(87, divw, 0xffffffffffffffff, 0x5, 0x0)
    TEST_RR(88, divw, 0xffffffffffffffff, 0x100000000, 0x0)
    TEST_RR(89, divuw, 0xffffffffffffffff, 0x5, 0x0)
    TEST_RR(90, divuw, 0xffffffffffffffff, 0x1234567800000000, 0xffffffff00000000)
    TEST_RR(91, remw, 0xffffffff80000001, 0xffffffff80000001, 0x0)
    TEST_RR(92, remw, 0xffffffff80000001, 0x180000001, 0x0)
    TEST_RR(93, remuw, 0xffffffff80000001, 0x80000001, 0x0)
    TEST_RR(94, remuw, 0x23456789, 0x123456789, 0x0)
    TEST_RR(95, divw, 0xffffffff80000000, 0x80000000, 0xffffffffffffffff)
    TEST_RR(96, divw, 0xffffffff80000000, 0xffffffff80000000, 0xffffffff)
    TEST_RR(97, remw, 0x0, 0x80000000, 0xffffffffffffffff)

    /* mulh + mul give the full 128-bit product; rd == rs1 == rs2 */
    TEST_NUM(98)
    li a1, 0xfedcba9876543210
    mulhu a0, a1, a1
    mul a2, a1, a1
    CHECK_EQ(a0, 0xfdbac097c8dc5acc)
    CHECK_EQ(a2, 0xdeec6cd7a44a4100)
    mul a1, a1, a1
    CHECK_EQ(a1, 0xdeec6cd7a44a4100)
    /* x0 destination */
    TEST_CASE(99, x0, 0, li a1, 3; li a2, 5; mul x0, a1, a2; div x0, a1, a2)
    /* quotient * divisor + remainder == dividend */
    TEST_NUM(100)
    li a1, 0x9e3779b97f4a7c15
    li a2, 0xfffffffffff1a2b3
    div a3, a1, a2
    rem a4, a1, a2
    mul a5, a3, a2
    add a5, a5, a4
    CHECK_REGS(a5, a1)
    divu a3, a1, a2
    remu a4, a1, a2
    mul a5, a3, a2
    add a5, a5, a4
    CHECK_REGS(a5, a1)
    /* -1 divisors other than the overflow case; W forms see only the low
     * word of a divisor (a JIT must test and compare 32 bits) */
    TEST_RR(101, div, 0xfffffffffffffff9, 0x7, 0xffffffffffffffff)
    TEST_RR(102, rem, 0x0, 0x7, 0xffffffffffffffff)
    TEST_RR(103, divw, 0xfffffffffffffff9, 0x7, 0x12345678ffffffff)
    TEST_RR(104, remw, 0x0, 0x7, 0x12345678ffffffff)
    TEST_RR(105, divw, 0x7fffffff, 0x7fffffff, 0xffffffff00000001)
    TEST_RR(106, remuw, 0x7, 0x7, 0xffffffff00000000)
    /* rd == rs2 */
    TEST_NUM(107)
    li a1, 100
    li a2, 7
    div a2, a1, a2
    CHECK_EQ(a2, 14)
    li a2, 0
    remu a2, a1, a2
    CHECK_EQ(a2, 100)

    PASS
