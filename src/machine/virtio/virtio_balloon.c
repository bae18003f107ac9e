/* virtio-balloon (virtio 1.x section 5.5): the page lists of the inflate and
 * deflate queues, the statistics buffer the device holds between requests,
 * the free page reporting queue and the config space (num_pages, actual).
 * Every page number and range from the guest is checked against RAM; a
 * page outside RAM, given twice or taken back without having been given is
 * ignored and counted. Host memory is the host's (the discard callback);
 * guest memory is reached only through the virtqueue walker. Must not know
 * transport registers. All state is guarded by the transport's mutex. */
#include "machine/virtio/virtio_balloon.h"

#include "common/ioloop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define BALLOON_CONFIG_SIZE 16 /* num_pages, actual, free_page_hint_cmd_id, poison_val */
#define BALLOON_PFN_SHIFT   12 /* 5.5.6: page numbers are in 4096-byte units */
#define BALLOON_STAT_SIZE   10 /* struct virtio_balloon_stat: le16 tag, le64 val */
#define BALLOON_STATS_MAX   64 /* entries read from one statistics buffer */

#define BALLOON_SAVE_TAG     STREAM_TAG('V', 'B', 'A', 'L')
#define BALLOON_SAVE_VERSION 1

struct virtio_balloon {
    struct virtio_dev_ops ops;
    struct virtio_balloon_config cfg; /* as created: which features are offered */
    struct guest_ram *ram;
    struct virtio_balloon_host host;
    struct ioloop *loop;
    struct ioloop_event *kick; /* a notify: serve the queues on the loop */
    int timer_fd;              /* statistics requests; -1 without a stats queue */
    struct virtio_mmio *t;
    uint32_t target, actual;
    uint32_t interval;
    uint64_t *given; /* one bit per RAM page: in the balloon */
    uint64_t inflated, reported, ignored;
    bool stats_held; /* the driver's statistics buffer is ours until the next request */
    uint16_t stats_head;
    bool stats_valid[VIRTIO_BALLOON_S_NR];
    uint64_t stats[VIRTIO_BALLOON_S_NR];
    struct vq_chain chain; /* scratch for the walker: too big for the stack */
};

/* A run of consecutive pages to discard with one call. */
struct balloon_run {
    uint64_t first, n;
};

static void balloon_flush(struct virtio_balloon *b, struct balloon_run *r)
{
    if (r->n && b->host.discard)
        b->host.discard(b->host.opaque, b->ram, b->ram->base + (r->first << RAM_PAGE_SHIFT),
                        r->n << RAM_PAGE_SHIFT);
    r->n = 0;
}

static void balloon_run_add(struct virtio_balloon *b, struct balloon_run *r, uint64_t page)
{
    if (r->n && page == r->first + r->n) {
        r->n++;
        return;
    }
    balloon_flush(b, r);
    *r = (struct balloon_run){page, 1};
}

static bool given_test(const struct virtio_balloon *b, uint64_t p)
{
    return b->given[p / 64] >> (p % 64) & 1;
}

/* One page number from the inflate (inflate) or deflate queue. */
static void balloon_pfn(struct virtio_balloon *b, struct balloon_run *r, uint32_t pfn, bool inflate)
{
    gpa_t gpa = (gpa_t)pfn << BALLOON_PFN_SHIFT;
    if (!ram_contains(b->ram, gpa, RAM_PAGE_SIZE)) {
        b->ignored++;
        return;
    }
    uint64_t p = (gpa - b->ram->base) >> RAM_PAGE_SHIFT;
    if (given_test(b, p) == inflate) { /* given twice, or never given */
        b->ignored++;
        return;
    }
    b->given[p / 64] ^= 1ULL << (p % 64);
    if (inflate) {
        b->inflated++;
        balloon_run_add(b, r, p);
    } else {
        b->inflated--;
    }
}

/* The readable part of a chain as a byte stream, in whole 32-bit page
 * numbers (a number split across buffers is put together; a trailing
 * partial one is ignored). Writable buffers carry nothing here. */
