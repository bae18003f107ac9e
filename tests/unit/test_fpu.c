/* Unit tests for src/cpu/fpu.c: a directed table of hand-derived cases (ties
 * in every rounding mode, overflow, tininess after rounding, signed zeros,
 * NaNs, saturating conversions, fclass), each also confirmed on QEMU; the
 * QEMU-generated random batch of fpu_vectors.h; and independence from the
 * host's rounding mode.
 *
 * Regenerating fpu_vectors.h: compile fpu_vectors.h's fv_operands() into a
 * bare-metal RV64 program (riscv64-unknown-elf-gcc -march=rv64gc, -DFV_NO_TABLES)
 * that, for each batch of fv_batch_get() and each index, writes frm, clears
 * fflags, runs the instruction with the dyn rounding mode, and prints the
 * result (f32 results and W-sized integers zero-extended to 64 bits) and
 * fflags in hex over the virt UART; run it with
 * `qemu-system-riscv64 -M virt -bios none -kernel oracle.elf -nographic`
 * and paste the columns into the GENERATED section. The directed cases were
 * checked the same way. Must not depend on anything but the fpu. */
#include "cpu/fpu.h"

#include <fenv.h>
#include <stdio.h>

#include "fpu_vectors.h"
#include "ut.h"

UT_MAIN_STATE

/* Dispatch one vector (fpu_vectors.h's encoding) to the function under test. */
static uint64_t fv_eval(int dbl, int op, unsigned rm, const uint64_t *o, uint32_t *fl)
{
    if (!dbl) {
        uint32_t a = (uint32_t)o[0], b = (uint32_t)o[1], c = (uint32_t)o[2];
        switch (op) {
        case FV_ADD: return f32_add(a, b, rm, fl);
        case FV_SUB: return f32_sub(a, b, rm, fl);
        case FV_MUL: return f32_mul(a, b, rm, fl);
        case FV_DIV: return f32_div(a, b, rm, fl);
        case FV_SQRT: return f32_sqrt(a, rm, fl);
        case FV_MADD: return f32_fma(a, b, c, 0, 0, rm, fl);
        case FV_MSUB: return f32_fma(a, b, c, 0, 1, rm, fl);
        case FV_NMSUB: return f32_fma(a, b, c, 1, 0, rm, fl);
        case FV_NMADD: return f32_fma(a, b, c, 1, 1, rm, fl);
        case FV_MIN: return f32_min(a, b, fl);
        case FV_MAX: return f32_max(a, b, fl);
        case FV_EQ: return (uint64_t)f32_eq(a, b, fl);
        case FV_LT: return (uint64_t)f32_lt(a, b, fl);
        case FV_LE: return (uint64_t)f32_le(a, b, fl);
        case FV_CLASS: return f32_classify(a);
        case FV_TO_W: return (uint32_t)f32_to_i32(a, rm, fl);
        case FV_TO_WU: return f32_to_u32(a, rm, fl);
        case FV_TO_L: return (uint64_t)f32_to_i64(a, rm, fl);
        case FV_TO_LU: return f32_to_u64(a, rm, fl);
        case FV_FROM_W: return f32_from_i32((int32_t)o[0], rm, fl);
        case FV_FROM_WU: return f32_from_u32((uint32_t)o[0], rm, fl);
        case FV_FROM_L: return f32_from_i64((int64_t)o[0], rm, fl);
        case FV_FROM_LU: return f32_from_u64(o[0], rm, fl);
        default: return f32_to_f64(a, fl);
        }
    }
    uint64_t a = o[0], b = o[1], c = o[2];
    switch (op) {
    case FV_ADD: return f64_add(a, b, rm, fl);
    case FV_SUB: return f64_sub(a, b, rm, fl);
    case FV_MUL: return f64_mul(a, b, rm, fl);
    case FV_DIV: return f64_div(a, b, rm, fl);
    case FV_SQRT: return f64_sqrt(a, rm, fl);
    case FV_MADD: return f64_fma(a, b, c, 0, 0, rm, fl);
    case FV_MSUB: return f64_fma(a, b, c, 0, 1, rm, fl);
    case FV_NMSUB: return f64_fma(a, b, c, 1, 0, rm, fl);
    case FV_NMADD: return f64_fma(a, b, c, 1, 1, rm, fl);
    case FV_MIN: return f64_min(a, b, fl);
    case FV_MAX: return f64_max(a, b, fl);
    case FV_EQ: return (uint64_t)f64_eq(a, b, fl);
    case FV_LT: return (uint64_t)f64_lt(a, b, fl);
    case FV_LE: return (uint64_t)f64_le(a, b, fl);
    case FV_CLASS: return f64_classify(a);
    case FV_TO_W: return (uint32_t)f64_to_i32(a, rm, fl);
    case FV_TO_WU: return f64_to_u32(a, rm, fl);
    case FV_TO_L: return (uint64_t)f64_to_i64(a, rm, fl);
    case FV_TO_LU: return f64_to_u64(a, rm, fl);
    case FV_FROM_W: return f64_from_i32((int32_t)o[0], rm, fl);
    case FV_FROM_WU: return f64_from_u32((uint32_t)o[0], rm, fl);
    case FV_FROM_L: return f64_from_i64((int64_t)o[0], rm, fl);
    case FV_FROM_LU: return f64_from_u64(o[0], rm, fl);
    default: return f64_to_f32(a, rm, fl);
    }
}

static const char *const fv_names[FV_NOPS] = {
    "add",   "sub",  "mul",   "div",    "sqrt",    "madd",   "msub",    "nmsub",
    "nmadd", "min",  "max",   "eq",     "lt",      "le",     "class",   "to_w",
    "to_wu", "to_l", "to_lu", "from_w", "from_wu", "from_l", "from_lu", "cvt"};

/* ---- directed cases ---- */

struct fv_case {
    int dbl, op;
    unsigned rm;
    uint64_t a, b, c, want;
    uint32_t flags;
};

#define NX  FFLAG_NX
#define UF  FFLAG_UF
#define OF  FFLAG_OF
#define DZ  FFLAG_DZ
#define NV  FFLAG_NV
#define RNE FRM_RNE
#define RTZ FRM_RTZ
#define RDN FRM_RDN
#define RUP FRM_RUP
#define RMM FRM_RMM
#define S3(op, rm, a, b, c, want, fl)                                                              \
    {                                                                                              \
        0, FV_##op, rm, a, b, c, want, fl                                                          \
    }
