/* Page-table walks (priv spec 1.12, 4.3-4.5: Sv39, Sv48, Sv57), the slow
 * load/store/fetch paths and the software TLB's fills and flushes. RAM is
 * reached through guest_ram, everything else through the hart's bus ops.
 * Must not cache a translation a later check could refuse. */
#include "cpu/mmu.h"

#include "cpu/mmu_pte.h"

#include "cpu/hart_debug.h"
#include "cpu/mmu_tlb.h"

#include <string.h>

#define PTE_V            (1ULL << 0)
#define PTE_R            (1ULL << 1)
#define PTE_W            (1ULL << 2)
#define PTE_X            (1ULL << 3)
#define PTE_U            (1ULL << 4)
#define PTE_A            (1ULL << 6)
#define PTE_D            (1ULL << 7)
#define HSTATUS_SPVP_BIT (1ULL << 8)

static const int page_fault_cause[3] = {EXC_LOAD_PAGE_FAULT, EXC_STORE_PAGE_FAULT,
                                        EXC_INSN_PAGE_FAULT};
static const int access_fault_cause[3] = {EXC_LOAD_ACCESS, EXC_STORE_ACCESS, EXC_INSN_ACCESS};

/* Drops the live entries of one kind in set m whose host page is one of
 * pages[0..n), or all of them when pages is NULL. */
static void tlb_drop(struct rv_hart *h, unsigned m, enum mmu_access kind, const uint64_t *pages,
                     unsigned n)
{
    struct tlb_entry *tab = mmu_tlb_kind(&h->tlb[m], kind);
    uint64_t *live = h->tlb_book[m].live[kind];
    for (unsigned w = 0; w < TLB_SLOTS / 64; w++) {
        for (uint64_t bits = live[w]; bits; bits &= bits - 1) {
            unsigned i = w * 64 + (unsigned)__builtin_ctzll(bits);
            if (pages) {
                uint64_t page =
                    (tab[i].tag + tab[i].addend - (uintptr_t)h->ram->host) >> RAM_PAGE_SHIFT;
                unsigned k = 0;
                while (k < n && pages[k] != page)
                    k++;
                if (k == n) continue;
            }
            tab[i].tag = TLB_INVALID;
            live[w] &= ~(1ULL << (i % 64));
        }
    }
}

void mmu_tlb_set_flush(struct rv_hart *h, unsigned m)
{
    for (unsigned kind = MMU_READ; kind <= MMU_EXEC; kind++)
        tlb_drop(h, m, (enum mmu_access)kind, NULL, 0);
    h->tlb_book[m].super_lo = ~0ULL;
    h->tlb_book[m].super_hi = 0;
}

/* The V=1 sets are made valid (every tag TLB_INVALID) only when a guest
 * regime first selects one: a hart that never runs an H guest leaves their
 * 1.1 MiB as untouched zero pages. */
static void vtlb_prepare(struct rv_hart *h)
{
    if (h->vtlb_ready) return;
    memset(&h->tlb[TLBM_HS_COUNT], 0xff, sizeof(h->tlb[0]) * (TLBM_COUNT - TLBM_HS_COUNT));
    h->vtlb_ready = true;
}

void mmu_reset(struct rv_hart *h)
{
    memset(h->tlb, 0xff, sizeof(h->tlb[0]) * TLBM_HS_COUNT); /* TLB_INVALID tags */
    /* Prepared guest sets are emptied through their live marks, which
     * stores only to the entries used rather than to all of them. */
    if (h->vtlb_ready)
        for (unsigned m = TLBM_HS_COUNT; m < TLBM_COUNT; m++)
            mmu_tlb_set_flush(h, m);
    memset(h->tlb_book, 0, sizeof(h->tlb_book));
    for (unsigned m = 0; m < TLBM_COUNT; m++)
        mmu_tlb_set_flush(h, m);
    h->vtlb_used = false;
    mmu_vtlb_reset(h);
}

/* The sets that may hold entries: a hart that never ran a guest has its
 * guest sets empty, and its flushes cost what they did without them. */
