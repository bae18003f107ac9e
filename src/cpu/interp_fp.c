/* F and D instruction semantics (unpriv spec chapters 11 and 12) around the
 * pure arithmetic in fpu.c: the FS gate, rounding-mode resolution, NaN
 * boxing of single-precision values, fflags accumulation and FS=Dirty.
 * Families of instructions share one handler and pick their arithmetic from
 * a table indexed by operation. */
#include "cpu/interp_fp.h"

#define F1 (h->f[i->rs1])
#define F2 (h->f[i->rs2])
#define F3 (h->f[i->rs3])

/* Two-operand arithmetic with rounding. */
typedef uint32_t (*f32_bin)(uint32_t, uint32_t, unsigned, uint32_t *);
typedef uint64_t (*f64_bin)(uint64_t, uint64_t, unsigned, uint32_t *);

static int fp_bin_s(struct rv_hart *h, const struct rv_insn *i, f32_bin fn)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = box(fn(unbox(F1), unbox(F2), rm, &h->fflags));
    return fp_done(h, i);
}

static int fp_bin_d(struct rv_hart *h, const struct rv_insn *i, f64_bin fn)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = fn(F1, F2, rm, &h->fflags);
    return fp_done(h, i);
}

int interp_fadd_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_bin_s(h, i, f32_add);
}
int interp_fsub_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_bin_s(h, i, f32_sub);
}
int interp_fmul_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_bin_s(h, i, f32_mul);
}
int interp_fdiv_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_bin_s(h, i, f32_div);
}
int interp_fadd_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_bin_d(h, i, f64_add);
}
int interp_fsub_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_bin_d(h, i, f64_sub);
}
int interp_fmul_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_bin_d(h, i, f64_mul);
}
int interp_fdiv_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_bin_d(h, i, f64_div);
}

int interp_fsqrt_s(struct rv_hart *h, const struct rv_insn *i)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = box(f32_sqrt(unbox(F1), rm, &h->fflags));
    return fp_done(h, i);
}

int interp_fsqrt_d(struct rv_hart *h, const struct rv_insn *i)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = f64_sqrt(F1, rm, &h->fflags);
    return fp_done(h, i);
}

/* Fused multiply-add family: the sign flips of fmsub/fnmsub/fnmadd. */
static int fp_fma_s(struct rv_hart *h, const struct rv_insn *i, int neg_prod, int neg_add)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = box(f32_fma(unbox(F1), unbox(F2), unbox(F3), neg_prod, neg_add, rm, &h->fflags));
    return fp_done(h, i);
}

static int fp_fma_d(struct rv_hart *h, const struct rv_insn *i, int neg_prod, int neg_add)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = f64_fma(F1, F2, F3, neg_prod, neg_add, rm, &h->fflags);
    return fp_done(h, i);
}

int interp_fmadd_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_fma_s(h, i, 0, 0);
}
int interp_fmsub_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_fma_s(h, i, 0, 1);
}
int interp_fnmsub_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_fma_s(h, i, 1, 0);
}
int interp_fnmadd_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_fma_s(h, i, 1, 1);
}
int interp_fmadd_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_fma_d(h, i, 0, 0);
}
int interp_fmsub_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_fma_d(h, i, 0, 1);
}
int interp_fnmsub_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_fma_d(h, i, 1, 0);
}
int interp_fnmadd_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_fma_d(h, i, 1, 1);
}

/* Sign injection (11.6): pure bit operations, no flags. */
enum sgnj { SGNJ, SGNJN, SGNJX };

static int fp_sgnj_s(struct rv_hart *h, const struct rv_insn *i, enum sgnj k)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    uint32_t a = unbox(F1), b = unbox(F2);
    uint32_t s = k == SGNJ ? b : k == SGNJN ? ~b : a ^ b;
    h->f[i->rd] = box((a & 0x7fffffffu) | (s & 0x80000000u));
    return fp_done(h, i);
}

static int fp_sgnj_d(struct rv_hart *h, const struct rv_insn *i, enum sgnj k)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    uint64_t a = F1, b = F2, sign = 1ULL << 63;
    uint64_t s = k == SGNJ ? b : k == SGNJN ? ~b : a ^ b;
    h->f[i->rd] = (a & ~sign) | (s & sign);
    return fp_done(h, i);
}

