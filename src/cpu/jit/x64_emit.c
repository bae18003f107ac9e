/* x86-64 instruction encoding (Intel SDM vol. 2, chapter 2: REX prefixes,
 * ModR/M and SIB bytes). Only the forms the JIT uses. */
#include "cpu/jit/x64_emit.h"

#include <cpuid.h>
#include <string.h>

static void put8(struct x64_buf *b, unsigned v)
{
    if (b->p < b->end)
        *b->p++ = (uint8_t)v;
    else
        b->full = true;
}

static void put32(struct x64_buf *b, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        put8(b, (v >> (8 * k)) & 0xff);
}

/* REX is needed for 64-bit size, registers r8-r15, and the byte registers
 * spl/bpl/sil/dil (which without REX would name ah/ch/dh/bh). */
static void rex(struct x64_buf *b, bool w, unsigned reg, unsigned index, unsigned base, bool force)
{
    unsigned v =
        0x40 | (w ? 8 : 0) | ((reg >> 3) & 1) << 2 | ((index >> 3) & 1) << 1 | ((base >> 3) & 1);
    if (v != 0x40 || force) put8(b, v);
}

static void opcode(struct x64_buf *b, unsigned op)
{
    if (op > 0xffff) put8(b, op >> 16);       /* three-byte opcodes are written 0x0f38XX */
    if (op > 0xff) put8(b, (op >> 8) & 0xff); /* two-byte opcodes are written 0x0fXX */
    put8(b, op & 0xff);
}

