/* NS16550A register model. Owns the register file, the receive FIFO and the
 * interrupt identification logic, all under one mutex. Must not touch the
 * host (no file descriptors, no threads): bytes leave through the tx callback
 * and arrive through uart_receive(). Behaviour follows the TI PC16550D data
 * sheet and, where the data sheet is silent, QEMU's hw/char/serial.c, which
 * the guests' drivers were tested against. */
#include "machine/uart.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum {
    REG_RBR_THR_DLL = 0,
    REG_IER_DLM = 1,
    REG_IIR_FCR = 2,
    REG_LCR = 3,
    REG_MCR = 4,
    REG_LSR = 5,
    REG_MSR = 6,
    REG_SCR = 7,
    UART_NREGS = 8
};

#define IER_RDI  0x01 /* received data available */
#define IER_THRI 0x02 /* transmitter holding register empty */
#define IER_RLSI 0x04 /* receiver line status */
#define IER_MSI  0x08 /* modem status */

#define IIR_NO_INT 0x01
#define IIR_ID     0x0e
#define IIR_MSI    0x00
#define IIR_THRI   0x02
#define IIR_RDI    0x04
#define IIR_RLSI   0x06
#define IIR_CTI    0x0c /* character timeout */
#define IIR_FIFO   0xc0 /* both FIFO-enabled bits */

#define FCR_FE   0x01
#define FCR_RFR  0x02 /* clear receive FIFO */
#define FCR_XFR  0x04 /* clear transmit FIFO */
#define FCR_KEEP 0xc9 /* FE, DMA mode and trigger level are remembered */

#define LCR_DLAB 0x80

#define MCR_DTR  0x01
#define MCR_RTS  0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10

#define LSR_DR      0x01
#define LSR_OE      0x02
#define LSR_BI      0x10
#define LSR_THRE    0x20
#define LSR_TEMT    0x40
#define LSR_INT_ANY 0x1e /* OE, PE, FE, BI: what raises a line status interrupt */

#define MSR_CTS       0x10
#define MSR_DSR       0x20
#define MSR_DCD       0x80
#define MSR_ANY_DELTA 0x0f

#define UART_SAVE_TAG     STREAM_TAG('U', 'A', 'R', 'T')
#define UART_SAVE_VERSION 1

struct uart {
    pthread_mutex_t lock;
    struct irq_line irq;
    uart_tx_fn tx;
    void *tx_opaque;
    uart_tx_ready_fn tx_ready;
    /* The host could not take more after the last THR write: THRE stays
     * clear (THR "full", as on a real UART behind a stopped line) until
     * uart_tx_kick(). Host state, not saved. */
    bool tx_busy;

    uint8_t ier, iir, fcr, lcr, mcr, lsr, msr, scr;
    uint8_t dll, dlm;
    uint8_t rbr; /* last byte read, returned again when the FIFO is off and empty */
    /* The THRE interrupt condition: set when THR empties, cleared by an IIR
     * read that reports it or by a THR write (data sheet table 4). */
    bool thr_ipending;
    bool irq_level;

    uint8_t rx[UART_RX_FIFO_SIZE];
    unsigned rx_head, rx_count;
};

/* The save functions take a const device but must hold its lock. */
static pthread_mutex_t *uart_lock_of(const struct uart *u)
{
    return (pthread_mutex_t *)&u->lock;
}

static void uart_reset(struct uart *u)
{
    /* Reset values from QEMU's serial_reset(): 9600 8N1, OUT2 set. */
    u->ier = 0;
    u->iir = IIR_NO_INT;
    u->fcr = 0;
    u->lcr = 0;
    u->mcr = MCR_OUT2;
    u->lsr = LSR_TEMT | LSR_THRE;
    u->msr = MSR_DCD | MSR_DSR | MSR_CTS;
    u->scr = 0;
    u->dll = 0x0c;
    u->dlm = 0;
    u->rbr = 0;
    u->thr_ipending = false;
    u->irq_level = false;
    u->rx_head = 0;
    u->rx_count = 0;
}

static unsigned uart_rx_trigger_level(const struct uart *u)
{
    static const unsigned levels[4] = {1, 4, 8, 14};
    return levels[u->fcr >> 6];
}

