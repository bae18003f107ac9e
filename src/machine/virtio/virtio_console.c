/* virtio-console (virtio 1.x section 5.3): moves bytes between the port's
 * two queues and the host callbacks, on the I/O thread and under the
 * transport's mutex. Reaches guest memory only through the virtqueue walker;
 * must not know transport registers or host file descriptors. */
#include "machine/virtio/virtio_console.h"

#include "common/clock.h"
#include "common/ioloop.h"

#include <errno.h>
#include <stdlib.h>

enum { VCON_RXQ = 0, VCON_TXQ = 1 };

/* How long the I/O thread keeps looking for more output after a buffer. */
#define VCON_POLL_NS 50000
/* The longest one kick serves before it lets the loop's other callbacks run. */
#define VCON_SLICE_NS 2000000

/* Section 5.3.4: cols, rows (le16), max_nr_ports, emerg_wr (le32). */
#define VCON_CONFIG_SIZE 12

struct virtio_console {
    struct ioloop *loop;
    struct ioloop_event *kick; /* a notify: serve the queues on the loop */
    struct virtio_mmio *t;
    struct virtio_console_host host;
    /* Bytes of the transmit ring's next chain already handed to the host:
     * a chain the host could not take whole goes back to the ring. */
    uint64_t tx_done;
    bool tx_blocked;       /* the host is full until it calls tx_resume */
    struct vq_chain chain; /* walker scratch (mutex held): too big for the stack */
};

/* Hands the readable part of c->chain, from tx_done on, to the host.
 * Returns whether all of it was taken. */
static bool virtio_console_write_out(struct virtio_console *c)
{
    const struct vq_chain *ch = &c->chain;
    uint64_t skip = c->tx_done;
    for (unsigned k = 0; k < ch->nout; k++) {
        const struct vq_iov *v = &ch->iov[k];
        if (skip >= v->len) {
            skip -= v->len;
            continue;
        }
        size_t want = v->len - skip;
        size_t took = c->host.write(c->host.opaque, (const uint8_t *)v->base + skip, want);
        if (took > want) took = want;
        c->tx_done += took;
        if (took < want) return false;
        skip = 0;
    }
    return true;
}

/* Mutex held. Returns whether it used any buffer. */
static bool virtio_console_serve_tx(struct virtio_console *c)
{
    struct virtio_mmio *t = c->t;
    if (!t || !virtio_mmio_queue_live(t, VCON_TXQ)) return false;
    struct vq *q = virtio_mmio_queue(t, VCON_TXQ);
    struct guest_ram *ram = virtio_mmio_ram(t);
    bool pushed = false;
    int ret = 0;
    while (!c->tx_blocked && (ret = vq_pop(q, ram, &c->chain)) > 0) {
        if (!virtio_console_write_out(c)) {
            vq_unpop(q);
            c->tx_blocked = true;
            break;
        }
        c->tx_done = 0;
        /* The device writes nothing into transmit buffers; a writable part
         * the driver added is left alone. */
        if (vq_push(q, ram, c->chain.head, 0)) {
            ret = -EINVAL;
            break;
        }
        pushed = true;
    }
    if (pushed) virtio_mmio_used(t, VCON_TXQ);
    if (ret < 0) virtio_mmio_needs_reset(t);
    return pushed;
}

static void virtio_console_kick(void *opaque)
{
    struct virtio_console *c = opaque;
    if (!c->t) return;
    /* Linux's driver hands over one buffer at a time and spins until it is
     * used, so the next one follows within microseconds: looking again for
     * a short while saves the guest a wake-up of this thread per buffer. */
    uint64_t start = clock_host_ns(), until = start + VCON_POLL_NS;
    for (;;) {
        virtio_mmio_lock(c->t);
        bool served = virtio_console_serve_tx(c);
        virtio_mmio_unlock(c->t);
        uint64_t now = clock_host_ns();
        if (served && now - start >= VCON_SLICE_NS) {
            /* Endless output must not keep stdin, the disks and the network
             * waiting: come back after the loop's other callbacks. */
            ioloop_event_post(c->kick);
            break;
        }
        if (served)
            until = now + VCON_POLL_NS;
        else if (now >= until)
            break;
    }
    /* Every notify may be the receive queue's: let the host retry input. */
    if (c->host.rx_ready) c->host.rx_ready(c->host.opaque);
}

