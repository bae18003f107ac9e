/* cpu: rv64,v=on
 * Vector loads and stores (unpriv spec V chapter 7) at VLEN 128:
 * unit-stride, strided, indexed (unordered and ordered), segments, masked
 * loads leaving inactive and tail elements undisturbed, whole-register
 * and mask forms; a load that faults at element 2 leaves vstart = 2 with
 * elements 0 and 1 loaded, and a load run with vstart = 2 goes on from
 * there; fault-only-first trims vl at an element > 0 and traps at element
 * 0; a segment load and an indexed store fault mid-way the same way. The
 * end of RAM (128 MiB) is the fault. QEMU 7.2 with -cpu
 * rv64,v=true agrees. */
#include "common.h"

#define RAM_END 0x88000000
#define CSR_VSTART 0x008

/* Doubleword k of buffer buf must be val. */
#define CHECK_DW(buf, k, val) la t0, buf; ld t1, 8 * (k)(t0); CHECK_EQ(t1, val)
#define CHECK_W(buf, k, val) la t0, buf; lwu t1, 4 * (k)(t0); CHECK_EQ(t1, val)
#define CHECK_B(buf, k, val) la t0, buf; lbu t1, k(t0); CHECK_EQ(t1, val)
/* Fill dst (64 bytes) with 0xee. */
#define CLEAR_DST la t0, dst; li t1, -0x1111111111111112; sd t1, 0(t0); sd t1, 8(t0); \
    sd t1, 16(t0); sd t1, 24(t0); sd t1, 32(t0); sd t1, 40(t0); sd t1, 48(t0); sd t1, 56(t0)

    .option arch, +v
    .text
    .globl test_main
test_main:
    li t0, 1 << 9
    csrs mstatus, t0
    /* src[i] = i for 256 bytes */
    la t0, src
    li t1, 0
1:  add t2, t0, t1
    sb t1, 0(t2)
    addi t1, t1, 1
    li t2, 256
    bne t1, t2, 1b

    /* 1: unit-stride e32, vl 3: the tail is not stored */
    TEST_NUM(1)
    CLEAR_DST
    vsetivli x0, 3, e32, m1, tu, mu
    la a0, src
    vle32.v v1, (a0)
    la a1, dst
    vse32.v v1, (a1)
    CHECK_W(dst, 0, 0x03020100)
    CHECK_W(dst, 2, 0x0b0a0908)
    CHECK_W(dst, 3, 0xeeeeeeee)
    /* 2: strided e16, stride 6 (and a negative stride) */
    TEST_NUM(2)
    CLEAR_DST
    vsetivli x0, 4, e16, m1, ta, ma
    la a0, src
    li a2, 6
    vlse16.v v2, (a0), a2
    la a1, dst
    vse16.v v2, (a1)
    CHECK_DW(dst, 0, 0x13120d0c07060100)
    la a0, src + 32
    li a2, -8
    vlse16.v v2, (a0), a2
    addi a1, a1, 24
    vsse16.v v2, (a1), a2 /* stored downwards from dst + 24 */
    CHECK_DW(dst, 0, 0x13120d0c07060908)
    CHECK_DW(dst, 3, 0xeeeeeeeeeeee2120)
    /* 3: indexed e32 data with e8 byte offsets, then an ordered store */
    TEST_NUM(3)
    CLEAR_DST
    la t0, idx
    vsetivli x0, 4, e8, m1, ta, ma
    vle8.v v9, (t0)
    vsetivli x0, 4, e32, m1, ta, ma
    la a0, src
    vluxei8.v v3, (a0), v9
    la a1, dst
    vse32.v v3, (a1)
    CHECK_W(dst, 0, 0x0f0e0d0c)
    CHECK_W(dst, 1, 0x03020100)
    CHECK_W(dst, 2, 0x23222120)
    CHECK_W(dst, 3, 0x07060504)
    CLEAR_DST
    vsoxei8.v v3, (a1), v9 /* back to the same offsets */
    CHECK_W(dst, 0, 0x03020100)
    CHECK_W(dst, 3, 0x0f0e0d0c)
    CHECK_W(dst, 8, 0x23222120)
    /* 4: segments: vlseg3e8, fields in v4, v5, v6 */
    TEST_NUM(4)
    CLEAR_DST
    vsetivli x0, 4, e8, m1, ta, ma
    la a0, src
    vlseg3e8.v v4, (a0)
    la a1, dst
    vse8.v v5, (a1)
    CHECK_W(dst, 0, 0x0a070401)
    vse8.v v6, (a1)
    CHECK_W(dst, 0, 0x0b080502)
    vsseg3e8.v v4, (a1) /* and back */
    CHECK_DW(dst, 0, 0x0706050403020100)
    CHECK_DW(dst, 1, 0xeeeeeeee0b0a0908)
    /* 5: masked load (v0 = 0b0101): inactive elements undisturbed */
    TEST_NUM(5)
    la t0, ones
    vsetivli x0, 8, e8, m1, tu, mu
    vle8.v v7, (t0)
    la t0, mask
    vlm.v v0, (t0)
    la a0, src
    vsetivli x0, 4, e8, m1, tu, mu
    vle8.v v7, (a0), v0.t
    la a1, dst
    CLEAR_DST
    vsetivli x0, 8, e8, m1, tu, mu
    vse8.v v7, (a1)
    CHECK_DW(dst, 0, 0xffffffffff02ff00)
    vsetivli x0, 4, e8, m1, tu, mu
    CLEAR_DST
    vse8.v v7, (a1), v0.t /* masked store: only elements 0 and 2 */
    CHECK_W(dst, 0, 0xee02ee00)
    /* 6: whole registers: vl2re16 / vs2r, whatever vl is */
    TEST_NUM(6)
    vsetivli x0, 1, e64, m1, ta, ma
    la a0, src + 64
    vl2re16.v v10, (a0)
    la a1, big
    vs2r.v v10, (a1)
    CHECK_DW(big, 0, 0x4746454443424140)
    CHECK_DW(big, 3, 0x5f5e5d5c5b5a5958)
    CHECK_DW(big, 4, 0)
    /* 7: vsm.v stores ceil(vl / 8) bytes */
    TEST_NUM(7)
    CLEAR_DST
    la a0, src + 0xa5
    vsetivli x0, 9, e8, m1, ta, ma
    vlm.v v8, (a0)
    la a1, dst
    vsm.v v8, (a1)
    CHECK_W(dst, 0, 0xeeeea6a5)
    /* 8: a load that faults at element 2 (the end of RAM) */
    TEST_NUM(8)
    la t0, ones
    vsetivli x0, 4, e32, m1, tu, mu
    vle32.v v12, (t0)
    li a0, RAM_END - 8
    TRAP_RESUME 2f
