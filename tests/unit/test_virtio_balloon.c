/* Unit tests for virtio-balloon behind the virtio-mmio transport, with fake
 * rings in a small RAM and the real I/O thread: inflated pages go to the
 * host in coalesced runs and read as zeroes (translated code on them is
 * dropped), hostile page numbers (outside RAM, on MMIO, repeated, split or
 * cut short) are ignored, deflate gives pages back, the driver's `actual`
 * and the host's target meet in config space, statistics arrive and are
 * requested again, free page reporting discards whole pages only, the
 * queues move with the negotiated features, and the state (target, actual,
 * pages given up, the held statistics buffer) survives save/restore. Also
 * ram_discard on a snapshot's memory file: the file never changes. */
#include "machine/virtio/virtio_balloon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/ioloop.h"
#include "common/stream.h"
#include "ut.h"
#include "virtio_regs.h"

UT_MAIN_STATE

#define BASE  0x80000000ULL
#define SIZE  (1ULL << 20)
#define NUM   8
#define BUF   (BASE + 0x40000)
#define PAGES (BASE + 0x80000) /* the pages the tests inflate */

#define MAXD 64

struct rig {
    struct ioloop *loop;
    struct guest_ram ram;
    struct virtio_balloon *dev;
    struct virtio_mmio *t;
    int level;
    gpa_t dgpa[MAXD];
    uint64_t dlen[MAXD];
    unsigned nd;
    uint16_t avail_idx[4];
};

static gpa_t ring(unsigned q, unsigned k)
{
    return BASE + 0x1000 + 0x3000 * q + 0x1000 * k;
}

static void fake_set(void *opaque, unsigned n, int level)
{
    ((struct rig *)opaque)->level = level;
}

static void host_discard(void *opaque, struct guest_ram *ram, gpa_t gpa, uint64_t len)
{
    struct rig *r = opaque;
    if (r->nd < MAXD) {
        r->dgpa[r->nd] = gpa;
        r->dlen[r->nd] = len;
    }
    r->nd++;
    UT_EQ(ram_discard(ram, gpa, len), 0);
}

static void rig_init(struct rig *r, const struct virtio_balloon_config *cfg)
{
    memset(r, 0, sizeof(*r));
    UT_EQ(ram_create(&r->ram, BASE, SIZE), 0);
    UT_EQ(ioloop_create(&r->loop), 0);
    UT_EQ(ioloop_start(r->loop), 0);
    struct virtio_balloon_host h = {.discard = host_discard, .opaque = r};
    UT_EQ(virtio_balloon_create(&r->dev, cfg, &r->ram, r->loop, &h), 0);
    struct irq_line l = {.set = fake_set, .opaque = r, .n = 1};
    UT_EQ(virtio_mmio_create(&r->t, &r->ram, &l, virtio_balloon_ops(r->dev), r->dev), 0);
    virtio_balloon_attach(r->dev, r->t);
}

static void rig_fini(struct rig *r)
{
    virtio_balloon_destroy(r->dev);
    virtio_mmio_destroy(r->t);
    ioloop_destroy(r->loop);
    ram_destroy(&r->ram);
}

static void *at(struct rig *r, gpa_t pa)
{
    return r->ram.host + (pa - BASE);
}

static void wr(struct rig *r, uint64_t off, uint32_t v)
{
    vt_write(r->t, r->loop, off, v);
}

/* Linux's probe: every offered feature accepted, nq queues, DRIVER_OK. */
static void bring_up(struct rig *r, unsigned nq)
{
    memset(r->avail_idx, 0, sizeof(r->avail_idx));
    memset(at(r, BASE), 0, 0x10000);
    vt_accept_features(r->t, r->loop);
    for (unsigned q = 0; q < nq; q++)
        vt_queue_setup(r->t, r->loop, q, NUM, ring(q, 0), ring(q, 1), ring(q, 2));
    wr(r, 0x70, 0xf);
    UT_EQ(vt_read(r->t, 0x70), 0xf);
}

/* Posts one chain on queue q and notifies; the I/O thread has served it
 * when this returns. */
