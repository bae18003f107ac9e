/* cpu: rva23,zbkb=on
 * Zba, Zbb, Zbs and Zicond, which the JIT emits natively, mixed in a hot
 * loop (a region, with a branch over a sign extension that if-conversion
 * may turn into cmovs) and in straight code, next to the instructions it
 * leaves to the interpreter's handlers (clmul, orc.b, Zbkb, cbo.*, Zimop,
 * Zcb, Zcmop, Zawrs, the hints). The jit layer runs it in lockstep
 * (interp against jit, also with RVMM_JIT_HOST_FEATURES=0 so the JIT's
 * fallbacks for hosts without BMI1/BMI2/LZCNT/POPCNT run) and under both
 * engines, where the checks below hold. The loop's expected values come
 * from a Python model of the same steps (spec pseudocode). The spec's
 * ctzw of a zero low word (32), which QEMU 7.2 gets wrong, is checked here.
 * Spec: unprivileged ISA chapters 28 (B), 12 (Zicond), 10 (Zimop), 29.13
 * (Zcb), 29.14 (Zcmop), 14 (Zawrs); CMO 1.0.1. */
#include "common.h"

    .option arch, +zba, +zbb, +zbc, +zbs, +zbkb, +zicbom, +zicboz, +zawrs
    .text
    .globl test_main
test_main:
    TEST_NUM(1)
    li s0, 0x0123456789abcdef
    li s1, 0
    li s2, 300
1:  sh2add t0, s0, s1
    andn t1, t0, s0
    rori t2, t1, 13
    max t3, t2, t0
    cpop a2, t3
    .insn r 0x33, 5, 7, a1, t3, a2     /* czero.eqz a1, t3, a2 */
    xor s1, s1, a1
    add s1, s1, a2
    bexti a3, s0, 7
    beqz a3, 2f
    sext.b a4, s1
    add s1, s1, a4