static unsigned live_sets(const struct rv_hart *h)
{
    return h->vtlb_used ? TLBM_COUNT : TLBM_HS_COUNT;
}

void mmu_flush(struct rv_hart *h)
{
    for (unsigned m = 0; m < live_sets(h); m++)
        mmu_tlb_set_flush(h, m);
    if (h->vtlb_used) mmu_vtlb_forget(h);
    h->vtlb_used = false;
    h->stats.tlb_flush++;
}

void mmu_flush_hs(struct rv_hart *h)
{
    for (unsigned m = 0; m < TLBM_HS_COUNT; m++)
        mmu_tlb_set_flush(h, m);
    h->stats.tlb_flush++;
}

/* Priv spec 4.2.1: an sfence.vma with rs1 != x0 must drop every cached
 * translation made from the leaf PTE of va; for a superpage that includes
 * pieces other than va's own 4 KiB, which a set whose superpage span covers
 * va may hold anywhere: that set is flushed whole. Either way of va's row
 * may hold its page. */
void mmu_tlb_set_flush_va(struct rv_hart *h, unsigned m, gva_t va)
{
    gva_t page = va & ~0xfffULL;
    struct tlb_book *b = &h->tlb_book[m];
    if (page >= b->super_lo && page <= b->super_hi) {
        mmu_tlb_set_flush(h, m);
        return;
    }
    for (unsigned kind = MMU_READ; kind <= MMU_EXEC; kind++) {
        for (unsigned i = tlb_row(va); i < tlb_row(va) + TLB_WAYS; i++) {
            struct tlb_entry *e = &mmu_tlb_kind(&h->tlb[m], (enum mmu_access)kind)[i];
            if (e->tag != page) continue;
            e->tag = TLB_INVALID;
            b->live[kind][i / 64] &= ~(1ULL << (i % 64));
        }
    }
}

void mmu_flush_va(struct rv_hart *h, gva_t va)
{
    for (unsigned m = 0; m < TLBM_HS_COUNT; m++)
        mmu_tlb_set_flush_va(h, m, va);
}

void mmu_drop_code_writes(struct rv_hart *h, uint64_t epoch)
{
    uint64_t pages[RAM_CODE_RING];
    unsigned n = 0;
    bool all = epoch - h->code_epoch_seen > RAM_CODE_RING;
    for (uint64_t e = h->code_epoch_seen + 1; !all && e != epoch + 1; e++)
        all = !ram_code_page_at(h->ram, e, &pages[n++]);
    h->code_epoch_seen = epoch;
    for (unsigned m = 0; m < live_sets(h); m++)
        tlb_drop(h, m, MMU_WRITE, all ? NULL : pages, n);
}

static unsigned tlb_mode(const struct rv_hart *h, unsigned priv)
{
    if (priv & MMU_V) {
        unsigned v = (priv & 3) == PRV_U           ? TLBV_VU
                     : (h->vsstatus & MSTATUS_SUM) ? TLBV_VS_SUM
                                                   : TLBV_VS;
        return TLBM_V(h->vctx) + v;
    }
    if (priv == PRV_M) return TLBM_M;
    if (priv == PRV_S) return (h->mstatus & MSTATUS_SUM) ? TLBM_S_SUM : TLBM_S;
    return TLBM_U;
}

void mmu_update_mode(struct rv_hart *h)
{
    unsigned d = tlb_mode(h, mmu_data_priv(h)), i = tlb_mode(h, h->priv | (h->virt ? MMU_V : 0));
    if (d >= TLBM_HS_COUNT || i >= TLBM_HS_COUNT) vtlb_prepare(h);
    h->dtlb = &h->tlb[d];
    h->itlb = &h->tlb[i];
}

static int fault(struct rv_hart *h, int cause, gva_t va)
{
    h->fault_tval = va;
    return cause;
}

static const int guest_fault_cause[3] = {EXC_LOAD_GUEST_PAGE_FAULT, EXC_STORE_GUEST_PAGE_FAULT,
                                         EXC_INSN_GUEST_PAGE_FAULT};