static void balloon_pfns(struct virtio_balloon *b, const struct vq_chain *c, bool inflate)
{
    struct balloon_run run = {0};
    uint8_t part[4];
    unsigned np = 0;
    for (unsigned k = 0; k < c->nout; k++) {
        const uint8_t *p = c->iov[k].base;
        for (uint32_t i = 0; i < c->iov[k].len; i++) {
            part[np++] = p[i];
            if (np < 4) continue;
            np = 0;
            uint32_t pfn = (uint32_t)part[0] | (uint32_t)part[1] << 8 | (uint32_t)part[2] << 16 |
                           (uint32_t)part[3] << 24;
            balloon_pfn(b, &run, pfn, inflate);
        }
    }
    if (np) b->ignored++;
    balloon_flush(b, &run);
}

/* Whole pages of [gpa, gpa+len) go back to the host (free page reporting). */
static void balloon_report(struct virtio_balloon *b, gpa_t gpa, uint64_t len)
{
    if (!ram_contains(b->ram, gpa, len)) {
        b->ignored++;
        return;
    }
    uint64_t first = (gpa - b->ram->base + RAM_PAGE_SIZE - 1) >> RAM_PAGE_SHIFT;
    uint64_t end = (gpa - b->ram->base + len) >> RAM_PAGE_SHIFT;
    if (end <= first) return;
    struct balloon_run run = {first, end - first};
    b->reported += run.n;
    balloon_flush(b, &run);
}

/* Reads the statistics the driver put in the readable part of a chain. */
static void balloon_read_stats(struct virtio_balloon *b, const struct vq_chain *c)
{
    uint8_t buf[BALLOON_STATS_MAX * BALLOON_STAT_SIZE];
    size_t n = 0;
    for (unsigned k = 0; k < c->nout && n < sizeof(buf); k++) {
        size_t take = c->iov[k].len < sizeof(buf) - n ? c->iov[k].len : sizeof(buf) - n;
        memcpy(buf + n, c->iov[k].base, take);
        n += take;
    }
    for (size_t off = 0; off + BALLOON_STAT_SIZE <= n; off += BALLOON_STAT_SIZE) {
        unsigned tag = buf[off] | (unsigned)buf[off + 1] << 8;
        uint64_t val = 0;
        for (int i = 7; i >= 0; i--)
            val = val << 8 | buf[off + 2 + i];
        if (tag >= VIRTIO_BALLOON_S_NR) continue; /* a newer driver's statistic */
        b->stats[tag] = val;
        b->stats_valid[tag] = true;
    }
}

/* The queue numbers the driver's features give (5.5.2): inflate 0, deflate
 * 1, then statsq and reportingq only when negotiated. -1: not in use. */
static void balloon_queues(struct virtio_balloon *b, struct virtio_mmio *t, int *statsq,
                           int *reportq)
{
    uint64_t f = virtio_mmio_driver_features(t);
    int next = 2;
    *statsq = f & (1ULL << VIRTIO_BALLOON_F_STATS_VQ) ? next++ : -1;
    *reportq = f & (1ULL << VIRTIO_BALLOON_F_REPORTING) ? next++ : -1;
}

enum balloon_queue_kind { BALLOON_INFLATE, BALLOON_DEFLATE, BALLOON_REPORT };

/* Pops and completes every chain of a page queue (mutex held). */
static void balloon_serve_pages(struct virtio_balloon *b, struct virtio_mmio *t, unsigned qi,
                                enum balloon_queue_kind kind)
{
    if (!virtio_mmio_queue_live(t, qi)) return;
    struct vq *q = virtio_mmio_queue(t, qi);
    struct guest_ram *ram = virtio_mmio_ram(t);
    struct vq_chain *c = &b->chain;
    bool pushed = false;
    int ret;
    while ((ret = vq_pop(q, ram, c)) > 0) {
        if (kind == BALLOON_REPORT) {
            for (unsigned k = 0; k < c->nout + c->nin; k++)
                balloon_report(b, c->iov[k].gpa, c->iov[k].len);
        } else {
            balloon_pfns(b, c, kind == BALLOON_INFLATE);
        }
        if (vq_push(q, ram, c->head, 0)) {
            ret = -EINVAL;
            break;
        }
        pushed = true;
    }
    if (pushed) virtio_mmio_used(t, qi);
    if (ret < 0) virtio_mmio_needs_reset(t);
}

/* The statistics queue (5.5.6.3): the device keeps the driver's one buffer
 * and gives it back to ask for fresh values (request: a timer tick); the
 * driver refills it and makes it available again. Mutex held. */
