/* The guest TLB contexts (H extension, struct tlb_vctx in hart.h): which
 * context the V=1 sets of the current (hgatp, vsatp) pair are, and the
 * fences that drop guest translations by VMID, ASID and address (priv
 * spec 1.12, 8.3.1-8.3.2; sfence.vma at V=1 is hfence.vvma of the current
 * VMID, 8.2.10). The TLB sets themselves, their fills and the V=0 flushes
 * are mmu.c's; nothing here walks page tables or touches V=0 sets.
 * A fence may drop more than it must (the spec allows it) but never less:
 * an entry is kept only when nothing the fence names went into it. */
#include "cpu/mmu_tlb.h"

#include <string.h>

/* The Bloom filter of a context's page-table pages: two bits per page. */
static void bloom_bits(gpa_t gpa, unsigned *a, unsigned *b)
{
    uint64_t k = (gpa >> 12) * 0x9e3779b97f4a7c15ULL;
    *a = (unsigned)(k >> 56);
    *b = (unsigned)(k >> 48) & 255;
}

static bool bloom_has(const struct tlb_vctx *c, gpa_t gpa)
{
    unsigned a, b;
    bloom_bits(gpa, &a, &b);
    return ((c->pt_bloom[a / 64] >> (a % 64)) & 1) && ((c->pt_bloom[b / 64] >> (b % 64)) & 1);
}

static void notes_clear(struct tlb_vctx *c)
{
    c->gsuper_lo = ~0ULL;
    c->gsuper_hi = 0;
    memset(c->pt_bloom, 0, sizeof(c->pt_bloom));
}

static void note_gsuper(struct tlb_vctx *c, gpa_t gpa, uint64_t gspan)
{
    gpa_t lo = gpa & ~(gspan - 1);
    if (lo < c->gsuper_lo) c->gsuper_lo = lo;
    if (lo + (gspan - 1) > c->gsuper_hi) c->gsuper_hi = lo + (gspan - 1);
}

/* Empties context k's three sets and what was noted about them. */
static void ctx_flush(struct rv_hart *h, unsigned k)
{
    for (unsigned v = 0; v < TLBV_SETS; v++)
        mmu_tlb_set_flush(h, TLBM_V(k) + v);
    notes_clear(&h->vctx_tab[k]);
}

void mmu_vtlb_forget(struct rv_hart *h)
{
    for (unsigned k = 0; k < TLB_VCTX; k++)
        notes_clear(&h->vctx_tab[k]);
}

void mmu_vtlb_reset(struct rv_hart *h)
{
    for (unsigned k = 0; k < TLB_VCTX; k++) {
        h->vctx_tab[k].valid = false;
        h->vctx_tab[k].stamp = 0;
        notes_clear(&h->vctx_tab[k]);
    }
    h->vctx_clock = 0;
    mmu_vtlb_select(h);
}

void mmu_vtlb_select(struct rv_hart *h)
{
    struct tlb_vctx *cur = &h->vctx_tab[h->vctx];
    if (cur->valid && cur->hgatp == h->hgatp && cur->vsatp == h->vsatp) return;
    unsigned pick = 0;
    for (unsigned k = 0; k < TLB_VCTX; k++) {
        const struct tlb_vctx *c = &h->vctx_tab[k];
        if (c->valid && c->hgatp == h->hgatp && c->vsatp == h->vsatp) {
            pick = k;
            goto found;
        }
        if (!c->valid || (h->vctx_tab[pick].valid && c->stamp < h->vctx_tab[pick].stamp)) pick = k;
    }
    /* A pair not cached: the least recently selected context (or a free
     * one) starts over for it. */
    ctx_flush(h, pick);
    h->vctx_tab[pick].valid = true;
    h->vctx_tab[pick].hgatp = h->hgatp;
    h->vctx_tab[pick].vsatp = h->vsatp;
    h->stats.tlb_flush++;
found:
    h->vctx_tab[pick].stamp = ++h->vctx_clock;
    h->vctx = (uint8_t)pick;
}

