/* RV64C: every compressed instruction of RV64GC, checked for its result,
 * with immediate extremes and sign extension (c.li, c.lui, c.addi,
 * c.addiw, c.addi16sp, c.addi4spn, c.andi, shifts by 1..63), the
 * register-register ops on x8-x15, loads/stores (int and double) with
 * their largest offsets, c.j / c.jr / c.jalr links (pc + 2) and c.beqz /
 * c.bnez, c.ebreak (cause 3, epc), 32-bit instructions at 2-byte aligned
 * addresses including one that straddles a 4 KiB page boundary, HINT
 * encodings executing as no-ops, and reserved encodings raising illegal
 * instruction with mtval = the 16-bit encoding.
 * Spec: unprivileged ISA chapter 16 ("C" Standard Extension). */
#include "common.h"

/* Reserved 16-bit encoding: illegal instruction, mtval = the encoding. */
#define TEST_C_ILLEGAL(n, enc) \
    TEST_NUM(n); TRAP_RESUME 10009f; 10010: .hword enc; j fail; 10009: \
    CHECK_TRAP CAUSE_ILLEGAL_INSN, enc; CHECK_TRAP_EPC 10010b
/* HINT encoding: executes as a no-op (no trap, registers unchanged). */
#define TEST_C_HINT(n, enc) \
    TEST_NUM(n); li a0, 0x1234; li t0, 0x5678; .hword enc; CHECK_EQ(a0, 0x1234); \
    CHECK_EQ(t0, 0x5678); CHECK_EQ(x0, 0)

    .option rvc
    .text
    .globl test_main
