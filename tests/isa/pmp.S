/* Physical memory protection (at least 8 entries assumed; QEMU has 16):
 * TOR, NAPOT and NA4 regions checked for S and U loads, stores and
 * fetches (access faults 5/7/1 with mtval = the address), M-mode exempt
 * from unlocked entries, the lowest-numbered matching entry deciding,
 * an access only partly inside an entry failing whatever its permissions,
 * S/U denied everything when no entry matches, page-table walks checked
 * with S permissions (a denied table gives an access fault of the
 * original access type), and finally locked entries: enforced on M and
 * no longer writable. The scaffolding's whole-memory entry 0 is replaced
 * here by a catch-all in entry 7 so entries 0-6 take precedence.
 * Spec: privileged 3.7 (PMP), 4.3.2 step 2 (walk accesses). */
#include "common.h"
#include "vm.h"

#define PMP_R     0x01
#define PMP_W     0x02
#define PMP_X     0x04
#define PMP_TOR   0x08
#define PMP_NA4   0x10
#define PMP_NAPOT 0x18
#define PMP_L     0x80

/* pmpcfg0 with byte i = cfg_i (entries 0..7) */
#define CFG(c0, c1, c2, c3) ((c0) | ((c1) << 8) | ((c2) << 16) | ((c3) << 24) | \
                             ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56))

/* code (a1 = addr) in mode prv must not trap / must take cause at addr. */
#define TEST_IN(n, prv, addr, code...) \
    TEST_NUM(n); mv a1, addr; GOTO_MODE prv, 10050f; 10050: code; GOTO_M 10051f; 10051:
#define TEST_FAULT(n, prv, cause, addr, code...) \
    TEST_NUM(n); mv a1, addr; TRAP_RESUME 10052f; GOTO_MODE prv, 10053f; 10053: \
    10054: code; j fail; 10052: CHECK_TRAP_CAUSE cause; CHECK_TRAP_TVAL_REG addr; \
    CHECK_TRAP_FROM prv

    .macro CHECK_TRAP_TVAL_REG reg
    la t5, trap_rec
    ld t5, TR_TVAL(t5)
    CHECK_REGS(t5, \reg)
    .endm
    /* pmpcfg0 = cfg (64-bit value) */
    .macro SET_CFG cfg
    li t0, \cfg
    csrw pmpcfg0, t0
    .endm

    .text
    .globl test_main
