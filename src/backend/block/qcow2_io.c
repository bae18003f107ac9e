/* qcow2 guest I/O: reads, writes with cluster allocation and copy-on-write
 * of partial clusters, discard and write-zeroes. Contiguous runs of
 * clusters go to the file in one call. Ordering (qcow2.h): refcounts are
 * raised by qcow2_alloc_clusters, then the data is written, then the L2
 * entries; old clusters are freed only after the L2 entries stop pointing
 * at them. */
#include "backend/block/qcow2.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static struct qcow2 *to_qcow2(struct blockdev *bd)
{
    return (struct qcow2 *)bd;
}

/* Guest bytes [off, off+len) of the layer below: the backing file (zeroes
 * past its end) or zeroes. */
static int backing_read(struct qcow2 *q, uint64_t off, uint8_t *p, uint64_t len)
{
    uint64_t avail = 0;
    if (q->backing && off < q->backing->size)
        avail = q->backing->size - off < len ? q->backing->size - off : len;
    if (avail) {
        int err = blockdev_read(q->backing, off, p, (size_t)avail);
        if (err) return err;
    }
    memset(p + avail, 0, (size_t)(len - avail));
    return 0;
}

int qcow2_read(struct blockdev *bd, uint64_t off, void *buf, size_t len)
{
    struct qcow2 *q = to_qcow2(bd);
    uint8_t *p = buf;
    while (len) {
        enum qcow2_kind kind;
        uint64_t host, run;
        int err = qcow2_map(q, off, len, &kind, &host, &run);
        if (err) return err;
        switch (kind) {
        case QCOW2_UNALLOCATED: err = backing_read(q, off, p, run); break;
        case QCOW2_ZERO: memset(p, 0, (size_t)run); break;
        case QCOW2_NORMAL: /* a cluster past the end of the file reads as zeroes */
            err = blockdev_pread_all(q->fd, host, p, (size_t)run, true);
            break;
        case QCOW2_COMPRESSED: err = qcow2_compressed(q, off); break;
        }
        if (err) return err;
        p += run, off += run, len -= (size_t)run;
    }
    return 0;
}

/* Whether the cluster a NORMAL entry maps may be written in place: only
 * this image uses it (COPIED, or a refcount of 1 when the flag is off). */
static int writable_in_place(struct qcow2 *q, uint64_t entry)
{
    if (entry & QCOW2_OFLAG_COPIED) return 0;
    uint64_t rc;
    int err = qcow2_refcount_get(q, (entry & QCOW2_OFFSET_MASK) >> q->cluster_bits, &rc);
    return err ? err : rc == 1 ? 0 : -ENOTSUP;
}

/* The bytes a partial cluster keeps around a write: from the layer below
 * for an unallocated cluster, zeroes for a zero cluster. */
static int cow_fill(struct qcow2 *q, enum qcow2_kind kind, uint64_t guest, uint8_t *p, uint64_t len)
{
    if (!len) return 0;
    if (kind == QCOW2_ZERO) {
        memset(p, 0, (size_t)len);
        return 0;
    }
    return backing_read(q, guest, p, len);
}

static int pwritev_all(struct qcow2 *q, uint64_t off, struct iovec *iov, int n)
{
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += iov[i].iov_len;
    ssize_t w = pwritev(q->fd, iov, n, (off_t)off);
    if (w == (ssize_t)total) return 0;
    /* Short or interrupted: write the pieces one by one (idempotent). */
    for (int i = 0; i < n; i++) {
        int err = qcow2_pwrite(q, off, iov[i].iov_base, iov[i].iov_len);
        if (err) return err;
        off += iov[i].iov_len;
    }
    return 0;
}

/* Copies count entries from idx of the L2 table at l2off into old: the
 * values a change to the table replaces. */
static int l2_entries(struct qcow2 *q, uint64_t l2off, uint32_t idx, uint32_t count, uint64_t *old)
{
    uint8_t *t;
    int err = qcow2_cache_get(q, &q->l2_cache, l2off, &t);
    if (err) return err;
    for (uint32_t k = 0; k < count; k++)
        old[k] = qcow2_be64(t + (idx + k) * 8);
    return 0;
}

/* Writes into up to count new clusters replacing the entries at idx of
 * the L2 table at l2off; the write starts in bytes into the first cluster
 * and is at most w bytes long. Returns the bytes written. */
