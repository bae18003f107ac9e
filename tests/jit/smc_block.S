/* Self-modifying code inside the running block, the JIT's hardest case for
 * invalidation: a store that rewrites an instruction a few slots ahead in
 * the same straight-line run (so the same translation block), with and
 * without fence.i; a store into the running block's own page that does not
 * touch code; a hot loop whose body is patched between iterations.
 * With fence.i the new instruction must run. Without it (same hart) the
 * result is unspecified: either the old or the new instruction, never a
 * crash or anything else. Spec: unprivileged ISA chapter 3 (Zifencei). */
#include "common.h"

#define LI_A0(imm) ((((imm) & 0xfff) << 20) | 0x513) /* addi a0, x0, imm */

    .text
    .globl test_main
test_main:
    /* 1: patch ahead in the same block, fence.i: the new one runs */
    TEST_NUM(1)
    li s1, LI_A0(222)
    la s2, 1f
    .option push
    .option norvc
    sw s1, 0(s2)
    fence.i
1:  li a0, 111
    .option pop
    CHECK_EQ(a0, 222)

    /* 2: patch ahead in the same block, no fence.i: old or new; then
     * fence.i and run the same instruction again: now the new one */
    TEST_NUM(2)
    li s5, 0
    li s1, LI_A0(444)
    la s2, 2f
    .option push
    .option norvc
    sw s1, 0(s2)
    nop
2:  li a0, 333
    .option pop
    li t0, 444
    beq a0, t0, 3f
    CHECK_EQ(a0, 333)
3:  bnez s5, 8f
    li s5, 1
    fence.i
    j 2b
8:  CHECK_EQ(a0, 444)

    /* 3: a store into the running block's page that is not code: the
     * block goes on, every instruction after it runs once */
    TEST_NUM(3)
    la s2, datainpage
    li a0, 0
    li s1, 0x5a5a
    sd s1, 0(s2)
    addi a0, a0, 1
    addi a0, a0, 1
    sd s1, 8(s2)
    addi a0, a0, 1
    CHECK_EQ(a0, 3)
    ld t0, 8(s2)
    CHECK_EQ(t0, 0x5a5a)

    /* 4: a hot loop whose body is patched every iteration, with fence.i:
     * the sum is 1 + 2 + ... + 100 */
    TEST_NUM(4)
    li s3, 0                            /* sum */
    li s4, 1                            /* i */
    la s2, 5f
4:  slli t0, s4, 20
    li t1, LI_A0(0)
    or t0, t0, t1
    sw t0, 0(s2)
    fence.i
    .option push
    .option norvc
5:  li a0, 0
    .option pop
    add s3, s3, a0
    addi s4, s4, 1
    li t0, 100
    bleu s4, t0, 4b
    CHECK_EQ(s3, 5050)

    /* 5: the same loop without fence.i: each iteration sees its own patch
     * or an older one; the loop must end and a0 stays a value once written */
    TEST_NUM(5)
    li s3, 0
    li s4, 1
    la s2, 7f
6:  slli t0, s4, 20
    li t1, LI_A0(0)
    or t0, t0, t1
    sw t0, 0(s2)
    .option push
    .option norvc
7:  li a0, 0
    .option pop
    bltu s4, a0, fail                   /* never a value not yet written */
    add s3, s3, a0
    addi s4, s4, 1
    li t0, 100
    bleu s4, t0, 6b
    li t0, 5050
    bgtu s3, t0, fail
    fence.i
    PASS

    .balign 64
datainpage:
    .dword 0, 0
