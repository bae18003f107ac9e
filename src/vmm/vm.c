/* The VMM run loop: calls hart_run() on each hart in turn, like KVM_RUN,
 * handles each exit, drives timers and the console, and sleeps when every
 * hart waits for an interrupt. Guest reboot rebuilds the board. */
#include "vmm/vm.h"

#include "machine/uart.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Instructions a hart runs before the loop looks at timers and input:
 * bounds interrupt latency to well under a millisecond. */
#define VM_SLICE 50000

static void vm_console_tx(void *opaque, uint8_t byte)
{
    struct vm *vm = opaque;
    console_putc(&vm->console, byte);
}

static int vm_build_board(struct vm *vm, char *err, size_t errlen)
{
    struct board_io io = {.console_tx = vm_console_tx, .wake = NULL, .opaque = vm};
    memset(vm->waiting, 0, sizeof(vm->waiting));
    return board_create(&vm->board, &vm->cfg.board, &io, &vm->clock, err, errlen);
}

int vm_create(struct vm **out, const struct vm_config *cfg, char *err, size_t errlen)
{
    struct vm *vm = calloc(1, sizeof(*vm));
    if (!vm) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    vm->cfg = *cfg;
    vclock_set(&vm->clock, 0);
    int rc = vm_build_board(vm, err, errlen);
    if (rc) {
        free(vm);
        return rc;
    }
    *out = vm;
    return 0;
}

/* Folds a board's counters into the VM's before the board goes away. */
static void vm_collect(struct vm *vm)
{
    struct board *b = vm->board;
    struct vm_totals *t = &vm->totals;
    for (unsigned k = 0; k < b->nharts; k++) {
        const struct hart_stats *s = &b->harts[k].stats;
        uint64_t *dst = (uint64_t *)&t->hart;
        const uint64_t *src = (const uint64_t *)s;
        for (size_t w = 0; w < sizeof(*s) / sizeof(uint64_t); w++)
            dst[w] += src[w];
        t->instret += b->harts[k].instret;
    }
    for (int r = 0; r < b->bus.nregions; r++) {
        t->mmio_names[r] = b->bus.regions[r].name;
        t->mmio_reads[r] += b->bus.regions[r].reads;
        t->mmio_writes[r] += b->bus.regions[r].writes;
    }
    if (b->bus.nregions > t->nregions)
        t->nregions = b->bus.nregions;
}

void vm_destroy(struct vm *vm)
{
    if (!vm)
        return;
    board_destroy(vm->board);
    free(vm);
}

static size_t vm_uart_sink(void *opaque, const uint8_t *buf, size_t n)
{
    struct board *b = opaque;
    int took = uart_receive(b->uart, buf, n);
    return took > 0 ? (size_t)took : 0;
}

/* How long the loop may sleep when every hart waits: until the next timer
 * event, capped so console input is still picked up promptly. */
static int idle_timeout_ms(struct vm *vm)
{
    uint64_t deadline = board_next_deadline_ns(vm->board);
    uint64_t now = clock_host_ns();
    if (deadline <= now)
        return 0;
    uint64_t ms = (deadline - now + 999999) / 1000000;
    return ms > 100 ? 100 : (int)ms;
}

int vm_run(struct vm *vm)
{
    console_open(&vm->console, STDIN_FILENO);
    vm->start_ns = clock_host_ns();
    int status = 0;
    for (;;) {
        struct board *b = vm->board;
        bool all_waiting = true;
        for (unsigned k = 0; k < b->nharts; k++) {
            struct rv_hart *h = &b->harts[k];
            if (vm->waiting[k]) {
                if (!hart_wfi_wakeup(h))
                    continue;
                vm->waiting[k] = false;
            }
            all_waiting = false;
            enum hart_exit e = hart_run(h, VM_SLICE);
            if (e == HART_EXIT_WFI)
                vm->waiting[k] = true;
            else if (e == HART_EXIT_FATAL) {
                fprintf(stderr, "rvmm: hart %u stopped on a fatal error at pc 0x%llx\n", k,
                        (unsigned long long)h->pc);
                status = -EFAULT;
                goto out;
            }
            if (b->request)
                break;
        }
        if (b->request == BOARD_POWEROFF) {
            status = 0;
            break;
        }
        if (b->request == BOARD_FAIL) {
            status = b->request_code;
            break;
        }
        if (b->request == BOARD_RESET) {
            char err[256];
            vm_collect(vm);
            board_destroy(vm->board);
            vm->board = NULL;
            vm->resets++;
            if (vm_build_board(vm, err, sizeof(err))) {
                fprintf(stderr, "rvmm: reboot failed: %s\n", err);
                status = -EIO;
                goto out;
            }
            continue;
        }
        board_update_timers(b);
        console_poll(&vm->console, all_waiting ? idle_timeout_ms(vm) : 0);
        console_deliver(&vm->console, vm_uart_sink, b);
        if (vm->console.quit)
            break;
        console_flush(&vm->console);
    }
out:
    console_close(&vm->console);
    if (vm->board)
        vm_collect(vm);
    return status;
}
