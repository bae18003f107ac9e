/* The VM's lifecycle: building it (drives, nets, the board), vm_run()
 * starting the vCPU threads (vcpu.c) and rebuilding the board on a guest
 * reset, and the one state machine (enum vm_state) whose every change goes
 * through vm_transition() below. The main thread sleeps on the condition
 * variable until the state asks something of it (park the I/O thread for
 * a pause, join the vCPUs for a stop); console input, the RTC alarm and
 * output flushes are the I/O thread's (vm_io.c). */
#include "vmm/vm_impl.h"

#include "vmm/balloon.h"
#include "vmm/gdbstub.h"
#include "vmm/seccomp.h"
#include "vmm/snapshot.h"

#include "backend/block/blockdev.h"
#include "backend/net/netdev.h"
#include "backend/vsock/vsock_mux.h"
#include "common/ioloop.h"
#include "machine/uart.h"

#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static void vm_console_tx(void *opaque, uint8_t byte)
{
    vm_console_putc(opaque, byte);
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

/* Makes every vCPU look at the VM's requests soon: a running hart leaves
 * hart_run() at its next block boundary, a sleeping one wakes. vm->lock
 * held, so the board cannot be swapped by a reboot meanwhile. */
void vm_kick_all_locked(struct vm *vm)
{
    if (!vm->board) return;
    for (unsigned k = 0; k < vm->board->nharts; k++) {
        hart_kick(&vm->board->harts[k]);
        vcpu_wake(&vm->vcpus[k]);
    }
}

/* The state machine. vm_next[state][event] is the state `event` leads to,
 * or -1 where it is not allowed. REBOOTED is decided in vm_transition():
 * back to reboot_to (RUNNING, or PAUSING when a pause came before or
 * during the reset, so the new vCPUs park first). A stop while STOPPING
 * keeps the state; vm_request_stop() lets a stop for good replace a
 * reset's reason. */
#define X -1
static const signed char vm_next[VM_STATE_COUNT][VM_EV_MIGRATE_END + 1] = {
    /*                    RUN           PAUSE          PARKED        RESUME         STOP
                          REBOOTED      END            MIGRATE       MIGRATE_END */
    [VM_STATE_CREATED] = {VM_STATE_RUNNING, VM_STATE_PAUSED, X, X, X, X, VM_STATE_FINISHED, X, X},
    [VM_STATE_RUNNING] = {VM_STATE_RUNNING, VM_STATE_PAUSING, X, X, VM_STATE_STOPPING, X,
                          VM_STATE_FINISHED, VM_STATE_MIGRATING, X},
    [VM_STATE_PAUSING] = {X, VM_STATE_PAUSING, VM_STATE_PAUSED, X, VM_STATE_STOPPING, X,
                          VM_STATE_FINISHED, X, X},
    [VM_STATE_PAUSED] = {VM_STATE_PAUSED, X, X, VM_STATE_RUNNING, VM_STATE_STOPPING, X,
                         VM_STATE_FINISHED, X, X},
    [VM_STATE_MIGRATING] = {X, VM_STATE_PAUSING, X, X, VM_STATE_STOPPING, X, VM_STATE_FINISHED, X,
                            VM_STATE_RUNNING},
    [VM_STATE_STOPPING] = {X, X, X, X, VM_STATE_STOPPING, VM_STATE_RUNNING, VM_STATE_FINISHED, X,
                           X},
    [VM_STATE_FINISHED] = {X, X, X, X, X, X, X, X, X},
};
#undef X

static const char *const vm_state_names[VM_STATE_COUNT] = {
    [VM_STATE_CREATED] = "Created",     [VM_STATE_RUNNING] = "Running",
    [VM_STATE_PAUSING] = "Pausing",     [VM_STATE_PAUSED] = "Paused",
    [VM_STATE_MIGRATING] = "Migrating", [VM_STATE_STOPPING] = "Stopping",
    [VM_STATE_FINISHED] = "Finished"};

const char *vm_state_name(enum vm_state s)
{
    return (unsigned)s < VM_STATE_COUNT ? vm_state_names[s] : "?";
}

int vm_transition(struct vm *vm, enum vm_event ev)
{
    int next = vm_next[vm->state][ev];
    if (next < 0) return -EINVAL;
    if (ev == VM_EV_REBOOTED) next = vm->reboot_to;
    if (next == VM_STATE_PAUSED && vm->state != VM_STATE_PAUSED)
        vm->paused_ticks = vclock_ticks(&vm->clock); /* guest time stops here */
    __atomic_store_n(&vm->state, next, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&vm->cond);
    return 0;
}

void vm_request_stop(struct vm *vm, enum vm_stop why, int code)
{
    pthread_mutex_lock(&vm->lock);
    enum vm_state was = vm->state;
    if (was == VM_STATE_STOPPING) {
        /* The first reason wins, but a reset only stops the VM for a
         * moment: a stop for good (quit, poweroff, migrated) replaces it,
         * so the reboot does not happen. */
        if (vm->stop_reason == VM_STOP_RESET && why != VM_STOP_RESET) {
            vm->stop_reason = why;
            vm->fail_code = code;
        }
    } else if (!vm_transition(vm, VM_EV_STOP)) {
        vm->stop_reason = why;
        vm->fail_code = code;
        vm->reboot_to = was == VM_STATE_PAUSING ? VM_STATE_PAUSING : VM_STATE_RUNNING;
    }
    vm_kick_all_locked(vm);
    pthread_mutex_unlock(&vm->lock);
}

enum vm_state vm_state(struct vm *vm)
{
    pthread_mutex_lock(&vm->lock);
    enum vm_state s = vm->state;
    pthread_mutex_unlock(&vm->lock);
    return s;
}

enum vm_stop vm_stop_reason(struct vm *vm)
{
    pthread_mutex_lock(&vm->lock);
    enum vm_stop r = vm->stop_reason;
    pthread_mutex_unlock(&vm->lock);
    return r;
}

enum vm_state vm_wait_state(struct vm *vm, unsigned mask, uint64_t timeout_ns)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts); /* vm->cond runs on the default clock */
    uint64_t end = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec + timeout_ns;
    ts.tv_sec = (time_t)(end / 1000000000ULL);
    ts.tv_nsec = (long)(end % 1000000000ULL);
    pthread_mutex_lock(&vm->lock);
    while (!(mask & VM_STATE_BIT(vm->state))) {
        if (!timeout_ns)
            pthread_cond_wait(&vm->cond, &vm->lock);
        else if (pthread_cond_timedwait(&vm->cond, &vm->lock, &ts) == ETIMEDOUT)
            break;
    }
    enum vm_state s = vm->state;
    pthread_mutex_unlock(&vm->lock);
    return s;
}

