/* qcow2 backing files: resolving the name against the overlay's directory,
 * choosing the format (the header extension, else probed), and opening the
 * chain read-only with a depth limit, so a loop or a deep chain fails
 * cleanly instead of exhausting file descriptors. */
#include "backend/block/qcow2.h"

#include "common/errmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* name relative to the directory of the overlay at path. */
static int resolve(const char *overlay, const char *name, char *out, size_t outlen)
{
    const char *slash = strrchr(overlay, '/');
    int n;
    if (name[0] == '/' || !slash)
        n = snprintf(out, outlen, "%s", name);
    else
        n = snprintf(out, outlen, "%.*s/%s", (int)(slash - overlay), overlay, name);
    return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
}

static bool probe_qcow2(const char *path)
{
    uint8_t head[4];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = pread(fd, head, sizeof(head), 0);
    close(fd);
    return n == (ssize_t)sizeof(head) && qcow2_probe(head, sizeof(head));
}

int qcow2_backing_open(struct qcow2 *q, const char *name, const char *fmt, int depth, char *err,
                       size_t errlen)
{
    char path[4096];
    if (strchr(name, ':') && strncmp(name, "json:", 5) == 0)
        return errmsg_set(err, errlen, -ENOTSUP, "%s: json: backing file names are not supported",
                          q->path);
    if (resolve(q->path, name, path, sizeof(path)))
        return errmsg_set(err, errlen, -ENAMETOOLONG, "%s: backing file name is too long", q->path);
    if (depth + 1 > QCOW2_MAX_CHAIN)
        return errmsg_set(err, errlen, -ELOOP, "%s: backing chain is deeper than %d files", q->path,
                          QCOW2_MAX_CHAIN);
    struct stat self, st;
    if (stat(path, &st))
        return errmsg_set(err, errlen, -errno, "%s: backing file %s: %s", q->path, path,
                          strerror(errno));
    /* Its own backing file would otherwise fail on the image lock. */
    if (!fstat(q->fd, &self) && self.st_dev == st.st_dev && self.st_ino == st.st_ino)
        return errmsg_set(err, errlen, -ELOOP, "%s: the image is its own backing file", q->path);
    bool qcow2;
    if (!fmt)
        qcow2 = probe_qcow2(path);
    else if (!strcmp(fmt, "qcow2"))
        qcow2 = true;
    else if (!strcmp(fmt, "raw"))
        qcow2 = false;
    else
        return errmsg_set(err, errlen, -ENOTSUP, "%s: backing file format %s is not supported",
                          q->path, fmt);
    if (qcow2) return qcow2_open_depth(&q->backing, path, true, depth + 1, err, errlen);
    return raw_open(&q->backing, path, true, err, errlen);
}
