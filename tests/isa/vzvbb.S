/* cpu: rv64,v=on,zvbb=on
 * qemu: none (QEMU 7.2 has no Zvbb)
 * Zvbb (vector crypto spec, "Zvbb": vector basic bit manipulation, with
 * Zvkb): vandn, vrol, vror (.vv/.vx/.vi with a 6-bit immediate), vbrev8,
 * vrev8, vbrev, vclz, vctz, vcpop.v and the widening vwsll at SEW 32,
 * vl 2, on 0x12345678 and 0x80000001; a masked one leaves the inactive
 * element; with zvbb=off they are illegal (vzvbb_off.S). binutils 2.40
 * has no Zvbb: the words are encoded from the spec's tables. */
#include "common.h"

    .option arch, +v
    .text
    .globl test_main
test_main:
    li t0, 1 << 9
    csrs mstatus, t0
    vsetivli x0, 2, e32, m1, tu, mu
    la t0, in1
    vle32.v v1, (t0)
    la t0, in2
    vle32.v v2, (t0)
    la t0, in5
    vle32.v v5, (t0)
    li a0, 0xff00ff00
    li a1, 4
    li a2, 33
    /* vandn.vv v3, v1, v2 */
    TEST_NUM(1); .word 0x061101d7; la t0, out; vse32.v v3, (t0); lwu t1, 0(t0); CHECK_EQ(t1, 0x12340000); lwu t1, 4(t0); CHECK_EQ(t1, 0x80000000)
    /* vandn.vx v3, v1, a0 (a0 = 0xff00ff00) */
    TEST_NUM(2); .word 0x061541d7; la t0, out; vse32.v v3, (t0); lwu t1, 0(t0); CHECK_EQ(t1, 0x340078); lwu t1, 4(t0); CHECK_EQ(t1, 0x1)
    /* vrol.vx v3, v1, a1 (a1 = 4) */
    TEST_NUM(3); .word 0x5615c1d7; la t0, out; vse32.v v3, (t0); lwu t1, 0(t0); CHECK_EQ(t1, 0x23456781); lwu t1, 4(t0); CHECK_EQ(t1, 0x18)
    /* vror.vx v3, v1, a1 */
    TEST_NUM(4); .word 0x5215c1d7; la t0, out; vse32.v v3, (t0); lwu t1, 0(t0); CHECK_EQ(t1, 0x81234567); lwu t1, 4(t0); CHECK_EQ(t1, 0x18000000)
    /* vror.vi v3, v1, 36 (amount mod 32) */
    TEST_NUM(5); .word 0x561231d7; la t0, out; vse32.v v3, (t0); lwu t1, 0(t0); CHECK_EQ(t1, 0x81234567); lwu t1, 4(t0); CHECK_EQ(t1, 0x18000000)
    /* vbrev8.v v3, v1 */
    TEST_NUM(6); .word 0x4a1421d7; la t0, out; vse32.v v3, (t0); lwu t1, 0(t0); CHECK_EQ(t1, 0x482c6a1e); lwu t1, 4(t0); CHECK_EQ(t1, 0x1000080)
    /* vrev8.v v3, v1 */
    TEST_NUM(7); .word 0x4a14a1d7; la t0, out; vse32.v v3, (t0); lwu t1, 0(t0); CHECK_EQ(t1, 0x78563412); lwu t1, 4(t0); CHECK_EQ(t1, 0x1000080)
    /* vbrev.v v3, v1 */
    TEST_NUM(8); .word 0x4a1521d7; la t0, out; vse32.v v3, (t0); lwu t1, 0(t0); CHECK_EQ(t1, 0x1e6a2c48); lwu t1, 4(t0); CHECK_EQ(t1, 0x80000001)
    /* vclz.v v3, v1 */
    TEST_NUM(9); .word 0x4a1621d7; la t0, out; vse32.v v3, (t0); lwu t1, 0(t0); CHECK_EQ(t1, 0x3); lwu t1, 4(t0); CHECK_EQ(t1, 0x0)
    /* vctz.v v3, v1 */
    TEST_NUM(10); .word 0x4a16a1d7; la t0, out; vse32.v v3, (t0); lwu t1, 0(t0); CHECK_EQ(t1, 0x3); lwu t1, 4(t0); CHECK_EQ(t1, 0x0)
    /* vcpop.v v3, v1 */
    TEST_NUM(11); .word 0x4a1721d7; la t0, out; vse32.v v3, (t0); lwu t1, 0(t0); CHECK_EQ(t1, 0xd); lwu t1, 4(t0); CHECK_EQ(t1, 0x2)
    /* vwsll.vi v4, v1, 4 */
    TEST_NUM(12); .word 0xd6123257; la t0, out; vse64.v v4, (t0); ld t1, 0(t0); CHECK_EQ(t1, 0x123456780); ld t1, 8(t0); CHECK_EQ(t1, 0x800000010)
    /* vwsll.vx v4, v1, a2 (a2 = 33) */
    TEST_NUM(13); .word 0xd6164257; la t0, out; vse64.v v4, (t0); ld t1, 0(t0); CHECK_EQ(t1, 0x2468acf000000000); ld t1, 8(t0); CHECK_EQ(t1, 0x200000000)
    /* vror.vv v3, v1, v5 (v5 = 8, 31) */
    TEST_NUM(14); .word 0x521281d7; la t0, out; vse32.v v3, (t0); lwu t1, 0(t0); CHECK_EQ(t1, 0x78123456); lwu t1, 4(t0); CHECK_EQ(t1, 0x3)
    /* masked vcpop.v (v0 = 0b10): element 0 keeps v3's 0x55 */
    TEST_NUM(15)
    la t0, mask
    vlm.v v0, (t0)
    la t0, fives
    vle32.v v3, (t0)
    .word 0x481721d7
    la t0, out
    vse32.v v3, (t0)
    lwu t1, 0(t0)
    CHECK_EQ(t1, 0x55)
    lwu t1, 4(t0)
    CHECK_EQ(t1, 2)
    PASS

    .data
    .balign 16
in1:   .word 0x12345678, 0x80000001
in2:   .word 0x0000ffff, 0x0000ffff
in5:   .word 8, 31
fives: .word 0x55, 0x55
out:   .skip 16
mask:  .byte 2
