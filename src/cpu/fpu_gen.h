/* The generic IEEE 754 core behind fpu.c, fpu_half.c and fpu_zfa.c: every
 * operation written once as a static inline function specialised by `m`,
 * the number of fraction bits (10 for binary16, 23 for binary32, 52 for
 * binary64), done in integer arithmetic in the manner of Berkeley SoftFloat
 * (which QEMU's RISC-V target also follows): an exact or sticky-jammed
 * significand goes through one rounding routine, so all five rounding modes
 * (RMM included), the five flags and tininess-after-rounding come out
 * bit-exact and independent of the host's FPU state. The one host FP
 * instruction used is a square-root estimate that integer code then
 * corrects, so the host rounding mode cannot leak into results. Values
 * travel zero-extended in uint64_t. Only the fpu*.c files include it; it
 * must not touch hart state or CSRs, trap, or keep state between calls. */
#ifndef RVMM_CPU_FPU_GEN_H
#define RVMM_CPU_FPU_GEN_H

#include "cpu/fpu.h"

#include <stdbool.h>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

typedef unsigned __int128 u128;

#define M16 10
#define M32 23
#define M64 52

/* Format parameters derived from the fraction width. */
#define FMT_W(m)    ((m) == M16 ? 16 : (m) == M32 ? 32 : 64)
#define FMT_EMAX(m) ((m) == M16 ? 0x1fu : (m) == M32 ? 0xffu : 0x7ffu) /* all-ones exponent */
#define FMT_BIAS(m) ((m) == M16 ? 15 : (m) == M32 ? 127 : 1023)
#define FMT_SIGN(m) (1ull << (FMT_W(m) - 1))
#define FMT_FRAC(m) ((1ull << (m)) - 1)
#define FMT_QNAN(m)                                                                                \
    ((m) == M16   ? (uint64_t)F16_CANONICAL_NAN                                                    \
     : (m) == M32 ? (uint64_t)F32_CANONICAL_NAN                                                    \
                  : F64_CANONICAL_NAN)
#define FMT_INF(m)       ((uint64_t)FMT_EMAX(m) << (m))
#define FMT_IS_NAN(a, m) ((((a) >> (m)) & FMT_EMAX(m)) == FMT_EMAX(m) && ((a)&FMT_FRAC(m)) != 0)
/* Quiet bit clear: a NaN is signaling when the first bit of the trailing
 * significand is 0 (IEEE 754-2008 6.2.1). */
#define FMT_IS_SNAN(a, m) (FMT_IS_NAN(a, m) && !(((a) >> ((m)-1)) & 1))

static inline int clz64(uint64_t x)
{
    return __builtin_clzll(x);
}

/* Leading-one index of a nonzero 128-bit value. */
static inline int msb128(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? 127 - clz64(hi) : 63 - clz64((uint64_t)x);
}

/* Shift right, ORing every bit shifted out into bit 0 ("jamming"), so the
 * result still tells rounding whether the discarded part was nonzero. */
static inline uint64_t shr_jam64(uint64_t x, unsigned n)
{
    if (n == 0) return x;
    if (n < 64) return (x >> n) | ((x << (64 - n)) != 0);
    return x != 0;
}

static inline u128 shr_jam128(u128 x, unsigned n)
{
    if (n == 0) return x;
    if (n < 128) return (x >> n) | (u128)((x << (128 - n)) != 0);
    return x != 0;
}

/* Compress a nonzero 128-bit magnitude with value x * 2^(exp - pos) into a
 * 64-bit significand with its leading one at bit 62; returns the exponent of
 * that leading one. */
static inline int norm128(u128 x, int exp, int pos, uint64_t *sig)
{
    int l = msb128(x);
    if (l > 62)
        *sig = (uint64_t)shr_jam128(x, (unsigned)(l - 62));
    else
        *sig = (uint64_t)x << (62 - l);
    return exp + (l - pos);
}

/* Round sign * sig * 2^(exp - 62) to the format and pack it. sig must have
 * its leading one at bit 62; bits below the format's precision are round
 * bits with any discarded lower part jammed into bit 0. Overflow, tininess
 * after rounding (unpriv spec, F extension, "Subnormal Arithmetic")
 * and the underflow-only-when-inexact rule follow IEEE 754-2008 7.4/7.5. */
