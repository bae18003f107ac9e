/* The vector mask instructions (unpriv spec V chapter 15): the mask-
 * register logical operations vmand.mm..vmxnor.mm, vcpop.m, vfirst.m,
 * vmsbf/vmsif/vmsof.m, viota.m and vid.v. Mask operands are one register
 * each, bit k for element k (4.5). interp_v.h's contract holds: elements
 * vstart..vl-1, inactive elements and the tail undisturbed. vcpop, vfirst,
 * vmsbf/vmsif/vmsof and viota raise illegal with vstart != 0 (15.2-15.8:
 * they are not restartable), as QEMU 7.2 does. */
#include "cpu/interp_v.h"

enum vmask_op { ANDN, AND, OR, XOR, ORN, NAND, NOR, XNOR };

static bool vmask_logic(enum vmask_op op, bool a, bool b)
{
    switch (op) {
    case ANDN: return a && !b;
    case AND: return a && b;
    case OR: return a || b;
    case XOR: return a != b;
    case ORN: return a || !b;
    case NAND: return !(a && b);
    case NOR: return !(a || b);
    default: return a == b;
    }
}

/* vd.mask[k] = vs2.mask[k] op vs1.mask[k] (15.1); always unmasked. */
static int vmask_mm(struct rv_hart *h, const struct rv_insn *i, enum vmask_op op)
{
    struct v_cfg c;
    if (!v_begin(h, &c)) return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++)
        v_mask_set(h, i->rd, k, vmask_logic(op, v_mask(h, i->rs2, k), v_mask(h, i->rs1, k)));
    return v_done(h, i);
}

#define VMASK_MM(name, op)                                                                         \
    int interp_##name(struct rv_hart *h, const struct rv_insn *i)                                  \
    {                                                                                              \
        return vmask_mm(h, i, op);                                                                 \
    }

VMASK_MM(vmandn_mm, ANDN)
VMASK_MM(vmand_mm, AND)
VMASK_MM(vmor_mm, OR)
VMASK_MM(vmxor_mm, XOR)
VMASK_MM(vmorn_mm, ORN)
VMASK_MM(vmnand_mm, NAND)
VMASK_MM(vmnor_mm, NOR)
VMASK_MM(vmxnor_mm, XNOR)

/* vcpop.m (15.2): x[rd] = the number of active elements of vs2 set. */
int interp_vcpop_m(struct rv_hart *h, const struct rv_insn *i)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || c.vstart) return interp_illegal(h, i);
    uint64_t n = 0;
    for (uint64_t k = 0; k < c.vl; k++)
        n += v_active(h, i, k) && v_mask(h, i->rs2, k);
    h->x[i->rd] = n;
    return v_done(h, i);
}

/* vfirst.m (15.3): x[rd] = the index of the first active element of vs2
 * set, or -1. */
int interp_vfirst_m(struct rv_hart *h, const struct rv_insn *i)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || c.vstart) return interp_illegal(h, i);
    uint64_t r = ~0ULL;
    for (uint64_t k = 0; k < c.vl; k++)
        if (v_active(h, i, k) && v_mask(h, i->rs2, k)) {
            r = k;
            break;
        }
    h->x[i->rd] = r;
    return v_done(h, i);
}

enum vmask_set { SBF, SIF, SOF };

/* vmsbf/vmsif/vmsof.m (15.4-15.6): the active elements before / up to /
 * at the first active set bit of vs2. vd may not overlap vs2, nor v0 when
 * masked. */
static int vmask_setfirst(struct rv_hart *h, const struct rv_insn *i, enum vmask_set kind)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || c.vstart || i->rd == i->rs2 || !v_mask_dest_ok(i, i->rd))
        return interp_illegal(h, i);
    bool found = false;
    for (uint64_t k = 0; k < c.vl; k++) {
        if (!v_active(h, i, k)) continue;
        bool first = !found && v_mask(h, i->rs2, k);
        bool bit = kind == SBF ? !found && !first : kind == SIF ? !found : first;
        found |= first;
        v_mask_set(h, i->rd, k, bit);
    }
    return v_done(h, i);
}

int interp_vmsbf_m(struct rv_hart *h, const struct rv_insn *i)
{
    return vmask_setfirst(h, i, SBF);
}

int interp_vmsif_m(struct rv_hart *h, const struct rv_insn *i)
{
    return vmask_setfirst(h, i, SIF);
}

int interp_vmsof_m(struct rv_hart *h, const struct rv_insn *i)
{
    return vmask_setfirst(h, i, SOF);
}

/* viota.m (15.8): vd[k] = the number of active elements of vs2 set below
 * k. vd (LMUL) may not overlap vs2, nor v0 when masked. */
int interp_viota_m(struct rv_hart *h, const struct rv_insn *i)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || c.vstart || !v_group_ok(i->rd, c.lmul) ||
        v_overlap(i->rd, v_regs(c.lmul), i->rs2, 1) || !v_mask_dest_ok(i, i->rd))
        return interp_illegal(h, i);
    uint64_t n = 0;
    for (uint64_t k = 0; k < c.vl; k++) {
        if (!v_active(h, i, k)) continue;
        bool bit = v_mask(h, i->rs2, k);
        v_set(h, i->rd, k, c.esz, n);
        n += bit;
    }
    return v_done(h, i);
}

/* vid.v (15.9): vd[k] = k. */
int interp_vid_v(struct rv_hart *h, const struct rv_insn *i)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !v_group_ok(i->rd, c.lmul) || !v_mask_dest_ok(i, i->rd))
        return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++)
        if (v_active(h, i, k)) v_set(h, i->rd, k, c.esz, k);
    return v_done(h, i);
}