#define D3(op, rm, a, b, c, want, fl)                                                              \
    {                                                                                              \
        1, FV_##op, rm, a, b, c, want, fl                                                          \
    }
#define S2(op, rm, a, b, want, fl) S3(op, rm, a, b, 0, want, fl)
#define D2(op, rm, a, b, want, fl) D3(op, rm, a, b, 0, want, fl)
#define S1(op, rm, a, want, fl)    S3(op, rm, a, 0, 0, want, fl)
#define D1(op, rm, a, want, fl)    D3(op, rm, a, 0, 0, want, fl)

/* binary32 */
#define S_ONE     0x3f800000u
#define S_TWO     0x40000000u
#define S_HALF    0x3f000000u
#define S_MAX     0x7f7fffffu
#define S_INF     0x7f800000u
#define S_NINF    0xff800000u
#define S_QNAN    0x7fc00000u
#define S_SNAN    0x7f800001u
#define S_MINNORM 0x00800000u
#define S_NZERO   0x80000000u
/* binary64 */
#define D_ONE   0x3ff0000000000000ull
#define D_TWO   0x4000000000000000ull
#define D_HALF  0x3fe0000000000000ull
#define D_MAX   0x7fefffffffffffffull
#define D_INF   0x7ff0000000000000ull
#define D_NINF  0xfff0000000000000ull
#define D_QNAN  0x7ff8000000000000ull
#define D_SNAN  0x7ff0000000000001ull
#define D_NZERO 0x8000000000000000ull

