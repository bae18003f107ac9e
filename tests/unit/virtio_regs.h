/* Register access to a virtio-mmio transport for unit tests, through its bus
 * ops, with the device behind it served on an I/O thread: a QueueNotify
 * write returns only once the loop has served it (the loop runs a posted
 * event before a later run_sync request). With no loop, the test serves
 * the queues itself (the device's drain). Also Linux's probe steps and a
 * fake ring's chains, which every device's test repeats. Include after
 * ut.h. */
#ifndef RVMM_TESTS_VIRTIO_REGS_H
#define RVMM_TESTS_VIRTIO_REGS_H

#include "common/ioloop.h"
#include "machine/virtio/virtio_mmio.h"

#include <errno.h>
#include <string.h>

#define VT_QUEUE_NOTIFY 0x50

static inline void vt_nothing(void *opaque)
{
    (void)opaque;
}

/* Returns once the I/O thread has served every notify written so far. */
static inline void vt_settle(struct ioloop *loop)
{
    ioloop_run_sync(loop, vt_nothing, NULL);
}

static inline uint32_t vt_read(struct virtio_mmio *t, uint64_t off)
{
    uint64_t v = 0xdeadbeef;
    UT_EQ(virtio_mmio_ops.read(t, off, 4, &v), 0);
    return (uint32_t)v;
}

static inline void vt_write(struct virtio_mmio *t, struct ioloop *loop, uint64_t off, uint32_t v)
{
    UT_EQ(virtio_mmio_ops.write(t, off, 4, v), 0);
    if (off == VT_QUEUE_NOTIFY && loop) vt_settle(loop);
}

/* Linux's probe up to FEATURES_OK: reset, ACKNOWLEDGE | DRIVER, and every
 * feature the device offers accepted. */
static inline void vt_accept_features(struct virtio_mmio *t, struct ioloop *loop)
{
    vt_write(t, loop, 0x70, 0);
    vt_write(t, loop, 0x70, 3);
    for (uint32_t sel = 0; sel < 2; sel++) {
        vt_write(t, loop, 0x14, sel);
        uint32_t f = vt_read(t, 0x10);
        vt_write(t, loop, 0x24, sel);
        vt_write(t, loop, 0x20, f);
    }
    vt_write(t, loop, 0x70, 0xb);
    UT_EQ(vt_read(t, 0x70), 0xb);
}

/* Queue q with num entries and its rings at desc, avail and used, made
 * ready. */
static inline void vt_queue_setup(struct virtio_mmio *t, struct ioloop *loop, uint32_t q,
                                  uint32_t num, uint64_t desc, uint64_t avail, uint64_t used)
{
    vt_write(t, loop, 0x30, q);
    vt_write(t, loop, 0x38, num);
    vt_write(t, loop, 0x80, (uint32_t)desc);
    vt_write(t, loop, 0x84, desc >> 32);
    vt_write(t, loop, 0x90, (uint32_t)avail);
    vt_write(t, loop, 0x94, avail >> 32);
    vt_write(t, loop, 0xa0, (uint32_t)used);
    vt_write(t, loop, 0xa4, used >> 32);
    vt_write(t, loop, 0x44, 1);
}

struct vt_buf {
    gpa_t addr;
    uint32_t len;
    bool write;
};

/* Puts the chain bufs[0..n) in descriptors 0..n-1 of a ring of num entries
 * (desc and avail: its tables in host memory) and makes it available as
 * *avail_idx + 1, published with release as a driver does; the caller
 * notifies. */
static inline void vt_chain(uint8_t *desc, uint16_t *avail, uint16_t *avail_idx, unsigned num,
                            const struct vt_buf *bufs, unsigned n)
{
    for (unsigned k = 0; k < n; k++) {
        uint64_t addr = bufs[k].addr;
        uint16_t flags = (bufs[k].write ? 2 : 0) | (k + 1 < n ? 1 : 0), next = (uint16_t)(k + 1);
        memcpy(desc + 16 * k, &addr, 8);
        memcpy(desc + 16 * k + 8, &bufs[k].len, 4);
        memcpy(desc + 16 * k + 12, &flags, 2);
        memcpy(desc + 16 * k + 14, &next, 2);
    }
    avail[2 + *avail_idx % num] = 0;
    __atomic_store_n(&avail[1], ++*avail_idx, __ATOMIC_RELEASE);
}

/* Snapshots: the transport's section and the device's, as board_save
 * writes them. */
static inline void vt_save(struct virtio_mmio *t, const struct virtio_dev_ops *ops, void *dev,
                           struct stream *s)
{
    stream_init_writer(s);
    UT_EQ(virtio_mmio_save(t, s), 0);
    UT_EQ(ops->save(dev, s), 0);
}

/* Restores from the first len bytes of from, which it must use up. */
static inline int vt_restore(struct virtio_mmio *t, const struct virtio_dev_ops *ops, void *dev,
                             const struct stream *from, size_t len)
{
    struct stream s;
    stream_init_reader(&s, from->buf, len);
    int rc = virtio_mmio_restore(t, &s);
    if (!rc) rc = ops->restore(dev, &s);
    return rc ? rc : (s.pos == len ? 0 : -EINVAL);
}

#endif
