/* Self-modifying code in hot loops: the back edge of a loop (a block
 * branching to itself, or a loop of several blocks on one page) must not
 * run a stale translation after the loop's code was rewritten and fence.i
 * ran, however the store was made (sw, an AMO, an FP store, an M-mode trap
 * handler) and whichever block of the loop it rewrote. Without fence.i
 * the spec allows the old or the new instruction: those checks accept
 * any value the patched instruction has held (the lockstep harness then
 * requires the JIT to match the interpreter). Last, a loop whose page is
 * remapped (PTE + sfence.vma) from inside the loop and from an M-mode
 * handler: the rest of the loop comes from the new page.
 *   1 a self-loop patching its own first instruction, fence.i each time
 *   2 the same without fence.i
 *   3 a loop patching a function on its page, then calling it (fence.i)
 *   4 the same without fence.i
 *   5 an if/else loop whose odd iterations patch the even block (fence.i)
 *   6 the same without fence.i
 *   7 patches made by amoswap.w and by fsw (fence.i)
 *   8 the patch made by the M handler of an ecall in the loop (fence.i
 *     in the handler)
 *   9 an S-mode loop remapping its own page at iteration 10 of 30
 *  10 the same remap done by the M handler of an ecall in the loop
 * and loops without system instructions (a JIT may translate each as one
 * region, entered by its back edge without looking the code up again):
 *  11 a hot loop storing, at iteration 20 of 40 and with no fence.i, a new
 *     first instruction (by sw, amoswap.w, fsw): each iteration runs the
 *     old or the new one; after fence.i a second run sees only the new
 *  12 a hot loop at VA_CODE2 whose load faults at iteration 20 of 40: the M
 *     handler remaps VA_CODE (PTE + sfence.vma), the rest runs the new page
 *  13 a hot loop jumping at iteration 20 to code on another page that
 *     patches the loop's first instruction and jumps straight back (to the
 *     patched block or to another block of the loop): with fence.i the
 *     rest runs the new instruction; without, either
 * Spec: unprivileged 3 (Zifencei), privileged 4.2.1 (sfence.vma). */
#include "common.h"
#include "vm.h"

#define VA_CODE    0x40000000
#define LI_A0(imm) ((((imm) & 0xfff) << 20) | 0x513) /* addi a0, x0, imm */
#define A7_PATCH   5 /* ecall: the handler stores a6 at s2, fence.i */
#define A7_REMAP   6 /* ecall: the handler stores a3 at a2 (a PTE), sfence.vma */
#define VA_CODE2   0x40400000

/* A loop at VA_CODE: a0 = sum of `val` over a5 iterations, after
 * iteration a4 (1-based) the PTE at a2 becomes a3 (by the loop itself, or,
 * with `by_handler`, by the M handler). Position-independent and the same
 * length for every val, so the loop goes on at the same offset. */
    .macro CODE_LOOP val, by_handler
    li a0, 0
    li a1, 0
1:  addi a0, a0, \val
    addi a1, a1, 1
    bne a1, a4, 2f
    .if \by_handler
    li a7, A7_REMAP
    ecall
    .else
    sd a3, 0(a2)
    sfence.vma
    .endif
2:  blt a1, a5, 1b
    ret
    .endm

/* Like CODE_LOOP, without system instructions: the load at iteration a4
 * reads VA 0 (not mapped), and the M handler of that page fault installs
 * PTE a3 at a2 (sfence.vma) and skips the load. a6 = a readable address. */
    .macro CODE_LOOP_FAULT val
    li a0, 0
    li a1, 0
1:  addi a0, a0, \val
    addi a1, a1, 1
    xor t0, a1, a4
    seqz t0, t0
    addi t0, t0, -1
    and t0, t0, a6
    ld t1, 0(t0)
    blt a1, a5, 1b
    ret
    .endm

/* A function running 40 iterations of a0 = the instruction at 1: (addi
 * a0, x0, 1 or 2); s3 = sum of a0; at i == 20 \store puts s11 (addi a0,
 * x0, 2) there; s7 counts a0 values other than 1 and 2. The patched
 * word is \name\()_head. */
    .macro SMC_RLOOP name, store, store2
    /* amoswap.w needs an aligned word; aligned under rvc so the linker
     * keeps it aligned when it relaxes code before it */
    .option push
    .option rvc
    .balign 4
    .option pop
