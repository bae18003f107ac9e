/* Unit tests for virtio-net behind the virtio-mmio transport, with fake
 * rings in guest RAM and a loopback netdev that records what the guest sent
 * and lets the test deliver frames: config space, tx (header stripped, split
 * chains), rx (header written, irq), flow control (no rx buffer -> blocked,
 * resumed when buffers come), and hostile chains (too long, writable tx,
 * readable rx, no room for the header, rx buffer too small, no driver).
 * Queues are served by virtio_net_drain() as the I/O thread would, and once
 * through a running I/O thread. */
#include "machine/virtio/virtio_net.h"

#include "backend/net/netdev.h"
#include "common/ioloop.h"
#include "common/stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ut.h"
#include "virtio_regs.h"

UT_MAIN_STATE

#define BASE (0x80000000ULL)
#define SIZE (1ULL << 20)
#define NUM  8
/* Queue q's rings at BASE + 0x1000 + q * 0x3000. */
#define DESC(q)  (BASE + 0x1000 + (q)*0x3000)
#define AVAIL(q) (DESC(q) + 0x1000)
#define USED(q)  (DESC(q) + 0x2000)
#define BUF      (BASE + 0x10000)
#define BIG      (BASE + 0x40000) /* room for a 64 KiB+ frame */

/* The loopback backend: records sent frames and resumes. */
struct lo {
    struct netdev nd;
    uint8_t last[NETDEV_MAX_FRAME + 64];
    size_t last_len;
    unsigned sent, resumes;
};

static int lo_send(struct netdev *nd, const uint8_t *frame, size_t len)
{
    struct lo *l = (struct lo *)nd;
    memcpy(l->last, frame, len);
    l->last_len = len;
    l->sent++;
    return 0;
}

static void lo_resume(struct netdev *nd)
{
    ((struct lo *)nd)->resumes++;
}

static void lo_close(struct netdev *nd)
{
    (void)nd;
}

static const struct netdev_ops lo_ops = {"loop", lo_send, lo_resume, lo_close};

struct rig {
    struct guest_ram ram;
    struct ioloop *loop;
    struct lo *lo;
    struct virtio_net *net;
    struct virtio_mmio *t;
    uint16_t avail_idx[2];
    int level;
};

static void fake_set(void *opaque, unsigned n, int level)
{
    ((struct rig *)opaque)->level = level;
}

static void *at(struct rig *r, gpa_t pa)
{
    return r->ram.host + (pa - BASE);
}

static uint32_t rd(struct rig *r, uint64_t off)
{
    return vt_read(r->t, off);
}

/* Not served until the test drains the queue. */
static void wr(struct rig *r, uint64_t off, uint32_t v)
{
    vt_write(r->t, NULL, off, v);
}

static void rig_init(struct rig *r)
{
    static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc};
    memset(r, 0, sizeof(*r));
    UT_EQ(ram_create(&r->ram, BASE, SIZE), 0);
    UT_EQ(ioloop_create(&r->loop), 0);
    r->lo = calloc(1, sizeof(*r->lo));
    r->lo->nd.ops = &lo_ops;
    r->lo->nd.loop = r->loop;
    UT_EQ(virtio_net_create(&r->net, &r->lo->nd, mac, r->loop), 0);
    struct irq_line l = {.set = fake_set, .opaque = r, .n = 1};
    UT_EQ(virtio_mmio_create(&r->t, &r->ram, &l, &virtio_net_ops, r->net), 0);
    virtio_net_start(r->net, r->t);
}

static void rig_fini(struct rig *r)
{
    virtio_net_destroy(r->net);
    virtio_mmio_destroy(r->t);
    netdev_close(&r->lo->nd);
    free(r->lo);
    ioloop_destroy(r->loop);
    ram_destroy(&r->ram);
}

/* Linux's probe: every feature offered, both queues of NUM entries. */
static void bring_up(struct rig *r)
{
    vt_accept_features(r->t, NULL);
    for (uint32_t q = 0; q < 2; q++)
        vt_queue_setup(r->t, NULL, q, NUM, DESC(q), AVAIL(q), USED(q));
    wr(r, 0x70, 0xf);
    UT_EQ(rd(r, 0x70), 0xf);
}

/* Puts the chain bufs[0..n) in descriptors 0..n-1 of queue q, makes it
 * available, and notifies. */
