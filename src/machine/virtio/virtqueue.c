/* Split virtqueue walker (virtio 1.x section 2.7). Owns the device side of
 * the rings; must not know transports or devices. Guest memory is shared with
 * running vCPUs: ring indices are read with acquire and published with
 * release ordering, and every guest value is checked before use. */
#include "machine/virtio/virtqueue.h"

#include <errno.h>
#include <string.h>

/* Ring layouts (section 2.7.6, 2.7.8): avail = flags, idx, ring[num],
 * used_event; used = flags, idx, ring[num]{id, len}, avail_event. */
#define VQ_DESC_SIZE               16
#define VRING_AVAIL_F_NO_INTERRUPT 1

static uint64_t vq_avail_size(uint16_t num)
{
    return 6 + 2ULL * num;
}

static uint64_t vq_used_size(uint16_t num)
{
    return 6 + 8ULL * num;
}

void vq_reset(struct vq *q)
{
    memset(q, 0, sizeof(*q));
}

int vq_check(const struct vq *q, const struct guest_ram *ram)
{
    if (q->num == 0 || q->num > VQ_MAX_SIZE || (q->num & (q->num - 1))) return -EINVAL;
    if ((q->desc & 15) || (q->avail & 1) || (q->used & 3)) return -EINVAL;
    if (!ram_dma(ram, q->desc, (uint64_t)q->num * VQ_DESC_SIZE)) return -EINVAL;
    if (!ram_dma(ram, q->avail, vq_avail_size(q->num))) return -EINVAL;
    if (!ram_dma(ram, q->used, vq_used_size(q->num))) return -EINVAL;
    return 0;
}

/* Guest memory accessors: each re-checks its address, so a queue whose
 * parameters were never checked still cannot reach outside RAM. */
static int vq_load16(const struct guest_ram *ram, gpa_t pa, uint16_t *v)
{
    uint16_t *p = ram_dma(ram, pa, 2);
    if (!p || (pa & 1)) return -EINVAL;
    *v = __atomic_load_n(p, __ATOMIC_ACQUIRE);
    return 0;
}

static int vq_store16(struct guest_ram *ram, gpa_t pa, uint16_t v)
{
    uint16_t *p = ram_dma(ram, pa, 2);
    if (!p || (pa & 1)) return -EINVAL;
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
    ram_note_write(ram, pa, 2);
    return 0;
}

struct vq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

static int vq_load_desc(const struct guest_ram *ram, gpa_t pa, struct vq_desc *d)
{
    const uint8_t *p = ram_dma(ram, pa, VQ_DESC_SIZE);
    if (!p) return -EINVAL;
    memcpy(&d->addr, p, 8);
    memcpy(&d->len, p + 8, 4);
    memcpy(&d->flags, p + 12, 2);
    memcpy(&d->next, p + 14, 2);
    return 0;
}

/* Section 2.7.5.3: a chain's descriptors, direct or through one indirect
 * table (no nesting, and never INDIRECT together with NEXT). */