static void balloon_serve_stats(struct virtio_balloon *b, struct virtio_mmio *t, unsigned qi,
                                bool request)
{
    if (!virtio_mmio_queue_live(t, qi)) return;
    struct vq *q = virtio_mmio_queue(t, qi);
    struct guest_ram *ram = virtio_mmio_ram(t);
    if (b->stats_held) {
        if (!request) return;
        if (vq_push(q, ram, b->stats_head, 0)) {
            virtio_mmio_needs_reset(t);
            return;
        }
        b->stats_held = false;
        virtio_mmio_used(t, qi);
        return;
    }
    int ret = vq_pop(q, ram, &b->chain);
    if (ret < 0) virtio_mmio_needs_reset(t);
    if (ret <= 0) return;
    balloon_read_stats(b, &b->chain);
    b->stats_held = true;
    b->stats_head = b->chain.head;
}

static void balloon_serve(struct virtio_balloon *b, struct virtio_mmio *t, bool stats_request)
{
    int statsq, reportq;
    balloon_queues(b, t, &statsq, &reportq);
    balloon_serve_pages(b, t, 0, BALLOON_INFLATE);
    balloon_serve_pages(b, t, 1, BALLOON_DEFLATE);
    if (statsq >= 0) balloon_serve_stats(b, t, (unsigned)statsq, stats_request);
    if (reportq >= 0) balloon_serve_pages(b, t, (unsigned)reportq, BALLOON_REPORT);
}

static void balloon_kick(void *opaque)
{
    struct virtio_balloon *b = opaque;
    if (!b->t) return;
    virtio_mmio_lock(b->t);
    balloon_serve(b, b->t, false);
    virtio_mmio_unlock(b->t);
}

void virtio_balloon_drain(struct virtio_balloon *b, bool stats_request)
{
    if (!b->t) return;
    virtio_mmio_lock(b->t);
    balloon_serve(b, b->t, stats_request);
    virtio_mmio_unlock(b->t);
}

static void balloon_tick(void *opaque, uint32_t events)
{
    struct virtio_balloon *b = opaque;
    uint64_t n;
    if (read(b->timer_fd, &n, sizeof(n)) != (ssize_t)sizeof(n) || !b->t) return;
    virtio_mmio_lock(b->t);
    balloon_serve(b, b->t, true);
    virtio_mmio_unlock(b->t);
}

static void balloon_arm(struct virtio_balloon *b)
{
    if (b->timer_fd < 0) return;
    struct itimerspec its = {.it_interval = {.tv_sec = b->interval},
                             .it_value = {.tv_sec = b->interval}};
    timerfd_settime(b->timer_fd, 0, &its, NULL);
}

static void balloon_notify(void *dev, struct virtio_mmio *t, unsigned q)
{
    struct virtio_balloon *b = dev;
    ioloop_event_post(b->kick);
}

static void balloon_put32(uint8_t *p, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}

static uint64_t balloon_config_read(void *dev, uint64_t off, unsigned size)
{
    struct virtio_balloon *b = dev;
    uint8_t config[BALLOON_CONFIG_SIZE] = {0};
    balloon_put32(config, b->target);
    balloon_put32(config + 4, b->actual);
    return virtio_config_le(config, off, size);
}

/* Only `actual` is the driver's to write (5.5.4). */
static void balloon_config_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    struct virtio_balloon *b = dev;
    for (unsigned k = 0; k < size; k++) {
        uint64_t at = off + k;
        if (at < 4 || at >= 8) continue;
        unsigned sh = 8 * (unsigned)(at - 4);
        b->actual = (b->actual & ~(0xffu << sh)) | (uint32_t)((val >> (8 * k)) & 0xff) << sh;
    }
}

/* A driver reset: the driver owns all its memory again and holds nothing
 * of ours. The host's target stays. */
static void balloon_reset(void *dev)
{
    struct virtio_balloon *b = dev;
    b->actual = 0;
    b->inflated = 0;
    b->stats_held = false;
    memset(b->given, 0, (b->ram->npages + 63) / 64 * sizeof(uint64_t));
}

