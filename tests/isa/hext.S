/* cpu: rv64,h=on
 * The hypervisor extension (priv spec 1.12 chapter 8) from bare metal:
 * misa.H; WARL of hgatp (MODE probed as Linux does, VMID, 16 KiB root),
 * hedeleg, hideleg and the VS bits mideleg reads as one; entering VS/VU
 * through mret with mstatus.MPV; the S->VS CSR swap; ecall from VS (cause
 * 10) and the MPV/MPP recorded; virtual-instruction exceptions (cause 22:
 * H CSRs from VS, S CSRs from VU, wfi under VTW, H instructions from VS)
 * versus illegal ones (M CSRs from VS); delegation M -> HS (hstatus.SPV,
 * SPVP) and M -> HS -> VS (hedeleg, vscause/vsepc); two-stage translation
 * (G-stage Sv39x4 gigapages, VS-stage Sv39 over it) and guest-page faults
 * with mtval = the guest virtual address, mtval2 = guest physical >> 2 and
 * mstatus.GVA; HLV/HSV from M through both stages. */
#include "common.h"
#include "vmode.h"

#define CSR_VSSTATUS  0x200
#define CSR_VSTVEC    0x205
#define CSR_VSSCRATCH 0x240
#define CSR_VSCAUSE   0x242
#define CSR_VSEPC     0x241
#define CSR_VSATP     0x280
#define CSR_MTINST    0x34a
#define CSR_MTVAL2    0x34b
#define CSR_HSTATUS   0x600
#define CSR_HEDELEG   0x602
#define CSR_HIDELEG   0x603
#define CSR_HGATP     0x680
#define HSTATUS_SPV   (1 << 7)
#define HSTATUS_SPVP  (1 << 8)
#define HSTATUS_VTW   (1 << 21)
#define MSTATUS_GVA   (1 << 38)
#define MSTATUS_MPV   (1 << 39)
#define CAUSE_ECALL_VS        10
#define CAUSE_LOAD_GUEST_PF   21
#define CAUSE_FETCH_GUEST_PF  20
#define CAUSE_VIRTUAL_INSN    22
#define GPTE_RWXU (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
#define VPTE_RWX  (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)


    .text
    .globl test_main
test_main:
    TEST_NUM(1)
    csrr a0, misa
    andi a1, a0, 1 << 7
    CHECK_EQ(a1, 1 << 7)

    /* hgatp: Sv39x4 (required with Sv39) reads back. The rest of its WARL
     * rules (an unsupported MODE reads back a supported one, how Linux
     * probes; PPN bits 1:0 read zero; 14 VMID bits) are checked in
     * tests/unit/test_csr.c: QEMU 7.2 stores any MODE and PPN as written. */
    TEST_NUM(2)
    li a0, (8 << 60) | (0x3fff << 44) | 0x80003
    csrw CSR_HGATP, a0
    csrr a1, CSR_HGATP
    srli a2, a1, 60
    CHECK_EQ(a2, 8)
    slli a2, a1, 20                     /* PPN, bits 1:0 aside: the spec */
    srli a2, a2, 22                     /* reads them 0 (rvmm, checked in */
    CHECK_EQ(a2, 0x20000)               /* test_csr.c), QEMU 7.2 keeps them */
    csrw CSR_HGATP, zero

    TEST_NUM(3)
    li a0, -1
    csrw CSR_HIDELEG, a0
    csrr a1, CSR_HIDELEG
    CHECK_EQ(a1, 0x444)
    csrw CSR_HIDELEG, zero
    csrr a1, mideleg
    andi a1, a1, 0x444
    CHECK_EQ(a1, 0x444)
    csrw CSR_HEDELEG, a0
    csrr a1, CSR_HEDELEG
    andi a1, a1, 0x400                  /* ecall from VS never goes to VS */
    CHECK_EQ(a1, 0)
    csrw CSR_HEDELEG, zero

    /* VS-mode: sscratch is vsscratch; ecall is cause 10 with MPV = 1. */
    TEST_NUM(4)
    li a0, 0x55
    csrw CSR_VSSCRATCH, a0
    li a0, 0x66
    csrrw s6, sscratch, a0              /* the S trap stack: put back below */
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  csrr s1, sscratch
    li a7, 0                            /* not a harness ecall */
    ecall
    j fail
