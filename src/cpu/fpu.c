/* binary32 and binary64 arithmetic for the F and D extensions: the fpu.h
 * entry points over the generic core in fpu_gen.h, specialised to 23 and 52
 * fraction bits, and the conversions between the two formats.
 * Must not touch hart state or CSRs, trap, or keep any state between calls. */
#include "cpu/fpu_gen.h"

/* ---- binary32 ---- */

uint32_t f32_add(uint32_t a, uint32_t b, unsigned rm, uint32_t *fflags)
{
    return (uint32_t)gen_add(a, b, M32, rm, fflags);
}

uint32_t f32_sub(uint32_t a, uint32_t b, unsigned rm, uint32_t *fflags)
{
    return (uint32_t)gen_add(a, b ^ 0x80000000u, M32, rm, fflags);
}

uint32_t f32_mul(uint32_t a, uint32_t b, unsigned rm, uint32_t *fflags)
{
    return (uint32_t)gen_mul(a, b, M32, rm, fflags);
}

uint32_t f32_div(uint32_t a, uint32_t b, unsigned rm, uint32_t *fflags)
{
    return (uint32_t)gen_div(a, b, M32, rm, fflags);
}

uint32_t f32_sqrt(uint32_t a, unsigned rm, uint32_t *fflags)
{
    return (uint32_t)gen_sqrt(a, M32, rm, fflags);
}

uint32_t f32_fma(uint32_t a, uint32_t b, uint32_t c, int negate_product, int negate_addend,
                 unsigned rm, uint32_t *fflags)
{
    return (uint32_t)gen_fma(a, b, c, negate_product, negate_addend, M32, rm, fflags);
}

uint32_t f32_min(uint32_t a, uint32_t b, uint32_t *fflags)
{
    return (uint32_t)gen_minmax(a, b, M32, false, fflags);
}

uint32_t f32_max(uint32_t a, uint32_t b, uint32_t *fflags)
{
    return (uint32_t)gen_minmax(a, b, M32, true, fflags);
}

int f32_eq(uint32_t a, uint32_t b, uint32_t *fflags)
{
    return gen_eq(a, b, M32, fflags);
}

int f32_lt(uint32_t a, uint32_t b, uint32_t *fflags)
{
    return gen_cmp(a, b, M32, false, fflags);
}

int f32_le(uint32_t a, uint32_t b, uint32_t *fflags)
{
    return gen_cmp(a, b, M32, true, fflags);
}

uint32_t f32_classify(uint32_t a)
{
    return (uint32_t)gen_classify(a, M32);
}

int32_t f32_to_i32(uint32_t a, unsigned rm, uint32_t *fflags)
{
    return (int32_t)gen_to_int(a, M32, 32, rm, fflags);
}

uint32_t f32_to_u32(uint32_t a, unsigned rm, uint32_t *fflags)
{
    return (uint32_t)gen_to_uint(a, M32, 32, rm, fflags);
}

int64_t f32_to_i64(uint32_t a, unsigned rm, uint32_t *fflags)
{
    return gen_to_int(a, M32, 64, rm, fflags);
}

uint64_t f32_to_u64(uint32_t a, unsigned rm, uint32_t *fflags)
{
    return gen_to_uint(a, M32, 64, rm, fflags);
}

uint32_t f32_from_i32(int32_t v, unsigned rm, uint32_t *fflags)
{
    return (uint32_t)gen_from_int(v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, M32, rm, fflags);
}

uint32_t f32_from_u32(uint32_t v, unsigned rm, uint32_t *fflags)
{
    return (uint32_t)gen_from_int(0, v, M32, rm, fflags);
}

uint32_t f32_from_i64(int64_t v, unsigned rm, uint32_t *fflags)
{
    return (uint32_t)gen_from_int(v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, M32, rm, fflags);
}

uint32_t f32_from_u64(uint64_t v, unsigned rm, uint32_t *fflags)
{
    return (uint32_t)gen_from_int(0, v, M32, rm, fflags);
}

