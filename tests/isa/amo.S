/* RV64A: every AMO in .w and .d form (rd = old value, .w sign-extended;
 * memory = op(old, rs2); .w touches only its word; min/max compare signed
 * and unsigned at the operation's width), aq/rl encodings, rd == x0,
 * rd == rs2, rd == rs1; LR/SC: lr sign extension, a successful pair, SC
 * without a reservation fails and does not write, an SC invalidates the
 * reservation for the next SC, LR/SC with aq/rl. Only behaviours the
 * spec guarantees are required; where it allows both (SC to another
 * address, SC after a plain store by the same hart), both are accepted
 * as long as rd and memory agree. An SC may fail spuriously, so pairs
 * that should succeed are retried (up to 16 times) as constrained LR/SC
 * loops, which must eventually succeed. Spec: unprivileged ISA chapter 8. */
#include "common.h"

/* Doubleword AMO on amobuf: old value mem, rs2 src, new memory new. */
#define TEST_AMO_D(n, op, mem, src, new) \
    TEST_NUM(n); la a1, amobuf; li a0, mem; sd a0, 0(a1); li a2, src; li a0, 0x5a; \
    op a0, a2, (a1); CHECK_EQ(a0, mem); ld a3, 0(a1); CHECK_EQ(a3, new); CHECK_EQ(a2, src)
/* Word AMO on the upper word of amobuf (the lower word holds 0x5a5a5a5a
 * and must survive): rd must be old (sign-extended), memory new. */
#define TEST_AMO_W(n, op, mem, src, old, new) \
    TEST_NUM(n); la a1, amobuf; li a0, ((mem) << 32) | 0x5a5a5a5a; sd a0, 0(a1); \
    li a2, src; addi a4, a1, 4; op a0, a2, (a4); CHECK_EQ(a0, old); \
    ld a3, 0(a1); CHECK_EQ(a3, ((new) << 32) | 0x5a5a5a5a)

    .text
    .globl test_main
