/* Sv39 accessed/dirty bits. The spec allows two behaviours (privileged
 * 4.3.1, 4.3.2 step 7; Svade vs. hardware updating): an access to a page
 * whose PTE has A = 0, or a store to one with D = 0, either raises the
 * page fault for that access (the PTE unchanged) or sets the bits in the
 * PTE in memory and completes. QEMU 7.2 updates them in hardware. Each
 * check accepts either, and then requires the right thing: after a
 * fault, the PTE is untouched and fixing it in software makes the retry
 * succeed; after success, A is set (and D only for stores: loads and
 * fetches never set D). Covers loads, stores, AMOs and fetches, 4 KiB
 * pages and a megapage. AMO faults may be reported as load page faults
 * by QEMU 7.2 (accepted). */
#include "common.h"
#include "vm.h"

#define VA_P     0x40000000     /* 4 KiB data page under test */
#define VA_X     0x40001000     /* 4 KiB code page under test */
#define VA_MEGA  0x40200000     /* 2 MiB page under test */
#define PA_MEGA  0x80400000

    .text
    .globl test_main
test_main:
    li a5, 3
    jal vm_new_root
    mv s1, a0
    li a1, VA_P
    la a2, dpage
    li a3, PTE_V | PTE_R | PTE_W
    li a4, 0
    jal vm_map
    mv s2, a0                           /* s2 = &PTE(VA_P) */
    mv a0, s1
    li a1, VA_X
    la a2, xpage
    li a3, PTE_V | PTE_X
    li a4, 0
    jal vm_map
    mv s3, a0                           /* s3 = &PTE(VA_X) */
    mv a0, s1
    VM_MAP VA_MEGA, PA_MEGA, PTE_V | PTE_R | PTE_W, 1, 3
    mv s4, a0                           /* s4 = &PTE(VA_MEGA) */
    la a0, dpage
    li a1, 0x600d
    sd a1, 0(a0)
    li a0, PA_MEGA
    li a1, 0x600e
    sd a1, 0x100(a0)
    VM_ON SATP_MODE_SV39, s1

    /* load, A = 0 */
    TEST_NUM(1)
    li a0, PTE_V | PTE_R | PTE_W
    mv a1, s2
    li a2, VA_P
    li a3, 0                            /* load */
    jal ad_check
    CHECK_EQ(s5, 0x600d)
    li a2, PTE_A                        /* afterwards: A = 1, D = 0 */
    li a3, PTE_A
    mv a1, s2
    jal pte_bits
    /* store, A = 1, D = 0 */
    TEST_NUM(2)
    li a0, PTE_V | PTE_R | PTE_W | PTE_A
    mv a1, s2
    li a2, VA_P + 8
    li a3, 1                            /* store */
    jal ad_check
    li a2, PTE_A | PTE_D
    li a3, PTE_A | PTE_D
    mv a1, s2
    jal pte_bits
    la a0, dpage
    ld a0, 8(a0)
    CHECK_EQ(a0, 0x5707e)
    /* store, A = 0, D = 0: both set */
    TEST_NUM(3)
    li a0, PTE_V | PTE_R | PTE_W
    mv a1, s2
    li a2, VA_P + 8
    li a3, 1
    jal ad_check
    li a2, PTE_A | PTE_D
    li a3, PTE_A | PTE_D
    mv a1, s2
    jal pte_bits
    /* AMO, A = 1, D = 0 */
    TEST_NUM(4)
    li a0, PTE_V | PTE_R | PTE_W | PTE_A
    mv a1, s2
    li a2, VA_P + 16
    li a3, 2                            /* AMO */
    jal ad_check
    li a2, PTE_A | PTE_D
    li a3, PTE_A | PTE_D
    mv a1, s2
    jal pte_bits
    /* load with A = 1, D = 0: nothing changes, no fault */
    TEST_NUM(5)
    li a0, PTE_V | PTE_R | PTE_W | PTE_A
    sd a0, 0(s2)
    la a1, dpage
    srli a1, a1, 12
    slli a1, a1, 10
    or a0, a0, a1
    sd a0, 0(s2)
    sfence.vma
    TEST_NUM(6)
    GOTO_MODE PRV_S, 1f
1:  li a1, VA_P
    ld s5, 0(a1)
    GOTO_M 2f
