/* Block to x86-64: the translator behind jit_prepare(). */
#ifndef RVMM_CPU_JIT_JIT_TRANSLATE_H
#define RVMM_CPU_JIT_JIT_TRANSLATE_H

#include "cpu/block.h"
#include "cpu/jit/jit_cache.h"

/* Emits b's code into j (which must have jit_cache_room for b) and
 * publishes it as b->jit_code with its header. Returns the bytes emitted. */
size_t jit_translate(struct jit *j, struct rv_hart *h, struct rv_block *b);
/* The same for b as the head of a region ending before limit
 * (jit_region.h); 0, leaving b as it was, when b heads no region that fits. */
size_t jit_translate_region(struct jit *j, struct rv_hart *h, struct rv_block *b, uint64_t limit);

/* The terminator of a helper record: the handler went on to the next
 * instruction, which native code runs. */
int jit_insn_done(struct rv_hart *h, const struct rv_insn *i);

#endif
