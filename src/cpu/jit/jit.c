/* The JIT's entry points for the run loop (see jit.h). */
#include "cpu/jit/jit.h"

#include <errno.h>
#include <stdlib.h>

struct jit {
    int unused;
};

bool jit_available(void)
{
#if defined(__x86_64__)
    return true;
#else
    return false;
#endif
}

int jit_create(struct jit **out)
{
    if (!jit_available()) return -ENOTSUP;
    *out = calloc(1, sizeof(**out));
    return *out ? 0 : -ENOMEM;
}

void jit_destroy(struct jit *j)
{
    free(j);
}

/* For now every block runs through the interpreter. */
struct rv_block *jit_prepare(struct rv_hart *h, struct rv_block *b, struct rv_block *prev)
{
    h->stats.jit_interp_blocks++;
    return b;
}

struct rv_block *jit_exec(struct rv_hart *h, struct rv_block *b, uint64_t stop)
{
    return NULL;
}
