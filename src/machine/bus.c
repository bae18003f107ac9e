/* MMIO dispatch by address. Owns region lookup and per-device counters. */
#include "machine/bus.h"

#include <errno.h>
#include <string.h>

void bus_init(struct bus *bus)
{
    memset(bus, 0, sizeof(*bus));
}

int bus_map(struct bus *bus, const char *name, gpa_t base, uint64_t size,
            const struct bus_dev_ops *ops, void *opaque)
{
    if (bus->nregions >= BUS_MAX_REGIONS || size == 0 || base + size < base) return -ENOSPC;
    for (int i = 0; i < bus->nregions; i++) {
        struct bus_region *r = &bus->regions[i];
        if (base < r->base + r->size && r->base < base + size) return -EEXIST;
    }
    bus->regions[bus->nregions++] =
        (struct bus_region){.name = name, .base = base, .size = size, .ops = ops, .opaque = opaque};
    return 0;
}

static struct bus_region *bus_find(struct bus *bus, gpa_t pa, unsigned size)
{
    /* A linear scan of a handful of regions: no lookup cache, so vCPU
     * threads can share the bus without locks. */
    for (int i = 0; i < bus->nregions; i++) {
        struct bus_region *r = &bus->regions[i];
        if (pa - r->base < r->size && size <= r->size - (pa - r->base)) return r;
    }
    return NULL;
}

int bus_read(struct bus *bus, gpa_t pa, unsigned size, uint64_t *val)
{
    struct bus_region *r = bus_find(bus, pa, size);
    *val = 0;
    if (!r || !r->ops->read) return -EFAULT;
    __atomic_fetch_add(&r->reads, 1, __ATOMIC_RELAXED);
    return r->ops->read(r->opaque, pa - r->base, size, val);
}

int bus_write(struct bus *bus, gpa_t pa, unsigned size, uint64_t val)
{
    struct bus_region *r = bus_find(bus, pa, size);
    if (!r || !r->ops->write) return -EFAULT;
    __atomic_fetch_add(&r->writes, 1, __ATOMIC_RELAXED);
    return r->ops->write(r->opaque, pa - r->base, size, val);
}
