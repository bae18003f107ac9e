/* The vector floating-point arithmetic instructions (unpriv spec V
 * chapter 13: add/sub/rsub, mul/div/rdiv, fused multiply-add, their
 * widening forms, sqrt, min/max, sign injection, compares into masks,
 * classify, merge and vfmv.v.f) and the FP scalar moves and slides (16.2,
 * 16.3.3, 16.3.4). The element arithmetic is the scalar FP core's (fpu.h,
 * bit-exact SoftFloat-style), so results and fflags match the F and D
 * instructions'. Every row needs FS on besides V (13: a vector FP
 * instruction is illegal while mstatus.FS is Off), runs under frm (a
 * reserved frm makes it illegal, as for a scalar dynamic-rounding
 * instruction) and takes SEW 32 (F) or 64 (D): SEW 16 would need Zvfh,
 * which rvmm's models do not have, so SEW 8 and 16 are illegal.
 * interp_v.h's contract holds: elements vstart..vl-1, inactive elements
 * and the tail undisturbed; only active elements raise flags. */
#include "cpu/interp_v_fp.h"

/* Where the second operand comes from: vs1, or f[rs1] (.vf). */
enum vf_src { V, F };

enum vf_op {
    ADD,
    SUB,
    RSUB,
    MUL,
    DIV,
    RDIV,
    MIN,
    MAX,
    SGNJ,
    SGNJN,
    SGNJX,
    MACC,
    NMACC,
    MSAC,
    NMSAC,
    MADD,
    NMADD,
    MSUB,
    NMSUB,
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE,
    SQRT,
    CLASS,
    MERGE,
    MOVE,
    UP,
    DOWN,
    WADD,
    WSUB,
    WMUL,
};

static uint64_t vf_op1(struct rv_hart *h, const struct rv_insn *i, enum vf_src src, uint64_t k,
                       unsigned esz)
{
    return src == V ? v_get(h, i->rs1, k, esz) : vf_scalar(h, i, esz);
}

static uint64_t vf_sgnj(enum vf_op op, uint64_t a, uint64_t b, unsigned esz)
{
    uint64_t sign = 1ULL << (8 * esz - 1);
    uint64_t s = op == SGNJ ? b : op == SGNJN ? ~b : a ^ b;
    return (a & ~sign) | (s & sign);
}

/* A single-width operation on a = vs2[k] and b (vs1[k] or the scalar). */
static uint64_t vf_alu(enum vf_op op, uint64_t a, uint64_t b, unsigned esz, unsigned rm,
                       uint32_t *fl)
{
    if (op == SGNJ || op == SGNJN || op == SGNJX) return vf_sgnj(op, a, b, esz);
    if (esz == 4) {
        uint32_t x = (uint32_t)a, y = (uint32_t)b;
        switch (op) {
        case ADD: return f32_add(x, y, rm, fl);
        case SUB: return f32_sub(x, y, rm, fl);
        case RSUB: return f32_sub(y, x, rm, fl);
        case MUL: return f32_mul(x, y, rm, fl);
        case DIV: return f32_div(x, y, rm, fl);
        case RDIV: return f32_div(y, x, rm, fl);
        case MIN: return f32_min(x, y, fl);
        default: return f32_max(x, y, fl);
        }
    }
    switch (op) {
    case ADD: return f64_add(a, b, rm, fl);
    case SUB: return f64_sub(a, b, rm, fl);
    case RSUB: return f64_sub(b, a, rm, fl);
    case MUL: return f64_mul(a, b, rm, fl);
    case DIV: return f64_div(a, b, rm, fl);
    case RDIV: return f64_div(b, a, rm, fl);
    case MIN: return f64_min(a, b, fl);
    default: return f64_max(a, b, fl);
    }
}

/* The usual single-width register checks (5.2, 5.3). */
static bool vf_sss_ok(const struct rv_insn *i, const struct v_cfg *c, enum vf_src src)
{
    return v_group_ok(i->rd, c->lmul) && v_group_ok(i->rs2, c->lmul) &&
           (src != V || v_group_ok(i->rs1, c->lmul)) && v_mask_dest_ok(i, i->rd);
}

