/* cpu: rv64,sscofpmf=on
 * Zihpm and Sscofpmf CSR rules (privileged spec 1.12, 3.1.10-3.1.13;
 * Sscofpmf 1.0), passing under QEMU 7.2 too: mhpmevent3
 * keeps its selector and Sscofpmf's OF/MINH/SINH/UINH/VSINH/VUINH bits;
 * a programmable counter with no event holds what was written;
 * hpmcounter3 from S is illegal unless mcounteren.HPM3, from U unless
 * scounteren.HPM3 too; scountovf reads every OF bit in M, only those
 * mcounteren allows in S (pmu_count.S checks M's view:
 * QEMU 7.2 masks that too), and is illegal in U; LCOFI (bit 13) is writable
 * in mie, mideleg and mip, and in sie/sip once delegated. */
#include "common.h"

#define CSR_MCOUNTINHIBIT 0x320
#define CSR_MHPMEVENT3    0x323
#define CSR_MHPMEVENT4    0x324
#define CSR_MHPMCOUNTER3  0xb03
#define CSR_SCOUNTOVF     0xda0
#define CSRR_HPMCOUNTER3  0xc0302573 /* csrr a0, hpmcounter3 */
#define CSRR_SCOUNTOVF    0xda002573 /* csrr a0, scountovf */
#define EV_OF             0x8000000000000000
#define EV_FILTERS        0x7c00000000000000 /* MINH SINH UINH VSINH VUINH */
#define MIP_LCOFIP        (1 << 13)

    .text
    .globl test_main
test_main:
    TEST_NUM(2)                       /* stopped, no event: holds its value */
    csrw CSR_MHPMEVENT3, zero
    li a1, -1
    csrw CSR_MCOUNTINHIBIT, a1
    li a1, 12345
    csrw CSR_MHPMCOUNTER3, a1
    nop
    csrr a0, CSR_MHPMCOUNTER3
    CHECK_EQ(a0, 12345)
    TEST_NUM(3)
    li a1, EV_OF | EV_FILTERS | 2
    csrw CSR_MHPMEVENT3, a1
    csrr a0, CSR_MHPMEVENT3
    CHECK_EQ(a0, EV_OF | EV_FILTERS | 2)
    /* counter enables: hpmcounter3 from S and U */
    csrw mcounteren, zero
    csrw scounteren, zero
    TEST_ILLEGAL_IN(4, PRV_S, CSRR_HPMCOUNTER3)
    TEST_NUM(5)
    li a1, 1 << 3
    csrw mcounteren, a1
    TEST_LEGAL_IN(6, PRV_S, CSRR_HPMCOUNTER3)
    TEST_ILLEGAL_IN(7, PRV_U, CSRR_HPMCOUNTER3)
    TEST_NUM(8)
    li a1, 1 << 3
    csrw scounteren, a1
    TEST_LEGAL_IN(9, PRV_U, CSRR_HPMCOUNTER3)
    /* scountovf: OF of mhpmevent3 and 4; S sees only mcounteren's */
    TEST_NUM(11)
    li a1, EV_OF | 2
    csrw CSR_MHPMEVENT4, a1
    la a0, 1f
    li a7, MAGIC_TO_M
    GOTO_MODE PRV_S, 2f
2:  csrr s2, CSR_SCOUNTOVF
    ecall
1:  CHECK_EQ(s2, 0x8)
    TEST_ILLEGAL_IN(12, PRV_U, CSRR_SCOUNTOVF)
    TEST_NUM(13)                       /* OF is writable: clearing it clears scountovf */
    csrw CSR_MHPMEVENT3, zero
    csrw CSR_MHPMEVENT4, zero
    li a1, 0x18
    csrw mcounteren, a1
    csrr a0, CSR_SCOUNTOVF
    CHECK_EQ(a0, 0)
    /* LCOFI: mie, mideleg, mip, then sie/sip through the delegation */
    TEST_NUM(14)
    li a1, MIP_LCOFIP
    csrs mie, a1
    csrr a0, mie
    CHECK_EQ(a0, MIP_LCOFIP)
    TEST_NUM(15)
    csrs mideleg, a1
    csrr a0, mideleg
    and a0, a0, a1
    CHECK_EQ(a0, MIP_LCOFIP)
    TEST_NUM(16)
    csrr a0, sie
    CHECK_EQ(a0, MIP_LCOFIP)
    TEST_NUM(17)
    csrs sip, a1
    csrr a0, mip
    and a0, a0, a1                     /* (QEMU's mtimecmp 0 keeps MTIP pending) */
    CHECK_EQ(a0, MIP_LCOFIP)
    TEST_NUM(18)
    csrc mip, a1
    csrr a0, sip
    CHECK_EQ(a0, 0)
    TEST_NUM(19)
    csrc mideleg, a1
    csrs mip, a1
    csrr a0, sip                       /* not delegated: S does not see it */
    CHECK_EQ(a0, 0)
    csrc mip, a1
    csrw mie, zero
    PASS
