/* mstatus.MPRV: M-mode loads and stores use the translation and the
 * permissions of the mode in MPP (S: with SUM; U: user pages only; MXR
 * honoured), MPP = M means untranslated, fetches are never affected (M
 * keeps running from a table that does not map its code), satp = Bare
 * means untranslated, and a fault under MPRV is an ordinary page fault
 * taken from M (mtval = the virtual address; MPP becomes M, MPRV stays).
 * The virtual range 0x1_0000_0000.. has nothing behind it physically,
 * so an untranslated access there is an access fault.
 * Spec: privileged 3.1.6.3 (MPRV). */
#include "common.h"
#include "vm.h"

#define VA_RW   0x100000000     /* RW      -> dpage */
#define VA_URW  0x100001000     /* U RW    -> dpage */
#define VA_X    0x100002000     /* X       -> dpage */
#define VA_R    0x100003000     /* R       -> dpage */

/* MPRV = 1 with MPP = prv; run code (a1 = va); MPRV = 0 again. */
#define TEST_MPRV(n, prv, va, code...) \
    TEST_NUM(n); li a1, va; MPRV_ON prv; code; MPRV_OFF
/* The same, expecting a trap with cause and mtval = va. */
#define TEST_MPRV_FAULT(n, prv, cause, va, code...) \
    TEST_NUM(n); li a1, va; TRAP_RESUME 10060f; MPRV_ON prv; code; MPRV_OFF; j fail; \
    10060: MPRV_OFF; CHECK_TRAP cause, va; CHECK_TRAP_FROM PRV_M; \
    la t5, trap_rec; ld t5, TR_STATUS(t5); li t6, MSTATUS_MPRV; and t5, t5, t6; \
    CHECK_EQ(t5, MSTATUS_MPRV)

    /* MPP = prv, MPRV = 1 (clobbers t0) */
    .macro MPRV_ON prv
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, ((\prv) << 11) | MSTATUS_MPRV
    csrs mstatus, t0
    .endm
    .macro MPRV_OFF
    li t0, MSTATUS_MPRV | MSTATUS_MPP
    csrc mstatus, t0
    .endm
    .macro MAP va, flags
    mv a0, s1
    li a1, \va
    la a2, dpage
    li a3, (\flags) | PTE_V | PTE_AD
    li a4, 0
    li a5, 3
    jal vm_map
    .endm

    .text
    .globl test_main
test_main:
    li a5, 3
    jal vm_new_root
    mv s1, a0
    MAP VA_RW, PTE_R | PTE_W
    MAP VA_URW, PTE_U | PTE_R | PTE_W
    MAP VA_X, PTE_X
    MAP VA_R, PTE_R
    la s2, dpage
    li a0, 0x0a0b0c0d
    sd a0, 0(s2)
    VM_ON SATP_MODE_SV39, s1

    /* MPP = S: translated */
    TEST_MPRV(1, PRV_S, VA_RW, ld s5, 0(a1))
    CHECK_EQ(s5, 0x0a0b0c0d)
    TEST_MPRV(2, PRV_S, VA_RW, li a2, 0x77; sd a2, 8(a1))
    ld a0, 8(s2)
    CHECK_EQ(a0, 0x77)
    TEST_MPRV(3, PRV_S, VA_RW, li a2, 1; amoadd.d s5, a2, (a1))
    CHECK_EQ(s5, 0x0a0b0c0d)
    ld a0, 0(s2)
    CHECK_EQ(a0, 0x0a0b0c0e)
    /* MPRV = 0, or MPP = M: untranslated (nothing there) */
    TEST_NUM(4)
    li a1, VA_RW
    TRAP_RESUME 1f
    ld a0, 0(a1)
    j fail
1:  CHECK_TRAP CAUSE_LOAD_ACCESS, VA_RW
    TEST_MPRV_FAULT(5, PRV_M, CAUSE_LOAD_ACCESS, VA_RW, ld a0, 0(a1))
    /* S permissions: store to read-only, load from execute-only */
    TEST_MPRV_FAULT(6, PRV_S, CAUSE_STORE_PAGE_FAULT, VA_R, sd a0, 0(a1))
    TEST_MPRV_FAULT(7, PRV_S, CAUSE_LOAD_PAGE_FAULT, VA_X, ld a0, 0(a1))
    li a0, MSTATUS_MXR
    csrs mstatus, a0
    TEST_MPRV(8, PRV_S, VA_X, ld s5, 0(a1))
    CHECK_EQ(s5, 0x0a0b0c0e)
    li a0, MSTATUS_MXR
    csrc mstatus, a0
    /* S and user pages: SUM */
    TEST_MPRV_FAULT(9, PRV_S, CAUSE_LOAD_PAGE_FAULT, VA_URW, ld a0, 0(a1))
    li a0, MSTATUS_SUM
    csrs mstatus, a0
    TEST_MPRV(10, PRV_S, VA_URW, ld s5, 0(a1))
    CHECK_EQ(s5, 0x0a0b0c0e)
    li a0, MSTATUS_SUM
    csrc mstatus, a0
    /* MPP = U: user pages only */
    TEST_MPRV(11, PRV_U, VA_URW, ld s5, 0(a1); sd s5, 16(a1))
    CHECK_EQ(s5, 0x0a0b0c0e)
    TEST_MPRV_FAULT(12, PRV_U, CAUSE_LOAD_PAGE_FAULT, VA_RW, ld a0, 0(a1))
    TEST_MPRV_FAULT(13, PRV_U, CAUSE_STORE_PAGE_FAULT, VA_RW, sw a0, 0(a1))

    /* fetches are not translated: a table without the RAM mapping */
    TEST_NUM(14)
    VM_OFF
    jal vm_alloc
    mv s1, a0
    MAP VA_RW, PTE_R | PTE_W
    VM_ON SATP_MODE_SV39, s1
    li a1, VA_RW
    MPRV_ON PRV_S
    nop
    ld s5, 0(a1)
    addi s5, s5, 1
    sd s5, 24(a1)
    MPRV_OFF
    CHECK_EQ(s5, 0x0a0b0c0f)
    ld a0, 24(s2)
    CHECK_EQ(a0, 0x0a0b0c0f)
    /* ... and an MPRV access to RAM now faults (not mapped) */
    TEST_MPRV_FAULT(15, PRV_S, CAUSE_LOAD_PAGE_FAULT, 0x80000000, ld a0, 0(a1))

    /* satp = Bare: MPRV with MPP = S is untranslated */
    VM_OFF
    TEST_NUM(16)
    mv a1, s2
    MPRV_ON PRV_S
    ld s5, 0(a1)
    MPRV_OFF
    CHECK_EQ(s5, 0x0a0b0c0e)
    TEST_MPRV_FAULT(17, PRV_S, CAUSE_LOAD_ACCESS, VA_RW, ld a0, 0(a1))

    PASS

    .data
    .balign 4096
dpage:
    .skip 4096
