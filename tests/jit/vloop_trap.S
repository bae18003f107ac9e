/* cpu: rv64,v=on
 * Vector loops that the JIT runs natively (src/cpu/jit/jit_emit_vec.c:
 * vl = VLMAX, vtype as translated, VS on, vstart 0) meeting traps and
 * state changes made behind their back, at VLEN 128. The native code's
 * guard must send each case to the interpreter's handler, which is the
 * reference for vstart, traps and VS. The M handler vt_trap records each
 * page fault (mepc, mtval, vstart at the trap) and fixes it up.
 *   1 S-mode strip-mined sum over 100 words from VA_DATA + 4096 - 200,
 *     the second page unmapped: the strip crossing the page faults at its
 *     third element (vstart 2), the handler maps the page, the vle32 is
 *     retried from vstart
 *   2 the same from VA_DATA + 4096 - 192: a strip starts on the unmapped
 *     page, so the native path's TLB probe misses and the handler faults
 *     at element 0 (vstart 0)
 *   3 an M-mode loop whose ecall turns mstatus.VS Off in iteration 8: the
 *     next vle32 raises illegal instruction, the handler turns VS on
 *     (Initial) and it is retried; VS ends Dirty
 *   4 a loop setting VS Clean before its vle32 each iteration: the load
 *     must make it Dirty again every time
 *   5 a loop of vadd.vv with no vsetvli in it whose ecall switches vtype
 *     to e64 in iteration 10 (the translated vtype was e32)
 *   6 the same where the ecall cuts vl to 1
 * Spec: unprivileged V 3.2 (VS), 3.7 (vstart), 6, 7.4, 11.1, 14.1;
 * privileged 3.1.6.5, 4.3. */
#include "common.h"
#include "vm.h"

#define VA_DATA    0x40000000
#define A7_VS_OFF  1
#define A7_E64     2
#define A7_VL1     3
#define VS_INIT    (1 << 9)
/* rec layout */
#define RC_EPC     0
#define RC_TVAL    8
#define RC_VSTART  16
#define RC_PF      24
#define RC_ILL     32

    .option arch, +v
    .macro REC_RESET
    la t0, rec
    sd zero, RC_PF(t0)
    sd zero, RC_ILL(t0)
    .endm
    .macro CHECK_REC off, val
    la t5, rec
    ld t5, \off(t5)
    CHECK_EQ(t5, \val)
    .endm
    /* s4 = the sum of a0 words at a1 (e32, m1), strip by strip; 2: is
     * the load. */
    .macro VSUM
    vsetvli t0, x0, e32, m1, ta, ma
    vmv.v.i v8, 0
1:  vsetvli t0, a0, e32, m1, tu, ma
2:  vle32.v v1, (a1)
    vadd.vv v8, v8, v1
    slli t1, t0, 2
    add a1, a1, t1
    sub a0, a0, t0
    bnez a0, 1b
    vsetvli t0, x0, e32, m1, ta, ma
    vmv.s.x v9, zero
    vredsum.vs v9, v8, v9
    vmv.x.s s4, v9
    .endm

    .text
    .globl test_main
test_main:
    /* A hart without V (the jit layer also runs every program on the
     * default model) fails here at once instead of retrying forever. */
    TEST_NUM(1)
    csrr t0, misa
    srli t0, t0, 21
    andi t0, t0, 1
    beqz t0, fail
    la t0, vt_trap
    csrw mtvec, t0
    li t0, VS_INIT
    csrs mstatus, t0
    /* dpages: word j = 3j + 1 */
    la t0, dpages
    li t1, 0
    li t2, 2048
1:  slli t3, t1, 1
    add t3, t3, t1
    addi t3, t3, 1
    sw t3, 0(t0)
    addi t0, t0, 4
    addi t1, t1, 1
    bne t1, t2, 1b

    /* 1: a strip crossing into the unmapped page */
    TEST_NUM(1)
    li a5, 3
    jal vm_new_root
    mv s1, a0
    la a2, dpages
    li a1, VA_DATA
    li a3, PTE_V | PTE_R | PTE_W | PTE_AD
    li a4, 0
    jal vm_map
    mv a0, s1
    la a2, dpages + 4096
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
    REC_RESET
    VM_ON SATP_MODE_SV39, s1
    GOTO_MODE PRV_S, 3f
