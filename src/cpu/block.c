/* The block cache and the block builder: fetches guest code through the MMU,
 * decodes it once and stores the result in a bump-allocated arena that is
 * flushed whole when full. Code pages are registered with guest_ram so that
 * writes to them invalidate the blocks made from them. */
#include "cpu/block.h"

#include "cpu/hart_debug.h"
#include "cpu/interp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BC_HASH_BITS 14
#define BC_ARENA     (32u << 20)

#define BC_JC_BITS 12

struct block_cache {
    /* Direct-mapped by physical address, in front of the hash chains: one
     * probe for most lookups (indirect jumps, returns). */
    struct rv_block *jc[1u << BC_JC_BITS];
    struct rv_block *hash[1u << BC_HASH_BITS];
    uint8_t *arena;
    size_t used;
    uint64_t flushes;
};

int block_cache_create(struct block_cache **out)
{
    struct block_cache *bc = calloc(1, sizeof(*bc));
    if (!bc) return -ENOMEM;
    bc->arena = malloc(BC_ARENA);
    if (!bc->arena) {
        block_cache_destroy(bc);
        return -ENOMEM;
    }
    *out = bc;
    return 0;
}

void block_cache_destroy(struct block_cache *bc)
{
    if (!bc) return;
    free(bc->arena);
    free(bc);
}

void block_cache_flush(struct block_cache *bc)
{
    memset(bc->hash, 0, sizeof(bc->hash));
    memset(bc->jc, 0, sizeof(bc->jc));
    bc->used = 0;
    bc->flushes++;
}

uint64_t block_cache_flushes(const struct block_cache *bc)
{
    return bc->flushes;
}

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
    b->jit_patch[0] = b->jit_patch[1] = 0;
    b->jit_chain_entry = 0;
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

/* A block from va on, or (host2 set) the block of the one instruction at
 * va whose second half is at host2/pa2 on the next page. */
static struct rv_block *translate(struct rv_hart *h, gva_t va, const uint8_t *host, gpa_t pa,
                                  const uint8_t *host2, gpa_t pa2)
{
    struct block_cache *bc = h->bc;
    size_t need = sizeof(struct rv_block) + (BLOCK_MAX_INSNS + 1) * sizeof(struct rv_insn);
    if (bc->used + need > BC_ARENA) block_cache_flush(bc);
    struct rv_block *b = (struct rv_block *)(bc->arena + bc->used);
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
    b->hnext = bc->hash[hi];
    bc->hash[hi] = b;
    bc->used += (sizeof(struct rv_block) + (n + 1) * sizeof(struct rv_insn) + 15) & ~(size_t)15;
    h->stats.blocks_translated++;
    return b;
}

/* The cached block for va at pa whose first page is unchanged, or NULL. */
static struct rv_block *lookup(struct rv_hart *h, gva_t va, gpa_t pa)
{
    struct rv_block **jc = &h->bc->jc[(pa >> 1) & ((1u << BC_JC_BITS) - 1)];
    struct rv_block *hit = *jc;
    if (hit && hit->pa == pa && hit->va == va && block_valid(h, hit)) return hit;
    for (struct rv_block **pp = &h->bc->hash[bc_hash(pa)]; *pp; pp = &(*pp)->hnext) {
        struct rv_block *b = *pp;
        if (b->pa != pa || b->va != va) continue;
        if (block_valid(h, b)) {
            *jc = b;
            return b;
        }
        *pp = b->hnext; /* stale: its page was written */
        h->stats.blocks_invalidated++;
        break;
    }
    return NULL;
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
