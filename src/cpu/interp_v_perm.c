/* The vector permutation instructions (unpriv spec V chapter 16): the
 * scalar moves vmv.x.s/vmv.s.x, slides (vslideup/vslidedown, vslide1up/
 * vslide1down), register gathers (vrgather, vrgatherei16), vcompress and
 * the whole-register moves vmv<nr>r.v. interp_v.h's contract holds:
 * elements vstart..vl-1, inactive elements and the tail undisturbed;
 * an index or offset from the guest is compared with VLMAX before it
 * picks an element, and v_get/v_set mask every offset to the register
 * file besides. */
#include "cpu/interp_v.h"

static uint64_t vperm_ones(unsigned esz)
{
    return esz >= 8 ? ~0ULL : (1ULL << (8 * esz)) - 1;
}

/* vmv.x.s (16.1): x[rd] = vs2[0] sign-extended; done whatever vl and
 * vstart are. */
int interp_vmv_x_s(struct rv_hart *h, const struct rv_insn *i)
{
    struct v_cfg c;
    if (!v_begin(h, &c)) return interp_illegal(h, i);
    h->x[i->rd] = (uint64_t)v_gets(h, i->rs2, 0, c.esz);
    return v_done(h, i);
}

/* vmv.s.x (16.1): vd[0] = x[rs1] when vstart < vl. */
int interp_vmv_s_x(struct rv_hart *h, const struct rv_insn *i)
{
    struct v_cfg c;
    if (!v_begin(h, &c)) return interp_illegal(h, i);
    if (c.vstart < c.vl) v_set(h, i->rd, 0, c.esz, h->x[i->rs1] & vperm_ones(c.esz));
    return v_done(h, i);
}

/* The usual checks of a permutation: vd and vs2 groups aligned, v0 not a
 * masked destination; with no_over, vd may not overlap vs2 (16.3, 16.4). */
static bool vperm_ok(const struct rv_insn *i, const struct v_cfg *c, bool no_over)
{
    unsigned n = v_regs(c->lmul);
    return v_group_ok(i->rd, c->lmul) && v_group_ok(i->rs2, c->lmul) && v_mask_dest_ok(i, i->rd) &&
           !(no_over && v_overlap(i->rd, n, i->rs2, n));
}

/* vslideup (16.3.1): vd[k] = vs2[k - off] for k >= off. */
static int vperm_slideup(struct rv_hart *h, const struct rv_insn *i, uint64_t off)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !vperm_ok(i, &c, true)) return interp_illegal(h, i);
    for (uint64_t k = c.vstart > off ? c.vstart : off; k < c.vl; k++)
        if (v_active(h, i, k)) v_set(h, i->rd, k, c.esz, v_get(h, i->rs2, k - off, c.esz));
    return v_done(h, i);
}

/* vslidedown (16.3.2): vd[k] = vs2[k + off], 0 from VLMAX on. */
static int vperm_slidedown(struct rv_hart *h, const struct rv_insn *i, uint64_t off)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !vperm_ok(i, &c, false)) return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++) {
        if (!v_active(h, i, k)) continue;
        bool in = off < c.vlmax && k < c.vlmax - off;
        v_set(h, i->rd, k, c.esz, in ? v_get(h, i->rs2, k + off, c.esz) : 0);
    }
    return v_done(h, i);
}

int interp_vslideup_vx(struct rv_hart *h, const struct rv_insn *i)
{
    return vperm_slideup(h, i, h->x[i->rs1]);
}

int interp_vslideup_vi(struct rv_hart *h, const struct rv_insn *i)
{
    return vperm_slideup(h, i, i->rs1);
}

int interp_vslidedown_vx(struct rv_hart *h, const struct rv_insn *i)
{
    return vperm_slidedown(h, i, h->x[i->rs1]);
}

int interp_vslidedown_vi(struct rv_hart *h, const struct rv_insn *i)
{
    return vperm_slidedown(h, i, i->rs1);
}

/* vslide1up (16.3.3): vd[0] = x[rs1], vd[k] = vs2[k - 1]. */
int interp_vslide1up_vx(struct rv_hart *h, const struct rv_insn *i)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !vperm_ok(i, &c, true)) return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++)
        if (v_active(h, i, k))
            v_set(h, i->rd, k, c.esz,
                  k ? v_get(h, i->rs2, k - 1, c.esz) : h->x[i->rs1] & vperm_ones(c.esz));
    return v_done(h, i);
}

/* vslide1down (16.3.4): vd[k] = vs2[k + 1], vd[vl - 1] = x[rs1]. */
int interp_vslide1down_vx(struct rv_hart *h, const struct rv_insn *i)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !vperm_ok(i, &c, false)) return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++)
        if (v_active(h, i, k))
            v_set(h, i->rd, k, c.esz,
                  k + 1 < c.vl ? v_get(h, i->rs2, k + 1, c.esz) : h->x[i->rs1] & vperm_ones(c.esz));
    return v_done(h, i);
}

