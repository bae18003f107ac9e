/* The snapshot memory file: guest RAM byte for byte from offset 0 (so a
 * restore maps it as RAM directly), zero pages left as holes, then one
 * trailer page {magic, version, kind, RAM size, snapshot id} that ties it
 * to its state file. Reads no RAM on the restore side. A Diff snapshot's
 * file (kind 1) holds only the pages dirtied since its base, at their
 * offsets, followed after the trailer by the bitmap of which ones (a
 * dirtied page may be all zero: a hole alone cannot say it is there); it
 * is not RAM by itself, so a restore refuses it until snap_mem_merge
 * (snapshot_merge.c) has written it over its base. */
#include "vmm/snapshot.h"

#include "common/errmsg.h"
#include "common/safe_open.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char snap_mem_magic[8] = {'R', 'V', 'M', 'M', 'M', 'E', 'M', 0};

static bool page_is_zero(const uint8_t *p)
{
    const uint64_t *w = (const uint64_t *)p;
    for (size_t k = 0; k < RAM_PAGE_SIZE / 8; k++)
        if (w[k]) return false;
    return true;
}

void snap_mem_trailer(uint8_t *t, uint64_t ram_size, const uint8_t id[SNAP_ID_LEN], bool diff)
{
    memset(t, 0, SNAP_MEM_TRAILER);
    memcpy(t, snap_mem_magic, 8);
    t[8] = SNAP_FORMAT_VERSION;
    t[9] = diff;
    for (int k = 0; k < 8; k++)
        t[16 + k] = (uint8_t)(ram_size >> (8 * k));
    memcpy(t + 24, id, SNAP_ID_LEN);
}

static bool page_in(const uint64_t *dirty, uint64_t p)
{
    return dirty[p / 64] >> (p % 64) & 1;
}

int snap_mem_write(const struct guest_ram *ram, const char *path, const uint8_t id[SNAP_ID_LEN],
                   char *err, size_t errlen)
{
    return snap_mem_write_diff(ram, path, id, NULL, err, errlen);
}

int snap_mem_write_diff(const struct guest_ram *ram, const char *path,
                        const uint8_t id[SNAP_ID_LEN], const uint64_t *dirty, char *err,
                        size_t errlen)
{
    char tmp[4200];
    int fd = safe_tmp_create(path, tmp, sizeof(tmp), err, errlen);
    if (fd < 0) return fd;
    size_t map = SNAP_MEM_DIFF_MAP(ram->npages);
    int rc = ftruncate(fd, (off_t)(ram->size + SNAP_MEM_TRAILER + (dirty ? map : 0))) ? -errno : 0;
    /* Runs of the pages to write (non-zero ones; for a diff, the dirty
     * ones, zero or not), one pwrite each. */
    for (uint64_t p = 0; !rc && p < ram->npages;) {
        if (dirty ? !page_in(dirty, p) : page_is_zero(ram->host + (p << RAM_PAGE_SHIFT))) {
            p++;
            continue;
        }
        uint64_t q = p + 1;
        while (q < ram->npages && q - p < 4096 &&
               (dirty ? page_in(dirty, q) : !page_is_zero(ram->host + (q << RAM_PAGE_SHIFT))))
            q++;
        rc = snap_pwrite_all(fd, ram->host + (p << RAM_PAGE_SHIFT), (q - p) << RAM_PAGE_SHIFT,
                             (off_t)(p << RAM_PAGE_SHIFT));
        p = q;
    }
    uint8_t t[SNAP_MEM_TRAILER];
    snap_mem_trailer(t, ram->size, id, dirty != NULL);
    if (!rc) rc = snap_pwrite_all(fd, t, sizeof(t), (off_t)ram->size);
    if (!rc && dirty)
        rc = snap_pwrite_all(fd, dirty, (ram->npages + 63) / 64 * 8,
                             (off_t)(ram->size + SNAP_MEM_TRAILER));
    if (rc) errmsg_set(err, errlen, rc, "%s: %s", tmp, strerror(-rc));
    return safe_tmp_commit(fd, tmp, path, rc, err, errlen);
}

int snap_mem_check(const char *path, uint64_t ram_size, const uint8_t id[SNAP_ID_LEN], char *err,
                   size_t errlen)
{
    struct stat st;
    int fd = safe_open(path, O_RDONLY, SAFE_REG, 0, NULL, &st, err, errlen);
    if (fd < 0) return fd;
    int rc = 0;
    uint64_t want = ram_size + SNAP_MEM_TRAILER;
    uint8_t t[SNAP_MEM_TRAILER], expect[SNAP_MEM_TRAILER];
    if ((uint64_t)st.st_size >= want && pread(fd, t, sizeof(t), (off_t)ram_size) == sizeof(t) &&
        !memcmp(t, snap_mem_magic, 8) && t[9] == 1) {
        rc = errmsg_set(err, errlen, -EINVAL,
                        "%s: the memory file of a Diff snapshot holds only the pages written "
                        "since its base: merge it onto the base's memory file first (rvmm "
                        "--snapshot-merge base=BASE.mem,diff=%s)",
                        path, path);
    } else if ((uint64_t)st.st_size < want) {
        rc = errmsg_set(err, errlen, -EINVAL,
                        "%s: memory file too short (%llu bytes; the snapshot has %llu MiB of RAM)",
                        path, (unsigned long long)st.st_size, (unsigned long long)(ram_size >> 20));
    } else if ((uint64_t)st.st_size > want) {
        rc = errmsg_set(err, errlen, -EINVAL,
                        "%s: memory file too long (%llu bytes; the snapshot has %llu MiB of RAM)",
                        path, (unsigned long long)st.st_size, (unsigned long long)(ram_size >> 20));
    } else if (pread(fd, t, sizeof(t), (off_t)ram_size) != (ssize_t)sizeof(t)) {
        rc = errmsg_set(err, errlen, -EIO, "%s: cannot read the trailer", path);
    } else {
        snap_mem_trailer(expect, ram_size, id, false);
        if (memcmp(t, snap_mem_magic, 8))
            rc = errmsg_set(err, errlen, -EINVAL, "%s: not an rvmm snapshot memory file", path);
        else if (memcmp(t, expect, sizeof(t)))
            rc = errmsg_set(err, errlen, -EINVAL,
                            "%s: memory file of another snapshot (or corrupt trailer)", path);
    }
    close(fd);
    return rc;
}
