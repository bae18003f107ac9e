/* An interrupt line: a device raises or lowers it without knowing what is on
 * the other end (a PLIC source, or a hart's interrupt pending bit). */
#ifndef RVMM_MACHINE_IRQ_H
#define RVMM_MACHINE_IRQ_H

struct irq_line {
    void (*set)(void *opaque, unsigned n, int level);
    void *opaque;
    unsigned n;
};

static inline void irq_set(const struct irq_line *l, int level)
{
    if (l->set) l->set(l->opaque, l->n, level);
}

#endif
