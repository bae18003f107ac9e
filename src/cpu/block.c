/* The block builder and lookup: fetches guest code through the MMU,
 * decodes it once and stores the result in the current generation's
 * bump-allocated arena (block_cache.c makes a fresh generation when it is
 * full). Lookups take no lock; insertion takes the share's mutex, as the
 * harts of a VM may share the blocks. Code pages are registered with
 * guest_ram so that writes to them invalidate the blocks made from them. */
#include "cpu/block.h"

#include "cpu/block_cache.h"

#include "cpu/hart_debug.h"
#include "cpu/interp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static unsigned bc_hash(gpa_t pa)
{
    return (unsigned)((pa >> 1) ^ (pa >> (1 + BC_HASH_BITS))) & ((1u << BC_HASH_BITS) - 1);
}

static uint16_t read16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

static void add_terminator(struct rv_block *b, unsigned n, unsigned bytes)
{
    struct rv_insn *t = &b->insns[n];
    memset(t, 0, sizeof(*t));
    t->fn = interp_block_end;
    t->pc_off = (uint16_t)bytes;
    t->idx = (uint8_t)n;
}

static void fill_insn(struct rv_insn *ins, uint64_t ext, uint32_t raw, unsigned off, unsigned idx,
                      int *end)
{
    /* An instruction of an extension the CPU model leaves out is illegal. */
    *end = decode_insn_ext(raw, ext, ins) & INSN_END_YES;
    ins->fn = interp_handlers[ins->op];
    ins->pc_off = (uint16_t)off;
    ins->idx = (uint8_t)idx;
}

/* Everything but the instructions, which are in place. */
static void set_shape(struct rv_block *b, gva_t va, gpa_t pa, unsigned n, unsigned bytes,
                      bool straddles)
{
    b->va = va;
    b->pa = pa;
    b->n = (uint16_t)n;
    b->bytes = (uint16_t)bytes;
    b->chain[0] = b->chain[1] = NULL;
    b->chainable = false;
    b->taken_va = 0;
    b->jit_code = NULL;
    b->jit_region_tried = false;
    b->jit_back_edges = 0;
    b->jit_runs = 0;
    if (!n) return;
    const struct rv_insn *last = &b->insns[n - 1];
    bool branch = decode_is_direct(last->op);
    b->chainable = !straddles && (branch || n == BLOCK_MAX_INSNS);
    if (branch) b->taken_va = va + last->pc_off + (uint64_t)(int64_t)last->imm;
}

void block_decode(struct rv_block *b, uint64_t ext, gva_t va, gpa_t pa, const uint8_t *host,
                  unsigned room)
{
    unsigned off = 0, n = 0;
    while (n < BLOCK_MAX_INSNS && off + 2 <= room) {
        uint32_t raw = read16(host + off);
        unsigned len = decode_insn_len(raw);
        if (off + len > room) break;
        if (len == 4) raw |= (uint32_t)read16(host + off + 2) << 16;
        int end;
        fill_insn(&b->insns[n], ext, raw, off, n, &end);
        off += len;
        n++;
        if (end) break;
    }
    add_terminator(b, n, off);
    set_shape(b, va, pa, n, off, false);
}

void block_first_insn(struct rv_block *one, const struct rv_block *b)
{
    one->insns[0] = b->insns[0];
    add_terminator(one, 1, b->insns[0].len);
    set_shape(one, b->va, b->pa, 1, b->insns[0].len, false);
    one->gen = b->gen;
    one->straddles = false;
}

static uint64_t ram_page(const struct rv_hart *h, gpa_t pa)
{
    return (pa - h->ram->base) >> RAM_PAGE_SHIFT;
}

/* The cached block for va at pa whose first page is unchanged, or NULL.
 * Lock-free: another hart may be inserting into the same chains. */
static struct rv_block *lookup(struct rv_hart *h, gva_t va, gpa_t pa)
{
    struct block_cache *bc = h->bc;
    struct rv_block **jc = &bc->jc[(pa >> 1) & ((1u << BC_JC_BITS) - 1)];
    struct rv_block *hit = *jc;
    if (hit && hit->pa == pa && hit->va == va && block_valid(h, hit)) return hit;
    struct rv_block *b = __atomic_load_n(&bc->gen->hash[bc_hash(pa)], __ATOMIC_ACQUIRE);
    for (; b; b = __atomic_load_n(&b->hnext, __ATOMIC_ACQUIRE)) {
        if (b->pa != pa || b->va != va) continue;
        /* The newest block for (pa, va) comes first: a stale one means
         * its page was written since, and translating again is due. */
        if (!block_valid(h, b)) return NULL;
        *jc = b;
        return b;
    }
    return NULL;
}

