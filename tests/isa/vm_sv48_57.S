/* Sv48 and Sv57 (satp MODE 9 and 10): four- and five-level walks with
 * 4 KiB pages at the top of the lower half and at the bottom of the upper
 * half, a 2 MiB and a 1 GiB page, a 512 GiB "terapage" (level 3) and, for
 * Sv57, a 256 TiB "petapage" (level 4) over RAM, a misaligned terapage,
 * and addresses that are non-canonical for the mode (page fault) but
 * canonical for the wider one (translated). Both modes must be accepted
 * by satp. Spec: privileged 4.5 (Sv48), 4.6 (Sv57). */
#include "common.h"
#include "vm.h"

#define LEAF_RW (PTE_V | PTE_R | PTE_W | PTE_AD)

/* Run code in S-mode. */
#define TEST_S(n, code...) \
    TEST_NUM(n); GOTO_MODE PRV_S, 10050f; 10050: code; GOTO_M 10051f; 10051:
/* A load from va in S must page-fault with mtval = va. */
#define TEST_S_LOAD_FAULT(n, va) \
    TEST_NUM(n); TRAP_RESUME 10052f; GOTO_MODE PRV_S, 10053f; 10053: li a1, va; \
    ld a0, 0(a1); j fail; 10052: CHECK_TRAP CAUSE_LOAD_PAGE_FAULT, va; CHECK_TRAP_FROM PRV_S

    /* map va -> page (symbol), 4 KiB, in the table at s1 with `levels` */
    .macro MAP4K va, page, levels
    mv a0, s1
    li a1, \va
    la a2, \page
    li a3, LEAF_RW
    li a4, 0
    li a5, \levels
    jal vm_map
    .endm
    /* s5 = va + (sym - pa_base): sym seen through a big page at va */
    .macro VA_OF sym, va, pa_base
    la s5, \sym
    li t0, \pa_base
    sub s5, s5, t0
    li t0, \va
    add s5, s5, t0
    .endm

    .text
    .globl test_main
