/* Guest RAM: one mapping (anonymous, or a snapshot's memory file), plus the per-page metadata the
 * CPU and the VMM share: which pages hold translated code (so writes invalidate blocks) and which
 * pages were written while dirty logging is on (for migration). Devices reach RAM only through
 * ram_dma(), which checks every address and length against the RAM window. */
#ifndef RVMM_MEM_RAM_H
#define RVMM_MEM_RAM_H

#include "common/types.h"

#define RAM_PAGE_SHIFT   12
#define RAM_PAGE_SIZE    (1ULL << RAM_PAGE_SHIFT)
#define RAM_MAX_WATCHERS 64
#define RAM_CODE_RING    16
#define RAM_FILE_RANGES  4

/* Pages of anonymous RAM that ram_share_file() mapped from an image file. */
struct ram_file_range {
    uint64_t first, npages;
};

/* A second source of dirty pages, for writes that do not pass rvmm's store
 * paths (KVM's dirty log of guest writes): turned on and off with the log,
 * and its pages ORed into the bitmap (then cleared there) before the bitmap
 * is read. */
struct ram_dirty_ops {
    int (*set_logging)(void *opaque, bool on);
    void (*collect)(void *opaque, uint64_t *bits);
};

struct guest_ram {
    uint8_t *host;
    gpa_t base;
    uint64_t size;
    uint64_t npages;
    /* Per page: bumped on every write to a page that holds code; a cached
     * block is valid only while its page's generation is unchanged. */
    uint32_t *code_gen;
    /* Per page: nonzero while blocks translated from the page may exist. */
    uint8_t *code_page;
    /* Bumped whenever a page becomes a code page, so every hart drops write
     * TLB entries that would bypass the invalidation check. */
    uint64_t code_epoch;
    /* The page that became code at epoch e, at [e % RAM_CODE_RING], as
     * e << 32 | page: a hart a few epochs behind drops only the write TLB
     * entries of those pages. A slot whose tag is not e was overwritten or
     * not yet written: the hart then drops them all. */
    uint64_t code_ring[RAM_CODE_RING];
    /* The stop words (rv_hart.jit_stop) of the harts on this RAM: zeroed
     * with each epoch bump so native code running on another hart returns
     * to its run loop and drops those write TLB entries promptly. */
    uint64_t *code_watchers[RAM_MAX_WATCHERS];
    unsigned ncode_watchers;
    /* Dirty logging for migration: one bit per page. */
    uint64_t *dirty;
    bool dirty_logging;
    /* Where the CPU writes RAM without rvmm's TLB seeing it (the KVM
     * engine), that engine's own log: NULL ops otherwise. */
    const struct ram_dirty_ops *dirty_ops;
    void *dirty_opaque;
    /* RAM maps a snapshot's memory file (MAP_PRIVATE), which other VMs may
     * share: discarding maps anonymous pages over it, never punches it. */
    bool file_backed;
    bool mergeable; /* MADV_MERGEABLE asked for (KSM), kept over discards */
    /* Plain anonymous RAM of 4 KiB pages (ram_create, no THP asked for):
     * ram_share_file() may map image files over parts of it. */
    bool shareable;
    struct ram_file_range file_ranges[RAM_FILE_RANGES];
    unsigned nfile_ranges;
    /* Pages that ram_discard() gave back to the host, in total. */
    uint64_t discarded_pages;
};

int ram_create(struct guest_ram *ram, gpa_t base, uint64_t size);
/* Anonymous RAM of 2 MiB hugetlb pages (Firecracker's huge_pages "2M"),
 * reserved now: -ENOMEM when the host has too few free huge pages
 * (/proc/sys/vm/nr_hugepages), -EINVAL unless size is a multiple of 2 MiB. */
#define RAM_HUGE_SIZE (2ULL << 20)
int ram_create_huge(struct guest_ram *ram, gpa_t base, uint64_t size);
/* Guest RAM whose contents are the first `size` bytes of the file at path,
 * mapped MAP_PRIVATE: nothing is read up front, pages fault in from the page
 * cache (shared by every VM mapping the same file) and a guest write copies
 * only the page it writes. The file must stay unchanged while mapped.
 * -EINVAL if it is not a regular file of at least `size` bytes. */
int ram_create_from_file(struct guest_ram *ram, gpa_t base, uint64_t size, const char *path);
/* Guest RAM in `host`, an anonymous mapping of `size` bytes the caller
 * filled (an incoming migration): the RAM owns it from this call on, and
 * unmaps it on failure too. */
int ram_create_adopt(struct guest_ram *ram, gpa_t base, uint64_t size, void *host);
void ram_destroy(struct guest_ram *ram);

