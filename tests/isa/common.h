/* Shared scaffolding for the bare-metal ISA tests (tests/isa/*.S).
 *
 * Owns: the entry point (_start, M-mode from reset at 0x8000_0000 on the
 * QEMU virt layout), the default M-mode and S-mode trap handlers, the
 * pass/fail exit through the sifive test finisher, and the TEST/CHECK
 * macros. Must not depend on anything but RAM, the finisher and (for
 * messages only) the NS16550 UART; the CLINT is only touched by tests
 * that need interrupts.
 *
 * A test is one .S file: #include "common.h", define test_main (entered in
 * M-mode with translation off, mstatus.FS = Initial, no interrupts
 * enabled or delegated, and PMP entry 0 granting S/U all of memory), run
 * numbered checks, end with PASS. tests/isa/run.sh runs the built ELFs.
 *
 * A failure prints "isa: FAIL test N", t6 (the address after the failing
 * CHECK_EQ / CHECK_REGS) and the last M and S trap records on the UART.
 *
 * Conventions
 *   gp (x3)        number of the running check (TEST_NUM); on failure it
 *                  becomes the exit code: finisher gets (n << 16) | 0x3333.
 *                  Numbers are 1..254 (exit codes are 8 bits); 255 means a
 *                  failure before the first check.
 *   t4, t5, t6     (x29-x31) scratch of the CHECK and TRAP macros.
 *   a0, a7         clobbered by GOTO_M (ecall with a7 = MAGIC_TO_M).
 *   mscratch       top of the M trap stack; sscratch: top of the S trap
 *                  stack. Tests that write them must restore them.
 *
 * Traps. The default M handler (trap_m) records mcause, mtval, mepc and
 * mstatus in trap_rec and counts traps, then does what the test asked for
 * with TRAP_SKIP / TRAP_RESUME / TRAP_RESUME_SAME (one-shot). A trap
 * nobody asked for fails the test. ecall with a7 = MAGIC_TO_M returns to
 * M-mode at a0 (GOTO_M), a7 = MAGIC_FAIL fails the running check (that is
 * how `fail` works from S and U mode). The S handler (trap_s, installed by
 * tests that delegate) does the same with strap_rec and forwards the magic
 * ecalls from U-mode to M. Every handler preserves all registers. The
 * magic ecalls are not recorded, so trap_rec keeps the test's last trap.
 * GOTO_MODE and GOTO_M leave mstatus.MIE = 0 in the mode they reach.
 */
#ifndef TESTS_ISA_COMMON_H
#define TESTS_ISA_COMMON_H

/* ---- QEMU virt memory map ---- */
#define UART_BASE       0x10000000
#define FINISHER_BASE   0x00100000
#define FINISHER_PASS   0x5555
#define FINISHER_FAIL   0x3333
#define CLINT_BASE      0x02000000
#define CLINT_MSIP      0x02000000
#define CLINT_MTIMECMP  0x02004000
#define CLINT_MTIME     0x0200bff8

/* ---- privilege levels ---- */
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* ---- mstatus ---- */
#define MSTATUS_SIE     (1 << 1)
#define MSTATUS_MIE     (1 << 3)
#define MSTATUS_SPIE    (1 << 5)
#define MSTATUS_UBE     (1 << 6)
#define MSTATUS_MPIE    (1 << 7)
#define MSTATUS_SPP     (1 << 8)
#define MSTATUS_VS      (3 << 9)
#define MSTATUS_MPP     (3 << 11)
#define MSTATUS_MPP_S   (1 << 11)
#define MSTATUS_MPP_M   (3 << 11)
#define MSTATUS_FS      (3 << 13)
#define MSTATUS_FS_INIT (1 << 13)
#define MSTATUS_FS_CLEAN (2 << 13)
#define MSTATUS_FS_DIRTY (3 << 13)
#define MSTATUS_XS      (3 << 15)
#define MSTATUS_MPRV    (1 << 17)
#define MSTATUS_SUM     (1 << 18)
#define MSTATUS_MXR     (1 << 19)
#define MSTATUS_TVM     (1 << 20)
#define MSTATUS_TW      (1 << 21)
#define MSTATUS_TSR     (1 << 22)
#define MSTATUS_UXL     (3 << 32)
#define MSTATUS_SXL     (3 << 34)
#define MSTATUS_SD      (1 << 63)

