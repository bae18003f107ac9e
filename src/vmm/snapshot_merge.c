/* Merging a Diff snapshot's memory file onto its base's (snap_mem_merge):
 * the diff's pages, as its bitmap lists them, are written over the base at
 * their offsets, and the base takes the diff's trailer (its snapshot id),
 * so the Diff snapshot's state file restores from the merged file. Both
 * files are checked first (magic, kinds, RAM size, lengths); the base's
 * trailer is cleared before any page is written and set only at the end,
 * so a merge that fails half way leaves a file every restore refuses
 * rather than one that looks like either snapshot. Touches no VM. */
#include "vmm/snapshot.h"

#include "common/errmsg.h"
#include "common/safe_open.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--)
        v = v << 8 | p[k];
    return v;
}

/* Reads and checks a trailer at the end of a file of `size` bytes: the
 * RAM size it names must leave exactly `extra(ram)` bytes after it. */
static int read_trailer(int fd, const char *path, uint64_t size, bool diff, uint8_t *t,
                        uint64_t *ram, char *err, size_t errlen)
{
    /* The trailer sits at the RAM size; find it from the file size. */
    uint64_t tail = diff ? 0 : SNAP_MEM_TRAILER;
    if (!diff) {
        if (size < tail + RAM_PAGE_SIZE ||
            pread(fd, t, SNAP_MEM_TRAILER, (off_t)(size - tail)) != (ssize_t)SNAP_MEM_TRAILER)
            return errmsg_set(err, errlen, -EINVAL, "%s: not an rvmm snapshot memory file", path);
    } else {
        /* A diff: RAM, trailer, bitmap. The bitmap's size depends on the
         * RAM size the trailer names: try the sizes that fit. */
        uint64_t r = 0;
        for (uint64_t map = RAM_PAGE_SIZE; map <= size; map += RAM_PAGE_SIZE) {
            if (size < map + SNAP_MEM_TRAILER) break;
            uint64_t cand = size - map - SNAP_MEM_TRAILER;
            if (SNAP_MEM_DIFF_MAP(cand / RAM_PAGE_SIZE) == map) {
                r = cand;
                break;
            }
        }
        if (!r || pread(fd, t, SNAP_MEM_TRAILER, (off_t)r) != (ssize_t)SNAP_MEM_TRAILER)
            return errmsg_set(err, errlen, -EINVAL,
                              "%s: not the memory file of an rvmm Diff snapshot", path);
    }
    uint8_t want[SNAP_MEM_TRAILER];
    *ram = get64(t + 16);
    snap_mem_trailer(want, *ram, t + 24, diff);
    bool fits = diff ? *ram + SNAP_MEM_TRAILER + SNAP_MEM_DIFF_MAP(*ram / RAM_PAGE_SIZE) == size
                     : *ram + SNAP_MEM_TRAILER == size;
    if (memcmp(t, want, SNAP_MEM_TRAILER) || !fits || !*ram || *ram % RAM_PAGE_SIZE)
        return errmsg_set(err, errlen, -EINVAL, "%s: not the memory file of an rvmm %s snapshot",
                          path, diff ? "Diff" : "Full");
    return 0;
}

int snap_mem_merge(const char *base, const char *diff, char *err, size_t errlen)
{
    uint64_t bsize, dsize, bram, dram;
    uint8_t bt[SNAP_MEM_TRAILER], dt[SNAP_MEM_TRAILER];
    uint8_t *page = NULL;
    uint64_t *bits = NULL;
    int dfd = -1, bfd = safe_open(base, O_RDWR, SAFE_REG, 0, &bsize, NULL, err, errlen);
    if (bfd < 0) return bfd;
    int rc =
        (dfd = safe_open(diff, O_RDONLY, SAFE_REG, 0, &dsize, NULL, err, errlen)) < 0 ? dfd : 0;
    if (!rc) rc = read_trailer(bfd, base, bsize, false, bt, &bram, err, errlen);
    if (!rc) rc = read_trailer(dfd, diff, dsize, true, dt, &dram, err, errlen);
    if (!rc && bram != dram)
        rc = errmsg_set(err, errlen, -EINVAL,
                        "%s has %llu MiB of RAM and %s %llu MiB: not a base and its diff", base,
                        (unsigned long long)(bram >> 20), diff, (unsigned long long)(dram >> 20));
    if (rc) goto out;
    uint64_t npages = dram / RAM_PAGE_SIZE, words = (npages + 63) / 64;
    page = malloc(RAM_PAGE_SIZE);
    bits = malloc(words * 8);
    if (!page || !bits) {
        rc = errmsg_set(err, errlen, -ENOMEM, "out of memory");
        goto out;
    }
    if (pread(dfd, bits, words * 8, (off_t)(dram + SNAP_MEM_TRAILER)) != (ssize_t)(words * 8)) {
        rc = errmsg_set(err, errlen, -EIO, "%s: cannot read its page bitmap", diff);
        goto out;
    }
    /* From here the base is neither snapshot's until the end. */
    memset(page, 0, RAM_PAGE_SIZE);
    rc = snap_pwrite_all(bfd, page, SNAP_MEM_TRAILER, (off_t)bram);
    if (!rc) rc = fdatasync(bfd) ? -errno : 0;
    for (uint64_t p = 0; !rc && p < npages; p++) {
        if (!(bits[p / 64] >> (p % 64) & 1)) {
            if (!bits[p / 64]) p |= 63;
            continue;
        }
        off_t at = (off_t)(p * RAM_PAGE_SIZE);
        rc = pread(dfd, page, RAM_PAGE_SIZE, at) == RAM_PAGE_SIZE ? 0 : -EIO;
        if (!rc) rc = snap_pwrite_all(bfd, page, RAM_PAGE_SIZE, at);
    }
    if (!rc) rc = fdatasync(bfd) ? -errno : 0;
    dt[9] = 0; /* the merged file is a full one, with the diff's id */
    if (!rc) rc = snap_pwrite_all(bfd, dt, SNAP_MEM_TRAILER, (off_t)bram);
    if (!rc) rc = fdatasync(bfd) ? -errno : 0;
    if (rc)
        errmsg_set(err, errlen, rc, "merging %s onto %s: %s (%s is no longer usable)", diff, base,
                   strerror(-rc), base);
out:
    free(page);
    free(bits);
    if (dfd >= 0) close(dfd);
    close(bfd);
    return rc;
}
