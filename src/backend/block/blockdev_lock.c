/* Image locking compatible with QEMU's file-posix driver: open file
 * description (OFD) locks on single bytes, byte 100 + p meaning "holds
 * permission p" and byte 200 + p "does not let others hold p". All locks
 * are shared (read) locks; a conflict is found by testing for a write lock
 * on the other side's byte. Locks go away when the file is closed, or
 * when the process dies. */
#include "backend/block/blockdev.h"

#include "common/errmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#define PERM_BASE   100
#define SHARED_BASE 200
enum { PERM_READ, PERM_WRITE, PERM_WRITE_UNCHANGED, PERM_RESIZE, PERM_COUNT };

static int lock_byte(int fd, int cmd, short type, off_t byte, bool *conflict)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1};
    if (fcntl(fd, cmd, &fl)) return -errno;
    if (conflict) *conflict = fl.l_type != F_UNLCK;
    return 0;
}

int blockdev_release(struct blockdev *bd)
{
    if (!bd->ops->image_fd) return -ENOTSUP;
    struct flock fl = {.l_type = F_UNLCK,
                       .l_whence = SEEK_SET,
                       .l_start = PERM_BASE,
                       .l_len = SHARED_BASE + PERM_COUNT - PERM_BASE};
    int rc = fcntl(bd->ops->image_fd(bd), F_OFD_SETLK, &fl) ? -errno : 0;
    return rc == -EINVAL || rc == -ENOTSUP ? 0 : rc; /* no OFD locks here: nothing held */
}

int blockdev_reacquire(struct blockdev *bd, const char *path, char *err, size_t errlen)
{
    if (!bd->ops->image_fd) return -ENOTSUP;
    int rc = blockdev_lock(bd->ops->image_fd(bd), bd->readonly, path, err, errlen);
    if (rc) blockdev_release(bd); /* none of it half held */
    return rc;
}

int blockdev_lock(int fd, bool readonly, const char *path, char *err, size_t errlen)
{
    /* A guest disk: a writer holds read, write and write-unchanged; either
     * kind of user lets nobody else write or resize (a backing file must
     * not change under its overlays). */
    unsigned held = readonly ? 1u << PERM_READ
                             : 1u << PERM_READ | 1u << PERM_WRITE | 1u << PERM_WRITE_UNCHANGED;
    unsigned unshared = 1u << PERM_WRITE | 1u << PERM_RESIZE;
    /* Take the locks first and test afterwards, so two racing openers
     * cannot both pass the test. */
    for (int p = 0; p < PERM_COUNT; p++) {
        int rc = 0;
        if (held & (1u << p)) rc = lock_byte(fd, F_OFD_SETLK, F_RDLCK, PERM_BASE + p, NULL);
        if (!rc && (unshared & (1u << p)))
            rc = lock_byte(fd, F_OFD_SETLK, F_RDLCK, SHARED_BASE + p, NULL);
        if (rc == -EINVAL || rc == -ENOTSUP || rc == -ENOLCK) return 0; /* no OFD locks here */
        if (rc == -EAGAIN || rc == -EACCES) goto busy;
        if (rc) return errmsg_set(err, errlen, rc, "%s: cannot lock: %s", path, strerror(-rc));
    }
    for (int p = 0; p < PERM_COUNT; p++) {
        bool conflict = false;
        int rc = 0;
        if (held & (1u << p)) rc = lock_byte(fd, F_OFD_GETLK, F_WRLCK, SHARED_BASE + p, &conflict);
        if (!rc && !conflict && (unshared & (1u << p)))
            rc = lock_byte(fd, F_OFD_GETLK, F_WRLCK, PERM_BASE + p, &conflict);
        if (rc) return errmsg_set(err, errlen, rc, "%s: cannot lock: %s", path, strerror(-rc));
        if (conflict) goto busy;
    }
    return 0;
busy:
    return errmsg_set(err, errlen, -EBUSY, "%s: image is in use by another process", path);
}
