/* virtio-blk (virtio 1.x section 5.2): decodes and checks each request of
 * the driver, runs it against the block backend and writes the status byte.
 * Everything here runs on the I/O thread except notify and reset, which only
 * post an event or bump a generation. Guest memory is reached only through
 * the chains the virtqueue walker hands out; the device knows no transport
 * registers. */
#include "machine/virtio/virtio_blk.h"

#include "common/ratelimit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* struct virtio_blk_req's header (5.2.6): le32 type, le32 reserved, le64 sector. */
#define BLK_HDR_SIZE 16
/* struct virtio_blk_discard_write_zeroes: le64 sector, le32 num_sectors, le32 flags. */
#define BLK_RANGE_SIZE          16
#define BLK_WZ_FLAG_UNMAP       1
#define BLK_DISCARD_ALIGN_SECTS 8 /* 4 KiB: what hole punching works in */

/* Config layout offsets (5.2.4). */
enum {
    CFG_CAPACITY = 0,
    CFG_SEG_MAX = 12,
    CFG_BLK_SIZE = 20,
    CFG_MAX_DISCARD_SECTORS = 36,
    CFG_MAX_DISCARD_SEG = 40,
    CFG_DISCARD_ALIGN = 44,
    CFG_MAX_WZ_SECTORS = 48,
    CFG_MAX_WZ_SEG = 52,
    CFG_WZ_MAY_UNMAP = 56,
};

struct virtio_blk {
    struct virtio_dev_ops ops;
    struct blockdev *bd;
    bool readonly;
    uint64_t sectors;
    char serial[VIRTIO_BLK_ID_BYTES];
    uint8_t config[VIRTIO_BLK_CONFIG_SIZE];
    struct ioloop_event *kick;
    struct ioloop *loop;
    /* NULL until a limit is set; touched on the I/O thread only. */
    struct ratelimiter *rl;
    struct virtio_mmio *t;
    /* Bumped by a driver reset (transport mutex held): a request popped
     * before it must not be pushed after it. */
    uint64_t gen;
    struct virtio_blk_stats stats;
    struct vq_chain chain; /* the request being served: too big for the stack */
};

/* A position in a run of buffers of a chain: the readable part or the
 * writable part. */
struct blk_cursor {
    const struct vq_iov *iov;
    unsigned n, k;
    uint32_t at;
};

static struct blk_cursor blk_cursor(const struct vq_iov *iov, unsigned n, uint64_t skip)
{
    struct blk_cursor c = {iov, n, 0, 0};
    while (c.k < n && skip >= iov[c.k].len)
        skip -= iov[c.k++].len;
    c.at = (uint32_t)skip;
    return c;
}

/* The next piece of at most max bytes; 0 at the end. */
static uint32_t blk_next(struct blk_cursor *c, uint64_t max, uint8_t **p, gpa_t *gpa)
{
    while (c->k < c->n && c->at == c->iov[c->k].len) {
        c->k++;
        c->at = 0;
    }
    if (c->k == c->n || max == 0) return 0;
    const struct vq_iov *v = &c->iov[c->k];
    uint32_t len = v->len - c->at;
    if (len > max) len = (uint32_t)max;
    *p = (uint8_t *)v->base + c->at;
    *gpa = v->gpa + c->at;
    c->at += len;
    return len;
}

static struct blk_cursor blk_readable(const struct vq_chain *c, uint64_t skip)
{
    return blk_cursor(c->iov, c->nout, skip);
}

static struct blk_cursor blk_writable(const struct vq_chain *c, uint64_t skip)
{
    return blk_cursor(c->iov + c->nout, c->nin, skip);
}

/* Copies up to len bytes out of the guest; returns how many there were. */
static uint64_t blk_copy_in(struct blk_cursor cur, void *dst, uint64_t len)
{
    uint64_t done = 0;
    uint8_t *p;
    gpa_t gpa;
    uint32_t n;
    while ((n = blk_next(&cur, len - done, &p, &gpa))) {
        memcpy((uint8_t *)dst + done, p, n);
        done += n;
    }
    return done;
}