/* A guest-page fault (priv spec 8.5.1): tval is the guest virtual address,
 * htval/mtval2 get the guest physical one (trap.c shifts it). */
static int guest_fault(struct rv_hart *h, enum mmu_access acc, gva_t va, gpa_t gpa, uint64_t tinst)
{
    h->fault_tval = va;
    h->fault_gpa = gpa;
    h->fault_tinst = tinst;
    return guest_fault_cause[acc];
}

/* The three kinds of stage: the one of a V=0 access (satp), a guest's
 * VS-stage (vsatp, whose page-table addresses go through the G-stage), and
 * the G-stage (hgatp: guest physical to physical, 8.5). */
enum stage { STAGE_S, STAGE_VS, STAGE_G };

/* Pseudo-instructions for htinst when an implicit VS-stage page-table
 * access faults in the G-stage (8.6.3): a 64-bit load, or store for A/D. */
#define TINST_PTE_READ  0x3000
#define TINST_PTE_WRITE 0x3020

static int stage_walk(struct rv_hart *h, enum stage st, gva_t gva, uint64_t addr,
                      enum mmu_access acc, unsigned priv, gpa_t *out, uint64_t *span, bool debug);

/* One stage's walk (priv spec 4.3.2; 8.5 for the G-stage: the root is 4x
 * larger, the address is zero-extended, every leaf must be a U page and is
 * checked as a U-mode access). gva is the address the access started
 * from (tval of any fault). Returns 0 with *out and the leaf's span. */
