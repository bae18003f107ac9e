/* The snapshot state file's envelope: header, body, CRC-32 (zlib), and the
 * atomic write both snapshot files share. Knows nothing of what the body's
 * sections hold. Reading checks, in order, that the file is whole, is an
 * rvmm snapshot of a format this build reads, and is not corrupt. */
#include "vmm/snapshot.h"

#include "common/errmsg.h"
#include "common/safe_open.h"
#include "common/version.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static const char snap_magic[8] = {'R', 'V', 'M', 'M', 'S', 'N', 'A', 'P'};

#define SNAP_VERSION_LEN 32
/* magic, format version, flags, rvmm version, body length */
#define SNAP_HEADER_LEN (8 + 4 + 4 + SNAP_VERSION_LEN + 8)
#define SNAP_CRC_LEN    4

static uint32_t snap_crc(const uint8_t *p, size_t n)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    while (n) {
        uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;
        crc = crc32(crc, p, chunk);
        p += chunk;
        n -= chunk;
    }
    return (uint32_t)crc;
}

int snap_pwrite_all(int fd, const void *p, size_t n, off_t off)
{
    const uint8_t *b = p;
    while (n) {
        ssize_t w = pwrite(fd, b, n, off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return w < 0 ? -errno : -EIO;
        b += w;
        n -= (size_t)w;
        off += w;
    }
    return 0;
}

int snap_state_write(const char *path, const struct stream *body, char *err, size_t errlen)
{
    if (body->err) return errmsg_set(err, errlen, body->err, "cannot encode the VM state");
    uint8_t hdr[SNAP_HEADER_LEN] = {0};
    struct stream h;
    stream_init_writer(&h);
    stream_put(&h, snap_magic, sizeof(snap_magic));
    stream_put_u32(&h, SNAP_FORMAT_VERSION);
    stream_put_u32(&h, 0);
    char ver[SNAP_VERSION_LEN] = {0};
    snprintf(ver, sizeof(ver), "%s", RVMM_VERSION);
    stream_put(&h, ver, sizeof(ver));
    stream_put_u64(&h, body->len);
    if (h.err || h.len != sizeof(hdr)) {
        stream_free(&h);
        return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    }
    memcpy(hdr, h.buf, sizeof(hdr));
    stream_free(&h);
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, hdr, sizeof(hdr));
    uint32_t c = (uint32_t)crc32_combine(crc, snap_crc(body->buf, body->len), (z_off_t)body->len);
    uint8_t tail[SNAP_CRC_LEN] = {(uint8_t)c, (uint8_t)(c >> 8), (uint8_t)(c >> 16),
                                  (uint8_t)(c >> 24)};

    char tmp[4200];
    int fd = safe_tmp_create(path, tmp, sizeof(tmp), err, errlen);
    if (fd < 0) return fd;
    int rc = snap_pwrite_all(fd, hdr, sizeof(hdr), 0);
    if (!rc) rc = snap_pwrite_all(fd, body->buf, body->len, sizeof(hdr));
    if (!rc) rc = snap_pwrite_all(fd, tail, sizeof(tail), (off_t)(sizeof(hdr) + body->len));
    if (rc) errmsg_set(err, errlen, rc, "%s: %s", tmp, strerror(-rc));
    return safe_tmp_commit(fd, tmp, path, rc, err, errlen);
}

int snap_state_read(const char *path, struct stream *body, char *err, size_t errlen)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = safe_read_file(path, SNAP_STATE_MAX, &buf, &len, err, errlen);
    if (rc == -EFBIG)
        return errmsg_set(err, errlen, rc, "%s: too large for a snapshot state file", path);
    if (rc) return rc;
    struct stream h;
    stream_init_reader(&h, buf, len);
    char magic[8], ver[SNAP_VERSION_LEN + 1] = {0};
    stream_get(&h, magic, sizeof(magic));
    uint32_t format = stream_get_u32(&h);
    stream_get_u32(&h); /* flags: none defined */
    stream_get(&h, ver, SNAP_VERSION_LEN);
    uint64_t blen = stream_get_u64(&h);
    if (len >= sizeof(magic) && memcmp(buf, snap_magic, sizeof(magic)))
        rc = errmsg_set(err, errlen, -EINVAL, "%s: not an rvmm snapshot state file", path);
    else if (h.err)
        rc = errmsg_set(err, errlen, -EINVAL, "%s: truncated (%zu bytes)", path, len);
    else if (format != SNAP_FORMAT_VERSION)
        rc = errmsg_set(err, errlen, -EINVAL,
                        "%s: snapshot format version %u (written by rvmm %s); this rvmm (%s) "
                        "reads version %u",
                        path, format, ver, RVMM_VERSION, SNAP_FORMAT_VERSION);
    else if (blen > len - SNAP_HEADER_LEN || len - SNAP_HEADER_LEN - blen < SNAP_CRC_LEN)
        rc = errmsg_set(err, errlen, -EINVAL, "%s: truncated (%zu bytes, the header says %llu)",
                        path, len, (unsigned long long)(blen + SNAP_HEADER_LEN + SNAP_CRC_LEN));
    else if (len - SNAP_HEADER_LEN - blen != SNAP_CRC_LEN)
        rc = errmsg_set(err, errlen, -EINVAL, "%s: trailing bytes after the checksum", path);
    if (!rc) {
        size_t n = SNAP_HEADER_LEN + blen;
        uint32_t want = (uint32_t)buf[n] | (uint32_t)buf[n + 1] << 8 | (uint32_t)buf[n + 2] << 16 |
                        (uint32_t)buf[n + 3] << 24;
        if (snap_crc(buf, n) != want)
            rc = errmsg_set(err, errlen, -EINVAL, "%s: checksum mismatch: the file is corrupt",
                            path);
    }
    if (rc) {
        free(buf);
        return rc;
    }
    /* The body reader owns buf: stream_free releases it. */
    memmove(buf, buf + SNAP_HEADER_LEN, blen);
    stream_init_reader(body, buf, blen);
    body->cap = len; /* nonzero: stream_free owns buf */
    return 0;
}