static inline uint64_t round_pack(int sign, int exp, uint64_t sig, int m, unsigned rm, uint32_t *fl)
{
    const int r = 62 - m;
    const uint64_t mask = (1ull << r) - 1, half = 1ull << (r - 1);
    const int emax = (int)FMT_EMAX(m);
    const uint64_t sbit = sign ? FMT_SIGN(m) : 0;
    /* Biased exponent minus one: the leading one adds one when packed. */
    int e = exp + FMT_BIAS(m) - 1;
    uint64_t inc;

    switch (rm) {
    case FRM_RTZ: inc = 0; break;
    case FRM_RDN: inc = sign ? mask : 0; break;
    case FRM_RUP: inc = sign ? 0 : mask; break;
    default: inc = half; break; /* RNE, RMM */
    }
    if ((unsigned)e >= (unsigned)(emax - 2)) {
        if (e < 0) {
            /* Tiny unless rounding at full precision with an unbounded
             * exponent carries up to the smallest normal. */
            bool tiny = e < -1 || sig + inc < (1ull << 63);
            sig = shr_jam64(sig, e < -100 ? 100u : (unsigned)-e);
            e = 0;
            if (tiny && (sig & mask)) *fl |= FFLAG_UF;
        } else if (e > emax - 2 || sig + inc >= (1ull << 63)) {
            /* Round-toward modes that point at zero give the largest finite
             * number instead of infinity (IEEE 754-2008 7.4). */
            *fl |= FFLAG_OF | FFLAG_NX;
            return sbit | (FMT_INF(m) - (inc == 0));
        }
    }
    uint64_t rbits = sig & mask;
    if (rbits) *fl |= FFLAG_NX;
    sig = (sig + inc) >> r;
    if (rbits == half && rm != FRM_RMM && inc == half) sig &= ~1ull; /* tie: to even */
    /* A carry out of the fraction bumps the exponent field, which is right. */
    return sbit + ((uint64_t)e << m) + sig;
}

/* Exponent and significand (leading one at bit m) of a finite nonzero value. */
static inline int unpack(uint64_t a, int m, uint64_t *sig)
{
    uint64_t frac = a & FMT_FRAC(m);
    int ef = (int)((a >> m) & FMT_EMAX(m));
    if (ef == 0) {
        int sh = clz64(frac) - (63 - m);
        *sig = frac << sh;
        return 1 - FMT_BIAS(m) - sh;
    }
    *sig = frac | (1ull << m);
    return ef - FMT_BIAS(m);
}

/* NaN result of an operation with a NaN operand: always canonical (unpriv
 * spec, F extension, "NaN Generation and Propagation"), NV when any operand
 * is signaling. */
static inline uint64_t nan_result(uint64_t a, uint64_t b, int m, uint32_t *fl)
{
    if (FMT_IS_SNAN(a, m) || FMT_IS_SNAN(b, m)) *fl |= FFLAG_NV;
    return FMT_QNAN(m);
}

static inline uint64_t invalid(int m, uint32_t *fl)
{
    *fl |= FFLAG_NV;
    return FMT_QNAN(m);
}

/* a + b; subtraction flips b's sign first, which leaves NaNs NaNs. */
static inline uint64_t gen_add(uint64_t a, uint64_t b, int m, unsigned rm, uint32_t *fl)
{
    const uint64_t sbit = FMT_SIGN(m), emax = FMT_EMAX(m);
    uint64_t ea = (a >> m) & emax, eb = (b >> m) & emax;
    int sa = (a & sbit) != 0, sb = (b & sbit) != 0;

    if (ea == emax || eb == emax) {
        if (FMT_IS_NAN(a, m) || FMT_IS_NAN(b, m)) return nan_result(a, b, m, fl);
        if (ea == emax && eb == emax && sa != sb) return invalid(m, fl); /* inf - inf */
        return ea == emax ? a : b;
    }
    if (!(a & ~sbit) || !(b & ~sbit)) {
        if (a & ~sbit) return a;
        if (b & ~sbit) return b;
        /* Exact zero sum: +0 unless both are -0 or rounding down (IEEE 754-2008 6.3). */
        if (sa == sb) return a;
        return rm == FRM_RDN ? sbit : 0;
    }

    uint64_t ma, mb;
    int xa = unpack(a, m, &ma), xb = unpack(b, m, &mb);
    if (xa < xb || (xa == xb && ma < mb)) {
        uint64_t t = ma;
        int tx = xa, ts = sa;
        ma = mb, xa = xb, sa = sb;
        mb = t, xb = tx, sb = ts;
    }
    /* |a| >= |b|. Leading ones at bit 61 leave room for a carry; with at
     * least 9 bits under the precision, jamming b is exact enough: when the
     * exponents differ by two or more at most one bit cancels. */
    ma <<= 61 - m;
    mb = shr_jam64(mb << (61 - m), (unsigned)(xa - xb));
    uint64_t s;
    if (sa == sb) {
        s = ma + mb;
    } else {
        s = ma - mb;
        if (!s) return rm == FRM_RDN ? sbit : 0;
    }
    int l = 63 - clz64(s);
    return round_pack(sa, xa + (l - 61), s << (62 - l), m, rm, fl);
}