static int stage_walk(struct rv_hart *h, enum stage st, gva_t gva, uint64_t addr,
                      enum mmu_access acc, unsigned priv, gpa_t *out, uint64_t *span, bool debug)
{
    uint64_t atp = st == STAGE_S ? h->satp : st == STAGE_VS ? h->vsatp : h->hgatp;
    unsigned mode = (unsigned)(atp >> 60);
    bool g = st == STAGE_G;
    *span = ~0ULL;
    if (mode == 0) {
        *out = addr;
        return 0;
    }
#define STAGE_FAULT() (g ? guest_fault(h, acc, gva, addr, 0) : fault(h, page_fault_cause[acc], gva))
    int levels = mode == 8 ? 3 : mode == 9 ? 4 : 5;
    int va_bits = 12 + 9 * levels;
    if (g) {
        if (addr >> (va_bits + 2)) return STAGE_FAULT();
    } else {
        /* Bits above the VA width must equal its top bit. */
        int64_t sext = (int64_t)(addr << (64 - va_bits)) >> (64 - va_bits);
        if ((uint64_t)sext != addr) return STAGE_FAULT();
    }
    uint64_t base = (atp & ((1ULL << 44) - 1)) << 12;
    uint64_t pte = 0, *pte_host = NULL;
    gpa_t pte_gpa = 0;
    int level;
    for (level = levels - 1;; level--) {
        uint64_t idx_mask = g && level == levels - 1 ? 2047 : 511;
        uint64_t idx = (addr >> (12 + 9 * level)) & idx_mask;
        pte_gpa = base + idx * 8;
        gpa_t pte_pa = pte_gpa;
        if (st == STAGE_VS) {
            uint64_t gspan;
            int c = stage_walk(h, STAGE_G, gva, pte_gpa, MMU_READ, PRV_U, &pte_pa, &gspan, debug);
            if (c) {
                /* Reported as the original access's guest-page fault. */
                if (c == guest_fault_cause[MMU_READ])
                    return guest_fault(h, acc, gva, pte_gpa, TINST_PTE_READ);
                return fault(h, access_fault_cause[acc], gva);
            }
            if (!debug) mmu_vtlb_note_pt(h, pte_gpa, gspan);
        }
        if (!pmp_allows(h, pte_pa, 8, MMU_READ, PRV_S))
            return fault(h, access_fault_cause[acc], gva);
        pte_host = ram_dma(h->ram, pte_pa, 8);
        if (!pte_host) return fault(h, access_fault_cause[acc], gva);
        pte = __atomic_load_n(pte_host, __ATOMIC_ACQUIRE);
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) ||
            mmu_pte_reserved(h, st == STAGE_VS, pte, pte & (PTE_R | PTE_X), level))
            return STAGE_FAULT();
        if (pte & (PTE_R | PTE_X)) break;
        if (level == 0) return STAGE_FAULT();
        base = ((pte >> 10) & ((1ULL << 44) - 1)) << 12;
    }
    uint64_t ppn = (pte >> 10) & ((1ULL << 44) - 1);
    uint64_t low_mask = (1ULL << (9 * level)) - 1;
    uint64_t leaf_span = RAM_PAGE_SIZE << (9 * level);
    if (pte & PTE_N) { /* Svnapot: ppn[3:0] come from the address */
        ppn = (ppn & ~0xfULL) | ((addr >> 12) & 0xf);
        leaf_span = NAPOT_64K;
    }
    if (debug) { /* a debugger sees every valid leaf and sets no A/D bit */
        if (ppn & low_mask) return STAGE_FAULT();
        *out = ((ppn | ((addr >> 12) & low_mask)) << 12) | (addr & 0xfff);
        *span = leaf_span;
        return 0;
    }
    /* Leaf permissions (4.3.1, 3.1.6.3 for SUM and MXR; a guest's SUM and
     * MXR are vsstatus's, and mstatus.MXR applies to both stages, 8.2.10). */
    bool sum = st == STAGE_VS ? (h->vsstatus & MSTATUS_SUM) : (h->mstatus & MSTATUS_SUM);
    bool mxr = (h->mstatus & MSTATUS_MXR) || (st == STAGE_VS && (h->vsstatus & MSTATUS_MXR));
    if (g) {
        if (!(pte & PTE_U)) return STAGE_FAULT();
    } else if (pte & PTE_U) {
        if (priv == PRV_S && (acc == MMU_EXEC || !sum)) return STAGE_FAULT();
    } else if (priv == PRV_U) {
        return STAGE_FAULT();
    }
    bool ok = acc == MMU_EXEC    ? (pte & PTE_X)
              : acc == MMU_WRITE ? (pte & PTE_W)
                                 : ((pte & PTE_R) || (mxr && (pte & PTE_X)));
    if (!ok) return STAGE_FAULT();
    if (ppn & low_mask) /* misaligned superpage */
        return STAGE_FAULT();
    /* Hardware A/D update, as QEMU does; atomic against other harts. A
     * guest's PTE is written only if its G-stage mapping allows a store. */
    uint64_t need = PTE_A | (acc == MMU_WRITE ? PTE_D : 0);
    if ((pte & need) != need && !mmu_pte_hw_ad(h, st == STAGE_VS)) return STAGE_FAULT();
    if ((pte & need) != need && st == STAGE_VS) {
        gpa_t wpa;
        uint64_t gspan;
        int c = stage_walk(h, STAGE_G, gva, pte_gpa, MMU_WRITE, PRV_U, &wpa, &gspan, false);
        if (c == guest_fault_cause[MMU_WRITE])
            return guest_fault(h, acc, gva, pte_gpa, TINST_PTE_WRITE);
        if (c) return fault(h, access_fault_cause[acc], gva);
    }
    while ((pte & need) != need) {
        uint64_t npte = pte | need;
        if (__atomic_compare_exchange_n(pte_host, &pte, npte, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            /* Only a changed PTE is a write (code invalidation, dirty log). */
            ram_note_write(h->ram, (gpa_t)((uint8_t *)pte_host - h->ram->host) + h->ram->base, 8);
            break;
        }
        if (!(pte & PTE_V)) return STAGE_FAULT();
    }
#undef STAGE_FAULT
    *out = ((ppn | ((addr >> 12) & low_mask)) << 12) | (addr & 0xfff);
    *span = leaf_span;
    return 0;
}

