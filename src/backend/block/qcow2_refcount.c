/* qcow2 refcounts (qcow2.txt "Host cluster management"): the refcount
 * table, refcount blocks of 1 << refcount_order bit entries, cluster
 * allocation and freeing, and growing the table. A cluster is free when its
 * refcount is 0, including every cluster no refcount block covers.
 *
 * Ordering (see qcow2.h): a new refcount block is written before the table
 * entry that points at it; a new table before the header that points at
 * it; refcounts are raised before the caller links the clusters. */
#include "backend/block/qcow2.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QCOW2_MAX_RT_BYTES (8ULL << 20) /* as QEMU: 8 MiB of refcount table */

/* Entry i of a refcount block. Sub-byte widths pack from the low bits of
 * each byte; wider ones are big-endian. */
static uint64_t rb_entry(const struct qcow2 *q, const uint8_t *rb, uint64_t i)
{
    uint32_t order = q->refcount_order;
    if (order < 3) {
        uint32_t bits = 1u << order, shift = (uint32_t)(i << order) & 7;
        return (rb[(i << order) >> 3] >> shift) & ((1u << bits) - 1);
    }
    uint32_t bytes = 1u << (order - 3);
    uint64_t v = 0;
    for (uint32_t b = 0; b < bytes; b++)
        v = v << 8 | rb[i * bytes + b];
    return v;
}

static void rb_set(const struct qcow2 *q, uint8_t *rb, uint64_t i, uint64_t v)
{
    uint32_t order = q->refcount_order;
    if (order < 3) {
        uint32_t bits = 1u << order, shift = (uint32_t)(i << order) & 7;
        uint8_t mask = (uint8_t)(((1u << bits) - 1) << shift);
        uint8_t *p = &rb[(i << order) >> 3];
        *p = (uint8_t)((*p & ~mask) | ((v << shift) & mask));
        return;
    }
    uint32_t bytes = 1u << (order - 3);
    for (uint32_t b = bytes; b-- > 0; v >>= 8)
        rb[i * bytes + b] = (uint8_t)v;
}

/* Byte range of a refcount block holding entries [first, last]. */
static void rb_bytes(const struct qcow2 *q, uint64_t first, uint64_t last, uint64_t *start,
                     uint64_t *len)
{
    *start = (first << q->refcount_order) >> 3;
    *len = (((last + 1) << q->refcount_order) + 7) / 8 - *start;
}

/* The refcount block covering cluster, or *rb NULL when none does. */
static int rb_get(struct qcow2 *q, uint64_t cluster, uint8_t **rb, uint64_t *rboff)
{
    uint64_t ti = cluster >> q->rb_bits;
    *rb = NULL;
    *rboff = 0;
    if (ti >= q->rt_entries || q->rt[ti] == 0) return 0;
    uint64_t off = q->rt[ti];
    if ((off & (q->cluster_size - 1)) || off > q->file_size - q->cluster_size) return -EIO;
    *rboff = off;
    return qcow2_cache_get(q, &q->rb_cache, off, rb);
}

int qcow2_refcount_get(struct qcow2 *q, uint64_t cluster, uint64_t *rc)
{
    uint8_t *rb;
    uint64_t rboff;
    int err = rb_get(q, cluster, &rb, &rboff);
    if (err) return err;
    *rc = rb ? rb_entry(q, rb, cluster & ((1ULL << q->rb_bits) - 1)) : 0;
    return 0;
}

/* Adds delta (+1 or -1) to the refcounts of clusters [first, first+n),
 * all covered by existing blocks, one pwrite per block. */