static inline uint64_t gen_mul(uint64_t a, uint64_t b, int m, unsigned rm, uint32_t *fl)
{
    const uint64_t sbit = FMT_SIGN(m), emax = FMT_EMAX(m);
    uint64_t ea = (a >> m) & emax, eb = (b >> m) & emax;
    int sign = ((a ^ b) & sbit) != 0;
    uint64_t zero = sign ? sbit : 0;

    if (ea == emax || eb == emax) {
        if (FMT_IS_NAN(a, m) || FMT_IS_NAN(b, m)) return nan_result(a, b, m, fl);
        if (!(a & ~sbit) || !(b & ~sbit)) return invalid(m, fl); /* inf * 0 */
        return zero | FMT_INF(m);
    }
    if (!(a & ~sbit) || !(b & ~sbit)) return zero;

    uint64_t ma, mb;
    int x = unpack(a, m, &ma) + unpack(b, m, &mb);
    /* Left-justified significands give a product with its leading one at bit
     * 126 or 127; keep the top word, jam the bottom. */
    u128 p = (u128)(ma << (63 - m)) * (mb << (63 - m));
    uint64_t hi = (uint64_t)(p >> 64) | ((uint64_t)p != 0);
    if (hi >> 63) {
        hi = (hi >> 1) | (hi & 1);
        x++;
    }
    return round_pack(sign, x, hi, m, rm, fl);
}

/* 128-by-64 division whose quotient is known to fit in 64 bits. */
static inline uint64_t div128(u128 n, uint64_t d, uint64_t *rem)
{
#if defined(__x86_64__)
    uint64_t q, r;
    __asm__("divq %4" : "=a"(q), "=d"(r) : "a"((uint64_t)n), "d"((uint64_t)(n >> 64)), "rm"(d));
    *rem = r;
    return q;
#else
    uint64_t q = (uint64_t)(n / d);
    *rem = (uint64_t)(n - (u128)q * d);
    return q;
#endif
}

static inline uint64_t gen_div(uint64_t a, uint64_t b, int m, unsigned rm, uint32_t *fl)
{
    const uint64_t sbit = FMT_SIGN(m), emax = FMT_EMAX(m);
    uint64_t ea = (a >> m) & emax, eb = (b >> m) & emax;
    int sign = ((a ^ b) & sbit) != 0;
    uint64_t zero = sign ? sbit : 0;

    if (ea == emax || eb == emax) {
        if (FMT_IS_NAN(a, m) || FMT_IS_NAN(b, m)) return nan_result(a, b, m, fl);
        if (ea == emax && eb == emax) return invalid(m, fl); /* inf / inf */
        return ea == emax ? zero | FMT_INF(m) : zero;
    }
    if (!(b & ~sbit)) {
        if (!(a & ~sbit)) return invalid(m, fl); /* 0 / 0 */
        *fl |= FFLAG_DZ;
        return zero | FMT_INF(m);
    }
    if (!(a & ~sbit)) return zero;

    uint64_t ma, mb, rem, q;
    int x = unpack(a, m, &ma) - unpack(b, m, &mb);
    if (m != M64) {
        /* Up to 24-bit significands: a 64-bit division gives 40 quotient
         * bits, enough for binary32 and binary16 alike. */
        if (ma < mb) {
            ma <<= 1;
            x--;
        }
        q = (ma << 39) / mb; /* in [2^39, 2^40) */
        rem = (ma << 39) - q * mb;
        return round_pack(sign, x, (q << 23) | (rem != 0), m, rm, fl);
    }
    ma <<= 62 - m;
    mb <<= 62 - m;
    /* Scale so the quotient's leading one lands on bit 63. */
    u128 n = ma < mb ? (u128)ma << 64 : (u128)ma << 63;
    if (ma < mb) x--;
    q = div128(n, mb, &rem);
    return round_pack(sign, x, (q >> 1) | (q & 1) | (rem != 0), m, rm, fl);
}

