/* NS16550A UART, as QEMU's hw/char/serial.c emulates it for the virt board:
 * the registers Linux's 8250 driver, OpenSBI and U-Boot use, a receive FIFO,
 * and the THRE / receive-data interrupts on one irq line. Transmission is
 * synchronous: each THR write hands the byte to the tx callback. The device
 * owns its register state; it does not own the host side (the backend pushes
 * input with uart_receive() and takes output through the tx callback).
 *
 * Threads: every entry point takes the uart's mutex, so a backend thread may
 * call uart_receive() while vCPU threads access registers. The tx callback
 * and irq_set() run with that mutex held: the tx callback must not call back
 * into the uart, and whatever is behind the irq line (the PLIC) must not
 * either. Lock order: uart -> plic -> hart. */
#ifndef RVMM_MACHINE_UART_H
#define RVMM_MACHINE_UART_H

#include "common/stream.h"
#include "common/types.h"
#include "machine/bus.h"
#include "machine/irq.h"

/* Larger than the 16 bytes of a real 16550A: a deeper FIFO lets a pasted
 * burst of input in without the backend retrying byte by byte. */
#define UART_RX_FIFO_SIZE 256

struct uart;

typedef void (*uart_tx_fn)(void *opaque, uint8_t byte);
/* Whether the host can take another byte now (called after each byte
 * sent, uart mutex held). */
typedef bool (*uart_tx_ready_fn)(void *opaque);

/* irq is copied; tx may be NULL (output dropped). */
int uart_create(struct uart **out, const struct irq_line *irq, uart_tx_fn tx, void *tx_opaque);
void uart_destroy(struct uart *u);
/* A host with bounded room for output: after a byte leaves THR and
 * ready() says the host is full, LSR reports THR busy (THRE and TEMT
 * clear, no THRE interrupt) until the host calls uart_tx_kick() once it
 * has room again. Without it, THR always empties at once. */
void uart_set_tx_ready(struct uart *u, uart_tx_ready_fn ready);
void uart_tx_kick(struct uart *u);

/* Offers n bytes of input; returns how many were taken (0..n, at most the
 * free FIFO space). The caller retries the rest later. */
int uart_receive(struct uart *u, const uint8_t *buf, size_t n);
bool uart_rx_has_space(struct uart *u);

/* Bus callbacks; opaque is the struct uart. Registers are one byte apart;
 * accesses of 1, 2, 4 or 8 bytes act on the register at off with the low
 * byte, as QEMU's serial_mm does. Offsets past the 8 registers fault. */
extern const struct bus_dev_ops uart_ops;

/* Persistence: one section (tag "UART"). Restore replaces the state of a
 * created uart and re-drives its irq line. */
int uart_save(const struct uart *u, struct stream *s);
int uart_restore(struct uart *u, struct stream *s);

#endif