\name:
    li s3, 0
    li s4, 0
    li s5, 40
    li s7, 0
    li s10, 20
    la s2, \name\()_head
\name\()_head:
    addi a0, x0, 1
    addi t0, a0, -1
    sltiu t0, t0, 2
    xori t0, t0, 1
    add s7, s7, t0
    add s3, s3, a0
    bne s4, s10, 2f
    \store
    .ifnb \store2
    \store2
    .endif
2:  addi s4, s4, 1
    bne s4, s5, \name\()_head
    ret
    .endm

    /* Check 11 for one SMC_RLOOP: first run 40..60, second run 80 */
    .macro CHECK_RLOOP name
    la t0, \name\()_head
    li t1, LI_A0(1)
    sw t1, 0(t0)
    fence.i
    li s11, LI_A0(2)
    jal \name
    CHECK_EQ(s7, 0)
    li t0, 40
    bltu s3, t0, fail
    li t0, 60
    bgtu s3, t0, fail
    fence.i
    jal \name
    CHECK_EQ(s7, 0)
    CHECK_EQ(s3, 80)
    .endm

/* A function running 40 iterations of s3 += a0 = the instruction at
 * \name\()_head (addi a0, x0, 1 or 2); at iteration 20 it jumps to \name\()_far,
 * on the next page, which stores s11 (addi a0, x0, 2) there, runs fence.i
 * if \fence, and jumps back to \back (a label of the loop). */
    .macro FAR_LOOP name, fence, back
    .option push
    .option rvc
    .balign 4096
    .option pop
\name:
    li s3, 0
    li s4, 0
    li s5, 40
    li s10, 20
    la s2, \name\()_head
\name\()_head:
    addi a0, x0, 1
    add s3, s3, a0
    addi s4, s4, 1
    bne s4, s10, \name\()_tail
    j \name\()_far
\name\()_tail:
    bne s4, s5, \name\()_head
    ret
    .option push
    .option rvc
    .balign 4096
    .option pop
\name\()_far:
    sw s11, 0(s2)
    .if \fence
    fence.i
    .endif
    j \name\()_\back
    .endm

    /* Check 13 for one FAR_LOOP: s3 in lo..60 */
    .macro CHECK_FAR name, lo
    la t0, \name\()_head
    li t1, LI_A0(1)
    sw t1, 0(t0)
    fence.i
    li s11, LI_A0(2)
    jal \name
    li t0, \lo
    bltu s3, t0, fail
    li t0, 60
    bgtu s3, t0, fail
    fence.i
    .endm

    .text
    .globl test_main
test_main:
    la t0, ls_trap
    csrw mtvec, t0
    .option push
    .option norvc
    li s6, LI_A0(0)

    /* 1: iteration i (1..100) runs the value written in iteration i - 1:
     * 0 + 1 + ... + 99 */
    TEST_NUM(1)
    la s2, 1f
    li s3, 0
    li s4, 1
    li s5, 100
1:  addi a0, x0, 0
    add s3, s3, a0
    slli t0, s4, 20
    or t0, t0, s6
    sw t0, 0(s2)
    fence.i
    addi s4, s4, 1
    bleu s4, s5, 1b
    CHECK_EQ(s3, 4950)
    CHECK_EQ(a0, 99)

    /* 2: no fence.i: iteration i sees a value written before it (< i) */
    TEST_NUM(2)
    la s2, 1f
    li s3, 0
    li s4, 1
    li s5, 100
1:  addi a0, x0, 0
    bgeu a0, s4, fail
    add s3, s3, a0
    slli t0, s4, 20
    or t0, t0, s6
    sw t0, 0(s2)
    addi s4, s4, 1
    bleu s4, s5, 1b
    li t0, 4950
    bgtu s3, t0, fail
    fence.i

    /* 3: patch pfn3 (same page) with i, fence.i, call it: 1 + ... + 100 */
    TEST_NUM(3)
    la s2, pfn3
    li s3, 0
    li s4, 1
    li s5, 100
1:  slli t0, s4, 20
    or t0, t0, s6
    sw t0, 0(s2)
    fence.i
    jal pfn3
    add s3, s3, a0
    addi s4, s4, 1
    bleu s4, s5, 1b
    CHECK_EQ(s3, 5050)
    j 2f
pfn3:
    addi a0, x0, 0
    ret
2:

    /* 4: the same without fence.i: a value written so far (<= i) */
    TEST_NUM(4)
    la s2, pfn4
    li s3, 0
    li s4, 1
    li s5, 100