/* Only ever a starting guess that integer code corrects, so the host's
 * rounding mode and flags do not matter (and are not looked at). The operand
 * is a normal number, so the only host side effect is the sticky inexact bit
 * in MXCSR, which nothing in rvmm reads; the rounding mode is never touched. */
static inline double sqrt_estimate(double x)
{
#if defined(__x86_64__)
    return _mm_cvtsd_f64(_mm_sqrt_sd(_mm_setzero_pd(), _mm_set_sd(x)));
#else
    return __builtin_sqrt(x);
#endif
}

/* floor(sqrt(n)) for n in [2^124, 2^126), with *exact = whether it is exact.
 * The estimate is within a few units in 2^63; one integer Newton step from
 * it lands on the floor or one above. */
static inline uint64_t isqrt128(u128 n, bool *exact)
{
    uint64_t q = (uint64_t)sqrt_estimate((double)n), r;
    if (q < (1ull << 62)) q = 1ull << 62;
    uint64_t d = div128(n, q, &r);
    q = (uint64_t)(((u128)q + d) >> 1);
    while ((u128)q * q > n)
        q--;
    *exact = (u128)q * q == n;
    return q;
}

static inline uint64_t gen_sqrt(uint64_t a, int m, unsigned rm, uint32_t *fl)
{
    const uint64_t sbit = FMT_SIGN(m), emax = FMT_EMAX(m);

    if (FMT_IS_NAN(a, m)) return nan_result(a, a, m, fl);
    if (!(a & ~sbit)) return a; /* sqrt(-0) = -0 */
    if (a & sbit) return invalid(m, fl);
    if (((a >> m) & emax) == emax) return a;

    uint64_t ma;
    int x = unpack(a, m, &ma);
    if (x & 1) {
        ma <<= 1;
        x--;
    }
    if (m != M64) {
        /* sqrt(ma * 2^(x-m)) = sqrt(ma * 2^(62-m)) * 2^(x/2-31), the root of
         * a 64-bit integer in [2^62, 2^64): 32 bits, estimated in double
         * and then corrected (binary32 and binary16). */
        uint64_t n = ma << (62 - m);
        uint64_t q = (uint64_t)sqrt_estimate((double)n);
        if (q > UINT32_MAX) q = UINT32_MAX;
        while (q * q > n)
            q--;
        while (q < UINT32_MAX && (q + 1) * (q + 1) <= n)
            q++;
        return round_pack(0, x / 2, (q << 31) | (q * q != n), m, rm, fl);
    }
    /* sqrt(ma * 2^(x-m)) = sqrt(ma * 2^(124-m)) * 2^((x-124)/2), x even. */
    bool exact;
    uint64_t q = isqrt128((u128)ma << (124 - m), &exact);
    return round_pack(0, x / 2, q | !exact, m, rm, fl);
}