static uint64_t blk_copy_out(struct guest_ram *ram, struct blk_cursor cur, const void *src,
                             uint64_t len)
{
    uint64_t done = 0;
    uint8_t *p;
    gpa_t gpa;
    uint32_t n;
    while ((n = blk_next(&cur, len - done, &p, &gpa))) {
        memcpy(p, (const uint8_t *)src + done, n);
        ram_note_write(ram, gpa, n);
        done += n;
    }
    return done;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}

static bool blk_range_ok(const struct virtio_blk *b, uint64_t sector, uint64_t nsect)
{
    return sector <= b->sectors && nsect <= b->sectors - sector;
}

/* IN and OUT: the data is the writable part before the status byte (IN) or
 * the readable part after the header (OUT), whole sectors inside the disk. */
static int blk_rw(struct virtio_blk *b, struct guest_ram *ram, const struct vq_chain *c, bool write,
                  uint64_t sector, uint64_t *in_written)
{
    uint64_t len = write ? c->out_len - BLK_HDR_SIZE : c->in_len - 1;
    if (len % VIRTIO_BLK_SECTOR || !blk_range_ok(b, sector, len / VIRTIO_BLK_SECTOR))
        return VIRTIO_BLK_S_IOERR;
    if (write && b->readonly) return VIRTIO_BLK_S_IOERR;
    struct blk_cursor cur = write ? blk_readable(c, BLK_HDR_SIZE) : blk_writable(c, 0);
    uint64_t off = sector * VIRTIO_BLK_SECTOR, done = 0;
    uint8_t *p;
    gpa_t gpa;
    uint32_t n;
    int rc = 0;
    while (!rc && (n = blk_next(&cur, len - done, &p, &gpa))) {
        if (write) {
            rc = blockdev_write(b->bd, off + done, p, n);
        } else {
            rc = blockdev_read(b->bd, off + done, p, n);
            ram_note_write(ram, gpa, n); /* after the data: stale code blocks go */
        }
        done += n;
    }
    if (write) {
        b->stats.writes++;
        b->stats.written_bytes += rc ? 0 : len;
    } else {
        b->stats.reads++;
        b->stats.read_bytes += rc ? 0 : len;
        *in_written = done;
    }
    return rc ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
}

/* DISCARD and WRITE_ZEROES (5.2.6.2): every range is checked before any is
 * run, so a bad request changes nothing. */
static int blk_ranges(struct virtio_blk *b, const struct vq_chain *c, uint32_t type)
{
    uint8_t buf[VIRTIO_BLK_MAX_RANGES * BLK_RANGE_SIZE];
    uint64_t len = c->out_len - BLK_HDR_SIZE;
    bool zeroes = type == VIRTIO_BLK_T_WRITE_ZEROES;
    if (len == 0 || len % BLK_RANGE_SIZE || len > sizeof(buf)) return VIRTIO_BLK_S_IOERR;
    if (b->readonly) return VIRTIO_BLK_S_IOERR;
    blk_copy_in(blk_readable(c, BLK_HDR_SIZE), buf, len);
    unsigned n = (unsigned)(len / BLK_RANGE_SIZE);
    for (unsigned k = 0; k < n; k++) {
        const uint8_t *r = buf + k * BLK_RANGE_SIZE;
        uint64_t sector = le64(r);
        uint32_t nsect = le32(r + 8), flags = le32(r + 12);
        /* Discard takes no flag at all; write-zeroes only "unmap". */
        if (flags & ~(zeroes ? BLK_WZ_FLAG_UNMAP : 0u)) return VIRTIO_BLK_S_UNSUPP;
        if (nsect > VIRTIO_BLK_MAX_RANGE_SECTS || !blk_range_ok(b, sector, nsect))
            return VIRTIO_BLK_S_IOERR;
    }
    int rc = 0;
    for (unsigned k = 0; k < n && !rc; k++) {
        const uint8_t *r = buf + k * BLK_RANGE_SIZE;
        uint64_t off = le64(r) * VIRTIO_BLK_SECTOR;
        uint64_t bytes = (uint64_t)le32(r + 8) * VIRTIO_BLK_SECTOR;
        rc = zeroes ? blockdev_write_zeroes(b->bd, off, bytes, le32(r + 12) & BLK_WZ_FLAG_UNMAP)
                    : blockdev_discard(b->bd, off, bytes);
    }
    if (zeroes)
        b->stats.write_zeroes++;
    else
        b->stats.discards++;
    return rc ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
}

