/* Traps taken inside hot loops. A JIT that keeps guest registers in host
 * registers across a loop's back edge must write every one of them back
 * before a trap handler runs (the handler reads them) and reload them after
 * it returns (the handler may change them), and must take each trap at the
 * precise instruction. The M handler lt_trap snapshots the loop's
 * registers (s3, s4, s6, s7, t0) and the trapping pc at each trap it
 * fixes up; the checks compare the snapshot with what the loop had
 * computed at that iteration, then the loop's final registers.
 *   1 S-mode self-loop over an array across two pages, the second page
 *     not mapped: a load page fault in iteration 20 of 40, the handler
 *     maps the page (PTE + sfence.vma) and the load is retried
 *   2 M-mode self-loop whose load hits nothing (access fault) in iteration
 *     13 of 30: the handler skips it and supplies the loaded register
 *   3 ecall in every iteration; the handler adds 5 to a loop register
 *   4 an illegal instruction in iteration 7 of a multi-block loop, and in
 *     every iteration of a self-loop; the handler skips it and adds 100
 *   5 minstret, mcycle (instret-based here) and csrrw sscratch in a loop
 *   6 FP loops with mstatus.FS turned Off mid-loop, by the handler (ecall)
 *     and by the loop itself; the next FP instruction traps, the handler
 *     turns FS on and it is retried
 *   7 a pending machine software interrupt (CLINT msip) enabled inside a
 *     loop by csrsi mstatus.MIE, then by csrs mie: taken right after the
 *     enabling instruction
 *   8 the same with a delegated supervisor software interrupt, enabled by
 *     csrsi sstatus.SIE in an S-mode loop
 * and in loops without system instructions (which a JIT may translate as
 * one region, registers held across the back edge):
 *   9 an FP loop run with FS on, then entered with FS off; an access fault
 *     whose handler also turns FS off, the fadd after it trapping
 *  10 a store page fault in an S-mode self-loop (read-only page made
 *     writable by the handler, the store retried)
 * Spec: privileged 3.1.6.5 (FS), 3.1.9 (interrupts), 3.3.1, 4.2.1;
 * unprivileged 11 (Zicsr) and 12 (counters). */
#include "common.h"
#include "vm.h"

#define VA_DATA   0x40000000
#define ILLEGAL   0xc0001073 /* csrrw x0, cycle, x0: a write to a read-only CSR */
#define A7_FS_OFF 1          /* ecall with this a7: the handler turns FS off */

/* snap layout */
#define SN_S3    0
#define SN_S4    8
#define SN_S6    16
#define SN_S7    24
#define SN_EPC   32
#define SN_COUNT 40
#define SN_T0    48

    /* Fail unless the snapshot field off holds the constant val. */
    .macro CHECK_SNAP off, val
    la t5, snap
    ld t5, \off(t5)
    CHECK_EQ(t5, \val)
    .endm
    .macro CHECK_SNAP_ADDR off, label
    la t5, snap
    ld t5, \off(t5)
    la t6, \label
    CHECK_REGS(t5, t6)
    .endm
    /* 30 iterations of s4 += 2; at i == k, `enable` (an interrupt
     * pending and now enabled must be taken before 3:), then s6++ */
    .macro ENABLE_IN_LOOP k, enable:vararg
    li s3, 0
    li s4, 0
    li s5, 30
    li s6, 0
    li s10, \k
1:  addi s4, s4, 2
    bne s3, s10, 2f
    \enable
3:  addi s6, s6, 1
2:  addi s3, s3, 1
    bne s3, s5, 1b
    .endm
    /* t0 = &s2[s3] (dwords), or 0 (nothing there) when s3 == s10.
     * Clobbers t1. */
    .macro ELEM_OR_NULL
    slli t0, s3, 3
    add t0, s2, t0
    xor t1, s3, s10
    seqz t1, t1
    addi t1, t1, -1
    and t0, t0, t1
    .endm
    .macro SNAP_RESET
    la t5, snap
    sd zero, SN_COUNT(t5)
    li t6, -1
    sd t6, SN_EPC(t5)
    .endm

    .text
    .globl test_main
