/* virtio socket device (virtio 1.2 section 5.10, device id 19): stream
 * sockets between the guest and the host. Three queues (rx, tx, event);
 * its config space is the guest's 64-bit CID. Packets go to and come from
 * a vsock multiplexer (backend/vsock), which owns the host sockets; the
 * device checks every header the guest writes and copies payloads between
 * the rings and the multiplexer on the I/O thread. */
#ifndef RVMM_MACHINE_VIRTIO_VIRTIO_VSOCK_H
#define RVMM_MACHINE_VIRTIO_VIRTIO_VSOCK_H

#include "backend/vsock/vsock_mux.h"
#include "machine/virtio/virtio_mmio.h"

#define VIRTIO_ID_VSOCK   19
#define VIRTIO_VSOCK_RXQ  0
#define VIRTIO_VSOCK_TXQ  1
#define VIRTIO_VSOCK_EVTQ 2
/* The one event (section 5.10.6.8): every connection is gone. */
#define VIRTIO_VSOCK_EVENT_TRANSPORT_RESET 0

struct ioloop;
struct virtio_vsock;

/* mux and loop must outlive the device. */
int virtio_vsock_create(struct virtio_vsock **out, struct vsock_mux *mux, struct ioloop *loop);
/* Detaches from the multiplexer and waits for the device's I/O callbacks. */
void virtio_vsock_destroy(struct virtio_vsock *v);
/* The transport (after board_add_virtio); attaches to the multiplexer,
 * which drops the connections of a previous device. */
void virtio_vsock_attach(struct virtio_vsock *v, struct virtio_mmio *t);
/* Serves the tx and rx queues now (the fuzz target; tests). */
void virtio_vsock_drain(struct virtio_vsock *v);

/* A packet the guest put on the tx queue: the header from the chain's
 * readable part and its payload (copied to data, VSOCK_MAX_PAYLOAD bytes).
 * 0, or -EINVAL when the packet must be dropped (short header, length past
 * the chain or over VSOCK_MAX_PAYLOAD). For the fuzz target too. */
int virtio_vsock_parse(const struct vq_chain *c, struct vsock_pkt *p, uint8_t *data);

extern const struct virtio_dev_ops virtio_vsock_ops;

#endif
