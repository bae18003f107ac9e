/* The stdio console: guest output to stdout, host stdin to the guest. A
 * terminal is put in raw mode (restored on exit) and Ctrl-A x quits, as in
 * QEMU; stdin from a pipe or /dev/null works too (EOF only stops input).
 * With the UART (the default) the I/O thread watches stdin (vm_io.c); with a
 * virtio-console both directions are served on the I/O thread
 * (console_virtio.c). */
#ifndef RVMM_BACKEND_CHARDEV_CONSOLE_H
#define RVMM_BACKEND_CHARDEV_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <termios.h>

struct ioloop;
struct virtio_console;
struct virtio_console_host;

/* Guest output held for stdout: vCPU threads (UART, SBI console) put
 * bytes in, the I/O thread writes them out without blocking. Bounded:
 * when it is full the UART reports THR busy and further bytes are dropped,
 * so a stuck stdout never stops a vCPU, Ctrl-A x or the API. */
#define CONSOLE_OUT_RING (64 * 1024)

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
    /* Guest output: out_fd is a non-blocking descriptor of stdout's file
     * of our own (so O_NONBLOCK never leaks into the shell's terminal or
     * pipe); the ring below feeds it for the UART and SBI console, the
     * I/O thread writes virtio-console output to it directly. */
    int out_fd;
    bool out_own;        /* out_fd was opened here */
    int out_saved_flags; /* stdout's flags, when made non-blocking in place */
    pthread_mutex_t out_lock;
    uint8_t out_ring[CONSOLE_OUT_RING];
    size_t out_head, out_len;
    bool out_busy;    /* the ring filled: the UART waits for uart_tx_kick */
    bool out_blocked; /* the last write met a full stdout: try again later */
    /* --console virtio, owned by the I/O thread once started. */
    struct ioloop *loop;
    struct virtio_console *dev; /* the current board's device, or NULL */
    bool out_waiting;           /* the host is full: EPOLLOUT armed */
    bool in_watched;            /* stdin is on the loop */
    bool in_pollable;           /* epoll can watch stdin (not a regular file) */
};

void console_open(struct console *c, int in_fd);
/* Writes what output is left (waiting at most a second for a stuck
 * stdout), restores the terminal and closes what console_open opened. */
void console_close(struct console *c);
/* Any thread: queues one byte of guest output (dropped when the ring is
 * full) / as many of n as fit, returning how many were taken. */
void console_putc(struct console *c, uint8_t byte);
size_t console_write(struct console *c, const uint8_t *buf, size_t n);
/* Whether the ring has room (the UART's tx_ready). */
bool console_tx_ready(struct console *c);
/* Writes queued output without blocking (the I/O thread, or the main
 * thread while that is parked); true when the ring had filled and has room
 * again (the UART is then kicked). */
bool console_drain(struct console *c);
/* Whether output is waiting because stdout refused it (try again later). */
bool console_out_blocked(struct console *c);
/* Reads what stdin has now into pending (after it polled readable). */
void console_read(struct console *c);
bool console_quit(const struct console *c);
/* Hands pending input to `sink`, which returns how many bytes it took. */
void console_deliver(struct console *c, size_t (*sink)(void *opaque, const uint8_t *buf, size_t n),
                     void *opaque);

/* --console virtio (console_virtio.c). The device's host callbacks, with
 * opaque = c; valid once console_virtio_start() ran. */
void console_virtio_host(struct console *c, struct virtio_console_host *h);
/* Moves stdin and virtio output onto the I/O thread (after console_open). */
int console_virtio_start(struct console *c, struct ioloop *loop);
void console_virtio_stop(struct console *c);
/* Connects input to dev (NULL while the board is rebuilt); waits for the
 * I/O thread, so no callback uses the old device afterwards. */
void console_virtio_set_device(struct console *c, struct virtio_console *dev);

#endif
