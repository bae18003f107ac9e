/* Zfa instruction semantics (unpriv spec chapter "Zfa", additional
 * floating-point instructions) around fpu_zfa.c, one handler per family
 * parameterised by the format (FPU_H, FPU_S, FPU_D): the .d forms also
 * need D and the .h forms Zfh, which the handlers check since the list's
 * column names Zfa. fmvh.x.d and fmvp.d.x exist on RV32 only, so rvmm
 * (RV64) has no rows for them: they decode as illegal instructions. */
#include "cpu/interp_fp.h"

/* An operand of format fmt read from an f register (unboxed if narrower). */
static uint64_t fp_get(const struct rv_hart *h, unsigned r, int fmt)
{
    return fmt == FPU_D ? h->f[r] : fmt == FPU_S ? unbox(h->f[r]) : unbox16(h->f[r]);
}

static void fp_set(struct rv_hart *h, unsigned r, int fmt, uint64_t v)
{
    h->f[r] = fmt == FPU_D ? v : fmt == FPU_S ? box((uint32_t)v) : box16((uint16_t)v);
}

/* FS on and the format's extension present (D for .d, Zfh for .h). */
static bool zfa_on(const struct rv_hart *h, int fmt)
{
    if (!hart_fp_on(h)) return false;
    if (fmt == FPU_D) return fp_has(h, CPU_EXT_d);
    if (fmt == FPU_H) return fp_has(h, CPU_EXT_zfh);
    return true;
}

static int zfa_fli(struct rv_hart *h, const struct rv_insn *i, int fmt)
{
    if (!zfa_on(h, fmt)) return interp_illegal(h, i);
    fp_set(h, i->rd, fmt, fpu_fli(fmt, i->rs1));
    return fp_done(h, i);
}

static int zfa_minmax(struct rv_hart *h, const struct rv_insn *i, int fmt, int max)
{
    if (!zfa_on(h, fmt)) return interp_illegal(h, i);
    uint64_t a = fp_get(h, i->rs1, fmt), b = fp_get(h, i->rs2, fmt);
    fp_set(h, i->rd, fmt, fpu_minmax_m(a, b, fmt, max, &h->fflags));
    return fp_done(h, i);
}

static int zfa_round(struct rv_hart *h, const struct rv_insn *i, int fmt, int nx)
{
    unsigned rm;
    if (!zfa_on(h, fmt) || fp_begin(h, i, &rm)) return interp_illegal(h, i);
    fp_set(h, i->rd, fmt, fpu_round_int(fp_get(h, i->rs1, fmt), fmt, rm, nx, &h->fflags));
    return fp_done(h, i);
}

static int zfa_cmp(struct rv_hart *h, const struct rv_insn *i, int fmt, int le)
{
    if (!zfa_on(h, fmt)) return interp_illegal(h, i);
    uint64_t a = fp_get(h, i->rs1, fmt), b = fp_get(h, i->rs2, fmt);
    h->x[i->rd] = (uint64_t)fpu_le_quiet(a, b, fmt, le, &h->fflags);
    return fp_done(h, i);
}

int interp_fli_s(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_fli(h, i, FPU_S);
}
int interp_fli_d(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_fli(h, i, FPU_D);
}
int interp_fli_h(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_fli(h, i, FPU_H);
}
int interp_fminm_s(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_minmax(h, i, FPU_S, 0);
}
int interp_fmaxm_s(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_minmax(h, i, FPU_S, 1);
}
int interp_fminm_d(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_minmax(h, i, FPU_D, 0);
}
int interp_fmaxm_d(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_minmax(h, i, FPU_D, 1);
}
int interp_fminm_h(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_minmax(h, i, FPU_H, 0);
}
int interp_fmaxm_h(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_minmax(h, i, FPU_H, 1);
}
int interp_fround_s(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_round(h, i, FPU_S, 0);
}
int interp_froundnx_s(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_round(h, i, FPU_S, 1);
}
int interp_fround_d(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_round(h, i, FPU_D, 0);
}
int interp_froundnx_d(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_round(h, i, FPU_D, 1);
}
int interp_fround_h(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_round(h, i, FPU_H, 0);
}
int interp_froundnx_h(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_round(h, i, FPU_H, 1);
}
int interp_fleq_s(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_cmp(h, i, FPU_S, 1);
}
int interp_fltq_s(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_cmp(h, i, FPU_S, 0);
}
int interp_fleq_d(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_cmp(h, i, FPU_D, 1);
}
int interp_fltq_d(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_cmp(h, i, FPU_D, 0);
}
int interp_fleq_h(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_cmp(h, i, FPU_H, 1);
}
int interp_fltq_h(struct rv_hart *h, const struct rv_insn *i)
{
    return zfa_cmp(h, i, FPU_H, 0);
}

/* fcvtmod.w.d: its rm field must be RTZ, which the list's encoding fixes. */
int interp_fcvtmod_w_d(struct rv_hart *h, const struct rv_insn *i)
{
    if (!zfa_on(h, FPU_D)) return interp_illegal(h, i);
    h->x[i->rd] = (uint64_t)fpu_fcvtmod_w_d(h->f[i->rs1], &h->fflags);
    return fp_done(h, i);
}
