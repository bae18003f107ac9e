/* Zfh and Zfhmin instruction semantics (unpriv spec chapter "Zfh and
 * Zfhmin", half-precision floating point) around the binary16 arithmetic
 * in fpu_half.c: values live NaN-boxed in the f registers (upper 48 bits
 * all ones, else read as the canonical NaN), moves and stores copy bits.
 * Zfhmin is the subset of loads, stores, moves and conversions; which of
 * the two an instruction needs is the instruction list's column. */
#include "cpu/interp_fp.h"

#define F1 (h->f[i->rs1])
#define F2 (h->f[i->rs2])
#define F3 (h->f[i->rs3])
#define EA (h->x[i->rs1] + (uint64_t)(int64_t)i->imm)

int interp_flh(struct rv_hart *h, const struct rv_insn *i)
{
    uint64_t v;
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    if (interp_load(h, i, EA, 2, &v)) return 1;
    h->f[i->rd] = box16((uint16_t)v);
    return fp_done(h, i);
}

int interp_fsh(struct rv_hart *h, const struct rv_insn *i)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    if (interp_store(h, i, EA, 2, (uint16_t)h->f[i->rs2])) return 1;
    return interp_next(h, i);
}

typedef uint16_t (*f16_bin)(uint16_t, uint16_t, unsigned, uint32_t *);

static int fp_bin_h(struct rv_hart *h, const struct rv_insn *i, f16_bin fn)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = box16(fn(unbox16(F1), unbox16(F2), rm, &h->fflags));
    return fp_done(h, i);
}

int interp_fadd_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_bin_h(h, i, f16_add);
}
int interp_fsub_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_bin_h(h, i, f16_sub);
}
int interp_fmul_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_bin_h(h, i, f16_mul);
}
int interp_fdiv_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_bin_h(h, i, f16_div);
}

int interp_fsqrt_h(struct rv_hart *h, const struct rv_insn *i)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = box16(f16_sqrt(unbox16(F1), rm, &h->fflags));
    return fp_done(h, i);
}

static int fp_fma_h(struct rv_hart *h, const struct rv_insn *i, int neg_prod, int neg_add)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] =
        box16(f16_fma(unbox16(F1), unbox16(F2), unbox16(F3), neg_prod, neg_add, rm, &h->fflags));
    return fp_done(h, i);
}

int interp_fmadd_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_fma_h(h, i, 0, 0);
}
int interp_fmsub_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_fma_h(h, i, 0, 1);
}
int interp_fnmsub_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_fma_h(h, i, 1, 0);
}
int interp_fnmadd_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_fma_h(h, i, 1, 1);
}

/* Sign injection: bit operations on the unboxed values, no flags. */
static int fp_sgnj_h(struct rv_hart *h, const struct rv_insn *i, unsigned k)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    uint16_t a = unbox16(F1), b = unbox16(F2);
    uint16_t s = k == 0 ? b : k == 1 ? (uint16_t)~b : (uint16_t)(a ^ b);
    h->f[i->rd] = box16((uint16_t)((a & 0x7fffu) | (s & 0x8000u)));
    return fp_done(h, i);
}

int interp_fsgnj_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_sgnj_h(h, i, 0);
}
int interp_fsgnjn_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_sgnj_h(h, i, 1);
}
int interp_fsgnjx_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_sgnj_h(h, i, 2);
}

static int fp_minmax_h(struct rv_hart *h, const struct rv_insn *i, bool max)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    uint16_t a = unbox16(F1), b = unbox16(F2);
    h->f[i->rd] = box16(max ? f16_max(a, b, &h->fflags) : f16_min(a, b, &h->fflags));
    return fp_done(h, i);
}

int interp_fmin_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_minmax_h(h, i, false);
}
int interp_fmax_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_minmax_h(h, i, true);
}

enum { CMP_EQ, CMP_LT, CMP_LE };

static int fp_cmp_h(struct rv_hart *h, const struct rv_insn *i, int k)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    uint16_t a = unbox16(F1), b = unbox16(F2);
    h->x[i->rd] = (uint64_t)(k == CMP_EQ   ? f16_eq(a, b, &h->fflags)
                             : k == CMP_LT ? f16_lt(a, b, &h->fflags)
                                           : f16_le(a, b, &h->fflags));
    return fp_done(h, i);
}