3:  li a0, 100
    li a1, VA_DATA + 4096 - 200
    VSUM
    GOTO_M 4f
4:  VM_OFF
    CHECK_EQ(s4, 307150)                /* words 974..1073 */
    CHECK_REC RC_PF, 1
    CHECK_REC RC_TVAL, VA_DATA + 4096
    CHECK_REC RC_VSTART, 2
    la t5, rec
    ld t5, RC_EPC(t5)
    la t6, 2b
    CHECK_REGS(t5, t6)

    /* 2: a strip starting on the unmapped page */
    TEST_NUM(2)
    la t0, pf_pte_addr
    ld t0, 0(t0)
    la t1, pf_pte_val
    ld t1, 0(t1)
    andi t1, t1, -1024                  /* the page number, not valid */
    sd t1, 0(t0)
    REC_RESET
    VM_ON SATP_MODE_SV39, s1
    GOTO_MODE PRV_S, 3f
3:  li a0, 100
    li a1, VA_DATA + 4096 - 192
    VSUM
    GOTO_M 4f
4:  VM_OFF
    CHECK_EQ(s4, 307750)                /* words 976..1075 */
    CHECK_REC RC_PF, 1
    CHECK_REC RC_TVAL, VA_DATA + 4096
    CHECK_REC RC_VSTART, 0

    /* 3: VS Off in the middle of a loop */
    TEST_NUM(3)
    REC_RESET
    la a1, dpages
    li a0, 64
    li s3, 0
    vsetvli t0, x0, e32, m1, ta, ma
    vmv.v.i v8, 0
1:  vsetvli t0, a0, e32, m1, tu, ma
    li t2, 8
    bne s3, t2, 2f
    li a7, A7_VS_OFF
    ecall
2:  vle32.v v1, (a1)
    vadd.vv v8, v8, v1
    addi s3, s3, 1
    slli t1, t0, 2
    add a1, a1, t1
    sub a0, a0, t0
    bnez a0, 1b
    vsetvli t0, x0, e32, m1, ta, ma
    vmv.s.x v9, zero
    vredsum.vs v9, v8, v9
    vmv.x.s s4, v9
    CHECK_EQ(s4, 6112)                  /* words 0..63 */
    CHECK_REC RC_ILL, 1
    csrr t0, mstatus
    li t1, MSTATUS_VS
    and t0, t0, t1
    CHECK_EQ(t0, MSTATUS_VS)

    /* 4: VS Clean before each load: Dirty after it */
    TEST_NUM(4)
    la a1, dpages
    li a0, 64
    li s3, 0
    li s5, 0
1:  vsetvli t0, a0, e32, m1, ta, ma
    li t2, 1 << 9
    csrc mstatus, t2                    /* Dirty -> Clean */
    vle32.v v1, (a1)
    csrr t3, mstatus
    srli t3, t3, 9
    andi t3, t3, 3
    add s5, s5, t3
    vadd.vv v2, v1, v1
    addi s3, s3, 1
    slli t1, t0, 2
    add a1, a1, t1
    sub a0, a0, t0
    bnez a0, 1b
    slli t0, s3, 1
    add t0, t0, s3                      /* 3 (Dirty) per iteration */
    CHECK_REGS(s5, t0)

    /* 5: vtype switched to e64 by the ecall of iteration 10 */
    TEST_NUM(5)
    li t0, -1
    vsetvli t1, t0, e32, m1, ta, ma
    vmv.v.i v8, 0
    vmv.v.i v1, -1
    li s3, 0
    li s5, 20
1:  li t2, 10
    bne s3, t2, 2f
    li a7, A7_E64
    ecall