static int vf_bin(struct rv_hart *h, const struct rv_insn *i, enum vf_op op, enum vf_src src)
{
    struct v_cfg c;
    unsigned rm;
    uint32_t fl = 0;
    if (!vf_begin(h, &c, &rm) || !vf_sss_ok(i, &c, src)) return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++)
        if (v_active(h, i, k))
            v_set(h, i->rd, k, c.esz,
                  vf_alu(op, v_get(h, i->rs2, k, c.esz), vf_op1(h, i, src, k, c.esz), c.esz, rm,
                         &fl));
    return vf_done(h, i, fl);
}

/* The fused multiply-adds (13.6): vf*acc multiply vs1 by vs2 and add vd,
 * vf*add/vf*sub multiply vs1 by vd and add vs2; one rounding. */
static uint64_t vf_fma(enum vf_op op, uint64_t d, uint64_t a, uint64_t b, unsigned esz, unsigned rm,
                       uint32_t *fl)
{
    bool acc = op == MACC || op == NMACC || op == MSAC || op == NMSAC;
    int np = op == NMACC || op == NMSAC || op == NMADD || op == NMSUB;
    int na = op == NMACC || op == MSAC || op == NMADD || op == MSUB;
    uint64_t m = acc ? a : d, c = acc ? d : a;
    if (esz == 4) return f32_fma((uint32_t)b, (uint32_t)m, (uint32_t)c, np, na, rm, fl);
    return f64_fma(b, m, c, np, na, rm, fl);
}

static int vf_madd(struct rv_hart *h, const struct rv_insn *i, enum vf_op op, enum vf_src src)
{
    struct v_cfg c;
    unsigned rm;
    uint32_t fl = 0;
    if (!vf_begin(h, &c, &rm) || !vf_sss_ok(i, &c, src)) return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++)
        if (v_active(h, i, k))
            v_set(h, i->rd, k, c.esz,
                  vf_fma(op, v_get(h, i->rd, k, c.esz), v_get(h, i->rs2, k, c.esz),
                         vf_op1(h, i, src, k, c.esz), c.esz, rm, &fl));
    return vf_done(h, i, fl);
}

/* Compares (13.13): vmfeq/vmfne are quiet (invalid only on a signaling
 * NaN), the ordered ones signal on any NaN; vmfgt/vmfge.vf swap the
 * operands of lt/le. */
static bool vf_cmp(enum vf_op op, uint64_t a, uint64_t b, unsigned esz, uint32_t *fl)
{
    if (op == GT || op == GE) {
        uint64_t t = a;
        a = b;
        b = t;
    }
    if (esz == 4) {
        uint32_t x = (uint32_t)a, y = (uint32_t)b;
        switch (op) {
        case EQ: return f32_eq(x, y, fl);
        case NE: return !f32_eq(x, y, fl);
        case LT:
        case GT: return f32_lt(x, y, fl);
        default: return f32_le(x, y, fl);
        }
    }
    switch (op) {
    case EQ: return f64_eq(a, b, fl);
    case NE: return !f64_eq(a, b, fl);
    case LT:
    case GT: return f64_lt(a, b, fl);
    default: return f64_le(a, b, fl);
    }
}

/* A mask destination may overlap a source group only as that group's
 * first register (5.2: the lowest-numbered part). */
static bool vf_mask_over_ok(unsigned vd, unsigned vs, int lmul)
{
    return vd == vs || !v_overlap(vd, 1, vs, v_regs(lmul));
}

static int vf_cmp_run(struct rv_hart *h, const struct rv_insn *i, enum vf_op op, enum vf_src src)
{
    struct v_cfg c;
    unsigned rm;
    uint32_t fl = 0;
    if (!vf_begin(h, &c, &rm) || !v_group_ok(i->rs2, c.lmul) ||
        !vf_mask_over_ok(i->rd, i->rs2, c.lmul) ||
        (src == V && (!v_group_ok(i->rs1, c.lmul) || !vf_mask_over_ok(i->rd, i->rs1, c.lmul))))
        return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++)
        if (v_active(h, i, k))
            v_mask_set(
                h, i->rd, k,
                vf_cmp(op, v_get(h, i->rs2, k, c.esz), vf_op1(h, i, src, k, c.esz), c.esz, &fl));
    return vf_done(h, i, fl);
}

