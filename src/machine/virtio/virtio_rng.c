/* virtio-rng (virtio 1.x section 5.4): fills each request's writable buffers
 * with getrandom() bytes on the I/O thread. Reaches guest memory only through
 * the virtqueue walker; must not know transport registers. */
#include "machine/virtio/virtio_rng.h"

#include "common/ioloop.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>

struct virtio_rng {
    struct ioloop_event *kick; /* a notify: fill the queue on the loop */
    struct virtio_mmio *t;
    struct vq_chain chain; /* scratch for the walker: too big for the stack */
    uint64_t bytes;        /* statistics */
};

/* Fills [p, p+len) from getrandom; returns how many bytes it got. */
static uint32_t virtio_rng_fill(void *p, uint32_t len)
{
    uint32_t done = 0;
    while (done < len) {
        ssize_t n = getrandom((uint8_t *)p + done, len - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        done += (uint32_t)n;
    }
    return done;
}

/* Mutex held. */
static void virtio_rng_serve(struct virtio_rng *r, struct virtio_mmio *t)
{
    struct vq *q = virtio_mmio_queue(t, 0);
    struct guest_ram *ram = virtio_mmio_ram(t);
    struct vq_chain *c = &r->chain;
    int ret;
    bool pushed = false;

    while ((ret = vq_pop(q, ram, c)) > 0) {
        uint32_t written = 0;
        for (unsigned k = c->nout; k < c->nout + c->nin; k++) {
            uint32_t n = virtio_rng_fill(c->iov[k].base, c->iov[k].len);
            ram_note_write(ram, c->iov[k].gpa, n);
            written += n;
            if (n < c->iov[k].len) break;
        }
        r->bytes += written;
        if (vq_push(q, ram, c->head, written)) {
            ret = -EINVAL;
            break;
        }
        pushed = true;
    }
    if (pushed) virtio_mmio_used(t, 0);
    if (ret < 0) virtio_mmio_needs_reset(t);
}

static void virtio_rng_kick(void *opaque)
{
    struct virtio_rng *r = opaque;
    if (!r->t) return;
    virtio_mmio_lock(r->t);
    /* The driver may have reset the device since it notified. */
    if (virtio_mmio_queue_live(r->t, 0)) virtio_rng_serve(r, r->t);
    virtio_mmio_unlock(r->t);
}

static void virtio_rng_notify(void *dev, struct virtio_mmio *t, unsigned qi)
{
    struct virtio_rng *r = dev;
    ioloop_event_post(r->kick);
}

#define VIRTIO_RNG_SAVE_TAG     STREAM_TAG('V', 'R', 'N', 'G')
#define VIRTIO_RNG_SAVE_VERSION 1

/* All the device has beyond its queue (which the transport saves) is its
 * byte count; the section still tells a restore that an rng stood here. */
static int virtio_rng_save(void *dev, struct stream *s)
{
    const struct virtio_rng *r = dev;
    size_t mark = stream_begin_section(s, VIRTIO_RNG_SAVE_TAG, VIRTIO_RNG_SAVE_VERSION);
    stream_put_u64(s, r->bytes);
    stream_end_section(s, mark);
    return s->err;
}

static int virtio_rng_restore(void *dev, struct stream *s)
{
    struct virtio_rng *r = dev;
    size_t end;
    int rc = stream_open_section(s, VIRTIO_RNG_SAVE_TAG, VIRTIO_RNG_SAVE_VERSION, NULL, &end);
    if (rc) return rc;
    uint64_t bytes = stream_get_u64(s);
    rc = stream_close_section(s, end);
    if (rc) return rc;
    r->bytes = bytes;
    /* Requests already in the restored avail ring: serve them as a notify
     * would. */
    if (r->t) ioloop_event_post(r->kick);
    return 0;
}

const struct virtio_dev_ops virtio_rng_ops = {
    .device_id = VIRTIO_ID_RNG,
    .features = 0,
    .num_queues = 1,
    .config_size = 0,
    .notify = virtio_rng_notify,
    .save = virtio_rng_save,
    .restore = virtio_rng_restore,
};

int virtio_rng_create(struct virtio_rng **out, struct ioloop *loop)
{
    struct virtio_rng *r = calloc(1, sizeof(*r));
    if (!r) return -ENOMEM;
    int rc = ioloop_event_new(loop, virtio_rng_kick, r, &r->kick);
    if (rc) {
        free(r);
        return rc;
    }
    *out = r;
    return 0;
}

void virtio_rng_attach(struct virtio_rng *r, struct virtio_mmio *t)
{
    r->t = t;
}

void virtio_rng_destroy(struct virtio_rng *r)
{
    if (!r) return;
    /* From another thread, this waits for a running kick to finish. */
    ioloop_event_free(r->kick);
    free(r);
}
