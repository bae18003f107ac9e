/* The block cache and the block builder: fetches guest code through the MMU,
 * decodes it once and stores the result in a bump-allocated arena that is
 * flushed whole when full. Code pages are registered with guest_ram so that
 * writes to them invalidate the blocks made from them. */
#include "cpu/block.h"

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
    /* A block for an instruction that straddles a page: never cached. */
    struct rv_block *scratch;
};

int block_cache_create(struct block_cache **out)
{
    struct block_cache *bc = calloc(1, sizeof(*bc));
    if (!bc) return -ENOMEM;
    bc->arena = malloc(BC_ARENA);
    bc->scratch = malloc(sizeof(struct rv_block) + 2 * sizeof(struct rv_insn));
    if (!bc->arena || !bc->scratch) {
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
    free(bc->scratch);
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

static void fill_insn(struct rv_insn *ins, uint32_t raw, unsigned off, unsigned idx, int *end)
{
    *end = decode_insn(raw, ins) & INSN_END_YES;
    ins->fn = interp_handlers[ins->op];
    ins->pc_off = (uint16_t)off;
    ins->idx = (uint8_t)idx;
}

/* An instruction whose second half is on the next page gets a one-off block. */
static struct rv_block *translate_straddling(struct rv_hart *h, gva_t va, const uint8_t *host,
                                             gpa_t pa)
{
    uint8_t *host2;
    gpa_t pa2;
    int c = mmu_fetch(h, va + 2, &host2, &pa2);
    if (c) {
        trap_take(h, (uint64_t)c, h->fault_tval);
        return NULL;
    }
    uint32_t raw = read16(host) | (uint32_t)read16(host2) << 16;
    struct rv_block *b = h->bc->scratch;
    int end;
    fill_insn(&b->insns[0], raw, 0, 0, &end);
    add_terminator(b, 1, 4);
    b->va = va;
    b->pa = pa;
    b->n = 1;
    b->bytes = 4;
    b->gen = 0;
    b->hnext = NULL;
    b->chainable = false;
    b->chain[0] = b->chain[1] = NULL;
    b->jit_code = NULL;
    return b;
}

static struct rv_block *translate(struct rv_hart *h, gva_t va, const uint8_t *host, gpa_t pa)
{
    struct block_cache *bc = h->bc;
    size_t need = sizeof(struct rv_block) + (BLOCK_MAX_INSNS + 1) * sizeof(struct rv_insn);
    if (bc->used + need > BC_ARENA) block_cache_flush(bc);
    struct rv_block *b = (struct rv_block *)(bc->arena + bc->used);
    uint64_t page = (pa - h->ram->base) >> RAM_PAGE_SHIFT;
    b->gen = ram_mark_code(h->ram, page); /* hart_run syncs the write TLB before the block runs */
    unsigned off = 0, room = 4096 - (unsigned)(va & 0xfff);
    unsigned n = 0;
    while (n < BLOCK_MAX_INSNS && off + 2 <= room) {
        uint32_t raw = read16(host + off);
        unsigned len = decode_insn_len(raw);
        if (off + len > room) break;
        if (len == 4) raw |= (uint32_t)read16(host + off + 2) << 16;
        int end;
        fill_insn(&b->insns[n], raw, off, n, &end);
        off += len;
        n++;
        if (end) break;
    }
    add_terminator(b, n, off);
    b->va = va;
    b->pa = pa;
    b->n = (uint16_t)n;
    b->bytes = (uint16_t)off;
    b->chain[0] = b->chain[1] = NULL;
    b->chainable = false;
    b->taken_va = 0;
    b->jit_code = NULL;
    b->jit_patch[0] = b->jit_patch[1] = 0;
    if (n) {
        const struct rv_insn *last = &b->insns[n - 1];
        unsigned op = last->op;
        bool branch = op == RV_OP_beq || op == RV_OP_bne || op == RV_OP_blt || op == RV_OP_bge ||
                      op == RV_OP_bltu || op == RV_OP_bgeu || op == RV_OP_jal;
        b->chainable = branch || n == BLOCK_MAX_INSNS;
        if (branch) b->taken_va = va + last->pc_off + (uint64_t)(int64_t)last->imm;
    }
    unsigned hi = bc_hash(pa);
    b->hnext = bc->hash[hi];
    bc->hash[hi] = b;
    bc->used += (sizeof(struct rv_block) + (n + 1) * sizeof(struct rv_insn) + 15) & ~(size_t)15;
    h->stats.blocks_translated++;
    return b;
}

struct rv_block *block_scratch(const struct rv_hart *h)
{
    return h->bc->scratch;
}

struct rv_block *block_get(struct rv_hart *h)
{
    uint8_t *host;
    gpa_t pa;
    gva_t va = h->pc;
    int c = mmu_fetch(h, va, &host, &pa);
    if (c) {
        trap_take(h, (uint64_t)c, h->fault_tval);
        return NULL;
    }
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
    if ((va & 0xfff) == 0xffe && decode_insn_len(read16(host)) == 4)
        return translate_straddling(h, va, host, pa);
    struct rv_block *b = translate(h, va, host, pa);
    h->bc->jc[(pa >> 1) & ((1u << BC_JC_BITS) - 1)] = b;
    return b;
}
