/* virtio-mmio version 2 register model (virtio 1.x section 4.2.2). Owns the
 * transport registers, the status machine and the queues' parameters; must
 * not know what any device does with its queues. */
#include "machine/virtio/virtio_mmio.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Section 4.2.2, table "MMIO Device Register Layout". */
enum {
    VM_MAGIC = 0x000,
    VM_VERSION = 0x004,
    VM_DEVICE_ID = 0x008,
    VM_VENDOR_ID = 0x00c,
    VM_DEVICE_FEATURES = 0x010,
    VM_DEVICE_FEATURES_SEL = 0x014,
    VM_DRIVER_FEATURES = 0x020,
    VM_DRIVER_FEATURES_SEL = 0x024,
    VM_QUEUE_SEL = 0x030,
    VM_QUEUE_NUM_MAX = 0x034,
    VM_QUEUE_NUM = 0x038,
    VM_QUEUE_READY = 0x044,
    VM_QUEUE_NOTIFY = 0x050,
    VM_INTERRUPT_STATUS = 0x060,
    VM_INTERRUPT_ACK = 0x064,
    VM_STATUS = 0x070,
    VM_QUEUE_DESC_LOW = 0x080,
    VM_QUEUE_DESC_HIGH = 0x084,
    VM_QUEUE_DRIVER_LOW = 0x090,
    VM_QUEUE_DRIVER_HIGH = 0x094,
    VM_QUEUE_DEVICE_LOW = 0x0a0,
    VM_QUEUE_DEVICE_HIGH = 0x0a4,
    VM_SHM_LEN_LOW = 0x0b0,
    VM_SHM_LEN_HIGH = 0x0b4,
    VM_SHM_BASE_LOW = 0x0b8,
    VM_SHM_BASE_HIGH = 0x0bc,
    VM_CONFIG_GENERATION = 0x0fc,
    VM_CONFIG = 0x100,
};

#define VIRTIO_MMIO_MAGIC  0x74726976 /* "virt" */
#define VIRTIO_MMIO_VENDOR 0x4d4d5652 /* "RVMM" */

#define VIRTIO_INT_USED   1
#define VIRTIO_INT_CONFIG 2

#define VIRTIO_MMIO_SAVE_TAG     STREAM_TAG('V', 'M', 'M', 'I')
#define VIRTIO_MMIO_SAVE_VERSION 1

struct virtio_mmio_queue {
    struct vq vq;
    bool ready;
};

struct virtio_mmio {
    pthread_mutex_t lock;
    struct guest_ram *ram;
    struct irq_line irq;
    const struct virtio_dev_ops *ops;
    void *dev;
    uint32_t dev_features_sel, drv_features_sel;
    uint64_t drv_features;
    uint32_t queue_sel;
    uint32_t int_status;
    uint32_t status;
    uint32_t config_gen;
    bool irq_level;
    struct virtio_mmio_queue q[VIRTIO_MMIO_MAX_QUEUES];
};

static uint64_t virtio_mmio_offered(const struct virtio_mmio *t)
{
    return t->ops->features | (1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_RING_F_INDIRECT_DESC) |
           (1ULL << VIRTIO_RING_F_EVENT_IDX);
}

static void virtio_mmio_update_irq(struct virtio_mmio *t)
{
    bool level = t->int_status != 0;
    if (level != t->irq_level) {
        t->irq_level = level;
        irq_set(&t->irq, level);
    }
}

static void virtio_mmio_reset(struct virtio_mmio *t)
{
    t->dev_features_sel = t->drv_features_sel = 0;
    t->drv_features = 0;
    t->queue_sel = 0;
    t->int_status = 0;
    t->status = 0;
    for (unsigned i = 0; i < VIRTIO_MMIO_MAX_QUEUES; i++) {
        vq_reset(&t->q[i].vq);
        t->q[i].ready = false;
    }
    if (t->ops->reset) t->ops->reset(t->dev);
    virtio_mmio_update_irq(t);
}

int virtio_mmio_create(struct virtio_mmio **out, struct guest_ram *ram, const struct irq_line *irq,
                       const struct virtio_dev_ops *ops, void *dev)
{
    if (ops->num_queues > VIRTIO_MMIO_MAX_QUEUES || !ops->notify) return -EINVAL;
    struct virtio_mmio *t = calloc(1, sizeof(*t));
    if (!t) return -ENOMEM;
    pthread_mutex_init(&t->lock, NULL);
    t->ram = ram;
    t->irq = *irq;
    t->ops = ops;
    t->dev = dev;
    *out = t;
    return 0;
}

void virtio_mmio_destroy(struct virtio_mmio *t)
{
    if (!t) return;
    pthread_mutex_destroy(&t->lock);
    free(t);
}