/* Serves one chain. Returns the bytes written into the chain (status byte
 * included), or -EINVAL when it has no writable byte for the status: such a
 * chain cannot be completed, the driver broke the protocol. */
static int64_t blk_serve(struct virtio_blk *b, struct guest_ram *ram, const struct vq_chain *c)
{
    if (c->in_len == 0) return -EINVAL;
    uint8_t hdr[BLK_HDR_SIZE];
    uint64_t data = 0;
    int status;
    if (blk_copy_in(blk_readable(c, 0), hdr, sizeof(hdr)) < sizeof(hdr)) {
        status = VIRTIO_BLK_S_IOERR;
    } else {
        uint32_t type = le32(hdr);
        uint64_t sector = le64(hdr + 8);
        switch (type) {
        case VIRTIO_BLK_T_IN:
        case VIRTIO_BLK_T_OUT:
            status = blk_rw(b, ram, c, type == VIRTIO_BLK_T_OUT, sector, &data);
            break;
        case VIRTIO_BLK_T_FLUSH:
            /* 5.2.6.4: done only once the data is on stable storage. */
            status = blockdev_flush(b->bd) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
            b->stats.flushes++;
            break;
        case VIRTIO_BLK_T_GET_ID: {
            uint64_t room = c->in_len - 1;
            data = blk_copy_out(ram, blk_writable(c, 0), b->serial,
                                room < VIRTIO_BLK_ID_BYTES ? room : VIRTIO_BLK_ID_BYTES);
            status = VIRTIO_BLK_S_OK;
            b->stats.ids++;
            break;
        }
        case VIRTIO_BLK_T_DISCARD:
        case VIRTIO_BLK_T_WRITE_ZEROES: status = blk_ranges(b, c, type); break;
        default: status = VIRTIO_BLK_S_UNSUPP; break;
        }
    }
    if (status != VIRTIO_BLK_S_OK) b->stats.errors++;
    uint8_t s = (uint8_t)status;
    blk_copy_out(ram, blk_writable(c, c->in_len - 1), &s, 1);
    return (int64_t)data + 1;
}

/* What a request costs the rate limiter (Firecracker's accounting): one
 * op each, and its data bytes for reads and writes. */
static uint64_t blk_cost_bytes(const struct vq_chain *c)
{
    uint8_t hdr[BLK_HDR_SIZE];
    if (blk_copy_in(blk_readable(c, 0), hdr, sizeof(hdr)) < sizeof(hdr)) return 0;
    uint32_t type = le32(hdr);
    if (type == VIRTIO_BLK_T_OUT) return c->out_len - BLK_HDR_SIZE;
    if (type == VIRTIO_BLK_T_IN && c->in_len) return c->in_len - 1;
    return 0;
}