/* ---- interrupts (bit numbers and masks) ---- */
#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define MIP_SSIP (1 << IRQ_SSI)
#define MIP_MSIP (1 << IRQ_MSI)
#define MIP_STIP (1 << IRQ_STI)
#define MIP_MTIP (1 << IRQ_MTI)
#define MIP_SEIP (1 << IRQ_SEI)
#define MIP_MEIP (1 << IRQ_MEI)
#define CAUSE_INTR      (1 << 63)

/* ---- exception causes ---- */
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL_INSN      2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_M           11
#define CAUSE_FETCH_PAGE_FAULT  12
#define CAUSE_LOAD_PAGE_FAULT   13
#define CAUSE_STORE_PAGE_FAULT  15

/* ---- page tables ---- */
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define SATP_MODE_BARE  0
#define SATP_MODE_SV39  8
#define SATP_MODE_SV48  9
#define SATP_MODE_SV57  10
#define SATP_MODE_SHIFT 60

/* ---- fcsr ---- */
#define FFLAG_NX 1
#define FFLAG_UF 2
#define FFLAG_OF 4
#define FFLAG_DZ 8
#define FFLAG_NV 16
#define RM_RNE 0
#define RM_RTZ 1
#define RM_RDN 2
#define RM_RUP 3
#define RM_RMM 4
#define RM_DYN 7

/* ---- trap record layout (trap_rec for M, strap_rec for S) ---- */
#define TR_CAUSE  0
#define TR_TVAL   8
#define TR_EPC    16
#define TR_STATUS 24
#define TR_COUNT  32
#define TR_ACTION 40
#define TR_RESUME 48
#define TR_SIZE   64

#define ACT_NONE        0 /* unexpected: fail */
#define ACT_SKIP        1 /* continue after the trapping instruction, same mode */
#define ACT_RESUME      2 /* continue at TR_RESUME in the handler's mode (M or S) */
#define ACT_RESUME_SAME 3 /* continue at TR_RESUME in the trapping mode */

#define MAGIC_TO_M 0x52544d4d /* "MMTR": ecall → continue in M at a0 */
#define MAGIC_FAIL 0x4c494146 /* "FAIL": ecall → fail with gp */

#define TESTNUM gp

/* ---- checks ---- */

/* Start check n (1..254). */
#define TEST_NUM(n) \
    .if ((n) < 1) || ((n) > 254); .error "test number out of range"; .endif; \
    li TESTNUM, n

/* Fail unless reg == 64-bit constant val. Clobbers t6 (on failure it
 * holds the address after the check, printed by the failure report). */
#define CHECK_EQ(reg, val) \
    li t6, val; beq reg, t6, 10001f; jal t6, fail; 10001:

/* Fail unless ra == rb. */
#define CHECK_REGS(ra, rb) \
    beq ra, rb, 10002f; jal t6, fail; 10002:

/* Check n: run code, then reg must equal val. */
#define TEST_CASE(n, reg, val, code...) \
    TEST_NUM(n); code; CHECK_EQ(reg, val)

/* Register-register / register-immediate ALU ops, with the operands in
 * a1/a2 and the result in a0, plus the rd == rs1 form. */
#define TEST_RR(n, op, res, v1, v2) \
    TEST_NUM(n); li a1, v1; li a2, v2; op a0, a1, a2; CHECK_EQ(a0, res); \
    op a1, a1, a2; CHECK_EQ(a1, res)
#define TEST_RI(n, op, res, v1, imm) \
    TEST_NUM(n); li a1, v1; op a0, a1, imm; CHECK_EQ(a0, res); \
    op a1, a1, imm; CHECK_EQ(a1, res)
#define TEST_R(n, op, res, v1) \
    TEST_NUM(n); li a1, v1; op a0, a1; CHECK_EQ(a0, res)

/* Instruction word enc, run in M-mode, must be an illegal instruction with
 * mtval = enc and mepc = its address. */
#define TEST_ILLEGAL_WORD(n, enc) \
    TEST_NUM(n); TRAP_RESUME 10011f; 10012: .word enc; j fail; 10011: \
    CHECK_TRAP CAUSE_ILLEGAL_INSN, enc; CHECK_TRAP_EPC 10012b
/* The same in mode prv (from M via mret; the trap goes to M, undelegated). */
#define TEST_ILLEGAL_IN(n, prv, enc) \
    TEST_NUM(n); TRAP_RESUME 10013f; GOTO_MODE prv, 10014f; 10014: .word enc; \
    GOTO_M 10015f; 10015: j fail; 10013: CHECK_TRAP CAUSE_ILLEGAL_INSN, enc; \
    CHECK_TRAP_FROM prv; CHECK_TRAP_EPC 10014b
