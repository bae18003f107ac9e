/* SiFive CLINT (the layout of the RISC-V ACLINT MSWI + MTIMER devices that
 * QEMU's virt board maps at one base): msip at 0x0 + 4 * hart, mtimecmp at
 * 0x4000 + 8 * hart, mtime at 0xbff8. mtime is the VM's vclock, which the
 * clint reads and, on a guest write, adjusts; everything else about time
 * belongs to the vclock. The clint drives two lines per hart (MSIP, MTIP)
 * and never sleeps or runs timers: the VMM calls clint_update() when
 * clint_next_deadline_ns() says a comparison may have flipped.
 *
 * Threads: every entry point takes the clint's mutex and drives lines with
 * it held; what is behind the lines (the hart) must not call back in. */
#ifndef RVMM_MACHINE_CLINT_H
#define RVMM_MACHINE_CLINT_H

#include "common/clock.h"
#include "common/stream.h"
#include "common/types.h"
#include "machine/bus.h"
#include "machine/irq.h"

#define CLINT_MAX_HARTS 4095 /* mtimecmp slots below mtime */

struct clint;

/* msip_lines and mtip_lines have nharts entries each, copied; clock must
 * outlive the clint. mtimecmp starts at UINT64_MAX (no timer pending). */
int clint_create(struct clint **out, unsigned nharts, struct vclock *clock,
                 const struct irq_line *msip_lines, const struct irq_line *mtip_lines);
void clint_destroy(struct clint *c);

/* Recomputes every hart's MTIP from mtime >= mtimecmp and drives the lines
 * that changed. Register writes that move mtime or mtimecmp do this too. */
void clint_update(struct clint *c);

/* Host CLOCK_MONOTONIC ns at which the earliest mtimecmp among harts whose
 * MTIP is low comes due (now or earlier if one is already due but
 * clint_update() has not run yet); UINT64_MAX if none. */
uint64_t clint_next_deadline_ns(const struct clint *c);

/* Bus callbacks; opaque is the struct clint. msip takes aligned 4-byte
 * accesses; mtimecmp and mtime take aligned 4- or 8-byte ones (a 4-byte
 * access reaches one half). Other sizes fault; unused offsets read 0. */
extern const struct bus_dev_ops clint_ops;

/* Persistence: one section (tag "CLNT") with mtimecmp and msip per hart;
 * mtime is saved with the vclock. Restore needs the same nharts and drives
 * every line (MTIP from the clock as it is then). */
int clint_save(const struct clint *c, struct stream *s);
int clint_restore(struct clint *c, struct stream *s);

#endif
