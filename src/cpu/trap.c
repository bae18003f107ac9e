/* Trap delivery. Decides the target mode from medeleg/mideleg and, for a
 * guest (V=1), hedeleg/hideleg (priv spec 1.12, 3.1.8 and 8.6.4); saves the
 * previous state into xPP/xPIE/xEPC, hstatus.SPV/SPVP/GVA and
 * mstatus.MPV/GVA; and switches TLB regimes. Knows nothing of instructions
 * or devices. */
#include "cpu/trap.h"

#include "cpu/csr.h"
#include "cpu/mmu.h"

/* Causes whose tval is an address (a guest virtual one when taken from
 * V=1 or by HLV/HSV: the GVA bits). */
static bool cause_has_address(unsigned code)
{
    return code <= 1 || (code >= 4 && code <= 7) || code == 12 || code == 13 || code == 15 ||
           code == 20 || code == 21 || code == 23;
}

static bool guest_page_fault(unsigned code)
{
    return code == EXC_INSN_GUEST_PAGE_FAULT || code == EXC_LOAD_GUEST_PAGE_FAULT ||
           code == EXC_STORE_GUEST_PAGE_FAULT;
}

/* Entering V=1. vsstatus.FS is kept exactly: every FP state change at
 * V=1 marks it Dirty (hart_fs_dirty, and the JIT's inline FP ops). */
static void enter_guest(struct rv_hart *h)
{
    h->virt = 1;
}

void trap_take(struct rv_hart *h, uint64_t cause, uint64_t tval)
{
    bool irq = (cause & CAUSE_INTERRUPT) != 0;
    unsigned code = (unsigned)(cause & 63);
    uint64_t deleg = irq ? h->mideleg : h->medeleg;
    uint64_t hdeleg = irq ? h->hideleg : h->hedeleg;
    unsigned from = h->priv;
    bool virt = h->virt;
    bool gva = !irq && (virt || h->hlv) && cause_has_address(code);
    uint64_t gpa = !irq && guest_page_fault(code) ? h->fault_gpa >> 2 : 0;
    uint64_t tinst = !irq && guest_page_fault(code) ? h->fault_tinst : 0;

    h->resv_valid = 0;
    h->traps++;
    pmu_event(h, irq ? PMU_EV_IRQ : PMU_EV_EXC); /* counted in the mode it leaves */
    if (from <= PRV_S && virt && ((deleg >> code) & 1) && ((hdeleg >> code) & 1)) {
        /* To VS-mode: a VS interrupt is seen as its S counterpart. */
        h->vscause = irq ? CAUSE_INTERRUPT | (code - 1) : cause;
        h->vsepc = h->pc;
        h->vstval = tval;
        uint64_t s = h->vsstatus & ~(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE);
        if (h->vsstatus & MSTATUS_SIE) s |= MSTATUS_SPIE;
        if (from == PRV_S) s |= MSTATUS_SPP;
        h->vsstatus = s;
        h->priv = PRV_S;
        uint64_t base = h->vstvec & ~3ULL;
        h->pc = (irq && (h->vstvec & 1)) ? base + 4 * (code - 1) : base;
    } else if (from <= PRV_S && ((deleg >> code) & 1)) {
        h->scause = cause;
        h->sepc = h->pc;
        h->stval = tval;
        if (cpu_model_has(&h->cpu, CPU_EXT_h)) {
            h->htval = gpa;
            h->htinst = tinst;
            uint64_t hs = h->hstatus & ~(HSTATUS_SPV | HSTATUS_GVA);
            if (virt) hs = (hs & ~HSTATUS_SPVP) | HSTATUS_SPV | (from == PRV_S ? HSTATUS_SPVP : 0);
            if (gva) hs |= HSTATUS_GVA;
            h->hstatus = hs;
        }
        uint64_t s = h->mstatus & ~(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE);
        if (h->mstatus & MSTATUS_SIE) s |= MSTATUS_SPIE;
        if (from == PRV_S) s |= MSTATUS_SPP;
        h->mstatus = s;
        h->priv = PRV_S;
        h->virt = 0;
        uint64_t base = h->stvec & ~3ULL;
        h->pc = (irq && (h->stvec & 1)) ? base + 4 * code : base;
    } else {
        h->mcause = cause;
        h->mepc = h->pc;
        h->mtval = tval;
        uint64_t s = h->mstatus & ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE);
        if (h->mstatus & MSTATUS_MIE) s |= MSTATUS_MPIE;
        s |= (uint64_t)from << 11;
        if (cpu_model_has(&h->cpu, CPU_EXT_h)) {
            h->mtval2 = gpa;
            h->mtinst = tinst;
            s &= ~(MSTATUS_MPV | MSTATUS_GVA);
            if (virt) s |= MSTATUS_MPV;
            if (gva) s |= MSTATUS_GVA;
        }
        h->mstatus = s;
        h->priv = PRV_M;
        h->virt = 0;
        uint64_t base = h->mtvec & ~3ULL;
        h->pc = (irq && (h->mtvec & 1)) ? base + 4 * code : base;
    }
    if (irq)
        h->stats.irq[code][h->priv]++;
    else if (code < EXC_COUNT)
        h->stats.exc[code][h->priv]++;
    mmu_update_mode(h);
    if (h->pmu.mode_dep) pmu_mode_changed(h);
}

