/* cpu: rv64,svpbmt=on,svnapot=on
 * Svpbmt and Svnapot in Sv39 (privileged spec chapters "Svpbmt" and
 * "Svnapot"): with menvcfg.PBMTE set, leaves with PBMT = NC or IO map
 * their page as PMA would (rvmm has no caches to bypass); a 4 KiB leaf
 * with N and ppn[3:0] = 1000 maps a 64 KiB range, the page within it
 * taken from the address; N with another ppn[3:0] is a page fault.
 * QEMU 7.2 with the same -cpu agrees (svpbmt_rsv.S has the reserved
 * encodings it does not check). */
#include "common.h"
#include "vm.h"

#define CSR_MENVCFG 0x30a
#define PBMTE       (1 << 62)
#define PBMT_NC     (1 << 61)
#define PBMT_IO     (2 << 61)
#define PTE_N       (1 << 63)
#define VA_NC       0x40000000
#define VA_IO       0x40001000
#define VA_NAPOT    0x40010000  /* 64 KiB aligned */
#define VA_BADN     0x40020000

/* code (a1 = va) in S-mode must not trap. */
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
    li a0, PBMTE
    csrs CSR_MENVCFG, a0
    li a5, 3
    jal vm_new_root
    mv s1, a0
    la s2, dpage
    MAP VA_NC, s2, PBMT_NC
    MAP VA_IO, s2, PBMT_IO
    la s3, napot
    li t0, 0x8000
    or s4, s3, t0                       /* ppn[3:0] = 1000 */
    li s5, 0
1:  li t0, VA_NAPOT
    add a1, t0, s5
    mv a0, s1
    mv a2, s4
    li t0, PTE_N | PTE_V | PTE_R | PTE_W | PTE_AD
    mv a3, t0
    li a4, 0
    li a5, 3
    jal vm_map
    li t0, 0x1000
    add s5, s5, t0
    li t0, 0x10000
    bltu s5, t0, 1b
    li t0, 0x4000
    or s6, s3, t0                       /* ppn[3:0] = 0100: reserved with N */
    MAP VA_BADN, s6, PTE_N
    li a0, 0x0123456789abcdef
    sd a0, 0(s2)
    li t0, 0x5008
    add t0, s3, t0
    li a0, 0x5a5a
    sd a0, 0(t0)
    VM_ON SATP_MODE_SV39, s1

    TEST_S(1, li a1, VA_NC; ld s7, 0(a1))
    CHECK_EQ(s7, 0x0123456789abcdef)
    TEST_S(2, li a1, VA_IO; li a2, 0x42; sb a2, 8(a1); ld s7, 0(a1); lbu s8, 8(a1))
    CHECK_EQ(s7, 0x0123456789abcdef)
    CHECK_EQ(s8, 0x42)
    TEST_S(3, li a1, VA_NAPOT + 0x5008; ld s7, 0(a1))
    CHECK_EQ(s7, 0x5a5a)
    TEST_S_FAULT(4, CAUSE_LOAD_PAGE_FAULT, VA_BADN, ld a0, 0(a1))
    VM_OFF
    PASS

    .data
    .balign 4096
dpage:
    .skip 4096
    .balign 65536
napot:
    .skip 65536
