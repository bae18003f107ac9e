/* Host side of the guest console. Owns the terminal mode and the Ctrl-A
 * escape; knows nothing of which device the bytes go to. */
#include "vmm/console.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CTRL_A 0x01

void console_open(struct console *c, int in_fd)
{
    memset(c, 0, sizeof(*c));
    c->in_fd = in_fd;
    c->out_fd = -1;
    c->in_open = true;
    c->is_tty = isatty(in_fd);
    if (c->is_tty && tcgetattr(in_fd, &c->saved) == 0) {
        struct termios t = c->saved;
        cfmakeraw(&t);
        t.c_oflag |= OPOST | ONLCR; /* keep our own messages readable */
        if (tcsetattr(in_fd, TCSANOW, &t) == 0) c->raw = true;
    }
}

void console_close(struct console *c)
{
    console_flush(c);
    if (c->raw) tcsetattr(c->in_fd, TCSANOW, &c->saved);
    c->raw = false;
}

void console_putc(struct console *c, uint8_t byte)
{
    putc(byte, stdout);
    if (byte == '\n') fflush(stdout);
}

void console_flush(struct console *c)
{
    fflush(stdout);
}

static void take_input(struct console *c, const uint8_t *buf, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        uint8_t b = buf[k];
        if (c->escape) {
            c->escape = false;
            if (b == 'x') {
                __atomic_store_n(&c->quit, true, __ATOMIC_RELEASE);
                return;
            }
            if (b != CTRL_A) continue; /* unknown escape: dropped */
        } else if (b == CTRL_A) {
            c->escape = true;
            continue;
        }
        if (c->npending < sizeof(c->pending)) c->pending[c->npending++] = b;
    }
}

void console_poll(struct console *c, int timeout_ms)
{
    if (!c->in_open || c->npending == sizeof(c->pending)) {
        if (timeout_ms > 0) poll(NULL, 0, timeout_ms);
        return;
    }
    struct pollfd p = {.fd = c->in_fd, .events = POLLIN};
    int r = poll(&p, 1, timeout_ms);
    if (r <= 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR))) return;
    console_read(c);
}

bool console_quit(const struct console *c)
{
    return __atomic_load_n(&c->quit, __ATOMIC_ACQUIRE);
}

void console_read(struct console *c)
{
    if (!c->in_open || c->npending == sizeof(c->pending)) return;
    uint8_t buf[1024];
    size_t room = sizeof(c->pending) - c->npending;
    ssize_t n = read(c->in_fd, buf, room < sizeof(buf) ? room : sizeof(buf));
    if (n > 0)
        take_input(c, buf, (size_t)n);
    else if (n == 0 || (errno != EAGAIN && errno != EINTR))
        c->in_open = false; /* EOF: the guest runs on without input */
}

void console_deliver(struct console *c, size_t (*sink)(void *opaque, const uint8_t *buf, size_t n),
                     void *opaque)
{
    if (!c->npending) return;
    size_t took = sink(opaque, c->pending, c->npending);
    memmove(c->pending, c->pending + took, c->npending - took);
    c->npending -= took;
}