test_main:
    la t0, lt_trap
    csrw mtvec, t0

    /* 1: load page fault in an S-mode self-loop. s2 = VA_DATA + 4096 -
     * 160: 20 dwords on the mapped page, 20 on the unmapped one. Per
     * iteration: s6 += 3 (before the load), s4 += v[i], s7 ^= s4. */
    TEST_NUM(1)
    li a5, 3
    jal vm_new_root
    mv s1, a0
    la a2, dpage0
    li a1, VA_DATA
    li a3, PTE_V | PTE_R | PTE_W | PTE_AD
    li a4, 0
    jal vm_map
    mv a0, s1
    la a2, dpage1
    li a1, VA_DATA + 4096
    li a3, 0                            /* not valid until the fault */
    li a4, 0
    jal vm_map
    la t0, pf_pte_addr
    sd a0, 0(t0)
    ld t1, 0(a0)
    ori t1, t1, PTE_V | PTE_R | PTE_W | PTE_AD
    la t0, pf_pte_val
    sd t1, 0(t0)
    VM_ON SATP_MODE_SV39, s1
    SNAP_RESET
    GOTO_MODE PRV_S, 1f
1:  li s2, VA_DATA + 4096 - 160
    li s3, 0
    li s4, 0
    li s5, 40
    li s6, 0
    li s7, 0
    .option push
    .option norvc
2:  addi s6, s6, 3
    slli t0, s3, 3
    add t0, s2, t0
3:  ld t1, 0(t0)
    add s4, s4, t1
    xor s7, s7, s4
    addi s3, s3, 1
    bne s3, s5, 2b
    .option pop
    GOTO_M 4f
4:  VM_OFF
    CHECK_SNAP SN_COUNT, 1
    CHECK_SNAP_ADDR SN_EPC, 3b
    CHECK_SNAP SN_S3, 20
    CHECK_SNAP SN_S4, 0xbe014a
    CHECK_SNAP SN_S6, 63
    CHECK_SNAP SN_S7, 0x74018a
    CHECK_SNAP SN_T0, VA_DATA + 4096
    CHECK_EQ(s3, 40)
    CHECK_EQ(s4, 0x30c0424)
    CHECK_EQ(s6, 120)
    CHECK_EQ(s7, 0x280784)
    CHECK_EQ(t1, 39 * 0x10001 + 7)

    /* 2: load access fault in an M-mode self-loop: the address is forced
     * to 0 (nothing there) at i == 13, the handler skips the load with
     * s8 = 0x5a. s4 = 2 * s4 + loaded. */
    TEST_NUM(2)
    SNAP_RESET
    la s2, arr2
    li s3, 0
    li s4, 0
    li s5, 30
    li s10, 13
    .option push
    .option norvc
1:  ELEM_OR_NULL
2:  ld s8, 0(t0)
    add s4, s4, s4
    add s4, s4, s8
    addi s3, s3, 1
    bne s3, s5, 1b
    .option pop
    CHECK_SNAP SN_COUNT, 1
    CHECK_SNAP_ADDR SN_EPC, 2b
    CHECK_SNAP SN_S3, 13
    CHECK_SNAP SN_S4, 0x2458bf345d
    CHECK_SNAP SN_T0, 0
    CHECK_EQ(s3, 30)
    CHECK_EQ(s4, 0x48c28f56d89886)
    CHECK_EQ(s8, 0x20fedcac)

    /* 3: ecall every iteration, the handler adds 5 to s4:
     * s4 = 6 (i + 1), s5 += 2 s4 */
    TEST_NUM(3)
    SNAP_RESET
    li s3, 0
    li s4, 0
    li s5, 0
    li s6, 40
    li a7, 0
1:  addi s4, s4, 1
    ecall
    slli t0, s4, 1
    add s5, s5, t0
    addi s3, s3, 1
    bne s3, s6, 1b
    CHECK_SNAP SN_COUNT, 40
    CHECK_EQ(s4, 240)
    CHECK_EQ(s5, 9840)

    /* 4a: an illegal instruction at i == 7 of 25 (if/else loop); the
     * handler adds 100 to s5: s4 += 7, s6 += s5 */
    TEST_NUM(4)
    SNAP_RESET
    li s3, 0
    li s4, 0
    li s5, 0
    li s6, 0
    li s7, 25
    li s10, 7