test_main:
    la s2, ppage                        /* 4 KiB page under test */
    la s3, ppage + 0x1000               /* the next page */
    li a0, 0x1234
    sd a0, 0(s2)
    sd a0, 0x18(s2)
    sd a0, 0(s3)
    /* catch-all in entry 7, everything else off */
    csrw pmpcfg0, zero
    li a0, -1
    csrw pmpaddr7, a0
    SET_CFG CFG(0, 0, 0, 0)

    /* pmpaddr registers hold page-aligned values */
    TEST_NUM(1)
    srli a0, s2, 2
    csrw pmpaddr1, a0
    csrr a1, pmpaddr1
    CHECK_REGS(a1, a0)
    csrr a1, pmpcfg0
    li a2, CFG(0, 0, 0, 0)
    CHECK_REGS(a1, a2)

    /* TOR [ppage, ppage + 4K) read-only (entry 1, bottom in pmpaddr0) */
    srli a0, s2, 2
    csrw pmpaddr0, a0
    srli a0, s3, 2
    csrw pmpaddr1, a0
    SET_CFG CFG(0, PMP_TOR | PMP_R, 0, 0)
    TEST_IN(2, PRV_S, s2, ld s5, 0(a1))
    CHECK_EQ(s5, 0x1234)
    TEST_FAULT(3, PRV_S, CAUSE_STORE_ACCESS, s2, sd a0, 0(a1))
    TEST_FAULT(4, PRV_U, CAUSE_STORE_ACCESS, s2, sw a0, 0(a1))
    TEST_FAULT(5, PRV_S, CAUSE_STORE_ACCESS, s2, amoadd.d a0, a0, (a1))
    TEST_FAULT(6, PRV_S, CAUSE_FETCH_ACCESS, s2, jalr ra, 0(a1))
    TEST_IN(7, PRV_S, s3, ld s5, 0(a1); sd s5, 8(a1))    /* just above: entry 7 */
    addi s4, s2, -8
    TEST_IN(8, PRV_U, s4, sd a0, 0(a1))                  /* just below */
    TEST_NUM(9)                         /* M is not bound by unlocked entries */
    sd zero, 8(s2)
    ld a0, 8(s2)
    CHECK_EQ(a0, 0)

    /* NAPOT 4 KiB, no permissions (entry 2) */
    srli a0, s2, 2                      /* (ppage >> 2) | 0x1ff */
    ori a0, a0, 0x1ff
    csrw pmpaddr2, a0
    SET_CFG CFG(0, 0, PMP_NAPOT, 0)
    TEST_FAULT(10, PRV_S, CAUSE_LOAD_ACCESS, s2, ld a0, 0(a1))
    addi s4, s2, 0x7f8
    TEST_FAULT(11, PRV_U, CAUSE_LOAD_ACCESS, s4, lbu a0, 0(a1))
    TEST_FAULT(12, PRV_S, CAUSE_STORE_ACCESS, s4, sd a0, 0(a1))
    TEST_FAULT(13, PRV_S, CAUSE_LOAD_ACCESS, s2, lr.d a0, (a1))
    TEST_IN(14, PRV_S, s3, ld s5, 0(a1))

    /* NA4: 4 bytes at ppage + 0x10, no permissions */
    addi a0, s2, 0x10
    srli a0, a0, 2
    csrw pmpaddr2, a0
    SET_CFG CFG(0, 0, PMP_NA4, 0)
    addi s4, s2, 0x10
    TEST_FAULT(15, PRV_S, CAUSE_LOAD_ACCESS, s4, lw a0, 0(a1))
    addi s4, s2, 0x12
    TEST_FAULT(16, PRV_S, CAUSE_STORE_ACCESS, s4, sh a0, 0(a1))
    addi s4, s2, 0x14
    TEST_IN(17, PRV_S, s4, lw s5, 0(a1))
    addi s4, s2, 0x18
    TEST_IN(18, PRV_S, s4, ld s5, 0(a1))
    CHECK_EQ(s5, 0x1234)
    /* an access only partly covered by the matching entry fails even
     * when the entry allows it: NA4 RWX at +0x10, 8-byte load at +0x10 */
    SET_CFG CFG(0, 0, PMP_NA4 | PMP_R | PMP_W | PMP_X, 0)
    addi s4, s2, 0x10
    TEST_IN(19, PRV_S, s4, lw s5, 0(a1))
    TEST_NUM(20)
    mv a1, s4
    TRAP_RESUME 2f
    GOTO_MODE PRV_S, 1f
1:  ld a0, 0(a1)
    j fail
2:  CHECK_TRAP_CAUSE CAUSE_LOAD_ACCESS
    la t5, trap_rec                     /* mtval: inside the access */
    ld t5, TR_TVAL(t5)
    bltu t5, s4, fail
    addi t6, s4, 8
    bgeu t5, t6, fail

    /* the lowest-numbered match wins: entry 0 allows, entry 2 denies */
    srli a0, s2, 2
    ori a0, a0, 0x1ff
    csrw pmpaddr0, a0
    csrw pmpaddr2, a0
    SET_CFG CFG(PMP_NAPOT | PMP_R | PMP_W, 0, PMP_NAPOT, 0)
    TEST_IN(21, PRV_S, s2, ld s5, 0(a1); sd s5, 8(a1))
    SET_CFG CFG(PMP_NAPOT, 0, PMP_NAPOT | PMP_R | PMP_W, 0)
    TEST_FAULT(22, PRV_S, CAUSE_LOAD_ACCESS, s2, ld a0, 0(a1))

    /* no entry matches: S/U get nothing (not even a fetch) */
    TEST_NUM(23)
    srli a0, s2, 2
    ori a0, a0, 0x1ff
    csrw pmpaddr0, a0
    li t0, PMP_NAPOT | PMP_R | PMP_W | PMP_X
    csrw pmpcfg0, t0                    /* entry 0 only: ppage */
    TRAP_RESUME 1f
    GOTO_MODE PRV_S, 2f
2:  nop
    j fail
