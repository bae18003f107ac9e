/* Misaligned loads and stores in M-mode on RAM, within a doubleword,
 * across doublewords and across a 4 KiB page boundary.
 * Spec (privileged 3.6.3.x, unprivileged 2.6): a misaligned load/store
 * may be performed (fully, by hardware or invisible emulation), or raise
 * an address-misaligned exception (cause 4/6) with mtval = the address,
 * or an access-fault exception (cause 5/7) with mtval inside the access.
 * QEMU 7.2 performs them; rvmm performs them on RAM too. Each check
 * accepts either outcome and then checks the data or the trap.
 * Misaligned LR/SC/AMOs must trap (no misaligned atomicity granule on
 * this RAM): misaligned (LR: 4, SC/AMO: 6) or access fault (5 / 7).
 * QEMU 7.2 reports cause 4 (load misaligned) for a misaligned AMO, where
 * the spec says store/AMO misaligned (6); the test accepts 4 for AMOs as
 * a known QEMU quirk. QEMU 7.2 also lets a misaligned SC simply fail
 * (rd != 0, memory unchanged) when the hart holds no reservation for
 * that address; the SC checks accept that too. */
#include "common.h"

/* Load op from base + off (size w): a0 must be val unless it trapped. */
#define TEST_MLD(n, op, val, base, off, w) \
    TEST_NUM(n); la a1, base; TRAP_SKIP; li a0, 0x5a5a5a5a; op a0, off(a1); \
    li a2, val; addi a3, a1, off; li a4, w; jal check_mld
/* Store the low w bytes of 0x8877665544332211 at base + off into 16 bytes
 * of 0xaa: unless it trapped, the two doublewords must be lo, hi. */
#define TEST_MST(n, op, base, off, w, lo, hi) \
    TEST_NUM(n); la a1, base; li a0, 0xaaaaaaaaaaaaaaaa; sd a0, 0(a1); sd a0, 8(a1); \
    li a0, 0x8877665544332211; TRAP_SKIP; op a0, off(a1); \
    addi a3, a1, off; li a4, w; li s2, lo; li s3, hi; jal check_mst
/* Misaligned SC: traps like an AMO, or fails without writing. */
#define TEST_MSC(n, off, w, code...) \
    TEST_NUM(n); la a1, mdata + off; TRAP_SKIP; li a0, 0; code; \
    mv a3, a1; li a4, w; jal check_msc
/* Misaligned atomic: must trap with one of two causes (plus QEMU's 4). */
#define TEST_MAMO(n, off, w, c1, c2, code...) \
    TEST_NUM(n); la a1, mdata + off; TRAP_SKIP; li a0, 0x5a; code; \
    mv a3, a1; li a4, w; li a5, c1; li a6, c2; jal check_mamo

    .text
    .globl test_main
