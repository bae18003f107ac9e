/* The stdio console: guest output to stdout, host stdin to the guest. A
 * terminal is put in raw mode (restored on exit) and Ctrl-A x quits, as in
 * QEMU; stdin from a pipe or /dev/null works too (EOF only stops input).
 * With the UART (the default) the main thread polls stdin; with a
 * virtio-console both directions are served on the I/O thread
 * (console_virtio.c). */
#ifndef RVMM_VMM_CONSOLE_H
#define RVMM_VMM_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

struct ioloop;
struct virtio_console;
struct virtio_console_host;

struct console {
    int in_fd;
    bool in_open;
    bool is_tty;
    bool raw;
    struct termios saved;
    bool escape; /* the previous byte was Ctrl-A */
    bool quit;   /* Ctrl-A x seen (atomic: set on the I/O thread) */
    uint8_t pending[4096];
    size_t npending;
    /* --console virtio, owned by the I/O thread once started. */
    struct ioloop *loop;
    struct virtio_console *dev; /* the current board's device, or NULL */
    int out_fd;                 /* guest output, non-blocking */
    bool out_own;               /* out_fd was opened here */
    int out_saved_flags;        /* stdout's flags, when made non-blocking */
    bool out_waiting;           /* the host is full: EPOLLOUT armed */
    bool in_watched;            /* stdin is on the loop */
    bool in_pollable;           /* epoll can watch stdin (not a regular file) */
};

void console_open(struct console *c, int in_fd);
void console_close(struct console *c);
void console_putc(struct console *c, uint8_t byte);
void console_flush(struct console *c);
/* Waits up to timeout_ms (0 = poll) for input; keeps what arrived in pending. */
void console_poll(struct console *c, int timeout_ms);
/* Reads what stdin has now into pending (after it polled readable). */
void console_read(struct console *c);
bool console_quit(const struct console *c);
/* Hands pending input to `sink`, which returns how many bytes it took. */
void console_deliver(struct console *c, size_t (*sink)(void *opaque, const uint8_t *buf, size_t n),
                     void *opaque);

/* --console virtio (console_virtio.c). The device's host callbacks, with
 * opaque = c; valid once console_virtio_start() ran. */
void console_virtio_host(struct console *c, struct virtio_console_host *h);
/* Moves stdin and stdout onto the I/O thread (after console_open). */
int console_virtio_start(struct console *c, struct ioloop *loop);
void console_virtio_stop(struct console *c);
/* Connects input to dev (NULL while the board is rebuilt); waits for the
 * I/O thread, so no callback uses the old device afterwards. */
void console_virtio_set_device(struct console *c, struct virtio_console *dev);

#endif
