/* The host side of virtio-vsock, as Firecracker shapes it (its docs/vsock.md):
 * guest AF_VSOCK streams become AF_UNIX streams on the host. A host process
 * connects to uds_path and writes "CONNECT <port>\n" to reach a guest
 * listener on that port; the answer is "OK <hostport>\n" and then the bytes
 * of the stream. A guest connection to the host (CID 2) port P is connected
 * to a host listener at "<uds_path>_P".
 *
 * The multiplexer keeps one entry per connection with its state and the
 * virtio-vsock credit accounting (virtio 1.2 section 5.10.6.3): it reads a
 * host socket only while the guest has room for the bytes, and it takes at
 * most VSOCK_MUX_BUF_ALLOC unforwarded bytes from the guest per connection
 * (a guest sending more than its credit gets the connection reset).
 *
 * Threads: everything runs on the VM's I/O thread (its fd callbacks, and
 * the device's calls to vsock_mux_send/recv), except open/close/attach. It
 * opens the listening socket once per VM; it outlives guest reboots (the
 * device of each board attaches to it). It never touches guest memory. */
#ifndef RVMM_BACKEND_VSOCK_VSOCK_MUX_H
#define RVMM_BACKEND_VSOCK_VSOCK_MUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Packet header fields (virtio 1.2 section 5.10.6, struct virtio_vsock_hdr,
 * 44 bytes little-endian on the wire). */
#define VSOCK_HDR_SIZE    44
#define VSOCK_HOST_CID    2
#define VSOCK_TYPE_STREAM 1
enum vsock_op {
    VSOCK_OP_INVALID = 0,
    VSOCK_OP_REQUEST = 1,
    VSOCK_OP_RESPONSE = 2,
    VSOCK_OP_RST = 3,
    VSOCK_OP_SHUTDOWN = 4,
    VSOCK_OP_RW = 5,
    VSOCK_OP_CREDIT_UPDATE = 6,
    VSOCK_OP_CREDIT_REQUEST = 7,
};
#define VSOCK_SHUTDOWN_RCV  1 /* the sender will receive no more */
#define VSOCK_SHUTDOWN_SEND 2 /* the sender will send no more */

/* Largest payload of one packet either way (Linux's
 * VIRTIO_VSOCK_MAX_PKT_BUF_SIZE). */
#define VSOCK_MAX_PAYLOAD (64u << 10)
/* Bytes the host side takes from the guest per connection before it must
 * have forwarded them (the buf_alloc it advertises; Firecracker's too). */
#define VSOCK_MUX_BUF_ALLOC (256u << 10)
/* Connections at once (guest- and host-initiated together). */
#define VSOCK_MUX_MAX_CONNS 256
/* The first port given to host-initiated connections (Firecracker's). */
#define VSOCK_MUX_FIRST_LOCAL_PORT (1u << 30)

struct vsock_pkt {
    uint64_t src_cid, dst_cid;
    uint32_t src_port, dst_port, len;
    uint16_t type, op;
    uint32_t flags, buf_alloc, fwd_cnt;
};

void vsock_pkt_decode(struct vsock_pkt *p, const uint8_t b[VSOCK_HDR_SIZE]);
void vsock_pkt_encode(const struct vsock_pkt *p, uint8_t b[VSOCK_HDR_SIZE]);

struct ioloop;
struct vsock_mux;

struct vsock_mux_stats {
    uint64_t conns_host, conns_guest; /* connections made each way */
    uint64_t rx_bytes, tx_bytes;      /* payload host->guest, guest->host */
    uint64_t resets;                  /* RSTs sent to the guest */
};

/* Binds and listens on uds_path (which must not exist, as for Firecracker)
 * and watches it on loop. On failure err holds one line. */
int vsock_mux_open(struct vsock_mux **out, uint64_t guest_cid, const char *uds_path,
                   struct ioloop *loop, char *err, size_t errlen);
/* Closes every connection and the listener, and removes uds_path. */
void vsock_mux_close(struct vsock_mux *m);

/* Sets (fn) or clears (NULL) what is called when packets for the guest are
 * pending; fn runs on the I/O thread and must not call back into the mux
 * (a device posts an event). Attaching drops every connection: a new
 * device (a rebuilt board, a restored VM) knows none. Any thread. */
void vsock_mux_attach(struct vsock_mux *m, void (*fn)(void *), void *opaque);

/* A packet from the guest whose header the device checked (type stream,
 * from the guest's CID to the host, len bytes of data). */
void vsock_mux_send(struct vsock_mux *m, const struct vsock_pkt *p, const uint8_t *data);
/* The next packet for the guest, its payload (at most cap bytes) in buf:
 * 1, or 0 when nothing is pending. */
int vsock_mux_recv(struct vsock_mux *m, struct vsock_pkt *p, uint8_t *buf, uint32_t cap);
/* Drops every connection without telling the guest (the device sends a
 * transport reset event instead). I/O thread, or the loop paused. */
void vsock_mux_reset(struct vsock_mux *m);

uint64_t vsock_mux_guest_cid(const struct vsock_mux *m);
/* I/O thread, or the loop paused. */
void vsock_mux_get_stats(const struct vsock_mux *m, struct vsock_mux_stats *out);

#endif
