/* The boot-timer pseudo device: one byte register at offset 0. Stateless
 * (nothing to save); must not time or log anything itself. */
#include "machine/boot_timer.h"

static int boot_timer_read(void *opaque, uint64_t off, unsigned size, uint64_t *val)
{
    *val = 0;
    return 0;
}

static int boot_timer_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
    const struct boot_timer *t = opaque;
    if (off == 0 && size == 1 && (val & 0xff) == BOOT_TIMER_MAGIC && t->fn) t->fn(t->opaque);
    return 0;
}

const struct bus_dev_ops boot_timer_ops = {.read = boot_timer_read, .write = boot_timer_write};
