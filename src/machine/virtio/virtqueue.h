/* Split virtqueues (virtio 1.x section 2.7): the device side of one queue.
 * Pops descriptor chains the driver made available into lists of host
 * pointers (the driver-readable part first, then the device-writable part),
 * pushes used elements and decides whether the driver wants an interrupt
 * (VIRTIO_F_EVENT_IDX, section 2.7.10). Every value read from guest memory
 * is checked; the walker never touches memory outside guest RAM (all access
 * goes through ram_dma()). It knows no transport registers and no device. */
#ifndef RVMM_MACHINE_VIRTIO_VIRTQUEUE_H
#define RVMM_MACHINE_VIRTIO_VIRTQUEUE_H

#include "common/types.h"
#include "mem/ram.h"

/* Largest queue the transports offer (QueueNumMax). */
#define VQ_MAX_SIZE 256
/* Most buffers one chain may have, indirect tables included. */
#define VQ_MAX_IOV 1024
/* Most bytes one chain may describe. */
#define VQ_MAX_TOTAL (256ULL << 20)

#define VIRTQ_DESC_F_NEXT     1
#define VIRTQ_DESC_F_WRITE    2
#define VIRTQ_DESC_F_INDIRECT 4

#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX     29

struct vq {
    /* Set by the transport before vq_check(). */
    uint16_t num;
    gpa_t desc, avail, used;
    bool indirect;  /* VIRTIO_RING_F_INDIRECT_DESC negotiated */
    bool event_idx; /* VIRTIO_RING_F_EVENT_IDX negotiated */
    /* Device state. */
    uint16_t last_avail;     /* next avail ring entry to pop */
    uint16_t used_idx;       /* next used ring entry to write */
    uint16_t signalled_used; /* used_idx at the last interrupt */
    bool signalled_valid;
};

struct vq_iov {
    void *base;
    uint32_t len;
    gpa_t gpa;
};

struct vq_chain {
    uint16_t head;
    unsigned nout, nin; /* iov[0..nout) readable, iov[nout..nout+nin) writable */
    uint64_t out_len, in_len;
    struct vq_iov iov[VQ_MAX_IOV];
};

/* Forgets the ring addresses and the device state. */
void vq_reset(struct vq *q);

/* Checks the queue parameters: size a power of two in [1, VQ_MAX_SIZE],
 * rings aligned (16, 2, 4) and inside RAM. 0 or -EINVAL. */
int vq_check(const struct vq *q, const struct guest_ram *ram);

/* Pops the next available chain into *c: 1 if one was popped, 0 if the
 * ring is empty, -EINVAL if the driver broke the ring (bad index, loop,
 * buffer outside RAM, readable after writable, nested indirect, too long).
 * After an error the queue must not be used until reset. */
int vq_pop(struct vq *q, struct guest_ram *ram, struct vq_chain *c);

/* Gives back the chain the last vq_pop returned, unused: the next vq_pop
 * walks it again. For a device whose host side is full (back-pressure): the
 * buffer stays in the ring, so nothing but the ring describes it. */
void vq_unpop(struct vq *q);

/* Pushes the used element {head, written} and publishes it. */
int vq_push(struct vq *q, struct guest_ram *ram, uint16_t head, uint32_t written);

/* Whether the driver wants an interrupt for what was pushed since the last
 * call that returned true (section 2.7.10: used_event, or NO_INTERRUPT). */
bool vq_should_notify(struct vq *q, struct guest_ram *ram);

/* Copies host bytes into the writable part of a chain, noting the writes;
 * returns how many were copied. */
uint32_t vq_chain_write(struct guest_ram *ram, const struct vq_chain *c, const void *src,
                        uint64_t len);

#endif
