/* Guest RAM allocation (anonymous, or a snapshot memory file mapped
 * copy-on-write) and page metadata. Knows nothing of harts or devices. */
#include "mem/ram.h"

#include "common/safe_open.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <linux/mman.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int ram_map_ex(struct guest_ram *ram, gpa_t base, uint64_t size, int flags, int fd);

/* The per-page metadata beside a mapping already in ram->host. */
static int ram_init_meta(struct guest_ram *ram)
{
    ram->code_gen = calloc(ram->npages, sizeof(*ram->code_gen));
    ram->code_page = calloc(ram->npages, 1);
    ram->dirty = calloc((ram->npages + 63) / 64, sizeof(uint64_t));
    if (!ram->code_gen || !ram->code_page || !ram->dirty) {
        ram_destroy(ram);
        return -ENOMEM;
    }
    return 0;
}

static int ram_map(struct guest_ram *ram, gpa_t base, uint64_t size, int flags, int fd)
{
    return ram_map_ex(ram, base, size, flags | MAP_NORESERVE, fd);
}

int ram_create_huge(struct guest_ram *ram, gpa_t base, uint64_t size)
{
    /* Reserved at mmap time (no MAP_NORESERVE): with too few huge pages the
     * mmap fails here instead of the guest taking SIGBUS later. */
    if (size % RAM_HUGE_SIZE) return -EINVAL;
    return ram_map_ex(ram, base, size, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB,
                      -1);
}

static int ram_map_ex(struct guest_ram *ram, gpa_t base, uint64_t size, int flags, int fd)
{
    memset(ram, 0, sizeof(*ram));
    /* A page number must fit the 32 bits code_ring gives it (16 TiB). */
    if (size == 0 || (size & (RAM_PAGE_SIZE - 1)) || (size >> RAM_PAGE_SHIFT) > UINT32_MAX)
        return -EINVAL;
    ram->base = base;
    ram->size = size;
    ram->npages = size >> RAM_PAGE_SHIFT;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, fd, 0);
    if (p == MAP_FAILED) return -ENOMEM;
    ram->host = p;
    return ram_init_meta(ram);
}

int ram_create(struct guest_ram *ram, gpa_t base, uint64_t size)
{
    int rc = ram_map(ram, base, size, MAP_PRIVATE | MAP_ANONYMOUS, -1);
    if (!rc) ram->shareable = true;
    return rc;
}

int ram_create_from_file(struct guest_ram *ram, gpa_t base, uint64_t size, const char *path)
{
    char err[8];
    uint64_t len;
    int fd = safe_open(path, O_RDONLY, SAFE_REG, 0, &len, NULL, err, sizeof(err));
    if (fd < 0) return fd;
    int rc = len < size ? -EINVAL : ram_map(ram, base, size, MAP_PRIVATE, fd);
    if (!rc) ram->file_backed = true;
    close(fd); /* the mapping keeps the file */
    return rc;
}

int ram_create_adopt(struct guest_ram *ram, gpa_t base, uint64_t size, void *host)
{
    memset(ram, 0, sizeof(*ram));
    if (size == 0 || (size & (RAM_PAGE_SIZE - 1)) || (size >> RAM_PAGE_SHIFT) > UINT32_MAX) {
        if (host && size) munmap(host, size);
        return -EINVAL;
    }
    ram->base = base;
    ram->size = size;
    ram->npages = size >> RAM_PAGE_SHIFT;
    ram->host = host;
    return ram_init_meta(ram);
}

int ram_dirty_log_start(struct guest_ram *ram)
{
    /* The source first: what it logged before this start is dropped
     * with the bitmap's bits below. */
    if (ram->dirty_ops) {
        int rc = ram->dirty_ops->set_logging(ram->dirty_opaque, true);
        if (rc) return rc;
        ram->dirty_ops->collect(ram->dirty_opaque, ram->dirty);
    }
    for (uint64_t w = 0; w < (ram->npages + 63) / 64; w++)
        __atomic_store_n(&ram->dirty[w], 0, __ATOMIC_RELAXED);
    __atomic_store_n(&ram->dirty_logging, true, __ATOMIC_SEQ_CST);
    return 0;
}

