/* cpu: rv64,sscofpmf=on
 * qemu: none (QEMU 7.2 counts cycles and instructions by host ticks without -icount, and has no TLB-miss, exception or interrupt events)
 * mcountinhibit.TM and M-mode's scountovf, then counting (privileged spec 3.1.10-3.1.13, Sscofpmf 1.0), exactly as
 * rvmm defines its events (src/cpu/pmu.h): minstret counts each retired
 * instruction and stops while mcountinhibit.IR is set; mhpmcounter3 with
 * event 2 (instructions) counts the same, not in M-mode with MINH, only
 * S-mode's with MINH (an ecall that traps does not retire); event 0x100
 * counts exceptions taken; event 0x10019 counts data-TLB read misses (a
 * page's first load, not its second, nor a misaligned one within the page:
 * rvmm does those in one access once the page's entry is there) and
 * 0x1001b write misses the same way; a counter wrapping with OF clear
 * sets OF (scountovf) and raises LCOFI (cause 13) while one wrapping
 * with OF set does not; event 0x101 counted that one interrupt. */
#include "common.h"

#define CSR_MCOUNTINHIBIT 0x320
#define CSR_MHPMEVENT3    0x323
#define CSR_MHPMEVENT4    0x324
#define CSR_MHPMCOUNTER3  0xb03
#define CSR_MHPMCOUNTER4  0xb04
#define CSR_SCOUNTOVF     0xda0
#define EV_OF             0x8000000000000000
#define EV_MINH           0x4000000000000000
#define MIP_LCOFIP        (1 << 13)

    .text
    .globl test_main
test_main:
    /* Where QEMU 7.2 departs from the spec: mcountinhibit.TM is read-only
     * zero (QEMU keeps all 64 bits), and scountovf in M-mode shows every
     * OF bit (QEMU masks it with mcounteren there too). */
    TEST_NUM(17)
    li a1, -1
    csrw CSR_MCOUNTINHIBIT, a1
    csrr a0, CSR_MCOUNTINHIBIT
    CHECK_EQ(a0, 0xfffffffd)
    TEST_NUM(18)
    csrw mcounteren, zero
    li a1, EV_OF | 2
    csrw CSR_MHPMEVENT3, a1
    csrw CSR_MHPMEVENT4, a1
    csrr a0, CSR_SCOUNTOVF
    CHECK_EQ(a0, 0x18)
    csrw CSR_MHPMEVENT4, zero
    TEST_NUM(1)                        /* csrr + 10 nops between the reads */
    csrw CSR_MCOUNTINHIBIT, zero
    csrr a1, minstret
    .rept 10
    nop
    .endr
    csrr a0, minstret
    sub a0, a0, a1
    CHECK_EQ(a0, 11)
    TEST_NUM(2)                        /* IR inhibited: minstret stands still */
    li a2, 4
    csrw CSR_MCOUNTINHIBIT, a2
    csrr a1, minstret
    .rept 10
    nop
    .endr
    csrr a0, minstret
    csrw CSR_MCOUNTINHIBIT, zero
    CHECK_REGS(a0, a1)
    TEST_NUM(3)                        /* event 2: 5 instructions after the write */
    li a1, 2
    csrw CSR_MHPMEVENT3, a1
    csrw CSR_MHPMCOUNTER3, zero
    .rept 5
    nop
    .endr
    csrr a0, CSR_MHPMCOUNTER3
    CHECK_EQ(a0, 5)
    TEST_NUM(4)                        /* mcountinhibit.HPM3 stops it */
    li a1, 8
    csrw CSR_MCOUNTINHIBIT, a1
    csrw CSR_MHPMCOUNTER3, zero
    .rept 5
    nop
    .endr
    csrr a0, CSR_MHPMCOUNTER3
    csrw CSR_MCOUNTINHIBIT, zero
    CHECK_EQ(a0, 0)
    TEST_NUM(5)                        /* MINH: M-mode not counted ... */
    li a1, EV_MINH | 2
    csrw CSR_MHPMEVENT3, a1
    csrw CSR_MHPMCOUNTER3, zero
    .rept 5
    nop
    .endr
    csrr a0, CSR_MHPMCOUNTER3
    CHECK_EQ(a0, 0)
    TEST_NUM(6)                        /* ... S-mode is: 7 nops, the ecall traps */
    la a0, 1f
    li a7, MAGIC_TO_M
    GOTO_MODE PRV_S, 2f
2:  .rept 7
    nop
    .endr
    ecall
