/* libFuzzer target for virtio-vsock (src/machine/virtio/virtio_vsock.c) and
 * its packet parser, behind the real transport and virtqueue walker, with
 * the real multiplexer (backend/vsock/vsock_mux.c) as the host side. The
 * input is guest RAM: rx, tx and event queues of 8 entries at fixed
 * addresses whose rings, descriptors, headers and payloads all come from
 * the fuzzer. A host listener stands at "<uds_path>_5", so guest REQUESTs
 * to port 5 make real connections whose data and credit the fuzzer drives;
 * other ports get RSTs. The device serves tx then rx twice (answers go out
 * on the rx ring). Every chain popped must be completed unless the ring
 * was declared broken. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "backend/vsock/vsock_mux.h"
#include "common/ioloop.h"
#include "machine/virtio/virtio_vsock.h"

#include "fuzz_virtio_regs.h"

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (96ULL << 10)
#define NUM      8

static void fuzz_irq(void *opaque, unsigned n, int level) {}

struct host {
    struct ioloop *loop;
    struct vsock_mux *mux;
    int lfd;
};

/* One multiplexer and listener for the whole run (binding sockets per
 * input would be slow); attaching each input's device drops the previous
 * input's connections. */
static struct host *host_get(void)
{
    static struct host h;
    static bool done;
    if (done) return &h;
    char path[64], lpath[80], err[256];
    snprintf(path, sizeof(path), "/tmp/rvmm-fuzz-vsock-%d", (int)getpid());
    snprintf(lpath, sizeof(lpath), "%s_5", path);
    unlink(path);
    unlink(lpath);
    if (ioloop_create(&h.loop) || vsock_mux_open(&h.mux, 3, path, h.loop, err, sizeof(err)))
        abort();
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    memcpy(sa.sun_path, lpath, strlen(lpath) + 1);
    h.lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (h.lfd < 0 || bind(h.lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(h.lfd, 512)) abort();
    done = true;
    return &h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct guest_ram ram;
    struct virtio_vsock *v;
    struct virtio_mmio *t;
    if (size < 1) return 0;
    struct host *h = host_get();
    bool indirect = data[0] & 1, event_idx = data[0] & 2;
    if (ram_create(&ram, RAM_BASE, RAM_SIZE)) abort();
    memcpy(ram.host, data + 1, size - 1 < RAM_SIZE ? size - 1 : RAM_SIZE);
    if (virtio_vsock_create(&v, h->mux, h->loop)) abort();
    struct irq_line irq = {fuzz_irq, NULL, 1};
    if (virtio_mmio_create(&t, &ram, &irq, &virtio_vsock_ops, v)) abort();
    virtio_vsock_attach(v, t);

    fz_negotiate(t, indirect, event_idx);
    fz_queue(t, VIRTIO_VSOCK_RXQ, NUM, RAM_BASE);
    fz_queue(t, VIRTIO_VSOCK_TXQ, NUM, RAM_BASE + 0x400);
    fz_queue(t, VIRTIO_VSOCK_EVTQ, NUM, RAM_BASE + 0x800);
    fz_reg(t, 0x70, 0xf);
    virtio_vsock_drain(v);
    virtio_vsock_drain(v);

    uint64_t status = 0;
    virtio_mmio_ops.read(t, 0x70, 4, &status);
    struct vq *tx = virtio_mmio_queue(t, VIRTIO_VSOCK_TXQ);
    if (!(status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) && tx->used_idx != tx->last_avail) abort();

    virtio_vsock_destroy(v);
    virtio_mmio_destroy(t);
    ram_destroy(&ram);
    /* The connections the input made are closed: take them off the
     * listener's queue. */
    for (int fd; (fd = accept(h->lfd, NULL, NULL)) >= 0;)
        close(fd);
    return 0;
}
