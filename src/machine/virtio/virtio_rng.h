/* virtio entropy device (virtio 1.x section 5.4, device id 4): one request
 * queue whose device-writable buffers it fills from the host's getrandom().
 * It has no config space and no state beyond its transport's. */
#ifndef RVMM_MACHINE_VIRTIO_VIRTIO_RNG_H
#define RVMM_MACHINE_VIRTIO_VIRTIO_RNG_H

#include "machine/virtio/virtio_mmio.h"

#define VIRTIO_ID_RNG 4

struct virtio_rng;

int virtio_rng_create(struct virtio_rng **out);
void virtio_rng_destroy(struct virtio_rng *r);

/* Device callbacks for virtio_mmio_create(); dev is the struct virtio_rng. */
extern const struct virtio_dev_ops virtio_rng_ops;

#endif
