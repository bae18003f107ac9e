/* The SiFive "test" finisher (QEMU's hw/misc/sifive_test.c) that the virt
 * board's syscon-poweroff and syscon-reboot nodes point at: a 32-bit write
 * to offset 0 of 0x5555 asks for power-off, 0x7777 for reset, and
 * (code << 16) | 0x3333 for power-off reporting failure with exit code
 * `code` (values from QEMU's include/hw/misc/sifive_test.h). The device only
 * reports the request through its callback: acting on it (stopping harts,
 * resetting the VM) belongs to the VMM. Stateless, so there is nothing to
 * save and no lock. */
#ifndef RVMM_MACHINE_SYSCON_H
#define RVMM_MACHINE_SYSCON_H

#include "common/types.h"
#include "machine/bus.h"

/* The finisher's status values (bits 15:0 of the write), which the device
 * tree's /poweroff and /reboot nodes also name. */
#define SYSCON_FINISHER_FAIL  0x3333
#define SYSCON_FINISHER_PASS  0x5555
#define SYSCON_FINISHER_RESET 0x7777

enum syscon_request {
    SYSCON_POWEROFF, /* 0x5555: pass */
    SYSCON_RESET,    /* 0x7777 */
    SYSCON_FAIL,     /* 0x3333: code holds bits 31:16 of the value */
};

/* Called on the vCPU thread that made the write, from inside the MMIO
 * access; code is 0 except for SYSCON_FAIL. */
typedef void (*syscon_request_fn)(void *opaque, enum syscon_request req, int code);

struct syscon;

int syscon_create(struct syscon **out, syscon_request_fn request, void *opaque);
void syscon_destroy(struct syscon *sc);

/* Bus callbacks; opaque is the struct syscon. 2- and 4-byte accesses (as
 * QEMU allows); other values and offsets are ignored; reads return 0. */
extern const struct bus_dev_ops syscon_ops;

#endif