/* What a walk found beside the physical address: the size of the leaf
 * the first stage mapped va with (the span an sfence.vma of va must drop,
 * RAM_PAGE_SIZE when that stage is Bare or M-mode's), and for a guest the
 * guest physical address and the G-stage leaf's size (~0: Bare). */
struct span {
    uint64_t va_span;
    gpa_t gpa;
    uint64_t gspan;
};

/* The whole translation of an access (priv with MMU_V for a guest: the
 * VS-stage, then the G-stage of its result), then PMP on the physical
 * address. Returns 0 and the physical address, or a cause. */
static int walk(struct rv_hart *h, gva_t va, enum mmu_access acc, unsigned priv, gpa_t *pa,
                bool *page_uniform, struct span *sp, bool debug)
{
    *page_uniform = true;
    unsigned p = priv & 3;
    uint64_t s1 = ~0ULL;
    sp->gspan = ~0ULL;
    if (priv & MMU_V) {
        int c = stage_walk(h, STAGE_VS, va, va, acc, p, &sp->gpa, &s1, debug);
        if (!c) c = stage_walk(h, STAGE_G, va, sp->gpa, acc, PRV_U, pa, &sp->gspan, debug);
        if (c) return c;
    } else if (p == PRV_M) {
        *pa = sp->gpa = va;
    } else {
        int c = stage_walk(h, STAGE_S, va, va, acc, p, pa, &s1, debug);
        if (c) return c;
        sp->gpa = *pa;
    }
    sp->va_span = s1 != ~0ULL ? s1 : RAM_PAGE_SIZE;
    if (debug) return 0;
    if (!pmp_allows(h, *pa, 1, acc, p)) return fault(h, access_fault_cause[acc], va);
    *page_uniform = pmp_page_uniform(h, *pa & ~0xfffULL, acc, p);
    return 0;
}

int mmu_translate(struct rv_hart *h, gva_t va, enum mmu_access acc, unsigned priv, gpa_t *pa,
                  bool *page_uniform)
{
    struct span span;
    return walk(h, va, acc, priv, pa, page_uniform, &span, false);
}

int mmu_translate_debug(struct rv_hart *h, gva_t va, gpa_t *pa)
{
    uint64_t tval = h->fault_tval;
    struct span span;
    bool uniform;
    int c = walk(h, va, MMU_READ, h->priv | (h->virt ? MMU_V : 0), pa, &uniform, &span, true);
    h->fault_tval = tval;
    return c;
}

/* Caches the 4 KiB piece at va of the page sp describes, in way 0 of its
 * row; the page way 0 held moves to way 1 (the one there goes), unless it
 * is va's own page, refilled in place (a misaligned access walks while the
 * page is cached), so a row never holds a page twice. */
static void tlb_fill(struct rv_hart *h, struct tlb_set *set, enum mmu_access kind, gva_t va,
                     gpa_t pa, const struct span *sp)
{
    unsigned i = tlb_row(va);
    unsigned m = (unsigned)(set - h->tlb);
    struct tlb_entry *e = &mmu_tlb_kind(set, kind)[i];
    struct tlb_book *b = &h->tlb_book[m];
    gva_t page = va & ~0xfffULL;
    if (e[0].tag != page && (e[0].tag != TLB_INVALID || e[1].tag == page)) {
        e[1] = e[0];
        b->live[kind][(i + 1) / 64] |= 1ULL << ((i + 1) % 64);
        if (m >= TLBM_HS_COUNT) mmu_vtlb_note_move(h, m, kind, i, i + 1);
    }
    e->tag = page;
    e->addend = (uintptr_t)(h->ram->host + ((pa & ~0xfffULL) - h->ram->base)) - e->tag;
    b->live[kind][i / 64] |= 1ULL << (i % 64);
    if (sp->va_span > RAM_PAGE_SIZE) {
        gva_t lo = va & ~(sp->va_span - 1);
        if (lo < b->super_lo) b->super_lo = lo;
        if (lo + (sp->va_span - 1) > b->super_hi) b->super_hi = lo + (sp->va_span - 1);
    }
    if (m >= TLBM_HS_COUNT) mmu_vtlb_note_fill(h, m, kind, i, sp->gpa, sp->gspan);
}