1:  addi s4, s4, 7
    bne s3, s10, 2f
3:  .word ILLEGAL
2:  add s6, s6, s5
    addi s3, s3, 1
    blt s3, s7, 1b
    CHECK_SNAP SN_COUNT, 1
    CHECK_SNAP_ADDR SN_EPC, 3b
    CHECK_SNAP SN_S3, 7
    CHECK_SNAP SN_S4, 56
    CHECK_EQ(s4, 175)
    CHECK_EQ(s5, 100)
    CHECK_EQ(s6, 1800)

    /* 4b: an illegal instruction in every iteration of a self-loop */
    TEST_NUM(5)
    SNAP_RESET
    li s3, 0
    li s4, 0
    li s5, 0
    li s6, 0
    li s7, 20
1:  addi s4, s4, 1
3:  .word ILLEGAL
    add s6, s6, s5
    addi s3, s3, 1
    bne s3, s7, 1b
    CHECK_SNAP SN_COUNT, 20
    CHECK_SNAP_ADDR SN_EPC, 3b
    CHECK_SNAP SN_S3, 19
    CHECK_SNAP SN_S4, 20
    CHECK_EQ(s4, 20)
    CHECK_EQ(s5, 2000)
    CHECK_EQ(s6, 21000)

    /* 5: counters and a CSR swap in a self-loop of 16 instructions:
     * every minstret/mcycle delta but the first is 16 (s4, s10 count the
     * others); sscratch passes each i to the next iteration (s8 sums) */
    TEST_NUM(6)
    csrr s9, sscratch
    li t0, 1000
    csrw sscratch, t0
    li s3, 0
    li s4, 0
    li s5, 30
    li s8, 0
    li s10, 0
    csrr s6, minstret
    csrr s7, mcycle
    .option push
    .option norvc
1:  csrr t0, minstret
    sub t1, t0, s6
    mv s6, t0
    csrr t2, mcycle
    sub t3, t2, s7
    mv s7, t2
    addi t4, t1, -16
    snez t4, t4
    add s4, s4, t4
    addi t4, t3, -16
    snez t4, t4
    add s10, s10, t4
    csrrw a0, sscratch, s3
    add s8, s8, a0
    addi s3, s3, 1
    bne s3, s5, 1b
    .option pop
    csrw sscratch, s9
    CHECK_EQ(s4, 1)
    CHECK_EQ(s10, 1)
    CHECK_EQ(t1, 16)
    CHECK_EQ(t3, 16)
    CHECK_EQ(a0, 28)
    CHECK_EQ(s8, 1000 + 28 * 29 / 2)

    /* 6a: f1 += 1.5; f3 = f1 * 1.5; f4 += f3, 30 times; at i == 9 an
     * ecall turns FS off, the next fadd traps once */
    TEST_NUM(7)
    li t0, MSTATUS_FS
    csrs mstatus, t0
    li t0, 0x3ff8000000000000           /* 1.5 */
    fmv.d.x f2, t0
    fmv.d.x f1, zero
    fmv.d.x f4, zero
    li s3, 0
    li s5, 30
    li s9, 0
    li s10, 9
1:  fadd.d f1, f1, f2
    fmul.d f3, f1, f2
    bne s3, s10, 2f
    li a7, A7_FS_OFF
    ecall
    li a7, 0
2:  fadd.d f4, f4, f3
    addi s3, s3, 1
    bne s3, s5, 1b
    CHECK_EQ(s9, 1)
    fmv.x.d t0, f1
    CHECK_EQ(t0, 0x4046800000000000)    /* 45.0 */
    fmv.x.d t0, f3
    CHECK_EQ(t0, 0x4050e00000000000)    /* 67.5 */
    fmv.x.d t0, f4
    CHECK_EQ(t0, 0x4090590000000000)    /* 1046.25 */
    csrr t0, mstatus
    srli t0, t0, 13
    andi t0, t0, 3
    CHECK_EQ(t0, 3)                     /* Dirty */

    /* 6b: the loop turns FS off itself when i % 5 == 0 (i = 0..19) */
    TEST_NUM(8)
    fmv.d.x f1, zero
    li s3, 0
    li s5, 20
    li s9, 0
    li s10, 5
    li s11, MSTATUS_FS
