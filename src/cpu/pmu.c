/* The counter rules (priv spec 1.12, 3.1.10-3.1.13; Sscofpmf 1.0): which
 * counters run in the current mode, folding retired instructions into the
 * instret-driven ones, slow-path events, overflow (OF, LCOFIP) and the
 * counters' snapshot section. The CSR table (csr.c) calls in here for
 * mcycle, minstret, mhpmcounter/mhpmevent, mcountinhibit and scountovf;
 * trap.c for mode changes and the events it takes; the run loop for
 * overflows of instret-driven counters. Nothing here raises a trap: an
 * overflow sets mip.LCOFIP, which the run loop takes like any interrupt. */
#include "cpu/pmu.h"

#include "cpu/hart.h"

#include <errno.h>

static bool has_sscofpmf(const struct rv_hart *h)
{
    return cpu_model_has(&h->cpu, CPU_EXT_sscofpmf);
}

/* The mode-inhibit bit of mhpmevent for the mode the hart is in. */
static uint64_t inhibit_bit(const struct rv_hart *h)
{
    if (h->priv == PRV_M) return MHPMEVENT_MINH;
    if (h->virt) return h->priv == PRV_S ? MHPMEVENT_VSINH : MHPMEVENT_VUINH;
    return h->priv == PRV_S ? MHPMEVENT_SINH : MHPMEVENT_UINH;
}

/* Sets OF; the first overflow since software cleared it requests LCOFI
 * (Sscofpmf: "an interrupt request is generated only when OF is clear").
 * The run loop must look at mip before native code goes on. */
static void overflow(struct rv_hart *h, unsigned k)
{
    if (!has_sscofpmf(h) || (h->pmu.event[k] & MHPMEVENT_OF)) return;
    h->pmu.event[k] |= MHPMEVENT_OF;
    h->mip |= MIP_LCOFIP;
    hart_stop_native(h);
}

/* Adds what retired since sync to the running counters, noting wraps. */
static void fold(struct rv_hart *h, uint64_t now)
{
    struct hart_pmu *p = &h->pmu;
    uint64_t delta = now > p->sync ? now - p->sync : 0;
    p->sync = now;
    if (!delta) return;
    for (uint32_t run = p->run; run; run &= run - 1) {
        unsigned k = (unsigned)__builtin_ctz(run);
        uint64_t old = p->ctr[k];
        p->ctr[k] = old + delta;
        if (k >= 3 && p->ctr[k] < old) overflow(h, k);
    }
}

/* Recomputes run, evc and ovf_at from mcountinhibit, the selectors and
 * the mode. Call after fold(). */
static void recompute(struct rv_hart *h)
{
    struct hart_pmu *p = &h->pmu;
    uint32_t inh = (uint32_t)h->mcountinhibit;
    uint64_t mode = inhibit_bit(h);
    p->run = ~inh & 5u; /* mcycle, minstret */
    p->mode_dep = 0;
    for (int e = 0; e < PMU_EV_COUNT; e++)
        p->evc[e] = 0;
    for (unsigned k = 3; k < PMU_COUNTERS; k++) {
        uint64_t ev = p->event[k];
        if ((inh >> k) & 1) continue;
        if (ev &
            (MHPMEVENT_MINH | MHPMEVENT_SINH | MHPMEVENT_UINH | MHPMEVENT_VSINH | MHPMEVENT_VUINH))
            p->mode_dep |= 1u << k;
        if (ev & mode) continue;
        switch (ev & MHPMEVENT_SEL) {
        case PMU_SEL_CYCLES:
        case PMU_SEL_INSTRUCTIONS: p->run |= 1u << k; break;
        case PMU_SEL_ITLB_READ_MISS: p->evc[PMU_EV_ITLB] |= 1u << k; break;
        case PMU_SEL_DTLB_READ_MISS: p->evc[PMU_EV_DTLB_R] |= 1u << k; break;
        case PMU_SEL_DTLB_WRITE_MISS: p->evc[PMU_EV_DTLB_W] |= 1u << k; break;
        case PMU_SEL_EXCEPTIONS: p->evc[PMU_EV_EXC] |= 1u << k; break;
        case PMU_SEL_INTERRUPTS: p->evc[PMU_EV_IRQ] |= 1u << k; break;
        default: break; /* an event rvmm does not have: counts nothing */
        }
    }
    p->ovf_at = UINT64_MAX;
    if (!has_sscofpmf(h)) return;
    for (uint32_t run = p->run & PMU_HPM_MASK; run; run &= run - 1) {
        unsigned k = (unsigned)__builtin_ctz(run);
        uint64_t left = -p->ctr[k]; /* increments until the wrap */
        if ((p->event[k] & MHPMEVENT_OF) || !left || p->sync + left < p->sync) continue;
        if (p->sync + left < p->ovf_at) p->ovf_at = p->sync + left;
    }
    /* Native code runs to jit_stop: make it come back for the new limit. */
    if (p->ovf_at != UINT64_MAX) hart_stop_native(h);
}