test_main:
    /* amoswap.d */
    TEST_AMO_D(1, amoswap.d, 0x123456789abcdef, 0x1111111111111111, 0x1111111111111111)
    TEST_AMO_D(2, amoswap.d, 0xffffffffffffffff, 0x1, 0x1)
    TEST_AMO_D(3, amoswap.d, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
    TEST_AMO_D(4, amoswap.d, 0x5, 0xfffffffffffffffb, 0xfffffffffffffffb)
    /* amoadd.d */
    TEST_AMO_D(5, amoadd.d, 0x123456789abcdef, 0x1111111111111111, 0x123456789abcdf00)
    TEST_AMO_D(6, amoadd.d, 0xffffffffffffffff, 0x1, 0x0)
    TEST_AMO_D(7, amoadd.d, 0x8000000000000000, 0x7fffffffffffffff, 0xffffffffffffffff)
    TEST_AMO_D(8, amoadd.d, 0x5, 0xfffffffffffffffb, 0x0)
    /* amoxor.d */
    TEST_AMO_D(9, amoxor.d, 0x123456789abcdef, 0x1111111111111111, 0x1032547698badcfe)
    TEST_AMO_D(10, amoxor.d, 0xffffffffffffffff, 0x1, 0xfffffffffffffffe)
    TEST_AMO_D(11, amoxor.d, 0x8000000000000000, 0x7fffffffffffffff, 0xffffffffffffffff)
    TEST_AMO_D(12, amoxor.d, 0x5, 0xfffffffffffffffb, 0xfffffffffffffffe)
    /* amoand.d */
    TEST_AMO_D(13, amoand.d, 0x123456789abcdef, 0x1111111111111111, 0x101010101010101)
    TEST_AMO_D(14, amoand.d, 0xffffffffffffffff, 0x1, 0x1)
    TEST_AMO_D(15, amoand.d, 0x8000000000000000, 0x7fffffffffffffff, 0x0)
    TEST_AMO_D(16, amoand.d, 0x5, 0xfffffffffffffffb, 0x1)
    /* amoor.d */
    TEST_AMO_D(17, amoor.d, 0x123456789abcdef, 0x1111111111111111, 0x1133557799bbddff)
    TEST_AMO_D(18, amoor.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
    TEST_AMO_D(19, amoor.d, 0x8000000000000000, 0x7fffffffffffffff, 0xffffffffffffffff)
    TEST_AMO_D(20, amoor.d, 0x5, 0xfffffffffffffffb, 0xffffffffffffffff)
    /* amomin.d */
    TEST_AMO_D(21, amomin.d, 0x123456789abcdef, 0x1111111111111111, 0x123456789abcdef)
    TEST_AMO_D(22, amomin.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
    TEST_AMO_D(23, amomin.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_AMO_D(24, amomin.d, 0x5, 0xfffffffffffffffb, 0xfffffffffffffffb)
    /* amomax.d */
    TEST_AMO_D(25, amomax.d, 0x123456789abcdef, 0x1111111111111111, 0x1111111111111111)
    TEST_AMO_D(26, amomax.d, 0xffffffffffffffff, 0x1, 0x1)
    TEST_AMO_D(27, amomax.d, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
    TEST_AMO_D(28, amomax.d, 0x5, 0xfffffffffffffffb, 0x5)
    /* amominu.d */
    TEST_AMO_D(29, amominu.d, 0x123456789abcdef, 0x1111111111111111, 0x123456789abcdef)
    TEST_AMO_D(30, amominu.d, 0xffffffffffffffff, 0x1, 0x1)
    TEST_AMO_D(31, amominu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
    TEST_AMO_D(32, amominu.d, 0x5, 0xfffffffffffffffb, 0x5)
    /* amomaxu.d */
    TEST_AMO_D(33, amomaxu.d, 0x123456789abcdef, 0x1111111111111111, 0x1111111111111111)
    TEST_AMO_D(34, amomaxu.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
    TEST_AMO_D(35, amomaxu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_AMO_D(36, amomaxu.d, 0x5, 0xfffffffffffffffb, 0xfffffffffffffffb)
    /* amoswap.w */
    TEST_AMO_W(37, amoswap.w, 0x89abcdef, 0x1111111111111111, 0xffffffff89abcdef, 0x11111111)
    TEST_AMO_W(38, amoswap.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0x1)
    TEST_AMO_W(39, amoswap.w, 0x80000000, 0x123456787fffffff, 0xffffffff80000000, 0x7fffffff)
    TEST_AMO_W(40, amoswap.w, 0x5, 0xfffffffffffffffb, 0x5, 0xfffffffb)
    /* amoadd.w */
    TEST_AMO_W(41, amoadd.w, 0x89abcdef, 0x1111111111111111, 0xffffffff89abcdef, 0x9abcdf00)
    TEST_AMO_W(42, amoadd.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0x0)
    TEST_AMO_W(43, amoadd.w, 0x80000000, 0x123456787fffffff, 0xffffffff80000000, 0xffffffff)
    TEST_AMO_W(44, amoadd.w, 0x5, 0xfffffffffffffffb, 0x5, 0x0)
    /* amoxor.w */
    TEST_AMO_W(45, amoxor.w, 0x89abcdef, 0x1111111111111111, 0xffffffff89abcdef, 0x98badcfe)
    TEST_AMO_W(46, amoxor.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0xfffffffe)
    TEST_AMO_W(47, amoxor.w, 0x80000000, 0x123456787fffffff, 0xffffffff80000000, 0xffffffff)
    TEST_AMO_W(48, amoxor.w, 0x5, 0xfffffffffffffffb, 0x5, 0xfffffffe)
    /* amoand.w */
    TEST_AMO_W(49, amoand.w, 0x89abcdef, 0x1111111111111111, 0xffffffff89abcdef, 0x1010101)
    TEST_AMO_W(50, amoand.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0x1)
    TEST_AMO_W(51, amoand.w, 0x80000000, 0x123456787fffffff, 0xffffffff80000000, 0x0)
    TEST_AMO_W(52, amoand.w, 0x5, 0xfffffffffffffffb, 0x5, 0x1)
    /* amoor.w */
    TEST_AMO_W(53, amoor.w, 0x89abcdef, 0x1111111111111111, 0xffffffff89abcdef, 0x99bbddff)
    TEST_AMO_W(54, amoor.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0xffffffff)
    TEST_AMO_W(55, amoor.w, 0x80000000, 0x123456787fffffff, 0xffffffff80000000, 0xffffffff)
    TEST_AMO_W(56, amoor.w, 0x5, 0xfffffffffffffffb, 0x5, 0xffffffff)
    /* amomin.w */
    TEST_AMO_W(57, amomin.w, 0x89abcdef, 0x1111111111111111, 0xffffffff89abcdef, 0x89abcdef)
    TEST_AMO_W(58, amomin.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0xffffffff)
    TEST_AMO_W(59, amomin.w, 0x80000000, 0x123456787fffffff, 0xffffffff80000000, 0x80000000)
    TEST_AMO_W(60, amomin.w, 0x5, 0xfffffffffffffffb, 0x5, 0xfffffffb)
    /* amomax.w */
    TEST_AMO_W(61, amomax.w, 0x89abcdef, 0x1111111111111111, 0xffffffff89abcdef, 0x11111111)
    TEST_AMO_W(62, amomax.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0x1)
    TEST_AMO_W(63, amomax.w, 0x80000000, 0x123456787fffffff, 0xffffffff80000000, 0x7fffffff)
    TEST_AMO_W(64, amomax.w, 0x5, 0xfffffffffffffffb, 0x5, 0x5)
    /* amominu.w */
    TEST_AMO_W(65, amominu.w, 0x89abcdef, 0x1111111111111111, 0xffffffff89abcdef, 0x11111111)
    TEST_AMO_W(66, amominu.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0x1)
    TEST_AMO_W(67, amominu.w, 0x80000000, 0x123456787fffffff, 0xffffffff80000000, 0x7fffffff)
    TEST_AMO_W(68, amominu.w, 0x5, 0xfffffffffffffffb, 0x5, 0x5)
    /* amomaxu.w */
    TEST_AMO_W(69, amomaxu.w, 0x89abcdef, 0x1111111111111111, 0xffffffff89abcdef, 0x89abcdef)
    TEST_AMO_W(70, amomaxu.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0xffffffff)
    TEST_AMO_W(71, amomaxu.w, 0x80000000, 0x123456787fffffff, 0xffffffff80000000, 0x80000000)
    TEST_AMO_W(72, amomaxu.w, 0x5, 0xfffffffffffffffb, 0x5, 0xfffffffb)

    /* word AMO on the lower word leaves the upper word alone */
    TEST_NUM(73)
    la a1, amobuf
    li a0, 0xa5a5a5a5ffffffff
    sd a0, 0(a1)
    li a2, 1
    amoadd.w a0, a2, (a1)
    CHECK_EQ(a0, 0xffffffffffffffff)
    ld a3, 0(a1)
    CHECK_EQ(a3, 0xa5a5a5a500000000)
    /* aq, rl, aqrl encodings behave the same */
    TEST_NUM(74)
    la a1, amobuf
    sd zero, 0(a1)
    li a2, 3
    amoadd.d.aq a0, a2, (a1)
    amoadd.d.rl a0, a2, (a1)
    amoadd.d.aqrl a0, a2, (a1)
    amoadd.w.aqrl a0, a2, (a1)
    CHECK_EQ(a0, 9)
    ld a3, 0(a1)
    CHECK_EQ(a3, 12)
    /* rd == x0: memory still updated */
    TEST_NUM(75)
    la a1, amobuf
    li a0, 40
    sd a0, 0(a1)
    li a2, 2
    amoadd.d x0, a2, (a1)
    CHECK_EQ(x0, 0)
    ld a3, 0(a1)
    CHECK_EQ(a3, 42)
    /* rd == rs2: memory gets the old rs2, rd the old memory */
    TEST_NUM(76)
    la a1, amobuf
    li a0, 0x1111
    sd a0, 0(a1)
    li a2, 0x2222
    amoswap.d a2, a2, (a1)
    CHECK_EQ(a2, 0x1111)
    ld a3, 0(a1)
    CHECK_EQ(a3, 0x2222)
    /* rd == rs1: the address is the old rs1 */
    TEST_NUM(77)
    la a1, amobuf
    li a0, 0x100
    sd a0, 0(a1)
    mv a4, a1
    li a2, 0x23
    amoor.d a1, a2, (a1)
    CHECK_EQ(a1, 0x100)
    ld a3, 0(a4)
    CHECK_EQ(a3, 0x123)

    /* lr.w sign-extends, lr.d loads 64 bits */
    TEST_NUM(78)
    la a1, amobuf
    li a0, 0x12345678f0000000
    sd a0, 0(a1)
    lr.w a2, (a1)
    CHECK_EQ(a2, 0xfffffffff0000000)
    lr.d a2, (a1)
    CHECK_EQ(a2, 0x12345678f0000000)
    /* lr / sc success: rd = 0, memory written */
    TEST_NUM(79)
    la a1, amobuf
    sd zero, 0(a1)
    li a5, 16
3:  lr.d a2, (a1)
    li a3, 0x7777
    sc.d a4, a3, (a1)
    beqz a4, 4f
    addi a5, a5, -1
    bnez a5, 3b
    j fail
4:
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x7777)
    /* a second SC has no reservation (the first one consumed it) */
    TEST_NUM(80)
    li a3, 0x8888
    sc.d a4, a3, (a1)
    beqz a4, fail
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x7777)
    /* sc.w writes only its word, rd 0 */
    TEST_NUM(81)
    la a1, amobuf
    li a0, -1
    sd a0, 0(a1)
    li a5, 16
3:  lr.w a2, (a1)
    li a3, 0x1234567812345678
    sc.w a4, a3, (a1)
    beqz a4, 4f
    addi a5, a5, -1
    bnez a5, 3b
    j fail
4:  CHECK_EQ(a2, -1)
    ld a0, 0(a1)
    CHECK_EQ(a0, 0xffffffff12345678)
    /* SC without any LR fails and does not write */
    TEST_NUM(82)
    la a1, amobuf
    li a0, 0x55
    sd a0, 0(a1)
    sc.d a4, zero, (a1)          /* clears any reservation either way */
    li a0, 0x55
    sd a0, 0(a1)
    li a3, 0x66
    sc.d a4, a3, (a1)
    beqz a4, fail
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x55)
    sc.w a4, a3, (a1)
    beqz a4, fail
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x55)
    /* an SC to another address between LR and SC kills the reservation
     * ("an SC must fail if there is another SC between the LR and the SC") */
    TEST_NUM(83)
    la a1, amobuf
    la a5, amobuf2
    sd zero, 0(a1)
    sd zero, 0(a5)
    lr.d a2, (a1)
    li a3, 1
    sc.d a4, a3, (a5)            /* may succeed or fail: see test 84 */
    li a3, 2
    sc.d a4, a3, (a1)
    beqz a4, fail
    ld a0, 0(a1)
    CHECK_EQ(a0, 0)
    /* that SC to another page: success (rd 0) iff it wrote */
    TEST_NUM(84)
    ld a0, 0(a5)
    lr.d a2, (a1)
    li a3, 0x99
    sc.d a4, a3, (a5)
    ld a0, 0(a5)
    beqz a4, 1f
    CHECK_EQ(a0, 0)
    j 2f
1:  CHECK_EQ(a0, 0x99)
2:  sc.d a4, zero, (a1)          /* drop any reservation */
    /* a plain store by this hart between LR and SC: the spec allows the
     * SC to succeed or fail; rd and memory must agree */
    TEST_NUM(85)
    la a1, amobuf
    sd zero, 0(a1)
    lr.d a2, (a1)
    li a3, 0x44
    sd a3, 0(a1)
    li a3, 0x45
    sc.d a4, a3, (a1)
    ld a0, 0(a1)
    beqz a4, 1f
    CHECK_EQ(a0, 0x44)
    j 2f
1:  CHECK_EQ(a0, 0x45)
2:
    /* aq/rl forms of LR/SC */
    TEST_NUM(86)
    la a1, amobuf
    li a0, 10
    sd a0, 0(a1)
    li a5, 16
3:  lr.d.aq a2, (a1)
    addi a2, a2, 1
    sc.d.rl a4, a2, (a1)
    beqz a4, 4f
    addi a5, a5, -1
    bnez a5, 3b
    j fail
4:  li a5, 16
3:  lr.w.aqrl a2, (a1)
    addi a2, a2, 1
    sc.w.aqrl a4, a2, (a1)
    beqz a4, 4f
    addi a5, a5, -1
    bnez a5, 3b
    j fail
4:
    ld a0, 0(a1)
    CHECK_EQ(a0, 12)
    /* a constrained LR/SC increment loop must eventually succeed */
    TEST_NUM(87)
    la a1, amobuf
    sd zero, 0(a1)
    li a5, 100
3:  lr.d a2, (a1)
    addi a2, a2, 1
    sc.d a4, a2, (a1)
    bnez a4, 3b
    addi a5, a5, -1
    bnez a5, 3b
    ld a0, 0(a1)
    CHECK_EQ(a0, 100)
    /* lr/sc rd == x0 */
    TEST_NUM(88)
    la a1, amobuf
    li a0, 3
    sd a0, 0(a1)
    li a5, 16
3:  lr.d x0, (a1)
    li a3, 4
    sc.d a4, a3, (a1)
    beqz a4, 4f
    addi a5, a5, -1
    bnez a5, 3b
    j fail
4:
    ld a0, 0(a1)
    CHECK_EQ(a0, 4)

    PASS

    .data
    .balign 64
amobuf:
    .dword 0, 0
    .balign 4096
amobuf2:
    .dword 0
