/* qcow2 backing files: resolving the name against the overlay's directory,
 * confining it (a regular file under the top image's directory or the
 * drive's backing-dir, never a device, FIFO, /proc or /sys file: an image
 * file is untrusted, and a backing file is guest-readable), choosing the
 * format (the header extension, else probed), and opening the chain
 * read-only with loop detection and a depth limit, so a loop or a deep
 * chain fails cleanly instead of exhausting file descriptors. */
#include "backend/block/qcow2.h"

#include "common/errmsg.h"
#include "common/safe_open.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
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

/* The backing file at path may be used: inside an allowed directory once
 * every symlink is resolved, a regular file on an ordinary file system.
 * Its identity goes to *st and its first bytes to head. */
static int check_backing(struct qcow2 *q, const char *path, const struct qcow2_chain *chain,
                         struct stat *st, uint8_t head[4], bool *have_head, char *err,
                         size_t errlen)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return errmsg_set(err, errlen, -errno, "%s: backing file %s: %s", q->path, path,
                          strerror(errno));
    if (!safe_path_under(real, chain->root) &&
        !(chain->backing_dir[0] && safe_path_under(real, chain->backing_dir)))
        return errmsg_set(err, errlen, -EPERM,
                          "%s: backing file %s is outside the image's directory %s (allow its "
                          "directory with backing-dir=)",
                          q->path, real, chain->root);
    char why[PATH_MAX + 100];
    int fd = safe_open(real, O_RDONLY, SAFE_REG, 0, NULL, st, why, sizeof(why));
    if (fd < 0) return errmsg_set(err, errlen, fd, "%s: backing file %s", q->path, why);
    struct statfs fs;
    int rc = 0;
    if (fstatfs(fd, &fs))
        rc = errmsg_set(err, errlen, -errno, "%s: backing file %s: %s", q->path, real,
                        strerror(errno));
    else if (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC)
        rc = errmsg_set(err, errlen, -EPERM, "%s: backing file %s is in /proc or /sys", q->path,
                        real);
    *have_head = !rc && pread(fd, head, 4, 0) == 4;
    close(fd);
    return rc;
}

int qcow2_backing_open(struct qcow2 *q, const char *name, const char *fmt,
                       struct qcow2_chain *chain, char *err, size_t errlen)
{
    char path[4096];
    if (strchr(name, ':') && strncmp(name, "json:", 5) == 0)
        return errmsg_set(err, errlen, -ENOTSUP, "%s: json: backing file names are not supported",
                          q->path);
    if (resolve(q->path, name, path, sizeof(path)))
        return errmsg_set(err, errlen, -ENAMETOOLONG, "%s: backing file name is too long", q->path);
    struct stat st;
    uint8_t head[4];
    bool have_head = false;
    int rc = check_backing(q, path, chain, &st, head, &have_head, err, errlen);
    if (rc) return rc;
    /* Before the lock would call it "in use": the file is above us. */
    if (chain->dev[chain->depth] == st.st_dev && chain->ino[chain->depth] == st.st_ino)
        return errmsg_set(err, errlen, -ELOOP, "%s: the image is its own backing file", q->path);
    for (int k = 0; k < chain->depth; k++)
        if (chain->dev[k] == st.st_dev && chain->ino[k] == st.st_ino)
            return errmsg_set(err, errlen, -ELOOP,
                              "%s: backing file loop: %s is above it in the chain", q->path, path);
    if (chain->depth + 1 > QCOW2_MAX_CHAIN)
        return errmsg_set(err, errlen, -ELOOP, "%s: backing chain is deeper than %d files", q->path,
                          QCOW2_MAX_CHAIN);
    bool qcow2;
    if (!fmt)
        qcow2 = have_head && qcow2_probe(head, sizeof(head));
    else if (!strcmp(fmt, "qcow2"))
        qcow2 = true;
    else if (!strcmp(fmt, "raw"))
        qcow2 = false;
    else
        return errmsg_set(err, errlen, -ENOTSUP, "%s: backing file format %s is not supported",
                          q->path, fmt);
    if (chain->seen) chain->seen(chain->seen_opaque, path);
    chain->depth++;
    rc = qcow2 ? qcow2_open_chain(&q->backing, path, true, chain, err, errlen)
               : raw_open(&q->backing, path, true, err, errlen);
    chain->depth--;
    return rc;
}
