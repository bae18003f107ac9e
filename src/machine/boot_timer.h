/* Firecracker's boot-timer pseudo device (--boot-timer): the guest's init
 * writes the byte 123 to offset 0 when it is up, and the VMM logs how long
 * the boot took. Only a 1-byte write of that value at offset 0 counts, as
 * on Firecracker; everything else is ignored and reads return 0. Not in the
 * device tree (Firecracker's guests find it by address, through /dev/mem).
 * The device only reports the write; timing and logging are the VMM's. */
#ifndef RVMM_MACHINE_BOOT_TIMER_H
#define RVMM_MACHINE_BOOT_TIMER_H

#include "machine/bus.h"

#define BOOT_TIMER_MAGIC 123

/* Called on the vCPU thread that wrote the magic value. */
typedef void (*boot_timer_fn)(void *opaque);

struct boot_timer {
    boot_timer_fn fn;
    void *opaque;
};

/* Bus callbacks; opaque is a struct boot_timer. */
extern const struct bus_dev_ops boot_timer_ops;

#endif