static void post(struct rig *r, unsigned q, const struct vt_buf *bufs, unsigned n)
{
    vt_chain(at(r, ring(q, 0)), at(r, ring(q, 1)), &r->avail_idx[q], NUM, bufs, n);
    wr(r, 0x50, q);
}

static uint16_t used_idx(struct rig *r, unsigned q)
{
    return __atomic_load_n((uint16_t *)at(r, ring(q, 2)) + 1, __ATOMIC_ACQUIRE);
}

/* Writes page numbers to BUF + off and posts them as one readable buffer. */
static void post_pfns(struct rig *r, unsigned q, const uint32_t *pfns, unsigned n)
{
    memcpy(at(r, BUF + 0x1000 * q), pfns, 4 * n);
    struct vt_buf b = {BUF + 0x1000 * q, 4 * n, false};
    post(r, q, &b, 1);
}

static uint32_t pfn(gpa_t pa)
{
    return (uint32_t)(pa >> 12);
}

static struct virtio_balloon_info info(struct rig *r)
{
    struct virtio_balloon_info i;
    virtio_balloon_info(r->dev, &i);
    return i;
}

static bool page_zero(struct rig *r, gpa_t pa)
{
    const uint8_t *p = at(r, pa);
    for (unsigned k = 0; k < 4096; k++)
        if (p[k]) return false;
    return true;
}

static void test_probe(void)
{
    struct rig r;
    struct virtio_balloon_config cfg = {.target_pages = 16, .deflate_on_oom = true};
    rig_init(&r, &cfg);
    UT_EQ(vt_read(r.t, 0x008), VIRTIO_ID_BALLOON);
    vt_write(r.t, NULL, 0x14, 0);
    UT_EQ(vt_read(r.t, 0x10) & 0xffffff, 1u << VIRTIO_BALLOON_F_DEFLATE_ON_OOM);
    uint64_t v = 0;
    UT_EQ(virtio_mmio_ops.read(r.t, 0x100, 4, &v), 0);
    UT_EQ(v, 16);
    wr(&r, 0x30, 2); /* no stats or reporting queue offered */
    UT_EQ(vt_read(r.t, 0x34), 0);
    rig_fini(&r);

    cfg = (struct virtio_balloon_config){.stats_interval_s = 1, .free_page_reporting = true};
    rig_init(&r, &cfg);
    vt_write(r.t, NULL, 0x14, 0);
    UT_EQ(vt_read(r.t, 0x10) & 0xffffff,
          1u << VIRTIO_BALLOON_F_STATS_VQ | 1u << VIRTIO_BALLOON_F_REPORTING);
    wr(&r, 0x30, 3);
    UT_EQ(vt_read(r.t, 0x34), VQ_MAX_SIZE);
    rig_fini(&r);

    /* A target above RAM is refused. */
    struct virtio_balloon *b;
    struct guest_ram ram;
    UT_EQ(ram_create(&ram, BASE, SIZE), 0);
    struct ioloop *loop;
    UT_EQ(ioloop_create(&loop), 0);
    cfg = (struct virtio_balloon_config){.target_pages = SIZE / 4096 + 1};
    struct virtio_balloon_host h = {0};
    UT_EQ(virtio_balloon_create(&b, &cfg, &ram, loop, &h), -EINVAL);
    ioloop_destroy(loop);
    ram_destroy(&ram);
}

