/* The x86-64 encoder against the bytes GNU as emits for the same
 * instructions (expected bytes from `as --64` + objdump, Intel syntax in
 * the comments), covering each addressing-mode corner: SIB for rsp/r12,
 * a zero disp8 for rbp/r13, disp8 vs disp32, index registers, REX for
 * r8-r15 and for the byte registers sil/dil. */
#include "cpu/jit/x64_emit.h"
#include "cpu/jit/x64_emit_sse.h"

#include "ut.h"

#include <string.h>

UT_MAIN_STATE

static uint8_t mem[64];

static struct x64_buf fresh(void)
{
    memset(mem, 0xcc, sizeof(mem));
    return (struct x64_buf){mem, mem, mem + sizeof(mem), false};
}

static void expect(const struct x64_buf *b, const uint8_t *want, size_t n, const char *what)
{
    bool ok = !b->full && x64_offset(b) == n && memcmp(b->start, want, n) == 0;
    if (!ok) {
        fprintf(stderr, "  %s: got", what);
        for (size_t k = 0; k < x64_offset(b); k++)
            fprintf(stderr, " %02x", b->start[k]);
        fprintf(stderr, "\n");
    }
    UT_CHECK(ok);
}

#define EXPECT(stmt, ...)                                                                          \
    do {                                                                                           \
        struct x64_buf b_ = fresh();                                                               \
        struct x64_buf *b = &b_;                                                                   \
        stmt;                                                                                      \
        static const uint8_t want_[] = {__VA_ARGS__};                                              \
        expect(b, want_, sizeof(want_), #stmt);                                                    \
    } while (0)

static void test_moves(void)
{
    EXPECT(x64_mov_rr(b, true, X64_RBX, X64_RDI), 0x48, 0x89, 0xfb); /* mov rbx, rdi */
    EXPECT(x64_mov_rr(b, false, X64_R8, X64_RAX), 0x41, 0x89, 0xc0); /* mov r8d, eax */
    EXPECT(x64_mov_imm(b, X64_RAX, 0), 0x31, 0xc0);                  /* xor eax, eax */
    EXPECT(x64_mov_imm(b, X64_RCX, 0x12345678), 0xb9, 0x78, 0x56, 0x34, 0x12);
    EXPECT(x64_mov_imm(b, X64_RAX, (uint64_t)-5), 0x48, 0xc7, 0xc0, 0xfb, 0xff, 0xff, 0xff);
    EXPECT(x64_mov_imm(b, X64_R9, 0x123456789aULL), 0x49, 0xb9, 0x9a, 0x78, 0x56, 0x34, 0x12, 0, 0,
           0); /* movabs r9, 0x123456789a */
    EXPECT(x64_movsxd(b, X64_RAX, X64_RAX), 0x48, 0x63, 0xc0);
    EXPECT(x64_movzx8(b, X64_RAX, X64_RAX), 0x0f, 0xb6, 0xc0);
}

static void test_memory_operands(void)
{
    EXPECT(x64_load(b, true, X64_RAX, x64_m(X64_RBX, 0x10)), 0x48, 0x8b, 0x43, 0x10);
    EXPECT(x64_load(b, true, X64_RAX, x64_m(X64_RBX, 0x1000)), 0x48, 0x8b, 0x83, 0, 0x10, 0, 0);
    EXPECT(x64_load(b, false, X64_RDX, x64_m(X64_RSP, 0)), 0x8b, 0x14, 0x24);      /* SIB for rsp */
    EXPECT(x64_load(b, true, X64_R12, x64_m(X64_R13, 0)), 0x4d, 0x8b, 0x65, 0x00); /* disp8 0 */
    EXPECT(x64_store(b, true, x64_m(X64_RBX, 0x108), X64_RCX), 0x48, 0x89, 0x8b, 0x08, 0x01, 0, 0);
    EXPECT(x64_store_imm(b, true, x64_m(X64_RBX, 8), -1), 0x48, 0xc7, 0x43, 0x08, 0xff, 0xff, 0xff,
           0xff);
    EXPECT(x64_store_imm(b, false, x64_m(X64_R12, 4), 7), 0x41, 0xc7, 0x44, 0x24, 0x04, 7, 0, 0, 0);
    EXPECT(x64_load(b, true, X64_RAX, x64_mi(X64_R10, X64_R11, 3, 16)), 0x4b, 0x8b, 0x44, 0xda,
           0x10); /* mov rax, [r10+r11*8+16] */
    EXPECT(x64_lea(b, true, X64_RSI, x64_m(X64_RSI, -8)), 0x48, 0x8d, 0x76, 0xf8);
}

static void test_sized_access(void)
{
    struct x64_mem m = x64_mi(X64_RDX, X64_RSI, 0, 0);
    EXPECT(x64_load_ext(b, X64_RAX, m, 1, true), 0x48, 0x0f, 0xbe, 0x04, 0x32);
    EXPECT(x64_load_ext(b, X64_RAX, m, 2, false), 0x0f, 0xb7, 0x04, 0x32);
    EXPECT(x64_load_ext(b, X64_RAX, m, 4, true), 0x48, 0x63, 0x04, 0x32);
    EXPECT(x64_load_ext(b, X64_RAX, m, 4, false), 0x8b, 0x04, 0x32);
    EXPECT(x64_store_sized(b, m, X64_RSI, 1), 0x40, 0x88, 0x34, 0x32); /* mov [rdx+rsi], sil */
    EXPECT(x64_store_sized(b, m, X64_RAX, 2), 0x66, 0x89, 0x04, 0x32);
    EXPECT(x64_store_sized(b, m, X64_RAX, 4), 0x89, 0x04, 0x32);
    EXPECT(x64_store_sized(b, m, X64_RAX, 8), 0x48, 0x89, 0x04, 0x32);
}

static void test_alu(void)
{
    EXPECT(x64_alu_rr(b, true, X64_ADD, X64_RAX, X64_RCX), 0x48, 0x01, 0xc8);
    EXPECT(x64_alu_rr(b, false, X64_SUB, X64_R8, X64_R15), 0x45, 0x29, 0xf8);
    EXPECT(x64_alu_ri(b, true, X64_ADD, X64_RSI, 100), 0x48, 0x83, 0xc6, 0x64);
    EXPECT(x64_alu_ri(b, false, X64_AND, X64_RCX, 0xff0), 0x81, 0xe1, 0xf0, 0x0f, 0, 0);
    EXPECT(x64_alu_ri(b, true, X64_AND, X64_RAX, -2), 0x48, 0x83, 0xe0, 0xfe);
    EXPECT(x64_alu_rm(b, true, X64_CMP, X64_RDX, x64_mi(X64_RAX, X64_RCX, 0, 4096)), 0x48, 0x3b,
           0x94, 0x08, 0x00, 0x10, 0, 0);
    EXPECT(x64_alu_rm(b, true, X64_OR, X64_RAX, x64_m(X64_RBX, 0x200)), 0x48, 0x0b, 0x83, 0, 2, 0,
           0);
    EXPECT(x64_alu_mi(b, false, X64_CMP, x64_m(X64_RBX, 0x30), 0), 0x83, 0x7b, 0x30, 0x00);
    EXPECT(x64_alu_mi(b, true, X64_ADD, x64_m(X64_RBX, 0x38), 1), 0x48, 0x83, 0x43, 0x38, 0x01);
    EXPECT(x64_alu_mi(b, true, X64_OR, x64_m(X64_RBX, 0x10), 0x6000), 0x48, 0x81, 0x4b, 0x10, 0x00,
           0x60, 0, 0);
    EXPECT(x64_test_rr(b, false, X64_RAX, X64_RAX), 0x85, 0xc0);
    EXPECT(x64_test_rm(b, true, X64_RAX, x64_m(X64_RBX, 0x40)), 0x48, 0x85, 0x43, 0x40);
    EXPECT(x64_shift_ri(b, true, X64_SHL, X64_RAX, 3), 0x48, 0xc1, 0xe0, 0x03);
    EXPECT(x64_shift_ri(b, false, X64_SAR, X64_RAX, 31), 0xc1, 0xf8, 0x1f);
    EXPECT(x64_shift_cl(b, true, X64_SHR, X64_R9), 0x49, 0xd3, 0xe9);
    EXPECT(x64_imul_rr(b, true, X64_RAX, X64_RCX), 0x48, 0x0f, 0xaf, 0xc1);
    EXPECT(x64_mul_wide(b, true, X64_RCX), 0x48, 0xf7, 0xe9);  /* imul rcx */
    EXPECT(x64_mul_wide(b, false, X64_RCX), 0x48, 0xf7, 0xe1); /* mul rcx */
    EXPECT(x64_setcc(b, X64_CC_L, X64_RAX), 0x0f, 0x9c, 0xc0);
    EXPECT(x64_setcc(b, X64_CC_B, X64_RSI), 0x40, 0x0f, 0x92, 0xc6); /* setb sil */
}

static void test_control(void)
{
    EXPECT(x64_push(b, X64_RBX), 0x53);
    EXPECT(x64_push(b, X64_R15), 0x41, 0x57);
    EXPECT(x64_pop(b, X64_R12), 0x41, 0x5c);
    EXPECT(x64_call_r(b, X64_RAX), 0xff, 0xd0);
    EXPECT(x64_jmp_r(b, X64_RSI), 0xff, 0xe6);
    EXPECT(x64_ret(b), 0xc3);
    EXPECT(x64_mfence(b), 0x0f, 0xae, 0xf0);
    EXPECT(x64_jmp_m(b, x64_mi(X64_RDX, X64_RCX, 0, 16)), 0xff, 0x64, 0x0a, 0x10);
    /* A forward jcc patched to the byte after a 2-byte instruction. */
    EXPECT(
        {
            size_t site = x64_jcc(b, X64_CC_NE);
            x64_ret(b);
            x64_patch_rel32(b->start + site, b->p);
        },
        0x0f, 0x85, 0x01, 0, 0, 0, 0xc3);
    /* A backward jmp to the start of the buffer. */
    EXPECT(
        {
            x64_ret(b);
            size_t site = x64_jmp(b);
            x64_patch_rel32(b->start + site, b->start);
        },
        0xc3, 0xe9, 0xfa, 0xff, 0xff, 0xff);
    /* A call back to the start of the buffer (the JIT's helper stubs). */
    EXPECT(
        {
            x64_ret(b);
            size_t site = x64_call(b);
            x64_patch_rel32(b->start + site, b->start);
        },
        0xc3, 0xe8, 0xfa, 0xff, 0xff, 0xff);
}

static void test_full_buffer(void)
{
    uint8_t small[3];
    struct x64_buf b = {small, small, small + sizeof(small), false};
    x64_mov_imm(&b, X64_RCX, 0x12345678);
    UT_CHECK(b.full);
    UT_EQ(x64_offset(&b), 3);
}

/* The bit-manipulation forms behind Zba/Zbb/Zbs/Zicond (BMI1/BMI2 VEX
 * encodings included). */
static void test_bitmanip(void)
{
    EXPECT(x64_bitcnt(b, true, X64_POPCNT, X64_RAX, X64_RBX), 0xf3, 0x48, 0x0f, 0xb8, 0xc3);
    EXPECT(x64_bitcnt(b, false, X64_POPCNT, X64_R9, X64_R10), 0xf3, 0x45, 0x0f, 0xb8, 0xca);
    EXPECT(x64_bitcnt(b, true, X64_LZCNT, X64_RAX, X64_R13), 0xf3, 0x49, 0x0f, 0xbd, 0xc5);
    EXPECT(x64_bitcnt(b, false, X64_TZCNT, X64_RAX, X64_RCX), 0xf3, 0x0f, 0xbc, 0xc1);
    EXPECT(x64_bitcnt(b, true, X64_BSR, X64_RAX, X64_RBX), 0x48, 0x0f, 0xbd, 0xc3);
    EXPECT(x64_bitcnt(b, false, X64_BSF, X64_RAX, X64_R12), 0x41, 0x0f, 0xbc, 0xc4);
    EXPECT(x64_bswap(b, X64_RAX), 0x48, 0x0f, 0xc8);
    EXPECT(x64_bswap(b, X64_R11), 0x49, 0x0f, 0xcb);
    EXPECT(x64_not(b, true, X64_RAX), 0x48, 0xf7, 0xd0);
    EXPECT(x64_not(b, false, X64_R9), 0x41, 0xf7, 0xd1);
    EXPECT(x64_bt_rr(b, X64_BTS, X64_RAX, X64_RCX), 0x48, 0x0f, 0xab, 0xc8);
    EXPECT(x64_bt_rr(b, X64_BTR, X64_RAX, X64_R12), 0x4c, 0x0f, 0xb3, 0xe0);
    EXPECT(x64_bt_rr(b, X64_BTC, X64_R8, X64_RDX), 0x49, 0x0f, 0xbb, 0xd0);
    EXPECT(x64_bt_rr(b, X64_BT, X64_RBX, X64_RAX), 0x48, 0x0f, 0xa3, 0xc3);
    EXPECT(x64_bt_ri(b, X64_BTS, X64_RAX, 63), 0x48, 0x0f, 0xba, 0xe8, 0x3f);
    EXPECT(x64_bt_ri(b, X64_BT, X64_R13, 5), 0x49, 0x0f, 0xba, 0xe5, 0x05);
    EXPECT(x64_andn(b, X64_RAX, X64_RBX, X64_RCX), 0xc4, 0xe2, 0xe0, 0xf2, 0xc1);
    EXPECT(x64_andn(b, X64_R9, X64_R10, X64_R11), 0xc4, 0x42, 0xa8, 0xf2, 0xcb);
    EXPECT(x64_andn(b, X64_RDX, X64_R14, X64_RBX), 0xc4, 0xe2, 0x88, 0xf2, 0xd3);
    EXPECT(x64_rorx(b, true, X64_RAX, X64_RBX, 33), 0xc4, 0xe3, 0xfb, 0xf0, 0xc3, 0x21);
    EXPECT(x64_rorx(b, false, X64_R8, X64_R12, 7), 0xc4, 0x43, 0x7b, 0xf0, 0xc4, 0x07);
    EXPECT(x64_shift_ri(b, true, X64_ROL, X64_RAX, 3), 0x48, 0xc1, 0xc0, 0x03);
    EXPECT(x64_shift_cl(b, true, X64_ROR, X64_R9), 0x49, 0xd3, 0xc9);
    EXPECT(x64_cmov(b, X64_CC_A, X64_RAX, X64_RCX), 0x48, 0x0f, 0x47, 0xc1);
    EXPECT(x64_cmov(b, X64_CC_G, X64_RAX, X64_RCX), 0x48, 0x0f, 0x4f, 0xc1);
}

/* The SSE forms of the vector emitters: the mandatory prefix before REX,
 * 0F and 0F 38 opcodes, xmm8-15, movq between xmm and general registers. */
static void test_sse(void)
{
    EXPECT(x64_sse_rm(b, X64_MOVDQU_LD, 0, x64_m(X64_RBX, 0x1000)), 0xf3, 0x0f, 0x6f, 0x83, 0, 0x10,
           0, 0); /* movdqu xmm0, [rbx+0x1000] */
    EXPECT(x64_sse_rm(b, X64_MOVDQU_ST, 0, x64_mi(X64_RDX, X64_RSI, 0, 16)), 0xf3, 0x0f, 0x7f, 0x44,
           0x32, 0x10); /* movdqu [rdx+rsi+16], xmm0 */
    EXPECT(x64_sse_rr(b, X64_PADDD, 0, 2), 0x66, 0x0f, 0xfe, 0xc2);
    EXPECT(x64_sse_rr(b, X64_PMULLD, 0, 2), 0x66, 0x0f, 0x38, 0x40, 0xc2);
    EXPECT(x64_sse_rr(b, X64_PMINSB, 2, 1), 0x66, 0x0f, 0x38, 0x38, 0xd1);
    EXPECT(x64_sse_rm(b, X64_MOVDQU_LD, 9, x64_m(X64_R13, 0)), 0xf3, 0x45, 0x0f, 0x6f, 0x4d, 0x00);
    EXPECT(x64_sse_rr(b, X64_PADDQ, 8, 15), 0x66, 0x45, 0x0f, 0xd4, 0xc7);
    EXPECT(x64_movq_xr(b, 1, X64_RAX), 0x66, 0x48, 0x0f, 0x6e, 0xc8);
    EXPECT(x64_movq_rx(b, X64_RAX, 0), 0x66, 0x48, 0x0f, 0x7e, 0xc0);
    EXPECT(x64_movq_xr(b, 9, X64_R10), 0x66, 0x4d, 0x0f, 0x6e, 0xca);
    EXPECT(x64_psrldq(b, 2, 4), 0x66, 0x0f, 0x73, 0xda, 0x04);
    EXPECT(x64_sse_rr(b, X64_PUNPCKLQDQ, 1, 1), 0x66, 0x0f, 0x6c, 0xc9);
    EXPECT(x64_sse_rr(b, X64_MOVDQA_RR, 2, 1), 0x66, 0x0f, 0x6f, 0xd1);
    EXPECT(x64_sse_rr(b, X64_MOVMSKPS, X64_RAX, 3), 0x0f, 0x50, 0xc3); /* no prefix */
    EXPECT(x64_sse_rr(b, X64_PMOVMSKB, X64_RAX, 0), 0x66, 0x0f, 0xd7, 0xc0);
    EXPECT(x64_sse_rr(b, X64_PCMPGTQ, 3, 0), 0x66, 0x0f, 0x38, 0x37, 0xd8);
    EXPECT(x64_sse_rr(b, X64_PACKSSWB, 0, 0), 0x66, 0x0f, 0x63, 0xc0);
    EXPECT(x64_sse_rr(b, X64_MOVMSKPD, X64_RAX, 0), 0x66, 0x0f, 0x50, 0xc0);
}

/* The AVX2 forms, always with the three-byte VEX prefix (GNU as picks the
 * two-byte one where it can; the three-byte bytes are its equivalent). */
static void test_vex(void)
{
    EXPECT(x64_vex_rm(b, X64_MOVDQU_ST, true, 3, 0, x64_mi(X64_RDX, X64_RSI, 0, 32)), 0xc4, 0xe1,
           0x7e, 0x7f, 0x5c, 0x32, 0x20); /* vmovdqu [rdx+rsi+32], ymm3 */
    EXPECT(x64_vex_rr(b, X64_PADDD, true, 0, 0, 2), 0xc4, 0xe1, 0x7d, 0xfe, 0xc2);
    EXPECT(x64_vex_rr(b, X64_PMULLD, true, 4, 1, 3), 0xc4, 0xe2, 0x75, 0x40, 0xe3);
    EXPECT(x64_vex_rr(b, X64_PSUBQ, true, 2, 1, 0), 0xc4, 0xe1, 0x75, 0xfb, 0xd0);
    EXPECT(x64_vex_rr(b, X64_VPBROADCASTQ, true, 1, 0, 1), 0xc4, 0xe2, 0x7d, 0x59, 0xc9);
    EXPECT(x64_vextracti128(b, 2, 0, 1), 0xc4, 0xe3, 0x7d, 0x39, 0xc2, 0x01);
    EXPECT(x64_vzeroupper(b), 0xc5, 0xf8, 0x77);
    EXPECT(x64_vex_rr(b, X64_PADDB, true, 9, 10, 11), 0xc4, 0x41, 0x2d, 0xfc, 0xcb);
    EXPECT(x64_vex_rm(b, X64_MOVDQU_LD, true, 8, 0, x64_mi(X64_R13, X64_RSI, 0, 0)), 0xc4, 0x41,
           0x7e, 0x6f, 0x44, 0x35, 0x00); /* vmovdqu ymm8, [r13+rsi] */
}

int main(void)
{
    ut_run("x64_moves", test_moves);
    ut_run("x64_memory_operands", test_memory_operands);
    ut_run("x64_sized_access", test_sized_access);
    ut_run("x64_alu", test_alu);
    ut_run("x64_control", test_control);
    ut_run("x64_full_buffer", test_full_buffer);
    ut_run("x64_bitmanip", test_bitmanip);
    ut_run("x64_sse", test_sse);
    ut_run("x64_vex", test_vex);
    return ut_exit();
}
