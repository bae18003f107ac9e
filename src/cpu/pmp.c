/* Physical memory protection checks (priv spec 1.12, section 3.7). Owns
 * address matching (TOR, NA4, NAPOT) and the permission rules; the CSR code
 * owns writes to pmpcfg/pmpaddr, including the lock rules. */
#include "cpu/mmu.h"

enum { PMP_R = 1, PMP_W = 2, PMP_X = 4, PMP_A = 0x18, PMP_L = 0x80 };
enum { PMP_OFF = 0, PMP_TOR = 1, PMP_NA4 = 2, PMP_NAPOT = 3 };

static uint8_t pmp_cfg(const struct rv_hart *h, unsigned i)
{
    return (uint8_t)(h->pmpcfg[i / 8] >> (8 * (i % 8)));
}

/* The byte range [lo, hi) entry i covers; false if it is off. */
static bool pmp_range(const struct rv_hart *h, unsigned i, uint64_t *lo, uint64_t *hi)
{
    uint8_t cfg = pmp_cfg(h, i);
    uint64_t a = h->pmpaddr[i];
    switch ((cfg & PMP_A) >> 3) {
    case PMP_TOR:
        *lo = i ? h->pmpaddr[i - 1] << 2 : 0;
        *hi = a << 2;
        return *lo < *hi;
    case PMP_NA4:
        *lo = a << 2;
        *hi = *lo + 4;
        return true;
    case PMP_NAPOT: {
        unsigned ones = (unsigned)__builtin_ctzll(~a);
        if (ones >= 54) {
            *lo = 0;
            *hi = ~0ULL;
            return true;
        }
        uint64_t size = 8ULL << ones;
        *lo = (a << 2) & ~(size - 1);
        *hi = *lo + size;
        return true;
    }
    default: return false;
    }
}

static bool pmp_perm_ok(uint8_t cfg, enum mmu_access acc, unsigned priv)
{
    if (priv == PRV_M && !(cfg & PMP_L)) return true;
    uint8_t need = acc == MMU_READ ? PMP_R : acc == MMU_WRITE ? PMP_W : PMP_X;
    return (cfg & need) != 0;
}

/* Decodes the entries that match something, in priority order, so a check
 * walks only those (firmware configures a few of the 16). */
static void pmp_decode(struct rv_hart *h)
{
    h->pmp_nrules = 0;
    h->pmp_any_on = false;
    for (unsigned i = 0; i < PMP_COUNT; i++) {
        struct pmp_rule *r = &h->pmp_rules[h->pmp_nrules];
        r->cfg = pmp_cfg(h, i);
        h->pmp_any_on |= (r->cfg & PMP_A) != 0;
        if (pmp_range(h, i, &r->lo, &r->hi)) h->pmp_nrules++;
    }
    h->pmp_decoded = true;
}

void pmp_invalidate(struct rv_hart *h)
{
    h->pmp_decoded = false;
}

bool pmp_allows(struct rv_hart *h, gpa_t pa, uint64_t len, enum mmu_access acc, unsigned priv)
{
    if (unlikely(!h->pmp_decoded)) pmp_decode(h);
    uint64_t end = pa + len;
    for (unsigned k = 0; k < h->pmp_nrules; k++) {
        const struct pmp_rule *r = &h->pmp_rules[k];
        if (pa >= r->lo && end <= r->hi) return pmp_perm_ok(r->cfg, acc, priv);
        if (pa < r->hi && end > r->lo) return false; /* partial match fails (3.7.1.3) */
    }
    /* No entry matched. QEMU's behaviour, which the firmware we run is
     * tested against: with no active entry every access passes. */
    return priv == PRV_M || !h->pmp_any_on;
}

bool pmp_page_uniform(struct rv_hart *h, gpa_t page, enum mmu_access acc, unsigned priv)
{
    return pmp_allows(h, page, RAM_PAGE_SIZE, acc, priv);
}
