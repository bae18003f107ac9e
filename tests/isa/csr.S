/* Zicsr and the machine CSRs: csrrw/csrrs/csrrc and their immediate forms
 * (old value returned, uimm zero-extended, rd == rs1), csrrs/csrrc with
 * rs1 = x0 (or uimm = 0) read without writing, so they are legal on
 * read-only CSRs while any write form is an illegal instruction (mtval =
 * the instruction), nonexistent CSRs, CSRs above the current privilege,
 * misa / mhartid / mconfigptr, the mstatus fields S-mode systems rely on
 * (writable bits, UXL/SXL = 64-bit, little-endian only, sstatus as a
 * restricted view), sie as a view of mie limited by mideleg, mtvec WARL
 * modes, the counters (cycle/time/instret increasing, time agreeing with
 * the CLINT mtime, mcycle/minstret writable) and mcounteren/scounteren
 * gating counter reads from S and U mode bit by bit.
 * Spec: unprivileged ISA chapters 9-10 (Zicsr, Zicntr); privileged 2.1,
 * 3.1 (machine CSRs), 4.1 (supervisor CSRs). */
#include "common.h"

#define RDCYCLE_A0   0xc0002573
#define RDTIME_A0    0xc0102573
#define RDINSTRET_A0 0xc0202573

    .text
    .globl test_main
test_main:
    /* csrrw / csrrs / csrrc on mscratch; restore it at the end */
    csrr s11, mscratch
    TEST_NUM(1)
    li a1, 0x0123456789abcdef
    csrw mscratch, a1
    li a2, 0xfedcba9876543210
    csrrw a0, mscratch, a2
    CHECK_EQ(a0, 0x0123456789abcdef)
    csrr a0, mscratch
    CHECK_EQ(a0, 0xfedcba9876543210)
    TEST_NUM(2)
    li a1, 0xff
    csrrs a0, mscratch, a1
    CHECK_EQ(a0, 0xfedcba9876543210)
    csrr a0, mscratch
    CHECK_EQ(a0, 0xfedcba98765432ff)
    li a1, 0xff000000000000f0
    csrrc a0, mscratch, a1
    CHECK_EQ(a0, 0xfedcba98765432ff)
    csrr a0, mscratch
    CHECK_EQ(a0, 0x00dcba987654320f)
    /* immediate forms: 5-bit uimm, zero-extended */
    TEST_NUM(3)
    csrrwi a0, mscratch, 31
    CHECK_EQ(a0, 0x00dcba987654320f)
    csrr a0, mscratch
    CHECK_EQ(a0, 31)
    csrrci a0, mscratch, 0x15
    CHECK_EQ(a0, 31)
    csrrsi a0, mscratch, 0x10
    CHECK_EQ(a0, 0x0a)
    csrr a0, mscratch
    CHECK_EQ(a0, 0x1a)
    /* rs1 = x0 / uimm = 0: read only */
    TEST_NUM(4)
    csrrs a0, mscratch, x0
    csrrc a0, mscratch, x0
    csrrsi a0, mscratch, 0
    csrrci a0, mscratch, 0
    csrr a0, mscratch
    CHECK_EQ(a0, 0x1a)
    /* rd == rs1: swap */
    TEST_NUM(5)
    li a0, 0x77
    csrrw a0, mscratch, a0
    CHECK_EQ(a0, 0x1a)
    csrr a0, mscratch
    CHECK_EQ(a0, 0x77)
    /* rd = x0 still writes */
    TEST_NUM(6)
    li a1, 0x99
    csrrw x0, mscratch, a1
    li a1, 0x100
    csrrs x0, mscratch, a1
    csrr a0, mscratch
    CHECK_EQ(a0, 0x199)
    csrw mscratch, s11
    /* sscratch is full width too */
    TEST_NUM(7)
    csrr s11, sscratch
    li a1, 0x8000000000000001
    csrw sscratch, a1
    csrr a0, sscratch
    CHECK_EQ(a0, 0x8000000000000001)
    csrw sscratch, s11

    /* read-only CSRs: reads legal, any write form illegal */
    TEST_NUM(8)
    csrr a0, mhartid
    CHECK_EQ(a0, 0)                     /* the only hart */
    csrrs a0, mhartid, x0
    csrrc a0, mhartid, x0
    csrrsi a0, mhartid, 0
    csrrci a0, mhartid, 0
    csrr a0, mvendorid
    csrr a0, marchid
    csrr a0, mimpid
    csrr a0, mconfigptr
    li a1, 0
    TEST_ILLEGAL_WORD(9, 0xf1459573)    /* csrrw a0, mhartid, a1 */
    /* csrrs with rs1 != x0 holding zero still writes, so the spec makes
     * it illegal on a read-only CSR; QEMU 7.2 looks at the value and lets
     * it through. Either outcome is accepted; a trap must be illegal
     * instruction with mtval = the instruction. */
    TEST_NUM(10)
    TRAP_SKIP
    li a0, 0x5a