/* ---- binary64 ---- */

uint64_t f64_add(uint64_t a, uint64_t b, unsigned rm, uint32_t *fflags)
{
    return gen_add(a, b, M64, rm, fflags);
}

uint64_t f64_sub(uint64_t a, uint64_t b, unsigned rm, uint32_t *fflags)
{
    return gen_add(a, b ^ FMT_SIGN(M64), M64, rm, fflags);
}

uint64_t f64_mul(uint64_t a, uint64_t b, unsigned rm, uint32_t *fflags)
{
    return gen_mul(a, b, M64, rm, fflags);
}

uint64_t f64_div(uint64_t a, uint64_t b, unsigned rm, uint32_t *fflags)
{
    return gen_div(a, b, M64, rm, fflags);
}

uint64_t f64_sqrt(uint64_t a, unsigned rm, uint32_t *fflags)
{
    return gen_sqrt(a, M64, rm, fflags);
}

uint64_t f64_fma(uint64_t a, uint64_t b, uint64_t c, int negate_product, int negate_addend,
                 unsigned rm, uint32_t *fflags)
{
    return gen_fma(a, b, c, negate_product, negate_addend, M64, rm, fflags);
}

uint64_t f64_min(uint64_t a, uint64_t b, uint32_t *fflags)
{
    return gen_minmax(a, b, M64, false, fflags);
}

uint64_t f64_max(uint64_t a, uint64_t b, uint32_t *fflags)
{
    return gen_minmax(a, b, M64, true, fflags);
}

int f64_eq(uint64_t a, uint64_t b, uint32_t *fflags)
{
    return gen_eq(a, b, M64, fflags);
}

int f64_lt(uint64_t a, uint64_t b, uint32_t *fflags)
{
    return gen_cmp(a, b, M64, false, fflags);
}

int f64_le(uint64_t a, uint64_t b, uint32_t *fflags)
{
    return gen_cmp(a, b, M64, true, fflags);
}

uint64_t f64_classify(uint64_t a)
{
    return gen_classify(a, M64);
}

int32_t f64_to_i32(uint64_t a, unsigned rm, uint32_t *fflags)
{
    return (int32_t)gen_to_int(a, M64, 32, rm, fflags);
}

uint32_t f64_to_u32(uint64_t a, unsigned rm, uint32_t *fflags)
{
    return (uint32_t)gen_to_uint(a, M64, 32, rm, fflags);
}

int64_t f64_to_i64(uint64_t a, unsigned rm, uint32_t *fflags)
{
    return gen_to_int(a, M64, 64, rm, fflags);
}

uint64_t f64_to_u64(uint64_t a, unsigned rm, uint32_t *fflags)
{
    return gen_to_uint(a, M64, 64, rm, fflags);
}

uint64_t f64_from_i32(int32_t v, unsigned rm, uint32_t *fflags)
{
    return gen_from_int(v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, M64, rm, fflags);
}

uint64_t f64_from_u32(uint32_t v, unsigned rm, uint32_t *fflags)
{
    return gen_from_int(0, v, M64, rm, fflags);
}

uint64_t f64_from_i64(int64_t v, unsigned rm, uint32_t *fflags)
{
    return gen_from_int(v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, M64, rm, fflags);
}

uint64_t f64_from_u64(uint64_t v, unsigned rm, uint32_t *fflags)
{
    return gen_from_int(0, v, M64, rm, fflags);
}

/* ---- between formats ---- */

/* Widening is exact; a NaN becomes the canonical NaN, NV if it signaled. */
uint64_t f32_to_f64(uint32_t a, uint32_t *fflags)
{
    return gen_widen(a, M32, M64, fflags);
}

uint32_t f64_to_f32(uint64_t a, unsigned rm, uint32_t *fflags)
{
    return (uint32_t)gen_narrow(a, M64, M32, rm, fflags);
}
