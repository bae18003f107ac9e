/* The stdio console behind a virtio-console, served on the I/O thread:
 * stdin is watched there and handed to the device's receive queue, guest
 * output is written to a non-blocking stdout, and when stdout is full the
 * device is told to stop (its buffers stay in the guest's ring) until
 * EPOLLOUT says there is room. No vCPU ever waits for the terminal. The
 * output descriptor, the terminal mode and the Ctrl-A escape are
 * console.c's. */
#include "backend/chardev/console.h"

#include "common/ioloop.h"
#include "machine/virtio/virtio_console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

static void console_virtio_watch_in(struct console *c);

static size_t console_sink(void *opaque, const uint8_t *buf, size_t n)
{
    return virtio_console_receive(opaque, buf, n);
}

/* Loop thread: offers pending input to the device, then reads more stdin
 * when it is not watched (a regular file: always readable, never polled). */
static void console_virtio_deliver(struct console *c)
{
    for (;;) {
        if (c->dev) console_deliver(c, console_sink, c->dev);
        if (c->in_pollable || !c->in_open || c->npending) break;
        console_read(c);
        if (!c->npending) break;
    }
    console_virtio_watch_in(c);
}

static void console_virtio_in_ready(void *opaque, uint32_t events)
{
    struct console *c = opaque;
    console_read(c);
    console_virtio_deliver(c);
}

/* Watches stdin only while there is room for what it brings: a guest that
 * takes no input leaves it in the terminal, not in our memory. */
static void console_virtio_watch_in(struct console *c)
{
    bool want = c->in_pollable && c->in_open && c->npending < sizeof(c->pending);
    if (want == c->in_watched) return;
    if (want) {
        if (ioloop_add_fd(c->loop, c->in_fd, EPOLLIN, console_virtio_in_ready, c) == 0)
            c->in_watched = true;
    } else {
        ioloop_del_fd(c->loop, c->in_fd);
        c->in_watched = false;
    }
}

static void console_virtio_out_ready(void *opaque, uint32_t events)
{
    struct console *c = opaque;
    ioloop_del_fd(c->loop, c->out_fd);
    c->out_waiting = false;
    if (c->dev) virtio_console_tx_resume(c->dev);
}

/* The host callbacks; loop thread, the device's transport mutex held. */
static size_t console_virtio_write(void *opaque, const uint8_t *buf, size_t n)
{
    struct console *c = opaque;
    if (c->out_fd < 0) return n;
    if (c->out_waiting) return 0;
    ssize_t w;
    do
        w = write(c->out_fd, buf, n);
    while (w < 0 && errno == EINTR);
    if (w >= 0 && (size_t)w == n) return n;
    if (w < 0 && errno != EAGAIN) return n; /* stdout is gone: the guest runs on */
    /* Full: wait for room. A descriptor epoll cannot watch never blocks, so
     * whatever it refused is dropped rather than waited for forever. */
    if (ioloop_add_fd(c->loop, c->out_fd, EPOLLOUT, console_virtio_out_ready, c)) return n;
    c->out_waiting = true;
    return w > 0 ? (size_t)w : 0;
}

static void console_virtio_rx_ready(void *opaque)
{
    console_virtio_deliver(opaque);
}

void console_virtio_host(struct console *c, struct virtio_console_host *h)
{
    *h = (struct virtio_console_host){
        .write = console_virtio_write, .rx_ready = console_virtio_rx_ready, .opaque = c};
}

struct console_start {
    struct console *c;
    struct ioloop *loop;
};

static void console_virtio_start_on_loop(void *opaque)
{
    struct console_start *s = opaque;
    struct console *c = s->c;
    c->loop = s->loop;
    /* epoll refuses regular files and /dev/null: those are read on demand. */
    c->in_pollable = true;
    console_virtio_watch_in(c);
    if (c->in_open && !c->in_watched) c->in_pollable = false;
}

int console_virtio_start(struct console *c, struct ioloop *loop)
{
    struct console_start s = {c, loop};
    ioloop_run_sync(loop, console_virtio_start_on_loop, &s);
    return 0;
}

static void console_virtio_stop_on_loop(void *opaque)
{
    struct console *c = opaque;
    c->dev = NULL;
    if (c->in_watched) ioloop_del_fd(c->loop, c->in_fd);
    c->in_watched = false;
    if (c->out_waiting) ioloop_del_fd(c->loop, c->out_fd);
    c->out_waiting = false;
}

void console_virtio_stop(struct console *c)
{
    if (c->loop) ioloop_run_sync(c->loop, console_virtio_stop_on_loop, c);
    c->loop = NULL;
}

struct console_attach {
    struct console *c;
    struct virtio_console *dev;
};

static void console_virtio_set_on_loop(void *opaque)
{
    struct console_attach *a = opaque;
    a->c->dev = a->dev;
    /* A new device starts unblocked; output waiting for room resumes it. */
    console_virtio_deliver(a->c);
}

void console_virtio_set_device(struct console *c, struct virtio_console *dev)
{
    struct console_attach a = {c, dev};
    if (c->loop) ioloop_run_sync(c->loop, console_virtio_set_on_loop, &a);
}
