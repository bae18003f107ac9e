/* virtio-vsock (virtio 1.2 section 5.10): moves packets between the
 * guest's rings and the vsock multiplexer. All queue work runs on the I/O
 * thread (a notify posts an event). Guest packets are checked here (header
 * inside the chain, length inside the chain and at most 64 KiB, type
 * stream, source the guest's own CID, destination the host) before the
 * multiplexer sees them; anything else is dropped, counted, and its chain
 * returned. A chain breaking the ring's rules (a writable tx buffer, a
 * readable rx or event buffer, no room for a header) sets
 * DEVICE_NEEDS_RESET. Must not know transport registers or host sockets. */
#include "machine/virtio/virtio_vsock.h"

#include "common/ioloop.h"
#include "common/stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* tx chains per event before yielding to the loop's other callbacks. */
#define VSOCK_TX_BURST 256

struct virtio_vsock {
    struct vsock_mux *mux;
    struct ioloop *loop;
    struct virtio_mmio *t;
    struct ioloop_event *tx_ev, *rx_ev, *reset_ev;
    uint64_t cid;
    bool event_owed;       /* a transport reset event waits for a buffer */
    uint64_t dropped;      /* guest packets refused */
    struct vq_chain chain; /* walker scratch, transport mutex held */
    uint8_t txbuf[VSOCK_MAX_PAYLOAD];
    uint8_t rxbuf[VSOCK_HDR_SIZE + VSOCK_MAX_PAYLOAD];
};

/* Copies len bytes from offset off of the chain's readable part. */
static int chain_read(const struct vq_chain *c, uint64_t off, void *dst, uint64_t len)
{
    uint8_t *d = dst;
    if (off + len > c->out_len) return -EINVAL;
    for (unsigned k = 0; k < c->nout && len; k++) {
        const struct vq_iov *v = &c->iov[k];
        if (off >= v->len) {
            off -= v->len;
            continue;
        }
        uint64_t n = v->len - off < len ? v->len - off : len;
        memcpy(d, (const uint8_t *)v->base + off, n);
        d += n;
        len -= n;
        off = 0;
    }
    return 0;
}

int virtio_vsock_parse(const struct vq_chain *c, struct vsock_pkt *p, uint8_t *data)
{
    uint8_t hdr[VSOCK_HDR_SIZE];
    if (chain_read(c, 0, hdr, sizeof(hdr))) return -EINVAL;
    vsock_pkt_decode(p, hdr);
    if (p->len > VSOCK_MAX_PAYLOAD) return -EINVAL;
    if (p->op != VSOCK_OP_RW && p->len) return -EINVAL; /* only data packets carry bytes */
    return chain_read(c, VSOCK_HDR_SIZE, data, p->len);
}

/* Mutex held. One guest packet: checked, then the multiplexer's. */
static void vsock_tx_one(struct virtio_vsock *v, const struct vq_chain *c)
{
    struct vsock_pkt p;
    if (virtio_vsock_parse(c, &p, v->txbuf) || p.type != VSOCK_TYPE_STREAM || p.src_cid != v->cid ||
        p.dst_cid != VSOCK_HOST_CID) {
        v->dropped++;
        return;
    }
    vsock_mux_send(v->mux, &p, v->txbuf);
}

static void vsock_tx(void *opaque)
{
    struct virtio_vsock *v = opaque;
    if (!v->t) return;
    virtio_mmio_lock(v->t);
    if (!virtio_mmio_queue_live(v->t, VIRTIO_VSOCK_TXQ)) {
        virtio_mmio_unlock(v->t);
        return;
    }
    struct vq *q = virtio_mmio_queue(v->t, VIRTIO_VSOCK_TXQ);
    struct guest_ram *ram = virtio_mmio_ram(v->t);
    int ret = 0;
    unsigned n = 0;
    bool pushed = false;
    while (n < VSOCK_TX_BURST && (ret = vq_pop(q, ram, &v->chain)) > 0) {
        if (v->chain.nin) {
            ret = -EINVAL;
            break;
        }
        vsock_tx_one(v, &v->chain);
        if (vq_push(q, ram, v->chain.head, 0)) {
            ret = -EINVAL;
            break;
        }
        pushed = true;
        n++;
    }
    if (pushed) virtio_mmio_used(v->t, VIRTIO_VSOCK_TXQ);
    if (ret < 0) virtio_mmio_needs_reset(v->t);
    virtio_mmio_unlock(v->t);
    if (n == VSOCK_TX_BURST) ioloop_event_post(v->tx_ev); /* more after the others */
    /* Answers (responses, credit) are owed now: the multiplexer posted rx. */
}

