/* Cache-block operations (Zicbom, Zicboz; CMO spec 1.0.1), may-be-operations
 * (Zimop) and wait-on-reservation-set hints (Zawrs). rvmm has no data
 * caches (every access is coherent), so the management operations only
 * check what the spec says they check; cbo.zero stores zeros. Whether a
 * privilege may use them is read from menvcfg/senvcfg here, at execution,
 * because those CSRs change at run time. */
#include "cpu/interp.h"

#define CBO_BLOCK CPU_CBO_BLOCK
/* CMO spec 2.5.1, 2.5.2: below M, the envcfg field of each more
 * privileged mode must allow the operation, else an illegal instruction.
 * Returns nonzero when allowed. */
static bool cbo_allowed(const struct rv_hart *h, uint64_t field)
{
    if (h->priv < PRV_M && !(h->menvcfg & field)) return false;
    if (h->priv < PRV_S && !(h->senvcfg & field)) return false;
    return true;
}

/* CMO spec 2.5.2: a management operation may access the block when a load
 * or a store may; if neither, a store page fault or store access fault
 * (the store's check's outcome). tval is the block's address, as QEMU
 * reports it. */
static int cbo_check_access(struct rv_hart *h, const struct rv_insn *i, gva_t block)
{
    unsigned priv = mmu_data_priv(h);
    gpa_t pa;
    bool uniform;
    if (!mmu_translate(h, block, MMU_READ, priv, &pa, &uniform)) return 0;
    int c = mmu_translate(h, block, MMU_WRITE, priv, &pa, &uniform);
    return c ? interp_fault(h, i, c) : 0;
}

static int cbo_manage(struct rv_hart *h, const struct rv_insn *i, uint64_t field)
{
    if (!cbo_allowed(h, field)) return interp_raise(h, i, EXC_ILLEGAL_INSN, i->raw);
    if (cbo_check_access(h, i, h->x[i->rs1] & ~(uint64_t)(CBO_BLOCK - 1))) return 1;
    return interp_next(h, i);
}

/* cbo.inval runs as a flush or an invalidate (CBIE 01 or 11): the same
 * here, where memory is always up to date. */
int interp_cbo_inval(struct rv_hart *h, const struct rv_insn *i)
{
    return cbo_manage(h, i, ENVCFG_CBIE);
}
int interp_cbo_clean(struct rv_hart *h, const struct rv_insn *i)
{
    return cbo_manage(h, i, ENVCFG_CBCFE);
}
int interp_cbo_flush(struct rv_hart *h, const struct rv_insn *i)
{
    return cbo_manage(h, i, ENVCFG_CBCFE);
}

/* CMO spec 2.5.3: cbo.zero stores zeros to the whole block, as a store
 * (faults, PMP, A/D bits, code invalidation). The block lies in one page,
 * whose translation and PMP are checked for all of it first, so either
 * the block is written or nothing is. */
int interp_cbo_zero(struct rv_hart *h, const struct rv_insn *i)
{
    if (!cbo_allowed(h, ENVCFG_CBZE)) return interp_raise(h, i, EXC_ILLEGAL_INSN, i->raw);
    gva_t block = h->x[i->rs1] & ~(uint64_t)(CBO_BLOCK - 1);
    unsigned priv = mmu_data_priv(h);
    gpa_t pa;
    bool uniform;
    int c = mmu_translate(h, block, MMU_WRITE, priv, &pa, &uniform);
    if (c) return interp_fault(h, i, c);
    if (!pmp_allows(h, pa, CBO_BLOCK, MMU_WRITE, priv))
        return interp_raise(h, i, EXC_STORE_ACCESS, block);
    for (unsigned k = 0; k < CBO_BLOCK; k += 8)
        if (interp_store(h, i, block + k, 8, 0)) return 1;
    return interp_next(h, i);
}

/* Zimop: until an extension gives them a meaning, mop.r.n and mop.rr.n
 * write 0 to rd. */
int interp_mop_r(struct rv_hart *h, const struct rv_insn *i)
{
    h->x[i->rd] = 0;
    return interp_next(h, i);
}
int interp_mop_rr(struct rv_hart *h, const struct rv_insn *i)
{
    h->x[i->rd] = 0;
    return interp_next(h, i);
}

/* Zawrs: rvmm ends the wait at once, which the spec allows. wrs.nto below
 * M with mstatus.TW set would wait without bound, so it is an illegal
 * instruction (as QEMU and the spec's "bounded time limit" say). */
int interp_wrs_nto(struct rv_hart *h, const struct rv_insn *i)
{
    if (h->priv < PRV_M && (h->mstatus & MSTATUS_TW))
        return interp_raise(h, i, EXC_ILLEGAL_INSN, i->raw);
    return interp_next(h, i);
}
int interp_wrs_sto(struct rv_hart *h, const struct rv_insn *i)
{
    return interp_next(h, i);
}