1:  csrrs a0, mhartid, a1
    TRAP_CLEAR
    la t5, trap_rec
    ld t5, TR_COUNT(t5)
    beqz t5, 2f
    CHECK_TRAP CAUSE_ILLEGAL_INSN, 0xf145a573
    CHECK_TRAP_EPC 1b
    j 3f
2:  CHECK_EQ(a0, 0)
3:
    TEST_ILLEGAL_WORD(11, 0xf140e573)   /* csrrsi a0, mhartid, 1 */
    TEST_ILLEGAL_WORD(12, 0xf1405573)   /* csrrwi a0, mhartid, 0 */
    TEST_ILLEGAL_WORD(13, 0xc0059073)   /* csrw cycle, a1 */
    li a1, 1
    TEST_ILLEGAL_WORD(14, 0xf115a573)   /* csrrs a0, mvendorid, a1 (a1 = 1) */
    /* CSR numbers that do not exist */
    TEST_ILLEGAL_WORD(15, 0x0ff02573)   /* csrr a0, 0x0ff */
    TEST_ILLEGAL_WORD(16, 0x1ff59073)   /* csrw 0x1ff, a1 */

    /* misa: MXL = 2 (64-bit), I M A F D C S U present */
    TEST_NUM(17)
    csrr a0, misa
    srli a1, a0, 62
    CHECK_EQ(a1, 2)
    li a2, (1 << 8) | (1 << 12) | (1 << 0) | (1 << 5) | (1 << 3) | (1 << 2) | (1 << 18) | (1 << 20)
    and a1, a0, a2
    CHECK_REGS(a1, a2)
    andi a1, a0, 1 << 4                 /* not RV64E */
    CHECK_EQ(a1, 0)

    /* mstatus: UXL = SXL = 2 (64-bit U and S) */
    TEST_NUM(18)
    csrr a0, mstatus
    srli a1, a0, 32
    andi a1, a1, 0xf
    CHECK_EQ(a1, 0xa)
    /* the control fields are writable */
    TEST_NUM(19)
    csrr s10, mstatus
    li a2, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP_S | \
           MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
    csrs mstatus, a2
    csrr a0, mstatus
    and a1, a0, a2
    CHECK_REGS(a1, a2)
    csrc mstatus, a2
    csrr a0, mstatus
    and a1, a0, a2
    CHECK_EQ(a1, 0)
    /* MPP holds M and U as well */
    TEST_NUM(20)
    li a2, MSTATUS_MPP
    csrs mstatus, a2
    csrr a0, mstatus
    and a1, a0, a2
    CHECK_EQ(a1, MSTATUS_MPP_M)
    csrc mstatus, a2
    csrr a0, mstatus
    and a1, a0, a2
    CHECK_EQ(a1, 0)
    /* MPP = 2 (reserved) must read back as a legal mode per the spec, but
     * QEMU 7.2 stores it as written; not checked. */
    /* little-endian only: UBE, SBE, MBE read as zero (rvmm and QEMU are
     * little-endian only; a bi-endian hart could make them writable) */
    TEST_NUM(21)
    li a2, MSTATUS_UBE | (1 << 36) | (1 << 37)
    csrs mstatus, a2
    csrr a0, mstatus
    and a1, a0, a2
    CHECK_EQ(a1, 0)
    csrw mstatus, s10
    /* sstatus: a view of mstatus without the M fields */
    TEST_NUM(22)
    li a2, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR
    csrs sstatus, a2
    csrr a0, mstatus
    and a1, a0, a2
    CHECK_REGS(a1, a2)
    csrr a0, sstatus
    and a1, a0, a2
    CHECK_REGS(a1, a2)
    csrc sstatus, a2
    csrr a0, mstatus
    and a1, a0, a2
    CHECK_EQ(a1, 0)
    TEST_NUM(23)
    li a2, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
    csrs mstatus, a2
    csrr a0, sstatus                    /* M fields invisible */
    and a1, a0, a2
    CHECK_EQ(a1, 0)
    csrc mstatus, a2
    csrs sstatus, a2                    /* and not writable through sstatus */
    csrr a0, mstatus
    and a1, a0, a2
    CHECK_EQ(a1, 0)
    csrw mstatus, s10

    /* sie: only the bits delegated in mideleg */
    TEST_NUM(24)
    csrw mie, zero
    csrw mideleg, zero
    li a2, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrs sie, a2
    csrr a0, sie
    CHECK_EQ(a0, 0)
    csrr a0, mie
    CHECK_EQ(a0, 0)
    csrw mideleg, a2
    csrr a0, mideleg                    /* (with H, VS bits read as one) */
    and a0, a0, a2
    CHECK_REGS(a0, a2)
    csrs sie, a2
    csrr a0, sie
    CHECK_REGS(a0, a2)
    csrr a0, mie
    CHECK_REGS(a0, a2)
    li a1, MIP_MSIP | MIP_MTIP | MIP_MEIP
    csrs sie, a1                        /* M bits not reachable via sie */
    csrr a0, mie
    CHECK_REGS(a0, a2)
    csrw mie, zero
    csrw mideleg, zero
    /* mie: the six standard bits are writable */
    TEST_NUM(25)
    li a2, 0xaaa
    csrw mie, a2
    csrr a0, mie
    and a0, a0, a2
    CHECK_REGS(a0, a2)
    csrw mie, zero

    /* mtvec: direct and vectored modes; reserved modes (2, 3) leave a
     * legal mode behind */
    TEST_NUM(26)
    csrr s10, mtvec
    la a1, mtvec_target + 1
    csrw mtvec, a1
    csrr a0, mtvec
    CHECK_REGS(a0, a1)
    la a1, mtvec_target
    csrw mtvec, a1
    csrr a0, mtvec
    CHECK_REGS(a0, a1)
    la a1, mtvec_target + 2
    csrw mtvec, a1
    csrr a0, mtvec
    andi a0, a0, 3
    li a1, 2
    bgeu a0, a1, fail
    la a1, mtvec_target + 3
    csrw mtvec, a1
    csrr a0, mtvec
    andi a0, a0, 3
    li a1, 2
    bgeu a0, a1, fail
    csrw mtvec, s10
    /* mepc, mcause, mtval hold what is written (mepc[0] is not checked:
     * the spec makes it zero, QEMU 7.2 stores it) */
    TEST_NUM(27)
    li a1, 0x80001234
    csrw mepc, a1
    csrr a0, mepc
    CHECK_REGS(a0, a1)
    li a1, 0xfffffffffffffffe
    csrw mepc, a1
    csrr a0, mepc
    CHECK_REGS(a0, a1)
    li a1, 0x8000000000000007
    csrw mcause, a1
    csrr a0, mcause
    CHECK_REGS(a0, a1)
    li a1, 0x123456789
    csrw mtval, a1
    csrr a0, mtval
    CHECK_REGS(a0, a1)
    li a1, 0x80005678
    csrw sepc, a1
    csrr a0, sepc
    CHECK_REGS(a0, a1)

    /* counters increase */
    TEST_NUM(28)
    rdcycle a0
    rdcycle a1
    bleu a1, a0, fail
    rdinstret a0
    nop
    rdinstret a1
    bleu a1, a0, fail
    csrr a0, mcycle
    csrr a1, mcycle
    bleu a1, a0, fail
    csrr a0, minstret
    csrr a1, minstret
    bleu a1, a0, fail
    /* time moves and agrees with the CLINT's mtime */
    TEST_NUM(29)
    li a3, CLINT_MTIME
    ld a0, 0(a3)
    rdtime a1
    ld a2, 0(a3)
    bltu a1, a0, fail
    bltu a2, a1, fail
    li a4, 100000
