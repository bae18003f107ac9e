/* The VMM: one host thread per vCPU calls hart_run() and serves its exits
 * (WFI sleeps, SBI calls, shutdown requests), like a KVM_RUN loop; the main
 * thread serves UART console input and device timers and waits for a stop
 * request; the I/O thread serves the virtio devices' host side (and the
 * console with --console virtio). Guest reboot rebuilds the board and
 * restarts the threads. */
#include "vmm/vm.h"

#include "vmm/snapshot.h"

#include "backend/block/blockdev.h"
#include "backend/net/netdev.h"
#include "common/ioloop.h"
#include "machine/clint.h"
#include "machine/rtc.h"
#include "machine/uart.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Instructions a hart runs before its thread looks at timers and requests:
 * bounds timer latency to well under a millisecond. */
#define VM_SLICE 50000
/* The longest a sleeping vCPU waits before looking again. */
#define VM_MAX_SLEEP_NS 100000000ULL

static void vm_console_tx(void *opaque, uint8_t byte)
{
    struct vm *vm = opaque;
    console_putc(&vm->console, byte);
}

static bool vm_console_tx_ready(void *opaque)
{
    struct vm *vm = opaque;
    return console_tx_ready(&vm->console);
}

static void vm_wake_hart(void *opaque, unsigned hart)
{
    struct vm *vm = opaque;
    vcpu_wake(&vm->vcpus[hart]);
}

void vcpu_wake(struct vcpu *v)
{
    pthread_mutex_lock(&v->lock);
    if (v->sleeping || v->hsm == VCPU_STOPPED) pthread_cond_signal(&v->cond);
    pthread_mutex_unlock(&v->lock);
}

/* Makes every vCPU look at the VM's requests soon: a running hart leaves
 * hart_run() at its next block boundary, a sleeping one wakes. vm->lock
 * held, so the board cannot be swapped by a reboot meanwhile. */
static void vm_kick_all_locked(struct vm *vm)
{
    if (!vm->board) return;
    for (unsigned k = 0; k < vm->board->nharts; k++) {
        hart_kick(&vm->board->harts[k]);
        vcpu_wake(&vm->vcpus[k]);
    }
}

void vm_request_quit(struct vm *vm)
{
    /* Sticky, unlike a stop (vm_run clears that as it begins): a quit
     * asked before the run starts still ends it. */
    __atomic_store_n(&vm->quit_req, true, __ATOMIC_RELEASE);
}

void vm_request_stop(struct vm *vm, enum vm_stop why, int code)
{
    pthread_mutex_lock(&vm->lock);
    if (!vm->stop) {
        __atomic_store_n(&vm->fail_code, code, __ATOMIC_RELAXED);
        __atomic_store_n(&vm->stop, why, __ATOMIC_RELEASE);
    }
    pthread_cond_broadcast(&vm->cond);
    vm_kick_all_locked(vm);
    pthread_mutex_unlock(&vm->lock);
}

static bool vm_stopping(struct vm *vm)
{
    return __atomic_load_n(&vm->stop, __ATOMIC_ACQUIRE) != 0;
}

static bool vm_pausing(struct vm *vm)
{
    return __atomic_load_n(&vm->pause_req, __ATOMIC_ACQUIRE);
}

/* Holds the calling vCPU while a pause is requested. It is at an
 * instruction boundary (between slices, or asleep in WFI/suspend/HSM stop)
 * and holds no lock, so the VM's state is still while every vCPU is here. */
static void vcpu_park(struct vcpu *v)
{
    struct vm *vm = v->vm;
    if (!vm_pausing(vm)) return;
    pthread_mutex_lock(&v->lock);
    v->parked = true; /* a remote fence does not wait for a parked hart */
    pthread_mutex_unlock(&v->lock);
    pthread_mutex_lock(&vm->lock);
    vm->parked++;
    pthread_cond_broadcast(&vm->cond);
    while (vm->pause_req && !vm->stop)
        pthread_cond_wait(&vm->cond, &vm->lock);
    vm->parked--;
    pthread_mutex_unlock(&vm->lock);
    pthread_mutex_lock(&v->lock);
    v->parked = false;
    pthread_mutex_unlock(&v->lock);
}

