/* Hot loops with `if (c) x = f(x, ...)`: a branch over a few ALU
 * instructions that write one register, which the JIT turns into straight
 * code (run the skipped instructions, put the old value back when the
 * branch is taken) inside a region. Each loop's result and instruction
 * count must match the interpreter's, for every branch condition, and
 * shapes that must not be converted (two registers written, a load in the
 * skipped code, another jump into it) must still run right.
 *   1 CRC-16 bit loop: if (low bit) crc = (crc ^ poly) & 0xffff
 *   2 beq/bne/blt/bge/bltu/bgeu skipping an add, on alternating data
 *   3 the skipped code writes two registers (not converted)
 *   4 the skipped code loads (not converted)
 *   5 a second branch jumps into the skipped code (not converted)
 *   6 minstret over a converted loop counts exactly the retired ones
 * Spec: unprivileged ISA, "RV64I" 5.2 and 2.5 (conditional branches). */
#include "common.h"

    .text
    .globl test_main
test_main:
    /* 1: crc16 (poly 0xa001, reflected) of the bytes 0..255, one bit at a time */
    TEST_NUM(1)
    li a1, 0            /* crc */
    li a0, 0            /* byte */
    li a6, 256
    li s3, 0xa001
2:  xor a1, a1, a0
    li a4, 8
1:  andi a3, a1, 1
    srli a1, a1, 1
    beqz a3, 3f
    xor a1, a1, s3
    slli a1, a1, 48
    srli a1, a1, 48
3:  addiw a4, a4, -1
    bnez a4, 1b
    addi a0, a0, 1
    bne a0, a6, 2b
    CHECK_EQ(a1, 0xbad3)

    /* 2: each condition, 2000 iterations on i and i ^ 0x55 */
#define COND_LOOP(n, br, expect) \
    TEST_NUM(n); li a0, 0; li a2, 0; li a5, 2000; \
1:  xori a1, a0, 0x55; br a0, a1, 3f; addi a2, a2, 3; slli a2, a2, 1; srli a2, a2, 1; \
3:  addi a0, a0, 1; bne a0, a5, 1b; CHECK_EQ(a2, expect)
    COND_LOOP(2, beq, 6000)
    COND_LOOP(3, bne, 0)
    COND_LOOP(4, blt, 2928)
    COND_LOOP(5, bge, 3072)
    COND_LOOP(6, bltu, 2928)
    COND_LOOP(7, bgeu, 3072)

    /* 3: two registers written in the skipped code */
    TEST_NUM(8)
    li a0, 0
    li a2, 0
    li a3, 0
    li a5, 1000
1:  andi a1, a0, 3
    bnez a1, 3f
    addi a2, a2, 5
    addi a3, a3, 7
3:  addi a0, a0, 1
    bne a0, a5, 1b
    CHECK_EQ(a2, 1250)
    CHECK_EQ(a3, 1750)

    /* 4: a load in the skipped code */
    TEST_NUM(9)
    la s1, words
    li a0, 0
    li a2, 0
    li a5, 1000
1:  andi a1, a0, 1
    beqz a1, 3f
    lw a2, 0(s1)
3:  addi a0, a0, 1
    bne a0, a5, 1b
    CHECK_EQ(a2, 0x1234)

    /* 5: the skipped code is also entered from a second branch */
    TEST_NUM(10)
    li a0, 0
    li a2, 0
    li a5, 999
1:  andi a1, a0, 1
    beqz a1, 3f
4:  addi a2, a2, 2
3:  andi a1, a0, 7
    addi a0, a0, 1
    beqz a1, 4b
    bne a0, a5, 1b
    CHECK_EQ(a2, 998)

    /* 6: minstret over 1000 iterations of a converted loop */
    TEST_NUM(11)
    li a0, 0
    li a2, 0
    li a5, 1000
    csrr s2, minstret
1:  andi a1, a0, 1
    beqz a1, 3f
    addi a2, a2, 1
3:  addi a0, a0, 1
    bne a0, a5, 1b
    csrr s4, minstret
    sub s4, s4, s2
    CHECK_EQ(a2, 500)
    /* csrr + 1000 * 4 + 500 skipped-in adds: the first csrr is not counted */
    CHECK_EQ(s4, 4501)
    PASS

    .data
    .align 3
words:
    .word 0x1234
