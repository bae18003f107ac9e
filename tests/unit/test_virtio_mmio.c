/* Unit tests for the virtio-mmio transport, driven through its bus ops with a
 * virtio-rng behind it: probing, feature negotiation, queue setup, a request
 * end to end with the irq line observed, a broken ring (DEVICE_NEEDS_RESET),
 * reset and save/restore. */
#include "machine/virtio/virtio_mmio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/ioloop.h"
#include "machine/virtio/virtio_rng.h"
#include "ut.h"
#include "virtio_regs.h"

UT_MAIN_STATE

#define BASE  0x80000000ULL
#define SIZE  (1ULL << 20)
#define DESC  (BASE + 0x1000)
#define AVAIL (BASE + 0x2000)
#define USED  (BASE + 0x3000)
#define BUF   (BASE + 0x10000)
#define NUM   4

struct rig {
    struct ioloop *loop; /* the rng fills its queue on the I/O thread */
    struct guest_ram ram;
    struct virtio_rng *rng;
    struct virtio_mmio *t;
    int level, sets;
};

static void fake_set(void *opaque, unsigned n, int level)
{
    struct rig *r = opaque;
    r->level = level;
    r->sets++;
}

static void rig_init(struct rig *r)
{
    memset(r, 0, sizeof(*r));
    UT_EQ(ram_create(&r->ram, BASE, SIZE), 0);
    UT_EQ(ioloop_create(&r->loop), 0);
    UT_EQ(ioloop_start(r->loop), 0);
    UT_EQ(virtio_rng_create(&r->rng, r->loop), 0);
    struct irq_line l = {.set = fake_set, .opaque = r, .n = 1};
    UT_EQ(virtio_mmio_create(&r->t, &r->ram, &l, &virtio_rng_ops, r->rng), 0);
    virtio_rng_attach(r->rng, r->t);
}

static void rig_fini(struct rig *r)
{
    virtio_rng_destroy(r->rng);
    virtio_mmio_destroy(r->t);
    ioloop_destroy(r->loop);
    ram_destroy(&r->ram);
}

static uint32_t rd(struct rig *r, uint64_t off)
{
    return vt_read(r->t, off);
}

static void wr(struct rig *r, uint64_t off, uint32_t v)
{
    vt_write(r->t, r->loop, off, v);
}

static void *at(struct rig *r, gpa_t pa)
{
    return r->ram.host + (pa - BASE);
}

/* Linux's probe sequence up to DRIVER_OK, with one queue of NUM entries. */
static void bring_up(struct rig *r, uint32_t feat_hi)
{
    wr(r, 0x70, 0);
    wr(r, 0x70, 1);
    wr(r, 0x70, 3);
    wr(r, 0x24, 1);
    wr(r, 0x20, feat_hi);
    wr(r, 0x24, 0);
    wr(r, 0x20, 0);
    wr(r, 0x70, 0xb);
    UT_EQ(rd(r, 0x70), 0xb);
    wr(r, 0x30, 0);
    UT_EQ(rd(r, 0x44), 0);
    UT_CHECK(rd(r, 0x34) >= NUM);
    vt_queue_setup(r->t, r->loop, 0, NUM, DESC, AVAIL, USED);
    UT_EQ(rd(r, 0x44), 1);
    wr(r, 0x70, 0xf);
    UT_EQ(rd(r, 0x70), 0xf);
}

static void request(struct rig *r, uint16_t idx, uint32_t len)
{
    uint16_t before = (uint16_t)(idx - 1);
    vt_chain(at(r, DESC), at(r, AVAIL), &before, NUM, &(struct vt_buf){BUF, len, true}, 1);
    wr(r, 0x50, 0);
}

