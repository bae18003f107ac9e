/* The JIT's entry points for the run loop (see jit.h): a hart's JIT and
 * its view of the code of the block generation it runs (which harts that
 * share blocks share: block_cache.h), translation on demand under the
 * block cache's mutex, linking an exit to its successor, and entering
 * native code. */
#include "cpu/jit/jit.h"

#include "common/clock.h"
#include "cpu/block_cache.h"
#include "cpu/jit/jit_cache.h"
#include "cpu/jit/jit_translate.h"
#include "cpu/jit/x64_emit.h"
#include "cpu/trap.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int jit_perf_map_open(FILE **out)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
    FILE *f = fopen(path, "w");
    if (!f) return -errno;
    setvbuf(f, NULL, _IOLBF, 0);
    *out = f;
    return 0;
}

bool jit_available(void)
{
#if defined(__x86_64__)
    return true;
#else
    return false;
#endif
}

/* Runs in the interpreter before a block is translated. Measured on a
 * 256 MiB guest booting and running bench/boot.py's workload under one
 * hart: 0 peaks at 106 MiB, 2 at 98, 8 at 93, 32 at 88 (the interpreter:
 * 69), with the workload's host CPU time unchanged, since a hot block's
 * interpreted runs are nothing beside its millions of native ones. With
 * coremark added (bench/cpu.sh's workload), 32 peaks at 86.9 MiB, 64 at
 * 84.3 and 128 at 81.6 (the interpreter: 73.9); 128 interprets 2.1
 * million block runs against 0.7 at 32, which starts to show in the
 * CPU time, so 64. */
#define JIT_TRANSLATE_AFTER 64
_Static_assert(JIT_TRANSLATE_AFTER < 256, "counted in rv_block.jit_runs");

int jit_create(struct jit **out, const struct jit_options *o)
{
    if (!jit_available()) return -ENOTSUP;
    struct jit *j = calloc(1, sizeof(*j));
    if (!j) return -ENOMEM;
    int rc = jit_cache_init(j);
    if (rc) {
        free(j);
        return rc;
    }
    if (o) j->opt = *o;
    const char *dir = getenv("RVMM_JIT_DUMP");
    if (dir && !(j->dump_dir = strdup(dir))) {
        jit_destroy(j);
        return -ENOMEM;
    }
    /* RVMM_JIT_HOST_FEATURES (a mask of X64_HAS_*) hides host features,
     * so the tests can run the fallbacks of a host without them. */
    j->host = x64_host_features();
    const char *mask = getenv("RVMM_JIT_HOST_FEATURES");
    if (mask) j->host &= (unsigned)strtoul(mask, NULL, 0);
    /* RVMM_JIT_TRANSLATE_AFTER=0 translates every block on its first run,
     * so the tests' run-once programs exercise the translator. */
    const char *after = getenv("RVMM_JIT_TRANSLATE_AFTER");
    j->translate_after = after ? (unsigned)strtoul(after, NULL, 0) : JIT_TRANSLATE_AFTER;
    if (j->translate_after > JIT_TRANSLATE_AFTER) j->translate_after = JIT_TRANSLATE_AFTER;
    /* Times round a loop (native or interpreted) before its head is
     * translated as a region: loops that run a few times (most kernel
     * loops at boot) do not pay for one. A loop head's back edges are
     * about its runs, so a loop becomes a region where its head would
     * have become a block, and its body blocks, which then run inside the
     * region, never get code of their own. At least 8. */
    j->region_hot = j->translate_after > 8 ? j->translate_after : 8;
    *out = j;
    return 0;
}

void *jit_jump_table(struct jit *j)
{
    return j->jt;
}

void jit_destroy(struct jit *j)
{
    if (!j) return;
    jit_cache_free(j);
    free(j->dump_dir);
    free(j);
}

/* prev ran to an unchained exit and b is the block at the pc it left for:
 * the same successor block_next() would pick without a lookup (same page,
 * the exit's own target), so the exit's jump may go straight to b. */
static void link_exit(struct rv_hart *h, struct rv_block *prev, struct rv_block *b)
{
    if (b->straddles || b->va != h->pc || ((h->pc ^ prev->va) & ~0xfffULL)) return;
    /* A region's exit names its own jump (JIT_RET_SITE); a block's is one
     * of its two chaining slots. */
    uint8_t *site = h->jit->pending_site;
    if (!site) {
        uint8_t *code = __atomic_load_n((uint8_t **)&prev->jit_code, __ATOMIC_ACQUIRE);
        if (!code || !prev->chainable) return;
        int slot = h->pc == prev->va + prev->bytes ? 0 : h->pc == prev->taken_va ? 1 : -1;
        if (slot < 0 || !jit_hdr_of(code)->patch[slot]) return;
        site = code + jit_hdr_of(code)->patch[slot];
    }
    /* Past b's page-generation guard: prev ran from the same page after
     * passing its own, and a write to the page since would have zeroed the
     * stop word, so prev's exit check does not let it get here. The jump
     * may be running on another hart: one atomic store repoints it. */
    uint8_t *to = __atomic_load_n((uint8_t **)&b->jit_code, __ATOMIC_ACQUIRE);
    x64_relink(site, to + jit_hdr_of(to)->chain_entry);
    h->stats.jit_links++;
}

