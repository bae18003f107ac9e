/* A virtual machine as front ends (the CLI, the control API, the gdb stub,
 * migration) see it: its configuration, one lifecycle state machine, and
 * the calls that drive it. struct vm itself is private to src/vmm
 * (vm_impl.h): nothing outside reaches into its fields or locks. */
#ifndef RVMM_VMM_VM_H
#define RVMM_VMM_VM_H

#include "common/ratelimit.h"
#include "machine/board.h"
#include "machine/virtio/virtio_blk.h"
#include "vmm/sbi.h"

#include <stdio.h>

#define VM_MAX_DRIVES 12 /* Kata attaches 9; slots left for NICs, rng, console */
#define VM_MAX_NETS   2

/* A disk as the user gave it (--drive, PUT /drives/{id}); the VM opens the
 * backend once and keeps it across guest reboots. */
struct vm_drive {
    char id[32];
    char path[4096];
    int format; /* enum blockdev_format */
    bool readonly;
    /* qcow2 backing files may live here as well as under the image's own
     * directory (empty: nowhere else). */
    char backing_dir[4096];
    struct ratelimit_config rl; /* --drive bps=,iops=; the API's rate_limiter */
};

/* A network interface (--net, PUT /network-interfaces/{id}). */
struct vm_net {
    char id[32];
    char spec[1024]; /* "user[,hostfwd=tcp::HP-:GP]..." or "tap,ifname=NAME" */
    uint8_t mac[6];
    bool has_mac;
    uint16_t mtu; /* mtu= / "mtu": offered to the guest (VIRTIO_NET_F_MTU); 0: none */
    /* host->guest and guest->host (--net bps=,pps= sets both alike). */
    struct ratelimit_config rx_rl, tx_rl;
};

/* A vsock device (--vsock, PUT /vsock), with Firecracker's host side:
 * host clients connect to uds_path, guest connections to host port P go
 * to "<uds_path>_P" (backend/vsock/vsock_mux.h). */
struct vm_vsock {
    bool on;
    uint32_t cid; /* the guest's CID, at least 3 */
    char uds_path[108];
};

enum vm_console_kind { VM_CONSOLE_UART = 0, VM_CONSOLE_VIRTIO };

struct vm_config {
    struct board_config board;
    bool stats;
    struct vm_drive drives[VM_MAX_DRIVES];
    unsigned ndrives;
    struct vm_net nets[VM_MAX_NETS];
    unsigned nnets;
    int console;      /* enum vm_console_kind */
    bool mem_merge;   /* --mem-merge on: guest RAM is mergeable for the host's KSM */
    bool track_dirty; /* machine-config track_dirty_pages: RAM keeps a dirty log for Diff
                         snapshots (every guest store takes the MMU's slow path) */
    struct vm_vsock vsock;
};

struct vm_totals {
    struct hart_stats hart;
    uint64_t instret;
    uint64_t mmio_reads[BUS_MAX_REGIONS], mmio_writes[BUS_MAX_REGIONS];
    const char *mmio_names[BUS_MAX_REGIONS];
    int nregions;
    struct sbi_stats sbi;
    /* Per vCPU, summed over reboots. */
    uint64_t vcpu_exits[BOARD_MAX_HARTS][HART_EXIT_COUNT];
    uint64_t vcpu_instret[BOARD_MAX_HARTS];
    uint64_t vcpu_sbi[BOARD_MAX_HARTS];
    struct virtio_blk_stats disks[VM_MAX_DRIVES];
    uint64_t reboots; /* guest resets served */
};

/* Why the vCPU threads were stopped. */
enum vm_stop {
    VM_STOP_NONE = 0,
    VM_STOP_POWEROFF,
    VM_STOP_RESET,
    VM_STOP_FAIL,
    VM_STOP_FATAL,
    VM_STOP_QUIT,
    VM_STOP_MIGRATED /* the guest now runs on a migration's destination */
};

