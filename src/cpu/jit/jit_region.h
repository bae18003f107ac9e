/* Regions: a loop inside one page translated as one unit. Starting at a
 * block the run loop asked for, the page's code is decoded on until the
 * last branch that jumps back into what was decoded; the blocks in between
 * become the region's sub-blocks, each a label in one piece of host code.
 * Branches between them are host jumps that keep guest registers in host
 * registers; only edges leaving the region write them back. Sub-blocks
 * are cut exactly where the interpreter's blocks end (control transfers),
 * plus before every branch target, so each keeps the interpreter's
 * block_pc/block_n view for precise traps. */
#ifndef RVMM_CPU_JIT_JIT_REGION_H
#define RVMM_CPU_JIT_JIT_REGION_H

#include "cpu/block.h"
#include "cpu/jit/jit_cache.h"

#define REGION_MAX_SUBS  32
#define REGION_MAX_INSNS 160

struct region {
    unsigned nsub;
    unsigned ninsns;
    /* Decoded into the JIT's scratch memory, in address order; sub k+1
     * starts where sub k ends unless sub k ends in a jump or jalr. */
    struct rv_block *sub[REGION_MAX_SUBS];
    uint64_t end; /* first byte after the region */
};

/* Plans a region headed by b (which the run loop holds, valid). False when
 * b heads no loop (no branch back into the decoded code) or the region
 * would not fit; b is then translated alone. */
bool region_plan(struct jit *j, const struct rv_hart *h, const struct rv_block *b,
                 struct region *r);

/* The sub-block starting at va, or -1. */
int region_label(const struct region *r, uint64_t va);

/* Whether op transfers control (ends a sub-block without ending the region). */
bool region_is_jump(unsigned op);

#endif
