/* Network backends: where a virtual NIC's Ethernet frames go on the host
 * (user-mode NAT through libslirp, a tap device), behind one table of
 * operations. A backend is opened once per VM and outlives the boards
 * built on it (guest reboots); the NIC attaches to it as the receiver.
 *
 * Threads: everything here runs on the VM's I/O thread (the ioloop), except
 * netdev_open/netdev_close and netdev_attach, which may run on any thread.
 *
 * Flow control: the backend hands host->guest frames to netdev_deliver().
 * When the receiver has no room (the guest posted no rx buffers), the frame
 * is kept and the netdev is "blocked": the backend stops reading its host
 * side until the NIC calls netdev_rx_ready(). Frames a backend cannot help
 * producing while blocked (slirp's ACKs, timers) wait in a short queue and
 * are dropped beyond it, as a real link drops them. */
#ifndef RVMM_BACKEND_NET_NETDEV_H
#define RVMM_BACKEND_NET_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest Ethernet frame either way (64 KiB IP packet + Ethernet header,
 * with slack, as QEMU's NET_BUFSIZE-sized frames). */
#define NETDEV_MAX_FRAME 65550
/* Frames kept while the receiver is blocked. */
#define NETDEV_QUEUE_MAX 64

struct ioloop;
struct netdev;
struct stream;

/* Receives one host->guest frame on the I/O thread: returns 1 when it was
 * delivered, a negative errno when it was dropped (no driver, too long),
 * 0 when the guest has no room now (the netdev keeps the frame and waits
 * for netdev_rx_ready). */
typedef int (*netdev_receive_fn)(void *opaque, const uint8_t *frame, size_t len);

struct netdev_ops {
    const char *name; /* "user", "tap" */
    /* Sends one guest->host frame; 0 or a negative errno (frame dropped). */
    int (*send)(struct netdev *nd, const uint8_t *frame, size_t len);
    /* The receiver can take frames again: resume reading the host side. */
    void (*resume)(struct netdev *nd);
    void (*close)(struct netdev *nd);
};

struct netdev_stats {
    uint64_t rx_frames, rx_bytes, rx_dropped; /* host->guest */
    uint64_t tx_frames, tx_bytes, tx_dropped; /* guest->host */
};

struct netdev_frame {
    size_t len;
    uint8_t *data;
};

struct netdev {
    const struct netdev_ops *ops;
    struct ioloop *loop;
    netdev_receive_fn receive;
    void *rx_opaque;
    bool blocked;
    bool closing; /* netdev_close began: deliveries are dropped */
    /* Ring of frames kept while blocked. */
    struct netdev_frame queue[NETDEV_QUEUE_MAX];
    unsigned qhead, qlen;
    /* Written on the I/O thread by the netdev and the NIC attached to it. */
    struct netdev_stats stats;
};

/* Opens a backend from a --net spec without the mac= and mtu= keys
 * ("user[,hostfwd=tcp:[ADDR]:HP-:GP]...", "tap,ifname=NAME"). mtu is the
 * one offered to the guest (0: none, Ethernet's 1500): user-mode NAT sends
 * and takes IP packets up to it; a tap device keeps the host's setting.
 * Registers its fds on loop. On failure err holds one line and nothing is
 * left open. */
int netdev_open(struct netdev **out, const char *spec, unsigned mtu, struct ioloop *loop, char *err,
                size_t errlen);
void netdev_close(struct netdev *nd);

/* Sets (fn) or clears (NULL) the receiver. Runs on the I/O thread (waits
 * for it), so no delivery is in progress when it returns. Attaching flushes
 * frames kept for the previous receiver into the new one. */
void netdev_attach(struct netdev *nd, netdev_receive_fn fn, void *opaque);

/* The counters, read on the I/O thread (any thread may call). */
void netdev_get_stats(struct netdev *nd, struct netdev_stats *out);

/* Snapshots (I/O thread parked): one section (tag "NDEV") with the
 * counters and the frames kept for the guest. A backend's host side (slirp's
 * connections, a tap device) cannot be carried: restore fills a freshly
 * opened netdev, which keeps the frames (blocked) until the NIC calls
 * netdev_rx_ready. Restore rejects what a save cannot have written. */
void netdev_save(const struct netdev *nd, struct stream *s);
int netdev_restore(struct netdev *nd, struct stream *s);

/* NIC side (I/O thread). */
int netdev_send(struct netdev *nd, const uint8_t *frame, size_t len);
/* The guest posted rx buffers: delivers kept frames, unblocks if all went. */
void netdev_rx_ready(struct netdev *nd);

/* Backend side (I/O thread): hands one frame to the receiver. Returns false
 * when the netdev is (now) blocked: the backend should stop reading. */
bool netdev_deliver(struct netdev *nd, const uint8_t *frame, size_t len);

/* Backends (netdev_open dispatches to them); opts is the spec after the
 * backend name and its comma, possibly empty. */
int net_slirp_open(struct netdev **out, const char *opts, unsigned mtu, struct ioloop *loop,
                   char *err, size_t errlen);
/* The largest MTU user-mode NAT takes (libslirp's IF_MTU_MAX and
 * IF_MRU_MAX; slirp_new refuses more), and the smallest (IF_MTU_MIN). */
#define NET_SLIRP_MTU_MAX 65521
#define NET_SLIRP_MTU_MIN 68
int net_tap_open(struct netdev **out, const char *opts, struct ioloop *loop, char *err,
                 size_t errlen);
/* Checks one hostfwd rule (the text after "hostfwd=") as net_slirp_open
 * would, without listening: the API refuses a bad rule when it is PUT,
 * not when the VM starts. 0, or -EINVAL with one line in err. */
int net_slirp_check_hostfwd(const char *rule, char *err, size_t errlen);

#endif