int interp_fsgnj_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_sgnj_s(h, i, SGNJ);
}
int interp_fsgnjn_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_sgnj_s(h, i, SGNJN);
}
int interp_fsgnjx_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_sgnj_s(h, i, SGNJX);
}
int interp_fsgnj_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_sgnj_d(h, i, SGNJ);
}
int interp_fsgnjn_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_sgnj_d(h, i, SGNJN);
}
int interp_fsgnjx_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_sgnj_d(h, i, SGNJX);
}

/* min/max: no rounding mode field to check (funct3 selects the op). */
static int fp_minmax_s(struct rv_hart *h, const struct rv_insn *i, bool max)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    uint32_t a = unbox(F1), b = unbox(F2);
    h->f[i->rd] = box(max ? f32_max(a, b, &h->fflags) : f32_min(a, b, &h->fflags));
    return fp_done(h, i);
}

static int fp_minmax_d(struct rv_hart *h, const struct rv_insn *i, bool max)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    h->f[i->rd] = max ? f64_max(F1, F2, &h->fflags) : f64_min(F1, F2, &h->fflags);
    return fp_done(h, i);
}

int interp_fmin_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_minmax_s(h, i, false);
}
int interp_fmax_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_minmax_s(h, i, true);
}
int interp_fmin_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_minmax_d(h, i, false);
}
int interp_fmax_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_minmax_d(h, i, true);
}

/* Comparisons write an integer register; fflags may change, so FS goes dirty. */
enum cmp { CMP_EQ, CMP_LT, CMP_LE };

static int fp_cmp_s(struct rv_hart *h, const struct rv_insn *i, enum cmp k)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    uint32_t a = unbox(F1), b = unbox(F2);
    h->x[i->rd] = (uint64_t)(k == CMP_EQ   ? f32_eq(a, b, &h->fflags)
                             : k == CMP_LT ? f32_lt(a, b, &h->fflags)
                                           : f32_le(a, b, &h->fflags));
    return fp_done(h, i);
}

static int fp_cmp_d(struct rv_hart *h, const struct rv_insn *i, enum cmp k)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    h->x[i->rd] = (uint64_t)(k == CMP_EQ   ? f64_eq(F1, F2, &h->fflags)
                             : k == CMP_LT ? f64_lt(F1, F2, &h->fflags)
                                           : f64_le(F1, F2, &h->fflags));
    return fp_done(h, i);
}

int interp_feq_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_cmp_s(h, i, CMP_EQ);
}
int interp_flt_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_cmp_s(h, i, CMP_LT);
}
int interp_fle_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_cmp_s(h, i, CMP_LE);
}
int interp_feq_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_cmp_d(h, i, CMP_EQ);
}
int interp_flt_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_cmp_d(h, i, CMP_LT);
}
int interp_fle_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_cmp_d(h, i, CMP_LE);
}

int interp_fclass_s(struct rv_hart *h, const struct rv_insn *i)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    h->x[i->rd] = f32_classify(unbox(F1));
    return interp_next(h, i);
}

int interp_fclass_d(struct rv_hart *h, const struct rv_insn *i)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    h->x[i->rd] = f64_classify(F1);
    return interp_next(h, i);
}

/* Moves between register files: bit copies, no flags. */
int interp_fmv_x_w(struct rv_hart *h, const struct rv_insn *i)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    h->x[i->rd] = (uint64_t)(int64_t)(int32_t)(uint32_t)F1;
    return interp_next(h, i);
}

int interp_fmv_x_d(struct rv_hart *h, const struct rv_insn *i)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    h->x[i->rd] = F1;
    return interp_next(h, i);
}

int interp_fmv_w_x(struct rv_hart *h, const struct rv_insn *i)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    h->f[i->rd] = box((uint32_t)h->x[i->rs1]);
    return fp_done(h, i);
}

int interp_fmv_d_x(struct rv_hart *h, const struct rv_insn *i)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    h->f[i->rd] = h->x[i->rs1];
    return fp_done(h, i);
}

/* Conversions to integers: results sign-extended to XLEN (11.7). */
enum cvt_int { CVT_W, CVT_WU, CVT_L, CVT_LU };

