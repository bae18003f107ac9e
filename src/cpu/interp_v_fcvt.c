/* The vector floating-point conversions (unpriv spec V 13.17 single-width,
 * 13.18 widening, 13.19 narrowing; Zvfhmin's vfwcvt.f.f.v/vfncvt.f.f.w at
 * SEW 16). Each element goes through the scalar FP core (fpu.h), so a
 * result and its flags are the matching fcvt's; the forms the scalar ISA
 * lacks are built from it: float to a 16-bit integer saturates the 32-bit
 * result (an out-of-range value gives the bound and invalid only, as
 * fcvt does), and vfncvt.rod (round towards odd, 13.19) truncates and
 * sets the last bit when the result is inexact. Which SEW a row takes is
 * its FP side's: binary32 (F) or binary64 (D), binary16 only through
 * Zvfhmin's two rows (the others would need Zvfh). interp_v.h's contract
 * holds: elements vstart..vl-1, inactive elements and the tail
 * undisturbed. */
#include "cpu/interp_v_fp.h"

enum vfc_op { F2U, F2I, U2F, I2F, F2F, ROD };

/* The shape: single-width, widening (vd 2 * SEW) or narrowing (vs2
 * 2 * SEW). */
enum vfc_shape { ONE, WIDE, NARROW };

static int64_t vfc_sext(uint64_t x, unsigned esz)
{
    unsigned sh = 64 - 8 * esz;
    return (int64_t)(x << sh) >> sh;
}

/* Float (fin bytes) to an integer of wo bytes, zero-extended. */
static uint64_t vfc_f2int(bool sign, uint64_t a, unsigned fin, unsigned wo, unsigned rm,
                          uint32_t *fl)
{
    if (wo == 8) {
        if (fin == 4)
            return sign ? (uint64_t)f32_to_i64((uint32_t)a, rm, fl)
                        : f32_to_u64((uint32_t)a, rm, fl);
        return sign ? (uint64_t)f64_to_i64(a, rm, fl) : f64_to_u64(a, rm, fl);
    }
    uint32_t t = 0;
    uint64_t r;
    if (fin == 4)
        r = sign ? (uint64_t)(uint32_t)f32_to_i32((uint32_t)a, rm, &t)
                 : f32_to_u32((uint32_t)a, rm, &t);
    else
        r = sign ? (uint64_t)(uint32_t)f64_to_i32(a, rm, &t) : f64_to_u32(a, rm, &t);
    if (wo == 4) {
        *fl |= t;
        return r;
    }
    /* 16-bit: saturate the 32-bit result */
    if (sign) {
        int32_t v = (int32_t)(uint32_t)r;
        if (v > 32767 || v < -32768) {
            *fl |= FFLAG_NV;
            return (uint16_t)(v > 0 ? 32767 : -32768);
        }
        *fl |= t;
        return (uint16_t)v;
    }
    if (r > 0xffff) {
        *fl |= FFLAG_NV;
        return 0xffff;
    }
    *fl |= t;
    return r;
}

/* An integer of wi bytes (zero-extended in a) to a float of fo bytes. */
static uint64_t vfc_int2f(bool sign, uint64_t a, unsigned wi, unsigned fo, unsigned rm,
                          uint32_t *fl)
{
    int64_t s = vfc_sext(a, wi);
    if (fo == 4) {
        if (wi == 8) return sign ? f32_from_i64(s, rm, fl) : f32_from_u64(a, rm, fl);
        return sign ? f32_from_i32((int32_t)s, rm, fl) : f32_from_u32((uint32_t)a, rm, fl);
    }
    if (wi == 8) return sign ? f64_from_i64(s, rm, fl) : f64_from_u64(a, rm, fl);
    return sign ? f64_from_i32((int32_t)s, rm, fl) : f64_from_u32((uint32_t)a, rm, fl);
}

/* Float to float: binary16 <-> binary32 <-> binary64; rod: binary64 to
 * binary32 rounding towards odd. */
static uint64_t vfc_f2f(bool rod, uint64_t a, unsigned fin, unsigned fo, unsigned rm, uint32_t *fl)
{
    if (fin == 2) return f16_to_f32((uint16_t)a, fl);
    if (fin == 4) return fo == 8 ? f32_to_f64((uint32_t)a, fl) : f32_to_f16((uint32_t)a, rm, fl);
    if (!rod) return f64_to_f32(a, rm, fl);
    uint32_t t = 0, r = f64_to_f32(a, FRM_RTZ, &t);
    /* inexact and not NaN: jam the last bit (a NaN result is exact) */
    if (t & FFLAG_NX) r |= 1;
    *fl |= t;
    return r;
}

