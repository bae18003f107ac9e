/* The JIT engine as the run loop sees it: hart_run() finds or translates a
 * predecoded block (block.c), hands it to jit_prepare() for host code and
 * to jit_exec() to run it and every block chained to it natively. The
 * interpreter stays the reference: the JIT emits only what it can make
 * identical and calls the interpreter's handler for everything else. */
#ifndef RVMM_CPU_JIT_JIT_H
#define RVMM_CPU_JIT_JIT_H

#include "cpu/block.h"
#include "cpu/hart.h"

struct jit;

/* Whether this host can run the JIT (x86-64 only). */
bool jit_available(void);
int jit_create(struct jit **out, const struct jit_options *o);
void jit_destroy(struct jit *j);
/* The hart's indirect-jump table, which native code finds in h->jit_jt. */
void *jit_jump_table(struct jit *j);

/* Gives b host code (b->jit_code) unless the JIT leaves it to the
 * interpreter, and patches prev's exit to jump straight to it when prev ran
 * chainably into b. Returns the block to run: b, or the same block
 * translated again when the code cache had to be flushed (prev is then
 * gone too). */
struct rv_block *jit_prepare(struct rv_hart *h, struct rv_block *b, struct rv_block *prev);

/* Runs b's host code and the blocks chained to it until one exits (a trap,
 * an unchained exit, budget spent once h->instret >= stop, a kick, a pending
 * interrupt or a new code page). Returns the block whose exit may be
 * chained to the block at h->pc, or NULL. */
struct rv_block *jit_exec(struct rv_hart *h, struct rv_block *b, uint64_t stop);

/* Opens /tmp/perf-PID.map, where every translated block is then named by
 * its guest address (jit_options.perf_map) so `perf report` can attribute
 * time in generated code (the convention QEMU's -perfmap and other JITs
 * follow). The caller closes it after the last JIT using it is gone. */
int jit_perf_map_open(FILE **out);

#endif
