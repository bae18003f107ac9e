/* Sv39 permission checks: R/W/X for loads, stores, AMOs and fetches
 * (store to read-only, load from execute-only, fetch from non-executable
 * pages), the U bit (U-mode cannot touch supervisor pages; S-mode cannot
 * touch user pages unless mstatus.SUM = 1 and can never execute them),
 * and mstatus.MXR (loads from execute-only pages allowed, stores not).
 * For U-mode snippets M sets the U bit on the RAM gigapage that holds
 * the code (then S-mode could not run there), and clears it afterwards.
 * All page faults go to M with mtval = the virtual address. QEMU 7.2
 * reports AMO page faults as load page faults (13); accepted for AMOs.
 * Spec: privileged 3.1.6.3 (MXR, SUM), 4.3.1 (PTE bits), 4.3.2 step 5. */
#include "common.h"
#include "vm.h"

#define VA_R     0x40000000     /* R          -> dpage */
#define VA_RW    0x40001000     /* RW         -> dpage */
#define VA_X     0x40002000     /* X          -> xpage */
#define VA_RX    0x40003000     /* RX         -> xpage */
#define VA_UR    0x40004000     /* U R        -> dpage */
#define VA_URW   0x40005000     /* U RW       -> dpage */
#define VA_UX    0x40006000     /* U X        -> xpage */
#define VA_URWX  0x40007000     /* U RWX      -> xpage */

#define XPAGE_WORD0 0x07700a93  /* li s5, 0x77 */

/* Run code in mode prv (no trap expected). */
#define TEST_IN(n, prv, code...) \
    TEST_NUM(n); GOTO_MODE prv, 10050f; 10050: code; GOTO_M 10051f; 10051:
/* code (a1 = va) in prv must page-fault with cause, mtval = va. */
#define TEST_FAULT(n, prv, cause, va, code...) \
    TEST_NUM(n); TRAP_RESUME 10052f; GOTO_MODE prv, 10053f; 10053: li a1, va; \
    10054: code; j fail; 10052: CHECK_TRAP cause, va; CHECK_TRAP_FROM prv; \
    CHECK_TRAP_EPC 10054b
/* A call to va in prv must take a fetch page fault at va. */
#define TEST_FETCH_FAULT(n, prv, va) \
    TEST_NUM(n); TRAP_RESUME 10055f; GOTO_MODE prv, 10056f; 10056: li a1, va; \
    jalr ra, 0(a1); j fail; 10055: CHECK_TRAP CAUSE_FETCH_PAGE_FAULT, va; \
    CHECK_TRAP_FROM prv
/* An AMO (a1 = va) in prv must take a store/AMO page fault (or QEMU's 13). */
#define TEST_AMO_FAULT(n, prv, va, code...) \
    TEST_NUM(n); TRAP_RESUME 10057f; GOTO_MODE prv, 10058f; 10058: li a1, va; \
    code; j fail; 10057: la t5, trap_rec; ld t5, TR_CAUSE(t5); \
    li t6, CAUSE_LOAD_PAGE_FAULT; bne t5, t6, 10060f; li t5, CAUSE_STORE_PAGE_FAULT; \
    la t6, trap_rec; sd t5, TR_CAUSE(t6); 10060: \
    CHECK_TRAP CAUSE_STORE_PAGE_FAULT, va; CHECK_TRAP_FROM prv
