/* The physical address bus: a table of MMIO regions, each a device's read and
 * write callbacks with an opaque pointer. RAM is not on the bus: the CPU reaches
 * it through the TLB. A handler returns 0, or a negative errno that the CPU
 * turns into an access fault. Devices never see a hart. */
#ifndef RVMM_MACHINE_BUS_H
#define RVMM_MACHINE_BUS_H

#include "common/types.h"

struct bus_dev_ops {
    /* off is relative to the region base; size is 1, 2, 4 or 8. */
    int (*read)(void *opaque, uint64_t off, unsigned size, uint64_t *val);
    int (*write)(void *opaque, uint64_t off, unsigned size, uint64_t val);
};

struct bus_region {
    const char *name;
    gpa_t base;
    uint64_t size;
    const struct bus_dev_ops *ops;
    void *opaque;
    uint64_t reads, writes; /* statistics */
};

#define BUS_MAX_REGIONS 32

struct bus {
    struct bus_region regions[BUS_MAX_REGIONS];
    int nregions;
};

void bus_init(struct bus *bus);
int bus_map(struct bus *bus, const char *name, gpa_t base, uint64_t size,
            const struct bus_dev_ops *ops, void *opaque);
int bus_read(struct bus *bus, gpa_t pa, unsigned size, uint64_t *val);
int bus_write(struct bus *bus, gpa_t pa, unsigned size, uint64_t val);

#endif
