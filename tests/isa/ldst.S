/* RV64I loads and stores of every width: sign extension (lb/lh/lw) and
 * zero extension (lbu/lhu/lwu) of every aligned position in a known
 * pattern, positive and negative offsets including the 12-bit extremes,
 * little-endian byte order, stores that change exactly their own bytes,
 * rd == rs1 loads, loads into x0. Spec: unprivileged ISA 2.6, 5.3. */
#include "common.h"

/* Load at ldata + off, once with a positive and once with a negative
 * offset from the base register. */
#define TEST_LD(n, op, val, off) \
    TEST_NUM(n); la a1, ldata; op a0, off(a1); CHECK_EQ(a0, val); \
    la a2, ldata + 64; op a0, (off) - 64(a2); CHECK_EQ(a0, val)
/* Fill sbuf with 0xaa, store 0x8877665544332211 at sbuf + off, the
 * doubleword at sbuf + dw must be val. */
#define TEST_ST(n, op, val, off, dw) \
    TEST_NUM(n); la a1, sbuf; li a2, 0xaaaaaaaaaaaaaaaa; sd a2, 0(a1); sd a2, 8(a1); \
    li a3, 0x8877665544332211; op a3, off(a1); ld a0, dw(a1); CHECK_EQ(a0, val)

    .text
    .globl test_main
