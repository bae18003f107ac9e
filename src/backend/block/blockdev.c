/* Format detection and the checked entry points shared by every backend:
 * range and read-only checks live here once, not in each format. */
#include "backend/block/blockdev.h"

#include "common/errmsg.h"
#include "common/safe_open.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int probe_format(const char *path, enum blockdev_format *fmt, char *err, size_t errlen)
{
    int fd = safe_open(path, O_RDONLY, SAFE_REG | SAFE_BLK, 0, NULL, NULL, err, errlen);
    if (fd < 0) return fd;
    uint8_t head[8];
    ssize_t n = pread(fd, head, sizeof(head), 0);
    close(fd);
    *fmt = (n > 0 && qcow2_probe(head, (size_t)n)) ? BLOCKDEV_QCOW2 : BLOCKDEV_RAW;
    return 0;
}

/* A file nobody may write (chmod 444) is refused for a writable drive even
 * when open() would succeed (root): its mode says it must not change. */
static int check_writable(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st)) return errmsg_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
    if (S_ISREG(st.st_mode) && !(st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)))
        return errmsg_set(err, errlen, -EACCES,
                          "%s: the file is read-only (mode %03o); use readonly=on", path,
                          (unsigned)(st.st_mode & 0777));
    return 0;
}

int blockdev_open(struct blockdev **out, const char *path, enum blockdev_format fmt, bool readonly,
                  char *err, size_t errlen)
{
    return blockdev_open_dir(out, path, fmt, readonly, NULL, err, errlen);
}

int blockdev_open_dir(struct blockdev **out, const char *path, enum blockdev_format fmt,
                      bool readonly, const char *backing_dir, char *err, size_t errlen)
{
    if (!readonly) {
        int rc = check_writable(path, err, errlen);
        if (rc) return rc;
    }
    bool probed = fmt == BLOCKDEV_AUTO;
    if (probed) {
        int rc = probe_format(path, &fmt, err, errlen);
        if (rc) return rc;
    }
    if (fmt == BLOCKDEV_QCOW2) return qcow2_open_dir(out, path, readonly, backing_dir, err, errlen);
    int rc = raw_open(out, path, readonly, err, errlen);
    if (!rc) (*out)->probed_raw = probed;
    return rc;
}

void blockdev_close(struct blockdev *bd)
{
    if (bd) bd->ops->close(bd);
}

int blockdev_backing_files(const char *path, enum blockdev_format fmt, const char *backing_dir,
                           void (*fn)(void *opaque, const char *path), void *opaque, char *err,
                           size_t errlen)
{
    if (fmt == BLOCKDEV_AUTO) {
        int rc = probe_format(path, &fmt, err, errlen);
        if (rc) return rc;
    }
    if (fmt != BLOCKDEV_QCOW2) return 0;
    struct blockdev *bd;
    int rc = qcow2_open_seen(&bd, path, true, backing_dir, fn, opaque, err, errlen);
    if (!rc) blockdev_close(bd);
    return rc;
}

bool blockdev_uses_file(struct blockdev *bd, const struct stat *st)
{
    return bd && bd->ops->uses_file && bd->ops->uses_file(bd, st);
}

bool blockdev_fd_is(int fd, const struct stat *st)
{
    struct stat me;
    return fd >= 0 && !fstat(fd, &me) && me.st_dev == st->st_dev && me.st_ino == st->st_ino;
}

static int check_range(const struct blockdev *bd, uint64_t off, uint64_t len)
{
    if (off > bd->size || len > bd->size - off) return -ERANGE;
    return 0;
}

static int check_write(const struct blockdev *bd, uint64_t off, uint64_t len)
{
    if (bd->readonly) return -EROFS;
    return check_range(bd, off, len);
}

int blockdev_read(struct blockdev *bd, uint64_t off, void *buf, size_t len)
{
    int rc = check_range(bd, off, len);
    return rc ? rc : bd->ops->read(bd, off, buf, len);
}

/* Whether a write to a probed raw disk would give it another format's magic. */
static bool forges_header(const struct blockdev *bd, uint64_t off, const void *buf, size_t len)
{
    return bd->probed_raw && off == 0 && qcow2_probe(buf, len);
}

int blockdev_write(struct blockdev *bd, uint64_t off, const void *buf, size_t len)
{
    if (forges_header(bd, off, buf, len)) return -EPERM;
    int rc = check_write(bd, off, len);
    return rc ? rc : bd->ops->write(bd, off, buf, len);
}

int blockdev_flush(struct blockdev *bd)
{
    return bd->readonly ? 0 : bd->ops->flush(bd);
}

int blockdev_discard(struct blockdev *bd, uint64_t off, uint64_t len)
{
    int rc = check_write(bd, off, len);
    return rc ? rc : bd->ops->discard(bd, off, len);
}

int blockdev_write_zeroes(struct blockdev *bd, uint64_t off, uint64_t len, bool unmap)
{
    int rc = check_write(bd, off, len);
    return rc ? rc : bd->ops->write_zeroes(bd, off, len, unmap);
}

int blockdev_pread_all(int fd, uint64_t off, void *buf, size_t len, bool zero_eof)
{
    uint8_t *p = buf;
    while (len) {
        ssize_t n = pread(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -errno;
        if (n == 0) {
            if (!zero_eof) return -EIO;
            memset(p, 0, len);
            return 0;
        }
        p += n, off += (uint64_t)n, len -= (size_t)n;
    }
    return 0;
}

int blockdev_pwrite_all(int fd, uint64_t off, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = pwrite(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n < 0 ? -errno : -EIO;
        p += n, off += (uint64_t)n, len -= (size_t)n;
    }
    return 0;
}

int blockdev_open_file(const char *path, bool readonly, int *fd, uint64_t *size, char *err,
                       size_t errlen)
{
    *fd = safe_open(path, readonly ? O_RDONLY : O_RDWR, SAFE_REG | SAFE_BLK, 0, size, NULL, err,
                    errlen);
    if (*fd < 0) {
        int rc = *fd;
        *fd = -1;
        return rc;
    }
    int rc = blockdev_lock(*fd, readonly, path, err, errlen);
    if (rc) {
        close(*fd);
        *fd = -1;
    }
    return rc;
}
