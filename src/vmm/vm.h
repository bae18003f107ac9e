/* A virtual machine: the board, its clock and console, one thread per vCPU
 * running hart_run() and serving its exits, and the main thread's loop for
 * console input, device timers and lifecycle requests. The embedding API
 * for front ends (CLI now, the control API later). */
#ifndef RVMM_VMM_VM_H
#define RVMM_VMM_VM_H

#include "common/clock.h"
#include "machine/board.h"
#include "machine/virtio/virtio_console.h"
#include "machine/virtio/virtio_blk.h"
#include "vmm/console.h"
#include "vmm/sbi.h"
#include "vmm/vcpu.h"

#include <stdio.h>

#define VM_MAX_DRIVES 4
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
};

/* A network interface (--net, PUT /network-interfaces/{id}). */
struct vm_net {
    char id[32];
    char spec[1024]; /* "user[,hostfwd=tcp::HP-:GP]..." or "tap,ifname=NAME" */
    uint8_t mac[6];
    bool has_mac;
};

enum vm_console_kind { VM_CONSOLE_UART = 0, VM_CONSOLE_VIRTIO };

struct vm_config {
    struct board_config board;
    bool stats;
    struct vm_drive drives[VM_MAX_DRIVES];
    unsigned ndrives;
    struct vm_net nets[VM_MAX_NETS];
    unsigned nnets;
    int console; /* enum vm_console_kind */
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
};

/* Why the vCPU threads were stopped. */
enum vm_stop {
    VM_STOP_NONE = 0,
    VM_STOP_POWEROFF,
    VM_STOP_RESET,
    VM_STOP_FAIL,
    VM_STOP_FATAL,
    VM_STOP_QUIT
};

/* The lifecycle as a front end sees it. A VM whose vm_run() has returned
 * reports VM_STATE_NOT_STARTED again: it is not running. */
enum vm_state { VM_STATE_NOT_STARTED, VM_STATE_RUNNING, VM_STATE_PAUSED };

struct vm {
    struct vm_config cfg;
    struct board *board;
    struct vclock clock;
    struct console console;
    struct virtio_console_host console_host; /* --console virtio: console's side */
    struct ioloop *loop;                     /* the I/O thread; outlives boards across reboots */
    /* Opened once from cfg.drives; cfg.board.drives point at them. */
    struct blockdev *drives[VM_MAX_DRIVES];
    struct netdev *nets[VM_MAX_NETS]; /* opened once, outlive boards too */
    struct vcpu vcpus[BOARD_MAX_HARTS];
    pthread_mutex_t lock; /* guards the lifecycle fields below and the board pointer */
    pthread_cond_t cond;
    int stop;                  /* enum vm_stop: set once, read by every thread */
    int state;                 /* enum vm_state */
    bool started;              /* vm_run() was entered */
    bool finished;             /* vm_run() returned */
    bool pause_req;            /* vCPUs park at their next check while set */
    unsigned nthreads, parked; /* vCPU threads of the current board, and how many are parked */
    uint64_t paused_ticks;     /* guest time when the pause took hold: it resumes from there */
    pthread_mutex_t ctl_lock;  /* serializes pause, resume and snapshot */
    int fail_code;
    bool quit_req; /* vm_request_quit (atomic) */
    uint64_t start_ns;
    uint64_t resets;
    struct vm_totals totals;
    struct sbi_stats sbi; /* updated by vCPU threads with atomics */
    char *cfg_strings;    /* a restored VM's storage behind cfg's paths */
};

int vm_create(struct vm **out, const struct vm_config *cfg, char *err, size_t errlen);
void vm_destroy(struct vm *vm);
/* Runs until the guest powers off or fails, or the user quits. Returns the
 * process exit status: 0 for poweroff, the guest's code for a failure, or a
 * negative errno for an internal error. */
int vm_run(struct vm *vm);
/* Stops every vCPU for `why` (first request wins). Any thread. */
void vm_request_stop(struct vm *vm, enum vm_stop why, int code);
/* As Ctrl-A x: the VM stops as soon as it runs (or at once if it does).
 * Any thread, before or during vm_run(). */
void vm_request_quit(struct vm *vm);
void vm_print_stats(struct vm *vm, FILE *f);
/* The statistics so far, the running board's live counters included (the
 * API serves them while the guest runs). Any thread. */
void vm_stats_read(struct vm *vm, struct vm_totals *out);
/* Adds the current board's counters to t. */
void vm_totals_add(struct vm_totals *t, const struct vm *vm);
/* Names for the statistics' indexes: trap cause, interrupt, privilege mode. */
const char *vm_trap_name(unsigned cause);
const char *vm_irq_name(unsigned cause);
char vm_mode_name(unsigned mode);

enum vm_state vm_state(struct vm *vm);
/* Parks every vCPU at an instruction boundary (one asleep in WFI, SBI
 * suspend or HSM-stopped parks where it sleeps) and parks the I/O thread
 * (ioloop_pause: no backend touches the guest while paused), then returns 0; -EINVAL unless the VM
 * is running (or it stopped while pausing). Guest time (mtime) stands still until vm_resume(). Any
 * thread but a vCPU's. Works across guest reboots: the vCPUs of a rebuilt board park before they
 * run. */
int vm_pause(struct vm *vm);
/* Lets a paused VM run on; 0, or -EINVAL unless it is paused. */
int vm_resume(struct vm *vm);

/* Writes a snapshot of a paused VM: the state file (configuration, harts,
 * devices, guest clock, checksummed) and the memory file (guest RAM, sparse).
 * Each is written to a temporary name and renamed, so an existing snapshot
 * is only replaced by a complete one. 0, -EINVAL if the VM is not paused,
 * or a negative errno with one line in err. The VM stays paused. */
int vm_snapshot_create(struct vm *vm, const char *state_path, const char *mem_path, char *err,
                       size_t errlen);
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

/* Wakes a sleeping vCPU (an interrupt line rose, a start was posted). */
void vcpu_wake(struct vcpu *v);
/* Sleeps the calling vCPU until an enabled interrupt is pending (WFI, SBI
 * HSM suspend). */
void vcpu_suspend(struct vcpu *v, struct rv_hart *h);

#endif
