/* Safe opens of user-named host paths (see safe_open.h). The rule this
 * file keeps: no call here can block on what the path turns out to be (a
 * FIFO with no writer, a tty, a stalled device), and nothing is read or
 * written before the kind and size of the file are known. */
#include "common/safe_open.h"

#include "common/errmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <unistd.h>

static const char *kind_name(mode_t m)
{
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    if (S_ISLNK(m)) return "a symbolic link";
    return "an unusual file";
}

static int kind_error(const char *path, mode_t m, unsigned kinds, char *err, size_t errlen)
{
    const char *want = kinds & SAFE_BLK ? "a regular file or block device" : "a regular file";
    return errmsg_set(err, errlen, S_ISDIR(m) ? -EISDIR : -EINVAL, "%s: %s, not %s", path,
                      kind_name(m), want);
}

int safe_open(const char *path, int flags, unsigned kinds, uint64_t max_size, uint64_t *size,
              struct stat *stp, char *err, size_t errlen)
{
    if (flags & O_CREAT)
        return errmsg_set(err, errlen, -EINVAL, "%s: safe_open cannot create", path);
    if (!path[0]) return errmsg_set(err, errlen, -ENOENT, "an empty path names no file");
    /* O_NONBLOCK: a FIFO opens at once instead of waiting for a writer,
     * and fstat then refuses it. */
    int fd = open(path, flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return errmsg_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
    struct stat st;
    uint64_t n = 0;
    int rc = 0;
    if (fstat(fd, &st)) {
        rc = errmsg_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
    } else if (!((kinds & SAFE_REG) && S_ISREG(st.st_mode)) &&
               !((kinds & SAFE_BLK) && S_ISBLK(st.st_mode))) {
        rc = kind_error(path, st.st_mode, kinds, err, errlen);
    } else if (S_ISBLK(st.st_mode)) {
        if (ioctl(fd, BLKGETSIZE64, &n))
            rc = errmsg_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
    } else {
        n = (uint64_t)st.st_size;
    }
    if (!rc && max_size && n > max_size)
        rc = errmsg_set(err, errlen, -EFBIG, "%s: too large (%llu bytes, at most %llu)", path,
                        (unsigned long long)n, (unsigned long long)max_size);
    int fl = rc ? 0 : fcntl(fd, F_GETFL);
    if (!rc && (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK)))
        rc = errmsg_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
    if (rc) {
        close(fd);
        return rc;
    }
    if (size) *size = n;
    if (stp) *stp = st;
    return fd;
}