static int64_t write_new(struct qcow2 *q, uint64_t l2off, uint32_t idx, uint32_t count,
                         uint64_t guest, uint64_t in, const uint8_t *p, uint64_t w)
{
    uint64_t cs = q->cluster_size, base = guest - in, new, got;
    int err = qcow2_alloc_clusters(q, count, &new, &got);
    if (err) return err;
    count = (uint32_t)got;
    if (w > (uint64_t)count * cs - in) w = (uint64_t)count * cs - in;
    uint64_t *old = malloc(count * sizeof(*old));
    uint64_t *ent = malloc(count * sizeof(*ent));
    err = -ENOMEM;
    if (!old || !ent) goto out;
    if ((err = l2_entries(q, l2off, idx, count, old))) goto out;
    enum qcow2_kind first, last;
    uint64_t h;
    if ((err = qcow2_l2_decode(q, old[0], &first, &h)) ||
        (err = qcow2_l2_decode(q, old[count - 1], &last, &h)))
        goto out;
    uint64_t end = in + w, tail = (uint64_t)count * cs - end;
    uint8_t *head_buf = q->cow_buf, *tail_buf = q->cow_buf + cs;
    if ((err = cow_fill(q, first, base, head_buf, in)) ||
        (err = cow_fill(q, last, base + end, tail_buf + (cs - tail), tail)))
        goto out;
    struct iovec iov[3];
    int n = 0;
    if (in) iov[n++] = (struct iovec){head_buf, (size_t)in};
    iov[n++] = (struct iovec){(void *)p, (size_t)w};
    if (tail) iov[n++] = (struct iovec){tail_buf + (cs - tail), (size_t)tail};
    err = pwritev_all(q, new, iov, n);
    if (err) goto out;
    for (uint32_t k = 0; k < count; k++)
        ent[k] = (new + k *cs) | QCOW2_OFLAG_COPIED;
    /* Preallocated zero clusters just replaced are no longer used. */
    err = qcow2_l2_replace(q, l2off, idx, ent, old, count);
out:
    free(old);
    free(ent);
    /* On failure the new clusters leak (refcount 1, unused): never unsafe. */
    return err ? err : (int64_t)w;
}

/* One step of a write, within one L2 table: in place over allocated
 * clusters, or into new ones. Returns bytes written or a negative errno. */
static int64_t write_step(struct qcow2 *q, uint64_t off, const uint8_t *p, uint64_t len)
{
    uint64_t cs = q->cluster_size, in = off & (cs - 1);
    uint32_t per_l2 = 1u << q->l2_bits;
    uint32_t idx = (uint32_t)(off >> q->cluster_bits) & (per_l2 - 1);
    uint64_t l2off;
    int err = qcow2_l2_get(q, off, true, &l2off);
    if (err) return err;
    uint8_t *t;
    err = qcow2_cache_get(q, &q->l2_cache, l2off, &t);
    if (err) return err;
    uint64_t max = ((uint64_t)(per_l2 - idx) << q->cluster_bits) - in;
    if (max > len) max = len;
    uint32_t clusters = (uint32_t)((in + max + cs - 1) >> q->cluster_bits);
    enum qcow2_kind kind;
    uint64_t host;
    err = qcow2_l2_decode(q, qcow2_be64(t + idx * 8), &kind, &host);
    if (err) return err;
    if (kind == QCOW2_COMPRESSED) return qcow2_compressed(q, off);
    uint32_t count = 1;
    for (; count < clusters; count++) {
        uint64_t e = qcow2_be64(t + (idx + count) * 8), h;
        enum qcow2_kind k;
        err = qcow2_l2_decode(q, e, &k, &h);
        if (err) return err;
        bool same = kind == QCOW2_NORMAL
                        ? k == QCOW2_NORMAL && h == host + ((uint64_t)count << q->cluster_bits)
                        : k == QCOW2_UNALLOCATED || k == QCOW2_ZERO;
        if (!same) break;
    }
    uint64_t w = ((uint64_t)count << q->cluster_bits) - in;
    if (w > max) w = max;
    if (kind != QCOW2_NORMAL) return write_new(q, l2off, idx, count, off, in, p, w);
    for (uint32_t k = 0; k < count; k++) {
        if ((err = writable_in_place(q, qcow2_be64(t + (idx + k) * 8)))) return err;
    }
    err = qcow2_pwrite(q, host + in, p, (size_t)w);
    return err ? err : (int64_t)w;
}

int qcow2_write(struct blockdev *bd, uint64_t off, const void *buf, size_t len)
{
    struct qcow2 *q = to_qcow2(bd);
    const uint8_t *p = buf;
    while (len) {
        int64_t n = write_step(q, off, p, len);
        if (n < 0) return (int)n;
        p += n, off += (uint64_t)n, len -= (size_t)n;
    }
    return 0;
}

enum zero_mode { ZERO_KEEP, ZERO_UNMAP, ZERO_DISCARD };

/* What an entry becomes when its whole cluster is zeroed or discarded. */
static uint64_t zeroed_entry(const struct qcow2 *q, uint64_t old, enum qcow2_kind kind,
                             enum zero_mode mode)
{
    if (mode == ZERO_DISCARD) return q->version >= 3 && q->backing ? QCOW2_OFLAG_ZERO : 0;
    if (mode == ZERO_KEEP && (kind == QCOW2_NORMAL || (old & QCOW2_OFFSET_MASK)))
        return (old & QCOW2_OFFSET_MASK) | QCOW2_OFLAG_COPIED | QCOW2_OFLAG_ZERO;
    return QCOW2_OFLAG_ZERO;
}

