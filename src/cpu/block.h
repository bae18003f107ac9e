/* Translation blocks: runs of predecoded instructions that end at a control
 * transfer, a system instruction, a page boundary or a size cap. Cached per
 * hart by physical address; valid while the code page's generation in
 * guest_ram is unchanged and the block's virtual address matches. */
#ifndef RVMM_CPU_BLOCK_H
#define RVMM_CPU_BLOCK_H

#include "cpu/decode.h"
#include "cpu/hart.h"

#define BLOCK_MAX_INSNS 64

struct rv_block {
    gva_t va;
    gpa_t pa;
    uint32_t gen;   /* code generation of the page at translation time */
    uint16_t n;     /* instructions */
    uint16_t bytes; /* guest bytes covered */
    /* Whether the successors below may be followed without a lookup: the
     * block ends in a branch, jal or the size cap, never in an instruction
     * that can change the translation regime. */
    bool chainable;
    /* One instruction whose second half is on the next page, at pa2 with
     * that page's generation gen2. Only block_get() checks the second
     * page, so no chained or indirect jump may lead into such a block. */
    bool straddles;
    gpa_t pa2;
    uint32_t gen2;
    struct rv_block *hnext;
    /* Direct chaining: the blocks last found at the fall-through and the
     * taken target. Only used when the target is on the same page, its
     * page generation is unchanged and no trap happened in between. */
    struct rv_block *chain[2];
    gva_t taken_va;
    /* The JIT's native code for this block (NULL until translated), and
     * where in it the rel32 of each exit's chaining jump sits (0: none). */
    void *jit_code;
    uint32_t jit_patch[2];
    uint32_t jit_chain_entry; /* offset of the entry direct chains jump to */
    bool jit_region_tried;    /* translated again as a region's head, or failed to */
    uint8_t jit_back_edges;   /* jumps back to this block seen by the run loop */
    uint8_t jit_runs;         /* times the interpreter ran it, waiting to be translated */
    struct rv_insn insns[];
};

int block_cache_create(struct block_cache **out);
void block_cache_destroy(struct block_cache *bc);
void block_cache_flush(struct block_cache *bc);
/* How many times the cache was flushed: blocks from before a flush are gone. */
uint64_t block_cache_flushes(const struct block_cache *bc);

/* Decodes a block from va (at pa, read from host) into b, which has room
 * for BLOCK_MAX_INSNS + 1 instructions, using at most `room` bytes: the
 * rest of the page, or less to end the block before a given address.
 * Instructions of extensions not in ext (the hart's cpu_model) decode as
 * illegal.
 * Nothing is cached and the page is not marked as code: the caller (the
 * JIT, decoding more of a page whose block it holds) does that. */
void block_decode(struct rv_block *b, uint64_t ext, gva_t va, gpa_t pa, const uint8_t *host,
                  unsigned room);

/* Fills `one` (room for two entries) with b's first instruction alone and
 * a terminator: a debugger's single step runs it. Not cached. */
void block_first_insn(struct rv_block *one, const struct rv_block *b);

/* Finds or translates the block at h->pc. On a fetch fault the trap is taken
 * (h->pc moves to the handler) and NULL is returned. */
struct rv_block *block_get(struct rv_hart *h);

/* Whether a cached block still matches guest memory: its page holds code
 * and has not been written since the block was translated. */
static inline bool block_valid(const struct rv_hart *h, const struct rv_block *b)
{
    uint64_t page = (b->pa - h->ram->base) >> RAM_PAGE_SHIFT;
    return b->gen == __atomic_load_n(&h->ram->code_gen[page], __ATOMIC_ACQUIRE) &&
           h->ram->code_page[page];
}

/* The block to run after b, which ran to its end without a trap, now that
 * the pc is h->pc: a chained successor if still valid, else a lookup that
 * also records the link. NULL after a fetch fault (trap taken). Inline: it
 * runs between every two blocks. */
static inline struct rv_block *block_next(struct rv_hart *h, struct rv_block *b)
{
    if (!b->chainable || ((h->pc ^ b->va) & ~0xfffULL)) return block_get(h);
    int slot;
    if (h->pc == b->va + b->bytes)
        slot = 0;
    else if (h->pc == b->taken_va)
        slot = 1;
    else
        return block_get(h);
    struct rv_block *n = b->chain[slot];
    if (likely(n && n->va == h->pc && block_valid(h, n))) return n;
    /* A lookup that had to flush the cache to translate took b with it. */
    uint64_t flushes = block_cache_flushes(h->bc);
    n = block_get(h);
    if (n && !n->straddles && block_cache_flushes(h->bc) == flushes) b->chain[slot] = n;
    return n;
}

#endif
