/* Loops for a JIT that keeps guest registers in host registers across a
 * back edge (a block branching to itself) or translates a multi-block loop
 * inside one page as one region: every register a loop body writes must
 * hold its right value when the loop exits, whichever branch leaves it and
 * wherever the loop sits relative to a page boundary. Each check compares
 * with constants computed independently (a Python model of each loop).
 *   1 a self-loop, no compressed code: loads, stores, mul/mulhu/div/rem
 *     (a divide by zero on one iteration), sllw/sra by the counter
 *   2 a self-loop of compressed instructions (c.lw/c.sw, c.addiw, c.addw)
 *   3 an if/else loop with a forward branch skipping part of the body
 *   4 nested loops (inner trip count grows with the outer counter)
 *   5 a loop calling one function by jal and another by jalr
 *   6 26 integer registers live across a self-loop (register pressure)
 *   7 a while loop left by a taken forward branch; a loop left by a taken
 *     backward branch (to a block before it) and continued by `j`
 *   8 a self-loop straddling two pages (back edge to the previous page);
 *     the same with a 4-byte instruction across the boundary; an if/else
 *     loop whose join block is on the next page
 *   9 integer registers read and written by instructions a JIT may run as
 *     helper calls (fcvt, feq, fsd with an integer base, amoadd, lr/sc in
 *     an inner retry loop) between native uses
 *  10 loads and stores to device registers (CLINT mtimecmp and msip as
 *     scratch registers, nothing enabled) inside a loop
 * Spec: unprivileged ISA chapters 2, 7 (M) and 16 (C). */
#include "common.h"

    .text
    .globl test_main
test_main:
    /* 1: s4 = (s4 * 31 + sext32(i*i / (i+1))) ^ sllw(i*i % (i+1), i)
     * ^ (s4 >>a i); s6 += div/rem of s4 by i - 49; s7 += mulhu(s4, 31);
     * buf[i] = i*i / (i+1); i = 0..99 */
    TEST_NUM(1)
    la s2, buf
    li s3, 0
    li s4, 1
    li s5, 100
    li s6, 0
    li s7, 0
    li a4, 31
    .option push
    .option norvc
1:  mul t0, s3, s3
    addi t1, s3, 1
    divu t2, t0, t1
    remu t3, t0, t1
    slli a0, s3, 3
    add a0, s2, a0
    sd t2, 0(a0)
    lw a1, 0(a0)
    sllw a2, t3, s3
    sra a3, s4, s3
    mul s4, s4, a4
    add s4, s4, a1
    xor s4, s4, a2
    xor s4, s4, a3
    addi a7, s3, -49
    div a5, s4, a7
    rem a6, s4, a7
    add s6, s6, a5
    xor s6, s6, a6
    mulhu t4, s4, a4
    add s7, s7, t4
    addi s3, s3, 1
    bne s3, s5, 1b
    .option pop
    CHECK_EQ(s3, 100)
    CHECK_EQ(s4, 0xd1473a4bb6cc1ca5)
    CHECK_EQ(s6, 0x6e64a8a7f96ee0b5)
    CHECK_EQ(s7, 0x4fb)
    CHECK_EQ(t0, 0x2649)
    CHECK_EQ(t1, 100)
    CHECK_EQ(t2, 0x62)
    CHECK_EQ(t3, 0x1)
    CHECK_EQ(t4, 0x19)
    la t0, buf + 99 * 8
    CHECK_REGS(a0, t0)
    CHECK_EQ(a1, 0x62)
    CHECK_EQ(a2, 0x8)
    CHECK_EQ(a3, 0xd3b203c)
    CHECK_EQ(a5, 0xff10c8d88de55cbc)
    CHECK_EQ(a6, 0xffffffffffffffed)
    CHECK_EQ(a7, 0x32)
    jal sum_buf
    CHECK_EQ(a0, 0x12f3)

    /* 2: over words w of cbuf: a2 = ((a2 + w) << 1) ^ (w >>a 1);
     * w' = sext32((w >>a 1) + 3) stored back; a5 = sext32(a5 + w') */
    TEST_NUM(2)
    la a0, cbuf
    li a1, 32
    li a2, 0
    li a5, 0
    .option push
    .option rvc
1:  c.lw a4, 0(a0)
    c.add a2, a4
    c.slli a2, 1
    c.srai a4, 1
    c.xor a2, a4
    c.addiw a4, 3
    c.addw a5, a4
    c.sw a4, 0(a0)
    c.addi a0, 4
    c.addi a1, -1
    c.bnez a1, 1b
    .option pop
    CHECK_EQ(a1, 0)
    CHECK_EQ(a2, 0xc45223bfdbb17e63)
    CHECK_EQ(a4, 0x145bde3a)
    CHECK_EQ(a5, 0xffffffffc5bde3d0)
    la t0, cbuf + 128
    CHECK_REGS(a0, t0)
    la a0, cbuf                         /* the stores landed */
    li a1, 32
    li a2, 0