static int load_one(struct rv_hart *h, gva_t va, unsigned size, uint64_t *val)
{
    unsigned priv = mmu_data_priv(h);
    gpa_t pa;
    bool uniform;
    struct span span;
    h->stats.tlb_miss++;
    pmu_event(h, PMU_EV_DTLB_R);
    int c = walk(h, va, MMU_READ, priv, &pa, &uniform, &span, false);
    if (c) return c;
    uint8_t *p = ram_dma(h->ram, pa, size);
    if (p) {
        /* The walk checked PMP for the first byte only; every byte must
         * match (3.7.1), which a uniform page already guarantees. */
        if (!uniform && !pmp_allows(h, pa, size, MMU_READ, priv))
            return fault(h, EXC_LOAD_ACCESS, va);
        if (unlikely(h->debug_wp)) {
            if (hart_debug_access(h, va, size, false)) return MMU_DEBUG_STOP;
            if (hart_debug_watched_page(h, va, false)) uniform = false; /* stays on this path */
        }
        uint64_t v = 0;
        memcpy(&v, p, size);
        *val = v;
        if (uniform) tlb_fill(h, h->dtlb, MMU_READ, va, pa, &span);
        return 0;
    }
    if (!pmp_allows(h, pa, size, MMU_READ, priv)) return fault(h, EXC_LOAD_ACCESS, va);
    if (unlikely(h->debug_wp) && hart_debug_access(h, va, size, false)) return MMU_DEBUG_STOP;
    if (h->bus.read(h->bus.opaque, pa, size, val)) return fault(h, EXC_LOAD_ACCESS, va);
    h->stats.mmio_slow++;
    return 0;
}

static int store_one(struct rv_hart *h, gva_t va, unsigned size, uint64_t val)
{
    unsigned priv = mmu_data_priv(h);
    gpa_t pa;
    bool uniform;
    struct span span;
    h->stats.tlb_miss++;
    pmu_event(h, PMU_EV_DTLB_W);
    int c = walk(h, va, MMU_WRITE, priv, &pa, &uniform, &span, false);
    if (c) return c;
    uint8_t *p = ram_dma(h->ram, pa, size);
    if (p) {
        if (!uniform && !pmp_allows(h, pa, size, MMU_WRITE, priv))
            return fault(h, EXC_STORE_ACCESS, va);
        if (unlikely(h->debug_wp)) {
            if (hart_debug_access(h, va, size, true)) return MMU_DEBUG_STOP;
            if (hart_debug_watched_page(h, va, true)) uniform = false; /* no write entry */
        }
        memcpy(p, &val, size);
        uint64_t page = (pa - h->ram->base) >> RAM_PAGE_SHIFT;
        if (h->ram->code_page[page] || h->ram->dirty_logging)
            ram_note_write(h->ram, pa, size);
        else if (uniform)
            tlb_fill(h, h->dtlb, MMU_WRITE, va, pa, &span);
        if (h->resv_valid && (h->resv_addr & ~7ULL) == (pa & ~7ULL)) h->resv_valid = 0;
        return 0;
    }
    if (!pmp_allows(h, pa, size, MMU_WRITE, priv)) return fault(h, EXC_STORE_ACCESS, va);
    if (unlikely(h->debug_wp) && hart_debug_access(h, va, size, true)) return MMU_DEBUG_STOP;
    if (h->bus.write(h->bus.opaque, pa, size, val)) return fault(h, EXC_STORE_ACCESS, va);
    h->stats.mmio_slow++;
    return 0;
}

/* A misaligned access within one page whose TLB entry is there (the
 * first byte-by-byte access to the page filled it): RAM the hart may
 * access as a whole (a uniform page, no watchpoint), so one copy does,
 * as the inline fast path does for an aligned access. */
