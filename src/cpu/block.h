/* Translation blocks: runs of predecoded instructions that end at a control
 * transfer, a system instruction, a page boundary or a size cap. Cached by
 * physical and virtual address, per hart or shared by the harts of a VM
 * (block_cache.h); valid while the code page's generation in guest_ram is
 * unchanged. */
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
    /* The JIT's native code for this block (NULL until translated; a
     * struct jit_hdr before it says where its entries and exits are). */
    void *jit_code;
    bool jit_region_tried;  /* translated again as a region's head, or failed to */
    uint8_t jit_back_edges; /* jumps back to this block seen by the run loop */
    uint8_t jit_runs;       /* times the interpreter ran it, waiting to be translated */
    struct rv_insn insns[];
};

/* One hart's view of a block cache (block_cache.h has the rest): the
 * generation of blocks it runs and a direct-mapped lookup cache. */
struct block_share;
struct block_gen;
struct block_cache {
    struct block_share *share;
    const uint64_t *share_epoch; /* the share's current generation's epoch */
    struct block_gen *gen;       /* as of this hart's last sync; only it moves it */
    uint64_t epoch;              /* gen's epoch, kept to compare without gen */
    int active;                  /* inside hart_run(): may hold gen's blocks and code */
    uint64_t *stop_word;         /* zeroed when a flush wants this hart to move on */
    struct rv_block *jc[1u << 12];
};

/* A hart's cache with blocks of its own; stop_word is the hart's, which a
 * flush by another hart sharing the cache zeroes. */
int block_cache_create(struct block_cache **out, uint64_t *stop_word);
void block_cache_destroy(struct block_cache *bc);
/* From now on bc (a hart not running) uses with's blocks: the harts of a
 * VM translate each block once. */
int block_cache_share(struct block_cache *bc, struct block_cache *with);
/* Whether the harts of a VM share their blocks ($RVMM_SHARED_BLOCKS=0
 * turns it off, to compare). */
bool block_cache_sharing_wanted(void);
/* Drops every block (of every hart sharing them): the next lookup decodes
 * afresh. The others move on at their next run-loop boundary. */
void block_cache_flush(struct block_cache *bc);
/* Changes whenever this hart's blocks were dropped: blocks from before
 * are not to be chained to or run. */
static inline uint64_t block_cache_flushes(const struct block_cache *bc)
{
    return bc->epoch;
}
/* hart_run() brackets its loop with these: while a hart is inside, the
 * generation it runs is not freed. */
void block_cache_enter(struct block_cache *bc);
void block_cache_leave(struct block_cache *bc);
void block_cache_resync(struct block_cache *bc);
/* At a run-loop boundary (nothing of the old generation held): moves to
 * the current generation if another hart flushed. True when it moved. */
static inline bool block_cache_sync(struct block_cache *bc)
{
    if (__builtin_expect(__atomic_load_n(bc->share_epoch, __ATOMIC_ACQUIRE) == bc->epoch, 1))
        return false;
    block_cache_resync(bc);
    return true;
}
/* The share's mutex: the JIT translates under it. */
void block_cache_lock(struct block_cache *bc);
void block_cache_unlock(struct block_cache *bc);
/* The JIT's code for bc's generation (NULL until set); set under the lock,
 * freed with free_fn when the generation is. */
void *block_cache_jit(const struct block_cache *bc);
void block_cache_set_jit(struct block_cache *bc, void *jit, void (*free_fn)(void *));

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
    /* Another hart sharing the blocks may link them too (release). */
    struct rv_block *n = __atomic_load_n(&b->chain[slot], __ATOMIC_ACQUIRE);
    if (likely(n && n->va == h->pc && block_valid(h, n))) return n;
    /* A lookup that had to flush the cache to translate took b with it. */
    uint64_t flushes = block_cache_flushes(h->bc);
    n = block_get(h);
    if (n && !n->straddles && block_cache_flushes(h->bc) == flushes)
        __atomic_store_n(&b->chain[slot], n, __ATOMIC_RELEASE);
    return n;
}

#endif
