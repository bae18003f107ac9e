/* struct vm and what the files of src/vmm share about it: the vCPU
 * threads (vcpu.c), the I/O-loop side (vm_io.c), snapshots, SBI and
 * statistics. Front ends never include this: they see vm.h only.
 *
 * Locks, in the order they nest: ctl_lock (one lifecycle operation at a
 * time: pause, resume, snapshot, migration switch-over), stats_lock (a
 * board's disk counters are folded once), lock (the state, the counters of
 * parked threads, the board pointer), then a vCPU's lock. lock may be taken
 * on the I/O thread (a console quit), so nobody waits for the I/O thread
 * (ioloop_pause, ioloop_run_sync) while holding it. */
#ifndef RVMM_VMM_VM_IMPL_H
#define RVMM_VMM_VM_IMPL_H

#include "common/clock.h"
#include "machine/virtio/virtio_console.h"
#include "backend/chardev/console.h"
#include "vmm/vcpu.h"
#include "vmm/vcpu_idle.h"
#include "vmm/vm.h"

struct ioloop_event;
struct vsock_mux;

/* What the I/O thread serves for the VM besides the devices (vm_io.c):
 * UART console input, the RTC alarm, stdout flushes, the console's quit. */
struct vm_io {
    struct board *board;        /* the I/O thread's view: changed only through run_sync */
    struct ioloop_event *wake;  /* re-evaluate timers (an RTC alarm was armed) */
    struct ioloop_event *flush; /* guest output is waiting in stdout's buffer */
    bool out_dirty;             /* atomic: a flush is posted */
    bool quit_sent;             /* the console's quit was turned into a stop */
    bool quit_req;              /* atomic: vm_request_quit() (a stop signal) */
    bool out_watched;           /* stdout is full: EPOLLOUT armed to drain the rest */
    bool in_watched;            /* UART console: stdin is on the loop */
    bool in_pollable;           /* epoll can watch stdin (not a regular file) */
    bool started;
};

struct vm {
    struct vm_config cfg;
    struct board *board;
    struct vclock clock;
    struct console console;
    struct virtio_console_host console_host; /* --console virtio: console's side */
    struct ioloop *loop;                     /* the I/O thread; outlives boards across reboots */
    struct vm_io io;
    /* Opened once from cfg.drives; cfg.board.drives point at them. */
    struct blockdev *drives[VM_MAX_DRIVES];
    struct netdev *nets[VM_MAX_NETS]; /* opened once, outlive boards too */
    struct vsock_mux *vsock;          /* cfg.vsock's host side, or NULL; outlives boards */
    struct vcpu *vcpus; /* nvcpus slots: the board's harts (--smp), not BOARD_MAX_HARTS */
    unsigned nvcpus;
    struct vcpu_idle idle;      /* vcpu_idle.c: one thread wakes for all idle harts' timers */
    pthread_mutex_t ctl_lock;   /* serializes pause, resume, snapshot and switch-over */
    pthread_mutex_t stats_lock; /* a board's disk counters are read or folded under it */
    pthread_mutex_t lock;       /* guards the lifecycle fields below and the board pointer */
    pthread_cond_t cond;        /* broadcast on every change of them */
    int state;                  /* enum vm_state: written under lock by vm_transition() only */
    int stop_reason;            /* enum vm_stop: why STOPPING / FINISHED */
    int reboot_to;              /* enum vm_state: where a reset's STOPPING returns to */
    bool started;               /* vm_run() was entered */
    bool io_parked;             /* the I/O thread is parked for the pause */
    unsigned nthreads, parked;  /* vCPU threads of the current board, and how many are parked */
    unsigned board_pins;        /* a migration reads the board's RAM: a reset waits for it */
    unsigned throttle_pct;      /* atomic: auto-converge's share of each vCPU's time */
    struct mig *mig;            /* the last migration sent (migration_send.c), or NULL */
    bool mig_hold;              /* a paused VM is being migrated: a resume is refused */
    bool diff_base; /* track_dirty: the dirty log runs from the last snapshot (or restore) on */
    uint64_t paused_ticks; /* guest time when the pause took hold: it resumes from there */
    int fail_code;
    uint64_t start_ns;
    uint64_t resets;
    struct vm_totals totals;
    struct sbi_stats sbi;                    /* updated by vCPU threads with atomics */
    char *cfg_strings;                       /* a restored VM's storage behind cfg's paths */
    struct virtio_balloon_host balloon_host; /* vmm/balloon.c: the discard policy */
    struct gdbstub *gdb;                     /* --gdb: the debugger stub, or NULL */
    /* Boot timer (boot_timer.c): when the VM was created, and the hook. */
    uint64_t boot_start_ns, boot_start_cpu_ns;
    void (*boot_fn)(void *opaque, uint64_t us, uint64_t cpu_us);
    void *boot_opaque;
    /* vm_set_seccomp: the I/O loop's and vCPUs' programs, NULL for rvmm's. */
    const struct seccomp_filters *seccomp;
};

/* boot_timer.c: the start of the boot's clock (vm_create), and the
 * board's boot_done callback. */
void vm_boot_timer_start(struct vm *vm);
void vm_boot_done(void *opaque);

/* The state as a vCPU reads it between slices, without the lock. */
static inline enum vm_state vm_state_peek(const struct vm *vm)
{
    return (enum vm_state)__atomic_load_n(&vm->state, __ATOMIC_ACQUIRE);
}

/* The vCPU threads are to end (a stop was requested or the run is over). */
static inline bool vm_stopping(const struct vm *vm)
{
    enum vm_state s = vm_state_peek(vm);
    return s == VM_STATE_STOPPING || s == VM_STATE_FINISHED;
}