static int fp_to_int(struct rv_hart *h, const struct rv_insn *i, enum cvt_int k, bool dbl)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    uint64_t r;
    uint32_t *fl = &h->fflags;
    if (dbl) {
        r = k == CVT_W    ? (uint64_t)(int64_t)f64_to_i32(F1, rm, fl)
            : k == CVT_WU ? (uint64_t)(int64_t)(int32_t)f64_to_u32(F1, rm, fl)
            : k == CVT_L  ? (uint64_t)f64_to_i64(F1, rm, fl)
                          : f64_to_u64(F1, rm, fl);
    } else {
        uint32_t a = unbox(F1);
        r = k == CVT_W    ? (uint64_t)(int64_t)f32_to_i32(a, rm, fl)
            : k == CVT_WU ? (uint64_t)(int64_t)(int32_t)f32_to_u32(a, rm, fl)
            : k == CVT_L  ? (uint64_t)f32_to_i64(a, rm, fl)
                          : f32_to_u64(a, rm, fl);
    }
    h->x[i->rd] = r;
    return fp_done(h, i);
}

int interp_fcvt_w_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_to_int(h, i, CVT_W, false);
}
int interp_fcvt_wu_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_to_int(h, i, CVT_WU, false);
}
int interp_fcvt_l_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_to_int(h, i, CVT_L, false);
}
int interp_fcvt_lu_s(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_to_int(h, i, CVT_LU, false);
}
int interp_fcvt_w_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_to_int(h, i, CVT_W, true);
}
int interp_fcvt_wu_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_to_int(h, i, CVT_WU, true);
}
int interp_fcvt_l_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_to_int(h, i, CVT_L, true);
}
int interp_fcvt_lu_d(struct rv_hart *h, const struct rv_insn *i)
{
    return fp_to_int(h, i, CVT_LU, true);
}

static int int_to_fp(struct rv_hart *h, const struct rv_insn *i, enum cvt_int k, bool dbl)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    uint64_t v = h->x[i->rs1];
    uint32_t *fl = &h->fflags;
    if (dbl) {
        h->f[i->rd] = k == CVT_W    ? f64_from_i32((int32_t)v, rm, fl)
                      : k == CVT_WU ? f64_from_u32((uint32_t)v, rm, fl)
                      : k == CVT_L  ? f64_from_i64((int64_t)v, rm, fl)
                                    : f64_from_u64(v, rm, fl);
    } else {
        h->f[i->rd] = box(k == CVT_W    ? f32_from_i32((int32_t)v, rm, fl)
                          : k == CVT_WU ? f32_from_u32((uint32_t)v, rm, fl)
                          : k == CVT_L  ? f32_from_i64((int64_t)v, rm, fl)
                                        : f32_from_u64(v, rm, fl));
    }
    return fp_done(h, i);
}

int interp_fcvt_s_w(struct rv_hart *h, const struct rv_insn *i)
{
    return int_to_fp(h, i, CVT_W, false);
}
int interp_fcvt_s_wu(struct rv_hart *h, const struct rv_insn *i)
{
    return int_to_fp(h, i, CVT_WU, false);
}
int interp_fcvt_s_l(struct rv_hart *h, const struct rv_insn *i)
{
    return int_to_fp(h, i, CVT_L, false);
}
int interp_fcvt_s_lu(struct rv_hart *h, const struct rv_insn *i)
{
    return int_to_fp(h, i, CVT_LU, false);
}
int interp_fcvt_d_w(struct rv_hart *h, const struct rv_insn *i)
{
    return int_to_fp(h, i, CVT_W, true);
}
int interp_fcvt_d_wu(struct rv_hart *h, const struct rv_insn *i)
{
    return int_to_fp(h, i, CVT_WU, true);
}
int interp_fcvt_d_l(struct rv_hart *h, const struct rv_insn *i)
{
    return int_to_fp(h, i, CVT_L, true);
}
int interp_fcvt_d_lu(struct rv_hart *h, const struct rv_insn *i)
{
    return int_to_fp(h, i, CVT_LU, true);
}

int interp_fcvt_s_d(struct rv_hart *h, const struct rv_insn *i)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = box(f64_to_f32(F1, rm, &h->fflags));
    return fp_done(h, i);
}

int interp_fcvt_d_s(struct rv_hart *h, const struct rv_insn *i)
{
    unsigned rm;
    if (fp_begin(h, i, &rm)) return interp_illegal(h, i);
    h->f[i->rd] = f32_to_f64(unbox(F1), &h->fflags);
    return fp_done(h, i);
}
