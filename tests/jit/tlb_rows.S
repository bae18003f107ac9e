/* Hot pages that share one row of the software TLB (rows are picked by the
 * low 10 bits of the page number, so pages 4 MiB apart share one; any row
 * count up to 1024 keeps them together). S-mode runs LOOPS iterations of a
 * loop in code page C (VA_C) that loads two data words at VA_A and VA_B,
 * stores both back changed and calls a function in code page D (VA_D):
 * two read pages, two write pages and two fetch pages in the same row.
 * The sums are checked (1); then VA_A is pointed at B's page and fenced
 * by its own address alone: the next load through VA_A reads B (2), and
 * VA_B, the row's other page, still reads B as before (3).
 * With one way per row each access evicted the other page (about six walks
 * an iteration, some 60000 TLB misses); with two ways both stay resident,
 * which tests/jit/run.sh checks on rvmm --stats' TLB miss count.
 * Spec: privileged 4.2.1 (sfence.vma with an address). */
#include "common.h"
#include "vm.h"

#define VA_A  0x40000000
#define VA_B  0x40400000
#define VA_C  0x40800000
#define VA_D  0x40c00000
#define LOOPS 10000

    /* Maps the 4 KiB page at \label at va in root s1 (Sv39). */
    .macro MAP4K va, label, flags
    mv a0, s1
    li a1, \va
    la a2, \label
    li a3, \flags
    li a4, 0
    li a5, 3
    jal vm_map
    .endm

    .text
    .globl test_main
test_main:
    la t0, dataA
    sd zero, 0(t0)
    la t0, dataB
    li t1, 1
    sd t1, 0(t0)
    li a5, 3
    jal vm_new_root
    mv s1, a0
    MAP4K VA_A, dataA, PTE_LEAF
    mv s2, a0                           /* &PTE(VA_A) */
    MAP4K VA_B, dataB, PTE_LEAF
    MAP4K VA_C, codeC, PTE_LEAF_RX
    MAP4K VA_D, codeD, PTE_LEAF_RX
    VM_ON SATP_MODE_SV39, s1

    /* 1: the loop's results */
    TEST_NUM(1)
    GOTO_MODE PRV_S, 2f
2:  li a0, LOOPS
    li a1, 0
    li s3, VA_D
    li t0, VA_C
    jalr ra, 0(t0)
    mv s4, a1
    li t0, VA_A
    ld s5, 0(t0)
    li t0, VA_B
    ld s6, 0(t0)
    /* 2, 3: remap VA_A to B's page, fence VA_A alone, both read B */
    la a3, dataB
    srli a3, a3, 12
    slli a3, a3, 10
    ori a3, a3, PTE_LEAF
    sd a3, 0(s2)
    li t0, VA_A
    sfence.vma t0, zero
    ld s7, 0(t0)
    li t0, VA_B
    ld s8, 0(t0)
    GOTO_M 3f
3:  CHECK_EQ(s4, LOOPS)
    CHECK_EQ(s5, LOOPS * (LOOPS + 1) / 2)
    CHECK_EQ(s6, LOOPS + 1)
    TEST_NUM(2)
    CHECK_EQ(s7, LOOPS + 1)
    TEST_NUM(3)
    CHECK_EQ(s8, LOOPS + 1)
    VM_OFF
    PASS

    .option push
    .option norvc
    .balign 4096
/* At VA_C: a0 iterations of A += B, B += 1, a call of D (at s3). */
codeC:
    mv t6, ra
    li t0, VA_A
    li t1, VA_B
1:  ld t2, 0(t0)
    ld t3, 0(t1)
    add t2, t2, t3
    addi t3, t3, 1
    sd t2, 0(t0)
    sd t3, 0(t1)
    jalr ra, 0(s3)
    addi a0, a0, -1
    bnez a0, 1b
    mv ra, t6
    ret
    .balign 4096
/* At VA_D: counts the calls in a1. */
codeD:
    addi a1, a1, 1
    ret
    .balign 4096
    .option pop

    .data
    .balign 4096
dataA:
    .dword 0
    .balign 4096
dataB:
    .dword 1
    .balign 4096