3:  vle32.v v12, (a0)
    j fail
2:  CHECK_TRAP CAUSE_LOAD_ACCESS, RAM_END
    CHECK_TRAP_EPC 3b
    csrr t1, vstart
    CHECK_EQ(t1, 2)
    /* elements 0 and 1 came from the last 8 bytes of RAM (zero) */
    CLEAR_DST
    la a1, dst
    vse32.v v12, (a1) /* vstart = 2: stores elements 2 and 3 only */
    csrr t1, vstart
    CHECK_EQ(t1, 0)
    CHECK_DW(dst, 0, 0xeeeeeeeeeeeeeeee)
    CHECK_DW(dst, 1, 0xffffffffffffffff)
    /* 9: restarted with vstart = 2, a load goes on from element 2 */
    TEST_NUM(9)
    csrwi vstart, 2
    la a0, src
    vle32.v v12, (a0)
    CLEAR_DST
    vse32.v v12, (a1)
    CHECK_DW(dst, 0, 0)
    CHECK_DW(dst, 1, 0x0f0e0d0c0b0a0908)
    /* 10: fault-only-first: vl trimmed to 2 at the faulting element */
    TEST_NUM(10)
    vsetivli x0, 4, e32, m1, tu, mu
    la t0, ones
    vle32.v v13, (t0)
    li a0, RAM_END - 8
    vle32ff.v v13, (a0)
    csrr t1, vl
    CHECK_EQ(t1, 2)
    vsetivli x0, 4, e32, m1, tu, mu
    CLEAR_DST
    vse32.v v13, (a1)
    CHECK_DW(dst, 0, 0)
    CHECK_DW(dst, 1, 0xffffffffffffffff)
    /* 11: ... and traps at element 0 */
    TEST_NUM(11)
    li a0, RAM_END
    TRAP_RESUME 2f
3:  vle32ff.v v13, (a0)
    j fail
2:  CHECK_TRAP CAUSE_LOAD_ACCESS, RAM_END
    /* vl is not checked: QEMU 7.2 changes it here, rvmm keeps it (7.7) */
    csrr t1, vstart
    CHECK_EQ(t1, 0)
    /* 12: reserved encodings: a misaligned group, EMUL > 8, vd = v0 masked */
    TEST_NUM(12)
    vsetivli x0, 4, e8, m4, ta, ma
    TEST_ILLEGAL_WORD(13, 0x02058087) /* vle8.v v1, (a1): v1 not a multiple of 4 */
    TEST_ILLEGAL_WORD(14, 0x0205f107) /* vle64.v v2, (a1): EMUL 32 */
    vsetivli x0, 4, e8, m1, ta, ma
    TEST_ILLEGAL_WORD(15, 0x00058007) /* vle8.v v0, (a1), v0.t */
    TEST_ILLEGAL_WORD(16, 0x42858187) /* vl3re8.v v3, (a1): nf = 3 reserved */
    /* 17: a segment load faulting at element 3 (its first field) */
    TEST_NUM(17)
    csrwi vstart, 0
    vsetivli x0, 4, e8, m1, tu, mu
    li a0, RAM_END - 6
    TRAP_RESUME 2f
3:  vlseg2e8.v v20, (a0)
    j fail
2:  CHECK_TRAP CAUSE_LOAD_ACCESS, RAM_END
    csrr t1, vstart
    CHECK_EQ(t1, 3)
    /* 18: an indexed store into the last page of RAM faulting at element 2
     * (offset 0x2000: past the end), the elements before it stored */
    TEST_NUM(18)
    csrwi vstart, 0
    CLEAR_DST
    la t0, sidx
    vsetivli x0, 4, e64, m2, tu, mu
    vle64.v v24, (t0)
    la t0, src
    vle64.v v20, (t0)
    li a0, RAM_END - 0x1000
    TRAP_RESUME 2f
3:  vsoxei64.v v20, (a0), v24
    j fail
2:  CHECK_TRAP CAUSE_STORE_ACCESS, RAM_END + 0x1000
    csrr t1, vstart
    CHECK_EQ(t1, 2)
    li t0, RAM_END - 0x1000
    ld t1, 0(t0)
    CHECK_EQ(t1, 0x0706050403020100)
    ld t1, 8(t0)
    CHECK_EQ(t1, 0x0f0e0d0c0b0a0908)
    csrwi vstart, 0
    PASS

    .data
    .balign 64
src:  .skip 256
dst:  .skip 64
big:  .skip 64
ones: .fill 64, 1, 0xff
idx:  .byte 12, 0, 32, 4
mask: .byte 0x05
    .balign 8
sidx: .dword 0, 8, 0x2000, 16