/* A perf map line for b's new code (and, for the JIT's own debugging, a
 * raw copy of it in $RVMM_JIT_DUMP/VA.bin to disassemble). */
static void name_code(const struct jit *j, const struct rv_block *b, size_t len, const char *kind)
{
    if (j->opt.perf_map)
        fprintf(j->opt.perf_map, "%lx %zx %s_%llx_n%u\n", (unsigned long)(uintptr_t)b->jit_code,
                len, kind, (unsigned long long)b->va, b->n);
    const char *dir = j->dump_dir;
    if (!dir) return;
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s_%llx.bin", dir, kind, (unsigned long long)b->va);
    FILE *f = fopen(path, "w");
    if (!f) return;
    fwrite(b->jit_code, 1, len, f);
    fclose(f);
}

/* Translates b, alone (limit 0) or as a region's head ending before limit,
 * counting the host time and code; returns the bytes of code (0: none). */
static size_t translate(struct rv_hart *h, struct rv_block *b, uint64_t limit)
{
    uint64_t t0 = clock_host_ns();
    size_t data0 = h->jit->c->data_used;
    size_t len = limit ? jit_translate_region(h->jit, h, b, limit) : jit_translate(h->jit, h, b);
    h->stats.jit_translate_ns += clock_host_ns() - t0;
    h->stats.jit_code_bytes += len;
    if (limit) h->stats.jit_region_bytes += len;
    h->stats.jit_data_bytes += h->jit->c->data_used - data0;
    if (len) name_code(h->jit, b, len, limit ? "region" : "block");
    return len;
}

/* prev's branch or jal jumped back to b on its page: b heads a loop that
 * has run once, worth translating again as a region. */
static bool loops_back(const struct rv_hart *h, const struct rv_block *prev,
                       const struct rv_block *b)
{
    return prev->chainable && h->pc == prev->taken_va && b->va == h->pc && b->va <= prev->va &&
           !((b->va ^ prev->va) & ~0xfffULL) && !b->straddles;
}

/* This hart now runs another generation of blocks (a flush, by it or by
 * a hart sharing them): its jump table and pending link named the old
 * one's code. */
static void moved(struct rv_hart *h, struct jit *j)
{
    jit_jt_reset(j);
    j->c = block_cache_jit(h->bc);
    j->pending_site = NULL;
    j->bc_flushes = block_cache_flushes(h->bc);
    h->stats.jit_flushes++;
}

/* Under the mutex: the code cache of this hart's generation, made on
 * first use; NULL when it cannot be. */
static struct jit_code *code_locked(struct rv_hart *h, struct jit *j)
{
    struct jit_code *c = block_cache_jit(h->bc);
    if (!c && !jit_code_create(&c)) block_cache_set_jit(h->bc, c, jit_code_destroy);
    return j->c = c;
}

/* b, translated unless another hart did it first; the block to run (b,
 * or the same block again in a fresh generation when this one was full,
 * *flushed set). */
static struct rv_block *translate_block(struct rv_hart *h, struct jit *j, struct rv_block *b,
                                        bool *flushed)
{
    block_cache_lock(h->bc);
    struct jit_code *c = code_locked(h, j);
    if (!b->jit_code && (!c || !jit_cache_room(c, b->n))) {
        block_cache_flush_locked(h->bc, true);
        block_cache_unlock(h->bc);
        moved(h, j);
        *flushed = true;
        b = block_get(h);
        if (!b) return b;
        block_cache_lock(h->bc);
        c = code_locked(h, j);
    }
    if (!b->jit_code) {
        if (c && translate(h, b, 0))
            h->stats.jit_blocks++;
        else /* cannot happen with JIT_BLOCK_MAX */
            h->stats.jit_interp_blocks++;
    }
    block_cache_unlock(h->bc);
    return b;
}

/* What the run loop's step from prev to b did for b as a loop head. */
enum loop_step { LOOP_NONE, LOOP_COUNTING, LOOP_DONE };

/* prev jumped back to b: counts b's loop, and translates b as a region's
 * head once it has gone round j->region_hot times (native or not), so
 * a loop's body gets one translation, not one per block and the region
 * after. Until then the back edge is left unlinked, so the run loop sees
 * each time round. */
