/* RV64I integer computation: register-register and register-immediate
 * ALU ops, the 32-bit W forms (results sign-extended from bit 31, upper
 * source bits ignored), shift-amount masking (6 bits, 5 for W forms),
 * lui/auipc, x0 as source and destination, and rd aliasing rs1/rs2.
 * Spec: unprivileged ISA, "RV32I" 2.4 and "RV64I" 5.2. */
#include "common.h"

    .text
    .globl test_main
test_main:
    /* add / sub: carries, wraparound at 64 bits */
    TEST_RR(1, add, 0x0, 0x0, 0x0)
    TEST_RR(2, add, 0x2, 0x1, 0x1)
    TEST_RR(3, add, 0xa, 0x3, 0x7)
    TEST_RR(4, add, 0x0, 0xffffffffffffffff, 0x1)
    TEST_RR(5, add, 0x8000000000000000, 0x7fffffffffffffff, 0x1)
    TEST_RR(6, add, 0x0, 0x8000000000000000, 0x8000000000000000)
    TEST_RR(7, add, 0x100000000, 0xffffffff, 0x1)
    TEST_RR(8, add, 0xffffffffffffffff, 0xffffffff80000000, 0x7fffffff)
    TEST_RR(9, sub, 0x0, 0x0, 0x0)
    TEST_RR(10, sub, 0xfffffffffffffffc, 0x3, 0x7)
    TEST_RR(11, sub, 0xffffffffffffffff, 0x0, 0x1)
    TEST_RR(12, sub, 0x7fffffffffffffff, 0x8000000000000000, 0x1)
    TEST_RR(13, sub, 0x8000000000000000, 0x7fffffffffffffff, 0xffffffffffffffff)
    TEST_RR(14, sub, 0xffffffff, 0x100000000, 0x1)
    /* slt / sltu: signed vs unsigned compare */
    TEST_RR(15, slt, 0x0, 0x0, 0x0)
    TEST_RR(16, slt, 0x1, 0x0, 0x1)
    TEST_RR(17, slt, 0x0, 0x1, 0x0)
    TEST_RR(18, slt, 0x1, 0xffffffffffffffff, 0x0)
    TEST_RR(19, slt, 0x0, 0x0, 0xffffffffffffffff)
    TEST_RR(20, slt, 0x1, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(21, slt, 0x0, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_RR(22, sltu, 0x0, 0x0, 0x0)
    TEST_RR(23, sltu, 0x1, 0x0, 0x1)
    TEST_RR(24, sltu, 0x0, 0xffffffffffffffff, 0x0)
    TEST_RR(25, sltu, 0x1, 0x0, 0xffffffffffffffff)
    TEST_RR(26, sltu, 0x0, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(27, sltu, 0x1, 0xfffffffffffffffe, 0xffffffffffffffff)
    /* logic */
    TEST_RR(28, xor, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0)
    TEST_RR(29, xor, 0x0, 0x123456789abcdef0, 0x123456789abcdef0)
    TEST_RR(30, or, 0xfff0fff0fff0fff0, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0)
    TEST_RR(31, or, 0x0, 0x0, 0x0)
    TEST_RR(32, and, 0xf000f000f000f00, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0)
    TEST_RR(33, and, 0x8000000000000001, 0xffffffffffffffff, 0x8000000000000001)
    /* shifts: only rs2[5:0] counts */
    TEST_RR(34, sll, 0x1, 0x1, 0x0)
    TEST_RR(35, sll, 0x2, 0x1, 0x1)
    TEST_RR(36, sll, 0x80000000, 0x1, 0x1f)
    TEST_RR(37, sll, 0x100000000, 0x1, 0x20)
    TEST_RR(38, sll, 0x8000000000000000, 0x1, 0x3f)
    TEST_RR(39, sll, 0xffffffffffffff80, 0xffffffffffffffff, 0x7)
    TEST_RR(40, sll, 0x21212121, 0x21212121, 0x40)
    TEST_RR(41, sll, 0x42424242, 0x21212121, 0x41)
    TEST_RR(42, sll, 0x2121212100000000, 0x21212121, 0xffffffffffffffe0)
    TEST_RR(43, srl, 0x8000000000000000, 0x8000000000000000, 0x0)
    TEST_RR(44, srl, 0x4000000000000000, 0x8000000000000000, 0x1)
    TEST_RR(45, srl, 0x1, 0x8000000000000000, 0x3f)
    TEST_RR(46, srl, 0xffffffff, 0xffffffffffffffff, 0x20)
    TEST_RR(47, srl, 0x1ffffffffffffff, 0xffffffffffffffff, 0x47)
    TEST_RR(48, sra, 0xc000000000000000, 0x8000000000000000, 0x1)
    TEST_RR(49, sra, 0xffffffffffffffff, 0x8000000000000000, 0x3f)
    TEST_RR(50, sra, 0x1, 0x7fffffffffffffff, 0x3e)
    TEST_RR(51, sra, 0xffffffffffffffff, 0xffffffff00000000, 0x20)
    TEST_RR(52, sra, 0xffffffffffffffff, 0x8000000000000000, 0x7f)
    /* W forms: 32-bit result sign-extended, upper source bits ignored */
    TEST_RR(53, addw, 0xffffffff80000000, 0x7fffffff, 0x1)
    TEST_RR(54, addw, 0x0, 0xffffffff, 0x1)
    TEST_RR(55, addw, 0x10, 0x123456780000000f, 0x8765432100000001)
    TEST_RR(56, addw, 0x0, 0x80000000, 0x80000000)
    TEST_RR(57, subw, 0xffffffffffffffff, 0x0, 0x1)
    TEST_RR(58, subw, 0x7fffffff, 0x80000000, 0x1)
    TEST_RR(59, subw, 0x2, 0xffffffff00000005, 0x100000003)
    TEST_RR(60, sllw, 0xffffffff80000000, 0x1, 0x1f)
    TEST_RR(61, sllw, 0x1, 0x1, 0x20)
    TEST_RR(62, sllw, 0x2, 0x1, 0x21)
    TEST_RR(63, sllw, 0xffffffffffff0000, 0xffffffff, 0x10)
    TEST_RR(64, sllw, 0x2, 0x180000001, 0x1)
    TEST_RR(65, srlw, 0xffffffff80000000, 0x80000000, 0x0)
    TEST_RR(66, srlw, 0x40000000, 0x80000000, 0x1)
    TEST_RR(67, srlw, 0x1, 0xffffffff80000000, 0x1f)
    TEST_RR(68, srlw, 0x1234567, 0xffffffff12345678, 0x24)
    TEST_RR(69, srlw, 0xffffffffffffffff, 0xffffffffffffffff, 0x0)
    TEST_RR(70, sraw, 0xffffffff80000000, 0x80000000, 0x0)
    TEST_RR(71, sraw, 0xffffffffc0000000, 0x80000000, 0x1)
    TEST_RR(72, sraw, 0xffffffffffffffff, 0x80000000, 0x1f)
    TEST_RR(73, sraw, 0x1, 0x7fffffff, 0x1e)
    TEST_RR(74, sraw, 0xffffffffffffffff, 0xffffffff, 0x21)
    TEST_RR(75, sraw, 0x0, 0x1234567800000000, 0x4)
    /* immediates: 12-bit sign-extended */
    TEST_RI(76, addi, 0x0, 0x0, 0)
    TEST_RI(77, addi, 0x2, 0x1, 1)
    TEST_RI(78, addi, 0x2, 0x3, -1)
    TEST_RI(79, addi, 0x7ff, 0x0, 2047)
    TEST_RI(80, addi, 0xfffffffffffff800, 0x0, -2048)
    TEST_RI(81, addi, 0x8000000000000000, 0x7fffffffffffffff, 1)
    TEST_RI(82, addi, 0x0, 0xffffffffffffffff, 1)
    TEST_RI(83, slti, 0x0, 0x0, -1)
    TEST_RI(84, slti, 0x1, 0xffffffffffffffff, 0)
    TEST_RI(85, slti, 0x1, 0x5, 2047)
    TEST_RI(86, slti, 0x1, 0x8000000000000000, -2048)
    TEST_RI(87, sltiu, 0x1, 0x0, -1)
    TEST_RI(88, sltiu, 0x1, 0xfffffffffffffffe, -1)
    TEST_RI(89, sltiu, 0x0, 0xffffffffffffffff, -1)
    TEST_RI(90, sltiu, 0x1, 0x5, 6)
    TEST_RI(91, sltiu, 0x1, 0x0, 1)
    TEST_RI(92, xori, 0xff00ff00ff00ff00, 0xff00ff00ff00ff, -1)
    TEST_RI(93, xori, 0xff00ff00ff07f0, 0xff00ff00ff00ff, 1807)
    TEST_RI(94, ori, 0xffffffffffffff0f, 0xff00ff00ff00ff00, -241)
    TEST_RI(95, ori, 0x7ff, 0x0, 2047)
    TEST_RI(96, andi, 0xff00ff00ff00ff00, 0xff00ff00ff00ff00, -256)
    TEST_RI(97, andi, 0x700, 0xff00ff00ff00ff00, 1807)
    TEST_RI(98, andi, 0xfffffffffffff800, 0xffffffffffffffff, -2048)
    TEST_RI(99, slli, 0x1, 0x1, 0)
    TEST_RI(100, slli, 0x8000000000000000, 0x1, 63)
    TEST_RI(101, slli, 0x2121212100000000, 0x21212121, 32)
    TEST_RI(102, slli, 0xffffffffffffc000, 0xffffffffffffffff, 14)
    TEST_RI(103, srli, 0x1, 0x8000000000000000, 63)
    TEST_RI(104, srli, 0x7fffffffffffffff, 0xffffffffffffffff, 1)
    TEST_RI(105, srli, 0x80000000, 0x8000000000000001, 32)
    TEST_RI(106, srai, 0xffffffffffffffff, 0x8000000000000000, 63)
    TEST_RI(107, srai, 0xc000000000000000, 0x8000000000000000, 1)
    TEST_RI(108, srai, 0x7fffff, 0x7fffffffffffffff, 40)
    TEST_RI(109, srai, 0xffffffffffffffff, 0xffffffff00000000, 32)
    TEST_RI(110, addiw, 0xffffffff80000000, 0x7fffffff, 1)
    TEST_RI(111, addiw, 0xffffffffffffffff, 0xffffffff, 0)
    TEST_RI(112, addiw, 0x23456788, 0x123456789, -1)
    TEST_RI(113, addiw, 0xfffffffffffff800, 0x0, -2048)
    TEST_RI(114, addiw, 0x7fffffff, 0xffffffff80000000, -1)
    TEST_RI(115, slliw, 0xffffffff80000000, 0x1, 31)
    TEST_RI(116, slliw, 0x2, 0x180000001, 1)
    TEST_RI(117, slliw, 0xffffffffffffffff, 0xffffffff, 0)
    TEST_RI(118, srliw, 0x1, 0x80000000, 31)
    TEST_RI(119, srliw, 0xffffffff80000000, 0xffffffff80000000, 0)
    TEST_RI(120, srliw, 0x123, 0xffffffff00001234, 4)
    TEST_RI(121, sraiw, 0xffffffffffffffff, 0x80000000, 31)
    TEST_RI(122, sraiw, 0xffffffff80000000, 0x80000000, 0)
    TEST_RI(123, sraiw, 0x7, 0x70000000, 28)
    TEST_RI(124, sraiw, 0xffffffffff000000, 0xfffffffff0000000, 4)

    /* rd == rs2 and rs1 == rs2 */
    TEST_CASE(125, a2, 0xfffffffffffffffb, li a1, 3; li a2, 8; sub a2, a1, a2)
    TEST_CASE(126, a1, 14, li a1, 7; add a1, a1, a1)
    TEST_CASE(127, a1, 0, li a1, 0x1234; sub a1, a1, a1)
    TEST_CASE(128, a1, 0x1234, li a1, 0x1234; and a1, a1, a1)
    TEST_CASE(129, a1, 0x40, li a1, 4; sll a1, a1, a1)
    TEST_CASE(130, a2, 0xfffffffffffffffe, li a1, 0x3f; li a2, -1; sll a2, a2, a1; srai a2, a2, 62)

    /* x0 as destination stays zero; x0 as source reads zero */
    TEST_CASE(131, x0, 0, li a1, 5; add x0, a1, a1)
    TEST_CASE(132, x0, 0, addi x0, x0, 123)
    TEST_CASE(133, x0, 0, lui x0, 0x12345)
    TEST_CASE(134, x0, 0, auipc x0, 1)
    TEST_CASE(135, a0, 0xfffffffffffffff9, li a1, 7; sub a0, x0, a1)
    TEST_CASE(136, a0, 7, li a1, 7; or a0, a1, x0)
    TEST_CASE(137, a0, 1, li a1, 7; sltu a0, x0, a1)
    TEST_CASE(138, a0, 0, li a1, 7; sltu a0, a1, x0)
    TEST_CASE(139, a0, 0xffffffffffffffff, addiw a0, x0, -1)

    /* lui: imm << 12, sign-extended from bit 31 on RV64 */
    TEST_CASE(140, a0, 0, lui a0, 0)
    TEST_CASE(141, a0, 0x1000, lui a0, 1)
    TEST_CASE(142, a0, 0x7ffff000, lui a0, 0x7ffff)
    TEST_CASE(143, a0, 0xffffffff80000000, lui a0, 0x80000)
    TEST_CASE(144, a0, 0xfffffffffffff000, lui a0, 0xfffff)
    TEST_CASE(145, a0, 0xffffffff80000800, lui a0, 0x80000; addi a0, a0, 0x7ff; addi a0, a0, 1)
    /* lui + addiw make any 32-bit constant */
    TEST_CASE(146, a0, 0x7fffffff, lui a0, 0x80000; addiw a0, a0, -1)

    /* auipc: pc + (imm << 12), sign-extended */
    TEST_NUM(147)
1:  auipc a0, 0
    la a1, 1b
    CHECK_REGS(a0, a1)
    TEST_NUM(148)
1:  auipc a0, 1
    la a1, 1b
    li a2, 0x1000
    add a1, a1, a2
    CHECK_REGS(a0, a1)
    TEST_NUM(149)
1:  auipc a0, 0xfffff
    la a1, 1b
    li a2, -0x1000
    add a1, a1, a2
    CHECK_REGS(a0, a1)
    TEST_NUM(150)
1:  auipc a0, 0x80000      /* pc - 2 GiB: wraps below 0 on a 64-bit pc */
    la a1, 1b
    li a2, 0xffffffff80000000
    add a1, a1, a2
    CHECK_REGS(a0, a1)

    /* dependent chain through every register (forwarding / allocation) */
    TEST_NUM(151)
    li x1, 1
    add x2, x1, x1
    add x4, x2, x1
    add x5, x4, x1
    add x6, x5, x1
    add x7, x6, x1
    add x8, x7, x1
    add x9, x8, x1
    add x10, x9, x1
    add x11, x10, x1
    add x12, x11, x1
    add x13, x12, x1
    add x14, x13, x1
    add x15, x14, x1
    add x16, x15, x1
    add x17, x16, x1
    add x18, x17, x1
    add x19, x18, x1
    add x20, x19, x1
    add x21, x20, x1
    add x22, x21, x1
    add x23, x22, x1
    add x24, x23, x1
    add x25, x24, x1
    add x26, x25, x1
    add x27, x26, x1
    add x28, x27, x1
    add x29, x28, x1
    add x30, x29, x1
    CHECK_EQ(x30, 29)
    add x31, x30, x2
    li x1, 31
    CHECK_REGS(x31, x1)
    CHECK_EQ(x2, 2)
    CHECK_EQ(x16, 15)

    /* 64-bit constants through li (lui/addi/slli sequences) */
    TEST_CASE(152, a0, 0x123456789abcdef0, li a0, 0x123456789abcdef0)
    TEST_CASE(153, a0, 0x8000000000000000, li a0, 0x8000000000000000)
    TEST_CASE(154, a0, 0xffffffff7fffffff, li a0, 0xffffffff7fffffff)

    /* nop does nothing */
    TEST_NUM(155)
    li a0, 42
    nop
    addi x0, x0, 0
    CHECK_EQ(a0, 42)

    PASS
