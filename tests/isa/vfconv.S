/* cpu: rv64,v=on,zvfhmin=on
 * qemu: none (QEMU 7.2 has no Zvfhmin and aborts on the rtz and rod conversions)
 * The vector FP conversions the differential programs cannot check against
 * QEMU 7.2, on known values (V 13.17-13.19): the rtz forms (whatever frm
 * says) with their saturation and flags, vfncvt.rod (round towards odd:
 * an inexact result gets its last bit set, overflow gives the largest
 * finite number), Zvfhmin's vfwcvt.f.f.v and vfncvt.f.f.w at SEW 16; and
 * the reserved forms of the FP families are illegal: FP at SEW 8 and 16
 * (no Zvfh), rod at SEW 16, widening at SEW 64, FS off, a reserved frm, a
 * widening destination over the low part of its source, v0 as vfmerge's
 * destination, a reduction with vstart != 0, a compare's mask over a
 * source group's second register, vfslide1up over its source. */
#include "common.h"

    /* Store the vector group reg (SEW ew) to buf, then check element k. */
    .macro STORE reg, ew
    la t0, buf
    vse\ew\().v \reg, (t0)
    .endm
    .macro CHECK_W k, val
    la t0, buf
    lwu t1, (4 * \k)(t0)
    CHECK_EQ(t1, \val)
    .endm
    .macro CHECK_D k, val
    la t0, buf
    ld t1, (8 * \k)(t0)
    CHECK_EQ(t1, \val)
    .endm
    .macro CHECK_H k, val
    la t0, buf
    lhu t1, (2 * \k)(t0)
    CHECK_EQ(t1, \val)
    .endm
    .macro CHECK_FLAGS val
    csrrw t1, fflags, x0
    CHECK_EQ(t1, \val)
    .endm

    .option arch, +v
    .text
    .globl test_main
