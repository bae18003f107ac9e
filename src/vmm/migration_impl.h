/* What the two sides of a migration share: the wire format and the socket
 * helpers (migration_stream.c). Internal to src/vmm.
 *
 * The stream is a sequence of frames {u32 tag, u32 length, payload, u32
 * CRC-32 of tag, length and payload}, little-endian:
 *   source -> destination
 *     HELO  magic "RVMMMIG\0", u32 version, string cpu model, string rvmm
 *           version, u64 RAM size, then the CONF section of a snapshot
 *     PAGE  u32 count, then count times {u64 page << 1 | zero, [4096 bytes
 *           unless zero]}
 *     STAT  the snapshot sections VCLK, VCPU and the board's
 *     CANC  the source gave up: the destination discards everything
 *   destination -> source
 *     RPLY  u32 status (0 = accepted), string message: after HELO
 *     DONE  u32 status (0 = the VM is built and resumes), string message
 * A string is u32 length and bytes. */
#ifndef RVMM_VMM_MIGRATION_IMPL_H
#define RVMM_VMM_MIGRATION_IMPL_H

#include "common/stream.h"
#include "vmm/migration.h"

#define MIG_MAGIC      "RVMMMIG"
#define MIG_VERSION    1
#define MIG_TAG_HELO   STREAM_TAG('H', 'E', 'L', 'O')
#define MIG_TAG_PAGE   STREAM_TAG('P', 'A', 'G', 'E')
#define MIG_TAG_STAT   STREAM_TAG('S', 'T', 'A', 'T')
#define MIG_TAG_CANC   STREAM_TAG('C', 'A', 'N', 'C')
#define MIG_TAG_RPLY   STREAM_TAG('R', 'P', 'L', 'Y')
#define MIG_TAG_DONE   STREAM_TAG('D', 'O', 'N', 'E')
#define MIG_BATCH      256         /* pages per PAGE frame */
#define MIG_FRAME_MAX  (64u << 20) /* refused beyond: a corrupt length */
#define MIG_PAGE_ENTRY (8 + 4096)

/* The convergence policy, apart from the I/O so it can be tested alone.
 * After each round (bytes sent, bytes left dirty, how long it took):
 * computes the round's figures, takes the next auto-converge step when the
 * guest dirtied memory at least half as fast as the link sent it for two
 * rounds running (20% first, then 10% more, at most 99%, as QEMU), and
 * returns true when what is left fits the downtime limit. */
struct mig_policy {
    uint32_t downtime_ms;
    bool auto_converge;
    unsigned throttle, slow_rounds; /* state kept between rounds */
};
struct mig_round {
    unsigned round; /* 0 = the first, whole-RAM pass */
    uint64_t sent, dirty, ns;
    /* out: */
    uint64_t bandwidth, dirty_rate, expected_ms;
};
bool mig_policy_round(struct mig_policy *p, struct mig_round *r);

/* A connected socket for url: the source connects, the destination's
 * listener accepts. 0 or a negative errno with one line in err. */
int mig_connect(const char *url, int *fd, char *err, size_t errlen);
int mig_listen(const char *url, int *fd, char *err, size_t errlen);

/* Sends one frame; 0 or a negative errno (-EPIPE: the peer is gone). */
int mig_send_frame(int fd, uint32_t tag, const void *payload, size_t len);
/* Receives one frame into *buf (grown as needed, *cap its size): 0 with
 * *tag and *len set; -EPIPE if the peer closed, -EBADMSG for a bad CRC or
 * length, another negative errno otherwise. */
int mig_recv_frame(int fd, uint32_t *tag, uint8_t **buf, size_t *cap, size_t *len);

/* A status frame (RPLY, DONE): u32 status, string message. */
int mig_send_status(int fd, uint32_t tag, int status, const char *msg);

void mig_put_str(struct stream *s, const char *str);
/* Reads a string of at most max - 1 bytes into out (NUL-terminated). */
int mig_get_str(struct stream *s, char *out, size_t max);

#endif
