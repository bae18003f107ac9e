/* The debugger's breakpoint and watchpoint table and the checks the run
 * loop and the MMU make against it (see hart_debug.h). Breakpoints never
 * patch guest memory: a block ends before each one and the run loop
 * compares the pc at every block start, so the guest reads its own code. */
#include "cpu/hart_debug.h"

#include "cpu/block.h"
#include "cpu/mmu.h"

#include <errno.h>
#include <string.h>

int hart_debug_add_bp(struct hart_debug *d, uint64_t va)
{
    for (unsigned k = 0; k < d->nbp; k++)
        if (d->bp[k] == va) return 0; /* gdb may insert twice; one entry does */
    if (d->nbp == HART_DEBUG_MAX_BP) return -ENOSPC;
    d->bp[d->nbp++] = va;
    d->gen++;
    return 0;
}

int hart_debug_del_bp(struct hart_debug *d, uint64_t va)
{
    for (unsigned k = 0; k < d->nbp; k++) {
        if (d->bp[k] != va) continue;
        d->bp[k] = d->bp[--d->nbp];
        d->gen++;
        return 0;
    }
    return -ENOENT;
}

int hart_debug_add_wp(struct hart_debug *d, uint64_t va, uint64_t len, unsigned kind)
{
    if (!len || len > 4096 || va + len < va || !(kind & HART_WATCH_ACCESS)) return -EINVAL;
    if (d->nwp == HART_DEBUG_MAX_WP) return -ENOSPC;
    d->wp[d->nwp++] = (struct hart_watch){.addr = va, .len = len, .kind = (uint8_t)kind};
    d->gen++;
    return 0;
}

int hart_debug_del_wp(struct hart_debug *d, uint64_t va, uint64_t len, unsigned kind)
{
    for (unsigned k = 0; k < d->nwp; k++) {
        const struct hart_watch *w = &d->wp[k];
        if (w->addr != va || w->len != len || w->kind != kind) continue;
        d->wp[k] = d->wp[--d->nwp];
        d->gen++;
        return 0;
    }
    return -ENOENT;
}

void hart_debug_clear(struct hart_debug *d)
{
    d->nbp = d->nwp = 0;
    d->gen++;
}

bool hart_debug_is_bp(const struct rv_hart *h, uint64_t va)
{
    const struct hart_debug *d = h->debug;
    for (unsigned k = 0; k < d->nbp; k++)
        if (d->bp[k] == va) return true;
    return false;
}

unsigned hart_debug_block_room(const struct rv_hart *h, uint64_t va, unsigned room)
{
    const struct hart_debug *d = h->debug;
    if (!d || !h->debug_bp) return room;
    for (unsigned k = 0; k < d->nbp; k++)
        if (d->bp[k] > va && d->bp[k] - va < room) room = (unsigned)(d->bp[k] - va);
    return room;
}

static bool overlaps(const struct hart_watch *w, uint64_t lo, uint64_t len)
{
    return w->addr < lo + len && lo < w->addr + w->len;
}

bool hart_debug_watched_page(const struct rv_hart *h, uint64_t va, bool write)
{
    const struct hart_debug *d = h->debug;
    unsigned want = write ? HART_WATCH_WRITE : HART_WATCH_READ;
    for (unsigned k = 0; k < d->nwp; k++)
        if ((d->wp[k].kind & want) && overlaps(&d->wp[k], va & ~0xfffULL, 4096)) return true;
    return false;
}

bool hart_debug_access(struct rv_hart *h, uint64_t va, unsigned size, bool write)
{
    const struct hart_debug *d = h->debug;
    unsigned want = write ? HART_WATCH_WRITE : HART_WATCH_READ;
    for (unsigned k = 0; k < d->nwp; k++) {
        const struct hart_watch *w = &d->wp[k];
        if (!(w->kind & want) || !overlaps(w, va, size)) continue;
        h->debug_stop = HART_STOP_WATCH;
        h->debug_watch_addr = w->addr;
        h->debug_watch_kind = w->kind;
        return true;
    }
    return false;
}

void hart_debug_sync(struct rv_hart *h)
{
    const struct hart_debug *d = h->debug;
    if (d->gen == h->debug_gen) return;
    h->debug_gen = d->gen;
    h->debug_bp = d->nbp != 0;
    h->debug_wp = d->nwp != 0;
    /* Blocks may span a new breakpoint and native code may be chained
     * past it; TLB entries may cache a newly watched page. */
    block_cache_flush(h->bc);
    mmu_flush(h);
}
