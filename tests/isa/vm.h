/* Page-table helpers for the virtual-memory tests (include after
 * common.h). Tables are built at run time in M-mode from a pool of zeroed
 * pages; every routine works on physical addresses with translation off
 * for M. The usual layout: the root maps the RAM gigapage 0x8000_0000
 * identically (RWX, A and D set, U clear) so S-mode code, data and the
 * trap scaffolding keep their addresses; tests add their own mappings.
 * Traps in these tests are not delegated: they all reach trap_m, which
 * runs untranslated. */
#ifndef TESTS_ISA_VM_H
#define TESTS_ISA_VM_H

#define VM_POOL_PAGES 48
#define PTE_RWX    (PTE_R | PTE_W | PTE_X)
#define PTE_AD     (PTE_A | PTE_D)
#define PTE_LEAF   (PTE_V | PTE_RWX | PTE_AD)   /* full-access kernel leaf */
#define PTE_LEAF_RX (PTE_V | PTE_R | PTE_X | PTE_AD) /* kernel code leaf */
#define RAM_BASE   0x80000000

    /* a3 = the leaf PTE (PTE_LEAF_RX) mapping physical page \label. */
    .macro PTE_FOR label
    la a3, \label
    srli a3, a3, 12
    slli a3, a3, 10
    ori a3, a3, PTE_LEAF_RX
    .endm

    /* satp = mode | root >> 12, then flush. Clobbers t0, t1. */
    .macro VM_ON mode, root
    srli t0, \root, 12
    li t1, ((\mode) << SATP_MODE_SHIFT)
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    .endm
    .macro VM_OFF
    csrw satp, zero
    sfence.vma
    .endm
    /* vm_map with constant arguments: a0 = root; returns a0 = &PTE.
     * Clobbers a1-a7, t0-t4. */
    .macro VM_MAP va, pa, flags, leaf, levels
    li a1, \va
    li a2, \pa
    li a3, \flags
    li a4, \leaf
    li a5, \levels
    jal vm_map
    .endm

    .text
/* a0 = a new zeroed 4 KiB page from vm_pool. Clobbers t0, t1. */
vm_alloc:
    la t0, vm_pool_next
    ld a0, 0(t0)
    bnez a0, 1f
    la a0, vm_pool
1:  li t1, 4096
    add t1, a0, t1
    la t0, vm_pool_end
    bgtu t1, t0, fail                   /* pool exhausted */
    la t0, vm_pool_next
    sd t1, 0(t0)
    mv t0, a0
2:  sd zero, 0(t0)
    addi t0, t0, 8
    bltu t0, t1, 2b
    ret

/* Map va -> pa with leaf PTE flags a3 at leaf level a4 (0: 4 KiB, 1: 2 MiB,
 * 2: 1 GiB, ...) in a table of a5 levels (3: Sv39, 4: Sv48, 5: Sv57)
 * rooted at a0, allocating missing intermediate tables.
 * a1 = va, a2 = pa. Returns a0 = address of the leaf PTE.
 * Clobbers t0-t4, a6. */
vm_map:
    mv t4, ra
    mv t3, a0
    addi t2, a5, -1
1:  li t0, 9
    mul t0, t0, t2
    addi t0, t0, 12
    srl a6, a1, t0
    andi a6, a6, 0x1ff
    slli a6, a6, 3
    add a6, t3, a6                      /* a6 = &PTE at this level */
    beq t2, a4, 3f
    ld t0, 0(a6)
    andi t1, t0, PTE_V
    bnez t1, 2f
    jal vm_alloc
    srli t0, a0, 12
    slli t0, t0, 10
    ori t0, t0, PTE_V
    sd t0, 0(a6)
2:  srli t0, t0, 10                     /* next table */
    slli t3, t0, 12
    addi t2, t2, -1
    j 1b
3:  srli t0, a2, 12
    slli t0, t0, 10
    or t0, t0, a3
    sd t0, 0(a6)
    mv a0, a6
    mv ra, t4
    ret

/* a0 = a new root with the RAM gigapage identity-mapped (kernel leaf) for
 * a5 levels. Clobbers a1-a6, t0-t4, s0. */
vm_new_root:
    mv s0, ra
    jal vm_alloc
    mv a6, a0
    li a1, RAM_BASE
    li a2, RAM_BASE
    li a3, PTE_LEAF | PTE_G
    li a4, 2
    addi sp, sp, -16
    sd a6, 0(sp)
    jal vm_map
    ld a0, 0(sp)
    addi sp, sp, 16
    mv ra, s0
    ret

    .section .bss.vm, "aw", @nobits
    .balign 4096
vm_pool:
    .skip 4096 * VM_POOL_PAGES
vm_pool_end:
    .data
    .balign 8
vm_pool_next:
    .dword 0                            /* 0: start of the pool */
    .text
#endif
