/* Unit tests for virtio-console behind the virtio-mmio transport, with fake
 * rings in a small RAM, the real I/O thread and a fake host: output reaches
 * the host whole and once, a full host leaves the buffer in the ring until
 * it resumes, input fills receive buffers (and nothing past them), broken
 * chains set DEVICE_NEEDS_RESET and a reset brings the device back. */
#include "machine/virtio/virtio_console.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/ioloop.h"
#include "common/stream.h"
#include "ut.h"
#include "virtio_regs.h"

UT_MAIN_STATE

#define BASE 0x80000000ULL
#define SIZE (1ULL << 20)
#define NUM  8
#define BUF  (BASE + 0x20000)

/* Queue q's rings: desc, avail, used. */
static const gpa_t ring[2][3] = {
    {BASE + 0x1000, BASE + 0x2000, BASE + 0x3000},
    {BASE + 0x5000, BASE + 0x6000, BASE + 0x7000},
};

struct rig {
    struct ioloop *loop;
    struct guest_ram ram;
    struct virtio_console *dev;
    struct virtio_mmio *t;
    int level;
    /* the fake host */
    char out[256];
    size_t nout;
    size_t room; /* what the host takes before it is full */
    int rx_ready;
    uint16_t avail_idx[2];
};

static void fake_set(void *opaque, unsigned n, int level)
{
    ((struct rig *)opaque)->level = level;
}

static size_t host_write(void *opaque, const uint8_t *buf, size_t n)
{
    struct rig *r = opaque;
    size_t take = n < r->room ? n : r->room;
    if (take > sizeof(r->out) - r->nout) take = sizeof(r->out) - r->nout;
    memcpy(r->out + r->nout, buf, take);
    r->nout += take;
    r->room -= take;
    return take;
}

static void host_rx_ready(void *opaque)
{
    ((struct rig *)opaque)->rx_ready++;
}

static void rig_init(struct rig *r)
{
    memset(r, 0, sizeof(*r));
    r->room = SIZE_MAX;
    UT_EQ(ram_create(&r->ram, BASE, SIZE), 0);
    UT_EQ(ioloop_create(&r->loop), 0);
    UT_EQ(ioloop_start(r->loop), 0);
    struct virtio_console_host h = {.write = host_write, .rx_ready = host_rx_ready, .opaque = r};
    UT_EQ(virtio_console_create(&r->dev, r->loop, &h), 0);
    struct irq_line l = {.set = fake_set, .opaque = r, .n = 1};
    UT_EQ(virtio_mmio_create(&r->t, &r->ram, &l, &virtio_console_ops, r->dev), 0);
    virtio_console_attach(r->dev, r->t);
}