/* vfsqrt.v (13.8) and vfclass.v (13.14: the scalar fclass bits). */
static int vf_unary(struct rv_hart *h, const struct rv_insn *i, enum vf_op op, enum vf_src src)
{
    struct v_cfg c;
    unsigned rm;
    uint32_t fl = 0;
    (void)src;
    if (!vf_begin(h, &c, &rm) || !vf_sss_ok(i, &c, F)) return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++) {
        if (!v_active(h, i, k)) continue;
        uint64_t a = v_get(h, i->rs2, k, c.esz), r;
        if (op == CLASS)
            r = c.esz == 4 ? f32_classify((uint32_t)a) : f64_classify(a);
        else
            r = c.esz == 4 ? f32_sqrt((uint32_t)a, rm, &fl) : f64_sqrt(a, rm, &fl);
        v_set(h, i->rd, k, c.esz, r);
    }
    return vf_done(h, i, fl);
}

/* vfmerge.vfm (vm = 0: v0 picks the scalar) and vfmv.v.f (13.15, 13.16):
 * no arithmetic, so no flags. */
static int vf_merge(struct rv_hart *h, const struct rv_insn *i, enum vf_op op, enum vf_src src)
{
    struct v_cfg c;
    unsigned rm;
    bool merge = op == MERGE;
    if (!vf_begin(h, &c, &rm) || !vf_sss_ok(i, &c, src) || (merge && i->rd == 0))
        return interp_illegal(h, i);
    uint64_t f = vf_scalar(h, i, c.esz);
    for (uint64_t k = c.vstart; k < c.vl; k++)
        v_set(h, i->rd, k, c.esz, !merge || v_mask(h, 0, k) ? f : v_get(h, i->rs2, k, c.esz));
    return v_done(h, i);
}

/* vfslide1up/vfslide1down (16.3.3, 16.3.4): the x-register forms with
 * f[rs1]; vfslide1up's destination may not overlap its source. */
static int vf_slide1(struct rv_hart *h, const struct rv_insn *i, enum vf_op op, enum vf_src src)
{
    struct v_cfg c;
    unsigned rm;
    bool up = op == UP;
    (void)src;
    if (!vf_begin(h, &c, &rm) || !vf_sss_ok(i, &c, F) ||
        (up && v_overlap(i->rd, v_regs(c.lmul), i->rs2, v_regs(c.lmul))))
        return interp_illegal(h, i);
    uint64_t f = vf_scalar(h, i, c.esz);
    for (uint64_t k = c.vstart; k < c.vl; k++) {
        if (!v_active(h, i, k)) continue;
        uint64_t r;
        if (up)
            r = k ? v_get(h, i->rs2, k - 1, c.esz) : f;
        else
            r = k + 1 < c.vl ? v_get(h, i->rs2, k + 1, c.esz) : f;
        v_set(h, i->rd, k, c.esz, r);
    }
    return v_done(h, i);
}

/* The widening forms (13.3, 13.5, 13.7) take SEW 32 only (2 * SEW <=
 * ELEN; SEW 16 would need Zvfh) and 2 * LMUL <= 8. Their SEW operands are
 * converted to binary64 exactly (a signaling NaN raises invalid and turns
 * into the canonical NaN), then the operation rounds once. */
static uint64_t vf_widen1(uint64_t x, uint32_t *fl)
{
    return f32_to_f64((uint32_t)x, fl);
}

/* vd (2 * SEW) = vs2 (SEW, or 2 * SEW for the .w forms: wide) op vs1/f;
 * with acc a widening multiply-add into vd (vf_fma's MACC family). */