/* Under the mutex: unlinks the stale blocks for (pa, va) (readers on them
 * go on through their own links; their memory stays until the
 * generation goes) and returns a valid one another hart has just made. */
static struct rv_block *lookup_locked(struct rv_hart *h, gva_t va, gpa_t pa)
{
    struct rv_block **pp = &h->bc->gen->hash[bc_hash(pa)];
    for (struct rv_block *b; (b = *pp);) {
        if (b->pa != pa || b->va != va) {
            pp = &b->hnext;
        } else if (block_valid(h, b) && !b->straddles) {
            return b;
        } else if (!block_valid(h, b)) {
            __atomic_store_n(pp, b->hnext, __ATOMIC_RELEASE);
            h->stats.blocks_invalidated++;
        } else {
            pp = &b->hnext;
        }
    }
    return NULL;
}

/* A block from va on, or (host2 set) the block of the one instruction at
 * va whose second half is at host2/pa2 on the next page. */
static struct rv_block *translate(struct rv_hart *h, gva_t va, const uint8_t *host, gpa_t pa,
                                  const uint8_t *host2, gpa_t pa2)
{
    struct block_cache *bc = h->bc;
    block_cache_lock(bc);
    struct rv_block *b = host2 ? NULL : lookup_locked(h, va, pa);
    if (b) {
        block_cache_unlock(bc);
        return b;
    }
    size_t need = sizeof(struct rv_block) + (BLOCK_MAX_INSNS + 1) * sizeof(struct rv_insn);
    if (bc->gen->used + need > BC_ARENA) block_cache_flush_locked(bc, true);
    struct block_gen *g = bc->gen;
    b = (struct rv_block *)(g->arena + g->used);
    b->gen = ram_mark_code(
        h->ram, ram_page(h, pa)); /* hart_run syncs the write TLB before the block runs */
    b->straddles = host2 != NULL;
    b->pa2 = pa2;
    b->gen2 = host2 ? ram_mark_code(h->ram, ram_page(h, pa2)) : 0;
    if (host2) {
        int end;
        fill_insn(&b->insns[0], h->cpu.ext, read16(host) | (uint32_t)read16(host2) << 16, 0, 0,
                  &end);
        add_terminator(b, 1, 4);
        set_shape(b, va, pa, 1, 4, true);
    } else {
        /* A debugger's breakpoint ends the block before it (at least one
         * instruction: a breakpoint inside it is the user's mistake). */
        unsigned room = 4096 - (unsigned)(va & 0xfff);
        unsigned lim = hart_debug_block_room(h, va, room);
        unsigned first = decode_insn_len(read16(host));
        block_decode(b, h->cpu.ext, va, pa, host, lim < first ? first : lim);
    }
    unsigned n = b->n;
    unsigned hi = bc_hash(pa);
    b->hnext = g->hash[hi];
    g->used += (sizeof(struct rv_block) + (n + 1) * sizeof(struct rv_insn) + 15) & ~(size_t)15;
    __atomic_store_n(&g->hash[hi], b, __ATOMIC_RELEASE); /* published whole */
    block_cache_unlock(bc);
    h->stats.blocks_translated++;
    return b;
}

struct rv_block *block_get(struct rv_hart *h)
{
    uint8_t *host, *host2 = NULL;
    gpa_t pa, pa2 = 0;
    gva_t va = h->pc;
    int c = mmu_fetch(h, va, &host, &pa);
    if (c) {
        trap_take(h, (uint64_t)c, h->fault_tval);
        return NULL;
    }
    struct rv_block *b = lookup(h, va, pa);
    /* An instruction straddling two pages: its block holds only while the
     * next page is still mapped to the same place and unwritten, which
     * only this lookup checks (nothing chains into such a block). */
    if ((va & 0xfff) == 0xffe && decode_insn_len(read16(host)) == 4) {
        c = mmu_fetch(h, va + 2, &host2, &pa2);
        if (c) {
            trap_take(h, (uint64_t)c, h->fault_tval);
            return NULL;
        }
        uint64_t page2 = ram_page(h, pa2);
        if (b && b->straddles && b->pa2 == pa2 &&
            b->gen2 == __atomic_load_n(&h->ram->code_gen[page2], __ATOMIC_ACQUIRE) &&
            h->ram->code_page[page2])
            return b;
    } else if (b) {
        return b;
    }
    b = translate(h, va, host, pa, host2, pa2);
    h->bc->jc[(pa >> 1) & ((1u << BC_JC_BITS) - 1)] = b;
    return b;
}
