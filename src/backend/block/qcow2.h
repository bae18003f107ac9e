/* The qcow2 backend's private state, shared by its files: qcow2.c (open,
 * header, dispatch), qcow2_map.c (L1/L2 lookups and updates), qcow2_io.c
 * (guest reads, writes, discards), qcow2_refcount.c (refcounts and cluster
 * allocation), qcow2_cache.c (metadata cache) and qcow2_backing.c.
 * Layout from QEMU's docs/interop/qcow2.txt; all of it is big-endian and
 * untrusted.
 *
 * Crash consistency when the process is killed (the page cache survives):
 * metadata is written through (every change is pwritten at once, in order),
 * so the order of the pwrite calls is the order the file changes. A new
 * cluster's refcount is raised before anything points at it, its data is
 * written before the L2 entry that maps it, an L2 table before the L1
 * entry; a cluster is unmapped before its refcount drops. A kill can leak
 * clusters, never make two users of one. */
#ifndef RVMM_BACKEND_BLOCK_QCOW2_H
#define RVMM_BACKEND_BLOCK_QCOW2_H

#include "backend/block/blockdev.h"

#include <stdint.h>

#define QCOW2_MAX_CHAIN 16 /* backing files below an overlay */

/* L1/L2 entry bits (qcow2.txt "Cluster mapping"). */
#define QCOW2_OFLAG_COPIED     (1ULL << 63)
#define QCOW2_OFLAG_COMPRESSED (1ULL << 62)
#define QCOW2_OFLAG_ZERO       1ULL
#define QCOW2_OFFSET_MASK      0x00fffffffffffe00ULL /* bits 9-55 */
#define QCOW2_L1_RESERVED      0x7f000000000001ffULL
#define QCOW2_L2_RESERVED      0x3f000000000001feULL

/* A cache of cluster-sized metadata tables (L2 tables, refcount blocks),
 * keyed by host offset. Write-through: callers change an entry's bytes and
 * pwrite the changed range themselves, so the cache never holds a change
 * the file lacks and eviction needs no write-back. */
struct qcow2_cache_entry {
    uint64_t off;  /* 0: empty */
    uint64_t used; /* LRU tick */
    uint8_t *data;
};

struct qcow2_cache {
    struct qcow2_cache_entry *e;
    unsigned n;
    uint64_t tick;
};

struct qcow2 {
    struct blockdev bd; /* first: the blockdev pointer is the qcow2 pointer */
    int fd;
    char *path;
    uint32_t version;
    uint32_t cluster_bits;
    uint64_t cluster_size;
    uint32_t l2_bits;   /* log2 of entries per L2 table */
    uint64_t file_size; /* grows as clusters are allocated past the end */

    uint64_t *l1; /* host order */
    uint32_t l1_size;
    uint64_t l1_offset;

    uint64_t *rt; /* refcount table, host order */
    uint64_t rt_entries;
    uint64_t rt_offset;
    uint32_t rt_clusters;
    uint32_t refcount_order; /* refcount width is 1 << order bits */
    uint32_t rb_bits;        /* log2 of entries per refcount block */
    uint64_t free_hint;      /* no free cluster below this index */

    struct qcow2_cache l2_cache;
    struct qcow2_cache rb_cache;

    uint8_t *cow_buf;         /* two clusters: the head and tail kept around a write */
    uint8_t *zero_buf;        /* one cluster of zeroes */
    struct blockdev *backing; /* NULL: unallocated clusters read as zeroes */
    bool warned_compressed;
};

/* How a guest cluster is stored (from its L2 entry). */
enum qcow2_kind {
    QCOW2_UNALLOCATED, /* read from the backing file, or zeroes */
    QCOW2_ZERO,        /* reads zeroes; host is a preallocated cluster or 0 */
    QCOW2_NORMAL,      /* host holds the data */
    QCOW2_COMPRESSED,  /* not supported */
};

/* File I/O: whole transfers or a negative errno (a short read is -EIO). */
int qcow2_pread(struct qcow2 *q, uint64_t off, void *buf, size_t len);
int qcow2_pwrite(struct qcow2 *q, uint64_t off, const void *buf, size_t len);
/* One line on stderr the first time a compressed cluster is met. */
int qcow2_compressed(struct qcow2 *q, uint64_t guest_off);
/* Whether [off, off+len) overlaps the header, L1 or refcount table. */
bool qcow2_fixed_metadata(const struct qcow2 *q, uint64_t off, uint64_t len);

