/* Register access to a virtio-mmio transport for unit tests, through its bus
 * ops, with the device behind it served on an I/O thread: a QueueNotify
 * write returns only once the loop has served it (the loop runs a posted
 * event before a later run_sync request). Include after ut.h. */
#ifndef RVMM_TESTS_VIRTIO_REGS_H
#define RVMM_TESTS_VIRTIO_REGS_H

#include "common/ioloop.h"
#include "machine/virtio/virtio_mmio.h"

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
    if (off == VT_QUEUE_NOTIFY) vt_settle(loop);
}

#endif