void vm_wait_started(struct vm *vm)
{
    pthread_mutex_lock(&vm->lock);
    while (!vm->started && vm->state != VM_STATE_FINISHED)
        pthread_cond_wait(&vm->cond, &vm->lock);
    pthread_mutex_unlock(&vm->lock);
}

/* A reset's STOPPING that will come back pausing counts as pausing. */
static bool vm_pause_pending_locked(const struct vm *vm)
{
    return vm->state == VM_STATE_PAUSING ||
           (vm->state == VM_STATE_STOPPING && vm->stop_reason == VM_STOP_RESET &&
            vm->reboot_to == VM_STATE_PAUSING);
}

/* vm->lock held. A migration's switch-over may pause a MIGRATING VM; a
 * user may not (the migration would be left without its guest). */
static int vm_pause_request_locked(struct vm *vm, bool migration)
{
    if (vm->state == VM_STATE_MIGRATING && !migration) return -EBUSY;
    if (vm->state == VM_STATE_STOPPING && vm->stop_reason == VM_STOP_RESET) {
        vm->reboot_to = VM_STATE_PAUSING; /* the rebuilt board's vCPUs park first */
        return 0;
    }
    if (vm->state == VM_STATE_CREATED) return -EINVAL; /* vm_pause() does that one */
    int rc = vm_transition(vm, VM_EV_PAUSE);
    if (!rc) vm_kick_all_locked(vm);
    return rc;
}

