/* virtio-net (virtio 1.x section 5.1): moves frames between the guest's
 * rings and a netdev. Queue work runs on the I/O thread only: a notify from
 * a vCPU just posts an ioloop event. Every chain comes from the virtqueue
 * walker; a chain that breaks the rules (no room for the header, readable
 * rx buffers, writable tx buffers) sets DEVICE_NEEDS_RESET, as any broken
 * ring does; a frame larger than NETDEV_MAX_FRAME or than the rx buffer is
 * dropped and counted. Must not know transport registers or backends. */
#include "machine/virtio/virtio_net.h"

#include "backend/net/netdev.h"
#include "common/ioloop.h"
#include "common/ratelimit.h"
#include "common/stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* tx chains handled per event before yielding to other I/O. */
#define VNET_TX_BURST 256
/* config space: mac[6], status, max_virtqueue_pairs (5.1.4), saved in
 * snapshots; then mtu (le16), which the VM's configuration carries. */
#define VNET_CONFIG_SIZE  10
#define VNET_CONFIG_SPACE 12

struct virtio_net {
    struct netdev *nd;
    struct ioloop *loop;
    struct virtio_mmio *t;
    struct ioloop_event *tx_ev, *rx_ev;
    /* NULL until a limit is set; touched on the I/O thread only. */
    struct ratelimiter *rx_rl, *tx_rl;
    uint8_t config[VNET_CONFIG_SIZE];
    uint16_t mtu;              /* 0: VIRTIO_NET_F_MTU not offered */
    struct virtio_dev_ops ops; /* virtio_net_ops, with F_MTU when mtu is set */
    struct vq_chain chain;     /* walker scratch, used with the transport mutex held */
    /* One frame with its header each way: apart, because a backend may
     * deliver a reply while it still reads the frame being sent. */
    uint8_t rxbuf[VIRTIO_NET_HDR_LEN + NETDEV_MAX_FRAME];
    uint8_t txbuf[VIRTIO_NET_HDR_LEN + NETDEV_MAX_FRAME];
};

static void vnet_tx(void *opaque);
static void vnet_rx_kick(void *opaque);

int virtio_net_create(struct virtio_net **out, struct netdev *nd, const uint8_t mac[6],
                      struct ioloop *loop)
{
    struct virtio_net *n = calloc(1, sizeof(*n));
    if (!n) return -ENOMEM;
    n->nd = nd;
    n->loop = loop;
    memcpy(n->config, mac, 6);
    n->config[6] = VIRTIO_NET_S_LINK_UP;
    n->config[8] = 1; /* one queue pair */
    n->ops = virtio_net_ops;
    int rc = ioloop_event_new(loop, vnet_tx, n, &n->tx_ev);
    if (!rc) rc = ioloop_event_new(loop, vnet_rx_kick, n, &n->rx_ev);
    if (rc) {
        virtio_net_destroy(n);
        return rc;
    }
    *out = n;
    return 0;
}

static int vnet_receive(void *opaque, const uint8_t *frame, size_t len);

void virtio_net_start(struct virtio_net *n, struct virtio_mmio *t)
{
    n->t = t;
    netdev_attach(n->nd, vnet_receive, n);
}

static void vnet_quiesce(void *opaque)
{
    struct virtio_net *n = opaque;
    ioloop_event_free(n->tx_ev);
    ioloop_event_free(n->rx_ev);
    ratelimiter_destroy(n->rx_rl);
    ratelimiter_destroy(n->tx_rl);
}

void virtio_net_destroy(struct virtio_net *n)
{
    if (!n) return;
    if (n->t) netdev_attach(n->nd, NULL, NULL);
    /* On the loop thread: no event callback runs on n after this. */
    ioloop_run_sync(n->loop, vnet_quiesce, n);
    free(n);
}

