/* The Zfa operations (unpriv spec chapter "Zfa", additional floating-point
 * instructions) over the generic core in fpu_gen.h, for every format by its
 * fraction width: the fli constants, IEEE 754-2019 minimum/maximum,
 * rounding to an integral value, quiet ordered comparisons and the modular
 * conversion fcvtmod.w.d. Must not touch hart state or CSRs, trap, or keep
 * any state between calls. */
#include "cpu/fpu_gen.h"

/* The fli table (Zfa, "fli"), as binary64; entry 1 is the format's smallest
 * normal number and 31 its canonical NaN. Narrowed to binary16, 2^16
 * overflows to +inf and 2^-16, 2^-15 become subnormals, as the spec says. */
static const uint64_t fli_table[32] = {
    0xbff0000000000000, 0,
    0x3ef0000000000000, 0x3f00000000000000,
    0x3f70000000000000, 0x3f80000000000000,
    0x3fb0000000000000, 0x3fc0000000000000,
    0x3fd0000000000000, 0x3fd4000000000000,
    0x3fd8000000000000, 0x3fdc000000000000,
    0x3fe0000000000000, 0x3fe4000000000000,
    0x3fe8000000000000, 0x3fec000000000000,
    0x3ff0000000000000, 0x3ff4000000000000,
    0x3ff8000000000000, 0x3ffc000000000000,
    0x4000000000000000, 0x4004000000000000,
    0x4008000000000000, 0x4010000000000000,
    0x4020000000000000, 0x4030000000000000,
    0x4060000000000000, 0x4070000000000000,
    0x40e0000000000000, 0x40f0000000000000,
    0x7ff0000000000000, 0x7ff8000000000000,
};

uint64_t fpu_fli(int fmt, unsigned idx)
{
    idx &= 31;
    if (idx == 1) return 1ull << fmt; /* exponent field 1, fraction 0 */
    if (idx == 31) return FMT_QNAN(fmt);
    uint32_t fl = 0;
    return fmt == M64 ? fli_table[idx] : gen_narrow(fli_table[idx], M64, fmt, FRM_RNE, &fl);
}

uint64_t fpu_minmax_m(uint64_t a, uint64_t b, int fmt, int max, uint32_t *fflags)
{
    if (FMT_IS_NAN(a, fmt) || FMT_IS_NAN(b, fmt)) return nan_result(a, b, fmt, fflags);
    return gen_minmax(a, b, fmt, max, fflags);
}

uint64_t fpu_round_int(uint64_t a, int fmt, unsigned rm, int nx, uint32_t *fflags)
{
    const uint64_t sbit = FMT_SIGN(fmt);
    if (FMT_IS_NAN(a, fmt)) return nan_result(a, a, fmt, fflags);
    if (!(a & ~sbit) || ((a >> fmt) & FMT_EMAX(fmt)) == FMT_EMAX(fmt)) return a;
    uint64_t sig;
    if (unpack(a, fmt, &sig) >= fmt) return a; /* no fraction bits left */
    uint64_t mag;
    bool ovf;
    bool inexact = round_to_int(a, fmt, rm, &mag, &ovf);
    if (inexact && nx) *fflags |= FFLAG_NX;
    /* The magnitude has at most fmt + 1 bits: converting it back is exact. */
    uint32_t ignore = 0;
    return mag ? gen_from_int((a & sbit) != 0, mag, fmt, rm, &ignore) : (a & sbit);
}

int fpu_le_quiet(uint64_t a, uint64_t b, int fmt, int le, uint32_t *fflags)
{
    if (FMT_IS_NAN(a, fmt) || FMT_IS_NAN(b, fmt)) {
        nan_result(a, b, fmt, fflags);
        return 0;
    }
    return ordered_lt(a, b, fmt, le);
}

int64_t fpu_fcvtmod_w_d(uint64_t a, uint32_t *fflags)
{
    const int sign = (int)(a >> 63);
    if (((a >> M64) & FMT_EMAX(M64)) == FMT_EMAX(M64)) {
        *fflags |= FFLAG_NV; /* infinity or NaN */
        return 0;
    }
    if (!(a & ~FMT_SIGN(M64))) return 0;
    uint64_t sig;
    int x = unpack(a, M64, &sig); /* value = sig * 2^(x - 52) */
    uint64_t low;                 /* the integer part modulo 2^64 */
    bool inexact, big = x > 63;
    if (x < 0) {
        low = 0, inexact = true;
    } else if (x <= M64) {
        low = sig >> (M64 - x);
        inexact = x < M64 && (sig & ((1ull << (M64 - x)) - 1)) != 0;
    } else {
        low = x - M64 < 64 ? sig << (x - M64) : 0; /* modulo 2^64 */
        inexact = false;
    }
    uint32_t r = (uint32_t)(sign ? 0 - low : low);
    bool fits = !big && x < 32 && low <= (sign ? 0x80000000ull : 0x7fffffffull);
    if (!fits)
        *fflags |= FFLAG_NV;
    else if (inexact)
        *fflags |= FFLAG_NX;
    return (int64_t)(int32_t)r;
}