2:  lwu t0, 0(a0)
    add a2, a2, t0
    addi a0, a0, 4
    addi a1, a1, -1
    bnez a1, 2b
    CHECK_EQ(a2, 0xfc5bde3d0)

    /* 3: i = 0..199: odd i: s4 += 3i, even i: s5 = (s5 + (s5 >> 3)) ^ 4i;
     * i % 5 == 0: s6++, s4 += s5 (else skipped by a forward branch) */
    TEST_NUM(3)
    li s3, 0
    li s4, 0
    li s5, 0
    li s6, 0
    li s7, 200
1:  andi t0, s3, 1
    beqz t0, 2f
    slli t1, s3, 1
    add t1, t1, s3
    add s4, s4, t1
    j 3f
2:  slli t1, s3, 2
    srli t2, s5, 3
    add s5, s5, t2
    xor s5, s5, t1
3:  li t2, 5
    remu t3, s3, t2
    bnez t3, 4f
    addi s6, s6, 1
    add s4, s4, s5
4:  addi s3, s3, 1
    blt s3, s7, 1b
    CHECK_EQ(s3, 200)
    CHECK_EQ(s4, 0x1dea1cc)
    CHECK_EQ(s5, 0x966125)
    CHECK_EQ(s6, 40)
    CHECK_EQ(t3, 4)                     /* 199 % 5 */

    /* 4: i = 0..19 { j = 0..i: s4 += i*j; s4 ^= j (= i + 1) } */
    TEST_NUM(4)
    li s3, 0
    li s4, 0
    li s8, 20
1:  li s5, 0
2:  mul t0, s3, s5
    add s4, s4, t0
    addi s5, s5, 1
    bleu s5, s3, 2b
    xor s4, s4, s5
    addi s3, s3, 1
    bne s3, s8, 1b
    CHECK_EQ(s3, 20)
    CHECK_EQ(s4, 0x4b4f)
    CHECK_EQ(s5, 20)
    CHECK_EQ(t0, 19 * 19)

    /* 5: i = 0..63: s4 += sq1(i) (jal); odd i: s4 = xsh(s4) (jalr) */
    TEST_NUM(5)
    li s3, 0
    li s4, 0
    li s5, 64
    la s9, fn_xsh
1:  mv a0, s3
    jal ra, fn_sq1
    add s4, s4, a0
    andi t0, s3, 1
    beqz t0, 2f
    mv a0, s4
    jalr ra, 0(s9)
3:  mv s4, a0
2:  addi s3, s3, 1
    bne s3, s5, 1b
    CHECK_EQ(s4, 0x1a910)
    CHECK_EQ(s3, 64)
    la t0, 3b
    CHECK_REGS(ra, t0)                  /* from the last jalr */

    /* 6: 50 rounds over 26 registers: r[k] += r[k+1]; every 4th k,
     * r[k+3] ^= r[k] >> 7 (through t5) */
    TEST_NUM(6)
    li s0, 0x9e3779b97f4a7c15
    li s1, 0x3c6ef372fe94f82a
    li s2, 0xdaa66d2c7ddf743f
    li s3, 0x78dde6e5fd29f054
    li s4, 0x1715609f7c746c69
    li s5, 0xb54cda58fbbee87e
    li s6, 0x538454127b096493
    li s7, 0xf1bbcdcbfa53e0a8
    li s8, 0x8ff34785799e5cbd
    li s9, 0x2e2ac13ef8e8d8d2
    li s10, 0xcc623af8783354e7
    li s11, 0x6a99b4b1f77dd0fc
    li a0, 0x8d12e6b76c84d11
    li a1, 0xa708a824f612c926
    li a2, 0x454021de755d453b
    li a3, 0xe3779b97f4a7c150
    li a4, 0x81af155173f23d65
    li a5, 0x1fe68f0af33cb97a
    li a6, 0xbe1e08c47287358f
    li a7, 0x5c55827df1d1b1a4
    li t0, 0xfa8cfc37711c2db9
    li t1, 0x98c475f0f066a9ce
    li t2, 0x36fbefaa6fb125e3
    li t3, 0xd5336963eefba1f8
    li tp, 0x736ae31d6e461e0d
    li ra, 0x11a25cd6ed909a22
    li t4, 50