/* Instruction word enc run in mode prv must not trap. */
#define TEST_LEGAL_IN(n, prv, enc) \
    TEST_NUM(n); GOTO_MODE prv, 10016f; 10016: .word enc; GOTO_M 10017f; 10017:

    /* Assembler macros (need several lines or symbol operands). */
    .macro TRAP_SET act, resume
    la t5, trap_rec
    sd zero, TR_COUNT(t5)
    li t6, -1
    sd t6, TR_CAUSE(t5)
    la t6, \resume
    sd t6, TR_RESUME(t5)
    li t6, \act
    sd t6, TR_ACTION(t5)
    .endm
    /* The next M trap continues after the trapping instruction. */
    .macro TRAP_SKIP
    la t5, trap_rec
    sd zero, TR_COUNT(t5)
    li t6, -1
    sd t6, TR_CAUSE(t5)
    li t6, ACT_SKIP
    sd t6, TR_ACTION(t5)
    .endm
    /* Disarm a TRAP_SKIP / TRAP_RESUME that did not fire. */
    .macro TRAP_CLEAR
    la t5, trap_rec
    sd zero, TR_ACTION(t5)
    .endm
    /* The next M trap continues at label in M-mode. */
    .macro TRAP_RESUME label
    TRAP_SET ACT_RESUME, \label
    .endm
    /* The next M trap continues at label in the mode that trapped. */
    .macro TRAP_RESUME_SAME label
    TRAP_SET ACT_RESUME_SAME, \label
    .endm
    /* Same for the S handler (strap_rec). */
    .macro STRAP_SET act, resume
    la t5, strap_rec
    sd zero, TR_COUNT(t5)
    li t6, -1
    sd t6, TR_CAUSE(t5)
    la t6, \resume
    sd t6, TR_RESUME(t5)
    li t6, \act
    sd t6, TR_ACTION(t5)
    .endm

    /* Forget earlier S traps; the next one is unexpected. */
    .macro STRAP_RESET
    la t5, strap_rec
    sd zero, TR_COUNT(t5)
    sd zero, TR_ACTION(t5)
    li t6, -1
    sd t6, TR_CAUSE(t5)
    .endm

    /* Fail unless exactly one M trap was taken since TRAP_SET, with this
     * cause and tval (constants). */
    .macro CHECK_TRAP cause, tval
    CHECK_TRAP_CAUSE \cause
    la t5, trap_rec
    ld t5, TR_TVAL(t5)
    CHECK_EQ(t5, \tval)
    .endm
    .macro CHECK_TRAP_CAUSE cause
    la t5, trap_rec
    ld t5, TR_COUNT(t5)
    CHECK_EQ(t5, 1)
    la t5, trap_rec
    ld t5, TR_CAUSE(t5)
    CHECK_EQ(t5, \cause)
    .endm
    /* tval / epc equal to an address (symbol). */
    .macro CHECK_TRAP_TVAL_ADDR label
    la t5, trap_rec
    ld t5, TR_TVAL(t5)
    la t6, \label
    CHECK_REGS(t5, t6)
    .endm
    .macro CHECK_TRAP_EPC label
    la t5, trap_rec
    ld t5, TR_EPC(t5)
    la t6, \label
    CHECK_REGS(t5, t6)
    .endm
    /* The mode the last M trap came from (mstatus.MPP recorded at entry). */
    .macro CHECK_TRAP_FROM prv
    la t5, trap_rec
    ld t5, TR_STATUS(t5)
    srli t5, t5, 11
    andi t5, t5, 3
    CHECK_EQ(t5, \prv)
    .endm
    /* Fail unless no M trap was taken since TRAP_SET. */
    .macro CHECK_NO_TRAP
    la t5, trap_rec
    ld t5, TR_COUNT(t5)
    CHECK_EQ(t5, 0)
    .endm
    /* The same checks against strap_rec. */
    .macro CHECK_STRAP cause, tval
    la t5, strap_rec
    ld t5, TR_COUNT(t5)
    CHECK_EQ(t5, 1)
    la t5, strap_rec
    ld t5, TR_CAUSE(t5)
    CHECK_EQ(t5, \cause)
    la t5, strap_rec
    ld t5, TR_TVAL(t5)
    CHECK_EQ(t5, \tval)
    .endm
    .macro CHECK_STRAP_CAUSE cause
    la t5, strap_rec
    ld t5, TR_COUNT(t5)
    CHECK_EQ(t5, 1)
    la t5, strap_rec
    ld t5, TR_CAUSE(t5)
    CHECK_EQ(t5, \cause)
    .endm
    .macro CHECK_STRAP_EPC label
    la t5, strap_rec
    ld t5, TR_EPC(t5)
    la t6, \label
    CHECK_REGS(t5, t6)
    .endm
    /* The mode the last S trap came from (sstatus.SPP at entry). */
    .macro CHECK_STRAP_FROM prv
    la t5, strap_rec
    ld t5, TR_STATUS(t5)
    srli t5, t5, 8
    andi t5, t5, 1
    CHECK_EQ(t5, \prv)
    .endm
    .macro CHECK_NO_STRAP
    la t5, strap_rec
    ld t5, TR_COUNT(t5)
    CHECK_EQ(t5, 0)
    .endm

    /* From M-mode: continue at label in privilege prv (mret, with MIE =
     * MPIE = 0 afterwards). Clobbers t6. */
    .macro GOTO_MODE prv, label
    li t6, MSTATUS_MPP | MSTATUS_MPIE
    csrc mstatus, t6
    li t6, ((\prv) << 11)
    csrs mstatus, t6
    la t6, \label
    csrw mepc, t6
    mret
    .endm
    /* From any mode: continue at label in M-mode with MIE = 0 (ecall).
     * Clobbers a0, a7. */
    .macro GOTO_M label
    la a0, \label
    li a7, MAGIC_TO_M
    ecall
    .endm

    .macro PASS
    j pass
    .endm