2:  CHECK_EQ(s5, 0x600d)
    li a2, PTE_A | PTE_D
    li a3, PTE_A
    mv a1, s2
    jal pte_bits
    /* fetch, A = 0 */
    TEST_NUM(7)
    li a0, PTE_V | PTE_X
    mv a1, s3
    li a2, VA_X
    li a3, 3                            /* fetch */
    jal ad_check
    CHECK_EQ(s5, 0x77)
    li a2, PTE_A | PTE_D
    li a3, PTE_A
    mv a1, s3
    jal pte_bits
    /* megapage load, A = 0 */
    TEST_NUM(8)
    li a0, PTE_V | PTE_R | PTE_W
    mv a1, s4
    li a2, VA_MEGA + 0x100
    li a3, 0
    jal ad_check
    CHECK_EQ(s5, 0x600e)
    li a2, PTE_A | PTE_D
    li a3, PTE_A
    mv a1, s4
    jal pte_bits
    /* megapage store, A = 1, D = 0 */
    TEST_NUM(9)
    li a0, PTE_V | PTE_R | PTE_W | PTE_A
    mv a1, s4
    li a2, VA_MEGA + 0x108
    li a3, 1
    jal ad_check
    li a2, PTE_A | PTE_D
    li a3, PTE_A | PTE_D
    mv a1, s4
    jal pte_bits

    VM_OFF
    PASS

/* Fail unless the PTE at a1 has (PTE & a2) == a3. Clobbers t0. */
pte_bits:
    ld t0, 0(a1)
    and t0, t0, a2
    bne t0, a3, fail
    ret

/* Set the PTE at a1 to flags a0 (keeping its PPN), sfence, then in S-mode
 * do access kind a3 (0 load, 1 store, 2 AMO, 3 fetch-call) at VA a2.
 * Either it completes (s5 = loaded value / xpage result), or it faults
 * with the right cause and mtval = a2 and the PTE unchanged; then the PTE
 * gets A (and D for stores/AMOs) in software and the access is retried,
 * which must complete. Clobbers a0-a7, t0-t6, s5-s8. */
ad_check:
    mv s8, ra
    mv s6, a1
    ld t0, 0(a1)
    srli t0, t0, 10
    slli t0, t0, 10
    or t0, t0, a0
    sd t0, 0(a1)
    mv s7, t0                           /* the PTE as written */
    sfence.vma
    mv a6, a2
    mv a5, a3
    li s5, 0
    TRAP_RESUME 5f
    GOTO_MODE PRV_S, 1f
1:  jal ad_access
    GOTO_M 9f
5:  /* faulted: cause per kind, mtval = VA, PTE untouched */
    la t0, trap_rec
    ld t1, TR_TVAL(t0)
    bne t1, a6, fail
    ld t1, TR_CAUSE(t0)
    li t2, CAUSE_LOAD_PAGE_FAULT
    beqz a5, 6f
    li t2, CAUSE_FETCH_PAGE_FAULT
    li t3, 3
    beq a5, t3, 6f
    li t2, CAUSE_STORE_PAGE_FAULT
    li t3, 2
    bne a5, t3, 6f
    li t3, CAUSE_LOAD_PAGE_FAULT        /* AMO: QEMU 7.2 quirk */
    beq t1, t3, 7f
6:  bne t1, t2, fail
7:  ld t0, 0(s6)
    bne t0, s7, fail
    /* fix it in software and retry */
    ori t0, t0, PTE_A
    beqz a5, 8f
    li t1, 3
    beq a5, t1, 8f
    ori t0, t0, PTE_D
8:  sd t0, 0(s6)
    sfence.vma
    GOTO_MODE PRV_S, 1f
1:  jal ad_access
    GOTO_M 9f
9:  TRAP_CLEAR
    mv ra, s8
    ret

/* S-mode: access kind a5 at a6. */
ad_access:
    beqz a5, 1f
    li t0, 1
    beq a5, t0, 2f
    li t0, 2
    beq a5, t0, 3f
    mv t1, ra
    jalr ra, 0(a6)
    mv ra, t1
    ret
1:  ld s5, 0(a6)
    ret
2:  li t0, 0x5707e
    sd t0, 0(a6)
    ret
3:  li t0, 1
    amoadd.d s5, t0, (a6)
    ret

    .data
    .balign 4096
dpage:
    .skip 4096
    .text
    .balign 4096
xpage:
    li s5, 0x77
    ret
    .balign 4096
