/* An instruction that straddles two pages (its low half at the end of one,
 * its high half at the start of the next), run hot, after the second page
 * is remapped to another physical page (PTE + sfence.vma from M-mode), and
 * after the second page's half is rewritten (store + fence.i). The cached
 * block of such an instruction must follow both pages: one keyed and
 * checked by its first page only runs a stale high half. It is reached
 * both by a same-page jump (c.j into it, which would otherwise chain) and
 * by an indirect jump straight to it. Spec: unprivileged 1.5 (an
 * instruction may span pages), privileged 4.2.1 (sfence.vma and fetch). */
#include "common.h"
#include "vm.h"

#define VA_CODE 0x40000000
#define VA_W2   0x40200000 /* page 2a, writable */
/* addi a0, a0, imm split in halves: the low half is the same for every imm */
#define ADDI_A0(imm) ((((imm) & 0xfff) << 20) | (10 << 15) | (10 << 7) | 0x13)
#define HI(insn)     ((insn) >> 16)

/* From S-mode: s3 = the sum of a0 over 100 calls of the code at va, each
 * call starting with a0 = 0; back in M-mode, s3 must be `sum`. */
    .macro CALLS_S va, sum
    GOTO_MODE PRV_S, 1f
1:  li s3, 0
    li s4, 100
    li t0, \va
2:  li a0, 0
    jalr ra, 0(t0)
    add s3, s3, a0
    addi s4, s4, -1
    bnez s4, 2b
    GOTO_M 3f
3:  CHECK_EQ(s3, \sum)
    .endm

    .text
    .globl test_main
test_main:
    li a5, 3
    jal vm_new_root
    mv s1, a0
    la a2, page1
    li a1, VA_CODE
    li a3, PTE_LEAF_RX
    li a4, 0
    jal vm_map
    mv a0, s1
    la a2, page2a
    li a1, VA_CODE + 0x1000
    li a3, PTE_LEAF_RX
    li a4, 0
    jal vm_map
    mv s2, a0                           /* &PTE(VA_CODE + 0x1000) */
    VM_ON SATP_MODE_SV39, s1

    /* 1: the high half from page 2a: + 1 per call, via the c.j */
    TEST_NUM(1)
    CALLS_S VA_CODE + 0xff0, 100
    /* 2: page 2 remapped to 2b from M-mode: + 2 */
    TEST_NUM(2)
    PTE_FOR page2b
    sd a3, 0(s2)
    sfence.vma
    CALLS_S VA_CODE + 0xff0, 200
    /* 3: the same, entered by an indirect jump straight to the instruction */
    TEST_NUM(3)
    CALLS_S VA_CODE + 0xffe, 200
    /* 4: 2b's half rewritten (M-mode, physical) to + 3 */
    TEST_NUM(4)
    la t0, page2b
    li t1, HI(ADDI_A0(3))
    sh t1, 0(t0)
    fence.i
    CALLS_S VA_CODE + 0xff0, 300
    CALLS_S VA_CODE + 0xffe, 300
    /* 5: back to 2a: + 1 again, both ways in */
    TEST_NUM(5)
    PTE_FOR page2a
    sd a3, 0(s2)
    sfence.vma
    CALLS_S VA_CODE + 0xffe, 100
    CALLS_S VA_CODE + 0xff0, 100
    /* 6: hot indirect calls straight to the instruction, then S-mode
     * rewrites 2a's half through a writable alias with no TLB flush in
     * between (an indirect-jump cache keyed by the first page would still
     * hit): + 4 */
    TEST_NUM(6)
    mv a0, s1
    la a2, page2a
    li a1, VA_W2
    li a3, PTE_V | PTE_R | PTE_W | PTE_AD
    li a4, 0
    jal vm_map
    sfence.vma
    GOTO_MODE PRV_S, 1f
1:  li s3, 0
    li s4, 50
    li t0, VA_CODE + 0xffe
2:  li a0, 0
    jalr ra, 0(t0)
    add s3, s3, a0
    addi s4, s4, -1
    bnez s4, 2b
    li t1, HI(ADDI_A0(4))
    li t2, VA_W2
    sh t1, 0(t2)
    fence.i
    li a0, 0
    jalr ra, 0(t0)
    mv s4, a0
    GOTO_M 3f
3:  CHECK_EQ(s3, 50)
    CHECK_EQ(s4, 4)
    VM_OFF
    PASS

    .data
    .option push
    .option norvc
    .balign 4096
page1:
    .skip 0xff0
    nop
    nop
    nop
    .option rvc
    c.j 1f
1:  .2byte ADDI_A0(0) & 0xffff
    .option norvc
    .balign 4096
page2a:
    .2byte HI(ADDI_A0(1))
    ret
    .balign 4096
page2b:
    .2byte HI(ADDI_A0(2))
    ret
    .balign 4096
    .option pop
