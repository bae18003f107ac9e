/* cpu: rv64,h=on
 * The hypervisor's own timer while a guest runs (priv spec 1.12, 8.4.3;
 * Sstc 1.0), set up the way Linux KVM runs a vCPU: HS-mode has
 * sstatus.SIE = 0 (interrupts off around the guest entry), STIP is in
 * mideleg and enabled in sie, menvcfg.STCE and henvcfg.STCE are set, the
 * guest's clock is offset by htimedelta and its vstimecmp is far ahead.
 * The HS timer (stimecmp) falling due while V=1 must be taken to HS-mode
 * (scause 5, hstatus.SPV set, sepc in the guest) whatever sstatus.SIE:
 * from a VS-mode loop, from a wfi in VS-mode (hstatus.VTW = 0, the hart
 * wakes), and with the guest's own timer pending too (HS first). With
 * hstatus.VTW = 1 a wfi in VS-mode is a virtual instruction. */
#include "common.h"
#include "vmode.h"

#define CSR_VSSTATUS   0x200
#define CSR_VSTVEC     0x205
#define CSR_VSTIMECMP  0x24d
#define CSR_STIMECMP   0x14d
#define CSR_MENVCFG    0x30a
#define CSR_HSTATUS    0x600
#define CSR_HIDELEG    0x603
#define CSR_HIE        0x604
#define CSR_HTIMEDELTA 0x605
#define CSR_HCOUNTEREN 0x606
#define CSR_HENVCFG    0x60a
#define HSTATUS_SPV    (1 << 7)
#define HSTATUS_VTW    (1 << 21)
#define MSTATUS_MPV    (1 << 39)
#define ENVCFG_STCE    (1 << 63)
#define VSTIP          (1 << 6)
#define CAUSE_VIRTUAL  22
#define WAIT           20000 /* ticks: 2 ms of the 10 MHz timebase */


/* Arms the HS timer WAIT ticks ahead; s7 (scause seen by hs_handler)
 * starts at -1 and s9 is where hs_handler continues in M. */
    .macro ARM_HS_TIMER resume
    li s7, -1
    la s9, \resume
    rdtime a0
    li a1, WAIT
    add a0, a0, a1
    csrw CSR_STIMECMP, a0
    .endm

/* hs_handler took the HS timer from V=1 at an address in [from, to]. */
    .macro CHECK_HS_TIMER from, to
    li a0, -1
    csrw CSR_STIMECMP, a0
    CHECK_EQ(s7, CAUSE_INTR | IRQ_STI)
    li a0, HSTATUS_SPV
    and a1, s2, a0
    CHECK_EQ(a1, HSTATUS_SPV)
    la a0, \from
    bgeu s6, a0, 10101f
    jal t6, fail
10101:
    la a0, \to
    bgeu a0, s6, 10102f
    jal t6, fail
10102:
    .endm

    .text
    .globl test_main
test_main:
    la a0, hs_handler
    csrw stvec, a0
    la a0, vs_handler
    csrw CSR_VSTVEC, a0
    li a0, 2                            /* TM: S and the guest read time */
    csrs mcounteren, a0
    csrs CSR_HCOUNTEREN, a0
    li a0, ENVCFG_STCE
    csrs CSR_MENVCFG, a0
    csrs CSR_HENVCFG, a0
    li a0, -1
    csrw CSR_STIMECMP, a0
    csrw CSR_VSTIMECMP, a0
    rdtime a0                           /* KVM: the guest's clock from 0 */
    neg a0, a0
    csrw CSR_HTIMEDELTA, a0
    li a0, MIP_STIP
    csrs mideleg, a0
    csrs mie, a0
    li a0, VSTIP
    csrw CSR_HIDELEG, a0
    csrw CSR_HIE, a0
    li a0, MSTATUS_SIE                  /* HS has interrupts off */
    csrc mstatus, a0
    li a0, MSTATUS_SPP | MSTATUS_SIE
    csrw CSR_VSSTATUS, a0

    /* A busy guest. */
    TEST_NUM(1)
    ARM_HS_TIMER 2f
    GOTO_VMODE PRV_S, 1f
1:  addi a2, a2, 1
    j 1b
2:  CHECK_HS_TIMER 1b, 2b

    /* A guest waiting in wfi: the HS timer wakes the hart and is taken. */
    TEST_NUM(2)
    ARM_HS_TIMER 2f
    GOTO_VMODE PRV_S, 1f
1:  wfi
    j 1b
2:  CHECK_HS_TIMER 1b, 2b

    /* The guest's own timer pending and enabled as well: HS's first. */
    TEST_NUM(3)
    rdtime a0
    csrr a1, CSR_HTIMEDELTA
    add a0, a0, a1
    csrw CSR_VSTIMECMP, a0              /* due now, in the guest's time */
    ARM_HS_TIMER 2f
    li a0, MSTATUS_SPP                  /* the guest has interrupts off */
    csrw CSR_VSSTATUS, a0
    GOTO_VMODE PRV_S, 1f
1:  addi a2, a2, 1
    j 1b
2:  CHECK_HS_TIMER 1b, 2b
    li a0, -1
    csrw CSR_VSTIMECMP, a0

    /* hstatus.VTW: the guest's wfi is a virtual instruction (to M here,
     * which does not delegate it). */
    TEST_NUM(4)
    li a0, HSTATUS_VTW
    csrs CSR_HSTATUS, a0
    TRAP_RESUME 2f
    GOTO_VMODE PRV_S, 1f
1:  wfi
    j fail
2:  li a0, HSTATUS_VTW
    csrc CSR_HSTATUS, a0
    CHECK_TRAP_CAUSE CAUSE_VIRTUAL
    CHECK_TRAP_EPC 1b
    PASS

/* HS trap handler: keeps hstatus, scause and sepc in s2, s7, s6, then
 * continues in M at s9. */
    .balign 4
hs_handler:
    csrr s2, CSR_HSTATUS
    csrr s7, scause
    csrr s6, sepc
    mv a0, s9
    li a7, MAGIC_TO_M
    ecall

/* A trap in the guest is wrong here. */
    .balign 4
vs_handler:
    li a7, MAGIC_FAIL
    ecall
