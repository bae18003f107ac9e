/* cpu: rv64,f=off,d=off
 * A CPU model without F and D (--cpu rv64,f=off,d=off): misa.F and D read
 * 0, mstatus.FS is read-only zero (writes leave it Off, sstatus too), so
 * every FP instruction and the FP CSRs are illegal instructions.
 * Spec: privileged 3.1.1 (misa), 3.1.6.6 (FS is read-only zero when
 * neither F nor the V/S-mode state exists). */
#include "common.h"

    .text
    .globl test_main
test_main:
    TEST_NUM(1)
    csrr a0, misa
    andi a1, a0, (1 << 3) | (1 << 5)
    CHECK_EQ(a1, 0)

    TEST_NUM(2)
    li a0, MSTATUS_FS
    csrs mstatus, a0
    csrr a1, mstatus
    and a1, a1, a0
    CHECK_EQ(a1, 0)
    csrr a1, sstatus
    and a1, a1, a0
    CHECK_EQ(a1, 0)

    TEST_ILLEGAL_WORD(3, 0x003170d3)    /* fadd.s f1, f2, f3 */
    TEST_ILLEGAL_WORD(4, 0x00012087)    /* flw f1, 0(sp) */
    TEST_ILLEGAL_WORD(5, 0xf00500d3)    /* fmv.w.x f1, a0 */
    TEST_ILLEGAL_WORD(6, 0x00302573)    /* csrr a0, fcsr */
    TEST_ILLEGAL_WORD(7, 0x00102573)    /* csrr a0, fflags */
    TEST_ILLEGAL_WORD(8, 0x023170d3)    /* fadd.d f1, f2, f3 */
    PASS