static void board_stop_request(struct vm *vm)
{
    struct board *b = vm->board;
    int r = __atomic_load_n(&b->request, __ATOMIC_ACQUIRE);
    if (r == BOARD_POWEROFF)
        vm_request_stop(vm, VM_STOP_POWEROFF, 0);
    else if (r == BOARD_RESET)
        vm_request_stop(vm, VM_STOP_RESET, 0);
    else if (r == BOARD_FAIL)
        vm_request_stop(vm, VM_STOP_FAIL, b->request_code);
}

static void abs_deadline(struct timespec *ts, uint64_t host_ns)
{
    ts->tv_sec = (time_t)(host_ns / 1000000000ULL);
    ts->tv_nsec = (long)(host_ns % 1000000000ULL);
}

/* Sleeps until the hart has an interrupt to take (WFI, 3.3.3) or a timer
 * is due. Timers are re-evaluated without the vCPU lock held, because
 * raising a line calls vcpu_wake(), which takes it. */
void vcpu_suspend(struct vcpu *v, struct rv_hart *h)
{
    struct vm *vm = v->vm;
    for (;;) {
        clint_update(vm->board->clint);
        hart_update_timer(h);
        uint64_t deadline = clint_next_deadline_ns(vm->board->clint);
        uint64_t own = hart_timer_deadline_ns(h);
        if (own < deadline) deadline = own;
        uint64_t cap = clock_host_ns() + VM_MAX_SLEEP_NS;
        if (deadline > cap) deadline = cap;
        pthread_mutex_lock(&v->lock);
        /* Wakers change what is checked here (a line, a posted IPI, a stop)
         * before they signal under this lock, so no wake-up is lost and
         * none returns early: WFI and SBI suspend both rely on that. */
        if (hart_wfi_wakeup(h) || vm_stopping(vm) || vm->board->request) {
            pthread_mutex_unlock(&v->lock);
            return;
        }
        if (vm_pausing(vm)) { /* parks asleep: resumes sleeping afterwards */
            pthread_mutex_unlock(&v->lock);
            vcpu_park(v);
            continue;
        }
        v->sleeping = true;
        struct timespec ts;
        abs_deadline(&ts, deadline);
        pthread_cond_timedwait(&v->cond, &v->lock, &ts);
        v->sleeping = false;
        pthread_mutex_unlock(&v->lock);
    }
}

/* A stopped hart (HSM) waits for hart_start or the end of the VM. */
static void vcpu_wait_started(struct vcpu *v, struct rv_hart *h)
{
    pthread_mutex_lock(&v->lock);
    while (v->hsm == VCPU_STOPPED && !v->start_req && !vm_stopping(v->vm)) {
        if (vm_pausing(v->vm)) {
            pthread_mutex_unlock(&v->lock);
            vcpu_park(v);
            pthread_mutex_lock(&v->lock);
            continue;
        }
        pthread_cond_wait(&v->cond, &v->lock);
    }
    if (v->start_req) {
        sbi_hart_enter(h, v->start_addr, v->start_arg);
        v->start_req = false;
        v->hsm = VCPU_STARTED;
    }
    pthread_mutex_unlock(&v->lock);
}

static void *vcpu_thread(void *arg)
{
    struct vcpu *v = arg;
    struct vm *vm = v->vm;
    struct rv_hart *h = &vm->board->harts[v->id];
    while (!vm_stopping(vm)) {
        vcpu_park(v);
        if (vm_stopping(vm)) break;
        if (__atomic_load_n(&v->hsm, __ATOMIC_ACQUIRE) == VCPU_STOPPED) {
            vcpu_wait_started(v, h);
            continue;
        }
        enum hart_exit e = hart_run(h, VM_SLICE);
        /* A device request (poweroff, reset) comes before the exit: the
         * guest may have written the finisher and then executed wfi. */
        if (vm->board->request) {
            board_stop_request(vm);
            break;
        }
        clint_update(vm->board->clint);
        hart_update_timer(h);
        switch (e) {
        case HART_EXIT_WFI: vcpu_suspend(v, h); break;
        case HART_EXIT_SBI: sbi_handle(vm, v, h); break;
        case HART_EXIT_FATAL:
            fprintf(stderr, "rvmm: hart %u stopped on a fatal error at pc 0x%llx\n", v->id,
                    (unsigned long long)h->pc);
            vm_request_stop(vm, VM_STOP_FATAL, 0);
            break;
        default: break;
        }
        if (vm->board->request) board_stop_request(vm);
    }
    return NULL;
}

