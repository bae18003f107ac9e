/* qcow2 images, versions 2 and 3 (QEMU docs/interop/qcow2.txt): opening,
 * where every header field is checked against the file size and sane
 * bounds before use, header extensions, what is refused, and the ops
 * table. The data path is in qcow2_io.c, mapping in qcow2_map.c,
 * refcounts in qcow2_refcount.c. */
#include "backend/block/qcow2.h"

#include "common/errmsg.h"
#include "common/log.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QCOW2_MAX_L1_BYTES (32ULL << 20) /* as QEMU */
#define QCOW2_MAX_RT_BYTES (8ULL << 20)

/* Header extension types (qcow2.txt "Header extensions"). */
#define EXT_END            0
#define EXT_BACKING_FORMAT 0xe2792acau
#define EXT_FEATURE_TABLE  0x6803f857u

/* Incompatible feature bits. */
#define INCOMPAT_DIRTY       (1ULL << 0)
#define INCOMPAT_CORRUPT     (1ULL << 1)
#define INCOMPAT_DATA_FILE   (1ULL << 2)
#define INCOMPAT_COMPRESSION (1ULL << 3) /* only matters for compressed clusters */
#define INCOMPAT_EXTL2       (1ULL << 4)

bool qcow2_probe(const uint8_t *buf, size_t len)
{
    return len >= 4 && buf[0] == 'Q' && buf[1] == 'F' && buf[2] == 'I' && buf[3] == 0xfb;
}

int qcow2_pread(struct qcow2 *q, uint64_t off, void *buf, size_t len)
{
    return blockdev_pread_all(q->fd, off, buf, len, false);
}

int qcow2_pwrite(struct qcow2 *q, uint64_t off, const void *buf, size_t len)
{
    int err = blockdev_pwrite_all(q->fd, off, buf, len);
    if (!err && off + len > q->file_size) q->file_size = off + len;
    return err;
}

