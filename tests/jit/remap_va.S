/* Hot code remapped with an address-specific sfence.vma (rs1 != x0). First
 * a 4 KiB page: after 50 calls through VA_CODE (page A), S-mode points the
 * PTE at page B and fences VA_CODE alone: the next call runs B. Then a
 * megapage: VA_MEGA maps the RAM's first 2 MiB, code at VA_MEGA + (A's
 * offset) gets hot, S-mode points the megapage at the second physical 2 MiB
 * (where M-mode copied B's code to A's offset) and fences an address in
 * ANOTHER 4 KiB of the megapage: the fence still drops every cached piece
 * of that megapage, so the next call runs the copy of B. An engine that
 * flushes only the fenced address's own 4 KiB fails check 2.
 * Spec: privileged 4.2.1 (sfence.vma with rs1 = an address covers every
 * translation made from the leaf PTE for it, superpages included). */
#include "common.h"
#include "vm.h"

#define VA_CODE 0x40000000
#define VA_MEGA 0x40200000 /* megapage over 0x8000_0000 */
#define MEGA2   0x80200000 /* the second physical megapage */

    .text
    .globl test_main
test_main:
    /* B's code to MEGA2 + (A - RAM_BASE) */
    la t0, codeB
    la t1, codeA
    li t2, MEGA2 - RAM_BASE
    add t1, t1, t2
    li t2, 4096
1:  ld t3, 0(t0)
    sd t3, 0(t1)
    addi t0, t0, 8
    addi t1, t1, 8
    addi t2, t2, -8
    bnez t2, 1b
    fence.i

    li a5, 3
    jal vm_new_root
    mv s1, a0
    la a2, codeA
    li a1, VA_CODE
    li a3, PTE_LEAF_RX
    li a4, 0
    li a5, 3
    jal vm_map
    mv s2, a0                           /* &PTE(VA_CODE) */
    mv a0, s1
    VM_MAP VA_MEGA, RAM_BASE, PTE_LEAF_RX, 1, 3
    mv s4, a0                           /* &PTE(VA_MEGA) */
    VM_ON SATP_MODE_SV39, s1

    /* 1: 4 KiB page, fenced by its own address */
    TEST_NUM(1)
    GOTO_MODE PRV_S, 2f
2:  li s3, 0
    li s5, 50
    li t0, VA_CODE
3:  jalr ra, 0(t0)
    add s3, s3, a0
    addi s5, s5, -1
    bnez s5, 3b
    PTE_FOR codeB
    sd a3, 0(s2)
    sfence.vma t0, zero
    jalr ra, 0(t0)
    mv s5, a0
    GOTO_M 4f
4:  CHECK_EQ(s3, 50)
    CHECK_EQ(s5, 2)

    /* 2: megapage, fenced by an address in another 4 KiB of it */
    TEST_NUM(2)
    GOTO_MODE PRV_S, 5f
5:  li s3, 0
    li s5, 50
    la t0, codeA
    li t1, VA_MEGA - RAM_BASE
    add t0, t0, t1                      /* A through the megapage */
6:  jalr ra, 0(t0)
    add s3, s3, a0
    addi s5, s5, -1
    bnez s5, 6b
    li a3, (MEGA2 >> 12) << 10
    ori a3, a3, PTE_LEAF_RX
    sd a3, 0(s4)
    la t1, codeB
    li t2, VA_MEGA - RAM_BASE
    add t1, t1, t2                      /* another 4 KiB of the megapage */
    sfence.vma t1, zero
    jalr ra, 0(t0)
    mv s5, a0
    GOTO_M 7f
7:  CHECK_EQ(s3, 50)
    CHECK_EQ(s5, 2)
    VM_OFF
    PASS

    .option push
    .option norvc
    .balign 4096
codeA:
    li a0, 1
    ret
    .balign 4096
codeB:
    li a0, 2
    ret
    .balign 4096
    .option pop
