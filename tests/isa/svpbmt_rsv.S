/* cpu: rv64,svpbmt=on
 * qemu: none (QEMU 7.2 maps PBMT = 3 and ignores menvcfg.PBMTE)
 * Svpbmt's reserved encodings (privileged spec chapter "Svpbmt"): a leaf
 * with PBMT = 3 is a page fault, and so is any PBMT value while
 * menvcfg.PBMTE is clear (the field is then reserved). */
#include "common.h"
#include "vm.h"

#define CSR_MENVCFG 0x30a
#define PBMTE       (1 << 62)
#define PBMT_NC     (1 << 61)
#define PBMT_RSV    (3 << 61)
#define VA_NC       0x40000000
#define VA_RSV      0x40001000

#define TEST_S(n, code...) \
    TEST_NUM(n); GOTO_MODE PRV_S, 10050f; 10050: code; GOTO_M 10051f; 10051:
#define TEST_S_FAULT(n, cause, va, code...) \
    TEST_NUM(n); TRAP_RESUME 10052f; GOTO_MODE PRV_S, 10053f; 10053: li a1, va; \
    10054: code; j fail; 10052: CHECK_TRAP cause, va; CHECK_TRAP_EPC 10054b

    .macro MAP va, pa, flags
    mv a0, s1
    li a1, \va
    mv a2, \pa
    li a3, (\flags) | PTE_V | PTE_R | PTE_W | PTE_AD
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
    la s2, dpage
    MAP VA_NC, s2, PBMT_NC
    MAP VA_RSV, s2, PBMT_RSV
    li a0, 0x77
    sd a0, 0(s2)
    VM_ON SATP_MODE_SV39, s1
    TEST_S_FAULT(1, CAUSE_LOAD_PAGE_FAULT, VA_NC, ld a0, 0(a1))   /* PBMTE = 0 */
    TEST_NUM(2)
    li a0, PBMTE
    csrs CSR_MENVCFG, a0
    sfence.vma
    TEST_S(3, li a1, VA_NC; ld s7, 0(a1))
    CHECK_EQ(s7, 0x77)
    TEST_S_FAULT(4, CAUSE_LOAD_PAGE_FAULT, VA_RSV, ld a0, 0(a1))
    TEST_S_FAULT(5, CAUSE_STORE_PAGE_FAULT, VA_RSV, sd a0, 0(a1))
    VM_OFF
    PASS

    .data
    .balign 4096
dpage:
    .skip 4096