/* Recomputes IIR and the irq line; priorities from the data sheet, table 4.
 * A real 16550A raises the character timeout interrupt 4 character times
 * after the last byte when the FIFO holds fewer than the trigger level;
 * with no baud-rate timing here the timeout is taken as already expired, so
 * any waiting byte interrupts at once, reported as CTI below the trigger
 * level and RDI at or above it (Linux handles both the same way). */
static void uart_update_irq(struct uart *u)
{
    uint8_t id = IIR_NO_INT;

    if ((u->ier & IER_RLSI) && (u->lsr & LSR_INT_ANY))
        id = IIR_RLSI;
    else if ((u->ier & IER_RDI) && (u->lsr & LSR_DR))
        id = ((u->fcr & FCR_FE) && u->rx_count < uart_rx_trigger_level(u)) ? IIR_CTI : IIR_RDI;
    else if ((u->ier & IER_THRI) && u->thr_ipending)
        id = IIR_THRI;
    else if ((u->ier & IER_MSI) && (u->msr & MSR_ANY_DELTA))
        id = IIR_MSI;

    u->iir = id | ((u->fcr & FCR_FE) ? IIR_FIFO : 0);
    bool level = id != IIR_NO_INT;
    if (level != u->irq_level) {
        u->irq_level = level;
        irq_set(&u->irq, level);
    }
}

static unsigned uart_rx_space(const struct uart *u)
{
    return UART_RX_FIFO_SIZE - u->rx_count;
}

static void uart_rx_push(struct uart *u, uint8_t byte)
{
    u->rx[(u->rx_head + u->rx_count) % UART_RX_FIFO_SIZE] = byte;
    u->rx_count++;
    u->lsr |= LSR_DR;
}

static void uart_rx_clear(struct uart *u)
{
    u->rx_head = 0;
    u->rx_count = 0;
    u->lsr &= ~(LSR_DR | LSR_BI);
}

int uart_create(struct uart **out, const struct irq_line *irq, uart_tx_fn tx, void *tx_opaque)
{
    *out = NULL;
    if (!irq) return -EINVAL;
    struct uart *u = calloc(1, sizeof(*u));
    if (!u) return -ENOMEM;
    int err = pthread_mutex_init(&u->lock, NULL);
    if (err) {
        free(u);
        return -err;
    }
    u->irq = *irq;
    u->tx = tx;
    u->tx_opaque = tx_opaque;
    uart_reset(u);
    *out = u;
    return 0;
}

void uart_set_tx_ready(struct uart *u, uart_tx_ready_fn ready)
{
    pthread_mutex_lock(&u->lock);
    u->tx_ready = ready;
    pthread_mutex_unlock(&u->lock);
}

void uart_tx_kick(struct uart *u)
{
    pthread_mutex_lock(&u->lock);
    if (u->tx_busy) {
        u->tx_busy = false;
        u->lsr |= LSR_THRE | LSR_TEMT;
        u->thr_ipending = true;
        uart_update_irq(u);
    }
    pthread_mutex_unlock(&u->lock);
}

void uart_destroy(struct uart *u)
{
    if (!u) return;
    pthread_mutex_destroy(&u->lock);
    free(u);
}

int uart_receive(struct uart *u, const uint8_t *buf, size_t n)
{
    pthread_mutex_lock(&u->lock);
    size_t take = uart_rx_space(u);
    if (take > n) take = n;
    for (size_t i = 0; i < take; i++)
        uart_rx_push(u, buf[i]);
    if (take) uart_update_irq(u);
    pthread_mutex_unlock(&u->lock);
    return (int)take;
}

bool uart_rx_has_space(struct uart *u)
{
    pthread_mutex_lock(&u->lock);
    bool space = uart_rx_space(u) > 0;
    pthread_mutex_unlock(&u->lock);
    return space;
}

