/* cpu: rv64,h=on
 * The guest TLB (priv spec 1.12, 8.3 and 8.5) under hot V=1 loops: M-mode
 * plays the hypervisor (hv_trap serves the guest's ecalls: leave, or store
 * a PTE and run hfence.gvma / hfence.vvma) while a VS-mode guest reads
 * through both stages in loops the JIT runs from its TLB.
 *   1  two VMIDs whose G-stage maps one guest page to different pages,
 *      switched by hgatp writes with no fence: each sees its own
 *   2  a G-stage remap of a data page, hfence.gvma of that page and VMID,
 *      and back, fenced for every VMID
 *   3  a G-stage remap of the code page a hot loop calls, mid-loop
 *   4  a VS-stage remap by the hypervisor (hfence.vvma of the address and
 *      ASID), then by the guest itself (sfence.vma at V=1)
 *   5  two guest address spaces (ASIDs 1, 2) switched by the guest's satp
 *      writes with no fence
 *   6  a G-stage remap of a VS page-table page: hfence.gvma of the table's
 *      guest physical page drops the translations walked through it
 *   7  a G-stage 2 MiB page remapped: hfence.gvma of another 4 KiB page
 *      inside it drops the translations of the whole page
 * Guest physical map: 0x8000_0000 (1 GiB) is RAM one to one; 0xC000_0000
 * is 4 KiB pages (g_l0: data A, data B, code, a VS page table);
 * 0x1_0000_0000 is a 2 MiB page of RAM (g_l1s). */
#include "common.h"

#define CSR_VSATP  0x280
#define CSR_HGATP  0x680
#define GPTE       (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
#define VPTE       (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define GPA_A      0xC0000000
#define GPA_B      0xC0001000
#define GPA_CODE   0xC0002000
#define GPA_PT     0xC0003000
#define GVA_DATA   0x40000000
#define GPA_MEGA   0x100000000
#define VAL_A      0x0a0a0a0a0a0a0a0a
#define VAL_B      0x0b0b0b0b0b0b0b0b
#define VAL_C      0x0c0c0c0c0c0c0c0c
/* hfence.gvma a6, a5 and hfence.vvma a6, a5 */
#define HFENCE_GVMA_A6_A5 .word 0x62f80073
#define HFENCE_VVMA_A6_A5 .word 0x22f80073
/* hfence.gvma a6, zero (every VMID) and hfence.gvma zero, zero */
#define HFENCE_GVMA_A6    .word 0x62080073
#define HFENCE_GVMA_ALL   .word 0x62000073

/* table[index] = a PTE pointing at symbol target with flags. */
    .macro PTE_SYM table, index, target, flags
    la t0, \target
    srli t0, t0, 12
    slli t0, t0, 10
    ori t0, t0, \flags
    la t1, \table
    sd t0, ((\index) * 8)(t1)
    .endm
/* table[index] = a PTE pointing at physical page number ppn. */
    .macro PTE_PPN table, index, ppn, flags
    li t0, ((\ppn) << 10) | (\flags)
    la t1, \table
    sd t0, ((\index) * 8)(t1)
    .endm
/* reg = a PTE pointing at symbol target. */
    .macro PTE_VAL reg, target, flags
    la \reg, \target
    srli \reg, \reg, 12
    slli \reg, \reg, 10
    ori \reg, \reg, \flags
    .endm
/* csr = Sv39 (x4) root | id << 44 | root >> 12. */
    .macro SET_ATP csr, root, id
    la t0, \root
    srli t0, t0, 12
    li t1, (8 << 60) | ((\id) << 44)
    or t0, t0, t1
    csrw \csr, t0
    .endm
/* Into VS-mode at label, with hv_trap serving the guest. */
    .macro ENTER_GUEST label
    la t0, hv_trap
    csrw mtvec, t0
    li t6, 0x80
    slli t6, t6, 32                     /* mstatus.MPV */
    csrs mstatus, t6
    GOTO_MODE PRV_S, \label
    .endm
/* From the guest: back to M-mode at label. */
    .macro LEAVE label
    la a0, \label
    li a7, 0
    ecall
    .endm
/* From the guest: 16 loads of (reg) into out, the last one kept. */
    .macro HOT_LOAD out, reg
    li s1, 16
30001:
    ld \out, 0(\reg)
    addi s1, s1, -1
    bnez s1, 30001b
    .endm

    .text
    .globl test_main
