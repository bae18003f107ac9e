/* Raw images: the disk is the file, byte for byte. Discard and write-zeroes
 * punch holes where the host file system can, so a sparse image stays
 * sparse. */
#include "backend/block/blockdev.h"

#include "common/errmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct raw {
    struct blockdev bd; /* first: the blockdev pointer is the raw pointer */
    int fd;
};

static int raw_fd(struct blockdev *bd)
{
    return ((struct raw *)bd)->fd;
}

static int raw_read(struct blockdev *bd, uint64_t off, void *buf, size_t len)
{
    /* A file shorter than its size cannot happen; read zeroes. */
    return blockdev_pread_all(raw_fd(bd), off, buf, len, true);
}

static int raw_write(struct blockdev *bd, uint64_t off, const void *buf, size_t len)
{
    return blockdev_pwrite_all(raw_fd(bd), off, buf, len);
}

static int raw_flush(struct blockdev *bd)
{
    return fdatasync(raw_fd(bd)) ? -errno : 0;
}

static int raw_write_zeroes(struct blockdev *bd, uint64_t off, uint64_t len, bool unmap)
{
    int mode = unmap ? FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE : FALLOC_FL_ZERO_RANGE;
    if (len == 0 || fallocate(raw_fd(bd), mode, (off_t)off, (off_t)len) == 0) return 0;
    /* No hole punching here (tmpfs of old, some file systems): write zeroes. */
    static const uint8_t zero[65536];
    while (len) {
        size_t n = len < sizeof(zero) ? (size_t)len : sizeof(zero);
        int rc = raw_write(bd, off, zero, n);
        if (rc) return rc;
        off += n, len -= n;
    }
    return 0;
}

static int raw_discard(struct blockdev *bd, uint64_t off, uint64_t len)
{
    /* Discard is advisory: a file system that cannot punch holes keeps the data. */
    if (len)
        fallocate(raw_fd(bd), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off, (off_t)len);
    return 0;
}

static void raw_close(struct blockdev *bd)
{
    close(raw_fd(bd));
    free(bd);
}

static const struct blockdev_ops raw_ops = {
    .name = "raw",
    .read = raw_read,
    .write = raw_write,
    .flush = raw_flush,
    .discard = raw_discard,
    .write_zeroes = raw_write_zeroes,
    .close = raw_close,
    .image_fd = raw_fd,
};

int raw_open(struct blockdev **out, const char *path, bool readonly, char *err, size_t errlen)
{
    int fd;
    uint64_t size;
    int rc = blockdev_open_file(path, readonly, &fd, &size, err, errlen);
    if (rc) return rc;
    if (size & 511) {
        close(fd);
        return errmsg_set(err, errlen, -EINVAL, "%s: size %llu is not a multiple of 512 bytes",
                          path, (unsigned long long)size);
    }
    struct raw *r = calloc(1, sizeof(*r));
    if (!r) {
        close(fd);
        return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    }
    r->bd = (struct blockdev){.ops = &raw_ops, .size = size, .readonly = readonly};
    r->fd = fd;
    *out = &r->bd;
    return 0;
}