static int balloon_save(void *dev, struct stream *s)
{
    const struct virtio_balloon *b = dev;
    size_t mark = stream_begin_section(s, BALLOON_SAVE_TAG, BALLOON_SAVE_VERSION);
    stream_put_u32(s, b->target);
    stream_put_u32(s, b->actual);
    stream_put_u32(s, b->interval);
    stream_put_u8(s, b->stats_held);
    stream_put_u32(s, b->stats_head);
    stream_put_u64(s, b->reported);
    stream_put_u64(s, b->ignored);
    uint32_t valid = 0;
    for (unsigned k = 0; k < VIRTIO_BALLOON_S_NR; k++) {
        valid |= (uint32_t)b->stats_valid[k] << k;
        stream_put_u64(s, b->stats[k]);
    }
    stream_put_u32(s, valid);
    stream_put_u64(s, b->ram->npages);
    for (uint64_t w = 0; w < (b->ram->npages + 63) / 64; w++)
        stream_put_u64(s, b->given[w]);
    stream_end_section(s, mark);
    return s->err;
}

/* Everything is read into a copy and checked before any of it is used. */
static int balloon_restore(void *dev, struct stream *s)
{
    struct virtio_balloon *b = dev;
    size_t end;
    int rc = stream_open_section(s, BALLOON_SAVE_TAG, BALLOON_SAVE_VERSION, NULL, &end);
    if (rc) return rc;
    uint64_t words = (b->ram->npages + 63) / 64;
    uint64_t *given = calloc(words, sizeof(uint64_t));
    if (!given) return -ENOMEM;
    uint32_t target = stream_get_u32(s);
    uint32_t actual = stream_get_u32(s);
    uint32_t interval = stream_get_u32(s);
    uint8_t held = stream_get_u8(s);
    uint32_t head = stream_get_u32(s);
    uint64_t reported = stream_get_u64(s);
    uint64_t ignored = stream_get_u64(s);
    uint64_t stats[VIRTIO_BALLOON_S_NR];
    for (unsigned k = 0; k < VIRTIO_BALLOON_S_NR; k++)
        stats[k] = stream_get_u64(s);
    uint32_t valid = stream_get_u32(s);
    uint64_t npages = stream_get_u64(s);
    if (!s->err && npages != b->ram->npages) s->err = -EINVAL;
    uint64_t count = 0;
    for (uint64_t w = 0; w < words && !s->err; w++) {
        given[w] = stream_get_u64(s);
        count += (uint64_t)__builtin_popcountll(given[w]);
    }
    rc = s->err ? s->err : stream_close_section(s, end);
    if (!rc) {
        bool stats_on = b->cfg.stats_interval_s != 0;
        if (target > b->ram->npages || held > 1 || head > 0xffff || valid >> VIRTIO_BALLOON_S_NR ||
            (interval != 0) != stats_on || interval > VIRTIO_BALLOON_MAX_INTERVAL ||
            (held && !stats_on))
            rc = -EINVAL;
        /* Bits past the last page would be pages outside RAM. */
        if (b->ram->npages % 64 && given[words - 1] >> (b->ram->npages % 64)) rc = -EINVAL;
    }
    if (!rc && held && b->t) {
        int statsq, reportq;
        balloon_queues(b, b->t, &statsq, &reportq);
        struct vq *q = statsq >= 0 ? virtio_mmio_queue(b->t, (unsigned)statsq) : NULL;
        if (!q || head >= q->num) rc = -EINVAL;
    }
    if (rc) {
        free(given);
        return rc;
    }
    free(b->given);
    b->given = given;
    b->inflated = count;
    b->target = target;
    b->actual = actual;
    b->interval = interval;
    b->stats_held = held;
    b->stats_head = (uint16_t)head;
    b->reported = reported;
    b->ignored = ignored;
    for (unsigned k = 0; k < VIRTIO_BALLOON_S_NR; k++) {
        b->stats[k] = stats[k];
        b->stats_valid[k] = valid >> k & 1;
    }
    balloon_arm(b);
    /* Pages already in the restored avail rings: serve them as a notify would. */
    if (b->t) ioloop_event_post(b->kick);
    return 0;
}