int safe_read_file(const char *path, uint64_t max_size, uint8_t **buf, size_t *len, char *err,
                   size_t errlen)
{
    uint64_t size;
    if (!max_size || max_size > SIZE_MAX - 1) max_size = SIZE_MAX - 1;
    int fd = safe_open(path, O_RDONLY, SAFE_REG, max_size, &size, NULL, err, errlen);
    if (fd < 0) return fd;
    uint8_t *b = malloc((size_t)size + 1);
    if (!b) {
        close(fd);
        return errmsg_set(err, errlen, -ENOMEM, "%s: out of memory", path);
    }
    /* Only the size fstat gave: a file growing meanwhile is not followed. */
    size_t got = 0;
    int rc = 0;
    while (got < size) {
        ssize_t r = read(fd, b + got, (size_t)size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) rc = errmsg_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    if (rc) {
        free(b);
        return rc;
    }
    b[got] = 0;
    *buf = b;
    *len = got;
    return 0;
}

int safe_check_target(const char *path, bool *exists, struct stat *st, char *err, size_t errlen)
{
    *exists = false;
    if (!path[0]) return errmsg_set(err, errlen, -ENOENT, "an empty path names no file");
    if (lstat(path, st)) {
        if (errno == ENOENT) return 0;
        return errmsg_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
    }
    *exists = true;
    if (!S_ISREG(st->st_mode))
        return errmsg_set(err, errlen, -EINVAL,
                          "%s: exists and is %s: only a regular file is replaced", path,
                          kind_name(st->st_mode));
    return 0;
}

/* The directory part of path ("." when it has none) into dir. */
static int dir_of(const char *path, char *dir, size_t len)
{
    const char *slash = strrchr(path, '/');
    int n = !slash          ? snprintf(dir, len, ".")
            : slash == path ? snprintf(dir, len, "/")
                            : snprintf(dir, len, "%.*s", (int)(slash - path), path);
    return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int safe_tmp_create(const char *target, char *tmp, size_t tmplen, char *err, size_t errlen)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    if (!*base) return errmsg_set(err, errlen, -EISDIR, "%s: names a directory", target);
    if (dir_of(target, dir, sizeof(dir)))
        return errmsg_set(err, errlen, -ENAMETOOLONG, "%s: path too long", target);
    for (int tries = 0; tries < 8; tries++) {
        uint64_t r;
        if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
            return errmsg_set(err, errlen, -EIO, "getrandom failed");
        int n = snprintf(tmp, tmplen, "%s/.%.64s.%016llx.tmp", dir, base, (unsigned long long)r);
        if (n < 0 || (size_t)n >= tmplen)
            return errmsg_set(err, errlen, -ENAMETOOLONG, "%s: path too long", target);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
        if (fd >= 0) return fd;
        if (errno != EEXIST) return errmsg_set(err, errlen, -errno, "%s: %s", tmp, strerror(errno));
    }
    return errmsg_set(err, errlen, -EEXIST, "%s: no free temporary name", target);
}

int safe_tmp_commit(int fd, const char *tmp, const char *target, int rc, char *err, size_t errlen)
{
    if (!rc && fsync(fd)) rc = errmsg_set(err, errlen, -errno, "%s: %s", tmp, strerror(errno));
    if (close(fd) && !rc) rc = errmsg_set(err, errlen, -errno, "%s: %s", tmp, strerror(errno));
    if (!rc && rename(tmp, target))
        rc = errmsg_set(err, errlen, -errno, "%s: %s", target, strerror(errno));
    if (rc) {
        unlink(tmp);
        return rc;
    }
    /* The rename itself survives a host crash once the directory is synced. */
    char dir[PATH_MAX];
    if (!dir_of(target, dir, sizeof(dir))) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    return 0;
}

int safe_canonical(const char *path, char *out, size_t outlen)
{
    char dir[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
        if (!realpath(path, real)) return -errno;
        return (size_t)snprintf(out, outlen, "%s", real) >= outlen ? -ENAMETOOLONG : 0;
    }
    if (dir_of(path, dir, sizeof(dir))) return -ENAMETOOLONG;
    if (!realpath(dir, real)) return -errno;
    int n = snprintf(out, outlen, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
    return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
}

bool safe_path_under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/') return path[0] == '/';
    return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == 0);
}

/* Reopens the file o_path_fd (an O_PATH descriptor) with flags: through
 * /proc/self/fd it is the same inode whatever happens to the name now. */
static int reopen(int o_path_fd, int flags)
{
    char proc[64];
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", o_path_fd);
    return open(proc, flags | O_CLOEXEC | O_NOCTTY);
}

int safe_open_output(const char *path, char *err, size_t errlen)
{
    for (int tries = 0; tries < 2; tries++) {
        /* O_PATH opens nothing: no device driver runs, no FIFO waits. */
        int pfd = open(path, O_PATH | O_CLOEXEC);
        if (pfd < 0 && errno == ENOENT) {
            int fd = open(
                path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
                0600);
            if (fd >= 0) return fd;
            if (errno == EEXIST) continue; /* made meanwhile: look at what it is */
            return errmsg_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
        }
        if (pfd < 0) return errmsg_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
        struct stat st;
        if (fstat(pfd, &st) != 0) {
            int e = errno;
            close(pfd);
            return errmsg_set(err, errlen, -e, "%s: %s", path, strerror(e));
        }
        if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
            close(pfd);
            return errmsg_set(err, errlen, S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL,
                              "%s: %s, not a regular file or a FIFO", path, kind_name(st.st_mode));
        }
        /* A FIFO read-write: the open needs no reader and a write never
         * waits for one (a full pipe drops what does not fit). */
        int fd = reopen(pfd, S_ISFIFO(st.st_mode) ? O_RDWR | O_NONBLOCK : O_WRONLY | O_APPEND);
        int e = errno;
        close(pfd);
        if (fd < 0) return errmsg_set(err, errlen, -e, "%s: %s", path, strerror(e));
        return fd;
    }
    return errmsg_set(err, errlen, -EAGAIN, "%s: changed while being opened", path);
}