int interp_feq_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_cmp_h(h, i, CMP_EQ);
}
int interp_flt_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_cmp_h(h, i, CMP_LT);
}
int interp_fle_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_cmp_h(h, i, CMP_LE);
}

int interp_fclass_h(struct rv_hart *h, const struct rv_insn *i)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    h->x[i->rd] = f16_classify(unbox16(F1));
    return interp_next(h, i);
}

/* fmv.x.h copies the low 16 bits sign-extended, whatever the boxing. */
int interp_fmv_x_h(struct rv_hart *h, const struct rv_insn *i)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    h->x[i->rd] = (uint64_t)(int64_t)(int16_t)(uint16_t)F1;
    return interp_next(h, i);
}

int interp_fmv_h_x(struct rv_hart *h, const struct rv_insn *i)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    h->f[i->rd] = box16((uint16_t)h->x[i->rs1]);
    return fp_done(h, i);
}

/* To integers: 32-bit results sign-extended to XLEN, as for F. */
static int fp_to_int_h(struct rv_hart *h, const struct rv_insn *i, int bits, bool sign)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    uint16_t a = unbox16(F1);
    uint64_t r =
        sign ? (uint64_t)f16_to_int(a, bits, rm, &h->fflags) : f16_to_uint(a, bits, rm, &h->fflags);
    h->x[i->rd] = bits == 32 ? (uint64_t)(int64_t)(int32_t)r : r;
    return fp_done(h, i);
}

int interp_fcvt_w_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_to_int_h(h, i, 32, true);
}
int interp_fcvt_wu_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_to_int_h(h, i, 32, false);
}
int interp_fcvt_l_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_to_int_h(h, i, 64, true);
}
int interp_fcvt_lu_h(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_to_int_h(h, i, 64, false);
}

static int int_to_fp_h(struct rv_hart *h, const struct rv_insn *i, int bits, bool sign)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    uint64_t v = h->x[i->rs1];
    uint16_t r;
    if (bits == 32)
        r = sign ? f16_from_int((int32_t)v, rm, &h->fflags)
                 : f16_from_uint((uint32_t)v, rm, &h->fflags);
    else
        r = sign ? f16_from_int((int64_t)v, rm, &h->fflags) : f16_from_uint(v, rm, &h->fflags);
    h->f[i->rd] = box16(r);
    return fp_done(h, i);
}

int interp_fcvt_h_w(struct rv_hart *h, const struct rv_insn *i)
{
    return int_to_fp_h(h, i, 32, true);
}
int interp_fcvt_h_wu(struct rv_hart *h, const struct rv_insn *i)
{
    return int_to_fp_h(h, i, 32, false);
}
int interp_fcvt_h_l(struct rv_hart *h, const struct rv_insn *i)
{
    return int_to_fp_h(h, i, 64, true);
}
int interp_fcvt_h_lu(struct rv_hart *h, const struct rv_insn *i)
{
    return int_to_fp_h(h, i, 64, false);
}

/* Between formats (Zfhmin): widening is exact, narrowing rounds once. The
 * double-precision forms also need D. */
int interp_fcvt_s_h(struct rv_hart *h, const struct rv_insn *i)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = box(f16_to_f32(unbox16(F1), &h->fflags));
    return fp_done(h, i);
}

int interp_fcvt_h_s(struct rv_hart *h, const struct rv_insn *i)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = box16(f32_to_f16(unbox(F1), rm, &h->fflags));
    return fp_done(h, i);
}

int interp_fcvt_d_h(struct rv_hart *h, const struct rv_insn *i)
{
    unsigned rm;
    if (!fp_has(h, CPU_EXT_d) || fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = f16_to_f64(unbox16(F1), &h->fflags);
    return fp_done(h, i);
}

int interp_fcvt_h_d(struct rv_hart *h, const struct rv_insn *i)
{
    unsigned rm;
    if (!fp_has(h, CPU_EXT_d) || fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = box16(f64_to_f16(F1, rm, &h->fflags));
    return fp_done(h, i);
}
