/* Guest integer registers cached in host registers within one block. The
 * hart struct stays the home of every register: at each block exit, helper
 * call and slow path the dirty ones are written back, so all code outside
 * a block (helpers, the run loop, the next block) sees memory only. This
 * file emits only moves between the cache and the hart struct. */
#ifndef RVMM_CPU_JIT_JIT_REGCACHE_H
#define RVMM_CPU_JIT_JIT_REGCACHE_H

#include "cpu/decode.h"
#include "cpu/jit/x64_emit.h"

#include <stdint.h>

#define RC_NPOOL 9
/* x0..x31 and the x0 write sink (x[32]). */
#define RC_NREGS 33

struct regcache {
    int8_t guest[RC_NPOOL]; /* guest register held by each host slot, or -1 */
    int8_t slot[RC_NREGS];  /* host slot holding each guest register, or -1 */
    uint16_t dirty;         /* slots whose value the hart struct lacks */
    uint16_t locked;        /* slots the current instruction uses: not evicted */
    /* A region's registers (jit_region.h): held in callee-saved slots for
     * the whole region, never evicted. Sticky slots hold registers the
     * region writes: they count as dirty everywhere, so every exit writes
     * them back whatever path led there. */
    uint16_t pinned, sticky;
    /* The instructions being translated and the current one, which tell
     * the eviction which cached register is needed last. */
    const struct rv_insn *ins;
    unsigned nins, pos;
};

/* Global registers: sp, ra and a0 (the stack pointer, the return address
 * and the first argument and result, used across nearly every block
 * boundary) live in the first callee-saved slots in all native code, not
 * just within a block: the trampolines load and store them, a call stores
 * them first and reloads them after (rc_load_globals), and block exits
 * leave them alone. */
#define RC_NGLOBAL 3
/* How many slots may be pinned (slots 0 up): the globals, then a region's
 * own registers (the last callee-saved slot and two caller-saved ones,
 * reloaded after calls). The rest stay for the other registers: an
 * instruction locks up to three. */
#define RC_NPINNED 6

void rc_reset(struct regcache *rc);
/* The host register of a slot. */
enum x64_reg rc_host(unsigned slot);
/* A host register holding guest register g (loaded if not cached). */
enum x64_reg rc_src(struct x64_buf *b, struct regcache *rc, unsigned g);
/* A host register to write guest register g into; marked dirty. *fresh
 * (if not NULL) tells whether g was not cached before (the register then
 * holds garbage until written). */
enum x64_reg rc_dst(struct x64_buf *b, struct regcache *rc, unsigned g, bool *fresh);
static inline void rc_unlock(struct regcache *rc)
{
    rc->locked = 0;
}
/* Instruction pos of ins[0..n) is the one being translated now. */
static inline void rc_at(struct regcache *rc, const struct rv_insn *ins, unsigned n, unsigned pos)
{
    rc->ins = ins;
    rc->nins = n;
    rc->pos = pos;
}
/* Emits stores of every dirty slot except skip (-1: none); the cache's
 * state does not change (callers on the main path call rc_clean). */
void rc_writeback(struct x64_buf *b, const struct regcache *rc, int skip);
static inline void rc_clean(struct regcache *rc)
{
    rc->dirty = rc->sticky;
}
/* Pins guest register g in slot s (< RC_NPINNED), loading it. */
void rc_pin(struct x64_buf *b, struct regcache *rc, unsigned g, unsigned s, bool sticky);
/* Back to the region's state at a label: only the pinned registers
 * cached, sticky ones dirty. reload: emit loads of the pinned ones (after a
 * helper that may have written guest registers). */
void rc_rebase(struct x64_buf *b, struct regcache *rc, bool reload);
/* Emits stores of the dirty slots that are not pinned, which become clean. */
void rc_writeback_unpinned(struct x64_buf *b, struct regcache *rc);
/* Before leaving a block for another: stores of the dirty slots but the
 * globals, which the next block finds in place. */
void rc_writeback_exit(struct x64_buf *b, const struct regcache *rc);
/* Loads (stores) the global registers from (to) the hart struct at rbx. */
void rc_load_globals(struct x64_buf *b);
void rc_store_globals(struct x64_buf *b);
/* Emits loads of every cached register from the hart struct (after a call
 * that clobbered caller-saved registers or changed guest registers). */
void rc_reload(struct x64_buf *b, const struct regcache *rc);
/* After a call that left guest integer registers alone (the cache must be
 * clean): drops the slots in caller-saved host registers, keeps the rest,
 * and reloads pinned ones the call clobbered. */
void rc_after_call(struct x64_buf *b, struct regcache *rc);

#endif