void virtio_blk_drain(struct virtio_blk *b)
{
    struct virtio_mmio *t = b->t;
    if (!t) return;
    struct guest_ram *ram = virtio_mmio_ram(t);
    struct vq_chain *c = &b->chain;
    for (;;) {
        virtio_mmio_lock(t);
        struct vq *q = virtio_mmio_queue(t, 0);
        int rc = virtio_mmio_queue_live(t, 0) ? vq_pop(q, ram, c) : 0;
        if (rc <= 0) {
            if (rc < 0) virtio_mmio_needs_reset(t);
            virtio_mmio_unlock(t);
            return;
        }
        if (!ratelimiter_take(b->rl, blk_cost_bytes(c), 1)) {
            /* Throttled: the request stays in the ring; the limiter's
             * timer drains again when it may go. */
            vq_unpop(q);
            virtio_mmio_unlock(t);
            return;
        }
        uint64_t gen = b->gen;
        virtio_mmio_unlock(t);

        int64_t written = blk_serve(b, ram, c);

        virtio_mmio_lock(t);
        bool ok = written >= 0;
        if (gen == b->gen && virtio_mmio_queue_live(t, 0)) {
            if (ok && vq_push(q, ram, c->head, (uint32_t)written)) ok = false;
            if (ok)
                virtio_mmio_used(t, 0);
            else
                virtio_mmio_needs_reset(t);
        }
        virtio_mmio_unlock(t);
        if (!ok) return;
    }
}

static void blk_event(void *opaque)
{
    virtio_blk_drain(opaque);
}

void virtio_blk_kick(struct virtio_blk *b)
{
    ioloop_event_post(b->kick);
}

static void blk_notify(void *dev, struct virtio_mmio *t, unsigned q)
{
    (void)t, (void)q;
    virtio_blk_kick(dev);
}

static void blk_reset(void *dev)
{
    struct virtio_blk *b = dev;
    b->gen++;
}

static uint64_t blk_config_read(void *dev, uint64_t off, unsigned size)
{
    struct virtio_blk *b = dev;
    return virtio_config_le(b->config, off, size);
}

/* Nothing in this config space is writable (no VIRTIO_BLK_F_CONFIG_WCE). */
static void blk_config_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    (void)dev, (void)off, (void)size, (void)val;
}

#define VIRTIO_BLK_SAVE_TAG     STREAM_TAG('V', 'B', 'L', 'K')
#define VIRTIO_BLK_SAVE_VERSION 1

/* The rings are the transport's; the device saves what its drive looked
 * like to the guest, so a restore against another image size (or a
 * writable one where it was read-only) is refused rather than shown to a
 * driver that already read the capacity. */
static int blk_save(void *dev, struct stream *s)
{
    const struct virtio_blk *b = dev;
    size_t mark = stream_begin_section(s, VIRTIO_BLK_SAVE_TAG, VIRTIO_BLK_SAVE_VERSION);
    stream_put_u64(s, b->sectors);
    stream_put_u8(s, b->readonly);
    stream_put(s, b->serial, sizeof(b->serial));
    stream_end_section(s, mark);
    return s->err;
}

static int blk_restore(void *dev, struct stream *s)
{
    struct virtio_blk *b = dev;
    size_t end;
    int rc = stream_open_section(s, VIRTIO_BLK_SAVE_TAG, VIRTIO_BLK_SAVE_VERSION, NULL, &end);
    if (rc) return rc;
    uint64_t sectors = stream_get_u64(s);
    uint8_t readonly = stream_get_u8(s);
    char serial[VIRTIO_BLK_ID_BYTES];
    stream_get(s, serial, sizeof(serial));
    if ((rc = stream_close_section(s, end))) return rc;
    if (sectors != b->sectors || readonly != b->readonly) return -EINVAL;
    memcpy(b->serial, serial, sizeof(serial));
    /* Requests the driver made available before the snapshot are in the
     * restored avail ring: look at it once, as a notify would. */
    if (b->t) virtio_blk_kick(b);
    return 0;
}

static void blk_build_config(struct virtio_blk *b)
{
    uint8_t *c = b->config;
    put_le32(c + CFG_CAPACITY, (uint32_t)b->sectors);
    put_le32(c + CFG_CAPACITY + 4, (uint32_t)(b->sectors >> 32));
    put_le32(c + CFG_SEG_MAX, VIRTIO_BLK_SEG_MAX);
    put_le32(c + CFG_BLK_SIZE, VIRTIO_BLK_SECTOR);
    put_le32(c + CFG_MAX_DISCARD_SECTORS, VIRTIO_BLK_MAX_RANGE_SECTS);
    put_le32(c + CFG_MAX_DISCARD_SEG, VIRTIO_BLK_MAX_RANGES);
    put_le32(c + CFG_DISCARD_ALIGN, BLK_DISCARD_ALIGN_SECTS);
    put_le32(c + CFG_MAX_WZ_SECTORS, VIRTIO_BLK_MAX_RANGE_SECTS);
    put_le32(c + CFG_MAX_WZ_SEG, VIRTIO_BLK_MAX_RANGES);
    c[CFG_WZ_MAY_UNMAP] = 1;
}