test_main:
    /* The G-stage tables of VMID 1 (g_root1) and VMID 2 (g_root2): they
     * differ in which page GPA_A and GPA_B reach. */
    PTE_PPN g_root1, 2, 0x80000, GPTE
    PTE_SYM g_root1, 3, g_l1, PTE_V
    PTE_SYM g_root1, 4, g_l1s, PTE_V
    PTE_PPN g_root2, 2, 0x80000, GPTE
    PTE_SYM g_root2, 3, g_l1b, PTE_V
    PTE_SYM g_l1, 0, g_l0, PTE_V
    PTE_SYM g_l1b, 0, g_l0b, PTE_V
    PTE_PPN g_l1s, 0, 0x80000, GPTE      /* 2 MiB of RAM from 0x8000_0000 */
    PTE_SYM g_l0, 0, page_a, GPTE
    PTE_SYM g_l0, 1, page_b, GPTE
    PTE_SYM g_l0, 2, code_x, GPTE
    PTE_SYM g_l0, 3, pt_x, GPTE
    PTE_SYM g_l0b, 0, page_b, GPTE
    PTE_SYM g_l0b, 1, page_a, GPTE
    /* The guest's page tables (guest physical = host here, but for the
     * level-0 table of vs_root1, which is at GPA_PT). */
    PTE_SYM vs_root1, 1, vs_l1, PTE_V
    PTE_PPN vs_root1, 2, 0x80000, VPTE
    PTE_PPN vs_l1, 0, GPA_PT >> 12, PTE_V
    PTE_PPN pt_x, 0, GPA_A >> 12, VPTE
    PTE_PPN pt_y, 0, GPA_B >> 12, VPTE
    PTE_SYM vs_root2, 1, vs_l1_2, PTE_V
    PTE_PPN vs_root2, 2, 0x80000, VPTE
    PTE_SYM vs_l1_2, 0, vs_l0_2, PTE_V
    PTE_PPN vs_l0_2, 0, GPA_B >> 12, VPTE
    csrw CSR_VSATP, zero

    /* 1: VMID 1 sees A at GPA_A, VMID 2 sees B, then VMID 1 A again. */
    TEST_NUM(1)
    SET_ATP CSR_HGATP, g_root1, 1
    ENTER_GUEST 1f
1:  li a2, GPA_A
    HOT_LOAD s2, a2
    LEAVE 2f
2:  SET_ATP CSR_HGATP, g_root2, 2
    ENTER_GUEST 1f
1:  HOT_LOAD s3, a2
    LEAVE 2f
2:  SET_ATP CSR_HGATP, g_root1, 1
    ENTER_GUEST 1f
1:  HOT_LOAD s4, a2
    LEAVE 2f
2:  li t0, VAL_A
    CHECK_REGS(s2, t0)
    CHECK_REGS(s4, t0)
    li t0, VAL_B
    CHECK_REGS(s3, t0)

    /* 2: the hypervisor points GPA_A at page B and fences that page of
     * VMID 1; then back, fenced for every VMID. */
    TEST_NUM(2)
    ENTER_GUEST 1f
1:  li a2, GPA_A
    HOT_LOAD s2, a2
    la a3, g_l0
    PTE_VAL a4, page_b, GPTE
    li a5, 1
    li a6, GPA_A >> 2
    li a7, 1
    ecall
    HOT_LOAD s3, a2
    PTE_VAL a4, page_a, GPTE
    li a7, 3
    ecall
    HOT_LOAD s4, a2
    LEAVE 2f
2:  li t0, VAL_A
    CHECK_REGS(s2, t0)
    CHECK_REGS(s4, t0)
    li t0, VAL_B
    CHECK_REGS(s3, t0)

    /* 3: a loop calls the code at GPA_CODE 20 times; at the 10th the
     * hypervisor maps that page to other code. 10 * 1 + 10 * 2. */
    TEST_NUM(3)
    ENTER_GUEST 1f
1:  li s1, 0
    li s2, 0
    li s5, 10
    li s6, 20
3:  li t0, GPA_CODE
    jalr t0
    add s2, s2, a0
    addi s1, s1, 1
    bne s1, s5, 4f
    la a3, g_l0 + 2 * 8
    PTE_VAL a4, code_y, GPTE
    li a5, 1
    li a6, GPA_CODE >> 2
    li a7, 1
    ecall
4:  blt s1, s6, 3b
    LEAVE 2f
2:  CHECK_EQ(s2, 30)
    PTE_SYM g_l0, 2, code_x, GPTE
    HFENCE_GVMA_ALL

    /* 4: guest virtual GVA_DATA (vs_root1, ASID 1) reaches A through the
     * table at GPA_PT (pt_x); the hypervisor points it at GPA_B
     * (hfence.vvma of the address and ASID), then the guest points it
     * back itself (sfence.vma at V=1). */
    TEST_NUM(4)
    SET_ATP CSR_VSATP, vs_root1, 1
    ENTER_GUEST 1f
1:  li a2, GVA_DATA
    HOT_LOAD s2, a2
    la a3, pt_x
    li a4, ((GPA_B >> 12) << 10) | VPTE
    li a5, 1
    mv a6, a2
    li a7, 2
    ecall
    HOT_LOAD s3, a2
    la t0, pt_x
    li t1, ((GPA_A >> 12) << 10) | VPTE
    sd t1, 0(t0)
    sfence.vma a2, zero
    HOT_LOAD s4, a2
    LEAVE 2f
2:  li t0, VAL_A
    CHECK_REGS(s2, t0)
    CHECK_REGS(s4, t0)
    li t0, VAL_B
    CHECK_REGS(s3, t0)

    /* 5: the guest switches between ASID 1 (GVA_DATA -> A) and ASID 2
     * (-> B) by satp (vsatp) writes, with no fence. */
    TEST_NUM(5)
    la t0, vs_root2
    srli t0, t0, 12
    li t1, (8 << 60) | (2 << 44)
    or s7, t0, t1
    csrr s8, CSR_VSATP
    ENTER_GUEST 1f