/* Priority (3.1.9, 8.4.3): M, then HS (S and the guest-external line),
 * then VS interrupts, each enabled by its level's rules. */
int trap_pending_irq(const struct rv_hart *h)
{
    /* LCOFI last (priv spec 1.13, 3.1.9: below the VS ones). */
    static const int order[] = {IRQ_M_EXT,   IRQ_M_SOFT,   IRQ_M_TIMER, IRQ_S_EXT,
                                IRQ_S_SOFT,  IRQ_S_TIMER,  IRQ_S_GEXT,  IRQ_VS_EXT,
                                IRQ_VS_SOFT, IRQ_VS_TIMER, IRQ_LCOF};
    uint64_t pending = trap_mip(h) & h->mie;
    if (!pending) return -1;
    bool m_on = h->priv < PRV_M || (h->mstatus & MSTATUS_MIE);
    bool s_on = h->virt || h->priv < PRV_S || (h->priv == PRV_S && (h->mstatus & MSTATUS_SIE));
    bool vs_on = h->virt && (h->priv < PRV_S || (h->vsstatus & MSTATUS_SIE));
    uint64_t m = m_on ? pending & ~h->mideleg : 0;
    uint64_t s = s_on ? pending & h->mideleg & ~h->hideleg : 0;
    uint64_t vs = vs_on ? pending & h->mideleg & h->hideleg : 0;
    uint64_t take = m ? m : s ? s : vs;
    if (!take) return -1;
    for (unsigned k = 0; k < ARRAY_SIZE(order); k++)
        if (take & (1ULL << order[k])) return order[k];
    return -1;
}

void trap_mret(struct rv_hart *h)
{
    unsigned mpp = (unsigned)((h->mstatus & MSTATUS_MPP) >> 11);
    bool mpv = mpp != PRV_M && (h->mstatus & MSTATUS_MPV);
    uint64_t s = h->mstatus & ~(MSTATUS_MPP | MSTATUS_MIE | MSTATUS_MPV);
    if (h->mstatus & MSTATUS_MPIE) s |= MSTATUS_MIE;
    s |= MSTATUS_MPIE;
    if (mpp != PRV_M) s &= ~MSTATUS_MPRV;
    h->mstatus = s;
    h->priv = (uint8_t)mpp;
    if (mpv) enter_guest(h);
    h->pc = h->mepc;
    h->resv_valid = 0;
    mmu_update_mode(h);
    if (h->pmu.mode_dep) pmu_mode_changed(h);
}

void trap_sret(struct rv_hart *h)
{
    if (h->virt) {
        /* sret in VS-mode returns through vsstatus and vsepc (8.6.4). */
        unsigned spp = (h->vsstatus & MSTATUS_SPP) ? PRV_S : PRV_U;
        uint64_t s = h->vsstatus & ~(MSTATUS_SPP | MSTATUS_SIE);
        if (h->vsstatus & MSTATUS_SPIE) s |= MSTATUS_SIE;
        s |= MSTATUS_SPIE;
        h->vsstatus = s;
        h->priv = (uint8_t)spp;
        h->pc = h->vsepc;
        h->resv_valid = 0;
        mmu_update_mode(h);
        if (h->pmu.mode_dep) pmu_mode_changed(h);
        return;
    }
    unsigned spp = (h->mstatus & MSTATUS_SPP) ? PRV_S : PRV_U;
    uint64_t s = h->mstatus & ~(MSTATUS_SPP | MSTATUS_SIE | MSTATUS_MPRV);
    if (h->mstatus & MSTATUS_SPIE) s |= MSTATUS_SIE;
    s |= MSTATUS_SPIE;
    h->mstatus = s;
    h->priv = (uint8_t)spp;
    if (h->hstatus & HSTATUS_SPV) {
        h->hstatus &= ~HSTATUS_SPV;
        enter_guest(h);
    }
    h->pc = h->sepc;
    h->resv_valid = 0;
    mmu_update_mode(h);
    if (h->pmu.mode_dep) pmu_mode_changed(h);
}