/* nthreads is set before the threads start, so a pause waiting for all of
 * them to park cannot be satisfied by the first one alone; every change of
 * it is broadcast, as a pause waits on it. */
static void vm_set_nthreads(struct vm *vm, unsigned n)
{
    pthread_mutex_lock(&vm->lock);
    vm->nthreads = n;
    pthread_cond_broadcast(&vm->cond);
    pthread_mutex_unlock(&vm->lock);
}

static int vm_start_vcpus(struct vm *vm)
{
    struct board *b = vm->board;
    vm_set_nthreads(vm, b->nharts);
    for (unsigned k = 0; k < b->nharts; k++) {
        struct vcpu *v = &vm->vcpus[k];
        if (pthread_create(&v->thread, NULL, vcpu_thread, v)) {
            vm_set_nthreads(vm, k);
            return -EAGAIN;
        }
        v->thread_running = true;
    }
    return 0;
}

static void vm_join_vcpus(struct vm *vm)
{
    for (unsigned k = 0; k < BOARD_MAX_HARTS; k++) {
        struct vcpu *v = &vm->vcpus[k];
        if (v->thread_running) pthread_join(v->thread, NULL);
        v->thread_running = false;
    }
    vm_set_nthreads(vm, 0);
}

static bool vm_virtio_console(const struct vm *vm)
{
    return vm->cfg.console == VM_CONSOLE_VIRTIO;
}

/* Builds a board and puts the vCPUs in their reset HSM states (with the
 * builtin SBI only the boot hart runs; the others wait for hart_start).
 * ram_file: restoring, RAM comes from the snapshot's memory file. */
static int vm_build_board(struct vm *vm, const char *ram_file, char *err, size_t errlen)
{
    struct board_io io = {.console_tx = vm_virtio_console(vm) ? NULL : vm_console_tx,
                          .console_tx_ready = vm_virtio_console(vm) ? NULL : vm_console_tx_ready,
                          .wake = vm_wake_hart,
                          .opaque = vm,
                          .loop = vm->loop,
                          .console_host = &vm->console_host};
    struct board_config bc = vm->cfg.board;
    bc.ram_file = ram_file;
    struct board *b;
    int rc = board_create(&b, &bc, &io, &vm->clock, err, errlen);
    if (rc) return rc;
    for (unsigned k = 0; k < b->nharts; k++) {
        struct vcpu *v = &vm->vcpus[k];
        v->vm = vm;
        v->id = k;
        v->start_req = v->sleeping = v->parked = false;
        v->hsm = (vm->cfg.board.sbi_builtin && k != 0) ? VCPU_STOPPED : VCPU_STARTED;
        if (vm->cfg.board.sbi_builtin) sbi_hart_init(&b->harts[k]);
    }
    pthread_mutex_lock(&vm->lock);
    vm->board = b;
    pthread_mutex_unlock(&vm->lock);
    return 0;
}

_Static_assert(VM_MAX_DRIVES <= BOARD_MAX_DRIVES, "every drive needs a board slot");

/* Opens every --drive once: the backends outlive the boards that guest
 * reboots rebuild, so what the guest wrote stays where it was. */
