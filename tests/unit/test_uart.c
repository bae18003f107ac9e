/* Unit tests for the NS16550A model: reset values, divisor latch, transmit,
 * THRE and receive interrupts with IIR priorities, the receive FIFO and its
 * limits, loopback, access checks, save/restore round trips, and a backend
 * thread feeding input while the guest side reads. */
#include "machine/uart.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "ut.h"

UT_MAIN_STATE

struct fake_irq {
    int level;
    int sets;
};

static void fake_irq_set(void *opaque, unsigned n, int level)
{
    struct fake_irq *f = opaque;
    (void)n;
    f->level = level;
    f->sets++;
}

struct sink {
    uint8_t buf[512];
    size_t len;
};

static void sink_tx(void *opaque, uint8_t byte)
{
    struct sink *s = opaque;
    if (s->len < sizeof(s->buf)) s->buf[s->len++] = byte;
}

/* A host with room for 3 bytes (sink.len counts what it took). */
static bool sink_ready(void *opaque)
{
    return ((struct sink *)opaque)->len < 3;
}

struct rig {
    struct uart *u;
    struct fake_irq irq;
    struct sink out;
};

static void rig_init(struct rig *r)
{
    memset(r, 0, sizeof(*r));
    struct irq_line line = {.set = fake_irq_set, .opaque = &r->irq, .n = 10};
    UT_EQ(uart_create(&r->u, &line, sink_tx, &r->out), 0);
}

static uint8_t rd(struct rig *r, uint64_t off)
{
    uint64_t v = 0xdead;
    UT_EQ(uart_ops.read(r->u, off, 1, &v), 0);
    return (uint8_t)v;
}

static void wr(struct rig *r, uint64_t off, uint8_t v)
{
    UT_EQ(uart_ops.write(r->u, off, 1, v), 0);
}

