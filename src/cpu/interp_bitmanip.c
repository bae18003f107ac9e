/* Bit-manipulation and conditional semantics: Zba, Zbb, Zbc, Zbs, Zbkb
 * (unpriv spec chapter 28, "B" Extension for Bit Manipulation, section
 * numbers below are from it) and Zicond (chapter 12). Pure functions of
 * the source registers: none traps, none touches memory or CSRs. Whether
 * an instruction exists on this hart is the decoder's business (the
 * list's extension column). */
#include "cpu/interp.h"

#define RS1 (h->x[i->rs1])
#define RS2 (h->x[i->rs2])
#define RD  (h->x[i->rd])
#define IMM ((unsigned)i->imm)

static inline uint64_t sext32(uint64_t v)
{
    return (uint64_t)(int64_t)(int32_t)v;
}

static inline uint64_t rol64(uint64_t v, unsigned n)
{
    n &= 63;
    return n ? (v << n) | (v >> (64 - n)) : v;
}

static inline uint32_t rol32(uint32_t v, unsigned n)
{
    n &= 31;
    return n ? (v << n) | (v >> (32 - n)) : v;
}

/* 28.4.1 Zba: rd = rs2 + (rs1 << n), the .uw forms on rs1's low word. */
int interp_sh1add(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS2 + (RS1 << 1);
    return interp_next(h, i);
}
int interp_sh2add(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS2 + (RS1 << 2);
    return interp_next(h, i);
}
int interp_sh3add(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS2 + (RS1 << 3);
    return interp_next(h, i);
}
int interp_add_uw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS2 + (uint64_t)(uint32_t)RS1;
    return interp_next(h, i);
}
int interp_sh1add_uw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS2 + ((uint64_t)(uint32_t)RS1 << 1);
    return interp_next(h, i);
}
int interp_sh2add_uw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS2 + ((uint64_t)(uint32_t)RS1 << 2);
    return interp_next(h, i);
}
int interp_sh3add_uw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS2 + ((uint64_t)(uint32_t)RS1 << 3);
    return interp_next(h, i);
}
int interp_slli_uw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (uint64_t)(uint32_t)RS1 << IMM;
    return interp_next(h, i);
}

/* 28.4.2 Zbb: logic with negate */
int interp_andn(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 & ~RS2;
    return interp_next(h, i);
}
int interp_orn(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 | ~RS2;
    return interp_next(h, i);
}
int interp_xnor(struct rv_hart *h, const struct rv_insn *i)
{
    RD = ~(RS1 ^ RS2);
    return interp_next(h, i);
}

/* Counts: clz/ctz of zero is the width (64, or 32 for the W forms). */
int interp_clz(struct rv_hart *h, const struct rv_insn *i)
{
    uint64_t v = RS1;
    RD = v ? (uint64_t)__builtin_clzll(v) : 64;
    return interp_next(h, i);
}
int interp_clzw(struct rv_hart *h, const struct rv_insn *i)
{
    uint32_t v = (uint32_t)RS1;
    RD = v ? (uint64_t)__builtin_clz(v) : 32;
    return interp_next(h, i);
}
int interp_ctz(struct rv_hart *h, const struct rv_insn *i)
{
    uint64_t v = RS1;
    RD = v ? (uint64_t)__builtin_ctzll(v) : 64;
    return interp_next(h, i);
}
int interp_ctzw(struct rv_hart *h, const struct rv_insn *i)
{
    uint32_t v = (uint32_t)RS1;
    RD = v ? (uint64_t)__builtin_ctz(v) : 32;
    return interp_next(h, i);
}
int interp_cpop(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (uint64_t)__builtin_popcountll(RS1);
    return interp_next(h, i);
}
int interp_cpopw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (uint64_t)__builtin_popcount((uint32_t)RS1);
    return interp_next(h, i);
}

/* Integer minimum and maximum */
int interp_max(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (int64_t)RS1 < (int64_t)RS2 ? RS2 : RS1;
    return interp_next(h, i);
}
int interp_maxu(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 < RS2 ? RS2 : RS1;
    return interp_next(h, i);
}
int interp_min(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (int64_t)RS1 < (int64_t)RS2 ? RS1 : RS2;
    return interp_next(h, i);
}
int interp_minu(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 < RS2 ? RS1 : RS2;
    return interp_next(h, i);
}

/* Sign and zero extension */
int interp_sext_b(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (uint64_t)(int64_t)(int8_t)RS1;
    return interp_next(h, i);
}
int interp_sext_h(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (uint64_t)(int64_t)(int16_t)RS1;
    return interp_next(h, i);
}
int interp_zext_h(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (uint16_t)RS1;
    return interp_next(h, i);
}

/* Rotations: the amount is rs2's low 6 bits (5 for the W forms, whose
 * 32-bit result is sign-extended). */