static int vm_open_drives(struct vm *vm, char *err, size_t errlen)
{
    struct board_config *bc = &vm->cfg.board;
    if (vm->cfg.ndrives > VM_MAX_DRIVES) {
        snprintf(err, errlen, "too many drives (at most %d)", VM_MAX_DRIVES);
        return -EINVAL;
    }
    for (unsigned k = 0; k < vm->cfg.ndrives; k++) {
        const struct vm_drive *d = &vm->cfg.drives[k];
        int rc = blockdev_open_dir(&vm->drives[k], d->path, (enum blockdev_format)d->format,
                                   d->readonly, d->backing_dir, err, errlen);
        if (rc) return rc;
        bc->drives[k] = (struct board_drive){
            .bd = vm->drives[k], .readonly = d->readonly, .serial = d->id[0] ? d->id : NULL};
    }
    bc->ndrives = vm->cfg.ndrives;
    return 0;
}

_Static_assert(VM_MAX_NETS <= BOARD_MAX_NETS, "every --net needs a board NIC");

/* Opens each --net backend and hands it to the board config; the first NIC
 * gets QEMU's default MAC 52:54:00:12:34:56, the next :57, and so on. */
static int vm_open_nets(struct vm *vm, char *err, size_t errlen)
{
    for (unsigned k = 0; k < vm->cfg.nnets; k++) {
        const struct vm_net *n = &vm->cfg.nets[k];
        int rc = netdev_open(&vm->nets[k], n->spec, vm->loop, err, errlen);
        if (rc) return rc;
        struct board_net *bn = &vm->cfg.board.nets[k];
        bn->dev = vm->nets[k];
        if (n->has_mac)
            memcpy(bn->mac, n->mac, 6);
        else
            memcpy(bn->mac, (uint8_t[6]){0x52, 0x54, 0x00, 0x12, 0x34, (uint8_t)(0x56 + k)}, 6);
    }
    vm->cfg.board.nnets = vm->cfg.nnets;
    return 0;
}