/* ------------------------------------------------------------------ */
/* Entry and trap scaffolding, emitted once per test in .text.init.    */

    .section .text.init, "ax", @progbits
    .option push
    .option norvc
    .globl _start
_start:
    /* Registers to a known state. */
    li x1, 0
    li x2, 0
    li x3, 0
    li x4, 0
    li x5, 0
    li x6, 0
    li x7, 0
    li x8, 0
    li x9, 0
    li x10, 0
    li x11, 0
    li x12, 0
    li x13, 0
    li x14, 0
    li x15, 0
    li x16, 0
    li x17, 0
    li x18, 0
    li x19, 0
    li x20, 0
    li x21, 0
    li x22, 0
    li x23, 0
    li x24, 0
    li x25, 0
    li x26, 0
    li x27, 0
    li x28, 0
    li x29, 0
    li x30, 0
    li x31, 0
    la t0, trap_m
    csrw mtvec, t0
    /* Clear .bss (stacks, trap records). */
    la t0, __isa_bss_start
    la t1, __isa_bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:
    la sp, isa_stack_top
    la t0, isa_mtrap_stack_top
    csrw mscratch, t0
    la t0, isa_strap_stack_top
    csrw sscratch, t0
    csrw mie, zero
    csrw medeleg, zero
    csrw mideleg, zero
    csrw satp, zero
    li t0, MSTATUS_FS_INIT
    csrw mstatus, t0
    csrr t0, misa                       /* a CPU model without F has no fcsr */
    andi t0, t0, 1 << 5
    beqz t0, 4f
    fscsr zero
4:
    /* PMP: one NAPOT entry over the whole address space, RWX, so S and U
     * may access memory (without an entry they may not, spec 3.7.1). A
     * hart without PMP traps here: skip it. */
    la t0, 3f
    csrw mtvec, t0
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    .balign 4
3:  la t0, trap_m
    csrw mtvec, t0
    csrw mepc, zero
    csrw mcause, zero
    csrw mtval, zero
    li t0, 0
    j test_main

/* ---- default M-mode trap handler ---- */
    .balign 4
    .globl trap_m
trap_m:
    csrrw sp, mscratch, sp
    sd t0, -8(sp)
    sd t1, -16(sp)
    sd t2, -24(sp)
    /* ecall from U/S/M carrying a magic number in a7: scaffolding, not
     * recorded (so a failure report shows the test's last real trap) */
    csrr t0, mcause
    addi t2, t0, -CAUSE_ECALL_U    /* causes 8 to 11 (10: from VS-mode) */
    li t1, 3
    bgtu t2, t1, 1f
    li t2, MAGIC_TO_M
    beq a7, t2, trap_m_to_m
    li t2, MAGIC_FAIL
    beq a7, t2, fail_m
