/* cpu: rv64,h=on,v=on
 * qemu: none (QEMU 7.2 lets V=1 reach the vector CSRs with vsstatus.VS Off, and vector instructions with mstatus.VS Off)
 * The vector gates with V=1 (unpriv spec V chapter 3.2, priv spec 8.2.10):
 * in VS or VU mode a vector CSR access is illegal (not a virtual
 * instruction) while vsstatus.VS is Off, and legal once it is not; a
 * vector instruction is illegal while mstatus.VS is Off, whatever
 * vsstatus.VS is. */
#include "common.h"

#include "vmode.h"

    .macro SET_VS m, vs
    SET_STATE_FIELDS 9, \m, \vs
    .endm
    .macro CHECK_VS m, vs
    CHECK_STATE_FIELDS 9, \m, \vs
    .endm

    .option arch, +v
    .text
    .globl test_main
test_main:
    TEST_NUM(1)
    SET_VS 1, 0
    V_ILLEGAL PRV_S, csrr a0, vstart
    TEST_NUM(2)
    V_ILLEGAL PRV_U, csrr a0, vlenb
    TEST_NUM(3)
    V_ILLEGAL PRV_S, csrwi vxrm, 1
    TEST_NUM(5)
    SET_VS 0, 1
    V_ILLEGAL PRV_S, vsetivli x0, 1, e8, m1, ta, ma
    TEST_NUM(4)
    SET_VS 1, 1
    V_RUNS PRV_U, CAUSE_ECALL_U, csrr a0, vlenb
    CHECK_EQ(a0, 16)
    PASS
