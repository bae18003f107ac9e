/* The element arithmetic of V's fixed-point instructions (V chapter 12),
 * pure functions of their operands so that unit tests reach them without
 * a hart: rounding by vxrm (12.1), saturating add/subtract, averaging
 * add/subtract, the fractional multiply vsmul, and the clips of vnclip.
 * Values are SEW-bit (esz bytes, 1..8) two's complement in a uint64_t,
 * zero-extended; intermediates are 128-bit so SEW = 64 needs no special
 * case. A saturating helper sets *sat when it clipped. Included by
 * interp_v_fix.c and its unit test only. */
#ifndef RVMM_CPU_VEC_FIX_H
#define RVMM_CPU_VEC_FIX_H

#include <stdbool.h>
#include <stdint.h>

/* vxrm's four modes (12.1). */
enum { VXRM_RNU, VXRM_RNE, VXRM_RDN, VXRM_ROD };

static inline uint64_t vfix_ones(unsigned esz)
{
    return esz >= 8 ? ~0ULL : (1ULL << (8 * esz)) - 1;
}

static inline int64_t vfix_sext(uint64_t x, unsigned esz)
{
    unsigned sh = 64 - 8 * esz;
    return (int64_t)(x << sh) >> sh;
}

/* The increment r of 12.1 for v shifted right by d (0 <= d < 128), from
 * v's bits alone, so one function serves signed and unsigned values. */
static inline unsigned vfix_round_inc(unsigned __int128 v, unsigned d, unsigned vxrm)
{
    if (d == 0) return 0;
    unsigned half = (unsigned)(v >> (d - 1)) & 1;                          /* v[d-1] */
    unsigned __int128 below = v & (((unsigned __int128)1 << (d - 1)) - 1); /* v[d-2:0] */
    unsigned lsb = d < 128 ? (unsigned)(v >> d) & 1 : 0;                   /* v[d] */
    bool sticky = below != 0;
    switch (vxrm & 3) {
    case VXRM_RNU: return half;
    case VXRM_RNE: return half & (sticky | lsb);
    case VXRM_RDN: return 0;
    default: return (lsb == 0) & (half | sticky);
    }
}

/* roundoff_unsigned(v, d) and roundoff_signed(v, d) of 12.1. */
static inline unsigned __int128 vfix_roundu(unsigned __int128 v, unsigned d, unsigned vxrm)
{
    return (v >> d) + vfix_round_inc(v, d, vxrm);
}

static inline __int128 vfix_rounds(__int128 v, unsigned d, unsigned vxrm)
{
    return (v >> d) + vfix_round_inc((unsigned __int128)v, d, vxrm);
}

/* Clip a signed / unsigned wide value to SEW bits. */
static inline uint64_t vfix_clips(__int128 v, unsigned esz, bool *sat)
{
    __int128 max = (__int128)(vfix_ones(esz) >> 1), min = -max - 1;
    if (v > max) {
        *sat = true;
        return (uint64_t)max & vfix_ones(esz);
    }
    if (v < min) {
        *sat = true;
        return (uint64_t)min & vfix_ones(esz);
    }
    return (uint64_t)v & vfix_ones(esz);
}

static inline uint64_t vfix_clipu(unsigned __int128 v, unsigned esz, bool *sat)
{
    if (v > vfix_ones(esz)) {
        *sat = true;
        return vfix_ones(esz);
    }
    return (uint64_t)v;
}

/* A signed value below 0 clipped to an unsigned SEW (vssubu). */
static inline uint64_t vfix_clipu_s(__int128 v, unsigned esz, bool *sat)
{
    if (v < 0) {
        *sat = true;
        return 0;
    }
    return vfix_clipu((unsigned __int128)v, esz, sat);
}

/* vsaddu, vsadd, vssubu, vssub (12.2). */
static inline uint64_t vfix_saddu(uint64_t a, uint64_t b, unsigned esz, bool *sat)
{
    return vfix_clipu((unsigned __int128)a + b, esz, sat);
}

