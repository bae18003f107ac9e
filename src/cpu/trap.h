/* Trap entry and return, and interrupt selection (priv spec 1.12, 3.1.6.1,
 * 3.1.9, 3.3.2, 4.1.1). The only code that changes privilege. */
#ifndef RVMM_CPU_TRAP_H
#define RVMM_CPU_TRAP_H

#include "cpu/hart.h"

#define CAUSE_INTERRUPT (1ULL << 63)

/* Takes a trap at h->pc (the faulting or interrupted instruction). */
void trap_take(struct rv_hart *h, uint64_t cause, uint64_t tval);
/* mip as software sees it: written bits plus the device-driven lines. */
static inline uint64_t trap_mip(const struct rv_hart *h)
{
    return h->mip | __atomic_load_n(&h->irq_lines, __ATOMIC_ACQUIRE);
}
/* The interrupt to take now, or -1 (priority order of 3.1.9). */
int trap_pending_irq(const struct rv_hart *h);
void trap_mret(struct rv_hart *h);
void trap_sret(struct rv_hart *h);

#endif