void ram_dirty_log_stop(struct guest_ram *ram)
{
    __atomic_store_n(&ram->dirty_logging, false, __ATOMIC_SEQ_CST);
    if (ram->dirty_ops) ram->dirty_ops->set_logging(ram->dirty_opaque, false);
}

void ram_dirty_sync(const struct guest_ram *ram)
{
    if (ram->dirty_ops && __atomic_load_n(&ram->dirty_logging, __ATOMIC_ACQUIRE))
        ram->dirty_ops->collect(ram->dirty_opaque, ram->dirty);
}

uint64_t ram_dirty_take(struct guest_ram *ram, uint64_t *out)
{
    ram_dirty_sync(ram);
    uint64_t n = 0;
    for (uint64_t w = 0; w < (ram->npages + 63) / 64; w++) {
        out[w] = __atomic_exchange_n(&ram->dirty[w], 0, __ATOMIC_ACQ_REL);
        n += (uint64_t)__builtin_popcountll(out[w]);
    }
    return n;
}

uint64_t ram_dirty_count(const struct guest_ram *ram)
{
    ram_dirty_sync(ram);
    uint64_t n = 0;
    for (uint64_t w = 0; w < (ram->npages + 63) / 64; w++)
        n += (uint64_t)__builtin_popcountll(__atomic_load_n(&ram->dirty[w], __ATOMIC_RELAXED));
    return n;
}

void ram_destroy(struct guest_ram *ram)
{
    if (ram->host) munmap(ram->host, ram->size);
    free(ram->code_gen);
    free(ram->code_page);
    free(ram->dirty);
    memset(ram, 0, sizeof(*ram));
}

void ram_note_write(struct guest_ram *ram, gpa_t pa, uint64_t len)
{
    if (len == 0 || !ram_contains(ram, pa, len)) return;
    uint64_t first = (pa - ram->base) >> RAM_PAGE_SHIFT;
    uint64_t last = (pa - ram->base + len - 1) >> RAM_PAGE_SHIFT;
    for (uint64_t p = first; p <= last; p++) {
        if (__atomic_load_n(&ram->code_page[p], __ATOMIC_RELAXED)) {
            __atomic_store_n(&ram->code_page[p], 0, __ATOMIC_RELAXED);
            __atomic_fetch_add(&ram->code_gen[p], 1, __ATOMIC_RELEASE);
        }
        if (ram->dirty_logging)
            __atomic_fetch_or(&ram->dirty[p / 64], 1ULL << (p % 64), __ATOMIC_RELAXED);
    }
}