/* The VM's life, one state at a time; every change is made by one function
 * in vm.c (its table lists the allowed ones) and broadcast, so any thread
 * can wait for a state with vm_wait_state().
 *
 *   CREATED --vm_run--> RUNNING --vm_pause_request--> PAUSING --all parked--> PAUSED
 *   CREATED --vm_pause--> PAUSED (nothing runs yet; vm_run keeps it paused)
 *   PAUSED --vm_resume--> RUNNING
 *   RUNNING --migration starts--> MIGRATING (runs as RUNNING; the switch-over pauses it)
 *   MIGRATING --migration fails or is cancelled--> RUNNING
 *   RUNNING..MIGRATING --vm_request_stop--> STOPPING --vm_run ends--> FINISHED
 *   STOPPING for a guest reset --board rebuilt--> RUNNING (or PAUSING if it was pausing)
 */
enum vm_state {
    VM_STATE_CREATED,   /* built, vm_run() not entered yet */
    VM_STATE_RUNNING,   /* the vCPUs run the guest */
    VM_STATE_PAUSING,   /* the vCPUs are asked to park; not all have */
    VM_STATE_PAUSED,    /* every vCPU parked, the I/O thread parked, guest time still */
    VM_STATE_MIGRATING, /* running while a migration sends its memory */
    VM_STATE_STOPPING,  /* the vCPU threads are ending (vm_stop_reason() says why) */
    VM_STATE_FINISHED,  /* vm_run() returned: nothing runs this VM again */
    VM_STATE_COUNT
};
#define VM_STATE_BIT(s) (1u << (s))

/* "Created", "Running", ...: for messages and the API. */
const char *vm_state_name(enum vm_state s);

/* Opaque outside src/vmm (vm_impl.h): front ends use the functions below. */
struct vm;

int vm_create(struct vm **out, const struct vm_config *cfg, char *err, size_t errlen);
void vm_destroy(struct vm *vm);
/* Runs until the guest powers off or fails, or the user quits. Returns the
 * process exit status: 0 for poweroff, the guest's code for a failure, or a
 * negative errno for an internal error. */
int vm_run(struct vm *vm);

struct seccomp_filters;
/* The programs vm_run's I/O loop and vCPU threads confine themselves with
 * once the process is confined (vmm/seccomp.h): --seccomp-filter's, or
 * NULL (the default) for rvmm's own lists. Before vm_run; f outlives vm. */
void vm_set_seccomp(struct vm *vm, const struct seccomp_filters *f);
/* Stops every vCPU for `why` (first request wins). Any thread. */
void vm_request_stop(struct vm *vm, enum vm_stop why, int code);
/* As Ctrl-A x: the VM stops as soon as it runs (or at once if it does).
 * Any thread, before or during vm_run(). */
void vm_request_quit(struct vm *vm);
void vm_print_stats(struct vm *vm, FILE *f);
/* The statistics so far, the running board's live counters included (the
 * API serves them while the guest runs). Any thread. */
void vm_stats_read(struct vm *vm, struct vm_totals *out);
/* Names for the statistics' indexes: trap cause, interrupt, privilege mode. */
const char *vm_trap_name(unsigned cause);
const char *vm_irq_name(unsigned cause);
char vm_mode_name(unsigned mode);

/* The state now (it may change as soon as this returns). Any thread. */
enum vm_state vm_state(struct vm *vm);
/* Why the VM is STOPPING or FINISHED (VM_STOP_NONE otherwise). */
enum vm_stop vm_stop_reason(struct vm *vm);
/* Waits until the state is one of `mask` (VM_STATE_BIT()s) and returns it;
 * with timeout_ns > 0, returns the current state after that long anyway.
 * Any thread but a vCPU's. */
enum vm_state vm_wait_state(struct vm *vm, unsigned mask, uint64_t timeout_ns);
/* Waits until vm_run() has been entered (or the VM finished): a VM handed
 * to the thread that runs it is running or paused afterwards, never
 * CREATED again. */
void vm_wait_started(struct vm *vm);

/* Asks every vCPU to park and returns at once: RUNNING becomes PAUSING,
 * and PAUSED once every vCPU is parked at an instruction boundary (one
 * asleep in WFI, SBI suspend or HSM-stopped parks where it sleeps) and the
 * I/O thread is parked (no backend touches the guest while paused). 0, or
 * -EINVAL unless RUNNING (or already PAUSING), -EBUSY while MIGRATING. Any
 * thread, a vCPU's included (a debug stop parks its own vCPU next). */