/* DIRECTED BEGIN */
static const struct fv_case fv_directed[] = {
    /* 1 + 2^-24 is a tie between 1 and 1+ulp: even is 1, RMM goes away. */
    S2(ADD, RNE, S_ONE, 0x33800000, S_ONE, NX),
    S2(ADD, RTZ, S_ONE, 0x33800000, S_ONE, NX),
    S2(ADD, RDN, S_ONE, 0x33800000, S_ONE, NX),
    S2(ADD, RUP, S_ONE, 0x33800000, 0x3f800001, NX),
    S2(ADD, RMM, S_ONE, 0x33800000, 0x3f800001, NX),
    /* (1+ulp) + 2^-24: the tie now goes up to even in RNE too. */
    S2(ADD, RNE, 0x3f800001, 0x33800000, 0x3f800002, NX),
    S2(ADD, RTZ, 0x3f800001, 0x33800000, 0x3f800001, NX),
    S2(ADD, RMM, 0x3f800001, 0x33800000, 0x3f800002, NX),
    /* Negative tie: RMM and RDN go away from zero, RNE/RUP/RTZ toward. */
    S2(ADD, RNE, 0xbf800000, 0xb3800000, 0xbf800000, NX),
    S2(ADD, RTZ, 0xbf800000, 0xb3800000, 0xbf800000, NX),
    S2(ADD, RDN, 0xbf800000, 0xb3800000, 0xbf800001, NX),
    S2(ADD, RUP, 0xbf800000, 0xb3800000, 0xbf800000, NX),
    S2(ADD, RMM, 0xbf800000, 0xb3800000, 0xbf800001, NX),
    /* Non-ties: 0.75 ulp and 0.25 ulp above 1. */
    S2(ADD, RNE, S_ONE, 0x33c00000, 0x3f800001, NX),
    S2(ADD, RMM, S_ONE, 0x33c00000, 0x3f800001, NX),
    S2(ADD, RTZ, S_ONE, 0x33c00000, S_ONE, NX),
    S2(ADD, RNE, S_ONE, 0x33000000, S_ONE, NX),
    S2(ADD, RMM, S_ONE, 0x33000000, S_ONE, NX),
    S2(ADD, RUP, S_ONE, 0x33000000, 0x3f800001, NX),
    D2(ADD, RNE, D_ONE, 0x3ca0000000000000, D_ONE, NX),
    D2(ADD, RMM, D_ONE, 0x3ca0000000000000, 0x3ff0000000000001, NX),
    D2(ADD, RUP, D_ONE, 0x3ca0000000000000, 0x3ff0000000000001, NX),
    D2(ADD, RNE, 0x3ff0000000000001, 0x3ca0000000000000, 0x3ff0000000000002, NX),
    D2(ADD, RMM, 0xbff0000000000000, 0xbca0000000000000, 0xbff0000000000001, NX),
    D2(ADD, RDN, 0xbff0000000000000, 0xbca0000000000000, 0xbff0000000000001, NX),
    D2(ADD, RNE, 0xbff0000000000000, 0xbca0000000000000, 0xbff0000000000000, NX),
    /* Exact zero sums: +0, except -0 when rounding down or both are -0. */
    S2(ADD, RNE, S_ONE, 0xbf800000, 0, 0),
    S2(ADD, RDN, S_ONE, 0xbf800000, S_NZERO, 0),
    S2(SUB, RDN, S_ONE, S_ONE, S_NZERO, 0),
    S2(SUB, RUP, S_ONE, S_ONE, 0, 0),
    S2(ADD, RNE, S_NZERO, S_NZERO, S_NZERO, 0),
    S2(ADD, RNE, 0, S_NZERO, 0, 0),
    S2(ADD, RDN, 0, S_NZERO, S_NZERO, 0),
    S2(ADD, RNE, S_NZERO, 0x00000001, 0x00000001, 0),
    D2(ADD, RDN, D_ONE, 0xbff0000000000000, D_NZERO, 0),
    D2(SUB, RNE, D_NZERO, 0, D_NZERO, 0),
    D2(SUB, RDN, 0, 0, D_NZERO, 0),
    /* Overflow: infinity or the largest finite number by rounding mode. */
    S2(ADD, RNE, S_MAX, S_MAX, S_INF, OF | NX),
    S2(ADD, RTZ, S_MAX, S_MAX, S_MAX, OF | NX),
    S2(ADD, RDN, S_MAX, S_MAX, S_MAX, OF | NX),
    S2(ADD, RUP, S_MAX, S_MAX, S_INF, OF | NX),
    S2(ADD, RMM, S_MAX, S_MAX, S_INF, OF | NX),
    S2(ADD, RNE, 0xff7fffff, 0xff7fffff, S_NINF, OF | NX),
    S2(ADD, RTZ, 0xff7fffff, 0xff7fffff, 0xff7fffff, OF | NX),
    S2(ADD, RDN, 0xff7fffff, 0xff7fffff, S_NINF, OF | NX),
    S2(ADD, RUP, 0xff7fffff, 0xff7fffff, 0xff7fffff, OF | NX),
    S2(ADD, RMM, 0xff7fffff, 0xff7fffff, S_NINF, OF | NX),
    /* max + half an ulp: a tie that overflows in RNE/RMM, only inexact in
     * RTZ/RDN; a quarter ulp overflows only in RUP. */
    S2(ADD, RNE, S_MAX, 0x73000000, S_INF, OF | NX),
    S2(ADD, RMM, S_MAX, 0x73000000, S_INF, OF | NX),
    S2(ADD, RTZ, S_MAX, 0x73000000, S_MAX, NX),
    S2(ADD, RDN, S_MAX, 0x73000000, S_MAX, NX),
    S2(ADD, RNE, S_MAX, 0x72800000, S_MAX, NX),
    S2(ADD, RUP, S_MAX, 0x72800000, S_INF, OF | NX),
    D2(MUL, RNE, D_MAX, D_TWO, D_INF, OF | NX),
    D2(MUL, RTZ, D_MAX, D_TWO, D_MAX, OF | NX),
    D2(MUL, RDN, D_MAX, D_TWO, D_MAX, OF | NX),
    D2(MUL, RUP, D_MAX, D_TWO, D_INF, OF | NX),
    D2(MUL, RMM, D_MAX, D_TWO, D_INF, OF | NX),
    D2(MUL, RDN, 0xffefffffffffffff, D_TWO, D_NINF, OF | NX),
    D2(MUL, RUP, 0xffefffffffffffff, D_TWO, 0xffefffffffffffff, OF | NX),
    /* Subnormal results: exact ones raise nothing; inexact tiny ones UF|NX. */
    S2(MUL, RNE, S_MINNORM, S_HALF, 0x00400000, 0),
    S2(SUB, RNE, S_MINNORM, 0x00400000, 0x00400000, 0),
    S2(MUL, RNE, 0x00000001, S_HALF, 0, UF | NX),
    S2(MUL, RTZ, 0x00000001, S_HALF, 0, UF | NX),
    S2(MUL, RDN, 0x00000001, S_HALF, 0, UF | NX),
    S2(MUL, RUP, 0x00000001, S_HALF, 0x00000001, UF | NX),
    S2(MUL, RMM, 0x00000001, S_HALF, 0x00000001, UF | NX),
    S2(MUL, RNE, 0x80000001, S_HALF, S_NZERO, UF | NX),
    S2(MUL, RDN, 0x80000001, S_HALF, 0x80000001, UF | NX),
    S2(MUL, RUP, 0x80000001, S_HALF, S_NZERO, UF | NX),
    S2(MUL, RMM, 0x80000001, S_HALF, 0x80000001, UF | NX),
    S2(MUL, RNE, 0x80000001, 0x00000001, S_NZERO, UF | NX),
    S2(MUL, RDN, 0x80000001, 0x00000001, 0x80000001, UF | NX),
    D2(MUL, RNE, 0x0010000000000000, D_HALF, 0x0008000000000000, 0),
    D2(MUL, RNE, 0x0000000000000001, D_HALF, 0, UF | NX),
    D2(MUL, RMM, 0x0000000000000001, D_HALF, 0x0000000000000001, UF | NX),
    D2(MUL, RNE, 0x0000000000000003, D_HALF, 0x0000000000000002, UF | NX),
    D2(MUL, RMM, 0x0000000000000003, D_HALF, 0x0000000000000002, UF | NX),
    /* Tininess after rounding (unpriv 11.2), via fcvt.s.d: 2^-126 - 2^-151
     * rounds (unbounded exponent) to 2^-126, so it is not tiny in RNE/RMM/
     * RUP and only NX is raised; RTZ keeps it below 2^-126: UF. */
    D1(CVT, RNE, 0x380ffffff0000000, S_MINNORM, NX),
    D1(CVT, RMM, 0x380ffffff0000000, S_MINNORM, NX),
    D1(CVT, RUP, 0x380ffffff0000000, S_MINNORM, NX),
    D1(CVT, RTZ, 0x380ffffff0000000, 0x007fffff, UF | NX),
    D1(CVT, RDN, 0x380ffffff0000000, 0x007fffff, UF | NX),
    /* 2^-126 - 2^-150 has 24 significant bits, so it is tiny whatever the
     * rounding, even when the subnormal rounding lands on 2^-126. */
    D1(CVT, RNE, 0x380fffffe0000000, S_MINNORM, UF | NX),
    D1(CVT, RMM, 0x380fffffe0000000, S_MINNORM, UF | NX),
    D1(CVT, RTZ, 0x380fffffe0000000, 0x007fffff, UF | NX),
    D1(CVT, RDN, 0xb80fffffe0000000, 0x80800000, UF | NX),
    /* A carry into the next binade near the bottom of the range is exact. */
    D2(ADD, RNE, 0x001fffffffffffff, 0x0000000000000001, 0x0020000000000000, 0),
    /* Multiplication ties: (1+2^-12)^2 = 1 + 2^-11 + 2^-24. */
    S2(MUL, RNE, 0x3f800800, 0x3f800800, 0x3f801000, NX),
    S2(MUL, RTZ, 0x3f800800, 0x3f800800, 0x3f801000, NX),
    S2(MUL, RUP, 0x3f800800, 0x3f800800, 0x3f801001, NX),
    S2(MUL, RMM, 0x3f800800, 0x3f800800, 0x3f801001, NX),
    S2(MUL, RNE, 0xbf800800, 0x3f800800, 0xbf801000, NX),
    S2(MUL, RDN, 0xbf800800, 0x3f800800, 0xbf801001, NX),
    S2(MUL, RMM, 0xbf800800, 0x3f800800, 0xbf801001, NX),
    D2(MUL, RNE, 0x3ff0000004000000, 0x3ff0000002000000, 0x3ff0000006000000, NX),
    D2(MUL, RMM, 0x3ff0000004000000, 0x3ff0000002000000, 0x3ff0000006000001, NX),
    D2(MUL, RMM, 0xbff0000004000000, 0x3ff0000002000000, 0xbff0000006000001, NX),
    D2(MUL, RUP, 0xbff0000004000000, 0x3ff0000002000000, 0xbff0000006000000, NX),
    /* Signed zeros and infinities in mul/div. */
    S2(MUL, RNE, S_NZERO, 0x40400000, S_NZERO, 0),
    S2(MUL, RNE, 0, S_INF, S_QNAN, NV),
    S2(MUL, RNE, S_NINF, 0x40400000, S_NINF, 0),
    D2(MUL, RNE, D_NZERO, D_NINF, D_QNAN, NV),
    /* Division: 1/3 in each mode, specials, divide by zero. */
    S2(DIV, RNE, S_ONE, 0x40400000, 0x3eaaaaab, NX),
    S2(DIV, RTZ, S_ONE, 0x40400000, 0x3eaaaaaa, NX),
    S2(DIV, RDN, S_ONE, 0x40400000, 0x3eaaaaaa, NX),
    S2(DIV, RUP, S_ONE, 0x40400000, 0x3eaaaaab, NX),
    S2(DIV, RMM, S_ONE, 0x40400000, 0x3eaaaaab, NX),
    S2(DIV, RDN, 0xbf800000, 0x40400000, 0xbeaaaaab, NX),
    S2(DIV, RUP, 0xbf800000, 0x40400000, 0xbeaaaaaa, NX),
    D2(DIV, RNE, D_ONE, 0x4008000000000000, 0x3fd5555555555555, NX),
    D2(DIV, RUP, D_ONE, 0x4008000000000000, 0x3fd5555555555556, NX),
    D2(DIV, RMM, D_ONE, 0x4008000000000000, 0x3fd5555555555555, NX),
    S2(DIV, RNE, 0x40c00000, 0x40400000, S_TWO, 0),
    S2(DIV, RNE, S_ONE, 0, S_INF, DZ),
    S2(DIV, RNE, 0xbf800000, 0, S_NINF, DZ),
    S2(DIV, RNE, S_ONE, S_NZERO, S_NINF, DZ),
    S2(DIV, RNE, 0, 0, S_QNAN, NV),
    S2(DIV, RNE, S_INF, S_NINF, S_QNAN, NV),
    S2(DIV, RNE, S_INF, 0, S_INF, 0),
    S2(DIV, RNE, S_ONE, S_NINF, S_NZERO, 0),
    S2(DIV, RNE, S_QNAN, 0, S_QNAN, 0),
    D2(DIV, RNE, D_ONE, 0, D_INF, DZ),
    D2(DIV, RNE, 0, D_NZERO, D_QNAN, NV),
    D2(DIV, RNE, D_SNAN, 0, D_QNAN, NV),
    D2(DIV, RNE, 0x0000000000000001, 0x4330000000000000, 0, UF | NX),
    D2(DIV, RUP, 0x0000000000000001, 0x4330000000000000, 0x0000000000000001, UF | NX),
    /* NaNs: canonical results; NV only for signaling inputs or invalid ops. */
    S2(ADD, RNE, S_QNAN, S_ONE, S_QNAN, 0),
    S2(ADD, RNE, S_ONE, 0xffc12345, S_QNAN, 0),
    S2(ADD, RNE, S_SNAN, S_ONE, S_QNAN, NV),
    S2(ADD, RNE, 0xffc00000, 0xff800001, S_QNAN, NV),
    S2(ADD, RNE, S_INF, S_NINF, S_QNAN, NV),
    S2(SUB, RNE, S_INF, S_INF, S_QNAN, NV),
    S2(ADD, RNE, S_INF, S_INF, S_INF, 0),
    S2(SUB, RNE, S_ONE, S_INF, S_NINF, 0),
    D2(ADD, RNE, 0xfff8000000000123, D_ONE, D_QNAN, 0),
    D2(SUB, RNE, D_ONE, 0x7ff4000000000000, D_QNAN, NV),
    D2(SUB, RNE, D_NINF, D_NINF, D_QNAN, NV),
    /* Square root. */
    S1(SQRT, RNE, 0x40800000, S_TWO, 0),
    S1(SQRT, RNE, S_TWO, 0x3fb504f3, NX),
    S1(SQRT, RTZ, S_TWO, 0x3fb504f3, NX),
    S1(SQRT, RDN, S_TWO, 0x3fb504f3, NX),
    S1(SQRT, RUP, S_TWO, 0x3fb504f4, NX),
    S1(SQRT, RMM, S_TWO, 0x3fb504f3, NX),
    S1(SQRT, RNE, 0xbf800000, S_QNAN, NV),
    S1(SQRT, RNE, S_NZERO, S_NZERO, 0),
    S1(SQRT, RNE, 0, 0, 0),
    S1(SQRT, RNE, S_INF, S_INF, 0),
    S1(SQRT, RNE, S_NINF, S_QNAN, NV),
    S1(SQRT, RNE, 0xffc00001, S_QNAN, 0),
    S1(SQRT, RNE, S_SNAN, S_QNAN, NV),
    S1(SQRT, RNE, 0x80000001, S_QNAN, NV),
    S1(SQRT, RNE, 0x00000001, 0x1a3504f3, NX),
    D1(SQRT, RNE, D_TWO, 0x3ff6a09e667f3bcd, NX),
    D1(SQRT, RTZ, D_TWO, 0x3ff6a09e667f3bcc, NX),
    D1(SQRT, RDN, D_TWO, 0x3ff6a09e667f3bcc, NX),
    D1(SQRT, RUP, D_TWO, 0x3ff6a09e667f3bcd, NX),
    D1(SQRT, RMM, D_TWO, 0x3ff6a09e667f3bcd, NX),
    D1(SQRT, RNE, 0x4022000000000000, 0x4008000000000000, 0),
    D1(SQRT, RNE, 0x0000000000000004, 0x1e70000000000000, 0),
    D1(SQRT, RNE, 0xbff0000000000000, D_QNAN, NV),
    D1(SQRT, RNE, D_NZERO, D_NZERO, 0),
    D1(SQRT, RNE, D_SNAN, D_QNAN, NV),
    /* Fused multiply-add: one rounding. (1+2^-12)^2 - 1 is exact. */
    S3(MADD, RNE, 0x3f800800, 0x3f800800, 0xbf800000, 0x3a000400, 0),
    S3(MADD, RNE, 0x3f800800, 0x3f800800, S_ONE, 0x40000800, NX),
    S3(MADD, RUP, 0x3f800800, 0x3f800800, S_ONE, 0x40000801, NX),
    S3(MADD, RMM, 0x3f800800, 0x3f800800, S_ONE, 0x40000800, NX),
    D3(MADD, RNE, 0x3ff0000004000000, 0x3ff0000002000000, 0xbff0000000000000, 0x3e58000002000000,
       0),
    /* A tie made by the addend: (1+2^-12)^2 - 2^-11 = 1 + 2^-24. */
    S3(MSUB, RNE, 0x3f800800, 0x3f800800, 0x3a000000, 0x3f800000, NX),
    S3(MSUB, RMM, 0x3f800800, 0x3f800800, 0x3a000000, 0x3f800001, NX),
    /* fmsub/fnmsub/fnmadd signs: 1*2 -/+ 3. */
    S3(MSUB, RNE, S_ONE, S_TWO, 0x40400000, 0xbf800000, 0),
    S3(NMSUB, RNE, S_ONE, S_TWO, 0x40400000, S_ONE, 0),
    S3(NMADD, RNE, S_ONE, S_TWO, 0x40400000, 0xc0a00000, 0),
    D3(NMADD, RNE, D_ONE, D_TWO, 0x4008000000000000, 0xc014000000000000, 0),
    /* No intermediate overflow: 2*max - max = max exactly. */
    S3(MADD, RNE, S_MAX, S_TWO, 0xff7fffff, S_MAX, 0),
    D3(MSUB, RNE, D_MAX, D_TWO, D_MAX, D_MAX, 0),
    /* A tiny product decides the rounding of a large addend. */
    S3(MADD, RNE, 0x00000001, 0x00000001, S_ONE, S_ONE, NX),
    S3(MADD, RUP, 0x00000001, 0x00000001, S_ONE, 0x3f800001, NX),
    S3(MADD, RDN, 0x80000001, 0x00000001, S_ONE, 0x3f7fffff, NX),
    S3(MADD, RTZ, 0x80000001, 0x00000001, S_ONE, 0x3f7fffff, NX),
    S3(MADD, RNE, 0x80000001, 0x00000001, S_ONE, S_ONE, NX),
    D3(MADD, RUP, 0x0000000000000001, 0x0000000000000001, D_ONE, 0x3ff0000000000001, NX),
    /* Signed zeros: exact cancellation and zero products. */
    S3(MSUB, RNE, S_ONE, S_ONE, S_ONE, 0, 0),
    S3(MSUB, RDN, S_ONE, S_ONE, S_ONE, S_NZERO, 0),
    S3(MADD, RNE, 0, S_ONE, S_NZERO, 0, 0),
    S3(MADD, RDN, 0, S_ONE, S_NZERO, S_NZERO, 0),
    S3(MADD, RNE, S_NZERO, S_ONE, S_NZERO, S_NZERO, 0),
    S3(NMSUB, RNE, 0, S_ONE, 0, 0, 0),
    S3(NMADD, RNE, 0, S_ONE, 0, S_NZERO, 0),
    S3(MADD, RNE, 0, S_ONE, 0x00000001, 0x00000001, 0),
    D3(MADD, RDN, D_NZERO, D_ONE, 0, D_NZERO, 0),
    D3(MSUB, RUP, D_TWO, D_HALF, D_ONE, 0, 0),
    /* Invalid: inf*0 even when the addend is a quiet NaN (as SoftFloat). */
    S3(MADD, RNE, S_INF, 0, S_ONE, S_QNAN, NV),
    S3(MADD, RNE, 0, S_NINF, S_QNAN, S_QNAN, NV),
    S3(MADD, RNE, S_QNAN, 0, S_ONE, S_QNAN, 0),
    S3(MADD, RNE, S_QNAN, S_INF, S_ONE, S_QNAN, 0),
    S3(MADD, RNE, S_ONE, S_ONE, S_SNAN, S_QNAN, NV),
    S3(MADD, RNE, S_INF, S_ONE, S_NINF, S_QNAN, NV),
    S3(MSUB, RNE, S_INF, S_ONE, S_INF, S_QNAN, NV),
    S3(MADD, RNE, S_INF, S_ONE, S_INF, S_INF, 0),
    S3(NMADD, RNE, S_INF, S_ONE, S_NINF, S_QNAN, NV),
    S3(MADD, RNE, S_ONE, S_ONE, S_NINF, S_NINF, 0),
    D3(MADD, RNE, D_INF, 0, D_QNAN, D_QNAN, NV),
    D3(NMSUB, RNE, 0, D_INF, D_ONE, D_QNAN, NV),
    D3(MADD, RNE, D_ONE, D_ONE, 0x7ff0000000000002, D_QNAN, NV),
    /* fma overflow and underflow. */
    S3(MADD, RNE, S_MAX, S_MAX, S_ONE, S_INF, OF | NX),
    S3(MADD, RTZ, S_MAX, S_MAX, S_ONE, S_MAX, OF | NX),
    S3(MADD, RNE, 0x00800000, S_HALF, 0x80000001, 0x003fffff, 0),
    S3(MADD, RNE, 0x00000001, S_HALF, 0, 0, UF | NX),
    S3(MADD, RMM, 0x00000001, S_HALF, 0, 0x00000001, UF | NX),
    /* min/max: minimumNumber/maximumNumber; -0 < +0. */
    S2(MIN, RNE, S_ONE, S_TWO, S_ONE, 0),
    S2(MAX, RNE, S_ONE, S_TWO, S_TWO, 0),
    S2(MIN, RNE, 0xbf800000, 0xc0000000, 0xc0000000, 0),
    S2(MAX, RNE, 0xbf800000, 0xc0000000, 0xbf800000, 0),
    S2(MIN, RNE, S_NZERO, 0, S_NZERO, 0),
    S2(MIN, RNE, 0, S_NZERO, S_NZERO, 0),
    S2(MAX, RNE, S_NZERO, 0, 0, 0),
    S2(MAX, RNE, 0, S_NZERO, 0, 0),
    S2(MIN, RNE, S_QNAN, S_ONE, S_ONE, 0),
    S2(MIN, RNE, S_ONE, 0xffc00123, S_ONE, 0),
    S2(MAX, RNE, S_SNAN, S_ONE, S_ONE, NV),
    S2(MIN, RNE, S_NINF, S_SNAN, S_NINF, NV),
    S2(MIN, RNE, S_QNAN, S_QNAN, S_QNAN, 0),
    S2(MAX, RNE, 0xffc00001, 0x7fc00002, S_QNAN, 0),
    S2(MAX, RNE, S_SNAN, S_QNAN, S_QNAN, NV),
    S2(MAX, RNE, S_NINF, S_INF, S_INF, 0),
    D2(MIN, RNE, D_NZERO, 0, D_NZERO, 0),
    D2(MAX, RNE, D_NZERO, 0, 0, 0),
    D2(MAX, RNE, D_QNAN, D_NINF, D_NINF, 0),
    D2(MIN, RNE, D_ONE, D_SNAN, D_ONE, NV),
    D2(MIN, RNE, D_SNAN, 0xfff8000000000001, D_QNAN, NV),
    D2(MIN, RNE, 0x0000000000000001, 0x8000000000000001, 0x8000000000000001, 0),
    /* Comparisons: feq quiet, flt/fle signaling; -0 == +0. */
    S2(EQ, RNE, S_ONE, S_ONE, 1, 0),
    S2(EQ, RNE, 0, S_NZERO, 1, 0),
    S2(EQ, RNE, S_QNAN, S_QNAN, 0, 0),
    S2(EQ, RNE, S_ONE, S_QNAN, 0, 0),
    S2(EQ, RNE, S_SNAN, S_ONE, 0, NV),
    S2(LT, RNE, S_QNAN, S_ONE, 0, NV),
    S2(LE, RNE, S_ONE, S_QNAN, 0, NV),
    S2(LT, RNE, S_NZERO, 0, 0, 0),
    S2(LE, RNE, S_NZERO, 0, 1, 0),
    S2(LE, RNE, 0, S_NZERO, 1, 0),
    S2(LT, RNE, 0xbf800000, S_ONE, 1, 0),
    S2(LT, RNE, 0xc0000000, 0xbf800000, 1, 0),
    S2(LT, RNE, 0xbf800000, 0xc0000000, 0, 0),
    S2(LT, RNE, S_ONE, S_ONE, 0, 0),
    S2(LE, RNE, S_ONE, S_ONE, 1, 0),
    S2(LE, RNE, S_NINF, S_INF, 1, 0),
    S2(LT, RNE, S_INF, S_INF, 0, 0),
    D2(EQ, RNE, D_SNAN, D_SNAN, 0, NV),
    D2(EQ, RNE, D_QNAN, D_ONE, 0, 0),
    D2(LT, RNE, D_QNAN, D_ONE, 0, NV),
    D2(LE, RNE, D_NZERO, 0, 1, 0),
    D2(LT, RNE, 0x8000000000000001, 0, 1, 0),
    D2(LT, RNE, 0xbff0000000000001, 0xbff0000000000000, 1, 0),
    /* fclass: every class (unpriv table 11.5). */
    S1(CLASS, RNE, S_NINF, 1 << 0, 0),
    S1(CLASS, RNE, 0xbf800000, 1 << 1, 0),
    S1(CLASS, RNE, 0x807fffff, 1 << 2, 0),
    S1(CLASS, RNE, S_NZERO, 1 << 3, 0),
    S1(CLASS, RNE, 0, 1 << 4, 0),
    S1(CLASS, RNE, 0x00000001, 1 << 5, 0),
    S1(CLASS, RNE, S_MINNORM, 1 << 6, 0),
    S1(CLASS, RNE, S_INF, 1 << 7, 0),
    S1(CLASS, RNE, S_SNAN, 1 << 8, 0),
    S1(CLASS, RNE, 0xffbfffff, 1 << 8, 0),
    S1(CLASS, RNE, S_QNAN, 1 << 9, 0),
    S1(CLASS, RNE, 0xffc00000, 1 << 9, 0),
    D1(CLASS, RNE, D_NINF, 1 << 0, 0),
    D1(CLASS, RNE, 0xffefffffffffffff, 1 << 1, 0),
    D1(CLASS, RNE, 0x800fffffffffffff, 1 << 2, 0),
    D1(CLASS, RNE, D_NZERO, 1 << 3, 0),
    D1(CLASS, RNE, 0, 1 << 4, 0),
    D1(CLASS, RNE, 0x0000000000000001, 1 << 5, 0),
    D1(CLASS, RNE, D_ONE, 1 << 6, 0),
    D1(CLASS, RNE, D_INF, 1 << 7, 0),
    D1(CLASS, RNE, D_SNAN, 1 << 8, 0),
    D1(CLASS, RNE, 0xfff7ffffffffffff, 1 << 8, 0),
    D1(CLASS, RNE, D_QNAN, 1 << 9, 0),
    D1(CLASS, RNE, 0xffffffffffffffff, 1 << 9, 0),
    /* Float to int: ties per mode, saturation (table 11.4), NV without NX. */
    S1(TO_W, RNE, 0x3fc00000, 2, NX),
    S1(TO_W, RNE, 0x40200000, 2, NX),
    S1(TO_W, RMM, 0x40200000, 3, NX),
    S1(TO_W, RNE, 0xc0200000, 0xfffffffe, NX),
    S1(TO_W, RMM, 0xc0200000, 0xfffffffd, NX),
    S1(TO_W, RDN, 0xc0200000, 0xfffffffd, NX),
    S1(TO_W, RUP, 0xc0200000, 0xfffffffe, NX),
    S1(TO_W, RTZ, 0xc0200000, 0xfffffffe, NX),
    S1(TO_W, RNE, S_HALF, 0, NX),
    S1(TO_W, RNE, 0xbf000000, 0, NX),
    S1(TO_W, RMM, 0xbf000000, 0xffffffff, NX),
    S1(TO_W, RUP, 0x00000001, 1, NX),
    S1(TO_W, RDN, 0x80000001, 0xffffffff, NX),
    S1(TO_W, RNE, S_NZERO, 0, 0),
    S1(TO_W, RNE, S_QNAN, 0x7fffffff, NV),
    S1(TO_W, RNE, 0xff800001, 0x7fffffff, NV),
    S1(TO_W, RNE, S_INF, 0x7fffffff, NV),
    S1(TO_W, RNE, S_NINF, 0x80000000, NV),
    S1(TO_W, RNE, 0x4f000000, 0x7fffffff, NV),
    S1(TO_W, RNE, 0xcf000000, 0x80000000, 0),
    S1(TO_W, RNE, 0x4f32d05e, 0x7fffffff, NV),
    S1(TO_W, RNE, 0xcf32d05e, 0x80000000, NV),
    D1(TO_W, RNE, 0x41dfffffffe00000, 0x7fffffff, NV),
    D1(TO_W, RMM, 0x41dfffffffe00000, 0x7fffffff, NV),
    D1(TO_W, RTZ, 0x41dfffffffe00000, 0x7fffffff, NX),
    D1(TO_W, RDN, 0x41dfffffffe00000, 0x7fffffff, NX),
    D1(TO_W, RNE, 0xc1e0000000100000, 0x80000000, NX),
    D1(TO_W, RMM, 0xc1e0000000100000, 0x80000000, NV),
    D1(TO_W, RUP, 0xc1e0000000100000, 0x80000000, NX),
    D1(TO_W, RDN, 0xc1e0000000100000, 0x80000000, NV),
    S1(TO_WU, RNE, 0xbf000000, 0, NX),
    S1(TO_WU, RTZ, 0xbf7fffff, 0, NX),
    S1(TO_WU, RMM, 0xbf000000, 0, NV),
    S1(TO_WU, RDN, 0x80000001, 0, NV),
    S1(TO_WU, RNE, 0xbf800000, 0, NV),
    S1(TO_WU, RNE, S_NZERO, 0, 0),
    S1(TO_WU, RNE, S_QNAN, 0xffffffff, NV),
    S1(TO_WU, RNE, S_INF, 0xffffffff, NV),
    S1(TO_WU, RNE, S_NINF, 0, NV),
    S1(TO_WU, RNE, 0x4f800000, 0xffffffff, NV),
    S1(TO_WU, RNE, 0x4f7fffff, 0xffffff00, 0),
    D1(TO_WU, RNE, 0x41efffffffF00000, 0xffffffff, NV),
    D1(TO_WU, RTZ, 0x41efffffffF00000, 0xffffffff, NX),
    D1(TO_WU, RMM, 0x41efffffffe00000, 0xffffffff, 0),
    D1(TO_L, RNE, 0x43e0000000000000, 0x7fffffffffffffff, NV),
    D1(TO_L, RNE, 0xc3e0000000000000, 0x8000000000000000, 0),
    D1(TO_L, RNE, 0xc3e0000000000001, 0x8000000000000000, NV),
    D1(TO_L, RNE, D_QNAN, 0x7fffffffffffffff, NV),
    D1(TO_L, RNE, D_NINF, 0x8000000000000000, NV),
    D1(TO_L, RMM, 0xc004000000000000, 0xfffffffffffffffd, NX),
    D1(TO_L, RNE, 0x432fffffffffffff, 0x0010000000000000, NX),
    D1(TO_L, RTZ, 0x432fffffffffffff, 0x000fffffffffffff, NX),
    S1(TO_L, RNE, 0x5f000000, 0x7fffffffffffffff, NV),
    S1(TO_L, RNE, 0xdf000000, 0x8000000000000000, 0),
    D1(TO_LU, RNE, 0x43f0000000000000, 0xffffffffffffffff, NV),
    D1(TO_LU, RNE, 0x43efffffffffffff, 0xfffffffffffff800, 0),
    D1(TO_LU, RTZ, 0xbfd3333333333333, 0, NX),
    D1(TO_LU, RNE, D_NINF, 0, NV),
    D1(TO_LU, RNE, D_SNAN, 0xffffffffffffffff, NV),
    S1(TO_LU, RNE, 0x60ad78ec, 0xffffffffffffffff, NV),
    S1(TO_LU, RUP, 0x3e800000, 1, NX),
    /* Int to float: rounding of values wider than the significand. */
    S1(FROM_W, RNE, 0x7fffffff, 0x4f000000, NX),
    S1(FROM_W, RTZ, 0x7fffffff, 0x4effffff, NX),
    S1(FROM_W, RDN, 0x7fffffff, 0x4effffff, NX),
    S1(FROM_W, RUP, 0x7fffffff, 0x4f000000, NX),
    S1(FROM_W, RMM, 0x7fffffff, 0x4f000000, NX),
    S1(FROM_W, RNE, 16777217, 0x4b800000, NX),
    S1(FROM_W, RMM, 16777217, 0x4b800001, NX),
    S1(FROM_W, RUP, 16777217, 0x4b800001, NX),
    S1(FROM_W, RTZ, 16777217, 0x4b800000, NX),
    S1(FROM_W, RNE, (uint64_t)-16777217, 0xcb800000, NX),
    S1(FROM_W, RMM, (uint64_t)-16777217, 0xcb800001, NX),
    S1(FROM_W, RDN, (uint64_t)-16777217, 0xcb800001, NX),
    S1(FROM_W, RUP, (uint64_t)-16777217, 0xcb800000, NX),
    S1(FROM_W, RNE, (uint64_t)-16777219, 0xcb800002, NX),
    S1(FROM_W, RNE, 0xffffffff80000000, 0xcf000000, 0),
    S1(FROM_W, RNE, 0, 0, 0),
    S1(FROM_WU, RNE, 0xffffffff, 0x4f800000, NX),
    S1(FROM_WU, RTZ, 0xffffffff, 0x4f7fffff, NX),
    S1(FROM_L, RNE, 0x8000000000000000, 0xdf000000, 0),
    S1(FROM_L, RMM, 0x0000008000008000, 0x53000001, NX),
    S1(FROM_LU, RNE, 1, S_ONE, 0),
    S1(FROM_LU, RUP, 0xffffffffffffffff, 0x5f800000, NX),
    S1(FROM_LU, RTZ, 0xffffffffffffffff, 0x5f7fffff, NX),
    D1(FROM_W, RNE, (uint64_t)-1, 0xbff0000000000000, 0),
    D1(FROM_W, RNE, 0xffffffff80000000, 0xc1e0000000000000, 0),
    D1(FROM_WU, RNE, 0xffffffff, 0x41efffffffe00000, 0),
    D1(FROM_L, RNE, 9007199254740993, 0x4340000000000000, NX),
    D1(FROM_L, RMM, 9007199254740993, 0x4340000000000001, NX),
    D1(FROM_L, RDN, (uint64_t)-9007199254740993, 0xc340000000000001, NX),
    D1(FROM_L, RNE, 0x8000000000000000, 0xc3e0000000000000, 0),
    D1(FROM_LU, RNE, 0xffffffffffffffff, 0x43f0000000000000, NX),
    D1(FROM_LU, RTZ, 0xffffffffffffffff, 0x43efffffffffffff, NX),
    D1(FROM_LU, RNE, 0, 0, 0),
    /* Between formats: widening is exact, NaNs become canonical. */
    S1(CVT, RNE, S_SNAN, D_QNAN, NV),
    S1(CVT, RNE, 0xffc00001, D_QNAN, 0),
    S1(CVT, RNE, 0x00000001, 0x36a0000000000000, 0),
    S1(CVT, RNE, 0x807fffff, 0xb80fffffc0000000, 0),
    S1(CVT, RNE, S_NZERO, D_NZERO, 0),
    S1(CVT, RNE, S_NINF, D_NINF, 0),
    S1(CVT, RNE, 0x3fc00000, 0x3ff8000000000000, 0),
    D1(CVT, RNE, 0x3ff0000010000000, S_ONE, NX),
    D1(CVT, RMM, 0x3ff0000010000000, 0x3f800001, NX),
    D1(CVT, RNE, 0x3ff0000030000000, 0x3f800002, NX),
    D1(CVT, RNE, 0x4810000000000000, S_INF, OF | NX),
    D1(CVT, RTZ, 0x4810000000000000, S_MAX, OF | NX),
    D1(CVT, RDN, 0xc810000000000000, S_NINF, OF | NX),
    D1(CVT, RUP, 0xc810000000000000, 0xff7fffff, OF | NX),
    D1(CVT, RNE, D_INF, S_INF, 0),
    D1(CVT, RNE, D_SNAN, S_QNAN, NV),
    D1(CVT, RNE, 0xfff8000012345678, S_QNAN, 0),
    D1(CVT, RNE, 0x0000000000000001, 0, UF | NX),
    D1(CVT, RUP, 0x0000000000000001, 0x00000001, UF | NX),
    D1(CVT, RDN, 0x8000000000000001, 0x80000001, UF | NX),
    D1(CVT, RNE, D_NZERO, S_NZERO, 0),
    D1(CVT, RNE, 0x36a0000000000000, 0x00000001, 0),
};
/* DIRECTED END */