static void rig_fini(struct rig *r)
{
    virtio_console_destroy(r->dev);
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

static void bring_up(struct rig *r)
{
    wr(r, 0x70, 0);
    memset(r->avail_idx, 0, sizeof(r->avail_idx));
    memset(at(r, BASE), 0, 0x8000);
    wr(r, 0x70, 3);
    wr(r, 0x24, 1);
    wr(r, 0x20, 1);
    wr(r, 0x70, 0xb);
    for (unsigned q = 0; q < 2; q++) {
        wr(r, 0x30, q);
        wr(r, 0x38, NUM);
        wr(r, 0x80, (uint32_t)ring[q][0]);
        wr(r, 0x90, (uint32_t)ring[q][1]);
        wr(r, 0xa0, (uint32_t)ring[q][2]);
        wr(r, 0x44, 1);
    }
    wr(r, 0x70, 0xf);
    UT_EQ(rd(r, 0x70), 0xf);
}

static void desc(struct rig *r, unsigned q, unsigned i, gpa_t addr, uint32_t len, uint16_t flags,
                 uint16_t next)
{
    uint8_t *d = (uint8_t *)at(r, ring[q][0]) + 16 * i;
    memcpy(d, &addr, 8);
    memcpy(d + 8, &len, 4);
    memcpy(d + 12, &flags, 2);
    memcpy(d + 14, &next, 2);
}

/* Makes chain `head` available on queue q and notifies. */
static void post(struct rig *r, unsigned q, uint16_t head)
{
    uint16_t *avail = at(r, ring[q][1]);
    avail[2 + r->avail_idx[q] % NUM] = head;
    avail[1] = ++r->avail_idx[q];
    wr(r, 0x50, q);
}

static uint16_t used_idx(struct rig *r, unsigned q)
{
    return ((uint16_t *)at(r, ring[q][2]))[1];
}

static uint32_t used_len(struct rig *r, unsigned q, unsigned k)
{
    return ((uint32_t *)at(r, ring[q][2] + 4 + 8 * k))[1];
}

static void test_probe(void)
{
    struct rig r;
    rig_init(&r);
    UT_EQ(rd(&r, 0x008), 3);
    uint64_t v;
    UT_EQ(virtio_mmio_ops.read(r.t, 0x104, 4, &v), 0); /* max_nr_ports */
    UT_EQ(v, 1);
    UT_EQ(virtio_mmio_ops.read(r.t, 0x100, 2, &v), 0); /* cols: no F_SIZE */
    UT_EQ(v, 0);
    wr(&r, 0x30, 2); /* no control queues without MULTIPORT */
    UT_EQ(rd(&r, 0x34), 0);
    rig_fini(&r);
}

static void test_tx(void)
{
    struct rig r;
    rig_init(&r);
    bring_up(&r);
    memcpy(at(&r, BUF), "hello ", 6);
    memcpy(at(&r, BUF + 0x100), "world", 5);
    desc(&r, 1, 0, BUF, 6, 1, 1);
    desc(&r, 1, 1, BUF + 0x100, 5, 0, 0);
    post(&r, 1, 0);
    UT_EQ(r.nout, 11);
    UT_CHECK(memcmp(r.out, "hello world", 11) == 0);
    UT_EQ(used_idx(&r, 1), 1);
    UT_EQ(used_len(&r, 1, 0), 0);
    UT_EQ(r.level, 1);
    UT_CHECK(r.rx_ready >= 1); /* every notify lets the host retry input */
    rig_fini(&r);
}

static void resume(void *opaque)
{
    struct rig *r = opaque;
    r->room = SIZE_MAX;
    virtio_console_tx_resume(r->dev);
}

static void test_tx_backpressure(void)
{
    struct rig r;
    rig_init(&r);
    bring_up(&r);
    memcpy(at(&r, BUF), "0123456789", 10);
    desc(&r, 1, 0, BUF, 10, 0, 0);
    desc(&r, 1, 1, BUF, 3, 0, 0);
    r.room = 4;
    post(&r, 1, 0);
    post(&r, 1, 1); /* queued behind the one the host is stuck on */
    UT_EQ(r.nout, 4);
    UT_EQ(used_idx(&r, 1), 0); /* the buffer stays in the ring */
    UT_EQ(r.level, 0);
    ioloop_run_sync(r.loop, resume, &r);
    UT_EQ(r.nout, 13);
    UT_CHECK(memcmp(r.out, "0123456789012", 13) == 0); /* each byte once */
    UT_EQ(used_idx(&r, 1), 2);
    UT_EQ(r.level, 1);
    /* a reset while the host is full forgets the half-written buffer */
    r.room = 2;
    post(&r, 1, 0);
    UT_EQ(r.nout, 15);
    bring_up(&r);
    r.room = SIZE_MAX;
    desc(&r, 1, 0, BUF, 10, 0, 0);
    post(&r, 1, 0);
    UT_EQ(r.nout, 25);
    UT_CHECK(memcmp(r.out + 15, "0123456789", 10) == 0);
    rig_fini(&r);
}

struct rx_req {
    struct rig *r;
    const char *data;
    size_t took;
};

static void receive(void *opaque)
{
    struct rx_req *q = opaque;
    q->took = virtio_console_receive(q->r->dev, (const uint8_t *)q->data, strlen(q->data));
}

static size_t rx(struct rig *r, const char *data)
{
    struct rx_req q = {r, data, 0};
    ioloop_run_sync(r->loop, receive, &q);
    return q.took;
}

static void test_rx(void)
{
    struct rig r;
    rig_init(&r);
    UT_EQ(rx(&r, "early"), 0); /* driver not ready */
    bring_up(&r);
    UT_EQ(rx(&r, "abc"), 0); /* no buffers posted */
    memset(at(&r, BUF), 0xa5, 0x200);
    desc(&r, 0, 0, BUF + 0x10, 4, 2, 0);
    desc(&r, 0, 1, BUF + 0x100, 4, 2, 0);
    post(&r, 0, 0);
    post(&r, 0, 1);
    UT_EQ(rx(&r, "abcdefg"), 7);
    UT_EQ(used_idx(&r, 0), 2);
    UT_EQ(used_len(&r, 0, 0), 4);
    UT_EQ(used_len(&r, 0, 1), 3);
    UT_CHECK(memcmp(at(&r, BUF + 0x10), "abcd", 4) == 0);
    UT_CHECK(memcmp(at(&r, BUF + 0x100), "efg", 3) == 0);
    const uint8_t *p = at(&r, BUF);
    UT_EQ(p[0x0f], 0xa5); /* nothing before or after the buffers */
    UT_EQ(p[0x14], 0xa5);
    UT_EQ(p[0x103], 0xa5);
    UT_EQ(rx(&r, "h"), 0); /* ring used up */
    UT_EQ(r.level, 1);
    rig_fini(&r);
}

static void test_broken_chains(void)
{
    struct rig r;
    rig_init(&r);
    bring_up(&r);
    /* a readable buffer in the receive queue */
    memset(at(&r, BUF), 0xa5, 16);
    desc(&r, 0, 0, BUF, 16, 0, 0);
    post(&r, 0, 0);
    UT_EQ(rx(&r, "input"), 0);
    UT_EQ(rd(&r, 0x70) & 0x40, 0x40);
    UT_EQ(*(uint8_t *)at(&r, BUF), 0xa5);
    UT_EQ(used_idx(&r, 0), 0);
    /* after a reset the port works again */
    bring_up(&r);
    UT_EQ(rd(&r, 0x70) & 0x40, 0);
    desc(&r, 0, 0, BUF, 16, 2, 0);
    post(&r, 0, 0);
    UT_EQ(rx(&r, "input"), 5);
    /* a descriptor loop in the transmit queue */
    desc(&r, 1, 0, BUF, 4, 1, 1);
    desc(&r, 1, 1, BUF, 4, 1, 0);
    post(&r, 1, 0);
    UT_EQ(rd(&r, 0x70) & 0x40, 0x40);
    UT_EQ(r.nout, 0);
    UT_EQ(used_idx(&r, 1), 0);
    /* a buffer that runs past the end of RAM */
    bring_up(&r);
    desc(&r, 1, 0, BASE + SIZE - 2, 4, 0, 0);
    post(&r, 1, 0);
    UT_EQ(rd(&r, 0x70) & 0x40, 0x40);
    UT_EQ(r.nout, 0);
    bring_up(&r);
    memcpy(at(&r, BUF), "ok", 2);
    desc(&r, 1, 0, BUF, 2, 0, 0);
    post(&r, 1, 0);
    UT_EQ(r.nout, 2);
    UT_CHECK(memcmp(r.out, "ok", 2) == 0);
    rig_fini(&r);
}

static void snap(struct rig *r, struct stream *s)
{
    vt_save(r->t, &virtio_console_ops, r->dev, s);
}

static int unsnap(struct rig *r, const struct stream *from, size_t len)
{
    return vt_restore(r->t, &virtio_console_ops, r->dev, from, len);
}

/* Restores a device section with this half-sent offset. */
static int vcon_restore_done(struct rig *r, uint64_t tx_done)
{
    struct stream s, in;
    stream_init_writer(&s);
    size_t mark = stream_begin_section(&s, STREAM_TAG('V', 'C', 'O', 'N'), 1);
    stream_put_u64(&s, tx_done);
    stream_end_section(&s, mark);
    stream_init_reader(&in, s.buf, s.len);
    int rc = virtio_console_ops.restore(r->dev, &in);
    stream_free(&s);
    return rc;
}

/* A snapshot taken while the host was full in the middle of a buffer: the
 * restored device (a new host, the same RAM) prints the rest of it, and
 * none of the bytes already printed again. */
static void test_snapshot_half_sent(void)
{
    struct rig a, b;
    rig_init(&a);
    bring_up(&a);
    memcpy(at(&a, BUF), "0123456789", 10);
    desc(&a, 1, 0, BUF, 10, 0, 0);
    a.room = 4;
    post(&a, 1, 0);
    UT_EQ(a.nout, 4);
    struct stream s;
    snap(&a, &s);
    rig_init(&b);
    memcpy(b.ram.host, a.ram.host, SIZE);
    rig_fini(&a);
    UT_EQ(unsnap(&b, &s, s.len), 0);
    vt_settle(b.loop);
    UT_EQ(b.nout, 6);
    UT_CHECK(memcmp(b.out, "456789", 6) == 0);
    UT_EQ(used_idx(&b, 1), 1);
    rig_fini(&b);

    /* Every truncation, an offset no chain can have, and a half-sent
     * buffer in a queue the driver never set up are refused. */
    for (size_t n = 0; n < s.len; n += 3) {
        rig_init(&b);
        UT_CHECK(unsnap(&b, &s, n) != 0);
        rig_fini(&b);
    }
    stream_free(&s);
    rig_init(&b);
    bring_up(&b);
    UT_EQ(vcon_restore_done(&b, 1ULL << 32), -EINVAL);
    UT_EQ(vcon_restore_done(&b, 4), 0);
    rig_fini(&b);
    rig_init(&b);
    UT_EQ(vcon_restore_done(&b, 4), -EINVAL);
    UT_EQ(vcon_restore_done(&b, 0), 0);
    rig_fini(&b);
}

int main(void)
{
    ut_run("virtio_console_probe", test_probe);
    ut_run("virtio_console_tx", test_tx);
    ut_run("virtio_console_tx_backpressure", test_tx_backpressure);
    ut_run("virtio_console_rx", test_rx);
    ut_run("virtio_console_broken_chains", test_broken_chains);
    ut_run("virtio_console_snapshot_half_sent", test_snapshot_half_sent);
    return ut_exit();
}