/* Mutex held: the transport reset event, once the driver gave a buffer. */
static void vsock_event(struct virtio_vsock *v)
{
    if (!v->event_owed || !virtio_mmio_queue_live(v->t, VIRTIO_VSOCK_EVTQ)) return;
    struct vq *q = virtio_mmio_queue(v->t, VIRTIO_VSOCK_EVTQ);
    struct guest_ram *ram = virtio_mmio_ram(v->t);
    int ret = vq_pop(q, ram, &v->chain);
    if (ret == 0) return;
    if (ret < 0 || v->chain.nout || v->chain.in_len < 4) {
        virtio_mmio_needs_reset(v->t);
        return;
    }
    static const uint8_t id[4] = {VIRTIO_VSOCK_EVENT_TRANSPORT_RESET, 0, 0, 0};
    uint32_t n = vq_chain_write(ram, &v->chain, id, sizeof(id));
    if (vq_push(q, ram, v->chain.head, n)) {
        virtio_mmio_needs_reset(v->t);
        return;
    }
    v->event_owed = false;
    virtio_mmio_used(v->t, VIRTIO_VSOCK_EVTQ);
}

static void vsock_rx(void *opaque)
{
    struct virtio_vsock *v = opaque;
    if (!v->t) return;
    virtio_mmio_lock(v->t);
    vsock_event(v);
    if (!virtio_mmio_queue_live(v->t, VIRTIO_VSOCK_RXQ)) {
        virtio_mmio_unlock(v->t);
        return;
    }
    struct vq *q = virtio_mmio_queue(v->t, VIRTIO_VSOCK_RXQ);
    struct guest_ram *ram = virtio_mmio_ram(v->t);
    bool pushed = false;
    int ret;
    while ((ret = vq_pop(q, ram, &v->chain)) > 0) {
        if (v->chain.nout || v->chain.in_len < VSOCK_HDR_SIZE) {
            ret = -EINVAL;
            break;
        }
        uint64_t room = v->chain.in_len - VSOCK_HDR_SIZE;
        uint32_t cap = room < VSOCK_MAX_PAYLOAD ? (uint32_t)room : VSOCK_MAX_PAYLOAD;
        struct vsock_pkt p;
        if (!vsock_mux_recv(v->mux, &p, v->rxbuf + VSOCK_HDR_SIZE, cap)) {
            vq_unpop(q); /* nothing to say: the buffer stays the guest's */
            break;
        }
        vsock_pkt_encode(&p, v->rxbuf);
        uint32_t n = vq_chain_write(ram, &v->chain, v->rxbuf, VSOCK_HDR_SIZE + (uint64_t)p.len);
        if (vq_push(q, ram, v->chain.head, n)) {
            ret = -EINVAL;
            break;
        }
        pushed = true;
    }
    if (pushed) virtio_mmio_used(v->t, VIRTIO_VSOCK_RXQ);
    if (ret < 0) virtio_mmio_needs_reset(v->t);
    virtio_mmio_unlock(v->t);
}

/* The multiplexer has packets for the guest (I/O thread; it must not be
 * called back, so this only posts). */
static void vsock_rx_ready(void *opaque)
{
    struct virtio_vsock *v = opaque;
    ioloop_event_post(v->rx_ev);
}

static void vsock_reset_fire(void *opaque)
{
    struct virtio_vsock *v = opaque;
    vsock_mux_reset(v->mux);
}

static void vsock_notify(void *dev, struct virtio_mmio *t, unsigned q)
{
    struct virtio_vsock *v = dev;
    /* tx can owe rx packets; an rx or event notify brings new buffers. */
    ioloop_event_post(q == VIRTIO_VSOCK_TXQ ? v->tx_ev : v->rx_ev);
}