2:  CHECK_TRAP CAUSE_ECALL_VS, 0
    CHECK_TRAP_FROM PRV_S
    CHECK_TRAP_FROM_V
    CHECK_EQ(s1, 0x55)
    csrrw a0, sscratch, s6
    CHECK_EQ(a0, 0x66)

    /* H CSR from VS: virtual instruction, tval = the instruction. */
    TEST_NUM(5)
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  .word 0x60002573                    /* csrr a0, hstatus */
    j fail
2:  CHECK_TRAP CAUSE_VIRTUAL_INSN, 0x60002573
    CHECK_TRAP_FROM_V

    /* M CSR from VS: illegal. */
    TEST_NUM(6)
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  .word 0x30002573                    /* csrr a0, mstatus */
    j fail
2:  CHECK_TRAP CAUSE_ILLEGAL_INSN, 0x30002573

    /* S CSR from VU: virtual instruction. */
    TEST_NUM(7)
    TRAP_RESUME 2f
    GOTO_VMODE PRV_U, 1f
1:  .word 0x14002573                    /* csrr a0, sscratch */
    j fail
2:  CHECK_TRAP CAUSE_VIRTUAL_INSN, 0x14002573
    CHECK_TRAP_FROM PRV_U

    /* wfi in VS with hstatus.VTW: virtual instruction. */
    TEST_NUM(8)
    li a0, HSTATUS_VTW
    csrs CSR_HSTATUS, a0
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  wfi
    j fail
2:  CHECK_TRAP CAUSE_VIRTUAL_INSN, 0x10500073
    li a0, HSTATUS_VTW
    csrc CSR_HSTATUS, a0

    /* HLV and HFENCE from VS: virtual instructions. */
    TEST_NUM(9)
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  .word 0x6c05c573                    /* hlv.d a0, (a1) */
    j fail
2:  CHECK_TRAP CAUSE_VIRTUAL_INSN, 0x6c05c573
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  .word 0x62000073                    /* hfence.gvma */
    j fail
2:  CHECK_TRAP CAUSE_VIRTUAL_INSN, 0x62000073

    /* ecall from VS delegated to HS: scause 10, hstatus.SPV = SPVP = 1,
     * sepc the ecall, V = 0 in the handler (it may read hstatus). */
    TEST_NUM(10)
    la a0, hs_handler
    csrw stvec, a0
    li a0, 1 << CAUSE_ECALL_VS
    csrs medeleg, a0
    la s9, 2f
    GOTO_VMODE PRV_S, 1f
1:  li a7, 0
4:  ecall
    j fail
2:  li a0, 1 << CAUSE_ECALL_VS
    csrc medeleg, a0
    la a0, trap_s
    csrw stvec, a0
    CHECK_EQ(s7, CAUSE_ECALL_VS)
    la a0, 4b
    CHECK_REGS(s8, a0)
    li a0, HSTATUS_SPV | HSTATUS_SPVP
    and a1, s2, a0
    CHECK_REGS(a1, a0)

    /* Illegal instruction in VS, delegated by medeleg and hedeleg: goes
     * to vstvec with vscause 2, V still 1 (its ecall then reaches M). */
    TEST_NUM(11)
    la a0, vs_handler
    csrw CSR_VSTVEC, a0
    li a0, 1 << CAUSE_ILLEGAL_INSN
    csrs medeleg, a0
    csrs CSR_HEDELEG, a0
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  .word 0
    j fail
2:  li a0, 1 << CAUSE_ILLEGAL_INSN
    csrc medeleg, a0
    csrc CSR_HEDELEG, a0
    CHECK_TRAP CAUSE_ECALL_VS, 0        /* the handler's ecall, from VS */
    csrr a0, CSR_VSCAUSE
    CHECK_EQ(a0, CAUSE_ILLEGAL_INSN)
    csrr a0, CSR_VSEPC
    la a1, 1b
    CHECK_REGS(a0, a1)
    CHECK_EQ(s3, CAUSE_ILLEGAL_INSN)    /* what the guest read as scause */

    /* G-stage Sv39x4: guest physical 0xC000_0000 aliases RAM at
     * 0x8000_0000; 0x1_0000_0000 is unmapped. */
    TEST_NUM(12)
    la a0, g_root
    srli a0, a0, 12
    li a1, 8 << 60
    or a0, a0, a1
    csrw CSR_HGATP, a0
    la t0, magic
    li t1, 0x40000000
    add s4, t0, t1                      /* its guest physical alias */
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  ld s5, 0(s4)
    ecall
    j fail