/* Host->guest, on the I/O thread: one frame into one rx chain. */
static int vnet_receive(void *opaque, const uint8_t *frame, size_t len)
{
    struct virtio_net *n = opaque;
    struct virtio_mmio *t = n->t;
    struct vq_chain *c = &n->chain;
    int ret;
    virtio_mmio_lock(t);
    if (!virtio_mmio_queue_live(t, VIRTIO_NET_RXQ)) {
        ret = -ENETDOWN; /* no driver: the frame is lost, as on a real NIC */
        goto out;
    }
    struct vq *q = virtio_mmio_queue(t, VIRTIO_NET_RXQ);
    struct guest_ram *ram = virtio_mmio_ram(t);
    ret = vq_pop(q, ram, c);
    if (ret == 0) goto out; /* no buffer: the netdev keeps the frame */
    if (ret < 0 || c->nout || c->in_len < VIRTIO_NET_HDR_LEN) {
        virtio_mmio_needs_reset(t);
        ret = -EINVAL;
        goto out;
    }
    if (!ratelimiter_take(n->rx_rl, len, 1)) {
        /* Throttled: the buffer goes back, the netdev keeps the frame and
         * the limiter's timer calls netdev_rx_ready when it may go. */
        vq_unpop(q);
        ret = 0;
        goto out;
    }
    uint32_t written = 0;
    if (c->in_len >= VIRTIO_NET_HDR_LEN + len) {
        /* 5.1.6.4: no offloads offered, so only num_buffers is set. */
        memset(n->rxbuf, 0, VIRTIO_NET_HDR_LEN);
        n->rxbuf[10] = 1;
        memcpy(n->rxbuf + VIRTIO_NET_HDR_LEN, frame, len);
        written = vq_chain_write(ram, c, n->rxbuf, VIRTIO_NET_HDR_LEN + len);
        ret = 1;
    } else {
        ret = -EMSGSIZE; /* the buffer goes back empty; the guest counts an error */
    }
    if (vq_push(q, ram, c->head, written)) {
        virtio_mmio_needs_reset(t);
        ret = -EINVAL;
        goto out;
    }
    virtio_mmio_used(t, VIRTIO_NET_RXQ);
out:
    virtio_mmio_unlock(t);
    return ret;
}

/* The guest posted rx buffers. */
static void vnet_rx_kick(void *opaque)
{
    struct virtio_net *n = opaque;
    netdev_rx_ready(n->nd);
}

/* Pops one tx chain and gathers its frame into n->txbuf (after the header).
 * Returns the frame length, 0 when the ring is empty, -EMSGSIZE for a frame
 * to drop, -EINVAL for a broken chain, -EAGAIN when the rate limiter holds
 * it back (the chain stays in the ring). Mutex held. */
static long vnet_tx_pop(struct virtio_net *n, struct vq *q, struct guest_ram *ram)
{
    struct vq_chain *c = &n->chain;
    int ret = vq_pop(q, ram, c);
    if (ret <= 0) return ret;
    long len = -EMSGSIZE;
    if (c->nin || c->out_len < VIRTIO_NET_HDR_LEN) {
        len = -EINVAL;
    } else if (!ratelimiter_take(n->tx_rl, c->out_len - VIRTIO_NET_HDR_LEN, 1)) {
        vq_unpop(q);
        return -EAGAIN;
    } else if (c->out_len - VIRTIO_NET_HDR_LEN <= NETDEV_MAX_FRAME) {
        uint64_t done = 0;
        for (unsigned k = 0; k < c->nout; k++) {
            memcpy(n->txbuf + done, c->iov[k].base, c->iov[k].len);
            done += c->iov[k].len;
        }
        len = (long)(done - VIRTIO_NET_HDR_LEN);
    }
    if (vq_push(q, ram, c->head, 0)) return -EINVAL;
    return len;
}

/* Guest->host, on the I/O thread. The transport mutex is dropped around
 * netdev_send: a backend may answer at once (slirp's ARP replies), and the
 * answer comes back through vnet_receive. */
static void vnet_tx(void *opaque)
{
    struct virtio_net *n = opaque;
    struct virtio_mmio *t = n->t;
    bool pushed = false;
    int k;
    if (!t) return;
    for (k = 0; k < VNET_TX_BURST; k++) {
        virtio_mmio_lock(t);
        if (!virtio_mmio_queue_live(t, VIRTIO_NET_TXQ)) {
            virtio_mmio_unlock(t);
            return;
        }
        long len = vnet_tx_pop(n, virtio_mmio_queue(t, VIRTIO_NET_TXQ), virtio_mmio_ram(t));
        if (len == -EINVAL) virtio_mmio_needs_reset(t);
        bool stop = len == 0 || len == -EINVAL || len == -EAGAIN;
        if (!stop) pushed = true;
        virtio_mmio_unlock(t);
        if (stop) break;
        if (len < 0)
            n->nd->stats.tx_dropped++;
        else
            netdev_send(n->nd, n->txbuf + VIRTIO_NET_HDR_LEN, (size_t)len);
    }
    if (pushed) {
        virtio_mmio_lock(t);
        virtio_mmio_used(t, VIRTIO_NET_TXQ);
        virtio_mmio_unlock(t);
    }
    if (k == VNET_TX_BURST) ioloop_event_post(n->tx_ev); /* more may wait */
}

