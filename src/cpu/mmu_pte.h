/* The PTE rules of the address-translation extensions, for the page walk
 * in mmu.c: which high bits of a PTE are reserved under the hart's model
 * and envcfg (Svpbmt's PBMT field, Svnapot's N bit; priv spec chapters
 * "Svnapot" and "Svpbmt"), the 64 KiB NAPOT translation, and whether the
 * walk may set A and D itself (Svadu's menvcfg/henvcfg.ADUE). Only mmu.c
 * includes it; it reads the hart and changes nothing. */
#ifndef RVMM_CPU_MMU_PTE_H
#define RVMM_CPU_MMU_PTE_H

#include "cpu/hart.h"

#define PTE_N        (1ULL << 63)
#define PTE_PBMT     (3ULL << 61)
#define PTE_RESERVED (0x7fULL << 54) /* bits 60:54, reserved whatever the model */
#define NAPOT_64K    (RAM_PAGE_SIZE << 4)

/* The envcfg that governs a stage: menvcfg for the S- and G-stages, both
 * menvcfg and henvcfg for the VS-stage (henvcfg's bits are read-only zero
 * while menvcfg's are clear). */
static inline uint64_t mmu_pte_envcfg(const struct rv_hart *h, bool vs)
{
    return vs ? h->menvcfg & h->henvcfg : h->menvcfg;
}

/* Whether a PTE holds a reserved bit or encoding: a page fault (priv spec
 * 4.3.2 step 3). PBMT is reserved in pointers, and in leaves unless Svpbmt
 * is on with envcfg.PBMTE, and PBMT = 3 always; rvmm has no caches, so the
 * NC and IO types map like PMA. N is reserved in pointers and without
 * Svnapot; a leaf with N must be a 4 KiB leaf whose ppn[3:0] is 1000
 * (64 KiB, the one NAPOT size defined). */
static inline bool mmu_pte_reserved(const struct rv_hart *h, bool vs, uint64_t pte, bool leaf,
                                    int level)
{
    if (pte & PTE_RESERVED) return true;
    if (pte & PTE_PBMT) {
        if (!leaf || !cpu_model_has(&h->cpu, CPU_EXT_svpbmt)) return true;
        if (!(mmu_pte_envcfg(h, vs) & ENVCFG_PBMTE) || (pte & PTE_PBMT) == PTE_PBMT) return true;
    }
    if (pte & PTE_N) {
        if (!leaf || level != 0 || !cpu_model_has(&h->cpu, CPU_EXT_svnapot)) return true;
        if (((pte >> 10) & 0xf) != 8) return true;
    }
    return false;
}

/* Whether the walk sets A and D itself. Without Svadu rvmm always does (as
 * QEMU 7.2 does); with Svadu, only while envcfg.ADUE is set, and otherwise
 * an access that would need them is a page fault (Svade). */
static inline bool mmu_pte_hw_ad(const struct rv_hart *h, bool vs)
{
    return !cpu_model_has(&h->cpu, CPU_EXT_svadu) || (mmu_pte_envcfg(h, vs) & ENVCFG_ADUE);
}

#endif