/* The driver reset the device (vCPU thread, mutex held): its connections
 * are gone for the guest, so the host side closes them on the I/O thread. */
static void vsock_reset(void *dev)
{
    struct virtio_vsock *v = dev;
    v->event_owed = false;
    ioloop_event_post(v->reset_ev);
}

static uint64_t vsock_config_read(void *dev, uint64_t off, unsigned size)
{
    const struct virtio_vsock *v = dev;
    uint8_t cfg[8];
    for (unsigned k = 0; k < 8; k++)
        cfg[k] = (uint8_t)(v->cid >> (8 * k));
    return virtio_config_le(cfg, off, size);
}

#define VSOCK_SAVE_TAG     STREAM_TAG('V', 'S', 'C', 'K')
#define VSOCK_SAVE_VERSION 1

/* Connections are host sockets and are not saved: as on Firecracker, the
 * restored guest is told of a transport reset (its connected sockets are
 * reset; its listeners stay). The section holds the CID, so a restore
 * with another CID is refused: the driver read it already. */
static int vsock_save(void *dev, struct stream *s)
{
    const struct virtio_vsock *v = dev;
    size_t mark = stream_begin_section(s, VSOCK_SAVE_TAG, VSOCK_SAVE_VERSION);
    stream_put_u64(s, v->cid);
    stream_put_u64(s, v->dropped);
    stream_end_section(s, mark);
    return s->err;
}

static int vsock_restore(void *dev, struct stream *s)
{
    struct virtio_vsock *v = dev;
    size_t end;
    int rc = stream_open_section(s, VSOCK_SAVE_TAG, VSOCK_SAVE_VERSION, NULL, &end);
    if (rc) return rc;
    uint64_t cid = stream_get_u64(s), dropped = stream_get_u64(s);
    if ((rc = stream_close_section(s, end))) return rc;
    if (cid != v->cid) return -EINVAL;
    v->dropped = dropped;
    v->event_owed = true;
    if (v->t) {
        ioloop_event_post(v->rx_ev); /* the event, and rx buffers already posted */
        ioloop_event_post(v->tx_ev); /* packets the guest queued before the save */
    }
    return 0;
}

const struct virtio_dev_ops virtio_vsock_ops = {
    .device_id = VIRTIO_ID_VSOCK,
    .features = 0, /* stream sockets only: no VIRTIO_VSOCK_F_SEQPACKET */
    .num_queues = 3,
    .config_size = 8,
    .config_read = vsock_config_read,
    .notify = vsock_notify,
    .reset = vsock_reset,
    .save = vsock_save,
    .restore = vsock_restore,
};

int virtio_vsock_create(struct virtio_vsock **out, struct vsock_mux *mux, struct ioloop *loop)
{
    struct virtio_vsock *v = calloc(1, sizeof(*v));
    if (!v) return -ENOMEM;
    v->mux = mux;
    v->loop = loop;
    v->cid = vsock_mux_guest_cid(mux);
    int rc = ioloop_event_new(loop, vsock_tx, v, &v->tx_ev);
    if (!rc) rc = ioloop_event_new(loop, vsock_rx, v, &v->rx_ev);
    if (!rc) rc = ioloop_event_new(loop, vsock_reset_fire, v, &v->reset_ev);
    if (rc) {
        virtio_vsock_destroy(v);
        return rc;
    }
    *out = v;
    return 0;
}

void virtio_vsock_attach(struct virtio_vsock *v, struct virtio_mmio *t)
{
    v->t = t;
    vsock_mux_attach(v->mux, vsock_rx_ready, v);
}

void virtio_vsock_drain(struct virtio_vsock *v)
{
    vsock_tx(v);
    vsock_rx(v);
}

static void vsock_quiesce(void *opaque)
{
    struct virtio_vsock *v = opaque;
    ioloop_event_free(v->tx_ev);
    ioloop_event_free(v->rx_ev);
    ioloop_event_free(v->reset_ev);
}

void virtio_vsock_destroy(struct virtio_vsock *v)
{
    if (!v) return;
    if (v->t) vsock_mux_attach(v->mux, NULL, NULL);
    ioloop_run_sync(v->loop, vsock_quiesce, v);
    free(v);
}
