/* cpu: rv64,h=on
 * qemu: none (QEMU 7.2 reads vsip.STIP/SEIP as 0 while hideleg delegates them, and keeps hip.VSTIP from vstimecmp with henvcfg.STCE clear; tests/diff/directed/h_irq.S compares the rest with it)
 * VS-level interrupts of the hypervisor extension (priv spec 1.12, 8.2.3,
 * 8.2.11, 8.4.3; Sstc 1.0): hvip, hip, hie, vsip, vsie and mip as views of
 * the same bits (hip.VSSIP the only writable one of hip, vsip/vsie the
 * hideleg'd bits at their S positions, sip/sie without the VS bits);
 * VSSIP, VSTIP and VSEIP raised through hvip and taken in VS-mode as
 * supervisor software/timer/external interrupts (vscause 1, 5, 9), held
 * back by vsstatus.SIE, or taken in HS-mode as causes 2, 6, 10 when
 * hideleg keeps them; vstimecmp raising VSTIP against time + htimedelta,
 * only while menvcfg.STCE and henvcfg.STCE are set, and waking a wfi in
 * VS-mode when the guest's time reaches it. */
#include "common.h"
#include "vmode.h"

#define CSR_VSSTATUS   0x200
#define CSR_VSIE       0x204
#define CSR_VSTVEC     0x205
#define CSR_VSIP       0x244
#define CSR_VSTIMECMP  0x24d
#define CSR_MENVCFG    0x30a
#define CSR_HSTATUS    0x600
#define CSR_HIDELEG    0x603
#define CSR_HIE        0x604
#define CSR_HTIMEDELTA 0x605
#define CSR_HCOUNTEREN 0x606
#define CSR_HENVCFG    0x60a
#define CSR_HIP        0x644
#define CSR_HVIP       0x645
#define HSTATUS_SPV    (1 << 7)
#define MSTATUS_MPV    (1 << 39)
#define ENVCFG_STCE    (1 << 63)
#define CAUSE_ECALL_VS 10
#define VSSIP          (1 << 2)
#define VSTIP          (1 << 6)
#define VSEIP          (1 << 10)
#define VS_ALL         (VSSIP | VSTIP | VSEIP)
#define DELTA          (1 << 40) /* htimedelta: the guest's clock runs ~30 h ahead */


/* A VS interrupt `bits` pending through hvip, enabled in hie, taken in
 * VS-mode (hideleg, vsstatus.SIE): vs_handler sees vscause `cause` and
 * vsepc is where the guest was. */
    .macro VS_IRQ_TAKEN bits, cause
    li a0, \bits
    csrw CSR_HIE, a0
    li a0, MSTATUS_SIE
    csrw CSR_VSSTATUS, a0
    li s3, -1
    TRAP_RESUME 2f
    li a0, \bits
    csrw CSR_HVIP, a0
    GOTO_VMODE PRV_S, 1f
1:  j 1b
2:  csrw CSR_HVIP, zero
    CHECK_TRAP CAUSE_ECALL_VS, 0        /* the handler's ecall */
    CHECK_EQ(s3, \cause)
    la a0, 1b
    CHECK_REGS(s8, a0)
    .endm

    .text
    .globl test_main
