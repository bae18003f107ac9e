/* Trap delivery. Decides the target mode from medeleg/mideleg, saves the
 * previous state into xPP/xPIE/xEPC, and switches TLB regimes. Knows nothing
 * of instructions or devices. */
#include "cpu/trap.h"

#include "cpu/mmu.h"

void trap_take(struct rv_hart *h, uint64_t cause, uint64_t tval)
{
    bool irq = (cause & CAUSE_INTERRUPT) != 0;
    unsigned code = (unsigned)(cause & 63);
    uint64_t deleg = irq ? h->mideleg : h->medeleg;
    unsigned from = h->priv;

    h->resv_valid = 0;
    h->traps++;
    if (from <= PRV_S && ((deleg >> code) & 1)) {
        h->scause = cause;
        h->sepc = h->pc;
        h->stval = tval;
        uint64_t s = h->mstatus & ~(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE);
        if (h->mstatus & MSTATUS_SIE) s |= MSTATUS_SPIE;
        if (from == PRV_S) s |= MSTATUS_SPP;
        h->mstatus = s;
        h->priv = PRV_S;
        uint64_t base = h->stvec & ~3ULL;
        h->pc = (irq && (h->stvec & 1)) ? base + 4 * code : base;
    } else {
        h->mcause = cause;
        h->mepc = h->pc;
        h->mtval = tval;
        uint64_t s = h->mstatus & ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE);
        if (h->mstatus & MSTATUS_MIE) s |= MSTATUS_MPIE;
        s |= (uint64_t)from << 11;
        h->mstatus = s;
        h->priv = PRV_M;
        uint64_t base = h->mtvec & ~3ULL;
        h->pc = (irq && (h->mtvec & 1)) ? base + 4 * code : base;
    }
    if (irq)
        h->stats.irq[code][h->priv]++;
    else if (code < EXC_COUNT)
        h->stats.exc[code][h->priv]++;
    mmu_update_mode(h);
}

int trap_pending_irq(const struct rv_hart *h)
{
    static const int order[] = {IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER,
                                IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER};
    uint64_t pending = trap_mip(h) & h->mie;
    if (!pending) return -1;
    bool m_on = h->priv < PRV_M || (h->mstatus & MSTATUS_MIE);
    bool s_on = h->priv < PRV_S || (h->priv == PRV_S && (h->mstatus & MSTATUS_SIE));
    uint64_t m = m_on ? pending & ~h->mideleg : 0;
    uint64_t s = s_on ? pending & h->mideleg : 0;
    uint64_t take = m ? m : s;
    if (!take) return -1;
    for (unsigned k = 0; k < ARRAY_SIZE(order); k++)
        if (take & (1ULL << order[k])) return order[k];
    return -1;
}

void trap_mret(struct rv_hart *h)
{
    unsigned mpp = (unsigned)((h->mstatus & MSTATUS_MPP) >> 11);
    uint64_t s = h->mstatus & ~(MSTATUS_MPP | MSTATUS_MIE);
    if (h->mstatus & MSTATUS_MPIE) s |= MSTATUS_MIE;
    s |= MSTATUS_MPIE;
    if (mpp != PRV_M) s &= ~MSTATUS_MPRV;
    h->mstatus = s;
    h->priv = (uint8_t)mpp;
    h->pc = h->mepc;
    h->resv_valid = 0;
    mmu_update_mode(h);
}

void trap_sret(struct rv_hart *h)
{
    unsigned spp = (h->mstatus & MSTATUS_SPP) ? PRV_S : PRV_U;
    uint64_t s = h->mstatus & ~(MSTATUS_SPP | MSTATUS_SIE | MSTATUS_MPRV);
    if (h->mstatus & MSTATUS_SPIE) s |= MSTATUS_SIE;
    s |= MSTATUS_SPIE;
    h->mstatus = s;
    h->priv = (uint8_t)spp;
    h->pc = h->sepc;
    h->resv_valid = 0;
    mmu_update_mode(h);
}
