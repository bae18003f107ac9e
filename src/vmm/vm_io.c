/* The VM's work on the I/O thread besides the devices' own: host stdin to
 * the UART (the default console), the RTC alarm, writing guest output out
 * of the console's ring (never blocking: a stuck stdout is retried every
 * VM_IO_RETRY_MS), and turning Ctrl-A x or a stop signal into a stop. So the main thread has
 * nothing to poll and sleeps until the VM's state changes. While the VM is
 * paused the I/O thread is parked: input waits in the host, the RTC is left
 * alone. All of it runs on the I/O thread (the prepare hook before each
 * wait, a watch on stdin, two events); other threads change what it sees
 * only through ioloop_run_sync(). */
#include "vmm/vm_impl.h"

#include "backend/net/netdev.h"
#include "common/ioloop.h"
#include "machine/rtc.h"
#include "machine/uart.h"

#include <limits.h>
#include <string.h>
#include <sys/epoll.h>

/* While input is waiting for room in the UART's FIFO (or stdin is a file
 * epoll cannot watch), the loop looks again this often. */
#define VM_IO_RETRY_MS 10

static bool vm_io_uart_console(const struct vm *vm)
{
    return vm->cfg.console == VM_CONSOLE_UART;
}

static void vm_io_nothing(void *opaque)
{
    (void)opaque; /* the wake-up itself is the point: prepare runs again */
}

/* Writes what the console's ring holds without blocking; once a full ring
 * has room again the UART stops reporting THR busy. What a stuck stdout
 * refused is tried again by vm_io_prepare. */
static void vm_io_drain(struct vm *vm)
{
    if (console_drain(&vm->console) && vm->io.board) uart_tx_kick(vm->io.board->uart);
}

static void vm_io_flush(void *opaque)
{
    struct vm *vm = opaque;
    __atomic_store_n(&vm->io.out_dirty, false, __ATOMIC_RELEASE);
    if (vm->io.started) vm_io_drain(vm); /* else vm_io_stop drained it last */
}

size_t vm_console_write(struct vm *vm, const uint8_t *buf, size_t n)
{
    size_t took = console_write(&vm->console, buf, n);
    if (took && vm->io.flush && !__atomic_exchange_n(&vm->io.out_dirty, true, __ATOMIC_ACQ_REL))
        ioloop_event_post(vm->io.flush);
    return took;
}

void vm_console_putc(struct vm *vm, uint8_t byte)
{
    vm_console_write(vm, &byte, 1);
}

void vm_request_quit(struct vm *vm)
{
    /* Sticky, and seen by the I/O thread once vm_run started it: a quit
     * asked before the run still ends it. */
    __atomic_store_n(&vm->io.quit_req, true, __ATOMIC_RELEASE);
    if (vm->io.wake) ioloop_event_post(vm->io.wake);
    /* A paused VM's I/O thread is parked and would see it only after a
     * resume: stop the VM from here. */
    pthread_mutex_lock(&vm->lock);
    bool parked = vm->io_parked;
    pthread_mutex_unlock(&vm->lock);
    if (parked) vm_request_stop(vm, VM_STOP_QUIT, 0);
}

static void vm_io_rtc_changed(void *opaque)
{
    struct vm *vm = opaque;
    ioloop_event_post(vm->io.wake);
}

static size_t vm_io_uart_sink(void *opaque, const uint8_t *buf, size_t n)
{
    int took = uart_receive(opaque, buf, n);
    return took > 0 ? (size_t)took : 0;
}

static void vm_io_in_ready(void *opaque, uint32_t events);

/* stdin is watched while there is room to keep what it brings; a full
 * buffer leaves the rest in the terminal, not in our memory. */
static void vm_io_watch_in(struct vm *vm)
{
    struct console *c = &vm->console;
    bool want = vm->io.started && vm_io_uart_console(vm) && vm->io.in_pollable && c->in_open &&
                c->npending < sizeof(c->pending);
    if (want == vm->io.in_watched) return;
    if (want) {
        if (ioloop_add_fd(vm->loop, c->in_fd, EPOLLIN, vm_io_in_ready, vm) == 0)
            vm->io.in_watched = true;
    } else {
        ioloop_del_fd(vm->loop, c->in_fd);
        vm->io.in_watched = false;
    }
}

/* Hands what stdin brought to the UART, as much as its FIFO takes; a file
 * epoll cannot watch is read here, as the FIFO makes room. */
static void vm_io_deliver(struct vm *vm)
{
    struct console *c = &vm->console;
    struct board *b = vm->io.board;
    for (;;) {
        if (b) console_deliver(c, vm_io_uart_sink, b->uart);
        if (vm->io.in_pollable || !c->in_open || c->npending) break;
        console_read(c);
        if (!c->npending) break;
    }
    vm_io_watch_in(vm);
}

/* Ctrl-A x, seen by either console's input, or a stop signal: the VM stops. */
static void vm_io_check_quit(struct vm *vm)
{
    if (vm->io.quit_sent ||
        !(console_quit(&vm->console) || __atomic_load_n(&vm->io.quit_req, __ATOMIC_ACQUIRE)))
        return;
    vm->io.quit_sent = true;
    vm_request_stop(vm, VM_STOP_QUIT, 0);
}