static int vf_widen(struct rv_hart *h, const struct rv_insn *i, enum vf_op op, enum vf_src src,
                    bool wide, bool acc)
{
    struct v_cfg c;
    unsigned rm;
    uint32_t fl = 0;
    if (!vf_begin(h, &c, &rm) || c.esz != 4 || c.lmul > 2) return interp_illegal(h, i);
    int wl = c.lmul + 1;
    if (!v_group_ok(i->rd, wl) || !v_mask_dest_ok(i, i->rd) ||
        !v_group_ok(i->rs2, wide ? wl : c.lmul) ||
        (!wide && !v_overlap_ok(i->rd, 8, wl, i->rs2, 4, c.lmul)) ||
        (src == V &&
         (!v_group_ok(i->rs1, c.lmul) || !v_overlap_ok(i->rd, 8, wl, i->rs1, 4, c.lmul))))
        return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++) {
        if (!v_active(h, i, k)) continue;
        uint64_t a = wide ? v_get(h, i->rs2, k, 8) : vf_widen1(v_get(h, i->rs2, k, 4), &fl);
        uint64_t b = vf_widen1(vf_op1(h, i, src, k, 4), &fl), r;
        if (acc)
            r = vf_fma(op, v_get(h, i->rd, k, 8), a, b, 8, rm, &fl);
        else
            r = vf_alu(op == WADD ? ADD : op == WSUB ? SUB : MUL, a, b, 8, rm, &fl);
        v_set(h, i->rd, k, 8, r);
    }
    return vf_done(h, i, fl);
}

static int vf_widen_plain(struct rv_hart *h, const struct rv_insn *i, enum vf_op op,
                          enum vf_src src)
{
    return vf_widen(h, i, op, src, false, false);
}

static int vf_widen_w(struct rv_hart *h, const struct rv_insn *i, enum vf_op op, enum vf_src src)
{
    return vf_widen(h, i, op, src, true, false);
}

static int vf_wmacc(struct rv_hart *h, const struct rv_insn *i, enum vf_op op, enum vf_src src)
{
    return vf_widen(h, i, op, src, false, true);
}

/* vfmv.f.s (16.2): f[rd] = vs2[0], NaN-boxed at SEW 32; done whatever vl
 * and vstart are. */
int interp_vfmv_f_s(struct rv_hart *h, const struct rv_insn *i)
{
    struct v_cfg c;
    unsigned rm;
    if (!vf_begin(h, &c, &rm)) return interp_illegal(h, i);
    uint64_t x = v_get(h, i->rs2, 0, c.esz);
    h->f[i->rd] = c.esz == 8 ? x : 0xffffffff00000000ULL | x;
    hart_fs_dirty(h);
    return v_done(h, i);
}

/* vfmv.s.f (16.2): vd[0] = f[rs1] when vstart < vl. */
int interp_vfmv_s_f(struct rv_hart *h, const struct rv_insn *i)
{
    struct v_cfg c;
    unsigned rm;
    if (!vf_begin(h, &c, &rm)) return interp_illegal(h, i);
    if (c.vstart < c.vl) v_set(h, i->rd, 0, c.esz, vf_scalar(h, i, c.esz));
    return v_done(h, i);
}

#define VF_SHAPE_BIN     vf_bin
#define VF_SHAPE_MADD    vf_madd
#define VF_SHAPE_CMP     vf_cmp_run
#define VF_SHAPE_UNARY   vf_unary
#define VF_SHAPE_MERGE   vf_merge
#define VF_SHAPE_SLIDE   vf_slide1
#define VF_SHAPE_WIDEN   vf_widen_plain
#define VF_SHAPE_WIDEN_W vf_widen_w
#define VF_SHAPE_WMACC   vf_wmacc

#define VF_ROW(name, shape, op, src)                                                               \
    int interp_##name(struct rv_hart *h, const struct rv_insn *i)                                  \
    {                                                                                              \
        return VF_SHAPE_##shape(h, i, op, src);                                                    \
    }