static void check_directed(const struct fv_case *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t o[3] = {t[i].a, t[i].b, t[i].c};
        uint32_t fl = 0;
        uint64_t got = fv_eval(t[i].dbl, t[i].op, t[i].rm, o, &fl);
        if (got != t[i].want || fl != t[i].flags) {
            ut.failed_checks++;
            fprintf(stderr,
                    "  directed #%zu %s.%c rm%u %#llx %#llx %#llx: got %#llx/%#x want %#llx/%#x\n",
                    i, fv_names[t[i].op], t[i].dbl ? 'd' : 's', t[i].rm, (unsigned long long)t[i].a,
                    (unsigned long long)t[i].b, (unsigned long long)t[i].c, (unsigned long long)got,
                    fl, (unsigned long long)t[i].want, t[i].flags);
        }
    }
}

static void test_directed(void)
{
    check_directed(fv_directed, sizeof(fv_directed) / sizeof(fv_directed[0]));
}

/* Flags accumulate: the functions OR into *fflags, never clear it. */
static void test_flags_accumulate(void)
{
    uint32_t fl = FFLAG_DZ;
    UT_EQ(f32_add(0x3f800000, 0x33800000, FRM_RNE, &fl), 0x3f800000);
    UT_EQ(fl, FFLAG_DZ | FFLAG_NX);
    UT_EQ(f64_sqrt(0xbff0000000000000ull, FRM_RNE, &fl), F64_CANONICAL_NAN);
    UT_EQ(fl, FFLAG_DZ | FFLAG_NX | FFLAG_NV);
    fl = FFLAG_OF;
    UT_EQ(f32_eq(0x3f800000, 0x3f800000, &fl), 1);
    UT_EQ(fl, FFLAG_OF);
}