static void vm_io_in_ready(void *opaque, uint32_t events)
{
    struct vm *vm = opaque;
    console_read(&vm->console);
    vm_io_deliver(vm);
    vm_io_check_quit(vm);
}

static void vm_io_lower(int *timeout_ms, uint64_t ms)
{
    if (ms > INT_MAX) ms = INT_MAX;
    if (*timeout_ms < 0 || (uint64_t)*timeout_ms > ms) *timeout_ms = (int)ms;
}

/* Before each wait of the I/O loop: input, the alarm, and how long the
 * loop may sleep before one of them needs it again. */
static void vm_io_prepare(void *opaque, int *timeout_ms)
{
    struct vm *vm = opaque;
    if (!vm->io.started) return;
    vm_io_check_quit(vm);
    if (console_out_blocked(&vm->console)) {
        vm_io_drain(vm); /* stdout refused some: try again soon */
        if (console_out_blocked(&vm->console)) vm_io_lower(timeout_ms, VM_IO_RETRY_MS);
    }
    struct board *b = vm->io.board;
    if (!b) return;
    if (vm_io_uart_console(vm)) {
        struct console *c = &vm->console;
        vm_io_deliver(vm);
        if (c->npending || (!vm->io.in_pollable && c->in_open))
            vm_io_lower(timeout_ms, VM_IO_RETRY_MS);
    }
    rtc_update(b->rtc);
    uint64_t due = rtc_next_deadline_ns(b->rtc);
    if (due != UINT64_MAX) {
        uint64_t now = clock_host_ns();
        vm_io_lower(timeout_ms, due > now ? (due - now + 999999) / 1000000 : 0);
    }
}

int vm_io_init(struct vm *vm)
{
    int rc = ioloop_event_new(vm->loop, vm_io_nothing, vm, &vm->io.wake);
    if (!rc) rc = ioloop_event_new(vm->loop, vm_io_flush, vm, &vm->io.flush);
    if (!rc) rc = ioloop_add_prepare(vm->loop, vm_io_prepare, vm);
    return rc;
}

void vm_io_fini(struct vm *vm)
{
    ioloop_del_prepare(vm->loop, vm_io_prepare, vm);
    ioloop_event_free(vm->io.wake);
    ioloop_event_free(vm->io.flush);
    vm->io.wake = vm->io.flush = NULL;
}

static void vm_io_start_on_loop(void *opaque)
{
    struct vm *vm = opaque;
    vm->io.started = true;
    vm->io.quit_sent = false;
    /* epoll refuses regular files and /dev/null: those are read on demand. */
    vm->io.in_pollable = true;
    vm_io_watch_in(vm);
    if (vm_io_uart_console(vm) && vm->console.in_open && !vm->io.in_watched)
        vm->io.in_pollable = false;
}

void vm_io_start(struct vm *vm)
{
    ioloop_run_sync(vm->loop, vm_io_start_on_loop, vm);
    ioloop_event_post(vm->io.wake);
}

static void vm_io_stop_on_loop(void *opaque)
{
    struct vm *vm = opaque;
    vm->io.started = false;
    vm_io_watch_in(vm);
    vm_io_drain(vm);
}

void vm_io_stop(struct vm *vm)
{
    ioloop_run_sync(vm->loop, vm_io_stop_on_loop, vm);
}

/* A RARP announcement (what QEMU's announce_self sends): from the NIC's
 * MAC to the broadcast address, so the switches of the network the VM
 * arrived on learn where it is now. */
static void vm_io_announce_on_loop(void *opaque)
{
    struct vm *vm = opaque;
    for (unsigned k = 0; k < vm->cfg.nnets; k++) {
        struct netdev *nd = vm->nets[k];
        const uint8_t *mac = vm->cfg.board.nets[k].mac;
        if (!nd) continue;
        uint8_t f[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
        memcpy(f + 6, mac, 6);
        static const uint8_t rarp[] = {0x80, 0x35, 0, 1, 8, 0, 6, 4, 0, 3};
        memcpy(f + 12, rarp, sizeof(rarp)); /* ethertype, htype 1, ptype IPv4, op 3 */
        memcpy(f + 22, mac, 6);             /* sender MAC; sender IP 0 */
        memcpy(f + 32, mac, 6);             /* target MAC; target IP 0 */
        nd->ops->send(nd, f, sizeof(f));
    }
}

void vm_announce(struct vm *vm)
{
    ioloop_run_sync(vm->loop, vm_io_announce_on_loop, vm);
}

struct vm_io_board {
    struct vm *vm;
    struct board *board;
};

static void vm_io_set_board_on_loop(void *opaque)
{
    struct vm_io_board *a = opaque;
    a->vm->io.board = a->board;
}

void vm_io_set_board(struct vm *vm, struct board *b)
{
    if (b) rtc_set_notify(b->rtc, vm_io_rtc_changed, vm);
    ioloop_run_sync(vm->loop, vm_io_set_board_on_loop, &(struct vm_io_board){vm, b});
    if (b) ioloop_event_post(vm->io.wake);
}
