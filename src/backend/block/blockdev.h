/* Block backends: what a virtual disk reads and writes, behind one table of
 * operations (raw files, qcow2 images). Offsets and lengths are in bytes of
 * the guest-visible disk. Calls are synchronous and made from one thread at
 * a time (the I/O thread), never from a vCPU.
 *
 * Errors are negative errno values. A backend checks every range against
 * its size; metadata it reads from the image file is untrusted. */
#ifndef RVMM_BACKEND_BLOCK_BLOCKDEV_H
#define RVMM_BACKEND_BLOCK_BLOCKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

enum blockdev_format { BLOCKDEV_AUTO = 0, BLOCKDEV_RAW, BLOCKDEV_QCOW2 };

struct blockdev;

struct blockdev_ops {
    const char *name; /* "raw", "qcow2" */
    int (*read)(struct blockdev *bd, uint64_t off, void *buf, size_t len);
    int (*write)(struct blockdev *bd, uint64_t off, const void *buf, size_t len);
    /* Everything written before is on the host disk when this returns 0. */
    int (*flush)(struct blockdev *bd);
    /* The range may read back as anything afterwards (or zeroes). */
    int (*discard)(struct blockdev *bd, uint64_t off, uint64_t len);
    /* The range reads back as zeroes; unmap allows freeing its space. */
    int (*write_zeroes)(struct blockdev *bd, uint64_t off, uint64_t len, bool unmap);
    void (*close)(struct blockdev *bd);
    /* Whether the host file st (device and inode) is this disk's file or
     * one below it (a backing file). */
    bool (*uses_file)(struct blockdev *bd, const struct stat *st);
    /* The image file's descriptor, the one its locks are on (a backing
     * file below keeps its own shared read locks). */
    int (*image_fd)(struct blockdev *bd);
};

struct blockdev {
    const struct blockdev_ops *ops;
    uint64_t size; /* guest-visible bytes */
    bool readonly;
    /* The format was guessed as raw: the guest may not write a header that
     * would make the next open guess another format (and so follow a
     * backing file path of the guest's choosing), as QEMU refuses too. */
    bool probed_raw;
};

/* Opens path as fmt (BLOCKDEV_AUTO: qcow2 if it has the qcow2 magic, raw
 * otherwise). On failure err holds one line naming the file and the reason,
 * and the file is unchanged. */
int blockdev_open(struct blockdev **out, const char *path, enum blockdev_format fmt, bool readonly,
                  char *err, size_t errlen);
/* Same, letting qcow2 backing files live under backing_dir (canonical or
 * not; NULL: none) as well as under the image's own directory. */
int blockdev_open_dir(struct blockdev **out, const char *path, enum blockdev_format fmt,
                      bool readonly, const char *backing_dir, char *err, size_t errlen);
void blockdev_close(struct blockdev *bd);
/* Tells fn the path of each file below path's image (a qcow2 backing
 * chain, top down), as blockdev_open_dir would open it: the name an image
 * gives, taken relative to that image's directory as the path names it.
 * Opens the chain read-only, with every check of a real open, and closes
 * it again: 0, or a negative errno with err as blockdev_open_dir's. A raw
 * image has no such files. (rvmm --jail binds them into the jail.) */
int blockdev_backing_files(const char *path, enum blockdev_format fmt, const char *backing_dir,
                           void (*fn)(void *opaque, const char *path), void *opaque, char *err,
                           size_t errlen);
/* Whether st is one of the files bd reads or writes (its image, backing
 * files): a snapshot must never be written over one. */
bool blockdev_uses_file(struct blockdev *bd, const struct stat *st);
/* Whether the open file fd is the file st names. */
bool blockdev_fd_is(int fd, const struct stat *st);

/* Checked entry points: range and read-only checks, then the backend. */
int blockdev_read(struct blockdev *bd, uint64_t off, void *buf, size_t len);
int blockdev_write(struct blockdev *bd, uint64_t off, const void *buf, size_t len);
int blockdev_flush(struct blockdev *bd);
int blockdev_discard(struct blockdev *bd, uint64_t off, uint64_t len);
int blockdev_write_zeroes(struct blockdev *bd, uint64_t off, uint64_t len, bool unmap);

/* Backends (blockdev_open dispatches to them). */
int raw_open(struct blockdev **out, const char *path, bool readonly, char *err, size_t errlen);
int qcow2_open(struct blockdev **out, const char *path, bool readonly, char *err, size_t errlen);
int qcow2_open_dir(struct blockdev **out, const char *path, bool readonly, const char *backing_dir,
                   char *err, size_t errlen);
/* qcow2_open_dir that also tells seen (if not NULL) each backing file's
 * path before it opens it (blockdev_backing_files). */
int qcow2_open_seen(struct blockdev **out, const char *path, bool readonly, const char *backing_dir,
                    void (*seen)(void *opaque, const char *path), void *opaque, char *err,
                    size_t errlen);
/* Whole transfers for backends: retried on EINTR and short counts; a
 * negative errno on failure. Reading past the end of the file gives
 * zeroes when zero_eof, -EIO otherwise. */
int blockdev_pread_all(int fd, uint64_t off, void *buf, size_t len, bool zero_eof);
int blockdev_pwrite_all(int fd, uint64_t off, const void *buf, size_t len);
/* Opens a backend's file: a regular file or block device, read-only or
 * read-write, never blocking on it (safe_open), locked (blockdev_lock);
 * *size is its size in bytes. */
int blockdev_open_file(const char *path, bool readonly, int *fd, uint64_t *size, char *err,
                       size_t errlen);
/* Locks an open image like QEMU does (OFD locks on its permission bytes),
 * so two writers, or a writer and a reader, cannot share it. */
int blockdev_lock(int fd, bool readonly, const char *path, char *err, size_t errlen);
/* A migration's switch-over on shared storage: lets go of the image's
 * locks (after a flush) so the destination can open it, and takes them
 * back if the guest stays here after all. 0 or a negative errno (-EBUSY:
 * another process holds the image now, one line in err). */
int blockdev_release(struct blockdev *bd);
int blockdev_reacquire(struct blockdev *bd, const char *path, char *err, size_t errlen);
/* Whether the first bytes of a file are a qcow2 header's magic. */
bool qcow2_probe(const uint8_t *buf, size_t len);

#endif