/* (-1)^np * a * b + (-1)^nc * c with a single rounding. */
static inline uint64_t gen_fma(uint64_t a, uint64_t b, uint64_t c, int np, int nc, int m,
                               unsigned rm, uint32_t *fl)
{
    const uint64_t sbit = FMT_SIGN(m), emax = FMT_EMAX(m);
    uint64_t ea = (a >> m) & emax, eb = (b >> m) & emax, ec = (c >> m) & emax;
    int sp = (((a ^ b) & sbit) != 0) ^ (np != 0);
    int sc = ((c & sbit) != 0) ^ (nc != 0);
    bool pzero = !(a & ~sbit) || !(b & ~sbit);

    if (ea == emax || eb == emax || ec == emax) {
        bool ainf = ea == emax && !FMT_IS_NAN(a, m), binf = eb == emax && !FMT_IS_NAN(b, m);
        bool inf_zero = (ainf || binf) && pzero;
        if (FMT_IS_NAN(a, m) || FMT_IS_NAN(b, m) || FMT_IS_NAN(c, m)) {
            /* inf * 0 is invalid even when the addend is a quiet NaN (unpriv
             * spec, F extension, fused multiply-add; SoftFloat and QEMU agree). */
            if (inf_zero || FMT_IS_SNAN(a, m) || FMT_IS_SNAN(b, m) || FMT_IS_SNAN(c, m))
                *fl |= FFLAG_NV;
            return FMT_QNAN(m);
        }
        if (inf_zero) return invalid(m, fl);
        if (ainf || binf) {
            if (ec == emax && sc != sp) return invalid(m, fl); /* inf - inf */
            return (sp ? sbit : 0) | FMT_INF(m);
        }
        return (sc ? sbit : 0) | FMT_INF(m);
    }
    if (pzero) {
        if (c & ~sbit) return c ^ (nc ? sbit : 0);
        if (sp == sc) return sp ? sbit : 0;
        return rm == FRM_RDN ? sbit : 0;
    }

    uint64_t ma, mb, mc;
    int xp = unpack(a, m, &ma) + unpack(b, m, &mb);
    if (!(c & ~sbit)) {
        /* Exact product plus zero: just round the product. */
        u128 p = (u128)(ma << (63 - m)) * (mb << (63 - m));
        uint64_t hi = (uint64_t)(p >> 64) | ((uint64_t)p != 0);
        if (hi >> 63) {
            hi = (hi >> 1) | (hi & 1);
            xp++;
        }
        return round_pack(sp, xp, hi, m, rm, fl);
    }
    int xc = unpack(c, m, &mc);
    if (m != M64) {
        /* Same scheme in 64 bits: bit 60 stands for 2^xp in P (a product of
         * at most 48 bits, leading one at 60 or 61, 13 zero bits below) and
         * for 2^xc in C (binary32 and binary16). */
        uint64_t p = (ma * mb) << (60 - 2 * m), q = mc << (60 - m), s;
        int x, sign = sp;
        if (xp >= xc) {
            q = shr_jam64(q, xp - xc > 63 ? 63u : (unsigned)(xp - xc));
            x = xp;
        } else {
            p = shr_jam64(p, xc - xp > 63 ? 63u : (unsigned)(xc - xp));
            x = xc;
        }
        if (sp == sc) {
            s = p + q;
        } else if (p > q) {
            s = p - q;
        } else if (q > p) {
            s = q - p;
            sign = sc;
        } else {
            return rm == FRM_RDN ? sbit : 0;
        }
        int l = 63 - clz64(s);
        return round_pack(sign, x + (l - 60), s << (62 - l), m, rm, fl);
    }
    /* Bit 124 stands for 2^xp in P and 2^xc in C. The product is exact (at
     * most 106 bits), so when the exponents are within a couple of places
     * (where deep cancellation can happen) the alignment shift loses
     * nothing; farther apart, at most one bit cancels and the jam is enough. */
    u128 p = ((u128)ma * mb) << (124 - 2 * m);
    u128 q = (u128)mc << (124 - m);
    int x;
    if (xp >= xc) {
        q = shr_jam128(q, xp - xc > 127 ? 127u : (unsigned)(xp - xc));
        x = xp;
    } else {
        p = shr_jam128(p, xc - xp > 127 ? 127u : (unsigned)(xc - xp));
        x = xc;
    }
    u128 s;
    int sign = sp;
    if (sp == sc) {
        s = p + q;
    } else if (p > q) {
        s = p - q;
    } else if (q > p) {
        s = q - p;
        sign = sc;
    } else {
        return rm == FRM_RDN ? sbit : 0; /* exact cancellation */
    }
    uint64_t sig;
    x = norm128(s, x, 124, &sig);
    return round_pack(sign, x, sig, m, rm, fl);
}

/* Nonzero finite value to integer magnitude per rm. Returns the rounded
 * magnitude in *mag (saturated at UINT64_MAX with *ovf set when it does not
 * fit in 64 bits) and whether rounding was inexact. */