1:  slli t0, s4, 20
    or t0, t0, s6
    sw t0, 0(s2)
    jal pfn4
    bgtu a0, s4, fail
    add s3, s3, a0
    addi s4, s4, 1
    bleu s4, s5, 1b
    li t0, 5050
    bgtu s3, t0, fail
    fence.i
    j 2f
pfn4:
    addi a0, x0, 0
    ret
2:

    /* 5: i = 1..100; odd i patches the even block with i, even i runs it:
     * 1 + 3 + ... + 99 */
    TEST_NUM(5)
    la s2, 2f
    li s3, 0
    li s4, 1
    li s5, 100
1:  andi t0, s4, 1
    beqz t0, 2f
    slli t0, s4, 20
    or t0, t0, s6
    sw t0, 0(s2)
    fence.i
    j 3f
2:  addi a0, x0, 0
    add s3, s3, a0
3:  addi s4, s4, 1
    bleu s4, s5, 1b
    CHECK_EQ(s3, 2500)
    CHECK_EQ(a0, 99)

    /* 6: the same without fence.i: a value written before (< i) */
    TEST_NUM(6)
    la s2, 2f
    li s3, 0
    li s4, 1
    li s5, 100
1:  andi t0, s4, 1
    beqz t0, 2f
    slli t0, s4, 20
    or t0, t0, s6
    sw t0, 0(s2)
    j 3f
2:  addi a0, x0, 0
    bgeu a0, s4, fail
    add s3, s3, a0
3:  addi s4, s4, 1
    bleu s4, s5, 1b
    li t0, 2500
    bgtu s3, t0, fail
    fence.i

    /* 7a: as 1, the patch stored by amoswap.w (old word must be the
     * previous patch) */
    TEST_NUM(7)
    la s2, 1f
    li s3, 0
    li s4, 1
    li s5, 100
    li s7, 0                            /* swapped-out words that were wrong */
    li s8, LI_A0(0)                     /* the word expected back */
1:  addi a0, x0, 0
    add s3, s3, a0
    slli t0, s4, 20
    or t0, t0, s6
    amoswap.w t1, t0, (s2)
    sext.w t2, s8
    beq t1, t2, 2f
    addi s7, s7, 1
2:  mv s8, t0
    fence.i
    addi s4, s4, 1
    bleu s4, s5, 1b
    CHECK_EQ(s3, 4950)
    CHECK_EQ(s7, 0)

    /* 7b: as 1, the patch stored by fsw */
    TEST_NUM(8)
    li t0, MSTATUS_FS
    csrs mstatus, t0
    la s2, 1f
    li s3, 0
    li s4, 1
    li s5, 100
1:  addi a0, x0, 0
    add s3, s3, a0
    slli t0, s4, 20
    or t0, t0, s6
    fmv.w.x ft0, t0
    fsw ft0, 0(s2)
    fence.i
    addi s4, s4, 1
    bleu s4, s5, 1b
    CHECK_EQ(s3, 4950)

    /* 8: as 1, the patch stored by the M handler of an ecall (which runs
     * fence.i itself) */
    TEST_NUM(9)
    la s2, 1f
    li s3, 0
    li s4, 1
    li s5, 100
    li a7, A7_PATCH
1:  addi a0, x0, 0
    add s3, s3, a0
    slli a6, s4, 20
    or a6, a6, s6
    ecall
    addi s4, s4, 1
    bleu s4, s5, 1b
    CHECK_EQ(s3, 4950)
    .option pop

    /* 9: S-mode runs CODE_LOOP at VA_CODE -> codeA (+1); at iteration 10
     * of 30 it maps VA_CODE to codeB (+2): 10 + 2 * 20 */
    TEST_NUM(10)
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
    GOTO_MODE PRV_S, 1f
1:  mv a2, s2
    PTE_FOR codeB
    li a4, 10
    li a5, 30
    li t0, VA_CODE
    jalr ra, 0(t0)
    mv s3, a0
    GOTO_M 2f
2:  CHECK_EQ(s3, 50)

    /* 10: the same with codeC / codeD, the remap made by the M handler */
    TEST_NUM(11)
    PTE_FOR codeC
    sd a3, 0(s2)
    sfence.vma
    GOTO_MODE PRV_S, 1f