1:  la t1, trap_rec
    sd t0, TR_CAUSE(t1)
    csrr t2, mtval
    sd t2, TR_TVAL(t1)
    csrr t2, mepc
    sd t2, TR_EPC(t1)
    csrr t2, mstatus
    sd t2, TR_STATUS(t1)
    ld t2, TR_COUNT(t1)
    addi t2, t2, 1
    sd t2, TR_COUNT(t1)
    ld t0, TR_ACTION(t1)
    sd zero, TR_ACTION(t1)
    li t2, ACT_SKIP
    beq t0, t2, trap_m_skip
    li t2, ACT_RESUME
    beq t0, t2, trap_m_resume
    li t2, ACT_RESUME_SAME
    beq t0, t2, trap_m_resume_same
    j trap_m_unexpected
trap_m_to_m:
    /* continue in M at a0 with MIE = 0 */
    csrw mepc, a0
    li t0, MSTATUS_MPP
    csrs mstatus, t0
    li t0, MSTATUS_MPIE
    csrc mstatus, t0
    j trap_m_ret
trap_m_resume:
    li t0, MSTATUS_MPP
    csrs mstatus, t0
trap_m_resume_same:
    ld t0, TR_RESUME(t1)
    csrw mepc, t0
    j trap_m_ret
trap_m_skip:
    /* Instruction length from the low bits of its first halfword (code
     * is identity mapped wherever a test asks for a skip). */
    csrr t0, mepc
    lhu t2, 0(t0)
    andi t2, t2, 3
    addi t0, t0, 2
    addi t2, t2, -3
    bnez t2, 2f
    addi t0, t0, 2
2:  csrw mepc, t0
trap_m_ret:
    ld t0, -8(sp)
    ld t1, -16(sp)
    ld t2, -24(sp)
    csrrw sp, mscratch, sp
    mret
trap_m_unexpected:
    la a0, isa_msg_unexpected
    jal isa_puts
    j fail_m

/* ---- default S-mode trap handler (install with stvec = trap_s) ---- */
    .balign 4
    .globl trap_s
trap_s:
    csrrw sp, sscratch, sp
    sd t0, -8(sp)
    sd t1, -16(sp)
    sd t2, -24(sp)
    /* magic ecall from U: forward to M as is, unrecorded */
    csrr t0, scause
    li t2, CAUSE_ECALL_U
    bne t0, t2, 1f
    li t2, MAGIC_TO_M
    beq a7, t2, trap_s_forward
    li t2, MAGIC_FAIL
    beq a7, t2, trap_s_forward
1:  la t1, strap_rec
    sd t0, TR_CAUSE(t1)
    csrr t2, stval
    sd t2, TR_TVAL(t1)
    csrr t2, sepc
    sd t2, TR_EPC(t1)
    csrr t2, sstatus
    sd t2, TR_STATUS(t1)
    ld t2, TR_COUNT(t1)
    addi t2, t2, 1
    sd t2, TR_COUNT(t1)
    ld t0, TR_ACTION(t1)
    sd zero, TR_ACTION(t1)
    li t2, ACT_SKIP
    beq t0, t2, trap_s_skip
    li t2, ACT_RESUME
    beq t0, t2, trap_s_resume
    li t2, ACT_RESUME_SAME
    beq t0, t2, trap_s_resume_same
    /* unexpected: fail through M */
    ld t0, -8(sp)
    ld t1, -16(sp)
    ld t2, -24(sp)
    csrrw sp, sscratch, sp
    j fail
trap_s_forward:
    ld t0, -8(sp)
    ld t1, -16(sp)
    ld t2, -24(sp)
    csrrw sp, sscratch, sp
    ecall
    j fail
trap_s_resume:
    li t0, MSTATUS_SPP
    csrs sstatus, t0
trap_s_resume_same:
    ld t0, TR_RESUME(t1)
    csrw sepc, t0
    j trap_s_ret
trap_s_skip:
    csrr t0, sepc
    lhu t2, 0(t0)
    andi t2, t2, 3
    addi t0, t0, 2
    addi t2, t2, -3
    bnez t2, 2f
    addi t0, t0, 2
2:  csrw sepc, t0
trap_s_ret:
    ld t0, -8(sp)
    ld t1, -16(sp)
    ld t2, -24(sp)
    csrrw sp, sscratch, sp
    sret

/* ---- exit ---- */
    .globl pass
pass:
    li t0, FINISHER_BASE
    li t1, FINISHER_PASS
    sw t1, 0(t0)