static inline bool round_to_int(uint64_t a, int m, unsigned rm, uint64_t *mag, bool *ovf)
{
    uint64_t ma, ip, frac;
    int sign = (a & FMT_SIGN(m)) != 0;
    int x = unpack(a, m, &ma);
    *ovf = false;
    if (x >= 64) {
        *ovf = true;
        *mag = UINT64_MAX;
        return false;
    }
    if (x >= -1) {
        /* 64 fraction bits below the binary point. */
        u128 f = (u128)ma << (64 - m + x);
        ip = (uint64_t)(f >> 64);
        frac = (uint64_t)f;
    } else {
        ip = 0;
        frac = 1; /* nonzero, below one half */
    }
    const uint64_t half = 1ull << 63;
    bool up;
    switch (rm) {
    case FRM_RTZ: up = false; break;
    case FRM_RDN: up = sign && frac; break;
    case FRM_RUP: up = !sign && frac; break;
    case FRM_RMM: up = frac >= half; break;
    default: up = frac > half || (frac == half && (ip & 1)); break;
    }
    if (up) {
        if (ip == UINT64_MAX)
            *ovf = true;
        else
            ip++;
    }
    *mag = ip;
    return frac != 0;
}

/* Float to signed integer of `bits` bits, saturating (unpriv spec, F
 * extension, table "Domains of float-to-integer conversions":
 * NaN and too-large positive give the maximum, too-large negative the
 * minimum). Out-of-range results raise NV alone, not NX, as in SoftFloat. */
static inline int64_t gen_to_int(uint64_t a, int m, int bits, unsigned rm, uint32_t *fl)
{
    const uint64_t max = (1ull << (bits - 1)) - 1;
    const int sign = (a & FMT_SIGN(m)) != 0;
    if (FMT_IS_NAN(a, m)) {
        *fl |= FFLAG_NV;
        return (int64_t)max;
    }
    if (!(a & ~FMT_SIGN(m))) return 0;
    uint64_t mag;
    bool ovf, inexact;
    if (((a >> m) & FMT_EMAX(m)) == FMT_EMAX(m)) {
        ovf = true, inexact = false, mag = 0;
    } else {
        inexact = round_to_int(a, m, rm, &mag, &ovf);
    }
    if (ovf || mag > max + (uint64_t)sign) {
        *fl |= FFLAG_NV;
        return sign ? -(int64_t)max - 1 : (int64_t)max;
    }
    if (inexact) *fl |= FFLAG_NX;
    return sign ? (int64_t)(0 - mag) : (int64_t)mag;
}

/* Float to unsigned: negative values that round to a nonzero integer are
 * invalid and give 0 (same table); ones that round to zero are just inexact. */
static inline uint64_t gen_to_uint(uint64_t a, int m, int bits, unsigned rm, uint32_t *fl)
{
    const uint64_t max = bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
    const int sign = (a & FMT_SIGN(m)) != 0;
    if (FMT_IS_NAN(a, m)) {
        *fl |= FFLAG_NV;
        return max;
    }
    if (!(a & ~FMT_SIGN(m))) return 0;
    uint64_t mag;
    bool ovf, inexact;
    if (((a >> m) & FMT_EMAX(m)) == FMT_EMAX(m)) {
        ovf = true, inexact = false, mag = 0;
    } else {
        inexact = round_to_int(a, m, rm, &mag, &ovf);
    }
    if (sign && (ovf || mag)) {
        *fl |= FFLAG_NV;
        return 0;
    }
    if (ovf || mag > max) {
        *fl |= FFLAG_NV;
        return max;
    }
    if (inexact) *fl |= FFLAG_NX;
    return mag;
}

static inline uint64_t gen_from_int(int sign, uint64_t v, int m, unsigned rm, uint32_t *fl)
{
    if (!v) return 0;
    int l = 63 - clz64(v);
    if (l == 63) return round_pack(sign, 63, (v >> 1) | (v & 1), m, rm, fl);
    return round_pack(sign, l, v << (62 - l), m, rm, fl);
}

/* Quiet equality: NV only for signaling NaNs (unpriv spec, F extension,
 * "Single-Precision Floating-Point Compare Instructions"). */
static inline int gen_eq(uint64_t a, uint64_t b, int m, uint32_t *fl)
{
    if (FMT_IS_NAN(a, m) || FMT_IS_NAN(b, m)) {
        nan_result(a, b, m, fl);
        return 0;
    }
    return a == b || !((a | b) & ~FMT_SIGN(m));
}