2:  rev8 s0, s0
    xnor s0, s0, s1
    sh3add.uw a5, s1, zero
    .insn r 0x33, 7, 7, a7, a5, a3     /* czero.nez a7, a5, a3 */
    add s1, s1, a7
    minu a6, s1, s0
    bclr a4, s1, s0
    xor s1, a6, a4
    addi s2, s2, -1
    bnez s2, 1b
    li t0, 0x1bf91a23f4820d9e
    CHECK_REGS(s0, t0)
    li t0, 0xdff9122bfea2d17d
    CHECK_REGS(s1, t0)

    /* Widths of zero and the W forms: clz/ctz give the width. */
    TEST_R(2, clz, 64, 0)
    TEST_R(3, ctz, 64, 0)
    TEST_R(4, clzw, 32, 0xffffffff00000000)
    TEST_R(5, ctzw, 32, 0x8000000000000000)
    TEST_R(6, ctzw, 32, 0xffffffff00000000)
    TEST_R(7, cpopw, 32, 0x12345678ffffffff)
    TEST_R(8, clz, 0, 0x8000000000000000)
    TEST_R(9, ctz, 63, 0x8000000000000000)
    TEST_R(10, clzw, 31, 1)
    TEST_RI(11, roriw, 0xffffffff80000000, 0x1, 1)
    TEST_RR(12, rolw, 0x0000000000000001, 0xffffffff80000000, 33)
    TEST_RR(13, min, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(14, maxu, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RI(15, slli.uw, 0xfffffffe00000000, 0xffffffffffffffff, 33)
    TEST_RR(16, add.uw, 0x00000001fffffffe, 0xffffffffffffffff, 0xffffffff)
    TEST_RR(17, bext, 1, 0x8000000000000000, 127)
    TEST_RR(18, binv, 0x0000000000000001, 0x0000000000000000, 64)
    /* czero on rd == rs1 and rd == rs2 */
    TEST_NUM(19)
    li a1, 0x55; li a2, 0
    .insn r 0x33, 5, 7, a1, a1, a2      /* czero.eqz a1, a1, a2 */
    CHECK_EQ(a1, 0)
    li a1, 0x55; li a2, 7
    .insn r 0x33, 5, 7, a2, a1, a2      /* czero.eqz a2, a1, a2 */
    CHECK_EQ(a2, 0x55)

    /* Left to the interpreter's handlers. */
    TEST_RR(20, clmul, 0xf, 0x3, 0x5)
    TEST_RR(21, clmulh, 0x1, 0x8000000000000000, 0x2)
    TEST_R(22, orc.b, 0xff00ffff000000ff, 0x0100801000000001)
    TEST_RR(23, pack, 0x89abcdef01234567, 0xffffffff01234567, 0x89abcdef)
    TEST_RR(24, packh, 0xcdef, 0x12ef, 0x34cd)
    TEST_RR(25, packw, 0xffffffff80011234, 0x5678001234, 0x78008001)
    TEST_R(26, brev8, 0x8040c020a060e010, 0x0102030405060708)
    TEST_NUM(27)                        /* mop.r.0 / mop.rr.7 write 0 */
    li a0, -1
    .insn i 0x73, 4, a0, a1, -0x7e4     /* mop.r.0 a0, a1 (imm 0x81c) */
    CHECK_EQ(a0, 0)
    li a0, -1
    .insn r 0x73, 4, 0x67, a0, a1, a2   /* mop.rr.7 a0, a1, a2 */
    CHECK_EQ(a0, 0)

    /* Zcb and Zcmop (binutils 2.40 has neither: raw halfwords). */
    TEST_NUM(28)
    la a1, buf
    li a0, -1
    sd a0, 0(a1)
    .2byte 0x81c8                       /* c.lbu a0, 1(a1) */
    CHECK_EQ(a0, 0xff)
    .2byte 0x85e8                       /* c.lh a0, 2(a1) */
    CHECK_EQ(a0, -1)
    li a0, 0x1234
    .2byte 0x89e8                       /* c.sb a0, 3(a1) */
    ld a2, 0(a1)
    li a3, 0xffffffff34ffffff
    CHECK_REGS(a2, a3)
    TEST_NUM(29)
    li s0, 0x80
    .2byte 0x9c65                       /* c.sext.b s0 */
    CHECK_EQ(s0, -128)
    li s1, 0x12345678
    .2byte 0x9ce9                       /* c.zext.h s1 */
    CHECK_EQ(s1, 0x5678)
    li s0, -1
    .2byte 0x9c61                       /* c.zext.b s0 */
    CHECK_EQ(s0, 0xff)
    li s0, 0x0f
    .2byte 0x9c75                       /* c.not s0 */
    CHECK_EQ(s0, -16)
    li s0, 7; li s1, 6
    .2byte 0x9c45                       /* c.mul s0, s1 */
    CHECK_EQ(s0, 42)
    li a1, 9
    .2byte 0x6081                       /* c.mop.1: writes nothing */
    CHECK_EQ(a1, 9)
    li a1, -1
    .2byte 0x9df1                       /* c.zext.w a1 */
    li a2, 0xffffffff
    CHECK_REGS(a1, a2)

    /* cbo.zero zeroes the aligned 64-byte block; the management ops and
     * the hints do nothing visible in M-mode. */
    TEST_NUM(30)
    la a1, block
    li a0, -1
    sd a0, 56(a1)
    sd a0, 64(a1)
    addi a2, a1, 37
    cbo.zero (a2)
    ld a3, 56(a1)
    CHECK_EQ(a3, 0)
    ld a3, 0(a1)
    CHECK_EQ(a3, 0)
    ld a3, 64(a1)
    CHECK_EQ(a3, -1)
    cbo.clean (a1)
    cbo.flush (a1)
    cbo.inval (a1)
    ori x0, a1, 1                       /* prefetch.r 0(a1) */
    add x0, x0, x2                      /* ntl.p1 */
    .word 0x0100000f                    /* pause (fence w, 0) */
    wrs.nto
    wrs.sto
    PASS

    .data
    .balign 64
block:
    .fill 128, 1, 0x5a
buf:
    .dword 0