/* Whole clusters [off, off + count clusters), within one L2 table, v3. */
static int zero_clusters(struct qcow2 *q, uint64_t off, uint32_t count, enum zero_mode mode)
{
    uint32_t idx = (uint32_t)(off >> q->cluster_bits) & ((1u << q->l2_bits) - 1);
    uint64_t l2off;
    /* Without a backing file a missing table already reads as zeroes. */
    int err = qcow2_l2_get(q, off, mode != ZERO_DISCARD && q->backing, &l2off);
    if (err || !l2off) return err;
    uint64_t *old = malloc(count * sizeof(*old)), *ent = malloc(count * sizeof(*ent));
    err = -ENOMEM;
    if (!old || !ent) goto out;
    if ((err = l2_entries(q, l2off, idx, count, old))) goto out;
    for (uint32_t k = 0; k < count; k++) {
        enum qcow2_kind kind;
        uint64_t host;
        err = qcow2_l2_decode(q, old[k], &kind, &host);
        if (err) goto out;
        if (kind == QCOW2_COMPRESSED) {
            err = mode == ZERO_DISCARD
                      ? 0
                      : qcow2_compressed(q, off + ((uint64_t)k << q->cluster_bits));
            if (err) goto out;
            ent[k] = old[k], old[k] = 0; /* discard leaves it as it is */
            continue;
        }
        ent[k] = zeroed_entry(q, old[k], kind, mode);
        if ((ent[k] & QCOW2_OFFSET_MASK) == host) old[k] = 0; /* kept: not freed */
    }
    err = qcow2_l2_replace(q, l2off, idx, ent, old, count);
out:
    free(old);
    free(ent);
    return err;
}

/* Writes literal zeroes (partial clusters; version 2 images). */
static int write_zero_bytes(struct qcow2 *q, uint64_t off, uint64_t len)
{
    while (len) {
        uint64_t n = len < q->cluster_size ? len : q->cluster_size;
        int err = qcow2_write(&q->bd, off, q->zero_buf, (size_t)n);
        if (err) return err;
        off += n, len -= n;
    }
    return 0;
}

/* Whether the bytes at off already read as zeroes without any change. */
static int reads_zero(struct qcow2 *q, uint64_t off, uint64_t len, bool *zero)
{
    enum qcow2_kind kind;
    uint64_t host, run;
    int err = qcow2_map(q, off, len, &kind, &host, &run);
    *zero = !err && (kind == QCOW2_ZERO || (kind == QCOW2_UNALLOCATED && !q->backing));
    return err;
}

static int zero_range(struct qcow2 *q, uint64_t off, uint64_t len, enum zero_mode mode)
{
    uint64_t cs = q->cluster_size;
    uint32_t per_l2 = 1u << q->l2_bits;
    while (len) {
        uint64_t in = off & (cs - 1), n;
        bool to_end = off + len >= q->bd.size; /* the last cluster may pass the end */
        if (in || (len < cs && !to_end)) {
            n = cs - in < len ? cs - in : len;
            bool zero = false;
            int err = mode == ZERO_DISCARD ? 0 : reads_zero(q, off, n, &zero);
            if (!err && mode != ZERO_DISCARD && !zero) err = write_zero_bytes(q, off, n);
            if (err) return err;
        } else {
            uint32_t idx = (uint32_t)(off >> q->cluster_bits) & (per_l2 - 1);
            uint64_t count = (len + cs - 1) >> q->cluster_bits;
            if (!to_end) count = len >> q->cluster_bits;
            if (count > per_l2 - idx) count = per_l2 - idx;
            n = count << q->cluster_bits;
            if (n > len) n = len;
            int err;
            if (q->version >= 3)
                err = zero_clusters(q, off, (uint32_t)count, mode);
            else if (mode == ZERO_DISCARD || (mode == ZERO_UNMAP && !q->backing))
                err = zero_clusters(q, off, (uint32_t)count, ZERO_DISCARD);
            else
                err = write_zero_bytes(q, off, n);
            if (err) return err;
        }
        off += n, len -= n;
    }
    return 0;
}

int qcow2_discard(struct blockdev *bd, uint64_t off, uint64_t len)
{
    return zero_range(to_qcow2(bd), off, len, ZERO_DISCARD);
}

int qcow2_write_zeroes(struct blockdev *bd, uint64_t off, uint64_t len, bool unmap)
{
    return zero_range(to_qcow2(bd), off, len, unmap ? ZERO_UNMAP : ZERO_KEEP);
}