int vm_pause_request(struct vm *vm)
{
    pthread_mutex_lock(&vm->lock);
    int rc = vm_pause_request_locked(vm, false);
    pthread_mutex_unlock(&vm->lock);
    return rc;
}

int vm_wait_paused(struct vm *vm)
{
    pthread_mutex_lock(&vm->lock);
    while (vm_pause_pending_locked(vm))
        pthread_cond_wait(&vm->cond, &vm->lock);
    int rc = vm->state == VM_STATE_PAUSED ? 0 : -EINVAL;
    pthread_mutex_unlock(&vm->lock);
    return rc;
}

/* Nothing runs before vm_run(): the I/O thread is parked first, then the
 * VM is PAUSED, so vm_run() starts its vCPUs parked. */
static int vm_pause_created(struct vm *vm)
{
    ioloop_pause(vm->loop);
    pthread_mutex_lock(&vm->lock);
    int rc = vm->state == VM_STATE_CREATED ? vm_transition(vm, VM_EV_PAUSE) : -EAGAIN;
    if (!rc) vm->io_parked = true;
    pthread_mutex_unlock(&vm->lock);
    if (rc) ioloop_resume(vm->loop);
    return rc;
}

int vm_pause_for(struct vm *vm, bool migration)
{
    pthread_mutex_lock(&vm->ctl_lock);
    int rc = -EAGAIN;
    if (vm_state(vm) == VM_STATE_CREATED) rc = vm_pause_created(vm);
    if (rc == -EAGAIN) { /* not CREATED (any more): pause the running VM */
        pthread_mutex_lock(&vm->lock);
        rc = vm->state == VM_STATE_PAUSING ? 0 : vm_pause_request_locked(vm, migration);
        pthread_mutex_unlock(&vm->lock);
        if (!rc) rc = vm_wait_paused(vm);
    }
    pthread_mutex_unlock(&vm->ctl_lock);
    return rc;
}

int vm_pause(struct vm *vm)
{
    return vm_pause_for(vm, false);
}

static int vm_resume_locked(struct vm *vm);

int vm_resume(struct vm *vm)
{
    pthread_mutex_lock(&vm->ctl_lock);
    pthread_mutex_lock(&vm->lock);
    int rc = vm_resume_locked(vm);
    pthread_mutex_unlock(&vm->lock);
    pthread_mutex_unlock(&vm->ctl_lock);
    return rc;
}

/* vm->lock held: PAUSED back to RUNNING, guest time from where it stood. */
static int vm_resume_locked(struct vm *vm)
{
    if (vm->state != VM_STATE_PAUSED) return -EINVAL;
    if (vm->mig_hold) return -EBUSY; /* its migration sends it as it stands */
    /* Guest time stood still while paused: no jump for the guest's timers
     * and watchdogs. */
    vclock_set(&vm->clock, vm->paused_ticks);
    if (vm->io_parked) ioloop_resume(vm->loop);
    vm->io_parked = false;
    return vm_transition(vm, VM_EV_RESUME);
}

int vm_migration_begin(struct vm *vm, void (*while_paused)(void *opaque), void *opaque)
{
    pthread_mutex_lock(&vm->ctl_lock);
    pthread_mutex_lock(&vm->lock);
    int rc = vm->state == VM_STATE_RUNNING ? vm_pause_request_locked(vm, false) : -EINVAL;
    pthread_mutex_unlock(&vm->lock);
    if (!rc) rc = vm_wait_paused(vm);
    if (!rc) {
        while_paused(opaque);
        pthread_mutex_lock(&vm->lock);
        vm_resume_locked(vm);
        rc = vm_transition(vm, VM_EV_MIGRATE);
        pthread_mutex_unlock(&vm->lock);
    }
    pthread_mutex_unlock(&vm->ctl_lock);
    return rc;
}