void virtio_console_tx_resume(struct virtio_console *c)
{
    if (!c->t) return;
    virtio_mmio_lock(c->t);
    c->tx_blocked = false;
    virtio_console_serve_tx(c);
    virtio_mmio_unlock(c->t);
}

size_t virtio_console_receive(struct virtio_console *c, const uint8_t *buf, size_t n)
{
    struct virtio_mmio *t = c->t;
    if (!t || !n) return 0;
    size_t took = 0;
    virtio_mmio_lock(t);
    if (virtio_mmio_queue_live(t, VCON_RXQ)) {
        struct vq *q = virtio_mmio_queue(t, VCON_RXQ);
        struct guest_ram *ram = virtio_mmio_ram(t);
        bool pushed = false;
        int ret = 0;
        while (took < n && (ret = vq_pop(q, ram, &c->chain)) > 0) {
            /* 5.3.6.1: receive buffers are device-writable; a readable one
             * means the driver broke the queue. */
            if (c->chain.nout) {
                ret = -EINVAL;
                break;
            }
            uint32_t w = vq_chain_write(ram, &c->chain, buf + took, n - took);
            took += w;
            if (vq_push(q, ram, c->chain.head, w)) {
                ret = -EINVAL;
                break;
            }
            pushed = true;
        }
        if (pushed) virtio_mmio_used(t, VCON_RXQ);
        if (ret < 0) virtio_mmio_needs_reset(t);
    }
    virtio_mmio_unlock(t);
    return took;
}

static void virtio_console_notify(void *dev, struct virtio_mmio *t, unsigned q)
{
    struct virtio_console *c = dev;
    ioloop_event_post(c->kick);
}

/* Mutex held (a status write of 0). */
static void virtio_console_reset(void *dev)
{
    struct virtio_console *c = dev;
    c->tx_done = 0;
    c->tx_blocked = false;
}

static uint64_t virtio_console_config_read(void *dev, uint64_t off, unsigned size)
{
    /* No F_SIZE, no MULTIPORT, no EMERG_WRITE: only max_nr_ports is set. */
    static const uint8_t cfg[VCON_CONFIG_SIZE] = {[4] = 1};
    return virtio_config_le(cfg, off, size);
}

static void virtio_console_config_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    /* emerg_wr only exists with VIRTIO_CONSOLE_F_EMERG_WRITE, not offered. */
}

const struct virtio_dev_ops virtio_console_ops = {
    .device_id = VIRTIO_ID_CONSOLE,
    .features = 0,
    .num_queues = 2,
    .config_size = VCON_CONFIG_SIZE,
    .config_read = virtio_console_config_read,
    .config_write = virtio_console_config_write,
    .notify = virtio_console_notify,
    .reset = virtio_console_reset,
};

int virtio_console_create(struct virtio_console **out, struct ioloop *loop,
                          const struct virtio_console_host *host)
{
    struct virtio_console *c = calloc(1, sizeof(*c));
    if (!c) return -ENOMEM;
    c->loop = loop;
    c->host = *host;
    int rc = ioloop_event_new(loop, virtio_console_kick, c, &c->kick);
    if (rc) {
        free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void virtio_console_attach(struct virtio_console *c, struct virtio_mmio *t)
{
    c->t = t;
}

void virtio_console_destroy(struct virtio_console *c)
{
    if (!c) return;
    /* From another thread, this waits for a running kick to finish. */
    ioloop_event_free(c->kick);
    free(c);
}
