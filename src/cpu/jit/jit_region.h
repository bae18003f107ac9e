/* Regions: a loop inside one page translated as one unit. When a block's
 * exit is seen jumping back to a block at or before it on the same page
 * (the loop has run once), the head is translated again as a region: the
 * page's code from the head up to the last jump back to it. The blocks in
 * between become the region's sub-blocks, labels in one piece of host code.
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

/* Plans a region headed by b (which the run loop holds, valid): b and the
 * code after it up to the last jump back to b before `limit` (the end of
 * the block seen jumping back). False when there is no such jump or the
 * region would not fit. */
bool region_plan(struct jit *j, const struct rv_hart *h, const struct rv_block *b, uint64_t limit,
                 struct region *r);

/* The sub-block starting at va, or -1. */
int region_label(const struct region *r, uint64_t va);

/* Where a direct jump (branch or jal) at the end of s goes, or 0 for
 * none (jalr, or no jump). */
uint64_t region_jump_target(const struct rv_block *s);

#endif