1:  li a2, GVA_DATA
    HOT_LOAD s2, a2
    csrw satp, s7
    HOT_LOAD s3, a2
    csrw satp, s8
    HOT_LOAD s4, a2
    csrw satp, s7
    HOT_LOAD s5, a2
    csrw satp, s8
    LEAVE 2f
2:  li t0, VAL_A
    CHECK_REGS(s2, t0)
    CHECK_REGS(s4, t0)
    li t0, VAL_B
    CHECK_REGS(s3, t0)
    CHECK_REGS(s5, t0)

    /* 6: the hypervisor maps GPA_PT (the guest's level-0 table) to pt_y
     * and fences that page: GVA_DATA now walks to GPA_B. */
    TEST_NUM(6)
    ENTER_GUEST 1f
1:  li a2, GVA_DATA
    HOT_LOAD s2, a2
    la a3, g_l0 + 3 * 8
    PTE_VAL a4, pt_y, GPTE
    li a5, 1
    li a6, GPA_PT >> 2
    li a7, 1
    ecall
    HOT_LOAD s3, a2
    PTE_VAL a4, pt_x, GPTE
    ecall
    HOT_LOAD s4, a2
    LEAVE 2f
2:  li t0, VAL_A
    CHECK_REGS(s2, t0)
    CHECK_REGS(s4, t0)
    li t0, VAL_B
    CHECK_REGS(s3, t0)

    /* 7: guest physical GPA_MEGA is a 2 MiB page of RAM from 0x8000_0000
     * (VS-stage Bare): page_a's offset in it reads A. The hypervisor
     * moves it to 0x8020_0000 (where C is put at the same offset) and
     * fences another 4 KiB page of it: the read sees C. */
    TEST_NUM(7)
    csrw CSR_VSATP, zero
    la t0, page_a
    li t1, 0x80000000
    sub s9, t0, t1                      /* page_a's offset in the 2 MiB */
    li t1, 0x80200000
    add t1, t1, s9
    li t0, VAL_C
    sd t0, 0(t1)
    ENTER_GUEST 1f
1:  li a2, GPA_MEGA
    add a2, a2, s9
    HOT_LOAD s2, a2
    la a3, g_l1s
    li a4, (0x80200 << 10) | GPTE
    li a5, 1
    li a6, (GPA_MEGA + 0x5000) >> 2
    li a7, 1
    ecall
    HOT_LOAD s3, a2
    LEAVE 2f
2:  li t0, VAL_A
    CHECK_REGS(s2, t0)
    li t0, VAL_C
    CHECK_REGS(s3, t0)
    csrw CSR_HGATP, zero
    PASS

/* The hypervisor: ecalls from VS-mode. a7 = 0: leave the guest for M-mode
 * at a0 (mtvec back to the harness); 1: store a4 at a3, then hfence.gvma
 * a6, a5; 2: the same with hfence.vvma a6, a5; 3: with hfence.gvma a6,
 * zero (every VMID). Anything else fails. */
    .balign 4
hv_trap:
    csrr t5, mcause
    li t6, 10
    bne t5, t6, hv_bad
    beqz a7, hv_leave
    sd a4, 0(a3)
    li t6, 1
    bne a7, t6, 1f
    HFENCE_GVMA_A6_A5
    j 2f
1:  li t6, 2
    bne a7, t6, 1f
    HFENCE_VVMA_A6_A5
    j 2f
1:  li t6, 3
    bne a7, t6, hv_bad
    HFENCE_GVMA_A6
2:  csrr t5, mepc
    addi t5, t5, 4
    csrw mepc, t5
    mret
hv_leave:
    la t5, trap_m
    csrw mtvec, t5
    li t5, 0x80
    slli t5, t5, 32
    csrc mstatus, t5                    /* MPV: later mrets are to V=0 */
    jr a0
hv_bad:
    la t5, trap_m
    csrw mtvec, t5
    j fail

/* The code behind GPA_CODE: code_x returns 1, code_y 2. */
    .balign 4096
code_x:
    li a0, 1
    ret
    .balign 4096
code_y:
    li a0, 2
    ret

    .data
    .balign 16384
g_root1:
    .fill 2048, 8, 0
g_root2:
    .fill 2048, 8, 0
g_l1:
    .fill 512, 8, 0
g_l1b:
    .fill 512, 8, 0
g_l1s:
    .fill 512, 8, 0
g_l0:
    .fill 512, 8, 0
g_l0b:
    .fill 512, 8, 0
vs_root1:
    .fill 512, 8, 0
vs_l1:
    .fill 512, 8, 0
pt_x:
    .fill 512, 8, 0
pt_y:
    .fill 512, 8, 0
vs_root2:
    .fill 512, 8, 0
vs_l1_2:
    .fill 512, 8, 0
vs_l0_2:
    .fill 512, 8, 0
page_a:
    .dword VAL_A
    .fill 511, 8, 0
page_b:
    .dword VAL_B
    .fill 511, 8, 0
