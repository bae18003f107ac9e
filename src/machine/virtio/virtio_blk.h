/* virtio block device (virtio 1.x section 5.2, device id 2): one request
 * queue served on the VM's I/O thread against a block backend.
 *
 * Threads. The driver's notify arrives on a vCPU thread with the transport
 * mutex held; the device only posts an ioloop event there and returns to the
 * guest. The event runs virtio_blk_drain() on the I/O thread: it pops a chain
 * under the transport mutex, drops the mutex for the backend I/O, then takes
 * it again to push the used element and raise the interrupt. A driver reset
 * that happens while a request is out is noticed on the way back (the
 * completion is dropped, never pushed onto the new rings).
 *
 * Quiescing (pause, snapshot, reboot). Each request is served from start to
 * end inside one ioloop callback, so once the vCPUs are stopped (no new
 * notify) and ioloop_run_sync(loop, fn, opaque) has been entered, no request
 * is in flight: every popped chain has its used element and its data is in
 * the backend. Chains the driver made available but the loop has not
 * popped yet are still in the avail ring, with last_avail before them, so
 * they are part of the saved ring state; calling virtio_blk_drain() from fn
 * serves them too, leaving nothing pending. The device keeps no state of
 * its own beyond its transport's (its config space comes from the drive),
 * so virtio_mmio_save/restore are all a snapshot needs. After a restore,
 * virtio_blk_kick() makes it look at the rings once without a notify. */
#ifndef RVMM_MACHINE_VIRTIO_VIRTIO_BLK_H
#define RVMM_MACHINE_VIRTIO_VIRTIO_BLK_H

#include "backend/block/blockdev.h"
#include "common/ioloop.h"
#include "machine/virtio/virtio_mmio.h"

#define VIRTIO_ID_BLOCK 2

/* Feature bits (section 5.2.3). */
#define VIRTIO_BLK_F_SEG_MAX      2
#define VIRTIO_BLK_F_RO           5
#define VIRTIO_BLK_F_BLK_SIZE     6
#define VIRTIO_BLK_F_FLUSH        9
#define VIRTIO_BLK_F_DISCARD      13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

/* Request types and status values (section 5.2.6). */
#define VIRTIO_BLK_T_IN           0
#define VIRTIO_BLK_T_OUT          1
#define VIRTIO_BLK_T_FLUSH        4
#define VIRTIO_BLK_T_GET_ID       8
#define VIRTIO_BLK_T_DISCARD      11
#define VIRTIO_BLK_T_WRITE_ZEROES 13

#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

#define VIRTIO_BLK_SECTOR   512
#define VIRTIO_BLK_ID_BYTES 20
/* Limits offered in config space: segments per chain, and per discard or
 * write-zeroes request its ranges and the sectors of one range. */
#define VIRTIO_BLK_SEG_MAX         (VQ_MAX_SIZE - 2)
#define VIRTIO_BLK_MAX_RANGES      32
#define VIRTIO_BLK_MAX_RANGE_SECTS (1u << 22)
/* Config space up to write_zeroes_may_unmap and its padding. */
#define VIRTIO_BLK_CONFIG_SIZE 60

struct virtio_blk;

struct virtio_blk_stats {
    uint64_t reads, writes, flushes, discards, write_zeroes, ids, errors;
    uint64_t read_bytes, written_bytes;
};

/* bd is not owned and must outlive the device; readonly offers VIRTIO_BLK_F_RO
 * (a backend opened read-only is read-only whatever the flag). serial (may be
 * NULL) is what GET_ID returns, cut to 20 bytes. */
int virtio_blk_create(struct virtio_blk **out, struct blockdev *bd, bool readonly,
                      const char *serial, struct ioloop *loop);
/* Waits for a request the I/O thread is serving, then frees the device:
 * call it before the transport goes away. */
void virtio_blk_destroy(struct virtio_blk *b);

/* Device callbacks for virtio_mmio_create(); the features depend on the
 * drive, so each device has its own table. */
const struct virtio_dev_ops *virtio_blk_ops(const struct virtio_blk *b);
/* The transport the device was put behind (before the guest runs). */
void virtio_blk_attach(struct virtio_blk *b, struct virtio_mmio *t);

/* Swaps the medium (Firecracker's PATCH /drives: a new path_on_host) and
 * raises the configuration change interrupt so the driver reads the new
 * capacity. On the I/O thread or while it is quiesced, so no request is
 * half served against the old backend; the caller closes that one.
 * -EINVAL if bd is read-only and the device was offered writable. */
int virtio_blk_set_backend(struct virtio_blk *b, struct blockdev *bd);

/* Limits the rate requests are served at (ratelimit.h; NULL or all-zero:
 * no limit). A throttled request waits in the ring until the limiter's
 * timer drains the queue again. On the I/O thread, while it is quiesced,
 * or before the guest runs. 0 or a negative errno. */
struct ratelimit_config;
int virtio_blk_set_ratelimit(struct virtio_blk *b, const struct ratelimit_config *c);
/* Requests held back by the limiter so far. I/O thread or quiesced. */
uint64_t virtio_blk_throttled(const struct virtio_blk *b);

/* Serves every request available now. On the I/O thread (or while it is
 * quiesced by ioloop_run_sync, or before it starts); never on a vCPU. */
void virtio_blk_drain(struct virtio_blk *b);
/* Asks the I/O thread to drain once, as a notify would. Any thread. */
void virtio_blk_kick(struct virtio_blk *b);

/* Counters since create; read while the device is quiesced. */
const struct virtio_blk_stats *virtio_blk_stats(const struct virtio_blk *b);

#endif