static uint64_t vfc_conv(enum vfc_op op, uint64_t a, unsigned in, unsigned out, unsigned rm,
                         uint32_t *fl)
{
    switch (op) {
    case F2U: return vfc_f2int(false, a, in, out, rm, fl);
    case F2I: return vfc_f2int(true, a, in, out, rm, fl);
    case U2F: return vfc_int2f(false, a, in, out, rm, fl);
    case I2F: return vfc_int2f(true, a, in, out, rm, fl);
    default: return vfc_f2f(op == ROD, a, in, out, rm, fl);
    }
}

/* Whether SEW (esz) is legal for op in shape: the FP side must be binary32
 * or binary64, or binary16 for Zvfhmin's vfwcvt.f.f.v/vfncvt.f.f.w. */
static bool vfc_sew_ok(const struct rv_hart *h, enum vfc_op op, enum vfc_shape shape, unsigned esz)
{
    bool from_f = op == F2U || op == F2I || op == F2F || op == ROD;
    bool to_f = !(op == F2U || op == F2I);
    unsigned in = shape == NARROW ? 2 * esz : esz, out = shape == WIDE ? 2 * esz : esz;
    if (in > 8 || out > 8) return false;
    if (op == F2F && (in == 2 || out == 2))
        return in >= 2 && out >= 2 && cpu_model_has(&h->cpu, CPU_EXT_zvfhmin);
    return (!from_f || in >= 4) && (!to_f || out >= 4);
}

static int vfc_run(struct rv_hart *h, const struct rv_insn *i, enum vfc_op op, enum vfc_shape shape,
                   bool rtz)
{
    struct v_cfg c;
    unsigned rm;
    uint32_t fl = 0;
    if (!vf_begin_sew(h, &c, &rm) || !vfc_sew_ok(h, op, shape, c.esz) ||
        (shape != ONE && c.lmul > 2))
        return interp_illegal(h, i);
    unsigned in = shape == NARROW ? 2 * c.esz : c.esz, out = shape == WIDE ? 2 * c.esz : c.esz;
    int lin = shape == NARROW ? c.lmul + 1 : c.lmul, lout = shape == WIDE ? c.lmul + 1 : c.lmul;
    if (!v_group_ok(i->rd, lout) || !v_group_ok(i->rs2, lin) || !v_mask_dest_ok(i, i->rd) ||
        !v_overlap_ok(i->rd, out, lout, i->rs2, in, lin))
        return interp_illegal(h, i);
    if (rtz) rm = FRM_RTZ;
    for (uint64_t k = c.vstart; k < c.vl; k++)
        if (v_active(h, i, k))
            v_set(h, i->rd, k, out, vfc_conv(op, v_get(h, i->rs2, k, in), in, out, rm, &fl));
    return vf_done(h, i, fl);
}

#define VFC_ROW(name, op, shape, rtz)                                                              \
    int interp_##name(struct rv_hart *h, const struct rv_insn *i)                                  \
    {                                                                                              \
        return vfc_run(h, i, op, shape, rtz);                                                      \
    }

/* One handler per conversion row of insn_v_fcvt.h. */
VFC_ROW(vfcvt_xu_f_v, F2U, ONE, false)
VFC_ROW(vfcvt_x_f_v, F2I, ONE, false)
VFC_ROW(vfcvt_f_xu_v, U2F, ONE, false)
VFC_ROW(vfcvt_f_x_v, I2F, ONE, false)
VFC_ROW(vfcvt_rtz_xu_f_v, F2U, ONE, true)
VFC_ROW(vfcvt_rtz_x_f_v, F2I, ONE, true)
VFC_ROW(vfwcvt_xu_f_v, F2U, WIDE, false)
VFC_ROW(vfwcvt_x_f_v, F2I, WIDE, false)
VFC_ROW(vfwcvt_f_xu_v, U2F, WIDE, false)
VFC_ROW(vfwcvt_f_x_v, I2F, WIDE, false)
VFC_ROW(vfwcvt_f_f_v, F2F, WIDE, false)
VFC_ROW(vfwcvt_rtz_xu_f_v, F2U, WIDE, true)
VFC_ROW(vfwcvt_rtz_x_f_v, F2I, WIDE, true)
VFC_ROW(vfncvt_xu_f_w, F2U, NARROW, false)
VFC_ROW(vfncvt_x_f_w, F2I, NARROW, false)
VFC_ROW(vfncvt_f_xu_w, U2F, NARROW, false)
VFC_ROW(vfncvt_f_x_w, I2F, NARROW, false)
VFC_ROW(vfncvt_f_f_w, F2F, NARROW, false)
VFC_ROW(vfncvt_rod_f_f_w, ROD, NARROW, false)
VFC_ROW(vfncvt_rtz_xu_f_w, F2U, NARROW, true)
VFC_ROW(vfncvt_rtz_x_f_w, F2I, NARROW, true)