static int refcount_update(struct qcow2 *q, uint64_t first, uint64_t n, int delta)
{
    uint64_t max = q->refcount_order == 6 ? UINT64_MAX : (1ULL << (1u << q->refcount_order)) - 1;
    while (n) {
        uint8_t *rb;
        uint64_t rboff;
        int err = rb_get(q, first, &rb, &rboff);
        if (err) return err;
        if (!rb) return -EIO;
        uint64_t mask = (1ULL << q->rb_bits) - 1, i0 = first & mask;
        uint64_t cnt = (1ULL << q->rb_bits) - i0;
        if (cnt > n) cnt = n;
        for (uint64_t i = i0; i < i0 + cnt; i++) {
            uint64_t v = rb_entry(q, rb, i);
            if ((delta < 0 && v == 0) || (delta > 0 && v == max)) return -EIO;
            rb_set(q, rb, i, delta > 0 ? v + 1 : v - 1);
        }
        uint64_t start, len;
        rb_bytes(q, i0, i0 + cnt - 1, &start, &len);
        err = qcow2_pwrite(q, rboff + start, rb + start, len);
        if (err) {
            qcow2_cache_drop(&q->rb_cache, rboff);
            return err;
        }
        first += cnt, n -= cnt;
    }
    return 0;
}

/* The first free cluster at or after the hint and how many free ones
 * follow it (at most n). */
static int find_free(struct qcow2 *q, uint64_t n, uint64_t *start, uint64_t *got)
{
    uint64_t run = 0, c = q->free_hint;
    /* Past the end of the file only a run leaked by a crash can be in use;
     * refcounts claiming more are corrupt (and would make this scan run
     * for hours). */
    uint64_t slack = (1ULL << q->l2_bits) + (1ULL << q->rb_bits) + 64;
    uint64_t limit = ((q->file_size + q->cluster_size - 1) >> q->cluster_bits) + slack;
    for (;; c++) {
        uint64_t rc;
        if (c > limit + n) return -EIO;
        int err = qcow2_refcount_get(q, c, &rc);
        if (err) return err;
        if (rc && run) break;
        if (rc) continue;
        /* A free cluster holding the header or a table means the refcounts
         * are wrong: allocating it would overwrite metadata. */
        if (qcow2_fixed_metadata(q, c << q->cluster_bits, q->cluster_size)) return -EIO;
        if (!run) *start = c;
        if (++run == n) break;
    }
    *got = run;
    return 0;
}

/* A new refcount block for table index ti at cluster c (inside the range
 * the block covers, so it counts itself). */
static int rb_create(struct qcow2 *q, uint64_t ti, uint64_t c)
{
    uint64_t off = c << q->cluster_bits;
    uint8_t *rb = qcow2_cache_new(q, &q->rb_cache, off);
    rb_set(q, rb, c & ((1ULL << q->rb_bits) - 1), 1);
    int err = qcow2_pwrite(q, off, rb, q->cluster_size);
    uint8_t be[8];
    qcow2_put_be64(be, off);
    if (!err) err = qcow2_pwrite(q, q->rt_offset + ti * 8, be, 8);
    if (err) return err;
    q->rt[ti] = off;
    return 0;
}

/* Replaces the refcount table with one of at least need entries. The new
 * table and the refcount blocks covering it go past everything the old
 * table covers and past the end of the file, all free; they count
 * themselves. */
