/* virtio entropy device (virtio 1.x section 5.4, device id 4): one request
 * queue whose device-writable buffers it fills from the host's getrandom().
 * The filling runs on the I/O thread (a notify only posts an event), so a
 * vCPU never waits for the host. It has no config space and no state beyond
 * its transport's. */
#ifndef RVMM_MACHINE_VIRTIO_VIRTIO_RNG_H
#define RVMM_MACHINE_VIRTIO_VIRTIO_RNG_H

#include "machine/virtio/virtio_mmio.h"

#define VIRTIO_ID_RNG 4

struct ioloop;
struct virtio_rng;

/* loop must outlive the device. */
int virtio_rng_create(struct virtio_rng **out, struct ioloop *loop);
/* Waits for a running I/O-thread callback of the device to finish. */
void virtio_rng_destroy(struct virtio_rng *r);
/* The transport the device sits behind (after board_add_virtio). */
void virtio_rng_attach(struct virtio_rng *r, struct virtio_mmio *t);

/* Device callbacks for virtio_mmio_create(); dev is the struct virtio_rng. */
extern const struct virtio_dev_ops virtio_rng_ops;

#endif