1:  csrr a0, CSR_MHPMCOUNTER3
    CHECK_EQ(a0, 7)
    TEST_NUM(7)                        /* exceptions taken: three illegal instructions */
    li a1, 0x100
    csrw CSR_MHPMEVENT3, a1
    csrw CSR_MHPMCOUNTER3, zero
    .rept 3
    TRAP_SKIP
    .2byte 0
    .endr
    csrr a0, CSR_MHPMCOUNTER3
    CHECK_EQ(a0, 3)
    TEST_NUM(8)                        /* data-TLB read misses: a fresh page, twice */
    li a1, 0x10019
    csrw CSR_MHPMEVENT3, a1
    csrw CSR_MHPMCOUNTER3, zero
    la a2, fresh_page
    ld a3, 0(a2)
    csrr a0, CSR_MHPMCOUNTER3
    CHECK_EQ(a0, 1)
    TEST_NUM(9)
    ld a3, 8(a2)
    csrr a0, CSR_MHPMCOUNTER3
    CHECK_EQ(a0, 1)
    TEST_NUM(19)                       /* misaligned within the page: no walk either */
    ld a3, 3(a2)
    lw a3, 13(a2)
    addi a4, a2, 2047                  /* the end of the page: 4093 and 4087 */
    lhu a3, 2046(a4)
    ld a3, 2040(a4)
    csrr a0, CSR_MHPMCOUNTER3
    CHECK_EQ(a0, 1)
    TEST_NUM(20)                       /* data-TLB write misses: the same for stores */
    li a1, 0x1001b
    csrw CSR_MHPMEVENT3, a1
    csrw CSR_MHPMCOUNTER3, zero
    li a3, 0x1122334455667788
    sd zero, 16(a2)
    sd a3, 21(a2)
    sw a3, 30(a2)
    sh a3, 2046(a4)
    csrr a0, CSR_MHPMCOUNTER3
    CHECK_EQ(a0, 1)
    TEST_NUM(21)                       /* and what they wrote */
    ld a0, 21(a2)
    CHECK_EQ(a0, 0x1122334455667788)
    ld a0, 26(a2)
    CHECK_EQ(a0, 0x5566778800112233)
    lw a0, 2045(a4)
    CHECK_EQ(a0, 0x778800)
    /* Overflow: counter 3 at -20 counting instructions, LCOFI enabled in
     * M; counter 4 counts interrupts taken. */
    TEST_NUM(10)
    li a1, 0x101
    csrw CSR_MHPMEVENT4, a1
    csrw CSR_MHPMCOUNTER4, zero
    li a1, 2
    csrw CSR_MHPMEVENT3, a1
    li a1, MIP_LCOFIP
    csrw mie, a1
    la a1, lcof_handler
    csrw mtvec, a1
    li s4, 0
    li a1, -20
    csrw CSR_MHPMCOUNTER3, a1
    csrsi mstatus, MSTATUS_MIE
    .rept 100
    nop
    .endr
    j fail
3:  la a1, trap_m
    csrw mtvec, a1
    CHECK_EQ(s4, CAUSE_INTR | 13)
    TEST_NUM(11)
    csrr a0, CSR_SCOUNTOVF
    CHECK_EQ(a0, 0x8)
    TEST_NUM(12)
    csrr a0, CSR_MHPMEVENT3
    li a1, EV_OF | 2
    CHECK_REGS(a0, a1)
    TEST_NUM(13)
    csrr a0, mip
    CHECK_EQ(a0, MIP_LCOFIP)
    TEST_NUM(14)                       /* wrapped, and by less than the nops */
    csrr a0, CSR_MHPMCOUNTER3
    li a1, 100
    bgeu a0, a1, fail
    TEST_NUM(15)
    csrr a0, CSR_MHPMCOUNTER4
    CHECK_EQ(a0, 1)
    TEST_NUM(16)                       /* OF set: a second wrap raises nothing */
    li a1, MIP_LCOFIP
    csrc mip, a1
    li a1, -5
    csrw CSR_MHPMCOUNTER3, a1
    .rept 20
    nop
    .endr
    csrr a0, mip
    CHECK_EQ(a0, 0)
    csrr a0, CSR_MHPMCOUNTER3
    li a1, 20
    bgeu a0, a1, fail
    PASS

    /* The LCOFI handler: records mcause in s4, disables the interrupt
     * (it stays pending) and resumes at 3b in M with MIE clear. */
    .balign 4
lcof_handler:
    csrr s4, mcause
    csrw mie, zero
    la t0, 3b
    csrw mepc, t0
    li t0, MSTATUS_MPIE
    csrc mstatus, t0
    mret

    .data
    .balign 4096
fresh_page:
    .skip 4096