static int rt_grow(struct qcow2 *q, uint64_t need)
{
    uint64_t cs = q->cluster_size, per_rb = 1ULL << q->rb_bits;
    uint64_t p = (q->file_size + cs - 1) >> q->cluster_bits;
    if (p < q->rt_entries * per_rb) p = q->rt_entries * per_rb;
    uint64_t entries = 0, m = 0, k = 0;
    for (int iter = 0; iter < 8; iter++) {
        uint64_t last = p + k + m - (k + m ? 1 : 0);
        entries = q->rt_entries * 2;
        if (entries < need) entries = need;
        if (entries < (last >> q->rb_bits) + 1) entries = (last >> q->rb_bits) + 1;
        uint64_t m2 = (entries * 8 + cs - 1) / cs;
        uint64_t k2 = ((p + k + m2 - 1) >> q->rb_bits) - (p >> q->rb_bits) + 1;
        if (m2 == m && k2 == k) break;
        m = m2, k = k2;
    }
    entries = m * cs / 8;
    if (entries * 8 > QCOW2_MAX_RT_BYTES || ((p + k + m - 1) >> q->rb_bits) >= entries)
        return -ENOSPC;

    uint64_t *rt = calloc(entries, 8);
    uint8_t *buf = calloc(1, cs);
    int err = -ENOMEM;
    if (!rt || !buf) goto out;
    memcpy(rt, q->rt, q->rt_entries * 8);
    /* Blocks at [p, p+k), the table at [p+k, p+k+m). */
    for (uint64_t j = 0; j < k; j++) {
        uint64_t ti = (p >> q->rb_bits) + j;
        memset(buf, 0, cs);
        for (uint64_t c = p; c < p + k + m; c++)
            if ((c >> q->rb_bits) == ti) rb_set(q, buf, c & (per_rb - 1), 1);
        rt[ti] = (p + j) << q->cluster_bits;
        err = qcow2_pwrite(q, rt[ti], buf, cs);
        if (err) goto out;
    }
    uint64_t rt_off = (p + k) << q->cluster_bits;
    for (uint64_t i = 0; i < m; i++) {
        memset(buf, 0, cs);
        for (uint64_t e = 0; e < cs / 8; e++)
            qcow2_put_be64(buf + e * 8, rt[i * cs / 8 + e]);
        err = qcow2_pwrite(q, rt_off + i * cs, buf, cs);
        if (err) goto out;
    }
    /* The header switch is rare: make what it points at durable first. */
    if (fdatasync(q->fd)) {
        err = -errno;
        goto out;
    }
    uint8_t hdr[12];
    qcow2_put_be64(hdr, rt_off);
    qcow2_put_be32(hdr + 8, (uint32_t)m);
    err = qcow2_pwrite(q, 48, hdr, sizeof(hdr));
    if (err) goto out;
    uint64_t old_off = q->rt_offset, old_clusters = q->rt_clusters;
    free(q->rt);
    q->rt = rt, rt = NULL;
    q->rt_entries = entries, q->rt_offset = rt_off, q->rt_clusters = (uint32_t)m;
    err = qcow2_free_clusters(q, old_off, old_clusters);
out:
    free(rt);
    free(buf);
    return err;
}

int qcow2_alloc_clusters(struct qcow2 *q, uint64_t n, uint64_t *off, uint64_t *got)
{
    for (int tries = 0; tries < 64; tries++) {
        uint64_t start, len;
        int err = find_free(q, n, &start, &len);
        if (err) return err;
        /* Every block covering the run must exist before it is counted.
         * A new block takes the run's first cluster in its range, so the
         * search starts again. */
        bool changed = false;
        for (uint64_t ti = start >> q->rb_bits; ti <= (start + len - 1) >> q->rb_bits; ti++) {
            if (ti >= q->rt_entries) {
                err = rt_grow(q, ti + 1);
            } else if (q->rt[ti] == 0) {
                uint64_t c = ti << q->rb_bits;
                err = rb_create(q, ti, c > start ? c : start);
            } else {
                continue;
            }
            if (err) return err;
            changed = true;
            break;
        }
        if (changed) continue;
        err = refcount_update(q, start, len, +1);
        if (err) return err;
        if (start == q->free_hint) q->free_hint = start + len;
        uint64_t end = (start + len) << q->cluster_bits;
        if (end > q->file_size) q->file_size = end;
        *off = start << q->cluster_bits;
        *got = len;
        return 0;
    }
    return -EIO;
}

int qcow2_free_clusters(struct qcow2 *q, uint64_t off, uint64_t n)
{
    uint64_t c = off >> q->cluster_bits;
    int err = refcount_update(q, c, n, -1);
    if (!err && c < q->free_hint) q->free_hint = c;
    return err;
}