/* Dirty logging (migration). Start clears the bitmap and turns logging
 * on; the caller makes sure no hart keeps a write TLB entry from before
 * (they bypass the log), e.g. by flushing every hart while paused. Start
 * fails (negative errno, logging off) only when the dirty_ops source
 * cannot log. */
int ram_dirty_log_start(struct guest_ram *ram);
void ram_dirty_log_stop(struct guest_ram *ram);
/* Brings the dirty_ops source's pages into the bitmap; the functions
 * below do it first. Any thread. */
void ram_dirty_sync(const struct guest_ram *ram);
/* Moves the dirty bits into out ((npages + 63) / 64 words) and clears
 * them; returns how many pages were dirty. Any thread. */
uint64_t ram_dirty_take(struct guest_ram *ram, uint64_t *out);
/* How many pages are dirty now. */
uint64_t ram_dirty_count(const struct guest_ram *ram);

static inline bool ram_contains(const struct guest_ram *ram, gpa_t pa, uint64_t len)
{
    return pa >= ram->base && len <= ram->size && pa - ram->base <= ram->size - len;
}

/* Host pointer for [pa, pa+len) if it lies entirely in RAM, else NULL. */
static inline void *ram_dma(const struct guest_ram *ram, gpa_t pa, uint64_t len)
{
    return ram_contains(ram, pa, len) ? ram->host + (pa - ram->base) : NULL;
}

/* Records a write to [pa, pa+len) made outside the CPU's fast path (devices,
 * loaders, the slow store path): invalidates code and sets dirty bits. */
void ram_note_write(struct guest_ram *ram, gpa_t pa, uint64_t len);

/* Gives the pages of [pa, pa+len) (page-aligned, inside RAM) back to the
 * host; afterwards they read as zeroes. Anonymous RAM: MADV_DONTNEED. RAM
 * on a snapshot's memory file: fresh anonymous pages mapped over the range
 * (MAP_FIXED), the file untouched; should the kernel refuse the mapping, the
 * pages are zeroed in place (-ENOMEM: read as zeroes, not given back).
 * Translated code on the pages is dropped (code generation) and the pages
 * count as written for dirty logging. -EINVAL for a bad range. */
int ram_discard(struct guest_ram *ram, gpa_t pa, uint64_t len);

/* Maps the whole pages of the first `len` bytes of fd (from offset 0) over
 * RAM at pa (page-aligned) copy-on-write, when RAM there already holds
 * those bytes (`expect`, what the loader copied): the pages the guest
 * never writes (a kernel's text) are then the file's page cache, one copy
 * for every VM booted from the file. The file must not change while
 * mapped: the loader asks it only of files nobody may write. Checks the
 * mapped bytes against `expect` and puts anonymous pages holding `expect`
 * back if they differ. Returns 0 when shared, 1 when not (RAM not
 * `shareable`, no range left, a bad range, the file differs: RAM holds
 * `expect`), a negative errno when RAM could not be put back (a hole). */
int ram_share_file(struct guest_ram *ram, gpa_t pa, int fd, const uint8_t *expect, uint64_t len);

/* Whether page p shows a file's bytes until written (RAM on a snapshot
 * file, or an image shared by ram_share_file): such a page may be absent
 * from the page tables and yet not zero. */
static inline bool ram_page_on_file(const struct guest_ram *ram, uint64_t p)
{
    if (ram->file_backed) return true;
    for (unsigned k = 0; k < ram->nfile_ranges; k++)
        if (p - ram->file_ranges[k].first < ram->file_ranges[k].npages) return true;
    return false;
}

/* Marks RAM mergeable (or not) for the host's KSM (MADV_MERGEABLE). */
int ram_set_mergeable(struct guest_ram *ram, bool on);

/* Marks a page as holding translated code; returns its current generation. */
uint32_t ram_mark_code(struct guest_ram *ram, uint64_t page);

/* Sets *page to the page that became code at epoch e; false if the ring
 * no longer (or not yet) holds it. */
static inline bool ram_code_page_at(const struct guest_ram *ram, uint64_t epoch, uint64_t *page)
{
    uint64_t v = __atomic_load_n(&ram->code_ring[epoch % RAM_CODE_RING], __ATOMIC_ACQUIRE);
    if (v >> 32 != (uint32_t)epoch) return false;
    *page = (uint32_t)v;
    return true;
}

/* Registers (or drops) a hart's stop word as a code watcher (see above).
 * Harts register before any runs and drop theirs after all stopped. */
int ram_watch_code(struct guest_ram *ram, uint64_t *stop_word);
void ram_unwatch_code(struct guest_ram *ram, uint64_t *stop_word);

#endif