test_main:
    la a0, vs_handler
    csrw CSR_VSTVEC, a0
    li a0, 2                            /* TM: the guest reads time */
    csrs mcounteren, a0
    csrs CSR_HCOUNTEREN, a0

    /* hvip holds all three bits; hip and mip show them; of hip only
     * VSSIP is writable. */
    TEST_NUM(1)
    li a0, VS_ALL
    csrw CSR_HVIP, a0
    csrr a1, CSR_HVIP
    CHECK_EQ(a1, VS_ALL)
    csrr a1, CSR_HIP
    CHECK_EQ(a1, VS_ALL)
    csrr a1, mip
    andi a1, a1, VS_ALL
    CHECK_EQ(a1, VS_ALL)
    csrw CSR_HIP, zero
    csrr a1, CSR_HVIP
    CHECK_EQ(a1, VSTIP | VSEIP)
    li a0, VSSIP
    csrs CSR_HIP, a0
    csrr a1, CSR_HVIP
    CHECK_EQ(a1, VS_ALL)
    csrc mip, a0                        /* mip.VSSIP is the same bit */
    csrr a1, CSR_HVIP
    CHECK_EQ(a1, VSTIP | VSEIP)
    csrs mip, a0
    csrr a1, CSR_HIP
    CHECK_EQ(a1, VS_ALL)

    /* sip and sie hold the S-level bits only. */
    TEST_NUM(2)
    csrr a1, sip
    andi a1, a1, VS_ALL
    CHECK_EQ(a1, 0)
    csrw CSR_HIE, zero
    li a0, VS_ALL
    csrs sie, a0
    csrr a1, CSR_HIE
    CHECK_EQ(a1, 0)
    csrr a1, sie
    CHECK_EQ(a1, 0)

    /* vsip/vsie: the bits hideleg gives the guest, shifted to the S
     * positions; hie and mie hold them. */
    TEST_NUM(3)
    csrw CSR_HIDELEG, zero
    csrr a1, CSR_VSIP
    CHECK_EQ(a1, 0)
    li a0, VS_ALL
    csrw CSR_HIDELEG, a0
    csrr a1, CSR_VSIP
    CHECK_EQ(a1, VS_ALL >> 1)
    li a0, VS_ALL >> 1
    csrw CSR_VSIE, a0
    csrr a1, CSR_HIE
    CHECK_EQ(a1, VS_ALL)
    csrr a1, mie
    andi a1, a1, VS_ALL
    CHECK_EQ(a1, VS_ALL)
    li a0, VSSIP
    csrw CSR_HIDELEG, a0
    csrr a1, CSR_VSIE
    CHECK_EQ(a1, VSSIP >> 1)
    csrr a1, CSR_VSIP
    CHECK_EQ(a1, VSSIP >> 1)
    csrw CSR_VSIE, zero                 /* only the delegated bit changes */
    csrr a1, CSR_HIE
    CHECK_EQ(a1, VSTIP | VSEIP)
    csrw CSR_HIE, zero
    csrw CSR_HVIP, zero
    csrr a1, CSR_HIP
    CHECK_EQ(a1, 0)

    /* Each VS interrupt from hvip, taken in VS-mode as its S twin. */
    li a0, VS_ALL
    csrw CSR_HIDELEG, a0
    TEST_NUM(4)
    VS_IRQ_TAKEN VSSIP, CAUSE_INTR | IRQ_SSI
    TEST_NUM(5)
    VS_IRQ_TAKEN VSTIP, CAUSE_INTR | IRQ_STI
    TEST_NUM(6)
    VS_IRQ_TAKEN VSEIP, CAUSE_INTR | IRQ_SEI

    /* With vsstatus.SIE = 0 the guest sees it pending in sip (its vsip),
     * enabled in sie, and is not interrupted. */
    TEST_NUM(7)
    li a0, VSSIP
    csrw CSR_HIE, a0
    csrw CSR_HVIP, a0
    csrw CSR_VSSTATUS, zero
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  csrr s4, sip
    csrr s5, sie
    li a7, 0
    ecall
    j fail
2:  csrw CSR_HVIP, zero
    CHECK_TRAP CAUSE_ECALL_VS, 0
    CHECK_EQ(s4, MIP_SSIP)
    CHECK_EQ(s5, MIP_SSIP)

    /* Not in hideleg: the VS interrupt goes to HS-mode (it is in mideleg
     * for good) with its own cause, from V=1 (hstatus.SPV). */
    TEST_NUM(8)
    csrw CSR_HIDELEG, zero
    la a0, hs_handler
    csrw stvec, a0
    la s9, 2f
    li s7, -1
    li a0, VSEIP
    csrw CSR_HIE, a0
    csrw CSR_HVIP, a0
    GOTO_VMODE PRV_S, 1f