void mmu_vtlb_note_pt(struct rv_hart *h, gpa_t gpa, uint64_t gspan)
{
    struct tlb_vctx *c = &h->vctx_tab[h->vctx];
    if (gspan != ~0ULL && gspan > RAM_PAGE_SIZE) {
        note_gsuper(c, gpa, gspan);
        return;
    }
    unsigned a, b;
    bloom_bits(gpa, &a, &b);
    c->pt_bloom[a / 64] |= 1ULL << (a % 64);
    c->pt_bloom[b / 64] |= 1ULL << (b % 64);
}

void mmu_vtlb_note_fill(struct rv_hart *h, unsigned m, enum mmu_access kind, unsigned idx,
                        gpa_t gpa, uint64_t gspan)
{
    unsigned k = (m - TLBM_HS_COUNT) / TLBV_SETS, v = (m - TLBM_HS_COUNT) % TLBV_SETS;
    struct tlb_vctx *c = &h->vctx_tab[k];
    h->vtlb_used = true;
    c->gpa[v][kind][idx] = gpa & ~0xfffULL;
    if (gspan != ~0ULL && gspan > RAM_PAGE_SIZE) note_gsuper(c, gpa, gspan);
}

void mmu_vtlb_note_move(struct rv_hart *h, unsigned m, enum mmu_access kind, unsigned from,
                        unsigned to)
{
    unsigned k = (m - TLBM_HS_COUNT) / TLBV_SETS, v = (m - TLBM_HS_COUNT) % TLBV_SETS;
    h->vctx_tab[k].gpa[v][kind][to] = h->vctx_tab[k].gpa[v][kind][from];
}

void mmu_vtlb_fence_vvma(struct rv_hart *h, uint64_t vmid, bool by_asid, uint64_t asid, bool by_va,
                         gva_t va)
{
    for (unsigned k = 0; k < TLB_VCTX; k++) {
        const struct tlb_vctx *c = &h->vctx_tab[k];
        if (!c->valid || mmu_vmid(c->hgatp) != vmid) continue;
        if (by_asid && mmu_asid(c->vsatp) != (asid & 0xffff)) continue;
        if (!by_va) {
            ctx_flush(h, k);
            continue;
        }
        for (unsigned v = 0; v < TLBV_SETS; v++)
            mmu_tlb_set_flush_va(h, TLBM_V(k) + v, va);
    }
    h->stats.tlb_flush++;
}

/* Drops the entries of context k made from guest physical page gpa. */
static void ctx_drop_gpa(struct rv_hart *h, unsigned k, gpa_t gpa)
{
    struct tlb_vctx *c = &h->vctx_tab[k];
    for (unsigned v = 0; v < TLBV_SETS; v++) {
        unsigned m = TLBM_V(k) + v;
        for (unsigned kind = MMU_READ; kind <= MMU_EXEC; kind++) {
            struct tlb_entry *tab = mmu_tlb_kind(&h->tlb[m], (enum mmu_access)kind);
            uint64_t *live = h->tlb_book[m].live[kind];
            for (unsigned w = 0; w < TLB_SLOTS / 64; w++) {
                for (uint64_t bits = live[w]; bits; bits &= bits - 1) {
                    unsigned i = w * 64 + (unsigned)__builtin_ctzll(bits);
                    if (c->gpa[v][kind][i] != gpa) continue;
                    tab[i].tag = TLB_INVALID;
                    live[w] &= ~(1ULL << (i % 64));
                }
            }
        }
    }
}

void mmu_vtlb_fence_gvma(struct rv_hart *h, bool by_vmid, uint64_t vmid, bool by_gpa, gpa_t gpa)
{
    gpa_t page = gpa & ~0xfffULL;
    for (unsigned k = 0; k < TLB_VCTX; k++) {
        const struct tlb_vctx *c = &h->vctx_tab[k];
        if (!c->valid || (by_vmid && mmu_vmid(c->hgatp) != (vmid & 0x3fff))) continue;
        /* A page a VS-stage walk read PTEs from, or one inside a G-stage
         * superpage behind the context: any entry may depend on it. */
        if (!by_gpa || (page >= c->gsuper_lo && page <= c->gsuper_hi) || bloom_has(c, page))
            ctx_flush(h, k);
        else
            ctx_drop_gpa(h, k, page);
    }
    h->stats.tlb_flush++;
}
