/* libFuzzer target for virtio-balloon (src/machine/virtio/virtio_balloon.c)
 * behind the real transport and virtqueue walker. The input is guest RAM:
 * the inflate, deflate, statistics and free page reporting queues (8
 * entries each, at fixed addresses) with rings, descriptors, page numbers
 * and ranges all from the fuzzer, and byte 0 picks the device's features.
 * The host side discards for real (ram_discard on the fuzzer's RAM) and
 * checks every range it is given: page-aligned and inside RAM. Every chain
 * popped must be completed (the statistics buffer may be held) unless the
 * ring was declared broken, and the balloon never holds more than RAM. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ioloop.h"
#include "machine/virtio/virtio_balloon.h"

#include "fuzz_virtio_regs.h"

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (128ULL << 10)
#define NUM      8

static void fuzz_discard(void *opaque, struct guest_ram *ram, gpa_t gpa, uint64_t len)
{
    if (!ram_contains(ram, gpa, len) || (gpa | len) & (RAM_PAGE_SIZE - 1) || !len) abort();
    if (ram_discard(ram, gpa, len)) abort();
}

static void fuzz_irq(void *opaque, unsigned n, int level) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct guest_ram ram;
    struct ioloop *loop;
    struct virtio_balloon *b;
    struct virtio_mmio *t;
    if (size < 1) return 0;
    struct virtio_balloon_config cfg = {.target_pages = data[0] >> 4,
                                        .deflate_on_oom = data[0] & 1,
                                        .stats_interval_s = data[0] & 2 ? 1 : 0,
                                        .free_page_reporting = data[0] & 4};
    if (ram_create(&ram, RAM_BASE, RAM_SIZE) || ioloop_create(&loop)) abort();
    memcpy(ram.host, data + 1, size - 1 < RAM_SIZE ? size - 1 : RAM_SIZE);
    struct virtio_balloon_host host = {.discard = fuzz_discard};
    if (virtio_balloon_create(&b, &cfg, &ram, loop, &host)) abort();
    struct irq_line irq = {fuzz_irq, NULL, 1};
    if (virtio_mmio_create(&t, &ram, &irq, virtio_balloon_ops(b), b)) abort();
    virtio_balloon_attach(b, t);

    fz_negotiate(t, data[0] & 8, true);
    unsigned nq = virtio_balloon_ops(b)->num_queues;
    for (unsigned q = 0; q < nq; q++)
        fz_queue(t, q, NUM, RAM_BASE + 0x400 * q);
    fz_reg(t, 0x70, 0xf);
    for (unsigned q = 0; q < nq; q++)
        fz_reg(t, 0x50, q);
    virtio_balloon_drain(b, false);
    virtio_balloon_drain(b, true);
    virtio_balloon_drain(b, false);

    struct virtio_balloon_info info;
    virtio_balloon_info(b, &info);
    if (info.inflated_pages > ram.npages) abort();
    uint64_t status = 0;
    virtio_mmio_ops.read(t, 0x70, 4, &status);
    if (!(status & VIRTIO_STATUS_DEVICE_NEEDS_RESET))
        for (unsigned q = 0; q < nq; q++) {
            struct vq *vq = virtio_mmio_queue(t, q);
            uint16_t open = (uint16_t)(vq->last_avail - vq->used_idx);
            if (open > (cfg.stats_interval_s && q == 2 ? 1 : 0)) abort();
        }

    virtio_balloon_destroy(b);
    virtio_mmio_destroy(t);
    ioloop_destroy(loop);
    ram_destroy(&ram);
    return 0;
}
