/* Self-modifying code and fence.i: after a store to instruction memory
 * and fence.i, execution sees the new instruction: a function patched
 * again and again after it has run (and become hot), a 16-bit patch,
 * code written into a data buffer and called, an instruction patched
 * ahead of the pc in the same straight-line run as the fence.i, a loop
 * body patched between iterations, and code copied to a page and run
 * from S-mode through a mapping after fence.i. Without fence.i the
 * result is unspecified, so it is never checked.
 * Spec: unprivileged ISA chapter 3 (Zifencei). */
#include "common.h"
#include "vm.h"

#define LI_A0(imm)   ((((imm) & 0xfff) << 20) | 0x513)          /* addi a0, x0, imm */
#define ADDI_A0(imm) ((((imm) & 0xfff) << 20) | 0x50513)        /* addi a0, a0, imm */
#define C_LI_A0(imm) (0x4501 | (((imm) & 0x1f) << 2) | ((((imm) >> 5) & 1) << 12))
#define RET          0x00008067
#define C_RET        0x8082

    .text
    .globl test_main
test_main:
    /* patch a function's first instruction, 100 times, calling it each time */
    TEST_NUM(1)
    la s2, patchme
    li s3, 1
1:  li a0, LI_A0(0)
    slli t0, s3, 20
    or a0, a0, t0                       /* li a0, s3 */
    sw a0, 0(s2)
    fence.i
    li a0, -1
    jalr ra, 0(s2)
    bne a0, s3, fail
    addi s3, s3, 1
    li t0, 100
    bleu s3, t0, 1b
    /* a 16-bit patch: c.li a0, -7 ; c.nop */
    TEST_NUM(2)
    li a0, C_LI_A0(-7) | (0x0001 << 16)
    sw a0, 0(s2)
    fence.i
    jalr ra, 0(s2)
    CHECK_EQ(a0, -7)
    /* turn it into a 16-bit ret: patchme returns at once, a0 unchanged */
    TEST_NUM(3)
    li a0, C_RET
    sh a0, 0(s2)
    fence.i
    li a0, 555
    jalr ra, 0(s2)
    CHECK_EQ(a0, 555)

    /* code written into a data buffer */
    TEST_NUM(4)
    la s2, codebuf
    li a0, LI_A0(0x123)
    sw a0, 0(s2)
    li a0, ADDI_A0(0x111)
    sw a0, 4(s2)
    li a0, RET
    sw a0, 8(s2)
    fence.i
    jalr ra, 0(s2)
    CHECK_EQ(a0, 0x234)
    /* rewrite the middle instruction and run it again */
    TEST_NUM(5)
    li a0, ADDI_A0(-0x23)
    sw a0, 4(s2)
    fence.i
    jalr ra, 0(s2)
    CHECK_EQ(a0, 0x100)

    /* patch ahead of the pc: the store, fence.i and the patched
     * instruction follow each other with no branch in between; the
     * second pass puts the original instruction back */
    TEST_NUM(6)
    la s2, 2f
    li s3, 0
1:  li t0, LI_A0(77)
    beqz s3, 3f
    li t0, LI_A0(11)
3:  sw t0, 0(s2)
    fence.i
    .option push
    .option norvc
2:  li a0, 11                           /* patched */
    .option pop
    bnez s3, 4f
    CHECK_EQ(a0, 77)
    li s3, 1
    j 1b
4:  TEST_NUM(7)
    CHECK_EQ(a0, 11)

    /* a loop body patched between iterations: sum of 1..10 by patching
     * `addi a0, a0, k` each time round */
    TEST_NUM(8)
    la s2, 4f
    li a0, 0
    li s3, 1
5:  li t0, ADDI_A0(0)
    slli t1, s3, 20
    or t0, t0, t1
    sw t0, 0(s2)
    fence.i
    .option push
    .option norvc
4:  addi a0, a0, 0                      /* patched: addi a0, a0, s3 */
    .option pop
    addi s3, s3, 1
    li t0, 10
    bleu s3, t0, 5b
    CHECK_EQ(a0, 55)

    /* code copied to a page, then run from S-mode through a mapping */
    TEST_NUM(9)
    la s2, codepage
    li a0, LI_A0(0x5a)
    sw a0, 0(s2)
    li a0, RET
    sw a0, 4(s2)
    fence.i
    li a5, 3
    jal vm_new_root
    mv s1, a0
    li a1, 0x40000000
    mv a2, s2
    li a3, PTE_V | PTE_X | PTE_AD
    li a4, 0
    li a5, 3
    jal vm_map
    VM_ON SATP_MODE_SV39, s1
    GOTO_MODE PRV_S, 1f
1:  li t0, 0x40000000
    jalr ra, 0(t0)
    mv s4, a0
    GOTO_M 2f
2:  CHECK_EQ(s4, 0x5a)
    /* patch it (M writes the physical page), fence.i, run again in S */
    TEST_NUM(10)
    li a0, LI_A0(0x6b)
    sw a0, 0(s2)
    fence.i
    GOTO_MODE PRV_S, 1f
1:  li t0, 0x40000000
    jalr ra, 0(t0)
    mv s4, a0
    GOTO_M 2f
2:  CHECK_EQ(s4, 0x6b)
    VM_OFF

    PASS

    .balign 4
    .option push
    .option norvc
patchme:
    li a0, 0                            /* patched */
    ret
    .option pop

    .data
    .balign 64
codebuf:
    .skip 64
    .balign 4096
codepage:
    .skip 4096
