/* The register cache (see jit_regcache.h). Host registers other than rax,
 * rcx, rdx, rsi (the translator's scratch), rbx (the hart), r15 (instret)
 * and rsp. A full cache evicts the register read again furthest ahead:
 * regions and long blocks (SHA-256 rounds) use more registers than there
 * are slots. */
#include "cpu/jit/jit_regcache.h"

#include "cpu/block.h"
#include "cpu/hart.h"

#include <stddef.h>
#include <string.h>

static const enum x64_reg pool[RC_NPOOL] = {X64_RBP, X64_R12, X64_R13, X64_R14, X64_RDI,
                                            X64_R8,  X64_R9,  X64_R10, X64_R11};
/* Slots from here on are caller-saved: a call clobbers them. */
#define RC_FIRST_VOLATILE 4
_Static_assert(RC_NPOOL - RC_NPINNED >= 3, "three slots for an instruction's registers");
_Static_assert(RC_NGLOBAL <= RC_FIRST_VOLATILE, "globals survive calls");

static struct x64_mem xmem(unsigned g)
{
    return x64_m(X64_RBX, (int32_t)(offsetof(struct rv_hart, x) + 8 * g));
}

/* x0 reads as zero without a load. */
static void load(struct x64_buf *b, enum x64_reg r, unsigned g)
{
    if (g == 0)
        x64_alu_rr(b, false, X64_XOR, r, r);
    else
        x64_load(b, true, r, xmem(g));
}

static const uint8_t global_reg[RC_NGLOBAL] = {2, 1, 10};
#define GLOBALS ((uint16_t)((1u << RC_NGLOBAL) - 1))

/* Every block starts with the globals in place and counting as dirty, so
 * a call stores them. */
void rc_reset(struct regcache *rc)
{
    memset(rc->guest, -1, sizeof(rc->guest));
    memset(rc->slot, -1, sizeof(rc->slot));
    for (unsigned s = 0; s < RC_NGLOBAL; s++) {
        rc->guest[s] = (int8_t)global_reg[s];
        rc->slot[global_reg[s]] = (int8_t)s;
    }
    rc->dirty = rc->pinned = rc->sticky = GLOBALS;
    rc->locked = 0;
}

void rc_load_globals(struct x64_buf *b)
{
    for (unsigned s = 0; s < RC_NGLOBAL; s++)
        x64_load(b, true, pool[s], xmem(global_reg[s]));
}

void rc_store_globals(struct x64_buf *b)
{
    for (unsigned s = 0; s < RC_NGLOBAL; s++)
        x64_store(b, true, xmem(global_reg[s]), pool[s]);
}

/* Emits stores of the slots in mask that hold a dirty register. */
static void store_dirty(struct x64_buf *b, const struct regcache *rc, unsigned mask)
{
    for (unsigned s = 0; s < RC_NPOOL; s++)
        if (rc->dirty & mask & (1u << s)) x64_store(b, true, xmem((unsigned)rc->guest[s]), pool[s]);
}

void rc_writeback_exit(struct x64_buf *b, const struct regcache *rc)
{
    store_dirty(b, rc, ~(unsigned)GLOBALS);
}

enum x64_reg rc_host(unsigned slot)
{
    return pool[slot];
}

/* How far ahead of the current instruction g is next read: the block's
 * length and more when it is not read again before being written or the
 * block ends. A field that is not a register of its format (an immediate's
 * bits) only makes the guess worse, never the code wrong. */
static unsigned next_read(const struct regcache *rc, unsigned g)
{
    for (unsigned k = rc->pos + 1; k < rc->nins; k++) {
        const struct rv_insn *i = &rc->ins[k];
        if (i->rs1 == g || i->rs2 == g || i->rs3 == g) return k - rc->pos;
        if (i->rd == g) break;
    }
    return 2 * BLOCK_MAX_INSNS;
}

/* The slot to evict: the register read again furthest ahead (Belady's
 * choice, known here since the block is decoded), a clean one on a tie. */
