/* SiFive PLIC (RISC-V PLIC specification 1.0.0), laid out as on QEMU's virt
 * board and as Linux's sifive,plic-1.0.0 driver and OpenSBI expect: 96
 * sources (0 reserved), priorities 0..7, two contexts per hart (2h = hart h
 * M-mode, 2h+1 = hart h S-mode), one output irq line per context. Sources are
 * level-triggered as in QEMU's sifive_plic: a source is pending while its
 * line is high and it is not claimed; a completion re-arms it.
 *
 * Threads: every entry point takes the plic's mutex; context lines are
 * driven with it held, so what is behind them (the hart) must not call back
 * into the plic. Lock order: device -> plic -> hart. */
#ifndef RVMM_MACHINE_PLIC_H
#define RVMM_MACHINE_PLIC_H

#include "common/stream.h"
#include "common/types.h"
#include "machine/bus.h"
#include "machine/irq.h"

#define PLIC_NUM_SOURCES  96 /* ids 0..95; riscv,ndev = 95 */
#define PLIC_MAX_PRIORITY 7
#define PLIC_MAX_HARTS    512

struct plic;

/* ctx_lines has 2 * nharts entries, copied; entry 2h is hart h's MEIP line,
 * entry 2h + 1 its SEIP line. */
int plic_create(struct plic **out, unsigned nharts, const struct irq_line *ctx_lines);
void plic_destroy(struct plic *p);

/* An input line changed. Usable as irq_line.set with opaque = the plic and
 * n = the source id; ids 0 and >= PLIC_NUM_SOURCES are ignored. */
void plic_set_irq(void *plic, unsigned src, int level);

/* Bus callbacks; opaque is the struct plic. Only aligned 4-byte accesses
 * are valid (others fault, as in QEMU); reserved offsets read 0 and ignore
 * writes. */
extern const struct bus_dev_ops plic_ops;

/* Persistence: one section (tag "PLIC"); restore needs the same nharts and
 * re-drives every context line. */
int plic_save(const struct plic *p, struct stream *s);
int plic_restore(struct plic *p, struct stream *s);

#endif