struct vq *virtio_mmio_queue(struct virtio_mmio *t, unsigned q)
{
    return q < t->ops->num_queues ? &t->q[q].vq : NULL;
}

struct guest_ram *virtio_mmio_ram(struct virtio_mmio *t)
{
    return t->ram;
}

void virtio_mmio_used(struct virtio_mmio *t, unsigned q)
{
    if (q >= t->ops->num_queues || !t->q[q].ready) return;
    if (vq_should_notify(&t->q[q].vq, t->ram)) {
        t->int_status |= VIRTIO_INT_USED;
        virtio_mmio_update_irq(t);
    }
}

void virtio_mmio_needs_reset(struct virtio_mmio *t)
{
    t->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
    if (t->status & VIRTIO_STATUS_DRIVER_OK) {
        t->int_status |= VIRTIO_INT_CONFIG;
        virtio_mmio_update_irq(t);
    }
}

void virtio_mmio_config_changed(struct virtio_mmio *t)
{
    t->config_gen++;
    if (t->status & VIRTIO_STATUS_DRIVER_OK) {
        t->int_status |= VIRTIO_INT_CONFIG;
        virtio_mmio_update_irq(t);
    }
}

uint32_t virtio_mmio_status(struct virtio_mmio *t)
{
    pthread_mutex_lock(&t->lock);
    uint32_t s = t->status;
    pthread_mutex_unlock(&t->lock);
    return s;
}

uint64_t virtio_mmio_driver_features(struct virtio_mmio *t)
{
    return t->status & VIRTIO_STATUS_FEATURES_OK ? t->drv_features : 0;
}

void virtio_mmio_lock(struct virtio_mmio *t)
{
    pthread_mutex_lock(&t->lock);
}

void virtio_mmio_unlock(struct virtio_mmio *t)
{
    pthread_mutex_unlock(&t->lock);
}