static void post(struct rig *r, unsigned q, const struct vt_buf *bufs, unsigned n)
{
    vt_chain(at(r, DESC(q)), at(r, AVAIL(q)), &r->avail_idx[q], NUM, bufs, n);
    wr(r, 0x50, q);
}

static uint16_t used_idx(struct rig *r, unsigned q)
{
    return __atomic_load_n((uint16_t *)at(r, USED(q)) + 1, __ATOMIC_ACQUIRE);
}

/* The length of the last used element of queue q. */
static uint32_t used_len(struct rig *r, unsigned q)
{
    uint32_t len;
    memcpy(&len, (uint8_t *)at(r, USED(q)) + 4 + 8 * ((used_idx(r, q) - 1) % NUM) + 4, 4);
    return len;
}

static bool needs_reset(struct rig *r)
{
    return rd(r, 0x70) & VIRTIO_STATUS_DEVICE_NEEDS_RESET;
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t k = 0; k < n; k++)
        p[k] = (uint8_t)(seed + k * 13);
}

static void test_config(void)
{
    struct rig r;
    rig_init(&r);
    UT_EQ(rd(&r, 0x008), VIRTIO_ID_NET);
    wr(&r, 0x14, 0);
    uint32_t f = rd(&r, 0x10);
    UT_CHECK(f & (1u << VIRTIO_NET_F_MAC));
    UT_CHECK(f & (1u << VIRTIO_NET_F_STATUS));
    uint64_t v;
    UT_EQ(virtio_mmio_ops.read(r.t, 0x100, 4, &v), 0);
    UT_EQ(v, 0xaa005452);
    UT_EQ(virtio_mmio_ops.read(r.t, 0x104, 2, &v), 0);
    UT_EQ(v, 0xccbb);
    UT_EQ(virtio_mmio_ops.read(r.t, 0x106, 2, &v), 0);
    UT_EQ(v, VIRTIO_NET_S_LINK_UP);
    rig_fini(&r);
}

/* The header is dropped, the rest of a split chain is one frame. */
static void test_tx(void)
{
    struct rig r;
    rig_init(&r);
    bring_up(&r);
    uint8_t *b = at(&r, BUF);
    memset(b, 0xee, 12);
    fill(b + 12, 300, 1);
    post(&r, VIRTIO_NET_TXQ,
         (struct vt_buf[]){{BUF, 5, false}, {BUF + 5, 100, false}, {BUF + 105, 207, false}}, 3);
    UT_EQ(r.lo->sent, 0); /* notify only posts to the I/O thread */
    virtio_net_drain(r.net);
    UT_EQ(r.lo->sent, 1);
    UT_EQ(r.lo->last_len, 300);
    UT_CHECK(!memcmp(r.lo->last, b + 12, 300));
    UT_EQ(used_idx(&r, VIRTIO_NET_TXQ), 1);
    UT_EQ(used_len(&r, VIRTIO_NET_TXQ), 0);
    UT_EQ(r.level, 1);
    UT_EQ(r.lo->nd.stats.tx_frames, 1);
    UT_EQ(r.lo->nd.stats.tx_bytes, 300);
    UT_CHECK(!needs_reset(&r));
    rig_fini(&r);
}