static int vm_create_with(struct vm **out, const struct vm_config *cfg, char *strings,
                          const char *ram_file, char *err, size_t errlen)
{
    struct vm *vm = calloc(1, sizeof(*vm));
    if (!vm) {
        free(strings);
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    vm->cfg = *cfg;
    vm->cfg.board.ram_file = NULL; /* a reboot builds a fresh board */
    vm->cfg_strings = strings;
    vm->cfg.board.virtio_console = vm_virtio_console(vm);
    console_virtio_host(&vm->console, &vm->console_host);
    pthread_mutex_init(&vm->lock, NULL);
    pthread_mutex_init(&vm->ctl_lock, NULL);
    pthread_cond_init(&vm->cond, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    for (unsigned k = 0; k < BOARD_MAX_HARTS; k++) {
        pthread_mutex_init(&vm->vcpus[k].lock, NULL);
        pthread_cond_init(&vm->vcpus[k].cond, &ca);
    }
    pthread_condattr_destroy(&ca);
    vclock_set(&vm->clock, 0);
    int rc = ioloop_create(&vm->loop);
    if (!rc) rc = ioloop_start(vm->loop);
    if (rc) {
        snprintf(err, errlen, "cannot start the I/O thread: %s", strerror(-rc));
        vm_destroy(vm);
        return rc;
    }
    rc = vm_open_drives(vm, err, errlen);
    if (!rc) rc = vm_open_nets(vm, err, errlen);
    if (!rc) rc = vm_build_board(vm, ram_file, err, errlen);
    if (rc) {
        vm_destroy(vm);
        return rc;
    }
    *out = vm;
    return 0;
}

int vm_create(struct vm **out, const struct vm_config *cfg, char *err, size_t errlen)
{
    return vm_create_with(out, cfg, NULL, NULL, err, errlen);
}

int vm_create_restoring(struct vm **out, const struct vm_config *cfg, char *strings,
                        const char *ram_file, char *err, size_t errlen)
{
    return vm_create_with(out, cfg, strings, ram_file, err, errlen);
}

/* Adds up counters made of uint64_t fields only. */
static void vm_add_counters(void *dst, const void *src, size_t size)
{
    uint64_t *d = dst;
    const uint64_t *s = src;
    for (size_t w = 0; w < size / sizeof(uint64_t); w++)
        d[w] += s[w];
}

/* On the I/O thread, where the disks count their requests. */
static void vm_collect_disks(void *opaque)
{
    struct vm *vm = opaque;
    for (unsigned k = 0; k < vm->board->cfg.ndrives; k++)
        if (vm->board->blk[k])
            vm_add_counters(&vm->totals.disks[k], virtio_blk_stats(vm->board->blk[k]),
                            sizeof(struct virtio_blk_stats));
}

/* Folds a board's counters into the VM's before the board goes away;
 * vm->lock held, so vm_stats_read() never counts a board twice. */
static void vm_collect(struct vm *vm)
{
    vm_totals_add(&vm->totals, vm);
    for (unsigned k = 0; k < vm->board->nharts; k++)
        vm->vcpus[k].sbi_calls = 0;
}

void vm_destroy(struct vm *vm)
{
    if (!vm) return;
    /* A VM destroyed while paused: devices deregister from the I/O thread,
     * which cannot happen while it is parked. */
    if (vm->loop) ioloop_resume(vm->loop);
    board_destroy(vm->board);
    for (unsigned k = 0; k < VM_MAX_NETS; k++)
        netdev_close(vm->nets[k]);
    ioloop_destroy(vm->loop);
    for (unsigned k = 0; k < VM_MAX_DRIVES; k++) {
        /* What the guest wrote is on the host disk however rvmm stops. */
        if (vm->drives[k]) blockdev_flush(vm->drives[k]);
        blockdev_close(vm->drives[k]);
    }
    for (unsigned k = 0; k < BOARD_MAX_HARTS; k++) {
        pthread_mutex_destroy(&vm->vcpus[k].lock);
        pthread_cond_destroy(&vm->vcpus[k].cond);
    }
    pthread_mutex_destroy(&vm->lock);
    pthread_mutex_destroy(&vm->ctl_lock);
    pthread_cond_destroy(&vm->cond);
    free(vm->cfg_strings);
    free(vm);
}

static size_t vm_uart_sink(void *opaque, const uint8_t *buf, size_t n)
{
    struct board *b = opaque;
    int took = uart_receive(b->uart, buf, n);
    return took > 0 ? (size_t)took : 0;
}

/* The main thread: UART console input, the RTC alarm, and waiting for a
 * stop. A virtio-console's input is the I/O thread's. While paused, UART
 * input stays queued and the RTC is left alone. */
static void vm_serve(struct vm *vm)
{
    while (!vm_stopping(vm)) {
        /* A virtio-console's input is the I/O thread's; output from the
         * UART and the SBI console is written out from here. */
        console_poll(&vm->console, 10, !vm_virtio_console(vm));
        if (!vm_virtio_console(vm) && !vm_pausing(vm))
            console_deliver(&vm->console, vm_uart_sink, vm->board);
        if (!vm_pausing(vm)) rtc_update(vm->board->rtc);
        if (console_drain(&vm->console)) uart_tx_kick(vm->board->uart);
        if (console_quit(&vm->console) || __atomic_load_n(&vm->quit_req, __ATOMIC_ACQUIRE))
            vm_request_stop(vm, VM_STOP_QUIT, 0);
    }
}

int vm_run(struct vm *vm)
{
    console_open(&vm->console, STDIN_FILENO);
    if (vm_virtio_console(vm)) {
        console_virtio_start(&vm->console, vm->loop);
        console_virtio_set_device(&vm->console, vm->board->vcon);
    }
    vm->start_ns = clock_host_ns();
    pthread_mutex_lock(&vm->lock);
    vm->started = true;
    if (vm->state == VM_STATE_NOT_STARTED) vm->state = VM_STATE_RUNNING;
    pthread_mutex_unlock(&vm->lock);
    int status = 0;
    for (;;) {
        __atomic_store_n(&vm->stop, VM_STOP_NONE, __ATOMIC_RELEASE);
        if (vm_start_vcpus(vm)) {
            vm_request_stop(vm, VM_STOP_FATAL, 0);
            vm_join_vcpus(vm);
            status = -EAGAIN;
            break;
        }
        vm_serve(vm);
        vm_join_vcpus(vm);
        if (vm->stop != VM_STOP_RESET) {
            status = vm->stop == VM_STOP_FAIL    ? vm->fail_code
                     : vm->stop == VM_STOP_FATAL ? -EFAULT
                                                 : 0;
            break;
        }
        char err[256];
        ioloop_run_sync(vm->loop, vm_collect_disks, vm);
        console_virtio_set_device(&vm->console, NULL);
        pthread_mutex_lock(&vm->lock);
        vm_collect(vm);
        struct board *old = vm->board;
        vm->board = NULL;
        pthread_mutex_unlock(&vm->lock);
        board_destroy(old);
        vm->resets++;
        if (vm_build_board(vm, NULL, err, sizeof(err))) {
            fprintf(stderr, "rvmm: reboot failed: %s\n", err);
            status = -EIO;
            break;
        }
        console_virtio_set_device(&vm->console, vm->board->vcon);
    }
    console_virtio_stop(&vm->console);
    console_close(&vm->console);
    /* The disks count on the I/O thread; the rest under vm->lock, with the
     * end of the run, so vm_stats_read() never counts a board twice. */
    if (vm->board) ioloop_run_sync(vm->loop, vm_collect_disks, vm);
    pthread_mutex_lock(&vm->lock);
    if (vm->board) vm_collect(vm);
    vm->totals.sbi = vm->sbi;
    vm->finished = true;
    vm->state = VM_STATE_NOT_STARTED;
    vm->pause_req = false;
    pthread_cond_broadcast(&vm->cond);
    pthread_mutex_unlock(&vm->lock);
    return status;
}

enum vm_state vm_state(struct vm *vm)
{
    pthread_mutex_lock(&vm->lock);
    enum vm_state s = vm->state;
    pthread_mutex_unlock(&vm->lock);
    return s;
}

int vm_pause(struct vm *vm)
{
    pthread_mutex_lock(&vm->ctl_lock);
    pthread_mutex_lock(&vm->lock);
    if (vm->state != VM_STATE_RUNNING) {
        pthread_mutex_unlock(&vm->lock);
        pthread_mutex_unlock(&vm->ctl_lock);
        return -EINVAL;
    }
    __atomic_store_n(&vm->pause_req, true, __ATOMIC_RELEASE);
    vm_kick_all_locked(vm);
    /* A reboot in between joins the old threads (nthreads drops to 0) and
     * starts new ones, which park before running: wait for those. */
    while (!(vm->nthreads && vm->parked == vm->nthreads) && !vm->finished)
        pthread_cond_wait(&vm->cond, &vm->lock);
    int rc = 0;
    if (vm->finished) {
        rc = -EINVAL;
    } else {
        vm->state = VM_STATE_PAUSED;
        vm->paused_ticks = vclock_ticks(&vm->clock);
    }
    pthread_mutex_unlock(&vm->lock);
    /* The I/O thread finishes the callback it is in and parks: no backend
     * touches guest RAM or a device while paused (input waits in the host). */
    if (!rc) ioloop_pause(vm->loop);
    pthread_mutex_unlock(&vm->ctl_lock);
    return rc;
}

int vm_resume(struct vm *vm)
{
    pthread_mutex_lock(&vm->ctl_lock);
    pthread_mutex_lock(&vm->lock);
    int rc = -EINVAL;
    if (vm->state == VM_STATE_PAUSED) {
        /* Guest time stood still while paused: no jump for the guest's
         * timers and watchdogs. */
        vclock_set(&vm->clock, vm->paused_ticks);
        ioloop_resume(vm->loop);
        vm->pause_req = false;
        vm->state = vm->started && !vm->finished ? VM_STATE_RUNNING : VM_STATE_NOT_STARTED;
        pthread_cond_broadcast(&vm->cond);
        rc = 0;
    }
    pthread_mutex_unlock(&vm->lock);
    pthread_mutex_unlock(&vm->ctl_lock);
    return rc;
}