2:  CHECK_TRAP CAUSE_ECALL_VS, 0
    li a0, 0x1122334455667788
    CHECK_REGS(s5, a0)

    /* A guest-page fault: mtval the guest address, mtval2 it >> 2,
     * mstatus.GVA and MPV set. */
    TEST_NUM(13)
    li s4, 0x100000008
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  ld s5, 0(s4)
    j fail
2:  CHECK_TRAP CAUSE_LOAD_GUEST_PF, 0x100000008
    CHECK_TRAP_FROM_V
    la t5, trap_rec
    ld t5, TR_STATUS(t5)
    srli t5, t5, 38
    andi t5, t5, 1
    CHECK_EQ(t5, 1)
    csrr a0, CSR_MTVAL2
    CHECK_EQ(a0, 0x100000008 >> 2)

    /* VS-stage Sv39 over the G-stage: guest virtual 0x1_4000_0000 maps to
     * guest physical 0xC000_0000, which the G-stage maps to RAM. */
    TEST_NUM(14)
    la a0, vs_root
    srli a0, a0, 12
    li a1, 8 << 60
    or a0, a0, a1
    csrw CSR_VSATP, a0
    la t0, magic
    li t1, 0x0c0000000
    add s4, t0, t1                      /* 0x8xxx + 0xC000_0000 = 0x1_4xxx */
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  ld s5, 0(s4)
    ecall
    j fail
2:  CHECK_TRAP CAUSE_ECALL_VS, 0
    li a0, 0x1122334455667788
    CHECK_REGS(s5, a0)

    /* HLV.D / HSV.D from M with SPVP = 1: the same two-stage path. */
    TEST_NUM(15)
    li a0, HSTATUS_SPVP
    csrs CSR_HSTATUS, a0
    mv a1, s4
    .word 0x6c05c573                    /* hlv.d a0, (a1) */
    li a2, 0x1122334455667788
    CHECK_REGS(a0, a2)
    li a2, 0x0102030405060708
    .word 0x6ec5c073                    /* hsv.d a2, (a1) */
    la t0, magic
    ld a0, 0(t0)
    CHECK_REGS(a0, a2)

    /* The VS-stage root behind an unmapped guest physical address: the
     * fetch faults in the G-stage on the implicit PTE read (cause 20),
     * mtval2 = that PTE's guest physical address >> 2. */
    TEST_NUM(16)
    li a0, (8 << 60) | (0x100000000 >> 12)
    csrw CSR_VSATP, a0
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  nop
    j fail
2:  csrw CSR_VSATP, zero
    csrw CSR_HGATP, zero
    la t0, 1b
    la t5, trap_rec
    ld a1, TR_CAUSE(t5)
    CHECK_EQ(a1, CAUSE_FETCH_GUEST_PF)
    ld a1, TR_TVAL(t5)
    CHECK_REGS(a1, t0)
    csrr a0, CSR_MTVAL2
    CHECK_EQ(a0, (0x100000000 + 2 * 8) >> 2)
    PASS

/* HS trap handler: keeps hstatus, scause and sepc in s2, s7, s8, then
 * continues in M at s9. */
    .balign 4
hs_handler:
    csrr s2, CSR_HSTATUS
    csrr s7, scause
    csrr s8, sepc
    mv a0, s9
    li a7, MAGIC_TO_M
    ecall

/* VS trap handler: keeps scause (vscause) in s3, then leaves to M. */
    .balign 4
vs_handler:
    csrr s3, scause
    li a7, 0
    ecall

    .data
    .balign 8
magic:
    .dword 0x1122334455667788
    /* G-stage root (Sv39x4: 2048 entries, 16 KiB aligned): gigapages
     * 0 -> 0 (MMIO), 2 -> RAM, 3 -> RAM again (the alias). */
    .balign 16384
g_root:
    .dword (0 << 10) | GPTE_RWXU
    .dword 0
    .dword (0x80000 << 10) | GPTE_RWXU
    .dword (0x80000 << 10) | GPTE_RWXU
    .fill 2044, 8, 0
    /* VS-stage root (Sv39): gva 0x8000_0000 -> gpa 0x8000_0000 (code),
     * gva 0x1_4000_0000 -> gpa 0xC000_0000. */
    .balign 4096
vs_root:
    .dword 0
    .dword 0
    .dword (0x80000 << 10) | VPTE_RWX
    .dword 0
    .dword 0
    .dword (0xc0000 << 10) | VPTE_RWX
    .fill 506, 8, 0