int qcow2_compressed(struct qcow2 *q, uint64_t guest_off)
{
    if (!q->warned_compressed)
        log_err("%s: compressed clusters are not supported (guest offset 0x%llx); "
                "convert with qemu-img convert -O qcow2",
                q->path, (unsigned long long)guest_off);
    q->warned_compressed = true;
    return -EIO;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

bool qcow2_fixed_metadata(const struct qcow2 *q, uint64_t off, uint64_t len)
{
    uint64_t cs = q->cluster_size;
    uint64_t l1_len = ((uint64_t)q->l1_size * 8 + cs - 1) & ~(cs - 1);
    return overlaps(off, len, 0, cs) || overlaps(off, len, q->l1_offset, l1_len) ||
           overlaps(off, len, q->rt_offset, (uint64_t)q->rt_clusters * cs);
}

static int qcow2_flush(struct blockdev *bd)
{
    /* Metadata is written through, so the file has everything already. */
    return fdatasync(((struct qcow2 *)bd)->fd) ? -errno : 0;
}

static void qcow2_close(struct blockdev *bd)
{
    struct qcow2 *q = (struct qcow2 *)bd;
    if (!q) return;
    blockdev_close(q->backing);
    qcow2_cache_free(&q->l2_cache);
    qcow2_cache_free(&q->rb_cache);
    if (q->fd >= 0) close(q->fd);
    free(q->l1);
    free(q->rt);
    free(q->cow_buf);
    free(q->zero_buf);
    free(q->path);
    free(q);
}

static bool qcow2_uses_file(struct blockdev *bd, const struct stat *st)
{
    struct qcow2 *q = (struct qcow2 *)bd;
    return blockdev_fd_is(q->fd, st) || blockdev_uses_file(q->backing, st);
}

static int qcow2_image_fd(struct blockdev *bd)
{
    return ((struct qcow2 *)bd)->fd;
}

static const struct blockdev_ops qcow2_ops = {
    .name = "qcow2",
    .read = qcow2_read,
    .write = qcow2_write,
    .flush = qcow2_flush,
    .discard = qcow2_discard,
    .write_zeroes = qcow2_write_zeroes,
    .close = qcow2_close,
    .uses_file = qcow2_uses_file,
    .image_fd = qcow2_image_fd,
};

/* What the header says beyond the fields struct qcow2 keeps. */
struct qcow2_header {
    uint64_t backing_off;
    uint32_t backing_len;
    uint64_t size;
    uint32_t crypt;
    uint32_t nb_snapshots;
    uint64_t snapshots_off;
    uint64_t incompat, compat, autoclear;
    uint32_t header_len;
    char backing_fmt[16];
    char backing_name[1024];
    const uint8_t *features; /* feature name table in the first cluster */
    uint32_t features_len;
};

/* Names the incompatible feature bits in mask from the feature table. */
static void feature_names(const struct qcow2_header *h, uint64_t mask, char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = 0;
    for (int bit = 0; bit < 64; bit++) {
        if (!(mask & (1ULL << bit))) continue;
        char name[48];
        snprintf(name, sizeof(name), "bit %d", bit);
        for (uint32_t i = 0; i + 48 <= h->features_len; i += 48) {
            const uint8_t *f = h->features + i;
            if (f[0] == 0 && f[1] == bit)
                snprintf(name, sizeof(name), "%.46s", (const char *)f + 2);
        }
        int n = snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", name);
        if (n < 0 || (size_t)n >= outlen - used) break;
        used += (size_t)n;
    }
}

/* Header extensions between the header and the end of the first cluster
 * (or the backing file name): the backing format and the feature names;
 * unknown ones are skipped. */
static int parse_extensions(struct qcow2 *q, const uint8_t *c0, struct qcow2_header *h, char *err,
                            size_t errlen)
{
    uint64_t end = q->cluster_size;
    if (h->backing_off && h->backing_off > h->header_len && h->backing_off < end)
        end = h->backing_off;
    for (uint64_t off = h->header_len; off + 8 <= end;) {
        uint32_t type = qcow2_be32(c0 + off), len = qcow2_be32(c0 + off + 4);
        if (type == EXT_END) return 0;
        if (len > end - off - 8)
            return errmsg_set(err, errlen, -EINVAL,
                              "%s: header extension 0x%x runs past the header", q->path, type);
        const uint8_t *data = c0 + off + 8;
        if (type == EXT_BACKING_FORMAT) {
            if (len == 0 || len >= sizeof(h->backing_fmt))
                return errmsg_set(err, errlen, -EINVAL, "%s: bad backing format extension",
                                  q->path);
            memcpy(h->backing_fmt, data, len);
            h->backing_fmt[len] = 0;
        } else if (type == EXT_FEATURE_TABLE) {
            h->features = data, h->features_len = len;
        }
        off += 8 + (((uint64_t)len + 7) & ~7ULL);
    }
    return 0;
}

static int parse_header(struct qcow2 *q, const uint8_t *c, uint64_t file_size,
                        struct qcow2_header *h, char *err, size_t errlen)
{
    const char *p = q->path;
#define BAD(...) errmsg_set(err, errlen, -EINVAL, __VA_ARGS__)
    q->version = qcow2_be32(c + 4);
    if (q->version != 2 && q->version != 3)
        return BAD("%s: qcow2 version %u is not supported", p, q->version);
    q->cluster_bits = qcow2_be32(c + 20);
    if (q->cluster_bits < 9 || q->cluster_bits > 21)
        return BAD("%s: cluster_bits %u is out of range (9..21)", p, q->cluster_bits);
    q->cluster_size = 1ULL << q->cluster_bits;
    q->l2_bits = q->cluster_bits - 3;
    if (file_size < q->cluster_size) return BAD("%s: truncated qcow2 image", p);
    h->backing_off = qcow2_be64(c + 8);
    h->backing_len = qcow2_be32(c + 16);
    h->size = qcow2_be64(c + 24);
    h->crypt = qcow2_be32(c + 32);
    q->l1_size = qcow2_be32(c + 36);
    q->l1_offset = qcow2_be64(c + 40);
    q->rt_offset = qcow2_be64(c + 48);
    q->rt_clusters = qcow2_be32(c + 56);
    h->nb_snapshots = qcow2_be32(c + 60);
    h->snapshots_off = qcow2_be64(c + 64);
    q->refcount_order = 4;
    h->header_len = 72;
    if (q->version == 3) {
        h->incompat = qcow2_be64(c + 72);
        h->compat = qcow2_be64(c + 80);
        h->autoclear = qcow2_be64(c + 88);
        q->refcount_order = qcow2_be32(c + 96);
        h->header_len = qcow2_be32(c + 100);
        if (h->header_len < 104 || h->header_len > q->cluster_size || (h->header_len & 7))
            return BAD("%s: bad header length %u", p, h->header_len);
    }
    if (q->refcount_order > 6)
        return BAD("%s: refcount_order %u is out of range", p, q->refcount_order);
    q->rb_bits = q->cluster_bits + 3 - q->refcount_order;
    if (h->crypt) return BAD("%s: encrypted qcow2 images are not supported", p);

    uint64_t cs = q->cluster_size, l2_span = 1ULL << (q->cluster_bits + q->l2_bits);
    if (h->size > (1ULL << 62) || (h->size & 511))
        return BAD("%s: bad virtual disk size %llu", p, (unsigned long long)h->size);
    uint64_t l1_need = (h->size + l2_span - 1) / l2_span;
    if ((uint64_t)q->l1_size * 8 > QCOW2_MAX_L1_BYTES || q->l1_size < l1_need)
        return BAD("%s: bad L1 table size %u", p, q->l1_size);
    uint64_t l1_len = (uint64_t)q->l1_size * 8;
    if (q->l1_size && q->l1_offset < cs) return BAD("%s: L1 table overlaps the header", p);
    if (q->l1_size && ((q->l1_offset & (cs - 1)) || q->l1_offset > file_size ||
                       l1_len > file_size - q->l1_offset))
        return BAD("%s: L1 table offset 0x%llx is outside the file", p,
                   (unsigned long long)q->l1_offset);
    uint64_t rt_len = (uint64_t)q->rt_clusters * cs;
    if (q->rt_clusters == 0 || rt_len > QCOW2_MAX_RT_BYTES)
        return BAD("%s: bad refcount table size %u clusters", p, q->rt_clusters);
    if (q->rt_offset < cs) return BAD("%s: refcount table overlaps the header", p);
    if ((q->rt_offset & (cs - 1)) || q->rt_offset > file_size || rt_len > file_size - q->rt_offset)
        return BAD("%s: refcount table offset 0x%llx is outside the file", p,
                   (unsigned long long)q->rt_offset);
    if (q->l1_size && overlaps(q->l1_offset, l1_len, q->rt_offset, rt_len))
        return BAD("%s: the L1 table overlaps the refcount table", p);
    if (h->backing_off && (h->backing_len == 0 || h->backing_len > 1023 || h->backing_off < 72 ||
                           h->backing_off > cs || h->backing_len > cs - h->backing_off))
        return BAD("%s: bad backing file name location", p);
    if (h->nb_snapshots &&
        ((h->snapshots_off & (cs - 1)) || h->snapshots_off < cs || h->snapshots_off >= file_size))
        return BAD("%s: snapshot table offset is outside the file", p);
    return parse_extensions(q, c, h, err, errlen);
#undef BAD
}

/* Feature bits: what cannot be opened at all, and what only read-only. */
static int check_features(struct qcow2 *q, const struct qcow2_header *h, bool readonly, char *err,
                          size_t errlen)
{
    const char *p = q->path;
    uint64_t unknown = h->incompat & ~(INCOMPAT_DIRTY | INCOMPAT_CORRUPT | INCOMPAT_DATA_FILE |
                                       INCOMPAT_COMPRESSION | INCOMPAT_EXTL2);
    if (unknown) {
        char names[256];
        feature_names(h, unknown, names, sizeof(names));
        return errmsg_set(err, errlen, -ENOTSUP, "%s: unsupported qcow2 features: %s", p, names);
    }
    if (h->incompat & INCOMPAT_CORRUPT)
        return errmsg_set(err, errlen, -EINVAL,
                          "%s: image is marked corrupt; repair it with qemu-img check -r all", p);
    if (h->incompat & INCOMPAT_DATA_FILE)
        return errmsg_set(err, errlen, -ENOTSUP, "%s: external data files are not supported", p);
    if (h->incompat & INCOMPAT_EXTL2)
        return errmsg_set(err, errlen, -ENOTSUP, "%s: extended L2 entries are not supported", p);
    if (readonly) return 0;
    if (h->incompat & INCOMPAT_DIRTY)
        return errmsg_set(err, errlen, -EINVAL,
                          "%s: image is dirty (lazy refcounts); run qemu-img check -r all or open "
                          "it read-only",
                          p);
    if (h->nb_snapshots)
        return errmsg_set(err, errlen, -ENOTSUP,
                          "%s: images with internal snapshots can only be opened read-only", p);
    return 0;
}

static int load_table(struct qcow2 *q, uint64_t off, uint64_t entries, uint64_t **out)
{
    *out = calloc(entries ? entries : 1, 8);
    if (!*out) return -ENOMEM;
    uint8_t *raw = (uint8_t *)*out;
    int err = entries ? qcow2_pread(q, off, raw, entries * 8) : 0;
    for (uint64_t i = 0; !err && i < entries; i++)
        (*out)[i] = qcow2_be64(raw + i * 8);
    return err;
}

/* Reads and checks the first cluster: header, extensions, features. The
 * cluster buffer is gone before any backing file opens, so a deep chain
 * does not hold one per level. */
static int load_header(struct qcow2 *q, bool readonly, struct qcow2_header *h, char *err,
                       size_t errlen)
{
    uint8_t head[104];
    ssize_t n = pread(q->fd, head, sizeof(head), 0);
    if (n < 72 || (n < 104 && qcow2_be32(head + 4) >= 3))
        return errmsg_set(err, errlen, -EINVAL, "%s: truncated qcow2 image", q->path);
    if (!qcow2_probe(head, (size_t)n))
        return errmsg_set(err, errlen, -EINVAL, "%s: not a qcow2 image", q->path);
    uint32_t cb = qcow2_be32(head + 20);
    if (cb < 9 || cb > 21)
        return errmsg_set(err, errlen, -EINVAL, "%s: cluster_bits %u is out of range (9..21)",
                          q->path, cb);
    if (q->file_size < (1ULL << cb))
        return errmsg_set(err, errlen, -EINVAL, "%s: truncated qcow2 image", q->path);
    uint8_t *c0 = malloc(1ULL << cb);
    if (!c0) return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    int rc = qcow2_pread(q, 0, c0, 1ULL << cb);
    if (rc)
        rc = errmsg_set(err, errlen, rc, "%s: cannot read the header: %s", q->path, strerror(-rc));
    if (!rc) rc = parse_header(q, c0, q->file_size, h, err, errlen);
    if (!rc) rc = check_features(q, h, readonly, err, errlen);
    if (!rc && h->backing_off) {
        memcpy(h->backing_name, c0 + h->backing_off, h->backing_len);
        h->backing_name[h->backing_len] = 0;
    }
    h->features = NULL;
    free(c0);
    return rc;
}

static int load(struct qcow2 *q, bool readonly, struct qcow2_chain *chain, char *err, size_t errlen)
{
    struct qcow2_header h = {0};
    int rc = load_header(q, readonly, &h, err, errlen);
    if (rc) return rc;
    q->bd = (struct blockdev){.ops = &qcow2_ops, .size = h.size, .readonly = readonly};
    q->rt_entries = (uint64_t)q->rt_clusters * q->cluster_size / 8;
    unsigned l2n = (unsigned)((4ULL << 20) >> q->cluster_bits);
    l2n = l2n < 16 ? 16 : l2n > 256 ? 256 : l2n;
    if ((rc = load_table(q, q->l1_offset, q->l1_size, &q->l1)) ||
        (rc = load_table(q, q->rt_offset, q->rt_entries, &q->rt)) ||
        (rc = qcow2_cache_init(&q->l2_cache, l2n, q->cluster_size)) ||
        (rc = qcow2_cache_init(&q->rb_cache, 16, q->cluster_size)))
        return errmsg_set(err, errlen, rc, "%s: cannot load qcow2 tables: %s", q->path,
                          strerror(-rc));
    q->cow_buf = malloc(2 * q->cluster_size);
    q->zero_buf = calloc(1, q->cluster_size);
    if (!q->cow_buf || !q->zero_buf) return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    if (h.backing_off) {
        rc = qcow2_backing_open(q, h.backing_name, h.backing_fmt[0] ? h.backing_fmt : NULL, chain,
                                err, errlen);
        if (rc) return rc;
    }
    /* Autoclear bits name extensions (bitmaps, raw data file) this code
     * does not keep up to date: clearing them tells others they are stale. */
    if (!readonly && h.autoclear) {
        uint8_t zero[8] = {0};
        rc = qcow2_pwrite(q, 88, zero, 8);
        if (rc) return errmsg_set(err, errlen, rc, "%s: %s", q->path, strerror(-rc));
    }
    return 0;
}

int qcow2_open_chain(struct blockdev **out, const char *path, bool readonly,
                     struct qcow2_chain *chain, char *err, size_t errlen)
{
    struct qcow2 *q = calloc(1, sizeof(*q));
    if (!q) return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    q->fd = -1;
    q->path = strdup(path);
    int rc = q->path ? 0 : errmsg_set(err, errlen, -ENOMEM, "out of memory");
    if (!rc) rc = blockdev_open_file(path, readonly, &q->fd, &q->file_size, err, errlen);
    struct stat st;
    if (!rc && fstat(q->fd, &st))
        rc = errmsg_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
    if (!rc) {
        chain->dev[chain->depth] = st.st_dev;
        chain->ino[chain->depth] = st.st_ino;
    }
    if (!rc) rc = load(q, readonly, chain, err, errlen);
    if (rc) {
        qcow2_close(&q->bd);
        return rc;
    }
    *out = &q->bd;
    return 0;
}

int qcow2_open_seen(struct blockdev **out, const char *path, bool readonly, const char *backing_dir,
                    void (*seen)(void *opaque, const char *path), void *opaque, char *err,
                    size_t errlen)
{
    struct qcow2_chain *chain = calloc(1, sizeof(*chain));
    if (!chain) return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    chain->seen = seen;
    chain->seen_opaque = opaque;
    int rc = 0;
    char dir[sizeof(chain->root)];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path + 1) : 1, slash ? path : ".");
    if (!realpath(dir, chain->root))
        rc = errmsg_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
    if (!rc && backing_dir && backing_dir[0] && !realpath(backing_dir, chain->backing_dir))
        rc = errmsg_set(err, errlen, -errno, "backing-dir %s: %s", backing_dir, strerror(errno));
    if (!rc) rc = qcow2_open_chain(out, path, readonly, chain, err, errlen);
    free(chain);
    return rc;
}

int qcow2_open_dir(struct blockdev **out, const char *path, bool readonly, const char *backing_dir,
                   char *err, size_t errlen)
{
    return qcow2_open_seen(out, path, readonly, backing_dir, NULL, NULL, err, errlen);
}

int qcow2_open(struct blockdev **out, const char *path, bool readonly, char *err, size_t errlen)
{
    return qcow2_open_dir(out, path, readonly, NULL, err, errlen);
}
