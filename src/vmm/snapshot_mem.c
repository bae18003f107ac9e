/* The snapshot memory file: guest RAM byte for byte from offset 0 (so a
 * restore maps it as RAM directly), zero pages left as holes, then one
 * trailer page {magic, version, RAM size, snapshot id} that ties it to its
 * state file. Reads no RAM on the restore side. */
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
#define SNAP_MEM_TRAILER RAM_PAGE_SIZE

static bool page_is_zero(const uint8_t *p)
{
    const uint64_t *w = (const uint64_t *)p;
    for (size_t k = 0; k < RAM_PAGE_SIZE / 8; k++)
        if (w[k]) return false;
    return true;
}

static void trailer_fill(uint8_t *t, uint64_t ram_size, const uint8_t id[SNAP_ID_LEN])
{
    memset(t, 0, SNAP_MEM_TRAILER);
    memcpy(t, snap_mem_magic, 8);
    t[8] = SNAP_FORMAT_VERSION;
    for (int k = 0; k < 8; k++)
        t[16 + k] = (uint8_t)(ram_size >> (8 * k));
    memcpy(t + 24, id, SNAP_ID_LEN);
}

int snap_mem_write(const struct guest_ram *ram, const char *path, const uint8_t id[SNAP_ID_LEN],
                   char *err, size_t errlen)
{
    char tmp[4200];
    int fd = safe_tmp_create(path, tmp, sizeof(tmp), err, errlen);
    if (fd < 0) return fd;
    int rc = ftruncate(fd, (off_t)(ram->size + SNAP_MEM_TRAILER)) ? -errno : 0;
    /* Runs of non-zero pages, written as one pwrite each. */
    for (uint64_t p = 0; !rc && p < ram->npages;) {
        if (page_is_zero(ram->host + (p << RAM_PAGE_SHIFT))) {
            p++;
            continue;
        }
        uint64_t q = p + 1;
        while (q < ram->npages && q - p < 4096 && !page_is_zero(ram->host + (q << RAM_PAGE_SHIFT)))
            q++;
        rc = snap_pwrite_all(fd, ram->host + (p << RAM_PAGE_SHIFT), (q - p) << RAM_PAGE_SHIFT,
                             (off_t)(p << RAM_PAGE_SHIFT));
        p = q;
    }
    uint8_t t[SNAP_MEM_TRAILER];
    trailer_fill(t, ram->size, id);
    if (!rc) rc = snap_pwrite_all(fd, t, sizeof(t), (off_t)ram->size);
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
    if ((uint64_t)st.st_size < want) {
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
        trailer_fill(expect, ram_size, id);
        if (memcmp(t, snap_mem_magic, 8))
            rc = errmsg_set(err, errlen, -EINVAL, "%s: not an rvmm snapshot memory file", path);
        else if (memcmp(t, expect, sizeof(t)))
            rc = errmsg_set(err, errlen, -EINVAL,
                            "%s: memory file of another snapshot (or corrupt trailer)", path);
    }
    close(fd);
    return rc;
}