/* The vCPUs are to park (a pause was requested or holds). */
static inline bool vm_pausing(const struct vm *vm)
{
    enum vm_state s = vm_state_peek(vm);
    return s == VM_STATE_PAUSING || s == VM_STATE_PAUSED;
}

/* Lifecycle events, the inputs of vm.c's transition table. */
enum vm_event {
    VM_EV_RUN,        /* vm_run() entered */
    VM_EV_PAUSE,      /* a pause was requested */
    VM_EV_PARKED,     /* every vCPU and the I/O thread parked */
    VM_EV_RESUME,     /* vm_resume() */
    VM_EV_STOP,       /* vm_request_stop() */
    VM_EV_REBOOTED,   /* the board was rebuilt after a reset */
    VM_EV_END,        /* vm_run() returns */
    VM_EV_MIGRATE,    /* a migration starts sending memory */
    VM_EV_MIGRATE_END /* it failed or was cancelled before the switch-over */
};
/* The one place the state changes: 0 with the new state broadcast, or
 * -EINVAL (nothing changed) if `ev` is not allowed now. vm->lock held. */
int vm_transition(struct vm *vm, enum vm_event ev);

/* vm_pause(), or for a migration's switch-over, which may pause a
 * MIGRATING VM. */
int vm_pause_for(struct vm *vm, bool migration);
/* Makes every vCPU look at the state soon. vm->lock held. */
void vm_kick_all_locked(struct vm *vm);
/* The vCPU thread (vcpu.c). */
void *vcpu_thread(void *arg);
/* Wakes a sleeping vCPU (an interrupt line rose, a start was posted). */
void vcpu_wake(struct vcpu *v);
/* Sleeps the calling vCPU until an enabled interrupt is pending (WFI, SBI
 * HSM suspend). Returns 0, or an exit (+ 1) that the idle server's run of
 * this hart reached, for the caller to serve (vcpu_idle.h). */
int vcpu_suspend(struct vcpu *v, struct rv_hart *h);

/* Guest output through the console's bounded ring, written out soon by
 * the I/O thread; vm_console_write returns how many bytes fit. */
void vm_console_putc(struct vm *vm, uint8_t byte);
size_t vm_console_write(struct vm *vm, const uint8_t *buf, size_t n);

/* The I/O-loop side (vm_io.c). vm_io_init once the loop runs; vm_io_start
 * and vm_io_stop around vm_run (stdin on the loop for a UART console);
 * vm_io_set_board whenever the board changes (NULL before it goes). */
int vm_io_init(struct vm *vm);
void vm_io_fini(struct vm *vm);
void vm_io_start(struct vm *vm);
void vm_io_stop(struct vm *vm);
void vm_io_set_board(struct vm *vm, struct board *b);

/* The index of the running VM's drive `id` (vm_drive.c), or -ENOENT with
 * the API's message in err. */
int vm_drive_index(const struct vm *vm, const char *id, char *err, size_t errlen);

/* For migration, in two steps so the switch-over's pause does not wait
 * for an I/O thread to start: prepare (once the hello is accepted) makes a
 * VM without RAM or backends, its I/O thread parked (cfg's strings are
 * the VM's, even on failure); finish (with the final state) opens the
 * drives and nets and builds the board as vm_create() would, around
 * ram_host (anonymous, ram_size bytes, filled by the stream; the VM's from
 * then on, even on failure) with no image loaded. On failure of finish,
 * vm_destroy the VM. */
int vm_incoming_prepare(struct vm **out, const struct vm_config *cfg, char *strings, char *err,
                        size_t errlen);
int vm_incoming_finish(struct vm *vm, void *ram_host, char *err, size_t errlen);

/* The current board, kept from a reset's rebuild until unpinned (a
 * migration reads its RAM while the guest runs). NULL if there is none. */
struct board *vm_board_pin(struct vm *vm);
void vm_board_unpin(struct vm *vm);
/* The lifecycle steps of a migration's source (vm.c), each under
 * ctl_lock so no pause or resume by a user slips in between:
 * begin pauses a RUNNING VM, calls while_paused (dirty logging starts
 * there), and lets it run on as MIGRATING; abort makes a MIGRATING VM
 * RUNNING again; switchover pauses a MIGRATING VM and returns 0 with
 * ctl_lock still held, until finish either ends the VM (completed: it
 * stops with VM_STOP_MIGRATED) or resumes it. */
int vm_migration_begin(struct vm *vm, void (*while_paused)(void *opaque), void *opaque);
/* A PAUSED VM migrates as it stands (QEMU's migration of a stopped guest):
 * begin runs while_paused and leaves it PAUSED with resumes refused;
 * switchover takes ctl_lock; finish stops it when completed, else lets it
 * be resumed again and leaves it paused. *paused says which kind began. */
int vm_migration_begin_paused(struct vm *vm, void (*while_paused)(void *opaque), void *opaque,
                              bool *paused);
void vm_migration_abort(struct vm *vm);
int vm_migration_switchover(struct vm *vm);
void vm_migration_finish(struct vm *vm, bool completed);
/* Ends the VM's migration thread, if any (vm_destroy). */
void mig_free(struct vm *vm);

/* Announces every NIC on its network (a RARP broadcast from its MAC), as
 * a migrated VM's destination does so the network follows the VM. */
void vm_announce(struct vm *vm);

/* Adds the current board's counters to t. */
void vm_totals_add(struct vm_totals *t, const struct vm *vm);

#endif
