/* Svinval (priv spec chapter "Svinval", fine-grained address-translation
 * cache invalidation): sinval.vma and hinval.vvma/gvma invalidate as
 * sfence.vma and hfence.vvma/gvma do, with the same permission rules, and
 * the two ordering fences around them order nothing rvmm reorders (its
 * page walks read memory at the access), so they only check privilege. */
#include "cpu/interp.h"

int interp_sinval_vma(struct rv_hart *h, const struct rv_insn *i)
{
    return interp_sfence_vma(h, i);
}

/* Illegal in U-mode, a virtual instruction in VU-mode. */
static int inval_fence(struct rv_hart *h, const struct rv_insn *i)
{
    if (h->priv == PRV_U) return h->virt ? interp_virtual(h, i) : interp_illegal(h, i);
    return interp_next(h, i);
}

int interp_sfence_w_inval(struct rv_hart *h, const struct rv_insn *i)
{
    return inval_fence(h, i);
}

int interp_sfence_inval_ir(struct rv_hart *h, const struct rv_insn *i)
{
    return inval_fence(h, i);
}

int interp_hinval_vvma(struct rv_hart *h, const struct rv_insn *i)
{
    if (!cpu_model_has(&h->cpu, CPU_EXT_h)) return interp_illegal(h, i);
    return interp_hfence_vvma(h, i);
}

int interp_hinval_gvma(struct rv_hart *h, const struct rv_insn *i)
{
    if (!cpu_model_has(&h->cpu, CPU_EXT_h)) return interp_illegal(h, i);
    return interp_hfence_gvma(h, i);
}