/* Where vrgather's index of element k comes from. */
enum vperm_idx { IDX_V, IDX_EI16, IDX_X, IDX_I };

/* vrgather.vv/vx/vi, vrgatherei16.vv (16.4): vd[k] = vs2[index], 0 for an
 * index >= VLMAX. vd may overlap neither source. */
static int vperm_gather(struct rv_hart *h, const struct rv_insn *i, enum vperm_idx src)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !vperm_ok(i, &c, true)) return interp_illegal(h, i);
    unsigned n = v_regs(c.lmul);
    unsigned iesz = src == IDX_EI16 ? 2 : c.esz;
    /* vrgatherei16's EMUL = (16 / SEW) * LMUL */
    int iemul = src == IDX_EI16 ? c.lmul + 1 -
                                      (c.esz == 1   ? 0
                                       : c.esz == 2 ? 1
                                       : c.esz == 4 ? 2
                                                    : 3)
                                : c.lmul;
    if (src == IDX_V || src == IDX_EI16) {
        if (iemul < -3 || !v_group_ok(i->rs1, iemul) || v_overlap(i->rd, n, i->rs1, v_regs(iemul)))
            return interp_illegal(h, i);
    }
    for (uint64_t k = c.vstart; k < c.vl; k++) {
        if (!v_active(h, i, k)) continue;
        uint64_t idx = src == IDX_X   ? h->x[i->rs1]
                       : src == IDX_I ? i->rs1
                                      : v_get(h, i->rs1, k, iesz);
        v_set(h, i->rd, k, c.esz, idx < c.vlmax ? v_get(h, i->rs2, idx, c.esz) : 0);
    }
    return v_done(h, i);
}

int interp_vrgather_vv(struct rv_hart *h, const struct rv_insn *i)
{
    return vperm_gather(h, i, IDX_V);
}

int interp_vrgatherei16_vv(struct rv_hart *h, const struct rv_insn *i)
{
    return vperm_gather(h, i, IDX_EI16);
}

int interp_vrgather_vx(struct rv_hart *h, const struct rv_insn *i)
{
    return vperm_gather(h, i, IDX_X);
}

int interp_vrgather_vi(struct rv_hart *h, const struct rv_insn *i)
{
    return vperm_gather(h, i, IDX_I);
}

/* vcompress.vm (16.5): the elements of vs2 whose vs1 mask bit is set,
 * packed into vd from element 0; vstart must be 0, vd overlaps neither
 * source. */
int interp_vcompress_vm(struct rv_hart *h, const struct rv_insn *i)
{
    struct v_cfg c;
    unsigned n;
    if (!v_begin(h, &c) || c.vstart || !vperm_ok(i, &c, true)) return interp_illegal(h, i);
    n = v_regs(c.lmul);
    if (v_overlap(i->rd, n, i->rs1, 1)) return interp_illegal(h, i);
    uint64_t out = 0;
    for (uint64_t k = 0; k < c.vl; k++)
        if (v_mask(h, i->rs1, k)) v_set(h, i->rd, out++, c.esz, v_get(h, i->rs2, k, c.esz));
    return v_done(h, i);
}

/* vmv<nr>r.v (16.6): nr whole registers as elements of SEW from vstart;
 * vd and vs2 aligned to nr. Does not depend on vl (nor on vtype but for
 * SEW, so a vill vtype moves bytes). */
static int vperm_mvnr(struct rv_hart *h, const struct rv_insn *i, unsigned nr)
{
    struct v_cfg c;
    if (!v_begin_any(h, &c) || (i->rd & (nr - 1)) || (i->rs2 & (nr - 1)))
        return interp_illegal(h, i);
    uint64_t evl = (uint64_t)nr * h->vec.vlenb / c.esz;
    if (i->rd != i->rs2)
        for (uint64_t k = c.vstart; k < evl; k++)
            v_set(h, i->rd, k, c.esz, v_get(h, i->rs2, k, c.esz));
    return v_done(h, i);
}

int interp_vmv1r_v(struct rv_hart *h, const struct rv_insn *i)
{
    return vperm_mvnr(h, i, 1);
}

int interp_vmv2r_v(struct rv_hart *h, const struct rv_insn *i)
{
    return vperm_mvnr(h, i, 2);
}

int interp_vmv4r_v(struct rv_hart *h, const struct rv_insn *i)
{
    return vperm_mvnr(h, i, 4);
}

int interp_vmv8r_v(struct rv_hart *h, const struct rv_insn *i)
{
    return vperm_mvnr(h, i, 8);
}
