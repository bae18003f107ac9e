/* What the two sides of a migration share: the wire format and the socket
 * helpers (migration_stream.c). Internal to src/vmm.
 *
 * The stream is a sequence of frames {u32 tag, u32 length, payload, u32
 * CRC-32 of tag, length and payload}, little-endian:
 *   source -> destination
 *     HELO  magic "RVMMMIG\0", u32 version, string cpu model, string rvmm
 *           version, u64 RAM size, u32 flags (MIG_HELO_*), u32 compression
 *           (enum mig_compression), then the CONF section of a snapshot
 *     PAGE  u32 count, then count times {u64 page << 1 | zero, [4096 bytes
 *           unless zero]}; with compression, that payload packed by
 *           mig_codec_pack (migration_compress.c)
 *     STAT  the snapshot sections VCLK, VCPU and the board's
 *     SYNC  empty: answer when everything before it is in place
 *     CANC  the source gave up: the destination discards everything
 *   destination -> source
 *     RPLY  u32 status (0 = accepted), string message: after HELO
 *     SYNC  empty: the answer to SYNC
 *     DONE  u32 status (0 = the VM is built and resumes), string message
 * A string is u32 length and bytes. */
#ifndef RVMM_VMM_MIGRATION_IMPL_H
#define RVMM_VMM_MIGRATION_IMPL_H

#include "common/stream.h"
#include "vmm/migration.h"

#define MIG_MAGIC       "RVMMMIG"
#define MIG_VERSION     2
#define MIG_TAG_HELO    STREAM_TAG('H', 'E', 'L', 'O')
#define MIG_TAG_PAGE    STREAM_TAG('P', 'A', 'G', 'E')
#define MIG_TAG_STAT    STREAM_TAG('S', 'T', 'A', 'T')
#define MIG_TAG_CANC    STREAM_TAG('C', 'A', 'N', 'C')
#define MIG_TAG_SYNC    STREAM_TAG('S', 'Y', 'N', 'C')
#define MIG_TAG_RPLY    STREAM_TAG('R', 'P', 'L', 'Y')
#define MIG_TAG_DONE    STREAM_TAG('D', 'O', 'N', 'E')
#define MIG_BATCH       256         /* pages per PAGE frame */
#define MIG_FRAME_MAX   (64u << 20) /* refused beyond: a corrupt length */
#define MIG_PAGE_ENTRY  (8 + 4096)
#define MIG_PAGE_MAX    (4 + MIG_BATCH * MIG_PAGE_ENTRY) /* a plain PAGE payload */
#define MIG_HELO_PAUSED 1u /* the VM was paused on the source: it stays paused */

/* A PAGE frame's compression (migration_compress.c). */
struct mig_codec {
    int alg; /* enum mig_compression */
    void *cctx, *dctx;
};
int mig_codec_init(struct mig_codec *c, int alg);
void mig_codec_free(struct mig_codec *c);
/* The room a packed payload of n plain bytes may need. */
size_t mig_codec_bound(int alg, size_t n);
/* Packs n plain bytes into dst (cap >= mig_codec_bound). 0 or -EINVAL. */
int mig_codec_pack(struct mig_codec *c, const uint8_t *src, size_t n, uint8_t *dst, size_t cap,
                   size_t *out);
/* Unpacks a packed payload from the wire into dst (at most cap bytes):
 * 0, or -EBADMSG for anything malformed. */
int mig_codec_unpack(struct mig_codec *c, const uint8_t *src, size_t n, uint8_t *dst, size_t cap,
                     size_t *out);

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