int vm_migration_begin_paused(struct vm *vm, void (*while_paused)(void *opaque), void *opaque,
                              bool *paused)
{
    pthread_mutex_lock(&vm->ctl_lock);
    pthread_mutex_lock(&vm->lock);
    *paused = vm->state == VM_STATE_PAUSED;
    if (*paused) vm->mig_hold = true;
    pthread_mutex_unlock(&vm->lock);
    if (*paused) {
        while_paused(opaque);
        pthread_mutex_unlock(&vm->ctl_lock);
        return 0;
    }
    pthread_mutex_unlock(&vm->ctl_lock);
    return vm_migration_begin(vm, while_paused, opaque);
}

void vm_migration_abort(struct vm *vm)
{
    pthread_mutex_lock(&vm->lock);
    vm->mig_hold = false;
    if (vm->state == VM_STATE_MIGRATING) vm_transition(vm, VM_EV_MIGRATE_END);
    pthread_mutex_unlock(&vm->lock);
}

int vm_migration_switchover(struct vm *vm)
{
    pthread_mutex_lock(&vm->ctl_lock);
    pthread_mutex_lock(&vm->lock);
    int rc = vm->state == VM_STATE_PAUSED && vm->mig_hold ? 0
             : vm->state == VM_STATE_MIGRATING            ? vm_pause_request_locked(vm, true)
                                                          : -EINVAL;
    while (!rc && vm->state == VM_STATE_PAUSING)
        pthread_cond_wait(&vm->cond, &vm->lock);
    if (!rc && vm->state != VM_STATE_PAUSED) {
        /* Stopped or reset while pausing: a reset's board must not come
         * back paused with nobody to resume it. */
        if (vm->state == VM_STATE_STOPPING) vm->reboot_to = VM_STATE_RUNNING;
        rc = -EINVAL;
    }
    pthread_mutex_unlock(&vm->lock);
    if (rc) pthread_mutex_unlock(&vm->ctl_lock);
    return rc;
}

void vm_migration_finish(struct vm *vm, bool completed)
{
    if (completed) {
        vm_request_stop(vm, VM_STOP_MIGRATED, 0);
    } else {
        pthread_mutex_lock(&vm->lock);
        if (vm->mig_hold) /* it was paused before: it stays so, and may be resumed */
            vm->mig_hold = false;
        else
            vm_resume_locked(vm);
        pthread_mutex_unlock(&vm->lock);
    }
    pthread_mutex_unlock(&vm->ctl_lock);
}

struct board *vm_board_pin(struct vm *vm)
{
    pthread_mutex_lock(&vm->lock);
    struct board *b = vm->board;
    if (b) vm->board_pins++;
    pthread_mutex_unlock(&vm->lock);
    return b;
}

void vm_board_unpin(struct vm *vm)
{
    pthread_mutex_lock(&vm->lock);
    vm->board_pins--;
    pthread_cond_broadcast(&vm->cond);
    pthread_mutex_unlock(&vm->lock);
}

const struct vm_config *vm_get_config(const struct vm *vm)
{
    return &vm->cfg;
}