void pmu_reset(struct rv_hart *h)
{
    struct hart_pmu *p = &h->pmu;
    for (unsigned k = 0; k < PMU_COUNTERS; k++)
        p->ctr[k] = p->event[k] = 0;
    p->sync = h->instret;
    recompute(h);
}

uint64_t pmu_read(const struct rv_hart *h, unsigned idx, uint64_t now)
{
    const struct hart_pmu *p = &h->pmu;
    if (idx >= PMU_COUNTERS) return 0;
    uint64_t v = p->ctr[idx];
    if (((p->run >> idx) & 1) && now > p->sync) v += now - p->sync;
    return v;
}

void pmu_write_counter(struct rv_hart *h, unsigned idx, uint64_t v)
{
    if (idx >= PMU_COUNTERS || idx == 1) return;
    fold(h, h->instret);
    h->pmu.ctr[idx] = v;
    recompute(h);
}

/* mhpmevent is WARL: the selector keeps any value (an unknown one counts
 * nothing), bits 57:56 are reserved, and Sscofpmf's bits exist only with
 * it (VSINH/VUINH only with H as well). */
static uint64_t event_mask(const struct rv_hart *h)
{
    uint64_t mask = MHPMEVENT_SEL;
    if (has_sscofpmf(h)) {
        mask |= MHPMEVENT_OF | MHPMEVENT_MINH | MHPMEVENT_SINH | MHPMEVENT_UINH;
        if (cpu_model_has(&h->cpu, CPU_EXT_h)) mask |= MHPMEVENT_VSINH | MHPMEVENT_VUINH;
    }
    return mask;
}

void pmu_write_event(struct rv_hart *h, unsigned idx, uint64_t v)
{
    if (idx < 3 || idx >= PMU_COUNTERS) return;
    fold(h, h->instret);
    h->pmu.event[idx] = v & event_mask(h);
    recompute(h);
}

/* mcountinhibit: CY, IR and HPM3..31 (bit 1, TM, is read-only zero). */
void pmu_write_inhibit(struct rv_hart *h, uint64_t v)
{
    fold(h, h->instret);
    h->mcountinhibit = v & 0xfffffffdULL;
    recompute(h);
}

/* Sscofpmf: bit X is mhpmeventX.OF where the mode may read hpmcounterX
 * (mcounteren below M, hcounteren too at V=1); 0 elsewhere. */
uint64_t pmu_scountovf(const struct rv_hart *h)
{
    uint64_t v = 0;
    for (unsigned k = 3; k < PMU_COUNTERS; k++)
        if (h->pmu.event[k] & MHPMEVENT_OF) v |= 1ULL << k;
    if (h->priv < PRV_M) v &= h->mcounteren;
    if (h->virt) v &= h->hcounteren;
    return v;
}

void pmu_mode_changed(struct rv_hart *h)
{
    fold(h, h->instret);
    recompute(h);
}

void pmu_check(struct rv_hart *h)
{
    fold(h, h->instret);
    recompute(h);
}

void pmu_count(struct rv_hart *h, enum pmu_event ev)
{
    for (uint32_t m = h->pmu.evc[ev]; m; m &= m - 1) {
        unsigned k = (unsigned)__builtin_ctz(m);
        if (++h->pmu.ctr[k] == 0) overflow(h, k);
    }
}

void pmu_save(const struct rv_hart *h, struct stream *s)
{
    stream_put_u32(s, PMU_COUNTERS);
    for (unsigned k = 0; k < PMU_COUNTERS; k++) {
        stream_put_u64(s, pmu_read(h, k, h->instret));
        stream_put_u64(s, h->pmu.event[k]);
    }
}

int pmu_load(const struct rv_hart *h, struct stream *s, struct pmu_saved *saved)
{
    if (stream_get_u32(s) != PMU_COUNTERS) return -EINVAL;
    for (unsigned k = 0; k < PMU_COUNTERS; k++) {
        saved->val[k] = stream_get_u64(s);
        saved->event[k] = stream_get_u64(s);
    }
    if (s->err) return s->err;
    /* Only what the CSR writes could have left there. */
    for (unsigned k = 0; k < PMU_COUNTERS; k++)
        if ((k < 3 && saved->event[k]) || (saved->event[k] & ~event_mask(h))) return -EINVAL;
    return saved->val[1] ? -EINVAL : 0;
}

void pmu_commit(struct rv_hart *h, const struct pmu_saved *saved)
{
    h->pmu.sync = h->instret;
    for (unsigned k = 0; k < PMU_COUNTERS; k++) {
        h->pmu.ctr[k] = saved->val[k];
        h->pmu.event[k] = saved->event[k];
    }
    recompute(h);
}
