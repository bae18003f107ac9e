/* What a debugger asks of the CPU: breakpoints (by virtual address, checked
 * at block starts), watchpoints (by virtual address range, checked on the
 * MMU's slow paths, which watched pages are kept on) and single-step. The
 * table is owned by the debugger (vmm/gdbstub) and changed only while every
 * hart is parked; a hart picks a change up when hart_run() starts (new
 * generation: its blocks and TLBs are flushed). Knows nothing of gdb. */
#ifndef RVMM_CPU_HART_DEBUG_H
#define RVMM_CPU_HART_DEBUG_H

#include "cpu/hart.h"

#define HART_DEBUG_MAX_BP 64
#define HART_DEBUG_MAX_WP 16

/* Watchpoint kinds: which accesses hit (a bit mask). */
enum { HART_WATCH_WRITE = 1, HART_WATCH_READ = 2, HART_WATCH_ACCESS = 3 };

/* Why a hart stopped for the debugger (h->debug_stop). */
enum { HART_STOP_NONE = 0, HART_STOP_BREAK, HART_STOP_STEP, HART_STOP_WATCH };

struct hart_watch {
    uint64_t addr, len;
    uint8_t kind;
};

struct hart_debug {
    uint64_t gen; /* bumped on every change */
    unsigned nbp, nwp;
    uint64_t bp[HART_DEBUG_MAX_BP];
    struct hart_watch wp[HART_DEBUG_MAX_WP];
};

/* Table edits (the caller bumps nothing: these do). 0, -ENOSPC when full,
 * -ENOENT when removing what is not there, -EINVAL for a bad range. */
int hart_debug_add_bp(struct hart_debug *d, uint64_t va);
int hart_debug_del_bp(struct hart_debug *d, uint64_t va);
int hart_debug_add_wp(struct hart_debug *d, uint64_t va, uint64_t len, unsigned kind);
int hart_debug_del_wp(struct hart_debug *d, uint64_t va, uint64_t len, unsigned kind);
void hart_debug_clear(struct hart_debug *d);

/* Whether va is a breakpoint (h->debug_bp set). */
bool hart_debug_is_bp(const struct rv_hart *h, uint64_t va);
/* The first breakpoint in (va, va + room), as an offset from va, or room:
 * a block must end before it, so every breakpoint starts a block. */
unsigned hart_debug_block_room(const struct rv_hart *h, uint64_t va, unsigned room);
/* Whether the 4 KiB page holding va has a watchpoint of a kind that `write`
 * accesses hit: no TLB entry of that kind may cache it. */
bool hart_debug_watched_page(const struct rv_hart *h, uint64_t va, bool write);
/* An access by the hart itself (not DMA) of size bytes at va is about to
 * happen: on a watchpoint hit, records it (HART_STOP_WATCH) and returns
 * true, and the access must not happen (the hart stops before it). */
bool hart_debug_access(struct rv_hart *h, uint64_t va, unsigned size, bool write);

/* At hart_run() entry: takes a new table generation (flushing blocks and
 * TLBs made under the old one). */
void hart_debug_sync(struct rv_hart *h);

#endif