2:  vadd.vv v8, v8, v1
    addi s3, s3, 1
    bne s3, s5, 1b
    li t0, -1
    vsetvli t1, t0, e64, m1, ta, ma
    vmv.x.s s4, v8
    /* 10 adds of -1 at e32, then 10 at e64 */
    CHECK_EQ(s4, 0xfffffff6ffffffec)

    /* 6: vl cut to 1 by the ecall of iteration 10 */
    TEST_NUM(6)
    li t0, -1
    vsetvli t1, t0, e32, m1, ta, ma
    vmv.v.i v8, 0
    vmv.v.i v1, -1
    li s3, 0
    li s5, 20
1:  li t2, 10
    bne s3, t2, 2f
    li a7, A7_VL1
    ecall
2:  vadd.vv v8, v8, v1
    addi s3, s3, 1
    bne s3, s5, 1b
    li t0, -1
    vsetvli t1, t0, e32, m1, ta, ma
    vmv.x.s s4, v8
    vslidedown.vi v9, v8, 1
    vmv.x.s s6, v9
    CHECK_EQ(s4, -20)
    CHECK_EQ(s6, -10)
    PASS

/* The M handler: page faults (recorded, page mapped, retried), illegal
 * instructions with VS Off (VS on, retried), the ecalls of A7_*; the rest
 * to trap_m. */
    .balign 4
vt_trap:
    csrrw sp, mscratch, sp
    sd t0, -8(sp)
    sd t1, -16(sp)
    csrr t0, mcause
    li t1, CAUSE_LOAD_PAGE_FAULT
    beq t0, t1, vt_pf
    li t1, CAUSE_ILLEGAL_INSN
    beq t0, t1, vt_ill
    li t1, CAUSE_ECALL_M
    beq t0, t1, vt_ecall
vt_other:
    ld t0, -8(sp)
    ld t1, -16(sp)
    csrrw sp, mscratch, sp
    j trap_m
vt_ecall:
    li t1, A7_VS_OFF
    bne a7, t1, 1f
    li t1, MSTATUS_VS
    csrc mstatus, t1
    j vt_skip4
1:  li t1, A7_E64
    bne a7, t1, 1f
    li t1, -1
    vsetvli x0, t1, e64, m1, ta, ma
    j vt_skip4
1:  li t1, A7_VL1
    bne a7, t1, vt_other
    vsetivli x0, 1, e32, m1, ta, ma
vt_skip4:
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    j vt_ret
vt_pf:
    la t0, rec
    csrr t1, mepc
    sd t1, RC_EPC(t0)
    csrr t1, mtval
    sd t1, RC_TVAL(t0)
    csrr t1, vstart
    sd t1, RC_VSTART(t0)
    ld t1, RC_PF(t0)
    addi t1, t1, 1
    sd t1, RC_PF(t0)
    li t0, 2
    bgeu t1, t0, fail                   /* the retried load faulted again */
    la t0, pf_pte_addr
    ld t0, 0(t0)
    la t1, pf_pte_val
    ld t1, 0(t1)
    sd t1, 0(t0)
    sfence.vma
    j vt_ret
vt_ill:
    csrr t0, mstatus
    li t1, MSTATUS_VS
    and t0, t0, t1
    bnez t0, vt_other                   /* VS was on: not ours */
    li t1, VS_INIT
    csrs mstatus, t1
    csrr t0, mstatus
    li t1, MSTATUS_VS
    and t0, t0, t1
    beqz t0, vt_other                   /* VS is not writable: no V */
    la t0, rec
    ld t1, RC_ILL(t0)
    addi t1, t1, 1
    sd t1, RC_ILL(t0)
vt_ret:
    ld t0, -8(sp)
    ld t1, -16(sp)
    csrrw sp, mscratch, sp
    mret

    .data
    .balign 8
rec:
    .skip 64
pf_pte_addr:
    .dword 0
pf_pte_val:
    .dword 0
    .bss
    .balign 4096
dpages:
    .skip 8192
