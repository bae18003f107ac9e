/* The vector floating-point estimates (unpriv spec V 13.9 vfrsqrt7.v,
 * 13.10 vfrec7.v): 7-bit-accurate reciprocal square root and reciprocal
 * from the spec's two 128-entry tables, at SEW 32 and 64. The special
 * cases, the normalisation of subnormal inputs, the index (vfrsqrt7: the
 * exponent's low bit and the six leading fraction bits; vfrec7: the seven
 * leading fraction bits) and the output exponents are the spec's; so is
 * vfrec7's rounding of a result too large to represent (the greatest
 * finite value or infinity, by frm, with overflow and inexact).
 * interp_v.h's contract holds. */
#include "cpu/interp_v_fp.h"

/* V 13.9's table: indexed by {exponent bit 0, fraction bits 6}, the
 * output's seven leading fraction bits. */
static const uint8_t vfest_rsqrt7[128] = {
    52,  51,  50,  48,  47,  46, 44, 43,  42,  41,  40,  39,  38,  36,  35,  34,  33,  32,  31,
    30,  30,  29,  28,  27,  26, 25, 24,  23,  23,  22,  21,  20,  19,  19,  18,  17,  16,  16,
    15,  14,  14,  13,  12,  12, 11, 10,  10,  9,   9,   8,   7,   7,   6,   6,   5,   4,   4,
    3,   3,   2,   2,   1,   1,  0,  127, 125, 123, 121, 119, 118, 116, 114, 113, 111, 109, 108,
    106, 105, 103, 102, 100, 99, 97, 96,  95,  93,  92,  91,  90,  88,  87,  86,  85,  84,  83,
    82,  80,  79,  78,  77,  76, 75, 74,  73,  72,  71,  70,  70,  69,  68,  67,  66,  65,  64,
    63,  63,  62,  61,  60,  59, 59, 58,  57,  56,  56,  55,  54,  53,
};

/* V 13.10's table: indexed by the seven leading fraction bits. */
static const uint8_t vfest_rec7[128] = {
    127, 125, 123, 121, 119, 117, 116, 114, 112, 110, 109, 107, 105, 104, 102, 100, 99, 97, 96,
    94,  93,  91,  90,  88,  87,  85,  84,  83,  81,  80,  79,  77,  76,  75,  74,  72, 71, 70,
    69,  68,  66,  65,  64,  63,  62,  61,  60,  59,  58,  57,  56,  55,  54,  53,  52, 51, 50,
    49,  48,  47,  46,  45,  44,  43,  42,  41,  40,  40,  39,  38,  37,  36,  35,  35, 34, 33,
    32,  31,  31,  30,  29,  28,  28,  27,  26,  25,  25,  24,  23,  23,  22,  21,  21, 20, 19,
    19,  18,  17,  17,  16,  15,  15,  14,  14,  13,  12,  12,  11,  11,  10,  9,   9,  8,  8,
    7,   7,   6,   5,   5,   4,   4,   3,   3,   2,   2,   1,   1,   0,
};

/* A format: m fraction bits, e exponent bits. */
struct vfest_fmt {
    unsigned m, e;
};

static struct vfest_fmt vfest_fmt(unsigned esz)
{
    return esz == 4 ? (struct vfest_fmt){23, 8} : (struct vfest_fmt){52, 11};
}

/* The canonical NaN and infinity of the format. */
static uint64_t vfest_nan(struct vfest_fmt f)
{
    return ((1ULL << (f.e + 1)) - 1) << (f.m - 1);
}

static uint64_t vfest_inf(struct vfest_fmt f)
{
    return ((1ULL << f.e) - 1) << f.m;
}

/* Normalises a nonzero finite magnitude: *exp the biased exponent (0 or
 * negative for a subnormal input), *frac the fraction without its
 * leading one. */
static void vfest_norm(uint64_t a, struct vfest_fmt f, int64_t *exp, uint64_t *frac)
{
    uint64_t fm = (1ULL << f.m) - 1;
    *exp = (int64_t)((a >> f.m) & ((1ULL << f.e) - 1));
    *frac = a & fm;
    if (*exp == 0) {
        while (!(*frac >> (f.m - 1) & 1)) {
            (*exp)--;
            *frac <<= 1;
        }
        *frac = (*frac << 1) & fm;
    }
}