bool virtio_mmio_queue_live(struct virtio_mmio *t, unsigned q)
{
    return q < t->ops->num_queues && t->q[q].ready && (t->status & VIRTIO_STATUS_DRIVER_OK) &&
           !(t->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
}

static struct virtio_mmio_queue *virtio_mmio_sel(struct virtio_mmio *t)
{
    return t->queue_sel < t->ops->num_queues ? &t->q[t->queue_sel] : NULL;
}

static uint32_t virtio_mmio_reg_read(struct virtio_mmio *t, uint64_t off)
{
    struct virtio_mmio_queue *q = virtio_mmio_sel(t);
    switch (off) {
    case VM_MAGIC: return VIRTIO_MMIO_MAGIC;
    case VM_VERSION: return 2;
    case VM_DEVICE_ID: return t->ops->device_id;
    case VM_VENDOR_ID: return VIRTIO_MMIO_VENDOR;
    case VM_DEVICE_FEATURES:
        return t->dev_features_sel < 2
                   ? (uint32_t)(virtio_mmio_offered(t) >> (32 * t->dev_features_sel))
                   : 0;
    case VM_QUEUE_NUM_MAX: return q ? VQ_MAX_SIZE : 0;
    case VM_QUEUE_READY: return q ? q->ready : 0;
    case VM_INTERRUPT_STATUS: return t->int_status;
    case VM_STATUS: return t->status;
    case VM_QUEUE_DESC_LOW: return q ? (uint32_t)q->vq.desc : 0;
    case VM_QUEUE_DESC_HIGH: return q ? (uint32_t)(q->vq.desc >> 32) : 0;
    case VM_QUEUE_DRIVER_LOW: return q ? (uint32_t)q->vq.avail : 0;
    case VM_QUEUE_DRIVER_HIGH: return q ? (uint32_t)(q->vq.avail >> 32) : 0;
    case VM_QUEUE_DEVICE_LOW: return q ? (uint32_t)q->vq.used : 0;
    case VM_QUEUE_DEVICE_HIGH: return q ? (uint32_t)(q->vq.used >> 32) : 0;
    case VM_SHM_LEN_LOW:
    case VM_SHM_LEN_HIGH: return 0xffffffff; /* no shared memory regions */
    case VM_CONFIG_GENERATION: return t->config_gen;
    default: return 0;
    }
}

static void virtio_mmio_set_addr(struct virtio_mmio_queue *q, gpa_t *a, bool high, uint32_t v)
{
    if (q->ready) return; /* 4.2.2.3: only while the queue is not ready */
    *a = high ? (*a & 0xffffffffULL) | ((uint64_t)v << 32) : (*a & ~0xffffffffULL) | v;
}

/* Section 2.2 / 3.1.1: FEATURES_OK sticks only for a subset of what was
 * offered that includes VIRTIO_F_VERSION_1. */
static void virtio_mmio_write_status(struct virtio_mmio *t, uint32_t v)
{
    if (v == 0) {
        virtio_mmio_reset(t);
        return;
    }
    v &= 0xff & ~VIRTIO_STATUS_DEVICE_NEEDS_RESET;
    if ((v & VIRTIO_STATUS_FEATURES_OK) && !(t->status & VIRTIO_STATUS_FEATURES_OK)) {
        uint64_t f = t->drv_features;
        if ((f & ~virtio_mmio_offered(t)) || !(f & (1ULL << VIRTIO_F_VERSION_1)))
            v &= ~VIRTIO_STATUS_FEATURES_OK;
    }
    if ((v & VIRTIO_STATUS_DRIVER_OK) && !(v & VIRTIO_STATUS_FEATURES_OK))
        v &= ~VIRTIO_STATUS_DRIVER_OK;
    t->status = (t->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) | v;
}

static void virtio_mmio_reg_write(struct virtio_mmio *t, uint64_t off, uint32_t v)
{
    struct virtio_mmio_queue *q = virtio_mmio_sel(t);
    switch (off) {
    case VM_DEVICE_FEATURES_SEL: t->dev_features_sel = v; break;
    case VM_DRIVER_FEATURES:
        if (t->drv_features_sel < 2 && !(t->status & VIRTIO_STATUS_FEATURES_OK)) {
            unsigned sh = 32 * t->drv_features_sel;
            t->drv_features = (t->drv_features & ~(0xffffffffULL << sh)) | ((uint64_t)v << sh);
        }
        break;
    case VM_DRIVER_FEATURES_SEL: t->drv_features_sel = v; break;
    case VM_QUEUE_SEL: t->queue_sel = v; break;
    case VM_QUEUE_NUM:
        if (q && !q->ready) q->vq.num = v > 0xffff ? 0 : (uint16_t)v;
        break;
    case VM_QUEUE_READY:
        if (!q) break;
        if (!v) {
            q->ready = false;
        } else if (!q->ready) {
            uint64_t f = t->drv_features;
            q->vq.indirect = f & (1ULL << VIRTIO_RING_F_INDIRECT_DESC);
            q->vq.event_idx = f & (1ULL << VIRTIO_RING_F_EVENT_IDX);
            q->vq.last_avail = q->vq.used_idx = 0;
            q->vq.signalled_valid = false;
            if (vq_check(&q->vq, t->ram) == 0)
                q->ready = true;
            else
                virtio_mmio_needs_reset(t);
        }
        break;
    case VM_QUEUE_NOTIFY:
        if (virtio_mmio_queue_live(t, v)) t->ops->notify(t->dev, t, v);
        break;
    case VM_INTERRUPT_ACK:
        t->int_status &= ~v;
        virtio_mmio_update_irq(t);
        break;
    case VM_STATUS: virtio_mmio_write_status(t, v); break;
    case VM_QUEUE_DESC_LOW:
    case VM_QUEUE_DESC_HIGH:
        if (q) virtio_mmio_set_addr(q, &q->vq.desc, off == VM_QUEUE_DESC_HIGH, v);
        break;
    case VM_QUEUE_DRIVER_LOW:
    case VM_QUEUE_DRIVER_HIGH:
        if (q) virtio_mmio_set_addr(q, &q->vq.avail, off == VM_QUEUE_DRIVER_HIGH, v);
        break;
    case VM_QUEUE_DEVICE_LOW:
    case VM_QUEUE_DEVICE_HIGH:
        if (q) virtio_mmio_set_addr(q, &q->vq.used, off == VM_QUEUE_DEVICE_HIGH, v);
        break;
    default: break;
    }
}

static bool virtio_mmio_config_ok(const struct virtio_mmio *t, uint64_t off, unsigned size)
{
    uint64_t c = off - VM_CONFIG;
    return (size == 1 || size == 2 || size == 4) && !(off & (size - 1)) &&
           c + size <= t->ops->config_size;
}

static int virtio_mmio_read(void *opaque, uint64_t off, unsigned size, uint64_t *val)
{
    struct virtio_mmio *t = opaque;
    int ret = 0;
    pthread_mutex_lock(&t->lock);
    if (off >= VM_CONFIG) {
        if (virtio_mmio_config_ok(t, off, size) && t->ops->config_read)
            *val = t->ops->config_read(t->dev, off - VM_CONFIG, size);
        else
            *val = 0;
    } else if (size != 4 || (off & 3)) {
        ret = -EINVAL;
    } else {
        *val = virtio_mmio_reg_read(t, off);
    }
    pthread_mutex_unlock(&t->lock);
    return ret;
}

static int virtio_mmio_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
    struct virtio_mmio *t = opaque;
    int ret = 0;
    pthread_mutex_lock(&t->lock);
    if (off >= VM_CONFIG) {
        if (virtio_mmio_config_ok(t, off, size) && t->ops->config_write)
            t->ops->config_write(t->dev, off - VM_CONFIG, size, val);
    } else if (size != 4 || (off & 3)) {
        ret = -EINVAL;
    } else {
        virtio_mmio_reg_write(t, off, (uint32_t)val);
    }
    pthread_mutex_unlock(&t->lock);
    return ret;
}