test_main:
    /* pdata / pbuf: 16 bytes whose middle is a page boundary */
    la a0, pdata + 8
    li a1, 0xfff
    and a0, a0, a1
    bnez a0, fail
    la a0, pdata
    la a1, mdata
    ld a2, 0(a1)
    sd a2, 0(a0)
    ld a2, 8(a1)
    sd a2, 8(a0)

    /* lh */
    TEST_MLD(1, lh, 0xffffffffffff9302, mdata, 1, 2)
    TEST_MLD(2, lh, 0xffffffffffffa514, mdata, 3, 2)
    TEST_MLD(3, lh, 0xffffffffffffb736, mdata, 5, 2)
    TEST_MLD(4, lh, 0xffffffffffffc948, mdata, 7, 2)
    /* lhu */
    TEST_MLD(5, lhu, 0x9302, mdata, 1, 2)
    TEST_MLD(6, lhu, 0xc948, mdata, 7, 2)
    /* lw */
    TEST_MLD(7, lw, 0xffffffffa5149302, mdata, 1, 4)
    TEST_MLD(8, lw, 0x36a51493, mdata, 2, 4)
    TEST_MLD(9, lw, 0xffffffffb736a514, mdata, 3, 4)
    TEST_MLD(10, lw, 0xffffffffc948b736, mdata, 5, 4)
    TEST_MLD(11, lw, 0x5ac948b7, mdata, 6, 4)
    TEST_MLD(12, lw, 0xffffffffdb5ac948, mdata, 7, 4)
    /* lwu */
    TEST_MLD(13, lwu, 0xa5149302, mdata, 1, 4)
    TEST_MLD(14, lwu, 0xb736a514, mdata, 3, 4)
    TEST_MLD(15, lwu, 0x5ac948b7, mdata, 6, 4)
    /* ld */
    TEST_MLD(16, ld, 0xc948b736a5149302, mdata, 1, 8)
    TEST_MLD(17, ld, 0x5ac948b736a51493, mdata, 2, 8)
    TEST_MLD(18, ld, 0xdb5ac948b736a514, mdata, 3, 8)
    TEST_MLD(19, ld, 0x6cdb5ac948b736a5, mdata, 4, 8)
    TEST_MLD(20, ld, 0xed6cdb5ac948b736, mdata, 5, 8)
    TEST_MLD(21, ld, 0x7eed6cdb5ac948b7, mdata, 6, 8)
    TEST_MLD(22, ld, 0xff7eed6cdb5ac948, mdata, 7, 8)
    /* across a 4 KiB page boundary */
    TEST_MLD(23, lh, 0xffffffffffffc948, pdata, 7, 2)
    TEST_MLD(24, lw, 0xffffffffc948b736, pdata, 5, 4)
    TEST_MLD(25, lw, 0xffffffffdb5ac948, pdata, 7, 4)
    TEST_MLD(26, lwu, 0x5ac948b7, pdata, 6, 4)
    TEST_MLD(27, ld, 0xc948b736a5149302, pdata, 1, 8)
    TEST_MLD(28, ld, 0x6cdb5ac948b736a5, pdata, 4, 8)
    TEST_MLD(29, ld, 0xff7eed6cdb5ac948, pdata, 7, 8)
    /* stores: the buffer holds 0xaa bytes, 0x8877665544332211 is stored */
    TEST_MST(30, sh, sbuf, 1, 2, 0xaaaaaaaaaa2211aa, 0xaaaaaaaaaaaaaaaa)
    TEST_MST(31, sh, sbuf, 7, 2, 0x11aaaaaaaaaaaaaa, 0xaaaaaaaaaaaaaa22)
    TEST_MST(32, sh, pbuf, 7, 2, 0x11aaaaaaaaaaaaaa, 0xaaaaaaaaaaaaaa22)
    TEST_MST(33, sw, sbuf, 1, 4, 0xaaaaaa44332211aa, 0xaaaaaaaaaaaaaaaa)
    TEST_MST(34, sw, sbuf, 2, 4, 0xaaaa44332211aaaa, 0xaaaaaaaaaaaaaaaa)
    TEST_MST(35, sw, sbuf, 3, 4, 0xaa44332211aaaaaa, 0xaaaaaaaaaaaaaaaa)
    TEST_MST(36, sw, sbuf, 6, 4, 0x2211aaaaaaaaaaaa, 0xaaaaaaaaaaaa4433)
    TEST_MST(37, sw, pbuf, 6, 4, 0x2211aaaaaaaaaaaa, 0xaaaaaaaaaaaa4433)
    TEST_MST(38, sw, sbuf, 7, 4, 0x11aaaaaaaaaaaaaa, 0xaaaaaaaaaa443322)
    TEST_MST(39, sw, pbuf, 7, 4, 0x11aaaaaaaaaaaaaa, 0xaaaaaaaaaa443322)
    TEST_MST(40, sd, sbuf, 1, 8, 0x77665544332211aa, 0xaaaaaaaaaaaaaa88)
    TEST_MST(41, sd, sbuf, 2, 8, 0x665544332211aaaa, 0xaaaaaaaaaaaa8877)
    TEST_MST(42, sd, sbuf, 3, 8, 0x5544332211aaaaaa, 0xaaaaaaaaaa887766)
    TEST_MST(43, sd, sbuf, 4, 8, 0x44332211aaaaaaaa, 0xaaaaaaaa88776655)
    TEST_MST(44, sd, pbuf, 4, 8, 0x44332211aaaaaaaa, 0xaaaaaaaa88776655)
    TEST_MST(45, sd, sbuf, 5, 8, 0x332211aaaaaaaaaa, 0xaaaaaa8877665544)
    TEST_MST(46, sd, sbuf, 6, 8, 0x2211aaaaaaaaaaaa, 0xaaaa887766554433)
    TEST_MST(47, sd, pbuf, 6, 8, 0x2211aaaaaaaaaaaa, 0xaaaa887766554433)
    TEST_MST(48, sd, sbuf, 7, 8, 0x11aaaaaaaaaaaaaa, 0xaa88776655443322)
    TEST_MST(49, sd, pbuf, 7, 8, 0x11aaaaaaaaaaaaaa, 0xaa88776655443322)

    /* LR/SC and AMOs must raise misaligned or access fault */
    TEST_MAMO(50, 2, 4, CAUSE_MISALIGNED_LOAD, CAUSE_LOAD_ACCESS, lr.w a0, (a1))
    TEST_MAMO(51, 4, 8, CAUSE_MISALIGNED_LOAD, CAUSE_LOAD_ACCESS, lr.d a0, (a1))
    TEST_MAMO(52, 1, 8, CAUSE_MISALIGNED_LOAD, CAUSE_LOAD_ACCESS, lr.d a0, (a1))
    TEST_MSC(53, 2, 4, sc.w a0, a0, (a1))
    TEST_MSC(54, 4, 8, sc.d a0, a0, (a1))
    TEST_MAMO(55, 2, 4, CAUSE_MISALIGNED_STORE, CAUSE_STORE_ACCESS, amoadd.w a0, a0, (a1))
    TEST_MAMO(56, 1, 4, CAUSE_MISALIGNED_STORE, CAUSE_STORE_ACCESS, amoswap.w a0, a0, (a1))
    TEST_MAMO(57, 4, 8, CAUSE_MISALIGNED_STORE, CAUSE_STORE_ACCESS, amoswap.d a0, a0, (a1))
    TEST_MAMO(58, 7, 8, CAUSE_MISALIGNED_STORE, CAUSE_STORE_ACCESS, amoor.d a0, a0, (a1))
    TEST_MAMO(59, 2, 8, CAUSE_MISALIGNED_STORE, CAUSE_STORE_ACCESS, amomaxu.d a0, a0, (a1))
    /* the trapped AMOs changed nothing */
    TEST_NUM(60)
    la a1, mdata
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x48b736a514930281)
    ld a0, 8(a1)
    CHECK_EQ(a0, 0x10ff7eed6cdb5ac9)
    PASS

