/* virtio network device (virtio 1.x section 5.1, device id 1): one receive
 * and one transmit queue in front of a netdev backend, with a MAC address
 * and a link-up status in config space. The device is rebuilt with its
 * board on a guest reboot; the netdev outlives it. */
#ifndef RVMM_MACHINE_VIRTIO_VIRTIO_NET_H
#define RVMM_MACHINE_VIRTIO_VIRTIO_NET_H

#include "machine/virtio/virtio_mmio.h"

#define VIRTIO_ID_NET 1

/* Feature bits (section 5.1.3). */
#define VIRTIO_NET_F_MTU    3
#define VIRTIO_NET_F_MAC    5
#define VIRTIO_NET_F_STATUS 16

#define VIRTIO_NET_S_LINK_UP 1
/* struct virtio_net_hdr with VIRTIO_F_VERSION_1 (5.1.6): num_buffers included. */
#define VIRTIO_NET_HDR_LEN 12

#define VIRTIO_NET_RXQ 0
#define VIRTIO_NET_TXQ 1

struct ioloop;
struct netdev;
struct virtio_net;

/* The device does its queue work on loop's thread. nd and loop must outlive
 * the device. */
int virtio_net_create(struct virtio_net **out, struct netdev *nd, const uint8_t mac[6],
                      struct ioloop *loop);
/* Connects the device to its transport (once board_add_virtio made it) and
 * to the netdev as its receiver. */
void virtio_net_start(struct virtio_net *n, struct virtio_mmio *t);
/* Detaches from the netdev and the I/O thread first; the transport may be
 * destroyed after this returns. */
void virtio_net_destroy(struct virtio_net *n);

/* Limits host->guest (rx) and guest->host (tx) traffic (ratelimit.h; NULL
 * or all-zero: no limit); ops count frames. A throttled tx frame stays in
 * the ring, a throttled rx frame in the netdev (which stops reading its
 * host side, as with a full ring) until the limiter's timer resumes them.
 * On the I/O thread, while it is quiesced, or before the guest runs. */
struct ratelimit_config;
int virtio_net_set_ratelimit(struct virtio_net *n, const struct ratelimit_config *rx,
                             const struct ratelimit_config *tx);

/* Serves what the driver posted (tx frames, new rx buffers) as the I/O
 * thread's events do; on the I/O thread, or in tests before it starts. */
void virtio_net_drain(struct virtio_net *n);

/* Device callbacks for virtio_mmio_create(); dev is the struct virtio_net.
 * virtio_net_ops offers no MTU; virtio_net_dev_ops() is the device's own,
 * with VIRTIO_NET_F_MTU once virtio_net_set_mtu() gave one (68..65535,
 * before the transport is made): the driver then uses that MTU (5.1.4.1). */
extern const struct virtio_dev_ops virtio_net_ops;
void virtio_net_set_mtu(struct virtio_net *n, uint16_t mtu);
const struct virtio_dev_ops *virtio_net_dev_ops(const struct virtio_net *n);

#endif