static void test_probe(void)
{
    struct rig r;
    rig_init(&r);
    UT_EQ(rd(&r, 0x000), 0x74726976);
    UT_EQ(rd(&r, 0x004), 2);
    UT_EQ(rd(&r, 0x008), 4);
    wr(&r, 0x14, 1);
    UT_EQ(rd(&r, 0x10) & 1, 1); /* VIRTIO_F_VERSION_1 */
    wr(&r, 0x14, 0);
    UT_EQ(rd(&r, 0x10), (1u << 28) | (1u << 29));
    uint64_t v;
    UT_EQ(virtio_mmio_ops.read(r.t, 0x2, 2, &v), -EINVAL); /* not 4 bytes */
    UT_EQ(virtio_mmio_ops.read(r.t, 0x100, 1, &v), 0);     /* empty config space */
    UT_EQ(v, 0);
    rig_fini(&r);
}

static void test_features(void)
{
    struct rig r;
    rig_init(&r);
    /* without VERSION_1, FEATURES_OK does not stick */
    wr(&r, 0x70, 3);
    wr(&r, 0x24, 0);
    wr(&r, 0x20, 0);
    wr(&r, 0x70, 0xb);
    UT_EQ(rd(&r, 0x70), 3);
    /* bits not offered */
    wr(&r, 0x24, 1);
    wr(&r, 0x20, 1 | 2);
    wr(&r, 0x70, 0xb);
    UT_EQ(rd(&r, 0x70), 3);
    /* DRIVER_OK without FEATURES_OK is refused */
    wr(&r, 0x70, 7);
    UT_EQ(rd(&r, 0x70), 3);
    wr(&r, 0x20, 1);
    wr(&r, 0x70, 0xb);
    UT_EQ(rd(&r, 0x70), 0xb);
    rig_fini(&r);
}

static void test_rng_request(void)
{
    struct rig r;
    rig_init(&r);
    bring_up(&r, 1);
    request(&r, 1, 64);
    UT_EQ(*(uint16_t *)at(&r, USED + 2), 1);
    UT_EQ(*(uint32_t *)at(&r, USED + 8), 64);
    uint8_t zero[64] = {0};
    UT_CHECK(memcmp(at(&r, BUF), zero, 64) != 0);
    UT_EQ(r.level, 1);
    UT_EQ(rd(&r, 0x60), 1);
    wr(&r, 0x64, 1);
    UT_EQ(r.level, 0);
    UT_EQ(rd(&r, 0x60), 0);
    request(&r, 2, 16);
    UT_EQ(*(uint16_t *)at(&r, USED + 2), 2);
    UT_EQ(r.level, 1);
    /* queue parameters are frozen while ready */
    wr(&r, 0x38, 2);
    wr(&r, 0x80, 0);
    UT_EQ(rd(&r, 0x80), (uint32_t)DESC);
    rig_fini(&r);
}

static void test_broken_ring(void)
{
    struct rig r;
    rig_init(&r);
    bring_up(&r, 1);
    uint64_t addr = BASE + SIZE - 8; /* runs past RAM */
    uint32_t len = 64;
    uint16_t flags = 2;
    uint8_t *d = at(&r, DESC);
    memcpy(d, &addr, 8);
    memcpy(d + 8, &len, 4);
    memcpy(d + 12, &flags, 2);
    *(uint16_t *)at(&r, AVAIL + 2) = 1;
    wr(&r, 0x50, 0);
    UT_EQ(rd(&r, 0x70) & 0x40, 0x40);
    UT_EQ(rd(&r, 0x60), 2); /* configuration change */
    UT_EQ(r.level, 1);
    UT_EQ(*(uint16_t *)at(&r, USED + 2), 0);
    /* reset clears everything, including the line */
    wr(&r, 0x70, 0);
    UT_EQ(rd(&r, 0x70), 0);
    UT_EQ(rd(&r, 0x60), 0);
    UT_EQ(r.level, 0);
    UT_EQ(rd(&r, 0x44), 0);
    UT_EQ(rd(&r, 0x80), 0);
    /* and the device works again */
    bring_up(&r, 1);
    request(&r, 1, 8);
    UT_EQ(*(uint16_t *)at(&r, USED + 2), 1);
    rig_fini(&r);
}

