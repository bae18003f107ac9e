/* libFuzzer target for virtio-net (src/machine/virtio/virtio_net.c) behind
 * the real transport, virtqueue walker and netdev flow control. The input
 * is guest RAM: an rx and a tx queue of 8 entries at fixed addresses whose
 * rings, descriptors and buffers all come from the fuzzer; then the device
 * serves the tx ring and the backend delivers frames of several sizes. The
 * loopback backend reads every byte it is sent, so a frame the device let
 * run past guest RAM is an ASan error. Every chain popped must be
 * completed unless the ring was declared broken. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/net/netdev.h"
#include "common/ioloop.h"
#include "machine/virtio/virtio_net.h"

#include "fuzz_virtio_regs.h"

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (96ULL << 10)
#define NUM      8

/* Not linked here: the fuzzer never opens a real backend. */
int net_slirp_open(struct netdev **out, const char *opts, unsigned mtu, struct ioloop *loop,
                   char *err, size_t errlen)
{
    return -ENOSYS;
}

int net_tap_open(struct netdev **out, const char *opts, struct ioloop *loop, char *err,
                 size_t errlen)
{
    return -ENOSYS;
}

static volatile uint8_t sink;

static int lo_send(struct netdev *nd, const uint8_t *frame, size_t len)
{
    if (len > NETDEV_MAX_FRAME) abort();
    uint8_t x = 0;
    for (size_t k = 0; k < len; k++)
        x ^= frame[k];
    sink = x;
    return 0;
}

static void lo_close(struct netdev *nd) {}

static const struct netdev_ops lo_ops = {.name = "loop", .send = lo_send, .close = lo_close};

static void fuzz_irq(void *opaque, unsigned n, int level) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t frame[NETDEV_MAX_FRAME];
    static const size_t sizes[4] = {60, 1514, 9000, NETDEV_MAX_FRAME};
    struct guest_ram ram;
    struct ioloop *loop;
    struct virtio_net *net;
    struct virtio_mmio *t;
    if (size < 1) return 0;
    bool indirect = data[0] & 1, event_idx = data[0] & 2;
    unsigned nframes = (data[0] >> 2) & 15;
    if (ram_create(&ram, RAM_BASE, RAM_SIZE) || ioloop_create(&loop)) abort();
    memcpy(ram.host, data + 1, size - 1 < RAM_SIZE ? size - 1 : RAM_SIZE);
    struct netdev nd = {.ops = &lo_ops, .loop = loop};
    static const uint8_t mac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
    if (virtio_net_create(&net, &nd, mac, loop)) abort();
    struct irq_line irq = {fuzz_irq, NULL, 1};
    if (virtio_mmio_create(&t, &ram, &irq, &virtio_net_ops, net)) abort();
    virtio_net_start(net, t);

    fz_negotiate(t, indirect, event_idx);
    fz_queue(t, VIRTIO_NET_RXQ, NUM, RAM_BASE);
    fz_queue(t, VIRTIO_NET_TXQ, NUM, RAM_BASE + 0x400);
    fz_reg(t, 0x70, 0xf);
    fz_reg(t, 0x50, VIRTIO_NET_TXQ);
    virtio_net_drain(net);
    for (unsigned k = 0; k < nframes; k++) {
        size_t len = sizes[k & 3];
        memset(frame, (int)k, len);
        netdev_deliver(&nd, frame, len);
    }
    virtio_net_drain(net);

    uint64_t status = 0;
    virtio_mmio_ops.read(t, 0x70, 4, &status);
    for (unsigned q = 0; q < 2; q++) {
        struct vq *vq = virtio_mmio_queue(t, q);
        if (!(status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) && vq->used_idx != vq->last_avail) abort();
    }

    virtio_net_destroy(net);
    virtio_mmio_destroy(t);
    netdev_close(&nd);
    ioloop_destroy(loop);
    ram_destroy(&ram);
    return 0;
}