enum { RBR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

static void test_reset_values(void)
{
    struct rig r;
    rig_init(&r);
    UT_EQ(rd(&r, IER), 0);
    UT_EQ(rd(&r, IIR), 0x01);
    UT_EQ(rd(&r, LCR), 0);
    UT_EQ(rd(&r, MCR), 0x08);
    UT_EQ(rd(&r, LSR), 0x60);
    UT_EQ(rd(&r, MSR), 0xb0);
    UT_EQ(rd(&r, SCR), 0);
    UT_EQ(r.irq.level, 0);
    wr(&r, SCR, 0x5a);
    UT_EQ(rd(&r, SCR), 0x5a);
    uart_destroy(r.u);
}

static void test_transmit_and_dlab(void)
{
    struct rig r;
    rig_init(&r);
    wr(&r, RBR, 'h');
    wr(&r, RBR, 'i');
    UT_EQ(r.out.len, 2);
    UT_CHECK(memcmp(r.out.buf, "hi", 2) == 0);
    UT_EQ(rd(&r, LSR) & 0x60, 0x60);

    /* With DLAB set, offsets 0 and 1 are the divisor latch. */
    wr(&r, LCR, 0x83);
    wr(&r, RBR, 0x01);
    wr(&r, IER, 0x02);
    UT_EQ(r.out.len, 2);
    UT_EQ(rd(&r, RBR), 0x01);
    UT_EQ(rd(&r, IER), 0x02);
    wr(&r, LCR, 0x03);
    UT_EQ(rd(&r, IER), 0); /* IER untouched by the DLM write */
    UT_EQ(r.irq.level, 0);
    uart_destroy(r.u);
}

static void test_thre_interrupt(void)
{
    struct rig r;
    rig_init(&r);
    wr(&r, FCR, 0x07); /* FIFO on, both cleared */
    UT_EQ(r.irq.level, 0);
    wr(&r, IER, 0x02);
    UT_EQ(r.irq.level, 1);
    UT_EQ(rd(&r, IIR), 0xc2);
    /* The IIR read that reported THRE cleared it. */
    UT_EQ(r.irq.level, 0);
    UT_EQ(rd(&r, IIR), 0xc1);
    /* Each transmitted byte empties THR again. */
    wr(&r, RBR, 'x');
    UT_EQ(r.irq.level, 1);
    wr(&r, IER, 0x00);
    UT_EQ(r.irq.level, 0);
    UT_EQ(rd(&r, IIR), 0xc1);

    /* Linux's UART_BUG_THRE probe: IER=THRI, read IIR, IER=0, IER=THRI,
     * read IIR again: both reads must report THRE. */
    wr(&r, IER, 0x02);
    UT_EQ(rd(&r, IIR) & 0x0f, 0x02);
    wr(&r, IER, 0x00);
    wr(&r, IER, 0x02);
    UT_EQ(rd(&r, IIR) & 0x0f, 0x02);
    UT_EQ(rd(&r, IIR) & 0x0f, 0x01);
    uart_destroy(r.u);
}

static void test_receive_interrupt(void)
{
    struct rig r;
    rig_init(&r);
    wr(&r, FCR, 0x01); /* FIFO on, trigger level 1 */
    UT_EQ(uart_receive(r.u, (const uint8_t *)"abc", 3), 3);
    UT_EQ(r.irq.level, 0); /* IER.RDI off */
    UT_EQ(rd(&r, LSR) & 0x01, 0x01);
    wr(&r, IER, 0x01);
    UT_EQ(r.irq.level, 1);
    UT_EQ(rd(&r, IIR), 0xc4);
    UT_EQ(rd(&r, RBR), 'a');
    UT_EQ(rd(&r, RBR), 'b');
    UT_EQ(r.irq.level, 1);
    UT_EQ(rd(&r, RBR), 'c');
    UT_EQ(r.irq.level, 0);
    UT_EQ(rd(&r, LSR) & 0x01, 0);
    UT_EQ(rd(&r, IIR), 0xc1);
    UT_EQ(rd(&r, RBR), 0); /* empty FIFO reads 0 */

    /* Below the trigger level (8 here) waiting data reports a timeout. */
    wr(&r, FCR, 0x81);
    UT_EQ(uart_receive(r.u, (const uint8_t *)"0123456", 7), 7);
    UT_EQ(rd(&r, IIR), 0xcc);
    UT_EQ(uart_receive(r.u, (const uint8_t *)"7", 1), 1);
    UT_EQ(rd(&r, IIR), 0xc4);
    /* FCR receive reset drops the data and the interrupt. */
    wr(&r, FCR, 0x83);
    UT_EQ(r.irq.level, 0);
    UT_EQ(rd(&r, LSR), 0x60);
    uart_destroy(r.u);
}

static void test_priority(void)
{
    struct rig r;
    rig_init(&r);
    wr(&r, FCR, 0x01);
    wr(&r, IER, 0x03);
    UT_EQ(rd(&r, IIR) & 0x0f, 0x02);
    uart_receive(r.u, (const uint8_t *)"z", 1);
    /* Received data outranks THRE (data sheet table 4). */
    UT_EQ(rd(&r, IIR) & 0x0f, 0x04);
    wr(&r, RBR, 'q'); /* re-arms THRE */
    UT_EQ(rd(&r, IIR) & 0x0f, 0x04);
    UT_EQ(rd(&r, RBR), 'z');
    UT_EQ(rd(&r, IIR) & 0x0f, 0x02);
    UT_EQ(rd(&r, IIR) & 0x0f, 0x01);
    UT_EQ(r.irq.level, 0);
    uart_destroy(r.u);
}

static void test_fifo_limits(void)
{
    struct rig r;
    uint8_t in[300];
    rig_init(&r);
    for (unsigned i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)i;
    UT_EQ(uart_receive(r.u, in, sizeof(in)), UART_RX_FIFO_SIZE);
    UT_CHECK(!uart_rx_has_space(r.u));
    UT_EQ(uart_receive(r.u, in, 1), 0);
    UT_EQ(rd(&r, RBR), 0);
    UT_CHECK(uart_rx_has_space(r.u));
    UT_EQ(uart_receive(r.u, in + UART_RX_FIFO_SIZE, 44), 1);
    for (unsigned i = 1; i <= UART_RX_FIFO_SIZE; i++)
        UT_EQ(rd(&r, RBR), (uint8_t)i);
    UT_EQ(rd(&r, LSR) & 0x01, 0);
    UT_EQ(uart_receive(r.u, in, 0), 0);
    uart_destroy(r.u);
}

static void test_loopback(void)
{
    struct rig r;
    rig_init(&r);
    wr(&r, MCR, 0x10 | 0x0f);
    UT_EQ(rd(&r, MSR), 0xf0);
    wr(&r, MCR, 0x10 | 0x02); /* RTS -> CTS */
    UT_EQ(rd(&r, MSR), 0x10);
    wr(&r, RBR, 'L');
    UT_EQ(r.out.len, 0);
    UT_EQ(rd(&r, LSR) & 0x01, 0x01);
    UT_EQ(rd(&r, RBR), 'L');
    wr(&r, MCR, 0x08);
    wr(&r, RBR, 'T');
    UT_EQ(r.out.len, 1);
    uart_destroy(r.u);
}

static void test_bad_access(void)
{
    struct rig r;
    uint64_t v;
    rig_init(&r);
    UT_EQ(uart_ops.read(r.u, 8, 1, &v), -EFAULT);
    UT_EQ(uart_ops.write(r.u, 0xff, 1, 0), -EFAULT);
    UT_EQ(uart_ops.read(r.u, 0, 3, &v), -EINVAL);
    /* Wide accesses act on the byte register with the low byte. */
    UT_EQ(uart_ops.write(r.u, SCR, 4, 0x123456a5), 0);
    UT_EQ(uart_ops.read(r.u, SCR, 4, &v), 0);
    UT_EQ(v, 0xa5);
    UT_EQ(uart_ops.read(r.u, LSR, 8, &v), 0);
    UT_EQ(v, 0x60);
    UT_EQ(uart_ops.write(r.u, LSR, 1, 0), 0); /* read-only: ignored */
    UT_EQ(rd(&r, LSR), 0x60);
    uart_destroy(r.u);
}

static void test_save_restore(void)
{
    struct rig a, b;
    struct stream s;
    rig_init(&a);
    rig_init(&b);
    wr(&a, LCR, 0x80);
    wr(&a, RBR, 0x02);
    wr(&a, IER, 0x00);
    wr(&a, LCR, 0x1b);
    wr(&a, FCR, 0x41);
    wr(&a, MCR, 0x0b);
    wr(&a, SCR, 0x77);
    wr(&a, IER, 0x03);
    uart_receive(a.u, (const uint8_t *)"xyz", 3);
    UT_EQ(rd(&a, RBR), 'x');

    stream_init_writer(&s);
    UT_EQ(uart_save(a.u, &s), 0);
    struct stream in;
    stream_init_reader(&in, s.buf, s.len);
    UT_EQ(uart_restore(b.u, &in), 0);
    UT_EQ(in.pos, in.len);
    UT_EQ(b.irq.level, 1);
    for (unsigned reg = 1; reg < 8; reg++)
        if (reg != IIR) UT_EQ(rd(&b, reg), rd(&a, reg));
    UT_EQ(rd(&b, IIR), rd(&a, IIR));
    wr(&b, LCR, 0x9b);
    UT_EQ(rd(&b, RBR), 0x02);
    wr(&b, LCR, 0x1b);
    UT_EQ(rd(&b, RBR), 'y');
    UT_EQ(rd(&b, RBR), 'z');
    UT_EQ(rd(&b, LSR) & 0x01, 0);

    /* A truncated or foreign stream is refused and changes nothing. */
    struct rig c;
    rig_init(&c);
    stream_init_reader(&in, s.buf, s.len - 1);
    UT_CHECK(uart_restore(c.u, &in) < 0);
    UT_EQ(rd(&c, LCR), 0);
    UT_EQ(rd(&c, LSR), 0x60);
    uint8_t junk[32] = {'P', 'L', 'I', 'C', 1};
    stream_init_reader(&in, junk, sizeof(junk));
    UT_CHECK(uart_restore(c.u, &in) < 0);
    /* A FIFO count beyond the FIFO size is refused. */
    struct stream bad;
    stream_init_writer(&bad);
    size_t mark = stream_begin_section(&bad, STREAM_TAG('U', 'A', 'R', 'T'), 1);
    uint8_t regs[11] = {0};
    stream_put(&bad, regs, sizeof(regs));
    stream_put_u32(&bad, UART_RX_FIFO_SIZE + 1);
    stream_end_section(&bad, mark);
    stream_init_reader(&in, bad.buf, bad.len);
    UT_EQ(uart_restore(c.u, &in), -EINVAL);
    stream_free(&bad);

    stream_free(&s);
    uart_destroy(a.u);
    uart_destroy(b.u);
    uart_destroy(c.u);
}

struct feeder {
    struct uart *u;
    unsigned total;
};

static void *feeder_main(void *opaque)
{
    struct feeder *f = opaque;
    unsigned sent = 0;
    while (sent < f->total) {
        uint8_t b = (uint8_t)sent;
        int n = uart_receive(f->u, &b, 1);
        if (n < 0) break;
        sent += (unsigned)n;
    }
    return NULL;
}

static void test_threaded_receive(void)
{
    struct rig r;
    pthread_t t;
    rig_init(&r);
    struct feeder f = {.u = r.u, .total = 5000};
    UT_EQ(pthread_create(&t, NULL, feeder_main, &f), 0);
    unsigned got = 0;
    int order_ok = 1;
    while (got < f.total) {
        if (rd(&r, LSR) & 0x01) {
            if (rd(&r, RBR) != (uint8_t)got) order_ok = 0;
            got++;
        }
    }
    pthread_join(t, NULL);
    UT_CHECK(order_ok);
    UT_EQ(rd(&r, LSR) & 0x01, 0);
    uart_destroy(r.u);
}

static void test_create_errors(void)
{
    struct uart *u = (struct uart *)1;
    UT_EQ(uart_create(&u, NULL, NULL, NULL), -EINVAL);
    UT_CHECK(u == NULL);
    uart_destroy(NULL);
    /* A NULL tx callback drops output without crashing. */
    struct irq_line none = {0};
    UT_EQ(uart_create(&u, &none, NULL, NULL), 0);
    UT_EQ(uart_ops.write(u, 0, 1, 'a'), 0);
    uart_destroy(u);
}

/* A full host makes THR busy: THRE and TEMT clear, no THRE interrupt,
 * until the host kicks; the vCPU's write never waits. */
static void test_tx_busy(void)
{
    struct rig r;
    rig_init(&r);
    uart_set_tx_ready(r.u, sink_ready);
    wr(&r, IER, 0x02); /* THRI */
    UT_EQ(r.irq.level, 1);
    UT_EQ(rd(&r, IIR) & 0x0f, 0x02);
    wr(&r, RBR, 'a');
    wr(&r, RBR, 'b');
    UT_EQ(rd(&r, LSR) & 0x60, 0x60);
    UT_EQ(rd(&r, IIR) & 0x0f, 0x02);
    wr(&r, RBR, 'c'); /* the host is full now */
    UT_EQ(rd(&r, LSR) & 0x60, 0);
    UT_EQ(rd(&r, IIR), 0x01);
    UT_EQ(r.irq.level, 0);
    r.out.len = 0; /* the host drained */
    uart_tx_kick(r.u);
    UT_EQ(rd(&r, LSR) & 0x60, 0x60);
    UT_EQ(r.irq.level, 1);
    UT_EQ(rd(&r, IIR) & 0x0f, 0x02);
    uart_tx_kick(r.u); /* not busy: nothing changes */
    UT_EQ(rd(&r, LSR) & 0x60, 0x60);
    uart_destroy(r.u);
}

int main(void)
{
    ut_run("uart_reset_values", test_reset_values);
    ut_run("uart_transmit_and_dlab", test_transmit_and_dlab);
    ut_run("uart_thre_interrupt", test_thre_interrupt);
    ut_run("uart_receive_interrupt", test_receive_interrupt);
    ut_run("uart_priority", test_priority);
    ut_run("uart_fifo_limits", test_fifo_limits);
    ut_run("uart_loopback", test_loopback);
    ut_run("uart_bad_access", test_bad_access);
    ut_run("uart_save_restore", test_save_restore);
    ut_run("uart_threaded_receive", test_threaded_receive);
    ut_run("uart_create_errors", test_create_errors);
    ut_run("uart_tx_busy", test_tx_busy);
    return ut_exit();
}