int vm_pause_request(struct vm *vm);
/* Waits until every vCPU is parked (PAUSED): 0, or -EINVAL if the VM is
 * not pausing or stopped first. Any thread but a vCPU's. */
int vm_wait_paused(struct vm *vm);
/* vm_pause_request() then vm_wait_paused(); from CREATED it pauses at once
 * (vm_run() then starts with the vCPUs parked). Guest time (mtime) stands
 * still until vm_resume(). Works across guest reboots: the vCPUs of a
 * rebuilt board park before they run. Not from a vCPU thread. */
int vm_pause(struct vm *vm);
/* Lets a paused VM run on; 0, or -EINVAL unless it is paused. */
int vm_resume(struct vm *vm);

/* The configuration the VM was built from (drives and nets as opened,
 * a restored VM's as saved). Constant for the VM's life. */
const struct vm_config *vm_get_config(const struct vm *vm);
/* Traffic of network interface `k` (index in vm_get_config()->nets):
 * 0, or -ENODEV if it has no backend. Any thread. */
struct netdev_stats;
int vm_net_stats(struct vm *vm, unsigned k, struct netdev_stats *out);

/* Writes a snapshot of a paused VM: the state file (configuration, harts,
 * devices, guest clock, checksummed) and the memory file (guest RAM, sparse).
 * Each is written to a temporary name and renamed, so an existing snapshot
 * is only replaced by a complete one. 0, -EINVAL if the VM is not paused,
 * or a negative errno with one line in err. The VM stays paused. */
int vm_snapshot_create(struct vm *vm, const char *state_path, const char *mem_path, char *err,
                       size_t errlen);
/* Firecracker's snapshot types: a Full one, or a Diff one whose memory
 * file holds only the pages written since the last snapshot (or since the
 * restore that built this VM), for cfg.track_dirty VMs with such a base.
 * A Diff memory file restores once merged onto its base's memory file
 * (snap_mem_merge, rvmm --snapshot-merge). */
int vm_snapshot_create_type(struct vm *vm, const char *state_path, const char *mem_path, bool diff,
                            char *err, size_t errlen);
/* Builds a paused VM from a snapshot after checking all of it (format,
 * checksum, memory file, configuration against the host and overrides):
 * vm_run() then starts with the vCPUs parked until vm_resume(). Guest RAM
 * maps the memory file copy-on-write, so VMs restored from one snapshot
 * share the pages they have not written. overrides (may be NULL) replace
 * drives' images and nets' backends by id and must agree on the rest
 * (ram_size, nharts when nonzero). -EINVAL (bad or mismatched snapshot),
 * -ENOENT (missing file) or another negative errno, with one line in err. */
int vm_restore(struct vm **out, const struct vm_config *overrides, const char *state_path,
               const char *mem_path, char *err, size_t errlen);

/* Gives drive `id` of a running (or paused) VM a new image, opened like
 * the old one, and tells the guest (configuration change interrupt); the
 * old image is closed and the drive's path in vm_get_config() becomes
 * `path` (the one change to it after vm_create: callers that read it are
 * the caller of this function or hold the VM paused). 0, or a negative
 * errno with one line in err. */
/* --boot-timer: fn gets the guest's boot time (since vm_create, wall
 * clock and process CPU, in microseconds) each time it writes the boot
 * timer's magic byte; on a vCPU thread. NULL clears it. Any thread. */
void vm_set_boot_timer_hook(struct vm *vm, void (*fn)(void *opaque, uint64_t us, uint64_t cpu_us),
                            void *opaque);

int vm_drive_swap(struct vm *vm, const char *id, const char *path, char *err, size_t errlen);

/* Gives drive `id` (or network interface `id`: rx, tx, NULL to keep one)
 * of a created, running or paused VM new rate limits; the buckets start
 * full and a guest reboot keeps them. 0, or a negative errno with one line
 * in err (-ENOENT: no such id, -EINVAL: a bad limit or a stopping VM). */
int vm_drive_set_ratelimit(struct vm *vm, const char *id, const struct ratelimit_config *c,
                           char *err, size_t errlen);
int vm_net_set_ratelimit(struct vm *vm, const char *id, const struct ratelimit_config *rx,
                         const struct ratelimit_config *tx, char *err, size_t errlen);

#endif