1:  remu t0, s3, s10
    bnez t0, 2f
    csrc mstatus, s11
2:  fadd.d f1, f1, f2
    addi s3, s3, 1
    bne s3, s5, 1b
    CHECK_EQ(s9, 4)
    fmv.x.d t0, f1
    CHECK_EQ(t0, 0x403e000000000000)    /* 30.0 */

    /* 7a: msip pending, mie.MSIE set, MIE = 0; at i == 11 the loop sets
     * mstatus.MIE: the interrupt is taken before the next instruction */
    TEST_NUM(9)
    SNAP_RESET
    li t0, MIP_MSIP
    csrw mie, t0
    li t0, CLINT_MSIP
    li t1, 1
    sw t1, 0(t0)
    ENABLE_IN_LOOP 11, csrsi mstatus, MSTATUS_MIE
    csrci mstatus, MSTATUS_MIE
    CHECK_SNAP SN_COUNT, 1
    CHECK_SNAP_ADDR SN_EPC, 3b
    CHECK_SNAP SN_S3, 11
    CHECK_SNAP SN_S4, 24
    CHECK_SNAP SN_S6, 0
    CHECK_EQ(s4, 60)
    CHECK_EQ(s6, 1)

    /* 7b: msip pending, MIE = 1, mie = 0; at i == 17 the loop sets
     * mie.MSIE */
    TEST_NUM(10)
    SNAP_RESET
    csrw mie, zero
    li t0, CLINT_MSIP
    li t1, 1
    sw t1, 0(t0)
    csrsi mstatus, MSTATUS_MIE
    li s11, MIP_MSIP
    ENABLE_IN_LOOP 17, csrs mie, s11
    csrci mstatus, MSTATUS_MIE
    csrw mie, zero
    CHECK_SNAP SN_COUNT, 1
    CHECK_SNAP_ADDR SN_EPC, 3b
    CHECK_SNAP SN_S3, 17
    CHECK_SNAP SN_S4, 36
    CHECK_EQ(s4, 60)
    CHECK_EQ(s6, 1)

    /* 8: SSIP pending and delegated, S-mode loop sets sstatus.SIE at
     * i == 5; lt_strap clears SSIP and snapshots like lt_trap */
    TEST_NUM(11)
    SNAP_RESET
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrw mie, t0
    csrs mip, t0
    la t0, lt_strap
    csrw stvec, t0
    GOTO_MODE PRV_S, 4f
4:
    ENABLE_IN_LOOP 5, csrsi sstatus, MSTATUS_SIE
    csrci sstatus, MSTATUS_SIE
    GOTO_M 5f
5:  csrw mie, zero
    csrw mideleg, zero
    CHECK_SNAP SN_COUNT, 1
    CHECK_SNAP_ADDR SN_EPC, 3b
    CHECK_SNAP SN_S3, 5
    CHECK_SNAP SN_S4, 12
    CHECK_EQ(s4, 60)
    CHECK_EQ(s6, 1)

    /* Loops without system instructions become one translation (a
     * region) in a JIT; the traps below come from ordinary instructions
     * inside such loops. */

    /* 9a: fp_loop (f1 += f2, 30 times) run with FS on, then with FS off
     * from outside: its first fadd traps once, the handler turns FS on */
    TEST_NUM(12)
    li t0, MSTATUS_FS
    csrs mstatus, t0
    li s9, 0
    jal fp_loop
    CHECK_EQ(s9, 0)
    fmv.x.d t0, f1
    CHECK_EQ(t0, 0x4046800000000000)    /* 45.0 */
    li t0, MSTATUS_FS
    csrc mstatus, t0
    jal fp_loop
    CHECK_EQ(s9, 1)
    fmv.x.d t0, f1
    CHECK_EQ(t0, 0x4046800000000000)

    /* 9b: the loop of check 2 plus an fadd: the access fault at i == 12
     * also turns FS off (a7 = A7_FS_OFF), so the fadd after it traps */
    TEST_NUM(13)
    SNAP_RESET
    li t0, MSTATUS_FS
    csrs mstatus, t0
    fmv.d.x f1, zero
    li a7, A7_FS_OFF
    li s9, 0
    la s2, arr2
    li s3, 0
    li s4, 0
    li s5, 30
    li s10, 12
    .option push
    .option norvc
