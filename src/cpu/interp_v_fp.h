/* What the vector floating-point families (interp_v_fp.c arithmetic,
 * interp_v_fred.c reductions, interp_v_fcvt.c conversions) share on top of
 * interp_v.h: the start of a vector FP instruction (V and FS on, SEW 32 or
 * 64, a valid frm), the .vf scalar operand with its NaN-boxing rule, and
 * the end that accrues fflags. Only those files include it. */
#ifndef RVMM_CPU_INTERP_V_FP_H
#define RVMM_CPU_INTERP_V_FP_H

#include "cpu/fpu.h"
#include "cpu/interp_v.h"

/* Starts a vector FP instruction whatever SEW is (the conversions check
 * their own): V and FS on, vtype valid, frm valid (it gives *rm). False:
 * illegal. */
static inline bool vf_begin_sew(struct rv_hart *h, struct v_cfg *c, unsigned *rm)
{
    if (!v_begin(h, c) || !hart_fp_on(h) || h->frm > FRM_RMM) return false;
    *rm = h->frm;
    return true;
}

/* The same with SEW 32 (F) or 64 (D): SEW 16 would need Zvfh, which
 * rvmm's models do not have. */
static inline bool vf_begin(struct rv_hart *h, struct v_cfg *c, unsigned *rm)
{
    return vf_begin_sew(h, c, rm) && c->esz >= 4;
}

/* f[rs1] as a SEW-bit operand: at SEW 32 the canonical NaN unless it is
 * NaN-boxed (the D chapter's boxing rule, which 13 applies to .vf). */
static inline uint64_t vf_scalar(const struct rv_hart *h, const struct rv_insn *i, unsigned esz)
{
    uint64_t f = h->f[i->rs1];
    if (esz == 8) return f;
    return (f >> 32) == 0xffffffffu ? (uint32_t)f : F32_CANONICAL_NAN;
}

/* The end of a vector FP instruction: the flags it raised accrue in
 * fflags, and FS goes Dirty when there were any (the vector registers
 * are not FP state). */
static inline int vf_done(struct rv_hart *h, const struct rv_insn *i, uint32_t fl)
{
    if (fl) {
        h->fflags |= fl;
        hart_fs_dirty(h);
    }
    return v_done(h, i);
}

#endif
