/* cpu: rv64,smstateen=on,ssstateen=on
 * qemu: none (QEMU 7.2 has no Ssstateen to name)
 * Smstateen/Ssstateen (privileged spec chapter "Smstateen"): mstateen0
 * holds SE0 and ENVCFG (the state rvmm has), other bits read zero and
 * mstateen0 is zero at reset; with them clear, S-mode's accesses to
 * sstateen0 and senvcfg are illegal instructions, with them set they
 * work; M-mode is never gated. */
#include "common.h"

#define CSR_MSTATEEN0 0x30c
#define CSR_SSTATEEN0 0x10c
#define CSR_SENVCFG   0x10a
#define CSRR_SENVCFG  0x10a02573  /* csrr a0, senvcfg */
#define CSRR_SSTATEEN 0x10c02573  /* csrr a0, sstateen0 */
#define STATEEN_BITS  0xc000000000000000

    .text
    .globl test_main
test_main:
    TEST_NUM(1)
    csrr a0, CSR_MSTATEEN0
    CHECK_EQ(a0, 0)
    li a1, -1
    csrw CSR_MSTATEEN0, a1
    csrr a0, CSR_MSTATEEN0
    CHECK_EQ(a0, STATEEN_BITS)
    csrr a0, CSR_SSTATEEN0            /* M is never gated; no bits behind it */
    CHECK_EQ(a0, 0)
    TEST_LEGAL_IN(2, PRV_S, CSRR_SENVCFG)
    TEST_LEGAL_IN(3, PRV_S, CSRR_SSTATEEN)
    TEST_NUM(4)
    csrw CSR_MSTATEEN0, zero
    csrr a0, CSR_SENVCFG
    TEST_ILLEGAL_IN(5, PRV_S, CSRR_SENVCFG)
    TEST_ILLEGAL_IN(6, PRV_S, CSRR_SSTATEEN)
    PASS
