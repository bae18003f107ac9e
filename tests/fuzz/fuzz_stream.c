/* libFuzzer target for hart restore (hart_restore in src/cpu/hart.c and
 * the stream reader in src/common/stream.c): arbitrary bytes as a saved
 * hart. A refused stream must leave the hart exactly as it was; an accepted
 * one must hold a legal privilege, and the hart must then run a few hundred
 * instructions (the input doubles as code) without hurting the host. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/hart.h"

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (64ULL << 10)

static int bus_read(void *opaque, gpa_t pa, unsigned size, uint64_t *val)
{
    return -1;
}

static int bus_write(void *opaque, gpa_t pa, unsigned size, uint64_t val)
{
    return -1;
}

struct fuzz_stream {
    struct guest_ram ram;
    struct vclock clock;
    struct rv_hart *h, *before;
};

static struct fuzz_stream *fixture(void)
{
    static struct fuzz_stream f;
    if (!f.h) {
        f.h = calloc(1, sizeof(*f.h));
        f.before = malloc(sizeof(*f.before));
        struct hart_bus bus = {NULL, bus_read, bus_write};
        if (!f.h || !f.before || ram_create(&f.ram, RAM_BASE, RAM_SIZE) ||
            hart_init(f.h, 0, &f.ram, &bus, &f.clock))
            abort();
    }
    return &f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_stream *f = fixture();
    hart_reset(f->h, RAM_BASE);
    memset(f->ram.host, 0, RAM_SIZE);
    memcpy(f->ram.host, data, size < RAM_SIZE ? size : RAM_SIZE);
    memcpy(f->before, f->h, sizeof(*f->h));

    /* An exact-size copy, so ASan flags any read past the end. */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) abort();
    memcpy(copy, data, size);
    struct stream s;
    stream_init_reader(&s, copy, size);
    int rc = hart_restore(f->h, &s);
    if (s.pos > s.len) abort();
    if (rc < 0) {
        if (memcmp(f->before, f->h, sizeof(*f->h)) != 0) {
            fprintf(stderr, "fuzz_stream: a refused restore changed the hart\n");
            abort();
        }
    } else {
        if (rc != 0 || (f->h->priv != PRV_U && f->h->priv != PRV_S && f->h->priv != PRV_M) ||
            f->h->x[0] != 0) {
            fprintf(stderr, "fuzz_stream: accepted state is illegal (priv %u)\n", f->h->priv);
            abort();
        }
        hart_run(f->h, 500);
        if (f->h->x[0] != 0 ||
            (f->h->priv != PRV_U && f->h->priv != PRV_S && f->h->priv != PRV_M)) {
            fprintf(stderr, "fuzz_stream: illegal state after running (priv %u)\n", f->h->priv);
            abort();
        }
    }
    free(copy);
    return 0;
}