test_main:
    li t0, MSTATUS_VS | MSTATUS_FS_DIRTY
    csrs mstatus, t0
    /* v8: 2.7, -2.7, 1e10, NaN (binary32); v16: binary64 sources */
    vsetivli x0, 4, e32, m1, tu, mu
    la t0, f32src
    vle32.v v8, (t0)
    vsetivli x0, 4, e64, m2, tu, mu
    la t0, f64src
    vle64.v v16, (t0)
    csrwi fflags, 0

    /* vfcvt.rtz.x.f.v under frm = RUP: truncates; 1e10 and NaN saturate
     * with invalid, 2.7 is inexact */
    TEST_NUM(1)
    fsrmi 3
    vsetivli x0, 4, e32, m1, tu, mu
    vfcvt.rtz.x.f.v v4, v8
    STORE v4, 32
    CHECK_W 0, 2
    CHECK_W 1, 0xfffffffe
    CHECK_W 2, 0x7fffffff
    CHECK_W 3, 0x7fffffff
    CHECK_FLAGS 0x11
    /* vfcvt.rtz.xu.f.v: -2.7 truncates to -2, out of range: 0, invalid */
    TEST_NUM(2)
    vfcvt.rtz.xu.f.v v4, v8
    STORE v4, 32
    CHECK_W 0, 2
    CHECK_W 1, 0
    CHECK_W 2, 0xffffffff
    CHECK_W 3, 0xffffffff
    CHECK_FLAGS 0x11
    /* vfwcvt.rtz.x.f.v: 1e10 fits in 64 bits exactly */
    TEST_NUM(3)
    vfwcvt.rtz.x.f.v v4, v8
    vsetivli x0, 4, e64, m2, tu, mu
    STORE v4, 64
    CHECK_D 0, 2
    CHECK_D 1, -2
    CHECK_D 2, 10000000000
    CHECK_D 3, 0x7fffffffffffffff
    CHECK_FLAGS 0x11
    /* vfncvt.rtz.x.f.w to 16 bits: 1e10 and NaN saturate to 32767 */
    TEST_NUM(4)
    vsetivli x0, 4, e16, mf2, tu, mu
    vfncvt.rtz.x.f.w v4, v8
    STORE v4, 16
    CHECK_H 0, 2
    CHECK_H 1, 0xfffe
    CHECK_H 2, 0x7fff
    CHECK_H 3, 0x7fff
    CHECK_FLAGS 0x11
    /* vfncvt.rtz.xu.f.w to 16 bits: -2.7 gives 0, 1e10 and NaN 0xffff */
    TEST_NUM(5)
    vfncvt.rtz.xu.f.w v4, v8
    STORE v4, 16
    CHECK_H 0, 2
    CHECK_H 1, 0
    CHECK_H 2, 0xffff
    CHECK_H 3, 0xffff
    CHECK_FLAGS 0x11

    /* vfncvt.rod.f.f.w: 1 + 2^-30 -> 1 with the last bit set, 1.5
     * exact, 1e300 the largest finite, -1e-300 the smallest subnormal */
    TEST_NUM(6)
    fsrmi 0
    vsetivli x0, 4, e32, m1, tu, mu
    vfncvt.rod.f.f.w v4, v16
    STORE v4, 32
    CHECK_W 0, 0x3f800001
    CHECK_W 1, 0x3fc00000
    CHECK_W 2, 0x7f7fffff
    CHECK_W 3, 0x80000001
    CHECK_FLAGS 0x07

    /* Zvfhmin: binary16 1, -2, inf, 2^-24 widen exactly */
    TEST_NUM(7)
    vsetivli x0, 4, e16, mf2, tu, mu
    la t0, f16src
    vle16.v v12, (t0)
    vfwcvt.f.f.v v4, v12
    vsetivli x0, 4, e32, m1, tu, mu
    STORE v4, 32
    CHECK_W 0, 0x3f800000
    CHECK_W 1, 0xc0000000
    CHECK_W 2, 0x7f800000
    CHECK_W 3, 0x33800000
    CHECK_FLAGS 0
    /* and narrow back: 1.5 exact, 65536 overflows to inf under RNE */
    TEST_NUM(8)
    la t0, f32back
    vle32.v v12, (t0)
    vsetivli x0, 4, e16, mf2, tu, mu
    vfncvt.f.f.w v4, v12
    STORE v4, 16
    CHECK_H 0, 0x3c00
    CHECK_H 1, 0x3e00
    CHECK_H 2, 0x7c00
    CHECK_H 3, 0x0001
    CHECK_FLAGS 0x05

    /* the reserved forms */
    vsetivli x0, 4, e16, m1, tu, mu
    TEST_ILLEGAL_WORD(9, 0x4a8a9257)  /* vfncvt.rod.f.f.w v4, v8 at SEW 16 */
    TEST_ILLEGAL_WORD(10, 0x02861257) /* vfadd.vv v4, v8, v12 at SEW 16 */
    TEST_ILLEGAL_WORD(11, 0x4a809257) /* vfcvt.x.f.v v4, v8 at SEW 16 */
    vsetivli x0, 4, e8, m1, tu, mu
    TEST_ILLEGAL_WORD(12, 0x02861257) /* vfadd.vv at SEW 8 */
    vsetivli x0, 2, e64, m1, tu, mu
    TEST_ILLEGAL_WORD(13, 0xc2861257) /* vfwadd.vv v4, v8, v12 at SEW 64 */
    vsetivli x0, 4, e32, m1, tu, mu
    TEST_ILLEGAL_WORD(14, 0xc2861457) /* vfwadd.vv v8, v8, v12 */
    TEST_ILLEGAL_WORD(15, 0x5c855057) /* vfmerge.vfm v0, v8, fa0, v0 */
    TEST_ILLEGAL_WORD(16, 0x3a855457) /* vfslide1up.vf v8, v8, fa0 */
    csrwi vstart, 1
    TEST_ILLEGAL_WORD(17, 0x0e861257) /* vfredosum.vs with vstart 1 */
    csrwi vstart, 0
    vsetivli x0, 4, e32, m2, tu, mu
    TEST_ILLEGAL_WORD(18, 0x628614d7) /* vmfeq.vv v9, v8, v12 at LMUL 2 */
    vsetivli x0, 4, e32, m1, tu, mu
    fsrmi 5
    TEST_ILLEGAL_WORD(19, 0x02861257) /* vfadd.vv with frm = 5 */
    fsrmi 0
    li t0, MSTATUS_FS
    csrc mstatus, t0
    TEST_ILLEGAL_WORD(20, 0x02861257) /* vfadd.vv with FS off */
    TEST_ILLEGAL_WORD(21, 0x42801557) /* vfmv.f.s fa0, v8 with FS off */
    li t0, MSTATUS_FS_DIRTY
    csrs mstatus, t0
    PASS

    .data
    .balign 8
f32src: .word 0x402ccccd, 0xc02ccccd, 0x501502f9, 0x7fc00000
f64src: .dword 0x3ff0000000400000, 0x3ff8000000000000, 0x7e37e43c8800759c, 0x81a56e1fc2f8f359
f16src: .half 0x3c00, 0xc000, 0x7c00, 0x0001
        .balign 8
f32back: .word 0x3f800000, 0x3fc00000, 0x47800000, 0x33800000
        .balign 8
buf:    .skip 64