test_main:
    /* lb */
    TEST_LD(1, lb, 0x1, 0)
    TEST_LD(2, lb, 0xffffffffffffff82, 1)
    TEST_LD(3, lb, 0xffffffffffffff83, 2)
    TEST_LD(4, lb, 0x4, 3)
    TEST_LD(5, lb, 0xffffffffffffff85, 4)
    TEST_LD(6, lb, 0xffffffffffffff86, 5)
    TEST_LD(7, lb, 0x7, 6)
    TEST_LD(8, lb, 0x8, 7)
    TEST_LD(9, lb, 0xfffffffffffffff1, 8)
    TEST_LD(10, lb, 0x72, 9)
    TEST_LD(11, lb, 0xfffffffffffffff3, 10)
    TEST_LD(12, lb, 0x74, 11)
    TEST_LD(13, lb, 0xfffffffffffffff5, 12)
    TEST_LD(14, lb, 0x76, 13)
    TEST_LD(15, lb, 0xfffffffffffffff7, 14)
    TEST_LD(16, lb, 0x78, 15)
    /* lbu */
    TEST_LD(17, lbu, 0x1, 0)
    TEST_LD(18, lbu, 0x82, 1)
    TEST_LD(19, lbu, 0x83, 2)
    TEST_LD(20, lbu, 0x4, 3)
    TEST_LD(21, lbu, 0x85, 4)
    TEST_LD(22, lbu, 0x86, 5)
    TEST_LD(23, lbu, 0x7, 6)
    TEST_LD(24, lbu, 0x8, 7)
    TEST_LD(25, lbu, 0xf1, 8)
    TEST_LD(26, lbu, 0x72, 9)
    TEST_LD(27, lbu, 0xf3, 10)
    TEST_LD(28, lbu, 0x74, 11)
    TEST_LD(29, lbu, 0xf5, 12)
    TEST_LD(30, lbu, 0x76, 13)
    TEST_LD(31, lbu, 0xf7, 14)
    TEST_LD(32, lbu, 0x78, 15)
    /* lh */
    TEST_LD(33, lh, 0xffffffffffff8201, 0)
    TEST_LD(34, lh, 0x483, 2)
    TEST_LD(35, lh, 0xffffffffffff8685, 4)
    TEST_LD(36, lh, 0x807, 6)
    TEST_LD(37, lh, 0x72f1, 8)
    TEST_LD(38, lh, 0x74f3, 10)
    TEST_LD(39, lh, 0x76f5, 12)
    TEST_LD(40, lh, 0x78f7, 14)
    /* lhu */
    TEST_LD(41, lhu, 0x8201, 0)
    TEST_LD(42, lhu, 0x483, 2)
    TEST_LD(43, lhu, 0x8685, 4)
    TEST_LD(44, lhu, 0x807, 6)
    TEST_LD(45, lhu, 0x72f1, 8)
    TEST_LD(46, lhu, 0x74f3, 10)
    TEST_LD(47, lhu, 0x76f5, 12)
    TEST_LD(48, lhu, 0x78f7, 14)
    /* lw */
    TEST_LD(49, lw, 0x4838201, 0)
    TEST_LD(50, lw, 0x8078685, 4)
    TEST_LD(51, lw, 0x74f372f1, 8)
    TEST_LD(52, lw, 0x78f776f5, 12)
    TEST_LD(53, lw, 0xffffffff80000000, 16)
    TEST_LD(54, lw, 0x7fffffff, 20)
    TEST_LD(55, lw, 0xffffffffffffffff, 24)
    TEST_LD(56, lw, 0xffffffffffffffff, 28)
    /* lwu */
    TEST_LD(57, lwu, 0x4838201, 0)
    TEST_LD(58, lwu, 0x8078685, 4)
    TEST_LD(59, lwu, 0x74f372f1, 8)
    TEST_LD(60, lwu, 0x78f776f5, 12)
    TEST_LD(61, lwu, 0x80000000, 16)
    TEST_LD(62, lwu, 0x7fffffff, 20)
    TEST_LD(63, lwu, 0xffffffff, 24)
    TEST_LD(64, lwu, 0xffffffff, 28)
    /* ld */
    TEST_LD(65, ld, 0x807868504838201, 0)
    TEST_LD(66, ld, 0x78f776f574f372f1, 8)
    TEST_LD(67, ld, 0x7fffffff80000000, 16)
    TEST_LD(68, ld, 0xffffffffffffffff, 24)
    /* stores change exactly their bytes (buffer pre-filled with 0xaa) */
    TEST_ST(69, sb, 0xaaaaaaaaaaaaaa11, 0, 0)
    TEST_ST(70, sb, 0xaaaaaaaa11aaaaaa, 3, 0)
    TEST_ST(71, sb, 0xaa11aaaaaaaaaaaa, 6, 0)
    TEST_ST(72, sb, 0xaaaaaaaaaaaa11aa, 9, 8)
    TEST_ST(73, sb, 0xaaaaaa11aaaaaaaa, 12, 8)
    TEST_ST(74, sb, 0x11aaaaaaaaaaaaaa, 15, 8)
    TEST_ST(75, sh, 0xaaaaaaaaaaaa2211, 0, 0)
    TEST_ST(76, sh, 0xaaaaaaaa2211aaaa, 2, 0)
    TEST_ST(77, sh, 0xaaaa2211aaaaaaaa, 4, 0)
    TEST_ST(78, sh, 0x2211aaaaaaaaaaaa, 6, 0)
    TEST_ST(79, sh, 0xaaaaaaaaaaaa2211, 8, 8)
    TEST_ST(80, sh, 0xaaaaaaaa2211aaaa, 10, 8)
    TEST_ST(81, sh, 0xaaaa2211aaaaaaaa, 12, 8)
    TEST_ST(82, sh, 0x2211aaaaaaaaaaaa, 14, 8)
    TEST_ST(83, sw, 0xaaaaaaaa44332211, 0, 0)
    TEST_ST(84, sw, 0x44332211aaaaaaaa, 4, 0)
    TEST_ST(85, sw, 0xaaaaaaaa44332211, 8, 8)
    TEST_ST(86, sw, 0x44332211aaaaaaaa, 12, 8)
    TEST_ST(87, sd, 0x8877665544332211, 0, 0)
    TEST_ST(88, sd, 0x8877665544332211, 8, 8)

    /* 12-bit offset extremes */
    TEST_CASE(89, a0, 0x0807868504838201, la a1, ldata - 2047; ld a0, 2047(a1))
    TEST_CASE(90, a0, 0x0807868504838201, la a1, ldata + 2048; ld a0, -2048(a1))
    TEST_NUM(91)
    la a1, sbuf + 2048
    li a2, 0x0123456789abcdef
    sd a2, -2048(a1)
    la a1, sbuf - 2047
    ld a0, 2047(a1)
    CHECK_EQ(a0, 0x0123456789abcdef)

    /* byte order: a word store seen byte by byte */
    TEST_NUM(92)
    la a1, sbuf
    li a2, 0x11223344
    sw a2, 0(a1)
    lbu a0, 0(a1)
    CHECK_EQ(a0, 0x44)
    lbu a0, 1(a1)
    CHECK_EQ(a0, 0x33)
    lbu a0, 2(a1)
    CHECK_EQ(a0, 0x22)
    lbu a0, 3(a1)
    CHECK_EQ(a0, 0x11)
    /* byte stores assembled into a doubleword */
    TEST_NUM(93)
    la a1, sbuf
    li a2, 0xf0
    sb a2, 0(a1)
    li a2, 0xe1
    sb a2, 1(a1)
    li a2, 0xd2
    sb a2, 2(a1)
    li a2, 0xc3
    sb a2, 3(a1)
    li a2, 0xb4
    sb a2, 4(a1)
    li a2, 0xa5
    sb a2, 5(a1)
    li a2, 0x96
    sb a2, 6(a1)
    li a2, 0x87
    sb a2, 7(a1)
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x8796a5b4c3d2e1f0)
    lw a0, 4(a1)
    CHECK_EQ(a0, 0xffffffff8796a5b4)
    lwu a0, 4(a1)
    CHECK_EQ(a0, 0x8796a5b4)
    lh a0, 2(a1)
    CHECK_EQ(a0, 0xffffffffffffc3d2)

    /* only the low bits of rs2 are stored */
    TEST_NUM(94)
    la a1, sbuf
    sd zero, 0(a1)
    li a2, 0xffffffffffffff12
    sb a2, 0(a1)
    li a2, 0x123456789abc
    sh a2, 2(a1)
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x9abc0012)

    /* rd == rs1 */
    TEST_CASE(95, a1, 0x0807868504838201, la a1, ldata; ld a1, 0(a1))
    TEST_CASE(96, a1, 0xffffffffffffff82, la a1, ldata; lb a1, 1(a1))
    /* load into x0 is performed and discarded */
    TEST_CASE(97, x0, 0, la a1, ldata; ld x0, 0(a1); lw x0, 4(a1); lbu x0, 1(a1))
    /* store x0 */
    TEST_NUM(98)
    la a1, sbuf
    li a2, -1
    sd a2, 0(a1)
    sw x0, 0(a1)
    ld a0, 0(a1)
    CHECK_EQ(a0, 0xffffffff00000000)
    /* store data register == base register */
    TEST_NUM(99)
    la a1, sbuf
    sd a1, 0(a1)
    ld a0, 0(a1)
    CHECK_REGS(a0, a1)
    /* store-then-load of every width at one address */
    TEST_NUM(100)
    la a1, sbuf
    li a2, 0xfedcba9876543210
    sd a2, 8(a1)
    ld a3, 8(a1)
    CHECK_REGS(a3, a2)
    sw a2, 8(a1)
    lw a3, 8(a1)
    CHECK_EQ(a3, 0x76543210)
    sh a2, 8(a1)
    lh a3, 8(a1)
    CHECK_EQ(a3, 0x3210)
    sb a2, 8(a1)
    lb a3, 8(a1)
    CHECK_EQ(a3, 0x10)
    /* a store to the next doubleword does not disturb this one */
    TEST_NUM(101)
    la a1, sbuf
    li a2, 0x1111111111111111
    sd a2, 0(a1)
    li a3, -1
    sd a3, 8(a1)
    sb a3, -1(a1)
    ld a0, 0(a1)
    CHECK_REGS(a0, a2)

    PASS

    .data
    .balign 64
ldata:
    .byte 0x01, 0x82, 0x83, 0x04, 0x85, 0x86, 0x07, 0x08
    .byte 0xf1, 0x72, 0xf3, 0x74, 0xf5, 0x76, 0xf7, 0x78
    .byte 0x00, 0x00, 0x00, 0x80, 0xff, 0xff, 0xff, 0x7f
    .byte 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
    .balign 64
    .skip 8
sbuf:
    .skip 64
