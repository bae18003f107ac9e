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

/* Outcome when no entry matches. QEMU's behaviour, which the firmware we run
 * is tested against: with no active entry every access passes. */
static bool pmp_default(const struct rv_hart *h, unsigned priv)
{
    if (priv == PRV_M) return true;
    for (unsigned i = 0; i < PMP_COUNT; i++)
        if (pmp_cfg(h, i) & PMP_A) return false;
    return true;
}

bool pmp_allows(const struct rv_hart *h, gpa_t pa, uint64_t len, enum mmu_access acc, unsigned priv)
{
    /* No entry configured (a guest on the builtin SBI): everything is
     * allowed, which the loop and pmp_default() would find the slow way on
     * every TLB miss and page-walk step. */
    _Static_assert(PMP_COUNT / 8 == 2, "pmpcfg0 and pmpcfg2 hold every entry");
    if (!(h->pmpcfg[0] | h->pmpcfg[1])) return true;
    uint64_t end = pa + len;
    for (unsigned i = 0; i < PMP_COUNT; i++) {
        uint64_t lo, hi;
        if (!pmp_range(h, i, &lo, &hi)) continue;
        if (pa >= lo && end <= hi) return pmp_perm_ok(pmp_cfg(h, i), acc, priv);
        if (pa < hi && end > lo) return false; /* partial match fails (3.7.1.3) */
    }
    return pmp_default(h, priv);
}

bool pmp_page_uniform(const struct rv_hart *h, gpa_t page, enum mmu_access acc, unsigned priv)
{
    return pmp_allows(h, page, RAM_PAGE_SIZE, acc, priv);
}
