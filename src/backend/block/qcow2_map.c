/* qcow2 cluster mapping (qcow2.txt "Cluster mapping"): guest offset to
 * L1 entry to L2 table to host cluster, with every entry checked before
 * use, and the L2 side of allocation: new L2 tables and entry updates.
 * Data I/O is qcow2_io.c's; refcounts are qcow2_refcount.c's. */
#include "backend/block/qcow2.h"

#include <errno.h>

int qcow2_l2_decode(struct qcow2 *q, uint64_t entry, enum qcow2_kind *kind, uint64_t *host)
{
    *host = 0;
    if (entry & QCOW2_OFLAG_COMPRESSED) {
        *kind = QCOW2_COMPRESSED;
        return 0;
    }
    uint64_t reserved = QCOW2_L2_RESERVED | (q->version < 3 ? QCOW2_OFLAG_ZERO : 0);
    uint64_t off = entry & QCOW2_OFFSET_MASK;
    if ((entry & reserved) || (off & (q->cluster_size - 1))) return -EIO;
    /* A data cluster on top of the header or a table would let guest
     * writes overwrite metadata. */
    if (off && qcow2_fixed_metadata(q, off, q->cluster_size)) return -EIO;
    /* Every cluster an L2 entry maps was allocated (so is inside the file)
     * before the entry was written: one past the end is corruption, and
     * writing it would grow the file to wherever the entry points. */
    if (off >= q->file_size) return -EIO;
    *host = off;
    if (entry & QCOW2_OFLAG_ZERO)
        *kind = QCOW2_ZERO;
    else
        *kind = off ? QCOW2_NORMAL : QCOW2_UNALLOCATED;
    return 0;
}

static uint32_t l1_index(const struct qcow2 *q, uint64_t off)
{
    return (uint32_t)(off >> (q->cluster_bits + q->l2_bits));
}

/* Checks an L1 entry and returns its L2 table's offset (0: none). */
static int l1_decode(struct qcow2 *q, uint64_t entry, uint64_t *l2off)
{
    uint64_t off = entry & QCOW2_OFFSET_MASK;
    *l2off = off;
    if (entry & QCOW2_L1_RESERVED) return -EIO;
    if (!off) return 0;
    if ((off & (q->cluster_size - 1)) || off > q->file_size - q->cluster_size ||
        qcow2_fixed_metadata(q, off, q->cluster_size))
        return -EIO;
    return 0;
}

int qcow2_l2_get(struct qcow2 *q, uint64_t off, bool alloc, uint64_t *l2off)
{
    uint32_t i = l1_index(q, off);
    if (i >= q->l1_size) return -EIO; /* open checked l1_size covers the disk */
    int err = l1_decode(q, q->l1[i], l2off);
    if (err || (*l2off && !alloc)) return err;
    if (*l2off) {
        /* Changing a table another user (an internal snapshot) shares
         * would need copy-on-write of the table: not supported. */
        if (q->l1[i] & QCOW2_OFLAG_COPIED) return 0;
        uint64_t rc;
        err = qcow2_refcount_get(q, *l2off >> q->cluster_bits, &rc);
        return err ? err : rc == 1 ? 0 : -ENOTSUP;
    }
    if (!alloc) return 0;
    uint64_t new, got;
    err = qcow2_alloc_clusters(q, 1, &new, &got);
    if (err) return err;
    uint8_t *t = qcow2_cache_new(q, &q->l2_cache, new);
    err = qcow2_pwrite(q, new, t, q->cluster_size);
    if (err) return err;
    uint8_t be[8];
    qcow2_put_be64(be, new | QCOW2_OFLAG_COPIED);
    err = qcow2_pwrite(q, q->l1_offset + (uint64_t)i * 8, be, 8);
    if (err) return err;
    q->l1[i] = new | QCOW2_OFLAG_COPIED;
    *l2off = new;
    return 0;
}

int qcow2_l2_set(struct qcow2 *q, uint64_t l2off, uint32_t idx, const uint64_t *entries,
                 uint32_t count)
{
    uint8_t *t;
    int err = qcow2_cache_get(q, &q->l2_cache, l2off, &t);
    if (err) return err;
    for (uint32_t k = 0; k < count; k++)
        qcow2_put_be64(t + (idx + k) * 8, entries[k]);
    return qcow2_pwrite(q, l2off + idx * 8, t + idx * 8, count * 8);
}

int qcow2_l2_replace(struct qcow2 *q, uint64_t l2off, uint32_t idx, const uint64_t *entries,
                     const uint64_t *old, uint32_t count)
{
    int err = qcow2_l2_set(q, l2off, idx, entries, count);
    for (uint32_t k = 0; !err && k < count; k++)
        if (old[k] & QCOW2_OFFSET_MASK) err = qcow2_free_clusters(q, old[k] & QCOW2_OFFSET_MASK, 1);
    return err;
}

int qcow2_map(struct qcow2 *q, uint64_t off, uint64_t len, enum qcow2_kind *kind, uint64_t *host,
              uint64_t *run)
{
    uint64_t cs = q->cluster_size, in = off & (cs - 1);
    uint32_t per_l2 = 1u << q->l2_bits;
    uint32_t idx = (uint32_t)(off >> q->cluster_bits) & (per_l2 - 1);
    uint64_t max = ((uint64_t)(per_l2 - idx) << q->cluster_bits) - in;
    if (max > len) max = len;
    uint64_t l2off;
    int err = qcow2_l2_get(q, off, false, &l2off);
    if (err) return err;
    if (!l2off) {
        *kind = QCOW2_UNALLOCATED, *host = 0, *run = max;
        return 0;
    }
    uint8_t *t;
    err = qcow2_cache_get(q, &q->l2_cache, l2off, &t);
    if (err) return err;
    err = qcow2_l2_decode(q, qcow2_be64(t + idx * 8), kind, host);
    if (err) return err;
    uint64_t n = cs - in, first = *host;
    if (*kind == QCOW2_COMPRESSED) {
        *run = n < max ? n : max;
        return 0;
    }
    for (uint32_t k = 1; n < max; k++) {
        enum qcow2_kind kk;
        uint64_t h;
        err = qcow2_l2_decode(q, qcow2_be64(t + (idx + k) * 8), &kk, &h);
        if (err) return err;
        if (kk != *kind || (kk == QCOW2_NORMAL && h != first + ((uint64_t)k << q->cluster_bits)))
            break;
        n += cs;
    }
    *run = n < max ? n : max;
    if (*kind == QCOW2_NORMAL) *host += in;
    return 0;
}
