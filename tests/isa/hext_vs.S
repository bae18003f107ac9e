/* cpu: rv64,h=on,v=on
 * The vector state with V=1 (unpriv spec V chapter 3.2, priv spec 8.2.10):
 * in VS or VU mode a vector instruction or vector CSR access is illegal
 * (not a virtual instruction) while vsstatus.VS or mstatus.VS is Off; one
 * that changes the vector state sets both to Dirty; with V=0 vsstatus.VS
 * neither gates nor changes. QEMU 7.2 with -cpu rv64,h=true,v=true agrees;
 * the vector CSRs under vsstatus.VS Off and mstatus.VS Off with V=1 are
 * hext_vs_csr.S's. */
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
    la s0, vdata
    TEST_NUM(1)
    SET_VS 1, 0
    V_ILLEGAL PRV_S, vsetivli x0, 1, e8, m1, ta, ma
    TEST_NUM(4)
    SET_VS 2, 2
    V_RUNS PRV_S, CAUSE_ECALL_VS, vsetivli x0, 4, e8, m1, ta, ma
    CHECK_VS 3, 3
    TEST_NUM(5)
    SET_VS 2, 1
    V_RUNS PRV_U, CAUSE_ECALL_U, vle8.v v1, (s0)
    CHECK_VS 3, 3
    TEST_NUM(6)
    SET_VS 1, 2
    V_RUNS PRV_S, CAUSE_ECALL_VS, csrwi vxrm, 1
    CHECK_VS 3, 3
    /* With V=0, vsstatus.VS is neither a gate nor marked. */
    TEST_NUM(7)
    SET_VS 2, 0
    vsetivli x0, 2, e16, m1, ta, ma
    CHECK_VS 3, 0
    PASS

    .data
vdata: .dword 0x0706050403020100, 0x0f0e0d0c0b0a0908