static uint8_t uart_read_rbr(struct uart *u)
{
    if (u->rx_count) {
        u->rbr = u->rx[u->rx_head];
        u->rx_head = (u->rx_head + 1) % UART_RX_FIFO_SIZE;
        u->rx_count--;
    } else if (u->fcr & FCR_FE) {
        /* QEMU returns 0 from an empty FIFO and the stale RBR otherwise. */
        u->rbr = 0;
    }
    if (!u->rx_count) u->lsr &= ~(LSR_DR | LSR_BI);
    uart_update_irq(u);
    return u->rbr;
}

static uint8_t uart_read_reg(struct uart *u, unsigned reg)
{
    uint8_t v;

    switch (reg) {
    case REG_RBR_THR_DLL: return (u->lcr & LCR_DLAB) ? u->dll : uart_read_rbr(u);
    case REG_IER_DLM: return (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
    case REG_IIR_FCR:
        v = u->iir;
        /* Reading IIR while it reports THRE clears that condition (data
         * sheet table 4); Linux's 8250 driver relies on it. */
        if ((v & IIR_ID) == IIR_THRI && !(v & IIR_NO_INT)) {
            u->thr_ipending = false;
            uart_update_irq(u);
        }
        return v;
    case REG_LCR: return u->lcr;
    case REG_MCR: return u->mcr;
    case REG_LSR:
        v = u->lsr;
        if (u->lsr & (LSR_BI | LSR_OE)) {
            u->lsr &= ~(LSR_BI | LSR_OE);
            uart_update_irq(u);
        }
        return v;
    case REG_MSR:
        if (u->mcr & MCR_LOOP) {
            /* Loopback ties the modem outputs to the inputs (data sheet
             * section 8.7): RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
            return (uint8_t)(((u->mcr & (MCR_OUT1 | MCR_OUT2)) << 4) | ((u->mcr & MCR_RTS) << 3) |
                             ((u->mcr & MCR_DTR) << 5));
        }
        v = u->msr;
        if (u->msr & MSR_ANY_DELTA) {
            u->msr &= 0xf0;
            uart_update_irq(u);
        }
        return v;
    default: return u->scr;
    }
}

static void uart_write_thr(struct uart *u, uint8_t byte)
{
    if (u->mcr & MCR_LOOP) {
        if (uart_rx_space(u))
            uart_rx_push(u, byte);
        else
            u->lsr |= LSR_OE;
    } else if (u->tx) {
        u->tx(u->tx_opaque, byte);
        if (u->tx_ready && !u->tx_ready(u->tx_opaque)) {
            /* The host is full: the guest sees THR busy and waits (or its
             * next byte is dropped), but its vCPU never blocks on it. */
            u->lsr &= ~(LSR_THRE | LSR_TEMT);
            u->thr_ipending = false;
            u->tx_busy = true;
            uart_update_irq(u);
            return;
        }
    }
    /* The byte left at once, so THR and the shifter are empty again and the
     * THRE condition is back, as after QEMU's serial_xmit(). */
    u->lsr |= LSR_THRE | LSR_TEMT;
    u->thr_ipending = true;
    uart_update_irq(u);
}

static void uart_write_ier(struct uart *u, uint8_t val)
{
    uint8_t changed = (u->ier ^ val) & 0x0f;
    u->ier = val & 0x0f;
    /* Enabling THRI while THR is empty raises THRE even if an IIR read had
     * cleared it: not in the data sheet, but what QEMU does and what
     * Linux's startup test (UART_BUG_THRE) expects. */
    if (changed & IER_THRI) u->thr_ipending = (u->ier & IER_THRI) && (u->lsr & LSR_THRE);
    if (changed) uart_update_irq(u);
}

static void uart_write_fcr(struct uart *u, uint8_t val)
{
    /* Changing FIFO enable clears both FIFOs (data sheet, FCR bit 0). */
    if ((val ^ u->fcr) & FCR_FE) val |= FCR_RFR | FCR_XFR;
    if (val & FCR_RFR) uart_rx_clear(u);
    if (val & FCR_XFR) {
        u->lsr |= LSR_THRE;
        u->thr_ipending = true;
    }
    u->fcr = val & FCR_KEEP;
    uart_update_irq(u);
}

static void uart_write_reg(struct uart *u, unsigned reg, uint8_t val)
{
    switch (reg) {
    case REG_RBR_THR_DLL:
        if (u->lcr & LCR_DLAB)
            u->dll = val;
        else
            uart_write_thr(u, val);
        break;
    case REG_IER_DLM:
        if (u->lcr & LCR_DLAB)
            u->dlm = val;
        else
            uart_write_ier(u, val);
        break;
    case REG_IIR_FCR: uart_write_fcr(u, val); break;
    case REG_LCR: u->lcr = val; break;
    case REG_MCR: u->mcr = val & 0x1f; break;
    case REG_LSR:
    case REG_MSR: break; /* read-only here; factory test use only */
    default: u->scr = val; break;
    }
}

static int uart_check_access(uint64_t off, unsigned size)
{
    if (off >= UART_NREGS) return -EFAULT;
    if (size != 1 && size != 2 && size != 4 && size != 8) return -EINVAL;
    return 0;
}

static int uart_mmio_read(void *opaque, uint64_t off, unsigned size, uint64_t *val)
{
    struct uart *u = opaque;
    int err = uart_check_access(off, size);
    if (err) return err;
    pthread_mutex_lock(&u->lock);
    *val = uart_read_reg(u, (unsigned)off);
    pthread_mutex_unlock(&u->lock);
    return 0;
}

static int uart_mmio_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
    struct uart *u = opaque;
    int err = uart_check_access(off, size);
    if (err) return err;
    pthread_mutex_lock(&u->lock);
    uart_write_reg(u, (unsigned)off, (uint8_t)val);
    pthread_mutex_unlock(&u->lock);
    return 0;
}

