/* Goldfish RTC (the register interface of Linux's drivers/rtc/rtc-goldfish.c,
 * modelled on QEMU's hw/rtc/goldfish_rtc.c): wall-clock time in ns since the
 * Unix epoch, read as TIME_LOW then TIME_HIGH, plus one alarm with an
 * interrupt. Guest time is the host's CLOCK_REALTIME plus an offset that a
 * guest write of TIME sets. The rtc starts no timers: the VMM calls
 * rtc_update() at rtc_next_deadline_ns(); register accesses also check.
 *
 * Threads: every entry point takes the rtc's mutex and drives the irq line
 * with it held; what is behind the line must not call back in. */
#ifndef RVMM_MACHINE_RTC_H
#define RVMM_MACHINE_RTC_H

#include "common/stream.h"
#include "common/types.h"
#include "machine/bus.h"
#include "machine/irq.h"

struct rtc;

/* irq is copied. */
int rtc_create(struct rtc **out, const struct irq_line *irq);
void rtc_destroy(struct rtc *r);

/* Fires the alarm if it is due. */
void rtc_update(struct rtc *r);

/* Host CLOCK_MONOTONIC ns at which the armed alarm comes due, UINT64_MAX if
 * none is armed. A step of the host's wall clock moves the real moment;
 * rtc_update() re-checks, so calling it early or late is harmless. */
uint64_t rtc_next_deadline_ns(const struct rtc *r);

/* fn(opaque) is called after every register write (outside the rtc's
 * lock), so whoever waits for rtc_next_deadline_ns() can look again: an
 * alarm was armed or the clock set. fn must not block. */
void rtc_set_notify(struct rtc *r, void (*fn)(void *opaque), void *opaque);

/* Bus callbacks; opaque is the struct rtc. Aligned 4-byte accesses only
 * (others fault, as in QEMU); unknown offsets read 0 and ignore writes. */
extern const struct bus_dev_ops rtc_ops;

/* Persistence: one section (tag "GRTC"). The offset from host wall-clock
 * time is saved, so a restored guest's clock keeps following real time. */
int rtc_save(const struct rtc *r, struct stream *s);
int rtc_restore(struct rtc *r, struct stream *s);

#endif