/* a0 = loaded value, a2 = expected, a3 = address, a4 = size */
check_mld:
    TRAP_CLEAR
    la t0, trap_rec
    ld t1, TR_COUNT(t0)
    bnez t1, 1f
    bne a0, a2, fail
    ret
1:  li t2, 1
    bne t1, t2, fail
    ld t1, TR_CAUSE(t0)
    ld t2, TR_TVAL(t0)
    li t3, CAUSE_MISALIGNED_LOAD
    beq t1, t3, 2f
    li t3, CAUSE_LOAD_ACCESS
    bne t1, t3, fail
    j in_range
2:  bne t2, a3, fail
    ret
/* tval t2 inside [a3, a3 + a4) */
in_range:
    bltu t2, a3, fail
    add t3, a3, a4
    bgeu t2, t3, fail
    ret

/* a1 = buffer, a3 = address, a4 = size, s2/s3 = expected contents */
check_mst:
    TRAP_CLEAR
    la t0, trap_rec
    ld t1, TR_COUNT(t0)
    bnez t1, 1f
    ld t2, 0(a1)
    bne t2, s2, fail
    ld t2, 8(a1)
    bne t2, s3, fail
    ret
1:  li t2, 1
    bne t1, t2, fail
    ld t1, TR_CAUSE(t0)
    ld t2, TR_TVAL(t0)
    li t3, CAUSE_MISALIGNED_STORE
    beq t1, t3, 2f
    li t3, CAUSE_STORE_ACCESS
    bne t1, t3, fail
    j in_range
2:  bne t2, a3, fail
    ret

/* a0 = SC result, a3 = address, a4 = size */
check_msc:
    la t0, trap_rec
    ld t1, TR_COUNT(t0)
    beqz t1, 1f
    li a5, CAUSE_MISALIGNED_STORE
    li a6, CAUSE_STORE_ACCESS
    j check_mamo
1:  TRAP_CLEAR
    beqz a0, fail                   /* it must not have succeeded */
    ret

/* a3 = address, a4 = size, a5 / a6 = the allowed causes */
check_mamo:
    TRAP_CLEAR
    la t0, trap_rec
    ld t1, TR_COUNT(t0)
    li t2, 1
    bne t1, t2, fail
    ld t1, TR_CAUSE(t0)
    ld t2, TR_TVAL(t0)
    beq t1, a6, in_range
    beq t1, a5, 1f
    li t3, CAUSE_MISALIGNED_LOAD   /* QEMU 7.2 quirk for AMOs, see top */
    bne t1, t3, fail
1:  bne t2, a3, fail
    ret

    .data
    .balign 16
mdata:
    .byte 0x81, 0x02, 0x93, 0x14, 0xa5, 0x36, 0xb7, 0x48
    .byte 0xc9, 0x5a, 0xdb, 0x6c, 0xed, 0x7e, 0xff, 0x10
sbuf:
    .skip 16
    .balign 4096
    .skip 4096 - 8
pdata:
    .skip 16
    .balign 4096
    .skip 4096 - 8
pbuf:
    .skip 16
