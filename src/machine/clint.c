/* CLINT register model: msip and mtimecmp per hart, mtime through the
 * vclock, and the MSIP/MTIP lines. Must not keep time itself or start
 * threads: the VMM polls it at the deadline it reports. Semantics: RISC-V
 * privileged spec 1.12 section 3.2.1 (mtime, mtimecmp) and the ACLINT spec
 * 1.0 (MSWI, MTIMER register maps). */
#include "machine/clint.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#define CLINT_MSIP_BASE     0x0
#define CLINT_MTIMECMP_BASE 0x4000
#define CLINT_MTIME         0xbff8
#define CLINT_SIZE          0x10000

#define CLINT_SAVE_TAG     STREAM_TAG('C', 'L', 'N', 'T')
#define CLINT_SAVE_VERSION 1

#define CLINT_NS_PER_TICK (1000000000ULL / CLOCK_TIMEBASE_HZ)

struct clint_hart {
    uint64_t mtimecmp;
    bool msip;
    bool mtip; /* level last driven on the MTIP line */
    struct irq_line msip_line, mtip_line;
};

struct clint {
    pthread_mutex_t lock;
    unsigned nharts;
    struct vclock *clock;
    struct clint_hart *harts;
};

static pthread_mutex_t *clint_lock_of(const struct clint *c)
{
    return (pthread_mutex_t *)&c->lock;
}

/* "A machine timer interrupt becomes pending whenever mtime contains a value
 * greater than or equal to mtimecmp" (priv spec 3.2.1). */
static void clint_update_locked(struct clint *c, bool force)
{
    uint64_t now = vclock_ticks(c->clock);
    for (unsigned i = 0; i < c->nharts; i++) {
        struct clint_hart *h = &c->harts[i];
        bool mtip = now >= h->mtimecmp;
        if (mtip != h->mtip || force) {
            h->mtip = mtip;
            irq_set(&h->mtip_line, mtip);
        }
    }
}

int clint_create(struct clint **out, unsigned nharts, struct vclock *clock,
                 const struct irq_line *msip_lines, const struct irq_line *mtip_lines)
{
    *out = NULL;
    if (nharts == 0 || nharts > CLINT_MAX_HARTS || !clock || !msip_lines || !mtip_lines)
        return -EINVAL;
    struct clint *c = calloc(1, sizeof(*c));
    if (!c) return -ENOMEM;
    int err = pthread_mutex_init(&c->lock, NULL);
    if (err) {
        free(c);
        return -err;
    }
    c->nharts = nharts;
    c->clock = clock;
    c->harts = calloc(nharts, sizeof(*c->harts));
    if (!c->harts) goto fail;
    for (unsigned i = 0; i < nharts; i++) {
        c->harts[i].mtimecmp = UINT64_MAX;
        c->harts[i].msip_line = msip_lines[i];
        c->harts[i].mtip_line = mtip_lines[i];
    }
    *out = c;
    return 0;
fail:
    clint_destroy(c);
    return -ENOMEM;
}

void clint_destroy(struct clint *c)
{
    if (!c) return;
    pthread_mutex_destroy(&c->lock);
    free(c->harts);
    free(c);
}

void clint_update(struct clint *c)
{
    pthread_mutex_lock(&c->lock);
    clint_update_locked(c, false);
    pthread_mutex_unlock(&c->lock);
}

uint64_t clint_next_deadline_ns(const struct clint *c)
{
    uint64_t best = UINT64_MAX;

    pthread_mutex_lock(clint_lock_of(c));
    /* vclock_ticks()'s formula, on one reading of the host clock. */
    uint64_t now_ns = clock_host_ns();
    uint64_t now = now_ns / CLINT_NS_PER_TICK + (uint64_t)vclock_offset(c->clock);
    for (unsigned i = 0; i < c->nharts; i++) {
        const struct clint_hart *h = &c->harts[i];
        if (h->mtip) continue;
        if (h->mtimecmp <= now) {
            best = now_ns;
            break;
        }
        /* The tick count reaches mtimecmp at the start of tick period
         * now_ns / 100 + delta; skip deadlines beyond the ns range (guests
         * park mtimecmp near UINT64_MAX to mean "never"). */
        uint64_t delta = h->mtimecmp - now;
        uint64_t base = now_ns - now_ns % CLINT_NS_PER_TICK;
        if (delta > (UINT64_MAX - base) / CLINT_NS_PER_TICK) continue;
        uint64_t when = base + delta * CLINT_NS_PER_TICK;
        if (when < best) best = when;
    }
    pthread_mutex_unlock(clint_lock_of(c));
    return best;
}

/* Replaces the 4-byte half of *reg at byte offset `half` (0 or 4), or all
 * of it for an 8-byte access. */
static uint64_t clint_deposit(uint64_t reg, unsigned half, unsigned size, uint64_t val)
{
    if (size == 8) return val;
    unsigned shift = half * 8;
    return (reg & ~(0xffffffffULL << shift)) | ((val & 0xffffffffULL) << shift);
}

