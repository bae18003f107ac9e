/* The vector fixed-point instructions (unpriv spec V chapter 12):
 * saturating add/subtract, averaging add/subtract, vsmul, scaling shifts
 * and the narrowing clips vnclipu/vnclip. Two walkers (single-width and
 * narrowing) follow interp_v.h's contract; the element arithmetic is
 * vec_fix.h's. vxrm picks the rounding, and an active element that
 * saturated sets vxsat (sticky: only a CSR write clears it). */
#include "cpu/interp_v.h"
#include "cpu/vec_fix.h"

/* Where the second operand comes from: vs1, x[rs1], simm5, or uimm5 (the
 * shift amounts of vssrl/vssra.vi and vnclip*.wi). */
enum vfix_src { V, X, I, U };

enum vfix_op {
    SADDU,
    SADD,
    SSUBU,
    SSUB,
    AADDU,
    AADD,
    ASUBU,
    ASUB,
    SMUL,
    SSRL,
    SSRA,
    NCLIPU,
    NCLIP
};

/* The second operand of element k: vs1[k] (EEW esz), x[rs1] truncated to
 * esz bytes (12.x: the .vx forms take the low SEW bits), the immediate. */
static uint64_t vfix_op1(struct rv_hart *h, const struct rv_insn *i, enum vfix_src src, uint64_t k,
                         unsigned esz)
{
    switch (src) {
    case V: return v_get(h, i->rs1, k, esz);
    case X: return h->x[i->rs1] & vfix_ones(esz);
    case I: return (uint64_t)((int64_t)((uint64_t)i->rs1 << 59) >> 59) & vfix_ones(esz);
    default: return i->rs1;
    }
}

static uint64_t vfix_alu(enum vfix_op op, uint64_t a, uint64_t b, unsigned esz, unsigned rm,
                         bool *sat)
{
    switch (op) {
    case SADDU: return vfix_saddu(a, b, esz, sat);
    case SADD: return vfix_sadd(a, b, esz, sat);
    case SSUBU: return vfix_ssubu(a, b, esz, sat);
    case SSUB: return vfix_ssub(a, b, esz, sat);
    case AADDU: return vfix_aaddu(a, b, esz, rm);
    case AADD: return vfix_aadd(a, b, esz, rm);
    case ASUBU: return vfix_asubu(a, b, esz, rm);
    case ASUB: return vfix_asub(a, b, esz, rm);
    case SMUL: return vfix_smul(a, b, esz, rm, sat);
    case SSRL: return vfix_ssrl(a, b, esz, rm);
    case SSRA: return vfix_ssra(a, b, esz, rm);
    case NCLIPU: return vfix_nclipu(a, b, esz, rm, sat);
    default: return vfix_nclip(a, b, esz, rm, sat);
    }
}

/* vd, vs2 and vs1 (SEW, LMUL): groups aligned, v0 not a masked
 * destination (5.2, 5.3). */
static int vfix_bin(struct rv_hart *h, const struct rv_insn *i, enum vfix_op op, enum vfix_src src)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !v_group_ok(i->rd, c.lmul) || !v_group_ok(i->rs2, c.lmul) ||
        (src == V && !v_group_ok(i->rs1, c.lmul)) || !v_mask_dest_ok(i, i->rd))
        return interp_illegal(h, i);
    bool sat = false;
    unsigned rm = h->vec.vxrm;
    for (uint64_t k = c.vstart; k < c.vl; k++)
        if (v_active(h, i, k))
            v_set(h, i->rd, k, c.esz,
                  vfix_alu(op, v_get(h, i->rs2, k, c.esz), vfix_op1(h, i, src, k, c.esz), c.esz, rm,
                           &sat));
    if (sat) h->vec.vxsat = 1;
    return v_done(h, i);
}

/* vnclipu/vnclip (12.6): vs2 is 2 * SEW wide with EMUL 2 * LMUL; SEW <=
 * 32 and LMUL <= 4 (vtype's SEW = 64 or LMUL = 8 is reserved here). */