/* U bit of the RAM gigapage (its PTE address is in s0). */
#define CODE_USER   ld t0, 0(s0); ori t0, t0, PTE_U; sd t0, 0(s0); sfence.vma
#define CODE_KERNEL ld t0, 0(s0); andi t0, t0, ~PTE_U; sd t0, 0(s0); sfence.vma

    .macro MAP va, page, flags
    mv a0, s1
    li a1, \va
    la a2, \page
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
    addi s0, s1, 8 * 2                  /* root[2]: the RAM gigapage */
    MAP VA_R, dpage, PTE_R
    MAP VA_RW, dpage, PTE_R | PTE_W
    MAP VA_X, xpage, PTE_X
    MAP VA_RX, xpage, PTE_R | PTE_X
    MAP VA_UR, dpage, PTE_U | PTE_R
    MAP VA_URW, dpage, PTE_U | PTE_R | PTE_W
    MAP VA_UX, xpage, PTE_U | PTE_X
    MAP VA_URWX, xpage, PTE_U | PTE_R | PTE_W | PTE_X
    la a0, dpage
    li a1, 0x0123456789abcdef
    sd a1, 0(a0)
    VM_ON SATP_MODE_SV39, s1
    li a0, MSTATUS_SUM | MSTATUS_MXR
    csrc mstatus, a0

    /* ---- S-mode, SUM = MXR = 0 ---- */
    TEST_IN(1, PRV_S, li a1, VA_R; ld s5, 0(a1))
    CHECK_EQ(s5, 0x0123456789abcdef)
    TEST_FAULT(2, PRV_S, CAUSE_STORE_PAGE_FAULT, VA_R, sd a0, 0(a1))
    TEST_AMO_FAULT(3, PRV_S, VA_R, amoor.d a0, zero, (a1))
    TEST_IN(4, PRV_S, li a1, VA_RW; li a2, 0x55; sb a2, 8(a1); lbu s5, 8(a1))
    CHECK_EQ(s5, 0x55)
    TEST_FAULT(5, PRV_S, CAUSE_LOAD_PAGE_FAULT, VA_X, ld a0, 0(a1))
    TEST_FAULT(6, PRV_S, CAUSE_LOAD_PAGE_FAULT, VA_X, lr.w a0, (a1))
    TEST_FAULT(7, PRV_S, CAUSE_STORE_PAGE_FAULT, VA_X, sw a0, 0(a1))
    TEST_FETCH_FAULT(8, PRV_S, VA_R)
    TEST_FETCH_FAULT(9, PRV_S, VA_RW)
    TEST_IN(10, PRV_S, li s5, 0; li a1, VA_X; jalr ra, 0(a1))
    CHECK_EQ(s5, 0x77)
    TEST_IN(11, PRV_S, li s5, 0; li a1, VA_RX; jalr ra, 0(a1); li a1, VA_RX; lw s6, 0(a1))
    CHECK_EQ(s5, 0x77)
    CHECK_EQ(s6, XPAGE_WORD0)
    /* user pages from S without SUM */
    TEST_FAULT(12, PRV_S, CAUSE_LOAD_PAGE_FAULT, VA_UR, ld a0, 0(a1))
    TEST_FAULT(13, PRV_S, CAUSE_STORE_PAGE_FAULT, VA_URW, sd a0, 0(a1))
    TEST_FETCH_FAULT(14, PRV_S, VA_UX)

    /* ---- S-mode, SUM = 1 ---- */
    li a0, MSTATUS_SUM
    csrs mstatus, a0
    TEST_IN(15, PRV_S, li a1, VA_UR; ld s5, 0(a1))
    CHECK_EQ(s5, 0x0123456789abcdef)
    TEST_IN(16, PRV_S, li a1, VA_URW; li a2, 0x66; sb a2, 9(a1); lbu s5, 9(a1))
    CHECK_EQ(s5, 0x66)
    TEST_FAULT(17, PRV_S, CAUSE_STORE_PAGE_FAULT, VA_UR, sd a0, 0(a1))
    TEST_FETCH_FAULT(18, PRV_S, VA_UX)          /* never, even with SUM */
    TEST_FETCH_FAULT(19, PRV_S, VA_URWX)
    TEST_FAULT(20, PRV_S, CAUSE_LOAD_PAGE_FAULT, VA_UX, ld a0, 0(a1))   /* no MXR */
    li a0, MSTATUS_SUM
    csrc mstatus, a0

    /* ---- S-mode, MXR = 1 ---- */
    li a0, MSTATUS_MXR
    csrs mstatus, a0
    TEST_IN(21, PRV_S, li a1, VA_X; lw s5, 0(a1))
    CHECK_EQ(s5, XPAGE_WORD0)
    TEST_FAULT(22, PRV_S, CAUSE_STORE_PAGE_FAULT, VA_X, sw a0, 0(a1))
    TEST_FAULT(23, PRV_S, CAUSE_LOAD_PAGE_FAULT, VA_UX, lw a0, 0(a1))  /* U page, SUM = 0 */
    li a0, MSTATUS_SUM
    csrs mstatus, a0
    TEST_IN(24, PRV_S, li a1, VA_UX; lw s5, 0(a1))                     /* SUM + MXR */
    CHECK_EQ(s5, XPAGE_WORD0)
    li a0, MSTATUS_SUM | MSTATUS_MXR
    csrc mstatus, a0

    /* ---- U-mode ---- */
    CODE_USER
    TEST_IN(25, PRV_U, li a1, VA_UR; ld s5, 0(a1))
    CHECK_EQ(s5, 0x0123456789abcdef)
    TEST_FAULT(26, PRV_U, CAUSE_STORE_PAGE_FAULT, VA_UR, sd a0, 0(a1))
    TEST_IN(27, PRV_U, li a1, VA_URW; li a2, 0x77; sb a2, 10(a1); lbu s5, 10(a1))
    CHECK_EQ(s5, 0x77)
    TEST_FAULT(28, PRV_U, CAUSE_LOAD_PAGE_FAULT, VA_R, ld a0, 0(a1))
    TEST_FAULT(29, PRV_U, CAUSE_STORE_PAGE_FAULT, VA_RW, sd a0, 0(a1))
    TEST_FETCH_FAULT(30, PRV_U, VA_X)
    TEST_IN(31, PRV_U, li s5, 0; li a1, VA_UX; jalr ra, 0(a1))
    CHECK_EQ(s5, 0x77)
    TEST_FETCH_FAULT(32, PRV_U, VA_UR)
    TEST_FAULT(33, PRV_U, CAUSE_LOAD_PAGE_FAULT, VA_UX, lw a0, 0(a1))
    TEST_AMO_FAULT(34, PRV_U, VA_UR, amoadd.w a0, a0, (a1))
    /* SUM does not open supervisor pages to U */
    li a0, MSTATUS_SUM
    csrs mstatus, a0
    TEST_FAULT(35, PRV_U, CAUSE_LOAD_PAGE_FAULT, VA_RW, ld a0, 0(a1))
    /* MXR for U: loads from U execute-only pages */
    li a0, MSTATUS_MXR
    csrs mstatus, a0
    TEST_IN(36, PRV_U, li a1, VA_UX; lw s5, 0(a1))
    CHECK_EQ(s5, XPAGE_WORD0)
    TEST_FAULT(37, PRV_U, CAUSE_LOAD_PAGE_FAULT, VA_X, lw a0, 0(a1))  /* not U */
    li a0, MSTATUS_SUM | MSTATUS_MXR
    csrc mstatus, a0
    /* S cannot run on a user page: the code gigapage is U now */
    TEST_NUM(38)
    TRAP_RESUME 1f
    GOTO_MODE PRV_S, 2f
2:  nop
    j fail
1:  CHECK_TRAP_CAUSE CAUSE_FETCH_PAGE_FAULT
    CHECK_TRAP_TVAL_ADDR 2b
    CODE_KERNEL
    /* and U cannot run on the supervisor code page */
    TEST_NUM(39)
    TRAP_RESUME 1f
    GOTO_MODE PRV_U, 2f
2:  nop
    j fail
1:  CHECK_TRAP_CAUSE CAUSE_FETCH_PAGE_FAULT
    CHECK_TRAP_TVAL_ADDR 2b
    CHECK_TRAP_FROM PRV_U

    VM_OFF
    PASS

    .data
    .balign 4096
dpage:
    .skip 4096
    .text
    .balign 4096
    .option push
    .option norvc
xpage:
    li s5, 0x77                         /* = XPAGE_WORD0 */
    ret
    .option pop
    .balign 4096