static uint64_t clint_extract(uint64_t reg, unsigned half, unsigned size)
{
    return size == 8 ? reg : (reg >> (half * 8)) & 0xffffffffULL;
}

static int clint_check_access(uint64_t off, unsigned size)
{
    if (off < CLINT_MTIMECMP_BASE && size != 4) return -EINVAL;
    if ((size != 4 && size != 8) || (off & (size - 1))) return -EINVAL;
    return 0;
}

static int clint_mmio_read(void *opaque, uint64_t off, unsigned size, uint64_t *val)
{
    struct clint *c = opaque;
    int err = clint_check_access(off, size);
    if (err) return err;
    *val = 0;
    pthread_mutex_lock(&c->lock);
    if (off < CLINT_MTIMECMP_BASE) {
        uint64_t hart = (off - CLINT_MSIP_BASE) / 4;
        if (hart < c->nharts) *val = c->harts[hart].msip;
    } else if (off >= CLINT_MTIME && off < CLINT_MTIME + 8) {
        *val = clint_extract(vclock_ticks(c->clock), off - CLINT_MTIME, size);
    } else {
        uint64_t hart = (off - CLINT_MTIMECMP_BASE) / 8;
        if (hart < c->nharts) *val = clint_extract(c->harts[hart].mtimecmp, off % 8, size);
    }
    pthread_mutex_unlock(&c->lock);
    return 0;
}

static int clint_mmio_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
    struct clint *c = opaque;
    int err = clint_check_access(off, size);
    if (err) return err;
    pthread_mutex_lock(&c->lock);
    if (off < CLINT_MTIMECMP_BASE) {
        uint64_t hart = (off - CLINT_MSIP_BASE) / 4;
        /* Bit 0 is the hart's MSIP; the upper bits are WIRI (ACLINT 2.1). */
        if (hart < c->nharts) {
            c->harts[hart].msip = val & 1;
            irq_set(&c->harts[hart].msip_line, c->harts[hart].msip);
        }
    } else if (off >= CLINT_MTIME && off < CLINT_MTIME + 8) {
        uint64_t now = vclock_ticks(c->clock);
        vclock_set(c->clock, clint_deposit(now, off - CLINT_MTIME, size, val));
        clint_update_locked(c, false);
    } else {
        uint64_t hart = (off - CLINT_MTIMECMP_BASE) / 8;
        if (hart < c->nharts) {
            struct clint_hart *h = &c->harts[hart];
            h->mtimecmp = clint_deposit(h->mtimecmp, off % 8, size, val);
            /* Lower MTIP at once: firmware rewrites mtimecmp precisely to
             * clear a pending timer interrupt and then re-enables it. */
            clint_update_locked(c, false);
        }
    }
    pthread_mutex_unlock(&c->lock);
    return 0;
}

const struct bus_dev_ops clint_ops = {.read = clint_mmio_read, .write = clint_mmio_write};

int clint_save(const struct clint *c, struct stream *s)
{
    pthread_mutex_lock(clint_lock_of(c));
    size_t mark = stream_begin_section(s, CLINT_SAVE_TAG, CLINT_SAVE_VERSION);
    stream_put_u32(s, c->nharts);
    for (unsigned i = 0; i < c->nharts; i++) {
        stream_put_u64(s, c->harts[i].mtimecmp);
        stream_put_u8(s, c->harts[i].msip);
    }
    stream_end_section(s, mark);
    pthread_mutex_unlock(clint_lock_of(c));
    return s->err;
}

int clint_restore(struct clint *c, struct stream *s)
{
    size_t end;
    int err = stream_open_section(s, CLINT_SAVE_TAG, CLINT_SAVE_VERSION, NULL, &end);
    if (err) return err;
    uint32_t nharts = stream_get_u32(s);
    if (!s->err && nharts != c->nharts) s->err = -EINVAL;
    if (s->err) return s->err;
    uint64_t *cmp = calloc(nharts, sizeof(*cmp));
    uint8_t *msip = calloc(nharts, 1);
    if (!cmp || !msip) {
        s->err = -ENOMEM;
        goto out;
    }
    for (unsigned i = 0; i < nharts; i++) {
        cmp[i] = stream_get_u64(s);
        msip[i] = stream_get_u8(s);
        if (msip[i] > 1 && !s->err) s->err = -EINVAL;
    }
    if (stream_close_section(s, end)) goto out;
    pthread_mutex_lock(&c->lock);
    for (unsigned i = 0; i < nharts; i++) {
        c->harts[i].mtimecmp = cmp[i];
        c->harts[i].msip = msip[i];
        irq_set(&c->harts[i].msip_line, msip[i]);
    }
    clint_update_locked(c, true);
    pthread_mutex_unlock(&c->lock);
out:
    free(cmp);
    free(msip);
    return s->err;
}
