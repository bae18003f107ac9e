/* The block cache's insides, for block.c (lookup, insertion) and
 * block_cache.c (generations, sharing, retirement); the rest of the CPU
 * sees only block.h's functions.
 *
 * Blocks and the JIT's code for them live in a generation: a hash table, a
 * bump-allocated block arena and the code cache (jit_code, made by the JIT
 * on first use). A generation is never emptied in place: a flush publishes
 * a fresh one and retires the old, which stays mapped until no hart may
 * still run its code. That lets the harts of a VM share one generation
 * (sharing, block_cache_share()): lookups never lock; insertion, the JIT's
 * translation and flushes take the share's mutex.
 *
 * Each hart has a view (struct block_cache): the generation it runs, its
 * epoch, and a direct-mapped lookup cache in front of the hash chains. A
 * hart moves to a new generation only at a run-loop boundary
 * (block_cache_sync), where it holds nothing of the old one; a retired
 * generation is freed once every hart has moved past it or is outside
 * hart_run() (block_cache_enter/leave). */
#ifndef RVMM_CPU_BLOCK_CACHE_H
#define RVMM_CPU_BLOCK_CACHE_H

#include "cpu/block.h"

#include <pthread.h>

#define BC_HASH_BITS 14
#define BC_ARENA     (32u << 20)
#define BC_JC_BITS   12
_Static_assert(sizeof(((struct block_cache *)0)->jc) == sizeof(void *) << BC_JC_BITS, "jc");

struct block_gen {
    /* Chains read lock-free (acquire); heads and links written under the
     * share's mutex (release), blocks fully built first. A block unlinked
     * from its chain keeps its own link, so a reader standing on it goes
     * on, and its memory is not reused before the generation is freed. */
    struct rv_block *hash[1u << BC_HASH_BITS];
    uint8_t *arena; /* BC_ARENA bytes, MAP_NORESERVE: costs what is used */
    size_t used;
    uint64_t epoch;
    void *jit; /* the JIT's code for these blocks, or NULL; freed with it */
    void (*jit_free)(void *jit);
    struct block_gen *next_retired;
};

struct block_share {
    pthread_mutex_t lock;
    struct block_gen *cur; /* the generation new lookups go to */
    uint64_t epoch;        /* cur->epoch, read lock-free by block_cache_sync */
    struct block_gen *retired;
    struct block_cache **views; /* every hart using this share */
    unsigned nviews;
};

/* With the share's mutex held: make a fresh current generation (retiring
 * the old one) unless the current one is empty, and move bc to it. `full`:
 * bc's generation is full, and moving to a newer current one will do. */
void block_cache_flush_locked(struct block_cache *bc, bool full);

#endif
