/* Remote TLB fences (hart_fence.h): a request names a kind of fence, an
 * ASID or VMID and an address range; this file turns it into the MMU's
 * fences (mmu.h), page by page for a short range, and keeps the box of
 * requests other threads post to a hart. It never flushes less than the
 * request names; a range it does not walk page by page, or a box that
 * overflows, fences more (the SBI allows it, 8.1). */
#include "cpu/hart_fence.h"

#include "cpu/hart.h"
#include "cpu/mmu.h"

#include <sched.h>

/* The pages of f's range: false when it means every address (or more
 * pages than are worth walking). A size of 0 (start not 0) names none. */
static bool fence_pages(const struct hart_fence *f, uint64_t *first, uint64_t *count)
{
    if ((f->start == 0 && f->size == 0) || f->size == ~0ULL) return false;
    if (f->size == 0) {
        *first = *count = 0;
        return true;
    }
    uint64_t last = f->start + (f->size - 1);
    if (last < f->start) return false; /* wraps: to the end of the space */
    *first = f->start & ~0xfffULL;
    *count = (last >> 12) - (f->start >> 12) + 1;
    return *count <= HART_FENCE_MAX_PAGES;
}

void hart_fence(struct rv_hart *h, const struct hart_fence *f)
{
    uint64_t first, count;
    bool ranged = fence_pages(f, &first, &count);
    switch (f->kind) {
    case HART_FENCE_VMA:
        /* The ASID is not looked at: every address space's entries of the
         * range go, which the spec allows. */
        if (!ranged) {
            mmu_flush_hs(h);
            break;
        }
        for (uint64_t k = 0; k < count; k++)
            mmu_flush_va(h, first + (k << 12));
        break;
    case HART_FENCE_GVMA:
        if (!ranged) {
            mmu_vtlb_fence_gvma(h, f->by_id, f->id, false, 0);
            break;
        }
        for (uint64_t k = 0; k < count; k++)
            mmu_vtlb_fence_gvma(h, f->by_id, f->id, true, first + (k << 12));
        break;
    case HART_FENCE_VVMA:
        if (!ranged) {
            mmu_vtlb_fence_vvma(h, f->vmid, f->by_id, f->id, false, 0);
            break;
        }
        for (uint64_t k = 0; k < count; k++)
            mmu_vtlb_fence_vvma(h, f->vmid, f->by_id, f->id, true, first + (k << 12));
        break;
    default: mmu_flush(h); break;
    }
}

static void box_lock(struct hart_fence_box *b)
{
    while (__atomic_exchange_n(&b->lock, 1, __ATOMIC_ACQUIRE))
        sched_yield();
}

static void box_unlock(struct hart_fence_box *b)
{
    __atomic_store_n(&b->lock, 0, __ATOMIC_RELEASE);
}

void hart_post_fence(struct rv_hart *h, const struct hart_fence *f)
{
    struct hart_fence_box *b = &h->fences;
    box_lock(b);
    if (b->n < HART_FENCE_SLOTS)
        b->q[b->n++] = *f;
    else
        b->all = true;
    box_unlock(b);
    /* After the request is in the box: the hart that sees the flag finds it. */
    __atomic_or_fetch(&h->flush_req, HART_FLUSH_FENCES, __ATOMIC_RELEASE);
    hart_kick(h);
}

void hart_fence_take(struct rv_hart *h)
{
    struct hart_fence_box *b = &h->fences;
    struct hart_fence q[HART_FENCE_SLOTS];
    box_lock(b);
    unsigned n = b->n;
    bool all = b->all;
    for (unsigned k = 0; k < n; k++)
        q[k] = b->q[k];
    b->n = 0;
    b->all = false;
    box_unlock(b);
    if (all) {
        mmu_flush(h);
        return;
    }
    for (unsigned k = 0; k < n; k++)
        hart_fence(h, &q[k]);
}