1:  rdtime a2
    bne a2, a1, 2f
    addi a4, a4, -1
    bnez a4, 1b
    j fail
2:
    /* mcycle / minstret are writable and count on from the value */
    TEST_NUM(30)
    li a1, 0x100000000000
    csrw mcycle, a1
    csrr a0, mcycle
    bltu a0, a1, fail
    li a2, 0x100100000000
    bgeu a0, a2, fail
    rdcycle a0                          /* cycle is the same counter */
    bltu a0, a1, fail
    bgeu a0, a2, fail
    csrw minstret, a1
    csrr a0, minstret
    bltu a0, a1, fail
    bgeu a0, a2, fail
    rdinstret a0
    bltu a0, a1, fail
    bgeu a0, a2, fail

    /* mcounteren gates S-mode (and U-mode) counter reads, one bit each */
    csrw mcounteren, zero
    csrw scounteren, zero
    TEST_ILLEGAL_IN(31, PRV_S, RDCYCLE_A0)
    TEST_ILLEGAL_IN(32, PRV_S, RDTIME_A0)
    TEST_ILLEGAL_IN(33, PRV_S, RDINSTRET_A0)
    csrwi mcounteren, 1                 /* CY */
    TEST_LEGAL_IN(34, PRV_S, RDCYCLE_A0)
    TEST_ILLEGAL_IN(35, PRV_S, RDTIME_A0)
    TEST_ILLEGAL_IN(36, PRV_S, RDINSTRET_A0)
    csrwi mcounteren, 2                 /* TM */
    TEST_ILLEGAL_IN(37, PRV_S, RDCYCLE_A0)
    TEST_LEGAL_IN(38, PRV_S, RDTIME_A0)
    csrwi mcounteren, 4                 /* IR */
    TEST_LEGAL_IN(39, PRV_S, RDINSTRET_A0)
    TEST_ILLEGAL_IN(40, PRV_S, RDTIME_A0)
    /* U-mode needs both mcounteren and scounteren */
    csrwi mcounteren, 7
    csrwi scounteren, 0
    TEST_ILLEGAL_IN(41, PRV_U, RDCYCLE_A0)
    TEST_ILLEGAL_IN(42, PRV_U, RDTIME_A0)
    TEST_ILLEGAL_IN(43, PRV_U, RDINSTRET_A0)
    csrwi scounteren, 7
    TEST_LEGAL_IN(44, PRV_U, RDCYCLE_A0)
    TEST_LEGAL_IN(45, PRV_U, RDTIME_A0)
    TEST_LEGAL_IN(46, PRV_U, RDINSTRET_A0)
    csrwi mcounteren, 5                 /* TM off in mcounteren */
    TEST_ILLEGAL_IN(47, PRV_U, RDTIME_A0)
    TEST_LEGAL_IN(48, PRV_U, RDCYCLE_A0)
    csrwi mcounteren, 7
    csrwi scounteren, 3                 /* IR off in scounteren */
    TEST_ILLEGAL_IN(49, PRV_U, RDINSTRET_A0)
    TEST_LEGAL_IN(50, PRV_U, RDTIME_A0)
    /* scounteren does not gate S-mode */
    csrwi scounteren, 0
    TEST_LEGAL_IN(51, PRV_S, RDCYCLE_A0)
    /* M-mode is never gated */
    csrw mcounteren, zero
    TEST_NUM(52)
    rdcycle a0
    rdtime a0
    rdinstret a0

    /* CSRs above the current privilege */
    TEST_ILLEGAL_IN(53, PRV_S, 0x30002573)  /* csrr a0, mstatus */
    TEST_ILLEGAL_IN(54, PRV_S, 0x34002573)  /* csrr a0, mscratch */
    TEST_ILLEGAL_IN(55, PRV_U, 0x10002573)  /* csrr a0, sstatus */
    TEST_ILLEGAL_IN(56, PRV_U, 0x14059073)  /* csrw sscratch, a1 */
    TEST_ILLEGAL_IN(57, PRV_U, 0x18002573)  /* csrr a0, satp */
    TEST_LEGAL_IN(58, PRV_S, 0x10002573)    /* csrr a0, sstatus */
    TEST_LEGAL_IN(59, PRV_S, 0x18002573)    /* csrr a0, satp */
    TEST_ILLEGAL_IN(60, PRV_S, 0xf1402573)  /* csrr a0, mhartid */

    PASS

    .balign 64
mtvec_target:
    j fail