static void test_inflate_deflate(void)
{
    struct rig r;
    struct virtio_balloon_config cfg = {0};
    rig_init(&r, &cfg);
    bring_up(&r, 2);
    for (unsigned k = 0; k < 4; k++)
        memset(at(&r, PAGES + 0x1000 * k), 0xa5, 4096);
    /* Translated code on a page is dropped with it. */
    uint64_t code = (PAGES + 0x1000 - BASE) >> 12;
    uint32_t gen = ram_mark_code(&r.ram, code);
    /* Three consecutive pages, one apart: two runs. */
    uint32_t in[] = {pfn(PAGES), pfn(PAGES + 0x1000), pfn(PAGES + 0x2000), pfn(PAGES + 0x8000)};
    post_pfns(&r, 0, in, 4);
    UT_EQ(used_idx(&r, 0), 1);
    UT_EQ(r.level, 1);
    UT_EQ(r.nd, 2);
    UT_EQ(r.dgpa[0], PAGES);
    UT_EQ(r.dlen[0], 0x3000);
    UT_EQ(r.dgpa[1], PAGES + 0x8000);
    UT_EQ(r.dlen[1], 0x1000);
    UT_CHECK(page_zero(&r, PAGES) && page_zero(&r, PAGES + 0x2000));
    UT_CHECK(!page_zero(&r, PAGES + 0x3000)); /* not given: untouched */
    UT_CHECK(r.ram.code_gen[code] != gen);
    UT_EQ(r.ram.code_page[code], 0);
    UT_EQ(info(&r).inflated_pages, 4);
    UT_EQ(r.ram.discarded_pages, 4);

    /* The driver tells its count in config space. */
    UT_EQ(virtio_mmio_ops.write(r.t, 0x104, 4, 4), 0);
    UT_EQ(info(&r).actual_pages, 4);
    uint64_t v;
    UT_EQ(virtio_mmio_ops.read(r.t, 0x104, 4, &v), 0);
    UT_EQ(v, 4);
    UT_EQ(virtio_mmio_ops.write(r.t, 0x100, 4, 99), 0); /* num_pages is the host's */
    UT_EQ(info(&r).target_pages, 0);

    /* Deflate two of them, and one that was never given. */
    uint32_t out[] = {pfn(PAGES), pfn(PAGES + 0x8000), pfn(PAGES + 0x4000)};
    post_pfns(&r, 1, out, 3);
    UT_EQ(used_idx(&r, 1), 1);
    struct virtio_balloon_info i = info(&r);
    UT_EQ(i.inflated_pages, 2);
    UT_EQ(i.ignored_pfns, 1);
    UT_EQ(r.nd, 2); /* deflating costs no discard */
    /* The page taken back is the guest's again and reads as zeroes. */
    UT_CHECK(page_zero(&r, PAGES));
    rig_fini(&r);
}

/* Page numbers a hostile driver may send: outside RAM, on MMIO (the UART),
 * the same page twice, a number split across two buffers, a trailing
 * partial number, a writable buffer. None reaches the host but the good
 * ones, and the device goes on working. */
