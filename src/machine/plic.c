/* PLIC register model: priorities, gateways (pending/claimed), per-context
 * enables, thresholds and claim/complete, and the context output lines. Must
 * not know what a hart is beyond the irq lines it was given. Register map and
 * claim rules: RISC-V PLIC specification 1.0.0, chapters 3-10. */
#include "machine/plic.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PLIC_WORDS ((PLIC_NUM_SOURCES + 31) / 32)

/* Register map (PLIC spec, chapter 3 "Memory map"). */
#define PLIC_PRIORITY_BASE  0x0
#define PLIC_PENDING_BASE   0x1000
#define PLIC_ENABLE_BASE    0x2000
#define PLIC_ENABLE_STRIDE  0x80
#define PLIC_CONTEXT_BASE   0x200000
#define PLIC_CONTEXT_STRIDE 0x1000
#define PLIC_CTX_THRESHOLD  0x0
#define PLIC_CTX_CLAIM      0x4

#define PLIC_SAVE_TAG     STREAM_TAG('P', 'L', 'I', 'C')
#define PLIC_SAVE_VERSION 1

struct plic_ctx {
    uint32_t enable[PLIC_WORDS];
    uint32_t threshold;
    bool eip; /* level last driven on the output line */
    struct irq_line line;
};

struct plic {
    pthread_mutex_t lock;
    unsigned nharts, nctx;
    uint32_t priority[PLIC_NUM_SOURCES];
    uint32_t level[PLIC_WORDS];   /* input line levels */
    uint32_t pending[PLIC_WORDS]; /* the IP bits */
    uint32_t claimed[PLIC_WORDS]; /* claimed, awaiting completion */
    struct plic_ctx *ctx;
};

/* Source 0 does not exist (spec chapter 4), nor do ids past the last. */
static const uint32_t plic_valid_mask[PLIC_WORDS] = {0xfffffffe, 0xffffffff, 0xffffffff};
_Static_assert(PLIC_WORDS == 3 && PLIC_NUM_SOURCES == 96, "adjust plic_valid_mask");

static pthread_mutex_t *plic_lock_of(const struct plic *p)
{
    return (pthread_mutex_t *)&p->lock;
}

static bool plic_bit(const uint32_t *bits, unsigned src)
{
    return (bits[src / 32] >> (src % 32)) & 1;
}

static void plic_set_bit(uint32_t *bits, unsigned src, bool on)
{
    if (on)
        bits[src / 32] |= 1u << (src % 32);
    else
        bits[src / 32] &= ~(1u << (src % 32));
}

/* The best source a context could claim now: the highest priority pending,
 * enabled, unclaimed source whose priority exceeds the threshold, ties to
 * the lowest id (spec chapter 8 "Interrupt Notifications" and 9 "Claim").
 * Returns 0 if none. */
static unsigned plic_best(const struct plic *p, const struct plic_ctx *c)
{
    unsigned best = 0;
    uint32_t max_prio = c->threshold;

    for (unsigned w = 0; w < PLIC_WORDS; w++) {
        uint32_t bits = p->pending[w] & c->enable[w] & ~p->claimed[w];
        while (bits) {
            unsigned src = w * 32 + (unsigned)__builtin_ctz(bits);
            bits &= bits - 1;
            if (p->priority[src] > max_prio) {
                max_prio = p->priority[src];
                best = src;
            }
        }
    }
    return best;
}

static void plic_update(struct plic *p, bool force)
{
    for (unsigned i = 0; i < p->nctx; i++) {
        struct plic_ctx *c = &p->ctx[i];
        bool eip = plic_best(p, c) != 0;
        if (eip != c->eip || force) {
            c->eip = eip;
            irq_set(&c->line, eip);
        }
    }
}

int plic_create(struct plic **out, unsigned nharts, const struct irq_line *ctx_lines)
{
    *out = NULL;
    if (nharts == 0 || nharts > PLIC_MAX_HARTS || !ctx_lines) return -EINVAL;
    struct plic *p = calloc(1, sizeof(*p));
    if (!p) return -ENOMEM;
    int err = pthread_mutex_init(&p->lock, NULL);
    if (err) {
        free(p);
        return -err;
    }
    p->nharts = nharts;
    p->nctx = 2 * nharts;
    p->ctx = calloc(p->nctx, sizeof(*p->ctx));
    if (!p->ctx) goto fail;
    for (unsigned i = 0; i < p->nctx; i++)
        p->ctx[i].line = ctx_lines[i];
    *out = p;
    return 0;
fail:
    plic_destroy(p);
    return -ENOMEM;
}

