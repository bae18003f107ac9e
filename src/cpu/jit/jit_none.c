/* The JIT's entry points on hosts that have no JIT (every host but
 * x86-64): jit_available() says no, so hart_set_engine() refuses the jit
 * engine and hart_run() never reaches the others. The x86-64 code
 * generator is not compiled there (mk/riscv64.mk leaves it out). */
#include "cpu/jit/jit.h"

#include <errno.h>

#if !defined(__x86_64__)
bool jit_available(void)
{
    return false;
}

int jit_create(struct jit **out, const struct jit_options *o)
{
    (void)out;
    (void)o;
    return -ENOTSUP;
}

void *jit_jump_table(struct jit *j)
{
    return NULL;
}

void jit_destroy(struct jit *j)
{
    (void)j;
}

struct rv_block *jit_prepare(struct rv_hart *h, struct rv_block *b, struct rv_block *prev)
{
    (void)h;
    (void)prev;
    return b;
}

struct rv_block *jit_exec(struct rv_hart *h, struct rv_block *b, uint64_t stop)
{
    (void)h;
    (void)b;
    (void)stop;
    return NULL;
}

int jit_perf_map_open(FILE **out)
{
    *out = NULL;
    return -ENOTSUP;
}
#endif