static int vfix_narrow(struct rv_hart *h, const struct rv_insn *i, enum vfix_op op,
                       enum vfix_src src)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || c.esz > 4 || c.lmul > 2) return interp_illegal(h, i);
    unsigned e = c.esz, w = 2 * c.esz;
    if (!v_group_ok(i->rs2, c.lmul + 1) || !v_group_ok(i->rd, c.lmul) ||
        !v_overlap_ok(i->rd, e, c.lmul, i->rs2, w, c.lmul + 1) || !v_mask_dest_ok(i, i->rd) ||
        (src == V && !v_group_ok(i->rs1, c.lmul)))
        return interp_illegal(h, i);
    bool sat = false;
    unsigned rm = h->vec.vxrm;
    for (uint64_t k = c.vstart; k < c.vl; k++)
        if (v_active(h, i, k))
            v_set(h, i->rd, k, e,
                  vfix_alu(op, v_get(h, i->rs2, k, w), vfix_op1(h, i, src, k, e), e, rm, &sat));
    if (sat) h->vec.vxsat = 1;
    return v_done(h, i);
}

#define VFIX_ROW(name, walker, op, src)                                                            \
    int interp_##name(struct rv_hart *h, const struct rv_insn *i)                                  \
    {                                                                                              \
        return walker(h, i, op, src);                                                              \
    }

/* One handler per row of insn_v_fix.h. */
VFIX_ROW(vsaddu_vv, vfix_bin, SADDU, V)
VFIX_ROW(vsaddu_vx, vfix_bin, SADDU, X)
VFIX_ROW(vsaddu_vi, vfix_bin, SADDU, I)
VFIX_ROW(vsadd_vv, vfix_bin, SADD, V)
VFIX_ROW(vsadd_vx, vfix_bin, SADD, X)
VFIX_ROW(vsadd_vi, vfix_bin, SADD, I)
VFIX_ROW(vssubu_vv, vfix_bin, SSUBU, V)
VFIX_ROW(vssubu_vx, vfix_bin, SSUBU, X)
VFIX_ROW(vssub_vv, vfix_bin, SSUB, V)
VFIX_ROW(vssub_vx, vfix_bin, SSUB, X)
VFIX_ROW(vaaddu_vv, vfix_bin, AADDU, V)
VFIX_ROW(vaaddu_vx, vfix_bin, AADDU, X)
VFIX_ROW(vaadd_vv, vfix_bin, AADD, V)
VFIX_ROW(vaadd_vx, vfix_bin, AADD, X)
VFIX_ROW(vasubu_vv, vfix_bin, ASUBU, V)
VFIX_ROW(vasubu_vx, vfix_bin, ASUBU, X)
VFIX_ROW(vasub_vv, vfix_bin, ASUB, V)
VFIX_ROW(vasub_vx, vfix_bin, ASUB, X)
VFIX_ROW(vsmul_vv, vfix_bin, SMUL, V)
VFIX_ROW(vsmul_vx, vfix_bin, SMUL, X)
VFIX_ROW(vssrl_vv, vfix_bin, SSRL, V)
VFIX_ROW(vssrl_vx, vfix_bin, SSRL, X)
VFIX_ROW(vssrl_vi, vfix_bin, SSRL, U)
VFIX_ROW(vssra_vv, vfix_bin, SSRA, V)
VFIX_ROW(vssra_vx, vfix_bin, SSRA, X)
VFIX_ROW(vssra_vi, vfix_bin, SSRA, U)
VFIX_ROW(vnclipu_wv, vfix_narrow, NCLIPU, V)
VFIX_ROW(vnclipu_wx, vfix_narrow, NCLIPU, X)
VFIX_ROW(vnclipu_wi, vfix_narrow, NCLIPU, U)
VFIX_ROW(vnclip_wv, vfix_narrow, NCLIP, V)
VFIX_ROW(vnclip_wx, vfix_narrow, NCLIP, X)
VFIX_ROW(vnclip_wi, vfix_narrow, NCLIP, U)