int virtio_balloon_create(struct virtio_balloon **out, const struct virtio_balloon_config *cfg,
                          struct guest_ram *ram, struct ioloop *loop,
                          const struct virtio_balloon_host *host)
{
    if (cfg->target_pages > ram->npages || cfg->stats_interval_s > VIRTIO_BALLOON_MAX_INTERVAL)
        return -EINVAL;
    struct virtio_balloon *b = calloc(1, sizeof(*b));
    if (!b) return -ENOMEM;
    b->cfg = *cfg;
    b->ram = ram;
    b->host = *host;
    b->loop = loop;
    b->timer_fd = -1;
    b->target = cfg->target_pages;
    b->interval = cfg->stats_interval_s;
    uint64_t f = 0;
    unsigned nq = 2;
    if (cfg->deflate_on_oom) f |= 1ULL << VIRTIO_BALLOON_F_DEFLATE_ON_OOM;
    if (cfg->stats_interval_s) {
        f |= 1ULL << VIRTIO_BALLOON_F_STATS_VQ;
        nq++;
    }
    if (cfg->free_page_reporting) {
        f |= 1ULL << VIRTIO_BALLOON_F_REPORTING;
        nq++;
    }
    b->ops = (struct virtio_dev_ops){
        .device_id = VIRTIO_ID_BALLOON,
        .features = f,
        .num_queues = nq,
        .config_size = BALLOON_CONFIG_SIZE,
        .config_read = balloon_config_read,
        .config_write = balloon_config_write,
        .notify = balloon_notify,
        .reset = balloon_reset,
        .save = balloon_save,
        .restore = balloon_restore,
    };
    int rc = -ENOMEM;
    b->given = calloc((ram->npages + 63) / 64, sizeof(uint64_t));
    if (!b->given) goto fail;
    rc = ioloop_event_new(loop, balloon_kick, b, &b->kick);
    if (rc) goto fail;
    if (cfg->stats_interval_s) {
        b->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (b->timer_fd < 0) {
            rc = -errno;
            goto fail;
        }
        rc = ioloop_add_fd(loop, b->timer_fd, EPOLLIN, balloon_tick, b);
        if (rc) {
            close(b->timer_fd);
            b->timer_fd = -1;
            goto fail;
        }
        balloon_arm(b);
    }
    *out = b;
    return 0;
fail:
    virtio_balloon_destroy(b);
    return rc;
}

void virtio_balloon_destroy(struct virtio_balloon *b)
{
    if (!b) return;
    /* From another thread, these wait for a running callback to finish. */
    if (b->timer_fd >= 0) {
        ioloop_del_fd(b->loop, b->timer_fd);
        close(b->timer_fd);
    }
    ioloop_event_free(b->kick);
    free(b->given);
    free(b);
}

void virtio_balloon_attach(struct virtio_balloon *b, struct virtio_mmio *t)
{
    b->t = t;
}

const struct virtio_dev_ops *virtio_balloon_ops(const struct virtio_balloon *b)
{
    return &b->ops;
}

static void balloon_lock(struct virtio_balloon *b)
{
    if (b->t) virtio_mmio_lock(b->t);
}

static void balloon_unlock(struct virtio_balloon *b)
{
    if (b->t) virtio_mmio_unlock(b->t);
}

int virtio_balloon_set_target(struct virtio_balloon *b, uint32_t pages)
{
    if (pages > b->ram->npages) return -EINVAL;
    balloon_lock(b);
    if (b->target != pages) {
        b->target = pages;
        if (b->t) virtio_mmio_config_changed(b->t);
    }
    balloon_unlock(b);
    return 0;
}

int virtio_balloon_set_stats_interval(struct virtio_balloon *b, uint32_t seconds)
{
    if (b->timer_fd < 0 || seconds == 0 || seconds > VIRTIO_BALLOON_MAX_INTERVAL) return -EINVAL;
    balloon_lock(b);
    b->interval = seconds;
    balloon_arm(b);
    balloon_unlock(b);
    return 0;
}

void virtio_balloon_info(struct virtio_balloon *b, struct virtio_balloon_info *out)
{
    balloon_lock(b);
    *out = (struct virtio_balloon_info){
        .target_pages = b->target,
        .actual_pages = b->actual,
        .inflated_pages = b->inflated,
        .reported_pages = b->reported,
        .ignored_pfns = b->ignored,
        .stats_interval_s = b->interval,
        .deflate_on_oom = b->cfg.deflate_on_oom,
        .free_page_reporting = b->cfg.free_page_reporting,
    };
    memcpy(out->stats_valid, b->stats_valid, sizeof(out->stats_valid));
    memcpy(out->stats, b->stats, sizeof(out->stats));
    balloon_unlock(b);
}