int ram_discard(struct guest_ram *ram, gpa_t pa, uint64_t len)
{
    if (len == 0 || !ram_contains(ram, pa, len) || ((pa - ram->base) | len) & (RAM_PAGE_SIZE - 1))
        return -EINVAL;
    uint8_t *p = ram->host + (pa - ram->base);
    uint64_t first = (pa - ram->base) >> RAM_PAGE_SHIFT, n = len >> RAM_PAGE_SHIFT;
    bool on_file = ram->file_backed;
    for (unsigned k = 0; k < ram->nfile_ranges; k++) {
        const struct ram_file_range *r = &ram->file_ranges[k];
        on_file |= first < r->first + r->npages && r->first < first + n;
    }
    int rc = 0;
    if (!on_file) {
        /* Private anonymous memory: the pages are freed, and fault in as
         * zero pages when touched again. */
        if (madvise(p, len, MADV_DONTNEED)) rc = -errno;
    } else {
        /* MADV_DONTNEED here would only drop our private copies and show
         * the file's bytes again; a hole punched in the file would change
         * it under every other clone. Anonymous pages over the range read
         * as zeroes and cost nothing until touched. */
        void *q = mmap(p, len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
        if (q == MAP_FAILED) rc = -errno;
        if (!rc && ram->mergeable) madvise(p, len, MADV_MERGEABLE);
    }
    if (rc)
        memset(p, 0, len); /* e.g. out of mappings: still read as zeroes */
    else
        __atomic_fetch_add(&ram->discarded_pages, len >> RAM_PAGE_SHIFT, __ATOMIC_RELAXED);
    ram_note_write(ram, pa, len);
    return rc;
}

int ram_set_mergeable(struct guest_ram *ram, bool on)
{
    if (madvise(ram->host, ram->size, on ? MADV_MERGEABLE : MADV_UNMERGEABLE)) return -errno;
    ram->mergeable = on;
    return 0;
}

uint32_t ram_mark_code(struct guest_ram *ram, uint64_t page)
{
    if (!__atomic_load_n(&ram->code_page[page], __ATOMIC_RELAXED)) {
        __atomic_store_n(&ram->code_page[page], 1, __ATOMIC_RELAXED);
        uint64_t e = __atomic_add_fetch(&ram->code_epoch, 1, __ATOMIC_SEQ_CST);
        __atomic_store_n(&ram->code_ring[e % RAM_CODE_RING], (uint64_t)(uint32_t)e << 32 | page,
                         __ATOMIC_RELEASE);
        for (unsigned k = 0; k < ram->ncode_watchers; k++)
            __atomic_store_n(ram->code_watchers[k], 0, __ATOMIC_SEQ_CST);
    }
    return __atomic_load_n(&ram->code_gen[page], __ATOMIC_ACQUIRE);
}

int ram_watch_code(struct guest_ram *ram, uint64_t *stop_word)
{
    if (ram->ncode_watchers == RAM_MAX_WATCHERS) return -ENOSPC;
    ram->code_watchers[ram->ncode_watchers++] = stop_word;
    return 0;
}

void ram_unwatch_code(struct guest_ram *ram, uint64_t *stop_word)
{
    for (unsigned k = 0; k < ram->ncode_watchers; k++)
        if (ram->code_watchers[k] == stop_word) {
            ram->code_watchers[k] = ram->code_watchers[--ram->ncode_watchers];
            return;
        }
}

/* Anonymous pages holding `bytes` at p again (a failed or wrong mapping). */
static int ram_unshare(uint8_t *p, const uint8_t *bytes, uint64_t len)
{
    void *q = mmap(p, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    if (q == MAP_FAILED) return -errno;
    memcpy(p, bytes, len);
    return 0;
}

int ram_share_file(struct guest_ram *ram, gpa_t pa, int fd, const uint8_t *expect, uint64_t len)
{
    uint64_t n = len >> RAM_PAGE_SHIFT, bytes = n << RAM_PAGE_SHIFT;
    if (!ram->shareable || ram->nfile_ranges == RAM_FILE_RANGES || n == 0 ||
        !ram_contains(ram, pa, bytes) || ((pa - ram->base) & (RAM_PAGE_SIZE - 1)))
        return 1;
    uint8_t *p = ram->host + (pa - ram->base);
    /* MAP_FIXED replaces the anonymous pages the loader filled: they are
     * freed, and the file's pages fault in from the page cache. */
    void *q =
        mmap(p, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE, fd, 0);
    if (q == MAP_FAILED) {
        /* A failed MAP_FIXED may have unmapped the range already. */
        int rc = ram_unshare(p, expect, bytes);
        return rc ? rc : 1;
    }
    /* The file is what the loader read, unless it changed in between. */
    if (memcmp(p, expect, bytes)) {
        int rc = ram_unshare(p, expect, bytes);
        return rc ? rc : 1;
    }
    /* The check faulted every page in; none was written, so dropping the
     * page table entries loses nothing and leaves the pages the guest
     * never reads out of this process's Rss (they fault in again from the
     * page cache if touched). */
    madvise(p, bytes, MADV_DONTNEED);
    if (ram->mergeable) madvise(p, bytes, MADV_MERGEABLE);
    ram->file_ranges[ram->nfile_ranges++] =
        (struct ram_file_range){(pa - ram->base) >> RAM_PAGE_SHIFT, n};
    return 0;
}