1:
    add s0, s0, s1
    srli t5, s0, 7
    xor s3, s3, t5
    add s1, s1, s2
    add s2, s2, s3
    add s3, s3, s4
    add s4, s4, s5
    srli t5, s4, 7
    xor s7, s7, t5
    add s5, s5, s6
    add s6, s6, s7
    add s7, s7, s8
    add s8, s8, s9
    srli t5, s8, 7
    xor s11, s11, t5
    add s9, s9, s10
    add s10, s10, s11
    add s11, s11, a0
    add a0, a0, a1
    srli t5, a0, 7
    xor a3, a3, t5
    add a1, a1, a2
    add a2, a2, a3
    add a3, a3, a4
    add a4, a4, a5
    srli t5, a4, 7
    xor a7, a7, t5
    add a5, a5, a6
    add a6, a6, a7
    add a7, a7, t0
    add t0, t0, t1
    srli t5, t0, 7
    xor t3, t3, t5
    add t1, t1, t2
    add t2, t2, t3
    add t3, t3, tp
    add tp, tp, ra
    srli t5, tp, 7
    xor s1, s1, t5
    add ra, ra, s0
    addi t4, t4, -1
    bnez t4, 1b
    CHECK_EQ(s0, 0xd9a50c48a95c27e9)
    CHECK_EQ(s1, 0xec800299cce3d50d)
    CHECK_EQ(s2, 0xe97fc78415711fbe)
    CHECK_EQ(s3, 0x3f5c521b4507f0cd)
    CHECK_EQ(s4, 0x7c2d61105a3e7223)
    CHECK_EQ(s5, 0x399b8149bb5d191)
    CHECK_EQ(s6, 0x8b58f9faae01ef8d)
    CHECK_EQ(s7, 0x601e3dc9eeb6ea4d)
    CHECK_EQ(s8, 0x171081fbdc5c8c5f)
    CHECK_EQ(s9, 0x7fee88376567049f)
    CHECK_EQ(s10, 0x2c154805f7d60b9d)
    CHECK_EQ(s11, 0x6453dbebc0241b4)
    CHECK_EQ(a0, 0x15ab6380ba60b544)
    CHECK_EQ(a1, 0xe531b9e44228cbea)
    CHECK_EQ(a2, 0x6ffffbd1a69e27bd)
    CHECK_EQ(a3, 0xe267fae6641b42f5)
    CHECK_EQ(a4, 0x6a417a530d65e31)
    CHECK_EQ(a5, 0xf16f325c10090359)
    CHECK_EQ(a6, 0x932a44d320b49a56)
    CHECK_EQ(a7, 0x900ca48695692f41)
    CHECK_EQ(t0, 0x95ca6530300e0da0)
    CHECK_EQ(t1, 0x1e8919be6b7bc1f0)
    CHECK_EQ(t2, 0x9dbe85ee5532b037)
    CHECK_EQ(t3, 0xf3d18b52958e4f90)
    CHECK_EQ(tp, 0x7b0078962037317)
    CHECK_EQ(ra, 0x1a0515d3fd3ed876)
    CHECK_EQ(t5, 0xf600f12c406e6)

    /* 7a: while (i < 77) { s4 = s4 * 5 + i; i++ }: left by a taken bgeu */
    TEST_NUM(7)
    li s3, 0
    li s4, 7
    li s5, 77
1:  bgeu s3, s5, 2f
    slli t0, s4, 2
    add s4, s4, t0
    add s4, s4, s3
    addi s3, s3, 1
    j 1b
2:  CHECK_EQ(s3, 77)
    CHECK_EQ(s4, 0x8914a6a73ddfade9)

    /* 7b: do { i++; s4 = (s4 ^ i) * 3 } until i == 90, the exit a taken
     * beq to a block placed before the loop */
    TEST_NUM(8)
    li s3, 0
    li s4, 0
    li s5, 90
    j 3f
2:  j 4f
3:  addi s3, s3, 1
    xor s4, s4, s3
    slli t0, s4, 1
    add s4, s4, t0
    beq s3, s5, 2b
    j 3b
4:  CHECK_EQ(s3, 90)
    CHECK_EQ(s4, 0x3d9991c7ce0cde2b)

    /* 8a: a self-loop across a page boundary, its back edge on the
     * second page: s4 = ((s4 + 3) ^ i) * 3, i = 0..299 */
    TEST_NUM(9)
    li s3, 0
    li s4, 0
    li s5, 300
    j 1f
    .option push
    .option norvc
    .balign 4096
    .skip 4096 - 12
1:  addi s4, s4, 3
    xor s4, s4, s3
    slli t0, s4, 1                      /* last word of the first page */
    add s4, s4, t0
    addi s3, s3, 1
    bne s3, s5, 1b
    .option pop
    CHECK_EQ(s3, 300)
    CHECK_EQ(s4, 0xc1311bc3828dbb10)

    /* 8b: the same with compressed code and a 4-byte add straddling the
     * pages: a0 = ((((a0 + 1) ^ i) << 2) >>u 1) + i */
    TEST_NUM(10)
    li a0, 0
    li a1, 0
    li a2, 300
    j 1f
    .option push
    .option rvc
    .balign 4096
    .skip 4096 - 10