static void vnet_tx_wake(void *opaque)
{
    vnet_tx(opaque);
}

static int vnet_set_rl(struct virtio_net *n, struct ratelimiter **rl,
                       const struct ratelimit_config *c, ioloop_fn wake)
{
    if (*rl) {
        ratelimiter_set(*rl, c);
        return 0;
    }
    if (ratelimit_config_none(c)) return 0;
    return ratelimiter_create(rl, n->loop, c, wake, n);
}

int virtio_net_set_ratelimit(struct virtio_net *n, const struct ratelimit_config *rx,
                             const struct ratelimit_config *tx)
{
    int rc = vnet_set_rl(n, &n->rx_rl, rx, vnet_rx_kick);
    return rc ? rc : vnet_set_rl(n, &n->tx_rl, tx, vnet_tx_wake);
}

void virtio_net_drain(struct virtio_net *n)
{
    vnet_tx(n);
    vnet_rx_kick(n);
}

/* A vCPU notified a queue (transport mutex held): hand it to the I/O thread. */
static void vnet_notify(void *dev, struct virtio_mmio *t, unsigned q)
{
    struct virtio_net *n = dev;
    (void)t;
    ioloop_event_post(q == VIRTIO_NET_TXQ ? n->tx_ev : n->rx_ev);
}

static uint64_t vnet_config_read(void *dev, uint64_t off, unsigned size)
{
    struct virtio_net *n = dev;
    uint8_t space[VNET_CONFIG_SPACE];
    memcpy(space, n->config, VNET_CONFIG_SIZE);
    space[VNET_CONFIG_SIZE] = (uint8_t)n->mtu;
    space[VNET_CONFIG_SIZE + 1] = (uint8_t)(n->mtu >> 8);
    return virtio_config_le(space, off, size);
}

void virtio_net_set_mtu(struct virtio_net *n, uint16_t mtu)
{
    n->mtu = mtu;
    n->ops = virtio_net_ops;
    if (mtu) n->ops.features |= 1ULL << VIRTIO_NET_F_MTU;
}

const struct virtio_dev_ops *virtio_net_dev_ops(const struct virtio_net *n)
{
    return &n->ops;
}

#define VNET_SAVE_TAG     STREAM_TAG('V', 'N', 'E', 'T')
#define VNET_SAVE_VERSION 1

/* The rings are the transport's. The device saves the config space the
 * driver read (a restore behind another MAC is refused: the guest would
 * keep answering ARP for the old one) and its netdev's counters and kept
 * frames; the backend's host side is opened afresh by the restoring VMM. */
static int vnet_save(void *dev, struct stream *s)
{
    const struct virtio_net *n = dev;
    size_t mark = stream_begin_section(s, VNET_SAVE_TAG, VNET_SAVE_VERSION);
    stream_put(s, n->config, sizeof(n->config));
    netdev_save(n->nd, s);
    stream_end_section(s, mark);
    return s->err;
}

static int vnet_restore(void *dev, struct stream *s)
{
    struct virtio_net *n = dev;
    size_t end;
    int rc = stream_open_section(s, VNET_SAVE_TAG, VNET_SAVE_VERSION, NULL, &end);
    if (rc) return rc;
    uint8_t config[VNET_CONFIG_SIZE];
    if ((rc = stream_get(s, config, sizeof(config)))) return rc;
    if (memcmp(config, n->config, sizeof(config))) return -EINVAL;
    if ((rc = netdev_restore(n->nd, s))) return rc;
    if ((rc = stream_close_section(s, end))) return rc;
    /* Frames the driver queued before the snapshot are in the restored tx
     * ring, and kept frames wait for rx buffers: serve both as notifies
     * would. */
    if (n->t) {
        ioloop_event_post(n->tx_ev);
        ioloop_event_post(n->rx_ev);
    }
    return 0;
}

const struct virtio_dev_ops virtio_net_ops = {
    .device_id = VIRTIO_ID_NET,
    .features = (1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_STATUS),
    .num_queues = 2,
    .config_size = VNET_CONFIG_SPACE,
    .config_read = vnet_config_read,
    .notify = vnet_notify,
    .save = vnet_save,
    .restore = vnet_restore,
};
