/* The virtio-mmio transport, version 2 (virtio 1.x section 4.2.2): the
 * register block a guest probes, feature negotiation, queue setup, notify,
 * interrupt status and the device status machine. The only code that knows
 * transport registers; devices implement struct virtio_dev_ops and see their
 * queues through the virtio_mmio_* helpers below.
 *
 * Threads: every bus access takes the transport's mutex; device callbacks run
 * with it held and may call the helpers (which expect it held), never the bus
 * ops. The irq line is driven with the mutex held. A device that serves its
 * queues on another thread (the I/O thread) takes the mutex itself with
 * virtio_mmio_lock() around the helpers, and drops it for slow host I/O. */
#ifndef RVMM_MACHINE_VIRTIO_VIRTIO_MMIO_H
#define RVMM_MACHINE_VIRTIO_VIRTIO_MMIO_H

#include "common/stream.h"
#include "common/types.h"
#include "machine/bus.h"
#include "machine/irq.h"
#include "machine/virtio/virtqueue.h"
#include "mem/ram.h"

#define VIRTIO_MMIO_MAX_QUEUES 8
#define VIRTIO_MMIO_SIZE       0x1000

#define VIRTIO_F_VERSION_1 32

/* Device status bits (section 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE        1
#define VIRTIO_STATUS_DRIVER             2
#define VIRTIO_STATUS_DRIVER_OK          4
#define VIRTIO_STATUS_FEATURES_OK        8
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED             0x80

struct virtio_mmio;

struct virtio_dev_ops {
    uint32_t device_id;
    uint64_t features; /* device-specific bits; the transport adds the ring ones */
    unsigned num_queues;
    uint32_t config_size;
    /* Config space access at off (relative to 0x100), size 1, 2 or 4;
     * off + size <= config_size. May be NULL when config_size is 0. */
    uint64_t (*config_read)(void *dev, uint64_t off, unsigned size);
    void (*config_write)(void *dev, uint64_t off, unsigned size, uint64_t val);
    /* The driver notified queue q (ready, DRIVER_OK set). */
    void (*notify)(void *dev, struct virtio_mmio *t, unsigned q);
    /* The driver reset the device. May be NULL. */
    void (*reset)(void *dev);
    /* Snapshots: the device's own state (not the transport's), as one
     * section of its own tag and version; restore gets a device freshly
     * created with the same configuration and must reject what it cannot
     * take (-EINVAL). Called with the VM paused and device I/O quiesced.
     * NULL: the device cannot be snapshotted (board_save fails). */
    int (*save)(void *dev, struct stream *s);
    int (*restore)(void *dev, struct stream *s);
};

/* Reads a config space a device keeps as little-endian bytes (virtio
 * config fields are little-endian); the transport checked off and size. */
static inline uint64_t virtio_config_le(const uint8_t *config, uint64_t off, unsigned size)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < size; k++)
        v |= (uint64_t)config[off + k] << (8 * k);
    return v;
}

/* ram must outlive the transport; irq is copied. */
int virtio_mmio_create(struct virtio_mmio **out, struct guest_ram *ram, const struct irq_line *irq,
                       const struct virtio_dev_ops *ops, void *dev);
void virtio_mmio_destroy(struct virtio_mmio *t);

/* Bus callbacks; opaque is the struct virtio_mmio. Registers below 0x100
 * take aligned 4-byte accesses only; config space takes 1, 2 and 4. */
extern const struct bus_dev_ops virtio_mmio_ops;

/* Helpers for device callbacks (mutex held). */
struct vq *virtio_mmio_queue(struct virtio_mmio *t, unsigned q);
struct guest_ram *virtio_mmio_ram(struct virtio_mmio *t);
/* Raises the used-buffer interrupt if the driver wants one for queue q. */
void virtio_mmio_used(struct virtio_mmio *t, unsigned q);
/* The driver broke a queue: sets DEVICE_NEEDS_RESET and, once DRIVER_OK,
 * raises a configuration change interrupt (section 2.1.2). */
void virtio_mmio_needs_reset(struct virtio_mmio *t);
/* The device changed its config space: bumps ConfigGeneration, interrupts. */
void virtio_mmio_config_changed(struct virtio_mmio *t);

uint32_t virtio_mmio_status(struct virtio_mmio *t);
/* The features the driver accepted (mutex held): a device whose queue
 * numbering depends on them (virtio-balloon) asks once FEATURES_OK is set. */
uint64_t virtio_mmio_driver_features(struct virtio_mmio *t);

/* For work off the notify path (another thread): the transport's mutex. */
void virtio_mmio_lock(struct virtio_mmio *t);
void virtio_mmio_unlock(struct virtio_mmio *t);
/* Whether queue q may be served now (mutex held): the queue is ready, the
 * driver set DRIVER_OK and the device does not need a reset. */
bool virtio_mmio_queue_live(struct virtio_mmio *t, unsigned q);

/* Persistence: one section (tag "VMMI"): transport registers and queue state.
 * Device state is the device's own. */
int virtio_mmio_save(struct virtio_mmio *t, struct stream *s);
int virtio_mmio_restore(struct virtio_mmio *t, struct stream *s);

#endif