static uint64_t vfest_rsqrt(uint64_t a, unsigned esz, uint32_t *fl)
{
    struct vfest_fmt f = vfest_fmt(esz);
    uint64_t sign = a >> (f.m + f.e) & 1, mag = a & ((1ULL << (f.m + f.e)) - 1);
    uint64_t inf = vfest_inf(f);
    if (mag > inf) { /* NaN: a signaling one is invalid */
        if (!(a >> (f.m - 1) & 1)) *fl |= FFLAG_NV;
        return vfest_nan(f);
    }
    if (mag == 0) {
        *fl |= FFLAG_DZ;
        return sign << (f.m + f.e) | inf;
    }
    if (sign) {
        *fl |= FFLAG_NV;
        return vfest_nan(f);
    }
    if (mag == inf) return 0;
    int64_t exp;
    uint64_t frac;
    vfest_norm(a, f, &exp, &frac);
    unsigned idx = (unsigned)(exp & 1) << 6 | (unsigned)(frac >> (f.m - 6));
    int64_t bias = (1LL << (f.e - 1)) - 1;
    uint64_t oexp = (uint64_t)((3 * bias - 1 - exp) / 2);
    return oexp << f.m | (uint64_t)vfest_rsqrt7[idx] << (f.m - 7);
}

static uint64_t vfest_rec(uint64_t a, unsigned esz, unsigned rm, uint32_t *fl)
{
    struct vfest_fmt f = vfest_fmt(esz);
    uint64_t sign = a >> (f.m + f.e) & 1, mag = a & ((1ULL << (f.m + f.e)) - 1);
    uint64_t inf = vfest_inf(f), s = sign << (f.m + f.e);
    if (mag > inf) {
        if (!(a >> (f.m - 1) & 1)) *fl |= FFLAG_NV;
        return vfest_nan(f);
    }
    if (mag == inf) return s;
    if (mag == 0) {
        *fl |= FFLAG_DZ;
        return s | inf;
    }
    int64_t exp;
    uint64_t frac;
    vfest_norm(a, f, &exp, &frac);
    if (exp < -1) {
        /* 1/x overflows: the largest finite value when rounding towards
         * zero (RTZ, RDN for +x, RUP for -x), infinity otherwise */
        *fl |= FFLAG_OF | FFLAG_NX;
        bool to_max = rm == FRM_RTZ || (rm == FRM_RDN && !sign) || (rm == FRM_RUP && sign);
        return s | (to_max ? inf - 1 : inf);
    }
    int64_t bias = (1LL << (f.e - 1)) - 1;
    int64_t oexp = 2 * bias - 1 - exp;
    uint64_t osig = (uint64_t)vfest_rec7[frac >> (f.m - 7)] << (f.m - 7);
    if (oexp <= 0) { /* a subnormal result: the leading one shifts in */
        osig = osig >> 1 | 1ULL << (f.m - 1);
        if (oexp < 0) {
            osig >>= 1;
            oexp = 0;
        }
    }
    return s | (uint64_t)oexp << f.m | osig;
}

static int vfest_run(struct rv_hart *h, const struct rv_insn *i, bool rec)
{
    struct v_cfg c;
    unsigned rm;
    uint32_t fl = 0;
    if (!vf_begin(h, &c, &rm) || !v_group_ok(i->rd, c.lmul) || !v_group_ok(i->rs2, c.lmul) ||
        !v_mask_dest_ok(i, i->rd))
        return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++) {
        if (!v_active(h, i, k)) continue;
        uint64_t a = v_get(h, i->rs2, k, c.esz);
        v_set(h, i->rd, k, c.esz, rec ? vfest_rec(a, c.esz, rm, &fl) : vfest_rsqrt(a, c.esz, &fl));
    }
    return vf_done(h, i, fl);
}

int interp_vfrsqrt7_v(struct rv_hart *h, const struct rv_insn *i)
{
    return vfest_run(h, i, false);
}

int interp_vfrec7_v(struct rv_hart *h, const struct rv_insn *i)
{
    return vfest_run(h, i, true);
}