/* a < b (or <= with le) on non-NaN values, -0 == +0. */
static inline int ordered_lt(uint64_t a, uint64_t b, int m, bool le)
{
    const uint64_t sbit = FMT_SIGN(m);
    int sa = (a & sbit) != 0, sb = (b & sbit) != 0;
    if (!((a | b) & ~sbit)) return le;
    if (sa != sb) return sa;
    if (a == b) return le;
    return sa ? a > b : a < b;
}

/* Signaling comparisons: NV on any NaN (same section). */
static inline int gen_cmp(uint64_t a, uint64_t b, int m, bool le, uint32_t *fl)
{
    if (FMT_IS_NAN(a, m) || FMT_IS_NAN(b, m)) {
        *fl |= FFLAG_NV;
        return 0;
    }
    return ordered_lt(a, b, m, le);
}

/* minimumNumber/maximumNumber (IEEE 754-2019 9.6; unpriv spec, F extension
 * "Single-Precision Floating-Point Computational Instructions", as of
 * version 2.2): a lone NaN operand is ignored, two give the canonical NaN,
 * any signaling NaN raises NV, and -0 orders below +0. */
static inline uint64_t gen_minmax(uint64_t a, uint64_t b, int m, bool max, uint32_t *fl)
{
    const uint64_t sbit = FMT_SIGN(m);
    bool na = FMT_IS_NAN(a, m), nb = FMT_IS_NAN(b, m);
    if (na || nb) {
        nan_result(a, b, m, fl);
        if (na && nb) return FMT_QNAN(m);
        return na ? b : a;
    }
    int sa = (a & sbit) != 0, sb = (b & sbit) != 0;
    bool a_less = sa != sb ? sa : sa ? a > b : a < b;
    return a_less != max ? a : b;
}

static inline uint64_t gen_classify(uint64_t a, int m)
{
    const int sign = (a & FMT_SIGN(m)) != 0;
    const uint64_t e = (a >> m) & FMT_EMAX(m), f = a & FMT_FRAC(m);
    /* Bit layout of fclass (unpriv spec, F extension, "Single-Precision
     * Floating-Point Classify Instruction"). */
    if (e == FMT_EMAX(m)) {
        if (!f) return sign ? 1u << 0 : 1u << 7;
        return (f >> (m - 1)) ? 1u << 9 : 1u << 8;
    }
    if (e == 0) return f ? (sign ? 1u << 2 : 1u << 5) : (sign ? 1u << 3 : 1u << 4);
    return sign ? 1u << 1 : 1u << 6;
}

/* Widening between formats (mf < mt) is exact; a NaN becomes the target's
 * canonical NaN, NV if it signaled. */
static inline uint64_t gen_widen(uint64_t a, int mf, int mt, uint32_t *fl)
{
    const uint64_t sbit = (a & FMT_SIGN(mf)) ? FMT_SIGN(mt) : 0;
    if (FMT_IS_NAN(a, mf)) {
        nan_result(a, a, mf, fl);
        return FMT_QNAN(mt);
    }
    if (!(a & ~FMT_SIGN(mf))) return sbit;
    if (((a >> mf) & FMT_EMAX(mf)) == FMT_EMAX(mf)) return sbit | FMT_INF(mt);
    uint64_t ma;
    int x = unpack(a, mf, &ma);
    return sbit | ((uint64_t)(x + FMT_BIAS(mt)) << mt) | ((ma << (mt - mf)) & FMT_FRAC(mt));
}

/* Narrowing (mf > mt) rounds once per rm. */
static inline uint64_t gen_narrow(uint64_t a, int mf, int mt, unsigned rm, uint32_t *fl)
{
    const int sign = (a & FMT_SIGN(mf)) != 0;
    const uint64_t sbit = sign ? FMT_SIGN(mt) : 0;
    if (FMT_IS_NAN(a, mf)) {
        nan_result(a, a, mf, fl);
        return FMT_QNAN(mt);
    }
    if (!(a & ~FMT_SIGN(mf))) return sbit;
    if (((a >> mf) & FMT_EMAX(mf)) == FMT_EMAX(mf)) return sbit | FMT_INF(mt);
    uint64_t ma;
    int x = unpack(a, mf, &ma);
    return round_pack(sign, x, ma << (62 - mf), mt, rm, fl);
}

#endif