1:  c.addi a0, 1
    c.xor a0, a1
    c.slli a0, 2
    c.srli a0, 1
    .option norvc
    add a0, a0, a1                      /* bytes 4094..4097 */
    addi a1, a1, 1
    bne a1, a2, 1b
    .option pop
    CHECK_EQ(a1, 300)
    CHECK_EQ(a0, 0x12b)

    /* 8c: an if/else loop ending on one page and joining on the next:
     * i = 1..200: i % 4 != 0: s4 += 5; s6 += s4 */
    TEST_NUM(11)
    li s3, 0
    li s4, 0
    li s6, 0
    li s5, 200
    j 1f
    .option push
    .option norvc
    .balign 4096
    .skip 4096 - 16
1:  addi s3, s3, 1
    andi t0, s3, 3
    beqz t0, 2f
    addi s4, s4, 5                      /* last word of the first page */
2:  add s6, s6, s4
    bltu s3, s5, 1b
    .option pop
    CHECK_EQ(s3, 200)
    CHECK_EQ(s4, 750)
    CHECK_EQ(s6, 0x127e6)

    /* 9: i = 0..39: f1 += i (fcvt.d.l of i); s6 = fcvt.l.d f1 = S(i);
     * s7 += s6 + the old amo word; s10 += (f1 == i); fbuf[i] = f1; the
     * amo word += i (amoadd.d), then += 1 (lr/sc, retried) */
    TEST_NUM(12)
    li t0, MSTATUS_FS
    csrs mstatus, t0
    fmv.d.x f1, zero
    la s2, fbuf
    la s9, amo_word
    li s4, 0
    li s5, 40
    li s7, 0
    li s10, 0
1:  fcvt.d.l f3, s4
    fadd.d f1, f1, f3
    fcvt.l.d s6, f1
    add s7, s7, s6
    feq.d s8, f1, f3
    add s10, s10, s8
    slli t0, s4, 3
    add t0, s2, t0
    fsd f1, 0(t0)
    amoadd.d s11, s4, (s9)
    add s7, s7, s11
2:  lr.d t1, (s9)
    addi t1, t1, 1
    sc.d t2, t1, (s9)
    bnez t2, 2b
    addi s4, s4, 1
    bne s4, s5, 1b
    CHECK_EQ(s6, 780)
    CHECK_EQ(s7, 0x5348)
    CHECK_EQ(s10, 2)
    ld t0, 0(s9)
    CHECK_EQ(t0, 820)
    ld t0, 39 * 8(s2)
    CHECK_EQ(t0, 0x4088600000000000)    /* 780.0 */
    fmv.x.d t0, f1
    CHECK_EQ(t0, 0x4088600000000000)

    /* 10: i = 0..29: mtimecmp = 2^62 + i, read back into s6, s8 += s6;
     * msip = i & 1, read back, s11 += it (mie = 0: nothing is taken) */
    TEST_NUM(13)
    li s9, CLINT_MTIMECMP
    li s10, CLINT_MSIP
    li s7, 0x4000000000000000
    li s4, 0
    li s5, 30
    li s8, 0
    li s11, 0
1:  add t0, s7, s4
    sd t0, 0(s9)
    ld s6, 0(s9)
    add s8, s8, s6
    andi t1, s4, 1
    sw t1, 0(s10)
    lw t2, 0(s10)
    add s11, s11, t2
    addi s4, s4, 1
    bne s4, s5, 1b
    li t0, -1
    sd t0, 0(s9)
    sw zero, 0(s10)
    CHECK_EQ(s8, 0x80000000000001b3)
    CHECK_EQ(s11, 15)
    li t0, 0x4000000000000000 + 29
    CHECK_REGS(s6, t0)
    PASS

/* a0 = the sum of the 100 dwords of buf. Clobbers t0, t1. */
sum_buf:
    la t0, buf
    li a0, 0
    li t1, 100
1:  ld t2, 0(t0)
    add a0, a0, t2
    addi t0, t0, 8
    addi t1, t1, -1
    bnez t1, 1b
    ret

/* a0 = a0 * a0 + 1 */
fn_sq1:
    mul a0, a0, a0
    addi a0, a0, 1
    ret

/* a0 = (a0 >> 3) ^ a0, returned through a compressed jr */
fn_xsh:
    srli t1, a0, 3
    xor a0, a0, t1
    c.jr ra

    .data
    .balign 8
buf:
    .skip 100 * 8
fbuf:
    .skip 40 * 8
amo_word:
    .dword 0
cbuf:
    .set k, 0
    .rept 32
    .word (k * 0x9e3779b1) & 0xffffffff
    .set k, k + 1
    .endr