int vm_net_stats(struct vm *vm, unsigned k, struct netdev_stats *out)
{
    if (k >= vm->cfg.nnets || !vm->nets[k]) return -ENODEV;
    netdev_get_stats(vm->nets[k], out);
    return 0;
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
    for (unsigned k = 0; k < vm->nvcpus; k++) {
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
static int vm_build_board(struct vm *vm, const char *ram_file, void *ram_host, char *err,
                          size_t errlen)
{
    struct board_io io = {.console_tx = vm_virtio_console(vm) ? NULL : vm_console_tx,
                          .console_tx_ready = vm_virtio_console(vm) ? NULL : vm_console_tx_ready,
                          .wake = vm_wake_hart,
                          .opaque = vm,
                          .loop = vm->loop,
                          .console_host = &vm->console_host,
                          .balloon_host = &vm->balloon_host,
                          .boot_done = vm_boot_done};
    struct board_config bc = vm->cfg.board;
    bc.ram_file = ram_file;
    bc.ram_host = ram_host;
    struct board *b;
    int rc = board_create(&b, &bc, &io, &vm->clock, err, errlen);
    if (rc) return rc;
    /* The boot images were read into buffers now freed. After a freed
     * mmap'd one (the kernel) malloc raises its mmap and trim thresholds,
     * so the next (the initramfs) came from the heap and its pages would
     * stay resident for the VM's life: 2.7 MiB of a 42 MiB guest. */
    malloc_trim(0);
    rc = vm_memory_setup(vm, b);
    if (rc) {
        snprintf(err, errlen, "cannot set up guest memory: %s", strerror(-rc));
        board_destroy(b);
        return rc;
    }
    for (unsigned k = 0; k < b->nharts; k++) {
        struct vcpu *v = &vm->vcpus[k];
        v->vm = vm;
        v->id = k;
        v->start_req = v->sleeping = v->parked = false;
        memset(&v->pmu, 0, sizeof(v->pmu)); /* SBI PMU: no counter handed out */
        /* Under KVM the kernel holds secondary harts until HSM starts them. */
        v->hsm = (vm->cfg.board.sbi_builtin && k != 0 && vm->cfg.board.engine != HART_ENGINE_KVM)
                     ? VCPU_STOPPED
                     : VCPU_STARTED;
        if (vm->cfg.board.sbi_builtin) sbi_hart_init(&b->harts[k]);
    }
    vcpu_idle_reset(vm);
    /* Diff snapshots: from here on every write to RAM is logged. A
     * restored RAM is its snapshot's memory file, so that is the first
     * base; a booted or reset one has none until a Full snapshot. */
    if (vm->cfg.track_dirty && (rc = ram_dirty_log_start(&b->ram))) {
        snprintf(err, errlen, "track_dirty_pages: cannot log dirty pages: %s", strerror(-rc));
        board_destroy(b);
        return rc;
    }
    if (vm->gdb) gdbstub_board_built(vm->gdb, b);
    vm->diff_base = vm->cfg.track_dirty && ram_file;
    pthread_mutex_lock(&vm->lock);
    vm->board = b;
    pthread_mutex_unlock(&vm->lock);
    vm_io_set_board(vm, b);
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
        bc->drives[k] = (struct board_drive){.bd = vm->drives[k],
                                             .readonly = d->readonly,
                                             .serial = d->id[0] ? d->id : NULL,
                                             .rl = d->rl};
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
        int rc = netdev_open(&vm->nets[k], n->spec, n->mtu, vm->loop, err, errlen);
        if (rc) return rc;
        struct board_net *bn = &vm->cfg.board.nets[k];
        bn->dev = vm->nets[k];
        bn->mtu = n->mtu;
        bn->rx_rl = n->rx_rl;
        bn->tx_rl = n->tx_rl;
        if (n->has_mac)
            memcpy(bn->mac, n->mac, 6);
        else
            memcpy(bn->mac, (uint8_t[6]){0x52, 0x54, 0x00, 0x12, 0x34, (uint8_t)(0x56 + k)}, 6);
    }
    vm->cfg.board.nnets = vm->cfg.nnets;
    return 0;
}

/* vm->cfg = *cfg without the drive slots past ndrives: each is 8 KiB of
 * paths, and copying all twelve would make ~100 KiB of struct vm (fresh
 * zero pages from calloc) resident for drives the VM does not have. */
_Static_assert(offsetof(struct vm_config, ndrives) ==
                   offsetof(struct vm_config, drives) + sizeof(((struct vm_config *)0)->drives),
               "ndrives follows the drive slots");

static void vm_config_copy(struct vm_config *dst, const struct vm_config *src)
{
    unsigned n = src->ndrives < VM_MAX_DRIVES ? src->ndrives : VM_MAX_DRIVES;
    memcpy(dst, src, offsetof(struct vm_config, drives));
    for (unsigned k = 0; k < n; k++)
        dst->drives[k] = src->drives[k];
    memcpy(&dst->ndrives, &src->ndrives, sizeof(*src) - offsetof(struct vm_config, ndrives));
}

/* The part of a VM that needs neither its RAM nor its backends: the
 * structure, its locks and the I/O thread. strings is the VM's from here
 * (freed on failure). */
static int vm_create_base(struct vm **out, const struct vm_config *cfg, char *strings, char *err,
                          size_t errlen)
{
    struct vm *vm = calloc(1, sizeof(*vm));
    /* A slot per hart the VM has, which a restore or reboot keeps. */
    unsigned nvcpus = cfg->board.nharts;
    if (nvcpus < 1 || nvcpus > BOARD_MAX_HARTS) nvcpus = BOARD_MAX_HARTS;
    if (vm) vm->vcpus = calloc(nvcpus, sizeof(*vm->vcpus));
    if (!vm || !vm->vcpus) {
        if (vm) free(vm);
        free(strings);
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    vm_config_copy(&vm->cfg, cfg);
    vm->cfg.board.ram_file = NULL; /* a reboot builds a fresh board */
    vm->cfg.board.ram_host = NULL;
    vm->nvcpus = nvcpus;
    vm->cfg_strings = strings;
    vm->cfg.board.virtio_console = vm_virtio_console(vm);
    console_virtio_host(&vm->console, &vm->console_host);
    vm_balloon_host_init(vm);
    pthread_mutex_init(&vm->lock, NULL);
    pthread_mutex_init(&vm->ctl_lock, NULL);
    pthread_mutex_init(&vm->stats_lock, NULL);
    pthread_cond_init(&vm->cond, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    for (unsigned k = 0; k < vm->nvcpus; k++) {
        pthread_mutex_init(&vm->vcpus[k].lock, NULL);
        pthread_cond_init(&vm->vcpus[k].cond, &ca);
    }
    pthread_condattr_destroy(&ca);
    vcpu_idle_init(vm);
    vclock_set(&vm->clock, 0);
    vm_boot_timer_start(vm);
    int rc = ioloop_create(&vm->loop);
    if (!rc) rc = ioloop_start(vm->loop);
    if (!rc) rc = vm_io_init(vm);
    if (rc) {
        snprintf(err, errlen, "cannot start the I/O thread: %s", strerror(-rc));
        vm_destroy(vm);
        return rc;
    }
    *out = vm;
    return 0;
}

/* The rest: drives and nets opened, the board built around ram_file or
 * ram_host (which is the board's, or unmapped, from here). */
static int vm_create_rest(struct vm *vm, const char *ram_file, void *ram_host, char *err,
                          size_t errlen)
{
    int rc = vm_open_drives(vm, err, errlen);
    if (!rc) rc = vm_open_nets(vm, err, errlen);
    if (!rc && vm->cfg.vsock.on &&
        !(rc = vsock_mux_open(&vm->vsock, vm->cfg.vsock.cid, vm->cfg.vsock.uds_path, vm->loop, err,
                              errlen)))
        vm->cfg.board.vsock = vm->vsock;
    if (!rc)
        rc = vm_build_board(vm, ram_file, ram_host, err, errlen);
    else if (ram_host)
        munmap(ram_host, vm->cfg.board.ram_size);
    return rc;
}

static int vm_create_with(struct vm **out, const struct vm_config *cfg, char *strings,
                          const char *ram_file, void *ram_host, char *err, size_t errlen)
{
    struct vm *vm;
    int rc = vm_create_base(&vm, cfg, strings, err, errlen);
    if (rc) {
        if (ram_host) munmap(ram_host, cfg->board.ram_size);
        return rc;
    }
    if ((rc = vm_create_rest(vm, ram_file, ram_host, err, errlen))) {
        vm_destroy(vm);
        return rc;
    }
    *out = vm;
    return 0;
}

int vm_create(struct vm **out, const struct vm_config *cfg, char *err, size_t errlen)
{
    return vm_create_with(out, cfg, NULL, NULL, NULL, err, errlen);
}

int vm_create_restoring(struct vm **out, const struct vm_config *cfg, char *strings,
                        const char *ram_file, char *err, size_t errlen)
{
    return vm_create_with(out, cfg, strings, ram_file, NULL, err, errlen);
}

int vm_incoming_prepare(struct vm **out, const struct vm_config *cfg, char *strings, char *err,
                        size_t errlen)
{
    int rc = vm_create_base(out, cfg, strings, err, errlen);
    /* Parked now, while the pages still come: the switch-over's pause
     * then finds it parked (snap_apply_paused), and the board is built
     * around it, its registrations made inline. */
    if (!rc) ioloop_pause((*out)->loop);
    return rc;
}

int vm_incoming_finish(struct vm *vm, void *ram_host, char *err, size_t errlen)
{
    return vm_create_rest(vm, NULL, ram_host, err, errlen);
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
    mig_free(vm);
    /* A VM destroyed while paused lets its I/O thread run again for the
     * devices' teardown, except after a migration: its guest runs
     * elsewhere now, and a request left in a ring must not reach a shared
     * disk from here (devices can deregister from a parked loop). */
    if (vm->loop && vm->stop_reason != VM_STOP_MIGRATED) ioloop_resume(vm->loop);
    if (vm->loop) vm_io_set_board(vm, NULL);
    board_destroy(vm->board);
    for (unsigned k = 0; k < VM_MAX_NETS; k++)
        netdev_close(vm->nets[k]);
    vsock_mux_close(vm->vsock);
    if (vm->loop) vm_io_fini(vm);
    ioloop_destroy(vm->loop);
    for (unsigned k = 0; k < VM_MAX_DRIVES; k++) {
        /* What the guest wrote is on the host disk however rvmm stops. */
        if (vm->drives[k]) blockdev_flush(vm->drives[k]);
        blockdev_close(vm->drives[k]);
    }
    for (unsigned k = 0; k < vm->nvcpus; k++) {
        pthread_mutex_destroy(&vm->vcpus[k].lock);
        pthread_cond_destroy(&vm->vcpus[k].cond);
    }
    vcpu_idle_destroy(vm);
    pthread_mutex_destroy(&vm->lock);
    pthread_mutex_destroy(&vm->ctl_lock);
    pthread_mutex_destroy(&vm->stats_lock);
    pthread_cond_destroy(&vm->cond);
    free(vm->cfg_strings);
    free(vm->vcpus);
    free(vm);
}

/* The main thread between starting the vCPUs and joining them: asleep on
 * vm->cond until the state needs it. A pause whose vCPUs have all parked
 * is finished here, by parking the I/O thread (which cannot be done by a
 * vCPU or under vm->lock, as the I/O thread may be taking it). */
static void vm_serve(struct vm *vm)
{
    pthread_mutex_lock(&vm->lock);
    while (vm->state != VM_STATE_STOPPING) {
        if (vm->state == VM_STATE_PAUSING && vm->nthreads && vm->parked == vm->nthreads) {
            pthread_mutex_unlock(&vm->lock);
            ioloop_pause(vm->loop);
            /* Guest output before the pause (a full ring's UART kicked). */
            if (console_drain(&vm->console) && vm->board) uart_tx_kick(vm->board->uart);
            pthread_mutex_lock(&vm->lock);
            if (!vm_transition(vm, VM_EV_PARKED))
                vm->io_parked = true;
            else
                ioloop_resume(vm->loop); /* stopped meanwhile: the stop needs the loop */
            continue;
        }
        pthread_cond_wait(&vm->cond, &vm->lock);
    }
    pthread_mutex_unlock(&vm->lock);
}

/* A reset: the old board's counters are folded into the totals (under
 * stats_lock, so vm_stats_read() never counts them twice or misses them)
 * and a fresh board is built from the same configuration. */
static int vm_reboot(struct vm *vm)
{
    char err[256];
    console_virtio_set_device(&vm->console, NULL);
    vm_io_set_board(vm, NULL);
    pthread_mutex_lock(&vm->stats_lock);
    ioloop_run_sync(vm->loop, vm_collect_disks, vm);
    pthread_mutex_lock(&vm->lock);
    while (vm->board_pins) /* a migration notices the reset and lets go */
        pthread_cond_wait(&vm->cond, &vm->lock);
    vm_collect(vm);
    struct board *old = vm->board;
    vm->board = NULL;
    pthread_mutex_unlock(&vm->lock);
    pthread_mutex_unlock(&vm->stats_lock);
    board_destroy(old);
    vm->resets++;
    if (vm_build_board(vm, NULL, NULL, err, sizeof(err))) {
        fprintf(stderr, "rvmm: reboot failed: %s\n", err);
        return -EIO;
    }
    console_virtio_set_device(&vm->console, vm->board->vcon);
    pthread_mutex_lock(&vm->lock);
    int rc = 1; /* a stop for good came during the reboot: it stands */
    if (vm->stop_reason == VM_STOP_RESET) {
        vm->stop_reason = VM_STOP_NONE;
        vm_transition(vm, VM_EV_REBOOTED);
        rc = 0;
    }
    pthread_mutex_unlock(&vm->lock);
    return rc;
}

void vm_set_seccomp(struct vm *vm, const struct seccomp_filters *f)
{
    vm->seccomp = f;
}

struct vm_confine_req {
    const struct seccomp_filters *f;
    int rc;
};

/* On the I/O loop: its own list on top of the process's (seccomp.h). */
static void vm_confine_loop(void *opaque)
{
    struct vm_confine_req *r = opaque;
    r->rc = seccomp_confine_thread(SECCOMP_KIND_IO, r->f);
}

int vm_run(struct vm *vm)
{
    if (seccomp_active()) {
        struct vm_confine_req r = {vm->seccomp, 0};
        ioloop_run_sync(vm->loop, vm_confine_loop, &r);
        if (r.rc) {
            fprintf(stderr, "rvmm: I/O thread: cannot install the seccomp filter: %s\n",
                    strerror(-r.rc));
            return r.rc;
        }
    }
    console_open(&vm->console, STDIN_FILENO);
    if (vm_virtio_console(vm)) {
        console_virtio_start(&vm->console, vm->loop);
        console_virtio_set_device(&vm->console, vm->board->vcon);
    }
    vm_io_start(vm);
    vm->start_ns = clock_host_ns();
    pthread_mutex_lock(&vm->lock);
    vm->started = true;
    vm_transition(vm, VM_EV_RUN);
    pthread_mutex_unlock(&vm->lock);
    int status = 0;
    for (;;) {
        if (vm_start_vcpus(vm)) {
            vm_request_stop(vm, VM_STOP_FATAL, 0);
            vm_join_vcpus(vm);
            status = -EAGAIN;
            break;
        }
        vm_serve(vm);
        vm_join_vcpus(vm);
        if (vm_stop_reason(vm) == VM_STOP_RESET) {
            int rc = vm_reboot(vm);
            if (rc < 0) {
                status = rc;
                break;
            }
            if (rc == 0) continue;
        }
        enum vm_stop why = vm_stop_reason(vm);
        status = why == VM_STOP_FAIL ? vm->fail_code : why == VM_STOP_FATAL ? -EFAULT : 0;
        break;
    }
    vm_io_stop(vm);
    console_virtio_stop(&vm->console);
    console_close(&vm->console);
    /* The disks count on the I/O thread; the rest under vm->lock, with the
     * end of the run, so vm_stats_read() never counts a board twice. */
    pthread_mutex_lock(&vm->stats_lock);
    if (vm->board) ioloop_run_sync(vm->loop, vm_collect_disks, vm);
    pthread_mutex_lock(&vm->lock);
    if (vm->board) vm_collect(vm);
    vm->totals.sbi = vm->sbi;
    vm_transition(vm, VM_EV_END);
    pthread_mutex_unlock(&vm->lock);
    pthread_mutex_unlock(&vm->stats_lock);
    return status;
}