static unsigned victim(const struct regcache *rc)
{
    unsigned best = RC_NPOOL, best_dist = 0;
    for (unsigned s = 0; s < RC_NPOOL; s++) {
        if ((rc->locked | rc->pinned) & (1u << s)) continue;
        unsigned d = 2 * next_read(rc, (unsigned)rc->guest[s]) + !(rc->dirty & (1u << s));
        if (best == RC_NPOOL || d > best_dist) {
            best = s;
            best_dist = d;
        }
    }
    return best;
}

static unsigned take_slot(struct x64_buf *b, struct regcache *rc)
{
    for (unsigned s = 0; s < RC_NPOOL; s++)
        if (rc->guest[s] < 0) return s;
    unsigned s = victim(rc);
    unsigned g = (unsigned)rc->guest[s];
    if (rc->dirty & (1u << s)) x64_store(b, true, xmem(g), pool[s]);
    rc->dirty &= (uint16_t) ~(1u << s);
    rc->slot[g] = -1;
    rc->guest[s] = -1;
    return s;
}

static unsigned map(struct x64_buf *b, struct regcache *rc, unsigned g, bool fill, bool *fresh)
{
    int s = rc->slot[g];
    if (fresh) *fresh = s < 0;
    if (s < 0) {
        s = (int)take_slot(b, rc);
        rc->slot[g] = (int8_t)s;
        rc->guest[s] = (int8_t)g;
        if (fill) load(b, pool[s], g);
    }
    rc->locked |= (uint16_t)(1u << s);
    return (unsigned)s;
}

enum x64_reg rc_src(struct x64_buf *b, struct regcache *rc, unsigned g)
{
    return pool[map(b, rc, g, true, NULL)];
}

enum x64_reg rc_dst(struct x64_buf *b, struct regcache *rc, unsigned g, bool *fresh)
{
    unsigned s = map(b, rc, g, false, fresh);
    rc->dirty |= (uint16_t)(1u << s);
    return pool[s];
}

void rc_writeback(struct x64_buf *b, const struct regcache *rc, int skip)
{
    store_dirty(b, rc, skip < 0 ? ~0u : ~(1u << skip));
}

void rc_reload(struct x64_buf *b, const struct regcache *rc)
{
    for (unsigned s = 0; s < RC_NPOOL; s++)
        if (rc->guest[s] >= 0) load(b, pool[s], (unsigned)rc->guest[s]);
}

void rc_after_call(struct x64_buf *b, struct regcache *rc)
{
    for (unsigned s = RC_FIRST_VOLATILE; s < RC_NPOOL; s++) {
        if (rc->guest[s] < 0) continue;
        if (rc->pinned & (1u << s)) {
            load(b, pool[s], (unsigned)rc->guest[s]);
            continue;
        }
        rc->slot[rc->guest[s]] = -1;
        rc->guest[s] = -1;
    }
}

void rc_pin(struct x64_buf *b, struct regcache *rc, unsigned g, unsigned s, bool sticky)
{
    rc->guest[s] = (int8_t)g;
    rc->slot[g] = (int8_t)s;
    rc->pinned |= (uint16_t)(1u << s);
    if (sticky) rc->sticky |= (uint16_t)(1u << s);
    rc->dirty |= rc->sticky;
    load(b, pool[s], g);
}

void rc_rebase(struct x64_buf *b, struct regcache *rc, bool reload)
{
    for (unsigned s = 0; s < RC_NPOOL; s++) {
        if (rc->guest[s] < 0) continue;
        if (rc->pinned & (1u << s)) {
            if (reload) load(b, pool[s], (unsigned)rc->guest[s]);
            continue;
        }
        rc->slot[rc->guest[s]] = -1;
        rc->guest[s] = -1;
    }
    rc->dirty = rc->sticky;
    rc->locked = 0;
}

void rc_writeback_unpinned(struct x64_buf *b, struct regcache *rc)
{
    store_dirty(b, rc, ~(unsigned)rc->pinned);
    rc->dirty &= rc->pinned;
}
