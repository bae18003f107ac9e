/* Block cache generations and their sharing between the harts of a VM
 * (see block_cache.h): making, flushing and retiring generations, the
 * harts' views of them, and freeing a retired generation once no hart can
 * be running its code. Knows nothing of decoding (block.c) or of what the
 * JIT keeps in a generation (an opaque pointer and its destructor). */
#include "cpu/block_cache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static struct block_gen *gen_new(uint64_t epoch)
{
    struct block_gen *g = calloc(1, sizeof(*g)); /* the hash: zero pages until used */
    if (!g) return NULL;
    /* Reserved, not committed: a generation costs the blocks it holds. */
    void *a = mmap(NULL, BC_ARENA, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (a == MAP_FAILED) {
        free(g);
        return NULL;
    }
    g->arena = a;
    g->epoch = epoch;
    return g;
}

static void gen_free(struct block_gen *g)
{
    if (!g) return;
    if (g->jit_free) g->jit_free(g->jit);
    munmap(g->arena, BC_ARENA);
    free(g);
}

static void share_free(struct block_share *s)
{
    gen_free(s->cur);
    while (s->retired) {
        struct block_gen *g = s->retired;
        s->retired = g->next_retired;
        gen_free(g);
    }
    pthread_mutex_destroy(&s->lock);
    free(s->views);
    free(s);
}

static int share_add(struct block_share *s, struct block_cache *bc)
{
    struct block_cache **v = realloc(s->views, (s->nviews + 1) * sizeof(*v));
    if (!v) return -ENOMEM;
    s->views = v;
    v[s->nviews++] = bc;
    bc->share = s;
    bc->share_epoch = &s->epoch;
    bc->gen = s->cur;
    bc->epoch = s->cur->epoch;
    memset(bc->jc, 0, sizeof(bc->jc));
    return 0;
}

/* Removes bc; true when it was the last view. */
static bool share_remove(struct block_share *s, struct block_cache *bc)
{
    for (unsigned k = 0; k < s->nviews; k++)
        if (s->views[k] == bc) s->views[k] = s->views[--s->nviews];
    return s->nviews == 0;
}

int block_cache_create(struct block_cache **out, uint64_t *stop_word)
{
    struct block_cache *bc = calloc(1, sizeof(*bc));
    struct block_share *s = calloc(1, sizeof(*s));
    if (!bc || !s) goto fail;
    pthread_mutex_init(&s->lock, NULL);
    s->cur = gen_new(1);
    if (!s->cur) goto fail_share;
    s->epoch = 1;
    bc->stop_word = stop_word;
    if (share_add(s, bc)) goto fail_share;
    *out = bc;
    return 0;
fail_share:
    share_free(s);
    s = NULL;
fail:
    free(s);
    free(bc);
    return -ENOMEM;
}

void block_cache_destroy(struct block_cache *bc)
{
    if (!bc) return;
    struct block_share *s = bc->share;
    pthread_mutex_lock(&s->lock);
    bool last = share_remove(s, bc);
    pthread_mutex_unlock(&s->lock);
    if (last) share_free(s);
    free(bc);
}

bool block_cache_sharing_wanted(void)
{
    const char *e = getenv("RVMM_SHARED_BLOCKS");
    return !e || strcmp(e, "0") != 0;
}

int block_cache_share(struct block_cache *bc, struct block_cache *with)
{
    struct block_share *old = bc->share, *s = with->share;
    if (old == s) return 0;
    pthread_mutex_lock(&s->lock);
    int rc = share_add(s, bc);
    pthread_mutex_unlock(&s->lock);
    if (rc) { /* keeps its own */
        bc->share = old;
        bc->share_epoch = &old->epoch;
        bc->gen = old->cur;
        bc->epoch = old->cur->epoch;
        return rc;
    }
    pthread_mutex_lock(&old->lock);
    bool last = share_remove(old, bc);
    pthread_mutex_unlock(&old->lock);
    if (last) share_free(old);
    return 0;
}

void block_cache_lock(struct block_cache *bc)
{
    pthread_mutex_lock(&bc->share->lock);
}

void block_cache_unlock(struct block_cache *bc)
{
    pthread_mutex_unlock(&bc->share->lock);
}

void *block_cache_jit(const struct block_cache *bc)
{
    return __atomic_load_n(&bc->gen->jit, __ATOMIC_ACQUIRE);
}

void block_cache_set_jit(struct block_cache *bc, void *jit, void (*free_fn)(void *))
{
    bc->gen->jit_free = free_fn;
    __atomic_store_n(&bc->gen->jit, jit, __ATOMIC_RELEASE);
}

/* Frees each retired generation no hart can hold: one a hart holds is the
 * generation of its view while it is inside hart_run(). A hart entering
 * publishes `active` before it reads the epoch, and a flush publishes the
 * epoch before this reads `active` (both sequentially consistent): either
 * this sees the hart active, or the hart sees the new epoch and moves on
 * (under the mutex this holds) without touching the old generation. */
static void reclaim(struct block_share *s)
{
    for (struct block_gen **pp = &s->retired; *pp;) {
        struct block_gen *g = *pp;
        bool held = false;
        for (unsigned k = 0; k < s->nviews && !held; k++) {
            const struct block_cache *v = s->views[k];
            held = v->epoch <= g->epoch && __atomic_load_n(&v->active, __ATOMIC_SEQ_CST);
        }
        if (held) {
            pp = &g->next_retired;
            continue;
        }
        *pp = g->next_retired;
        gen_free(g);
    }
}

static void resync_locked(struct block_cache *bc)
{
    struct block_share *s = bc->share;
    if (bc->epoch != s->cur->epoch) {
        bc->gen = s->cur;
        bc->epoch = s->cur->epoch;
        memset(bc->jc, 0, sizeof(bc->jc));
    }
    if (s->retired) reclaim(s);
}

void block_cache_resync(struct block_cache *bc)
{
    pthread_mutex_lock(&bc->share->lock);
    resync_locked(bc);
    pthread_mutex_unlock(&bc->share->lock);
}

void block_cache_flush_locked(struct block_cache *bc, bool full)
{
    struct block_share *s = bc->share;
    struct block_gen *old = s->cur;
    /* An empty generation is as good as a fresh one (each hart's reset
     * flushes; so does a debugger's every change). A hart whose own
     * generation is full while another has made a fresh one moves there. */
    if (old->used && !(full && bc->epoch != old->epoch)) {
        struct block_gen *g = gen_new(old->epoch + 1);
        if (!g) {
            /* Nothing to fall back on: the blocks cannot be dropped while
             * another hart may run them, nor kept when full. */
            fprintf(stderr, "rvmm: out of memory for translated blocks\n");
            abort();
        }
        old->next_retired = s->retired;
        s->retired = old;
        s->cur = g;
        __atomic_store_n(&s->epoch, g->epoch, __ATOMIC_SEQ_CST);
        /* The others move on at their next run-loop boundary; let native
         * code get there soon. */
        for (unsigned k = 0; k < s->nviews; k++)
            if (s->views[k] != bc) __atomic_store_n(s->views[k]->stop_word, 0, __ATOMIC_SEQ_CST);
    }
    resync_locked(bc);
}

void block_cache_flush(struct block_cache *bc)
{
    pthread_mutex_lock(&bc->share->lock);
    block_cache_flush_locked(bc, false);
    pthread_mutex_unlock(&bc->share->lock);
}

void block_cache_enter(struct block_cache *bc)
{
    __atomic_store_n(&bc->active, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(bc->share_epoch, __ATOMIC_SEQ_CST) != bc->epoch) block_cache_resync(bc);
}

void block_cache_leave(struct block_cache *bc)
{
    __atomic_store_n(&bc->active, 0, __ATOMIC_SEQ_CST);
    /* A flush may be waiting for this hart to let go of its generation. */
    if (__atomic_load_n(&bc->share->retired, __ATOMIC_RELAXED)) block_cache_resync(bc);
}