1:  ELEM_OR_NULL
2:  ld s8, 0(t0)
    fadd.d f1, f1, f2
    add s4, s4, s8
    addi s3, s3, 1
    bne s3, s5, 1b
    .option pop
    li a7, 0
    CHECK_SNAP SN_COUNT, 1
    CHECK_SNAP_ADDR SN_EPC, 2b
    CHECK_SNAP SN_S3, 12
    CHECK_EQ(s9, 1)
    CHECK_EQ(s4, 0x1e147ada8)
    fmv.x.d t0, f1
    CHECK_EQ(t0, 0x4046800000000000)

    /* 10: store page fault in an S-mode self-loop: 20 dwords stored from
     * VA_DATA + 8192 - 80, the page at VA_DATA + 8192 read-only until the
     * fault at i = 10 (the handler makes it writable). s6 += 5 before the
     * store, s4 = 3 s4 + i is the value stored. */
    TEST_NUM(14)
    SNAP_RESET
    mv a0, s1
    la a2, dpage2
    li a1, VA_DATA + 8192
    li a3, PTE_V | PTE_R | PTE_A
    li a4, 0
    jal vm_map
    la t0, pf_pte_addr
    sd a0, 0(t0)
    ld t1, 0(a0)
    ori t1, t1, PTE_W | PTE_D
    la t0, pf_pte_val
    sd t1, 0(t0)
    VM_ON SATP_MODE_SV39, s1
    GOTO_MODE PRV_S, 1f
1:  li s2, VA_DATA + 8192 - 80
    li s3, 0
    li s4, 0
    li s5, 20
    li s6, 0
    .option push
    .option norvc
2:  addi s6, s6, 5
    add t1, s4, s4
    add s4, s4, t1
    add s4, s4, s3
    slli t0, s3, 3
    add t0, s2, t0
3:  sd s4, 0(t0)
    addi s3, s3, 1
    bne s3, s5, 2b
    .option pop
    GOTO_M 4f
4:  VM_OFF
    CHECK_SNAP SN_COUNT, 1
    CHECK_SNAP_ADDR SN_EPC, 3b
    CHECK_SNAP SN_S3, 10
    CHECK_SNAP SN_S4, 0xacf9
    CHECK_SNAP SN_S6, 55
    CHECK_SNAP SN_T0, VA_DATA + 8192
    CHECK_EQ(s4, 0x33f506da)
    CHECK_EQ(s6, 100)
    la t0, dpage2 - 80                  /* what landed, physically */
    li t1, 20
    li t2, 0
5:  ld t3, 0(t0)
    add t2, t2, t3
    addi t0, t0, 8
    addi t1, t1, -1
    bnez t1, 5b
    CHECK_EQ(t2, 0x4def89e8)
    la t0, trap_m
    csrw mtvec, t0
    PASS

/* f1 = 30 x 1.5 (f2), one fadd per iteration. Clobbers t0. */
fp_loop:
    fmv.d.x f1, zero
    li t0, 30
1:  fadd.d f1, f1, f2
    addi t0, t0, -1
    bnez t0, 1b
    ret

/* Record the loop's registers and the trapping pc (csr epc) in snap and
 * count the trap. t0 (the loop's) must be at -8(sp); clobbers t0, t1. */
    .macro SNAPSHOT epc
    la t0, snap
    sd s3, SN_S3(t0)
    sd s4, SN_S4(t0)
    sd s6, SN_S6(t0)
    sd s7, SN_S7(t0)
    ld t1, -8(sp)
    sd t1, SN_T0(t0)
    csrr t1, \epc
    sd t1, SN_EPC(t0)
    ld t1, SN_COUNT(t0)
    addi t1, t1, 1
    sd t1, SN_COUNT(t0)
    .endm