void plic_destroy(struct plic *p)
{
    if (!p) return;
    pthread_mutex_destroy(&p->lock);
    free(p->ctx);
    free(p);
}

void plic_set_irq(void *plic, unsigned src, int level)
{
    struct plic *p = plic;
    if (src == 0 || src >= PLIC_NUM_SOURCES) return;
    pthread_mutex_lock(&p->lock);
    plic_set_bit(p->level, src, level != 0);
    /* Gateway: a high line requests an interrupt unless one is already in
     * service; a low line withdraws a request not yet claimed (QEMU). */
    plic_set_bit(p->pending, src, level && !plic_bit(p->claimed, src));
    plic_update(p, false);
    pthread_mutex_unlock(&p->lock);
}

static uint32_t plic_claim(struct plic *p, struct plic_ctx *c)
{
    unsigned src = plic_best(p, c);
    if (src) {
        plic_set_bit(p->pending, src, false);
        plic_set_bit(p->claimed, src, true);
    }
    plic_update(p, false);
    return src;
}

static void plic_complete(struct plic *p, struct plic_ctx *c, uint32_t src)
{
    /* "If the completion ID does not match an interrupt source that is
     * currently enabled for the target, the completion is silently ignored"
     * (spec chapter 10); Linux's plic_irq_eoi() relies on this. */
    if (src == 0 || src >= PLIC_NUM_SOURCES || !plic_bit(c->enable, src)) return;
    if (!plic_bit(p->claimed, src)) return;
    plic_set_bit(p->claimed, src, false);
    /* The gateway forwards the next request: a line still high is one. */
    if (plic_bit(p->level, src)) plic_set_bit(p->pending, src, true);
    plic_update(p, false);
}

/* The context a context-block offset refers to, or NULL. */
static struct plic_ctx *plic_ctx_at(struct plic *p, uint64_t off, uint64_t base, uint64_t stride,
                                    uint64_t *rel)
{
    uint64_t i = (off - base) / stride;
    if (i >= p->nctx) return NULL;
    *rel = (off - base) % stride;
    return &p->ctx[i];
}

static uint32_t plic_read_reg(struct plic *p, uint64_t off)
{
    struct plic_ctx *c;
    uint64_t rel;

    if (off < PLIC_PENDING_BASE) {
        uint64_t src = off / 4;
        return src > 0 && src < PLIC_NUM_SOURCES ? p->priority[src] : 0;
    }
    if (off < PLIC_ENABLE_BASE) {
        uint64_t w = (off - PLIC_PENDING_BASE) / 4;
        return w < PLIC_WORDS ? p->pending[w] : 0;
    }
    if (off < PLIC_CONTEXT_BASE) {
        c = plic_ctx_at(p, off, PLIC_ENABLE_BASE, PLIC_ENABLE_STRIDE, &rel);
        return c && rel / 4 < PLIC_WORDS ? c->enable[rel / 4] : 0;
    }
    c = plic_ctx_at(p, off, PLIC_CONTEXT_BASE, PLIC_CONTEXT_STRIDE, &rel);
    if (!c) return 0;
    if (rel == PLIC_CTX_THRESHOLD) return c->threshold;
    if (rel == PLIC_CTX_CLAIM) return plic_claim(p, c);
    return 0;
}

static void plic_write_reg(struct plic *p, uint64_t off, uint32_t val)
{
    struct plic_ctx *c;
    uint64_t rel;

    if (off < PLIC_PENDING_BASE) {
        uint64_t src = off / 4;
        if (src > 0 && src < PLIC_NUM_SOURCES) {
            /* WARL: with 7 a power of two minus one, keep the low bits (QEMU). */
            p->priority[src] = val & PLIC_MAX_PRIORITY;
            plic_update(p, false);
        }
        return;
    }
    if (off < PLIC_ENABLE_BASE) return; /* pending bits are read-only */
    if (off < PLIC_CONTEXT_BASE) {
        c = plic_ctx_at(p, off, PLIC_ENABLE_BASE, PLIC_ENABLE_STRIDE, &rel);
        if (c && rel / 4 < PLIC_WORDS) {
            c->enable[rel / 4] = val & plic_valid_mask[rel / 4];
            plic_update(p, false);
        }
        return;
    }
    c = plic_ctx_at(p, off, PLIC_CONTEXT_BASE, PLIC_CONTEXT_STRIDE, &rel);
    if (!c) return;
    if (rel == PLIC_CTX_THRESHOLD) {
        /* QEMU ignores thresholds above the top priority. */
        if (val <= PLIC_MAX_PRIORITY) {
            c->threshold = val;
            plic_update(p, false);
        }
    } else if (rel == PLIC_CTX_CLAIM) {
        plic_complete(p, c, val);
    }
}