int qcow2_cache_init(struct qcow2_cache *c, unsigned n, uint64_t cluster_size);
void qcow2_cache_free(struct qcow2_cache *c);
/* The table at host offset off, read from the file on a miss. The pointer
 * is valid until the next call on the same cache. */
int qcow2_cache_get(struct qcow2 *q, struct qcow2_cache *c, uint64_t off, uint8_t **out);
/* A table just allocated and written as zeroes: cached without a read. */
uint8_t *qcow2_cache_new(struct qcow2 *q, struct qcow2_cache *c, uint64_t off);

/* Forgets the table at off: after a failed write-through, the file, not
 * the changed copy, is what holds. */
void qcow2_cache_drop(struct qcow2_cache *c, uint64_t off);

/* Refcounts. Cluster indices are host offsets >> cluster_bits. */
int qcow2_refcount_get(struct qcow2 *q, uint64_t cluster, uint64_t *rc);
/* Up to n contiguous free clusters (*got of them, at least one) with their
 * refcounts raised to 1; *off is the host offset of the first. Their
 * contents are undefined. */
int qcow2_alloc_clusters(struct qcow2 *q, uint64_t n, uint64_t *off, uint64_t *got);
/* Drops the refcount of n clusters from host offset off by one. */
int qcow2_free_clusters(struct qcow2 *q, uint64_t off, uint64_t n);

/* Mapping: the kind and host offset of guest offset off, and how many
 * bytes from off (at most len) share that kind with contiguous host
 * offsets, within one L2 table. */
int qcow2_map(struct qcow2 *q, uint64_t off, uint64_t len, enum qcow2_kind *kind, uint64_t *host,
              uint64_t *run);
/* The L2 table for guest offset off, allocated (zeroed, linked into L1) if
 * alloc and missing. *l2off 0: no table (only when !alloc). */
int qcow2_l2_get(struct qcow2 *q, uint64_t off, bool alloc, uint64_t *l2off);
/* Sets count L2 entries of the table at l2off from index idx, in memory and
 * in the file with one pwrite. */
int qcow2_l2_set(struct qcow2 *q, uint64_t l2off, uint32_t idx, const uint64_t *entries,
                 uint32_t count);
/* qcow2_l2_set, then drops a reference to the host cluster of each old
 * entry that is non-zero (after the table stopped pointing at it). */
int qcow2_l2_replace(struct qcow2 *q, uint64_t l2off, uint32_t idx, const uint64_t *entries,
                     const uint64_t *old, uint32_t count);
/* Decodes a raw L2 entry; -EIO for a malformed one. */
int qcow2_l2_decode(struct qcow2 *q, uint64_t entry, enum qcow2_kind *kind, uint64_t *host);

/* Guest I/O (qcow2_io.c). */
int qcow2_read(struct blockdev *bd, uint64_t off, void *buf, size_t len);
int qcow2_write(struct blockdev *bd, uint64_t off, const void *buf, size_t len);
int qcow2_discard(struct blockdev *bd, uint64_t off, uint64_t len);
int qcow2_write_zeroes(struct blockdev *bd, uint64_t off, uint64_t len, bool unmap);

/* What the opens of one backing chain share: the files already in it (a
 * backing file that is one of them is a loop) and where backing files may
 * live: under the top image's directory or under backing_dir. */
struct qcow2_chain {
    int depth; /* files below the top so far */
    dev_t dev[QCOW2_MAX_CHAIN + 1];
    ino_t ino[QCOW2_MAX_CHAIN + 1];
    char root[4096];        /* canonical directory of the top image */
    char backing_dir[4096]; /* canonical; empty: none */
    /* Told each backing file's path, as it is about to be opened (NULL: no one). */
    void (*seen)(void *opaque, const char *path);
    void *seen_opaque;
};

/* Opens a qcow2 image as the next file of chain. */
int qcow2_open_chain(struct blockdev **out, const char *path, bool readonly,
                     struct qcow2_chain *chain, char *err, size_t errlen);
/* Opens the backing file name (relative to the overlay's directory) as fmt
 * ("raw", "qcow2" or NULL to probe), read-only, after checking it is a
 * regular file inside the chain's allowed directories and not already in
 * the chain. */
int qcow2_backing_open(struct qcow2 *q, const char *name, const char *fmt,
                       struct qcow2_chain *chain, char *err, size_t errlen);

static inline uint64_t qcow2_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static inline uint32_t qcow2_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void qcow2_put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static inline void qcow2_put_be32(uint8_t *p, uint32_t v)
{
    for (int i = 3; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

#endif