static inline uint64_t vfix_sadd(uint64_t a, uint64_t b, unsigned esz, bool *sat)
{
    return vfix_clips((__int128)vfix_sext(a, esz) + vfix_sext(b, esz), esz, sat);
}

static inline uint64_t vfix_ssubu(uint64_t a, uint64_t b, unsigned esz, bool *sat)
{
    return vfix_clipu_s((__int128)a - (__int128)b, esz, sat);
}

static inline uint64_t vfix_ssub(uint64_t a, uint64_t b, unsigned esz, bool *sat)
{
    return vfix_clips((__int128)vfix_sext(a, esz) - vfix_sext(b, esz), esz, sat);
}

/* vaaddu, vaadd, vasubu, vasub (12.3): the sum or difference at SEW + 1
 * bits, shifted right by one with rounding; never saturates. */
static inline uint64_t vfix_aaddu(uint64_t a, uint64_t b, unsigned esz, unsigned vxrm)
{
    return (uint64_t)vfix_roundu((unsigned __int128)a + b, 1, vxrm) & vfix_ones(esz);
}

static inline uint64_t vfix_aadd(uint64_t a, uint64_t b, unsigned esz, unsigned vxrm)
{
    __int128 s = (__int128)vfix_sext(a, esz) + vfix_sext(b, esz);
    return (uint64_t)vfix_rounds(s, 1, vxrm) & vfix_ones(esz);
}

static inline uint64_t vfix_asubu(uint64_t a, uint64_t b, unsigned esz, unsigned vxrm)
{
    __int128 s = (__int128)a - (__int128)b;
    return (uint64_t)vfix_rounds(s, 1, vxrm) & vfix_ones(esz);
}

static inline uint64_t vfix_asub(uint64_t a, uint64_t b, unsigned esz, unsigned vxrm)
{
    __int128 s = (__int128)vfix_sext(a, esz) - vfix_sext(b, esz);
    return (uint64_t)vfix_rounds(s, 1, vxrm) & vfix_ones(esz);
}

/* vsmul (12.4): (a * b) >> (SEW - 1) rounded, clipped (only -1 * -1
 * saturates). The product of two int64_t fits in __int128. */
static inline uint64_t vfix_smul(uint64_t a, uint64_t b, unsigned esz, unsigned vxrm, bool *sat)
{
    __int128 p = (__int128)vfix_sext(a, esz) * vfix_sext(b, esz);
    return vfix_clips(vfix_rounds(p, 8 * esz - 1, vxrm), esz, sat);
}

/* vssrl, vssra (12.5): shift by the low log2(SEW) bits of b, rounded. */
static inline uint64_t vfix_ssrl(uint64_t a, uint64_t b, unsigned esz, unsigned vxrm)
{
    return (uint64_t)vfix_roundu(a, (unsigned)b & (8 * esz - 1), vxrm) & vfix_ones(esz);
}

static inline uint64_t vfix_ssra(uint64_t a, uint64_t b, unsigned esz, unsigned vxrm)
{
    return (uint64_t)vfix_rounds(vfix_sext(a, esz), (unsigned)b & (8 * esz - 1), vxrm) &
           vfix_ones(esz);
}

/* vnclipu, vnclip (12.6): a is 2 * SEW bits (esz is SEW), shifted by the
 * low log2(2 * SEW) bits of b, rounded and clipped to SEW. */
static inline uint64_t vfix_nclipu(uint64_t a, uint64_t b, unsigned esz, unsigned vxrm, bool *sat)
{
    unsigned d = (unsigned)b & (16 * esz - 1);
    return vfix_clipu(vfix_roundu(a & vfix_ones(2 * esz), d, vxrm), esz, sat);
}

static inline uint64_t vfix_nclip(uint64_t a, uint64_t b, unsigned esz, unsigned vxrm, bool *sat)
{
    unsigned d = (unsigned)b & (16 * esz - 1);
    return vfix_clips(vfix_rounds(vfix_sext(a, 2 * esz), d, vxrm), esz, sat);
}

#endif