static bool misaligned_hit(const struct tlb_entry *set, gva_t va, unsigned size, uint8_t **host)
{
    if ((va & 0xfff) + size > 0x1000) return false;
    const struct tlb_entry *e = tlb_lookup(set, va, va & ~0xfffULL);
    if (!e) return false;
    *host = (uint8_t *)(e->addend + va);
    return true;
}

/* Misaligned accesses are allowed by the spec (2.6): within a page whose
 * TLB entry is there, one copy; otherwise byte by byte, as QEMU does for
 * ordinary loads and stores (which fills the entry for the next one).
 * Linux 6.12 times misaligned word copies at boot and uses them where
 * they beat byte copies. */
int mmu_load(struct rv_hart *h, gva_t va, unsigned size, uint64_t *val)
{
    if (likely((va & (size - 1)) == 0)) return load_one(h, va, size, val);
    uint8_t *host;
    if (misaligned_hit(h->dtlb->r, va, size, &host)) {
        uint64_t r = 0;
        memcpy(&r, host, size);
        *val = r;
        return 0;
    }
    uint64_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        uint64_t b;
        int c = load_one(h, va + k, 1, &b);
        if (c) return c; /* tval: the first byte of the faulting portion */
        v |= b << (8 * k);
    }
    *val = v;
    return 0;
}

int mmu_store(struct rv_hart *h, gva_t va, unsigned size, uint64_t val)
{
    if (likely((va & (size - 1)) == 0)) return store_one(h, va, size, val);
    uint8_t *host;
    if (misaligned_hit(h->dtlb->w, va, size, &host)) {
        memcpy(host, &val, size);
        return 0;
    }
    /* Probe every byte first so a fault leaves memory untouched. */
    for (unsigned k = 0; k < size; k++) {
        gpa_t pa;
        bool uniform;
        int c = mmu_translate(h, va + k, MMU_WRITE, mmu_data_priv(h), &pa, &uniform);
        if (c) return c;
    }
    if (unlikely(h->debug_wp) && hart_debug_access(h, va, size, true)) return MMU_DEBUG_STOP;
    for (unsigned k = 0; k < size; k++) {
        int c = store_one(h, va + k, 1, (val >> (8 * k)) & 0xff);
        if (c) return c;
    }
    return 0;
}

int mmu_fetch(struct rv_hart *h, gva_t va, uint8_t **host, gpa_t *pa)
{
    gpa_t p;
    bool uniform;
    const struct tlb_entry *e = tlb_lookup(h->itlb->x, va, va & ~0xfffULL);
    if (e) {
        *host = (uint8_t *)(e->addend + va);
        *pa = (gpa_t)(*host - h->ram->host) + h->ram->base;
        return 0;
    }
    struct span span;
    h->stats.tlb_miss++;
    pmu_event(h, PMU_EV_ITLB);
    int c = walk(h, va, MMU_EXEC, h->priv | (h->virt ? MMU_V : 0), &p, &uniform, &span, false);
    if (c) return c;
    uint8_t *ptr = ram_dma(h->ram, p, 2);
    if (!ptr) return fault(h, EXC_INSN_ACCESS, va);
    if (uniform) tlb_fill(h, h->itlb, MMU_EXEC, va, p, &span);
    *host = ptr;
    *pa = p;
    return 0;
}

