/* libFuzzer target for the image loader (src/machine/loader.c): arbitrary
 * bytes as an ELF, Linux Image or raw file into a small guest RAM. The
 * loader must never touch memory outside RAM or the input (ASan), and must
 * honour its contract: on success the reported range lies in RAM; on error
 * a message is set and RAM is left as it was. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/loader.h"

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (3ULL << 20) /* an Image needs room past the 2 MiB boundary */

struct fuzz_loader {
    struct guest_ram ram;
    uint8_t *pristine; /* what RAM holds before every run */
};

static struct fuzz_loader *fixture(void)
{
    static struct fuzz_loader f;
    if (!f.ram.host) {
        if (ram_create(&f.ram, RAM_BASE, RAM_SIZE) != 0) abort();
        f.pristine = malloc(RAM_SIZE);
        if (!f.pristine) abort();
        memset(f.pristine, 0xa5, RAM_SIZE);
        memcpy(f.ram.host, f.pristine, RAM_SIZE);
        /* The loader reports its writes through ram_note_write(): dirty
         * logging tells which pages to restore after a successful load. */
        f.ram.dirty_logging = true;
    }
    return &f;
}

static void restore_dirty(struct fuzz_loader *f)
{
    for (uint64_t p = 0; p < f->ram.npages; p++) {
        if (f->ram.dirty[p / 64] & (1ULL << (p % 64))) {
            uint64_t off = p << RAM_PAGE_SHIFT;
            memcpy(f->ram.host + off, f->pristine + off, RAM_PAGE_SIZE);
        }
    }
    memset(f->ram.dirty, 0, (f->ram.npages + 63) / 64 * sizeof(uint64_t));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_loader *f = fixture();
    /* The load address comes from the input's last byte, so raw and Image
     * placement (aligned, unaligned, past RAM) are both explored. */
    gpa_t addr = RAM_BASE + (size ? (gpa_t)data[size - 1] * 0x8123 : 0);
    struct loaded_image out;
    char err[128];
    err[0] = 0;
    int rc = loader_load_buffer(&f->ram, data, size, addr, &out, err, sizeof(err));
    if (rc == 0) {
        if (out.start > out.end || out.start < RAM_BASE || out.end > RAM_BASE + RAM_SIZE) {
            fprintf(stderr, "fuzz_loader: range 0x%llx-0x%llx outside RAM\n",
                    (unsigned long long)out.start, (unsigned long long)out.end);
            abort();
        }
        restore_dirty(f);
    } else {
        if (rc > 0 || err[0] == 0 || memchr(err, 0, sizeof(err)) == NULL) {
            fprintf(stderr, "fuzz_loader: error %d without a message\n", rc);
            abort();
        }
        if (memcmp(f->pristine, f->ram.host, RAM_SIZE) != 0) {
            fprintf(stderr, "fuzz_loader: failed load (%s) wrote RAM\n", err);
            abort();
        }
    }
    return 0;
}
