/* The stdio console: guest UART output to stdout, host stdin to the guest.
 * A terminal is put in raw mode (restored on exit) and Ctrl-A x quits, as in
 * QEMU; stdin from a pipe or /dev/null works too (EOF only stops input). */
#ifndef RVMM_VMM_CONSOLE_H
#define RVMM_VMM_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

struct console {
    int in_fd;
    bool in_open;
    bool is_tty;
    bool raw;
    struct termios saved;
    bool escape; /* the previous byte was Ctrl-A */
    bool quit;   /* Ctrl-A x seen */
    uint8_t pending[4096];
    size_t npending;
};

void console_open(struct console *c, int in_fd);
void console_close(struct console *c);
void console_putc(struct console *c, uint8_t byte);
void console_flush(struct console *c);
/* Waits up to timeout_ms (0 = poll) for input; keeps what arrived in pending. */
void console_poll(struct console *c, int timeout_ms);
/* Hands pending input to `sink`, which returns how many bytes it took. */
void console_deliver(struct console *c, size_t (*sink)(void *opaque, const uint8_t *buf, size_t n),
                     void *opaque);

#endif