test_main:
    /* c.li: 6-bit signed immediate */
    TEST_CASE(1, a0, 31, li a0, 0; c.li a0, 31)
    TEST_CASE(2, a0, -32, li a0, 0; c.li a0, -32)
    TEST_CASE(3, t0, 0, li t0, 7; c.li t0, 0)
    /* c.lui: nzimm[17:12], sign-extended from bit 17 */
    TEST_CASE(4, a0, 0x1000, c.lui a0, 1)
    TEST_CASE(5, a0, 0x1f000, c.lui a0, 0x1f)
    TEST_CASE(6, a0, 0xfffffffffffe0000, c.lui a0, 0xfffe0)
    TEST_CASE(7, a0, 0xfffffffffffff000, c.lui a0, 0xfffff)
    TEST_CASE(8, t1, 0xfffffffffffe1000, c.lui t1, 0xfffe1)
    /* c.addi */
    TEST_CASE(9, a0, 0, li a0, 1; c.addi a0, -1)
    TEST_CASE(10, a0, 0x8000000000000000, li a0, 0x7fffffffffffffe1; c.addi a0, 31)
    TEST_CASE(11, t2, -33, li t2, -1; c.addi t2, -32)
    /* c.addiw: 32-bit add, sign-extended; c.addiw rd, 0 is sext.w */
    TEST_CASE(12, a0, 0xffffffff80000000, li a0, 0x7fffffff; c.addiw a0, 1)
    TEST_CASE(13, a0, 0xffffffffffffffff, li a0, 0x00000000ffffffff; c.addiw a0, 0)
    TEST_CASE(14, a0, 0x7fffffff, li a0, 0x1234567880000000; c.addiw a0, -1)
    /* c.addi16sp: sp += nzimm (multiple of 16, -512..496) */
    TEST_NUM(15)
    mv s11, sp
    li sp, 0x1000
    c.addi16sp sp, 496
    CHECK_EQ(sp, 0x11f0)
    c.addi16sp sp, -512
    CHECK_EQ(sp, 0xff0)
    c.addi16sp sp, 16
    CHECK_EQ(sp, 0x1000)
    /* c.addi4spn: rd' = sp + nzuimm (multiple of 4, 4..1020) */
    TEST_NUM(16)
    c.addi4spn a0, sp, 1020
    CHECK_EQ(a0, 0x13fc)
    c.addi4spn s1, sp, 4
    CHECK_EQ(s1, 0x1004)
    c.addi4spn a5, sp, 512
    CHECK_EQ(a5, 0x1200)
    mv sp, s11
    /* shifts: shamt 1..63 */
    TEST_CASE(17, a0, 0x8000000000000000, li a0, 1; c.slli a0, 63)
    TEST_CASE(18, t3, 0x0000000200000000, li t3, 2; c.slli t3, 32)
    TEST_CASE(19, ra, 0xfffffffffffffffe, li ra, -1; c.slli ra, 1)
    TEST_CASE(20, a0, 1, li a0, 0x8000000000000000; c.srli a0, 63)
    TEST_CASE(21, s0, 0xffffffff, li s0, -1; c.srli s0, 32)
    TEST_CASE(22, a5, 0x4000000000000000, li a5, 0x8000000000000000; c.srli a5, 1)
    TEST_CASE(23, a0, -1, li a0, 0x8000000000000000; c.srai a0, 63)
    TEST_CASE(24, a1, 0xffffffff80000000, li a1, 0x8000000000000000; c.srai a1, 32)
    TEST_CASE(25, a2, 0x3fffffffffffffff, li a2, 0x7fffffffffffffff; c.srai a2, 1)
    /* c.andi: 6-bit signed immediate */
    TEST_CASE(26, a0, 0xffffffffffffffe0, li a0, -1; c.andi a0, -32)
    TEST_CASE(27, a3, 0x1f, li a3, -1; c.andi a3, 31)
    TEST_CASE(28, s1, 0, li s1, 0x40; c.andi s1, 31)
    /* register-register, x8..x15 */
    TEST_CASE(29, a0, 0xfffffffffffffffd, li a0, 2; li a1, 5; c.sub a0, a1)
    TEST_CASE(30, s0, 0xffff0000ff, li s0, 0xffff0000; li s1, 0xff00ff00ff; c.xor s0, s1)
    TEST_CASE(31, a4, 0xff00ffff00ff, li a4, 0xff00ff0000ff; li a5, 0x0000ffff0000; c.or a4, a5)
    TEST_CASE(32, a2, 0xf00ff00, li a2, 0x0ff00ff0ff00; li a3, 0xff00ff00; c.and a2, a3)
    TEST_CASE(33, a0, 0xffffffff80000000, li a0, 0x7fffffff; li a1, 1; c.addw a0, a1)
    TEST_CASE(34, a0, 0x7fffffff, li a0, 0x80000000; li a1, 1; c.subw a0, a1)
    TEST_CASE(35, a0, 0xfffffffffffffffe, li a0, 0x1ffffffff; li a1, 0x300000001; c.subw a0, a1)
    TEST_CASE(36, a0, 0, li a0, 0xffffffff; li a1, 1; c.addw a0, a1)
    /* c.mv / c.add: any registers */
    TEST_CASE(37, t4, 0x123456789, li t4, 0; li s9, 0x123456789; c.mv t4, s9)
    TEST_CASE(38, t0, 0x1000000000, li t0, 0xfffffffff; li gp, 1; c.add t0, gp)
    TEST_CASE(39, s10, 0, li s10, -5; li s2, 5; c.add s10, s2)
    TEST_CASE(40, a0, 2, li a0, 1; c.add a0, a0)

    /* c.lw / c.ld / c.sw / c.sd: offsets up to 124 / 248 */
    TEST_NUM(41)
    la a1, cdata
    c.lw a0, 0(a1)
    CHECK_EQ(a0, 0xffffffff87654321)
    c.lw a0, 124(a1)
    CHECK_EQ(a0, 0x7edcba98)
    c.ld a0, 8(a1)
    CHECK_EQ(a0, 0x0123456789abcdef)
    c.ld a0, 248(a1)
    CHECK_EQ(a0, 0x8000000000000001)
    TEST_NUM(42)
    la s0, cbuf
    li a2, 0x1122334455667788
    c.sd a2, 248(s0)
    c.sw a2, 124(s0)
    c.sw a2, 0(s0)
    ld a0, 248(s0)
    CHECK_EQ(a0, 0x1122334455667788)
    lwu a0, 124(s0)
    CHECK_EQ(a0, 0x55667788)
    ld a0, 0(s0)
    CHECK_EQ(a0, 0x55667788)      /* cbuf starts zeroed */
    /* c.fld / c.fsd */
    TEST_NUM(43)
    la a1, cdata
    c.fld fa0, 8(a1)
    c.fld fs1, 248(a1)
    la s0, cbuf
    c.fsd fa0, 16(s0)
    c.fsd fs1, 248(s0)
    ld a0, 16(s0)
    CHECK_EQ(a0, 0x0123456789abcdef)
    ld a0, 248(s0)
    CHECK_EQ(a0, 0x8000000000000001)
    /* sp-relative: c.lwsp / c.ldsp / c.fldsp up to 252 / 504 / 504 */
    TEST_NUM(44)
    mv s11, sp
    la sp, cdata
    c.lwsp a0, 4(sp)
    CHECK_EQ(a0, 0xffffffff89abcdef)
    c.lwsp t5, 252(sp)
    li t6, 0xffffffff80000000
    bne t5, t6, fail
    c.ldsp a0, 504(sp)
    CHECK_EQ(a0, 0xfedcba9876543210)
    c.ldsp ra, 0(sp)
    CHECK_EQ(ra, 0x89abcdef87654321)
    c.fldsp ft0, 504(sp)
    fmv.x.d a0, ft0
    CHECK_EQ(a0, 0xfedcba9876543210)
    /* c.swsp / c.sdsp / c.fsdsp */
    TEST_NUM(45)
    la sp, cbuf
    li a2, 0xa1a2a3a4a5a6a7a8
    c.sdsp a2, 504(sp)
    c.swsp a2, 252(sp)
    c.fsdsp ft0, 32(sp)
    mv sp, s11
    la a1, cbuf
    ld a0, 504(a1)
    CHECK_EQ(a0, 0xa1a2a3a4a5a6a7a8)
    lw a0, 252(a1)
    CHECK_EQ(a0, 0xffffffffa5a6a7a8)
    ld a0, 32(a1)
    CHECK_EQ(a0, 0xfedcba9876543210)

    /* c.j forward and backward */
    TEST_NUM(46)
    li a0, 0
    c.j 2f