static int plic_mmio_read(void *opaque, uint64_t off, unsigned size, uint64_t *val)
{
    struct plic *p = opaque;
    if (size != 4 || (off & 3)) return -EINVAL;
    pthread_mutex_lock(&p->lock);
    *val = plic_read_reg(p, off);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

static int plic_mmio_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
    struct plic *p = opaque;
    if (size != 4 || (off & 3)) return -EINVAL;
    pthread_mutex_lock(&p->lock);
    plic_write_reg(p, off, (uint32_t)val);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

const struct bus_dev_ops plic_ops = {.read = plic_mmio_read, .write = plic_mmio_write};

static void plic_put_words(struct stream *s, const uint32_t *w, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        stream_put_u32(s, w[i]);
}

static void plic_get_words(struct stream *s, uint32_t *w, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        w[i] = stream_get_u32(s);
}

int plic_save(const struct plic *p, struct stream *s)
{
    pthread_mutex_lock(plic_lock_of(p));
    size_t mark = stream_begin_section(s, PLIC_SAVE_TAG, PLIC_SAVE_VERSION);
    stream_put_u32(s, p->nharts);
    stream_put_u32(s, PLIC_NUM_SOURCES);
    plic_put_words(s, p->priority, PLIC_NUM_SOURCES);
    plic_put_words(s, p->level, PLIC_WORDS);
    plic_put_words(s, p->pending, PLIC_WORDS);
    plic_put_words(s, p->claimed, PLIC_WORDS);
    for (unsigned i = 0; i < p->nctx; i++) {
        plic_put_words(s, p->ctx[i].enable, PLIC_WORDS);
        stream_put_u32(s, p->ctx[i].threshold);
    }
    stream_end_section(s, mark);
    pthread_mutex_unlock(plic_lock_of(p));
    return s->err;
}

int plic_restore(struct plic *p, struct stream *s)
{
    size_t end;
    int err = stream_open_section(s, PLIC_SAVE_TAG, PLIC_SAVE_VERSION, NULL, &end);
    if (err) return err;
    uint32_t nharts = stream_get_u32(s);
    uint32_t nsrc = stream_get_u32(s);
    if (s->err) return s->err;
    if (nharts != p->nharts || nsrc != PLIC_NUM_SOURCES) return s->err = -EINVAL;

    /* Parse into a scratch copy so a bad stream leaves the plic untouched. */
    struct {
        uint32_t priority[PLIC_NUM_SOURCES];
        uint32_t level[PLIC_WORDS], pending[PLIC_WORDS], claimed[PLIC_WORDS];
    } scratch, *n = &scratch;
    struct plic_ctx *ctx = calloc(p->nctx, sizeof(*ctx));
    if (!ctx) return s->err = -ENOMEM;
    plic_get_words(s, n->priority, PLIC_NUM_SOURCES);
    plic_get_words(s, n->level, PLIC_WORDS);
    plic_get_words(s, n->pending, PLIC_WORDS);
    plic_get_words(s, n->claimed, PLIC_WORDS);
    for (unsigned i = 0; i < p->nctx; i++) {
        plic_get_words(s, ctx[i].enable, PLIC_WORDS);
        ctx[i].threshold = stream_get_u32(s);
        if (ctx[i].threshold > PLIC_MAX_PRIORITY) s->err = s->err ? s->err : -EINVAL;
    }
    for (unsigned i = 0; i < PLIC_NUM_SOURCES; i++)
        if (n->priority[i] > PLIC_MAX_PRIORITY) s->err = s->err ? s->err : -EINVAL;
    err = stream_close_section(s, end);
    if (!err) {
        pthread_mutex_lock(&p->lock);
        memcpy(p->priority, n->priority, sizeof(p->priority));
        p->priority[0] = 0;
        for (unsigned w = 0; w < PLIC_WORDS; w++) {
            p->level[w] = n->level[w] & plic_valid_mask[w];
            p->claimed[w] = n->claimed[w] & plic_valid_mask[w];
            p->pending[w] = n->pending[w] & plic_valid_mask[w] & ~p->claimed[w];
        }
        for (unsigned i = 0; i < p->nctx; i++) {
            for (unsigned w = 0; w < PLIC_WORDS; w++)
                p->ctx[i].enable[w] = ctx[i].enable[w] & plic_valid_mask[w];
            p->ctx[i].threshold = ctx[i].threshold;
        }
        /* The harts may have been restored with other levels: drive all. */
        plic_update(p, true);
        pthread_mutex_unlock(&p->lock);
    }
    free(ctx);
    return err;
}
