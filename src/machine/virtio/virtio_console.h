/* virtio console (virtio 1.x section 5.3, device id 3) with one port and no
 * MULTIPORT: receiveq (0) carries host input to the guest, transmitq (1)
 * guest output to the host; Linux makes it an hvc console. The device serves
 * both queues on the I/O thread: a notify only posts an event, so a vCPU
 * never waits for the host. The host side (a terminal, a pipe) is reached
 * through struct virtio_console_host. */
#ifndef RVMM_MACHINE_VIRTIO_VIRTIO_CONSOLE_H
#define RVMM_MACHINE_VIRTIO_VIRTIO_CONSOLE_H

#include "machine/virtio/virtio_mmio.h"

#include <stddef.h>

#define VIRTIO_ID_CONSOLE 3

struct ioloop;
struct virtio_console;

/* Called on the I/O thread. */
struct virtio_console_host {
    /* Takes up to n bytes of guest output and returns how many it took. Fewer
     * than n means the host is full: the rest stays in the guest's ring until
     * the host calls virtio_console_tx_resume(). Called with the transport
     * mutex held: must not call back into the device. */
    size_t (*write)(void *opaque, const uint8_t *buf, size_t n);
    /* The driver may have posted receive buffers: input refused by
     * virtio_console_receive() can be offered again. */
    void (*rx_ready)(void *opaque);
    void *opaque;
};

/* loop must outlive the device; host is copied. */
int virtio_console_create(struct virtio_console **out, struct ioloop *loop,
                          const struct virtio_console_host *host);
/* Waits for a running I/O-thread callback of the device to finish. */
void virtio_console_destroy(struct virtio_console *c);
/* The transport the device sits behind (after board_add_virtio). */
void virtio_console_attach(struct virtio_console *c, struct virtio_mmio *t);

/* I/O thread: copies host input into the driver's receive buffers and
 * returns how many bytes it took (0 while the driver posted none). */
size_t virtio_console_receive(struct virtio_console *c, const uint8_t *buf, size_t n);
/* I/O thread: the host can take output again. */
void virtio_console_tx_resume(struct virtio_console *c);

/* Device callbacks for virtio_mmio_create(); dev is the struct virtio_console. */
extern const struct virtio_dev_ops virtio_console_ops;

#endif