int mmu_atomic_addr(struct rv_hart *h, gva_t va, unsigned size, bool is_lr, void **host, gpa_t *pa)
{
    if (va & (size - 1)) return fault(h, is_lr ? EXC_LOAD_MISALIGNED : EXC_STORE_MISALIGNED, va);
    /* TLB hit (kernel locks and refcounts are mostly AMOs): the read entry
     * proves the page readable, the write entry writable and not code, each
     * for the whole page as PMP sees it; an AMO/SC needs both. */
    gva_t page = va & ~0xfffULL;
    const struct tlb_entry *r = tlb_lookup(h->dtlb->r, va, page);
    const struct tlb_entry *w = is_lr || !r ? NULL : tlb_lookup(h->dtlb->w, va, page);
    if (r && (is_lr || (w && w->addend == r->addend))) {
        *host = (void *)(r->addend + va);
        *pa = (gpa_t)((uint8_t *)*host - h->ram->host) + h->ram->base;
        if (!is_lr) ram_note_write(h->ram, *pa, size);
        return 0;
    }
    bool uniform;
    enum mmu_access acc = is_lr ? MMU_READ : MMU_WRITE;
    int c = mmu_translate(h, va, acc, mmu_data_priv(h), pa, &uniform);
    if (c) return c;
    if (!pmp_allows(h, *pa, size, acc, mmu_data_priv(h)) ||
        (!is_lr && !pmp_allows(h, *pa, size, MMU_READ, mmu_data_priv(h))))
        return fault(h, is_lr ? EXC_LOAD_ACCESS : EXC_STORE_ACCESS, va);
    *host = ram_dma(h->ram, *pa, size);
    if (!*host) return fault(h, is_lr ? EXC_LOAD_ACCESS : EXC_STORE_ACCESS, va);
    /* Watched pages have no TLB entries, so every AMO on one comes here;
     * an AMO reads too, so a read watchpoint catches it as well. */
    if (unlikely(h->debug_wp) &&
        (hart_debug_access(h, va, size, false) || (!is_lr && hart_debug_access(h, va, size, true))))
        return MMU_DEBUG_STOP;
    if (!is_lr) ram_note_write(h->ram, *pa, size);
    return 0;
}

int mmu_load_guest(struct rv_hart *h, gva_t va, unsigned size, bool exec, uint64_t *val)
{
    unsigned priv = ((h->hstatus & HSTATUS_SPVP_BIT) ? PRV_S : PRV_U) | MMU_V;
    gpa_t pa;
    bool uniform;
    struct span span;
    if (va & (size - 1)) return fault(h, EXC_LOAD_MISALIGNED, va);
    int c = walk(h, va, exec ? MMU_EXEC : MMU_READ, priv, &pa, &uniform, &span, false);
    /* HLVX checks execute permission but faults as a load. */
    if (c == EXC_INSN_PAGE_FAULT) c = EXC_LOAD_PAGE_FAULT;
    if (c == EXC_INSN_GUEST_PAGE_FAULT) c = EXC_LOAD_GUEST_PAGE_FAULT;
    if (c == EXC_INSN_ACCESS) c = EXC_LOAD_ACCESS;
    if (c) return c;
    uint8_t *p = ram_dma(h->ram, pa, size);
    if (p && pmp_allows(h, pa, size, MMU_READ, priv)) {
        uint64_t v = 0;
        memcpy(&v, p, size);
        *val = v;
        return 0;
    }
    if (p || !pmp_allows(h, pa, size, MMU_READ, priv) || h->bus.read(h->bus.opaque, pa, size, val))
        return fault(h, EXC_LOAD_ACCESS, va);
    return 0;
}

int mmu_store_guest(struct rv_hart *h, gva_t va, unsigned size, uint64_t val)
{
    unsigned priv = ((h->hstatus & HSTATUS_SPVP_BIT) ? PRV_S : PRV_U) | MMU_V;
    gpa_t pa;
    bool uniform;
    struct span span;
    if (va & (size - 1)) return fault(h, EXC_STORE_MISALIGNED, va);
    int c = walk(h, va, MMU_WRITE, priv, &pa, &uniform, &span, false);
    if (c) return c;
    uint8_t *p = ram_dma(h->ram, pa, size);
    if (p && pmp_allows(h, pa, size, MMU_WRITE, priv)) {
        memcpy(p, &val, size);
        ram_note_write(h->ram, pa, size);
        if (h->resv_valid && (h->resv_addr & ~7ULL) == (pa & ~7ULL)) h->resv_valid = 0;
        return 0;
    }
    if (p || !pmp_allows(h, pa, size, MMU_WRITE, priv) ||
        h->bus.write(h->bus.opaque, pa, size, val))
        return fault(h, EXC_STORE_ACCESS, va);
    return 0;
}