1:  CHECK_TRAP_CAUSE CAUSE_FETCH_ACCESS
    CHECK_TRAP_TVAL_ADDR 2b
    CHECK_TRAP_FROM PRV_S
    SET_CFG CFG(0, 0, 0, 0)

    /* page-table walks are checked with S permissions: the level-0 table
     * for VA 0x4020_0000 is ppage2, which S may not read; an S load there
     * is a load access fault (not a page fault), a store a store access
     * fault, and allowing R on the table makes the walk succeed */
    TEST_NUM(24)
    li a5, 3
    jal vm_new_root
    mv s1, a0
    VM_MAP 0x40000000, 0x80400000, PTE_V | PTE_R | PTE_W | PTE_AD, 1, 3
    la a0, vm_pool_next                 /* next table comes from ppage2 */
    la a1, ppage2
    sd a1, 0(a0)
    mv a0, s1
    li a1, 0x40200000
    mv a2, s2
    li a3, PTE_V | PTE_R | PTE_W | PTE_AD
    li a4, 0
    li a5, 3
    jal vm_map
    la a1, ppage2                       /* the leaf PTE is in ppage2 */
    srli a0, a0, 12
    srli a1, a1, 12
    CHECK_REGS(a0, a1)
    la a0, ppage2
    srli a0, a0, 2
    ori a0, a0, 0x1ff
    csrw pmpaddr0, a0
    SET_CFG CFG(PMP_NAPOT, 0, 0, 0)
    VM_ON SATP_MODE_SV39, s1
    li s4, 0x40200000
    TEST_FAULT(25, PRV_S, CAUSE_LOAD_ACCESS, s4, ld a0, 0(a1))
    TEST_FAULT(26, PRV_S, CAUSE_STORE_ACCESS, s4, sd a0, 0(a1))
    SET_CFG CFG(PMP_NAPOT | PMP_R, 0, 0, 0)  /* the walk only needs R */
    sfence.vma
    TEST_IN(27, PRV_S, s4, ld s5, 0(a1))
    CHECK_EQ(s5, 0x1234)
    VM_OFF
    SET_CFG CFG(0, 0, 0, 0)

    /* locked entries bind M and cannot be changed: entry 2 locks ppage
     * read-only, entry 3 locks ppage + 4K with no access */
    TEST_NUM(28)
    srli a0, s2, 2
    ori a0, a0, 0x1ff
    csrw pmpaddr2, a0
    srli a0, s3, 2
    ori a0, a0, 0x1ff
    csrw pmpaddr3, a0
    SET_CFG CFG(0, 0, PMP_L | PMP_NAPOT | PMP_R, PMP_L | PMP_NAPOT)
    ld a0, 0(s2)                        /* M read allowed */
    CHECK_EQ(a0, 0x1234)
    TEST_NUM(29)
    TRAP_RESUME 1f
    sd a0, 0(s2)
    j fail
1:  CHECK_TRAP_CAUSE CAUSE_STORE_ACCESS
    CHECK_TRAP_TVAL_REG s2
    TEST_NUM(30)
    TRAP_RESUME 1f
    ld a0, 0(s3)
    j fail
1:  CHECK_TRAP_CAUSE CAUSE_LOAD_ACCESS
    CHECK_TRAP_TVAL_REG s3
    /* writes to a locked entry's cfg and address are ignored */
    TEST_NUM(31)
    csrr s5, pmpcfg0
    csrr s6, pmpaddr2
    SET_CFG CFG(0, 0, PMP_NAPOT | PMP_R | PMP_W | PMP_X, PMP_NAPOT | PMP_R | PMP_W | PMP_X)
    csrr a0, pmpcfg0
    li a1, 0xffff0000
    and a0, a0, a1
    and a2, s5, a1
    CHECK_REGS(a0, a2)
    csrw pmpaddr2, zero
    csrr a0, pmpaddr2
    CHECK_REGS(a0, s6)
    TEST_NUM(32)                        /* and S is bound as well */
    TRAP_RESUME 1f
    GOTO_MODE PRV_S, 2f
2:  ld a0, 0(s3)
    j fail
1:  CHECK_TRAP_CAUSE CAUSE_LOAD_ACCESS
    CHECK_TRAP_FROM PRV_S

    PASS

    .data
    .balign 4096
ppage:
    .skip 4096
    .skip 4096
ppage2:
    .skip 4096
