/* What mmu.c (the walks, fills and V=0 flushes) and mmu_vtlb.c (the guest
 * TLB contexts and their fences) share about the software TLB's sets.
 * Internal to src/cpu. */
#ifndef RVMM_CPU_MMU_TLB_H
#define RVMM_CPU_MMU_TLB_H

#include "cpu/mmu.h"

static inline struct tlb_entry *mmu_tlb_kind(struct tlb_set *t, enum mmu_access kind)
{
    return kind == MMU_READ ? t->r : kind == MMU_WRITE ? t->w : t->x;
}

/* Empties set m (its live entries only). */
void mmu_tlb_set_flush(struct rv_hart *h, unsigned m);
/* Drops set m's translations made from the leaf PTE of va: va's own
 * entries, or the whole set when a cached superpage piece covers va. */
void mmu_tlb_set_flush_va(struct rv_hart *h, unsigned m, gva_t va);

/* Every context invalid, then the one of the current pair selected. */
void mmu_vtlb_reset(struct rv_hart *h);
/* Forgets what the current contexts' entries were made from (their sets
 * were all flushed). */
void mmu_vtlb_forget(struct rv_hart *h);
/* A VS-stage walk for the current context read a PTE at guest physical
 * address gpa, which the G-stage maps in a page of gspan bytes (~0: Bare). */
void mmu_vtlb_note_pt(struct rv_hart *h, gpa_t gpa, uint64_t gspan);
/* Slot idx of kind in set m (a guest set) now caches guest physical page
 * gpa, mapped by the G-stage in a page of gspan bytes. */
void mmu_vtlb_note_fill(struct rv_hart *h, unsigned m, enum mmu_access kind, unsigned idx,
                        gpa_t gpa, uint64_t gspan);
/* Entry `from` of kind in guest set m moved to slot `to` of its row. */
void mmu_vtlb_note_move(struct rv_hart *h, unsigned m, enum mmu_access kind, unsigned from,
                        unsigned to);

#endif
