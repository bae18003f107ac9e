/* The hart's performance counters: mcycle and minstret (Zicntr), the
 * programmable mhpmcounter3..31 with their mhpmevent3..31 selectors
 * (Zihpm), mcountinhibit (priv spec 1.12, 3.1.10-3.1.13), and Sscofpmf:
 * the mode-inhibit and overflow bits of mhpmevent, scountovf and the local
 * counter-overflow interrupt (LCOFI, mip bit 13).
 *
 * rvmm counts one cycle per retired instruction, so mcycle, minstret and
 * the programmable counters selecting cycles or instructions all advance
 * with h->instret. They are kept as a value as of `sync` (an instret)
 * plus, while they run, what retired since: nothing is added per
 * instruction, and both engines count exactly what they count for
 * minstret. The other events (TLB misses, exceptions, interrupts) are
 * counted where they happen, on the slow paths. An armed counter's wrap is
 * found at the block boundary where instret reaches `ovf_at` (the run loop
 * stops native code there). This header holds the state and the event
 * numbers; pmu.c the rules. It knows nothing of the SBI. */
#ifndef RVMM_CPU_PMU_H
#define RVMM_CPU_PMU_H

#include <stdbool.h>
#include <stdint.h>

struct rv_hart;
struct stream;

/* The event selectors rvmm's counters understand (mhpmevent bits 55:0).
 * The generic ones are the SBI PMU event index of the event, as the SBI
 * spec recommends and QEMU does (so OpenSBI needs no translation table);
 * the two rvmm-specific ones are raw events (perf's rNNN). The device
 * tree's riscv,pmu node (machine/fdt.c) advertises exactly these. */
enum {
    PMU_SEL_CYCLES = 0x1,              /* SBI_PMU_HW_CPU_CYCLES (= instructions here) */
    PMU_SEL_INSTRUCTIONS = 0x2,        /* SBI_PMU_HW_INSTRUCTIONS */
    PMU_SEL_DTLB_READ_MISS = 0x10019,  /* HW_CACHE DTLB, READ, MISS: load/AMO walks */
    PMU_SEL_DTLB_WRITE_MISS = 0x1001b, /* HW_CACHE DTLB, WRITE, MISS: store walks */
    PMU_SEL_ITLB_READ_MISS = 0x10021,  /* HW_CACHE ITLB, READ, MISS: fetch walks */
    PMU_SEL_EXCEPTIONS = 0x100,        /* raw: synchronous exceptions taken */
    PMU_SEL_INTERRUPTS = 0x101,        /* raw: interrupts taken */
};

/* Sscofpmf's bits of mhpmevent (Sscofpmf 1.0, "Count Overflow Control"). */
#define MHPMEVENT_OF    (1ULL << 63)
#define MHPMEVENT_MINH  (1ULL << 62)
#define MHPMEVENT_SINH  (1ULL << 61)
#define MHPMEVENT_UINH  (1ULL << 60)
#define MHPMEVENT_VSINH (1ULL << 59)
#define MHPMEVENT_VUINH (1ULL << 58)
#define MHPMEVENT_SEL   ((1ULL << 56) - 1)
#define IRQ_LCOF        13
#define MIP_LCOFIP      (1ULL << IRQ_LCOF)
#define PMU_COUNTERS    32 /* 0 mcycle, 1 (time: not a counter here), 2 minstret, 3..31 */
#define PMU_HPM_MASK    0xfffffff8u

/* The events counted on slow paths. */
enum pmu_event { PMU_EV_ITLB, PMU_EV_DTLB_R, PMU_EV_DTLB_W, PMU_EV_EXC, PMU_EV_IRQ, PMU_EV_COUNT };

struct hart_pmu {
    uint64_t ctr[PMU_COUNTERS];   /* value as of sync for the running ones */
    uint64_t event[PMU_COUNTERS]; /* mhpmevent3..31 at 3..31 */
    uint64_t sync;                /* the instret ctr[] of running counters stand at */
    uint64_t ovf_at;              /* instret at which an armed running counter wraps */
    uint32_t run;                 /* counters advancing with instret in this mode */
    uint32_t mode_dep;            /* counters whose counting depends on the mode */
    uint32_t evc[PMU_EV_COUNT];   /* counters counting each event in this mode */
};

/* Everything zero (the reset value of counters and selectors), counting
 * from the hart's current instret. */
void pmu_reset(struct rv_hart *h);
/* Counter idx (0..31) with `now` instructions retired. */
uint64_t pmu_read(const struct rv_hart *h, unsigned idx, uint64_t now);
/* CSR writes. They take effect after the writing instruction, which the
 * caller has counted in h->instret (a CSR instruction ends its block). */
void pmu_write_counter(struct rv_hart *h, unsigned idx, uint64_t v);
void pmu_write_event(struct rv_hart *h, unsigned idx, uint64_t v);
void pmu_write_inhibit(struct rv_hart *h, uint64_t v);
/* scountovf as the current mode reads it (OF bits masked by the counter
 * enables below M). */
uint64_t pmu_scountovf(const struct rv_hart *h);
/* The privilege mode changed (trap, xRET, restore): what retired so far
 * counts under the old mode's filters, what follows under the new ones. */
void pmu_mode_changed(struct rv_hart *h);
/* The run loop, at a block boundary with instret >= ovf_at: folds the
 * instructions in and raises the overflows of the counters that wrapped. */
void pmu_check(struct rv_hart *h);
/* One slow-path event; called only when h->pmu.evc[ev] is non-zero. */
void pmu_count(struct rv_hart *h, enum pmu_event ev);

/* (pmu_event(h, ev), the inline check before pmu_count, is in hart.h.) */

/* The counters in the hart's snapshot section (its version 4): values
 * and selectors. pmu_load reads and checks them into `saved` without
 * touching h (-EINVAL for what no CSR write can leave there);
 * pmu_commit puts them in once everything else checked too. */
struct pmu_saved {
    uint64_t val[PMU_COUNTERS], event[PMU_COUNTERS];
};
void pmu_save(const struct rv_hart *h, struct stream *s);
int pmu_load(const struct rv_hart *h, struct stream *s, struct pmu_saved *saved);
void pmu_commit(struct rv_hart *h, const struct pmu_saved *saved);

#endif
