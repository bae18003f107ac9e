/* Test finisher: decodes a write at offset 0 into a power-off, reset or
 * failure request for the VMM. Must not act on the request itself (no
 * exit(), no touching harts). */
#include "machine/syscon.h"

#include <errno.h>
#include <stdlib.h>

struct syscon {
    syscon_request_fn request;
    void *opaque;
};

int syscon_create(struct syscon **out, syscon_request_fn request, void *opaque)
{
    *out = NULL;
    if (!request) return -EINVAL;
    struct syscon *sc = calloc(1, sizeof(*sc));
    if (!sc) return -ENOMEM;
    sc->request = request;
    sc->opaque = opaque;
    *out = sc;
    return 0;
}

void syscon_destroy(struct syscon *sc)
{
    free(sc);
}

static int syscon_check_access(unsigned size)
{
    return size == 2 || size == 4 ? 0 : -EINVAL;
}

static int syscon_mmio_read(void *opaque, uint64_t off, unsigned size, uint64_t *val)
{
    (void)opaque;
    (void)off;
    *val = 0;
    return syscon_check_access(size);
}

static int syscon_mmio_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
    struct syscon *sc = opaque;
    int err = syscon_check_access(size);
    if (err || off != 0) return err;
    /* QEMU decodes the low half as the status and the high half as the
     * code whatever the status, so a 2-byte write can still pass or reset. */
    unsigned status = val & 0xffff;
    int code = (int)((val >> 16) & 0xffff);
    switch (status) {
    case SYSCON_FINISHER_PASS: sc->request(sc->opaque, SYSCON_POWEROFF, 0); break;
    case SYSCON_FINISHER_RESET: sc->request(sc->opaque, SYSCON_RESET, 0); break;
    case SYSCON_FINISHER_FAIL: sc->request(sc->opaque, SYSCON_FAIL, code); break;
    default: break;
    }
    return 0;
}

const struct bus_dev_ops syscon_ops = {.read = syscon_mmio_read, .write = syscon_mmio_write};