static int vq_walk(const struct vq *q, struct guest_ram *ram, uint16_t head, struct vq_chain *c)
{
    gpa_t table = q->desc;
    uint32_t tsize = q->num, seen = 0, i = head;
    bool in_indirect = false, writable = false;
    uint64_t total = 0;
    unsigned n = 0;

    c->head = head;
    c->nout = c->nin = 0;
    c->out_len = c->in_len = 0;
    for (;;) {
        struct vq_desc d;
        if (i >= tsize || ++seen > tsize) return -EINVAL; /* bad index or loop */
        if (vq_load_desc(ram, table + (uint64_t)i * VQ_DESC_SIZE, &d)) return -EINVAL;
        if (d.flags & VIRTQ_DESC_F_INDIRECT) {
            if (!q->indirect || in_indirect || (d.flags & VIRTQ_DESC_F_NEXT)) return -EINVAL;
            if (d.len == 0 || d.len % VQ_DESC_SIZE || d.len / VQ_DESC_SIZE > VQ_MAX_IOV)
                return -EINVAL;
            /* No alignment rule for indirect tables (Linux's come from kmalloc,
             * 8-aligned under SLOB); descriptors are copied out, never cast. */
            if (!ram_dma(ram, d.addr, d.len)) return -EINVAL;
            table = d.addr;
            tsize = d.len / VQ_DESC_SIZE;
            in_indirect = true;
            seen = 0;
            i = 0;
            continue;
        }
        total += d.len;
        if (total > VQ_MAX_TOTAL || n >= VQ_MAX_IOV) return -EINVAL;
        void *p = ram_dma(ram, d.addr, d.len);
        if (!p) return -EINVAL;
        if (d.flags & VIRTQ_DESC_F_WRITE) {
            writable = true;
            c->nin++;
            c->in_len += d.len;
        } else {
            if (writable) return -EINVAL; /* 2.7.4.2: readable after writable */
            c->nout++;
            c->out_len += d.len;
        }
        c->iov[n++] = (struct vq_iov){.base = p, .len = d.len, .gpa = d.addr};
        if (!(d.flags & VIRTQ_DESC_F_NEXT)) return 0;
        i = d.next;
    }
}

int vq_pop(struct vq *q, struct guest_ram *ram, struct vq_chain *c)
{
    uint16_t avail_idx, head;
    if (q->num == 0) return -EINVAL;
    if (vq_load16(ram, q->avail + 2, &avail_idx)) return -EINVAL;
    uint16_t pending = (uint16_t)(avail_idx - q->last_avail);
    if (pending == 0) return 0;
    if (pending > q->num) return -EINVAL;
    if (vq_load16(ram, q->avail + 4 + 2ULL * (q->last_avail & (q->num - 1)), &head)) return -EINVAL;
    if (head >= q->num) return -EINVAL;
    if (vq_walk(q, ram, head, c)) return -EINVAL;
    q->last_avail++;
    /* 2.7.10: tell the driver how far we have read (avail_event). */
    if (q->event_idx && vq_store16(ram, q->used + 4 + 8ULL * q->num, q->last_avail)) return -EINVAL;
    return 1;
}

void vq_unpop(struct vq *q)
{
    q->last_avail--;
}

int vq_push(struct vq *q, struct guest_ram *ram, uint16_t head, uint32_t written)
{
    if (q->num == 0) return -EINVAL;
    gpa_t elem = q->used + 4 + 8ULL * (q->used_idx & (q->num - 1));
    uint8_t *p = ram_dma(ram, elem, 8);
    if (!p) return -EINVAL;
    uint32_t id = head;
    memcpy(p, &id, 4);
    memcpy(p + 4, &written, 4);
    ram_note_write(ram, elem, 8);
    q->used_idx++;
    return vq_store16(ram, q->used + 2, q->used_idx);
}

bool vq_should_notify(struct vq *q, struct guest_ram *ram)
{
    uint16_t old = q->signalled_used, now = q->used_idx, v;
    bool valid = q->signalled_valid;
    if (q->num == 0) return false;
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* used idx visible before reading flags */
    q->signalled_used = now;
    q->signalled_valid = true;
    if (!q->event_idx) {
        if (vq_load16(ram, q->avail, &v)) return true;
        return !(v & VRING_AVAIL_F_NO_INTERRUPT);
    }
    if (vq_load16(ram, q->avail + 4 + 2ULL * q->num, &v)) return true;
    /* vring_need_event(used_event, new, old) */
    return !valid || (uint16_t)(now - v - 1) < (uint16_t)(now - old);
}

uint32_t vq_chain_write(struct guest_ram *ram, const struct vq_chain *c, const void *src,
                        uint64_t len)
{
    const uint8_t *s = src;
    uint64_t done = 0;
    for (unsigned k = c->nout; k < c->nout + c->nin && done < len; k++) {
        const struct vq_iov *v = &c->iov[k];
        uint64_t n = v->len < len - done ? v->len : len - done;
        memcpy(v->base, s + done, n);
        ram_note_write(ram, v->gpa, n);
        done += n;
    }
    return (uint32_t)done;
}
