/* The one way rvmm opens a host path a user named (CLI options, API
 * requests, qcow2 backing files, snapshot files): never blocks on a FIFO or
 * a device (opened O_NONBLOCK, then cleared), never leaks into a child
 * (O_CLOEXEC), never a controlling terminal (O_NOCTTY), checked with fstat
 * for the kind it must be, and bounded in size before anything is read.
 * Writes of whole files go to a fresh random name beside the target, made
 * with O_EXCL|O_NOFOLLOW, renamed over the target when complete.
 * Knows nothing of the VM: callers say what is allowed. Errors are a
 * negative errno with one line naming the path in err. */
#ifndef RVMM_COMMON_SAFE_OPEN_H
#define RVMM_COMMON_SAFE_OPEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Kinds of file a caller accepts (a mask). */
#define SAFE_REG 1u /* a regular file */
#define SAFE_BLK 2u /* a block device */

/* Opens path with flags (O_RDONLY, O_RDWR, ...; O_CREAT is refused) and
 * returns the fd, blocking I/O restored. The file must be one of kinds;
 * with max_size non-zero, a larger one is refused by its size, nothing
 * read. *size (may be NULL) gets its size in bytes (a block device's
 * too); *st (may be NULL) its fstat. */
int safe_open(const char *path, int flags, unsigned kinds, uint64_t max_size, uint64_t *size,
              struct stat *st, char *err, size_t errlen);

/* Opens an output the user named (a log, metrics or serial file) for
 * appending: an existing regular file, or a FIFO (read-write and
 * non-blocking, so neither the open nor a write waits for a reader), or a
 * new regular file made with mode 0600. Anything else (a device node, a
 * directory) is refused before it is opened, so no device is touched and
 * nothing blocks; the kind is checked on the file opened, not on the name.
 * Returns the fd. */
int safe_open_output(const char *path, char *err, size_t errlen);

/* The whole of a regular file of at most max_size bytes, in a malloc'd
 * buffer (one spare byte at the end, so text can be NUL-terminated). */
int safe_read_file(const char *path, uint64_t max_size, uint8_t **buf, size_t *len, char *err,
                   size_t errlen);

/* Whether path may be replaced by a file rvmm writes: absent, or an
 * existing regular file (not a symlink, device, FIFO or directory). *st
 * gets its lstat, *exists whether it is there. */
int safe_check_target(const char *path, bool *exists, struct stat *st, char *err, size_t errlen);

/* Creates a new file with a random name in target's directory (mode 0600,
 * O_EXCL|O_NOFOLLOW, so nothing planted there is followed or reused) and
 * returns its fd; tmp (tmplen bytes) gets its name for safe_tmp_commit. */
int safe_tmp_create(const char *target, char *tmp, size_t tmplen, char *err, size_t errlen);

/* Syncs and closes fd, then renames tmp over target when rc is 0;
 * otherwise (or if any step fails) removes tmp. Returns rc or the first
 * failure. */
int safe_tmp_commit(int fd, const char *tmp, const char *target, int rc, char *err, size_t errlen);

/* The canonical form of path, which need not exist: its directory
 * resolved with realpath, then its last component. */
int safe_canonical(const char *path, char *out, size_t outlen);

/* Whether the canonical path lies inside directory dir (itself canonical). */
bool safe_path_under(const char *path, const char *dir);

#endif