1:  j 1b

    /* Fail the running check, from any mode. */
    .globl fail
fail:
    li a7, MAGIC_FAIL
    ecall
    /* fall through if the ecall came back (it must not) */
fail_m:
    la t0, isa_halt_trap
    csrw mtvec, t0
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    mv s1, gp
    mv s3, t6
    la a0, isa_msg_fail
    jal isa_puts
    mv a0, s1
    jal isa_putdec
    la a0, isa_msg_t6
    jal isa_puts
    mv a0, s3
    jal isa_puthex
    la a0, isa_msg_mtrap
    jal isa_puts
    la s2, trap_rec
    ld a0, TR_CAUSE(s2)
    jal isa_puthex
    la a0, isa_msg_epc
    jal isa_puts
    ld a0, TR_EPC(s2)
    jal isa_puthex
    la a0, isa_msg_tval
    jal isa_puts
    ld a0, TR_TVAL(s2)
    jal isa_puthex
    la a0, isa_msg_strap
    jal isa_puts
    la s2, strap_rec
    ld a0, TR_CAUSE(s2)
    jal isa_puthex
    la a0, isa_msg_epc
    jal isa_puts
    ld a0, TR_EPC(s2)
    jal isa_puthex
    la a0, isa_msg_tval
    jal isa_puts
    ld a0, TR_TVAL(s2)
    jal isa_puthex
    li a0, '\n'
    jal isa_putc
    mv gp, s1
    .balign 4
isa_halt_trap:
    /* exit code = gp, or 255 when gp is not a valid check number */
    andi t1, gp, 0xff
    bne t1, gp, 1f
    beqz t1, 1f
    li t0, 255
    bne t1, t0, 2f
1:  li t1, 255
2:  slli t1, t1, 16
    li t0, FINISHER_FAIL
    or t1, t1, t0
    li t0, FINISHER_BASE
    sw t1, 0(t0)
3:  j 3b

/* ---- UART output (M-mode, messages only): a0 in, clobbers t0-t2, a0 ---- */
isa_putc:
    li t0, UART_BASE
    li t2, 100000
1:  lbu t1, 5(t0)       /* LSR.THRE: transmitter holding register empty */
    andi t1, t1, 0x20
    bnez t1, 2f
    addi t2, t2, -1
    bnez t2, 1b
2:  sb a0, 0(t0)
    ret
isa_puts:
    mv t3, ra
    mv t4, a0
1:  lbu a0, 0(t4)
    beqz a0, 2f
    jal isa_putc
    addi t4, t4, 1
    j 1b
2:  mv ra, t3
    ret
isa_puthex:
    mv t3, ra
    mv t4, a0
    li t5, 60
1:  srl a0, t4, t5
    andi a0, a0, 15
    addi a0, a0, '0'
    li t0, '9'
    bleu a0, t0, 2f
    addi a0, a0, 'a' - '0' - 10
2:  jal isa_putc
    addi t5, t5, -4
    bgez t5, 1b
    mv ra, t3
    ret
isa_putdec:             /* 0..999 */
    mv t3, ra
    mv t4, a0
    li t5, 100
    li t6, 0            /* printed a digit yet */
1:  divu a0, t4, t5
    remu t4, t4, t5
    bnez a0, 2f
    bnez t6, 2f
    li t0, 1
    bne t5, t0, 3f
2:  addi a0, a0, '0'
    li t6, 1
    jal isa_putc
3:  li t0, 10
    divu t5, t5, t0
    bnez t5, 1b
    mv ra, t3
    ret
    .option pop

    .section .rodata.isa, "a", @progbits
isa_msg_unexpected: .asciz "isa: unexpected trap\n"
isa_msg_fail:   .asciz "isa: FAIL test "
isa_msg_t6:     .asciz " (t6="
isa_msg_mtrap:  .asciz ": just past the failing CHECK)\n  last M trap: mcause="
isa_msg_strap:  .asciz "\n  last S trap: scause="
isa_msg_epc:    .asciz " epc="
isa_msg_tval:   .asciz " tval="

    .section .bss.isa, "aw", @nobits
    .balign 64
__isa_bss_start:
    .globl trap_rec, strap_rec
trap_rec:  .skip TR_SIZE
strap_rec: .skip TR_SIZE
    .balign 16
    .skip 4096
isa_stack_top:
    .skip 1024
isa_mtrap_stack_top:
    .skip 1024
isa_strap_stack_top:
    .balign 8
__isa_bss_end:

    .text
#endif