int virtio_blk_create(struct virtio_blk **out, struct blockdev *bd, bool readonly,
                      const char *serial, struct ioloop *loop)
{
    if (!bd || !loop) return -EINVAL;
    struct virtio_blk *b = calloc(1, sizeof(*b));
    if (!b) return -ENOMEM;
    b->bd = bd;
    b->loop = loop;
    b->readonly = readonly || bd->readonly;
    b->sectors = bd->size / VIRTIO_BLK_SECTOR;
    /* Not NUL-terminated when 20 bytes long (5.2.6: the id is up to 20 bytes). */
    if (serial) memcpy(b->serial, serial, strnlen(serial, sizeof(b->serial)));
    uint64_t f =
        1ULL << VIRTIO_BLK_F_SEG_MAX | 1ULL << VIRTIO_BLK_F_BLK_SIZE | 1ULL << VIRTIO_BLK_F_FLUSH;
    f |= b->readonly ? 1ULL << VIRTIO_BLK_F_RO
                     : 1ULL << VIRTIO_BLK_F_DISCARD | 1ULL << VIRTIO_BLK_F_WRITE_ZEROES;
    b->ops = (struct virtio_dev_ops){
        .device_id = VIRTIO_ID_BLOCK,
        .features = f,
        .num_queues = 1,
        .config_size = VIRTIO_BLK_CONFIG_SIZE,
        .config_read = blk_config_read,
        .config_write = blk_config_write,
        .notify = blk_notify,
        .reset = blk_reset,
        .save = blk_save,
        .restore = blk_restore,
    };
    blk_build_config(b);
    int rc = ioloop_event_new(loop, blk_event, b, &b->kick);
    if (rc) {
        free(b);
        return rc;
    }
    *out = b;
    return 0;
}

int virtio_blk_set_backend(struct virtio_blk *b, struct blockdev *bd)
{
    /* The features were offered for the old medium: a writable disk cannot
     * become read-only under a driver that negotiated discard. */
    if (!bd || (bd->readonly && !b->readonly)) return -EINVAL;
    if (b->t) virtio_mmio_lock(b->t);
    b->bd = bd;
    b->sectors = bd->size / VIRTIO_BLK_SECTOR;
    blk_build_config(b);
    /* 4.2.2.1: the device raises the configuration change interrupt after
     * its config space changed; Linux then reads the capacity again. */
    if (b->t) {
        virtio_mmio_config_changed(b->t);
        virtio_mmio_unlock(b->t);
    }
    return 0;
}

void virtio_blk_destroy(struct virtio_blk *b)
{
    if (!b) return;
    ratelimiter_destroy(b->rl);
    ioloop_event_free(b->kick);
    free(b);
}

int virtio_blk_set_ratelimit(struct virtio_blk *b, const struct ratelimit_config *c)
{
    if (b->rl) {
        ratelimiter_set(b->rl, c);
        return 0;
    }
    if (ratelimit_config_none(c)) return 0;
    return ratelimiter_create(&b->rl, b->loop, c, blk_event, b);
}

uint64_t virtio_blk_throttled(const struct virtio_blk *b)
{
    return ratelimiter_throttled(b->rl);
}

const struct virtio_dev_ops *virtio_blk_ops(const struct virtio_blk *b)
{
    return &b->ops;
}

void virtio_blk_attach(struct virtio_blk *b, struct virtio_mmio *t)
{
    b->t = t;
}

const struct virtio_blk_stats *virtio_blk_stats(const struct virtio_blk *b)
{
    return &b->stats;
}
