/* libFuzzer target for virtio-blk request handling (src/machine/virtio/
 * virtio_blk.c) behind the real transport and virtqueue walker. The input
 * is guest RAM: a queue of 8 entries at fixed addresses whose avail ring,
 * descriptors and requests all come from the fuzzer. The disk is 64 KiB in
 * host memory, so any access the device lets through outside it is an ASan
 * error. The device must never touch memory outside RAM or the disk, must
 * complete or refuse every chain, and must not write a read-only disk. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_virtio_regs.h"
#include "machine/virtio/virtio_blk.h"

#define RAM_BASE  0x80000000ULL
#define RAM_SIZE  (64ULL << 10)
#define DISK_SIZE (64ULL << 10)
#define NUM       8

struct memdisk {
    struct blockdev bd;
    uint8_t *data;
};

static uint8_t *disk_at(struct blockdev *bd, uint64_t off)
{
    return ((struct memdisk *)bd)->data + off;
}

static int md_read(struct blockdev *bd, uint64_t off, void *buf, size_t len)
{
    memcpy(buf, disk_at(bd, off), len);
    return 0;
}

static int md_write(struct blockdev *bd, uint64_t off, const void *buf, size_t len)
{
    if (bd->readonly) abort();
    memcpy(disk_at(bd, off), buf, len);
    return 0;
}

static int md_flush(struct blockdev *bd)
{
    return 0;
}

static int md_zero(struct blockdev *bd, uint64_t off, uint64_t len, bool unmap)
{
    if (bd->readonly) abort();
    memset(disk_at(bd, off), 0, len);
    return 0;
}

static int md_discard(struct blockdev *bd, uint64_t off, uint64_t len)
{
    return md_zero(bd, off, len, true);
}

static const struct blockdev_ops md_ops = {
    .name = "mem",
    .read = md_read,
    .write = md_write,
    .flush = md_flush,
    .discard = md_discard,
    .write_zeroes = md_zero,
};

static void fuzz_irq(void *opaque, unsigned n, int level) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t disk[DISK_SIZE];
    struct guest_ram ram;
    struct ioloop *loop;
    struct virtio_blk *blk;
    struct virtio_mmio *t;
    if (size < 1) return 0;
    bool readonly = data[0] & 1;
    bool indirect = data[0] & 2;
    bool event_idx = data[0] & 4;
    if (ram_create(&ram, RAM_BASE, RAM_SIZE) || ioloop_create(&loop)) abort();
    memcpy(ram.host, data + 1, size - 1 < RAM_SIZE ? size - 1 : RAM_SIZE);
    struct memdisk md = {{.ops = &md_ops, .size = DISK_SIZE, .readonly = readonly}, disk};
    if (virtio_blk_create(&blk, &md.bd, readonly, "fuzz", loop)) abort();
    struct irq_line irq = {fuzz_irq, NULL, 1};
    if (virtio_mmio_create(&t, &ram, &irq, virtio_blk_ops(blk), blk)) abort();
    virtio_blk_attach(blk, t);

    /* The driver's side of the probe: every feature offered but the ring
     * ones the input turned off, then queue 0 at fixed addresses. */
    fz_negotiate(t, indirect, event_idx);
    fz_queue(t, 0, NUM, RAM_BASE);
    fz_reg(t, 0x70, 0xf);
    fz_reg(t, 0x50, 0);
    virtio_blk_drain(blk);

    /* Every chain popped was pushed, unless the ring was declared broken. */
    uint64_t status = 0;
    virtio_mmio_ops.read(t, 0x70, 4, &status);
    struct vq *q = virtio_mmio_queue(t, 0);
    if (!(status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) && q->used_idx != q->last_avail) abort();

    virtio_blk_destroy(blk);
    virtio_mmio_destroy(t);
    ioloop_destroy(loop);
    ram_destroy(&ram);
    return 0;
}