1:  mv a2, s2
    PTE_FOR codeD
    li a4, 10
    li a5, 30
    li t0, VA_CODE
    jalr ra, 0(t0)
    mv s3, a0
    GOTO_M 2f
2:  CHECK_EQ(s3, 10 * 3 + 20 * 4)

    /* 11: a hot loop's first instruction replaced with no fence.i */
    TEST_NUM(12)
    li t0, MSTATUS_FS
    csrs mstatus, t0
    CHECK_RLOOP rloop_sw
    TEST_NUM(13)
    CHECK_RLOOP rloop_amo
    TEST_NUM(14)
    CHECK_RLOOP rloop_fsw

    /* 12: S-mode runs CODE_LOOP_FAULT at VA_CODE2 -> codeE (+5); the
     * fault at iteration 20 of 40 maps it to codeF (+6): 100 + 120 */
    TEST_NUM(15)
    li a5, 3
    mv a0, s1
    la a2, codeE
    li a1, VA_CODE2
    li a3, PTE_LEAF_RX
    li a4, 0
    jal vm_map
    mv s2, a0
    VM_ON SATP_MODE_SV39, s1
    GOTO_MODE PRV_S, 1f
1:  mv a2, s2
    PTE_FOR codeF
    li a4, 20
    li a5, 40
    la a6, dummy
    li t0, VA_CODE2
    jalr ra, 0(t0)
    mv s3, a0
    GOTO_M 2f
2:  CHECK_EQ(s3, 220)
    la t0, ls_faults
    ld t0, 0(t0)
    CHECK_EQ(t0, 1)

    /* 13: a loop patched from code on another page, jumping back */
    TEST_NUM(16)
    CHECK_FAR far_head, 60
    TEST_NUM(17)
    CHECK_FAR far_tail, 60
    TEST_NUM(18)
    CHECK_FAR far_nofence, 40
    VM_OFF
    la t0, trap_m
    csrw mtvec, t0
    PASS

    .option push
    .option norvc
    SMC_RLOOP rloop_sw, "sw s11, 0(s2)"
    SMC_RLOOP rloop_amo, "amoswap.w zero, s11, (s2)"
    SMC_RLOOP rloop_fsw, "fmv.w.x ft0, s11", "fsw ft0, 0(s2)"
    FAR_LOOP far_head, 1, head
    FAR_LOOP far_tail, 1, tail
    FAR_LOOP far_nofence, 0, head
    .option pop

/* M handler: the A7_PATCH and A7_REMAP ecalls (from M or S); the rest to
 * trap_m. */
    .balign 4
ls_trap:
    csrrw sp, mscratch, sp
    sd t0, -8(sp)
    csrr t0, mcause
    addi t0, t0, -CAUSE_LOAD_PAGE_FAULT
    beqz t0, 3f
    addi t0, t0, CAUSE_LOAD_PAGE_FAULT - CAUSE_ECALL_S
    beqz t0, 1f
    addi t0, t0, CAUSE_ECALL_S - CAUSE_ECALL_M
    bnez t0, ls_other
1:  li t0, A7_PATCH
    bne a7, t0, 2f
    sw a6, 0(s2)
    fence.i
    j ls_skip
2:  li t0, A7_REMAP
    bne a7, t0, ls_other
    sd a3, 0(a2)
    sfence.vma
    j ls_skip
3:  sd a3, 0(a2)                        /* CODE_LOOP_FAULT's load */
    sfence.vma
    sd t1, -16(sp)
    la t0, ls_faults
    ld t1, 0(t0)
    addi t1, t1, 1
    sd t1, 0(t0)
    ld t1, -16(sp)
ls_skip:
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    ld t0, -8(sp)
    csrrw sp, mscratch, sp
    mret
ls_other:
    ld t0, -8(sp)
    csrrw sp, mscratch, sp
    j trap_m

    .data
    .balign 8
ls_faults:
    .dword 0
dummy:
    .dword 0
    .option push
    .option norvc
    .balign 4096
codeA:
    CODE_LOOP 1, 0
    .balign 4096
codeB:
    CODE_LOOP 2, 0
    .balign 4096
codeC:
    CODE_LOOP 3, 1
    .balign 4096
codeD:
    CODE_LOOP 4, 1
    .balign 4096
codeE:
    CODE_LOOP_FAULT 5
    .balign 4096
codeF:
    CODE_LOOP_FAULT 6
    .balign 4096
    .option pop