int interp_rol(struct rv_hart *h, const struct rv_insn *i)
{
    RD = rol64(RS1, (unsigned)RS2);
    return interp_next(h, i);
}
int interp_rolw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32(rol32((uint32_t)RS1, (unsigned)RS2));
    return interp_next(h, i);
}
int interp_ror(struct rv_hart *h, const struct rv_insn *i)
{
    RD = rol64(RS1, 64 - ((unsigned)RS2 & 63));
    return interp_next(h, i);
}
int interp_rorw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32(rol32((uint32_t)RS1, 32 - ((unsigned)RS2 & 31)));
    return interp_next(h, i);
}
int interp_rori(struct rv_hart *h, const struct rv_insn *i)
{
    RD = rol64(RS1, 64 - IMM);
    return interp_next(h, i);
}
int interp_roriw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32(rol32((uint32_t)RS1, 32 - IMM));
    return interp_next(h, i);
}

/* Byte-wise: orc.b sets each byte to all ones if any of its bits is set;
 * rev8 reverses the byte order. */
int interp_orc_b(struct rv_hart *h, const struct rv_insn *i)
{
    uint64_t v = RS1, r = 0;
    for (unsigned k = 0; k < 64; k += 8) {
        uint64_t byte = (v >> k) & 0xff;
        r |= (((byte + 0xff) >> 8) * 0xff) << k; /* no branch on the data (Zkt) */
    }
    RD = r;
    return interp_next(h, i);
}
int interp_rev8(struct rv_hart *h, const struct rv_insn *i)
{
    RD = __builtin_bswap64(RS1);
    return interp_next(h, i);
}

/* 28.4.3 Zbc: carry-less products. clmul is the low 64 bits of the
 * 128-bit product, clmulh the high 64, clmulr bits 126:63. The loops
 * mask instead of branching on the data (Zkt: data-independent time). */
static inline uint64_t bit_mask(uint64_t b, unsigned k)
{
    return -((b >> k) & 1);
}

static uint64_t clmul_lo(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (unsigned k = 0; k < 64; k++)
        r ^= (a << k) & bit_mask(b, k);
    return r;
}

static uint64_t clmul_hi(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (unsigned k = 1; k < 64; k++)
        r ^= (a >> (64 - k)) & bit_mask(b, k);
    return r;
}

int interp_clmul(struct rv_hart *h, const struct rv_insn *i)
{
    RD = clmul_lo(RS1, RS2);
    return interp_next(h, i);
}
int interp_clmulh(struct rv_hart *h, const struct rv_insn *i)
{
    RD = clmul_hi(RS1, RS2);
    return interp_next(h, i);
}
int interp_clmulr(struct rv_hart *h, const struct rv_insn *i)
{
    uint64_t a = RS1, b = RS2, r = 0;
    for (unsigned k = 0; k < 64; k++)
        r ^= (a >> (63 - k)) & bit_mask(b, k);
    RD = r;
    return interp_next(h, i);
}

/* 28.4.4 Zbs: the bit index is rs2's (or the immediate's) low 6 bits. */
int interp_bclr(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 & ~(1ULL << (RS2 & 63));
    return interp_next(h, i);
}
int interp_bclri(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 & ~(1ULL << IMM);
    return interp_next(h, i);
}
int interp_bext(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (RS1 >> (RS2 & 63)) & 1;
    return interp_next(h, i);
}
int interp_bexti(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (RS1 >> IMM) & 1;
    return interp_next(h, i);
}
int interp_binv(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 ^ (1ULL << (RS2 & 63));
    return interp_next(h, i);
}
int interp_binvi(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 ^ (1ULL << IMM);
    return interp_next(h, i);
}
int interp_bset(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 | (1ULL << (RS2 & 63));
    return interp_next(h, i);
}
int interp_bseti(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 | (1ULL << IMM);
    return interp_next(h, i);
}

/* 28.4.5 Zbkb: packing halves and reversing the bits of each byte. */
int interp_pack(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (uint64_t)(uint32_t)RS1 | (RS2 << 32);
    return interp_next(h, i);
}
int interp_packh(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (RS1 & 0xff) | ((RS2 & 0xff) << 8);
    return interp_next(h, i);
}
int interp_packw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32((RS1 & 0xffff) | ((RS2 & 0xffff) << 16));
    return interp_next(h, i);
}
int interp_brev8(struct rv_hart *h, const struct rv_insn *i)
{
    uint64_t v = RS1, r = 0;
    for (unsigned k = 0; k < 64; k++)
        r |= ((v >> k) & 1) << ((k & ~7u) | (7 - (k & 7)));
    RD = r;
    return interp_next(h, i);
}

/* Zicond (chapter 12): rd = rs1, or zero when rs2 is (not) zero. */
int interp_czero_eqz(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS2 ? RS1 : 0;
    return interp_next(h, i);
}
int interp_czero_nez(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS2 ? 0 : RS1;
    return interp_next(h, i);
}