test_main:
    la a0, dpage0
    li a1, 0xd0d0d0d0
    sd a1, 0(a0)
    la a0, dpage1
    li a1, 0xd1d1d1d1
    sd a1, 0(a0)
    li a0, 0x80600000
    li a1, 0x2e2e2e2e
    sd a1, 0x18(a0)

    /* ---------------- Sv48 ---------------- */
    li a5, 4
    jal vm_new_root
    mv s1, a0
    MAP4K 0x00007ffffffff000, dpage0, 4
    MAP4K 0xffff800000000000, dpage1, 4
    MAP4K 0x0000004000000000, dpage1, 4
    mv a0, s1
    VM_MAP 0x40200000, 0x80600000, LEAF_RW, 1, 4
    mv a0, s1
    VM_MAP 0xc0000000, RAM_BASE, LEAF_RW, 2, 4
    mv a0, s1
    VM_MAP 0x0000008000000000, 0, LEAF_RW, 3, 4
    mv a0, s1
    VM_MAP 0x0000010000000000, RAM_BASE, LEAF_RW, 3, 4   /* misaligned */
    TEST_NUM(1)
    VM_ON SATP_MODE_SV48, s1
    csrr a0, satp
    srli a0, a0, SATP_MODE_SHIFT
    CHECK_EQ(a0, SATP_MODE_SV48)
    TEST_S(2, li a1, 0x00007ffffffff000; ld s5, 0(a1))
    CHECK_EQ(s5, 0xd0d0d0d0)
    TEST_S(3, li a1, 0xffff800000000000; ld s5, 0(a1))
    CHECK_EQ(s5, 0xd1d1d1d1)
    TEST_S(4, li a1, 0x0000004000000000; ld s5, 0(a1))   /* not Sv39-canonical */
    CHECK_EQ(s5, 0xd1d1d1d1)
    TEST_S(5, li a1, 0x40200000; ld s5, 0x18(a1))
    CHECK_EQ(s5, 0x2e2e2e2e)
    TEST_NUM(6)
    VA_OF dpage0, 0xc0000000, RAM_BASE
    TEST_S(7, ld s6, 0(s5))
    CHECK_EQ(s6, 0xd0d0d0d0)
    TEST_NUM(8)                         /* terapage at 0x80_0000_0000 -> PA 0 */
    VA_OF dpage1, 0x0000008000000000, 0
    TEST_S(9, ld s6, 0(s5); li a1, 0x5e; sd a1, 8(s5))
    CHECK_EQ(s6, 0xd1d1d1d1)
    la a0, dpage1
    ld a0, 8(a0)
    CHECK_EQ(a0, 0x5e)
    TEST_S_LOAD_FAULT(10, 0x0000010000000000)   /* misaligned terapage */
    TEST_S_LOAD_FAULT(11, 0x0000800000000000)   /* bit 47 set, 63:48 clear */
    TEST_S_LOAD_FAULT(12, 0xffff7ffffffff000)   /* bit 47 clear, 63:48 set */
    TEST_S_LOAD_FAULT(13, 0x00007fffffffe000)   /* unmapped */
    VM_OFF

    /* ---------------- Sv57 ---------------- */
    li a5, 5
    jal vm_new_root
    mv s1, a0
    MAP4K 0x00fffffffffff000, dpage0, 5
    MAP4K 0xff00000000000000, dpage1, 5
    MAP4K 0x0000800000000000, dpage1, 5
    mv a0, s1
    VM_MAP 0x40200000, 0x80600000, LEAF_RW, 1, 5
    mv a0, s1
    VM_MAP 0x0000008000000000, 0, LEAF_RW, 3, 5
    mv a0, s1
    VM_MAP 0x0001000000000000, 0, LEAF_RW, 4, 5
    TEST_NUM(14)
    VM_ON SATP_MODE_SV57, s1
    csrr a0, satp
    srli a0, a0, SATP_MODE_SHIFT
    CHECK_EQ(a0, SATP_MODE_SV57)
    TEST_S(15, li a1, 0x00fffffffffff000; ld s5, 0(a1))
    CHECK_EQ(s5, 0xd0d0d0d0)
    TEST_S(16, li a1, 0xff00000000000000; ld s5, 0(a1))
    CHECK_EQ(s5, 0xd1d1d1d1)
    TEST_S(17, li a1, 0x0000800000000000; ld s5, 0(a1))   /* not Sv48-canonical */
    CHECK_EQ(s5, 0xd1d1d1d1)
    TEST_S(18, li a1, 0x40200000; ld s5, 0x18(a1))
    CHECK_EQ(s5, 0x2e2e2e2e)
    TEST_NUM(19)
    VA_OF dpage0, 0x0000008000000000, 0
    TEST_S(20, ld s6, 0(s5))
    CHECK_EQ(s6, 0xd0d0d0d0)
    TEST_NUM(21)                        /* petapage at 0x1_0000_0000_0000 -> PA 0 */
    VA_OF dpage0, 0x0001000000000000, 0
    TEST_S(22, ld s6, 0(s5); li a1, 0x5f; sd a1, 8(s5))
    CHECK_EQ(s6, 0xd0d0d0d0)
    la a0, dpage0
    ld a0, 8(a0)
    CHECK_EQ(a0, 0x5f)
    /* the code runs from the RAM gigapage of this five-level table too */
    TEST_S_LOAD_FAULT(23, 0x0100000000000000)   /* bit 56 set, 63:57 clear */
    TEST_S_LOAD_FAULT(24, 0xfeffffffffff0000)   /* bit 56 clear, 63:57 set */
    TEST_S_LOAD_FAULT(25, 0x00fffffffffe0000)   /* unmapped */
    VM_OFF

    PASS

    .data
    .balign 4096
dpage0:
    .skip 4096
dpage1:
    .skip 4096
