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
    struct rv_block *hnext;
    struct rv_insn insns[];
};

int block_cache_create(struct block_cache **out);
void block_cache_destroy(struct block_cache *bc);
void block_cache_flush(struct block_cache *bc);

/* Finds or translates the block at h->pc. On a fetch fault the trap is taken
 * (h->pc moves to the handler) and NULL is returned. */
struct rv_block *block_get(struct rv_hart *h);

#endif