const struct bus_dev_ops virtio_mmio_ops = {
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
};

int virtio_mmio_save(struct virtio_mmio *t, struct stream *s)
{
    pthread_mutex_lock(&t->lock);
    size_t mark = stream_begin_section(s, VIRTIO_MMIO_SAVE_TAG, VIRTIO_MMIO_SAVE_VERSION);
    stream_put_u32(s, t->dev_features_sel);
    stream_put_u32(s, t->drv_features_sel);
    stream_put_u64(s, t->drv_features);
    stream_put_u32(s, t->queue_sel);
    stream_put_u32(s, t->int_status);
    stream_put_u32(s, t->status);
    stream_put_u32(s, t->config_gen);
    stream_put_u32(s, t->ops->num_queues);
    for (unsigned i = 0; i < t->ops->num_queues; i++) {
        const struct virtio_mmio_queue *q = &t->q[i];
        stream_put_u8(s, q->ready);
        stream_put_u32(s, q->vq.num);
        stream_put_u64(s, q->vq.desc);
        stream_put_u64(s, q->vq.avail);
        stream_put_u64(s, q->vq.used);
        stream_put_u32(s, q->vq.last_avail);
        stream_put_u32(s, q->vq.used_idx);
        stream_put_u32(s, q->vq.signalled_used);
        stream_put_u8(s, q->vq.signalled_valid);
    }
    stream_end_section(s, mark);
    pthread_mutex_unlock(&t->lock);
    return s->err;
}

int virtio_mmio_restore(struct virtio_mmio *t, struct stream *s)
{
    struct virtio_mmio n;
    uint32_t version;
    size_t end;
    int ret =
        stream_open_section(s, VIRTIO_MMIO_SAVE_TAG, VIRTIO_MMIO_SAVE_VERSION, &version, &end);
    if (ret) return ret;
    pthread_mutex_lock(&t->lock);
    n = *t;
    n.dev_features_sel = stream_get_u32(s);
    n.drv_features_sel = stream_get_u32(s);
    n.drv_features = stream_get_u64(s);
    n.queue_sel = stream_get_u32(s);
    n.int_status = stream_get_u32(s) & (VIRTIO_INT_USED | VIRTIO_INT_CONFIG);
    n.status = stream_get_u32(s) & 0xff;
    n.config_gen = stream_get_u32(s);
    if (stream_get_u32(s) != t->ops->num_queues) ret = -EINVAL;
    for (unsigned i = 0; i < t->ops->num_queues && !ret; i++) {
        struct virtio_mmio_queue *q = &n.q[i];
        uint64_t f = n.drv_features;
        q->ready = stream_get_u8(s) != 0;
        uint32_t num = stream_get_u32(s);
        q->vq.num = num > 0xffff ? 0 : (uint16_t)num;
        q->vq.desc = stream_get_u64(s);
        q->vq.avail = stream_get_u64(s);
        q->vq.used = stream_get_u64(s);
        q->vq.last_avail = (uint16_t)stream_get_u32(s);
        q->vq.used_idx = (uint16_t)stream_get_u32(s);
        q->vq.signalled_used = (uint16_t)stream_get_u32(s);
        q->vq.signalled_valid = stream_get_u8(s) != 0;
        q->vq.indirect = f & (1ULL << VIRTIO_RING_F_INDIRECT_DESC);
        q->vq.event_idx = f & (1ULL << VIRTIO_RING_F_EVENT_IDX);
        if (q->ready && vq_check(&q->vq, t->ram)) ret = -EINVAL;
    }
    if (!ret) ret = s->err;
    if (!ret) ret = stream_close_section(s, end);
    if (!ret) {
        memcpy(t->q, n.q, sizeof(t->q));
        t->dev_features_sel = n.dev_features_sel;
        t->drv_features_sel = n.drv_features_sel;
        t->drv_features = n.drv_features;
        t->queue_sel = n.queue_sel;
        t->int_status = n.int_status;
        t->status = n.status;
        t->config_gen = n.config_gen;
        t->irq_level = !t->int_status; /* force the line to be driven */
        virtio_mmio_update_irq(t);
    }
    pthread_mutex_unlock(&t->lock);
    return ret;
}