/* M handler of the loops: fixes up the traps the checks provoke (see the
 * header), hands everything else (the scaffolding's magic ecalls) to
 * trap_m. Preserves all registers it does not mean to change. */
    .balign 4
lt_trap:
    csrrw sp, mscratch, sp
    sd t0, -8(sp)
    sd t1, -16(sp)
    csrr t0, mcause
    li t1, CAUSE_LOAD_PAGE_FAULT
    beq t0, t1, lt_pf
    li t1, CAUSE_STORE_PAGE_FAULT
    beq t0, t1, lt_pf
    li t1, CAUSE_LOAD_ACCESS
    beq t0, t1, lt_af
    li t1, CAUSE_ILLEGAL_INSN
    beq t0, t1, lt_ill
    li t1, CAUSE_ECALL_M
    beq t0, t1, lt_ecall
    li t1, CAUSE_INTR | IRQ_MSI
    beq t0, t1, lt_msi
lt_other:
    ld t0, -8(sp)
    ld t1, -16(sp)
    csrrw sp, mscratch, sp
    j trap_m
lt_ecall:
    li t1, MAGIC_TO_M
    beq a7, t1, lt_other
    li t1, MAGIC_FAIL
    beq a7, t1, lt_other
    li t1, A7_FS_OFF
    bne a7, t1, 1f
    li t1, MSTATUS_FS
    csrc mstatus, t1
    j lt_skip4
1:  SNAPSHOT mepc
    addi s4, s4, 5
    j lt_skip4
lt_pf:
    SNAPSHOT mepc
    ld t1, SN_COUNT(t0)
    li t0, 1
    bne t1, t0, fail                    /* the retried load faulted again */
    la t0, pf_pte_addr
    ld t0, 0(t0)
    la t1, pf_pte_val
    ld t1, 0(t1)
    sd t1, 0(t0)
    sfence.vma
    j lt_ret
lt_af:
    SNAPSHOT mepc
    li s8, 0x5a
    li t1, A7_FS_OFF
    bne a7, t1, lt_skip4
    li t1, MSTATUS_FS
    csrc mstatus, t1
    j lt_skip4
lt_ill:
    csrr t0, mstatus
    li t1, MSTATUS_FS
    and t0, t0, t1
    bnez t0, 1f
    csrs mstatus, t1                    /* FP was off: on (Dirty), retry */
    addi s9, s9, 1
    j lt_ret
1:  SNAPSHOT mepc
    addi s5, s5, 100
    j lt_skip4
lt_msi:
    SNAPSHOT mepc
    li t0, CLINT_MSIP
    sw zero, 0(t0)
    j lt_ret
lt_skip4:
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
lt_ret:
    ld t0, -8(sp)
    ld t1, -16(sp)
    csrrw sp, mscratch, sp
    mret

/* S handler of check 8: the supervisor software interrupt only. */
    .balign 4
lt_strap:
    csrrw sp, sscratch, sp
    sd t0, -8(sp)
    sd t1, -16(sp)
    csrr t0, scause
    li t1, CAUSE_INTR | IRQ_SSI
    bne t0, t1, fail
    SNAPSHOT sepc
    csrci sip, MIP_SSIP
    ld t0, -8(sp)
    ld t1, -16(sp)
    csrrw sp, sscratch, sp
    sret

    .data
    .balign 8
snap:
    .skip 64
pf_pte_addr:
    .dword 0
pf_pte_val:
    .dword 0
arr2:
    .set k, 0
    .rept 30
    .dword k * 0x1234567 + 1
    .set k, k + 1
    .endr

/* The array of check 1: v[j] = j * 0x10001 + 7, j = 0..19 at the end of
 * dpage0, j = 20..39 at the start of dpage1. */
    .balign 4096
dpage0:
    .skip 4096 - 160
    .set k, 0
    .rept 20
    .dword k * 0x10001 + 7
    .set k, k + 1
    .endr
dpage1:
    .rept 20
    .dword k * 0x10001 + 7
    .set k, k + 1
    .endr
    .balign 4096
dpage2:
    .skip 4096