/* The QEMU-generated random batch of fpu_vectors.h; failures are reported
 * per operation with the first few operands. */
static void check_vectors(int dbl)
{
    struct fv_batch b;
    int idx = 0, bad[FV_NOPS] = {0}, total[FV_NOPS] = {0};

    for (int k = 0; fv_batch_get(k, &b); k++) {
        for (int i = 0; i < b.count; i++, idx++) {
            if (b.dbl != dbl) continue;
            uint64_t o[3];
            uint32_t fl = 0;
            fv_operands(&b, i, o);
            uint64_t got = fv_eval(b.dbl, b.op, (unsigned)b.rm, o, &fl);
            uint64_t want = fv_expect_result[idx];
            uint32_t wfl = (uint32_t)(fv_expect_flags[idx] - '0');
            total[b.op]++;
            if (got == want && fl == wfl) continue;
            if (bad[b.op]++ < 3)
                fprintf(stderr,
                        "  vector %d %s.%c rm%d %#llx %#llx %#llx: got %#llx/%#x want %#llx/%#x\n",
                        idx, fv_names[b.op], dbl ? 'd' : 's', b.rm, (unsigned long long)o[0],
                        (unsigned long long)o[1], (unsigned long long)o[2], (unsigned long long)got,
                        fl, (unsigned long long)want, wfl);
        }
    }
    UT_EQ(idx, FV_NVECTORS);
    for (int op = 0; op < FV_NOPS; op++) {
        if (bad[op]) {
            ut.failed_checks++;
            fprintf(stderr, "  %s.%c: %d of %d vectors differ from QEMU\n", fv_names[op],
                    dbl ? 'd' : 's', bad[op], total[op]);
        }
    }
}

static void test_vectors_f32(void)
{
    check_vectors(0);
}

static void test_vectors_f64(void)
{
    check_vectors(1);
}

/* Results must not depend on the host's rounding mode, and the host's
 * mode must be left as it was. */
static void test_host_rounding_mode(void)
{
    static const int modes[] = {FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO, FE_TONEAREST};
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        UT_EQ(fesetround(modes[i]), 0);
        check_directed(fv_directed, sizeof(fv_directed) / sizeof(fv_directed[0]));
        UT_EQ(fegetround(), modes[i]);
        UT_EQ(fesetround(FE_TONEAREST), 0);
    }
}

int main(void)
{
    ut_run("fpu_directed", test_directed);
    ut_run("fpu_flags_accumulate", test_flags_accumulate);
    ut_run("fpu_vectors_f32", test_vectors_f32);
    ut_run("fpu_vectors_f64", test_vectors_f64);
    ut_run("fpu_host_rounding_mode", test_host_rounding_mode);
    return ut_exit();
}