/* One handler per row of insn_v_fp.h (but vfmv.f.s and vfmv.s.f above). */
VF_ROW(vfadd_vv, BIN, ADD, V)
VF_ROW(vfadd_vf, BIN, ADD, F)
VF_ROW(vfsub_vv, BIN, SUB, V)
VF_ROW(vfsub_vf, BIN, SUB, F)
VF_ROW(vfrsub_vf, BIN, RSUB, F)
VF_ROW(vfmul_vv, BIN, MUL, V)
VF_ROW(vfmul_vf, BIN, MUL, F)
VF_ROW(vfdiv_vv, BIN, DIV, V)
VF_ROW(vfdiv_vf, BIN, DIV, F)
VF_ROW(vfrdiv_vf, BIN, RDIV, F)
VF_ROW(vfmin_vv, BIN, MIN, V)
VF_ROW(vfmin_vf, BIN, MIN, F)
VF_ROW(vfmax_vv, BIN, MAX, V)
VF_ROW(vfmax_vf, BIN, MAX, F)
VF_ROW(vfsgnj_vv, BIN, SGNJ, V)
VF_ROW(vfsgnj_vf, BIN, SGNJ, F)
VF_ROW(vfsgnjn_vv, BIN, SGNJN, V)
VF_ROW(vfsgnjn_vf, BIN, SGNJN, F)
VF_ROW(vfsgnjx_vv, BIN, SGNJX, V)
VF_ROW(vfsgnjx_vf, BIN, SGNJX, F)
VF_ROW(vfmacc_vv, MADD, MACC, V)
VF_ROW(vfmacc_vf, MADD, MACC, F)
VF_ROW(vfnmacc_vv, MADD, NMACC, V)
VF_ROW(vfnmacc_vf, MADD, NMACC, F)
VF_ROW(vfmsac_vv, MADD, MSAC, V)
VF_ROW(vfmsac_vf, MADD, MSAC, F)
VF_ROW(vfnmsac_vv, MADD, NMSAC, V)
VF_ROW(vfnmsac_vf, MADD, NMSAC, F)
VF_ROW(vfmadd_vv, MADD, MADD, V)
VF_ROW(vfmadd_vf, MADD, MADD, F)
VF_ROW(vfnmadd_vv, MADD, NMADD, V)
VF_ROW(vfnmadd_vf, MADD, NMADD, F)
VF_ROW(vfmsub_vv, MADD, MSUB, V)
VF_ROW(vfmsub_vf, MADD, MSUB, F)
VF_ROW(vfnmsub_vv, MADD, NMSUB, V)
VF_ROW(vfnmsub_vf, MADD, NMSUB, F)
VF_ROW(vmfeq_vv, CMP, EQ, V)
VF_ROW(vmfeq_vf, CMP, EQ, F)
VF_ROW(vmfne_vv, CMP, NE, V)
VF_ROW(vmfne_vf, CMP, NE, F)
VF_ROW(vmflt_vv, CMP, LT, V)
VF_ROW(vmflt_vf, CMP, LT, F)
VF_ROW(vmfle_vv, CMP, LE, V)
VF_ROW(vmfle_vf, CMP, LE, F)
VF_ROW(vmfgt_vf, CMP, GT, F)
VF_ROW(vmfge_vf, CMP, GE, F)
VF_ROW(vfsqrt_v, UNARY, SQRT, F)
VF_ROW(vfclass_v, UNARY, CLASS, F)
VF_ROW(vfmerge_vfm, MERGE, MERGE, F)
VF_ROW(vfmv_v_f, MERGE, MOVE, F)
VF_ROW(vfslide1up_vf, SLIDE, UP, F)
VF_ROW(vfslide1down_vf, SLIDE, DOWN, F)
VF_ROW(vfwadd_vv, WIDEN, WADD, V)
VF_ROW(vfwadd_vf, WIDEN, WADD, F)
VF_ROW(vfwsub_vv, WIDEN, WSUB, V)
VF_ROW(vfwsub_vf, WIDEN, WSUB, F)
VF_ROW(vfwadd_wv, WIDEN_W, WADD, V)
VF_ROW(vfwadd_wf, WIDEN_W, WADD, F)
VF_ROW(vfwsub_wv, WIDEN_W, WSUB, V)
VF_ROW(vfwsub_wf, WIDEN_W, WSUB, F)
VF_ROW(vfwmul_vv, WIDEN, WMUL, V)
VF_ROW(vfwmul_vf, WIDEN, WMUL, F)
VF_ROW(vfwmacc_vv, WMACC, MACC, V)
VF_ROW(vfwmacc_vf, WMACC, MACC, F)
VF_ROW(vfwnmacc_vv, WMACC, NMACC, V)
VF_ROW(vfwnmacc_vf, WMACC, NMACC, F)
VF_ROW(vfwmsac_vv, WMACC, MSAC, V)
VF_ROW(vfwmsac_vf, WMACC, MSAC, F)
VF_ROW(vfwnmsac_vv, WMACC, NMSAC, V)
VF_ROW(vfwnmsac_vf, WMACC, NMSAC, F)