static void test_hostile_pfns(void)
{
    struct rig r;
    struct virtio_balloon_config cfg = {0};
    rig_init(&r, &cfg);
    bring_up(&r, 2);
    uint32_t bad[] = {0,           pfn(0x10000000), pfn(BASE) - 1, pfn(BASE + SIZE),
                      0xffffffffu, pfn(PAGES),      pfn(PAGES)};
    post_pfns(&r, 0, bad, 7);
    UT_EQ(used_idx(&r, 0), 1);
    UT_EQ(r.nd, 1);
    UT_EQ(r.dgpa[0], PAGES);
    struct virtio_balloon_info i = info(&r);
    UT_EQ(i.inflated_pages, 1);
    UT_EQ(i.ignored_pfns, 6);

    /* A number split across two descriptors (2 + 3 bytes: one whole number
     * and a trailing byte), then a writable buffer that carries nothing. */
    uint32_t p = pfn(PAGES + 0x5000);
    memcpy(at(&r, BUF), &p, 2);
    memcpy(at(&r, BUF + 0x800), (uint8_t *)&p + 2, 2);
    *(uint8_t *)at(&r, BUF + 0x802) = 0x7f;
    struct vt_buf split[] = {{BUF, 2, false}, {BUF + 0x800, 3, false}, {BUF + 0x900, 64, true}};
    post(&r, 0, split, 3);
    UT_EQ(used_idx(&r, 0), 2);
    UT_EQ(r.nd, 2);
    UT_EQ(r.dgpa[1], PAGES + 0x5000);
    UT_EQ(info(&r).ignored_pfns, 7);

    /* A buffer outside RAM breaks the ring: DEVICE_NEEDS_RESET, nothing
     * discarded; a reset brings the device back with nothing given. */
    struct vt_buf out = {BASE + SIZE - 8, 16, false};
    post(&r, 0, &out, 1);
    UT_CHECK(vt_read(r.t, 0x70) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
    UT_EQ(r.nd, 2);
    bring_up(&r, 2);
    UT_EQ(info(&r).inflated_pages, 0);
    uint32_t again = pfn(PAGES);
    post_pfns(&r, 0, &again, 1);
    UT_EQ(used_idx(&r, 0), 1);
    UT_EQ(info(&r).inflated_pages, 1);
    rig_fini(&r);
}

static void test_target(void)
{
    struct rig r;
    struct virtio_balloon_config cfg = {0};
    rig_init(&r, &cfg);
    bring_up(&r, 2);
    uint32_t gen = vt_read(r.t, 0xfc);
    UT_EQ(virtio_balloon_set_target(r.dev, 32), 0);
    UT_EQ(vt_read(r.t, 0x60) & 2, 2); /* configuration change interrupt */
    UT_EQ(r.level, 1);
    UT_CHECK(vt_read(r.t, 0xfc) != gen);
    uint64_t v;
    UT_EQ(virtio_mmio_ops.read(r.t, 0x100, 4, &v), 0);
    UT_EQ(v, 32);
    UT_EQ(virtio_balloon_set_target(r.dev, SIZE / 4096 + 1), -EINVAL);
    UT_EQ(info(&r).target_pages, 32);
    UT_EQ(virtio_balloon_set_stats_interval(r.dev, 5), -EINVAL); /* no stats queue */
    rig_fini(&r);
}

static void put_stat(uint8_t *p, uint16_t tag, uint64_t val)
{
    memcpy(p, &tag, 2);
    memcpy(p + 2, &val, 8);
}

/* Waits (bounded) for the device to give the statistics buffer back. */
static bool wait_used(struct rig *r, unsigned q, uint16_t want)
{
    for (int k = 0; k < 500; k++) {
        if (used_idx(r, q) == want) return true;
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    return false;
}

static void test_stats(void)
{
    struct rig r;
    struct virtio_balloon_config cfg = {.stats_interval_s = 1};
    rig_init(&r, &cfg);
    bring_up(&r, 3);
    uint8_t *s = at(&r, BUF);
    put_stat(s, VIRTIO_BALLOON_S_MEMFREE, 100 << 20);
    put_stat(s + 10, VIRTIO_BALLOON_S_MEMTOT, 256 << 20);
    put_stat(s + 20, 77, 5); /* unknown tag: skipped */
    struct vt_buf b = {BUF, 30, false};
    post(&r, 2, &b, 1);
    struct virtio_balloon_info i = info(&r);
    UT_CHECK(i.stats_valid[VIRTIO_BALLOON_S_MEMFREE] && i.stats_valid[VIRTIO_BALLOON_S_MEMTOT]);
    UT_CHECK(!i.stats_valid[VIRTIO_BALLOON_S_SWAP_IN]);
    UT_EQ(i.stats[VIRTIO_BALLOON_S_MEMFREE], 100 << 20);
    UT_EQ(i.stats[VIRTIO_BALLOON_S_MEMTOT], 256 << 20);
    UT_EQ(used_idx(&r, 2), 0); /* the device holds the buffer */
    /* The next request gives it back, the driver refills it. */
    UT_CHECK(wait_used(&r, 2, 1));
    put_stat(s, VIRTIO_BALLOON_S_MEMFREE, 50 << 20);
    post(&r, 2, &b, 1);
    UT_EQ(info(&r).stats[VIRTIO_BALLOON_S_MEMFREE], 50 << 20);
    UT_EQ(virtio_balloon_set_stats_interval(r.dev, 0), -EINVAL);
    UT_EQ(virtio_balloon_set_stats_interval(r.dev, 2), 0);
    UT_EQ(info(&r).stats_interval_s, 2);
    rig_fini(&r);
}

static void test_reporting(void)
{
    /* Without the stats queue, reporting is queue 2. */
    struct rig r;
    struct virtio_balloon_config cfg = {.free_page_reporting = true};
    rig_init(&r, &cfg);
    bring_up(&r, 3);
    memset(at(&r, PAGES), 0x5a, 0x6000);
    /* A whole 8 KiB range, a misaligned one (only its one whole page goes),
     * one outside RAM and one too short to hold a page. */
    struct vt_buf rep[] = {{PAGES, 0x2000, true},
                           {PAGES + 0x2800, 0x2000, true},
                           {BASE + SIZE - 0x1000, 0x1000, true},
                           {PAGES + 0x5100, 0x800, true}};
    post(&r, 2, rep, 4);
    UT_EQ(used_idx(&r, 2), 1);
    UT_EQ(r.nd, 3);
    UT_EQ(r.dgpa[0], PAGES);
    UT_EQ(r.dlen[0], 0x2000);
    UT_EQ(r.dgpa[1], PAGES + 0x3000);
    UT_EQ(r.dlen[1], 0x1000);
    UT_CHECK(page_zero(&r, PAGES + 0x3000));
    UT_CHECK(!page_zero(&r, PAGES + 0x2000) && !page_zero(&r, PAGES + 0x5000));
    struct virtio_balloon_info i = info(&r);
    UT_EQ(i.reported_pages, 4);
    UT_EQ(i.inflated_pages, 0); /* reported pages stay the guest's */
    rig_fini(&r);

    /* With both, stats is 2 and reporting 3; a driver that refuses the
     * stats queue gets reporting at 2. */
    cfg.stats_interval_s = 60;
    rig_init(&r, &cfg);
    vt_write(r.t, r.loop, 0x70, 0);
    vt_write(r.t, r.loop, 0x70, 3);
    vt_write(r.t, r.loop, 0x24, 0);
    vt_write(r.t, r.loop, 0x20, 1u << VIRTIO_BALLOON_F_REPORTING);
    vt_write(r.t, r.loop, 0x24, 1);
    vt_write(r.t, r.loop, 0x20, 1);
    vt_write(r.t, r.loop, 0x70, 0xb);
    memset(at(&r, BASE), 0, 0x10000);
    for (unsigned q = 0; q < 3; q++)
        vt_queue_setup(r.t, r.loop, q, NUM, ring(q, 0), ring(q, 1), ring(q, 2));
    wr(&r, 0x70, 0xf);
    struct vt_buf one = {PAGES, 0x1000, true};
    post(&r, 2, &one, 1);
    UT_EQ(used_idx(&r, 2), 1);
    UT_EQ(info(&r).reported_pages, 1);
    rig_fini(&r);
}

static void save(struct rig *r, struct stream *s)
{
    vt_save(r->t, virtio_balloon_ops(r->dev), r->dev, s);
}

static int restore(struct rig *r, const struct stream *from, size_t len)
{
    return vt_restore(r->t, virtio_balloon_ops(r->dev), r->dev, from, len);
}

static void test_save_restore(void)
{
    struct rig a, b;
    struct virtio_balloon_config cfg = {.target_pages = 8, .stats_interval_s = 600};
    rig_init(&a, &cfg);
    bring_up(&a, 3);
    uint32_t in[] = {pfn(PAGES), pfn(PAGES + 0x3000), pfn(BASE + SIZE - 0x1000)};
    post_pfns(&a, 0, in, 3);
    UT_EQ(virtio_mmio_ops.write(a.t, 0x104, 4, 3), 0);
    put_stat(at(&a, BUF), VIRTIO_BALLOON_S_AVAIL, 1234);
    struct vt_buf sb = {BUF, 10, false};
    post(&a, 2, &sb, 1);
    struct stream s;
    save(&a, &s);

    /* A fresh device on the same RAM takes it all. */
    rig_init(&b, &cfg);
    memcpy(b.ram.host, a.ram.host, SIZE);
    UT_EQ(restore(&b, &s, s.len), 0);
    struct virtio_balloon_info i = info(&b);
    UT_EQ(i.target_pages, 8);
    UT_EQ(i.actual_pages, 3);
    UT_EQ(i.inflated_pages, 3);
    UT_EQ(i.stats[VIRTIO_BALLOON_S_AVAIL], 1234);
    UT_CHECK(i.stats_valid[VIRTIO_BALLOON_S_AVAIL]);
    /* The given pages are known: deflating them counts, again does not. */
    uint32_t out[] = {pfn(PAGES + 0x3000), pfn(PAGES + 0x3000)};
    post_pfns(&b, 1, out, 2);
    i = info(&b);
    UT_EQ(i.inflated_pages, 2);
    UT_EQ(i.ignored_pfns, 1);
    rig_fini(&b);

    /* A device built differently (no stats queue) refuses the device's
     * section, and so does a truncated one. */
    struct stream d;
    stream_init_writer(&d);
    UT_EQ(virtio_balloon_ops(a.dev)->save(a.dev, &d), 0);
    struct virtio_balloon_config other = {.target_pages = 8};
    rig_init(&b, &other);
    struct stream in2;
    stream_init_reader(&in2, d.buf, d.len);
    UT_EQ(virtio_balloon_ops(b.dev)->restore(b.dev, &in2), -EINVAL);
    rig_fini(&b);
    rig_init(&b, &cfg);
    stream_init_reader(&in2, d.buf, d.len - 1);
    UT_CHECK(virtio_balloon_ops(b.dev)->restore(b.dev, &in2) != 0);
    UT_EQ(info(&b).target_pages, 8); /* nothing taken from a bad section */
    UT_EQ(info(&b).inflated_pages, 0);
    rig_fini(&b);
    stream_free(&d);
    stream_free(&s);
    rig_fini(&a);
}

/* Discarding RAM mapped from a snapshot's memory file: the pages read as
 * zeroes, their neighbours keep the file's bytes, the file is unchanged. */
static void test_ram_discard_file(void)
{
    char path[] = "/tmp/rvmm-balloon-XXXXXX";
    int fd = mkstemp(path);
    UT_CHECK(fd >= 0);
    uint8_t *pattern = malloc(SIZE);
    for (size_t k = 0; k < SIZE; k++)
        pattern[k] = (uint8_t)(k * 7 + 1);
    UT_EQ(write(fd, pattern, SIZE), (ssize_t)SIZE);
    struct guest_ram ram;
    UT_EQ(ram_create_from_file(&ram, BASE, SIZE, path), 0);
    UT_CHECK(ram.file_backed);
    ram.host[0x3000] = 0xee; /* a private copy */
    UT_EQ(ram_discard(&ram, BASE + 0x2000, 0x2000), 0);
    UT_EQ(ram.host[0x2000], 0);
    UT_EQ(ram.host[0x3fff], 0);
    UT_EQ(ram.host[0x1fff], pattern[0x1fff]);
    UT_EQ(ram.host[0x4000], pattern[0x4000]);
    ram.host[0x2000] = 1;                               /* the new page is private and writable */
    UT_EQ(ram_discard(&ram, BASE + 0x2000, 0x1000), 0); /* again, over anonymous memory */
    UT_EQ(ram.host[0x2000], 0);
    UT_EQ(ram_discard(&ram, BASE + 0x2001, 0x1000), -EINVAL);
    UT_EQ(ram_discard(&ram, BASE + SIZE, 0x1000), -EINVAL);
    ram_destroy(&ram);
    uint8_t *now = malloc(SIZE);
    UT_EQ(pread(fd, now, SIZE, 0), (ssize_t)SIZE);
    UT_CHECK(memcmp(now, pattern, SIZE) == 0);
    free(now);
    free(pattern);
    close(fd);
    unlink(path);
}

int main(void)
{
    ut_run("virtio_balloon_probe", test_probe);
    ut_run("virtio_balloon_inflate_deflate", test_inflate_deflate);
    ut_run("virtio_balloon_hostile_pfns", test_hostile_pfns);
    ut_run("virtio_balloon_target", test_target);
    ut_run("virtio_balloon_stats", test_stats);
    ut_run("virtio_balloon_reporting", test_reporting);
    ut_run("virtio_balloon_save_restore", test_save_restore);
    ut_run("ram_discard_file", test_ram_discard_file);
    return ut_exit();
}
