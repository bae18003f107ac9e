/* Host side of the guest console. Owns the terminal mode, the Ctrl-A
 * escape, stdout's non-blocking descriptor and the bounded output ring;
 * knows nothing of which device the bytes come from or go to. Nothing here
 * blocks: a stuck stdout fills the ring, and then output is dropped. */
#include "backend/chardev/console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CTRL_A 0x01
/* How long console_close waits for a stuck stdout to take the rest. */
#define CONSOLE_CLOSE_WAIT_MS 1000

/* A descriptor of its own for stdout, so O_NONBLOCK does not leak into the
 * shell's terminal or pipe; a regular file never blocks and keeps stdout
 * (and its offset); a socket cannot be reopened and is switched in place. */
static void console_open_out(struct console *c)
{
    struct stat st;
    fflush(stdout);
    c->out_fd = STDOUT_FILENO;
    c->out_saved_flags = -1;
    if (fstat(STDOUT_FILENO, &st) != 0) {
        c->out_fd = -1; /* no stdout: output is dropped */
        return;
    }
    if (S_ISREG(st.st_mode)) return;
    int fd = open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd >= 0) {
        c->out_fd = fd;
        c->out_own = true;
        return;
    }
    int fl = fcntl(STDOUT_FILENO, F_GETFL);
    if (fl >= 0 && fcntl(STDOUT_FILENO, F_SETFL, fl | O_NONBLOCK) == 0) c->out_saved_flags = fl;
}

void console_open(struct console *c, int in_fd)
{
    memset(c, 0, sizeof(*c));
    c->in_fd = in_fd;
    c->in_open = true;
    c->is_tty = isatty(in_fd);
    pthread_mutex_init(&c->out_lock, NULL);
    console_open_out(c);
    if (c->is_tty && tcgetattr(in_fd, &c->saved) == 0) {
        struct termios t = c->saved;
        cfmakeraw(&t);
        t.c_oflag |= OPOST | ONLCR; /* keep our own messages readable */
        if (tcsetattr(in_fd, TCSANOW, &t) == 0) c->raw = true;
    }
}

static uint64_t console_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void console_close(struct console *c)
{
    uint64_t end = console_now_ms() + CONSOLE_CLOSE_WAIT_MS;
    for (;;) {
        console_drain(c);
        uint64_t now = console_now_ms();
        if (!c->out_len || !c->out_blocked || now >= end) break;
        struct pollfd p = {.fd = c->out_fd, .events = POLLOUT};
        poll(&p, 1, (int)(end - now));
    }
    if (c->raw) tcsetattr(c->in_fd, TCSANOW, &c->saved);
    c->raw = false;
    if (c->out_own) close(c->out_fd);
    if (c->out_saved_flags >= 0) fcntl(STDOUT_FILENO, F_SETFL, c->out_saved_flags);
    c->out_own = false;
    c->out_saved_flags = -1;
    c->out_fd = -1;
    pthread_mutex_destroy(&c->out_lock);
}

size_t console_write(struct console *c, const uint8_t *buf, size_t n)
{
    pthread_mutex_lock(&c->out_lock);
    size_t took = 0;
    for (; took < n && c->out_len < CONSOLE_OUT_RING; took++)
        c->out_ring[(c->out_head + c->out_len++) % CONSOLE_OUT_RING] = buf[took];
    if (c->out_len == CONSOLE_OUT_RING) c->out_busy = true;
    pthread_mutex_unlock(&c->out_lock);
    return took;
}

void console_putc(struct console *c, uint8_t byte)
{
    console_write(c, &byte, 1);
}

bool console_tx_ready(struct console *c)
{
    pthread_mutex_lock(&c->out_lock);
    bool ready = c->out_len < CONSOLE_OUT_RING;
    pthread_mutex_unlock(&c->out_lock);
    return ready;
}

bool console_drain(struct console *c)
{
    pthread_mutex_lock(&c->out_lock);
    c->out_blocked = false;
    while (c->out_len) {
        size_t run = CONSOLE_OUT_RING - c->out_head;
        if (run > c->out_len) run = c->out_len;
        ssize_t w = (ssize_t)run; /* no stdout: dropped */
        if (c->out_fd >= 0) w = write(c->out_fd, c->out_ring + c->out_head, run);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EAGAIN) {
            c->out_blocked = true;
            break;
        }
        if (w <= 0) w = (ssize_t)run; /* stdout is gone: the guest runs on */
        c->out_head = (c->out_head + (size_t)w) % CONSOLE_OUT_RING;
        c->out_len -= (size_t)w;
    }
    bool kick = c->out_busy && c->out_len < CONSOLE_OUT_RING;
    if (kick) c->out_busy = false;
    pthread_mutex_unlock(&c->out_lock);
    return kick;
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

bool console_out_blocked(struct console *c)
{
    pthread_mutex_lock(&c->out_lock);
    bool blocked = c->out_len && c->out_blocked;
    pthread_mutex_unlock(&c->out_lock);
    return blocked;
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