const struct bus_dev_ops uart_ops = {.read = uart_mmio_read, .write = uart_mmio_write};

int uart_save(const struct uart *u, struct stream *s)
{
    pthread_mutex_lock(uart_lock_of(u));
    size_t mark = stream_begin_section(s, UART_SAVE_TAG, UART_SAVE_VERSION);
    const uint8_t regs[] = {u->ier, u->fcr, u->lcr, u->mcr, u->lsr,
                            u->msr, u->scr, u->dll, u->dlm, u->rbr};
    stream_put(s, regs, sizeof(regs));
    stream_put_u8(s, u->thr_ipending);
    stream_put_u32(s, u->rx_count);
    for (unsigned i = 0; i < u->rx_count; i++)
        stream_put_u8(s, u->rx[(u->rx_head + i) % UART_RX_FIFO_SIZE]);
    stream_end_section(s, mark);
    pthread_mutex_unlock(uart_lock_of(u));
    return s->err;
}

int uart_restore(struct uart *u, struct stream *s)
{
    size_t end;
    uint8_t regs[10], thr_ipending;
    uint8_t rx[UART_RX_FIFO_SIZE];

    int err = stream_open_section(s, UART_SAVE_TAG, UART_SAVE_VERSION, NULL, &end);
    if (err) return err;
    stream_get(s, regs, sizeof(regs));
    thr_ipending = stream_get_u8(s);
    uint32_t count = stream_get_u32(s);
    if (!s->err && count > UART_RX_FIFO_SIZE) s->err = -EINVAL;
    if (!s->err) stream_get(s, rx, count);
    err = stream_close_section(s, end);
    if (err) return err;

    /* Parsed completely: only now replace the live state. */
    pthread_mutex_lock(&u->lock);
    u->ier = regs[0] & 0x0f;
    u->fcr = regs[1] & FCR_KEEP;
    u->lcr = regs[2];
    u->mcr = regs[3] & 0x1f;
    u->lsr = regs[4];
    u->msr = regs[5];
    u->scr = regs[6];
    u->dll = regs[7];
    u->dlm = regs[8];
    u->rbr = regs[9];
    u->thr_ipending = thr_ipending != 0;
    memcpy(u->rx, rx, count);
    u->rx_head = 0;
    u->rx_count = count;
    if (count)
        u->lsr |= LSR_DR;
    else
        u->lsr &= ~LSR_DR;
    uart_update_irq(u);
    /* Drive the line even if its remembered level did not change: whatever
     * is behind it may have been restored with a different one. */
    irq_set(&u->irq, u->irq_level);
    pthread_mutex_unlock(&u->lock);
    return 0;
}
