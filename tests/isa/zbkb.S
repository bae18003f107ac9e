/* cpu: rv64,zbb=off,zbkb=on
 * Zbkb (unprivileged spec 28.4.5) on a model without Zbb: pack, packh,
 * packw, brev8, and the instructions it shares with Zbb (andn, rol, rev8)
 * stay legal; zext.h's encoding is packw then, and on packw's rs2 = x0
 * means the same. Expected values from a Python model of the spec's
 * pseudocode; QEMU 7.2 (zbkb=true, zbb=false) agrees. */
#include "common.h"

    .option arch, +zbkb
    .text
    .globl test_main
test_main:
    TEST_RR(1, pack, 0x7654321089abcdef, 0x123456789abcdef, 0xfedcba9876543210)
    TEST_RR(2, packh, 0x10ef, 0x123456789abcdef, 0xfedcba9876543210)
    TEST_RR(3, packw, 0x3210cdef, 0x123456789abcdef, 0xfedcba9876543210)
    TEST_RR(4, pack, 0xffffffff, 0xffffffffffffffff, 0x0)
    TEST_RR(5, packh, 0xff, 0xffffffffffffffff, 0x0)
    TEST_RR(6, packw, 0xffff, 0xffffffffffffffff, 0x0)
    TEST_RR(7, pack, 0x7fff7fff80008000, 0x80008000, 0x7fff7fff)
    TEST_RR(8, packh, 0xff00, 0x80008000, 0x7fff7fff)
    TEST_RR(9, packw, 0x7fff8000, 0x80008000, 0x7fff7fff)
    TEST_RR(10, pack, 0x800000000000, 0x0, 0x8000)
    TEST_RR(11, packh, 0x0, 0x0, 0x8000)
    TEST_RR(12, packw, 0xffffffff80000000, 0x0, 0x8000)
    TEST_R(13, brev8, 0x0, 0x0)
    TEST_R(14, brev8, 0x80c4a2e691d5b3f7, 0x123456789abcdef)
    TEST_R(15, brev8, 0x100000000000080, 0x8000000000000001)
    TEST_R(16, brev8, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(17, andn, 0x23006700ab00ef, 0x123456789abcdef, 0xff00ff00ff00ff00)
    TEST_RR(18, rol, 0x123456789abcdef0, 0x123456789abcdef, 4)
    TEST_R(19, rev8, 0xefcdab8967452301, 0x123456789abcdef)
    TEST_NUM(20)
    li a1, 0xffffffffffff8765
    packw a0, a1, x0          /* the encoding of zext.h */
    CHECK_EQ(a0, 0x8765)
    TEST_ILLEGAL_WORD(21, 0x60079713)  /* clz: Zbb only */
    PASS
