/* Finding a region's sub-blocks (see jit_region.h). Two passes over the
 * page: the first decodes blocks as the interpreter would to find the
 * loop's extent and the branch targets inside it, the second decodes again
 * with a cut before each target, so every target starts a sub-block. */
#include "cpu/jit/jit_region.h"

#include "cpu/interp.h"

#include <string.h>

static struct rv_block *scratch(struct jit *j, unsigned k)
{
    return (struct rv_block *)(j->scratch + (size_t)k * JIT_SCRATCH_BLOCK);
}

uint64_t region_jump_target(const struct rv_block *s)
{
    if (!s->n) return 0;
    const struct rv_insn *last = &s->insns[s->n - 1];
    if (!decode_is_direct(last->op)) return 0;
    return s->va + last->pc_off + (uint64_t)(int64_t)last->imm;
}

/* Whether s ended at an instruction that must end a block and is not a
 * jump (a system instruction): regions stop before those. */
static bool ends_in_system(const struct rv_block *s)
{
    if (!s->n) return false;
    const struct rv_insn *last = &s->insns[s->n - 1];
    return !decode_is_jump(last->op) && (decode_op_flags(last->op) & INSN_END_YES);
}

static void decode_at(const struct rv_hart *h, const struct rv_block *head, struct rv_block *s,
                      uint64_t va, unsigned room)
{
    gpa_t pa = head->pa + (va - head->va);
    block_decode(s, h->cpu.ext, va, pa, h->ram->host + (pa - h->ram->base), room);
    s->gen = head->gen;
    s->straddles = false;
}

int region_label(const struct region *r, uint64_t va)
{
    for (unsigned k = 0; k < r->nsub; k++)
        if (r->sub[k]->va == va) return (int)k;
    return -1;
}

bool region_plan(struct jit *j, const struct rv_hart *h, const struct rv_block *b, uint64_t limit,
                 struct region *r)
{
    if (b->straddles || !b->n) return false;
    uint64_t page_end = (b->va & ~0xfffULL) + 0x1000;
    /* Pass 1: the interpreter's blocks from b on; the region ends after
     * the last one whose jump goes back to b: the loop b heads. */
    uint64_t va = b->va, end = 0;
    uint64_t targets[REGION_MAX_SUBS];
    unsigned ntargets = 0, total = 0;
    if (limit > page_end) limit = page_end;
    for (unsigned k = 0; k < REGION_MAX_SUBS && va + 2 <= limit; k++) {
        struct rv_block *s = scratch(j, 0);
        decode_at(h, b, s, va, (unsigned)(page_end - va));
        if (!s->n || ends_in_system(s) || total + s->n > REGION_MAX_INSNS) break;
        total += s->n;
        uint64_t t = region_jump_target(s);
        if (t == b->va) {
            end = va + s->bytes;
        } else if (t > b->va && t < page_end) {
            targets[ntargets++] = t; /* a forward jump: a target if the region reaches it */
        }
        va += s->bytes;
    }
    if (!end || j->c->used + sizeof(struct jit_hdr) + JIT_REGION_MAX > JIT_CODE_SIZE ||
        j->c->data_used + 2 * (size_t)total * (sizeof(struct jit_rec) + sizeof(struct rv_insn)) +
                REGION_MAX_SUBS * sizeof(struct rv_block) >
            JIT_DATA_SIZE)
        return false;
    /* Pass 2: decode again, cutting before every target. A target that is
     * not an instruction boundary of this decode ends the region there. */
    memset(r, 0, sizeof(*r));
    va = b->va;
    while (va < end && r->nsub < REGION_MAX_SUBS) {
        uint64_t cut = end;
        for (unsigned k = 0; k < ntargets; k++)
            if (targets[k] > va && targets[k] < cut) cut = targets[k];
        struct rv_block *s = scratch(j, r->nsub);
        decode_at(h, b, s, va, (unsigned)(cut - va));
        if (!s->n) break;
        bool stopped_short =
            va + s->bytes < cut && s->n < BLOCK_MAX_INSNS && !decode_is_jump(s->insns[s->n - 1].op);
        r->sub[r->nsub++] = s;
        r->ninsns += s->n;
        va += s->bytes;
        if (stopped_short) break;
    }
    r->end = va;
    /* Still a loop: some jump goes back to b. */
    for (unsigned k = 0; k < r->nsub; k++)
        if (region_jump_target(r->sub[k]) == b->va) return true;
    return false;
}
