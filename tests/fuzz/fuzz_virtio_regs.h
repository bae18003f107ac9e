/* The driver's side of a virtio-mmio probe for the device fuzz targets:
 * register writes through the transport's bus ops, the features the input
 * picks, and a queue's rings at fixed addresses. */
#ifndef RVMM_TESTS_FUZZ_VIRTIO_REGS_H
#define RVMM_TESTS_FUZZ_VIRTIO_REGS_H

#include "machine/virtio/virtio_mmio.h"

static inline void fz_reg(struct virtio_mmio *t, uint64_t off, uint32_t v)
{
    virtio_mmio_ops.write(t, off, 4, v);
}

/* Up to FEATURES_OK: every feature offered but the ring ones the input
 * turned off. */
static inline void fz_negotiate(struct virtio_mmio *t, bool indirect, bool event_idx)
{
    fz_reg(t, 0x70, 3);
    for (uint32_t sel = 0; sel < 2; sel++) {
        uint64_t f = 0;
        fz_reg(t, 0x14, sel);
        virtio_mmio_ops.read(t, 0x10, 4, &f);
        if (sel == 0 && !indirect) f &= ~(1u << VIRTIO_RING_F_INDIRECT_DESC);
        if (sel == 0 && !event_idx) f &= ~(1u << VIRTIO_RING_F_EVENT_IDX);
        fz_reg(t, 0x24, sel);
        fz_reg(t, 0x20, (uint32_t)f);
    }
    fz_reg(t, 0x70, 0xb);
}

/* Queue q of num entries: descriptors at base, avail ring at base + 0x100,
 * used ring at base + 0x200. */
static inline void fz_queue(struct virtio_mmio *t, uint32_t q, uint32_t num, uint64_t base)
{
    fz_reg(t, 0x30, q);
    fz_reg(t, 0x38, num);
    fz_reg(t, 0x80, (uint32_t)base);
    fz_reg(t, 0x84, base >> 32);
    fz_reg(t, 0x90, (uint32_t)(base + 0x100));
    fz_reg(t, 0x94, base >> 32);
    fz_reg(t, 0xa0, (uint32_t)(base + 0x200));
    fz_reg(t, 0xa4, base >> 32);
    fz_reg(t, 0x44, 1);
}

#endif