1:  addi a0, a0, 1
    c.j 3f
2:  c.j 1b
    j fail
3:  CHECK_EQ(a0, 1)
    /* c.jr */
    TEST_NUM(47)
    la t0, 1f
    c.jr t0
    j fail
1:
    /* c.jalr: ra = pc + 2 */
    TEST_NUM(48)
    la t0, 1f
    c.jalr t0
2:  j fail
1:  la a1, 2b
    CHECK_REGS(ra, a1)
    /* c.jalr with rs1 == ra: target is the old ra */
    TEST_NUM(49)
    la ra, 1f
    c.jalr ra
2:  j fail
1:  la a1, 2b
    CHECK_REGS(ra, a1)
    /* c.beqz / c.bnez */
    TEST_NUM(50)
    li s0, 0
    c.beqz s0, 1f
    j fail
1:  c.bnez s0, fail_near
    li a5, -1
    c.bnez a5, 1f
    j fail
1:  c.beqz a5, fail_near
    li a4, 0x100000000          /* nonzero only in the upper half */
    c.beqz a4, fail_near
    /* backward c.bnez loop */
    TEST_NUM(51)
    li a0, 0
    li a1, 5
1:  c.addi a0, 2
    c.addi a1, -1
    c.bnez a1, 1b
    CHECK_EQ(a0, 10)
    /* c.nop */
    TEST_CASE(52, a0, 9, li a0, 9; c.nop)

    /* c.ebreak: breakpoint, epc = the c.ebreak; mtval 0 or the pc (both
     * allowed; QEMU 7.2 writes 0) */
    TEST_NUM(53)
    TRAP_RESUME 2f
1:  c.ebreak
    j fail
2:  CHECK_TRAP_CAUSE CAUSE_BREAKPOINT
    CHECK_TRAP_EPC 1b
    la t5, trap_rec
    ld t5, TR_TVAL(t5)
    beqz t5, 3f
    CHECK_TRAP_TVAL_ADDR 1b
3:
    /* TRAP_SKIP steps over a 2-byte instruction */
    TEST_NUM(54)
    TRAP_SKIP
    li a0, 0
    c.ebreak
    addi a0, a0, 1
    CHECK_EQ(a0, 1)
    CHECK_TRAP_CAUSE CAUSE_BREAKPOINT

    /* 32-bit instructions at addresses that are 2 mod 4 */
    TEST_NUM(55)
    li a0, 0
    .balign 4
    c.nop
    addi a0, a0, 1
    lui a1, 0x12345
    c.nop
    addi a0, a0, 1
    CHECK_EQ(a0, 2)
    CHECK_EQ(a1, 0x12345000)
    /* a 32-bit instruction straddling a 4 KiB page boundary */
    TEST_NUM(56)
    li a0, 0
    call cross_page
    CHECK_EQ(a0, 0x7ff)
    CHECK_EQ(a1, 1)

    /* reserved encodings */
    TEST_C_ILLEGAL(57, 0x0000)      /* all zeros */
    TEST_C_ILLEGAL(58, 0x0004)      /* c.addi4spn s1, sp, 0 */
    TEST_C_ILLEGAL(59, 0x6501)      /* c.lui a0, 0 */
    TEST_C_ILLEGAL(60, 0x6101)      /* c.addi16sp 0 */
    TEST_C_ILLEGAL(61, 0x8002)      /* c.jr x0 */
    TEST_C_ILLEGAL(62, 0x4002)      /* c.lwsp x0 */
    TEST_C_ILLEGAL(63, 0x6002)      /* c.ldsp x0 */
    TEST_C_ILLEGAL(64, 0x2001)      /* c.addiw x0 */
    /* HINTs */
    TEST_C_HINT(65, 0x4015)         /* c.li x0, 5 */
    TEST_C_HINT(66, 0x802a)         /* c.mv x0, a0 */
    TEST_C_HINT(67, 0x902a)         /* c.add x0, a0 */
    TEST_C_HINT(68, 0x0005)         /* c.nop 1 */
    TEST_C_HINT(69, 0x0501)         /* c.addi a0, 0 */
    TEST_C_HINT(70, 0x0002 | (1 << 12))  /* c.slli x0, 32 */

    PASS

fail_near:
    j fail

    .balign 4096
    .globl cross_page
cross_page:
    .fill 2045, 2, 0x0001           /* c.nop up to page end - 6 */
    c.li a1, 1                      /* page end - 6 */
    c.nop                           /* page end - 4 */
    addi a0, a0, 0x7ff              /* page end - 2 .. page end + 2 */
    ret

    .data
    .balign 64
cdata:
    .dword 0x89abcdef87654321       /* 0 */
    .dword 0x0123456789abcdef       /* 8 */
    .org cdata + 120
    .word 0, 0x7edcba98             /* 120, 124 */
    .org cdata + 248
    .dword 0x8000000000000001       /* 248 (word at 252: 0x80000000) */
    .org cdata + 504
    .dword 0xfedcba9876543210       /* 504 */
    .balign 64
cbuf:
    .skip 512
