/* Code on a page that is remapped under it: S-mode runs code at a virtual
 * page whose PTE points at page A; the code itself rewrites that PTE to
 * point at page B and executes sfence.vma, and the next instruction must be
 * fetched from B. A JIT that keys translations by virtual address, or keeps
 * running a stale translation after sfence.vma, fails. Then M-mode maps the
 * page back to A and S-mode runs it again: A's code, from the start. Then
 * the same after the call has become hot (jump caches), and two address
 * spaces mapping the page to A and B that S-mode switches between with
 * satp writes; last, code rewritten through a writable alias of its page.
 * QEMU 7.2 fails check 2: it does not end a translation block at
 * sfence.vma, so it runs the rest of A's block (checks 1 and 3-6 pass there).
 * Spec: privileged 4.2.1 (sfence.vma orders PTE stores before later
 * implicit references, including instruction fetch). */
#include "common.h"
#include "vm.h"

#define VA_CODE 0x40000000
#define VA_XC   0x40100000 /* page C, executable */
#define VA_WC   0x40200000 /* page C, writable */
#define LI_A0(imm) ((((imm) & 0xfff) << 20) | 0x513) /* addi a0, x0, imm */

/* One code page: a2 = &PTE, a3 = the PTE to install. */
#define CODE_PAGE(val) \
    sd a3, 0(a2); sfence.vma; li a0, val; ret

    .text
    .globl test_main
test_main:
    li a5, 3
    jal vm_new_root
    mv s1, a0
    la a2, codeA
    li a1, VA_CODE
    li a3, PTE_LEAF_RX
    li a4, 0
    jal vm_map
    mv s2, a0                           /* &PTE(VA_CODE) */
    VM_ON SATP_MODE_SV39, s1

    /* 1: through the mapping to A, PTE rewritten to A itself: A's code */
    TEST_NUM(1)
    GOTO_MODE PRV_S, 1f
1:  mv a2, s2
    PTE_FOR codeA
    li t0, VA_CODE
    jalr ra, 0(t0)
    mv s3, a0
    GOTO_M 2f
2:  CHECK_EQ(s3, 1)

    /* 2: A's code remaps its own page to B: the rest comes from B */
    TEST_NUM(2)
    GOTO_MODE PRV_S, 3f
3:  mv a2, s2
    PTE_FOR codeB
    li t0, VA_CODE
    jalr ra, 0(t0)
    mv s3, a0
    GOTO_M 4f
4:  CHECK_EQ(s3, 2)

    /* 3: M-mode maps A back (sfence.vma from M): A's code again, whole */
    TEST_NUM(3)
    PTE_FOR codeA
    sd a3, 0(s2)
    sfence.vma
    GOTO_MODE PRV_S, 5f
5:  mv a2, s2
    PTE_FOR codeA
    li t0, VA_CODE
    jalr ra, 0(t0)
    mv s3, a0
    GOTO_M 6f
6:  CHECK_EQ(s3, 1)

    /* 4: remapped to B in M-mode without running: B's code from the start */
    TEST_NUM(4)
    PTE_FOR codeB
    sd a3, 0(s2)
    sfence.vma
    GOTO_MODE PRV_S, 7f
7:  mv a2, s2
    PTE_FOR codeB
    li t0, VA_CODE
    jalr ra, 0(t0)
    mv s3, a0
    GOTO_M 8f
8:  CHECK_EQ(s3, 2)

    /* 5: hot code, then remapped: 100 calls through the mapping to B (the
     * JIT's jump cache now knows the target), M maps A and fences, and the
     * next call must run A */
    TEST_NUM(5)
    GOTO_MODE PRV_S, 9f
9:  la a2, dummy
    li s3, 0
    li s4, 100
    li t0, VA_CODE
10: jalr ra, 0(t0)
    add s3, s3, a0
    addi s4, s4, -1
    bnez s4, 10b
    GOTO_M 11f
11: CHECK_EQ(s3, 200)
    PTE_FOR codeA
    sd a3, 0(s2)
    sfence.vma
    GOTO_MODE PRV_S, 12f
12: la a2, dummy
    li t0, VA_CODE
    jalr ra, 0(t0)
    mv s3, a0
    GOTO_M 13f
13: CHECK_EQ(s3, 1)

    /* 6: two address spaces mapping VA_CODE to A and to B; S-mode switches
     * satp (and fences) between calls, 50 times each way: 1, 2, 1, 2, ... */
    TEST_NUM(6)
    li a5, 3
    jal vm_new_root
    mv s5, a0                           /* second root: VA_CODE -> B */
    la a2, codeB
    li a1, VA_CODE
    li a3, PTE_LEAF_RX
    li a4, 0
    jal vm_map
    li t0, SATP_MODE_SV39 << SATP_MODE_SHIFT
    srli s6, s1, 12
    or s6, s6, t0                       /* satp of the first root (-> A) */
    srli s7, s5, 12
    or s7, s7, t0                       /* satp of the second (-> B) */
    GOTO_MODE PRV_S, 14f
14: la a2, dummy
    li s3, 0
    li s4, 50
15: csrw satp, s6
    sfence.vma
    li t0, VA_CODE
    jalr ra, 0(t0)
    add s3, s3, a0                      /* + 1 */
    slli s3, s3, 1
    csrw satp, s7
    sfence.vma
    li t0, VA_CODE
    jalr ra, 0(t0)
    add s3, s3, a0                      /* + 2 */
    addi s4, s4, -1
    bnez s4, 15b
    csrw satp, s6
    sfence.vma
    GOTO_M 16f
16: li t0, 0                            /* the expected s3: 50 x (s3 = 2(s3+1)+2) */
    li t1, 50
17: addi t0, t0, 1
    slli t0, t0, 1
    addi t0, t0, 2
    addi t1, t1, -1
    bnez t1, 17b
    CHECK_REGS(s3, t0)

    /* 7: code rewritten through another virtual alias of its physical
     * page: page C is mapped executable at VA_XC and writable at VA_WC.
     * After 50 calls (hot), S-mode stores a new first instruction through
     * VA_WC and runs fence.i: the call through VA_XC runs the new code. */
    TEST_NUM(7)
    mv a0, s1
    la a2, codeC
    li a1, VA_XC
    li a3, PTE_LEAF_RX
    li a4, 0
    jal vm_map
    mv a0, s1
    la a2, codeC
    li a1, VA_WC
    li a3, PTE_V | PTE_R | PTE_W | PTE_AD
    li a4, 0
    jal vm_map
    sfence.vma
    GOTO_MODE PRV_S, 18f
18: li s3, 0
    li s4, 50
    li t0, VA_XC
19: jalr ra, 0(t0)
    add s3, s3, a0
    addi s4, s4, -1
    bnez s4, 19b
    li t1, LI_A0(9)
    li t2, VA_WC
    sw t1, 0(t2)
    fence.i
    jalr ra, 0(t0)
    mv s4, a0
    GOTO_M 20f
20: CHECK_EQ(s3, 350)
    CHECK_EQ(s4, 9)
    VM_OFF
    PASS

    .data
    .balign 8
dummy:
    .dword 0

    .option push
    .option norvc
    .balign 4096
codeA:
    CODE_PAGE(1)
    .balign 4096
codeB:
    CODE_PAGE(2)
    .balign 4096
codeC:
    li a0, 7
    ret
    .balign 4096
    .option pop
