/* The JIT's entry points for the run loop (see jit.h): the per-hart code
 * cache's lifetime, translation on demand, linking an exit to its
 * successor, and entering native code. */
#include "cpu/jit/jit.h"

#include "common/clock.h"
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
 * 32 interpreted runs are nothing beside its millions of native ones. */
#define JIT_TRANSLATE_AFTER 32
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
    *out = j;
    return 0;
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
        if (!prev->jit_code || !prev->chainable) return;
        int slot = h->pc == prev->va + prev->bytes ? 0 : h->pc == prev->taken_va ? 1 : -1;
        if (slot < 0 || !prev->jit_patch[slot]) return;
        site = (uint8_t *)prev->jit_code + prev->jit_patch[slot];
    }
    /* Past b's page-generation guard: prev ran from the same page after
     * passing its own, and a write to the page since would have zeroed the
     * stop word, so prev's exit check does not let it get here. */
    x64_patch_rel32(site, (uint8_t *)b->jit_code + b->jit_chain_entry);
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
    size_t data0 = h->jit->data_used;
    size_t len = limit ? jit_translate_region(h->jit, h, b, limit) : jit_translate(h->jit, h, b);
    h->stats.jit_translate_ns += clock_host_ns() - t0;
    h->stats.jit_code_bytes += len;
    if (limit) h->stats.jit_region_bytes += len;
    h->stats.jit_data_bytes += h->jit->data_used - data0;
    if (len) name_code(h->jit, b, len, limit ? "region" : "block");
    return len;
}

/* prev's branch or jal jumped back to b on its page: b heads a loop that
 * has run once, worth translating again as a region. */
static bool loops_back(const struct rv_hart *h, const struct rv_block *prev,
                       const struct rv_block *b)
{
    return prev->jit_code && prev->chainable && h->pc == prev->taken_va && b->va == h->pc &&
           b->va <= prev->va && !((b->va ^ prev->va) & ~0xfffULL) && !b->straddles;
}

/* Times round a loop before its head becomes a region: loops that run a
 * few times (most kernel loops at boot) do not pay for translating one. */
#define JIT_REGION_HOT 8

static void flush_code(struct rv_hart *h, struct jit *j)
{
    jit_cache_reset(j);
    j->bc_flushes = block_cache_flushes(h->bc);
    h->stats.jit_flushes++;
}

struct rv_block *jit_prepare(struct rv_hart *h, struct rv_block *b, struct rv_block *prev)
{
    struct jit *j = h->jit;
    /* Blocks own their code: once the block cache is flushed, the code of
     * the blocks it held is unreachable and goes too. */
    if (block_cache_flushes(h->bc) != j->bc_flushes) {
        flush_code(h, j);
        prev = NULL;
    }
    if (!b->jit_code) {
        /* Lazy translation: a block is interpreted until it has run
         * translate_after times. Code that runs rarely (most of a boot, a
         * program's start-up, error paths) costs no translation time and
         * no code cache; what runs often is translated on its next run. */
        if (b->jit_runs < j->translate_after) {
            b->jit_runs++;
            h->stats.jit_cold_runs++;
            j->pending_site = NULL;
            return b;
        }
        if (!jit_cache_room(j, b->n)) {
            block_cache_flush(h->bc);
            flush_code(h, j);
            prev = NULL;
            b = block_get(h);
            if (!b) return b;
        }
        if (!translate(h, b, 0)) { /* cannot happen with JIT_BLOCK_MAX */
            h->stats.jit_interp_blocks++;
            return b;
        }
        h->stats.jit_blocks++;
    }
    /* A loop head, once its loop has gone round JIT_REGION_HOT times:
     * again, as a region. Until then its back edge is left unlinked, so
     * the run loop sees each time round. */
    /* With a debugger's breakpoints, native code never goes from block to
     * block by itself (no links, no regions, no jump-table entries): the
     * run loop checks each block's pc. hart_debug_sync() flushed what was
     * linked before. */
    if (unlikely(h->debug_bp)) {
        j->pending_site = NULL;
        return b;
    }
    bool link = prev != NULL;
    if (prev && !b->jit_region_tried && loops_back(h, prev, b)) {
        if (++b->jit_back_edges < JIT_REGION_HOT) {
            link = false;
        } else {
            b->jit_region_tried = true;
            if (translate(h, b, prev->va + prev->bytes)) h->stats.jit_regions++;
        }
    }
    if (link) link_exit(h, prev, b);
    j->pending_site = NULL;
    /* Only a page the fetch TLB holds can be checked natively; a
     * straddling block's second page cannot. */
    const struct tlb_entry *te = tlb_lookup(h->itlb->x, b->va, b->va & ~0xfffULL);
    if (te && !b->straddles) {
        struct jit_jt_entry *e = jit_jt_slot(j, b->va);
        e->va = b->va;
        e->addend = te->addend;
        e->code = b->jit_code;
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
    h->jit->pending_site = NULL;
    int r = h->jit->enter(h, b->jit_code);
    if (r == JIT_RET_PLAIN) return NULL;
    if (h->jit->opt.counting) h->stats.jit_chain_hits--; /* counted on the way to the stub */
    if (r == JIT_RET_SITE) h->jit->pending_site = h->jit_site;
    return h->jit_from;
}
