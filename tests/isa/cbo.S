/* cpu: rv64,zicbom=on,zicboz=on
 * qemu: none (QEMU 7.2 has neither Zicbom nor Zicboz)
 * Zicbom and Zicboz (CMO spec 1.0.1): cbo.zero writes zeros to the whole
 * aligned 64-byte block holding rs1 and nothing else; cbo.clean, flush and
 * inval change nothing visible. M-mode may always use them; below M,
 * menvcfg.CBZE / CBCFE / CBIE must allow each (illegal instruction
 * otherwise), and in U-mode senvcfg's as well (2.5.1-2.5.3). A block with
 * no memory behind it is a store access fault with the block's address.
 */
#include "common.h"

#define CBO_ZERO_S1  0x0044a00f /* cbo.zero (s1) */
#define CBO_CLEAN_S1 0x0014a00f
#define CBO_FLUSH_S1 0x0024a00f
#define CBO_INVAL_S1 0x0004a00f

    .option arch, +zicbom, +zicboz
    .text
    .globl test_main
test_main:
    la s1, block
    /* M-mode: the block of rs1 + 37 is zeroed, its neighbour is not */
    TEST_NUM(1)
    jal fill
    addi a2, s1, 37
    cbo.zero (a2)
    ld a3, 0(s1)
    CHECK_EQ(a3, 0)
    ld a3, 56(s1)
    CHECK_EQ(a3, 0)
    ld a3, 64(s1)
    CHECK_EQ(a3, -1)
    ld a3, -8(s1)
    CHECK_EQ(a3, -1)
    TEST_NUM(2)
    jal fill
    cbo.clean (s1)
    cbo.flush (s1)
    cbo.inval (s1)
    ld a3, 0(s1)
    CHECK_EQ(a3, -1)

    /* S and U with every envcfg field clear: illegal */
    csrw menvcfg, zero
    csrw senvcfg, zero
    TEST_ILLEGAL_IN(3, PRV_S, CBO_ZERO_S1)
    TEST_ILLEGAL_IN(4, PRV_S, CBO_CLEAN_S1)
    TEST_ILLEGAL_IN(5, PRV_S, CBO_FLUSH_S1)
    TEST_ILLEGAL_IN(6, PRV_S, CBO_INVAL_S1)
    TEST_ILLEGAL_IN(7, PRV_U, CBO_ZERO_S1)
    /* menvcfg allows them: S may, U still may not */
    TEST_NUM(8)
    li t0, 0xf0
    csrw menvcfg, t0
    csrr t1, menvcfg
    andi t1, t1, 0xf0
    CHECK_EQ(t1, 0xf0)
    jal fill
    TEST_LEGAL_IN(9, PRV_S, CBO_ZERO_S1)
    TEST_NUM(10)
    ld a3, 8(s1)
    CHECK_EQ(a3, 0)
    TEST_LEGAL_IN(11, PRV_S, CBO_CLEAN_S1)
    TEST_LEGAL_IN(12, PRV_S, CBO_FLUSH_S1)
    TEST_LEGAL_IN(13, PRV_S, CBO_INVAL_S1)
    TEST_ILLEGAL_IN(14, PRV_U, CBO_ZERO_S1)
    TEST_ILLEGAL_IN(15, PRV_U, CBO_FLUSH_S1)
    TEST_ILLEGAL_IN(16, PRV_U, CBO_INVAL_S1)
    /* senvcfg too: U may */
    TEST_NUM(17)
    li t0, 0xf0
    csrw senvcfg, t0
    csrr t1, senvcfg
    andi t1, t1, 0xf0
    CHECK_EQ(t1, 0xf0)
    jal fill
    TEST_LEGAL_IN(18, PRV_U, CBO_ZERO_S1)
    TEST_NUM(19)
    ld a3, 16(s1)
    CHECK_EQ(a3, 0)
    TEST_LEGAL_IN(20, PRV_U, CBO_FLUSH_S1)
    TEST_LEGAL_IN(21, PRV_U, CBO_INVAL_S1)
    /* Each field alone: CBZE without CBCFE */
    li t0, 0x80
    csrw menvcfg, t0
    TEST_LEGAL_IN(22, PRV_S, CBO_ZERO_S1)
    TEST_ILLEGAL_IN(23, PRV_S, CBO_CLEAN_S1)
    TEST_ILLEGAL_IN(24, PRV_S, CBO_INVAL_S1)
    /* CBIE = 01 (flush) makes cbo.inval legal */
    li t0, 0x10
    csrw menvcfg, t0
    TEST_LEGAL_IN(25, PRV_S, CBO_INVAL_S1)
    TEST_ILLEGAL_IN(26, PRV_S, CBO_ZERO_S1)
    csrw menvcfg, zero
    csrw senvcfg, zero

    /* No memory at 0: a store access fault naming the block */
    TEST_NUM(27)
    li a1, 0x28
    TRAP_RESUME 1f
2:  cbo.zero (a1)
    j fail
1:  CHECK_TRAP CAUSE_STORE_ACCESS, 0
    CHECK_TRAP_EPC 2b
    PASS

/* block[-8 .. 72) = all ones */
fill:
    li t0, -1
    addi t1, s1, -8
    addi t2, s1, 72
1:  sd t0, 0(t1)
    addi t1, t1, 8
    bltu t1, t2, 1b
    ret

    .data
    .balign 64
    .dword 0, 0, 0, 0, 0, 0, 0, 0
block:
    .fill 128, 1, 0