/* A frame fills one rx buffer after a 12-byte header with num_buffers 1. */
static void test_rx(void)
{
    struct rig r;
    rig_init(&r);
    bring_up(&r);
    uint8_t frame[60];
    fill(frame, sizeof(frame), 7);
    memset(at(&r, BUF), 0xff, 2048);
    post(&r, VIRTIO_NET_RXQ, (struct vt_buf[]){{BUF, 1526, true}}, 1);
    UT_CHECK(netdev_deliver(&r.lo->nd, frame, sizeof(frame)));
    UT_EQ(used_idx(&r, VIRTIO_NET_RXQ), 1);
    UT_EQ(used_len(&r, VIRTIO_NET_RXQ), 72);
    const uint8_t *b = at(&r, BUF);
    static const uint8_t hdr[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
    UT_CHECK(!memcmp(b, hdr, 12));
    UT_CHECK(!memcmp(b + 12, frame, sizeof(frame)));
    UT_EQ(b[72], 0xff);
    UT_EQ(r.level, 1);
    UT_EQ(r.lo->nd.stats.rx_frames, 1);
    UT_EQ(r.lo->nd.stats.rx_bytes, 60);
    rig_fini(&r);
}

/* No rx buffer: the netdev keeps frames and blocks; buffers resume it and
 * the kept frames arrive in order. */
static void test_rx_flow_control(void)
{
    struct rig r;
    rig_init(&r);
    bring_up(&r);
    uint8_t f1[64], f2[80];
    fill(f1, sizeof(f1), 1);
    fill(f2, sizeof(f2), 2);
    UT_CHECK(!netdev_deliver(&r.lo->nd, f1, sizeof(f1)));
    UT_CHECK(r.lo->nd.blocked);
    UT_CHECK(!netdev_deliver(&r.lo->nd, f2, sizeof(f2)));
    UT_EQ(r.lo->resumes, 0);
    post(&r, VIRTIO_NET_RXQ, (struct vt_buf[]){{BUF, 1526, true}}, 1);
    virtio_net_drain(r.net);
    UT_EQ(used_idx(&r, VIRTIO_NET_RXQ), 1);
    UT_CHECK(r.lo->nd.blocked); /* f2 still waits */
    UT_CHECK(!memcmp((uint8_t *)at(&r, BUF) + 12, f1, sizeof(f1)));
    post(&r, VIRTIO_NET_RXQ, (struct vt_buf[]){{BUF + 2048, 1526, true}}, 1);
    virtio_net_drain(r.net);
    UT_EQ(used_idx(&r, VIRTIO_NET_RXQ), 2);
    UT_EQ(used_len(&r, VIRTIO_NET_RXQ), 92);
    UT_CHECK(!memcmp((uint8_t *)at(&r, BUF + 2048) + 12, f2, sizeof(f2)));
    UT_CHECK(!r.lo->nd.blocked);
    UT_EQ(r.lo->resumes, 1);
    /* Beyond the queue, frames are dropped and counted. */
    for (int k = 0; k < NETDEV_QUEUE_MAX + 3; k++)
        netdev_deliver(&r.lo->nd, f1, sizeof(f1));
    UT_EQ(r.lo->nd.stats.rx_dropped, 3);
    rig_fini(&r);
}

/* Frames from the backend before the driver is up are dropped, not kept. */
static void test_rx_no_driver(void)
{
    struct rig r;
    rig_init(&r);
    uint8_t f[60] = {0};
    UT_CHECK(netdev_deliver(&r.lo->nd, f, sizeof(f)));
    UT_CHECK(!r.lo->nd.blocked);
    UT_EQ(r.lo->nd.stats.rx_dropped, 1);
    rig_fini(&r);
}

/* A frame larger than NETDEV_MAX_FRAME is dropped; the ring keeps working. */
static void test_tx_too_long(void)
{
    struct rig r;
    rig_init(&r);
    bring_up(&r);
    post(&r, VIRTIO_NET_TXQ, (struct vt_buf[]){{BIG, 12 + NETDEV_MAX_FRAME + 1, false}}, 1);
    virtio_net_drain(r.net);
    UT_EQ(r.lo->sent, 0);
    UT_EQ(r.lo->nd.stats.tx_dropped, 1);
    UT_EQ(used_idx(&r, VIRTIO_NET_TXQ), 1);
    UT_CHECK(!needs_reset(&r));
    /* the largest frame allowed goes through */
    post(&r, VIRTIO_NET_TXQ, (struct vt_buf[]){{BIG, 12 + NETDEV_MAX_FRAME, false}}, 1);
    virtio_net_drain(r.net);
    UT_EQ(r.lo->sent, 1);
    UT_EQ(r.lo->last_len, NETDEV_MAX_FRAME);
    rig_fini(&r);
}

/* An rx buffer too small for the frame goes back empty; the frame is lost. */
static void test_rx_buffer_too_small(void)
{
    struct rig r;
    rig_init(&r);
    bring_up(&r);
    uint8_t f[100] = {0};
    post(&r, VIRTIO_NET_RXQ, (struct vt_buf[]){{BUF, 12 + 50, true}}, 1);
    UT_CHECK(netdev_deliver(&r.lo->nd, f, sizeof(f)));
    UT_EQ(used_idx(&r, VIRTIO_NET_RXQ), 1);
    UT_EQ(used_len(&r, VIRTIO_NET_RXQ), 0);
    UT_EQ(r.lo->nd.stats.rx_dropped, 1);
    UT_CHECK(!needs_reset(&r));
    rig_fini(&r);
}

/* Chains that break the rules set DEVICE_NEEDS_RESET. */
static void test_hostile_chains(void)
{
    struct rig r;
    uint8_t f[60] = {0};
    /* tx with a writable buffer */
    rig_init(&r);
    bring_up(&r);
    post(&r, VIRTIO_NET_TXQ, (struct vt_buf[]){{BUF, 100, false}, {BUF + 100, 10, true}}, 2);
    virtio_net_drain(r.net);
    UT_CHECK(needs_reset(&r));
    UT_EQ(r.lo->sent, 0);
    rig_fini(&r);
    /* tx shorter than the header */
    rig_init(&r);
    bring_up(&r);
    post(&r, VIRTIO_NET_TXQ, (struct vt_buf[]){{BUF, 8, false}}, 1);
    virtio_net_drain(r.net);
    UT_CHECK(needs_reset(&r));
    rig_fini(&r);
    /* rx with a readable buffer */
    rig_init(&r);
    bring_up(&r);
    post(&r, VIRTIO_NET_RXQ, (struct vt_buf[]){{BUF, 16, false}, {BUF + 16, 1500, true}}, 2);
    netdev_deliver(&r.lo->nd, f, sizeof(f));
    UT_CHECK(needs_reset(&r));
    rig_fini(&r);
    /* rx buffer with no room for the header */
    rig_init(&r);
    bring_up(&r);
    post(&r, VIRTIO_NET_RXQ, (struct vt_buf[]){{BUF, 8, true}}, 1);
    netdev_deliver(&r.lo->nd, f, sizeof(f));
    UT_CHECK(needs_reset(&r));
    rig_fini(&r);
    /* a buffer outside RAM */
    rig_init(&r);
    bring_up(&r);
    post(&r, VIRTIO_NET_TXQ, (struct vt_buf[]){{BASE + SIZE - 8, 64, false}}, 1);
    virtio_net_drain(r.net);
    UT_CHECK(needs_reset(&r));
    UT_EQ(r.lo->sent, 0);
    rig_fini(&r);
}

/* The real path: the notify posts an event, the I/O thread sends. */
static void test_io_thread(void)
{
    struct rig r;
    rig_init(&r);
    bring_up(&r);
    UT_EQ(ioloop_start(r.loop), 0);
    fill(at(&r, BUF), 112, 3);
    post(&r, VIRTIO_NET_TXQ, (struct vt_buf[]){{BUF, 112, false}}, 1);
    for (int k = 0; k < 5000 && used_idx(&r, VIRTIO_NET_TXQ) == 0; k++)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    UT_EQ(used_idx(&r, VIRTIO_NET_TXQ), 1);
    struct netdev_stats s;
    netdev_get_stats(&r.lo->nd, &s);
    UT_EQ(s.tx_frames, 1);
    UT_EQ(s.tx_bytes, 100);
    rig_fini(&r);
}

static void snap(struct rig *r, struct stream *s)
{
    vt_save(r->t, &virtio_net_ops, r->net, s);
}

static int unsnap(struct rig *r, const struct stream *from, size_t len)
{
    return vt_restore(r->t, &virtio_net_ops, r->net, from, len);
}

/* A snapshot taken with a frame sent by the driver but not yet served and
 * two frames kept for lack of rx buffers: the restored device (fresh
 * backend, same RAM) sends the frame once, hands the kept frames over in
 * order when buffers come, and keeps the counters. */
static void test_snapshot_round_trip(void)
{
    struct rig a, b;
    rig_init(&a);
    bring_up(&a);
    uint8_t f1[64], f2[80], f3[60];
    fill(f1, sizeof(f1), 1);
    fill(f2, sizeof(f2), 2);
    fill(f3, sizeof(f3), 3);
    post(&a, VIRTIO_NET_RXQ, (struct vt_buf[]){{BUF, 1526, true}}, 1);
    virtio_net_drain(a.net);
    UT_CHECK(netdev_deliver(&a.lo->nd, f3, sizeof(f3))); /* counted: rx 1 frame */
    UT_CHECK(!netdev_deliver(&a.lo->nd, f1, sizeof(f1)));
    UT_CHECK(!netdev_deliver(&a.lo->nd, f2, sizeof(f2)));
    memset(at(&a, BUF + 4096), 0, 12);
    fill((uint8_t *)at(&a, BUF + 4096) + 12, 100, 9);
    post(&a, VIRTIO_NET_TXQ, (struct vt_buf[]){{BUF + 4096, 112, false}}, 1);
    UT_EQ(a.lo->sent, 0); /* not drained: still in the ring */
    struct stream s;
    snap(&a, &s);

    rig_init(&b);
    memcpy(b.ram.host, a.ram.host, SIZE);
    UT_EQ(unsnap(&b, &s, s.len), 0);
    UT_EQ(b.lo->nd.stats.rx_frames, 1);
    UT_EQ(b.lo->nd.stats.rx_bytes, sizeof(f3));
    UT_CHECK(b.lo->nd.blocked);
    b.avail_idx[VIRTIO_NET_RXQ] = a.avail_idx[VIRTIO_NET_RXQ];
    b.avail_idx[VIRTIO_NET_TXQ] = a.avail_idx[VIRTIO_NET_TXQ];
    virtio_net_drain(b.net);
    UT_EQ(b.lo->sent, 1);
    UT_EQ(b.lo->last_len, 100);
    UT_CHECK(!memcmp(b.lo->last, (uint8_t *)at(&b, BUF + 4096) + 12, 100));
    UT_EQ(used_idx(&b, VIRTIO_NET_TXQ), 1);
    post(&b, VIRTIO_NET_RXQ, (struct vt_buf[]){{BUF + 8192, 1526, true}}, 1);
    virtio_net_drain(b.net);
    UT_EQ(used_idx(&b, VIRTIO_NET_RXQ), 2);
    UT_CHECK(!memcmp((uint8_t *)at(&b, BUF + 8192) + 12, f1, sizeof(f1)));
    UT_CHECK(b.lo->nd.blocked); /* f2 still waits */
    post(&b, VIRTIO_NET_RXQ, (struct vt_buf[]){{BUF + 12288, 1526, true}}, 1);
    virtio_net_drain(b.net);
    UT_EQ(used_idx(&b, VIRTIO_NET_RXQ), 3);
    UT_CHECK(!memcmp((uint8_t *)at(&b, BUF + 12288) + 12, f2, sizeof(f2)));
    UT_CHECK(!b.lo->nd.blocked);
    UT_EQ(b.lo->nd.stats.rx_frames, 3);
    UT_EQ(b.lo->nd.stats.tx_frames, 1);
    rig_fini(&b);

    /* Another MAC, every truncation and a kept frame past the queue's
     * size are refused. */
    uint8_t *mac = memmem(s.buf, s.len, (const uint8_t[]){0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc}, 6);
    UT_CHECK(mac != NULL);
    mac[5] ^= 1;
    rig_init(&b);
    UT_EQ(unsnap(&b, &s, s.len), -EINVAL);
    rig_fini(&b);
    mac[5] ^= 1;
    for (size_t n = 0; n < s.len; n += 5) {
        rig_init(&b);
        UT_CHECK(unsnap(&b, &s, n) != 0);
        rig_fini(&b);
    }
    for (int k = 0; k < NETDEV_QUEUE_MAX; k++)
        netdev_deliver(&a.lo->nd, f1, sizeof(f1));
    UT_EQ(a.lo->nd.qlen, NETDEV_QUEUE_MAX);
    stream_free(&s);
    snap(&a, &s);
    /* The kept-frame count follows the NDEV header (16 bytes) and the six
     * counters. */
    uint8_t *ndev = memmem(s.buf, s.len, "NDEV", 4);
    UT_CHECK(ndev != NULL && ndev[64] == NETDEV_QUEUE_MAX);
    ndev[64]++;
    rig_init(&b);
    UT_EQ(unsnap(&b, &s, s.len), -EINVAL);
    rig_fini(&b);
    stream_free(&s);
    rig_fini(&a);
}

int main(void)
{
    ut_run("virtio_net_config", test_config);
    ut_run("virtio_net_tx", test_tx);
    ut_run("virtio_net_rx", test_rx);
    ut_run("virtio_net_rx_flow_control", test_rx_flow_control);
    ut_run("virtio_net_rx_no_driver", test_rx_no_driver);
    ut_run("virtio_net_tx_too_long", test_tx_too_long);
    ut_run("virtio_net_rx_buffer_too_small", test_rx_buffer_too_small);
    ut_run("virtio_net_hostile_chains", test_hostile_chains);
    ut_run("virtio_net_io_thread", test_io_thread);
    ut_run("virtio_net_snapshot_round_trip", test_snapshot_round_trip);
    return ut_exit();
}