1:  j 1b
2:  csrw CSR_HVIP, zero
    csrw CSR_HIE, zero
    la a0, trap_s
    csrw stvec, a0
    CHECK_EQ(s7, CAUSE_INTR | 10)
    li a0, HSTATUS_SPV
    and a1, s2, a0
    CHECK_EQ(a1, HSTATUS_SPV)

    /* vstimecmp against the guest's time, time + htimedelta (Sstc). */
    TEST_NUM(9)
    li a0, VS_ALL
    csrw CSR_HIDELEG, a0
    li a0, ENVCFG_STCE
    csrs CSR_MENVCFG, a0
    csrs CSR_HENVCFG, a0
    csrr a1, CSR_HENVCFG
    CHECK_EQ(a1, ENVCFG_STCE)
    li a0, DELTA
    csrw CSR_HTIMEDELTA, a0
    rdtime s1
    li a0, 2 * DELTA
    add a0, s1, a0                      /* ahead of the guest's clock */
    csrw CSR_VSTIMECMP, a0
    csrr a1, CSR_HIP
    CHECK_EQ(a1, 0)
    li a0, DELTA / 2
    add a0, s1, a0                      /* passed: only with htimedelta */
    csrw CSR_VSTIMECMP, a0
    csrr a1, CSR_HIP
    CHECK_EQ(a1, VSTIP)
    csrr a1, CSR_HVIP                   /* hvip holds what software wrote */
    CHECK_EQ(a1, 0)
    csrr a1, mip
    andi a1, a1, VSTIP
    CHECK_EQ(a1, VSTIP)
    li a0, -1                           /* never */
    csrw CSR_VSTIMECMP, a0
    csrr a1, CSR_HIP
    CHECK_EQ(a1, 0)

    /* henvcfg.STCE = 0: hip.VSTIP is hvip.VSTIP alone; menvcfg.STCE = 0
     * makes henvcfg.STCE read zero. */
    TEST_NUM(10)
    li a0, DELTA / 2
    add a0, s1, a0
    csrw CSR_VSTIMECMP, a0
    li a0, ENVCFG_STCE
    csrc CSR_HENVCFG, a0
    csrr a1, CSR_HIP
    CHECK_EQ(a1, 0)
    csrs CSR_HENVCFG, a0
    csrr a1, CSR_HIP
    CHECK_EQ(a1, VSTIP)
    csrc CSR_MENVCFG, a0
    csrr a1, CSR_HENVCFG
    CHECK_EQ(a1, 0)
    csrr a1, CSR_HIP
    CHECK_EQ(a1, 0)
    csrs CSR_MENVCFG, a0
    csrs CSR_HENVCFG, a0
    li a0, -1
    csrw CSR_VSTIMECMP, a0

    /* The guest waits in wfi; the timer it set 2 ms ahead (in its own
     * time) wakes it with a supervisor timer interrupt, not earlier. */
    TEST_NUM(11)
    li a0, VSTIP
    csrw CSR_HIE, a0
    li a0, MSTATUS_SIE
    csrw CSR_VSSTATUS, a0
    li s3, -1
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  rdtime s5                           /* the guest's time */
    li a0, 20000
    add s5, s5, a0
    csrw 0x14d, s5                      /* stimecmp: its vstimecmp */
3:  wfi
    j 3b
2:  CHECK_TRAP CAUSE_ECALL_VS, 0
    CHECK_EQ(s3, CAUSE_INTR | IRQ_STI)
    bgeu s4, s5, 4f                     /* the handler's rdtime */
    jal t6, fail
4:
    csrr a0, CSR_VSTIMECMP
    CHECK_REGS(a0, s5)
    li a0, -1
    csrw CSR_VSTIMECMP, a0
    csrw CSR_HIE, zero
    csrw CSR_HTIMEDELTA, zero
    PASS

/* HS trap handler: keeps hstatus and scause in s2, s7, then continues in
 * M at s9. */
    .balign 4
hs_handler:
    csrr s2, CSR_HSTATUS
    csrr s7, scause
    mv a0, s9
    li a7, MAGIC_TO_M
    ecall

/* VS trap handler: keeps scause (vscause), sepc (vsepc) and the time in
 * s3, s8, s4, then leaves to M. */
    .balign 4
vs_handler:
    csrr s3, scause
    csrr s8, sepc
    rdtime s4
    li a7, 0
    ecall