static void test_bad_queue_setup(void)
{
    struct rig r;
    rig_init(&r);
    wr(&r, 0x70, 3);
    wr(&r, 0x24, 1);
    wr(&r, 0x20, 1);
    wr(&r, 0x70, 0xb);
    wr(&r, 0x30, 0);
    wr(&r, 0x38, 3); /* not a power of two */
    wr(&r, 0x80, (uint32_t)DESC);
    wr(&r, 0x84, 0);
    wr(&r, 0x44, 1);
    UT_EQ(rd(&r, 0x44), 0);
    UT_EQ(rd(&r, 0x70) & 0x40, 0x40);
    /* queue 5 does not exist */
    wr(&r, 0x30, 5);
    UT_EQ(rd(&r, 0x34), 0);
    wr(&r, 0x50, 5);
    rig_fini(&r);
}

static void test_event_idx(void)
{
    struct rig r;
    rig_init(&r);
    bring_up(&r, 1);
    wr(&r, 0x70, 0);
    bring_up(&r, 1 | 0); /* hi word only: event idx is a low bit */
    rig_fini(&r);

    rig_init(&r);
    wr(&r, 0x70, 3);
    wr(&r, 0x24, 1);
    wr(&r, 0x20, 1);
    wr(&r, 0x24, 0);
    wr(&r, 0x20, 1u << 29);
    wr(&r, 0x70, 0xb);
    UT_EQ(rd(&r, 0x70), 0xb);
    wr(&r, 0x38, NUM);
    wr(&r, 0x80, (uint32_t)DESC);
    wr(&r, 0x90, (uint32_t)AVAIL);
    wr(&r, 0xa0, (uint32_t)USED);
    wr(&r, 0x44, 1);
    wr(&r, 0x70, 0xf);
    *(uint16_t *)at(&r, AVAIL + 4 + 2 * NUM) = 5; /* used_event far ahead */
    request(&r, 1, 8);
    UT_EQ(r.level, 1); /* first used buffer always interrupts */
    wr(&r, 0x64, 1);
    request(&r, 2, 8);
    UT_EQ(r.level, 0);                                 /* suppressed */
    UT_EQ(*(uint16_t *)at(&r, USED + 4 + 8 * NUM), 2); /* avail_event */
    rig_fini(&r);
}

static void test_save_restore(void)
{
    struct rig a, b;
    struct stream s;
    rig_init(&a);
    rig_init(&b);
    bring_up(&a, 1);
    request(&a, 1, 8);
    stream_init_writer(&s);
    UT_EQ(virtio_mmio_save(a.t, &s), 0);
    memcpy(b.ram.host, a.ram.host, SIZE);
    struct stream in;
    stream_init_reader(&in, s.buf, s.len);
    UT_EQ(virtio_mmio_restore(b.t, &in), 0);
    UT_EQ(b.level, 1);
    UT_EQ(rd(&b, 0x70), 0xf);
    UT_EQ(rd(&b, 0x44), 1);
    UT_EQ(rd(&b, 0x60), 1);
    request(&b, 2, 8);
    UT_EQ(*(uint16_t *)at(&b, USED + 2), 2);
    /* truncated stream refused, state unchanged */
    struct stream bad;
    stream_init_reader(&bad, s.buf, s.len - 3);
    UT_CHECK(virtio_mmio_restore(a.t, &bad) < 0);
    UT_EQ(rd(&a, 0x70), 0xf);
    stream_free(&s);
    rig_fini(&a);
    rig_fini(&b);
}

int main(void)
{
    ut_run("virtio_mmio_probe", test_probe);
    ut_run("virtio_mmio_features", test_features);
    ut_run("virtio_mmio_rng_request", test_rng_request);
    ut_run("virtio_mmio_broken_ring", test_broken_ring);
    ut_run("virtio_mmio_bad_queue_setup", test_bad_queue_setup);
    ut_run("virtio_mmio_event_idx", test_event_idx);
    ut_run("virtio_mmio_save_restore", test_save_restore);
    return ut_exit();
}