static enum loop_step loop_step(struct rv_hart *h, struct jit *j, struct rv_block *b,
                                const struct rv_block *prev)
{
    if (__atomic_load_n(&b->jit_region_tried, __ATOMIC_RELAXED) || !loops_back(h, prev, b))
        return LOOP_NONE;
    unsigned edges = __atomic_load_n(&b->jit_back_edges, __ATOMIC_RELAXED) + 1u;
    __atomic_store_n(&b->jit_back_edges, (uint8_t)edges, __ATOMIC_RELAXED);
    if (edges < j->region_hot) return LOOP_COUNTING;
    block_cache_lock(h->bc);
    if (!b->jit_region_tried) {
        __atomic_store_n(&b->jit_region_tried, true, __ATOMIC_RELAXED);
        if (code_locked(h, j) && translate(h, b, prev->va + prev->bytes)) h->stats.jit_regions++;
    }
    block_cache_unlock(h->bc);
    return LOOP_DONE;
}

struct rv_block *jit_prepare(struct rv_hart *h, struct rv_block *b, struct rv_block *prev)
{
    struct jit *j = h->jit;
    /* Blocks own their code: once the block cache moved to another
     * generation, the code of the blocks it held is unreachable. */
    if (block_cache_flushes(h->bc) != j->bc_flushes) {
        moved(h, j);
        prev = NULL;
    }
    /* With a debugger's breakpoints, native code never goes from block to
     * block by itself (no links, no regions, no jump-table entries): the
     * run loop checks each block's pc. hart_debug_sync() flushed what was
     * linked before. */
    enum loop_step loop = prev && !h->debug_bp ? loop_step(h, j, b, prev) : LOOP_NONE;
    if (!__atomic_load_n(&b->jit_code, __ATOMIC_ACQUIRE)) {
        /* Lazy translation: a block is interpreted until it has run
         * translate_after times. Code that runs rarely (most of a boot, a
         * program's start-up, error paths) costs no translation time and
         * no code cache; what runs often is translated on its next run.
         * Harts sharing the block share the count (a lost update only
         * delays the translation). */
        unsigned runs = __atomic_load_n(&b->jit_runs, __ATOMIC_RELAXED);
        if (runs < j->translate_after) {
            __atomic_store_n(&b->jit_runs, (uint8_t)(runs + 1), __ATOMIC_RELAXED);
            h->stats.jit_cold_runs++;
            j->pending_site = NULL;
            return b;
        }
        bool flushed = false;
        b = translate_block(h, j, b, &flushed);
        if (flushed) prev = NULL;
        if (!b || !__atomic_load_n(&b->jit_code, __ATOMIC_ACQUIRE)) {
            j->pending_site = NULL;
            return b;
        }
    }
    if (unlikely(h->debug_bp)) {
        j->pending_site = NULL;
        return b;
    }
    bool link = prev != NULL && loop != LOOP_COUNTING;
    if (link) link_exit(h, prev, b);
    j->pending_site = NULL;
    /* Only a page the fetch TLB holds can be checked natively; a
     * straddling block's second page cannot. */
    const struct tlb_entry *te = tlb_lookup(h->itlb->x, b->va, b->va & ~0xfffULL);
    if (te && !b->straddles) {
        struct jit_jt_entry *e = jit_jt_slot(j, b->va);
        e->va = b->va;
        e->addend = te->addend;
        e->code = __atomic_load_n(&b->jit_code, __ATOMIC_ACQUIRE);
    }
    return b;
}

struct rv_block *jit_exec(struct rv_hart *h, struct rv_block *b, uint64_t stop)
{
    __atomic_store_n(&h->jit_stop, stop, __ATOMIC_SEQ_CST);
    /* A request posted after the run loop looked and before the store
     * above was overwritten by it: look again (each poster sets its state
     * before zeroing the stop word). */
    if (__atomic_load_n(&h->kick, __ATOMIC_SEQ_CST) ||
        __atomic_load_n(&h->ram->code_epoch, __ATOMIC_SEQ_CST) != h->code_epoch_seen ||
        (unlikely(trap_mip(h) & h->mie) && trap_pending_irq(h) >= 0))
        h->jit_stop = 0;
    h->stats.jit_lookups++;
    struct jit *j = h->jit;
    j->pending_site = NULL;
    /* b has code, so its generation has a code cache (published first). */
    if (unlikely(!j->c)) j->c = block_cache_jit(h->bc);
    int r = j->c->enter(h, __atomic_load_n(&b->jit_code, __ATOMIC_ACQUIRE));
    if (r == JIT_RET_PLAIN) return NULL;
    if (h->jit->opt.counting) h->stats.jit_chain_hits--; /* counted on the way to the stub */
    if (r == JIT_RET_SITE) h->jit->pending_site = h->jit_site;
    return h->jit_from;
}