/* op reg, r/m where r/m is the register rm. */
static void enc_rr(struct x64_buf *b, bool w, unsigned op, unsigned reg, unsigned rm, bool byte)
{
    rex(b, w, reg, 0, rm, byte && (reg >= 4 || rm >= 4));
    opcode(b, op);
    put8(b, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

/* op reg, [mem]: mod 00 needs no displacement except with base rbp/r13;
 * base rsp/r12 always needs a SIB byte. */
static void modrm_mem(struct x64_buf *b, unsigned reg, struct x64_mem m);

static void enc_rm(struct x64_buf *b, bool w, unsigned op, unsigned reg, struct x64_mem m,
                   bool byte)
{
    rex(b, w, reg, m.has_index ? m.index : 0, m.base, byte && reg >= 4 && reg < 8);
    opcode(b, op);
    modrm_mem(b, reg, m);
}

/* ModR/M (and SIB, displacement) for reg, [mem]. */
static void modrm_mem(struct x64_buf *b, unsigned reg, struct x64_mem m)
{
    unsigned mod = (m.disp == 0 && (m.base & 7) != 5) ? 0
                   : (m.disp >= -128 && m.disp < 128) ? 1
                                                      : 2;
    if (m.has_index || (m.base & 7) == 4) {
        put8(b, mod << 6 | (reg & 7) << 3 | 4);
        unsigned index = m.has_index ? (m.index & 7) : 4;
        put8(b, (unsigned)m.scale << 6 | index << 3 | (m.base & 7));
    } else {
        put8(b, mod << 6 | (reg & 7) << 3 | (m.base & 7));
    }
    if (mod == 1) put8(b, (uint8_t)m.disp);
    if (mod == 2) put32(b, (uint32_t)m.disp);
}

void x64_byte(struct x64_buf *b, unsigned v)
{
    put8(b, v);
}

void x64_modrm_rr(struct x64_buf *b, unsigned reg, unsigned rm)
{
    put8(b, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

void x64_modrm_m(struct x64_buf *b, unsigned reg, struct x64_mem m)
{
    modrm_mem(b, reg, m);
}

void x64_enc_rr(struct x64_buf *b, bool w, unsigned op, unsigned reg, unsigned rm)
{
    enc_rr(b, w, op, reg, rm, false);
}

void x64_enc_rm(struct x64_buf *b, bool w, unsigned op, unsigned reg, struct x64_mem m)
{
    enc_rm(b, w, op, reg, m, false);
}

void x64_mov_rr(struct x64_buf *b, bool w, enum x64_reg dst, enum x64_reg src)
{
    enc_rr(b, w, 0x89, src, dst, false);
}

void x64_mov_imm(struct x64_buf *b, enum x64_reg dst, uint64_t imm)
{
    if (imm == 0) {
        enc_rr(b, false, 0x31, dst, dst, false); /* xor r32, r32 */
    } else if (imm <= 0xffffffffULL) {
        rex(b, false, 0, 0, dst, false);
        put8(b, 0xb8 + (dst & 7));
        put32(b, (uint32_t)imm);
    } else if ((int64_t)imm == (int64_t)(int32_t)imm) {
        enc_rr(b, true, 0xc7, 0, dst, false);
        put32(b, (uint32_t)imm);
    } else {
        rex(b, true, 0, 0, dst, false);
        put8(b, 0xb8 + (dst & 7));
        put32(b, (uint32_t)imm);
        put32(b, (uint32_t)(imm >> 32));
    }
}

void x64_load(struct x64_buf *b, bool w, enum x64_reg dst, struct x64_mem m)
{
    enc_rm(b, w, 0x8b, dst, m, false);
}

void x64_store(struct x64_buf *b, bool w, struct x64_mem m, enum x64_reg src)
{
    enc_rm(b, w, 0x89, src, m, false);
}

void x64_store_imm(struct x64_buf *b, bool w, struct x64_mem m, int32_t imm)
{
    enc_rm(b, w, 0xc7, 0, m, false);
    put32(b, (uint32_t)imm);
}

void x64_load_ext(struct x64_buf *b, enum x64_reg dst, struct x64_mem m, unsigned size, bool sign)
{
    switch (size) {
    case 1: enc_rm(b, sign, sign ? 0x0fbe : 0x0fb6, dst, m, false); break;
    case 2: enc_rm(b, sign, sign ? 0x0fbf : 0x0fb7, dst, m, false); break;
    case 4: enc_rm(b, sign, sign ? 0x63 : 0x8b, dst, m, false); break;
    default: enc_rm(b, true, 0x8b, dst, m, false); break;
    }
}

void x64_store_sized(struct x64_buf *b, struct x64_mem m, enum x64_reg src, unsigned size)
{
    switch (size) {
    case 1: enc_rm(b, false, 0x88, src, m, true); break;
    case 2:
        put8(b, 0x66);
        enc_rm(b, false, 0x89, src, m, false);
        break;
    case 4: enc_rm(b, false, 0x89, src, m, false); break;
    default: enc_rm(b, true, 0x89, src, m, false); break;
    }
}

void x64_lea(struct x64_buf *b, bool w, enum x64_reg dst, struct x64_mem m)
{
    enc_rm(b, w, 0x8d, dst, m, false);
}

void x64_alu_rr(struct x64_buf *b, bool w, enum x64_alu op, enum x64_reg dst, enum x64_reg src)
{
    enc_rr(b, w, (unsigned)op << 3 | 1, src, dst, false);
}

/* Group-1 ALU with an immediate: 83 /op ib when it fits a sign-extended
 * byte, else 81 /op id. */
static bool imm8(int32_t imm)
{
    return imm >= -128 && imm < 128;
}

static void put_imm(struct x64_buf *b, int32_t imm)
{
    if (imm8(imm))
        put8(b, (uint8_t)imm);
    else
        put32(b, (uint32_t)imm);
}

void x64_alu_ri(struct x64_buf *b, bool w, enum x64_alu op, enum x64_reg dst, int32_t imm)
{
    enc_rr(b, w, imm8(imm) ? 0x83 : 0x81, op, dst, false);
    put_imm(b, imm);
}

void x64_alu_rm(struct x64_buf *b, bool w, enum x64_alu op, enum x64_reg dst, struct x64_mem m)
{
    enc_rm(b, w, (unsigned)op << 3 | 3, dst, m, false);
}

void x64_alu_mi(struct x64_buf *b, bool w, enum x64_alu op, struct x64_mem m, int32_t imm)
{
    enc_rm(b, w, imm8(imm) ? 0x83 : 0x81, op, m, false);
    put_imm(b, imm);
}

void x64_test_rr(struct x64_buf *b, bool w, enum x64_reg a, enum x64_reg c)
{
    enc_rr(b, w, 0x85, c, a, false);
}

void x64_test_rm(struct x64_buf *b, bool w, enum x64_reg r, struct x64_mem m)
{
    enc_rm(b, w, 0x85, r, m, false);
}

void x64_shift_ri(struct x64_buf *b, bool w, enum x64_shift op, enum x64_reg dst, uint8_t imm)
{
    enc_rr(b, w, 0xc1, op, dst, false);
    put8(b, imm);
}

void x64_shift_cl(struct x64_buf *b, bool w, enum x64_shift op, enum x64_reg dst)
{
    enc_rr(b, w, 0xd3, op, dst, false);
}

void x64_imul_rr(struct x64_buf *b, bool w, enum x64_reg dst, enum x64_reg src)
{
    enc_rr(b, w, 0x0faf, dst, src, false);
}

void x64_mul_wide(struct x64_buf *b, bool sign, enum x64_reg r)
{
    enc_rr(b, true, 0xf7, sign ? 5 : 4, r, false);
}

void x64_div(struct x64_buf *b, bool w, bool sign, enum x64_reg r)
{
    enc_rr(b, w, 0xf7, sign ? 7 : 6, r, false);
}

void x64_neg(struct x64_buf *b, bool w, enum x64_reg r)
{
    enc_rr(b, w, 0xf7, 3, r, false);
}

void x64_cqo(struct x64_buf *b, bool w)
{
    rex(b, w, 0, 0, 0, false);
    put8(b, 0x99);
}

void x64_movsxd(struct x64_buf *b, enum x64_reg dst, enum x64_reg src)
{
    enc_rr(b, true, 0x63, dst, src, false);
}

void x64_setcc(struct x64_buf *b, enum x64_cc cc, enum x64_reg dst)
{
    enc_rr(b, false, 0x0f90 | cc, 0, dst, true);
}

void x64_extend(struct x64_buf *b, enum x64_reg dst, enum x64_reg src, unsigned size, bool sign)
{
    if (size == 4) {
        if (sign)
            x64_movsxd(b, dst, src);
        else
            enc_rr(b, false, 0x89, src, dst, false); /* mov r32, r32 clears bits 63:32 */
        return;
    }
    unsigned op = size == 1 ? (sign ? 0x0fbe : 0x0fb6) : (sign ? 0x0fbf : 0x0fb7);
    enc_rr(b, sign, op, dst, src, size == 1);
}

void x64_cmov(struct x64_buf *b, enum x64_cc cc, enum x64_reg dst, enum x64_reg src)
{
    enc_rr(b, true, 0x0f40 | cc, dst, src, false);
}

void x64_movzx8(struct x64_buf *b, enum x64_reg dst, enum x64_reg src)
{
    enc_rr(b, false, 0x0fb6, dst, src, true);
}

void x64_push(struct x64_buf *b, enum x64_reg r)
{
    rex(b, false, 0, 0, r, false);
    put8(b, 0x50 + (r & 7));
}

void x64_pop(struct x64_buf *b, enum x64_reg r)
{
    rex(b, false, 0, 0, r, false);
    put8(b, 0x58 + (r & 7));
}

void x64_call_r(struct x64_buf *b, enum x64_reg r)
{
    enc_rr(b, false, 0xff, 2, r, false);
}

void x64_jmp_r(struct x64_buf *b, enum x64_reg r)
{
    enc_rr(b, false, 0xff, 4, r, false);
}

void x64_jmp_m(struct x64_buf *b, struct x64_mem m)
{
    enc_rm(b, false, 0xff, 4, m, false);
}

void x64_ret(struct x64_buf *b)
{
    put8(b, 0xc3);
}

void x64_mfence(struct x64_buf *b)
{
    put8(b, 0x0f);
    put8(b, 0xae);
    put8(b, 0xf0);
}

size_t x64_jcc(struct x64_buf *b, enum x64_cc cc)
{
    put8(b, 0x0f);
    put8(b, 0x80 | cc);
    size_t at = x64_offset(b);
    put32(b, 0);
    return at;
}

size_t x64_call(struct x64_buf *b)
{
    put8(b, 0xe8);
    size_t at = x64_offset(b);
    put32(b, 0);
    return at;
}

size_t x64_jmp(struct x64_buf *b)
{
    put8(b, 0xe9);
    size_t at = x64_offset(b);
    put32(b, 0);
    return at;
}

size_t x64_jmp_relinkable(struct x64_buf *b)
{
    while (((uintptr_t)b->p + 1) & 3 && !b->full)
        put8(b, 0x90);
    return x64_jmp(b);
}

void x64_patch_rel32(uint8_t *site, const void *target)
{
    int32_t rel = (int32_t)((const uint8_t *)target - (site + 4));
    memcpy(site, &rel, 4);
}

void x64_relink(uint8_t *site, const void *target)
{
    int32_t rel = (int32_t)((const uint8_t *)target - (site + 4));
    __atomic_store_n((int32_t *)(void *)site, rel, __ATOMIC_RELEASE);
}

unsigned x64_host_features(void)
{
    unsigned a, b, c, d, f = X64_HAS_SSE2;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        if (c & (1u << 23)) f |= X64_HAS_POPCNT;
        if (c & (1u << 19)) f |= X64_HAS_SSE41;
        if (c & (1u << 20)) f |= X64_HAS_SSE42;
    }
    if (__get_cpuid(0x80000001u, &a, &b, &c, &d) && (c & (1u << 5))) f |= X64_HAS_LZCNT;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        if (b & (1u << 3)) f |= X64_HAS_BMI1;
        if (b & (1u << 8)) f |= X64_HAS_BMI2;
        /* AVX2 also needs the OS to save the ymm state (OSXSAVE, XCR0 bits 1-2). */
        unsigned a1, b1, c1, d1;
        if ((b & (1u << 5)) && __get_cpuid(1, &a1, &b1, &c1, &d1) && (c1 & (1u << 27)) &&
            (c1 & (1u << 28))) {
            unsigned lo, hi;
            __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
            if ((lo & 6) == 6) f |= X64_HAS_AVX2;
        }
    }
    return f;
}

void x64_not(struct x64_buf *b, bool w, enum x64_reg r)
{
    enc_rr(b, w, 0xf7, 2, r, false);
}

void x64_bswap(struct x64_buf *b, enum x64_reg r)
{
    rex(b, true, 0, 0, r, false);
    put8(b, 0x0f);
    put8(b, 0xc8 + (r & 7));
}

void x64_bitcnt(struct x64_buf *b, bool w, enum x64_bitcnt op, enum x64_reg dst, enum x64_reg src)
{
    static const uint16_t opc[] = {0x0fb8, 0x0fbc, 0x0fbd, 0x0fbc, 0x0fbd};
    if (op <= X64_LZCNT) put8(b, 0xf3); /* the prefix goes before REX */
    enc_rr(b, w, opc[op], dst, src, false);
}

void x64_bt_rr(struct x64_buf *b, enum x64_bt op, enum x64_reg r, enum x64_reg bit)
{
    enc_rr(b, true, 0x0fa3 + 8 * ((unsigned)op - X64_BT), bit, r, false);
}

void x64_bt_ri(struct x64_buf *b, enum x64_bt op, enum x64_reg r, uint8_t imm)
{
    enc_rr(b, true, 0x0fba, op, r, false);
    put8(b, imm);
}

/* The three-byte VEX prefix (SDM 2.3.5): inverted R and B extend reg and
 * r/m (no index here), `map` selects 0F38 (2) or 0F3A (3), vvvv names the
 * extra source inverted, pp an implied 66/F3/F2 prefix. */
static void vex3(struct x64_buf *b, unsigned map, bool w, unsigned vvvv, unsigned pp, unsigned reg,
                 unsigned rm)
{
    put8(b, 0xc4);
    put8(b, (((reg >> 3) & 1) ^ 1) << 7 | 1u << 6 | (((rm >> 3) & 1) ^ 1) << 5 | map);
    put8(b, (w ? 0x80u : 0) | ((~vvvv) & 15) << 3 | pp);
}

void x64_andn(struct x64_buf *b, enum x64_reg dst, enum x64_reg a, enum x64_reg c)
{
    vex3(b, 2, true, a, 0, dst, c); /* VEX.LZ.0F38.W1 F2 /r */
    put8(b, 0xf2);
    put8(b, 0xc0 | (dst & 7) << 3 | (c & 7));
}

void x64_rorx(struct x64_buf *b, bool w, enum x64_reg dst, enum x64_reg src, uint8_t imm)
{
    vex3(b, 3, w, 0, 3, dst, src); /* VEX.LZ.F2.0F3A.W1 F0 /r ib */
    put8(b, 0xf0);
    put8(b, 0xc0 | (dst & 7) << 3 | (src & 7));
    put8(b, imm);
}
