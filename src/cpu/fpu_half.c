/* binary16 arithmetic for Zfh and Zfhmin (unpriv spec chapter "Zfh"): the
 * fpu.h f16_ entry points over the generic core in fpu_gen.h with 10
 * fraction bits, and the conversions to and from binary32 and binary64.
 * Must not touch hart state or CSRs, trap, or keep any state between calls. */
#include "cpu/fpu_gen.h"

uint16_t f16_add(uint16_t a, uint16_t b, unsigned rm, uint32_t *fflags)
{
    return (uint16_t)gen_add(a, b, M16, rm, fflags);
}

uint16_t f16_sub(uint16_t a, uint16_t b, unsigned rm, uint32_t *fflags)
{
    return (uint16_t)gen_add(a, b ^ 0x8000u, M16, rm, fflags);
}

uint16_t f16_mul(uint16_t a, uint16_t b, unsigned rm, uint32_t *fflags)
{
    return (uint16_t)gen_mul(a, b, M16, rm, fflags);
}

uint16_t f16_div(uint16_t a, uint16_t b, unsigned rm, uint32_t *fflags)
{
    return (uint16_t)gen_div(a, b, M16, rm, fflags);
}

uint16_t f16_sqrt(uint16_t a, unsigned rm, uint32_t *fflags)
{
    return (uint16_t)gen_sqrt(a, M16, rm, fflags);
}

uint16_t f16_fma(uint16_t a, uint16_t b, uint16_t c, int negate_product, int negate_addend,
                 unsigned rm, uint32_t *fflags)
{
    return (uint16_t)gen_fma(a, b, c, negate_product, negate_addend, M16, rm, fflags);
}

uint16_t f16_min(uint16_t a, uint16_t b, uint32_t *fflags)
{
    return (uint16_t)gen_minmax(a, b, M16, false, fflags);
}

uint16_t f16_max(uint16_t a, uint16_t b, uint32_t *fflags)
{
    return (uint16_t)gen_minmax(a, b, M16, true, fflags);
}

int f16_eq(uint16_t a, uint16_t b, uint32_t *fflags)
{
    return gen_eq(a, b, M16, fflags);
}

int f16_lt(uint16_t a, uint16_t b, uint32_t *fflags)
{
    return gen_cmp(a, b, M16, false, fflags);
}

int f16_le(uint16_t a, uint16_t b, uint32_t *fflags)
{
    return gen_cmp(a, b, M16, true, fflags);
}

uint32_t f16_classify(uint16_t a)
{
    return (uint32_t)gen_classify(a, M16);
}

int64_t f16_to_int(uint16_t a, int bits, unsigned rm, uint32_t *fflags)
{
    return gen_to_int(a, M16, bits, rm, fflags);
}

uint64_t f16_to_uint(uint16_t a, int bits, unsigned rm, uint32_t *fflags)
{
    return gen_to_uint(a, M16, bits, rm, fflags);
}

uint16_t f16_from_int(int64_t v, unsigned rm, uint32_t *fflags)
{
    return (uint16_t)gen_from_int(v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, M16, rm, fflags);
}

uint16_t f16_from_uint(uint64_t v, unsigned rm, uint32_t *fflags)
{
    return (uint16_t)gen_from_int(0, v, M16, rm, fflags);
}

uint32_t f16_to_f32(uint16_t a, uint32_t *fflags)
{
    return (uint32_t)gen_widen(a, M16, M32, fflags);
}

uint64_t f16_to_f64(uint16_t a, uint32_t *fflags)
{
    return gen_widen(a, M16, M64, fflags);
}

uint16_t f32_to_f16(uint32_t a, unsigned rm, uint32_t *fflags)
{
    return (uint16_t)gen_narrow(a, M32, M16, rm, fflags);
}

uint16_t f64_to_f16(uint64_t a, unsigned rm, uint32_t *fflags)
{
    return (uint16_t)gen_narrow(a, M64, M16, rm, fflags);
}
